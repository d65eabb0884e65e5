/**
 * Pieces the indicator pages share: the translation hook, the page title, a coded-problems
 * table for refused uploads (row, column, code, message), file upload with progress, and the
 * reproduction check of a run.
 */
import { CheckCircleTwoTone, CloseCircleTwoTone, InboxOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Modal, Progress, Table, Upload } from 'antd';
import { useState, type ReactNode } from 'react';
import { api, ApiError, type ErrorDetail } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorView.tsx';
import { Loading } from '../../components/PageState.tsx';
import { useLang } from '../../i18n.ts';
import { BASE, fmt } from './data.ts';
import { NS } from './messages.ts';
import type { Reproduce } from './types.ts';

/** The indicator words and the common ones: `t('title.frameworks')`, `t('common:action.save')`. */
export function useI() {
  return useLang([NS, 'common']);
}

/** The page title in the page's language with the other language beside it (or `sub`). */
export function PageTitle({ zh, en, sub, extra }: { zh: string; en: string; sub?: string; extra?: ReactNode }) {
  const { lang } = useI();
  return (
    <h2 className="page-title" data-testid="page-title" style={{ display: 'flex', alignItems: 'baseline', gap: 8, flexWrap: 'wrap' }}>
      <span>{lang === 'en' ? en : zh}</span>
      <span className="en">{sub ?? (lang === 'en' ? zh : en)}</span>
      {extra ? <span style={{ marginLeft: 'auto', fontSize: 14, fontWeight: 400 }}>{extra}</span> : null}
    </h2>
  );
}

/** A refusal with its details as a table of problems by row and column, each with its code. */
export function IssuesView({ error, title }: { error: unknown; title?: string }) {
  const { t, lang } = useI();
  if (!error) return null;
  const details: ErrorDetail[] = error instanceof ApiError ? error.details : [];
  return (
    <div data-testid="import-issues">
      {title ? <Alert type="error" showIcon title={title} style={{ marginBottom: 8 }} /> : null}
      <ErrorAlert error={error instanceof ApiError ? new ApiError(error.status, error.code, error.messageZh, error.messageEn, []) : error} />
      {details.length ? (
        <Table<ErrorDetail>
          size="small"
          style={{ marginTop: 8 }}
          rowKey={(_, i) => String(i)}
          dataSource={details}
          pagination={details.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
          data-testid="issues-table"
          columns={[
            { title: t('datasets.issueRow'), dataIndex: 'row', width: 70, render: (v: unknown) => (v === undefined ? '—' : String(v)) },
            { title: t('datasets.issueColumn'), key: 'column', width: 160, render: (_: unknown, d) => String(d.column ?? d.field ?? d.indicator ?? d.node ?? '—') },
            { title: t('datasets.issueCode'), dataIndex: 'code', width: 200, render: (c: unknown) => <code>{String(c ?? (error as ApiError).code)}</code> },
            {
              title: t('datasets.issueMessage'),
              key: 'message',
              render: (_: unknown, d) => (lang === 'en' ? (d.message_en ?? d.message) : (d.message ?? d.message_en)) ?? otherFields(d),
            },
          ]}
        />
      ) : null}
    </div>
  );
}

/** The fields of a problem that the row, column and code columns do not show: `value = x, first_row = 1`. */
function otherFields(d: ErrorDetail): string {
  return Object.entries(d)
    .filter(([k, v]) => !['row', 'column', 'field', 'code', 'message', 'message_en'].includes(k) && v !== undefined && v !== null)
    .map(([k, v]) => `${k} = ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(', ');
}

/** A single-file picker (drag or click) that keeps the file until the form is sent. */
export function FilePick({ file, onChange, accept, progress }: { file: File | null; onChange: (f: File | null) => void; accept: string; progress?: number | null }) {
  const { t } = useI();
  return (
    <>
      <Upload.Dragger
        accept={accept}
        multiple={false}
        maxCount={1}
        beforeUpload={(f) => {
          onChange(f);
          return false;
        }}
        onRemove={() => onChange(null)}
        fileList={file ? [{ uid: '1', name: file.name, status: 'done' }] : []}
        data-testid="file-input"
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{t('common.drop')}</p>
        <p className="ant-upload-hint">{accept}</p>
      </Upload.Dragger>
      {progress !== null && progress !== undefined ? <Progress percent={Math.round(progress * 100)} size="small" status="active" /> : null}
    </>
  );
}

/** What GET runs/:id/reproduce found, in words and figures. */
export function ReproduceView({ r }: { r: Reproduce }) {
  const { t, lang } = useI();
  const ok = (v: boolean) => (v ? <CheckCircleTwoTone twoToneColor="#52c41a" /> : <CloseCircleTwoTone twoToneColor="#ff4d4f" />);
  return (
    <div data-testid="reproduce-result" data-reproduced={r.reproduced ? 'true' : 'false'}>
      <Alert type={r.reproduced ? 'success' : 'error'} showIcon title={r.reproduced ? t('runs.reproduced', { n: r.units_compared }) : t('runs.notReproduced')} style={{ marginBottom: 8 }} />
      <Descriptions
        size="small"
        column={1}
        bordered
        items={[
          { key: 'n', label: t('runs.compared'), children: r.units_compared },
          { key: 'd', label: t('runs.maxDiff'), children: <span data-testid="reproduce-maxdiff">{fmt(r.max_score_diff, lang, 12)}</span> },
          { key: 'r', label: t('runs.rankDiffs'), children: r.rank_differences },
          { key: 'i', label: t('runs.intervalDiffs'), children: r.interval_differences },
          {
            key: 'h',
            label: t('runs.hashMatches'),
            children: (
              <>
                {ok(r.data_hash_matches)} <code style={{ fontSize: 12 }}>{r.data_hash.slice(0, 16)}…</code>
              </>
            ),
          },
          {
            key: 'e',
            label: t('runs.engineMatches'),
            children: (
              <>
                {ok(r.engine_version_matches)} {r.engine_version}
              </>
            ),
          },
        ]}
      />
    </div>
  );
}

/** Reproduces a run and shows the comparison in a dialog; used on the history and the results page. */
export function useReproduce() {
  const { t } = useI();
  const [state, setState] = useState<{ id: number; busy: boolean; result?: Reproduce; error?: unknown } | null>(null);
  const start = async (id: number) => {
    setState({ id, busy: true });
    try {
      const result = await api.get<Reproduce>(`${BASE}/runs/${id}/reproduce`);
      setState({ id, busy: false, result });
    } catch (error) {
      setState({ id, busy: false, error });
    }
  };
  const dialog = state ? (
    <Modal open title={`${t('runs.reproduce')} #${state.id}`} onCancel={() => setState(null)} footer={<Button onClick={() => setState(null)}>{t('common:action.close')}</Button>} destroyOnHidden>
      {state.busy ? <Loading tip={t('runs.reproducing')} /> : state.result ? <ReproduceView r={state.result} /> : <ErrorAlert error={state.error} />}
    </Modal>
  ) : null;
  return { start, dialog, busyId: state?.busy ? state.id : null };
}

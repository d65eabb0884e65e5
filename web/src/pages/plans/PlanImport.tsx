/**
 * Importing a plan: its targets, tasks and values tables uploaded together (recognised by their
 * headers on the server), with the plan's name, region, owner and period. The answer lists every
 * problem by file, row and column with its code, as the import wizard does; a plan with any
 * error is not written at all.
 */
import { InboxOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Modal, Progress, Result, Space, Upload } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { qs } from '../../api.ts';
import { useUser } from '../../auth.tsx';
import { ErrorAlert } from '../../components/ErrorView.tsx';
import { useLang } from '../../i18n.ts';
import { IssuesTable } from '../imports/IssuesTable.tsx';
import { uploadFiles, useRefreshPlan } from './data.ts';
import { NS } from './messages.ts';
import type { PlanImportResult } from './types.ts';

interface Options {
  name?: string;
  region?: string;
  owner?: string;
  period?: string;
}

export function PlanImport({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useLang(NS);
  const user = useUser();
  const refresh = useRefreshPlan();
  const [files, setFiles] = useState<File[]>([]);
  const [opts, setOpts] = useState<Options>({ region: user.region_name ?? undefined });
  const [busy, setBusy] = useState(false);
  const [uploaded, setUploaded] = useState(0);
  const [result, setResult] = useState<PlanImportResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const periodBad = !!opts.period && !/^\d{4}-\d{4}$/.test(opts.period);

  const reset = () => {
    setFiles([]);
    setResult(null);
    setError(null);
    setUploaded(0);
  };

  const run = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const r = await uploadFiles<PlanImportResult>(`/api/plans/import${qs({ ...opts })}`, files, setUploaded);
      setResult(r);
      if (r.ok) await refresh();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  // The issue table of the import wizard, with the file named in the column.
  const issues = (result?.issues ?? []).map((i) => ({ ...i, column: [i.file, i.column].filter(Boolean).join(' · ') }));

  return (
    <Modal
      open={open}
      title={t('import.title')}
      width={900}
      onCancel={() => {
        reset();
        onClose();
      }}
      footer={null}
      destroyOnHidden
    >
      {result?.ok ? (
        <Result
          status="success"
          title={<span data-testid="plan-import-done">{t('import.ok', { ...result })}</span>}
          extra={
            <Space>
              <Link to={`/plans/${result.plan}`} onClick={onClose}>
                <Button type="primary" data-testid="plan-import-open">
                  {t('import.open')}
                </Button>
              </Link>
              <Button onClick={reset}>{t('import.again')}</Button>
            </Space>
          }
        >
          {issues.length > 0 ? <IssuesTable issues={issues} /> : null}
        </Result>
      ) : (
        <Form layout="vertical">
          <Alert type="info" showIcon title={t('import.help')} style={{ marginBottom: 16 }} />
          <Form.Item label={t('import.files')} required>
            <Upload.Dragger
              multiple
              accept=".csv,.xlsx,.xls,.txt"
              beforeUpload={(f) => {
                setFiles((fs) => [...fs.filter((x) => x.name !== f.name), f]);
                return false;
              }}
              onRemove={(f) => setFiles((fs) => fs.filter((x) => x.name !== f.name))}
              fileList={files.map((f) => ({ uid: f.name, name: f.name, size: f.size, status: 'done' as const }))}
              data-testid="plan-import-files"
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p>{t('import.drop')}</p>
            </Upload.Dragger>
          </Form.Item>
          <Space wrap align="start">
            <Form.Item label={t('import.name')}>
              <Input style={{ width: 380 }} value={opts.name} onChange={(e) => setOpts({ ...opts, name: e.target.value || undefined })} data-testid="plan-import-name" />
            </Form.Item>
            <Form.Item label={t('import.region')}>
              <Input style={{ width: 200 }} value={opts.region} onChange={(e) => setOpts({ ...opts, region: e.target.value || undefined })} data-testid="plan-import-region" />
            </Form.Item>
            <Form.Item label={t('import.owner')}>
              <Input style={{ width: 240 }} value={opts.owner} onChange={(e) => setOpts({ ...opts, owner: e.target.value || undefined })} data-testid="plan-import-owner" />
            </Form.Item>
            <Form.Item label={t('import.period')} validateStatus={periodBad ? 'error' : undefined} help={periodBad ? t('import.periodInvalid') : undefined}>
              <Input style={{ width: 160 }} value={opts.period} placeholder="2024-2027" onChange={(e) => setOpts({ ...opts, period: e.target.value.trim() || undefined })} data-testid="plan-import-period" />
            </Form.Item>
          </Space>
          {error ? <ErrorAlert error={error} /> : null}
          {result && !result.ok ? (
            <div data-testid="plan-import-failed">
              <Alert type="error" showIcon title={t('import.failed')} style={{ marginBottom: 8 }} />
              <IssuesTable issues={issues} />
            </div>
          ) : null}
          {busy ? (
            <div style={{ marginTop: 8 }} data-testid="plan-import-progress">
              {t('import.running')}
              <Progress percent={Math.round(uploaded * 100)} status="active" />
            </div>
          ) : null}
          <Button type="primary" disabled={!files.length || busy || periodBad} loading={busy} onClick={run} style={{ marginTop: 8 }} data-testid="plan-import-submit">
            {t('import.submit')}
          </Button>
        </Form>
      )}
    </Modal>
  );
}

/**
 * Follow-ups (对接跟踪): the matches taken up by the person's organisation (or, for officers,
 * in their region), each at its stage — interest → contact → meeting → negotiation →
 * agreement, or dropped with a reason. The organisation or an officer moves a follow-up on
 * (stages may be skipped, never gone back to) and, at agreement, records what came of it.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, InputNumber, Modal, Select, Steps, Table, Typography, type TableProps } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, ApiError } from '../../api.ts';
import { useUser } from '../../auth.tsx';
import { ErrorAlert, ErrorPage } from '../../components/ErrorView.tsx';
import { EmptyState, Loading } from '../../components/PageState.tsx';
import { RecordSelect } from '../../components/RefSelect.tsx';
import {
  canPost,
  fmtDate,
  fmtScore,
  KindTag,
  OUTCOMES,
  PageTitle,
  profileTitle,
  ReasonList,
  saveCsv,
  STAGES,
  StageTag,
  targetHref,
  useLabels,
  useM,
  type Followup,
  type MatchKind,
  type Profile,
  type Stage,
} from './shared.tsx';

/** The name of a follow-up's target or source, fetched once per record (cached). */
export function RecordName({ kind, id }: { kind: MatchKind; id: number }) {
  const { lang } = useM();
  const url = kind === 'partner' ? `/api/organizations/${id}` : kind === 'talent' ? `/api/talents/${id}` : `/api/market/profiles/${id}`;
  const rec = useQuery({ queryKey: ['market', 'name', kind, id], queryFn: () => api.get<Record<string, unknown>>(url), staleTime: 300_000, retry: false });
  const r = rec.data;
  const name = !r
    ? `#${id}`
    : kind === 'partner'
      ? String((lang === 'en' ? r.name_en || r.name_zh : r.name_zh || r.name_en) ?? `#${id}`)
      : kind === 'talent'
        ? String((lang === 'en' ? r.name_en || r.name : r.name || r.name_en) ?? `#${id}`)
        : profileTitle(r as unknown as Profile, lang) || `#${id}`;
  return (
    <Link to={targetHref(kind, id)} data-testid="record-name">
      {name}
    </Link>
  );
}

export default function Followups() {
  const { t, lang } = useM();
  const user = useUser();
  const labels = useLabels();
  const [params, setParams] = useSearchParams();
  const stage = (params.get('stage') as Stage | null) ?? undefined;
  const [moving, setMoving] = useState<Followup | null>(null);
  const list = useQuery({ queryKey: ['market', 'followups', { stage }], queryFn: () => api.get<{ items: Followup[] }>('/api/market/followups', { stage }) });
  const items = list.data?.items ?? [];
  const writer = canPost(user);
  const colon = lang === 'en' ? ': ' : '：';

  const columns: TableProps<Followup>['columns'] = [
    { key: 'id', title: '#', dataIndex: 'id', width: 60, sorter: (a, b) => a.id - b.id },
    {
      key: 'target',
      title: t('followups.target'),
      width: 320,
      ellipsis: true,
      render: (_, f) => (
        <>
          <KindTag kind={f.target_kind} />
          <RecordName kind={f.target_kind} id={f.target_id} />
        </>
      ),
    },
    { key: 'source', title: t('followups.source'), width: 220, ellipsis: true, render: (_, f) => (f.profile_id ? <RecordName kind="demand" id={f.profile_id} /> : '—') },
    {
      key: 'stage',
      title: t('followups.stage'),
      render: (_, f) => <StageTag stage={f.stage} />,
      sorter: (a, b) => [...STAGES, 'dropped'].indexOf(a.stage) - [...STAGES, 'dropped'].indexOf(b.stage),
    },
    { key: 'since', title: t('followups.since'), render: (_, f) => fmtDate(f.stage_since, true), sorter: (a, b) => a.stage_since.localeCompare(b.stage_since) },
    { key: 'field', title: t('f.field'), render: (_, f) => labels.field(f.field) || '—' },
    { key: 'country', title: t('f.country'), render: (_, f) => f.country_iso3 ?? '—' },
    { key: 'score', title: t('followups.score'), align: 'right', render: (_, f) => fmtScore(f.score), sorter: (a, b) => (a.score ?? 0) - (b.score ?? 0) },
    ...(writer
      ? [
          {
            key: 'actions',
            title: '',
            render: (_: unknown, f: Followup) =>
              f.stage === 'dropped' ? null : (
                <Button size="small" onClick={() => setMoving(f)} data-testid="followup-move">
                  {f.stage === 'agreement' ? t('followups.outcome') : t('followups.move')}
                </Button>
              ),
          },
        ]
      : []),
  ];

  const exportCsv = () =>
    saveCsv(
      `followups-${new Date().toISOString().slice(0, 10)}.csv`,
      ['id', t('followups.target'), 'target_id', t('followups.source'), t('followups.stage'), t('followups.reached'), t('followups.since'), t('f.field'), t('f.country'), t('followups.score'), t('followups.outcome'), t('followups.dropReason')],
      items.map((f) => [f.id, t(`kind.${f.target_kind}`), f.target_id, f.profile_id, t(`stage.${f.stage}`), t(`stage.${f.reached}`), fmtDate(f.stage_since, true), labels.field(f.field), f.country_iso3, f.score, f.outcome ? t(`outcome.${f.outcome}`) : '', f.dropped_reason]),
    );

  return (
    <div className="page-card">
      <PageTitle k="followups" />
      <Typography.Paragraph type="secondary">{t('followups.intro')}</Typography.Paragraph>
      <div className="toolbar">
        <Select
          allowClear
          placeholder={t('followups.all')}
          value={stage}
          onChange={(v) => setParams(v ? { stage: v } : {})}
          options={[...STAGES, 'dropped'].map((s) => ({ value: s, label: t(`stage.${s}`) }))}
          style={{ width: 160 }}
          data-testid="filter-stage"
        />
        <span className="spacer" />
        <Button onClick={exportCsv} disabled={items.length === 0}>
          {t('common:action.exportCsv')}
        </Button>
      </div>
      {list.error ? (
        <ErrorPage error={list.error} retry={() => list.refetch()} />
      ) : (
        <Table<Followup>
          rowKey="id"
          size="middle"
          loading={list.isFetching}
          dataSource={items}
          columns={columns}
          scroll={{ x: 1150 }}
          data-testid="followups-table"
          locale={{ emptyText: list.isLoading ? <Loading /> : <EmptyState hint={t('followups.emptyHint')}>{t('followups.empty')}</EmptyState> }}
          pagination={{ pageSize: 20, showTotal: (total) => t('common:state.total', { total }) }}
          expandable={{
            expandedRowRender: (f) => (
              <div style={{ padding: '4px 8px' }}>
                <Steps
                  size="small"
                  current={f.stage === 'dropped' ? STAGES.indexOf(f.reached) : STAGES.indexOf(f.stage as (typeof STAGES)[number])}
                  status={f.stage === 'dropped' ? 'error' : f.stage === 'agreement' ? 'finish' : 'process'}
                  items={STAGES.map((s) => ({ title: t(`stage.${s}`) }))}
                  style={{ maxWidth: 760, marginBottom: 12 }}
                />
                {f.dropped_reason ? (
                  <p>
                    <strong>{t('followups.dropReason')}{colon}</strong>
                    {f.dropped_reason}
                  </p>
                ) : null}
                {f.outcome ? (
                  <p>
                    <strong>{t('followups.outcome')}{colon}</strong>
                    {t(`outcome.${f.outcome}`)}
                    {f.project_id ? (
                      <>
                        {' · '}
                        <Link to={`/registries/projects/${f.project_id}`}>
                          {t('followups.project')} #{f.project_id}
                        </Link>
                      </>
                    ) : null}
                    {f.output_id ? (
                      <>
                        {' · '}
                        <Link to={`/registries/outputs/${f.output_id}`}>
                          {t('followups.output')} #{f.output_id}
                        </Link>
                      </>
                    ) : null}
                  </p>
                ) : null}
                {f.note ? (
                  <p>
                    <strong>{t('followups.note')}{colon}</strong>
                    {f.note}
                  </p>
                ) : null}
                <ReasonList reasons={f.reasons} />
                <div style={{ color: '#888', fontSize: 12, marginTop: 6 }}>
                  {f.created_by} · {fmtDate(f.created_at, true)}
                </div>
              </div>
            ),
          }}
        />
      )}
      {moving ? <MoveDialog f={moving} onClose={() => setMoving(null)} /> : null}
    </div>
  );
}

interface MoveValues {
  stage: Stage;
  note?: string;
  dropped_reason?: string;
  outcome?: string;
  project_id?: number | null;
  output_id?: number | null;
}

function MoveDialog({ f, onClose }: { f: Followup; onClose: () => void }) {
  const { t, lang } = useM();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<MoveValues>();
  const at = f.stage === 'dropped' ? -1 : STAGES.indexOf(f.stage);
  const options: Stage[] = f.stage === 'agreement' ? ['agreement'] : [...STAGES.slice(at + 1), 'dropped'];
  const chosen = Form.useWatch('stage', form);
  const move = useMutation({
    mutationFn: (v: MoveValues) => {
      const body: Record<string, unknown> = { stage: v.stage };
      if (v.note?.trim()) body.note = v.note.trim();
      if (v.stage === 'dropped' && v.dropped_reason?.trim()) body.dropped_reason = v.dropped_reason.trim();
      if (v.stage === 'agreement') {
        if (v.outcome) body.outcome = v.outcome;
        if (v.project_id) body.project_id = v.project_id;
        if (v.output_id) body.output_id = v.output_id;
      }
      return api.post<Followup>(`/api/market/followups/${f.id}/stage`, body);
    },
    onSuccess: () => {
      void message.success(t('followups.moved'));
      void qc.invalidateQueries({ queryKey: ['market'] });
      onClose();
    },
    onError: (e) => {
      if (e instanceof ApiError)
        form.setFields(
          e.details
            .filter((d) => d.field && ['stage', 'note', 'dropped_reason', 'outcome', 'project_id', 'output_id'].includes(String(d.field)))
            .map((d) => ({ name: String(d.field) as keyof MoveValues, errors: [lang === 'en' ? (d.message_en ?? e.messageEn) : (d.message ?? e.messageZh)] })),
        );
    },
  });
  return (
    <Modal open title={t('followups.moveTo')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={move.isPending} okButtonProps={{ 'data-testid': 'move-ok' }} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ stage: options[0] }} onFinish={(v) => move.mutate(v)}>
        <Form.Item name="stage" label={t('followups.moveTo')}>
          <Select options={options.map((s) => ({ value: s, label: t(`stage.${s}`) }))} data-testid="move-stage" />
        </Form.Item>
        {chosen === 'dropped' ? (
          <Form.Item name="dropped_reason" label={t('followups.dropReason')} rules={[{ required: true, whitespace: true, message: t('followups.dropReason') }]}>
            <Input.TextArea rows={2} maxLength={1000} data-testid="move-drop-reason" />
          </Form.Item>
        ) : null}
        {chosen === 'agreement' ? (
          <>
            <Form.Item name="outcome" label={t('followups.outcome')}>
              <Select allowClear options={OUTCOMES.map((o) => ({ value: o, label: t(`outcome.${o}`) }))} />
            </Form.Item>
            <Form.Item name="project_id" label={t('followups.project')}>
              <RecordSelect kind="projects" style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="output_id" label={`${t('followups.output')} (#)`}>
              <InputNumber min={1} precision={0} style={{ width: 160 }} />
            </Form.Item>
          </>
        ) : null}
        <Form.Item name="note" label={t('followups.note')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </Form>
      {move.error ? <ErrorAlert error={move.error} /> : null}
    </Modal>
  );
}

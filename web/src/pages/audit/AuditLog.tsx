/**
 * The audit log for auditors (审计员): every write with who, when, what, before and after; the
 * log's verification — an incremental one on opening, a full one or a checkpoint on demand —
 * with the key in use and the checkpoints outside the store.
 */
import { AuditOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Input, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api.ts';
import { ErrorAlert, ErrorPage } from '../../components/ErrorView.tsx';
import { useLang } from '../../i18n.ts';
import { ACTIONS, ENTITIES } from './messages.ts';
import { DateInput } from '../../components/DateInput.tsx';

interface Entry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  before?: unknown;
  after?: unknown;
}

interface Checkpoint {
  seq: number;
  hash: string;
  entries: number;
  at: string;
}

interface Verification {
  ok: boolean;
  mode: 'full' | 'incremental';
  entries: number;
  checked: number;
  head: { seq: number; hash: string };
  key: { id: string; epoch_seq: number | null; legacy_entries: number };
  checkpoints: { valid: number; invalid: number; latest: Checkpoint | null };
  first_bad?: { seq: number | null; problem: string; message: string; message_en: string };
  written?: Checkpoint | null;
}

type Filters = { actor?: string; entity?: string; action?: string; from?: string; to?: string };

export default function AuditLog() {
  const { t, lang } = useLang('audit');
  const qc = useQueryClient();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const [filters, setFilters] = useState<Filters>({});
  const [shown, setShown] = useState<Verification | null>(null);
  const list = useQuery({
    queryKey: ['audit', page, pageSize, filters],
    queryFn: () => api.get<{ items: Entry[]; total: number }>('/api/audit', { page, pageSize, ...filters }),
    placeholderData: keepPreviousData,
  });
  // On opening: the cheap check the schedule runs (from the latest checkpoint on).
  const first = useQuery({ queryKey: ['audit', 'verify'], queryFn: () => api.get<Verification>('/api/audit/verify', { incremental: true }), staleTime: 0 });
  const full = useMutation({ mutationFn: () => api.get<Verification>('/api/audit/verify'), onSuccess: setShown });
  const checkpoint = useMutation({
    mutationFn: () => api.post<Verification>('/api/audit/checkpoint'),
    onSuccess: (v) => {
      setShown(v);
      void qc.invalidateQueries({ queryKey: ['audit'] });
    },
  });
  if (list.error) return <ErrorPage error={list.error} />;
  const v = shown ?? first.data ?? null;
  const set = (k: keyof Filters) => (value: string | undefined) => {
    setFilters({ ...filters, [k]: value || undefined });
    setPage(1);
  };
  const label = (group: 'action' | 'entity', code: string) => (t(`${group}.${code}`, { defaultValue: '' }) as string) || t('other', { code });
  const when = (iso: string) => new Date(iso).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN');
  const problem = (code: string) => (t(`problem.${code}`, { defaultValue: '' }) as string) || code;

  return (
    <div className="page-card">
      <h2 className="page-title">
        {t('title')}
        <span className="en">{lang === 'en' ? '审计日志' : 'Audit log'}</span>
      </h2>
      <Typography.Paragraph type="secondary">{t('subtitle')}</Typography.Paragraph>

      <Card
        size="small"
        style={{ marginBottom: 16 }}
        title={<><SafetyCertificateOutlined /> {t('verify.card')}</>}
        extra={
          <Space wrap>
            <Button onClick={() => full.mutate()} loading={full.isPending} data-testid="audit-verify">
              {t('verify.full')}
            </Button>
            <Button type="primary" icon={<AuditOutlined />} onClick={() => checkpoint.mutate()} loading={checkpoint.isPending} data-testid="audit-checkpoint">
              {t('verify.checkpoint')}
            </Button>
          </Space>
        }
      >
        {first.error ? <ErrorAlert error={first.error} /> : null}
        {full.error ? <ErrorAlert error={full.error} /> : null}
        {checkpoint.error ? <ErrorAlert error={checkpoint.error} /> : null}
        {!v ? (
          <Typography.Text type="secondary">{t('verify.checking')}</Typography.Text>
        ) : (
          <div data-testid="audit-verify-result" data-ok={String(v.ok)} data-problem={v.first_bad?.problem ?? ''}>
            <Alert
              style={{ marginBottom: 12 }}
              type={v.ok ? 'success' : 'error'}
              showIcon
              message={
                v.ok
                  ? t(v.mode === 'full' ? 'verify.okFull' : 'verify.okIncremental', { entries: v.entries, checked: v.checked })
                  : t('verify.bad', { problem: problem(v.first_bad!.problem) })
              }
              description={
                <>
                  {v.first_bad ? <div>{lang === 'en' ? v.first_bad.message_en : v.first_bad.message}</div> : null}
                  {v.written !== undefined ? (
                    <div data-testid="audit-checkpoint-written">{v.written ? t('verify.written', { seq: v.written.seq, entries: v.written.entries }) : t('verify.notWritten')}</div>
                  ) : null}
                </>
              }
            />
            <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered>
              <Descriptions.Item label={t('verify.mode')}>{t(v.mode === 'full' ? 'verify.modeFull' : 'verify.modeIncremental')}</Descriptions.Item>
              <Descriptions.Item label={t('verify.head')}>
                #{v.head.seq} <Typography.Text code copyable={{ text: v.head.hash }}>{v.head.hash.slice(0, 16)}…</Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t('verify.key')}>
                {v.key.epoch_seq === null ? t('verify.keyNone', { id: v.key.id }) : t('verify.keyValue', { id: v.key.id, epoch: v.key.epoch_seq })}
                {v.key.legacy_entries ? <div style={{ color: '#888' }}>{t('verify.legacy', { n: v.key.legacy_entries })}</div> : null}
              </Descriptions.Item>
              <Descriptions.Item label={t('verify.checkpoints')}>
                <span data-testid="audit-checkpoints">
                  {v.checkpoints.latest
                    ? t('verify.checkpointLatest', { valid: v.checkpoints.valid, seq: v.checkpoints.latest.seq, entries: v.checkpoints.latest.entries, at: when(v.checkpoints.latest.at) })
                    : t('verify.checkpointNone')}
                  {v.checkpoints.invalid ? <Typography.Text type="danger">{lang === 'en' ? '; ' : '；'}{t('verify.checkpointInvalid', { n: v.checkpoints.invalid })}</Typography.Text> : null}
                </span>
              </Descriptions.Item>
            </Descriptions>
          </div>
        )}
      </Card>

      <div className="toolbar">
        <Input.Search allowClear placeholder={t('filter.actor')} onSearch={(s) => set('actor')(s.trim())} style={{ width: 160 }} data-testid="audit-filter-actor" />
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('filter.entity')}
          style={{ width: 170 }}
          onChange={(s?: string) => set('entity')(s)}
          options={ENTITIES.map((e) => ({ value: e, label: label('entity', e) }))}
          data-testid="audit-filter-entity"
        />
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('filter.action')}
          style={{ width: 170 }}
          onChange={(s?: string) => set('action')(s)}
          options={ACTIONS.map((a) => ({ value: a, label: label('action', a) }))}
          data-testid="audit-filter-action"
        />
        <DateInput onChange={(v) => set('from')(v ?? '')} style={{ width: 150 }} aria-label={t('filter.from')} title={t('filter.from')} />
        <DateInput onChange={(v) => set('to')(v ?? '')} style={{ width: 150 }} aria-label={t('filter.to')} title={t('filter.to')} />
      </div>
      <Table<Entry>
        rowKey="seq"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 'max-content' }}
        data-testid="audit-table"
        pagination={{ current: page, pageSize, total: list.data?.total ?? 0, showSizeChanger: true, onChange: (p, s) => (setPage(p), setPageSize(s)) }}
        expandable={{
          expandedRowRender: (e) => (
            <div style={{ display: 'flex', gap: 16 }}>
              <div style={{ flex: 1 }}>
                <Typography.Text strong>{t('col.before')}</Typography.Text>
                <pre style={{ whiteSpace: 'pre-wrap', fontSize: 12 }}>{JSON.stringify(e.before ?? null, null, 2)}</pre>
              </div>
              <div style={{ flex: 1 }}>
                <Typography.Text strong>{t('col.after')}</Typography.Text>
                <pre style={{ whiteSpace: 'pre-wrap', fontSize: 12 }}>{JSON.stringify(e.after ?? null, null, 2)}</pre>
              </div>
            </div>
          ),
        }}
        columns={[
          { title: t('col.seq'), dataIndex: 'seq' },
          { title: t('col.at'), dataIndex: 'at', render: (s: string) => when(s) },
          { title: t('col.actor'), dataIndex: 'actor' },
          { title: t('col.action'), dataIndex: 'action', render: (a: string) => label('action', a) },
          { title: t('col.entity'), dataIndex: 'entity', render: (e: string) => label('entity', e) },
          { title: t('col.entityId'), dataIndex: 'entity_id' },
        ]}
      />
    </div>
  );
}

/**
 * The history of evaluation runs: label, system and version, data set, units, replications,
 * seed, data fingerprint, time taken, who and when; filtered by system, data set and text,
 * sorted and paged with the state in the address, exported as CSV. Each run can be reproduced
 * (GET runs/:id/reproduce recomputes it from the stored inputs and compares every figure) or
 * run again with changed settings.
 */
import { DeleteOutlined, DownloadOutlined, PlayCircleOutlined, RedoOutlined, SyncOutlined } from '@ant-design/icons';
import { Alert, Button, Input, Popconfirm, Select, Space, Table, Tooltip, message } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api } from '../../api.ts';
import { ErrorAlert, ErrorPage } from '../../components/ErrorView.tsx';
import { EmptyState, Loading } from '../../components/PageState.tsx';
import { BASE, bilingual, compareCells, dateTime, frameworkName, matches, saveCsv, useCanWrite, useFrameworks, useIsAdmin, useListState, useRefresh, useRuns } from './data.ts';
import { PageTitle, useI, useReproduce } from './shared.tsx';
import type { RunSummary } from './types.ts';

export default function RunList() {
  const { t, lang } = useI();
  const navigate = useNavigate();
  const canWrite = useCanWrite();
  const isAdmin = useIsAdmin();
  const refresh = useRefresh();
  const s = useListState({ sort: 'id', order: 'desc' });
  const framework = Number(s.params.get('framework') ?? '') || undefined;
  const dataset = Number(s.params.get('dataset') ?? '') || undefined;
  const runs = useRuns({ framework, dataset });
  const frameworks = useFrameworks();
  const reproduce = useReproduce();
  const [delError, setDelError] = useState<unknown>(null);

  const label = (r: RunSummary) => bilingual(r.label, lang) || `#${r.id}`;
  const key = (r: RunSummary): unknown =>
    s.sort === 'label' ? label(r) : s.sort === 'framework' ? r.framework.key : s.sort === 'dataset' ? r.dataset.name : s.sort === 'units' ? r.units_out : s.sort === 'replications' ? r.replications : s.sort === 'duration' ? r.duration_ms : s.sort === 'created' ? r.created_at : r.id;
  const rows = (runs.data?.items ?? []).filter((r) => matches(s.q, r.label, r.framework.key, r.framework.name, r.dataset.name, r.created_by, r.id)).sort((a, b) => (s.order === 'desc' ? -1 : 1) * compareCells(key(a), key(b)));
  const so = (k: string) => (s.sort === k ? (s.order === 'desc' ? ('descend' as const) : ('ascend' as const)) : null);

  const exportCsv = () =>
    saveCsv(
      lang === 'en' ? 'evaluation-runs.csv' : '评价记录.csv',
      ['#', t('f.label'), t('f.framework'), t('f.version'), t('f.dataset'), t('f.units'), t('f.replications'), t('f.seed'), t('f.dataHash'), t('f.engine'), t('f.duration'), t('f.createdBy'), t('f.createdAt')],
      rows.map((r) => [r.id, label(r), r.framework.key, r.version, r.dataset.name, r.units_out, r.replications ?? '', r.seed, r.data_hash, r.engine_version, r.duration_ms ?? '', r.created_by ?? '', r.created_at]),
    );

  const remove = async (r: RunSummary) => {
    setDelError(null);
    try {
      await api.del(`${BASE}/runs/${r.id}`);
      message.success(t('common.deleted'));
      await refresh();
    } catch (e) {
      setDelError(e);
    }
  };

  return (
    <div className="page-card">
      <PageTitle zh="评价记录" en="Evaluation runs" />
      <Alert type="info" showIcon title={t('runs.help')} style={{ marginBottom: 12 }} />
      <div className="toolbar">
        <Select<number>
          allowClear
          placeholder={t('f.framework')}
          value={framework}
          onChange={(v) => s.set({ framework: v ? String(v) : undefined, dataset: undefined })}
          options={(frameworks.data?.items ?? []).map((f) => ({ value: f.id, label: frameworkName(f, lang) }))}
          style={{ width: 320 }}
          data-testid="runs-framework"
        />
        {dataset ? (
          <Button onClick={() => s.set({ dataset: undefined })}>
            {t('f.dataset')} #{dataset} ✕
          </Button>
        ) : null}
        <Input.Search allowClear defaultValue={s.q} placeholder={t('common.search')} onSearch={(v) => s.set({ q: v.trim() || undefined })} style={{ width: 260 }} />
        <span className="spacer" />
        <Button icon={<DownloadOutlined />} onClick={exportCsv} disabled={!rows.length}>
          {t('common.exportCsv')}
        </Button>
        {canWrite ? (
          <Button type="primary" icon={<PlayCircleOutlined />} onClick={() => navigate('/indicators/runs/new')} data-testid="runs-new">
            {t('title.newRun')}
          </Button>
        ) : null}
      </div>
      {delError ? <ErrorAlert error={delError} /> : null}
      {runs.error ? (
        <ErrorPage error={runs.error} retry={() => runs.refetch()} />
      ) : (
        <Table<RunSummary>
          rowKey="id"
          size="middle"
          loading={runs.isFetching}
          dataSource={rows}
          scroll={{ x: 'max-content' }}
          data-testid="runs-table"
          locale={{ emptyText: runs.isLoading ? <Loading /> : <EmptyState hint={t('runs.empty')} /> }}
          onChange={(p, _f, sorter) => {
            const x = Array.isArray(sorter) ? sorter[0] : sorter;
            s.set({ sort: x?.order ? String(x.columnKey) : undefined, order: x?.order === 'descend' ? 'desc' : x?.order ? 'asc' : undefined, page: String(p.current ?? 1), pageSize: String(p.pageSize ?? 20) }, false);
          }}
          pagination={{ current: s.page, pageSize: s.pageSize, showSizeChanger: true, showTotal: (n) => t('common:state.total', { total: n }) }}
          columns={[
            { key: 'id', title: '#', dataIndex: 'id', sorter: true, sortOrder: so('id'), width: 60 },
            { key: 'label', title: t('f.label'), sorter: true, sortOrder: so('label'), width: 320, render: (_: unknown, r) => <Link to={`/indicators/runs/${r.id}`} data-testid={`run-link-${r.id}`}>{label(r)}</Link> },
            { key: 'framework', title: t('f.framework'), sorter: true, sortOrder: so('framework'), render: (_: unknown, r) => <Link to={`/indicators/frameworks/${r.framework.id}?version=${r.version}`}><code>{r.framework.key}</code> v{r.version}</Link> },
            { key: 'dataset', title: t('f.dataset'), sorter: true, sortOrder: so('dataset'), render: (_: unknown, r) => <Link to={`/indicators/datasets/${r.dataset.id}`}>{r.dataset.name}</Link> },
            { key: 'units', title: t('f.units'), sorter: true, sortOrder: so('units'), align: 'right', render: (_: unknown, r) => (r.units_out === r.units_in ? r.units_out : `${r.units_out} / ${r.units_in}`) },
            { key: 'replications', title: t('f.replications'), sorter: true, sortOrder: so('replications'), align: 'right', render: (_: unknown, r) => r.replications ?? '—' },
            { key: 'seed', title: t('f.seed'), dataIndex: 'seed', align: 'right' },
            { key: 'created', title: t('f.createdAt'), sorter: true, sortOrder: so('created'), render: (_: unknown, r) => `${r.created_by ?? ''} · ${dateTime(r.created_at, lang)}` },
            {
              key: 'actions',
              title: t('f.actions'),
              fixed: 'right',
              render: (_: unknown, r) => (
                <Space size={2}>
                  <Button size="small" icon={<SyncOutlined spin={reproduce.busyId === r.id} />} onClick={() => reproduce.start(r.id)} data-testid={`reproduce-${r.id}`}>
                    {t('runs.reproduce')}
                  </Button>
                  {canWrite ? (
                    <Tooltip title={t('runs.again')}>
                      <Button size="small" type="text" icon={<RedoOutlined />} onClick={() => navigate(`/indicators/runs/new?from=${r.id}`)} aria-label={t('runs.again')} />
                    </Tooltip>
                  ) : null}
                  {isAdmin ? (
                    <Popconfirm title={t('common.confirmDelete')} onConfirm={() => remove(r)} okText={t('common.delete')} cancelText={t('common:action.cancel')}>
                      <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                    </Popconfirm>
                  ) : null}
                </Space>
              ),
            },
          ]}
        />
      )}
      {reproduce.dialog}
    </div>
  );
}

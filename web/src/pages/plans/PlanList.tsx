/**
 * The action plans the user may see: name, region, period, owner, numbers of targets and
 * tasks; filtered, sorted and paged with the state in the address; exported as CSV; and the
 * import of a new plan for officers.
 */
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Button, Input, Table } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { hasRole, useUser } from '../../auth.tsx';
import { ErrorPage } from '../../components/ErrorView.tsx';
import { EmptyState, Loading } from '../../components/PageState.tsx';
import { useLang } from '../../i18n.ts';
import { saveCsv, usePlans } from './data.ts';
import { NS } from './messages.ts';
import { PlanImport } from './PlanImport.tsx';
import type { PlanSummary } from './types.ts';

const IMPORTERS = ['admin', 'bureau', 'district'] as const;

const period = (p: PlanSummary) => (p.period_start || p.period_end ? `${p.period_start?.slice(0, 4) ?? '…'}—${p.period_end?.slice(0, 4) ?? '…'}` : '—');

export default function PlanList() {
  const { t, lang } = useLang([NS, 'common']);
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const [importing, setImporting] = useState(params.get('import') === '1');
  const plans = usePlans();
  const q = params.get('q') ?? '';
  const page = Number(params.get('page') ?? '1') || 1;
  const sort = params.get('sort') ?? 'created';
  const order = params.get('order') === 'asc' ? 'asc' : 'desc';

  const set = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) v ? next.set(k, v) : next.delete(k);
    setParams(next, { replace: true });
  };

  const all = plans.data?.items ?? [];
  const needle = q.trim().toLowerCase();
  const rows = all
    .filter((p) => !needle || [p.name, p.region?.name, p.owner].some((s) => s?.toLowerCase().includes(needle)))
    .sort((a, b) => {
      const key = (p: PlanSummary): string | number =>
        sort === 'name' ? p.name : sort === 'targets' ? p.targets : sort === 'tasks' ? p.tasks : sort === 'period' ? (p.period_start ?? '') : p.created_at;
      const x = key(a);
      const y = key(b);
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'zh-CN');
      return order === 'asc' ? c : -c;
    });

  const sortOrder = (k: string) => (sort === k ? (order === 'asc' ? ('ascend' as const) : ('descend' as const)) : null);

  const exportCsv = () =>
    saveCsv(
      lang === 'en' ? 'action-plans.csv' : '行动计划.csv',
      [t('list.name'), t('list.region'), t('list.period'), t('list.owner'), t('list.targets'), t('list.tasks'), t('list.created')],
      rows.map((p) => [p.name, p.region?.name ?? '', period(p), p.owner ?? '', p.targets, p.tasks, p.created_at.slice(0, 10)]),
    );

  return (
    <div className="page-card">
      <h2 className="page-title" data-testid="page-title">
        {t('title.list')}
        <span className="en">{lang === 'en' ? '行动计划' : 'Action plans'}</span>
      </h2>
      <div className="toolbar">
        <Input.Search allowClear defaultValue={q} placeholder={t('list.search')} onSearch={(v) => set({ q: v.trim() || undefined, page: undefined })} style={{ width: 320 }} data-testid="plans-search" />
        <span className="spacer" />
        <Button icon={<DownloadOutlined />} onClick={exportCsv} disabled={!rows.length} data-testid="plans-export">
          {t('list.exportCsv')}
        </Button>
        {hasRole(user, IMPORTERS) ? (
          <Button type="primary" icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="plans-import">
            {t('list.import')}
          </Button>
        ) : null}
      </div>
      {plans.error ? (
        <ErrorPage error={plans.error} retry={() => plans.refetch()} />
      ) : plans.isLoading ? (
        <Loading />
      ) : (
        <Table<PlanSummary>
          rowKey="id"
          dataSource={rows}
          data-testid="plans-table"
          locale={{ emptyText: <EmptyState hint={all.length ? undefined : t('list.emptyHint')} /> }}
          onChange={(p, _f, sorter) => {
            const s = Array.isArray(sorter) ? sorter[0] : sorter;
            set({ page: p.current && p.current > 1 ? String(p.current) : undefined, sort: s?.order ? String(s.columnKey) : undefined, order: s?.order === 'ascend' ? 'asc' : undefined });
          }}
          pagination={{ current: page, pageSize: 20, showTotal: (n) => t('common:state.total', { total: n }), hideOnSinglePage: false }}
          columns={[
            { key: 'name', title: t('list.name'), sorter: true, sortOrder: sortOrder('name'), render: (_, p) => <Link to={`/plans/${p.id}`} data-testid={`plan-link-${p.id}`}>{p.name}</Link> },
            { key: 'region', title: t('list.region'), render: (_, p) => p.region?.name ?? '—' },
            { key: 'period', title: t('list.period'), sorter: true, sortOrder: sortOrder('period'), render: (_, p) => period(p) },
            { key: 'owner', title: t('list.owner'), render: (_, p) => p.owner ?? '—' },
            { key: 'targets', title: t('list.targets'), align: 'right', sorter: true, sortOrder: sortOrder('targets'), dataIndex: 'targets' },
            { key: 'tasks', title: t('list.tasks'), align: 'right', sorter: true, sortOrder: sortOrder('tasks'), dataIndex: 'tasks' },
            { key: 'created', title: t('list.created'), sorter: true, sortOrder: sortOrder('created'), render: (_, p) => new Date(p.created_at).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN') },
          ]}
        />
      )}
      <PlanImport open={importing} onClose={() => setImporting(false)} />
    </div>
  );
}

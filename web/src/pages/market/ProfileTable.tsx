/**
 * A table of demands and offers from /api/market/profiles: search (Chinese or English words),
 * filters (status, field, my organisation), server-side sorting and paging, all kept in the
 * address; export (Excel or CSV) of exactly that list by the server's
 * /api/market/profiles/export. Used by the demand and offer lists and by the officers' review
 * queue.
 */
import { DownloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Checkbox, Dropdown, Input, Select, Table, type TableProps } from 'antd';
import type { ColumnType } from 'antd/es/table';
import { useEffect, useState, type ReactNode } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api, download, type Query } from '../../api.ts';
import { useUser } from '../../auth.tsx';
import { ErrorPage } from '../../components/ErrorView.tsx';
import { EmptyState, Loading } from '../../components/PageState.tsx';
import { fmtDate, profileTitle, StatusTag, useLabels, useM, type Profile, type ProfileKind, type ProfilePage, type ProfileStatus } from './shared.tsx';

type SortKey = 'title' | 'status' | 'field' | 'trl' | 'org' | 'country_iso3' | 'expires_on' | 'updated_at';

interface Props {
  kind?: ProfileKind;
  /** A fixed status (the review queue); otherwise a filter. */
  status?: ProfileStatus;
  emptyHint?: ReactNode;
  extra?: ReactNode;
  testid?: string;
}

export function ProfileTable({ kind, status, emptyHint, extra, testid = 'profile-table' }: Props) {
  const { t, lang } = useM();
  const user = useUser();
  const labels = useLabels();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const page = Number(params.get('page') ?? '1') || 1;
  const pageSize = Number(params.get('pageSize') ?? '20') || 20;
  const statusFilter = status ?? ((params.get('status') as ProfileStatus | null) ?? undefined);
  const field = params.get('field') ?? undefined;
  const q = params.get('q') ?? undefined;
  const mine = params.get('mine') === '1' && user.org_id != null;
  const sort = params.get('sort') as SortKey | null;
  const order = params.get('order') === 'desc' ? 'desc' : 'asc';
  const [text, setText] = useState(q ?? '');
  useEffect(() => setText(q ?? ''), [q]);

  // The server filters, searches and sorts; the export asks it for the same list.
  const filter: Query = { kind, status: statusFilter, field, org_id: mine ? user.org_id : undefined, q, sort: sort ?? undefined, order: sort ? order : undefined };
  const list = useQuery({
    queryKey: ['market', 'profiles', filter, page, pageSize],
    queryFn: () => api.get<ProfilePage>('/api/market/profiles', { ...filter, page, pageSize }),
    placeholderData: keepPreviousData,
  });

  const update = (patch: Record<string, string | undefined>, resetPage = true) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || v === '') next.delete(k);
      else next.set(k, v);
    }
    if (resetPage) next.delete('page');
    setParams(next);
  };

  const col = (k: SortKey, title: string, render: (p: Profile) => ReactNode, more: ColumnType<Profile> = {}): ColumnType<Profile> => ({
    key: k,
    title,
    sorter: true,
    sortOrder: sort === k ? (order === 'desc' ? 'descend' : 'ascend') : null,
    render: (_: unknown, p: Profile) => render(p),
    ...more,
  });

  const columns: TableProps<Profile>['columns'] = [
    col('title', t('f.title'), (p) => (
      <Link to={`/market/profiles/${p.id}`} data-testid="profile-link" data-id={p.id}>
        {profileTitle(p, lang)}
      </Link>
    ), { ellipsis: true, width: 360 }),
    ...(kind ? [] : [{ key: 'kind', title: t('f.kind'), render: (_: unknown, p: Profile) => t(`kind.${p.kind}`) }]),
    col('status', t('f.status'), (p) => <StatusTag p={p} />),
    col('field', t('f.field'), (p) => labels.field(p.field) || '—'),
    col('trl', 'TRL', (p) => p.trl ?? '—', { align: 'right' as const }),
    { key: 'cooperation', title: t('f.cooperation'), render: (_: unknown, p: Profile) => p.cooperation.map(labels.coop).join(lang === 'en' ? ', ' : '、') || '—' },
    col('org', t('f.org'), (p) => p.org?.name ?? '—', { ellipsis: true }),
    col('country_iso3', t('f.country'), (p) => p.country_iso3 ?? '—'),
    col('expires_on', t('f.expires_on'), (p) => fmtDate(p.expires_on)),
    col('updated_at', t('f.updated_at'), (p) => fmtDate(p.updated_at, true)),
  ];

  return (
    <>
      <div className="toolbar">
        <Input.Search
          allowClear
          placeholder={t('common:registry.searchPlaceholder')}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onSearch={(v) => update({ q: v.trim() || undefined })}
          style={{ width: 260 }}
          enterButton={t('common:action.search')}
          data-testid="profile-search"
        />
        {status ? null : (
          <Select allowClear placeholder={t('f.status')} value={statusFilter} onChange={(v) => update({ status: v ?? undefined })} options={labels.statusOptions} style={{ width: 150 }} data-testid="filter-status" />
        )}
        <Select allowClear showSearch={{ optionFilterProp: 'label' }} placeholder={t('f.field')} value={field} onChange={(v) => update({ field: v ?? undefined })} options={labels.fieldOptions} style={{ width: 220 }} data-testid="filter-field" />
        {user.org_id != null ? (
          <Checkbox checked={mine} onChange={(e) => update({ mine: e.target.checked ? '1' : undefined })} data-testid="filter-mine">
            {t('list.mine')}
          </Checkbox>
        ) : null}
        <span className="spacer" />
        <Dropdown
          menu={{
            items: [
              { key: 'xlsx', label: t('common:action.exportXlsx') },
              { key: 'csv', label: t('common:action.exportCsv') },
            ],
            onClick: ({ key }) => download('/api/market/profiles/export', { ...filter, format: key }),
          }}
        >
          <Button icon={<DownloadOutlined />} title={t('list.exportHint')} data-testid="export">
            {t('common:action.export')}
          </Button>
        </Dropdown>
        {extra}
      </div>
      {list.error ? (
        <ErrorPage error={list.error} retry={() => list.refetch()} />
      ) : (
        <Table<Profile>
          rowKey="id"
          size="middle"
          loading={list.isFetching}
          dataSource={list.data?.items ?? []}
          columns={columns}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: list.isLoading ? <Loading /> : <EmptyState hint={emptyHint ?? t('list.emptyHint')} /> }}
          data-testid={testid}
          onRow={(p) => ({ onDoubleClick: () => navigate(`/market/profiles/${p.id}`) })}
          onChange={(_p, _f, sorter, extraInfo) => {
            if (extraInfo.action !== 'sort') return;
            const s = Array.isArray(sorter) ? sorter[0] : sorter;
            if (s?.order) update({ sort: String(s.columnKey), order: s.order === 'descend' ? 'desc' : 'asc' }, false);
            else update({ sort: undefined, order: undefined }, false);
          }}
          pagination={{
            current: page,
            pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [10, 20, 50, 100],
            showTotal: (total) => <span data-testid="total">{t('common:state.total', { total })}</span>,
            onChange: (p, s) => update({ page: String(p), pageSize: String(s) }, false),
          }}
        />
      )}
    </>
  );
}

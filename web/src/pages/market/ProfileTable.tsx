/**
 * A table of demands and offers from /api/market/profiles: filters (status, field, my
 * organisation), paging and sorting kept in the address, CSV export of every record of the
 * current filter. Used by the demand and offer lists and by the officers' review queue.
 */
import { DownloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { App, Button, Checkbox, Select, Table, Tooltip, type TableProps } from 'antd';
import type { ColumnType } from 'antd/es/table';
import { useState, type ReactNode } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api, type Query } from '../../api.ts';
import { useUser } from '../../auth.tsx';
import { ErrorPage } from '../../components/ErrorView.tsx';
import { EmptyState, Loading } from '../../components/PageState.tsx';
import { fmtDate, profileTitle, saveCsv, StatusTag, useLabels, useM, type Profile, type ProfileKind, type ProfilePage, type ProfileStatus } from './shared.tsx';

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
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const [exporting, setExporting] = useState(false);
  const page = Number(params.get('page') ?? '1') || 1;
  const pageSize = Number(params.get('pageSize') ?? '20') || 20;
  const statusFilter = status ?? ((params.get('status') as ProfileStatus | null) ?? undefined);
  const field = params.get('field') ?? undefined;
  const mine = params.get('mine') === '1' && user.org_id != null;
  const sort = params.get('sort') as SortKey | null;
  const order = params.get('order') === 'desc' ? 'descend' : 'ascend';

  const filter: Query = { kind, status: statusFilter, field, org_id: mine ? user.org_id : undefined };
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

  const value = (p: Profile, k: SortKey): string | number => {
    switch (k) {
      case 'title':
        return profileTitle(p, lang);
      case 'status':
        return lang === 'en' ? p.status_en : p.status_zh;
      case 'field':
        return labels.field(p.field);
      case 'trl':
        return p.trl ?? -1;
      case 'org':
        return p.org?.name ?? '';
      default:
        return p[k] ?? '';
    }
  };
  const cmp = (k: SortKey) => (a: Profile, b: Profile) => {
    const x = value(a, k);
    const y = value(b, k);
    return typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), lang === 'en' ? 'en' : 'zh-CN');
  };
  const col = (k: SortKey, title: string, render: (p: Profile) => ReactNode, more: ColumnType<Profile> = {}): ColumnType<Profile> => ({
    key: k,
    title: <Tooltip title={t('list.sortHint')}>{title}</Tooltip>,
    sorter: cmp(k),
    sortOrder: sort === k ? order : null,
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

  /** Every record of the current filter, page by page (the API gives at most 200 a page). */
  const exportCsv = async () => {
    setExporting(true);
    try {
      const rows: Profile[] = [];
      for (let p = 1; p <= 500; p++) {
        const r = await api.get<ProfilePage>('/api/market/profiles', { ...filter, page: p, pageSize: 200 });
        rows.push(...r.items);
        if (rows.length >= r.total || r.items.length === 0) break;
      }
      if (sort) rows.sort((a, b) => cmp(sort)(a, b) * (order === 'descend' ? -1 : 1));
      const header = ['id', t('f.kind'), t('f.status'), t('f.title_zh'), t('f.title_en'), t('f.field'), 'TRL', t('f.ipr'), t('f.cooperation'), t('f.keywords'), t('f.org'), t('f.country'), t('f.expires_on'), t('f.published_at'), t('f.updated_at'), t('f.summary_zh'), t('f.summary_en')];
      saveCsv(
        `${kind ?? 'profiles'}-${new Date().toISOString().slice(0, 10)}.csv`,
        header,
        rows.map((p) => [p.id, t(`kind.${p.kind}`), lang === 'en' ? p.status_en : p.status_zh, p.title_zh, p.title_en, labels.field(p.field), p.trl, labels.ipr(p.ipr), p.cooperation.map(labels.coop).join('; '), p.keywords.join('; '), p.org?.name, p.country_iso3, p.expires_on, fmtDate(p.published_at), fmtDate(p.updated_at, true), p.summary_zh, p.summary_en]),
      );
      void message.success(t('list.exported', { n: rows.length }));
    } catch (e) {
      void message.error(e instanceof Error ? e.message : String(e));
    } finally {
      setExporting(false);
    }
  };

  return (
    <>
      <div className="toolbar">
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
        <Tooltip title={t('list.exportHint')}>
          <Button icon={<DownloadOutlined />} onClick={exportCsv} loading={exporting} data-testid="export">
            {t('list.exportCsv')}
          </Button>
        </Tooltip>
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

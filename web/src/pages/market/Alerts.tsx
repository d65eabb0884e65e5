/**
 * Match alerts (匹配提醒): newly published offers or demands that entered the top matches of
 * the organisation's demands, offers or saved searches, with the rank, score and reasons;
 * marked read one by one. Below, the saved searches: run one again, or delete it.
 */
import { DeleteOutlined, SearchOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, Card, Checkbox, Popconfirm, Space, Table, Tag, Typography, type TableProps } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api } from '../../api.ts';
import { ErrorAlert, ErrorPage } from '../../components/ErrorView.tsx';
import { EmptyState, Loading } from '../../components/PageState.tsx';
import { fmtDate, fmtScore, KindTag, PageTitle, ReasonList, useLabels, useM, type Alert, type SavedSearch } from './shared.tsx';

export default function Alerts() {
  const { t, lang } = useM();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const labels = useLabels();
  const { message } = App.useApp();
  const [unread, setUnread] = useState(false);
  const alerts = useQuery({ queryKey: ['market', 'alerts', { unread }], queryFn: () => api.get<{ items: Alert[] }>('/api/market/alerts', unread ? { unread: 'true' } : {}) });
  const searches = useQuery({ queryKey: ['market', 'searches'], queryFn: () => api.get<{ items: SavedSearch[] }>('/api/market/searches') });
  const read = useMutation({
    mutationFn: (id: number) => api.post<Alert>(`/api/market/alerts/${id}/read`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['market', 'alerts'] }),
  });
  const remove = useMutation({
    mutationFn: (id: number) => api.del(`/api/market/searches/${id}`),
    onSuccess: () => {
      void message.success(t('common:state.deleted'));
      void qc.invalidateQueries({ queryKey: ['market', 'searches'] });
    },
  });

  const alertColumns: TableProps<Alert>['columns'] = [
    {
      key: 'state',
      title: '',
      width: 70,
      render: (_, a) => (a.read_at ? <Badge status="default" text={t('alerts.isRead')} /> : <Badge status="processing" text={t('alerts.new')} />),
    },
    {
      key: 'message',
      title: t('alerts.list'),
      render: (_, a) => (
        <Space direction="vertical" size={2}>
          <span data-testid="alert-message">{lang === 'en' ? a.message_en : a.message}</span>
          <Space size={4}>
            <KindTag kind={a.profile.kind} />
            <Link to={`/market/profiles/${a.profile.id}`}>{a.profile.title}</Link>
          </Space>
        </Space>
      ),
    },
    { key: 'rank', title: '#', dataIndex: 'rank', align: 'right', width: 50, sorter: (a, b) => a.rank - b.rank },
    { key: 'score', title: t('home.score'), align: 'right', width: 90, render: (_, a) => fmtScore(a.score), sorter: (a, b) => a.score - b.score },
    { key: 'created', title: t('alerts.created'), width: 150, render: (_, a) => fmtDate(a.created_at, true), sorter: (a, b) => a.created_at.localeCompare(b.created_at), defaultSortOrder: 'descend' },
    {
      key: 'actions',
      title: '',
      width: 110,
      render: (_, a) =>
        a.read_at ? null : (
          <Button size="small" loading={read.isPending && read.variables === a.id} onClick={() => read.mutate(a.id)} data-testid="alert-read">
            {t('alerts.read')}
          </Button>
        ),
    },
  ];

  const filtersText = (s: SavedSearch) => {
    const f = s.filters as { country?: string[]; field?: string[]; trl_min?: number; trl_max?: number; cooperation?: string[] };
    const parts = [
      ...(f.country ?? []),
      ...(f.field ?? []).map(labels.field),
      f.trl_min !== undefined || f.trl_max !== undefined ? `TRL ${f.trl_min ?? 1}–${f.trl_max ?? 9}` : '',
      ...(f.cooperation ?? []).map(labels.coop),
    ].filter(Boolean);
    return parts.length ? parts.map((p) => <Tag key={p}>{p}</Tag>) : '—';
  };
  const runUrl = (s: SavedSearch) => {
    const f = s.filters as { country?: string[]; field?: string[]; trl_min?: number; trl_max?: number; cooperation?: string[] };
    const p = new URLSearchParams({ q: s.text, kind: s.kind === 'offer' ? 'offers' : 'demands' });
    if (f.country?.[0]) p.set('country', f.country[0]);
    if (f.field?.length) p.set('field', f.field.join(','));
    if (f.trl_min !== undefined) p.set('trl_min', String(f.trl_min));
    if (f.trl_max !== undefined) p.set('trl_max', String(f.trl_max));
    if (f.cooperation?.length) p.set('cooperation', f.cooperation.join(','));
    return `/market?${p}`;
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <div className="page-card">
        <PageTitle k="alerts" />
        <Typography.Paragraph type="secondary">{t('alerts.intro')}</Typography.Paragraph>
        <div className="toolbar">
          <Checkbox checked={unread} onChange={(e) => setUnread(e.target.checked)} data-testid="alerts-unread">
            {t('alerts.unread')}
          </Checkbox>
        </div>
        {read.error ? <ErrorAlert error={read.error} /> : null}
        {alerts.error ? (
          <ErrorPage error={alerts.error} retry={() => alerts.refetch()} />
        ) : (
          <Table<Alert>
            rowKey="id"
            size="middle"
            loading={alerts.isFetching}
            dataSource={alerts.data?.items ?? []}
            columns={alertColumns}
            data-testid="alerts-table"
            locale={{ emptyText: alerts.isLoading ? <Loading /> : <EmptyState hint={t('alerts.intro')}>{t('alerts.empty')}</EmptyState> }}
            expandable={{ expandedRowRender: (a) => <ReasonList reasons={a.reasons} /> }}
            pagination={{ pageSize: 20, showTotal: (total) => t('common:state.total', { total }) }}
          />
        )}
      </div>
      <Card title={t('alerts.searches')} data-testid="saved-searches">
        {remove.error ? <ErrorAlert error={remove.error} /> : null}
        {searches.error ? (
          <ErrorAlert error={searches.error} />
        ) : (
          <Table<SavedSearch>
            rowKey="id"
            size="small"
            loading={searches.isFetching}
            dataSource={searches.data?.items ?? []}
            locale={{ emptyText: searches.isLoading ? <Loading /> : <EmptyState hint={t('alerts.noSearches')} /> }}
            pagination={false}
            columns={[
              { key: 'name', title: t('save.name'), dataIndex: 'name' },
              { key: 'text', title: t('home.search'), dataIndex: 'text', ellipsis: true },
              { key: 'kind', title: t('alerts.kind'), render: (_, s) => t(`kind.${s.kind}`) },
              { key: 'filters', title: t('alerts.filters'), render: (_, s) => filtersText(s) },
              { key: 'created', title: t('alerts.created'), render: (_, s) => fmtDate(s.created_at, true) },
              {
                key: 'actions',
                title: '',
                render: (_, s) => (
                  <Space>
                    <Button size="small" icon={<SearchOutlined />} onClick={() => navigate(runUrl(s))}>
                      {t('alerts.run')}
                    </Button>
                    <Popconfirm title={t('alerts.confirmDelete')} onConfirm={() => remove.mutate(s.id)}>
                      <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('common:action.delete')} />
                    </Popconfirm>
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Card>
    </Space>
  );
}

/**
 * A record's detail page: every field with its label, the record's related records (a
 * project's partners, funding lines and outputs), and edit / delete for those who may.
 */
import { DeleteOutlined, EditOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Popconfirm, Space, Table, Tag, Tooltip } from 'antd';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api } from '../../api.ts';
import { hasRole, useUser } from '../../auth.tsx';
import { ErrorAlert, ErrorPage } from '../../components/ErrorView.tsx';
import { Loading } from '../../components/PageState.tsx';
import { useLang } from '../../i18n.ts';
import { formatValue, label, useRegistry, type Row, REGISTRY_WRITERS } from './meta.ts';


type Related = Record<string, unknown>[];

function RelatedTable({ title, rows, columns, testid }: { title: string; rows: Related; columns: { key: string; zh: string; en: string; link?: (r: Record<string, unknown>) => string | null; num?: boolean }[]; testid: string }) {
  const { lang } = useLang();
  return (
    <Card size="small" title={`${title}（${rows.length}）`} style={{ marginTop: 16 }} data-testid={testid}>
      <Table
        size="small"
        rowKey={(r) => String(r.id)}
        dataSource={rows}
        pagination={rows.length > 10 ? { pageSize: 10 } : false}
        columns={columns.map((c) => ({
          key: c.key,
          dataIndex: c.key,
          title: lang === 'en' ? c.en : c.zh,
          align: c.num ? ('right' as const) : undefined,
          render: (v: unknown, r: Record<string, unknown>) => {
            const text = v === null || v === undefined ? '—' : typeof v === 'number' ? v.toLocaleString() : String(v);
            const to = c.link?.(r);
            return to ? <Link to={to}>{text}</Link> : text;
          },
        }))}
      />
    </Card>
  );
}

export default function RegistryDetail() {
  const { kind, id } = useParams();
  const { t, lang } = useLang();
  const user = useUser();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const { meta, isLoading } = useRegistry(kind);
  const rec = useQuery({ queryKey: [kind, Number(id)], queryFn: () => api.get<Row & Record<string, unknown>>(`/api/${kind}/${id}`), enabled: !!meta });
  const remove = useMutation({
    mutationFn: () => api.del(`/api/${kind}/${id}`),
    onSuccess: () => {
      void message.success(t('state.deleted'));
      void qc.invalidateQueries({ queryKey: [kind] });
      navigate(`/registries/${kind}`);
    },
  });
  if (isLoading || rec.isLoading) return <Loading />;
  if (!meta) return <ErrorPage error={{ status: 404 }} />;
  if (rec.error) return <ErrorPage error={rec.error} retry={() => rec.refetch()} />;
  const row = rec.data!;
  const title = String(row.title_zh ?? row.name_zh ?? row.title_en ?? row.name_en ?? row.title ?? row.code ?? `#${row.id}`);
  return (
    <div>
      <Card
        title={
          <span data-testid="detail-title">
            <Link to={`/registries/${meta.kind}`}>{label(meta, lang)}</Link> / {title}
          </span>
        }
        extra={
          hasRole(user, REGISTRY_WRITERS) ? (
            <Space>
              <Button icon={<EditOutlined />} onClick={() => navigate(`/registries/${meta.kind}/${row.id}/edit`)} data-testid="edit">
                {t('action.edit')}
              </Button>
              <Popconfirm title={t('action.confirmDelete')} onConfirm={() => remove.mutate()}>
                <Button danger icon={<DeleteOutlined />} loading={remove.isPending} data-testid="delete">
                  {t('action.delete')}
                </Button>
              </Popconfirm>
            </Space>
          ) : null
        }
      >
        {remove.error ? <ErrorAlert error={remove.error} /> : null}
        <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} data-testid="detail">
          {meta.fields.map((f) => (
            <Descriptions.Item key={f.name} label={label(f, lang)} span={f.type === 'longtext' ? 2 : 1}>
              {f.restricted && row[f.name] == null ? (
                <Tooltip title={t('registry.restricted')}>
                  <Tag>***</Tag>
                </Tooltip>
              ) : f.type === 'ref' && f.ref && f.ref !== 'admin_regions' && row[f.name] ? (
                <Link to={`/registries/${f.ref}/${row[f.name]}`}>{formatValue(meta, f, row, lang)}</Link>
              ) : (
                <span style={{ whiteSpace: 'pre-wrap' }}>{formatValue(meta, f, row, lang)}</span>
              )}
            </Descriptions.Item>
          ))}
          {meta.display
            .filter((d) => !meta.fields.some((f) => f.name === d.name) && ['partner_countries', 'funding_wan'].includes(d.name))
            .map((d) => (
              <Descriptions.Item key={d.name} label={label(d, lang)}>
                {row[d.name] == null ? '—' : String(row[d.name])}
              </Descriptions.Item>
            ))}
        </Descriptions>
      </Card>
      {Array.isArray(row.partners) ? (
        <RelatedTable
          title={t('registry.partners')}
          testid="related-partners"
          rows={row.partners as Related}
          columns={[
            { key: 'org_name', zh: '机构', en: 'Organisation', link: (r) => (r.org_id ? `/registries/organizations/${r.org_id}` : null) },
            { key: 'role', zh: '角色', en: 'Role' },
            { key: lang === 'en' ? 'country_name_en' : 'country_name_zh', zh: '国别', en: 'Country' },
            { key: 'contribution', zh: '贡献经费', en: 'Contribution', num: true },
            { key: 'currency', zh: '币种', en: 'Currency' },
          ]}
        />
      ) : null}
      {Array.isArray(row.funding) ? (
        <RelatedTable
          title={t('registry.funding')}
          testid="related-funding"
          rows={row.funding as Related}
          columns={[
            { key: 'year', zh: '年份', en: 'Year', link: (r) => `/registries/funding/${r.id}` },
            { key: 'level', zh: '级别', en: 'Level' },
            { key: 'source', zh: '来源', en: 'Source' },
            { key: 'amount', zh: '金额', en: 'Amount', num: true },
            { key: 'unit', zh: '单位', en: 'Unit' },
          ]}
        />
      ) : null}
      {Array.isArray(row.outputs) ? (
        <RelatedTable
          title={t('registry.outputs')}
          testid="related-outputs"
          rows={row.outputs as Related}
          columns={[
            { key: 'title', zh: '名称', en: 'Title', link: (r) => `/registries/outputs/${r.id}` },
            { key: 'kind', zh: '类型', en: 'Kind' },
            { key: 'year', zh: '年份', en: 'Year' },
            { key: 'quantity', zh: '数量', en: 'Quantity', num: true },
          ]}
        />
      ) : null}
    </div>
  );
}

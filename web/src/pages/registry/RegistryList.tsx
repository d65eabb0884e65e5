/**
 * The list page of any registry, drawn from its description: keyword search (Chinese or
 * English), a filter per filterable field, ranges on numbers and dates, sortable columns,
 * column choice (remembered), paging, and CSV/XLSX export of exactly what is filtered. The
 * state lives in the address, so a filtered list can be bookmarked and sent on.
 */
import { DownloadOutlined, PlusOutlined, SettingOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Checkbox, Dropdown, Input, InputNumber, Popover, Select, Space, Table, Tooltip, type TableProps } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { api, download } from '../../api.ts';
import { hasRole, useUser } from '../../auth.tsx';
import { ErrorPage } from '../../components/ErrorView.tsx';
import { EmptyState, Loading } from '../../components/PageState.tsx';
import { CountrySelect, RecordSelect, RegionSelect } from '../../components/RefSelect.tsx';
import { useLang } from '../../i18n.ts';
import { formatValue, label, useRegistry, type FieldMeta, type RegistryMeta, type Row, REGISTRY_WRITERS } from './meta.ts';
import { DateInput } from '../../components/DateInput.tsx';


function defaultColumns(meta: RegistryMeta): string[] {
  return meta.fields
    .filter((f) => f.type !== 'longtext' && f.name !== 'classification' && !f.restricted)
    .slice(0, 7)
    .map((f) => f.name);
}

function loadColumns(meta: RegistryMeta): string[] {
  try {
    const saved = JSON.parse(localStorage.getItem(`innolink.cols.${meta.kind}`) ?? 'null');
    if (Array.isArray(saved) && saved.every((x) => typeof x === 'string')) return saved.filter((n) => meta.fields.some((f) => f.name === n));
  } catch {
    /* ignore a broken saved choice */
  }
  return defaultColumns(meta);
}

function FilterInput({ f, value, onChange }: { f: FieldMeta; value: string | undefined; onChange: (v: string | undefined) => void }) {
  const { t, lang } = useLang();
  const ph = label(f, lang);
  const common = { placeholder: ph, style: { width: 170 }, 'data-testid': `filter-${f.name}` };
  if (f.type === 'enum' || f.type === 'bool') {
    const options =
      f.type === 'bool'
        ? [
            { value: 'true', label: t('state.yes') },
            { value: 'false', label: t('state.no') },
          ]
        : (f.values ?? []).map((v) => ({ value: v.value, label: label(v, lang) }));
    return <Select allowClear {...common} value={value} onChange={(v) => onChange(v ?? undefined)} options={options} />;
  }
  if (f.type === 'iso3') return <CountrySelect {...common} value={value ?? null} onChange={(v) => onChange(v ?? undefined)} />;
  if (f.type === 'ref' && f.ref === 'admin_regions')
    return <RegionSelect {...common} value={value ? Number(value) : null} onChange={(v) => onChange(v == null ? undefined : String(v))} />;
  if (f.type === 'ref' && f.ref) return <RecordSelect kind={f.ref as 'organizations' | 'projects'} {...common} value={value ? Number(value) : null} onChange={(v) => onChange(v == null ? undefined : String(v))} />;
  if (f.type === 'int' || f.type === 'number') return <InputNumber {...common} value={value === undefined ? null : Number(value)} onChange={(v) => onChange(v == null ? undefined : String(v))} />;
  return <Input allowClear {...common} value={value} onChange={(e) => onChange(e.target.value || undefined)} />;
}

function RangeInput({ f, min, max, onChange }: { f: FieldMeta; min?: string; max?: string; onChange: (min?: string, max?: string) => void }) {
  const { t, lang } = useLang();
  if (f.type === 'date') {
    return (
      <Space.Compact>
        <DateInput value={min ?? null} onChange={(v) => onChange(v ?? undefined, max)} aria-label={`${label(f, lang)} ${t('registry.min')}`} />
        <DateInput value={max ?? null} onChange={(v) => onChange(min, v ?? undefined)} aria-label={`${label(f, lang)} ${t('registry.max')}`} />
      </Space.Compact>
    );
  }
  return (
    <Space.Compact>
      <InputNumber placeholder={`${label(f, lang)} ≥`} value={min === undefined ? null : Number(min)} onChange={(v) => onChange(v == null ? undefined : String(v), max)} style={{ width: 120 }} data-testid={`range-${f.name}-min`} />
      <InputNumber placeholder={`≤`} value={max === undefined ? null : Number(max)} onChange={(v) => onChange(min, v == null ? undefined : String(v))} style={{ width: 90 }} data-testid={`range-${f.name}-max`} />
    </Space.Compact>
  );
}

export default function RegistryList() {
  const { kind } = useParams();
  const { meta, isLoading, error } = useRegistry(kind);
  if (isLoading) return <Loading />;
  if (error) return <ErrorPage error={error} />;
  if (!meta) return <ErrorPage error={{ status: 404 }} />;
  return <ListOf key={meta.kind} meta={meta} />;
}

function ListOf({ meta }: { meta: RegistryMeta }) {
  const { t, lang } = useLang();
  const user = useUser();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [columns, setColumns] = useState<string[]>(() => loadColumns(meta));
  const [text, setText] = useState(params.get('q') ?? '');
  const page = Number(params.get('page') ?? '1') || 1;
  const pageSize = Number(params.get('pageSize') ?? '20') || 20;
  const filterFields = meta.fields.filter((f) => f.filter && f.type !== 'date');
  const rangeFields = meta.fields.filter((f) => f.filter && (f.type === 'int' || f.type === 'date' || f.type === 'number') && f.name !== 'id');

  const query = useMemo(() => {
    const q: Record<string, string> = {};
    params.forEach((v, k) => {
      q[k] = v;
    });
    return q;
  }, [params]);

  const list = useQuery({
    queryKey: [meta.kind, 'list', query],
    queryFn: () => api.get<{ items: Row[]; total: number }>(`/api/${meta.kind}`, { ...query, page, pageSize }),
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

  const saveColumns = (cols: string[]) => {
    setColumns(cols);
    localStorage.setItem(`innolink.cols.${meta.kind}`, JSON.stringify(cols));
  };

  const sort = params.get('sort');
  const order = params.get('order');
  const tableColumns: TableProps<Row>['columns'] = [
    ...columns
      .map((name) => meta.fields.find((f) => f.name === name))
      .filter((f): f is FieldMeta => !!f)
      .map((f, i) => ({
        key: f.name,
        dataIndex: f.name,
        title: label(f, lang),
        sorter: f.sort,
        sortOrder: sort === f.name ? (order === 'desc' ? ('descend' as const) : ('ascend' as const)) : null,
        align: f.type === 'int' || f.type === 'number' ? ('right' as const) : undefined,
        ellipsis: true,
        render: (_: unknown, row: Row) =>
          i === 0 ? (
            <Link to={`/registries/${meta.kind}/${row.id}`}>{formatValue(meta, f, row, lang)}</Link>
          ) : f.restricted && row[f.name] == null ? (
            <Tooltip title={t('registry.restricted')}>***</Tooltip>
          ) : (
            formatValue(meta, f, row, lang)
          ),
      })),
  ];

  const exportQuery = () => {
    const { page: _p, pageSize: _s, ...rest } = query;
    return rest;
  };

  const hasFilters = [...params.keys()].some((k) => !['page', 'pageSize', 'sort', 'order'].includes(k));

  return (
    <div className="page-card">
      <h2 className="page-title" data-testid="page-title">
        {label(meta, lang)}
        <span className="en">{lang === 'en' ? meta.zh : meta.en}</span>
      </h2>
      <div className="toolbar">
        {meta.searchable ? (
          <Input.Search
            allowClear
            placeholder={t('registry.searchPlaceholder')}
            value={text}
            onChange={(e) => setText(e.target.value)}
            onSearch={(v) => update({ q: v.trim() || undefined })}
            style={{ width: 280 }}
            enterButton={t('action.search')}
            data-testid="registry-search"
          />
        ) : null}
        {meta.relation_filters.map((r) => (
          <CountrySelect key={r.name} placeholder={label(r, lang)} style={{ width: 170 }} data-testid={`filter-${r.name}`} value={params.get(r.name)} onChange={(v) => update({ [r.name]: v ?? undefined })} />
        ))}
        {filterFields.map((f) => (
          <FilterInput key={f.name} f={f} value={params.get(f.name) ?? undefined} onChange={(v) => update({ [f.name]: v })} />
        ))}
        {rangeFields.map((f) => (
          <RangeInput key={f.name} f={f} min={params.get(`${f.name}_min`) ?? undefined} max={params.get(`${f.name}_max`) ?? undefined} onChange={(a, b) => update({ [`${f.name}_min`]: a, [`${f.name}_max`]: b })} />
        ))}
        {hasFilters ? (
          <Button
            onClick={() => {
              setText('');
              setParams(new URLSearchParams());
            }}
          >
            {t('action.reset')}
          </Button>
        ) : null}
        <span className="spacer" />
        <Popover
          trigger="click"
          placement="bottomRight"
          content={
            <Checkbox.Group
              style={{ display: 'flex', flexDirection: 'column', maxHeight: 360, overflow: 'auto' }}
              value={columns}
              onChange={(v) => saveColumns(meta.fields.map((f) => f.name).filter((n) => (v as string[]).includes(n)))}
              options={meta.fields.map((f) => ({ value: f.name, label: label(f, lang) }))}
            />
          }
        >
          <Button icon={<SettingOutlined />} data-testid="columns">
            {t('action.columns')}
          </Button>
        </Popover>
        <Dropdown
          menu={{
            items: [
              { key: 'xlsx', label: t('action.exportXlsx') },
              { key: 'csv', label: t('action.exportCsv') },
            ],
            onClick: ({ key }) => download(`/api/${meta.kind}/export`, { ...exportQuery(), format: key }),
          }}
        >
          <Button icon={<DownloadOutlined />} data-testid="export">
            {t('action.export')}
          </Button>
        </Dropdown>
        {hasRole(user, REGISTRY_WRITERS) ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate(`/registries/${meta.kind}/new`)} data-testid="create">
            {t('action.create')}
          </Button>
        ) : null}
      </div>
      {list.error ? (
        <ErrorPage error={list.error} retry={() => list.refetch()} />
      ) : (
        <Table<Row>
          rowKey="id"
          size="middle"
          loading={list.isFetching}
          dataSource={list.data?.items ?? []}
          columns={tableColumns}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: list.isLoading ? <Loading /> : <EmptyState /> }}
          data-testid="registry-table"
          onRow={(row) => ({ onDoubleClick: () => navigate(`/registries/${meta.kind}/${row.id}`) })}
          onChange={(_p, _f, sorter) => {
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
            showTotal: (total) => <span data-testid="total">{t('state.total', { total })}</span>,
            onChange: (p, s) => update({ page: String(p), pageSize: String(s) }, false),
          }}
        />
      )}
    </div>
  );
}

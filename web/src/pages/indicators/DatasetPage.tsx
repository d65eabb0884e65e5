/**
 * One data set's values: units × indicator columns, sorted by any column, filtered by unit text
 * and group, paged, with a choice of columns, missing cells marked and counted, and a CSV of
 * exactly what is filtered. Column titles carry the indicator names of the system.
 */
import { DownloadOutlined, PlayCircleOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Input, Select, Space, Table, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { ErrorPage } from '../../components/ErrorView.tsx';
import { Loading } from '../../components/PageState.tsx';
import { compareCells, dateTime, fmt, frameworkName, matches, nodeName, saveCsv, useCanWrite, useDataset, useFramework, useListState } from './data.ts';
import { PageTitle, useI } from './shared.tsx';
import type { DatasetRow } from './types.ts';

export default function DatasetPage() {
  const { id = '' } = useParams();
  const { t, lang } = useI();
  const navigate = useNavigate();
  const location = useLocation();
  const canWrite = useCanWrite();
  const ds = useDataset(Number(id) || 0);
  const fw = useFramework(ds.data?.framework_id);
  const s = useListState({ pageSize: 20 });
  const [cols, setCols] = useState<string[] | null>(null);
  const group = s.params.get('group') ?? '';
  const groupValue = s.params.get('gv') ?? '';
  const ignored = (location.state as { ignored?: string[] } | null)?.ignored ?? [];

  const d = ds.data;
  const nodes = useMemo(() => new Map((fw.data?.nodes ?? []).map((n) => [n.code, n])), [fw.data]);
  const shown = cols ?? d?.columns ?? [];

  const rows = useMemo(() => {
    if (!d) return [];
    const sortKey = s.sort;
    const val = (r: DatasetRow): unknown => (sortKey === 'code' ? r.code : sortKey === 'name' ? r.name : sortKey === 'time' ? r.time : sortKey.startsWith('v:') ? r.values[sortKey.slice(2)] : sortKey.startsWith('g:') ? r.groups[sortKey.slice(2)] : null);
    const out = d.rows.filter((r) => matches(s.q, r.code, r.name) && (!group || !groupValue || r.groups[group] === groupValue));
    if (sortKey) out.sort((a, b) => (s.order === 'desc' ? -1 : 1) * compareCells(val(a), val(b)));
    return out;
  }, [d, s.q, s.sort, s.order, group, groupValue]);

  if (ds.isLoading) return <Loading />;
  if (ds.error || !d) return <ErrorPage error={ds.error ?? { status: 404 }} retry={() => ds.refetch()} />;

  const missing = d.rows.reduce((n, r) => n + d.columns.filter((c) => r.values[c] === null).length, 0);
  const total = d.rows.length * d.columns.length;
  const so = (k: string) => (s.sort === k ? (s.order === 'desc' ? ('descend' as const) : ('ascend' as const)) : null);
  const title = (c: string) => {
    const n = nodes.get(c);
    const label = n ? nodeName(n, lang) : c;
    return (
      <Tooltip title={`${label}${n?.unit ? ` (${n.unit})` : ''}${n ? ` · ${t(`type.${n.type}`)}` : ''}`}>
        <span>{c}</span>
      </Tooltip>
    );
  };
  const groupValues = group ? [...new Set(d.rows.map((r) => r.groups[group]).filter((x): x is string => !!x))].sort() : [];

  const exportCsv = () =>
    saveCsv(
      `${d.name}.csv`,
      ['uCode', 'uName', ...(d.panel ? ['Time'] : []), ...d.group_columns, ...shown],
      rows.map((r) => [r.code, r.name, ...(d.panel ? [r.time] : []), ...d.group_columns.map((g) => r.groups[g]), ...shown.map((c) => r.values[c])]),
    );

  return (
    <div className="page-card">
      <PageTitle
        zh={d.name}
        en={d.name}
        sub={lang === 'en' ? 'Evaluation data set · 评价数据集' : '评价数据集 · Evaluation data set'}
        extra={
          canWrite ? (
            <Button icon={<PlayCircleOutlined />} onClick={() => navigate(`/indicators/runs/new?framework=${d.framework_id}&dataset=${d.id}`)} data-testid="dataset-run">
              {t('framework.runThis')}
            </Button>
          ) : null
        }
      />
      {ignored.length ? <Alert type="warning" showIcon title={t('datasets.ignored', { cols: ignored.join(lang === 'en' ? ', ' : '、') })} style={{ marginBottom: 12 }} /> : null}
      <Descriptions
        size="small"
        column={{ xs: 1, md: 3 }}
        style={{ marginBottom: 12 }}
        items={[
          { key: 'f', label: t('f.framework'), children: <Link to={`/indicators/frameworks/${d.framework_id}`}>{frameworkName(fw.data, lang) || `#${d.framework_id}`}</Link> },
          { key: 'u', label: t('f.units'), children: <span data-testid="dataset-units">{d.units}</span> },
          { key: 'c', label: t('f.columns'), children: d.columns.length },
          { key: 'g', label: t('f.groups'), children: d.group_columns.join('、') || '—' },
          { key: 'm', label: t('datasets.missing'), children: <span data-testid="dataset-missing">{t('datasets.missingCount', { n: missing, total })}</span> },
          { key: 's', label: t('f.sourceFile'), children: `${d.source_file ?? '—'} (${d.source_format})` },
          { key: 'b', label: t('f.createdBy'), children: `${d.created_by ?? '—'} · ${dateTime(d.created_at, lang)}` },
          { key: 'r', label: t('f.runs'), children: d.runs ? <Link to={`/indicators/runs?dataset=${d.id}`}>{d.runs}</Link> : 0 },
        ]}
      />
      {d.description ? <Typography.Paragraph type="secondary">{d.description}</Typography.Paragraph> : null}
      <div className="toolbar">
        <Input.Search allowClear defaultValue={s.q} placeholder={t('common.search')} onSearch={(v) => s.set({ q: v.trim() || undefined })} style={{ width: 240 }} data-testid="dataset-search" />
        {d.group_columns.length ? (
          <Space.Compact>
            <Select allowClear placeholder={t('f.groups')} value={group || undefined} onChange={(v) => s.set({ group: v, gv: undefined })} options={d.group_columns.map((g) => ({ value: g, label: g }))} style={{ width: 170 }} />
            <Select allowClear disabled={!group} value={groupValue || undefined} onChange={(v) => s.set({ gv: v })} options={groupValues.map((g) => ({ value: g, label: g }))} style={{ width: 150 }} />
          </Space.Compact>
        ) : null}
        <Select
          mode="multiple"
          allowClear
          maxTagCount="responsive"
          placeholder={t('datasets.allColumns')}
          value={cols ?? []}
          onChange={(v: string[]) => setCols(v.length ? d.columns.filter((c) => v.includes(c)) : null)}
          options={d.columns.map((c) => ({ value: c, label: `${c} ${nodes.get(c) ? nodeName(nodes.get(c), lang) : ''}` }))}
          style={{ minWidth: 280, maxWidth: 480 }}
          aria-label={t('datasets.columnsShown')}
        />
        <span className="spacer" />
        <Button icon={<DownloadOutlined />} onClick={exportCsv} data-testid="dataset-export">
          {t('common.exportCsv')}
        </Button>
      </div>
      <Table<DatasetRow>
        size="small"
        rowKey={(r) => `${r.code}|${r.time ?? ''}`}
        dataSource={rows}
        scroll={{ x: 'max-content' }}
        data-testid="dataset-values"
        onChange={(p, _f, sorter) => {
          const x = Array.isArray(sorter) ? sorter[0] : sorter;
          s.set({ sort: x?.order ? String(x.columnKey) : undefined, order: x?.order === 'descend' ? 'desc' : x?.order ? 'asc' : undefined, page: String(p.current ?? 1), pageSize: String(p.pageSize ?? 20) }, false);
        }}
        pagination={{ current: s.page, pageSize: s.pageSize, showSizeChanger: true, pageSizeOptions: [10, 20, 50, 100], showTotal: (n) => t('common:state.total', { total: n }) }}
        columns={[
          { key: 'code', title: 'uCode', fixed: 'left', sorter: true, sortOrder: so('code'), render: (_: unknown, r) => <code>{r.code}</code> },
          { key: 'name', title: 'uName', fixed: 'left', sorter: true, sortOrder: so('name'), render: (_: unknown, r) => r.name ?? '' },
          ...(d.panel ? [{ key: 'time', title: 'Time', sorter: true, sortOrder: so('time'), render: (_: unknown, r: DatasetRow) => r.time ?? '' }] : []),
          ...d.group_columns.map((g) => ({ key: `g:${g}`, title: g, sorter: true, sortOrder: so(`g:${g}`), render: (_: unknown, r: DatasetRow) => r.groups[g] ?? '' })),
          ...shown.map((c) => ({
            key: `v:${c}`,
            title: title(c),
            sorter: true,
            sortOrder: so(`v:${c}`),
            align: 'right' as const,
            onCell: (r: DatasetRow) => (r.values[c] === null ? { style: { background: '#fff1f0' } } : {}),
            render: (_: unknown, r: DatasetRow) => (r.values[c] === null ? <span style={{ color: '#cf1322' }}>—</span> : fmt(r.values[c], lang, 4)),
          })),
        ]}
      />
    </div>
  );
}

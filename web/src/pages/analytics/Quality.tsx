/**
 * Data quality: what deserves a second look — stated figures that the registries do not reach
 * (a paper's 18176 万元 against the 13176 imported), a file's own totals that its cells do not
 * add up to, names the imports could not resolve, and organisations that are likely the same
 * — each linked to the import and rows it came from (/imports/:id).
 */
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Button, Card, Col as GridCol, Row, Segmented, Space, Tabs, Tag, Typography } from 'antd';
import { useMemo, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api.ts';
import { Chart, type ChartOption } from '../../components/Chart.tsx';
import { html } from '../../components/escape.ts';
import { ErrorAlert } from '../../components/ErrorView.tsx';
import { DataTable, Figure, fmt, PageTitle, PALETTE, QueryState, useA, useUrlState, type Col } from './shared.tsx';

interface RowRef {
  row: number;
  column: string;
  severity: string;
}

interface FactItem {
  fact_id: number;
  subject: string;
  indicator: string;
  year: number | null;
  period_from: number | null;
  period_to: number | null;
  unit: string | null;
  code: string;
  stated: number | null;
  computed: number | null;
  listed: number | null;
  message: string;
  message_en: string;
  import_id: number | null;
  file_name: string | null;
  rows: RowRef[];
}

interface TotalItem {
  import_id: number;
  file_name: string;
  kind: string;
  row: number;
  column: string;
  stated: number | null;
  computed: number | null;
  message: string;
  message_en: string;
}

interface UnresolvedItem {
  kind: 'country' | 'project' | 'region' | 'organization';
  name: string;
  code: string;
  occurrences: number;
  suggestions: { iso3?: string; id?: number; name?: string; name_zh?: string; name_en?: string }[];
  imports: { import_id: number; file_name: string; rows: RowRef[] }[];
}

interface DuplicateSide {
  id: number;
  name: string;
  country_iso3: string | null;
  import_id: number | null;
  file_name: string | null;
  rows: RowRef[];
}

interface DuplicateItem {
  similarity: number;
  reason: 'similar' | 'contains';
  a: DuplicateSide;
  b: DuplicateSide;
}

const KINDS = ['country', 'project', 'region', 'organization'] as const;

/** "file.csv 第 3、5 行" linking to the import. */
function ImportRef({ id, file, rows }: { id: number | null; file: string | null; rows?: RowRef[] }) {
  const { lang } = useA();
  if (id === null) return <>—</>;
  const list = [...new Set((rows ?? []).map((r) => r.row).filter((r) => Number.isFinite(r) && r > 0))];
  return (
    <span>
      <Link to={`/imports/${id}`} data-testid="import-link">
        {file ?? `#${id}`}
      </Link>
      {list.length ? (
        <Typography.Text type="secondary">
          {' '}
          {lang === 'en' ? `row ${list.slice(0, 8).join(', ')}` : `第 ${list.slice(0, 8).join('、')} 行`}
          {list.length > 8 ? ' …' : ''}
        </Typography.Text>
      ) : null}
    </span>
  );
}

function period(f: { year: number | null; period_from: number | null; period_to: number | null }): string {
  if (f.year !== null) return String(f.year);
  if (f.period_from !== null || f.period_to !== null) return `${f.period_from ?? ''}–${f.period_to ?? ''}`;
  return '—';
}

function Facts() {
  const { t, lang } = useA();
  const facts = useQuery({ queryKey: ['quality', 'facts'], queryFn: () => api.get<{ items: FactItem[] }>('/api/quality/facts') });
  const totals = useQuery({ queryKey: ['quality', 'totals'], queryFn: () => api.get<{ items: TotalItem[] }>('/api/quality/totals') });
  const rows = facts.data?.items ?? [];
  // How much of each stated figure the registries reach (computed or listed, as a share of it).
  const chart: ChartOption = useMemo(() => {
    const shown = rows.filter((r) => r.stated !== null && r.stated !== 0 && (r.computed ?? r.listed) !== null).slice(0, 20);
    const labels = shown.map((r) => `${r.subject} ${r.indicator}`);
    return {
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (ps: { dataIndex: number }[]) => {
          const r = shown[ps[0].dataIndex];
          return html`${r.subject} ${r.indicator}<br/>${t('quality.stated')}: ${fmt(r.stated, lang, 4)}<br/>${r.computed !== null ? t('quality.computed') : t('quality.listed')}: ${fmt(r.computed ?? r.listed, lang, 4)}`;
        },
      },
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } },
      yAxis: { type: 'category', data: labels, inverse: true, axisLabel: { width: 180, overflow: 'truncate' } },
      series: [
        {
          type: 'bar',
          data: shown.map((r) => ({ value: (r.computed ?? r.listed)! / r.stated!, itemStyle: { color: (r.computed ?? r.listed)! > r.stated! ? PALETTE[6] : PALETTE[2] } })),
          label: { show: true, position: 'right', formatter: (p: { value: number }) => `${Math.round(p.value * 100)}%` },
          markLine: { symbol: 'none', lineStyle: { type: 'dashed', color: '#595959' }, label: { show: false }, data: [{ xAxis: 1 }] },
        },
      ],
    };
  }, [rows, t, lang]);
  const factCols: Col<FactItem>[] = [
    { key: 'subject', title: t('quality.subject'), csv: 'subject' },
    { key: 'indicator', title: t('quality.indicator'), csv: 'indicator' },
    { key: 'period', title: t('quality.period'), csv: 'period', value: (r) => period(r) },
    { key: 'stated', title: t('quality.stated'), csv: 'stated', num: true, digits: 4 },
    { key: 'computed', title: t('quality.computed'), csv: 'computed', num: true, digits: 4 },
    { key: 'listed', title: t('quality.listed'), csv: 'listed', num: true, digits: 0 },
    { key: 'difference', title: t('quality.difference'), csv: 'difference', num: true, digits: 4, value: (r) => (r.stated !== null && r.computed !== null ? r.stated - r.computed : null) },
    { key: 'import', title: t('quality.import'), csv: 'file', value: (r) => r.file_name ?? '', render: (r) => <ImportRef id={r.import_id} file={r.file_name} rows={r.rows} /> },
    { key: 'message', title: t('quality.note'), csv: 'message', value: (r) => (lang === 'en' ? r.message_en : r.message), render: (r) => <span style={{ whiteSpace: 'normal', display: 'inline-block', maxWidth: 420 }}>{lang === 'en' ? r.message_en : r.message} <Tag>{r.code}</Tag></span> },
  ];
  const totalCols: Col<TotalItem>[] = [
    { key: 'file', title: t('quality.file'), csv: 'file', value: (r) => r.file_name, render: (r) => <ImportRef id={r.import_id} file={r.file_name} rows={[{ row: r.row, column: r.column, severity: '' }]} /> },
    { key: 'column', title: t('quality.row'), csv: 'column', value: (r) => `${r.row} ${r.column}` },
    { key: 'stated', title: t('quality.stated'), csv: 'stated', num: true, digits: 4 },
    { key: 'computed', title: t('quality.computed'), csv: 'computed', num: true, digits: 4 },
    { key: 'message', title: t('quality.note'), csv: 'message', value: (r) => (lang === 'en' ? r.message_en : r.message), render: (r) => <span style={{ whiteSpace: 'normal', display: 'inline-block', maxWidth: 420 }}>{lang === 'en' ? r.message_en : r.message}</span> },
  ];
  return (
    <>
      {facts.error ? <ErrorAlert error={facts.error} /> : null}
      <QueryState loading={facts.isLoading} empty={!facts.error && rows.length === 0 && (totals.data?.items.length ?? 0) === 0}>
        <Row gutter={[16, 16]}>
          {rows.length ? (
            <GridCol xs={24}>
              <Card size="small" title={t('quality.reached')}>
                <Chart option={chart} height={Math.max(160, 30 + 30 * Math.min(20, rows.length))} data-testid="quality-chart" />
              </Card>
            </GridCol>
          ) : null}
          <GridCol xs={24}>
            <DataTable<FactItem> rows={rows} cols={factCols} rowKey={(r) => `${r.fact_id}:${r.code}`} testid="quality-facts" fileName="quality-facts" />
          </GridCol>
          <GridCol xs={24}>
            {totals.error ? <ErrorAlert error={totals.error} /> : null}
            <DataTable<TotalItem> title={t('quality.totals')} rows={totals.data?.items ?? []} cols={totalCols} rowKey={(r) => `${r.import_id}:${r.row}:${r.column}`} testid="quality-totals" fileName="quality-totals" />
          </GridCol>
        </Row>
      </QueryState>
    </>
  );
}

function Unresolved() {
  const { t, lang, pick } = useA();
  const url = useUrlState();
  const kind = (KINDS as readonly string[]).includes(url.get('kind')) ? url.get('kind') : '';
  const q = useQuery({
    queryKey: ['quality', 'unresolved', kind],
    queryFn: () => api.get<{ items: UnresolvedItem[]; truncated: { import_id: number; file_name: string; issue_count: number; kept: number }[] }>('/api/quality/unresolved', { kind: kind || undefined }),
  });
  const suggestion = (s: UnresolvedItem['suggestions'][number]): ReactNode => {
    const label = s.name_zh || s.name_en ? pick({ zh: s.name_zh, en: s.name_en }) : (s.name ?? s.iso3 ?? String(s.id ?? ''));
    if (s.iso3) return <Link to={`/countries/${s.iso3}`}>{label}</Link>;
    if (s.id) return <Link to={`/registries/organizations/${s.id}`}>{label}</Link>;
    return label;
  };
  const cols: Col<UnresolvedItem>[] = [
    { key: 'name', title: t('quality.name'), csv: 'name', render: (r) => <span data-col="name">{r.name}</span> },
    { key: 'kind', title: t('quality.kind'), csv: 'kind', value: (r) => t(`quality.kinds.${r.kind}`), render: (r) => <Tag>{t(`quality.kinds.${r.kind}`)}</Tag> },
    { key: 'occurrences', title: t('quality.records'), csv: 'occurrences', num: true, digits: 0, defaultSort: 'descend' },
    {
      key: 'suggestions',
      title: t('quality.suggestions'),
      csv: 'suggestions',
      value: (r) => r.suggestions.map((s) => s.name_zh ?? s.name ?? s.iso3 ?? '').join(' '),
      render: (r) => (
        <Space size={4} wrap>
          {r.suggestions.slice(0, 3).map((s, i) => (
            <span key={i}>{suggestion(s)}</span>
          ))}
        </Space>
      ),
    },
    {
      key: 'imports',
      title: t('quality.import'),
      csv: 'imports',
      value: (r) => r.imports.map((i) => i.file_name).join(' '),
      render: (r) => (
        <Space direction="vertical" size={0}>
          {r.imports.map((i) => (
            <ImportRef key={i.import_id} id={i.import_id} file={i.file_name} rows={i.rows} />
          ))}
        </Space>
      ),
    },
  ];
  return (
    <>
      <div className="toolbar">
        <Segmented
          value={kind || 'all'}
          onChange={(v) => url.set({ kind: v === 'all' ? undefined : v })}
          options={[{ value: 'all', label: t('tiers.all') }, ...KINDS.map((k) => ({ value: k, label: t(`quality.kinds.${k}`) }))]}
          data-testid="quality-kind"
        />
      </div>
      {q.error ? <ErrorAlert error={q.error} /> : null}
      {q.data?.truncated.length ? (
        <Typography.Paragraph type="warning">
          {q.data.truncated.map((x) => (lang === 'en' ? `${x.file_name}: ${x.kept} of ${x.issue_count} issues kept` : `${x.file_name}：共 ${x.issue_count} 条提示，保留 ${x.kept} 条`)).join('；')}
        </Typography.Paragraph>
      ) : null}
      <QueryState loading={q.isLoading} empty={!q.error && (q.data?.items.length ?? 0) === 0}>
        <DataTable<UnresolvedItem> rows={q.data?.items ?? []} cols={cols} rowKey={(r) => `${r.kind}|${r.name}`} testid="quality-unresolved" fileName="quality-unresolved" pageSize={20} />
      </QueryState>
    </>
  );
}

function Duplicates() {
  const { t, lang } = useA();
  const q = useInfiniteQuery({
    queryKey: ['quality', 'duplicates'],
    queryFn: ({ pageParam }) => api.get<{ items: DuplicateItem[]; probed: number; next_after: number | null }>('/api/quality/duplicates', { after: pageParam || undefined }),
    initialPageParam: 0,
    getNextPageParam: (last) => last.next_after ?? undefined,
  });
  const rows = (q.data?.pages ?? []).flatMap((p) => p.items);
  const side = (s: DuplicateSide) => (
    <span>
      <Link to={`/registries/organizations/${s.id}`}>{s.name}</Link>
      {s.country_iso3 ? <Typography.Text type="secondary"> {s.country_iso3}</Typography.Text> : null}
      <br />
      <ImportRef id={s.import_id} file={s.file_name} rows={s.rows} />
    </span>
  );
  const cols: Col<DuplicateItem>[] = [
    { key: 'a', title: 'A', csv: 'a', value: (r) => r.a.name, render: (r) => side(r.a) },
    { key: 'b', title: 'B', csv: 'b', value: (r) => r.b.name, render: (r) => side(r.b) },
    { key: 'similarity', title: t('quality.similarity'), csv: 'similarity', num: true, digits: 3, defaultSort: 'descend' },
    { key: 'reason', title: t('quality.kind'), csv: 'reason', value: (r) => t(`quality.reasons.${r.reason}`) },
  ];
  return (
    <>
      {q.error ? <ErrorAlert error={q.error} /> : null}
      <QueryState loading={q.isLoading} empty={!q.error && rows.length === 0 && !q.hasNextPage}>
        <DataTable<DuplicateItem> rows={rows} cols={cols} rowKey={(r) => `${r.a.id}|${r.b.id}`} testid="quality-duplicates" fileName="quality-duplicates" pageSize={20} />
        {q.hasNextPage ? (
          <Button style={{ marginTop: 12 }} loading={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()} data-testid="duplicates-more">
            {t('quality.more')}
          </Button>
        ) : null}
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t('quality.probed', { n: fmt((q.data?.pages ?? []).reduce((s, p) => s + p.probed, 0), lang, 0) })}
        </Typography.Paragraph>
      </QueryState>
    </>
  );
}

export default function Quality() {
  const { t } = useA();
  const url = useUrlState();
  const tab = url.get('tab', 'facts');
  const summary = useQuery({
    queryKey: ['quality', 'summary'],
    queryFn: () => api.get<{ facts: number; totals: number; unresolved: number; duplicates: { found: number; complete: boolean } }>('/api/quality'),
    retry: false,
  });
  const s = summary.data;
  return (
    <div className="page-card">
      <PageTitle title={t('quality.title')} subtitle={t('quality.subtitle')} />
      {s ? (
        <Space wrap size={12} style={{ marginBottom: 16 }} data-testid="quality-summary">
          <Figure label={t('quality.mismatches')} value={<span data-testid="count-facts">{s.facts}</span>} />
          <Figure label={t('quality.totals')} value={<span data-testid="count-totals">{s.totals}</span>} />
          <Figure label={t('quality.unresolved')} value={<span data-testid="count-unresolved">{s.unresolved}</span>} />
          <Figure label={t('quality.duplicates')} value={<span data-testid="count-duplicates">{`${s.duplicates.found}${s.duplicates.complete ? '' : '+'}`}</span>} />
        </Space>
      ) : null}
      <Tabs
        activeKey={tab}
        onChange={(k) => url.set({ tab: k === 'facts' ? undefined : k, kind: undefined })}
        destroyOnHidden
        items={[
          { key: 'facts', label: t('quality.mismatches'), children: <Facts /> },
          { key: 'unresolved', label: t('quality.unresolved'), children: <Unresolved /> },
          { key: 'duplicates', label: t('quality.duplicates'), children: <Duplicates /> },
        ]}
      />
    </div>
  );
}

/**
 * What the analysis pages share: filters kept in the address (region, period and each page's
 * own choices, so a view can be bookmarked and sent on), the region condition the analytics
 * API takes, a table that sorts every column and exports what it shows, number formats, and
 * the way from a figure to the funding records behind it.
 */
import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Dropdown, Select, Space, Table, Tag, Tooltip, type TableProps } from 'antd';
import { useCallback, useMemo, type ReactNode } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, download, type Query } from '../../api.ts';
import { useUser } from '../../auth.tsx';
import { EmptyState, Loading } from '../../components/PageState.tsx';
import { RegionSelect } from '../../components/RefSelect.tsx';
import { useLang, type Lang } from '../../i18n.ts';
import './messages.ts';
import type { CountryGroup, Direction, StrategyCountry } from './types.ts';

export const NS = 'analytics';

/** The analysis words and the common ones, e.g. `const { t } = useA()`; `t('tiers.title')`. */
export function useA() {
  return useLang([NS, 'common']);
}

// ---------------------------------------------------------------- numbers

const locale = (lang: Lang) => (lang === 'en' ? 'en-GB' : 'zh-CN');

/** A number as people read it (grouped digits, at most `digits` decimals); '—' for none. */
export function fmt(v: unknown, lang: Lang, digits = 2): string {
  if (v === null || v === undefined || v === '' || Number.isNaN(Number(v))) return '—';
  return Number(v).toLocaleString(locale(lang), { maximumFractionDigits: digits });
}

/** A share (0.909) as a percentage (90.9 %). */
export function pct(v: unknown, lang: Lang, digits = 1): string {
  if (v === null || v === undefined || Number.isNaN(Number(v))) return '—';
  return `${(Number(v) * 100).toLocaleString(locale(lang), { minimumFractionDigits: digits, maximumFractionDigits: digits })}%`;
}

/** Programme levels: the funding query answers the Chinese label; the registry filters by value. */
export const LEVELS = [
  { value: 'national', zh: '国家级', en: 'National' },
  { value: 'provincial', zh: '省级', en: 'Provincial' },
  { value: 'municipal', zh: '市级', en: 'Municipal' },
  { value: 'district', zh: '区级', en: 'District' },
  { value: 'other', zh: '其他', en: 'Other' },
] as const;

/** A unit label of a dimension in the page's language (levels translated, the rest as stored). */
export function unitLabel(dim: string, v: unknown, lang: Lang, unassigned: string): string {
  if (v === null || v === undefined || v === '') return unassigned;
  if (dim === 'level' && lang === 'en') return LEVELS.find((l) => l.zh === v || l.value === v)?.en ?? String(v);
  return String(v);
}

/** Dimensions a unit analysis (tiers, concentration, trends) groups by, and its measures. */
export const UNIT_DIMS = ['region', 'country', 'level', 'field', 'mode', 'source', 'industry', 'project'] as const;
export const MEASURES = ['amount', 'projects', 'records'] as const;

export const CN_NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五', '十六', '十七', '十八', '十九', '二十'];

export const PALETTE = ['#1677ff', '#52c41a', '#faad14', '#eb2f96', '#13c2c2', '#722ed1', '#fa541c', '#2f54eb', '#a0d911', '#fadb14', '#8c8c8c', '#f5222d'];

// ---------------------------------------------------------------- filters in the address

/** The page's filters as URL parameters: `get('by', 'region')`, `set({ by: 'country' })`. */
export function useUrlState() {
  const [params, setParams] = useSearchParams();
  const get = useCallback((key: string, fallback = ''): string => params.get(key) ?? fallback, [params]);
  const set = useCallback(
    (patch: Record<string, string | number | boolean | undefined | null>) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(patch)) {
            if (v === undefined || v === null || v === '' || v === false) next.delete(k);
            else next.set(k, String(v));
          }
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  return { params, get, set };
}

export interface RegionRow {
  id: number;
  code: string | null;
  name: string;
  short_name: string;
  name_en: string | null;
  level: string;
  kind: string;
  parent_id: number | null;
  path: string;
  children?: RegionRow[];
}

export function useRegion(id: number | null | undefined) {
  return useQuery({
    queryKey: ['region', id],
    queryFn: () => api.get<RegionRow>(`/api/regions/${id}`),
    enabled: typeof id === 'number' && id > 0,
    staleTime: 300_000,
  });
}

/** How the analytics API names a region in `where=region=…`: its code when it has one (unique), else its name. */
export const regionKey = (r: RegionRow) => r.code ?? r.name;

/**
 * The common filters of an analysis: region (id in the address), period (from, to), and the
 * query parameters they make for the analytics API (`where=region=…`, from, to).
 */
export function useFilters() {
  const url = useUrlState();
  const user = useUser();
  const regionId = Number(url.get('region')) || null;
  const region = useRegion(regionId);
  const home = useRegion(user.region_id);
  const from = Number(url.get('from')) || undefined;
  const to = Number(url.get('to')) || undefined;
  const where = regionId && region.data ? [`region=${regionKey(region.data)}`] : [];
  /** True once the region (if any) is known, so queries do not run unfiltered first. */
  const ready = !regionId || !!region.data;
  const query: Query = { from, to, where };
  /** Where unit names are looked up for a drill-down: the chosen region, else the officer's own. */
  const contextPath = region.data?.path ?? home.data?.path;
  return { ...url, regionId, region: region.data, regionError: region.error, contextPath, from, to, where, ready, query };
}

/** A region picker that offers the officer's own region and its districts first. */
export function RegionFilter({ value, onChange }: { value: number | null; onChange: (id: number | null) => void }) {
  const { t, lang } = useA();
  const user = useUser();
  const home = useRegion(user.region_id);
  if (user.region_id == null) {
    return <RegionSelect value={value} onChange={onChange} placeholder={t('filter.allRegions')} style={{ width: 180 }} data-testid="filter-region" />;
  }
  const rows = home.data ? [home.data, ...(home.data.children ?? [])] : [];
  const name = (r: RegionRow) => (lang === 'en' && r.name_en ? r.name_en : r.short_name || r.name);
  return (
    <Select
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      loading={home.isLoading}
      value={value ?? undefined}
      onChange={(v) => onChange(v ?? null)}
      placeholder={t('filter.allRegions')}
      style={{ width: 180 }}
      data-testid="filter-region"
      options={rows.map((r, i) => ({ value: r.id, label: i === 0 ? r.name : name(r) }))}
    />
  );
}

/** Years that have funding (for the period pickers). */
export function useFundingYears() {
  return useQuery({
    queryKey: ['analytics', 'years'],
    queryFn: () => api.get<{ rows: { year: number | null }[] }>('/api/query/funding', { by: 'year' }),
    staleTime: 60_000,
    select: (d) => d.rows.map((r) => r.year).filter((y): y is number => typeof y === 'number'),
  });
}

export function PeriodFilter({ from, to, onChange }: { from?: number; to?: number; onChange: (from?: number, to?: number) => void }) {
  const { t } = useA();
  const years = useFundingYears();
  const all = [...new Set([...(years.data ?? []), ...(from ? [from] : []), ...(to ? [to] : [])])].sort();
  const options = all.map((y) => ({ value: y, label: String(y) }));
  return (
    <Space.Compact>
      <Select allowClear placeholder={t('filter.from')} value={from} onChange={(v) => onChange(v ?? undefined, to)} options={options} style={{ width: 110 }} data-testid="filter-from" />
      <Select allowClear placeholder={t('filter.to')} value={to} onChange={(v) => onChange(from, v ?? undefined)} options={options} style={{ width: 110 }} data-testid="filter-to" />
    </Space.Compact>
  );
}

/** Region and period filters plus the page's own controls, in one toolbar. */
export function FilterBar({ f, children, period = true }: { f: ReturnType<typeof useFilters>; children?: ReactNode; period?: boolean }) {
  return (
    <div className="toolbar" data-testid="filters">
      <RegionFilter value={f.regionId} onChange={(id) => f.set({ region: id ?? undefined })} />
      {period ? <PeriodFilter from={f.from} to={f.to} onChange={(a, b) => f.set({ from: a, to: b })} /> : null}
      {children}
    </div>
  );
}

export function Labeled({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Space size={4}>
      <span style={{ color: '#666' }}>{label}</span>
      {children}
    </Space>
  );
}

export function PageTitle({ title, subtitle, extra }: { title: string; subtitle: string; extra?: ReactNode }) {
  return (
    <div style={{ display: 'flex', alignItems: 'baseline', gap: 8 }}>
      <h2 className="page-title" data-testid="page-title">
        {title}
        <span className="en">{subtitle}</span>
      </h2>
      <span style={{ flex: 1 }} />
      {extra}
    </div>
  );
}

// ---------------------------------------------------------------- table

export interface Col<R> {
  key: string;
  title: ReactNode;
  /** Plain-text title for the CSV header. */
  csv?: string;
  num?: boolean;
  digits?: number;
  /** Value used to sort and export (default row[key]). */
  value?: (r: R) => string | number | null | undefined;
  render?: (r: R) => ReactNode;
  width?: number;
  fixed?: 'left' | 'right';
  defaultSort?: 'ascend' | 'descend';
}

function cellValue<R>(c: Col<R>, r: R): string | number | null | undefined {
  return c.value ? c.value(r) : ((r as Record<string, unknown>)[c.key] as string | number | null | undefined);
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined || a === '') return -1;
  if (b === null || b === undefined || b === '') return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'zh-CN');
}

/** Writes rows as CSV (UTF-8 with BOM, so Excel reads the Chinese) and downloads it. */
export function downloadCsv<R>(fileName: string, cols: Col<R>[], rows: R[]): void {
  const esc = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [cols.map((c) => esc(c.csv ?? (typeof c.title === 'string' ? c.title : c.key))).join(',')];
  for (const r of rows) lines.push(cols.map((c) => esc(cellValue(c, r))).join(','));
  const blob = new Blob(['\uFEFF' + lines.join('\r\n')], { type: 'text/csv;charset=utf-8' });
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = fileName.endsWith('.csv') ? fileName : `${fileName}.csv`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/** Export menu: CSV of the table as shown, and the server's Excel/CSV export when there is one. */
export function ExportButton<R>({ fileName, cols, rows, server }: { fileName: string; cols: Col<R>[]; rows: R[]; server?: { url: string; query: Query } }) {
  const { t } = useA();
  const items = [{ key: 'csv', label: t('common.exportCsv') }, ...(server ? [{ key: 'xlsx', label: t('common.exportXlsx') }] : [])];
  return (
    <Dropdown
      menu={{
        items,
        onClick: ({ key }) => (key === 'csv' ? downloadCsv(fileName, cols, rows) : download(server!.url, { ...server!.query, format: 'xlsx' })),
      }}
    >
      <Button icon={<DownloadOutlined />} size="small" data-testid="export" disabled={rows.length === 0}>
        {t('common.export')}
      </Button>
    </Dropdown>
  );
}

/**
 * A table that sorts by every column (in the page: the data are already aggregated), pages
 * when long, and exports as shown. Numeric cells carry `data-col` for tests and screen readers.
 */
export function DataTable<R extends object>({
  rows,
  cols,
  rowKey,
  testid,
  fileName,
  pageSize = 15,
  summary,
  server,
  title,
  size = 'small',
  onRow,
}: {
  rows: R[];
  cols: Col<R>[];
  rowKey: (r: R) => string;
  testid: string;
  fileName: string;
  pageSize?: number;
  summary?: TableProps<R>['summary'];
  server?: { url: string; query: Query };
  title?: ReactNode;
  size?: 'small' | 'middle';
  onRow?: TableProps<R>['onRow'];
}) {
  const { lang } = useA();
  const columns = useMemo<TableProps<R>['columns']>(
    () =>
      cols.map((c) => ({
        key: c.key,
        title: c.title,
        width: c.width,
        fixed: c.fixed,
        align: c.num ? ('right' as const) : undefined,
        defaultSortOrder: c.defaultSort,
        sorter: (a: R, b: R) => compare(cellValue(c, a), cellValue(c, b)),
        render: (_: unknown, r: R) =>
          c.render ? (
            c.render(r)
          ) : c.num ? (
            <span className="num" data-col={c.key}>
              {fmt(cellValue(c, r), lang, c.digits ?? 2)}
            </span>
          ) : (
            <span data-col={c.key}>{cellValue(c, r) ?? '—'}</span>
          ),
      })),
    [cols, lang],
  );
  return (
    <Card
      size="small"
      title={title}
      extra={<ExportButton fileName={fileName} cols={cols} rows={rows} server={server} />}
      styles={{ body: { padding: 0 } }}
    >
      <Table<R>
        size={size}
        rowKey={rowKey}
        dataSource={rows}
        columns={columns}
        summary={summary}
        scroll={{ x: 'max-content' }}
        pagination={rows.length > pageSize ? { pageSize, showSizeChanger: false, size: 'small' } : false}
        locale={{ emptyText: <AnalyticsEmpty /> }}
        data-testid={testid}
        onRow={onRow}
      />
    </Card>
  );
}

/** A figure with its label, for the key numbers above a chart. */
export function Figure({ label, value, hint, testid }: { label: ReactNode; value: ReactNode; hint?: string; testid?: string }) {
  const body = (
    <div style={{ minWidth: 120, padding: '8px 16px', background: '#fafafa', borderRadius: 6 }}>
      <div style={{ color: '#888', fontSize: 12 }}>{label}</div>
      <div style={{ fontSize: 22, fontWeight: 600, fontVariantNumeric: 'tabular-nums' }} data-testid={testid}>
        {value}
      </div>
    </div>
  );
  return hint ? <Tooltip title={hint}>{body}</Tooltip> : body;
}

/** Loading / error / empty around a query's result, never a blank panel. */
export function QueryState({ loading, empty, emptyHint, children }: { loading: boolean; empty: boolean; emptyHint?: ReactNode; children: ReactNode }) {
  if (loading) return <Loading />;
  if (empty) return emptyHint ? <EmptyState hint={emptyHint} /> : <AnalyticsEmpty />;
  return <>{children}</>;
}

/** An analysis with nothing to show: what to change or import. */
function AnalyticsEmpty() {
  const { t } = useA();
  return <EmptyState hint={t('common.emptyHint')} />;
}

// ---------------------------------------------------------------- drill-down

/**
 * The region id behind a unit label of the funding query (a region's short name), preferring
 * regions inside `withinPath` (the chosen region or the officer's own).
 */
export async function regionIdOf(name: string, withinPath: string | undefined): Promise<number | null> {
  const res = await api.get<{ items: RegionRow[] }>('/api/regions', { q: name, pageSize: 50 });
  const exact = res.items.filter((r) => r.short_name === name || r.name === name || r.code === name);
  const inside = withinPath ? exact.filter((r) => r.path.startsWith(withinPath)) : [];
  return (inside[0] ?? exact[0])?.id ?? null;
}

/** The ISO3 code of a country as the funding query names it (its Chinese name). */
export async function iso3Of(name: string): Promise<string | null> {
  const res = await api.get<{ results: { iso3: string | null }[] }>('/api/countries/resolve', { name });
  return res.results[0]?.iso3 ?? null;
}

/** Dimensions the funding registry list can filter by, so a figure can open its records. */
export const DRILLABLE = ['region', 'year', 'country', 'level', 'source'] as const;

/**
 * The address of the funding records behind a figure: the unit values of its dimensions
 * (labels as the funding query gives them), within the page's region and period.
 */
export async function fundingRecordsUrl(
  keys: Record<string, string | number | null | undefined>,
  ctx: { regionId: number | null; regionPath?: string; from?: number; to?: number },
): Promise<string | null> {
  const q = new URLSearchParams();
  if (ctx.regionId) q.set('region_id', String(ctx.regionId));
  if (ctx.from) q.set('year_min', String(ctx.from));
  if (ctx.to) q.set('year_max', String(ctx.to));
  for (const [dim, v] of Object.entries(keys)) {
    if (v === null || v === undefined || v === '') return null;
    switch (dim) {
      case 'region': {
        const id = await regionIdOf(String(v), ctx.regionPath);
        if (!id) return null;
        q.set('region_id', String(id));
        break;
      }
      case 'year':
        q.set('year_min', String(v));
        q.set('year_max', String(v));
        break;
      case 'country': {
        const iso3 = await iso3Of(String(v));
        if (!iso3) return null;
        q.set('country_iso3', iso3);
        break;
      }
      case 'level': {
        const lv = LEVELS.find((l) => l.zh === v || l.value === v);
        if (!lv) return null;
        q.set('level', lv.value);
        break;
      }
      case 'source':
        q.set('source', String(v));
        break;
      default:
        return null;
    }
  }
  return `/registries/funding?${q.toString()}`;
}

// ---------------------------------------------------------------- countries

export const DIRECTION_COLORS: Record<Direction | 'none', string> = { bring_in: '#1677ff', both: '#52c41a', go_out: '#fa8c16', none: '#bfbfbf' };

export function useCountryGroups() {
  return useQuery({ queryKey: ['country-groups'], queryFn: () => api.get<{ items: CountryGroup[] }>('/api/country-groups'), staleTime: 600_000 });
}

export function DirectionTag({ c }: { c: Pick<StrategyCountry, 'direction' | 'direction_zh' | 'direction_en'> }) {
  const { t, lang } = useA();
  if (!c.direction) return <Tag>{t('strategy.directions.none')}</Tag>;
  return (
    <Tag color={DIRECTION_COLORS[c.direction]} data-col="direction">
      {lang === 'en' ? c.direction_en : c.direction_zh}
    </Tag>
  );
}


// ---------------------------------------------------------------- tiers

export const TIER_COLORS = ['#cf1322', '#fa8c16', '#1677ff', '#13c2c2', '#722ed1', '#8c8c8c'];

/** "一级方阵" / "Tier 1". */
export function useTierName() {
  const { t } = useA();
  return (n: number) => t('tiers.tier', { n, cn: CN_NUMERALS[n - 1] ?? String(n) });
}

export function tierRange(t: (k: string, o?: Record<string, unknown>) => string, tier: { min: number | null; max: number | null }, lang: 'zh' | 'en'): string {
  if (tier.min !== null && tier.max !== null) return t('tiers.between', { min: fmt(tier.min, lang), max: fmt(tier.max, lang) });
  if (tier.min !== null) return t('tiers.atLeast', { min: fmt(tier.min, lang) });
  if (tier.max !== null) return t('tiers.below', { max: fmt(tier.max, lang) });
  return t('tiers.all');
}


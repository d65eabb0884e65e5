/**
 * How the indicator pages fetch: queries keyed under 'indicators' (so a write refreshes every
 * page that shows the same framework, data set or run), the roles that may write, number
 * formats, node names in the page's language, list state in the address, and a CSV of what a
 * table shows.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router-dom';
import { api } from '../../api.ts';
import { hasRole, useUser } from '../../auth.tsx';
import type { Lang } from '../../i18n.ts';
import type { DatasetDetail, DatasetSummary, FNode, FrameworkDetail, FrameworkSummary, RunDetail, RunSummary, Uncertainty, Version } from './types.ts';

export const BASE = '/api/indicators';

export const keys = {
  all: ['indicators'] as const,
  frameworks: () => ['indicators', 'frameworks'] as const,
  framework: (ref: string | number, version?: number) => ['indicators', 'framework', String(ref), version ?? 'latest'] as const,
  versions: (ref: string | number) => ['indicators', 'framework', String(ref), 'versions'] as const,
  datasets: (framework?: number) => ['indicators', 'datasets', framework ?? 'all'] as const,
  dataset: (id: number) => ['indicators', 'dataset', id] as const,
  runs: (f: { framework?: number; dataset?: number } = {}) => ['indicators', 'runs', f] as const,
  run: (id: number) => ['indicators', 'run', id] as const,
};

export const useFrameworks = () => useQuery({ queryKey: keys.frameworks(), queryFn: () => api.get<{ items: FrameworkSummary[] }>(`${BASE}/frameworks`) });

export const useFramework = (ref: string | number | null | undefined, version?: number) =>
  useQuery({
    queryKey: keys.framework(ref ?? '', version),
    queryFn: () => api.get<FrameworkDetail>(`${BASE}/frameworks/${encodeURIComponent(String(ref))}`, { version }),
    enabled: ref !== null && ref !== undefined && ref !== '',
  });

export const useVersions = (ref: string | number | null | undefined) =>
  useQuery({
    queryKey: keys.versions(ref ?? ''),
    queryFn: () => api.get<{ items: Version[] }>(`${BASE}/frameworks/${encodeURIComponent(String(ref))}/versions`),
    enabled: ref !== null && ref !== undefined && ref !== '',
  });

export const useDatasets = (framework?: number) =>
  useQuery({ queryKey: keys.datasets(framework), queryFn: () => api.get<{ items: DatasetSummary[] }>(`${BASE}/datasets`, { framework }) });

export const useDataset = (id: number) => useQuery({ queryKey: keys.dataset(id), queryFn: () => api.get<DatasetDetail>(`${BASE}/datasets/${id}`), enabled: id > 0 });

export const useRuns = (f: { framework?: number; dataset?: number } = {}) =>
  useQuery({ queryKey: keys.runs(f), queryFn: () => api.get<{ items: RunSummary[] }>(`${BASE}/runs`, f) });

export const useRun = (id: number) => useQuery({ queryKey: keys.run(id), queryFn: () => api.get<RunDetail>(`${BASE}/runs/${id}`), enabled: id > 0 });

/** The Monte-Carlo part of a run; null when the run had none (the API answers 404 RUN_NO_UNCERTAINTY). */
export const useUncertainty = (id: number, enabled: boolean) =>
  useQuery({
    queryKey: [...keys.run(id), 'uncertainty'],
    queryFn: () => api.get<Uncertainty>(`${BASE}/runs/${id}/uncertainty`),
    enabled: enabled && id > 0,
  });

/** Refreshes everything the indicator pages show after a write. */
export function useRefresh() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: keys.all });
}

/** Evaluators and administrators build frameworks, import data and run; the bureau reads. */
export const WRITERS = ['admin', 'evaluator'] as const;
export const READERS = ['admin', 'bureau', 'evaluator'] as const;

export function useCanWrite(): boolean {
  return hasRole(useUser(), WRITERS);
}

export function useIsAdmin(): boolean {
  return hasRole(useUser(), ['admin']);
}

// ---------------------------------------------------------------- numbers and names

const locale = (lang: Lang) => (lang === 'en' ? 'en-GB' : 'zh-CN');

/** A number with at most `digits` decimals (fixed when `fixed`), '—' for none. */
export function fmt(v: number | null | undefined, lang: Lang, digits = 2, fixed = false): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return v.toLocaleString(locale(lang), { maximumFractionDigits: digits, minimumFractionDigits: fixed ? digits : 0 });
}

/** A share (0.125) as a percentage (12.5%). */
export function pct(v: number | null | undefined, lang: Lang, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return `${(v * 100).toLocaleString(locale(lang), { maximumFractionDigits: digits })}%`;
}

/** Fixed two decimals, as scores are published (68.38). */
export const score2 = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(2));

export function dateTime(iso: string, lang: Lang): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(locale(lang), { hour12: false });
}

/** A node's name in the page's language (falls back to the other language, then the code). */
export function nodeName(n: Pick<FNode, 'code' | 'name' | 'name_en'> | undefined | null, lang: Lang): string {
  if (!n) return '';
  return (lang === 'en' ? n.name_en || n.name : n.name || n.name_en) || n.code;
}

/** A framework's name in the page's language. */
export function frameworkName(f: Pick<FrameworkSummary, 'name' | 'name_en'> | undefined | null, lang: Lang): string {
  if (!f) return '';
  return (lang === 'en' ? f.name_en || f.name : f.name) ?? '';
}

/**
 * A label stored as "中文 / English" (the demo's run labels) in the page's language; other
 * labels as they are.
 */
export function bilingual(s: string | null | undefined, lang: Lang): string {
  if (!s) return '';
  const i = s.indexOf(' / ');
  if (i < 0 || !/[\u4e00-\u9fff]/.test(s.slice(0, i))) return s;
  return lang === 'en' ? s.slice(i + 3) : s.slice(0, i);
}

/** Case-insensitive "contains" over several fields. */
export function matches(needle: string, ...fields: (string | number | null | undefined)[]): boolean {
  const n = needle.trim().toLowerCase();
  if (!n) return true;
  return fields.some((f) => f !== null && f !== undefined && String(f).toLowerCase().includes(n));
}

// ---------------------------------------------------------------- list state in the address

/** A list's search, sort, order and page kept in the address so a view can be sent on. */
export function useListState(defaults: { sort?: string; order?: 'asc' | 'desc'; pageSize?: number } = {}) {
  const [params, setParams] = useSearchParams();
  const set = (patch: Record<string, string | undefined>, resetPage = true) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) (v === undefined || v === '' ? next.delete(k) : next.set(k, v));
    if (resetPage) next.delete('page');
    setParams(next, { replace: true });
  };
  return {
    params,
    set,
    q: params.get('q') ?? '',
    sort: params.get('sort') ?? defaults.sort ?? '',
    order: (params.get('order') ?? defaults.order ?? 'asc') as 'asc' | 'desc',
    page: Number(params.get('page') ?? '1') || 1,
    pageSize: Number(params.get('pageSize') ?? String(defaults.pageSize ?? 20)) || 20,
  };
}

/** Compares two cells for sorting: numbers numerically, missing values last, text by the Chinese collation. */
export function compareCells(a: unknown, b: unknown): number {
  const na = a === null || a === undefined || a === '';
  const nb = b === null || b === undefined || b === '';
  if (na || nb) return na === nb ? 0 : na ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'zh-CN');
}

/** Saves a table as CSV (UTF-8 with BOM, so Excel opens Chinese correctly). */
export function saveCsv(name: string, header: string[], rows: Array<Array<string | number | null | undefined>>): void {
  const cell = (v: string | number | null | undefined) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const text = '\ufeff' + [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Registry descriptions from /api/meta/registries (the same descriptions the server validates
 * with) and how a field's value reads on a page.
 */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api.ts';
import type { Lang } from '../../i18n.ts';

export interface FieldMeta {
  name: string;
  zh: string;
  en: string;
  type: 'text' | 'longtext' | 'int' | 'number' | 'bool' | 'date' | 'enum' | 'iso3' | 'ref';
  values?: { value: string; zh: string; en: string }[];
  ref?: 'admin_regions' | 'organizations' | 'projects';
  required: boolean;
  min?: number;
  max?: number;
  filter: boolean;
  sort: boolean;
  search: boolean;
  restricted: boolean;
  readOnly: boolean;
}

export interface RegistryMeta {
  kind: string;
  entity: string;
  zh: string;
  en: string;
  fields: FieldMeta[];
  display: { name: string; zh: string; en: string }[];
  /** Filters on related records (a project's partner countries). */
  relation_filters: { name: string; zh: string; en: string; type: 'iso3' }[];
  defaultSort: string;
  scoped: boolean;
  searchable: boolean;
}

export type Row = Record<string, unknown> & { id: number };

/** Roles that create and edit registry records (each within its own scope, which the server checks). */
export const REGISTRY_WRITERS = ['admin', 'bureau', 'district', 'organization'] as const;

export function useRegistries() {
  return useQuery({ queryKey: ['meta', 'registries'], queryFn: () => api.get<{ registries: RegistryMeta[] }>('/api/meta/registries'), staleTime: Infinity });
}

export function useRegistry(kind: string | undefined): { meta: RegistryMeta | undefined; isLoading: boolean; error: unknown } {
  const q = useRegistries();
  return { meta: q.data?.registries.find((r) => r.kind === kind), isLoading: q.isLoading, error: q.error };
}

/** The display column that names a ref/iso3 field's target, when the list carries one. */
export function displayFor(meta: RegistryMeta, f: FieldMeta, lang: Lang): string | undefined {
  const names = meta.display.map((d) => d.name);
  if (f.type === 'iso3') {
    const zh = f.name === 'country_iso3' ? 'country_name_zh' : f.name === 'nationality_iso3' ? 'nationality_name_zh' : undefined;
    const en = f.name === 'country_iso3' ? 'country_name_en' : undefined;
    if (lang === 'en' && en && names.includes(en)) return en;
    if (zh && names.includes(zh)) return zh;
  }
  if (f.type === 'ref') {
    const byField: Record<string, string> = { region_id: 'region_name', lead_org_id: 'lead_org_name', host_org_id: 'host_org_name', project_id: 'project_title', org_id: 'org_name' };
    const d = byField[f.name];
    if (d && names.includes(d)) return d;
  }
  return undefined;
}

/** A value as a person reads it: enum labels, yes/no, display names of references. */
export function formatValue(meta: RegistryMeta, f: FieldMeta, row: Row, lang: Lang): string {
  const v = row[f.name];
  if (v === null || v === undefined || v === '') {
    return '—';
  }
  if (f.type === 'enum') {
    const e = f.values?.find((x) => x.value === v);
    return e ? (lang === 'en' ? e.en : e.zh) : String(v);
  }
  if (f.type === 'bool') return v ? (lang === 'en' ? 'Yes' : '是') : lang === 'en' ? 'No' : '否';
  const d = displayFor(meta, f, lang);
  if (d && row[d]) return f.type === 'iso3' ? `${row[d]} (${v})` : String(row[d]);
  if (f.type === 'number' && typeof v === 'number') return v.toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', { maximumFractionDigits: 4 });
  return String(v);
}

export const label = (x: { zh: string; en: string }, lang: Lang) => (lang === 'en' ? x.en : x.zh);

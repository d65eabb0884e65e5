/**
 * Pickers for references: administrative regions, countries, and records of another registry
 * (organisations, projects), searched on the server as the person types.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import { useLang } from '../i18n.ts';

interface Props<V> {
  /** The id a form label points at (Form.Item passes it). */
  id?: string;
  value?: V | null;
  onChange?: (v: V | null) => void;
  placeholder?: string;
  allowClear?: boolean;
  style?: React.CSSProperties;
  'data-testid'?: string;
}

function useDebounced(v: string, ms = 250): string {
  const [d, setD] = useState(v);
  useEffect(() => {
    const t = setTimeout(() => setD(v), ms);
    return () => clearTimeout(t);
  }, [v, ms]);
  return d;
}

interface RegionRow {
  id: number;
  name: string;
  short_name: string;
  name_en: string | null;
  level: string;
}

export function RegionSelect({ id, value, onChange, placeholder, allowClear = true, style, ...rest }: Props<number>) {
  const { lang } = useLang();
  const [text, setText] = useState('');
  const q = useDebounced(text);
  const list = useQuery({
    queryKey: ['regions', q],
    queryFn: () => api.get<{ items: RegionRow[] }>('/api/regions', q ? { q, pageSize: 50 } : { scope: 'mine', pageSize: 200 }),
    staleTime: 300_000,
    // The options of the previous search stay until the new ones arrive: a list that blanks
    // while the person types moves the option under the pointer away as it is clicked.
    placeholderData: keepPreviousData,
  });
  const current = useQuery({
    queryKey: ['region', value],
    queryFn: () => api.get<RegionRow>(`/api/regions/${value}`),
    enabled: typeof value === 'number' && !list.data?.items.some((r) => r.id === value),
    staleTime: 300_000,
  });
  const items = [...(list.data?.items ?? [])];
  if (current.data && !items.some((r) => r.id === current.data.id)) items.unshift(current.data);
  return (
    <Select
      id={id}
      showSearch={{ filterOption: false, onSearch: setText }}
      allowClear={allowClear}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      placeholder={placeholder}
      loading={list.isFetching}
      style={{ minWidth: 160, ...style }}
      data-testid={rest['data-testid']}
      options={items.map((r) => ({ value: r.id, label: lang === 'en' && r.name_en ? r.name_en : r.short_name || r.name }))}
    />
  );
}

interface CountryRow {
  iso3: string;
  name_zh: string;
  name_en: string;
}

export function CountrySelect({ id, value, onChange, placeholder, allowClear = true, style, ...rest }: Props<string>) {
  const { lang } = useLang();
  const [text, setText] = useState('');
  const q = useDebounced(text);
  const list = useQuery({
    queryKey: ['countries', q],
    queryFn: () => api.get<{ items: CountryRow[] }>('/api/countries', { q: q || undefined, pageSize: q ? 50 : 300, sort: lang === 'en' ? 'name_en' : 'iso3' }),
    staleTime: 300_000,
    placeholderData: keepPreviousData,
  });
  return (
    <Select
      id={id}
      showSearch={{ filterOption: false, onSearch: setText }}
      allowClear={allowClear}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      placeholder={placeholder}
      loading={list.isFetching}
      style={{ minWidth: 160, ...style }}
      data-testid={rest['data-testid']}
      options={(list.data?.items ?? []).map((c) => ({ value: c.iso3, label: lang === 'en' ? c.name_en : c.name_zh }))}
    />
  );
}

/** A record of another registry, found by its name. */
export function RecordSelect({ kind, id, value, onChange, placeholder, allowClear = true, style, ...rest }: Props<number> & { kind: 'organizations' | 'projects' }) {
  const [text, setText] = useState('');
  const q = useDebounced(text);
  const name = (r: Record<string, unknown>) =>
    kind === 'projects' ? [r.code, r.title_zh ?? r.title_en].filter(Boolean).join(' ') : String(r.name_zh ?? r.name_en ?? r.id);
  const list = useQuery({
    queryKey: [kind, 'pick', q],
    queryFn: () => api.get<{ items: Record<string, unknown>[] }>(`/api/${kind}`, { q: q || undefined, pageSize: 20 }),
    staleTime: 60_000,
    placeholderData: keepPreviousData,
  });
  const current = useQuery({
    queryKey: [kind, value],
    queryFn: () => api.get<Record<string, unknown>>(`/api/${kind}/${value}`),
    enabled: typeof value === 'number' && !list.data?.items.some((r) => r.id === value),
  });
  const items = [...(list.data?.items ?? [])];
  if (current.data && !items.some((r) => r.id === current.data.id)) items.unshift(current.data);
  return (
    <Select
      id={id}
      showSearch={{ filterOption: false, onSearch: setText }}
      allowClear={allowClear}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      placeholder={placeholder}
      loading={list.isFetching}
      style={{ minWidth: 200, ...style }}
      data-testid={rest['data-testid']}
      options={items.map((r) => ({ value: r.id as number, label: name(r) }))}
    />
  );
}

/**
 * How the plan pages fetch and send: queries keyed by plan and as-of date (so every page
 * showing a plan refreshes together after a write), the as-of date kept in the address, the
 * multi-file upload of the plan import, and a CSV of what a table shows.
 */
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router-dom';
import { api, ApiError, type ErrorDetail } from '../../api.ts';
import type { Board, Cases, Method, Milestone, PlanSummary, PlanTree, Report, Supervision } from './types.ts';

/** Today as YYYY-MM-DD in the browser's time zone. */
export function todayIso(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The as-of date of the address (?asOf=YYYY-MM-DD), today when absent. */
export function useAsOf(): [string, (d: string | null) => void] {
  const [params, setParams] = useSearchParams();
  const raw = params.get('asOf');
  const asOf = raw && /^\d{4}-\d{2}-\d{2}$/.test(raw) ? raw : todayIso();
  const set = (d: string | null) => {
    const next = new URLSearchParams(params);
    if (!d || d === todayIso()) next.delete('asOf');
    else next.set('asOf', d);
    setParams(next, { replace: true });
  };
  return [asOf, set];
}

export const planKeys = {
  all: ['plans'] as const,
  list: () => ['plans', 'list'] as const,
  plan: (id: number) => ['plans', id] as const,
};

export const usePlans = () => useQuery({ queryKey: planKeys.list(), queryFn: () => api.get<{ items: PlanSummary[] }>('/api/plans') });

export const usePlanTree = (id: number) => useQuery({ queryKey: [...planKeys.plan(id), 'tree'], queryFn: () => api.get<PlanTree>(`/api/plans/${id}`) });

export const useBoard = (id: number, asOf: string) =>
  useQuery({ queryKey: [...planKeys.plan(id), 'status', asOf], queryFn: () => api.get<Board>(`/api/plans/${id}/status`, { asOf }), placeholderData: keepPreviousData });

export const useSupervision = (id: number | null, asOf: string) =>
  useQuery({
    queryKey: [...planKeys.plan(id ?? 0), 'supervision', asOf],
    queryFn: () => api.get<Supervision>(`/api/plans/${id}/supervision`, { asOf }),
    enabled: id !== null,
    placeholderData: keepPreviousData,
  });

export const useCases = (id: number | null) =>
  useQuery({ queryKey: [...planKeys.plan(id ?? 0), 'cases'], queryFn: () => api.get<Cases>(`/api/plans/${id}/supervision/cases`, { state: 'open' }), enabled: id !== null });

export const useReports = (id: number, f: { status?: string; task?: string } = {}) =>
  useQuery({ queryKey: [...planKeys.plan(id), 'reports', f], queryFn: () => api.get<{ items: Report[] }>(`/api/plans/${id}/reports`, f) });

export const useMethod = (id: number) =>
  useQuery({ queryKey: [...planKeys.plan(id), 'method'], queryFn: () => api.get<Method>(`/api/plans/${id}/method`), staleTime: 60_000 });

export const useMilestones = (id: number, task: string, asOf: string) =>
  useQuery({
    queryKey: [...planKeys.plan(id), 'milestones', task, asOf],
    queryFn: () => api.get<{ as_of: string; items: Milestone[] }>(`/api/plans/${id}/milestones`, { task, asOf }),
  });

/** Refreshes everything shown of a plan (and the list, and the notifications) after a write. */
export function useRefreshPlan() {
  const qc = useQueryClient();
  return (id?: number) =>
    Promise.all([
      qc.invalidateQueries({ queryKey: id === undefined ? planKeys.all : planKeys.plan(id) }),
      qc.invalidateQueries({ queryKey: planKeys.list() }),
      qc.invalidateQueries({ queryKey: ['notifications'] }),
      qc.invalidateQueries({ queryKey: ['home'] }),
    ]);
}

/**
 * Uploads several files as multipart (each in the field "file") with upload progress (0–1).
 * XHR rather than fetch: fetch cannot report upload progress.
 */
export function uploadFiles<T>(url: string, files: File[], onProgress?: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK_ERROR', '无法连接服务器，请检查网络', 'Cannot reach the server; check the network'));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON: a proxy page */
      }
      if (xhr.status >= 200 && xhr.status < 300 && body) return resolve(body as T);
      const e = (body as { error?: { code?: string; message?: string; message_en?: string; details?: ErrorDetail[] } } | null)?.error;
      reject(
        e?.code
          ? new ApiError(xhr.status, e.code, e.message ?? e.code, e.message_en ?? e.message ?? e.code, e.details ?? [])
          : new ApiError(xhr.status, `HTTP_${xhr.status}`, `服务器返回错误（${xhr.status}）`, `The server answered ${xhr.status}`),
      );
    };
    const form = new FormData();
    for (const f of files) form.append('file', f, f.name);
    xhr.send(form);
  });
}

/** Saves rows as a UTF-8 CSV (with BOM, so Excel reads the Chinese) named `name`. */
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

/** The file name of a download from its Content-Disposition (RFC 5987 form first). */
function fileNameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      /* fall through to the plain name */
    }
  }
  return /filename="?([^";]+)"?/i.exec(disposition)?.[1] ?? fallback;
}

/**
 * Downloads a generated file (the quarterly report) through fetch, so a refusal or a failure
 * is shown on the page as the server's coded message instead of replacing the page.
 */
export async function fetchDownload(url: string, fallbackName: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, { credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', '无法连接服务器，请检查网络', 'Cannot reach the server; check the network');
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string; message_en?: string; details?: ErrorDetail[] } } | null;
    const e = body?.error;
    throw e?.code
      ? new ApiError(res.status, e.code, e.message ?? e.code, e.message_en ?? e.message ?? e.code, e.details ?? [])
      : new ApiError(res.status, `HTTP_${res.status}`, `服务器返回错误（${res.status}）`, `The server answered ${res.status}`);
  }
  const blob = await res.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = fileNameOf(res.headers.get('content-disposition'), fallbackName);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

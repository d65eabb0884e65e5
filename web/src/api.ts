/**
 * The one way the web application talks to the server: JSON over fetch with the session
 * cookie, every refusal turned into an ApiError carrying the server's stable code and its
 * Chinese and English messages (and row/column details), so pages show what the API says.
 */
export interface ErrorDetail {
  row?: number;
  column?: string;
  field?: string;
  code?: string;
  message?: string;
  message_en?: string;
  [key: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messageZh: string,
    readonly messageEn: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(`${code}: ${messageEn}`);
  }
}

/** Fired when the server says the session is gone, so the app can return to log-in. */
export const SESSION_EXPIRED = 'innolink:session-expired';

async function toError(res: Response): Promise<ApiError> {
  let body: { error?: { code?: string; message?: string; message_en?: string; details?: ErrorDetail[] } } = {};
  try {
    body = await res.json();
  } catch {
    /* not JSON: a proxy or network page */
  }
  const e = body.error;
  if (e?.code) return new ApiError(res.status, e.code, e.message ?? e.code, e.message_en ?? e.message ?? e.code, e.details ?? []);
  return new ApiError(res.status, `HTTP_${res.status}`, `服务器返回错误（${res.status}）`, `The server answered ${res.status}`);
}

export type Query = Record<string, string | number | boolean | undefined | null | (string | number)[]>;

export function qs(q?: Query): string {
  if (!q) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) v.forEach((x) => p.append(k, String(x)));
    else p.append(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', '无法连接服务器，请检查网络', 'Cannot reach the server; check the network');
  }
  if (!res.ok) {
    const err = await toError(res);
    if (res.status === 401 && !url.startsWith('/api/auth/')) window.dispatchEvent(new Event(SESSION_EXPIRED));
    throw err;
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? res.json() : res.text()) as Promise<T>;
}

export const api = {
  get: <T>(url: string, q?: Query) => request<T>('GET', url + qs(q)),
  post: <T>(url: string, body?: unknown) => request<T>('POST', url, body ?? {}),
  put: <T>(url: string, body?: unknown) => request<T>('PUT', url, body ?? {}),
  patch: <T>(url: string, body?: unknown) => request<T>('PATCH', url, body ?? {}),
  del: <T>(url: string) => request<T>('DELETE', url),
};

/**
 * Uploads a file as multipart (field "file") with upload progress (0–1), as XHR: fetch cannot
 * report upload progress.
 */
export function upload<T>(url: string, file: File, onProgress?: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK_ERROR', '无法连接服务器，请检查网络', 'Cannot reach the server; check the network'));
    xhr.onload = async () => {
      const res = new Response(xhr.responseText, { status: xhr.status, headers: { 'content-type': xhr.getResponseHeader('content-type') ?? '' } });
      if (xhr.status >= 200 && xhr.status < 300) resolve((await res.json()) as T);
      else reject(await toError(res));
    };
    const form = new FormData();
    form.append('file', file);
    xhr.send(form);
  });
}

/** Starts a browser download of a GET endpoint (exports, reports) keeping the session cookie. */
export function download(url: string, q?: Query): void {
  const a = document.createElement('a');
  a.href = url + qs(q);
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/**
 * Starts a browser download of a POST endpoint (a download that is recorded, such as a backup):
 * a same-origin form submission, so the browser shows its own download progress.
 */
export function downloadPost(url: string): void {
  const form = document.createElement('form');
  form.method = 'post';
  form.action = url;
  form.style.display = 'none';
  document.body.appendChild(form);
  form.submit();
  form.remove();
}

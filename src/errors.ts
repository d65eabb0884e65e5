/**
 * The one error type. Every refusal carries a stable code, an HTTP status, a Chinese message
 * (message) and an English one (message_en), and optional details (rows, columns, fields).
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

export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly messageZh: string;
  readonly messageEn: string;
  readonly details: ErrorDetail[];

  constructor(code: string, status: number, messageZh: string, messageEn: string, details: ErrorDetail[] = []) {
    super(`${code}: ${messageEn}`);
    this.code = code;
    this.status = status;
    this.messageZh = messageZh;
    this.messageEn = messageEn;
    this.details = details;
  }

  toJSON(requestId?: string) {
    return {
      error: {
        code: this.code,
        message: this.messageZh,
        message_en: this.messageEn,
        details: this.details,
        ...(requestId ? { requestId } : {}),
      },
    };
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

// Factories: one per refusal, so codes and wording stay the same wherever they are raised.

export const validationFailed = (details: ErrorDetail[]) =>
  new AppError('VALIDATION_FAILED', 400, '输入数据不符合要求', 'The input is not valid', details);

export const badRequest = (code: string, zh: string, en: string, details: ErrorDetail[] = []) =>
  new AppError(code, 400, zh, en, details);

export const notFound = (what: string, id: string | number) =>
  new AppError('NOT_FOUND', 404, `未找到${whatZh(what)}：${id}`, `No ${what} with id ${id}`, [{ field: 'id', value: id }]);

export const conflict = (code: string, zh: string, en: string, details: ErrorDetail[] = []) =>
  new AppError(code, 409, zh, en, details);

export const unauthenticated = () =>
  new AppError('UNAUTHENTICATED', 401, '请先登录', 'Please log in first');

export const forbidden = () =>
  new AppError('FORBIDDEN', 403, '没有权限执行此操作', 'You are not allowed to do this');

const megabytes = (bytes: number) => (bytes / 1048576).toFixed(bytes < 10 * 1048576 ? 1 : 0);

export const payloadTooLarge = (limit: number) =>
  new AppError('PAYLOAD_TOO_LARGE', 413, `文件过大（上限 ${megabytes(limit)} MB）`, `The file is too large (limit ${megabytes(limit)} MB)`);

export const storeLocked = (dir: string, pid: number) =>
  new AppError(
    'STORE_LOCKED',
    409,
    `数据目录 ${dir} 正被运行中的 innolink 服务（进程 ${pid}）使用。请通过该服务的网页或 API 操作，或先停止服务，或设置 DATABASE_URL 使用 PostgreSQL 服务器。`,
    `The data folder ${dir} is held by a running innolink server (process ${pid}). Use that server's web UI or API, stop it first, or set DATABASE_URL to use a PostgreSQL server.`,
  );

/** A state-changing request that a page of another site (or another port) made a browser send. */
export const crossSiteRefused = (source: string) =>
  new AppError(
    'CSRF_ORIGIN_REJECTED',
    403,
    `已拒绝来自其他站点的写操作请求（来源：${source}）。请在本系统自己的页面中操作；经反向代理访问时，代理须转发原始 Host 头（或设置 INNOLINK_TRUST_PROXY=1 并转发 X-Forwarded-Host）。`,
    `Refused a state-changing request sent from another site (${source}). Use innolink's own pages; behind a reverse proxy, forward the original Host header (or set INNOLINK_TRUST_PROXY=1 and forward X-Forwarded-Host).`,
    [{ field: 'origin', value: source }],
  );

export const internal = () =>
  new AppError('INTERNAL', 500, '服务器内部错误，已记录日志', 'Internal server error; it has been logged');

const WHAT_ZH: Record<string, string> = {
  country: '国家或地区',
  region: '行政区划',
  organization: '机构',
  project: '项目',
  funding: '经费记录',
  platform: '平台',
  talent: '人才',
  mechanism: '合作机制',
  output: '成果',
  fact: '统计数据',
  import: '导入批次',
  record: '记录',
};
function whatZh(what: string): string {
  return WHAT_ZH[what] ?? what;
}

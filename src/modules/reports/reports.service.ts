/**
 * Exported reports: the region report (issue 4) and an action plan's quarterly report (issue
 * 6), as PDF (charts, Chinese font embedded) or XLSX (one sheet per table). Checks the actor
 * and the input first, gathers the figures through the analytics, funding and plans services,
 * builds one document and renders it in the format asked. Called by the HTTP routes and the
 * CLI alike.
 */
import { AppError, forbidden } from '../../errors.ts';
import type { ServiceContext } from '../../http/context.ts';
import { parseThresholds } from '../analytics/analytics.service.ts';
import { can, regionInScope } from '../auth/auth.policy.ts';
import { isoDate } from '../plans/plans.schema.ts';
import { todayIso } from '../plans/plans.values.ts';
import { regionsNamed } from '../regions/regions.repo.ts';
import { renderPdf } from './pdf/pdf.writer.ts';
import type { ReportDocument } from './reports.document.ts';
import { PLAN_STEPS, planDocument, planReportData, quarterLabel } from './reports.plan.ts';
import { periodLabel, REGION_STEPS, regionDocument, regionReportData } from './reports.region.ts';
import { renderXlsx } from './reports.xlsx.ts';

export const REPORT_FORMATS = ['pdf', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_CONTENT_TYPES: Record<ReportFormat, string> = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** A rendered report file. */
export interface ReportFile {
  kind: 'region' | 'plan';
  format: ReportFormat;
  /** The file name people see (Chinese allowed). */
  fileName: string;
  /** An ASCII-only file name for clients that do not read RFC 5987 names. */
  asciiFileName: string;
  contentType: string;
  body: Buffer;
  /** PDF: number of pages. */
  pages: number | null;
  /** XLSX: sheet names in order. */
  sheets: string[] | null;
}

/** Progress of a report: step `done` of `total`, named in both languages. */
export type ReportProgress = (p: { done: number; total: number; step: string }) => void;

/** The report format, refused with FORMAT_UNKNOWN (400) unless pdf or xlsx. */
export function parseFormat(value: string | undefined): ReportFormat {
  const v = (value ?? 'pdf').trim().toLowerCase();
  if (!(REPORT_FORMATS as readonly string[]).includes(v)) {
    throw new AppError('FORMAT_UNKNOWN', 400, `不支持的报告格式：${value}（可选：pdf、xlsx）`, `Unknown report format: ${value} (one of pdf, xlsx)`, [{ field: 'format', value }]);
  }
  return v as ReportFormat;
}

const periodInvalid = (zh: string, en: string, value: unknown) => new AppError('PERIOD_INVALID', 400, zh, en, [{ field: 'period', value }]);

/** A year from text or a number; PERIOD_INVALID (400) unless a year from 1900 to 2200. */
export function parseYear(value: string | number | undefined, field: 'from' | 'to'): number | undefined {
  if (value === undefined || value === '') return undefined;
  const s = String(value).trim();
  const y = Number(s);
  if (!/^\d{4}$/.test(s) || y < 1900 || y > 2200) {
    throw periodInvalid(`${field === 'from' ? '起始' : '截止'}年份应为1900至2200的四位年份：${s}`, `The ${field} year must be a four-digit year from 1900 to 2200: ${s}`, s);
  }
  return y;
}

/** A period of years; PERIOD_INVALID (400) for a bad year or a start after the end. */
export function parsePeriod(fromValue: string | number | undefined, toValue: string | number | undefined): { from?: number; to?: number } {
  const from = parseYear(fromValue, 'from');
  const to = parseYear(toValue, 'to');
  if (from !== undefined && to !== undefined && from > to) throw periodInvalid(`起始年份 ${from} 晚于截止年份 ${to}`, `The start year ${from} is after the end year ${to}`, `${from}-${to}`);
  return { from, to };
}

const regionUnknown = (name: string) =>
  new AppError('REGION_UNKNOWN', 404, `未找到地区：${name}`, `No region named ${name}`, [{ field: 'region', value: name }]);

export interface RegionReportInput {
  region: string;
  from?: string | number;
  to?: string | number;
  format?: string;
  /** "2000,1000": tier thresholds in 万元 (default the paper's). */
  thresholds?: string;
  top?: string | number;
}

/**
 * The region report. Refusals: FORMAT_UNKNOWN, PERIOD_INVALID, TIERS_SPEC_INVALID,
 * REPORT_TOP_INVALID (400); FORBIDDEN (403) for roles that may not export funding; REGION_UNKNOWN
 * (404) for a region that does not exist or lies outside the actor's regions — the same
 * answer, as the registry reads a record outside the scope as absent.
 */
export async function regionReport(ctx: ServiceContext, input: RegionReportInput, onProgress?: ReportProgress): Promise<ReportFile> {
  const format = parseFormat(input.format);
  const name = String(input.region ?? '').trim();
  if (!name) throw new AppError('REGION_UNKNOWN', 400, '请指定地区', 'Give a region', [{ field: 'region' }]);
  const { from, to } = parsePeriod(input.from, input.to);
  const thresholds = parseThresholds(input.thresholds ?? '2000,1000');
  const top = input.top === undefined || input.top === '' ? 10 : Number(input.top);
  if (!Number.isInteger(top) || top < 1 || top > 100) {
    throw new AppError('REPORT_TOP_INVALID', 400, `前N位应为1至100的整数：${input.top}`, `Top N must be an integer from 1 to 100: ${input.top}`, [{ field: 'top', value: input.top }]);
  }
  if (!can(ctx.actor, 'export', { kind: 'funding' })) throw forbidden();
  const [region] = await regionsNamed(ctx.db, name);
  if (!region || !regionInScope(ctx.actor.regionScope, region.id, region.path)) throw regionUnknown(name);
  if (!can(ctx.actor, 'export', { kind: 'funding', region_id: region.id, region_path: region.path })) throw regionUnknown(name);

  const total = REGION_STEPS.length + 1;
  let done = 0;
  const step = (s: string) => onProgress?.({ done: done++, total, step: s });
  const data = await regionReportData(ctx, { region, from, to, thresholds, top }, step);
  step('render');
  const doc = regionDocument(data, new Date().toISOString());
  const period = periodLabel(data);
  const file = await render(doc, format);
  onProgress?.({ done: total, total, step: 'done' });
  return {
    kind: 'region',
    format,
    fileName: safeFileName(`${region.short_name}地区报告_${period.en}.${format}`),
    asciiFileName: `innolink-region-${region.code ?? region.id}-${period.en.replace(/[^0-9A-Za-z-]+/g, '-')}.${format}`,
    contentType: REPORT_CONTENT_TYPES[format],
    ...file,
  };
}

export interface PlanReportInput {
  plan: string | number;
  asOf?: string;
  format?: string;
}

/**
 * The quarterly report of a plan as of a date (default today). Refusals: FORMAT_UNKNOWN,
 * PLAN_TIME_INVALID (400); FORBIDDEN (403) for roles that may not export; PLAN_NOT_FOUND (404)
 * for a plan that does not exist or that the actor does not see.
 */
export async function planReport(ctx: ServiceContext, input: PlanReportInput, onProgress?: ReportProgress): Promise<ReportFile> {
  const format = parseFormat(input.format);
  const asOf = input.asOf ?? todayIso();
  if (!isoDate.safeParse(asOf).success) {
    throw new AppError('PLAN_TIME_INVALID', 400, `评估日期应为 YYYY-MM-DD：${asOf}`, `The as-of date must be YYYY-MM-DD: ${asOf}`, [{ field: 'as_of', value: asOf }]);
  }
  if (!can(ctx.actor, 'export', { kind: 'plans' })) throw forbidden();
  const total = PLAN_STEPS.length + 1;
  let done = 0;
  const step = (s: string) => onProgress?.({ done: done++, total, step: s });
  const data = await planReportData(ctx, input.plan, asOf, step);
  step('render');
  const doc = planDocument(data, new Date().toISOString());
  const file = await render(doc, format);
  onProgress?.({ done: total, total, step: 'done' });
  const q = quarterLabel(asOf);
  return {
    kind: 'plan',
    format,
    fileName: safeFileName(`${data.tree.name}_${q.zh}监测报告.${format}`),
    asciiFileName: `innolink-plan-${data.tree.id}-${q.en.replace(' ', '')}-${asOf}.${format}`,
    contentType: REPORT_CONTENT_TYPES[format],
    ...file,
  };
}

async function render(doc: ReportDocument, format: ReportFormat): Promise<{ body: Buffer; pages: number | null; sheets: string[] | null }> {
  if (format === 'pdf') {
    const { pdf, pages } = await renderPdf(doc);
    return { body: pdf, pages, sheets: null };
  }
  const { xlsx, sheets } = await renderXlsx(doc);
  return { body: xlsx, pages: null, sheets };
}

/** A file name without characters that file systems or headers refuse. */
function safeFileName(name: string): string {
  return name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_');
}

/** A Content-Disposition header with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(file: Pick<ReportFile, 'fileName' | 'asciiFileName'>): string {
  const utf8 = encodeURIComponent(file.fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${file.asciiFileName}"; filename*=UTF-8''${utf8}`;
}

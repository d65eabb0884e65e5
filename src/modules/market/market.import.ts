/**
 * Demands and offers from a table (CSV or XLSX, Chinese or English headers), in the foundation
 * importer's contract: `{ ok, kind, rows: { read, imported, rejected }, issues: [{ row, column,
 * code, severity, message, message_en }] }`. The file is read by the importer's reader
 * (imports/read: encoding, delimiter, header, merged cells); each row is validated like a
 * profile created through the API; all rows are written in one transaction or none (unless
 * `keepValid`); a dry run validates and writes nothing. Rows become drafts, or — for officers
 * asking `publish` — published profiles (a bureau loading its results database); a bulk load
 * raises no alerts.
 */
import type { Actor } from '../../actor.ts';
import { AppError, forbidden } from '../../errors.ts';
import type { ServiceContext } from '../../http/context.ts';
import { translatePgError } from '../../store/pg-errors.ts';
import { nameKey } from '../../text/keys.ts';
import { recordAuditBatch } from '../audit/audit.service.ts';
import { loadCountryResolver } from '../countries/countries.resolve.ts';
import { inMemoryLimits, readTable } from '../imports/read/index.ts';
import { zodDetails } from '../registry/zod-details.ts';
import { fieldOfText } from './market.fields.ts';
import { marketIndexOf } from './market.index.ts';
import { insertProfile, insertProfileEvent, lockProfilesVersion, NOW, profilesVersion, updateProfileRow } from './market.repo.ts';
import { COOPERATION_TYPES, profileCreateBody, type CooperationType } from './market.schema.ts';
import { DEFAULT_VALIDITY_MONTHS, isOfficer } from './market.service.ts';

export const IMPORT_KINDS = ['demands', 'offers'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export interface ProfileImportIssue {
  row: number;
  column: string;
  code: string;
  severity: 'error' | 'warning';
  message: string;
  message_en: string;
}

/** The foundation importer's result (imports.types.ts ImportResult) as the marketplace fills it: no import log, so no import_id. */
export interface ProfileImportResult {
  ok: boolean;
  kind: ImportKind;
  /** Rows read, imported (a dry run: that would be) and rejected (all of them when nothing is written). */
  rows: { read: number; imported: number; rejected: number };
  issues: ProfileImportIssue[];
  dry_run?: true;
  issue_count: number;
  /** Every imported row is a new profile. */
  changes: { inserted: number; updated: number; unchanged: number };
}

export interface ProfileImportOptions {
  kind: ImportKind;
  dryRun?: boolean;
  keepValid?: boolean;
  /** Officers only: publish the rows at once instead of leaving drafts. */
  publish?: boolean;
}

type Target = 'title' | 'summary' | 'title_zh' | 'title_en' | 'summary_zh' | 'summary_en' | 'problem' | 'advantages' | 'field' | 'keywords' | 'trl' | 'ipr' | 'cooperation' | 'country' | 'org' | 'expires';

/** Header words of each field (compared after lower-casing; the first match wins, longest alias first). */
const ALIASES: Record<Target, readonly string[]> = {
  title_zh: ['中文标题', '中文名称', 'title (zh)', 'title_zh'],
  title_en: ['英文标题', '英文名称', 'title (en)', 'title_en', 'english title'],
  summary_zh: ['中文简介', '中文摘要', 'summary_zh'],
  summary_en: ['英文简介', '英文摘要', 'summary_en', 'english summary'],
  title: ['项目名称', '需求名称', '成果名称', '技术名称', '标题', '名称', 'title', 'name'],
  summary: ['需求描述', '成果简介', '技术简介', '简介', '摘要', '描述', '内容', 'summary', 'abstract', 'description', 'objective'],
  problem: ['解决的问题', '需解决的问题', '技术难题', '问题', 'problem'],
  advantages: ['技术优势', '创新点', '优势', 'advantages', 'innovation'],
  field: ['技术领域', '所属领域', '领域', '产业', 'field', 'sector', 'industry'],
  keywords: ['关键词', 'keywords', 'keyword'],
  trl: ['技术成熟度', '成熟度', 'trl', 'development stage', 'stage'],
  ipr: ['知识产权', 'ipr', 'intellectual property'],
  cooperation: ['合作方式', '合作类型', 'cooperation sought', 'cooperation', 'collaboration'],
  country: ['国家和地区', '国别', '国家', 'country'],
  org: ['机构名称', '单位名称', '机构', '单位', 'organisation', 'organization'],
  expires: ['有效期至', '有效期', '截止日期', 'expires', 'expiry', 'valid until'],
};

const COOP_WORDS: [RegExp, CooperationType][] = [
  [/许可|licen[cs]e/i, 'licence'],
  [/联合研发|合作研发|共同研发|联合开发|joint/i, 'joint_rd'],
  [/技术服务|咨询|service/i, 'technical_service'],
  [/投资|融资|invest/i, 'investment'],
  [/转让|并购|收购|acqui/i, 'acquisition'],
  [/人才|专家|talent|expert/i, 'talent'],
];

const IPR_WORDS: [RegExp, string][] = [
  [/申请中|pending/i, 'patent_pending'],
  [/软件著作权|software/i, 'software_copyright'],
  [/技术秘密|know/i, 'know_how'],
  [/专利|patent/i, 'patented'],
  [/^(无|none|no)$/i, 'none'],
];

const HAN = /\p{Script=Han}/u;
const text = (v: unknown) => (v === null || v === undefined ? '' : String(v).trim());

function mapColumns(labels: string[]): Map<Target, number> {
  const out = new Map<Target, number>();
  const entries = (Object.entries(ALIASES) as [Target, readonly string[]][]).flatMap(([t, as]) => as.map((a) => [t, a] as const)).sort((a, b) => b[1].length - a[1].length);
  labels.forEach((label, i) => {
    const l = label.toLowerCase();
    const hit = entries.find(([t, a]) => !out.has(t) && (l === a || l.includes(a)));
    if (hit) out.set(hit[0], i);
  });
  return out;
}

function isoDate(v: unknown): string | null {
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(text(v));
  if (!m) return null;
  const iso = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : null;
}

/** Organisations import their own profiles, officers anyone's; only officers publish at once. */
export function assertMayImport(actor: Actor, opts: Pick<ProfileImportOptions, 'publish'>): void {
  if (actor.role !== 'organization' && !isOfficer(actor)) throw forbidden();
  if (opts.publish && !isOfficer(actor)) throw forbidden();
}

/** Reads, validates and (unless a dry run) writes demands or offers from a table. */
export async function importProfiles(ctx: ServiceContext, file: { fileName: string; path?: string; buffer?: Buffer }, opts: ProfileImportOptions): Promise<ProfileImportResult> {
  const { actor } = ctx;
  assertMayImport(actor, opts);
  const kind = opts.kind === 'demands' ? 'demand' : 'offer';
  const issues: ProfileImportIssue[] = [];
  const issue = (row: number, column: string, code: string, severity: 'error' | 'warning', zh: string, en: string) => issues.push({ row, column, code, severity, message: zh, message_en: en });
  const result = (ok: boolean, rows: ProfileImportResult['rows']): ProfileImportResult => ({
    ok,
    kind: opts.kind,
    rows,
    issues,
    ...(opts.dryRun ? { dry_run: true } : {}),
    issue_count: issues.length,
    changes: { inserted: rows.imported, updated: 0, unchanged: 0 },
  });
  let read = 0;
  // Nothing was written: every row read counts as rejected (the foundation contract).
  const failed = () => result(false, { read, imported: 0, rejected: read });

  let table;
  try {
    table = await readTable({ ...file, checkTotals: false, limits: inMemoryLimits(ctx.config.readLimits) });
  } catch (e) {
    const i = (e as { issue?: { code: string; message: string; message_en: string } }).issue;
    if (!i) throw e;
    issue(0, '', i.code, 'error', i.message, i.message_en);
    return failed();
  }
  const labels = table.shape.columns.map((c) => c.label);
  const originals = table.shape.columns.map((c) => c.original);
  const cols = mapColumns(labels);
  if (!['title', 'title_zh', 'title_en'].some((t) => cols.has(t as Target))) {
    await table.close();
    issue(0, '', 'TITLE_COLUMN_MISSING', 'error', `找不到标题列（如「名称」「标题」「title」）；表头：${originals.join('、')}`, `No title column ("名称", "标题", "title"); the header is: ${originals.join(', ')}`);
    return failed();
  }
  const countries = await loadCountryResolver(ctx.db);
  const orgIds = new Map<string, number | null>();
  const valid: { row: number; rec: Record<string, unknown> }[] = [];
  let rejected = 0;
  for await (const r of table.rows) {
    if (r.kind !== 'data') continue;
    read++;
    const cell = (t: Target) => (cols.has(t) ? text(r.cells[cols.get(t)!]) : '');
    const label = (t: Target) => (cols.has(t) ? originals[cols.get(t)!] : t);
    const before = issues.length;
    // A profile field's column in the file, for the validation messages.
    const columnOf = (field: string) => {
      const f = field.split('.')[0];
      const t = ({ title_zh: ['title_zh', 'title'], title_en: ['title_en', 'title'], summary_zh: ['summary_zh', 'summary'], summary_en: ['summary_en', 'summary'], expires_on: ['expires'], country_iso3: ['country'], org_id: ['org'] } as Record<string, Target[]>)[f] ?? [f as Target];
      const hit = t.find((x) => cols.has(x));
      return hit ? label(hit) : field;
    };
    for (const i of r.issues) if (i.severity === 'error') issue(r.row, i.columnLabel ?? '', i.code, 'error', i.message, i.message_en);
    const rec: Record<string, unknown> = { kind };
    const put = (zh: string, en: string, v: string) => {
      if (!v) return;
      if (HAN.test(v)) rec[zh] ??= v;
      else rec[en] ??= v;
    };
    if (cell('title_zh')) rec.title_zh = cell('title_zh');
    if (cell('title_en')) rec.title_en = cell('title_en');
    put('title_zh', 'title_en', cell('title'));
    if (cell('summary_zh')) rec.summary_zh = cell('summary_zh');
    if (cell('summary_en')) rec.summary_en = cell('summary_en');
    put('summary_zh', 'summary_en', cell('summary'));
    if (cell('problem')) rec.problem = cell('problem');
    if (cell('advantages')) rec.advantages = cell('advantages');
    if (cell('field')) {
      const f = fieldOfText(cell('field'));
      if (f) rec.field = f;
      else issue(r.row, label('field'), 'FIELD_UNKNOWN', 'warning', `技术领域「${cell('field')}」不在分类中，已留空`, `Technology field "${cell('field')}" is not in the taxonomy; left empty`);
    }
    if (cell('keywords')) rec.keywords = cell('keywords').split(/[,，;；、]/).map((k) => k.trim()).filter(Boolean).slice(0, 20);
    if (cell('trl')) {
      const m = /(\d+)/.exec(cell('trl'));
      rec.trl = m ? Number(m[1]) : cell('trl');
    }
    if (cell('ipr')) rec.ipr = IPR_WORDS.find(([re]) => re.test(cell('ipr')))?.[1] ?? 'other';
    if (cell('cooperation')) {
      const parts = cell('cooperation').split(/[,，;；、/]/).map((p) => p.trim()).filter(Boolean);
      const coop = [...new Set(parts.map((p) => COOP_WORDS.find(([re]) => re.test(p))?.[1]).filter((c): c is CooperationType => c !== undefined))];
      const unknown = parts.filter((p) => !COOP_WORDS.some(([re]) => re.test(p)));
      if (unknown.length) issue(r.row, label('cooperation'), 'COOPERATION_UNKNOWN', 'warning', `未识别的合作方式：${unknown.join('、')}（可选：${COOPERATION_TYPES.join('、')}）`, `Unknown cooperation type(s): ${unknown.join(', ')}`);
      rec.cooperation = coop;
    }
    if (cell('country')) {
      const c = countries.resolve(cell('country'));
      if (c.iso3 && c.match !== 'fuzzy') rec.country_iso3 = c.iso3;
      else
        issue(r.row, label('country'), 'COUNTRY_UNRESOLVED', 'error', `无法识别国别「${cell('country')}」${c.suggestions[0] ? `（是否为 ${c.suggestions[0].name_zh}？）` : ''}`, `Unknown country "${cell('country')}"${c.suggestions[0] ? ` (${c.suggestions[0].name_en}?)` : ''}`);
    }
    if (actor.role === 'organization') rec.org_id = actor.orgId;
    else if (cell('org')) {
      const key = nameKey(cell('org'));
      if (!orgIds.has(key)) orgIds.set(key, Number((await ctx.db.query<{ id: number }>('SELECT id FROM organizations WHERE name_key = $1 ORDER BY id LIMIT 1', [key]))[0]?.id ?? NaN) || null);
      const id = orgIds.get(key);
      if (id) rec.org_id = id;
      else issue(r.row, label('org'), 'ORG_NOT_FOUND', 'warning', `机构库中没有「${cell('org')}」，已留空`, `No organisation "${cell('org')}" in the registry; left empty`);
    }
    if (cell('expires')) {
      const d = isoDate(r.cells[cols.get('expires')!]);
      if (d) rec.expires_on = d;
      else issue(r.row, label('expires'), 'DATE_INVALID', 'error', `有效期应为日期（YYYY-MM-DD）：${cell('expires')}`, `The expiry must be a date (YYYY-MM-DD): ${cell('expires')}`);
    }
    const parsed = profileCreateBody.safeParse(rec);
    if (!parsed.success) for (const d of zodDetails(parsed.error)) issue(r.row, columnOf(d.field ?? ''), d.code ?? 'INVALID', 'error', d.message ?? '', d.message_en ?? '');
    if (parsed.success && parsed.data.expires_on && parsed.data.expires_on <= new Date().toISOString().slice(0, 10))
      issue(r.row, label('expires'), 'MARKET_EXPIRY_PAST', 'error', `有效期 ${parsed.data.expires_on} 已过`, `The expiry date ${parsed.data.expires_on} has passed`);
    if (issues.slice(before).some((i) => i.severity === 'error')) rejected++;
    else valid.push({ row: r.row, rec: parsed.success ? parsed.data : rec });
  }
  for (const i of table.issues) if (i.row === null && i.severity === 'error') issue(0, i.columnLabel ?? '', i.code, 'error', i.message, i.message_en);

  if (read === 0) issue(0, '', 'NO_DATA_ROWS', 'error', '文件中没有数据行', 'The file has no data rows');

  // As the foundation importer: errors stop the whole file unless --keep-valid, and then only
  // when nothing valid is left; a dry run writes everything and rolls back, so its counts are
  // those of the real import.
  const errors = issues.some((i) => i.severity === 'error');
  if (errors && (!opts.keepValid || valid.length === 0)) return failed();
  const region = actor.regionScope?.[0] ?? null;
  let before = 0;
  let after = 0;
  const ids: number[] = [];
  try {
    await ctx.db.transaction(async (tx) => {
      before = await lockProfilesVersion(tx);
      const audits = [];
      for (const v of valid) {
        const orgRegion = v.rec.org_id ? ((await tx.query<{ region_id: number | null }>('SELECT region_id FROM organizations WHERE id = $1', [v.rec.org_id]))[0]?.region_id ?? null) : null;
        const id = await insertProfile(tx, { ...v.rec, region_id: v.rec.region_id ?? orgRegion ?? region }, actor.name);
        await insertProfileEvent(tx, { profileId: id, action: 'import', from: null, to: 'draft', comment: `${file.fileName} row ${v.row}`, actor: actor.name });
        if (opts.publish) {
          const expires = (v.rec.expires_on as string | undefined) ?? new Date(new Date().setUTCMonth(new Date().getUTCMonth() + DEFAULT_VALIDITY_MONTHS)).toISOString().slice(0, 10);
          await updateProfileRow(tx, id, { status: 'published', published_at: NOW, reviewed_by: actor.name, reviewed_at: NOW, expires_on: expires });
          await insertProfileEvent(tx, { profileId: id, action: 'approve', from: 'draft', to: 'published', comment: 'import --publish', actor: actor.name });
        }
        ids.push(id);
        audits.push({ actor, action: 'import', entity: 'market_profile', entityId: id, before: null, after: { id, ...v.rec, status: opts.publish ? 'published' : 'draft', file: file.fileName, row: v.row }, requestId: ctx.requestId });
      }
      await recordAuditBatch(tx, audits);
      after = await profilesVersion(tx);
      if (opts.dryRun) throw new DryRun();
    });
  } catch (e) {
    if (!(e instanceof DryRun)) throw translatePgError(e);
  }
  if (!opts.dryRun) await marketIndexOf(ctx.db).afterWrite(ctx.db, ids, before, after);
  return result(true, { read, imported: ids.length, rejected });
}

/** Thrown at the end of a dry run's transaction to roll everything back. */
class DryRun extends Error {}

export const importKindUnknown = (kind: string) =>
  new AppError('BAD_USAGE', 400, `未知的导入类型：${kind}（可选：${IMPORT_KINDS.join('、')}）`, `Unknown kind: ${kind} (one of ${IMPORT_KINDS.join(', ')})`);

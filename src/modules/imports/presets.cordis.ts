/**
 * The RCN-keyed H2020 participation file (eunets `h2020_participations.csv`: rcn, role, pic,
 * type, contribution, country, start_date, end_date, …) loaded whole. The file names projects
 * by RCN and organisations by PIC only, so its projects and organisations are registered first
 * — each an ordinary import of rows derived from the file, undoable on its own — and then its
 * participations, through the importer with the same checks as any file:
 *
 * 1. projects: code = the RCN, title "H2020 RCN n" (the file has no titles), programme, start
 *    and end dates, the programme parts as field when `h2020_programme_parts.csv` is given, no
 *    region (these are not our projects);
 * 2. organisations: named "PIC n", with the PIC, country and type (activityType HES, REC, PRC,
 *    PUB, OTH → university, institute, enterprise, government, other);
 * 3. participations: project, organisation, country, role, contribution in EUR.
 *
 * Country codes are CORDIS's (EL Greece, UK United Kingdom, NA Namibia): they are resolved here
 * and written as ISO3, so that "NA" is not read as an empty cell and an organisation without a
 * resolved country is never taken for a domestic one. A code that does not resolve is passed
 * on as written and reported by the importer (COUNTRY_UNRESOLVED) on its row.
 */
import { AppError } from '../../errors.ts';
import type { ServiceContext } from '../../http/context.ts';
import { resolveCountries } from '../countries/countries.resolve.ts';
import { runImport } from './imports.service.ts';
import type { ImportResult } from './imports.types.ts';
import { readTable } from './read/index.ts';

export interface CordisFile {
  fileName: string;
  path?: string;
  buffer?: Buffer;
}

export interface CordisLoadOptions {
  /** `h2020_programme_parts.csv` (rcn, programme_part): the projects' field. */
  programmeParts?: CordisFile;
  /** Programme named on the projects (default H2020). */
  programme?: string;
  /** Import the valid rows of each step even when others fail. */
  keepValid?: boolean;
  onStep?: (step: 'projects' | 'organizations' | 'partners', rows: number) => void;
}

export interface CordisLoadResult {
  ok: boolean;
  /** Participation rows read from the file. */
  rows: number;
  projects: ImportResult;
  organizations: ImportResult | null;
  partners: ImportResult | null;
}

const REQUIRED = ['rcn', 'role', 'pic', 'country'] as const;
const ORG_TYPES: Record<string, string> = { HES: '高校', REC: '科研院所', PRC: '企业', PUB: '政府机构', OTH: '其他' };

function csvCell(v: string | number | null | undefined): string {
  const s = v == null ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
const csvLine = (cells: (string | number | null | undefined)[]) => `${cells.map(csvCell).join(',')}\n`;
const text = (v: unknown) => (v == null ? '' : String(v).trim());

async function readRows(ctx: ServiceContext, file: CordisFile): Promise<{ columns: string[]; rows: string[][] }> {
  const t = await readTable({ path: file.path, buffer: file.buffer, fileName: file.fileName, maxBytes: ctx.config.maxImportBytes, checkTotals: false, limits: ctx.config.readLimits });
  try {
    const columns = t.shape.columns.map((c) => (c.original || c.label).trim().toLowerCase());
    const rows: string[][] = [];
    for await (const r of t.rows) if (r.kind === 'data') rows.push(r.cells.map(text));
    return { columns, rows };
  } finally {
    await t.close();
  }
}

/** Loads the participation file in three imports; stops at the first that fails. */
export async function loadCordisParticipations(ctx: ServiceContext, file: CordisFile, opts: CordisLoadOptions = {}): Promise<CordisLoadResult> {
  const table = await readRows(ctx, file);
  const col = (name: string) => table.columns.indexOf(name);
  const missing = REQUIRED.filter((c) => col(c) < 0);
  if (missing.length) {
    throw new AppError(
      'CORDIS_SHAPE_UNKNOWN',
      400,
      `不是按 RCN 编排的 CORDIS 参与明细文件：缺少列 ${missing.join('、')}`,
      `Not an RCN-keyed CORDIS participation file: missing column(s) ${missing.join(', ')}`,
      missing.map((c) => ({ column: c })),
    );
  }
  const [iRcn, iRole, iPic, iType, iContribution, iCountry, iStart, iEnd] = ['rcn', 'role', 'pic', 'type', 'contribution', 'country', 'start_date', 'end_date'].map(col);

  const parts = new Map<string, string[]>();
  if (opts.programmeParts) {
    const pp = await readRows(ctx, opts.programmeParts);
    const [a, b] = [pp.columns.indexOf('rcn'), pp.columns.indexOf('programme_part')];
    if (a < 0 || b < 0) {
      throw new AppError('CORDIS_SHAPE_UNKNOWN', 400, '计划领域文件应有 rcn 和 programme_part 两列', 'The programme-parts file needs the columns rcn and programme_part');
    }
    for (const r of pp.rows) {
      if (!r[a] || !r[b]) continue;
      const list = parts.get(r[a]) ?? [];
      if (!list.includes(r[b])) list.push(r[b]);
      parts.set(r[a], list);
    }
  }

  // CORDIS country codes → ISO3 (unresolved ones stay as written, for the importer to report).
  const codes = [...new Set(table.rows.map((r) => r[iCountry]).filter(Boolean))];
  const iso3 = new Map<string, string>();
  for (const c of await resolveCountries(ctx.db, codes)) if (c.iso3) iso3.set(c.input, c.iso3);
  const countryOf = (code: string) => (code ? (iso3.get(code) ?? code) : '');

  const projects = new Map<string, { start: string; end: string }>();
  const orgs = new Map<string, { country: string; type: string }>();
  for (const r of table.rows) {
    if (!r[iRcn]) continue;
    if (!projects.has(r[iRcn])) projects.set(r[iRcn], { start: iStart >= 0 ? r[iStart] : '', end: iEnd >= 0 ? r[iEnd] : '' });
    if (r[iPic] && !orgs.has(`${r[iPic]}|${r[iCountry]}`)) orgs.set(`${r[iPic]}|${r[iCountry]}`, { country: countryOf(r[iCountry]), type: iType >= 0 ? r[iType] : '' });
  }
  const programme = opts.programme ?? 'H2020';
  const base = file.fileName.replace(/\.[^.]+$/, '');
  const run = (step: 'projects' | 'organizations' | 'partners', csv: string, rows: number) => {
    opts.onStep?.(step, rows);
    return runImport(ctx, { fileName: `${base}.${step}.csv`, buffer: Buffer.from(csv, 'utf8') }, { kind: step, keepValid: opts.keepValid });
  };

  // Headers are the registries' own labels, so the importer maps them without a preset.
  let csv = csvLine(['项目编号', '英文名称', '计划类别', '技术领域', '开始日期', '结束日期', '所属地区']);
  for (const [rcn, p] of projects) csv += csvLine([rcn, `${programme} RCN ${rcn}`, programme, (parts.get(rcn) ?? []).join(', '), p.start, p.end, '']);
  const projectsResult = await run('projects', csv, projects.size);
  if (!projectsResult.ok) return { ok: false, rows: table.rows.length, projects: projectsResult, organizations: null, partners: null };

  csv = csvLine(['英文名称', 'PIC', '国别', '境内机构', '机构类型']);
  for (const [key, o] of orgs) {
    const pic = key.slice(0, key.indexOf('|'));
    csv += csvLine([`PIC ${pic}`, pic, o.country, o.country === 'CHN' ? '是' : '否', ORG_TYPES[o.type] ?? '']);
  }
  const orgsResult = await run('organizations', csv, orgs.size);
  if (!orgsResult.ok) return { ok: false, rows: table.rows.length, projects: projectsResult, organizations: orgsResult, partners: null };

  csv = csvLine(['项目编号', '合作单位', '国别', '角色', '经费贡献', '币种']);
  for (const r of table.rows) {
    csv += csvLine([r[iRcn], r[iPic] ? `PIC ${r[iPic]}` : '', countryOf(r[iCountry]), r[iRole], iContribution >= 0 ? r[iContribution] : '', 'EUR']);
  }
  const partnersResult = await run('partners', csv, table.rows.length);
  return { ok: partnersResult.ok, rows: table.rows.length, projects: projectsResult, organizations: orgsResult, partners: partnersResult };
}

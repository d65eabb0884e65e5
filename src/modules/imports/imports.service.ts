/**
 * The importer: reads a CSV/XLSX file as a bureau keeps it, maps its columns, converts and
 * validates every row, resolves names, checks stated totals, and writes all or nothing (or
 * only the valid rows) in one transaction. Every import is recorded and can be undone.
 * A dry run does the same work and rolls it back, so its counts are exact.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { AppError, isAppError } from '../../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { can } from '../auth/auth.policy.ts';
import type { ServiceContext } from '../../http/context.ts';
import type { Sql } from '../../store/db.ts';
import { validateRecord } from '../registry/registry.service.ts';
import type { Row } from '../registry/registry.repo.ts';
import type { FieldDef, RegistryDef } from '../registry/registry.types.ts';
import { contextRegion, regionResolver, type RegionRow } from '../regions/regions.service.ts';
import { nameKey } from '../../text/keys.ts';
import { convertSimple, isBlank, type Cell } from './convert.ts';
import { factChecks, factsFromRow, type FactDraft } from './facts.ts';
import { importKinds, partnersDef, type KindInfo } from './kinds.ts';
import { matchColumns, type ColumnMatch } from './mapping.ts';
import { countryCache, orgCache, orgRefFor, projectCache, type OrgRef } from './resolvers.ts';
import { openSource, toImportIssue, type TableSource } from './source.ts';
import { writeBatch, type Pending } from './writer.ts';
import { parseNumber } from './read/values.ts';
import { MAX_REPORTED_ISSUES, type ImportIssue, type ImportOptions, type ImportResult } from './imports.types.ts';
import { importCountryRows } from './countries.import.ts';
import { insertImport, finishImport } from './imports.repo.ts';

export interface ImportInput {
  fileName: string;
  path?: string;
  buffer?: Buffer;
}

const BATCH = 2000;

class Rollback extends Error {}

/** Issues of one import: all counted, the first MAX_REPORTED_ISSUES kept. */
class IssueLog {
  readonly kept: ImportIssue[] = [];
  errors = 0;
  warnings = 0;
  add(i: ImportIssue) {
    if (i.severity === 'error') this.errors++;
    else this.warnings++;
    if (this.kept.length < MAX_REPORTED_ISSUES) this.kept.push(i);
  }
  get count() {
    return this.errors + this.warnings;
  }
}

function issue(row: number, column: string, code: string, severity: 'error' | 'warning', message: string, message_en: string, extra: Record<string, unknown> = {}): ImportIssue {
  return { row, column, code, severity, message, message_en, ...extra };
}

async function fileHash(input: ImportInput): Promise<{ hash: string; size: number }> {
  const h = crypto.createHash('sha256');
  if (input.buffer) {
    h.update(input.buffer);
    return { hash: h.digest('hex'), size: input.buffer.length };
  }
  let size = 0;
  for await (const chunk of fs.createReadStream(input.path!)) {
    h.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { hash: h.digest('hex'), size };
}

/** The kinds `--as` accepts. */
export function knownKinds(): string[] {
  return Object.keys(importKinds());
}

/** One data row of the file, as target → cell, with the column each came from. */
export interface MappedRow {
  row: number;
  values: Map<string, { value: Cell; column: string; unit?: string }>;
  /** Year-column values of a wide table: (year, value, column). */
  years: { year: number; value: Cell; column: string }[];
  /** Cells of columns no target claimed (facts use them as measures). */
  unmapped: { label: string; value: Cell; unit?: string }[];
}

/** Runs an import. Throws only for bad usage; every data problem is an issue in the result. */
export async function runImport(ctx: ServiceContext, input: ImportInput, opts: ImportOptions): Promise<ImportResult> {
  const kinds = importKinds();
  const kind = kinds[opts.kind];
  if (!kind) {
    throw new AppError('IMPORT_KIND_UNKNOWN', 400, `未知的导入类型：${opts.kind}（可选：${Object.keys(kinds).join('、')}）`, `Unknown import kind: ${opts.kind} (one of ${Object.keys(kinds).join(', ')})`);
  }
  if (!can(ctx.actor, 'import', { kind: opts.kind })) {
    throw new AppError('FORBIDDEN', 403, '没有权限导入数据', 'You are not allowed to import data');
  }
  const log = new IssueLog();
  const result = (over: Partial<ImportResult>): ImportResult => ({
    ok: false,
    kind: opts.kind,
    rows: { read: 0, imported: 0, rejected: 0 },
    issues: log.kept,
    issue_count: log.count,
    ...(opts.dryRun ? { dry_run: true } : {}),
    ...over,
  });

  const { hash, size } = await fileHash(input);
  if (size > ctx.config.maxImportBytes) {
    log.add(issue(0, '', 'FILE_TOO_LARGE', 'error', `文件过大（${(size / 1048576).toFixed(1)} MB，上限 ${(ctx.config.maxImportBytes / 1048576).toFixed(0)} MB）`, `The file is too large (${(size / 1048576).toFixed(1)} MB, limit ${(ctx.config.maxImportBytes / 1048576).toFixed(0)} MB)`));
    return result({});
  }
  const context = await contextRegion(ctx.db, opts.region ?? ctx.config.homeRegion);

  let source: TableSource;
  try {
    source = await openSource(input, { sheet: opts.sheet, maxBytes: ctx.config.maxImportBytes, limits: ctx.config.readLimits });
  } catch (e) {
    if (!isAppError(e)) throw e;
    if (e.details.length) for (const d of e.details) log.add(toImportIssue({ ...d, severity: d.severity ?? 'error' } as Record<string, unknown>));
    else log.add(issue(0, '', e.code, 'error', e.messageZh, e.messageEn));
    return result({});
  }
  for (const i of source.issues) log.add(i);

  const labels = source.columns.filter((c) => c.kind !== 'year' && c.kind !== 'total').map((c) => ({ index: c.index, label: c.label }));
  const matches = matchColumns(labels, kind.targets, opts.map ?? {}, { contains: kind.kind !== 'facts' && kind.kind !== 'countries' });
  const unknownTargets = matches.filter((m) => m.target && !kind.targets.some((t) => t.key === m.target));
  for (const m of unknownTargets) {
    throw new AppError('MAPPING_TARGET_UNKNOWN', 400, `列映射的目标字段不存在：${m.target}`, `Unknown mapping target: ${m.target}`, [{ column: m.label, field: m.target ?? '' }]);
  }
  const yearColumns = source.columns.filter((c) => c.kind === 'year');
  const mapping = {
    columns: [
      ...matches.map((m) => ({ column: m.label, field: m.target })),
      ...yearColumns.map((c) => ({ column: c.label, field: kind.unpivotInto ?? null, year: c.year })),
      ...source.columns.filter((c) => c.kind === 'total').map((c) => ({ column: c.label, field: null })),
    ],
    unpivoted_years: kind.unpivotInto ? yearColumns.map((c) => c.year!) : [],
    total_rows: [] as number[],
    total_columns: source.columns.filter((c) => c.kind === 'total').map((c) => c.label),
    encoding: source.encoding,
    format: source.format,
  };
  if (yearColumns.length && !kind.unpivotInto) {
    log.add(issue(source.headerRow, yearColumns.map((c) => c.label).join(','), 'YEAR_COLUMNS_IGNORED', 'warning',
      `“${kind.zh}”不按年份展开，年份列未导入`, `Year columns are not used when importing ${kind.en.toLowerCase()}`));
  }
  const missing = requiredMissing(kind, matches, yearColumns.length > 0);
  if (missing.length) {
    for (const m of missing) {
      log.add(issue(source.headerRow, m.zh, 'COLUMN_MISSING', 'error', `缺少必需的列：${m.zh}（${m.en}）`, `Required column missing: ${m.en} (${m.zh})`));
    }
    return result({ mapping });
  }

  const rowOf = (cells: Cell[], row: number): MappedRow => {
    const values = new Map<string, { value: Cell; column: string; unit?: string }>();
    const unmapped: MappedRow['unmapped'] = [];
    for (const m of matches) {
      const v = cells[m.index];
      if (m.target) values.set(m.target, { value: v, column: m.label, unit: m.unit });
      else unmapped.push({ label: m.label, value: v, unit: m.unit });
    }
    const years = yearColumns.map((c) => ({ year: c.year!, value: cells[c.index], column: c.label }));
    return { row, values, years, unmapped };
  };

  let importId: number | null = null;
  const counts = { read: 0, imported: 0, rejected: 0 };
  const changes = { inserted: 0, updated: 0, unchanged: 0 };
  let unread = false;
  const run = async (tx: Sql) => {
    importId = await insertImport(tx, {
      kind: opts.kind,
      fileName: input.fileName,
      hash,
      size,
      actor: ctx.actor.name,
      region: context.short_name,
      options: { keepValid: !!opts.keepValid, dryRun: !!opts.dryRun, sheet: opts.sheet ?? null, unit: opts.unit ?? null, map: opts.map ?? null },
    });
    const env = makeEnv(tx, ctx, kind, context, importId, opts, log);
    let writing = true;
    let batch: MappedRow[] = [];
    // The write of one batch runs while the next batch is read and converted.
    let inflight: Promise<void> = Promise.resolve();
    const add = (o: BatchOutcome) => {
      counts.imported += o.imported;
      counts.rejected += o.rejected;
      changes.inserted += o.inserted;
      changes.updated += o.updated;
      changes.unchanged += o.unchanged;
    };
    const flush = async () => {
      if (!batch.length) return;
      const current = batch;
      batch = [];
      const { out, write } = await env.prepareBatch(current, writing);
      await inflight;
      if (log.errors > 0 && !opts.keepValid) writing = false; // nothing will be kept: stop writing, keep checking
      if (write && writing) inflight = write().then(() => add(out));
      else add(out);
      opts.onProgress?.({ rows: counts.read, bytes: Math.min(source.bytesRead(), size), totalBytes: size });
    };
    try {
      for await (const { row, cells, kind: rowKind } of source.rows) {
        if (rowKind === 'total' || rowKind === 'subtotal') {
          mapping.total_rows.push(row);
          continue;
        }
        if (rowKind === 'note' || cells.every((c) => isBlank(c))) continue;
        if (rowKind === 'of_which') {
          // "其中" rows break down the row above: importing them would count the money twice.
          log.add(issue(row, '', 'ROW_OF_WHICH_SKIPPED', 'warning', '“其中”行是上一行的细分，未作为独立记录导入', 'An "of which" row breaks down the row above; not imported as a record of its own'));
          continue;
        }
        counts.read++;
        batch.push(rowOf(cells, row));
        if (batch.length >= BATCH) await flush();
      }
    } catch (e) {
      if (!isAppError(e)) {
        await inflight.catch(() => undefined);
        throw e;
      }
      // A file that breaks mid-way (corrupt sheet, past a limit on rows or cells): report it and
      // keep nothing, even the valid rows before it (--keep-valid): the file was not read whole.
      log.add(issue(Number(e.details[0]?.row ?? 0), String(e.details[0]?.column ?? ''), e.code, 'error', e.messageZh, e.messageEn));
      unread = true;
    }
    await flush();
    await inflight;
    for (const i of source.laterIssues()) log.add(i);
    for (const i of await env.finish(writing)) log.add(i);
    if (counts.read === 0) log.add(issue(0, '', 'NO_DATA_ROWS', 'error', '文件中没有数据行', 'The file has no data rows'));
    const failed = log.errors > 0 && (unread || !opts.keepValid || counts.imported === 0);
    if (failed || opts.dryRun) throw new Rollback();
    await finishImport(tx, importId, { status: 'done', counts, issues: log.kept, issueCount: log.count });
    // One audit entry per import; the records' before-images are in import_changes.
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'import',
      entity: 'import',
      entityId: importId,
      after: { kind: opts.kind, file_name: input.fileName, file_hash: hash, rows: counts, changes },
      requestId: ctx.requestId,
    });
  };

  let failed = false;
  try {
    await ctx.db.transaction(run);
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
    failed = log.errors > 0;
  }
  if (failed) {
    // The attempt is on record, with its problems; nothing it read was kept.
    await ctx.db.transaction(async (tx) => {
      const id = await insertImport(tx, { kind: opts.kind, fileName: input.fileName, hash, size, actor: ctx.actor.name, region: context.short_name, options: { keepValid: !!opts.keepValid, dryRun: !!opts.dryRun } });
      await finishImport(tx, id, { status: 'failed', counts: { read: counts.read, imported: 0, rejected: counts.read }, issues: log.kept, issueCount: log.count });
      importId = opts.dryRun ? null : id;
    });
    if (opts.dryRun) importId = null;
  }
  const ok = !failed;
  // Large imports change the tables a lot: refresh the statistics so the next queries plan well,
  // and the visibility map so that list counts are index-only scans (VACUUM runs outside the
  // import's transaction, after it committed).
  if (ok && !opts.dryRun && counts.imported >= 10_000 && kind.def) {
    await ctx.db.exec(`VACUUM (ANALYZE) ${kind.def.table}${kind.def.kind === 'projects' ? ', project_partners, organizations' : ''}`);
  }
  return result({
    ok,
    rows: ok ? counts : { read: counts.read, imported: 0, rejected: counts.read },
    issues: log.kept,
    issue_count: log.count,
    ...(opts.dryRun || !importId ? {} : { import_id: importId }),
    changes: ok ? changes : { inserted: 0, updated: 0, unchanged: 0 },
    mapping,
  });
}

function requiredMissing(kind: KindInfo, matches: ColumnMatch[], hasYears: boolean) {
  const have = new Set(matches.map((m) => m.target).filter(Boolean));
  if (kind.kind === 'countries') return have.has('country') ? [] : [{ zh: '国家', en: 'Country' }];
  if (kind.kind === 'facts') {
    if (have.has('value') || hasYears || matches.some((m) => !m.target)) return have.has('subject') || have.has('indicator') ? [] : [{ zh: '指标或对象', en: 'Indicator or subject' }];
    return [{ zh: '数值', en: 'Value' }];
  }
  const def = kind.def!;
  const out: { zh: string; en: string }[] = [];
  for (const f of def.fields) {
    if (!f.required || have.has(f.name)) continue;
    if (hasYears && (f.name === 'year' || f.name === kind.unpivotInto)) continue;
    if (f.name === 'code' && (have.has('title_zh') || have.has('title_en'))) continue; // codes are generated from titles
    if (f.name === 'domestic' && def.kind === 'organizations') continue; // follows from the country
    out.push({ zh: f.zh, en: f.en });
  }
  if (def.kind === 'projects' && !have.has('title_zh') && !have.has('title_en')) out.push({ zh: '项目名称', en: 'Title' });
  if (['organizations', 'platforms', 'mechanisms'].includes(def.kind) && !have.has('name_zh') && !have.has('name_en')) out.push({ zh: '名称', en: 'Name' });
  return out;
}

interface BatchOutcome {
  imported: number;
  rejected: number;
  inserted: number;
  updated: number;
  unchanged: number;
}

/** Everything one import needs while it converts and writes batches. */
function makeEnv(tx: Sql, ctx: ServiceContext, kind: KindInfo, context: RegionRow, importId: number, opts: ImportOptions, log: IssueLog) {
  const regions = regionResolver(tx, context, { importId, dryRun: false });
  const countries = countryCache(tx);
  const orgs = orgCache(tx, { dryRun: false, importId });
  const projects = projectCache(tx);
  const facts: FactDraft[] = [];
  const regionWarned = new Set<string>();

  /** Resolves and converts one record's fields; returns null when an error rejects it. */
  async function toRecord(def: RegistryDef, m: MappedRow, base: Row): Promise<{ rec: Row | null; partners?: { countries: string[]; orgs: string[] } }> {
    const rec: Row = { ...base };
    let bad = false;
    const err = (column: string, code: string, zh: string, en: string, extra: Record<string, unknown> = {}) => {
      log.add(issue(m.row, column, code, 'error', zh, en, extra));
      bad = true;
    };
    for (const f of def.fields) {
      const cell = m.values.get(f.name);
      if (!cell || isBlank(cell.value, f)) continue;
      const v = await convertField(f, cell.value, cell.column, m.row);
      if (v === undefined) continue;
      rec[f.name] = v;
    }
    async function convertField(f: FieldDef, value: Cell, column: string, row: number): Promise<unknown> {
      if (f.type === 'iso3') {
        const r = await countries.get(String(value));
        if (r.iso3) return r.iso3;
        err(column, 'COUNTRY_UNRESOLVED', `无法识别的国家或地区：“${String(value)}”${r.suggestions.length ? `，是否为：${r.suggestions.map((s) => s.name_zh).join('、')}？` : ''}`,
          `Unknown country or region: "${String(value)}"${r.suggestions.length ? `; did you mean ${r.suggestions.map((s) => s.name_en).join(', ')}?` : ''}`, { suggestions: r.suggestions });
        return undefined;
      }
      if (f.type === 'ref' && f.ref === 'admin_regions') {
        if (typeof value === 'number') return value;
        const r = await regions(String(value));
        if (r.warning && !regionWarned.has(r.input)) {
          regionWarned.add(r.input);
          log.add(issue(row, column, r.warning.code, 'warning', r.warning.message, r.warning.message_en, { value: r.input }));
        }
        return r.region?.id;
      }
      if (f.type === 'ref' && f.ref === 'projects') {
        const code = String(value).trim();
        await projects.prime([code]);
        const id = projects.id(code);
        if (id) return id;
        err(column, 'PROJECT_UNKNOWN', `项目编号不存在：“${code}”（请先导入项目）`, `No project with code "${code}" (import the projects first)`);
        return undefined;
      }
      if (f.type === 'ref' && f.ref === 'organizations') {
        const ref = await orgRefOf(String(value).trim(), m, def.kind === 'partners');
        await orgs.prime([ref]);
        warnSimilar(ref, row, column);
        return orgs.id(ref) ?? undefined;
      }
      const c = convertSimple(f, value);
      if (!c.ok) {
        err(column, c.issue.code, c.issue.message, c.issue.message_en, { value: typeof value === 'string' ? value.slice(0, 100) : value });
        return undefined;
      }
      if (c.warning) log.add(issue(row, column, c.warning.code, 'warning', c.warning.message, c.warning.message_en, { value: typeof value === 'string' ? value.slice(0, 100) : value }));
      return c.value;
    }
    if (bad) return { rec: null };
    try {
      const valid = validateRecord(def, rec, 'create');
      const problems = def.refine?.(valid) ?? [];
      if (problems.length) {
        for (const p of problems) log.add(issue(m.row, def.fields.find((f) => f.name === p.field)?.zh ?? String(p.field ?? ''), String(p.code), 'error', String(p.message), String(p.message_en)));
        return { rec: null };
      }
      return { rec: { ...valid, ...(def.derive?.(valid) ?? {}) } };
    } catch (e) {
      if (e instanceof AppError) {
        for (const d of e.details) {
          const f = def.fields.find((x) => x.name === d.field);
          const column = (f && m.values.get(f.name)?.column) ?? f?.zh ?? String(d.field ?? '');
          log.add(issue(m.row, column, String(d.code ?? e.code), 'error', String(d.message ?? e.messageZh), String(d.message_en ?? e.messageEn)));
        }
        return { rec: null };
      }
      throw e;
    }
  }

  async function primeBatch(batch: MappedRow[]) {
    const names = new Set<string>();
    for (const m of batch) {
      for (const key of ['country_iso3', 'nationality_iso3', 'country', 'partner_countries']) {
        const v = m.values.get(key);
        if (v && !isBlank(v.value, key)) for (const n of splitList(String(v.value), key)) names.add(n);
      }
    }
    await countries.prime(names);
    const codes = [...batch].map((m) => m.values.get('project_id')?.value).filter((v) => !isBlank(v)).map(String);
    await projects.prime(codes);
    // Organisations named in the batch: found or added in two statements, not two per row.
    const def = kind.def;
    if (!def) return;
    const orgFields = def.fields.filter((f) => f.type === 'ref' && f.ref === 'organizations');
    if (!orgFields.length) return;
    const refs = [];
    for (const m of batch) {
      for (const f of orgFields) {
        const v = m.values.get(f.name);
        if (!v || isBlank(v.value)) continue;
        refs.push(await orgRefOf(String(v.value).trim(), m, def.kind === 'partners'));
      }
    }
    await orgs.prime(refs);
  }

  /** A new organisation whose name is close to a registered one: say so, with the candidates. */
  function warnSimilar(ref: OrgRef, row: number, column: string) {
    const similar = orgs.takeSimilar(ref);
    if (!similar.length) return;
    log.add(issue(row, column, 'ORG_SIMILAR', 'warning',
      `新增机构“${ref.name}”与已登记的机构相近：${similar.map((s) => `${s.name}（编号 ${s.id}）`).join('、')}，请确认是否为同一机构`,
      `New organisation "${ref.name}" is close to registered ones: ${similar.map((s) => `${s.name} (id ${s.id})`).join(', ')}; check whether they are the same`,
      { suggestions: similar }));
  }

  async function orgRefOf(name: string, m: MappedRow, partner: boolean) {
    const country = m.values.get('country_iso3');
    const iso3 = country && !isBlank(country.value, 'country_iso3') ? (await countries.get(String(country.value))).iso3 : null;
    return orgRefFor(name, iso3, { partner, regionId: context.id });
  }

  return {
    /**
     * Converts and validates a batch; returns its outcome and, when there is something to
     * write, the write to run next (so the next batch converts while this one writes).
     */
    async prepareBatch(batch: MappedRow[], writing: boolean): Promise<{ out: BatchOutcome; write?: () => Promise<void> }> {
      const out: BatchOutcome = { imported: 0, rejected: 0, inserted: 0, updated: 0, unchanged: 0 };
      await primeBatch(batch);
      if (kind.kind === 'countries') {
        const r = await importCountryRows(tx, batch, { countries, log, importId, group: opts.group, writing });
        return { out: { ...out, ...r } };
      }
      if (kind.kind === 'facts') {
        for (const m of batch) {
          const drafts = await factsFromRow(tx, m, context, log);
          facts.push(...drafts);
          out.imported += drafts.length ? 1 : 0;
          out.rejected += drafts.length ? 0 : 1;
        }
        return { out };
      }
      const def = kind.def!;
      const pending: Pending[] = [];
      const partnerLists = new Map<number, { countries: string[]; orgs: string[] }>();
      const rowOfRef: number[] = [];
      for (const m of batch) {
        const bases: Row[] = [];
        if (kind.unpivotInto && m.years.length) {
          for (const y of m.years) {
            if (isBlank(y.value)) continue;
            const sub: MappedRow = { ...m, values: new Map(m.values) };
            sub.values.set('year', { value: y.year, column: y.column });
            sub.values.set(kind.unpivotInto, { value: y.value, column: y.column });
            bases.push({ __m: sub } as Row);
          }
        } else bases.push({ __m: m } as Row);
        let rowOk = true;
        let any = false;
        for (const b of bases) {
          const sub = b.__m as MappedRow;
          const base = defaults(def, sub);
          const { rec } = await toRecord(def, sub, base);
          if (!rec) {
            rowOk = false;
            continue;
          }
          any = true;
          const ref = pending.length;
          rowOfRef.push(m.row);
          pending.push({ ref, rec });
          if (def.kind === 'projects') {
            partnerLists.set(ref, {
              countries: splitList(String(sub.values.get('partner_countries')?.value ?? ''), 'partner_countries'),
              orgs: splitList(String(sub.values.get('partner_orgs')?.value ?? '')),
            });
          }
        }
        if (rowOk && any) out.imported++;
        else if (!rowOk) out.rejected++;
      }
      const write = async () => {
        const written = await writeBatch(tx, def, pending, importId);
        for (const ref of written.duplicates) {
          const r = pending[ref];
          const keyText = (sep: string) => def.naturalKey.filter((k) => !k.endsWith('_key')).map((k) => `${k}=${String(r.rec[k] ?? '')}`).join(sep);
          log.add(issue(rowOfRef[ref], def.naturalKey.join('+'), 'DUPLICATE_KEY', 'error', `与文件中前面的行重复（${keyText('，')}）`, `Duplicates an earlier row of the file (${keyText(', ')})`));
          out.imported--;
          out.rejected++;
        }
        for (const ref of written.conflicts) {
          const unique = def.fields.filter((f) => ['uscc', 'ror', 'pic', 'code'].includes(f.name) && pending[ref].rec[f.name] != null);
          const what = unique.map((f) => `${f.zh}=${String(pending[ref].rec[f.name])}`).join('，') || def.naturalKey.join('+');
          const whatEn = unique.map((f) => `${f.en}=${String(pending[ref].rec[f.name])}`).join(', ') || def.naturalKey.join('+');
          log.add(issue(rowOfRef[ref], unique[0]?.zh ?? '', 'UNIQUE_CONFLICT', 'error', `与已有记录冲突：${what} 已被另一条记录使用`, `Clashes with an existing record: ${whatEn} is used by another record`));
          out.imported--;
          out.rejected++;
        }
        out.inserted = written.inserted;
        out.updated = written.updated;
        out.unchanged = written.unchanged;
        if (def.kind === 'projects') await writePartners(written.ids, partnerLists, rowOfRef);
      };
      return { out, write: pending.length ? write : undefined };
    },
    async finish(writing: boolean): Promise<ImportIssue[]> {
      if (kind.kind !== 'facts') return [];
      const issues = await factChecks(tx, facts, context, opts.period);
      if (writing) {
        const pending = facts.map((f, i) => ({ ref: i, rec: f.rec }));
        const w = await writeBatch(tx, kind.def!, pending, importId);
        for (const ref of [...w.duplicates, ...w.conflicts]) {
          issues.push(issue(facts[ref].row, facts[ref].column, 'DUPLICATE_KEY', 'error', `重复的统计数据：${String(facts[ref].rec.subject)} / ${String(facts[ref].rec.indicator)}`, `Duplicate figure: ${String(facts[ref].rec.subject)} / ${String(facts[ref].rec.indicator)}`));
        }
      }
      return issues;
    },
  };

  function defaults(def: RegistryDef, m: MappedRow): Row {
    const base: Row = {};
    if (def.kind === 'funding') {
      const amountCell = m.values.get('amount');
      base.unit = opts.unit ?? amountCell?.unit ?? (typeof amountCell?.value === 'string' ? unitOfText(amountCell.value) : undefined) ?? '万元';
      // "12万元" in a cell reads as 120000 元: the multiplier is already applied.
      if (typeof amountCell?.value === 'string' && parseNumber(amountCell.value).unit === '元') base.unit = '元';
      base.currency = opts.currency ?? 'CNY';
      if (!m.values.has('region_id') && !m.values.has('project_id')) base.region_id = context.id;
    }
    if (def.kind === 'projects') {
      if (!m.values.has('region_id')) base.region_id = context.id;
      const code = m.values.get('code');
      if (!code || isBlank(code.value)) {
        const title = String(m.values.get('title_zh')?.value ?? m.values.get('title_en')?.value ?? '');
        base.code = `AUTO-${crypto.createHash('sha1').update(nameKey(title)).digest('hex').slice(0, 10).toUpperCase()}`;
      }
    }
    if (def.kind === 'organizations') {
      const c = m.values.get('country_iso3');
      if (!m.values.has('domestic')) base.domestic = !c || isBlank(c.value, 'country_iso3') || /^(中国|CHN|CN|China)$/i.test(String(c.value).trim());
    }
    if (def.kind === 'partners' && !m.values.has('role')) base.role = 'partner';
    return base;
  }

  async function writePartners(ids: Map<number, number>, lists: Map<number, { countries: string[]; orgs: string[] }>, rowOfRef: number[]) {
    const pending: Pending[] = [];
    for (const [ref, l] of lists) {
      const projectId = ids.get(ref);
      if (!projectId) continue;
      const isoList: string[] = [];
      for (const name of l.countries) {
        const r = await countries.get(name);
        if (r.iso3) isoList.push(r.iso3);
        else {
          log.add(issue(rowOfRef[ref], '国别', 'COUNTRY_UNRESOLVED', 'warning', `无法识别的合作国别：“${name}”，未关联`, `Unknown partner country "${name}"; not linked`, { suggestions: r.suggestions }));
        }
      }
      for (const iso3 of isoList) pending.push({ ref: pending.length, rec: { project_id: projectId, country_iso3: iso3, org_id: null, role: 'partner' } });
      const orgRefs = l.orgs.map((name) => orgRefFor(name, isoList.length === 1 ? isoList[0] : null, { partner: true, regionId: context.id }));
      await orgs.prime(orgRefs);
      for (const o of orgRefs) warnSimilar(o, rowOfRef[ref], '合作单位');
      for (const o of orgRefs) {
        const id = orgs.id(o);
        if (id) pending.push({ ref: pending.length, rec: { project_id: projectId, org_id: id, country_iso3: o.country_iso3, role: 'partner' } });
      }
    }
    await writeBatch(tx, partnersDef, pending, importId);
  }
}

function unitOfText(s: string): string | undefined {
  return parseNumber(s).unit === '元' ? '元' : undefined;
}

/** Items of a list cell: 英国、德国 / UK; Germany (in a country column, "NA" is Namibia: see isBlank). */
export function splitList(s: string, field?: string): string[] {
  return s
    .split(/[、；;，,\/|\n]+/)
    .map((x) => x.trim())
    .filter((x) => x && !isBlank(x, field));
}

/**
 * The data-quality view (issue 4): what in the data deserves a second look, each item linked to
 * the import it came from and the rows of that file.
 *
 * - facts: stated figures (facts) checked again now, with the importer's own rules
 *   (imports/facts.ts `factChecks`): a stated total that the funding records do not reach, a
 *   count that the project registry does not list, a list shorter than its count. The rows are
 *   those where the import reported the same disagreement.
 * - totals: a file's own total rows or columns that its detail cells do not add up to (the
 *   reader's TOTAL_MISMATCH, kept in the import log).
 * - unresolved: names the imports could not resolve — countries (COUNTRY_UNRESOLVED), projects
 *   (PROJECT_UNKNOWN), regions added because no known one matched (REGION_ADDED), new
 *   organisations close to registered ones (ORG_SIMILAR) — grouped by name, with every import
 *   and row where they occur.
 * - duplicates: pairs of registered organisations whose normalised names are close (edit
 *   similarity ≥ 0.75, as the importer's check, or one name inside the other), in the same
 *   country or with one country unknown, unless their identifiers (PIC, ROR, credit code)
 *   differ. The scan is paged: `after` and `budget` say which organisations to look from.
 */
import { distance } from 'fastest-levenshtein';
import { AppError, badRequest } from '../../errors.ts';
import type { ServiceContext } from '../../http/context.ts';
import { can, scopeOf } from '../auth/auth.policy.ts';
import { importResource } from '../auth/auth.scope.ts';
import { factChecks, type FactDraft } from '../imports/facts.ts';
import { splitList } from '../imports/imports.service.ts';
import type { ImportIssue } from '../imports/imports.types.ts';
import { contextRegion } from '../regions/regions.service.ts';
import { closeNameCandidates, factsWithImports, loggedIssues, organisationsById, truncatedImports, type FactRow, type LoggedIssue, type OrgRow } from './quality.repo.ts';

export interface RowRef {
  row: number;
  column: string;
  severity: string;
}

export interface FactCheckItem {
  fact_id: number;
  subject: string;
  indicator: string;
  year: number | null;
  period_from: number | null;
  period_to: number | null;
  unit: string | null;
  code: string;
  stated: number | null;
  computed: number | null;
  listed: number | null;
  message: string;
  message_en: string;
  import_id: number | null;
  file_name: string | null;
  rows: RowRef[];
}

export interface TotalItem {
  import_id: number;
  file_name: string;
  kind: string;
  row: number;
  column: string;
  stated: number | null;
  computed: number | null;
  message: string;
  message_en: string;
}

export const UNRESOLVED_KINDS = ['country', 'project', 'region', 'organization'] as const;
export type UnresolvedKind = (typeof UNRESOLVED_KINDS)[number];
const UNRESOLVED_CODES: Record<string, UnresolvedKind> = {
  COUNTRY_UNRESOLVED: 'country',
  PROJECT_UNKNOWN: 'project',
  REGION_ADDED: 'region',
  ORG_SIMILAR: 'organization',
};

export interface UnresolvedItem {
  kind: UnresolvedKind;
  name: string;
  code: string;
  occurrences: number;
  suggestions: unknown[];
  imports: { import_id: number; file_name: string; rows: RowRef[] }[];
}

export interface DuplicateSide {
  id: number;
  name: string;
  country_iso3: string | null;
  import_id: number | null;
  file_name: string | null;
  /** Rows of its import where the importer found it close to the other one (ORG_SIMILAR). */
  rows: RowRef[];
}

export interface DuplicateItem {
  similarity: number;
  reason: 'similar' | 'contains';
  a: DuplicateSide;
  b: DuplicateSide;
}

export interface DuplicatesResult {
  items: DuplicateItem[];
  /** Organisations looked from in this page, and the id to continue after (null: done). */
  probed: number;
  next_after: number | null;
}

/** The import log is for roles that may import; within it, imports by actors in one's scope. */
function assertMayReview(ctx: ServiceContext): void {
  if (!can(ctx.actor, 'import', { kind: 'imports' })) {
    throw new AppError('FORBIDDEN', 403, '没有权限查看数据质量（需可导入数据的角色）', 'You are not allowed to review data quality (it needs a role that may import)');
  }
}

/** Whether the actor may see an import's log: imports by actors within its region scope. */
function importVisibility(ctx: ServiceContext) {
  const seen = new Map<number, boolean>();
  return async (imp: { import_id: number; kind: string; actor: string }): Promise<boolean> => {
    if (ctx.actor.regionScope === null) return true;
    if (!seen.has(imp.import_id)) seen.set(imp.import_id, can(ctx.actor, 'read', await importResource(ctx.db, { kind: imp.kind, actor: imp.actor })));
    return seen.get(imp.import_id)!;
  };
}

/** Keeps the logged issues of imports the actor may see. */
async function visible(ctx: ServiceContext, issues: LoggedIssue[]): Promise<LoggedIssue[]> {
  const may = importVisibility(ctx);
  const out: LoggedIssue[] = [];
  for (const i of issues) if (await may(i)) out.push(i);
  return out;
}

const rowRef = (i: LoggedIssue['issue']): RowRef => ({ row: Number(i.row), column: String(i.column ?? ''), severity: String(i.severity) });
const num = (v: unknown) => (v === undefined || v === null || v === '' || !Number.isFinite(Number(v)) ? null : Number(v));

/** The name an unresolved-name issue is about: its value, else the first quoted name of its message. */
function nameOf(i: LoggedIssue['issue']): string | null {
  if (typeof i.value === 'string' && i.value.trim()) return i.value.trim();
  const m = /[“"]([^”"]+)[”"]/.exec(String(i.message ?? '')) ?? /"([^"]+)"/.exec(String(i.message_en ?? ''));
  return m ? m[1].trim() : null;
}

/** Stated figures that disagree with the registries now. */
export async function qualityFacts(ctx: ServiceContext): Promise<{ items: FactCheckItem[] }> {
  assertMayReview(ctx);
  const facts = await factsWithImports(ctx.db);
  const logged = await visible(ctx, await loggedIssues(ctx.db, ['TOTAL_MISMATCH', 'COUNT_MISMATCH', 'LIST_INCOMPLETE', 'LIST_EXCEEDS_COUNT']));
  const byImport = new Map<number | null, FactRow[]>();
  for (const f of facts) byImport.set(f.import_id, [...(byImport.get(f.import_id) ?? []), f]);
  const may = importVisibility(ctx);
  const items: FactCheckItem[] = [];
  for (const [importId, group] of byImport) {
    // Figures of imports outside the actor's scope are not reviewed here.
    if (importId !== null && !(await may({ import_id: importId, kind: group[0].import_kind ?? 'facts', actor: group[0].import_actor ?? '' }))) continue;
    const context = await contextRegion(ctx.db, group[0].region_context ?? ctx.config.homeRegion);
    // Figures of one source row share subject and period: the list check pairs them by row.
    const rowOf = new Map<string, number>();
    const drafts: (FactDraft & { fact: FactRow })[] = group.map((f) => {
      const key = `${f.subject}|${f.year}|${f.period_from}|${f.period_to}`;
      if (!rowOf.has(key)) rowOf.set(key, rowOf.size + 1);
      return {
        row: rowOf.get(key)!,
        column: f.indicator,
        rec: {
          subject: f.subject,
          region_id: f.region_id,
          country_iso3: f.country_iso3,
          indicator: f.indicator,
          year: f.year,
          period_from: f.period_from,
          period_to: f.period_to,
          value: f.value,
          value_text: f.value_text,
          unit: f.unit,
          note: f.note,
          source: f.source,
        },
        listed: f.value === null && f.value_text ? splitList(f.value_text).length : undefined,
        fact: f,
      };
    });
    const issues: ImportIssue[] = await factChecks(ctx.db, drafts, context);
    for (const i of issues) {
      const d = drafts.find((x) => x.row === i.row && x.column === i.column);
      if (!d) continue;
      const f = d.fact;
      const stated = num(i.stated);
      const listed = num(i.listed);
      const rows = logged
        .filter(
          (l) =>
            l.import_id === importId &&
            l.issue.code === i.code &&
            String(l.issue.message).startsWith(f.subject) &&
            num(l.issue.stated) === stated &&
            (listed === null || num(l.issue.listed) === listed),
        )
        .map((l) => rowRef(l.issue));
      items.push({
        fact_id: f.id,
        subject: f.subject,
        indicator: f.indicator,
        year: f.year,
        period_from: d.rec.period_from as number | null,
        period_to: d.rec.period_to as number | null,
        unit: f.unit,
        code: i.code,
        stated,
        computed: num(i.computed),
        listed,
        message: i.message,
        message_en: i.message_en,
        import_id: importId,
        file_name: f.file_name,
        rows,
      });
    }
  }
  return { items };
}

/** A file's own totals that its details do not add up to. */
export async function qualityTotals(ctx: ServiceContext): Promise<{ items: TotalItem[] }> {
  assertMayReview(ctx);
  const logged = await visible(ctx, await loggedIssues(ctx.db, ['TOTAL_MISMATCH']));
  // The importer's check of stated figures against the funding records uses the same code: those are under `facts`.
  const own = logged.filter((l) => !/imported funding records/.test(String(l.issue.message_en)));
  return {
    items: own.map((l) => ({
      import_id: l.import_id,
      file_name: l.file_name,
      kind: l.kind,
      row: Number(l.issue.row),
      column: String(l.issue.column ?? ''),
      stated: num(l.issue.stated),
      computed: num(l.issue.computed),
      message: l.issue.message,
      message_en: l.issue.message_en,
    })),
  };
}

/** Names the imports in force could not resolve, grouped by name. */
export async function qualityUnresolved(ctx: ServiceContext, q: { kind?: UnresolvedKind } = {}): Promise<{ items: UnresolvedItem[]; truncated: { import_id: number; file_name: string; issue_count: number; kept: number }[] }> {
  assertMayReview(ctx);
  if (q.kind !== undefined && !(UNRESOLVED_KINDS as readonly string[]).includes(q.kind)) {
    throw badRequest('QUALITY_KIND_UNKNOWN', `未知的名称类别：${q.kind}（可选：${UNRESOLVED_KINDS.join('、')}）`, `Unknown kind of name: ${q.kind} (one of ${UNRESOLVED_KINDS.join(', ')})`);
  }
  const codes = Object.entries(UNRESOLVED_CODES).filter(([, k]) => q.kind === undefined || k === q.kind).map(([c]) => c);
  const logged = await visible(ctx, await loggedIssues(ctx.db, codes));
  const groups = new Map<string, UnresolvedItem>();
  for (const l of logged) {
    const kind = UNRESOLVED_CODES[l.issue.code];
    const name = nameOf(l.issue);
    if (!name) continue;
    const key = `${kind}|${name}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { kind, name, code: l.issue.code, occurrences: 0, suggestions: Array.isArray(l.issue.suggestions) ? l.issue.suggestions : [], imports: [] }));
    g.occurrences++;
    let imp = g.imports.find((x) => x.import_id === l.import_id);
    if (!imp) g.imports.push((imp = { import_id: l.import_id, file_name: l.file_name, rows: [] }));
    imp.rows.push(rowRef(l.issue));
  }
  const items = [...groups.values()].sort((a, b) => b.occurrences - a.occurrences || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.name < b.name ? -1 : 1));
  const shown = new Set(logged.map((l) => l.import_id));
  return { items, truncated: (await truncatedImports(ctx.db)).filter((t) => shown.has(t.import_id)) };
}

/** Edit similarity of two name keys, as the importer's similar-name check (1 − distance / longer length). */
function similarity(a: string, b: string): number {
  return 1 - distance(a, b) / Math.max(a.length, b.length, 1);
}

/** Likely duplicate organisations, one page of the scan. */
export async function qualityDuplicates(ctx: ServiceContext, q: { after?: number; budget?: number; limit?: number } = {}): Promise<DuplicatesResult> {
  assertMayReview(ctx);
  const after = q.after ?? 0;
  const budget = q.budget ?? 5000;
  const limit = q.limit ?? 200;
  if (!Number.isInteger(after) || after < 0) throw badRequest('QUALITY_PAGE_INVALID', `起点应为非负整数：${after}`, `"after" must be a non-negative integer: ${after}`);
  if (!Number.isInteger(budget) || budget < 1 || budget > 100_000) throw badRequest('QUALITY_PAGE_INVALID', `每页检查的机构数应为1至100000：${budget}`, `"budget" must be from 1 to 100000: ${budget}`);
  if (!Number.isInteger(limit) || limit < 1 || limit > 5000) throw badRequest('QUALITY_PAGE_INVALID', `返回条数应为1至5000：${limit}`, `"limit" must be from 1 to 5000: ${limit}`);

  const { pairs, lastProbed, probed } = await closeNameCandidates(ctx.db, scopeOf(ctx.actor), { after, budget, threshold: 0.5, perOrg: 20 });
  const orgs = new Map((await organisationsById(ctx.db, [...new Set(pairs.flatMap((p) => [p.a_id, p.b_id]))])).map((o) => [o.id, o]));
  const differ = (x: string | null, y: string | null) => x !== null && y !== null && x !== y;
  const seen = new Set<string>();
  const found: { sim: number; reason: 'similar' | 'contains'; a: OrgRow; b: OrgRow }[] = [];
  for (const p of pairs) {
    const [a, b] = [orgs.get(p.a_id), orgs.get(p.b_id)];
    if (!a || !b) continue;
    const key = a.id < b.id ? `${a.id}|${b.id}` : `${b.id}|${a.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (a.country_iso3 && b.country_iso3 && a.country_iso3 !== b.country_iso3) continue;
    if (differ(a.pic, b.pic) || differ(a.ror, b.ror) || differ(a.uscc, b.uscc)) continue;
    const sim = similarity(a.name_key, b.name_key);
    const shorter = a.name_key.length <= b.name_key.length ? a.name_key : b.name_key;
    const contains = shorter.length >= 3 && (a.name_key.includes(b.name_key) || b.name_key.includes(a.name_key));
    if (sim < 0.75 && !contains) continue;
    const [first, second] = a.id < b.id ? [a, b] : [b, a];
    found.push({ sim: Math.round(sim * 1000) / 1000, reason: sim >= 0.75 ? 'similar' : 'contains', a: first, b: second });
  }
  found.sort((x, y) => y.sim - x.sim || x.a.id - y.a.id || x.b.id - y.b.id);
  // Rows where an import reported one of the two as close to the other.
  const logged = await visible(ctx, await loggedIssues(ctx.db, ['ORG_SIMILAR']));
  const rowsFor = (o: OrgRow, other: OrgRow): RowRef[] =>
    logged
      .filter((l) => l.import_id === o.import_id && Array.isArray(l.issue.suggestions) && (l.issue.suggestions as { id?: unknown }[]).some((s) => Number(s.id) === other.id))
      .map((l) => rowRef(l.issue));
  const side = (o: OrgRow, other: OrgRow): DuplicateSide => ({ id: o.id, name: o.name, country_iso3: o.country_iso3, import_id: o.import_id, file_name: o.file_name, rows: rowsFor(o, other) });
  return {
    items: found.slice(0, limit).map((f) => ({ similarity: f.sim, reason: f.reason, a: side(f.a, f.b), b: side(f.b, f.a) })),
    probed,
    next_after: probed === budget ? lastProbed : null,
  };
}

export interface QualitySummary {
  facts: number;
  totals: number;
  unresolved: number;
  duplicates: { found: number; probed: number; complete: boolean };
}

/** How many items each part of the view holds (duplicates: in the first page of the scan). */
export async function qualitySummary(ctx: ServiceContext): Promise<QualitySummary> {
  const facts = await qualityFacts(ctx);
  const totals = await qualityTotals(ctx);
  const unresolved = await qualityUnresolved(ctx);
  const dup = await qualityDuplicates(ctx, { limit: 5000 });
  return {
    facts: facts.items.length,
    totals: totals.items.length,
    unresolved: unresolved.items.length,
    duplicates: { found: dup.items.length, probed: dup.probed, complete: dup.next_after === null },
  };
}

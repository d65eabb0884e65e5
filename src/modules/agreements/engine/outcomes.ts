/**
 * Outcome follow-up after acceptance and the project's performance data.
 *
 * Follow-up (as UKRI's Researchfish asks, but without retyping what is already known):
 *   - a yearly outcome report for each of the `years` calendar years after the acceptance year
 *     (default 5: accepted in 2026 → 2027 … 2031), due at the end of the month `due_months_after`
 *     months after the year (default 3: 31 March, when the annual accounts exist), with
 *     `grace_days` (default 15). These are scheduled reports like any other (kind 'outcome'), so
 *     overdue ones are supervised the same way (schedule.ts, supervision.ts).
 *   - each report is pre-filled from the registries as a pure function of the facts given:
 *     the project's outputs-registry records dated in that year (revenue and technology-transfer
 *     value summed in 万元, products, patents, PCT, standards, papers, talents counted as in
 *     outputs.ts; records without a year cannot be placed and are left out); follow-on projects —
 *     registry projects of the same lead organisation that share a foreign partner with this one,
 *     started in that year; continued cooperation — true when such a project runs during the year.
 *     Where the registries know nothing the field is empty (null), never 0: absence of a record is
 *     not a zero, and continued cooperation without evidence is asked, not denied.
 *   - the enterprise confirms or corrects; every field keeps where its value came from.
 *
 * Performance data (the built-in framework src/modules/indicators/builtin/project-performance.yaml,
 * innolink-2026.1): performanceRow() maps a project's real data onto the framework's indicators —
 * the acceptance's mean capped achievement rate, outputs, revenue, continued cooperation and
 * follow-on projects, talents, outputs and revenue per public 万元, leverage. Output figures take,
 * for each year, the confirmed outcome report's figure where it gives one and the registry's
 * records of that year otherwise (one figure per year, never both), so a later outcome report
 * moves the project's score.
 */
import { KEY_INDICATORS, PUBLIC_FUNDING_SOURCES, toWan } from '../../lifecycle/vocabulary.ts';
import { roundWan, type FundingLine } from './agreement.ts';
import { addDays, addMonths, checkDate, monthEnd, yearOf } from './dates.ts';
import { issue, refuse, refuseOnErrors, type LifecycleIssue, type Named } from './issues.ts';
import { countOutputs, type OutputRecord } from './outputs.ts';
import type { ScheduledReport } from './schedule.ts';

export interface OutcomeConfig {
  years: number;
  due_months_after: number;
  grace_days: number;
}

export const DEFAULT_OUTCOME_CONFIG: Readonly<OutcomeConfig> = Object.freeze({ years: 5, due_months_after: 3, grace_days: 15 });

/** Complete, checked follow-up settings (OUTCOME_CONFIG_INVALID otherwise). */
export function resolveOutcomeConfig(partial: Partial<OutcomeConfig> = {}): OutcomeConfig {
  const c = { ...DEFAULT_OUTCOME_CONFIG, ...partial };
  if (!Number.isInteger(c.years) || c.years < 1 || c.years > 20) refuse('OUTCOME_CONFIG_INVALID', { field: 'years', value: c.years }, { field: 'years' });
  if (!Number.isInteger(c.due_months_after) || c.due_months_after < 0 || c.due_months_after > 12) refuse('OUTCOME_CONFIG_INVALID', { field: 'due_months_after', value: c.due_months_after }, { field: 'due_months_after' });
  if (!Number.isInteger(c.grace_days) || c.grace_days < 0) refuse('OUTCOME_CONFIG_INVALID', { field: 'grace_days', value: c.grace_days }, { field: 'grace_days' });
  return c;
}

/** The calendar years followed up after an acceptance date. */
export function followUpYears(acceptedOn: string, partial: Partial<OutcomeConfig> = {}): number[] {
  const c = resolveOutcomeConfig(partial);
  const bad = checkDate(acceptedOn, 'accepted_on');
  if (bad) refuse('AGREEMENT_DATE_INVALID', { field: 'accepted_on', value: acceptedOn }, { field: 'accepted_on' });
  return Array.from({ length: c.years }, (_, i) => yearOf(acceptedOn) + 1 + i);
}

/** The outcome reports owed after acceptance, as scheduled reports (kind 'outcome', period 'YYYY'). */
export function outcomeSchedule(acceptedOn: string, partial: Partial<OutcomeConfig> = {}): ScheduledReport[] {
  const c = resolveOutcomeConfig(partial);
  return followUpYears(acceptedOn, c).map((y) => {
    const due = monthEnd(addMonths(`${y}-12-31`, c.due_months_after));
    return { kind: 'outcome', period: String(y), period_start: `${y}-01-01`, period_end: `${y}-12-31`, due, deadline: addDays(due, c.grace_days) };
  });
}

/** The numeric fields of an outcome report, with the outputs-registry kind each is pre-filled from. */
export const OUTCOME_FIELDS = [
  { key: 'revenue_wan', zh: '新增销售收入（万元）', en: 'New revenue (10k CNY)', output_kind: 'revenue', measure: 'amount' },
  { key: 'products', zh: '新产品（项）', en: 'New products', output_kind: 'product', measure: 'count' },
  { key: 'patents', zh: '发明专利申请（件）', en: 'Invention patent applications', output_kind: 'patent', measure: 'count' },
  { key: 'pct_patents', zh: 'PCT 国际专利申请（件）', en: 'PCT applications', output_kind: 'pct_patent', measure: 'count' },
  { key: 'standards', zh: '标准（项）', en: 'Standards', output_kind: 'standard', measure: 'count' },
  { key: 'papers', zh: '论文（篇）', en: 'Papers', output_kind: 'paper', measure: 'count' },
  { key: 'technology_transfer_wan', zh: '技术转移合同额（万元）', en: 'Technology transferred, contract value (10k CNY)', output_kind: 'technology_transfer', measure: 'amount' },
  { key: 'talents_trained', zh: '培养人才（人）', en: 'Talents trained', output_kind: 'talent_trained', measure: 'count' },
  { key: 'overseas_talents', zh: '引进并留用的海外高层次人才（人）', en: 'Overseas talents recruited and retained', output_kind: null, measure: 'count' },
] as const;

export type OutcomeField = (typeof OUTCOME_FIELDS)[number]['key'];

/** Where a value in a confirmed report came from. */
export type Provenance = 'registry' | 'confirmed' | 'corrected' | 'entered' | 'empty';

/** A pre-filled value and its evidence (record titles, project codes). */
export interface Prefilled<T> {
  value: T | null;
  source: 'registry' | 'none';
  evidence: string[];
}

/** The project whose outcomes are followed up. */
export interface FollowedProject {
  code: string;
  lead_org_id: number | null;
  /** The registry ids of its foreign partners. */
  foreign_partner_ids: readonly number[];
  start_date: string;
  accepted_on: string;
}

/** A project of the registry, as far as follow-on and continued cooperation need it. */
export interface RegistryProject {
  code: string;
  lead_org_id: number | null;
  partner_org_ids: readonly number[];
  start_date: string | null;
  end_date: string | null;
}

/** What the registries know, for pre-filling. */
export interface OutcomeFacts {
  project: FollowedProject;
  /** The project's outputs-registry records. */
  outputs: readonly OutputRecord[];
  /** Other projects of the registry (the project itself may be among them; it is skipped). */
  projects: readonly RegistryProject[];
}

/** An outcome report pre-filled for the enterprise to confirm. */
export interface OutcomePrefill {
  project: string;
  year: number;
  fields: Record<OutcomeField, Prefilled<number>>;
  continued_cooperation: Prefilled<boolean>;
  follow_on_projects: Prefilled<string[]>;
  issues: LifecycleIssue[];
}

/** A confirmed outcome report. */
export interface OutcomeReport {
  project: string;
  year: number;
  values: Record<OutcomeField, number | null>;
  continued_cooperation: boolean | null;
  follow_on_projects: string[];
  provenance: Record<OutcomeField | 'continued_cooperation' | 'follow_on_projects', Provenance>;
}

/** What the enterprise types over the pre-fill (a field left out keeps the pre-filled value). */
export interface OutcomeEntry {
  values?: Partial<Record<OutcomeField, number | null>>;
  continued_cooperation?: boolean | null;
  follow_on_projects?: string[];
}

/** Projects of the same lead organisation sharing a foreign partner with the followed one. */
export function relatedProjects(p: FollowedProject, projects: readonly RegistryProject[]): RegistryProject[] {
  if (p.lead_org_id === null) return [];
  const partners = new Set(p.foreign_partner_ids);
  return projects.filter((q) => q.code !== p.code && q.lead_org_id === p.lead_org_id && q.partner_org_ids.some((id) => partners.has(id)));
}

/** Sum of records' values in 万元 (technology-transfer contract value). */
function valueWan(records: readonly OutputRecord[]): { value: number; issues: LifecycleIssue[] } {
  let v = 0;
  const issues: LifecycleIssue[] = [];
  const indicator: Named = { zh: '技术转移合同额', en: 'technology-transfer contract value' };
  for (const r of records) {
    if (typeof r.value !== 'number' || !Number.isFinite(r.value)) {
      issues.push(issue('OUTPUT_VALUE_MISSING', { title: r.title, indicator }, { field: 'value', title: r.title }));
      continue;
    }
    const w = toWan(r.value, r.unit?.trim() ? r.unit : '万元');
    if (w === null) issues.push(issue('OUTPUT_UNIT_UNKNOWN', { title: r.title, unit: String(r.unit), indicator }, { field: 'unit', title: r.title }));
    else v += w;
  }
  return { value: roundWan(v), issues };
}

/** One field's figure from the registry records of a year: null when there is no record. */
function registryFigure(field: (typeof OUTCOME_FIELDS)[number], records: readonly OutputRecord[]): { value: number | null; evidence: string[]; issues: LifecycleIssue[] } {
  if (!field.output_kind) return { value: null, evidence: [], issues: [] };
  const own = records.filter((r) => r.kind === field.output_kind);
  if (!own.length) return { value: null, evidence: [], issues: [] };
  const evidence = own.map((r) => r.title);
  if (field.key === 'technology_transfer_wan') return { ...valueWan(own), evidence };
  // The key indicator counting this kind of output: the one counting rule of outputs.ts.
  const k = KEY_INDICATORS.find((x) => x.output_kind === field.output_kind)!;
  const c = countOutputs(k, own);
  return { value: c.value, evidence, issues: c.issues };
}

/** Pre-fills the outcome report of one follow-up year from what the registries know; see the module comment. */
export function prefillOutcome(facts: OutcomeFacts, year: number, partial: Partial<OutcomeConfig> = {}): OutcomePrefill {
  const years = followUpYears(facts.project.accepted_on, partial);
  if (!years.includes(year)) refuse('OUTCOME_YEAR_OUTSIDE_FOLLOW_UP', { year, from: years[0], to: years.at(-1)! }, { field: 'year', value: year });
  const records = facts.outputs.filter((o) => o.year === year);
  const issues: LifecycleIssue[] = [];
  const fields = {} as Record<OutcomeField, Prefilled<number>>;
  for (const f of OUTCOME_FIELDS) {
    const r = registryFigure(f, records);
    issues.push(...r.issues);
    fields[f.key] = { value: r.value, source: r.value === null ? 'none' : 'registry', evidence: r.evidence };
  }
  const related = relatedProjects(facts.project, facts.projects);
  const follow = related.filter((q) => q.start_date !== null && yearOf(q.start_date) === year).map((q) => q.code);
  const running = related.filter((q) => q.start_date !== null && q.start_date <= `${year}-12-31` && (q.end_date === null || q.end_date >= `${year}-01-01`)).map((q) => q.code);
  return {
    project: facts.project.code,
    year,
    fields,
    continued_cooperation: running.length ? { value: true, source: 'registry', evidence: running } : { value: null, source: 'none', evidence: [] },
    follow_on_projects: follow.length ? { value: follow, source: 'registry', evidence: follow } : { value: [], source: 'none', evidence: [] },
    issues,
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function provenance<T>(pre: Prefilled<T>, entered: T | undefined): { value: T | null; from: Provenance } {
  if (entered === undefined) return { value: pre.value, from: pre.value === null || (Array.isArray(pre.value) && !pre.value.length) ? 'empty' : 'confirmed' };
  if (pre.source === 'none') return { value: entered, from: entered === null ? 'empty' : 'entered' };
  return { value: entered, from: same(entered, pre.value) ? 'confirmed' : 'corrected' };
}

/** The report as the enterprise confirms or corrects it; refuses negative or non-numeric figures. */
export function confirmOutcome(pre: OutcomePrefill, entry: OutcomeEntry = {}): OutcomeReport {
  const issues: LifecycleIssue[] = [];
  const values = {} as Record<OutcomeField, number | null>;
  const prov = {} as OutcomeReport['provenance'];
  for (const f of OUTCOME_FIELDS) {
    const e = entry.values?.[f.key];
    if (e !== undefined && e !== null && (typeof e !== 'number' || !Number.isFinite(e) || e < 0)) {
      issues.push(issue('OUTCOME_VALUE_INVALID', { field: { zh: f.zh, en: f.en }, value: e }, { field: f.key, value: e }));
      continue;
    }
    const p = provenance(pre.fields[f.key], e);
    values[f.key] = p.value;
    prov[f.key] = p.from;
  }
  refuseOnErrors(issues);
  const c = provenance(pre.continued_cooperation, entry.continued_cooperation);
  const fo = provenance(pre.follow_on_projects, entry.follow_on_projects);
  prov.continued_cooperation = c.from;
  prov.follow_on_projects = fo.from;
  return { project: pre.project, year: pre.year, values, continued_cooperation: c.value, follow_on_projects: [...new Set(fo.value ?? [])], provenance: prov };
}

// ---------------------------------------------------------------------------------------------
// Performance data for the built-in project-performance framework

/** Everything the performance indicators of one project are computed from. */
export interface PerformanceFacts {
  code: string;
  name?: string | null;
  /** The acceptance's mean achievement rate (each rate capped at 1); null before acceptance. */
  acceptance_mean_rate: number | null;
  /** The project's outputs-registry records, every year. */
  outputs: readonly OutputRecord[];
  /** Its confirmed yearly outcome reports. */
  outcomes: readonly OutcomeReport[];
  /** Follow-on projects the registry knows (relatedProjects started after this project's start). */
  follow_on_projects: readonly string[];
  funding: readonly FundingLine[];
  /** The evaluators' score of the foreign partners' standing (1–5), when given. */
  partner_standing?: number | null;
}

/** A row of the framework's data set: uCode, uName and one value (or null) per indicator code. */
export type PerformanceRow = { uCode: string; uName: string | null } & Record<string, string | number | null>;

/**
 * A figure over all years: for each year, the outcome report's figure when it gives one, the
 * registry's records of that year otherwise; undated records count once.
 */
export function figureToDate(field: OutcomeField, outputs: readonly OutputRecord[], outcomes: readonly OutcomeReport[]): number {
  const f = OUTCOME_FIELDS.find((x) => x.key === field)!;
  const reported = new Map<number, number>();
  for (const r of outcomes) if (r.values[field] !== null) reported.set(r.year, r.values[field]!);
  const registry = registryFigure(
    f,
    outputs.filter((o) => o.year === null || !reported.has(o.year)),
  ).value;
  return roundWan((registry ?? 0) + [...reported.values()].reduce((s, v) => s + v, 0));
}

/** The project's values of the framework's 16 indicators; see the module comment and the YAML. */
export function performanceRow(f: PerformanceFacts): PerformanceRow {
  const fig = (k: OutcomeField) => figureToDate(k, f.outputs, f.outcomes);
  const pub = f.funding.filter((l) => PUBLIC_FUNDING_SOURCES.includes(l.source)).reduce((s, l) => s + l.amount_wan, 0);
  const total = f.funding.reduce((s, l) => s + l.amount_wan, 0);
  const rev = fig('revenue_wan');
  const pat = fig('patents');
  const pct = fig('pct_patents');
  const std = fig('standards');
  const prod = fig('products');
  const coop = f.outcomes.filter((r) => r.continued_cooperation !== null);
  const overseas = f.outcomes.filter((r) => r.values.overseas_talents !== null);
  const follow = new Set([...f.follow_on_projects, ...f.outcomes.flatMap((r) => r.follow_on_projects)]);
  const perPublic = (x: number) => (pub > 0 ? x / pub : null);
  return {
    uCode: f.code,
    uName: f.name ?? null,
    OUT_RATE: f.acceptance_mean_rate === null ? null : f.acceptance_mean_rate * 100,
    OUT_PAT: pat,
    OUT_STD: std,
    OUT_PROD: prod,
    OUT_TT: fig('technology_transfer_wan'),
    OUT_REV: rev,
    INF_COPUB: fig('papers'),
    INF_PCT: pct,
    INF_CONT: coop.length ? (100 * coop.filter((r) => r.continued_cooperation).length) / coop.length : null,
    INF_FOLLOW: follow.size,
    INF_PARTNER: f.partner_standing ?? null,
    TAL_TRAIN: fig('talents_trained'),
    TAL_INTRO: overseas.length ? overseas.reduce((s, r) => s + r.values.overseas_talents!, 0) : null,
    EFF_REV: perPublic(rev),
    // per 百万元 = per 100 万元
    EFF_OUT: pub > 0 ? (pat + pct + std + prod) / (pub / 100) : null,
    EFF_LEV: perPublic(total - pub),
  };
}

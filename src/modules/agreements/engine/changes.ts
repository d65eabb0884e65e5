/**
 * Change requests (变更) against a signed task agreement: each kind turns the agreement in force
 * into a proposed state, shown as its difference from that state, and is checked against the
 * programme's rules. Every rule gives pass or fail with a coded bilingual reason; a passing rule
 * may still say the change needs approval.
 *
 * Rules (configurable per programme; defaults in DEFAULT_CHANGE_RULES):
 *   - window: no change in the last `freeze_months` months of the project (default 3), except
 *     termination. The last day a change may be requested is end − 3 months by the end-of-month
 *     rule: for a project ending 2026-06-30 that is 2026-03-31 (allowed), 2026-04-01 is refused
 *     (CHANGE_AFTER_DEADLINE). The end is that of the agreement in force.
 *   - extension: at most `max_extensions` approved extensions (default 1), and the new end at most
 *     `max_extension_months` months (default 12) after the end signed originally — so repeated
 *     extensions, where a programme allows them, share one limit. Exactly 12 months passes
 *     (2026-06-30 → 2027-06-30); one day more fails. The new end must be later than the current one.
 *   - budget reallocation: money moves between categories within one source and year (so the
 *     funding lines still add up). For each category the request touches — the one money leaves
 *     and the one it goes to, since an office limits both cuts and increases — the change is measured
 *     cumulatively against the budget signed originally, summed over sources and years:
 *     |proposed − signed| / signed. Above `reallocation_approval_share` (default 20 %) it needs
 *     approval; at or below, it is recorded without approval. A category that had no budget needs
 *     approval. Measuring from the signing, not from the last change, means two 15 % moves cannot
 *     pass as two small ones. A move larger than its cell is refused.
 *   - partner change: the proposed partner list is validated; at least one foreign partner must
 *     remain (when the programme requires one). Needs approval.
 *   - indicator change: the proposed indicators are validated as in the agreement (units, targets).
 *     Needs approval.
 *   - person in charge: must differ from the current one. Needs approval.
 *   - termination: a date within the project period; the unspent public funds to recover are
 *     computed (see unspentPublicFunds). Needs approval. Allowed at any time.
 *   A proposal identical to the agreement in force is refused (CHANGE_NO_DIFFERENCE).
 */
import { PUBLIC_FUNDING_SOURCES, BUDGET_CATEGORIES, FUNDING_SOURCES, keyIndicator } from '../../lifecycle/vocabulary.ts';
import type { Values } from '../../registries/enums.ts';
import {
  budgetByCategory,
  checkIndicator,
  checkPartners,
  diffAgreements,
  indicatorName,
  named,
  roundWan,
  sameWan,
  type Agreement,
  type AgreementIndicator,
  type BudgetCell,
  type DiffEntry,
  type PartnerObligation,
} from './agreement.ts';
import { addMonths, checkDate, monthsAndDays } from './dates.ts';
import { issue, refuse, type LifecycleIssue } from './issues.ts';

/** A programme's rules for change requests. */
export interface ChangeRules {
  max_extensions: number;
  max_extension_months: number;
  /** Share of a category's signed budget above which a reallocation needs approval (0.2 = 20 %). */
  reallocation_approval_share: number;
  /** No change other than termination in this many last months of the project. */
  freeze_months: number;
  require_foreign_partner: boolean;
}

export const DEFAULT_CHANGE_RULES: Readonly<ChangeRules> = Object.freeze({
  max_extensions: 1,
  max_extension_months: 12,
  reallocation_approval_share: 0.2,
  freeze_months: 3,
  require_foreign_partner: true,
});

export const CHANGE_KINDS: Values = [
  { value: 'extension', zh: '项目延期', en: 'extension' },
  { value: 'partner_change', zh: '合作单位变更', en: 'partner change' },
  { value: 'budget_reallocation', zh: '预算调剂', en: 'budget reallocation' },
  { value: 'indicator_change', zh: '考核指标调整', en: 'indicator change' },
  { value: 'person_in_charge', zh: '项目负责人变更', en: 'change of the person in charge' },
  { value: 'termination', zh: '项目终止', en: 'termination' },
];

/** Money moved from one category to another within a source and year (万元). */
export interface BudgetMove {
  source: string;
  year: number;
  from: string;
  to: string;
  amount_wan: number;
}

/** A source's money paid out to the project and spent so far (万元). */
export interface FundsPosition {
  source: string;
  received_wan: number;
  spent_wan: number;
}

/** A change request, by kind. */
export type ChangeRequest =
  | { kind: 'extension'; requested_on: string; new_end_date: string }
  | { kind: 'partner_change'; requested_on: string; partners: PartnerObligation[] }
  | { kind: 'budget_reallocation'; requested_on: string; moves: BudgetMove[] }
  | { kind: 'indicator_change'; requested_on: string; indicators: AgreementIndicator[] }
  | { kind: 'person_in_charge'; requested_on: string; person: string }
  | { kind: 'termination'; requested_on: string; termination_date: string; funds: FundsPosition[] };

export type ChangeKind = ChangeRequest['kind'];

/** An earlier change request of the project and how it ended. */
export interface PastChange {
  kind: ChangeKind;
  state: 'approved' | 'recorded' | 'returned' | 'pending';
}

/** What a change is judged against. */
export interface ChangeContext {
  /** The agreement as first signed. */
  signed: Agreement;
  /** The agreement in force: the signed one with every approved or recorded change applied. */
  current: Agreement;
  history?: readonly PastChange[];
}

/** One rule's outcome. */
export interface RuleResult {
  rule: 'window' | 'extension_count' | 'extension_length' | 'extension_later' | 'reallocation_share' | 'foreign_partner' | 'person_differs' | 'termination_date' | 'termination_recovery' | 'approval';
  pass: boolean;
  needs_approval: boolean;
  code: LifecycleIssue['code'];
  message: string;
  message_en: string;
  details: Record<string, unknown>;
}

/** The public money to recover when a project stops early. */
export interface Recovery {
  /** Per public source: received − spent, never below 0. */
  by_source: Array<{ source: string; received_wan: number; spent_wan: number; unspent_wan: number }>;
  received_wan: number;
  spent_wan: number;
  recover_wan: number;
}

/** A change request judged. */
export interface ChangeEvaluation {
  kind: ChangeKind;
  /** The agreement as it would be after the change. */
  proposed: Agreement;
  /** The proposal against the agreement in force. */
  diff: DiffEntry[];
  rules: RuleResult[];
  /** Problems of the request itself (a unit that does not convert, a move larger than its cell …). */
  issues: LifecycleIssue[];
  /** No rule failed and no issue is an error. */
  allowed: boolean;
  /** Some rule asks for the officer's approval; otherwise the change is recorded as it is. */
  needs_approval: boolean;
  recovery: Recovery | null;
}

const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** A complete, checked rule set from a programme's partial settings (CHANGE_RULES_INVALID otherwise). */
export function resolveChangeRules(partial: Partial<ChangeRules> = {}): ChangeRules {
  const r = { ...DEFAULT_CHANGE_RULES, ...partial };
  const bad = (field: string, value: unknown) => refuse('CHANGE_RULES_INVALID', { field, value }, { field });
  for (const f of ['max_extensions', 'max_extension_months', 'freeze_months'] as const) if (!Number.isInteger(r[f]) || r[f] < 0) bad(f, r[f]);
  if (!isNumber(r.reallocation_approval_share) || r.reallocation_approval_share < 0 || r.reallocation_approval_share > 1) bad('reallocation_approval_share', r.reallocation_approval_share);
  if (typeof r.require_foreign_partner !== 'boolean') bad('require_foreign_partner', r.require_foreign_partner);
  return r;
}

function result(rule: RuleResult['rule'], i: LifecycleIssue, needsApproval = false): RuleResult {
  const { code, message, message_en, severity: _s, ...details } = i;
  return { rule, pass: i.severity !== 'error', needs_approval: needsApproval, code, message, message_en, details };
}

/**
 * The unspent public funds of a project: for each public source (PUBLIC_FUNDING_SOURCES),
 * received − spent, never below 0 (an overspent source is not offset against another); own funds
 * and the partner's money are not recovered. Refuses negative or missing amounts (FUNDS_INVALID).
 */
export function unspentPublicFunds(funds: readonly FundsPosition[]): Recovery {
  funds.forEach((f, i) => {
    for (const field of ['received_wan', 'spent_wan'] as const)
      if (!isNumber(f[field]) || f[field] < 0) refuse('FUNDS_INVALID', { row: i + 1, field, value: f[field] }, { row: i + 1, field, source: f.source });
  });
  const by = new Map<string, { received_wan: number; spent_wan: number }>();
  for (const f of funds) {
    if (!PUBLIC_FUNDING_SOURCES.includes(f.source)) continue;
    const e = by.get(f.source) ?? { received_wan: 0, spent_wan: 0 };
    e.received_wan += f.received_wan;
    e.spent_wan += f.spent_wan;
    by.set(f.source, e);
  }
  const by_source = [...by].map(([source, e]) => ({ source, received_wan: roundWan(e.received_wan), spent_wan: roundWan(e.spent_wan), unspent_wan: roundWan(Math.max(0, e.received_wan - e.spent_wan)) }));
  return {
    by_source,
    received_wan: roundWan(by_source.reduce((s, x) => s + x.received_wan, 0)),
    spent_wan: roundWan(by_source.reduce((s, x) => s + x.spent_wan, 0)),
    recover_wan: roundWan(by_source.reduce((s, x) => s + x.unspent_wan, 0)),
  };
}

/** The window rule: the last day a change may be requested, and whether this one is in time. */
export function windowRule(kind: ChangeKind, requestedOn: string, end: string, rules: ChangeRules): RuleResult {
  if (kind === 'termination') return result('window', issue('CHANGE_WINDOW_EXEMPT', { date: requestedOn }, { field: 'requested_on' }));
  const last = addMonths(end, -rules.freeze_months);
  return requestedOn <= last
    ? result('window', issue('CHANGE_WINDOW_OK', { date: requestedOn, last }, { field: 'requested_on', last }))
    : result('window', issue('CHANGE_AFTER_DEADLINE', { date: requestedOn, last, months: rules.freeze_months, end }, { field: 'requested_on', last }));
}

/** Applies budget moves to a budget, in order; the issues name each move that cannot be made. */
export function applyMoves(budget: readonly BudgetCell[], moves: readonly BudgetMove[]): { budget: BudgetCell[]; issues: LifecycleIssue[] } {
  const cells = budget.map((c) => ({ ...c }));
  const issues: LifecycleIssue[] = [];
  const find = (source: string, year: number, category: string) => cells.find((c) => c.source === source && c.year === year && c.category === category);
  const known = (v: Values, x: string) => v.some((e) => e.value === x);
  moves.forEach((m, i) => {
    const row = i + 1;
    const invalid = (zh: string, en: string, field: string) => issues.push(issue('REALLOCATION_INVALID', { row, reason: { zh, en } }, { row, field }));
    if (!known(FUNDING_SOURCES, m.source)) return invalid(`未知的经费来源“${m.source}”`, `unknown funding source "${m.source}"`, 'source');
    if (!known(BUDGET_CATEGORIES, m.from)) return invalid(`未知的预算科目“${m.from}”`, `unknown budget category "${m.from}"`, 'from');
    if (!known(BUDGET_CATEGORIES, m.to)) return invalid(`未知的预算科目“${m.to}”`, `unknown budget category "${m.to}"`, 'to');
    if (m.from === m.to) return invalid('调出和调入科目相同', 'money moves from and to the same category', 'to');
    if (!isNumber(m.amount_wan) || m.amount_wan <= 0) return invalid(`调剂金额应大于 0，实为“${String(m.amount_wan)}”`, `the amount must be above 0, not "${String(m.amount_wan)}"`, 'amount_wan');
    const from = find(m.source, m.year, m.from);
    const available = from?.amount_wan ?? 0;
    if (m.amount_wan > available + 0.00005) {
      issues.push(
        issue(
          'REALLOCATION_EXCEEDS_CELL',
          { row, source: named(FUNDING_SOURCES, m.source), year: m.year, category: named(BUDGET_CATEGORIES, m.from), amount: m.amount_wan, available },
          { row, field: 'amount_wan', source: m.source, year: m.year, category: m.from },
        ),
      );
      return;
    }
    from!.amount_wan = roundWan(available - m.amount_wan);
    const to = find(m.source, m.year, m.to);
    if (to) to.amount_wan = roundWan(to.amount_wan + m.amount_wan);
    else cells.push({ source: m.source, year: m.year, category: m.to, amount_wan: roundWan(m.amount_wan) });
  });
  return { budget: cells, issues };
}

/**
 * The reallocation rule for each category a request touches: its cumulative change from the
 * signed budget, recorded at or below the share, needing approval above it (module comment).
 */
export function reallocationRules(signed: readonly BudgetCell[], proposed: readonly BudgetCell[], touched: readonly string[], rules: ChangeRules): RuleResult[] {
  const before = budgetByCategory(signed);
  const after = budgetByCategory(proposed);
  const out: RuleResult[] = [];
  for (const category of BUDGET_CATEGORIES.map((c) => c.value).filter((c) => touched.includes(c))) {
    const original = before.get(category) ?? 0;
    const now = after.get(category) ?? 0;
    if (sameWan(original, now)) continue;
    const share = sameWan(original, 0) ? null : Math.abs(now - original) / original;
    // 1e-9: 21 of 105 is exactly 20 % and must not tip over on rounding.
    const above = share === null || share > rules.reallocation_approval_share + 1e-9;
    const p = { category: named(BUDGET_CATEGORIES, category), original, proposed: now, limit: rules.reallocation_approval_share };
    const at = { field: 'budget', category, signed: original, proposed: now, share };
    out.push(
      above
        ? result('reallocation_share', issue('REALLOCATION_NEEDS_APPROVAL', { ...p, share }, at), true)
        : result('reallocation_share', issue('REALLOCATION_RECORDED', { ...p, share: share ?? 0 }, at), false),
    );
  }
  return out;
}

const approval = (kind: ChangeKind): RuleResult => result('approval', issue('CHANGE_NEEDS_APPROVAL', { kind: named(CHANGE_KINDS, kind) }, { field: 'kind' }), true);

/** Judges a change request against the agreement in force and the programme's rules; see the module comment. */
export function evaluateChange(req: ChangeRequest, ctx: ChangeContext, partialRules: Partial<ChangeRules> = {}): ChangeEvaluation {
  const rules = resolveChangeRules(partialRules);
  const { signed, current } = ctx;
  if (!CHANGE_KINDS.some((k) => k.value === req.kind)) refuse('CHANGE_KIND_UNKNOWN', { kind: String(req.kind) }, { field: 'kind' });
  const bad = checkDate(req.requested_on, 'requested_on');
  if (bad) refuse('AGREEMENT_DATE_INVALID', { field: 'requested_on', value: String(req.requested_on) }, { field: 'requested_on' });

  const out: RuleResult[] = [windowRule(req.kind, req.requested_on, current.end_date, rules)];
  const issues: LifecycleIssue[] = [];
  let proposed: Agreement = structuredClone(current);
  let recovery: Recovery | null = null;

  switch (req.kind) {
    case 'extension': {
      const d = checkDate(req.new_end_date, 'new_end_date');
      if (d) refuse('AGREEMENT_DATE_INVALID', { field: 'new_end_date', value: String(req.new_end_date) }, { field: 'new_end_date' });
      const before = (ctx.history ?? []).filter((h) => h.kind === 'extension' && h.state === 'approved').length;
      out.push(
        before < rules.max_extensions
          ? result('extension_count', issue('EXTENSION_COUNT_OK', { before, max: rules.max_extensions }, { field: 'kind', before }))
          : result('extension_count', issue('EXTENSION_COUNT_EXCEEDED', { before, max: rules.max_extensions }, { field: 'kind', before })),
      );
      out.push(
        req.new_end_date > current.end_date
          ? result('extension_later', issue('EXTENSION_LATER_OK', { from: current.end_date, to: req.new_end_date }, { field: 'new_end_date' }))
          : result('extension_later', issue('EXTENSION_NOT_LATER', { from: current.end_date, to: req.new_end_date }, { field: 'new_end_date' })),
      );
      const latest = addMonths(signed.end_date, rules.max_extension_months);
      const span = monthsAndDays(signed.end_date, req.new_end_date > signed.end_date ? req.new_end_date : signed.end_date);
      const p = { from: signed.end_date, to: req.new_end_date, latest, max: rules.max_extension_months };
      const at = { field: 'new_end_date', latest, months: span.months, days: span.days };
      out.push(req.new_end_date <= latest ? result('extension_length', issue('EXTENSION_LENGTH_OK', p, at)) : result('extension_length', issue('EXTENSION_TOO_LONG', p, at)));
      out.push(approval('extension'));
      proposed.end_date = req.new_end_date;
      break;
    }
    case 'partner_change': {
      proposed.partners = structuredClone(req.partners);
      const problems = checkPartners(req.partners, { require_foreign_partner: false });
      issues.push(...problems);
      const foreign = req.partners.filter((p) => p.foreign).length;
      if (rules.require_foreign_partner)
        out.push(foreign > 0 ? result('foreign_partner', issue('PARTNER_CHANGE_OK', { foreign }, { field: 'partners' })) : result('foreign_partner', issue('PARTNER_CHANGE_NO_FOREIGN', {}, { field: 'partners' })));
      out.push(approval('partner_change'));
      break;
    }
    case 'budget_reallocation': {
      const applied = applyMoves(current.budget, req.moves);
      issues.push(...applied.issues);
      proposed.budget = applied.budget;
      const touched = [...new Set(req.moves.flatMap((m) => [m.from, m.to]))];
      if (!applied.issues.length) out.push(...reallocationRules(signed.budget, proposed.budget, touched, rules));
      break;
    }
    case 'indicator_change': {
      const seen = new Map<string, number>();
      proposed.indicators = [];
      req.indicators.forEach((ind, i) => {
        const c = checkIndicator(ind, i + 1);
        issues.push(...c.issues);
        if (keyIndicator(ind.kind) && seen.has(ind.kind))
          issues.push(issue('INDICATOR_DUPLICATE', { row: i + 1, indicator: indicatorName(ind.kind), first_row: seen.get(ind.kind)! }, { row: i + 1, field: 'kind' }));
        else seen.set(ind.kind, i + 1);
        proposed.indicators.push(c.canonical ?? { ...ind });
      });
      if (!req.indicators.length) issues.push(issue('INDICATOR_NONE', {}, { field: 'indicators' }));
      out.push(approval('indicator_change'));
      break;
    }
    case 'person_in_charge': {
      const person = String(req.person ?? '').trim();
      if (!person) issues.push(issue('AGREEMENT_PERSON_MISSING', {}, { field: 'person' }));
      else if (person === current.person_in_charge.trim()) out.push(result('person_differs', issue('PERSON_UNCHANGED', { person }, { field: 'person' })));
      proposed.person_in_charge = person;
      out.push(approval('person_in_charge'));
      break;
    }
    case 'termination': {
      const d = checkDate(req.termination_date, 'termination_date');
      if (d) refuse('AGREEMENT_DATE_INVALID', { field: 'termination_date', value: String(req.termination_date) }, { field: 'termination_date' });
      if (req.termination_date < current.start_date || req.termination_date > current.end_date)
        out.push(result('termination_date', issue('TERMINATION_DATE_INVALID', { date: req.termination_date, start: current.start_date, end: current.end_date }, { field: 'termination_date' })));
      recovery = unspentPublicFunds(req.funds);
      out.push(result('termination_recovery', issue('TERMINATION_RECOVERY', { recover: recovery.recover_wan, received: recovery.received_wan, spent: recovery.spent_wan }, { field: 'funds', recover_wan: recovery.recover_wan })));
      out.push(approval('termination'));
      proposed.end_date = req.termination_date;
      break;
    }
  }

  const diff = diffAgreements(current, proposed);
  // Said only when nothing else is wrong: an invalid request changes nothing either.
  if (!diff.length && req.kind !== 'termination' && !issues.some((i) => i.severity === 'error')) issues.push(issue('CHANGE_NO_DIFFERENCE', {}, { field: 'kind' }));
  const allowed = out.every((r) => r.pass) && !issues.some((i) => i.severity === 'error');
  return { kind: req.kind, proposed, diff, rules: out, issues, allowed, needs_approval: out.some((r) => r.needs_approval), recovery };
}

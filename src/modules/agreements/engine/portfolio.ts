/**
 * Portfolio views over plain project records: committed vs achieved key indicators, and outputs
 * per 万元 of public money, grouped by partner country, programme, district, field or cooperation
 * mode. Pure group-by functions; the store gives the records.
 *
 * Conventions:
 *   - A project with several partner countries counts fully in each country's group ("every
 *     project with a German partner"), so country groups do not add up to the portfolio; a project
 *     without a value for the dimension goes to the group null (未填写 / Not given).
 *   - Committed vs achieved are sums per indicator kind within a group (in the kind's unit), and
 *     the group's rate is Σ achieved / Σ committed — the office's "how much of what we were
 *     promised was delivered"; `met` counts the projects that reached their own target.
 *   - Outputs are items of the counting kinds (patents, PCT, papers, standards, products,
 *     technologies transferred: outputCount); people trained and revenue are not outputs here.
 *     Per 万元 of public money (PUBLIC_FUNDING_SOURCES); null for a group without public money.
 */
import { COOPERATION_MODES, KEY_INDICATORS, keyIndicator } from '../../lifecycle/vocabulary.ts';
import { labelOf } from '../../registries/enums.ts';
import { refuse } from './issues.ts';
import type { OutputRecord } from './outputs.ts';

/** A project as the portfolio views need it. */
export interface PortfolioProject {
  code: string;
  programme: string | null;
  district: string | null;
  field: string | null;
  /** A COOPERATION_MODES value (or the text an import gave). */
  mode: string | null;
  /** Partner countries (ISO 3166 alpha-3), foreign partners only. */
  countries: readonly string[];
  /** Committed vs achieved per key indicator, in the kind's unit (acceptance.ts). */
  indicators: ReadonlyArray<{ kind: string; target: number; achieved: number }>;
  /** Output items (outputCount of its registry records). */
  outputs: number;
  public_funding_wan: number;
}

export const PORTFOLIO_DIMENSIONS = ['country', 'programme', 'district', 'field', 'mode'] as const;
export type PortfolioDimension = (typeof PORTFOLIO_DIMENSIONS)[number];

/** A group's label: the mode's name for modes, the value itself otherwise (countries are named by the caller's registry). */
export interface GroupLabel {
  group: string | null;
  label: string;
  label_en: string;
}

export interface CommittedGroup extends GroupLabel {
  projects: number;
  indicators: Array<{ kind: string; indicator: string; indicator_en: string; unit: string; committed: number; achieved: number; rate: number | null; projects: number; met: number }>;
}

export interface OutputsGroup extends GroupLabel {
  projects: number;
  outputs: number;
  public_funding_wan: number;
  /** Outputs per 万元 of public money. */
  per_wan: number | null;
}

const COUNTED_KINDS = new Set(KEY_INDICATORS.filter((k) => k.output_kind && k.measure === 'count' && k.value !== 'talent_trained').map((k) => k.output_kind!));

/** Output items of a project's registry records: Σ quantity (1 when empty) over the counting kinds. */
export function outputCount(outputs: readonly OutputRecord[]): number {
  return outputs.filter((o) => COUNTED_KINDS.has(o.kind)).reduce((s, o) => s + (typeof o.quantity === 'number' && Number.isFinite(o.quantity) && o.quantity >= 0 ? o.quantity : 1), 0);
}

function groupsOf(p: PortfolioProject, by: PortfolioDimension): (string | null)[] {
  switch (by) {
    case 'country':
      return p.countries.length ? [...new Set(p.countries)] : [null];
    case 'programme':
      return [p.programme];
    case 'district':
      return [p.district];
    case 'field':
      return [p.field];
    case 'mode':
      return [p.mode];
  }
}

function label(by: PortfolioDimension, group: string | null): GroupLabel {
  if (group === null) return { group, label: '未填写', label_en: 'Not given' };
  if (by === 'mode') return { group, label: labelOf(COOPERATION_MODES, group, 'zh'), label_en: labelOf(COOPERATION_MODES, group, 'en') };
  return { group, label: group, label_en: group };
}

function check(by: string): asserts by is PortfolioDimension {
  if (!(PORTFOLIO_DIMENSIONS as readonly string[]).includes(by)) refuse('PORTFOLIO_DIMENSION_UNKNOWN', { dimension: by }, { field: 'by', value: by });
}

function bucket(projects: readonly PortfolioProject[], by: PortfolioDimension): Map<string | null, PortfolioProject[]> {
  const m = new Map<string | null, PortfolioProject[]>();
  for (const p of projects) for (const g of groupsOf(p, by)) m.set(g, [...(m.get(g) ?? []), p]);
  return m;
}

const byName = (a: GroupLabel, b: GroupLabel) => (a.group === null ? 1 : b.group === null ? -1 : a.label.localeCompare(b.label, 'zh-CN'));

/** Committed vs achieved key indicators per group; groups with more projects first, then by name. */
export function committedVsAchieved(projects: readonly PortfolioProject[], by: PortfolioDimension): CommittedGroup[] {
  check(by);
  const out: CommittedGroup[] = [];
  for (const [group, ps] of bucket(projects, by)) {
    const sums = new Map<string, { committed: number; achieved: number; projects: number; met: number }>();
    for (const p of ps)
      for (const i of p.indicators) {
        const s = sums.get(i.kind) ?? { committed: 0, achieved: 0, projects: 0, met: 0 };
        s.committed += i.target;
        s.achieved += i.achieved;
        s.projects++;
        if (i.achieved >= i.target - 1e-9) s.met++;
        sums.set(i.kind, s);
      }
    const indicators = KEY_INDICATORS.filter((k) => sums.has(k.value)).map((k) => {
      const s = sums.get(k.value)!;
      return { kind: k.value, indicator: k.zh, indicator_en: k.en, unit: k.unit, committed: s.committed, achieved: s.achieved, rate: s.committed > 0 ? s.achieved / s.committed : null, projects: s.projects, met: s.met };
    });
    // Kinds outside the vocabulary (from an older import) are kept, named by their value.
    for (const [kind, s] of sums)
      if (!keyIndicator(kind)) indicators.push({ kind, indicator: kind, indicator_en: kind, unit: '', committed: s.committed, achieved: s.achieved, rate: s.committed > 0 ? s.achieved / s.committed : null, projects: s.projects, met: s.met });
    out.push({ ...label(by, group), projects: ps.length, indicators });
  }
  return out.sort((a, b) => b.projects - a.projects || byName(a, b));
}

/** Outputs per 万元 of public money per group; highest first, groups without public money last. */
export function outputsPerWan(projects: readonly PortfolioProject[], by: PortfolioDimension = 'mode'): OutputsGroup[] {
  check(by);
  const out: OutputsGroup[] = [];
  for (const [group, ps] of bucket(projects, by)) {
    const outputs = ps.reduce((s, p) => s + p.outputs, 0);
    const funding = ps.reduce((s, p) => s + p.public_funding_wan, 0);
    out.push({ ...label(by, group), projects: ps.length, outputs, public_funding_wan: funding, per_wan: funding > 0 ? outputs / funding : null });
  }
  return out.sort((a, b) => (a.per_wan === null ? 1 : b.per_wan === null ? -1 : b.per_wan - a.per_wan) || byName(a, b));
}

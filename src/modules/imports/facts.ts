/**
 * Stated figures (统计数据): numbers that papers and summary tables state — per region, country
 * or programme level — kept as stated and checked against the registries: a total that
 * disagrees with the imported funding, a count that disagrees with the listed projects, a list
 * shorter than its own count. Disagreements are warnings; the figure is still kept.
 */
import type { Sql } from '../../store/db.ts';
import type { Row } from '../registry/registry.repo.ts';
import { regionsNamed, type RegionRow } from '../regions/regions.repo.ts';
import { resolveCountries } from '../countries/countries.resolve.ts';
import { isBlank, type Cell } from './convert.ts';
import type { MappedRow } from './imports.service.ts';
import { splitList } from './imports.service.ts';
import type { ImportIssue } from './imports.types.ts';
import { parseNumber } from './read/values.ts';

export interface FactDraft {
  row: number;
  column: string;
  rec: Row;
  /** For text facts that list names (合作单位（文中列出）): how many items the list holds. */
  listed?: number;
}

const PERIOD = /((?:19|20)\d{2})\s*(?:年)?\s*[-–—~至到]\s*((?:19|20)\d{2})/;
const UNIT_IN_PARENS = /[（(][^）)]*[）)]/g;

function cleanIndicator(label: string): string {
  return label.replace(UNIT_IN_PARENS, '').replace(/\s+/g, '').trim() || label;
}

function numberOf(v: Cell): { value: number | null; approx: boolean } {
  if (typeof v === 'number') return { value: v, approx: false };
  if (isBlank(v)) return { value: null, approx: false };
  const p = parseNumber(String(v));
  return { value: p.value ?? null, approx: Boolean(p.approx) };
}

async function subjectOf(tx: Sql, name: string, context: RegionRow): Promise<{ region_id: number | null; country_iso3: string | null }> {
  const regions = await regionsNamed(tx, name);
  const inside = regions.filter((r) => r.path.startsWith(context.path));
  const region = inside[0] ?? regions.find((r) => r.level === 'province' || r.level === 'city');
  if (region) return { region_id: region.id, country_iso3: null };
  if (/^(全国|我国)$/.test(name)) return { region_id: null, country_iso3: 'CHN' };
  const [c] = await resolveCountries(tx, [name]);
  return { region_id: null, country_iso3: c?.match === 'exact' || c?.match === 'alias' ? c.iso3 : null };
}

/** The figures one row states: one per value column (wide tables) or one (long tables). */
export async function factsFromRow(tx: Sql, m: MappedRow, context: RegionRow, log: { add(i: ImportIssue): void }): Promise<FactDraft[]> {
  const get = (k: string) => m.values.get(k);
  const subjectCell = get('subject');
  const subject = subjectCell && !isBlank(subjectCell.value) ? String(subjectCell.value).trim() : context.short_name;
  const where = await subjectOf(tx, subject, context);
  const note = get('note') && !isBlank(get('note')!.value) ? String(get('note')!.value) : null;
  const source = get('source') && !isBlank(get('source')!.value) ? String(get('source')!.value) : null;
  const period = PERIOD.exec(`${note ?? ''} ${source ?? ''} ${get('indicator')?.value ?? ''}`);
  const yearCell = get('year');
  const year = yearCell && !isBlank(yearCell.value) ? numberOf(yearCell.value).value : null;
  if (yearCell && !isBlank(yearCell.value) && (year === null || !Number.isInteger(year) || year < 1900 || year > 2200)) {
    log.add({ row: m.row, column: yearCell.column, code: 'YEAR_INVALID', severity: 'error', message: `年份无效：“${String(yearCell.value)}”`, message_en: `Invalid year: "${String(yearCell.value)}"` });
    return [];
  }
  const base: Row = {
    subject,
    ...where,
    year,
    period_from: period ? Number(period[1]) : null,
    period_to: period ? Number(period[2]) : null,
    note,
    source,
  };
  const drafts: FactDraft[] = [];
  const push = (indicator: string, column: string, v: Cell, unit: string | null, y: number | null = year) => {
    if (isBlank(v)) return;
    const n = numberOf(v);
    const rec: Row = { ...base, indicator, year: y, unit, value: n.value, value_text: n.value === null ? String(v).trim().slice(0, 500) : null };
    if (n.approx || /约数|约|近/.test(column)) rec.note = [note, '约数 / approximate'].filter(Boolean).join('；');
    drafts.push({ row: m.row, column, rec, listed: n.value === null ? splitList(String(v)).length : undefined });
  };
  const indicatorCell = get('indicator');
  const unitCell = get('unit');
  const unit = unitCell && !isBlank(unitCell.value) ? String(unitCell.value).trim() : null;
  if (indicatorCell && !isBlank(indicatorCell.value)) {
    const indicator = String(indicatorCell.value).trim();
    const valueCell = get('value');
    if (valueCell) push(indicator, valueCell.column, valueCell.value, unit ?? valueCell.unit ?? null);
    for (const y of m.years) push(indicator, y.column, y.value, unit, y.year);
  } else {
    for (const u of m.unmapped) push(cleanIndicator(u.label), u.label, u.value, u.unit ?? null);
    const valueCell = get('value');
    if (valueCell) push(cleanIndicator(valueCell.column), valueCell.column, valueCell.value, unit ?? valueCell.unit ?? null);
  }
  if (!drafts.length) {
    log.add({ row: m.row, column: '', code: 'ROW_NO_VALUES', severity: 'warning', message: '该行没有可导入的数值', message_en: 'The row holds no value to import' });
  }
  return drafts;
}

// Only a figure for all funding compares with all funding (not 前十位合作国项目经费合计, a subset).
const TOTAL_FUNDING = /^(项目)?(总经费|经费(合计|总额|总计))$|^total funding$/i;
const PROJECT_COUNT = /^(项目数|项目数量|合作项目数|number of projects)$/i;
const COUNTRY_COUNT = /合作国家(和地区)?数/;

/**
 * Checks stated figures against the registries and against themselves. The period of a
 * figure is its own, else the one most figures of the file state, else `period`.
 */
export async function factChecks(tx: Sql, drafts: FactDraft[], context: RegionRow, period?: { from: number; to: number }): Promise<ImportIssue[]> {
  const issues: ImportIssue[] = [];
  const periods = new Map<string, number>();
  for (const d of drafts) if (d.rec.period_from) periods.set(`${d.rec.period_from}-${d.rec.period_to}`, (periods.get(`${d.rec.period_from}-${d.rec.period_to}`) ?? 0) + 1);
  const common = [...periods.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const filePeriod = common ? { from: Number(common.split('-')[0]), to: Number(common.split('-')[1]) } : period;
  for (const d of drafts) {
    if (!d.rec.period_from && !d.rec.year && filePeriod) {
      d.rec.period_from = filePeriod.from;
      d.rec.period_to = filePeriod.to;
    }
  }
  const warn = (d: FactDraft, code: string, message: string, message_en: string, extra: Record<string, unknown> = {}) =>
    issues.push({ row: d.row, column: d.column, code, severity: 'warning', message, message_en, ...extra });

  // A list shorter (or longer) than the count stated beside it.
  const byRow = new Map<number, FactDraft[]>();
  for (const d of drafts) byRow.set(d.row, [...(byRow.get(d.row) ?? []), d]);
  for (const row of byRow.values()) {
    for (const count of row.filter((d) => typeof d.rec.value === 'number' && /数$/.test(String(d.rec.indicator)))) {
      const stem = String(count.rec.indicator).replace(/数$/, '');
      const list = row.find((d) => d.listed !== undefined && String(d.rec.indicator).startsWith(stem));
      if (!list) continue;
      const stated = Number(count.rec.value);
      if (list.listed! < stated) {
        warn(list, 'LIST_INCOMPLETE', `${count.rec.subject}：${count.rec.indicator}为 ${stated}，“${list.column}”只列出 ${list.listed} 个，名单不完整`,
          `${count.rec.subject}: ${count.rec.indicator} is ${stated} but "${list.column}" lists only ${list.listed}; the list is incomplete`, { stated, listed: list.listed });
      } else if (list.listed! > stated) {
        warn(list, 'LIST_EXCEEDS_COUNT', `${count.rec.subject}：“${list.column}”列出 ${list.listed} 个，多于${count.rec.indicator} ${stated}`,
          `${count.rec.subject}: "${list.column}" lists ${list.listed}, more than the stated ${count.rec.indicator} ${stated}`, { stated, listed: list.listed });
      }
    }
  }

  for (const d of drafts) {
    const v = d.rec.value;
    if (typeof v !== 'number') continue;
    const ind = String(d.rec.indicator);
    const from = (d.rec.period_from as number | null) ?? (d.rec.year as number | null);
    const to = (d.rec.period_to as number | null) ?? (d.rec.year as number | null);
    const regionId = (d.rec.region_id as number | null) ?? (d.rec.country_iso3 ? context.id : null);
    if (TOTAL_FUNDING.test(ind) && from && to && d.rec.region_id) {
      const [r] = await tx.query<{ total: number | null; n: number }>(
        `SELECT sum(f.amount_wan) AS total, count(*)::int AS n FROM funding f JOIN admin_regions r ON r.id = f.region_id
          WHERE f.currency = 'CNY' AND f.year BETWEEN $1 AND $2 AND r.path LIKE (SELECT path FROM admin_regions WHERE id = $3) || '%'`,
        [from, to, d.rec.region_id],
      );
      const computed = Number(r.total ?? 0);
      if (r.n > 0 && Math.abs(computed - v) > 0.5) {
        warn(d, 'TOTAL_MISMATCH', `${d.rec.subject} ${from}–${to} 年${ind}填写为 ${v}，已导入的经费记录合计为 ${round(computed)}（相差 ${round(v - computed)}）`,
          `${d.rec.subject} ${from}–${to}: stated ${ind} ${v}, but the imported funding records sum to ${round(computed)} (difference ${round(v - computed)})`, { stated: v, computed: round(computed) });
      }
    }
    if (PROJECT_COUNT.test(ind) && d.rec.country_iso3 && regionId) {
      const [r] = await tx.query<{ n: number }>(
        `SELECT count(DISTINCT p.id)::int AS n FROM projects p JOIN project_partners pp ON pp.project_id = p.id
           JOIN admin_regions r ON r.id = p.region_id
          WHERE pp.country_iso3 = $1 AND r.path LIKE (SELECT path FROM admin_regions WHERE id = $2) || '%'`,
        [d.rec.country_iso3, regionId],
      );
      if (r.n > 0 && r.n !== v) {
        warn(d, 'COUNT_MISMATCH', `${d.rec.subject}：${ind}填写为 ${v}，项目库中列出的与其合作的项目为 ${r.n} 个`,
          `${d.rec.subject}: stated ${ind} ${v}, but the project registry lists ${r.n} projects with this country`, { stated: v, computed: r.n });
      }
    }
    if (COUNTRY_COUNT.test(ind) && d.rec.region_id) {
      const [r] = await tx.query<{ n: number }>(
        `SELECT count(DISTINCT pp.country_iso3)::int AS n FROM projects p JOIN project_partners pp ON pp.project_id = p.id
           JOIN admin_regions r ON r.id = p.region_id
          WHERE pp.country_iso3 IS NOT NULL AND r.path LIKE (SELECT path FROM admin_regions WHERE id = $1) || '%'`,
        [d.rec.region_id],
      );
      if (r.n > 0 && r.n !== v) {
        warn(d, 'COUNT_MISMATCH', `${d.rec.subject}：${ind}填写为 ${v}，项目库中的合作国家和地区为 ${r.n} 个`,
          `${d.rec.subject}: stated ${ind} ${v}, but the project registry holds projects with ${r.n} partner countries and regions`, { stated: v, computed: r.n });
      }
    }
  }
  return issues;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

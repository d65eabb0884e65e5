/**
 * Denomination: dividing extensive indicators by a size measure (population, GDP, area …) so units
 * of different size compare (OECD/JRC Handbook, step 3; COINr's Denominate()).
 */
import { EngineError, warning } from './errors.ts';
import type { Cell, DataTable, EngineWarning, Framework, StepResult } from './types.ts';

export interface DenominateDiagnostics {
  /** Indicator → denominator column it was divided by. */
  applied: Record<string, string>;
  /** Cells that became missing because the denominator was missing or zero. */
  lost: { unit: string; indicator: string; reason: 'denominator_missing' | 'denominator_zero' }[];
}

/**
 * Divides each indicator by its denominator column (framework `denominator`, or `by` to override:
 * code → denominator code, null to skip). A missing or zero denominator gives a missing value and a
 * warning — never ±Infinity.
 */
export function denominate(data: DataTable, fw: Framework, by?: Record<string, string | null>): StepResult<DenominateDiagnostics> {
  const plan: Record<string, string> = {};
  for (const code of data.codes) {
    const d = by && code in by ? by[code] : fw.node[code]?.denominator ?? null;
    if (d !== null && d !== undefined) plan[code] = d;
  }
  const missingCols = [...new Set(Object.values(plan))].filter((d) => !data.denominators || !(d in data.denominators));
  if (missingCols.length) {
    throw new EngineError(
      'DENOMINATOR_NOT_IN_DATA',
      `数据表缺少分母列：${missingCols.join('、')}`,
      `The data table lacks denominator columns: ${missingCols.join(', ')}`,
      missingCols.map((c) => ({ column: c, code: 'DENOMINATOR_NOT_IN_DATA' })),
    );
  }
  const lost: DenominateDiagnostics['lost'] = [];
  const values: Cell[][] = data.values.map((row, u) =>
    row.map((v, j) => {
      const code = data.codes[j];
      const d = plan[code];
      if (d === undefined || v === null) return v;
      const den = data.denominators![d][u];
      if (den === null) {
        lost.push({ unit: data.units[u], indicator: code, reason: 'denominator_missing' });
        return null;
      }
      if (den === 0) {
        lost.push({ unit: data.units[u], indicator: code, reason: 'denominator_zero' });
        return null;
      }
      return v / den;
    }),
  );
  const warnings: EngineWarning[] = [];
  if (lost.length) {
    warnings.push(
      warning(
        'DENOMINATOR_MISSING',
        `${lost.length} 个取值因分母缺失或为零而变为缺失`,
        `${lost.length} values became missing because their denominator is missing or zero`,
        { cells: lost },
      ),
    );
  }
  return { data: { ...data, codes: [...data.codes], values }, diagnostics: { applied: plan, lost }, warnings };
}

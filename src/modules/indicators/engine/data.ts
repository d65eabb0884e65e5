/**
 * The data table: building it from COINr-style iData rows (uCode, uName, group, denominator and
 * indicator columns, optional Time), checking it against a framework, and the small immutable
 * helpers every pipeline step uses.
 */
import type { ErrorDetail } from '../../../errors.ts';
import { EngineError } from './errors.ts';
import type { Cell, DataTable, Framework } from './types.ts';

export interface DataRowsOptions {
  unitCode?: string;
  unitName?: string;
  time?: string;
}

/** Parses one cell: numbers and numeric text pass, ''/NA/null are missing, anything else is 'invalid'. */
export function parseCell(v: unknown): Cell | 'invalid' {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : Number.isNaN(v) ? null : 'invalid';
  const s = String(v).trim();
  if (s === '' || s === 'NA' || s === 'NaN' || s === '-' || s === '—') return null;
  // Thousands separators ("1,234,567") are common in spreadsheets; anything else with a comma is not a number.
  const n = Number(/^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s) ? s.replace(/,/g, '') : s);
  return Number.isFinite(n) ? n : 'invalid';
}

/**
 * Builds a DataTable from row objects keyed by column name (e.g. a parsed CSV or Excel sheet in
 * COINr's iData layout). Every framework indicator must be a column; extra columns are ignored.
 */
export function buildDataTable(fw: Framework, rows: readonly Record<string, unknown>[], opts: DataRowsOptions = {}): DataTable {
  const uKey = opts.unitCode ?? 'uCode';
  const nKey = opts.unitName ?? 'uName';
  const tKey = opts.time ?? 'Time';
  const problems: ErrorDetail[] = [];
  if (rows.length === 0) throw new EngineError('DATA_EMPTY', '数据表没有任何行', 'The data table has no rows');
  const columns = new Set(Object.keys(rows[0]));
  for (const r of rows.slice(1)) for (const k of Object.keys(r)) columns.add(k);
  if (!columns.has(uKey)) throw new EngineError('MISSING_UNIT_CODE', `数据表缺少单位代码列 ${uKey}`, `The data table has no unit code column ${uKey}`, [{ column: uKey }]);
  const missing = fw.indicators.filter((c) => !columns.has(c));
  if (missing.length) {
    throw new EngineError(
      'INDICATOR_NOT_IN_DATA',
      `数据表缺少指标列：${missing.join('、')}`,
      `The data table lacks indicator columns: ${missing.join(', ')}`,
      missing.map((c) => ({ column: c, code: 'INDICATOR_NOT_IN_DATA' })),
    );
  }
  const panel = columns.has(tKey) && rows.some((r) => parseCell(r[tKey]) !== null);
  const units: string[] = [];
  const unitNames: (string | null)[] = [];
  const times: (number | null)[] = [];
  const values: Cell[][] = [];
  const seen = new Map<string, number>();
  rows.forEach((r, i) => {
    const code = r[uKey] === null || r[uKey] === undefined ? '' : String(r[uKey]).trim();
    if (code === '') problems.push({ row: i + 1, column: uKey, code: 'MISSING_UNIT_CODE', message: '单位代码为空', message_en: 'Empty unit code' });
    const t = panel ? parseCell(r[tKey]) : null;
    if (t === 'invalid') problems.push({ row: i + 1, column: tKey, code: 'DATA_NOT_NUMERIC', value: r[tKey] });
    const key = `${code}\u0000${t}`;
    if (seen.has(key)) problems.push({ row: i + 1, column: uKey, code: 'DUPLICATE_UNIT', value: code, first_row: seen.get(key) });
    seen.set(key, i + 1);
    units.push(code);
    unitNames.push(r[nKey] === undefined || r[nKey] === null ? null : String(r[nKey]));
    times.push(t === 'invalid' ? null : t);
    values.push(
      fw.indicators.map((c) => {
        const v = parseCell(r[c]);
        if (v === 'invalid') {
          problems.push({ row: i + 1, column: c, code: 'DATA_NOT_NUMERIC', value: r[c] });
          return null;
        }
        return v;
      }),
    );
  });
  const groups: Record<string, (string | null)[]> = {};
  for (const g of fw.groups) {
    if (!columns.has(g)) continue;
    groups[g] = rows.map((r) => (r[g] === null || r[g] === undefined || String(r[g]).trim() === '' || r[g] === 'NA' ? null : String(r[g]).trim()));
  }
  const denominators: Record<string, Cell[]> = {};
  const denomCodes = new Set([...fw.denominators, ...fw.indicators.map((c) => fw.node[c].denominator).filter((d): d is string => d !== null)]);
  for (const d of denomCodes) {
    if (!columns.has(d)) continue;
    denominators[d] = rows.map((r, i) => {
      const v = parseCell(r[d]);
      if (v === 'invalid') {
        problems.push({ row: i + 1, column: d, code: 'DATA_NOT_NUMERIC', value: r[d] });
        return null;
      }
      return v;
    });
  }
  if (problems.length) {
    const code = String(problems[0].code);
    const msg: Record<string, [string, string]> = {
      DATA_NOT_NUMERIC: ['数据表中有非数字的取值', 'The data table has non-numeric values'],
      DUPLICATE_UNIT: ['数据表中单位代码重复', 'Duplicate unit codes in the data table'],
      MISSING_UNIT_CODE: ['数据表中有空的单位代码', 'Empty unit codes in the data table'],
    };
    const [zh, en] = msg[code] ?? ['数据表无效', 'The data table is not valid'];
    throw new EngineError(code, zh, en, problems);
  }
  return {
    units,
    unitNames,
    ...(panel ? { times } : {}),
    codes: [...fw.indicators],
    values,
    ...(Object.keys(groups).length ? { groups } : {}),
    ...(Object.keys(denominators).length ? { denominators } : {}),
  };
}

/** Checks a table handed over directly: shape, finite numbers, and the framework's indicator columns. */
export function checkDataTable(fw: Framework, data: DataTable): void {
  const n = data.units.length;
  if (n === 0) throw new EngineError('DATA_EMPTY', '数据表没有任何单位', 'The data table has no units');
  const bad: ErrorDetail[] = [];
  data.values.forEach((row, u) => {
    if (row.length !== data.codes.length) bad.push({ row: u + 1, code: 'DATA_SHAPE', message_en: `row has ${row.length} values for ${data.codes.length} columns` });
    row.forEach((v, j) => {
      if (v !== null && (typeof v !== 'number' || !Number.isFinite(v))) bad.push({ row: u + 1, column: data.codes[j], code: 'DATA_NOT_NUMERIC', value: String(v) });
    });
  });
  if (data.values.length !== n) bad.push({ code: 'DATA_SHAPE', message_en: `${data.values.length} rows for ${n} units` });
  if (bad.length) throw new EngineError(String(bad[0].code), '数据表的形状或取值无效', 'The data table has an invalid shape or values', bad);
  const missing = fw.indicators.filter((c) => !data.codes.includes(c));
  if (missing.length) {
    throw new EngineError(
      'INDICATOR_NOT_IN_DATA',
      `数据表缺少指标列：${missing.join('、')}`,
      `The data table lacks indicator columns: ${missing.join(', ')}`,
      missing.map((c) => ({ column: c, code: 'INDICATOR_NOT_IN_DATA' })),
    );
  }
}

/** The values of one column (a fresh array). */
export function column(data: DataTable, code: string): Cell[] {
  const j = data.codes.indexOf(code);
  if (j < 0) throw new EngineError('UNKNOWN_COLUMN', `数据表中没有列 ${code}`, `The data table has no column ${code}`, [{ column: code }]);
  return data.values.map((r) => r[j]);
}

/** All columns of `codes`, as arrays (column-major copy). */
export function columns(data: DataTable, codes: readonly string[] = data.codes): Cell[][] {
  const idx = codes.map((c) => {
    const j = data.codes.indexOf(c);
    if (j < 0) throw new EngineError('UNKNOWN_COLUMN', `数据表中没有列 ${c}`, `The data table has no column ${c}`, [{ column: c }]);
    return j;
  });
  return idx.map((j) => data.values.map((r) => r[j]));
}

/** A new table with the same units and extra data, and the given columns. */
export function withColumns(data: DataTable, codes: readonly string[], cols: readonly Cell[][]): DataTable {
  const values: Cell[][] = data.units.map((_, u) => cols.map((c) => c[u]));
  return { ...shallowMeta(data), codes: [...codes], values };
}

/** A new table keeping only the units at positions `keep` (in that order). */
export function selectUnits(data: DataTable, keep: readonly number[]): DataTable {
  const pick = <T>(a: readonly T[] | undefined): T[] | undefined => (a ? keep.map((i) => a[i]) : undefined);
  const groups = data.groups ? Object.fromEntries(Object.entries(data.groups).map(([k, v]) => [k, keep.map((i) => v[i])])) : undefined;
  const denominators = data.denominators ? Object.fromEntries(Object.entries(data.denominators).map(([k, v]) => [k, keep.map((i) => v[i])])) : undefined;
  return {
    units: keep.map((i) => data.units[i]),
    ...(data.unitNames ? { unitNames: pick(data.unitNames) } : {}),
    ...(data.times ? { times: pick(data.times) } : {}),
    codes: [...data.codes],
    values: keep.map((i) => [...data.values[i]]),
    ...(groups ? { groups } : {}),
    ...(denominators ? { denominators } : {}),
  };
}

/** Deep copy of a table (used where a step returns its input unchanged). */
export function cloneTable(data: DataTable): DataTable {
  return selectUnits(data, data.units.map((_, i) => i));
}

function shallowMeta(data: DataTable): Omit<DataTable, 'codes' | 'values'> {
  return {
    units: [...data.units],
    ...(data.unitNames ? { unitNames: [...data.unitNames] } : {}),
    ...(data.times ? { times: [...data.times] } : {}),
    ...(data.groups ? { groups: Object.fromEntries(Object.entries(data.groups).map(([k, v]) => [k, [...v]])) } : {}),
    ...(data.denominators ? { denominators: Object.fromEntries(Object.entries(data.denominators).map(([k, v]) => [k, [...v]])) } : {}),
  };
}

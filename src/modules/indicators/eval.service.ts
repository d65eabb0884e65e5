/**
 * `innolink eval run`: reads a framework (COINr-style iMeta table as CSV/XLSX, or JSON) and a data
 * table (COINr-style iData: uCode, uName, group / denominator columns, optional Time, one column
 * per indicator code), runs the composite-indicator engine and shapes its result as the CLI's
 * JSON contract:
 *
 *   {"units": [{"unit", "score", "rank", "rank_interval", "dimensions"}], "weights": {…}, "diagnostics": {…}}
 *
 * Files are read with the importer's reading layer (encodings, XLSX, header detection) and
 * numbers parsed with its `parseNumber` (full-width digits, thousands separators, 万/亿 …).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseNumber, readTable, type CellValue, type DecimalSeparator } from '../imports/read/index.ts';
import { buildDataTable, buildFramework, EngineError, runComposite, type CompositeResult, type DataTable, type Framework, type IMetaRow, type Methods, type RunOptions } from './engine/index.ts';

/** iMeta columns, matched case-insensitively to COINr's spelling. */
const META_COLUMNS = ['iCode', 'iName', 'Level', 'Parent', 'Direction', 'Weight', 'Type', 'Denominator', 'Target', 'Unit', 'Source'] as const;
const META_NUMERIC = new Set(['Level', 'Direction', 'Weight', 'Target']);
/** iData columns that are not codes of the framework. */
const DATA_ID_COLUMNS = ['uCode', 'uName', 'Time'];

export interface TableFile {
  /** Row objects keyed by the header as written (trimmed). */
  rows: Record<string, CellValue>[];
  columns: string[];
  decimal: DecimalSeparator;
  /** Rows left out because the reader classed them as totals or notes. */
  skipped: { row: number; kind: string }[];
  format: 'csv' | 'xlsx';
}

/** Reads a CSV or XLSX table into row objects keyed by header. */
export async function readRows(file: string, sheet?: string | number): Promise<TableFile> {
  const r = await readTable({ path: file, fileName: path.basename(file), ...(sheet !== undefined ? { sheet } : {}), checkTotals: false });
  try {
    const columns = r.shape.columns.map((c) => c.original.trim());
    const rows: Record<string, CellValue>[] = [];
    const skipped: { row: number; kind: string }[] = [];
    for await (const row of r.rows) {
      if (row.kind !== 'data') {
        skipped.push({ row: row.row, kind: row.kind });
        continue;
      }
      const o: Record<string, CellValue> = {};
      columns.forEach((c, i) => {
        if (c !== '') o[c] = row.cells[i] ?? null;
      });
      rows.push(o);
    }
    const fatal = r.issues.find((i) => i.severity === 'error' && i.row === null);
    if (fatal) throw new EngineError(fatal.code, fatal.message, fatal.message_en, [{ file: path.basename(file), code: fatal.code }]);
    return { rows, columns, decimal: r.decimal, skipped, format: r.format };
  } finally {
    await r.close?.();
  }
}

/** A cell as a number when it reads as one; otherwise as written (the engine reports it). */
function numeric(v: CellValue, decimal: DecimalSeparator): CellValue {
  if (v === null || typeof v === 'number') return v;
  const p = parseNumber(v, { decimal });
  if (p.value !== null && !(p.issue && p.issue.severity === 'error')) return p.value;
  return v;
}

export interface LoadedFramework {
  framework: Framework;
  /** Every code the iMeta names (indicators, aggregates, groups, denominators, others). */
  codes: Set<string>;
  format: string;
}

function metaRowsFrom(objs: readonly Record<string, unknown>[], decimal: DecimalSeparator): IMetaRow[] {
  return objs.map((o) => {
    const out: Record<string, unknown> = {};
    const keys = Object.keys(o);
    for (const col of META_COLUMNS) {
      const k = keys.find((x) => x.trim().toLowerCase() === col.toLowerCase());
      if (k === undefined) continue;
      const v = o[k] as CellValue;
      out[col] = META_NUMERIC.has(col) && (typeof v === 'string' || typeof v === 'number') ? numeric(v, decimal) : v === '' ? null : v;
    }
    return out as unknown as IMetaRow;
  });
}

/** Reads a framework: a COINr iMeta table (CSV/XLSX) or JSON (an array of iMeta rows, or {iMeta|framework|nodes: […]}). */
export async function loadFramework(file: string, sheet?: string | number): Promise<LoadedFramework> {
  const ext = path.extname(file).toLowerCase();
  let rows: IMetaRow[];
  let format: string;
  if (ext === '.json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new EngineError('FRAMEWORK_INVALID_JSON', `指标框架文件不是有效的 JSON：${(e as Error).message}`, `The framework file is not valid JSON: ${(e as Error).message}`, [{ file: path.basename(file) }]);
    }
    const list = Array.isArray(parsed) ? parsed : ((parsed as Record<string, unknown>)?.iMeta ?? (parsed as Record<string, unknown>)?.framework ?? (parsed as Record<string, unknown>)?.nodes);
    if (!Array.isArray(list) || !list.every((x) => x && typeof x === 'object')) {
      throw new EngineError('FRAMEWORK_INVALID_JSON', 'JSON 指标框架应为 iMeta 行的数组', 'A JSON framework must be an array of iMeta rows', [{ file: path.basename(file) }]);
    }
    rows = metaRowsFrom(list as Record<string, unknown>[], '.');
    format = 'json';
  } else {
    const t = await readRows(file, sheet);
    if (!t.columns.some((c) => c.toLowerCase() === 'icode')) {
      throw new EngineError('FRAMEWORK_NO_ICODE', '指标框架表缺少 iCode 列（COINr iMeta 格式）', 'The framework table has no iCode column (COINr iMeta layout)', [{ file: path.basename(file), columns: t.columns }]);
    }
    rows = metaRowsFrom(t.rows, t.decimal);
    format = t.format;
  }
  const framework = buildFramework(rows, { version: path.basename(file) });
  const codes = new Set(rows.map((r) => (r.iCode === null || r.iCode === undefined ? '' : String(r.iCode).trim())).filter((c) => c !== ''));
  return { framework, codes, format };
}

export interface LoadedData {
  data: DataTable;
  rows: number;
  skipped: { row: number; kind: string }[];
  format: string;
}

/** Reads an iData table and checks every column against the framework (unknown codes are refused). */
export async function loadData(fwl: LoadedFramework, file: string, sheet?: string | number): Promise<LoadedData> {
  const t = await readRows(file, sheet);
  const fw = fwl.framework;
  const unknown = t.columns.filter((c) => c !== '' && !DATA_ID_COLUMNS.includes(c) && !fwl.codes.has(c));
  if (unknown.length) {
    throw new EngineError(
      'UNKNOWN_INDICATOR',
      `数据表中有指标框架未定义的列：${unknown.join('、')}`,
      `The data table has columns the framework does not define: ${unknown.join(', ')}`,
      unknown.map((c) => ({ column: c, code: 'UNKNOWN_INDICATOR' })),
    );
  }
  const numericCols = new Set<string>([...fw.indicators, ...fw.denominators, ...fw.indicators.map((c) => fw.node[c].denominator).filter((d): d is string => d !== null), 'Time']);
  const rows = t.rows.map((r) => {
    const o: Record<string, CellValue> = {};
    for (const [k, v] of Object.entries(r)) o[k] = numericCols.has(k) ? numeric(v, t.decimal) : typeof v === 'string' && v.trim() === '' ? null : v;
    return o;
  });
  return { data: buildDataTable(fw, rows), rows: rows.length, skipped: t.skipped, format: t.format };
}

export interface EvalUnit {
  unit: string;
  score: number | null;
  rank: number | null;
  rank_interval: [number, number] | null;
  dimensions: Record<string, { score: number | null; rank: number | null }>;
}

export interface EvalOutput {
  units: EvalUnit[];
  weights: Record<string, number>;
  diagnostics: CompositeResult['diagnostics'] & { input: Record<string, unknown> };
}

/** A finite number or null: never NaN or Infinity in the published result. */
const fin = (x: number | null | undefined): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

/** Shapes an engine result as the CLI contract. */
export function toOutput(r: CompositeResult, input: Record<string, unknown>): EvalOutput {
  return {
    units: r.units.map((u) => ({
      unit: u.unit,
      score: fin(u.score),
      rank: fin(u.rank),
      rank_interval: u.rank_interval && u.rank_interval.every((x) => Number.isFinite(x)) ? [u.rank_interval[0], u.rank_interval[1]] : null,
      dimensions: Object.fromEntries(Object.entries(u.dimensions).map(([k, d]) => [k, { score: fin(d.score), rank: fin(d.rank) }])),
    })),
    weights: Object.fromEntries(Object.entries(r.weights).map(([k, w]) => [k, fin(w) ?? 0])),
    diagnostics: { input, ...r.diagnostics },
  };
}

export interface EvalRequest {
  framework: string;
  data: string;
  sheet?: string | number;
  dataSheet?: string | number;
  methods: Methods;
  options: RunOptions;
}

/** Reads both files, runs the engine and returns the CLI contract. */
export async function runEval(req: EvalRequest): Promise<EvalOutput> {
  const fwl = await loadFramework(req.framework, req.sheet);
  const dl = await loadData(fwl, req.data, req.dataSheet);
  const r = await runComposite(fwl.framework, dl.data, req.methods, req.options);
  return toOutput(r, {
    framework: { file: path.basename(req.framework), format: fwl.format, indicators: fwl.framework.indicators.length, aggregates: fwl.framework.aggregates.length },
    data: { file: path.basename(req.data), format: dl.format, rows: dl.rows, skipped_rows: dl.skipped },
  });
}

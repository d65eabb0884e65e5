/**
 * Reading the files evaluators write: a framework as a COINr iMeta table (CSV/XLSX), as YAML or as
 * JSON (nodes with metadata, or an array of iMeta rows), and a data table in COINr's iData layout
 * (CSV/XLSX). Files come from disk (CLI, built-ins) or as uploaded bytes (API). Tables are read
 * with the importer's reading layer (encodings, XLSX, header detection, 万/亿 and thousands
 * separators through parseNumber); every framework is validated by the engine before it is kept.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { AppError } from '../../errors.ts';
import { DEFAULT_READ_LIMITS, inMemoryLimits, makeIssue, parseNumber, readTable, type CellValue, type DecimalSeparator, type ReadLimits } from '../imports/read/index.ts';
import { readFailure } from '../imports/read/issues.ts';
import { buildFrameworkFromNodes, EngineError, type Framework, type NodeInput } from './engine/index.ts';
import { frameworkFileSchema, NODE_TYPES, type NodeDto, type NodeInputDto } from './indicators.schema.ts';
import { zodDetails } from '../registry/zod-details.ts';

/**
 * A file on disk, or uploaded bytes with the name the user gave them; `limits` bound what its
 * table may make the reader do (default: the reading layer's, for a reader holding every row).
 */
export type FileInput = ({ path: string; fileName?: string } | { buffer: Buffer; fileName: string }) & { limits?: ReadLimits };

/** A YAML or JSON framework is parsed whole: a few hundred KB in practice. */
const MAX_TEXT_BYTES = 16 * 1024 * 1024;

export const fileNameOf = (f: FileInput): string => ('path' in f ? (f.fileName ?? path.basename(f.path)) : f.fileName);

const extOf = (f: FileInput) => path.extname(fileNameOf(f)).toLowerCase();

function textOf(f: FileInput): string {
  const size = 'path' in f ? fs.statSync(f.path).size : f.buffer.length;
  if (size > MAX_TEXT_BYTES) throw readFailure(makeIssue('FILE_TOO_LARGE', { size, limit: MAX_TEXT_BYTES }));
  const b = 'path' in f ? fs.readFileSync(f.path) : f.buffer;
  return b.toString('utf8').replace(/^\ufeff/, '');
}

export interface TableRows {
  rows: Record<string, CellValue>[];
  columns: string[];
  decimal: DecimalSeparator;
  skipped: { row: number; kind: string }[];
  format: 'csv' | 'xlsx';
}

/** Reads a CSV or XLSX table into row objects keyed by its header (trimmed). */
export async function readRows(f: FileInput, sheet?: string | number): Promise<TableRows> {
  const source = 'path' in f ? { path: f.path } : { buffer: f.buffer };
  const limits = inMemoryLimits(f.limits ?? DEFAULT_READ_LIMITS);
  const r = await readTable({ ...source, fileName: fileNameOf(f), ...(sheet !== undefined ? { sheet } : {}), checkTotals: false, limits });
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
    if (fatal) throw new EngineError(fatal.code, fatal.message, fatal.message_en, [{ file: fileNameOf(f), code: fatal.code }]);
    return { rows, columns, decimal: r.decimal, skipped, format: r.format };
  } finally {
    await r.close?.();
  }
}

/** A cell as a number when it reads as one; otherwise as written (the engine reports it). */
export function numericCell(v: CellValue, decimal: DecimalSeparator): CellValue {
  if (v === null || typeof v === 'number') return v;
  if (v.trim() === '') return null;
  const p = parseNumber(v, { decimal });
  if (p.value !== null && !(p.issue && p.issue.severity === 'error')) return p.value;
  return v;
}

// ---------------------------------------------------------------------------------------------
// Frameworks

/** Framework metadata a file may carry (YAML/JSON), besides its nodes. */
export interface FrameworkMeta {
  key?: string;
  name?: string;
  name_en?: string;
  description?: string;
  label?: string;
  source?: string;
  methods?: Record<string, unknown>;
}

export interface ParsedFramework {
  /** Nodes in file order, typed and levelled by the engine, ready to store. */
  nodes: NodeDto[];
  framework: Framework;
  meta: FrameworkMeta;
  format: 'csv' | 'xlsx' | 'yaml' | 'json';
}

/** iMeta columns (COINr spelling, matched case-insensitively) → node fields. */
const IMETA: Record<string, keyof NodeInputDto> = {
  icode: 'code',
  iname: 'name',
  iname_en: 'name_en',
  level: 'level',
  parent: 'parent',
  direction: 'direction',
  weight: 'weight',
  type: 'type',
  denominator: 'denominator',
  target: 'target',
  unit: 'unit',
  source: 'source',
};
const NUMERIC_FIELDS = new Set(['level', 'direction', 'weight', 'target']);

/** Loose node objects from iMeta rows (values as written; the engine validates them). */
function nodesFromIMeta(rows: readonly Record<string, unknown>[], decimal: DecimalSeparator): Record<string, unknown>[] {
  return rows.map((r) => {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) {
      const field = IMETA[k.trim().toLowerCase()];
      if (!field) continue;
      let x = v as CellValue;
      if (typeof x === 'string') x = x.trim() === '' || x.trim() === 'NA' ? null : x.trim();
      if (NUMERIC_FIELDS.has(field) && typeof x === 'string') x = numericCell(x, decimal);
      if (field === 'type' && typeof x === 'string') x = x.toLowerCase();
      o[field] = x;
    }
    return o;
  });
}

/**
 * Validates loose nodes with the engine and returns them normalised (types and levels resolved,
 * file order kept). Structural problems (cycles, unknown parents, bad weights …) come back as one
 * coded EngineError listing every problem.
 */
export function normaliseNodes(loose: readonly Record<string, unknown>[], version: string | null): { nodes: NodeDto[]; framework: Framework } {
  const asInput = loose.map((n) => ({ ...n, name_en: undefined }) as unknown as NodeInput);
  const framework = buildFrameworkFromNodes(asInput, { version });
  const groups = new Set(framework.groups);
  const denominators = new Set(framework.denominators);
  const nodes: NodeDto[] = loose.map((n) => {
    const c = String(n.code ?? '').trim();
    const fn = framework.node[c];
    const str = (v: unknown) => (v === null || v === undefined || String(v).trim() === '' ? null : String(v).trim());
    if (fn) {
      return {
        code: c,
        name: str(n.name),
        name_en: str(n.name_en),
        type: fn.type,
        level: fn.level,
        parent: fn.parent,
        direction: fn.direction,
        weight: fn.weight,
        unit: fn.unit,
        source: fn.source,
        target: fn.target,
        denominator: fn.denominator,
      };
    }
    const type = groups.has(c) ? 'group' : denominators.has(c) ? 'denominator' : 'other';
    return { code: c, name: str(n.name), name_en: str(n.name_en), type, level: null, parent: null, direction: 1, weight: 1, unit: str(n.unit), source: str(n.source), target: null, denominator: null };
  });
  return { nodes, framework };
}

/** The engine framework of stored nodes. */
export function frameworkOf(nodes: readonly NodeDto[], version: string | null): Framework {
  return buildFrameworkFromNodes(
    nodes.map((n) => ({
      code: n.code,
      name: n.name,
      level: n.level,
      parent: n.parent,
      direction: n.direction,
      weight: n.weight,
      type: n.type,
      target: n.target,
      unit: n.unit,
      denominator: n.denominator,
      source: n.source,
    })),
    { version },
  );
}

function invalidFile(fileName: string, zh: string, en: string, details: Record<string, unknown>[] = []): EngineError {
  return new EngineError('FRAMEWORK_FILE_INVALID', `指标框架文件 ${fileName} 无效：${zh}`, `The framework file ${fileName} is not valid: ${en}`, details.map((d) => ({ file: fileName, ...d })));
}

/** Parses a structured (YAML/JSON) framework document. */
function parseStructured(doc: unknown, fileName: string): { loose: Record<string, unknown>[]; meta: FrameworkMeta } {
  if (Array.isArray(doc)) {
    // An array of COINr iMeta rows (the JSON form `innolink eval run` reads).
    if (!doc.every((x) => x && typeof x === 'object' && !Array.isArray(x))) throw invalidFile(fileName, '数组中应为 iMeta 行对象', 'the array must hold iMeta row objects');
    return { loose: nodesFromIMeta(doc as Record<string, unknown>[], '.'), meta: {} };
  }
  if (!doc || typeof doc !== 'object') throw invalidFile(fileName, '应为对象（含 nodes）或 iMeta 行数组', 'expected an object with nodes, or an array of iMeta rows');
  const o = doc as Record<string, unknown>;
  const rows = o.iMeta ?? o.framework;
  if (Array.isArray(rows) && o.nodes === undefined) return parseStructured(rows, fileName);
  const parsed = frameworkFileSchema.safeParse(o);
  if (!parsed.success) throw invalidFile(fileName, '字段不符合要求', 'some fields are not valid', zodDetails(parsed.error));
  const { nodes, ...meta } = parsed.data;
  return { loose: nodes as Record<string, unknown>[], meta };
}

/** Reads and validates a framework file (CSV/XLSX iMeta, YAML, JSON). */
export async function parseFrameworkFile(f: FileInput, sheet?: string | number): Promise<ParsedFramework> {
  const fileName = fileNameOf(f);
  const ext = extOf(f);
  let loose: Record<string, unknown>[];
  let meta: FrameworkMeta = {};
  let format: ParsedFramework['format'];
  if (ext === '.yaml' || ext === '.yml' || ext === '.json') {
    format = ext === '.json' ? 'json' : 'yaml';
    let doc: unknown;
    try {
      doc = format === 'json' ? JSON.parse(textOf(f)) : YAML.parse(textOf(f));
    } catch (e) {
      throw invalidFile(fileName, `无法解析 ${format.toUpperCase()}：${(e as Error).message}`, `cannot parse ${format.toUpperCase()}: ${(e as Error).message}`);
    }
    ({ loose, meta } = parseStructured(doc, fileName));
  } else {
    const t = await readRows(f, sheet);
    if (!t.columns.some((c) => c.toLowerCase() === 'icode')) {
      throw new EngineError('FRAMEWORK_NO_ICODE', '指标框架表缺少 iCode 列（COINr iMeta 格式）', 'The framework table has no iCode column (COINr iMeta layout)', [{ file: fileName, columns: t.columns }]);
    }
    loose = nodesFromIMeta(t.rows, t.decimal);
    format = t.format;
  }
  const bad = loose.flatMap((n, i) => (n.type !== undefined && n.type !== null && !(NODE_TYPES as readonly string[]).includes(String(n.type)) ? [{ row: i + 1, field: 'type', value: n.type }] : []));
  if (bad.length) throw new EngineError('INVALID_TYPE', '未知的节点类型（应为 Indicator、Aggregate、Group、Denominator 或 Other）', 'Unknown node type (expected Indicator, Aggregate, Group, Denominator or Other)', bad);
  const { nodes, framework } = normaliseNodes(loose, meta.label ?? fileName);
  return { nodes, framework, meta, format };
}

// ---------------------------------------------------------------------------------------------
// Data tables

/** iData columns that are not framework codes. */
export const DATA_ID_COLUMNS = ['uCode', 'uName', 'Time'] as const;

export interface ParsedData {
  /** Rows with numeric columns as numbers (or the text as written, which the engine refuses). */
  rows: Record<string, CellValue>[];
  /** Numeric columns kept (indicators, denominators), in file order. */
  columns: string[];
  groupColumns: string[];
  /** Columns of node type 'other': read but not kept. */
  ignored: string[];
  panel: boolean;
  format: 'csv' | 'xlsx' | 'json';
  skipped: { row: number; kind: string }[];
}

/**
 * Checks an iData table against a framework's nodes: unknown columns are refused (coded, one
 * detail per column), numbers parsed. Indicator columns the table lacks are refused by the
 * engine when the data set is built.
 */
export function shapeData(nodes: readonly NodeDto[], columns: readonly string[], rows: readonly Record<string, CellValue>[], decimal: DecimalSeparator, format: ParsedData['format'], skipped: ParsedData['skipped'] = []): ParsedData {
  const byCode = new Map(nodes.map((n) => [n.code, n]));
  const unknown = columns.filter((c) => c !== '' && !(DATA_ID_COLUMNS as readonly string[]).includes(c) && !byCode.has(c));
  if (unknown.length) {
    throw new EngineError(
      'UNKNOWN_INDICATOR',
      `数据表中有指标框架未定义的列：${unknown.join('、')}`,
      `The data table has columns the framework does not define: ${unknown.join(', ')}`,
      unknown.map((c) => ({ column: c, code: 'UNKNOWN_INDICATOR' })),
    );
  }
  if (!columns.includes('uCode')) throw new EngineError('MISSING_UNIT_CODE', '数据表缺少单位代码列 uCode', 'The data table has no unit code column uCode', [{ column: 'uCode' }]);
  const numeric = columns.filter((c) => ['indicator', 'denominator'].includes(byCode.get(c)?.type ?? ''));
  const groupColumns = columns.filter((c) => byCode.get(c)?.type === 'group');
  const ignored = columns.filter((c) => byCode.get(c)?.type === 'other' || byCode.get(c)?.type === 'aggregate');
  const numSet = new Set([...numeric, 'Time']);
  const out = rows.map((r) => {
    const o: Record<string, CellValue> = {};
    for (const [k, v] of Object.entries(r)) {
      if (ignored.includes(k)) continue;
      o[k] = numSet.has(k) ? numericCell(v, decimal) : typeof v === 'string' && v.trim() === '' ? null : v;
    }
    return o;
  });
  const panel = columns.includes('Time') && out.some((r) => r.Time !== null && r.Time !== undefined);
  return { rows: out, columns: numeric, groupColumns, ignored, panel, format, skipped };
}

/** Reads an iData file (CSV/XLSX) against a framework's nodes. */
export async function parseDataFile(nodes: readonly NodeDto[], f: FileInput, sheet?: string | number): Promise<ParsedData> {
  const ext = extOf(f);
  if (ext === '.json') {
    let doc: unknown;
    try {
      doc = JSON.parse(textOf(f));
    } catch (e) {
      throw new AppError('DATA_FILE_INVALID', 400, `数据文件不是有效的 JSON：${(e as Error).message}`, `The data file is not valid JSON: ${(e as Error).message}`, [{ file: fileNameOf(f) }]);
    }
    const rows = Array.isArray(doc) ? doc : (doc as { rows?: unknown })?.rows;
    if (!Array.isArray(rows) || rows.length === 0 || !rows.every((r) => r && typeof r === 'object')) {
      throw new AppError('DATA_FILE_INVALID', 400, 'JSON 数据应为 iData 行对象的数组', 'JSON data must be an array of iData row objects', [{ file: fileNameOf(f) }]);
    }
    return shapeRowsJson(nodes, rows as Record<string, CellValue>[]);
  }
  const t = await readRows(f, sheet);
  return shapeData(nodes, t.columns, t.rows, t.decimal, t.format, t.skipped);
}

/** iData rows sent as JSON (API): columns are the union of the rows' keys, in first-seen order. */
export function shapeRowsJson(nodes: readonly NodeDto[], rows: readonly Record<string, CellValue>[]): ParsedData {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) if (!seen.has(k)) (seen.add(k), columns.push(k));
  return shapeData(nodes, columns, rows, '.', 'json');
}

/**
 * AHP judgement matrices as evaluators write them (issue 19 §10): a table per parent node, in CSV
 * or Excel — the parent's code in the top-left cell, the children's codes along the first row and
 * down the first column, and Saaty-scale judgements in the cells (3, 1/3, 0.2; the lower triangle
 * may be left empty and is then the reciprocal of the upper one). An Excel workbook holds one
 * matrix per sheet (a sheet whose top-left cell is empty is named by its sheet name).
 *
 * This module only reads the table and checks its form — codes, cells, diagonal, reciprocity,
 * the 1/9 … 9 scale — reporting each problem at its row and column. The consistency ratio and the
 * weights are the engine's (the same checks as for JSON matrices).
 */
import type { ErrorDetail } from '../../errors.ts';
import { AppError } from '../../errors.ts';
import { DEFAULT_READ_LIMITS, inMemoryLimits, readTable, type CellValue } from '../imports/read/index.ts';
import type { AhpMatrix } from './engine/index.ts';
import { fileNameOf, type FileInput } from './indicators.files.ts';

/** Relative tolerance of a_ij · a_ji = 1 (3 and 0.333 are reciprocal; 3 and 0.3 are not). */
const RECIPROCAL_TOLERANCE = 0.01;
const SCALE_MIN = 1 / 9;
const SCALE_MAX = 9;

type Problem = 'AHP_PARENT_MISSING' | 'AHP_PARENT_DUPLICATE' | 'AHP_CODES_MISMATCH' | 'AHP_CELL_INVALID' | 'AHP_CELL_MISSING' | 'AHP_CELL_OUT_OF_SCALE' | 'AHP_DIAGONAL' | 'AHP_NOT_RECIPROCAL' | 'AHP_CODE_UNKNOWN' | 'AHP_TOO_SMALL';

interface Located {
  sheet?: string;
  row?: number;
  column?: string;
}

const MESSAGES: Record<Problem, (p: Record<string, string | number>) => [string, string]> = {
  AHP_PARENT_MISSING: () => ['左上角单元格应填写上级指标的代码', 'The top-left cell must hold the parent indicator\'s code'],
  AHP_PARENT_DUPLICATE: (p) => [`上级指标 ${p.parent} 的判断矩阵出现了两次`, `The matrix of ${p.parent} appears twice`],
  AHP_CODES_MISMATCH: (p) => [`第一列的代码（${p.rows}）应与第一行的代码（${p.columns}）相同且顺序一致`, `The codes down the first column (${p.rows}) must be those along the first row (${p.columns}), in the same order`],
  AHP_CELL_INVALID: (p) => [
    `“${p.value}”不是判断值：请填写 1–9 的整数或其倒数（如 3、1/3、0.333）${p.date ? '；Excel 可能把 1/3 识别成了日期，请输入 =1/3 或 0.333' : ''}`,
    `"${p.value}" is not a judgement: write 1 to 9 or a reciprocal (3, 1/3, 0.333)${p.date ? '; Excel may have read 1/3 as a date — enter =1/3 or 0.333' : ''}`,
  ],
  AHP_CELL_MISSING: (p) => [`${p.a} 与 ${p.b} 的比较未填写（上三角或下三角至少填写一个）`, `The comparison of ${p.a} with ${p.b} is missing (fill it above or below the diagonal)`],
  AHP_CELL_OUT_OF_SCALE: (p) => [`判断值 ${p.value} 超出 1/9–9 的标度`, `The judgement ${p.value} is outside Saaty's scale 1/9 to 9`],
  AHP_DIAGONAL: (p) => [`对角线上的值应为 1，此处为 ${p.value}`, `A diagonal cell must be 1, not ${p.value}`],
  AHP_NOT_RECIPROCAL: (p) => [`${p.a} 对 ${p.b} 为 ${p.ab}，${p.b} 对 ${p.a} 应为其倒数，此处为 ${p.ba}`, `${p.a} vs ${p.b} is ${p.ab}, so ${p.b} vs ${p.a} must be its reciprocal, not ${p.ba}`],
  AHP_CODE_UNKNOWN: (p) => [`指标体系中没有代码 ${p.code}`, `The framework has no indicator ${p.code}`],
  AHP_TOO_SMALL: () => ['判断矩阵至少需要两个下级指标', 'A judgement matrix needs at least two children'],
};

function detail(problem: Problem, at: Located, params: Record<string, string | number> = {}): ErrorDetail {
  const [message, message_en] = MESSAGES[problem](params);
  return { ...(at.sheet !== undefined ? { sheet: at.sheet } : {}), ...(at.row !== undefined ? { row: at.row } : {}), ...(at.column !== undefined ? { column: at.column } : {}), code: problem, message, message_en };
}

const text = (v: CellValue) => (v === null ? '' : String(v).trim());

/** A judgement as written: a number, a fraction a/b, or empty (null). Undefined: not a judgement. */
export function parseJudgement(v: CellValue): number | null | undefined {
  if (v === null) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  const s = v.trim().replace(/／/g, '/').replace(/\s+/g, '');
  if (s === '') return null;
  const frac = /^(\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(s);
  if (frac) {
    const d = Number(frac[2]);
    return d === 0 ? undefined : Number(frac[1]) / d;
  }
  if (/^\d+(?:\.\d+)?$/.test(s)) return Number(s);
  return undefined;
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(3));

/** Reads one sheet (or the CSV) as a matrix; problems are added to `problems`. */
function matrixOf(sheetName: string | undefined, header: string[], rows: { row: number; cells: CellValue[] }[], problems: ErrorDetail[]): AhpMatrix | null {
  const at = (row?: number, column?: string): Located => ({ ...(sheetName !== undefined ? { sheet: sheetName } : {}), ...(row !== undefined ? { row } : {}), ...(column !== undefined ? { column } : {}) });
  const parent = header[0] || sheetName || '';
  if (!parent) {
    problems.push(detail('AHP_PARENT_MISSING', at(1)));
    return null;
  }
  const codes = header.slice(1).filter((c, i, all) => c !== '' || all.slice(i).some((x) => x !== ''));
  const rowCodes = rows.map((r) => text(r.cells[0] ?? null));
  if (codes.length < 2) {
    problems.push(detail('AHP_TOO_SMALL', at(1)));
    return null;
  }
  if (rowCodes.length !== codes.length || rowCodes.some((c, i) => c !== codes[i])) {
    problems.push(detail('AHP_CODES_MISMATCH', at(rows[0]?.row ?? 2, header[0] || undefined), { rows: rowCodes.join(', '), columns: codes.join(', ') }));
    return null;
  }
  const n = codes.length;
  const before = problems.length;
  const cell: (number | null)[][] = rows.map((r, i) =>
    codes.map((code, j) => {
      const raw = r.cells[j + 1] ?? null;
      const v = parseJudgement(raw);
      if (v === undefined) {
        problems.push(detail('AHP_CELL_INVALID', at(r.row, code), { value: text(raw), date: /^\d{4}-\d{2}-\d{2}/.test(text(raw)) ? 1 : '' }));
        return null;
      }
      if (v !== null && i !== j && (v < SCALE_MIN * (1 - RECIPROCAL_TOLERANCE) || v > SCALE_MAX)) problems.push(detail('AHP_CELL_OUT_OF_SCALE', at(r.row, code), { value: text(raw) }));
      if (i === j && v !== null && v !== 1) problems.push(detail('AHP_DIAGONAL', at(r.row, code), { value: text(raw) }));
      return v;
    }),
  );
  if (problems.length > before) return null;
  const matrix: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const ab = cell[i][j];
      const ba = cell[j][i];
      if (ab === null && ba === null) {
        problems.push(detail('AHP_CELL_MISSING', at(rows[i].row, codes[j]), { a: codes[i], b: codes[j] }));
        continue;
      }
      if (ab !== null && ba !== null && Math.abs(ab * ba - 1) > RECIPROCAL_TOLERANCE) {
        problems.push(detail('AHP_NOT_RECIPROCAL', at(rows[j].row, codes[i]), { a: codes[i], b: codes[j], ab: fmt(ab), ba: fmt(ba) }));
        continue;
      }
      matrix[i][j] = ab ?? 1 / ba!;
      matrix[j][i] = ba ?? 1 / ab!;
    }
  }
  return problems.length > before ? null : { parent, codes, matrix };
}

/**
 * Reads the judgement matrices of a CSV or Excel file. `knownCodes`, when given, are the codes
 * of the framework the matrices are for: a code outside them is reported. Throws AHP_FILE_INVALID
 * (400) with every problem at its sheet, row and column; returns the matrices otherwise.
 */
export async function parseAhpFile(f: FileInput, knownCodes?: ReadonlySet<string>): Promise<AhpMatrix[]> {
  const problems: ErrorDetail[] = [];
  const matrices: AhpMatrix[] = [];
  const source = 'path' in f ? { path: f.path } : { buffer: f.buffer };
  // A judgement table is held whole, as the other indicator files are: the in-memory limits apply.
  const limits = inMemoryLimits(f.limits ?? DEFAULT_READ_LIMITS);
  let sheetIndexes: (number | undefined)[] = [undefined];
  for (let k = 0; k < sheetIndexes.length; k++) {
    const r = await readTable({ ...source, fileName: fileNameOf(f), ...(sheetIndexes[k] !== undefined ? { sheet: sheetIndexes[k] } : {}), checkTotals: false, limits });
    try {
      const fatal = r.issues.find((i) => i.severity === 'error' && i.row === null);
      if (fatal) throw new AppError('AHP_FILE_INVALID', 400, fatal.message, fatal.message_en, [{ code: fatal.code, message: fatal.message, message_en: fatal.message_en }]);
      if (k === 0 && r.format === 'xlsx' && r.sheets) sheetIndexes = [r.sheet?.index, ...r.sheets.filter((s) => !s.hidden && s.index !== r.sheet?.index).map((s) => s.index)];
      const sheetName = r.format === 'xlsx' ? r.sheet?.name : undefined;
      const header = r.shape.columns.map((c) => c.original.trim());
      const rows: { row: number; cells: CellValue[] }[] = [];
      for await (const row of r.rows) if (row.cells.some((c) => text(c) !== '')) rows.push({ row: row.row, cells: row.cells });
      if (k > 0 && rows.length === 0 && header.every((h) => h === '')) continue; // an empty extra sheet
      const m = matrixOf(sheetName, header, rows, problems);
      if (!m) continue;
      if (matrices.some((x) => x.parent === m.parent)) problems.push(detail('AHP_PARENT_DUPLICATE', { ...(sheetName ? { sheet: sheetName } : {}), row: 1 }, { parent: m.parent }));
      else matrices.push(m);
      if (knownCodes) {
        for (const code of [m.parent, ...m.codes]) if (!knownCodes.has(code)) problems.push(detail('AHP_CODE_UNKNOWN', { ...(sheetName ? { sheet: sheetName } : {}), row: 1, column: code }, { code }));
      }
    } finally {
      await r.close();
    }
  }
  if (problems.length > 0) {
    throw new AppError('AHP_FILE_INVALID', 400, `判断矩阵表格有 ${problems.length} 处问题`, `The judgement-matrix table has ${problems.length} problem(s)`, problems);
  }
  return matrices;
}

/** Whether a file name is a table (CSV or Excel) rather than JSON. */
export const isAhpTable = (fileName: string) => /\.(csv|tsv|txt|xlsx|xlsm|xls)$/i.test(fileName);

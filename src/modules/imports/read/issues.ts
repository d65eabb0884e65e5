/**
 * The one catalogue of reading problems: each code with its severity and its Chinese and English
 * wording, so a code always reads the same wherever it is raised. Locations ("第 12 行「合计」列")
 * are added by `makeIssue`, so value parsers can describe a problem before they know where it is.
 */
import { AppError, type ErrorDetail } from '../../../errors.ts';
import type { BareIssue, Issue, IssueCode, Severity } from './types.ts';

export type { BareIssue };

interface Text {
  zh: string;
  en: string;
}

interface Entry<P> {
  severity: Severity;
  text: (p: P) => Text;
}

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
const q = (s: string, max = 60) => (s.length > max ? `${s.slice(0, max - 3)}…` : s);

const CATALOGUE = {
  FILE_TOO_LARGE: {
    severity: 'error',
    text: (p: { size: number; limit: number }) => ({
      zh: `文件大小 ${mb(p.size)}，超过上限 ${mb(p.limit)}，请拆分后再导入`,
      en: `The file is ${mb(p.size)}, over the limit of ${mb(p.limit)}; split it and import the parts`,
    }),
  },
  FILE_EMPTY: {
    severity: 'error',
    text: () => ({ zh: '文件为空，没有可读取的内容', en: 'The file is empty' }),
  },
  FILE_FORMAT_UNKNOWN: {
    severity: 'error',
    text: (p: { what: string; whatEn: string }) => ({
      zh: `无法识别的文件格式（${p.what}），请另存为 .xlsx 或 UTF-8 编码的 .csv 后再导入`,
      en: `Unrecognised file format (${p.whatEn}); save it as .xlsx or as UTF-8 .csv and import again`,
    }),
  },
  FILE_NOT_TEXT: {
    severity: 'error',
    text: (p: { fileName: string }) => ({
      zh: `文件「${q(p.fileName)}」不是文本表格（含有二进制内容），请确认导出的是 CSV`,
      en: `"${q(p.fileName)}" is not a text table (it holds binary data); check that it was exported as CSV`,
    }),
  },
  FILE_CORRUPT: {
    severity: 'error',
    // The detail names the damaged part: room for a part's path and what is wrong with it.
    text: (p: { detail: string }) => ({
      zh: `文件已损坏或无法打开：${q(p.detail, 120)}`,
      en: `The file is damaged or cannot be opened: ${q(p.detail, 120)}`,
    }),
  },
  FILE_EXTENSION_MISMATCH: {
    severity: 'warning',
    text: (p: { fileName: string; format: string }) => ({
      zh: `文件「${q(p.fileName)}」的扩展名与内容不符，已按 ${p.format.toUpperCase()} 读取`,
      en: `The extension of "${q(p.fileName)}" does not match its content; read as ${p.format.toUpperCase()}`,
    }),
  },
  ENCODING_UNCERTAIN: {
    severity: 'warning',
    text: (p: { encoding: string }) => ({
      zh: `无法确定文件编码，已按 ${p.encoding} 读取；如出现乱码，请另存为 UTF-8 编码后再导入`,
      en: `The text encoding could not be determined for sure; read as ${p.encoding}. If text looks garbled, save the file as UTF-8 and import again`,
    }),
  },
  ENCODING_INVALID_BYTES: {
    severity: 'warning',
    text: (p: { encoding: string }) => ({
      zh: `含有不符合 ${p.encoding} 编码的字节，已替换为"�"，请检查文件编码`,
      en: `Holds bytes that are not valid ${p.encoding}; they were replaced by "�". Check the file's encoding`,
    }),
  },
  XLSX_DECOMPRESSED_TOO_LARGE: {
    severity: 'error',
    text: (p: { size: number; limit: number; part?: string }) =>
      p.part
        ? {
            zh: `工作簿中的「${q(p.part)}」解压后为 ${mb(p.size)}，超过上限 ${mb(p.limit)}，请拆分后再导入`,
            en: `The workbook's part "${q(p.part)}" inflates to ${mb(p.size)}, over the limit of ${mb(p.limit)}; split the workbook and import the parts`,
          }
        : {
            zh: `工作簿解压后为 ${mb(p.size)}，超过上限 ${mb(p.limit)}，请拆分后再导入`,
            en: `The workbook inflates to ${mb(p.size)}, over the limit of ${mb(p.limit)}; split it and import the parts`,
          },
  },
  XLSX_COMPRESSION_RATIO_TOO_HIGH: {
    severity: 'error',
    text: (p: { part: string; ratio: number; limit: number }) => ({
      zh: `工作簿中的「${q(p.part)}」解压后是压缩大小的 ${Math.round(p.ratio)} 倍（上限 ${p.limit} 倍），不像正常的表格，已拒绝；请在 Excel 中另存后再导入`,
      en: `The workbook's part "${q(p.part)}" inflates to ${Math.round(p.ratio)} times its compressed size (limit ${p.limit}), which no ordinary table does; it was refused. Save it again in Excel and import it again`,
    }),
  },
  XLSX_MERGE_TOO_LARGE: {
    severity: 'warning',
    text: (p: { ref: string; largest: number; count: number; cells: number; limit: number; maxCount: number }) => ({
      zh: `合并单元格过大或过多（最大的 ${p.ref} 覆盖 ${p.largest} 个单元格；共 ${p.count} 处合并，覆盖 ${p.cells} 个单元格，上限 ${p.limit} 个单元格、${p.maxCount} 处），未展开：合并区域的值只保留在其左上角单元格`,
      en: `Merged cells too large or too many (the largest, ${p.ref}, covers ${p.largest} cells; ${p.count} merged ranges cover ${p.cells} cells, limit ${p.limit} cells and ${p.maxCount} ranges); they were not expanded: each range's value stays in its top-left cell`,
    }),
  },
  IMPORT_TOO_MANY_ROWS: {
    severity: 'error',
    text: (p: { limit: number }) => ({
      zh: `表格超过 ${p.limit} 行（上限），已停止读取，请拆分后分批导入`,
      en: `The table goes beyond row ${p.limit} (the limit); reading stopped. Split it and import the parts`,
    }),
  },
  IMPORT_TOO_MANY_CELLS: {
    severity: 'error',
    text: (p: { limit: number }) => ({
      zh: `表格超过 ${p.limit} 个单元格（上限），已停止读取，请拆分后分批导入`,
      en: `The table holds more than ${p.limit} cells (the limit); reading stopped. Split it and import the parts`,
    }),
  },
  CSV_QUOTE_NOT_CLOSED: {
    severity: 'error',
    text: () => ({
      zh: '引号未闭合，从此行起到文件末尾无法读取，请检查此行的双引号',
      en: 'A quote is never closed, so the file cannot be read from this row on; check the double quotes on this row',
    }),
  },
  CSV_ROW_TOO_LARGE: {
    severity: 'error',
    text: (p: { limit: number }) => ({
      zh: `一行超过 ${p.limit} 个字符，通常是引号未闭合所致，从此行起停止读取`,
      en: `A row is longer than ${p.limit} characters, usually because of an unclosed quote; reading stopped here`,
    }),
  },
  CSV_MALFORMED: {
    severity: 'error',
    text: (p: { detail: string }) => ({
      zh: `CSV 格式错误，此行已跳过：${q(p.detail)}`,
      en: `Malformed CSV; the row was skipped: ${q(p.detail)}`,
    }),
  },
  SHEET_NOT_FOUND: {
    severity: 'error',
    text: (p: { sheet: string; available: string[] }) => ({
      zh: `工作簿中没有工作表「${q(p.sheet)}」，现有：${p.available.map((s) => `「${s}」`).join('、') || '无'}`,
      en: `The workbook has no sheet "${q(p.sheet)}"; it has: ${p.available.map((s) => `"${s}"`).join(', ') || 'none'}`,
    }),
  },
  SHEET_EMPTY: {
    severity: 'error',
    text: (p: { sheet?: string }) =>
      p.sheet
        ? { zh: `工作表「${q(p.sheet)}」为空`, en: `The sheet "${q(p.sheet)}" is empty` }
        : { zh: '工作簿中所有工作表均为空', en: 'Every sheet of the workbook is empty' },
  },
  SHEET_EMPTY_SKIPPED: {
    severity: 'warning',
    text: (p: { sheet: string; used: string }) => ({
      zh: `工作表「${q(p.sheet)}」为空，已跳过，读取的是「${q(p.used)}」`,
      en: `The sheet "${q(p.sheet)}" is empty and was skipped; read "${q(p.used)}" instead`,
    }),
  },
  CELL_ERROR: {
    severity: 'error',
    text: (p: { error: string }) => ({
      zh: `单元格为公式错误 ${p.error}，按空值处理`,
      en: `The cell holds the formula error ${p.error}; read as empty`,
    }),
  },
  FORMULA_NO_RESULT: {
    severity: 'warning',
    text: (p: { formula: string }) => ({
      zh: `公式「=${q(p.formula)}」没有保存计算结果，按空值处理；请在 Excel 中打开并保存后再导入`,
      en: `The formula "=${q(p.formula)}" has no saved result and was read as empty; open and save the file in Excel, then import again`,
    }),
  },
  HEADER_NOT_FOUND: {
    severity: 'error',
    text: () => ({
      zh: '在前若干行中找不到表头（各列名称所在的行），请确认表格第一行或标题下方是列名',
      en: 'No header row (the row naming the columns) was found near the top; make sure the column names sit in the first row or right below the title',
    }),
  },
  HEADER_LABEL_EMPTY: {
    severity: 'warning',
    text: () => ({ zh: '列名为空', en: 'The column has no name' }),
  },
  HEADER_DUPLICATE: {
    severity: 'warning',
    text: (p: { label: string; first: number }) => ({
      zh: `列名「${q(p.label)}」与第 ${p.first + 1} 列重复`,
      en: `The column name "${q(p.label)}" repeats column ${p.first + 1}`,
    }),
  },
  ROW_EXTRA_CELLS: {
    severity: 'warning',
    text: (p: { count: number; width: number }) => ({
      zh: `此行在表头之外还有 ${p.count} 个非空单元格（表头共 ${p.width} 列），这些内容未读取`,
      en: `The row has ${p.count} non-empty cell(s) beyond the ${p.width} header columns; they were not read`,
    }),
  },
  NUMBER_INVALID: {
    severity: 'error',
    text: (p: { text: string; hint?: Text }) => ({
      zh: `「${q(p.text)}」不是有效的数字${p.hint ? `（${p.hint.zh}）` : ''}`,
      en: `"${q(p.text)}" is not a valid number${p.hint ? ` (${p.hint.en})` : ''}`,
    }),
  },
  NUMBER_AMBIGUOUS: {
    severity: 'warning',
    text: (p: { text: string; value: number }) => ({
      zh: `「${q(p.text)}」可能是千分位也可能是小数，按本文件的小数逗号习惯读作 ${p.value}，请核对`,
      en: `"${q(p.text)}" could use a thousands separator or a decimal comma; read as ${p.value} following this file's decimal comma, please check`,
    }),
  },
  NUMBER_NEGATIVE: {
    severity: 'warning',
    text: (p: { text: string; value: number }) => ({
      zh: `「${q(p.text)}」为负数（${p.value}）`,
      en: `"${q(p.text)}" is negative (${p.value})`,
    }),
  },
  NUMBER_AS_TEXT_NORMALISED: {
    severity: 'warning',
    text: (p: { text: string; value: number }) => ({
      zh: `「${q(p.text)}」已按数字 ${p.value} 读取（去掉了千分位、单位或说明文字）`,
      en: `"${q(p.text)}" was read as the number ${p.value} (separators, units or qualifiers removed)`,
    }),
  },
  YEAR_INVALID: {
    severity: 'error',
    text: (p: { text: string; min: number; max: number }) => ({
      zh: `「${q(p.text)}」不是 ${p.min}–${p.max} 之间的年份`,
      en: `"${q(p.text)}" is not a year between ${p.min} and ${p.max}`,
    }),
  },
  DATE_INVALID: {
    severity: 'error',
    text: (p: { text: string }) => ({
      zh: `「${q(p.text)}」不是有效的日期（可写作 2024-03-01、2024/3/1 或 2024年3月1日）`,
      en: `"${q(p.text)}" is not a valid date (write it as 2024-03-01, 2024/3/1 or 10 March 2024)`,
    }),
  },
  DATE_AMBIGUOUS: {
    severity: 'warning',
    text: (p: { text: string; value: string; orderZh: string; orderEn: string }) => ({
      zh: `「${q(p.text)}」的日和月无法区分，已按${p.orderZh}读作 ${p.value}，请核对`,
      en: `"${q(p.text)}" could be day-first or month-first; read as ${p.orderEn}, giving ${p.value}; please check`,
    }),
  },
  DATE_OUT_OF_RANGE: {
    severity: 'warning',
    text: (p: { text: string; value: string; min: number; max: number }) => ({
      zh: `日期「${q(p.text)}」（${p.value}）不在 ${p.min}–${p.max} 年之间，请核对`,
      en: `The date "${q(p.text)}" (${p.value}) is outside the years ${p.min}–${p.max}; please check`,
    }),
  },
  TOTAL_MISMATCH: {
    severity: 'warning',
    text: (p: { what: 'row' | 'column' | 'grand'; stated: number; computed: number }) =>
      p.what === 'column'
        ? {
            zh: `合计行填写为 ${p.stated}，按明细计算为 ${p.computed}`,
            en: `The total row states ${p.stated}; the detail rows add up to ${p.computed}`,
          }
        : p.what === 'row'
          ? {
              zh: `合计列填写为 ${p.stated}，按本行明细计算为 ${p.computed}`,
              en: `The total column states ${p.stated}; this row's details add up to ${p.computed}`,
            }
          : {
              zh: `总计填写为 ${p.stated}，按全部明细计算为 ${p.computed}`,
              en: `The grand total states ${p.stated}; all detail cells add up to ${p.computed}`,
            },
  },
  ISSUES_TRUNCATED: {
    severity: 'warning',
    text: (p: { code: string; limit: number }) => ({
      zh: `${p.code} 类问题超过 ${p.limit} 条，其余未逐条列出`,
      en: `More than ${p.limit} issues of type ${p.code}; the rest are not listed one by one`,
    }),
  },
} satisfies Record<IssueCode, Entry<never>>;

type Catalogue = typeof CATALOGUE;
/** The parameters a code's message needs. */
export type IssueParams<C extends IssueCode> = [Parameters<Catalogue[C]['text']>[0]] extends [undefined]
  ? Record<string, never>
  : Parameters<Catalogue[C]['text']>[0];

/** Where an issue is: physical row, 0-based column, and the column's header as written. */
export interface Location {
  row?: number | null;
  column?: number | null;
  columnLabel?: string;
}

/** Describe a problem without a location. */
export function describeIssue<C extends IssueCode>(code: C, params: IssueParams<C>): BareIssue {
  const entry: Entry<IssueParams<C>> = CATALOGUE[code] as Entry<IssueParams<C>>;
  const t = entry.text(params);
  return { code, severity: entry.severity, message: t.zh, message_en: t.en };
}

/** Give a described problem its location; the location is written into both messages. */
export function locate(bare: BareIssue, at: Location = {}, extra: Pick<Issue, 'stated' | 'computed'> = {}): Issue {
  const row = at.row ?? null;
  const column = at.column ?? null;
  const colZh = column === null ? '' : at.columnLabel ? `「${q(at.columnLabel)}」列` : `第 ${column + 1} 列`;
  const colEn = column === null ? '' : at.columnLabel ? `column "${q(at.columnLabel)}"` : `column ${column + 1}`;
  const zh = row !== null ? `第 ${row} 行${colZh}：` : colZh ? `${colZh}：` : '';
  const en = row !== null ? `Row ${row}${colEn ? `, ${colEn}` : ''}: ` : colEn ? `${colEn[0].toUpperCase()}${colEn.slice(1)}: ` : '';
  const issue: Issue = {
    row,
    column,
    code: bare.code,
    severity: bare.severity,
    message: zh + bare.message,
    message_en: en + bare.message_en,
    ...extra,
  };
  if (at.columnLabel !== undefined) issue.columnLabel = at.columnLabel;
  return issue;
}

/** Describe and locate in one step. */
export function makeIssue<C extends IssueCode>(code: C, params: IssueParams<C>, at: Location = {}): Issue {
  return locate(describeIssue(code, params), at);
}

// Refusals for size: 413, as for an upload over the size limit.
const STATUS: Partial<Record<IssueCode, number>> = {
  FILE_TOO_LARGE: 413,
  XLSX_DECOMPRESSED_TOO_LARGE: 413,
  XLSX_COMPRESSION_RATIO_TOO_HIGH: 413,
  IMPORT_TOO_MANY_ROWS: 413,
  IMPORT_TOO_MANY_CELLS: 413,
};

/**
 * The error thrown when a file cannot be read as a table at all. It is the project's one error
 * type; `details` carries the fatal issue first, then any warnings found before it.
 */
export function readFailure(issue: Issue, earlier: Issue[] = []): AppError {
  return new AppError(issue.code, STATUS[issue.code] ?? 400, issue.message, issue.message_en, [issue, ...earlier].map(asDetail));
}

// The project's error details name a column by its label; the index travels alongside.
function asDetail(i: Issue): ErrorDetail {
  const d: ErrorDetail = { code: i.code, severity: i.severity, message: i.message, message_en: i.message_en };
  if (i.row !== null) d.row = i.row;
  if (i.column !== null) {
    d.column = i.columnLabel ?? `#${i.column + 1}`;
    d.columnIndex = i.column;
  }
  if (i.stated !== undefined) d.stated = i.stated;
  if (i.computed !== undefined) d.computed = i.computed;
  return d;
}

/**
 * Collects issues for a whole file without letting a broken file fill memory: after `limit`
 * issues of one code, only a count is kept and one ISSUES_TRUNCATED warning is added.
 */
export class IssueLog {
  readonly issues: Issue[] = [];
  private readonly counts = new Map<IssueCode, number>();

  constructor(private readonly limit = 1000) {}

  add(issue: Issue): void {
    const n = (this.counts.get(issue.code) ?? 0) + 1;
    this.counts.set(issue.code, n);
    if (n <= this.limit) this.issues.push(issue);
    else if (n === this.limit + 1) this.issues.push(makeIssue('ISSUES_TRUNCATED', { code: issue.code, limit: this.limit }));
  }

  /** How many issues of a code were seen, listed or not. */
  count(code: IssueCode): number {
    return this.counts.get(code) ?? 0;
  }
}

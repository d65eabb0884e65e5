/**
 * Plan import: an action plan as a bureau keeps it, in up to three kinds of table, in any
 * order, recognised by their headers:
 *   - targets  目标领域, 指标, 目标值, 单位, 目标年份, 原文 — optional 基线值, 基线年份, 方向 (正向/负向),
 *              行动编号 (the action a target belongs to), 数据来源 (填报, or a registry measure key);
 *   - tasks    行动编号, 行动, 任务编号, 任务 — optional 责任单位, 配合单位, 开始日期, 完成时限, 政策原文;
 *   - values   指标, 年份 or 日期, 数值 — optional 说明, 单位, 佐证材料.
 * Files are read with the shared reader (CSV in any encoding, or XLSX). Every problem is an
 * issue shaped as the foundation importer's, plus the file it is in; the plan is written all
 * or nothing, in one transaction, and only when there is no error.
 */
import path from 'node:path';
import { AppError, isAppError, type ErrorDetail } from '../../errors.ts';
import type { ServiceContext } from '../../http/context.ts';
import type { Sql } from '../../store/db.ts';
import type { ImportIssue } from '../imports/imports.types.ts';
import { compactKey, inMemoryLimits, parseNumber, parseYear, readTable, type CellValue, type Issue as ReadIssue, type ReadLimits, type TableRow } from '../imports/read/index.ts';
import { regionsNamed } from '../regions/regions.repo.ts';
import { findMeasure, MEASURES } from './plans.measures.ts';
import { insertAction, insertPlan, insertTarget, insertTask, insertValue, planByName, type NewTarget, type NewTask } from './plans.repo.ts';
import { assertCanManage } from './plans.service.ts';
import { checkUnit, endOfPeriod, readReportingDate, splitUnits, startOfPeriod, todayIso } from './plans.values.ts';

/** A file to import: on disk or in memory. */
export interface PlanImportFile {
  fileName: string;
  path?: string;
  buffer?: Buffer;
}

export interface PlanImportOptions {
  /** The plan's name; default: the file name without its _targets / _tasks suffix. */
  name?: string;
  /** The plan's region, by name or code (北京, 常州, 110000); registry targets count within it. */
  region?: string;
  owner?: string;
  /** The plan period in years; default: read from the name ("2024—2027") or from the targets. */
  period?: { from: number; to: number };
  /** Progress and supervision settings (see plans.schema.ts). */
  config?: Record<string, unknown>;
  /** The date deadlines are compared with (default today). */
  today?: string;
}

/** An import problem: the foundation importer's shape, plus the file it was found in. */
export interface PlanImportIssue extends ImportIssue {
  file: string;
}

/** The result of `innolink plan import … --json`, exactly. */
export interface PlanImportResult {
  ok: boolean;
  plan: number | null;
  targets: number;
  tasks: number;
  values: number;
  issues: PlanImportIssue[];
}

type Kind = 'targets' | 'tasks' | 'values';

const KIND_ZH: Record<Kind, string> = { targets: '目标表', tasks: '任务表', values: '数值表' };

/** Header words per field; compared after NFKC, without spaces, case and a trailing bracket. */
const FIELDS: Record<Kind, Record<string, string[]>> = {
  targets: {
    area: ['目标领域', '领域', '发展目标', '目标类别', '目标'],
    indicator: ['指标', '指标名称', '目标指标'],
    target_value: ['目标值', '目标数值'],
    unit: ['单位', '计量单位'],
    target_year: ['目标年份', '目标年', '完成年份'],
    source_text: ['原文', '目标原文', '政策原文'],
    baseline_value: ['基线值', '基期值', '基准值'],
    baseline_year: ['基线年份', '基期年份', '基准年份', '基线年'],
    direction: ['方向', '指标方向', '指标属性'],
    action_number: ['行动编号'],
    value_source: ['数据来源', '取数方式', '值来源', '来源'],
  },
  tasks: {
    action_number: ['行动编号'],
    action_title: ['行动', '行动名称'],
    number: ['任务编号', '任务序号'],
    title: ['任务', '任务名称', '任务内容'],
    responsible: ['责任单位', '牵头单位'],
    supporting: ['配合单位', '参与单位', '协同单位'],
    start: ['开始日期', '起始日期', '开始时间'],
    due: ['完成时限', '截止日期', '完成期限', '完成时间', '截止时间'],
    policy: ['政策原文', '原文', '政策依据'],
  },
  values: {
    indicator: ['指标', '指标名称'],
    year: ['年份', '年度'],
    date: ['日期', '报告日期', '统计日期', '截至日期'],
    value: ['数值', '值', '实际值', '完成值'],
    note: ['说明', '备注'],
    unit: ['单位'],
    evidence: ['佐证材料', '证据', '佐证'],
  },
};

const REQUIRED: Record<Kind, Array<[string, string, string]>> = {
  targets: [['indicator', '指标', 'indicator']],
  tasks: [
    ['number', '任务编号', 'task number'],
    ['title', '任务', 'task'],
  ],
  values: [
    ['indicator', '指标', 'indicator'],
    ['value', '数值', 'value'],
  ],
};

const headerKey = (label: string) => compactKey(label).replace(/[(（［\[][^)）］\]]*[)）］\]]$/, '');

interface ReadFile {
  name: string;
  kind: Kind;
  /** field → column index and header as written */
  cols: Map<string, { index: number; label: string }>;
  rows: TableRow[];
  decimal: '.' | ',';
}

/** Issues of one import, in the order found. */
class Issues {
  readonly list: PlanImportIssue[] = [];
  add(file: string, row: number, column: string, code: string, severity: 'error' | 'warning', message: string, message_en: string, extra: Record<string, unknown> = {}) {
    this.list.push({ row, column, code, severity, message, message_en, file, ...extra });
  }
  fromReader(file: string, i: ReadIssue) {
    this.list.push({
      row: i.row ?? 0,
      column: i.columnLabel ?? (i.column !== null ? `#${i.column + 1}` : ''),
      code: i.code,
      severity: i.severity,
      message: i.message,
      message_en: i.message_en,
      file,
      ...(i.stated !== undefined ? { stated: i.stated, computed: i.computed } : {}),
    });
  }
  fromDetail(file: string, d: ErrorDetail, fallback: AppError) {
    this.list.push({
      row: typeof d.row === 'number' ? d.row : 0,
      column: typeof d.column === 'string' ? d.column : '',
      code: typeof d.code === 'string' ? d.code : fallback.code,
      severity: d.severity === 'warning' ? 'warning' : 'error',
      message: d.message ?? fallback.messageZh,
      message_en: d.message_en ?? fallback.messageEn,
      file,
    });
  }
  get errors() {
    return this.list.filter((i) => i.severity === 'error').length;
  }
}

const text = (c: CellValue | undefined): string => (c === null || c === undefined ? '' : String(c).trim());

function detectKind(labels: string[]): Kind | null {
  const has = (kind: Kind, field: string) => labels.some((l) => FIELDS[kind][field].some((a) => headerKey(a) === l));
  if (has('tasks', 'number')) return 'tasks';
  if (has('targets', 'indicator') && (has('targets', 'target_value') || has('targets', 'target_year') || has('targets', 'baseline_value'))) return 'targets';
  if (has('values', 'indicator') && has('values', 'value') && (has('values', 'year') || has('values', 'date'))) return 'values';
  return null;
}

async function readFile(f: PlanImportFile, issues: Issues, maxBytes: number, limits: ReadLimits): Promise<ReadFile | null> {
  const refused = (e: unknown): null => {
    if (!isAppError(e)) throw e;
    if (e.details.length) for (const d of e.details) issues.fromDetail(f.fileName, d, e);
    else issues.add(f.fileName, 0, '', e.code, 'error', e.messageZh, e.messageEn);
    return null;
  };
  let table;
  try {
    table = await readTable({ fileName: f.fileName, path: f.path, buffer: f.buffer, maxBytes, checkTotals: false, limits: inMemoryLimits(limits) });
  } catch (e) {
    return refused(e);
  }
  const rows: TableRow[] = [];
  try {
    for await (const r of table.rows) rows.push(r);
  } catch (e) {
    // Past a limit on rows or cells: the file's problem, like one found when it was opened.
    return refused(e);
  }
  for (const i of table.issues) issues.fromReader(f.fileName, i);
  const labels = table.shape.columns.map((c) => headerKey(c.label));
  const kind = detectKind(labels);
  const headerRow = table.shape.headerRows[table.shape.headerRows.length - 1] ?? 1;
  if (!kind) {
    issues.add(
      f.fileName,
      headerRow,
      '',
      'PLAN_FILE_NOT_RECOGNISED',
      'error',
      `无法从表头识别文件类型（目标表需有“指标”和“目标值”，任务表需有“任务编号”，数值表需有“指标”“数值”和“年份”或“日期”）：${table.shape.columns.map((c) => c.original).join('、')}`,
      `The headers do not tell what the file holds (targets need 指标 and 目标值, tasks 任务编号, values 指标, 数值 and 年份 or 日期): ${table.shape.columns.map((c) => c.original).join(', ')}`,
    );
    return null;
  }
  const cols = new Map<string, { index: number; label: string }>();
  for (const [field, aliases] of Object.entries(FIELDS[kind])) {
    const keys = aliases.map(headerKey);
    // The first alias that names a column wins: 目标领域 before the bare 目标.
    for (const k of keys) {
      const c = table.shape.columns.find((col, i) => labels[i] === k && ![...cols.values()].some((u) => u.index === col.index));
      if (c) {
        cols.set(field, { index: c.index, label: c.original });
        break;
      }
    }
  }
  let ok = true;
  for (const [field, zh, en] of REQUIRED[kind]) {
    if (cols.has(field)) continue;
    ok = false;
    issues.add(f.fileName, headerRow, zh, 'COLUMN_MISSING', 'error', `${KIND_ZH[kind]}缺少必需的列：${zh}`, `The ${kind} table lacks a required column: ${zh} (${en})`);
  }
  if (kind === 'values' && !cols.has('year') && !cols.has('date')) {
    ok = false;
    issues.add(f.fileName, headerRow, '年份', 'COLUMN_MISSING', 'error', '数值表缺少“年份”或“日期”列', 'The values table lacks a 年份 (year) or 日期 (date) column');
  }
  return ok ? { name: f.fileName, kind, cols, rows, decimal: table.decimal } : null;
}

interface TargetDraft extends Omit<NewTarget, 'action_id' | 'position'> {
  file: string;
  row: number;
  action_number: string | null;
}
interface TaskDraft extends Omit<NewTask, 'action_id' | 'position'> {
  file: string;
  row: number;
  action_number: string | null;
  action_title: string | null;
}
interface ValueDraft {
  file: string;
  row: number;
  indicator: string;
  date: string;
  precision: 'day' | 'year';
  value: number;
  note: string | null;
  evidence: string | null;
}

/** The trimmed, NFKC form indicators are matched in (values to targets, duplicates). */
const indicatorKey = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');

function cellOf(f: ReadFile, r: TableRow, field: string): { value: CellValue; label: string } {
  const c = f.cols.get(field);
  return c ? { value: r.cells[c.index] ?? null, label: c.label } : { value: null, label: '' };
}

function parseTargets(f: ReadFile, issues: Issues, today: string, defaultYear: number | null): TargetDraft[] {
  const out: TargetDraft[] = [];
  const thisYear = Number(today.slice(0, 4));
  for (const r of f.rows) {
    if (r.kind !== 'data') continue;
    const add = (column: string, code: string, severity: 'error' | 'warning', zh: string, en: string) =>
      issues.add(f.name, r.row, column, code, severity, zh, en);
    const ind = cellOf(f, r, 'indicator');
    const indicator = text(ind.value);
    if (!indicator) {
      add(ind.label, 'TARGET_INDICATOR_MISSING', 'error', '指标名称为空', 'The indicator is empty');
      continue;
    }
    const num = (field: string, zhName: string, enName: string): { value: number | null; unit?: string } => {
      const c = cellOf(f, r, field);
      const p = parseNumber(c.value, { decimal: f.decimal });
      if (p.issue?.severity === 'error' || (p.value === null && text(c.value) !== '' && p.issue)) {
        add(c.label, 'NUMBER_INVALID', 'error', `“${indicator}”的${zhName}不是有效数字：${text(c.value)}`, `The ${enName} of "${indicator}" is not a number: ${text(c.value)}`);
        return { value: null };
      }
      return { value: p.value, unit: p.unit };
    };
    const year = (field: string, zhName: string, enName: string): number | null => {
      const c = cellOf(f, r, field);
      const p = parseYear(c.value);
      if (p.issue) add(c.label, 'YEAR_INVALID', 'error', `“${indicator}”的${zhName}不是有效年份：${text(c.value)}`, `The ${enName} of "${indicator}" is not a year: ${text(c.value)}`);
      return p.value;
    };
    const unitCell = cellOf(f, r, 'unit');
    const unit = text(unitCell.value) || null;
    const tv = num('target_value', '目标值', 'target value');
    let targetYear = year('target_year', '目标年份', 'target year');
    const bv = num('baseline_value', '基线值', 'baseline value');
    const baselineYear = year('baseline_year', '基线年份', 'baseline year');
    if (tv.unit && unit && checkUnit(tv.unit, unit).kind !== 'same')
      add(cellOf(f, r, 'target_value').label, 'TARGET_UNIT_DIFFERS', 'warning', `“${indicator}”的目标值写有单位“${tv.unit}”，与单位列“${unit}”不同`, `The target value of "${indicator}" is written in ${tv.unit}, the unit column says ${unit}`);

    if (tv.value === null) {
      add(cellOf(f, r, 'target_value').label, 'TARGET_NO_VALUE', 'warning', `“${indicator}”没有量化目标值，将按增速评估进展`, `"${indicator}" has no quantitative target: progress will be judged by its growth rate`);
    } else if (targetYear === null) {
      if (defaultYear !== null) {
        targetYear = defaultYear;
        add(cellOf(f, r, 'target_year').label || '目标年份', 'TARGET_YEAR_DEFAULTED', 'warning', `“${indicator}”未写目标年份，按计划期末 ${defaultYear} 年计`, `"${indicator}" has no target year; the plan's last year ${defaultYear} is used`);
      } else {
        add(cellOf(f, r, 'target_year').label || '目标年份', 'TARGET_YEAR_MISSING', 'error', `“${indicator}”有目标值但没有目标年份`, `"${indicator}" has a target value but no target year`);
      }
    }
    let baseline: { value: number; year: number } | null = null;
    if (bv.value !== null && baselineYear !== null) baseline = { value: bv.value, year: baselineYear };
    else if (bv.value !== null || baselineYear !== null)
      add(cellOf(f, r, bv.value !== null ? 'baseline_year' : 'baseline_value').label || '基线年份', 'TARGET_BASELINE_INCOMPLETE', 'error', `“${indicator}”的基线值和基线年份须同时填写`, `"${indicator}" needs both a baseline value and a baseline year`);
    else
      add(cellOf(f, r, 'baseline_value').label || '基线值', 'TARGET_NO_BASELINE', 'warning', `“${indicator}”没有基线值和基线年份，进展状态将为“无数据”（已达到目标时除外）`, `"${indicator}" has no baseline value and year: its status will be no_data (unless the target is met)`);
    if (baseline && bv.unit && unit && checkUnit(bv.unit, unit).kind !== 'same')
      add(cellOf(f, r, 'baseline_value').label, 'TARGET_UNIT_DIFFERS', 'warning', `“${indicator}”的基线值写有单位“${bv.unit}”，与单位列“${unit}”不同`, `The baseline of "${indicator}" is written in ${bv.unit}, the unit column says ${unit}`);
    if (baseline && targetYear !== null && baseline.year >= targetYear)
      add(cellOf(f, r, 'baseline_year').label, 'TARGET_BASELINE_NOT_BEFORE_TARGET', 'error', `“${indicator}”的基线年份 ${baseline.year} 不早于目标年份 ${targetYear}`, `The baseline year ${baseline.year} of "${indicator}" is not before its target year ${targetYear}`);
    if (targetYear !== null && targetYear < thisYear)
      add(cellOf(f, r, 'target_year').label, 'TARGET_DEADLINE_PASSED', 'warning', `“${indicator}”的目标年份 ${targetYear} 已过（今天是 ${today}）`, `The target year ${targetYear} of "${indicator}" has passed (today is ${today})`);

    const dirCell = cellOf(f, r, 'direction');
    const dirText = text(dirCell.value);
    let direction: 'increase' | 'decrease' = 'increase';
    if (/^(正向|正|increase|up|越大越好|\+)$/i.test(dirText) || dirText === '') direction = 'increase';
    else if (/^(负向|逆向|负|decrease|down|越小越好|-)$/i.test(dirText)) direction = 'decrease';
    else add(dirCell.label, 'TARGET_DIRECTION_INVALID', 'error', `“${indicator}”的方向应为“正向”或“负向”：${dirText}`, `The direction of "${indicator}" must be 正向 (increase) or 负向 (decrease): ${dirText}`);

    const srcCell = cellOf(f, r, 'value_source');
    const srcText = text(srcCell.value);
    let valueSource: 'reported' | 'registry' = 'reported';
    let measureKey: string | null = null;
    if (srcText && !/^(填报|上报|报送|reported|report)$/i.test(srcText)) {
      const m = findMeasure(srcText.replace(/^(登记库|registry)\s*[:：]\s*/i, ''));
      if (!m)
        add(srcCell.label, 'TARGET_MEASURE_UNKNOWN', 'error', `“${indicator}”的数据来源未知：${srcText}（填“填报”或登记库指标：${MEASURES.map((x) => x.key).join('、')}）`, `Unknown value source for "${indicator}": ${srcText} (use 填报 or a registry measure: ${MEASURES.map((x) => x.key).join(', ')})`);
      else {
        valueSource = 'registry';
        measureKey = m.key;
        if (unit && !m.units.includes(unit))
          add(unitCell.label, 'TARGET_UNIT_NOT_COUNT', 'warning', `“${indicator}”按登记库计数（${m.zh}），单位却是“${unit}”`, `"${indicator}" is counted from the registry (${m.en}) but its unit is ${unit}`);
      }
    }
    const actionNumber = text(cellOf(f, r, 'action_number').value) || null;
    out.push({
      file: f.name,
      row: r.row,
      area: text(cellOf(f, r, 'area').value) || null,
      indicator,
      unit,
      baseline_value: baseline?.value ?? null,
      baseline_year: baseline?.year ?? null,
      target_value: tv.value,
      target_year: targetYear,
      direction,
      source_text: text(cellOf(f, r, 'source_text').value) || null,
      value_source: valueSource,
      measure_key: measureKey,
      action_number: actionNumber,
    });
  }
  return out;
}

function readTaskDate(f: ReadFile, r: TableRow, field: string, which: 'start' | 'due', issues: Issues, title: string): string | null {
  const c = cellOf(f, r, field);
  if (text(c.value) === '') return null;
  const d = readReportingDate(c.value);
  if (!d) {
    issues.add(f.name, r.row, c.label, 'TASK_DATE_UNREADABLE', 'warning', `任务“${title}”的${which === 'due' ? '完成时限' : '开始日期'}无法识别为日期，已留空：${text(c.value)}`, `The ${which === 'due' ? 'due date' : 'start date'} of task "${title}" is not a date and was left empty: ${text(c.value)}`);
    return null;
  }
  // A year or month means its end for a deadline and its start for a start date.
  if (d.precision === 'year') return which === 'due' ? d.date : startOfPeriod(d.date.slice(0, 4));
  return d.date;
}

function parseTasks(f: ReadFile, issues: Issues, today: string): TaskDraft[] {
  const out: TaskDraft[] = [];
  const seen = new Map<string, number>();
  const actionTitles = new Map<string, string>();
  for (const r of f.rows) {
    if (r.kind !== 'data') continue;
    const numCell = cellOf(f, r, 'number');
    const number = text(numCell.value).normalize('NFKC');
    const titleCell = cellOf(f, r, 'title');
    const title = text(titleCell.value);
    if (!number) {
      issues.add(f.name, r.row, numCell.label, 'TASK_NUMBER_MISSING', 'error', `任务“${title}”没有任务编号`, `Task "${title}" has no task number`);
      continue;
    }
    if (!title) issues.add(f.name, r.row, titleCell.label, 'TASK_TITLE_MISSING', 'error', `任务 ${number} 没有任务名称`, `Task ${number} has no title`);
    const first = seen.get(number);
    if (first !== undefined) {
      issues.add(f.name, r.row, numCell.label, 'TASK_NUMBER_DUPLICATE', 'error', `任务编号 ${number} 重复（第 ${first} 行已使用）`, `Task number ${number} is used twice (already on row ${first})`, { value: number });
      continue;
    }
    seen.set(number, r.row);
    let actionNumber = text(cellOf(f, r, 'action_number').value).normalize('NFKC') || null;
    const actionTitle = text(cellOf(f, r, 'action_title').value) || null;
    if (!actionNumber && actionTitle) {
      // Actions named but not numbered are numbered in order of appearance.
      const known = [...actionTitles].find(([, t]) => t === actionTitle);
      actionNumber = known ? known[0] : String(actionTitles.size + 1);
    }
    if (actionNumber) {
      const had = actionTitles.get(actionNumber);
      if (had === undefined) actionTitles.set(actionNumber, actionTitle ?? `行动${actionNumber}`);
      else if (actionTitle && had !== actionTitle)
        issues.add(f.name, r.row, cellOf(f, r, 'action_title').label, 'ACTION_TITLE_CONFLICT', 'warning', `行动 ${actionNumber} 的名称前后不一致：“${had}”与“${actionTitle}”，采用前者`, `Action ${actionNumber} has two titles, "${had}" and "${actionTitle}"; the first is kept`);
    }
    const start = readTaskDate(f, r, 'start', 'start', issues, title || number);
    const due = readTaskDate(f, r, 'due', 'due', issues, title || number);
    if (start && due && due < start) {
      issues.add(f.name, r.row, cellOf(f, r, 'due').label, 'TASK_PERIOD_INVALID', 'error', `任务 ${number} 的完成时限 ${due} 早于开始日期 ${start}`, `Task ${number} is due (${due}) before it starts (${start})`);
    }
    if (due && due < today)
      issues.add(f.name, r.row, cellOf(f, r, 'due').label, 'TASK_DUE_PASSED', 'warning', `任务 ${number} 的完成时限 ${due} 已过（今天是 ${today}）`, `Task ${number} was due on ${due}, which has passed (today is ${today})`);
    out.push({
      file: f.name,
      row: r.row,
      action_number: actionNumber,
      action_title: actionNumber ? (actionTitles.get(actionNumber) ?? null) : null,
      number,
      title: title || number,
      responsible_units: splitUnits(text(cellOf(f, r, 'responsible').value)),
      supporting_units: splitUnits(text(cellOf(f, r, 'supporting').value)),
      start_date: start,
      due_date: due,
      policy_text: text(cellOf(f, r, 'policy').value) || null,
    });
  }
  return out;
}

function parseValues(f: ReadFile, issues: Issues, targets: Map<string, TargetDraft>, today: string): ValueDraft[] {
  const out: ValueDraft[] = [];
  for (const r of f.rows) {
    if (r.kind !== 'data') continue;
    const add = (column: string, code: string, severity: 'error' | 'warning', zh: string, en: string, extra: Record<string, unknown> = {}) =>
      issues.add(f.name, r.row, column, code, severity, zh, en, extra);
    const indCell = cellOf(f, r, 'indicator');
    const indicator = text(indCell.value);
    if (!indicator) {
      add(indCell.label, 'VALUE_INDICATOR_MISSING', 'error', '指标名称为空', 'The indicator is empty');
      continue;
    }
    const target = targets.get(indicatorKey(indicator));
    if (!target) {
      add(indCell.label, 'VALUE_INDICATOR_UNKNOWN', 'error', `指标“${indicator}”不在计划的目标表中`, `"${indicator}" is not an indicator of the plan's targets`);
      continue;
    }
    if (target.value_source === 'registry') {
      add(indCell.label, 'VALUE_FOR_REGISTRY_TARGET', 'error', `“${indicator}”按登记库实时计数（${target.measure_key}），不接受填报数值`, `"${indicator}" is counted live from the registry (${target.measure_key}); reported values are not accepted`);
      continue;
    }
    const dateCell = cellOf(f, r, 'date');
    const yearCell = cellOf(f, r, 'year');
    let when: { date: string; precision: 'day' | 'year' } | null = null;
    if (text(dateCell.value) !== '') {
      when = readReportingDate(dateCell.value);
      if (!when) add(dateCell.label, 'DATE_INVALID', 'error', `“${indicator}”的日期无法识别：${text(dateCell.value)}`, `The date of "${indicator}" is not a date: ${text(dateCell.value)}`);
    } else if (text(yearCell.value) !== '') {
      const y = parseYear(yearCell.value);
      if (y.value === null) add(yearCell.label, 'YEAR_INVALID', 'error', `“${indicator}”的年份无法识别：${text(yearCell.value)}`, `The year of "${indicator}" is not a year: ${text(yearCell.value)}`);
      else when = { date: endOfPeriod(String(y.value)), precision: 'year' };
    } else {
      add(dateCell.label || yearCell.label, 'VALUE_DATE_MISSING', 'error', `“${indicator}”的数值没有年份或日期`, `The value of "${indicator}" has no year or date`);
    }
    const valCell = cellOf(f, r, 'value');
    const p = parseNumber(valCell.value, { decimal: f.decimal });
    if (p.value === null) {
      if (text(valCell.value) === '') add(valCell.label, 'VALUE_MISSING', 'error', `“${indicator}”的数值为空`, `The value of "${indicator}" is empty`);
      else add(valCell.label, 'NUMBER_INVALID', 'error', `“${indicator}”的数值不是有效数字：${text(valCell.value)}`, `The value of "${indicator}" is not a number: ${text(valCell.value)}`);
      continue;
    }
    if (!when) continue;
    const unitCell = cellOf(f, r, 'unit');
    const stated = text(unitCell.value) || p.unit || null;
    let value = p.value;
    const u = checkUnit(stated, target.unit);
    if (u.kind === 'mismatch') {
      add(unitCell.label || valCell.label, 'VALUE_UNIT_MISMATCH', 'error', `“${indicator}”的数值单位“${stated}”与目标单位“${target.unit}”不符`, `The value of "${indicator}" is in ${stated}, the target is in ${target.unit}`, { value_unit: stated, target_unit: target.unit });
      continue;
    }
    if (u.kind === 'converted') {
      value = Number((p.value * u.factor).toPrecision(12));
      add(unitCell.label || valCell.label, 'VALUE_UNIT_CONVERTED', 'warning', `“${indicator}”的数值以“${stated}”填写，已换算为目标单位“${target.unit}”：${p.value} → ${value}`, `The value of "${indicator}" was given in ${stated} and converted to the target's ${target.unit}: ${p.value} → ${value}`, { value_unit: stated, target_unit: target.unit });
    } else if (u.kind === 'counter') {
      add(unitCell.label || valCell.label, 'VALUE_UNIT_DIFFERS', 'warning', `“${indicator}”的数值单位“${stated}”与目标单位“${target.unit}”不同，按同一计数单位处理`, `The value of "${indicator}" is in ${stated}, the target in ${target.unit}; both are counts and were taken as the same`, { value_unit: stated, target_unit: target.unit });
    }
    if (when.date > today)
      add(dateCell.label || yearCell.label, 'VALUE_DATE_FUTURE', 'warning', `“${indicator}”的数值日期 ${when.date} 晚于今天（${today}）`, `The value of "${indicator}" is dated ${when.date}, after today (${today})`);
    if (target.baseline_year !== null && when.date <= `${target.baseline_year}-12-31`)
      add(dateCell.label || yearCell.label, 'VALUE_NOT_AFTER_BASELINE', 'warning', `“${indicator}”的数值（${when.date}）不晚于基线年份 ${target.baseline_year}，不计入进展`, `The value of "${indicator}" (${when.date}) is not after the baseline year ${target.baseline_year} and does not count towards progress`);
    out.push({
      file: f.name,
      row: r.row,
      indicator: target.indicator,
      date: when.date,
      precision: when.precision,
      value,
      note: text(cellOf(f, r, 'note').value) || null,
      evidence: text(cellOf(f, r, 'evidence').value) || null,
    });
  }
  return out;
}

/**
 * The plan period from the option, the name ("2024—2027年"), or the targets: it ends in the
 * last target year and starts the year after the earliest baseline — unknown without baselines
 * (tasks then have no default schedule rather than an invented one).
 */
function planPeriod(opts: PlanImportOptions, name: string, targets: TargetDraft[]): { from: number | null; to: number } | null {
  if (opts.period) return opts.period;
  const m = /((?:19|20)\d{2})\s*(?:年)?\s*[-—–~～至到_]+\s*((?:19|20)\d{2})/.exec(name);
  if (m && Number(m[2]) >= Number(m[1])) return { from: Number(m[1]), to: Number(m[2]) };
  const ends = targets.map((t) => t.target_year).filter((y): y is number => y !== null);
  const starts = targets.map((t) => t.baseline_year).filter((y): y is number => y !== null);
  if (!ends.length) return null;
  const to = Math.max(...ends);
  return { from: starts.length ? Math.min(Math.min(...starts) + 1, to) : null, to };
}

function defaultName(files: PlanImportFile[]): string {
  const base = path.basename(files[0]?.fileName ?? 'plan', path.extname(files[0]?.fileName ?? ''));
  return base.replace(/[_\-\s]*(targets?|tasks?|values?|目标|任务|数值)$/i, '') || base;
}

/**
 * Imports a plan from its tables. Data problems are issues in the result (ok false and nothing
 * written when any is an error); only bad usage (no file) throws.
 */
export async function importPlan(ctx: ServiceContext, files: PlanImportFile[], opts: PlanImportOptions = {}): Promise<PlanImportResult> {
  assertCanManage(ctx.actor);
  if (!files.length) throw new AppError('PLAN_FILES_MISSING', 400, '请至少提供一个文件（目标表、任务表或数值表）', 'Give at least one file (targets, tasks or values)');
  const issues = new Issues();
  const today = opts.today ?? todayIso();
  const failed = (): PlanImportResult => ({ ok: false, plan: null, targets: 0, tasks: 0, values: 0, issues: issues.list });

  const read: ReadFile[] = [];
  for (const f of files) {
    const r = await readFile(f, issues, ctx.config.maxImportBytes, ctx.config.readLimits);
    if (r) read.push(r);
  }
  const name = (opts.name ?? defaultName(files)).trim();
  const targetFiles = read.filter((f) => f.kind === 'targets');
  const taskFiles = read.filter((f) => f.kind === 'tasks');
  const valueFiles = read.filter((f) => f.kind === 'values');
  if (!targetFiles.length && !taskFiles.length && issues.errors === 0)
    issues.add(files[0].fileName, 0, '', 'PLAN_NO_TARGETS_OR_TASKS', 'error', '没有目标表或任务表：计划至少需要其一', 'Neither a targets nor a tasks table was given: a plan needs at least one');

  // The period gives target years a default, so it is read from the option or name first.
  const early = planPeriod(opts, name, []);
  const targets: TargetDraft[] = [];
  for (const f of targetFiles) targets.push(...parseTargets(f, issues, today, early?.to ?? null));
  const byIndicator = new Map<string, TargetDraft>();
  for (const t of targets) {
    const k = indicatorKey(t.indicator);
    const had = byIndicator.get(k);
    if (had) issues.add(t.file, t.row, '指标', 'TARGET_DUPLICATE', 'error', `指标“${t.indicator}”重复（${had.file} 第 ${had.row} 行已有）`, `The indicator "${t.indicator}" appears twice (already in ${had.file}, row ${had.row})`);
    else byIndicator.set(k, t);
  }
  const tasks: TaskDraft[] = [];
  for (const f of taskFiles) {
    for (const t of parseTasks(f, issues, today)) {
      const had = tasks.find((x) => x.number === t.number);
      if (had) issues.add(t.file, t.row, '任务编号', 'TASK_NUMBER_DUPLICATE', 'error', `任务编号 ${t.number} 重复（${had.file} 第 ${had.row} 行已使用）`, `Task number ${t.number} is used twice (already in ${had.file}, row ${had.row})`, { value: t.number });
      else tasks.push(t);
    }
  }
  const actions = new Map<string, string>();
  for (const t of tasks) if (t.action_number && !actions.has(t.action_number)) actions.set(t.action_number, t.action_title ?? t.action_number);
  for (const t of targets) {
    if (t.action_number && !actions.has(t.action_number)) {
      issues.add(t.file, t.row, '行动编号', 'TARGET_ACTION_UNKNOWN', 'warning', `“${t.indicator}”所属的行动 ${t.action_number} 不在任务表中，未关联`, `The action ${t.action_number} of "${t.indicator}" is not in the tasks table; the target is left unlinked`);
      t.action_number = null;
    }
  }
  const values: ValueDraft[] = [];
  for (const f of valueFiles) values.push(...parseValues(f, issues, byIndicator, today));

  let regionId: number | null = null;
  if (opts.region) {
    const found = await regionsNamed(ctx.db, opts.region.trim());
    if (!found.length) issues.add('', 0, '', 'REGION_UNKNOWN', 'error', `未知的地区：${opts.region}`, `Unknown region: ${opts.region}`);
    // Provinces sort first: a municipality's plan (北京) covers the province and its one city.
    else regionId = found[0].id;
  } else if (targets.some((t) => t.value_source === 'registry')) {
    issues.add('', 0, '', 'PLAN_REGION_MISSING', 'warning', '计划未指定地区，登记库指标将统计全部地区的记录', 'The plan has no region: registry measures will count records of every region');
  }
  if (!name) issues.add('', 0, '', 'PLAN_NAME_MISSING', 'error', '计划名称为空', 'The plan name is empty');
  else if (await planByName(ctx.db, name))
    issues.add('', 0, '', 'PLAN_NAME_TAKEN', 'error', `已有同名计划：${name}（如需重新导入，请先删除原计划）`, `A plan named ${name} exists already (delete it first to import it again)`);

  if (issues.errors > 0) return failed();
  const period = planPeriod(opts, name, targets);
  try {
    const planId = await ctx.db.transaction((tx) => writePlan(tx, ctx, { name, regionId, period, opts, targets, tasks, values, actions }));
    return { ok: true, plan: planId, targets: targets.length, tasks: tasks.length, values: values.length, issues: issues.list };
  } catch (e) {
    // Another import of the same name won the race.
    if ((e as { code?: string }).code === '23505') {
      issues.add('', 0, '', 'PLAN_NAME_TAKEN', 'error', `已有同名计划：${name}`, `A plan named ${name} exists already`);
      return failed();
    }
    throw e;
  }
}

async function writePlan(
  tx: Sql,
  ctx: ServiceContext,
  p: {
    name: string;
    regionId: number | null;
    period: { from: number | null; to: number } | null;
    opts: PlanImportOptions;
    targets: TargetDraft[];
    tasks: TaskDraft[];
    values: ValueDraft[];
    actions: Map<string, string>;
  },
): Promise<number> {
  const planId = await insertPlan(tx, {
    name: p.name,
    region_id: p.regionId,
    period_start: p.period?.from ? `${p.period.from}-01-01` : null,
    period_end: p.period ? `${p.period.to}-12-31` : null,
    owner: p.opts.owner ?? null,
    config: p.opts.config ?? {},
    created_by: ctx.actor.name,
  });
  const actionIds = new Map<string, number>();
  let pos = 0;
  for (const [number, title] of p.actions) actionIds.set(number, await insertAction(tx, planId, { number, title, position: pos++ }));
  const targetIds = new Map<string, number>();
  pos = 0;
  for (const t of p.targets) {
    const { file: _f, row: _r, action_number, ...rest } = t;
    targetIds.set(t.indicator, await insertTarget(tx, planId, { ...rest, action_id: action_number ? (actionIds.get(action_number) ?? null) : null, position: pos++ }));
  }
  pos = 0;
  for (const t of p.tasks) {
    const { file: _f, row: _r, action_number, action_title: _t, ...rest } = t;
    await insertTask(tx, planId, { ...rest, action_id: action_number ? (actionIds.get(action_number) ?? null) : null, position: pos++ });
  }
  for (const v of p.values) {
    await insertValue(tx, {
      target_id: targetIds.get(v.indicator)!,
      date: v.date,
      precision: v.precision,
      value: v.value,
      note: v.note,
      evidence: v.evidence,
      entered_by: ctx.actor.name,
    });
  }
  return planId;
}

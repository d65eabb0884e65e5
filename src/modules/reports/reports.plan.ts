/**
 * The quarterly report of an action plan (issue 6): the status board (every target with its
 * status, ratio and forecast), the tasks of each responsible unit with their overdue flags,
 * and the supervision list (督办), as of a date. The figures are the plans service's status
 * board and supervision list, so the report says what `innolink plan status` says.
 */
import type { ServiceContext } from '../../http/context.ts';
import { ESCALATION_LABELS, quarterOf, STATUS_LABELS, TASK_STATUS_LABELS, type EscalationLevel, type ProgressStatus, type TaskStatus } from '../plans/engine/index.ts';
import type { BoardTask, PlanBoard, PlanTree, Supervision } from '../plans/plans.schema.ts';
import { planBoard, planSupervision, planTree } from '../plans/plans.service.ts';
import type { ReportDocument, ReportRow, ReportSection, RowTone } from './reports.document.ts';

export interface PlanReportData {
  tree: PlanTree;
  board: PlanBoard;
  supervision: Supervision;
}

export const PLAN_STEPS = ['plan', 'status', 'supervision'] as const;

/** Gathers the plan's tree, status board and supervision list as of a date. */
export async function planReportData(ctx: ServiceContext, ref: string | number, asOf: string, progress: (step: string) => void = () => undefined): Promise<PlanReportData> {
  progress('plan');
  const tree = await planTree(ctx, ref);
  progress('status');
  const board = await planBoard(ctx, tree.id, asOf);
  progress('supervision');
  const supervision = await planSupervision(ctx, tree.id, asOf);
  return { tree, board, supervision };
}

const STATUS_ORDER: ProgressStatus[] = ['achieved', 'on_track', 'acceleration_needed', 'limited', 'deterioration', 'no_data'];
const STATUS_COLORS: Record<ProgressStatus, string> = {
  achieved: '#3ba272',
  on_track: '#91cc75',
  acceleration_needed: '#fac858',
  limited: '#fc8452',
  deterioration: '#ee6666',
  no_data: '#c0c4cc',
};
const STATUS_TONE: Record<ProgressStatus, RowTone | undefined> = {
  achieved: 'good',
  on_track: 'good',
  acceleration_needed: 'warn',
  limited: 'bad',
  deterioration: 'bad',
  no_data: undefined,
};
const TASK_ORDER: TaskStatus[] = ['completed', 'in_progress', 'not_started', 'blocked'];

const statusText = (s: ProgressStatus) => `${STATUS_LABELS[s].zh} / ${STATUS_LABELS[s].en}`;
/** Short status names for table cells (the long ones label the chart and the explanations). */
export const SHORT_STATUS: Readonly<Record<ProgressStatus, string>> = {
  achieved: '已实现 / achieved',
  on_track: '进展顺利 / on track',
  acceleration_needed: '需加快 / acceleration needed',
  limited: '进展有限 / limited',
  deterioration: '倒退 / deterioration',
  no_data: '无数据 / no data',
};
const taskStatusText = (s: string) => {
  const l = TASK_STATUS_LABELS[s as TaskStatus];
  return l ? `${l.zh} / ${l.en}` : s;
};
const escalationText = (e: number) => {
  const l = ESCALATION_LABELS[e as EscalationLevel];
  return l ? `${l.zh} / ${l.en}` : String(e);
};
const NO_UNIT = '（未指定责任单位）/ (no responsible unit)';

/** "2025年第2季度" / "2025 Q2" of the as-of date. */
export function quarterLabel(asOf: string): { zh: string; en: string } {
  const q = quarterOf(asOf);
  return { zh: `${q.year}年第${q.quarter}季度`, en: `${q.year} Q${q.quarter}` };
}

function taskTone(t: BoardTask): RowTone | undefined {
  if (t.overdue || t.escalation === 2) return 'bad';
  if (t.off_track || t.escalation === 1 || t.status === 'blocked') return 'warn';
  if (t.status === 'completed') return 'good';
  return undefined;
}

const overdueText = (t: BoardTask) => (t.overdue ? `逾期 ${t.days_overdue} 天 / overdue ${t.days_overdue} d` : t.off_track ? '进度滞后 / behind' : '—');

function overviewSection(d: PlanReportData): ReportSection {
  const s = d.board.summary;
  const attention = s.targets.acceleration_needed + s.targets.limited + s.targets.deterioration;
  return {
    title: { zh: '总体情况', en: 'Overview' },
    blocks: [
      {
        type: 'figures',
        items: [
          { label: { zh: '量化目标', en: 'Targets' }, value: String(s.targets.total) },
          { label: { zh: '已实现或进展顺利', en: 'Achieved or on track' }, value: String(s.targets.achieved + s.targets.on_track) },
          { label: { zh: '需加快、进展有限或倒退', en: 'Need attention' }, value: String(attention) },
          { label: { zh: '无数据', en: 'No data' }, value: String(s.targets.no_data) },
          { label: { zh: '任务', en: 'Tasks' }, value: String(s.tasks.total) },
          { label: { zh: '已完成', en: 'Completed' }, value: String(s.tasks.completed) },
          { label: { zh: '逾期', en: 'Overdue' }, value: String(s.tasks.overdue) },
          { label: { zh: '督办（标记/升级）', en: 'Supervised (flagged/escalated)' }, value: `${s.tasks.flagged}/${s.tasks.escalated}` },
        ],
      },
      {
        type: 'chart',
        kind: 'donut',
        title: { zh: '目标进展状态', en: 'Target status' },
        categories: STATUS_ORDER.map(statusText),
        series: [{ name: { zh: '目标数', en: 'Targets' }, values: STATUS_ORDER.map((k) => s.targets[k]) }],
        colors: STATUS_ORDER.map((k) => STATUS_COLORS[k]),
      },
      {
        type: 'chart',
        kind: 'pie',
        title: { zh: '任务状态', en: 'Task status' },
        categories: TASK_ORDER.map(taskStatusText),
        series: [{ name: { zh: '任务数', en: 'Tasks' }, values: TASK_ORDER.map((k) => s.tasks[k]) }],
        colors: ['#3ba272', '#5470c6', '#c0c4cc', '#ee6666'],
      },
      {
        type: 'table',
        sheet: '领域汇总 By area',
        title: { zh: '按目标领域汇总', en: 'Targets by area' },
        columns: [
          { key: 'area', zh: '目标领域', en: 'Area', width: 3 },
          { key: 'total', zh: '目标数', en: 'Targets', kind: 'int' },
          ...STATUS_ORDER.map((k) => ({ key: k, zh: STATUS_LABELS[k].zh, en: STATUS_LABELS[k].en, kind: 'int' as const })),
        ],
        rows: [
          ...s.targets_by_area.map((g) => ({ cells: { area: g.group, ...g.counts } })),
          { cells: { area: '合计 / Total', ...s.targets }, tone: 'total' as const },
        ],
      },
    ],
  };
}

function boardSection(d: PlanReportData): ReportSection {
  const rows: ReportRow[] = d.board.targets.map((t, i) => ({
    cells: {
      n: i + 1,
      indicator: t.indicator,
      unit: t.unit,
      baseline: t.baseline,
      baseline_year: t.baseline_year,
      target: t.target,
      target_year: t.target_year,
      latest: t.latest,
      latest_date: t.latest_date,
      status: SHORT_STATUS[t.status],
      ratio: t.ratio,
      forecast: t.forecast,
    },
    tone: STATUS_TONE[t.status],
  }));
  return {
    title: { zh: '目标进展', en: 'Status board' },
    blocks: [
      {
        type: 'paragraph',
        tone: 'note',
        text: {
          zh: '进展状态按加拿大统计局（Open SDG）的进展度量：观测复合增长率与实现目标所需增长率之比 R（按目标方向取号）；R ≥ 95% 进展顺利，60%–95% 需加快，0–60% 进展有限，R < 0 倒退。预测为按当前趋势推算的目标年份数值。',
          en: "Status by Statistics Canada's progress measure (as Open SDG implements it): the ratio R of the observed compound growth rate to the rate required to meet the target (signed by the desired direction); R ≥ 95 % on track, 60–95 % acceleration needed, 0–60 % limited progress, R < 0 deterioration. The forecast is the value at the target year on the current trend.",
        },
      },
      {
        type: 'table',
        sheet: '目标状态 Targets',
        title: { zh: '量化目标进展状态', en: 'Target status' },
        columns: [
          { key: 'n', zh: '序号', en: 'No.', kind: 'int', width: 0.45 },
          { key: 'indicator', zh: '指标', en: 'Indicator', width: 2.4 },
          { key: 'unit', zh: '单位', en: 'Unit', width: 0.5 },
          { key: 'baseline', zh: '基线值', en: 'Baseline', kind: 'number', digits: 2, width: 0.8 },
          { key: 'baseline_year', zh: '基线年', en: 'Base year', kind: 'int', width: 0.65 },
          { key: 'target', zh: '目标值', en: 'Target', kind: 'number', digits: 2, width: 0.8 },
          { key: 'target_year', zh: '目标年', en: 'Year', kind: 'int', width: 0.6 },
          { key: 'latest', zh: '最新值', en: 'Latest', kind: 'number', digits: 2, width: 0.8 },
          { key: 'latest_date', zh: '日期', en: 'Date', width: 1 },
          { key: 'status', zh: '状态', en: 'Status', width: 1.9 },
          { key: 'ratio', zh: '比值R', en: 'Ratio R', kind: 'percent', width: 0.75 },
          { key: 'forecast', zh: '预测值', en: 'Forecast', kind: 'number', digits: 2, width: 0.8 },
        ],
        rows,
      },
      {
        type: 'table',
        sheet: '状态说明 Explanations',
        title: { zh: '状态与预测说明', en: 'Status and forecast explained' },
        columns: [
          { key: 'indicator', zh: '指标', en: 'Indicator', width: 1.3 },
          { key: 'explanation', zh: '状态说明', en: 'Status explained', width: 3.2 },
          { key: 'forecast', zh: '预测说明', en: 'Forecast explained', width: 2.4 },
        ],
        rows: d.board.targets.map((t) => ({ cells: { indicator: t.indicator, explanation: t.explanation_zh, forecast: t.forecast_explanation_zh }, tone: STATUS_TONE[t.status] })),
      },
    ],
  };
}

function tasksSection(d: PlanReportData): ReportSection {
  const byUnit = new Map<string, BoardTask[]>();
  for (const t of d.board.tasks) {
    for (const u of t.responsible.length ? [...new Set(t.responsible)] : [NO_UNIT]) {
      const list = byUnit.get(u) ?? [];
      list.push(t);
      byUnit.set(u, list);
    }
  }
  const units = [...byUnit.keys()].sort((a, b) => (a === NO_UNIT ? 1 : b === NO_UNIT ? -1 : a.localeCompare(b, 'zh-CN')));
  const rows: ReportRow[] = units.flatMap((u) =>
    byUnit.get(u)!.map((t) => ({
      cells: {
        unit: u,
        id: t.id,
        title: t.title,
        due: t.due,
        status: taskStatusText(t.status),
        percent: t.percent / 100,
        overdue: overdueText(t),
        escalation: escalationText(t.escalation),
      },
      tone: taskTone(t),
    })),
  );
  const summary = d.board.summary.tasks_by_unit;
  return {
    title: { zh: '任务与责任单位', en: 'Tasks by responsible unit' },
    blocks: [
      {
        type: 'chart',
        kind: 'bar',
        title: { zh: '各责任单位任务与逾期', en: 'Tasks and overdue tasks per responsible unit' },
        categories: summary.map((u) => u.unit || '未指定 / none'),
        series: [
          { name: { zh: '任务', en: 'Tasks' }, values: summary.map((u) => u.counts.total) },
          { name: { zh: '逾期', en: 'Overdue' }, values: summary.map((u) => u.counts.overdue) },
        ],
        colors: ['#5470c6', '#ee6666'],
      },
      {
        type: 'table',
        sheet: '单位汇总 By unit',
        title: { zh: '按责任单位汇总', en: 'Tasks per responsible unit' },
        columns: [
          { key: 'unit', zh: '责任单位', en: 'Responsible unit', width: 2.6 },
          { key: 'total', zh: '任务', en: 'Tasks', kind: 'int' },
          { key: 'completed', zh: '已完成', en: 'Done', kind: 'int' },
          { key: 'in_progress', zh: '推进中', en: 'In progress', kind: 'int' },
          { key: 'not_started', zh: '未启动', en: 'Not started', kind: 'int' },
          { key: 'blocked', zh: '受阻', en: 'Blocked', kind: 'int' },
          { key: 'overdue', zh: '逾期', en: 'Overdue', kind: 'int' },
          { key: 'flagged', zh: '标记督办', en: 'Flagged', kind: 'int' },
          { key: 'escalated', zh: '升级督办', en: 'Escalated', kind: 'int' },
        ],
        rows: summary.map((u) => ({ cells: { unit: u.unit || NO_UNIT, ...u.counts }, tone: u.counts.overdue > 0 ? ('bad' as const) : undefined })),
      },
      {
        type: 'table',
        sheet: '任务 Tasks',
        title: { zh: '各责任单位的任务', en: 'Tasks of each responsible unit' },
        columns: [
          { key: 'unit', zh: '责任单位', en: 'Responsible unit', width: 1.5 },
          { key: 'id', zh: '编号', en: 'No.', width: 0.45 },
          { key: 'title', zh: '任务', en: 'Task', width: 2.6 },
          { key: 'due', zh: '完成时限', en: 'Due', width: 0.95 },
          { key: 'status', zh: '状态', en: 'Status', width: 1.1 },
          { key: 'percent', zh: '完成', en: 'Done', kind: 'percent', digits: 0, width: 0.6 },
          { key: 'overdue', zh: '逾期', en: 'Overdue', width: 1.1 },
          { key: 'escalation', zh: '督办', en: 'Supervision', width: 1 },
        ],
        rows,
      },
    ],
  };
}

function supervisionSection(d: PlanReportData): ReportSection {
  const sup = d.supervision;
  const taskRows: ReportRow[] = sup.units.flatMap((u) =>
    u.tasks.map((t) => ({
      cells: {
        unit: u.unit ?? NO_UNIT,
        id: t.id,
        title: t.title,
        escalation: escalationText(t.escalation),
        reason: t.triggers.map((x) => x.detail_zh).join('；') || t.explanation_zh,
      },
      tone: t.escalation === 2 ? ('bad' as const) : ('warn' as const),
    })),
  );
  return {
    title: { zh: '督办事项', en: 'Supervision' },
    blocks: [
      {
        type: 'paragraph',
        tone: taskRows.length || sup.targets.length ? 'warn' : 'note',
        text: {
          zh: `截至 ${sup.as_of}，需督办的任务 ${new Set(taskRows.map((r) => r.cells.id)).size} 项（涉及 ${sup.units.length} 个责任单位），需关注的目标 ${sup.targets.length} 个（倒退、进展有限或已过期未实现）。`,
          en: `As of ${sup.as_of}, ${new Set(taskRows.map((r) => r.cells.id)).size} tasks are under supervision (${sup.units.length} responsible units) and ${sup.targets.length} targets need attention (deterioration, limited progress, or missed).`,
        },
      },
      {
        type: 'table',
        sheet: '督办任务 Supervised tasks',
        title: { zh: '督办任务（按责任单位）', en: 'Supervised tasks by responsible unit' },
        columns: [
          { key: 'unit', zh: '责任单位', en: 'Responsible unit', width: 1.4 },
          { key: 'id', zh: '编号', en: 'No.', width: 0.45 },
          { key: 'title', zh: '任务', en: 'Task', width: 2.2 },
          { key: 'escalation', zh: '督办级别', en: 'Level', width: 1 },
          { key: 'reason', zh: '原因', en: 'Reason', width: 3 },
        ],
        rows: taskRows,
      },
      {
        type: 'table',
        sheet: '关注目标 Targets at risk',
        title: { zh: '需关注的目标', en: 'Targets that need attention' },
        columns: [
          { key: 'indicator', zh: '指标', en: 'Indicator', width: 1.6 },
          { key: 'status', zh: '状态', en: 'Status', width: 1.4 },
          { key: 'explanation', zh: '说明', en: 'Explanation', width: 4 },
        ],
        rows: sup.targets.map((t) => ({ cells: { indicator: t.indicator, status: SHORT_STATUS[t.status], explanation: t.explanation_zh }, tone: STATUS_TONE[t.status] ?? 'bad' })),
      },
    ],
  };
}

/** The quarterly report as a document. */
export function planDocument(d: PlanReportData, generatedAt: string): ReportDocument {
  const q = quarterLabel(d.board.as_of);
  const t = d.tree;
  const period = t.period_start || t.period_end ? `${t.period_start ?? '…'} – ${t.period_end ?? '…'}` : '—';
  return {
    title: { zh: `${t.name} ${q.zh}监测报告`, en: `Action-plan quarterly monitoring report, ${q.en}` },
    subtitle: { zh: `截至 ${d.board.as_of}`, en: `as of ${d.board.as_of}` },
    header: { zh: `${t.name} ${q.zh}`, en: `Quarterly report ${q.en}` },
    meta: [
      { label: { zh: '行动计划', en: 'Plan' }, value: `${t.name}（#${t.id}）` },
      { label: { zh: '地区', en: 'Region' }, value: t.region?.name ?? '—' },
      { label: { zh: '牵头部门', en: 'Owner' }, value: t.owner ?? '—' },
      { label: { zh: '计划期', en: 'Plan period' }, value: period },
      { label: { zh: '评估日期', en: 'As of' }, value: d.board.as_of },
    ],
    sections: [overviewSection(d), boardSection(d), tasksSection(d), supervisionSection(d)],
    generatedAt,
  };
}

/**
 * XLSX export of an evaluation run: one sheet per table, so every published number can be traced
 * in a spreadsheet — results with rank intervals, weights, method choices and provenance, every
 * intermediate data table (raw → denominated → imputed → screened → treated → normalised →
 * aggregated), the uncertainty and sensitivity analysis, leave-one-out, and warnings.
 */
import ExcelJS from 'exceljs';
import type { CompositeResult, DataTable, UncertaintySummary } from './engine/index.ts';
import type { LeaveOneOutResult } from './engine/index.ts';
import type { NodeDto, RunDetail } from './indicators.schema.ts';

type Cell = string | number | boolean | null;

function addSheet(wb: ExcelJS.Workbook, name: string, header: string[], rows: Cell[][]): void {
  const ws = wb.addWorksheet(name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow(header).font = { bold: true };
  for (const r of rows) ws.addRow(r.map((v) => (v === null ? null : v)));
  header.forEach((h, i) => (ws.getColumn(i + 1).width = Math.min(40, Math.max(10, h.length + 2))));
}

function tableSheet(wb: ExcelJS.Workbook, name: string, t: DataTable): void {
  const header = ['单位 / uCode', '名称 / uName', ...(t.times ? ['时间 / Time'] : []), ...t.codes];
  const rows = t.units.map((u, i) => [u, t.unitNames?.[i] ?? null, ...(t.times ? [t.times[i]] : []), ...t.values[i]]);
  addSheet(wb, name, header, rows);
}

/** The workbook of a run as a buffer. */
export async function runWorkbook(run: RunDetail, result: CompositeResult, nodes: readonly NodeDto[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'innolink';
  const dims = Object.keys(run.units[0]?.dimensions ?? {});
  const name = new Map(nodes.map((n) => [n.code, n.name]));

  addSheet(
    wb,
    '结果 Results',
    ['排名 / Rank', '单位 / Unit', '名称 / Name', '得分 / Score', '中位排名 / Median rank', '排名区间下限 / Rank low', '排名区间上限 / Rank high', ...dims.flatMap((d) => [`${d} 得分 / score`, `${d} 排名 / rank`])],
    run.units.map((u) => [u.rank, u.unit, u.name, u.score, u.median_rank, u.rank_interval?.[0] ?? null, u.rank_interval?.[1] ?? null, ...dims.flatMap((d) => [u.dimensions[d]?.score ?? null, u.dimensions[d]?.rank ?? null])]),
  );

  addSheet(
    wb,
    '权重 Weights',
    ['代码 / Code', '名称 / Name', '类型 / Type', '上级 / Parent', '方向 / Direction', '同级权重 / Weight among siblings', '有效权重 / Effective weight'],
    nodes
      .filter((n) => n.type === 'indicator' || n.type === 'aggregate')
      .map((n) => [n.code, n.name, n.type, n.parent, n.direction, run.node_weights[n.code] ?? null, n.type === 'indicator' ? (run.weights[n.code] ?? null) : null]),
  );

  const provenance: [string, Cell][] = [
    ['运行 / Run', run.id],
    ['标签 / Label', run.label],
    ['指标框架 / Framework', `${run.framework.key} (${run.framework.name})`],
    ['框架版本 / Version', run.version],
    ['数据集 / Data set', `${run.dataset.id} ${run.dataset.name}`],
    ['数据哈希 / Data SHA-256', run.data_hash],
    ['随机种子 / Seed', run.seed],
    ['引擎版本 / Engine version', run.engine_version],
    ['单位数 / Units in → out', `${run.units_in} → ${run.units_out}`],
    ['蒙特卡洛次数 / Replications', run.replications],
    ['创建者 / Created by', run.created_by],
    ['创建时间 / Created at', run.created_at],
  ];
  for (const [k, v] of Object.entries(run.methods)) provenance.push([`方法 / Method: ${k}`, v === null || v === undefined ? null : JSON.stringify(v)]);
  addSheet(wb, '方法 Methods', ['项目 / Item', '值 / Value'], provenance);

  const t = result.intermediate;
  tableSheet(wb, '原始 Raw', t.raw);
  tableSheet(wb, '折算 Denominated', t.denominated);
  tableSheet(wb, '插补 Imputed', t.imputed);
  tableSheet(wb, '筛选 Screened', t.screened);
  tableSheet(wb, '处理 Treated', t.treated);
  tableSheet(wb, '标准化 Normalised', t.normalised);
  tableSheet(wb, '汇总 Aggregated', t.aggregated);

  const params = result.diagnostics.normalise.params;
  const keys = [...new Set(Object.values(params).flatMap((p) => Object.keys(p)))];
  addSheet(wb, '标准化参数 Norm params', ['指标 / Indicator', '名称 / Name', ...keys], Object.entries(params).map(([c, p]) => [c, name.get(c) ?? null, ...keys.map((k) => p[k] ?? null)]));

  const u = (run.diagnostics?.uncertainty ?? null) as UncertaintySummary | null;
  if (u) {
    addSheet(
      wb,
      '不确定性 Uncertainty',
      ['单位 / Unit', '名义排名 / Nominal rank', '中位排名 / Median rank', '平均排名 / Mean rank', `排名下限 / Rank q${u.quantiles[0]}`, `排名上限 / Rank q${u.quantiles[1]}`],
      u.units.map((x) => [x.unit, x.nominal_rank, x.median_rank, x.mean_rank, x.rank_interval[0], x.rank_interval[1]]),
    );
    addSheet(wb, '敏感性 Sensitivity', ['因素 / Factor', '一阶指数 / First order S_i', '总效应指数 / Total S_Ti'], (u.sensitivity ?? []).map((s) => [s.factor, s.first, s.total]));
  }
  const loo = (run.diagnostics?.leave_one_out ?? null) as LeaveOneOutResult[] | null;
  if (loo) {
    addSheet(wb, '留一 Leave one out', ['去掉的指标 / Indicator left out', '平均排名变化 / Mean |Δrank|', '最大排名变化 / Max |Δrank|'], loo.map((l) => [l.indicator, l.mean_abs_shift, l.max_abs_shift]));
  }
  addSheet(wb, '警告 Warnings', ['代码 / Code', '说明 / Message', 'Message'], run.warnings.map((w) => [w.code, w.message, w.message_en]));

  return Buffer.from(await wb.xlsx.writeBuffer());
}

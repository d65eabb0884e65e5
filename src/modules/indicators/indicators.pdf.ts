/**
 * PDF summary of an evaluation run (issue 5, "Export results … PDF summary"): framework and
 * version, data set, method choices and seed, the ranking with rank intervals, a bar chart of the
 * top units, the dimension scores, and the warnings and diagnostics in words — Chinese first,
 * English beside. Composed as a report document (src/modules/reports/reports.document.ts) and
 * laid out by the reports' PDF layer, so it uses the same fonts, tables and charts as the reports.
 * The figures are the stored run's (what GET /api/indicators/runs/:id answers); the XLSX export
 * carries every intermediate table.
 */
import type { ReportBlock, ReportDocument, ReportRow, ReportSection, Text2 } from '../reports/reports.document.ts';
import { renderPdf } from '../reports/pdf/pdf.writer.ts';
import type { CompositeResult, LeaveOneOutResult, UncertaintySummary } from './engine/index.ts';
import type { NodeDto, RunDetail } from './indicators.schema.ts';

/** Units shown in the bar chart of the top of the ranking. */
export const PDF_TOP_UNITS = 15;
/** Dimensions shown as columns of the dimension table (the index's children first). */
const MAX_DIMENSIONS = 8;

const METHOD_LABELS: Record<string, Text2> = {
  denominate: { zh: '分母折算', en: 'Denomination' },
  impute: { zh: '缺失值插补', en: 'Imputation' },
  screen: { zh: '数据可得性筛选', en: 'Screening' },
  treat: { zh: '异常值处理', en: 'Outlier treatment' },
  normalise: { zh: '标准化', en: 'Normalisation' },
  weights: { zh: '权重', en: 'Weights' },
  aggregate: { zh: '汇总', en: 'Aggregation' },
  zeroVariance: { zh: '零方差指标', en: 'Zero-variance indicators' },
  time: { zh: '时间', en: 'Time' },
  uncertainty: { zh: '不确定性分析', en: 'Uncertainty analysis' },
};

const FACTOR_LABELS: Record<string, string> = {
  weights: '权重 / weights',
  normalise: '标准化 / normalisation',
  aggregate: '汇总 / aggregation',
  impute: '插补 / imputation',
};

const num = (x: number | null | undefined, d = 2) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(d) : '—');

/** A method choice in one line: "minmax (range 0–100)" style from the stored JSON. */
export function describeMethod(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v !== 'object') return String(v);
  const o = v as Record<string, unknown>;
  const head = typeof o.method === 'string' ? o.method : '';
  const rest = Object.entries(o)
    .filter(([k, x]) => k !== 'method' && x !== undefined && x !== null)
    .map(([k, x]) => `${k}=${typeof x === 'object' ? JSON.stringify(x) : String(x)}`);
  const s = [head, rest.length ? `(${rest.join(', ')})` : ''].filter(Boolean).join(' ');
  return s.length > 400 ? `${s.slice(0, 400)}…` : s || JSON.stringify(v);
}

function unitLabel(u: { unit: string; name: string | null }): string {
  return u.name && u.name !== u.unit ? `${u.unit} ${u.name}` : u.unit;
}

function nodeLabel(n: NodeDto | undefined, code: string): string {
  if (!n) return code;
  const names = [n.name, n.name_en && n.name_en !== n.name ? n.name_en : null].filter(Boolean).join(' / ');
  return names ? `${code} ${names}` : code;
}

/** The dimensions shown as columns: the index's children, else the first stored ones. */
function dimensionsOf(run: RunDetail, nodes: readonly NodeDto[]): string[] {
  const stored = Object.keys(run.units[0]?.dimensions ?? {});
  const root = nodes.find((n) => n.parent === null && n.type !== 'indicator');
  const top = root ? stored.filter((d) => nodes.find((n) => n.code === d)?.parent === root.code) : [];
  return (top.length ? top : stored).slice(0, MAX_DIMENSIONS);
}

/** The report document of a run's PDF summary. */
export function runSummaryDocument(run: RunDetail, result: CompositeResult, nodes: readonly NodeDto[], generatedAt = new Date().toISOString()): ReportDocument {
  const byCode = new Map(nodes.map((n) => [n.code, n]));
  const ranked = run.units.filter((u) => u.rank !== null && u.score !== null).sort((a, b) => a.rank! - b.rank!);
  const unranked = run.units.filter((u) => u.rank === null || u.score === null);
  const withIntervals = run.units.some((u) => u.rank_interval !== null);
  const unc = (run.diagnostics?.uncertainty ?? null) as UncertaintySummary | null;
  const loo = (run.diagnostics?.leave_one_out ?? null) as LeaveOneOutResult[] | null;
  const dims = dimensionsOf(run, nodes);
  const indicators = nodes.filter((n) => n.type === 'indicator');
  const sections: ReportSection[] = [];

  // --- overview --------------------------------------------------------------------------------
  const top = ranked[0];
  const overview: ReportBlock[] = [
    {
      type: 'figures',
      items: [
        { label: { zh: '参评单位', en: 'Units ranked' }, value: `${ranked.length} / ${run.units_in}` },
        { label: { zh: '指标数', en: 'Indicators' }, value: String(indicators.length) },
        { label: { zh: '第一名', en: 'Top unit' }, value: top ? top.unit : '—' },
        { label: { zh: '第一名得分', en: 'Top score' }, value: top ? num(top.score) : '—' },
      ],
    },
  ];
  if (top) {
    const second = ranked[1];
    const gap = second ? ` 领先第二名 ${second.unit}（${num(second.score)}）${num(top.score! - second.score!)} 分。` : '';
    const gapEn = second ? ` ahead of ${second.unit} (${num(second.score)}) by ${num(top.score! - second.score!)} points.` : '';
    overview.push({
      type: 'paragraph',
      text: {
        zh: `本次运行对 ${run.units_in} 个单位中的 ${ranked.length} 个给出综合得分；${unitLabel(top)} 排名第一，得分 ${num(top.score)}。${gap}`,
        en: `This run scores ${ranked.length} of ${run.units_in} units; ${unitLabel(top)} ranks first with ${num(top.score)}${second ? ',' : '.'}${gapEn}`,
      },
    });
  }
  sections.push({ title: { zh: '概览', en: 'Overview' }, blocks: overview });

  // --- methods ---------------------------------------------------------------------------------
  const methodRows: ReportRow[] = [
    { cells: { item: '指标框架 / Framework', value: `${run.framework.key}（${run.framework.name}）v${run.version}` } },
    { cells: { item: '数据集 / Data set', value: `#${run.dataset.id} ${run.dataset.name}` } },
    { cells: { item: '数据 SHA-256 / Data hash', value: run.data_hash } },
    { cells: { item: '随机种子 / Seed', value: String(run.seed) } },
    { cells: { item: '引擎版本 / Engine version', value: run.engine_version } },
    { cells: { item: '蒙特卡洛次数 / Replications', value: run.replications === null ? '—（未做不确定性分析 / no uncertainty analysis）' : String(run.replications) } },
  ];
  for (const [k, v] of Object.entries(run.methods)) {
    if (v === null || v === undefined) continue;
    const l = METHOD_LABELS[k] ?? { zh: k, en: k };
    methodRows.push({ cells: { item: `${l.zh} / ${l.en}`, value: describeMethod(v) } });
  }
  sections.push({
    title: { zh: '框架、数据与方法', en: 'Framework, data and methods' },
    blocks: [
      {
        type: 'table',
        sheet: '方法 Methods',
        title: { zh: '方法选择与可复现信息', en: 'Method choices and reproducibility' },
        columns: [
          { key: 'item', zh: '项目', en: 'Item', width: 1.3 },
          { key: 'value', zh: '值', en: 'Value', width: 3 },
        ],
        rows: methodRows,
        note: {
          zh: `按保存的框架版本、数据与种子可精确重算：innolink eval reproduce ${run.id}。`,
          en: `The stored framework version, data and seed reproduce the run exactly: innolink eval reproduce ${run.id}.`,
        },
      },
    ],
  });

  // --- ranking ---------------------------------------------------------------------------------
  const chartUnits = ranked.slice(0, PDF_TOP_UNITS);
  const rankingBlocks: ReportBlock[] = [];
  if (chartUnits.length) {
    rankingBlocks.push({
      type: 'chart',
      kind: 'bar',
      title: { zh: `得分前 ${chartUnits.length} 名`, en: `Top ${chartUnits.length} units by score` },
      unit: { zh: '得分', en: 'score' },
      categories: chartUnits.map((u) => u.unit),
      series: [{ name: { zh: '综合得分', en: 'Index score' }, values: chartUnits.map((u) => u.score) }],
    });
  }
  rankingBlocks.push({
    type: 'table',
    sheet: '排名 Ranking',
    title: { zh: '综合得分与排名', en: 'Scores and ranks' },
    columns: [
      { key: 'rank', zh: '排名', en: 'Rank', kind: 'int' },
      { key: 'unit', zh: '单位', en: 'Unit' },
      { key: 'name', zh: '名称', en: 'Name', width: 2 },
      { key: 'score', zh: '得分', en: 'Score', kind: 'number', digits: 2 },
      ...(withIntervals
        ? [
            { key: 'median', zh: '中位排名', en: 'Median rank', kind: 'number' as const, digits: 1 },
            { key: 'interval', zh: '排名区间', en: 'Rank interval' },
          ]
        : []),
    ],
    rows: [...ranked, ...unranked].map((u) => ({
      cells: {
        rank: u.rank,
        unit: u.unit,
        name: u.name,
        score: u.score,
        median: u.median_rank,
        interval: u.rank_interval ? `[${u.rank_interval[0]}, ${u.rank_interval[1]}]` : null,
      },
      tone: u.rank === null ? ('warn' as const) : undefined,
    })),
    note: withIntervals && unc
      ? {
          zh: `排名区间为 ${unc.replications} 次蒙特卡洛模拟（因素：${unc.factors.map((f) => FACTOR_LABELS[f] ?? f).join('、')}）排名的 ${unc.quantiles[0] * 100}%–${unc.quantiles[1] * 100}% 分位数。`,
          en: `Rank intervals are the ${unc.quantiles[0] * 100}–${unc.quantiles[1] * 100} % quantiles of the ranks over ${unc.replications} Monte-Carlo replications (factors: ${unc.factors.join(', ')}).`,
        }
      : { zh: '本次运行未做不确定性分析，无排名区间。', en: 'No uncertainty analysis in this run, hence no rank intervals.' },
  });
  sections.push({ title: { zh: '排名', en: 'Ranking' }, blocks: rankingBlocks });

  // --- dimensions ------------------------------------------------------------------------------
  if (dims.length) {
    sections.push({
      title: { zh: '维度得分', en: 'Dimension scores' },
      blocks: [
        {
          type: 'table',
          sheet: '维度 Dimensions',
          title: { zh: '各维度得分（括号内为维度排名）', en: 'Dimension scores (dimension rank in brackets)' },
          columns: [
            { key: 'rank', zh: '排名', en: 'Rank', kind: 'int' },
            { key: 'unit', zh: '单位', en: 'Unit' },
            ...dims.map((d) => {
              const n = byCode.get(d);
              return { key: `d:${d}`, zh: n?.name ?? d, en: n?.name_en ?? d };
            }),
          ],
          rows: ranked.map((u) => ({
            cells: {
              rank: u.rank,
              unit: u.unit,
              ...Object.fromEntries(dims.map((d) => {
                const x = u.dimensions[d];
                return [`d:${d}`, x && x.score !== null ? `${num(x.score)} (${x.rank ?? '—'})` : null];
              })),
            },
          })),
        },
      ],
    });
  }

  // --- diagnostics -----------------------------------------------------------------------------
  const diag: ReportBlock[] = [];
  const d = result.diagnostics;
  if (unranked.length) {
    diag.push({
      type: 'paragraph',
      tone: 'warn',
      text: {
        zh: `${unranked.length} 个单位没有综合得分（数据不足或被筛除）：${unranked.map((u) => u.unit).join('、')}。`,
        en: `${unranked.length} unit(s) have no index score (too little data or screened out): ${unranked.map((u) => u.unit).join(', ')}.`,
      },
    });
  }
  if (d.dropped_indicators.length) {
    diag.push({
      type: 'paragraph',
      tone: 'warn',
      text: {
        zh: `以下指标在标准化前被剔除（零方差或无数据）：${d.dropped_indicators.join('、')}。`,
        en: `Indicators removed before normalisation (zero variance or no data): ${d.dropped_indicators.join(', ')}.`,
      },
    });
  }
  const alphas = Object.entries(d.analysis.cronbach).filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1]));
  if (alphas.length) {
    const low = alphas.filter(([, a]) => a < 0.7).map(([c]) => c);
    diag.push({
      type: 'paragraph',
      tone: 'note',
      text: {
        zh: `各维度的 Cronbach α：${alphas.map(([c, a]) => `${c} ${a.toFixed(2)}`).join('，')}。${low.length ? `${low.join('、')} 低于 0.7，其下指标的一致性较弱。` : '均不低于 0.7。'}`,
        en: `Cronbach's alpha per dimension: ${alphas.map(([c, a]) => `${c} ${a.toFixed(2)}`).join(', ')}. ${low.length ? `${low.join(', ')} below 0.7: their indicators agree weakly.` : 'All at least 0.7.'}`,
      },
    });
  }
  if (unc?.sensitivity?.length) {
    const s = [...unc.sensitivity].sort((a, b) => (b.total ?? -Infinity) - (a.total ?? -Infinity));
    diag.push({
      type: 'paragraph',
      tone: 'note',
      text: {
        zh: `排名对方法选择的敏感性（平均排名变化的总效应指数）：${s.map((x) => `${FACTOR_LABELS[x.factor] ?? x.factor} ${num(x.total, 3)}`).join('，')}；影响最大的是 ${FACTOR_LABELS[s[0].factor] ?? s[0].factor}。`,
        en: `Sensitivity of the ranks to the method choices (total-effect index of the mean rank shift): ${s.map((x) => `${x.factor} ${num(x.total, 3)}`).join(', ')}; ${s[0].factor} matters most.`,
      },
    });
  }
  if (loo?.length) {
    const worst = [...loo].sort((a, b) => b.mean_abs_shift - a.mean_abs_shift)[0];
    diag.push({
      type: 'paragraph',
      tone: 'note',
      text: {
        zh: `逐一去掉指标：去掉 ${nodeLabel(byCode.get(worst.indicator), worst.indicator)} 时排名变化最大（平均 ${num(worst.mean_abs_shift)} 位，最多 ${worst.max_abs_shift} 位）。`,
        en: `Leave one indicator out: dropping ${worst.indicator} moves the ranks most (mean ${num(worst.mean_abs_shift)}, at most ${worst.max_abs_shift} places).`,
      },
    });
  }
  if (run.warnings.length) {
    diag.push({
      type: 'table',
      sheet: '警告 Warnings',
      title: { zh: '警告', en: 'Warnings' },
      columns: [
        { key: 'code', zh: '代码', en: 'Code' },
        { key: 'zh', zh: '说明', en: 'Message (Chinese)', width: 3 },
        { key: 'en', zh: '英文说明', en: 'Message', width: 3 },
      ],
      rows: run.warnings.slice(0, 200).map((w) => ({ cells: { code: w.code, zh: w.message, en: w.message_en }, tone: 'warn' as const })),
      note: run.warnings.length > 200 ? { zh: `仅列前 200 条，共 ${run.warnings.length} 条。`, en: `First 200 of ${run.warnings.length}.` } : undefined,
    });
  } else {
    diag.push({ type: 'paragraph', text: { zh: '本次运行没有警告。', en: 'This run raised no warnings.' } });
  }
  sections.push({ title: { zh: '诊断与警告', en: 'Diagnostics and warnings' }, blocks: diag });

  const title = run.label ? `${run.framework.name} — ${run.label}` : run.framework.name;
  return {
    title: { zh: '综合评价结果摘要', en: 'Composite evaluation summary' },
    subtitle: { zh: `${title}（运行 ${run.id}）`, en: `${run.framework.key} v${run.version}, run ${run.id}` },
    header: { zh: `评价运行 ${run.id}`, en: `Evaluation run ${run.id}` },
    meta: [
      { label: { zh: '指标框架', en: 'Framework' }, value: `${run.framework.key}（${run.framework.name}）v${run.version}` },
      { label: { zh: '数据集', en: 'Data set' }, value: `#${run.dataset.id} ${run.dataset.name}` },
      { label: { zh: '随机种子', en: 'Seed' }, value: String(run.seed) },
      { label: { zh: '创建', en: 'Created' }, value: `${run.created_by ?? '—'} ${run.created_at}` },
    ],
    sections,
    generatedAt,
  };
}

/** The PDF summary of a run as bytes. */
export async function runSummaryPdf(run: RunDetail, result: CompositeResult, nodes: readonly NodeDto[]): Promise<{ pdf: Buffer; pages: number }> {
  return renderPdf(runSummaryDocument(run, result, nodes));
}

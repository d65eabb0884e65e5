/**
 * The one catalogue of the post-award engine's problems and rule outcomes: each code with its
 * severity, its HTTP status when it refuses a request, and its Chinese and English wording built
 * from typed parameters — so a code reads the same wherever it is raised (the agreement form,
 * the Excel import, a report, a change request, the CLI). Modelled on the importer's catalogue
 * (src/modules/imports/read/issues.ts); when the project-wide catalogue lands (issue 18) these
 * entries move into it unchanged.
 *
 * Validation functions collect every issue at once (`LifecycleIssue[]`, JSON-safe, usable as
 * AppError details); `refuse()` turns them into the project's one error type, coded by the first
 * error.
 */
import { AppError, type ErrorDetail } from '../../../errors.ts';
import { formatNumber } from '../../plans/engine/format.ts';

/**
 * error: refuses the input; warning: accepted, and the reader is told; info: a rule's outcome
 * that is neither (a rule passed, a change that needs approval, the funds to recover).
 */
export type Severity = 'error' | 'warning' | 'info';

interface Text {
  zh: string;
  en: string;
}

interface Entry<P> {
  severity: Severity;
  /** HTTP status when this issue refuses a request (default 400). */
  status?: number;
  text: (p: P) => Text;
}

/** A number as written in a message (万元 to four decimals: one 元). */
export const num = (x: number): string => formatNumber(x, 4);
/** Chinese and English names of a thing, for messages. */
export interface Named {
  zh: string;
  en: string;
}
const row = (r: number | undefined, zh: string) => (r === undefined ? '' : `${zh}第 ${r} 行`);
const rowEn = (r: number | undefined, en: string) => (r === undefined ? '' : `Row ${r} of the ${en}: `);

const CATALOGUE = {
  // ----------------------------------------------------------------------------- agreement
  PROJECT_PERIOD_INVALID: {
    severity: 'error',
    text: (p: { start: string; end: string }) => ({
      zh: `项目执行期无效：结束日期 ${p.end} 早于开始日期 ${p.start}`,
      en: `The project period is not valid: it ends (${p.end}) before it starts (${p.start})`,
    }),
  },
  AGREEMENT_DATE_INVALID: {
    severity: 'error',
    text: (p: { field: string; value: string }) => ({
      zh: `日期“${p.value}”无效（${p.field}），应为 YYYY-MM-DD`,
      en: `"${p.value}" is not a date (${p.field}); expected YYYY-MM-DD`,
    }),
  },
  AGREEMENT_OBJECTIVE_MISSING: {
    severity: 'error',
    text: () => ({ zh: '任务书没有填写项目目标', en: 'The task agreement states no objective' }),
  },
  AGREEMENT_PERSON_MISSING: {
    severity: 'error',
    text: () => ({ zh: '任务书没有填写项目负责人', en: 'The task agreement names no person in charge' }),
  },
  INDICATOR_NONE: {
    severity: 'error',
    text: () => ({ zh: '任务书没有任何关键绩效指标', en: 'The task agreement commits to no key indicator' }),
  },
  INDICATOR_KIND_UNKNOWN: {
    severity: 'error',
    text: (p: { row?: number; kind: string }) => ({
      zh: `${row(p.row, '关键指标')}：未知的指标类型“${p.kind}”`,
      en: `${rowEn(p.row, 'key indicators')}unknown indicator kind "${p.kind}"`,
    }),
  },
  INDICATOR_DUPLICATE: {
    severity: 'error',
    text: (p: { row: number; indicator: Named; first_row: number }) => ({
      zh: `${row(p.row, '关键指标')}：指标“${p.indicator.zh}”与第 ${p.first_row} 行重复`,
      en: `${rowEn(p.row, 'key indicators')}"${p.indicator.en}" is already committed in row ${p.first_row}`,
    }),
  },
  INDICATOR_TARGET_INVALID: {
    severity: 'error',
    text: (p: { row: number; indicator: Named; target: unknown }) => ({
      zh: `${row(p.row, '关键指标')}：“${p.indicator.zh}”的目标值应为大于 0 的数，实为“${String(p.target)}”`,
      en: `${rowEn(p.row, 'key indicators')}the target of "${p.indicator.en}" must be a number above 0, not "${String(p.target)}"`,
    }),
  },
  INDICATOR_UNIT_MISMATCH: {
    severity: 'error',
    text: (p: { row?: number; where?: Named; indicator: Named; unit: string; expected: string[] }) => ({
      zh: `${p.row === undefined ? '' : `${p.where?.zh ?? '关键指标'}第 ${p.row} 行`}：“${p.indicator.zh}”的单位“${p.unit}”不能换算为${p.expected.map((u) => `“${u}”`).join('、')}`,
      en: `${p.row === undefined ? '' : `Row ${p.row} of the ${p.where?.en ?? 'key indicators'}: `}the unit "${p.unit}" of "${p.indicator.en}" cannot be converted to ${p.expected.map((u) => `"${u}"`).join(', ')}`,
    }),
  },
  BUDGET_SOURCE_UNKNOWN: {
    severity: 'error',
    text: (p: { row: number; source: string }) => ({
      zh: `${row(p.row, '预算')}：未知的经费来源“${p.source}”`,
      en: `${rowEn(p.row, 'budget')}unknown funding source "${p.source}"`,
    }),
  },
  BUDGET_CATEGORY_UNKNOWN: {
    severity: 'error',
    text: (p: { row: number; category: string; where?: Named }) => ({
      zh: `${row(p.row, p.where?.zh ?? '预算')}：未知的预算科目“${p.category}”`,
      en: `${rowEn(p.row, p.where?.en ?? 'budget')}unknown budget category "${p.category}"`,
    }),
  },
  BUDGET_YEAR_OUTSIDE_PERIOD: {
    severity: 'error',
    text: (p: { row: number; year: number; from: number; to: number }) => ({
      zh: `${row(p.row, '预算')}：年度 ${p.year} 不在项目执行期 ${p.from}–${p.to} 年内`,
      en: `${rowEn(p.row, 'budget')}the year ${p.year} lies outside the project period ${p.from}–${p.to}`,
    }),
  },
  BUDGET_AMOUNT_INVALID: {
    severity: 'error',
    text: (p: { row: number; amount: unknown; where?: Named }) => ({
      zh: `${row(p.row, p.where?.zh ?? '预算')}：金额应为不小于 0 的数（万元），实为“${String(p.amount)}”`,
      en: `${rowEn(p.row, p.where?.en ?? 'budget')}the amount must be a number of at least 0 (10k CNY), not "${String(p.amount)}"`,
    }),
  },
  BUDGET_CELL_DUPLICATE: {
    severity: 'error',
    text: (p: { row: number; first_row: number; source: Named; year: number; category: Named }) => ({
      zh: `${row(p.row, '预算')}：${p.source.zh}·${p.year} 年·${p.category.zh} 与第 ${p.first_row} 行重复`,
      en: `${rowEn(p.row, 'budget')}${p.source.en} · ${p.year} · ${p.category.en} repeats row ${p.first_row}`,
    }),
  },
  BUDGET_FUNDING_MISMATCH: {
    severity: 'error',
    text: (p: { source: Named; year: number; budget: number; funding: number }) => ({
      zh: `预算中“${p.source.zh}”${p.year} 年各科目合计 ${num(p.budget)} 万元，与项目经费记录 ${num(p.funding)} 万元不一致（差 ${num(p.budget - p.funding)} 万元）`,
      en: `The budget of "${p.source.en}" for ${p.year} adds up to ${num(p.budget)} (10k CNY), but the project's funding lines say ${num(p.funding)} (difference ${num(p.budget - p.funding)})`,
    }),
  },
  MILESTONE_TITLE_MISSING: {
    severity: 'error',
    text: (p: { row: number }) => ({ zh: `${row(p.row, '节点')}：节点名称为空`, en: `${rowEn(p.row, 'milestones')}the milestone has no title` }),
  },
  MILESTONE_DUPLICATE: {
    severity: 'error',
    text: (p: { row: number; title: string; first_row: number }) => ({
      zh: `${row(p.row, '节点')}：节点“${p.title}”与第 ${p.first_row} 行重名`,
      en: `${rowEn(p.row, 'milestones')}the milestone "${p.title}" repeats row ${p.first_row}`,
    }),
  },
  MILESTONE_OUTSIDE_PERIOD: {
    severity: 'error',
    text: (p: { row: number; title: string; due: string; start: string; end: string }) => ({
      zh: `${row(p.row, '节点')}：节点“${p.title}”的完成期限 ${p.due} 不在项目执行期 ${p.start} 至 ${p.end} 内`,
      en: `${rowEn(p.row, 'milestones')}the due date ${p.due} of "${p.title}" lies outside the project period ${p.start} to ${p.end}`,
    }),
  },
  MILESTONE_NO_DELIVERABLE: {
    severity: 'error',
    text: (p: { row: number; title: string }) => ({
      zh: `${row(p.row, '节点')}：节点“${p.title}”没有填写交付成果`,
      en: `${rowEn(p.row, 'milestones')}the milestone "${p.title}" names no deliverable`,
    }),
  },
  REPORTING_RULE_INVALID: {
    severity: 'error',
    text: (p: { row: number; field: string; value: unknown }) => ({
      zh: `${row(p.row, '报告要求')}：${p.field} 的值“${String(p.value)}”无效`,
      en: `${rowEn(p.row, 'reporting schedule')}"${String(p.value)}" is not a valid ${p.field}`,
    }),
  },
  REPORTING_RULE_DUPLICATE: {
    severity: 'error',
    text: (p: { row: number; kind: Named; first_row: number }) => ({
      zh: `${row(p.row, '报告要求')}：${p.kind.zh}的报送要求与第 ${p.first_row} 行重复`,
      en: `${rowEn(p.row, 'reporting schedule')}the ${p.kind.en} schedule repeats row ${p.first_row}`,
    }),
  },
  PARTNER_NAME_MISSING: {
    severity: 'error',
    text: (p: { row: number }) => ({ zh: `${row(p.row, '合作单位')}：合作单位名称为空`, en: `${rowEn(p.row, 'partners')}the partner has no name` }),
  },
  PARTNER_DUPLICATE: {
    severity: 'error',
    text: (p: { row: number; partner: string; first_row: number }) => ({
      zh: `${row(p.row, '合作单位')}：“${p.partner}”与第 ${p.first_row} 行重复`,
      en: `${rowEn(p.row, 'partners')}"${p.partner}" repeats row ${p.first_row}`,
    }),
  },
  PARTNER_OBLIGATION_MISSING: {
    severity: 'error',
    text: (p: { row: number; partner: string }) => ({
      zh: `${row(p.row, '合作单位')}：未写明“${p.partner}”承担的任务和义务`,
      en: `${rowEn(p.row, 'partners')}no obligation is stated for "${p.partner}"`,
    }),
  },
  AGREEMENT_NO_FOREIGN_PARTNER: {
    severity: 'error',
    text: () => ({
      zh: '国际科技合作项目的任务书须至少有一家境外合作单位',
      en: 'An international cooperation project needs at least one foreign partner in its task agreement',
    }),
  },

  // ----------------------------------------------------------------------------- schedule
  SUBMISSION_NOT_SCHEDULED: {
    severity: 'warning',
    text: (p: { kind: Named; period: string }) => ({
      zh: `报送计划中没有${p.kind.zh}“${p.period}”，该报告未计入`,
      en: `No ${p.kind.en} "${p.period}" is scheduled; the report was not counted`,
    }),
  },

  // ----------------------------------------------------------------------------- change requests
  CHANGE_RULES_INVALID: {
    severity: 'error',
    text: (p: { field: string; value: unknown }) => ({
      zh: `计划的变更规则 ${p.field} 的值“${String(p.value)}”无效`,
      en: `The programme's change rule ${p.field} cannot be "${String(p.value)}"`,
    }),
  },
  CHANGE_KIND_UNKNOWN: {
    severity: 'error',
    text: (p: { kind: string }) => ({ zh: `未知的变更类型“${p.kind}”`, en: `Unknown kind of change "${p.kind}"` }),
  },
  CHANGE_NO_DIFFERENCE: {
    severity: 'error',
    text: () => ({ zh: '变更申请与已签订的任务书没有任何差异', en: 'The change request does not differ from the signed agreement' }),
  },
  CHANGE_WINDOW_OK: {
    severity: 'info',
    text: (p: { date: string; last: string }) => ({
      zh: `申请日期 ${p.date} 不晚于可申请变更的最后一天 ${p.last}`,
      en: `Requested on ${p.date}, not after the last day changes may be requested (${p.last})`,
    }),
  },
  CHANGE_AFTER_DEADLINE: {
    severity: 'error',
    status: 409,
    text: (p: { date: string; last: string; months: number; end: string }) => ({
      zh: `申请日期 ${p.date} 已在项目结束（${p.end}）前最后 ${p.months} 个月内，最晚应于 ${p.last} 提出变更（终止除外）`,
      en: `Requested on ${p.date}, within the last ${p.months} months before the project ends (${p.end}); changes other than termination had to be requested by ${p.last}`,
    }),
  },
  CHANGE_WINDOW_EXEMPT: {
    severity: 'info',
    text: (p: { date: string }) => ({
      zh: `终止申请不受最后期限限制（申请日期 ${p.date}）`,
      en: `A termination may be requested at any time (requested on ${p.date})`,
    }),
  },
  EXTENSION_COUNT_OK: {
    severity: 'info',
    text: (p: { before: number; max: number }) => ({
      zh: `此前已批准延期 ${p.before} 次，本次后共 ${p.before + 1} 次，不超过 ${p.max} 次`,
      en: `${p.before} extension(s) approved before; with this one ${p.before + 1}, within the limit of ${p.max}`,
    }),
  },
  EXTENSION_COUNT_EXCEEDED: {
    severity: 'error',
    status: 409,
    text: (p: { before: number; max: number }) => ({
      zh: `此前已批准延期 ${p.before} 次，本计划最多允许延期 ${p.max} 次`,
      en: `${p.before} extension(s) approved already; the programme allows at most ${p.max}`,
    }),
  },
  EXTENSION_LENGTH_OK: {
    severity: 'info',
    text: (p: { from: string; to: string; latest: string; max: number }) => ({
      zh: `结束日期由 ${p.from} 延至 ${p.to}，不晚于延期上限 ${p.max} 个月对应的 ${p.latest}`,
      en: `The end moves from ${p.from} to ${p.to}, not after ${p.latest} (the limit of ${p.max} months)`,
    }),
  },
  EXTENSION_TOO_LONG: {
    severity: 'error',
    text: (p: { from: string; to: string; latest: string; max: number }) => ({
      zh: `结束日期由 ${p.from} 延至 ${p.to}，超过延期上限 ${p.max} 个月（最晚 ${p.latest}）`,
      en: `The end would move from ${p.from} to ${p.to}, beyond the limit of ${p.max} months (${p.latest} at the latest)`,
    }),
  },
  EXTENSION_LATER_OK: {
    severity: 'info',
    text: (p: { from: string; to: string }) => ({
      zh: `延期后的结束日期 ${p.to} 晚于原结束日期 ${p.from}`,
      en: `The new end date ${p.to} is after the current one (${p.from})`,
    }),
  },
  EXTENSION_NOT_LATER: {
    severity: 'error',
    text: (p: { from: string; to: string }) => ({
      zh: `延期后的结束日期 ${p.to} 应晚于原结束日期 ${p.from}`,
      en: `The new end date ${p.to} must be after the current one (${p.from})`,
    }),
  },
  REALLOCATION_INVALID: {
    severity: 'error',
    text: (p: { row: number; reason: Named }) => ({
      zh: `第 ${p.row} 项调剂：${p.reason.zh}`,
      en: `Reallocation ${p.row}: ${p.reason.en}`,
    }),
  },
  REALLOCATION_EXCEEDS_CELL: {
    severity: 'error',
    text: (p: { row: number; source: Named; year: number; category: Named; amount: number; available: number }) => ({
      zh: `第 ${p.row} 项调剂：从${p.source.zh}·${p.year} 年·${p.category.zh}调出 ${num(p.amount)} 万元，超过该科目预算 ${num(p.available)} 万元`,
      en: `Reallocation ${p.row}: ${num(p.amount)} (10k CNY) moved out of ${p.source.en} · ${p.year} · ${p.category.en}, which holds ${num(p.available)}`,
    }),
  },
  REALLOCATION_RECORDED: {
    severity: 'info',
    text: (p: { category: Named; original: number; proposed: number; share: number; limit: number }) => ({
      zh: `${p.category.zh}由签订时的 ${num(p.original)} 万元调至 ${num(p.proposed)} 万元，累计调整 ${num(p.share * 100)}%，不超过 ${num(p.limit * 100)}%，备案即可，无需审批`,
      en: `${p.category.en} goes from ${num(p.original)} at signing to ${num(p.proposed)} (10k CNY), a cumulative change of ${num(p.share * 100)}%, within ${num(p.limit * 100)}%: recorded, no approval needed`,
    }),
  },
  REALLOCATION_NEEDS_APPROVAL: {
    severity: 'info',
    text: (p: { category: Named; original: number; proposed: number; share: number | null; limit: number }) => ({
      zh: `${p.category.zh}由签订时的 ${num(p.original)} 万元调至 ${num(p.proposed)} 万元，${p.share === null ? '为新增科目' : `累计调整 ${num(p.share * 100)}%`}，超过 ${num(p.limit * 100)}%，须经审批`,
      en: `${p.category.en} goes from ${num(p.original)} at signing to ${num(p.proposed)} (10k CNY)${p.share === null ? ', a category that had no budget' : `, a cumulative change of ${num(p.share * 100)}%`}, above ${num(p.limit * 100)}%: needs approval`,
    }),
  },
  PARTNER_CHANGE_OK: {
    severity: 'info',
    text: (p: { foreign: number }) => ({ zh: `变更后仍有 ${p.foreign} 家境外合作单位`, en: `${p.foreign} foreign partner(s) remain after the change` }),
  },
  PARTNER_CHANGE_NO_FOREIGN: {
    severity: 'error',
    text: () => ({ zh: '变更后没有境外合作单位，不再是国际合作项目', en: 'No foreign partner would remain: the project would no longer be international' }),
  },
  CHANGE_NEEDS_APPROVAL: {
    severity: 'info',
    text: (p: { kind: Named }) => ({ zh: `${p.kind.zh}须经审批`, en: `A ${p.kind.en} needs approval` }),
  },
  PERSON_UNCHANGED: {
    severity: 'error',
    text: (p: { person: string }) => ({ zh: `新负责人与原负责人相同（${p.person}）`, en: `The new person in charge is the current one (${p.person})` }),
  },
  TERMINATION_DATE_INVALID: {
    severity: 'error',
    text: (p: { date: string; start: string; end: string }) => ({
      zh: `终止日期 ${p.date} 应在项目执行期 ${p.start} 至 ${p.end} 内`,
      en: `The termination date ${p.date} must lie within the project period ${p.start} to ${p.end}`,
    }),
  },
  TERMINATION_RECOVERY: {
    severity: 'info',
    text: (p: { recover: number; received: number; spent: number }) => ({
      zh: `终止时应收回财政资金结余 ${num(p.recover)} 万元（已拨付 ${num(p.received)} 万元，已支出 ${num(p.spent)} 万元）`,
      en: `On termination ${num(p.recover)} (10k CNY) of unspent public funds are to be recovered (${num(p.received)} paid out, ${num(p.spent)} spent)`,
    }),
  },
  FUNDS_INVALID: {
    severity: 'error',
    text: (p: { row: number; field: string; value: unknown }) => ({
      zh: `第 ${p.row} 行经费执行：${p.field} 应为不小于 0 的数（万元），实为“${String(p.value)}”`,
      en: `Row ${p.row} of the funds: ${p.field} must be a number of at least 0 (10k CNY), not "${String(p.value)}"`,
    }),
  },

  // ----------------------------------------------------------------------------- reports
  REPORT_PERIOD_INVALID: {
    severity: 'error',
    text: (p: { date: string; start: string; end: string }) => ({
      zh: `报告截止日期 ${p.date} 不在项目执行期 ${p.start} 至 ${p.end} 内`,
      en: `The report's as-of date ${p.date} lies outside the project period ${p.start} to ${p.end}`,
    }),
  },
  REPORT_INDICATOR_UNKNOWN: {
    severity: 'error',
    text: (p: { row: number; kind: string }) => ({
      zh: `报告指标第 ${p.row} 行：任务书中没有指标“${p.kind}”`,
      en: `Row ${p.row} of the report's indicators: the agreement has no indicator "${p.kind}"`,
    }),
  },
  REPORT_VALUE_INVALID: {
    severity: 'error',
    text: (p: { row: number; indicator: Named; value: unknown }) => ({
      zh: `报告指标第 ${p.row} 行：“${p.indicator.zh}”的累计完成值应为不小于 0 的数，实为“${String(p.value)}”`,
      en: `Row ${p.row} of the report's indicators: the value to date of "${p.indicator.en}" must be a number of at least 0, not "${String(p.value)}"`,
    }),
  },
  REPORT_VALUE_DECREASED: {
    severity: 'warning',
    text: (p: { row: number; indicator: Named; previous: number; value: number; unit: string }) => ({
      zh: `报告指标第 ${p.row} 行：“${p.indicator.zh}”累计完成值 ${num(p.value)}${p.unit} 低于上期的 ${num(p.previous)}${p.unit}，请确认是否为更正`,
      en: `Row ${p.row} of the report's indicators: the value to date of "${p.indicator.en}" (${num(p.value)} ${p.unit}) is below the previous report's ${num(p.previous)}; confirm it is a correction`,
    }),
  },
  REPORT_OUTPUTS_MISSING: {
    severity: 'warning',
    text: (p: { row: number; indicator: Named; reported: number; registry: number }) => ({
      zh: `报告指标第 ${p.row} 行：“${p.indicator.zh}”填报 ${num(p.reported)}，成果库中只有 ${num(p.registry)}；请将成果登记到成果库，验收按成果库计算`,
      en: `Row ${p.row} of the report's indicators: "${p.indicator.en}" is reported as ${num(p.reported)} but the outputs registry holds ${num(p.registry)}; register the outputs — acceptance counts the registry`,
    }),
  },
  REPORT_MILESTONE_UNKNOWN: {
    severity: 'error',
    text: (p: { row: number; title: string }) => ({
      zh: `报告节点第 ${p.row} 行：任务书中没有节点“${p.title}”`,
      en: `Row ${p.row} of the report's milestones: the agreement has no milestone "${p.title}"`,
    }),
  },
  REPORT_MILESTONE_DATE_INVALID: {
    severity: 'error',
    text: (p: { row: number; title: string; done_on: string; as_of: string }) => ({
      zh: `报告节点第 ${p.row} 行：“${p.title}”的完成日期 ${p.done_on} 晚于报告截止日期 ${p.as_of}`,
      en: `Row ${p.row} of the report's milestones: "${p.title}" is reported done on ${p.done_on}, after the report's as-of date ${p.as_of}`,
    }),
  },
  BUDGET_CATEGORY_EXCEEDED: {
    severity: 'error',
    text: (p: { category: Named; budget: number; spent: number }) => ({
      zh: `${p.category.zh}累计支出 ${num(p.spent)} 万元，超过该科目预算 ${num(p.budget)} 万元（超出 ${num(p.spent - p.budget)} 万元），且没有经批准的预算调剂`,
      en: `${p.category.en}: ${num(p.spent)} (10k CNY) spent to date, above its budget of ${num(p.budget)} by ${num(p.spent - p.budget)}, with no approved reallocation`,
    }),
  },

  // ----------------------------------------------------------------------------- acceptance
  ACCEPTANCE_BEFORE_END: {
    severity: 'error',
    status: 409,
    text: (p: { project: string; date: string; end: string }) => ({
      zh: `项目 ${p.project} 的执行期至 ${p.end} 结束，${p.date} 不能验收（终止的项目按终止处理）`,
      en: `Project ${p.project} runs until ${p.end}; it cannot be accepted on ${p.date} (a terminated project is closed by its termination)`,
    }),
  },
  ACCEPTANCE_CONFIG_INVALID: {
    severity: 'error',
    text: (p: { field: string; value: unknown }) => ({
      zh: `验收阈值 ${p.field} 的值“${String(p.value)}”无效`,
      en: `The acceptance threshold ${p.field} cannot be "${String(p.value)}"`,
    }),
  },
  OUTPUT_UNIT_UNKNOWN: {
    severity: 'warning',
    text: (p: { title: string; unit: string; indicator: Named }) => ({
      zh: `成果“${p.title}”的单位“${p.unit}”不能换算，未计入“${p.indicator.zh}”`,
      en: `The output "${p.title}" is in "${p.unit}", which cannot be converted; it is not counted towards "${p.indicator.en}"`,
    }),
  },
  OUTPUT_VALUE_MISSING: {
    severity: 'warning',
    text: (p: { title: string; indicator: Named }) => ({
      zh: `成果“${p.title}”没有金额，未计入“${p.indicator.zh}”`,
      en: `The output "${p.title}" has no value; it is not counted towards "${p.indicator.en}"`,
    }),
  },
  OUTPUT_UNIT_ASSUMED: {
    severity: 'warning',
    text: (p: { title: string; unit: string }) => ({
      zh: `成果“${p.title}”未注明单位，按“${p.unit}”计`,
      en: `The output "${p.title}" states no unit; counted in "${p.unit}"`,
    }),
  },
  INDICATOR_NOT_REPORTED: {
    severity: 'warning',
    text: (p: { indicator: Named }) => ({
      zh: `“${p.indicator.zh}”没有已通过的报告数据，按 0 计`,
      en: `No accepted report gives a value for "${p.indicator.en}"; counted as 0`,
    }),
  },

  // ----------------------------------------------------------------------------- mid-term check
  MIDTERM_SHEET_INVALID: {
    severity: 'error',
    text: (p: { criterion: string; reason: Named }) => ({
      zh: `中期检查评分表的指标“${p.criterion}”无效：${p.reason.zh}`,
      en: `Criterion "${p.criterion}" of the mid-term score sheet is not valid: ${p.reason.en}`,
    }),
  },
  MIDTERM_NO_SCORES: {
    severity: 'error',
    text: () => ({ zh: '没有专家评分', en: 'No expert has scored' }),
  },
  MIDTERM_SCORE_OUT_OF_RANGE: {
    severity: 'error',
    text: (p: { expert: string; criterion: Named; score: unknown; min: number; max: number }) => ({
      zh: `专家“${p.expert}”对“${p.criterion.zh}”的评分“${String(p.score)}”超出 ${p.min}–${p.max} 分`,
      en: `Expert "${p.expert}" scored "${p.criterion.en}" ${String(p.score)}, outside ${p.min}–${p.max}`,
    }),
  },
  MIDTERM_SCORE_MISSING: {
    severity: 'error',
    text: (p: { expert: string; criterion: Named }) => ({
      zh: `专家“${p.expert}”没有对“${p.criterion.zh}”评分`,
      en: `Expert "${p.expert}" gave no score for "${p.criterion.en}"`,
    }),
  },
  MIDTERM_CRITERION_UNKNOWN: {
    severity: 'error',
    text: (p: { expert: string; criterion: string }) => ({
      zh: `专家“${p.expert}”的评分中有评分表之外的指标“${p.criterion}”`,
      en: `Expert "${p.expert}" scored "${p.criterion}", which is not on the score sheet`,
    }),
  },
  MIDTERM_CONFIG_INVALID: {
    severity: 'error',
    text: (p: { field: string; value: unknown }) => ({
      zh: `中期检查阈值 ${p.field} 的值“${String(p.value)}”无效`,
      en: `The mid-term threshold ${p.field} cannot be "${String(p.value)}"`,
    }),
  },

  // ----------------------------------------------------------------------------- outcomes, portfolio
  OUTCOME_CONFIG_INVALID: {
    severity: 'error',
    text: (p: { field: string; value: unknown }) => ({
      zh: `成效跟踪设置 ${p.field} 的值“${String(p.value)}”无效`,
      en: `The outcome follow-up setting ${p.field} cannot be "${String(p.value)}"`,
    }),
  },
  OUTCOME_YEAR_OUTSIDE_FOLLOW_UP: {
    severity: 'error',
    text: (p: { year: number; from: number; to: number }) => ({
      zh: `${p.year} 年不在验收后的跟踪年度 ${p.from}–${p.to} 内`,
      en: `${p.year} is not one of the follow-up years after acceptance (${p.from}–${p.to})`,
    }),
  },
  OUTCOME_VALUE_INVALID: {
    severity: 'error',
    text: (p: { field: Named; value: unknown }) => ({
      zh: `成效报告“${p.field.zh}”的值“${String(p.value)}”无效，应为不小于 0 的数`,
      en: `"${String(p.value)}" is not a valid value for "${p.field.en}" in the outcome report (a number of at least 0)`,
    }),
  },
  PORTFOLIO_DIMENSION_UNKNOWN: {
    severity: 'error',
    text: (p: { dimension: string }) => ({ zh: `未知的分组维度“${p.dimension}”`, en: `Unknown grouping dimension "${p.dimension}"` }),
  },
} satisfies Record<string, Entry<never>>;

type Catalogue = typeof CATALOGUE;
/** Every code the post-award engine raises. */
export type LifecycleCode = keyof Catalogue;
/** The parameters a code's message needs. */
export type LifecycleParams<C extends LifecycleCode> = [Parameters<Catalogue[C]['text']>[0]] extends [undefined]
  ? Record<string, never>
  : Parameters<Catalogue[C]['text']>[0];

/** One problem or rule outcome: JSON-safe, and usable as an AppError detail as it is. */
export interface LifecycleIssue extends ErrorDetail {
  code: LifecycleCode;
  severity: Severity;
  message: string;
  message_en: string;
}

/**
 * Describes a problem: its severity and both messages from the catalogue, plus where it is
 * (`row`, `field`, and any other location the caller names — source, year, category …).
 */
export function issue<C extends LifecycleCode>(code: C, params: LifecycleParams<C>, at: ErrorDetail = {}): LifecycleIssue {
  const entry = CATALOGUE[code] as Entry<LifecycleParams<C>>;
  const t = entry.text(params);
  return { ...at, code, severity: entry.severity, message: t.zh.replace(/^：/, ''), message_en: t.en };
}

/** The errors among issues (warnings left out). */
export const errorsOf = (issues: readonly LifecycleIssue[]): LifecycleIssue[] => issues.filter((i) => i.severity === 'error');

/** The AppError for a list of issues: coded by the first error, every issue in its details. */
export function refusal(issues: readonly LifecycleIssue[]): AppError {
  const first = errorsOf(issues)[0] ?? issues[0];
  const status = (CATALOGUE[first.code] as Entry<never>).status ?? 400;
  return new AppError(first.code, status, first.message, first.message_en, [...issues]);
}

/** Throws the refusal when any issue is an error; returns the other issues otherwise. */
export function refuseOnErrors(issues: readonly LifecycleIssue[]): LifecycleIssue[] {
  if (errorsOf(issues).length) throw refusal(issues);
  return [...issues];
}

/** Throws one problem at once. */
export function refuse<C extends LifecycleCode>(code: C, params: LifecycleParams<C>, at: ErrorDetail = {}): never {
  throw refusal([issue(code, params, at)]);
}

/** HTTP status of a code when it refuses a request. */
export const statusOf = (code: LifecycleCode): number => (CATALOGUE[code] as Entry<never>).status ?? 400;

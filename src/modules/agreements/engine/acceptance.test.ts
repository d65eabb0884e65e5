import { describe, expect, it } from 'vitest';
import { acceptanceJson, assessAcceptance, resolveAcceptanceThresholds, suggestVerdict, type AcceptanceInput } from './acceptance.ts';
import { codeOf, signedAgreement } from './engine.fixture.ts';
import type { OutputRecord } from './outputs.ts';
import type { Submission } from './schedule.ts';

// Targets (fixture): patents 3 件, PCT 1 件, revenue 500 万元, talents 4 人, foreign experts 6 人次.
// The six scheduled reports, each sent before its deadline (schedule.test.ts lists the deadlines).
const ON_TIME: Submission[] = [
  { kind: 'progress', period: '2024H2', submitted_on: '2025-01-20', state: 'accepted' },
  { kind: 'financial', period: '2024', submitted_on: '2025-03-20', state: 'accepted' },
  { kind: 'progress', period: '2025H1', submitted_on: '2025-07-20', state: 'accepted' },
  { kind: 'progress', period: '2025H2', submitted_on: '2026-01-20', state: 'accepted' },
  { kind: 'financial', period: '2025', submitted_on: '2026-03-20', state: 'accepted' },
  { kind: 'final', period: 'final', submitted_on: '2026-09-20', state: 'submitted' },
];
const patents = (n: number): OutputRecord[] => Array.from({ length: n }, (_, i) => ({ kind: 'patent', title: `发明专利 ${i + 1}`, year: 2024 + i }));
/** Every target met; revenue 300 万元 + 2 500 000 元 = 550 万元. */
const fullOutputs = (): OutputRecord[] => [
  ...patents(3),
  { kind: 'pct_patent', title: 'PCT/CN2025/012345', year: 2025 },
  { kind: 'revenue', title: '2025 年新增销售收入', year: 2025, value: 300, unit: '万元' },
  { kind: 'revenue', title: '2026 年上半年新增销售收入', year: 2026, value: 2_500_000, unit: '元' },
  { kind: 'talent_trained', title: '联合培养研究生', year: 2026, quantity: 4 },
];
const input = (over: Partial<AcceptanceInput> = {}): AcceptanceInput => ({
  project: 'CZ-GJ-2024-07',
  agreement: signedAgreement(),
  as_of: '2026-10-20',
  outputs: fullOutputs(),
  reported: { foreign_experts: 6 },
  spent_wan: 290,
  submissions: ON_TIME,
  ...over,
});

describe('assessAcceptance — the contract object', () => {
  it('every target met, no report overdue: 通过, in exactly the shape of the CLI contract', () => {
    const json = acceptanceJson(assessAcceptance(input()));
    expect(JSON.stringify(json)).toBe(
      JSON.stringify({
        project: 'CZ-GJ-2024-07',
        indicators: [
          { indicator: '申请发明专利', unit: '件', target: 3, achieved: 3, rate: 1 },
          { indicator: 'PCT 国际专利申请', unit: '件', target: 1, achieved: 1, rate: 1 },
          { indicator: '新增销售收入', unit: '万元', target: 500, achieved: 550, rate: 1.1 },
          { indicator: '培养人才', unit: '人', target: 4, achieved: 4, rate: 1 },
          { indicator: '引进外国专家', unit: '人次', target: 6, achieved: 6, rate: 1 },
        ],
        budget: { approved: 300, spent: 290, unspent: 10, unit: '万元' },
        overdue_reports: 0,
        suggested_verdict: '通过',
      }),
    );
  });
  it('rates are ratios rounded to 4 decimals: 2 of 3 patents is 0.6667', () => {
    const json = acceptanceJson(assessAcceptance(input({ outputs: [...patents(2), ...fullOutputs().slice(3)] })));
    expect(json.indicators[0]).toEqual({ indicator: '申请发明专利', unit: '件', target: 3, achieved: 2, rate: 0.6667 });
  });
});

describe('assessAcceptance — what counts as achieved', () => {
  it('output-backed indicators come from the registry, not from what reports claimed', () => {
    const a = assessAcceptance(input({ reported: { foreign_experts: 6, patent: 5 } }));
    expect(a.indicators[0]).toMatchObject({ achieved: 3, source: 'registry', records: 3 });
    expect(a.indicators[4]).toMatchObject({ achieved: 6, source: 'report', records: null });
  });
  it('outputs dated after the acceptance year do not count', () => {
    const a = assessAcceptance(input({ outputs: [...fullOutputs(), { kind: 'patent', title: '2027 年申请', year: 2027 }] }));
    expect(a.indicators[0].achieved).toBe(3);
  });
  it('revenue in 元 is converted; a record in a unit that is not money or without a value is left out with a warning', () => {
    const a = assessAcceptance(
      input({
        outputs: [
          ...fullOutputs(),
          { kind: 'revenue', title: '出口订单', year: 2026, value: 10, unit: '件' },
          { kind: 'revenue', title: '技术服务收入', year: 2026, value: null, unit: '万元' },
          { kind: 'revenue', title: '样品销售', year: 2026, value: 20, unit: null },
        ],
      }),
    );
    // 300 + 250 + 20 (no unit: read as 万元) = 570
    expect(a.indicators[2].achieved).toBe(570);
    expect(a.issues.map((i) => i.code)).toEqual(['OUTPUT_UNIT_UNKNOWN', 'OUTPUT_VALUE_MISSING', 'OUTPUT_UNIT_ASSUMED']);
  });
  it('a record holding several items counts its quantity; a talent record without one counts one person', () => {
    const a = assessAcceptance(input({ outputs: [...fullOutputs().slice(0, 6), { kind: 'talent_trained', title: '博士后', year: 2025 }, { kind: 'talent_trained', title: '硕士研究生', year: 2026, quantity: 2 }] }));
    expect(a.indicators[3]).toMatchObject({ achieved: 3, records: 2 });
  });
  it('an indicator no report gives is 0, with a warning', () => {
    const a = assessAcceptance(input({ reported: {} }));
    expect(a.indicators[4]).toMatchObject({ achieved: 0, rate: 0 });
    expect(a.issues.map((i) => i.code)).toEqual(['INDICATOR_NOT_REPORTED']);
  });
});

describe('assessAcceptance — budget and overdue reports', () => {
  it('overspending leaves nothing unspent and is shown apart', () => {
    expect(assessAcceptance(input({ spent_wan: 310 })).budget).toEqual({ approved: 300, spent: 310, unspent: 0, overspent: 10, unit: '万元' });
  });
  it('the public money to recover, when the funds received are known: 100 − 92.5 = 7.5', () => {
    const a = assessAcceptance(input({ funds: [{ source: 'programme', received_wan: 100, spent_wan: 92.5 }, { source: 'self', received_wan: 200, spent_wan: 197.5 }] }));
    expect(a.recovery?.recover_wan).toBe(7.5);
  });
  it('a missing half-yearly report is overdue at acceptance and makes the verdict 结题', () => {
    const a = assessAcceptance(input({ submissions: ON_TIME.filter((s) => s.period !== '2025H2') }));
    expect(a.overdue_reports).toBe(1);
    expect(a.overdue.map((r) => [r.kind, r.period])).toEqual([['progress', '2025H2']]);
    expect(acceptanceJson(a)).toMatchObject({ overdue_reports: 1, suggested_verdict: '结题' });
  });
  it('the final report counts too once its deadline (2026-10-15) has passed', () => {
    const noFinal = ON_TIME.filter((s) => s.kind !== 'final');
    expect(assessAcceptance(input({ submissions: noFinal, as_of: '2026-10-15' })).overdue_reports).toBe(0);
    expect(assessAcceptance(input({ submissions: noFinal, as_of: '2026-10-16' })).overdue_reports).toBe(1);
  });
});

describe('assessAcceptance — the suggested verdict (defaults: 100 %; mean of capped rates 80 %; one miss at ≥ 50 %)', () => {
  it('2 of 3 patents, the rest met: mean (0.6667 + 4) / 5 = 0.9333 → 结题', () => {
    const a = assessAcceptance(input({ outputs: [...patents(2), ...fullOutputs().slice(3)] }));
    expect(a.mean_rate).toBeCloseTo(14 / 15, 12);
    expect(a.suggested_verdict).toBe('结题');
    expect(a.reasons[0].zh).toBe('“申请发明专利”完成 66.6667%，未达到 100%');
  });
  it('exactly 80 %: talents 2/4 and experts 3/6, the rest met: (3 + 0.5 + 0.5) / 5 = 0.8 → 结题', () => {
    const outputs = [...fullOutputs().slice(0, 6), { kind: 'talent_trained', title: '研究生', year: 2026, quantity: 2 }];
    const a = assessAcceptance(input({ outputs, reported: { foreign_experts: 3 } }));
    expect(a.mean_rate).toBe(0.8);
    expect(a.verdict).toBe('conditional');
  });
  it('below 80 % with two misses: talents 2/4 and experts 2/6: (3 + 0.5 + 0.3333) / 5 = 0.7667 → 不通过', () => {
    const outputs = [...fullOutputs().slice(0, 6), { kind: 'talent_trained', title: '研究生', year: 2026, quantity: 2 }];
    const a = assessAcceptance(input({ outputs, reported: { foreign_experts: 2 } }));
    expect(a.mean_rate).toBeCloseTo(23 / 30, 12);
    expect(acceptanceJson(a).suggested_verdict).toBe('不通过');
  });
  it('over-achievement does not make up for a miss: 3 PCT applications of 1 count as 100 % in the mean', () => {
    // patents 1/3, PCT 3/1 (capped at 1), revenue 200/500 = 0.4, talents 2/4 = 0.5, experts 6/6:
    // (0.3333 + 1 + 0.4 + 0.5 + 1) / 5 = 0.6467 → 不通过 (uncapped it would be 1.0467 and pass the 80 %)
    const pct: OutputRecord[] = [1, 2, 3].map((i) => ({ kind: 'pct_patent', title: `PCT ${i}`, year: 2025 }));
    const low: OutputRecord[] = [...patents(1), ...pct, { kind: 'revenue', title: '收入', year: 2026, value: 200, unit: '万元' }, { kind: 'talent_trained', title: '研究生', year: 2026, quantity: 2 }];
    const a = assessAcceptance(input({ outputs: low }));
    expect(a.indicators[1]).toMatchObject({ achieved: 3, rate: 3 });
    expect(a.mean_rate).toBeCloseTo(97 / 150, 12);
    expect(a.verdict).toBe('fail');
  });
  it('a single miss at 50 % is still 结题 though the mean is 75 %; at 49 % it is 不通过', () => {
    const rows = (revenueRate: number) => [
      { indicator: '申请发明专利', indicator_en: 'Patents', rate: 1 },
      { indicator: '新增销售收入', indicator_en: 'Revenue', rate: revenueRate },
    ];
    const t = resolveAcceptanceThresholds();
    expect(suggestVerdict(rows(0.5), 0, t)).toMatchObject({ verdict: 'conditional', mean_rate: 0.75 });
    expect(suggestVerdict(rows(0.49), 0, t).verdict).toBe('fail');
    expect(suggestVerdict(rows(0.5), 0, resolveAcceptanceThresholds({ single_miss_floor: null })).verdict).toBe('fail');
  });
  it('thresholds are configurable: with a 70 % mean, 0.7667 becomes 结题', () => {
    const outputs = [...fullOutputs().slice(0, 6), { kind: 'talent_trained', title: '研究生', year: 2026, quantity: 2 }];
    expect(assessAcceptance(input({ outputs, reported: { foreign_experts: 2 }, thresholds: { conditional_mean_rate: 0.7 } })).verdict).toBe('conditional');
    expect(codeOf(() => resolveAcceptanceThresholds({ conditional_mean_rate: 1.2 }))).toBe('ACCEPTANCE_CONFIG_INVALID');
  });
});

describe('assessAcceptance — refusals', () => {
  it('the day before the end is refused with ACCEPTANCE_BEFORE_END (409); the end date itself is allowed', () => {
    let err: { code?: string; status?: number; messageZh?: string } = {};
    try {
      assessAcceptance(input({ as_of: '2026-06-29' }));
    } catch (e) {
      err = e as typeof err;
    }
    expect([err.code, err.status]).toEqual(['ACCEPTANCE_BEFORE_END', 409]);
    expect(err.messageZh).toBe('项目 CZ-GJ-2024-07 的执行期至 2026-06-30 结束，2026-06-29 不能验收（终止的项目按终止处理）');
    expect(codeOf(() => assessAcceptance(input({ as_of: '2026-06-30' })))).toBe('NONE');
  });
});

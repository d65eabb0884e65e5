/**
 * The results of one evaluation run: the ranking (score, rank, rank interval, dimension scores;
 * sorted, filtered, paged, exported as the run's XLSX with every intermediate table or as a CSV
 * of the view), a bar chart of scores, dimension profiles of chosen units (radar or bars) and a
 * heat map of all units, the Monte-Carlo rank intervals with sensitivity indices and
 * leave-one-out shifts, and the methods, weights and provenance. Each unit links to "why this
 * score". Tab, level and list state live in the address.
 */
import { DownloadOutlined, QuestionCircleOutlined, RedoOutlined, SyncOutlined } from '@ant-design/icons';
import { Alert, Button, Col, Collapse, Descriptions, Input, Progress, Row, Segmented, Select, Space, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { download } from '../../api.ts';
import { ErrorAlert, ErrorPage } from '../../components/ErrorView.tsx';
import { EmptyState, Loading } from '../../components/PageState.tsx';
import type { Lang } from '../../i18n.ts';
import { Chart, PALETTE, type ChartOption } from './charts.ts';
import { html } from '../../components/escape.ts';
import { BASE, bilingual, compareCells, dateTime, fmt, matches, nodeName, pct, saveCsv, score2, useCanWrite, useFramework, useListState, useRun, useUncertainty } from './data.ts';
import { PageTitle, useI, useReproduce } from './shared.tsx';
import type { FNode, RunDetail, RunUnit, Uncertainty } from './types.ts';

type Names = Map<string, FNode>;

export default function RunPage() {
  const { id = '' } = useParams();
  const runId = Number(id) || 0;
  const { t, lang } = useI();
  const navigate = useNavigate();
  const canWrite = useCanWrite();
  const s = useListState({ sort: 'rank', order: 'asc' });
  const run = useRun(runId);
  const fw = useFramework(run.data?.framework.id, run.data?.version);
  const unc = useUncertainty(runId, !!run.data?.replications);
  const reproduce = useReproduce();
  const tab = s.params.get('tab') ?? 'ranking';

  const names: Names = useMemo(() => new Map((fw.data?.nodes ?? []).map((n) => [n.code, n])), [fw.data]);
  const root = fw.data?.tree;
  const levels = useMemo(() => {
    const ls = new Set<number>();
    for (const n of fw.data?.nodes ?? []) if (n.type === 'aggregate' && n.parent !== null && n.level !== null) ls.add(n.level);
    return [...ls].sort((a, b) => a - b);
  }, [fw.data]);
  const level = Number(s.params.get('level') ?? '') || levels[0] || 0;
  const dims = useMemo(() => {
    const fromTree = (fw.data?.nodes ?? []).filter((n) => n.type === 'aggregate' && n.parent !== null && n.level === level).map((n) => n.code);
    if (fromTree.length) return fromTree;
    // Without the tree (still loading), the dimensions the results carry.
    return Object.keys(run.data?.units[0]?.dimensions ?? {});
  }, [fw.data, level, run.data]);
  // Stable between renders: the charts' options depend on it, and a new option redraws a chart.
  const dimName = useCallback((c: string) => nodeName(names.get(c), lang) || c, [names, lang]);

  if (run.isLoading) return <Loading />;
  if (run.error || !run.data) return <ErrorPage error={run.error ?? { status: 404 }} retry={() => run.refetch()} />;
  const r = run.data;

  return (
    <div className="page-card">
      <PageTitle
        zh={`评价结果 #${r.id}`}
        en={`Run #${r.id} results`}
        extra={
          <Space wrap>
            <Button icon={<DownloadOutlined />} onClick={() => download(`${BASE}/runs/${r.id}/export`)} data-testid="run-export">
              {t('common.exportXlsx')}
            </Button>
            <Button icon={<DownloadOutlined />} onClick={() => download(`${BASE}/runs/${r.id}/export`, { format: 'pdf' })} data-testid="run-export-pdf">
              {lang === 'en' ? 'PDF summary' : 'PDF 摘要'}
            </Button>
            <Button icon={<SyncOutlined spin={reproduce.busyId === r.id} />} onClick={() => reproduce.start(r.id)} data-testid="run-reproduce">
              {t('runs.reproduce')}
            </Button>
            {canWrite ? (
              <Button icon={<RedoOutlined />} onClick={() => navigate(`/indicators/runs/new?from=${r.id}`)}>
                {t('runs.again')}
              </Button>
            ) : null}
          </Space>
        }
      />
      {r.label ? (
        <Typography.Title level={5} style={{ marginTop: -8 }} data-testid="run-label">
          {bilingual(r.label, lang)}
        </Typography.Title>
      ) : null}
      <Descriptions
        size="small"
        column={{ xs: 1, md: 3 }}
        style={{ marginBottom: 12 }}
        items={[
          {
            key: 'f',
            label: t('f.framework'),
            children: (
              <Link to={`/indicators/frameworks/${r.framework.id}?version=${r.version}`}>
                {fw.data ? nodeName({ code: r.framework.key, name: fw.data.name, name_en: fw.data.name_en }, lang) : r.framework.name} · v{r.version}
              </Link>
            ),
          },
          { key: 'd', label: t('f.dataset'), children: <Link to={`/indicators/datasets/${r.dataset.id}`}>{r.dataset.name}</Link> },
          { key: 'u', label: t('f.units'), children: t('result.unitsOut', { out: r.units_out, in: r.units_in }) },
          { key: 's', label: t('f.seed'), children: <code data-testid="run-seed">{r.seed}</code> },
          { key: 'h', label: t('f.dataHash'), children: <Tooltip title={r.data_hash}><code style={{ fontSize: 12 }}>{r.data_hash.slice(0, 16)}…</code></Tooltip> },
          { key: 'e', label: t('f.engine'), children: r.engine_version },
          { key: 'm', label: t('f.replications'), children: r.replications ?? '—' },
          { key: 't', label: t('f.duration'), children: r.duration_ms === null ? '—' : t('common.ms', { n: r.duration_ms }) },
          { key: 'c', label: t('f.createdBy'), children: `${r.created_by ?? '—'} · ${dateTime(r.created_at, lang)}` },
        ]}
      />
      {r.warnings.length ? (
        <Collapse
          size="small"
          style={{ marginBottom: 12 }}
          items={[
            {
              key: 'w',
              label: (
                <span>
                  {t('result.warnings')} <Tag color="orange">{r.warnings.length}</Tag>
                </span>
              ),
              children: (
                <ul style={{ margin: 0, paddingLeft: 20 }} data-testid="run-warnings">
                  {r.warnings.map((w, i) => (
                    <li key={i}>
                      {lang === 'en' ? w.message_en : w.message} <code style={{ color: '#888' }}>{w.code}</code>
                    </li>
                  ))}
                </ul>
              ),
            },
          ]}
        />
      ) : null}
      {fw.error ? <ErrorAlert error={fw.error} /> : null}
      <Tabs
        activeKey={tab}
        onChange={(k) => s.set({ tab: k === 'ranking' ? undefined : k }, false)}
        items={[
          { key: 'ranking', label: t('result.ranking'), children: <Ranking r={r} dims={dims} dimName={dimName} levels={levels} level={level} /> },
          { key: 'chart', label: t('result.chart'), children: <ScoreChart r={r} /> },
          { key: 'dimensions', label: t('result.dimensions'), children: <Dimensions r={r} dims={dims} dimName={dimName} levels={levels} level={level} /> },
          {
            key: 'uncertainty',
            label: t('result.uncertainty'),
            children: r.replications ? (
              unc.isLoading ? (
                <Loading />
              ) : unc.error || !unc.data ? (
                <ErrorAlert error={unc.error} />
              ) : (
                <UncertaintyView r={r} u={unc.data} names={names} />
              )
            ) : (
              <Alert type="info" showIcon title={t('result.noUncertainty')} />
            ),
          },
          { key: 'settings', label: t('result.settings'), children: <Settings r={r} names={names} rootCode={root?.code} /> },
        ]}
      />
      {reproduce.dialog}
    </div>
  );
}

function LevelSelect({ levels, level }: { levels: number[]; level: number }) {
  const { t } = useI();
  const s = useListState();
  if (levels.length < 2) return null;
  return (
    <Space>
      <span style={{ color: '#888' }}>{t('result.dimLevel')}</span>
      <Segmented<number> value={level} onChange={(v) => s.set({ level: String(v) }, false)} options={levels.map((l) => ({ value: l, label: t('result.levelN', { n: l }) }))} data-testid="level-select" />
    </Space>
  );
}

const unitLabel = (u: Pick<RunUnit, 'unit' | 'name'>, lang: Lang) => {
  const n = bilingual(u.name, lang);
  return n && n !== u.unit ? n : u.unit;
};

function Ranking({ r, dims, dimName, levels, level }: { r: RunDetail; dims: string[]; dimName: (c: string) => string; levels: number[]; level: number }) {
  const { t, lang } = useI();
  const s = useListState({ sort: 'rank', order: 'asc' });
  const hasIntervals = r.units.some((u) => u.rank_interval);
  const val = (u: RunUnit): unknown =>
    s.sort === 'unit' ? u.unit : s.sort === 'name' ? unitLabel(u, lang) : s.sort === 'score' ? u.score : s.sort === 'interval' ? u.median_rank : s.sort.startsWith('d:') ? u.dimensions[s.sort.slice(2)]?.score : u.rank;
  const rows = r.units.filter((u) => matches(s.q, u.unit, u.name)).sort((a, b) => (s.order === 'desc' ? -1 : 1) * compareCells(val(a), val(b)));
  const so = (k: string) => (s.sort === k ? (s.order === 'desc' ? ('descend' as const) : ('ascend' as const)) : null);

  const exportCsv = () =>
    saveCsv(
      `run-${r.id}-${lang === 'en' ? 'ranking' : '排名'}.csv`,
      [t('f.rank'), t('f.unitCode'), t('f.unitName'), t('f.score'), ...(hasIntervals ? [t('f.medianRank'), t('result.interval')] : []), ...dims.map(dimName)],
      rows.map((u) => [u.rank, u.unit, u.name, u.score, ...(hasIntervals ? [u.median_rank, u.rank_interval ? `${u.rank_interval[0]}–${u.rank_interval[1]}` : ''] : []), ...dims.map((d) => u.dimensions[d]?.score ?? null)]),
    );

  return (
    <>
      <div className="toolbar">
        <Input.Search allowClear defaultValue={s.q} placeholder={t('common.search')} onSearch={(v) => s.set({ q: v.trim() || undefined })} style={{ width: 240 }} data-testid="ranking-search" />
        <LevelSelect levels={levels} level={level} />
        <span className="spacer" />
        <Button icon={<DownloadOutlined />} onClick={exportCsv}>
          {t('common.exportCsv')}
        </Button>
      </div>
      <Table<RunUnit>
        size="small"
        rowKey="unit"
        dataSource={rows}
        scroll={{ x: 'max-content' }}
        data-testid="ranking-table"
        locale={{ emptyText: <EmptyState hint={t('result.emptyRun')} /> }}
        onChange={(p, _f, sorter) => {
          const x = Array.isArray(sorter) ? sorter[0] : sorter;
          s.set({ sort: x?.order ? String(x.columnKey) : undefined, order: x?.order === 'descend' ? 'desc' : x?.order ? 'asc' : undefined, page: String(p.current ?? 1), pageSize: String(p.pageSize ?? 20) }, false);
        }}
        pagination={{ current: s.page, pageSize: s.pageSize, showSizeChanger: true, pageSizeOptions: [10, 20, 50, 100, 200], showTotal: (n) => t('common:state.total', { total: n }) }}
        columns={[
          { key: 'rank', title: t('f.rank'), sorter: true, sortOrder: so('rank'), align: 'right', fixed: 'left', width: 70, render: (_: unknown, u) => <b data-testid={`rank-${u.unit}`}>{u.rank ?? '—'}</b> },
          { key: 'unit', title: t('f.unitCode'), sorter: true, sortOrder: so('unit'), fixed: 'left', render: (_: unknown, u) => <code data-testid={`ranking-unit-${u.rank}`}>{u.unit}</code> },
          { key: 'name', title: t('f.unitName'), sorter: true, sortOrder: so('name'), render: (_: unknown, u) => unitLabel(u, lang) },
          {
            key: 'score',
            title: t('f.score'),
            sorter: true,
            sortOrder: so('score'),
            align: 'right',
            render: (_: unknown, u) => (
              <b className="num" data-testid={`score-${u.unit}`} data-value={u.score ?? ''}>
                {score2(u.score)}
              </b>
            ),
          },
          ...(hasIntervals
            ? [
                {
                  key: 'interval',
                  title: t('f.rankInterval'),
                  sorter: true,
                  sortOrder: so('interval'),
                  render: (_: unknown, u: RunUnit) => (u.rank_interval ? <IntervalBar u={u} n={r.units.length} /> : '—'),
                },
              ]
            : []),
          ...dims.map((d) => ({
            key: `d:${d}`,
            title: <Tooltip title={d}>{dimName(d)}</Tooltip>,
            sorter: true,
            sortOrder: so(`d:${d}`),
            align: 'right' as const,
            render: (_: unknown, u: RunUnit) => {
              const x = u.dimensions[d];
              return x ? (
                <span className="num">
                  {score2(x.score)} <span style={{ color: '#aaa', fontSize: 12 }}>({x.rank ?? '—'})</span>
                </span>
              ) : (
                '—'
              );
            },
          })),
          {
            key: 'why',
            title: '',
            fixed: 'right',
            render: (_: unknown, u) => (
              <Link to={`/indicators/runs/${r.id}/explain?unit=${encodeURIComponent(u.unit)}`} data-testid={`why-${u.unit}`}>
                <QuestionCircleOutlined /> {t('result.why')}
              </Link>
            ),
          },
        ]}
      />
    </>
  );
}

/** A small picture of a rank interval: the bar spans 5–95 %, the tick marks the median. */
function IntervalBar({ u, n }: { u: RunUnit; n: number }) {
  const [lo, hi] = u.rank_interval!;
  const w = 120;
  const x = (rank: number) => ((rank - 1) / Math.max(1, n - 1)) * w;
  return (
    <Tooltip title={`${lo}–${hi}, median ${u.median_rank}`}>
      <span style={{ display: 'inline-flex', alignItems: 'center', gap: 6 }} data-testid={`interval-${u.unit}`}>
        <svg width={w + 4} height={12} aria-hidden>
          <line x1={2} x2={w + 2} y1={6} y2={6} stroke="#eee" strokeWidth={2} />
          <rect x={2 + x(lo)} y={2} width={Math.max(2, x(hi) - x(lo))} height={8} fill="#91caff" rx={2} />
          {u.median_rank !== null ? <rect x={1 + x(u.median_rank)} y={0} width={2} height={12} fill="#0958d9" /> : null}
        </svg>
        <span className="num" style={{ fontSize: 12 }}>
          {lo}–{hi}
        </span>
      </span>
    </Tooltip>
  );
}

function ScoreChart({ r }: { r: RunDetail }) {
  const { t, lang } = useI();
  const units = useMemo(() => r.units.filter((u) => u.score !== null).sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9)), [r]);
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => score2(Number(v)) },
      grid: { left: 48, right: 16, top: 24, bottom: units.length > 40 ? 72 : 48 },
      xAxis: { type: 'category', data: units.map((u) => u.unit), axisLabel: { rotate: units.length > 20 ? 60 : 0, interval: 0, fontSize: 11 } },
      yAxis: { type: 'value', name: t('f.score') },
      dataZoom: units.length > 60 ? [{ type: 'slider', start: 0, end: Math.round((60 / units.length) * 100), bottom: 8 }] : undefined,
      series: [
        {
          type: 'bar',
          name: t('f.score'),
          data: units.map((u) => ({ value: u.score, name: unitLabel(u, lang) })),
          itemStyle: { color: '#1677ff' },
          label: units.length <= 30 ? { show: true, position: 'top', formatter: (p: { value: number }) => score2(p.value), fontSize: 10 } : undefined,
        },
      ],
    }),
    [units, t, lang],
  );
  if (!units.length) return <EmptyState hint={t('result.emptyRun')} />;
  return <Chart option={option} height={420} data-testid="score-chart" aria-label={t('result.chart')} />;
}

function Dimensions({ r, dims, dimName, levels, level }: { r: RunDetail; dims: string[]; dimName: (c: string) => string; levels: number[]; level: number }) {
  const { t, lang } = useI();
  const byRank = useMemo(() => [...r.units].sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9)), [r]);
  const [chosen, setChosen] = useState<string[]>(() => byRank.slice(0, 3).map((u) => u.unit));
  const [mode, setMode] = useState<'radar' | 'bars'>('radar');
  const picked = useMemo(() => chosen.map((c) => r.units.find((u) => u.unit === c)).filter((u): u is RunUnit => !!u), [chosen, r.units]);
  const max = Math.max(1, ...r.units.flatMap((u) => dims.map((d) => u.dimensions[d]?.score ?? 0)));
  const min = Math.min(0, ...r.units.flatMap((u) => dims.map((d) => u.dimensions[d]?.score ?? 0)));

  const profile = useMemo<ChartOption>(() => {
    if (mode === 'radar') {
      return {
        color: PALETTE,
        tooltip: { trigger: 'item' },
        legend: { bottom: 0 },
        radar: { indicator: dims.map((d) => ({ name: dimName(d), max: Math.ceil(max), min: Math.floor(min) })), radius: '65%' },
        series: [{ type: 'radar', data: picked.map((u) => ({ name: unitLabel(u, lang), value: dims.map((d) => u.dimensions[d]?.score ?? null) })) }],
      };
    }
    return {
      color: PALETTE,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => score2(Number(v)) },
      legend: { bottom: 0 },
      grid: { left: 48, right: 16, top: 24, bottom: 72 },
      xAxis: { type: 'category', data: dims.map(dimName), axisLabel: { interval: 0, rotate: dims.length > 6 ? 30 : 0 } },
      yAxis: { type: 'value', name: t('f.score') },
      series: picked.map((u) => ({ type: 'bar', name: unitLabel(u, lang), data: dims.map((d) => u.dimensions[d]?.score ?? null) })),
    };
  }, [mode, dims, picked, dimName, lang, max, min, t]);

  const heat = useMemo<ChartOption>(() => {
    const data: [number, number, number | null][] = [];
    byRank.forEach((u, i) => dims.forEach((d, j) => data.push([j, i, u.dimensions[d]?.score ?? null])));
    return {
      tooltip: { position: 'top', formatter: (p: { value: [number, number, number | null] }) => html`${byRank[p.value[1]].unit} · ${dimName(dims[p.value[0]])}: ${score2(p.value[2])}` },
      grid: { left: 64, right: 24, top: 8, bottom: dims.length > 6 ? 150 : 90 },
      xAxis: { type: 'category', data: dims.map(dimName), splitArea: { show: true }, axisLabel: { interval: 0, rotate: dims.length > 6 ? 30 : 0 } },
      yAxis: { type: 'category', data: byRank.map((u) => `${u.rank ?? '—'} ${u.unit}`), inverse: true, axisLabel: { fontSize: 10 } },
      visualMap: { min: Math.floor(min), max: Math.ceil(max), calculable: true, orient: 'horizontal', left: 'center', bottom: 0, inRange: { color: ['#f7fbff', '#6baed6', '#08306b'] } },
      series: [{ type: 'heatmap', data, label: { show: dims.length <= 10 && byRank.length <= 60, fontSize: 9, formatter: (p: { value: [number, number, number | null] }) => (p.value[2] === null ? '' : p.value[2].toFixed(0)) } }],
    };
  }, [byRank, dims, dimName, min, max]);

  if (!dims.length) return <EmptyState hint={t('result.emptyRun')} />;
  return (
    <>
      <div className="toolbar">
        <Select
          mode="multiple"
          value={chosen}
          onChange={setChosen}
          maxCount={10}
          placeholder={t('result.chooseUnits')}
          options={byRank.map((u) => ({ value: u.unit, label: `${u.rank ?? '—'}. ${u.unit} ${unitLabel(u, lang) !== u.unit ? unitLabel(u, lang) : ''}` }))}
          style={{ minWidth: 360 }}
          optionFilterProp="label"
          data-testid="dimension-units"
          aria-label={t('result.chooseUnits')}
        />
        <Segmented<'radar' | 'bars'>
          value={mode}
          onChange={setMode}
          options={[
            { value: 'radar', label: t('result.radar') },
            { value: 'bars', label: t('result.stacked') },
          ]}
        />
        <LevelSelect levels={levels} level={level} />
      </div>
      {picked.length ? <Chart option={profile} height={440} data-testid="dimension-chart" aria-label={t('result.dimensions')} /> : <EmptyState hint={t('result.chooseUnits')} />}
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('result.heatmap')}
      </Typography.Title>
      <Chart option={heat} height={Math.max(300, byRank.length * 16 + (dims.length > 6 ? 170 : 110))} data-testid="dimension-heatmap" aria-label={t('result.heatmap')} />
    </>
  );
}

function UncertaintyView({ r, u, names }: { r: RunDetail; u: Uncertainty; names: Names }) {
  const { t, lang } = useI();
  const units = useMemo(() => [...u.units].sort((a, b) => a.median_rank - b.median_rank || a.nominal_rank - b.nominal_rank), [u]);
  const n = r.units.length;
  const factorName = (f: string) => t(`result.factorNames.${f}`, { defaultValue: f });
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (ps: { dataIndex: number }[]) => {
          const x = units[ps[0].dataIndex];
          return html`${x.unit}<br/>${t('result.nominal')}: ${x.nominal_rank}<br/>${t('result.median')}: ${x.median_rank}<br/>${t('result.interval')}: ${x.rank_interval[0]}–${x.rank_interval[1]}`;
        },
      },
      legend: { top: 0, data: [t('result.interval'), t('result.median'), t('result.nominal')] },
      grid: { left: 60, right: 24, top: 32, bottom: 32 },
      yAxis: { type: 'category', data: units.map((x) => x.unit), inverse: true, axisLabel: { fontSize: 10, interval: 0 } },
      xAxis: { type: 'value', name: t('f.rank'), min: 1, max: n, inverse: false },
      series: [
        // An invisible bar up to the lower rank, with the interval stacked on it: a floating bar from lo to hi.
        { type: 'bar', stack: 'iv', data: units.map((x) => x.rank_interval[0]), itemStyle: { color: 'transparent' }, silent: true, barWidth: 8, name: '_base' },
        { type: 'bar', stack: 'iv', name: t('result.interval'), data: units.map((x) => Math.max(0.2, x.rank_interval[1] - x.rank_interval[0])), itemStyle: { color: '#91caff', borderRadius: 3 }, barWidth: 8 },
        { type: 'scatter', name: t('result.median'), data: units.map((x) => x.median_rank), symbolSize: 8, itemStyle: { color: '#0958d9' } },
        { type: 'scatter', name: t('result.nominal'), data: units.map((x) => x.nominal_rank), symbol: 'diamond', symbolSize: 8, itemStyle: { color: '#fa541c' } },
      ],
    }),
    [units, n, t],
  );
  const loo = [...(u.leave_one_out ?? [])].sort((a, b) => b.mean_abs_shift - a.mean_abs_shift);
  return (
    <>
      <Typography.Title level={5}>{t('result.intervals')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('result.intervalsHelp', { n: u.replications, factors: u.factors.map(factorName).join(lang === 'en' ? ', ' : '、') })}</Typography.Paragraph>
      <Chart option={option} height={Math.max(300, units.length * 16 + 80)} data-testid="interval-chart" aria-label={t('result.intervals')} />
      <Row gutter={24} style={{ marginTop: 16 }}>
        <Col xs={24} lg={10}>
          {u.sensitivity?.length ? (
            <>
              <Typography.Title level={5}>{t('result.sensitivity')}</Typography.Title>
              <Typography.Paragraph type="secondary">{t('result.sensitivityHelp')}</Typography.Paragraph>
              <Table
                size="small"
                rowKey="factor"
                pagination={false}
                dataSource={u.sensitivity}
                data-testid="sensitivity-table"
                columns={[
                  { key: 'f', title: t('result.factor'), render: (_: unknown, x) => factorName(x.factor) },
                  { key: 's', title: t('result.first'), render: (_: unknown, x) => <Bar v={x.first} lang={lang} /> },
                  { key: 't', title: t('result.total'), render: (_: unknown, x) => <Bar v={x.total} lang={lang} /> },
                ]}
              />
            </>
          ) : null}
        </Col>
        <Col xs={24} lg={14}>
          {loo.length ? (
            <>
              <Typography.Title level={5}>{t('result.loo')}</Typography.Title>
              <Typography.Paragraph type="secondary">{t('result.looHelp')}</Typography.Paragraph>
              <Table
                size="small"
                rowKey="indicator"
                dataSource={loo}
                pagination={{ pageSize: 10, showSizeChanger: false }}
                data-testid="loo-table"
                columns={[
                  { key: 'i', title: t('f.code'), render: (_: unknown, x) => <code>{x.indicator}</code> },
                  { key: 'n', title: t('f.name'), render: (_: unknown, x) => nodeName(names.get(x.indicator), lang) },
                  { key: 'm', title: t('result.meanShift'), align: 'right', sorter: (a, b) => a.mean_abs_shift - b.mean_abs_shift, render: (_: unknown, x) => fmt(x.mean_abs_shift, lang, 2) },
                  { key: 'x', title: t('result.maxShift'), align: 'right', sorter: (a, b) => a.max_abs_shift - b.max_abs_shift, render: (_: unknown, x) => x.max_abs_shift },
                ]}
              />
            </>
          ) : null}
        </Col>
      </Row>
    </>
  );
}

function Bar({ v, lang }: { v: number | null; lang: Lang }) {
  if (v === null) return <span>—</span>;
  return (
    <Space>
      <Progress percent={Math.max(0, Math.min(100, v * 100))} size="small" showInfo={false} style={{ width: 90, margin: 0 }} />
      <span className="num">{fmt(v, lang, 3)}</span>
    </Space>
  );
}

function Settings({ r, names, rootCode }: { r: RunDetail; names: Names; rootCode?: string }) {
  const { t, lang } = useI();
  const rows = Object.entries(r.node_weights)
    .filter(([c]) => c !== rootCode)
    .map(([code, w]) => ({ code, w, eff: r.weights[code] ?? null, node: names.get(code) }));
  return (
    <Row gutter={24}>
      <Col xs={24} lg={10}>
        <Typography.Title level={5}>{t('result.methodsUsed')}</Typography.Title>
        <pre style={{ background: '#fafafa', padding: 12, borderRadius: 6, fontSize: 12, overflow: 'auto' }} data-testid="run-methods">
          {JSON.stringify(r.methods, null, 2)}
        </pre>
        <Typography.Title level={5}>{t('result.request')}</Typography.Title>
        <pre style={{ background: '#fafafa', padding: 12, borderRadius: 6, fontSize: 12, overflow: 'auto' }}>{JSON.stringify(r.request, null, 2)}</pre>
      </Col>
      <Col xs={24} lg={14}>
        <Typography.Title level={5}>{t('result.weights')}</Typography.Title>
        <Table
          size="small"
          rowKey="code"
          dataSource={rows}
          pagination={{ pageSize: 20, showSizeChanger: false }}
          columns={[
            { key: 'c', title: t('f.code'), render: (_: unknown, x) => <code>{x.code}</code> },
            { key: 'n', title: t('f.name'), render: (_: unknown, x) => nodeName(x.node, lang) },
            { key: 't', title: t('f.type'), render: (_: unknown, x) => (x.node ? t(`type.${x.node.type}`) : '') },
            { key: 'w', title: t('result.nodeWeight'), align: 'right', sorter: (a, b) => a.w - b.w, render: (_: unknown, x) => pct(x.w, lang, 2) },
            { key: 'e', title: t('result.effWeight'), align: 'right', sorter: (a, b) => (a.eff ?? -1) - (b.eff ?? -1), render: (_: unknown, x) => (x.eff === null ? '' : pct(x.eff, lang, 2)) },
          ]}
        />
      </Col>
    </Row>
  );
}

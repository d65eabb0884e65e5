/**
 * Concentration (paper 002 §2.3: the top ten partner countries hold 90.9 % of funding): the
 * top-N share, the Herfindahl index and the Gini coefficient of the unit totals, a Pareto
 * chart (bars by unit, cumulative share as a line) and the ranked table. Besides the funding
 * measures, participations and partner projects are counted on the project partners — by
 * country, the partner countries even where the funding lines name none (the seed tables).
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col as GridCol, InputNumber, Row, Select, Space, Typography } from 'antd';
import { useMemo } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../../api.ts';
import { Chart, type ChartOption } from '../../components/Chart.tsx';
import { ErrorAlert } from '../../components/ErrorView.tsx';
import { DataTable, DRILLABLE, FilterBar, Figure, fmt, fundingRecordsUrl, Labeled, MEASURES, PageTitle, PALETTE, pct, QueryState, UNIT_DIMS, unitLabel, useA, useFilters, type Col } from './shared.tsx';
import type { ConcentrationReply } from './types.ts';

/** Measures counted on the project partners rather than the funding lines (server: PARTNER_MEASURES). */
const PARTNER_MEASURES = ['participations', 'partner_projects'] as const;
const ALL_MEASURES: readonly string[] = [...MEASURES, ...PARTNER_MEASURES];

interface MemberRow {
  key: string;
  rank: number;
  unit: string | number | null;
  /** By country on a partner measure: the country's ISO3 code. */
  iso3: string | null;
  label: string;
  value: number;
  share: number;
  cumulative: number;
  top: boolean;
}

export default function Concentration() {
  const { t, lang } = useA();
  const f = useFilters();
  const navigate = useNavigate();
  const by = (UNIT_DIMS as readonly string[]).includes(f.get('by')) ? f.get('by') : 'country';
  const measure = ALL_MEASURES.includes(f.get('measure')) ? f.get('measure') : 'amount';
  const partner = (PARTNER_MEASURES as readonly string[]).includes(measure);
  const dims = partner ? UNIT_DIMS.filter((x) => x !== 'source') : UNIT_DIMS;
  const top = Math.min(1000, Math.max(1, Number(f.get('top', '10')) || 10));
  const params = { by, measure, top, ...f.query };
  const q = useQuery({
    queryKey: ['analytics', 'concentration', params],
    queryFn: () => api.get<ConcentrationReply>('/api/analytics/concentration', params),
    enabled: f.ready,
    placeholderData: keepPreviousData,
  });
  const unassigned = t('common.unassigned');
  const digits = measure === 'amount' ? 4 : 0;
  const rows: MemberRow[] = useMemo(
    () =>
      (q.data?.members ?? []).map((m) => ({
        key: String(m[by]),
        rank: Number(m.rank),
        unit: m[by],
        iso3: typeof m.iso3 === 'string' ? m.iso3 : null,
        label: unitLabel(by, m[by], lang, unassigned),
        value: Number(m[measure]),
        share: Number(m.share),
        cumulative: Number(m.cumulative),
        top: Number(m.rank) <= top,
      })),
    [q.data, by, measure, top, lang, unassigned],
  );

  const chart: ChartOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: rows.map((r) => r.label), axisLabel: { interval: 0, rotate: rows.length > 8 ? 35 : 0 } },
      yAxis: [
        { type: 'value', nameTextStyle: { align: 'left' }, name: t(`measure.${measure}`) },
        { type: 'value', nameTextStyle: { align: 'right' }, name: t('common.cumulative'), min: 0, max: 1, axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` }, splitLine: { show: false } },
      ],
      dataZoom: rows.length > 30 ? [{ type: 'slider', start: 0, end: (30 / rows.length) * 100 }] : undefined,
      series: [
        {
          name: t(`measure.${measure}`),
          type: 'bar',
          data: rows.map((r) => ({ value: r.value, itemStyle: { color: r.top ? PALETTE[0] : '#bfbfbf' } })),
        },
        {
          name: t('common.cumulative'),
          type: 'line',
          yAxisIndex: 1,
          data: rows.map((r) => r.cumulative),
          itemStyle: { color: PALETTE[6] },
          tooltip: { valueFormatter: (v: number) => pct(v, lang) },
          markLine: rows.length > top ? { symbol: 'none', lineStyle: { type: 'dashed' }, label: { formatter: `Top ${top}` }, data: [{ xAxis: top - 1 }] } : undefined,
        },
      ],
    }),
    [rows, measure, top, lang, t],
  );

  // Funding measures open the funding records behind a unit; partner measures by country open the projects with partners of it.
  const drillable = partner ? by === 'country' : (DRILLABLE as readonly string[]).includes(by) && measure !== 'projects';
  const openRecords = async (unit: string | number | null, iso3: string | null = null) => {
    if (!drillable) return;
    if (partner) {
      if (iso3) navigate(`/registries/projects?partner_country=${iso3}`);
      return;
    }
    const url = await fundingRecordsUrl({ [by]: unit }, { regionId: f.regionId, regionPath: f.contextPath, from: f.from, to: f.to });
    if (url) navigate(url);
  };

  const cols: Col<MemberRow>[] = [
    { key: 'rank', title: t('common.rank'), csv: 'rank', num: true, digits: 0, defaultSort: 'ascend' },
    {
      key: 'label',
      title: t(`dim.${by}`),
      csv: by,
      render: (r) =>
        drillable ? (
          <Typography.Link onClick={() => void openRecords(r.unit, r.iso3)} data-col="unit">
            {r.label}
          </Typography.Link>
        ) : (
          <span data-col="unit">{r.label}</span>
        ),
    },
    { key: 'value', title: t(`measure.${measure}`), csv: measure, num: true, digits },
    { key: 'share', title: t('common.share'), csv: 'share', num: true, render: (r) => <span className="num" data-col="share">{pct(r.share, lang)}</span> },
    { key: 'cumulative', title: t('common.cumulative'), csv: 'cumulative', num: true, render: (r) => <span className="num" data-col="cumulative">{pct(r.cumulative, lang)}</span> },
  ];

  const d = q.data;
  return (
    <div className="page-card">
      <PageTitle title={t('concentration.title')} subtitle={t('concentration.subtitle')} />
      <FilterBar f={f}>
        <Labeled label={t('filter.by')}>
          <Select value={by} onChange={(v) => f.set({ by: v === 'country' ? undefined : v })} options={dims.map((x) => ({ value: x, label: t(`dim.${x}`) }))} style={{ width: 120 }} data-testid="concentration-by" />
        </Labeled>
        <Labeled label={t('filter.measure')}>
          <Select
            value={measure}
            // Funding sources are no partner dimension: switching to a partner measure leaves them for the default (country).
            onChange={(v) => f.set({ measure: v === 'amount' ? undefined : v, ...((PARTNER_MEASURES as readonly string[]).includes(v) && by === 'source' ? { by: undefined } : {}) })}
            options={[
              ...MEASURES.map((m) => ({ value: m as string, label: t(`measure.${m}`) })),
              { label: t('concentration.partnerMeasures'), options: PARTNER_MEASURES.map((m) => ({ value: m as string, label: t(`measure.${m}`) })) },
            ]}
            style={{ width: 160 }}
            data-testid="concentration-measure"
          />
        </Labeled>
        <Labeled label={t('filter.top')}>
          <InputNumber min={1} max={1000} value={top} onChange={(v) => f.set({ top: v && v !== 10 ? v : undefined })} style={{ width: 80 }} data-testid="concentration-top" />
        </Labeled>
      </FilterBar>
      {q.error ? <ErrorAlert error={q.error} /> : null}
      {d?.unassigned ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="concentration-unassigned"
          title={
            partner
              ? t('concentration.unassignedPartners', { records: d.unassigned.records, dim: t(`dim.${by}`) })
              : t('concentration.unassigned', { value: fmt(d.unassigned.value, lang, digits), records: d.unassigned.records, dim: t(`dim.${by}`) })
          }
        />
      ) : null}
      {partner ? (
        <Typography.Paragraph type="secondary" data-testid="concentration-partner-note">
          {t('concentration.partnerNote')}
        </Typography.Paragraph>
      ) : null}
      <QueryState
        loading={q.isLoading || !f.ready}
        empty={!q.error && rows.length === 0}
        emptyHint={
          by === 'country' && !partner ? (
            <>
              {t('concentration.emptyCountry')}
              <br />
              <Button type="link" size="small" onClick={() => f.set({ measure: 'partner_projects' })} data-testid="concentration-try-partners">
                {t('concentration.tryPartners')}
              </Button>
            </>
          ) : undefined
        }
      >
        {d ? (
          <Space wrap size={12} style={{ marginBottom: 16 }} data-testid="concentration-figures">
            <Figure label={t('concentration.n')} value={<span data-testid="fig-n">{d.n}</span>} />
            <Figure label={t('concentration.totalValue')} value={<span data-testid="fig-total">{fmt(d.total, lang, digits)}</span>} />
            <Figure label={t('concentration.topShare', { top: d.top })} value={<span data-testid="fig-topshare">{pct(d.topShare, lang)}</span>} />
            <Figure label={t('concentration.hhi')} hint={t('concentration.hhiHint')} value={<span data-testid="fig-hhi">{fmt(d.hhi, lang, 4)}</span>} />
            <Figure label={t('concentration.gini')} hint={t('concentration.giniHint')} value={<span data-testid="fig-gini">{fmt(d.gini, lang, 4)}</span>} />
          </Space>
        ) : null}
        <Row gutter={[16, 16]}>
          <GridCol xs={24} xl={14}>
            <Card size="small" title={t('concentration.pareto')}>
              <Chart
                option={chart}
                height={380}
                data-testid="concentration-chart"
                onClick={(e) => (e.seriesIndex === 0 ? void openRecords(rows[e.dataIndex]?.unit ?? null, rows[e.dataIndex]?.iso3 ?? null) : undefined)}
              />
            </Card>
          </GridCol>
          <GridCol xs={24} xl={10}>
            <DataTable<MemberRow> rows={rows} cols={cols} rowKey={(r) => r.key} testid="concentration-table" fileName={`concentration-${by}`} />
          </GridCol>
        </Row>
      </QueryState>
    </div>
  );
}

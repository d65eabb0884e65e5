/**
 * Tiers (方阵, paper 002 表2 and §2.2): units grouped by thresholds (or quantiles) on a measure,
 * the tiers with their ranges and members, a bar chart of the unit totals with the thresholds
 * drawn across it, and the line of the yearly totals with its shape (the paper's "W").
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Card, Checkbox, Col as GridCol, Input, InputNumber, Row, Segmented, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../../api.ts';
import { Chart, type ChartOption } from '../../components/Chart.tsx';
import { html } from '../../components/escape.ts';
import { ErrorAlert } from '../../components/ErrorView.tsx';
import { DataTable, DRILLABLE, FilterBar, fmt, fundingRecordsUrl, Labeled, MEASURES, PageTitle, PALETTE, QueryState, TIER_COLORS, tierRange, UNIT_DIMS, unitLabel, useA, useFilters, useTierName, type Col } from './shared.tsx';
import type { TiersReply, TrendsReply } from './types.ts';

type Label = string | number;

interface MemberRow {
  key: string;
  tier: number;
  unit: Label;
  value: number;
}

export default function Tiers() {
  const { t, lang } = useA();
  const f = useFilters();
  const navigate = useNavigate();
  const tierName = useTierName();
  const by = (UNIT_DIMS as readonly string[]).includes(f.get('by')) ? f.get('by') : 'region';
  const measure = (MEASURES as readonly string[]).includes(f.get('measure')) ? f.get('measure') : 'amount';
  const mode = f.get('mode') === 'quantiles' ? 'quantiles' : 'thresholds';
  const thresholds = f.get('thresholds', '2000,1000');
  const quantiles = Number(f.get('quantiles', '3')) || 3;
  const districtsOnly = by === 'region' && f.get('districts') !== '0';
  const [thresholdText, setThresholdText] = useState(thresholds);
  useEffect(() => setThresholdText(thresholds), [thresholds]);

  const params = {
    by,
    measure,
    ...(mode === 'thresholds' ? { thresholds } : { quantiles }),
    districtsOnly: districtsOnly ? 'true' : undefined,
    ...f.query,
  };
  const tiers = useQuery({
    queryKey: ['analytics', 'tiers', params],
    queryFn: () => api.get<TiersReply>('/api/analytics/tiers', params),
    enabled: f.ready,
    placeholderData: keepPreviousData,
  });
  const trendParams = { by, measure, ...f.query };
  const trends = useQuery({
    queryKey: ['analytics', 'trends', trendParams],
    queryFn: () => api.get<TrendsReply>('/api/analytics/trends', trendParams),
    enabled: f.ready,
    placeholderData: keepPreviousData,
  });

  const unassigned = t('common.unassigned');
  const rows: MemberRow[] = useMemo(
    () =>
      (tiers.data?.tiers ?? []).flatMap((tier) =>
        tier.members.map((m) => ({ key: `${tier.tier}:${m[by]}`, tier: tier.tier, unit: m[by], value: Number(m[measure]) })),
      ),
    [tiers.data, by, measure],
  );
  const digits = measure === 'amount' ? 4 : 0;

  const barChart: ChartOption = useMemo(() => {
    const sorted = [...rows].sort((a, b) => b.value - a.value);
    const marks = mode === 'thresholds' ? thresholds.split(/[,，]/).map(Number).filter((x) => Number.isFinite(x)) : [];
    return {
      tooltip: { trigger: 'item', formatter: (p: { name: string; value: number; data: { tier: number } }) => html`${p.name}<br/>${tierName(p.data.tier)}：${fmt(p.value, lang, digits)}` },
      grid: { left: 8, right: 56, top: 24, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: sorted.map((r) => unitLabel(by, r.unit, lang, unassigned)), axisLabel: { interval: 0, rotate: sorted.length > 8 ? 30 : 0 } },
      yAxis: { type: 'value', nameTextStyle: { align: 'left' }, name: t(`measure.${measure}`) },
      series: [
        {
          type: 'bar',
          data: sorted.map((r) => ({ value: r.value, tier: r.tier, unit: r.unit, itemStyle: { color: TIER_COLORS[(r.tier - 1) % TIER_COLORS.length] } })),
          label: { show: sorted.length <= 20, position: 'top', formatter: (p: { value: number }) => fmt(p.value, lang, digits) },
          markLine: marks.length
            ? { symbol: 'none', lineStyle: { type: 'dashed', color: '#595959' }, label: { formatter: '{c}', position: 'end' }, data: marks.map((m) => ({ yAxis: m })) }
            : undefined,
        },
      ],
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rows, mode, thresholds, by, measure, lang]);

  const overall = trends.data?.overall;
  const lineChart: ChartOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: (trends.data?.years ?? []).map(String) },
      yAxis: { type: 'value', nameTextStyle: { align: 'left' }, name: t(`measure.${measure}`) },
      series: [
        {
          type: 'line',
          name: t('tiers.yearly'),
          data: overall?.values ?? [],
          symbolSize: 9,
          lineStyle: { width: 3 },
          itemStyle: { color: PALETTE[0] },
          label: { show: true, position: 'top', formatter: (p: { value: number }) => fmt(p.value, lang, digits) },
        },
      ],
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [trends.data, measure, lang],
  );

  const openRecords = async (unit: Label) => {
    if (!(DRILLABLE as readonly string[]).includes(by) || measure === 'projects') return;
    const url = await fundingRecordsUrl({ [by]: unit }, { regionId: f.regionId, regionPath: f.contextPath, from: f.from, to: f.to });
    if (url) navigate(url);
  };

  const cols: Col<MemberRow>[] = [
    {
      key: 'tier',
      title: t('tiers.tierCol'),
      csv: 'tier',
      render: (r) => <Tag color={TIER_COLORS[(r.tier - 1) % TIER_COLORS.length]}>{tierName(r.tier)}</Tag>,
    },
    {
      key: 'unit',
      title: t(`dim.${by}`),
      csv: by,
      value: (r) => unitLabel(by, r.unit, lang, unassigned),
      render: (r) => <span data-col="unit">{unitLabel(by, r.unit, lang, unassigned)}</span>,
    },
    { key: 'value', title: t(`measure.${measure}`), csv: measure, num: true, digits },
  ];

  return (
    <div className="page-card">
      <PageTitle title={t('tiers.title')} subtitle={t('tiers.subtitle')} />
      <FilterBar f={f}>
        <Labeled label={t('filter.by')}>
          <Select value={by} onChange={(v) => f.set({ by: v === 'region' ? undefined : v })} options={UNIT_DIMS.map((d) => ({ value: d, label: t(`dim.${d}`) }))} style={{ width: 120 }} data-testid="tiers-by" />
        </Labeled>
        <Labeled label={t('filter.measure')}>
          <Select value={measure} onChange={(v) => f.set({ measure: v === 'amount' ? undefined : v })} options={MEASURES.map((m) => ({ value: m, label: t(`measure.${m}`) }))} style={{ width: 160 }} data-testid="tiers-measure" />
        </Labeled>
        <Segmented
          value={mode}
          onChange={(v) => f.set({ mode: v === 'thresholds' ? undefined : v })}
          options={[
            { value: 'thresholds', label: t('filter.byThresholds') },
            { value: 'quantiles', label: t('filter.byQuantiles') },
          ]}
        />
        {mode === 'thresholds' ? (
          <Tooltip title={t('filter.thresholdsHint')}>
            <Input.Search
              value={thresholdText}
              onChange={(e) => setThresholdText(e.target.value)}
              onSearch={(v) => f.set({ thresholds: v.trim() === '2000,1000' ? undefined : v.trim() || undefined })}
              enterButton={t('filter.apply')}
              style={{ width: 200 }}
              data-testid="tiers-thresholds"
            />
          </Tooltip>
        ) : (
          <Labeled label={t('filter.quantiles')}>
            <InputNumber min={2} max={20} value={quantiles} onChange={(v) => f.set({ quantiles: v ?? undefined })} style={{ width: 70 }} />
          </Labeled>
        )}
        {by === 'region' ? (
          <Tooltip title={t('filter.districtsOnlyHint')}>
            <Checkbox checked={districtsOnly} onChange={(e) => f.set({ districts: e.target.checked ? undefined : '0' })} data-testid="tiers-districts">
              {t('filter.districtsOnly')}
            </Checkbox>
          </Tooltip>
        ) : null}
      </FilterBar>
      {tiers.error ? <ErrorAlert error={tiers.error} /> : null}
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title={<span data-testid="paper-note">{t('tiers.paperNote')}</span>} />
      <QueryState loading={tiers.isLoading || !f.ready} empty={!tiers.error && rows.length === 0}>
        <Row gutter={[16, 16]} style={{ marginBottom: 16 }} data-testid="tier-cards">
          {(tiers.data?.tiers ?? []).map((tier) => (
            <GridCol key={tier.tier} xs={24} md={12} xl={8}>
              <Card
                size="small"
                data-testid={`tier-${tier.tier}`}
                title={
                  <Space>
                    <Tag color={TIER_COLORS[(tier.tier - 1) % TIER_COLORS.length]}>{tierName(tier.tier)}</Tag>
                    <span data-testid={`tier-${tier.tier}-range`}>{tierRange(t, tier, lang)}</span>
                  </Space>
                }
              >
                <div data-testid={`tier-${tier.tier}-members`}>
                  {tier.members.length === 0
                    ? '—'
                    : tier.members.map((m, i) => (
                        <span key={String(m[by])}>
                          {i > 0 ? (lang === 'en' ? ', ' : '、') : ''}
                          <Typography.Link onClick={() => void openRecords(m[by])} data-member={String(m[by])}>
                            {unitLabel(by, m[by], lang, unassigned)}
                          </Typography.Link>
                          <span style={{ color: '#999' }}>{lang === 'en' ? ` (${fmt(m[measure], lang, digits)})` : `（${fmt(m[measure], lang, digits)}）`}</span>
                        </span>
                      ))}
                </div>
              </Card>
            </GridCol>
          ))}
        </Row>
        <Row gutter={[16, 16]}>
          <GridCol xs={24} xl={14}>
            <Card size="small" title={t('tiers.chart')}>
              <Chart option={barChart} height={340} data-testid="tiers-chart" onClick={(e) => void openRecords((e.data as { unit: Label }).unit)} />
            </Card>
          </GridCol>
          <GridCol xs={24} xl={10}>
            <DataTable<MemberRow> rows={rows} cols={cols} rowKey={(r) => String(r.unit)} testid="tiers-table" fileName={`tiers-${by}`} />
          </GridCol>
          <GridCol xs={24}>
            <Card
              size="small"
              title={t('tiers.yearly')}
              extra={overall ? <span data-testid="yearly-shape">{t('tiers.shape', { pattern: overall.pattern, shape: lang === 'en' ? t(`trends.shapes.${overall.shape}`) : overall.shape_zh })}</span> : null}
            >
              {trends.error ? <ErrorAlert error={trends.error} /> : null}
              <Row gutter={16} align="middle">
                <GridCol xs={24} xl={16}>
                  <Chart option={lineChart} height={260} data-testid="yearly-chart" />
                </GridCol>
                <GridCol xs={24} xl={8}>
                  <table className="yearly" data-testid="yearly-totals" style={{ width: '100%', borderCollapse: 'collapse' }}>
                    <tbody>
                      {(trends.data?.years ?? []).map((y, i) => (
                        <tr key={y} style={{ borderBottom: '1px solid #f0f0f0' }}>
                          <td style={{ padding: '4px 8px' }}>{y}</td>
                          <td className="num" style={{ padding: '4px 8px' }} data-testid={`year-total-${y}`}>
                            {fmt(overall?.values[i], lang, digits)}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </GridCol>
              </Row>
            </Card>
          </GridCol>
        </Row>
      </QueryState>
    </div>
  );
}

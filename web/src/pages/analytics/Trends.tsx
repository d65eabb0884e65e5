/**
 * Trends and stability: each unit's yearly series with its compound growth (CAGR), coefficient
 * of variation and shape named in words (rising, falling, flat, fluctuating), the least stable
 * first, and the yearly totals with their pattern (the paper's "W": ↓↑↓).
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Checkbox, Col as GridCol, InputNumber, Row, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { useMemo } from 'react';
import { api } from '../../api.ts';
import { Chart, type ChartOption } from '../../components/Chart.tsx';
import { ErrorAlert } from '../../components/ErrorView.tsx';
import { DataTable, FilterBar, Figure, fmt, Labeled, PageTitle, PALETTE, pct, QueryState, unitLabel, MEASURES, UNIT_DIMS, useA, useFilters, type Col } from './shared.tsx';
import type { TrendsReply, TrendStats } from './types.ts';

type UnitRow = TrendsReply['units'][number] & { key: string; label: string };

const SHAPE_COLORS: Record<TrendStats['shape'], string> = { rising: 'green', falling: 'red', flat: 'default', fluctuating: 'orange' };

export default function Trends() {
  const { t, lang } = useA();
  const f = useFilters();
  const by = (UNIT_DIMS as readonly string[]).includes(f.get('by')) ? f.get('by') : 'region';
  const measure = (MEASURES as readonly string[]).includes(f.get('measure')) ? f.get('measure') : 'amount';
  const cvThreshold = Number(f.get('cv')) || 0.5;
  const districtsOnly = by === 'region' && f.get('districts') !== '0';
  const params = { by, measure, cvThreshold, districtsOnly: districtsOnly ? 'true' : undefined, ...f.query };
  const q = useQuery({
    queryKey: ['analytics', 'trends', params],
    queryFn: () => api.get<TrendsReply>('/api/analytics/trends', params),
    enabled: f.ready,
    placeholderData: keepPreviousData,
  });
  const unassigned = t('common.unassigned');
  const digits = measure === 'amount' ? 4 : 0;
  const years = q.data?.years ?? [];
  const shapeName = (s: TrendStats) => (lang === 'en' ? t(`trends.shapes.${s.shape}`) : s.shape_zh);

  const rows: UnitRow[] = useMemo(
    () => (q.data?.units ?? []).map((u) => ({ ...u, key: String(u[by]), label: unitLabel(by, u[by], lang, unassigned) })),
    [q.data, by, lang, unassigned],
  );

  const chart: ChartOption = useMemo(() => {
    const overall = q.data?.overall;
    // The totals dwarf the units: drawn on their own axis, at the right.
    return {
      tooltip: { trigger: 'axis' },
      legend: { type: 'scroll', bottom: 0 },
      grid: { left: 8, right: 8, top: 36, bottom: 36, containLabel: true },
      xAxis: { type: 'category', data: years.map(String) },
      yAxis: [
        { type: 'value', nameTextStyle: { align: 'left' }, name: t(`measure.${measure}`) },
        { type: 'value', nameTextStyle: { align: 'right' }, name: t('trends.overall'), splitLine: { show: false } },
      ],
      series: [
        ...rows.map((r, i) => ({
          name: r.label,
          type: 'line',
          data: r.values,
          symbolSize: 6,
          lineStyle: { width: r.unstable ? 2.5 : 1.5, type: r.unstable ? 'solid' : 'dotted' },
          itemStyle: { color: PALETTE[i % PALETTE.length] },
        })),
        overall
          ? {
              name: t('trends.overall'),
              type: 'bar',
              yAxisIndex: 1,
              data: overall.values,
              barWidth: '40%',
              itemStyle: { color: 'rgba(140,140,140,0.25)' },
              label: { show: true, position: 'top', color: '#595959', formatter: (p: { value: number }) => fmt(p.value, lang, digits) },
              z: 0,
            }
          : null,
      ].filter(Boolean),
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rows, q.data, measure, lang]);

  const cols: Col<UnitRow>[] = [
    { key: 'label', title: t(`dim.${by}`), csv: by, fixed: 'left', render: (r) => <span data-col="unit">{r.label}</span> },
    ...years.map<Col<UnitRow>>((y, i) => ({ key: `y${y}`, title: String(y), csv: String(y), num: true, digits, value: (r) => r.values[i] })),
    { key: 'total', title: t('common.total'), csv: 'total', num: true, digits },
    { key: 'cagr', title: t('trends.cagr'), csv: 'cagr', num: true, value: (r) => r.cagr, render: (r) => <span className="num" data-col="cagr">{pct(r.cagr, lang)}</span> },
    { key: 'cv', title: t('trends.cv'), csv: 'cv', num: true, digits: 3, defaultSort: 'descend' },
    { key: 'pattern', title: t('trends.pattern'), csv: 'pattern' },
    {
      key: 'shape',
      title: t('trends.shape'),
      csv: 'shape',
      value: (r) => shapeName(r),
      render: (r) => (
        <Space size={4}>
          <Tag color={SHAPE_COLORS[r.shape]} data-col="shape">
            {shapeName(r)}
          </Tag>
          {r.unstable ? <Tag color="red">{t('trends.unstable')}</Tag> : null}
        </Space>
      ),
    },
  ];

  const overall = q.data?.overall;
  const unstable = rows.filter((r) => r.unstable).length;
  return (
    <div className="page-card">
      <PageTitle title={t('trends.title')} subtitle={t('trends.subtitle')} />
      <FilterBar f={f}>
        <Labeled label={t('filter.by')}>
          <Select value={by} onChange={(v) => f.set({ by: v === 'region' ? undefined : v })} options={UNIT_DIMS.map((d) => ({ value: d, label: t(`dim.${d}`) }))} style={{ width: 120 }} data-testid="trends-by" />
        </Labeled>
        <Labeled label={t('filter.measure')}>
          <Select value={measure} onChange={(v) => f.set({ measure: v === 'amount' ? undefined : v })} options={MEASURES.map((m) => ({ value: m, label: t(`measure.${m}`) }))} style={{ width: 160 }} />
        </Labeled>
        <Labeled label={t('filter.cvThreshold')}>
          <InputNumber min={0.05} max={10} step={0.05} value={cvThreshold} onChange={(v) => f.set({ cv: v && v !== 0.5 ? v : undefined })} style={{ width: 80 }} data-testid="trends-cv" />
        </Labeled>
        {by === 'region' ? (
          <Tooltip title={t('filter.districtsOnlyHint')}>
            <Checkbox checked={districtsOnly} onChange={(e) => f.set({ districts: e.target.checked ? undefined : '0' })}>
              {t('filter.districtsOnly')}
            </Checkbox>
          </Tooltip>
        ) : null}
      </FilterBar>
      {q.error ? <ErrorAlert error={q.error} /> : null}
      <QueryState loading={q.isLoading || !f.ready} empty={!q.error && years.length === 0}>
        {overall ? (
          <Space wrap size={12} style={{ marginBottom: 16 }} data-testid="trends-overall">
            <Figure label={t('trends.overall')} value={<span data-testid="overall-values">{overall.values.map((v) => fmt(v, lang, digits)).join(' / ')}</span>} />
            <Figure label={t('trends.pattern')} value={<span data-testid="overall-pattern">{overall.pattern || '—'}</span>} />
            <Figure label={t('trends.shape')} value={<span data-testid="overall-shape">{shapeName(overall)}</span>} />
            <Figure label={t('trends.cagr')} value={<span data-testid="overall-cagr">{pct(overall.cagr, lang)}</span>} />
            <Figure label={t('trends.cv')} value={<span data-testid="overall-cv">{fmt(overall.cv, lang, 3)}</span>} />
          </Space>
        ) : null}
        {unstable > 0 ? (
          <Typography.Paragraph type="warning" data-testid="unstable-count">
            {t('trends.unstableCount', { n: unstable, threshold: q.data?.cvThreshold })}
          </Typography.Paragraph>
        ) : null}
        <Row gutter={[16, 16]}>
          <GridCol xs={24}>
            <Card size="small" title={t('trends.chart')}>
              <Chart option={chart} height={380} data-testid="trends-chart" />
            </Card>
          </GridCol>
          <GridCol xs={24}>
            <DataTable<UnitRow> rows={rows} cols={cols} rowKey={(r) => r.key} testid="trends-table" fileName={`trends-${by}`} />
          </GridCol>
        </Row>
      </QueryState>
    </div>
  );
}

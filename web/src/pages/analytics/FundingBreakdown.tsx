/**
 * Funding breakdown: funding (or the number of funding lines) summed by one dimension in rows
 * and optionally another in columns — a pivot table with row and column totals beside a
 * stacked bar chart. A bar, a row label or a figure opens the funding records behind it
 * (/registries/funding?region_id=…&year_min=…&year_max=…).
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { App, Col as GridCol, Row, Segmented, Select, Table, Typography } from 'antd';
import { useMemo } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../../api.ts';
import { Chart, type ChartOption } from '../../components/Chart.tsx';
import { ErrorAlert } from '../../components/ErrorView.tsx';
import { DataTable, DRILLABLE, FilterBar, fmt, fundingRecordsUrl, Labeled, PageTitle, PALETTE, QueryState, unitLabel, useA, useFilters, type Col } from './shared.tsx';

const DIMS = ['region', 'year', 'country', 'level', 'field', 'mode', 'source', 'industry'] as const;
type Dim = (typeof DIMS)[number];
type Cell = string | number | null;

interface FundingReply {
  unit: string;
  currency: string;
  total: number;
  records: number;
  rows: Record<string, Cell>[];
}

interface PivotRow {
  key: string;
  label: Cell;
  values: Map<string, number>;
  total: number;
  [col: string]: unknown;
}

const keyOf = (v: Cell) => (v === null || v === undefined ? '∅' : String(v));

export default function FundingBreakdown() {
  const { t, lang } = useA();
  const f = useFilters();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const rowDim = (DIMS as readonly string[]).includes(f.get('rows')) ? (f.get('rows') as Dim) : 'region';
  const colDimRaw = f.get('cols', 'year');
  const colDim = colDimRaw !== rowDim && (DIMS as readonly string[]).includes(colDimRaw) ? (colDimRaw as Dim) : null;
  const value: 'amount' | 'records' = f.get('value') === 'records' ? 'records' : 'amount';
  const by = colDim ? `${rowDim},${colDim}` : rowDim;

  const q = useQuery({
    queryKey: ['analytics', 'funding', by, f.query],
    queryFn: () => api.get<FundingReply>('/api/query/funding', { by, ...f.query }),
    enabled: f.ready,
    placeholderData: keepPreviousData,
  });

  const unassigned = t('common.unassigned');
  const pivot = useMemo(() => {
    const rows = new Map<string, PivotRow>();
    const colTotals = new Map<string, number>();
    const colLabels = new Map<string, Cell>();
    for (const r of q.data?.rows ?? []) {
      const v = Number(r[value]);
      const rk = keyOf(r[rowDim]);
      let row = rows.get(rk);
      if (!row) rows.set(rk, (row = { key: rk, label: r[rowDim], values: new Map(), total: 0 }));
      row.total += v;
      if (colDim) {
        const ck = keyOf(r[colDim]);
        colLabels.set(ck, r[colDim]);
        row.values.set(ck, (row.values.get(ck) ?? 0) + v);
        colTotals.set(ck, (colTotals.get(ck) ?? 0) + v);
      }
    }
    let cols = [...colLabels.keys()];
    if (colDim === 'year') cols.sort((a, b) => Number(a) - Number(b));
    else cols = cols.sort((a, b) => (colTotals.get(b) ?? 0) - (colTotals.get(a) ?? 0));
    const list = [...rows.values()];
    for (const r of list) for (const c of cols) r[`c:${c}`] = r.values.get(c) ?? 0;
    return { rows: list, cols, colLabels, colTotals, total: list.reduce((s, r) => s + r.total, 0) };
  }, [q.data, rowDim, colDim, value]);

  const drillable = (keys: Partial<Record<Dim, Cell>>) => Object.keys(keys).every((d) => (DRILLABLE as readonly string[]).includes(d));
  const drill = async (keys: Partial<Record<Dim, Cell>>) => {
    if (!drillable(keys)) {
      void message.info(t('common.noDrill'));
      return;
    }
    const url = await fundingRecordsUrl(keys, { regionId: f.regionId, regionPath: f.contextPath, from: f.from, to: f.to });
    if (url) navigate(url);
    else void message.info(t('common.noDrill'));
  };

  const label = (dim: Dim, v: Cell) => unitLabel(dim, v, lang, unassigned);
  const digits = value === 'amount' ? 4 : 0;
  const link = (text: string, keys: Partial<Record<Dim, Cell>>, testid?: string) =>
    drillable(keys) ? (
      <Typography.Link onClick={() => void drill(keys)} data-testid={testid}>
        {text}
      </Typography.Link>
    ) : (
      <span data-testid={testid}>{text}</span>
    );

  const cols: Col<PivotRow>[] = [
    {
      key: 'label',
      title: t(`dim.${rowDim}`),
      csv: t(`dim.${rowDim}`),
      fixed: 'left',
      value: (r) => (rowDim === 'year' ? Number(r.label) : label(rowDim, r.label)),
      render: (r) => link(label(rowDim, r.label), { [rowDim]: r.label }, `row-${r.key}`),
    },
    ...pivot.cols.map<Col<PivotRow>>((c) => ({
      key: `c:${c}`,
      title: label(colDim!, pivot.colLabels.get(c) ?? null),
      csv: label(colDim!, pivot.colLabels.get(c) ?? null),
      num: true,
      digits,
      render: (r) => (
        <span className="num" data-col={`c:${c}`}>
          {link(fmt(r.values.get(c) ?? 0, lang, digits), { [rowDim]: r.label, [colDim!]: pivot.colLabels.get(c) ?? null })}
        </span>
      ),
    })),
    { key: 'total', title: t('common.total'), csv: t('common.total'), num: true, digits, defaultSort: rowDim === 'year' || rowDim === 'region' ? undefined : 'descend' },
  ];

  const chart: ChartOption = useMemo(() => {
    const x = pivot.rows.map((r) => label(rowDim, r.label));
    const series = colDim
      ? pivot.cols.map((c, i) => ({
          name: label(colDim, pivot.colLabels.get(c) ?? null),
          type: 'bar',
          stack: 'total',
          emphasis: { focus: 'series' },
          itemStyle: { color: PALETTE[i % PALETTE.length] },
          data: pivot.rows.map((r) => r.values.get(c) ?? 0),
        }))
      : [{ name: t(`measure.${value}`), type: 'bar', itemStyle: { color: PALETTE[0] }, data: pivot.rows.map((r) => r.total), label: { show: pivot.rows.length <= 20, position: 'top', formatter: (p: { value: number }) => fmt(p.value, lang, digits) } }];
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: colDim ? { type: 'scroll', top: 0 } : undefined,
      grid: { left: 8, right: 16, top: colDim ? 40 : 36, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: x, axisLabel: { interval: 0, rotate: x.length > 8 ? 30 : 0 } },
      yAxis: { type: 'value', nameTextStyle: { align: 'left' }, name: t(`measure.${value}`) },
      dataZoom: x.length > 25 ? [{ type: 'slider', start: 0, end: Math.min(100, (25 / x.length) * 100) }] : undefined,
      series,
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pivot, rowDim, colDim, value, lang]);

  const dimOptions = DIMS.map((d) => ({ value: d, label: t(`dim.${d}`) }));
  return (
    <div className="page-card">
      <PageTitle title={t('funding.title')} subtitle={t('funding.subtitle')} />
      <FilterBar f={f}>
        <Labeled label={t('filter.rows')}>
          <Select value={rowDim} onChange={(v) => f.set({ rows: v })} options={dimOptions} style={{ width: 120 }} data-testid="pivot-rows" />
        </Labeled>
        <Labeled label={t('filter.cols')}>
          <Select
            value={colDim ?? ''}
            onChange={(v) => f.set({ cols: v || 'none' })}
            options={[{ value: '', label: t('filter.none') }, ...dimOptions.filter((o) => o.value !== rowDim)]}
            style={{ width: 120 }}
            data-testid="pivot-cols"
          />
        </Labeled>
        <Segmented
          value={value}
          onChange={(v) => f.set({ value: v === 'amount' ? undefined : v })}
          options={[
            { value: 'amount', label: t('measure.amount') },
            { value: 'records', label: t('measure.records') },
          ]}
          data-testid="pivot-value"
        />
      </FilterBar>
      {q.error ? <ErrorAlert error={q.error} /> : f.regionError ? <ErrorAlert error={f.regionError} /> : null}
      <QueryState loading={q.isLoading || !f.ready} empty={!q.error && (q.data?.rows.length ?? 0) === 0}>
        <Typography.Paragraph type="secondary" data-testid="funding-summary">
          {t('funding.totalAll', { total: fmt(q.data?.total, lang, 4), records: q.data?.records ?? 0 })} · {t('common.drillHint')}
        </Typography.Paragraph>
        <Row gutter={[16, 16]}>
          <GridCol xs={24} xl={colDim ? 24 : 12}>
            <Chart
              option={chart}
              height={380}
              data-testid="funding-chart"
              aria-label={t('funding.chart')}
              onClick={(e) => {
                const row = pivot.rows[e.dataIndex];
                if (!row) return;
                const keys: Partial<Record<Dim, Cell>> = { [rowDim]: row.label };
                if (colDim && e.seriesIndex !== undefined) keys[colDim] = pivot.colLabels.get(pivot.cols[e.seriesIndex]) ?? null;
                void drill(keys);
              }}
            />
          </GridCol>
          <GridCol xs={24} xl={colDim ? 24 : 12}>
            <DataTable<PivotRow>
              title={t('funding.pivot')}
              rows={pivot.rows}
              cols={cols}
              rowKey={(r) => r.key}
              testid="funding-table"
              fileName={`funding-${by.replace(',', '-')}`}
              server={{ url: '/api/query/funding/export', query: { by, ...f.query } }}
              pageSize={20}
              summary={() => (
                <Table.Summary.Row style={{ fontWeight: 600 }}>
                  <Table.Summary.Cell index={0}>{t('common.total')}</Table.Summary.Cell>
                  {pivot.cols.map((c, i) => (
                    <Table.Summary.Cell key={c} index={i + 1} align="right">
                      <span className="num" data-testid={`coltotal-${c}`}>
                        {link(fmt(pivot.colTotals.get(c) ?? 0, lang, digits), { [colDim!]: pivot.colLabels.get(c) ?? null })}
                      </span>
                    </Table.Summary.Cell>
                  ))}
                  <Table.Summary.Cell index={pivot.cols.length + 1} align="right">
                    <span className="num" data-testid="grand-total">
                      {fmt(pivot.total, lang, digits)}
                    </span>
                  </Table.Summary.Cell>
                </Table.Summary.Row>
              )}
            />
          </GridCol>
        </Row>
      </QueryState>
    </div>
  );
}

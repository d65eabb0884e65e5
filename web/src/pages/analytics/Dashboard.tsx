/**
 * The region dashboard: the eight figures of /api/analytics/dashboard for a chosen region and
 * period — funding by year, by region, by partner country and by field; the tiers of the
 * regions; concentration on partner countries; partner countries (the map's figures); the
 * collaboration-network summary — each linking to its full analysis, and the region report
 * exported as Excel or PDF (/api/reports/region).
 */
import { FileExcelOutlined, FilePdfOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Col as GridCol, Row, Space, Table, Tag, Typography } from 'antd';
import { useMemo, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { api, download, type Query } from '../../api.ts';
import { useUser } from '../../auth.tsx';
import { Chart, type ChartOption } from '../../components/Chart.tsx';
import { ErrorAlert } from '../../components/ErrorView.tsx';
import { FilterBar, Figure, fmt, PageTitle, PALETTE, pct, QueryState, regionKey, TIER_COLORS, tierRange, useA, useFilters, useRegion, useTierName } from './shared.tsx';
import type { ConcentrationReply, NetworkNode } from './types.ts';

type Amounts = { amount: number; records: number };
export interface DashboardReply {
  region: { query: string; regions: { id: number; name: string; short_name: string; level: string }[] } | null;
  from: number | null;
  to: number | null;
  unit: string;
  currency: string;
  source: 'aggregates' | 'tables';
  by_year: (Amounts & { year: number | null })[];
  by_region: (Amounts & { region: string | null })[];
  by_country: (Amounts & { iso3: string | null; country: string | null; country_en: string | null })[];
  by_field: (Amounts & { field: string | null })[];
  tiers: { rule: { thresholds: number[] } | { quantiles: number }; tiers: { tier: number; min: number | null; max: number | null; members: { region: string; amount: number }[] }[] };
  concentration: { n: number; top: number; topShare: number | null; hhi: number | null; gini: number | null; total: number; members: { rank: number; iso3: string; country: string | null; amount: number; share: number | null; cumulative: number | null }[] };
  map: { iso3: string; name_zh: string | null; name_en: string | null; projects: number; participations: number; funding: number }[];
  network: { weight: string; nodes: number; edges: number; projects: number; skipped: number; top: NetworkNode[] };
}

const THRESHOLDS = '2000,1000';

function Panel({ title, to, children, testid }: { title: string; to: string; children: ReactNode; testid: string }) {
  const { t } = useA();
  return (
    <Card size="small" title={title} extra={<Link to={to}>{t('dashboard.more')} →</Link>} data-testid={testid} style={{ height: '100%' }}>
      {children}
    </Card>
  );
}

function bars(labels: string[], values: number[], color: string, horizontal = false): ChartOption {
  const cat = { type: 'category', data: labels, axisLabel: { interval: 0, rotate: !horizontal && labels.length > 8 ? 30 : 0 }, inverse: horizontal };
  const val = { type: 'value' };
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
    xAxis: horizontal ? val : cat,
    yAxis: horizontal ? cat : val,
    series: [{ type: 'bar', data: values, itemStyle: { color }, label: { show: values.length <= 12, position: horizontal ? 'right' : 'top' } }],
  };
}

export default function Dashboard() {
  const { t, lang } = useA();
  const f = useFilters();
  const user = useUser();
  const home = useRegion(user.region_id);
  const tierName = useTierName();
  // The officer's own region when none is chosen (administrators: every region).
  const region = f.region ?? home.data;
  const params = { region: region ? regionKey(region) : undefined, from: f.from, to: f.to, thresholds: THRESHOLDS, top: 10, nodes: 10 };
  const q = useQuery({
    queryKey: ['analytics', 'dashboard', params],
    queryFn: () => api.get<DashboardReply>('/api/analytics/dashboard', params),
    enabled: f.ready && (!user.region_id || !!home.data),
    placeholderData: keepPreviousData,
  });
  const d = q.data;
  const keep = new URLSearchParams();
  if (f.regionId) keep.set('region', String(f.regionId));
  if (f.from) keep.set('from', String(f.from));
  if (f.to) keep.set('to', String(f.to));
  const link = (path: string, extra: Record<string, string> = {}) => {
    const p = new URLSearchParams(keep);
    for (const [k, v] of Object.entries(extra)) p.set(k, v);
    const s = p.toString();
    return s ? `${path}?${s}` : path;
  };
  const unassigned = t('common.unassigned');
  const countryName = (c: { country: string | null; country_en: string | null; iso3: string | null }) => (lang === 'en' ? c.country_en ?? c.country : c.country ?? c.country_en) ?? c.iso3 ?? unassigned;

  const charts = useMemo(() => {
    if (!d) return null;
    const years = d.by_year.filter((r) => r.year !== null);
    const countries = d.by_country.slice(0, 12);
    const fields = d.by_field.slice(0, 10);
    return {
      year: bars(years.map((r) => String(r.year)), years.map((r) => r.amount), PALETTE[0]),
      region: bars(d.by_region.map((r) => r.region ?? unassigned), d.by_region.map((r) => r.amount), PALETTE[1]),
      country: bars(countries.map(countryName), countries.map((r) => r.amount), PALETTE[4], true),
      field: {
        tooltip: { trigger: 'item' },
        series: [{ type: 'pie', radius: ['35%', '65%'], label: { formatter: '{b}' }, data: fields.map((r, i) => ({ name: r.field ?? unassigned, value: r.amount, itemStyle: { color: PALETTE[i % PALETTE.length] } })) }],
      } as ChartOption,
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [d, lang]);

  const reportQuery = region ? { region: regionKey(region), from: f.from, to: f.to } : null;
  const total = d ? d.by_year.reduce((s, r) => s + r.amount, 0) : 0;
  const records = d ? d.by_year.reduce((s, r) => s + r.records, 0) : 0;

  return (
    <div className="page-card">
      <PageTitle
        title={t('dashboard.title')}
        subtitle={t('dashboard.subtitle')}
        extra={
          <Space>
            <Button icon={<FileExcelOutlined />} disabled={!reportQuery} onClick={() => reportQuery && download('/api/reports/region', { ...reportQuery, format: 'xlsx' })} data-testid="report-xlsx">
              {t('dashboard.exportXlsx')}
            </Button>
            <Button icon={<FilePdfOutlined />} disabled={!reportQuery} onClick={() => reportQuery && download('/api/reports/region', { ...reportQuery, format: 'pdf' })} data-testid="report-pdf">
              {t('dashboard.exportPdf')}
            </Button>
          </Space>
        }
      />
      <FilterBar f={f} />
      {q.error ? <ErrorAlert error={q.error} /> : null}
      <QueryState loading={q.isLoading || !f.ready} empty={!q.error && !!d && d.by_year.length === 0 && d.map.length === 0}>
        {d && charts ? (
          <>
            <Space wrap size={12} style={{ marginBottom: 16 }} data-testid="dashboard-figures">
              <Figure label={t('filter.region')} value={<span data-testid="dash-region">{d.region ? d.region.regions.map((r) => r.name).join('、') : t('filter.allRegions')}</span>} />
              <Figure label={t('measure.amount')} value={<span data-testid="dash-total">{fmt(total, lang, 4)}</span>} />
              <Figure label={t('measure.records')} value={<span data-testid="dash-records">{fmt(records, lang, 0)}</span>} />
              <Figure label={t('dashboard.map')} value={<span data-testid="dash-countries">{d.map.length}</span>} />
              <Figure label={t('network.edges')} value={<span data-testid="dash-edges">{d.network.edges}</span>} />
            </Space>
            <Row gutter={[16, 16]}>
              <GridCol xs={24} xl={12}>
                <Panel title={t('dashboard.byYear')} to={link('/analytics/funding', { rows: 'year', cols: 'none' })} testid="panel-year">
                  <Chart option={charts.year} height={240} data-testid="dash-year-chart" />
                  <Typography.Text type="secondary" data-testid="dash-years">
                    {d.by_year.map((r) => `${r.year ?? unassigned}: ${fmt(r.amount, lang, 4)}`).join(' · ')}
                  </Typography.Text>
                </Panel>
              </GridCol>
              <GridCol xs={24} xl={12}>
                <Panel title={t('dashboard.byRegion')} to={link('/analytics/funding')} testid="panel-region">
                  <Chart option={charts.region} height={260} data-testid="dash-region-chart" />
                </Panel>
              </GridCol>
              <GridCol xs={24} xl={12}>
                <Panel title={t('dashboard.byCountry')} to={link('/analytics/funding', { rows: 'country', cols: 'none' })} testid="panel-country">
                  {d.by_country.filter((r) => r.iso3).length ? <Chart option={charts.country} height={260} /> : <Typography.Text type="secondary">{t('concentration.emptyCountry')}</Typography.Text>}
                </Panel>
              </GridCol>
              <GridCol xs={24} xl={12}>
                <Panel title={t('dashboard.byField')} to={link('/analytics/funding', { rows: 'field', cols: 'none' })} testid="panel-field">
                  {d.by_field.some((r) => r.field) ? <Chart option={charts.field} height={260} /> : <Typography.Text type="secondary" data-testid="dash-field-empty">{t('dashboard.fieldEmpty')}</Typography.Text>}
                </Panel>
              </GridCol>
              <GridCol xs={24} xl={12}>
                <Panel title={t('dashboard.tiers')} to={link('/analytics/tiers')} testid="panel-tiers">
                  {d.tiers.tiers.map((tier) => (
                    <div key={tier.tier} style={{ marginBottom: 8 }} data-testid={`dash-tier-${tier.tier}`}>
                      <Tag color={TIER_COLORS[(tier.tier - 1) % TIER_COLORS.length]}>{tierName(tier.tier)}</Tag>
                      <Typography.Text type="secondary">{tierRange(t, tier, lang)}</Typography.Text>
                      <div style={{ marginTop: 4 }} data-testid={`dash-tier-${tier.tier}-members`}>
                        {tier.members.length ? tier.members.map((m) => (lang === 'en' ? `${m.region} (${fmt(m.amount, lang, 4)})` : `${m.region}（${fmt(m.amount, lang, 4)}）`)).join(lang === 'en' ? ', ' : '、') : '—'}
                      </div>
                    </div>
                  ))}
                </Panel>
              </GridCol>
              <GridCol xs={24} xl={12}>
                <Panel title={t('dashboard.concentration')} to={link('/analytics/concentration', d.concentration.n === 0 ? { measure: 'partner_projects' } : {})} testid="panel-concentration">
                  {d.concentration.n === 0 ? (
                    <PartnerConcentration query={f.query} enabled={f.ready} />
                  ) : (
                    <Space wrap size={8} style={{ marginBottom: 8 }}>
                      <Figure label={t('concentration.n')} value={<span data-testid="dash-conc-n">{d.concentration.n}</span>} />
                      <Figure label={t('concentration.topShare', { top: d.concentration.top })} value={<span data-testid="dash-conc-topshare">{pct(d.concentration.topShare, lang)}</span>} />
                      <Figure label="HHI" value={fmt(d.concentration.hhi, lang, 4)} />
                      <Figure label="Gini" value={fmt(d.concentration.gini, lang, 4)} />
                    </Space>
                  )}
                </Panel>
              </GridCol>
              <GridCol xs={24} xl={12}>
                <Panel title={t('dashboard.map')} to={link('/analytics/map')} testid="panel-map">
                  <Table
                    size="small"
                    rowKey="iso3"
                    pagination={false}
                    dataSource={d.map.slice(0, 8)}
                    data-testid="dash-map-table"
                    columns={[
                      { key: 'c', title: t('dim.country'), render: (_, c) => <Link to={`/countries/${c.iso3}`}>{(lang === 'en' ? c.name_en : c.name_zh) ?? c.iso3}</Link> },
                      { key: 'p', title: t('measure.projects'), align: 'right', render: (_, c) => fmt(c.projects, lang, 0) },
                      { key: 'pa', title: t('measure.participations'), align: 'right', render: (_, c) => fmt(c.participations, lang, 0) },
                      { key: 'f', title: t('measure.funding'), align: 'right', render: (_, c) => fmt(c.funding, lang, 4) },
                    ]}
                  />
                </Panel>
              </GridCol>
              <GridCol xs={24} xl={12}>
                <Panel title={t('dashboard.network')} to={link('/analytics/network')} testid="panel-network">
                  <Typography.Paragraph type="secondary" data-testid="dash-network-summary">
                    {t('network.summary', { nodes: d.network.nodes, edges: d.network.edges, projects: d.network.projects })}
                  </Typography.Paragraph>
                  <Table
                    size="small"
                    rowKey="id"
                    pagination={false}
                    dataSource={d.network.top}
                    columns={[
                      { key: 'n', title: t('network.node'), render: (_, n) => <Link to={`/countries/${n.id}`}>{n.label ?? n.id}</Link> },
                      { key: 'd', title: t('network.degree'), align: 'right', dataIndex: 'degree' },
                      { key: 'b', title: t('network.betweenness'), align: 'right', render: (_, n) => fmt(n.betweenness, lang, 4) },
                    ]}
                  />
                </Panel>
              </GridCol>
            </Row>
          </>
        ) : null}
      </QueryState>
    </div>
  );
}

/**
 * The concentration card when no funding record names a partner country (the demo's funding
 * is by district): the same figures counted on project partners, said so, with what to do to
 * get them by funding — never an empty card.
 */
function PartnerConcentration({ query, enabled }: { query: Query; enabled: boolean }) {
  const { t, lang } = useA();
  const params = { by: 'country', measure: 'partner_projects', top: 10, ...query };
  const q = useQuery({
    queryKey: ['analytics', 'concentration', params],
    queryFn: () => api.get<ConcentrationReply>('/api/analytics/concentration', params),
    enabled,
  });
  if (!q.data) return null;
  if (q.data.n === 0)
    return (
      <Typography.Text type="secondary" data-testid="dash-conc-empty">
        {t('dashboard.concentrationNone')}
      </Typography.Text>
    );
  return (
    <>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }} data-testid="dash-conc-partners">
        {t('dashboard.concentrationPartners')}
      </Typography.Paragraph>
      <Space wrap size={8} style={{ marginBottom: 8 }}>
        <Figure label={t('concentration.n')} value={<span data-testid="dash-conc-n">{q.data.n}</span>} />
        <Figure label={t('measure.partner_projects')} value={fmt(q.data.total, lang, 0)} />
        <Figure label={t('concentration.topShare', { top: q.data.top })} value={<span data-testid="dash-conc-topshare">{pct(q.data.topShare, lang)}</span>} />
        <Figure label="HHI" value={fmt(q.data.hhi, lang, 4)} />
      </Space>
    </>
  );
}

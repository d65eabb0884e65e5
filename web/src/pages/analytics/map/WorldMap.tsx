/**
 * The world map of partner countries, coloured by projects, participations or funding for a
 * region and period (/api/analytics/map), with the same figures in a table; a click on a
 * country opens its page. Shapes are matched to countries by the ISO numeric code the
 * countries API gives for each ISO3 code.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Col as GridCol, Row, Segmented, Typography } from 'antd';
import { MapChart } from 'echarts/charts';
import { registerMap } from 'echarts/core';
import { useMemo } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api } from '../../../api.ts';
import { Chart, useEcharts, type ChartOption } from '../../../components/Chart.tsx';
import { html } from '../../../components/escape.ts';
import { ErrorAlert } from '../../../components/ErrorView.tsx';
import { DataTable, FilterBar, fmt, Labeled, PageTitle, QueryState, regionKey, useA, useFilters, type Col } from '../shared.tsx';
import type { CountryRow } from '../types.ts';
import { worldGeoJson } from './worldGeo.ts';

useEcharts([MapChart]);
const MAP = 'innolink-world';
let registered = false;
function ensureMap() {
  if (registered) return;
  registerMap(MAP, worldGeoJson() as unknown as Parameters<typeof registerMap>[1]);
  registered = true;
}

export interface MapCountry {
  iso3: string;
  name_zh: string | null;
  name_en: string | null;
  projects: number;
  participations: number;
  funding: number;
}

interface MapReply {
  unit: string;
  currency: string;
  countries: MapCountry[];
}

const MEASURES = ['projects', 'participations', 'funding'] as const;
type Measure = (typeof MEASURES)[number];

/** Every country with its ISO numeric code, for matching shapes (cached for the session). */
export function useCountryCodes() {
  return useQuery({
    queryKey: ['countries', 'all-codes'],
    queryFn: () => api.get<{ items: CountryRow[] }>('/api/countries', { pageSize: 500 }),
    staleTime: Infinity,
  });
}

export default function WorldMap() {
  const { t, lang } = useA();
  const f = useFilters();
  const navigate = useNavigate();
  const measure: Measure = (MEASURES as readonly string[]).includes(f.get('measure')) ? (f.get('measure') as Measure) : 'projects';
  const params = { region: f.region ? regionKey(f.region) : undefined, from: f.from, to: f.to };
  const q = useQuery({
    queryKey: ['analytics', 'map', params],
    queryFn: () => api.get<MapReply>('/api/analytics/map', params),
    enabled: f.ready,
    placeholderData: keepPreviousData,
  });
  const codes = useCountryCodes();
  const byNum = useMemo(() => new Map((codes.data?.items ?? []).filter((c) => c.numeric_code).map((c) => [c.numeric_code!, c])), [codes.data]);
  const numOf = useMemo(() => new Map((codes.data?.items ?? []).map((c) => [c.iso3, c.numeric_code])), [codes.data]);
  const shapes = useMemo(() => {
    ensureMap();
    return new Set(worldGeoJson().features.map((x) => x.properties.num));
  }, []);

  const rows = useMemo(() => q.data?.countries ?? [], [q.data]);
  const name = (c: { name_zh: string | null; name_en: string | null; iso3: string }) => (lang === 'en' ? c.name_en ?? c.name_zh : c.name_zh ?? c.name_en) ?? c.iso3;
  const missing = rows.filter((c) => !shapes.has(numOf.get(c.iso3) ?? '')).length;
  const digits = measure === 'funding' ? 4 : 0;

  const option: ChartOption = useMemo(() => {
    const data = rows
      .filter((c) => numOf.get(c.iso3) && c[measure] > 0)
      .map((c) => ({ name: numOf.get(c.iso3)!, value: c[measure], iso3: c.iso3, label: name(c), projects: c.projects, participations: c.participations, funding: c.funding }));
    const max = Math.max(1, ...data.map((d) => d.value));
    return {
      tooltip: {
        trigger: 'item',
        formatter: (p: { name: string; data?: { label: string; projects: number; participations: number; funding: number } }) => {
          const c = byNum.get(p.name);
          const title = p.data?.label ?? (c ? (lang === 'en' ? c.name_en : c.name_zh) : p.name);
          if (!p.data) return html`${title}`;
          return html`${title}<br/>${t('measure.projects')}: ${fmt(p.data.projects, lang, 0)}<br/>${t('measure.participations')}: ${fmt(p.data.participations, lang, 0)}<br/>${t('measure.funding')}: ${fmt(p.data.funding, lang, 4)}`;
        },
      },
      visualMap: { type: 'continuous', min: 0, max, left: 8, bottom: 8, calculable: true, formatter: (v: number) => fmt(v, lang, digits), inRange: { color: ['#e6f4ff', '#69b1ff', '#0958d9', '#002c8c'] } },
      series: [
        {
          type: 'map',
          map: MAP,
          nameProperty: 'num',
          roam: true,
          left: 8,
          right: 8,
          top: 8,
          bottom: 8,
          scaleLimit: { min: 1, max: 12 },
          itemStyle: { areaColor: '#f5f5f5', borderColor: '#bfbfbf', borderWidth: 0.5 },
          emphasis: { label: { show: false }, itemStyle: { areaColor: '#ffd666' } },
          select: { disabled: true },
          data,
        },
      ],
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rows, measure, numOf, byNum, lang]);

  const cols: Col<MapCountry>[] = [
    {
      key: 'country',
      title: t('dim.country'),
      csv: 'country',
      value: (c) => name(c),
      render: (c) => (
        <Link to={`/countries/${c.iso3}`} data-col="country">
          {name(c)}
          <span style={{ color: '#999', marginLeft: 4 }}>{c.iso3}</span>
        </Link>
      ),
    },
    { key: 'projects', title: t('measure.projects'), csv: 'projects', num: true, digits: 0, defaultSort: measure === 'projects' ? 'descend' : undefined },
    { key: 'participations', title: t('measure.participations'), csv: 'participations', num: true, digits: 0, defaultSort: measure === 'participations' ? 'descend' : undefined },
    { key: 'funding', title: t('measure.funding'), csv: 'funding', num: true, digits: 4, defaultSort: measure === 'funding' ? 'descend' : undefined },
  ];

  const error = q.error ?? codes.error;
  return (
    <div className="page-card">
      <PageTitle title={t('map.title')} subtitle={t('map.subtitle')} />
      <FilterBar f={f}>
        <Labeled label={t('map.measure')}>
          <Segmented value={measure} onChange={(v) => f.set({ measure: v === 'projects' ? undefined : v })} options={MEASURES.map((m) => ({ value: m, label: t(`measure.${m}`) }))} data-testid="map-measure" />
        </Labeled>
      </FilterBar>
      {error ? <ErrorAlert error={error} /> : null}
      <QueryState loading={q.isLoading || codes.isLoading || !f.ready} empty={!error && rows.length === 0}>
        <Typography.Paragraph type="secondary">
          <span data-testid="map-count">{t('map.countries', { n: rows.length })}</span> · {t('map.clickHint')}
          {missing > 0 ? ` · ${t('map.noGeo', { n: missing })}` : ''}
        </Typography.Paragraph>
        <Row gutter={[16, 16]}>
          <GridCol xs={24} xl={16}>
            <Card size="small" styles={{ body: { padding: 4 } }}>
              <Chart
                option={option}
                height={440}
                data-testid="world-map"
                aria-label={t('map.title')}
                onClick={(e) => {
                  const iso3 = (e.data as { iso3?: string } | undefined)?.iso3 ?? byNum.get(e.name)?.iso3;
                  if (iso3) navigate(`/countries/${iso3}`);
                }}
              />
            </Card>
          </GridCol>
          <GridCol xs={24} xl={8}>
            <DataTable<MapCountry> rows={rows} cols={cols} rowKey={(c) => c.iso3} testid="map-table" fileName={`map-${measure}`} />
          </GridCol>
        </Row>
      </QueryState>
    </div>
  );
}

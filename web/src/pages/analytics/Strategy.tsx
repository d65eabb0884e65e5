/**
 * Country strategy (paper 003 表1 and §4.1): countries by innovation level (GII rank band),
 * the count per band, and for each country the suggested cooperation direction — bring in
 * (引进来), both ways (并行) or go out (走出去) — with its reason and our cooperation with it.
 * Names the band table could not resolve to a country are listed with their import.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Card, Col as GridCol, Row, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api.ts';
import { Chart, type ChartOption } from '../../components/Chart.tsx';
import { ErrorAlert } from '../../components/ErrorView.tsx';
import { DataTable, DIRECTION_COLORS, DirectionTag, Figure, fmt, Labeled, PageTitle, QueryState, useA, useCountryGroups, useUrlState, type Col } from './shared.tsx';
import type { StrategyCountry, StrategyReply } from './types.ts';

const DIRS = ['bring_in', 'both', 'go_out', 'none'] as const;

type BandRow = StrategyReply['bands'][number] & { key: string; label: string };

export default function Strategy() {
  const { t, lang, pick } = useA();
  const url = useUrlState();
  const group = url.get('group', 'BRI');
  const direction = url.get('direction');
  const groups = useCountryGroups();
  const params = group === 'partners' ? {} : group === 'all' ? { all: 'true' } : { group };
  const q = useQuery({
    queryKey: ['analytics', 'strategy', params],
    queryFn: () => api.get<StrategyReply>('/api/analytics/strategy', params),
    placeholderData: keepPreviousData,
  });
  const d = q.data;
  const bandLabel = (b: { band: string | null; ranked: boolean }) => (b.band === null ? t('strategy.noData') : !b.ranked && lang === 'en' ? t('strategy.unranked') : b.band);
  const bands: BandRow[] = useMemo(() => (d?.bands ?? []).map((b) => ({ ...b, key: b.band ?? '-', label: bandLabel(b) })), [d, lang]); // eslint-disable-line react-hooks/exhaustive-deps

  const countries = useMemo(
    () => (d?.countries ?? []).filter((c) => !direction || (direction === 'none' ? !c.direction && !c.home : c.direction === direction)),
    [d, direction],
  );

  const bandChart: ChartOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 8, right: 8, top: 24, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: bands.map((b) => b.label), axisLabel: { interval: 0 } },
      yAxis: { type: 'value', nameTextStyle: { align: 'left' }, name: t('strategy.countries'), minInterval: 1 },
      series: [
        {
          type: 'bar',
          data: bands.map((b) => ({ value: b.countries, itemStyle: { color: b.band === null ? '#d9d9d9' : b.ranked ? (b.min !== null && b.min <= 20 ? DIRECTION_COLORS.bring_in : b.min !== null && b.min <= 50 ? DIRECTION_COLORS.both : DIRECTION_COLORS.go_out) : '#8c8c8c' } })),
          label: { show: true, position: 'top' },
        },
      ],
    }),
    [bands, t],
  );
  const dirChart: ChartOption = useMemo(
    () => ({
      tooltip: { trigger: 'item' },
      legend: { bottom: 0 },
      series: [
        {
          type: 'pie',
          radius: ['40%', '68%'],
          label: { position: 'inside', formatter: '{c}', color: '#fff', fontWeight: 600 },
          data: DIRS.filter((k) => (d?.directions[k] ?? 0) > 0).map((k) => ({ name: t(`strategy.directions.${k}`), value: d?.directions[k] ?? 0, itemStyle: { color: DIRECTION_COLORS[k] } })),
        },
      ],
    }),
    [d, t],
  );

  const cols: Col<StrategyCountry>[] = [
    {
      key: 'name',
      title: t('dim.country'),
      csv: 'country',
      value: (c) => (lang === 'en' ? c.name_en : c.name_zh),
      render: (c) => (
        <Link to={`/countries/${c.iso3}`} data-col="country">
          {lang === 'en' ? c.name_en : c.name_zh}
          <span style={{ color: '#999', marginLeft: 4 }}>{c.iso3}</span>
        </Link>
      ),
    },
    {
      key: 'band',
      title: t('strategy.band'),
      csv: 'band',
      value: (c) => (c.innovation ? (c.innovation.ranked ? (c.innovation.rank_min ?? 0) : 1000) : 2000),
      render: (c) => <span data-col="band">{c.innovation ? bandLabel({ band: c.innovation.value, ranked: c.innovation.ranked }) : t('strategy.noData')}</span>,
    },
    {
      key: 'direction',
      title: t('strategy.direction'),
      csv: 'direction',
      value: (c) => (lang === 'en' ? c.direction_en : c.direction_zh) ?? '',
      render: (c) => (c.home ? <Tag>{t('strategy.home')}</Tag> : <DirectionTag c={c} />),
    },
    { key: 'reason', title: t('strategy.reason'), csv: 'reason', value: (c) => (lang === 'en' ? c.reason_en : c.reason_zh), render: (c) => <span style={{ whiteSpace: 'normal', display: 'inline-block', maxWidth: 360 }}>{lang === 'en' ? c.reason_en : c.reason_zh}</span> },
    { key: 'groups', title: t('strategy.groups'), csv: 'groups', value: (c) => c.groups.join(' '), render: (c) => c.groups.map((g) => <Tag key={g}>{g}</Tag>) },
    { key: 'projects', title: t('strategy.projects'), csv: 'projects', num: true, digits: 0, value: (c) => c.cooperation.projects },
    { key: 'funding', title: t('strategy.funding'), csv: 'funding', num: true, digits: 4, value: (c) => c.cooperation.funding },
    { key: 'platforms', title: t('strategy.platforms'), csv: 'platforms', num: true, digits: 0, value: (c) => c.cooperation.platforms },
  ];

  const groupOptions = [
    { value: 'partners', label: t('filter.partnerCountries') },
    { value: 'all', label: t('filter.allWithLevel') },
    ...(groups.data?.items ?? []).map((g) => ({ value: g.code, label: `${pick({ zh: g.name_zh, en: g.name_en })} (${g.code})` })),
  ];
  const unresolved = d?.unresolved ?? [];

  return (
    <div className="page-card">
      <PageTitle title={t('strategy.title')} subtitle={t('strategy.subtitle')} />
      <div className="toolbar">
        <Labeled label={t('filter.group')}>
          <Select value={group} onChange={(v) => url.set({ group: v === 'BRI' ? undefined : v })} options={groupOptions} style={{ width: 300 }} data-testid="strategy-group" showSearch={{ optionFilterProp: 'label' }} />
        </Labeled>
        <Segmented
          value={direction || 'all'}
          onChange={(v) => url.set({ direction: v === 'all' ? undefined : v })}
          options={[{ value: 'all', label: t('tiers.all') }, ...DIRS.map((k) => ({ value: k, label: t(`strategy.directions.${k}`) }))]}
          data-testid="strategy-direction"
        />
      </div>
      {q.error ? <ErrorAlert error={q.error} /> : null}
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('strategy.rulesNote')} description={group === 'BRI' ? <span data-testid="paper-note">{t('strategy.paperNote')}</span> : undefined} />
      <QueryState loading={q.isLoading} empty={!q.error && (d?.countries.length ?? 0) === 0 && unresolved.length === 0}>
        <Space wrap size={12} style={{ marginBottom: 16 }} data-testid="strategy-directions">
          {DIRS.map((k) => (
            <Figure key={k} label={<Tag color={DIRECTION_COLORS[k]}>{t(`strategy.directions.${k}`)}</Tag>} value={<span data-testid={`direction-${k}`}>{d?.directions[k] ?? 0}</span>} />
          ))}
        </Space>
        <Row gutter={[16, 16]}>
          <GridCol xs={24} xl={10}>
            <Card size="small" title={t('strategy.bands')}>
              <Chart option={bandChart} height={260} data-testid="bands-chart" />
            </Card>
          </GridCol>
          <GridCol xs={24} xl={6}>
            <Card size="small" title={t('strategy.bands')} styles={{ body: { padding: 0 } }}>
              <Table<BandRow>
                size="small"
                rowKey="key"
                pagination={false}
                dataSource={bands}
                data-testid="bands-table"
                columns={[
                  { key: 'band', title: t('strategy.band'), render: (_, b) => <span data-col="band">{b.label}</span> },
                  { key: 'countries', title: t('strategy.countries'), align: 'right', render: (_, b) => <span className="num" data-testid={`band-${b.key}`}>{b.countries}</span> },
                ]}
              />
            </Card>
          </GridCol>
          <GridCol xs={24} xl={8}>
            <Card size="small" title={t('strategy.direction')}>
              <Chart option={dirChart} height={260} data-testid="directions-chart" />
            </Card>
          </GridCol>
        </Row>
        {unresolved.length ? (
          <Alert
            type="warning"
            showIcon
            style={{ margin: '16px 0' }}
            data-testid="strategy-unresolved"
            title={
              <span>
                {t('strategy.unresolved', { n: unresolved.length })}
                {unresolved.map((u, i) => (
                  <span key={`${u.import_id}:${u.row}`}>
                    {i > 0 ? (lang === 'en' ? '; ' : '；') : ''}
                    <Link to={`/imports/${u.import_id}`} data-testid="unresolved-name">
                      {u.name}
                    </Link>
                    <Typography.Text type="secondary">
                      {' '}
                      {(() => {
                        const parts = [u.file_name, ...(u.row !== null ? [t('strategy.row', { row: u.row })] : []), ...(u.suggestions.length ? [t('strategy.suggestion', { names: u.suggestions.map((x) => pick({ zh: x.name_zh, en: x.name_en })).join(lang === 'en' ? ', ' : '、') })] : [])];
                        return lang === 'en' ? `(${parts.join(', ')})` : `（${parts.join('，')}）`;
                      })()}
                    </Typography.Text>
                  </span>
                ))}
              </span>
            }
          />
        ) : null}
        <div style={{ marginTop: 16 }}>
          <DataTable<StrategyCountry>
            rows={countries}
            cols={cols}
            rowKey={(c) => c.iso3}
            testid="strategy-table"
            fileName={`strategy-${group}`}
            pageSize={20}
            title={<span data-testid="strategy-count">{`${t('strategy.countries')}：${fmt(countries.length, lang, 0)}`}</span>}
          />
        </div>
      </QueryState>
    </div>
  );
}

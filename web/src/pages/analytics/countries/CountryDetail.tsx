/**
 * A country's page: names, codes, groups, aliases and indicator values (such as its GII rank
 * band); for analysts our cooperation with it (projects, participations, funding by year) and
 * the suggested cooperation direction with its reason; and its related records — projects
 * with funding booked to it, platforms, mechanisms, organisations and talents — each linking
 * to the registry list filtered on the country.
 */
import { useQuery } from '@tanstack/react-query';
import { Card, Col as GridCol, Descriptions, Row, Space, Table, Tag, Typography } from 'antd';
import { useMemo, type ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../../api.ts';
import { hasRole, useUser } from '../../../auth.tsx';
import { Chart, type ChartOption } from '../../../components/Chart.tsx';
import { ErrorAlert, ErrorPage } from '../../../components/ErrorView.tsx';
import { Loading } from '../../../components/PageState.tsx';
import { ANALYSTS } from '../../../routes.tsx';
import { DataTable, DirectionTag, Figure, fmt, PALETTE, useA, type Col } from '../shared.tsx';
import type { CountryRow, StrategyReply } from '../types.ts';

interface CountryDetailReply extends CountryRow {
  aliases: { alias: string; lang: string | null; source: string }[];
  group_details: { code: string; name_zh: string; name_en: string }[];
  indicators: { indicator: string; year: number; value_num: number | null; value_text: string | null; unit: string | null; source: string | null }[];
}

interface MapRow {
  iso3: string;
  projects: number;
  participations: number;
  funding: number;
}

type Row = Record<string, unknown> & { id: number };

interface PartnerRow {
  country: string | null;
  country_zh: string | null;
  country_en: string | null;
  projects: number;
  participations: number;
}

/** A related registry's first records for the country, its total, and a link to all of them. */
function Related({ kind, field, iso3, title, columns, testid }: { kind: string; field: string; iso3: string; title: string; columns: { key: string; zh: string; en: string; link?: boolean }[]; testid: string }) {
  const { t, lang } = useA();
  const q = useQuery({
    queryKey: [kind, 'list', { [field]: iso3, pageSize: 10 }],
    queryFn: () => api.get<{ items: Row[]; total: number }>(`/api/${kind}`, { [field]: iso3, pageSize: 10 }),
  });
  const all = `/registries/${kind}?${field}=${iso3}`;
  return (
    <Card
      size="small"
      data-testid={testid}
      title={
        <span>
          {title}
          {lang === 'en' ? ' (' : '（'}
          <span data-testid={`${testid}-total`}>{q.data?.total ?? '…'}</span>
          {lang === 'en' ? ')' : '）'}
        </span>
      }
      extra={q.data && q.data.total > 0 ? <Link to={all}>{t('common.open')} →</Link> : null}
      styles={{ body: { padding: 0 } }}
    >
      {q.error ? (
        <ErrorAlert error={q.error} />
      ) : (
        <Table<Row>
          size="small"
          rowKey="id"
          loading={q.isLoading}
          dataSource={q.data?.items ?? []}
          pagination={false}
          locale={{ emptyText: t('common.none') }}
          columns={columns.map((c) => ({
            key: c.key,
            dataIndex: c.key,
            title: lang === 'en' ? c.en : c.zh,
            ellipsis: true,
            render: (v: unknown, r: Row) => {
              const text = v === null || v === undefined || v === '' ? '—' : String(v);
              return c.link ? <Link to={`/registries/${kind}/${r.id}`}>{text}</Link> : text;
            },
          }))}
        />
      )}
    </Card>
  );
}

export default function CountryDetail() {
  const { iso3: raw } = useParams();
  const iso3 = (raw ?? '').toUpperCase();
  const { t, lang, pick } = useA();
  const user = useUser();
  const analyst = hasRole(user, ANALYSTS);
  const c = useQuery({ queryKey: ['country', iso3], queryFn: () => api.get<CountryDetailReply>(`/api/countries/${iso3}`) });
  const map = useQuery({
    queryKey: ['analytics', 'map', { region: undefined, from: undefined, to: undefined }],
    queryFn: () => api.get<{ countries: MapRow[] }>('/api/analytics/map'),
    enabled: analyst,
    // Participations are an extra here: the page reads well without them.
    retry: false,
  });
  const strategy = useQuery({
    queryKey: ['analytics', 'strategy', { all: 'true' }],
    queryFn: () => api.get<StrategyReply>('/api/analytics/strategy', { all: 'true' }),
    enabled: analyst,
  });
  const byYear = useQuery({
    queryKey: ['analytics', 'funding', 'year', { country: iso3 }],
    queryFn: () => api.get<{ total: number; records: number; rows: { year: number | null; amount: number; records: number }[] }>('/api/query/funding', { by: 'year', where: [`country=${iso3}`] }),
    enabled: analyst,
  });
  const parts = useQuery({
    queryKey: ['analytics', 'participations', 'year', { participant: iso3 }],
    queryFn: () => api.get<{ rows: { year: number | null; projects: number; participations: number }[] }>('/api/analytics/participations', { by: 'year', participant: iso3 }),
    enabled: analyst,
  });
  const partners = useQuery({
    queryKey: ['analytics', 'participations', 'country', { country: iso3 }],
    queryFn: () => api.get<{ rows: PartnerRow[] }>('/api/analytics/participations', { by: 'country', where: [`country=${iso3}`] }),
    enabled: analyst,
  });
  const byProject = useQuery({
    queryKey: ['analytics', 'funding', 'project', { country: iso3 }],
    queryFn: () => api.get<{ rows: { project: string | null; amount: number; records: number }[] }>('/api/query/funding', { by: 'project', where: [`country=${iso3}`] }),
    enabled: analyst,
  });

  // Funding booked to the country and projects it took part in, by year (start year of the project).
  const chart: ChartOption = useMemo(() => {
    const funding = new Map((byYear.data?.rows ?? []).filter((r) => r.year !== null).map((r) => [r.year!, r.amount]));
    const projects = new Map((parts.data?.rows ?? []).filter((r) => r.year !== null).map((r) => [r.year!, r.projects]));
    const years = [...new Set([...funding.keys(), ...projects.keys()])].sort((x, y) => x - y);
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: years.map(String) },
      yAxis: [
        { type: 'value', nameTextStyle: { align: 'left' }, name: t('measure.amount') },
        { type: 'value', nameTextStyle: { align: 'right' }, name: t('measure.projects'), minInterval: 1, splitLine: { show: false } },
      ],
      series: [
        { name: t('measure.amount'), type: 'bar', data: years.map((y) => funding.get(y) ?? 0), itemStyle: { color: PALETTE[0] } },
        { name: t('measure.projects'), type: 'line', yAxisIndex: 1, data: years.map((y) => projects.get(y) ?? 0), itemStyle: { color: PALETTE[6] } },
      ],
    };
  }, [byYear.data, parts.data, t]);
  const hasYears = [...(byYear.data?.rows ?? []), ...(parts.data?.rows ?? [])].some((r) => r.year !== null);

  if (c.isLoading) return <Loading />;
  if (c.error) return <ErrorPage error={c.error} retry={() => c.refetch()} />;
  const d = c.data!;
  const coop = map.data?.countries.find((x) => x.iso3 === iso3);
  const strat = strategy.data?.countries.find((x) => x.iso3 === iso3);
  const primary = lang === 'en' ? d.name_en : d.name_zh;
  const secondary = lang === 'en' ? d.name_zh : d.name_en;
  const item = (label: string, value: ReactNode) => ({ label, children: value });

  const projectCols: Col<{ project: string | null; amount: number; records: number }>[] = [
    { key: 'project', title: t('dim.project'), csv: 'project', render: (r) => (r.project ? <Link to={`/registries/projects?q=${encodeURIComponent(r.project)}`}>{r.project}</Link> : '—') },
    { key: 'amount', title: t('measure.amount'), csv: 'amount', num: true, digits: 4, defaultSort: 'descend' },
    { key: 'records', title: t('measure.records'), csv: 'records', num: true, digits: 0 },
  ];

  const partnerCols: Col<PartnerRow>[] = [
    {
      key: 'country',
      title: t('dim.country'),
      csv: 'country',
      value: (r) => (lang === 'en' ? r.country_en : r.country_zh) ?? r.country ?? '',
      render: (r) => (r.country ? <Link to={`/countries/${r.country}`}>{(lang === 'en' ? r.country_en : r.country_zh) ?? r.country}</Link> : t('common.unassigned')),
    },
    { key: 'projects', title: t('measure.projects'), csv: 'projects', num: true, digits: 0, defaultSort: 'descend' },
    { key: 'participations', title: t('measure.participations'), csv: 'participations', num: true, digits: 0 },
  ];

  return (
    <div>
      <Card
        title={
          <span data-testid="country-title">
            <Link to="/countries">{t('countries.title')}</Link> / {primary} <Typography.Text type="secondary">{secondary}</Typography.Text>
          </span>
        }
      >
        <Descriptions
          bordered
          size="small"
          column={{ xs: 1, md: 2, xl: 3 }}
          data-testid="country-detail"
          items={[
            item(t('countries.iso3'), <span data-testid="country-iso3">{d.iso3}</span>),
            item('ISO2', d.iso2),
            item(t('countries.numeric'), d.numeric_code ?? '—'),
            item(t('countries.kind'), t(`countries.kinds.${d.kind}`)),
            item(t('countries.sovereign'), d.sovereign_iso3 ? <Link to={`/countries/${d.sovereign_iso3}`}>{d.sovereign_iso3}</Link> : '—'),
            item(
              t('countries.groups'),
              d.group_details.length ? (
                <Space size={[4, 4]} wrap data-testid="country-groups">
                  {d.group_details.map((g) => (
                    <Link key={g.code} to={`/countries?group=${g.code}`}>
                      <Tag title={g.code}>{pick({ zh: g.name_zh, en: g.name_en })}</Tag>
                    </Link>
                  ))}
                </Space>
              ) : (
                '—'
              ),
            ),
            item(
              t('countries.aliases'),
              <Space size={[4, 4]} wrap>
                {d.aliases.map((a) => (
                  <Tag key={a.alias}>{a.alias}</Tag>
                ))}
              </Space>,
            ),
            ...(d.note ? [item(t('countries.note'), d.note)] : []),
          ]}
        />
      </Card>

      {analyst ? (
        <Card size="small" title={t('countries.cooperation')} style={{ marginTop: 16 }} data-testid="country-cooperation">
          {strategy.error ? <ErrorAlert error={strategy.error} /> : null}
          <Space wrap size={12} style={{ marginBottom: 12 }}>
            <Figure
                label={t('measure.projects')}
                value={
                  <Link to={`/registries/projects?partner_country=${iso3}`} data-testid="coop-projects-link">
                    <span data-testid="coop-projects">{fmt(strat?.cooperation.projects ?? 0, lang, 0)}</span>
                  </Link>
                }
              />
            {coop ? <Figure label={t('measure.participations')} value={<span data-testid="coop-participations">{fmt(coop.participations, lang, 0)}</span>} /> : null}
            <Figure label={t('measure.funding')} value={<span data-testid="coop-funding">{fmt(strat?.cooperation.funding ?? 0, lang, 4)}</span>} />
            <Figure label={t('measure.platforms')} value={<span data-testid="coop-platforms">{fmt(strat?.cooperation.platforms ?? 0, lang, 0)}</span>} />
            <Figure label={t('measure.mechanisms')} value={<span data-testid="coop-mechanisms">{fmt(strat?.cooperation.mechanisms ?? 0, lang, 0)}</span>} />
            {strat ? (
              <Figure
                label={t('countries.strategy')}
                value={
                  <Space>
                    {strat.innovation ? <Tag>{strat.innovation.value}</Tag> : null}
                    {strat.home ? <Tag>{t('strategy.home')}</Tag> : <DirectionTag c={strat} />}
                  </Space>
                }
              />
            ) : null}
          </Space>
          {strat && !strat.home ? (
            <Typography.Paragraph type="secondary" data-testid="coop-reason">
              {lang === 'en' ? strat.reason_en : strat.reason_zh}
            </Typography.Paragraph>
          ) : null}
          <Row gutter={[16, 16]}>
            <GridCol xs={24} xl={12}>
              <Card size="small" title={t('countries.byYear')}>
                {byYear.error ? <ErrorAlert error={byYear.error} /> : null}
                {parts.error ? <ErrorAlert error={parts.error} /> : null}
                {hasYears ? <Chart option={chart} height={240} data-testid="country-year-chart" /> : <Typography.Text type="secondary">{t('common.none')}</Typography.Text>}
              </Card>
            </GridCol>
            <GridCol xs={24} xl={12}>
              {byProject.error ? (
                <ErrorAlert error={byProject.error} />
              ) : (
                <DataTable
                  title={
                    <span>
                      {t('countries.projects')} <Typography.Text type="secondary">{lang === 'en' ? `(${t('countries.fundingProjectsNote')})` : `（${t('countries.fundingProjectsNote')}）`}</Typography.Text>
                    </span>
                  }
                  rows={byProject.data?.rows ?? []}
                  cols={projectCols}
                  rowKey={(r) => r.project ?? '∅'}
                  testid="country-projects"
                  fileName={`country-${iso3}-projects`}
                  pageSize={8}
                />
              )}
            </GridCol>
            <GridCol xs={24}>
              {partners.error ? (
                <ErrorAlert error={partners.error} />
              ) : (
                <DataTable<PartnerRow>
                  title={t('countries.partners')}
                  rows={(partners.data?.rows ?? []).filter((r) => r.country !== iso3)}
                  cols={partnerCols}
                  rowKey={(r) => r.country ?? '∅'}
                  testid="country-partners"
                  fileName={`country-${iso3}-partners`}
                  pageSize={10}
                />
              )}
            </GridCol>
          </Row>
        </Card>
      ) : null}

      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <GridCol xs={24} xl={12}>
          <Related
            kind="platforms"
            field="country_iso3"
            iso3={iso3}
            title={t('countries.platforms')}
            testid="country-platforms"
            columns={[
              { key: 'name_zh', zh: '平台名称', en: 'Name', link: true },
              { key: 'kind', zh: '类型', en: 'Kind' },
              { key: 'region_name', zh: '地区', en: 'Region' },
              { key: 'host_org_name', zh: '依托单位', en: 'Host' },
            ]}
          />
        </GridCol>
        <GridCol xs={24} xl={12}>
          <Related
            kind="mechanisms"
            field="country_iso3"
            iso3={iso3}
            title={t('countries.mechanisms')}
            testid="country-mechanisms"
            columns={[
              { key: 'name_zh', zh: '名称', en: 'Name', link: true },
              { key: 'kind', zh: '类型', en: 'Kind' },
              { key: 'signed_date', zh: '签署日期', en: 'Signed' },
            ]}
          />
        </GridCol>
        <GridCol xs={24} xl={12}>
          <Related
            kind="organizations"
            field="country_iso3"
            iso3={iso3}
            title={t('countries.organizations')}
            testid="country-organizations"
            columns={[
              { key: 'name_zh', zh: '中文名称', en: 'Name (Chinese)', link: true },
              { key: 'name_en', zh: '英文名称', en: 'Name (English)', link: true },
              { key: 'type', zh: '类型', en: 'Type' },
            ]}
          />
        </GridCol>
        <GridCol xs={24} xl={12}>
          <Related
            kind="talents"
            field="nationality_iso3"
            iso3={iso3}
            title={t('countries.talents')}
            testid="country-talents"
            columns={[
              { key: 'name', zh: '姓名', en: 'Name', link: true },
              { key: 'affiliation', zh: '工作单位', en: 'Affiliation' },
              { key: 'category', zh: '类别', en: 'Category' },
            ]}
          />
        </GridCol>
      </Row>

      {d.indicators.length ? (
        <Card size="small" title={t('countries.indicators')} style={{ marginTop: 16 }} styles={{ body: { padding: 0 } }}>
          <Table
            size="small"
            rowKey={(r) => `${r.indicator}:${r.year}`}
            dataSource={d.indicators}
            pagination={false}
            data-testid="country-indicators"
            columns={[
              { key: 'indicator', dataIndex: 'indicator', title: t('countries.indicator') },
              { key: 'year', dataIndex: 'year', title: t('countries.year') },
              { key: 'value', title: t('countries.value'), render: (_, r) => (r.value_text ?? fmt(r.value_num, lang, 4)) + (r.unit ? ` ${r.unit}` : '') },
              { key: 'source', dataIndex: 'source', title: t('countries.source') },
            ]}
          />
        </Card>
      ) : null}
    </div>
  );
}

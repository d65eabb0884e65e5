/**
 * The matchmaking funnel (对接漏斗) of the officer's region, from /api/market/funnel: matches
 * shown → interest → contact → meeting → negotiation → agreement (each stage counts the
 * matches that reached it), dropped beside; grouped by field, partner country or
 * intermediary (a row of the group table draws that group's funnel); days spent in each
 * stage, why matches were dropped, and the deals with the projects and outputs they produced.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Col, Empty, Input, Row, Segmented, Table, Typography, type TableProps } from 'antd';
import { FunnelChart } from 'echarts/charts';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '../../api.ts';
import { Chart, useEcharts, type ChartOption } from '../../components/Chart.tsx';
import { html } from '../../components/escape.ts';
import { ErrorPage } from '../../components/ErrorView.tsx';
import { Loading } from '../../components/PageState.tsx';
import { PageTitle, saveCsv, useM, type Funnel as FunnelDto, type StageCounts } from './shared.tsx';
import { DateInput } from '../../components/DateInput.tsx';

// The funnel series is drawn on this page only; Chart.tsx registers the common types.
useEcharts([FunnelChart]);

const FLOW = ['shown', 'interest', 'contact', 'meeting', 'negotiation', 'agreement'] as const;
const BY = ['field', 'country', 'intermediary'] as const;
type By = (typeof BY)[number];
const COLORS = ['#bfbfbf', '#1677ff', '#13c2c2', '#2f54eb', '#722ed1', '#52c41a'];

export default function Funnel() {
  const { t, lang } = useM();
  const [params, setParams] = useSearchParams();
  const by = (BY as readonly string[]).includes(params.get('by') ?? '') ? (params.get('by') as By) : undefined;
  const from = params.get('from') ?? undefined;
  const to = params.get('to') ?? undefined;
  const group = params.get('g');
  const update = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || v === '') next.delete(k);
      else next.set(k, v);
    }
    setParams(next, { replace: true });
  };
  const q = { by, from, to };
  const data = useQuery({ queryKey: ['market', 'funnel', q], queryFn: () => api.get<FunnelDto>('/api/market/funnel', q), placeholderData: keepPreviousData });
  const f = data.data;

  const selected = by && group !== null ? f?.groups.find((g) => String(g.key) === group) : undefined;
  const label = (s: { label_zh: string; label_en: string }) => (lang === 'en' ? s.label_en : s.label_zh);
  const stageLabel = (stage: string) => {
    const s = f?.stages.find((x) => x.stage === stage);
    return s ? label(s) : t(`stage.${stage}`);
  };
  const counts: Record<string, number> = useMemo(() => {
    if (selected) return { ...selected.counts };
    return Object.fromEntries((f?.stages ?? []).map((s) => [s.stage, s.reached]));
  }, [f, selected]);

  const option: ChartOption = useMemo(
    () => ({
      tooltip: { trigger: 'item', formatter: (p: { name: string; value: number }) => html`${p.name}: ${p.value}` },
      series: [
        {
          type: 'funnel',
          sort: 'none',
          left: '10%',
          width: '80%',
          top: 10,
          bottom: 10,
          minSize: '6%',
          gap: 2,
          label: { show: true, position: 'inside', formatter: (p: { name: string; value: number }) => `${p.name}  ${p.value}`, color: '#fff', textBorderColor: '#333', textBorderWidth: 2 },
          data: FLOW.map((s, i) => ({ name: stageLabel(s), value: counts[s] ?? 0, itemStyle: { color: COLORS[i] } })),
        },
      ],
    }),
    [counts, f, lang, t],
  );

  if (data.isLoading) return <Loading />;
  if (data.error) return <ErrorPage error={data.error} retry={() => data.refetch()} />;
  if (!f) return <Loading />;

  const stageRows = [...FLOW, 'dropped'].map((s, i) => {
    const row = f.stages.find((x) => x.stage === s);
    const reached = counts[s] ?? 0;
    const prev = i > 0 && s !== 'dropped' ? (counts[FLOW[i - 1]] ?? 0) : null;
    return { stage: s, label: stageLabel(s), reached, current: selected ? null : (row?.current ?? 0), conversion: prev ? reached / prev : null };
  });

  const groupColumns: TableProps<FunnelDto['groups'][number]>['columns'] = [
    { key: 'label', title: t('funnel.group'), render: (_, g) => label(g), sorter: (a, b) => label(a).localeCompare(label(b)) },
    ...([...FLOW, 'dropped'] as (keyof StageCounts)[])
      .filter((s) => !(by === 'intermediary' && s === 'shown'))
      .map((s) => ({
        key: s,
        title: stageLabel(s),
        align: 'right' as const,
        sorter: (a: FunnelDto['groups'][number], b: FunnelDto['groups'][number]) => a.counts[s] - b.counts[s],
        render: (_: unknown, g: FunnelDto['groups'][number]) => <span data-testid={`group-${s}`}>{g.counts[s]}</span>,
      })),
  ];

  const exportCsv = () => {
    const header = [t('funnel.group'), ...[...FLOW, 'dropped'].map(stageLabel)];
    const rows = by ? f.groups.map((g) => [label(g), ...[...FLOW, 'dropped'].map((s) => g.counts[s as keyof StageCounts])]) : [[t('funnel.allGroups'), ...[...FLOW, 'dropped'].map((s) => f.stages.find((x) => x.stage === s)?.reached ?? 0)]];
    saveCsv(`funnel-${by ?? 'all'}.csv`, header, rows);
  };

  return (
    <div className="page-card">
      <PageTitle k="funnel" />
      <Typography.Paragraph type="secondary">{t('funnel.intro')}</Typography.Paragraph>
      <div className="toolbar">
        <span>{t('funnel.by')}</span>
        <Segmented
          value={by ?? 'none'}
          onChange={(v) => update({ by: v === 'none' ? undefined : String(v), g: undefined })}
          options={[
            { value: 'none', label: t('funnel.allGroups') },
            { value: 'field', label: t('funnel.byField') },
            { value: 'country', label: t('funnel.byCountry') },
            { value: 'intermediary', label: t('funnel.byIntermediary') },
          ]}
          data-testid="funnel-by"
        />
        <DateInput value={from ?? null} onChange={(v) => update({ from: v ?? undefined })} style={{ width: 160 }} aria-label={t('funnel.from')} title={t('funnel.from')} />
        <span>—</span>
        <DateInput value={to ?? null} onChange={(v) => update({ to: v ?? undefined })} style={{ width: 160 }} aria-label={t('funnel.to')} title={t('funnel.to')} />
        <span className="spacer" />
        <a onClick={exportCsv}>{t('common:action.exportCsv')}</a>
      </div>
      <Row gutter={16}>
        <Col xs={24} lg={13}>
          <Card size="small" title={selected ? `${t('funnel.chart')} · ${label(selected)}` : t('funnel.chart')} extra={selected ? <a onClick={() => update({ g: undefined })}>{t('funnel.allGroups')}</a> : null}>
            <Chart option={option} height={340} data-testid="funnel-chart" aria-label={t('funnel.chart')} />
          </Card>
        </Col>
        <Col xs={24} lg={11}>
          <Card size="small" title={t('funnel.stages')}>
            <Table
              rowKey="stage"
              size="small"
              pagination={false}
              dataSource={stageRows}
              data-testid="funnel-stages"
              columns={[
                { key: 'label', title: t('followups.stage'), dataIndex: 'label' },
                { key: 'reached', title: t('funnel.reached'), align: 'right', render: (_, r) => <span data-testid={`stage-reached-${r.stage}`}>{r.reached}</span> },
                ...(selected ? [] : [{ key: 'current', title: t('funnel.current'), align: 'right' as const, render: (_: unknown, r: (typeof stageRows)[number]) => <span data-testid={`stage-current-${r.stage}`}>{r.current}</span> }]),
                { key: 'conversion', title: t('funnel.conversion'), align: 'right', render: (_, r) => (r.conversion === null ? '—' : `${(r.conversion * 100).toFixed(1)}%`) },
              ]}
            />
          </Card>
        </Col>
      </Row>
      {by ? (
        <Card size="small" title={t('funnel.groups')} extra={<Typography.Text type="secondary">{t('funnel.groupHint')}</Typography.Text>} style={{ marginTop: 16 }}>
          <Table
            rowKey={(g) => String(g.key)}
            size="small"
            dataSource={f.groups}
            columns={groupColumns}
            pagination={f.groups.length > 20 ? { pageSize: 20 } : false}
            data-testid="funnel-groups"
            locale={{ emptyText: <Empty description={t('funnel.none')} /> }}
            rowClassName={(g) => (String(g.key) === group ? 'ant-table-row-selected' : '')}
            onRow={(g) => ({ onClick: () => update({ g: String(g.key) }), style: { cursor: 'pointer' } })}
          />
        </Card>
      ) : null}
      <Row gutter={16} style={{ marginTop: 16 }}>
        <Col xs={24} lg={8}>
          <Card size="small" title={t('funnel.time')}>
            <Table
              rowKey="stage"
              size="small"
              pagination={false}
              dataSource={f.time_in_stage}
              data-testid="funnel-time"
              columns={[
                { key: 's', title: t('followups.stage'), render: (_, r) => stageLabel(r.stage) },
                { key: 'n', title: t('funnel.entries'), dataIndex: 'entries', align: 'right' },
                { key: 'mean', title: t('funnel.mean'), align: 'right', render: (_, r) => r.mean_days ?? '—' },
                { key: 'median', title: t('funnel.median'), align: 'right', render: (_, r) => r.median_days ?? '—' },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title={t('funnel.dropped')}>
            {f.dropped_reasons.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('funnel.none')} />
            ) : (
              <Table rowKey="reason" size="small" pagination={false} dataSource={f.dropped_reasons} columns={[{ key: 'r', title: t('followups.dropReason'), dataIndex: 'reason' }, { key: 'c', title: '#', dataIndex: 'count', align: 'right' }]} />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title={t('funnel.deals')}>
            {f.deals.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('funnel.noDeals')} />
            ) : (
              <ul style={{ paddingLeft: 18, margin: 0 }} data-testid="funnel-deals">
                {f.deals.map((d) => (
                  <li key={d.followup_id}>
                    #{d.followup_id} {d.outcome ? t(`outcome.${d.outcome}`) : ''}
                    {d.project ? (
                      <>
                        {' · '}
                        <Link to={`/registries/projects/${d.project.id}`}>{d.project.title}</Link>
                      </>
                    ) : null}
                    {d.output ? (
                      <>
                        {' · '}
                        <Link to={`/registries/outputs/${d.output.id}`}>{d.output.title}</Link>
                      </>
                    ) : null}
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </Col>
      </Row>
    </div>
  );
}

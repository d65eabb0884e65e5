/**
 * The collaboration network of countries or organisations from project partnerships: degree,
 * weighted degree, betweenness and eigenvector centrality per node (the 001 paper cites
 * China's rank in research-collaboration centrality), the central nodes in a table, and an
 * interactive graph — a force layout of the links it asks for (`links=true`, among the nodes
 * drawn), else the nodes placed by their degree and betweenness.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Card, Col as GridCol, InputNumber, Row, Segmented, Space, Typography } from 'antd';
import { useMemo } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api } from '../../api.ts';
import { Chart, type ChartOption } from '../../components/Chart.tsx';
import { html } from '../../components/escape.ts';
import { ErrorAlert } from '../../components/ErrorView.tsx';
import { DataTable, Figure, fmt, Labeled, PageTitle, PALETTE, QueryState, RegionFilter, useA, useFilters, type Col } from './shared.tsx';
import type { NetworkNode, NetworkReply } from './types.ts';

/**
 * The reply with the links asked for (`links=true`): every edge, or — when the graph has more
 * than GRAPH_NODES nodes — the edges among the GRAPH_NODES nodes of highest degree, which are
 * the ones drawn (`links_limited_to` says so).
 */
type Reply = NetworkReply & { links?: { source: string; target: string; weight: number }[]; links_limited_to?: number | null };
type NodeRow = NetworkNode & { rank: number };

const GRAPH_NODES = 80;

export default function Network() {
  const { t, lang } = useA();
  const f = useFilters();
  const navigate = useNavigate();
  const level = f.get('level') === 'organization' ? 'organization' : 'country';
  const weight = f.get('weight') === 'participations' ? 'participations' : 'projects';
  const year = Number(f.get('year')) || undefined;
  const where = [...f.where, ...(year ? [`year=${year}`] : [])];
  const params = { level, weight, where, links: true, linkNodes: GRAPH_NODES };
  const q = useQuery({
    queryKey: ['analytics', 'network', params],
    queryFn: () => api.get<Reply>('/api/analytics/network', params),
    enabled: f.ready,
    placeholderData: keepPreviousData,
  });
  const d = q.data;
  const rows: NodeRow[] = useMemo(
    () => [...(d?.nodes ?? [])].sort((a, b) => b.degree - a.degree || b.weighted_degree - a.weighted_degree).map((n, i) => ({ ...n, rank: i + 1 })),
    [d],
  );
  const name = (n: { id: string; label: string | null }) => n.label ?? n.id;
  const pageOf = (id: string) => (level === 'country' ? `/countries/${id}` : `/registries/organizations/${id}`);

  const chart: ChartOption = useMemo(() => {
    const shown = rows.slice(0, GRAPH_NODES);
    const maxW = Math.max(1, ...shown.map((n) => n.weighted_degree));
    const size = (n: NetworkNode) => 10 + 40 * Math.sqrt(n.weighted_degree / maxW);
    const ids = new Set(shown.map((n) => n.id));
    if (d?.links) {
      const links = d.links.filter((l) => ids.has(l.source) && ids.has(l.target));
      const maxL = Math.max(1, ...links.map((l) => l.weight));
      const names = new Map(shown.map((n) => [n.id, name(n)]));
      return {
        tooltip: {
          formatter: (p: { dataType: string; data: { name?: string; degree?: number; weight?: number; source?: string; target?: string } }) =>
            p.dataType === 'edge'
              ? html`${names.get(p.data.source!) ?? p.data.source} — ${names.get(p.data.target!) ?? p.data.target}<br/>${t(`network.weights.${weight}`)}: ${fmt(p.data.weight ?? 0, lang, 0)}`
              : html`${p.data.name}<br/>${t('network.degree')}: ${p.data.degree}`,
        },
        series: [
          {
            type: 'graph',
            layout: 'force',
            roam: true,
            draggable: true,
            force: { repulsion: 220, edgeLength: [40, 160], gravity: 0.08 },
            label: { show: true, position: 'right', formatter: '{b}' },
            labelLayout: { hideOverlap: true },
            emphasis: { focus: 'adjacency', lineStyle: { width: 4 } },
            data: shown.map((n, i) => ({ id: n.id, name: name(n), degree: n.degree, symbolSize: size(n), value: n.weighted_degree, itemStyle: { color: PALETTE[i % PALETTE.length] } })),
            links: links.map((l) => ({ source: l.source, target: l.target, weight: l.weight, lineStyle: { width: 1 + 5 * (l.weight / maxL), opacity: 0.5, curveness: 0.1 } })),
          },
        ],
      };
    }
    // Without the links: each node placed by degree (x) and betweenness (y), sized by weighted degree.
    return {
      tooltip: {
        formatter: (p: { data: { name: string; value: number[] } }) =>
          html`${p.data.name}<br/>${t('network.degree')}: ${p.data.value[0]}<br/>${t('network.betweenness')}: ${fmt(p.data.value[1], lang, 4)}<br/>${t('network.weightedDegree')}: ${fmt(p.data.value[2], lang, 2)}`,
      },
      grid: { left: 8, right: 24, top: 24, bottom: 8, containLabel: true },
      xAxis: { type: 'value', name: t('network.degree'), minInterval: 1 },
      yAxis: { type: 'value', nameTextStyle: { align: 'left' }, name: t('network.betweenness') },
      series: [
        {
          type: 'scatter',
          data: shown.map((n) => ({ id: n.id, name: name(n), value: [n.degree, n.betweenness, n.weighted_degree], symbolSize: size(n) })),
          itemStyle: { color: PALETTE[0], opacity: 0.75 },
          label: { show: true, position: 'right', formatter: '{b}' },
          labelLayout: { hideOverlap: true },
        },
      ],
    };
  }, [rows, d, t, lang, weight]);

  const cols: Col<NodeRow>[] = [
    { key: 'rank', title: t('common.rank'), csv: 'rank', num: true, digits: 0 },
    {
      key: 'name',
      title: t('network.node'),
      csv: 'node',
      value: (n) => name(n),
      render: (n) => (
        <Link to={pageOf(n.id)} data-col="node">
          {name(n)}
          {level === 'country' ? <span style={{ color: '#999', marginLeft: 4 }}>{n.id}</span> : null}
        </Link>
      ),
    },
    { key: 'degree', title: t('network.degree'), csv: 'degree', num: true, digits: 0, defaultSort: 'descend' },
    { key: 'weighted_degree', title: t('network.weightedDegree'), csv: 'weighted_degree', num: true, digits: 2 },
    { key: 'betweenness', title: t('network.betweenness'), csv: 'betweenness', num: true, digits: 4 },
    { key: 'eigenvector', title: t('network.eigenvector'), csv: 'eigenvector', num: true, digits: 4 },
  ];

  return (
    <div className="page-card">
      <PageTitle title={t('network.title')} subtitle={t('network.subtitle')} />
      <div className="toolbar" data-testid="filters">
        <RegionFilter value={f.regionId} onChange={(id) => f.set({ region: id ?? undefined })} />
        <Labeled label={t('filter.startYear')}>
          <InputNumber min={1900} max={2200} value={year ?? null} onChange={(v) => f.set({ year: v ?? undefined })} style={{ width: 100 }} data-testid="network-year" />
        </Labeled>
        <Labeled label={t('filter.level')}>
          <Segmented value={level} onChange={(v) => f.set({ level: v === 'country' ? undefined : v })} options={(['country', 'organization'] as const).map((l) => ({ value: l, label: t(`network.levels.${l}`) }))} data-testid="network-level" />
        </Labeled>
        <Labeled label={t('filter.weight')}>
          <Segmented value={weight} onChange={(v) => f.set({ weight: v === 'projects' ? undefined : v })} options={(['projects', 'participations'] as const).map((w) => ({ value: w, label: t(`network.weights.${w}`) }))} />
        </Labeled>
      </div>
      {q.error ? <ErrorAlert error={q.error} /> : null}
      {d && d.skipped > 0 ? <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('network.skipped', { n: d.skipped, level: t(`network.levels.${level}`) })} data-testid="network-skipped" /> : null}
      <QueryState loading={q.isLoading || !f.ready} empty={!q.error && rows.length === 0}>
        {d ? (
          <Space wrap size={12} style={{ marginBottom: 16 }} data-testid="network-figures">
            <Figure label={t('network.nodes')} value={<span data-testid="fig-nodes">{fmt(d.nodes.length, lang, 0)}</span>} />
            <Figure label={t('network.edges')} value={<span data-testid="fig-edges">{fmt(d.edges, lang, 0)}</span>} />
            <Figure label={t('network.projects')} value={<span data-testid="fig-projects">{fmt(d.projects, lang, 0)}</span>} />
          </Space>
        ) : null}
        <Row gutter={[16, 16]}>
          <GridCol xs={24} xl={13}>
            <Card
              size="small"
              title={t('network.graph')}
              extra={rows.length > GRAPH_NODES ? <span data-testid="network-graph-limit">{t('network.graphLimit', { n: d?.links_limited_to ?? GRAPH_NODES })}</span> : null}
            >
              <Chart option={chart} height={460} data-testid="network-chart" onClick={(e) => (e.dataType === 'edge' ? undefined : navigate(pageOf((e.data as { id: string }).id)))} />
              {d && !d.links ? (
                <Typography.Text type="secondary" data-testid="network-nolinks">
                  {t('network.noLinks')}
                </Typography.Text>
              ) : null}
            </Card>
          </GridCol>
          <GridCol xs={24} xl={11}>
            <DataTable<NodeRow> title={t('network.topNodes')} rows={rows} cols={cols} rowKey={(n) => n.id} testid="network-table" fileName={`network-${level}`} pageSize={15} />
          </GridCol>
        </Row>
      </QueryState>
    </div>
  );
}

/**
 * "Why this score" for one unit of a run (GET runs/:id/explain?unit=X): the path of every
 * indicator from its raw value through denominators, imputation, outlier treatment and
 * normalisation to its weight and contribution; the contributions by dimension as a waterfall
 * that ends at the score, the largest contributions, and a paragraph in words to paste into a
 * report. When the aggregation is not additive (geometric, harmonic, TOPSIS) the page says so
 * and shows each level's values and weights instead.
 */
import { CopyOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Row, Segmented, Select, Space, Table, Tag, Tooltip, Typography, message } from 'antd';
import type { TFunction } from 'i18next';
import { useEffect, useMemo } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { api } from '../../api.ts';
import { ErrorAlert, ErrorPage } from '../../components/ErrorView.tsx';
import { EmptyState, Loading } from '../../components/PageState.tsx';
import type { Lang } from '../../i18n.ts';
import { Chart, type ChartOption } from './charts.ts';
import { html } from '../../components/escape.ts';
import { BASE, bilingual, fmt, keys, nodeName, pct, score2, useFramework, useRun } from './data.ts';
import { PageTitle, useI } from './shared.tsx';
import type { Explain, ExplainIndicator, ExplainNode, FNode } from './types.ts';

type NameOf = (code: string, fallback?: string | null) => string;

export default function ExplainPage() {
  const { id = '' } = useParams();
  const runId = Number(id) || 0;
  const { t, lang } = useI();
  const [params, setParams] = useSearchParams();
  const unit = params.get('unit') ?? '';
  const run = useRun(runId);
  const fw = useFramework(run.data?.framework.id, run.data?.version);
  const ex = useQuery({
    queryKey: [...keys.run(runId), 'explain', unit],
    queryFn: () => api.get<Explain>(`${BASE}/runs/${runId}/explain`, { unit }),
    enabled: runId > 0 && !!unit,
  });
  const units = useMemo(() => [...(run.data?.units ?? [])].sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9)), [run.data]);

  // Without a unit in the address, the top-ranked unit.
  useEffect(() => {
    if (!unit && units.length) setParams({ unit: units[0].unit }, { replace: true });
  }, [unit, units, setParams]);

  const nodes = useMemo(() => new Map<string, FNode>((fw.data?.nodes ?? []).map((n) => [n.code, n])), [fw.data]);
  const nameOf: NameOf = (code, fallback) => nodeName(nodes.get(code) ?? { code, name: fallback ?? null, name_en: null }, lang);

  if (run.isLoading) return <Loading />;
  if (run.error || !run.data) return <ErrorPage error={run.error ?? { status: 404 }} retry={() => run.refetch()} />;

  return (
    <div className="page-card">
      <PageTitle
        zh="得分解释"
        en="Why this score"
        extra={
          <Link to={`/indicators/runs/${runId}`}>
            #{runId} {bilingual(run.data.label, lang)}
          </Link>
        }
      />
      <div className="toolbar">
        <span>{t('explain.unit')}</span>
        <Select
          showSearch
          optionFilterProp="label"
          value={unit || undefined}
          onChange={(v) => setParams({ unit: v }, { replace: true })}
          options={units.map((u) => ({ value: u.unit, label: `${u.rank ?? '—'}. ${u.unit} ${bilingual(u.name, lang)}` }))}
          style={{ width: 360 }}
          data-testid="explain-unit"
        />
      </div>
      {ex.isLoading || !unit ? <Loading /> : ex.error || !ex.data ? <ErrorAlert error={ex.error} /> : <ExplainView ex={ex.data} n={run.data.units.filter((u) => u.rank !== null).length} nameOf={nameOf} />}
    </div>
  );
}

function ExplainView({ ex, n, nameOf }: { ex: Explain; n: number; nameOf: NameOf }) {
  const { t, lang } = useI();
  const root = ex.nodes.find((x) => x.parent === null);
  const levels = [...new Set(ex.nodes.filter((x) => x.parent !== null).map((x) => x.level))].sort((a, b) => a - b);
  const [params, setParams] = useSearchParams();
  const level = Number(params.get('level') ?? '') || levels[0] || 0;
  const method = ex.nodes.find((x) => x.method !== 'arithmetic')?.method ?? 'arithmetic';
  const text = useMemo(() => sentence(ex, n, nameOf, t, lang), [ex, n, nameOf, t, lang]);
  const sum = ex.indicators.reduce((s, i) => s + (i.contribution ?? 0), 0);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Clipboard API needs a secure context; a selected text area works over plain HTTP too.
      const area = document.createElement('textarea');
      area.value = text;
      document.body.appendChild(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    message.success(t('explain.copied'));
  };

  return (
    <div data-testid="explain" data-additive={ex.additive ? 'true' : 'false'}>
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col xs={24} md={6}>
          <Card size="small">
            <div style={{ color: '#888' }}>{bilingual(ex.name, lang) || ex.unit}</div>
            <div style={{ fontSize: 32, fontWeight: 600 }} data-testid="explain-score" data-value={ex.score ?? ''}>
              {score2(ex.score)}
            </div>
            <div>
              {t('f.rank')} <b data-testid="explain-rank">{ex.rank ?? '—'}</b> / {n}
            </div>
          </Card>
        </Col>
        <Col xs={24} md={18}>
          <Card
            size="small"
            title={t('explain.summary')}
            extra={
              <Button size="small" icon={<CopyOutlined />} onClick={copy} data-testid="explain-copy">
                {t('explain.copy')}
              </Button>
            }
          >
            <Typography.Paragraph style={{ marginBottom: 0 }} data-testid="explain-summary">
              {text}
            </Typography.Paragraph>
          </Card>
        </Col>
      </Row>
      {!ex.additive ? <Alert type="warning" showIcon title={t('explain.notAdditive', { method: t(`explain.method.${method}`) })} style={{ marginBottom: 12 }} data-testid="explain-not-additive" /> : null}
      {!ex.reproduced ? <Alert type="error" showIcon title={t('explain.notReproduced')} style={{ marginBottom: 12 }} /> : null}
      {ex.additive && ex.contributions_sum !== null ? (
        <Alert type="success" showIcon title={t('explain.checkOk', { sum: score2(ex.contributions_sum), score: score2(ex.score) })} style={{ marginBottom: 12 }} data-testid="explain-check" />
      ) : null}
      {ex.notes
        .filter((x) => x.code !== 'EXPLAIN_NOT_ADDITIVE')
        .map((x, i) => (
          <Alert key={i} type="info" showIcon title={lang === 'en' ? x.message_en : x.message} style={{ marginBottom: 12 }} />
        ))}

      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Space style={{ marginBottom: 8 }} wrap>
            <Typography.Text strong>{ex.additive ? t('explain.waterfall') : t('explain.dimScores')}</Typography.Text>
            {levels.length > 1 ? (
              <Segmented<number>
                size="small"
                value={level}
                onChange={(v) => {
                  const next = new URLSearchParams(params);
                  next.set('level', String(v));
                  setParams(next, { replace: true });
                }}
                options={levels.map((l) => ({ value: l, label: t('result.levelN', { n: l }) }))}
              />
            ) : null}
          </Space>
          <Waterfall ex={ex} level={level} nameOf={nameOf} rootCode={root?.code} />
        </Col>
        <Col xs={24} lg={12}>
          <Typography.Text strong>{ex.additive ? t('explain.topIndicators') : t('explain.topNormalised')}</Typography.Text>
          <TopIndicators ex={ex} nameOf={nameOf} />
        </Col>
      </Row>

      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {ex.additive ? t('explain.byDimension') : t('explain.dimScores')}
      </Typography.Title>
      <NodeTable ex={ex} nameOf={nameOf} />

      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('explain.path')}
      </Typography.Title>
      <IndicatorTable ex={ex} nameOf={nameOf} sum={sum} />
    </div>
  );
}

/** The paragraph for a report, in the page's language. */
function sentence(ex: Explain, n: number, nameOf: NameOf, t: TFunction, lang: Lang): string {
  const root = ex.nodes.find((x) => x.parent === null);
  const unitName = bilingual(ex.name, lang);
  const unit = unitName && unitName !== ex.unit ? (lang === 'en' ? `${unitName} (${ex.unit})` : `${unitName}（${ex.unit}）`) : ex.unit;
  const index = root ? nameOf(root.code, root.name) : '';
  const sep = t('explain.sep');
  const listSep = t('explain.listSep');
  const top = root ? ex.nodes.filter((x) => x.parent === root.code) : [];
  if (!ex.additive) {
    const method = t(`explain.method.${ex.nodes.find((x) => x.method !== 'arithmetic')?.method ?? 'arithmetic'}`);
    const parts = top.map((d) => `${nameOf(d.code, d.name)} ${score2(d.score)}`).join(sep);
    return t('explain.sentenceNotAdditive', { unit, index, score: score2(ex.score), rank: ex.rank ?? '—', n, method, parts });
  }
  const out = [t('explain.sentenceHead', { unit, index, score: score2(ex.score), rank: ex.rank ?? '—', n })];
  if (top.length) {
    const parts = top.map((d) => t('explain.sentenceDim', { name: nameOf(d.code, d.name), score: score2(d.score), w: pct(d.effective_weight, lang), c: score2(d.contribution) })).join(sep);
    out.push(t('explain.sentenceDims', { parts }));
  }
  const present = ex.indicators.filter((i) => i.contribution !== null);
  const best = [...present].sort((a, b) => (b.contribution ?? 0) - (a.contribution ?? 0)).slice(0, 3);
  if (best.length) {
    out.push(t('explain.sentenceTop', { list: best.map((i) => t('explain.sentenceInd', { name: nameOf(i.code, i.name), norm: score2(i.normalised), w: pct(i.effective_weight, lang, 2), c: score2(i.contribution) })).join(listSep) }));
  }
  const weak = [...present].sort((a, b) => (a.normalised ?? 0) - (b.normalised ?? 0)).slice(0, 3);
  if (weak.length) out.push(t('explain.sentenceLow', { list: weak.map((i) => t('explain.sentenceIndLow', { name: nameOf(i.code, i.name), norm: score2(i.normalised) })).join(listSep) }));
  if (ex.contributions_sum !== null) out.push(t('explain.sentenceSum', { n: present.length, sum: score2(ex.contributions_sum) }));
  return out.join(lang === 'en' ? ' ' : '');
}

function Waterfall({ ex, level, nameOf, rootCode }: { ex: Explain; level: number; nameOf: NameOf; rootCode?: string }) {
  const { t } = useI();
  const dims = ex.nodes.filter((x) => x.level === level && x.code !== rootCode);
  const option = useMemo<ChartOption>(() => {
    const labels = dims.map((d) => nameOf(d.code, d.name));
    if (!ex.additive) {
      return {
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => score2(Number(v)) },
        grid: { left: 48, right: 16, top: 24, bottom: 80 },
        xAxis: { type: 'category', data: labels, axisLabel: { interval: 0, rotate: labels.length > 4 ? 30 : 0 } },
        yAxis: { type: 'value', name: t('f.score') },
        series: [{ type: 'bar', name: t('f.score'), data: dims.map((d) => d.score), itemStyle: { color: '#1677ff' } }],
      };
    }
    let acc = 0;
    const base: number[] = [];
    const vals: number[] = [];
    for (const d of dims) {
      base.push(acc);
      vals.push(d.contribution ?? 0);
      acc += d.contribution ?? 0;
    }
    return {
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (ps: { dataIndex: number; seriesIndex: number }[]) => {
          const p = ps.find((x) => x.seriesIndex === 1) ?? ps[0];
          if (p.dataIndex === dims.length) return html`${t('f.score')}: ${score2(ex.score)}`;
          const d = dims[p.dataIndex];
          return html`${nameOf(d.code, d.name)}<br/>${t('f.score')}: ${score2(d.score)}<br/>${t('explain.effWeight')}: ${((d.effective_weight ?? 0) * 100).toFixed(2)}%<br/>${t('explain.contribution')}: ${score2(d.contribution)}`;
        },
      },
      grid: { left: 48, right: 16, top: 24, bottom: 80 },
      xAxis: { type: 'category', data: [...labels, t('f.score')], axisLabel: { interval: 0, rotate: labels.length > 4 ? 30 : 0 } },
      yAxis: { type: 'value', name: t('explain.contribution') },
      series: [
        { type: 'bar', stack: 'w', silent: true, itemStyle: { color: 'transparent' }, data: [...base, 0] },
        {
          type: 'bar',
          stack: 'w',
          name: t('explain.contribution'),
          data: [...vals.map((v) => ({ value: v, itemStyle: { color: '#69b1ff' } })), { value: ex.score ?? acc, itemStyle: { color: '#0958d9' } }],
          label: { show: true, position: 'top', formatter: (p: { value: number }) => score2(p.value), fontSize: 10 },
        },
      ],
    };
  }, [dims, ex, nameOf, t]);
  if (!dims.length) return <EmptyState hint={t('result.emptyRun')} />;
  return <Chart option={option} height={340} data-testid="explain-waterfall" aria-label={t('explain.waterfall')} />;
}

function TopIndicators({ ex, nameOf }: { ex: Explain; nameOf: NameOf }) {
  const { t } = useI();
  const top = useMemo(() => {
    const xs = ex.additive ? ex.indicators.filter((i) => i.contribution !== null).sort((a, b) => (b.contribution ?? 0) - (a.contribution ?? 0)) : ex.indicators.filter((i) => i.normalised !== null).sort((a, b) => (b.normalised ?? 0) - (a.normalised ?? 0));
    return xs.slice(0, 15).reverse();
  }, [ex]);
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => Number(v).toFixed(4) },
      grid: { left: 160, right: 48, top: 16, bottom: 24 },
      yAxis: { type: 'category', data: top.map((i) => nameOf(i.code, i.name)), axisLabel: { width: 150, overflow: 'truncate', fontSize: 11 } },
      xAxis: { type: 'value', name: ex.additive ? t('explain.contribution') : t('explain.normalised') },
      series: [{ type: 'bar', data: top.map((i) => (ex.additive ? i.contribution : i.normalised)), itemStyle: { color: '#52c41a' }, label: { show: true, position: 'right', fontSize: 10, formatter: (p: { value: number }) => p.value.toFixed(2) } }],
    }),
    [top, ex.additive, nameOf, t],
  );
  if (!top.length) return <EmptyState hint={t('result.emptyRun')} />;
  return <Chart option={option} height={340} data-testid="explain-top" aria-label={t('explain.topIndicators')} />;
}

interface NodeRow extends ExplainNode {
  children?: NodeRow[];
}

function NodeTable({ ex, nameOf }: { ex: Explain; nameOf: NameOf }) {
  const { t, lang } = useI();
  const rows = useMemo(() => {
    const build = (x: ExplainNode): NodeRow => {
      const kids = ex.nodes.filter((k) => k.parent === x.code).map(build);
      return { ...x, ...(kids.length ? { children: kids } : {}) };
    };
    return ex.nodes.filter((x) => x.parent === null).map(build);
  }, [ex]);
  return (
    <Table<NodeRow>
      size="small"
      rowKey="code"
      pagination={false}
      dataSource={rows}
      expandable={{ defaultExpandAllRows: true }}
      data-testid="explain-nodes"
      columns={[
        { key: 'n', title: t('f.name'), render: (_: unknown, x) => <span style={{ fontWeight: x.parent === null ? 600 : 400 }}>{nameOf(x.code, x.name)}</span> },
        { key: 'c', title: t('f.code'), render: (_: unknown, x) => <code>{x.code}</code> },
        { key: 'l', title: t('f.level'), dataIndex: 'level', align: 'right' },
        { key: 'm', title: t('run.aggregate'), render: (_: unknown, x) => <Tag>{t(`explain.method.${x.method}`, { defaultValue: x.method })}</Tag> },
        { key: 's', title: t('f.score'), align: 'right', render: (_: unknown, x) => <span className="num">{score2(x.score)}</span> },
        { key: 'r', title: t('f.rank'), align: 'right', render: (_: unknown, x) => x.rank ?? '—' },
        { key: 'w', title: t('explain.weight'), align: 'right', render: (_: unknown, x) => (x.parent === null ? '' : fmt(x.weight, lang, 4)) },
        { key: 'e', title: t('explain.effWeight'), align: 'right', render: (_: unknown, x) => pct(x.effective_weight, lang, 2) },
        { key: 'x', title: t('explain.contribution'), align: 'right', render: (_: unknown, x) => <span className="num" data-testid={`node-contrib-${x.code}`}>{x.contribution === null ? '—' : x.contribution.toFixed(4)}</span> },
      ]}
    />
  );
}

function IndicatorTable({ ex, nameOf, sum }: { ex: Explain; nameOf: NameOf; sum: number }) {
  const { t, lang } = useI();
  // A processing step is shown only where it changed some value of this unit.
  const differs = (k: 'denominated' | 'imputed' | 'treated', prev: 'raw' | 'denominated' | 'imputed') => ex.indicators.some((i) => i[k] !== i[prev]);
  const steps = [
    { k: 'denominated' as const, on: differs('denominated', 'raw') },
    { k: 'imputed' as const, on: differs('imputed', 'denominated') },
    { k: 'treated' as const, on: differs('treated', 'imputed') },
  ].filter((x) => x.on);
  const num = (v: number | null, d = 4) => (v === null ? <span style={{ color: '#cf1322' }}>—</span> : fmt(v, lang, d));
  return (
    <Table<ExplainIndicator>
      size="small"
      rowKey="code"
      dataSource={ex.indicators}
      pagination={false}
      scroll={{ x: 'max-content' }}
      data-testid="explain-indicators"
      columns={[
        { key: 'c', title: t('f.code'), fixed: 'left', sorter: (a, b) => a.code.localeCompare(b.code), render: (_: unknown, i) => <code>{i.code}</code> },
        { key: 'n', title: t('f.name'), render: (_: unknown, i) => nameOf(i.code, i.name) },
        { key: 'p', title: t('explain.parent'), sorter: (a, b) => a.parent.localeCompare(b.parent), render: (_: unknown, i) => nameOf(i.parent) },
        { key: 'd', title: t('f.direction'), align: 'center', render: (_: unknown, i) => <Tag color={i.direction > 0 ? 'green' : 'volcano'}>{i.direction > 0 ? t('dir.posShort') : t('dir.negShort')}</Tag> },
        { key: 'raw', title: t('explain.raw'), align: 'right', render: (_: unknown, i) => num(i.raw) },
        ...steps.map((s) => ({ key: s.k, title: t(`explain.${s.k}`), align: 'right' as const, render: (_: unknown, i: ExplainIndicator) => num(i[s.k]) })),
        {
          key: 'norm',
          title: t('explain.normalised'),
          align: 'right',
          sorter: (a, b) => (a.normalised ?? -Infinity) - (b.normalised ?? -Infinity),
          render: (_: unknown, i) => (
            <Tooltip title={Object.entries(i.normalise_params).map(([k, v]) => `${k} = ${fmt(v, lang, 6)}`).join('，')}>
              <span>{num(i.normalised, 2)}</span>
            </Tooltip>
          ),
        },
        { key: 'w', title: t('explain.weight'), align: 'right', render: (_: unknown, i) => fmt(i.weight, lang, 4) },
        { key: 'e', title: t('explain.effWeight'), align: 'right', sorter: (a, b) => (a.effective_weight ?? -1) - (b.effective_weight ?? -1), render: (_: unknown, i) => pct(i.effective_weight, lang, 3) },
        {
          key: 'x',
          title: t('explain.contribution'),
          align: 'right',
          fixed: 'right',
          defaultSortOrder: ex.additive ? 'descend' : undefined,
          sorter: (a, b) => (a.contribution ?? -Infinity) - (b.contribution ?? -Infinity),
          render: (_: unknown, i) => (
            <b className="num" data-testid={`contrib-${i.code}`} data-value={i.contribution ?? ''}>
              {i.contribution === null ? '—' : i.contribution.toFixed(4)}
            </b>
          ),
        },
      ]}
      summary={() =>
        ex.additive ? (
          <Table.Summary fixed>
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={8 + steps.length}>
                <b>{t('explain.sum')}</b>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={8 + steps.length} align="right">
                <b data-testid="explain-sum" data-value={sum}>
                  {sum.toFixed(4)}
                </b>
              </Table.Summary.Cell>
            </Table.Summary.Row>
          </Table.Summary>
        ) : null
      }
    />
  );
}

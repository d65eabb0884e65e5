/**
 * Run an evaluation: indicator system and version, data set, and the methods of
 * `innolink eval run` (normalisation, weights, aggregation, imputation, screening, outlier
 * treatment, denominators, Monte-Carlo replications and seed). Methods left on "default" use
 * the version's default methods or the engine's. The settings of an earlier run can be loaded
 * (?from=ID). While the server computes, the page shows the time taken; then the results open.
 */
import { ExperimentOutlined, PlayCircleOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Form, Input, InputNumber, Progress, Row, Select, Space, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { api } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorView.tsx';
import { BASE, frameworkName, useCanWrite, useDatasets, useFrameworks, useRefresh, useRun, useVersions } from './data.ts';
import { PageTitle, useI } from './shared.tsx';
import type { RunDetail, RunRequest } from './types.ts';

const NORMALISE = ['minmax', 'zscore', 'rank', 'prank', 'goalposts', 'target', 'best'] as const;
const WEIGHTS = ['meta', 'equal', 'entropy', 'critic', 'pca'] as const;
const AGGREGATE = ['arithmetic', 'geometric', 'harmonic', 'topsis'] as const;
const IMPUTE = ['none', 'mean', 'median', 'groupMean', 'groupMedian', 'panelCarry', 'panelLinear'] as const;

interface Values {
  framework_id?: number;
  version?: number;
  dataset_id?: number;
  label?: string;
  normalise?: string;
  range_lo?: number | null;
  range_hi?: number | null;
  weights?: string;
  aggregate?: string;
  impute?: string;
  impute_group?: string;
  screen?: number | null;
  treat?: string;
  winmax?: number | null;
  denominate?: 'yes' | 'no';
  uncertainty?: number | null;
  perturb?: number | null;
  seed?: number | null;
}

/** The form's values as the API's run request (fields left on default are left out). */
function requestOf(v: Values): RunRequest {
  const r: RunRequest = { framework_id: v.framework_id!, dataset_id: v.dataset_id! };
  if (v.version) r.version = v.version;
  if (v.label?.trim()) r.label = v.label.trim();
  if (v.normalise) r.normalise = v.normalise;
  if (v.normalise === 'minmax' && typeof v.range_lo === 'number' && typeof v.range_hi === 'number') r.range = [v.range_lo, v.range_hi];
  if (v.weights) r.weights = v.weights;
  if (v.aggregate) r.aggregate = v.aggregate;
  if (v.impute) r.impute = (v.impute === 'groupMean' || v.impute === 'groupMedian') && v.impute_group ? `${v.impute}:${v.impute_group}` : v.impute;
  if (typeof v.screen === 'number') r.screen = v.screen;
  if (v.treat) r.treat = v.treat === 'winsorise' && typeof v.winmax === 'number' ? `winsorise:${v.winmax}` : v.treat;
  if (v.denominate) r.denominate = v.denominate === 'yes';
  if (typeof v.uncertainty === 'number' && v.uncertainty > 0) {
    r.uncertainty = v.uncertainty;
    if (typeof v.perturb === 'number') r.perturb = v.perturb;
  }
  if (typeof v.seed === 'number') r.seed = v.seed;
  return r;
}

/** A stored run's request as form values (to run again with changes). */
function valuesOf(run: RunDetail): Values {
  const q = run.request as Partial<RunRequest>;
  const [impute, impute_group] = (q.impute ?? '').split(':');
  const [treat, winmax] = (q.treat ?? '').split(':');
  return {
    framework_id: run.framework.id,
    version: run.version,
    dataset_id: run.dataset.id,
    normalise: q.normalise,
    range_lo: q.range?.[0] ?? null,
    range_hi: q.range?.[1] ?? null,
    weights: q.weights,
    aggregate: q.aggregate,
    impute: impute || undefined,
    impute_group: impute_group || undefined,
    screen: q.screen ?? null,
    treat: treat || undefined,
    winmax: winmax ? Number(winmax) : null,
    denominate: q.denominate === undefined ? undefined : q.denominate ? 'yes' : 'no',
    uncertainty: q.uncertainty ?? null,
    perturb: q.perturb ?? null,
    seed: run.seed,
  };
}

export default function RunNew() {
  const { t, lang } = useI();
  const navigate = useNavigate();
  const refresh = useRefresh();
  const canWrite = useCanWrite();
  const [params] = useSearchParams();
  const [form] = Form.useForm<Values>();
  const fromId = Number(params.get('from') ?? '') || 0;
  const from = useRun(fromId);
  const frameworks = useFrameworks();
  const frameworkId = Form.useWatch('framework_id', form);
  const datasetId = Form.useWatch('dataset_id', form);
  const normalise = Form.useWatch('normalise', form);
  const impute = Form.useWatch('impute', form);
  const treat = Form.useWatch('treat', form);
  const replications = Form.useWatch('uncertainty', form);
  const versions = useVersions(frameworkId);
  const datasets = useDatasets(frameworkId);
  const dataset = datasets.data?.items.find((d) => d.id === datasetId);
  const [running, setRunning] = useState<{ started: number; n: number } | null>(null);
  const [elapsed, setElapsed] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const filled = useRef(false);

  // Initial values: from an earlier run, or from the address (?framework=&version=&dataset=).
  useEffect(() => {
    if (filled.current) return;
    if (fromId && from.data) {
      form.setFieldsValue(valuesOf(from.data));
      filled.current = true;
    } else if (!fromId) {
      const f = Number(params.get('framework') ?? '') || undefined;
      form.setFieldsValue({ framework_id: f, version: Number(params.get('version') ?? '') || undefined, dataset_id: Number(params.get('dataset') ?? '') || undefined });
      filled.current = true;
    }
  }, [fromId, from.data, params, form]);

  // The only data set of a system is the obvious choice.
  useEffect(() => {
    const items = datasets.data?.items ?? [];
    if (frameworkId && !form.getFieldValue('dataset_id') && items.length === 1) form.setFieldValue('dataset_id', items[0].id);
  }, [datasets.data, frameworkId, form]);

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setElapsed((performance.now() - running.started) / 1000), 100);
    return () => clearInterval(timer);
  }, [running]);

  const run = async () => {
    const v = await form.validateFields();
    setError(null);
    const req = requestOf(v);
    setElapsed(0);
    setRunning({ started: performance.now(), n: req.uncertainty ?? 0 });
    try {
      const r = await api.post<RunDetail>(`${BASE}/runs`, req);
      await refresh();
      navigate(`/indicators/runs/${r.id}`);
    } catch (e) {
      setError(e);
    } finally {
      setRunning(null);
    }
  };

  const coinr = () =>
    form.setFieldsValue({ normalise: 'minmax', range_lo: 0, range_hi: 100, weights: 'meta', aggregate: 'arithmetic', impute: 'groupMean', impute_group: 'EurAsia_group', screen: 0.9, treat: 'winsorise', winmax: 5, denominate: undefined });

  const def = `（${t('run.default')}）`;
  const opts = (group: string, values: readonly string[]) => values.map((x) => ({ value: x, label: t(`run.${group}.${x}`) }));

  return (
    <div className="page-card">
      <PageTitle zh="运行评价" en="Run an evaluation" />
      <Alert type="info" showIcon title={t('run.help')} style={{ marginBottom: 12 }} />
      {!canWrite ? <Alert type="warning" showIcon title={t('common.readOnly')} style={{ marginBottom: 12 }} /> : null}
      {fromId && from.data ? <Alert type="success" showIcon title={t('run.from', { id: fromId })} style={{ marginBottom: 12 }} /> : null}
      {from.error ? <ErrorAlert error={from.error} /> : null}
      <Form form={form} layout="vertical" disabled={!!running || !canWrite} data-testid="run-form">
        <Row gutter={16}>
          <Col xs={24} md={10}>
            <Form.Item name="framework_id" label={t('run.framework')} rules={[{ required: true, message: t('datasets.chooseFramework') }]}>
              <Select
                showSearch
                optionFilterProp="label"
                loading={frameworks.isLoading}
                options={(frameworks.data?.items ?? []).map((f) => ({ value: f.id, label: frameworkName(f, lang) }))}
                onChange={() => form.setFieldsValue({ version: undefined, dataset_id: undefined })}
                data-testid="run-framework"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={4}>
            <Form.Item name="version" label={t('run.version')}>
              <Select allowClear placeholder={t('framework.latest')} options={(versions.data?.items ?? []).map((x) => ({ value: x.version, label: `v${x.version}${x.label ? ` · ${x.label}` : ''}` }))} data-testid="run-version" />
            </Form.Item>
          </Col>
          <Col xs={24} md={10}>
            <Form.Item name="dataset_id" label={t('run.dataset')} rules={[{ required: true, message: t('run.dataset') }]} extra={frameworkId && datasets.data && !datasets.data.items.length ? t('run.noDatasets') : undefined}>
              <Select options={(datasets.data?.items ?? []).map((d) => ({ value: d.id, label: `${d.name}（${d.units}）` }))} disabled={!frameworkId || !!running} data-testid="run-dataset" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="label" label={t('run.label')}>
          <Input maxLength={300} data-testid="run-label" />
        </Form.Item>
        <Card
          size="small"
          title={t('run.methods')}
          extra={
            dataset?.group_columns.includes('EurAsia_group') ? (
              <Button size="small" icon={<ExperimentOutlined />} onClick={coinr} data-testid="run-coinr">
                {t('run.coinr')}
              </Button>
            ) : null
          }
          style={{ marginBottom: 16 }}
        >
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item name="normalise" label={t('run.normalise')}>
                <Select allowClear placeholder={def} options={opts('normaliseOpt', NORMALISE)} data-testid="run-normalise" />
              </Form.Item>
              {normalise === 'minmax' ? (
                <Form.Item label={t('run.range')}>
                  <Space.Compact>
                    <Form.Item name="range_lo" noStyle>
                      <InputNumber placeholder="0" style={{ width: 90 }} />
                    </Form.Item>
                    <Form.Item name="range_hi" noStyle>
                      <InputNumber placeholder="1" style={{ width: 90 }} />
                    </Form.Item>
                  </Space.Compact>
                </Form.Item>
              ) : null}
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="weights" label={t('run.weights')}>
                <Select allowClear placeholder={def} options={opts('weightsOpt', WEIGHTS)} data-testid="run-weights" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="aggregate" label={t('run.aggregate')}>
                <Select allowClear placeholder={def} options={opts('aggregateOpt', AGGREGATE)} data-testid="run-aggregate" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="impute" label={t('run.impute')}>
                <Select allowClear placeholder={def} options={opts('imputeOpt', IMPUTE)} data-testid="run-impute" />
              </Form.Item>
              {impute === 'groupMean' || impute === 'groupMedian' ? (
                <Form.Item name="impute_group" label={t('run.imputeGroup')} rules={[{ required: true, message: t('run.imputeGroup') }]}>
                  <Select options={(dataset?.group_columns ?? []).map((g) => ({ value: g, label: g }))} />
                </Form.Item>
              ) : null}
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="screen" label={t('run.screen')}>
                <InputNumber min={0} max={1} step={0.05} placeholder={def} style={{ width: '100%' }} data-testid="run-screen" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="treat" label={t('run.treat')}>
                <Select allowClear placeholder={def} options={opts('treatOpt', ['none', 'winsorise'])} data-testid="run-treat" />
              </Form.Item>
              {treat === 'winsorise' ? (
                <Form.Item name="winmax" label={t('run.winmax')}>
                  <InputNumber min={1} max={1000} precision={0} style={{ width: '100%' }} />
                </Form.Item>
              ) : null}
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="denominate" label={t('run.denominate')}>
                <Select
                  allowClear
                  placeholder={def}
                  options={[
                    { value: 'yes', label: t('common.yes') },
                    { value: 'no', label: t('common.no') },
                  ]}
                />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card size="small" title={t('run.uncertainty')} style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item name="uncertainty" label={t('run.replications')}>
                <InputNumber min={0} max={100000} step={100} precision={0} style={{ width: '100%' }} data-testid="run-replications" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="perturb" label={t('run.perturb')}>
                <InputNumber min={0} max={0.99} step={0.05} placeholder="0.25" disabled={!replications} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="seed" label={t('run.seed')} extra={t('run.seedHelp')}>
                <InputNumber min={0} max={2147483647} precision={0} style={{ width: '100%' }} data-testid="run-seed" />
              </Form.Item>
            </Col>
          </Row>
        </Card>
      </Form>
      {error ? <ErrorAlert error={error} /> : null}
      {running ? (
        <div data-testid="run-progress" style={{ margin: '12px 0' }}>
          <Progress percent={100} status="active" showInfo={false} />
          <Typography.Text type="secondary">
            {running.n ? t('run.runningMc', { n: running.n, s: elapsed.toFixed(1) }) : t('run.running', { s: elapsed.toFixed(1) })}
          </Typography.Text>
        </div>
      ) : null}
      <Button type="primary" size="large" icon={<PlayCircleOutlined />} onClick={run} loading={!!running} disabled={!canWrite} data-testid="run-submit" style={{ marginTop: 8 }}>
        {t('run.run')}
      </Button>
    </div>
  );
}

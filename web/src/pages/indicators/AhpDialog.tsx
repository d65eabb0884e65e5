/**
 * AHP weighting of a node's children: the pairwise comparison matrix on Saaty's 1–9 scale (the
 * person fills the upper triangle; the lower one is reciprocal), with the eigenvector weights
 * and the consistency ratio computed by POST /api/indicators/ahp as the matrix changes. CR at or
 * above the threshold is explained in words and the weights are only used when the person
 * overrides it explicitly.
 */
import { UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, Col, Descriptions, Modal, Progress, Row, Select, Space, Spin, Table, Tooltip, Typography, Upload } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { api, upload } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorView.tsx';
import { BASE, fmt, nodeName, pct } from './data.ts';
import { useI } from './shared.tsx';
import type { AhpReply, FNode } from './types.ts';

/** Saaty's scale from "row extremely more important" to "row extremely less important". */
export const SAATY = ['9', '8', '7', '6', '5', '4', '3', '2', '1', '1/2', '1/3', '1/4', '1/5', '1/6', '1/7', '1/8', '1/9'] as const;
export type Saaty = (typeof SAATY)[number];

export const saatyValue = (s: string): number => (s.startsWith('1/') ? 1 / Number(s.slice(2)) : Number(s));
const reciprocal = (s: Saaty): string => (s === '1' ? '1' : s.startsWith('1/') ? s.slice(2) : `1/${s}`);

/** The scale value nearest (in log terms) to a ratio of two weights. */
export function nearestSaaty(ratio: number): Saaty {
  if (!(ratio > 0) || !Number.isFinite(ratio)) return '1';
  let best: Saaty = '1';
  let d = Infinity;
  for (const s of SAATY) {
    const x = Math.abs(Math.log(saatyValue(s)) - Math.log(ratio));
    if (x < d) {
      d = x;
      best = s;
    }
  }
  return best;
}

interface Props {
  parent: FNode;
  children: FNode[];
  onUse: (weights: Record<string, number>) => void;
  onClose: () => void;
}

export function AhpDialog({ parent, children, onUse, onClose }: Props) {
  const { t, lang } = useI();
  const n = children.length;
  const codes = children.map((c) => c.code);
  // Start from the current weights, snapped to the scale (equal weights give a matrix of ones).
  const [m, setM] = useState<Saaty[][]>(() => children.map((a) => children.map((b) => nearestSaaty(a.weight > 0 && b.weight > 0 ? a.weight / b.weight : 1))));
  const [result, setResult] = useState<AhpReply | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [override, setOverride] = useState(false);
  const seq = useRef(0);

  // The request as text: the effect runs when the judgements change, not on every render.
  const request = useMemo(() => {
    const comparisons: { a: string; b: string; value: number }[] = [];
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) comparisons.push({ a: codes[i], b: codes[j], value: saatyValue(m[i][j]) });
    return JSON.stringify({ codes, parent: parent.code, comparisons });
  }, [m, n, codes, parent.code]);

  useEffect(() => {
    const my = ++seq.current;
    setBusy(true);
    const timer = setTimeout(async () => {
      try {
        const r = await api.post<AhpReply>(`${BASE}/ahp`, JSON.parse(request));
        if (my === seq.current) {
          setResult(r);
          setError(null);
        }
      } catch (e) {
        if (my === seq.current) {
          setError(e);
          setResult(null);
        }
      } finally {
        if (my === seq.current) setBusy(false);
      }
    }, 150);
    return () => clearTimeout(timer);
  }, [request]);

  const [loaded, setLoaded] = useState<string | null>(null);
  const [tableError, setTableError] = useState<unknown>(null);
  const [tableProblem, setTableProblem] = useState<string | null>(null);

  /** Fills the matrix from an evaluator's table of judgements (CSV or Excel), read by the server. */
  const loadTable = async (file: File) => {
    setTableError(null);
    setTableProblem(null);
    setLoaded(null);
    try {
      const reply = await upload<{ matrices: { parent: string; codes: string[]; matrix: number[][] }[] }>(`${BASE}/ahp/table`, file);
      const found = reply.matrices.find((x) => x.parent === parent.code);
      if (!found) {
        setTableProblem(t('ahp.tableNoMatrix', { file: file.name, name: nodeName(parent, lang), code: parent.code, found: reply.matrices.map((x) => x.parent).join(lang === 'en' ? ', ' : '、') }));
        return;
      }
      const at = codes.map((c) => found.codes.indexOf(c));
      if (found.codes.length !== codes.length || at.some((k) => k < 0)) {
        setTableProblem(t('ahp.tableCodes', { got: found.codes.join(', '), name: nodeName(parent, lang), want: codes.join(', ') }));
        return;
      }
      setOverride(false);
      setM(codes.map((_, i) => codes.map((_, j) => nearestSaaty(found.matrix[at[i]][at[j]]))));
      setLoaded(t('ahp.tableLoaded', { file: file.name, name: nodeName(parent, lang) }));
    } catch (e) {
      setTableError(e);
    }
  };

  const set = (i: number, j: number, v: Saaty) => {
    setOverride(false);
    setM((old) => old.map((row, r) => row.map((x, c) => (r === i && c === j ? v : r === j && c === i ? (reciprocal(v) as Saaty) : x))));
  };

  const currentSum = children.reduce((s, c) => s + c.weight, 0);
  const consistent = result?.consistent ?? false;
  const canUse = !!result && !busy && (consistent || override);
  const crText = result ? result.cr.toFixed(3) : '';

  const matrixColumns = [
    {
      key: 'row',
      title: <span style={{ color: '#888', fontWeight: 400 }}>{t('ahp.rowVsCol')}</span>,
      fixed: 'left' as const,
      width: 160,
      render: (_: unknown, r: { i: number }) => <b>{nodeName(children[r.i], lang)}</b>,
    },
    ...children.map((c, j) => ({
      key: c.code,
      title: <span title={c.code}>{nodeName(c, lang)}</span>,
      width: 132,
      render: (_: unknown, r: { i: number }) => {
        const i = r.i;
        if (i === j) return <span style={{ color: '#999' }}>1</span>;
        if (i > j) return <span style={{ color: '#999' }} data-testid={`ahp-cell-${i}-${j}`}>{m[i][j]}</span>;
        return (
          <Select<Saaty>
            size="small"
            value={m[i][j]}
            onChange={(v) => set(i, j, v)}
            style={{ width: 120 }}
            popupMatchSelectWidth={false}
            // All 17 scale values at once: no scrolling through a virtual list to reach 1/9.
            virtual={false}
            listHeight={560}
            options={SAATY.map((s) => ({ value: s, label: t(`ahp.scale.${s}`) }))}
            data-testid={`ahp-cell-${i}-${j}`}
            aria-label={`${nodeName(children[i], lang)} / ${nodeName(c, lang)}`}
          />
        );
      },
    })),
  ];

  return (
    <Modal
      open
      width={Math.min(1200, 420 + n * 140)}
      title={t('ahp.title', { name: nodeName(parent, lang) })}
      onCancel={onClose}
      okText={t('ahp.use')}
      cancelText={t('common:action.cancel')}
      okButtonProps={{ disabled: !canUse, 'data-testid': 'ahp-use' }}
      onOk={() => {
        if (!result) return;
        // Six significant digits keep the weights readable; the engine renormalises them anyway.
        onUse(Object.fromEntries(Object.entries(result.weights).map(([k, w]) => [k, Number(w.toPrecision(6))])));
      }}
      destroyOnHidden
    >
      <div data-testid="ahp-dialog">
        <Alert type="info" showIcon title={t('ahp.help')} style={{ marginBottom: 12 }} />
        <Space style={{ marginBottom: 12 }} wrap>
          <Upload accept=".csv,.xlsx,.xls,.txt" showUploadList={false} beforeUpload={(file) => (void loadTable(file), false)}>
            <Tooltip title={t('ahp.fromTableHelp')}>
              <Button icon={<UploadOutlined />} data-testid="ahp-from-table">
                {t('ahp.fromTable')}
              </Button>
            </Tooltip>
          </Upload>
          {loaded ? <Typography.Text type="success" data-testid="ahp-table-loaded">{loaded}</Typography.Text> : null}
        </Space>
        {tableError ? (
          <div style={{ marginBottom: 12 }}>
            <ErrorAlert error={tableError} />
          </div>
        ) : null}
        {tableProblem ? <Alert type="error" showIcon title={tableProblem} style={{ marginBottom: 12 }} data-testid="ahp-table-problem" /> : null}
        <Table
          size="small"
          bordered
          pagination={false}
          rowKey="i"
          dataSource={children.map((_, i) => ({ i }))}
          columns={matrixColumns}
          scroll={{ x: 'max-content' }}
          data-testid="ahp-matrix"
        />
        <Row gutter={16} style={{ marginTop: 16 }}>
          <Col xs={24} md={14}>
            <Typography.Title level={5}>{t('ahp.weights')}</Typography.Title>
            <Table
              size="small"
              pagination={false}
              rowKey="code"
              dataSource={children}
              data-testid="ahp-weights"
              columns={[
                { key: 'name', title: t('f.name'), render: (_: unknown, c: FNode) => nodeName(c, lang) },
                { key: 'cur', title: t('ahp.current'), align: 'right', render: (_: unknown, c: FNode) => pct(currentSum > 0 ? c.weight / currentSum : null, lang) },
                {
                  key: 'ahp',
                  title: t('ahp.weights'),
                  width: 200,
                  render: (_: unknown, c: FNode) =>
                    result ? (
                      <span data-testid={`ahp-weight-${c.code}`} data-value={result.weights[c.code]}>
                        <Progress percent={Number((result.weights[c.code] * 100).toFixed(1))} size="small" format={(p) => `${p}%`} />
                      </span>
                    ) : (
                      '—'
                    ),
                },
              ]}
            />
          </Col>
          <Col xs={24} md={10}>
            <Typography.Title level={5}>
              {t('ahp.cr')} {busy ? <Spin size="small" /> : null}
            </Typography.Title>
            {result ? (
              <Descriptions
                size="small"
                column={1}
                bordered
                items={[
                  { key: 'l', label: t('ahp.lambda'), children: fmt(result.lambda_max, lang, 4) },
                  { key: 'ci', label: t('ahp.ci'), children: fmt(result.ci, lang, 4) },
                  { key: 'ri', label: t('ahp.ri'), children: fmt(result.ri, lang, 2) },
                  {
                    key: 'cr',
                    label: t('ahp.cr'),
                    children: (
                      <b data-testid="ahp-cr" data-value={result.cr} style={{ color: consistent ? '#389e0d' : '#d4380d' }}>
                        {crText}
                      </b>
                    ),
                  },
                ]}
              />
            ) : null}
            {result ? (
              <Alert
                style={{ marginTop: 8 }}
                type={consistent ? 'success' : 'warning'}
                showIcon
                data-testid="ahp-cr-status"
                data-consistent={consistent ? 'true' : 'false'}
                title={n <= 2 ? t('ahp.twoAlways') : consistent ? t('ahp.consistent', { cr: crText, threshold: result.threshold }) : t('ahp.inconsistent', { cr: crText, threshold: result.threshold })}
              />
            ) : null}
            {result && !consistent ? (
              <Checkbox checked={override} onChange={(e) => setOverride(e.target.checked)} style={{ marginTop: 8 }} data-testid="ahp-override">
                {t('ahp.override')}
              </Checkbox>
            ) : null}
            {error ? <ErrorAlert error={error} /> : null}
          </Col>
        </Row>
      </div>
    </Modal>
  );
}

/**
 * One action plan as of a date (in the address, default today): its facts, the quarterly
 * report to download, the status board's counts, and four tabs — targets (the plan tree and a
 * card per target), the task board by responsible unit, progress reports with their review,
 * and supervision. Every tab is an address of its own (/plans/:id/status|tasks|reports|supervision),
 * which the notifications link to.
 */
import { FileExcelOutlined, FilePdfOutlined } from '@ant-design/icons';
import { Button, Card, Col, Descriptions, Input, Row, Space, Tabs, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { qs } from '../../api.ts';
import { hasRole, useUser } from '../../auth.tsx';
import { ErrorAlert, ErrorPage } from '../../components/ErrorView.tsx';
import { Loading } from '../../components/PageState.tsx';
import { useLang } from '../../i18n.ts';
import { fetchDownload, todayIso, useAsOf, useBoard, useMethod, usePlanTree } from './data.ts';
import { NS } from './messages.ts';
import { PlanTreeView } from './PlanTreeView.tsx';
import { REVIEWERS, ReportsTable } from './Reports.tsx';
import { STATUS_COLOR, pct } from './status.tsx';
import { SupervisionPanel } from './SupervisionPanel.tsx';
import { TargetCards } from './TargetCards.tsx';
import { TaskBoard } from './TaskBoard.tsx';
import { PROGRESS_STATUSES, type Board } from './types.ts';
import { DateInput } from '../../components/DateInput.tsx';

const TABS = ['status', 'tasks', 'reports', 'supervision'] as const;
/** Roles the quarterly report is for (the server checks again). */
const EXPORTERS = ['admin', 'bureau', 'district', 'evaluator'] as const;
type Tab = (typeof TABS)[number];

export default function PlanPage() {
  const { id, tab } = useParams();
  const planId = Number(id);
  if (!Number.isInteger(planId) || planId <= 0) return <ErrorPage error={{ status: 404 }} />;
  return <PlanOf key={planId} planId={planId} tab={(TABS as readonly string[]).includes(tab ?? '') ? (tab as Tab) : tab ? null : 'status'} />;
}

function PlanOf({ planId, tab }: { planId: number; tab: Tab | null }) {
  const { t } = useLang(NS);
  const user = useUser();
  const navigate = useNavigate();
  const location = useLocation();
  const [asOf, setAsOf] = useAsOf();
  const tree = usePlanTree(planId);
  const board = useBoard(planId, asOf);
  const [highlight, setHighlight] = useState<number | null>(null);
  const [exporting, setExporting] = useState<'xlsx' | 'pdf' | null>(null);
  const [exportError, setExportError] = useState<unknown>(null);
  if (tab === null) return <ErrorPage error={{ status: 404 }} />;
  if (tree.isLoading) return <Loading />;
  if (tree.error) return <ErrorPage error={tree.error} retry={() => tree.refetch()} />;
  const plan = tree.data!;
  const search = location.search;
  const officer = hasRole(user, REVIEWERS);

  const exportReport = async (format: 'xlsx' | 'pdf') => {
    setExporting(format);
    setExportError(null);
    try {
      await fetchDownload(`/api/reports/plan/${planId}${qs({ format, asOf })}`, `plan-${planId}-${asOf}.${format}`);
    } catch (e) {
      setExportError(e);
    } finally {
      setExporting(null);
    }
  };

  const selectTarget = (tid: number) => {
    setHighlight(tid);
    document.getElementById(`target-${tid}`)?.scrollIntoView({ behavior: 'smooth', block: 'center' });
  };

  return (
    <div>
      <div className="page-card" style={{ marginBottom: 16 }}>
        <h2 className="page-title" data-testid="plan-title">
          {plan.name}
        </h2>
        <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 12 }}>
          <Descriptions.Item label={t('plan.region')}>{plan.region?.name ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('plan.period')}>
            {plan.period_start ?? '…'} — {plan.period_end ?? '…'}
          </Descriptions.Item>
          <Descriptions.Item label={t('plan.owner')}>{plan.owner ?? '—'}</Descriptions.Item>
        </Descriptions>
        <div className="toolbar" style={{ marginBottom: 0 }}>
          <Space.Compact>
            <Space.Addon>{t('plan.asOf')}</Space.Addon>
            <DateInput value={asOf} onChange={(v) => v && setAsOf(v)} allowClear={false} style={{ width: 170 }} data-testid="as-of" />
            <Button onClick={() => setAsOf(null)} disabled={asOf === todayIso()}>
              {t('plan.today')}
            </Button>
          </Space.Compact>
          <span className="spacer" />
          {hasRole(user, EXPORTERS) ? (
            <>
              <Button icon={<FileExcelOutlined />} loading={exporting === 'xlsx'} disabled={exporting !== null} onClick={() => exportReport('xlsx')} data-testid="export-xlsx">
                {t('plan.exportXlsx')}
              </Button>
              <Button icon={<FilePdfOutlined />} loading={exporting === 'pdf'} disabled={exporting !== null} onClick={() => exportReport('pdf')} data-testid="export-pdf">
                {t('plan.exportPdf')}
              </Button>
            </>
          ) : null}
        </div>
        {exportError ? (
          <div style={{ marginTop: 12 }}>
            <ErrorAlert error={exportError} />
          </div>
        ) : null}
      </div>

      {board.error ? <ErrorPage error={board.error} retry={() => board.refetch()} /> : board.data ? <Summary board={board.data} /> : <Loading />}

      <div className="page-card" style={{ marginTop: 16 }}>
        <Tabs
          activeKey={tab}
          onChange={(k) => navigate(`/plans/${planId}/${k}${search}`)}
          data-testid="plan-tabs"
          items={TABS.map((k) => ({ key: k, label: <span data-testid={`tab-${k}`}>{t(`plan.tabs.${k}`)}</span> }))}
        />
        {tab === 'status' ? (
          board.data ? (
            <Row gutter={16}>
              <Col xs={24} xl={8}>
                <Typography.Title level={5}>{t('plan.tree')}</Typography.Title>
                <PlanTreeView tree={plan} board={board.data} search={search} onTarget={selectTarget} />
              </Col>
              <Col xs={24} xl={16}>
                <MethodNote planId={planId} />
                <TargetCards planId={planId} targets={board.data.targets} canEnter={officer} highlight={highlight} />
              </Col>
            </Row>
          ) : (
            <Loading />
          )
        ) : tab === 'tasks' ? (
          board.data ? <TaskBoard planId={planId} tasks={board.data.tasks} search={search} /> : <Loading />
        ) : tab === 'reports' ? (
          <ReportsTable planId={planId} search={search} />
        ) : (
          <SupervisionPanel planId={planId} asOf={asOf} search={search} />
        )}
      </div>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, fontSize: 12 }}>
        <Link to="/plans">← {t('title.list')}</Link>
      </Typography.Paragraph>
    </div>
  );
}

/** The status board's counts: targets by status, tasks by status and flag (as the API sums them). */
function Summary({ board }: { board: Board }) {
  const { t } = useLang(NS);
  const s = board.summary;
  const taskKeys = ['total', 'not_started', 'in_progress', 'completed', 'blocked', 'overdue', 'off_track', 'flagged', 'escalated'] as const;
  const taskLabel = (k: (typeof taskKeys)[number]) => (k === 'not_started' || k === 'in_progress' || k === 'completed' || k === 'blocked' ? t(`task.${k}`) : t(`counts.${k}`));
  const taskColor: Partial<Record<(typeof taskKeys)[number], string>> = { completed: '#237804', overdue: '#cf1322', off_track: '#d46b08', flagged: '#d46b08', escalated: '#cf1322', blocked: '#cf1322' };
  return (
    <Row gutter={16} data-testid="plan-summary" data-as-of={board.as_of}>
      <Col xs={24} xl={11}>
        <Card size="small" title={`${t('plan.targetsSummary')}（${board.as_of}）`} style={{ height: '100%' }}>
          <Space size="large" wrap>
            <Count label={t('counts.total')} value={s.targets.total} testid="sum-target-total" />
            {PROGRESS_STATUSES.map((k) => (
              <Count key={k} label={t(`status.${k}`)} value={s.targets[k]} color={STATUS_COLOR[k]} testid={`sum-target-${k}`} />
            ))}
          </Space>
        </Card>
      </Col>
      <Col xs={24} xl={13}>
        <Card size="small" title={`${t('plan.tasksSummary')}（${board.as_of}）`} style={{ height: '100%' }}>
          <Space size="large" wrap>
            {taskKeys.map((k) => (
              <Count key={k} label={taskLabel(k)} value={s.tasks[k]} color={taskColor[k]} testid={`sum-task-${k}`} />
            ))}
          </Space>
        </Card>
      </Col>
    </Row>
  );
}

function Count({ label, value, color, testid }: { label: string; value: number; color?: string; testid: string }) {
  return (
    <div style={{ minWidth: 56 }}>
      <div style={{ color: '#888', fontSize: 12 }}>{label}</div>
      <div style={{ fontSize: 22, fontWeight: 600, color: value ? color : undefined }} data-testid={testid}>
        {value}
      </div>
    </div>
  );
}

/** The methods and thresholds the plan's statuses and forecasts are computed with. */
function MethodNote({ planId }: { planId: number }) {
  const { t, lang } = useLang(NS);
  const m = useMethod(planId);
  if (!m.data) return null;
  const r = m.data.progress.ratio_thresholds;
  const text = t('plan.methodNote', {
    progress: lang === 'en' ? m.data.progress.method_en : m.data.progress.method_zh,
    forecast: lang === 'en' ? m.data.forecast.method_en : m.data.forecast.method_zh,
    on: pct(r.on_track, 0),
    acc: pct(r.acceleration_needed, 0),
    lim: pct(r.limited, 0),
  });
  return (
    <Tooltip title={text}>
      <Typography.Paragraph type="secondary" ellipsis style={{ fontSize: 12 }} data-testid="method-note">
        {text}
      </Typography.Paragraph>
    </Tooltip>
  );
}


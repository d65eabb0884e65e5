/**
 * One task of a plan: what it is (action, responsible and supporting units, dates, the policy
 * text it comes from), its status as of the chosen date with the engine's explanation, its
 * milestones, its progress reports with their review, and — for a responsible unit's user or
 * an officer — the form to report progress.
 */
import { Card, Col, Descriptions, Progress, Row, Table, Tag, Typography } from 'antd';
import { Link, useLocation, useParams } from 'react-router-dom';
import { ErrorAlert, ErrorPage } from '../../components/ErrorView.tsx';
import { Loading } from '../../components/PageState.tsx';
import { useLang } from '../../i18n.ts';
import { useAsOf, useBoard, useMilestones, usePlanTree } from './data.ts';
import { NS } from './messages.ts';
import { ReportForm, ReportsTable } from './Reports.tsx';
import { EscalationTag, TaskStatusTag } from './status.tsx';
import type { Milestone, Task } from './types.ts';

export default function TaskDetail() {
  const { id, n } = useParams();
  const planId = Number(id);
  const { t, lang } = useLang(NS);
  const location = useLocation();
  const [asOf] = useAsOf();
  const tree = usePlanTree(planId);
  const board = useBoard(planId, asOf);
  const milestones = useMilestones(planId, n ?? '', asOf);
  if (!Number.isInteger(planId) || planId <= 0 || !n) return <ErrorPage error={{ status: 404 }} />;
  if (tree.isLoading) return <Loading />;
  if (tree.error) return <ErrorPage error={tree.error} retry={() => tree.refetch()} />;
  const plan = tree.data!;
  const action = plan.actions.find((a) => a.tasks.some((x) => x.number === n));
  const task: Task | undefined = action?.tasks.find((x) => x.number === n) ?? plan.tasks.find((x) => x.number === n);
  if (!task) return <ErrorPage error={{ status: 404 }} />;
  const b = board.data?.tasks.find((x) => x.id === n);
  const search = location.search;

  return (
    <div>
      <div className="page-card" style={{ marginBottom: 16 }}>
        <Typography.Text type="secondary">
          <Link to={`/plans/${planId}${search}`}>{plan.name}</Link> / <Link to={`/plans/${planId}/tasks${search}`}>{t('plan.tabs.tasks')}</Link>
        </Typography.Text>
        <h2 className="page-title" style={{ marginTop: 8 }} data-testid="task-title">
          {t('title.task')} {task.number}：{task.title}
        </h2>
        <Row gutter={16}>
          <Col xs={24} lg={14}>
            <Descriptions size="small" column={1} bordered>
              <Descriptions.Item label={t('detail.action')}>{action ? `${action.number}. ${action.title}` : '—'}</Descriptions.Item>
              <Descriptions.Item label={t('detail.responsible')}>
                <span data-testid="task-responsible">{task.responsible_units.length ? task.responsible_units.map((u) => <Tag key={u}>{u}</Tag>) : '—'}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('detail.supporting')}>{task.supporting_units.length ? task.supporting_units.map((u) => <Tag key={u}>{u}</Tag>) : '—'}</Descriptions.Item>
              <Descriptions.Item label={t('detail.start')}>{task.start_date ?? b?.start ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('detail.due')}>{task.due_date ?? b?.due ?? '—'}</Descriptions.Item>
              {task.policy_text ? (
                <Descriptions.Item label={t('detail.policy')}>
                  <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }} ellipsis={{ rows: 4, expandable: true, symbol: lang === 'en' ? 'more' : '展开' }}>
                    {task.policy_text}
                  </Typography.Paragraph>
                </Descriptions.Item>
              ) : null}
            </Descriptions>
          </Col>
          <Col xs={24} lg={10}>
            <Card size="small" title={t('detail.status', { date: asOf })} data-testid="task-state">
              {board.error ? (
                <ErrorPage error={board.error} />
              ) : !b ? (
                <Loading />
              ) : (
                <>
                  <div style={{ marginBottom: 8 }}>
                    <TaskStatusTag status={b.status} />
                    {b.overdue ? <Tag color="red">{t('board.overdue', { days: b.days_overdue })}</Tag> : null}
                    <EscalationTag level={b.escalation} />
                  </div>
                  <Progress percent={Math.round(b.percent)} status={b.overdue ? 'exception' : b.status === 'completed' ? 'success' : 'normal'} data-testid="task-percent" data-value={b.percent} />
                  {b.expected_percent !== null ? <div style={{ color: '#888', fontSize: 12 }}>{t('board.expected', { n: Math.round(b.expected_percent) })}</div> : null}
                  <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8 }}>
                    {lang === 'en' ? b.explanation_en : b.explanation_zh}
                  </Typography.Paragraph>
                </>
              )}
            </Card>
          </Col>
        </Row>
      </div>

      {milestones.data && milestones.data.items.length > 0 ? (
        <div className="page-card" style={{ marginBottom: 16 }}>
          <Typography.Title level={5}>{t('detail.milestones')}</Typography.Title>
          <Table<Milestone>
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={milestones.data.items}
            data-testid="milestones"
            columns={[
              { title: t('detail.milestoneTitle'), dataIndex: 'title' },
              { title: t('detail.milestoneDue'), dataIndex: 'due_date' },
              { title: t('detail.milestoneDone'), dataIndex: 'done_on', render: (v: string | null) => v ?? '—' },
              {
                title: t('board.status'),
                key: 'state',
                render: (_, m) => (
                  <Tag color={m.state === 'overdue' ? 'red' : m.state === 'done' ? 'green' : m.state === 'done_late' ? 'orange' : 'blue'}>
                    {t(`detail.milestoneState.${m.state}`)}
                    {m.days_overdue ? ` ${m.days_overdue}` : ''}
                  </Tag>
                ),
              },
            ]}
          />
        </div>
      ) : milestones.error ? (
        <div style={{ marginBottom: 16 }}>
          <ErrorAlert error={milestones.error} />
        </div>
      ) : null}

      <div className="page-card" style={{ marginBottom: 16 }}>
        <Typography.Title level={5}>{t('detail.reports')}</Typography.Title>
        <ReportsTable planId={planId} task={task.number} search={search} />
      </div>

      <div className="page-card">
        <Typography.Title level={5}>{t('detail.submit')}</Typography.Title>
        <ReportForm planId={planId} task={task.number} units={task.responsible_units} />
      </div>
    </div>
  );
}

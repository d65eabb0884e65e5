/**
 * Supervision (督办) of a plan as of a date: the flagged and escalated tasks per responsible
 * unit with what triggered them, the targets in deterioration or limited progress or past
 * their deadline, the open supervision cases per unit, and — for officers — running the
 * supervision, which records the cases and notifies the units.
 */
import { AlertOutlined, SendOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Empty, List, Row, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api.ts';
import { hasRole, useUser } from '../../auth.tsx';
import { ErrorAlert, ErrorPage } from '../../components/ErrorView.tsx';
import { Loading } from '../../components/PageState.tsx';
import { useLang } from '../../i18n.ts';
import { useCases, useRefreshPlan, useSupervision } from './data.ts';
import { NS } from './messages.ts';
import { REVIEWERS } from './Reports.tsx';
import { EscalationTag, fmt, pct, StatusTag, TaskStatusTag } from './status.tsx';
import type { SuperviseResult } from './types.ts';

export function SupervisionPanel({ planId, asOf, search }: { planId: number; asOf: string; search: string }) {
  const { t, lang } = useLang(NS);
  const user = useUser();
  const sup = useSupervision(planId, asOf);
  const cases = useCases(planId);
  const refresh = useRefreshPlan();
  const [running, setRunning] = useState(false);
  const [run, setRun] = useState<SuperviseResult | null>(null);
  const [runError, setRunError] = useState<unknown>(null);
  const officer = hasRole(user, REVIEWERS);

  const runNow = async () => {
    setRunning(true);
    setRunError(null);
    try {
      const r = await api.post<SuperviseResult>(`/api/plans/${planId}/supervise?asOf=${asOf}`);
      setRun(r);
      await refresh(planId);
    } catch (e) {
      setRunError(e);
    } finally {
      setRunning(false);
    }
  };

  if (sup.isLoading) return <Loading />;
  if (sup.error) return <ErrorPage error={sup.error} retry={() => sup.refetch()} />;
  const d = sup.data!;
  const caseCount = new Map((cases.data?.units ?? []).map((u) => [u.unit ?? '', u]));
  const taskLink = (id: string) => `/plans/${planId}/tasks/${encodeURIComponent(id)}${search}`;

  return (
    <div data-testid="supervision">
      <div className="toolbar">
        <Typography.Text type="secondary" data-testid="supervision-last-run">
          {cases.data?.last_run ? t('supervision.lastRun', { date: cases.data.last_run }) : t('supervision.never')}
        </Typography.Text>
        <span className="spacer" />
        {officer ? (
          <Button icon={<SendOutlined />} loading={running} onClick={runNow} data-testid="supervise-run">
            {t('supervision.run')}
          </Button>
        ) : null}
      </div>
      {runError ? <ErrorAlert error={runError} /> : null}
      {run ? <Alert type="success" showIcon closable onClose={() => setRun(null)} style={{ marginBottom: 12 }} data-testid="supervise-done" title={t('supervision.runDone', { ...run })} /> : null}

      <Typography.Title level={5}>
        <AlertOutlined /> {t('supervision.units')}
      </Typography.Title>
      {d.units.length === 0 ? (
        <Empty description={t('supervision.none')} data-testid="supervision-empty" />
      ) : (
        <Row gutter={[12, 12]}>
          {d.units.map((u) => {
            const unit = u.unit ?? t('board.unassigned');
            const c = caseCount.get(u.unit ?? '');
            const escalated = u.tasks.filter((x) => x.escalation >= 2).length;
            return (
              <Col key={unit} xs={24} lg={12} xxl={8}>
                <Card
                  size="small"
                  data-testid="supervision-unit"
                  data-unit={unit}
                  title={unit}
                  extra={
                    <Space size={4}>
                      <Tag color="orange" data-testid="unit-flagged">{u.tasks.length}</Tag>
                      {escalated ? <Tag color="volcano" data-testid="unit-escalated">{t('escalation.2')} {escalated}</Tag> : null}
                      {c ? (
                        <Tooltip title={`${t('supervision.cases')}：${t('supervision.open')} ${c.open}，${t('supervision.escalatedCount')} ${c.escalated}`}>
                          <Tag>{t('supervision.open')} {c.open}</Tag>
                        </Tooltip>
                      ) : null}
                    </Space>
                  }
                >
                  <List
                    size="small"
                    dataSource={u.tasks}
                    renderItem={(x) => (
                      <List.Item data-testid={`supervision-task-${x.id}`} data-level={x.escalation}>
                        <div style={{ width: '100%' }}>
                          <Link to={taskLink(x.id)}>
                            {x.id}. {x.title}
                          </Link>
                          <div style={{ marginTop: 4 }}>
                            <EscalationTag level={x.escalation} />
                            <TaskStatusTag status={x.status} />
                            {x.overdue ? <Tag color="red">{t('board.overdue', { days: x.days_overdue })}</Tag> : null}
                            <span style={{ color: '#888', fontSize: 12 }}>
                              {t('board.due')}：{x.due ?? t('board.noDue')} · {t('board.percent', { n: Math.round(x.percent) })}
                            </span>
                          </div>
                          {x.triggers.map((g) => (
                            <div key={g.kind + g.since} style={{ fontSize: 12, color: '#8c8c8c' }}>
                              <Tag bordered={false} color="volcano">
                                {t(`trigger.${g.kind}`, { defaultValue: g.kind })}
                              </Tag>
                              {t('supervision.since', { date: g.since, days: g.days })} — {lang === 'en' ? g.detail_en : g.detail_zh}
                            </div>
                          ))}
                        </div>
                      </List.Item>
                    )}
                  />
                </Card>
              </Col>
            );
          })}
        </Row>
      )}

      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {t('supervision.targets')}
      </Typography.Title>
      <Table
        size="small"
        rowKey="id"
        dataSource={d.targets}
        pagination={false}
        data-testid="supervision-targets"
        locale={{ emptyText: t('supervision.noTargets') }}
        columns={[
          { title: t('supervision.indicator'), dataIndex: 'indicator' },
          { title: t('supervision.progress'), key: 'status', render: (_, x) => <StatusTag status={x.status} /> },
          { title: t('card.latest'), key: 'latest', align: 'right', render: (_, x) => `${fmt(x.latest)} ${x.unit}` },
          { title: t('card.target'), key: 'target', align: 'right', render: (_, x) => `${fmt(x.target)} ${x.unit}（${x.target_year ?? '—'}）` },
          { title: t('card.ratio'), key: 'ratio', align: 'right', render: (_, x) => pct(x.ratio) },
          { title: t('detail.explanation'), key: 'why', render: (_, x) => <span style={{ fontSize: 12 }}>{lang === 'en' ? x.explanation_en : x.explanation_zh}</span> },
        ]}
      />
    </div>
  );
}

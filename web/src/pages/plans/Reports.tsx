/**
 * Progress reports: the table of a plan's (or one task's) reports with their review state,
 * the plan owner's review (accept, or return with a comment), and the form a responsible
 * unit reports progress with (status, percent, narrative, evidence).
 */
import { CheckOutlined, DownloadOutlined, RollbackOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, InputNumber, Modal, Radio, Select, Space, Table, Typography, message } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '../../api.ts';
import { hasRole, useUser } from '../../auth.tsx';
import { ErrorAlert, ErrorPage } from '../../components/ErrorView.tsx';
import { EmptyState } from '../../components/PageState.tsx';
import { useLang } from '../../i18n.ts';
import { saveCsv, todayIso, useRefreshPlan, useReports } from './data.ts';
import { NS } from './messages.ts';
import { ReviewTag, TaskStatusTag } from './status.tsx';
import { useOwnUnit } from './TaskBoard.tsx';
import { TASK_STATUSES, type Report, type ReviewStatus, type TaskStatus } from './types.ts';
import { DateInput } from '../../components/DateInput.tsx';

export const REVIEWERS = ['admin', 'bureau', 'district'] as const;

/** Accept or return a submitted report, with a comment (required to return). */
export function ReviewButtons({ planId, report }: { planId: number; report: Report }) {
  const { t } = useLang([NS, 'common']);
  const refresh = useRefreshPlan();
  const [decision, setDecision] = useState<'accept' | 'return' | null>(null);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const close = () => {
    setDecision(null);
    setComment('');
    setError(null);
  };
  const needsComment = decision === 'return' && !comment.trim();
  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.post<Report>(`/api/plans/${planId}/reports/${report.id}/review`, { decision, comment: comment.trim() || undefined });
      await refresh(planId);
      void message.success(t('report.reviewed'));
      close();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Space size={4}>
        <Button size="small" type="primary" icon={<CheckOutlined />} onClick={() => setDecision('accept')} data-testid={`review-accept-${report.id}`}>
          {t('report.accept')}
        </Button>
        <Button size="small" danger icon={<RollbackOutlined />} onClick={() => setDecision('return')} data-testid={`review-return-${report.id}`}>
          {t('report.return')}
        </Button>
      </Space>
      <Modal
        open={decision !== null}
        title={decision === 'accept' ? t('report.acceptTitle', { id: report.id }) : t('report.returnTitle', { id: report.id })}
        onCancel={close}
        onOk={send}
        confirmLoading={busy}
        okText={decision === 'accept' ? t('report.accept') : t('report.return')}
        cancelText={t('common:action.cancel')}
        okButtonProps={{ danger: decision === 'return', disabled: needsComment, 'data-testid': 'review-confirm' }}
      >
        <Typography.Paragraph type="secondary">
          {report.unit} · {t('report.task')} {report.task} · {report.reported_on} · {report.percent ?? '—'}%
        </Typography.Paragraph>
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{report.narrative}</Typography.Paragraph>
        <Input.TextArea rows={3} maxLength={5000} placeholder={t('report.comment')} value={comment} onChange={(e) => setComment(e.target.value)} data-testid="review-comment" />
        {needsComment ? <div style={{ color: '#d4380d', fontSize: 12, marginTop: 4 }}>{t('report.commentRequired')}</div> : null}
        {error ? (
          <div style={{ marginTop: 8 }}>
            <ErrorAlert error={error} />
          </div>
        ) : null}
      </Modal>
    </>
  );
}

/** The reports of a plan, or of one task; reviewers accept or return the submitted ones. */
export function ReportsTable({ planId, task, search = '' }: { planId: number; task?: string; search?: string }) {
  const { t, lang } = useLang(NS);
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const review = (params.get('review') ?? '') as ReviewStatus | '';
  const reports = useReports(planId, { status: review || undefined, task });
  const canReview = hasRole(user, REVIEWERS);
  const setReview = (v: string) => {
    const next = new URLSearchParams(params);
    v ? next.set('review', v) : next.delete('review');
    setParams(next, { replace: true });
  };
  const rows = reports.data?.items ?? [];
  const exportCsv = () =>
    saveCsv(
      lang === 'en' ? 'progress-reports.csv' : '进展报告.csv',
      [t('report.task'), t('report.unit'), t('report.status'), t('report.percent'), t('report.narrative'), t('report.evidence'), t('report.reportedOn'), t('report.submittedBy'), t('report.review'), t('report.reviewer'), t('report.comment')],
      rows.map((r) => [r.task, r.unit, t(`task.${r.status}`), r.percent, r.narrative, r.evidence, r.reported_on, r.submitted_by, t(`review.${r.review_status}`), r.reviewer, r.reviewer_comment]),
    );
  return (
    <div data-testid="reports">
      <div className="toolbar">
        <Radio.Group value={review} onChange={(e) => setReview(e.target.value)} size="small" data-testid="review-filter">
          <Radio.Button value="">{t('report.all')}</Radio.Button>
          {(['submitted', 'accepted', 'returned'] as const).map((s) => (
            <Radio.Button key={s} value={s}>
              {t(`review.${s}`)}
            </Radio.Button>
          ))}
        </Radio.Group>
        <span className="spacer" />
        <Button size="small" icon={<DownloadOutlined />} onClick={exportCsv} disabled={!rows.length}>
          {t('board.export')}
        </Button>
      </div>
      {reports.error ? (
        <ErrorPage error={reports.error} retry={() => reports.refetch()} />
      ) : (
        <Table<Report>
          rowKey="id"
          size="small"
          loading={reports.isFetching}
          dataSource={rows}
          data-testid="reports-table"
          locale={{ emptyText: reports.isLoading ? ' ' : <EmptyState hint={t('detail.noReports')} /> }}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          onRow={(r) => ({ 'data-testid': `report-row-${r.id}` }) as React.HTMLAttributes<HTMLElement>}
          expandable={{ expandedRowRender: (r) => <div style={{ whiteSpace: 'pre-wrap' }}>{r.narrative || '—'}{r.evidence ? `\n${t('report.evidence')}：${r.evidence}` : ''}</div> }}
          columns={[
            { title: '#', dataIndex: 'id', width: 60, sorter: (a, b) => a.id - b.id },
            ...(task ? [] : [{ title: t('report.task'), key: 'task', sorter: (a: Report, b: Report) => a.task.localeCompare(b.task, undefined, { numeric: true }), render: (_: unknown, r: Report) => <Link to={`/plans/${planId}/tasks/${encodeURIComponent(r.task)}${search}`}>{r.task}</Link> }]),
            { title: t('report.unit'), dataIndex: 'unit' },
            { title: t('report.status'), key: 'status', render: (_, r) => <TaskStatusTag status={r.status} /> },
            { title: t('report.percent'), dataIndex: 'percent', align: 'right', render: (v: number | null) => (v === null ? '—' : `${v}%`) },
            { title: t('report.reportedOn'), dataIndex: 'reported_on', sorter: (a, b) => a.reported_on.localeCompare(b.reported_on) },
            { title: t('report.submittedBy'), dataIndex: 'submitted_by' },
            { title: t('report.review'), key: 'review', render: (_, r) => <ReviewTag status={r.review_status} /> },
            {
              title: t('report.comment'),
              key: 'comment',
              render: (_, r) => (r.reviewer ? <span>{r.reviewer_comment ?? '—'} <span style={{ color: '#999' }}>（{r.reviewer}）</span></span> : '—'),
            },
            ...(canReview
              ? [{ title: t('report.review'), key: 'actions', render: (_: unknown, r: Report) => (r.review_status === 'submitted' ? <ReviewButtons planId={planId} report={r} /> : null) }]
              : []),
          ]}
        />
      )}
    </div>
  );
}

interface ReportForm {
  unit: string;
  status: TaskStatus;
  percent?: number | null;
  narrative: string;
  evidence?: string;
  reported_on: string;
}

/** The form a responsible unit reports progress on a task with. */
export function ReportForm({ planId, task, units }: { planId: number; task: string; units: string[] }) {
  const { t } = useLang(NS);
  const user = useUser();
  const isOwn = useOwnUnit();
  // An organisation reports as itself; an officer may report for any responsible unit.
  const choices = user.role === 'organization' ? units.filter(isOwn) : hasRole(user, REVIEWERS) ? units : [];
  if (!units.length) return <Alert type="info" showIcon title={t('detail.noUnits')} />;
  if (!choices.length) return <Alert type="info" showIcon title={t('detail.notResponsible')} data-testid="not-responsible" />;
  return <ReportFormFields planId={planId} task={task} choices={choices} />;
}

function ReportFormFields({ planId, task, choices }: { planId: number; task: string; choices: string[] }) {
  const { t } = useLang([NS, 'common']);
  const refresh = useRefreshPlan();
  const [form] = Form.useForm<ReportForm>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<Report | null>(null);

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<Report>(`/api/plans/${planId}/tasks/${encodeURIComponent(task)}/reports`, {
        unit: v.unit,
        status: v.status,
        percent: v.percent ?? undefined,
        narrative: v.narrative.trim(),
        evidence: v.evidence?.trim() || undefined,
        reported_on: v.reported_on,
      });
      setDone(r);
      form.resetFields(['narrative', 'evidence']);
      await refresh(planId);
      void message.success(t('report.submitted'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} layout="vertical" initialValues={{ unit: choices[0], status: 'in_progress', reported_on: todayIso() }} data-testid="report-form" style={{ maxWidth: 720 }}>
      <Space wrap align="start">
        <Form.Item name="unit" label={t('report.unit')} rules={[{ required: true }]}>
          <Select style={{ width: 260 }} options={choices.map((u) => ({ value: u, label: u }))} data-testid="report-unit" />
        </Form.Item>
        <Form.Item name="status" label={t('report.status')} rules={[{ required: true }]}>
          <Select style={{ width: 160 }} options={TASK_STATUSES.map((s) => ({ value: s, label: t(`task.${s}`) }))} data-testid="report-status" />
        </Form.Item>
        <Form.Item name="percent" label={t('report.percent')}>
          <InputNumber min={0} max={100} style={{ width: 120 }} data-testid="report-percent" />
        </Form.Item>
        <Form.Item name="reported_on" label={t('report.reportedOn')} rules={[{ required: true }, { pattern: /^\d{4}-\d{2}-\d{2}$/, message: 'YYYY-MM-DD' }]}>
          <DateInput max={todayIso()} style={{ width: 170 }} data-testid="report-date" />
        </Form.Item>
      </Space>
      <Form.Item name="narrative" label={t('report.narrative')} rules={[{ required: true, whitespace: true, message: t('report.narrativeRequired') }]}>
        <Input.TextArea rows={4} maxLength={20000} showCount data-testid="report-narrative" />
      </Form.Item>
      <Form.Item name="evidence" label={t('report.evidence')}>
        <Input maxLength={2000} data-testid="report-evidence" />
      </Form.Item>
      {error ? <ErrorAlert error={error} /> : null}
      {done ? <Alert type="success" showIcon title={`#${done.id} ${t('report.submitted')}`} data-testid="report-done" data-report={done.id} style={{ marginBottom: 8 }} /> : null}
      <Button type="primary" onClick={submit} loading={busy} data-testid="report-submit">
        {t('common:action.submit')}
      </Button>
    </Form>
  );
}

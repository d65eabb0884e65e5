/**
 * One demand or offer: its fields in Chinese and English side by side, its status with the
 * workflow history, the actions the person may take (submit, approve / return / reject with a
 * comment, renew, close, edit, delete a draft — the server decides, the buttons only follow
 * its rules), and its matches with their reasons; "express interest" on a match starts a
 * follow-up.
 */
import { EditOutlined, HeartOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Col, Descriptions, Form, Input, List, Modal, Popconfirm, Radio, Row, Select, Space, Tag, Timeline, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, ApiError } from '../../api.ts';
import { useUser } from '../../auth.tsx';
import { ErrorAlert, ErrorPage } from '../../components/ErrorView.tsx';
import { EmptyState, Loading } from '../../components/PageState.tsx';
import { DateInput } from '../../components/DateInput.tsx';
import {
  canPost,
  canWrite,
  fmtDate,
  fmtScore,
  isOfficer,
  KindTag,
  MatchTitle,
  profileTitle,
  ReasonList,
  StageTag,
  StatusTag,
  useLabels,
  useM,
  type Followup,
  type MatchKindFlag,
  type MatchResult,
  type Profile,
  type ProfileEvent,
} from './shared.tsx';

type Dialog = 'review' | 'renew' | 'close' | null;

export default function ProfilePage() {
  const { id } = useParams();
  const pid = Number(id);
  const profile = useQuery({ queryKey: ['market', 'profile', pid], queryFn: () => api.get<Profile>(`/api/market/profiles/${pid}`), enabled: Number.isInteger(pid) && pid > 0 });
  if (!Number.isInteger(pid) || pid <= 0) return <ErrorPage error={{ status: 404 }} />;
  if (profile.isLoading) return <Loading />;
  if (profile.error) return <ErrorPage error={profile.error} retry={() => profile.refetch()} />;
  return <ProfileView p={profile.data!} />;
}

function ProfileView({ p }: { p: Profile }) {
  const { t, lang } = useM();
  const user = useUser();
  const labels = useLabels();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const writer = canWrite(user, p);
  const officer = isOfficer(user);
  const refresh = () => void qc.invalidateQueries({ queryKey: ['market'] });

  const act = useMutation({
    mutationFn: ({ path, body }: { path: string; body?: unknown }) => api.post<Profile>(`/api/market/profiles/${p.id}/${path}`, body ?? {}),
    onSuccess: (_r, v) => {
      setActionError(null);
      void message.success(v.path === 'submit' ? t('profile.submitted') : t('profile.done'));
      refresh();
    },
    onError: setActionError,
  });
  const remove = useMutation({
    mutationFn: () => api.del(`/api/market/profiles/${p.id}`),
    onSuccess: () => {
      void message.success(t('profile.deleted'));
      refresh();
      navigate(p.kind === 'offer' ? '/market/offers' : '/market/demands');
    },
    onError: setActionError,
  });
  // An organisation other than the owner takes a published profile up directly (EEN expression of interest).
  const interest = useMutation({
    mutationFn: () => api.post<Followup>('/api/market/followups', { target_kind: p.kind, target_id: p.id }),
    onSuccess: () => {
      setActionError(null);
      void message.success(t('profile.interestDone'));
      refresh();
    },
    onError: setActionError,
  });

  const editable = writer && (officer ? ['draft', 'submitted', 'returned', 'published'] : ['draft', 'returned']).includes(p.status);
  const actions: ReactNode[] = [];
  if (editable)
    actions.push(
      <Button key="edit" icon={<EditOutlined />} onClick={() => navigate(`/market/profiles/${p.id}/edit`)} data-testid="action-edit">
        {t('common:action.edit')}
      </Button>,
    );
  if (writer && (p.status === 'draft' || p.status === 'returned'))
    actions.push(
      <Popconfirm key="submit" title={t('profile.confirmSubmit')} onConfirm={() => act.mutate({ path: 'submit' })} okButtonProps={{ 'data-testid': 'confirm-submit' }}>
        <Button type="primary" loading={act.isPending} data-testid="action-submit">
          {t('profile.submit')}
        </Button>
      </Popconfirm>,
    );
  if (officer && p.status === 'submitted')
    actions.push(
      <Button key="review" type="primary" onClick={() => setDialog('review')} data-testid="action-review">
        {t('profile.review')}
      </Button>,
    );
  if (writer && (p.status === 'published' || p.status === 'expired'))
    actions.push(
      <Button key="renew" onClick={() => setDialog('renew')} data-testid="action-renew">
        {t('profile.renew')}
      </Button>,
    );
  if (writer && p.status !== 'closed')
    actions.push(
      <Button key="close" onClick={() => setDialog('close')} data-testid="action-close">
        {t('profile.close')}
      </Button>,
    );
  if (writer && (p.status === 'draft' || p.status === 'rejected'))
    actions.push(
      <Popconfirm key="delete" title={t('profile.confirmDelete')} onConfirm={() => remove.mutate()}>
        <Button danger loading={remove.isPending} data-testid="action-delete">
          {t('profile.delete')}
        </Button>
      </Popconfirm>,
    );
  if (!writer && canPost(user) && p.status === 'published')
    actions.push(
      <Button key="interest" type="primary" icon={<HeartOutlined />} loading={interest.isPending} onClick={() => interest.mutate()} data-testid="action-interest">
        {t('profile.interest')}
      </Button>,
    );

  const text = (v: string | null | undefined) => (v ? <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{v}</Typography.Paragraph> : <Typography.Text type="secondary">—</Typography.Text>);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <div className="page-card">
        <div style={{ display: 'flex', gap: 12, alignItems: 'flex-start', flexWrap: 'wrap' }}>
          <div style={{ flex: 1, minWidth: 320 }}>
            <Space size={4} wrap style={{ marginBottom: 6 }}>
              <KindTag kind={p.kind} />
              <StatusTag p={p} />
              <Typography.Text type="secondary">#{p.id}</Typography.Text>
            </Space>
            <h2 className="page-title" data-testid="profile-title" style={{ marginBottom: 4 }}>
              {profileTitle(p, lang)}
            </h2>
            {p.title_zh && p.title_en ? <Typography.Text type="secondary">{lang === 'en' ? p.title_zh : p.title_en}</Typography.Text> : null}
          </div>
          <Space wrap data-testid="profile-actions">
            {actions}
            <Link to={p.kind === 'offer' ? '/market/offers' : '/market/demands'}>{t('common:action.back')}</Link>
          </Space>
        </div>
        {actionError ? (
          <div style={{ marginTop: 12 }}>
            <ErrorAlert error={actionError} />
          </div>
        ) : null}
      </div>

      <Row gutter={16}>
        <Col xs={24} lg={14}>
          <Card title={t('profile.details')} size="small" style={{ marginBottom: 16 }}>
            <Descriptions column={1} size="small" bordered>
              <Descriptions.Item label={t('f.field')}>{labels.field(p.field) || '—'}</Descriptions.Item>
              <Descriptions.Item label={t('f.trl')}>{p.trl ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('f.ipr')}>{labels.ipr(p.ipr) || '—'}</Descriptions.Item>
              <Descriptions.Item label={t('f.cooperation')}>{p.cooperation.length ? p.cooperation.map((c) => <Tag key={c}>{labels.coop(c)}</Tag>) : '—'}</Descriptions.Item>
              <Descriptions.Item label={t('f.keywords')}>{p.keywords.length ? p.keywords.map((k) => <Tag key={k}>{k}</Tag>) : '—'}</Descriptions.Item>
              <Descriptions.Item label={t('f.org')}>{p.org ? <Link to={`/registries/organizations/${p.org.id}`}>{p.org.name}</Link> : '—'}</Descriptions.Item>
              <Descriptions.Item label={t('f.country')}>{p.country_iso3 ? <Link to={`/countries/${p.country_iso3}`}>{p.country_iso3}</Link> : '—'}</Descriptions.Item>
              <Descriptions.Item label={t('f.expires_on')}>{fmtDate(p.expires_on)}</Descriptions.Item>
              <Descriptions.Item label={t('f.published_at')}>{fmtDate(p.published_at, true)}</Descriptions.Item>
              <Descriptions.Item label={t('f.created_by')}>{p.created_by ?? '—'}</Descriptions.Item>
            </Descriptions>
          </Card>
          <Card title={t('profile.bilingual')} size="small">
            <Row gutter={16} data-testid="profile-bilingual">
              <Col span={12}>
                <Typography.Title level={5}>{t('profile.zh')}</Typography.Title>
                <Typography.Text type="secondary">{t('f.title_zh')}</Typography.Text>
                <div data-testid="title-zh">{text(p.title_zh)}</div>
                <Typography.Text type="secondary">{t('f.summary_zh')}</Typography.Text>
                {text(p.summary_zh)}
              </Col>
              <Col span={12}>
                <Typography.Title level={5}>{t('profile.en')}</Typography.Title>
                <Typography.Text type="secondary">{t('f.title_en')}</Typography.Text>
                <div data-testid="title-en">{text(p.title_en)}</div>
                <Typography.Text type="secondary">{t('f.summary_en')}</Typography.Text>
                {text(p.summary_en)}
              </Col>
            </Row>
            <Descriptions column={1} size="small" style={{ marginTop: 12 }}>
              <Descriptions.Item label={t('f.problem')}>{text(p.problem)}</Descriptions.Item>
              <Descriptions.Item label={t('f.advantages')}>{text(p.advantages)}</Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <StatusCard p={p} />
        </Col>
      </Row>

      <Matches p={p} canFollow={writer} />

      {dialog === 'review' ? <ReviewDialog p={p} onClose={() => setDialog(null)} onDone={refresh} /> : null}
      {dialog === 'renew' ? <RenewDialog p={p} onClose={() => setDialog(null)} onDone={refresh} /> : null}
      {dialog === 'close' ? <CloseDialog p={p} onClose={() => setDialog(null)} onDone={refresh} /> : null}
    </Space>
  );
}

function StatusCard({ p }: { p: Profile }) {
  const { t } = useM();
  const labels = useLabels();
  const history = useQuery({ queryKey: ['market', 'profile', p.id, 'history', p.updated_at], queryFn: () => api.get<{ items: ProfileEvent[] }>(`/api/market/profiles/${p.id}/history`) });
  const status = (s: string | null) => (s ? (labels.statusOptions.find((o) => o.value === s)?.label ?? s) : '—');
  return (
    <Card title={t('profile.status')} size="small">
      <Descriptions column={1} size="small">
        <Descriptions.Item label={t('f.status')}>
          <StatusTag p={p} testid="profile-status-card" />
        </Descriptions.Item>
        {p.submitted_at ? <Descriptions.Item label={t('f.submitted_at')}>{fmtDate(p.submitted_at, true)}</Descriptions.Item> : null}
        {p.reviewed_by ? <Descriptions.Item label={t('f.reviewed_by')}>{p.reviewed_by}</Descriptions.Item> : null}
        {p.review_comment ? (
          <Descriptions.Item label={t('f.review_comment')}>
            <span data-testid="review-comment">{p.review_comment}</span>
          </Descriptions.Item>
        ) : null}
        {p.closed_reason ? <Descriptions.Item label={t('f.closed_reason')}>{p.closed_reason}</Descriptions.Item> : null}
      </Descriptions>
      <Typography.Title level={5} style={{ marginTop: 12 }}>
        {t('profile.history')}
      </Typography.Title>
      {history.error ? (
        <ErrorAlert error={history.error} />
      ) : history.isLoading ? (
        <Loading />
      ) : (history.data?.items.length ?? 0) === 0 ? (
        <Typography.Text type="secondary">{t('profile.noHistory')}</Typography.Text>
      ) : (
        <Timeline
          data-testid="profile-history"
          items={history.data!.items.map((e) => ({
            key: `${e.at}-${e.action}`,
            color: e.to_status === 'published' ? 'green' : e.to_status === 'rejected' ? 'red' : e.to_status === 'returned' ? 'orange' : 'blue',
            children: (
              <div data-testid="history-entry" data-action={e.action}>
                <Typography.Text strong>{t(`profile.action.${e.action}`, { defaultValue: e.action })}</Typography.Text>{' '}
                <Typography.Text type="secondary">
                  {status(e.from_status)} → {status(e.to_status)}
                </Typography.Text>
                <div style={{ color: '#888', fontSize: 12 }}>
                  {e.actor} · {fmtDate(e.at, true)}
                </div>
                {e.comment ? <div>{e.comment}</div> : null}
              </div>
            ),
          }))}
        />
      )}
    </Card>
  );
}

const FLAGS_FOR: Record<'demand' | 'offer', MatchKindFlag[]> = { demand: ['offers', 'partners', 'talents'], offer: ['demands'] };

function Matches({ p, canFollow }: { p: Profile; canFollow: boolean }) {
  const { t, lang } = useM();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const allowed: MatchKindFlag[] = p.kind === 'demand' ? ['offers', 'partners', 'talents', 'demands'] : ['demands', 'offers', 'partners', 'talents'];
  const [kinds, setKinds] = useState<MatchKindFlag[]>(FLAGS_FOR[p.kind]);
  const [top, setTop] = useState(10);
  const [error, setError] = useState<unknown>(null);
  const q = { kind: kinds.join(',') || undefined, top, lang };
  const matches = useQuery({
    queryKey: ['market', 'profile', p.id, 'matches', q, p.updated_at],
    queryFn: () => api.get<{ results: MatchResult[] }>(`/api/market/profiles/${p.id}/matches`, q),
    placeholderData: keepPreviousData,
    retry: false,
  });
  const followups = useQuery({
    queryKey: ['market', 'followups', { profile_id: p.id }],
    queryFn: () => api.get<{ items: Followup[] }>('/api/market/followups', { profile_id: p.id }),
    enabled: canFollow,
  });
  const followed = new Map((followups.data?.items ?? []).map((f) => [`${f.target_kind}-${f.target_id}`, f]));
  const follow = useMutation({
    mutationFn: (m: MatchResult) => api.post<Followup>('/api/market/followups', { profile_id: p.id, target_kind: m.kind, target_id: Number(m.id) }),
    onSuccess: () => {
      setError(null);
      void message.success(t('profile.interestDone'));
      void qc.invalidateQueries({ queryKey: ['market', 'followups'] });
    },
    onError: setError,
  });
  const results = matches.data?.results ?? [];
  return (
    <div className="page-card">
      <h3 className="page-title" style={{ fontSize: 17 }}>
        {t('profile.matches')}
      </h3>
      {p.status !== 'published' ? <Alert type="info" showIcon message={t('profile.draftNote')} style={{ marginBottom: 12 }} /> : null}
      <div className="toolbar">
        <Checkbox.Group value={kinds} onChange={(v) => setKinds(v as MatchKindFlag[])} options={allowed.map((k) => ({ value: k, label: t(`kinds.${k}`) }))} data-testid="matches-kind" />
        <Select value={top} onChange={setTop} options={[10, 20, 50].map((n) => ({ value: n, label: t('home.topN', { n }) }))} style={{ width: 120 }} />
        <span className="spacer" />
        <Typography.Text type="secondary">{t('profile.matchesHint')}</Typography.Text>
      </div>
      {error ? <ErrorAlert error={error} /> : null}
      {matches.error ? (
        <ErrorAlert error={matches.error} />
      ) : matches.isLoading ? (
        <Loading />
      ) : results.length === 0 ? (
        <EmptyState hint={t('home.noneHint')}>
          <Typography.Text strong>{t('profile.noMatches')}</Typography.Text>
        </EmptyState>
      ) : (
        <List
          dataSource={results}
          data-testid="profile-matches"
          renderItem={(m, i) => {
            const f = followed.get(`${m.kind}-${m.id}`);
            return (
              <List.Item
                key={`${m.kind}-${m.id}`}
                data-testid="match-result"
                data-kind={m.kind}
                data-id={m.id}
                actions={
                  canFollow && m.kind !== p.kind
                    ? [
                        f ? (
                          <span key="f" data-testid="match-followed">
                            {t('profile.following', { stage: t(`stage.${f.stage}`) })}
                          </span>
                        ) : (
                          <Button key="i" size="small" icon={<HeartOutlined />} loading={follow.isPending && follow.variables?.id === m.id} onClick={() => follow.mutate(m)} data-testid="express-interest">
                            {t('profile.interest')}
                          </Button>
                        ),
                      ]
                    : []
                }
              >
                <List.Item.Meta
                  title={
                    <Space>
                      <span style={{ color: '#999' }}>{i + 1}.</span>
                      <MatchTitle m={m} />
                      <Typography.Text type="secondary" className="num" data-testid="match-score">
                        {t('home.score')} {fmtScore(m.score)}
                      </Typography.Text>
                      {f ? <StageTag stage={f.stage} /> : null}
                    </Space>
                  }
                  description={<ReasonList reasons={m.reasons} />}
                />
              </List.Item>
            );
          }}
        />
      )}
    </div>
  );
}

// ---------------------------------------------------------------- dialogs

/** Shows the server's answer on the form fields it names, and keeps the whole error for the alert. */
function fieldErrors<N extends string>(e: unknown, lang: 'zh' | 'en', names: readonly N[]): { name: N; errors: string[] }[] {
  if (!(e instanceof ApiError)) return [];
  return e.details.filter((d) => d.field && (names as readonly string[]).includes(String(d.field).split('.')[0])).map((d) => ({ name: String(d.field).split('.')[0] as N, errors: [lang === 'en' ? (d.message_en ?? e.messageEn) : (d.message ?? e.messageZh)] }));
}

function ReviewDialog({ p, onClose, onDone }: { p: Profile; onClose: () => void; onDone: () => void }) {
  const { t, lang } = useM();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ decision: 'approve' | 'return' | 'reject'; comment?: string }>();
  const review = useMutation({
    mutationFn: (v: { decision: string; comment?: string }) => api.post<Profile>(`/api/market/profiles/${p.id}/review`, { decision: v.decision, ...(v.comment?.trim() ? { comment: v.comment.trim() } : {}) }),
    onSuccess: () => {
      void message.success(t('profile.done'));
      onDone();
      onClose();
    },
    onError: (e) => form.setFields(fieldErrors(e, lang, ['decision', 'comment'] as const)),
  });
  return (
    <Modal open title={t('profile.review')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={review.isPending} okButtonProps={{ 'data-testid': 'review-ok' }} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ decision: 'approve' }} onFinish={(v) => review.mutate(v)}>
        <Form.Item name="decision" label={t('profile.decision')}>
          <Radio.Group data-testid="review-decision">
            <Radio value="approve" data-testid="decision-approve">
              {t('profile.approve')}
            </Radio>
            <Radio value="return" data-testid="decision-return">
              {t('profile.return')}
            </Radio>
            <Radio value="reject" data-testid="decision-reject">
              {t('profile.reject')}
            </Radio>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="comment" label={t('profile.comment')} extra={t('profile.commentHint')}>
          <Input.TextArea rows={4} maxLength={2000} data-testid="review-comment-input" />
        </Form.Item>
      </Form>
      {review.error ? <ErrorAlert error={review.error} /> : null}
    </Modal>
  );
}

function RenewDialog({ p, onClose, onDone }: { p: Profile; onClose: () => void; onDone: () => void }) {
  const { t, lang } = useM();
  const [form] = Form.useForm<{ expires_on: string }>();
  const renew = useMutation({
    mutationFn: (v: { expires_on: string }) => api.post<Profile>(`/api/market/profiles/${p.id}/renew`, v),
    onSuccess: () => {
      onDone();
      onClose();
    },
    onError: (e) => form.setFields(fieldErrors(e, lang, ['expires_on'] as const)),
  });
  const next = new Date();
  next.setFullYear(next.getFullYear() + 1);
  return (
    <Modal open title={t('profile.renew')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={renew.isPending} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ expires_on: next.toISOString().slice(0, 10) }} onFinish={(v) => renew.mutate(v)}>
        <Form.Item name="expires_on" label={t('profile.renewUntil')} rules={[{ required: true }]}>
          <DateInput data-testid="renew-date" />
        </Form.Item>
      </Form>
      {renew.error ? <ErrorAlert error={renew.error} /> : null}
    </Modal>
  );
}

function CloseDialog({ p, onClose, onDone }: { p: Profile; onClose: () => void; onDone: () => void }) {
  const { t, lang } = useM();
  const [form] = Form.useForm<{ reason: string }>();
  const close = useMutation({
    mutationFn: (v: { reason: string }) => api.post<Profile>(`/api/market/profiles/${p.id}/close`, v),
    onSuccess: () => {
      onDone();
      onClose();
    },
    onError: (e) => form.setFields(fieldErrors(e, lang, ['reason'] as const)),
  });
  return (
    <Modal open title={t('profile.close')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={close.isPending} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => close.mutate(v)}>
        <Form.Item name="reason" label={t('profile.closeReason')} rules={[{ required: true, whitespace: true, message: t('profile.closeReason') }]}>
          <Input.TextArea rows={3} maxLength={1000} data-testid="close-reason" />
        </Form.Item>
      </Form>
      {close.error ? <ErrorAlert error={close.error} /> : null}
    </Modal>
  );
}

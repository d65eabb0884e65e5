/** The home page: who I am and what I may see, what needs my attention, counts, recent imports. */
import { AlertOutlined, CheckCircleOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Card, Col, List, Row, Statistic, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { api } from '../api.ts';
import { useUser } from '../auth.tsx';
import { ErrorPage } from '../components/ErrorView.tsx';
import { Loading } from '../components/PageState.tsx';
import { useLang } from '../i18n.ts';
import { STATUS_COLORS, STATUS_LABELS } from './imports/kinds.ts';

interface HomeSummary {
  counts: { kind: string; zh: string; en: string; total: number }[];
  attention: { kind: string; count: number; zh: string; en: string; link: string }[];
  recent_imports: { id: number; kind: string; file_name: string; status: string; rows_imported: number; rows_rejected: number; issue_count: number; started_at: string }[];
  plans: { id: number; name: string; targets_lagging: number; tasks_overdue: number; reports_to_review: number }[];
}

export default function HomePage() {
  const { t, pick, lang } = useLang();
  const user = useUser();
  const q = useQuery({ queryKey: ['home'], queryFn: () => api.get<HomeSummary>('/api/home') });
  if (q.isLoading) return <Loading />;
  if (q.error) return <ErrorPage error={q.error} retry={() => q.refetch()} />;
  const d = q.data!;
  return (
    <div>
      <Typography.Title level={3} style={{ marginTop: 0 }} data-testid="home-title">
        {t('home.welcome', { name: user.display_name || user.username })}
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        {t(`roles.${user.role}`)} · {t('home.scope', { scope: user.region_name ?? user.org_name ?? t('home.everywhere') })}
      </Typography.Paragraph>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10}>
          <Card title={<><AlertOutlined /> {t('home.attention')}</>} data-testid="attention">
            {d.attention.length === 0 ? (
              <Typography.Text type="secondary">
                <CheckCircleOutlined style={{ color: '#52c41a' }} /> {t('home.nothing')}
              </Typography.Text>
            ) : (
              <List
                dataSource={d.attention}
                renderItem={(a) => (
                  <List.Item>
                    <Link to={a.link}>
                      <Tag color="orange">{a.count}</Tag> {pick(a)}
                    </Link>
                  </List.Item>
                )}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card title={t('home.counts')}>
            <Row gutter={[16, 16]}>
              {d.counts.map((c) => (
                <Col key={c.kind} xs={12} md={6}>
                  <Link to={`/registries/${c.kind}`} data-testid={`count-${c.kind}`}>
                    <Statistic title={pick(c)} value={c.total} />
                  </Link>
                </Col>
              ))}
            </Row>
          </Card>
        </Col>
        {d.recent_imports.length > 0 && (
          <Col xs={24}>
            <Card title={t('home.recentImports')}>
              <List
                size="small"
                dataSource={d.recent_imports}
                data-testid="recent-imports"
                renderItem={(i) => (
                  <List.Item extra={<span style={{ color: '#888' }}>{new Date(i.started_at).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN')}</span>}>
                    <Link to={`/imports/${i.id}`}>#{i.id}</Link>&nbsp;{i.file_name}&nbsp;
                    <Tag color={STATUS_COLORS[i.status]}>{STATUS_LABELS[i.status] ? pick(STATUS_LABELS[i.status]) : i.status}</Tag>
                    <span style={{ color: '#666' }}>
                      {lang === 'en'
                        ? `${i.rows_imported} imported, ${i.rows_rejected} rejected, ${i.issue_count} issues`
                        : `导入 ${i.rows_imported} 行，拒绝 ${i.rows_rejected} 行，问题 ${i.issue_count} 条`}
                    </span>
                  </List.Item>
                )}
              />
            </Card>
          </Col>
        )}
      </Row>
    </div>
  );
}

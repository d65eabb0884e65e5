/** The home page: who I am and what I may see, what needs my attention, counts, recent imports. */
import { AlertOutlined, CheckCircleOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Card, Col, List, Row, Statistic, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { api } from '../api.ts';
import { useUser } from '../auth.tsx';
import { ErrorPage } from '../components/ErrorView.tsx';
import { Loading } from '../components/PageState.tsx';
import { useLang } from '../i18n.ts';

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
              <Table
                size="small"
                rowKey="id"
                pagination={false}
                dataSource={d.recent_imports}
                columns={[
                  { title: 'ID', dataIndex: 'id', render: (id: number) => <Link to={`/imports/${id}`}>#{id}</Link> },
                  { title: lang === 'en' ? 'File' : '文件', dataIndex: 'file_name' },
                  { title: lang === 'en' ? 'Kind' : '类型', dataIndex: 'kind' },
                  { title: lang === 'en' ? 'Status' : '状态', dataIndex: 'status', render: (s: string) => <Tag color={s === 'done' ? 'green' : s === 'failed' ? 'red' : 'default'}>{s}</Tag> },
                  { title: lang === 'en' ? 'Imported' : '导入行数', dataIndex: 'rows_imported', align: 'right' },
                  { title: lang === 'en' ? 'Rejected' : '拒绝行数', dataIndex: 'rows_rejected', align: 'right' },
                  { title: lang === 'en' ? 'Issues' : '问题数', dataIndex: 'issue_count', align: 'right' },
                  { title: lang === 'en' ? 'Time' : '时间', dataIndex: 'started_at', render: (s: string) => new Date(s).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN') },
                ]}
              />
            </Card>
          </Col>
        )}
      </Row>
    </div>
  );
}

/** One import: its file, options, counts and every recorded problem; undo if it stands. */
import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions, Tag } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api.ts';
import { ErrorPage } from '../../components/ErrorView.tsx';
import { Loading } from '../../components/PageState.tsx';
import { useLang } from '../../i18n.ts';
import { UndoButton } from './ImportHistory.tsx';
import { IssuesTable } from './IssuesTable.tsx';
import { STATUS_COLORS, STATUS_LABELS, type ImportIssue, type ImportRow } from './kinds.ts';

export default function ImportDetail() {
  const { id } = useParams();
  const { lang } = useLang();
  const q = useQuery({ queryKey: ['imports', Number(id)], queryFn: () => api.get<ImportRow & { issues: ImportIssue[]; options: unknown }>(`/api/imports/${id}`) });
  if (q.isLoading) return <Loading />;
  if (q.error) return <ErrorPage error={q.error} retry={() => q.refetch()} />;
  const r = q.data!;
  const when = (s: string | null) => (s ? new Date(s).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN') : '—');
  return (
    <Card title={<span data-testid="import-title"><Link to="/imports">{lang === 'en' ? 'Imports' : '导入记录'}</Link> / #{r.id} {r.file_name}</span>} extra={<UndoButton row={r} />}>
      <Descriptions bordered size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={lang === 'en' ? 'Kind' : '类型'}>{r.kind}</Descriptions.Item>
        <Descriptions.Item label={lang === 'en' ? 'Status' : '状态'}>
          <Tag color={STATUS_COLORS[r.status]}>{lang === 'en' ? STATUS_LABELS[r.status]?.en : STATUS_LABELS[r.status]?.zh}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label={lang === 'en' ? 'By' : '操作人'}>{r.actor}</Descriptions.Item>
        <Descriptions.Item label={lang === 'en' ? 'Rows read / imported / rejected' : '读取 / 导入 / 拒绝'}>{`${r.rows_read} / ${r.rows_imported} / ${r.rows_rejected}`}</Descriptions.Item>
        <Descriptions.Item label={lang === 'en' ? 'Region context' : '地区'}>{r.region_context ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={lang === 'en' ? 'Size' : '大小'}>{`${(r.file_size / 1024).toFixed(1)} KB`}</Descriptions.Item>
        <Descriptions.Item label={lang === 'en' ? 'Started' : '开始'}>{when(r.started_at)}</Descriptions.Item>
        <Descriptions.Item label={lang === 'en' ? 'Finished' : '结束'}>{when(r.finished_at)}</Descriptions.Item>
        <Descriptions.Item label={lang === 'en' ? 'Undone' : '撤销'}>{r.undone_at ? `${when(r.undone_at)} · ${r.undone_by}` : '—'}</Descriptions.Item>
      </Descriptions>
      <IssuesTable issues={r.issues} />
    </Card>
  );
}

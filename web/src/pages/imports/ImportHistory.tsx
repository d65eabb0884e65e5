/** Every import, newest first: who, when, what file, how many rows; undo from here. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Popconfirm, Select, Table, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api.ts';
import { ErrorAlert, ErrorPage } from '../../components/ErrorView.tsx';
import { EmptyState } from '../../components/PageState.tsx';
import { useLang } from '../../i18n.ts';
import { IMPORT_KINDS, STATUS_COLORS, STATUS_LABELS, type ImportRow } from './kinds.ts';

export function UndoButton({ row }: { row: ImportRow }) {
  const { lang } = useLang();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const undo = useMutation({
    mutationFn: () => api.post<{ restored: number; deleted: Record<string, number> }>(`/api/imports/${row.id}/undo`),
    onSuccess: (r) => {
      const deleted = Object.values(r.deleted).reduce((a, b) => a + b, 0);
      void message.success(lang === 'en' ? `Import #${row.id} undone: ${deleted} records removed, ${r.restored} restored` : `已撤销导入 #${row.id}：删除 ${deleted} 条，恢复 ${r.restored} 条`);
      void qc.invalidateQueries();
    },
    onError: (e) => void message.error(<ErrorAlert error={e} />),
  });
  if (row.status !== 'done') return null;
  return (
    <Popconfirm
      title={lang === 'en' ? 'Undo this import? Records it added are removed and records it changed are restored.' : '撤销这次导入？新增的记录将被删除，修改的记录将恢复原值。'}
      onConfirm={() => undo.mutate()}
    >
      <Button size="small" danger loading={undo.isPending} data-testid={`undo-${row.id}`}>
        {lang === 'en' ? 'Undo' : '撤销'}
      </Button>
    </Popconfirm>
  );
}

export default function ImportHistory() {
  const { lang } = useLang();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [kind, setKind] = useState<string | undefined>();
  const [status, setStatus] = useState<string | undefined>();
  const list = useQuery({
    queryKey: ['imports', page, pageSize, kind, status],
    queryFn: () => api.get<{ items: ImportRow[]; total: number }>('/api/imports', { page, pageSize, kind, status }),
    placeholderData: keepPreviousData,
  });
  if (list.error) return <ErrorPage error={list.error} retry={() => list.refetch()} />;
  const when = (s: string | null) => (s ? new Date(s).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN') : '—');
  return (
    <div className="page-card">
      <h2 className="page-title">
        {lang === 'en' ? 'Import history' : '导入记录'}
        <span className="en">{lang === 'en' ? '导入记录' : 'Import history'}</span>
      </h2>
      <div className="toolbar">
        <Select allowClear placeholder={lang === 'en' ? 'Kind' : '类型'} style={{ width: 200 }} value={kind} onChange={(v) => (setKind(v), setPage(1))} options={IMPORT_KINDS.map((k) => ({ value: k.value, label: lang === 'en' ? k.en : k.zh }))} />
        <Select
          allowClear
          placeholder={lang === 'en' ? 'Status' : '状态'}
          style={{ width: 140 }}
          value={status}
          onChange={(v) => (setStatus(v), setPage(1))}
          options={Object.entries(STATUS_LABELS).map(([value, l]) => ({ value, label: lang === 'en' ? l.en : l.zh }))}
        />
        <span className="spacer" />
        <Link to="/imports/new">
          <Button type="primary">{lang === 'en' ? 'Import a file' : '导入文件'}</Button>
        </Link>
      </div>
      <Table<ImportRow>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: <EmptyState /> }}
        data-testid="imports-table"
        scroll={{ x: 'max-content' }}
        pagination={{ current: page, pageSize, total: list.data?.total ?? 0, showSizeChanger: true, onChange: (p, s) => (setPage(p), setPageSize(s)) }}
        columns={[
          { title: 'ID', dataIndex: 'id', render: (id: number) => <Link to={`/imports/${id}`}>#{id}</Link> },
          { title: lang === 'en' ? 'File' : '文件', dataIndex: 'file_name' },
          { title: lang === 'en' ? 'Kind' : '类型', dataIndex: 'kind', render: (k: string) => { const x = IMPORT_KINDS.find((i) => i.value === k); return x ? (lang === 'en' ? x.en : x.zh) : k; } },
          { title: lang === 'en' ? 'Status' : '状态', dataIndex: 'status', render: (s: string) => <Tag color={STATUS_COLORS[s]}>{lang === 'en' ? STATUS_LABELS[s]?.en ?? s : STATUS_LABELS[s]?.zh ?? s}</Tag> },
          { title: lang === 'en' ? 'Read' : '读取', dataIndex: 'rows_read', align: 'right' },
          { title: lang === 'en' ? 'Imported' : '导入', dataIndex: 'rows_imported', align: 'right' },
          { title: lang === 'en' ? 'Rejected' : '拒绝', dataIndex: 'rows_rejected', align: 'right' },
          { title: lang === 'en' ? 'Issues' : '问题', dataIndex: 'issue_count', align: 'right' },
          { title: lang === 'en' ? 'By' : '操作人', dataIndex: 'actor' },
          { title: lang === 'en' ? 'Started' : '开始时间', dataIndex: 'started_at', render: when },
          { title: '', key: 'undo', render: (_: unknown, r: ImportRow) => <UndoButton row={r} /> },
        ]}
      />
    </div>
  );
}

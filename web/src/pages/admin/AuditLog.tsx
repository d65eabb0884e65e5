/** The audit log for administrators: every write with who, when, what, before and after; chain check. */
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Input, Table, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api.ts';
import { ErrorAlert, ErrorPage } from '../../components/ErrorView.tsx';
import { useLang } from '../../i18n.ts';
import { DateInput } from '../../components/DateInput.tsx';

interface Entry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  before?: unknown;
  after?: unknown;
  [k: string]: unknown;
}

export default function AuditLog() {
  const { lang } = useLang();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const [filters, setFilters] = useState<{ actor?: string; entity?: string; action?: string; from?: string; to?: string }>({});
  const list = useQuery({
    queryKey: ['audit', page, pageSize, filters],
    queryFn: () => api.get<{ items: Entry[]; total: number }>('/api/audit', { page, pageSize, ...filters }),
    placeholderData: keepPreviousData,
  });
  const verify = useMutation({ mutationFn: () => api.get<{ ok: boolean; entries: number; first_bad?: { seq: number; problem?: string } }>('/api/audit/verify') });
  if (list.error) return <ErrorPage error={list.error} />;
  const set = (k: keyof typeof filters) => (v: string) => {
    setFilters({ ...filters, [k]: v || undefined });
    setPage(1);
  };
  return (
    <div className="page-card">
      <h2 className="page-title">
        {lang === 'en' ? 'Audit log' : '审计日志'}
        <span className="en">{lang === 'en' ? '审计日志' : 'Audit log'}</span>
      </h2>
      <div className="toolbar">
        <Input.Search allowClear placeholder={lang === 'en' ? 'User' : '操作人'} onSearch={set('actor')} style={{ width: 160 }} />
        <Input.Search allowClear placeholder={lang === 'en' ? 'Entity (e.g. projects)' : '对象（如 projects）'} onSearch={set('entity')} style={{ width: 200 }} />
        <Input.Search allowClear placeholder={lang === 'en' ? 'Action' : '操作'} onSearch={set('action')} style={{ width: 160 }} />
        <DateInput onChange={(v) => set('from')(v ?? '')} style={{ width: 150 }} aria-label={lang === 'en' ? 'From' : '起始日期'} />
        <DateInput onChange={(v) => set('to')(v ?? '')} style={{ width: 150 }} aria-label={lang === 'en' ? 'To' : '截止日期'} />
        <span className="spacer" />
        <Button icon={<SafetyCertificateOutlined />} onClick={() => verify.mutate()} loading={verify.isPending} data-testid="audit-verify">
          {lang === 'en' ? 'Verify the hash chain' : '校验哈希链'}
        </Button>
      </div>
      {verify.data ? (
        <Alert
          style={{ marginBottom: 16 }}
          type={verify.data.ok ? 'success' : 'error'}
          showIcon
          data-testid="audit-verify-result"
          message={
            verify.data.ok
              ? lang === 'en'
                ? `The chain of ${verify.data.entries} entries is intact`
                : `${verify.data.entries} 条记录的哈希链完整`
              : lang === 'en'
                ? `The chain is broken at entry ${verify.data.first_bad?.seq}`
                : `哈希链在第 ${verify.data.first_bad?.seq} 条处断开`
          }
        />
      ) : null}
      {verify.error ? <ErrorAlert error={verify.error} /> : null}
      <Table<Entry>
        rowKey="seq"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 'max-content' }}
        pagination={{ current: page, pageSize, total: list.data?.total ?? 0, showSizeChanger: true, onChange: (p, s) => (setPage(p), setPageSize(s)) }}
        expandable={{
          expandedRowRender: (e) => (
            <div style={{ display: 'flex', gap: 16 }}>
              <div style={{ flex: 1 }}>
                <Typography.Text strong>{lang === 'en' ? 'Before' : '修改前'}</Typography.Text>
                <pre style={{ whiteSpace: 'pre-wrap', fontSize: 12 }}>{JSON.stringify(e.before ?? null, null, 2)}</pre>
              </div>
              <div style={{ flex: 1 }}>
                <Typography.Text strong>{lang === 'en' ? 'After' : '修改后'}</Typography.Text>
                <pre style={{ whiteSpace: 'pre-wrap', fontSize: 12 }}>{JSON.stringify(e.after ?? null, null, 2)}</pre>
              </div>
            </div>
          ),
        }}
        columns={[
          { title: '#', dataIndex: 'seq' },
          { title: lang === 'en' ? 'Time' : '时间', dataIndex: 'at', render: (s: string) => new Date(s).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN') },
          { title: lang === 'en' ? 'User' : '操作人', dataIndex: 'actor' },
          { title: lang === 'en' ? 'Action' : '操作', dataIndex: 'action' },
          { title: lang === 'en' ? 'Entity' : '对象', dataIndex: 'entity' },
          { title: 'ID', dataIndex: 'entity_id' },
        ]}
      />
    </div>
  );
}

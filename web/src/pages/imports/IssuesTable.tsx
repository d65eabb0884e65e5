/** The row-by-row problems of an import: row, column, code and message, filterable by severity. */
import { Radio, Table, Tag } from 'antd';
import { useState } from 'react';
import { useLang } from '../../i18n.ts';
import type { ImportIssue } from './kinds.ts';

export function IssuesTable({ issues }: { issues: ImportIssue[] }) {
  const { lang } = useLang();
  const [sev, setSev] = useState<'all' | 'error' | 'warning'>('all');
  const errors = issues.filter((i) => i.severity === 'error').length;
  const rows = sev === 'all' ? issues : issues.filter((i) => i.severity === sev);
  return (
    <div data-testid="issues">
      <Radio.Group value={sev} onChange={(e) => setSev(e.target.value)} style={{ marginBottom: 8 }} size="small">
        <Radio.Button value="all">{lang === 'en' ? `All (${issues.length})` : `全部（${issues.length}）`}</Radio.Button>
        <Radio.Button value="error">{lang === 'en' ? `Errors (${errors})` : `错误（${errors}）`}</Radio.Button>
        <Radio.Button value="warning">{lang === 'en' ? `Warnings (${issues.length - errors})` : `提醒（${issues.length - errors}）`}</Radio.Button>
      </Radio.Group>
      <Table
        size="small"
        rowKey={(r) => `${r.row}-${r.column}-${r.code}-${r.message}`}
        dataSource={rows}
        pagination={{ pageSize: 20, showSizeChanger: false }}
        columns={[
          { title: lang === 'en' ? 'Row' : '行', dataIndex: 'row', width: 70, sorter: (a, b) => a.row - b.row },
          { title: lang === 'en' ? 'Column' : '列', dataIndex: 'column', width: 140 },
          {
            title: lang === 'en' ? 'Severity' : '级别',
            dataIndex: 'severity',
            width: 90,
            render: (s: string) => <Tag color={s === 'error' ? 'red' : 'orange'}>{s === 'error' ? (lang === 'en' ? 'Error' : '错误') : lang === 'en' ? 'Warning' : '提醒'}</Tag>,
          },
          { title: lang === 'en' ? 'Code' : '代码', dataIndex: 'code', width: 200, render: (c: string) => <code>{c}</code> },
          { title: lang === 'en' ? 'Message' : '说明', key: 'message', render: (_: unknown, r: ImportIssue) => (lang === 'en' ? r.message_en : r.message) },
        ]}
      />
    </div>
  );
}

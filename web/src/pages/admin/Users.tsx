/**
 * Users for administrators: list with search and filters, create with a role and a data scope
 * (region or organisation), change role/scope, disable, reset a password, unlock after
 * failed log-ins. The server refuses what would leave no active administrator.
 */
import { CloudDownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal, Select, Space, Switch, Table, Tag, Tooltip } from 'antd';
import { useState } from 'react';
import { api, downloadPost } from '../../api.ts';
import type { Role } from '../../auth.tsx';
import { ErrorAlert, ErrorPage } from '../../components/ErrorView.tsx';
import { RecordSelect, RegionSelect } from '../../components/RefSelect.tsx';
import { useLang } from '../../i18n.ts';

interface UserRow {
  id: number;
  username: string;
  display_name: string | null;
  role: Role;
  region_id: number | null;
  region_name: string | null;
  org_id: number | null;
  org_name: string | null;
  disabled: boolean;
  locked_until: string | null;
  last_login_at: string | null;
  created_at: string;
}

const ROLES: Role[] = ['admin', 'bureau', 'district', 'evaluator', 'organization', 'reviewer', 'public', 'auditor'];

type Editing = { mode: 'create' } | { mode: 'edit'; user: UserRow } | { mode: 'password'; user: UserRow } | null;

export default function Users() {
  const { t, lang } = useLang();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const [q, setQ] = useState<string | undefined>();
  const [role, setRole] = useState<string | undefined>();
  const [editing, setEditing] = useState<Editing>(null);
  const [error, setError] = useState<unknown>(null);
  const list = useQuery({
    queryKey: ['users', page, pageSize, q, role],
    queryFn: () => api.get<{ items: UserRow[]; total: number }>('/api/users', { page, pageSize, q, role }),
    placeholderData: keepPreviousData,
  });
  const done = (msg: string) => {
    void message.success(msg);
    void qc.invalidateQueries({ queryKey: ['users'] });
    setEditing(null);
    setError(null);
    form.resetFields();
  };
  const save = useMutation({
    mutationFn: async (v: Record<string, unknown>) => {
      if (editing?.mode === 'create') return api.post('/api/users', v);
      if (editing?.mode === 'edit') return api.patch(`/api/users/${editing.user.id}`, v);
      if (editing?.mode === 'password') return api.post(`/api/users/${editing.user.id}/password`, { password: v.password });
    },
    onSuccess: () => done(t('state.saved')),
    onError: setError,
  });
  const quick = useMutation({
    mutationFn: ({ url, body, method }: { url: string; body?: unknown; method: 'post' | 'patch' }) => (method === 'post' ? api.post(url, body) : api.patch(url, body)),
    onSuccess: () => done(t('state.saved')),
    onError: (e) => void message.error(<ErrorAlert error={e} />),
  });
  if (list.error) return <ErrorPage error={list.error} />;
  const roleLabel = (r: string) => t(`roles.${r}`);
  const open = (e: Editing) => {
    setError(null);
    form.resetFields();
    if (e?.mode === 'edit') form.setFieldsValue({ display_name: e.user.display_name, role: e.user.role, region: e.user.region_id, org: e.user.org_id });
    setEditing(e);
  };
  const chosenRole = Form.useWatch('role', form) as Role | undefined;
  return (
    <div className="page-card">
      <h2 className="page-title">
        {lang === 'en' ? 'Users' : '用户管理'}
        <span className="en">{lang === 'en' ? '用户管理' : 'Users'}</span>
      </h2>
      <div className="toolbar">
        <Input.Search allowClear placeholder={lang === 'en' ? 'User name' : '用户名'} onSearch={(v) => (setQ(v || undefined), setPage(1))} style={{ width: 220 }} />
        <Select allowClear placeholder={lang === 'en' ? 'Role' : '角色'} style={{ width: 180 }} value={role} onChange={(v) => (setRole(v), setPage(1))} options={ROLES.map((r) => ({ value: r, label: roleLabel(r) }))} />
        <span className="spacer" />
        <Tooltip
          title={
            lang === 'en'
              ? 'The whole store in one file (a consistent snapshot), to restore with innolink restore. The audit key is not in it: keep a copy of it apart from the backups.'
              : '整个数据库的一个备份文件（一致快照），可用 innolink restore 恢复。审计密钥不在其中：请另行保管一份。'
          }
        >
          <Button icon={<CloudDownloadOutlined />} onClick={() => downloadPost('/api/backup')} data-testid="backup-download">
            {lang === 'en' ? 'Download a backup' : '下载备份'}
          </Button>
        </Tooltip>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => open({ mode: 'create' })} data-testid="user-create">
          {t('action.create')}
        </Button>
      </div>
      <Table<UserRow>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 'max-content' }}
        data-testid="users-table"
        pagination={{ current: page, pageSize, total: list.data?.total ?? 0, showSizeChanger: true, onChange: (p, s) => (setPage(p), setPageSize(s)) }}
        columns={[
          { title: lang === 'en' ? 'User name' : '用户名', dataIndex: 'username', sorter: (a, b) => a.username.localeCompare(b.username) },
          { title: lang === 'en' ? 'Display name' : '显示名称', dataIndex: 'display_name' },
          { title: lang === 'en' ? 'Role' : '角色', dataIndex: 'role', render: (r: string) => <Tag>{roleLabel(r)}</Tag> },
          { title: lang === 'en' ? 'Region' : '地区', dataIndex: 'region_name', render: (v: string | null) => v ?? '—' },
          { title: lang === 'en' ? 'Organisation' : '单位', dataIndex: 'org_name', render: (v: string | null) => v ?? '—' },
          {
            title: lang === 'en' ? 'State' : '状态',
            key: 'state',
            render: (_: unknown, u: UserRow) => (
              <Space>
                {u.disabled ? <Tag color="red">{lang === 'en' ? 'Disabled' : '已停用'}</Tag> : <Tag color="green">{lang === 'en' ? 'Active' : '正常'}</Tag>}
                {u.locked_until && new Date(u.locked_until) > new Date() ? <Tag color="orange">{lang === 'en' ? 'Locked' : '已锁定'}</Tag> : null}
              </Space>
            ),
          },
          { title: lang === 'en' ? 'Last log-in' : '最近登录', dataIndex: 'last_login_at', render: (s: string | null) => (s ? new Date(s).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN') : '—') },
          {
            title: '',
            key: 'actions',
            render: (_: unknown, u: UserRow) => (
              <Space size="small">
                <Button size="small" onClick={() => open({ mode: 'edit', user: u })}>
                  {t('action.edit')}
                </Button>
                <Button size="small" onClick={() => open({ mode: 'password', user: u })}>
                  {lang === 'en' ? 'Reset password' : '重置密码'}
                </Button>
                <Switch
                  size="small"
                  checked={!u.disabled}
                  checkedChildren={lang === 'en' ? 'on' : '启用'}
                  unCheckedChildren={lang === 'en' ? 'off' : '停用'}
                  onChange={(on) => quick.mutate({ url: `/api/users/${u.id}`, body: { disabled: !on }, method: 'patch' })}
                />
                {u.locked_until && new Date(u.locked_until) > new Date() ? (
                  <Button size="small" onClick={() => quick.mutate({ url: `/api/users/${u.id}/unlock`, method: 'post' })}>
                    {lang === 'en' ? 'Unlock' : '解锁'}
                  </Button>
                ) : null}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={editing !== null}
        title={editing?.mode === 'create' ? (lang === 'en' ? 'New user' : '新增用户') : editing?.mode === 'edit' ? `${t('action.edit')}：${editing.user.username}` : editing ? `${lang === 'en' ? 'Reset password' : '重置密码'}：${editing.user.username}` : ''}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        confirmLoading={save.isPending}
        okText={t('action.save')}
        cancelText={t('action.cancel')}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => save.mutate(Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined)))}>
          {editing?.mode === 'create' ? (
            <Form.Item name="username" label={lang === 'en' ? 'User name' : '用户名'} rules={[{ required: true }]}>
              <Input data-testid="user-username" />
            </Form.Item>
          ) : null}
          {editing?.mode !== 'password' ? (
            <>
              <Form.Item name="display_name" label={lang === 'en' ? 'Display name' : '显示名称'}>
                <Input />
              </Form.Item>
              <Form.Item
                name="role"
                label={lang === 'en' ? 'Role' : '角色'}
                rules={[{ required: true }]}
                extra={
                  chosenRole === 'auditor'
                    ? lang === 'en'
                      ? 'An auditor reads and verifies the audit log (administrators do not), sees only published business data and changes nothing. The auditors are told of every change to an auditor account.'
                      : '审计员查看并校验审计日志（系统管理员不能查看），业务数据只能看到公开部分，不能修改任何数据。审计员账户的每次变更都会通知现有审计员。'
                    : undefined
                }
              >
                <Select options={ROLES.map((r) => ({ value: r, label: roleLabel(r) }))} data-testid="user-role" />
              </Form.Item>
              {chosenRole === 'bureau' || chosenRole === 'district' ? (
                <Form.Item name="region" label={lang === 'en' ? 'Region (data scope)' : '地区（数据范围）'} rules={[{ required: true }]}>
                  <RegionSelect />
                </Form.Item>
              ) : null}
              {chosenRole === 'organization' ? (
                <Form.Item name="org" label={lang === 'en' ? 'Organisation' : '所属单位'} rules={[{ required: true }]}>
                  <RecordSelect kind="organizations" />
                </Form.Item>
              ) : null}
            </>
          ) : null}
          {editing?.mode !== 'edit' ? (
            <Form.Item name="password" label={lang === 'en' ? 'Password' : '密码'} rules={[{ required: true }]} extra={lang === 'en' ? 'At least 8 characters; not the user name.' : '至少 8 个字符，不能包含用户名。'}>
              <Input.Password autoComplete="new-password" data-testid="user-password" />
            </Form.Item>
          ) : null}
          {error ? <ErrorAlert error={error} /> : null}
        </Form>
      </Modal>
    </div>
  );
}

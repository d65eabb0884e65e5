/**
 * The indicator systems (指标体系): name, key, latest version, counts of indicators, data sets
 * and runs; filtered, sorted and paged with the state in the address, exported as CSV; a new
 * system from scratch or from a file (COINr iMeta CSV/XLSX, YAML, JSON) for evaluators.
 */
import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Modal, Space, Table, Tag, message } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api, upload } from '../../api.ts';
import { ErrorAlert, ErrorPage } from '../../components/ErrorView.tsx';
import { EmptyState, Loading } from '../../components/PageState.tsx';
import { BASE, compareCells, dateTime, frameworkName, matches, saveCsv, useCanWrite, useFrameworks, useListState, useRefresh } from './data.ts';
import { FilePick, IssuesView, PageTitle, useI } from './shared.tsx';
import type { FrameworkDetail, FrameworkSummary } from './types.ts';

export default function FrameworkList() {
  const { t, lang } = useI();
  const canWrite = useCanWrite();
  const list = useFrameworks();
  const s = useListState({ sort: 'updated', order: 'desc' });
  const [importing, setImporting] = useState(false);
  const [creating, setCreating] = useState(false);

  const all = list.data?.items ?? [];
  const key = (f: FrameworkSummary): unknown =>
    s.sort === 'name' ? frameworkName(f, lang) : s.sort === 'key' ? f.key : s.sort === 'indicators' ? f.indicators : s.sort === 'datasets' ? f.datasets : s.sort === 'runs' ? f.runs : s.sort === 'version' ? f.latest_version : f.updated_at;
  const rows = all.filter((f) => matches(s.q, f.name, f.name_en, f.key)).sort((a, b) => (s.order === 'desc' ? -1 : 1) * compareCells(key(a), key(b)));
  const so = (k: string) => (s.sort === k ? (s.order === 'desc' ? ('descend' as const) : ('ascend' as const)) : null);

  const exportCsv = () =>
    saveCsv(
      lang === 'en' ? 'indicator-systems.csv' : '指标体系.csv',
      [t('f.name'), t('f.key'), t('f.version'), t('f.indicators'), t('f.datasets'), t('f.runs'), t('f.builtin'), t('f.updatedAt')],
      rows.map((f) => [frameworkName(f, lang), f.key, f.latest_version, f.indicators, f.datasets, f.runs, f.builtin ? t('common.yes') : t('common.no'), f.updated_at]),
    );

  return (
    <div className="page-card">
      <PageTitle zh="指标体系" en="Indicator systems" />
      <Alert type="info" showIcon title={t('frameworks.help')} style={{ marginBottom: 12 }} />
      {!canWrite ? <Alert type="warning" showIcon title={t('common.readOnly')} style={{ marginBottom: 12 }} /> : null}
      <div className="toolbar">
        <Input.Search allowClear defaultValue={s.q} placeholder={t('common.search')} onSearch={(v) => s.set({ q: v.trim() || undefined })} style={{ width: 300 }} data-testid="frameworks-search" />
        <span className="spacer" />
        <Button icon={<DownloadOutlined />} onClick={exportCsv} disabled={!rows.length}>
          {t('common.exportCsv')}
        </Button>
        {canWrite ? (
          <>
            <Button icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="framework-new">
              {t('frameworks.new')}
            </Button>
            <Button type="primary" icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="framework-import">
              {t('frameworks.import')}
            </Button>
          </>
        ) : null}
      </div>
      {list.error ? (
        <ErrorPage error={list.error} retry={() => list.refetch()} />
      ) : (
        <Table<FrameworkSummary>
          rowKey="id"
          size="middle"
          loading={list.isFetching}
          dataSource={rows}
          data-testid="frameworks-table"
          locale={{ emptyText: list.isLoading ? <Loading /> : <EmptyState hint={t('frameworks.empty')} /> }}
          onChange={(p, _f, sorter) => {
            const x = Array.isArray(sorter) ? sorter[0] : sorter;
            s.set({ sort: x?.order ? String(x.columnKey) : undefined, order: x?.order === 'descend' ? 'desc' : x?.order ? 'asc' : undefined, page: String(p.current ?? 1), pageSize: String(p.pageSize ?? 20) }, false);
          }}
          pagination={{ current: s.page, pageSize: s.pageSize, showSizeChanger: true, showTotal: (n) => t('common:state.total', { total: n }) }}
          columns={[
            {
              key: 'name',
              title: t('f.name'),
              sorter: true,
              sortOrder: so('name'),
              render: (_: unknown, f) => (
                <Space orientation="vertical" size={0}>
                  <Link to={`/indicators/frameworks/${f.id}`} data-testid={`framework-link-${f.key}`}>
                    {frameworkName(f, lang)}
                  </Link>
                  {lang === 'zh' && f.name_en ? <span style={{ color: '#999', fontSize: 12 }}>{f.name_en}</span> : null}
                </Space>
              ),
            },
            { key: 'key', title: t('f.key'), dataIndex: 'key', sorter: true, sortOrder: so('key'), render: (k: string, f) => <Space><code>{k}</code>{f.builtin ? <Tag color="blue">{t('f.builtin')}</Tag> : null}</Space> },
            { key: 'version', title: t('f.version'), dataIndex: 'latest_version', sorter: true, sortOrder: so('version'), align: 'right', render: (v: number) => `v${v}` },
            { key: 'indicators', title: t('f.indicators'), dataIndex: 'indicators', sorter: true, sortOrder: so('indicators'), align: 'right' },
            { key: 'datasets', title: t('f.datasets'), dataIndex: 'datasets', sorter: true, sortOrder: so('datasets'), align: 'right', render: (n: number, f) => (n ? <Link to={`/indicators/datasets?framework=${f.id}`}>{n}</Link> : 0) },
            { key: 'runs', title: t('f.runs'), dataIndex: 'runs', sorter: true, sortOrder: so('runs'), align: 'right', render: (n: number, f) => (n ? <Link to={`/indicators/runs?framework=${f.id}`}>{n}</Link> : 0) },
            { key: 'updated', title: t('f.updatedAt'), dataIndex: 'updated_at', sorter: true, sortOrder: so('updated'), render: (d: string) => dateTime(d, lang) },
          ]}
        />
      )}
      {importing ? <ImportFramework onClose={() => setImporting(false)} /> : null}
      {creating ? <NewFramework onClose={() => setCreating(false)} /> : null}
    </div>
  );
}

/** Upload of a framework file; the new framework opens when it is stored. */
function ImportFramework({ onClose }: { onClose: () => void }) {
  const { t } = useI();
  const navigate = useNavigate();
  const refresh = useRefresh();
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [form] = Form.useForm<{ key?: string; name?: string; name_en?: string; label?: string; sheet?: string }>();
  const submit = async () => {
    if (!file) return;
    const v = form.getFieldsValue();
    setError(null);
    setProgress(0);
    try {
      const q = new URLSearchParams();
      for (const [k, x] of Object.entries(v)) if (typeof x === 'string' && x.trim()) q.set(k, x.trim());
      const d = await upload<FrameworkDetail>(`${BASE}/frameworks/import${q.size ? `?${q}` : ''}`, file, setProgress);
      message.success(t('frameworks.imported', { name: d.name, n: d.indicators }));
      await refresh();
      navigate(`/indicators/frameworks/${d.id}`);
    } catch (e) {
      setError(e);
    } finally {
      setProgress(null);
    }
  };
  return (
    <Modal
      open
      title={t('frameworks.import')}
      onCancel={onClose}
      destroyOnHidden
      width={640}
      okText={t('common:action.submit')}
      cancelText={t('common:action.cancel')}
      okButtonProps={{ disabled: !file, loading: progress !== null, 'data-testid': 'framework-import-submit' }}
      onOk={submit}
    >
      {error ? (
        <div style={{ marginBottom: 12 }}>
          <IssuesView error={error} />
        </div>
      ) : (
        <Alert type="info" showIcon title={t('frameworks.importHelp')} style={{ marginBottom: 12 }} />
      )}
      <FilePick file={file} onChange={setFile} accept=".csv,.xlsx,.yaml,.yml,.json" progress={progress} />
      <Form form={form} layout="vertical" style={{ marginTop: 12 }}>
        <Form.Item name="key" label={t('f.key')} extra={t('frameworks.keyHelp')} rules={[{ pattern: /^[a-z0-9][a-z0-9_.-]{0,63}$/, message: t('frameworks.keyHelp') }]}>
          <Input data-testid="framework-import-key" />
        </Form.Item>
        <Form.Item name="name" label={t('f.name')} extra={t('frameworks.nameHelp')}>
          <Input />
        </Form.Item>
        <Form.Item name="label" label={t('f.label')}>
          <Input />
        </Form.Item>
        <Form.Item name="sheet" label={t('frameworks.sheet')}>
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** A new framework from scratch: an index with one example indicator, edited afterwards. */
function NewFramework({ onClose }: { onClose: () => void }) {
  const { t } = useI();
  const navigate = useNavigate();
  const refresh = useRefresh();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [form] = Form.useForm<{ key: string; name: string; name_en?: string; description?: string }>();
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      const d = await api.post<FrameworkDetail>(`${BASE}/frameworks`, {
        key: v.key.trim(),
        name: v.name.trim(),
        ...(v.name_en?.trim() ? { name_en: v.name_en.trim() } : {}),
        ...(v.description?.trim() ? { description: v.description.trim() } : {}),
        nodes: [
          { code: 'INDEX', type: 'aggregate', name: v.name.trim(), name_en: v.name_en?.trim() || null },
          { code: 'I1', type: 'indicator', parent: 'INDEX', name: t('editor.newIndicator'), direction: 1, weight: 1 },
        ],
      });
      message.success(t('frameworks.created', { name: d.name }));
      await refresh();
      navigate(`/indicators/frameworks/${d.id}?tab=edit`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('frameworks.new')} onCancel={onClose} onOk={submit} confirmLoading={busy} destroyOnHidden okText={t('common:action.submit')} cancelText={t('common:action.cancel')}>
      <Alert type="info" showIcon title={t('frameworks.newHelp')} style={{ marginBottom: 12 }} />
      <Form form={form} layout="vertical">
        <Form.Item name="key" label={t('f.key')} extra={t('frameworks.keyHelp')} rules={[{ required: true, pattern: /^[a-z0-9][a-z0-9_.-]{0,63}$/, message: t('frameworks.keyHelp') }]}>
          <Input data-testid="framework-new-key" />
        </Form.Item>
        <Form.Item name="name" label={t('f.name')} rules={[{ required: true, whitespace: true, message: t('f.name') }]}>
          <Input data-testid="framework-new-name" />
        </Form.Item>
        <Form.Item name="name_en" label={t('f.nameEn')}>
          <Input />
        </Form.Item>
        <Form.Item name="description" label={t('f.description')}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
      <ErrorAlert error={error} />
    </Modal>
  );
}

/**
 * One indicator system: its tree (index → dimensions → indicators with direction, weight, unit
 * and source) at any version, the tree editor that saves a new version, the version history,
 * and the data sets and runs that rest on it. Tab and version live in the address.
 */
import { EditOutlined, PlayCircleOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Form, Input, Modal, Select, Space, Table, Tabs, Tag, Typography, message } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { api, upload } from '../../api.ts';
import { ErrorAlert, ErrorPage } from '../../components/ErrorView.tsx';
import { EmptyState, Loading } from '../../components/PageState.tsx';
import { BASE, bilingual, dateTime, fmt, frameworkName, nodeName, pct, useCanWrite, useDatasets, useFramework, useRefresh, useRuns, useVersions } from './data.ts';
import { FilePick, IssuesView, PageTitle, useI } from './shared.tsx';
import { TreeEditor } from './TreeEditor.tsx';
import { inTree, treeRows, type TreeRow } from './tree.ts';
import type { DatasetSummary, FrameworkDetail, RunSummary, Version } from './types.ts';

export default function FrameworkPage() {
  const { id = '' } = useParams();
  const { t, lang } = useI();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const canWrite = useCanWrite();
  const versionParam = Number(params.get('version') ?? '') || undefined;
  const tab = params.get('tab') ?? 'tree';
  const fw = useFramework(id, versionParam);
  const versions = useVersions(id);
  const [editingInfo, setEditingInfo] = useState(false);
  const [importingVersion, setImportingVersion] = useState(false);

  const set = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) (v ? next.set(k, v) : next.delete(k));
    setParams(next, { replace: true });
  };

  if (fw.isLoading) return <Loading />;
  if (fw.error || !fw.data) return <ErrorPage error={fw.error ?? { status: 404 }} retry={() => fw.refetch()} />;
  const f = fw.data;
  const v = f.version;
  const isLatest = v.version === f.latest_version;
  const tree = f.nodes.filter(inTree);

  return (
    <div className="page-card">
      <PageTitle
        zh={f.name}
        en={f.name_en || f.name}
        extra={
          <Space wrap>
            <Select<number>
              value={v.version}
              onChange={(x) => set({ version: x === f.latest_version ? undefined : String(x) })}
              options={(versions.data?.items ?? [{ version: v.version, label: v.label } as Version]).map((x) => ({
                value: x.version,
                label: `v${x.version}${x.label ? ` · ${x.label}` : ''}${x.version === f.latest_version ? ` (${t('framework.latest')})` : ''}`,
              }))}
              style={{ minWidth: 220 }}
              data-testid="version-select"
            />
            <Button icon={<PlayCircleOutlined />} onClick={() => navigate(`/indicators/runs/new?framework=${f.id}&version=${v.version}`)} data-testid="framework-run">
              {t('framework.runThis')}
            </Button>
            {canWrite ? (
              <>
                <Button icon={<EditOutlined />} onClick={() => setEditingInfo(true)}>
                  {t('framework.editInfo')}
                </Button>
                <Button icon={<UploadOutlined />} onClick={() => setImportingVersion(true)}>
                  {t('framework.importVersion')}
                </Button>
              </>
            ) : null}
          </Space>
        }
      />
      {!isLatest ? <Alert type="warning" showIcon title={t('framework.older', { v: v.version, latest: f.latest_version })} style={{ marginBottom: 12 }} /> : null}
      <Descriptions
        size="small"
        column={{ xs: 1, md: 3 }}
        style={{ marginBottom: 12 }}
        items={[
          { key: 'key', label: t('f.key'), children: <Space><code data-testid="framework-key">{f.key}</code>{f.builtin ? <Tag color="blue">{t('f.builtin')}</Tag> : null}</Space> },
          { key: 'v', label: t('f.version'), children: `v${v.version}${v.label ? ` · ${v.label}` : ''}` },
          { key: 'n', label: t('f.indicators'), children: <span data-testid="framework-indicators">{tree.filter((n) => n.type === 'indicator').length}</span> },
          { key: 'src', label: t('f.sourceFile'), children: v.source_file ? `${v.source_file} (${v.source_format})` : v.source_format },
          { key: 'by', label: t('f.createdBy'), children: `${v.created_by ?? '—'} · ${dateTime(v.created_at, lang)}` },
          { key: 'm', label: t('framework.defaults'), children: v.default_methods ? <code style={{ fontSize: 12 }}>{methodsSummary(v.default_methods)}</code> : t('framework.noDefaults') },
        ]}
      />
      {f.description ? (
        <Typography.Paragraph type="secondary" ellipsis={{ rows: 2, expandable: true }} style={{ whiteSpace: 'pre-line' }}>
          {f.description}
        </Typography.Paragraph>
      ) : null}
      <Tabs
        activeKey={tab}
        onChange={(k) => set({ tab: k === 'tree' ? undefined : k })}
        items={[
          { key: 'tree', label: t('framework.tree'), children: <TreeView f={f} /> },
          ...(canWrite
            ? [
                {
                  key: 'edit',
                  label: <span data-testid="tab-edit">{t('framework.edit')}</span>,
                  children: <TreeEditor key={`${f.id}-${v.version}`} framework={f} onSaved={() => set({ version: undefined, tab: undefined })} />,
                },
              ]
            : []),
          { key: 'versions', label: t('framework.versions'), children: <Versions items={versions.data?.items ?? []} loading={versions.isLoading} current={v.version} onView={(x) => set({ version: String(x), tab: undefined })} /> },
          { key: 'datasets', label: `${t('framework.datasets')} (${f.datasets})`, children: <FrameworkDatasets frameworkId={f.id} /> },
          { key: 'runs', label: `${t('framework.runs')} (${f.runs})`, children: <FrameworkRuns frameworkId={f.id} /> },
        ]}
      />
      {editingInfo ? <EditInfo f={f} onClose={() => setEditingInfo(false)} /> : null}
      {importingVersion ? <ImportVersion f={f} onClose={() => setImportingVersion(false)} onDone={() => set({ version: undefined })} /> : null}
    </div>
  );
}

/** The short form of a version's default methods: "normalise: goalposts · weights: meta". */
function methodsSummary(m: Record<string, unknown>): string {
  return Object.entries(m)
    .map(([k, x]) => `${k}: ${x && typeof x === 'object' && 'method' in x ? String((x as { method: unknown }).method) : JSON.stringify(x)}`)
    .join(' · ');
}

function TreeView({ f }: { f: FrameworkDetail }) {
  const { t, lang } = useI();
  // Codes are unique within a version, so they key the rows (and the expanded state) here.
  const rows = treeRows(f.nodes.map((n) => ({ ...n, uid: n.code })));
  const others = f.nodes.filter((n) => !inTree(n));
  const aggregates = f.nodes.filter((n) => n.type === 'aggregate').length;
  const [expanded, setExpanded] = useState<string[] | null>(null);
  const allKeys: string[] = [];
  const walk = (r: TreeRow) => {
    if (r.children) {
      allKeys.push(r.uid);
      r.children.forEach(walk);
    }
  };
  rows.forEach(walk);
  return (
    <>
      <Typography.Paragraph type="secondary">
        {t('framework.indicatorsCount', { n: f.indicators })} · {t('framework.aggregatesCount', { n: aggregates })} · {t('framework.weightNote')}
      </Typography.Paragraph>
      <Table<TreeRow>
        size="small"
        rowKey="uid"
        pagination={false}
        dataSource={rows}
        expandable={{ expandedRowKeys: expanded ?? allKeys, onExpandedRowsChange: (k) => setExpanded(k as string[]) }}
        scroll={{ x: 'max-content' }}
        data-testid="framework-tree"
        columns={[
          {
            key: 'name',
            title: t('f.name'),
            render: (_: unknown, n) => (
              <span data-testid={`node-${n.code}`} style={{ fontWeight: n.type === 'aggregate' ? 600 : 400 }}>
                {nodeName(n, lang)}
                {lang === 'zh' && n.name_en && n.name_en !== n.name ? <span style={{ color: '#999', marginLeft: 6, fontWeight: 400 }}>{n.name_en}</span> : null}
              </span>
            ),
          },
          { key: 'code', title: t('f.code'), dataIndex: 'code', render: (c: string) => <code>{c}</code> },
          { key: 'type', title: t('f.type'), render: (_: unknown, n) => <Tag color={n.type === 'indicator' ? 'default' : 'blue'}>{n.type === 'aggregate' ? `${t('type.aggregate')} · L${n.level ?? '?'}` : t('type.indicator')}</Tag> },
          {
            key: 'direction',
            title: t('f.direction'),
            align: 'center',
            render: (_: unknown, n) => (n.type === 'indicator' ? <Tag color={n.direction > 0 ? 'green' : 'volcano'}>{n.direction > 0 ? t('dir.pos') : t('dir.neg')}</Tag> : null),
          },
          { key: 'weight', title: t('f.weight'), align: 'right', render: (_: unknown, n) => (n.depth === 0 ? null : fmt(n.weight, lang, 4)) },
          { key: 'share', title: t('f.share'), align: 'right', render: (_: unknown, n) => (n.depth === 0 ? null : pct(n.share, lang)) },
          { key: 'unit', title: t('f.unit'), dataIndex: 'unit', render: (u: string | null) => u ?? '' },
          { key: 'target', title: t('f.target'), align: 'right', render: (_: unknown, n) => (n.target === null ? '' : fmt(n.target, lang, 4)) },
          { key: 'source', title: t('f.source'), dataIndex: 'source', ellipsis: true, render: (s: string | null) => s ?? '' },
        ]}
      />
      {others.length ? (
        <>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('framework.other')}
          </Typography.Title>
          <Space wrap>
            {others.map((n) => (
              <Tag key={n.code}>
                {t(`type.${n.type}`)}: <code>{n.code}</code> {n.name && n.name !== n.code ? n.name : ''}
              </Tag>
            ))}
          </Space>
        </>
      ) : null}
    </>
  );
}

function Versions({ items, loading, current, onView }: { items: Version[]; loading: boolean; current: number; onView: (v: number) => void }) {
  const { t, lang } = useI();
  return (
    <Table<Version>
      size="small"
      rowKey="id"
      loading={loading}
      dataSource={[...items].sort((a, b) => b.version - a.version)}
      pagination={false}
      data-testid="versions-table"
      columns={[
        { key: 'v', title: t('f.version'), render: (_: unknown, x) => (x.version === current ? <b>v{x.version}</b> : <a onClick={() => onView(x.version)}>v{x.version}</a>) },
        { key: 'label', title: t('f.label'), dataIndex: 'label', render: (s: string | null) => s ?? '' },
        { key: 'note', title: t('f.note'), dataIndex: 'note', render: (s: string | null) => s ?? '' },
        { key: 'src', title: t('f.sourceFile'), render: (_: unknown, x) => (x.source_file ? `${x.source_file} (${x.source_format})` : x.source_format) },
        { key: 'by', title: t('f.createdBy'), dataIndex: 'created_by' },
        { key: 'at', title: t('f.createdAt'), render: (_: unknown, x) => dateTime(x.created_at, lang) },
      ]}
    />
  );
}

function FrameworkDatasets({ frameworkId }: { frameworkId: number }) {
  const { t, lang } = useI();
  const canWrite = useCanWrite();
  const ds = useDatasets(frameworkId);
  if (ds.error) return <ErrorAlert error={ds.error} />;
  return (
    <>
      {canWrite ? (
        <div className="toolbar">
          <span className="spacer" />
          <Link to={`/indicators/datasets?framework=${frameworkId}&import=1`}>
            <Button icon={<UploadOutlined />}>{t('datasets.import')}</Button>
          </Link>
        </div>
      ) : null}
      <Table<DatasetSummary>
        size="small"
        rowKey="id"
        loading={ds.isLoading}
        dataSource={ds.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: <EmptyState hint={t('datasets.empty')} /> }}
        columns={[
          { key: 'name', title: t('f.name'), render: (_: unknown, d) => <Link to={`/indicators/datasets/${d.id}`}>{d.name}</Link> },
          { key: 'units', title: t('f.units'), dataIndex: 'units', align: 'right' },
          { key: 'cols', title: t('f.columns'), align: 'right', render: (_: unknown, d) => d.columns.length },
          { key: 'runs', title: t('f.runs'), dataIndex: 'runs', align: 'right' },
          { key: 'at', title: t('f.createdAt'), render: (_: unknown, d) => dateTime(d.created_at, lang) },
        ]}
      />
    </>
  );
}

function FrameworkRuns({ frameworkId }: { frameworkId: number }) {
  const { t, lang } = useI();
  const runs = useRuns({ framework: frameworkId });
  if (runs.error) return <ErrorAlert error={runs.error} />;
  return (
    <Table<RunSummary>
      size="small"
      rowKey="id"
      loading={runs.isLoading}
      dataSource={runs.data?.items ?? []}
      pagination={{ pageSize: 10 }}
      locale={{ emptyText: <EmptyState hint={t('runs.empty')} /> }}
      columns={[
        { key: 'id', title: '#', dataIndex: 'id', width: 60 },
        { key: 'label', title: t('f.label'), render: (_: unknown, r) => <Link to={`/indicators/runs/${r.id}`}>{bilingual(r.label, lang) || `#${r.id}`}</Link> },
        { key: 'v', title: t('f.version'), render: (_: unknown, r) => `v${r.version}` },
        { key: 'ds', title: t('f.dataset'), render: (_: unknown, r) => r.dataset.name },
        { key: 'units', title: t('f.units'), align: 'right', render: (_: unknown, r) => r.units_out },
        { key: 'at', title: t('f.createdAt'), render: (_: unknown, r) => dateTime(r.created_at, lang) },
      ]}
    />
  );
}

function EditInfo({ f, onClose }: { f: FrameworkDetail; onClose: () => void }) {
  const { t } = useI();
  const refresh = useRefresh();
  const [form] = Form.useForm<{ name: string; name_en?: string; description?: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      await api.patch(`${BASE}/frameworks/${f.id}`, { name: v.name.trim(), name_en: v.name_en?.trim() || null, description: v.description?.trim() || null });
      message.success(t('common:state.saved'));
      await refresh();
      onClose();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('framework.editInfo')} onCancel={onClose} onOk={submit} confirmLoading={busy} destroyOnHidden okText={t('common:action.save')} cancelText={t('common:action.cancel')}>
      <Form form={form} layout="vertical" initialValues={{ name: f.name, name_en: f.name_en ?? '', description: f.description ?? '' }}>
        <Form.Item name="name" label={t('f.name')} rules={[{ required: true, whitespace: true, message: t('f.name') }]}>
          <Input />
        </Form.Item>
        <Form.Item name="name_en" label={t('f.nameEn')}>
          <Input />
        </Form.Item>
        <Form.Item name="description" label={t('f.description')}>
          <Input.TextArea rows={5} />
        </Form.Item>
      </Form>
      <ErrorAlert error={error} />
    </Modal>
  );
}

function ImportVersion({ f, onClose, onDone }: { f: FrameworkDetail; onClose: () => void; onDone: () => void }) {
  const { t, lang } = useI();
  const refresh = useRefresh();
  const [file, setFile] = useState<File | null>(null);
  const [label, setLabel] = useState('');
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const submit = async () => {
    if (!file) return;
    setError(null);
    setProgress(0);
    try {
      const d = await upload<FrameworkDetail>(`${BASE}/frameworks/${f.id}/versions/import${label.trim() ? `?label=${encodeURIComponent(label.trim())}` : ''}`, file, setProgress);
      message.success(t('editor.saved', { v: d.version.version }));
      await refresh();
      onDone();
      onClose();
    } catch (e) {
      setError(e);
    } finally {
      setProgress(null);
    }
  };
  return (
    <Modal
      open
      title={`${frameworkName(f, lang)} · ${t('framework.importVersion')}`}
      onCancel={onClose}
      onOk={submit}
      okButtonProps={{ disabled: !file, loading: progress !== null }}
      destroyOnHidden
      width={600}
      okText={t('common:action.submit')}
      cancelText={t('common:action.cancel')}
    >
      <Alert type="info" showIcon title={t('frameworks.importHelp')} style={{ marginBottom: 12 }} />
      <FilePick file={file} onChange={setFile} accept=".csv,.xlsx,.yaml,.yml,.json" progress={progress} />
      <Input style={{ marginTop: 12 }} placeholder={t('editor.label')} value={label} onChange={(e) => setLabel(e.target.value)} />
      {error ? <div style={{ marginTop: 12 }}><IssuesView error={error} /></div> : null}
    </Modal>
  );
}

/**
 * Evaluation data sets: which indicator system each belongs to, units, columns, groups, runs;
 * filtered by system and text, sorted and paged with the state in the address, exported as
 * CSV; and the import of a COINr iData file (CSV/XLSX), whose refusals are listed by row and
 * column with their codes.
 */
import { DeleteOutlined, DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, message } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api, upload } from '../../api.ts';
import { ErrorAlert, ErrorPage } from '../../components/ErrorView.tsx';
import { EmptyState, Loading } from '../../components/PageState.tsx';
import { BASE, compareCells, dateTime, frameworkName, matches, saveCsv, useCanWrite, useDatasets, useFrameworks, useIsAdmin, useListState, useRefresh } from './data.ts';
import { FilePick, IssuesView, PageTitle, useI } from './shared.tsx';
import type { DatasetDetail, DatasetSummary, FrameworkSummary } from './types.ts';

export default function DatasetList() {
  const { t, lang } = useI();
  const canWrite = useCanWrite();
  const isAdmin = useIsAdmin();
  const refresh = useRefresh();
  const s = useListState({ sort: 'created', order: 'desc' });
  const framework = Number(s.params.get('framework') ?? '') || undefined;
  const [importing, setImporting] = useState(s.params.get('import') === '1');
  const [delError, setDelError] = useState<unknown>(null);
  const list = useDatasets(framework);
  const frameworks = useFrameworks();
  const fwById = new Map((frameworks.data?.items ?? []).map((f) => [f.id, f]));

  const fwName = (id: number) => frameworkName(fwById.get(id), lang) || `#${id}`;
  const key = (d: DatasetSummary): unknown =>
    s.sort === 'name' ? d.name : s.sort === 'framework' ? fwName(d.framework_id) : s.sort === 'units' ? d.units : s.sort === 'columns' ? d.columns.length : s.sort === 'runs' ? d.runs : d.created_at;
  const rows = (list.data?.items ?? []).filter((d) => matches(s.q, d.name, d.description, d.source_file, fwName(d.framework_id))).sort((a, b) => (s.order === 'desc' ? -1 : 1) * compareCells(key(a), key(b)));
  const so = (k: string) => (s.sort === k ? (s.order === 'desc' ? ('descend' as const) : ('ascend' as const)) : null);

  const exportCsv = () =>
    saveCsv(
      lang === 'en' ? 'evaluation-data-sets.csv' : '评价数据集.csv',
      [t('f.name'), t('f.framework'), t('f.units'), t('f.columns'), t('f.groups'), t('f.panel'), t('f.runs'), t('f.sourceFile'), t('f.createdBy'), t('f.createdAt')],
      rows.map((d) => [d.name, fwName(d.framework_id), d.units, d.columns.length, d.group_columns.join(' '), d.panel ? t('common.yes') : t('common.no'), d.runs, d.source_file ?? '', d.created_by ?? '', d.created_at]),
    );

  const remove = async (d: DatasetSummary) => {
    setDelError(null);
    try {
      await api.del(`${BASE}/datasets/${d.id}`);
      message.success(t('common.deleted'));
      await refresh();
    } catch (e) {
      setDelError(e);
    }
  };

  return (
    <div className="page-card">
      <PageTitle zh="评价数据集" en="Evaluation data sets" />
      <Alert type="info" showIcon title={t('datasets.help')} style={{ marginBottom: 12 }} />
      {!canWrite ? <Alert type="warning" showIcon title={t('common.readOnly')} style={{ marginBottom: 12 }} /> : null}
      <div className="toolbar">
        <Select<number>
          allowClear
          placeholder={t('f.framework')}
          value={framework}
          onChange={(v) => s.set({ framework: v ? String(v) : undefined })}
          options={(frameworks.data?.items ?? []).map((f) => ({ value: f.id, label: frameworkName(f, lang) }))}
          style={{ width: 320 }}
          data-testid="datasets-framework"
        />
        <Input.Search allowClear defaultValue={s.q} placeholder={t('common.search')} onSearch={(v) => s.set({ q: v.trim() || undefined })} style={{ width: 260 }} />
        <span className="spacer" />
        <Button icon={<DownloadOutlined />} onClick={exportCsv} disabled={!rows.length}>
          {t('common.exportCsv')}
        </Button>
        {canWrite ? (
          <Button type="primary" icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="dataset-import">
            {t('datasets.import')}
          </Button>
        ) : null}
      </div>
      {delError ? <ErrorAlert error={delError} /> : null}
      {list.error ? (
        <ErrorPage error={list.error} retry={() => list.refetch()} />
      ) : (
        <Table<DatasetSummary>
          rowKey="id"
          size="middle"
          loading={list.isFetching}
          dataSource={rows}
          data-testid="datasets-table"
          locale={{ emptyText: list.isLoading ? <Loading /> : <EmptyState hint={t('datasets.empty')} /> }}
          onChange={(p, _f, sorter) => {
            const x = Array.isArray(sorter) ? sorter[0] : sorter;
            s.set({ sort: x?.order ? String(x.columnKey) : undefined, order: x?.order === 'descend' ? 'desc' : x?.order ? 'asc' : undefined, page: String(p.current ?? 1), pageSize: String(p.pageSize ?? 20) }, false);
          }}
          pagination={{ current: s.page, pageSize: s.pageSize, showSizeChanger: true, showTotal: (n) => t('common:state.total', { total: n }) }}
          columns={[
            { key: 'name', title: t('f.name'), sorter: true, sortOrder: so('name'), render: (_: unknown, d) => <Link to={`/indicators/datasets/${d.id}`}>{d.name}</Link> },
            { key: 'framework', title: t('f.framework'), sorter: true, sortOrder: so('framework'), render: (_: unknown, d) => <Link to={`/indicators/frameworks/${d.framework_id}`}>{fwName(d.framework_id)}</Link> },
            { key: 'units', title: t('f.units'), dataIndex: 'units', sorter: true, sortOrder: so('units'), align: 'right' },
            { key: 'columns', title: t('f.columns'), sorter: true, sortOrder: so('columns'), align: 'right', render: (_: unknown, d) => d.columns.length },
            { key: 'groups', title: t('f.groups'), render: (_: unknown, d) => <Space size={2} wrap>{d.group_columns.map((g) => <Tag key={g}>{g}</Tag>)}</Space> },
            { key: 'panel', title: t('f.panel'), render: (_: unknown, d) => (d.panel ? t('common.yes') : t('common.no')) },
            { key: 'runs', title: t('f.runs'), dataIndex: 'runs', sorter: true, sortOrder: so('runs'), align: 'right', render: (n: number, d) => (n ? <Link to={`/indicators/runs?dataset=${d.id}`}>{n}</Link> : 0) },
            { key: 'source', title: t('f.sourceFile'), dataIndex: 'source_file', ellipsis: true, render: (x: string | null) => x ?? '' },
            { key: 'created', title: t('f.createdAt'), sorter: true, sortOrder: so('created'), render: (_: unknown, d) => dateTime(d.created_at, lang) },
            ...(isAdmin
              ? [
                  {
                    key: 'actions',
                    title: t('f.actions'),
                    render: (_: unknown, d: DatasetSummary) => (
                      <Popconfirm title={t('common.confirmDelete')} onConfirm={() => remove(d)} okText={t('common.delete')} cancelText={t('common:action.cancel')}>
                        <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                      </Popconfirm>
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
      {importing ? <ImportDataset frameworks={frameworks.data?.items ?? []} initialFramework={framework} onClose={() => { setImporting(false); s.set({ import: undefined }, false); }} /> : null}
    </div>
  );
}

function ImportDataset({ frameworks, initialFramework, onClose }: { frameworks: FrameworkSummary[]; initialFramework?: number; onClose: () => void }) {
  const { t, lang } = useI();
  const navigate = useNavigate();
  const refresh = useRefresh();
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [form] = Form.useForm<{ framework: number; name?: string; description?: string; sheet?: string }>();
  const submit = async () => {
    const v = await form.validateFields();
    if (!file) return;
    setError(null);
    setProgress(0);
    try {
      const q = new URLSearchParams({ framework: String(v.framework) });
      if (v.name?.trim()) q.set('name', v.name.trim());
      if (v.description?.trim()) q.set('description', v.description.trim());
      if (v.sheet?.trim()) q.set('sheet', v.sheet.trim());
      const d = await upload<DatasetDetail>(`${BASE}/datasets/import?${q}`, file, setProgress);
      message.success(t('datasets.imported', { name: d.name, units: d.units, columns: d.columns.length }));
      if (d.ignored_columns?.length) message.warning(t('datasets.ignored', { cols: d.ignored_columns.join(lang === 'en' ? ', ' : '、') }), 8);
      await refresh();
      navigate(`/indicators/datasets/${d.id}`, { state: { ignored: d.ignored_columns ?? [] } });
    } catch (e) {
      setError(e);
    } finally {
      setProgress(null);
    }
  };
  return (
    <Modal
      open
      width={720}
      title={t('datasets.import')}
      onCancel={onClose}
      onOk={submit}
      okText={t('common:action.submit')}
      cancelText={t('common:action.cancel')}
      okButtonProps={{ disabled: !file, loading: progress !== null, 'data-testid': 'dataset-import-submit' }}
      destroyOnHidden
    >
      {error ? (
        <div style={{ marginBottom: 12 }}>
          <IssuesView error={error} title={t('datasets.failed')} />
        </div>
      ) : (
        <Alert type="info" showIcon title={t('datasets.importHelp')} style={{ marginBottom: 12 }} />
      )}
      <Form form={form} layout="vertical" initialValues={{ framework: initialFramework }}>
        <Form.Item name="framework" label={t('f.framework')} rules={[{ required: true, message: t('datasets.chooseFramework') }]}>
          <Select options={frameworks.map((f) => ({ value: f.id, label: frameworkName(f, lang) }))} data-testid="dataset-import-framework" showSearch optionFilterProp="label" />
        </Form.Item>
        <FilePick file={file} onChange={setFile} accept=".csv,.xlsx,.json" progress={progress} />
        <Form.Item name="name" label={t('datasets.name')} style={{ marginTop: 12 }}>
          <Input data-testid="dataset-import-name" />
        </Form.Item>
        <Form.Item name="description" label={t('f.description')}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Form.Item name="sheet" label={t('frameworks.sheet')}>
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  );
}

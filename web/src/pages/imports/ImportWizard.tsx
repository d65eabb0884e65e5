/**
 * The import wizard: choose what the file holds and upload it; see the detected mapping
 * (columns, unpivoted years, total rows) and every row's problems from a dry run; correct the
 * mapping and look again; then import everything, import only the valid rows, or cancel.
 * Nothing is written until the last step, and a failed import writes nothing at all.
 */
import { InboxOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Form, Input, Progress, Result, Select, Space, Statistic, Steps, Table, Tag, Upload } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { upload } from '../../api.ts';
import { useUser } from '../../auth.tsx';
import { ErrorAlert } from '../../components/ErrorView.tsx';
import { useLang } from '../../i18n.ts';
import { useRegistries } from '../registry/meta.ts';
import { IssuesTable } from './IssuesTable.tsx';
import { IMPORT_KINDS, type ImportResult } from './kinds.ts';

interface Options {
  kind: string;
  region?: string;
  unit?: string;
  sheet?: string;
}

function useElapsed(running: boolean): number {
  const [s, setS] = useState(0);
  const start = useRef(0);
  useEffect(() => {
    if (!running) return;
    start.current = Date.now();
    setS(0);
    const t = setInterval(() => setS(Math.round((Date.now() - start.current) / 1000)), 500);
    return () => clearInterval(t);
  }, [running]);
  return s;
}

export default function ImportWizard() {
  const { t, lang } = useLang();
  const user = useUser();
  const qc = useQueryClient();
  const registries = useRegistries();
  const [step, setStep] = useState(0);
  const [file, setFile] = useState<File | null>(null);
  const [opts, setOpts] = useState<Options>({ kind: 'funding', region: user.region_name ?? undefined });
  const [map, setMap] = useState<Record<string, string>>({});
  const [preview, setPreview] = useState<ImportResult | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'preview' | 'import' | null>(null);
  const [uploaded, setUploaded] = useState(0);
  const elapsed = useElapsed(busy !== null);

  const send = async (dryRun: boolean, keepValid: boolean) => {
    if (!file) return null;
    const mapParam = Object.entries(map)
      .map(([a, b]) => `${a}=${b}`)
      .join(',');
    const q = new URLSearchParams({ kind: opts.kind, dryRun: String(dryRun), keepValid: String(keepValid) });
    if (opts.region) q.set('region', opts.region);
    if (opts.unit) q.set('unit', opts.unit);
    if (opts.sheet) q.set('sheet', opts.sheet);
    if (mapParam) q.set('map', mapParam);
    setUploaded(0);
    return upload<ImportResult>(`/api/imports?${q}`, file, setUploaded);
  };

  const runPreview = async () => {
    setBusy('preview');
    setError(null);
    try {
      const r = await send(true, false);
      setPreview(r);
      setStep(1);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const runImport = async (keepValid: boolean) => {
    setBusy('import');
    setError(null);
    try {
      const r = await send(false, keepValid);
      setResult(r);
      setStep(2);
      void qc.invalidateQueries();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const reset = () => {
    setStep(0);
    setFile(null);
    setPreview(null);
    setResult(null);
    setMap({});
    setError(null);
  };

  const kindLabel = (k: string) => {
    const x = IMPORT_KINDS.find((i) => i.value === k);
    return x ? (lang === 'en' ? x.en : x.zh) : k;
  };
  const fieldsOfKind = registries.data?.registries.find((r) => r.kind === opts.kind)?.fields ?? [];
  const fieldLabel = (name: string | null) => {
    if (!name) return lang === 'en' ? '(ignored)' : '（不导入）';
    const f = fieldsOfKind.find((x) => x.name === name);
    return f ? `${lang === 'en' ? f.en : f.zh} (${name})` : name;
  };
  const errors = preview?.issues.filter((i) => i.severity === 'error').length ?? 0;
  const warnings = (preview?.issues.length ?? 0) - errors;

  const busyBox = busy ? (
    <Card size="small" style={{ marginTop: 16 }} data-testid="import-progress">
      <div>{uploaded < 1 ? (lang === 'en' ? 'Uploading…' : '正在上传…') : busy === 'preview' ? (lang === 'en' ? 'Checking every row…' : '正在逐行检查…') : lang === 'en' ? 'Importing…' : '正在导入…'}</div>
      <Progress percent={Math.round(uploaded * 100)} status="active" />
      <div style={{ color: '#888' }}>{lang === 'en' ? `${elapsed} s elapsed` : `已用 ${elapsed} 秒`}</div>
    </Card>
  ) : null;

  return (
    <div className="page-card">
      <h2 className="page-title">
        {lang === 'en' ? 'Import wizard' : '导入向导'}
        <span className="en">{lang === 'en' ? '导入向导' : 'Import wizard'}</span>
      </h2>
      <Steps
        current={step}
        style={{ marginBottom: 24 }}
        items={[
          { title: lang === 'en' ? 'Upload' : '上传文件' },
          { title: lang === 'en' ? 'Check mapping and rows' : '核对映射与问题' },
          { title: lang === 'en' ? 'Done' : '完成' },
        ]}
      />
      {step === 0 && (
        <Form layout="vertical" style={{ maxWidth: 640 }}>
          <Form.Item label={lang === 'en' ? 'The file holds' : '文件内容'} required>
            <Select value={opts.kind} onChange={(kind) => setOpts({ ...opts, kind })} options={IMPORT_KINDS.map((k) => ({ value: k.value, label: lang === 'en' ? k.en : k.zh }))} data-testid="import-kind" />
          </Form.Item>
          <Form.Item label={lang === 'en' ? 'Region the table is about (resolves district names)' : '表格所属地区（用于识别区县名称）'}>
            <Input value={opts.region} onChange={(e) => setOpts({ ...opts, region: e.target.value || undefined })} placeholder="常州" data-testid="import-region" />
          </Form.Item>
          <Space>
            <Form.Item label={lang === 'en' ? 'Amount unit (if the file does not say)' : '金额单位（文件未注明时）'}>
              <Select allowClear style={{ width: 160 }} value={opts.unit} onChange={(unit) => setOpts({ ...opts, unit })} options={['元', '万元', '亿元'].map((u) => ({ value: u, label: u }))} />
            </Form.Item>
            <Form.Item label={lang === 'en' ? 'Sheet (XLSX; name or number)' : '工作表（XLSX，名称或序号）'}>
              <Input style={{ width: 200 }} value={opts.sheet} onChange={(e) => setOpts({ ...opts, sheet: e.target.value || undefined })} />
            </Form.Item>
          </Space>
          <Form.Item label={lang === 'en' ? 'File (CSV or XLSX)' : '文件（CSV 或 XLSX）'} required>
            <Upload.Dragger
              accept=".csv,.xlsx,.xls,.txt"
              maxCount={1}
              beforeUpload={(f) => {
                setFile(f);
                return false;
              }}
              onRemove={() => setFile(null)}
              fileList={file ? [{ uid: '1', name: file.name, size: file.size, status: 'done' }] : []}
              data-testid="import-file"
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p>{lang === 'en' ? 'Click or drop a file here' : '点击或拖入文件'}</p>
              <p style={{ color: '#999' }}>{lang === 'en' ? 'Encodings (UTF-8, GBK), merged headers, year columns and total rows are detected.' : '自动识别编码（UTF-8、GBK）、合并表头、年份列和合计行。'}</p>
            </Upload.Dragger>
          </Form.Item>
          {error ? <ErrorAlert error={error} /> : null}
          <Button type="primary" disabled={!file || busy !== null} loading={busy === 'preview'} onClick={runPreview} style={{ marginTop: 16 }} data-testid="import-check">
            {lang === 'en' ? 'Check the file' : '检查文件'}
          </Button>
          {busyBox}
        </Form>
      )}

      {step === 1 && preview && (
        <div>
          <Space size="large" style={{ marginBottom: 16 }} wrap>
            <Statistic title={lang === 'en' ? 'Rows read' : '读取行数'} value={preview.rows.read} />
            <Statistic title={lang === 'en' ? 'Valid rows' : '有效行数'} value={preview.rows.imported} valueStyle={{ color: '#3f8600' }} />
            <Statistic title={lang === 'en' ? 'Rows with errors' : '有错误的行'} value={preview.rows.rejected} valueStyle={{ color: preview.rows.rejected ? '#cf1322' : undefined }} />
            <Statistic title={lang === 'en' ? 'Warnings' : '提醒'} value={warnings} valueStyle={{ color: warnings ? '#d48806' : undefined }} />
            {preview.changes ? (
              <Statistic
                title={lang === 'en' ? 'New / changed / unchanged' : '新增 / 变更 / 未变'}
                value={`${preview.changes.inserted} / ${preview.changes.updated} / ${preview.changes.unchanged}`}
              />
            ) : null}
          </Space>
          {warnings > 0 && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 16 }}
              data-testid="import-warnings"
              message={lang === 'en' ? `${warnings} warnings: the rows can be imported, but look at them` : `${warnings} 条提醒：这些行可以导入，但请核对`}
              description={preview.issues
                .filter((i) => i.severity === 'warning')
                .slice(0, 3)
                .map((i) => (
                  <div key={`${i.row}-${i.code}-${i.column}`}>
                    {lang === 'en' ? `Row ${i.row}: ${i.message_en}` : `第 ${i.row} 行：${i.message}`} <code>{i.code}</code>
                  </div>
                ))}
            />
          )}
          {preview.mapping ? (
            <Card size="small" title={lang === 'en' ? 'Detected mapping (change a field to correct it)' : '识别到的列映射（可修改字段进行更正）'} style={{ marginBottom: 16 }} data-testid="import-mapping">
              <Descriptions size="small" column={3} style={{ marginBottom: 8 }}>
                <Descriptions.Item label={lang === 'en' ? 'Format' : '格式'}>{[preview.mapping.format, preview.mapping.encoding].filter(Boolean).join(' · ')}</Descriptions.Item>
                <Descriptions.Item label={lang === 'en' ? 'Year columns unpivoted' : '展开的年份列'}>
                  <span data-testid="unpivoted-years">{preview.mapping.unpivoted_years.join(', ') || '—'}</span>
                </Descriptions.Item>
                <Descriptions.Item label={lang === 'en' ? 'Total rows / columns (checked, not imported)' : '合计行 / 合计列（核对，不导入）'}>
                  <span data-testid="total-rows">
                    {[...preview.mapping.total_rows.map((r) => (lang === 'en' ? `row ${r}` : `第 ${r} 行`)), ...preview.mapping.total_columns].join('，') || '—'}
                  </span>
                </Descriptions.Item>
              </Descriptions>
              <Table
                size="small"
                pagination={false}
                rowKey="column"
                dataSource={preview.mapping.columns}
                columns={[
                  { title: lang === 'en' ? 'Column in the file' : '文件中的列', dataIndex: 'column' },
                  {
                    title: lang === 'en' ? 'Imported as' : '导入为',
                    key: 'field',
                    render: (_: unknown, c: { column: string; field: string | null; year?: number }) =>
                      c.year !== undefined ? (
                        <span>
                          {fieldLabel(c.field)} <Tag>{c.year}</Tag>
                        </span>
                      ) : fieldsOfKind.length > 0 ? (
                        <Select
                          style={{ width: 280 }}
                          allowClear
                          value={map[c.column] ?? c.field ?? undefined}
                          placeholder={fieldLabel(null)}
                          onChange={(v) => setMap({ ...map, [c.column]: v ?? '' })}
                          options={fieldsOfKind.filter((f) => !f.readOnly).map((f) => ({ value: f.name, label: fieldLabel(f.name) }))}
                          data-testid={`map-${c.column}`}
                        />
                      ) : (
                        fieldLabel(c.field)
                      ),
                  },
                ]}
              />
              {Object.keys(map).length > 0 && (
                <Button style={{ marginTop: 8 }} onClick={runPreview} loading={busy === 'preview'} data-testid="import-recheck">
                  {lang === 'en' ? 'Check again with this mapping' : '按此映射重新检查'}
                </Button>
              )}
            </Card>
          ) : null}
          <IssuesTable issues={preview.issues} />
          {preview.issue_count !== undefined && preview.issue_count > preview.issues.length ? (
            <Alert type="info" showIcon message={lang === 'en' ? `Showing the first ${preview.issues.length} of ${preview.issue_count} problems` : `仅显示前 ${preview.issues.length} 条，共 ${preview.issue_count} 条`} />
          ) : null}
          {error ? <ErrorAlert error={error} /> : null}
          <Space style={{ marginTop: 16 }}>
            <Button type="primary" disabled={errors > 0 || busy !== null} loading={busy === 'import'} onClick={() => runImport(false)} data-testid="import-all">
              {lang === 'en' ? `Import all ${preview.rows.read} rows` : `全部导入（${preview.rows.read} 行）`}
            </Button>
            {preview.rows.rejected > 0 && (
              <Button disabled={busy !== null || preview.rows.imported === 0} onClick={() => runImport(true)} data-testid="import-valid">
                {lang === 'en' ? `Import the ${preview.rows.imported} valid rows` : `仅导入有效行（${preview.rows.imported} 行）`}
              </Button>
            )}
            <Button onClick={reset} disabled={busy !== null} data-testid="import-cancel">
              {t('action.cancel')}
            </Button>
          </Space>
          {busyBox}
        </div>
      )}

      {step === 2 && result && (
        <Result
          status={result.ok ? 'success' : 'warning'}
          title={<span data-testid="import-done">{lang === 'en' ? `Imported ${result.rows.imported} rows as ${kindLabel(result.kind)}` : `已导入 ${result.rows.imported} 行（${kindLabel(result.kind)}）`}</span>}
          subTitle={
            <>
              {result.changes ? (lang === 'en' ? `${result.changes.inserted} new, ${result.changes.updated} changed, ${result.changes.unchanged} unchanged. ` : `新增 ${result.changes.inserted}，变更 ${result.changes.updated}，未变 ${result.changes.unchanged}。`) : null}
              {result.rows.rejected ? (lang === 'en' ? `${result.rows.rejected} rows left out.` : `${result.rows.rejected} 行未导入。`) : null}
            </>
          }
          extra={
            <Space>
              {result.import_id ? (
                <Link to={`/imports/${result.import_id}`}>
                  <Button type="primary">{lang === 'en' ? `Import #${result.import_id} (undo there)` : `查看导入 #${result.import_id}（可撤销）`}</Button>
                </Link>
              ) : null}
              <Button onClick={reset}>{lang === 'en' ? 'Import another file' : '继续导入'}</Button>
            </Space>
          }
        >
          {result.issues.length > 0 ? <IssuesTable issues={result.issues} /> : null}
        </Result>
      )}
    </div>
  );
}

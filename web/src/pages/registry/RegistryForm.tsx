/**
 * Create and edit forms for any registry, drawn from its description. The browser checks
 * what it can (required, ranges, lengths) with the same words; the server's coded answer is
 * then shown on the fields it names, so the form and the API never disagree.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, InputNumber, Select, Space, Switch } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, ApiError } from '../../api.ts';
import { hasRole, useUser } from '../../auth.tsx';
import { ErrorAlert, ErrorPage } from '../../components/ErrorView.tsx';
import { Loading } from '../../components/PageState.tsx';
import { DateInput } from '../../components/DateInput.tsx';
import { CountrySelect, RecordSelect, RegionSelect } from '../../components/RefSelect.tsx';
import { useLang } from '../../i18n.ts';
import { label, REGISTRY_WRITERS, useRegistry, type FieldMeta, type Row } from './meta.ts';

/** What Form.Item hands to its child: the field's value, its change handler and the id its label points at. */
interface Control {
  id?: string;
  value?: unknown;
  checked?: boolean;
  onChange?: (value: unknown) => void;
}

/**
 * One field's input. Form.Item injects `id`, `value` (or `checked`) and `onChange` into its
 * direct child; this wrapper must pass them on to the input it draws, or the form keeps nothing.
 */
function FieldInput({ f, ...control }: { f: FieldMeta } & Control) {
  const { lang } = useLang();
  const testid = `field-${f.name}`;
  const { id, onChange } = control;
  const value = control.value as never;
  switch (f.type) {
    case 'longtext':
      return <Input.TextArea id={id} value={value} onChange={onChange} rows={4} maxLength={f.max} data-testid={testid} />;
    case 'int':
    case 'number':
      return <InputNumber id={id} value={value} onChange={onChange} style={{ width: 220 }} precision={f.type === 'int' ? 0 : undefined} data-testid={testid} />;
    case 'bool':
      return <Switch id={id} checked={control.checked ?? false} onChange={onChange} data-testid={testid} />;
    case 'date':
      return <DateInput id={id} value={value} onChange={onChange} style={{ width: 220 }} data-testid={testid} />;
    case 'enum':
      return <Select id={id} value={value} onChange={onChange} allowClear style={{ width: 260 }} options={(f.values ?? []).map((v) => ({ value: v.value, label: label(v, lang) }))} data-testid={testid} />;
    case 'iso3':
      return <CountrySelect id={id} value={value} onChange={onChange} style={{ width: 260 }} data-testid={testid} />;
    case 'ref':
      if (f.ref === 'admin_regions') return <RegionSelect id={id} value={value} onChange={onChange} style={{ width: 260 }} data-testid={testid} />;
      return <RecordSelect id={id} value={value} onChange={onChange} kind={f.ref as 'organizations' | 'projects'} style={{ width: 360 }} data-testid={testid} />;
    default:
      return <Input id={id} value={value} onChange={onChange} maxLength={f.max} data-testid={testid} />;
  }
}

export default function RegistryForm() {
  const { kind, id } = useParams();
  const editing = id !== undefined;
  const { t, lang } = useLang();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>(null);
  const user = useUser();
  const mayWrite = hasRole(user, REGISTRY_WRITERS);
  const { meta, isLoading } = useRegistry(kind);
  const rec = useQuery({ queryKey: [kind, Number(id)], queryFn: () => api.get<Row>(`/api/${kind}/${id}`), enabled: editing && !!meta && mayWrite });

  useEffect(() => {
    if (rec.data && meta) form.setFieldsValue(Object.fromEntries(meta.fields.map((f) => [f.name, rec.data[f.name] ?? undefined])));
  }, [rec.data, meta, form]);

  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) => (editing ? api.patch<Row>(`/api/${kind}/${id}`, body) : api.post<Row>(`/api/${kind}`, body)),
    onSuccess: (row) => {
      void message.success(t('state.saved'));
      void qc.invalidateQueries({ queryKey: [kind] });
      navigate(`/registries/${kind}/${row.id}`);
    },
    onError: (e) => {
      setError(e);
      if (e instanceof ApiError && meta) {
        const byField = new Map<string, string[]>();
        for (const d of e.details) {
          const name = d.field ?? (d.column && meta.fields.some((f) => f.name === d.column) ? d.column : undefined);
          if (!name) continue;
          byField.set(name, [...(byField.get(name) ?? []), (lang === 'en' ? d.message_en : d.message) ?? d.code ?? '']);
        }
        form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
      }
    },
  });

  // A role that may not write registries gets the refusal the API would give, not a form it cannot save.
  if (!mayWrite) return <ErrorPage error={{ status: 403 }} />;
  if (isLoading || rec.isLoading) return <Loading />;
  if (!meta) return <ErrorPage error={{ status: 404 }} />;
  if (rec.error) return <ErrorPage error={rec.error} />;
  const entity = lang === 'en' ? meta.en : meta.zh.replace(/库$/, '');
  const fields = meta.fields.filter((f) => !f.readOnly);

  const onFinish = (values: Record<string, unknown>) => {
    setError(null);
    const body: Record<string, unknown> = {};
    for (const f of fields) {
      const v = values[f.name];
      if (editing) {
        const before = rec.data?.[f.name] ?? null;
        const after = v === undefined || v === '' ? null : v;
        if (after !== before) body[f.name] = after;
      } else if (v !== undefined && v !== null && v !== '') body[f.name] = v;
    }
    save.mutate(body);
  };

  return (
    <Card title={<span data-testid="form-title">{editing ? t('registry.editTitle', { entity }) : t('registry.newTitle', { entity })}</span>} extra={<Link to={editing ? `/registries/${kind}/${id}` : `/registries/${kind}`}>{t('action.back')}</Link>}>
      <Form form={form} layout="horizontal" labelCol={{ span: 6 }} wrapperCol={{ span: 14 }} onFinish={onFinish} initialValues={Object.fromEntries(fields.filter((f) => f.type === 'bool').map((f) => [f.name, f.required ? false : undefined]))}>
        {fields.map((f) => (
          <Form.Item
            key={f.name}
            name={f.name}
            label={label(f, lang)}
            valuePropName={f.type === 'bool' ? 'checked' : 'value'}
            rules={[
              ...(f.required && f.type !== 'bool' ? [{ required: true, message: lang === 'en' ? `${f.en} is required` : `请填写${f.zh}` }] : []),
              ...(f.type === 'text' && f.max ? [{ max: f.max, message: lang === 'en' ? `At most ${f.max} characters` : `最多 ${f.max} 个字符` }] : []),
              ...((f.type === 'int' || f.type === 'number') && (f.min !== undefined || f.max !== undefined)
                ? [{ type: 'number' as const, min: f.min, max: f.max, message: lang === 'en' ? `Between ${f.min ?? '−∞'} and ${f.max ?? '∞'}` : `应在 ${f.min ?? '−∞'} 与 ${f.max ?? '∞'} 之间` }]
                : []),
            ]}
          >
            <FieldInput f={f} />
          </Form.Item>
        ))}
        {error ? (
          <Form.Item wrapperCol={{ offset: 6, span: 14 }}>
            <ErrorAlert error={error} fieldLabel={(name) => { const f = meta.fields.find((x) => x.name === name); return f ? label(f, lang) : undefined; }} />
          </Form.Item>
        ) : null}
        <Form.Item wrapperCol={{ offset: 6, span: 14 }}>
          <Space>
            <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="save">
              {t('action.save')}
            </Button>
            <Button onClick={() => navigate(-1)}>{t('action.cancel')}</Button>
          </Space>
        </Form.Item>
      </Form>
    </Card>
  );
}

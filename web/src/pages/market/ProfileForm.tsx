/**
 * Create or edit a demand or an offer (/market/profiles/new?kind=demand|offer,
 * /market/profiles/:id/edit). Organisation users write their own organisation's profiles;
 * officers may also name the organisation and region. The browser checks what it can with
 * the same words; the server's coded answer is shown on the field it names. "Save and submit"
 * saves the draft and sends it for review in one go.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, InputNumber, Radio, Select, Space } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { api, ApiError } from '../../api.ts';
import { useUser } from '../../auth.tsx';
import { ErrorAlert, ErrorPage } from '../../components/ErrorView.tsx';
import { Loading } from '../../components/PageState.tsx';
import { CountrySelect, RecordSelect, RegionSelect } from '../../components/RefSelect.tsx';
import { canPost, canWrite, isOfficer, useLabels, useM, type Profile, type ProfileKind } from './shared.tsx';
import { DateInput } from '../../components/DateInput.tsx';

const FIELDS = ['title_zh', 'title_en', 'summary_zh', 'summary_en', 'problem', 'advantages', 'field', 'keywords', 'trl', 'ipr', 'cooperation', 'country_iso3', 'org_id', 'region_id', 'expires_on'] as const;
type FieldName = (typeof FIELDS)[number];
type Values = Partial<Record<FieldName, unknown>> & { kind?: ProfileKind };

function valuesOf(p: Profile): Values {
  return {
    kind: p.kind,
    title_zh: p.title_zh ?? undefined,
    title_en: p.title_en ?? undefined,
    summary_zh: p.summary_zh ?? undefined,
    summary_en: p.summary_en ?? undefined,
    problem: p.problem ?? undefined,
    advantages: p.advantages ?? undefined,
    field: p.field ?? undefined,
    keywords: p.keywords,
    trl: p.trl ?? undefined,
    ipr: p.ipr ?? undefined,
    cooperation: p.cooperation,
    country_iso3: p.country_iso3 ?? undefined,
    org_id: p.org?.id ?? undefined,
    region_id: p.region_id ?? undefined,
    expires_on: p.expires_on ?? undefined,
  };
}

const empty = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export default function ProfileForm() {
  const { id } = useParams();
  const editing = id !== undefined;
  const rec = useQuery({ queryKey: ['market', 'profile', Number(id)], queryFn: () => api.get<Profile>(`/api/market/profiles/${id}`), enabled: editing });
  const user = useUser();
  if (!canPost(user)) return <ErrorPage error={{ status: 403 }} />;
  if (editing && rec.isLoading) return <Loading />;
  if (rec.error) return <ErrorPage error={rec.error} />;
  if (rec.data && !canWrite(user, rec.data)) return <ErrorPage error={{ status: 403 }} />;
  return <FormOf profile={rec.data} />;
}

function FormOf({ profile }: { profile?: Profile }) {
  const { t, lang } = useM();
  const user = useUser();
  const officer = isOfficer(user);
  const labels = useLabels();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [params] = useSearchParams();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<unknown>(null);
  const kind: ProfileKind = profile?.kind ?? (params.get('kind') === 'offer' ? 'offer' : 'demand');

  useEffect(() => {
    if (profile) form.setFieldsValue(valuesOf(profile));
  }, [profile, form]);

  const showErrors = (e: unknown) => {
    setError(e);
    if (!(e instanceof ApiError)) return;
    const byField = new Map<string, string[]>();
    for (const d of e.details) {
      const name = d.field ? String(d.field).split('.')[0] : undefined;
      if (!name || !(FIELDS as readonly string[]).includes(name)) continue;
      byField.set(name, [...(byField.get(name) ?? []), (lang === 'en' ? (d.message_en ?? e.messageEn) : (d.message ?? e.messageZh)) ?? d.code ?? '']);
    }
    form.setFields([...byField].map(([name, errors]) => ({ name: name as FieldName, errors })));
  };

  const save = useMutation({
    mutationFn: async ({ body, submit }: { body: Record<string, unknown>; submit: boolean }) => {
      let saved: Profile;
      if (profile) saved = Object.keys(body).length ? await api.patch<Profile>(`/api/market/profiles/${profile.id}`, body) : profile;
      else saved = await api.post<Profile>('/api/market/profiles', body);
      if (submit) {
        try {
          saved = await api.post<Profile>(`/api/market/profiles/${saved.id}/submit`);
        } catch (e) {
          // Saved but not submitted: the draft's page says what the review refused.
          throw Object.assign(e as object, { savedId: saved.id });
        }
      }
      return { saved, submit };
    },
    onSuccess: ({ saved, submit }) => {
      void message.success(submit ? t('profile.submitted') : t('form.saved'));
      void qc.invalidateQueries({ queryKey: ['market'] });
      navigate(`/market/profiles/${saved.id}`);
    },
    onError: (e) => {
      const savedId = (e as { savedId?: number }).savedId;
      if (savedId !== undefined && !profile) {
        void message.error(e instanceof ApiError ? (lang === 'en' ? e.messageEn : e.messageZh) : String(e));
        void qc.invalidateQueries({ queryKey: ['market'] });
        navigate(`/market/profiles/${savedId}`);
      } else showErrors(e);
    },
  });

  const submitAfter = useRef(false);
  const onFinish = (values: Values) => {
    setError(null);
    const body: Record<string, unknown> = profile ? {} : { kind: values.kind ?? kind };
    for (const f of FIELDS) {
      if ((f === 'org_id' || f === 'region_id') && !officer) continue;
      let v = values[f];
      if (typeof v === 'string') v = v.trim();
      if (profile) {
        const before = valuesOf(profile)[f];
        const after = f === 'keywords' || f === 'cooperation' ? (v ?? []) : empty(v) ? null : v;
        if (!same(after, f === 'keywords' || f === 'cooperation' ? (before ?? []) : (before ?? null))) body[f] = after;
      } else if (!empty(v) && !(Array.isArray(v) && v.length === 0)) body[f] = v;
    }
    save.mutate({ body, submit: submitAfter.current });
  };

  const titleRule = {
    validator: () => (empty(form.getFieldValue('title_zh')) && empty(form.getFieldValue('title_en')) ? Promise.reject(new Error(t('form.titleHint'))) : Promise.resolve()),
  };
  const max = (n: number) => ({ max: n, message: lang === 'en' ? `At most ${n} characters` : `最多 ${n} 个字符` });
  const kindWord = t(`kind.${kind}`);

  return (
    <Card
      title={<span data-testid="form-title">{profile ? t('title.edit', { kind: kindWord }) : kind === 'offer' ? t('title.newOffer') : t('title.newDemand')}</span>}
      extra={<Link to={profile ? `/market/profiles/${profile.id}` : kind === 'offer' ? '/market/offers' : '/market/demands'}>{t('common:action.back')}</Link>}
    >
      <Form form={form} layout="horizontal" labelCol={{ span: 5 }} wrapperCol={{ span: 15 }} onFinish={onFinish} initialValues={{ kind, keywords: [], cooperation: [] }} data-testid="profile-form">
        {profile ? null : (
          <Form.Item name="kind" label={t('form.kind')}>
            <Radio.Group
              data-testid="field-kind"
              options={[
                { value: 'demand', label: t('kind.demand') },
                { value: 'offer', label: t('kind.offer') },
              ]}
            />
          </Form.Item>
        )}
        <Form.Item name="title_zh" label={t('f.title_zh')} rules={[titleRule, max(300)]} dependencies={['title_en']} extra={t('form.titleHint')}>
          <Input maxLength={300} data-testid="field-title_zh" />
        </Form.Item>
        <Form.Item name="title_en" label={t('f.title_en')} rules={[max(300)]}>
          <Input maxLength={300} data-testid="field-title_en" />
        </Form.Item>
        <Form.Item name="summary_zh" label={t('f.summary_zh')} rules={[max(5000)]}>
          <Input.TextArea rows={4} maxLength={5000} data-testid="field-summary_zh" />
        </Form.Item>
        <Form.Item name="summary_en" label={t('f.summary_en')} rules={[max(5000)]}>
          <Input.TextArea rows={4} maxLength={5000} data-testid="field-summary_en" />
        </Form.Item>
        <Form.Item name="problem" label={t('f.problem')} rules={[max(5000)]}>
          <Input.TextArea rows={2} maxLength={5000} data-testid="field-problem" />
        </Form.Item>
        <Form.Item name="advantages" label={t('f.advantages')} rules={[max(5000)]}>
          <Input.TextArea rows={2} maxLength={5000} data-testid="field-advantages" />
        </Form.Item>
        <Form.Item name="field" label={t('f.field')}>
          <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={labels.fieldOptions} style={{ width: 320 }} data-testid="field-field" />
        </Form.Item>
        <Form.Item name="keywords" label={t('f.keywords')} extra={t('form.keywordsHint')}>
          <Select mode="tags" tokenSeparators={[',', '，', '、', ';', '；']} open={false} style={{ width: '100%' }} data-testid="field-keywords" />
        </Form.Item>
        <Form.Item name="trl" label={t('f.trl')} extra={t('form.trlHint')} rules={[{ type: 'number', min: 1, max: 9, message: lang === 'en' ? 'Between 1 and 9' : '应在 1 与 9 之间' }]}>
          <InputNumber min={1} max={9} precision={0} style={{ width: 120 }} data-testid="field-trl" />
        </Form.Item>
        <Form.Item name="ipr" label={t('f.ipr')}>
          <Select allowClear options={labels.iprOptions} style={{ width: 220 }} data-testid="field-ipr" />
        </Form.Item>
        <Form.Item name="cooperation" label={t('f.cooperation')}>
          <Select mode="multiple" allowClear options={labels.coopOptions} style={{ width: '100%' }} data-testid="field-cooperation" />
        </Form.Item>
        <Form.Item name="country_iso3" label={t('f.country_iso3')}>
          <CountrySelect style={{ width: 260 }} data-testid="field-country_iso3" />
        </Form.Item>
        {officer ? (
          <>
            <Form.Item name="org_id" label={t('f.org_id')}>
              <RecordSelect kind="organizations" style={{ width: 360 }} data-testid="field-org_id" />
            </Form.Item>
            <Form.Item name="region_id" label={t('f.region_id')}>
              <RegionSelect style={{ width: 260 }} data-testid="field-region_id" />
            </Form.Item>
          </>
        ) : null}
        <Form.Item name="expires_on" label={t('f.expires_on')}>
          <DateInput style={{ width: 200 }} data-testid="field-expires_on" />
        </Form.Item>
        {error ? (
          <Form.Item wrapperCol={{ offset: 5, span: 15 }}>
            <ErrorAlert error={error} />
          </Form.Item>
        ) : null}
        <Form.Item wrapperCol={{ offset: 5, span: 15 }}>
          <Space>
            <Button type="primary" htmlType="submit" loading={save.isPending && !save.variables?.submit} onClick={() => (submitAfter.current = false)} data-testid="save">
              {t('form.saveDraft')}
            </Button>
            {!profile || profile.status === 'draft' || profile.status === 'returned' ? (
              <Button htmlType="submit" loading={save.isPending && save.variables?.submit} onClick={() => (submitAfter.current = true)} data-testid="save-submit">
                {t('form.saveSubmit')}
              </Button>
            ) : null}
            <Button onClick={() => navigate(-1)}>{t('common:action.cancel')}</Button>
          </Space>
        </Form.Item>
      </Form>
    </Card>
  );
}

/**
 * The marketplace search (技术对接检索): a need described in Chinese or English is matched
 * against published offers, foreign partner organisations and talents (and demands, if asked),
 * ranked, each result with its reasons in words; filters by kind, country, field, TRL range
 * and cooperation type; the search can be saved so that new matches raise alerts. The state
 * lives in the address, so a search can be bookmarked and sent on.
 */
import { BellOutlined, SearchOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { App, Button, Card, Checkbox, Form, Input, InputNumber, List, Modal, Radio, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, ApiError } from '../../api.ts';
import { useUser } from '../../auth.tsx';
import { ErrorAlert } from '../../components/ErrorView.tsx';
import { EmptyState, Loading } from '../../components/PageState.tsx';
import { CountrySelect } from '../../components/RefSelect.tsx';
import { canPost, fmtScore, MATCH_KIND_FLAGS, MatchTitle, PageTitle, ReasonList, useLabels, useM, type MatchKindFlag, type MatchResult, type SavedSearch } from './shared.tsx';

const DEFAULT_KINDS: MatchKindFlag[] = ['offers', 'partners', 'talents'];
const EXAMPLES = ['超临界流体结晶', '无线传感器网络', '光伏电池', 'laser cladding remanufacturing'];
const list = (v: string | null) => (v ? v.split(',').filter(Boolean) : []);

export default function MarketHome() {
  const { t, lang } = useM();
  const user = useUser();
  const labels = useLabels();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);
  const kinds = params.has('kind') ? (list(params.get('kind')) as MatchKindFlag[]) : DEFAULT_KINDS;
  const country = params.get('country') ?? undefined;
  const fields = list(params.get('field'));
  const coop = list(params.get('cooperation'));
  const trlMin = params.get('trl_min') ? Number(params.get('trl_min')) : undefined;
  const trlMax = params.get('trl_max') ? Number(params.get('trl_max')) : undefined;
  const top = Number(params.get('top') ?? '20') || 20;
  const [saving, setSaving] = useState(false);

  const update = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || v === '') next.delete(k);
      else next.set(k, v);
    }
    setParams(next);
  };

  const query = {
    text: q,
    kind: kinds.length ? kinds.join(',') : undefined,
    country,
    field: fields.length ? fields.join(',') : undefined,
    trl_min: trlMin,
    trl_max: trlMax,
    cooperation: coop.length ? coop.join(',') : undefined,
    top,
    lang,
  };
  const match = useQuery({
    queryKey: ['market', 'match', query],
    queryFn: () => api.get<{ results: MatchResult[] }>('/api/market/match', query),
    enabled: q.trim().length > 0,
    placeholderData: keepPreviousData,
    retry: false,
  });

  const results = match.data?.results ?? [];
  const best = results[0]?.score ?? 1;

  return (
    <div className="page-card">
      <PageTitle k="home" />
      <Typography.Paragraph type="secondary">{t('home.intro')}</Typography.Paragraph>
      <Input.Search
        size="large"
        allowClear
        value={text}
        onChange={(e) => setText(e.target.value)}
        onSearch={(v) => update({ q: v.trim() || undefined })}
        placeholder={t('home.placeholder')}
        enterButton={
          <Button type="primary" size="large" icon={<SearchOutlined />} data-testid="market-search-button">
            {t('home.search')}
          </Button>
        }
        data-testid="market-search"
        maxLength={20000}
      />
      <div style={{ margin: '8px 0 16px', color: '#888' }}>
        {t('home.examples')}{' '}
        {EXAMPLES.map((e) => (
          <Button key={e} type="link" size="small" onClick={() => update({ q: e })}>
            {e}
          </Button>
        ))}
      </div>
      <div className="toolbar" data-testid="market-filters">
        <span>{t('home.kinds')}</span>
        <Checkbox.Group
          value={kinds}
          onChange={(v) => (v.length ? update({ kind: (v as string[]).join(',') }) : undefined)}
          options={MATCH_KIND_FLAGS.map((k) => ({ value: k, label: t(`kinds.${k}`) }))}
          data-testid="filter-kind"
        />
        <CountrySelect placeholder={t('home.country')} value={country ?? null} onChange={(v) => update({ country: v ?? undefined })} style={{ width: 180 }} data-testid="filter-country" />
        <Select
          mode="multiple"
          allowClear
          placeholder={t('home.field')}
          value={fields}
          onChange={(v: string[]) => update({ field: v.join(',') })}
          options={labels.fieldOptions}
          style={{ minWidth: 180 }}
          maxTagCount="responsive"
          data-testid="filter-field"
        />
        <Space.Compact>
          <InputNumber min={1} max={9} precision={0} placeholder={`${t('home.trl')} ≥`} value={trlMin ?? null} onChange={(v) => update({ trl_min: v == null ? undefined : String(v) })} style={{ width: 110 }} data-testid="filter-trl-min" />
          <InputNumber min={1} max={9} precision={0} placeholder="≤" value={trlMax ?? null} onChange={(v) => update({ trl_max: v == null ? undefined : String(v) })} style={{ width: 80 }} data-testid="filter-trl-max" />
        </Space.Compact>
        <Select
          mode="multiple"
          allowClear
          placeholder={t('home.cooperation')}
          value={coop}
          onChange={(v: string[]) => update({ cooperation: v.join(',') })}
          options={labels.coopOptions}
          style={{ minWidth: 180 }}
          maxTagCount="responsive"
          data-testid="filter-cooperation"
        />
        <Select value={top} onChange={(v) => update({ top: String(v) })} options={[10, 20, 50, 100].map((n) => ({ value: n, label: t('home.topN', { n }) }))} style={{ width: 120 }} />
        <span className="spacer" />
        {canPost(user) ? (
          <Button icon={<BellOutlined />} onClick={() => setSaving(true)} disabled={!q.trim()} data-testid="save-search">
            {t('home.save')}
          </Button>
        ) : null}
      </div>
      {!q.trim() ? (
        <EmptyState hint={t('home.startHint')}>
          <Typography.Text strong>{t('home.start')}</Typography.Text>
        </EmptyState>
      ) : match.error ? (
        <ErrorAlert error={match.error} />
      ) : match.isLoading ? (
        <Loading />
      ) : results.length === 0 ? (
        <EmptyState hint={t('home.noneHint')}>
          <Typography.Text strong data-testid="no-results">
            {t('home.none')}
          </Typography.Text>
        </EmptyState>
      ) : (
        <>
          <Typography.Text type="secondary" data-testid="result-count">
            {t('home.results', { n: results.length })}
          </Typography.Text>
          <List
            style={{ marginTop: 8, opacity: match.isFetching ? 0.6 : 1 }}
            dataSource={results}
            data-testid="match-results"
            renderItem={(m, i) => (
              <List.Item key={`${m.kind}-${m.id}`} data-testid="match-result" data-kind={m.kind} data-id={m.id}>
                <Card size="small" style={{ width: '100%' }}>
                  <div style={{ display: 'flex', gap: 12, alignItems: 'baseline' }}>
                    <span style={{ color: '#999', minWidth: 24 }}>{i + 1}.</span>
                    <div style={{ flex: 1 }}>
                      <MatchTitle m={m} />
                    </div>
                    <span title={t('home.score')}>
                      <span style={{ display: 'inline-block', width: 80, height: 6, background: '#f0f0f0', borderRadius: 3, marginRight: 6, verticalAlign: 'middle' }}>
                        <span style={{ display: 'block', width: `${Math.max(4, (m.score / best) * 100)}%`, height: 6, background: '#1677ff', borderRadius: 3 }} />
                      </span>
                      <span className="num" data-testid="match-score">
                        {fmtScore(m.score)}
                      </span>
                    </span>
                  </div>
                  <div style={{ marginTop: 6, marginLeft: 36 }}>
                    <ReasonList reasons={m.reasons} />
                  </div>
                </Card>
              </List.Item>
            )}
          />
        </>
      )}
      {saving ? (
        <SaveSearch
          text={q}
          defaultKind={kinds.includes('offers') || !kinds.includes('demands') ? 'offer' : 'demand'}
          filters={{
            ...(country ? { country: [country] } : {}),
            ...(fields.length ? { field: fields } : {}),
            ...(trlMin !== undefined ? { trl_min: trlMin } : {}),
            ...(trlMax !== undefined ? { trl_max: trlMax } : {}),
            ...(coop.length ? { cooperation: coop } : {}),
          }}
          onClose={() => setSaving(false)}
        />
      ) : null}
    </div>
  );
}

function SaveSearch({ text, defaultKind, filters, onClose }: { text: string; defaultKind: 'offer' | 'demand'; filters: Record<string, unknown>; onClose: () => void }) {
  const { t } = useM();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ name: string; kind: 'offer' | 'demand' }>();
  const save = useMutation({
    mutationFn: (v: { name: string; kind: 'offer' | 'demand' }) => api.post<SavedSearch>('/api/market/searches', { name: v.name, kind: v.kind, text, filters }),
    onSuccess: () => {
      void message.success(t('save.saved'));
      onClose();
    },
    onError: (e) => {
      if (e instanceof ApiError) form.setFields(e.details.filter((d) => d.field === 'name').map((d) => ({ name: 'name', errors: [d.message ?? d.code ?? ''] })));
    },
  });
  return (
    <Modal open title={t('save.title')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending} okButtonProps={{ 'data-testid': 'save-search-ok' }} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('save.hint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={{ name: text.slice(0, 60), kind: defaultKind }} onFinish={(v) => save.mutate(v)}>
        <Form.Item name="name" label={t('save.name')} rules={[{ required: true, whitespace: true, message: t('save.nameRequired') }]}>
          <Input maxLength={200} data-testid="save-search-name" />
        </Form.Item>
        <Form.Item name="kind" label={t('save.kind')}>
          <Radio.Group
            options={[
              { value: 'offer', label: t('kind.offer') },
              { value: 'demand', label: t('kind.demand') },
            ]}
          />
        </Form.Item>
      </Form>
      {save.error ? <ErrorAlert error={save.error} /> : null}
    </Modal>
  );
}

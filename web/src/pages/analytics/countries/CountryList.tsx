/**
 * Countries and regions (ISO 3166-1, Chinese and English names, groups such as 共建“一带一路”
 * and RCEP): searched by name, alias or code, filtered by group and kind, each opening its
 * country page. State in the address.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Input, Select, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../../api.ts';
import { ErrorPage } from '../../../components/ErrorView.tsx';
import { DataTable, Labeled, PageTitle, QueryState, useA, useCountryGroups, useUrlState, type Col } from '../shared.tsx';
import type { CountryRow } from '../types.ts';

export default function CountryList() {
  const { t, lang, pick } = useA();
  const url = useUrlState();
  const q = url.get('q');
  const group = url.get('group');
  const kind = url.get('kind');
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);
  const groups = useCountryGroups();
  const params = { q: q || undefined, group: group || undefined, kind: kind || undefined, pageSize: 500, sort: lang === 'en' ? 'name_en' : 'iso3' };
  const list = useQuery({
    queryKey: ['countries', 'list', params],
    queryFn: () => api.get<{ items: CountryRow[]; total: number }>('/api/countries', params),
    placeholderData: keepPreviousData,
  });
  const groupName = (code: string) => {
    const g = groups.data?.items.find((x) => x.code === code);
    return g ? pick({ zh: g.name_zh, en: g.name_en }) : code;
  };

  const cols: Col<CountryRow>[] = [
    {
      key: 'iso3',
      title: t('countries.iso3'),
      csv: 'iso3',
      render: (c) => (
        <Link to={`/countries/${c.iso3}`} data-col="iso3">
          {c.iso3}
        </Link>
      ),
    },
    { key: 'name_zh', title: t('countries.nameZh'), csv: 'name_zh', render: (c) => <Link to={`/countries/${c.iso3}`}>{c.name_zh}</Link> },
    { key: 'name_en', title: t('countries.nameEn'), csv: 'name_en' },
    { key: 'kind', title: t('countries.kind'), csv: 'kind', value: (c) => t(`countries.kinds.${c.kind}`) },
    {
      key: 'groups',
      title: t('countries.groups'),
      csv: 'groups',
      value: (c) => c.groups.join(' '),
      render: (c) =>
        c.groups.map((g) => (
          <Tag key={g} title={groupName(g)}>
            {g}
          </Tag>
        )),
    },
  ];

  return (
    <div className="page-card">
      <PageTitle title={t('countries.title')} subtitle={t('countries.subtitle')} />
      <div className="toolbar">
        <Input.Search
          allowClear
          value={text}
          onChange={(e) => setText(e.target.value)}
          onSearch={(v) => url.set({ q: v.trim() || undefined })}
          placeholder={t('countries.search')}
          style={{ width: 260 }}
          data-testid="countries-search"
        />
        <Labeled label={t('countries.groups')}>
          <Select
            allowClear
            value={group || undefined}
            onChange={(v) => url.set({ group: v })}
            placeholder={t('countries.all')}
            style={{ width: 260 }}
            options={(groups.data?.items ?? []).map((g) => ({ value: g.code, label: `${pick({ zh: g.name_zh, en: g.name_en })} (${g.code})` }))}
            data-testid="countries-group"
          />
        </Labeled>
        <Labeled label={t('countries.kind')}>
          <Select
            allowClear
            value={kind || undefined}
            onChange={(v) => url.set({ kind: v })}
            placeholder={t('countries.all')}
            style={{ width: 100 }}
            options={(['country', 'region'] as const).map((k) => ({ value: k, label: t(`countries.kinds.${k}`) }))}
          />
        </Labeled>
      </div>
      {list.error ? (
        <ErrorPage error={list.error} retry={() => list.refetch()} />
      ) : (
        <QueryState loading={list.isLoading} empty={false}>
          <DataTable<CountryRow> rows={list.data?.items ?? []} cols={cols} rowKey={(c) => c.iso3} testid="countries-table" fileName="countries" pageSize={20} size="middle" />
        </QueryState>
      )}
    </div>
  );
}

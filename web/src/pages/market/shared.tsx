/**
 * What the marketplace pages share: the reply shapes of /api/market/…, the value lists
 * (/api/market/fields), labels in the page's language, status and kind tags, the list of a
 * match's reasons in words, links to a match's record, the role checks the pages use for
 * convenience (the server decides), and a CSV of what a list shows.
 */
import { useQuery } from '@tanstack/react-query';
import { Space, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api.ts';
import type { User } from '../../auth.tsx';
import { useLang, type Lang } from '../../i18n.ts';
import './messages.ts';

export const NS = 'market';

/** The marketplace words and the common ones: `const { t } = useM()`. */
export function useM() {
  return useLang([NS, 'common']);
}

// ---------------------------------------------------------------- reply shapes

export type ProfileKind = 'demand' | 'offer';
export type ProfileStatus = 'draft' | 'submitted' | 'returned' | 'rejected' | 'published' | 'expired' | 'closed';
export type MatchKind = 'offer' | 'demand' | 'partner' | 'talent';
export type Stage = 'interest' | 'contact' | 'meeting' | 'negotiation' | 'agreement' | 'dropped';

export const STAGES = ['interest', 'contact', 'meeting', 'negotiation', 'agreement'] as const;
export const OUTCOMES = ['licence', 'contract', 'joint_project', 'investment', 'acquisition', 'other'] as const;
export const MATCH_KIND_FLAGS = ['offers', 'partners', 'talents', 'demands'] as const;
export type MatchKindFlag = (typeof MATCH_KIND_FLAGS)[number];

export interface Profile {
  id: number;
  kind: ProfileKind;
  status: ProfileStatus;
  status_zh: string;
  status_en: string;
  title_zh: string | null;
  title_en: string | null;
  summary_zh: string | null;
  summary_en: string | null;
  problem: string | null;
  advantages: string | null;
  field: string | null;
  keywords: string[];
  trl: number | null;
  ipr: string | null;
  cooperation: string[];
  org: { id: number; name: string } | null;
  country_iso3: string | null;
  region_id: number | null;
  expires_on: string | null;
  review_comment: string | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
  submitted_at: string | null;
  published_at: string | null;
  closed_reason: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface ProfilePage {
  items: Profile[];
  total: number;
  page: number;
  pageSize: number;
}

export interface ProfileEvent {
  action: string;
  from_status: string | null;
  to_status: string;
  comment: string | null;
  actor: string;
  at: string;
}

export interface Reason {
  type: 'term' | 'field' | 'stage' | 'cooperation' | 'country' | 'history' | 'record';
  term?: string;
  via?: 'same-language' | 'glossary' | 'translation';
  detail_zh: string;
  detail_en: string;
}

export interface MatchResult {
  kind: MatchKind;
  id: string;
  title: string;
  score: number;
  reasons: Reason[];
}

export interface Followup {
  id: number;
  profile_id: number | null;
  org_id: number | null;
  target_kind: MatchKind;
  target_id: number;
  intermediary_org_id: number | null;
  field: string | null;
  country_iso3: string | null;
  stage: Stage;
  reached: Exclude<Stage, 'dropped'>;
  stage_since: string;
  outcome: string | null;
  dropped_reason: string | null;
  project_id: number | null;
  output_id: number | null;
  score: number | null;
  reasons: Reason[];
  note: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface StageCounts {
  shown: number;
  interest: number;
  contact: number;
  meeting: number;
  negotiation: number;
  agreement: number;
  dropped: number;
}

export interface Funnel {
  stages: { stage: string; label_zh: string; label_en: string; reached: number; current: number }[];
  groups: { by: string; key: string | null; label_zh: string; label_en: string; counts: StageCounts }[];
  time_in_stage: { stage: string; entries: number; mean_days: number | null; median_days: number | null }[];
  dropped_reasons: { reason: string; count: number }[];
  deals: { followup_id: number; outcome: string | null; project: { id: number; title: string } | null; output: { id: number; title: string } | null }[];
}

export interface SavedSearch {
  id: number;
  org_id: number | null;
  user_id: number | null;
  name: string;
  text: string;
  kind: ProfileKind;
  filters: Record<string, unknown>;
  created_at: string;
}

export interface Alert {
  id: number;
  org_id: number | null;
  for_profile_id: number | null;
  search_id: number | null;
  profile: { id: number; kind: ProfileKind; title: string };
  rank: number;
  score: number;
  reasons: Reason[];
  message: string;
  message_en: string;
  created_at: string;
  read_at: string | null;
}

export interface Labelled {
  code: string;
  zh: string;
  en: string;
}

export interface FieldsMeta {
  fields: Labelled[];
  cooperation: Labelled[];
  ipr: string[];
  statuses: Labelled[];
}

// ---------------------------------------------------------------- value lists and labels

export const useFields = () => useQuery({ queryKey: ['market', 'fields'], queryFn: () => api.get<FieldsMeta>('/api/market/fields'), staleTime: Infinity });

const labelOf = (list: Labelled[] | undefined, code: string | null | undefined, lang: Lang) => {
  if (!code) return '';
  const l = list?.find((x) => x.code === code);
  return l ? (lang === 'en' ? l.en : l.zh) : code;
};

/** Labels of the server's value lists in the page's language. */
export function useLabels() {
  const { lang, t } = useM();
  const meta = useFields();
  return {
    meta: meta.data,
    field: (code: string | null | undefined) => labelOf(meta.data?.fields, code, lang),
    coop: (code: string) => labelOf(meta.data?.cooperation, code, lang),
    ipr: (code: string | null | undefined) => (code ? t(`ipr.${code}`, { defaultValue: code }) : ''),
    fieldOptions: (meta.data?.fields ?? []).map((f) => ({ value: f.code, label: lang === 'en' ? f.en : f.zh })),
    coopOptions: (meta.data?.cooperation ?? []).map((f) => ({ value: f.code, label: lang === 'en' ? f.en : f.zh })),
    iprOptions: (meta.data?.ipr ?? []).map((c) => ({ value: c, label: t(`ipr.${c}`, { defaultValue: c }) })),
    statusOptions: (meta.data?.statuses ?? []).map((s) => ({ value: s.code, label: lang === 'en' ? s.en : s.zh })),
  };
}

/** A profile's title in the page's language, the other language when it has none. */
export function profileTitle(p: Pick<Profile, 'title_zh' | 'title_en'>, lang: Lang): string {
  return (lang === 'en' ? p.title_en || p.title_zh : p.title_zh || p.title_en) ?? '';
}

const STATUS_COLOR: Record<ProfileStatus, string> = {
  draft: 'default',
  submitted: 'processing',
  returned: 'warning',
  rejected: 'error',
  published: 'success',
  expired: 'default',
  closed: 'default',
};

export function StatusTag({ p, testid = 'profile-status' }: { p: Pick<Profile, 'status' | 'status_zh' | 'status_en'>; testid?: string }) {
  const { lang } = useM();
  return (
    <Tag color={STATUS_COLOR[p.status]} data-testid={testid} data-status={p.status}>
      {lang === 'en' ? p.status_en : p.status_zh}
    </Tag>
  );
}

const KIND_COLOR: Record<MatchKind, string> = { offer: 'blue', demand: 'orange', partner: 'purple', talent: 'cyan' };

export function KindTag({ kind }: { kind: MatchKind }) {
  const { t } = useM();
  return <Tag color={KIND_COLOR[kind]}>{t(`kind.${kind}`)}</Tag>;
}

const STAGE_COLOR: Record<string, string> = { interest: 'blue', contact: 'cyan', meeting: 'geekblue', negotiation: 'purple', agreement: 'success', dropped: 'default', shown: 'default' };

export function StageTag({ stage }: { stage: string }) {
  const { t } = useM();
  return (
    <Tag color={STAGE_COLOR[stage] ?? 'default'} data-stage={stage}>
      {t(`stage.${stage}`, { defaultValue: stage })}
    </Tag>
  );
}

/** Where a match result or follow-up target lives in the application. */
export function targetHref(kind: MatchKind, id: string | number): string {
  if (kind === 'partner') return `/registries/organizations/${id}`;
  if (kind === 'talent') return `/registries/talents/${id}`;
  return `/market/profiles/${id}`;
}

/** The reasons of a match, each in words (with its kind, and the translation that matched a term). */
export function ReasonList({ reasons }: { reasons: Reason[] }) {
  const { t, lang } = useM();
  if (reasons.length === 0) return <Typography.Text type="secondary">{t('home.noReason')}</Typography.Text>;
  return (
    <ul className="market-reasons" data-testid="match-reasons" style={{ margin: 0, paddingLeft: 18 }}>
      {reasons.map((r, i) => (
        <li key={i} data-testid="match-reason" data-type={r.type}>
          <Tag bordered={false} style={{ marginInlineEnd: 6 }}>
            {t(`reason.${r.type}`, { defaultValue: r.type })}
          </Tag>
          {lang === 'en' ? r.detail_en : r.detail_zh}
        </li>
      ))}
    </ul>
  );
}

/** A match result's title linked to its record. */
export function MatchTitle({ m }: { m: Pick<MatchResult, 'kind' | 'id' | 'title'> }): ReactNode {
  return (
    <Space size={4} wrap>
      <KindTag kind={m.kind} />
      <Link to={targetHref(m.kind, m.id)} data-testid="match-title" data-kind={m.kind} data-id={m.id}>
        {m.title}
      </Link>
    </Space>
  );
}

// ---------------------------------------------------------------- roles (convenience; the server decides)

export const OFFICER_ROLES = ['admin', 'bureau', 'district'] as const;
export const isOfficer = (u: User) => (OFFICER_ROLES as readonly string[]).includes(u.role);
export const canPost = (u: User) => u.role === 'organization' || isOfficer(u);
/** The profile's organisation, or an officer. */
export const canWrite = (u: User, p: Pick<Profile, 'org'>) => isOfficer(u) || (u.role === 'organization' && u.org_id != null && p.org?.id === u.org_id);

// ---------------------------------------------------------------- formats and files

export function fmtDate(v: string | null | undefined, withTime = false): string {
  if (!v) return '—';
  if (!withTime) return v.slice(0, 10);
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? v : `${v.slice(0, 10)} ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

export const fmtScore = (s: number | null | undefined) => (s === null || s === undefined ? '—' : s.toFixed(3));

/** Saves rows as a UTF-8 CSV (with BOM, so Excel reads the Chinese) named `name`. */
export function saveCsv(name: string, header: string[], rows: Array<Array<string | number | null | undefined>>): void {
  const cell = (v: string | number | null | undefined) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const text = '\ufeff' + [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The page title with its other-language form beside it. */
export function PageTitle({ k, extra }: { k: string; extra?: ReactNode }) {
  const { t, lang } = useM();
  return (
    <h2 className="page-title" data-testid="page-title">
      {t(`title.${k}`)}
      <span className="en">{t(`title.${k}`, { lng: lang === 'en' ? 'zh' : 'en' })}</span>
      {extra}
    </h2>
  );
}

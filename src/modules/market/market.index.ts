/**
 * The matching index of a store, in memory: one engine index (engine/matcher.ts) per kind —
 * published offers, published demands, foreign partner organisations, talents — built from
 * the store on first use and kept up to date:
 * - profiles written by this process are applied right after their transaction commits;
 * - profiles written by another process (the CLI beside a server, a bulk load) move the
 *   version row of migration 006, and the next match reconciles the index with the table;
 * - expired profiles are never returned (checked on every match) and are set to `expired` in
 *   the store by a sweep;
 * - partners and talents come from the registries, which other modules write: their
 *   fingerprint (counts and last change) is checked at most every `registryCheckMs` and the
 *   changed records are analysed again.
 */
import type { Actor } from '../../actor.ts';
import type { Db, Sql } from '../../store/db.ts';
import { can, type Classification, type Resource } from '../auth/auth.policy.ts';
import { MatchIndex, type Profile } from './engine/index.ts';
import { fieldOfText } from './market.fields.ts';
import {
  partnerRows,
  profilesVersion,
  publishedProfiles,
  publishedStamps,
  registryFingerprint,
  talentRows,
  type PartnerRow,
  type ProfileRow,
  type TalentRow,
} from './market.repo.ts';
import type { MatchKind } from './market.schema.ts';

/** A profile as the index keeps it: the engine's fields plus what results and access need. */
export interface MarketProfile extends Profile {
  kind: MatchKind;
  recordId: number;
  title_zh: string | null;
  title_en: string | null;
  orgId: number | null;
  regionId: number | null;
  regionPath: string | null;
  classification: Classification;
  /** Last day it may be matched (days since 1970-01-01), null: no expiry. */
  lastDay: number | null;
  /** Projects in the partner's history. */
  projects?: number;
  /** Change stamp, to reconcile with the store. */
  stamp: string;
}

const DAY = 86_400_000;
/** Today as days since 1970-01-01 (UTC), the unit of `lastDay`. */
export const dayNumber = (d: Date | string = new Date()): number => Math.floor(new Date(d).getTime() / DAY);

/** Settings of every market index (tests shorten the registry check). */
export const INDEX_SETTINGS = { registryCheckMs: 30_000 };

/** The most frequent taxonomy field among '|'-separated texts. */
function mostCommonField(texts: string | null): string | null {
  if (!texts) return null;
  const counts = new Map<string, number>();
  for (const t of texts.split('|')) {
    const f = fieldOfText(t);
    if (f) counts.set(f, (counts.get(f) ?? 0) + 1);
  }
  let best: string | null = null;
  for (const [f, n] of counts) if (best === null || n > counts.get(best)!) best = f;
  return best;
}

export function profileDoc(r: ProfileRow): MarketProfile {
  return {
    id: String(r.id),
    recordId: Number(r.id),
    kind: r.kind,
    title: [r.title_zh, r.title_en].filter(Boolean).join('\n'),
    summary: [r.summary_zh, r.summary_en, r.problem, r.advantages, (r.keywords ?? []).join(' ')].filter(Boolean).join('\n'),
    title_zh: r.title_zh,
    title_en: r.title_en,
    field: r.field,
    trl: r.trl == null ? null : Number(r.trl),
    cooperation: r.cooperation ?? [],
    country: r.country_iso3,
    orgId: r.org_id == null ? null : Number(r.org_id),
    regionId: r.region_id == null ? null : Number(r.region_id),
    regionPath: r.region_path,
    classification: 'public',
    lastDay: r.expires_on ? dayNumber(`${r.expires_on}T00:00:00Z`) : null,
    stamp: r.stamp,
  };
}

function partnerDoc(r: PartnerRow): MarketProfile {
  return {
    id: String(r.id),
    recordId: Number(r.id),
    kind: 'partner',
    title: [r.name_zh, r.name_en].filter(Boolean).join('\n'),
    summary: [r.history, r.platforms].filter(Boolean).join('\n'),
    title_zh: r.name_zh,
    title_en: r.name_en,
    field: mostCommonField(r.fields),
    trl: null,
    // Foreign organisations with a project history are research partners.
    cooperation: ['joint_rd'],
    country: r.country_iso3,
    orgId: Number(r.id),
    regionId: r.region_id == null ? null : Number(r.region_id),
    regionPath: r.region_path,
    classification: (r.classification as Classification) ?? 'internal',
    lastDay: null,
    projects: Number(r.projects),
    stamp: r.stamp,
  };
}

function talentDoc(r: TalentRow): MarketProfile {
  return {
    id: String(r.id),
    recordId: Number(r.id),
    kind: 'talent',
    title: [r.name, r.name_en].filter(Boolean).join('\n'),
    summary: [r.title, r.fields, r.affiliation].filter(Boolean).join('\n'),
    title_zh: r.name,
    title_en: r.name_en,
    field: fieldOfText(r.fields),
    trl: null,
    cooperation: ['talent'],
    country: r.nationality_iso3,
    orgId: r.affiliation_org_id == null ? null : Number(r.affiliation_org_id),
    regionId: r.region_id == null ? null : Number(r.region_id),
    regionPath: r.region_path,
    classification: (r.classification as Classification) ?? 'internal',
    lastDay: null,
    stamp: r.stamp,
  };
}

const RESOURCE_KIND: Record<MatchKind, string> = { offer: 'market_profiles', demand: 'market_profiles', partner: 'organizations', talent: 'talents' };

/** Whether `actor` may see an indexed profile (published profiles: everybody signed in). */
export function visibleTo(actor: Actor, p: MarketProfile): boolean {
  if (p.kind === 'offer' || p.kind === 'demand') return true;
  const r: Resource = { kind: RESOURCE_KIND[p.kind], region_id: p.regionId, region_path: p.regionPath, org_id: p.orgId, classification: p.classification };
  return can(actor, 'read', r);
}

type ProfileKindDb = 'offer' | 'demand';
const isProfileKind = (k: MatchKind): k is ProfileKindDb => k === 'offer' || k === 'demand';

export class MarketIndex {
  private readonly indexes = new Map<MatchKind, MatchIndex<MarketProfile>>();
  private readonly building = new Map<MatchKind, Promise<MatchIndex<MarketProfile>>>();
  /** The profiles' version the built profile kinds reflect. */
  private seen: number | null = null;
  private fingerprint: { partners: string; talents: string } | null = null;
  private lastRegistryCheck = 0;
  private syncing: Promise<void> | null = null;
  /** Build times of the kinds (ms), for the benchmark. */
  readonly buildMs = new Map<MatchKind, number>();

  constructor(private readonly db: Db) {}

  /** The built index of a kind, if any (no I/O). */
  peek(kind: MatchKind): MatchIndex<MarketProfile> | undefined {
    return this.indexes.get(kind);
  }

  /** The indexes of `kinds`, built and brought up to date with the store. */
  async ready(kinds: readonly MatchKind[]): Promise<Map<MatchKind, MatchIndex<MarketProfile>>> {
    // One sync at a time; concurrent callers wait for it rather than repeat it.
    while (this.syncing) await this.syncing;
    let done!: () => void;
    this.syncing = new Promise<void>((r) => (done = r));
    try {
      const version = await profilesVersion(this.db);
      const fresh = new Set<MatchKind>();
      for (const k of kinds) {
        if (this.indexes.has(k)) continue;
        await this.build(k);
        fresh.add(k);
      }
      if (this.seen !== null && version !== this.seen) {
        for (const k of ['offer', 'demand'] as const) if (this.indexes.has(k) && !fresh.has(k)) await this.reconcileProfiles(k);
      }
      if ([...this.indexes.keys()].some(isProfileKind)) this.seen = version;
      await this.checkRegistries(fresh);
    } finally {
      this.syncing = null;
      done();
    }
    return new Map(kinds.map((k) => [k, this.indexes.get(k)!]));
  }

  private async build(kind: MatchKind): Promise<void> {
    const started = performance.now();
    const index = new MatchIndex<MarketProfile>();
    if (isProfileKind(kind)) for (const r of await publishedProfiles(this.db, { kind })) index.add(profileDoc(r));
    else if (kind === 'partner') for (const r of await partnerRows(this.db)) index.add(partnerDoc(r));
    else for (const r of await talentRows(this.db)) index.add(talentDoc(r));
    if (!isProfileKind(kind) && this.fingerprint === null) {
      this.fingerprint = await registryFingerprint(this.db);
      this.lastRegistryCheck = Date.now();
    }
    this.indexes.set(kind, index);
    this.buildMs.set(kind, performance.now() - started);
  }

  /** Brings a profile kind in line with the table: removed, changed and new profiles. */
  private async reconcileProfiles(kind: ProfileKindDb): Promise<void> {
    const index = this.indexes.get(kind)!;
    const stamps = await publishedStamps(this.db, kind);
    const live = new Set<string>();
    const changed: number[] = [];
    for (const s of stamps) {
      const id = String(s.id);
      live.add(id);
      const have = index.get(id);
      if (have?.stamp !== s.stamp) changed.push(Number(s.id));
    }
    for (const p of [...index.profiles()]) if (!live.has(p.id)) index.remove(p.id);
    if (changed.length) for (const r of await publishedProfiles(this.db, { kind, ids: changed })) index.add(profileDoc(r));
  }

  private async checkRegistries(fresh: Set<MatchKind>): Promise<void> {
    const built = (['partner', 'talent'] as const).filter((k) => this.indexes.has(k) && !fresh.has(k));
    if (built.length === 0 || Date.now() - this.lastRegistryCheck < INDEX_SETTINGS.registryCheckMs) return;
    this.lastRegistryCheck = Date.now();
    const fp = await registryFingerprint(this.db);
    const before = this.fingerprint;
    this.fingerprint = fp;
    if (built.includes('partner') && fp.partners !== before?.partners) await this.reconcileRegistry('partner');
    if (built.includes('talent') && fp.talents !== before?.talents) await this.reconcileRegistry('talent');
  }

  private async reconcileRegistry(kind: 'partner' | 'talent'): Promise<void> {
    const index = this.indexes.get(kind)!;
    const docs = kind === 'partner' ? (await partnerRows(this.db)).map(partnerDoc) : (await talentRows(this.db)).map(talentDoc);
    const live = new Set(docs.map((d) => d.id));
    for (const p of [...index.profiles()]) if (!live.has(p.id)) index.remove(p.id);
    for (const d of docs) if (index.get(d.id)?.stamp !== d.stamp) index.add(d);
  }

  /** Forces the next `ready` to re-read partners and talents from the registries. */
  invalidateRegistries(): void {
    this.lastRegistryCheck = 0;
    this.fingerprint = null;
  }

  /**
   * After this process changed profiles `ids` in a transaction that moved the version from
   * `before` to `after`: applies the change when nothing else moved it in between, else leaves
   * the index to be reconciled by the next match.
   */
  async afterWrite(sql: Sql, ids: number[], before: number, after: number): Promise<void> {
    while (this.syncing) await this.syncing;
    if (this.seen !== before) return;
    const built = (['offer', 'demand'] as const).filter((k) => this.indexes.has(k));
    if (built.length > 0) {
      const rows = await publishedProfiles(sql, { ids });
      const published = new Map(rows.map((r) => [String(r.id), r]));
      for (const k of built) {
        const index = this.indexes.get(k)!;
        for (const id of ids) {
          const r = published.get(String(id));
          if (r && r.kind === k) index.add(profileDoc(r));
          else index.remove(String(id));
        }
      }
    }
    if (this.seen === before) this.seen = after;
  }
}

const INDEXES = new WeakMap<Db, MarketIndex>();

/** The market index of a store (one per store object, per process). */
export function marketIndexOf(db: Db): MarketIndex {
  let index = INDEXES.get(db);
  if (!index) INDEXES.set(db, (index = new MarketIndex(db)));
  return index;
}

/**
 * Name look-ups during an import, cached per import so that a file's thousand rows cost one
 * query per distinct name: countries (with aliases and suggestions), organisations (found by
 * normalised name, added when new), projects (by code).
 */
import type { Sql } from '../../store/db.ts';
import { nameKey } from '../../text/keys.ts';
import { searchDocument, searchTokens } from '../../text/tokenize.ts';
import { distance } from 'fastest-levenshtein';
import { resolveCountries, type CountryResolution } from '../countries/countries.resolve.ts';
import { fillRegistrySearch } from '../registry/registry.repo.ts';
import { REGISTRIES } from '../registries/defs.ts';

export function countryCache(db: Sql) {
  const cache = new Map<string, CountryResolution>();
  return {
    /** Resolves the names not yet cached, in one call. */
    async prime(names: Iterable<string>) {
      const todo = [...new Set([...names].map((n) => n.trim()).filter((n) => n && !cache.has(n)))];
      if (!todo.length) return;
      for (const r of await resolveCountries(db, todo)) cache.set(r.input.trim(), r);
    },
    async get(name: string): Promise<CountryResolution> {
      const key = name.trim();
      if (!cache.has(key)) await this.prime([key]);
      return cache.get(key)!;
    },
  };
}

export interface OrgRef {
  name: string;
  country_iso3: string | null;
  domestic: boolean;
  region_id?: number | null;
}

/**
 * The organisation a row names, as it is registered when new. A partner (a project_partners
 * row, a project's partner organisations) is domestic only when its row names China: a partner
 * without a country stays of unknown country — neither China nor placed in the import's region
 * — so that it is not counted as China in the network. Other references (a project's lead
 * organisation, a platform's host …) name the bureau's own units: without a country they are
 * domestic, in the import's region.
 */
export function orgRefFor(name: string, iso3: string | null, opts: { partner: boolean; regionId: number | null }): OrgRef {
  const domestic = iso3 === 'CHN' || (!opts.partner && iso3 === null);
  return { name, country_iso3: iso3, domestic, region_id: domestic ? opts.regionId : null };
}

/** Finds organisations by normalised name and country, adding the ones not yet registered. */
/** Words too common in organisation names to tell two of them apart. */
const GENERIC = new Set(
  ('有限 公司 有限公司 股份 集团 科技 技术 大学 学院 研究院 研究所 研究 中心 医院 实验室 国际 中国 江苏 常州 ' +
    'univers ltd limit gmbh inc co corpor compani institut research centr center technolog ag sa bv oy ab plc llc the of and')
    .split(' '),
);

/** Similarity of two name keys: 1 − edit distance / longer length. */
function similarity(a: string, b: string): number {
  return 1 - distance(a, b) / Math.max(a.length, b.length, 1);
}

/** Most new organisations per batch, and per import, that get the similar-name check. */
export const SIMILARITY_BATCH_LIMIT = 200;
export const SIMILARITY_BUDGET = 1000;

export interface OrgSuggestion {
  id: number;
  name: string;
  country_iso3: string | null;
}

export function orgCache(db: Sql, opts: { dryRun: boolean; importId: number | null }) {
  const cache = new Map<string, number | null>();
  const similar = new Map<string, OrgSuggestion[]>();
  let created = 0;
  let checked = 0;
  const keyOf = (o: OrgRef) => `${nameKey(o.name)}|${o.country_iso3 ?? ''}`;
  return {
    get created() {
      return created;
    },
    /** Looks up (and in a real run adds) every organisation of a batch in two statements. */
    async prime(orgs: OrgRef[]) {
      const todo = new Map<string, OrgRef>();
      for (const o of orgs) {
        const k = keyOf(o);
        if (!nameKey(o.name) || cache.has(k)) continue;
        todo.set(k, o);
      }
      if (!todo.size) return;
      const list = [...todo.values()];
      const found = await db.query<{ id: number; name_key: string; country: string }>(
        // An index probe per name: a join would scan the growing table once per batch.
        `SELECT o.id, o.name_key, o.country
           FROM unnest($1::text[], $2::text[]) AS k(name_key, country)
           CROSS JOIN LATERAL (SELECT t.id, t.name_key, coalesce(t.country_iso3, '') AS country FROM organizations t
                                WHERE t.name_key = k.name_key AND coalesce(t.country_iso3, '') = k.country LIMIT 1) o`,
        [list.map((o) => nameKey(o.name)), list.map((o) => o.country_iso3 ?? '')],
      );
      for (const f of found) cache.set(`${f.name_key}|${f.country}`, Number(f.id));
      const missing = list.filter((o) => !cache.has(keyOf(o)));
      if (!missing.length) return;
      created += missing.length;
      await findSimilar(missing);
      if (opts.dryRun) {
        for (const o of missing) cache.set(keyOf(o), null);
        return;
      }
      const isZh = (s: string) => /\p{Script=Han}/u.test(s);
      const rows = await db.query<{ id: number; name_key: string; country: string }>(
        `INSERT INTO organizations (name_zh, name_en, name_key, domestic, country_iso3, region_id, import_id, search)
         SELECT k.zh, k.en, k.name_key, k.domestic, nullif(k.country, ''), k.region_id, $7, to_tsvector('simple', k.doc)
           FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::text[], $6::bigint[], $8::text[])
             AS k(zh, en, name_key, domestic, country, region_id, doc)
         ON CONFLICT DO NOTHING
         RETURNING id, name_key, coalesce(country_iso3, '') AS country`,
        [
          missing.map((o) => (isZh(o.name) ? o.name : null)),
          missing.map((o) => (isZh(o.name) ? null : o.name)),
          missing.map((o) => nameKey(o.name)),
          missing.map((o) => o.domestic),
          missing.map((o) => o.country_iso3 ?? ''),
          missing.map((o) => o.region_id ?? null),
          opts.importId,
          missing.map((o) => searchDocument(o.name)),
        ],
      );
      for (const r of rows) cache.set(`${r.name_key}|${r.country}`, Number(r.id));
    },
    id(o: OrgRef): number | null | undefined {
      return cache.get(keyOf(o));
    },
    /**
     * Registered organisations whose names are close to a new one's (牛津大学 / 英国牛津大学),
     * once per new name: the importer reports them so that a person can merge.
     */
    takeSimilar(o: OrgRef): OrgSuggestion[] {
      const k = keyOf(o);
      const s = similar.get(k) ?? [];
      similar.delete(k);
      return s;
    },
  };

  /**
   * One query per batch: candidates sharing a distinctive word, then an edit-distance check.
   * Bulk loads (hundreds of new organisations per batch, or past the first thousand checked)
   * skip it: near-duplicates there are a data-quality review of their own, not a warning per row.
   */
  async function findSimilar(orgs: OrgRef[]) {
    if (orgs.length > SIMILARITY_BATCH_LIMIT || checked >= SIMILARITY_BUDGET) return;
    checked += orgs.length;
    const queries: { i: number; q: string }[] = [];
    orgs.forEach((o, i) => {
      // All of (up to) its three longest distinctive words: an OR of common words would make
      // every look-up gather thousands of candidates.
      const words = [...new Set(searchTokens(o.name, 'query'))]
        .filter((w) => !GENERIC.has(w) && w.length >= 2)
        .sort((a, b) => b.length - a.length)
        .slice(0, 3);
      if (words.length) queries.push({ i, q: words.map((w) => `'${w.replace(/'/g, "''")}'`).join(' & ') });
    });
    if (!queries.length) return;
    await fillRegistrySearch(db, REGISTRIES.organizations);
    // The planner cannot see the words inside k.q and may scan the table once per name; the
    // text index answers each look-up directly.
    await db.query('SET LOCAL enable_seqscan = off');
    const rows = await db.query<{ i: number; id: number; name: string; name_key: string; country_iso3: string | null }>(
      `SELECT k.i, o.id, coalesce(o.name_zh, o.name_en) AS name, o.name_key, o.country_iso3
         FROM unnest($1::text[], $2::int[]) AS k(q, i)
         CROSS JOIN LATERAL (SELECT id, name_zh, name_en, name_key, country_iso3 FROM organizations
                              WHERE search @@ to_tsquery('simple', k.q) LIMIT 8) o`,
      [queries.map((q) => q.q), queries.map((q) => q.i)],
    );
    await db.query('SET LOCAL enable_seqscan = on');
    for (const r of rows) {
      const o = orgs[r.i];
      const key = nameKey(o.name);
      if (o.country_iso3 && r.country_iso3 && o.country_iso3 !== r.country_iso3) continue;
      const contains = key.length >= 2 && r.name_key.length >= 2 && (key.includes(r.name_key) || r.name_key.includes(key));
      if (!contains && similarity(key, r.name_key) < 0.75) continue;
      const list = similar.get(keyOf(o)) ?? [];
      if (list.length < 5) list.push({ id: Number(r.id), name: r.name, country_iso3: r.country_iso3 });
      similar.set(keyOf(o), list);
    }
  }
}

/** Projects by code, for funding, outputs and partner rows that name their project. */
export function projectCache(db: Sql) {
  const cache = new Map<string, number | null>();
  return {
    async prime(codes: Iterable<string>) {
      const todo = [...new Set([...codes].map((c) => c.trim()).filter((c) => c && !cache.has(c)))];
      if (!todo.length) return;
      // An index probe per code, whatever the planner believes about a table this import may have filled.
      const rows = await db.query<{ id: number; code: string }>(
        'SELECT p.id, p.code FROM unnest($1::text[]) AS k(code) CROSS JOIN LATERAL (SELECT id, code FROM projects WHERE code = k.code LIMIT 1) p',
        [todo],
      );
      for (const c of todo) cache.set(c, null);
      for (const r of rows) cache.set(r.code, Number(r.id));
    },
    id(code: string): number | null | undefined {
      return cache.get(code.trim());
    },
    set(code: string, id: number) {
      cache.set(code.trim(), id);
    },
  };
}

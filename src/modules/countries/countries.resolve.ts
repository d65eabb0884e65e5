/**
 * Resolves country names as people write them (阿联酋, "Korea, Rep.", UK, EL …) to ISO 3166
 * entries. Conservative by design: a wrong country is worse than none, so a fuzzy match is
 * accepted only when one candidate is clearly ahead; otherwise the answer is "none" with
 * suggestions. The names and aliases are read once per resolver, so thousands of names cost
 * two queries.
 */
import { distance } from 'fastest-levenshtein';
import type { Sql } from '../../store/db.ts';
import { coreKey, countryKey, HAN_FORM_SUFFIXES, isHanKey, UNRESOLVABLE_KEYS } from './countries.aliases.ts';

/** How a name was matched. */
export type CountryMatch = 'exact' | 'alias' | 'fuzzy' | 'none';

/** A candidate country with a similarity score in [0, 1]. */
export interface CountrySuggestion {
  iso3: string;
  name_zh: string;
  name_en: string;
  score: number;
}

/** The resolution of one input name. */
export interface CountryResolution {
  input: string;
  iso3: string | null;
  name_zh: string | null;
  name_en: string | null;
  match: CountryMatch;
  suggestions: CountrySuggestion[];
}

interface CountryRow {
  iso3: string;
  iso2: string;
  name_zh: string;
  name_en: string;
}

interface AliasRow {
  alias_key: string;
  alias: string;
  iso3: string;
}

// Thresholds. A fuzzy winner needs FUZZY_MIN and a lead of FUZZY_MARGIN over the best other
// country; suggestions are shown from SUGGEST_MIN. A rule-derived long form scores RULE_SCORE.
const FUZZY_MIN = 0.8;
const FUZZY_MARGIN = 0.1;
const SUGGEST_MIN = 0.4;
const SUGGEST_MAX = 5;
const RULE_SCORE = 0.95;
const PART_OF_SCORE = 0.9;

type Outcome = Omit<CountryResolution, 'input'>;

interface Candidate {
  key: string;
  iso3: string;
  han: boolean;
}

/** Resolves names against one snapshot of the countries and aliases tables. */
export class CountryResolver {
  private readonly countries = new Map<string, CountryRow>();
  /** key → iso3 and whether the key is a canonical name or code (exact) or an alias. */
  private readonly keys = new Map<string, { iso3: string; match: 'exact' | 'alias' }>();
  /** Key of a Latin name without form words → the countries it belongs to. */
  private readonly cores = new Map<string, Set<string>>();
  private readonly candidates: Candidate[] = [];
  private readonly memo = new Map<string, Outcome>();

  constructor(countries: CountryRow[], aliases: AliasRow[]) {
    for (const c of countries) {
      const row = { iso3: c.iso3.trim(), iso2: c.iso2.trim(), name_zh: c.name_zh, name_en: c.name_en };
      this.countries.set(row.iso3, row);
    }
    for (const c of this.countries.values()) {
      for (const code of [c.iso3, c.iso2]) this.keys.set(countryKey(code), { iso3: c.iso3, match: 'exact' });
    }
    // Canonical names after codes, so that a name never loses to a code; aliases never override either.
    for (const c of this.countries.values()) {
      for (const name of [c.name_zh, c.name_en]) {
        const key = countryKey(name);
        if (key) this.keys.set(key, { iso3: c.iso3, match: 'exact' });
        this.addCandidate(key, c.iso3);
        this.addCore(name, c.iso3);
      }
    }
    for (const a of aliases) {
      const iso3 = a.iso3.trim();
      if (!this.countries.has(iso3)) continue;
      if (!this.keys.has(a.alias_key)) this.keys.set(a.alias_key, { iso3, match: 'alias' });
      this.addCandidate(a.alias_key, iso3);
      this.addCore(a.alias, iso3);
    }
  }

  private addCandidate(key: string, iso3: string): void {
    const han = isHanKey(key);
    // Codes and other short Latin keys (UK, UAE, DRC) are looked up, never approximated.
    if (key.length < (han ? 2 : 4)) return;
    this.candidates.push({ key, iso3, han });
  }

  private addCore(name: string, iso3: string): void {
    const core = coreKey(name);
    if (!core) return;
    const set = this.cores.get(core) ?? new Set<string>();
    set.add(iso3);
    this.cores.set(core, set);
  }

  /** Resolves one name. */
  resolve(input: string): CountryResolution {
    // Memoised by the written form, not the key: the rules read commas and parentheses.
    const written = (input ?? '').normalize('NFKC').trim();
    let outcome = this.memo.get(written);
    if (!outcome) {
      outcome = this.resolveKey(written, countryKey(written));
      this.memo.set(written, outcome);
    }
    return { input, ...outcome, suggestions: outcome.suggestions.map((s) => ({ ...s })) };
  }

  private hit(iso3: string, match: CountryMatch, suggestions: CountrySuggestion[] = []): Outcome {
    const c = this.countries.get(iso3)!;
    return { iso3, name_zh: c.name_zh, name_en: c.name_en, match, suggestions };
  }

  private miss(suggestions: CountrySuggestion[]): Outcome {
    return { iso3: null, name_zh: null, name_en: null, match: 'none', suggestions };
  }

  private suggestion(iso3: string, score: number): CountrySuggestion {
    const c = this.countries.get(iso3)!;
    return { iso3, name_zh: c.name_zh, name_en: c.name_en, score: Math.round(score * 1000) / 1000 };
  }

  private resolveKey(input: string, key: string): Outcome {
    if (key === '') return this.miss([]);
    const direct = this.keys.get(key);
    if (direct) return this.hit(direct.iso3, direct.match);

    const curated = UNRESOLVABLE_KEYS.get(key);
    if (curated) {
      const first = curated.suggest.filter((i) => this.countries.has(i)).map((i) => this.suggestion(i, PART_OF_SCORE));
      const rest = top(this.ranked(key).filter((s) => !curated.suggest.includes(s.iso3)));
      return this.miss([...first, ...rest].slice(0, SUGGEST_MAX));
    }

    // Reordered forms: "Moldova, Republic of" → "Republic of Moldova", "Iran (Islamic Republic of)" → …
    for (const variant of reorderings(input)) {
      const v = this.keys.get(countryKey(variant));
      if (v) return this.hit(v.iso3, 'alias');
    }

    // Long forms: form words dropped ("Kingdom of Saudi Arabia"), Chinese endings cut (孟加拉人民共和国).
    const ruled = this.byRule(input, key);
    if (ruled) return this.hit(ruled, 'fuzzy', [this.suggestion(ruled, RULE_SCORE)]);

    const ranked = this.ranked(key);
    const [best, second] = ranked;
    if (best && best.score >= FUZZY_MIN && (!second || best.score - second.score >= FUZZY_MARGIN) && this.fuzzyAllowed(key, best)) {
      return this.hit(best.iso3, 'fuzzy', top(ranked));
    }
    return this.miss(top(ranked));
  }

  private byRule(input: string, key: string): string | null {
    if (isHanKey(key)) {
      for (const suffix of HAN_FORM_SUFFIXES) {
        if (!key.endsWith(suffix) || key.length - suffix.length < 2) continue;
        const hit = this.keys.get(key.slice(0, -suffix.length));
        if (hit) return hit.iso3;
      }
      return null;
    }
    const core = coreKey(input);
    if (!core) return null;
    const owners = this.cores.get(core);
    return owners && owners.size === 1 ? [...owners][0] : null;
  }

  /** Ranked suggestions: best score per country, highest first. */
  private ranked(key: string): (CountrySuggestion & { by: 'edit' | 'prefix' | 'contains' })[] {
    const han = isHanKey(key);
    const best = new Map<string, { score: number; by: 'edit' | 'prefix' | 'contains' }>();
    for (const c of this.candidates) {
      if (c.han !== han) continue;
      const long = Math.max(key.length, c.key.length);
      let score = 0;
      let by: 'edit' | 'prefix' | 'contains' = 'edit';
      // Edit distance only when the lengths allow a useful score at all (cheap pre-filter).
      if (Math.min(key.length, c.key.length) / long >= SUGGEST_MIN) score = 1 - distance(key, c.key) / long;
      // The input as an abbreviation of a longer name (沙特 → 沙特阿拉伯, Guiana ⊂ French Guiana).
      if (c.key.length > key.length && key.length >= 2 && c.key.includes(key)) {
        const contained = 0.8 + 0.2 * (key.length / c.key.length);
        if (contained > score) {
          score = contained;
          by = c.key.startsWith(key) ? 'prefix' : 'contains';
        }
      }
      const prev = best.get(c.iso3);
      if (score >= SUGGEST_MIN && (!prev || score > prev.score)) best.set(c.iso3, { score, by });
    }
    return [...best.entries()]
      .map(([iso3, v]) => ({ ...this.suggestion(iso3, v.score), by: v.by }))
      .sort((a, b) => b.score - a.score || a.iso3.localeCompare(b.iso3));
  }

  /**
   * Whether the best candidate may be taken as a fuzzy match. Short inputs never are; a Latin
   * name is accepted only on edit distance (containment in Latin names misleads: Papua ⊂ Papua
   * New Guinea, Guiana ⊂ French Guiana); a Chinese one also as a prefix covering half the name.
   */
  private fuzzyAllowed(key: string, best: { score: number; by: 'edit' | 'prefix' | 'contains' }): boolean {
    if (isHanKey(key)) {
      if (best.by === 'contains') return false;
      if (best.by === 'prefix') return best.score >= 0.9; // input covers at least half of the name
      return key.length >= 4;
    }
    return best.by === 'edit' && key.length >= 5;
  }
}

/** The first suggestions, without the ranking's bookkeeping. */
function top(ranked: (CountrySuggestion & { by: string })[]): CountrySuggestion[] {
  return ranked.slice(0, SUGGEST_MAX).map(({ iso3, name_zh, name_en, score }) => ({ iso3, name_zh, name_en, score }));
}

/** "A, B" → "B A" and "A (B)" → "B A", the orders WIPO and ISO lists use for long forms. */
function reorderings(input: string): string[] {
  const s = input.normalize('NFKC').trim();
  const out: string[] = [];
  const comma = /^([^,]+),\s*(.+)$/.exec(s);
  if (comma) out.push(`${comma[2]} ${comma[1]}`);
  const paren = /^([^(]+)\(([^)]+)\)\s*$/.exec(s);
  if (paren) out.push(`${paren[2]} ${paren[1]}`);
  return out;
}

/** Reads the countries and aliases once and returns a resolver for any number of names. */
export async function loadCountryResolver(sql: Sql): Promise<CountryResolver> {
  const countries = await sql.query<CountryRow>('SELECT iso3, iso2, name_zh, name_en FROM countries');
  const aliases = await sql.query<AliasRow>('SELECT alias_key, alias, iso3 FROM country_aliases');
  return new CountryResolver(countries, aliases);
}

/** Resolves a batch of names (same order as given); the tables are read once per call. */
export async function resolveCountries(sql: Sql, names: string[]): Promise<CountryResolution[]> {
  const resolver = await loadCountryResolver(sql);
  return names.map((n) => resolver.resolve(n));
}

/**
 * Text search of the demand and offer list (`q`), with the project tokenizer used as the
 * registries use it: a profile's titles, summaries, problem, advantages and keywords are
 * tokenized for indexing (every jieba word, Porter stems), the query for querying (its finest
 * words), and a profile matches when it holds every query word — Chinese words exactly, English
 * stems as prefixes (`crystal` finds `crystallisation`). A query with no searchable word (a code,
 * punctuation) matches its text literally.
 *
 * The table has no search column (the registries' tsvector), so the tokens live here, in
 * memory, per store: each profile's tokens are kept with its change stamp (`updated_at`, moved
 * by a trigger on every write, whoever writes) and computed again when the stamp moves. A
 * search reads the candidates' ids and stamps — already narrowed by the list's filters, its
 * access rule and, for Chinese words, a LIKE on the text (a word jieba finds is a substring of
 * the text) — and tokenizes only profiles it has not seen in their current state.
 */
import type { Db, Sql } from '../../store/db.ts';
import { tokenize } from '../../text/tokenize.ts';
import { PROFILE_SEARCH_TEXT, profileSearchTexts, profileStamps, type AddParam } from './market.repo.ts';

const HAN = /\p{Script=Han}/u;

interface Entry {
  stamp: string;
  /** Every token of the profile's text (index mode). */
  tokens: Set<string>;
}

const CACHES = new WeakMap<Db | Sql, Map<number, Entry>>();
/** Profiles whose text is read and tokenized per query to the store. */
const TEXT_BATCH = 2000;

/** The words a list query searches for, or null when it holds none (then it is matched literally). */
export function searchWords(q: string): { han: string[]; latin: string[] } | null {
  const words = [...new Set(tokenize(q, 'query'))];
  if (words.length === 0) return null;
  return { han: words.filter((w) => HAN.test(w)), latin: words.filter((w) => !HAN.test(w)) };
}

/** LIKE pattern of a literal text (escaped). */
export const likePattern = (s: string) => `%${s.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

/** The literal match of a query without searchable words, over the profile's search text. */
export function literalClause(q: string, add: AddParam): string {
  return `${PROFILE_SEARCH_TEXT} ILIKE ${add(likePattern(q.trim()))}`;
}

function holds(entry: Entry, words: { han: string[]; latin: string[] }): boolean {
  for (const w of words.han) if (!entry.tokens.has(w)) return false;
  outer: for (const w of words.latin) {
    if (entry.tokens.has(w)) continue;
    for (const t of entry.tokens) if (t.startsWith(w)) continue outer;
    return false;
  }
  return true;
}

/**
 * Ids of the profiles matching `where` (the list's filters and access rule, parameters in
 * `values`) that hold every word of the query.
 */
export async function searchProfileIds(db: Db | Sql, where: string[], values: unknown[], words: { han: string[]; latin: string[] }): Promise<number[]> {
  let cache = CACHES.get(db);
  if (!cache) CACHES.set(db, (cache = new Map()));
  const vals = [...values];
  const add: AddParam = (v) => `$${vals.push(v)}`;
  // A Chinese word of the text is a substring of it: the store narrows the candidates first.
  const narrowed = [...where, ...words.han.map((w) => `${PROFILE_SEARCH_TEXT} LIKE ${add(likePattern(w))}`)];
  const candidates = await profileStamps(db, narrowed, vals);
  const stale = candidates.filter((c) => cache.get(Number(c.id))?.stamp !== c.stamp).map((c) => Number(c.id));
  for (let i = 0; i < stale.length; i += TEXT_BATCH) {
    for (const r of await profileSearchTexts(db, stale.slice(i, i + TEXT_BATCH))) {
      cache.set(Number(r.id), { stamp: r.stamp, tokens: new Set(tokenize(r.text, 'index')) });
    }
  }
  const out: number[] = [];
  for (const c of candidates) {
    const entry = cache.get(Number(c.id));
    if (entry && holds(entry, words)) out.push(Number(c.id));
  }
  return out;
}

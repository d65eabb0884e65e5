/**
 * Text search of the demand and offer list (`q`), as the registries search: a profile's titles,
 * summaries, problem, advantages and keywords are tokenized by the project tokenizer (every
 * jieba word, Porter stems) into the `search` tsvector of migration 010, GIN-indexed; the query
 * is tokenized for querying (its finest words), and a profile matches when it holds every query
 * word — Chinese words exactly, English stems as prefixes (`crystal` finds `crystallisation`).
 * A query with no searchable word (a code, punctuation) matches its text literally.
 *
 * The vector is written with every create, edit and import (market.repo.ts). Profiles without
 * one — those that existed before migration 010, and those loaded or edited by plain SQL, which
 * clears it — are filled before a search runs (fillProfileSearch, one indexed probe when there
 * are none), so the first search after an upgrade pays for the backfill, once.
 */
import type { Sql } from '../../store/db.ts';
import { searchQuery } from '../../text/tokenize.ts';
import { fillProfileSearch, PROFILE_SEARCH_TEXT, type AddParam } from './market.repo.ts';

/** LIKE pattern of a literal text (escaped). */
export const likePattern = (s: string) => `%${s.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

/** The literal match of a query without searchable words, over the profile's search text. */
export function literalClause(q: string, add: AddParam): string {
  return `${PROFILE_SEARCH_TEXT} ILIKE ${add(likePattern(q.trim()))}`;
}

/**
 * The WHERE clause of a list search over `p` (the profile): the index-backed match of the
 * query's words, or the literal match of a query that has none. Fills missing vectors first.
 */
export async function searchClause(db: Sql, q: string, add: AddParam): Promise<string> {
  const tsq = searchQuery(q);
  if (!tsq) return literalClause(q, add);
  await fillProfileSearch(db);
  return `p.search @@ to_tsquery('simple', ${add(tsq)})`;
}

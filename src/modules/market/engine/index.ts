/** The cross-lingual matching core of the technology marketplace (issue 7): pure, no I/O. */
export { GENERIC_WORDS, GLOSSARY, type GlossaryEntry } from './glossary.ts';
export { cedictAvailable, cedictEnToZh, cedictZhToEn, glossaryEnHits, glossaryZhHits } from './dictionary.ts';
export { analyze, sanitizeText, stripHtml, AREA_WEIGHTS, GENERIC_WEIGHT, MAX_TEXT_CHARS, WEIGHTS, type Analysis, type Bag, type BagTerm, type Via } from './analyze.ts';
export { classifyText, techArea, type AreaHit } from './classify.ts';
export { TECH_AREAS, type TechArea } from './taxonomy.ts';
export {
  match,
  MatchIndex,
  PROFILE_KINDS,
  SCORING,
  type MatchFilters,
  type MatchOptions,
  type MatchOutcome,
  type MatchQuery,
  type MatchResult,
  type Profile,
  type ProfileKind,
  type Reason,
} from './matcher.ts';

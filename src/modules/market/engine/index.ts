/** The cross-lingual matching core of the technology marketplace (issue 7): pure, no I/O. */
export { GLOSSARY, type GlossaryEntry } from './glossary.ts';
export { cedictAvailable, cedictEnToZh, cedictZhToEn, glossaryEnHits, glossaryZhHits } from './dictionary.ts';
export { analyze, sanitizeText, stripHtml, MAX_TEXT_CHARS, WEIGHTS, type Analysis, type Bag, type BagTerm, type Via } from './analyze.ts';
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

import { describe, expect, it } from 'vitest';
import { americanSpelling } from './spelling.ts';
import { searchTokens, tokenize } from './tokenize.ts';

describe('British to American spelling before stemming', () => {
  it.each([
    ['organisation', 'organization'],
    ['characterisation', 'characterization'],
    ['optimised', 'optimized'],
    ['fertilisers', 'fertilizers'],
    ['analyse', 'analyze'],
    ['behaviour', 'behavior'],
    ['behavioural', 'behavioral'],
    ['tumours', 'tumors'],
    ['centre', 'center'],
    ['fibres', 'fibers'],
    ['modelling', 'modeling'],
    ['labelled', 'labeled'],
    ['programme', 'program'],
    ['ageing', 'aging'],
    ['licence', 'license'],
    ['haemostasis', 'hemostasis'],
    ['paediatric', 'pediatric'],
    ['oesophagus', 'esophagus'],
    ['anaemia', 'anemia'],
  ])('%s → %s', (british, american) => expect(americanSpelling(british)).toBe(american));

  it.each(['raise', 'promise', 'enterprise', 'exercise', 'expertise', 'precise', 'hour', 'four', 'your', 'drilling', 'filled', 'noise', 'wise', 'otherwise', 'this', 'crisis'])(
    'leaves %s alone',
    (word) => expect(americanSpelling(word)).toBe(word),
  );

  it('makes the two spellings one token, for matching and for the stored search vectors', () => {
    expect(tokenize('Organisation of paediatric haemostasis centres')).toEqual(tokenize('Organization of pediatric hemostasis centers'));
    expect(searchTokens('Organisation of paediatric haemostasis centres')).toEqual(searchTokens('Organization of pediatric hemostasis centers'));
  });
});

import { describe, expect, it } from 'vitest';
import { searchQuery, tokenize } from './tokenize.ts';

describe('tokenize', () => {
  it('splits a Latin or digit run from the Han characters that follow it', () => {
    // Before: "gis物流配送系统" was one token, so neither 物流 nor GIS found the record.
    expect(tokenize('GIS物流配送系统')).toEqual(expect.arrayContaining(['物流', '配送', '系统']));
    expect(tokenize('GIS物流配送系统')).toContain(tokenize('GIS')[0]);
    expect(tokenize('3MW变速变桨风电机组')).toEqual(expect.arrayContaining(['3mw', '风电', '机组']));
    expect(tokenize('CHO细胞培养')).toEqual(expect.arrayContaining(['cho', '细胞']));
    expect(tokenize('细胞CHO')).toEqual(expect.arrayContaining(['细胞', 'cho']));
  });

  it('keeps apostrophes and hyphens inside English words and stems them', () => {
    expect(tokenize("Oxford's new-generation batteries")).toEqual(['oxford', 'gener', 'batteri']);
  });

  it('a query for a Han word inside a mixed-script title finds it', () => {
    const doc = new Set(tokenize('GIS物流配送系统'));
    for (const t of tokenize('物流', 'query')) expect(doc.has(t)).toBe(true);
    expect(searchQuery('物流')).not.toBeNull();
  });
});

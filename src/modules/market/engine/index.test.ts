import { describe, expect, it } from 'vitest';
import { analyze, separateScripts } from './analyze.ts';
import { EN_DESCRIPTIONS, EN_DISTRACTORS } from './fixtures.ts';
import { MatchIndex, SCORING } from './matcher.ts';

describe('separateScripts', () => {
  it('keeps Chinese words next to Latin acronyms and digits apart, so they are segmented', () => {
    expect(separateScripts('基于云计算的移动实时GIS物流配送系统')).toBe('基于云计算的移动实时 GIS 物流配送系统');
    expect(separateScripts('3MW变速变桨风电机组')).toBe('3MW 变速变桨风电机组');
    expect(separateScripts('laser cladding 激光熔覆')).toBe('laser cladding 激光熔覆');
    const bag = analyze('CHO细胞高表达系统与抗体工业化生产工艺', 'query').bag;
    for (const t of ['cho', '细胞', '抗体', 'antibodi']) expect(bag.has(t), t).toBe(true);
  });
});

describe('MatchIndex internals', () => {
  const docs = [...EN_DESCRIPTIONS, ...EN_DISTRACTORS];

  it('after many removals (a global compaction) scores equal those of a fresh index', () => {
    const index = new MatchIndex();
    for (let i = 0; i < 3000; i++) index.add({ id: `n${i}`, kind: 'offer', title: `${docs[i % docs.length]} batch ${i % 7}` });
    for (let i = 0; i < 2500; i++) index.remove(`n${i}`);
    expect(index.size).toBe(500);
    const fresh = new MatchIndex();
    for (let i = 2500; i < 3000; i++) fresh.add({ id: `n${i}`, kind: 'offer', title: `${docs[i % docs.length]} batch ${i % 7}` });
    for (const q of ['超临界流体结晶', 'wireless sensor networks', '胶原蛋白海绵 batch']) {
      const a = index.match(q, { top: 20 });
      expect(a.map((r) => [r.id, r.score])).toEqual(fresh.match(q, { top: 20 }).map((r) => [r.id, r.score]));
      for (const r of a) {
        expect(r.coverage).toBeGreaterThan(0);
        expect(r.coverage).toBeLessThanOrEqual(1);
      }
    }
  });

  it(`terms in more than ${SCORING.maxDfFraction * 100} % of a large collection only complete scores; alone they still match`, () => {
    const index = new MatchIndex();
    for (let i = 0; i < 1500; i++) index.add({ id: `c${i}`, kind: 'offer', title: `common platform ${i}` });
    index.add({ id: 'rare', kind: 'offer', title: 'graphene common platform' });
    expect(index.match('graphene common', { top: 50 }).map((r) => r.id)).toEqual(['rare']);
    expect(index.match('common', { top: 5 })).toHaveLength(5);
  });

  it('asks the caller’s accept() only for profiles that would enter the top k', () => {
    const index = new MatchIndex();
    docs.forEach((d, i) => index.add({ id: `d${i}`, kind: 'offer', title: d }));
    const asked: string[] = [];
    const out = index.match('supercritical fluid crystallization drugs', {
      top: 2,
      accept: (p) => {
        asked.push(p.id);
        return p.id !== 'd17';
      },
    });
    expect(out.map((r) => r.id)).not.toContain('d17');
    expect(out).toHaveLength(2);
    expect(asked.length).toBeLessThan(index.match('supercritical fluid crystallization drugs', { top: 100 }).length);
  });
});

import { describe, expect, it } from 'vitest';
import { buildDataTable } from './data.ts';
import { EngineError } from './errors.ts';
import { buildFramework, buildFrameworkFromNodes, lineage, pruneFramework } from './framework.ts';
import { makeFramework } from './engine.factory.ts';
import type { IMetaRow } from './types.ts';

function codeOf(fn: () => unknown): { code: string; details: unknown[] } {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(EngineError);
    const err = e as EngineError;
    // Chinese message first, English alongside (the engine's error contract).
    expect(err.message).toMatch(/[\u4e00-\u9fff]/);
    expect(err.message_en).toMatch(/[a-z]/);
    return { code: err.code, details: err.details };
  }
  throw new Error('expected an EngineError');
}

const base: IMetaRow[] = [
  { iCode: 'A', iName: 'A', Level: 1, Parent: 'D1', Direction: 1, Weight: 1, Type: 'Indicator' },
  { iCode: 'B', iName: 'B', Level: 1, Parent: 'D1', Direction: -1, Weight: 2, Type: 'Indicator', Target: '5' },
  { iCode: 'C', iName: 'C', Level: 1, Parent: 'D2', Direction: 1, Weight: 1, Type: 'Indicator', Denominator: 'Pop' },
  { iCode: 'D1', iName: 'D1', Level: 2, Parent: 'Idx', Direction: 1, Weight: 1, Type: 'Aggregate' },
  { iCode: 'D2', iName: 'D2', Level: 2, Parent: 'Idx', Direction: 1, Weight: 1, Type: 'Aggregate' },
  { iCode: 'Idx', iName: 'Index', Level: 3, Parent: null, Direction: 1, Weight: 1, Type: 'Aggregate' },
  { iCode: 'Grp', Type: 'Group' },
  { iCode: 'Pop', Type: 'Denominator' },
];

describe('buildFramework (COINr iMeta rows)', () => {
  it('builds the tree with children, levels, directions, targets and denominators', () => {
    const fw = buildFramework(base, { version: 'v1' });
    expect(fw.indicators).toEqual(['A', 'B', 'C']);
    expect(fw.aggregates).toEqual(['D1', 'D2', 'Idx']);
    expect(fw.children).toEqual({ D1: ['A', 'B'], D2: ['C'], Idx: ['D1', 'D2'] });
    expect(fw.root).toBe('Idx');
    expect(fw.maxLevel).toBe(3);
    expect(fw.node.B).toMatchObject({ direction: -1, weight: 2, target: 5 });
    expect(fw.node.C.denominator).toBe('Pop');
    expect(fw.groups).toEqual(['Grp']);
    expect(fw.denominators).toEqual(['Pop']);
    expect(fw.version).toBe('v1');
    expect(lineage(fw, 'A')).toEqual(['Idx', 'D1', 'A']);
    // The framework is plain data: it survives JSON.
    expect(JSON.parse(JSON.stringify(fw))).toEqual(fw);
  });

  it('derives levels when they are absent', () => {
    const fw = buildFramework(base.map((r) => ({ ...r, Level: null })));
    expect(fw.node.Idx.level).toBe(3);
    expect(fw.node.D1.level).toBe(2);
  });

  it('refuses cycles', () => {
    const rows: IMetaRow[] = [
      { iCode: 'A', Level: 1, Parent: 'X', Type: 'Indicator' },
      { iCode: 'X', Parent: 'Y', Type: 'Aggregate' },
      { iCode: 'Y', Parent: 'X', Type: 'Aggregate' },
      { iCode: 'R', Parent: null, Type: 'Aggregate' },
    ];
    const e = codeOf(() => buildFramework(rows));
    expect(e.code).toBe('FRAMEWORK_CYCLE');
    expect(e.details[0]).toMatchObject({ cycle: expect.arrayContaining(['X', 'Y']) });
  });

  it('refuses unknown parents', () => {
    const e = codeOf(() => buildFramework([...base.slice(0, 5), { ...base[5] }, { iCode: 'E', Level: 1, Parent: 'Nope', Type: 'Indicator' }]));
    expect(e.code).toBe('UNKNOWN_PARENT');
    expect(e.details[0]).toMatchObject({ code: 'UNKNOWN_PARENT', value: 'Nope' });
  });

  it('refuses duplicate codes, reporting every duplicate', () => {
    const e = codeOf(() => buildFramework([...base, { ...base[0] }, { ...base[1] }]));
    expect(e.code).toBe('DUPLICATE_CODE');
    expect(e.details).toHaveLength(2);
  });

  it('refuses an indicator used as a parent', () => {
    expect(codeOf(() => buildFramework([...base, { iCode: 'Z', Level: 1, Parent: 'A', Type: 'Indicator' }])).code).toBe('PARENT_NOT_AGGREGATE');
  });

  it('refuses several roots, no root, empty aggregates and level inversions', () => {
    expect(codeOf(() => buildFramework([...base, { iCode: 'Idx2', Level: 3, Type: 'Aggregate' }])).code).toBe('MULTIPLE_ROOTS');
    expect(codeOf(() => buildFramework([...base, { iCode: 'Empty', Level: 2, Parent: 'Idx', Type: 'Aggregate' }])).code).toBe('EMPTY_AGGREGATE');
    expect(codeOf(() => buildFramework(base.map((r) => (r.iCode === 'D1' ? { ...r, Level: 4 } : r)))).code).toBe('LEVEL_MISMATCH');
    expect(codeOf(() => buildFramework(base.map((r) => (r.iCode === 'A' ? { ...r, Level: 2 } : r)))).code).toBe('LEVEL_MISMATCH');
  });

  it('refuses invalid directions, weights, targets, types and denominators', () => {
    expect(codeOf(() => buildFramework(base.map((r) => (r.iCode === 'A' ? { ...r, Direction: 2 } : r)))).code).toBe('INVALID_DIRECTION');
    expect(codeOf(() => buildFramework(base.map((r) => (r.iCode === 'A' ? { ...r, Weight: -1 } : r)))).code).toBe('INVALID_WEIGHT');
    expect(codeOf(() => buildFramework(base.map((r) => (r.iCode === 'A' ? { ...r, Target: 'high' } : r)))).code).toBe('INVALID_TARGET');
    expect(codeOf(() => buildFramework(base.map((r) => (r.iCode === 'A' ? { ...r, Type: 'Thing' } : r)))).code).toBe('INVALID_TYPE');
    expect(codeOf(() => buildFramework(base.map((r) => (r.iCode === 'C' ? { ...r, Denominator: 'GDP' } : r)))).code).toBe('UNKNOWN_DENOMINATOR');
    expect(codeOf(() => buildFramework(base.map((r) => (r.iCode === 'C' ? { ...r, Weight: 0 } : r)))).code).toBe('ZERO_WEIGHTS');
    expect(codeOf(() => buildFramework([])).code).toBe('FRAMEWORK_EMPTY');
  });
});

describe('buildFrameworkFromNodes and pruneFramework', () => {
  it('accepts the JSON node form', () => {
    const fw = makeFramework({ D1: ['a', 'b'], D2: ['c'] }, { directions: { b: -1 } });
    expect(fw.indicators).toEqual(['a', 'b', 'c']);
    expect(fw.node.b.direction).toBe(-1);
  });

  it('prunes indicators and the aggregates they leave empty, keeping groups and denominators', () => {
    const fw = buildFramework(base);
    const p = pruneFramework(fw, ['C']);
    expect(p.indicators).toEqual(['A', 'B']);
    expect(p.aggregates).toEqual(['D1', 'Idx']);
    expect(p.groups).toEqual(['Grp']);
    expect(p.denominators).toEqual(['Pop']);
    expect(codeOf(() => pruneFramework(fw, ['A', 'B', 'C'])).code).toBe('NO_INDICATORS_LEFT');
  });
});

describe('buildDataTable (COINr iData rows)', () => {
  const fw = buildFramework(base);
  it('parses numbers, blanks and NA, keeps groups and denominators', () => {
    const t = buildDataTable(fw, [
      { uCode: 'X', uName: 'Ex', A: '1.5', B: '', C: 'NA', Grp: 'g1', Pop: '1,000', Other: 'ignored' },
      { uCode: 'Y', uName: 'Why', A: 2, B: 3, C: 4, Grp: 'g2', Pop: 10 },
    ]);
    expect(t.values).toEqual([
      [1.5, null, null],
      [2, 3, 4],
    ]);
    expect(t.groups).toEqual({ Grp: ['g1', 'g2'] });
    expect(t.denominators).toEqual({ Pop: [1000, 10] });
    expect(t.unitNames).toEqual(['Ex', 'Why']);
  });

  it('refuses missing indicator columns, non-numeric cells and duplicate units, with row and column', () => {
    expect(codeOf(() => buildDataTable(fw, [{ uCode: 'X', A: 1, B: 2 }])).code).toBe('INDICATOR_NOT_IN_DATA');
    const e = codeOf(() => buildDataTable(fw, [{ uCode: 'X', A: 'abc', B: 2, C: 3 }]));
    expect(e.code).toBe('DATA_NOT_NUMERIC');
    expect(e.details[0]).toMatchObject({ row: 1, column: 'A', value: 'abc' });
    expect(codeOf(() => buildDataTable(fw, [{ uCode: 'X', A: 1, B: 2, C: 3 }, { uCode: 'X', A: 1, B: 2, C: 3 }])).code).toBe('DUPLICATE_UNIT');
    expect(codeOf(() => buildDataTable(fw, [])).code).toBe('DATA_EMPTY');
  });

  it('reads a panel (one row per unit and year)', () => {
    const t = buildDataTable(fw, [
      { uCode: 'X', Time: 2020, A: 1, B: 2, C: 3 },
      { uCode: 'X', Time: 2021, A: 1, B: 2, C: 3 },
    ]);
    expect(t.times).toEqual([2020, 2021]);
  });
});

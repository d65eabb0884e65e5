/**
 * Judgement matrices written as tables (issue 19 §10): CSV and Excel, fractions, an empty lower
 * triangle, several sheets — and each form problem reported at its row and column.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../errors.ts';
import { ahpAnalyse } from './engine/index.ts';
import { parseAhpFile, parseJudgement } from './indicators.ahp-file.ts';

const csvFile = (text: string, fileName = 'ahp.csv') => ({ buffer: Buffer.from(text, 'utf8'), fileName });

async function problems(text: string): Promise<{ code: string; row?: number; column?: string; message: string; message_en: string }[]> {
  try {
    await parseAhpFile(csvFile(text));
  } catch (e) {
    if (isAppError(e) && e.code === 'AHP_FILE_INVALID') return e.details as never;
    throw e;
  }
  throw new Error('expected AHP_FILE_INVALID');
}

describe('parseJudgement', () => {
  it('reads integers, decimals, fractions (also full-width ／) and empty cells', () => {
    expect(parseJudgement('3')).toBe(3);
    expect(parseJudgement(' 1/3 ')).toBeCloseTo(1 / 3, 12);
    expect(parseJudgement('1／5')).toBeCloseTo(0.2, 12);
    expect(parseJudgement('0.5')).toBe(0.5);
    expect(parseJudgement(7)).toBe(7);
    expect(parseJudgement('')).toBeNull();
    expect(parseJudgement(null)).toBeNull();
    expect(parseJudgement('三')).toBeUndefined();
    expect(parseJudgement('1/0')).toBeUndefined();
  });
});

describe('parseAhpFile', () => {
  it('reads a CSV matrix with fractions; the weights are those of the same matrix given as numbers', async () => {
    // A consistent matrix: a is twice b and four times c, so the weights are 4/7, 2/7, 1/7 and CR = 0.
    const [m] = await parseAhpFile(csvFile('I,a,b,c\na,1,2,4\nb,1/2,1,2\nc,1/4,1/2,1\n'));
    expect(m.parent).toBe('I');
    expect(m.codes).toEqual(['a', 'b', 'c']);
    const r = ahpAnalyse(m);
    expect(r.weights.map((w) => Math.round(w * 1e6) / 1e6)).toEqual([0.571429, 0.285714, 0.142857]);
    expect(r.cr).toBeCloseTo(0, 9);
  });

  it('fills an empty lower triangle with the reciprocals of the upper one', async () => {
    const [m] = await parseAhpFile(csvFile('I,a,b,c\na,1,3,5\nb,,1,3\nc,,,1\n'));
    expect(m.matrix).toEqual([
      [1, 3, 5],
      [1 / 3, 1, 3],
      [1 / 5, 1 / 3, 1],
    ]);
  });

  it('reads one matrix per sheet of an Excel workbook, naming a matrix by its sheet when the corner is empty', async () => {
    const wb = new ExcelJS.Workbook();
    const top = wb.addWorksheet('INDEX');
    top.addRows([[null, 'P1', 'P2'], ['P1', 1, 3], ['P2', 1 / 3, 1]]);
    const p1 = wb.addWorksheet('second');
    p1.addRows([['P1', 'x', 'y', 'z'], ['x', 1, 1, 2], ['y', 1, 1, 2], ['z', 0.5, 0.5, 1]]);
    const buffer = Buffer.from(await wb.xlsx.writeBuffer());
    const ms = await parseAhpFile({ buffer, fileName: 'ahp.xlsx' }, new Set(['INDEX', 'P1', 'P2', 'x', 'y', 'z']));
    expect(ms.map((m) => m.parent)).toEqual(['INDEX', 'P1']);
    // x and y equal, each twice z: weights 0.4, 0.4, 0.2.
    expect(ahpAnalyse(ms[1]).weights.map((w) => Math.round(w * 1e6) / 1e6)).toEqual([0.4, 0.4, 0.2]);
    // P1 three times P2: 0.75, 0.25.
    expect(ahpAnalyse(ms[0]).weights.map((w) => Math.round(w * 1e6) / 1e6)).toEqual([0.75, 0.25]);
  });

  it('reports every form problem with its code, row and column, in Chinese and English', async () => {
    const found = await problems('I,a,b,c\na,1,3,x\nb,0.5,1,12\nc,,,2\n');
    expect(found.map((p) => [p.code, p.row, p.column])).toEqual([
      ['AHP_CELL_INVALID', 2, 'c'],
      ['AHP_CELL_OUT_OF_SCALE', 3, 'c'],
      ['AHP_DIAGONAL', 4, 'c'],
    ]);
    for (const p of found) {
      expect(p.message).toMatch(/[\u4e00-\u9fff]/);
      expect(p.message_en).toMatch(/[a-z]/);
    }
  });

  it('refuses judgements that are not reciprocal, comparisons left out, and codes that differ', async () => {
    expect((await problems('I,a,b\na,1,3\nb,0.5,1\n')).map((p) => [p.code, p.row, p.column])).toEqual([['AHP_NOT_RECIPROCAL', 3, 'a']]);
    expect((await problems('I,a,b,c\na,1,3,\nb,,1,2\nc,,,1\n')).map((p) => [p.code, p.row, p.column])).toEqual([['AHP_CELL_MISSING', 2, 'c']]);
    expect((await problems('I,a,b\nb,1,3\na,1/3,1\n')).map((p) => p.code)).toEqual(['AHP_CODES_MISMATCH']);
    expect((await problems(',a,b\na,1,3\nb,1/3,1\n')).map((p) => p.code)).toEqual(['AHP_PARENT_MISSING']);
  });

  it('says when Excel may have read 1/3 as a date', async () => {
    const [p] = await problems('I,a,b\na,1,3\nb,2026-01-03,1\n');
    expect(p.code).toBe('AHP_CELL_INVALID');
    expect(p.message).toContain('=1/3');
    expect(p.message_en).toContain('=1/3');
  });

  it('reports codes the framework does not have', async () => {
    try {
      await parseAhpFile(csvFile('I,a,q\na,1,3\nq,1/3,1\n'), new Set(['I', 'a', 'b']));
      throw new Error('expected a refusal');
    } catch (e) {
      expect(isAppError(e) && e.details.map((d) => [d.code, d.column])).toEqual([['AHP_CODE_UNKNOWN', 'q']]);
    }
  });
});

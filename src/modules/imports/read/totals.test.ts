import { describe, expect, it } from 'vitest';
import { classifyRow, describeTable } from './table.ts';
import { checkTotals, numericCells, TotalsChecker } from './totals.ts';
import type { CellValue, Issue, RowKind, TableShape } from './types.ts';

const CHANGZHOU = [
  ['辖区', '2011', '2012', '2013', '2014', '合计'],
  ['武进', '704', '720', '342', '350', '2116'],
  ['新北', '1765', '710', '1844', '150', '4469'],
  ['钟楼', '1465', '676', '70', '488', '2699'],
  ['天宁', '270', '0', '20', '50', '340'],
  ['戚墅堰', '1000', '0', '185', '50', '1235'],
  ['溧阳', '100', '0', '60', '0', '160'],
  ['金坛', '40', '0', '1255', '50', '1345'],
  ['市直属', '141', '260', '160', '50', '611'],
  ['科教城', '151', '40', '10', '0', '201'],
  ['合计', '5636', '2406', '3946', '1188', '13176'],
];

async function check(table: CellValue[][], opts: { decimal?: ',' | '.' } = {}): Promise<{ shape: TableShape; issues: Issue[] }> {
  const rows = table.map((cells, i) => ({ row: i + 1, cells }));
  const shape = describeTable(rows, opts)!.shape;
  const body = rows
    .filter((r) => r.row >= shape.dataStartRow)
    .map((r) => ({ ...r, kind: classifyRow(r.cells) }))
    .filter((r): r is { row: number; cells: CellValue[]; kind: RowKind } => r.kind !== 'empty');
  const issues: Issue[] = [];
  for await (const i of checkTotals(body, shape, opts)) issues.push(i);
  return { shape, issues };
}

const edit = (table: string[][], row: number, col: number, value: string) =>
  table.map((r, i) => (i === row - 1 ? r.map((c, j) => (j === col ? value : c)) : r));

describe('TotalsChecker', () => {
  it('finds the Changzhou table consistent', async () => {
    expect((await check(CHANGZHOU)).issues).toEqual([]);
  });

  it('reports one wrong row total once, on its row and column', async () => {
    const { issues } = await check(edit(CHANGZHOU, 2, 5, '2117'));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ row: 2, column: 5, code: 'TOTAL_MISMATCH', severity: 'warning', stated: 2117, computed: 2116 });
    expect(issues[0].message).toBe('第 2 行「合计」列：合计列填写为 2117，按本行明细计算为 2116');
  });

  it('reports one wrong column total once', async () => {
    const { issues } = await check(edit(CHANGZHOU, 11, 2, '2407'));
    expect(issues.map((i) => [i.row, i.column, i.stated, i.computed])).toEqual([[11, 2, 2407, 2406]]);
    expect(issues[0].message).toBe('第 11 行「2012」列：合计行填写为 2407，按明细计算为 2406');
    expect(issues[0].message_en).toBe('Row 11, column "2012": The total row states 2407; the detail rows add up to 2406');
  });

  it('reports a wrong grand total once, against all detail cells', async () => {
    const { issues } = await check(edit(CHANGZHOU, 11, 5, '13175'));
    expect(issues.map((i) => [i.row, i.column, i.stated, i.computed])).toEqual([[11, 5, 13175, 13176]]);
    expect(issues[0].message).toContain('总计填写为 13175，按全部明细计算为 13176');
  });

  it('flags every total that covers a wrong detail cell', async () => {
    const { issues } = await check(edit(CHANGZHOU, 2, 1, '705'));
    expect(issues.map((i) => [i.row, i.column])).toEqual([
      [2, 5],
      [11, 1],
      [11, 5],
    ]);
  });

  it('checks a total row written above its details', async () => {
    const top = [CHANGZHOU[0], edit(CHANGZHOU, 11, 3, '3940')[10], ...CHANGZHOU.slice(1, 10)];
    const { shape, issues } = await check(top);
    expect(shape.totalRowIndexes).toEqual([2]);
    expect(issues.map((i) => [i.row, i.column, i.stated, i.computed])).toEqual([[2, 3, 3940, 3946]]);
  });

  it('checks subtotals against their section and the total against all data rows', async () => {
    const table = [
      ['地区', '项目数', '经费'],
      ['武进', '3', '300'],
      ['新北', '2', '250'],
      ['小计', '5', '550'],
      ['溧阳', '1', '10'],
      ['金坛', '4', '41'],
      ['小计', '5', '50'],
      ['合计', '10', '600'],
    ];
    const { issues } = await check(table);
    expect(issues.map((i) => [i.row, i.column, i.stated, i.computed])).toEqual([
      [7, 2, 50, 51],
      [8, 2, 600, 601],
    ]);
  });

  it('leaves 其中 rows out of the sums', async () => {
    const table = [
      ['地区', '项目数'],
      ['武进', '3'],
      ['其中：国家级', '1'],
      ['新北', '2'],
      ['合计', '5'],
    ];
    expect((await check(table)).issues).toEqual([]);
  });

  it('tolerates totals rounded to the decimals they are written with', async () => {
    const table = [
      ['指标', 'A', 'B', '合计'],
      ['x', '4.44', '8.79', '13.2'],
      ['y', '0.1', '0.2', '0.3'],
      ['合计', '4.54', '8.99', '13.5'],
    ];
    expect((await check(table)).issues).toEqual([]);
    const off = edit(table, 2, 3, '13.3');
    expect((await check(off)).issues.map((i) => [i.row, i.column])).toEqual([[2, 3]]);
    // Whole-number details: within 0.5, whichever side carries decimals.
    expect((await check(edit(CHANGZHOU, 2, 5, '2116.4'))).issues).toEqual([]);
    expect((await check(edit(CHANGZHOU, 2, 5, '2116.6'))).issues).toHaveLength(1);
  });

  it('reads decimal commas and written-out numbers', async () => {
    const table = [
      ['Land', 'A', 'B', 'Total'],
      ['x', '1,5', '2,25', '3,75'],
      ['y', '1.000', '2', '1.002'],
    ];
    expect((await check(table, { decimal: ',' })).issues).toEqual([]);
  });

  it('does not check columns holding text, ratios or unknown values', async () => {
    const table = [
      ['地区', '经费', '占比(%)', '说明', '增长率'],
      ['武进', '300', '60', '见附件', '5.5'],
      ['新北', '#DIV/0!', '40', '无', '3.1'],
      ['合计', '999', '100', '合计说明', '4.2'],
    ];
    expect((await check(table)).issues).toEqual([]);
  });

  it('keeps a few numbers per column, whatever the number of rows', () => {
    const shape = describeTable(CHANGZHOU.map((cells, i) => ({ row: i + 1, cells })))!.shape;
    const checker = new TotalsChecker(shape);
    for (let r = 0; r < 100_000; r++) checker.push(r + 2, 'data', [null, 1, 2, 3, 4, 10]);
    expect(checker.push(100_002, 'total', [null, 100_000, 200_000, 300_000, 400_000, 1_000_000])).toEqual([]);
  });
});

describe('numericCells', () => {
  it('gives null for empty cells and NaN for text', () => {
    expect(numericCells(['1', '', '-', 'abc', '1,234', 5, null, '2024-03-01'])).toEqual([1, null, null, Number.NaN, 1234, 5, null, Number.NaN]);
    expect(numericCells(['12,5'], ',')).toEqual([12.5]);
  });
});

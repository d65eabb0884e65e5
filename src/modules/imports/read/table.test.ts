import { describe, expect, it } from 'vitest';
import { classifyRow, describeTable, sniffDecimal, totalWord } from './table.ts';
import type { CellValue, RawRow } from './types.ts';

const raw = (rows: CellValue[][], first = 1): RawRow[] => rows.map((cells, i) => ({ row: first + i, cells }));

const describe_ = (rows: CellValue[][]) => {
  const d = describeTable(raw(rows));
  if (!d) throw new Error('no header found');
  return d;
};

const CHANGZHOU = [
  ['辖区', '2011', '2012', '2013', '2014', '合计'],
  ['武进', '704', '720', '342', '350', '2116'],
  ['新北', '1765', '710', '1844', '150', '4469'],
  ['钟楼', '1465', '676', '70', '488', '2699'],
  ['合计', '3934', '2106', '2256', '988', '9284'],
];

describe('describeTable: header', () => {
  it('takes the first row of a plain table', () => {
    const { shape, issues } = describe_(CHANGZHOU);
    expect(shape).toMatchObject({ preambleRows: [], headerRows: [1], dataStartRow: 2, keyColumns: [0], totalRowIndexes: [5] });
    expect(shape.columns.map((c) => [c.label, c.kind, c.year])).toEqual([
      ['辖区', 'data', undefined],
      ['2011', 'year', 2011],
      ['2012', 'year', 2012],
      ['2013', 'year', 2013],
      ['2014', 'year', 2014],
      ['合计', 'total', undefined],
    ]);
    expect(shape.columns[5].totalOf).toEqual([1, 2, 3, 4]);
    expect(issues).toEqual([]);
  });

  it('skips the World Bank preamble', () => {
    const { shape } = describe_([
      ['Data Source', 'World Development Indicators', ''],
      [''],
      ['Last Updated Date', '2026-07-13', ''],
      [''],
      ['Country Name', 'Country Code', 'Indicator Name', 'Indicator Code', '1960', '1961', '2023', ''],
      ['Aruba', 'ABW', 'R&D', 'GB.XPD', '', '', '', ''],
      ['China', 'CHN', 'R&D', 'GB.XPD', '', '', '2.57729', ''],
    ]);
    expect(shape).toMatchObject({ preambleRows: [1, 3], headerRows: [5], dataStartRow: 6 });
    expect(shape.columns).toHaveLength(7);
    expect(shape.columns.filter((c) => c.kind === 'year').map((c) => c.year)).toEqual([1960, 1961, 2023]);
  });

  it('skips titles, unit lines and form headers above the column names', () => {
    const { shape } = describe_([
      ['2011-2014年常州市各辖区国际科技合作项目经费', '2011-2014年常州市各辖区国际科技合作项目经费', '2011-2014年常州市各辖区国际科技合作项目经费'],
      ['单位：万元'],
      ['填报单位：常州市科技局', '', '填报日期：2024-03-01'],
      ['辖区', '2011', '合计'],
      ['武进', '704', '704'],
    ]);
    expect(shape).toMatchObject({ preambleRows: [1, 2, 3], headerRows: [4], dataStartRow: 5 });
  });

  it('joins a two-row header whose group cell spans columns (CSV export of merged cells)', () => {
    const { shape } = describe_([
      ['辖区', '经费（万元）', '', '', '', '合计'],
      ['', '2011', '2012', '2013', '2014年', ''],
      ['武进', '704', '720', '342', '350', '2116'],
      ['新北', '1765', '710', '1844', '150', '4469'],
    ]);
    expect(shape.headerRows).toEqual([1, 2]);
    expect(shape.dataStartRow).toBe(3);
    expect(shape.columns.map((c) => c.label)).toEqual(['辖区', '经费(万元) / 2011', '经费(万元) / 2012', '经费(万元) / 2013', '经费(万元) / 2014年', '合计']);
    expect(shape.columns[1]).toMatchObject({ original: '经费（万元） / 2011', path: ['经费(万元)', '2011'], kind: 'year', year: 2011 });
    expect(shape.columns[5]).toMatchObject({ kind: 'total', totalOf: [1, 2, 3, 4] });
  });

  it('joins group headers and totals each measure across the groups', () => {
    const { shape } = describe_([
      ['地区', '国家级', '', '省级', '', '合计', ''],
      ['', '项目数', '经费', '项目数', '经费', '项目数', '经费'],
      ['武进', '3', '300', '5', '120', '8', '420'],
      ['新北', '2', '250', '4', '90', '6', '340'],
    ]);
    expect(shape.columns.map((c) => c.label)).toEqual([
      '地区', '国家级 / 项目数', '国家级 / 经费', '省级 / 项目数', '省级 / 经费', '合计 / 项目数', '合计 / 经费',
    ]);
    expect(shape.columns[5]).toMatchObject({ kind: 'total', totalOf: [1, 3] });
    expect(shape.columns[6]).toMatchObject({ kind: 'total', totalOf: [2, 4] });
  });

  it('totals a group\'s siblings for a 小计 under it', () => {
    const { shape } = describe_([
      ['地区', '经费', '', '', '项目数'],
      ['', '国家级', '省级', '小计', ''],
      ['武进', '300', '120', '420', '8'],
    ]);
    expect(shape.columns[3]).toMatchObject({ label: '经费 / 小计', kind: 'total', totalOf: [1, 2] });
    expect(shape.columns[4]).toMatchObject({ label: '项目数', kind: 'data' });
  });

  it('does not take an all-text first data row for a second header row', () => {
    const { shape } = describe_([
      ['国别', '产业', '', '项目名称'],
      ['以色列', '新医药产业', '备注', '核磁共振引导聚焦超声治疗肝癌技术研发及产业化'],
      ['英国', '新医药产业', '', '超临界流体药物结晶技术的联合开发'],
    ]);
    expect(shape.headerRows).toEqual([1]);
  });

  it('uses merge information of XLSX rows', () => {
    const rows: RawRow[] = [
      { row: 1, cells: ['辖区', '经费', '经费', '合计'], merges: [{ row: 1, col: 0 }, { row: 1, col: 1 }, { row: 1, col: 1 }, { row: 1, col: 3 }] },
      { row: 2, cells: ['辖区', 2011, 2012, '合计'], merges: [{ row: 1, col: 0 }, undefined, undefined, { row: 1, col: 3 }] },
      { row: 3, cells: ['武进', 704, 720, 1424] },
    ];
    const d = describeTable(rows)!;
    expect(d.shape.headerRows).toEqual([1, 2]);
    expect(d.shape.columns.map((c) => c.label)).toEqual(['辖区', '经费 / 2011', '经费 / 2012', '合计']);
    expect(d.shape.columns[3].totalOf).toEqual([1, 2]);
  });

  it('reports empty and repeated column names', () => {
    const { issues } = describe_([
      ['国家', '得分', '', '得分'],
      ['中国', '56.6', 'x', '1'],
    ]);
    expect(issues.map((i) => [i.code, i.row, i.column])).toEqual([
      ['HEADER_LABEL_EMPTY', 1, 2],
      ['HEADER_DUPLICATE', 1, 3],
    ]);
    expect(issues[1].message).toContain('得分');
  });

  it('takes month and quarter names for labels', () => {
    const { shape } = describe_([
      ['地区', '1月', '2月', '3月', '一季度合计'],
      ['武进', '10', '20', '30', '60'],
    ]);
    expect(shape.headerRows).toEqual([1]);
    expect(shape.columns[4]).toMatchObject({ kind: 'total', totalOf: [1, 2, 3] });
  });

  it('gives up on tables without a header', () => {
    expect(describeTable(raw([['1', '2', '3'], ['4', '5', '6']]))).toBeUndefined();
    expect(describeTable(raw([[''], ['']]))).toBeUndefined();
    expect(describeTable([])).toBeUndefined();
  });

  it('finds total rows at the top as well as at the bottom', () => {
    const { shape } = describe_([CHANGZHOU[0], ['合 计', '3934', '2106', '2256', '988', '9284'], ...CHANGZHOU.slice(1, 4)]);
    expect(shape.totalRowIndexes).toEqual([2]);
    expect(shape.dataStartRow).toBe(2);
  });
});

describe('describeTable: columns', () => {
  it.each([
    ['合计（万元）', 'total'],
    ['经费合计', 'total'],
    ['2011-2014年合计', 'total'],
    ['Total', 'total'],
    ['SUM', 'total'],
    ['总额', 'total'],
    ['Total cost', 'data'], // CORDIS: a project's cost, not a total of other columns
    ['项目总经费', 'data'],
  ])('%j is a %s column', (label, kind) => {
    const { shape } = describe_([
      ['名称', 'A', 'B', label],
      ['x', '1', '2', '3'],
      ['y', '4', '5', '9'],
    ]);
    expect(shape.columns[3].kind).toBe(kind);
  });

  it('matches "Total X" to the columns of the same measure', () => {
    const { shape } = describe_([
      ['country', 'FP7 projects', 'FP7 funded projects', 'FP7 funding (€)', 'H2020 projects', 'H2020 funded projects', 'H2020 funding (€)', 'Total projects', 'Total funded projects', 'Total funding (€)'],
      ['CA', '171', '79', '12495472.71', '392', '52', '15513802.51', '563', '131', '28009275.22'],
      ['NZ', '42', '27', '4327803.2', '70', '13', '2636419', '112', '40', '6964222.2'],
    ]);
    expect(shape.columns.slice(7).map((c) => [c.kind, c.totalOf])).toEqual([
      ['total', [1, 4]],
      ['total', [2, 5]],
      ['total', [3, 6]],
    ]);
  });

  it('describes what the first rows hold', () => {
    const { shape } = describe_([
      ['名称', '金额', '日期', '备注', '空'],
      ['a', '1,200', '2024-03-01', 'x', ''],
      ['b', '-', '2024/3/2', 'y', ''],
      ['c', '12万元', '2024年3月3日', '3', ''],
    ]);
    expect(shape.columns.map((c) => c.valueType)).toEqual(['text', 'number', 'date', 'text', 'empty']);
  });

  it('finds composite keys (economy and year in a long panel)', () => {
    const rows = raw([
      ['Economies', 'Year', 'Score'],
      ['Albania', '2011', '30,45'],
      ['Albania', '2012', '30,4'],
      ['China', '2011', '46,43'],
    ]);
    expect(describeTable(rows, { decimal: ',' })!.shape.keyColumns).toEqual([0, 1]);
    // Read with the wrong decimal separator the scores look like text, and identify the rows.
    expect(describeTable(rows, { decimal: '.' })!.shape.keyColumns).toEqual([2]);
  });
});

describe('classifyRow', () => {
  it.each([
    [['合计', '1'], 'total'],
    [['合 计', '1'], 'total'],
    [['总计：', '1'], 'total'],
    [['全市合计', '1'], 'total'],
    [['', '合计', '1'], 'total'],
    [['Total', '1'], 'total'],
    [['Grand Total', '1'], 'total'],
    [['ＴＯＴＡＬ', '1'], 'total'],
    [['總計', '1'], 'total'],
    [['小计', '1'], 'subtotal'],
    [['Subtotal', '1'], 'subtotal'],
    [['其中：国家级', '1'], 'of_which'],
    [['注：数据来源于常州市科技局'], 'note'],
    [['Source: World Bank'], 'note'],
    [['前十位合作国项目经费合计', '15972'], 'data'],
    [['注：', 'x'], 'data'],
    [['武进', '704'], 'data'],
    [['', ''], 'empty'],
    [[null, 12], 'data'],
  ] as [CellValue[], string][])('%j → %s', (cells, kind) => expect(classifyRow(cells)).toBe(kind));

  it('knows the total words', () => {
    expect(totalWord('合计（万元）')).toBe('total');
    expect(totalWord('合计金额')).toBeUndefined();
  });
});

describe('sniffDecimal', () => {
  it('tells decimal commas from decimal points', () => {
    expect(sniffDecimal(raw([['Albania', '2011', '65,2', '32,7', '11052,79361']]))).toBe(',');
    expect(sniffDecimal(raw([['Albania', '29.6', '58.7']]))).toBe('.');
    expect(sniffDecimal(raw([['x', '1,234', '1,200']]))).toBe('.');
  });
});

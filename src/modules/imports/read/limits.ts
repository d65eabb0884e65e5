/**
 * How much a file may make the reader do. A table a bureau keeps is small; a file that asks for
 * gigabytes of XML, billions of merged cells or millions of rows is refused (or, for merged
 * ranges, read without expanding them) before it can exhaust the server's memory. The defaults
 * leave room for the largest real imports (a million partner rows); `src/config.ts` lets an
 * installation change them.
 */

export interface ReadLimits {
  /** XLSX: the sum of the sizes its parts inflate to (a zip bomb is small outside, huge inside). */
  readonly xlsxMaxDecompressedBytes: number;
  /** XLSX: how many times larger than its compressed bytes one part of over 1 MiB may inflate. */
  readonly xlsxMaxCompressionRatio: number;
  /**
   * XLSX: the cells merged ranges of one workbook may cover and still be expanded (every cell
   * of a range given the range's value). Beyond it the ranges are not expanded: the value stays
   * in each range's top-left cell, as in a CSV export, and XLSX_MERGE_TOO_LARGE says so.
   */
  readonly xlsxMaxMergedCells: number;
  /** The last row read: a sheet's physical row, a CSV file's record number. */
  readonly maxRows: number;
  /** Cells read in all (each row counted as wide as it is). */
  readonly maxCells: number;
  /** Characters of one CSV record; longer is almost always an unclosed quote. */
  readonly csvMaxRecordChars: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = Object.freeze({
  xlsxMaxDecompressedBytes: 1024 * 1024 * 1024,
  xlsxMaxCompressionRatio: 100,
  xlsxMaxMergedCells: 100_000,
  maxRows: 5_000_000,
  maxCells: 50_000_000,
  csvMaxRecordChars: 1024 * 1024,
});

/**
 * Readers that hold a whole table in memory (action plans, indicator data sets and frameworks,
 * marketplace profiles) read at most this many cells, whatever the general limit: their tables
 * have hundreds or thousands of rows, and a million cells already cost a few hundred MB.
 */
export const IN_MEMORY_MAX_CELLS = 1_000_000;

/** The limits for a reader that keeps every row it reads. */
export function inMemoryLimits(limits: ReadLimits): ReadLimits {
  return { ...limits, maxCells: Math.min(limits.maxCells, IN_MEMORY_MAX_CELLS) };
}

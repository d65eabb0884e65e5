import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('loadConfig: the limits on uploads and reading (README, Configuration)', () => {
  it('has the defaults the README states', () => {
    const c = loadConfig({});
    expect(c.readLimits).toEqual({
      xlsxMaxDecompressedBytes: 1024 * 1024 * 1024,
      xlsxMaxCompressionRatio: 100,
      xlsxMaxMergedCells: 100_000,
      maxRows: 5_000_000,
      maxCells: 50_000_000,
      csvMaxRecordChars: 1_048_576,
    });
    expect(c.maxImportBytes).toBe(512 * 1024 * 1024);
    expect(c.maxUploadsPerUser).toBe(2);
    expect(c.uploadDir).toBe(path.resolve(os.tmpdir()));
    expect(Object.isFrozen(c.readLimits)).toBe(true);
  });

  it('takes each from its variable', () => {
    const c = loadConfig({
      INNOLINK_MAX_XLSX_DECOMPRESSED_BYTES: '1000',
      INNOLINK_MAX_XLSX_COMPRESSION_RATIO: '20',
      INNOLINK_MAX_XLSX_MERGED_CELLS: '30',
      INNOLINK_MAX_IMPORT_ROWS: '40',
      INNOLINK_MAX_IMPORT_CELLS: '50',
      INNOLINK_MAX_CSV_RECORD_CHARS: '60',
      INNOLINK_MAX_UPLOADS_PER_USER: '3',
      INNOLINK_UPLOAD_DIR: 'uploads',
    });
    expect(c.readLimits).toEqual({ xlsxMaxDecompressedBytes: 1000, xlsxMaxCompressionRatio: 20, xlsxMaxMergedCells: 30, maxRows: 40, maxCells: 50, csvMaxRecordChars: 60 });
    expect(c.maxUploadsPerUser).toBe(3);
    expect(c.uploadDir).toBe(path.resolve('uploads'));
  });

  it.each(['INNOLINK_MAX_UPLOADS_PER_USER', 'INNOLINK_MAX_IMPORT_ROWS', 'INNOLINK_MAX_XLSX_COMPRESSION_RATIO'])('refuses %s=0 or a non-number, in both languages', (name) => {
    expect(() => loadConfig({ [name]: '0' })).toThrow(/配置错误 \/ Invalid configuration: .*must be at least 1/);
    expect(() => loadConfig({ [name]: 'many' })).toThrow(/not a non-negative integer/);
  });
});

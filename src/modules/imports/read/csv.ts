/**
 * Streaming CSV reading: sniff the delimiter, decode the bytes, and yield one row at a time with
 * its 1-based physical row number. Quotes, CRLF and lone CR line ends, ragged rows and quoted
 * line breaks are handled by csv-parse; its errors become coded issues on the row where they
 * occur, never exceptions.
 */
import { parse, type CsvError } from 'csv-parse';
import { decoderFor, type TextEncoding } from './decode.ts';
import { describeIssue, locate } from './issues.ts';
import type { Issue, RawRow } from './types.ts';

export type Delimiter = ',' | ';' | '\t' | '|';

const CANDIDATES: Delimiter[] = [',', ';', '\t', '|'];

/** A row longer than this many characters stops reading: it is almost always an unclosed quote. */
export const MAX_RECORD_CHARS = 1 << 20;

// Split the start of a file into lines, ignoring line breaks and delimiters inside quotes.
function sampleLines(sample: string, complete: boolean, maxLines = 40): string[] {
  const lines: string[] = [];
  let inQuotes = false;
  let start = 0;
  for (let i = 0; i < sample.length && lines.length < maxLines; i++) {
    const ch = sample[i];
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === '\n' || ch === '\r')) {
      lines.push(sample.slice(start, i));
      if (ch === '\r' && sample[i + 1] === '\n') i++;
      start = i + 1;
    }
  }
  // The last piece is a whole line only when the sample is the whole file.
  if (complete && lines.length < maxLines && start < sample.length) lines.push(sample.slice(start));
  return lines.filter((l) => l.trim() !== '');
}

function countOutsideQuotes(line: string, d: string): number {
  let n = 0;
  let inQuotes = false;
  for (const ch of line) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && ch === d) n++;
  }
  return n;
}

/**
 * The delimiter of a CSV file from its first lines: the candidate that splits the most lines
 * into the same number of fields, weighted towards more fields (so that the commas inside
 * "13/033,085" do not beat the semicolons between fields). Preamble lines such as World Bank's
 * "Data Source" lines are outvoted by the table below them. Defaults to ','.
 */
export function sniffDelimiter(sample: string, complete = false): Delimiter {
  const lines = sampleLines(sample, complete);
  if (lines.length === 0) return ',';
  let best: Delimiter = ',';
  let bestScore = 0;
  for (const d of CANDIDATES) {
    const counts = lines.map((l) => countOutsideQuotes(l, d));
    const freq = new Map<number, number>();
    for (const c of counts) if (c > 0) freq.set(c, (freq.get(c) ?? 0) + 1);
    let mode = 0;
    let modeCount = 0;
    for (const [c, f] of freq) {
      if (f > modeCount || (f === modeCount && c > mode)) [mode, modeCount] = [c, f];
    }
    if (mode === 0) continue;
    const score = (modeCount / lines.length) * Math.log(1 + mode);
    if (score > bestScore + 1e-9) [best, bestScore] = [d, score];
  }
  return best;
}

/** Decode a byte stream chunk by chunk; multi-byte characters split across chunks are kept whole. */
export async function* decodeChunks(bytes: AsyncIterable<Buffer>, encoding: TextEncoding): AsyncGenerator<string> {
  const decoder = decoderFor(encoding);
  for await (const chunk of bytes) {
    const text = decoder.write(chunk);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

export interface CsvOptions {
  delimiter: Delimiter;
  /** Encoding name for the message when replacement characters show up. */
  encoding?: string;
  maxRecordChars?: number;
}

/**
 * Parse decoded CSV text into rows. Rows hold trimmed strings. A row with a syntax problem is
 * yielded with no cells and the issue attached; after an unclosed quote or an oversized row
 * reading stops, because everything after is one broken field. Holds one chunk's rows at a time.
 */
export async function* parseCsv(text: AsyncIterable<string>, opts: CsvOptions): AsyncGenerator<RawRow> {
  const maxRecordChars = opts.maxRecordChars ?? MAX_RECORD_CHARS;
  const records: string[][] = [];
  // Each skipped record is remembered with the number of good records before it, so that it is
  // reported in its place whenever the stream delivers the records around it.
  const skips: { before: number; error: CsvError }[] = [];
  const parser = parse({
    delimiter: opts.delimiter,
    quote: '"',
    escape: '"',
    bom: false,
    ltrim: true,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: false,
    skip_records_with_error: true,
    record_delimiter: ['\r\n', '\n', '\r'],
    max_record_size: maxRecordChars,
  });
  let fatal: Error | undefined;
  let ended = false;
  let wake: (() => void) | undefined;
  const settle = () => {
    ended = true;
    wake?.();
  };
  parser.on('data', (r: string[]) => records.push(r));
  parser.on('skip', (error: CsvError) => skips.push({ before: parser.info.records, error }));
  parser.on('error', (e: Error) => {
    fatal = e;
    settle();
  });
  parser.on('end', settle);
  parser.on('close', settle);

  let row = 0;
  let delivered = 0;
  let stop = false;
  const skipRow = function (error: CsvError): RawRow {
    row++;
    if (error.code === 'CSV_QUOTE_NOT_CLOSED' || error.code === 'CSV_MAX_RECORD_SIZE') stop = true;
    return { row, cells: [], issues: [csvIssue(error, row, maxRecordChars)] };
  };
  const drain = function* (final: boolean): Generator<RawRow> {
    let i = 0;
    for (; i < records.length && !stop; i++) {
      while (skips.length && skips[0].before <= delivered && !stop) yield skipRow(skips.shift()!.error);
      if (stop) break;
      row++;
      delivered++;
      const cells = records[i].map((c) => c.trim());
      if (row === 1 && cells.length && cells[0].startsWith('\uFEFF')) cells[0] = cells[0].slice(1).trim();
      const out: RawRow = { row, cells };
      const bad = cells.findIndex((c) => c.includes('\uFFFD'));
      if (bad >= 0) out.cellIssues = [{ column: bad, issue: describeIssue('ENCODING_INVALID_BYTES', { encoding: opts.encoding ?? 'UTF-8' }) }];
      yield out;
    }
    records.splice(0, i);
    while (skips.length && (final || skips[0].before <= delivered) && !stop) yield skipRow(skips.shift()!.error);
  };

  const write = (chunk: string) =>
    new Promise<void>((resolve) => {
      parser.write(chunk, () => resolve());
    });
  try {
    for await (const chunk of text) {
      await write(chunk);
      yield* drain(false);
      if (stop || fatal) break;
    }
    if (!stop && !fatal) {
      parser.end();
      while (!ended) await new Promise<void>((resolve) => (wake = resolve));
      yield* drain(true);
    }
    if (fatal && !stop) {
      yield* drain(true);
      row++;
      yield { row, cells: [], issues: [csvIssue(fatal as CsvError, row, maxRecordChars)] };
    }
  } finally {
    parser.destroy();
  }
}

function csvIssue(err: CsvError, row: number, maxRecordChars: number): Issue {
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return locate(describeIssue('CSV_QUOTE_NOT_CLOSED', {}), { row });
    case 'CSV_MAX_RECORD_SIZE':
      return locate(describeIssue('CSV_ROW_TOO_LARGE', { limit: maxRecordChars }), { row });
    default:
      return locate(describeIssue('CSV_MALFORMED', { detail: err.message }), { row });
  }
}

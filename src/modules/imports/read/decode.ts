/**
 * Which text encoding a file uses, told from its first bytes so that big files can stream:
 * a byte-order mark; otherwise valid UTF-8; otherwise GB18030 (a superset of GBK and GB2312)
 * for Chinese, or Windows-1252 for Latin text such as "Côte d'Ivoire".
 */
import chardet from 'chardet';
import iconv from 'iconv-lite';

/** Encodings the reader decodes, in iconv-lite's names. */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030' | 'windows-1252';

export interface DetectedEncoding {
  encoding: TextEncoding;
  /** 0–1: 1 for a BOM or pure ASCII, lower when the guess rests on byte statistics. */
  confidence: number;
  /** Length of the byte-order mark at the start, if any. */
  bomLength: number;
}

/** How many leading bytes detection needs; more are ignored. */
export const SNIFF_BYTES = 64 * 1024;

/**
 * Whether bytes are valid UTF-8, and whether any byte was outside ASCII. A sequence cut off at
 * the end of the sample counts as valid, since the sample is usually the first chunk of a stream.
 */
function utf8Check(b: Uint8Array): { valid: boolean; ascii: boolean; multibyte: number } {
  let ascii = true;
  let multibyte = 0;
  let i = 0;
  while (i < b.length) {
    const x = b[i];
    if (x < 0x80) {
      i++;
      continue;
    }
    ascii = false;
    let need: number;
    let min: number;
    if (x >= 0xc2 && x <= 0xdf) [need, min] = [1, 0x80];
    else if (x >= 0xe0 && x <= 0xef) [need, min] = [2, 0x800];
    else if (x >= 0xf0 && x <= 0xf4) [need, min] = [3, 0x10000];
    else return { valid: false, ascii, multibyte };
    if (i + need >= b.length) {
      // Truncated at the end of the sample: accept if the bytes present are continuation bytes.
      for (let k = i + 1; k < b.length; k++) if ((b[k] & 0xc0) !== 0x80) return { valid: false, ascii, multibyte };
      break;
    }
    let cp = x & (0xff >> (need + 2));
    for (let k = 1; k <= need; k++) {
      const y = b[i + k];
      if ((y & 0xc0) !== 0x80) return { valid: false, ascii, multibyte };
      cp = (cp << 6) | (y & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return { valid: false, ascii, multibyte };
    multibyte++;
    i += need + 1;
  }
  return { valid: true, ascii, multibyte };
}

/**
 * Byte statistics for GB18030: how many bytes ≥ 0x80 there are, how many of them form valid
 * two- or four-byte sequences, and how many of those have both bytes ≥ 0xA1, as every character
 * of GB2312 (all common Chinese) does. Latin-1 text has lone high bytes followed by ASCII letters.
 */
function gbStats(b: Uint8Array): { high: number; validSeq: number; invalidSeq: number; cjkPairs: number } {
  let high = 0;
  let validSeq = 0;
  let invalidSeq = 0;
  let cjkPairs = 0;
  let i = 0;
  while (i < b.length) {
    const x = b[i];
    if (x < 0x80) {
      i++;
      continue;
    }
    high++;
    if (x === 0x80 || x === 0xff) {
      invalidSeq++;
      i++;
      continue;
    }
    if (i + 1 >= b.length) break; // cut off at the end of the sample
    const y = b[i + 1];
    if (y >= 0x30 && y <= 0x39) {
      // Four-byte GB18030 sequence.
      if (i + 3 >= b.length) break;
      const z = b[i + 2];
      const w = b[i + 3];
      if (z >= 0x81 && z <= 0xfe && w >= 0x30 && w <= 0x39) {
        validSeq++;
        high += 1;
        i += 4;
      } else {
        invalidSeq++;
        i++;
      }
      continue;
    }
    if (y >= 0x40 && y <= 0xfe && y !== 0x7f) {
      validSeq++;
      if (y >= 0x80) high++;
      if (x >= 0xa1 && y >= 0xa1) cjkPairs++;
      i += 2;
    } else {
      invalidSeq++;
      i++;
    }
  }
  return { high, validSeq, invalidSeq, cjkPairs };
}

function utf16WithoutBom(b: Uint8Array): TextEncoding | undefined {
  // Text in UTF-16 without a BOM shows NUL bytes in every other position (ASCII characters).
  const n = Math.min(b.length, 4096) & ~1;
  if (n < 4) return undefined;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) evenZero++;
    if (b[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero / pairs > 0.4 && evenZero / pairs < 0.05) return 'utf-16le';
  if (evenZero / pairs > 0.4 && oddZero / pairs < 0.05) return 'utf-16be';
  return undefined;
}

/**
 * Detect the encoding of a file from its first bytes (pass at least the first chunk; up to
 * SNIFF_BYTES are used). Never throws; random bytes come back as Windows-1252 with low
 * confidence, since every byte sequence decodes in it.
 */
export function detectEncoding(sample: Uint8Array): DetectedEncoding {
  const b = sample.length > SNIFF_BYTES ? sample.subarray(0, SNIFF_BYTES) : sample;
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: 'utf-8', confidence: 1, bomLength: 3 };
  if (b.length >= 4 && b[0] === 0x84 && b[1] === 0x31 && b[2] === 0x95 && b[3] === 0x33)
    return { encoding: 'gb18030', confidence: 1, bomLength: 4 };
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return { encoding: 'utf-16le', confidence: 1, bomLength: 2 };
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return { encoding: 'utf-16be', confidence: 1, bomLength: 2 };
  const u16 = utf16WithoutBom(b);
  if (u16) return { encoding: u16, confidence: 0.8, bomLength: 0 };

  const u = utf8Check(b);
  if (u.valid) return { encoding: 'utf-8', confidence: u.ascii ? 1 : Math.min(0.99, 0.9 + u.multibyte / 100), bomLength: 0 };

  const gb = gbStats(b);
  const cjkShare = gb.high ? (2 * gb.cjkPairs) / gb.high : 0;
  const clean = gb.invalidSeq === 0;
  if (clean && cjkShare >= 0.7) return { encoding: 'gb18030', confidence: Math.min(0.95, 0.6 + gb.cjkPairs / 50), bomLength: 0 };
  if (clean && cjkShare >= 0.3) {
    // Mixed evidence (GBK extension characters, or Latin text with runs of accented letters):
    // let chardet's statistics decide.
    const top = chardet.analyse(b)[0];
    if (top && /^(GB18030|GBK|GB2312|Big5)$/i.test(top.name)) return { encoding: 'gb18030', confidence: 0.6, bomLength: 0 };
  }
  // A few accented letters in Latin text ("Côte d'Ivoire", "Türkiye").
  const latinConfidence = gb.high && gb.cjkPairs === 0 ? 0.8 : 0.5;
  return { encoding: 'windows-1252', confidence: latinConfidence, bomLength: 0 };
}

/** A streaming decoder for the detected encoding; it drops the byte-order mark. */
export function decoderFor(encoding: TextEncoding): iconv.DecoderStream {
  return iconv.getDecoder(encoding, { stripBOM: true });
}

/** Decode a whole buffer (for small samples); the BOM is dropped. */
export function decodeBuffer(bytes: Uint8Array, encoding: TextEncoding): string {
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), encoding, { stripBOM: true });
}

/**
 * Whether decoded text looks like binary rather than a table: NUL bytes, or more than 1% other
 * control characters (tab, line breaks and form feed aside).
 */
export function looksBinary(text: string): boolean {
  if (!text) return false;
  let control = 0;
  const n = Math.min(text.length, SNIFF_BYTES);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return true;
    if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0x7f) control++;
  }
  return control / n > 0.01;
}

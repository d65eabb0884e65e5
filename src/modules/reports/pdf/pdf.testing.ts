/**
 * Test helpers for PDF files: their text (pdftotext) and their pages rendered as greyscale
 * PNG images (pdftoppm, from poppler-utils), with a decoder small enough to tell an empty page
 * from a drawn one without an image library. Used by tests only.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'innolink-pdf-'));
}

/** The text of a PDF as pdftotext reads it (reading order, no layout). */
export function pdfText(pdf: Buffer): string {
  const dir = tmpDir();
  try {
    const file = path.join(dir, 'report.pdf');
    fs.writeFileSync(file, pdf);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Renders every page to a greyscale PNG in `dir` (created when missing); returns the files in page order. */
export function renderPages(pdf: Buffer, dir: string, dpi = 40): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'report.pdf');
  fs.writeFileSync(file, pdf);
  execFileSync('pdftoppm', ['-png', '-gray', '-r', String(dpi), file, path.join(dir, 'page')]);
  return fs
    .readdirSync(dir)
    .filter((f) => /^page-\d+\.png$/.test(f))
    .sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]))
    .map((f) => path.join(dir, f));
}

/** Decodes an 8-bit, non-interlaced PNG into one grey level per pixel (colour averaged). */
export function decodePng(buf: Buffer): { width: number; height: number; grey: Uint8Array } {
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let pos = 8;
  let width = 0;
  let height = 0;
  let channels = 1;
  const idat: Buffer[] = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const depth = data[8];
      const colour = data[9];
      if (depth !== 8 || data[12] !== 0) throw new Error(`unsupported PNG: depth ${depth}, interlace ${data[12]}`);
      channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[colour as 0 | 2 | 4 | 6] ?? 0;
      if (!channels) throw new Error(`unsupported PNG colour type ${colour}`);
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? out[y * stride + x - channels] : 0;
      const b = y > 0 ? out[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? out[(y - 1) * stride + x - channels] : 0;
      let v = line[x];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[y * stride + x] = v & 0xff;
    }
  }
  const grey = new Uint8Array(width * height);
  const colourChannels = channels >= 3 ? 3 : 1;
  for (let i = 0; i < width * height; i++) {
    let s = 0;
    for (let k = 0; k < colourChannels; k++) s += out[i * channels + k];
    grey[i] = Math.round(s / colourChannels);
  }
  return { width, height, grey };
}

/** Share of a PNG's pixels darker than near-white: 0 for a blank page. */
export function inkRatio(pngFile: string): number {
  const { grey } = decodePng(fs.readFileSync(pngFile));
  let ink = 0;
  for (const g of grey) if (g < 235) ink++;
  return ink / grey.length;
}

/** Whether poppler's tools are on the PATH. */
export function hasPoppler(): boolean {
  try {
    execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' });
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The CJK font the PDF reports embed: Noto Sans SC (Hans), regular and bold, as full OTF files
 * from the @embedpdf/fonts-sc package. pdfkit embeds only the glyphs a document uses (a
 * subset), so a report stays around 100 KB. The files are read once per process.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { AppError } from '../../../errors.ts';

export interface ReportFonts {
  regular: Buffer;
  bold: Buffer;
}

const FILES = { regular: 'NotoSansHans-Regular.otf', bold: 'NotoSansHans-Bold.otf' } as const;

let cached: ReportFonts | null = null;

/** The folder of the font files (inside the installed package). */
export function fontDir(): string {
  // The package exports only its entry (dist/index.*); the fonts sit beside dist/.
  const entry = createRequire(import.meta.url).resolve('@embedpdf/fonts-sc');
  return path.join(path.dirname(entry), '..', 'fonts');
}

/** The regular and bold font files; REPORT_FONT_MISSING (500) when the package is not installed. */
export function reportFonts(): ReportFonts {
  if (cached) return cached;
  try {
    const dir = fontDir();
    cached = { regular: fs.readFileSync(path.join(dir, FILES.regular)), bold: fs.readFileSync(path.join(dir, FILES.bold)) };
    return cached;
  } catch (e) {
    throw new AppError(
      'REPORT_FONT_MISSING',
      500,
      `缺少报告所需的中文字体（@embedpdf/fonts-sc）：${(e as Error).message}`,
      `The Chinese font the reports need (@embedpdf/fonts-sc) is missing: ${(e as Error).message}`,
    );
  }
}

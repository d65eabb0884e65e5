import fs from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeBuffer, detectEncoding, looksBinary } from './decode.ts';
import { seedTable, sharedData } from './fixtures.ts';

const changzhou = fs.readFileSync(seedTable('changzhou_district_funding_2011_2014.csv'), 'utf8');

describe('detectEncoding', () => {
  it('trusts byte-order marks', () => {
    expect(detectEncoding(Buffer.from('\ufeff辖区,2011', 'utf8'))).toMatchObject({ encoding: 'utf-8', confidence: 1, bomLength: 3 });
    expect(detectEncoding(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b', 'utf16le')]))).toMatchObject({ encoding: 'utf-16le', bomLength: 2 });
    const be = Buffer.from('a,b', 'utf16le').swap16();
    expect(detectEncoding(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toMatchObject({ encoding: 'utf-16be', bomLength: 2 });
  });

  it('recognises UTF-16 without a BOM by its NUL bytes', () => {
    expect(detectEncoding(Buffer.from('Country,Score\r\nChina,56.6\r\n', 'utf16le')).encoding).toBe('utf-16le');
  });

  it('reads plain ASCII and valid UTF-8 as UTF-8', () => {
    expect(detectEncoding(Buffer.from('a,b\n1,2\n'))).toMatchObject({ encoding: 'utf-8', confidence: 1 });
    expect(detectEncoding(Buffer.from(changzhou, 'utf8')).encoding).toBe('utf-8');
    expect(detectEncoding(fs.readFileSync(sharedData('tech_transfer/NASA_Patents.csv'))).encoding).toBe('utf-8');
  });

  it('accepts a UTF-8 character cut off at the end of the first chunk', () => {
    const bytes = Buffer.from('国家,排名\n新加坡,1', 'utf8');
    const cut = bytes.subarray(0, bytes.indexOf(Buffer.from('坡', 'utf8')) + 1);
    expect(detectEncoding(cut).encoding).toBe('utf-8');
  });

  it('reads GBK-encoded Chinese as GB18030', () => {
    const gbk = iconv.encode(changzhou, 'gbk');
    const d = detectEncoding(gbk);
    expect(d.encoding).toBe('gb18030');
    expect(d.confidence).toBeGreaterThan(0.7);
    expect(decodeBuffer(gbk, d.encoding)).toBe(changzhou);
    // Short samples too (chardet alone calls these Hebrew).
    expect(detectEncoding(iconv.encode('国家,GII2022排名区间\n新加坡,1-20\n', 'gbk')).encoding).toBe('gb18030');
  });

  it('reads the Windows-1252 GII 2025 file as Windows-1252, not as GBK', () => {
    const bytes = fs.readFileSync(sharedData('gii/gii_2025_pillars.csv'));
    const d = detectEncoding(bytes);
    expect(d.encoding).toBe('windows-1252');
    const text = decodeBuffer(bytes, d.encoding);
    expect(text).toContain("Côte d'Ivoire");
    expect(text).toContain('Türkiye');
  });

  it('never throws on arbitrary bytes', () => {
    for (let n = 0; n < 50; n++) {
      const b = Buffer.from(Array.from({ length: n * 7 }, (_, i) => (i * 131 + n * 17) % 256));
      expect(() => detectEncoding(b)).not.toThrow();
    }
  });
});

describe('looksBinary', () => {
  it('tells binary from text', () => {
    expect(looksBinary('a,b\r\n1,2\t3\n')).toBe(false);
    expect(looksBinary('PK\u0003\u0004\u0000\u0000')).toBe(true);
    expect(looksBinary('abc\u0001\u0002\u0003\u0004')).toBe(true);
    expect(looksBinary('')).toBe(false);
  });
});

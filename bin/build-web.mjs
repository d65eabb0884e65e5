#!/usr/bin/env node
// Builds the web application (web/ → dist/web) when the build is missing or older than its
// sources, so `npm start` serves an up-to-date app without a separate step. `--force` rebuilds.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { build } from 'vite';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'dist', 'web', 'index.html');

function newest(dir) {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

export async function buildWeb({ force = false, quiet = false } = {}) {
  const sources = Math.max(newest(path.join(root, 'web')), fs.statSync(path.join(root, 'vite.config.ts')).mtimeMs, fs.statSync(path.join(root, 'package-lock.json')).mtimeMs);
  if (!force && fs.existsSync(out) && fs.statSync(out).mtimeMs >= sources) return false;
  if (!quiet) process.stderr.write('构建网页界面 / Building the web application…\n');
  // Old bundles stay until they are stale: a page (or a test) still running the previous build
  // can load its lazy chunks while a new build lands.
  const result = await build({ configFile: path.join(root, 'vite.config.ts'), logLevel: quiet ? 'error' : 'warn', build: { emptyOutDir: false } });
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => ('output' in r ? r.output.map((o) => path.basename(o.fileName)) : []));
  const assets = path.join(root, 'dist', 'web', 'assets');
  pruneStale(assets, new Set(outputs));
  compressAssets(assets, new Set(outputs));
  return true;
}

/** Removes bundles of earlier builds older than ten minutes. */
function pruneStale(dir, keep) {
  const cutoff = Date.now() - 10 * 60 * 1000;
  for (const name of fs.readdirSync(dir)) {
    const base = name.replace(/\.(gz|br)$/, '');
    if (keep.has(base)) continue;
    const file = path.join(dir, name);
    if (fs.statSync(file).mtimeMs < cutoff) fs.rmSync(file, { force: true });
  }
}

/** Writes .gz and .br beside each script and style sheet; the server sends them pre-compressed. */
function compressAssets(dir, only) {
  for (const name of fs.readdirSync(dir)) {
    if (!/\.(js|css|json|svg)$/.test(name) || !only.has(name)) continue;
    const file = path.join(dir, name);
    const data = fs.readFileSync(file);
    fs.writeFileSync(`${file}.gz`, zlib.gzipSync(data, { level: 9 }));
    fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildWeb({ force: process.argv.includes('--force') });
}

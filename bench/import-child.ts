/**
 * One import in its own process, so its peak memory (maxRSS) is its own. Prints one JSON line.
 * Usage: run-ts bench/import-child.ts KIND FILE  (store from DATABASE_URL or INNOLINK_DATA)
 */
import path from 'node:path';
import { systemActor } from '../src/actor.ts';
import { loadConfig } from '../src/config.ts';
import { runImport } from '../src/modules/imports/imports.service.ts';
import { openStore } from '../src/store/store.ts';

const [kind, file] = process.argv.slice(2);
const config = loadConfig({ ...process.env, INNOLINK_DEMO: '0' });
const db = await openStore(config);
const started = performance.now();
let peak = 0;
const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 200);
const result = await runImport({ db, config, actor: systemActor('bench') }, { fileName: path.basename(file), path: file }, { kind, region: '常州' });
clearInterval(timer);
const seconds = (performance.now() - started) / 1000;
await db.close();
process.stdout.write(
  `${JSON.stringify({
    ok: result.ok,
    rows: result.rows,
    changes: result.changes,
    issues: result.issue_count,
    firstIssues: result.issues.slice(0, 3),
    seconds,
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    sampledPeakMb: Math.round(Math.max(peak, process.memoryUsage().rss) / 1048576),
  })}\n`,
);

/**
 * Reads one file with readTable and prints what happened as one JSON line, with the process's
 * peak memory: memory.test.ts runs it in a child process with a small heap, so that a file that
 * exhausts memory crashes the child, not the test. Test helper only.
 */
import { isAppError } from '../../../errors.ts';
import { readTable } from './index.ts';

const [file, fileName] = process.argv.slice(2);
const out: Record<string, unknown> = {};
try {
  const t = await readTable({ path: file, fileName });
  let rows = 0;
  for await (const _ of t.rows) rows++;
  Object.assign(out, { ok: true, rows, issues: t.issues.map((i) => i.code) });
} catch (e) {
  if (!isAppError(e)) throw e;
  Object.assign(out, { ok: false, code: e.code });
}
const mem = process.memoryUsage();
out.maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
out.heapUsedMb = Math.round(mem.heapUsed / 1048576);
process.stdout.write(`${JSON.stringify(out)}\n`);

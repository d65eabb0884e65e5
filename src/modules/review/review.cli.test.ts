/**
 * `innolink review solve` end to end: the JSON contract on a hand-worked case, the coded
 * refusal naming the constraint, --partial, row/column-coded file errors, and bad flags. Each
 * spawn costs a second or two, so five of them.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../../..');
let dir: string;

async function cli(...args: string[]): Promise<{ stdout: string; code: number }> {
  try {
    const { stdout } = await run(process.execPath, ['bin/innolink.mjs', 'review', 'solve', ...args], { cwd: ROOT, env: { ...process.env, INNOLINK_DEMO: '0' }, timeout: 60_000 });
    return { stdout, code: 0 };
  } catch (e) {
    const err = e as { stdout?: string; code?: number };
    return { stdout: err.stdout ?? '', code: typeof err.code === 'number' ? err.code : -1 };
  }
}

const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
};

// Two applications, five reviewers. R1 (foreign, 牛津大学) and R2 (foreign, ETH) are the only
// foreign reviewers; R3 and R4 are both from 南京大学; R5 has no organisation. P1 conflicts with R3.
let A: string;
let C: string;
let R: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'innolink-review-'));
  A = file(
    'A.csv',
    ['application,reviewer,affinity', 'P1,R1,0.9', 'P1,R2,0.2', 'P1,R3,0.8', 'P1,R4,0.7', 'P1,R5,0.1', 'P2,R1,0.6', 'P2,R2,0.5', 'P2,R3,0.9', 'P2,R4,0.85', 'P2,R5,0.3'].join('\n') + '\n',
  );
  C = file('C.csv', 'application,reviewer\nP1,R3\n');
  R = file('R.csv', 'reviewer,foreign,organisation\nR1,1,牛津大学\nR2,1,ETH Zürich\nR3,0,南京大学\nR4,0,南京大学\nR5,0,\n');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('innolink review solve (CLI)', () => {
  it('prints the contract JSON: the exact optimum of a hand-worked case', async () => {
    // k = 2, L = 1, F = 1. Each application needs one of R1, R2: P1–R1 + P2–R2 = 0.9 + 0.5 = 1.4
    // beats P1–R2 + P2–R1 = 0.8 (taking both for one application leaves the other without).
    // The other slot: P1 cannot take R3 (conflict): P1–R4 0.7 + P2–R3 0.9 = 1.6 beats
    // P1–R5 0.1 + P2–R4 0.85 = 0.95 and P1–R5 + P2–R3 = 1.0. Total 1.4 + 1.6 = 3.0.
    const { stdout, code } = await cli('--affinity', A, '--conflicts', C, '--reviewers', R, '--per-application', '2', '--max-load', '1', '--min-foreign', '1', '--json');
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const out = JSON.parse(stdout);
    expect(Object.keys(out)).toEqual(['assignments', 'objective', 'unassigned', 'optimal']);
    expect(out.assignments).toEqual([
      { application: 'P1', reviewer: 'R1', affinity: 0.9 },
      { application: 'P1', reviewer: 'R4', affinity: 0.7 },
      { application: 'P2', reviewer: 'R3', affinity: 0.9 },
      { application: 'P2', reviewer: 'R2', affinity: 0.5 },
    ]);
    expect(out.objective).toBeCloseTo(3.0, 12);
    expect(out.unassigned).toEqual([]);
    expect(out.optimal).toBe(true);
  });

  it('exits 1 with ASSIGNMENT_INFEASIBLE naming the constraint (two foreign reviewers × L 1 < 2 × 2 needed)', async () => {
    const { stdout, code } = await cli('--affinity', A, '--conflicts', C, '--reviewers', R, '--per-application', '2', '--max-load', '1', '--min-foreign', '2', '--json');
    expect(code).toBe(1);
    const out = JSON.parse(stdout);
    expect(out.error.code).toBe('ASSIGNMENT_INFEASIBLE');
    expect(out.error.details[0]).toMatchObject({ code: 'FOREIGN_CAPACITY', available: 2, needed: 4 });
    expect(out.error.message).toContain('外籍专家容量不足');
    expect(out.error.message_en).toContain('foreign reviewer capacity');
  });

  it('with --partial assigns what it can and lists the shortfall in unassigned', async () => {
    // F = k = 2: every assigned reviewer must be foreign (at least F − missing foreign). Only R1
    // and R2, each once: P1–R1 + P2–R2 = 1.4 is the best pair of single slots.
    const { stdout, code } = await cli('--affinity', A, '--conflicts', C, '--reviewers', R, '--per-application', '2', '--max-load', '1', '--min-foreign', '2', '--partial', '--json');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.assignments).toEqual([
      { application: 'P1', reviewer: 'R1', affinity: 0.9 },
      { application: 'P2', reviewer: 'R2', affinity: 0.5 },
    ]);
    expect(out.objective).toBeCloseTo(1.4, 12);
    expect(out.unassigned).toEqual([
      { application: 'P1', missing: 1 },
      { application: 'P2', missing: 1 },
    ]);
    expect(out.optimal).toBe(true);
  });

  it('refuses bad files with every problem located by file, row and column (exit 1)', async () => {
    const bad = file('A_bad.csv', 'application,reviewer,affinity\nP1,R1,0.9\nP1,R2,高\nP1,R1,0.7\n,R3,0.1\n');
    const badR = file('R_bad.csv', 'reviewer,foreign,organisation\nR1,yes,X\nR9,0,Y\n');
    const { stdout, code } = await cli('--affinity', bad, '--reviewers', badR, '--json');
    expect(code).toBe(1);
    const out = JSON.parse(stdout);
    expect(out.error.code).toBe('REVIEW_INPUT_INVALID');
    const brief = out.error.details.map((d: { file: string; row?: number; column?: string; code: string }) => [d.file, d.row ?? null, d.column ?? null, d.code]);
    expect(brief).toEqual(
      expect.arrayContaining([
        ['A_bad.csv', 3, 'affinity', 'REVIEW_AFFINITY_INVALID'],
        ['A_bad.csv', 5, 'application', 'REVIEW_VALUE_MISSING'],
        ['A_bad.csv', 4, null, 'REVIEW_DUPLICATE_PAIR'],
        ['R_bad.csv', 2, 'foreign', 'REVIEW_FOREIGN_INVALID'],
        ['R_bad.csv', 3, 'reviewer', 'REVIEW_UNKNOWN_REVIEWER'],
      ]),
    );
    expect(out.error.details.find((d: { code: string }) => d.code === 'REVIEW_DUPLICATE_PAIR').other_row).toBe(2);
  });

  it('exits 2 on bad flags', async () => {
    const { stdout, code } = await cli('--affinity', A, '--per-application', '0', '--json');
    expect(code).toBe(2);
    expect(JSON.parse(stdout).error.code).toBe('BAD_USAGE');
  });
});

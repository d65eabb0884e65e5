/**
 * Benchmark of the composite-indicator engine (issue 5): one full run on 500 units × 60 indicators
 * in a three-level tree (60 indicators → 12 sub-dimensions → 4 dimensions → index), and a
 * Monte-Carlo uncertainty and sensitivity analysis of 10,000 replications (worker threads), each
 * with the machine's anchor measured in the same run: a plain JavaScript loop doing the
 * arithmetic of one model evaluation (weighted sums over the indicator matrix and a sort).
 *
 * `benchIndicators(log)` returns a markdown section for docs/benchmarks.md. BENCH_SCALE (default 1)
 * shrinks units and replications for a quick check; `node bin/run-ts.mjs bench/indicators.ts
 * --print` prints the section. The Monte-Carlo analysis runs in a child process of its own, so its
 * peak RSS is its own (it runs at N/10 and at N to show memory flat in N).
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { buildFrameworkFromNodes, runComposite, runCompositeSync, type DataTable, type Framework, type Methods, type NodeInput } from '../src/modules/indicators/engine/index.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const SCALE = Number(process.env.BENCH_SCALE ?? '1');
const SEED = 20261122;
const CHILD_ENV = 'INNOLINK_BENCH_INDICATORS_CHILD';

/** Deterministic uniforms (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 60 indicators → 12 sub-dimensions → 4 dimensions → index; every 7th indicator has direction −1. */
export function benchFramework(m = 60): Framework {
  const nodes: NodeInput[] = [{ code: 'Index', type: 'aggregate' }];
  const dims = 4;
  const subs = 12;
  for (let d = 0; d < dims; d++) nodes.push({ code: `D${d + 1}`, parent: 'Index', type: 'aggregate', weight: 1 + (d % 2) });
  for (let s = 0; s < subs; s++) nodes.push({ code: `S${s + 1}`, parent: `D${(s % dims) + 1}`, type: 'aggregate', weight: 1 });
  for (let j = 0; j < m; j++) nodes.push({ code: `I${j + 1}`, parent: `S${(j % subs) + 1}`, type: 'indicator', direction: j % 7 === 6 ? -1 : 1, weight: 1 + (j % 3) });
  return buildFrameworkFromNodes(nodes, { version: 'bench' });
}

/**
 * Skewed, correlated, positive data with 2 % missing: x_ij = exp(μ_j + σ_j (0.6 f_i + 0.8 e_ij)),
 * f_i a unit's common factor, e_ij noise (Box–Muller normals).
 */
export function benchData(fw: Framework, n: number, seed = SEED): DataTable {
  const u = rng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  // μ ≥ 5 keeps every value above 1, so a log transform after winsorising stays positive (the
  // distance-to-best normalisation and the geometric mean of the uncertainty analysis need it).
  const mu = fw.indicators.map(() => 5 + 3 * u());
  const sigma = fw.indicators.map(() => 0.3 + 0.7 * u());
  const values = Array.from({ length: n }, () => {
    const f = normal();
    return fw.indicators.map((_, j) => (u() < 0.02 ? null : Math.exp(mu[j] + sigma[j] * (0.6 * f + 0.8 * normal()))));
  });
  return { units: values.map((_, i) => `U${String(i + 1).padStart(4, '0')}`), codes: [...fw.indicators], values };
}

/** The full run: mean imputation, winsorising, min–max to [0, 100], framework weights, arithmetic means. */
export const FULL_RUN: Methods = {
  impute: { method: 'mean' },
  treat: { method: 'winsorise', winmax: 5 },
  normalise: { method: 'minmax', range: [0, 100] },
  weights: { method: 'meta' },
  aggregate: { method: 'arithmetic' },
};

/** The uncertainty analysis: weights ±25 %, two normalisations, two aggregations, Saltelli indices, leave-one-out. */
export function mcMethods(replications: number, workers?: number): Methods {
  return {
    ...FULL_RUN,
    normalise: { method: 'minmax', range: [1, 100] },
    uncertainty: {
      replications,
      weightPerturbation: 0.25,
      normalisations: [{ method: 'minmax', range: [1, 100] }, { method: 'best' }],
      aggregations: [{ method: 'arithmetic' }, { method: 'geometric' }],
      sensitivity: true,
      leaveOneOut: true,
      ...(workers !== undefined ? { workers } : {}),
    },
  };
}

/** Plain-loop anchor: `evals` evaluations of n × m weighted sums plus a sort of n scores. */
function anchorLoop(n: number, m: number, evals: number): number {
  const u = rng(7);
  const x = Float64Array.from({ length: n * m }, () => u() * 100);
  const w = Float64Array.from({ length: m }, () => u());
  const score = new Float64Array(n);
  const idx = new Int32Array(n);
  let sink = 0;
  const t = performance.now();
  for (let e = 0; e < evals; e++) {
    w[e % m] *= 1.0000001;
    score.fill(0);
    for (let j = 0; j < m; j++) {
      const wj = w[j];
      const off = j * n;
      for (let i = 0; i < n; i++) score[i] += wj * x[off + i];
    }
    for (let i = 0; i < n; i++) idx[i] = i;
    idx.sort((a, b) => score[b] - score[a]);
    sink += idx[0];
  }
  const ms = performance.now() - t;
  if (sink < 0) throw new Error('unreachable');
  return ms;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

const fmt = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

interface McFigure {
  replications: number;
  seconds: number;
  maxRssMb: number;
  evaluations: number;
  workers: number;
  factors: string[];
}

/** Child process: one Monte-Carlo analysis, reporting wall time and its own peak RSS. */
async function mcChild(): Promise<void> {
  const { n, m, reps } = JSON.parse(process.env[CHILD_ENV]!) as { n: number; m: number; reps: number };
  const fw = benchFramework(m);
  const data = benchData(fw, n);
  const t = performance.now();
  // Both sizes on the same number of threads, so their peak RSS compares like with like.
  const workers = os.availableParallelism?.() ?? os.cpus().length;
  const r = await runComposite(fw, data, mcMethods(reps, workers), { seed: SEED });
  const seconds = (performance.now() - t) / 1000;
  const u = r.diagnostics.uncertainty!;
  const evalsPerRow = 2 + u.factors.length;
  const out: McFigure = { replications: u.replications, seconds, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), evaluations: u.replications * evalsPerRow + m, workers, factors: u.factors };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

function runMcChild(n: number, m: number, reps: number): McFigure {
  const res = spawnSync(process.execPath, [path.join(ROOT, 'bin/run-ts.mjs'), path.join(ROOT, 'bench/indicators.ts')], {
    env: { ...process.env, [CHILD_ENV]: JSON.stringify({ n, m, reps }) },
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (res.status !== 0) throw new Error(`Monte-Carlo child failed: ${res.stderr}`);
  return JSON.parse(res.stdout.trim().split('\n').pop()!) as McFigure;
}

/** Runs the indicator benchmark; returns the markdown section (without the bench markers). */
export async function benchIndicators(log: (m: string) => void): Promise<string> {
  const n = Math.max(20, Math.round(500 * SCALE));
  const m = 60;
  const reps = Math.max(100, Math.round(10_000 * SCALE));
  const loadStart = os.loadavg()[0];
  const fw = benchFramework(m);
  const data = benchData(fw, n);

  log(`indicators: full run, ${n} units × ${m} indicators`);
  for (let i = 0; i < 3; i++) runCompositeSync(fw, data, FULL_RUN, { seed: SEED });
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    runCompositeSync(fw, data, FULL_RUN, { seed: SEED });
    times.push(performance.now() - t);
  }
  const oneEval = anchorLoop(n, m, 200) / 200;

  log(`indicators: Monte Carlo ${reps / 10} and ${reps} replications (child processes)`);
  const small = runMcChild(n, m, Math.max(10, Math.round(reps / 10)));
  const full = runMcChild(n, m, reps);
  const anchorEvals = Math.min(full.evaluations, 5000);
  const perEval = anchorLoop(n, m, anchorEvals) / anchorEvals;
  const anchorTotal = (perEval * full.evaluations) / 1000;
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  const loadEnd = os.loadavg()[0];

  const lines: string[] = [];
  lines.push('## Indicators (issue 5): composite-indicator run and Monte-Carlo uncertainty');
  lines.push('');
  lines.push(
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cores} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}; 1-minute load average ${loadStart.toFixed(2)} at the start and ${loadEnd.toFixed(2)} at the end${loadEnd > 1.5 ? ' (other processes were competing for the cores: figures are pessimistic)' : ''}. Scale ${SCALE}.`,
  );
  lines.push(
    `Data (\`bench/indicators.ts\`, seed ${SEED}): ${fmt(n)} units × ${m} indicators (log-normal, correlated through a common factor, 2 % missing, every 7th indicator “lower is better”) in a three-level tree: ${m} indicators → 12 sub-dimensions → 4 dimensions → index. The anchor is a plain JavaScript loop doing one model evaluation’s arithmetic (${fmt(n)} × ${m} weighted sums and a sort of ${fmt(n)} scores), timed in the same run.`,
  );
  lines.push('');
  lines.push('| workload | figure | anchor | goal |');
  lines.push('|---|---|---|---|');
  lines.push(
    `| full run: mean imputation, winsorising, min–max [0, 100], framework weights, arithmetic; every intermediate table, correlations, Cronbach’s α (20 runs after 3 warm-ups) | p50 ${fmt(percentile(times, 50), 1)} ms, p95 ${fmt(percentile(times, 95), 1)} ms | one evaluation ${fmt(oneEval, 3)} ms | < 200 ms |`,
  );
  for (const f of [small, full]) {
    lines.push(
      `| Monte Carlo, ${fmt(f.replications)} replications: factors ${f.factors.join(', ')} (weights ×U(0.75, 1.25), min–max or distance to best, arithmetic or geometric), Saltelli first-order and total indices, rank intervals, leave-one-out; ${fmt(f.evaluations)} model evaluations on ${f.workers} worker threads | ${fmt(f.seconds, 2)} s wall, peak RSS ${fmt(f.maxRssMb)} MB | ${f === full ? `plain loop ${fmt(perEval, 3)} ms × ${fmt(f.evaluations)} evaluations = ${fmt(anchorTotal, anchorTotal < 1 ? 3 : 1)} s on one core` : '–'} | ${f === full ? '< 20 s' : ''} |`,
    );
  }
  lines.push('');
  lines.push(
    `Memory: peak RSS ${fmt(small.maxRssMb)} MB at ${fmt(small.replications)} replications and ${fmt(full.maxRssMb)} MB at ${fmt(full.replications)} (accumulators hold sums and an n × n rank histogram, never the samples). The engine’s Monte Carlo is ${fmt(full.seconds / anchorTotal, 2)} × the single-core plain-loop time of the same number of evaluations.`,
  );
  return lines.join('\n');
}

if (process.env[CHILD_ENV]) {
  await mcChild();
} else if (process.argv.includes('--print')) {
  const section = await benchIndicators((msg) => process.stderr.write(`[bench indicators] ${msg}\n`));
  process.stdout.write(`${section}\n`);
}

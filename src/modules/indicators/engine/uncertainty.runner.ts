/**
 * Runs the Monte-Carlo rows, in-process or on node:worker_threads.
 *
 * Rows are cut into fixed blocks of BLOCK_ROWS; workers take blocks as they free up, and block
 * accumulators are merged strictly in block order (out-of-order arrivals wait in a small buffer),
 * so the result is identical to the in-process run and memory stays flat in N.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { EngineError } from './errors.ts';
import { BLOCK_ROWS, emptyAccumulator, mergeAccumulators, runMonteCarloInProcess, type McAccumulator, type McModel } from './uncertainty.ts';

export interface RunnerOptions {
  /** Number of worker threads; 0 = in-process. Default: available parallelism when the job is large. */
  workers?: number;
  /** Called after each merged block with (rows done, rows total). */
  onProgress?: (done: number, total: number) => void;
}

/** Rough cost (model evaluations × tree size) above which threads pay for their start-up. */
const THREAD_THRESHOLD = 2e7;

/** How many workers to use when the caller does not say. */
export function defaultWorkers(model: McModel, rows: number): number {
  const evalsPerRow = model.sensitivity ? 2 + model.factors.length : 1;
  const cost = rows * evalsPerRow * model.n * (model.m + model.tree.aggregates.length);
  if (cost < THREAD_THRESHOLD) return 0;
  const cpus = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(cpus, 16, Math.ceil(rows / BLOCK_ROWS)));
}

type WorkerReply = { type: 'done'; block: number; acc: McAccumulator } | { type: 'error'; error: { code: string; message: string; message_en: string; details: [] } | { message: string } };

/** Runs N rows and returns the merged accumulator. */
export async function runMonteCarlo(model: McModel, seed: number, rows: number, opts: RunnerOptions = {}): Promise<McAccumulator> {
  const workers = opts.workers ?? defaultWorkers(model, rows);
  if (workers <= 0 || rows <= BLOCK_ROWS) {
    const acc = runMonteCarloInProcess(model, seed, rows);
    opts.onProgress?.(rows, rows);
    return acc;
  }
  const blocks = Math.ceil(rows / BLOCK_ROWS);
  const total = emptyAccumulator(model.n, model.sensitivity ? model.factors.length : 0);
  const pending = new Map<number, McAccumulator>();
  let nextToMerge = 0;
  let nextToSend = 0;
  const pool: Worker[] = [];

  return await new Promise<McAccumulator>((resolve, reject) => {
    let settled = false;
    const finish = (err: Error | null) => {
      if (settled) return;
      settled = true;
      for (const w of pool) void w.terminate();
      if (err) reject(err);
      else resolve(total);
    };
    const send = (w: Worker) => {
      if (nextToSend >= blocks) return;
      const b = nextToSend++;
      w.postMessage({ type: 'block', block: b, from: b * BLOCK_ROWS, to: Math.min(rows, (b + 1) * BLOCK_ROWS) });
    };
    const onReply = (w: Worker, msg: WorkerReply) => {
      if (msg.type === 'error') {
        const e = msg.error;
        finish('code' in e ? EngineError.fromPlain(e) : new Error(e.message));
        return;
      }
      pending.set(msg.block, msg.acc);
      while (pending.has(nextToMerge)) {
        mergeAccumulators(total, pending.get(nextToMerge)!);
        pending.delete(nextToMerge);
        nextToMerge++;
        opts.onProgress?.(Math.min(rows, nextToMerge * BLOCK_ROWS), rows);
      }
      if (nextToMerge === blocks) finish(null);
      else send(w);
    };
    const count = Math.min(workers, blocks);
    for (let i = 0; i < count; i++) {
      const w = new Worker(new URL('./uncertainty.worker.mjs', import.meta.url), { workerData: { model, seed } });
      pool.push(w);
      w.on('message', (msg: WorkerReply) => onReply(w, msg));
      w.on('error', (err) => finish(err));
      w.on('exit', (code) => {
        if (code !== 0 && !settled) finish(new Error(`Monte-Carlo worker exited with code ${code}`));
      });
      // Two blocks in flight per worker keep it busy while the main thread merges.
      send(w);
      send(w);
    }
  });
}

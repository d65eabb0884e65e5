/**
 * Worker-thread side of the Monte-Carlo runner: receives the model once (workerData), then runs
 * the row blocks it is sent and posts back their accumulators (buffers transferred, not copied).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isEngineError } from './errors.ts';
import { runReplications, type McModel } from './uncertainty.ts';

const { model, seed } = workerData as { model: McModel; seed: number };
const port = parentPort;
if (!port) throw new Error('uncertainty.worker.ts must run in a worker thread');

port.on('message', (msg: { type: 'block'; block: number; from: number; to: number }) => {
  if (msg.type !== 'block') return;
  try {
    const acc = runReplications(model, seed, msg.from, msg.to);
    const buffers = [acc.hist, acc.rankSum, acc.y, acc.first, acc.total, acc.unit, acc.unitFirst, acc.unitTotal].map((a) => a.buffer as ArrayBuffer);
    port.postMessage({ type: 'done', block: msg.block, acc }, buffers);
  } catch (e) {
    port.postMessage({ type: 'error', error: isEngineError(e) ? e.toPlain() : { message: e instanceof Error ? e.message : String(e) } });
  }
});

// Indexes a capture file in a worker thread (DESIGN.md "Data flow": the file is scanned once
// off the session's thread) and hands back a PacketIndex built from the transferred columns.
// Under the TypeScript sources (tests, tsx) the worker runs index-worker.ts through tsx; a
// bundle ships index-worker.mjs beside itself (worker-entry.ts). When no worker can start, the same buildIndex
// runs in-process, so opening a file never depends on the packaging.
import { statSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { CaptureFileError } from '../file/types.js';
import { buildIndex, type BuiltIndex, type IndexCallbacks, type IndexMessage } from './index-build.js';
import { PacketIndex, type IndexColumns } from './packet-index.js';
import { startWorker } from './worker-entry.js';

export type { BuiltIndex };

export interface FileIndexCallbacks {
  progress?(packets: number, fraction: number): void;
  /** Stops the worker (the file was closed before it finished); the promise then rejects. */
  signal?: AbortSignal;
}

/** Indexes `path` in a worker thread (in-process when `inProcess` or no worker can start). */
export async function indexFile(path: string, cb: FileIndexCallbacks = {}, inProcess = false): Promise<BuiltIndex> {
  const size = statSync(path).size;
  if (inProcess) return indexHere(path, size, cb);
  let worker: Worker;
  try {
    worker = startWorker(new URL('./index-worker.mjs', import.meta.url), new URL('./index-worker.ts', import.meta.url), { workerData: { path } });
  } catch {
    return indexHere(path, size, cb);
  }
  return new Promise<BuiltIndex>((resolve, reject) => {
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      f();
    };
    worker.on('message', (m: IndexMessage) => {
      switch (m.type) {
        case 'progress':
          cb.progress?.(m.packets, m.fraction);
          break;
        case 'done': {
          const built: BuiltIndex = { index: PacketIndex.fromColumns(m.columns as IndexColumns), info: m.info };
          if (m.warning !== undefined) built.warning = m.warning;
          finish(() => resolve(built));
          break;
        }
        case 'failed':
          finish(() => reject(m.notCapture ? new CaptureFileError(m.message, 0) : new Error(m.message)));
          break;
      }
    });
    worker.on('error', (e) => {
      // The worker could not load (e.g. a bundle without index-worker.mjs): index here instead.
      finish(() => {
        try {
          resolve(indexHere(path, size, cb));
        } catch (e2) {
          reject(e2 instanceof Error ? e2 : e);
        }
      });
    });
    worker.on('exit', (code) => {
      if (!settled) finish(() => reject(new Error(`index worker exited with code ${code}`)));
    });
    const abort = () => finish(() => reject(new Error('indexing was cancelled')));
    if (cb.signal?.aborted) abort();
    else cb.signal?.addEventListener('abort', abort, { once: true });
  });
}

function indexHere(path: string, size: number, cb: FileIndexCallbacks): BuiltIndex {
  const inner: IndexCallbacks = {};
  if (cb.progress) inner.progress = cb.progress;
  return buildIndex(path, size, inner);
}

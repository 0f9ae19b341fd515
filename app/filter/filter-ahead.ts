// A display filter's verdicts from a worker thread that reads the file on its own, ahead of the
// session's in-order pass. On a large file the pass (every frame dissected with the tree-less
// options the views need, conversations, expert notes, completion values) takes half a minute;
// a filter that reads fields only a dissection gives (http.request.method, dns.qry.name,
// tcp.analysis.*) could only be tested as the pass got there. The worker tests every packet in
// order as `synscope read -Y` does (ahead-worker.ts), on the other core, and the session takes
// its verdicts for the frames its view has not tested yet. filter-ahead.test.ts holds them to
// filterFile's, the reference the session's own answers are held to.
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../store/worker-entry.js';

/** What the session hands the worker. */
export interface AheadWorkerData {
  path: string;
  /** The display filter's text, compiled again in the worker (a compiled filter cannot cross). */
  text: string;
}

/** The worker's messages: matches among frames up to `upTo`; then done, or failed at damage. */
export type AheadMessage =
  | { type: 'verdicts'; upTo: number; matches: Uint32Array }
  | { type: 'done'; upTo: number }
  | { type: 'failed'; upTo: number; message: string };

/** How often the worker posts what it decided (ms): the list fills while it reads. */
export const AHEAD_BATCH_MS = 100;

export class FilterAhead {
  /** Frames 1..upTo have been decided by the worker (their matches are queued or taken). */
  upTo = 0;
  /** Whether the worker ended (whole file, damage, or it could not start). */
  ended = false;
  /** Matching frame numbers received and not taken yet, in frame order. */
  private readonly queue: Uint32Array[] = [];
  /** How far queue[0] has been taken. */
  private head = 0;
  private worker: Worker | null = null;

  /** Starts the worker over `path`; `onNews` is called when verdicts arrive. */
  constructor(path: string, text: string, onNews: () => void) {
    const data: AheadWorkerData = { path, text };
    try {
      this.worker = startWorker(new URL('./ahead-worker.mjs', import.meta.url), new URL('./ahead-worker.ts', import.meta.url), { workerData: data });
    } catch {
      // No worker here: the session's pass tests every frame, as without one.
      this.ended = true;
      return;
    }
    this.worker.on('message', (m: AheadMessage) => {
      if (m.type === 'verdicts') {
        if (m.matches.length > 0) this.queue.push(m.matches);
        this.upTo = m.upTo;
      } else {
        this.upTo = m.upTo;
        this.stop();
      }
      onNews();
    });
    // A worker that cannot load or dies: what it sent stands, the pass does the rest.
    this.worker.on('error', () => {
      this.stop();
      onNews();
    });
    this.worker.on('exit', () => {
      this.worker = null;
      this.ended = true;
    });
  }

  /**
   * Calls `push` with every match among frames (from, to], in order (to <= upTo), and forgets
   * the matches up to `to`: later calls continue from there.
   */
  take(from: number, to: number, push: (n: number) => void): void {
    while (this.queue.length > 0) {
      const first = this.queue[0]!;
      let i = this.head;
      for (; i < first.length && first[i]! <= to; i++) if (first[i]! > from) push(first[i]!);
      if (i < first.length) {
        this.head = i;
        return;
      }
      this.queue.shift();
      this.head = 0;
    }
  }

  /** Ends the worker (the filter changed, the file closed, or the view is complete). */
  stop(): void {
    this.ended = true;
    const w = this.worker;
    this.worker = null;
    if (w) void w.terminate();
  }
}

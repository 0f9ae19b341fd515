// `synscope read FILE` on several threads. A summary line depends on the packets before it only
// through state kept per connection or per pair of hosts (the TCP tracker, reassembly, DNS
// transactions ...) and through the times of the packets before it. So each thread reads every
// record (keeping the times), dissects only its share of the packets, whole connections and
// pairs of hosts (packet-shares.ts), and the main thread writes their lines out in frame order.
// The output is the same bytes as one thread's: read-parallel.test.ts checks every corpus
// capture on 2, 3 and 4 threads. One case is known to differ: an RPC reply over UDP sent from
// another address than its call went to (rpc.ts matches it by the client and the server's port)
// lands with another pair of hosts, and prints as UDP.
//
// It runs where that holds: the summary lines only (no -V/-x/-T fields/json, no -w: -T fields
// may print tcp.stream, numbered over every connection), with or without -Y (each thread runs
// the first pass of stream-needs.ts over its own packets) unless the filter reads what counts
// over the whole capture (filtersSplit), from a regular file (each thread reads it from the
// start). By default, where it pays: a file of at least PARALLEL_MIN_BYTES, no -Y, and one thread
// per two logical CPUs (defaultThreads()).
// --threads N sets the number of threads (1: one).
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../store/worker-entry.js';
import { fieldByName } from '../dissect/field.js';
import type { ReadOptions } from './args.js';
import type { ReadFilters } from './filters.js';
import { EXIT_FILE, EXIT_OK } from './open-capture.js';
import type { ShareJob, ShareLines, ShareMessage } from './read-share.js';
import type { Sink } from './sink.js';

/** Below this a single thread is done before the others have started (~0.05 s each). */
const PARALLEL_MIN_BYTES = 16 << 20;
/**
 * One thread per two logical CPUs, up to 4: a single thread already keeps a second CPU partly
 * busy (the collector's and the compiler's helper threads), and two threads on the bench VM's two
 * vCPUs gained ~3% for 45% more CPU time and memory (each runs ~1.4x slower beside the other, as
 * two separate processes of the same work do there). More threads each read the whole file.
 */
function defaultThreads(): number {
  return Math.max(1, Math.min(4, Math.floor(availableParallelism() / 2)));
}

/** How many threads `read` runs on for these options (1: the usual single pass). */
export function readThreads(o: ReadOptions, filters: ReadFilters): number {
  const printsSummaryOnly = !o.quiet && (o.mode === 'text' || o.mode === 'tabs') && !o.verbose && !o.hex && o.writeFile === null && o.forceTree !== true;
  if (!printsSummaryOnly || !filtersSplit(o, filters) || o.lineBuffered || o.stats.length > 0) return 1;
  let size: number;
  try {
    const st = statSync(o.file);
    if (!st.isFile()) return 1;
    size = st.size;
  } catch {
    return 1;
  }
  if (o.threads !== undefined) return o.threads;
  // -c with a few packets: over before a thread starts.
  if (size < PARALLEL_MIN_BYTES || (o.count !== null && o.count < 100_000)) return 1;
  // -Y only when asked: each thread runs its own first pass over every record, which pays when
  // the filter matches most packets and not when the first pass leaves little to do (two
  // threads on the bench VM: ip.addr matching 66% 3.21 -> 2.68 s; tcp.port == 80 1.97 -> 2.36 s,
  // tcp.payload contains "GET" 1.47 -> 1.95 s).
  if (filters.display !== null || filters.tcpdump !== null) return 1;
  return defaultThreads();
}

/**
 * Fields a display filter may read that count over the whole capture, not per connection or
 * pair of hosts: the stream numbers (every connection in order of appearance) and the time
 * since the previous packet shown.
 */
const WHOLE_CAPTURE_FIELDS = ['tcp.stream', 'udp.stream', 'frame.time_delta_displayed'];

/**
 * Whether -Y splits over threads: a tcpdump expression reads each packet's bytes only; a
 * display filter reads what a thread's share holds unless it names a WHOLE_CAPTURE_FIELDS one;
 * -t dd's previous packet shown is the whole capture's.
 */
function filtersSplit(o: ReadOptions, filters: ReadFilters): boolean {
  if (filters.display === null && filters.tcpdump === null) return true;
  if (o.timeFormat === 'dd') return false;
  const display = filters.display;
  return display === null || WHOLE_CAPTURE_FIELDS.every((name) => {
    const field = fieldByName(name);
    return field === undefined || !display.fields.has(field.id);
  });
}

/** One thread's batches, as they arrive. */
interface ShareQueue {
  batches: ShareLines[];
  /** Bytes of batches[0] as a Buffer (Buffer.copy into the output). */
  head: Buffer | null;
  /** Lines of batches[0] already written. */
  line: number;
  /** The largest `through` received. */
  through: number;
  ended: boolean;
}

/**
 * Puts the threads' lines back in frame order as their messages come (in any interleaving of
 * the threads, each thread's own in order), writing each line as soon as its turn has come.
 */
export class LineMerger {
  private readonly queues: ShareQueue[] = [];
  private running: number;
  /** The first damage a thread reported (they all read the same file). */
  error: string | null = null;

  /** `consumed`: per thread, batches written out (the threads wait on it when too far ahead). */
  constructor(threads: number, private readonly consumed: Int32Array, private readonly out: Sink) {
    for (let k = 0; k < threads; k++) this.queues.push({ batches: [], head: null, line: 0, through: 0, ended: false });
    this.running = threads;
  }

  /** Whether every thread has ended (and so every line is written). */
  get done(): boolean {
    return this.running === 0;
  }

  ended(index: number): boolean {
    return this.queues[index]!.ended;
  }

  /** Takes thread `index`'s message and writes what it lets out. */
  add(index: number, m: ShareMessage): void {
    const q = this.queues[index]!;
    if (m.kind === 'lines') {
      q.batches.push(m);
      q.through = Math.max(q.through, m.through);
    } else {
      q.ended = true;
      this.error ??= m.error;
      this.running--;
    }
    this.writeInOrder();
  }

  /**
   * Writes every line whose turn has come: a thread's next line goes out when no other thread
   * can still print an earlier frame: each other one has a later line waiting, has read up to
   * that frame (a frame is one thread's, so `through + 1` is the first it may still print), or
   * has ended.
   */
  private writeInOrder(): void {
    const queues = this.queues;
    for (;;) {
      let from = -1;
      let frame = Infinity;
      for (let k = 0; k < queues.length; k++) {
        const q = queues[k]!;
        this.dropWritten(q, k);
        if (q.batches.length > 0 && q.batches[0]!.frames[q.line]! < frame) {
          frame = q.batches[0]!.frames[q.line]!;
          from = k;
        }
      }
      if (from < 0) return;
      let bound = Infinity;
      for (let k = 0; k < queues.length; k++) {
        const q = queues[k]!;
        if (k !== from) bound = Math.min(bound, q.batches.length > 0 ? q.batches[0]!.frames[q.line]! : q.ended ? Infinity : q.through + 1);
      }
      if (frame > bound) return;
      // A run of this thread's lines up to the bound, in one copy.
      const q = queues[from]!;
      const batch = q.batches[0]!;
      q.head ??= Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.length);
      const first = q.line;
      let last = first;
      while (last < batch.frames.length && batch.frames[last]! <= bound) last++;
      this.out.bytes(q.head, first === 0 ? 0 : batch.ends[first - 1]!, batch.ends[last - 1]!);
      q.line = last;
    }
  }

  /** Takes written (and empty) batches off the queue and tells the thread. */
  private dropWritten(q: ShareQueue, index: number): void {
    while (q.batches.length > 0 && q.line >= q.batches[0]!.frames.length) {
      q.batches.shift();
      q.head = null;
      q.line = 0;
      Atomics.add(this.consumed, index, 1);
      Atomics.notify(this.consumed, index);
    }
  }
}

/** Runs `read` over `threads` threads, writing the lines to `out`; resolves to the exit status. */
export async function runParallelRead(o: ReadOptions, threads: number, out: Sink, err: Sink): Promise<number> {
  const consumed = new Int32Array(new SharedArrayBuffer(4 * threads));
  const merger = new LineMerger(threads, consumed, out);
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (e: unknown) => reject(e instanceof Error ? e : new Error(String(e)));
      for (let index = 0; index < threads; index++) {
        const job: ShareJob = { options: o, index, count: threads, consumed };
        const w = startWorker(new URL('./read-worker.mjs', import.meta.url), new URL('./read-worker.ts', import.meta.url), { workerData: job });
        workers.push(w);
        w.on('message', (m: ShareMessage) => {
          try {
            merger.add(index, m);
            if (merger.done) resolve();
          } catch (e) {
            // The reader of our output went away (BrokenPipeError), or a bug.
            fail(e);
          }
        });
        w.on('error', fail);
        w.on('exit', (code) => {
          if (!merger.ended(index)) fail(new Error(`read thread ${index} exited (code ${code}) before the end of the file`));
        });
      }
    });
  } finally {
    for (const w of workers) void w.terminate();
  }
  out.flush();
  if (merger.error !== null) {
    err.write(`synscope: ${merger.error}\n`);
    err.flush();
    return EXIT_FILE;
  }
  return EXIT_OK;
}

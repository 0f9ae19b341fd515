// One thread's part of a `synscope read` split over several (read-parallel.ts has the whole
// story): it reads every record of the file, dissects and prints the packets PacketShares gives
// it, and hands its lines, with their frame numbers, to the main thread, which puts every
// thread's lines back in frame order.
import type { MessagePort } from 'node:worker_threads';

/** Where a thread's messages go: its parentPort (a test collects them). */
export type SharePort = Pick<MessagePort, 'postMessage'>;
import { concatBytes } from '../file/concat.js';
import { openCaptureFile } from '../file/reader.js';
import { CaptureFileError } from '../file/types.js';
import type { ReadOptions } from './args.js';
import type { ByteText } from './byte-text.js';
import { compileReadFilters } from './filters.js';
import { fileErrorText, READ_PASS } from './open-capture.js';
import type { SummaryColumns } from './output.js';
import { PacketShares } from './packet-shares.js';
import { firstPass } from './read.js';
import { ReadPass } from './read-pass.js';
import { FdSink } from './sink.js';

/** What a thread is told to do (its workerData). */
export interface ShareJob {
  options: ReadOptions;
  /** This thread's share, 0 .. count-1. */
  index: number;
  count: number;
  /** Per thread, how many of its messages the main thread has written out (for backpressure). */
  consumed: Int32Array;
}

/**
 * A batch of lines: `bytes` holds them in frame order, line i is frame `frames[i]` and ends at
 * `ends[i]`. `through`: every packet up to that frame number has been read, and its line, if
 * this thread prints it, is in this batch or an earlier one.
 */
export interface ShareLines {
  kind: 'lines';
  bytes: Uint8Array;
  frames: Float64Array;
  ends: Float64Array;
  through: number;
}

/** The thread has read its last record; `error`: the damage that ended the file, as read.ts words it. */
export interface ShareEnd {
  kind: 'end';
  error: string | null;
}

export type ShareMessage = ShareLines | ShareEnd;

/** Batches a thread may have in flight before it waits for the main thread: ~16 MB of lines. */
const MAX_AHEAD = 64;
/** A batch goes out at least every this many records, so a thread with few lines of its own does not hold the others back. */
const RECORDS_PER_BATCH = 8192;

/** The summary lines of one share, encoded as FdSink encodes them, sent to the main thread in batches. */
export class ShareSink extends FdSink {
  private frames: number[] = [];
  private ends: number[] = [];
  /** Bytes of lines flushed out of the buffer since the last batch (each its own ArrayBuffer: they are transferred). */
  private flushed: Uint8Array[] = [];
  private flushedLength = 0;
  private posted = 0;

  constructor(private readonly job: ShareJob, private readonly port: SharePort) {
    super(-1);
  }

  override summary(c: SummaryColumns, tabs: boolean, info?: ByteText, time?: ByteText): void {
    super.summary(c, tabs, info, time);
    this.frames.push(c.no);
    this.ends.push(this.flushedLength + this.len);
  }

  protected override writeOut(data: Buffer, off: number): void {
    // The buffer is reused: keep a copy (slice: a buffer of its own, never Node's shared pool).
    const copy = Uint8Array.prototype.slice.call(data, off);
    this.flushed.push(copy);
    this.flushedLength += copy.length;
  }

  /** Sends the lines so far with `through`, waiting first while the main thread is far behind. */
  send(through: number): void {
    this.flush();
    const consumed = this.job.consumed, index = this.job.index;
    for (;;) {
      const seen = Atomics.load(consumed, index);
      if (this.posted - seen <= MAX_AHEAD) break;
      Atomics.wait(consumed, index, seen, 100);
    }
    // Each part and their concatenation have buffers of their own (new Uint8Array).
    const bytes = concatBytes(this.flushed);
    const msg: ShareLines = { kind: 'lines', bytes, frames: Float64Array.from(this.frames), ends: Float64Array.from(this.ends), through };
    // Moved, not copied, to the main thread.
    this.port.postMessage(msg, [bytes.buffer as ArrayBuffer, msg.frames.buffer as ArrayBuffer, msg.ends.buffer as ArrayBuffer]);
    this.posted++;
    this.frames = [];
    this.ends = [];
    this.flushed = [];
    this.flushedLength = 0;
  }
}

/** Runs one share of the job's `read` and tells `port` its lines and its end. */
export async function runShare(job: ShareJob, port: SharePort): Promise<void> {
  const o = job.options;
  const compiled = compileReadFilters(o.displayFilter, o.captureFilter);
  // The main thread compiled the same text before it started the threads.
  if (!compiled.ok) throw new Error(`filter did not compile in a read thread: ${compiled.error}`);
  const src = openCaptureFile(o.file, READ_PASS);
  const sink = new ShareSink(job, port);
  const pass = new ReadPass(o, src.info, null, compiled.filters, null, sink);
  // -Y: this share's own first pass (stream-needs.ts), as read.ts runs one for the whole file.
  const plan = pass.wantsFirstPass ? await firstPass(o, src.info, compiled.filters, { count: job.count, index: job.index }) : null;
  if (plan) pass.usePlan(plan);
  pass.useShare(new PacketShares(job.count), job.index);
  const limit = o.count ?? Infinity;
  let error: string | null = null;
  try {
    for (let records = 1; pass.packets < limit; records++) {
      const rec = src.next();
      if (rec === null) break;
      // A regular file's reader never waits (read-parallel.ts takes no pipes).
      if (rec instanceof Promise) throw new Error('a read thread was given a source that waits');
      pass.packet(rec);
      if (records % RECORDS_PER_BATCH === 0) sink.send(pass.packets);
    }
  } catch (e) {
    if (!(e instanceof CaptureFileError)) throw e;
    error = fileErrorText(o.file, e);
  } finally {
    src.close();
  }
  sink.send(pass.packets);
  const end: ShareEnd = { kind: 'end', error };
  port.postMessage(end);
}

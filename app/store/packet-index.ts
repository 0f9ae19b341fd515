// The index of an opened capture file: one row per packet in typed arrays, built in one pass,
// while the packet bytes stay in the file and are read on demand by file offset. About 30
// bytes per packet (DESIGN.md budget: tens of bytes, not kilobytes).
import type { AbsTime } from '../dissect/tree.js';
import type { PacketRecord } from '../file/types.js';

const INITIAL_CAPACITY = 1024;

/** One row of the index, as handed out (a copy; the index itself stays columnar). */
export interface IndexEntry {
  /** 1-based packet number. */
  number: number;
  fileOffset: number;
  ts: AbsTime;
  capLen: number;
  origLen: number;
  interfaceId: number;
}

/** The index's columns as plain typed arrays (what a worker transfers to the session). */
export interface IndexColumns {
  count: number;
  fileOffset: Float64Array<ArrayBuffer>;
  tsSec: Float64Array<ArrayBuffer>;
  tsNsec: Int32Array<ArrayBuffer>;
  capLen: Uint32Array<ArrayBuffer>;
  origLen: Uint32Array<ArrayBuffer>;
  iface: Uint16Array<ArrayBuffer>;
}

export class PacketIndex {
  private n = 0;
  // Float64 for offsets (files beyond 4 GiB) and seconds (dates beyond 2106); exact to 2^53.
  private fileOffset = new Float64Array(INITIAL_CAPACITY);
  private tsSec = new Float64Array(INITIAL_CAPACITY);
  // Signed: wiretap keeps an overflowed nanosecond field as a negative C int (see formatEpoch).
  private tsNsec = new Int32Array(INITIAL_CAPACITY);
  private capLen = new Uint32Array(INITIAL_CAPACITY);
  private origLen = new Uint32Array(INITIAL_CAPACITY);
  private iface = new Uint16Array(INITIAL_CAPACITY);

  get count(): number {
    return this.n;
  }

  push(rec: PacketRecord): void {
    if (this.n === this.fileOffset.length) this.grow(this.n * 2);
    const i = this.n++;
    this.fileOffset[i] = rec.fileOffset;
    this.tsSec[i] = rec.ts.sec;
    this.tsNsec[i] = rec.ts.nsec;
    this.capLen[i] = rec.capLen;
    this.origLen[i] = rec.origLen;
    this.iface[i] = rec.interfaceId;
  }

  /** Row for 0-based index i. */
  entry(i: number): IndexEntry {
    if (i < 0 || i >= this.n) throw new RangeError(`packet index ${i} out of range 0..${this.n - 1}`);
    return {
      number: i + 1,
      fileOffset: this.fileOffset[i]!,
      ts: { sec: this.tsSec[i]!, nsec: this.tsNsec[i]! },
      capLen: this.capLen[i]!,
      origLen: this.origLen[i]!,
      interfaceId: this.iface[i]!,
    };
  }

  /** Rebuilds an index from columns another thread made (the arrays are adopted, not copied). */
  static fromColumns(c: IndexColumns): PacketIndex {
    const idx = new PacketIndex();
    idx.n = c.count;
    idx.fileOffset = c.fileOffset;
    idx.tsSec = c.tsSec;
    idx.tsNsec = c.tsNsec;
    idx.capLen = c.capLen;
    idx.origLen = c.origLen;
    idx.iface = c.iface;
    return idx;
  }

  /** The columns (live views; trim() first so they hold no slack). */
  columns(): IndexColumns {
    return { count: this.n, fileOffset: this.fileOffset, tsSec: this.tsSec, tsNsec: this.tsNsec, capLen: this.capLen, origLen: this.origLen, iface: this.iface };
  }

  capLenOf(i: number): number {
    return this.capLen[i]!;
  }

  origLenOf(i: number): number {
    return this.origLen[i]!;
  }

  fileOffsetOf(i: number): number {
    return this.fileOffset[i]!;
  }

  timeOf(i: number): AbsTime {
    return { sec: this.tsSec[i]!, nsec: this.tsNsec[i]! };
  }

  /** Drops the growth slack once the file is fully indexed. */
  trim(): void {
    this.grow(Math.max(this.n, 1));
  }

  /** Bytes of typed-array memory the index holds (for the benchmark's per-packet figure). */
  byteSize(): number {
    return this.fileOffset.byteLength + this.tsSec.byteLength + this.tsNsec.byteLength +
      this.capLen.byteLength + this.origLen.byteLength + this.iface.byteLength;
  }

  private grow(capacity: number): void {
    const copy = <T extends Float64Array | Uint32Array | Int32Array | Uint16Array>(a: T, make: (n: number) => T): T => {
      const b = make(capacity);
      b.set(a.subarray(0, Math.min(this.n, capacity)));
      return b;
    };
    this.fileOffset = copy(this.fileOffset, (c) => new Float64Array(c));
    this.tsSec = copy(this.tsSec, (c) => new Float64Array(c));
    this.tsNsec = copy(this.tsNsec, (c) => new Int32Array(c));
    this.capLen = copy(this.capLen, (c) => new Uint32Array(c));
    this.origLen = copy(this.origLen, (c) => new Uint32Array(c));
    this.iface = copy(this.iface, (c) => new Uint16Array(c));
  }
}

/** Anything that yields records one by one (the file readers do). */
export interface RecordSource {
  next(): PacketRecord | null;
}

export interface IndexResult {
  index: PacketIndex;
  /** Set when the file is damaged: every complete record before it is in the index. */
  error: Error | null;
}

/** Indexes every record of a source in one pass. A damaged tail is reported, not thrown. */
export function indexRecords(source: RecordSource): IndexResult {
  const index = new PacketIndex();
  let error: Error | null = null;
  try {
    for (let rec = source.next(); rec !== null; rec = source.next()) index.push(rec);
  } catch (e) {
    error = e instanceof Error ? e : new Error(String(e));
  }
  index.trim();
  return { index, error };
}

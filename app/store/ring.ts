// The live-capture packet store: a ring with a byte budget. Packet bytes are copied into large
// chunks allocated outside the JS heap (Buffer.allocUnsafeSlow, one ArrayBuffer per chunk, not
// one object per packet); per-packet facts live in typed-array columns. When the next chunk
// would exceed the budget, the oldest chunk is evicted with every packet in it — eviction is
// chunk-granular (a sixteenth of the budget at a time), which keeps appends O(1) and the
// memory bound exact. Frame numbers keep increasing across evictions; `firstAvailable` says
// which is the oldest still held (DESIGN.md "Live capture", issue 5 "Storage").
import type { AbsTime } from '../dissect/tree.js';

export const DEFAULT_RING_BYTES = 512 * 1024 * 1024;
const MAX_CHUNK = 8 * 1024 * 1024;
const MIN_CHUNK = 64 * 1024;
const INITIAL_ROWS = 4096;

export interface RingOptions {
  /** Bytes of packet data the ring may hold (chunk allocations count in full). */
  budgetBytes?: number;
  /** Chunk size; default budget/16 within [64 KiB, 8 MiB]. */
  chunkBytes?: number;
}

export interface RingPacketIn {
  ts: AbsTime;
  capLen: number;
  origLen: number;
  linkType: number;
  data: Uint8Array;
}

export interface RingPacket extends RingPacketIn {
  number: number;
}

interface Chunk {
  id: number;
  buf: Buffer;
  used: number;
}

export class PacketRing {
  readonly budgetBytes: number;
  readonly chunkBytes: number;
  /** Frames appended so far = the newest frame number. */
  private total = 0;
  private evictedCount = 0;
  private heldBytes = 0;
  private allocated = 0;
  private readonly chunks: Chunk[] = [];
  private nextChunkId = 0;
  private spare: Buffer | null = null;

  // Columns, row r holds frame (firstRowFrame + r); live rows are [head, rows).
  private head = 0;
  private rows = 0;
  private firstRowFrame = 1;
  private chunkOf = new Uint32Array(INITIAL_ROWS);
  private offset = new Uint32Array(INITIAL_ROWS);
  private capLen = new Uint32Array(INITIAL_ROWS);
  private origLen = new Uint32Array(INITIAL_ROWS);
  private tsSec = new Float64Array(INITIAL_ROWS);
  private tsNsec = new Int32Array(INITIAL_ROWS);
  private linkType = new Uint16Array(INITIAL_ROWS);
  /** Time of the newest evicted frame (the previous frame of firstAvailable). */
  private evictedTs: AbsTime | null = null;
  private firstTs: AbsTime | null = null;

  constructor(o: RingOptions = {}) {
    this.budgetBytes = Math.max(MIN_CHUNK, Math.floor(o.budgetBytes ?? DEFAULT_RING_BYTES));
    this.chunkBytes = o.chunkBytes ?? Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, Math.floor(this.budgetBytes / 16)));
  }

  /** The newest frame number (0 when empty). */
  get count(): number {
    return this.total;
  }

  /** The oldest frame number still held (count + 1 when nothing is held). */
  get firstAvailable(): number {
    return this.firstRowFrame + this.head;
  }

  get evicted(): number {
    return this.evictedCount;
  }

  /** Bytes of packet data held now. */
  get bytes(): number {
    return this.heldBytes;
  }

  /** Bytes of chunk memory allocated now (≤ budget unless one packet is larger than it). */
  get allocatedBytes(): number {
    return this.allocated;
  }

  /** Time of frame 1 (kept after it is evicted: the time column is relative to it). */
  get firstTime(): AbsTime | null {
    return this.firstTs;
  }

  has(n: number): boolean {
    return n >= this.firstAvailable && n <= this.total;
  }

  /** Stores a copy of the packet; returns its frame number. */
  append(p: RingPacketIn): number {
    const len = p.data.length;
    const chunk = this.chunkFor(len);
    chunk.buf.set(p.data, chunk.used);
    if (this.rows === this.chunkOf.length) this.makeRoom();
    const r = this.rows++;
    this.chunkOf[r] = chunk.id;
    this.offset[r] = chunk.used;
    this.capLen[r] = len;
    this.origLen[r] = p.origLen;
    this.tsSec[r] = p.ts.sec;
    this.tsNsec[r] = p.ts.nsec;
    this.linkType[r] = p.linkType;
    chunk.used += len;
    this.heldBytes += len;
    this.total++;
    if (this.firstTs === null) this.firstTs = { sec: p.ts.sec, nsec: p.ts.nsec };
    return this.total;
  }

  /** Frame n; `data` is a view into the ring, valid until the frame is evicted. */
  read(n: number): RingPacket {
    if (!this.has(n)) throw new RangeError(`frame ${n} is not in the ring (${this.firstAvailable}..${this.total})`);
    const r = n - this.firstRowFrame;
    const chunk = this.chunks[this.chunkOf[r]! - this.chunks[0]!.id]!;
    const off = this.offset[r]!;
    return {
      number: n,
      ts: { sec: this.tsSec[r]!, nsec: this.tsNsec[r]! },
      capLen: this.capLen[r]!,
      origLen: this.origLen[r]!,
      linkType: this.linkType[r]!,
      // A plain Uint8Array view (not a Buffer): the dissector and writers take any bytes.
      data: new Uint8Array(chunk.buf.buffer, chunk.buf.byteOffset + off, this.capLen[r]!),
    };
  }

  timeOf(n: number): AbsTime | null {
    if (n === this.firstAvailable - 1) return this.evictedTs;
    if (!this.has(n)) return null;
    const r = n - this.firstRowFrame;
    return { sec: this.tsSec[r]!, nsec: this.tsNsec[r]! };
  }

  origLenOf(n: number): number {
    return this.origLen[n - this.firstRowFrame]!;
  }

  private chunkFor(len: number): Chunk {
    const last = this.chunks[this.chunks.length - 1];
    if (last && last.used + len <= last.buf.length) return last;
    const size = Math.max(this.chunkBytes, len);
    // Make room first: the new chunk must fit in the budget with what stays.
    while (this.chunks.length > 0 && this.allocated + size > this.budgetBytes) this.evictOldestChunk();
    let buf: Buffer;
    if (size === this.chunkBytes && this.spare) {
      buf = this.spare;
      this.spare = null;
    } else buf = Buffer.allocUnsafeSlow(size);
    const chunk: Chunk = { id: this.nextChunkId++, buf, used: 0 };
    this.chunks.push(chunk);
    this.allocated += size;
    return chunk;
  }

  private evictOldestChunk(): void {
    const chunk = this.chunks.shift()!;
    while (this.head < this.rows && this.chunkOf[this.head] === chunk.id) {
      this.heldBytes -= this.capLen[this.head]!;
      this.evictedTs = { sec: this.tsSec[this.head]!, nsec: this.tsNsec[this.head]! };
      this.head++;
      this.evictedCount++;
    }
    this.allocated -= chunk.buf.length;
    // Reused for the next chunk of the standard size: no allocation in steady state.
    if (chunk.buf.length === this.chunkBytes) this.spare = chunk.buf;
  }

  /** The columns are full: drop evicted rows from the front, or grow. */
  private makeRoom(): void {
    const live = this.rows - this.head;
    const cap = live * 2 > this.chunkOf.length ? this.chunkOf.length * 2 : this.chunkOf.length;
    const move = <T extends Uint32Array | Float64Array | Int32Array | Uint16Array>(a: T, make: (n: number) => T): T => {
      if (cap === a.length) {
        a.copyWithin(0, this.head, this.rows);
        return a;
      }
      const b = make(cap);
      b.set(a.subarray(this.head, this.rows));
      return b;
    };
    this.chunkOf = move(this.chunkOf, (n) => new Uint32Array(n));
    this.offset = move(this.offset, (n) => new Uint32Array(n));
    this.capLen = move(this.capLen, (n) => new Uint32Array(n));
    this.origLen = move(this.origLen, (n) => new Uint32Array(n));
    this.tsSec = move(this.tsSec, (n) => new Float64Array(n));
    this.tsNsec = move(this.tsNsec, (n) => new Int32Array(n));
    this.linkType = move(this.linkType, (n) => new Uint16Array(n));
    this.firstRowFrame += this.head;
    this.rows = live;
    this.head = 0;
  }

  /** Typed-array and chunk memory (for the per-packet figure). */
  byteSize(): number {
    return this.allocated + this.chunkOf.length * (4 + 4 + 4 + 4 + 8 + 4 + 2);
  }
}

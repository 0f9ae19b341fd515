// The segments each flow sent that were not acknowledged yet (packet-tcp.c's tcp_unacked_t
// list), for every flow of a tracker in one Float64Array: four numbers per segment (frame, seq,
// nextseq, time in ns), each flow's list in a block of the array, oldest segment first.
// As an object per segment they were ~135 MB of allocation on a million packets, and the
// segments a bulk transfer keeps in flight survived into the young-generation collector's copies.
//
// A flow's list starts empty (no block); a full block moves to one twice its size, and a list
// an ACK empties gives its block back. Blocks are power-of-two multiples of MIN_BLOCK segments,
// kept in a free list per size for reuse.
import { gtSeq, leSeq } from './seq.js';

/** What a list needs from its flow: the block it owns and how many segments it holds. */
export interface UnackedList {
  /** First segment slot of the flow's block; -1 before the flow's first unacked segment. */
  uaBlock: number;
  /** Slots in the block (0 without one). */
  uaCap: number;
  /** Segments in the list. */
  uaLen: number;
}

const FIELDS = 4;
const FRAME = 0, SEQ = 1, NEXTSEQ = 2, TS = 3;
/** Slots in the smallest block: a handshake and a few data segments. */
const MIN_BLOCK = 4;

export class UnackedSegments {
  private cells = new Float64Array(4096 * FIELDS);
  /** Slots handed out so far (block starts are below it). */
  private top = 0;
  /** Free blocks by size class: class k holds blocks of MIN_BLOCK << k slots. */
  private readonly free: number[][] = [];
  /** The segment acknowledge() found acknowledged exactly (valid when it returned true). */
  matchedFrame = 0;
  matchedTs = 0;

  frame(l: UnackedList, i: number): number {
    return this.cells[(l.uaBlock + i) * FIELDS + FRAME]!;
  }
  seq(l: UnackedList, i: number): number {
    return this.cells[(l.uaBlock + i) * FIELDS + SEQ]!;
  }
  nextseq(l: UnackedList, i: number): number {
    return this.cells[(l.uaBlock + i) * FIELDS + NEXTSEQ]!;
  }
  ts(l: UnackedList, i: number): number {
    return this.cells[(l.uaBlock + i) * FIELDS + TS]!;
  }

  /** Appends a segment to the end of the flow's list (the caller checks the list's limit). */
  push(l: UnackedList, frame: number, seq: number, nextseq: number, ts: number): void {
    if (l.uaLen === l.uaCap) this.grow(l);
    const at = (l.uaBlock + l.uaLen++) * FIELDS;
    const c = this.cells;
    c[at + FRAME] = frame;
    c[at + SEQ] = seq;
    c[at + NEXTSEQ] = nextseq;
    c[at + TS] = ts;
  }

  /**
   * What an ACK number `ack` from the other side does to the list (packet-tcp.c's walk at
   * the end of tcp_analyze_sequence_number): a segment ending exactly at `ack` is acknowledged
   * and goes (true, with the oldest such one in matchedFrame/matchedTs), one that `ack` cuts is
   * kept from `ack` on, one beyond `ack` stays, and anything older goes.
   */
  acknowledge(l: UnackedList, ack: number): boolean {
    const c = this.cells;
    let matched = false;
    let keep = 0;
    for (let i = 0; i < l.uaLen; i++) {
      const at = (l.uaBlock + i) * FIELDS;
      const seq = c[at + SEQ]!, nextseq = c[at + NEXTSEQ]!;
      if (ack === nextseq) {
        if (!matched) {
          matched = true;
          this.matchedFrame = c[at + FRAME]!;
          this.matchedTs = c[at + TS]!;
        }
        continue;
      }
      // Partially acknowledged (seq < ack <= nextseq) keeps the rest from ack on.
      const partly = gtSeq(ack, seq) && leSeq(ack, nextseq);
      if (!partly && !gtSeq(nextseq, ack)) continue;
      const to = (l.uaBlock + keep++) * FIELDS;
      if (to !== at) {
        c[to + FRAME] = c[at + FRAME]!;
        c[to + NEXTSEQ] = nextseq;
        c[to + TS] = c[at + TS]!;
      }
      c[to + SEQ] = partly ? ack : seq;
    }
    l.uaLen = keep;
    // An emptied list gives its block back: the blocks in use are the lists holding segments
    // (what is in flight now), not every flow that ever sent data.
    if (keep === 0) this.release(l);
    return matched;
  }

  /** The flow is forgotten: its block goes back for other flows. */
  release(l: UnackedList): void {
    if (l.uaBlock >= 0) this.freeList(l.uaCap).push(l.uaBlock);
    l.uaBlock = -1;
    l.uaCap = 0;
    l.uaLen = 0;
  }

  /** Bytes the flow's block takes. */
  byteSize(l: UnackedList): number {
    return l.uaCap * FIELDS * 8;
  }

  private grow(l: UnackedList): void {
    const cap = l.uaCap === 0 ? MIN_BLOCK : l.uaCap * 2;
    const block = this.freeList(cap).pop() ?? this.take(cap);
    if (l.uaLen > 0) this.cells.copyWithin(block * FIELDS, l.uaBlock * FIELDS, (l.uaBlock + l.uaLen) * FIELDS);
    if (l.uaBlock >= 0) this.freeList(l.uaCap).push(l.uaBlock);
    l.uaBlock = block;
    l.uaCap = cap;
  }

  /** A new block of `cap` slots past the ones handed out (the array doubles when full). */
  private take(cap: number): number {
    const block = this.top;
    this.top += cap;
    if (this.top * FIELDS > this.cells.length) {
      const bigger = new Float64Array(Math.max(this.top * FIELDS, this.cells.length * 2));
      bigger.set(this.cells);
      this.cells = bigger;
    }
    return block;
  }

  private freeList(cap: number): number[] {
    const k = Math.log2(cap / MIN_BLOCK);
    while (this.free.length <= k) this.free.push([]);
    return this.free[k]!;
  }
}

// The numbers of the tracker's flows that do not fit a small integer — 32-bit sequence numbers,
// nanosecond times, the raw window's 0xffffffff start — in typed columns, one row per flow.
// As object fields each was a separate boxed number on the heap: ~16 per connection that the
// young-generation collector copied while the connection was new (60k connections: ~1M boxes).
// Flow (tracker.ts) reads and writes its row through accessors, so the analysis code is unchanged.

/** The columns, in the order of Flow's accessors. */
export class FlowNumbers {
  baseSeq = new Float64Array(INITIAL_ROWS);
  /** Last raw window seen; Wireshark starts it at G_MAXUINT32. */
  window = new Float64Array(INITIAL_ROWS);
  nextseq = new Float64Array(INITIAL_ROWS);
  nextseqTime = new Float64Array(INITIAL_ROWS);
  maxSeqToBeAcked = new Float64Array(INITIAL_ROWS);
  lastack = new Float64Array(INITIAL_ROWS);
  lastackTime = new Float64Array(INITIAL_ROWS);
  lastNonDupAck = new Float64Array(INITIAL_ROWS);
  sortedBase = new Float64Array(INITIAL_ROWS);
  private rows = 0;
  /** Rows of forgotten flows, handed out again (a live capture forgets connections without end). */
  private readonly free: number[] = [];

  /** A row with a new flow's values. */
  take(): number {
    const i = this.free.length > 0 ? this.free.pop()! : this.rows++;
    if (i >= this.baseSeq.length) this.grow();
    this.baseSeq[i] = 0;
    this.window[i] = 0xffffffff;
    this.nextseq[i] = 0;
    this.nextseqTime[i] = -Infinity;
    this.maxSeqToBeAcked[i] = 0;
    this.lastack[i] = 0;
    this.lastackTime[i] = -Infinity;
    this.lastNonDupAck[i] = 0;
    this.sortedBase[i] = 0;
    return i;
  }

  /** The flow of row `i` is forgotten: nothing reads the row any more. */
  release(i: number): void {
    this.free.push(i);
  }

  private grow(): void {
    const n = this.baseSeq.length * 2;
    const bigger = (a: Float64Array) => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    this.baseSeq = bigger(this.baseSeq);
    this.window = bigger(this.window);
    this.nextseq = bigger(this.nextseq);
    this.nextseqTime = bigger(this.nextseqTime);
    this.maxSeqToBeAcked = bigger(this.maxSeqToBeAcked);
    this.lastack = bigger(this.lastack);
    this.lastackTime = bigger(this.lastackTime);
    this.lastNonDupAck = bigger(this.lastNonDupAck);
    this.sortedBase = bigger(this.sortedBase);
  }
}

const INITIAL_ROWS = 1024;

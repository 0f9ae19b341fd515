// The packet list's rows: either every available frame (no filter) or the frame numbers a
// filter kept, as a growing Uint32Array (4 bytes per displayed packet, no object per row).
// Row i is a 0-based position; frames evicted from a live ring drop off the front.
export class FilteredView {
  private frames = new Uint32Array(1024);
  private len = 0;
  /** Frames 1..testedUpTo have been tested against the filter. */
  testedUpTo = 0;

  constructor(
    /** null = no filter: the view is every available frame. */
    readonly filtered: boolean,
  ) {}

  push(frame: number): void {
    if (this.len === this.frames.length) {
      const b = new Uint32Array(this.frames.length * 2);
      b.set(this.frames);
      this.frames = b;
    }
    this.frames[this.len++] = frame;
  }

  /** First array position holding a frame ≥ firstAvailable. */
  private startFor(firstAvailable: number): number {
    let lo = 0;
    let hi = this.len;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.frames[mid]! < firstAvailable) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Rows in the view. `count`/`firstAvailable` describe the store (used when unfiltered). */
  size(count: number, firstAvailable: number): number {
    if (!this.filtered) return Math.max(0, count - firstAvailable + 1);
    return this.len - this.startFor(firstAvailable);
  }

  /** Frame numbers of rows [start, end). */
  slice(start: number, end: number, count: number, firstAvailable: number): number[] {
    const size = this.size(count, firstAvailable);
    const s = Math.max(0, Math.min(start, size));
    const e = Math.max(s, Math.min(end, size));
    const out: number[] = [];
    if (!this.filtered) {
      for (let i = s; i < e; i++) out.push(firstAvailable + i);
      return out;
    }
    const base = this.startFor(firstAvailable);
    for (let i = s; i < e; i++) out.push(this.frames[base + i]!);
    return out;
  }

  /** Row of frame `n`, or -1 when it is filtered out or no longer available. */
  rowOf(n: number, count: number, firstAvailable: number): number {
    if (n < firstAvailable || n > count) return -1;
    if (!this.filtered) return n - firstAvailable;
    const i = this.startFor(n);
    if (i >= this.len || this.frames[i] !== n) return -1;
    return i - this.startFor(firstAvailable);
  }

  /** Every frame in the view (for saving the displayed packets). */
  all(count: number, firstAvailable: number): number[] {
    return this.slice(0, this.size(count, firstAvailable), count, firstAvailable);
  }
}

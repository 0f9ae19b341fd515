// The Source, Destination and Protocol columns of every frame the in-order pass dissected, kept
// as ids into one table of distinct texts (a capture has few addresses and protocol names), so
// sorting by them reads these ids instead of dissecting every frame again: on the 1M-packet
// benchmark capture a sort by Source took ~15 s of re-dissection (sort.ts sortByTextIds).
// The pass's own dissection of a frame is the one packets.rows repeats (same state, same
// frame), so its columns are the row's; sort.test.ts holds the sorted orders to tshark's
// columns on corpus captures.
import { dropDue, dropFront, grownColumn } from './frame-columns.js';

/**
 * Distinct texts kept at most (~25 MB of strings and map entries). Past it the table is made
 * again from the frames still kept (a live ring's evicted frames had most of a scan's addresses);
 * when those alone fill half of it, frames with new texts get none (0) and sort by dissection
 * until the ring evicts more.
 */
export const MAX_TEXTS = 1 << 18;

export type TextColumn = 'source' | 'destination' | 'protocol';

export class ColumnTexts {
  private readonly ids = new Map<string, number>();
  /** texts[id]; id 0 is "not recorded". */
  private readonly texts: string[] = [''];
  /** Per column, the text id of each frame from `base` on (0: not recorded). */
  private cols: Record<TextColumn, Uint32Array> = { source: new Uint32Array(1024), destination: new Uint32Array(1024), protocol: new Uint32Array(1024) };
  private base = 1;
  /** Columns' entries in use: [0, end). */
  private end = 0;
  /** New texts get no id (the table is full of the kept frames' texts). */
  private stopped = false;

  /** Records frame n's three columns. A frame before the first kept one is not recorded. */
  record(n: number, source: string, destination: string, protocol: string): void {
    const i = n - this.base;
    if (i < 0) return;
    if (i >= this.cols.source.length) {
      const c = this.cols;
      this.cols = { source: grownColumn(c.source, i, 0), destination: grownColumn(c.destination, i, 0), protocol: grownColumn(c.protocol, i, 0) };
    }
    if (i >= this.end) this.end = i + 1;
    this.cols.source[i] = this.idOf(source);
    this.cols.destination[i] = this.idOf(destination);
    this.cols.protocol[i] = this.idOf(protocol);
  }

  /**
   * The text ids of `column` for `frames`, or null when one of them was not recorded (a frame
   * the pass skipped, or one before the first kept).
   */
  idsOf(column: TextColumn, frames: Uint32Array): Uint32Array | null {
    const col = this.cols[column];
    const out = new Uint32Array(frames.length);
    for (let k = 0; k < frames.length; k++) {
      const i = frames[k]! - this.base;
      const id = i >= 0 && i < col.length ? col[i]! : 0;
      if (id === 0) return null;
      out[k] = id;
    }
    return out;
  }

  text(id: number): string {
    return this.texts[id]!;
  }

  /**
   * Forgets frames before `first` (a live ring evicted them) once they are half the columns:
   * the columns stay as bounded as the ring (Analysis.trimBefore's rule for its own columns).
   */
  trimBefore(first: number): void {
    const drop = first - this.base;
    if (!dropDue(drop, this.cols.source.length)) return;
    for (const col of Object.values(this.cols)) dropFront(col, drop, 0);
    this.base = first;
    this.end = Math.max(0, this.end - drop);
    this.stopped = false;
  }

  /** Distinct texts in the table now. */
  get size(): number {
    return this.texts.length - 1;
  }

  private idOf(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      if (this.stopped) return 0;
      if (this.texts.length >= MAX_TEXTS) {
        this.rebuild();
        // The kept frames alone have that many: no new text until a ring evicts frames.
        if (this.texts.length >= MAX_TEXTS / 2) {
          this.stopped = true;
          return 0;
        }
      }
      id = this.add(text);
    }
    return id;
  }

  private add(text: string): number {
    const id = this.texts.length;
    this.texts.push(text);
    this.ids.set(text, id);
    return id;
  }

  /** The table of the texts the kept frames use, their ids renumbered (the rest are forgotten). */
  private rebuild(): void {
    const old = this.texts.slice();
    this.ids.clear();
    this.texts.length = 1;
    const renumbered = new Map<number, number>();
    for (const col of Object.values(this.cols)) {
      for (let i = 0; i < this.end; i++) {
        const id = col[i]!;
        if (id === 0) continue;
        let to = renumbered.get(id);
        if (to === undefined) renumbered.set(id, (to = this.add(old[id]!)));
        col[i] = to;
      }
    }
  }
}

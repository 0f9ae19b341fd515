// The Source, Destination and Protocol columns of every frame the in-order pass dissected, kept
// as ids into one table of distinct texts (a capture has few addresses and protocol names), so
// sorting by them reads these ids instead of dissecting every frame again: on the 1M-packet
// benchmark capture a sort by Source took ~35 s of re-dissection (sort.ts sortByTextIds).
// The pass's own dissection of a frame is the one packets.rows repeats (same state, same
// frame), so its columns are the row's; session.test.ts compares them on corpus captures.

/** Distinct texts kept at most; a frame whose text would be a new one past this has none (0). */
const MAX_TEXTS = 1 << 20;

export type TextColumn = 'source' | 'destination' | 'protocol';

export class ColumnTexts {
  private readonly ids = new Map<string, number>();
  /** texts[id]; id 0 is "not recorded". */
  private readonly texts: string[] = [''];
  /** Per column, the text id of each frame from `base` on (0: not recorded). */
  private cols: Record<TextColumn, Uint32Array> = { source: new Uint32Array(1024), destination: new Uint32Array(1024), protocol: new Uint32Array(1024) };
  private base = 1;

  /** Records frame n's three columns. A frame before the first kept one is not recorded. */
  record(n: number, source: string, destination: string, protocol: string): void {
    const i = n - this.base;
    if (i < 0) return;
    if (i >= this.cols.source.length) this.grow(i + 1);
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
    if (drop <= 0 || drop * 2 < this.cols.source.length) return;
    for (const col of Object.values(this.cols)) {
      if (drop >= col.length) col.fill(0);
      else {
        col.copyWithin(0, drop);
        col.fill(0, col.length - drop);
      }
    }
    this.base = first;
  }

  private idOf(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      if (this.texts.length >= MAX_TEXTS) return 0;
      id = this.texts.length;
      this.texts.push(text);
      this.ids.set(text, id);
    }
    return id;
  }

  private grow(size: number): void {
    const grown = (col: Uint32Array) => {
      const b = new Uint32Array(Math.max(size, col.length * 2));
      b.set(col);
      return b;
    };
    this.cols = { source: grown(this.cols.source), destination: grown(this.cols.destination), protocol: grown(this.cols.protocol) };
  }
}

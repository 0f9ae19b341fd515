// A protocol's per-frame answers from the first pass (what a re-dissection of the frame must
// answer the same: TCP's reassembly record, UDP's stream), by frame number. Pages of PAGE slots
// are made as frames arrive and dropped when a live capture forgets all of their frames. A Map
// keyed by frame number hashed and grew on every insert of a 1M-packet pass (~0.3 s for TCP's
// records alone) and kept a hash table for the GC to walk.
const PAGE_BITS = 12;
const PAGE = 1 << PAGE_BITS;

export class FrameTable<T> {
  /** By frame number >> PAGE_BITS; pages below firstPage were forgotten. */
  private readonly pages: Array<Array<T | undefined> | undefined> = [];
  private firstPage = 0;
  /** Frames before this one were forgotten. */
  private base = 0;
  /** Frames with an answer. */
  private stored = 0;

  get size(): number {
    return this.stored;
  }

  get(frame: number): T | undefined {
    if (frame < this.base) return undefined;
    return this.pages[frame >>> PAGE_BITS]?.[frame & (PAGE - 1)];
  }

  set(frame: number, value: T): void {
    if (frame < this.base) return;
    const k = frame >>> PAGE_BITS;
    // Pages are made in order as a pass goes; one far ahead leaves holes, not pages.
    let page = this.pages[k];
    if (!page) this.pages[k] = page = new Array<T | undefined>(PAGE);
    const i = frame & (PAGE - 1);
    if (page[i] === undefined) this.stored++;
    page[i] = value;
  }

  /** Forgets the answers of frames before `first` (a live capture's ring evicted them). */
  forgetBefore(first: number): void {
    if (first <= this.base) return;
    this.base = first;
    const upTo = first >>> PAGE_BITS;
    for (let k = this.firstPage; k < upTo && k < this.pages.length; k++) {
      const page = this.pages[k];
      if (page) this.stored -= countStored(page, PAGE);
      this.pages[k] = undefined;
    }
    if (upTo > this.firstPage) this.firstPage = upTo;
    // The page `first` is in keeps its later frames; its earlier slots go.
    const page = this.pages[upTo];
    if (page) {
      const end = first & (PAGE - 1);
      this.stored -= countStored(page, end);
      page.fill(undefined, 0, end);
    }
  }
}

function countStored(page: ReadonlyArray<unknown>, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (page[i] !== undefined) n++;
  return n;
}

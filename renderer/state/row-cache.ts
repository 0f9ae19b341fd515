// The packet list's memory of rows it asked for. Rows are fetched in blocks (packets.rows with
// [start, end)) only for what is on screen; a block that became stale (new filter, new time
// format, packets appended to its end) stays on screen until its replacement arrives, so a live
// capture never flickers. A bounded number of blocks is kept, and a bounded number of requests
// is in flight, so scrolling through millions of rows asks only for where the user stopped.
// Rows the file's analysis has not reached come pending (PacketRow.pending): their block is
// asked for again once the analysis passes its first pending row (analysedUpTo).
import type { PacketRow } from '../../app/session/contract.js';

export type FetchRows = (start: number, end: number) => Promise<PacketRow[]>;

interface Block {
  gen: number;
  /** Packets were appended into this block after it was fetched. */
  stale: boolean;
  /** Which request filled it: a later answer always wins over an earlier one. */
  req: number;
  rows: PacketRow[];
  /** The lowest frame number of its pending rows (Infinity: none). */
  firstPending: number;
}

interface Request {
  req: number;
  gen: number;
  stale: boolean;
}

export class RowCache {
  private gen = 0;
  private nextReq = 1;
  private readonly blocks = new Map<number, Block>();
  private readonly inflight = new Map<number, Request>();
  private lastWanted = 0;

  constructor(
    private readonly fetchRows: FetchRows,
    private readonly onLoaded: () => void,
    readonly blockSize = 100,
    private readonly maxBlocks = 60,
    private readonly maxInflight = 3,
  ) {}

  /** The row at a view index, possibly from a stale block; undefined when never loaded. */
  row(index: number): PacketRow | undefined {
    const b = this.blocks.get(Math.floor(index / this.blockSize));
    return b?.rows[index % this.blockSize];
  }

  /** Is the row at `index` loaded for the current view (not stale)? */
  isFresh(index: number): boolean {
    const b = this.blocks.get(Math.floor(index / this.blockSize));
    return b !== undefined && b.gen === this.gen && !b.stale && index % this.blockSize < b.rows.length;
  }

  /** The whole view changed (filter, time format, file, eviction): everything is stale. */
  invalidateAll(): void {
    this.gen++;
  }

  /** Rows from `index` on changed (appended packets): only blocks from there on are stale. */
  invalidateFrom(index: number): void {
    const first = Math.floor(Math.max(0, index) / this.blockSize);
    for (const [i, b] of this.blocks) if (i >= first) b.stale = true;
    for (const [i, r] of this.inflight) if (i >= first) r.stale = true;
  }

  /**
   * The analysis has reached frame `analysed`: blocks with a pending row it passed are stale
   * (shown until their final rows arrive). Returns whether any block became stale.
   */
  analysedUpTo(analysed: number): boolean {
    let any = false;
    for (const b of this.blocks.values()) {
      if (!b.stale && b.firstPending <= analysed) {
        b.stale = true;
        any = true;
      }
    }
    return any;
  }

  /** Drops everything (a different capture). */
  clear(): void {
    this.gen++;
    this.blocks.clear();
  }

  /** Requests the blocks covering rows [first, last] of a view of `total` rows that need it. */
  ensure(first: number, last: number, total: number): void {
    if (total <= 0) return;
    const lo = Math.floor(Math.max(0, first) / this.blockSize);
    const hi = Math.floor(Math.min(total - 1, Math.max(first, last)) / this.blockSize);
    this.lastWanted = lo;
    for (let i = lo; i <= hi; i++) {
      const wantRows = Math.min(this.blockSize, total - i * this.blockSize);
      const b = this.blocks.get(i);
      if (b && b.gen === this.gen && !b.stale && b.rows.length >= wantRows) continue;
      const r = this.inflight.get(i);
      if (r && r.gen === this.gen && !r.stale) continue;
      if (this.inflight.size >= this.maxInflight) return;
      this.request(i, wantRows);
    }
  }

  private request(block: number, count: number): void {
    const r: Request = { req: this.nextReq++, gen: this.gen, stale: false };
    this.inflight.set(block, r);
    const start = block * this.blockSize;
    const done = () => {
      if (this.inflight.get(block) === r) this.inflight.delete(block);
    };
    this.fetchRows(start, start + count).then(
      (rows) => {
        done();
        // An answer for an older view is still better than a blank line, but never replaces
        // a later answer.
        const have = this.blocks.get(block);
        if (!have || have.req < r.req) this.blocks.set(block, { gen: r.gen, stale: r.stale, req: r.req, rows, firstPending: firstPending(rows) });
        this.evict();
        this.onLoaded();
      },
      () => {
        done();
        this.onLoaded();
      },
    );
  }

  private evict(): void {
    if (this.blocks.size <= this.maxBlocks) return;
    const byDistance = [...this.blocks.keys()].sort((a, b) => Math.abs(b - this.lastWanted) - Math.abs(a - this.lastWanted));
    for (const i of byDistance.slice(0, this.blocks.size - this.maxBlocks)) this.blocks.delete(i);
  }
}

function firstPending(rows: readonly PacketRow[]): number {
  let first = Infinity;
  for (const r of rows) if (r.pending && r.number < first) first = r.number;
  return first;
}

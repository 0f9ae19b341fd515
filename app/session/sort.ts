// Sort by column (Wireshark's packet list header click). A sort orders the frames of the current
// filtered view once, into a Uint32Array of frame numbers; rows then map through it. Numeric
// columns (No., Time, Length) read the index's typed arrays; text columns need each frame's
// summary strings, made in slices that yield to the event loop like the in-order pass.
// Ties keep frame order (Wireshark's sort is stable over capture order), in both directions.
import type { FrameStore } from '../store/frame-store.js';
import type { SortColumn } from './contract.js';
import type { FilteredView } from './view.js';

export interface SortKey {
  column: SortColumn;
  descending: boolean;
}

/** The summary strings of a frame, as packets.rows makes them. */
export type SummaryOf = (frame: number) => { source: string; destination: string; protocol: string; info: string };

/** How long one slice of string building may hold the event loop (ms). */
const SLICE_MS = 25;

/** Code-unit order (no collator: fast, and the same on every machine). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function ipv4Hex(s: string): string | null {
  const m = IPV4.exec(s);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return parts.map((p) => hex(p, 2)).join('');
}

/** The 32 hex digits of an IPv6 address (with "::" and a dotted IPv4 tail), or null. */
function ipv6Hex(s: string): string | null {
  if (!s.includes(':') || !/^[0-9a-fA-F:.]+$/.test(s)) return null;
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (part: string): string[] | null => {
    if (part === '') return [];
    const out: string[] = [];
    for (const g of part.split(':')) {
      if (g.includes('.')) {
        const v4 = ipv4Hex(g);
        if (!v4) return null;
        out.push(v4.slice(0, 4), v4.slice(4));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) out.push(g.toLowerCase().padStart(4, '0'));
      else return null;
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  return [...head, ...Array<string>(missing).fill('0000'), ...tail].join('');
}

/**
 * A string whose code-unit order is the address order: IPv4 and IPv6 addresses by value
 * (Wireshark sorts addresses by value), anything else (MAC addresses, names) as text. Kinds
 * never compare across each other by text: IPv4 < IPv6 < other, as Wireshark's cmp_address
 * orders by address type first, which also keeps the order transitive.
 */
export function addressSortKey(s: string): string {
  const v4 = ipv4Hex(s);
  if (v4 !== null) return `0${v4}`;
  const v6 = ipv6Hex(s);
  if (v6 !== null) return `1${v6}`;
  return `2${s}`;
}

/**
 * Frames of `frames` ordered by an integer key per frame (0 <= key < 2^21), ties by frame
 * number in both directions: each (key, position) packed into one double and sorted natively,
 * where sort() calling a comparator took most of a million-frame sort's 0.6 s.
 */
function orderedByKey(frames: Uint32Array, key: (i: number) => number, descending: boolean): Uint32Array {
  const n = frames.length;
  const packed = new Float64Array(n);
  for (let i = 0; i < n; i++) packed[i] = (descending ? KEY_LIMIT - 1 - key(i) : key(i)) * POSITIONS + i;
  packed.sort();
  const out = new Uint32Array(n);
  for (let k = 0; k < n; k++) out[k] = frames[packed[k]! % POSITIONS]!;
  return out;
}
const KEY_LIMIT = 2 ** 21, POSITIONS = 2 ** 32;

/**
 * `frames` sorted by a text column the pass recorded as ids (column-texts.ts): each distinct
 * text ranked once (`address`: by addressSortKey), then the frames by rank.
 */
export function sortByTextIds(frames: Uint32Array, ids: Uint32Array, textOf: (id: number) => string, address: boolean, descending: boolean): Uint32Array {
  const distinct = [...new Set(ids)];
  const keys = new Map(distinct.map((id) => [id, address ? addressSortKey(textOf(id)) : textOf(id)] as const));
  distinct.sort((a, b) => compareText(keys.get(a)!, keys.get(b)!));
  // Equal keys, equal rank; indexed by id (ids are below column-texts.ts's MAX_TEXTS).
  let maxId = 0;
  for (const id of distinct) maxId = Math.max(maxId, id);
  const rank = new Uint32Array(maxId + 1);
  let r = 0;
  distinct.forEach((id, k) => {
    if (k > 0 && keys.get(id) !== keys.get(distinct[k - 1]!)) r++;
    rank[id] = r;
  });
  return orderedByKey(frames, (i) => rank[ids[i]!]!, descending);
}

/** Frames of `frames` ordered by `cmp`, ties by frame number (the view is in frame order). */
function ordered(frames: Uint32Array, cmp: (i: number, j: number) => number, descending: boolean): Uint32Array {
  const idx = new Uint32Array(frames.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  const sign = descending ? -1 : 1;
  idx.sort((i, j) => sign * cmp(i, j) || i - j);
  const out = new Uint32Array(frames.length);
  for (let i = 0; i < out.length; i++) out[i] = frames[idx[i]!]!;
  return out;
}

/**
 * `frames` (in frame order) sorted by `key`. Returns null when `current()` turns false while
 * strings are being built (a newer sort, filter or file took over).
 */
export async function sortFrames(
  frames: Uint32Array, key: SortKey, store: FrameStore, summaryOf: SummaryOf,
  yieldToLoop: () => Promise<unknown>, current: () => boolean,
): Promise<Uint32Array | null> {
  const n = frames.length;
  switch (key.column) {
    case 'number':
      return ordered(frames, (i, j) => frames[i]! - frames[j]!, key.descending);
    case 'length': {
      const len = new Float64Array(n);
      let max = 0;
      for (let i = 0; i < n; i++) max = Math.max(max, (len[i] = store.origLen(frames[i]!)));
      return max < KEY_LIMIT ? orderedByKey(frames, (i) => len[i]!, key.descending) : ordered(frames, (i, j) => len[i]! - len[j]!, key.descending);
    }
    case 'time': {
      // Absolute timestamps: the relative, absolute, UTC and epoch formats all sort the same way.
      const sec = new Float64Array(n);
      const nsec = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const t = store.time(frames[i]!);
        sec[i] = t.sec;
        nsec[i] = t.nsec;
      }
      return ordered(frames, (i, j) => sec[i]! - sec[j]! || nsec[i]! - nsec[j]!, key.descending);
    }
    default: {
      const column = key.column;
      const text = new Array<string>(n);
      let i = 0;
      while (i < n) {
        const deadline = Date.now() + SLICE_MS;
        for (; i < n && Date.now() < deadline; i++) {
          const v = summaryOf(frames[i]!)[column];
          text[i] = column === 'source' || column === 'destination' ? addressSortKey(v) : v;
        }
        await yieldToLoop();
        if (!current()) return null;
      }
      return ordered(frames, (a, b) => compareText(text[a]!, text[b]!), key.descending);
    }
  }
}

/**
 * A view's rows in sorted order. `order` holds the view's first rows (frame order) as they
 * were when sorted; rows a live capture appends later stay after them in frame order (not
 * merged in: Wireshark re-sorts a live list too, but appending keeps the rows on screen still
 * and costs nothing per packet). Frames evicted from the ring are dropped from `order` lazily.
 */
export class SortedRows {
  /** Row of each sorted frame, indexed by frame - base; -1 for frames not in the view. */
  private rowOfFrame = new Int32Array(0);
  private base = 0;
  private lastFrame = 0;
  private compactedFor = 0;

  constructor(readonly view: FilteredView, readonly key: SortKey, private order: Uint32Array, firstAvailable: number) {
    this.index(firstAvailable);
  }

  private index(firstAvailable: number): void {
    this.compactedFor = firstAvailable;
    if (this.order.some((f) => f < firstAvailable)) this.order = this.order.filter((f) => f >= firstAvailable);
    let lo = Infinity;
    let hi = 0;
    for (const f of this.order) {
      if (f < lo) lo = f;
      if (f > hi) hi = f;
    }
    this.base = this.order.length ? lo : 0;
    this.lastFrame = hi;
    this.rowOfFrame = new Int32Array(this.order.length ? hi - lo + 1 : 0).fill(-1);
    this.order.forEach((f, row) => (this.rowOfFrame[f - this.base] = row));
  }

  private compact(firstAvailable: number): void {
    if (firstAvailable > this.compactedFor) this.index(firstAvailable);
  }

  /** Frame numbers of rows [start, end). */
  slice(start: number, end: number, count: number, firstAvailable: number): number[] {
    this.compact(firstAvailable);
    const size = this.view.size(count, firstAvailable);
    const s = Math.max(0, Math.min(start, size));
    const e = Math.max(s, Math.min(end, size));
    const out: number[] = [];
    const sorted = this.order.length;
    for (let i = s; i < Math.min(e, sorted); i++) out.push(this.order[i]!);
    // Rows appended after the sort: the view's own rows at the same positions.
    if (e > sorted) out.push(...this.view.slice(Math.max(s, sorted), e, count, firstAvailable));
    return out;
  }

  /** Row of frame `n`, or -1 when it is filtered out or no longer available. */
  rowOf(n: number, count: number, firstAvailable: number): number {
    this.compact(firstAvailable);
    if (n < firstAvailable || n > count) return -1;
    if (n > this.lastFrame) return this.view.rowOf(n, count, firstAvailable);
    return n < this.base ? -1 : this.rowOfFrame[n - this.base]!;
  }
}

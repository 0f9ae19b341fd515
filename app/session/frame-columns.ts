// The pass's per-frame columns (typed arrays indexed by frame - base): grown by doubling as
// frames come, and their front dropped once a live ring has evicted half of them, so they stay
// as bounded as the ring (Analysis's tcp.stream and layer columns, ColumnTexts' text ids).

type Column = Int32Array | Uint16Array | Uint32Array;

/** `col` grown to hold index `i` (at least doubled), its new entries `fill`. */
export function grownColumn<T extends Column>(col: T, i: number, fill: number): T {
  const b = new (col.constructor as new (length: number) => T)(Math.max(i + 1, col.length * 2));
  if (fill !== 0) b.fill(fill);
  b.set(col);
  return b;
}

/** Whether `drop` evicted frames are worth dropping off the front of columns `length` long: half of them. */
export function dropDue(drop: number, length: number): boolean {
  return drop > 0 && drop * 2 >= length;
}

/** Drops `drop` entries off the front of `col`, the freed entries at its end `fill`. */
export function dropFront(col: Column, drop: number, fill: number): void {
  if (drop >= col.length) col.fill(fill);
  else {
    col.copyWithin(0, drop);
    col.fill(fill, col.length - drop);
  }
}

// The overview's geometry: a time window mapped onto the canvas width (zoom with the wheel
// around the pointer, pan by dragging), tick marks at round steps, and which rows of a long
// list are on screen (only those are drawn and fetched: thousands of connections stay cheap).

export interface TimeWindow {
  /** Seconds on the shared axis at the left and right edges. */
  start: number;
  end: number;
}

/** Shortest window one can zoom to (1 µs): below that the capture's timestamps run out. */
export const MIN_SPAN = 1e-6;

export function xOf(w: TimeWindow, width: number, t: number): number {
  return ((t - w.start) / (w.end - w.start)) * width;
}

export function timeAt(w: TimeWindow, width: number, x: number): number {
  return w.start + (x / width) * (w.end - w.start);
}

/** The whole capture with a little air on both sides. */
export function fitWindow(first: number, last: number): TimeWindow {
  const span = Math.max(last - first, MIN_SPAN * 1000);
  return { start: first - span * 0.02, end: last + span * 0.02 };
}

/** Zooms by `factor` (< 1 zooms in) keeping the time under `anchor` where it is. */
export function zoomAround(w: TimeWindow, factor: number, anchor: number): TimeWindow {
  const span = Math.max((w.end - w.start) * factor, MIN_SPAN);
  const ratio = (anchor - w.start) / (w.end - w.start);
  const start = anchor - ratio * span;
  return { start, end: start + span };
}

/** Moves the window by `dx` pixels of a drag (dragging right shows earlier times). */
export function panBy(w: TimeWindow, width: number, dx: number): TimeWindow {
  const dt = (dx / width) * (w.end - w.start);
  return { start: w.start - dt, end: w.end - dt };
}

/** Round tick positions (1, 2, 5 × 10^n seconds) for about `maxTicks` labels. */
export function ticks(w: TimeWindow, maxTicks: number): { step: number; times: number[] } {
  const span = w.end - w.start;
  const raw = span / Math.max(1, maxTicks);
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  const times: number[] = [];
  for (let t = Math.ceil(w.start / step) * step; t <= w.end + step * 1e-9; t += step) times.push(Number(t.toPrecision(12)));
  return { step, times };
}

/** A tick label with as many decimals as the step needs ("0.250 s", "12 s", "150 µs"). */
export function tickLabel(t: number, step: number): string {
  if (step < 1e-3) return `${(t * 1e6).toFixed(Math.max(0, -Math.floor(Math.log10(step * 1e6))))} µs`;
  if (step < 1) return `${t.toFixed(Math.max(0, -Math.floor(Math.log10(step))))} s`;
  return `${t.toFixed(0)} s`;
}

/** Rows [first, last) that intersect the viewport, with `overscan` extra rows each side. */
export function visibleRows(scrollTop: number, viewportHeight: number, rowHeight: number, count: number, overscan = 4): { first: number; last: number } {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + viewportHeight) / rowHeight) + overscan);
  return { first, last: Math.max(first, last) };
}

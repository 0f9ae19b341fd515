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

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86400;
/**
 * Steps of a minute and more, on the clock's own round numbers: a capture of a few hours is
 * marked every 30 min or 1 h, not every 2000 s.
 */
const CLOCK_STEPS = [
  MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE,
  HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR,
  DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 60 * DAY, 90 * DAY, 180 * DAY, 365 * DAY,
];

/** 1, 2, 5 × 10^n times `unit`: the first at least `raw`. */
function decimalStep(raw: number, unit: number): number {
  const pow = 10 ** Math.floor(Math.log10(raw / unit));
  return ([1, 2, 5, 10].map((m) => m * pow).find((s) => s * unit >= raw) ?? 10 * pow) * unit;
}

/**
 * Round tick positions for about `maxTicks` labels: 1, 2, 5 × 10^n seconds below a minute,
 * CLOCK_STEPS from there (a capture that runs for hours or, merged from several, for years), and
 * 1, 2, 5 × 10^n years beyond them.
 */
export function ticks(w: TimeWindow, maxTicks: number): { step: number; times: number[] } {
  const span = w.end - w.start;
  const raw = span / Math.max(1, maxTicks);
  const step = raw <= 30 ? decimalStep(raw, 1) : CLOCK_STEPS.find((s) => s >= raw) ?? decimalStep(raw, 365 * DAY);
  const times: number[] = [];
  for (let t = Math.ceil(w.start / step) * step; t <= w.end + step * 1e-9; t += step) times.push(Number(t.toPrecision(12)));
  return { step, times };
}

/**
 * A tick label with as many decimals as the step needs ("0.250 s", "12 s", "150 µs"); from a
 * step of a minute on, days, hours and minutes ("45 min", "2 h 30 min", "3 d 12 h", "730 d").
 */
export function tickLabel(t: number, step: number): string {
  if (step < 1e-3) return `${(t * 1e6).toFixed(Math.max(0, -Math.floor(Math.log10(step * 1e6))))} µs`;
  if (step < 1) return `${t.toFixed(Math.max(0, -Math.floor(Math.log10(step))))} s`;
  if (step < MINUTE) return `${t.toFixed(0)} s`;
  const sign = t < 0 ? '-' : '';
  const total = Math.round(Math.abs(t) / MINUTE);
  const days = Math.floor(total / (DAY / MINUTE)), hours = Math.floor(total / (HOUR / MINUTE)) % 24, minutes = total % 60;
  const parts = [days > 0 ? `${days} d` : '', hours > 0 ? `${hours} h` : '', minutes > 0 ? `${minutes} min` : ''].filter((p) => p !== '');
  return parts.length === 0 ? '0' : sign + parts.join(' ');
}

/** Rows [first, last) that intersect the viewport, with `overscan` extra rows each side. */
export function visibleRows(scrollTop: number, viewportHeight: number, rowHeight: number, count: number, overscan = 4): { first: number; last: number } {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + viewportHeight) / rowHeight) + overscan);
  return { first, last: Math.max(first, last) };
}

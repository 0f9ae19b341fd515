// Packet-list column widths fitted to the rows on screen, as Wireshark sizes its columns to
// their contents when a file opens. Fixed widths cut what mattered: "Date and time of day"
// showed "2020-08-11 20…" (the time of day gone) in a 120 px Time column, while two 170 px
// address columns for IPv4 addresses left the Info column a few characters on a 1280 px screen.
//
// Each fitted column has a floor and a ceiling. The floors keep what later rows may need: the
// Time column never narrows below its default (relative times grow as the capture goes on),
// the address columns never below a whole IPv4 address, Protocol never below its default. The
// ceilings keep one long value (a full IPv6 address) from taking the Info column's room.

/** The columns that are fitted, with their floor (a text that must fit, or pixels) and ceiling in pixels. */
export interface FitRule {
  /** Pixels the column keeps at least, or a text whose width it keeps at least. */
  floor: number | string;
  ceiling: number;
}

/**
 * The width of a column holding `texts` under the header `title`: the widest of them (and of
 * the floor) plus the cell's padding, within the rule's bounds. `measure` gives a text's
 * width in pixels in the list's font.
 */
export function fitWidth(texts: readonly string[], title: string, rule: FitRule, measure: (text: string) => number, padding: number): number {
  let widest = measure(title);
  for (const t of texts) widest = Math.max(widest, measure(t));
  const floor = typeof rule.floor === 'number' ? rule.floor : measure(rule.floor) + padding;
  return Math.ceil(Math.min(rule.ceiling, Math.max(floor, widest + padding)));
}

/** A measure in `font` (a CSS font shorthand), through one canvas. */
export function textMeasure(font: string): (text: string) => number {
  const ctx = document.createElement('canvas').getContext('2d');
  if (!ctx) return (text) => text.length * 8;
  ctx.font = font;
  return (text) => ctx.measureText(text).width;
}

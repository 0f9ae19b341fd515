// Lines of the text protocols carried over TCP (FTP, POP, IMAP, SSH's version line), found as
// Wireshark's tvb_find_line_end finds them without desegmentation.
import type { Tvb } from './tvb.js';

/**
 * The line at `offset`: it ends at CR LF, a lone LF or a lone CR, or, with no terminator, at
 * the end of the captured bytes. `length` leaves the terminator out; `next` is past it.
 */
export function lineEnd(tvb: Tvb, offset: number): { length: number; next: number } {
  const b = tvb.bytes, end = tvb.start + tvb.length;
  let p = tvb.start + offset;
  while (p < end && b[p] !== 0x0a && b[p] !== 0x0d) p++;
  const length = p - tvb.start - offset;
  if (p < end) p += b[p] === 0x0d && p + 1 < end && b[p + 1] === 0x0a ? 2 : 1;
  return { length, next: p - tvb.start };
}

// Lines of the text protocols carried over TCP (SMTP, FTP, POP, SSH's version line, MIME
// bodies), found as Wireshark's tvb_find_line_end finds them: a line ends at CR LF, a lone LF or
// a lone CR.
import type { Tvb } from './tvb.js';

export interface Line {
  /** Where the line starts and how long it is without its terminator. */
  offset: number;
  length: number;
  /** Where the next line starts (after the terminator, or the end of the captured bytes). */
  next: number;
}

/**
 * The line at `offset`. Without a terminator in the captured bytes it runs to their end, or,
 * with `desegment`, there is no line yet (null: ask TCP for more). A CR as the very last byte
 * is not a line end then either: an LF may follow in the next segment.
 */
export function findLineEnd(tvb: Tvb, offset: number, desegment: boolean): Line | null {
  const end = tvb.length;
  for (let p = offset; p < end; p++) {
    const c = tvb.bytes[tvb.start + p]!;
    if (c === 0x0a) return { offset, length: p - offset, next: p + 1 };
    if (c === 0x0d) {
      if (p + 1 < end) return { offset, length: p - offset, next: tvb.bytes[tvb.start + p + 1] === 0x0a ? p + 2 : p + 1 };
      if (desegment) return null;
      return { offset, length: p - offset, next: p + 1 };
    }
  }
  return desegment ? null : { offset, length: end - offset, next: end };
}

/** findLineEnd without desegmentation: always a line (to the end of the captured bytes at worst). */
export function lineEnd(tvb: Tvb, offset: number): Line {
  return findLineEnd(tvb, offset, false)!;
}

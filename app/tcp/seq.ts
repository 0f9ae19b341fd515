// 32-bit TCP sequence-number arithmetic (RFC 9293 §3.4: "all arithmetic dealing with sequence
// numbers must be performed modulo 2**32"). Named after packet-tcp.h's GT_SEQ/LT_SEQ/GE_SEQ/LE_SEQ
// so the tracker reads like the checks it mirrors: a is "after" b when the signed 32-bit
// difference a - b is positive, which stays right across the 2^32 wrap.

/** x as an unsigned 32-bit number. */
export function u32(x: number): number {
  return x >>> 0;
}

/** Signed 32-bit difference a - b. */
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

export function gtSeq(a: number, b: number): boolean {
  return ((b - a) | 0) < 0;
}

export function ltSeq(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

export function geSeq(a: number, b: number): boolean {
  return ((b - a) | 0) <= 0;
}

export function leSeq(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}

/** a + b modulo 2^32. */
export function addSeq(a: number, b: number): number {
  return (a + b) >>> 0;
}

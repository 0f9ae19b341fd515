// Sequence arithmetic modulo 2^32 (RFC 9293 §3.4; packet-tcp.h GT_SEQ/LT_SEQ/GE_SEQ/LE_SEQ).
import { describe, expect, it } from 'vitest';
import { addSeq, geSeq, gtSeq, leSeq, ltSeq, seqDiff, u32 } from './seq.js';

describe('sequence arithmetic', () => {
  it('orders numbers without a wrap', () => {
    expect(gtSeq(10, 5)).toBe(true);
    expect(ltSeq(5, 10)).toBe(true);
    expect(gtSeq(5, 10)).toBe(false);
    expect(geSeq(7, 7)).toBe(true);
    expect(leSeq(7, 7)).toBe(true);
    expect(gtSeq(7, 7)).toBe(false);
    expect(ltSeq(7, 7)).toBe(false);
  });

  it('orders numbers across the 2^32 wrap', () => {
    // 5 comes 21 bytes after 0xfffffff0 once the counter wraps.
    expect(gtSeq(5, 0xfffffff0)).toBe(true);
    expect(ltSeq(0xfffffff0, 5)).toBe(true);
    expect(geSeq(0, 0xffffffff)).toBe(true);
    expect(leSeq(0xffffffff, 0)).toBe(true);
    expect(seqDiff(5, 0xfffffff0)).toBe(21);
    expect(seqDiff(0xfffffff0, 5)).toBe(-21);
  });

  it('is ambiguous at a distance of exactly 2^31, like the C macros (int32 of -2^31 is negative)', () => {
    expect(gtSeq(0x80000000, 0)).toBe(true);
    expect(ltSeq(0x80000000, 0)).toBe(true);
  });

  it('adds modulo 2^32', () => {
    expect(addSeq(0xffffffff, 1)).toBe(0);
    expect(addSeq(0xfffffff0, 0x20)).toBe(0x10);
    expect(u32(-1)).toBe(0xffffffff);
  });
});

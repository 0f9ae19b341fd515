// UnackedSegments: the tracker's per-flow lists of segments awaiting an ACK, in one typed array.
// tracker.diff.test.ts checks what the analysis makes of them against tshark; this checks the
// list itself: order kept across block moves, ACKs that take, cut or leave segments, reuse.
import { describe, expect, it } from 'vitest';
import { UnackedSegments, type UnackedList } from './unacked.js';

const newList = (): UnackedList => ({ uaBlock: -1, uaCap: 0, uaLen: 0 });

function contents(ua: UnackedSegments, l: UnackedList): Array<[number, number, number, number]> {
  return Array.from({ length: l.uaLen }, (_, i) => [ua.frame(l, i), ua.seq(l, i), ua.nextseq(l, i), ua.ts(l, i)]);
}

describe('UnackedSegments', () => {
  it('keeps each flow its own segments, oldest first, while blocks grow', () => {
    const ua = new UnackedSegments();
    const a = newList(), b = newList();
    for (let i = 0; i < 10; i++) {
      ua.push(a, i + 1, 1000 + 100 * i, 1100 + 100 * i, i * 1e6);
      ua.push(b, 100 + i, 5000 + i, 5001 + i, 0.5);
    }
    expect(a.uaLen).toBe(10);
    expect(a.uaCap).toBe(16);
    expect(contents(ua, a).map((s) => s[0])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(contents(ua, a)[9]).toEqual([10, 1900, 2000, 9e6]);
    expect(contents(ua, b).map((s) => s[1])).toEqual([5000, 5001, 5002, 5003, 5004, 5005, 5006, 5007, 5008, 5009]);
  });

  it('drops what an ACK covers, cuts the segment it ends inside, and reports an exact match', () => {
    const ua = new UnackedSegments();
    const l = newList();
    ua.push(l, 1, 1000, 1100, 10);
    ua.push(l, 2, 1100, 1200, 20);
    ua.push(l, 3, 1200, 1300, 30);
    // 1150 ends inside segment 2: segment 1 goes, segment 2 is kept from 1150 on.
    expect(ua.acknowledge(l, 1150)).toBe(false);
    expect(contents(ua, l)).toEqual([[2, 1150, 1200, 20], [3, 1200, 1300, 30]]);
    // 1200 is segment 2's end exactly: acknowledged, with its frame and time.
    expect(ua.acknowledge(l, 1200)).toBe(true);
    expect([ua.matchedFrame, ua.matchedTs]).toEqual([2, 20]);
    expect(contents(ua, l)).toEqual([[3, 1200, 1300, 30]]);
  });

  it('compares sequence numbers modulo 2^32', () => {
    const ua = new UnackedSegments();
    const l = newList();
    ua.push(l, 1, 0xffffff00, 0x00000010, 0);
    ua.push(l, 2, 0x00000010, 0x00000100, 0);
    // An ACK past the wrap takes the first segment and cuts the second.
    expect(ua.acknowledge(l, 0x20)).toBe(false);
    expect(contents(ua, l)).toEqual([[2, 0x20, 0x100, 0]]);
  });

  it('hands a forgotten flow\'s block to the next flow that needs one', () => {
    const ua = new UnackedSegments();
    const a = newList(), b = newList();
    ua.push(a, 1, 1, 2, 0);
    const block = a.uaBlock;
    ua.release(a);
    expect(a).toEqual({ uaBlock: -1, uaCap: 0, uaLen: 0 });
    ua.push(b, 7, 70, 80, 0);
    expect(b.uaBlock).toBe(block);
    expect(contents(ua, b)).toEqual([[7, 70, 80, 0]]);
  });

  it('gives the block of a list an ACK empties back, and the flow takes one again for its next segment', () => {
    const ua = new UnackedSegments();
    const a = newList(), b = newList();
    for (let i = 0; i < 5; i++) ua.push(a, i + 1, 100 * i, 100 * (i + 1), 0);
    const block = a.uaBlock;
    expect(a.uaCap).toBe(8);
    expect(ua.acknowledge(a, 500)).toBe(true);
    expect(a).toEqual({ uaBlock: -1, uaCap: 0, uaLen: 0 });
    // Another flow growing to that size takes the freed block.
    for (let i = 0; i < 5; i++) ua.push(b, 10 + i, i, i + 1, 0);
    expect(b.uaBlock).toBe(block);
    ua.push(a, 6, 500, 600, 0);
    expect(contents(ua, a)).toEqual([[6, 500, 600, 0]]);
    expect(contents(ua, b).map((s) => s[0])).toEqual([10, 11, 12, 13, 14]);
  });
});

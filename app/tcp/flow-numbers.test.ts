// FlowNumbers: a new flow's row starts with the values packet-tcp.c starts a flow with, rows keep
// their values while the columns grow, and a released row is handed out again reset.
import { describe, expect, it } from 'vitest';
import { FlowNumbers } from './flow-numbers.js';

describe('FlowNumbers', () => {
  it('starts every row as a new flow: window 0xffffffff, times -Infinity, numbers 0', () => {
    const n = new FlowNumbers();
    const i = n.take();
    expect([n.baseSeq[i], n.window[i], n.nextseq[i], n.nextseqTime[i], n.maxSeqToBeAcked[i], n.lastack[i], n.lastackTime[i], n.lastNonDupAck[i], n.sortedBase[i]])
      .toEqual([0, 0xffffffff, 0, -Infinity, 0, 0, -Infinity, 0, 0]);
  });

  it('keeps 32-bit sequence numbers and nanosecond times (a day into a connection) exactly while the columns grow', () => {
    const n = new FlowNumbers();
    const rows = Array.from({ length: 5000 }, () => n.take());
    rows.forEach((r, k) => {
      n.nextseq[r] = 0xffffffff - k;
      n.lastackTime[r] = 86_400_123_456_789 + k;
    });
    const more = n.take();
    expect(more).toBe(5000);
    rows.forEach((r, k) => {
      expect(n.nextseq[r]).toBe(0xffffffff - k);
      expect(n.lastackTime[r]).toBe(86_400_123_456_789 + k);
    });
  });

  it('hands a released row out again, reset', () => {
    const n = new FlowNumbers();
    const a = n.take(), b = n.take();
    n.baseSeq[a] = 123;
    n.window[a] = 0;
    n.release(a);
    const c = n.take();
    expect(c).toBe(a);
    expect(n.baseSeq[c]).toBe(0);
    expect(n.window[c]).toBe(0xffffffff);
    expect(n.take()).toBe(b + 1);
  });
});

// FrameTable: answers by frame number, in and across pages, and forgetting what a ring evicted.
import { describe, expect, it } from 'vitest';
import { FrameTable } from './frame-table.js';

describe('FrameTable', () => {
  it('answers what was stored, and nothing for other frames', () => {
    const t = new FrameTable<string>();
    for (const n of [1, 2, 4095, 4096, 4097, 1_000_000]) t.set(n, `f${n}`);
    expect([1, 2, 3, 4095, 4096, 4097, 999_999, 1_000_000].map((n) => t.get(n))).toEqual(['f1', 'f2', undefined, 'f4095', 'f4096', 'f4097', undefined, 'f1000000']);
    t.set(2, 'again');
    expect(t.get(2)).toBe('again');
    expect(t.size).toBe(6);
  });

  it('forgets frames before the first one kept, within a page and whole pages', () => {
    const t = new FrameTable<number>();
    for (let n = 1; n <= 10_000; n++) t.set(n, n);
    t.forgetBefore(5000);
    expect([1, 4095, 4999, 5000, 10_000].map((n) => t.get(n))).toEqual([undefined, undefined, undefined, 5000, 10_000]);
    expect(t.size).toBe(5001);
    // Frames already forgotten are not stored again.
    t.set(10, 10);
    expect(t.get(10)).toBeUndefined();
    t.forgetBefore(10_001);
    expect(t.size).toBe(0);
  });
});

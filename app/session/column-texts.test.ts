import { describe, expect, it } from 'vitest';
import { ColumnTexts, MAX_TEXTS } from './column-texts.js';

describe('ColumnTexts', () => {
  it('gives each frame the ids of its texts, one id per distinct text', () => {
    const t = new ColumnTexts();
    t.record(1, '10.0.0.1', '10.0.0.2', 'TCP');
    t.record(2, '10.0.0.2', '10.0.0.1', 'HTTP');
    const src = t.idsOf('source', Uint32Array.of(1, 2))!;
    const dst = t.idsOf('destination', Uint32Array.of(1, 2))!;
    expect([...src].map((id) => t.text(id))).toEqual(['10.0.0.1', '10.0.0.2']);
    // The same address in another column is the same id.
    expect([...dst]).toEqual([src[1], src[0]]);
    expect([...t.idsOf('protocol', Uint32Array.of(2, 1))!].map((id) => t.text(id))).toEqual(['HTTP', 'TCP']);
  });

  it('has no ids for frames it did not record (the pass skipped them): the sort dissects instead', () => {
    const t = new ColumnTexts();
    t.record(1, 'a', 'b', 'ARP');
    t.record(3, 'a', 'b', 'ARP');
    expect(t.idsOf('source', Uint32Array.of(1, 3))).not.toBeNull();
    expect(t.idsOf('source', Uint32Array.of(1, 2, 3))).toBeNull();
    expect(t.idsOf('source', Uint32Array.of(5000))).toBeNull();
  });

  it('forgets frames a ring evicted and keeps the later ones', () => {
    const t = new ColumnTexts();
    for (let n = 1; n <= 3000; n++) t.record(n, `10.0.${n >> 8}.${n & 255}`, 'x', 'UDP');
    t.trimBefore(2901);
    expect(t.idsOf('source', Uint32Array.of(2900))).toBeNull();
    expect([...t.idsOf('source', Uint32Array.of(2901, 3000))!].map((id) => t.text(id))).toEqual(['10.0.11.85', '10.0.11.184']);
    t.record(3001, '10.0.11.185', 'x', 'UDP');
    expect(t.text(t.idsOf('source', Uint32Array.of(3001))![0]!)).toBe('10.0.11.185');
  });
});

describe('ColumnTexts in a long live capture', () => {
  it('forgets the texts of evicted frames when its table is full, and keeps the kept frames\' texts', () => {
    const t = new ColumnTexts();
    const addr = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
    // A scan: every frame from a new address; the ring keeps the last 1000 frames.
    const frames = MAX_TEXTS + 5000;
    for (let n = 1; n <= frames; n++) {
      t.record(n, addr(n), '192.0.2.1', 'TCP');
      if (n % 1000 === 0) t.trimBefore(n - 999);
    }
    expect(t.size).toBeLessThan(MAX_TEXTS);
    const kept = Uint32Array.from({ length: 500 }, (_, k) => frames - k);
    expect([...t.idsOf('source', kept)!].map((id) => t.text(id))).toEqual([...kept].map(addr));
    expect(new Set([...t.idsOf('destination', kept)!].map((id) => t.text(id)))).toEqual(new Set(['192.0.2.1']));
  });

  it('in a file (nothing evicted), frames with texts past the table\'s limit have none: their sort dissects', () => {
    const t = new ColumnTexts();
    const addr = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
    for (let n = 1; n <= MAX_TEXTS; n++) t.record(n, addr(n), '192.0.2.1', 'TCP');
    expect(t.idsOf('source', Uint32Array.of(1, 1000))).not.toBeNull();
    expect(t.idsOf('source', Uint32Array.of(MAX_TEXTS))).toBeNull();
    // A text already in the table still gets its id.
    t.record(MAX_TEXTS + 1, addr(5), '192.0.2.1', 'TCP');
    expect(t.text(t.idsOf('source', Uint32Array.of(MAX_TEXTS + 1))![0]!)).toBe(addr(5));
  });
});

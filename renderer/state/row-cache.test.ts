// The packet list's row cache: asks only for blocks on screen, never twice for the same view,
// at most three at a time; after "rows appended" only the blocks from there are asked again,
// and what was on screen stays there until the new answer arrives (no flicker while capturing).
import { describe, expect, it } from 'vitest';
import type { PacketRow } from '../../app/session/contract.js';
import { RowCache } from './row-cache.js';

function rowsFor(start: number, end: number, tag = ''): PacketRow[] {
  return Array.from({ length: end - start }, (_, i) => ({
    number: start + i + 1, time: '0', source: 'a', destination: 'b', protocol: 'TCP', length: 60, info: tag,
  }));
}

/** A fetch whose answers the test releases by hand. */
function manualFetch() {
  const calls: Array<{ start: number; end: number; resolve(tag?: string): Promise<void> }> = [];
  const fetch = (start: number, end: number) =>
    new Promise<PacketRow[]>((resolve) => {
      calls.push({ start, end, resolve: async (tag = '') => { resolve(rowsFor(start, end, tag)); await Promise.resolve(); await Promise.resolve(); } });
    });
  return { calls, fetch };
}

describe('RowCache', () => {
  it('asks for the blocks on screen only, once each', async () => {
    const { calls, fetch } = manualFetch();
    const cache = new RowCache(fetch, () => undefined, 100);
    cache.ensure(250, 320, 1_000_000);
    cache.ensure(250, 320, 1_000_000);
    expect(calls.map((c) => [c.start, c.end])).toEqual([[200, 300], [300, 400]]);
    await calls[0]!.resolve();
    expect(cache.row(250)?.number).toBe(251);
    expect(cache.isFresh(250)).toBe(true);
    expect(cache.row(350)).toBeUndefined();
  });

  it('keeps at most three requests in flight; the rest wait for the next call', () => {
    const { calls, fetch } = manualFetch();
    const cache = new RowCache(fetch, () => undefined, 100);
    cache.ensure(0, 999, 1000);
    expect(calls.length).toBe(3);
  });

  it('the last, short block asks for exactly the rows that exist', () => {
    const { calls, fetch } = manualFetch();
    new RowCache(fetch, () => undefined, 100).ensure(0, 200, 150);
    expect(calls.map((c) => [c.start, c.end])).toEqual([[0, 100], [100, 150]]);
  });

  it('after rows were appended, refetches from there and shows the old rows meanwhile', async () => {
    const { calls, fetch } = manualFetch();
    const cache = new RowCache(fetch, () => undefined, 100);
    cache.ensure(0, 150, 150);
    await calls[0]!.resolve('old');
    await calls[1]!.resolve('old');
    cache.invalidateFrom(150);
    cache.ensure(0, 199, 200);
    expect(calls.slice(2).map((c) => [c.start, c.end])).toEqual([[100, 200]]);
    expect(cache.row(120)?.info).toBe('old');
    expect(cache.isFresh(120)).toBe(false);
    expect(cache.isFresh(20)).toBe(true);
    await calls[2]!.resolve('new');
    expect(cache.row(120)?.info).toBe('new');
    expect(cache.row(199)?.number).toBe(200);
  });

  it('a new view makes everything stale; a late answer for the old view never replaces a newer one', async () => {
    const { calls, fetch } = manualFetch();
    const cache = new RowCache(fetch, () => undefined, 100);
    cache.ensure(0, 10, 1000);
    cache.invalidateAll();
    cache.ensure(0, 10, 1000);
    expect(calls.length).toBe(2);
    await calls[1]!.resolve('new view');
    await calls[0]!.resolve('old view');
    expect(cache.row(5)?.info).toBe('new view');
    expect(cache.isFresh(5)).toBe(true);
  });

  it('asks again for a block with pending rows once the analysis passes its first pending row, and only then', async () => {
    // The session answers rows beyond the analysis at once, pending (frames 151.. here).
    let analysed = 150;
    const calls: Array<[number, number]> = [];
    const fetch = async (start: number, end: number) => {
      calls.push([start, end]);
      return rowsFor(start, end).map((r) => (r.number > analysed ? { ...r, info: '', pending: true as const } : r));
    };
    const cache = new RowCache(fetch, () => undefined, 100);
    cache.ensure(100, 199, 1000);
    await Promise.resolve();
    expect(cache.row(120)?.pending).toBeUndefined();
    expect(cache.row(160)?.pending).toBe(true);
    expect(cache.analysedUpTo(150)).toBe(false);
    analysed = 180;
    expect(cache.analysedUpTo(180)).toBe(true);
    // Shown until the new answer comes.
    expect(cache.row(160)?.pending).toBe(true);
    cache.ensure(100, 199, 1000);
    expect(calls).toEqual([[100, 200], [100, 200]]);
    await Promise.resolve();
    expect(cache.row(160)?.pending).toBeUndefined();
    expect(cache.row(190)?.pending).toBe(true);
    expect(cache.analysedUpTo(180)).toBe(false);
    expect(cache.analysedUpTo(181)).toBe(true);
  });
});

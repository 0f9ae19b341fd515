// The live-capture ring against real packets: within its byte budget it keeps the newest
// packets byte for byte, evicts the oldest and counts them, and frame numbers keep going.
import { describe, expect, it } from 'vitest';
import { openCaptureFile } from '../file/reader.js';
import { corpusPath } from '../../test/helpers/corpus.js';
import { PacketRing, type RingPacketIn } from './ring.js';

/** Every packet of a corpus file, copied. */
function packets(rel: string): RingPacketIn[] {
  const r = openCaptureFile(corpusPath(rel));
  const out: RingPacketIn[] = [];
  for (let rec = r.next(); rec; rec = r.next()) out.push({ ts: { ...rec.ts }, capLen: rec.capLen, origLen: rec.origLen, linkType: rec.linkType, data: rec.data.slice() });
  r.close();
  return out;
}

describe('PacketRing', () => {
  const source = packets('pcapplusplus/many-protocols.pcap');

  it('holds everything while within the budget', () => {
    const ring = new PacketRing({ budgetBytes: 64 << 20 });
    source.forEach((p, i) => expect(ring.append(p)).toBe(i + 1));
    expect(ring.count).toBe(source.length);
    expect(ring.firstAvailable).toBe(1);
    expect(ring.evicted).toBe(0);
    expect(ring.bytes).toBe(source.reduce((s, p) => s + p.capLen, 0));
    for (const n of [1, 2, 100, source.length]) expect(ring.read(n).data).toEqual(source[n - 1]!.data);
  });

  it('evicts the oldest packets beyond the budget, keeps the newest byte for byte and counts the rest', () => {
    const budget = 256 << 10;
    const ring = new PacketRing({ budgetBytes: budget, chunkBytes: 16 << 10 });
    let appended = 0;
    let maxAllocated = 0;
    // Ten passes over the file: far more than the budget holds.
    for (let pass = 0; pass < 10; pass++) {
      for (const p of source) {
        ring.append(p);
        appended++;
        maxAllocated = Math.max(maxAllocated, ring.allocatedBytes);
      }
    }
    expect(maxAllocated).toBeLessThanOrEqual(budget);
    expect(ring.count).toBe(appended);
    expect(ring.evicted).toBe(ring.firstAvailable - 1);
    expect(ring.evicted).toBeGreaterThan(appended * 0.9);
    // What is left is a contiguous run of the newest frames, intact.
    const wrong: number[] = [];
    for (let n = ring.firstAvailable; n <= ring.count; n++) {
      const want = source[(n - 1) % source.length]!;
      const got = ring.read(n);
      const same = Buffer.compare(got.data, want.data) === 0 && got.ts.sec === want.ts.sec && got.ts.nsec === want.ts.nsec &&
        got.origLen === want.origLen && got.linkType === want.linkType;
      if (!same) wrong.push(n);
    }
    expect(wrong).toEqual([]);
    expect(ring.bytes).toBeGreaterThan(budget * 0.8);
    expect(() => ring.read(ring.firstAvailable - 1)).toThrow(RangeError);
    // The previous frame's time survives its eviction (the delta column of the oldest row).
    expect(ring.timeOf(ring.firstAvailable - 1)).toEqual(source[(ring.firstAvailable - 2) % source.length]!.ts);
  });

  it('stores a packet larger than a chunk', () => {
    const ring = new PacketRing({ budgetBytes: 1 << 20, chunkBytes: 64 << 10 });
    const big = new Uint8Array(200_000).map((_, i) => i & 0xff);
    ring.append({ ts: { sec: 1, nsec: 0 }, capLen: big.length, origLen: big.length, linkType: 1, data: big });
    ring.append(source[0]!);
    expect(Buffer.compare(ring.read(1).data, big)).toBe(0);
    expect(Buffer.compare(ring.read(2).data, source[0]!.data)).toBe(0);
  });
});

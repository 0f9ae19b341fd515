// TEST-ONLY: a corpus file's frames as the session's in-order pass reads them from a FrameStore
// (only what Analysis.step and observeAhead ask of one), from the minimal reader.
import type { FrameStore } from '../../app/store/frame-store.js';
import { readCapture } from './mini-reader.js';

export function miniStoreOf(path: string): FrameStore {
  const packets = readCapture(path);
  if (!packets || packets.length === 0) throw new Error(`${path}: no packets the minimal reader can read`);
  const first = { sec: packets[0]!.sec, nsec: packets[0]!.nsec };
  return {
    count: () => packets.length,
    firstAvailable: () => 1,
    frame: (n: number) => {
      const p = packets[n - 1]!;
      return { number: n, ts: { sec: p.sec, nsec: p.nsec }, firstTs: first, capLen: p.capLen, origLen: p.origLen, linkType: p.linkType, data: p.data };
    },
  } as unknown as FrameStore;
}

// A live capture's ring evicts old frames; the tracker then forgets their verdicts so its memory
// follows the ring. Frames still in the ring keep exactly the verdicts the in-order pass gave.
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../test/helpers/corpus.js';
import { observeCapture } from './report.js';
import { createTcpTracker } from './tracker.js';

describe('TcpTracker.forgetBefore', () => {
  it('keeps the verdicts of the frames after the cut and forgets the ones before it', async () => {
    // The real facts of a capture (tshark-checked elsewhere), replayed into a fresh tracker.
    const path = corpusPath('pcapplusplus/many-protocols.pcap');
    const tracker = createTcpTracker();
    const frames: number[] = [];
    for await (const p of observeCapture(path, { fast: false })) {
      for (const t of p.tcp) {
        if (t.facts.inErrorPacket) continue;
        tracker.analyzeAt(t.facts, Math.floor(t.facts.time), 0);
        frames.push(t.facts.frame);
      }
    }
    expect(frames.length).toBeGreaterThan(1000);
    const before = new Map(frames.map((f) => [f, tracker.verdictOf(f)]));
    const cut = frames[Math.floor(frames.length * 0.9)]!;
    tracker.forgetBefore(cut);
    for (const f of frames) {
      if (f >= cut) expect(tracker.verdictOf(f), `frame ${f}`).toEqual(before.get(f));
      else expect(tracker.verdictOf(f), `frame ${f}`).toBeNull();
    }
  });

  it('keeps memory flat over a long capture when the ring keeps evicting', async () => {
    const path = corpusPath('pcapplusplus/many-protocols.pcap');
    const facts = [];
    for await (const p of observeCapture(path, { fast: false })) for (const t of p.tcp) if (!t.facts.inErrorPacket) facts.push(t.facts);
    const last = facts[facts.length - 1]!.frame;
    const tracker = createTcpTracker();
    const sizes: number[] = [];
    // The same traffic 20 times over, numbered on (later rounds look like retransmissions; the
    // point is the frame count), with a ring that keeps the newest 2000 frames.
    for (let round = 0; round < 20; round++) {
      for (const f of facts) {
        const frame = f.frame + round * last;
        tracker.analyzeAt({ ...f, frame }, Math.floor(f.time), 0);
        if (frame % 500 === 0) tracker.forgetBefore(frame - 2000);
      }
      sizes.push(tracker.stats().verdictBytes);
    }
    // Grows while the first rounds fill it, then not at all (without forgetting it would be 20x).
    expect(sizes[19]).toBe(sizes[5]);
  });
});

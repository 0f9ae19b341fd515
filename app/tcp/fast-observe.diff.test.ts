// The conv/tcp fast path (fast-observe.ts) must change nothing but the speed: on every corpus
// capture, the observations — TCP facts and tracker verdicts, UDP streams, times, lengths —
// are identical with the fast path and with every packet dissected in full. The conversation
// tables themselves are checked against tshark in conv.diff.test.ts (which takes the fast path).
import { describe, expect, it } from 'vitest';
import { corpusCaptures, corpusPath } from '../../test/helpers/corpus.js';
import { CaptureState } from '../dissect/driver.js';
import { openCaptureFile } from '../file/reader.js';
import { FastObserver } from './fast-observe.js';
import { observeCapture, type PacketObservation } from './report.js';
import { createTcpTracker } from './tracker.js';

async function collect(path: string, fast: boolean): Promise<PacketObservation[]> {
  const out: PacketObservation[] = [];
  for await (const p of observeCapture(path, { fast, onError: () => {} })) out.push(plainAddresses(p));
  return out;
}

/**
 * The addresses as plain Uint8Arrays: a dissection's are views of the packet, which is a Buffer
 * when the file was decompressed into one, the fast path's are copies; the bytes are what count.
 */
function plainAddresses(p: PacketObservation): PacketObservation {
  for (const t of p.tcp) {
    t.facts.netSrc = new Uint8Array(t.facts.netSrc);
    t.facts.netDst = new Uint8Array(t.facts.netDst);
  }
  for (const u of p.udp) {
    u.src = new Uint8Array(u.src);
    u.dst = new Uint8Array(u.dst);
  }
  return p;
}

/** How many packets of a file the fast path decodes (its choice depends on the bytes alone). */
function countFast(path: string): number {
  const fast = new FastObserver(new CaptureState(), createTcpTracker());
  const reader = openCaptureFile(path);
  let n = 0, taken = 0;
  try {
    for (let rec = reader.next(); rec; rec = reader.next()) {
      if (fast.observe({ number: ++n, ts: rec.ts, linkType: rec.linkType, capLen: rec.capLen, origLen: rec.origLen, data: rec.data })) taken++;
    }
  } catch {
    // a damaged file: the packets before the damage were counted
  } finally {
    reader.close();
  }
  return taken;
}

describe('the conv/tcp fast path observes exactly what full dissection does', () => {
  const files = corpusCaptures().filter((f) => !f.endsWith('.zst'));
  let fastPackets = 0, transportPackets = 0;
  for (const rel of files) {
    it(rel, async () => {
      const path = corpusPath(rel);
      const full = await collect(path, false);
      const fast = await collect(path, true);
      expect(fast.length).toBe(full.length);
      for (let i = 0; i < full.length; i++) expect(fast[i], `${rel} frame ${i + 1}`).toEqual(full[i]);
      fastPackets += countFast(path);
      transportPackets += full.filter((p) => p.tcp.length + p.udp.length > 0).length;
    });
  }
  it('is exercised: most corpus packets with TCP or UDP take it', () => {
    console.log(`fast path: ${fastPackets} packets of ${transportPackets} with TCP or UDP`);
    expect(fastPackets / transportPackets).toBeGreaterThan(0.5);
  });
});

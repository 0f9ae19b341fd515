// HEADER_PROTOCOLS (summary-fast.ts) is what lets a display filter on an application
// protocol's fields skip the dissection of header-only packets: a field of any other protocol is
// absent from such a packet. (Such a filter has HeaderSummary take those only, not the packets
// it would dissect from the transport up.) Checked here on every corpus capture: the same
// packets go through two captures' states in step, one taking HeaderSummary's path where it
// can, the other dissecting every packet with the whole tree; each packet the first took has,
// in the second's tree (its expert items included), only fields of HEADER_PROTOCOLS.
import { describe, expect, it } from 'vitest';
import { corpusCaptures, corpusPath } from '../../test/helpers/corpus.js';
import { CaptureState, dissect } from '../dissect/driver.js';
import { expertFieldNodes } from '../dissect/expert-fields.js';
import type { AbsTime, FieldNode } from '../dissect/tree.js';
import { openCaptureFile } from '../file/reader.js';
import { CaptureFileError } from '../file/types.js';
import { frameFromRecord } from '../filter/record-frame.js';
import { prepareCapture } from './source.js';
import { HEADER_PROTOCOLS, HeaderSummary } from './summary-fast.js';

/** For each protocol outside HEADER_PROTOCOLS met in a taken packet: where (file#frame field). */
function foreignProtocols(rel: string): { taken: number; foreign: string[] } {
  const viaHeaders = new CaptureState({ revisits: false }), dissected = new CaptureState({ revisits: false });
  const headers = new HeaderSummary(viaHeaders, prepareCapture(viaHeaders), false);
  prepareCapture(dissected);
  const foreign: string[] = [];
  const visit = (node: FieldNode, where: string) => {
    if (!HEADER_PROTOCOLS.has(node.field.proto)) foreign.push(`${where} ${node.field.name}`);
    for (const c of node.children ?? []) visit(c, where);
  };
  const reader = openCaptureFile(corpusPath(rel), { customBlocks: true });
  let n = 0, taken = 0;
  let first: AbsTime | undefined, prev: AbsTime | undefined;
  try {
    for (let rec = reader.next(); rec; rec = reader.next()) {
      n++;
      const ts = { sec: rec.ts.sec, nsec: rec.ts.nsec };
      first ??= ts;
      const frame = frameFromRecord(rec, n, first, prev, reader.info);
      prev = ts;
      const took = rec.pen === undefined && rec.tsAbsent !== true && headers.take(rec.data, 0, rec.capLen, rec.origLen, rec.linkType, n, ts.sec, ts.nsec);
      const d = dissect(frame, dissected, { tree: true });
      if (!took) {
        dissect(frame, viaHeaders, { tree: false, wanted: null });
        continue;
      }
      taken++;
      for (const node of [...d.roots, ...expertFieldNodes(d.roots)]) visit(node, `${rel}#${n}`);
    }
  } catch (e) {
    if (!(e instanceof CaptureFileError)) throw e; // damaged: the packets before the damage
  } finally {
    reader.close();
  }
  return { taken, foreign };
}

describe('a packet the header path takes has fields of HEADER_PROTOCOLS only', () => {
  let taken = 0;
  for (const rel of corpusCaptures()) {
    it(rel, () => {
      const r = foreignProtocols(rel);
      taken += r.taken;
      expect(r.foreign.slice(0, 5)).toEqual([]);
    });
  }
  it('the corpus has such packets to check', () => {
    // Runs after the per-file cases: thousands of header-only TCP and UDP packets.
    expect(taken).toBeGreaterThan(3000);
  });
});

// The session's conversation table against `tshark -q -z conv,tcp -z conv,udp`, on every corpus
// capture with TCP or UDP. A file's conversations come from the session's pre-pass (the headers
// alone, ahead of the full dissection; tunnels, fragments and ICMP errors dissected on the
// side), so this holds the pre-pass to tshark: the same streams, endpoints, frames and bytes
// each way, in tshark's order. The exceptions are conv.diff.test.ts's, for the same reasons.
import { afterEach, describe, expect, it } from 'vitest';
import { corpusPath } from '../../test/helpers/corpus.js';
import { asTshark, parseTsharkConv } from '../../test/helpers/tshark-conv.js';
import { tsharkTables } from '../../test/helpers/tshark-verbose.js';
import { captures, TIME_EXCEPTIONS, UDP_EXCEPTIONS } from '../../test/helpers/conv-corpus.js';
import type { ConvRow } from '../tcp/conv-table.js';
import type { ConversationRow } from './contract.js';
import { Session } from './session.js';

let session: Session | null = null;
afterEach(async () => {
  await session?.dispose();
  session = null;
});

function asConvRow(r: ConversationRow): ConvRow {
  return {
    proto: r.proto === 'TCP' ? 'tcp' : 'udp', stream: r.stream, addrA: r.addressA, portA: r.portA, addrB: r.addressB, portB: r.portB,
    framesAB: r.framesAtoB, bytesAB: r.bytesAtoB, framesBA: r.framesBtoA, bytesBA: r.bytesBtoA, relStart: r.relStart, duration: r.duration,
  };
}

describe('the session\'s conversations (pre-pass) vs tshark -z conv', () => {
  for (const rel of captures()) {
    it(rel, async () => {
      const path = corpusPath(rel);
      const want = parseTsharkConv(tsharkTables(path));
      session = new Session({ indexInProcess: true });
      await session.handle('file.open', { path });
      for (const proto of ['TCP', 'UDP'] as const) {
        if (proto === 'UDP' && UDP_EXCEPTIONS.has(rel)) continue;
        const got = (await session.handle('stats.conversations', { proto })).map((r) => asTshark(asConvRow(r)));
        const exp = want[proto] ?? [];
        if (TIME_EXCEPTIONS.has(rel)) for (const r of [...got, ...exp]) r.relStart = r.duration = '';
        expect(got, `${rel} ${proto}`).toEqual(exp);
      }
    });
  }
});

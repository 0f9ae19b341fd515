// The session's endpoint table against `tshark -q -z endpoints,ip -z endpoints,ipv6`, on every
// corpus capture with IP: the same addresses, and per address the same packets and bytes in
// total, sent and received.
import { afterEach, describe, expect, it } from 'vitest';
import { corpusPath } from '../../test/helpers/corpus.js';
import { capturesWith } from '../../test/helpers/conv-corpus.js';
import { parseTsharkEndpoints } from '../../test/helpers/tshark-conv.js';
import { tsharkTables } from '../../test/helpers/tshark-verbose.js';
import { Session } from './session.js';

let session: Session | null = null;
afterEach(async () => {
  await session?.dispose();
  session = null;
});

describe('the session\'s endpoints vs tshark -z endpoints,ip,ipv6', () => {
  const files = capturesWith(['ip', 'ipv6']);
  it('covers the corpus', () => {
    expect(files.length).toBeGreaterThan(40);
  });
  for (const rel of files) {
    it(rel, async () => {
      const path = corpusPath(rel);
      const want = parseTsharkEndpoints(tsharkTables(path));
      session = new Session({ indexInProcess: true });
      await session.handle('file.open', { path });
      const got = await session.handle('stats.endpoints', {});
      const byAddress = (rows: typeof want) => [...rows].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
      expect(byAddress(got), rel).toEqual(byAddress(want));
    });
  }
});

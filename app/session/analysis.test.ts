// The pass's endpoint table: tshark's -z endpoints,ip for a file, and at most maxEndpoints
// addresses in a live capture (the rest counted, not kept).
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../test/helpers/corpus.js';
import { miniStoreOf } from '../../test/helpers/mini-store.js';
import { tsharkRaw } from '../../test/helpers/tshark.js';
import { Analysis } from './analysis.js';

const FILE = corpusPath('pcapplusplus/many-protocols.pcap');

function pass(maxEndpoints: number): Analysis {
  const a = new Analysis();
  a.endpoints.maxRows = maxEndpoints;
  const store = miniStoreOf(FILE);
  const wanted = a.wanted();
  while (a.frontier < store.count()) a.step(store, wanted);
  return a;
}

describe('Analysis endpoints', () => {
  const ipAddresses = tsharkRaw(FILE, ['-Y', 'ip || ipv6', '-T', 'fields', '-e', 'ip.src', '-e', 'ip.dst', '-e', 'ipv6.src', '-e', 'ipv6.dst']).stdout
    .trim().split('\n').map((l) => l.split('\t').filter((x) => x !== '').slice(0, 2));

  it('a file keeps every address, as tshark -z endpoints,ip,ipv6 lists them', () => {
    const z = tsharkRaw(FILE, ['-q', '-z', 'endpoints,ip', '-z', 'endpoints,ipv6']).stdout;
    const theirs = z.split('\n').filter((l) => /^[0-9a-f.:]+\s+\d+\s+\d+/.test(l)).map((l) => l.trim().split(/\s+/)[0]!);
    const a = pass(Infinity);
    expect(a.endpoints.list().map((r) => r.address).sort()).toEqual([...new Set(theirs)].sort());
    expect(a.endpoints.dropped).toBe(0);
  });

  it('a live capture keeps the first maxEndpoints addresses and counts the packets\' others', () => {
    const limit = 5;
    const firstSeen = [...new Set(ipAddresses.flat())].slice(0, limit);
    const notKept = ipAddresses.flat().filter((x) => !firstSeen.includes(x)).length;
    const a = pass(limit);
    expect(a.endpoints.list().map((r) => r.address).sort()).toEqual([...firstSeen].sort());
    expect(a.endpoints.dropped).toBe(notKept);
  });
});

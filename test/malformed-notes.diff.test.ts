// Every expert note of the Malformed group makes a packet match `_ws.malformed`, as tshark's
// expert.c adds a hidden `_ws.malformed` item with it: not only the "[Malformed Packet: ...]" of an
// exception, but "Bogus IPv6 version", TCP's "New fragment overlaps old data", Protocol Buffers'
// "Failed to parse value field"... With -T fields, the exception's line prints its text and the
// hidden item its name. A packet cut short by the snaplen has no such note (no expert in tshark).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusPath, repoRoot } from './helpers/corpus.js';
import { ours } from './helpers/text-protocol-diff.js';
import { tsharkRaw } from './helpers/tshark.js';

const CAPTURES = [
  corpusPath('tcpdump/ipv6-bad-version.pcap'),
  corpusPath('tcpdump/LINKTYPE_IPV6_invalid.pcap'),
  corpusPath('pcapplusplus/one_tcp_stream_max_seq.pcap'),
  corpusPath('pcapplusplus/many-protocols.pcap'),
  join(repoRoot, 'test', 'fixtures', 'http', 'grpc-kinds.pcap'),
];

describe('_ws.malformed: every note of the Malformed group, as tshark', () => {
  for (const file of CAPTURES) {
    it(file.slice(file.lastIndexOf('/', file.lastIndexOf('/') - 1) + 1), async () => {
      const args = ['-Y', '_ws.malformed', '-T', 'fields', '-e', 'frame.number', '-e', '_ws.malformed', '-e', '_ws.expert.group'];
      const theirs = tsharkRaw(file, args).stdout;
      expect(theirs).not.toBe('');
      expect(await ours(file, args)).toEqual(theirs);
    });
  }
  it('a packet cut short by the snaplen: no note, no match', async () => {
    const file = corpusPath('tcpdump/udp-length-heapoverflow.pcap');
    const theirs = tsharkRaw(file, ['-Y', '_ws.malformed']).stdout;
    expect(theirs).toBe('');
    expect(await ours(file, ['-Y', '_ws.malformed'])).toBe(theirs);
    expect(await ours(file, [])).toContain('[Packet size limited during capture]');
  });
});

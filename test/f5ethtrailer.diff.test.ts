// The F5 Ethernet trailer an F5 BIG-IP's tcpdump appends to each frame, as tshark 4.0 shows it:
// its tree, the direction, slot and TMM in front of Info ("OUT s1/tmm1 : 50343 → 80 [SYN] ..."),
// in frame.protocols; and stray trailer bytes that are no such trailer left alone.
import { describe, it } from 'vitest';
import { corpusPath } from './helpers/corpus.js';
import { expectLikeTshark, type TextProtocolCheck } from './helpers/text-protocol-diff.js';

const F5: TextProtocolCheck = {
  titles: ['F5 Ethernet Trailer Protocol'],
  fields: ['f5ethtrailer.type', 'f5ethtrailer.length', 'f5ethtrailer.version', 'f5ethtrailer.ingress', 'f5ethtrailer.slot', 'f5ethtrailer.tmm', 'f5ethtrailer.vip', 'eth.trailer', 'vlan.trailer'],
  filters: ['f5ethtrailer', 'f5ethtrailer.ingress == 1', 'f5ethtrailer.ingress == 0', 'f5ethtrailer.tmm == 1', 'f5ethtrailer.slot == 1', 'http && f5ethtrailer'],
};

describe('F5 Ethernet trailer like tshark', () => {
  it('zeek/mixed-vlan-mpls.pcap: an HTTP connection through a BIG-IP, both directions', async () => {
    await expectLikeTshark(corpusPath('zeek/mixed-vlan-mpls.pcap'), F5, 14);
  });
  it('pcapplusplus/many-protocols.pcap: trailers of stray bytes stay eth.trailer', async () => {
    await expectLikeTshark(corpusPath('pcapplusplus/many-protocols.pcap'), F5, 0);
  });
});

// Filters answered from the pass's per-frame layers (./layer-source.ts) must keep exactly the
// frames a full dissection keeps: checked against filterFile (every packet dissected in order)
// on captures with tunnels, ICMP errors quoting packets, fragments, VLANs and many protocols,
// and against tshark -Y for a few.
import { describe, expect, it } from 'vitest';
import { compileDisplayFilter } from '../filter/compile.js';
import { filterFile } from '../filter/apply.js';
import { corpusPath } from '../../test/helpers/corpus.js';
import { tsharkRaw } from '../../test/helpers/tshark.js';
import { layersCanAnswer } from './layer-source.js';
import { Session } from './session.js';

const FILES = [
  'zeek/tcp/ssh-dups.pcap',
  'zeek/tcp/timestamp.pcap',
  'tcpdump/tcp_rst_data.pcap',
  'pcapplusplus/many-protocols.pcap',
  'zeek/tunnels/gre-aruba.pcap',
  'tcpdump/icmp-icmp_print-oobr-1.pcap',
  'pcapplusplus/ip4_fragments.pcap',
  'pcapplusplus/VlanPackets.pcap',
  'pcapplusplus/pcapng-example.pcapng',
  'zeek/http/get-gzip.pcap',
];
const FILTERS = [
  'http', 'dns', 'icmp || icmpv6', '!tcp && !udp', 'tcp && !http', 'count(ip) > 1', 'data', 'arp || vlan',
  'http && ip.addr == 10.0.0.1', 'dns && udp.port == 53', 'ssl || tls', 'ipv6 && !icmpv6', 'gre', 'llc',
  'tcp.analysis.flags', 'tcp.analysis.retransmission || tcp.analysis.duplicate_ack', 'count(tcp.analysis.duplicate_ack) == 2',
  // Wireshark's "Bad TCP" colouring rule.
  'tcp.analysis.flags && !tcp.analysis.window_update && !tcp.analysis.keep_alive && !tcp.analysis.keep_alive_ack',
  'tcp.analysis.lost_segment && tcp.srcport == 22',
];

describe('filters from the pass\'s layers', () => {
  it.each(FILES)('%s: the same frames as a full dissection', async (rel) => {
    const session = new Session();
    await session.handle('file.open', { path: corpusPath(rel) });
    await session.whenAnalyzed();
    for (const text of FILTERS) {
      const c = compileDisplayFilter(text);
      if (!c.ok) continue; // a protocol SynScope does not know
      expect(layersCanAnswer(c.filter.fields), text).toBe(true);
      await session.handle('filter.apply', { text });
      const rows = await session.handle('packets.rows', { start: 0, end: 10_000 });
      expect(rows.map((r) => r.number), `${rel}: ${text}`).toEqual(filterFile(corpusPath(rel), c.filter));
    }
    await session.dispose();
  });

  it('agrees with tshark -Y', async () => {
    const rel = 'pcapplusplus/many-protocols.pcap';
    const session = new Session();
    await session.handle('file.open', { path: corpusPath(rel) });
    await session.whenAnalyzed();
    for (const text of ['dns', 'icmp || arp', '!tcp && !udp', 'dns && udp.srcport == 53', 'tcp.analysis.flags']) {
      const r = await session.handle('filter.apply', { text });
      const want = tsharkRaw(corpusPath(rel), ['-Y', text, '-T', 'fields', '-e', 'frame.number']).stdout.trim().split('\n').length;
      expect(r.ok && r.displayed, text).toBe(want);
    }
    await session.dispose();
  });
});

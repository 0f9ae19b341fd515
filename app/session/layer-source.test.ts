// Filters answered from the pass's per-frame layers (./layer-source.ts) must keep exactly the
// frames a full dissection keeps: checked against filterFile (every packet dissected in order)
// on captures with tunnels, ICMP errors quoting packets, fragments, VLANs and many protocols,
// and against tshark -Y for a few. Fields of a protocol a frame has no field of are answered
// as absent: on every corpus capture, the protocols the pass listed for a frame hold those of
// every node of its whole tree.
import { describe, expect, it } from 'vitest';
import { dissect } from '../dissect/driver.js';
import type { FieldNode } from '../dissect/tree.js';
import { compileDisplayFilter } from '../filter/compile.js';
import { filterFile } from '../filter/apply.js';
import { corpusCaptures, corpusPath } from '../../test/helpers/corpus.js';
import { readCapture } from '../../test/helpers/mini-reader.js';
import { miniStoreOf } from '../../test/helpers/mini-store.js';
import { tsharkRaw } from '../../test/helpers/tshark.js';
import { Analysis } from './analysis.js';
import { answersAbsent } from './layer-source.js';
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

/** Filters on fields no layer list answers: frames without the field's protocol are decided without dissecting, the others dissected again. */
const FIELD_FILTERS = [
  'http.request.method == "GET"', 'dns.qry.name contains "a"', '!dns.flags.response', 'dns.flags.response == 0 || http.response.code == 200',
  'tls.handshake.type == 1', 'count(dns.a) > 1', 'tcp.seq == 1 && !http', 'ip.ttl < 64 && icmp.type == 8', 'not gre.proto == 0x0800',
  'mdns && dns.qry.type == 12', 'data.len > 100', 'tcp.payload contains "HTTP"', 'len(http.host) > 3', '!(tcp.len > 0) || dns.id == 0',
];

describe('filters from the pass\'s layers', () => {
  it.each(FILES)('%s: the same frames as a full dissection', async (rel) => {
    const session = new Session();
    await session.handle('file.open', { path: corpusPath(rel) });
    await session.whenAnalyzed();
    for (const text of [...FILTERS, ...FIELD_FILTERS]) {
      const c = compileDisplayFilter(text);
      if (!c.ok && text === 'ssl || tls') continue; // tshark 4.0 still knows `ssl`; SynScope does not
      if (!c.ok) throw new Error(`${text}: ${c.error.message}`);
      await session.handle('filter.apply', { text });
      const rows = await session.handle('packets.rows', { start: 0, end: 10_000 });
      expect(rows.map((r) => r.number), `${rel}: ${text}`).toEqual(filterFile(corpusPath(rel), c.filter));
    }
    await session.dispose();
  });

  it('every corpus capture: the pass lists the protocol of every field of a frame\'s whole tree', () => {
    let frames = 0;
    const missing: string[] = [];
    for (const rel of corpusCaptures()) {
      if (!readCapture(corpusPath(rel))?.length) continue; // a format the minimal reader skips (.zst)
      const store = miniStoreOf(corpusPath(rel));
      const a = new Analysis();
      const wanted = a.wanted();
      while (a.frontier < store.count()) a.step(store, wanted);
      for (let n = 1; n <= store.count(); n++) {
        const owners = a.layersOf(n)?.owners;
        if (!owners) continue; // a frame beyond 65535 kinds of layer lists is dissected, never answered
        frames++;
        const visit = (nodes: readonly FieldNode[]): void => {
          for (const node of nodes) {
            const f = node.field;
            if (answersAbsent(f) && owners[f.protoId] !== 1) missing.push(`${rel} frame ${n}: ${f.name}`);
            if (node.children) visit(node.children);
          }
        };
        visit(dissect(store.frame(n), a.capture, { tree: true }).roots);
      }
    }
    expect(frames).toBeGreaterThan(10_000);
    expect(missing.slice(0, 20)).toEqual([]);
  });

  it('agrees with tshark -Y', async () => {
    const rel = 'pcapplusplus/many-protocols.pcap';
    const session = new Session();
    await session.handle('file.open', { path: corpusPath(rel) });
    await session.whenAnalyzed();
    for (const text of ['dns', 'icmp || arp', '!tcp && !udp', 'dns && udp.srcport == 53', 'tcp.analysis.flags', 'dns.qry.name contains "a"', 'http.request.method == "GET"', '!dns.flags.response']) {
      const r = await session.handle('filter.apply', { text });
      const want = tsharkRaw(corpusPath(rel), ['-Y', text, '-T', 'fields', '-e', 'frame.number']).stdout.trim().split('\n').length;
      expect(r.ok && r.displayed, text).toBe(want);
    }
    await session.dispose();
  });
});

// The session's Protocol Hierarchy (stats.hierarchy, the Statistics panel's Protocols tab)
// against `tshark -q -z io,phs[,FILTER]`: the packets on display counted by the top-level items
// of their trees, with and without a display filter, printed as tshark prints the table.
import { afterEach, describe, expect, it } from 'vitest';
import { corpusPath } from '../../test/helpers/corpus.js';
import { tsharkRaw } from '../../test/helpers/tshark.js';
import { hierarchyText } from '../stats/protocol-hierarchy.js';
import { Session } from './session.js';

let session: Session | null = null;
afterEach(async () => {
  await session?.dispose();
  session = null;
});

async function opened(rel: string): Promise<Session> {
  session = new Session({ indexInProcess: true });
  await session.handle('file.open', { path: corpusPath(rel) });
  return session;
}

function theirs(rel: string, filter?: string): string {
  return tsharkRaw(corpusPath(rel), ['-q', '-z', filter ? `io,phs,${filter}` : 'io,phs']).stdout;
}

describe('the session\'s protocol hierarchy vs tshark -z io,phs', () => {
  // Tunnels, VLANs, TCP reassembly, malformed packets, pcapng comments, QUIC, SMB, X11.
  const FILES = ['pcapplusplus/many-protocols.pcap', 'pcapplusplus/pcapng-example.pcapng', 'zeek/smtp.pcap', 'zeek/tunnels/gre-aruba.pcap',
    'pcapplusplus/one_http_stream_fin.pcap', 'pcapplusplus/VlanPackets.pcap', 'tcpdump/ipv4_invalid_hdr_length.pcap'];
  for (const rel of FILES) {
    it(rel, async () => {
      const s = await opened(rel);
      const h = await s.handle('stats.hierarchy', {});
      expect(h.filter).toBe('');
      expect(h.rows.length).toBeGreaterThanOrEqual(2);
      expect(hierarchyText(h, null)).toBe(theirs(rel));
    });
  }

  it('counts the packets the display filter shows', async () => {
    const rel = 'pcapplusplus/many-protocols.pcap';
    const s = await opened(rel);
    const applied = await s.handle('filter.apply', { text: 'tcp.port == 443' });
    if (!applied.ok) throw new Error('the filter did not compile');
    const h = await s.handle('stats.hierarchy', {});
    expect(h.filter).toBe('tcp.port == 443');
    expect(h.packets).toBe(applied.displayed);
    expect(hierarchyText(h, h.filter)).toBe(theirs(rel, 'tcp.port == 443'));
  });

  it('says in which packets each item is the last (End Packets): what its children do not take', async () => {
    const s = await opened('pcapplusplus/many-protocols.pcap');
    const { rows, packets } = await s.handle('stats.hierarchy', {});
    expect(rows.filter((r) => r.depth === 0).reduce((n, r) => n + r.packets, 0)).toBeGreaterThanOrEqual(packets);
    rows.forEach((r, i) => {
      const children = [];
      for (let j = i + 1; j < rows.length && rows[j]!.depth > r.depth; j++) if (rows[j]!.depth === r.depth + 1) children.push(rows[j]!);
      expect(r.endPackets, r.filter).toBe(r.packets - children.reduce((n, c) => n + c.packets, 0));
      expect(r.endBytes, r.filter).toBe(r.bytes - children.reduce((n, c) => n + c.bytes, 0));
    });
    expect(rows.find((r) => r.filter === 'tcp')?.name).toBe('Transmission Control Protocol');
  });
});

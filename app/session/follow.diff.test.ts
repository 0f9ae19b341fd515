// tcp.follow against tshark's Follow TCP Stream on every corpus capture with TCP: for each
// stream (up to MAX_STREAMS per file), the same records — same side, same bytes, same
// boundaries — as the lines of `tshark -q -z follow,tcp,raw,N` (one hex line per record, server
// lines indented by a tab), and the same Node 0 / Node 1.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { corpusCaptures, corpusPath } from '../../test/helpers/corpus.js';
import { tsharkCorpusFields } from '../../test/helpers/corpus-fields.js';
import { tsharkRaw } from '../../test/helpers/tshark.js';
import { Session } from './session.js';

/** Enough to cover every stream of all but the few big captures, at a bounded cost. */
const MAX_STREAMS = 200;
/** -z options per tshark run (every one is a tap over the whole file). */
const STREAMS_PER_RUN = 50;

/** Files left out, each with the reason. */
const EXCLUDED: Record<string, string> = {};

interface TsharkFollow { node0: string; node1: string; lines: string[] }

/** tshark's tcp.stream numbers in the file (a packet quoting TCP in ICMP carries two). */
function tcpStreams(path: string): number[] {
  const set = new Set<number>();
  for (const [cell] of tsharkCorpusFields(path, ['tcp.stream']).rows) for (const v of cell!.split(',')) if (v.trim() !== '') set.add(Number(v));
  return [...set].sort((a, b) => a - b);
}

/** tshark's blocks, by stream: "Filter: tcp.stream eq N", "Node 0: a:p", "Node 1: a:p", then the hex lines. */
function tsharkFollow(path: string, streams: number[]): Map<number, TsharkFollow> {
  const out = new Map<number, TsharkFollow>();
  for (let i = 0; i < streams.length; i += STREAMS_PER_RUN) {
    const z = streams.slice(i, i + STREAMS_PER_RUN).flatMap((n) => ['-z', `follow,tcp,raw,${n}`]);
    let cur: TsharkFollow | null = null;
    for (const line of tsharkRaw(path, ['-q', ...z]).stdout.split('\n')) {
      const filter = /^Filter: tcp\.stream eq (\d+)$/.exec(line);
      if (filter) {
        cur = { node0: '', node1: '', lines: [] };
        out.set(Number(filter[1]), cur);
      } else if (cur && line.startsWith('Node 0: ')) cur.node0 = line.slice(8);
      else if (cur && line.startsWith('Node 1: ')) cur.node1 = line.slice(8);
      else if (cur && /^\t?[0-9a-f]*$/.test(line) && line !== '') cur.lines.push(line);
    }
  }
  return out;
}

/** tshark writes IPv6 nodes as [addr]:port. */
const node = (s: string) => s.replace(/^\[(.*)\]:(\d+)$/, '$1:$2');

let session: Session | null = null;
afterEach(async () => {
  await session?.dispose();
  session = null;
});

const withTcp = corpusCaptures().filter((rel) => !(rel in EXCLUDED) && tcpStreams(corpusPath(rel)).length > 0);

/** Compares every stream of `path` (up to MAX_STREAMS) with tshark; returns how many it compared. */
async function compareStreams(path: string): Promise<number> {
  const streams = tcpStreams(path).slice(0, MAX_STREAMS);
  const expected = tsharkFollow(path, streams);
  session = new Session({ indexInProcess: true });
  await session.handle('file.open', { path });
  await session.whenIndexed();
  for (const stream of streams) {
    const want = expected.get(stream)!;
    const got = await session.handle('tcp.follow', { stream });
    const lines = got.chunks.map((c) => (c.from === 'server' ? '\t' : '') + Buffer.from(c.bytes, 'base64').toString('hex'));
    if (want.node0 === ':0') {
      // No header of this stream reached tshark's tap (all malformed), so it names no nodes;
      // tcp.follow still names the connection's ends and, like tshark, shows no bytes.
      expect({ stream, lines }).toEqual({ stream, lines: [] });
      continue;
    }
    expect({ stream, node0: got.client, node1: got.server, lines }).toEqual({ stream, node0: node(want.node0), node1: node(want.node1), lines: want.lines });
  }
  return streams.length;
}

describe('tcp.follow matches tshark -z follow,tcp,raw', () => {
  it('covers the corpus', () => {
    expect(withTcp.length).toBeGreaterThan(20);
  });

  it.each(withTcp)('%s', async (rel) => {
    expect(await compareStreams(corpusPath(rel))).toBeGreaterThan(0);
  }, 120_000);
});

// No corpus capture loses a segment the peer acknowledged, so tshark's "[N bytes missing in
// capture file]" records never show there. Removing frames with editcap makes those gaps.
describe('tcp.follow with segments cut out by editcap, as tshark marks the gaps', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'synscope-follow-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it.each([
    // the client's second 1460-byte segment and both retransmissions that would refill it
    { rel: 'zeek/smtp.pcap', drop: ['23', '32', '33'] },
    // the server's first reply, then a run of client data
    { rel: 'zeek/smtp.pcap', drop: ['6', '24-30'] },
    { rel: 'pcapplusplus/three_http_streams.pcap', drop: ['9'] },
  ])('$rel without frames $drop', async ({ rel, drop }) => {
    const cut = join(tmp, `${rel.replace(/\W/g, '_')}-${drop.join('_')}.pcap`);
    execFileSync('editcap', [corpusPath(rel), cut, ...drop]);
    expect(await compareStreams(cut)).toBeGreaterThan(0);
  }, 120_000);

  it('the first cut really makes tshark print a missing-bytes record', () => {
    const cut = join(tmp, 'zeek_smtp_pcap-23_32_33.pcap');
    const marker = Buffer.from('[1460 bytes missing in capture file]\0', 'latin1').toString('hex');
    expect(tsharkFollow(cut, [0]).get(0)!.lines).toContain(marker);
  });
});

// udp.follow (the desktop's Follow UDP Stream, from a packet of the stream) against
// `tshark -q -z follow,udp,raw,N`: DNS over IPv4 and IPv6, NTP, a datagram an ICMP error quotes,
// one without payload, many streams.
describe('udp.follow matches tshark -z follow,udp,raw', () => {
  it.each(['tcpdump/dns_udp.pcap', 'gopacket/test_dns.pcap', 'tcpdump/ntp.pcap', 'zeek/icmp/icmp-destunreach-udp.pcap', 'tcpdump/ipv6-routing-header.pcap', 'pcapplusplus/many-protocols.pcap'])('%s', async (rel) => {
    const path = corpusPath(rel);
    // The first packet of each of the file's first streams, as tshark numbers them.
    const firsts = new Map<number, number>();
    for (const row of tsharkRaw(path, ['-T', 'fields', '-e', 'frame.number', '-e', 'udp.stream']).stdout.trim().split('\n')) {
      const [frame, cell] = row.split('\t');
      const s = (cell ?? '').split(',')[0]!;
      if (s !== '' && !firsts.has(Number(s)) && firsts.size < 6) firsts.set(Number(s), Number(frame));
    }
    expect(firsts.size).toBeGreaterThan(0);
    session = new Session({ indexInProcess: true });
    await session.handle('file.open', { path });
    await session.whenIndexed();
    for (const [stream, frame] of firsts) {
      const theirs = tsharkRaw(path, ['-q', '-z', `follow,udp,raw,${stream}`]).stdout.split('\n');
      const node0 = theirs.find((l) => l.startsWith('Node 0: '))!.slice(8), node1 = theirs.find((l) => l.startsWith('Node 1: '))!.slice(8);
      const lines = theirs.filter((l) => /^\t?[0-9a-f]+$/.test(l));
      const got = await session.handle('udp.follow', { frame });
      const ours = got.chunks.map((c) => (c.from === 'server' ? '\t' : '') + Buffer.from(c.bytes, 'base64').toString('hex'));
      // A stream whose datagrams tshark's tap never saw (quoted in an ICMP error, empty) has no nodes there.
      const nodes = node0 === ':0' ? { node0: ':0', node1: ':0' } : { node0: node(node0), node1: node(node1) };
      expect({ stream, node0: got.client || ':0', node1: got.server || ':0', lines: ours }).toEqual({ stream, ...nodes, lines });
      expect(got.stream).toBe(stream);
    }
  }, 120_000);

  it('a packet without UDP is refused with a reason', async () => {
    session = new Session({ indexInProcess: true });
    await session.handle('file.open', { path: corpusPath('pcapplusplus/three_http_streams.pcap') });
    await session.whenIndexed();
    await expect(session.handle('udp.follow', { frame: 1 })).rejects.toThrow('packet 1 has no UDP header to follow');
  });
});

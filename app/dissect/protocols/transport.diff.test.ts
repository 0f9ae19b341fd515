// Differential test of the TCP and UDP dissectors against tshark 4.0 run live, over every
// corpus capture whose tshark protocols include tcp or udp. No tracker is attached, so tshark
// runs with relative sequence numbers and sequence analysis off (raw numbers, no analysis
// prefixes); the Info column is compared on packets tshark shows as plain TCP whose window is
// not scaled (tshark scales windows even with analysis off; scaling is the tracker's job).
//
// Two ways to reach the transport header:
//  - "driver": the full dissection (frame -> link -> IP -> tcp/udp), once an IPv4 dissector is
//    registered in the `ethertype` table;
//  - "locator": until then, a small test-local walk over Ethernet/VLAN, SLL, SLL2, null and raw
//    IP to the first TCP/UDP header of unfragmented IPv4/IPv6 packets, which is then handed to
//    the dissector directly. Packets it cannot place (tunnels, ICMP errors, fragments, other
//    link types) are not compared in that mode.
// The summary (per field: compared, equal) goes to test-results/transport-diff.txt.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { callProtocol, lookup } from '../dispatch.js';
import { CaptureState, dissect } from '../driver.js';
import { formatFieldValue } from '../format.js';
import { PacketContext } from '../packet.js';
import { findAll, type FieldNode } from '../tree.js';
import { TruncatedError, Tvb } from '../tvb.js';
import { corpusDir, corpusPath, repoRoot } from '../../../test/helpers/corpus.js';
import { readCapture, type MiniPacket } from '../../../test/helpers/mini-reader.js';
import { tsharkFields } from '../../../test/helpers/tshark.js';
import { tcpProtocol } from './tcp.js';
import { udpProtocol } from './udp.js';

const COMPARED = [
  'tcp.srcport', 'tcp.dstport', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.hdr_len', 'tcp.flags', 'tcp.flags.str',
  'tcp.window_size_value', 'tcp.len', 'tcp.checksum', 'tcp.urgent_pointer', 'tcp.options.mss_val',
  'tcp.options.wscale.shift', 'tcp.options.sack_perm', 'tcp.options.timestamp.tsval', 'tcp.options.timestamp.tsecr',
  'tcp.option_kind', 'udp.srcport', 'udp.dstport', 'udp.length', 'udp.checksum', 'udp.stream',
] as const;
const EXTRA = ['frame.protocols', 'tcp.window_size', '_ws.col.Protocol', '_ws.col.Info'] as const;
const TSHARK_OPTS = ['-o', 'tcp.relative_sequence_numbers:FALSE', '-o', 'tcp.analyze_sequence_numbers:FALSE'];
/**
 * Wireshark's SNMP dissector opens a conversation with a wildcard port for the agent's answer,
 * so tshark gives every SNMP response a udp.stream of its own; SynScope numbers plain UDP
 * conversations only.
 */
const UDP_STREAM_EXCUSED = /^zeek\/snmp\//;
/** Required share of equal values per field over the whole corpus. */
const MIN_MATCH = 0.99;
/**
 * The Info of TCP packets also depends on the protocols above (which of them claim or ask to
 * reassemble a payload: tshark has MySQL, WebSocket ... SynScope not yet) and below (an F5
 * Ethernet trailer prefixes "OUT s1/tmm1 : " to Info), hence a lower bar.
 */
const MIN_MATCH_INFO = 0.95;

function transportFiles(): string[] {
  const manifest = readFileSync(join(corpusDir(), 'MANIFEST.tsv'), 'utf8').split('\n').slice(1);
  return manifest
    .map((l) => l.split('\t'))
    .filter((c) => c.length >= 8 && /tshark protocols:.*\b(tcp|udp)\b/.test(c[7]!) && !c[0]!.endsWith('.zst'))
    .map((c) => c[0]!)
    .sort();
}

interface Tally { compared: number; equal: number; examples: string[] }
const tally = new Map<string, Tally>();
let mode = '';

function count(field: string, file: string, frame: number, ours: string, theirs: string): void {
  let t = tally.get(field);
  if (!t) tally.set(field, (t = { compared: 0, equal: 0, examples: [] }));
  t.compared++;
  if (ours === theirs) t.equal++;
  else if (t.examples.length < 40) t.examples.push(`${file} #${frame}: ours=${JSON.stringify(ours)} tshark=${JSON.stringify(theirs)}`);
}

/** Locator mode: the transport header of an unfragmented IPv4/IPv6 packet, or null. */
function locate(p: MiniPacket): { proto: 6 | 17; start: number; reported: number; src: Uint8Array; dst: Uint8Array } | null {
  const d = p.data;
  const u16 = (o: number) => (d[o]! << 8) | d[o + 1]!;
  let o: number;
  let etype: number;
  switch (p.linkType) {
    case 1:
      if (d.length < 14) return null;
      etype = u16(12); o = 14;
      while ((etype === 0x8100 || etype === 0x88a8 || etype === 0x9100) && o + 4 <= d.length) { etype = u16(o + 2); o += 4; }
      break;
    case 113: if (d.length < 16) return null; etype = u16(14); o = 16; break;
    case 276: if (d.length < 20) return null; etype = u16(0); o = 20; break;
    case 0: case 109: {
      if (d.length < 4) return null;
      const fam = d[0]! | (d[1]! << 8) | (d[2]! << 16) | (d[3]! << 24);
      const famBe = u16(0) << 16 | u16(2);
      etype = fam === 2 || famBe === 2 ? 0x0800 : [24, 28, 30].includes(fam) || [24, 28, 30].includes(famBe) ? 0x86dd : 0; o = 4; break;
    }
    case 101: case 12: case 14: case 228: case 229:
      if (d.length < 1) return null;
      etype = d[0]! >> 4 === 4 ? 0x0800 : d[0]! >> 4 === 6 ? 0x86dd : 0; o = 0; break;
    default: return null;
  }
  if (etype === 0x0800) {
    if (o + 20 > d.length || d[o]! >> 4 !== 4) return null;
    const ihl = (d[o]! & 15) * 4;
    const total = u16(o + 2);
    if ((u16(o + 6) & 0x3fff) !== 0 || ihl < 20 || total < ihl) return null;
    const proto = d[o + 9]!;
    if (proto !== 6 && proto !== 17) return null;
    return { proto, start: o + ihl, reported: total - ihl, src: d.subarray(o + 12, o + 16), dst: d.subarray(o + 16, o + 20) };
  }
  if (etype === 0x86dd) {
    if (o + 40 > d.length || d[o]! >> 4 !== 6) return null;
    let nh = d[o + 6]!;
    let plen = u16(o + 4);
    let q = o + 40;
    while (nh === 0 || nh === 43 || nh === 60) {
      if (q + 8 > d.length) return null;
      const len = (d[q + 1]! + 1) * 8;
      nh = d[q]!; q += len; plen -= len;
    }
    if (nh !== 6 && nh !== 17) return null;
    return { proto: nh, start: q, reported: plen, src: d.subarray(o + 8, o + 24), dst: d.subarray(o + 24, o + 40) };
  }
  return null;
}

function ipv4Text(b: Uint8Array): string {
  return b.length === 4 ? Array.from(b).join('.') : Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

function valuesOf(roots: readonly FieldNode[], flat: readonly FieldNode[], field: string): string {
  const nodes = roots.length ? findAll(roots, field) : flat.filter((n) => n.field.name === field);
  return nodes.map((n) => formatFieldValue(n.field, n.value)).join(',');
}

const files = transportFiles();

describe('tcp/udp against tshark', () => {
  it('finds corpus files', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  for (const file of files) {
    it(file, () => {
      const packets = readCapture(corpusPath(file));
      if (!packets) return;
      const fields = [...COMPARED, ...EXTRA];
      const ts = tsharkFields(corpusPath(file), fields, TSHARK_OPTS);
      // tshark 4.0 shows some pcapng blocks (e.g. custom blocks) as frames of their own, with
      // Protocol "PCAPNG"; the packets are the other rows.
      const protoCol = fields.indexOf('_ws.col.Protocol');
      const rows = ts.rows.filter((r) => r[protoCol] !== 'PCAPNG');
      const useDriver = lookup('ethertype', 0x0800) !== undefined;
      mode = useDriver ? 'driver' : 'locator';
      const capture = new CaptureState();
      const first = packets[0];
      let prev = first;
      for (const p of packets) {
        const row = rows[p.number - 1];
        if (!row) break;
        const theirs = (name: string) => row[fields.indexOf(name as (typeof fields)[number])] ?? '';
        const protocols = theirs('frame.protocols');
        const layers = protocols.split(':');
        let roots: FieldNode[], flat: FieldNode[], info: string;
        if (useDriver) {
          const d = dissect({ number: p.number, ts: { sec: p.sec, nsec: p.nsec }, capLen: p.capLen, origLen: p.origLen, linkType: p.linkType, data: p.data,
            firstTs: first ? { sec: first.sec, nsec: first.nsec } : undefined, prevTs: { sec: prev.sec, nsec: prev.nsec } }, capture, { tree: true });
          roots = d.roots; flat = d.flat; info = d.info;
        } else {
          const loc = locate(p);
          // Only packets whose single transport layer the locator can place.
          const n = layers.filter((l) => l === 'tcp' || l === 'udp').length;
          if (!loc || n !== 1 || layers.includes('icmp') || layers.includes('icmpv6') || !layers.includes(loc.proto === 6 ? 'tcp' : 'udp')) { prev = p; continue; }
          const ctx = new PacketContext({ number: p.number, ts: { sec: p.sec, nsec: p.nsec }, capLen: p.capLen, origLen: p.origLen, linkType: p.linkType, data: p.data }, capture, { tree: true });
          ctx.endpoints = { src: ipv4Text(loc.src), dst: ipv4Text(loc.dst), netSrc: loc.src, netDst: loc.dst };
          ctx.src = ctx.endpoints.src; ctx.dst = ctx.endpoints.dst;
          const tvb = new Tvb(p.data, loc.start, Math.max(0, Math.min(loc.reported, p.data.length - loc.start)), loc.reported);
          try {
            callProtocol(loc.proto === 6 ? tcpProtocol : udpProtocol, tvb, ctx, null);
          } catch (e) {
            // As the driver does: the fields decoded so far stay, the Info gets the note.
            ctx.info += e instanceof TruncatedError ? '[Packet size limited during capture]' : '[Malformed Packet]';
          }
          roots = ctx.roots; flat = ctx.flat; info = ctx.info;
        }
        for (const f of COMPARED) {
          if (f === 'udp.stream' && UDP_STREAM_EXCUSED.test(file)) continue;
          const t = theirs(f), o = valuesOf(roots, flat, f);
          if (t === '' && o === '') continue;
          count(f, file, p.number, o, t);
        }
        const tcpOnly = theirs('_ws.col.Protocol') === 'TCP' && layers.filter((l) => l === 'tcp').length === 1 && !layers.includes('udp');
        if (tcpOnly && theirs('tcp.window_size') === theirs('tcp.window_size_value')) {
          count('_ws.col.Info (TCP)', file, p.number, info, theirs('_ws.col.Info'));
        }
        prev = p;
      }
    });
  }

  afterAll(() => {
    const lines = [`mode: ${mode}`, 'field\tcompared\tequal\trate'];
    for (const [f, t] of tally) lines.push(`${f}\t${t.compared}\t${t.equal}\t${(t.equal / t.compared).toFixed(4)}`);
    for (const [f, t] of tally) for (const e of t.examples) lines.push(`${f}: ${e}`);
    mkdirSync(join(repoRoot, 'test-results'), { recursive: true });
    writeFileSync(join(repoRoot, 'test-results', 'transport-diff.txt'), lines.join('\n') + '\n');
  });

  it('matches tshark on at least 99% of values per field (95% for Info)', () => {
    const low: string[] = [];
    for (const [f, t] of tally) if (t.equal / t.compared < (f.startsWith('_ws.col.Info') ? MIN_MATCH_INFO : MIN_MATCH)) low.push(`${f}: ${t.equal}/${t.compared}\n  ${t.examples.join('\n  ')}`);
    expect(low).toEqual([]);
  });
});

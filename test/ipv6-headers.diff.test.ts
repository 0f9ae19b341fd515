// IPv6 headers as tshark 4.0 shows them, on packets written here: every routing header type
// (the deprecated type 0, Mobile IPv6, RPL with elided octets, Segment Routing, the compact
// headers, types nothing decodes) with the notes packet-ipv6.c gives a malformed one and the
// final destination in the Destination column; options nothing decodes; Authentication Headers
// under IPv4 and IPv6; a bogus version; payload lengths of 0 and longer than the frame;
// extension headers cut short; next headers that are none or unknown. Each against tshark.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { pcapFile } from './helpers/pcap-build.js';
import { expectLikeTshark, type TextProtocolCheck } from './helpers/text-protocol-diff.js';

const dir = mkdtempSync(join(tmpdir(), 'synscope-ipv6-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hex = (s: string) => Buffer.from(s.replace(/[^0-9a-f]/g, ''), 'hex');
const SRC = hex('20010db8000000000000000000000001'), DST = hex('20010db8000000000000000000000002');
const A1 = hex('20010db8000000000000000000000003'), A2 = hex('20010db8000000000000000000000004');
const MULTICAST = hex('ff020000000000000000000000000001');
const ETH = hex('020000000002 020000000001');
const ECHO = Buffer.from([128, 0, 0, 0, 0, 1, 0, 1]);
const u16 = (v: number) => Buffer.from([v >> 8, v & 0xff]);
const u32 = (v: number) => Buffer.from([v >>> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff]);

/** Ethernet + IPv6 (next header `nxt`) + `body`; `plen` the payload length (default: the body's). */
function ipv6(nxt: number, body: Buffer, o: { plen?: number; dst?: Buffer; version?: number } = {}): Buffer {
  const header = Buffer.concat([u32(((o.version ?? 6) << 28) >>> 0), u16(o.plen ?? body.length), Buffer.from([nxt, 64]), SRC, o.dst ?? DST]);
  return Buffer.concat([ETH, u16(0x86dd), header, body]);
}

/** Ethernet + IPv4 (protocol `proto`, header checksum left 0) + `body`. */
function ipv4(proto: number, body: Buffer): Buffer {
  const header = Buffer.concat([Buffer.from([0x45, 0]), u16(20 + body.length), u16(1), u16(0), Buffer.from([64, proto]), u16(0), Buffer.from([10, 0, 0, 1, 10, 0, 0, 2])]);
  return Buffer.concat([ETH, u16(0x0800), header, body]);
}

/** A routing header: next header ICMPv6, `len` 8-byte units after the first, `type`, `segleft`, then `data`. */
const routing = (len: number, type: number, segleft: number, data: Buffer) => Buffer.concat([Buffer.from([58, len, type, segleft]), data]);
const ZERO4 = Buffer.alloc(4);
/** An Authentication Header with a 12-byte ICV before `next`. */
const ah = (nxt: number) => Buffer.concat([Buffer.from([nxt, 4, 0, 0]), u32(0x1234), u32(7), Buffer.alloc(12, 0x11)]);
const udp = Buffer.concat([u16(1000), u16(2000), u16(12), u16(0), Buffer.from('abcd')]);

const packets: Buffer[] = [
  // Routing headers: type 0 (two addresses; odd length and too many segments left; a multicast hop).
  ipv6(43, Buffer.concat([routing(4, 0, 2, Buffer.concat([ZERO4, A1, A2])), ECHO])),
  ipv6(43, Buffer.concat([routing(3, 0, 5, Buffer.concat([ZERO4, A1, A2.subarray(0, 8)])), ECHO])),
  ipv6(43, Buffer.concat([routing(4, 0, 1, Buffer.concat([u32(1), MULTICAST, A2])), ECHO])),
  // Type 2, right and wrong; RPL with 8 octets elided, with a multicast destination, with the source in the route.
  ipv6(43, Buffer.concat([routing(2, 2, 1, Buffer.concat([ZERO4, A1])), ECHO])),
  ipv6(43, Buffer.concat([routing(4, 2, 0, Buffer.concat([ZERO4, A1, A2])), ECHO])),
  ipv6(43, Buffer.concat([routing(2, 3, 1, Buffer.concat([Buffer.from([0x88, 0, 0, 0]), A1.subarray(8), A2.subarray(8)])), ECHO])),
  ipv6(43, Buffer.concat([routing(2, 3, 1, Buffer.concat([Buffer.from([0x88, 0, 0, 0]), A1.subarray(8), A2.subarray(8)])), ECHO]), { dst: MULTICAST }),
  ipv6(43, Buffer.concat([routing(2, 3, 1, Buffer.concat([Buffer.from([0x88, 0, 0, 0]), DST.subarray(8), SRC.subarray(8)])), ECHO])),
  // Segment Routing: two segments; more segments left than listed; a list longer than the header.
  ipv6(43, Buffer.concat([routing(4, 4, 1, Buffer.concat([Buffer.from([1, 0, 0x12, 0x34]), A1, A2])), ECHO])),
  ipv6(43, Buffer.concat([routing(4, 4, 3, Buffer.concat([Buffer.from([1, 0x40, 0, 0]), A1, A2])), ECHO])),
  ipv6(43, Buffer.concat([routing(4, 4, 2, Buffer.concat([Buffer.from([3, 0, 0, 0]), A1, A2])), ECHO])),
  // Compact routing headers (16- and 32-bit SIDs; a current SID past the header); Nimrod, experiments, unknown.
  ipv6(43, Buffer.concat([routing(1, 5, 1, Buffer.concat([u16(1), u16(2), u16(3), u16(0), u16(0), u16(0)])), ECHO])),
  ipv6(43, Buffer.concat([routing(1, 6, 1, Buffer.concat([u32(7), u32(8), u32(0)])), ECHO])),
  ipv6(43, Buffer.concat([routing(1, 5, 9, Buffer.concat([u16(1), u16(2), u16(3), u16(4), u16(5), u16(6)])), ECHO])),
  ...[1, 253, 254, 99].map((type) => ipv6(43, Buffer.concat([routing(0, type, 0, Buffer.from([1, 2, 3, 4])), ECHO]))),
  // Destination options nothing decodes, an experimental one, a deprecated one.
  ...[0x0b, 0x1e, 0x8a].map((type) => ipv6(60, Buffer.from([59, 0, type, 4, 1, 2, 3, 4]))),
  // Authentication Headers: under IPv4 and IPv6, before UDP, ICMPv6, nothing, an unknown protocol, options.
  ipv4(51, Buffer.concat([ah(17), udp])),
  ipv6(51, Buffer.concat([ah(58), ECHO])),
  ipv6(51, Buffer.concat([ah(253), Buffer.from('xyz')])),
  ipv6(51, ah(59)),
  ipv4(51, Buffer.concat([ah(253), Buffer.from('xy')])),
  ipv6(51, Buffer.concat([ah(60), Buffer.from([59, 0, 1, 4, 0, 0, 0, 0])])),
  // A bogus version; payload length 0 (with and without hop-by-hop) and longer than the frame.
  ipv6(58, ECHO, { version: 4 }),
  ipv6(58, Buffer.alloc(0), { plen: 0 }),
  ipv6(0, Buffer.alloc(0), { plen: 0 }),
  ipv6(58, ECHO, { plen: 20 }),
  // Extension headers with none, one or two of their bytes; no next header; unknown next headers.
  ...[0, 43, 44, 60].flatMap((nxt) => [0, 1, 2].map((n) => ipv6(nxt, Buffer.from([58, 0]).subarray(0, n), { plen: 16 }))),
  ipv6(59, Buffer.alloc(0)),
  ipv6(59, Buffer.from('ab')),
  ipv6(253, Buffer.from('abcd')),
  ipv6(61, Buffer.from('abcd')),
  ipv4(253, Buffer.from('abcd')),
  ipv4(59, Buffer.from('ab')),
  ipv4(200, Buffer.from('ab')),
];

const file = join(dir, 'ipv6-headers.pcap');
writeFileSync(file, pcapFile(packets.map((data, i) => ({ sec: 1000 + i, frac: 0, data }))));

const IPV6: TextProtocolCheck = {
  titles: ['Internet Protocol Version 6', 'Internet Protocol Version 4', 'Data ('],
  fields: [
    '_ws.col.Destination', 'ipv6.routing.type', 'ipv6.routing.src.addr', 'ipv6.routing.rpl.full_address', 'ipv6.routing.rpl.addr_count',
    'ipv6.routing.srh.addr', 'ipv6.routing.crh16.current_sid', 'ipv6.routing.crh32.sid', 'ipv6.routing.unknown_data', 'ipv6.opt.unknown',
    'ah.spi', 'ah.icv', 'ipv6.version', '_ws.expert.message', '_ws.expert.severity', '_ws.expert.group',
  ],
  filters: [
    'ipv6.routing.type == 0', 'ipv6.routing.rpl.full_address == 2001:db8::4', 'ah', 'ah.next_header == 17', 'ipv6.opt.unknown',
    '_ws.expert.group == deprecated', 'ipv6.dst == 2001:db8::2 && ipv6.routing', 'ipv6', 'data',
  ],
};

describe('read: IPv6 extension headers and AH as tshark shows them', () => {
  it('routing headers, options, AH, bogus and cut-short headers', () => expectLikeTshark(file, IPV6, packets.length - 10));
});

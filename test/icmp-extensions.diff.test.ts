// ICMP as tshark 4.0 shows it on messages written here: RFC 4884 multi-part extensions after
// the quoted datagram of Time Exceeded / Destination Unreachable / Parameter Problem (MPLS label
// stacks, interface information and identification objects, unknown, truncated and bad
// objects, bad, missing and cut checksums, an unsupported version), in both placements
// (the RFC 4884 length and the older 128-byte form), a quote cut to its RFC 4884 length,
// redirects, the header fields around the length, Mobile IP agent advertisement extensions,
// timestamp messages (their times of day in either byte order), and ICMPv6's RFC 4884 length
// with the extensions after it. Each against tshark.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { internetChecksum } from '../app/dissect/checksum.js';
import { pcapFile } from './helpers/pcap-build.js';
import { expectLikeTshark, type TextProtocolCheck } from './helpers/text-protocol-diff.js';

const dir = mkdtempSync(join(tmpdir(), 'synscope-icmp-ext-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const u16 = (v: number) => Buffer.from([v >> 8, v & 0xff]);
const u32 = (v: number) => Buffer.from([v >>> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff]);
const ETH = Buffer.from('000102030405060708090a0b0800', 'hex');

/** `bytes` with the Internet checksum stored at `at`. */
function withChecksum(bytes: Buffer, at: number): Buffer {
  bytes.writeUInt16BE(0, at);
  bytes.writeUInt16BE(~internetChecksum(bytes) & 0xffff, at);
  return bytes;
}

/** Ethernet + IPv4 (ICMP, TTL 250) from 10.0.0.1 to 10.0.1.2 around `icmp`. */
function frame(icmp: Buffer): Buffer {
  const ip = Buffer.concat([Buffer.from([0x45, 0]), u16(20 + icmp.length), u16(1), u16(0), Buffer.from([250, 1, 0, 0, 10, 0, 0, 1, 10, 0, 1, 2])]);
  return Buffer.concat([ETH, withChecksum(ip, 10), icmp]);
}

/** An ICMP message: type, code, the second word, then the body; checksum filled in. */
const icmp = (type: number, code: number, word: Buffer, body: Buffer) => withChecksum(Buffer.concat([Buffer.from([type, code, 0, 0]), word, body]), 2);

/** A traceroute probe as the quote: IPv4 (total length `total`) + UDP to port 33445, zero-padded to `padTo`. */
function probe(total = 28, padTo = 0): Buffer {
  const ip = withChecksum(Buffer.concat([Buffer.from([0x45, 0]), u16(total), u16(0xe5), u16(0), Buffer.from([1, 17, 0, 0, 10, 0, 1, 2, 172, 16, 0, 2])]), 10);
  const q = Buffer.concat([ip, u16(49181), u16(33445), u16(8), u16(0x0607)]);
  return Buffer.concat([q, Buffer.alloc(Math.max(0, padTo - q.length))]);
}

/** The extension structure: version, checksum (computed unless given), objects. */
function ext(objects: Buffer[], o: { version?: number; checksum?: number } = {}): Buffer {
  const body = Buffer.concat([Buffer.from([(o.version ?? 2) << 4, 0, 0, 0]), ...objects]);
  if (o.checksum === undefined) return withChecksum(body, 2);
  body.writeUInt16BE(o.checksum, 2);
  return body;
}
const object = (cls: number, ctype: number, data: Buffer, length = 4 + data.length) => Buffer.concat([u16(length), Buffer.from([cls, ctype]), data]);
const mpls = (label: number, exp: number, s: number, ttl: number) => u32(((label << 12) | (exp << 9) | (s << 8) | ttl) >>> 0);

const TIME_EXCEEDED_4884 = Buffer.from([0, 32, 0, 0]);
const stack = object(1, 1, mpls(22, 0, 1, 1));

const messages: Buffer[] = [
  // The 128-byte form (no length), then RFC 4884 lengths: two entries and left-over bytes.
  icmp(11, 0, Buffer.alloc(4), Buffer.concat([probe(28, 128), ext([stack])])),
  icmp(11, 0, TIME_EXCEEDED_4884, Buffer.concat([probe(28, 128), ext([object(1, 1, Buffer.concat([mpls(1000, 5, 0, 254), mpls(16, 0, 1, 1), Buffer.from([0xaa, 0xbb])]))])])),
  // Interface information: everything (IPv4), then an IPv6 address alone for another role; five objects.
  icmp(3, 3, TIME_EXCEEDED_4884, Buffer.concat([probe(28, 128), ext([object(2, 0x0f, Buffer.concat([u32(7), u16(1), u16(0), Buffer.from([192, 0, 2, 1]), Buffer.from('\x08ge-0/0/', 'latin1'), u32(1500)]))])])),
  icmp(11, 0, TIME_EXCEEDED_4884, Buffer.concat([probe(28, 128), ext([object(2, 0x84, Buffer.concat([u16(2), u16(0), Buffer.from([...Array(16).keys()])]))])])),
  icmp(11, 0, TIME_EXCEEDED_4884, Buffer.concat([probe(28, 128), ext([0, 1, 2, 3, 4].map((i) => object(2, 0x08, u32(i))))])),
  // An unknown class, an extended payload, a truncated stack; interface identification by name, index, address.
  icmp(11, 0, TIME_EXCEEDED_4884, Buffer.concat([probe(28, 128), ext([object(9, 3, u32(0x01020304)), object(0, 1, u32(0xdeadbeef)), object(1, 1, mpls(5, 1, 1, 9), 40)])])),
  icmp(11, 0, TIME_EXCEEDED_4884, Buffer.concat([probe(28, 128), ext([object(3, 1, Buffer.from('eth0')), object(3, 2, u32(3)), object(3, 3, Buffer.concat([u16(1), Buffer.from([4, 0, 10, 1, 2, 3])]))])])),
  // Checksums: wrong, absent; an unsupported version; an object shorter than its header.
  icmp(11, 0, TIME_EXCEEDED_4884, Buffer.concat([probe(28, 128), ext([stack], { checksum: 0x1234 })])),
  icmp(11, 0, TIME_EXCEEDED_4884, Buffer.concat([probe(28, 128), ext([stack], { checksum: 0 })])),
  icmp(11, 0, TIME_EXCEEDED_4884, Buffer.concat([probe(28, 128), ext([stack], { version: 3 })])),
  icmp(11, 0, TIME_EXCEEDED_4884, Buffer.concat([probe(28, 128), ext([object(1, 1, mpls(22, 0, 1, 1), 2)])])),
  // A quote cut to its RFC 4884 length (the datagram was longer), and a long plain quote (no extensions).
  icmp(3, 3, Buffer.from([0, 8, 0, 0]), Buffer.concat([probe(200, 32), ext([stack])])),
  icmp(11, 0, Buffer.alloc(4), probe(28, 140)),
  // The header around the length: fragmentation needed (MTU), parameter problems with and without it; a redirect.
  icmp(3, 4, Buffer.from([0, 32, 0x05, 0xdc]), Buffer.concat([probe(28, 128), ext([stack])])),
  icmp(12, 0, Buffer.from([8, 32, 0, 0]), Buffer.concat([probe(28, 128), ext([stack])])),
  icmp(12, 0, Buffer.from([8, 0, 0, 0]), probe()),
  icmp(5, 1, Buffer.from([10, 0, 0, 254]), probe(28, 60)),
  // A Mobile IP agent advertisement: agent advertisement (one care-of address), challenge, prefix lengths, padding, unknown.
  icmp(9, 16, Buffer.from([1, 2, 0, 200]), Buffer.concat([Buffer.from([192, 168, 144, 2]), u32(0x80000000),
    Buffer.from([16, 10]), u16(5), u16(200), u16(0x3000), Buffer.from([192, 168, 144, 2]),
    Buffer.from([24, 4, 1, 2, 3, 4]), Buffer.from([19, 1, 24]), Buffer.from([0]), Buffer.from([99, 6, 1, 2, 3, 4, 5, 6])])),
  // Timestamps: big endian, little endian, both plausible, the top bit set.
  icmp(13, 0, Buffer.from([0, 1, 0, 1]), Buffer.concat([u32(16131171), u32(0), u32(0)])),
  icmp(14, 0, Buffer.from([0, 1, 0, 1]), Buffer.concat([u32(16131171), Buffer.from([0x40, 0x42, 0x0f, 0x00]), u32(0x80000005)])),
  icmp(14, 0, Buffer.from([0, 1, 0, 2]), Buffer.concat([u32(1000), u32(0x01000000), u32(86399999)])),
];

// ICMPv6 (RFC 4884 lengths in 8-byte units): from 2001:db8::1 to 2001:db8::2, a quoted UDP probe (checksum 0).
const V6_SRC = Buffer.from('20010db8000000000000000000000001', 'hex'), V6_DST = Buffer.from('20010db8000000000000000000000002', 'hex');
function frame6(type: number, code: number, word: Buffer, body: Buffer): Buffer {
  const icmp6 = Buffer.concat([Buffer.from([type, code, 0, 0]), word, body]);
  const pseudo = Buffer.concat([V6_SRC, V6_DST, u32(icmp6.length), u32(58)]);
  icmp6.writeUInt16BE(~internetChecksum(Buffer.concat([pseudo, icmp6])) & 0xffff, 2);
  return Buffer.concat([ETH.subarray(0, 12), u16(0x86dd), u32(0x60000000), u16(icmp6.length), Buffer.from([58, 64]), V6_SRC, V6_DST, icmp6]);
}
const probe6 = (padTo: number) => {
  const q = Buffer.concat([u32(0x60000000), u16(8), Buffer.from([17, 1]), V6_DST, Buffer.from('20010db8000000000000000000000003', 'hex'), u16(1000), u16(33434), u16(8), u16(0)]);
  return Buffer.concat([q, Buffer.alloc(Math.max(0, padTo - q.length))]);
};
const v6: Buffer[] = [
  // Time exceeded and destination unreachable with a length and extensions; without one; unknown codes; a length past the end.
  frame6(3, 0, Buffer.from([16, 0, 0, 0]), Buffer.concat([probe6(128), ext([stack])])),
  frame6(1, 4, Buffer.from([6, 0, 0, 0]), Buffer.concat([probe6(48), ext([object(2, 0x48, Buffer.concat([u32(9), u32(1280)]))])])),
  frame6(1, 4, Buffer.alloc(4), probe6(48)),
  frame6(1, 9, Buffer.alloc(4), probe6(48)),
  frame6(3, 7, Buffer.alloc(4), probe6(48)),
  frame6(3, 0, Buffer.from([32, 0, 0, 0]), probe6(48)),
];

const packets = [...messages.map(frame), ...v6];
// One more: a snaplen that cuts the extensions (their checksum cannot be verified).
const cut = frame(icmp(11, 0, TIME_EXCEEDED_4884, Buffer.concat([probe(28, 128), ext([object(1, 1, Buffer.concat([mpls(22, 0, 1, 1), mpls(23, 0, 1, 1)]))])])));

const file = join(dir, 'icmp-extensions.pcap');
writeFileSync(file, pcapFile([
  ...packets.map((data, i) => ({ sec: 1700000000 + i * 3607, frac: 123456, data })),
  { sec: 1700100000, frac: 0, data: cut.subarray(0, cut.length - 6), origLen: cut.length },
]));

const ICMP: TextProtocolCheck = {
  titles: ['Internet Control Message Protocol'],
  fields: [
    'frame.protocols', 'icmpv6.code', 'icmpv6.length', 'icmpv6.reserved', 'udp.checksum.status', 'icmp.ext', 'icmp.ext.version', 'icmp.ext.res', 'icmp.ext.checksum', 'icmp.ext.checksum.status', 'icmp.ext.length', 'icmp.ext.class',
    'icmp.ext.ctype', 'icmp.ext.data', 'icmp.mpls.label', 'icmp.mpls.exp', 'icmp.mpls.s', 'icmp.mpls.ttl', 'icmp.mpls.data',
    'icmp.int_info.role', 'icmp.int_info.ifindex', 'icmp.int_info.ipaddr', 'icmp.int_info.ipv4', 'icmp.int_info.ipv6', 'icmp.int_info.name',
    'icmp.int_info.mtu', 'icmp.int_ident.name', 'icmp.int_ident.afi', 'icmp.int_ident.ipv4', 'icmp.unused', 'icmp.length', 'icmp.mtu',
    'icmp.mip.type', 'icmp.mip.flags', 'icmp.mip.h', 'icmp.mip.reserved', 'icmp.mip.coa', 'icmp.mip.prefixlength', 'icmp.mip.challenge',
    'icmp.originate_timestamp', 'icmp.receive_timestamp', 'udp.dstport', '_ws.expert.message',
  ],
  filters: [
    'icmp.ext', 'icmp.mpls.label == 1000', 'icmp.mpls.s == 0', 'icmp.ext.checksum.status == 0', 'icmp.ext.class == 2', 'icmp.int_info.ipv4 == 192.0.2.1',
    'icmp.int_info.name == "ge-0/0/"', 'icmpv6.length', 'icmpv6.code == 9', 'icmp.mip.h', 'icmp.mip.coa == 192.168.144.2', 'icmp.unused', 'udp', '_ws.malformed',
  ],
};

describe('read: ICMP extensions, quotes and timestamps as tshark shows them', () => {
  it('RFC 4884 objects, the quote around them, Mobile IP extensions, timestamps', () => expectLikeTshark(file, ICMP, packets.length + 1));
});

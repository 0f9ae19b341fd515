// Whole packet-details text, line for line, on captures that each differed from tshark -V in a
// line or a few (ICMPv6 ND options, the Ethernet trailer after a malformed payload, a
// jumbogram's payload length, tcp_dissect_pdus' PDU sizes, the analysis of a SYN seen after its
// SYN-ACK), and on ND options written here: every option type packet-icmpv6.c 4.0 reads (but
// CGA and X.509 names and certificates), tshark's slips included, as tshark shows them. A
// capture of the first kind that changes shows here; the big list is full-tree.diff.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pseudoHeaderChecksum } from '../app/dissect/checksum.js';
import { corpusPath } from './helpers/corpus.js';
import { pcapFile } from './helpers/pcap-build.js';
import { expectLikeTshark, ours, type TextProtocolCheck } from './helpers/text-protocol-diff.js';
import { tsharkVerbose } from './helpers/tshark-verbose.js';

const IDENTICAL = [
  'pcapplusplus/one_tcp_stream_fin_rst_close_packet.pcap',
  'tcpdump/dns_tcp.pcap',
  'tcpdump/icmp-icmp_print-oobr-1.pcap',
  'tcpdump/icmpv6.pcap',
  'tcpdump/ipv6_frag6_negative_len.pcap',
  'tcpdump/ipv6_jumbogram_1.pcap',
  'zeek/ipv6-http-atomic-frag.pcap',
  'zeek/tcp/handshake-reorder.pcap',
];

/** `synscope read FILE -V` equals `tshark -n -r FILE -V`, every line. */
async function expectSameTree(file: string): Promise<void> {
  const theirs = tsharkVerbose(file).stdout;
  expect((await ours(file, ['-V'])).split('\n')).toEqual(theirs.split('\n'));
}

describe('read -V: captures with a line or a few of their own', () => {
  for (const rel of IDENTICAL) it(rel, () => expectSameTree(corpusPath(rel)));
});

const dir = mkdtempSync(join(tmpdir(), 'synscope-small-tree-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const u16 = (v: number) => Buffer.from([v >> 8, v & 0xff]);
const u32 = (v: number) => Buffer.from([v >>> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff]);
const hex = (s: string) => Buffer.from(s.replace(/\s/g, ''), 'hex');
const ip6 = (last: number) => Buffer.concat([hex('20010db8000000000000000000000000').subarray(0, 15), Buffer.from([last])]);
const SRC = hex('fe800000000000000000000000000001'), DST = hex('ff020000000000000000000000000001');
/** Ethernet + IPv6 (hop limit 255) around an ICMPv6 message; checksum filled in. */
function frame6(type: number, code: number, body: Buffer): Buffer {
  const icmp6 = Buffer.concat([Buffer.from([type, code, 0, 0]), body]);
  icmp6.writeUInt16BE(pseudoHeaderChecksum(SRC, DST, icmp6.length, 58, icmp6), 2);
  return Buffer.concat([hex('333300000001000102030405'), u16(0x86dd), u32(0x60000000), u16(icmp6.length), Buffer.from([58, 255]), SRC, DST, icmp6]);
}
/** An option: type, its body (padded with zeros to a multiple of 8 unless `len` says otherwise). */
function opt(type: number, body: Buffer, len?: number): Buffer {
  const size = Math.ceil((body.length + 2) / 8) * 8;
  return Buffer.concat([Buffer.from([type, len ?? size / 8]), body, Buffer.alloc(size - 2 - body.length)]);
}
const RA = (...opts: Buffer[]) => frame6(134, 0, Buffer.concat([hex('40000708 00000000 00000000'), ...opts]));
const dnsName = (n: string) => Buffer.concat([...n.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])), Buffer.from([0])]);

const ndPackets: Buffer[] = [
  // NBMA shortcut limit (tshark reads a byte short: Unknown Data), advertisement interval, home agent information.
  RA(opt(6, hex('05 00 00000000')), opt(7, hex('0000 00001388')), opt(8, hex('0000 8001 0e10'))),
  // Source and target address lists.
  RA(opt(9, Buffer.concat([Buffer.alloc(6), ip6(1), ip6(2)])), opt(10, Buffer.concat([Buffer.alloc(6), ip6(3)]))),
  // SEND (RFC 3971): RSA signature, timestamp (48.16 fixed point), nonce.
  RA(opt(12, Buffer.concat([Buffer.alloc(2), Buffer.alloc(16, 0xab), hex('01020304')])), opt(13, Buffer.concat([Buffer.alloc(6), hex('00005f5e1000 8000')])), opt(14, hex('0102030405060708090a0b0c0d0e'))),
  // Fast handovers (RFC 5568): IP address/prefix, new router prefix, link-layer address; NA acknowledgments.
  RA(opt(17, Buffer.concat([hex('01 40 00000000'), ip6(9)])), opt(18, Buffer.concat([hex('02 30 00000000'), ip6(10)])), opt(19, hex('03 0a0b0c0d0e0f'))),
  RA(opt(20, Buffer.concat([hex('01 02'), ip6(11), Buffer.alloc(4)])), opt(20, hex('01 00 00000000'))),
  // MAP (RFC 5380); route information without, with half and with a whole prefix; then a length it does not know.
  RA(opt(23, Buffer.concat([hex('15 80 00000e10'), ip6(12)])), opt(24, hex('00 08 00001c20')), opt(24, Buffer.concat([hex('40 18 ffffffff'), ip6(13).subarray(0, 8)])), opt(24, Buffer.concat([hex('80 00 0000012c'), ip6(14)]))),
  RA(opt(24, Buffer.concat([hex('30 10 00000001'), Buffer.alloc(24)]), 4)),
  // RDNSS lifetimes with names (zero, infinity), the RA flags extension.
  RA(opt(25, Buffer.concat([hex('0000 00000000'), ip6(20)])), opt(25, Buffer.concat([hex('0000 ffffffff'), ip6(21)])), opt(26, hex('c000 00000000'))),
  // Handover key request and reply, assist information, mobile node identifier: tshark's padding slips.
  RA(opt(27, Buffer.concat([hex('02 30'), hex('aabbccdd'), Buffer.alloc(2)]))),
  RA(opt(28, Buffer.concat([hex('02 30 0e10'), hex('aabb'), Buffer.alloc(2)]))),
  RA(opt(29, Buffer.concat([hex('01 03 414243')])), opt(30, Buffer.concat([hex('02 04 01020304')]))),
  // DNSSL, proxy signature, address registration, 6LoWPAN contexts, ABRO, 6CIO, captive portal, PREF64 (every PLC).
  RA(opt(31, Buffer.concat([hex('0000 ffffffff'), dnsName('a.example'), dnsName('b')]))),
  RA(opt(32, Buffer.concat([Buffer.alloc(2), Buffer.alloc(16, 0xcd), hex('0a0b0c0d')]))),
  RA(opt(33, hex('00 000000 0005 0011223344556677')), opt(33, hex('02 000000 0000 0011223344556677'))),
  RA(opt(34, hex('30 11 0000 0010')), opt(34, Buffer.concat([hex('40 12 0000 0010'), ip6(30).subarray(0, 8)])), opt(34, Buffer.concat([hex('80 13 0000 0010'), ip6(31)]))),
  RA(opt(35, Buffer.concat([hex('0001 0002 0003'), ip6(40)])), opt(36, hex('0001 00000000')), opt(37, Buffer.from('https://portal.example/'))),
  RA(...[0, 1, 2, 3, 4, 5, 6].map((plc) => opt(38, Buffer.concat([u16((600 << 3) | plc), hex('0064ff9b0000000000000000')])))),
  // An option tshark does not know; an FQDN trust anchor and a non-X.509 certificate; an MTU option too long.
  RA(opt(99, hex('0102030405 06'))),
  RA(opt(15, Buffer.concat([hex('02 03'), Buffer.from('ta.ex'), Buffer.alloc(3)])), opt(16, hex('02 00 01020304'))),
  RA(opt(5, hex('0000 000005dc 01020304 05060708')), opt(7, hex('0000 00000064'))),
  // Link-layer addresses: an EUI-64 in a solicitation, an address of another size, a target's in a redirect with the redirected packet.
  frame6(133, 0, Buffer.concat([Buffer.alloc(4), opt(1, hex('0011223344556677 000000000000')), opt(2, hex('0a0b0c0d0e0f1011'))])),
  frame6(135, 0, Buffer.concat([Buffer.alloc(4), ip6(50), opt(1, hex('0a0b0c0d0e0f10111213')), opt(2, hex('0011223344556677 000000000000'))])),
  frame6(137, 0, Buffer.concat([Buffer.alloc(4), ip6(51), ip6(52), opt(2, hex('020000000001')), opt(4, Buffer.concat([Buffer.alloc(6), hex('6000000000081140'), ip6(52), ip6(53), hex('d431 0035 0008 0000')]))])),
  frame6(137, 0, Buffer.concat([Buffer.alloc(4), ip6(51), ip6(52), opt(4, Buffer.alloc(6))])),
  // A zero length ends the options.
  RA(opt(25, Buffer.concat([hex('0000 00000e10'), ip6(60)])), hex('1f00 0000 0000 0000')),
  // An MLDv2 query with the S flag and a QRV.
  frame6(130, 0, hex('2710 0000 ff020000000000000000000000000001 0f 3c 0000')),
];

const file = join(dir, 'nd-options.pcap');
writeFileSync(file, pcapFile(ndPackets.map((data, i) => ({ sec: 1700000000 + i, frac: 0, data }))));

const ND: TextProtocolCheck = {
  titles: ['Internet Control Message Protocol v6'],
  fields: [
    'icmpv6.opt.type', 'icmpv6.opt.length', 'icmpv6.opt.rdnss', 'icmpv6.opt.rdnss.lifetime', 'icmpv6.opt.dnssl', 'icmpv6.opt.route_lifetime',
    'icmpv6.opt.route_info.flag.route_preference', 'icmpv6.opt.aro.eui64', 'icmpv6.opt.linkaddr_eui64', 'icmpv6.opt.timestamp',
    'icmpv6.opt.pref64.plc', 'icmpv6.opt.pref64.prefix', 'icmpv6.opt.map.distance', 'icmpv6.opt.efo.prf', 'icmpv6.opt.6co.flag.cid',
    'icmpv6.opt.hkr.lifetime', 'icmpv6.opt.home_agent_lifetime', 'icmpv6.unknown_data', 'icmpv6.data', 'icmpv6.opt.padding',
    'icmpv6.mld.flag.s', 'icmpv6.mld.flag.qrv', 'udp.dstport', '_ws.expert.message',
  ],
  filters: ['icmpv6.opt.rdnss', 'icmpv6.unknown_data', 'icmpv6.opt.dnssl == "b"', 'icmpv6.opt.route_lifetime == 300', 'icmpv6.opt.padding', '_ws.malformed', 'icmpv6.opt.src_linkaddr_eui64', 'udp'],
};

describe('read: ICMPv6 Neighbor Discovery options as tshark shows them', () => {
  it('the whole -V text', () => expectSameTree(file));
  it('the ICMPv6 part, columns, fields and filters', () => expectLikeTshark(file, ND, ndPackets.length));
});

// DHCPv6 as tshark 4.0 shows it: the DHCPv6 subtree of every packet's -V tree (message header,
// relay header and the relayed message nested inside it, each option's name/type/length lines
// and value), Protocol/Info and frame.protocols, DHCPv6's fields with -T fields, and display
// filters' packet sets. On the corpus capture with DHCPv6 (two Solicits) and on frames written
// here: every message type, relays nested two deep, the DUID types, IA_NA/IA_TA/IA_PD with
// their addresses, prefixes and status codes, the other options, an unknown option and message
// type, options too short for their value (tshark's "NAME: malformed option" notes), an option
// length past the end, a cut option header and relay headers cut short, the Client FQDN flags
// in client and server messages and in message types that may not carry it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { corpusPath } from './helpers/corpus.js';
import { pcapFile } from './helpers/pcap-build.js';
import { expectLikeTshark, expectSameFilterSets, onlyPackets, type TextProtocolCheck } from './helpers/text-protocol-diff.js';

const FILTERS = [
  'dhcpv6', 'dhcpv6.msgtype == 1', 'dhcpv6.msgtype == 12', 'dhcpv6.option.type == 3', 'dhcpv6.duid.type == 2', 'dhcpv6.duid.type',
  'dhcpv6.iaaddr.ip == 2001:db8::5', 'dhcpv6.requested_option_code == 23', 'dhcpv6.elapsed_time > 50', 'dhcpv6.status_code == 6',
  'dhcpv6.hopcount == 1', 'dhcpv6.vendorclass.enterprise == 311',
];
const DHCPV6: TextProtocolCheck = {
  titles: ['DHCPv6'],
  fields: [
    'dhcpv6.msgtype', 'dhcpv6.hopcount', 'dhcpv6.xid', 'dhcpv6.linkaddr', 'dhcpv6.peeraddr', 'dhcpv6.option.type', 'dhcpv6.option.length',
    'dhcpv6.duid.bytes', 'dhcpv6.duid.type', 'dhcpv6.duidllt.hwtype', 'dhcpv6.duidllt.time', 'dhcpv6.duidllt.link_layer_addr',
    'dhcpv6.duiden.enterprise', 'dhcpv6.duiden.identifier', 'dhcpv6.duidll.hwtype', 'dhcpv6.duidll.link_layer_addr', 'dhcpv6.duiduuid.bytes',
    'dhcpv6.iaid', 'dhcpv6.iata', 'dhcpv6.iaid.t1', 'dhcpv6.iaid.t2', 'dhcpv6.iaaddr.ip', 'dhcpv6.iaaddr.pref_lifetime',
    'dhcpv6.iaaddr.valid_lifetime', 'dhcpv6.iaprefix.pref_lifetime', 'dhcpv6.iaprefix.valid_lifetime', 'dhcpv6.iaprefix.pref_len',
    'dhcpv6.iaprefix.pref_addr', 'dhcpv6.requested_option_code', 'dhcpv6.option_preference', 'dhcpv6.elapsed_time', 'dhcpv6.auth.protocol',
    'dhcpv6.auth.algorithm', 'dhcpv6.auth.rdm', 'dhcpv6.auth.replay_detection', 'dhcpv6.auth.info', 'dhcpv6.unicast', 'dhcpv6.status_code',
    'dhcpv6.status_msg', 'dhcpv6.userclass.length', 'dhcpv6.userclass.opaque_data', 'dhcpv6.vendorclass.enterprise', 'dhcpv6.vendorclass.data',
    'dhcpv6.vendoropts.enterprise', 'dhcpv6.vendoropts.enterprise.option_code', 'dhcpv6.vendoropts.enterprise.option_length',
    'dhcpv6.vendoropts.enterprise.option_data', 'dhcpv6.interface_id', 'dhcpv6.reconf_msg', 'dhcpv6.sip_server_a', 'dhcpv6.dns_server',
    'dhcpv6.search_list_entry', 'dhcpv6.sntp_server', 'dhcpv6.lifetime', 'dhcpv6.client_fqdn_flags', 'dhcpv6.clientfqdn.client.n',
    'dhcpv6.clientfqdn.client.s', 'dhcpv6.client_domain', 'dhcpv6.clientfqdn.server.n', 'dhcpv6.clientfqdn.server.o', 'dhcpv6.clientfqdn.server.s', 'dhcpv6.tld', 'dhcpv6.clientfqdn.bad_msgtype', 'dhcpv6.bad_msgtype', 'dhcpv6.sip_server_domain_search_fqdn', 'dhcpv6.remoteid.enterprise',
    'dhcpv6.remoteid_enterprise_id', 'dhcpv6.subscriber_id', 'dhcpv6.timezone', 'dhcpv6.tzdb', 'dhcpv6.ntpserver.option.type',
    'dhcpv6.ntpserver.option.length', 'dhcpv6.ntpserver.addr', 'dhcpv6.ntpserver.mc_addr', 'dhcpv6.ntpserver.fqdn',
  ],
  filters: FILTERS,
};

const dir = mkdtempSync(join(tmpdir(), 'synscope-dhcpv6-'));

/** The corpus captures with DHCPv6; their other packets go to protocols compared elsewhere. */
const CORPUS = ['pcapplusplus/many-protocols.pcap'];

// ---- frames written here ----

type Bytes = readonly number[];
const u16 = (v: number): number[] => [(v >> 8) & 255, v & 255];
const u32 = (v: number): number[] => [...u16(v >>> 16), ...u16(v & 0xffff)];
const str = (s: string): number[] => [...Buffer.from(s, 'latin1')];
const opt = (code: number, v: Bytes): number[] => [...u16(code), ...u16(v.length), ...v];
const ip6 = (last: number): number[] => [0x20, 0x01, 0x0d, 0xb8, ...Array<number>(11).fill(0), last];
const LINK_LOCAL = [0xfe, 0x80, ...Array<number>(13).fill(0), 1];
/** A client/server message: type, 24-bit transaction ID, options. */
const msg = (type: number, xid: number, opts: readonly Bytes[]): number[] => [type, ...u32(xid).slice(1), ...opts.flat()];
/** A relay message: type, hop count, link and peer address, options. */
const relay = (type: number, hops: number, link: Bytes, peer: Bytes, opts: readonly Bytes[]): number[] => [type, hops, ...link, ...peer, ...opts.flat()];
/** RFC 1035 names, uncompressed. */
const dom = (...names: string[]): number[] => names.flatMap((n) => [...n.split('.').flatMap((l) => [l.length, ...str(l)]), 0]);

const CID_LLT = opt(1, [0, 1, 0, 1, ...u32(0x141281f8), 0x6c, 0xf0, 0x49, 0xb2, 0xde, 0x6e]);
const SID_EN = opt(2, [0, 2, ...u32(311), 1, 2, 3, 4, 5, 6]);
const CID_LL = opt(1, [0, 3, 0, 1, 0, 0x11, 0x22, 0x33, 0x44, 0x55]);
const SID_UUID = opt(2, [0, 4, ...Array.from({ length: 16 }, (_, i) => i * 17)]);
const status = (c: number, m: string) => opt(13, [...u16(c), ...str(m)]);
const iaaddr = (last: number, extra: readonly Bytes[] = []) => opt(5, [...ip6(last), ...u32(3600), ...u32(7200), ...extra.flat()]);
const iaprefix = (len: number, extra: readonly Bytes[] = []) =>
  opt(26, [...u32(3600), ...u32(7200), len, 0x20, 1, 0xd, 0xb8, 0, 1, ...Array<number>(10).fill(0), ...extra.flat()]);
const IA_NA = opt(3, [...u32(0x0e6cf049), ...u32(1800), ...u32(2880), ...iaaddr(5, [status(0, 'ok')])]);
const IA_TA = opt(4, [...u32(7), ...iaaddr(9)]);
const IA_PD = opt(25, [...u32(8), ...u32(1800), ...u32(2880), ...iaprefix(56, [status(6, 'no prefix')])]);
const ORO = opt(6, [...u16(23), ...u16(24), ...u16(31), ...u16(56), ...u16(82), ...u16(1234)]);
const AUTH = (rd: number, info: Bytes) => opt(11, [3, 1, 0, ...u32(0), ...u32(rd), ...info]);

const MESSAGES: number[][] = [
  // Every client option: DUID-LLT, elapsed time, the three IAs, the option request, rapid commit, user/vendor class, FQDN, reconfigure accept.
  msg(1, 0x3a4267, [
    CID_LLT, opt(8, u16(100)), IA_NA, IA_TA, IA_PD, ORO, opt(14, []), opt(15, [...u16(4), ...str('abcd'), ...u16(2), ...str('xy')]),
    opt(16, [...u32(311), ...u16(8), ...str('MSFT 5.0')]), opt(39, [0x01, ...dom('host.example.com')]), opt(20, []),
  ]),
  // Server options: DUID-EN, DUID-LL, preference, unicast, DNS, search list, SIP, SNTP, information refresh time, SOL_MAX_RT, vendor options.
  msg(2, 0x123456, [
    SID_EN, CID_LL, opt(7, [200]), opt(12, ip6(1)), IA_NA, opt(23, [...ip6(0x53), ...ip6(0x54)]), opt(24, dom('example.com', 'corp.example.com')),
    opt(22, ip6(0x7b)), opt(31, ip6(0x7c)), opt(32, u32(86400)), opt(82, u32(7200)), opt(17, [...u32(9), ...u16(1), ...u16(3), 1, 2, 3]),
  ]),
  msg(3, 1, [CID_LLT, SID_UUID, IA_NA, AUTH(0x111, [0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb])]),
  msg(4, 2, [CID_LLT, IA_NA]),
  msg(5, 3, [CID_LLT, SID_EN, IA_PD]),
  msg(6, 4, [CID_LLT, IA_NA]),
  msg(7, 5, [SID_EN, CID_LLT, IA_NA, status(0, 'All good'), opt(14, [])]),
  msg(8, 6, [CID_LLT, SID_EN, IA_NA]),
  msg(9, 7, [CID_LLT, SID_EN, IA_NA]),
  msg(10, 8, [SID_EN, CID_LLT, opt(19, [5]), AUTH(0x200, Array.from({ length: 15 }, (_, i) => i + 1))]),
  msg(11, 9, [CID_LL, opt(6, [...u16(23), ...u16(24)]), opt(8, u16(0))]),
  relay(12, 0, ip6(0x10), LINK_LOCAL, [opt(18, str('eth0')), opt(9, msg(1, 0xabcdef, [CID_LLT, opt(8, u16(0))]))]),
  // Relays two deep, each way.
  relay(12, 1, ip6(0x20), ip6(0x10), [opt(18, str('ge-0/0/1')), opt(9, relay(12, 0, ip6(0x10), LINK_LOCAL, [opt(9, msg(1, 0xabcdef, [CID_LLT]))]))]),
  relay(13, 1, ip6(0x20), ip6(0x10), [opt(18, str('ge-0/0/1')), opt(9, relay(13, 0, ip6(0x10), LINK_LOCAL, [opt(9, msg(7, 0xabcdef, [SID_EN, CID_LLT, IA_NA]))]))]),
  // An unknown option, then an IA_NA too short for its header.
  msg(1, 0x11, [CID_LLT, opt(999, [1, 2, 3]), opt(3, [1, 2, 3])]),
  // An option length past the end of the message; a cut option header.
  msg(1, 0x12, [CID_LLT, [...u16(8), ...u16(10), 0, 1]]),
  msg(1, 0x13, [CID_LLT, [0, 3]]),
  // Short DUIDs (a known type and an unknown one), status code, elapsed time and preference.
  msg(7, 0x14, [opt(1, [0, 1, 0, 1]), opt(2, [0, 9, 1, 2]), opt(13, [0]), opt(8, [1]), opt(7, [])]),
  // NTP server suboptions, SIP domain list, INF_MAX_RT, remote/subscriber ID, time zones, two vendor-class-data (tshark shows the first).
  msg(2, 0x16, [
    SID_EN, opt(56, [...opt(1, ip6(0x99)), ...opt(2, ip6(0x98)), ...opt(3, dom('ntp.example.com')), ...opt(7, [1])]),
    opt(21, dom('sip.example.com', 'sip2.example.com')), opt(83, u32(3600)), opt(82, u32(600)), opt(37, [...u32(9), 1, 2, 3]), opt(38, str('sub1')),
    opt(41, str('EST5EDT')), opt(42, str('Europe/Zurich')), opt(16, [...u32(311), ...u16(3), ...str('abc'), ...u16(2), ...str('de')]),
  ]),
  // Options too short for their values, an odd-length option request, a user class suboption too long.
  msg(7, 0x17, [
    opt(3, [...u32(1), ...u32(2), ...u32(3), ...opt(5, ip6(1))]), opt(4, [1, 2]), opt(25, [1, 2, 3, 4, 5]),
    opt(25, [...u32(1), ...u32(2), ...u32(3), ...opt(26, [1, 2, 3])]), opt(32, [1]), opt(19, []), opt(12, [1, 2, 3]), opt(11, [1, 2, 3]),
    opt(16, [1]), opt(17, [1, 2]), opt(6, [0, 1, 2]), opt(15, [0, 9, 1]),
  ]),
  // A relayed message of an unknown type; a relayed relay header cut short; a relay header cut short.
  relay(12, 0, ip6(0x10), ip6(0x11), [opt(37, [...u32(9), 1, 2, 3]), opt(9, [99, 1, 2, 3])]),
  relay(12, 0, ip6(0x10), ip6(0x11), [opt(9, [12, 1, 2, 3])]),
  [12, 0, 1, 2],
  msg(99, 0x15, [opt(1, [0, 2, 0, 0, 1])]),
  // Client FQDN flags 0-7 in a client's message (N, S) and a server's (N, O, S), a single-label name, an empty domain field.
  ...[1, 7].flatMap((type) => [0, 1, 2, 3, 4, 5, 6, 7].map((f) => msg(type, 0x20 + f, [opt(39, [f, ...dom(f % 2 ? 'host' : 'host.example.org')])]))),
  msg(1, 0x30, [opt(39, [0])]),
  // Client FQDN where RFC 4704 does not allow it (tshark says so instead of decoding it).
  msg(4, 0x31, [opt(39, [0, ...dom('a.b')])]),
  msg(11, 0x32, [opt(39, [2])]),
  // A DNS server list that is not a multiple of 16 bytes; strings with text after a NUL; a DUID of one byte.
  msg(7, 0x33, [opt(23, [...ip6(1), 1, 2]), status(2, 'no\0addr'), opt(41, str('UTC\0x')), opt(1, [0])]),
];

/** The one's-complement sum of `b` (16-bit big-endian words), folded. */
function sum16(b: Uint8Array, start = 0): number {
  let s = start;
  for (let i = 0; i < b.length; i += 2) s += (b[i]! << 8) | (b[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

/** An Ethernet/IPv6 frame from fe80::1 to ff02::1:2 with a UDP datagram (its checksum right) between `sport` and `dport`. */
function udp6Frame(sport: number, dport: number, payload: Bytes): Uint8Array {
  const udp = Buffer.from([...u16(sport), ...u16(dport), ...u16(8 + payload.length), 0, 0, ...payload]);
  const src = LINK_LOCAL, dst = [0xff, 2, ...Array<number>(11).fill(0), 1, 0, 2];
  const pseudo = Buffer.from([...src, ...dst, ...u32(udp.length), 0, 0, 0, 17]);
  const sum = ~sum16(udp, sum16(pseudo)) & 0xffff;
  udp.writeUInt16BE(sum === 0 ? 0xffff : sum, 6);
  const ip = [0x60, 0, 0, 0, ...u16(udp.length), 17, 64, ...src, ...dst];
  return Buffer.concat([Buffer.from([0x33, 0x33, 0, 1, 0, 2, 2, 0, 0, 0, 0, 1, 0x86, 0xdd, ...ip]), udp]);
}

/** Client messages go 546 -> 547, server messages and relay replies 547 -> 546. */
const fromServer = (type: number) => [2, 4, 6, 8, 10, 13].includes(type);
const WRITTEN = MESSAGES.map((m) => (fromServer(m[0]!) ? udp6Frame(547, 546, m) : udp6Frame(546, 547, m)));

describe('read: DHCPv6 as tshark shows it', () => {
  for (const rel of CORPUS) {
    it(`${rel}: every DHCPv6 packet's tree, columns, fields and filters`, async () => {
      await expectLikeTshark(onlyPackets(corpusPath(rel), 'dhcpv6', join(dir, rel.replace(/\W/g, '_'))), DHCPV6, 2);
    });

    it(`${rel}: the display filters select the same packets in the whole capture`, () => expectSameFilterSets(corpusPath(rel), FILTERS));
  }

  it('frames written here: every message type, relays two deep, every option, malformed and cut options', async () => {
    const file = join(dir, 'written.pcap');
    writeFileSync(file, pcapFile(WRITTEN.map((data, i) => ({ sec: i, frac: 0, data }))));
    await expectLikeTshark(
      file,
      {
        ...DHCPV6,
        filters: [
          ...FILTERS, '_ws.malformed', 'dhcpv6.option.type == 999', 'dhcpv6.duiduuid.bytes',
          'dhcpv6.iaprefix.pref_addr == 2001:db8:1::', 'dhcpv6.dns_server == 2001:db8::54', 'dhcpv6.search_list_entry == "corp.example.com."',
          'dhcpv6.linkaddr == 2001:db8::20', 'dhcpv6.clientfqdn.client.s', 'dhcpv6.ntpserver.fqdn contains "ntp"', 'dhcpv6.msgtype == 99',
        ],
      },
      WRITTEN.length,
    );
  });

  it('a capture cut inside an option (snaplen): the options before it, then tshark\'s verdict', async () => {
    const file = join(dir, 'cut.pcap');
    const whole = WRITTEN[0]!;
    writeFileSync(file, pcapFile([{ sec: 0, frac: 0, data: whole.subarray(0, 14 + 40 + 8 + 60), origLen: whole.length }]));
    await expectLikeTshark(file, { ...DHCPV6, filters: ['dhcpv6', '_ws.malformed', 'dhcpv6.iaid'] }, 1);
  });
});

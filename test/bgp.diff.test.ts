// BGP-4 (RFC 4271) on TCP 179 as tshark 4.0 shows it: the message header, OPEN with its
// capabilities, UPDATE with withdrawn routes, path attributes and NLRI, NOTIFICATION,
// KEEPALIVE and ROUTE-REFRESH, several messages in one segment and one message over two
// segments. On the corpus capture and on a capture written here for what the corpus lacks
// (IPv6 MP_REACH/MP_UNREACH, 4-octet AS paths, communities, graceful restart, a split message).
import { describe, it } from 'vitest';
import { corpusPath } from './helpers/corpus.js';
import { CaptureBuilder, writtenCaptures } from './helpers/tcp-session.js';
import { expectLikeTshark, type TextProtocolCheck } from './helpers/text-protocol-diff.js';

const BGP: TextProtocolCheck = {
  titles: ['Border Gateway Protocol'],
  fields: [
    'bgp.type', 'bgp.length', 'bgp.open.myas', 'bgp.open.holdtime', 'bgp.open.identifier', 'bgp.cap.type', 'bgp.cap.4as',
    'bgp.cap.mp.afi', 'bgp.update.path_attribute.type_code', 'bgp.update.path_attribute.origin',
    'bgp.update.path_attribute.as_path_segment.as4', 'bgp.update.path_attribute.next_hop', 'bgp.nlri_prefix', 'bgp.prefix_length',
    'bgp.withdrawn_prefix', 'bgp.mp_reach_nlri_ipv6_prefix', 'bgp.mp_unreach_nlri_ipv6_prefix',
    'bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv6', 'bgp.update.path_attribute.local_pref', 'bgp.nlri_path_id',
    'bgp.update.path_attribute.multi_exit_disc', 'bgp.update.path_attribute.community_as', 'bgp.update.path_attribute.community_wellknown',
    'bgp.notify.major_error', 'bgp.notify.minor_error_cease', 'bgp.notify.minor_error_open', 'bgp.notify.communication',
    'bgp.route_refresh.afi', 'bgp.route_refresh.subtype',
  ],
  filters: [
    'bgp', 'bgp.type == 2', 'bgp.type == 4', 'bgp.update.path_attribute.next_hop == 30.3.30.3', 'bgp.update.path_attribute.as_path_segment.as4 == 20',
    'bgp.update.path_attribute.flags.optional', 'bgp.cap.type == 65', 'bgp.notify.major_error == 6', 'bgp.withdrawn_prefix == 40.1.1.0',
    'bgp.mp_reach_nlri_ipv6_prefix == 2001:db8:1::', 'bgp.update.path_attribute.as_path_segment.as4 == 4200000001',
  ],
};

// ---- A small BGP writer for the messages below (RFC 4271 4) ----

const u16 = (n: number): number[] => [n >> 8, n & 255];
const u32 = (n: number): number[] => [n >>> 24, (n >> 16) & 255, (n >> 8) & 255, n & 255];
const message = (type: number, body: number[]): number[] => [...Array<number>(16).fill(0xff), ...u16(19 + body.length), type, ...body];
const cap = (code: number, value: number[]): number[] => [code, value.length, ...value];
const open = (as: number, id: number[], caps: number[][]): number[] => {
  const params = caps.flatMap((c) => [2, c.length, ...c]);
  return message(1, [4, ...u16(as), ...u16(90), ...id, params.length, ...params]);
};
const attr = (flags: number, code: number, value: number[]): number[] =>
  flags & 0x10 ? [flags, code, ...u16(value.length), ...value] : [flags, code, value.length, ...value];
const prefix = (bits: number, bytes: number[]): number[] => [bits, ...bytes.slice(0, Math.ceil(bits / 8))];
const update = (withdrawn: number[], attrs: number[][], nlri: number[]): number[] => {
  const a = attrs.flat();
  return message(2, [...u16(withdrawn.length), ...withdrawn, ...u16(a.length), ...a, ...nlri]);
};
const V6_1 = [0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const V6_2 = [0x20, 0x01, 0x0d, 0xb8, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const NH6 = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
const LL6 = [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];

function session(): CaptureBuilder {
  const c = new CaptureBuilder();
  const conn = c.connection({ addr: [10, 1, 0, 1], port: 40001 }, { addr: [10, 1, 0, 2], port: 179 }).open();
  const caps = [cap(1, [0, 2, 0, 1]), cap(65, u32(4200000001)), cap(64, [0x80, 120, 0, 2, 1, 0x80]), cap(69, [0, 1, 1, 3]), cap(2, []), cap(73, [4, ...Buffer.from('edge'), 0])];
  conn.fromClient(Uint8Array.from(open(23456, [10, 1, 0, 1], caps)));
  conn.fromServer(Uint8Array.from([...open(65001, [10, 1, 0, 2], [cap(1, [0, 1, 0, 1]), cap(65, u32(65001))]), ...message(4, [])]));
  // An IPv6 UPDATE with 4-octet AS paths, communities and a large community, split over two segments.
  const v6 = update([], [
    attr(0x40, 1, [0]),
    attr(0x50, 2, [2, 2, ...u32(4200000001), ...u32(65001)]),
    attr(0x80, 4, u32(100)),
    attr(0x40, 5, u32(200)),
    attr(0x40, 6, []),
    attr(0xc0, 7, [...u32(4200000001), 10, 1, 0, 1]),
    attr(0xc0, 8, [...u32(0xffffff01), ...u16(65001), ...u16(42)]),
    attr(0x90, 14, [0, 2, 1, 32, ...NH6, ...LL6, 0, ...prefix(48, V6_1), ...prefix(64, V6_2)]),
    attr(0x90, 15, [0, 2, 1, ...prefix(48, V6_2)]),
    attr(0xc0, 32, [...u32(4200000001), ...u32(1), ...u32(2)]),
  ], []);
  conn.fromClient(Uint8Array.from(v6.slice(0, 40)));
  conn.fromClient(Uint8Array.from(v6.slice(40)));
  // Two messages in one segment: an IPv4 UPDATE and a ROUTE-REFRESH.
  const v4 = update(prefix(24, [192, 0, 2, 0]), [attr(0x40, 1, [1]), attr(0x40, 2, [1, 2, ...u32(65001), ...u32(65002)]), attr(0x40, 3, [10, 1, 0, 1])], prefix(22, [198, 51, 100, 0]));
  // tshark guesses RFC 7911 path ids from the bytes: these NLRI read as path id 7 and 203.0.113.0/24.
  const v4AddPath = update([], [attr(0x40, 1, [0]), attr(0x40, 2, []), attr(0x40, 3, [10, 1, 0, 2])], [...u32(7), ...prefix(24, [203, 0, 113, 0]), ...u32(8), ...prefix(0, [])]);
  conn.fromServer(Uint8Array.from([...v4, ...message(5, [0, 2, 0, 1])]));
  conn.fromServer(Uint8Array.from(v4AddPath));
  conn.fromClient(Uint8Array.from(message(3, [2, 2, ...u16(65002)])));
  conn.fromServer(Uint8Array.from(message(3, [6, 2, 5, ...Buffer.from('bye!!')])));
  conn.close();
  return c;
}

const { capture } = writtenCaptures('synscope-bgp-', { 'bgp-session.pcap': session });

describe('BGP like tshark', () => {
  it('pcapplusplus/BgpPackets.pcap', async () => {
    await expectLikeTshark(corpusPath('pcapplusplus/BgpPackets.pcap'), BGP, 8);
  });
  it('a written session: IPv6 MP_REACH, 4-octet AS, communities, notifications, route refresh, a split message, two in one segment', async () => {
    await expectLikeTshark(capture('bgp-session.pcap'), BGP, 7);
  });
});

// Linux netlink (LINKTYPE_NETLINK 253) and rtnetlink as tshark 4.0 shows them: the netlink and
// route subtrees of every packet's -V tree (cooked header, each message's header with its flag
// lines, ifinfomsg/ifaddrmsg/rtmsg/ndmsg and each attribute's Len/Type/flag-bit lines and value),
// Protocol/Info and frame.protocols, fields with -T fields, and display filters' packet sets. On
// the corpus capture (a big-endian host's link messages) and on frames written here for what it
// lacks: address, route and neighbour messages, NLMSG_ERROR and NLMSG_DONE, several messages in
// a packet, legacy dump requests, odd attribute lengths, nested and network-byte-order types,
// messages and attributes whose length runs past the end, captures cut by the snaplen, a family
// tshark does not decode, and broken cooked headers.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusPath } from './helpers/corpus.js';
import { pcapFile, type BuiltRecord } from './helpers/pcap-build.js';
import { expectLikeTshark, ours, type TextProtocolCheck } from './helpers/text-protocol-diff.js';
import { tsharkVerbose } from './helpers/tshark-verbose.js';

const FILTERS = [
  'netlink', 'netlink-route', 'netlink.hdr_type == 2', 'netlink-route.nltype == 16', 'netlink-route.ifi_index == 2', 'netlink.attr_type',
  'netlink.attr_type.nested', 'netlink.hdr_flags.request == 1', 'netlink-route.ifla_ifname == "eth0.1"', 'netlink.family == 0',
  'netlink-route.ifla_linkstats.rxpackets > 10', 'netlink-route.ifla_operstate == 2',
];
const NETLINK: TextProtocolCheck = {
  titles: ['Linux netlink (cooked header)'],
  fields: [
    'netlink.hatype', 'netlink.family', 'netlink.hdr_len', 'netlink.hdr_type', 'netlink.hdr_flags', 'netlink.hdr_flags.request',
    'netlink.hdr_flags.multi', 'netlink.hdr_flags.ack', 'netlink.hdr_flags.dump_filtered', 'netlink.hdr_flags.root', 'netlink.hdr_flags.match',
    'netlink.hdr_flags.create', 'netlink.hdr_flags.excl', 'netlink.hdr_seq', 'netlink.hdr_pid', 'netlink.attr_len', 'netlink.attr_type',
    'netlink.attr_type.nested', 'netlink.attr_type.net_byteorder', 'netlink.attr_data', 'netlink.error',
    'netlink-route.nltype', 'netlink-route.ifi_family', 'netlink-route.ifi_type', 'netlink-route.ifi_index', 'netlink-route.ifi_flags',
    'netlink-route.ifi_flags.iff_up', 'netlink-route.ifi_change', 'netlink-route.ifla_attr_type', 'netlink-route.ifla_ifname',
    'netlink-route.ifla_mtu', 'netlink-route.ifla_txqlen', 'netlink-route.ifla_operstate', 'netlink-route.ifla_carrier', 'netlink-route.ifla_qdisc',
    'netlink-route.ifla_hwaddr', 'netlink-route.ifla_broadcast', 'netlink-route.ifla_map.mem_start', 'netlink-route.ifla_map.irq',
    'netlink-route.ifla_linkstats.rxpackets', 'netlink-route.ifla_linkstats.txbytes', 'netlink-route.ifla_linkstats.rx_errors.fifo_errs',
    'netlink-route.ifa_family', 'netlink-route.ifa_prefixlen', 'netlink-route.ifa_flags', 'netlink-route.ifa_scope', 'netlink-route.ifa_index',
    'netlink-route.ifa_attr_type', 'netlink-route.ifa_label', 'netlink-route.ifa_flags32', 'netlink-route.ifa_address.ipv4',
    'netlink-route.ifa_address.ipv6', 'netlink-route.rt_family', 'netlink-route.rt_dst_len', 'netlink-route.rt_table', 'netlink-route.rt_protocol',
    'netlink-route.rt_scope', 'netlink-route.rt_type', 'netlink-route.rt_flags', 'netlink-route.rta_attr_type', 'netlink-route.rta_iif',
    'netlink-route.rta_oif', 'netlink-route.nd_family', 'netlink-route.nd_index', 'netlink-route.nd_state', 'netlink-route.nd_flags',
    'netlink-route.nd_type', 'data.data',
  ],
  filters: FILTERS,
};

const dir = mkdtempSync(join(tmpdir(), 'synscope-netlink-'));
const CORPUS = 'pcapplusplus/microsecs_big_endian.pcap';

// ---- frames written here (little-endian host, as nlmon captures on x86) ----

const u16 = (v: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(v);
  return b;
};
const u32 = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
};
const bytes = (...v: number[]) => Buffer.from(v);

/** The 16-byte cooked header: ARPHRD_NETLINK (or `hatype`) and the netlink family, in network order. */
function cooked(family: number, hatype = 824): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt16BE(4, 0);
  b.writeUInt16BE(hatype, 2);
  b.writeUInt16BE(family, 14);
  return b;
}

/** An nlmsghdr and its payload; `len` overrides nlmsg_len; `big` writes a big-endian host's message. */
function msg(type: number, flags: number, seq: number, pid: number, body: Buffer, opts: { len?: number; big?: boolean } = {}): Buffer {
  const h = Buffer.alloc(16);
  const len = opts.len ?? 16 + body.length;
  if (opts.big) {
    h.writeUInt32BE(len >>> 0, 0);
    h.writeUInt16BE(type, 4);
    h.writeUInt16BE(flags, 6);
    h.writeUInt32BE(seq, 8);
    h.writeUInt32BE(pid, 12);
  } else {
    h.writeUInt32LE(len >>> 0, 0);
    h.writeUInt16LE(type, 4);
    h.writeUInt16LE(flags, 6);
    h.writeUInt32LE(seq, 8);
    h.writeUInt32LE(pid, 12);
  }
  return Buffer.concat([h, body]);
}

/** An rtattr padded to 4 bytes; `len` overrides rta_len. */
function attr(type: number, value: string | Buffer, opts: { len?: number; big?: boolean } = {}): Buffer {
  const v = typeof value === 'string' ? Buffer.from(value, 'latin1') : value;
  const h = Buffer.alloc(4);
  const len = opts.len ?? 4 + v.length;
  if (opts.big) {
    h.writeUInt16BE(len, 0);
    h.writeUInt16BE(type, 2);
  } else {
    h.writeUInt16LE(len, 0);
    h.writeUInt16LE(type, 2);
  }
  return Buffer.concat([h, v, Buffer.alloc((4 - (v.length % 4)) % 4)]);
}

const ifinfomsg = (family: number, type: number, index: number, flags: number, change: number) => Buffer.concat([bytes(family, 0), u16(type), u32(index), u32(flags), u32(change)]);
const ifaddrmsg = (family: number, prefix: number, flags: number, scope: number, index: number) => Buffer.concat([bytes(family, prefix, flags, scope), u32(index)]);
const rtmsg = (family: number, dst: number, src: number, tos: number, table: number, proto: number, scope: number, type: number, flags: number) =>
  Buffer.concat([bytes(family, dst, src, tos, table, proto, scope, type), u32(flags)]);
const ndmsg = (family: number, index: number, state: number, flags: number, type: number) => Buffer.concat([bytes(family, 0, 0, 0), u32(index), u16(state), bytes(flags, type)]);
/** An RTM_NEWLINK for an Ethernet device with `attrs`. */
const link = (...attrs: Buffer[]) => msg(16, 0, 1, 0, Buffer.concat([ifinfomsg(0, 1, 7, 0x11043, 0), ...attrs]));
const nl = (family: number, ...msgs: Buffer[]) => Buffer.concat([cooked(family), ...msgs]);

const stats64 = Buffer.alloc(184);
stats64.writeUInt32LE(3, 0);
stats64.writeUInt32LE(0x10, 28);
const stats32 = Buffer.alloc(92);
stats32.writeUInt32LE(9, 4);
const ifmap = Buffer.concat([Buffer.alloc(8, 0x11), Buffer.alloc(8, 0x22), Buffer.alloc(8, 0x33), u16(5), bytes(6, 7), Buffer.alloc(4)]);
const v6 = bytes(0xfe, 0x80, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8);

const WRITTEN: Buffer[] = [
  // A dump request (GET and NEW flag names both), a NEWLINK with create|excl, an unknown IFLA, a
  // network-byte-order name, a nested IFLA_LINKINFO and IFLA_AF_SPEC.
  nl(0, msg(18, 0x301, 1, 1234, ifinfomsg(0, 0, 0, 0, 0))),
  nl(0, msg(16, 0x601, 2, 1234, Buffer.concat([ifinfomsg(0, 772, 1, 0x10049, 0xffffffff), attr(3, 'lo\0'), attr(0x34, bytes(1, 2, 3, 4)), attr(0x4003, 'x\0'),
    attr(0x8012, attr(1, 'vlan\0')), attr(0x801a, Buffer.alloc(8))]))),
  // Legacy dump requests (a 1-byte rtgenmsg): link (malformed, as tshark has it), address, route, neighbour.
  nl(0, msg(18, 0x301, 3, 1234, bytes(17))),
  nl(0, msg(22, 0x301, 4, 0, bytes(2))),
  nl(0, msg(26, 0x301, 5, 0, bytes(2))),
  nl(0, msg(30, 0x301, 6, 0, bytes(2))),
  // Addresses: IPv4 with label, flags and cacheinfo; IPv6 with unnamed flag bits; a DELADDR with an odd-length address.
  nl(0, msg(20, 0x600, 5, 0, Buffer.concat([ifaddrmsg(2, 24, 0x80, 0, 2), attr(1, bytes(192, 168, 1, 10)), attr(2, bytes(192, 168, 1, 10)),
    attr(4, bytes(192, 168, 1, 255)), attr(3, 'eth0\0'), attr(8, u32(0x880)), attr(6, Buffer.alloc(16))]))),
  nl(0, msg(20, 0, 6, 0, Buffer.concat([ifaddrmsg(10, 64, 0x21, 253, 3), attr(1, v6), attr(8, u32(0x1000)), attr(9, u32(5))]))),
  nl(0, msg(21, 0, 1, 0, Buffer.concat([ifaddrmsg(10, 128, 0, 0, 4), attr(2, Buffer.alloc(16, 0xab))]))),
  // Routes: IPv4 with table, destination, interfaces (one of the wrong length), IPv6 by BGP.
  nl(0, msg(24, 0, 7, 0, Buffer.concat([rtmsg(2, 24, 0, 0, 254, 2, 253, 1, 0x200), attr(15, u32(254)), attr(1, bytes(10, 0, 0, 0)), attr(7, bytes(10, 0, 0, 1)),
    attr(4, u32(2)), attr(3, u32(1)), attr(5, bytes(10, 0, 0, 254)), attr(6, u32(100)), attr(4, bytes(1, 2))]))),
  nl(0, msg(25, 5, 1, 0, Buffer.concat([rtmsg(10, 64, 0, 0, 255, 186, 0, 6, 0), attr(4, u32(3)), attr(3, Buffer.alloc(8, 1))]))),
  // Neighbours: the ndmsg (tshark shows no NDA_* attributes), a bridge entry with a negative index.
  nl(0, msg(28, 0, 8, 0, Buffer.concat([ndmsg(2, 2, 0x82, 0x80, 1), attr(1, bytes(10, 0, 0, 2)), attr(2, bytes(0, 1, 2, 3, 4, 5))]))),
  nl(0, msg(29, 0, 1, 0, Buffer.concat([bytes(7, 0, 0, 0), u32(0xfffffffe), u16(0x300), bytes(2, 1)]))),
  // NLMSG_ERROR (quoting a request) and NLMSG_DONE in one packet; two link messages in one packet.
  nl(0, msg(2, 0x100, 9, 55, Buffer.concat([u32(0xffffffed), msg(16, 0x601, 9, 55, Buffer.alloc(0))])), msg(3, 2, 10, 55, u32(0))),
  nl(0, msg(16, 2, 1, 0, Buffer.concat([ifinfomsg(0, 1, 1, 3, 0), attr(3, 'a\0')])), msg(16, 2, 1, 0, Buffer.concat([ifinfomsg(0, 1, 2, 3, 0), attr(3, 'b\0')]))),
  // Another family (Auditing, which tshark does not decode): a message as data, an acknowledgement.
  nl(9, msg(1100, 0x5, 1, 99, Buffer.from('hello world!'))),
  nl(9, msg(2, 0, 1, 99, Buffer.concat([u32(0), msg(1100, 5, 1, 99, Buffer.alloc(0))]))),
  // An attribute length past the message's end; a message length past the packet's end (and one of
  // an undecoded family, and a NLMSG_DONE); a length under 16; an attribute length under 4.
  nl(0, msg(16, 0, 1, 0, Buffer.concat([ifinfomsg(0, 1, 1, 3, 0), attr(3, 'abc\0', { len: 40 })]))),
  nl(0, msg(16, 0, 1, 0, Buffer.concat([ifinfomsg(0, 1, 1, 3, 0), attr(4, u32(1500))]), { len: 200 })),
  nl(9, msg(1100, 0, 1, 0, Buffer.alloc(8), { len: 200 })),
  nl(0, msg(3, 0, 1, 0, Buffer.alloc(8), { len: 200 })),
  nl(0, msg(16, 0, 1, 0, Buffer.alloc(4), { len: 8 })),
  nl(0, msg(16, 0, 1, 0, Buffer.concat([ifinfomsg(0, 1, 1, 3, 0), bytes(2, 0, 3, 0), attr(4, u32(1500))]))),
  // Link attributes: integer lengths 2, 0 and 8, an empty and a non-ASCII name, carrier, operstate,
  // link mode, little-endian statistics (64- and 32-bit, and too short), the device map, a 4-byte broadcast.
  nl(0, link(attr(4, bytes(0xdc, 0x05)))),
  nl(0, link(attr(4, Buffer.alloc(0)))),
  nl(0, link(attr(4, Buffer.alloc(8, 1)))),
  nl(0, link(attr(3, Buffer.alloc(0)), attr(3, bytes(0x61, 0xe9, 0x62, 0)))),
  nl(0, link(attr(33, bytes(1)), attr(16, bytes(6)), attr(17, bytes(1)), attr(6, 'noqueue\0'), attr(13, u32(1000)))),
  nl(0, link(attr(23, stats64), attr(7, stats32))),
  nl(0, link(attr(7, Buffer.alloc(40)))),
  nl(0, link(attr(14, ifmap), attr(2, bytes(1, 2, 3, 4)), attr(1, bytes(2, 0, 0, 0, 0, 1)))),
  // An empty hardware address: tshark 4.0's dissector bug note. Long addresses (the tree shows 24
  // bytes); operstate of 0, 2 and 6 bytes; carrier of 0, 8 and 2 bytes; IPv6 addresses of 6 and 20 bytes.
  nl(0, link(attr(1, Buffer.alloc(0)))),
  nl(0, link(attr(1, Buffer.alloc(30, 0xaa)), attr(2, Buffer.alloc(24, 0xbb)), attr(2, Buffer.alloc(25, 0xcc)))),
  nl(0, link(attr(16, Buffer.alloc(0)), attr(16, bytes(1, 2)))),
  nl(0, link(attr(16, bytes(1, 2)), attr(16, bytes(1, 2, 3, 4, 5, 6)))),
  nl(0, link(attr(33, Buffer.alloc(0)), attr(33, bytes(1, 0, 0, 0, 0, 0, 0, 1)), attr(33, bytes(1, 1)))),
  nl(0, msg(20, 0, 1, 0, Buffer.concat([ifaddrmsg(10, 64, 0, 0, 3), attr(1, bytes(1, 2, 3, 4, 5, 6)), attr(2, Buffer.alloc(16, 0x11))]))),
  nl(0, msg(20, 0, 1, 0, Buffer.concat([ifaddrmsg(10, 64, 0, 0, 3), attr(1, Buffer.alloc(20, 0x33))]))),
  // Message types: unknown to rtnetlink, 0, an unnamed control type, a rule (header only), NLMSG_NOOP with trailing bytes.
  nl(0, msg(200, 0, 1, 0, Buffer.alloc(8))),
  nl(0, msg(0, 0, 1, 0, Buffer.alloc(8))),
  nl(0, msg(7, 0, 1, 0, Buffer.alloc(0))),
  nl(0, msg(32, 0, 0, 0, Buffer.alloc(12))),
  nl(0, msg(1, 0, 0, 0, Buffer.alloc(4)), Buffer.alloc(8)),
  // An error whose quoted header is missing; a huge length; an unknown family number; a big-endian host's address.
  nl(0, msg(2, 0, 1, 0, u32(0xfffffff3))),
  nl(0, msg(16, 0, 1, 0, Buffer.concat([ifinfomsg(0, 1, 1, 0, 0), attr(3, 'ab\0')]), { len: 0xffffffff })),
  nl(9, msg(16, 0, 1, 0, Buffer.alloc(8), { len: 0xffffffff })),
  nl(0, msg(214, 0, 1, 0, Buffer.alloc(8), { len: 0xffffffff })),
  nl(0, msg(16, 0, 1, 0, Buffer.alloc(8), { len: 0xfe000028 })),
  nl(7777, msg(16, 0, 1, 0, Buffer.alloc(4))),
  nl(0, msg(20, 0, 1, 0, Buffer.concat([bytes(2, 8, 0, 0, 0, 0, 0, 3), attr(1, bytes(10, 1, 2, 3), { big: true })]), { big: true })),
  // Broken cooked headers: not ARPHRD_NETLINK, the header alone, 3 bytes after it, 8 bytes in all.
  nl(0, msg(16, 0, 1, 0, ifinfomsg(0, 1, 1, 3, 0))).fill(0x01, 2, 4),
  cooked(0),
  Buffer.concat([cooked(0), Buffer.alloc(3)]),
  cooked(0).subarray(0, 8),
];

/** A link message cut by the snaplen: inside an attribute, after one, inside the header. */
const CUT = nl(0, msg(16, 0, 1, 0, Buffer.concat([ifinfomsg(0, 1, 1, 0, 0), attr(3, 'eth0-long-name\0'), attr(4, u32(1500)), attr(13, u32(1000))])));

function write(name: string, records: BuiltRecord[]): string {
  const file = join(dir, name);
  writeFileSync(file, pcapFile(records, 253));
  return file;
}

describe('read: Linux netlink and rtnetlink as tshark shows them', () => {
  it(`${CORPUS}: every packet's tree, columns, fields and filters`, async () => {
    await expectLikeTshark(corpusPath(CORPUS), NETLINK, 13);
  });

  it(`${CORPUS}: the -V text is tshark's, line for line`, async () => {
    expect(await ours(corpusPath(CORPUS), ['-V'])).toBe(tsharkVerbose(corpusPath(CORPUS)).stdout);
  });

  it('frames written here: addresses, routes, neighbours, errors, several messages, odd and impossible lengths, another family', async () => {
    const file = write('written.pcap', WRITTEN.map((data, i) => ({ sec: i, frac: 0, data })));
    const filters = [
      ...FILTERS, 'data', '_ws.malformed', 'netlink-route.ifa_address.ipv4 == 192.168.1.10', 'netlink-route.rta_oif == 2', 'netlink-route.nd_state == 0x82',
      'netlink.error == -19', 'netlink.attr_type.net_byteorder', 'netlink-route.ifa_address.ipv6 == fe80::102:304:506:708', 'netlink.family == 9',
      'netlink-route.ifla_hwaddr == 02:00:00:00:00:01', 'netlink.hdr_flags.excl == 1',
    ];
    await expectLikeTshark(file, { ...NETLINK, filters }, WRITTEN.length - 2);
    expect(await ours(file, ['-V'])).toBe(tsharkVerbose(file).stdout);
  });

  it('a capture cut by the snaplen: truncated, not malformed', async () => {
    const file = write('cut.pcap', [54, 66, 20].map((n, i) => ({ sec: i, frac: 0, data: CUT.subarray(0, n), origLen: CUT.length })));
    await expectLikeTshark(file, NETLINK, 3);
    expect(await ours(file, ['-V'])).toBe(tsharkVerbose(file).stdout);
  });
});

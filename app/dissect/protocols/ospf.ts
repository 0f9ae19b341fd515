// OSPF (IP protocol 89): version 2 (RFC 2328) over IPv4 and version 3 (RFC 5340) over IPv6, as
// tshark 4.0's packet-ospf.c shows them: the header (v2 with its authentication, v3 with its
// instance ID), the checksum verified as tshark does (v2 over the packet without the
// authentication field, v3 with the IPv6 pseudo-header), Hello, Database Description, LS
// Request, LS Update with its LSAs and LS Acknowledge. Info is the message type's name.
import { correctChecksum, internetChecksum, pseudoHeaderChecksum } from '../checksum.js';
import { defineFields, type FieldDef } from '../field.js';
import { callProtocol, defineProtocol, register } from '../dispatch.js';
import { bitPicture, formatIPv4 } from '../format.js';
import { wsFields, type PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import { MalformedError, type Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';

const MSG_TYPES: Record<number, string> = { 1: 'Hello Packet', 2: 'DB Description', 3: 'LS Request', 4: 'LS Update', 5: 'LS Acknowledge' };
const AUTH_TYPES: Record<number, string> = { 0: 'Null', 1: 'Simple password', 2: 'Cryptographic' };
const LSA_TYPES: Record<number, string> = {
  1: 'Router-LSA', 2: 'Network-LSA', 3: 'Summary-LSA (IP network)', 4: 'Summary-LSA (ASBR)', 5: 'AS-External-LSA (ASBR)',
  6: 'Group Membership LSA', 7: 'NSSA AS-External-LSA', 8: 'External Attributes LSA', 9: 'Opaque LSA, Link-local scope',
  10: 'Opaque LSA, Area-local scope', 11: 'Opaque LSA, AS-local scope',
};
const V3_FUNCTIONS: Record<number, string> = {
  1: 'Router-LSA', 2: 'Network-LSA', 3: 'Inter-Area-Prefix-LSA', 4: 'Inter-Area-Router-LSA', 5: 'AS-External-LSA', 6: 'Group-Membership-LSA',
  7: 'NSSA-LSA', 8: 'Link-LSA', 9: 'Intra-Area-Prefix-LSA', 12: 'Router Information Opaque-LSA',
};
const V3_SCOPES: Record<number, string> = {
  0: 'Link-Local Scoping - Flooded only on originating link', 1: 'Area Scoping - Flooded only in originating area',
  2: 'AS Scoping - Flooded throughout AS', 3: 'Reserved',
};
const V3_LINK_TYPES: Record<number, string> = {
  1: 'Point-to-point connection to another router', 2: 'Connection to a transit network', 3: 'Connection to a stub network', 4: 'Virtual link',
};
const setNot = ['Set', 'Not set'] as const;
const yesNo = ['Yes', 'No'] as const;

export const ospfFields = defineFields([
  { name: 'ospf.header', label: 'OSPF Header', type: 'none' },
  { name: 'ospf.version', label: 'Version', type: 'uint8' },
  { name: 'ospf.msg', label: 'Message Type', type: 'uint8', values: MSG_TYPES },
  { name: 'ospf.packet_length', label: 'Packet Length', type: 'uint16' },
  { name: 'ospf.srcrouter', label: 'Source OSPF Router', type: 'ipv4' },
  { name: 'ospf.area_id', label: 'Area ID', type: 'ipv4' },
  { name: 'ospf.checksum', label: 'Checksum', type: 'uint16', base: 'hex' },
  { name: 'ospf.auth.type', label: 'Auth Type', type: 'uint16', values: AUTH_TYPES },
  { name: 'ospf.auth.none', label: 'Auth Data (none)', type: 'bytes' },
  { name: 'ospf.auth.simple', label: 'Auth Data (Simple)', type: 'string' },
  { name: 'ospf.auth.crypt.key_id', label: 'Auth Crypt Key id', type: 'uint8' },
  { name: 'ospf.auth.crypt.data_length', label: 'Auth Crypt Data Length', type: 'uint8' },
  { name: 'ospf.auth.crypt.seq_nbr', label: 'Auth Crypt Sequence Number', type: 'uint32' },
  { name: 'ospf.auth.crypt.data', label: 'Auth Crypt Data', type: 'bytes' },
  { name: 'ospf.auth.unknown', label: 'Auth Unknown', type: 'bytes' },
  { name: 'ospf.instance_id', label: 'Instance ID', type: 'uint8' },
  { name: 'ospf.reserved', label: 'Reserved', type: 'bytes' },
  { name: 'ospf.msg.hello', label: 'Hello', type: 'boolean' },
  { name: 'ospf.msg.dbdesc', label: 'Database Description', type: 'boolean' },
  { name: 'ospf.msg.lsreq', label: 'Link State Adv Request', type: 'boolean' },
  { name: 'ospf.msg.lsupdate', label: 'Link State Adv Update', type: 'boolean' },
  { name: 'ospf.msg.lsack', label: 'Link State Adv Acknowledgement', type: 'boolean' },
  { name: 'ospf.hello', label: 'OSPF Hello Packet', type: 'none' },
  { name: 'ospf.hello.network_mask', label: 'Network Mask', type: 'ipv4' },
  { name: 'ospf.hello.interface_id', label: 'Interface ID', type: 'uint32' },
  { name: 'ospf.hello.hello_interval', label: 'Hello Interval [sec]', type: 'uint32' },
  { name: 'ospf.hello.router_priority', label: 'Router Priority', type: 'uint8' },
  { name: 'ospf.hello.router_dead_interval', label: 'Router Dead Interval [sec]', type: 'uint32' },
  { name: 'ospf.hello.designated_router', label: 'Designated Router', type: 'ipv4' },
  { name: 'ospf.hello.backup_designated_router', label: 'Backup Designated Router', type: 'ipv4' },
  { name: 'ospf.hello.active_neighbor', label: 'Active Neighbor', type: 'ipv4' },
  { name: 'ospf.v2.options', label: 'Options', type: 'uint8', base: 'hex' },
  { name: 'ospf.v2.options.dn', label: 'DN', type: 'boolean', mask: 0x80, tf: setNot },
  { name: 'ospf.v2.options.o', label: 'O', type: 'boolean', mask: 0x40, tf: setNot },
  { name: 'ospf.v2.options.dc', label: '(DC) Demand Circuits', type: 'boolean', mask: 0x20, tf: ['Supported', 'Not supported'] },
  { name: 'ospf.v2.options.l', label: '(L) LLS Data block', type: 'boolean', mask: 0x10, tf: ['Present', 'Not Present'] },
  { name: 'ospf.v2.options.n', label: '(N) NSSA', type: 'boolean', mask: 0x08, tf: ['Supported', 'Not supported'] },
  { name: 'ospf.v2.options.p', label: '(P) Propagate', type: 'boolean', mask: 0x08, tf: setNot },
  { name: 'ospf.v2.options.mc', label: '(MC) Multicast', type: 'boolean', mask: 0x04, tf: ['Capable', 'Not capable'] },
  { name: 'ospf.v2.options.e', label: '(E) External Routing', type: 'boolean', mask: 0x02, tf: ['Capable', 'Not capable'] },
  { name: 'ospf.v2.options.mt', label: '(MT) Multi-Topology Routing', type: 'boolean', mask: 0x01, tf: yesNo },
  { name: 'ospf.v3.options', label: 'Options', type: 'uint24', base: 'hex' },
  { name: 'ospf.v3.options.at', label: 'AT', type: 'boolean', mask: 0x400, tf: setNot },
  { name: 'ospf.v3.options.l', label: 'L', type: 'boolean', mask: 0x200, tf: setNot },
  { name: 'ospf.v3.options.af', label: 'AF', type: 'boolean', mask: 0x100, tf: setNot },
  { name: 'ospf.v3.options.dc', label: 'DC', type: 'boolean', mask: 0x20, tf: setNot },
  { name: 'ospf.v3.options.r', label: 'R', type: 'boolean', mask: 0x10, tf: setNot },
  { name: 'ospf.v3.options.n', label: 'N', type: 'boolean', mask: 0x08, tf: setNot },
  { name: 'ospf.v3.options.mc', label: 'MC', type: 'boolean', mask: 0x04, tf: setNot },
  { name: 'ospf.v3.options.e', label: 'E', type: 'boolean', mask: 0x02, tf: setNot },
  { name: 'ospf.v3.options.v6', label: 'V6', type: 'boolean', mask: 0x01, tf: setNot },
  { name: 'ospf.db.interface_mtu', label: 'Interface MTU', type: 'uint16' },
  { name: 'ospf.dbd', label: 'DB Description', type: 'uint8', base: 'hex' },
  { name: 'ospf.dbd.r', label: '(R) OOBResync', type: 'boolean', mask: 0x08, tf: setNot },
  { name: 'ospf.dbd.i', label: '(I) Init', type: 'boolean', mask: 0x04, tf: setNot },
  { name: 'ospf.dbd.m', label: '(M) More', type: 'boolean', mask: 0x02, tf: setNot },
  { name: 'ospf.dbd.ms', label: '(MS) Master', type: 'boolean', mask: 0x01, tf: yesNo },
  { name: 'ospf.db.dd_sequence', label: 'DD Sequence', type: 'uint32' },
  { name: 'ospf.link_state_id', label: 'Link State ID', type: 'ipv4' },
  { name: 'ospf.ls.number_of_lsas', label: 'Number of LSAs', type: 'uint32' },
  { name: 'ospf.lsa', label: 'LS Type', type: 'uint8', values: LSA_TYPES },
  { name: 'ospf.lsa.age', label: 'LS Age (seconds)', type: 'uint16', mask: 0x7fff },
  { name: 'ospf.lsa.donotage', label: 'Do Not Age Flag', type: 'uint16', mask: 0x8000 },
  { name: 'ospf.lsa.id', label: 'Link State ID', type: 'ipv4' },
  { name: 'ospf.advrouter', label: 'Advertising Router', type: 'ipv4' },
  { name: 'ospf.lsa.seqnum', label: 'Sequence Number', type: 'uint32', base: 'hex' },
  { name: 'ospf.lsa.chksum', label: 'Checksum', type: 'uint16', base: 'hex' },
  { name: 'ospf.lsa.length', label: 'Length', type: 'uint16' },
  { name: 'ospf.lsa.router', label: 'Router LSA', type: 'boolean' },
  { name: 'ospf.lsa.network', label: 'Network LSA', type: 'boolean' },
  { name: 'ospf.lsa.summary', label: 'Summary LSA (IP Network)', type: 'boolean' },
  { name: 'ospf.lsa.asbr', label: 'Summary LSA (ASBR)', type: 'boolean' },
  { name: 'ospf.lsa.asext', label: 'AS-External LSA (ASBR)', type: 'boolean' },
  { name: 'ospf.lsa.nssa', label: 'NSSA AS-External LSA', type: 'boolean' },
  { name: 'ospf.v2.router.lsa.flags', label: 'Flags', type: 'uint8', base: 'hex' },
  { name: 'ospf.v2.router.lsa.flags.h', label: '(H) flag', type: 'boolean', mask: 0x80, tf: yesNo },
  { name: 'ospf.v2.router.lsa.flags.n', label: '(N) flag', type: 'boolean', mask: 0x10, tf: yesNo },
  { name: 'ospf.v2.router.lsa.flags.w', label: '(W) Wild-card multicast receiver', type: 'boolean', mask: 0x08, tf: yesNo },
  { name: 'ospf.v2.router.lsa.flags.v', label: '(V) Virtual link endpoint', type: 'boolean', mask: 0x04, tf: yesNo },
  { name: 'ospf.v2.router.lsa.flags.e', label: '(E) AS boundary router', type: 'boolean', mask: 0x02, tf: yesNo },
  { name: 'ospf.v2.router.lsa.flags.b', label: '(B) Area border router', type: 'boolean', mask: 0x01, tf: yesNo },
  { name: 'ospf.lsa.number_of_links', label: 'Number of Links', type: 'uint16' },
  { name: 'ospf.lsa.router.linkid', label: 'Link ID', type: 'ipv4' },
  { name: 'ospf.lsa.router.linkdata', label: 'Link Data', type: 'ipv4' },
  { name: 'ospf.lsa.router.linktype', label: 'Link Type', type: 'uint8' },
  { name: 'ospf.lsa.router.nummetrics', label: 'Number of Metrics', type: 'uint8' },
  { name: 'ospf.lsa.router.metric0', label: '0 Metric', type: 'uint16' },
  { name: 'ospf.ls.metric', label: 'Metric', type: 'uint32' },
  { name: 'ospf.lsa.network.netmask', label: 'Netmask', type: 'ipv4' },
  { name: 'ospf.lsa.network.attchrtr', label: 'Attached Router', type: 'ipv4' },
  { name: 'ospf.lsa.asbr.netmask', label: 'Netmask', type: 'ipv4' },
  { name: 'ospf.lsa.tos', label: 'TOS', type: 'uint8' },
  { name: 'ospf.metric', label: 'Metric', type: 'uint32' },
  { name: 'ospf.lsa.asext.netmask', label: 'Netmask', type: 'ipv4' },
  {
    name: 'ospf.lsa.asext.type', label: 'External Type', type: 'boolean', mask: 0x80,
    tf: ['Type 2 (metric is larger than any other link state path)', 'Type 1 (metric is specified in the same units as interface cost)'],
  },
  { name: 'ospf.lsa.asext.fwdaddr', label: 'Forwarding Address', type: 'ipv4' },
  { name: 'ospf.lsa.asext.extrttag', label: 'External Route Tag', type: 'uint32' },
  { name: 'ospf.v3.lsa', label: 'LS Type', type: 'uint16', base: 'hex' },
  { name: 'ospf.v3.lsa.u', label: 'LSA Handling', type: 'boolean', mask: 0x8000, tf: ['Treat the LSA as if it had link-local flooding scope', 'Store and flood the LSA as if the type is understood'] },
  { name: 'ospf.v3.lsa.s12', label: 'Flooding Scope', type: 'uint16', base: 'hex', mask: 0x6000, values: V3_SCOPES },
  { name: 'ospf.v3.lsa.fc', label: 'Function Code', type: 'uint16', mask: 0x1fff, values: V3_FUNCTIONS },
  { name: 'ospf.v3.lsa.do_not_age', label: 'Do Not Age', type: 'boolean', mask: 0x8000 },
  { name: 'ospf.v3.lsa.router', label: 'Router-LSA', type: 'boolean' },
  { name: 'ospf.v3.lsa.network', label: 'Network-LSA', type: 'boolean' },
  { name: 'ospf.v3.router.lsa.flags', label: 'Flags', type: 'uint8', base: 'hex' },
  { name: 'ospf.v3.router.lsa.flags.w', label: '(W) Wild-card multicast receiver', type: 'boolean', mask: 0x08, tf: yesNo },
  { name: 'ospf.v3.router.lsa.flags.v', label: '(V) Virtual link endpoint', type: 'boolean', mask: 0x04, tf: yesNo },
  { name: 'ospf.v3.router.lsa.flags.e', label: '(E) AS boundary router', type: 'boolean', mask: 0x02, tf: yesNo },
  { name: 'ospf.v3.router.lsa.flags.b', label: '(B) Area border router', type: 'boolean', mask: 0x01, tf: yesNo },
  { name: 'ospf.v3.lsa.type', label: 'Type', type: 'uint8', values: V3_LINK_TYPES },
  { name: 'ospf.v3.lsa.interface_id', label: 'Interface ID', type: 'uint32' },
  { name: 'ospf.v3.lsa.neighbor_interface_id', label: 'Neighbor Interface ID', type: 'uint32' },
  { name: 'ospf.v3.lsa.neighbor_router_id', label: 'Neighbor Router ID', type: 'ipv4' },
  { name: 'ospf.v3.lsa.attached_router', label: 'Attached Router', type: 'ipv4' },
  { name: 'ospf.v3.lsa.interprefix', label: 'Inter-Area-Prefix-LSA', type: 'boolean' },
  { name: 'ospf.v3.lsa.interrouter', label: 'Inter-Area-Router-LSA', type: 'boolean' },
  { name: 'ospf.v3.lsa.asext', label: 'AS-External-LSA', type: 'boolean' },
  { name: 'ospf.v3.lsa.nssa', label: 'NSSA-LSA', type: 'boolean' },
  { name: 'ospf.v3.lsa.link', label: 'Link-LSA', type: 'boolean' },
  { name: 'ospf.v3.lsa.intraprefix', label: 'Intra-Area-Prefix-LSA', type: 'boolean' },
  { name: 'ospf.prefix_length', label: 'PrefixLength', type: 'uint8' },
  { name: 'ospf.v3.prefix.options', label: 'PrefixOptions', type: 'uint8', base: 'hex' },
  { name: 'ospf.v3.prefix.options.p', label: '(P) Propagate', type: 'boolean', mask: 0x08, tf: setNot },
  { name: 'ospf.v3.prefix.options.mc', label: '(MC) Multicast', type: 'boolean', mask: 0x04, tf: setNot },
  { name: 'ospf.v3.prefix.options.la', label: '(LA) Local Address', type: 'boolean', mask: 0x02, tf: setNot },
  { name: 'ospf.v3.prefix.options.nu', label: '(NU) NoUnicast', type: 'boolean', mask: 0x01, tf: setNot },
  { name: 'ospf.v3.address_prefix.ipv6', label: 'Address Prefix', type: 'ipv6' },
  { name: 'ospf.v3.lsa.destination_router_id', label: 'Destination Router ID', type: 'ipv4' },
  { name: 'ospf.v3.as.external.flags', label: 'Flags', type: 'uint8', base: 'hex' },
  { name: 'ospf.v3.as.external.flags.e', label: '(E) External Metric', type: 'boolean', mask: 0x04, tf: ['Type 2', 'Type 1'] },
  { name: 'ospf.v3.as.external.flags.f', label: '(F) Forwarding Address', type: 'boolean', mask: 0x02, tf: ['Present', 'Absent'] },
  { name: 'ospf.v3.as.external.flags.t', label: '(T) External Route Tag', type: 'boolean', mask: 0x01, tf: ['Present', 'Absent'] },
  { name: 'ospf.v3.lsa.referenced_ls_type', label: 'Referenced LS type', type: 'uint16', base: 'hex', values: V3_FUNCTIONS },
  { name: 'ospf.v3.lsa.forwarding_address.ipv6', label: 'Forwarding Address', type: 'ipv6' },
  { name: 'ospf.v3.lsa.external_route_tag', label: 'External Route Tag', type: 'uint32' },
  { name: 'ospf.v3.lsa.referenced_link_state_id', label: 'Referenced Link State ID', type: 'ipv4' },
  { name: 'ospf.v3.lsa.referenced_advertising_router', label: 'Referenced Advertising Router', type: 'ipv4' },
  { name: 'ospf.v3.lsa.router_priority', label: 'Router Priority', type: 'uint8' },
  { name: 'ospf.v3.lsa.link_local_interface_address.ipv6', label: 'Link-local Interface Address', type: 'ipv6' },
  { name: 'ospf.v3.lsa.num_prefixes', label: '# prefixes', type: 'uint32' },
] as const);
const F = ospfFields;

const hex = (v: number, digits: number) => `0x${v.toString(16).padStart(digits, '0')}`;

/** A flags item ("Options: 0x42, O, (E) External Routing": the set bits' labels, high to low) and a line per bit. */
function addFlags(ctx: PacketContext, parent: FieldNode, tvb: Tvb, o: number, width: 1 | 3, field: FieldDef, bits: readonly FieldDef[]): FieldNode {
  const value = width === 3 ? tvb.u24(o) : tvb.u8(o);
  const names = [...bits].sort((a, b) => b.mask! - a.mask!).filter((b) => (value & b.mask!) !== 0).map((b) => b.label);
  const n = ctx.add(parent, field, tvb, o, width, value, () => `${field.label}: ${hex(value, width * 2)}${names.map((s) => `, ${s}`).join('')}`);
  for (const bit of bits) ctx.add(n, bit, tvb, o, width, (value & bit.mask!) !== 0);
  return n;
}

const V2_OPTIONS = (nssa: boolean) => [
  F['ospf.v2.options.dn'], F['ospf.v2.options.o'], F['ospf.v2.options.dc'], F['ospf.v2.options.l'],
  nssa ? F['ospf.v2.options.p'] : F['ospf.v2.options.n'], F['ospf.v2.options.mc'], F['ospf.v2.options.e'], F['ospf.v2.options.mt'],
];
const V3_OPTIONS = [
  F['ospf.v3.options.at'], F['ospf.v3.options.l'], F['ospf.v3.options.af'], F['ospf.v3.options.dc'], F['ospf.v3.options.r'],
  F['ospf.v3.options.n'], F['ospf.v3.options.mc'], F['ospf.v3.options.e'], F['ospf.v3.options.v6'],
];
const DBD_BITS = [F['ospf.dbd.r'], F['ospf.dbd.i'], F['ospf.dbd.m'], F['ospf.dbd.ms']];
const V2_ROUTER_FLAGS = [
  F['ospf.v2.router.lsa.flags.h'], F['ospf.v2.router.lsa.flags.n'], F['ospf.v2.router.lsa.flags.w'], F['ospf.v2.router.lsa.flags.v'],
  F['ospf.v2.router.lsa.flags.e'], F['ospf.v2.router.lsa.flags.b'],
];
const V3_ROUTER_FLAGS = [F['ospf.v3.router.lsa.flags.w'], F['ospf.v3.router.lsa.flags.v'], F['ospf.v3.router.lsa.flags.e'], F['ospf.v3.router.lsa.flags.b']];

function addOptions(ctx: PacketContext, parent: FieldNode, tvb: Tvb, o: number, version: number, nssa = false): number {
  if (version === 3) {
    addFlags(ctx, parent, tvb, o, 3, F['ospf.v3.options'], V3_OPTIONS);
    return tvb.u24(o);
  }
  addFlags(ctx, parent, tvb, o, 1, F['ospf.v2.options'], V2_OPTIONS(nssa));
  return tvb.u8(o);
}

/** The header's checksum line: v2 over the packet less the 8-byte authentication field, v3 over the IPv6 pseudo-header and the packet. */
function addChecksum(tvb: Tvb, ctx: PacketContext, node: FieldNode, version: number, plen: number, auth: number): void {
  const ck = tvb.u16(12);
  if (version === 2 && auth === 2) {
    ctx.add(node, F['ospf.checksum'], tvb, 12, 2, ck, () => `Checksum: ${hex(ck, 4)} (None)`);
    return;
  }
  // tshark sums all the bytes IP delivered that were captured, whatever the packet length says
  // (trailing bytes count; a length past them does not), with the packet length in v3's
  // pseudo-header.
  const len = tvb.length;
  if (len < tvb.reportedLength) {
    // Cut short by the capture: the value alone, not verified.
    ctx.add(node, F['ospf.checksum'], tvb, 12, 2, ck);
    return;
  }
  let rest: number;
  if (version === 2) {
    if (len < 24) {
      ctx.add(node, F['ospf.checksum'], tvb, 12, 2, ck);
      return;
    }
    const b = new Uint8Array(len - 8);
    b.set(tvb.slice(0, 16), 0);
    b.set(tvb.slice(24, len - 24), 16);
    rest = internetChecksum(b);
  } else {
    const src = ctx.endpoints.netSrc, dst = ctx.endpoints.netDst;
    if (!src || !dst || src.length !== 16) {
      ctx.add(node, F['ospf.checksum'], tvb, 12, 2, ck);
      return;
    }
    rest = pseudoHeaderChecksum(src, dst, plen, 89, tvb.slice(0, len));
  }
  const good = rest === 0;
  ctx.add(node, F['ospf.checksum'], tvb, 12, 2, ck, () => `Checksum: ${hex(ck, 4)} ${good ? '[correct]' : `[incorrect, should be ${hex(correctChecksum(ck, rest), 4)}]`}`);
}

function instanceName(id: number): string {
  return id < 32 ? 'IPv6 unicast AF' : id < 64 ? 'IPv6 multicast AF' : id < 96 ? 'IPv4 unicast AF' : id < 128 ? 'IPv4 multicast AF' : 'Reserved';
}

const MSG_HIDDEN: Record<number, FieldDef> = {
  1: F['ospf.msg.hello'], 2: F['ospf.msg.dbdesc'], 3: F['ospf.msg.lsreq'], 4: F['ospf.msg.lsupdate'], 5: F['ospf.msg.lsack'],
};

function dissectOspf(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = 'OSPF';
  const version = tvb.u8(0), type = tvb.u8(1);
  ctx.info = MSG_TYPES[type] ?? `Unknown (${type})`;
  const plen = tvb.u16(2);
  const hlen = version === 3 ? 16 : 24;
  const header = ctx.add(node, F['ospf.header'], tvb, 0, hlen, null);
  ctx.add(header, F['ospf.version'], tvb, 0, 1, version);
  ctx.add(header, F['ospf.msg'], tvb, 1, 1, type);
  const hidden = MSG_HIDDEN[type];
  if (hidden) ctx.addHidden(header, hidden, tvb, 1, 1, true);
  ctx.add(header, F['ospf.packet_length'], tvb, 2, 2, plen);
  ctx.add(header, F['ospf.srcrouter'], tvb, 4, 4, tvb.u32(4));
  const area = tvb.u32(8);
  ctx.add(header, F['ospf.area_id'], tvb, 8, 4, area, () => `Area ID: ${formatIPv4(area)}${area === 0 ? ' (Backbone)' : ''}`);
  let auth = 0;
  if (version === 2) auth = tvb.u16(14);
  addChecksum(tvb, ctx, header, version, plen, auth);
  if (version === 2) {
    ctx.add(header, F['ospf.auth.type'], tvb, 14, 2, auth);
    if (auth === 0) ctx.add(header, F['ospf.auth.none'], tvb, 16, 8, tvb.slice(16, 8));
    else if (auth === 1) {
      const s = tvb.ascii(16, 8);
      const nul = s.indexOf('\0');
      ctx.add(header, F['ospf.auth.simple'], tvb, 16, 8, nul < 0 ? s : s.slice(0, nul));
    } else if (auth === 2) {
      const dlen = tvb.u8(19);
      ctx.add(header, F['ospf.auth.crypt.key_id'], tvb, 18, 1, tvb.u8(18));
      ctx.add(header, F['ospf.auth.crypt.data_length'], tvb, 19, 1, dlen);
      ctx.add(header, F['ospf.auth.crypt.seq_nbr'], tvb, 20, 4, tvb.u32(20));
      // RFC 2328 D.4.3: the digest follows the packet, outside its length.
      if (tvb.reportedLength >= plen + dlen) ctx.add(header, F['ospf.auth.crypt.data'], tvb, plen, dlen, tvb.slice(plen, dlen));
    } else ctx.add(header, F['ospf.auth.unknown'], tvb, 16, 8, tvb.slice(16, 8));
  } else if (version === 3) {
    const inst = tvb.u8(14);
    ctx.add(header, F['ospf.instance_id'], tvb, 14, 1, inst, () => `Instance ID: ${instanceName(inst)} (${inst})`);
    ctx.add(header, F['ospf.reserved'], tvb, 15, 1, tvb.slice(15, 1));
  }
  if (version !== 2 && version !== 3) return;
  // The message is what the packet length says: reading past it is an exception (malformed).
  const body = tvb.sub(0, plen, plen);
  switch (type) {
    case 1: return hello(body, tvb, ctx, node, version, hlen, plen);
    case 2: return dbDescription(body, tvb, ctx, node, version, hlen, plen);
    case 3: return lsRequest(body, ctx, node, version, hlen, plen);
    case 4: return lsUpdate(body, ctx, node, version, hlen, plen);
    case 5: {
      for (let o = hlen; o < plen; o += 20) lsa(body, ctx, node, o, version, false);
      return;
    }
    default:
      if (tvb.reportedLength > hlen) callProtocol(dataProtocol, tvb.sub(hlen), ctx, null);
  }
}

/** The LLS data block missing after a v2 Hello or DBD whose options have the L bit (RFC 5613). */
function checkLls(outer: Tvb, ctx: PacketContext, node: FieldNode, options: number, plen: number): void {
  if ((options & 0x10) === 0 || outer.reportedLength > plen) return;
  const t = ctx.addText(node, outer, Math.min(plen, outer.reportedLength), 0, 'LLS option bit set but data block missing');
  ctx.addExpert(t, 'error', 'malformed', 'LLS option bit set but data block missing');
  // A malformed-group expert item: _ws.malformed matches the packet (Info stays as it is).
  ctx.addHidden(t, wsFields['_ws.malformed'], outer, Math.min(plen, outer.reportedLength), 0, null);
}

function hello(tvb: Tvb, outer: Tvb, ctx: PacketContext, node: FieldNode, version: number, h: number, plen: number): void {
  const t = ctx.add(node, F['ospf.hello'], tvb, h, plen - h, null);
  let options: number;
  if (version === 2) {
    ctx.add(t, F['ospf.hello.network_mask'], tvb, h, 4, tvb.u32(h));
    ctx.add(t, F['ospf.hello.hello_interval'], tvb, h + 4, 2, tvb.u16(h + 4));
    options = addOptions(ctx, t, tvb, h + 6, 2);
    ctx.add(t, F['ospf.hello.router_priority'], tvb, h + 7, 1, tvb.u8(h + 7));
    ctx.add(t, F['ospf.hello.router_dead_interval'], tvb, h + 8, 4, tvb.u32(h + 8));
  } else {
    ctx.add(t, F['ospf.hello.interface_id'], tvb, h, 4, tvb.u32(h));
    ctx.add(t, F['ospf.hello.router_priority'], tvb, h + 4, 1, tvb.u8(h + 4));
    options = addOptions(ctx, t, tvb, h + 5, 3);
    ctx.add(t, F['ospf.hello.hello_interval'], tvb, h + 8, 2, tvb.u16(h + 8));
    ctx.add(t, F['ospf.hello.router_dead_interval'], tvb, h + 10, 2, tvb.u16(h + 10));
  }
  ctx.add(t, F['ospf.hello.designated_router'], tvb, h + 12, 4, tvb.u32(h + 12));
  ctx.add(t, F['ospf.hello.backup_designated_router'], tvb, h + 16, 4, tvb.u32(h + 16));
  for (let o = h + 20; o < plen; o += 4) ctx.add(t, F['ospf.hello.active_neighbor'], tvb, o, 4, tvb.u32(o));
  if (version === 2) checkLls(outer, ctx, node, options, plen);
}

function dbDescription(tvb: Tvb, outer: Tvb, ctx: PacketContext, node: FieldNode, version: number, h: number, plen: number): void {
  const size = version === 2 ? 8 : 12;
  // The subtree spans the rest of the packet: cut short, it fails before it is shown.
  tvb.check(h, plen - h);
  const t = ctx.addText(node, tvb, h, size, 'OSPF DB Description');
  let o = h, options: number;
  if (version === 2) {
    ctx.add(t, F['ospf.db.interface_mtu'], tvb, o, 2, tvb.u16(o));
    options = addOptions(ctx, t, tvb, o + 2, 2);
    o += 3;
  } else {
    ctx.add(t, F['ospf.reserved'], tvb, o, 1, tvb.slice(o, 1));
    options = addOptions(ctx, t, tvb, o + 1, 3);
    ctx.add(t, F['ospf.db.interface_mtu'], tvb, o + 4, 2, tvb.u16(o + 4));
    ctx.add(t, F['ospf.reserved'], tvb, o + 6, 1, tvb.slice(o + 6, 1));
    o += 7;
  }
  addFlags(ctx, t, tvb, o, 1, F['ospf.dbd'], DBD_BITS);
  ctx.add(t, F['ospf.db.dd_sequence'], tvb, o + 1, 4, tvb.u32(o + 1));
  for (let p = h + size; p < plen; p += 20) lsa(tvb, ctx, node, p, version, false);
  if (version === 2) checkLls(outer, ctx, node, options, plen);
}

function lsRequest(tvb: Tvb, ctx: PacketContext, node: FieldNode, version: number, h: number, plen: number): void {
  for (let o = h; o < plen; o += 12) {
    tvb.check(o, 12);
    const t = ctx.addText(node, tvb, o, 12, 'Link State Request');
    if (version === 2) ctx.add(t, F['ospf.lsa'], tvb, o, 4, tvb.u32(o));
    else {
      ctx.add(t, F['ospf.reserved'], tvb, o, 2, tvb.slice(o, 2));
      addV3Type(ctx, t, tvb, o + 2);
    }
    ctx.add(t, F['ospf.link_state_id'], tvb, o + 4, 4, tvb.u32(o + 4));
    ctx.add(t, F['ospf.advrouter'], tvb, o + 8, 4, tvb.u32(o + 8));
  }
}

function lsUpdate(tvb: Tvb, ctx: PacketContext, node: FieldNode, version: number, h: number, plen: number): void {
  // The subtree spans the packet length: one past the datagram fails before it is shown.
  tvb.check(h, plen - h);
  const n = tvb.u32(h);
  const t = ctx.addText(node, tvb, h, plen - h, 'LS Update Packet');
  ctx.add(t, F['ospf.ls.number_of_lsas'], tvb, h, 4, n);
  let o = h + 4;
  for (let i = 0; i < n; i++) o = lsa(tvb, ctx, t, o, version, true);
}

function addV3Type(ctx: PacketContext, parent: FieldNode, tvb: Tvb, o: number): number {
  const lt = tvb.u16(o);
  const n = ctx.add(parent, F['ospf.v3.lsa'], tvb, o, 2, lt);
  ctx.add(n, F['ospf.v3.lsa.u'], tvb, o, 2, (lt & 0x8000) !== 0);
  ctx.add(n, F['ospf.v3.lsa.s12'], tvb, o, 2, (lt >> 13) & 3);
  ctx.add(n, F['ospf.v3.lsa.fc'], tvb, o, 2, lt & 0x1fff);
  return lt;
}

const V2_LSA_HIDDEN: Record<number, FieldDef> = {
  1: F['ospf.lsa.router'], 2: F['ospf.lsa.network'], 3: F['ospf.lsa.summary'], 4: F['ospf.lsa.asbr'], 5: F['ospf.lsa.asext'], 7: F['ospf.lsa.nssa'],
};

const V3_LSA_HIDDEN: Record<number, FieldDef> = {
  1: F['ospf.v3.lsa.router'], 2: F['ospf.v3.lsa.network'], 3: F['ospf.v3.lsa.interprefix'], 4: F['ospf.v3.lsa.interrouter'],
  5: F['ospf.v3.lsa.asext'], 7: F['ospf.v3.lsa.nssa'], 8: F['ospf.v3.lsa.link'], 9: F['ospf.v3.lsa.intraprefix'],
};

const ROUTER_LINKS: Record<number, [short: string, id: string, type: string]> = {
  1: ['PTP', "Neighboring router's Router ID", 'Point-to-point connection to another router'],
  2: ['Transit', 'IP address of Designated Router', 'Connection to a transit network'],
  3: ['Stub', 'IP network/subnet number', 'Connection to a stub network'],
  4: ['Virtual', "Neighboring router's Router ID", 'Virtual link'],
};

/** One LSA at `o` (its header alone unless `full`); returns the offset after it. */
function lsa(tvb: Tvb, ctx: PacketContext, parent: FieldNode, o: number, version: number, full: boolean): number {
  const len = tvb.u16(o + 18);
  const size = full ? len : 20;
  // The subtree covers the whole LSA: one that runs past the end fails before it is shown.
  tvb.check(o, size);
  const age = tvb.u16(o);
  const v2type = tvb.u8(o + 3), v3type = tvb.u16(o + 2);
  const code = version === 2 ? v2type : v3type & 0x1fff;
  const name = version === 2 ? LSA_TYPES[v2type] ?? 'Unknown' : V3_FUNCTIONS[code] ?? 'Unknown';
  const t = ctx.addText(parent, tvb, o, size, `LSA-type ${code} (${name}), len ${len}`);
  ctx.add(t, F['ospf.lsa.age'], tvb, o, 2, age & 0x7fff);
  if (version === 2) {
    ctx.add(t, F['ospf.lsa.donotage'], tvb, o, 2, age >> 15);
    addOptions(ctx, t, tvb, o + 2, 2, v2type === 7);
    ctx.add(t, F['ospf.lsa'], tvb, o + 3, 1, v2type);
    const hidden = V2_LSA_HIDDEN[v2type];
    if (hidden) ctx.addHidden(t, hidden, tvb, o + 3, 1, true);
  } else {
    ctx.add(t, F['ospf.v3.lsa.do_not_age'], tvb, o, 2, (age & 0x8000) !== 0);
    addV3Type(ctx, t, tvb, o + 2);
    const hidden = V3_LSA_HIDDEN[code];
    if (hidden) ctx.addHidden(t, hidden, tvb, o + 2, 2, true);
  }
  // tshark's v3 LSA header names its Link State ID as a request's is named.
  ctx.add(t, version === 2 ? F['ospf.lsa.id'] : F['ospf.link_state_id'], tvb, o + 4, 4, tvb.u32(o + 4));
  ctx.add(t, F['ospf.advrouter'], tvb, o + 8, 4, tvb.u32(o + 8));
  ctx.add(t, F['ospf.lsa.seqnum'], tvb, o + 12, 4, tvb.u32(o + 12));
  ctx.add(t, F['ospf.lsa.chksum'], tvb, o + 16, 2, tvb.u16(o + 16));
  const lenNode = ctx.add(t, F['ospf.lsa.length'], tvb, o + 18, 2, len);
  if (!full) return o + 20;
  if (len < 20) throw new MalformedError('LSA length under its header', tvb.abs(o + 18));
  const b = o + 20, end = o + len;
  if (version === 2) v2Body(tvb, ctx, t, lenNode, v2type, b, end);
  else v3Body(tvb, ctx, t, lenNode, code, b, end);
  return end;
}

function v2Body(tvb: Tvb, ctx: PacketContext, t: FieldNode, lenNode: FieldNode, type: number, b: number, end: number): void {
  switch (type) {
    case 1: {
      addFlags(ctx, t, tvb, b, 1, F['ospf.v2.router.lsa.flags'], V2_ROUTER_FLAGS);
      const n = tvb.u16(b + 2);
      ctx.add(t, F['ospf.lsa.number_of_links'], tvb, b + 2, 2, n);
      let o = b + 4;
      for (let i = 0; i < n; i++) {
        const id = tvb.u32(o), data = tvb.u32(o + 4), lt = tvb.u8(o + 8), tos = tvb.u8(o + 9), metric = tvb.u16(o + 10);
        const names = ROUTER_LINKS[lt] ?? ['Unknown', 'Unknown', 'Unknown'];
        const l = ctx.addText(t, tvb, o, 12 + 4 * tos,
          `Type: ${names[0].padEnd(8)} ID: ${formatIPv4(id).padEnd(15)} Data: ${formatIPv4(data).padEnd(15)} Metric: ${metric}`);
        ctx.add(l, F['ospf.lsa.router.linkid'], tvb, o, 4, id, () => `Link ID: ${formatIPv4(id)} - ${names[1]}`);
        ctx.add(l, F['ospf.lsa.router.linkdata'], tvb, o + 4, 4, data);
        ctx.add(l, F['ospf.lsa.router.linktype'], tvb, o + 8, 1, lt, () => `Link Type: ${lt} - ${names[2]}`);
        ctx.add(l, F['ospf.lsa.router.nummetrics'], tvb, o + 9, 1, tos, () => `Number of Metrics: ${tos} - TOS`);
        ctx.add(l, F['ospf.lsa.router.metric0'], tvb, o + 10, 2, metric);
        for (let k = 0; k < tos; k++) {
          const p = o + 12 + 4 * k;
          const tv = tvb.u8(p), m = tvb.u16(p + 2);
          ctx.add(l, F['ospf.ls.metric'], tvb, p, 4, tvb.u32(p), () => `TOS: ${tv}, Metric: ${m}`);
        }
        o += 12 + 4 * tos;
      }
      return;
    }
    case 2:
      ctx.add(t, F['ospf.lsa.network.netmask'], tvb, b, 4, tvb.u32(b));
      for (let o = b + 4; o < end; o += 4) ctx.add(t, F['ospf.lsa.network.attchrtr'], tvb, o, 4, tvb.u32(o));
      return;
    case 3:
    case 4:
      ctx.add(t, F['ospf.lsa.asbr.netmask'], tvb, b, 4, tvb.u32(b));
      for (let o = b + 4; o < end; o += 4) {
        ctx.add(t, F['ospf.lsa.tos'], tvb, o, 1, tvb.u8(o));
        ctx.add(t, F['ospf.metric'], tvb, o + 1, 3, tvb.u24(o + 1));
      }
      return;
    case 5:
    case 7:
      ctx.add(t, F['ospf.lsa.asext.netmask'], tvb, b, 4, tvb.u32(b));
      for (let o = b + 4; o < end; o += 12) {
        const e = tvb.u8(o);
        ctx.add(t, F['ospf.lsa.asext.type'], tvb, o, 1, (e & 0x80) !== 0);
        ctx.add(t, F['ospf.lsa.tos'], tvb, o, 1, e & 0x7f, () => `${bitPicture(e, 0x7f, 8)} = TOS: ${e & 0x7f}`);
        ctx.add(t, F['ospf.metric'], tvb, o + 1, 3, tvb.u24(o + 1));
        ctx.add(t, F['ospf.lsa.asext.fwdaddr'], tvb, o + 4, 4, tvb.u32(o + 4));
        ctx.add(t, F['ospf.lsa.asext.extrttag'], tvb, o + 8, 4, tvb.u32(o + 8));
      }
      return;
    case 9:
    case 10:
    case 11:
      // Opaque LSAs (RFC 5250): their TE / Router Information TLVs are not decoded here.
      return;
    default:
      ctx.addExpert(lenNode, 'warn', 'protocol', 'Unknown LSA Type');
  }
}

function v3Body(tvb: Tvb, ctx: PacketContext, t: FieldNode, lenNode: FieldNode, code: number, b: number, end: number): void {
  switch (code) {
    case 1: {
      addFlags(ctx, t, tvb, b, 1, F['ospf.v3.router.lsa.flags'], V3_ROUTER_FLAGS);
      addOptions(ctx, t, tvb, b + 1, 3);
      if (b + 4 >= end) return;
      const r = ctx.addText(t, tvb, b + 4, end - b - 4, 'Router Interfaces');
      let i = 1;
      for (let o = b + 4; o < end; o += 16) {
        const e = ctx.addText(r, tvb, o, 16, `Entry #${i++}`);
        ctx.add(e, F['ospf.v3.lsa.type'], tvb, o, 1, tvb.u8(o));
        ctx.add(e, F['ospf.reserved'], tvb, o + 1, 1, tvb.slice(o + 1, 1));
        ctx.add(e, F['ospf.metric'], tvb, o + 2, 2, tvb.u16(o + 2));
        ctx.add(e, F['ospf.v3.lsa.interface_id'], tvb, o + 4, 4, tvb.u32(o + 4));
        ctx.add(e, F['ospf.v3.lsa.neighbor_interface_id'], tvb, o + 8, 4, tvb.u32(o + 8));
        ctx.add(e, F['ospf.v3.lsa.neighbor_router_id'], tvb, o + 12, 4, tvb.u32(o + 12));
      }
      return;
    }
    case 2:
      ctx.add(t, F['ospf.reserved'], tvb, b, 1, tvb.slice(b, 1));
      addOptions(ctx, t, tvb, b + 1, 3);
      for (let o = b + 4; o < end; o += 4) ctx.add(t, F['ospf.v3.lsa.attached_router'], tvb, o, 4, tvb.u32(o));
      return;
    case 3: {
      ctx.add(t, F['ospf.reserved'], tvb, b, 1, tvb.slice(b, 1));
      ctx.add(t, F['ospf.metric'], tvb, b + 1, 3, tvb.u24(b + 1));
      prefix(tvb, ctx, t, b + 4, 'reserved');
      return;
    }
    case 4:
      ctx.add(t, F['ospf.reserved'], tvb, b, 1, tvb.slice(b, 1));
      addOptions(ctx, t, tvb, b + 1, 3);
      ctx.add(t, F['ospf.reserved'], tvb, b + 4, 1, tvb.slice(b + 4, 1));
      ctx.add(t, F['ospf.metric'], tvb, b + 5, 3, tvb.u24(b + 5));
      ctx.add(t, F['ospf.v3.lsa.destination_router_id'], tvb, b + 8, 4, tvb.u32(b + 8));
      return;
    case 5:
    case 7: {
      const flags = tvb.u8(b);
      addFlags(ctx, t, tvb, b, 1, F['ospf.v3.as.external.flags'], AS_EXTERNAL_FLAGS);
      ctx.add(t, F['ospf.metric'], tvb, b + 1, 3, tvb.u24(b + 1));
      // RFC 5340 A.4.7: the referenced type sits where other prefixes have their metric, before the address.
      const ref = tvb.u16(b + 6);
      let o = prefix(tvb, ctx, t, b + 4, 'referenced');
      if (flags & 0x02) {
        ctx.add(t, F['ospf.v3.lsa.forwarding_address.ipv6'], tvb, o, 16, tvb.slice(o, 16));
        o += 16;
      }
      if (flags & 0x01) {
        ctx.add(t, F['ospf.v3.lsa.external_route_tag'], tvb, o, 4, tvb.u32(o));
        o += 4;
      }
      if (ref !== 0) ctx.add(t, F['ospf.v3.lsa.referenced_link_state_id'], tvb, o, 4, tvb.u32(o));
      return;
    }
    case 8: {
      ctx.add(t, F['ospf.v3.lsa.router_priority'], tvb, b, 1, tvb.u8(b));
      addOptions(ctx, t, tvb, b + 1, 3);
      ctx.add(t, F['ospf.v3.lsa.link_local_interface_address.ipv6'], tvb, b + 4, 16, tvb.slice(b + 4, 16));
      const n = tvb.u32(b + 20);
      ctx.add(t, F['ospf.v3.lsa.num_prefixes'], tvb, b + 20, 4, n);
      let o = b + 24;
      for (let i = 0; i < n; i++) o = prefix(tvb, ctx, t, o, 'reserved');
      return;
    }
    case 9: {
      const n = tvb.u16(b);
      ctx.add(t, F['ospf.v3.lsa.num_prefixes'], tvb, b, 2, n);
      ctx.add(t, F['ospf.v3.lsa.referenced_ls_type'], tvb, b + 2, 2, tvb.u16(b + 2));
      ctx.add(t, F['ospf.v3.lsa.referenced_link_state_id'], tvb, b + 4, 4, tvb.u32(b + 4));
      ctx.add(t, F['ospf.v3.lsa.referenced_advertising_router'], tvb, b + 8, 4, tvb.u32(b + 8));
      let o = b + 12;
      for (let i = 0; i < n; i++) o = prefix(tvb, ctx, t, o, 'metric');
      return;
    }
    default:
      ctx.addExpert(t, 'warn', 'protocol', `Unknown LSA Type ${code}`);
  }
}

const AS_EXTERNAL_FLAGS = [F['ospf.v3.as.external.flags.e'], F['ospf.v3.as.external.flags.f'], F['ospf.v3.as.external.flags.t']];
const PREFIX_OPTIONS = [F['ospf.v3.prefix.options.p'], F['ospf.v3.prefix.options.mc'], F['ospf.v3.prefix.options.la'], F['ospf.v3.prefix.options.nu']];

/**
 * An IPv6 prefix of an LSA (RFC 5340 A.4.1): its length, options, the 16-bit field that
 * follows them (reserved, a metric or a referenced LS type, by LSA), then as many 32-bit words
 * of address as the length needs, shown as a whole address. Returns the offset after it.
 */
function prefix(tvb: Tvb, ctx: PacketContext, t: FieldNode, o: number, third: 'reserved' | 'metric' | 'referenced'): number {
  const plen = tvb.u8(o);
  ctx.add(t, F['ospf.prefix_length'], tvb, o, 1, plen);
  addFlags(ctx, t, tvb, o + 1, 1, F['ospf.v3.prefix.options'], PREFIX_OPTIONS);
  if (third === 'reserved') ctx.add(t, F['ospf.reserved'], tvb, o + 2, 2, tvb.slice(o + 2, 2));
  else if (third === 'metric') ctx.add(t, F['ospf.metric'], tvb, o + 2, 2, tvb.u16(o + 2));
  else ctx.add(t, F['ospf.v3.lsa.referenced_ls_type'], tvb, o + 2, 2, tvb.u16(o + 2));
  const bytes = Math.ceil(plen / 32) * 4;
  const addr = new Uint8Array(16);
  addr.set(tvb.slice(o + 4, Math.min(bytes, 16)));
  ctx.add(t, F['ospf.v3.address_prefix.ipv6'], tvb, o + 4, bytes, addr);
  return o + 4 + bytes;
}

export const ospfProtocol = defineProtocol('ospf', 'Open Shortest Path First', dissectOspf);
register('ip.proto', 89, ospfProtocol);

// Linux netfilter NFLOG captures (LINKTYPE_NFLOG 239; packet-nflog.c): a 4-byte header
// (family, version, resource id) and host-endian TLVs whose values are big-endian;
// NFULA_PAYLOAD (9) holds the packet, which goes by the packet header's hardware protocol (an
// ethertype) when it has one, else by the header's family. A TLV tshark does not decode, or
// one whose value has the wrong size, shows its value as bytes.
import { defineFields } from '../field.js';
import { ETHERTYPE_NAMES } from '../ethertypes.js';
import { callProtocol, defineProtocol, lookup, register } from '../dispatch.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';

/** enum nfulnl_attr_type of <linux/netfilter/nfnetlink_log.h>. */
const TLV_NAMES: Record<number, string> = {
  0: 'NFULA_UNSPEC', 1: 'NFULA_PACKET_HDR', 2: 'NFULA_MARK', 3: 'NFULA_TIMESTAMP', 4: 'NFULA_IFINDEX_INDEV', 5: 'NFULA_IFINDEX_OUTDEV',
  6: 'NFULA_IFINDEX_PHYSINDEV', 7: 'NFULA_IFINDEX_PHYSOUTDEV', 8: 'NFULA_HWADDR', 9: 'NFULA_PAYLOAD', 10: 'NFULA_PREFIX', 11: 'NFULA_UID',
  12: 'NFULA_SEQ', 13: 'NFULA_SEQ_GLOBAL', 14: 'NFULA_GID', 15: 'NFULA_HWTYPE', 16: 'NFULA_HWHEADER', 17: 'NFULA_HWLEN',
};
const TLV_PACKET_HDR = 1, TLV_TIMESTAMP = 3, TLV_PAYLOAD = 9, TLV_PREFIX = 10, TLV_UID = 11, TLV_GID = 14;
/** NFULA_IFINDEX_* (4-7): the interface index TLVs, each a field of its own. */
const IFINDEX_FIELDS = ['nflog.ifindex_indev', 'nflog.ifindex_outdev', 'nflog.ifindex_physindev', 'nflog.ifindex_physoutdev'] as const;
/** enum nf_inet_hooks (packet-netlink-netfilter.c's netfilter_hooks_vals). */
const HOOK_NAMES: Record<number, string> = { 0: 'Pre-routing', 1: 'Local in', 2: 'Forward', 3: 'Local out', 4: 'Post-routing', 5: 'Number of hooks' };

export const nflogFields = defineFields([
  { name: 'nflog.family', label: 'Family', type: 'uint8', values: { 0: 'Unspecified', 1: 'IPv4/IPv6', 2: 'IPv4', 3: 'ARP', 5: 'Netdev', 7: 'Bridge', 10: 'IPv6', 12: 'DECNET' } },
  { name: 'nflog.version', label: 'Version', type: 'uint8' },
  { name: 'nflog.res_id', label: 'Resource id', type: 'uint16' },
  { name: 'nflog.tlv_length', label: 'Length', type: 'uint16' },
  { name: 'nflog.tlv_type', label: 'Type', type: 'uint16', mask: 0x7fff, values: TLV_NAMES },
  { name: 'nflog.protocol', label: 'HW protocol', type: 'uint16', base: 'hex', values: ETHERTYPE_NAMES },
  { name: 'nflog.hook', label: 'Netfilter hook', type: 'uint8', values: HOOK_NAMES },
  { name: 'nflog.ifindex_indev', label: 'IFINDEX_INDEV', type: 'uint32' },
  { name: 'nflog.ifindex_outdev', label: 'IFINDEX_OUTDEV', type: 'uint32' },
  { name: 'nflog.ifindex_physindev', label: 'IFINDEX_PHYSINDEV', type: 'uint32' },
  { name: 'nflog.ifindex_physoutdev', label: 'IFINDEX_PHYSOUTDEV', type: 'uint32' },
  { name: 'nflog.prefix', label: 'Prefix', type: 'string' },
  { name: 'nflog.uid', label: 'UID', type: 'int32' },
  { name: 'nflog.gid', label: 'GID', type: 'int32' },
  { name: 'nflog.timestamp', label: 'Timestamp', type: 'abstime', clock: 'local' },
  { name: 'nflog.tlv_value', label: 'Value', type: 'bytes' },
] as const);

const F = nflogFields;

function dissectNflog(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = 'NFLOG';
  const family = tvb.u8(0);
  ctx.add(node, F['nflog.family'], tvb, 0, 1, family);
  ctx.add(node, F['nflog.version'], tvb, 1, 1, tvb.u8(1));
  ctx.add(node, F['nflog.res_id'], tvb, 2, 2, tvb.u16(2));
  if (ctx.tree) ctx.setText(node, 'Linux Netfilter NFLOG');
  let payload: Tvb | null = null;
  let hwProtocol = 0;
  for (let o = 4; o + 4 <= tvb.length; ) {
    // TLV lengths and types are in the capturing host's byte order (little-endian in practice).
    const len = tvb.u16le(o), type = tvb.u16le(o + 2) & 0x7fff;
    if (len < 4) break;
    const tlv = ctx.addText(node, tvb, o, len, `TLV Type: ${TLV_NAMES[type] ?? 'Unknown'} (${type}), Length: ${len}`);
    ctx.add(tlv, F['nflog.tlv_length'], tvb, o, 2, len);
    ctx.add(tlv, F['nflog.tlv_type'], tvb, o + 2, 2, type);
    if (type === TLV_PACKET_HDR && len - 4 === 4) hwProtocol = tvb.u16(o + 4);
    if (type === TLV_PAYLOAD) payload = tvb.sub(o + 4, len - 4, len - 4);
    else if (!addValue(tvb, ctx, tlv, type, o + 4, len - 4)) ctx.add(tlv, F['nflog.tlv_value'], tvb, o + 4, len - 4, tvb.slice(o + 4, len - 4));
    o += (len + 3) & ~3;
  }
  if (!payload) return;
  const inner = hwProtocol !== 0 ? lookup('ethertype', hwProtocol) : family === 2 ? lookup('ethertype', 0x0800) : family === 10 ? lookup('ethertype', 0x86dd) : undefined;
  callProtocol(inner ?? dataProtocol, payload, ctx, null);
}

/** A TLV's value as packet-nflog.c decodes it; false when it shows the bytes instead. */
function addValue(tvb: Tvb, ctx: PacketContext, tlv: FieldNode, type: number, v: number, n: number): boolean {
  if (type === TLV_PACKET_HDR && n === 4) {
    ctx.add(tlv, F['nflog.protocol'], tvb, v, 2, tvb.u16(v));
    ctx.add(tlv, F['nflog.hook'], tvb, v + 2, 1, tvb.u8(v + 2));
    return true;
  }
  const ifindex = IFINDEX_FIELDS[type - 4];
  if (ifindex !== undefined && n === 4) {
    ctx.add(tlv, F[ifindex], tvb, v, 4, tvb.u32(v));
    return true;
  }
  // The prefix is NUL-terminated within its TLV (an empty one is a lone NUL).
  if (type === TLV_PREFIX && n >= 1) {
    const nul = tvb.indexOf(0, v);
    ctx.add(tlv, F['nflog.prefix'], tvb, v, n, tvb.ascii(v, nul < 0 || nul >= v + n ? n : nul - v));
    return true;
  }
  if ((type === TLV_UID || type === TLV_GID) && n === 4) {
    ctx.add(tlv, F[type === TLV_UID ? 'nflog.uid' : 'nflog.gid'], tvb, v, 4, tvb.u32(v) | 0);
    return true;
  }
  // 64-bit seconds then 64-bit microseconds.
  if (type === TLV_TIMESTAMP && n === 16) {
    const sec = tvb.u32(v) * 2 ** 32 + tvb.u32(v + 4), usec = tvb.u32(v + 12);
    ctx.add(tlv, F['nflog.timestamp'], tvb, v, 16, { sec, nsec: usec * 1000 });
    return true;
  }
  return false;
}

export const nflogProtocol = defineProtocol('nflog', 'Linux Netfilter NFLOG', dissectNflog, 'NFLOG');
register('linktype', 239, nflogProtocol);

// Linux netfilter NFLOG captures (LINKTYPE_NFLOG 239; packet-nflog.c): a 4-byte header
// (family, version, resource id) and host-endian TLVs; NFULA_PAYLOAD (9) holds the IP packet.
import { defineFields } from '../field.js';
import { callProtocol, defineProtocol, lookup, register } from '../dispatch.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';

const TLV_NAMES: Record<number, string> = { 1: 'NFULA_PACKET_HDR', 2: 'NFULA_MARK', 3: 'NFULA_TIMESTAMP', 4: 'NFULA_IFINDEX_INDEV', 5: 'NFULA_IFINDEX_OUTDEV', 8: 'NFULA_HWADDR', 9: 'NFULA_PAYLOAD', 10: 'NFULA_PREFIX', 11: 'NFULA_UID', 14: 'NFULA_GID' };

export const nflogFields = defineFields([
  { name: 'nflog.family', label: 'Family', type: 'uint8', values: { 2: 'IPv4', 10: 'IPv6' } },
  { name: 'nflog.version', label: 'Version', type: 'uint8' },
  { name: 'nflog.res_id', label: 'Resource id', type: 'uint16' },
  { name: 'nflog.tlv_length', label: 'Length', type: 'uint16' },
  { name: 'nflog.tlv_type', label: 'Type', type: 'uint16', mask: 0x7fff, values: TLV_NAMES },
] as const);

const F = nflogFields;

function dissectNflog(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = 'NFLOG';
  const family = tvb.u8(0);
  ctx.add(node, F['nflog.family'], tvb, 0, 1, family);
  ctx.add(node, F['nflog.version'], tvb, 1, 1, tvb.u8(1));
  ctx.add(node, F['nflog.res_id'], tvb, 2, 2, tvb.u16(2));
  if (ctx.tree) ctx.setText(node, 'Linux Netfilter NFLOG');
  for (let o = 4; o + 4 <= tvb.length; ) {
    // TLV lengths and types are in the capturing host's byte order (little-endian in practice).
    const len = tvb.u16le(o), type = tvb.u16le(o + 2) & 0x7fff;
    if (len < 4) break;
    const tlv = ctx.addText(node, tvb, o, len, `TLV Type: ${TLV_NAMES[type] ?? 'Unknown'} (${type}), Length: ${len}`);
    ctx.add(tlv, F['nflog.tlv_length'], tvb, o, 2, len);
    ctx.add(tlv, F['nflog.tlv_type'], tvb, o + 2, 2, type);
    if (type === 9) {
      const inner = family === 2 ? lookup('ethertype', 0x0800) : family === 10 ? lookup('ethertype', 0x86dd) : undefined;
      ctx.setLength(node, o + 4);
      callProtocol(inner ?? dataProtocol, tvb.sub(o + 4, len - 4, len - 4), ctx, null);
      return;
    }
    o += (len + 3) & ~3;
  }
}

export const nflogProtocol = defineProtocol('nflog', 'Linux Netfilter NFLOG', dissectNflog, 'NFLOG');
register('linktype', 239, nflogProtocol);

// Captures with no link layer: raw IP (LINKTYPE_RAW 101, and DLT_RAW's platform values 12
// and 14; tshark lists a `raw` layer for these). The IP version nibble picks the protocol.
import { callProtocol, defineProtocol, lookup, register } from '../dispatch.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';

function byVersion(tvb: Tvb, ctx: PacketContext): void {
  const version = tvb.length > 0 ? tvb.u8(0) >> 4 : 0;
  const proto = version === 4 ? lookup('ethertype', 0x0800) : version === 6 ? lookup('ethertype', 0x86dd) : undefined;
  callProtocol(proto ?? dataProtocol, tvb, ctx, null);
}

function dissectRaw(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = 'Raw';
  ctx.setLength(node, 0);
  if (ctx.tree) ctx.setText(node, 'Raw packet data');
  byVersion(tvb, ctx);
}

export const rawProtocol = defineProtocol('raw', 'Raw packet data', dissectRaw);
for (const lt of [101, 12, 14]) register('linktype', lt, rawProtocol);
// LINKTYPE_IPV4 228 / LINKTYPE_IPV6 229 are registered by ipv4.ts / ipv6.ts themselves.

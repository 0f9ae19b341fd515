// MPLS label stacks (RFC 3032; EtherType 0x8847/0x8848). Below the bottom-of-stack label there
// is no type field: like Wireshark's default, the first nibble says IPv4 or IPv6.
import { defineFields } from '../field.js';
import { callProtocol, defineProtocol, lookup, register } from '../dispatch.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';

export const mplsFields = defineFields([
  { name: 'mpls.label', label: 'MPLS Label', type: 'uint32', mask: 0xfffff000 },
  { name: 'mpls.exp', label: 'MPLS Experimental Bits', type: 'uint32', mask: 0x00000e00 },
  { name: 'mpls.bottom', label: 'MPLS Bottom Of Label Stack', type: 'uint32', mask: 0x00000100 },
  { name: 'mpls.ttl', label: 'MPLS TTL', type: 'uint32', mask: 0x000000ff },
] as const);

const F = mplsFields;

function dissectMpls(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = 'MPLS';
  let o = 0;
  for (;;) {
    const entry = tvb.u32(o);
    ctx.add(node, F['mpls.label'], tvb, o, 4, entry >>> 12);
    ctx.add(node, F['mpls.exp'], tvb, o, 4, (entry >> 9) & 7);
    ctx.add(node, F['mpls.bottom'], tvb, o, 4, (entry >> 8) & 1);
    ctx.add(node, F['mpls.ttl'], tvb, o, 4, entry & 0xff);
    o += 4;
    if (entry & 0x100) break;
  }
  ctx.setLength(node, o);
  ctx.info = 'MPLS Label Switched Packet';
  const payload = tvb.sub(o);
  const nibble = payload.length ? payload.u8(0) >> 4 : 0;
  const inner = nibble === 4 ? lookup('ethertype', 0x0800) : nibble === 6 ? lookup('ethertype', 0x86dd) : undefined;
  const outer = ctx.scratch['eth.payloadUsed'];
  ctx.scratch['eth.payloadUsed'] = undefined;
  callProtocol(inner ?? dataProtocol, payload, ctx, null);
  // What the datagram used plus the label stack, for the Ethernet padding/trailer below.
  const used = ctx.scratch['eth.payloadUsed'];
  ctx.scratch['eth.payloadUsed'] = typeof used === 'number' ? o + used : outer;
}

export const mplsProtocol = defineProtocol('mpls', 'MultiProtocol Label Switching Header', dissectMpls, 'MPLS');
register('ethertype', 0x8847, mplsProtocol);
register('ethertype', 0x8848, mplsProtocol);

// MPLS label stacks (RFC 3032; EtherType 0x8847/0x8848). Below the bottom-of-stack label there
// is no type field: like Wireshark's default, the first nibble says IPv4 or IPv6.
import { defineFields } from '../field.js';
import { bitPicture } from '../format.js';
import { callProtocol, defineProtocol, lookup, register } from '../dispatch.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';

/** The reserved labels packet-mpls.c names (RFC 3032, 6790, 5586, 3429). */
const SPECIAL_LABELS: Record<number, string> = {
  0: 'IPv4 Explicit-Null', 1: 'Router Alert', 2: 'IPv6 Explicit-Null', 3: 'Implicit-Null', 7: 'Entropy Label Indicator (ELI)',
  13: 'Generic Associated Channel Label (GAL)', 14: 'OAM Alert',
};
/** Labels 0-15 are reserved: shown by name. */
const MAX_RESERVED = 15;

export const mplsFields = defineFields([
  { name: 'mpls.label', label: 'MPLS Label', type: 'uint32', base: 'dec_hex', mask: 0xfffff000 },
  { name: 'mpls.exp', label: 'MPLS Experimental Bits', type: 'uint32', mask: 0x00000e00 },
  { name: 'mpls.bottom', label: 'MPLS Bottom Of Label Stack', type: 'uint32', mask: 0x00000100 },
  { name: 'mpls.ttl', label: 'MPLS TTL', type: 'uint32', mask: 0x000000ff },
] as const);

const F = mplsFields;

function dissectMpls(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = 'MPLS';
  let o = 0;
  // One item per label stack entry, side by side (packet-mpls.c), the first the layer's own.
  for (let item = node; ; item = ctx.add(null, mplsProtocol.field, tvb, o, 4, null)) {
    const entry = tvb.u32(o);
    const label = entry >>> 12, exp = (entry >> 9) & 7, s = (entry >> 8) & 1, ttl = entry & 0xff;
    ctx.setLength(item, 4);
    if (ctx.tree) {
      const named = label <= MAX_RESERVED ? ` (${SPECIAL_LABELS[label] ?? 'Reserved - Unknown'})` : '';
      ctx.setText(item, `MultiProtocol Label Switching Header, Label: ${label}${named}, Exp: ${exp}, S: ${s}, TTL: ${ttl}`);
    }
    const labelText = label <= MAX_RESERVED ? () => `${bitPicture(entry, 0xfffff000, 32)} = MPLS Label: ${SPECIAL_LABELS[label] ?? 'Unknown'} (${label})` : undefined;
    ctx.add(item, F['mpls.label'], tvb, o, 4, label, labelText);
    ctx.add(item, F['mpls.exp'], tvb, o, 4, exp);
    ctx.add(item, F['mpls.bottom'], tvb, o, 4, s);
    ctx.add(item, F['mpls.ttl'], tvb, o, 4, ttl);
    o += 4;
    if (s) break;
  }
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

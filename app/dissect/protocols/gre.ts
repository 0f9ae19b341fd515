// Generic Routing Encapsulation (RFC 2784/2890; packet-gre.c). The protocol type is looked up
// in the `gre.proto` table first (tunnel-specific types such as Aruba's 0x8200 = 802.11), then
// as an ordinary EtherType. tshark lists no `ethertype` layer between gre and its payload.
import { defineFields } from '../field.js';
import { callProtocol, defineProtocol, lookup, register } from '../dispatch.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';

export const greFields = defineFields([
  { name: 'gre.flags_and_version', label: 'Flags and Version', type: 'uint16', base: 'hex' },
  { name: 'gre.flags.checksum', label: 'Checksum Bit', type: 'boolean', mask: 0x8000, tf: ['Yes', 'No'] },
  { name: 'gre.flags.routing', label: 'Routing Bit', type: 'boolean', mask: 0x4000, tf: ['Yes', 'No'] },
  { name: 'gre.flags.key', label: 'Key Bit', type: 'boolean', mask: 0x2000, tf: ['Yes', 'No'] },
  { name: 'gre.flags.sequence_number', label: 'Sequence Number Bit', type: 'boolean', mask: 0x1000, tf: ['Yes', 'No'] },
  { name: 'gre.flags.version', label: 'Version', type: 'uint16', mask: 0x0007 },
  { name: 'gre.proto', label: 'Protocol Type', type: 'uint16', base: 'hex', values: { 0x0800: 'IP', 0x86dd: 'IPv6', 0x880b: 'PPP', 0x6558: 'Transparent Ethernet bridging', 0x8200: 'ARUBA WLAN' } },
  { name: 'gre.checksum', label: 'Checksum', type: 'uint16', base: 'hex' },
  { name: 'gre.key', label: 'GRE Key', type: 'uint32', base: 'hex' },
  { name: 'gre.sequence_number', label: 'Sequence Number', type: 'uint32' },
] as const);

const F = greFields;

function dissectGre(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = 'GRE';
  const fv = tvb.u16(0), type = tvb.u16(2);
  const fl = ctx.add(node, F['gre.flags_and_version'], tvb, 0, 2, fv);
  ctx.add(fl, F['gre.flags.checksum'], tvb, 0, 2, (fv & 0x8000) !== 0);
  ctx.add(fl, F['gre.flags.routing'], tvb, 0, 2, (fv & 0x4000) !== 0);
  ctx.add(fl, F['gre.flags.key'], tvb, 0, 2, (fv & 0x2000) !== 0);
  ctx.add(fl, F['gre.flags.sequence_number'], tvb, 0, 2, (fv & 0x1000) !== 0);
  ctx.add(fl, F['gre.flags.version'], tvb, 0, 2, fv & 7);
  ctx.add(node, F['gre.proto'], tvb, 2, 2, type);
  let o = 4;
  if (fv & 0xc000) { ctx.add(node, F['gre.checksum'], tvb, o, 2, tvb.u16(o)); o += 4; }
  if (fv & 0x2000) { ctx.add(node, F['gre.key'], tvb, o, 4, tvb.u32(o)); o += 4; }
  if (fv & 0x1000) { ctx.add(node, F['gre.sequence_number'], tvb, o, 4, tvb.u32(o)); o += 4; }
  ctx.setLength(node, o);
  const name = F['gre.proto'].values?.[type];
  if (ctx.tree) ctx.setText(node, `Generic Routing Encapsulation (${name ?? `0x${type.toString(16).padStart(4, '0')}`})`);
  ctx.info = `Encapsulated ${name ?? `0x${type.toString(16).padStart(4, '0')}`}`;
  const inner = lookup('gre.proto', type) ?? lookup('ethertype', type);
  callProtocol(inner ?? dataProtocol, tvb.sub(o), ctx, null);
}

export const greProtocol = defineProtocol('gre', 'Generic Routing Encapsulation', dissectGre, 'GRE');
register('ip.proto', 47, greProtocol);

// Generic Routing Encapsulation (RFC 2784/2890; packet-gre.c). The protocol type is looked up
// in the `gre.proto` table first (tunnel-specific types such as Aruba's 0x8200 = 802.11), then
// as an ordinary EtherType. tshark lists no `ethertype` layer between gre and its payload.
import { defineFields } from '../field.js';
import { bitPicture } from '../format.js';
import { callProtocol, defineProtocol, lookup, register } from '../dispatch.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';

/** GRE protocol types (mostly ethertypes) as tshark names them: the type line, the title and Info. */
const GRE_PROTOCOLS: Record<number, string> = {
  0x0000: 'Possible GRE keepalive packet', 0x00fe: 'OSI', 0x0800: 'IP', 0x0806: 'ARP', 0x2000: 'CDP (Cisco)',
  0x2001: 'NHRP', 0x22eb: 'ERSPAN III', 0x6400: 'MIKROTIK EoIP', 0x6558: 'Transparent Ethernet bridging',
  0x6559: 'Frame Relay', 0x8137: 'IPX', 0x8200: 'ARUBA WLAN', 0x8210: 'ARUBA WLAN', 0x8220: 'ARUBA WLAN',
  0x8230: 'ARUBA WLAN', 0x8240: 'ARUBA WLAN', 0x8250: 'ARUBA WLAN', 0x8260: 'ARUBA WLAN', 0x8270: 'ARUBA WLAN',
  0x8280: 'ARUBA WLAN', 0x8290: 'ARUBA WLAN', 0x82a0: 'ARUBA WLAN', 0x82b0: 'ARUBA WLAN', 0x82c0: 'ARUBA WLAN',
  0x82d0: 'ARUBA WLAN', 0x82e0: 'ARUBA WLAN', 0x82f0: 'ARUBA WLAN', 0x8300: 'ARUBA WLAN', 0x8310: 'ARUBA WLAN',
  0x8320: 'ARUBA WLAN', 0x8330: 'ARUBA WLAN', 0x8340: 'ARUBA WLAN', 0x8350: 'ARUBA WLAN', 0x8360: 'ARUBA WLAN',
  0x8370: 'ARUBA WLAN', 0x86dd: 'IPv6', 0x880b: 'PPP', 0x883e: 'WCCP', 0x8847: 'MPLS label switched packet',
  0x8881: 'CDMA2000 A10 Unstructured byte stream', 0x88be: 'ERSPAN', 0x88d2: 'CDMA2000 A10 3GPP2 Packet',
  0x8909: 'CiscoMetaData', 0x894f: 'Network Service Header', 0x9000: 'ARUBA WLAN', 0xb7ea: 'Huawei GRE bonding',
  0xfeae: 'AIROHIVE AP AP',
};

export const greFields = defineFields([
  { name: 'gre.flags_and_version', label: 'Flags and Version', type: 'uint16', base: 'hex' },
  { name: 'gre.flags.checksum', label: 'Checksum Bit', type: 'boolean', mask: 0x8000, tf: ['Yes', 'No'] },
  { name: 'gre.flags.routing', label: 'Routing Bit', type: 'boolean', mask: 0x4000, tf: ['Yes', 'No'] },
  { name: 'gre.flags.key', label: 'Key Bit', type: 'boolean', mask: 0x2000, tf: ['Yes', 'No'] },
  { name: 'gre.flags.sequence_number', label: 'Sequence Number Bit', type: 'boolean', mask: 0x1000, tf: ['Yes', 'No'] },
  { name: 'gre.flags.strict_source_route', label: 'Strict Source Route Bit', type: 'boolean', mask: 0x0800, tf: ['Yes', 'No'] },
  { name: 'gre.flags.recursion_control', label: 'Recursion control', type: 'uint16', mask: 0x0700 },
  { name: 'gre.flags.ack', label: 'Acknowledgment', type: 'boolean', mask: 0x0080, tf: ['Yes', 'No'] },
  { name: 'gre.flags.reserved', label: 'Flags (Reserved)', type: 'uint16', mask: 0x00f8 },
  { name: 'gre.flags.version', label: 'Version', type: 'uint16', mask: 0x0007, values: { 0: 'GRE', 1: 'Enhanced GRE' } },
  { name: 'gre.proto', label: 'Protocol Type', type: 'uint16', base: 'hex', values: GRE_PROTOCOLS },
  { name: 'gre.checksum', label: 'Checksum', type: 'uint16', base: 'hex' },
  { name: 'gre.key', label: 'GRE Key', type: 'uint32', base: 'hex' },
  { name: 'gre.sequence_number', label: 'Sequence Number', type: 'uint32' },
  { name: 'gre.key.payload_length', label: 'Payload Length', type: 'uint16' },
  { name: 'gre.key.call_id', label: 'Call ID', type: 'uint16' },
  { name: 'gre.ack_number', label: 'Acknowledgment Number', type: 'uint32' },
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
  ctx.add(fl, F['gre.flags.strict_source_route'], tvb, 0, 2, (fv & 0x0800) !== 0);
  ctx.add(fl, F['gre.flags.recursion_control'], tvb, 0, 2, (fv >> 8) & 7);
  // Version 1 is PPTP's Enhanced GRE (RFC 2637): an acknowledgment bit, and a key that is a
  // payload length and a call id.
  const enhanced = (fv & 7) === 1;
  if (enhanced) {
    ctx.add(fl, F['gre.flags.ack'], tvb, 0, 2, (fv & 0x0080) !== 0);
    // Wireshark's field for these four bits is gre.flags.reserved too (a second definition of
    // that name with this mask): the same field here, its bits drawn by hand.
    const reserved = (fv >> 3) & 0xf;
    ctx.add(fl, F['gre.flags.reserved'], tvb, 0, 2, reserved, ctx.tree ? () => `${bitPicture(fv, 0x0078, 16)} = Flags (Reserved): ${reserved}` : undefined);
  } else {
    ctx.add(fl, F['gre.flags.reserved'], tvb, 0, 2, (fv >> 3) & 0x1f);
  }
  ctx.add(fl, F['gre.flags.version'], tvb, 0, 2, fv & 7);
  ctx.add(node, F['gre.proto'], tvb, 2, 2, type);
  let o = 4;
  if (fv & 0xc000) { ctx.add(node, F['gre.checksum'], tvb, o, 2, tvb.u16(o)); o += 4; }
  if (fv & 0x2000) {
    if (enhanced) {
      ctx.add(node, F['gre.key.payload_length'], tvb, o, 2, tvb.u16(o));
      ctx.add(node, F['gre.key.call_id'], tvb, o + 2, 2, tvb.u16(o + 2));
    } else {
      ctx.add(node, F['gre.key'], tvb, o, 4, tvb.u32(o));
    }
    o += 4;
  }
  if (fv & 0x1000) { ctx.add(node, F['gre.sequence_number'], tvb, o, 4, tvb.u32(o)); o += 4; }
  if (enhanced && fv & 0x0080) { ctx.add(node, F['gre.ack_number'], tvb, o, 4, tvb.u32(o)); o += 4; }
  ctx.setLength(node, o);
  const name = F['gre.proto'].values?.[type];
  if (ctx.tree) ctx.setText(node, `Generic Routing Encapsulation (${name ?? `0x${type.toString(16).padStart(4, '0')}`})`);
  ctx.info = `Encapsulated ${name ?? `0x${type.toString(16).padStart(4, '0')}`}`;
  const inner = lookup('gre.proto', type) ?? lookup('ethertype', type);
  callProtocol(inner ?? dataProtocol, tvb.sub(o), ctx, null);
}

export const greProtocol = defineProtocol('gre', 'Generic Routing Encapsulation', dissectGre, 'GRE');
register('ip.proto', 47, greProtocol);

// PPP over Ethernet sessions (RFC 2516; EtherType 0x8864) and the PPP frame inside
// (RFC 1661; packet-ppp.c): the PPP protocol number picks IPv4 / IPv6 through `ppp.proto`.
// PPP in HDLC-like framing (RFC 1662: GRE's 0x880b, LINKTYPE_PPP) shows its Address and
// Control octets when they are there (packet-ppp.c's dissect_ppp_hdlc_common); a protocol
// field whose first octet is odd is one octet long (Protocol-Field-Compression).
import { defineFields } from '../field.js';
import { callProtocol, defineProtocol, lookup, register } from '../dispatch.js';
import type { PacketContext } from '../packet.js';
import { addPppoeHeader } from '../pppoe-header.js';
import type { FieldNode } from '../tree.js';
import { PPP_PROTOCOL_NAMES } from '../ppp-protocols.js';
import type { Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';

export const pppFields = defineFields([
  { name: 'ppp.address', label: 'Address', type: 'uint8', base: 'hex' },
  { name: 'ppp.control', label: 'Control', type: 'uint8', base: 'hex' },
  { name: 'ppp.protocol', label: 'Protocol', type: 'uint16', base: 'hex', values: PPP_PROTOCOL_NAMES },
] as const);

const F = pppFields;

function dissectPppoes(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = 'PPPoES';
  const len = addPppoeHeader(tvb, ctx, node);
  ctx.setLength(node, 6);
  if (ctx.tree) ctx.setText(node, 'PPP-over-Ethernet Session');
  ctx.info = 'PPP';
  callProtocol(pppProtocol, tvb.sub(6, len, len), ctx, null);
  ctx.scratch['eth.payloadUsed'] = 6 + len;
}

/** The PPP header from `o` on: the protocol field, then the protocol it names (tshark's dissect_ppp_common). */
function dissectPppFrom(tvb: Tvb, ctx: PacketContext, node: FieldNode, o: number): void {
  ctx.protocol = 'PPP';
  const first = tvb.u8(o);
  const size = first & 1 ? 1 : 2;
  const proto = size === 1 ? first : tvb.u16(o);
  ctx.add(node, F['ppp.protocol'], tvb, o, size, proto);
  ctx.setLength(node, o + size);
  const inner = lookup('ppp.proto', proto) ?? (proto === 0x0021 ? lookup('ethertype', 0x0800) : proto === 0x0057 ? lookup('ethertype', 0x86dd) : undefined);
  if (!inner) {
    const hex = `0x${proto.toString(16).padStart(4, '0')}`;
    ctx.protocol = hex;
    ctx.info = `PPP ${PPP_PROTOCOL_NAMES[proto] ?? 'Unknown'} (${hex})`;
  }
  callProtocol(inner ?? dataProtocol, tvb.sub(o + size), ctx, null);
}

function dissectPpp(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  // Address/control (ff 03) may be present or compressed away.
  dissectPppFrom(tvb, ctx, node, tvb.u8(0) === 0xff && tvb.u8(1) === 0x03 ? 2 : 0);
}

function dissectPppHdlc(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  const framed = tvb.u8(0) === 0xff;
  if (framed) {
    ctx.add(node, F['ppp.address'], tvb, 0, 1, 0xff);
    ctx.add(node, F['ppp.control'], tvb, 1, 1, tvb.u8(1));
  }
  dissectPppFrom(tvb, ctx, node, framed ? 2 : 0);
}

export const pppProtocol = defineProtocol('ppp', 'Point-to-Point Protocol', dissectPpp, 'PPP');
export const pppoesProtocol = defineProtocol('pppoes', 'PPP-over-Ethernet Session', dissectPppoes, 'PPPoES');
register('ethertype', 0x8864, pppoesProtocol);
const pppHdlcProtocol = { ...pppProtocol, dissect: dissectPppHdlc };
register('gre.proto', 0x880b, pppHdlcProtocol);
register('linktype', 9, pppHdlcProtocol);

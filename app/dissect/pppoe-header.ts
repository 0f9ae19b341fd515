// The 6-octet PPPoE header (RFC 2516 section 4) that both PPPoE stages share: Version, Type,
// Code, Session ID and Payload Length, as packet-pppoe.c registers them once (pppoe.*) for its
// Discovery (pppoed.ts, EtherType 0x8863) and Session (ppp.ts, 0x8864) dissectors.
import { defineFields } from './field.js';
import type { PacketContext } from './packet.js';
import type { FieldNode } from './tree.js';
import type { Tvb } from './tvb.js';

export const PPPOE_CODES: Readonly<Record<number, string>> = {
  0x00: 'Session Data', 0x07: 'Active Discovery Offer (PADO)', 0x09: 'Active Discovery Initiation (PADI)', 0x0a: 'Active Discovery Session-Grant (PADG)',
  0x0b: 'Active Discovery Session-Credit Resp.(PADC)', 0x0c: 'Active Discovery Quality (PADQ)', 0x19: 'Active Discovery Request (PADR)',
  0x65: 'Active Discovery Session-confirmation (PADS)', 0xa7: 'Active Discovery Terminate (PADT)', 0xd3: 'Active Discovery Message (PADM)',
  0xd4: 'Active Discovery Network (PADN)',
};

export const pppoeFields = defineFields([
  { name: 'pppoe.version', label: 'Version', type: 'uint8', mask: 0xf0 },
  { name: 'pppoe.type', label: 'Type', type: 'uint8', mask: 0x0f },
  { name: 'pppoe.code', label: 'Code', type: 'uint8', base: 'hex', values: PPPOE_CODES },
  { name: 'pppoe.session_id', label: 'Session ID', type: 'uint16', base: 'hex' },
  { name: 'pppoe.payload_length', label: 'Payload Length', type: 'uint16' },
] as const);

/** Adds the header's five fields under `node`; returns the Payload Length. */
export function addPppoeHeader(tvb: Tvb, ctx: PacketContext, node: FieldNode): number {
  const F = pppoeFields;
  const vt = tvb.u8(0);
  ctx.add(node, F['pppoe.version'], tvb, 0, 1, vt >> 4);
  ctx.add(node, F['pppoe.type'], tvb, 0, 1, vt & 15);
  ctx.add(node, F['pppoe.code'], tvb, 1, 1, tvb.u8(1));
  ctx.add(node, F['pppoe.session_id'], tvb, 2, 2, tvb.u16(2));
  const len = tvb.u16(4);
  ctx.add(node, F['pppoe.payload_length'], tvb, 4, 2, len);
  return len;
}

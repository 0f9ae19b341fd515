// Cisco HDLC (LINKTYPE_C_HDLC 104; RFC 1547 4.3.1) and Cisco's Serial Line Address Resolution
// Protocol, SLARP, as tshark 4.0's packet-chdlc.c shows them. A CHDLC frame is an address
// (unicast 0x0f, multicast 0x8f), a control octet and a 16-bit protocol code: EtherTypes for IP,
// IPv6 and MPLS, and codes of Cisco's own (SLARP 0x8035, which on Ethernet would be RARP; CDP
// 0x2000; BPDUs 0x4242). SLARP lives here, as in packet-chdlc.c: CHDLC is its only carrier.
import { defineFields } from '../field.js';
import { callProtocol, defineProtocol, lookup, register, type Protocol } from '../dispatch.js';
import { formatIPv4 } from '../format.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';

const SLARP = 0x8035, CDP = 0x2000, BPDU = 0x4242, OSI = 0xfefe;
/** chdlc_vals: the protocol codes packet-chdlc.c names. */
const PROTOCOL_NAMES: Record<number, string> = {
  [CDP]: 'Cisco Discovery Protocol', 0x0800: 'IP', 0x86dd: 'IPv6', [SLARP]: 'SLARP', 0x8038: 'DEC LanBridge', [BPDU]: 'Spanning Tree BPDU',
  0x809b: 'Appletalk', 0x80f3: 'AARP', 0x8137: 'Netware IPX/SPX', 0x6558: 'Transparent Ethernet bridging', [OSI]: 'OSI', 0x8847: 'MPLS unicast',
  0x8848: 'MPLS multicast',
};
/** The codes that are EtherTypes and whose protocol registers in tshark's chdlc.protocol table too. */
const ETHERTYPE_CODES = new Set([0x0800, 0x86dd, 0x8847, 0x8848]);
/** NLPIDs of CLNP, ES-IS and IS-IS: OSI frames that start with one have no padding octet. */
const OSI_NLPIDS = new Set([0x81, 0x82, 0x83]);

const SLARP_REQUEST = 0, SLARP_REPLY = 1, SLARP_LINECHECK = 2;
const SLARP_TYPES: Record<number, string> = { [SLARP_REQUEST]: 'Request', [SLARP_REPLY]: 'Reply', [SLARP_LINECHECK]: 'Line keepalive' };
/** The part of a SLARP packet packet-chdlc.c's item covers (type, two words, reliability). */
const SLARP_LENGTH = 14;

export const chdlcFields = defineFields([
  { name: 'chdlc.address', label: 'Address', type: 'uint8', base: 'hex', values: { 0x0f: 'Unicast', 0x8f: 'Multicast' } },
  { name: 'chdlc.control', label: 'Control', type: 'uint8', base: 'hex' },
  { name: 'chdlc.protocol', label: 'Protocol', type: 'uint16', base: 'hex', values: PROTOCOL_NAMES },
  { name: 'chdlc.clns_padding', label: 'CLNS Padding', type: 'uint8', base: 'hex' },
  { name: 'slarp.ptype', label: 'Packet type', type: 'uint32', values: SLARP_TYPES },
  { name: 'slarp.address', label: 'Address', type: 'ipv4' },
  { name: 'slarp.netmask', label: 'Netmask', type: 'ipv4' },
  { name: 'slarp.mysequence', label: 'Outgoing sequence number', type: 'uint32' },
  { name: 'slarp.yoursequence', label: 'Returned sequence number', type: 'uint32' },
  { name: 'slarp.reliability', label: 'Reliability', type: 'uint16', base: 'hex' },
] as const);
const F = chdlcFields;

function dissectSlarp(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = 'SLARP';
  ctx.info = '';
  const code = tvb.u32(0);
  ctx.setLength(node, SLARP_LENGTH);
  const name = SLARP_TYPES[code] ?? `Unknown (${code})`;
  if (code === SLARP_REQUEST || code === SLARP_REPLY) {
    const addr = tvb.u32(4), mask = tvb.u32(8);
    ctx.info = `${name}, from ${formatIPv4(addr)}, mask ${formatIPv4(mask)}`;
    ctx.add(node, F['slarp.ptype'], tvb, 0, 4, code);
    ctx.add(node, F['slarp.address'], tvb, 4, 4, addr);
    ctx.add(node, F['slarp.netmask'], tvb, 8, 4, mask);
  } else if (code === SLARP_LINECHECK) {
    const mine = tvb.u32(4), yours = tvb.u32(8);
    ctx.info = `${name}, outgoing sequence ${mine}, returned sequence ${yours}`;
    ctx.add(node, F['slarp.ptype'], tvb, 0, 4, code);
    ctx.add(node, F['slarp.mysequence'], tvb, 4, 4, mine);
    ctx.add(node, F['slarp.yoursequence'], tvb, 8, 4, yours);
    const reliability = tvb.u16(12);
    const item = ctx.add(node, F['slarp.reliability'], tvb, 12, 2, reliability);
    if (reliability !== 0xffff) ctx.addExpert(item, 'error', 'malformed', 'Reliability must be 0xFFFF');
  } else {
    ctx.info = `Unknown packet type 0x${code.toString(16).toUpperCase().padStart(8, '0')}`;
    ctx.add(node, F['slarp.ptype'], tvb, 0, 4, code);
    // The rest goes to data under the SLARP item.
    callProtocol(dataProtocol, tvb.sub(4), ctx, node);
  }
}

export const slarpProtocol = defineProtocol('slarp', 'Cisco SLARP', dissectSlarp);

/** The protocol for a CHDLC protocol code (tshark's chdlc.protocol table), if one is known. */
function payloadProtocol(code: number): Protocol | undefined {
  if (code === SLARP) return slarpProtocol;
  if (code === CDP) return lookup('llc.cisco_pid', CDP);
  if (code === BPDU) return lookup('llc.dsap', 0x42);
  return ETHERTYPE_CODES.has(code) ? lookup('ethertype', code) : undefined;
}

function dissectChdlc(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = 'CHDLC';
  ctx.info = '';
  // A serial line has no link addresses: packet-chdlc.c puts N/A in both columns (DTE/DCE when
  // the capture says which way the frame went).
  ctx.src = ctx.dst = 'N/A';
  ctx.endpoints = { src: ctx.src, dst: ctx.dst };
  const code = tvb.u16(2);
  ctx.setLength(node, 4);
  ctx.add(node, F['chdlc.address'], tvb, 0, 1, tvb.u8(0));
  ctx.add(node, F['chdlc.control'], tvb, 1, 1, tvb.u8(1));
  ctx.add(node, F['chdlc.protocol'], tvb, 2, 2, code);
  let o = 4;
  // CLNS over CHDLC has a padding octet before the NLPID (older Juniper software sends none).
  if (code === OSI && !OSI_NLPIDS.has(tvb.u8(o))) {
    ctx.add(node, F['chdlc.clns_padding'], tvb, o, 1, tvb.u8(o));
    o++;
  }
  const next = payloadProtocol(code);
  if (!next) ctx.protocol = `0x${code.toString(16).padStart(4, '0')}`;
  callProtocol(next ?? dataProtocol, tvb.sub(o), ctx, null);
}

export const chdlcProtocol = defineProtocol('chdlc', 'Cisco HDLC', dissectChdlc);
register('linktype', 104, chdlcProtocol);

// Linux "cooked" capture headers: SLL v1 (LINKTYPE_LINUX_SLL 113, 16 bytes) and SLL2
// (LINKTYPE_LINUX_SLL2 276, 20 bytes), as written for `tcpdump -i any` (packet-sll.c).
import { defineFields } from '../field.js';
import { callProtocol, defineProtocol, dispatchEthertype, register } from '../dispatch.js';
import { addEthernetTrailer } from '../ethtrailer.js';
import { ETHERTYPE_NAMES } from '../ethertypes.js';
import { formatEther, formatIPv4, hexBytes } from '../format.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';
import { ARPHRD_NAMES } from '../arphrd.js';

const PACKET_TYPES = { 0: 'Unicast to us', 1: 'Broadcast', 2: 'Multicast', 3: 'Unicast to another host', 4: 'Sent by us' };

const LINUX_PROTOCOLS: Record<number, string> = { 0x1: 'Raw 802.3', 0x3: 'Ethernet', 0x4: '802.2 LLC', 0x7: 'PPP (HDLC)', 0xc: 'CAN', 0xd: 'CAN FD', 0x17: 'IrDA LAP', 0xf5: 'ISI', 0xf6: 'IEEE 802.15.4' };

export const sllFields = defineFields([
  { name: 'sll.pkttype', label: 'Packet type', type: 'uint16', values: PACKET_TYPES },
  { name: 'sll.hatype', label: 'Link-layer address type', type: 'uint16', values: ARPHRD_NAMES },
  { name: 'sll.halen', label: 'Link-layer address length', type: 'uint16' },
  { name: 'sll.src.eth', label: 'Source', type: 'ether' },
  { name: 'sll.src.ipv4', label: 'Source', type: 'ipv4' },
  { name: 'sll.src.other', label: 'Source', type: 'bytes' },
  { name: 'sll.unused', label: 'Unused', type: 'bytes' },
  { name: 'sll.ltype', label: 'Protocol', type: 'uint16', base: 'hex', values: LINUX_PROTOCOLS },
  { name: 'sll.etype', label: 'Protocol', type: 'uint16', base: 'hex', values: ETHERTYPE_NAMES },
  { name: 'sll.ifindex', label: 'Interface index', type: 'uint32' },
  { name: 'sll.trailer', label: 'Trailer', type: 'bytes' },
] as const);

const F = sllFields;
const ARPHRD_ETHER = 1, ARPHRD_LOOPBACK = 772, ARPHRD_IPGRE = 778, ARPHRD_NETLINK = 824;

/** Whether the protocol field is an EtherType (else a Linux pseudo type ≤ 1500, or netlink's). */
function isEthertype(protocol: number, hatype: number): boolean {
  return protocol > 1500 && hatype !== ARPHRD_NETLINK;
}

/** The protocol field, in header order: v1 has it last, v2 first. */
function addProtocol(tvb: Tvb, ctx: PacketContext, node: FieldNode, protoOff: number, protocol: number, hatype: number): void {
  ctx.add(node, isEthertype(protocol, hatype) ? F['sll.etype'] : F['sll.ltype'], tvb, protoOff, 2, protocol);
}

/** Common tail: address, then (v1) the protocol, then the payload by it. */
function addressAndPayload(tvb: Tvb, ctx: PacketContext, node: FieldNode, hatype: number, halen: number, addrOff: number, protoOff: number, protocol: number, hdrLen: number): void {
  const shown = Math.min(halen, 8);
  if (hatype === ARPHRD_ETHER || hatype === ARPHRD_LOOPBACK) {
    if (halen === 6) {
      const mac = tvb.slice(addrOff, 6);
      ctx.add(node, F['sll.src.eth'], tvb, addrOff, 6, mac);
      ctx.src = formatEther(mac);
    } else if (shown) {
      ctx.add(node, F['sll.src.other'], tvb, addrOff, shown, tvb.slice(addrOff, shown));
    }
  } else if (hatype === ARPHRD_IPGRE && halen === 4) {
    const ip = tvb.u32(addrOff);
    ctx.add(node, F['sll.src.ipv4'], tvb, addrOff, 4, ip);
    ctx.src = formatIPv4(ip);
  } else if (shown) {
    ctx.add(node, F['sll.src.other'], tvb, addrOff, shown, tvb.slice(addrOff, shown));
    ctx.src = hexBytes(tvb.slice(addrOff, shown), ':');
  }
  // The address field is 8 bytes; what the address length leaves over is shown as unused.
  if (shown < 8) ctx.add(node, F['sll.unused'], tvb, addrOff + shown, 8 - shown, tvb.slice(addrOff + shown, 8 - shown));
  ctx.endpoints = { src: ctx.src, dst: ctx.dst };
  ctx.setLength(node, hdrLen);
  const payload = tvb.sub(hdrLen);
  if (protoOff !== 0) addProtocol(tvb, ctx, node, protoOff, protocol, hatype);
  if (isEthertype(protocol, hatype)) {
    ctx.scratch['eth.payloadUsed'] = undefined;
    if (!dispatchEthertype(protocol, payload, ctx, null)) callProtocol(dataProtocol, payload, ctx, null);
    // packet-sll.c passes its payload through the ethertype dissector (trailer sll.trailer, no
    // FCS): a short ARP frame's zero padding shows as eth.padding here too.
    const used = ctx.scratch['eth.payloadUsed'];
    if (typeof used === 'number') addEthernetTrailer(ctx, node, tvb, hdrLen + used, F['sll.trailer'], false);
    return;
  }
  // LINUX_SLL_P_* pseudo protocols (802.2 LLC = 4, 802.3 = 1, CAN, ...): not decoded further.
  callProtocol(dataProtocol, payload, ctx, null);
}

function dissectSll(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = 'SLL';
  tvb.check(0, 16);
  const pkttype = tvb.u16(0), hatype = tvb.u16(2), halen = tvb.u16(4), protocol = tvb.u16(14);
  if (ctx.tree) ctx.setText(node, `Linux cooked capture v1`);
  ctx.add(node, F['sll.pkttype'], tvb, 0, 2, pkttype);
  ctx.add(node, F['sll.hatype'], tvb, 2, 2, hatype);
  ctx.add(node, F['sll.halen'], tvb, 4, 2, halen);
  addressAndPayload(tvb, ctx, node, hatype, halen, 6, 14, protocol, 16);
}

function dissectSll2(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = 'SLL';
  tvb.check(0, 20);
  const protocol = tvb.u16(0), ifindex = tvb.u32(4), hatype = tvb.u16(8), pkttype = tvb.u8(10), halen = tvb.u8(11);
  if (ctx.tree) ctx.setText(node, `Linux cooked capture v2`);
  addProtocol(tvb, ctx, node, 0, protocol, hatype);
  ctx.add(node, F['sll.ifindex'], tvb, 4, 4, ifindex);
  ctx.add(node, F['sll.hatype'], tvb, 8, 2, hatype);
  ctx.add(node, F['sll.pkttype'], tvb, 10, 1, pkttype);
  ctx.add(node, F['sll.halen'], tvb, 11, 1, halen);
  addressAndPayload(tvb, ctx, node, hatype, halen, 12, 0, protocol, 20);
}

export const sllProtocol = defineProtocol('sll', 'Linux cooked capture', dissectSll);
register('linktype', 113, sllProtocol);
// SLL2 is the same protocol id in tshark (frame.protocols shows `sll`).
register('linktype', 276, { ...sllProtocol, dissect: dissectSll2 });

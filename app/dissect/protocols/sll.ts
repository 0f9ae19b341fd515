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

const PACKET_TYPES = { 0: 'Unicast to us', 1: 'Broadcast', 2: 'Multicast', 3: 'Unicast to another host', 4: 'Sent by us' };

// ARPHRD_* names as tshark 4.0 shows them (tshark -G values for sll.hatype).
const HATYPES: Record<number, string> = {
  0: 'NET/ROM pseudo', 1: 'Ethernet', 2: 'Experimental Ethernet', 3: 'AX.25', 4: 'ProNET', 5: 'Chaos',
  6: 'IEEE 802', 7: 'ARCNET', 8: 'Hyperchannel', 9: 'Lanstar', 10: 'Autonet Short Address', 11: 'Localtalk',
  12: 'LocalNet', 13: 'Ultra link', 14: 'SMDS', 15: 'Frame Relay DLCI', 16: 'ATM', 17: 'HDLC',
  18: 'Fibre Channel', 19: 'ATM (RFC 2225)', 20: 'Serial Line', 21: 'ATM', 22: 'MIL-STD-188-220',
  23: 'Metricom STRIP', 24: 'IEEE 1394.1995', 25: 'MAPOS', 26: 'Twinaxial', 27: 'EUI-64', 28: 'HIPARP',
  29: 'IP and ARP over ISO 7816-3', 30: 'ARPSec', 31: 'IPsec tunnel', 32: 'InfiniBand',
  33: 'TIA-102 Project 25 CAI', 34: 'Wiegand Interface', 35: 'Pure IP', 36: 'Experimental 1', 37: 'HFI',
  256: 'Experimental 2', 257: 'AEthernet', 260: 'Notional KISS type', 264: 'ADAPT', 270: 'ROSE',
  271: 'CCITT X.25', 272: 'Boards with X.25 in firmware', 280: 'Controller Area Network', 512: 'PPP',
  513: 'Cisco HDLC', 516: 'LAPB', 517: 'Digital\'s DDCMP protocol', 518: 'Raw HDLC', 519: 'Raw IP',
  768: 'IPIP tunnel', 769: 'IP6IP6 tunnel', 770: 'Frame Relay Access Device', 771: 'SKIP vif',
  772: 'Loopback', 774: 'Fiber Distributed Data Interface', 775: 'AP1000 BIF',
  776: 'sit0 device - IPv6-in-IPv4', 777: 'IP over DDP tunneller', 778: 'GRE over IP',
  779: 'PIMSM register interface', 780: 'High Performance Parallel Interface', 781: 'Nexus 64Mbps Ash',
  782: 'Acorn Econet', 783: 'Linux-IrDA', 784: 'Point to point fibrechannel',
  785: 'Fibrechannel arbitrated loop', 786: 'Fibrechannel public loop', 787: 'Fibrechannel fabric',
  800: 'Magic type ident for TR', 801: 'IEEE 802.11', 802: 'IEEE 802.11 + Prism2 header',
  803: 'IEEE 802.11 + radiotap header', 804: 'IEEE 802.15.4', 805: 'IEEE 802.15.4 network monitor',
  820: 'PhoNet media type', 821: 'PhoNet pipe header', 822: 'CAIF media type', 823: 'GRE over IPv6',
  824: 'Netlink', 825: 'IPv6 over LoWPAN', 826: 'Vsock monitor header', 65535: 'Void type, nothing is known',
  65534: 'zero header length',
};
const LINUX_PROTOCOLS: Record<number, string> = { 0x1: 'Raw 802.3', 0x3: 'Ethernet', 0x4: '802.2 LLC', 0x7: 'PPP (HDLC)', 0xc: 'CAN', 0xd: 'CAN FD', 0x17: 'IrDA LAP', 0xf5: 'ISI', 0xf6: 'IEEE 802.15.4' };

export const sllFields = defineFields([
  { name: 'sll.pkttype', label: 'Packet type', type: 'uint16', values: PACKET_TYPES },
  { name: 'sll.hatype', label: 'Link-layer address type', type: 'uint16', values: HATYPES },
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

/** Common tail: address, then the protocol (an EtherType, or a Linux pseudo type ≤ 1500). */
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
  if (protocol > 1500 && hatype !== ARPHRD_NETLINK) {
    ctx.add(node, F['sll.etype'], tvb, protoOff, 2, protocol);
    ctx.scratch['eth.payloadUsed'] = undefined;
    if (!dispatchEthertype(protocol, payload, ctx, null)) callProtocol(dataProtocol, payload, ctx, null);
    // packet-sll.c passes its payload through the ethertype dissector (trailer sll.trailer, no
    // FCS): a short ARP frame's zero padding shows as eth.padding here too.
    const used = ctx.scratch['eth.payloadUsed'];
    if (typeof used === 'number') addEthernetTrailer(ctx, node, tvb, hdrLen + used, F['sll.trailer'], false);
    return;
  }
  // LINUX_SLL_P_* pseudo protocols (802.2 LLC = 4, 802.3 = 1, CAN, ...): not decoded further.
  ctx.add(node, F['sll.ltype'], tvb, protoOff, 2, protocol);
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

// ARP and RARP (RFC 826; Wireshark's packet-arp.c). Info wording as tshark's.
import { ARPHRD_NAMES } from '../arphrd.js';
import { ETHERTYPE_NAMES } from '../ethertypes.js';
import { defineFields } from '../field.js';
import { defineProtocol, register } from '../dispatch.js';
import { formatEther, formatIPv4 } from '../format.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';

/** ARP operation codes (RFC 826, RFC 903, RFC 2390, RFC 2022's MARS ...) as tshark names them. */
const OPCODES: Record<number, string> = {
  0: 'reserved', 1: 'request', 2: 'reply', 3: 'reverse request', 4: 'reverse reply', 5: 'drarp request',
  6: 'drarp reply', 7: 'drarp error', 8: 'inverse request', 9: 'inverse reply', 10: 'arp nak', 11: 'mars request',
  12: 'mars multi', 13: 'mars mserv', 14: 'mars join', 15: 'mars leave', 16: 'mars nak', 17: 'mars unserv',
  18: 'mars sjoin', 19: 'mars sleave', 20: 'mars grouplist request', 21: 'mars grouplist reply',
  22: 'mars redirect map', 23: 'mapos unarp', 24: 'experimental 1', 25: 'experimental 2', 65535: 'reserved',
};

export const arpFields = defineFields([
  { name: 'arp.hw.type', label: 'Hardware type', type: 'uint16', values: ARPHRD_NAMES },
  { name: 'arp.proto.type', label: 'Protocol type', type: 'uint16', base: 'hex', values: ETHERTYPE_NAMES },
  { name: 'arp.hw.size', label: 'Hardware size', type: 'uint8' },
  { name: 'arp.proto.size', label: 'Protocol size', type: 'uint8' },
  { name: 'arp.opcode', label: 'Opcode', type: 'uint16', values: OPCODES },
  { name: 'arp.isgratuitous', label: 'Is gratuitous', type: 'boolean' },
  { name: 'arp.isprobe', label: 'Is probe', type: 'boolean' },
  { name: 'arp.isannouncement', label: 'Is announcement', type: 'boolean' },
  { name: 'arp.src.hw_mac', label: 'Sender MAC address', type: 'ether' },
  { name: 'arp.src.hw', label: 'Sender hardware address', type: 'bytes' },
  { name: 'arp.src.proto_ipv4', label: 'Sender IP address', type: 'ipv4' },
  { name: 'arp.src.proto', label: 'Sender protocol address', type: 'bytes' },
  { name: 'arp.dst.hw_mac', label: 'Target MAC address', type: 'ether' },
  { name: 'arp.dst.hw', label: 'Target hardware address', type: 'bytes' },
  { name: 'arp.dst.proto_ipv4', label: 'Target IP address', type: 'ipv4' },
  { name: 'arp.dst.proto', label: 'Target protocol address', type: 'bytes' },
] as const);

const F = arpFields;

function dissectArp(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  const hrd = tvb.u16(0), pro = tvb.u16(2), hln = tvb.u8(4), pln = tvb.u8(5), op = tvb.u16(6);
  const isRarp = op === 3 || op === 4;
  ctx.protocol = isRarp ? 'RARP' : 'ARP';
  ctx.add(node, F['arp.hw.type'], tvb, 0, 2, hrd);
  ctx.add(node, F['arp.proto.type'], tvb, 2, 2, pro);
  ctx.add(node, F['arp.hw.size'], tvb, 4, 1, hln);
  ctx.add(node, F['arp.proto.size'], tvb, 5, 1, pln);
  ctx.add(node, F['arp.opcode'], tvb, 6, 2, op);
  const sha = 8, spa = sha + hln, tha = spa + pln, tpa = tha + hln;
  tvb.check(0, tpa + pln);
  const ether = hrd === 1 && hln === 6, ipv4 = pro === 0x0800 && pln === 4;
  const hwText = (o: number) => (ether ? formatEther(tvb.slice(o, 6)) : Array.from(tvb.slice(o, hln), (b) => b.toString(16).padStart(2, '0')).join(':'));
  const ipText = (o: number) => (ipv4 ? formatIPv4(tvb.u32(o)) : Array.from(tvb.slice(o, pln), (b) => b.toString(16).padStart(2, '0')).join(':'));

  const senderIp = ipv4 ? tvb.u32(spa) : 0, targetIp = ipv4 ? tvb.u32(tpa) : 0;
  const targetHwZero = tvb.slice(tha, hln).every((b) => b === 0);
  // RFC 5227: a probe has sender IP 0; an announcement / gratuitous ARP has sender == target.
  const isProbe = op === 1 && ipv4 && senderIp === 0 && targetHwZero;
  const isGratuitous = ipv4 && senderIp === targetIp && (op === 1 || op === 2);
  const isAnnouncement = isGratuitous && op === 1 && targetHwZero;
  if (isGratuitous) ctx.addGenerated(node, F['arp.isgratuitous'], true);
  if (isProbe) ctx.addGenerated(node, F['arp.isprobe'], true);
  if (isAnnouncement) ctx.addGenerated(node, F['arp.isannouncement'], true);

  if (ether) ctx.add(node, F['arp.src.hw_mac'], tvb, sha, 6, tvb.slice(sha, 6));
  else ctx.add(node, F['arp.src.hw'], tvb, sha, hln, tvb.slice(sha, hln));
  if (ipv4) ctx.add(node, F['arp.src.proto_ipv4'], tvb, spa, 4, senderIp);
  else ctx.add(node, F['arp.src.proto'], tvb, spa, pln, tvb.slice(spa, pln));
  if (ether) ctx.add(node, F['arp.dst.hw_mac'], tvb, tha, 6, tvb.slice(tha, 6));
  else ctx.add(node, F['arp.dst.hw'], tvb, tha, hln, tvb.slice(tha, hln));
  if (ipv4) ctx.add(node, F['arp.dst.proto_ipv4'], tvb, tpa, 4, targetIp);
  else ctx.add(node, F['arp.dst.proto'], tvb, tpa, pln, tvb.slice(tpa, pln));
  ctx.setLength(node, tpa + pln);
  ctx.scratch['eth.payloadUsed'] ??= tpa + pln; // the rest of the frame is padding/trailer

  const s = ipText(spa), t = ipText(tpa);
  switch (op) {
    case 1:
      if (isProbe) ctx.info = `Who has ${t}? (ARP Probe)`;
      else if (isAnnouncement) ctx.info = `ARP Announcement for ${t}`;
      else if (isGratuitous) ctx.info = `Gratuitous ARP for ${t} (Request)`;
      else ctx.info = `Who has ${t}? Tell ${s}`;
      break;
    case 2:
      ctx.info = isGratuitous ? `Gratuitous ARP for ${s} (Reply)` : `${s} is at ${hwText(sha)}`;
      break;
    case 3:
      ctx.info = `Who is ${hwText(tha)}? Tell ${hwText(sha)}`;
      break;
    case 4:
      ctx.info = `${hwText(tha)} is at ${t}`;
      break;
    default:
      ctx.info = `Unknown ARP opcode 0x${op.toString(16).padStart(4, '0')}`;
  }
  if (ctx.tree) ctx.setText(node, `Address Resolution Protocol (${arpKind(op, isGratuitous, isProbe, isAnnouncement)})`);
}

/** What the protocol line calls the message (packet-arp.c: the opcode, or what RFC 5227 calls it). */
function arpKind(op: number, gratuitous: boolean, probe: boolean, announcement: boolean): string {
  const name = OPCODES[op];
  if (name === undefined) return `opcode 0x${op.toString(16).padStart(4, '0')}`;
  if (announcement) return 'ARP Announcement';
  if (probe) return 'ARP Probe';
  if (gratuitous && (op === 1 || op === 2)) return `${name}/gratuitous ARP`;
  return name;
}

export const arpProtocol = defineProtocol('arp', 'Address Resolution Protocol', dissectArp, 'ARP');
register('ethertype', 0x0806, arpProtocol);
register('ethertype', 0x8035, arpProtocol);

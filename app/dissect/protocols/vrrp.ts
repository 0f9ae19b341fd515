// VRRP (IP protocol 112): Virtual Router Redundancy Protocol, version 2 (RFC 3768) and 3
// (RFC 5798), as tshark 4.0's packet-vrrp.c shows it. Version 2's checksum covers the message;
// version 3's adds the IPv4 or IPv6 pseudo-header (source, destination, length, protocol 112).
// Info is "Announcement (vN)" whatever the type.
import { addVerifiedChecksum, CHECKSUM_STATUS_NAMES, internetChecksum, pseudoHeaderChecksum } from '../checksum.js';
import { defineFields } from '../field.js';
import { defineProtocol, register } from '../dispatch.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { hex4 } from '../format.js';

const TYPES: Record<number, string> = { 1: 'Advertisement' };
const AUTH_TYPES: Record<number, string> = {
  0: 'No Authentication', 1: 'Simple Text Authentication [RFC 2338] / Reserved [RFC 3768]', 2: 'IP Authentication Header [RFC 2338] / Reserved [RFC 3768]',
  254: 'Cisco VRRP MD5 authentication',
};
const PRIORITIES: Record<number, string> = {
  0: 'Current Master has stopped participating in VRRP', 100: 'Default priority for a backup VRRP router',
  255: "This VRRP router owns the virtual router's IP address(es)",
};

export const vrrpFields = defineFields([
  { name: 'vrrp.typever', label: 'VRRP message version and type', type: 'uint8' },
  { name: 'vrrp.version', label: 'VRRP protocol version', type: 'uint8', mask: 0xf0 },
  { name: 'vrrp.type', label: 'VRRP packet type', type: 'uint8', mask: 0x0f, values: TYPES },
  { name: 'vrrp.virt_rtr_id', label: 'Virtual Rtr ID', type: 'uint8' },
  { name: 'vrrp.prio', label: 'Priority', type: 'uint8' },
  { name: 'vrrp.addr_count', label: 'Addr Count', type: 'uint8' },
  { name: 'vrrp.checksum', label: 'Checksum', type: 'uint16', base: 'hex' },
  { name: 'vrrp.checksum.status', label: 'Checksum Status', type: 'uint8', base: 'none', values: CHECKSUM_STATUS_NAMES },
  { name: 'vrrp.auth_type', label: 'Auth Type', type: 'uint8', values: AUTH_TYPES },
  { name: 'vrrp.adver_int', label: 'Adver Int', type: 'uint8' },
  { name: 'vrrp.reserved_mbz', label: 'Reserved', type: 'uint8', mask: 0xf0 },
  { name: 'vrrp.short_adver_int', label: 'Adver Int', type: 'uint16', mask: 0x0fff },
  { name: 'vrrp.ip_addr', label: 'IP Address', type: 'ipv4' },
  { name: 'vrrp.ipv6_addr', label: 'IPv6 Address', type: 'ipv6' },
  { name: 'vrrp.auth_string', label: 'Authentication String', type: 'string' },
] as const);
const F = vrrpFields;

/** The checksum line and its status, verified when the whole message was captured. */
function addChecksum(tvb: Tvb, ctx: PacketContext, node: FieldNode, o: number, version: number): void {
  const ck = tvb.u16(o);
  const len = tvb.reportedLength;
  const src = ctx.endpoints.netSrc, dst = ctx.endpoints.netDst;
  if (tvb.length < len || (version === 3 && (!src || !dst))) {
    ctx.add(node, F['vrrp.checksum'], tvb, o, 2, ck, () => `Checksum: ${hex4(ck)} [unverified]`);
    ctx.addGenerated(node, F['vrrp.checksum.status'], 2);
    return;
  }
  let rest: number;
  if (version === 3) {
    // RFC 5798 5.2.8: the pseudo-header of the IP version carrying the message.
    rest = pseudoHeaderChecksum(src!, dst!, len, 112, tvb.slice(0, len));
  } else rest = internetChecksum(tvb.slice(0, len));
  addVerifiedChecksum(ctx, node, tvb, o, { checksum: F['vrrp.checksum'], status: F['vrrp.checksum.status'] }, ck, rest, 'warn');
}

function dissectVrrp(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = 'VRRP';
  const vt = tvb.u8(0);
  const version = vt >> 4, type = vt & 0x0f;
  ctx.info = `Announcement (v${version})`;
  const t = ctx.add(node, F['vrrp.typever'], tvb, 0, 1, vt, () => `Version ${version}, Packet type ${type} (${TYPES[type] ?? 'Unknown'})`);
  ctx.add(t, F['vrrp.version'], tvb, 0, 1, version);
  ctx.add(t, F['vrrp.type'], tvb, 0, 1, type);
  ctx.add(node, F['vrrp.virt_rtr_id'], tvb, 1, 1, tvb.u8(1));
  const prio = tvb.u8(2);
  ctx.add(node, F['vrrp.prio'], tvb, 2, 1, prio, () => `Priority: ${prio} (${PRIORITIES[prio] ?? 'Non-default backup priority'})`);
  const count = tvb.u8(3);
  ctx.add(node, F['vrrp.addr_count'], tvb, 3, 1, count);
  let auth = 0;
  if (version === 3) {
    ctx.add(node, F['vrrp.reserved_mbz'], tvb, 4, 1, tvb.u8(4) >> 4);
    ctx.add(node, F['vrrp.short_adver_int'], tvb, 4, 2, tvb.u16(4) & 0x0fff);
  } else {
    auth = tvb.u8(4);
    ctx.add(node, F['vrrp.auth_type'], tvb, 4, 1, auth);
    ctx.add(node, F['vrrp.adver_int'], tvb, 5, 1, tvb.u8(5));
  }
  addChecksum(tvb, ctx, node, 6, version);
  // The addresses are IPv6 when the message came over IPv6.
  const v6 = ctx.endpoints.netSrc?.length === 16;
  let o = 8;
  for (let i = 0; i < count; i++) {
    if (v6) ctx.add(node, F['vrrp.ipv6_addr'], tvb, o, 16, tvb.slice(o, 16));
    else ctx.add(node, F['vrrp.ip_addr'], tvb, o, 4, tvb.u32(o));
    o += v6 ? 16 : 4;
  }
  // Simple text authentication (RFC 2338): up to 8 bytes, NUL-padded.
  if (version !== 3 && auth === 1) {
    const s = tvb.ascii(o, 8);
    const nul = s.indexOf('\0');
    ctx.add(node, F['vrrp.auth_string'], tvb, o, 8, nul < 0 ? s : s.slice(0, nul));
  }
}

export const vrrpProtocol = defineProtocol('vrrp', 'Virtual Router Redundancy Protocol', dissectVrrp);
register('ip.proto', 112, vrrpProtocol);

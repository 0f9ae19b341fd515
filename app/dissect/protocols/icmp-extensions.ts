// ICMP multi-part extensions (RFC 4884) after the quoted datagram of an ICMP error, as tshark 4.0
// shows them (packet-icmp.c, dissect_icmp_extension): MPLS label stacks (RFC 4950), interface
// information (RFC 5837), interface identification (RFC 8335) and any other object as data.
// Traceroute through an MPLS network is where users meet them: the label stack tells which LSP
// the probe rode. Part of the ICMP dissector (icmp.ts decides where they start).
import { AFN_NAMES } from '../address-families.js';
import { addVerifiedChecksum, CHECKSUM_STATUS_NAMES, internetChecksum } from '../checksum.js';
import { defineFields } from '../field.js';
import { bitPicture, hex4 } from '../format.js';
import { MalformedError, type Tvb } from '../tvb.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';

const CLASSES: Record<number, string> = { 1: 'MPLS Label Stack Class', 2: 'Interface Information Object', 3: 'Interface Identification Object' };
const ROLES: Record<number, string> = {
  0: 'IP interface upon which datagram arrived', 1: 'sub-IP component of an IP interface upon which datagram arrived',
  2: 'IP interface through which datagram would be forwarded', 3: 'IP next-hop to which datagram would be forwarded',
};
const IDENT_CTYPES: Record<number, string> = { 1: 'Identifies Interface By Name', 2: 'Identifies Interface By Index', 3: 'Identifies Interface By Address' };
/** The address families RFC 8335's address C-Type uses (tshark's afn_vals: the two it can show). */
const PRESENT = ['Present', 'Not Present'] as const;

export const icmpExtensionFields = defineFields([
  { name: 'icmp.ext', label: 'ICMP Extensions', type: 'none' },
  { name: 'icmp.ext.version', label: 'Version', type: 'uint8' },
  { name: 'icmp.ext.res', label: 'Reserved', type: 'uint16', base: 'hex', mask: 0x0fff },
  { name: 'icmp.ext.checksum', label: 'Checksum', type: 'uint16', base: 'hex' },
  { name: 'icmp.ext.checksum.status', label: 'Checksum Status', type: 'uint8', base: 'none', values: CHECKSUM_STATUS_NAMES },
  { name: 'icmp.ext.length', label: 'Length', type: 'uint16' },
  { name: 'icmp.ext.class', label: 'Class', type: 'uint8', values: CLASSES },
  { name: 'icmp.ext.ctype', label: 'C-Type', type: 'uint8' },
  { name: 'icmp.ext.data', label: 'Data', type: 'bytes' },
  { name: 'icmp.mpls.label', label: 'Label', type: 'uint24', mask: 0xfffff0 },
  { name: 'icmp.mpls.exp', label: 'Experimental', type: 'uint24', mask: 0x0e },
  { name: 'icmp.mpls.s', label: 'Stack bit', type: 'boolean', mask: 0x01, tf: ['Set', 'Not set'] },
  { name: 'icmp.mpls.ttl', label: 'Time to live', type: 'uint8' },
  { name: 'icmp.mpls.data', label: 'Data', type: 'bytes' },
  { name: 'icmp.int_info.role', label: 'Interface Role', type: 'uint8', mask: 0xc0, values: ROLES },
  { name: 'icmp.int_info.reserved', label: 'Reserved', type: 'uint8', mask: 0x30 },
  { name: 'icmp.int_info.ifindex', label: 'ifIndex', type: 'boolean', mask: 0x08 },
  { name: 'icmp.int_info.ipaddr', label: 'IP Address', type: 'boolean', mask: 0x04, tf: PRESENT },
  { name: 'icmp.int_info.name_present', label: 'Interface Name', type: 'boolean', mask: 0x02, tf: PRESENT },
  { name: 'icmp.int_info.mtu_present', label: 'MTU', type: 'boolean', mask: 0x01, tf: PRESENT },
  { name: 'icmp.int_info.index', label: 'Interface Index', type: 'uint32' },
  { name: 'icmp.int_info.afi', label: 'Address Family Identifier', type: 'uint16' },
  { name: 'icmp.reserved', label: 'Reserved', type: 'bytes' },
  { name: 'icmp.int_info.ipv4', label: 'Source', type: 'ipv4' },
  { name: 'icmp.int_info.ipv6', label: 'Source', type: 'ipv6' },
  { name: 'icmp.int_info.ipunknown', label: 'Source', type: 'bytes' },
  { name: 'icmp.int_info.name_length', label: 'Name Length', type: 'uint8' },
  { name: 'icmp.int_info.name', label: 'Name', type: 'string' },
  { name: 'icmp.int_info.mtu', label: 'Maximum Transmission Unit', type: 'uint32' },
  { name: 'icmp.int_ident.name', label: 'Name', type: 'string' },
  { name: 'icmp.int_ident.index', label: 'Interface Index', type: 'uint32' },
  { name: 'icmp.int_ident.afi', label: 'Address Family Identifier', type: 'uint16', values: AFN_NAMES },
  { name: 'icmp.int_ident.addr_length', label: 'Address Length', type: 'uint8' },
  { name: 'icmp.int_ident.reserved', label: 'Reserved', type: 'bytes' },
  { name: 'icmp.int_ident.ipv4', label: 'Address', type: 'ipv4' },
  { name: 'icmp.int_ident.ipv6', label: 'Address', type: 'ipv6' },
  { name: 'icmp.int_ident.address', label: 'Address', type: 'bytes' },
] as const);

const MIP_EXTENSIONS: Record<number, string> = {
  0: 'One byte padding extension', 16: 'Mobility Agent Advertisement Extension', 19: 'Prefix Lengths Extension', 24: 'Challenge Extension',
};
/** The Mobility Agent Advertisement's flags (RFC 5944 2.1.1), most significant first. */
const MIP_FLAGS: ReadonlyArray<readonly [string, string, number]> = [
  ['icmp.mip.r', 'Registration Required', 0x8000], ['icmp.mip.b', 'Busy', 0x4000], ['icmp.mip.h', 'Home Agent', 0x2000],
  ['icmp.mip.f', 'Foreign Agent', 0x1000], ['icmp.mip.m', 'Minimal Encapsulation', 0x0800], ['icmp.mip.g', 'GRE', 0x0400],
  ['icmp.mip.v', 'VJ Comp', 0x0200], ['icmp.mip.rt', 'Reverse tunneling', 0x0100], ['icmp.mip.u', 'UDP tunneling', 0x0080],
  ['icmp.mip.x', 'Revocation support', 0x0040],
];

export const mobileIpFields = defineFields([
  { name: 'icmp.mip.type', label: 'Extension Type', type: 'uint8', values: MIP_EXTENSIONS },
  { name: 'icmp.mip.length', label: 'Length', type: 'uint8' },
  { name: 'icmp.mip.prefixlength', label: 'Prefix Length', type: 'uint8' },
  { name: 'icmp.mip.seq', label: 'Sequence Number', type: 'uint16' },
  { name: 'icmp.mip.life', label: 'Registration Lifetime', type: 'uint16' },
  { name: 'icmp.mip.flags', label: 'Flags', type: 'uint16', base: 'hex' },
  ...MIP_FLAGS.map(([name, label, mask]) => ({ name, label, type: 'boolean' as const, mask })),
  { name: 'icmp.mip.reserved', label: 'Reserved', type: 'uint16', base: 'hex', mask: 0x003f },
  { name: 'icmp.mip.coa', label: 'Care-Of-Address', type: 'ipv4' },
  { name: 'icmp.mip.challenge', label: 'Challenge', type: 'bytes' },
  { name: 'icmp.mip.content', label: 'Content', type: 'bytes' },
] as const);

const F = icmpExtensionFields;
const M = mobileIpFields;

const CHECKSUM = { checksum: F['icmp.ext.checksum'], status: F['icmp.ext.checksum.status'] };

/** The extension structure in `tvb` (from its first byte to the end of the message), under `parent`. */
export function dissectIcmpExtensions(tvb: Tvb, ctx: PacketContext, parent: FieldNode): void {
  const reported = tvb.reportedLength;
  const root = ctx.add(parent, F['icmp.ext'], tvb, 0, reported, null, 'ICMP Multi-Part Extensions');
  if (reported < 4) return;
  const version = tvb.u8(0) >> 4;
  ctx.add(root, F['icmp.ext.version'], tvb, 0, 1, version);
  const res = tvb.u16(0) & 0x0fff;
  ctx.add(root, F['icmp.ext.res'], tvb, 0, 2, res, () => `${bitPicture(res, 0x0fff, 16)} = Reserved: 0x${res.toString(16).padStart(3, '0')}`);
  const ck = tvb.u16(2);
  if (ck === 0) {
    // proto_tree_add_checksum, PROTO_CHECKSUM_NOT_PRESENT: a generated item.
    const n = ctx.add(root, F['icmp.ext.checksum'], tvb, 2, 2, 0, 'Checksum: [missing]');
    if (!ctx.isPlaceholder(n)) n.generated = true;
    ctx.addGenerated(root, F['icmp.ext.checksum.status'], 3);
  } else {
    // Over the whole structure, which must all be there (a cut one ends the dissection here).
    addVerifiedChecksum(ctx, root, tvb, 2, CHECKSUM, ck, internetChecksum(tvb.slice(0, reported)), 'warn');
  }
  if (version !== 1 && version !== 2) {
    ctx.setText(root, 'ICMP Multi-Part Extensions (unsupported version)');
    return;
  }
  let interfaceObjects = 0;
  for (let o = 4; reported - o >= 4; ) {
    const length = tvb.u16(o);
    const kept = Math.min(length, reported - o);
    const end = o + kept;
    const object = ctx.addText(root, tvb, o, Math.max(kept, 4), 'Unknown object');
    ctx.add(object, F['icmp.ext.length'], tvb, o, 2, length);
    const cls = tvb.u8(o + 2);
    ctx.add(object, F['icmp.ext.class'], tvb, o + 2, 1, cls);
    const ctype = tvb.u8(o + 3);
    if (length < 4) {
      ctx.setText(object, 'Object with bad length');
      break;
    }
    let unknown: boolean;
    if (cls === 1) unknown = mplsStack(tvb, ctx, object, o, end, ctype);
    else if (cls === 2) {
      unknown = interfaceInformation(tvb, ctx, object, o, end, ctype);
      if (++interfaceObjects > 4) ctx.setText(object, 'More than 4 Interface Information Objects');
    } else if (cls === 0) unknown = extendedPayload(tvb, ctx, object, o, kept, ctype);
    else if (cls === 3) unknown = interfaceIdentification(tvb, ctx, object, o, length, ctype);
    else unknown = true;
    if (unknown) {
      // Even after a class's own C-Type item: packet-icmp.c adds it again.
      ctx.add(object, F['icmp.ext.ctype'], tvb, o + 3, 1, ctype);
      ctx.setText(object, `Unknown object (${cls}/${ctype})`);
      if (kept > 4) ctx.add(object, F['icmp.ext.data'], tvb, o + 4, kept - 4, tvb.slice(o + 4, kept - 4));
    }
    if (kept < length) ctx.setText(object, `${object.text ?? ''} (truncated)`);
    o = end;
  }
}

/** RFC 4950: the label stack entries of the packet that expired, 4 bytes each. */
function mplsStack(tvb: Tvb, ctx: PacketContext, object: FieldNode, o: number, end: number, ctype: number): boolean {
  ctx.add(object, F['icmp.ext.ctype'], tvb, o + 3, 1, ctype);
  if (ctype !== 1) return true;
  ctx.setText(object, 'MPLS Stack Entry');
  let at = o + 4;
  for (; at + 4 <= end && tvb.reportedLength - at >= 4; at += 4) {
    const label = tvb.u24(at) >> 4;
    const b = tvb.u8(at + 2), ttl = tvb.u8(at + 3);
    const exp = (b >> 1) & 7, s = b & 1;
    const entry = ctx.addText(object, tvb, at, 4, `Label: ${label}, Exp: ${exp}, S: ${s}, TTL: ${ttl}`);
    ctx.add(entry, F['icmp.mpls.label'], tvb, at, 3, label);
    // 24-bit fields read from the one byte that holds them: their bits drawn over 24 (as tshark).
    ctx.add(entry, F['icmp.mpls.exp'], tvb, at + 2, 1, exp, () => `${bitPicture(b, 0x0e, 24)} = Experimental: ${exp}`);
    ctx.add(entry, F['icmp.mpls.s'], tvb, at + 2, 1, s === 1, () => `${bitPicture(b, 0x01, 24)} = Stack bit: ${s ? 'Set' : 'Not set'}`);
    ctx.add(entry, F['icmp.mpls.ttl'], tvb, at + 3, 1, ttl);
  }
  if (at < end) ctx.add(object, F['icmp.mpls.data'], tvb, at, end - at, tvb.slice(at, end - at));
  return false;
}

/** Class 0, C-Type 1: more of the original datagram than fitted before the extensions. */
function extendedPayload(tvb: Tvb, ctx: PacketContext, object: FieldNode, o: number, kept: number, ctype: number): boolean {
  ctx.add(object, F['icmp.ext.ctype'], tvb, o + 3, 1, ctype);
  if (ctype !== 1) return true;
  ctx.setText(object, 'Extended Payload');
  if (kept > 4) ctx.add(object, F['icmp.ext.data'], tvb, o + 4, kept - 4, tvb.slice(o + 4, kept - 4));
  return false;
}

/** RFC 5837: which interface the datagram arrived on or would leave by; the C-Type's bits say which parts follow. */
function interfaceInformation(tvb: Tvb, ctx: PacketContext, object: FieldNode, o: number, end: number, ctype: number): boolean {
  ctx.setText(object, 'Interface Information Object');
  const role = ctype >> 6;
  const has = { index: (ctype & 0x08) !== 0, addr: (ctype & 0x04) !== 0, name: (ctype & 0x02) !== 0, mtu: (ctype & 0x01) !== 0 };
  // proto_tree_add_bitmask: the header names the role and each part that is there.
  const parts = [`Interface Role: ${ROLES[role]}`, has.index && 'ifIndex', has.addr && 'IP Address', has.name && 'Interface Name', has.mtu && 'MTU'].filter(Boolean);
  const head = ctx.add(object, F['icmp.ext.ctype'], tvb, o + 3, 1, ctype, `C-Type: ${ctype}, ${parts.join(', ')}`);
  const present = (on: boolean) => (on ? 'Present' : 'Not Present');
  ctx.add(head, F['icmp.int_info.role'], tvb, o + 3, 1, role, () => `${bitPicture(ctype, 0xc0, 8)} = Interface Role: ${ROLES[role]} (${role})`);
  ctx.add(head, F['icmp.int_info.reserved'], tvb, o + 3, 1, (ctype >> 4) & 3);
  ctx.add(head, F['icmp.int_info.ifindex'], tvb, o + 3, 1, has.index, () => `${bitPicture(ctype, 0x08, 8)} = ifIndex: ${has.index ? 'True' : 'False'}`);
  ctx.add(head, F['icmp.int_info.ipaddr'], tvb, o + 3, 1, has.addr, () => `${bitPicture(ctype, 0x04, 8)} = IP Address: ${present(has.addr)}`);
  ctx.add(head, F['icmp.int_info.name_present'], tvb, o + 3, 1, has.name, () => `${bitPicture(ctype, 0x02, 8)} = Interface Name: ${present(has.name)}`);
  ctx.add(head, F['icmp.int_info.mtu_present'], tvb, o + 3, 1, has.mtu, () => `${bitPicture(ctype, 0x01, 8)} = MTU: ${present(has.mtu)}`);
  let at = o + 4;
  if (has.index) {
    ctx.add(object, F['icmp.int_info.index'], tvb, at, 4, tvb.u32(at));
    at += 4;
  }
  if (has.addr && end >= at + 2) {
    const afi = tvb.u16(at);
    const sub = ctx.addText(object, tvb, at, afi === 1 ? 8 : 20, 'IP Address Sub-Object');
    ctx.add(sub, F['icmp.int_info.afi'], tvb, at, 2, afi);
    ctx.add(sub, F['icmp.reserved'], tvb, at + 2, 2, tvb.slice(at + 2, 2));
    at += 4;
    if (afi === 1) {
      ctx.add(sub, F['icmp.int_info.ipv4'], tvb, at, 4, tvb.u32(at));
      at += 4;
    } else if (afi === 2) {
      ctx.add(sub, F['icmp.int_info.ipv6'], tvb, at, 16, tvb.slice(at, 16));
      at += 16;
    } else {
      // packet-icmp.c gives this item the length at - end (zero, or negative: an exception).
      if (at > end) throw new MalformedError('negative length', tvb.abs(at));
      ctx.add(sub, F['icmp.int_info.ipunknown'], tvb, at, 0, new Uint8Array(0));
      return false;
    }
  }
  if (has.name) {
    let nameLength = 0;
    let sub: FieldNode | null = null;
    if (end >= at + 1) {
      nameLength = tvb.u8(at);
      sub = ctx.addText(object, tvb, at, nameLength, 'Interface Name Sub-Object');
      ctx.add(sub, F['icmp.int_info.name_length'], tvb, at, 1, nameLength);
      at += 1;
    }
    // The length counts its own byte. Without the sub-object's item the name has no parent.
    if (end >= at + nameLength && sub && nameLength > 0) {
      ctx.add(sub, F['icmp.int_info.name'], tvb, at, nameLength - 1, tvb.ascii(at, nameLength - 1));
      at += nameLength - 1;
    }
  }
  if (has.mtu) ctx.add(object, F['icmp.int_info.mtu'], tvb, at, 4, tvb.u32(at));
  return false;
}

/** RFC 8335 (extended echo): the interface asked about, by name, index or address. */
function interfaceIdentification(tvb: Tvb, ctx: PacketContext, object: FieldNode, o: number, length: number, ctype: number): boolean {
  ctx.setText(object, 'Interface Identification Object');
  if (tvb.reportedLength - o < 5) return true;
  ctx.add(object, F['icmp.ext.ctype'], tvb, o + 3, 1, ctype, `C-Type: ${ctype} (${IDENT_CTYPES[ctype] ?? `Unknown C-Type ${ctype}`})`);
  let at = o + 4;
  if (ctype === 1) {
    ctx.add(object, F['icmp.int_ident.name'], tvb, at, length - 4, tvb.ascii(at, length - 4));
  } else if (ctype === 2) {
    ctx.add(object, F['icmp.int_ident.index'], tvb, at, 4, tvb.u32(at));
  } else if (ctype === 3) {
    const afi = tvb.u16(at);
    let addrLength = tvb.u8(at + 2);
    ctx.add(object, F['icmp.int_ident.afi'], tvb, at, 2, afi);
    ctx.add(object, F['icmp.int_ident.addr_length'], tvb, at + 2, 1, addrLength);
    ctx.add(object, F['icmp.int_ident.reserved'], tvb, at + 3, 1, tvb.slice(at + 3, 1));
    at += 4;
    if (afi === 1) {
      for (; addrLength >= 4 && tvb.reportedLength - at >= 4; at += 4, addrLength -= 4) ctx.add(object, F['icmp.int_ident.ipv4'], tvb, at, 4, tvb.u32(at));
    } else if (afi === 2) {
      for (; addrLength >= 16 && tvb.reportedLength - at >= 16; at += 16, addrLength -= 16) ctx.add(object, F['icmp.int_ident.ipv6'], tvb, at, 16, tvb.slice(at, 16));
    } else {
      ctx.add(object, F['icmp.int_ident.address'], tvb, at, tvb.reportedLength - at, tvb.slice(at, tvb.reportedLength - at));
    }
  }
  return false;
}

/**
 * The extensions after a Mobile IP agent advertisement's router entries (RFC 5944 2.1), from
 * `o` to the end of the message, as packet-icmp.c's dissect_mip_extensions shows them.
 */
export function dissectMobileIpExtensions(tvb: Tvb, ctx: PacketContext, parent: FieldNode, o: number): void {
  while (tvb.reportedLength - o > 0) {
    const type = tvb.u8(o);
    const length = type ? tvb.u8(o + 1) : 0;
    const ext = ctx.addText(parent, tvb, o, 1, `Ext: ${MIP_EXTENSIONS[type] ?? `Unknown ext ${type}`}`);
    ctx.add(ext, M['icmp.mip.type'], tvb, o, 1, type);
    o++;
    if (type !== 0) {
      ctx.setLength(ext, length + 2);
      ctx.add(ext, M['icmp.mip.length'], tvb, o, 1, length);
      o++;
    }
    if (type === 16) {
      ctx.add(ext, M['icmp.mip.seq'], tvb, o, 2, tvb.u16(o));
      ctx.add(ext, M['icmp.mip.life'], tvb, o + 2, 2, tvb.u16(o + 2));
      const flags = tvb.u16(o + 4);
      const set = MIP_FLAGS.filter(([, , mask]) => flags & mask).map(([, label]) => label);
      const head = ctx.add(ext, M['icmp.mip.flags'], tvb, o + 4, 2, flags, `Flags: ${hex4(flags)}${set.map((l) => `, ${l}`).join('')}`);
      for (const [name, label, mask] of MIP_FLAGS) {
        const on = (flags & mask) !== 0;
        ctx.add(head, M[name as keyof typeof M], tvb, o + 4, 2, on, () => `${bitPicture(flags, mask, 16)} = ${label}: ${on ? 'True' : 'False'}`);
      }
      const reserved = flags & 0x3f;
      ctx.add(head, M['icmp.mip.reserved'], tvb, o + 4, 2, reserved, () => `${bitPicture(flags, 0x3f, 16)} = Reserved: 0x${reserved.toString(16).padStart(2, '0')}`);
      o += 6;
      for (let i = 0; i < Math.floor((length - 6) / 4); i++, o += 4) ctx.add(ext, M['icmp.mip.coa'], tvb, o, 4, tvb.u32(o));
    } else if (type === 19) {
      for (let i = 0; i < length; i++, o++) ctx.add(ext, M['icmp.mip.prefixlength'], tvb, o, 1, tvb.u8(o));
    } else if (type === 24) {
      ctx.add(ext, M['icmp.mip.challenge'], tvb, o, length, tvb.slice(o, length));
      o += length;
    } else if (type !== 0 && length !== 0) {
      // packet-icmp.c shows length - 4 bytes and moves on by length.
      ctx.add(ext, M['icmp.mip.content'], tvb, o, length - 4, tvb.slice(o, length - 4));
      o += length;
    }
  }
}

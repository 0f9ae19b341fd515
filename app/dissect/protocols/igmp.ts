// IGMP (IP protocol 2): multicast group membership, versions 1 and 2 (RFC 2236) and 3
// (RFC 3376), as tshark 4.0's packet-igmp.c shows them. The version comes from the type and
// the length (a query of 12 bytes or more is IGMPv3); the Protocol column says it ("IGMPv2");
// the checksum is verified over the whole message. frame.protocols lists "igmp" twice, as
// Wireshark's version dissectors add the protocol again.
import { addVerifiedChecksum, CHECKSUM_STATUS_NAMES, internetChecksum } from '../checksum.js';
import { defineFields } from '../field.js';
import { defineProtocol, register } from '../dispatch.js';
import { formatIPv4, hex4 } from '../format.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';

/** IGMP message types as tshark names them, those of the protocols that share IGMP's number too. */
const TYPES: Record<number, string> = {
  0x01: 'Create Group Request', 0x02: 'Create Group Reply', 0x03: 'Join Group Request', 0x04: 'Join Group Reply',
  0x05: 'Leave Group Request', 0x06: 'Leave Group Reply', 0x07: 'Confirm Group Request', 0x08: 'Confirm Group Reply',
  0x11: 'Membership Query', 0x12: 'Membership Report', 0x13: 'DVMRP Protocol', 0x14: 'PIM Routing Message',
  0x16: 'Membership Report', 0x17: 'Leave Group', 0x1e: 'Traceroute Response', 0x1f: 'Traceroute Query or Request',
  0x22: 'Membership Report',
};
/** The types dissected here: queries, reports and leaves of IGMP v1 to v3. */
const MEMBERSHIP_TYPES = new Set([0x11, 0x12, 0x16, 0x17, 0x22]);
const RECORD_TYPES: Record<number, string> = {
  1: 'Mode Is Include', 2: 'Mode Is Exclude', 3: 'Change To Include Mode', 4: 'Change To Exclude Mode', 5: 'Allow New Sources', 6: 'Block Old Sources',
};

export const igmpFields = defineFields([
  { name: 'igmp.version', label: 'IGMP Version', type: 'uint8' },
  { name: 'igmp.type', label: 'Type', type: 'uint8', base: 'hex', values: TYPES },
  { name: 'igmp.max_resp', label: 'Max Resp Time', type: 'uint8' },
  { name: 'igmp.max_resp.exp', label: 'Exponent', type: 'uint8', base: 'hex', mask: 0x70 },
  { name: 'igmp.max_resp.mant', label: 'Mantissa', type: 'uint8', base: 'hex', mask: 0x0f },
  { name: 'igmp.reserved', label: 'Reserved', type: 'bytes' },
  { name: 'igmp.checksum', label: 'Checksum', type: 'uint16', base: 'hex' },
  { name: 'igmp.checksum.status', label: 'Checksum Status', type: 'uint8', base: 'none', values: CHECKSUM_STATUS_NAMES },
  { name: 'igmp.maddr', label: 'Multicast Address', type: 'ipv4' },
  { name: 'igmp.s', label: 'S', type: 'boolean', mask: 0x08, tf: ['SUPPRESS router side processing', 'Do not suppress router side processing'] },
  { name: 'igmp.qrv', label: 'QRV', type: 'uint8', mask: 0x07 },
  { name: 'igmp.qqic', label: 'QQIC', type: 'uint8' },
  { name: 'igmp.num_src', label: 'Num Src', type: 'uint16' },
  { name: 'igmp.saddr', label: 'Source Address', type: 'ipv4' },
  { name: 'igmp.num_grp_recs', label: 'Num Group Records', type: 'uint16' },
  { name: 'igmp.record_type', label: 'Record Type', type: 'uint8', values: RECORD_TYPES },
  { name: 'igmp.aux_data_len', label: 'Aux Data Len', type: 'uint8' },
  { name: 'igmp.aux_data', label: 'Aux Data', type: 'bytes' },
] as const);
const F = igmpFields;

/** An IGMPv3 max response or QQI code in tenths of a second (RFC 3376 4.1.1: exponential from 128). */
function v3Time(code: number): number {
  return code < 128 ? code : ((code & 0x0f) | 0x10) << (((code >> 4) & 0x07) + 3);
}

function dissectIgmp(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  const type = tvb.u8(0);
  if (!MEMBERSHIP_TYPES.has(type)) {
    // DVMRP, PIMv1, mtrace ... ride on IGMP's protocol number with types of their own.
    ctx.protocol = 'IGMP';
    ctx.add(node, F['igmp.type'], tvb, 0, 1, type);
    ctx.info = `Unknown Type: 0x${type.toString(16).padStart(2, '0')}`;
    return;
  }
  const len = tvb.reportedLength;
  const version = type === 0x22 || (type === 0x11 && len >= 12) ? 3 : type === 0x12 || (type === 0x11 && tvb.u8(1) === 0) ? 1 : 2;
  ctx.protocol = `IGMPv${version}`;
  // Wireshark's version dissector adds "igmp" to the protocols once more.
  ctx.layers.push('igmp');
  ctx.addGenerated(node, F['igmp.version'], version);
  ctx.add(node, F['igmp.type'], tvb, 0, 1, type);
  if (type === 0x22 || version === 1) ctx.add(node, F['igmp.reserved'], tvb, 1, 1, tvb.slice(1, 1));
  else {
    const code = tvb.u8(1);
    const tenths = version === 3 ? v3Time(code) : code;
    const mr = ctx.add(node, F['igmp.max_resp'], tvb, 1, 1, code, () => `Max Resp Time: ${(tenths / 10).toFixed(1)} sec (0x${code.toString(16).padStart(2, '0')})`);
    if (version === 3 && code >= 128) {
      ctx.add(mr, F['igmp.max_resp.exp'], tvb, 1, 1, (code >> 4) & 7);
      ctx.add(mr, F['igmp.max_resp.mant'], tvb, 1, 1, code & 0x0f);
    }
  }
  addChecksum(tvb, ctx, node);
  const group = formatIPv4(tvb.u32(4));
  if (type === 0x22) {
    ctx.add(node, F['igmp.reserved'], tvb, 4, 2, tvb.slice(4, 2));
    const n = tvb.u16(6);
    ctx.add(node, F['igmp.num_grp_recs'], tvb, 6, 2, n);
    const infos: string[] = [];
    let o = 8;
    for (let i = 0; i < n; i++) {
      const rt = tvb.u8(o), aux = tvb.u8(o + 1), ns = tvb.u16(o + 2), maddr = formatIPv4(tvb.u32(o + 4));
      const size = 8 + 4 * ns + 4 * aux;
      const rec = ctx.addText(node, tvb, o, size, `Group Record : ${maddr}  ${RECORD_TYPES[rt] ?? ''}`);
      ctx.add(rec, F['igmp.record_type'], tvb, o, 1, rt);
      ctx.add(rec, F['igmp.aux_data_len'], tvb, o + 1, 1, aux);
      ctx.add(rec, F['igmp.num_src'], tvb, o + 2, 2, ns);
      ctx.add(rec, F['igmp.maddr'], tvb, o + 4, 4, tvb.u32(o + 4));
      for (let s = 0; s < ns; s++) ctx.add(rec, F['igmp.saddr'], tvb, o + 8 + 4 * s, 4, tvb.u32(o + 8 + 4 * s));
      if (aux > 0) ctx.add(rec, F['igmp.aux_data'], tvb, o + 8 + 4 * ns, 4 * aux, tvb.slice(o + 8 + 4 * ns, 4 * aux));
      const sources: string[] = [];
      for (let k = 0; k < ns; k++) sources.push(formatIPv4(tvb.u32(o + 8 + 4 * k)));
      infos.push(recordInfo(rt, maddr, sources));
      o += size;
    }
    ctx.info = `Membership Report / ${infos.join(' / ')}`;
    return;
  }
  ctx.add(node, F['igmp.maddr'], tvb, 4, 4, tvb.u32(4));
  if (type === 0x11) {
    ctx.info = version === 1 ? 'Membership Query' : group === '0.0.0.0' ? 'Membership Query, general' : `Membership Query, specific for group ${group}`;
    if (version === 3) {
      const b8 = tvb.u8(8);
      ctx.add(node, F['igmp.s'], tvb, 8, 1, (b8 & 0x08) !== 0);
      ctx.add(node, F['igmp.qrv'], tvb, 8, 1, b8 & 7);
      ctx.add(node, F['igmp.qqic'], tvb, 9, 1, tvb.u8(9));
      const ns = tvb.u16(10);
      ctx.add(node, F['igmp.num_src'], tvb, 10, 2, ns);
      const sources: string[] = [];
      for (let s = 0; s < ns; s++) {
        ctx.add(node, F['igmp.saddr'], tvb, 12 + 4 * s, 4, tvb.u32(12 + 4 * s));
        sources.push(formatIPv4(tvb.u32(12 + 4 * s)));
      }
      if (ns > 0) ctx.info += `, ${ns === 1 ? 'source' : 'sources'} {${sources.join(', ')}}`;
    }
    return;
  }
  ctx.info = version === 1 ? TYPES[type]! : `${TYPES[type]} ${type === 0x17 ? '' : 'group '}${group}`;
}

/**
 * A v3 group record as packet-igmp.c words it in Info (checked against tshark for each record
 * type with none, one and two sources): including nothing is leaving, excluding nothing is
 * joining for any source.
 */
function recordInfo(rt: number, group: string, sources: string[]): string {
  const n = sources.length, list = `{${sources.join(', ')}}`;
  const include = rt === 1 || rt === 3, exclude = rt === 2 || rt === 4;
  if (n === 0) {
    if (include) return `Leave group ${group}`;
    if (exclude) return `Join group ${group} for any sources`;
    if (rt === 5) return `Group ${group}, ALLOW_NEW_SOURCES but no source specified (?)`;
    if (rt === 6) return `Group ${group}, BLOCK_OLD_SOURCES but no source specified (?)`;
    return `Group ${group}, unknown record type (?)`;
  }
  const one = n === 1;
  if (include) return `Join group ${group} for ${one ? 'source' : 'sources in'} ${list}`;
  if (exclude) return `Join group ${group}, for ${one ? 'source not' : 'sources not in'} ${list}`;
  if (rt === 5) return `Group ${group}, new ${one ? 'source' : 'sources'} ${list}`;
  if (rt === 6) return `Group ${group}, block ${one ? 'source' : 'sources'} ${list}`;
  return `Group ${group}, unknown record type (?), sources ${list}`;
}

/** "Checksum: 0x0903 [correct]", verified over the whole message when it was all captured. */
function addChecksum(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  const ck = tvb.u16(2);
  if (tvb.length < tvb.reportedLength) {
    ctx.add(node, F['igmp.checksum'], tvb, 2, 2, ck, () => `Checksum: ${hex4(ck)} [unverified]`);
    ctx.addGenerated(node, F['igmp.checksum.status'], 2);
    return;
  }
  addVerifiedChecksum(ctx, node, tvb, 2, { checksum: F['igmp.checksum'], status: F['igmp.checksum.status'] }, ck, internetChecksum(tvb.slice(0, tvb.reportedLength)), 'error');
}

export const igmpProtocol = defineProtocol('igmp', 'Internet Group Management Protocol', dissectIgmp, 'IGMP');
register('ip.proto', 2, igmpProtocol);

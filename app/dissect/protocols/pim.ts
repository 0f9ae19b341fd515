// Protocol Independent Multicast version 2 (IP protocol 103; RFC 7761 PIM-SM, RFC 3973 PIM-DM,
// RFC 5015 BIDIR-PIM) as tshark 4.0's packet-pim.c shows it: version and type, the checksum
// verified (over the whole message, or the 8-octet header of a Register; over IPv6 behind the
// pseudo-header), then the message: Hello options, Register (its flags, then the packet it
// carries or the Null-Register's dummy header), Register-Stop, Join/Prune/Graft/Graft-Ack with
// their groups and sources, Bootstrap, Assert, Candidate-RP-Advertisement, State-Refresh and
// DF election. Addresses are in RFC 7761 4.9.1's encodings (family, encoding type, flags, mask
// length); a family or encoding tshark does not know ends the message there, as in tshark.
import { AFN_NAMES } from '../address-families.js';
import { addVerifiedChecksum, internetChecksum, pseudoHeaderChecksum } from '../checksum.js';
import { defineFields, type FieldDef } from '../field.js';
import { callProtocol, defineProtocol, lookup, register } from '../dispatch.js';
import { formatIPv4, formatIPv6, hex4 } from '../format.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';

const TYPES: Record<number, string> = {
  0: 'Hello', 1: 'Register', 2: 'Register-stop', 3: 'Join/Prune', 4: 'Bootstrap', 5: 'Assert', 6: 'Graft', 7: 'Graft-Ack',
  8: 'Candidate-RP-Advertisement', 9: 'State-Refresh', 10: 'DF election', 11: 'ECMP redirect', 12: 'PFM source discovery',
};
const HELLO_OPTIONS: Record<number, string> = {
  1: 'Hold Time', 2: 'LAN Prune Delay', 17: 'Label Parameters', 18: 'Deprecated', 19: 'DR Priority', 20: 'Generation ID', 21: 'State-Refresh',
  22: 'Bidirectional Capable', 23: 'VCI Capability', 24: 'Address List', 25: 'Neighbor List TLV', 26: 'Join Attribute', 27: 'PIM-over-TCP-Capable',
  28: 'PIM-over-SCTP-Capable', 29: 'Pop-Count', 30: 'PIM MT-ID', 31: 'Interface ID', 32: 'PIM ECMP Redirect Hello Option', 33: 'vPC Peer ID',
  34: 'DR Load Balancing Capability', 35: 'DR Load Balancing List', 36: 'Hierarchical Join/Prune Attribute', 65001: 'Address list, old implementation',
  65004: 'RPF Proxy Vector (Cisco proprietary)',
};
const JOIN_ATTRIBUTES: Record<number, string> = {
  0: 'RPF Vector TLV', 1: 'MVPN Join Attribute', 2: 'MT-ID Join Attribute', 3: 'Pop-Count', 4: 'Explicit RPF Vector', 5: 'Transport Attribute',
  6: 'Receiver RLOC Attribute',
};
const YES_NO = ['Yes', 'No'] as const;
const SET = ['Set', 'Not set'] as const;

export const pimFields = defineFields([
  { name: 'pim.version', label: 'Version', type: 'uint8', mask: 0xf0 },
  { name: 'pim.type', label: 'Type', type: 'uint8', mask: 0x0f, values: TYPES },
  { name: 'pim.df_elect.subtype', label: 'DF Subtype', type: 'uint8', mask: 0xf0, values: { 1: 'offer', 2: 'DF Winner', 3: 'DF Backoff', 4: 'DF Pass' } },
  { name: 'pim.df_elect.rsvd', label: 'DF reserved', type: 'uint8', mask: 0x0f },
  { name: 'pim.cksum', label: 'Checksum', type: 'uint16', base: 'hex' },
  { name: 'pim.cksum.status', label: 'Checksum Status', type: 'uint8', base: 'none', values: { 0: 'Bad', 1: 'Good', 2: 'Unverified', 3: 'Not present', 4: 'Illegal' } },
  { name: 'pim.res_bytes', label: 'Reserved byte(s)', type: 'bytes' },
  { name: 'pim.option', label: 'PIM Options', type: 'none' },
  { name: 'pim.optiontype', label: 'Type', type: 'uint16' },
  { name: 'pim.optionlength', label: 'Length', type: 'uint16' },
  { name: 'pim.optionvalue', label: 'Unknown', type: 'bytes' },
  { name: 'pim.register_flag', label: 'Flags', type: 'uint32', base: 'hex' },
  { name: 'pim.register_flag.border', label: 'Border', type: 'boolean', mask: 0x80000000, tf: YES_NO },
  { name: 'pim.register_flag.null_register', label: 'Null-Register', type: 'boolean', mask: 0x40000000, tf: YES_NO },
  { name: 'pim.holdtime', label: 'Holdtime', type: 'uint16', values: { 0xffff: 'Infinity' }, specialValues: true },
  { name: 'pim.numgroups', label: 'Num Groups', type: 'uint16' },
  { name: 'pim.numjoins', label: 'Num Joins', type: 'uint16' },
  { name: 'pim.numprunes', label: 'Num Prunes', type: 'uint16' },
  { name: 'pim.t', label: 'T', type: 'boolean', mask: 0x80 },
  { name: 'pim.propagation_delay', label: 'Propagation Delay', type: 'uint16', mask: 0x7fff },
  { name: 'pim.override_interval', label: 'Override Interval', type: 'uint16' },
  { name: 'pim.dr_priority', label: 'DR Priority', type: 'uint32' },
  { name: 'pim.generation_id', label: 'Generation ID', type: 'uint32' },
  { name: 'pim.state_refresh_version', label: 'Version', type: 'uint8' },
  { name: 'pim.state_refresh_interval', label: 'Interval', type: 'uint8' },
  { name: 'pim.state_refresh_reserved', label: 'Reserved', type: 'uint16' },
  { name: 'pim.rpt', label: 'RP Tree', type: 'boolean', mask: 0x80 },
  { name: 'pim.metric_pref', label: 'Metric Preference', type: 'uint32', mask: 0x7fffffff },
  { name: 'pim.metric', label: 'Metric', type: 'uint32' },
  { name: 'pim.prune_indicator', label: 'Prune indicator', type: 'boolean', mask: 0x80, tf: SET },
  { name: 'pim.prune_now', label: 'Prune now', type: 'boolean', mask: 0x40, tf: SET },
  { name: 'pim.assert_override', label: 'Assert override', type: 'boolean', mask: 0x20, tf: SET },
  { name: 'pim.ip_version', label: 'IP Version', type: 'uint8', mask: 0xf0, values: { 0: 'Dummy Header', 4: 'IPv4', 6: 'IPv6' } },
  { name: 'pim.dummy_header', label: 'Dummy Header', type: 'none' },
  { name: 'pim.source', label: 'Source', type: 'ipv4' },
  { name: 'pim.source_ip6', label: 'Source', type: 'ipv6' },
  { name: 'pim.group', label: 'Group', type: 'ipv4' },
  { name: 'pim.group_ip6', label: 'Group', type: 'ipv6' },
  { name: 'pim.upstream_neighbor', label: 'Upstream-neighbor', type: 'ipv4' },
  { name: 'pim.upstream_neighbor_ip6', label: 'Upstream-neighbor', type: 'ipv6' },
  { name: 'pim.join_ip', label: 'IP address', type: 'ipv4' },
  { name: 'pim.join_ip6', label: 'IP address', type: 'ipv6' },
  { name: 'pim.prune_ip', label: 'IP address', type: 'ipv4' },
  { name: 'pim.prune_ip6', label: 'IP address', type: 'ipv6' },
  { name: 'pim.address_list', label: 'Address', type: 'ipv4' },
  { name: 'pim.address_list_ip6', label: 'Address', type: 'ipv6' },
  { name: 'pim.bsr', label: 'BSR', type: 'ipv4' },
  { name: 'pim.bsr_ip6', label: 'BSR', type: 'ipv6' },
  { name: 'pim.rp', label: 'RP', type: 'ipv4' },
  { name: 'pim.rp_ip6', label: 'RP', type: 'ipv6' },
  { name: 'pim.originator', label: 'Originator', type: 'ipv4' },
  { name: 'pim.originator_ip6', label: 'Originator', type: 'ipv6' },
  { name: 'pim.bidir_winner_ip4', label: 'New Winner IP', type: 'ipv4' },
  { name: 'pim.bidir_winner_ip6', label: 'New Winner IP', type: 'ipv6' },
  { name: 'pim.bidir_win_metric_pref', label: 'Winner Metric Preference', type: 'uint32' },
  { name: 'pim.bidir_win_metric', label: 'Winner Metric', type: 'uint32' },
  { name: 'pim.bidir_offering_ip4', label: 'Offering IP', type: 'ipv4' },
  { name: 'pim.bidir_offering_ip6', label: 'Offering IP', type: 'ipv6' },
  { name: 'pim.bidir_off_metric_pref', label: 'Offering Metric Preference', type: 'uint32' },
  { name: 'pim.bidir_off_metric', label: 'Offering Metric', type: 'uint32' },
  { name: 'pim.bidir_offering_interval', label: 'Offering interval (ms)', type: 'uint16' },
  { name: 'pim.fragment_tag', label: 'Fragment tag', type: 'uint16', base: 'hex' },
  { name: 'pim.hash_mask_len', label: 'Hash mask len', type: 'uint8' },
  { name: 'pim.bsr_priority', label: 'BSR priority', type: 'uint8' },
  { name: 'pim.rp_count', label: 'RP count', type: 'uint8' },
  { name: 'pim.frp_count', label: 'FRP count', type: 'uint8' },
  { name: 'pim.priority', label: 'Priority', type: 'uint8' },
  { name: 'pim.prefix_count', label: 'Prefix-count', type: 'uint8' },
  { name: 'pim.mask_len', label: 'Masklen', type: 'uint8' },
  { name: 'pim.ttl', label: 'TTL', type: 'uint8' },
  { name: 'pim.interval', label: 'Interval', type: 'uint8' },
  { name: 'pim.addr_address_family', label: 'Address Family', type: 'uint8', values: AFN_NAMES },
  { name: 'pim.addr_encoding_type', label: 'Encoding Type', type: 'uint8', values: { 0: 'Native', 1: 'Native with Join Attribute' } },
  { name: 'pim.unicast', label: 'Unicast', type: 'ipv4' },
  { name: 'pim.unicast_ipv6', label: 'Unicast', type: 'ipv6' },
  { name: 'pim.group_set', label: 'Group', type: 'string' },
  { name: 'pim.group_addr.flags', label: 'Flags', type: 'uint8', base: 'hex' },
  { name: 'pim.group_addr.flags.b', label: 'Bidirectional PIM', type: 'boolean', mask: 0x80, tf: SET },
  { name: 'pim.group_addr.flags.reserved', label: 'Reserved', type: 'uint8', base: 'hex', mask: 0x7e },
  { name: 'pim.group_addr.flags.z', label: 'Admin Scope Zone', type: 'boolean', mask: 0x01, tf: SET },
  { name: 'pim.source_addr.flags', label: 'Flags', type: 'uint8', base: 'hex' },
  { name: 'pim.source_addr.flags.reserved', label: 'Reserved', type: 'uint8', base: 'hex', mask: 0xf8 },
  { name: 'pim.source_addr.flags.s', label: 'Sparse', type: 'boolean', mask: 0x04, tf: SET },
  { name: 'pim.source_addr.flags.w', label: 'WildCard', type: 'boolean', mask: 0x02, tf: SET },
  { name: 'pim.source_addr.flags.r', label: 'Rendezvous Point Tree', type: 'boolean', mask: 0x01, tf: SET },
  { name: 'pim.source_ja', label: 'Join Attribute', type: 'none' },
  { name: 'pim.source_ja.flags', label: 'Flags', type: 'uint8', base: 'hex' },
  { name: 'pim.source_ja.flags.f', label: 'Forward', type: 'boolean', mask: 0x80, tf: SET },
  { name: 'pim.source_ja.flags.e', label: 'End of Attributes', type: 'boolean', mask: 0x40, tf: SET },
  { name: 'pim.source_ja.flags.attr_type', label: 'Attribute Type', type: 'uint8', mask: 0x3f, values: JOIN_ATTRIBUTES },
  { name: 'pim.source_ja.length', label: 'Length', type: 'uint8' },
  { name: 'pim.source_ja.value', label: 'Value', type: 'bytes' },
] as const);
const F = pimFields;
type PimField = keyof typeof pimFields;

/** A pair of fields for an address, by family: [IPv4, IPv6]. */
type AddressFields = readonly [PimField, PimField];

/** RFC 7761 4.9.1: which of the three encodings an address is in. */
type Encoding = 'unicast' | 'group' | 'source';

/**
 * A flags octet and its bits, as proto_tree_add_bitmask shows them: ", NAME" for each flag set,
 * ", NAME: value" for a part with value names (a Join Attribute's type), nothing for the rest.
 */
function addFlags(ctx: PacketContext, tree: FieldNode, tvb: Tvb, o: number, field: FieldDef, bits: readonly FieldDef[]): void {
  const v = tvb.u8(o);
  const set = bits.map((b) => {
    const bit = v & b.mask!;
    if (b.type === 'boolean') return bit ? `, ${b.label}` : '';
    const name = b.values?.[bit / (b.mask! & -b.mask!)];
    return name === undefined ? '' : `, ${b.label}: ${name}`;
  }).join('');
  const n = ctx.add(tree, field, tvb, o, 1, v, `${field.label}: 0x${v.toString(16).padStart(2, '0')}${set}`);
  for (const b of bits) {
    const bit = v & b.mask!;
    ctx.add(n, b, tvb, o, 1, b.type === 'boolean' ? bit !== 0 : bit / (b.mask! & -b.mask!));
  }
}

const GROUP_FLAGS = [F['pim.group_addr.flags.b'], F['pim.group_addr.flags.reserved'], F['pim.group_addr.flags.z']];
const SOURCE_FLAGS = [F['pim.source_addr.flags.reserved'], F['pim.source_addr.flags.s'], F['pim.source_addr.flags.w'], F['pim.source_addr.flags.r']];
const JA_FLAGS = [F['pim.source_ja.flags.f'], F['pim.source_ja.flags.e'], F['pim.source_ja.flags.attr_type']];

/**
 * packet-pim.c's dissect_pim_addr: the address item (with `label` in place of the field's
 * name when given) and its parts; returns the octets it took and the item, or null for a
 * family or encoding it does not know (the caller stops there).
 */
function addAddress(ctx: PacketContext, tree: FieldNode, tvb: Tvb, o: number, enc: Encoding, fields: AddressFields, label?: string): { size: number; item: FieldNode } | null {
  const af = tvb.u8(o), et = tvb.u8(o + 1);
  if ((af !== 1 && af !== 2) || (et !== 0 && et !== 1)) return null;
  const len = af === 1 ? 4 : 16;
  const head = enc === 'unicast' ? 2 : 4;
  const f = F[fields[af === 1 ? 0 : 1]];
  const value = af === 1 ? tvb.u32(o + head) : tvb.slice(o + head, 16);
  const shown = af === 1 ? formatIPv4(value as number) : formatIPv6(value as Uint8Array);
  let text = `${label ?? f.label}: ${shown}`;
  if (enc !== 'unicast') text += `/${tvb.u8(o + 3)}`;
  if (enc === 'source') {
    const flags = tvb.u8(o + 2);
    if (flags) text += ` (${flags & 4 ? 'S' : ''}${flags & 2 ? 'W' : ''}${flags & 1 ? 'R' : ''})`;
  }
  const item = ctx.add(tree, f, tvb, o, head + len, value, text);
  ctx.add(item, F['pim.addr_address_family'], tvb, o, 1, af);
  ctx.add(item, F['pim.addr_encoding_type'], tvb, o + 1, 1, et);
  if (enc === 'unicast') {
    ctx.add(item, af === 1 ? F['pim.unicast'] : F['pim.unicast_ipv6'], tvb, o + 2, len, value);
    return { size: 2 + len, item };
  }
  addFlags(ctx, item, tvb, o + 2, enc === 'group' ? F['pim.group_addr.flags'] : F['pim.source_addr.flags'], enc === 'group' ? GROUP_FLAGS : SOURCE_FLAGS);
  ctx.add(item, F['pim.mask_len'], tvb, o + 3, 1, tvb.u8(o + 3));
  const inner = enc === 'group' ? (af === 1 ? F['pim.group'] : F['pim.group_ip6']) : af === 1 ? F['pim.source'] : F['pim.source_ip6'];
  ctx.add(item, inner, tvb, o + 4, len, value);
  let size = 4 + len;
  if (enc === 'source' && et === 1) size += joinAttributes(ctx, item, tvb, o + size);
  return { size, item };
}

/** RFC 5384: the Join Attribute TLVs after a source address, up to the one marked End of Attributes. */
function joinAttributes(ctx: PacketContext, tree: FieldNode, tvb: Tvb, start: number): number {
  let o = start, flags = 0;
  while ((flags & 0x40) === 0 && tvb.reportedRemaining(o) >= 2) {
    const len = tvb.u8(o + 1);
    flags = tvb.u8(o);
    const ja = ctx.add(tree, F['pim.source_ja'], tvb, o, len + 2, null, `Join Attribute: ${JOIN_ATTRIBUTES[flags & 0x3f] ?? 'Unknown'}`);
    addFlags(ctx, ja, tvb, o, F['pim.source_ja.flags'], JA_FLAGS);
    ctx.add(ja, F['pim.source_ja.length'], tvb, o + 1, 1, len);
    if ((flags & 0x3f) === 0 && (len === 6 || len === 18)) addAddress(ctx, ja, tvb, o + 2, 'unicast', ['pim.unicast', 'pim.unicast_ipv6']);
    else ctx.add(ja, F['pim.source_ja.value'], tvb, o + 2, len, tvb.slice(o + 2, len));
    o += 2 + len;
  }
  return o - start;
}

function put(ctx: PacketContext, tree: FieldNode, tvb: Tvb, name: PimField, o: number, size: 1 | 2 | 4): number {
  const v = size === 1 ? tvb.u8(o) : size === 2 ? tvb.u16(o) : tvb.u32(o);
  ctx.add(tree, F[name], tvb, o, size, F[name].mask ? (v & F[name].mask!) >>> 0 : v);
  return v;
}

/** RFC 7761 4.9.2 / RFC 3973 4.7.5: the Hello options, each "Option N: name" with its value. */
function hello(ctx: PacketContext, tree: FieldNode, tvb: Tvb, start: number): number {
  let o = start, count = 0;
  while (tvb.reportedRemaining(o) >= 2) {
    count++;
    const type = tvb.u16(o), len = tvb.u16(o + 2);
    tvb.check(o, 4 + len);
    const opt = ctx.addText(tree, tvb, o, 4 + len, `Option ${type}: ${HELLO_OPTIONS[type] ?? `Unknown: ${type}`}`);
    let suffix = '';
    ctx.add(opt, F['pim.optiontype'], tvb, o, 2, type);
    ctx.add(opt, F['pim.optionlength'], tvb, o + 2, 2, len);
    const v = o + 4;
    switch (type) {
      case 1: {
        const t = tvb.u16(v), name = t === 0 ? 'goodbye' : t === 0xffff ? 'Infinity' : undefined;
        ctx.add(opt, F['pim.holdtime'], tvb, v, 2, t, `Holdtime: ${name ? `${name} (${t})` : t}`);
        suffix = `: ${t}${name ? ` (${name})` : ''}`;
        break;
      }
      case 2: {
        const b = tvb.u16(v), oi = tvb.u16(v + 2);
        ctx.add(opt, F['pim.t'], tvb, v, 1, (b & 0x8000) !== 0);
        ctx.add(opt, F['pim.propagation_delay'], tvb, v, 2, b & 0x7fff);
        ctx.add(opt, F['pim.override_interval'], tvb, v + 2, 2, oi);
        suffix = `: T = ${b >> 15}, Propagation Delay = ${b & 0x7fff}ms, Override Interval = ${oi}ms`;
        break;
      }
      case 19: case 20:
        suffix = `: ${put(ctx, opt, tvb, type === 19 ? 'pim.dr_priority' : 'pim.generation_id', v, 4)}`;
        break;
      case 21:
        put(ctx, opt, tvb, 'pim.state_refresh_version', v, 1);
        put(ctx, opt, tvb, 'pim.state_refresh_interval', v + 1, 1);
        put(ctx, opt, tvb, 'pim.state_refresh_reserved', v + 2, 2);
        suffix = `: Version = ${tvb.u8(v)}, Interval = ${tvb.u8(v + 1)}s`;
        break;
      case 24: case 65001: {
        const list = ctx.addText(opt, tvb, o, 4 + len, `${type === 65001 ? 'old ' : ''}Address List (${type})`);
        for (let i = v; i < v + len;) {
          const a = addAddress(ctx, list, tvb, i, 'unicast', ['pim.address_list', 'pim.address_list_ip6']);
          if (!a) break;
          i += a.size;
        }
        break;
      }
      default:
        if (len) ctx.add(opt, F['pim.optionvalue'], tvb, v, len, tvb.slice(v, len));
    }
    if (suffix) ctx.setText(opt, `Option ${type}: ${HELLO_OPTIONS[type]}${suffix}`);
    o += 4 + len;
  }
  return count;
}

/** A Register's flags, then the data packet it carries (a dummy header for a Null-Register). */
function registerMessage(ctx: PacketContext, tree: FieldNode, tvb: Tvb, o: number): void {
  const flags = tvb.u32(o);
  const fl = ctx.add(tree, F['pim.register_flag'], tvb, o, 4, flags);
  ctx.add(fl, F['pim.register_flag.border'], tvb, o, 4, (flags & 0x80000000) !== 0);
  ctx.add(fl, F['pim.register_flag.null_register'], tvb, o, 4, (flags & 0x40000000) !== 0);
  const p = o + 4;
  const version = tvb.u8(p) >> 4;
  ctx.add(tree, F['pim.ip_version'], tvb, p, 1, version);
  if (version === 0) {
    const v4 = ctx.endpoints.netSrc?.length === 4;
    ctx.add(tree, F['pim.dummy_header'], tvb, p, tvb.reportedLength - p, null, `Dummy Header${v4 ? 'IPv4' : 'IPv6'}`);
    if (v4) {
      ctx.add(tree, F['pim.source'], tvb, p + 12, 4, tvb.u32(p + 12));
      ctx.add(tree, F['pim.group'], tvb, p + 16, 4, tvb.u32(p + 16));
    } else {
      ctx.add(tree, F['pim.source_ip6'], tvb, p + 8, 16, tvb.slice(p + 8, 16));
      ctx.add(tree, F['pim.group_ip6'], tvb, p + 24, 16, tvb.slice(p + 24, 16));
    }
  } else if (version === 4 || version === 6) {
    // The carried packet goes at the top level, after PIM (its columns are locked).
    const inner = lookup('ethertype', version === 4 ? 0x0800 : 0x86dd);
    if (inner) callProtocol(inner, tvb.sub(p), ctx, null);
  }
}

/** Join/Prune, Graft and Graft-Ack: the upstream neighbor, then each group's joined and pruned sources. */
function joinPrune(ctx: PacketContext, tree: FieldNode, tvb: Tvb, start: number): void {
  const up = addAddress(ctx, tree, tvb, start, 'unicast', ['pim.upstream_neighbor', 'pim.upstream_neighbor_ip6']);
  if (!up) return;
  let o = start + up.size;
  ctx.add(tree, F['pim.res_bytes'], tvb, o, 1, tvb.slice(o, 1));
  const groups = tvb.u8(o + 1);
  ctx.add(tree, F['pim.numgroups'], tvb, o + 1, 1, groups);
  put(ctx, tree, tvb, 'pim.holdtime', o + 2, 2);
  o += 4;
  for (let i = 0; i < groups; i++) {
    const g = ctx.add(tree, F['pim.group_set'], tvb, o, tvb.reportedLength - o, '', `Group ${i}`);
    const ga = addAddress(ctx, g, tvb, o, 'group', ['pim.group', 'pim.group_ip6'], `Group ${i}`);
    if (!ga) return;
    o += ga.size;
    const joins = tvb.u16(o), prunes = tvb.u16(o + 2);
    let p = o + 4;
    for (const [count, countField, fields] of [[joins, 'pim.numjoins', ['pim.join_ip', 'pim.join_ip6']], [prunes, 'pim.numprunes', ['pim.prune_ip', 'pim.prune_ip6']]] as const) {
      const sub = ctx.add(g, F[countField], tvb, countField === 'pim.numjoins' ? o : o + 2, 2, count);
      for (let j = 0; j < count; j++) {
        const s = addAddress(ctx, sub, tvb, p, 'source', fields);
        if (!s) return;
        p += s.size;
      }
    }
    o = p;
  }
}

function bootstrap(ctx: PacketContext, pim: FieldNode, tree: FieldNode, tvb: Tvb, start: number): void {
  put(ctx, tree, tvb, 'pim.fragment_tag', start, 2);
  put(ctx, tree, tvb, 'pim.hash_mask_len', start + 2, 1);
  put(ctx, tree, tvb, 'pim.bsr_priority', start + 3, 1);
  const bsr = addAddress(ctx, tree, tvb, start + 4, 'unicast', ['pim.bsr', 'pim.bsr_ip6']);
  if (!bsr) return;
  let o = start + 4 + bsr.size;
  for (let i = 0; tvb.reportedRemaining(o) > 0; i++) {
    const g = addAddress(ctx, tree, tvb, o, 'group', ['pim.group', 'pim.group_ip6'], `Group ${i}`);
    if (!g) return;
    o += g.size;
    put(ctx, g.item, tvb, 'pim.rp_count', o, 1);
    const frp = put(ctx, g.item, tvb, 'pim.frp_count', o + 1, 1);
    o += 4;
    for (let j = 0; j < frp; j++) {
      const rp = addAddress(ctx, tree, tvb, o, 'unicast', ['pim.rp', 'pim.rp_ip6'], `RP ${j}`);
      if (!rp) return;
      o += rp.size;
      put(ctx, tree, tvb, 'pim.holdtime', o, 2);
      put(ctx, g.item, tvb, 'pim.priority', o + 2, 1);
      // packet-pim.c puts this reserved octet in the PIM item itself.
      ctx.add(pim, F['pim.res_bytes'], tvb, o + 3, 1, tvb.slice(o + 3, 1));
      o += 4;
    }
  }
}

/** Group, source, then the RPT bit with the metric preference and the metric (Assert; State-Refresh with more after). */
function groupSourceMetric(ctx: PacketContext, tree: FieldNode, tvb: Tvb, start: number, originator: boolean): number | null {
  const g = addAddress(ctx, tree, tvb, start, 'group', ['pim.group', 'pim.group_ip6']);
  if (!g) return null;
  let o = start + g.size;
  const s = addAddress(ctx, tree, tvb, o, 'unicast', ['pim.source', 'pim.source_ip6']);
  if (!s) return null;
  o += s.size;
  if (originator) {
    const r = addAddress(ctx, tree, tvb, o, 'unicast', ['pim.originator', 'pim.originator_ip6']);
    if (!r) return null;
    o += r.size;
  }
  ctx.add(tree, F['pim.rpt'], tvb, o, 1, (tvb.u8(o) & 0x80) !== 0);
  put(ctx, tree, tvb, 'pim.metric_pref', o, 4);
  put(ctx, tree, tvb, 'pim.metric', o + 4, 4);
  return o + 8;
}

function stateRefresh(ctx: PacketContext, tree: FieldNode, tvb: Tvb, start: number): void {
  const o = groupSourceMetric(ctx, tree, tvb, start, true);
  if (o === null) return;
  put(ctx, tree, tvb, 'pim.mask_len', o, 1);
  put(ctx, tree, tvb, 'pim.ttl', o + 1, 1);
  const b = tvb.u8(o + 2);
  ctx.add(tree, F['pim.prune_indicator'], tvb, o + 2, 1, (b & 0x80) !== 0);
  ctx.add(tree, F['pim.prune_now'], tvb, o + 2, 1, (b & 0x40) !== 0);
  ctx.add(tree, F['pim.assert_override'], tvb, o + 2, 1, (b & 0x20) !== 0);
  put(ctx, tree, tvb, 'pim.interval', o + 3, 1);
}

function candidateRp(ctx: PacketContext, tree: FieldNode, tvb: Tvb, start: number): void {
  const n = put(ctx, tree, tvb, 'pim.prefix_count', start, 1);
  put(ctx, tree, tvb, 'pim.priority', start + 1, 1);
  put(ctx, tree, tvb, 'pim.holdtime', start + 2, 2);
  const rp = addAddress(ctx, tree, tvb, start + 4, 'unicast', ['pim.rp', 'pim.rp_ip6']);
  if (!rp) return;
  let o = start + 4 + rp.size;
  for (let i = 0; i < n; i++) {
    const g = addAddress(ctx, tree, tvb, o, 'group', ['pim.group', 'pim.group_ip6'], `Group ${i}`);
    if (!g) return;
    o += g.size;
  }
}

/** RFC 5015 3.7: the RP, the sender's metric, and for a Backoff the offer, for a Pass the new winner. */
function dfElection(ctx: PacketContext, tree: FieldNode, tvb: Tvb, start: number, subtype: number): void {
  const rp = addAddress(ctx, tree, tvb, start, 'unicast', ['pim.rp', 'pim.rp_ip6']);
  if (!rp) return;
  let o = start + rp.size;
  const pref = tvb.u32(o);
  ctx.add(tree, F['pim.metric_pref'], tvb, o, 4, pref, `DF Metric Preference: ${pref}`);
  put(ctx, tree, tvb, 'pim.metric', o + 4, 4);
  o += 8;
  if (subtype !== 3 && subtype !== 4) return;
  const backoff = subtype === 3;
  const a = addAddress(ctx, tree, tvb, o, 'unicast', backoff ? ['pim.bidir_offering_ip4', 'pim.bidir_offering_ip6'] : ['pim.bidir_winner_ip4', 'pim.bidir_winner_ip6']);
  if (!a) return;
  o += a.size;
  put(ctx, tree, tvb, backoff ? 'pim.bidir_off_metric_pref' : 'pim.bidir_win_metric_pref', o, 4);
  put(ctx, tree, tvb, backoff ? 'pim.bidir_off_metric' : 'pim.bidir_win_metric', o + 4, 4);
  if (backoff) put(ctx, tree, tvb, 'pim.bidir_offering_interval', o + 8, 2);
}

/** The checksum over the message (a Register: its 8-octet header), over IPv6 behind the pseudo-header. */
function addChecksum(tvb: Tvb, ctx: PacketContext, node: FieldNode, type: number): void {
  const ck = tvb.u16(2);
  const length = tvb.reportedLength, covered = type === 1 ? 8 : length;
  const src = ctx.endpoints.netSrc, dst = ctx.endpoints.netDst;
  const fields = { checksum: F['pim.cksum'], status: F['pim.cksum.status'] };
  if (length < covered || tvb.length < covered || !src || !dst) {
    ctx.add(node, F['pim.cksum'], tvb, 2, 2, ck, `Checksum: ${hex4(ck)} [unverified]`);
    ctx.addGenerated(node, F['pim.cksum.status'], 2);
    return;
  }
  const body = tvb.slice(0, covered);
  const rest = src.length === 16 ? pseudoHeaderChecksum(src, dst, covered, 103, body) : internetChecksum(body);
  addVerifiedChecksum(ctx, node, tvb, 2, fields, ck, rest, 'error');
}

function dissectPim(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  const tv = tvb.u8(0), version = tv >> 4, type = tv & 0x0f;
  ctx.protocol = `PIMv${version}`;
  ctx.info = version === 2 ? TYPES[type] ?? `Unknown (${type})` : 'Unknown';
  ctx.add(node, F['pim.version'], tvb, 0, 1, version);
  ctx.add(node, F['pim.type'], tvb, 0, 1, type);
  if (type === 10) {
    ctx.add(node, F['pim.df_elect.subtype'], tvb, 1, 1, tvb.u8(1) >> 4);
    ctx.add(node, F['pim.df_elect.rsvd'], tvb, 1, 1, tvb.u8(1) & 0x0f);
  } else ctx.add(node, F['pim.res_bytes'], tvb, 1, 1, tvb.slice(1, 1));
  if (version !== 2) {
    const ck = tvb.u16(2);
    ctx.add(node, F['pim.cksum'], tvb, 2, 2, ck, `Checksum: ${hex4(ck)} [unverified]`);
    ctx.addGenerated(node, F['pim.cksum.status'], 2);
    ctx.add(node, F['pim.option'], tvb, 0, tvb.reportedLength, null);
    return;
  }
  addChecksum(tvb, ctx, node, type);
  const o = 4;
  if (tvb.reportedRemaining(o) <= 0) return;
  const tree = ctx.add(node, F['pim.option'], tvb, o, tvb.reportedLength - o, null);
  switch (type) {
    case 0: {
      // The item counts the options once they are all read (an exception leaves it bare).
      const count = hello(ctx, tree, tvb, o);
      ctx.setText(tree, `PIM Options: ${count}`);
      break;
    }
    case 1:
      // packet-pim.c: col_set_writable(FALSE) before the carried packet.
      ctx.lockColumns();
      registerMessage(ctx, tree, tvb, o);
      break;
    case 2: {
      const g = addAddress(ctx, tree, tvb, o, 'group', ['pim.group', 'pim.group_ip6']);
      if (g) addAddress(ctx, tree, tvb, o + g.size, 'unicast', ['pim.source', 'pim.source_ip6']);
      break;
    }
    case 3: case 6: case 7: joinPrune(ctx, tree, tvb, o); break;
    case 4: bootstrap(ctx, node, tree, tvb, o); break;
    case 5: groupSourceMetric(ctx, tree, tvb, o, false); break;
    case 8: candidateRp(ctx, tree, tvb, o); break;
    case 9: stateRefresh(ctx, tree, tvb, o); break;
    // packet-pim.c takes the DF subtype from the first octet (the type, 10): no Backoff or Pass body is ever shown.
    case 10: dfElection(ctx, tree, tvb, o, tv & 0x0f); break;
    default: break;
  }
}

export const pimProtocol = defineProtocol('pim', 'Protocol Independent Multicast', dissectPim, 'PIM');
register('ip.proto', 103, pimProtocol);

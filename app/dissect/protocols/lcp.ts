// PPP Link Control Protocol (RFC 1661 section 5; PPP protocol 0xc021) as tshark 4.0's
// packet-ppp.c shows it: Code, Identifier and Length (its ppp.* fields, which every PPP
// control protocol shares), then per code the options of a Configure-Request/Ack/Nak/Reject,
// the magic number and data of an Echo or Discard, the rejected packet of a Code-Reject or
// the rejected protocol and its packet of a Protocol-Reject.
//
// Each option type's layout is data (OPTIONS): its name, its expected length (exact for a
// fixed option, a minimum for a variable one) and the fields after Type and Length. tshark
// hands each option to a dissector of its own (the `lcp.option` table) on a tvb of the
// option's length, so an option that runs past the captured bytes ends in an exception.
import { defineFields, type FieldDef } from '../field.js';
import { callProtocol, defineProtocol, lookup, register } from '../dispatch.js';
import { cutUtf8, hexBytes, ITEM_LABEL_MAX } from '../format.js';
import type { PacketContext } from '../packet.js';
import { PPP_PROTOCOL_NAMES } from '../ppp-protocols.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';

const CODES: Record<number, string> = {
  1: 'Configuration Request', 2: 'Configuration Ack', 3: 'Configuration Nak', 4: 'Configuration Reject', 5: 'Termination Request',
  6: 'Termination Ack', 7: 'Code Reject', 8: 'Protocol Reject', 9: 'Echo Request', 10: 'Echo Reply', 11: 'Discard Request',
  12: 'Identification', 13: 'Time Remaining',
};
const CALLBACK_OPERATIONS = {
  0: 'Location is determined by user authentication', 1: 'Message is dialing string', 2: 'Message is location identifier', 3: 'Message is E.164',
  4: 'Message is distinguished name', 5: 'unassigned', 6: 'Location is determined during CBCP negotiation',
};
const EP_DISC_CLASSES: Record<number, string> = {
  0: 'Null', 1: 'Locally assigned address', 2: 'Internet Protocol (IP) address', 3: 'IEEE 802.1 globally assigned MAC address',
  4: 'PPP magic-number block', 5: 'Public switched network directory number',
};
const DCE_MODES: Record<number, string> = { 1: 'Mode-1 (No Additional Negotiation)', 2: 'Mode-2 (Full PPP Negotiation and State Machine)' };
/** Bit 31 down to bit 0 of the ACCM: the control characters US ... NUL (RFC 1662 section 7.1). */
const CONTROL_CHARS = [
  'NUL', 'SOH', 'STX', 'ETX', 'EOT', 'ENQ', 'ACK', 'BEL', 'BS', 'HT', 'LF', 'VT', 'FF', 'CR', 'SO', 'SI',
  'DLE', 'DC1 (XON)', 'DC2', 'DC3 (XOFF)', 'DC4', 'NAK', 'SYN', 'ETB', 'CAN', 'EM', 'SUB', 'ESC', 'FS', 'GS', 'RS', 'US',
];
const ACCM_BITS = CONTROL_CHARS.map((c, i) => ({ name: `lcp.opt.asyncmap.${c.split(' ')[0]!.toLowerCase()}`, label: c, type: 'boolean' as const, mask: 2 ** i }));

export const lcpFields = defineFields([
  { name: 'ppp.code', label: 'Code', type: 'uint8', values: CODES },
  { name: 'ppp.identifier', label: 'Identifier', type: 'uint8', base: 'dec_hex' },
  { name: 'ppp.length', label: 'Length', type: 'uint16' },
  { name: 'ppp.data', label: 'Data', type: 'bytes' },
  { name: 'ppp.opt.len.invalid', label: 'Invalid length for option', type: 'none' },
  { name: 'lcp.magic_number', label: 'Magic Number', type: 'uint32', base: 'hex' },
  { name: 'lcp.data', label: 'Data', type: 'bytes' },
  { name: 'lcp.message', label: 'Message', type: 'string' },
  { name: 'lcp.secs_remaining', label: 'Seconds Remaining', type: 'uint32' },
  { name: 'lcp.rej_proto', label: 'Rejected Protocol', type: 'uint16', base: 'hex', values: PPP_PROTOCOL_NAMES },
  { name: 'lcp.opt.type', label: 'Type', type: 'uint8' },
  { name: 'lcp.opt.length', label: 'Length', type: 'uint8' },
  { name: 'lcp.opt.oui', label: 'OUI', type: 'uint24', base: 'hex' },
  { name: 'lcp.opt.kind', label: 'Kind', type: 'uint8', base: 'dec_hex' },
  { name: 'lcp.opt.data', label: 'Data', type: 'bytes' },
  { name: 'lcp.opt.mru', label: 'Maximum Receive Unit', type: 'uint16' },
  { name: 'lcp.opt.asyncmap', label: 'Async Control Character Map', type: 'uint32', base: 'hex' },
  ...ACCM_BITS,
  { name: 'lcp.opt.auth_protocol', label: 'Authentication Protocol', type: 'uint16', base: 'hex', values: PPP_PROTOCOL_NAMES },
  { name: 'lcp.opt.algorithm', label: 'Algorithm', type: 'uint8', values: { 0: 'Reserved', 1: 'Reserved', 2: 'Reserved', 3: 'Reserved', 4: 'Reserved', 5: 'CHAP with MD5', 6: 'CHAP with SHA-1', 128: 'MS-CHAP', 129: 'MS-CHAP-2' } },
  { name: 'lcp.opt.quality_protocol', label: 'Quality Protocol', type: 'uint16', base: 'hex', values: PPP_PROTOCOL_NAMES },
  { name: 'lcp.opt.magic_number', label: 'Magic Number', type: 'uint32', base: 'hex' },
  { name: 'lcp.opt.reporting_period', label: 'Reporting Period', type: 'uint32', unit: ' microseconds' },
  { name: 'lcp.opt.fcs_alternatives', label: 'FCS Alternatives', type: 'uint8', base: 'hex' },
  { name: 'lcp.opt.fcs_alternatives.ccitt32', label: 'CCITT 32-bit', type: 'boolean', mask: 0x04 },
  { name: 'lcp.opt.fcs_alternatives.ccitt16', label: 'CCITT 16-bit', type: 'boolean', mask: 0x02 },
  { name: 'lcp.opt.fcs_alternatives.null', label: 'NULL FCS', type: 'boolean', mask: 0x01 },
  { name: 'lcp.opt.maximum', label: 'Maximum', type: 'uint8', unit: ' octets' },
  { name: 'lcp.opt.window', label: 'Window', type: 'uint8', unit: ' frames' },
  { name: 'lcp.opt.hdlc_address', label: 'Address', type: 'bytes' },
  { name: 'lcp.opt.operation', label: 'Operation', type: 'uint8', values: CALLBACK_OPERATIONS },
  { name: 'lcp.opt.message', label: 'Message', type: 'bytes' },
  { name: 'lcp.opt.mrru', label: 'MRRU', type: 'uint16' },
  { name: 'lcp.opt.ep_disc_class', label: 'Class', type: 'uint8', values: EP_DISC_CLASSES },
  { name: 'lcp.opt.ip_address', label: 'IP Address', type: 'ipv4' },
  { name: 'lcp.opt.802_1_address', label: 'IEEE 802.1 Address', type: 'ether' },
  { name: 'lcp.opt.magic_block', label: 'PPP Magic-Number Block', type: 'bytes' },
  { name: 'lcp.opt.psndn', label: 'Public Switched Network Directory Number', type: 'bytes' },
  { name: 'lcp.opt.mode', label: 'Mode', type: 'uint8', values: DCE_MODES },
  { name: 'lcp.opt.unused', label: 'Unused', type: 'bytes' },
  { name: 'lcp.opt.link_discrim', label: 'Link Discriminator', type: 'uint16', base: 'dec_hex' },
  { name: 'lcp.opt.id', label: 'Identification', type: 'bytes' },
  { name: 'lcp.opt.flags', label: 'Flags', type: 'uint8', base: 'hex' },
  { name: 'lcp.opt.flags.reserved', label: 'Reserved', type: 'uint8', base: 'hex', mask: 0xfc },
  { name: 'lcp.opt.flags.pre', label: 'PRE', type: 'boolean', mask: 0x02 },
  { name: 'lcp.opt.flags.zxe', label: 'ZXE', type: 'boolean', mask: 0x01 },
  { name: 'lcp.opt.class', label: 'Class', type: 'uint8' },
  { name: 'lcp.opt.prefix', label: 'Prefix', type: 'bytes' },
  { name: 'lcp.opt.code', label: 'Code', type: 'uint8', values: { 2: 'Long sequence number fragment format with classes', 6: 'Short sequence number fragment format with classes' } },
  { name: 'lcp.opt.max_susp_classes', label: 'Max suspendable classes', type: 'uint8' },
  { name: 'lcp.opt.MIBenum', label: 'MIBenum', type: 'uint32' },
  { name: 'lcp.opt.language_tag', label: 'Language-Tag', type: 'string' },
] as const);
const F = lcpFields;
type LcpField = keyof typeof lcpFields;

/** What an option holds after Type and Length: a field read at an offset, or a layout of its own. */
type OptionBody = (o: OptionView) => string | void;

/** An option type: its name (tshark's option protocol's name), its length and its body. */
interface OptionSpec {
  name: string;
  /** The filter name of tshark's item for the option (a protocol of its own there). */
  id: string;
  /** Fixed options must be exactly this long; variable ones at least (`min`). */
  length: number;
  min?: true;
  body?: OptionBody;
}

/** An option being dissected: its tvb (the option alone), its tree, its reported length, its name. */
interface OptionView {
  tvb: Tvb;
  ctx: PacketContext;
  tree: FieldNode;
  length: number;
  name: string;
}

/**
 * proto_tree_add_bitmask's item: the value, then ", NAME" for each flag set (its default
 * BMT_NO_INT | BMT_NO_TFS: integer parts and true/false words are left out).
 */
function addBitmask(v: OptionView, field: FieldDef, o: number, size: 1 | 4, bits: readonly FieldDef[], suffix = ''): FieldNode {
  const value = size === 1 ? v.tvb.u8(o) : v.tvb.u32(o);
  const set = bits.filter((b) => b.type === 'boolean' && (value & b.mask!) !== 0).map((b) => `, ${b.label}`).join('');
  const n = v.ctx.add(v.tree, field, v.tvb, o, size, value, `${field.label}: 0x${value.toString(16).padStart(2 * size, '0')}${set}${suffix}`);
  for (const b of bits) {
    const bit = (value & b.mask!) >>> 0;
    v.ctx.add(n, b, v.tvb, o, size, b.type === 'boolean' ? bit !== 0 : bit / (b.mask! & -b.mask!));
  }
  return n;
}

/** Adds a field read from the option at `o` (uint of `size` octets, or bytes/text of `size`). */
function put(v: OptionView, name: LcpField, o: number, size: number): number {
  const f: FieldDef = F[name];
  const { tvb, ctx, tree } = v;
  if (f.type === 'bytes') ctx.add(tree, f, tvb, o, size, tvb.slice(o, size));
  else if (f.type === 'ether') ctx.add(tree, f, tvb, o, size, tvb.slice(o, size));
  else if (f.type === 'string') ctx.add(tree, f, tvb, o, size, tvb.ascii(o, size));
  else {
    const value = size === 1 ? tvb.u8(o) : size === 2 ? tvb.u16(o) : size === 3 ? tvb.u24(o) : tvb.u32(o);
    ctx.add(tree, f, tvb, o, size, value);
    return value;
  }
  return 0;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const hex2 = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;
const protocolName = (p: number): string => `${PPP_PROTOCOL_NAMES[p] ?? 'Unknown'} (${hex2(p)})`;

const simple = (name: string, id: string): OptionSpec => ({ name, id, length: 2 });

/** RFC 1661 section 6 and the later registrations tshark 4.0 decodes, by option type. */
const OPTIONS: Record<number, OptionSpec> = {
  0: { name: 'Vendor Specific', id: 'lcp.opt.vendor', length: 6, min: true, body: (v) => {
    const oui = v.tvb.u24(2);
    v.ctx.add(v.tree, F['lcp.opt.oui'], v.tvb, 2, 3, oui, `OUI: ${hexBytes(v.tvb.slice(2, 3), ':')}`);
    put(v, 'lcp.opt.kind', 5, 1);
    if (v.length > 6) put(v, 'lcp.opt.data', 6, v.length - 6);
  } },
  1: { name: 'Maximum Receive Unit', id: 'lcp.opt.mtu_bytes', length: 4, body: (v) => `: ${put(v, 'lcp.opt.mru', 2, 2)}` },
  2: { name: 'Async Control Character Map', id: 'lcp.opt.asyncmap_bytes', length: 6, body: accm },
  3: { name: 'Authentication Protocol', id: 'lcp.opt.auth_protocol_bytes', length: 4, min: true, body: (v) => {
    const p = put(v, 'lcp.opt.auth_protocol', 2, 2);
    if (v.length > 4) {
      // CHAP (0xc223) names its algorithm (RFC 1994 section 3).
      if (p === 0xc223) {
        put(v, 'lcp.opt.algorithm', 4, 1);
        if (v.length > 5) put(v, 'lcp.opt.data', 5, v.length - 5);
      } else put(v, 'lcp.opt.data', 4, v.length - 4);
    }
    return `: ${protocolName(p)}`;
  } },
  4: { name: 'Quality Protocol', id: 'lcp.opt.quality_protocol_bytes', length: 4, min: true, body: (v) => {
    const p = put(v, 'lcp.opt.quality_protocol', 2, 2);
    v.ctx.setText(v.tree, `${v.name}: ${protocolName(p)}`);
    // packet-ppp.c asks for length + 4 octets of data here, which are never there: the
    // option's data ends in an exception, as in tshark.
    if (v.length > 4) put(v, 'lcp.opt.data', 4, v.length + 4);
  } },
  5: { name: 'Magic Number', id: 'lcp.opt.magic_number_bytes', length: 6, body: (v) => `: 0x${put(v, 'lcp.opt.magic_number', 2, 4).toString(16).padStart(8, '0')}` },
  6: { name: 'Link Quality Monitoring', id: 'lcp.opt.linkqualmon', length: 6, body: (v) => {
    const p = v.tvb.u32(2);
    v.ctx.add(v.tree, F['lcp.opt.reporting_period'], v.tvb, 2, 4, p, `Reporting Period: ${p} microseconds${p === 0 ? ' [illegal]' : ''}`);
    return `: ${plural(p, 'microsecond')}${p === 0 ? ' [illegal]' : ''}`;
  } },
  7: simple('Protocol Field Compression', 'lcp.opt.field_compress'),
  8: simple('Address and Control Field Compression', 'lcp.opt.addr_field_compress'),
  9: { name: 'FCS Alternatives', id: 'lcp.opt.fcs_alternatives_bytes', length: 3, body: (v) => {
    addBitmask(v, F['lcp.opt.fcs_alternatives'], 2, 1, [F['lcp.opt.fcs_alternatives.ccitt32'], F['lcp.opt.fcs_alternatives.ccitt16'], F['lcp.opt.fcs_alternatives.null']]);
    return `: ${hex2(v.tvb.u8(2))}`;
  } },
  10: { name: 'Self Describing Pad', id: 'lcp.opt.self_desc_pad', length: 3, body: (v) => {
    const m = v.tvb.u8(2), bad = m === 0 ? ' [invalid]' : '';
    v.ctx.add(v.tree, F['lcp.opt.maximum'], v.tvb, 2, 1, m, `Maximum: ${m} octets${bad}`);
    return `: ${plural(m, 'octet')}${bad}`;
  } },
  11: { name: 'Numbered Mode', id: 'lcp.opt.numbered_mode', length: 3, min: true, body: (v) => {
    const w = v.tvb.u8(2), bad = w === 0 || w > 127 ? ' [invalid]' : '';
    v.ctx.add(v.tree, F['lcp.opt.window'], v.tvb, 2, 1, w, `Window: ${w} frames${bad}`);
    if (v.length > 3) put(v, 'lcp.opt.hdlc_address', 3, v.length - 3);
    return `: ${plural(w, 'frame')}${bad}`;
  } },
  13: { name: 'Callback', id: 'lcp.opt.callback', length: 3, min: true, body: (v) => {
    const op = put(v, 'lcp.opt.operation', 2, 1);
    if (v.length > 3) put(v, 'lcp.opt.message', 3, v.length - 3);
    return `: ${F['lcp.opt.operation'].values![op] ?? 'Unknown'}`;
  } },
  15: simple('Compound Frames (Deprecated)', 'lcp.opt.compound_frames'),
  16: simple('Nominal Data Encapsulation (Deprecated)', 'lcp.opt.nomdataencap'),
  17: { name: 'Multilink MRRU', id: 'lcp.opt.multilink_mrru', length: 4, body: (v) => `: ${put(v, 'lcp.opt.mrru', 2, 2)}` },
  18: simple('Multilink Short Sequence Number Header', 'lcp.opt.multilink_ssnh'),
  19: { name: 'Multilink Endpoint Discriminator', id: 'lcp.opt.multilink_ep_disc', length: 3, min: true, body: endpointDiscriminator },
  21: { name: 'DCE Identifier', id: 'lcp.opt.dce_identifier', length: 3, body: (v) => `: ${DCE_MODES[put(v, 'lcp.opt.mode', 2, 1)] ?? 'Unknown'}` },
  22: { name: 'Multi Link Plus Procedure', id: 'lcp.opt.multilink_pp', length: 4, body: (v) => void put(v, 'lcp.opt.unused', 2, 2) },
  23: { name: 'Link Discriminator for BACP', id: 'lcp.opt.link_discrim_bytes', length: 4, body: (v) => {
    const d = put(v, 'lcp.opt.link_discrim', 2, 2);
    return `: ${d} (0x${d.toString(16).padStart(4, '0')})`;
  } },
  24: { name: 'Authentication Option', id: 'lcp.opt.auth', length: 3, min: true, body: (v) => {
    // An FT_UINT_BYTES: a length octet, then that many octets.
    const n = v.tvb.u8(2);
    v.ctx.add(v.tree, F['lcp.opt.id'], v.tvb, 2, 1 + n, v.tvb.slice(3, n));
    if (v.length > 3 && n < v.length - 3) put(v, 'lcp.opt.data', 3 + n, v.length - 3 - n);
  } },
  25: { name: 'Consistent Overhead Byte Stuffing (COBS)', id: 'lcp.opt.cobs', length: 3, body: (v) => {
    addBitmask(v, F['lcp.opt.flags'], 2, 1, [F['lcp.opt.flags.reserved'], F['lcp.opt.flags.pre'], F['lcp.opt.flags.zxe']]);
  } },
  26: { name: 'Prefix Elision', id: 'lcp.opt.prefix_elision', length: 2, min: true, body: (v) => {
    const o = 2;
    let left = v.length - 2;
    // packet-ppp.c never moves past the first class: it shows it again until the length runs out.
    while (left >= 2) {
      put(v, 'lcp.opt.class', o, 1);
      const n = v.tvb.u8(o + 1);
      if (n + 2 <= left) {
        v.ctx.add(v.tree, F['lcp.opt.prefix'], v.tvb, o + 2, 1 + v.tvb.u8(o + 2), v.tvb.slice(o + 3, v.tvb.u8(o + 2)));
        left -= 2 + n;
      } else left = 0;
    }
  } },
  27: { name: 'Multilink header format', id: 'lcp.opt.multilink_hdr_fmt', length: 4, body: (v) => {
    put(v, 'lcp.opt.code', 2, 1);
    put(v, 'lcp.opt.max_susp_classes', 3, 1);
  } },
  29: simple('Simple Data Link on SONET/SDH', 'lcp.opt.sonet_sdh'),
};

const ACCM_BIT_FIELDS: readonly FieldDef[] = ACCM_BITS.map((b) => F[b.name as LcpField]).reverse();

// Registered by Wireshark as protocols in name only with FT_BYTES: -T fields prints an option's bytes.
export const lcpOptionFields = defineFields(Object.values(OPTIONS).map((o) => ({ name: o.id, label: o.name, type: 'protocol' as const, protocolBytes: true })));

function accm(v: OptionView): string {
  const map = v.tvb.u32(2);
  const which = map === 0 ? ' (None)' : map === 0xffffffff ? ' (All)' : '';
  addBitmask(v, F['lcp.opt.asyncmap'], 2, 4, ACCM_BIT_FIELDS, which);
  const hex = `0x${map.toString(16).padStart(8, '0')}`;
  if (which) return `: ${hex}${which}`;
  // The item's text lists the characters after the value, from US down to NUL, with no space
  // before the first (packet-ppp.c appends "%s" to ": 0x...": "0x000a0000DC2, DLE)").
  const names: string[] = [];
  for (let i = 31; i >= 0; i--) if (map & (2 ** i)) names.push(CONTROL_CHARS[i]!);
  return `: ${hex}${names.join(', ')})`;
}

/** RFC 1990 section 5.1.3: the class says what the address is. */
function endpointDiscriminator(v: OptionView): string {
  const cls = put(v, 'lcp.opt.ep_disc_class', 2, 1);
  const text = `: Class: ${EP_DISC_CLASSES[cls] ?? 'Unknown'}`;
  let left = v.length - 3;
  if (left <= 0) return text;
  const o = 3;
  switch (cls) {
    case 0: break;
    case 1: put(v, 'lcp.opt.data', o, Math.min(left, 20)); break;
    case 2: put(v, left >= 4 ? 'lcp.opt.ip_address' : 'lcp.opt.data', o, left >= 4 ? 4 : left); break;
    case 3: put(v, left >= 6 ? 'lcp.opt.802_1_address' : 'lcp.opt.data', o, left >= 6 ? 6 : left); break;
    case 4: {
      if (left % 4) { put(v, 'lcp.opt.data', o, left); break; }
      const block = v.ctx.add(v.tree, F['lcp.opt.magic_block'], v.tvb, o, Math.min(left, 20), v.tvb.slice(o, Math.min(left, 20)));
      for (let p = o; left >= 4; left -= 4, p += 4) v.ctx.add(block, F['lcp.opt.magic_number'], v.tvb, p, 4, v.tvb.u32(p));
      break;
    }
    case 5: put(v, 'lcp.opt.psndn', o, Math.min(left, 15)); break;
    default: put(v, 'lcp.opt.data', o, left);
  }
  return text;
}

/** One LCP option on its own tvb: its item with Type and Length, then its body; false when its length is wrong. */
function dissectOption(spec: OptionSpec, tvb: Tvb, ctx: PacketContext, parent: FieldNode): void {
  const len = tvb.reportedLength;
  if (spec.min ? len < spec.length : len !== spec.length) {
    // packet-ppp.c's check for a variable option names the Vendor Specific option and its
    // minimum, whichever option it is.
    const msg = spec.min
      ? `Vendor Specific (with option length = ${plural(len, 'byte')}; should be at least 6)`
      : `${spec.name} (with option length = ${plural(len, 'byte')}; should be ${spec.length})`;
    invalid(ctx, parent, tvb, 0, len, msg);
    return;
  }
  const item = ctx.add(parent, (lcpOptionFields as Record<string, FieldDef>)[spec.id]!, tvb, 0, spec.min ? len : spec.length, null, spec.name);
  ctx.add(item, F['lcp.opt.type'], tvb, 0, 1, tvb.u8(0), `Type: ${spec.name} (${tvb.u8(0)})`);
  ctx.add(item, F['lcp.opt.length'], tvb, 1, 1, tvb.u8(1));
  const suffix = spec.body?.({ tvb, ctx, tree: item, length: len, name: spec.name });
  if (suffix) ctx.setText(item, spec.name + suffix);
}

/** packet-ppp.c's ppp_dissect_options: type, length, checks, then the option's own dissector. */
function dissectOptions(tvb: Tvb, ctx: PacketContext, tree: FieldNode, offset: number, length: number, text: string[]): void {
  let o = offset, left = length;
  while (left > 0) {
    const type = tvb.u8(o);
    left--;
    const spec = OPTIONS[type];
    const name = spec?.name ?? `Unknown (${hex2(type)})`;
    if (left === 0) {
      invalid(ctx, tree, tvb, o, 1, `${name} (length byte past end of options)`);
      return;
    }
    const len = tvb.u8(o + 1);
    left--;
    if (len < 2) {
      invalid(ctx, tree, tvb, o, 2, `${name} (with too-short option length = ${plural(len, 'byte')})`);
      return;
    }
    if (len - 2 > left) {
      invalid(ctx, tree, tvb, o, left, `${name} (option length = ${plural(len, 'byte')} says option goes past end of options)`);
      return;
    }
    if (!spec) ctx.addText(tree, tvb, o, len, `${name} (${plural(len, 'byte')})`);
    else {
      dissectOption(spec, tvb.sub(o, len), ctx, tree);
      text.push(name);
    }
    o += len;
    left -= len - 2;
  }
}

function invalid(ctx: PacketContext, tree: FieldNode, tvb: Tvb, o: number, len: number, msg: string): void {
  ctx.addExpert(ctx.add(tree, F['ppp.opt.len.invalid'], tvb, o, len, null, msg), 'warn', 'protocol', msg);
}

function dissectLcp(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = 'PPP LCP';
  const code = tvb.u8(0);
  const length = tvb.u16(2);
  ctx.info = CODES[code] ?? 'Unknown';
  ctx.setLength(node, length);
  ctx.add(node, F['ppp.code'], tvb, 0, 1, code);
  ctx.add(node, F['ppp.identifier'], tvb, 1, 1, tvb.u8(1));
  ctx.add(node, F['ppp.length'], tvb, 2, 2, length);
  const o = 4, left = length - 4;
  switch (code) {
    case 1: case 2: case 3: case 4: {
      if (left <= 0) return;
      tvb.check(o, left);
      const tree = ctx.addText(node, tvb, o, left, '');
      const names: string[] = [];
      try {
        dissectOptions(tvb, ctx, tree, o, left, names);
      } finally {
        // Each name is appended to the item's label, which Wireshark cuts where its buffer ends.
        ctx.setText(tree, cutUtf8([`Options: (${plural(left, 'byte')})`, ...names].join(', '), ITEM_LABEL_MAX));
      }
      return;
    }
    case 7:
      if (left > 0) {
        const b = tvb.slice(o, left);
        ctx.add(node, F['ppp.data'], tvb, o, left, b, `Rejected Packet (${plural(left, 'byte')}): ${hexBytes(b)}`);
      }
      return;
    case 8: {
      const proto = tvb.u16(o);
      ctx.add(node, F['lcp.rej_proto'], tvb, o, 2, proto);
      if (left > 2) {
        // The rejected packet, dissected as the protocol it is, inside LCP's tree.
        const saved = ctx.scratch['inErrorPacket'];
        ctx.scratch['inErrorPacket'] = true;
        try {
          callProtocol(lookup('ppp.proto', proto) ?? dataProtocol, tvb.sub(o + 2, left - 2), ctx, node);
        } finally {
          ctx.scratch['inErrorPacket'] = saved;
        }
      }
      return;
    }
    case 9: case 10: case 11: case 12: case 13: {
      ctx.add(node, F['lcp.magic_number'], tvb, o, 4, tvb.u32(o));
      if (code === 13) {
        const secs = tvb.u32(o + 4);
        ctx.add(node, F['lcp.secs_remaining'], tvb, o + 4, 4, secs, `Seconds Remaining: ${secs} ${secs === 0xffffffff ? '(forever)' : 'seconds'}`);
      }
      const at = code === 13 ? 8 : 4;
      if (left > at) {
        if (code >= 12) ctx.add(node, F['lcp.message'], tvb, o + at, left - at, tvb.ascii(o + at, left - at));
        else ctx.add(node, F['lcp.data'], tvb, o + at, left - at, tvb.slice(o + at, left - at));
      }
      return;
    }
    default:
      if (left > 0) ctx.add(node, F['ppp.data'], tvb, o, left, tvb.slice(o, left));
  }
}

export const lcpProtocol = defineProtocol('lcp', 'PPP Link Control Protocol', dissectLcp, 'PPP LCP');
register('ppp.proto', 0xc021, lcpProtocol);

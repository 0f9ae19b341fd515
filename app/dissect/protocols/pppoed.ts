// PPPoE Discovery (RFC 2516 section 5; EtherType 0x8863) as tshark 4.0's packet-pppoe.c shows
// it: the PPPoE header (pppoe-header.ts), then the tags of a PADI, PADO, PADR, PADS or PADT
// (and of RFC 4938's PADG/PADC/PADQ): Service-Name, AC-Name (which Info repeats), Host-Uniq,
// AC-Cookie, Vendor-Specific (with the DSL Forum's sub-tags, RFC 4679 / TR-101), Credits,
// Metrics, Sequence Number, Credit Scale Factor, Relay-Session-Id, HURL, MOTM, PPP-Max-Payload,
// IP Route Add and the three error tags, up to an End-Of-List tag.
//
// Each tag's layout is data (TAGS): the field showing its value, and the length it must have
// where tshark checks one. tshark leaves the frame's tvb whole, so Ethernet shows no padding.
import { defineFields, type FieldDef } from '../field.js';
import { defineProtocol, register } from '../dispatch.js';
import type { PacketContext } from '../packet.js';
import { addPppoeHeader, PPPOE_CODES } from '../pppoe-header.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';

const TAG_NAMES: Record<number, string> = {
  0x0000: 'End-Of-List', 0x0101: 'Service-Name', 0x0102: 'AC-Name', 0x0103: 'Host-Uniq', 0x0104: 'AC-Cookie', 0x0105: 'Vendor-Specific',
  0x0106: 'Credits', 0x0107: 'Metrics', 0x0108: 'Sequence Number', 0x0109: 'Credit Scale Factor', 0x0110: 'Relay-Session-Id', 0x0111: 'HURL',
  0x0112: 'MOTM', 0x0120: 'PPP-Max-Payload', 0x0121: 'IP Route Add', 0x0201: 'Service-Name-Error', 0x0202: 'AC-System-Error', 0x0203: 'Generic-Error',
};
const DSLF_TAG_NAMES: Record<number, string> = {
  0x01: 'Circuit-ID', 0x02: 'Remote-ID', 0x81: 'Actual-Data-Rate-Up', 0x82: 'Actual-Data-Rate-Down', 0x83: 'Min-Data-Rate-Up', 0x84: 'Min-Data-Rate-Down',
  0x85: 'Attainable-Data-Rate-Up', 0x86: 'Attainable-Data-Rate-Down', 0x87: 'Max-Data-Rate-Up', 0x88: 'Max-Data-Rate-Down', 0x89: 'Min-Data-Rate-Up-Low-Power',
  0x8a: 'Min-Data-Rate-Down-Low-Power', 0x8b: 'Max-Interleaving-Delay-Up', 0x8c: 'Actual-Interleaving-Delay-Up', 0x8d: 'Max-Interleaving-Delay-Down',
  0x8e: 'Actual-Interleaving-Delay-Down', 0x90: 'Access-Loop-Encapsulation',
};
const SCALES = { 0: 'kilobits per second', 1: 'megabits per second', 2: 'gigabits per second', 3: 'terabits per second' };
/** The DSL Forum's IANA enterprise number: its Vendor-Specific tags hold sub-tags. */
const VENDOR_DSLF = 3561;

export const pppoedFields = defineFields([
  { name: 'pppoed.tags', label: 'PPPoE Tags', type: 'none' },
  { name: 'pppoed.tag', label: 'Tag', type: 'uint16', base: 'hex', values: TAG_NAMES },
  { name: 'pppoed.tag_length', label: 'Tag Length', type: 'uint16' },
  { name: 'pppoed.tag_length_8', label: 'Tag Length', type: 'uint8' },
  { name: 'pppoed.tag.unknown_data', label: 'Unknown Data', type: 'bytes' },
  { name: 'pppoed.tag_length.invalid', label: 'Wrong length', type: 'none' },
  { name: 'pppoed.tags.service_name', label: 'Service-Name', type: 'string' },
  { name: 'pppoed.tags.ac_name', label: 'AC-Name', type: 'string' },
  { name: 'pppoed.tags.host_uniq', label: 'Host-Uniq', type: 'bytes' },
  { name: 'pppoed.tags.ac_cookie', label: 'AC-Cookie', type: 'bytes' },
  { name: 'pppoed.tags.vendor_id', label: 'Vendor id', type: 'uint32' },
  { name: 'pppoed.tags.vendor_unspecified', label: 'Vendor unspecified', type: 'bytes' },
  { name: 'pppoed.tags.vendorspecific.tags', label: 'Vendor Specific PPPoE Tags', type: 'none' },
  { name: 'pppoed.tags.vendorspecific.tag', label: 'Tag', type: 'uint8', base: 'hex', values: DSLF_TAG_NAMES },
  { name: 'pppoed.tags.circuit_id', label: 'Circuit ID', type: 'string' },
  { name: 'pppoed.tags.remote_id', label: 'Remote ID', type: 'string' },
  { name: 'pppoed.tags.act_data_rate_up', label: 'Actual Data Rate Upstream', type: 'uint32' },
  { name: 'pppoed.tags.act_data_rate_down', label: 'Actual Data Rate Downstream', type: 'uint32' },
  { name: 'pppoed.tags.min_data_rate_up', label: 'Minimum Data Rate Upstream', type: 'uint32' },
  { name: 'pppoed.tags.min_data_rate_down', label: 'Minimum Data Rate Downstream', type: 'uint32' },
  { name: 'pppoed.tags.attainable_data_rate_up', label: 'Attainable DataRate Upstream', type: 'uint32' },
  { name: 'pppoed.tags.attainable_data_rate_down', label: 'Attainable DataRate Downstream', type: 'uint32' },
  { name: 'pppoed.tags.max_data_rate_up', label: 'Maximum Data Rate Upstream', type: 'uint32' },
  { name: 'pppoed.tags.max_data_rate_down', label: 'Maximum Data Rate Downstream', type: 'uint32' },
  { name: 'pppoed.tags.min_data_rate_up_lp', label: 'Min DataRate Upstream in low power state', type: 'uint32' },
  { name: 'pppoed.tags.min_data_rate_down_lp', label: 'Minimum Data Rate Downstream in low power state', type: 'uint32' },
  { name: 'pppoed.tags.max_int_delay_up', label: 'Max Interleaving Delay Upstream', type: 'uint32' },
  { name: 'pppoed.tags.act_int_delay_up', label: 'Actual Interleaving Delay Upstream', type: 'uint32' },
  { name: 'pppoed.tags.max_int_delay_down', label: 'Maximum Interleaving Delay Downstream', type: 'uint32' },
  { name: 'pppoed.tags.act_int_delay_down', label: 'Actual Interleaving Delay Downstream', type: 'uint32' },
  { name: 'pppoed.tags.access_loop_encap', label: 'Access-Loop-Encapsulation', type: 'none' },
  { name: 'pppoed.tags.access_loop_encap.data_link', label: 'Data link', type: 'uint8', base: 'hex', values: { 0: 'ATM AAL5', 1: 'Ethernet' } },
  { name: 'pppoed.tags.access_loop_encap.encap_1', label: 'Encaps 1', type: 'uint8', base: 'hex', values: { 0: 'NA', 1: 'Untagged Ethernet', 2: 'Single-tagged Ethernet', 3: 'Double-tagged Ethernet' } },
  { name: 'pppoed.tags.access_loop_encap.encap_2', label: 'Encaps 2', type: 'uint8', base: 'hex', values: {
    0: 'NA', 1: 'PPPoA LLC', 2: 'PPPoA Null', 3: 'IPoA LLC', 4: 'IPoA Null', 5: 'Ethernet over AAL5 LLC w FCS', 6: 'Ethernet over AAL5 LLC w/o FCS',
    7: 'Ethernet over AAL5 Null w FCS', 8: 'Ethernet over AAL5 Null w/o FCS',
  } },
  { name: 'pppoed.tags.credits', label: 'Credits', type: 'bytes' },
  { name: 'pppoed.tags.credits.fcn', label: 'FCN', type: 'uint16' },
  { name: 'pppoed.tags.credits.bcn', label: 'BCN', type: 'uint16' },
  { name: 'pppoed.tags.metrics', label: 'Metrics', type: 'bytes' },
  { name: 'pppoed.tags.metrics.r', label: 'Receive Only', type: 'boolean', mask: 0x0001 },
  { name: 'pppoed.tags.metrics.mdr_units', label: 'MDR Units', type: 'uint16', base: 'hex', mask: 0x0018, values: SCALES },
  { name: 'pppoed.tags.metrics.cdr_units', label: 'CDR Units', type: 'uint16', base: 'hex', mask: 0x0006, values: SCALES },
  { name: 'pppoed.tags.metrics.rlq', label: 'Relative Link Quality', type: 'uint8' },
  { name: 'pppoed.tags.metrics.resource', label: 'Resource', type: 'uint8' },
  { name: 'pppoed.tags.metrics.latency', label: 'Latency', type: 'uint16' },
  { name: 'pppoed.tags.metrics.curr_drate', label: 'Curr. datarate', type: 'uint16' },
  { name: 'pppoed.tags.metrics.max_drate', label: 'Max. datarate', type: 'uint16' },
  { name: 'pppoed.tags.seq_num', label: 'Sequence Number', type: 'uint16', base: 'hex' },
  { name: 'pppoed.tags.credit_scale', label: 'Credit Scale Factor', type: 'uint16' },
  { name: 'pppoed.tags.relay_session_id', label: 'Relay-Session-Id', type: 'bytes' },
  { name: 'pppoed.tags.hurl', label: 'HURL', type: 'bytes' },
  { name: 'pppoed.tags.motm', label: 'MOTM', type: 'bytes' },
  { name: 'pppoed.tags.max_payload', label: 'PPP-Max-Payload', type: 'bytes' },
  { name: 'pppoed.tags.ip_route_add', label: 'IP Route Add', type: 'bytes' },
  { name: 'pppoed.tags.service_name_error', label: 'Service-Name-Error', type: 'string' },
  { name: 'pppoed.tags.ac_system_error', label: 'AC-System-Error', type: 'string' },
  { name: 'pppoed.tags.generic_error', label: 'Generic-Error', type: 'string' },
] as const);
const F = pppoedFields;
type PppoedField = keyof typeof pppoedFields;

/** Tags whose value is one field over all of it (strings and byte strings). */
const PLAIN_TAGS: Record<number, PppoedField> = {
  0x0101: 'pppoed.tags.service_name', 0x0102: 'pppoed.tags.ac_name', 0x0103: 'pppoed.tags.host_uniq', 0x0104: 'pppoed.tags.ac_cookie',
  0x0110: 'pppoed.tags.relay_session_id', 0x0111: 'pppoed.tags.hurl', 0x0112: 'pppoed.tags.motm', 0x0120: 'pppoed.tags.max_payload',
  0x0121: 'pppoed.tags.ip_route_add', 0x0201: 'pppoed.tags.service_name_error', 0x0202: 'pppoed.tags.ac_system_error', 0x0203: 'pppoed.tags.generic_error',
};

/** The DSL Forum's sub-tags with one field each, and the length tshark checks (a maximum for the IDs). */
const DSLF_TAGS: Record<number, readonly [PppoedField, number, 'max' | 'exact']> = {
  0x01: ['pppoed.tags.circuit_id', 63, 'max'], 0x02: ['pppoed.tags.remote_id', 63, 'max'],
  0x81: ['pppoed.tags.act_data_rate_up', 4, 'exact'], 0x82: ['pppoed.tags.act_data_rate_down', 4, 'exact'],
  0x83: ['pppoed.tags.min_data_rate_up', 4, 'exact'], 0x84: ['pppoed.tags.min_data_rate_down', 4, 'exact'],
  0x85: ['pppoed.tags.attainable_data_rate_up', 4, 'exact'], 0x86: ['pppoed.tags.attainable_data_rate_down', 4, 'exact'],
  0x87: ['pppoed.tags.max_data_rate_up', 4, 'exact'], 0x88: ['pppoed.tags.max_data_rate_down', 4, 'exact'],
  0x89: ['pppoed.tags.min_data_rate_up_lp', 4, 'exact'], 0x8a: ['pppoed.tags.min_data_rate_down_lp', 4, 'exact'],
  0x8b: ['pppoed.tags.max_int_delay_up', 4, 'exact'], 0x8c: ['pppoed.tags.act_int_delay_up', 4, 'exact'],
  0x8d: ['pppoed.tags.max_int_delay_down', 4, 'exact'], 0x8e: ['pppoed.tags.act_int_delay_down', 4, 'exact'],
};

/** A field over `len` octets at `o`, read as its type says. */
function put(tvb: Tvb, ctx: PacketContext, tree: FieldNode, f: FieldDef, o: number, len: number): FieldNode {
  if (f.type === 'string') return ctx.add(tree, f, tvb, o, len, tvb.ascii(o, len));
  if (f.type === 'bytes') return ctx.add(tree, f, tvb, o, len, tvb.slice(o, len));
  return ctx.add(tree, f, tvb, o, len, len === 1 ? tvb.u8(o) : len === 2 ? tvb.u16(o) : tvb.u32(o));
}

/** A tag whose length is not the one it must have: tshark's pppoed.tag_length.invalid item and its malformed-packet warning. */
function wrongLength(tvb: Tvb, ctx: PacketContext, tree: FieldNode, o: number, len: number, name: string): void {
  const msg = `${name} tag: Wrong length: ${len} (expected 2)`;
  ctx.addExpert(ctx.add(tree, F['pppoed.tag_length.invalid'], tvb, o, len, null, msg), 'warn', 'malformed', msg);
}

/** The DSL Forum's Vendor-Specific sub-tags (one-octet type and length). */
function dslfTags(tvb: Tvb, ctx: PacketContext, parent: FieldNode, offset: number, length: number): void {
  const tree = ctx.add(parent, F['pppoed.tags.vendorspecific.tags'], tvb, offset, length, null);
  for (let o = offset; o <= offset + length - 2;) {
    const tag = tvb.u8(o), len = tvb.u8(o + 1);
    const simple = DSLF_TAGS[tag];
    if (simple) {
      const [name, size, how] = simple;
      if (how === 'max' ? len <= size : len === size) put(tvb, ctx, tree, F[name], o + 2, len);
      else ctx.addExpert(tree, 'warn', 'malformed', `${DSLF_TAG_NAMES[tag]}: Wrong length: ${len} (expected ${how === 'max' ? '<=' : '=='} ${size})`);
    } else if (tag === 0x90) {
      const encap = ctx.add(tree, F['pppoed.tags.access_loop_encap'], tvb, o + 2, 3, null);
      if (len !== 3) ctx.addExpert(encap, 'warn', 'malformed', `Access-Loop-Encapsulation: Wrong length: ${len} (expected 3)`);
      put(tvb, ctx, encap, F['pppoed.tags.access_loop_encap.data_link'], o + 2, 1);
      put(tvb, ctx, encap, F['pppoed.tags.access_loop_encap.encap_1'], o + 3, 1);
      put(tvb, ctx, encap, F['pppoed.tags.access_loop_encap.encap_2'], o + 4, 1);
    } else if (len > 0) {
      // packet-pppoe.c shows an unknown sub-tag with the two-octet tag field.
      ctx.add(tree, F['pppoed.tag'], tvb, o, 1, tag);
      ctx.add(tree, F['pppoed.tag_length_8'], tvb, o + 1, 1, len);
      put(tvb, ctx, tree, F['pppoed.tag.unknown_data'], o + 2, len);
    }
    o += 2 + len;
  }
}

/** RFC 4938 section 5: the Metrics tag, its units in the reserved bits. */
function metrics(tvb: Tvb, ctx: PacketContext, tree: FieldNode, o: number): void {
  const bits = tvb.u16(o);
  ctx.add(tree, F['pppoed.tags.metrics.mdr_units'], tvb, o, 2, (bits >> 3) & 3);
  ctx.add(tree, F['pppoed.tags.metrics.cdr_units'], tvb, o, 2, (bits >> 1) & 3);
  ctx.add(tree, F['pppoed.tags.metrics.r'], tvb, o, 2, (bits & 1) !== 0);
  put(tvb, ctx, tree, F['pppoed.tags.metrics.rlq'], o + 2, 1);
  put(tvb, ctx, tree, F['pppoed.tags.metrics.resource'], o + 3, 1);
  put(tvb, ctx, tree, F['pppoed.tags.metrics.latency'], o + 4, 2);
  const units = [' kbps', ' mbps', ' gbps', ' tbps'];
  const cdr = tvb.u16(o + 6), mdr = tvb.u16(o + 8);
  ctx.add(tree, F['pppoed.tags.metrics.curr_drate'], tvb, o + 6, 2, cdr, `Curr. datarate: ${cdr}${units[(bits >> 1) & 3]}`);
  ctx.add(tree, F['pppoed.tags.metrics.max_drate'], tvb, o + 8, 2, mdr, `Max. datarate: ${mdr}${units[(bits >> 3) & 3]}`);
}

/** The tags from `offset` up to the end of the payload (`end`), or an End-Of-List tag. */
function dissectTags(tvb: Tvb, ctx: PacketContext, node: FieldNode, offset: number, end: number): void {
  const tree = ctx.add(node, F['pppoed.tags'], tvb, offset, end - offset, null);
  for (let o = offset; o <= end - 2;) {
    const tag = tvb.u16(o), len = tvb.u16(o + 2), v = o + 4;
    const plain = PLAIN_TAGS[tag];
    if (tag === 0x0000) return;
    if (plain) {
      // An empty Service-Name means any service (RFC 2516 A): tshark shows nothing for it.
      if (tag !== 0x0101 || len > 0) put(tvb, ctx, tree, F[plain], v, len);
      if (tag === 0x0102) ctx.info += ` AC-Name='${tvb.ascii(v, len)}'`;
    } else if (tag === 0x0105) {
      if (len >= 4) put(tvb, ctx, tree, F['pppoed.tags.vendor_id'], v, 4);
      if (len > 4) {
        if (tvb.u32(v) === VENDOR_DSLF) dslfTags(tvb, ctx, tree, v + 4, len - 4);
        else put(tvb, ctx, tree, F['pppoed.tags.vendor_unspecified'], v + 4, len - 4);
      }
    } else if (tag === 0x0106) {
      if (len === 4) {
        put(tvb, ctx, tree, F['pppoed.tags.credits.fcn'], v, 2);
        put(tvb, ctx, tree, F['pppoed.tags.credits.bcn'], v + 2, 2);
      } else put(tvb, ctx, tree, F['pppoed.tags.credits'], v, len);
    } else if (tag === 0x0107) {
      if (len === 10) metrics(tvb, ctx, tree, v);
      else put(tvb, ctx, tree, F['pppoed.tags.metrics'], v, len);
    } else if (tag === 0x0108 || tag === 0x0109) {
      const f = tag === 0x0108 ? F['pppoed.tags.seq_num'] : F['pppoed.tags.credit_scale'];
      if (len === 2) put(tvb, ctx, tree, f, v, 2);
      else wrongLength(tvb, ctx, tree, v, len, f.label);
    } else if (len > 0) {
      ctx.add(tree, F['pppoed.tag'], tvb, o, 2, tag);
      ctx.add(tree, F['pppoed.tag_length'], tvb, o + 2, 2, len);
      put(tvb, ctx, tree, F['pppoed.tag.unknown_data'], o + 2, len);
    }
    o += 4 + len;
  }
}

function dissectPppoed(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = 'PPPoED';
  const code = tvb.u8(1);
  ctx.info = PPPOE_CODES[code] ?? 'Unknown';
  const len = tvb.u16(4);
  ctx.setLength(node, len + 6);
  addPppoeHeader(tvb, ctx, node);
  if (len > 0) dissectTags(tvb, ctx, node, 6, 6 + len);
}

export const pppoedProtocol = defineProtocol('pppoed', 'PPP-over-Ethernet Discovery', dissectPppoed, 'PPPoED');
register('ethertype', 0x8863, pppoedProtocol);

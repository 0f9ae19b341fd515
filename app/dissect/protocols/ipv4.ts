// IPv4 (RFC 791; Wireshark's packet-ip.c). Sets the Source/Destination columns and the
// network addresses TCP/UDP key their conversations on, reassembles fragments (tshark's
// default), and hands the payload on through the `ip.proto` table.
import { CHECKSUM_STATUS_NAMES } from '../checksum.js';
import { defineFields } from '../field.js';
import { callProtocol, defineProtocol, dispatch, register } from '../dispatch.js';
import { DSCP_NAMES, DSCP_SHORT, ECN_NAMES, ECN_SHORT } from '../dscp.js';
import { bitPicture, formatIPv4 } from '../format.js';
import { IP_PROTOCOL_NAMES } from '../ipproto.js';
import type { PacketContext } from '../packet.js';
import { addFragment, addFragmentTree, type FragmentFields } from '../reassembly.js';
import type { FieldNode } from '../tree.js';
import { MalformedError, Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';

const OPTION_NAMES: Record<number, string> = { 0: 'End of Options List (EOL)', 1: 'No-Operation (NOP)', 7: 'Record Route', 68: 'Time Stamp', 130: 'Security', 131: 'Loose Source Route', 134: 'Commercial Security', 136: 'Stream ID', 137: 'Strict Source Route', 148: 'Router Alert' };

/** packet-ip.c's names for the option number (the low five bits of the type). */
const OPTION_NUMBERS: Record<number, string> = {
  0: 'End of Option List (EOL)', 1: 'No-Operation (NOP)', 2: 'Security', 3: 'Loose source route', 4: 'Time stamp',
  5: 'Extended security', 6: 'Commercial IP security option', 7: 'Record route', 8: 'Stream identifier',
  9: 'Strict source route', 10: 'Experimental Measurement', 11: 'MTU probe', 12: 'MTU Reply',
  13: 'Experimental Flow Control', 14: 'Experimental Access Control', 15: 'Ask Estrin', 16: 'IMI Traffic Descriptor',
  17: 'Extended Internet Protocol', 18: 'Traceroute', 19: 'Address Extension', 20: 'Router Alert',
  21: 'Selective Directed Broadcast', 23: 'Dynamic Packet State', 24: 'Upstream Multicast Packet', 25: 'Quick-Start',
};

/** CIPSO tag types (draft-ietf-cipso-ipsecurity-01, FIPS 188). */
const CIPSO_TAG_TYPES: Record<number, string> = { 0: 'Padding', 1: 'Restrictive Category Bitmap', 2: 'Enumerated Categories', 5: 'Ranged Categories', 6: 'Permissive Categories', 7: 'Free Form' };
/** The longest tag an IPv4 header leaves room for: 60 - 20 - 6. */
const CIPSO_TAG_LEN_MAX = 34;

export const ipFields = defineFields([
  { name: 'ip.version', label: 'Version', type: 'uint8', mask: 0xf0 },
  { name: 'ip.hdr_len', label: 'Header Length', type: 'uint8', mask: 0x0f, unit: ' bytes' },
  { name: 'ip.dsfield', label: 'Differentiated Services Field', type: 'uint8', base: 'hex' },
  { name: 'ip.dsfield.dscp', label: 'Differentiated Services Codepoint', type: 'uint8', mask: 0xfc, values: DSCP_NAMES },
  { name: 'ip.dsfield.ecn', label: 'Explicit Congestion Notification', type: 'uint8', mask: 0x03, values: ECN_NAMES },
  { name: 'ip.len', label: 'Total Length', type: 'uint16' },
  { name: 'ip.id', label: 'Identification', type: 'uint16', base: 'hex_dec' },
  { name: 'ip.flags', label: 'Flags', type: 'uint8', base: 'hex', mask: 0xe0 },
  { name: 'ip.flags.rb', label: 'Reserved bit', type: 'boolean', mask: 0x80, tf: ['Set', 'Not set'] },
  { name: 'ip.flags.df', label: 'Don\'t fragment', type: 'boolean', mask: 0x40, tf: ['Set', 'Not set'] },
  { name: 'ip.flags.mf', label: 'More fragments', type: 'boolean', mask: 0x20, tf: ['Set', 'Not set'] },
  { name: 'ip.frag_offset', label: 'Fragment Offset', type: 'uint16', mask: 0x1fff, description: 'Fragment offset in 8-byte units (the tree shows bytes)' },
  { name: 'ip.ttl', label: 'Time to Live', type: 'uint8' },
  { name: 'ip.proto', label: 'Protocol', type: 'uint8', values: IP_PROTOCOL_NAMES },
  { name: 'ip.checksum', label: 'Header Checksum', type: 'uint16', base: 'hex' },
  { name: 'ip.checksum.status', label: 'Header checksum status', type: 'uint8', base: 'none', values: CHECKSUM_STATUS_NAMES },
  { name: 'ip.src', label: 'Source Address', type: 'ipv4' },
  { name: 'ip.dst', label: 'Destination Address', type: 'ipv4' },
  { name: 'ip.addr', label: 'Source or Destination Address', type: 'ipv4' },
  { name: 'ip.src_host', label: 'Source Host', type: 'string' },
  { name: 'ip.dst_host', label: 'Destination Host', type: 'string' },
  { name: 'ip.host', label: 'Source or Destination Host', type: 'string' },
  { name: 'ip.options', label: 'Options', type: 'bytes' },
  { name: 'ip.opt.type', label: 'Type', type: 'uint8' },
  { name: 'ip.opt.type.copy', label: 'Copy on fragmentation', type: 'boolean', mask: 0x80, tf: ['Yes', 'No'] },
  { name: 'ip.opt.type.class', label: 'Class', type: 'uint8', mask: 0x60, values: { 0: 'Control', 1: 'Reserved for future use', 2: 'Debugging and measurement', 3: 'Reserved for future use' } },
  { name: 'ip.opt.type.number', label: 'Number', type: 'uint8', mask: 0x1f, values: OPTION_NUMBERS },
  { name: 'ip.opt.len', label: 'Length', type: 'uint8' },
  { name: 'ip.opt.ptr', label: 'Pointer', type: 'uint8' },
  { name: 'ip.opt.ra', label: 'Router Alert', type: 'uint16', values: { 0: 'Router shall examine packet' } },
  { name: 'ip.opt.overflow', label: 'Overflow', type: 'uint8', mask: 0xf0 },
  { name: 'ip.opt.flag', label: 'Flag', type: 'uint8', base: 'hex', mask: 0x0f, values: { 0: 'Time stamps only', 1: 'Time stamp and address', 3: 'Time stamps for prespecified addresses' } },
  { name: 'ip.opt.time_stamp', label: 'Time stamp', type: 'uint32' },
  { name: 'ip.opt.time_stamp_addr', label: 'Address', type: 'ipv4' },
  { name: 'ip.rec_rt', label: 'Recorded Route', type: 'ipv4' },
  { name: 'ip.empty_rt', label: 'Empty Route', type: 'ipv4' },
  { name: 'ip.src_rt', label: 'Source Route', type: 'ipv4' },
  { name: 'ip.cipso.doi', label: 'DOI', type: 'uint32' },
  { name: 'ip.cipso.tag_type', label: 'Tag Type', type: 'uint8', values: CIPSO_TAG_TYPES },
  { name: 'ip.cipso.sensitivity_level', label: 'Sensitivity Level', type: 'uint8' },
  { name: 'ip.cipso.categories', label: 'Categories', type: 'string' },
  { name: 'ip.cipso.tag_data', label: 'Tag data', type: 'bytes' },
  { name: 'ip.cur_rt', label: 'Current Route', type: 'ipv4' },
  { name: 'ip.fragments', label: 'IPv4 Fragments', type: 'bytes' },
  { name: 'ip.fragment', label: 'IPv4 Fragment', type: 'framenum' },
  { name: 'ip.fragment.count', label: 'Fragment count', type: 'uint32' },
  { name: 'ip.fragment.overlap', label: 'Fragment overlap', type: 'boolean' },
  { name: 'ip.fragment.overlap.conflict', label: 'Conflicting data in fragment overlap', type: 'boolean' },
  { name: 'ip.fragment.toolongfragment', label: 'Fragment too long', type: 'boolean' },
  { name: 'ip.fragment.error', label: 'Defragmentation error', type: 'framenum' },
  { name: 'ip.reassembled.data', label: 'Reassembled IPv4 data', type: 'bytes' },
  { name: 'ip.reassembled_in', label: 'Reassembled IPv4 in frame', type: 'framenum' },
  { name: 'ip.reassembled.length', label: 'Reassembled IPv4 length', type: 'uint32' },
] as const);

const F = ipFields;
const FRAGMENT_FIELDS: FragmentFields = {
  list: F['ip.fragments'], item: F['ip.fragment'], count: F['ip.fragment.count'], length: F['ip.reassembled.length'], data: F['ip.reassembled.data'],
  overlap: F['ip.fragment.overlap'], conflict: F['ip.fragment.overlap.conflict'], tooLong: F['ip.fragment.toolongfragment'], error: F['ip.fragment.error'],
};
/** PIM: its hello messages go out with a TTL of 1 by design. */
const IPPROTO_PIM = 103;
const IPPROTO_IGMP = 2;
const IPPROTO_OSPF = 89;
/** packet-ip.c's exceptions to TTL 1 in 224.0.0.0/24: VRRP, Cisco GLBP and mDNS send 255, LLMNR any. */
const LNCB_ANY_TTL = 256;
const LNCB_TTLS = new Map<number, number>([[0xe0000012, 255], [0xe0000066, 255], [0xe00000fb, 255], [0xe00000fc, LNCB_ANY_TTL]]);
const MIN_HEADER = 20;

/** The header fields dissectIPv4 adds itself (options and fragments add their own). */
const HEADER_FIELDS = [
  F['ip.version'], F['ip.hdr_len'], F['ip.dsfield'], F['ip.dsfield.dscp'], F['ip.dsfield.ecn'], F['ip.len'], F['ip.id'], F['ip.flags'], F['ip.flags.rb'],
  F['ip.flags.df'], F['ip.flags.mf'], F['ip.frag_offset'], F['ip.ttl'], F['ip.proto'], F['ip.checksum'], F['ip.checksum.status'], F['ip.src'], F['ip.addr'],
  F['ip.src_host'], F['ip.host'], F['ip.cur_rt'], F['ip.dst'], F['ip.dst_host'],
];

function dissectIPv4(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = 'IPv4';
  ctx.info = '';
  // Whether a header field may be kept. When none is (read's summary lines) the header's adds
  // below are skipped: each would give back the placeholder, and the notes go on no node.
  const keep = !ctx.recordsNone(HEADER_FIELDS);
  const b0 = tvb.u8(0);
  const version = b0 >> 4;
  const hlen = (b0 & 0x0f) * 4;
  const versionNode = !keep ? null : ctx.add(node, F['ip.version'], tvb, 0, 1, version, ctx.tree ? `${bitPicture(b0, 0xf0, 8)} = Version: ${version}` : undefined);
  // The notes go on the bad field, in tshark's words (Info says more).
  if (version !== 4) {
    ctx.info = `Bogus IPv4 version (${version}, must be 4)`;
    ctx.addExpert(versionNode, 'error', 'protocol', 'Bogus IPv4 version');
    return;
  }
  if (hlen < MIN_HEADER) {
    const hlenNode = ctx.add(node, F['ip.hdr_len'], tvb, 0, 1, hlen, ctx.tree ? `${bitPicture(b0, 0x0f, 8)} = Header Length: ${hlen} bytes (${hlen >> 2})` : undefined);
    ctx.info = `Bogus IP header length (${hlen}, must be at least ${MIN_HEADER})`;
    ctx.addExpert(hlenNode, 'error', 'protocol', ctx.info);
    return;
  }
  tvb.check(0, MIN_HEADER);
  if (keep) ctx.add(node, F['ip.hdr_len'], tvb, 0, 1, hlen, ctx.tree ? `${bitPicture(b0, 0x0f, 8)} = Header Length: ${hlen} bytes (${hlen >> 2})` : undefined);

  const tos = tvb.u8(1);
  if (keep) {
    const ds = ctx.add(node, F['ip.dsfield'], tvb, 1, 1, tos, ctx.tree ? `Differentiated Services Field: 0x${tos.toString(16).padStart(2, '0')} (DSCP: ${DSCP_SHORT[tos >> 2] ?? 'Unknown'}, ECN: ${ECN_SHORT[tos & 3]})` : undefined);
    // Sub-fields are added in every mode (filters and -T fields ask for them); only their tree
    // lines are lazy.
    ctx.add(ds, F['ip.dsfield.dscp'], tvb, 1, 1, tos >> 2, () => `${bitPicture(tos, 0xfc, 8)} = Differentiated Services Codepoint: ${DSCP_NAMES[tos >> 2] ?? 'Unknown'} (${tos >> 2})`);
    ctx.add(ds, F['ip.dsfield.ecn'], tvb, 1, 1, tos & 3, () => `${bitPicture(tos, 0x03, 8)} = Explicit Congestion Notification: ${ECN_NAMES[tos & 3]} (${tos & 3})`);
  }
  let totalLen = tvb.u16(2);
  // tshark stops at an impossible total length, before the addresses (0 means TSO, see below).
  const bogusLen = totalLen !== 0 && totalLen < hlen;
  const lenNode = !keep ? null : ctx.add(node, F['ip.len'], tvb, 2, 2, totalLen, bogusLen && ctx.tree ? `Total Length: ${totalLen} bytes (bogus, less than header length ${hlen})` : undefined);
  if (bogusLen) {
    ctx.info = `Bogus IP length (${totalLen}, less than header length ${hlen})`;
    ctx.addExpert(lenNode, 'error', 'protocol', 'Bogus IP length');
    return;
  }
  const id = tvb.u16(4);
  const fragWord = tvb.u16(6);
  const flags = fragWord >> 13;
  const fragOff = fragWord & 0x1fff;
  const mf = (flags & 1) !== 0;
  if (keep) {
    ctx.add(node, F['ip.id'], tvb, 4, 2, id);
    const fl = ctx.add(node, F['ip.flags'], tvb, 6, 1, flags, ctx.tree ? `${bitPicture(tvb.u8(6), 0xe0, 8)} = Flags: 0x${flags.toString(16)}${flags & 2 ? ', Don\'t fragment' : ''}${mf ? ', More fragments' : ''}` : undefined);
    const b6 = tvb.u8(6);
    ctx.add(fl, F['ip.flags.rb'], tvb, 6, 1, (b6 & 0x80) !== 0, () => `${bitPicture(b6, 0x80, 8)} = Reserved bit: ${b6 & 0x80 ? 'Set' : 'Not set'}`);
    ctx.add(fl, F['ip.flags.df'], tvb, 6, 1, (b6 & 0x40) !== 0, () => `${bitPicture(b6, 0x40, 8)} = Don't fragment: ${b6 & 0x40 ? 'Set' : 'Not set'}`);
    ctx.add(fl, F['ip.flags.mf'], tvb, 6, 1, mf, () => `${bitPicture(b6, 0x20, 8)} = More fragments: ${mf ? 'Set' : 'Not set'}`);
    ctx.add(node, F['ip.frag_offset'], tvb, 6, 2, fragOff, ctx.tree ? `${bitPicture(fragWord, 0x1fff, 16)} = Fragment Offset: ${fragOff * 8}` : undefined);
  }
  const ttl = tvb.u8(8);
  const ttlNode = !keep ? null : ctx.add(node, F['ip.ttl'], tvb, 8, 1, ttl);
  ctx.scratch['ip.ttl'] = ttl; // ICMP's Info shows it ("ttl=64")
  const proto = tvb.u8(9);
  const checksum = tvb.u16(10);
  if (keep) {
    ctx.add(node, F['ip.proto'], tvb, 9, 1, proto);
    ctx.add(node, F['ip.checksum'], tvb, 10, 2, checksum, ctx.tree ? `Header Checksum: 0x${checksum.toString(16).padStart(4, '0')} [validation disabled]` : undefined);
    ctx.addGenerated(node, F['ip.checksum.status'], 2);
  }
  // A source route still under way: the header's destination is the current hop, the route's last address the destination.
  const route = hlen > MIN_HEADER ? sourceRouteDestination(tvb, hlen) : null;
  const src = tvb.u32(12), dst = route ? tvb.u32(route.at) : tvb.u32(16);
  const srcText = formatIPv4(src), dstText = formatIPv4(dst);
  // packet-ip.c: a packet to the Local Network Control Block (224.0.0.0/24) is never routed, so
  // its TTL should be 1 (RFC 3171; a few protocols send 255); a unicast packet about to expire
  // (traceroute's probes, a routing loop) gets a note too.
  if (dst >>> 8 === 0xe00000) {
    const valid = proto === IPPROTO_IGMP ? 1 : LNCB_TTLS.get(dst) ?? 1;
    if (ttl !== valid && valid !== LNCB_ANY_TTL) ctx.addExpert(ttlNode, 'note', 'sequence', `"Time To Live" != ${valid} for a packet sent to the Local Network Control Block (see RFC 3171)`);
  } else if (ttl < 5 && (dst >>> 28) !== 0xe && proto !== IPPROTO_PIM && proto !== IPPROTO_OSPF) {
    ctx.addExpert(ttlNode, 'note', 'sequence', `"Time To Live" only ${ttl}`);
  }
  if (keep) {
    ctx.add(node, F['ip.src'], tvb, 12, 4, src);
    ctx.addHidden(node, F['ip.addr'], tvb, 12, 4, src);
    ctx.addHidden(node, F['ip.src_host'], tvb, 12, 4, srcText);
    ctx.addHidden(node, F['ip.host'], tvb, 12, 4, srcText);
    if (route) ctx.add(node, F['ip.cur_rt'], tvb, 16, 4, tvb.u32(16));
    else addDestination(tvb, ctx, node, 16, dst, dstText);
  }
  if (ctx.tree) ctx.setText(node, `Internet Protocol Version 4, Src: ${srcText}, Dst: ${dstText}${route ? `, Via: ${formatIPv4(tvb.u32(16))}` : ''}`);
  ctx.setLength(node, Math.min(hlen, tvb.length));

  // The quoted packet inside an ICMP error keeps the outer packet's columns (tshark).
  const inError = ctx.scratch['inErrorPacket'] === true;
  if (!inError) {
    ctx.src = srcText;
    ctx.dst = dstText;
    ctx.endpoints = { src: srcText, dst: dstText, netSrc: tvb.slice(12, 4), netDst: tvb.slice(16, 4) };
    ctx.tapIp(srcText, dstText);
  } else {
    ctx.endpoints = { ...ctx.endpoints, netSrc: tvb.slice(12, 4), netDst: tvb.slice(16, 4) };
  }

  if (hlen > MIN_HEADER) addOptions(tvb, ctx, node, hlen, route);

  // A zero total length is what TSO-captured packets carry: use what was captured (tshark).
  if (totalLen === 0) totalLen = tvb.reportedLength;
  ctx.scratch['eth.payloadUsed'] ??= totalLen; // the outermost datagram (not a tunnelled or quoted one)
  const payloadReported = inError ? Math.min(totalLen, tvb.length) - hlen : totalLen - hlen;
  const payload = tvb.sub(hlen, totalLen - hlen, Math.max(0, payloadReported));

  if (mf || fragOff !== 0) {
    if (!inError && payload.length === payload.reportedLength) {
      const key = `${src}:${dst}:${id}:${proto}`;
      const r = addFragment(ctx, 'ip', key, fragOff * 8, payload.slice(0, payload.length), mf);
      if (r.reassembled) {
        const whole = Tvb.of(r.reassembled);
        ctx.nameSource(whole, 'Reassembled IPv4');
        addFragmentTree(ctx, node, FRAGMENT_FIELDS, r.parts, r.reassembled);
        handOff(proto, whole, ctx);
        return;
      }
      if (r.completedBy) ctx.addGenerated(node, F['ip.reassembled_in'], r.completedBy);
    }
    ctx.info = `Fragmented IP protocol (proto=${IP_PROTOCOL_NAMES[proto] ?? 'Unknown'} ${proto}, off=${fragOff * 8}, ID=${id.toString(16).padStart(4, '0')})`;
    callProtocol(dataProtocol, payload, ctx, ctx.upperParent);
    return;
  }
  handOff(proto, payload, ctx);
}

/** A source route under way: its option's offset and the offset of its last address. */
interface SourceRoute {
  option: number;
  at: number;
}

/** ip.dst and the hidden fields that go with it, at `at` (the header's, or a source route's last address). */
function addDestination(tvb: Tvb, ctx: PacketContext, parent: FieldNode, at: number, dst: number, dstText: string): void {
  ctx.add(parent, F['ip.dst'], tvb, at, 4, dst);
  ctx.addHidden(parent, F['ip.addr'], tvb, at, 4, dst);
  ctx.addHidden(parent, F['ip.dst_host'], tvb, at, 4, dstText);
  ctx.addHidden(parent, F['ip.host'], tvb, at, 4, dstText);
}

/**
 * A loose or strict source route option with addresses still to visit (its pointer within it):
 * the datagram's destination is the route's last address, where tshark shows ip.dst, and the
 * header's destination is the current hop, ip.cur_rt (packet-ip.c get_dst_offset). The option
 * and that address's offset, or null.
 */
function sourceRouteDestination(tvb: Tvb, hlen: number): SourceRoute | null {
  for (let o = MIN_HEADER; o < hlen && tvb.has(o, 1); ) {
    const type = tvb.u8(o);
    if (type === 0) break;
    if (type === 1) { o++; continue; }
    if (!tvb.has(o + 1, 1)) break;
    const len = tvb.u8(o + 1);
    if (len < 2 || o + len > hlen) break;
    if ((type === 131 || type === 137) && len >= 7 && tvb.has(o + 2, 1) && tvb.u8(o + 2) <= len) {
      return { option: o, at: o + 3 + 4 * (Math.floor((len - 3) / 4) - 1) };
    }
    o += len;
  }
  return null;
}

function handOff(proto: number, payload: Tvb, ctx: PacketContext): void {
  // packet-ip.c hands on only a payload there is: an empty datagram ends at IP (Info empty).
  if (payload.reportedLength === 0) return;
  const parent = ctx.upperParent;
  if (dispatch('ip.proto', proto, payload, ctx, parent)) return;
  // packet-ip.c: a protocol nothing dissects is named in Info ("Unknown (253)"), its bytes data.
  ctx.info = `${IP_PROTOCOL_NAMES[proto] ?? 'Unknown'} (${proto})`;
  if (payload.reportedLength > 0) callProtocol(dataProtocol, payload, ctx, parent);
}

function addOptions(tvb: Tvb, ctx: PacketContext, node: FieldNode, hlen: number, route: SourceRoute | null): void {
  const optLen = hlen - MIN_HEADER;
  if (!tvb.has(MIN_HEADER, optLen)) return; // cut short by the snaplen: nothing more to show
  // packet-ip.c's summary names the options other than EOL and NOP: "Options: (40 bytes), Record Route".
  const named: string[] = [];
  // The option names are appended once all are read: an exception in one leaves "(N bytes)".
  const opts = ctx.add(node, F['ip.options'], tvb, MIN_HEADER, optLen, tvb.slice(MIN_HEADER, optLen), `Options: (${optLen} bytes)`);
  for (let o = MIN_HEADER; o < hlen; ) {
    const type = tvb.u8(o);
    const single = type === 0 || type === 1;
    const len = single ? 1 : o + 1 < hlen ? tvb.u8(o + 1) : 0;
    const name = OPTION_NAMES[type] ?? `Unknown (0x${type.toString(16).padStart(2, '0')})`;
    if (!single) named.push(name);
    if (!single && (len < 2 || o + len > hlen)) {
      ctx.addText(opts, tvb, o, hlen - o, `IP Option - ${name}: bogus length`);
      break;
    }
    let suffix = '';
    if (type === 148 && len === 4) suffix = `: ${tvb.u16(o + 2) === 0 ? 'Router shall examine packet' : 'Reserved'} (${tvb.u16(o + 2)})`;
    // Without a tree the option line is a placeholder and its fields are recorded flat.
    const opt = ctx.tree ? ctx.addText(opts, tvb, o, len, `IP Option - ${name}${single ? '' : ` (${len} bytes)`}${suffix}`) : opts;
    const t = ctx.add(opt, F['ip.opt.type'], tvb, o, 1, type);
    ctx.add(t, F['ip.opt.type.copy'], tvb, o, 1, (type & 0x80) !== 0);
    ctx.add(t, F['ip.opt.type.class'], tvb, o, 1, (type >> 5) & 3);
    ctx.add(t, F['ip.opt.type.number'], tvb, o, 1, type & 0x1f);
    if (!single) {
      ctx.add(opt, F['ip.opt.len'], tvb, o + 1, 1, len);
      optionBody(tvb, ctx, opt, type, o, len, route);
    }
    o += len;
    if (type === 0) break;
  }
  if (ctx.tree) ctx.setText(opts, `Options: (${optLen} bytes)${named.length ? ', ' + named.join(', ') : ''}`);
}

/** The option fields packet-ip.c shows for record route, time stamp, router alert, source routes. */
function optionBody(tvb: Tvb, ctx: PacketContext, opt: FieldNode, type: number, o: number, len: number, route: SourceRoute | null): void {
  switch (type) {
    case 7: { // Record Route (RFC 791): addresses before the pointer are recorded, the rest empty
      if (len < 3) return;
      const ptr = tvb.u8(o + 2);
      ctx.add(opt, F['ip.opt.ptr'], tvb, o + 2, 1, ptr);
      for (let a = 3; a + 4 <= len; a += 4) {
        const v = tvb.u32(o + a);
        // The slot the pointer points at is the next to fill: "<- (next)".
        ctx.add(opt, a + 1 < ptr ? F['ip.rec_rt'] : F['ip.empty_rt'], tvb, o + a, 4, v, a + 1 === ptr ? () => `Empty Route: ${formatIPv4(v)} <- (next)` : undefined);
      }
      return;
    }
    case 131: case 137: { // Loose/Strict Source Route: visited hops, the next, the destination
      if (len < 3) return;
      const ptr = tvb.u8(o + 2);
      ctx.add(opt, F['ip.opt.ptr'], tvb, o + 2, 1, ptr);
      for (let a = 3; a + 4 <= len; a += 4) {
        const v = tvb.u32(o + a);
        if (a + 1 < ptr) ctx.add(opt, F['ip.rec_rt'], tvb, o + a, 4, v);
        else if (route?.option === o && route.at === o + a) addDestination(tvb, ctx, opt, o + a, v, formatIPv4(v));
        else ctx.add(opt, F['ip.src_rt'], tvb, o + a, 4, v, a + 1 === ptr ? () => `Source Route: ${formatIPv4(v)} <- (next)` : undefined);
      }
      return;
    }
    case 68: { // Time Stamp (RFC 791)
      if (len < 4) return;
      const b3 = tvb.u8(o + 3);
      ctx.add(opt, F['ip.opt.ptr'], tvb, o + 2, 1, tvb.u8(o + 2));
      ctx.add(opt, F['ip.opt.overflow'], tvb, o + 3, 1, b3 >> 4);
      const flagName = (F['ip.opt.flag'].values as Record<number, string>)[b3 & 0x0f] ?? 'Unknown';
      ctx.add(opt, F['ip.opt.flag'], tvb, o + 3, 1, b3 & 0x0f, () => `${bitPicture(b3, 0x0f, 8)} = Flag: ${flagName} (0x${(b3 & 0x0f).toString(16)})`);
      const withAddr = (b3 & 0x0f) === 1 || (b3 & 0x0f) === 3;
      for (let a = 4; a + (withAddr ? 8 : 4) <= len; a += withAddr ? 8 : 4) {
        // An address not filled in yet (0.0.0.0) is "-".
        const addr = withAddr ? tvb.u32(o + a) : 0;
        if (withAddr) ctx.add(opt, F['ip.opt.time_stamp_addr'], tvb, o + a, 4, addr, addr === 0 ? 'Address: -' : undefined);
        const at = o + a + (withAddr ? 4 : 0);
        ctx.add(opt, F['ip.opt.time_stamp'], tvb, at, 4, tvb.u32(at));
      }
      return;
    }
    case 134: // Commercial Security (CIPSO, FIPS 188)
      cipso(tvb, ctx, opt, o + 2, o + len);
      return;
    case 148: // Router Alert (RFC 2113)
      if (len === 4) ctx.add(opt, F['ip.opt.ra'], tvb, o + 2, 2, tvb.u16(o + 2));
      return;
  }
}

export const ipProtocol = defineProtocol('ip', 'Internet Protocol Version 4', dissectIPv4, 'IPv4');
register('ethertype', 0x0800, ipProtocol);
// LINKTYPE_IPV4: the packet starts with the IPv4 header, no link layer of its own.
register('linktype', 228, ipProtocol);

/**
 * The Commercial IP Security Option's DOI and tags, from `o` (after type and length) to `end`, as
 * packet-ip.c's dissect_ipopt_cipso shows them: categories as a list of numbers; a tag with an
 * impossible length, or one of a type it does not know, ends the option.
 */
function cipso(tvb: Tvb, ctx: PacketContext, opt: FieldNode, o: number, end: number): void {
  ctx.add(opt, F['ip.cipso.doi'], tvb, o, 4, tvb.u32(o));
  for (o += 4; o < end; ) {
    const type = tvb.u8(o);
    const tag = ctx.add(opt, F['ip.cipso.tag_type'], tvb, o, 1, type);
    const len = o + 1 < end ? tvb.u8(o + 1) : 1;
    if (type === 0) {
      o += 1;
      continue;
    }
    if (![1, 2, 5, 6, 7].includes(type)) {
      // packet-ip.c reads the length byte even when it is past the option: an exception then.
      if (o + 1 >= end) throw new MalformedError('CIPSO tag length past the option', tvb.abs(o + 1));
      if (ctx.tree) ctx.setText(tag, `Tag Type: ${CIPSO_TAG_TYPES[type] ?? 'Unknown'} (${type}) (${len} bytes)`);
      return;
    }
    if (len < (type === 7 ? 2 : 4) || len > CIPSO_TAG_LEN_MAX || o + len - 1 > end) {
      ctx.addExpert(tag, 'error', 'sequence', 'Malformed CIPSO tag');
      return;
    }
    if (type === 6 || type === 7) {
      ctx.add(opt, F['ip.cipso.tag_data'], tvb, o + 2, len - 2, tvb.slice(o + 2, len - 2));
      o += len;
      continue;
    }
    // Types 1, 2 and 5: an alignment octet, the sensitivity level, then the categories.
    ctx.add(opt, F['ip.cipso.sensitivity_level'], tvb, o + 3, 1, tvb.u8(o + 3));
    const from = o + 4, to = o + len;
    o = from;
    if (len <= 4) continue;
    const cats: string[] = [];
    if (type === 1) {
      for (let i = from; i < to; i++) for (let bit = 0; bit < 8; bit++) if (tvb.u8(i) & (0x80 >> bit)) cats.push(String((i - from) * 8 + bit));
      o = to;
    } else if (type === 2) {
      for (; o + 2 <= to; o += 2) cats.push(String(tvb.u16(o)));
    } else {
      while (o + 2 <= to) {
        const high = tvb.u16(o);
        const low = o + 4 <= to ? tvb.u16(o + 2) : 0;
        o += o + 4 <= to ? 4 : 2;
        cats.push(low !== high ? `${high}-${low}` : String(high));
      }
    }
    // packet-ip.c places the item at o - len + 4 (the categories, shifted by what was read).
    ctx.add(opt, F['ip.cipso.categories'], tvb, type === 1 ? from : o - len + 4, len - 4, cats.join(','));
  }
}

// IPv6 (RFC 8200; Wireshark's packet-ipv6.c) and its extension headers: hop-by-hop options,
// routing, fragment and destination options. Each extension header is its own layer in
// frame.protocols (`ipv6:ipv6.hopopts:icmpv6`), reached through the `ip.proto` table like any
// upper protocol, so chains of them need no special loop.
import { defineFields, fieldByName, type FieldDef } from '../field.js';
import { callProtocol, defineProtocol, dispatch, register, REJECTED_SHOWN } from '../dispatch.js';
import { DSCP_NAMES, DSCP_SHORT, ECN_NAMES, ECN_SHORT } from '../dscp.js';
import { bitPicture, formatIPv6 } from '../format.js';
import { IP_PROTOCOL_NAMES } from '../ipproto.js';
import type { PacketContext } from '../packet.js';
import { addFragment, addFragmentTree, type FragmentFields } from '../reassembly.js';
import type { FieldNode } from '../tree.js';
import { Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';

/** Option type names (tshark -G values for ipv6.opt.type). */
const OPTION_NAMES: Record<number, string> = {
  0x00: 'Pad1', 0x01: 'PadN', 0x04: 'Tunnel Encapsulation Limit', 0x05: 'Router Alert', 0x07: 'CALIPSO', 0x08: 'SMF_DPD',
  0x0f: 'Performance and Diagnostic Metrics', 0x1e: 'Experimental (0x1E)', 0x26: 'Quick-Start', 0x30: 'Path MTU Option',
  0x31: 'IOAM Option', 0x3e: 'Experimental (0x3E)', 0x41: 'Tunnel Payload Forwarding (TPF) Information', 0x5e: 'Experimental (0x5E)',
  0x63: 'RPL Option', 0x6d: 'MPL Option', 0x7e: 'Experimental (0x7E)', 0x8a: 'Endpoint Identification', 0x8b: 'ILNP Nonce',
  0x8c: 'Line-Identification Option', 0x9e: 'Experimental (0x9E)', 0xbe: 'Experimental (0xBE)', 0xc2: 'Jumbo Payload',
  0xc9: 'Home Address', 0xde: 'Experimental (0xDE)', 0xee: 'IP_DFF', 0xfe: 'Experimental (0xFE)',
};
/** RFC 4727's experimental types: their payload is "Experimental Option". */
const EXPERIMENTAL_OPTIONS = new Set([0x1e, 0x3e, 0x5e, 0x7e, 0x9e, 0xbe, 0xde, 0xfe]);

/** Routing header types (packet-ipv6.c routing_header_type); the others have no dissector there either. */
const ROUTING_TYPES: Record<number, string> = {
  0: 'Source Route', 1: 'Nimrod', 2: 'Type 2 Routing', 3: 'RPL Source Route', 4: 'Segment Routing',
  5: 'Compact Routing Header 16', 6: 'Compact Routing Header 32', 253: 'Experiment 1', 254: 'Experiment 2',
};

/**
 * The option types packet-ipv6.c's dissect_opts has a case for: the named ones but Endpoint
 * Identification (0x8a). Any other's payload is "Unknown Data (not interpreted)".
 */
const KNOWN_OPTIONS = new Set(Object.keys(OPTION_NAMES).map(Number).filter((type) => type !== 0x8a));

export const ipv6Fields = defineFields([
  { name: 'ipv6.version', label: 'Version', type: 'uint8', mask: 0xf0 },
  { name: 'ipv6.tclass', label: 'Traffic Class', type: 'uint32', base: 'hex', mask: 0x0ff00000 },
  { name: 'ipv6.tclass.dscp', label: 'Differentiated Services Codepoint', type: 'uint32', mask: 0x0fc00000, values: DSCP_NAMES },
  { name: 'ipv6.tclass.ecn', label: 'Explicit Congestion Notification', type: 'uint32', mask: 0x00300000, values: ECN_NAMES },
  { name: 'ipv6.flow', label: 'Flow Label', type: 'uint24', base: 'hex', mask: 0x000fffff },
  { name: 'ipv6.plen', label: 'Payload Length', type: 'uint16' },
  { name: 'ipv6.nxt', label: 'Next Header', type: 'uint8', values: IP_PROTOCOL_NAMES },
  { name: 'ipv6.hlim', label: 'Hop Limit', type: 'uint8' },
  { name: 'ipv6.src', label: 'Source Address', type: 'ipv6' },
  { name: 'ipv6.dst', label: 'Destination Address', type: 'ipv6' },
  { name: 'ipv6.src_slaac_mac', label: 'Source SLAAC MAC', type: 'ether' },
  { name: 'ipv6.dst_slaac_mac', label: 'Destination SLAAC MAC', type: 'ether' },
  { name: 'ipv6.slaac_mac', label: 'SLAAC MAC', type: 'ether' },
  { name: 'ipv6.addr', label: 'Source or Destination Address', type: 'ipv6' },
  { name: 'ipv6.src_host', label: 'Source Host', type: 'string' },
  { name: 'ipv6.dst_host', label: 'Destination Host', type: 'string' },
  { name: 'ipv6.host', label: 'Source or Destination Host', type: 'string' },
  { name: 'ipv6.opt', label: 'IPv6 Option', type: 'none' },
  { name: 'ipv6.opt.type', label: 'Type', type: 'uint8', base: 'hex', values: OPTION_NAMES },
  { name: 'ipv6.opt.type.action', label: 'Action', type: 'uint8', mask: 0xc0, values: { 0: 'Skip and continue', 1: 'Discard', 2: 'Discard and send ICMP Parameter Problem', 3: 'Discard and send ICMP if not multicast' } },
  { name: 'ipv6.opt.type.change', label: 'May Change', type: 'boolean', mask: 0x20, tf: ['Yes', 'No'] },
  { name: 'ipv6.opt.type.rest', label: 'Low-Order Bits', type: 'uint8', base: 'hex', mask: 0x1f },
  { name: 'ipv6.opt.length', label: 'Length', type: 'uint8' },
  { name: 'ipv6.opt.pad1', label: 'Pad1', type: 'none' },
  { name: 'ipv6.opt.padn', label: 'PadN', type: 'bytes', allowZero: true },
  { name: 'ipv6.opt.jumbo', label: 'Payload Length', type: 'uint32' },
  { name: 'ipv6.opt.unknown', label: 'Unknown Option Payload', type: 'bytes' },
  { name: 'ipv6.opt.experimental', label: 'Experimental Option', type: 'bytes' },
  { name: 'ipv6.opt.router_alert', label: 'Router Alert', type: 'uint16', values: { 0: 'MLD', 1: 'RSVP', 2: 'Active Network' } },
  { name: 'ipv6.hopopts.nxt', label: 'Next Header', type: 'uint8', values: IP_PROTOCOL_NAMES },
  { name: 'ipv6.hopopts.len', label: 'Length', type: 'uint8' },
  { name: 'ipv6.hopopts.len_oct', label: 'Length', type: 'uint16', unit: ' bytes' },
  { name: 'ipv6.dstopts.nxt', label: 'Next Header', type: 'uint8', values: IP_PROTOCOL_NAMES },
  { name: 'ipv6.dstopts.len', label: 'Length', type: 'uint8' },
  { name: 'ipv6.dstopts.len_oct', label: 'Length', type: 'uint16', unit: ' bytes' },
  { name: 'ipv6.routing.nxt', label: 'Next Header', type: 'uint8', values: IP_PROTOCOL_NAMES },
  { name: 'ipv6.routing.len', label: 'Length', type: 'uint8' },
  { name: 'ipv6.routing.len_oct', label: 'Length', type: 'uint16', unit: ' bytes' },
  { name: 'ipv6.routing.type', label: 'Type', type: 'uint8', values: ROUTING_TYPES },
  { name: 'ipv6.routing.segleft', label: 'Segments Left', type: 'uint8' },
  { name: 'ipv6.routing.unknown_data', label: 'Type-Specific Data', type: 'bytes' },
  { name: 'ipv6.routing.src.reserved', label: 'Reserved', type: 'bytes' },
  { name: 'ipv6.routing.src.addr', label: 'Address', type: 'ipv6' },
  { name: 'ipv6.routing.mipv6.reserved', label: 'Reserved', type: 'bytes' },
  { name: 'ipv6.routing.mipv6.home_address', label: 'Home Address', type: 'ipv6' },
  { name: 'ipv6.routing.rpl.cmprI', label: 'Compressed Internal Octets (CmprI)', type: 'uint32', mask: 0xf0000000 },
  { name: 'ipv6.routing.rpl.cmprE', label: 'Compressed Final Octets (CmprE)', type: 'uint32', mask: 0x0f000000 },
  { name: 'ipv6.routing.rpl.pad', label: 'Padding Bytes', type: 'uint32', mask: 0x00f00000 },
  { name: 'ipv6.routing.rpl.reserved', label: 'Reserved', type: 'uint32', mask: 0x000fffff },
  { name: 'ipv6.routing.rpl.addr_count', label: 'Total Address Count', type: 'int32' },
  { name: 'ipv6.routing.rpl.address', label: 'Address', type: 'bytes' },
  { name: 'ipv6.routing.rpl.full_address', label: 'Full Address', type: 'ipv6' },
  { name: 'ipv6.routing.srh.last_entry', label: 'Last Entry', type: 'uint8' },
  { name: 'ipv6.routing.srh.flags', label: 'Flags', type: 'uint8', base: 'hex' },
  { name: 'ipv6.routing.srh.tag', label: 'Tag', type: 'bytes' },
  { name: 'ipv6.routing.srh.addr', label: 'Address', type: 'ipv6' },
  { name: 'ipv6.routing.crh16.current_sid', label: 'Current SID', type: 'uint16' },
  { name: 'ipv6.routing.crh32.current_sid', label: 'Current SID', type: 'uint32' },
  { name: 'ipv6.routing.crh16.sid', label: 'Segment ID', type: 'uint16' },
  { name: 'ipv6.routing.crh32.sid', label: 'Segment ID', type: 'uint32' },
  { name: 'ipv6.fraghdr.nxt', label: 'Next header', type: 'uint8', values: IP_PROTOCOL_NAMES },
  { name: 'ipv6.fraghdr.reserved_octet', label: 'Reserved octet', type: 'uint8', base: 'hex' },
  { name: 'ipv6.fraghdr.offset', label: 'Offset', type: 'uint16', mask: 0xfff8 },
  { name: 'ipv6.fraghdr.reserved_bits', label: 'Reserved bits', type: 'uint16', mask: 0x0006 },
  { name: 'ipv6.fraghdr.more', label: 'More Fragments', type: 'boolean', mask: 0x0001, tf: ['Yes', 'No'] },
  { name: 'ipv6.fraghdr.ident', label: 'Identification', type: 'uint32', base: 'hex' },
  { name: 'ipv6.reassembled.in', label: 'Reassembled IPv6 in frame', type: 'framenum' },
  { name: 'ipv6.reassembled.length', label: 'Reassembled IPv6 length', type: 'uint32' },
  { name: 'ipv6.fragments', label: 'IPv6 Fragments', type: 'none' },
  { name: 'ipv6.fragment', label: 'IPv6 Fragment', type: 'framenum' },
  { name: 'ipv6.fragment.count', label: 'Fragment count', type: 'uint32' },
  { name: 'ipv6.fragment.overlap', label: 'Fragment overlap', type: 'boolean' },
  { name: 'ipv6.fragment.overlap.conflict', label: 'Conflicting data in fragment overlap', type: 'boolean' },
  { name: 'ipv6.fragment.toolongfragment', label: 'Fragment too long', type: 'boolean' },
  { name: 'ipv6.fragment.error', label: 'Defragmentation error', type: 'framenum' },
  { name: 'ipv6.reassembled.data', label: 'Reassembled IPv6 data', type: 'bytes' },
] as const);

const F = ipv6Fields;
let ipVersion: FieldDef | null | undefined;
/**
 * IPv4's ip.version, which packet-ipv6.c also adds, hidden, so that `ip.version == 6` matches
 * (found in the registry once: the protocols do not import each other).
 */
function ipVersionField(): FieldDef | null {
  ipVersion ??= fieldByName('ip.version') ?? null;
  return ipVersion;
}
const HEADER = 40;
/** Scratch key of the IPv6 item the packet's extension headers go under. */
const ROOT = 'ipv6.root';
/** Scratch key of the IPv6 header's addresses until handOff counts them (PacketContext.tapIp). */
const TAP = 'ipv6.tap';

/** The header fields dissectIPv6 adds with no note on them (the payload length has its notes). */
const HEADER_FIELDS = [
  F['ipv6.version'], F['ipv6.tclass'], F['ipv6.tclass.dscp'], F['ipv6.tclass.ecn'], F['ipv6.flow'], F['ipv6.nxt'], F['ipv6.hlim'], F['ipv6.src'], F['ipv6.addr'],
  F['ipv6.src_host'], F['ipv6.host'], F['ipv6.dst'], F['ipv6.dst_host'], F['ipv6.src_slaac_mac'], F['ipv6.dst_slaac_mac'], F['ipv6.slaac_mac'],
];
/** HEADER_FIELDS and IPv4's ip.version, which IPv6 adds hidden (found once the registry has it). */
let headerFields: FieldDef[] | null = null;

function dissectIPv6(tvb: Tvb, ctx: PacketContext, node: FieldNode): boolean | typeof REJECTED_SHOWN {
  const b0 = tvb.u8(0);
  const version = b0 >> 4;
  if (version !== 6) {
    // packet-ipv6.c has added its item and the version when it finds it wrong: both stay.
    const v = ctx.add(node, F['ipv6.version'], tvb, 0, 1, version, ctx.tree ? `${bitPicture(b0, 0xf0, 8)} = Version: ${version}` : undefined);
    ctx.addExpert(v, 'error', 'malformed', 'Bogus IPv6 version');
    // The hidden ip.version too, as packet-ipv6.c adds it with the version.
    const ipv4Version = ipVersionField();
    if (ipv4Version) ctx.addHidden(node, ipv4Version, tvb, 0, 1, version);
    ctx.setLength(node, HEADER);
    // Through an EtherType this is "not IPv6" (the EtherType dissector shows data); a
    // LINKTYPE_IPV6 capture has nothing else to try, so it says so.
    if (ctx.frame.linkType !== 229) return REJECTED_SHOWN;
    ctx.protocol = 'IPv6';
    ctx.info = `Bogus IPv6 version (${version}, must be 6)`;
    ctx.layers.pop();
    return true;
  }
  ctx.protocol = 'IPv6';
  ctx.info = '';
  tvb.check(0, HEADER);
  const inError = ctx.scratch['inErrorPacket'] === true;
  const w0 = tvb.u32(0);
  const tclass = (w0 >>> 20) & 0xff;
  const flow = w0 & 0xfffff;
  const ipv4Version = ipVersionField();
  headerFields ??= [...HEADER_FIELDS, ...(ipv4Version ? [ipv4Version] : [])];
  // Whether a header field may be kept. When none is (read's summary lines) the header's plain
  // adds below are skipped (each would give back the placeholder); notes, columns and state stay.
  const keep = !ctx.recordsNone(headerFields);
  if (keep) {
    ctx.add(node, F['ipv6.version'], tvb, 0, 1, version, ctx.tree ? `${bitPicture(b0, 0xf0, 8)} = Version: 6` : undefined);
    if (ipv4Version) ctx.addHidden(node, ipv4Version, tvb, 0, 1, version);
    const tc = ctx.add(node, F['ipv6.tclass'], tvb, 0, 4, tclass, () => `${bitPicture(w0, 0x0ff00000, 32)} = Traffic Class: 0x${tclass.toString(16).padStart(2, '0')} (DSCP: ${DSCP_SHORT[tclass >> 2] ?? 'Unknown'}, ECN: ${ECN_SHORT[tclass & 3]})`);
    ctx.add(tc, F['ipv6.tclass.dscp'], tvb, 0, 4, tclass >> 2, () => `${bitPicture(w0, 0x0fc00000, 32)} = Differentiated Services Codepoint: ${DSCP_NAMES[tclass >> 2] ?? 'Unknown'} (${tclass >> 2})`);
    ctx.add(tc, F['ipv6.tclass.ecn'], tvb, 0, 4, tclass & 3, () => `${bitPicture(w0, 0x00300000, 32)} = Explicit Congestion Notification: ${ECN_NAMES[tclass & 3]} (${tclass & 3})`);
    // The flow label is a 24-bit item over bytes 1-3 with the top nibble masked off (packet-ipv6.c).
    ctx.add(node, F['ipv6.flow'], tvb, 1, 3, flow, () => `${bitPicture(w0 & 0xffffff, 0x0fffff, 24)} = Flow Label: 0x${flow.toString(16).padStart(5, '0')}`);
  }
  let plen = tvb.u16(4);
  const plenNode = ctx.add(node, F['ipv6.plen'], tvb, 4, 2, plen);
  const nxt = tvb.u8(6);
  if (keep) ctx.add(node, F['ipv6.nxt'], tvb, 6, 1, nxt);
  const hlim = tvb.u8(7);
  if (keep) ctx.add(node, F['ipv6.hlim'], tvb, 7, 1, hlim);
  ctx.scratch['ip.ttl'] = hlim;
  const src = tvb.slice(8, 16), dst = tvb.slice(24, 16);
  const srcText = formatIPv6(src), dstText = formatIPv6(dst);
  if (keep) {
    ctx.add(node, F['ipv6.src'], tvb, 8, 16, src);
    ctx.addHidden(node, F['ipv6.addr'], tvb, 8, 16, src);
    ctx.addHidden(node, F['ipv6.src_host'], tvb, 8, 16, srcText);
    ctx.addHidden(node, F['ipv6.host'], tvb, 8, 16, srcText);
    ctx.add(node, F['ipv6.dst'], tvb, 24, 16, dst);
    ctx.addHidden(node, F['ipv6.addr'], tvb, 24, 16, dst);
    ctx.addHidden(node, F['ipv6.dst_host'], tvb, 24, 16, dstText);
    ctx.addHidden(node, F['ipv6.host'], tvb, 24, 16, dstText);
  }
  // An interface id built from a universal MAC (modified EUI-64, RFC 4291 appendix A: ff:fe in
  // the middle, the universal/local bit set) names that MAC, as packet-ipv6.c shows it.
  if (keep) for (const [a, at, field] of [[src, 8, F['ipv6.src_slaac_mac']], [dst, 24, F['ipv6.dst_slaac_mac']]] as const) {
    if (!(a[8]! & 0x02) || a[11] !== 0xff || a[12] !== 0xfe) continue;
    const mac = new Uint8Array([a[8]! ^ 0x02, a[9]!, a[10]!, a[13]!, a[14]!, a[15]!]);
    ctx.addGenerated(node, field, mac);
    ctx.addHidden(node, F['ipv6.slaac_mac'], tvb, at + 8, 8, mac);
  }
  if (ctx.tree) ctx.setText(node, `Internet Protocol Version 6, Src: ${srcText}, Dst: ${dstText}`);
  ctx.setLength(node, HEADER);

  if (!inError) {
    ctx.src = srcText;
    ctx.dst = dstText;
    ctx.endpoints = { src: srcText, dst: dstText, netSrc: src, netDst: dst };
    // Counted once its extension headers lead to a payload (handOff).
    ctx.scratch[TAP] = [srcText, dstText];
  } else {
    ctx.endpoints = { ...ctx.endpoints, netSrc: src, netDst: dst };
  }
  ctx.scratch['ipv6.ident'] = `${srcText}|${dstText}`;
  ctx.scratch[ROOT] = node;
  // For AH (ah.ts), which hands on as an IPv6 extension header does.
  ctx.scratch['ipv6.handOff'] = handOff;

  if (plen === 0 && nxt === 0) {
    // packet-ipv6.c: with a hop-by-hop header a zero length may be a jumbogram (RFC 2675).
    const jumbo = jumboLength(tvb);
    if (jumbo > 0xffff) {
      plen = jumbo;
      ctx.setText(plenNode, 'Payload Length: 0 (Jumbogram)'); // packet-ipv6.c appends it to the zero
    } else {
      ctx.info = 'Invalid IPv6 payload length';
      ctx.addExpert(plenNode, 'error', 'malformed', 'IPv6 payload length equals 0 and Hop-By-Hop present and Jumbo Payload option missing');
    }
  } else if (plen === 0 && nxt !== 59) {
    ctx.addExpert(plenNode, 'chat', 'protocol', 'IPv6 payload length equals 0 (maybe because of "TCP segmentation offload" (TSO))');
  } else if (!inError && plen > tvb.reportedLength - HEADER) {
    ctx.addExpert(plenNode, 'warn', 'protocol', `IPv6 payload length exceeds framing length (${tvb.reportedLength - HEADER} bytes)`);
  }
  // Any other zero length is taken at its word (tshark's ipv6.tso_support is off by default):
  // the next header then has no bytes and the packet is malformed.
  ctx.scratch['eth.payloadUsed'] ??= HEADER + plen; // the outermost datagram (not a tunnelled or quoted one)
  const reported = inError ? Math.min(plen, tvb.length - HEADER) : plen;
  const payload = tvb.sub(HEADER, plen, Math.max(0, reported));
  handOff(nxt, payload, ctx);
  return true;
}

/** The Jumbo Payload option's length in the hop-by-hop header at offset 40, or 0. */
function jumboLength(tvb: Tvb): number {
  if (!tvb.has(HEADER, 2)) return 0;
  const end = HEADER + (tvb.u8(HEADER + 1) + 1) * 8;
  for (let o = HEADER + 2; o < end && tvb.has(o, 6); ) {
    const type = tvb.u8(o);
    if (type === 0) { o++; continue; }
    const len = tvb.u8(o + 1);
    if (type === 0xc2 && len === 4) return tvb.u32(o + 2);
    o += 2 + len;
  }
  return 0;
}

/** packet-ipv6.c's ipv6_dissect_next: the next header's protocol, or Info saying there is none, and data. */
function handOff(nxt: number, payload: Tvb, ctx: PacketContext): void {
  // Extension headers nest under the IPv6 node, each beside the one before (tshark's
  // p_ipv6_pinfo_select_root); upper layers are top-level, or under the ICMPv6 item inside a
  // quoted packet (ICMPv6 leaves that node in scratch).
  const ext = nxt === 0 || nxt === 43 || nxt === 44 || nxt === 60 || nxt === 51;
  // packet-ipv6.c (4.0) queues its tap here, after the extension headers: a header cut short
  // throws before it, and a fragment that completes no datagram never gets here.
  const tap = ext ? undefined : ctx.scratch[TAP] as [string, string] | undefined;
  if (tap) {
    ctx.tapIp(tap[0], tap[1]);
    ctx.scratch[TAP] = undefined;
  }
  const upper = ctx.upperParent;
  if (nxt !== 59 && dispatch('ip.proto', nxt, payload, ctx, ext ? ctx.scratch[ROOT] as FieldNode : upper)) return;
  ctx.info = nxt === 59 ? 'IPv6 no next header' : `Unknown IP Protocol: ${IP_PROTOCOL_NAMES[nxt] ?? 'Unknown'} (${nxt})`;
  if (payload.reportedLength > 0) callProtocol(dataProtocol, payload, ctx, upper);
}

function optionsHeader(kind: 'hopopts' | 'dstopts', title: string) {
  return (tvb: Tvb, ctx: PacketContext, node: FieldNode): void => {
    // Shown if an option runs past the packet (tshark: "IPv6 hop-by-hop options[Malformed Packet]").
    appendInfo(ctx, `IPv6 ${kind === 'hopopts' ? 'hop-by-hop' : 'destination'} options`);
    // packet-ipv6.c reads the two first bytes before it adds the header's item.
    if (!tvb.has(0, 2)) ctx.failBeforeItem(node, tvb, 0, 2);
    const nxt = tvb.u8(0), len = tvb.u8(1);
    const total = (len + 1) * 8;
    if (ctx.tree) ctx.setText(node, title);
    ctx.add(node, F[`ipv6.${kind}.nxt`], tvb, 0, 1, nxt);
    ctx.add(node, F[`ipv6.${kind}.len`], tvb, 1, 1, len);
    ctx.addGenerated(node, F[`ipv6.${kind}.len_oct`], total);
    ctx.setLength(node, Math.min(total, tvb.length));
    let jumbo = -1;
    for (let o = 2; o < total; ) {
      const type = tvb.u8(o);
      // Each option: its name line, the type with its action/change/number bits, the length
      // (packet-ipv6.c dissect_opts); Pad1 has no length byte.
      const single = type === 0;
      const olen = single ? 0 : tvb.u8(o + 1);
      tvb.check(o, single ? 1 : 2 + olen);
      const opt = ctx.add(node, F['ipv6.opt'], tvb, o, single ? 1 : 2 + olen, null, ctx.tree ? OPTION_NAMES[type] ?? `Unknown IPv6 Option (${type})` : undefined);
      const t = ctx.add(opt, F['ipv6.opt.type'], tvb, o, 1, type);
      if (single) {
        ctx.add(opt, F['ipv6.opt.pad1'], tvb, o, 1, null);
        o += 1;
        continue;
      }
      ctx.add(t, F['ipv6.opt.type.action'], tvb, o, 1, type >> 6);
      ctx.add(t, F['ipv6.opt.type.change'], tvb, o, 1, (type & 0x20) !== 0);
      ctx.add(t, F['ipv6.opt.type.rest'], tvb, o, 1, type & 0x1f);
      if (type === 0x8a) ctx.addExpert(t, 'note', 'deprecated', 'Option type is deprecated');
      ctx.add(opt, F['ipv6.opt.length'], tvb, o + 1, 1, olen);
      if (type === 0x01) ctx.add(opt, F['ipv6.opt.padn'], tvb, o + 2, olen, tvb.slice(o + 2, olen), olen ? undefined : 'PadN: <none>');
      if (type === 0x05 && olen === 2) ctx.add(opt, F['ipv6.opt.router_alert'], tvb, o + 2, 2, tvb.u16(o + 2));
      if (EXPERIMENTAL_OPTIONS.has(type)) ctx.add(opt, F['ipv6.opt.experimental'], tvb, o + 2, olen, tvb.slice(o + 2, olen));
      if (!KNOWN_OPTIONS.has(type)) {
        const u = ctx.add(opt, F['ipv6.opt.unknown'], tvb, o + 2, olen, tvb.slice(o + 2, olen));
        ctx.addExpert(u, 'note', 'undecoded', 'Unknown Data (not interpreted)');
      }
      if (type === 0xc2 && olen === 4) {
        jumbo = tvb.u32(o + 2);
        ctx.add(opt, F['ipv6.opt.jumbo'], tvb, o + 2, 4, jumbo);
      }
      o += 2 + olen;
    }
    ctx.info = '';
    handOff(nxt, tvb.sub(total), ctx);
  };
}

/**
 * The routing header as packet-ipv6.c (4.0) shows it: the common four bytes, each field added as
 * it is read (a header cut short keeps what was there), then the type's own part. With segments
 * left, the final destination replaces the packet's destination (pinfo->dst: the Destination
 * column, conversations, an upper-layer checksum's pseudo-header, RFC 8200 8.1).
 */
function dissectRouting(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  appendInfo(ctx, 'IPv6 routing');
  const nxt = tvb.u8(0);
  ctx.add(node, F['ipv6.routing.nxt'], tvb, 0, 1, nxt);
  const len = tvb.u8(1);
  const lenNode = ctx.add(node, F['ipv6.routing.len'], tvb, 1, 1, len);
  const total = (len + 1) * 8;
  ctx.setLength(node, Math.min(total, tvb.length));
  ctx.addGenerated(node, F['ipv6.routing.len_oct'], total);
  const type = tvb.u8(2);
  const typeNode = ctx.add(node, F['ipv6.routing.type'], tvb, 2, 1, type);
  if (ctx.tree) ctx.setText(node, `Routing Header for IPv6 (${ROUTING_TYPES[type] ?? `Unknown type ${type}`})`);
  const segleft = tvb.u8(3);
  const segNode = ctx.add(node, F['ipv6.routing.segleft'], tvb, 3, 1, segleft);
  const rt: RoutingHeader = { tvb: tvb.sub(4, total - 4), ctx, node, len, segleft, lenNode, typeNode, segNode };
  switch (type) {
    case 0: sourceRoute(rt); break;
    case 2: mobileIpv6Route(rt); break;
    case 3: rplRoute(rt); break;
    case 4: segmentRoute(rt); break;
    case 5: case 6: compactRoute(rt, type === 5 ? 2 : 4); break;
    default: {
      const n = ctx.add(node, F['ipv6.routing.unknown_data'], tvb, 4, total - 4, tvb.slice(4, Math.min(total - 4, tvb.length - 4)));
      ctx.addExpert(n, 'note', 'undecoded', 'Undecoded IPv6 routing header field');
    }
  }
  tvb.check(0, total);
  ctx.info = '';
  handOff(nxt, tvb.sub(total), ctx);
}

/** A routing header's type-specific part (`tvb`, after the first four bytes) and the items its notes go on. */
interface RoutingHeader {
  tvb: Tvb;
  ctx: PacketContext;
  node: FieldNode;
  len: number;
  segleft: number;
  lenNode: FieldNode;
  typeNode: FieldNode;
  segNode: FieldNode;
}

/**
 * With segments left, `addr` is where the packet is going: it becomes the destination at once
 * (as each type's dissector in packet-ipv6.c sets pinfo->dst, before or after reading more).
 */
function routeTo(rt: RoutingHeader, addr: Uint8Array): void {
  const ctx = rt.ctx;
  if (rt.segleft === 0 || ctx.scratch['inErrorPacket'] === true) return;
  ctx.scratch['ipv6.finalDst'] = addr;
  ctx.dst = formatIPv6(addr);
  ctx.endpoints = { ...ctx.endpoints, dst: ctx.dst, netDst: addr };
}

/** "Address[i]: 2001:db8::1", the label packet-ipv6.c gives each address of a route. */
function addRouteAddress(rt: RoutingHeader, field: FieldDef, o: number, length: number, addr: Uint8Array, index: number): FieldNode {
  const n = rt.ctx.add(rt.node, field, rt.tvb, o, length, addr, () => `Address[${index}]: ${formatIPv6(addr)}`);
  if (addr[0] === 0xff) rt.ctx.addExpert(n, 'warn', 'protocol', 'Multicast addresses must not appear in the source route list');
  return n;
}

/** Type 0 (RFC 2460, deprecated by RFC 5095): reserved word, then len / 2 addresses. */
function sourceRoute(rt: RoutingHeader): void {
  const { tvb, ctx } = rt;
  ctx.add(rt.node, F['ipv6.routing.src.reserved'], tvb, 0, 4, tvb.slice(0, 4));
  if (rt.len % 2 !== 0) ctx.addExpert(rt.lenNode, 'error', 'malformed', 'IPv6 Routing Header extension header length must not be odd');
  const count = Math.floor(rt.len / 2);
  if (rt.segleft > count) ctx.addExpert(rt.segNode, 'warn', 'protocol', `IPv6 Type 0 Routing Header segments left field must not exceed address count (${count})`);
  let last: Uint8Array | null = null;
  for (let i = 1; i <= count; i++) {
    const o = 4 + (i - 1) * 16;
    last = tvb.slice(o, 16);
    addRouteAddress(rt, F['ipv6.routing.src.addr'], o, 16, last, i);
  }
  if (last) routeTo(rt, last);
  ctx.addExpert(rt.typeNode, 'note', 'deprecated', 'Routing header type is deprecated');
}

/** Type 2 (Mobile IPv6, RFC 6275 6.4): reserved word and the home address. */
function mobileIpv6Route(rt: RoutingHeader): void {
  const { tvb, ctx } = rt;
  ctx.add(rt.node, F['ipv6.routing.mipv6.reserved'], tvb, 0, 4, tvb.slice(0, 4));
  if (rt.len !== 2) ctx.addExpert(rt.lenNode, 'error', 'malformed', 'IPv6 Type 2 Routing Header extension header length must equal 2');
  if (rt.segleft !== 1) ctx.addExpert(rt.segNode, 'warn', 'protocol', 'IPv6 Type 2 Routing Header segments left field must equal 1');
  const home = tvb.slice(4, 16);
  addRouteAddress(rt, F['ipv6.routing.mipv6.home_address'], 4, 16, home, 1);
  routeTo(rt, home);
}

/**
 * Type 3 (RPL source route, RFC 6554): addresses with their first CmprI (the last one CmprE)
 * octets elided, taken from the destination address; each shown as sent and, generated, whole.
 */
function rplRoute(rt: RoutingHeader): void {
  const { tvb, ctx } = rt;
  const src = ctx.endpoints.netSrc, dst = ctx.endpoints.netDst;
  if (src?.length !== 16 || dst?.length !== 16) return; // packet-ipv6.c: IPv6 addresses only
  if (dst[0] === 0xff) ctx.addExpert(rt.node, 'warn', 'protocol', 'Destination address must not be a multicast address');
  const w = tvb.u32(0);
  const cmprI = w >>> 28, cmprE = (w >>> 24) & 0xf, pad = (w >>> 20) & 0xf, reserved = w & 0xfffff;
  ctx.add(rt.node, F['ipv6.routing.rpl.cmprI'], tvb, 0, 4, cmprI);
  ctx.add(rt.node, F['ipv6.routing.rpl.cmprE'], tvb, 0, 4, cmprE);
  const padNode = ctx.add(rt.node, F['ipv6.routing.rpl.pad'], tvb, 0, 4, pad);
  if (cmprI === 0 && cmprE === 0 && pad !== 0) ctx.addExpert(padNode, 'warn', 'protocol', `When cmprI equals 0 and cmprE equals 0, pad MUST equal 0 but instead was ${pad}`);
  const resNode = ctx.add(rt.node, F['ipv6.routing.rpl.reserved'], tvb, 0, 4, reserved);
  if (reserved !== 0) ctx.addExpert(resNode, 'note', 'protocol', `Reserved field must equal 0 but instead was ${reserved}`);
  // n = ((Hdr Ext Len * 8 - Pad - (16 - CmprE)) / (16 - CmprI)) + 1, in C's integer division.
  const count = rt.len > 0 ? Math.trunc((rt.len * 8 - pad - (16 - cmprE)) / (16 - cmprI)) + 1 : 0;
  const countNode = ctx.addGenerated(rt.node, F['ipv6.routing.rpl.addr_count'], count);
  if (count < 0) ctx.addExpert(countNode, 'error', 'malformed', `Calculated total address count must be greater than or equal to 0, instead was ${count}`);
  else if (rt.segleft > count) ctx.addExpert(rt.segNode, 'warn', 'protocol', `IPv6 RPL Routing Header segments left field must not exceed address count (${count})`);
  let o = 4;
  for (let i = 1; i <= count; i++) {
    const sent = i === count ? 16 - cmprE : 16 - cmprI;
    ctx.add(rt.node, F['ipv6.routing.rpl.address'], tvb, o, sent, tvb.slice(o, sent));
    const full = dst.slice();
    full.set(tvb.slice(o, sent), 16 - sent);
    const n = ctx.addGenerated(rt.node, F['ipv6.routing.rpl.full_address'], full, () => `Address[${i}]: ${formatIPv6(full)}`);
    if (sameAddress(full, src)) ctx.addExpert(n, 'warn', 'protocol', 'Source address must not appear in the source route list');
    if (sameAddress(full, dst)) ctx.addExpert(n, 'warn', 'protocol', 'Destination address must not appear in the source route list');
    if (full[0] === 0xff) ctx.addExpert(n, 'warn', 'protocol', 'Multicast addresses must not appear in the source route list');
    routeTo(rt, full);
    o += sent;
  }
}

/** Type 4 (Segment Routing, RFC 8754): Last Entry + 1 segments, the final destination first. */
function segmentRoute(rt: RoutingHeader): void {
  const { tvb, ctx } = rt;
  const lastEntry = tvb.u8(0);
  ctx.add(rt.node, F['ipv6.routing.srh.last_entry'], tvb, 0, 1, lastEntry);
  ctx.add(rt.node, F['ipv6.routing.srh.flags'], tvb, 1, 1, tvb.u8(1));
  ctx.add(rt.node, F['ipv6.routing.srh.tag'], tvb, 2, 2, tvb.slice(2, 2));
  const count = lastEntry + 1;
  if (rt.segleft > count) ctx.addExpert(rt.segNode, 'warn', 'protocol', `IPv6 Type 4 Routing Header segments left field must not exceed address count (${count})`);
  if (rt.segleft > 0) routeTo(rt, tvb.slice(4, 16));
  for (let i = 0; i < count; i++) addRouteAddress(rt, F['ipv6.routing.srh.addr'], 4 + i * 16, 16, tvb.slice(4 + i * 16, 16), i);
}

/**
 * Types 5 and 6 (Compact Routing Headers, draft-bonica-6man-comp-rtg-hdr): 16- or 32-bit
 * segment identifiers; the current one (by Segments Left), then the list up to the first zero.
 */
function compactRoute(rt: RoutingHeader, size: 2 | 4): void {
  const { tvb, ctx } = rt;
  const perWord = 8 / size;
  const sidCount = rt.len * perWord + perWord / 2;
  // The SIDs beyond the first eight bytes need ceil(beyond / perWord) more words.
  const inFirst = perWord / 2;
  const minimum = rt.segleft <= inFirst ? 0 : Math.ceil((rt.segleft - inFirst) / perWord);
  if (minimum > rt.len) ctx.addExpert(rt.lenNode, 'error', 'malformed', `IPv6 Compact Routing Header minimum length must not exceed header length (${rt.len})`);
  const read = (o: number) => (size === 2 ? tvb.u16(o) : tvb.u32(o));
  const current = read(size * rt.segleft);
  ctx.addGenerated(rt.node, size === 2 ? F['ipv6.routing.crh16.current_sid'] : F['ipv6.routing.crh32.current_sid'], current);
  const list = ctx.addText(rt.node, tvb, 0, tvb.length, 'Segment Identifiers');
  const sidField = size === 2 ? F['ipv6.routing.crh16.sid'] : F['ipv6.routing.crh32.sid'];
  let sid = read(0);
  for (let i = 0, o = 0; i < sidCount && sid !== 0; i++) {
    ctx.add(list, sidField, tvb, o, size, sid, `SID[${i}] = ${sid}`);
    o += size;
    sid = read(o);
  }
}

function sameAddress(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 16; i++) if (a[i] !== b[i]) return false;
  return true;
}


/** col_append_sep_str(COL_INFO, " , ", text): an extension header's name after what Info says. */
function appendInfo(ctx: PacketContext, text: string): void {
  ctx.info = ctx.info ? `${ctx.info} , ${text}` : text;
}

function dissectFragment(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  // The header's item has its fixed 8 bytes: fewer, and there is none.
  if (!tvb.has(0, 8)) ctx.failBeforeItem(node, tvb, 0, 8);
  const nxt = tvb.u8(0);
  const word = tvb.u16(2);
  const offset = word & 0xfff8;
  const more = (word & 1) !== 0;
  const ident = tvb.u32(4);
  if (ctx.tree) ctx.setText(node, `Fragment Header for IPv6`);
  ctx.add(node, F['ipv6.fraghdr.nxt'], tvb, 0, 1, nxt);
  ctx.add(node, F['ipv6.fraghdr.reserved_octet'], tvb, 1, 1, tvb.u8(1));
  ctx.add(node, F['ipv6.fraghdr.offset'], tvb, 2, 2, offset >> 3, ctx.tree ? `${bitPicture(word, 0xfff8, 16)} = Offset: ${offset >> 3} (${offset} bytes)` : undefined);
  ctx.add(node, F['ipv6.fraghdr.reserved_bits'], tvb, 2, 2, (word >> 1) & 3);
  ctx.add(node, F['ipv6.fraghdr.more'], tvb, 2, 2, more);
  ctx.add(node, F['ipv6.fraghdr.ident'], tvb, 4, 4, ident);
  ctx.setLength(node, 8);
  const payload = tvb.sub(8);
  if (offset === 0 && !more) {
    // An atomic fragment (RFC 6946): nothing to reassemble.
    handOff(nxt, payload, ctx);
    return;
  }
  if (ctx.scratch['inErrorPacket'] !== true && payload.length === payload.reportedLength) {
    const key = `${String(ctx.scratch['ipv6.ident'])}|${ident}`;
    const r = addFragment(ctx, 'ipv6', key, offset, payload.slice(0, payload.length), more);
    if (r.reassembled) {
      // Under the IPv6 header's item, after its extension headers (packet-ipv6.c's ipv6_tree).
      addFragmentTree(ctx, (ctx.scratch['ipv6.root'] as FieldNode | undefined) ?? node, FRAGMENT_FIELDS, r.parts, r.reassembled);
      const whole = Tvb.of(r.reassembled);
      ctx.nameSource(whole, 'Reassembled IPv6');
      handOff(nxt, whole, ctx);
      return;
    }
    if (r.completedBy) ctx.addGenerated(node, F['ipv6.reassembled.in'], r.completedBy);
  }
  ctx.protocol = 'IPv6';
  ctx.info = `IPv6 fragment (off=${offset} more=${more ? 'y' : 'n'} ident=0x${ident.toString(16).padStart(8, '0')} nxt=${nxt})`;
  callProtocol(dataProtocol, payload, ctx, null);
}

/** tshark's fragment list of a reassembled datagram; unlike IPv4's, it shows the reassembled bytes. */
const FRAGMENT_FIELDS: FragmentFields = {
  list: F['ipv6.fragments'], item: F['ipv6.fragment'], count: F['ipv6.fragment.count'], length: F['ipv6.reassembled.length'],
  data: F['ipv6.reassembled.data'], showData: true, overlap: F['ipv6.fragment.overlap'], conflict: F['ipv6.fragment.overlap.conflict'], tooLong: F['ipv6.fragment.toolongfragment'], error: F['ipv6.fragment.error'],
};

export const ipv6Protocol = defineProtocol('ipv6', 'Internet Protocol Version 6', dissectIPv6, 'IPv6');
register('ethertype', 0x86dd, ipv6Protocol);
// LINKTYPE_IPV6: the packet starts with the IPv6 header.
register('linktype', 229, ipv6Protocol);
// The last argument is Wireshark's short name, the one "[Malformed Packet: IPv6 Fragment]" shows.
register('ip.proto', 0, defineProtocol('ipv6.hopopts', 'IPv6 Hop-by-Hop Option', optionsHeader('hopopts', 'IPv6 Hop-by-Hop Option'), 'IPv6 Hop-by-Hop'));
register('ip.proto', 60, defineProtocol('ipv6.dstopts', 'Destination Options for IPv6', optionsHeader('dstopts', 'Destination Options for IPv6'), 'IPv6 Destination'));
register('ip.proto', 43, defineProtocol('ipv6.routing', 'Routing Header for IPv6', dissectRouting, 'IPv6 Routing'));
register('ip.proto', 44, defineProtocol('ipv6.fraghdr', 'Fragment Header for IPv6', dissectFragment, 'IPv6 Fragment'));

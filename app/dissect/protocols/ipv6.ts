// IPv6 (RFC 8200; Wireshark's packet-ipv6.c) and its extension headers: hop-by-hop options,
// routing, fragment and destination options. Each extension header is its own layer in
// frame.protocols (`ipv6:ipv6.hopopts:icmpv6`), reached through the `ip.proto` table like any
// upper protocol, so chains of them need no special loop.
import { defineFields, fieldByName, type FieldDef } from '../field.js';
import { callProtocol, defineProtocol, dispatch, register } from '../dispatch.js';
import { DSCP_NAMES, DSCP_SHORT, ECN_NAMES, ECN_SHORT } from '../dscp.js';
import { bitPicture, formatIPv6 } from '../format.js';
import { IP_PROTOCOL_NAMES } from '../ipproto.js';
import type { PacketContext } from '../packet.js';
import { addFragment } from '../reassembly.js';
import type { FieldNode } from '../tree.js';
import { Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';

const OPTION_NAMES: Record<number, string> = { 0x00: 'Pad1', 0x01: 'PadN', 0x05: 'Router Alert', 0xc2: 'Jumbo Payload', 0x04: 'Tunnel Encapsulation Limit', 0xc9: 'Home Address Option', 0x26: 'Quick-Start', 0x63: 'RPL Option', 0x1e: 'Experimental (0x1E)' };

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
  { name: 'ipv6.opt.padn', label: 'PadN', type: 'bytes' },
  { name: 'ipv6.opt.jumbo', label: 'Payload Length', type: 'uint32' },
  { name: 'ipv6.opt.router_alert', label: 'Router Alert', type: 'uint16', values: { 0: 'MLD', 1: 'RSVP', 2: 'Active Networks' } },
  { name: 'ipv6.hopopts.nxt', label: 'Next Header', type: 'uint8', values: IP_PROTOCOL_NAMES },
  { name: 'ipv6.hopopts.len', label: 'Length', type: 'uint8' },
  { name: 'ipv6.hopopts.len_oct', label: 'Length', type: 'uint16', unit: ' bytes' },
  { name: 'ipv6.dstopts.nxt', label: 'Next Header', type: 'uint8', values: IP_PROTOCOL_NAMES },
  { name: 'ipv6.dstopts.len', label: 'Length', type: 'uint8' },
  { name: 'ipv6.dstopts.len_oct', label: 'Length', type: 'uint16', unit: ' bytes' },
  { name: 'ipv6.routing.nxt', label: 'Next Header', type: 'uint8', values: IP_PROTOCOL_NAMES },
  { name: 'ipv6.routing.len', label: 'Length', type: 'uint8' },
  { name: 'ipv6.routing.len_oct', label: 'Length', type: 'uint16', unit: ' bytes' },
  { name: 'ipv6.routing.type', label: 'Type', type: 'uint8', values: { 0: 'Source Route', 2: 'Type 2 Routing', 3: 'RPL Source Route', 4: 'Segment Routing' } },
  { name: 'ipv6.routing.segleft', label: 'Segments Left', type: 'uint8' },
  { name: 'ipv6.routing.src.reserved', label: 'Reserved', type: 'bytes' },
  { name: 'ipv6.routing.src.addr', label: 'Address', type: 'ipv6' },
  { name: 'ipv6.routing.mipv6.reserved', label: 'Reserved', type: 'bytes' },
  { name: 'ipv6.routing.mipv6.home_address', label: 'Home Address', type: 'ipv6' },
  { name: 'ipv6.routing.srh.last_entry', label: 'Last Entry', type: 'uint8' },
  { name: 'ipv6.routing.srh.flags', label: 'Flags', type: 'uint8', base: 'hex' },
  { name: 'ipv6.routing.srh.tag', label: 'Tag', type: 'bytes' },
  { name: 'ipv6.routing.srh.addr', label: 'Address', type: 'ipv6' },
  { name: 'ipv6.fraghdr.nxt', label: 'Next header', type: 'uint8', values: IP_PROTOCOL_NAMES },
  { name: 'ipv6.fraghdr.offset', label: 'Offset', type: 'uint16', mask: 0xfff8 },
  { name: 'ipv6.fraghdr.more', label: 'More Fragments', type: 'boolean', mask: 0x0001, tf: ['Yes', 'No'] },
  { name: 'ipv6.fraghdr.ident', label: 'Identification', type: 'uint32', base: 'hex' },
  { name: 'ipv6.reassembled.in', label: 'Reassembled IPv6 in frame', type: 'framenum' },
  { name: 'ipv6.reassembled.length', label: 'Reassembled IPv6 length', type: 'uint32' },
] as const);

const F = ipv6Fields;
let ipVersionField: FieldDef | null | undefined;
const HEADER = 40;

function dissectIPv6(tvb: Tvb, ctx: PacketContext, node: FieldNode): boolean {
  const b0 = tvb.u8(0);
  const version = b0 >> 4;
  if (version !== 6) {
    // Through an EtherType this is "not IPv6" (the EtherType dissector shows data); a
    // LINKTYPE_IPV6 capture has nothing else to try, so it says so.
    if (ctx.frame.linkType !== 229) return false;
    ctx.protocol = 'IPv6';
    ctx.info = `Bogus IPv6 version (${version}, must be 6)`;
    ctx.layers.pop();
    return true;
  }
  ctx.protocol = 'IPv6';
  ctx.info = '';
  tvb.check(0, HEADER);
  const w0 = tvb.u32(0);
  const tclass = (w0 >>> 20) & 0xff;
  const flow = w0 & 0xfffff;
  ctx.add(node, F['ipv6.version'], tvb, 0, 1, version, ctx.tree ? `${bitPicture(b0, 0xf0, 8)} = Version: 6` : undefined);
  // packet-ipv6.c also adds the version as a hidden ip.version (IPv4's field, found in the
  // registry: the protocols do not import each other), so `ip.version == 6` matches.
  ipVersionField ??= fieldByName('ip.version') ?? null;
  if (ipVersionField) ctx.addHidden(node, ipVersionField, tvb, 0, 1, version);
  const tc = ctx.add(node, F['ipv6.tclass'], tvb, 0, 4, tclass, () => `${bitPicture(w0, 0x0ff00000, 32)} = Traffic Class: 0x${tclass.toString(16).padStart(2, '0')} (DSCP: ${DSCP_SHORT[tclass >> 2] ?? 'Unknown'}, ECN: ${ECN_SHORT[tclass & 3]})`);
  ctx.add(tc, F['ipv6.tclass.dscp'], tvb, 0, 4, tclass >> 2, () => `${bitPicture(w0, 0x0fc00000, 32)} = Differentiated Services Codepoint: ${DSCP_NAMES[tclass >> 2] ?? 'Unknown'} (${tclass >> 2})`);
  ctx.add(tc, F['ipv6.tclass.ecn'], tvb, 0, 4, tclass & 3, () => `${bitPicture(w0, 0x00300000, 32)} = Explicit Congestion Notification: ${ECN_NAMES[tclass & 3]} (${tclass & 3})`);
  // The flow label is a 24-bit item over bytes 1-3 with the top nibble masked off (packet-ipv6.c).
  ctx.add(node, F['ipv6.flow'], tvb, 1, 3, flow, () => `${bitPicture(w0 & 0xffffff, 0x0fffff, 24)} = Flow Label: 0x${flow.toString(16).padStart(5, '0')}`);
  let plen = tvb.u16(4);
  ctx.add(node, F['ipv6.plen'], tvb, 4, 2, plen);
  const nxt = tvb.u8(6);
  ctx.add(node, F['ipv6.nxt'], tvb, 6, 1, nxt);
  const hlim = tvb.u8(7);
  ctx.add(node, F['ipv6.hlim'], tvb, 7, 1, hlim);
  ctx.scratch['ip.ttl'] = hlim;
  const src = tvb.slice(8, 16), dst = tvb.slice(24, 16);
  const srcText = formatIPv6(src), dstText = formatIPv6(dst);
  ctx.add(node, F['ipv6.src'], tvb, 8, 16, src);
  ctx.addHidden(node, F['ipv6.addr'], tvb, 8, 16, src);
  ctx.addHidden(node, F['ipv6.src_host'], tvb, 8, 16, srcText);
  ctx.addHidden(node, F['ipv6.host'], tvb, 8, 16, srcText);
  ctx.add(node, F['ipv6.dst'], tvb, 24, 16, dst);
  ctx.addHidden(node, F['ipv6.addr'], tvb, 24, 16, dst);
  ctx.addHidden(node, F['ipv6.dst_host'], tvb, 24, 16, dstText);
  ctx.addHidden(node, F['ipv6.host'], tvb, 24, 16, dstText);
  // An interface id built from a universal MAC (modified EUI-64, RFC 4291 appendix A: ff:fe in
  // the middle, the universal/local bit set) names that MAC, as packet-ipv6.c shows it.
  for (const [a, at, field] of [[src, 8, F['ipv6.src_slaac_mac']], [dst, 24, F['ipv6.dst_slaac_mac']]] as const) {
    if (!(a[8]! & 0x02) || a[11] !== 0xff || a[12] !== 0xfe) continue;
    const mac = new Uint8Array([a[8]! ^ 0x02, a[9]!, a[10]!, a[13]!, a[14]!, a[15]!]);
    ctx.addGenerated(node, field, mac);
    ctx.addHidden(node, F['ipv6.slaac_mac'], tvb, at + 8, 8, mac);
  }
  if (ctx.tree) ctx.setText(node, `Internet Protocol Version 6, Src: ${srcText}, Dst: ${dstText}`);
  ctx.setLength(node, HEADER);

  const inError = ctx.scratch['inErrorPacket'] === true;
  if (!inError) {
    ctx.src = srcText;
    ctx.dst = dstText;
    ctx.endpoints = { src: srcText, dst: dstText, netSrc: src, netDst: dst };
  } else {
    ctx.endpoints = { ...ctx.endpoints, netSrc: src, netDst: dst };
  }
  ctx.scratch['ipv6.ident'] = `${srcText}|${dstText}`;

  if (plen === 0 && nxt === 0) {
    // packet-ipv6.c: with a hop-by-hop header a zero length may be a jumbogram (RFC 2675).
    const jumbo = jumboLength(tvb);
    if (jumbo > 0xffff) plen = jumbo;
    else ctx.info = 'Invalid IPv6 payload length';
  }
  // Any other zero length is taken at its word (tshark's ipv6.tso_support is off by default):
  // the next header then has no bytes and the packet is malformed.
  ctx.scratch['eth.payloadUsed'] ??= HEADER + plen; // the outermost datagram (not a tunnelled or quoted one)
  const reported = inError ? Math.min(plen, tvb.length - HEADER) : plen;
  const payload = tvb.sub(HEADER, plen, Math.max(0, reported));
  handOff(nxt, payload, ctx, node);
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

function handOff(nxt: number, payload: Tvb, ctx: PacketContext, parent: FieldNode): void {
  if (nxt === 59) return; // No Next Header
  // Extension headers nest under the IPv6 node, like tshark's tree; upper layers are top-level,
  // or under the ICMPv6 item inside a quoted packet (ICMPv6 leaves that node in scratch).
  const ext = nxt === 0 || nxt === 43 || nxt === 44 || nxt === 60;
  const upper = ctx.upperParent;
  if (!dispatch('ip.proto', nxt, payload, ctx, ext ? parent : upper) && payload.reportedLength > 0) {
    callProtocol(dataProtocol, payload, ctx, upper);
  }
}

function optionsHeader(kind: 'hopopts' | 'dstopts', title: string) {
  return (tvb: Tvb, ctx: PacketContext, node: FieldNode): void => {
    // Shown if an option runs past the packet (tshark: "IPv6 hop-by-hop options[Malformed Packet]").
    ctx.info = `IPv6 ${kind === 'hopopts' ? 'hop-by-hop' : 'destination'} options`;
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
      ctx.add(opt, F['ipv6.opt.length'], tvb, o + 1, 1, olen);
      if (type === 0x01) ctx.add(opt, F['ipv6.opt.padn'], tvb, o + 2, olen, tvb.slice(o + 2, olen), olen ? undefined : 'PadN: <none>');
      if (type === 0x05 && olen === 2) ctx.add(opt, F['ipv6.opt.router_alert'], tvb, o + 2, 2, tvb.u16(o + 2));
      if (type === 0xc2 && olen === 4) {
        jumbo = tvb.u32(o + 2);
        ctx.add(opt, F['ipv6.opt.jumbo'], tvb, o + 2, 4, jumbo);
      }
      o += 2 + olen;
    }
    ctx.info = '';
    handOff(nxt, tvb.sub(total), ctx, node);
  };
}

function dissectRouting(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  const nxt = tvb.u8(0), len = tvb.u8(1), type = tvb.u8(2), segleft = tvb.u8(3);
  const total = (len + 1) * 8;
  if (ctx.tree) ctx.setText(node, `Routing Header for IPv6 (${F['ipv6.routing.type'].values?.[type] ?? 'Unknown'})`);
  ctx.add(node, F['ipv6.routing.nxt'], tvb, 0, 1, nxt);
  ctx.add(node, F['ipv6.routing.len'], tvb, 1, 1, len);
  ctx.addGenerated(node, F['ipv6.routing.len_oct'], total);
  ctx.add(node, F['ipv6.routing.type'], tvb, 2, 1, type);
  ctx.add(node, F['ipv6.routing.segleft'], tvb, 3, 1, segleft);
  ctx.setLength(node, Math.min(total, tvb.length));
  tvb.check(0, total);
  // The addresses, and the final destination an upper-layer checksum's pseudo-header uses
  // (RFC 8200 8.1): the last address of a type 0/2 header, Segment List[0] of an SRH.
  let finalDst: Uint8Array | null = null;
  if (type === 0 && total >= 8) {
    ctx.add(node, F['ipv6.routing.src.reserved'], tvb, 4, 4, tvb.slice(4, 4));
    for (let o = 8; o + 16 <= total; o += 16) {
      finalDst = tvb.slice(o, 16);
      ctx.add(node, F['ipv6.routing.src.addr'], tvb, o, 16, finalDst);
    }
  } else if (type === 2 && total >= 24) {
    ctx.add(node, F['ipv6.routing.mipv6.reserved'], tvb, 4, 4, tvb.slice(4, 4));
    finalDst = tvb.slice(8, 16);
    ctx.add(node, F['ipv6.routing.mipv6.home_address'], tvb, 8, 16, finalDst);
  } else if (type === 4 && total >= 8) {
    ctx.add(node, F['ipv6.routing.srh.last_entry'], tvb, 4, 1, tvb.u8(4));
    ctx.add(node, F['ipv6.routing.srh.flags'], tvb, 5, 1, tvb.u8(5));
    ctx.add(node, F['ipv6.routing.srh.tag'], tvb, 6, 2, tvb.slice(6, 2));
    for (let o = 8; o + 16 <= total; o += 16) {
      const a = tvb.slice(o, 16);
      finalDst ??= a;
      ctx.add(node, F['ipv6.routing.srh.addr'], tvb, o, 16, a);
    }
  }
  if (finalDst && segleft > 0 && ctx.scratch['inErrorPacket'] !== true) ctx.scratch['ipv6.finalDst'] = finalDst;
  handOff(nxt, tvb.sub(total), ctx, node);
}

function dissectFragment(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  const nxt = tvb.u8(0);
  const word = tvb.u16(2);
  const offset = word & 0xfff8;
  const more = (word & 1) !== 0;
  const ident = tvb.u32(4);
  if (ctx.tree) ctx.setText(node, `Fragment Header for IPv6`);
  ctx.add(node, F['ipv6.fraghdr.nxt'], tvb, 0, 1, nxt);
  ctx.add(node, F['ipv6.fraghdr.offset'], tvb, 2, 2, offset >> 3, ctx.tree ? `${bitPicture(word, 0xfff8, 16)} = Offset: ${offset >> 3} (${offset} bytes)` : undefined);
  ctx.add(node, F['ipv6.fraghdr.more'], tvb, 2, 2, more);
  ctx.add(node, F['ipv6.fraghdr.ident'], tvb, 4, 4, ident);
  ctx.setLength(node, 8);
  const payload = tvb.sub(8);
  if (offset === 0 && !more) {
    // An atomic fragment (RFC 6946): nothing to reassemble.
    handOff(nxt, payload, ctx, node);
    return;
  }
  if (ctx.scratch['inErrorPacket'] !== true && payload.length === payload.reportedLength) {
    const key = `${String(ctx.scratch['ipv6.ident'])}|${ident}`;
    const r = addFragment(ctx, 'ipv6', key, offset, payload.slice(0, payload.length), more);
    if (r.reassembled) {
      if (ctx.tree) ctx.addText(node, tvb, 8, 0, `[${r.frames.length} IPv6 Fragments (${r.reassembled.length} bytes): ${r.frames.map((f) => `#${f}`).join(', ')}]`);
      ctx.addGenerated(node, F['ipv6.reassembled.length'], r.reassembled.length);
      const whole = Tvb.of(r.reassembled);
      ctx.nameSource(whole, 'Reassembled IPv6');
      handOff(nxt, whole, ctx, node);
      return;
    }
    if (r.completedBy) ctx.addGenerated(node, F['ipv6.reassembled.in'], r.completedBy);
  }
  ctx.protocol = 'IPv6';
  ctx.info = `IPv6 fragment (off=${offset} more=${more ? 'y' : 'n'} ident=0x${ident.toString(16).padStart(8, '0')} nxt=${nxt})`;
  callProtocol(dataProtocol, payload, ctx, null);
}

export const ipv6Protocol = defineProtocol('ipv6', 'Internet Protocol Version 6', dissectIPv6, 'IPv6');
register('ethertype', 0x86dd, ipv6Protocol);
// LINKTYPE_IPV6: the packet starts with the IPv6 header.
register('linktype', 229, ipv6Protocol);
// The last argument is Wireshark's short name, the one "[Malformed Packet: IPv6 Fragment]" shows.
register('ip.proto', 0, defineProtocol('ipv6.hopopts', 'IPv6 Hop-by-Hop Option', optionsHeader('hopopts', 'IPv6 Hop-by-Hop Option'), 'IPv6 Hop-by-Hop'));
register('ip.proto', 60, defineProtocol('ipv6.dstopts', 'Destination Options for IPv6', optionsHeader('dstopts', 'Destination Options for IPv6'), 'IPv6 Destination'));
register('ip.proto', 43, defineProtocol('ipv6.routing', 'Routing Header for IPv6', dissectRouting, 'IPv6 Routing'));
register('ip.proto', 44, defineProtocol('ipv6.fraghdr', 'Fragment Header for IPv6', dissectFragment, 'IPv6 Fragment'));

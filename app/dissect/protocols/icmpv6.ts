// ICMPv6 (RFC 4443) with Neighbor Discovery (RFC 4861) and MLD (RFC 2710/3810) — Wireshark's
// packet-icmpv6.c. Error messages quote the offending packet, dissected as IPv6 again.
import { defineFields } from '../field.js';
import { callProtocol, defineProtocol, isDecodeError, lookup, register } from '../dispatch.js';
import { formatEther, formatIPv6, hex4 } from '../format.js';
import { echoState } from '../echo.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dissectIcmpExtensions } from './icmp-extensions.js';
import { dataProtocol } from './data.js';

const TYPES: Record<number, string> = {
  1: 'Destination Unreachable', 2: 'Packet Too Big', 3: 'Time Exceeded', 4: 'Parameter Problem',
  128: 'Echo (ping) request', 129: 'Echo (ping) reply', 130: 'Multicast Listener Query', 131: 'Multicast Listener Report',
  132: 'Multicast Listener Done', 133: 'Router Solicitation', 134: 'Router Advertisement', 135: 'Neighbor Solicitation',
  136: 'Neighbor Advertisement', 137: 'Redirect', 138: 'Router Renumbering', 141: 'Inverse Neighbor Discovery Solicitation',
  142: 'Inverse Neighbor Discovery Advertisement', 143: 'Multicast Listener Report Message v2', 151: 'Multicast Router Advertisement',
  152: 'Multicast Router Solicitation', 153: 'Multicast Router Termination', 155: 'RPL Control Message',
};
const CODES: Record<number, Record<number, string>> = {
  1: { 0: 'no route to destination', 1: 'Administratively prohibited', 2: 'beyond scope of source address', 3: 'Address unreachable', 4: 'Port unreachable', 5: 'Source address failed ingress/egress policy', 6: 'Reject route to destination' },
  3: { 0: 'hop limit exceeded in transit', 1: 'fragment reassembly time exceeded' },
  4: { 0: 'erroneous header field encountered', 1: 'unrecognized Next Header type encountered', 2: 'unrecognized IPv6 option encountered' },
};
const OPTION_NAMES: Record<number, string> = { 1: 'Source link-layer address', 2: 'Target link-layer address', 3: 'Prefix information', 4: 'Redirected header', 5: 'MTU', 25: 'Recursive DNS Server', 31: 'DNS Search List' };

/** RFC 3810 5.2.12 Multicast Address Record types. */
const MLDR_RECORD_TYPES: Record<number, string> = { 1: 'Include', 2: 'Exclude', 3: 'Changed to include', 4: 'Changed to exclude', 5: 'Allow new sources', 6: 'Block old sources' };

/** RFC 4191 2.1 Default Router Preference. */
const RA_PREFERENCE: Record<number, string> = { 0: 'Medium', 1: 'High', 2: 'Reserved', 3: 'Low' };

export const icmpv6Fields = defineFields([
  { name: 'icmpv6.type', label: 'Type', type: 'uint8', values: TYPES },
  { name: 'icmpv6.code', label: 'Code', type: 'uint8' },
  { name: 'icmpv6.checksum', label: 'Checksum', type: 'uint16', base: 'hex' },
  { name: 'icmpv6.checksum.status', label: 'Checksum Status', type: 'uint8', base: 'none', values: { 0: 'Bad', 1: 'Good', 2: 'Unverified' } },
  { name: 'icmpv6.reserved', label: 'Reserved', type: 'bytes' },
  { name: 'icmpv6.mtu', label: 'MTU', type: 'uint32' },
  { name: 'icmpv6.pointer', label: 'Pointer', type: 'uint32' },
  { name: 'icmpv6.length', label: 'Length of original datagram', type: 'uint8' },
  { name: 'icmpv6.echo.identifier', label: 'Identifier', type: 'uint16', base: 'hex' },
  { name: 'icmpv6.echo.sequence_number', label: 'Sequence', type: 'uint16' },
  { name: 'icmpv6.resp_to', label: 'Response To', type: 'framenum' },
  { name: 'icmpv6.resptime', label: 'Response Time', type: 'double', unit: ' ms' },
  { name: 'icmpv6.nd.ns.target_address', label: 'Target Address', type: 'ipv6' },
  { name: 'icmpv6.nd.na.target_address', label: 'Target Address', type: 'ipv6' },
  { name: 'icmpv6.nd.na.flag', label: 'Flags', type: 'uint32', base: 'hex' },
  { name: 'icmpv6.nd.na.flag.r', label: 'Router', type: 'boolean', mask: 0x80000000, tf: ['Set', 'Not set'] },
  { name: 'icmpv6.nd.na.flag.s', label: 'Solicited', type: 'boolean', mask: 0x40000000, tf: ['Set', 'Not set'] },
  { name: 'icmpv6.nd.na.flag.o', label: 'Override', type: 'boolean', mask: 0x20000000, tf: ['Set', 'Not set'] },
  { name: 'icmpv6.nd.na.flag.rsv', label: 'Reserved', type: 'uint32', mask: 0x1fffffff },
  { name: 'icmpv6.nd.ra.flag.m', label: 'Managed address configuration', type: 'boolean', mask: 0x80, tf: ['Set', 'Not set'] },
  { name: 'icmpv6.nd.ra.flag.o', label: 'Other configuration', type: 'boolean', mask: 0x40, tf: ['Set', 'Not set'] },
  { name: 'icmpv6.nd.ra.flag.h', label: 'Home Agent', type: 'boolean', mask: 0x20, tf: ['Set', 'Not set'] },
  { name: 'icmpv6.nd.ra.flag.prf', label: 'Prf (Default Router Preference)', type: 'uint8', mask: 0x18, values: RA_PREFERENCE },
  { name: 'icmpv6.nd.ra.flag.p', label: 'Proxy', type: 'boolean', mask: 0x04, tf: ['Set', 'Not set'] },
  { name: 'icmpv6.nd.ra.flag.rsv', label: 'Reserved', type: 'uint8', mask: 0x03 },
  { name: 'icmpv6.opt.reserved', label: 'Reserved', type: 'none' },
  { name: 'icmpv6.opt.prefix.flag', label: 'Flag', type: 'uint8', base: 'hex' },
  { name: 'icmpv6.opt.prefix.flag.l', label: 'On-link flag(L)', type: 'boolean', mask: 0x80, tf: ['Set', 'Not set'] },
  { name: 'icmpv6.opt.prefix.flag.a', label: 'Autonomous address-configuration flag(A)', type: 'boolean', mask: 0x40, tf: ['Set', 'Not set'] },
  { name: 'icmpv6.opt.prefix.flag.r', label: 'Router address flag(R)', type: 'boolean', mask: 0x20, tf: ['Set', 'Not set'] },
  { name: 'icmpv6.opt.prefix.flag.reserved', label: 'Reserved', type: 'uint8', mask: 0x1f },
  { name: 'icmpv6.opt.prefix.valid_lifetime', label: 'Valid Lifetime', type: 'uint32' },
  { name: 'icmpv6.opt.prefix.preferred_lifetime', label: 'Preferred Lifetime', type: 'uint32' },
  { name: 'icmpv6.nd.ra.cur_hop_limit', label: 'Cur hop limit', type: 'uint8' },
  { name: 'icmpv6.nd.ra.flag', label: 'Flags', type: 'uint8', base: 'hex' },
  { name: 'icmpv6.nd.ra.router_lifetime', label: 'Router lifetime (s)', type: 'uint16' },
  { name: 'icmpv6.nd.ra.reachable_time', label: 'Reachable time (ms)', type: 'uint32' },
  { name: 'icmpv6.nd.ra.retrans_timer', label: 'Retrans timer (ms)', type: 'uint32' },
  { name: 'icmpv6.nd.rd.target_address', label: 'Target Address', type: 'ipv6' },
  { name: 'icmpv6.rd.na.destination_address', label: 'Destination Address', type: 'ipv6' },
  { name: 'icmpv6.opt', label: 'ICMPv6 Option', type: 'none' },
  { name: 'icmpv6.opt.type', label: 'Type', type: 'uint8', values: OPTION_NAMES },
  { name: 'icmpv6.opt.length', label: 'Length', type: 'uint8' },
  { name: 'icmpv6.opt.linkaddr', label: 'Link-layer address', type: 'ether' },
  { name: 'icmpv6.opt.src_linkaddr', label: 'Source Link-layer address', type: 'ether' },
  { name: 'icmpv6.opt.target_linkaddr', label: 'Target Link-layer address', type: 'ether' },
  { name: 'icmpv6.opt.prefix.length', label: 'Prefix Length', type: 'uint8' },
  { name: 'icmpv6.opt.prefix', label: 'Prefix', type: 'ipv6' },
  { name: 'icmpv6.opt.mtu', label: 'MTU', type: 'uint32' },
  { name: 'icmpv6.mld.maximum_response_delay', label: 'Maximum Response Delay [ms]', type: 'uint16' },
  { name: 'icmpv6.mld.maximum_response_code', label: 'Maximum Response Code', type: 'uint16' },
  { name: 'icmpv6.mld.multicast_address', label: 'Multicast Address', type: 'ipv6' },
  { name: 'icmpv6.mld.flag', label: 'Flags', type: 'uint8', base: 'hex' },
  { name: 'icmpv6.mld.qqi', label: 'QQIC (Querier\'s Query Interval Code)', type: 'uint8' },
  { name: 'icmpv6.mld.nb_sources', label: 'Number of Sources', type: 'uint16' },
  { name: 'icmpv6.mld.source_address', label: 'Source Address', type: 'ipv6' },
  { name: 'icmpv6.mldr.nb_mcast_records', label: 'Number of Multicast Address Records', type: 'uint16' },
  { name: 'icmpv6.mldr.mar', label: 'Multicast Address Record', type: 'none' },
  { name: 'icmpv6.mldr.mar.record_type', label: 'Record Type', type: 'uint8', values: MLDR_RECORD_TYPES },
  { name: 'icmpv6.mldr.mar.aux_data_len', label: 'Aux Data Len', type: 'uint8' },
  { name: 'icmpv6.mldr.mar.nb_sources', label: 'Number of Sources', type: 'uint16' },
  { name: 'icmpv6.mldr.mar.multicast_address', label: 'Multicast Address', type: 'ipv6' },
  { name: 'icmpv6.mldr.mar.source_address', label: 'Source Address', type: 'ipv6' },
  { name: 'icmpv6.mldr.mar.auxiliary_data', label: 'Auxiliary Data', type: 'bytes' },
] as const);

const F = icmpv6Fields;

function dissectIcmpv6(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = 'ICMPv6';
  const type = tvb.u8(0), code = tvb.u8(1);
  ctx.add(node, F['icmpv6.type'], tvb, 0, 1, type);
  // packet-icmpv6.c names the code of the types it has a table for, unknown ones too.
  const codeName = CODES[type] ? CODES[type]![code] ?? (type === 1 ? 'Unknown' : `Unknown (${code})`) : undefined;
  ctx.add(node, F['icmpv6.code'], tvb, 1, 1, code, codeName ? `Code: ${code} (${codeName})` : undefined);
  addChecksum(tvb, ctx, node);
  const typeName = TYPES[type] ?? `Unknown (${type})`;
  ctx.info = typeName + (codeName ? ` (${codeName})` : '');

  switch (type) {
    case 1: case 3: case 4: case 2: {
      // RFC 4884: Destination Unreachable and Time Exceeded give the quote's length in 8-byte
      // units (packet-icmpv6.c reads it as a signed char), and extensions follow it.
      const origLen = type === 1 || type === 3 ? (tvb.u8(4) << 24) >> 24 : 0;
      if (type === 2) ctx.add(node, F['icmpv6.mtu'], tvb, 4, 4, tvb.u32(4));
      else if (type === 4) ctx.add(node, F['icmpv6.pointer'], tvb, 4, 4, tvb.u32(4));
      else if (origLen !== 0) {
        ctx.add(node, F['icmpv6.length'], tvb, 4, 1, tvb.u8(4));
        ctx.add(node, F['icmpv6.reserved'], tvb, 5, 3, tvb.slice(5, 3));
      } else ctx.add(node, F['icmpv6.reserved'], tvb, 4, 4, tvb.slice(4, 4));
      ctx.setLength(node, tvb.length); // the whole message, as packet-icmp(v6).c's item
      if (tvb.reportedLength > 8) quoteInner(tvb.sub(8), ctx, node);
      if (origLen !== 0) {
        // Not cut to the quote's length (unlike ICMP's), and whatever the payload's size. The
        // extensions' dissector is ICMP's, called by handle: tshark lists `icmp` after the quote.
        const at = 8 + 8 * origLen;
        // A length past the end throws before the call (no `icmp` then).
        const extensions = tvb.sub(at < 0 ? Math.max(0, tvb.reportedLength + at) : at);
        ctx.layers.push('icmp');
        dissectIcmpExtensions(extensions, ctx, node);
      }
      return;
    }
    case 128: case 129: {
      const id = tvb.u16(4), seq = tvb.u16(6);
      ctx.add(node, F['icmpv6.echo.identifier'], tvb, 4, 2, id);
      ctx.add(node, F['icmpv6.echo.sequence_number'], tvb, 6, 2, seq);
      ctx.info = `${typeName} id=0x${id.toString(16).padStart(4, '0')}, seq=${seq}, hop limit=${ctx.scratch['ip.ttl'] ?? ''}`;
      const match = matchEcho(ctx, type, id, seq);
      if (match) {
        ctx.addGenerated(node, F['icmpv6.resp_to'], match.frame);
        ctx.addGenerated(node, F['icmpv6.resptime'], match.ms, () => `Response Time: ${match.ms.toFixed(3)} ms`);
        ctx.info += ` (request in ${match.frame})`;
      }
      ctx.setLength(node, tvb.length); // the whole message, as packet-icmp(v6).c's item
      // The echo's data inside the ICMPv6 tree (packet-icmpv6.c's call_data_dissector on icmp6_tree).
      if (tvb.reportedLength > 8) callProtocol(dataProtocol, tvb.sub(8), ctx, node);
      return;
    }
    case 133:
      ctx.add(node, F['icmpv6.reserved'], tvb, 4, 4, tvb.slice(4, 4));
      ndOptions(tvb, ctx, node, 8, (mac) => { ctx.info += ` from ${mac}`; });
      return;
    case 134:
      ctx.add(node, F['icmpv6.nd.ra.cur_hop_limit'], tvb, 4, 1, tvb.u8(4));
      {
        const f = tvb.u8(5);
        const prf = RA_PREFERENCE[(f >> 3) & 3]!;
        // "Flags: 0x00, Prf (Default Router Preference): Medium", then the bits (RFC 4861 4.2, RFC 4191, RFC 6275, RFC 4389).
        const names = [f & 0x80 ? 'Managed' : '', f & 0x40 ? 'Other' : '', f & 0x20 ? 'Home Agent' : ''].filter(Boolean);
        const fl = ctx.add(node, F['icmpv6.nd.ra.flag'], tvb, 5, 1, f, () => `Flags: 0x${f.toString(16).padStart(2, '0')}${names.map((n) => ', ' + n).join('')}, Prf (Default Router Preference): ${prf}${f & 0x04 ? ', Proxy' : ''}`);
        ctx.add(fl, F['icmpv6.nd.ra.flag.m'], tvb, 5, 1, (f & 0x80) !== 0);
        ctx.add(fl, F['icmpv6.nd.ra.flag.o'], tvb, 5, 1, (f & 0x40) !== 0);
        ctx.add(fl, F['icmpv6.nd.ra.flag.h'], tvb, 5, 1, (f & 0x20) !== 0);
        ctx.add(fl, F['icmpv6.nd.ra.flag.prf'], tvb, 5, 1, (f >> 3) & 3);
        ctx.add(fl, F['icmpv6.nd.ra.flag.p'], tvb, 5, 1, (f & 0x04) !== 0);
        ctx.add(fl, F['icmpv6.nd.ra.flag.rsv'], tvb, 5, 1, f & 0x03);
      }
      ctx.add(node, F['icmpv6.nd.ra.router_lifetime'], tvb, 6, 2, tvb.u16(6));
      ctx.add(node, F['icmpv6.nd.ra.reachable_time'], tvb, 8, 4, tvb.u32(8));
      ctx.add(node, F['icmpv6.nd.ra.retrans_timer'], tvb, 12, 4, tvb.u32(12));
      ndOptions(tvb, ctx, node, 16, (mac) => { ctx.info += ` from ${mac}`; });
      return;
    case 135: {
      ctx.add(node, F['icmpv6.reserved'], tvb, 4, 4, tvb.slice(4, 4));
      const target = tvb.slice(8, 16);
      ctx.add(node, F['icmpv6.nd.ns.target_address'], tvb, 8, 16, target);
      ctx.info = `${typeName} for ${formatIPv6(target)}`;
      ndOptions(tvb, ctx, node, 24, (mac) => { ctx.info += ` from ${mac}`; });
      return;
    }
    case 136: {
      const flags = tvb.u32(4);
      // "Flags: 0xa0000000, Router, Override" (packet-icmpv6.c lists the set flags).
      const set = [flags & 0x80000000 ? 'Router' : '', flags & 0x40000000 ? 'Solicited' : '', flags & 0x20000000 ? 'Override' : ''].filter(Boolean);
      const fl = ctx.add(node, F['icmpv6.nd.na.flag'], tvb, 4, 4, flags, () => `Flags: 0x${flags.toString(16).padStart(8, '0')}${set.map((f) => ', ' + f).join('')}`);
      ctx.add(fl, F['icmpv6.nd.na.flag.r'], tvb, 4, 4, (flags & 0x80000000) !== 0);
      ctx.add(fl, F['icmpv6.nd.na.flag.s'], tvb, 4, 4, (flags & 0x40000000) !== 0);
      ctx.add(fl, F['icmpv6.nd.na.flag.o'], tvb, 4, 4, (flags & 0x20000000) !== 0);
      ctx.add(fl, F['icmpv6.nd.na.flag.rsv'], tvb, 4, 4, flags & 0x1fffffff);
      const target = tvb.slice(8, 16);
      ctx.add(node, F['icmpv6.nd.na.target_address'], tvb, 8, 16, target);
      const names = [flags & 0x80000000 ? 'rtr' : '', flags & 0x40000000 ? 'sol' : '', flags & 0x20000000 ? 'ovr' : ''].filter(Boolean);
      ctx.info = `${typeName} ${formatIPv6(target)}${names.length ? ` (${names.join(', ')})` : ''}`;
      ndOptions(tvb, ctx, node, 24, (mac) => { ctx.info += ` is at ${mac}`; });
      return;
    }
    case 137:
      ctx.add(node, F['icmpv6.reserved'], tvb, 4, 4, tvb.slice(4, 4));
      ctx.add(node, F['icmpv6.nd.rd.target_address'], tvb, 8, 16, tvb.slice(8, 16));
      ctx.add(node, F['icmpv6.rd.na.destination_address'], tvb, 24, 16, tvb.slice(24, 16));
      ndOptions(tvb, ctx, node, 40, () => undefined);
      return;
    case 130: case 131: case 132:
      // RFC 3810 5.1: a query of 28 bytes or more is MLDv2 (a Maximum Response Code, sources).
      if (type === 130 && tvb.reportedLength >= 28) {
        ctx.add(node, F['icmpv6.mld.maximum_response_code'], tvb, 4, 2, tvb.u16(4));
        ctx.add(node, F['icmpv6.reserved'], tvb, 6, 2, tvb.slice(6, 2));
        ctx.add(node, F['icmpv6.mld.multicast_address'], tvb, 8, 16, tvb.slice(8, 16));
        ctx.add(node, F['icmpv6.mld.flag'], tvb, 24, 1, tvb.u8(24));
        ctx.add(node, F['icmpv6.mld.qqi'], tvb, 25, 1, tvb.u8(25));
        const n = tvb.u16(26);
        ctx.add(node, F['icmpv6.mld.nb_sources'], tvb, 26, 2, n);
        for (let i = 0; i < n; i++) ctx.add(node, F['icmpv6.mld.source_address'], tvb, 28 + 16 * i, 16, tvb.slice(28 + 16 * i, 16));
        return;
      }
      ctx.add(node, F['icmpv6.mld.maximum_response_delay'], tvb, 4, 2, tvb.u16(4));
      ctx.add(node, F['icmpv6.reserved'], tvb, 6, 2, tvb.slice(6, 2));
      ctx.add(node, F['icmpv6.mld.multicast_address'], tvb, 8, 16, tvb.slice(8, 16));
      return;
    case 143:
      ctx.add(node, F['icmpv6.reserved'], tvb, 4, 2, tvb.slice(4, 2));
      {
        const n = tvb.u16(6);
        ctx.add(node, F['icmpv6.mldr.nb_mcast_records'], tvb, 6, 2, n);
        // RFC 3810 5.2: records of type, aux length (32-bit words), sources, address, sources, aux data.
        for (let i = 0, o = 8; i < n; i++) {
          const rtype = tvb.u8(o), aux = tvb.u8(o + 1) * 4, ns = tvb.u16(o + 2);
          const size = 20 + 16 * ns + aux;
          const addr = tvb.slice(o + 4, 16);
          const rec = ctx.add(node, F['icmpv6.mldr.mar'], tvb, o, size, null,
            () => `Multicast Address Record ${MLDR_RECORD_TYPES[rtype] ?? 'Unknown'}: ${formatIPv6(addr)}`);
          ctx.add(rec, F['icmpv6.mldr.mar.record_type'], tvb, o, 1, rtype);
          ctx.add(rec, F['icmpv6.mldr.mar.aux_data_len'], tvb, o + 1, 1, aux / 4);
          ctx.add(rec, F['icmpv6.mldr.mar.nb_sources'], tvb, o + 2, 2, ns);
          ctx.add(rec, F['icmpv6.mldr.mar.multicast_address'], tvb, o + 4, 16, addr);
          for (let k = 0; k < ns; k++) ctx.add(rec, F['icmpv6.mldr.mar.source_address'], tvb, o + 20 + 16 * k, 16, tvb.slice(o + 20 + 16 * k, 16));
          if (aux) ctx.add(rec, F['icmpv6.mldr.mar.auxiliary_data'], tvb, o + 20 + 16 * ns, aux, tvb.slice(o + 20 + 16 * ns, aux));
          o += size;
        }
      }
      return;
    default:
      if (tvb.reportedLength > 4) callProtocol(dataProtocol, tvb.sub(4), ctx, null);
  }
}

/**
 * The checksum over the RFC 8200 8.1 pseudo-header, verified (as packet-icmpv6.c does) when the
 * whole message was captured and it is not a quoted packet inside an ICMPv6 error.
 */
function addChecksum(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  const ck = tvb.u16(2);
  // With a routing header the pseudo-header holds the final destination (RFC 8200 8.1), which
  // the routing header leaves in scratch['ipv6.finalDst'].
  const finalDst = ctx.scratch['ipv6.finalDst'];
  const src = ctx.endpoints.netSrc, dst = finalDst instanceof Uint8Array ? finalDst : ctx.endpoints.netDst;
  if (ctx.scratch['inErrorPacket'] !== true && tvb.length >= tvb.reportedLength && src?.length === 16 && dst?.length === 16) {
    const len = tvb.reportedLength;
    let sum = 0;
    const add = (b: Uint8Array) => {
      for (let i = 0; i + 1 < b.length; i += 2) sum += (b[i]! << 8) | b[i + 1]!;
      if (b.length & 1) sum += b[b.length - 1]! << 8;
    };
    add(src);
    add(dst);
    sum += Math.floor(len / 0x10000) + (len & 0xffff) + 58;
    add(tvb.slice(0, len));
    while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
    const good = sum === 0xffff;
    // What the field should hold: the ones' complement sum of everything but the field itself.
    const should = () => {
      let s2 = (sum & 0xffff) + (~ck & 0xffff);
      while (s2 > 0xffff) s2 = (s2 & 0xffff) + Math.floor(s2 / 0x10000);
      return ~s2 & 0xffff;
    };
    const n = ctx.add(node, F['icmpv6.checksum'], tvb, 2, 2, ck, () => `Checksum: ${hex4(ck)} ${good ? '[correct]' : `incorrect, should be ${hex4(should())}`}`);
    ctx.addGenerated(node, F['icmpv6.checksum.status'], good ? 1 : 0);
    if (!good) ctx.addExpert(n, 'warn', 'checksum', `Bad checksum [should be ${hex4(should())}]`);
    return;
  }
  ctx.add(node, F['icmpv6.checksum'], tvb, 2, 2, ck, () => `Checksum: ${hex4(ck)} [unverified]`);
  ctx.addGenerated(node, F['icmpv6.checksum.status'], 2);
}

/** ND options (type, length in 8-byte units); `onLinkAddr` gets the source/target MAC. */
function ndOptions(tvb: Tvb, ctx: PacketContext, node: FieldNode, start: number, onLinkAddr: (mac: string) => void): void {
  for (let o = start; o + 2 <= tvb.reportedLength; ) {
    const type = tvb.u8(o), len = tvb.u8(o + 1) * 8;
    if (len === 0) {
      ctx.addExpert(node, 'error', 'malformed', 'Invalid option length (Zero)');
      return;
    }
    tvb.check(o, len);
    // "ICMPv6 Option (Target link-layer address : c2:00:54:f5:00:00)" for link-layer addresses.
    let linkAddr = (type === 1 || type === 2) && len === 8 ? ` : ${formatEther(tvb.slice(o + 2, 6))}` : '';
    if (type === 5 && len === 8) linkAddr = ` : ${tvb.u32(o + 4)}`;
    if (type === 3 && len >= 32) linkAddr = ` : ${formatIPv6(tvb.slice(o + 16, 16))}/${tvb.u8(o + 2)}`;
    const opt = ctx.add(node, F['icmpv6.opt'], tvb, o, len, null, ctx.tree ? `ICMPv6 Option (${OPTION_NAMES[type] ?? `Unknown (${type})`}${linkAddr})` : undefined);
    ctx.add(opt, F['icmpv6.opt.type'], tvb, o, 1, type);
    ctx.add(opt, F['icmpv6.opt.length'], tvb, o + 1, 1, len / 8, () => `Length: ${len / 8} (${len} bytes)`);
    if ((type === 1 || type === 2) && len === 8) {
      const mac = tvb.slice(o + 2, 6);
      ctx.add(opt, F['icmpv6.opt.linkaddr'], tvb, o + 2, 6, mac);
      ctx.addHidden(opt, type === 1 ? F['icmpv6.opt.src_linkaddr'] : F['icmpv6.opt.target_linkaddr'], tvb, o + 2, 6, mac);
      onLinkAddr(formatEther(mac));
    } else if (type === 3 && len >= 32) {
      ctx.add(opt, F['icmpv6.opt.prefix.length'], tvb, o + 2, 1, tvb.u8(o + 2));
      const pf = tvb.u8(o + 3);
      const pnames = [pf & 0x80 ? 'On-link flag(L)' : '', pf & 0x40 ? 'Autonomous address-configuration flag(A)' : '', pf & 0x20 ? 'Router address flag(R)' : ''].filter(Boolean);
      const fl = ctx.add(opt, F['icmpv6.opt.prefix.flag'], tvb, o + 3, 1, pf, () => `Flag: 0x${pf.toString(16).padStart(2, '0')}${pnames.map((n) => ', ' + n).join('')}`);
      ctx.add(fl, F['icmpv6.opt.prefix.flag.l'], tvb, o + 3, 1, (pf & 0x80) !== 0);
      ctx.add(fl, F['icmpv6.opt.prefix.flag.a'], tvb, o + 3, 1, (pf & 0x40) !== 0);
      ctx.add(fl, F['icmpv6.opt.prefix.flag.r'], tvb, o + 3, 1, (pf & 0x20) !== 0);
      ctx.add(fl, F['icmpv6.opt.prefix.flag.reserved'], tvb, o + 3, 1, pf & 0x1f);
      ctx.add(opt, F['icmpv6.opt.prefix.valid_lifetime'], tvb, o + 4, 4, tvb.u32(o + 4));
      ctx.add(opt, F['icmpv6.opt.prefix.preferred_lifetime'], tvb, o + 8, 4, tvb.u32(o + 8));
      ctx.add(opt, F['icmpv6.opt.reserved'], tvb, o + 12, 4, null);
      ctx.add(opt, F['icmpv6.opt.prefix'], tvb, o + 16, 16, tvb.slice(o + 16, 16));
    } else if (type === 5 && len === 8) {
      ctx.add(opt, F['icmpv6.opt.reserved'], tvb, o + 2, 2, null);
      ctx.add(opt, F['icmpv6.opt.mtu'], tvb, o + 4, 4, tvb.u32(o + 4));
    }
    o += len;
  }
}

function quoteInner(inner: Tvb, ctx: PacketContext, parent: FieldNode): void {
  const ipv6 = lookup('ethertype', 0x86dd);
  const saved = { src: ctx.src, dst: ctx.dst, endpoints: ctx.endpoints, protocol: ctx.protocol, info: ctx.info };
  ctx.scratch['inErrorPacket'] = true;
  try {
    ctx.scratch['quoteParent'] = parent;
    callProtocol(ipv6 ?? dataProtocol, inner, ctx, parent);
  } catch (e) {
    if (!isDecodeError(e)) throw e; // a quote cut short is expected, not malformed
  } finally {
    ctx.scratch['inErrorPacket'] = false;
    ctx.scratch['quoteParent'] = undefined;
    Object.assign(ctx, saved);
  }
}

function matchEcho(ctx: PacketContext, type: number, id: number, seq: number): { frame: number; ms: number } | null {
  const st = echoState(ctx.capture, 'icmpv6.echo');
  const frame = ctx.frame.number;
  if (st.answers.has(frame)) return st.answers.get(frame)!;
  const now = { sec: ctx.frame.ts.sec, nsec: ctx.frame.ts.nsec };
  if (type === 128) {
    st.requests.set(`${ctx.src}|${ctx.dst}|${id}|${seq}`, { frame, time: now });
    return null;
  }
  const req = st.requests.get(`${ctx.dst}|${ctx.src}|${id}|${seq}`);
  if (!req || req.frame >= frame) return null;
  // Whole seconds and nanoseconds apart, so 8.03 ms prints as tshark's 8.03.
  const ans = { frame: req.frame, ms: ((now.sec - req.time.sec) * 1e9 + (now.nsec - req.time.nsec)) / 1e6 };
  st.answers.set(frame, ans);
  return ans;
}

export const icmpv6Protocol = defineProtocol('icmpv6', 'Internet Control Message Protocol v6', dissectIcmpv6, 'ICMPv6');
register('ip.proto', 58, icmpv6Protocol);

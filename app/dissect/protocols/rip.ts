// RIP (UDP 520): Routing Information Protocol version 1 (RFC 1058) and 2 (RFC 2453), as tshark
// 4.0's packet-rip.c shows it. Protocol column "RIPv1"/"RIPv2" (else "RIP"), Info the command
// ("Response", "Unknown command (9)"). A 4-byte header, then 20-byte entries until the
// datagram ends: routes by address family (IP, or Unspecified for a whole-table request),
// and in version 2 an authentication entry (family 0xffff) first — a simple password, or a
// keyed MD5 header (RFC 2082) whose trailer, the last 20 bytes, is then no route. tshark
// does not show RIPv2's Routing Domain bytes by default (the display_routing_domain pref).
import { defineFields } from '../field.js';
import { defineProtocol, register } from '../dispatch.js';
import { formatIPv4 } from '../format.js';
import { cString, type PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';

const COMMANDS: Record<number, string> = { 1: 'Request', 2: 'Response', 3: 'Traceon', 4: 'Traceoff', 5: 'Vendor specific (Sun)' };
const VERSIONS: Record<number, string> = { 1: 'RIPv1', 2: 'RIPv2' };
const FAMILIES: Record<number, string> = { 0: 'Unspecified', 2: 'IP' };
const AUTH_TYPES: Record<number, string> = { 1: 'IP Route', 2: 'Simple Password', 3: 'Keyed Message Digest' };

export const ripFields = defineFields([
  { name: 'rip.command', label: 'Command', type: 'uint8', base: 'dec', values: COMMANDS },
  { name: 'rip.version', label: 'Version', type: 'uint8', base: 'dec', values: VERSIONS },
  { name: 'rip.routing_domain', label: 'Routing Domain', type: 'uint16', base: 'dec' },
  { name: 'rip.ip', label: 'IP Address', type: 'ipv4' },
  { name: 'rip.netmask', label: 'Netmask', type: 'ipv4' },
  { name: 'rip.next_hop', label: 'Next Hop', type: 'ipv4' },
  // FT_UINT16 in packet-rip.c, but given the entry's whole 32-bit metric.
  { name: 'rip.metric', label: 'Metric', type: 'uint16', base: 'dec' },
  { name: 'rip.auth.type', label: 'Authentication type', type: 'uint16', base: 'dec', values: AUTH_TYPES },
  { name: 'rip.auth.passwd', label: 'Password', type: 'string' },
  { name: 'rip.family', label: 'Address Family', type: 'uint16', base: 'dec', values: FAMILIES },
  { name: 'rip.route_tag', label: 'Route Tag', type: 'uint16', base: 'dec' },
  // tshark 4.0's label, typo and all.
  { name: 'rip.zero_padding', label: 'Zero adding', type: 'string' },
  { name: 'rip.digest_offset', label: 'Digest Offset', type: 'uint16', base: 'dec' },
  { name: 'rip.key_id', label: 'Key ID', type: 'uint8', base: 'dec' },
  { name: 'rip.auth_data_len', label: 'Auth Data Len', type: 'uint8', base: 'dec' },
  { name: 'rip.seq_num', label: 'Seq num', type: 'uint32', base: 'dec' },
  { name: 'rip.authentication_data', label: 'Authentication Data', type: 'bytes' },
] as const);
const F = ripFields;

const HEADER_LENGTH = 4;
const ENTRY_LENGTH = 20;
const MD5_AUTH_DATA_LEN = 16;
const FAMILY_IP = 2;
const FAMILY_UNSPEC = 0;
const FAMILY_AUTH = 0xffff;
const AUTH_PASSWORD = 2;
const AUTH_KEYED_MD5 = 3;

/** A route entry (family IP or Unspecified). RIPv2 adds its route tag, netmask and next hop. */
function addRoute(tvb: Tvb, ctx: PacketContext, node: FieldNode, o: number, version: number, family: number): void {
  const metric = tvb.u32(o + 16);
  const text = family === FAMILY_IP ? `IP Address: ${formatIPv4(tvb.u32(o + 4))}, Metric: ${metric}` : `Address not specified, Metric: ${metric}`;
  const entry = ctx.addText(node, tvb, o, ENTRY_LENGTH, text);
  ctx.add(entry, F['rip.family'], tvb, o, 2, tvb.u16(o));
  if (version === 2) ctx.add(entry, F['rip.route_tag'], tvb, o + 2, 2, tvb.u16(o + 2));
  if (family === FAMILY_IP) ctx.add(entry, F['rip.ip'], tvb, o + 4, 4, tvb.u32(o + 4));
  if (version === 2) {
    ctx.add(entry, F['rip.netmask'], tvb, o + 8, 4, tvb.u32(o + 8));
    ctx.add(entry, F['rip.next_hop'], tvb, o + 12, 4, tvb.u32(o + 12));
  }
  ctx.add(entry, F['rip.metric'], tvb, o + 16, 4, metric);
}

/** The authentication entry; returns the length of the trailer a keyed digest puts at the end. */
function addAuthentication(tvb: Tvb, ctx: PacketContext, node: FieldNode, o: number): number {
  const type = tvb.u16(o + 2);
  const entry = ctx.addText(node, tvb, o, ENTRY_LENGTH, `Authentication: ${AUTH_TYPES[type] ?? `Unknown (${type})`}`);
  ctx.add(entry, F['rip.auth.type'], tvb, o + 2, 2, type);
  if (type === AUTH_PASSWORD) {
    ctx.add(entry, F['rip.auth.passwd'], tvb, o + 4, 16, cString(tvb.ascii(o + 4, 16)));
    return 0;
  }
  if (type !== AUTH_KEYED_MD5) return 0;
  const digestOffset = tvb.u16(o + 4);
  ctx.add(entry, F['rip.digest_offset'], tvb, o + 4, 2, digestOffset);
  ctx.add(entry, F['rip.key_id'], tvb, o + 6, 1, tvb.u8(o + 6));
  const dataLen = tvb.u8(o + 7);
  ctx.add(entry, F['rip.auth_data_len'], tvb, o + 7, 1, dataLen);
  ctx.add(entry, F['rip.seq_num'], tvb, o + 8, 4, tvb.u32(o + 8));
  ctx.add(entry, F['rip.zero_padding'], tvb, o + 12, 8, cString(tvb.ascii(o + 12, 8)));
  // RFC 2082: the digest offset counts from the start of the RIP header.
  const trailerAt = o - HEADER_LENGTH + digestOffset;
  const trailer = ctx.addText(entry, tvb, trailerAt, MD5_AUTH_DATA_LEN + 4, 'Authentication Data Trailer');
  ctx.add(trailer, F['rip.authentication_data'], tvb, trailerAt + 4, MD5_AUTH_DATA_LEN, tvb.slice(trailerAt + 4, MD5_AUTH_DATA_LEN));
  return dataLen;
}

function dissectRip(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  // Before the header is read (a datagram too short for it shows "RIP" and no Info).
  ctx.protocol = 'RIP';
  ctx.info = '';
  const command = tvb.u8(0), version = tvb.u8(1);
  ctx.protocol = VERSIONS[version] ?? 'RIP';
  ctx.info = COMMANDS[command] ?? `Unknown command (${command})`;
  ctx.add(node, F['rip.command'], tvb, 0, 1, command);
  ctx.add(node, F['rip.version'], tvb, 1, 1, version);
  let trailer = 0;
  let keyedDigest = false;
  for (let o = HEADER_LENGTH; tvb.reportedLength - o > trailer; o += ENTRY_LENGTH) {
    const family = tvb.u16(o);
    if (family === FAMILY_UNSPEC || family === FAMILY_IP) {
      addRoute(tvb, ctx, node, o, version, family);
      continue;
    }
    if (family === FAMILY_AUTH && o === HEADER_LENGTH) {
      trailer = addAuthentication(tvb, ctx, node, o);
      keyedDigest = true;
      continue;
    }
    // The keyed digest's trailer, when its data length did not keep the loop off it.
    if (family === FAMILY_AUTH && keyedDigest && tvb.reportedLength - o === ENTRY_LENGTH) continue;
    const item = ctx.addText(node, tvb, o, ENTRY_LENGTH, `Unknown address family ${family}`);
    ctx.addExpert(item, 'warn', 'protocol', `Unknown address family ${family}`);
  }
}

export const ripProtocol = defineProtocol('rip', 'Routing Information Protocol', dissectRip);

register('udp.port', 520, ripProtocol);

// DHCPv6 (RFC 8415; options of RFC 3646, 3319, 4075, 4704, 5908, 8415 §21) on udp 546 and 547,
// as tshark 4.0 registers and shows it (epan/dissectors/packet-dhcpv6.c): the message type and
// transaction ID (relay messages: hop count, link and peer address, the relayed message as a
// nested "DHCPv6" subtree), each option a subtree titled with its name holding "Option: Name (code)"
// and "Length". Info is "Solicit XID: 0x3a4267 CID: <DUID hex> IAA: <address> " (each part with
// its trailing space; relays add "Relay-forw L: <link address> " before the relayed message).
// An option whose header or value runs past the message ends the options silently, as tshark's
// loop does; a value too short for its option gets tshark's "NAME: malformed option" note.
import { defineFields, type FieldDef } from '../field.js';
import { defineProtocol, register } from '../dispatch.js';
import { formatEther, formatIPv6, hexBytes } from '../format.js';
import { wsFields, type PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { ARPHRD_NAMES } from '../arphrd.js';

const MSG_TYPES: Record<number, string> = {
  1: 'Solicit', 2: 'Advertise', 3: 'Request', 4: 'Confirm', 5: 'Renew', 6: 'Rebind', 7: 'Reply', 8: 'Release', 9: 'Decline',
  10: 'Reconfigure', 11: 'Information-request', 12: 'Relay-forw', 13: 'Relay-reply', 14: 'Leasequery', 15: 'Leasequery-reply',
  16: 'Leasequery-done', 17: 'Leasequery-data', 18: 'Reconfigure-request', 19: 'Reconfigure-reply',
};

/** Option names as tshark's opttype_vals spells them (from `tshark -G values`). */
const OPTION_NAMES: Record<number, string> = {
  1: 'Client Identifier', 2: 'Server Identifier', 3: 'Identity Association for Non-temporary Address',
  4: 'Identity Association for Temporary Address', 5: 'IA Address', 6: 'Option Request', 7: 'Preference', 8: 'Elapsed time',
  9: 'Relay Message', 11: 'Authentication', 12: 'Server unicast', 13: 'Status code', 14: 'Rapid Commit', 15: 'User Class',
  16: 'Vendor Class', 17: 'Vendor-specific Information', 18: 'Interface-Id', 19: 'Reconfigure Message', 20: 'Reconfigure Accept',
  21: 'SIP Server Domain Name List', 22: 'SIP Servers IPv6 Address List', 23: 'DNS recursive name server',
  24: 'Domain Search List', 25: 'Identity Association for Prefix Delegation', 26: 'IA Prefix', 27: 'Network Information Server',
  28: 'Network Information Server V2', 29: 'Network Information Server Domain Name',
  30: 'Network Information Server V2 Domain Name', 31: 'Simple Network Time Protocol Server', 32: 'Lifetime',
  33: 'BCMCS Server Domain', 34: 'BCMCS Servers IPv6 Address List', 36: 'Geoconf Civic Address', 37: 'Remote Identifier',
  38: 'Subscriber Identifier', 39: 'Client Fully Qualified Domain Name', 40: 'PANA Agents IPv6 Address List', 41: 'Time Zone',
  42: 'Time Zone Database', 43: 'Echo Request Option', 44: 'Leasequery Query', 45: 'Leasequery Client Data',
  46: 'Client Last Transaction Time', 47: 'Leasequery Relay Data', 48: 'Leasequery Client Link Address List',
  49: 'Home Network Identifier FQDN', 50: 'Visited Home Network Information', 51: 'LoST Server', 52: 'CAPWAP Access Controllers',
  53: 'Relay-ID', 54: 'MoS IPv6 Address', 55: 'MoS Domain Name List', 56: 'NTP Server', 57: 'Access Network Domain Name',
  58: 'SIP User Agent Configuration Service Domains', 59: 'Boot File URL', 60: 'Boot File Parameters',
  61: 'Client System Architecture Type', 62: 'Client Network Interface Identifier', 63: 'Geolocation',
  64: 'Dual-Stack Lite AFTR Name', 65: 'ERP Local Domain Name', 66: 'Relay-Supplied Options', 67: 'Prefix Exclude',
  68: 'Virtual Subnet Selection', 69: 'Identified Home Network Information', 70: 'Unrestricted Home Network Information',
  71: 'Home Network Prefix', 72: 'Home Agent Address', 73: 'Home Agent FQDN', 74: 'RDNSS Selection',
  75: 'Kerberos Principal Name', 76: 'Kerberos Realm Name', 77: 'Kerberos Default Realm Name', 78: 'Kerberos KDC',
  79: 'Client Link-Layer Address', 80: 'Link Address', 81: 'RADIUS', 82: 'SOL_MAX_RT', 83: 'INF_MAX_RT', 84: 'Address Selection',
  85: 'Address Selection table', 86: 'PCP Server', 87: 'DHCPv4 Message', 88: 'DHCP 4o6 Servers Address', 89: 'S46 Rule',
  90: 'S46 BR', 91: 'S46 DMR', 92: 'S46 IPv4/IPv6 Address Binding', 93: 'S46 Port Parameters', 94: 'S46 MAP-E Container',
  95: 'S46 MAP-T Container', 96: 'S46 Lightweight 4over6 Container', 97: '4rd Options', 98: '4rd Mapping Rule',
  99: '4rd Non-Mapping Rule', 100: 'LQ Server Base Time', 101: 'LQ Server Query Start Time', 102: 'LQ Server Query End Time',
  103: 'Captive Portal', 104: 'MPL Parameter Configuration', 105: 'Access Technology Type', 106: 'Access Network Name',
  107: 'Access Point Name', 108: 'Access Point BSSID', 109: 'Access Network Operator ID', 110: 'Access Network Operator Realm',
  111: 'S46 Priority', 112: 'Manufacturer Usage Description', 113: 'IPv4/IPv6 Multicast Prefixes',
  114: 'Failover Binding Status', 115: 'Failover Connect Flags', 116: 'Failover DNS Removal Info', 117: 'Failover DNS Hostname',
  118: 'Failover DNS Zone Name', 119: 'Failover DNS Flags', 120: 'Failover Expiration Time',
  121: 'Failover Maximum Number Unacked BNDUPD Messages', 122: 'Failover Maximum Client Lead Time (MCLT)',
  123: 'Failover Partner Lifetime', 124: 'Failover Partner Lifetime Sent', 125: 'Failover Partner Down Time',
  126: 'Failover Partner Raw Client Time', 127: 'Failover Protocol Version', 128: 'Failover Keepalive Time',
  129: 'Failover Reconfigure Data', 130: 'Failover Relationship Name', 131: 'Failover Server Flags',
  132: 'Failover Server State', 133: 'Failover Start Time of State', 134: 'Failover State Expiration Time',
  135: 'Relay Source Port', 136: 'SZTP Redirect', 137: 'Softwire Source Binding Prefix Hint', 143: 'ANDSF IPv6 Address',
  165: 'Mobile IPv6 Home Agent', 166: 'Mobile IPv6 Home Address', 167: 'Network Access Identifier',
};

const STATUS: Record<number, string> = {
  0: 'Success', 1: 'UnspecFail', 2: 'NoAddrAvail', 3: 'NoBinding', 4: 'NotOnLink', 5: 'UseMulticast', 6: 'NoPrefixAvail',
  7: 'UnknownQueryType', 8: 'MalformedQuery', 9: 'NotConfigured', 10: 'NotAllowed', 11: 'QueryTerminated', 12: 'DataMissing',
  13: 'CatchUpComplete', 14: 'NotSupported', 15: 'TLSConnectionRefused',
};

const DUID_TYPES: Record<number, string> = {
  1: 'link-layer address plus time', 2: 'assigned by vendor based on Enterprise number', 3: 'link-layer address',
  4: 'Universally Unique IDentifier (UUID)',
};

/** RFC 5908's NTP server suboptions. */
const NTP_SUBOPTIONS: Record<number, string> = { 1: 'NTP Server Address', 2: 'NTP Multicast Address', 3: 'NTP Server FQDN' };


/** The few private enterprise numbers SynScope names (tshark's enterprises file). */
const ENTERPRISES: Record<number, string> = { 9: 'ciscoSystems', 311: 'Microsoft', 4491: 'Cable Television Laboratories, Inc.' };

export const dhcpv6Fields = defineFields([
  { name: 'dhcpv6.msgtype', label: 'Message type', type: 'uint8', base: 'dec', values: MSG_TYPES },
  { name: 'dhcpv6.hopcount', label: 'Hopcount', type: 'uint8', base: 'dec' },
  { name: 'dhcpv6.xid', label: 'Transaction ID', type: 'uint24', base: 'hex' },
  { name: 'dhcpv6.linkaddr', label: 'Link address', type: 'ipv6' },
  { name: 'dhcpv6.peeraddr', label: 'Peer address', type: 'ipv6' },
  { name: 'dhcpv6.option.type', label: 'Option', type: 'uint16', base: 'dec', values: OPTION_NAMES },
  { name: 'dhcpv6.option.length', label: 'Length', type: 'uint16', base: 'dec' },
  { name: 'dhcpv6.duid.bytes', label: 'DUID', type: 'bytes' },
  { name: 'dhcpv6.duid.type', label: 'DUID Type', type: 'uint16', base: 'dec', values: DUID_TYPES },
  { name: 'dhcpv6.duidllt.hwtype', label: 'Hardware type', type: 'uint16', base: 'dec', values: ARPHRD_NAMES },
  { name: 'dhcpv6.duidllt.time', label: 'DUID Time', type: 'abstime', clock: 'utc' },
  { name: 'dhcpv6.duidllt.link_layer_addr', label: 'Link-layer address', type: 'string' },
  { name: 'dhcpv6.duiden.enterprise', label: 'Enterprise ID', type: 'uint32', base: 'dec' },
  { name: 'dhcpv6.duiden.identifier', label: 'Identifier', type: 'bytes' },
  { name: 'dhcpv6.duidll.hwtype', label: 'Hardware type', type: 'uint16', base: 'dec', values: ARPHRD_NAMES },
  { name: 'dhcpv6.duidll.link_layer_addr', label: 'Link-layer address', type: 'string' },
  { name: 'dhcpv6.duiduuid.bytes', label: 'UUID', type: 'bytes' },
  { name: 'dhcpv6.iaid', label: 'IAID', type: 'string' },
  { name: 'dhcpv6.iata', label: 'IATA', type: 'string' },
  { name: 'dhcpv6.iaid.t1', label: 'T1', type: 'uint32', base: 'dec' },
  { name: 'dhcpv6.iaid.t2', label: 'T2', type: 'uint32', base: 'dec' },
  { name: 'dhcpv6.iaaddr.ip', label: 'IPv6 address', type: 'ipv6' },
  { name: 'dhcpv6.iaaddr.pref_lifetime', label: 'Preferred lifetime', type: 'uint32', base: 'dec' },
  { name: 'dhcpv6.iaaddr.valid_lifetime', label: 'Valid lifetime', type: 'uint32', base: 'dec' },
  { name: 'dhcpv6.iaprefix.pref_lifetime', label: 'Preferred lifetime', type: 'uint32', base: 'dec' },
  { name: 'dhcpv6.iaprefix.valid_lifetime', label: 'Valid lifetime', type: 'uint32', base: 'dec' },
  { name: 'dhcpv6.iaprefix.pref_len', label: 'Prefix length', type: 'uint8', base: 'dec' },
  { name: 'dhcpv6.iaprefix.pref_addr', label: 'Prefix address', type: 'ipv6' },
  { name: 'dhcpv6.requested_option_code', label: 'Requested Option code', type: 'uint16', base: 'dec', values: OPTION_NAMES },
  { name: 'dhcpv6.option_preference', label: 'Pref-value', type: 'uint8', base: 'dec' },
  { name: 'dhcpv6.elapsed_time', label: 'Elapsed time', type: 'uint16', base: 'dec' },
  { name: 'dhcpv6.auth.protocol', label: 'Protocol', type: 'uint8', base: 'dec' },
  { name: 'dhcpv6.auth.algorithm', label: 'Algorithm', type: 'uint8', base: 'dec' },
  { name: 'dhcpv6.auth.rdm', label: 'RDM', type: 'uint8', base: 'dec' },
  { name: 'dhcpv6.auth.replay_detection', label: 'Replay Detection', type: 'bytes' },
  { name: 'dhcpv6.auth.info', label: 'Authentication Information', type: 'bytes' },
  { name: 'dhcpv6.unicast', label: 'IPv6 address', type: 'ipv6' },
  { name: 'dhcpv6.status_code', label: 'Status Code', type: 'uint16', base: 'dec', values: STATUS },
  { name: 'dhcpv6.status_msg', label: 'Status Message', type: 'string' },
  { name: 'dhcpv6.userclass.length', label: 'Length', type: 'uint16', base: 'dec' },
  { name: 'dhcpv6.userclass.opaque_data', label: 'Suboption', type: 'bytes' },
  { name: 'dhcpv6.vendorclass.enterprise', label: 'Enterprise ID', type: 'uint32', base: 'dec' },
  { name: 'dhcpv6.vendorclass.data', label: 'vendor-class-data', type: 'string' },
  { name: 'dhcpv6.vendoropts.enterprise', label: 'Enterprise ID', type: 'uint32', base: 'dec' },
  { name: 'dhcpv6.vendoropts.enterprise.option_code', label: 'Option code', type: 'uint16', base: 'dec' },
  { name: 'dhcpv6.vendoropts.enterprise.option_length', label: 'Option length', type: 'uint16', base: 'dec' },
  { name: 'dhcpv6.vendoropts.enterprise.option_data', label: 'Option data', type: 'bytes' },
  { name: 'dhcpv6.interface_id', label: 'Interface-ID', type: 'bytes' },
  { name: 'dhcpv6.reconf_msg', label: 'Reconfigure message type', type: 'uint8', base: 'dec', values: MSG_TYPES },
  { name: 'dhcpv6.sip_server_a', label: 'SIP server address', type: 'ipv6' },
  { name: 'dhcpv6.dns_server', label: 'DNS server address', type: 'ipv6' },
  { name: 'dhcpv6.search_list_entry', label: 'List entry', type: 'string' },
  { name: 'dhcpv6.sntp_server', label: 'SNTP server address', type: 'ipv6' },
  { name: 'dhcpv6.lifetime', label: 'Lifetime', type: 'uint32', base: 'dec' },
  { name: 'dhcpv6.sip_server_domain_search_fqdn', label: 'SIP Server Domain Search FQDN', type: 'string' },
  { name: 'dhcpv6.remoteid.enterprise', label: 'Enterprise ID', type: 'uint32', base: 'dec' },
  { name: 'dhcpv6.remoteid_enterprise_id', label: 'Remote-ID', type: 'bytes' },
  { name: 'dhcpv6.subscriber_id', label: 'Subscriber-ID', type: 'string' },
  { name: 'dhcpv6.timezone', label: 'Time-zone', type: 'string' },
  { name: 'dhcpv6.tzdb', label: 'TZ-database', type: 'string' },
  { name: 'dhcpv6.ntpserver.option.type', label: 'Suboption', type: 'uint16', base: 'dec', values: NTP_SUBOPTIONS },
  { name: 'dhcpv6.ntpserver.option.length', label: 'Length', type: 'uint16', base: 'dec' },
  { name: 'dhcpv6.ntpserver.addr', label: 'NTP Server Address', type: 'ipv6' },
  { name: 'dhcpv6.ntpserver.mc_addr', label: 'NTP Multicast Address', type: 'ipv6' },
  { name: 'dhcpv6.ntpserver.fqdn', label: 'NTP Server FQDN', type: 'string' },
  { name: 'dhcpv6.client_fqdn_flags', label: 'Flags', type: 'uint8', base: 'hex' },
  { name: 'dhcpv6.clientfqdn.client.n', label: 'N bit', type: 'boolean', mask: 0x04, tf: ['Server SHOULD NOT perform PTR RR updates', 'Server SHOULD perform PTR RR updates'] },
  { name: 'dhcpv6.clientfqdn.client.s', label: 'S bit', type: 'boolean', mask: 0x01, tf: ['Server SHOULD perform AAAA RR updates', 'Server SHOULD NOT perform AAAA RR updates'] },
  { name: 'dhcpv6.clientfqdn.server.n', label: 'N bit', type: 'boolean', mask: 0x04, tf: ['Server SHOULD NOT perform PTR RR updates', 'Server SHOULD perform PTR RR updates'] },
  { name: 'dhcpv6.clientfqdn.server.o', label: 'O bit', type: 'boolean', mask: 0x02, tf: ["Server HAS overridden client's S bit preference", "Server HAS NOT overridden client's S bit preference"] },
  { name: 'dhcpv6.clientfqdn.server.s', label: 'S bit', type: 'boolean', mask: 0x01, tf: ['Server SHOULD perform AAAA RR updates', 'Server SHOULD NOT perform AAAA RR updates'] },
  { name: 'dhcpv6.client_domain', label: 'Client Domain Name', type: 'string' },
  { name: 'dhcpv6.clientfqdn.bad_msgtype', label: 'Illegal Message Type', type: 'uint8', base: 'hex' },
  { name: 'dhcpv6.bad_msgtype', label: 'This message type is not permitted to use OPTION_CLIENT_FQDN', type: 'none' },
  { name: 'dhcpv6.tld', label: 'Top Level Domain name (TLD)', type: 'string' },
] as const);

const F = dhcpv6Fields;

const xidHex = (v: number) => `0x${v.toString(16).padStart(6, '0')}`;

interface Msg {
  info: string;
  /** The message type of the innermost message being read. */
  type: number;
  /** An option ran past its container: tshark stops reading options at every level. */
  stopped: boolean;
}

function enterprise(n: number): string {
  return `${ENTERPRISES[n] ?? 'Unknown'} (${n})`;
}

/** An RFC 1035 name list without compression; `[names, complete]` (complete: the last ended in a root label). */
function domainNames(tvb: Tvb, o: number, end: number): [string[], boolean] {
  const names: string[] = [];
  let labels: string[] = [];
  while (o < end) {
    const n = tvb.u8(o++);
    if (n === 0) {
      names.push(labels.join('.') + '.');
      labels = [];
      continue;
    }
    labels.push(tvb.ascii(o, Math.min(n, end - o)));
    o += n;
  }
  // tshark builds each name as a C string: a NUL inside a label ends it.
  const cut = (n: string) => (n.includes('\0') ? n.slice(0, n.indexOf('\0')) : n);
  if (labels.length) {
    names.push(labels.join('.'));
    return [names.map(cut), false];
  }
  return [names.map(cut), true];
}

/** tshark's expert note for a value too short for its option; a Malformed-group note makes `_ws.malformed` match. */
/** An FT_STRING's text: tshark's ends at the first NUL. */
function cstr(tvb: Tvb, o: number, n: number): string {
  const t = tvb.ascii(o, n);
  const z = t.indexOf('\0');
  return z >= 0 ? t.slice(0, z) : t;
}

/** An FT_STRING item; text after a NUL gets tshark's "Trailing stray characters" note. */
function addString(ctx: PacketContext, node: FieldNode, def: FieldDef, tvb: Tvb, o: number, n: number): void {
  const item = ctx.add(node, def, tvb, o, n, cstr(tvb, o, n));
  const t = tvb.ascii(o, n);
  const z = t.indexOf('\0');
  if (z >= 0 && /[^\0]/.test(t.slice(z))) ctx.addExpert(item, 'warn', 'undecoded', 'Trailing stray characters');
}

function malformed(ctx: PacketContext, tvb: Tvb, v: number, node: FieldNode, what: string, message = `${what}: malformed option`): void {
  ctx.addExpert(node, 'error', 'malformed', message);
  ctx.addHidden(node, wsFields['_ws.malformed'], tvb, v, 0, null);
}

function dissectDuid(tvb: Tvb, ctx: PacketContext, node: FieldNode, v: number, len: number): void {
  const type = tvb.u16(v);
  // tshark checks each DUID type's minimum length before showing anything of it.
  const min: Record<number, number> = { 1: 8, 2: 6, 3: 4, 4: 18 };
  const need = min[type];
  ctx.add(node, F['dhcpv6.duid.bytes'], tvb, v, len, tvb.slice(v, len));
  ctx.add(node, F['dhcpv6.duid.type'], tvb, v, 2, type);
  if (need === undefined) return;
  if (len < need) return malformed(ctx, tvb, v, node, 'DUID');
  if (type === 1 || type === 3) {
    const hw = tvb.u16(v + 2);
    const hwField = type === 1 ? F['dhcpv6.duidllt.hwtype'] : F['dhcpv6.duidll.hwtype'];
    ctx.add(node, hwField, tvb, v + 2, 2, hw);
    let a = v + 4;
    if (type === 1) {
      const t = tvb.u32(v + 4);
      // DUID time counts seconds from 2000-01-01 00:00 UTC (RFC 8415 §11.2).
      ctx.add(node, F['dhcpv6.duidllt.time'], tvb, v + 4, 4, { sec: t + 946684800, nsec: 0 });
      a = v + 8;
    }
    const n = v + len - a;
    if (n > 0) {
      const addr = hw === 1 && n === 6 ? formatEther(tvb.slice(a, 6)) : hexBytes(tvb.slice(a, n));
      ctx.add(node, type === 1 ? F['dhcpv6.duidllt.link_layer_addr'] : F['dhcpv6.duidll.link_layer_addr'], tvb, a, n, addr);
    }
  } else if (type === 2) {
    const e = tvb.u32(v + 2);
    ctx.add(node, F['dhcpv6.duiden.enterprise'], tvb, v + 2, 4, e, `Enterprise ID: ${enterprise(e)}`);
    if (len > 6) ctx.add(node, F['dhcpv6.duiden.identifier'], tvb, v + 6, len - 6, tvb.slice(v + 6, len - 6));
  } else {
    ctx.add(node, F['dhcpv6.duiduuid.bytes'], tvb, v + 2, 16, tvb.slice(v + 2, 16));
  }
}

/** The options from `o` to `end` under `parent`; stops at an option running past `end`. */
function dissectOptions(tvb: Tvb, ctx: PacketContext, parent: FieldNode, o: number, end: number, msg: Msg): void {
  while (o < end && !msg.stopped) {
    if (o + 4 > end) {
      msg.stopped = true;
      break;
    }
    const code = tvb.u16(o);
    const len = tvb.u16(o + 2);
    const v = o + 4;
    if (v + len > end) {
      msg.stopped = true;
      break;
    }
    const name = OPTION_NAMES[code];
    // The option's subtree covers its value: a capture cut inside it ends here (truncated).
    tvb.check(o, 4 + len);
    const node = ctx.addText(parent, tvb, o, 4 + len, name ?? `DHCP option ${code}`);
    ctx.add(node, F['dhcpv6.option.type'], tvb, o, 2, code, `Option: ${name ?? 'Unknown'} (${code})`);
    ctx.add(node, F['dhcpv6.option.length'], tvb, o + 2, 2, len);
    dissectOption(tvb, ctx, node, code, v, len, msg);
    o = v + len;
  }
}

function dissectOption(tvb: Tvb, ctx: PacketContext, node: FieldNode, code: number, v: number, len: number, msg: Msg): void {
  switch (code) {
    case 1:
    case 2:
      if (code === 1) msg.info += `CID: ${hexBytes(tvb.slice(v, len))} `;
      if (len < 2) return malformed(ctx, tvb, v, node, 'DUID');
      return dissectDuid(tvb, ctx, node, v, len);
    case 3:
    case 4:
    case 25: {
      const hdr = code === 4 ? 4 : 12;
      if (len < hdr) return malformed(ctx, tvb, v, node, code === 3 ? 'IA_NA' : code === 4 ? 'IA_TA' : 'IA_PD');
      const id = hexBytes(tvb.slice(v, 4));
      ctx.add(node, code === 4 ? F['dhcpv6.iata'] : F['dhcpv6.iaid'], tvb, v, 4, id);
      if (code !== 4) {
        ctx.add(node, F['dhcpv6.iaid.t1'], tvb, v + 4, 4, tvb.u32(v + 4));
        ctx.add(node, F['dhcpv6.iaid.t2'], tvb, v + 8, 4, tvb.u32(v + 8));
      }
      return dissectOptions(tvb, ctx, node, v + hdr, v + len, msg);
    }
    case 5: {
      // tshark's note for a short IA Address names IA_TA.
      if (len < 24) return malformed(ctx, tvb, v, node, 'IA_TA');
      const a = tvb.slice(v, 16);
      ctx.add(node, F['dhcpv6.iaaddr.ip'], tvb, v, 16, a);
      ctx.add(node, F['dhcpv6.iaaddr.pref_lifetime'], tvb, v + 16, 4, tvb.u32(v + 16));
      ctx.add(node, F['dhcpv6.iaaddr.valid_lifetime'], tvb, v + 20, 4, tvb.u32(v + 20));
      msg.info += `IAA: ${formatIPv6(a)} `;
      return dissectOptions(tvb, ctx, node, v + 24, v + len, msg);
    }
    case 26:
      if (len < 25) return malformed(ctx, tvb, v, node, 'IAPREFIX');
      ctx.add(node, F['dhcpv6.iaprefix.pref_lifetime'], tvb, v, 4, tvb.u32(v));
      ctx.add(node, F['dhcpv6.iaprefix.valid_lifetime'], tvb, v + 4, 4, tvb.u32(v + 4));
      ctx.add(node, F['dhcpv6.iaprefix.pref_len'], tvb, v + 8, 1, tvb.u8(v + 8));
      ctx.add(node, F['dhcpv6.iaprefix.pref_addr'], tvb, v + 9, 16, tvb.slice(v + 9, 16));
      return dissectOptions(tvb, ctx, node, v + 25, v + len, msg);
    case 6:
      // An odd length's last code is read with the byte after the option (tshark does).
      for (let i = 0; i < len; i += 2) {
        const c = tvb.u16(v + i);
        ctx.add(node, F['dhcpv6.requested_option_code'], tvb, v + i, 2, c);
      }
      return;
    case 7:
      if (len !== 1) return malformed(ctx, tvb, v, node, 'PREFERENCE');
      ctx.add(node, F['dhcpv6.option_preference'], tvb, v, 1, tvb.u8(v));
      return;
    case 8: {
      if (len !== 2) return malformed(ctx, tvb, v, node, 'ELAPSED-TIME');
      const t = tvb.u16(v);
      // Hundredths of a second, shown in ms (RFC 8415 §21.9).
      // The field holds milliseconds (the filter `dhcpv6.elapsed_time > 50` compares them).
      ctx.add(node, F['dhcpv6.elapsed_time'], tvb, v, 2, t * 10, `Elapsed time: ${t * 10}ms`);
      return;
    }
    case 9: {
      const sub = ctx.add(node, dhcpv6Protocol.field, tvb, v, len, null);
      const outer = msg.type;
      dissectMessage(tvb, ctx, sub, v, v + len, msg);
      // The relayed message's options stopping early does not stop the relay's.
      msg.stopped = false;
      msg.type = outer;
      return;
    }
    case 11:
      if (len < 11) return malformed(ctx, tvb, v, node, 'AUTH');
      ctx.add(node, F['dhcpv6.auth.protocol'], tvb, v, 1, tvb.u8(v));
      ctx.add(node, F['dhcpv6.auth.algorithm'], tvb, v + 1, 1, tvb.u8(v + 1));
      ctx.add(node, F['dhcpv6.auth.rdm'], tvb, v + 2, 1, tvb.u8(v + 2));
      ctx.add(node, F['dhcpv6.auth.replay_detection'], tvb, v + 3, 8, tvb.slice(v + 3, 8));
      if (len > 11) ctx.add(node, F['dhcpv6.auth.info'], tvb, v + 11, len - 11, tvb.slice(v + 11, len - 11));
      return;
    case 12:
      if (len !== 16) return malformed(ctx, tvb, v, node, 'UNICAST');
      ctx.add(node, F['dhcpv6.unicast'], tvb, v, 16, tvb.slice(v, 16));
      return;
    case 13:
      // tshark reads the code as two bytes even when the option has one.
      ctx.add(node, F['dhcpv6.status_code'], tvb, v, 2, tvb.u16(v));
      if (len > 2) addString(ctx, node, F['dhcpv6.status_msg'], tvb, v + 2, len - 2);
      return;
    case 15: {
      let o = v;
      while (o + 2 <= v + len) {
        const n = tvb.u16(o);
        if (o + 2 + n > v + len) return malformed(ctx, tvb, v, node, '', 'User Class: suboption too long');
        const s = ctx.addText(node, tvb, o, 2 + n, 'User Class suboption');
        ctx.add(s, F['dhcpv6.userclass.length'], tvb, o, 2, n);
        ctx.add(s, F['dhcpv6.userclass.opaque_data'], tvb, o + 2, n, tvb.slice(o + 2, n));
        o += 2 + n;
      }
      return;
    }
    case 16: {
      if (len < 4) return malformed(ctx, tvb, v, node, 'VENDOR_CLASS');
      const e = tvb.u32(v);
      ctx.add(node, F['dhcpv6.vendorclass.enterprise'], tvb, v, 4, e, `Enterprise ID: ${enterprise(e)}`);
      // tshark shows one vendor-class-data: the rest of the option after the first data length.
      if (len > 6) ctx.add(node, F['dhcpv6.vendorclass.data'], tvb, v + 6, len - 6, cstr(tvb, v + 6, len - 6));
      return;
    }
    case 17: {
      if (len < 4) return malformed(ctx, tvb, v, node, 'VENDOR_OPTS');
      const e = tvb.u32(v);
      ctx.add(node, F['dhcpv6.vendoropts.enterprise'], tvb, v, 4, e, `Enterprise ID: ${enterprise(e)}`);
      let o = v + 4;
      while (o + 4 <= v + len) {
        const c = tvb.u16(o), n = tvb.u16(o + 2);
        const s = ctx.addText(node, tvb, o, 4 + n, 'option');
        ctx.add(s, F['dhcpv6.vendoropts.enterprise.option_code'], tvb, o, 2, c);
        ctx.add(s, F['dhcpv6.vendoropts.enterprise.option_length'], tvb, o + 2, 2, n);
        ctx.add(s, F['dhcpv6.vendoropts.enterprise.option_data'], tvb, o + 4, n, tvb.slice(o + 4, n));
        o += 4 + n;
      }
      return;
    }
    case 18:
      ctx.add(node, F['dhcpv6.interface_id'], tvb, v, len, tvb.slice(v, len));
      return;
    case 19:
      if (len !== 1) return malformed(ctx, tvb, v, node, 'RECONF_MSG');
      ctx.add(node, F['dhcpv6.reconf_msg'], tvb, v, 1, tvb.u8(v));
      return;
    case 22:
    case 23:
    case 31: {
      if (code === 23 && len % 16 !== 0) return malformed(ctx, tvb, v, node, 'DNS servers address');
      const def = code === 22 ? F['dhcpv6.sip_server_a'] : code === 23 ? F['dhcpv6.dns_server'] : F['dhcpv6.sntp_server'];
      for (let i = 0; i + 16 <= len; i += 16) {
        const a = tvb.slice(v + i, 16);
        // tshark numbers DNS and SNTP servers (" 1 DNS server address: ..."), not SIP ones.
        ctx.add(node, def, tvb, v + i, 16, a, code === 22 ? undefined : ` ${i / 16 + 1} ${def.label}: ${formatIPv6(a)}`);
      }
      return;
    }
    case 24: {
      const list = ctx.addText(node, tvb, v, len, 'Domain name suffix search list');
      for (const n of domainNames(tvb, v, v + len)[0]) ctx.add(list, F['dhcpv6.search_list_entry'], tvb, v, len, n);
      return;
    }
    case 21: {
      const list = ctx.addText(node, tvb, v, len, 'SIP Servers Domain Search List');
      for (const n of domainNames(tvb, v, v + len)[0]) ctx.add(list, F['dhcpv6.sip_server_domain_search_fqdn'], tvb, v, len, n);
      return;
    }
    case 37: {
      if (len < 4) return malformed(ctx, tvb, v, node, 'REMOTE_ID');
      const e = tvb.u32(v);
      ctx.add(node, F['dhcpv6.remoteid.enterprise'], tvb, v, 4, e, `Enterprise ID: ${enterprise(e)}`);
      if (len > 4) ctx.add(node, F['dhcpv6.remoteid_enterprise_id'], tvb, v + 4, len - 4, tvb.slice(v + 4, len - 4));
      return;
    }
    case 38:
      addString(ctx, node, F['dhcpv6.subscriber_id'], tvb, v, len);
      return;
    case 41:
      addString(ctx, node, F['dhcpv6.timezone'], tvb, v, len);
      return;
    case 42:
      addString(ctx, node, F['dhcpv6.tzdb'], tvb, v, len);
      return;
    case 56: {
      let o = v;
      while (o + 4 <= v + len) {
        const c = tvb.u16(o), n = tvb.u16(o + 2);
        const sub = ctx.addText(node, tvb, o, 4 + n, NTP_SUBOPTIONS[c] ?? `NTP Server suboption ${c}`);
        ctx.add(sub, F['dhcpv6.ntpserver.option.type'], tvb, o, 2, c);
        ctx.add(sub, F['dhcpv6.ntpserver.option.length'], tvb, o + 2, 2, n);
        const d = o + 4;
        if ((c === 1 || c === 2) && n === 16) ctx.add(sub, c === 1 ? F['dhcpv6.ntpserver.addr'] : F['dhcpv6.ntpserver.mc_addr'], tvb, d, 16, tvb.slice(d, 16));
        else if (c === 3) for (const name of domainNames(tvb, d, d + n)[0]) ctx.add(sub, F['dhcpv6.ntpserver.fqdn'], tvb, d, n, name);
        o = d + n;
      }
      return;
    }
    case 32:
      if (len !== 4) return malformed(ctx, tvb, v, node, 'LIFETIME');
      ctx.add(node, F['dhcpv6.lifetime'], tvb, v, 4, tvb.u32(v));
      return;
    case 39: {
      if (len < 1) return malformed(ctx, tvb, v, node, 'FQDN');
      if (![1, 2, 3, 5, 6, 7].includes(msg.type)) {
        // RFC 4704 §5: tshark decodes the option in these six message types only.
        const bad = ctx.add(node, F['dhcpv6.clientfqdn.bad_msgtype'], tvb, v, len, msg.type,
          'Only the following message types are permitted to use OPTION_CLIENT_FQDN:\nSOLICIT, REQUEST, RENEW, REBIND, ADVERTISE, and REPLY');
        const e = F['dhcpv6.bad_msgtype'];
        ctx.addExpert(ctx.add(bad, e, tvb, v, len, null), 'error', 'protocol', e.label);
        return;
      }
      dissectFqdnFlags(tvb, ctx, node, v, msg.type === 2 || msg.type === 7);
      if (len === 1) {
        ctx.addText(node, tvb, v, 1, 'Empty domain field: the client requests the server to provide a domain name');
      } else {
        const [names, complete] = domainNames(tvb, v + 1, v + len);
        for (const d of names) {
          if (complete && d.indexOf('.') === d.length - 1) {
            // A single label: tshark's TLD item and its warning.
            const t = ctx.add(node, F['dhcpv6.tld'], tvb, v + 1, len - 1, d);
            ctx.addExpert(ctx.addText(t, tvb, v + 1, len - 1, 'WARNING: TLDs are rarely resolvable '), 'warn', 'comment', 'WARNING: TLDs are rarely resolvable ');
          } else {
            // A name without its root label is "Partial domain name" in the tree, the same field.
            ctx.add(node, F['dhcpv6.client_domain'], tvb, v + 1, len - 1, d, complete ? undefined : `Partial domain name: ${d}`);
          }
        }
      }
      return;
    }
  }
}

/**
 * The Client FQDN flags (RFC 4704 §4.1) as tshark words them: a client's message has N and S,
 * a server's (Advertise, Reply) N, O and S, each with its own summary.
 */
function dissectFqdnFlags(tvb: Tvb, ctx: PacketContext, node: FieldNode, v: number, server: boolean): void {
  const f = tvb.u8(v);
  const n = (f & 4) !== 0, o = (f & 2) !== 0, s = (f & 1) !== 0;
  let what: string;
  if (server) {
    what = n
      ? s ? "ERROR: SERVER SHALL NOT perform *any* DNS updates in which case         the 'S' bit MUST be 0" : 'CLIENT SHALL update AAAA RRs; SERVER SHALL NOT perform any DNS updates'
      : s ? 'SERVER SHALL update both AAAA and PTR RRs' : 'CLIENT SHALL update AAAA RRs; SERVER SHALL update PTR RRs';
    if (o && !n) what += "]\n[Server has overridden the client's S bit";
  } else {
    what = n
      ? s ? "ERROR: CLIENT prefers that the server not perform *any* DNS updates\n        In which case the 'S' bit MUST be 0" : 'CLIENT prefers that the server not perform *any* DNS updates'
      : s ? 'CLIENT wants SERVER to update both its AAAA and PTR RRs' : 'CLIENT wants to update its AAAA RRs and SERVER to update its PTR RRs';
  }
  const fl = ctx.add(node, F['dhcpv6.client_fqdn_flags'], tvb, v, 1, f, `Flags: 0x${f.toString(16).padStart(2, '0')}  [${what}]`);
  if (server) {
    ctx.add(fl, F['dhcpv6.clientfqdn.server.n'], tvb, v, 1, n);
    ctx.add(fl, F['dhcpv6.clientfqdn.server.o'], tvb, v, 1, o);
    ctx.add(fl, F['dhcpv6.clientfqdn.server.s'], tvb, v, 1, s);
  } else {
    ctx.add(fl, F['dhcpv6.clientfqdn.client.n'], tvb, v, 1, n);
    ctx.add(fl, F['dhcpv6.clientfqdn.client.s'], tvb, v, 1, s);
  }
  if (n && s) {
    const e = 'ERROR: When the N-bit is set, the S-bit must be reset';
    ctx.addExpert(ctx.addText(node, tvb, v, 1, e), 'error', 'protocol', e);
  }
}

/** One message from `o` to `end` under `node`; `msg.info` collects the Info column. */
function dissectMessage(tvb: Tvb, ctx: PacketContext, node: FieldNode, o: number, end: number, msg: Msg): void {
  const type = tvb.u8(o);
  msg.type = type;
  ctx.add(node, F['dhcpv6.msgtype'], tvb, o, 1, type);
  const name = MSG_TYPES[type] ?? `Message Type ${type}`;
  if (type === 12 || type === 13) {
    // The name goes to Info before the header is read: a cut header leaves "Relay-forw ".
    msg.info += `${name} `;
    ctx.add(node, F['dhcpv6.hopcount'], tvb, o + 1, 1, tvb.u8(o + 1));
    const link = tvb.slice(o + 2, 16);
    ctx.add(node, F['dhcpv6.linkaddr'], tvb, o + 2, 16, link);
    ctx.add(node, F['dhcpv6.peeraddr'], tvb, o + 18, 16, tvb.slice(o + 18, 16));
    msg.info += `L: ${formatIPv6(link)} `;
    return dissectOptions(tvb, ctx, node, o + 34, end, msg);
  }
  const xid = tvb.u32(o) & 0xffffff;
  ctx.add(node, F['dhcpv6.xid'], tvb, o + 1, 3, xid, `Transaction ID: ${xidHex(xid)}`);
  msg.info += `${name} XID: ${xidHex(xid)} `;
  dissectOptions(tvb, ctx, node, o + 4, end, msg);
}

function dissectDhcpv6(tvb: Tvb, ctx: PacketContext, node: FieldNode): boolean {
  // No captured byte of the payload (a snaplen at the UDP header): tshark's UDP does not call DHCPv6.
  if (tvb.length === 0) return false;
  ctx.protocol = 'DHCPv6';
  const msg: Msg = { info: '', type: 0, stopped: false };
  try {
    dissectMessage(tvb, ctx, node, 0, tvb.reportedLength, msg);
  } finally {
    ctx.info = msg.info;
  }
  return true;
}

export const dhcpv6Protocol = defineProtocol('dhcpv6', 'DHCPv6', dissectDhcpv6, 'DHCPv6');

for (const port of [546, 547]) register('udp.port', port, dhcpv6Protocol);

// Cisco Discovery Protocol (SNAP OUI 00:00:0c, PID 0x2000) as tshark 4.0's packet-cdp.c shows
// it: version, TTL, a checksum verified CDP's own way, then type/length/value records, each a
// subtree titled by its value with its Type and Length lines first.
import { addVerifiedChecksum, cdpChecksum, CHECKSUM_STATUS_NAMES } from '../checksum.js';
import { defineFields, type FieldDef } from '../field.js';
import { callProtocol, defineProtocol, register } from '../dispatch.js';
import { formatEther, formatIPv4, formatIPv6, hexBytes, printableText } from '../format.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';

// type_vals in packet-cdp.c (tshark -G values for cdp.tlv.type).
const TLV_TYPES: Record<number, string> = {
  0x01: 'Device ID', 0x02: 'Addresses', 0x03: 'Port ID', 0x04: 'Capabilities', 0x05: 'Software version', 0x06: 'Platform',
  0x07: 'IP Prefix/Gateway (used for ODR)', 0x08: 'Protocol Hello', 0x09: 'VTP Management Domain', 0x0a: 'Native VLAN', 0x0b: 'Duplex',
  0x0e: 'VoIP VLAN Reply', 0x0f: 'VoIP VLAN Query', 0x10: 'Power consumption', 0x11: 'MTU', 0x12: 'Trust Bitmap', 0x13: 'Untrusted Port CoS',
  0x14: 'System Name', 0x15: 'System Object ID', 0x16: 'Management Address', 0x17: 'Location', 0x18: 'External Port-ID',
  0x19: 'Power Requested', 0x1a: 'Power Available', 0x1b: 'Port Unidirectional', 0x1d: 'EnergyWise', 0x1f: 'Spare PoE',
  0x1000: 'BSSID', 0x1001: 'Serial number', 0x1002: 'SSID', 0x1003: 'Radio1 channel', 0x1006: 'SNMP UDP port', 0x1007: 'Web TCP port',
  0x1008: 'Source MAC address', 0x1009: 'Radio2 channel', 0x100a: 'Radio1 Operating mode', 0x100b: 'Radio2 Operating mode',
  0x100c: 'Radio1 Radio mode', 0x100d: 'Radio2 Radio mode',
};
const HELLO_PROTOCOLS: Record<number, string> = { 0x0112: 'Cluster Management' };
const PROTOCOL_TYPES: Record<number, string> = { 0x01: 'NLPID', 0x02: '802.2' };

const yesNo = ['Yes', 'No'] as const;
export const cdpFields = defineFields([
  { name: 'cdp.version', label: 'Version', type: 'uint8' },
  { name: 'cdp.ttl', label: 'TTL', type: 'uint8', unit: ' seconds' },
  { name: 'cdp.checksum', label: 'Checksum', type: 'uint16', base: 'hex' },
  { name: 'cdp.checksum.status', label: 'Checksum Status', type: 'uint8', base: 'none', values: CHECKSUM_STATUS_NAMES },
  { name: 'cdp.tlv.type', label: 'Type', type: 'uint16', base: 'hex', values: TLV_TYPES },
  { name: 'cdp.tlv.len', label: 'Length', type: 'uint16' },
  { name: 'cdp.deviceid', label: 'Device ID', type: 'string' },
  { name: 'cdp.platform', label: 'Platform', type: 'string' },
  { name: 'cdp.portid', label: 'Sent through Interface', type: 'string' },
  { name: 'cdp.capabilities', label: 'Capabilities', type: 'uint32', base: 'hex' },
  { name: 'cdp.capabilities.router', label: 'Router', type: 'boolean', mask: 0x1, tf: yesNo },
  { name: 'cdp.capabilities.trans_bridge', label: 'Transparent Bridge', type: 'boolean', mask: 0x2, tf: yesNo },
  { name: 'cdp.capabilities.src_bridge', label: 'Source Route Bridge', type: 'boolean', mask: 0x4, tf: yesNo },
  { name: 'cdp.capabilities.switch', label: 'Switch', type: 'boolean', mask: 0x8, tf: yesNo },
  { name: 'cdp.capabilities.host', label: 'Host', type: 'boolean', mask: 0x10, tf: yesNo },
  { name: 'cdp.capabilities.igmp_capable', label: 'IGMP capable', type: 'boolean', mask: 0x20, tf: yesNo },
  { name: 'cdp.capabilities.repeater', label: 'Repeater', type: 'boolean', mask: 0x40, tf: yesNo },
  { name: 'cdp.capabilities.voip_phone', label: 'VoIP Phone', type: 'boolean', mask: 0x80, tf: yesNo },
  { name: 'cdp.capabilities.remote', label: 'Remotely Managed Device', type: 'boolean', mask: 0x100, tf: yesNo },
  { name: 'cdp.capabilities.cvta', label: 'CVTA/STP Dispute Resolution/Cisco VT Camera', type: 'boolean', mask: 0x200, tf: yesNo },
  { name: 'cdp.capabilities.mac_relay', label: 'Two Port Mac Relay', type: 'boolean', mask: 0x400, tf: yesNo },
  { name: 'cdp.number_of_addresses', label: 'Number of addresses', type: 'uint32' },
  { name: 'cdp.protocol_type', label: 'Protocol type', type: 'uint8', base: 'hex', values: PROTOCOL_TYPES },
  { name: 'cdp.protocol_length', label: 'Protocol length', type: 'uint8' },
  { name: 'cdp.protocol', label: 'Protocol', type: 'bytes' },
  { name: 'cdp.address_length', label: 'Address length', type: 'uint16' },
  { name: 'cdp.nrgyz.ip_address', label: 'IP Address', type: 'ipv4' },
  { name: 'cdp.nrgyz.ipv6_address', label: 'IPv6 Address', type: 'ipv6' },
  { name: 'cdp.address', label: 'Address', type: 'bytes' },
  { name: 'cdp.odr_default_gateway', label: 'ODR Default gateway', type: 'ipv4' },
  { name: 'cdp.ip_prefix', label: 'IP Prefix', type: 'ipv4' },
  { name: 'cdp.oui', label: 'OUI', type: 'uint24' },
  { name: 'cdp.protocol_id', label: 'Protocol ID', type: 'uint16', base: 'hex', values: HELLO_PROTOCOLS },
  { name: 'cdp.cluster.master_ip', label: 'Cluster Master IP', type: 'ipv4' },
  { name: 'cdp.cluster.ip', label: 'IP?', type: 'ipv4' },
  { name: 'cdp.cluster.version', label: 'Version?', type: 'uint8', base: 'hex' },
  { name: 'cdp.cluster.sub_version', label: 'Sub Version?', type: 'uint8', base: 'hex' },
  { name: 'cdp.cluster.status', label: 'Status?', type: 'uint8', base: 'hex' },
  { name: 'cdp.cluster.unknown', label: 'UNKNOWN', type: 'uint8', base: 'hex' },
  { name: 'cdp.cluster.commander_mac', label: 'Cluster Commander MAC', type: 'ether' },
  { name: 'cdp.cluster.switch_mac', label: "Switch's MAC", type: 'ether' },
  { name: 'cdp.cluster.management_vlan', label: 'Management VLAN', type: 'uint16' },
  { name: 'cdp.hello.unknown', label: 'Unknown', type: 'bytes' },
  { name: 'cdp.vtp_management_domain', label: 'VTP Management Domain', type: 'string' },
  { name: 'cdp.native_vlan', label: 'Native VLAN', type: 'uint16' },
  { name: 'cdp.duplex', label: 'Duplex', type: 'boolean', tf: ['Full', 'Half'] },
  { name: 'cdp.data', label: 'Data', type: 'bytes' },
  { name: 'cdp.voice_vlan', label: 'Voice VLAN', type: 'uint16' },
  { name: 'cdp.power_consumption', label: 'Power Consumption', type: 'uint16' },
  { name: 'cdp.request_id', label: 'Request-ID', type: 'uint16' },
  { name: 'cdp.management_id', label: 'Management-ID', type: 'uint16' },
  { name: 'cdp.power_requested', label: 'Power Requested', type: 'uint32' },
  { name: 'cdp.power_available', label: 'Power Available', type: 'uint32' },
  { name: 'cdp.spare_poe_tlv', label: 'Spare Pair PoE', type: 'uint8', base: 'hex' },
  { name: 'cdp.spare_poe_tlv.poe', label: 'PSE Four-Wire PoE', type: 'boolean', mask: 0x1, tf: ['Supported', 'Not supported'] },
  { name: 'cdp.spare_poe_tlv.spare_pair_arch', label: 'PD Spare Pair Architecture', type: 'boolean', mask: 0x2, tf: ['Shared', 'Independent'] },
  { name: 'cdp.spare_poe_tlv.req_spare_pair_poe', label: 'PD Request Spare Pair PoE', type: 'boolean', mask: 0x4, tf: ['On', 'Off'] },
  { name: 'cdp.spare_poe_tlv.pse_spare_pair_poe', label: 'PSE Spare Pair PoE', type: 'boolean', mask: 0x8, tf: ['On', 'Off'] },
  { name: 'cdp.mtu', label: 'MTU', type: 'uint32' },
  { name: 'cdp.trust_bitmap', label: 'Trust Bitmap', type: 'uint8', base: 'hex' },
  { name: 'cdp.untrusted_port_cos', label: 'Untrusted port CoS', type: 'uint8', base: 'hex' },
  { name: 'cdp.system_name', label: 'System Name', type: 'string' },
  { name: 'cdp.system_object_identifier', label: 'System Object Identifier', type: 'bytes' },
  { name: 'cdp.location.unknown', label: 'UNKNOWN', type: 'uint8', base: 'hex' },
  { name: 'cdp.location', label: 'Location', type: 'string' },
  { name: 'cdp.software_version', label: 'Software version', type: 'string' },
] as const);
const F = cdpFields;

/** The Type and Length lines every TLV subtree starts with. */
function typeLength(ctx: PacketContext, tlv: FieldNode, tvb: Tvb, o: number, len: number): void {
  ctx.add(tlv, F['cdp.tlv.type'], tvb, o, 2, tvb.u16(o));
  ctx.add(tlv, F['cdp.tlv.len'], tvb, o + 2, 2, len);
}

/** Text up to the first NUL, as tvb_format_stringzpad and FT_STRING show it. */
function text(tvb: Tvb, o: number, n: number): string {
  const s = tvb.ascii(o, Math.max(0, n));
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

function addChecksum(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  const ck = tvb.u16(2);
  addVerifiedChecksum(ctx, node, tvb, 2, { checksum: F['cdp.checksum'], status: F['cdp.checksum.status'] }, ck, cdpChecksum(tvb.slice(0, tvb.reportedLength)), 'error');
}

/** One address of an Addresses or Management Address TLV; returns its size. */
function addAddress(tvb: Tvb, ctx: PacketContext, parent: FieldNode, o: number): number {
  const ptype = tvb.u8(o), plen = tvb.u8(o + 1);
  const alen = tvb.u16(o + 2 + plen);
  const size = 4 + plen + alen;
  const proto = tvb.slice(o + 2, plen);
  // NLPID 0xcc is IPv4; the 802.2 SNAP header aaaa0300000086dd is IPv6.
  const isIp = ptype === 1 && plen === 1 && proto[0] === 0xcc && alen === 4;
  const isIp6 = ptype === 2 && plen === 8 && hexBytes(proto) === 'aaaa0300000086dd' && alen === 16;
  const ao = o + 4 + plen;
  const title = isIp ? `IP address: ${formatIPv4(tvb.u32(ao))}` : isIp6 ? `IPv6 address: ${formatIPv6(tvb.slice(ao, 16))}` : 'Address';
  const a = ctx.addText(parent, tvb, o, size, title);
  ctx.add(a, F['cdp.protocol_type'], tvb, o, 1, ptype);
  ctx.add(a, F['cdp.protocol_length'], tvb, o + 1, 1, plen);
  ctx.add(a, F['cdp.protocol'], tvb, o + 2, plen, proto, isIp ? () => 'Protocol: IP' : isIp6 ? () => 'Protocol: IPv6' : undefined);
  ctx.add(a, F['cdp.address_length'], tvb, o + 2 + plen, 2, alen);
  if (isIp) ctx.add(a, F['cdp.nrgyz.ip_address'], tvb, ao, 4, tvb.u32(ao));
  else if (isIp6) ctx.add(a, F['cdp.nrgyz.ipv6_address'], tvb, ao, 16, tvb.slice(ao, 16));
  else ctx.add(a, F['cdp.address'], tvb, ao, alen, tvb.slice(ao, alen));
  return size;
}

function addAddresses(tvb: Tvb, ctx: PacketContext, tlv: FieldNode, o: number, len: number): void {
  const n = tvb.u32(o + 4);
  ctx.add(tlv, F['cdp.number_of_addresses'], tvb, o + 4, 4, n);
  let p = o + 8;
  for (let i = 0; i < n && p < o + len; i++) p += addAddress(tvb, ctx, tlv, p);
}

const CAPABILITY_BITS = [
  F['cdp.capabilities.router'], F['cdp.capabilities.trans_bridge'], F['cdp.capabilities.src_bridge'], F['cdp.capabilities.switch'],
  F['cdp.capabilities.host'], F['cdp.capabilities.igmp_capable'], F['cdp.capabilities.repeater'], F['cdp.capabilities.voip_phone'],
  F['cdp.capabilities.remote'], F['cdp.capabilities.cvta'], F['cdp.capabilities.mac_relay'],
];

const SPARE_POE_BITS = [
  F['cdp.spare_poe_tlv.poe'], F['cdp.spare_poe_tlv.spare_pair_arch'], F['cdp.spare_poe_tlv.req_spare_pair_poe'], F['cdp.spare_poe_tlv.pse_spare_pair_poe'],
];

/** A flags word of `width` bytes and a line per bit under it. */
function addFlags(ctx: PacketContext, parent: FieldNode, tvb: Tvb, o: number, width: 1 | 4, field: FieldDef, bits: readonly FieldDef[]): void {
  const value = width === 4 ? tvb.u32(o) : tvb.u8(o);
  const n = ctx.add(parent, field, tvb, o, width, value);
  for (const bit of bits) ctx.add(n, bit, tvb, o, width, (value & bit.mask!) !== 0);
}

function addClusterHello(tvb: Tvb, ctx: PacketContext, tlv: FieldNode, o: number): void {
  ctx.add(tlv, F['cdp.cluster.master_ip'], tvb, o, 4, tvb.u32(o));
  ctx.add(tlv, F['cdp.cluster.ip'], tvb, o + 4, 4, tvb.u32(o + 4));
  ctx.add(tlv, F['cdp.cluster.version'], tvb, o + 8, 1, tvb.u8(o + 8));
  ctx.add(tlv, F['cdp.cluster.sub_version'], tvb, o + 9, 1, tvb.u8(o + 9));
  ctx.add(tlv, F['cdp.cluster.status'], tvb, o + 10, 1, tvb.u8(o + 10));
  ctx.add(tlv, F['cdp.cluster.unknown'], tvb, o + 11, 1, tvb.u8(o + 11));
  ctx.add(tlv, F['cdp.cluster.commander_mac'], tvb, o + 12, 6, tvb.slice(o + 12, 6));
  ctx.add(tlv, F['cdp.cluster.switch_mac'], tvb, o + 18, 6, tvb.slice(o + 18, 6));
  ctx.add(tlv, F['cdp.cluster.unknown'], tvb, o + 24, 1, tvb.u8(o + 24));
  ctx.add(tlv, F['cdp.cluster.management_vlan'], tvb, o + 25, 2, tvb.u16(o + 25));
}

/** Adds one TLV at `o` of `len` bytes (len ≥ 4); returns the bytes it took. */
function addTlv(tvb: Tvb, ctx: PacketContext, node: FieldNode, o: number, type: number, len: number, info: string[]): number {
  const v = o + 4, vlen = len - 4;
  const sub = (title: string) => {
    const t = ctx.addText(node, tvb, o, len, title);
    typeLength(ctx, t, tvb, o, len);
    return t;
  };
  switch (type) {
    case 0x01: {
      const id = text(tvb, v, vlen);
      info.push(`Device ID: ${printableText(id)}  `);
      ctx.add(sub(`Device ID: ${printableText(id)}`), F['cdp.deviceid'], tvb, v, vlen, id);
      return len;
    }
    case 0x02:
      addAddresses(tvb, ctx, sub('Addresses'), o, len);
      return len;
    case 0x03: {
      // packet-cdp.c: when the byte after the TLV is not 0 (the next type's high byte), the
      // length is taken as 3 short (one capture had it so).
      const real = o + len < tvb.reportedLength && tvb.u8(o + len) !== 0 ? len + 3 : len;
      const port = text(tvb, v, real - 4);
      info.push(`Port ID: ${printableText(text(tvb, v, vlen))}  `);
      const t = ctx.addText(node, tvb, o, real, `Port ID: ${printableText(port)}`);
      typeLength(ctx, t, tvb, o, len);
      ctx.add(t, F['cdp.portid'], tvb, v, real - 4, port);
      return real;
    }
    case 0x04: {
      addFlags(ctx, sub('Capabilities'), tvb, v, 4, F['cdp.capabilities'], CAPABILITY_BITS);
      return len;
    }
    case 0x05: {
      // One line per line of the text, as packet-cdp.c's add_multi_line_string_to_tree.
      const t = sub('Software Version');
      const s = tvb.ascii(v, vlen);
      let p = 0;
      while (p < vlen) {
        const nl = s.indexOf('\n', p);
        const end = nl < 0 ? vlen : nl;
        const line = s.slice(p, end);
        const nul = line.indexOf('\0');
        ctx.add(t, F['cdp.software_version'], tvb, v + p, end - p, nul < 0 ? line : line.slice(0, nul));
        p = nl < 0 ? vlen : nl + 1;
      }
      return len;
    }
    case 0x06: {
      const s = text(tvb, v, vlen);
      ctx.add(sub(`Platform: ${printableText(s)}`), F['cdp.platform'], tvb, v, vlen, s);
      return len;
    }
    case 0x07: {
      if (len === 8) {
        const gw = tvb.u32(v);
        ctx.add(sub(`ODR Default gateway: ${formatIPv4(gw)}`), F['cdp.odr_default_gateway'], tvb, v, 4, gw);
        return len;
      }
      // packet-cdp.c counts length/5 prefixes (the 4-byte header rounds away).
      const t = sub(`IP Prefixes: ${Math.floor(len / 5)}`);
      for (let p = v; p < o + len; p += 5) {
        const ip = tvb.u32(p), bits = tvb.u8(p + 4);
        // tshark 4.0 adds the field's value little-endian (-T fields shows 10.118.10.0 as
        // 0.10.118.10) while the line shows it right; the value is kept as tshark filters it.
        const asTshark = tvb.u32le(p);
        ctx.add(t, F['cdp.ip_prefix'], tvb, p, 5, asTshark, () => `IP Prefix: ${formatIPv4(ip)}/${bits}`);
      }
      return len;
    }
    case 0x08: {
      const pid = tvb.u16(v + 3);
      const t = sub(`Protocol Hello: ${HELLO_PROTOCOLS[pid] ?? `Unknown (0x${pid.toString(16).padStart(4, '0')})`}`);
      const oui = tvb.u24(v);
      ctx.add(t, F['cdp.oui'], tvb, v, 3, oui, () => `OUI: ${formatEther(tvb.slice(v, 3))}${oui === 0x00000c ? ' (Cisco Systems, Inc)' : ''}`);
      ctx.add(t, F['cdp.protocol_id'], tvb, v + 3, 2, pid);
      if (pid === 0x0112) addClusterHello(tvb, ctx, t, v + 5);
      else ctx.add(t, F['cdp.hello.unknown'], tvb, v + 5, vlen - 5, tvb.slice(v + 5, vlen - 5));
      return len;
    }
    case 0x09: {
      const s = text(tvb, v, vlen);
      ctx.add(sub(`VTP Management Domain: ${printableText(s)}`), F['cdp.vtp_management_domain'], tvb, v, vlen, s);
      return len;
    }
    case 0x0a: {
      const vlan = tvb.u16(v);
      ctx.add(sub(`Native VLAN: ${vlan}`), F['cdp.native_vlan'], tvb, v, 2, vlan);
      return len;
    }
    case 0x0b: {
      const full = tvb.u8(v) !== 0;
      ctx.add(sub(`Duplex: ${full ? 'Full' : 'Half'}`), F['cdp.duplex'], tvb, v, 1, full);
      return len;
    }
    case 0x10: {
      const mw = tvb.u16(v);
      // tshark's title has a space before the unit, its item none.
      ctx.add(sub(`Power Consumption: ${mw} mW`), F['cdp.power_consumption'], tvb, v, 2, mw, () => `Power Consumption: ${mw}mW`);
      return len;
    }
    case 0x0e:
    case 0x0f: {
      // VoIP VLAN Reply/Query: a data byte, then the voice VLAN when there is room for it.
      const name = TLV_TYPES[type]!;
      const t = sub(len >= 7 ? `${name}: VLAN ${tvb.u16(v + 1)}` : name);
      ctx.add(t, F['cdp.data'], tvb, v, 1, tvb.slice(v, 1));
      if (len >= 7) ctx.add(t, F['cdp.voice_vlan'], tvb, v + 1, 2, tvb.u16(v + 1));
      return len;
    }
    case 0x15:
      ctx.add(sub('System Object Identifier'), F['cdp.system_object_identifier'], tvb, v, vlen, tvb.slice(v, vlen));
      return len;
    case 0x19:
    case 0x1a: {
      // Request-ID, Management-ID, then 32-bit milliwatt values.
      const f = type === 0x19 ? F['cdp.power_requested'] : F['cdp.power_available'];
      const values: number[] = [];
      for (let p = v + 4; p + 4 <= o + len; p += 4) values.push(tvb.u32(p));
      // The Power Requested TLV's title says "Power Request" in tshark 4.0.
      const t = sub(`${type === 0x19 ? 'Power Request' : 'Power Available'}: ${values.map((mw) => `${mw} mW`).join(', ')}`);
      ctx.add(t, F['cdp.request_id'], tvb, v, 2, tvb.u16(v));
      ctx.add(t, F['cdp.management_id'], tvb, v + 2, 2, tvb.u16(v + 2));
      values.forEach((mw, i) => ctx.add(t, f, tvb, v + 4 + 4 * i, 4, mw, () => `${f.label}: ${mw}mW`));
      return len;
    }
    case 0x1f: {
      addFlags(ctx, sub('Spare Pair PoE'), tvb, v, 1, F['cdp.spare_poe_tlv'], SPARE_POE_BITS);
      return len;
    }
    case 0x11: {
      const mtu = tvb.u32(v);
      ctx.add(sub(`MTU: ${mtu}`), F['cdp.mtu'], tvb, v, 4, mtu);
      return len;
    }
    case 0x12: {
      const b = tvb.u8(v);
      ctx.add(sub(`Trust Bitmap: 0x${b.toString(16).padStart(2, '0')}`), F['cdp.trust_bitmap'], tvb, v, 1, b);
      return len;
    }
    case 0x13: {
      const b = tvb.u8(v);
      ctx.add(sub(`Untrusted port CoS: 0x${b.toString(16).padStart(2, '0')}`), F['cdp.untrusted_port_cos'], tvb, v, 1, b);
      return len;
    }
    case 0x14: {
      const s = text(tvb, v, vlen);
      ctx.add(sub(`System Name: ${printableText(s)}`), F['cdp.system_name'], tvb, v, vlen, s);
      return len;
    }
    case 0x16:
      addAddresses(tvb, ctx, sub('Management Addresses'), o, len);
      return len;
    case 0x17: {
      const s = text(tvb, v + 1, vlen - 1);
      const t = sub(`Location: ${printableText(s)}`);
      ctx.add(t, F['cdp.location.unknown'], tvb, v, 1, tvb.u8(v));
      ctx.add(t, F['cdp.location'], tvb, v + 1, vlen - 1, s);
      return len;
    }
    default: {
      // val_to_str: a known name alone, an unknown type with its number.
      const t = sub(`Type: ${TLV_TYPES[type] ?? `Unknown (0x${type.toString(16).padStart(4, '0')})`}, length: ${len}`);
      if (vlen > 0) ctx.add(t, F['cdp.data'], tvb, v, vlen, tvb.slice(v, vlen));
      return len;
    }
  }
}

function dissectCdp(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = 'CDP';
  ctx.info = '';
  ctx.add(node, F['cdp.version'], tvb, 0, 1, tvb.u8(0));
  ctx.add(node, F['cdp.ttl'], tvb, 1, 1, tvb.u8(1));
  addChecksum(tvb, ctx, node);
  const info: string[] = [];
  try {
    let o = 4;
    while (o < tvb.reportedLength) {
      const type = tvb.u16(o), len = tvb.u16(o + 2);
      if (len < 4) {
        const t = ctx.addText(node, tvb, o, 4, `TLV with invalid length ${len} (< 4)`);
        typeLength(ctx, t, tvb, o, len);
        // packet-cdp.c gives up on the TLVs and shows what is left as data, inside CDP.
        if (o + 4 < tvb.reportedLength) callProtocol(dataProtocol, tvb.sub(o + 4), ctx, node);
        break;
      }
      o += addTlv(tvb, ctx, node, o, type, len, info);
    }
  } finally {
    // Info is built as TLVs are read (col_append_fstr), so a TLV running off the end keeps it.
    ctx.info = info.join('');
  }
}

export const cdpProtocol = defineProtocol('cdp', 'Cisco Discovery Protocol', dissectCdp);
// LLC hands SNAP payloads with Cisco's OUI on by PID (packet-llc.c's "llc.cisco_pid" table).
register('llc.cisco_pid', 0x2000, cdpProtocol);

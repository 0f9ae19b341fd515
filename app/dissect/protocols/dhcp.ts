// DHCP / BOOTP (RFC 2131, RFC 2132 options) on udp 67, 68 and 4011, as tshark 4.0 registers
// it. Info is tshark's "DHCP Discover - Transaction ID 0x7c0" (message type padded to 8
// characters); a BOOTP message without option 53 keeps "Boot Request from MAC (MAC)" /
// "Boot Reply". Quirk kept on purpose: tshark gives the End option's dhcp.option.type the
// value 0 (it is read as a 0-length field), and so do we.
import { ARPHRD_NAMES } from '../arphrd.js';
import { defineFields, type FieldDef } from '../field.js';
import { defineProtocol, register } from '../dispatch.js';
import { formatEther, formatIPv4 } from '../format.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';

const MSG_TYPES: Record<number, string> = {
  1: 'Discover', 2: 'Offer', 3: 'Request', 4: 'Decline', 5: 'ACK', 6: 'NAK', 7: 'Release', 8: 'Inform',
  9: 'Force Renew', 10: 'Lease query', 11: 'Lease Unassigned', 12: 'Lease Unknown', 13: 'Lease Active',
  14: 'Bulk Lease Query', 15: 'Lease Query Done', 16: 'Active LeaseQuery', 17: 'Lease Query Status', 18: 'TLS',
};

/** Option names (RFC 2132 and later), as the tree shows them: "Option: (53) DHCP Message Type". */
const OPTION_NAMES: Record<number, string> = {
  0: 'Padding', 1: 'Subnet Mask', 2: 'Time Offset', 3: 'Router', 4: 'Time Server', 5: 'Name Server',
  6: 'Domain Name Server', 7: 'Log Server', 12: 'Host Name', 15: 'Domain Name', 26: 'Interface MTU',
  28: 'Broadcast Address', 31: 'Perform Router Discover', 33: 'Static Route', 42: 'Network Time Protocol Servers',
  43: 'Vendor-Specific Information', 44: 'NetBIOS over TCP/IP Name Server',
  45: 'NetBIOS over TCP/IP Datagram Distribution Name Server', 46: 'NetBIOS over TCP/IP Node Type',
  47: 'NetBIOS over TCP/IP Scope', 50: 'Requested IP Address', 51: 'IP Address Lease Time',
  52: 'Option Overload', 53: 'DHCP Message Type', 54: 'DHCP Server Identifier', 55: 'Parameter Request List',
  56: 'Message', 57: 'Maximum DHCP Message Size', 58: 'Renewal Time Value', 59: 'Rebinding Time Value',
  60: 'Vendor class identifier', 61: 'Client identifier', 66: 'TFTP Server Name', 67: 'Bootfile name',
  77: 'User Class Information', 81: 'Client Fully Qualified Domain Name', 82: 'Agent Information Option',
  119: 'Domain Search', 121: 'Classless Static Route', 150: 'TFTP Server Address',
  249: 'Private/Classless Static Route (Microsoft)', 252: 'Private/Proxy autodiscovery', 255: 'End',
};

export const dhcpFields = defineFields([
  { name: 'dhcp.type', label: 'Message type', type: 'uint8', base: 'dec', values: { 1: 'Boot Request', 2: 'Boot Reply' } },
  { name: 'dhcp.hw.type', label: 'Hardware type', type: 'uint8', base: 'hex', values: ARPHRD_NAMES },
  { name: 'dhcp.hw.len', label: 'Hardware address length', type: 'uint8', base: 'dec' },
  { name: 'dhcp.hops', label: 'Hops', type: 'uint8', base: 'dec' },
  { name: 'dhcp.id', label: 'Transaction ID', type: 'uint32', base: 'hex' },
  { name: 'dhcp.secs', label: 'Seconds elapsed', type: 'uint16', base: 'dec' },
  { name: 'dhcp.flags', label: 'Bootp flags', type: 'uint16', base: 'hex' },
  { name: 'dhcp.flags.bc', label: 'Broadcast flag', type: 'boolean', mask: 0x8000, tf: ['Broadcast', 'Unicast'] },
  { name: 'dhcp.flags.reserved', label: 'Reserved flags', type: 'uint16', base: 'hex', mask: 0x7fff },
  { name: 'dhcp.ip.client', label: 'Client IP address', type: 'ipv4' },
  { name: 'dhcp.ip.your', label: 'Your (client) IP address', type: 'ipv4' },
  { name: 'dhcp.ip.server', label: 'Next server IP address', type: 'ipv4' },
  { name: 'dhcp.ip.relay', label: 'Relay agent IP address', type: 'ipv4' },
  { name: 'dhcp.hw.mac_addr', label: 'Client MAC address', type: 'ether' },
  { name: 'dhcp.hw.addr', label: 'Client hardware address', type: 'bytes' },
  { name: 'dhcp.hw.addr_padding', label: 'Client hardware address padding', type: 'bytes' },
  { name: 'dhcp.server', label: 'Server host name', type: 'string' },
  { name: 'dhcp.file', label: 'Boot file name', type: 'string' },
  { name: 'dhcp.cookie', label: 'Magic cookie', type: 'ipv4' },
  { name: 'dhcp.option.type', label: 'Option', type: 'uint8', base: 'dec', values: OPTION_NAMES },
  { name: 'dhcp.option.length', label: 'Length', type: 'uint8', base: 'dec' },
  { name: 'dhcp.option.value', label: 'Value', type: 'bytes' },
  { name: 'dhcp.option.end', label: 'Option End', type: 'uint8', base: 'dec' },
  { name: 'dhcp.option.padding', label: 'Padding', type: 'bytes' },
  { name: 'dhcp.option.dhcp', label: 'DHCP', type: 'uint8', base: 'dec', values: MSG_TYPES },
  { name: 'dhcp.option.subnet_mask', label: 'Subnet Mask', type: 'ipv4' },
  { name: 'dhcp.option.time_offset', label: 'Time Offset', type: 'int32', base: 'dec' },
  { name: 'dhcp.option.router', label: 'Router', type: 'ipv4' },
  { name: 'dhcp.option.time_server', label: 'Time Server', type: 'ipv4' },
  { name: 'dhcp.option.name_server', label: 'Name Server', type: 'ipv4' },
  { name: 'dhcp.option.domain_name_server', label: 'Domain Name Server', type: 'ipv4' },
  { name: 'dhcp.option.log_server', label: 'Log Server', type: 'ipv4' },
  { name: 'dhcp.option.hostname', label: 'Host Name', type: 'string' },
  { name: 'dhcp.option.domain_name', label: 'Domain Name', type: 'string' },
  { name: 'dhcp.option.interface_mtu', label: 'Interface MTU', type: 'uint16', base: 'dec' },
  { name: 'dhcp.option.broadcast_address', label: 'Broadcast Address', type: 'ipv4' },
  { name: 'dhcp.option.ntp_server', label: 'Network Time Protocol Server', type: 'ipv4' },
  { name: 'dhcp.option.netbios_over_tcpip_name_server', label: 'NetBIOS over TCP/IP Name Server', type: 'ipv4' },
  { name: 'dhcp.option.netbios_over_tcpip_dd_name_server', label: 'NetBIOS over TCP/IP Datagram Distribution Name Server', type: 'ipv4' },
  { name: 'dhcp.option.netbios_over_tcpip_node_type', label: 'NetBIOS over TCP/IP Node Type', type: 'uint8', base: 'dec', values: { 1: 'B-node', 2: 'P-node', 4: 'M-node', 8: 'H-node' } },
  { name: 'dhcp.option.requested_ip_address', label: 'Requested IP Address', type: 'ipv4' },
  { name: 'dhcp.option.ip_address_lease_time', label: 'IP Address Lease Time', type: 'uint32', base: 'dec' },
  { name: 'dhcp.option.dhcp_server_id', label: 'DHCP Server Identifier', type: 'ipv4' },
  { name: 'dhcp.option.request_list_item', label: 'Parameter Request List Item', type: 'uint8', base: 'dec', values: OPTION_NAMES },
  { name: 'dhcp.option.message', label: 'Message', type: 'string' },
  { name: 'dhcp.option.max_dhcp_message_size', label: 'Maximum DHCP Message Size', type: 'uint16', base: 'dec' },
  { name: 'dhcp.option.renewal_time_value', label: 'Renewal Time Value', type: 'uint32', base: 'dec' },
  { name: 'dhcp.option.rebinding_time_value', label: 'Rebinding Time Value', type: 'uint32', base: 'dec' },
  { name: 'dhcp.option.vendor_class_id', label: 'Vendor class identifier', type: 'string' },
  { name: 'dhcp.option.tftp_server_name', label: 'TFTP Server Name', type: 'string' },
  { name: 'dhcp.option.bootfile_name', label: 'Bootfile name', type: 'string' },
  { name: 'dhcp.client_id.type', label: 'Hardware type', type: 'uint8', base: 'hex', values: { 1: 'Ethernet' } },
  { name: 'dhcp.client_id', label: 'Identifier', type: 'bytes' },
  { name: 'dhcp.option.vendor.arubaap.controllerip', label: 'Aruba Controller IP', type: 'string' },
] as const);

const F = dhcpFields;

type Kind = 'ip' | 'ips' | 'u8' | 'u16' | 'u32time' | 'i32' | 'string';
const OPTION_FIELDS: Record<number, [FieldDef, Kind]> = {
  1: [F['dhcp.option.subnet_mask'], 'ip'], 2: [F['dhcp.option.time_offset'], 'i32'],
  3: [F['dhcp.option.router'], 'ips'], 4: [F['dhcp.option.time_server'], 'ips'],
  5: [F['dhcp.option.name_server'], 'ips'], 6: [F['dhcp.option.domain_name_server'], 'ips'],
  7: [F['dhcp.option.log_server'], 'ips'], 12: [F['dhcp.option.hostname'], 'string'],
  15: [F['dhcp.option.domain_name'], 'string'], 26: [F['dhcp.option.interface_mtu'], 'u16'],
  28: [F['dhcp.option.broadcast_address'], 'ip'], 42: [F['dhcp.option.ntp_server'], 'ips'],
  44: [F['dhcp.option.netbios_over_tcpip_name_server'], 'ips'],
  45: [F['dhcp.option.netbios_over_tcpip_dd_name_server'], 'ips'],
  46: [F['dhcp.option.netbios_over_tcpip_node_type'], 'u8'],
  50: [F['dhcp.option.requested_ip_address'], 'ip'], 51: [F['dhcp.option.ip_address_lease_time'], 'u32time'],
  54: [F['dhcp.option.dhcp_server_id'], 'ip'], 56: [F['dhcp.option.message'], 'string'],
  57: [F['dhcp.option.max_dhcp_message_size'], 'u16'], 58: [F['dhcp.option.renewal_time_value'], 'u32time'],
  59: [F['dhcp.option.rebinding_time_value'], 'u32time'], 60: [F['dhcp.option.vendor_class_id'], 'string'],
  66: [F['dhcp.option.tftp_server_name'], 'string'], 67: [F['dhcp.option.bootfile_name'], 'string'],
};

const MAGIC = 0x63825363;

/** "(900s) 15 minutes" as tshark shows lease times. */
function durationText(v: number): string {
  if (v === 0xffffffff) return 'infinity';
  const parts: string[] = [];
  let rest = v;
  for (const [n, u] of [[86400, 'day'], [3600, 'hour'], [60, 'minute'], [1, 'second']] as const) {
    const q = Math.floor(rest / n);
    rest -= q * n;
    if (q) parts.push(`${q} ${u}${q === 1 ? '' : 's'}`);
  }
  return `(${v}s) ${parts.join(', ') || '0 seconds'}`;
}

/** A NUL-terminated or length-bounded option string (FT_STRINGZ). */
function strz(tvb: Tvb, o: number, n: number): string {
  const s = tvb.ascii(o, n);
  const z = s.indexOf('\0');
  return z >= 0 ? s.slice(0, z) : s;
}

function dissectDhcp(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  // The column says BOOTP until a DHCP Message Type option makes it DHCP.
  ctx.protocol = 'BOOTP';
  const op = tvb.u8(0);
  const hlen = tvb.u8(2);
  const xid = tvb.u32(4);
  const htype = tvb.u8(1);
  const chIsMac = htype === 1 && hlen === 6;
  if (op === 1) {
    const mac = tvb.has(28, 6) ? formatEther(tvb.slice(28, 6)) : '';
    ctx.info = `Boot Request from ${mac} (${mac})`;
  } else {
    ctx.info = 'Boot Reply';
  }
  ctx.add(node, F['dhcp.type'], tvb, 0, 1, op);
  ctx.add(node, F['dhcp.hw.type'], tvb, 1, 1, htype);
  ctx.add(node, F['dhcp.hw.len'], tvb, 2, 1, hlen);
  ctx.add(node, F['dhcp.hops'], tvb, 3, 1, tvb.u8(3));
  ctx.add(node, F['dhcp.id'], tvb, 4, 4, xid);
  const secs = tvb.u16(8);
  if (secs > 0xff && (secs & 0xff) === 0) {
    // Some clients (Windows XP among them) send it little-endian: tshark shows it swapped.
    ctx.addExpert(ctx.add(node, F['dhcp.secs'], tvb, 8, 2, secs >> 8), 'note', 'protocol', 'Seconds elapsed appears to be encoded as little-endian');
  } else {
    ctx.add(node, F['dhcp.secs'], tvb, 8, 2, secs);
  }
  const flags = tvb.u16(10);
  const broadcast = (flags & 0x8000) !== 0;
  const fl = ctx.add(node, F['dhcp.flags'], tvb, 10, 2, flags, `Bootp flags: 0x${flags.toString(16).padStart(4, '0')}${broadcast ? ', Broadcast flag' : ''} (${broadcast ? 'Broadcast' : 'Unicast'})`);
  ctx.add(fl, F['dhcp.flags.bc'], tvb, 10, 2, (flags & 0x8000) !== 0);
  ctx.add(fl, F['dhcp.flags.reserved'], tvb, 10, 2, flags & 0x7fff);
  ctx.add(node, F['dhcp.ip.client'], tvb, 12, 4, tvb.u32(12));
  ctx.add(node, F['dhcp.ip.your'], tvb, 16, 4, tvb.u32(16));
  ctx.add(node, F['dhcp.ip.server'], tvb, 20, 4, tvb.u32(20));
  ctx.add(node, F['dhcp.ip.relay'], tvb, 24, 4, tvb.u32(24));
  if (chIsMac) {
    ctx.add(node, F['dhcp.hw.mac_addr'], tvb, 28, 6, tvb.slice(28, 6));
    ctx.add(node, F['dhcp.hw.addr_padding'], tvb, 34, 10, tvb.slice(34, 10));
  } else {
    ctx.add(node, F['dhcp.hw.addr'], tvb, 28, 16, tvb.slice(28, 16));
  }
  const sname = strz(tvb, 44, 64);
  if (sname) ctx.add(node, F['dhcp.server'], tvb, 44, 64, sname);
  else ctx.addText(node, tvb, 44, 64, 'Server host name not given');
  const file = strz(tvb, 108, 128);
  if (file) ctx.add(node, F['dhcp.file'], tvb, 108, 128, file);
  else ctx.addText(node, tvb, 108, 128, 'Boot file name not given');
  if (tvb.reportedLength < 240) return;
  const cookie = tvb.u32(236);
  ctx.add(node, F['dhcp.cookie'], tvb, 236, 4, cookie, cookie === MAGIC ? 'Magic cookie: DHCP' : `Magic cookie: ${formatIPv4(cookie)}`);
  if (cookie !== MAGIC) return;

  const vendorClass = vendorClassId(tvb);
  let o = 240;
  while (o < tvb.reportedLength) {
    const code = tvb.u8(o);
    if (code === 255) {
      const end = ctx.add(node, F['dhcp.option.type'], tvb, o, 1, 0, 'Option: (255) End');
      ctx.add(end, F['dhcp.option.end'], tvb, o, 1, 255);
      o++;
      const rest = tvb.length - o;
      if (rest > 0) ctx.add(node, F['dhcp.option.padding'], tvb, o, rest, tvb.slice(o, rest));
      break;
    }
    if (code === 0) {
      ctx.add(node, F['dhcp.option.type'], tvb, o, 1, 0, 'Option: (0) Padding');
      o++;
      continue;
    }
    const len = tvb.u8(o + 1);
    const v = o + 2;
    tvb.check(v, len);
    const name = OPTION_NAMES[code] ?? 'Unknown';
    const opt = ctx.add(node, F['dhcp.option.type'], tvb, o, 2 + len, code, `Option: (${code}) ${name}`);
    ctx.add(opt, F['dhcp.option.length'], tvb, o + 1, 1, len);
    // Hidden in tshark's tree: each option shows its decoded fields instead.
    ctx.addHidden(opt, F['dhcp.option.value'], tvb, v, len, tvb.slice(v, len));
    if (code === 53 && len >= 1) {
      const t = tvb.u8(v);
      const tn = MSG_TYPES[t] ?? 'Unknown Message Type';
      ctx.setText(opt, `Option: (53) DHCP Message Type (${tn})`);
      ctx.add(opt, F['dhcp.option.dhcp'], tvb, v, 1, t);
      ctx.protocol = 'DHCP';
      ctx.info = `DHCP ${tn.padEnd(8)} - Transaction ID 0x${xid.toString(16)}`;
      ctx.setText(node, `Dynamic Host Configuration Protocol (${tn})`);
    } else if (code === 55) {
      for (let i = 0; i < len; i++) {
        const item = tvb.u8(v + i);
        ctx.add(opt, F['dhcp.option.request_list_item'], tvb, v + i, 1, item, ctx.tree ? `Parameter Request List Item: (${item}) ${OPTION_NAMES[item] ?? 'Unknown'}` : undefined);
      }
    } else if (code === 43 && vendorClass.startsWith('ArubaAP')) {
      // tshark's "dhcp.vendor_info" heuristics (DHCP's own protocol: frame.protocols shows
      // dhcp twice): an Aruba access point's option 43 is its controller's address as text.
      ctx.layers.push('dhcp');
      ctx.setText(opt, `Option: (43) ${name} (Aruba AP)`);
      ctx.add(opt, F['dhcp.option.vendor.arubaap.controllerip'], tvb, v, len, tvb.ascii(v, len));
    } else if (code === 61 && len >= 1) {
      // A hardware address (Ethernet, 7 bytes) is read with the header's fields, dhcp.hw.type
      // and dhcp.hw.mac_addr, as packet-dhcp.c does; anything else as a type and bytes.
      if (tvb.u8(v) === 1 && len === 7) {
        ctx.add(opt, F['dhcp.hw.type'], tvb, v, 1, tvb.u8(v));
        ctx.add(opt, F['dhcp.hw.mac_addr'], tvb, v + 1, 6, tvb.slice(v + 1, 6));
      } else {
        ctx.add(opt, F['dhcp.client_id.type'], tvb, v, 1, tvb.u8(v));
        if (len > 1) ctx.add(opt, F['dhcp.client_id'], tvb, v + 1, len - 1, tvb.slice(v + 1, len - 1));
      }
    } else {
      const spec = OPTION_FIELDS[code];
      if (spec) {
        const [def, kind] = spec;
        switch (kind) {
          case 'ip':
            if (len >= 4) {
              const a = tvb.u32(v);
              ctx.add(opt, def, tvb, v, 4, a);
              ctx.setText(opt, `Option: (${code}) ${name} (${formatIPv4(a)})`);
            }
            break;
          case 'ips':
            for (let i = 0; i + 4 <= len; i += 4) ctx.add(opt, def, tvb, v + i, 4, tvb.u32(v + i));
            break;
          case 'u8':
            if (len >= 1) ctx.add(opt, def, tvb, v, 1, tvb.u8(v));
            break;
          case 'u16':
            if (len >= 2) ctx.add(opt, def, tvb, v, 2, tvb.u16(v));
            break;
          case 'i32':
            if (len >= 4) ctx.add(opt, def, tvb, v, 4, tvb.u32(v) | 0);
            break;
          case 'u32time':
            if (len >= 4) {
              const t = tvb.u32(v);
              ctx.add(opt, def, tvb, v, 4, t, `${def.label}: ${durationText(t)}`);
            }
            break;
          case 'string':
            ctx.add(opt, def, tvb, v, len, strz(tvb, v, len));
            break;
        }
      }
    }
    o = v + len;
  }
}

/** Option 60's text, wherever it is among the options (tshark looks before dissecting them); '' when absent. */
function vendorClassId(tvb: Tvb): string {
  let o = 240;
  while (o + 1 < tvb.length) {
    const code = tvb.u8(o);
    if (code === 255) break;
    if (code === 0) {
      o++;
      continue;
    }
    const len = tvb.u8(o + 1);
    if (code === 60 && tvb.has(o + 2, len)) return strz(tvb, o + 2, len);
    o += 2 + len;
  }
  return '';
}

export const dhcpProtocol = defineProtocol('dhcp', 'Dynamic Host Configuration Protocol', dissectDhcp, 'DHCP/BOOTP');

for (const port of [67, 68, 4011]) register('udp.port', port, dhcpProtocol);

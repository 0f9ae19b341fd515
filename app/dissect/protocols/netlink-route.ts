// Linux rtnetlink (NETLINK_ROUTE) messages as tshark 4.0's packet-netlink-route.c shows them,
// one message per call from the netlink layer (the "netlink.protocol" table, family 0): the
// nlmsghdr, then for links (RTM_*LINK) the ifinfomsg and IFLA_* attributes, for addresses
// (RTM_*ADDR) the ifaddrmsg and IFA_* attributes, for routes (RTM_*ROUTE) the rtmsg and RTA_*
// attributes, for neighbours (RTM_*NEIGH) the ndmsg (tshark 4.0 shows no NDA_* attributes).
// Other message types show their header alone. tshark 4.0 decodes no nested attribute
// (IFLA_LINKINFO, IFLA_AF_SPEC, IFLA_PROTINFO are Data), and an attribute whose type carries
// NLA_F_NESTED or NLA_F_NET_BYTEORDER is Data too (the decoder sees the type with its flags).
//
// The message comes in the capturing host's byte order (the netlink layer found which); the
// header and attribute walkers are the netlink layer's, handed over with the message.
import { defineFields, type FieldDef } from '../field.js';
import { defineProtocol, register } from '../dispatch.js';
import { formatIPv4, formatIPv6, hexBytes } from '../format.js';
import { wsFields, type PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import { MalformedError, type Tvb } from '../tvb.js';
import { NETLINK_MESSAGE_SCRATCH, type AttributeDecoder, type NetlinkMessage } from '../netlink-message.js';
import { ARPHRD_NAMES } from '../arphrd.js';

// Value names as tshark 4.0 has them (tshark -G values for netlink-route.*).
const AF_NAMES: Record<number, string> = {
  0: 'AF_UNSPEC', 1: 'AF_LOCAL', 2: 'AF_INET', 3: 'AF_AX25', 4: 'AF_IPX', 5: 'AF_APPLETALK', 6: 'AF_NETROM', 7: 'AF_BRIDGE',
  8: 'AF_ATMPVC', 9: 'AF_X25', 10: 'AF_INET6', 11: 'AF_ROSE', 12: 'AF_DECnet', 13: 'AF_NETBEUI', 14: 'AF_SECURITY', 15: 'AF_KEY',
  16: 'AF_NETLINK', 17: 'AF_PACKET', 18: 'AF_ASH', 19: 'AF_ECONET', 20: 'AF_ATMSVC', 21: 'AF_RDS', 22: 'AF_SNA', 23: 'AF_IRDA',
  24: 'AF_PPPOX', 25: 'AF_WANPIPE', 26: 'AF_LLC', 29: 'AF_CAN', 30: 'AF_TIPC', 31: 'AF_BLUETOOTH', 32: 'AF_IUCV', 33: 'AF_RXRPC',
  34: 'AF_ISDN', 35: 'AF_PHONET', 36: 'AF_IEEE802154', 37: 'AF_CAIF', 38: 'AF_ALG', 39: 'AF_NFC',
};
const IFLA_NAMES: Record<number, string> = {
  0: 'Unspecified', 1: 'HW Address', 2: 'Broadcast', 3: 'Device name', 4: 'MTU', 5: 'Link type', 6: 'Queueing discipline',
  7: 'Interface Statistics', 8: 'Cost', 9: 'Priority', 10: 'Master', 11: 'Wireless', 12: 'Prot info', 13: 'TxQueue length',
  14: 'Map', 15: 'Weight', 16: 'Operstate', 17: 'Link mode', 18: 'Link info', 19: 'NetNs id', 20: 'Ifalias', 21: 'Num VF',
  22: 'VF Info', 23: 'Stats', 24: 'VF ports', 25: 'Port self', 26: 'AF spec', 27: 'Group', 28: 'NetNs fd', 29: 'Ext mask',
  30: 'Promiscuity', 31: 'Number of Tx queues', 32: 'Number of Rx queues', 33: 'Carrier', 34: 'Physical port ID',
  35: 'Carrier changes', 36: 'Physical switch ID', 37: 'Link network namespace ID', 38: 'Physical port name', 39: 'IFLA_PROTO_DOWN',
  40: 'Maximum GSO segment count', 41: 'Maximum GSO size', 42: 'IFLA_PAD', 43: 'IFLA_XDP', 44: 'IFLA_EVENT', 45: 'IFLA_NEW_NETNSID',
  46: 'IFLA_IF_NETNSID', 47: 'Carrier up count', 48: 'Carrier down count', 49: 'IFLA_NEW_IFINDEX', 50: 'Minimum MTU',
  51: 'Maximum MTU', 52: 'Property list', 53: 'Alternative ifname', 54: 'Permanent address', 55: 'Protocol down reason',
  56: 'Parent device name', 57: 'Parent device bus name', 58: 'GRO maximum size', 59: 'TSO maximum size',
  60: 'TSO maximum number of segments', 61: 'Allmulti count',
};
const IFA_NAMES: Record<number, string> = {
  0: 'Unspecified', 1: 'Interface address', 2: 'Local address', 3: 'Name of interface', 4: 'Broadcast address',
  5: 'Anycast address', 6: 'Address information', 7: 'Multicast address', 8: 'Address flags', 9: 'IFA_RT_PRIORITY',
  10: 'IFA_TARGET_NETNSID', 11: 'IFA_PROTO',
};
const RTA_NAMES: Record<number, string> = {
  0: 'Unspecified', 1: 'Route destination address', 2: 'Route source address', 3: 'Input interface index',
  4: 'Output interface index', 5: 'Gateway of the route', 6: 'RTA_PRIORITY', 7: 'RTA_PREFSRC', 8: 'RTA_METRICS', 9: 'RTA_MULTIPATH',
  10: 'RTA_PROTOINFO', 11: 'RTA_FLOW', 12: 'RTA_CACHEINFO', 13: 'RTA_SESSION', 14: 'RTA_MP_ALGO', 15: 'RTA_TABLE', 16: 'RTA_MARK',
  17: 'RTA_MFC_STATS', 18: 'RTA_VIA', 19: 'RTA_NEWDST', 20: 'RTA_PREF', 21: 'RTA_ENCAP_TYPE', 22: 'RTA_ENCAP', 23: 'RTA_EXPIRES',
  24: 'RTA_PAD', 25: 'RTA_UID', 26: 'RTA_TTL_PROPAGATE', 27: 'RTA_IP_PROTO', 28: 'RTA_SPORT', 29: 'RTA_DPORT', 30: 'RTA_NH_ID',
};
const MESSAGE_TYPES: Record<number, string> = {
  16: 'Create network interface', 17: 'Remove network interface', 18: 'Get network interface info',
  19: 'Set network interface info', 20: 'Add IP address', 21: 'Delete IP address', 22: 'Get IP address', 24: 'Add network route',
  25: 'Delete network route', 26: 'Get network route', 28: 'Add neighbor table entry', 29: 'Delete neighbor table entry',
  30: 'Get neighbor table entry', 32: 'Add routing rule', 33: 'Delete routing rule', 34: 'Get routing rule',
  36: 'Add queueing discipline', 37: 'Delete queueing discipline', 38: 'Get queueing discipline', 40: 'Add traffic class',
  41: 'Delete traffic class', 42: 'Get traffic class', 44: 'Add traffic class', 45: 'Delete traffic class', 46: 'Get traffic class',
  48: 'New Action', 49: 'Delete Action', 50: 'Get Action', 52: 'New IPv6 prefix', 58: 'Get multicast address',
  62: 'Get anycast address', 64: 'New Neighbour tables', 66: 'Get Neighbour tables', 67: 'Set Neighbour tables',
  68: 'New ND Userland options', 72: 'New IPv6 Address Label', 73: 'Delete IPv6 Address Label', 74: 'Get IPv6 Address Label',
  78: 'Get Data Center Bridging', 79: 'Set Data Center Bridging', 80: 'RTM_NEWNETCONF', 81: 'RTM_DELNETCONF', 82: 'RTM_GETNETCONF',
  84: 'Add multicast database entry', 85: 'Delete multicast database entry', 86: 'Get multicast database',
  88: 'New network namespace ID', 89: 'Delete network namespace ID', 90: 'Get network namespace ID', 92: 'New link statistics',
  94: 'Get link statistics', 96: 'New cache report', 100: 'New chain', 101: 'Delete chain', 102: 'Get chain', 104: 'New next hop',
  105: 'Delete next hop', 106: 'Get next hop', 108: 'New link property', 109: 'Delete link property', 110: 'Get link property',
  112: 'New VLAN', 113: 'Delete VLAN', 114: 'Get VLAN', 116: 'New next hop bucket', 117: 'Delete next hop bucket',
  118: 'Get next hop bucket', 120: 'New tunnel', 121: 'Delete tunnel', 122: 'Get tunnel',
};
const RT_PROTOCOLS: Record<number, string> = {
  0: 'unknown', 1: 'ICMP redirects', 2: 'kernel', 3: 'boot', 4: 'static', 8: 'GateD', 9: 'RDISC/ND router advertisements',
  10: 'Merit MRT', 11: 'Zebra', 12: 'BIRD', 13: 'DECnet routing daemon', 14: 'XORP', 15: 'Netsukuku', 16: 'DHCP client',
  17: 'Multicast daemon', 18: 'Keepalived daemon', 42: 'Babel daemon', 99: 'Open Routing Routes', 186: 'BGP', 187: 'ISIS',
  188: 'OSPF', 189: 'RIP', 192: 'EIGRP',
};
const RT_SCOPES: Record<number, string> = {
  0: 'global route', 200: 'interior route in the local autonomous system', 253: 'route on this link',
  254: 'route on the local host', 255: "destination doesn't exist",
};
const RT_TYPES: Record<number, string> = {
  0: 'Unknown route', 1: 'Gateway or direct route', 2: 'Local interface route', 3: 'Local broadcast route (send as broadcast)',
  4: 'Local broadcast route (send as unicast)', 5: 'Multicast route', 6: 'Drop', 7: 'Unreachable destination',
  8: 'Administratively prohibited', 9: 'Routing lookup in another table', 10: 'Network address translation rule',
  11: 'Use external resolver',
};
const OPERSTATES: Record<number, string> = {
  0: 'Unknown', 1: 'Not present', 2: 'Down', 3: 'Lower layer down', 4: 'Testing', 5: 'Dormant', 6: 'Up',
};

const RTM_NEWLINK = 16, RTM_DELLINK = 17, RTM_GETLINK = 18, RTM_NEWADDR = 20, RTM_DELADDR = 21, RTM_GETADDR = 22;
const RTM_NEWROUTE = 24, RTM_DELROUTE = 25, RTM_GETROUTE = 26, RTM_NEWNEIGH = 28, RTM_DELNEIGH = 29, RTM_GETNEIGH = 30;

// The names packet-netlink-route.c writes for flag words (its BASE_CUSTOM labels), lowest bit first.
const IFF_NAMES = [
  'UP', 'BROADCAST', 'DEBUG', 'LOOPBACK', 'POINTOPOINT', 'NOTRAILERS', 'RUNNING', 'NOARP', 'PROMISC', 'ALLMULTI', 'MASTER', 'SLAVE',
  'MULTICAST', 'PORTSEL', 'AUTOMEDIA', 'DYNAMIC', 'LOWER_UP', 'DORMANT', 'ECHO',
];
const IFA_F_NAMES = [
  'secondary/temporary', 'nodad', 'optimistic', 'dadfailed', 'homeaddress', 'deprecated', 'tentative', 'permanent', 'mngtmpaddr',
  'noprefixroute', 'autojoin', 'stable_privacy',
];
const NUD_NAMES = ['INCOMPLETE', 'REACHABLE', 'STALE', 'DELAY', 'PROBE', 'FAILED', 'NOARP', 'PERMANENT'];

/** _fill_label_value_string_bitmask: the names of the set bits, then what is left in hex, then the value. */
function flagLabel(value: number, names: readonly string[], digits: number): string {
  const parts: string[] = [];
  let left = value;
  names.forEach((name, i) => {
    const bit = 2 ** i;
    if (Math.floor(left / bit) % 2 === 1) {
      left -= bit;
      parts.push(name);
    }
  });
  if (left) parts.push(`0x${left.toString(16)}`);
  return `${parts.join(', ')} (0x${value.toString(16).padStart(digits, '0')})`;
}

export const netlinkRouteFields = defineFields([
  { name: 'netlink-route.nltype', label: 'Message type', type: 'uint16', values: MESSAGE_TYPES },
  { name: 'netlink-route.ifi_family', label: 'Interface family', type: 'uint8' },
  { name: 'netlink-route.ifi_type', label: 'Device type', type: 'uint16', values: ARPHRD_NAMES },
  { name: 'netlink-route.ifi_index', label: 'Interface index', type: 'int32' },
  { name: 'netlink-route.ifi_flags', label: 'Device flags', type: 'uint32' },
  { name: 'netlink-route.ifi_flags.iff_up', label: 'Interface', type: 'boolean', mask: 0x1, tf: ['Up', 'Down'] },
  { name: 'netlink-route.ifi_flags.iff_broadcast', label: 'Broadcast', type: 'boolean', mask: 0x2, tf: ['Valid', 'Invalid'] },
  { name: 'netlink-route.ifi_change', label: 'Device change flags', type: 'uint32' },
  { name: 'netlink-route.ifla_attr_type', label: 'Attribute type', type: 'uint16', values: IFLA_NAMES },
  { name: 'netlink-route.ifla_ifname', label: 'Device name', type: 'string' },
  { name: 'netlink-route.ifla_mtu', label: 'MTU of device', type: 'uint32' },
  { name: 'netlink-route.ifla_txqlen', label: 'TxQueue length', type: 'uint32' },
  { name: 'netlink-route.ifla_operstate', label: 'Operstate', type: 'uint8', values: OPERSTATES },
  { name: 'netlink-route.ifla_promiscuity', label: 'Promiscuity', type: 'uint32' },
  { name: 'netlink-route.ifla_txqnum', label: 'Number of Tx queues', type: 'uint32' },
  { name: 'netlink-route.ifla_rxqnum', label: 'Number of Rx queues', type: 'uint32' },
  { name: 'netlink-route.ifla_group', label: 'Group', type: 'uint32' },
  { name: 'netlink-route.ifla_gso_maxsize', label: 'Maximum GSO size', type: 'uint32' },
  { name: 'netlink-route.ifla_gso_maxsegs', label: 'Maximum GSO segment count', type: 'uint32' },
  { name: 'netlink-route.ifla_carrier', label: 'Carrier', type: 'boolean', mask: 0x1, tf: ['Restricted', 'Not restricted'] },
  { name: 'netlink-route.ifla_qdisc', label: 'Queueing discipline', type: 'string' },
  { name: 'netlink-route.ifla_carrier_changes', label: 'Carrier changes', type: 'uint32' },
  // FT_BYTES with SEP_COLON: tshark prints these colon-separated in the tree and -T fields alike.
  { name: 'netlink-route.ifla_hwaddr', label: 'HW Address', type: 'string' },
  { name: 'netlink-route.ifla_broadcast', label: 'Broadcast', type: 'string' },
  { name: 'netlink-route.ifla_carrier_up_count', label: 'Carrier changes to up', type: 'uint32' },
  { name: 'netlink-route.ifla_carrier_down_count', label: 'Carrier changes to down', type: 'uint32' },
  { name: 'netlink-route.ifla_min_mtu', label: 'Minimum MTU of device', type: 'uint32' },
  { name: 'netlink-route.ifla_max_mtu', label: 'Maximum MTU of device', type: 'uint32' },
  { name: 'netlink-route.ifla_map.mem_start', label: 'Memory start', type: 'uint64', base: 'hex' },
  { name: 'netlink-route.ifla_map.mem_end', label: 'Memory end', type: 'uint64', base: 'hex' },
  { name: 'netlink-route.ifla_map.base_addr', label: 'Base address', type: 'uint64', base: 'hex' },
  { name: 'netlink-route.ifla_map.irq', label: 'IRQ', type: 'uint16' },
  { name: 'netlink-route.ifla_map.dma', label: 'DMA', type: 'uint8' },
  { name: 'netlink-route.ifla_map.port', label: 'Port', type: 'uint8' },
  { name: 'netlink-route.ifla_linkstats.rxpackets', label: 'Rx packets', type: 'uint64' },
  { name: 'netlink-route.ifla_linkstats.txpackets', label: 'Tx packets', type: 'uint64' },
  { name: 'netlink-route.ifla_linkstats.rxbytes', label: 'Rx bytes', type: 'uint64' },
  // "Tx packets" for the Tx bytes: tshark 4.0's label.
  { name: 'netlink-route.ifla_linkstats.txbytes', label: 'Tx packets', type: 'uint64' },
  { name: 'netlink-route.ifla_linkstats.rxerrors', label: 'Rx errors', type: 'uint64' },
  { name: 'netlink-route.ifla_linkstats.txerrors', label: 'Tx errors', type: 'uint64' },
  { name: 'netlink-route.ifla_linkstats.rxdropped', label: 'Rx dropped', type: 'uint64' },
  { name: 'netlink-route.ifla_linkstats.txdropped', label: 'Tx dropped', type: 'uint64' },
  { name: 'netlink-route.ifla_linkstats.multicast', label: 'Multicast Rx', type: 'uint64' },
  { name: 'netlink-route.ifla_linkstats.collisions', label: 'Collisions', type: 'uint64' },
  { name: 'netlink-route.ifla_linkstats.rx_errors.length_errs', label: 'Length errors', type: 'uint64' },
  { name: 'netlink-route.ifla_linkstats.rx_errors.over_errs', label: 'Ring buffer overflow errors', type: 'uint64' },
  { name: 'netlink-route.ifla_linkstats.rx_errors.crc_errs', label: 'CRC errors', type: 'uint64' },
  { name: 'netlink-route.ifla_linkstats.rx_errors.frame_errs', label: 'Frame alignment errors', type: 'uint64' },
  { name: 'netlink-route.ifla_linkstats.rx_errors.fifo_errs', label: 'FIFO overrun errors', type: 'uint64' },
  { name: 'netlink-route.ifla_linkstats.rx_errors.miss_errs', label: 'Missed packet errors', type: 'uint64' },
  // The Tx error counters are named rx_errors.* in tshark 4.0 (its Tx "FIFO errors" even shares
  // rx_errors.fifo_errs with the Rx one: the same field here, with the Tx label as its text).
  { name: 'netlink-route.ifla_linkstats.rx_errors.abort_errs', label: 'Abort errors', type: 'uint64' },
  { name: 'netlink-route.ifla_linkstats.rx_errors.carrier_errs', label: 'Carrier errors', type: 'uint64' },
  { name: 'netlink-route.ifla_linkstats.rx_errors.heartbeat_errs', label: 'Heartbeat errors', type: 'uint64' },
  { name: 'netlink-route.ifla_linkstats.rx_errors.window_errs', label: 'Window errors', type: 'uint64' },
  { name: 'netlink-route.ifa_family', label: 'Address type', type: 'uint8', values: AF_NAMES },
  { name: 'netlink-route.ifa_prefixlen', label: 'Address prefixlength', type: 'uint8' },
  { name: 'netlink-route.ifa_flags', label: 'Address flags', type: 'uint8' },
  { name: 'netlink-route.ifa_scope', label: 'Address scope', type: 'uint8' },
  { name: 'netlink-route.ifa_index', label: 'Interface index', type: 'int32' },
  { name: 'netlink-route.ifa_attr_type', label: 'Attribute type', type: 'uint16', values: IFA_NAMES },
  { name: 'netlink-route.ifa_label', label: 'Interface name', type: 'string' },
  { name: 'netlink-route.ifa_flags32', label: 'Address flags', type: 'uint32' },
  { name: 'netlink-route.ifa_address.ipv6', label: 'Address', type: 'ipv6' },
  { name: 'netlink-route.ifa_address.ipv4', label: 'Address', type: 'ipv4' },
  { name: 'netlink-route.rt_family', label: 'Address family', type: 'uint8', values: AF_NAMES },
  { name: 'netlink-route.rt_dst_len', label: 'Length of destination', type: 'uint8' },
  { name: 'netlink-route.rt_src_len', label: 'Length of source', type: 'uint8' },
  { name: 'netlink-route.rt_tos', label: 'TOS filter', type: 'uint8', base: 'hex' },
  { name: 'netlink-route.rt_table', label: 'Routing table ID', type: 'uint8' },
  { name: 'netlink-route.rt_protocol', label: 'Routing protocol', type: 'uint8', base: 'hex', values: RT_PROTOCOLS },
  { name: 'netlink-route.rt_scope', label: 'Route origin', type: 'uint8', base: 'hex', values: RT_SCOPES },
  { name: 'netlink-route.rt_type', label: 'Route type', type: 'uint8', base: 'hex', values: RT_TYPES },
  { name: 'netlink-route.rt_flags', label: 'Route flags', type: 'uint32', base: 'hex' },
  { name: 'netlink-route.rta_attr_type', label: 'Attribute type', type: 'uint16', values: RTA_NAMES },
  { name: 'netlink-route.rta_iif', label: 'Input interface index', type: 'uint32' },
  { name: 'netlink-route.rta_oif', label: 'Output interface index', type: 'uint32' },
  { name: 'netlink-route.nd_family', label: 'Family', type: 'uint8', values: AF_NAMES },
  { name: 'netlink-route.nd_index', label: 'Interface index', type: 'int32' },
  { name: 'netlink-route.nd_state', label: 'State', type: 'uint16' },
  { name: 'netlink-route.nd_flags', label: 'Flags', type: 'uint8', base: 'hex' },
  { name: 'netlink-route.nd_type', label: 'Type', type: 'uint8', base: 'hex' },
] as const);
const F = netlinkRouteFields;

/** An unsigned integer of `len` bytes (1-4) in the message's byte order, as proto_tree_add_item_ret_uint reads it. */
function uintN(nl: NetlinkMessage, tvb: Tvb, o: number, len: number): number {
  switch (len) {
    case 1: return tvb.u8(o);
    case 2: return nl.u16(tvb, o);
    case 3: return nl.le ? tvb.u8(o) + tvb.u8(o + 1) * 256 + tvb.u8(o + 2) * 65536 : tvb.u24(o);
    default: return nl.u32(tvb, o);
  }
}

/** A 64-bit unsigned integer of `size` bytes (4 or 8) in the message's byte order. */
function uint64(nl: NetlinkMessage, tvb: Tvb, o: number, size: number): bigint {
  if (size === 4) return BigInt(nl.u32(tvb, o));
  const a = BigInt(nl.u32(tvb, o)), b = BigInt(nl.u32(tvb, o + 4));
  return nl.le ? (b << 32n) | a : (a << 32n) | b;
}

/** Bytes of a hardware address the tree shows (tvb_bytes_to_str_punct's limit). */
const ADDRESS_SHOWN = 24;

/**
 * report_type_length_mismatch: a field read with a length its type cannot have. The note goes
 * in the tree before the item; an error ends the dissection there (tshark throws after it).
 */
function lengthNote(ctx: PacketContext, tvb: Tvb, attr: FieldNode, o: number, error: boolean, message: string): void {
  ctx.addExpert(attr, error ? 'error' : 'warn', 'malformed', message);
  // expert.c adds a hidden _ws.malformed with every note of the Malformed group.
  ctx.addHidden(attr, wsFields['_ws.malformed'], tvb, o, 0, null);
  if (error) throw new MalformedError(message, tvb.abs(o));
}

/** proto_tree_add_item's unsigned integer of `len` bytes: 1-4 read, more a warning and 4 read, none an error. */
function itemUint(nl: NetlinkMessage, tvb: Tvb, ctx: PacketContext, attr: FieldNode, o: number, len: number): number {
  if (len === 0 || len > 4) lengthNote(ctx, tvb, attr, o, len === 0, `Trying to fetch an unsigned integer with length ${len}`);
  return uintN(nl, tvb, o, Math.min(len, 4));
}

/** FT_STRINGZ of a fixed length: the text up to the first NUL. */
function stringz(tvb: Tvb, o: number, len: number): string {
  const s = tvb.ascii(o, len);
  const nul = s.indexOf('\0');
  // ENC_ASCII: a byte above 0x7f is not ASCII and shows as U+FFFD.
  return (nul < 0 ? s : s.slice(0, nul)).replace(/[\x80-\xff]/g, '\ufffd');
}

/** proto_item_append_text on an attribute's subtree. */
function append(ctx: PacketContext, attr: FieldNode, suffix: string): void {
  if (ctx.tree && !ctx.isPlaceholder(attr)) ctx.setText(attr, `${attr.text ?? ''}${suffix}`);
}

const IFLA_U32: Record<number, FieldDef> = {
  4: F['netlink-route.ifla_mtu'], 13: F['netlink-route.ifla_txqlen'], 30: F['netlink-route.ifla_promiscuity'], 31: F['netlink-route.ifla_txqnum'],
  32: F['netlink-route.ifla_rxqnum'], 27: F['netlink-route.ifla_group'], 40: F['netlink-route.ifla_gso_maxsegs'], 41: F['netlink-route.ifla_gso_maxsize'],
  35: F['netlink-route.ifla_carrier_changes'], 47: F['netlink-route.ifla_carrier_up_count'], 48: F['netlink-route.ifla_carrier_down_count'],
  50: F['netlink-route.ifla_min_mtu'], 51: F['netlink-route.ifla_max_mtu'],
};

const LINKSTATS = [
  F['netlink-route.ifla_linkstats.rxpackets'], F['netlink-route.ifla_linkstats.txpackets'], F['netlink-route.ifla_linkstats.rxbytes'],
  F['netlink-route.ifla_linkstats.txbytes'], F['netlink-route.ifla_linkstats.rxerrors'], F['netlink-route.ifla_linkstats.txerrors'],
  F['netlink-route.ifla_linkstats.rxdropped'], F['netlink-route.ifla_linkstats.txdropped'], F['netlink-route.ifla_linkstats.multicast'],
  F['netlink-route.ifla_linkstats.collisions'],
];
const LINKSTATS_RX = [
  F['netlink-route.ifla_linkstats.rx_errors.length_errs'], F['netlink-route.ifla_linkstats.rx_errors.over_errs'],
  F['netlink-route.ifla_linkstats.rx_errors.crc_errs'], F['netlink-route.ifla_linkstats.rx_errors.frame_errs'],
  F['netlink-route.ifla_linkstats.rx_errors.fifo_errs'], F['netlink-route.ifla_linkstats.rx_errors.miss_errs'],
];
const LINKSTATS_TX: ReadonlyArray<[FieldDef, string]> = [
  [F['netlink-route.ifla_linkstats.rx_errors.abort_errs'], 'Abort errors'], [F['netlink-route.ifla_linkstats.rx_errors.carrier_errs'], 'Carrier errors'],
  [F['netlink-route.ifla_linkstats.rx_errors.fifo_errs'], 'FIFO errors'], [F['netlink-route.ifla_linkstats.rx_errors.heartbeat_errs'], 'Heartbeat errors'],
  [F['netlink-route.ifla_linkstats.rx_errors.window_errs'], 'Window errors'],
];

/**
 * IFLA_STATS / IFLA_STATS64: the first 21 counters of rtnl_link_stats(64), `size` bytes each,
 * read from the attribute's start whatever its length (packet-netlink-route.c does not check it).
 */
function addLinkStats(nl: NetlinkMessage, tvb: Tvb, ctx: PacketContext, attr: FieldNode, o: number, len: number, size: number): void {
  // A subtree's range must exist (proto_tree_add_subtree throws otherwise), as must the counters'.
  tvb.check(o, len);
  const t = ctx.addText(attr, tvb, o, len, 'Statistics');
  for (const f of LINKSTATS) {
    ctx.add(t, f, tvb, o, size, uint64(nl, tvb, o, size));
    o += size;
  }
  tvb.check(o, size * LINKSTATS_RX.length);
  const rx = ctx.addText(t, tvb, o, size * LINKSTATS_RX.length, 'Rx errors');
  for (const f of LINKSTATS_RX) {
    ctx.add(rx, f, tvb, o, size, uint64(nl, tvb, o, size));
    o += size;
  }
  tvb.check(o, size * LINKSTATS_TX.length);
  const tx = ctx.addText(t, tvb, o, size * LINKSTATS_TX.length, 'Tx errors');
  for (const [f, label] of LINKSTATS_TX) {
    const v = uint64(nl, tvb, o, size);
    ctx.add(tx, f, tvb, o, size, v, () => `${label}: ${v}`);
    o += size;
  }
}

/** dissect_netlink_route_ifla_attrs. */
function linkAttribute(nl: NetlinkMessage): AttributeDecoder {
  return (tvb, ctx, attr, type, o, len) => {
    const u32Field = IFLA_U32[type];
    if (u32Field) {
      // proto_tree_add_item_ret_uint: no bytes is 0 and no item; more than 4 is a warning and 4 read.
      if (len === 0) {
        append(ctx, attr, ': 0');
        return true;
      }
      const v = itemUint(nl, tvb, ctx, attr, o, len);
      ctx.add(attr, u32Field, tvb, o, len, v);
      append(ctx, attr, `: ${v}`);
      return true;
    }
    switch (type) {
      case 3: case 6: {
        const s = stringz(tvb, o, len);
        ctx.add(attr, type === 3 ? F['netlink-route.ifla_ifname'] : F['netlink-route.ifla_qdisc'], tvb, o, len, s);
        append(ctx, attr, `: ${s}`);
        return true;
      }
      case 16:
        ctx.add(attr, F['netlink-route.ifla_operstate'], tvb, o, len, itemUint(nl, tvb, ctx, attr, o, len));
        return true;
      case 33: {
        // proto_tree_add_item_ret_boolean: no bytes is false and no item.
        if (len === 0) {
          append(ctx, attr, ': Not restricted');
          return true;
        }
        // A boolean is read as an integer of up to 8 bytes (more is a warning): bit 0 is in the
        // least significant byte, first or last by the byte order.
        if (len > 8) lengthNote(ctx, tvb, attr, o, false, `Trying to fetch an unsigned integer with length ${len}`);
        const n = Math.min(len, 8);
        const on = (tvb.u8(nl.le ? o : o + n - 1) & 1) !== 0;
        const name = on ? 'Restricted' : 'Not restricted';
        // FT_BOOLEAN of 32 bits: the bit picture is 32 bits wide whatever the attribute's length.
        ctx.add(attr, F['netlink-route.ifla_carrier'], tvb, o, len, on, () => `.... .... .... .... .... .... .... ...${on ? 1 : 0} = Carrier: ${name}`);
        append(ctx, attr, `: ${name}`);
        return true;
      }
      case 1: case 2: {
        // tvb_bytes_to_str_punct asserts a length: an empty address is a dissector bug in tshark 4.0.
        if (len === 0) throw new DissectorBug('./epan/tvbuff.c:4353: failed assertion "len > 0"');
        const s = hexBytes(tvb.slice(o, len), ':');
        // The tree shows 24 bytes of a longer address, then "…" (-T fields has them all).
        const shown = len > ADDRESS_SHOWN ? `${hexBytes(tvb.slice(o, ADDRESS_SHOWN), ':')}:\u2026` : s;
        append(ctx, attr, `: ${shown}`);
        const f = type === 1 ? F['netlink-route.ifla_hwaddr'] : F['netlink-route.ifla_broadcast'];
        ctx.add(attr, f, tvb, o, len, s, () => `${f.label}: ${shown}`);
        return true;
      }
      case 7: case 23:
        addLinkStats(nl, tvb, ctx, attr, o, len, type === 7 ? 4 : 8);
        return true;
      case 14:
        ctx.add(attr, F['netlink-route.ifla_map.mem_start'], tvb, o, 8, uint64(nl, tvb, o, 8));
        ctx.add(attr, F['netlink-route.ifla_map.mem_end'], tvb, o + 8, 8, uint64(nl, tvb, o + 8, 8));
        ctx.add(attr, F['netlink-route.ifla_map.base_addr'], tvb, o + 16, 8, uint64(nl, tvb, o + 16, 8));
        ctx.add(attr, F['netlink-route.ifla_map.irq'], tvb, o + 24, 2, nl.u16(tvb, o + 24));
        ctx.add(attr, F['netlink-route.ifla_map.dma'], tvb, o + 26, 1, tvb.u8(o + 26));
        ctx.add(attr, F['netlink-route.ifla_map.port'], tvb, o + 27, 1, tvb.u8(o + 27));
        return true;
      default:
        return false;
    }
  };
}

/** dissect_netlink_route_ifa_attrs. */
function addressAttribute(nl: NetlinkMessage): AttributeDecoder {
  return (tvb, ctx, attr, type, o, len) => {
    switch (type) {
      case 3: {
        const s = stringz(tvb, o, len);
        ctx.add(attr, F['netlink-route.ifa_label'], tvb, o, len, s);
        append(ctx, attr, `: ${s}`);
        return true;
      }
      case 8: {
        const v = nl.u32(tvb, o);
        ctx.add(attr, F['netlink-route.ifa_flags32'], tvb, o, 4, v, () => `Address flags: ${flagLabel(v, IFA_F_NAMES, 8)}`);
        return true;
      }
      case 1: case 2: case 4:
        if (len === 4) {
          const ip = tvb.u32(o);
          append(ctx, attr, `: ${formatIPv4(ip)}`);
          ctx.add(attr, F['netlink-route.ifa_address.ipv4'], tvb, o, 4, ip);
        } else {
          const ip = tvb.slice(o, 16);
          append(ctx, attr, `: ${formatIPv6(ip)}`);
          // FT_IPv6 of another length: short is an error (and the end), long a warning.
          if (len !== 16) lengthNote(ctx, tvb, attr, o, len < 16, `Trying to fetch an IPv6 address with length ${len}`);
          ctx.add(attr, F['netlink-route.ifa_address.ipv6'], tvb, o, len, ip);
        }
        return true;
      default:
        return false;
    }
  };
}

/** dissect_netlink_route_route_attrs: only the interface indexes, and only 4 bytes long. */
function routeAttribute(nl: NetlinkMessage): AttributeDecoder {
  return (tvb, ctx, attr, type, o, len) => {
    if ((type !== 3 && type !== 4) || len !== 4) return false;
    const v = nl.u32(tvb, o);
    ctx.add(attr, type === 3 ? F['netlink-route.rta_iif'] : F['netlink-route.rta_oif'], tvb, o, 4, v);
    append(ctx, attr, `: ${v}`);
    return true;
  };
}

function addIfinfomsg(nl: NetlinkMessage, tvb: Tvb, ctx: PacketContext, node: FieldNode, o: number, legacy: boolean): number {
  ctx.add(node, F['netlink-route.ifi_family'], tvb, o, 1, tvb.u8(o));
  if (legacy) return o + 1;
  ctx.add(node, F['netlink-route.ifi_type'], tvb, o + 2, 2, nl.u16(tvb, o + 2));
  ctx.add(node, F['netlink-route.ifi_index'], tvb, o + 4, 4, nl.u32(tvb, o + 4) | 0);
  const flags = nl.u32(tvb, o + 8);
  const n = ctx.add(node, F['netlink-route.ifi_flags'], tvb, o + 8, 4, flags, () => `Device flags: ${flagLabel(flags, IFF_NAMES, 8)}`);
  ctx.add(n, F['netlink-route.ifi_flags.iff_up'], tvb, o + 8, 4, (flags & 1) !== 0);
  ctx.add(n, F['netlink-route.ifi_flags.iff_broadcast'], tvb, o + 8, 4, (flags & 2) !== 0);
  ctx.add(node, F['netlink-route.ifi_change'], tvb, o + 12, 4, nl.u32(tvb, o + 12));
  return o + 16;
}

function addIfaddrmsg(nl: NetlinkMessage, tvb: Tvb, ctx: PacketContext, node: FieldNode, o: number, legacy: boolean): number {
  ctx.add(node, F['netlink-route.ifa_family'], tvb, o, 1, tvb.u8(o));
  if (legacy) return o + 1;
  ctx.add(node, F['netlink-route.ifa_prefixlen'], tvb, o + 1, 1, tvb.u8(o + 1));
  const flags = tvb.u8(o + 2);
  ctx.add(node, F['netlink-route.ifa_flags'], tvb, o + 2, 1, flags, () => `Address flags: ${flagLabel(flags, IFA_F_NAMES, 8)}`);
  ctx.add(node, F['netlink-route.ifa_scope'], tvb, o + 3, 1, tvb.u8(o + 3));
  ctx.add(node, F['netlink-route.ifa_index'], tvb, o + 4, 4, nl.u32(tvb, o + 4) | 0);
  return o + 8;
}

function addRtmsg(nl: NetlinkMessage, tvb: Tvb, ctx: PacketContext, node: FieldNode, o: number, legacy: boolean): number {
  ctx.add(node, F['netlink-route.rt_family'], tvb, o, 1, tvb.u8(o));
  if (legacy) return o + 1;
  const bytes: FieldDef[] = [
    F['netlink-route.rt_dst_len'], F['netlink-route.rt_src_len'], F['netlink-route.rt_tos'], F['netlink-route.rt_table'],
    F['netlink-route.rt_protocol'], F['netlink-route.rt_scope'], F['netlink-route.rt_type'],
  ];
  bytes.forEach((f, i) => ctx.add(node, f, tvb, o + 1 + i, 1, tvb.u8(o + 1 + i)));
  ctx.add(node, F['netlink-route.rt_flags'], tvb, o + 8, 4, nl.u32(tvb, o + 8));
  return o + 12;
}

function addNdmsg(nl: NetlinkMessage, tvb: Tvb, ctx: PacketContext, node: FieldNode, o: number): number {
  ctx.add(node, F['netlink-route.nd_family'], tvb, o, 1, tvb.u8(o));
  ctx.add(node, F['netlink-route.nd_index'], tvb, o + 4, 4, nl.u32(tvb, o + 4) | 0);
  const state = nl.u16(tvb, o + 8);
  ctx.add(node, F['netlink-route.nd_state'], tvb, o + 8, 2, state, () => `State: ${flagLabel(state, NUD_NAMES, 4)}`);
  ctx.add(node, F['netlink-route.nd_flags'], tvb, o + 10, 1, tvb.u8(o + 10));
  ctx.add(node, F['netlink-route.nd_type'], tvb, o + 11, 1, tvb.u8(o + 11));
  return o + 12;
}

/**
 * The body of dissect_netlink_route. "Legacy" dump requests (iproute2 < 3.9, libnl's
 * nl_rtgen_request) carry a 1-byte rtgenmsg where the GET message's struct belongs: tshark
 * shows only its family then (and for a link request still walks attributes from the aligned
 * offset, which lies past the message: malformed, as tshark has it).
 */
function dissectBody(nl: NetlinkMessage, tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  let o = nl.header(tvb, ctx, node, 0, F['netlink-route.nltype']);
  const rest = tvb.reportedLength - o;
  switch (nl.type) {
    case RTM_NEWLINK: case RTM_DELLINK: case RTM_GETLINK:
      o = addIfinfomsg(nl, tvb, ctx, node, o, nl.type === RTM_GETLINK && rest < 16);
      nl.attributes(tvb, ctx, node, o, F['netlink-route.ifla_attr_type'], linkAttribute(nl));
      break;
    case RTM_NEWADDR: case RTM_DELADDR: case RTM_GETADDR: {
      const legacy = nl.type === RTM_GETADDR && rest < 8;
      o = addIfaddrmsg(nl, tvb, ctx, node, o, legacy);
      if (!legacy) nl.attributes(tvb, ctx, node, o, F['netlink-route.ifa_attr_type'], addressAttribute(nl));
      break;
    }
    case RTM_NEWROUTE: case RTM_DELROUTE: case RTM_GETROUTE: {
      const legacy = nl.type === RTM_GETROUTE && rest < 12;
      o = addRtmsg(nl, tvb, ctx, node, o, legacy);
      if (!legacy) nl.attributes(tvb, ctx, node, o, F['netlink-route.rta_attr_type'], routeAttribute(nl));
      break;
    }
    case RTM_NEWNEIGH: case RTM_DELNEIGH: case RTM_GETNEIGH:
      // A legacy neighbour request shows nothing after the header, not even its family.
      if (!(nl.type === RTM_GETNEIGH && rest < 12)) addNdmsg(nl, tvb, ctx, node, o);
      break;
  }
}

/** A failed DISSECTOR_ASSERT in tshark: shown as its "Dissector bug" note, and the message ends there. */
class DissectorBug extends Error {}

/** show_exception's note for a failed assertion: Info and the item say where, and the message ends. */
function dissectorBugNote(ctx: PacketContext, where: string): void {
  const text = `Dissector bug, protocol rtnetlink: ${where}`;
  ctx.malformed = true;
  ctx.info += `[${text}]`;
  ctx.addExpert(ctx.addGenerated(null, wsFields['_ws.malformed'], null, text), 'error', 'malformed', where);
}

function dissectRoute(tvb: Tvb, ctx: PacketContext, node: FieldNode): boolean {
  const nl = ctx.scratch[NETLINK_MESSAGE_SCRATCH] as NetlinkMessage | undefined;
  if (!nl) return false;
  ctx.protocol = 'Netlink route';
  ctx.info = '';
  try {
    dissectBody(nl, tvb, ctx, node);
  } catch (e) {
    if (e instanceof DissectorBug) {
      dissectorBugNote(ctx, e.message);
      return true;
    }
    throw e;
  }
  return true;
}

export const netlinkRouteProtocol = defineProtocol('netlink-route', 'Linux rtnetlink (route netlink) protocol', dissectRoute, 'rtnetlink');
// NETLINK_ROUTE is family 0 of the netlink layer's "netlink.protocol" table.
register('netlink.protocol', 0, netlinkRouteProtocol);

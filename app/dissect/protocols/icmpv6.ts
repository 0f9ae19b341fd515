// ICMPv6 (RFC 4443) with Neighbor Discovery (RFC 4861) and MLD (RFC 2710/3810) — Wireshark's
// packet-icmpv6.c. Error messages quote the offending packet, dissected as IPv6 again.
import { CHECKSUM_STATUS_NAMES } from '../checksum.js';
import { defineFields, type FieldDef } from '../field.js';
import { callProtocol, defineProtocol, isDecodeError, lookup, register } from '../dispatch.js';
import { formatEther, formatIPv6, hex4, hexBytes } from '../format.js';
import { echoState } from '../echo.js';
import { wsFields, type PacketContext } from '../packet.js';
import type { AbsTime, FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dissectIcmpExtensions } from './icmp-extensions.js';
import { dataProtocol } from './data.js';

/** ICMPv6 message types as tshark names them (the Type line and Info). */
const TYPES: Record<number, string> = {
  1: 'Destination Unreachable', 2: 'Packet Too Big', 3: 'Time Exceeded', 4: 'Parameter Problem',
  100: 'Private experimentation', 101: 'Private experimentation',
  127: 'Reserved for expansion of ICMPv6 error messages', 128: 'Echo (ping) request', 129: 'Echo (ping) reply',
  130: 'Multicast Listener Query', 131: 'Multicast Listener Report', 132: 'Multicast Listener Done',
  133: 'Router Solicitation', 134: 'Router Advertisement', 135: 'Neighbor Solicitation',
  136: 'Neighbor Advertisement', 137: 'Redirect', 138: 'Router Renumbering', 139: 'Node Information Query',
  140: 'Node Information Reply', 141: 'Inverse Neighbor Discovery Solicitation',
  142: 'Inverse Neighbor Discovery Advertisement', 143: 'Multicast Listener Report Message v2',
  144: 'Home Agent Address Discovery Request', 145: 'Home Agent Address Discovery Reply',
  146: 'Mobile Prefix Solicitation', 147: 'Mobile Prefix Advertisement', 148: 'Certification Path Solicitation',
  149: 'Certification Path Advertisement', 150: 'Experimental Mobility', 151: 'Multicast Router Advertisement',
  152: 'Multicast Router Solicitation', 153: 'Multicast Router Termination', 154: 'FMIPv6', 155: 'RPL Control',
  156: 'Locator Update', 157: 'Duplicate Address Request', 158: 'Duplicate Address Confirmation',
  159: 'MPL Control Message', 160: 'Extended Echo request', 161: 'Extended Echo reply',
  200: 'Private experimentation', 201: 'Private experimentation',
  255: 'Reserved for expansion of ICMPv6 informational messages',
};
const CODES: Record<number, Record<number, string>> = {
  1: { 0: 'no route to destination', 1: 'Administratively prohibited', 2: 'beyond scope of source address', 3: 'Address unreachable', 4: 'Port unreachable', 5: 'Source address failed ingress/egress policy', 6: 'Reject route to destination' },
  3: { 0: 'hop limit exceeded in transit', 1: 'fragment reassembly time exceeded' },
  4: { 0: 'erroneous header field encountered', 1: 'unrecognized Next Header type encountered', 2: 'unrecognized IPv6 option encountered' },
};
/** ND option types (IANA "IPv6 Neighbor Discovery Option Formats"), named as packet-icmpv6.c's option_vals. */
const OPTION_NAMES: Record<number, string> = {
  1: 'Source link-layer address', 2: 'Target link-layer address', 3: 'Prefix information', 4: 'Redirected header', 5: 'MTU',
  6: 'NBMA Shortcut Limit Option', 7: 'Advertisement Interval', 8: 'Home Agent Information', 9: 'Source Address List',
  10: 'Target Address List', 11: 'CGA', 12: 'RSA Signature', 13: 'Timestamp', 14: 'Nonce', 15: 'Trust Anchor', 16: 'Certificate',
  17: 'IP Address/Prefix Option', 18: 'New Router Prefix Information', 19: 'Link-layer Address', 20: 'Neighbor Advertisement Acknowledgment',
  23: 'MAP', 24: 'Route Information', 25: 'Recursive DNS Server', 26: 'RA Flags Extension', 27: 'Handover Key Request',
  28: 'Handover Key Reply', 29: 'Handover Assist Information', 30: 'Mobile Node Identifier Option', 31: 'DNS Search List Option',
  32: 'Proxy Signature (PS)', 33: 'Address Registration Option', 34: '6LoWPAN Context Option', 35: 'Authoritative Border Router',
  36: '6LoWPAN Capability Indication Option', 37: 'DHCP Captive-Portal', 38: 'PREF64 Option', 138: 'CARD Request', 139: 'CARD Reply',
  253: 'RFC3692-style Experiment 1', 254: 'RFC3692-style Experiment 2',
};
/** RFC 6775 4.1 Address Registration status. */
const ARO_STATUS: Record<number, string> = { 0: 'Success', 1: 'Duplicate Exists', 2: 'Neighbor Cache Full' };
/** RFC 8781 4: the bytes of prefix each Prefix Length Code gives (96, 64, 56, 48, 40, 32 bits). */
const PREF64_BYTES: Record<number, number> = { 0: 12, 1: 8, 2: 7, 3: 6, 4: 5, 5: 4 };
const INFINITY = { 0xffffffff: 'Infinity' };
/** RFC 3971 6.4.3 / RFC 6495 Trust Anchor name types. */
const NAME_TYPES: Record<number, string> = {
  1: 'DER Encoded X.501 Name', 2: 'FQDN', 3: 'SHA-1 Subject Key Identifier (SKI)', 4: 'SHA-224 Subject Key Identifier (SKI)',
  5: 'SHA-256 Subject Key Identifier (SKI)', 6: 'SHA-384 Subject Key Identifier (SKI)', 7: 'SHA-512 Subject Key Identifier (SKI)',
  253: 'Reserved for Experimental Use', 254: 'Reserved for Experimental Use', 255: 'Reserved',
};
/** RFC 5568 6.4.3 Link-layer Address option codes. */
const LLA_CODES: Record<number, string> = {
  0: 'Wildcard', 1: 'Link-layer Address of the New Access Point', 2: 'Link-layer Address of the MN', 3: 'Link-layer Address of the NAR',
  4: 'Link-layer Address of the source', 5: 'The AP belongs to the current interface of the router', 6: 'No prefix information available',
  7: 'No fast handovers support available',
};
/** RFC 5568 6.4.5 Neighbor Advertisement Acknowledgment status. */
const NAACK_STATUS: Record<number, string> = {
  1: 'New CoA is invalid, perform address configuration', 2: 'New CoA is invalid, use the supplied CoA',
  3: "NCoA is invalid, use NAR's IP address as NCoA in FBU", 4: 'PCoA supplied, do not send FBU', 128: 'LLA is unrecognized',
};
const PREF64_PLC: Record<number, string> = Object.fromEntries(Object.entries(PREF64_BYTES).map(([k, n]) => [k, `${n * 8} bits prefix length`]));

/** RFC 3810 5.2.12 Multicast Address Record types. */
const MLDR_RECORD_TYPES: Record<number, string> = { 1: 'Include', 2: 'Exclude', 3: 'Changed to include', 4: 'Changed to exclude', 5: 'Allow new sources', 6: 'Block old sources' };

/** RFC 4191 2.1 Default Router Preference. */
const RA_PREFERENCE: Record<number, string> = { 0: 'Medium', 1: 'High', 2: 'Reserved', 3: 'Low' };
/** RFC 4191 2.3 Route Preference: the same codes. */
const ROUTE_PREFERENCE = RA_PREFERENCE;

export const icmpv6Fields = defineFields([
  { name: 'icmpv6.type', label: 'Type', type: 'uint8', values: TYPES },
  { name: 'icmpv6.code', label: 'Code', type: 'uint8' },
  { name: 'icmpv6.checksum', label: 'Checksum', type: 'uint16', base: 'hex' },
  { name: 'icmpv6.checksum.status', label: 'Checksum Status', type: 'uint8', base: 'none', values: CHECKSUM_STATUS_NAMES },
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
  { name: 'icmpv6.opt.prefix.valid_lifetime', label: 'Valid Lifetime', type: 'uint32', values: INFINITY, specialValues: true },
  { name: 'icmpv6.opt.prefix.preferred_lifetime', label: 'Preferred Lifetime', type: 'uint32', values: INFINITY, specialValues: true },
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
  { name: 'icmpv6.data', label: 'Data', type: 'bytes' },
  { name: 'icmpv6.unknown_data', label: 'Unknown Data', type: 'bytes' },
  { name: 'icmpv6.opt.padding', label: 'Padding', type: 'none' },
  { name: 'icmpv6.opt.linkaddr_eui64', label: 'Link-layer address', type: 'ether' },
  { name: 'icmpv6.opt.src_linkaddr_eui64', label: 'Source Link-layer address', type: 'ether' },
  { name: 'icmpv6.opt.target_linkaddr_eui64', label: 'Target Link-layer address', type: 'ether' },
  { name: 'icmpv6.opt.redirected_packet', label: 'Redirected Packet', type: 'none' },
  { name: 'icmpv6.opt.nbma.shortcut_limit', label: 'Shortcut Limit', type: 'uint8' },
  { name: 'icmpv6.opt.advertisement_interval', label: 'Advertisement Interval', type: 'uint32' },
  { name: 'icmpv6.opt.home_agent_preference', label: 'Home Agent Preference', type: 'uint16' },
  // tshark 4.0 labels the lifetime "Home Agent Preference" too.
  { name: 'icmpv6.opt.home_agent_lifetime', label: 'Home Agent Preference', type: 'uint16' },
  { name: 'icmpv6.opt.ipv6_address', label: 'IPv6 Address', type: 'ipv6' },
  { name: 'icmpv6.opt.rsa.key_hash', label: 'Key Hash', type: 'bytes' },
  { name: 'icmpv6.opt.digital_signature_padding', label: 'Digital Signature and Padding', type: 'none' },
  { name: 'icmpv6.opt.ps.key_hash', label: 'Key Hash', type: 'bytes' },
  { name: 'icmpv6.opt.timestamp', label: 'Timestamp', type: 'abstime', clock: 'utc' },
  { name: 'icmpv6.opt.nonce', label: 'Nonce', type: 'bytes' },
  { name: 'icmpv6.opt.name_type', label: 'Name Type', type: 'uint8', values: NAME_TYPES },
  { name: 'icmpv6.opt.cga.pad_length', label: 'Pad Length', type: 'uint8' },
  { name: 'icmpv6.opt.name_x501', label: 'DER Encoded X.501 Name', type: 'bytes' },
  { name: 'icmpv6.opt.name_type.fqdn', label: 'FQDN', type: 'string' },
  // tshark 4.0 registers the certificate type as a second icmpv6.opt.name_type; names here are unique.
  { name: 'icmpv6.opt.cert_type', label: 'Cert Type', type: 'uint8', values: { 1: 'X.509v3 Certificate' } },
  { name: 'icmpv6.opt.certificate_padding', label: 'Certificate and Padding', type: 'none' },
  { name: 'icmpv6.opt.ipa.option_code', label: 'Option-code', type: 'uint8', values: { 1: 'Old Care-of Address', 2: 'New Care-of Address', 3: "NAR's IP address", 4: "NAR's Prefix (sent in PrRtAdv)" } },
  { name: 'icmpv6.opt.ipa.prefix_len', label: 'Prefix Length', type: 'uint8' },
  { name: 'icmpv6.opt.ipa.ipv6_address', label: 'IPv6 Address', type: 'ipv6' },
  { name: 'icmpv6.opt.nrpi.option_code', label: 'Option-code', type: 'uint8' },
  { name: 'icmpv6.opt.nrpi.prefix_len', label: 'Prefix Length', type: 'uint8' },
  { name: 'icmpv6.opt.nrpi.prefix', label: 'Prefix', type: 'ipv6' },
  { name: 'icmpv6.opt.lla.option_code', label: 'Option-code', type: 'uint8', values: LLA_CODES },
  { name: 'icmpv6.opt.lla.bytes', label: 'Link-Layer Address', type: 'bytes' },
  { name: 'icmpv6.opt.naack.option_code', label: 'Option-Code', type: 'uint8' },
  { name: 'icmpv6.opt.naack.status', label: 'Status', type: 'uint8', values: NAACK_STATUS },
  { name: 'icmpv6.opt.naack.supplied_ncoa', label: 'Supplied NCoA', type: 'ipv6' },
  { name: 'icmpv6.opt.map.distance', label: 'Distance', type: 'uint8', mask: 0xf0 },
  { name: 'icmpv6.opt.map.preference', label: 'Preference', type: 'uint8', mask: 0x0f },
  { name: 'icmpv6.opt.map.flag', label: 'Flag', type: 'uint8', base: 'hex' },
  { name: 'icmpv6.opt.map.flag.r', label: 'RCoA Flag', type: 'boolean', mask: 0x80 },
  { name: 'icmpv6.opt.map.flag.reserved', label: 'Reserved', type: 'uint8', mask: 0x7f },
  { name: 'icmpv6.opt.map.valid_lifetime', label: 'Valid Lifetime', type: 'uint32' },
  { name: 'icmpv6.opt.map.global_address', label: 'Global Address', type: 'ipv6' },
  { name: 'icmpv6.opt.route_info.flag', label: 'Flag', type: 'uint8', base: 'hex' },
  { name: 'icmpv6.opt.route_info.flag.route_preference', label: 'Route Preference', type: 'uint8', mask: 0x18, values: ROUTE_PREFERENCE },
  { name: 'icmpv6.opt.route_info.flag.reserved', label: 'Reserved', type: 'uint8', mask: 0xe7 },
  { name: 'icmpv6.opt.route_lifetime', label: 'Route Lifetime', type: 'uint32', values: INFINITY, specialValues: true },
  { name: 'icmpv6.opt.rdnss.lifetime', label: 'Lifetime', type: 'uint32', values: { 0: 'RDNSS address MUST no longer be used', ...INFINITY }, specialValues: true },
  { name: 'icmpv6.opt.rdnss', label: 'Recursive DNS Servers', type: 'ipv6' },
  { name: 'icmpv6.opt.efo', label: 'Flags Expansion Option', type: 'uint16', base: 'hex' },
  { name: 'icmpv6.opt.efo.m', label: 'Managed address configuration', type: 'boolean', mask: 0x8000, tf: ['Set', 'Not set'] },
  { name: 'icmpv6.opt.efo.o', label: 'Other configuration', type: 'boolean', mask: 0x4000, tf: ['Set', 'Not set'] },
  { name: 'icmpv6.opt.efo.h', label: 'Home Agent', type: 'boolean', mask: 0x2000, tf: ['Set', 'Not set'] },
  { name: 'icmpv6.opt.efo.prf', label: 'Prf (Default Router Preference)', type: 'uint16', mask: 0x1800, values: RA_PREFERENCE },
  { name: 'icmpv6.opt.efo.p', label: 'Proxy', type: 'boolean', mask: 0x0400, tf: ['Set', 'Not set'] },
  { name: 'icmpv6.opt.efo.rsv', label: 'Reserved', type: 'uint16', mask: 0x02ff },
  { name: 'icmpv6.opt.hkr.pad_length', label: 'Pad Length', type: 'uint8' },
  { name: 'icmpv6.opt.hkr.at', label: 'AT', type: 'uint8', mask: 0xf0 },
  { name: 'icmpv6.opt.hkr.reserved', label: 'Reserved', type: 'uint8', mask: 0x0f },
  { name: 'icmpv6.opt.hkr.encryption_public_key', label: 'Handover Key Encryption Public Key', type: 'bytes' },
  { name: 'icmpv6.opt.hkr.padding', label: 'Padding', type: 'bytes' },
  // tshark 4.0 labels the key's lifetime "Padding".
  { name: 'icmpv6.opt.hkr.lifetime', label: 'Padding', type: 'uint16' },
  { name: 'icmpv6.opt.hkr.encrypted_handover_key', label: 'Encrypted Handover Key', type: 'bytes' },
  { name: 'icmpv6.opt.hai.option_code', label: 'Option-Code', type: 'uint8', values: { 1: 'Access Network Identifier (AN ID)', 2: 'Sector ID' } },
  { name: 'icmpv6.opt.hai.length', label: 'HAI-Length', type: 'uint8' },
  { name: 'icmpv6.opt.hai.value', label: 'HAI-Value', type: 'bytes' },
  { name: 'icmpv6.opt.mn.option_code', label: 'Option-Code', type: 'uint8', values: { 1: 'NAI', 2: 'IMSI' } },
  { name: 'icmpv6.opt.mn.length', label: 'MN-Length', type: 'uint8' },
  { name: 'icmpv6.opt.mn.value', label: 'MN-Value', type: 'bytes' },
  { name: 'icmpv6.opt.dnssl.lifetime', label: 'Lifetime', type: 'uint32', values: { 0: 'DNSSL domain name MUST no longer be used', ...INFINITY }, specialValues: true },
  { name: 'icmpv6.opt.dnssl', label: 'Domain Names', type: 'string' },
  { name: 'icmpv6.opt.aro.status', label: 'Status', type: 'uint8', values: ARO_STATUS },
  { name: 'icmpv6.opt.aro.registration_lifetime', label: 'Registration  Lifetime', type: 'uint16' },
  { name: 'icmpv6.opt.aro.eui64', label: 'EUI-64', type: 'ether' },
  { name: 'icmpv6.opt.6co.context_length', label: 'Context Length', type: 'uint8' },
  { name: 'icmpv6.opt.6co.flag', label: 'Flag', type: 'uint8', base: 'hex' },
  { name: 'icmpv6.opt.6co.flag.c', label: 'Compression Flag', type: 'boolean', mask: 0x10, tf: ['Set', 'Not set'] },
  { name: 'icmpv6.opt.6co.flag.cid', label: 'CID', type: 'uint8', mask: 0x0f },
  { name: 'icmpv6.opt.6co.flag.reserved', label: 'Reserved', type: 'uint8', mask: 0xe0 },
  { name: 'icmpv6.opt.6co.valid_lifetime', label: 'Lifetime', type: 'uint16' },
  { name: 'icmpv6.opt.6co.context_prefix', label: 'Context Prefix', type: 'ipv6' },
  { name: 'icmpv6.opt.abro.version_low', label: 'Version Low', type: 'uint16' },
  { name: 'icmpv6.opt.abro.version_high', label: 'Version', type: 'uint16' },
  { name: 'icmpv6.opt.abro.valid_lifetime', label: 'Valid Lifetime', type: 'uint16' },
  { name: 'icmpv6.opt.abro.6lbr_address', label: '6LBR Address', type: 'ipv6' },
  { name: 'icmpv6.opt.6cio.unassigned1', label: 'Unassigned', type: 'uint16', base: 'hex', mask: 0xfffe },
  { name: 'icmpv6.opt.6cio.flag_g', label: 'G', type: 'uint16', base: 'hex', mask: 0x0001 },
  { name: 'icmpv6.opt.6cio.unassigned2', label: 'Unassigned', type: 'uint32', base: 'hex' },
  { name: 'icmpv6.opt.captive_portal', label: 'Captive Portal', type: 'string' },
  { name: 'icmpv6.opt.pref64.scaled_lifetime', label: 'Scaled Lifetime', type: 'uint16', mask: 0xfff8 },
  { name: 'icmpv6.opt.pref64.plc', label: 'PLC (Prefix Length Code)', type: 'uint16', base: 'hex', mask: 0x0007, values: PREF64_PLC },
  { name: 'icmpv6.opt.pref64.prefix', label: 'Prefix', type: 'ipv6' },
  { name: 'icmpv6.mld.maximum_response_delay', label: 'Maximum Response Delay [ms]', type: 'uint16' },
  { name: 'icmpv6.mld.maximum_response_code', label: 'Maximum Response Code', type: 'uint16' },
  { name: 'icmpv6.mld.multicast_address', label: 'Multicast Address', type: 'ipv6' },
  { name: 'icmpv6.mld.flag', label: 'Flags', type: 'uint8', base: 'hex' },
  { name: 'icmpv6.mld.flag.s', label: 'Suppress Router-Side Processing', type: 'boolean', mask: 0x08 },
  { name: 'icmpv6.mld.flag.qrv', label: "QRV (Querier's Robustness Variable)", type: 'uint8', mask: 0x07 },
  { name: 'icmpv6.mld.flag.reserved', label: 'Reserved', type: 'uint8', mask: 0xf0 },
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
      ndOptions(tvb, ctx, node, 8);
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
      ndOptions(tvb, ctx, node, 16);
      return;
    case 135: {
      ctx.add(node, F['icmpv6.reserved'], tvb, 4, 4, tvb.slice(4, 4));
      const target = tvb.slice(8, 16);
      ctx.add(node, F['icmpv6.nd.ns.target_address'], tvb, 8, 16, target);
      ctx.info = `${typeName} for ${formatIPv6(target)}`;
      ndOptions(tvb, ctx, node, 24);
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
      ndOptions(tvb, ctx, node, 24);
      return;
    }
    case 137:
      ctx.add(node, F['icmpv6.reserved'], tvb, 4, 4, tvb.slice(4, 4));
      ctx.add(node, F['icmpv6.nd.rd.target_address'], tvb, 8, 16, tvb.slice(8, 16));
      ctx.add(node, F['icmpv6.rd.na.destination_address'], tvb, 24, 16, tvb.slice(24, 16));
      ndOptions(tvb, ctx, node, 40);
      return;
    case 130: case 131: case 132:
      // RFC 3810 5.1: a query of 28 bytes or more is MLDv2 (a Maximum Response Code, sources).
      if (type === 130 && tvb.reportedLength >= 28) {
        ctx.add(node, F['icmpv6.mld.maximum_response_code'], tvb, 4, 2, tvb.u16(4));
        ctx.add(node, F['icmpv6.reserved'], tvb, 6, 2, tvb.slice(6, 2));
        ctx.add(node, F['icmpv6.mld.multicast_address'], tvb, 8, 16, tvb.slice(8, 16));
        const f = tvb.u8(24);
        // proto_tree_add_bitmask names the S flag in the header when it is set.
        const fl = ctx.add(node, F['icmpv6.mld.flag'], tvb, 24, 1, f, () => `Flags: 0x${f.toString(16).padStart(2, '0')}${f & 0x08 ? ', Suppress Router-Side Processing' : ''}`);
        ctx.add(fl, F['icmpv6.mld.flag.s'], tvb, 24, 1, (f & 0x08) !== 0);
        ctx.add(fl, F['icmpv6.mld.flag.qrv'], tvb, 24, 1, f & 0x07);
        ctx.add(fl, F['icmpv6.mld.flag.reserved'], tvb, 24, 1, f >> 4);
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

/**
 * ND options (RFC 4861 4.6 and the options later RFCs added), as packet-icmpv6.c's
 * dissect_icmpv6_nd_opt reads them: each option's item is titled "ICMPv6 Option (Name" plus
 * what the option appends, closed with ")" once it is read whole (an exception leaves it
 * open). Each reader advances a cursor from the option's third byte; bytes the reader leaves
 * before the option's end are "Unknown Data" with a Malformed note, so tshark's own slips
 * (the handover key options' padding, the assist and node identifier options' padding
 * computed from the message offset) show the way tshark shows them.
 */
function ndOptions(tvb: Tvb, ctx: PacketContext, node: FieldNode, start: number): void {
  for (let o = start; o < tvb.reportedLength; ) {
    const len = tvb.u8(o + 1) * 8, type = tvb.u8(o);
    let title = `ICMPv6 Option (${OPTION_NAMES[type] ?? `Unknown ${type}`}`;
    const opt = ctx.add(node, F['icmpv6.opt'], tvb, o, len, null, ctx.tree ? title : undefined);
    const append = (text: string) => {
      if (!ctx.tree) return;
      title += text;
      ctx.setText(opt, title);
    };
    ctx.add(opt, F['icmpv6.opt.type'], tvb, o, 1, type);
    const lenNode = ctx.add(opt, F['icmpv6.opt.length'], tvb, o + 1, 1, len / 8, () => `Length: ${len / 8} (${len} bytes)`);
    if (len === 0) {
      malformedNote(ctx, lenNode, tvb, o + 1, 'Invalid option length (Zero)');
      return;
    }
    const reader = ND_OPTION_READERS[type];
    const c: OptionCursor = { tvb, ctx, opt, lenNode, start: o, len, p: o + 2, append };
    if (reader) reader(c);
    else {
      ctx.addExpert(opt, 'note', 'undecoded', `Dissector for ICMPv6 Option (${type}) code not implemented, Contact Wireshark developers if you want this supported`);
      c.p += bytes(c, F['icmpv6.data'], len - 2);
    }
    o += len;
    if (o > c.p) {
      const rest = ctx.add(opt, F['icmpv6.unknown_data'], tvb, c.p, o - c.p, tvb.slice(c.p, o - c.p));
      malformedNote(ctx, rest, tvb, c.p, 'Unknown Data (not interpreted)');
    }
    append(')');
  }
}

/** An error in the Malformed group; tshark's expert.c adds a hidden _ws.malformed with it (so the filter matches). */
function malformedNote(ctx: PacketContext, node: FieldNode, tvb: Tvb, at: number, message: string): void {
  ctx.addExpert(node, 'error', 'malformed', message);
  ctx.addHidden(node, wsFields['_ws.malformed'], tvb, at, 0, null);
}

/** One option being read: `p` is the cursor (an offset in the ICMPv6 message, as tshark's opt_offset). */
interface OptionCursor {
  tvb: Tvb;
  ctx: PacketContext;
  opt: FieldNode;
  lenNode: FieldNode;
  /** The option's first byte and its length in bytes. */
  start: number;
  len: number;
  p: number;
  append: (text: string) => void;
}

/** Adds an integer field of `size` bytes at the cursor (not moving it) and returns its value. */
function uint(c: OptionCursor, field: FieldDef, size: 1 | 2 | 4, at = c.p): number {
  const v = size === 1 ? c.tvb.u8(at) : size === 2 ? c.tvb.u16(at) : c.tvb.u32(at);
  c.ctx.add(c.opt, field, c.tvb, at, size, field.mask ? (v & field.mask) / (field.mask & -field.mask) : v);
  return v;
}
/** Adds a byte-string field of `n` bytes at the cursor and returns n. */
function bytes(c: OptionCursor, field: FieldDef, n: number): number {
  c.ctx.add(c.opt, field, c.tvb, c.p, n, c.tvb.slice(c.p, n));
  return n;
}
/** A value-less item (Reserved, Padding) of `n` bytes at the cursor; a negative `n` (tshark's slip) shows with no bytes. */
function blank(c: OptionCursor, field: FieldDef, n: number): number {
  if (n > 0) c.tvb.check(c.p, n);
  c.ctx.add(c.opt, field, c.tvb, c.p, Math.max(0, n), null);
  return n;
}
/** An IPv6 address field at the cursor; returns its text. */
function address(c: OptionCursor, field: FieldDef): string {
  const a = c.tvb.slice(c.p, 16);
  c.ctx.add(c.opt, field, c.tvb, c.p, 16, a);
  return formatIPv6(a);
}
/** The first `n` bytes of an address at the cursor, zero-filled (a prefix shorter than 16 bytes). */
function shortPrefix(c: OptionCursor, field: FieldDef, n: number): string {
  const a = new Uint8Array(16);
  a.set(c.tvb.slice(c.p, n));
  c.ctx.add(c.opt, field, c.tvb, c.p, n, a);
  return formatIPv6(a);
}

/**
 * A flags byte or word as proto_tree_add_bitmask shows it: "Flag: 0x80, RCoA Flag", naming
 * each boolean that is set and each bit field that has value names, then the bits beneath.
 */
function bitmask(c: OptionCursor, header: FieldDef, size: 1 | 2, bits: readonly FieldDef[]): number {
  const v = size === 1 ? c.tvb.u8(c.p) : c.tvb.u16(c.p);
  const parts: string[] = [];
  for (const b of bits) {
    const x = (v & b.mask!) / (b.mask! & -b.mask!);
    if (b.type === 'boolean') {
      if (x) parts.push(b.label);
    } else if (b.values) parts.push(`${b.label}: ${b.values[x] ?? 'Unknown'}`);
  }
  const h = c.ctx.add(c.opt, header, c.tvb, c.p, size, v, () => `${header.label}: 0x${v.toString(16).padStart(size * 2, '0')}${parts.map((t) => ', ' + t).join('')}`);
  for (const b of bits) {
    const x = (v & b.mask!) / (b.mask! & -b.mask!);
    c.ctx.add(h, b, c.tvb, c.p, size, b.type === 'boolean' ? x !== 0 : x);
  }
  return v;
}

/** An EUI-64 as FT_EUI64 shows it: the address, then its (unresolved) name. */
function eui64(c: OptionCursor, field: FieldDef): string {
  const a = c.tvb.slice(c.p, 8);
  const text = formatEther(a);
  c.ctx.add(c.opt, field, c.tvb, c.p, 8, a, () => `${field.label}: ${text} (${text})`);
  return text;
}

/** Source (1) and target (2) link-layer addresses: a MAC, an EUI-64 and its padding, or bytes. */
function linkLayerAddress(c: OptionCursor, type: number): void {
  const { tvb, ctx, len } = c;
  const src = type === 1;
  if (len === 8) {
    const mac = tvb.slice(c.p, 6), text = formatEther(mac);
    ctx.add(c.opt, F['icmpv6.opt.linkaddr'], tvb, c.p, 6, mac);
    ctx.addHidden(c.opt, src ? F['icmpv6.opt.src_linkaddr'] : F['icmpv6.opt.target_linkaddr'], tvb, c.p, 6, mac);
    ctx.info += `${src ? ' from' : ' is at'} ${text}`;
    c.append(` : ${text}`);
  } else if (len === 16 && tvb.u32(c.p + 8) === 0 && tvb.u16(c.p + 12) === 0) {
    // An EUI-64 (RFC 4944 8): packet-icmpv6.c says " from" for a target's too.
    const text = eui64(c, F['icmpv6.opt.linkaddr_eui64']);
    ctx.addHidden(c.opt, src ? F['icmpv6.opt.src_linkaddr_eui64'] : F['icmpv6.opt.target_linkaddr_eui64'], tvb, c.p, 8, tvb.slice(c.p, 8));
    if (src) {
      // The source's (only) also as the plain link-layer address fields.
      ctx.addHidden(c.opt, F['icmpv6.opt.linkaddr'], tvb, c.p, 8, tvb.slice(c.p, 8));
      ctx.addHidden(c.opt, F['icmpv6.opt.src_linkaddr'], tvb, c.p, 8, tvb.slice(c.p, 8));
    }
    c.p += 8;
    blank(c, F['icmpv6.opt.padding'], 6);
    c.p -= 8;
    ctx.info += ` from ${text}`;
    c.append(` : ${text}`);
  } else {
    const b = tvb.slice(c.p, len - 2);
    ctx.add(c.opt, F['icmpv6.opt.linkaddr'], tvb, c.p, len - 2, b, () => `Link-layer address: ${hexBytes(b)}`);
    ctx.addHidden(c.opt, src ? F['icmpv6.opt.src_linkaddr'] : F['icmpv6.opt.target_linkaddr'], tvb, c.p, len - 2, b);
  }
  c.p += len; // tshark moves past the whole option length from its third byte
}

/** RFC 8106 5.2: a DNSSL name in DNS label form; "<Root>" for the empty name. */
function searchListName(tvb: Tvb, at: number): { text: string; used: number } {
  const labels: string[] = [];
  let o = at;
  for (let n = tvb.u8(o); n !== 0; n = tvb.u8(o)) {
    labels.push(tvb.ascii(o + 1, n));
    o += 1 + n;
  }
  return { text: labels.length ? labels.join('.') : '<Root>', used: o + 1 - at };
}

/** Route Information (RFC 4191 2.3) and 6LoWPAN Context (RFC 6775 4.2) carry a prefix of 0, 8 or 16 bytes by the option's length. */
function lengthPrefix(c: OptionCursor, field: FieldDef, bits: number): void {
  if (c.len === 8) c.append(` ::/${bits}`);
  else if (c.len === 16 || c.len === 24) {
    const n = c.len - 8;
    c.append(` ${shortPrefix(c, field, n)}/${bits}`);
    c.p += n;
  } else malformedNote(c.ctx, c.lenNode, c.tvb, c.start + 1, 'Invalid Option Length');
}

/** Handover Key Request (27) / Reply (28), RFC 5269 5.2/5.3: tshark moves one byte past the padding, whatever its length. */
function handoverKey(c: OptionCursor, reply: boolean): void {
  const pad = uint(c, F['icmpv6.opt.hkr.pad_length'], 1);
  c.p += 1;
  uint(c, F['icmpv6.opt.hkr.at'], 1);
  uint(c, F['icmpv6.opt.hkr.reserved'], 1);
  c.p += 1;
  if (reply) {
    uint(c, F['icmpv6.opt.hkr.lifetime'], 2);
    c.p += 2;
  }
  c.p += bytes(c, reply ? F['icmpv6.opt.hkr.encrypted_handover_key'] : F['icmpv6.opt.hkr.encryption_public_key'], c.len - (reply ? 6 : 4) - pad);
  bytes(c, F['icmpv6.opt.hkr.padding'], pad);
  c.p += 1;
}

/** Handover Assist Information (29) / Mobile Node Identifier (30), RFC 5271: code, length, value, padding to the option's length measured from the message's start (tshark's reckoning). */
function codedValue(c: OptionCursor, code: FieldDef, length: FieldDef, value: FieldDef): void {
  uint(c, code, 1);
  c.p += 1;
  const n = uint(c, length, 1);
  c.p += 1;
  c.p += bytes(c, value, n);
  c.p += blank(c, F['icmpv6.opt.padding'], c.len - c.p);
}

const ND_OPTION_READERS: Record<number, (c: OptionCursor) => void> = {
  1: (c) => linkLayerAddress(c, 1),
  2: (c) => linkLayerAddress(c, 2),
  3: (c) => {
    const bits = uint(c, F['icmpv6.opt.prefix.length'], 1);
    c.p += 1;
    bitmask(c, F['icmpv6.opt.prefix.flag'], 1, [F['icmpv6.opt.prefix.flag.l'], F['icmpv6.opt.prefix.flag.a'], F['icmpv6.opt.prefix.flag.r'], F['icmpv6.opt.prefix.flag.reserved']]);
    c.p += 1;
    uint(c, F['icmpv6.opt.prefix.valid_lifetime'], 4);
    uint(c, F['icmpv6.opt.prefix.preferred_lifetime'], 4, c.p + 4);
    c.p += 8;
    c.p += blank(c, F['icmpv6.opt.reserved'], 4);
    c.append(` : ${address(c, F['icmpv6.opt.prefix'])}/${bits}`);
    c.p += 16;
  },
  4: (c) => {
    c.p += blank(c, F['icmpv6.opt.reserved'], 6);
    if (c.len > 8) {
      blank(c, F['icmpv6.opt.redirected_packet'], c.len - 8);
      // RFC 4861 4.6.3: the redirected packet, dissected as an ICMPv6 error's quote is.
      quoteInner(c.tvb.sub(c.p, c.len - 8), c.ctx, c.opt);
      c.p += c.len - 8;
    }
  },
  5: (c) => {
    c.p += blank(c, F['icmpv6.opt.reserved'], 2);
    c.append(` : ${uint(c, F['icmpv6.opt.mtu'], 4)}`);
    c.p += 4;
  },
  6: (c) => {
    // RFC 2491 5.2: the limit, then (tshark) a one-byte and a four-byte Reserved, the first over the limit's byte.
    c.append(` : ${uint(c, F['icmpv6.opt.nbma.shortcut_limit'], 1)}`);
    c.p += blank(c, F['icmpv6.opt.reserved'], 1);
    c.p += blank(c, F['icmpv6.opt.reserved'], 4);
  },
  7: (c) => {
    c.p += blank(c, F['icmpv6.opt.reserved'], 2);
    c.append(` : ${uint(c, F['icmpv6.opt.advertisement_interval'], 4)}`);
    c.p += 4;
  },
  8: (c) => {
    c.p += blank(c, F['icmpv6.opt.reserved'], 2);
    uint(c, F['icmpv6.opt.home_agent_preference'], 2);
    uint(c, F['icmpv6.opt.home_agent_lifetime'], 2, c.p + 2);
    c.p += 4;
  },
  9: (c) => addressList(c),
  10: (c) => addressList(c),
  12: (c) => signature(c, F['icmpv6.opt.rsa.key_hash']),
  13: (c) => {
    c.p += blank(c, F['icmpv6.opt.reserved'], 6);
    // RFC 3971 5.3.1: 48 bits of seconds since 1970 and 16 bits of 1/65536 seconds.
    const hi = c.tvb.u32(c.p), lo = c.tvb.u32(c.p + 4);
    const t: AbsTime = { sec: hi * 0x10000 + (lo >>> 16), nsec: Math.trunc(((lo & 0xffff) / 65536) * 1e9) };
    c.ctx.add(c.opt, F['icmpv6.opt.timestamp'], c.tvb, c.p, 8, t);
    c.p += 8;
  },
  14: (c) => { c.p += bytes(c, F['icmpv6.opt.nonce'], c.len - 2); },
  15: (c) => {
    const nameType = uint(c, F['icmpv6.opt.name_type'], 1);
    c.p += 1;
    const pad = uint(c, F['icmpv6.opt.cga.pad_length'], 1);
    c.p += 1;
    const n = c.len - 4 - pad;
    if (nameType === 1) bytes(c, F['icmpv6.opt.name_x501'], n);
    else if (nameType === 2) c.ctx.add(c.opt, F['icmpv6.opt.name_type.fqdn'], c.tvb, c.p, n, c.tvb.ascii(c.p, n));
    c.p += n;
    c.p += blank(c, F['icmpv6.opt.padding'], pad);
  },
  16: (c) => {
    uint(c, F['icmpv6.opt.cert_type'], 1);
    c.p += 1;
    c.p += blank(c, F['icmpv6.opt.reserved'], 1);
    c.p += blank(c, F['icmpv6.opt.certificate_padding'], c.len - 4);
  },
  17: (c) => prefixOption(c, F['icmpv6.opt.ipa.option_code'], F['icmpv6.opt.ipa.prefix_len'], F['icmpv6.opt.ipa.ipv6_address']),
  18: (c) => prefixOption(c, F['icmpv6.opt.nrpi.option_code'], F['icmpv6.opt.nrpi.prefix_len'], F['icmpv6.opt.nrpi.prefix']),
  19: (c) => {
    uint(c, F['icmpv6.opt.lla.option_code'], 1);
    c.p += 1;
    c.p += bytes(c, F['icmpv6.opt.lla.bytes'], c.len - 3);
  },
  20: (c) => {
    uint(c, F['icmpv6.opt.naack.option_code'], 1);
    const status = uint(c, F['icmpv6.opt.naack.status'], 1, c.p + 1);
    c.p += 2;
    if (status === 2) {
      address(c, F['icmpv6.opt.naack.supplied_ncoa']);
      c.p += 16;
    } else c.p += blank(c, F['icmpv6.opt.reserved'], c.len - 4);
  },
  23: (c) => {
    uint(c, F['icmpv6.opt.map.distance'], 1);
    uint(c, F['icmpv6.opt.map.preference'], 1);
    c.p += 1;
    bitmask(c, F['icmpv6.opt.map.flag'], 1, [F['icmpv6.opt.map.flag.r'], F['icmpv6.opt.map.flag.reserved']]);
    c.p += 1;
    uint(c, F['icmpv6.opt.map.valid_lifetime'], 4);
    c.p += 4;
    address(c, F['icmpv6.opt.map.global_address']);
    c.p += 16;
  },
  24: (c) => {
    const bits = uint(c, F['icmpv6.opt.prefix.length'], 1);
    c.p += 1;
    const f = bitmask(c, F['icmpv6.opt.route_info.flag'], 1, [F['icmpv6.opt.route_info.flag.route_preference'], F['icmpv6.opt.route_info.flag.reserved']]);
    c.append(` : ${ROUTE_PREFERENCE[(f >> 3) & 3]}`);
    c.p += 1;
    uint(c, F['icmpv6.opt.route_lifetime'], 4);
    c.p += 4;
    lengthPrefix(c, F['icmpv6.opt.prefix'], bits);
  },
  25: (c) => {
    c.p += blank(c, F['icmpv6.opt.reserved'], 2);
    uint(c, F['icmpv6.opt.rdnss.lifetime'], 4);
    c.p += 4;
    for (const end = c.start + c.len; c.p < end; c.p += 16) c.append(` ${address(c, F['icmpv6.opt.rdnss'])}`);
  },
  26: (c) => {
    bitmask(c, F['icmpv6.opt.efo'], 2, [F['icmpv6.opt.efo.m'], F['icmpv6.opt.efo.o'], F['icmpv6.opt.efo.h'], F['icmpv6.opt.efo.prf'], F['icmpv6.opt.efo.p'], F['icmpv6.opt.efo.rsv']]);
    c.p += 2;
    c.p += blank(c, F['icmpv6.opt.reserved'], 4);
  },
  27: (c) => handoverKey(c, false),
  28: (c) => handoverKey(c, true),
  29: (c) => codedValue(c, F['icmpv6.opt.hai.option_code'], F['icmpv6.opt.hai.length'], F['icmpv6.opt.hai.value']),
  30: (c) => codedValue(c, F['icmpv6.opt.mn.option_code'], F['icmpv6.opt.mn.length'], F['icmpv6.opt.mn.value']),
  31: (c) => {
    c.p += blank(c, F['icmpv6.opt.reserved'], 2);
    uint(c, F['icmpv6.opt.dnssl.lifetime'], 4);
    c.p += 4;
    for (const end = c.start + c.len; c.p < end; ) {
      // RFC 8106 5.2: zero bytes after the last name pad the option.
      if (c.tvb.u8(c.p) === 0) {
        c.p += blank(c, F['icmpv6.opt.padding'], end - c.p);
        break;
      }
      const name = searchListName(c.tvb, c.p);
      c.ctx.add(c.opt, F['icmpv6.opt.dnssl'], c.tvb, c.p, name.used, name.text);
      c.append(` ${name.text}`);
      c.p += name.used;
    }
  },
  32: (c) => signature(c, F['icmpv6.opt.ps.key_hash']),
  33: (c) => {
    const status = uint(c, F['icmpv6.opt.aro.status'], 1);
    c.p += 1;
    c.p += blank(c, F['icmpv6.opt.reserved'], 3);
    uint(c, F['icmpv6.opt.aro.registration_lifetime'], 2);
    c.p += 2;
    c.append(` : Register ${eui64(c, F['icmpv6.opt.aro.eui64'])} ${ARO_STATUS[status] ?? `Unknown ${status}`}`);
    c.p += 8;
  },
  34: (c) => {
    const bits = uint(c, F['icmpv6.opt.6co.context_length'], 1);
    c.p += 1;
    bitmask(c, F['icmpv6.opt.6co.flag'], 1, [F['icmpv6.opt.6co.flag.c'], F['icmpv6.opt.6co.flag.cid'], F['icmpv6.opt.6co.flag.reserved']]);
    c.p += 1;
    c.p += blank(c, F['icmpv6.opt.reserved'], 2);
    uint(c, F['icmpv6.opt.6co.valid_lifetime'], 2);
    c.p += 2;
    lengthPrefix(c, F['icmpv6.opt.6co.context_prefix'], bits);
  },
  35: (c) => {
    const low = uint(c, F['icmpv6.opt.abro.version_low'], 2);
    const high = uint(c, F['icmpv6.opt.abro.version_high'], 2, c.p + 2);
    const life = uint(c, F['icmpv6.opt.abro.valid_lifetime'], 2, c.p + 4);
    c.p += 6;
    c.append(` : Version ${high}.${low}, Valid Lifetime : ${life}, 6LBR : ${address(c, F['icmpv6.opt.abro.6lbr_address'])}`);
    c.p += 16;
  },
  36: (c) => {
    uint(c, F['icmpv6.opt.6cio.unassigned1'], 2);
    uint(c, F['icmpv6.opt.6cio.flag_g'], 2);
    c.p += 2;
    uint(c, F['icmpv6.opt.6cio.unassigned2'], 4);
    c.p += 4;
  },
  37: (c) => {
    c.ctx.add(c.opt, F['icmpv6.opt.captive_portal'], c.tvb, c.p, c.len - 2, c.tvb.ascii(c.p, c.len - 2));
    c.p += c.len - 2;
  },
  38: (c) => {
    // RFC 8781 4: a scaled lifetime and a prefix length code, then 96 bits holding the prefix.
    uint(c, F['icmpv6.opt.pref64.scaled_lifetime'], 2);
    const plc = uint(c, F['icmpv6.opt.pref64.plc'], 2) & 7;
    c.p += 2;
    const n = PREF64_BYTES[plc];
    if (n === undefined) malformedNote(c.ctx, c.lenNode, c.tvb, c.start + 1, 'Invalid Option Length');
    else shortPrefix(c, F['icmpv6.opt.pref64.prefix'], n);
    c.p += 12;
  },
};

/** Source (9) / Target (10) Address Lists, RFC 3122 3.1. */
function addressList(c: OptionCursor): void {
  c.p += blank(c, F['icmpv6.opt.reserved'], 6);
  for (const end = c.start + c.len; c.p < end; c.p += 16) c.append(` ${address(c, F['icmpv6.opt.ipv6_address'])}`);
}

/** RSA Signature (12, RFC 3971 5.2) / Proxy Signature (32, RFC 6496 4.2): a key hash, then the signature and padding. */
function signature(c: OptionCursor, keyHash: FieldDef): void {
  c.p += blank(c, F['icmpv6.opt.reserved'], 2);
  c.p += bytes(c, keyHash, 16);
  c.p += blank(c, F['icmpv6.opt.digital_signature_padding'], c.len - 20);
}

/** IP Address/Prefix (17) / New Router Prefix Information (18), RFC 5568 6.4: code, prefix length, reserved, address. */
function prefixOption(c: OptionCursor, code: FieldDef, bitsField: FieldDef, addr: FieldDef): void {
  uint(c, code, 1);
  const bits = uint(c, bitsField, 1, c.p + 1);
  c.p += 2;
  c.p += blank(c, F['icmpv6.opt.reserved'], 4);
  c.append(` ${address(c, addr)}/${bits}`);
  c.p += 16;
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

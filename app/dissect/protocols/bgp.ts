// BGP-4 (RFC 4271) on TCP port 179, as tshark 4.0's packet-bgp.c shows it: one "Border Gateway
// Protocol - <type>" item per message of a segment (several messages may share one, and one may
// span several: the 19-octet header's length says how much TCP must collect), and the Info
// column listing every message's type ("UPDATE Message, UPDATE Message").
//   OPEN          version, my AS, hold time, identifier, optional parameters with the
//                 capabilities (RFC 5492) tshark decodes field by field
//   UPDATE        withdrawn routes, path attributes (flags, type, and each value), NLRI
//   NOTIFICATION  error code and subcode by name, with the data tshark decodes (bad peer AS,
//                 the shutdown communication of RFC 8203)
//   KEEPALIVE, ROUTE-REFRESH (RFC 2918 / RFC 7313)
// BGP keeps no state between packets: tshark decides AS number size and ADD-PATH per attribute
// by looking at the bytes (see asnLength), so re-dissection needs nothing remembered.
import { defineFields, type FieldDef } from '../field.js';
import { defineProtocol, register } from '../dispatch.js';
import { canDesegment, DESEGMENT_ONE_MORE_SEGMENT, requestDesegment } from '../desegment.js';
import { formatIPv4, formatIPv6 } from '../format.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';

const BGP_PORT = 179;
const HEADER = 19;
/** RFC 4271 4.1: no message is longer than 4096 octets (RFC 8654's extended messages aside). */
const MAX_MESSAGE = 65535;

// Value names as tshark 4.0 prints them (`tshark -G values`).
const MESSAGE_TYPES: Record<number, string> = { 1: "OPEN Message", 2: "UPDATE Message", 3: "NOTIFICATION Message", 4: "KEEPALIVE Message", 5: "ROUTE-REFRESH Message", 6: "CAPABILITY Message", 128: "Cisco ROUTE-REFRESH Message" };
const PARAM_TYPES: Record<number, string> = { 1: "Authentication", 2: "Capability" };
const ERRORS: Record<number, string> = { 1: "Message Header Error", 2: "OPEN Message Error", 3: "UPDATE Message Error", 4: "Hold Timer Expired", 5: "Finite State Machine Error", 6: "Cease", 7: "CAPABILITY Message Error" };
const HEADER_ERRORS: Record<number, string> = { 1: "Connection Not Synchronized", 2: "Bad Message Length", 3: "Bad Message Type" };
const OPEN_ERRORS: Record<number, string> = { 1: "Unsupported Version Number", 2: "Bad Peer AS", 3: "Bad BGP Identifier", 4: "Unsupported Optional Parameter", 5: "Authentication Failure [Deprecated]", 6: "Unacceptable Hold Time", 7: "Unsupported Capability", 8: "No supported AFI/SAFI (Cisco)" };
const UPDATE_ERRORS: Record<number, string> = { 1: "Malformed Attribute List", 2: "Unrecognized Well-known Attribute", 3: "Missing Well-known Attribute", 4: "Attribute Flags Error", 5: "Attribute Length Error", 6: "Invalid ORIGIN Attribute", 7: "AS Routing Loop [Deprecated]", 8: "Invalid NEXT_HOP Attribute", 9: "Optional Attribute Error", 10: "Invalid Network Field", 11: "Malformed AS_PATH" };
const FSM_ERRORS: Record<number, string> = { 1: "Receive Unexpected Message in OpenSent State", 2: "Receive Unexpected Message in OpenConfirm State", 3: "Receive Unexpected Message in Established State" };
const CEASE_ERRORS: Record<number, string> = { 1: "Maximum Number of Prefixes Reached", 2: "Administratively Shutdown", 3: "Peer De-configured", 4: "Administratively Reset", 5: "Connection Rejected", 6: "Other Configuration Change", 7: "Connection Collision Resolution", 8: "Out of Resources", 9: "Hard Reset" };
const CAPABILITY_ERRORS: Record<number, string> = { 1: "Invalid Action Value", 2: "Invalid Capability Length", 3: "Malformed Capability Value", 4: "Unsupported Capability Code" };
const ROUTE_REFRESH_SUBTYPES: Record<number, string> = { 0: "Normal route refresh request [RFC2918] with/without ORF [RFC5291]", 1: "Demarcation of the beginning of a route refresh", 2: "Demarcation of the ending of a route refresh" };
const CAPABILITIES: Record<number, string> = { 0: "Reserved capability", 1: "Multiprotocol extensions capability", 2: "Route refresh capability", 3: "Cooperative route filtering capability", 4: "Multiple routes to a destination capability", 5: "Extended Next Hop Encoding", 6: "BGP-Extended Message", 7: "BGPsec capability", 8: "Multiple Labels capability", 9: "BGP Role", 64: "Graceful Restart capability", 65: "Support for 4-octet AS number capability", 66: "Deprecated Dynamic Capability (Cisco)", 67: "Support for Dynamic capability", 68: "Multisession BGP Capability", 69: "Support for Additional Paths", 70: "Enhanced route refresh capability", 71: "Long-Lived Graceful Restart (LLGR) Capability", 72: "CP-ORF Capability", 73: "FQDN Capability", 128: "Route refresh capability (Cisco)", 130: "Cooperative route filtering capability (Cisco)", 131: "Multisession BGP Capability (Cisco)" };
const AFIS: Record<number, string> = { 0: "Reserved", 1: "IPv4", 2: "IPv6", 3: "NSAP", 4: "HDLC (8-bit multidrop)", 5: "BBN 1822", 6: "802 (includes all 802 media plus Ethernet)", 7: "E.163", 8: "E.164 (SMDS, Frame Relay, ATM)", 9: "F.69 (Telex)", 10: "X.121 (X.25, Frame Relay)", 11: "IPX", 12: "Appletalk", 13: "Decnet IV", 14: "Banyan Vines", 15: "E.164 with NSAP subaddress", 16: "DNS (Domain Name System)", 17: "Distinguished Name", 18: "AS Number", 19: "XTP over IP version 4", 20: "XTP over IP version 6", 21: "XTP native mode XTP", 22: "Fibre Channel World-Wide Port Name", 23: "Fibre Channel World-Wide Node Name", 24: "GWID", 25: "Layer-2 VPN", 196: "Layer-2 VPN (old)", 26: "MPLS-TP Section Endpoint Identifier", 27: "MPLS-TP LSP Endpoint Identifier", 28: "MPLS-TP Pseudowire Endpoint Identifier", 29: "MT IP: Multi-Topology IP version 4", 30: "MT IPv6: Multi-Topology IP version 6", 16384: "EIGRP Common Service Family", 16385: "EIGRP IPv4 Service Family", 16386: "EIGRP IPv6 Service Family", 16387: "LISP Canonical Address Format (LCAF)", 16388: "BGP-LS", 16389: "48-bit MAC Address", 16390: "64-bit MAC Address", 16391: "OUI", 16392: "MAC/24", 16393: "MAC/40", 16394: "IPv6/64", 16395: "RBridge Port ID", 16396: "TRILL Nickname", 65535: "Reserved" };
const SAFIS: Record<number, string> = { 0: "Reserved", 1: "Unicast", 2: "Multicast", 3: "Unicast+Multicast (Deprecated)", 4: "Labeled Unicast", 5: "MCAST-VPN", 6: "Multi-Segment Pseudowires", 7: "Encapsulation (Deprecated)", 8: "MCAST-VPLS", 64: "Tunnel (Deprecated)", 65: "VPLS", 66: "Cisco MDT", 67: "4over6", 68: "6over4", 69: "Layer-1 VPN", 70: "EVPN", 71: "BGP-LS", 72: "BGP-LS-VPN", 73: "SR Policy", 74: "SD-WAN", 75: "Routing Policy Distribution", 76: "Classful Transport Planes", 77: "Tunneled Traffic Flowspec", 78: "MCAST-TREE", 128: "Labeled VPN Unicast", 129: "Labeled VPN Multicast", 130: "Labeled VPN Unicast+Multicast (Deprecated)", 132: "Route Target Filter", 133: "Flow Spec Filter", 134: "Flow Spec Filter VPN", 140: "Layer-3 VPN (Deprecated)" };
const ADD_PATH_SEND_RECEIVE: Record<number, string> = { 1: "Receive", 2: "Send", 3: "Both" };
const AS_PATH_SEGMENT_TYPES: Record<number, string> = { 1: "AS_SET", 2: "AS_SEQUENCE", 4: "AS_CONFED_SET", 3: "AS_CONFED_SEQUENCE" };
const WELL_KNOWN_COMMUNITIES: Record<number, string> = { 0xffff0000: "GRACEFUL_SHUTDOWN", 0xffff0001: "ACCEPT_OWN", 0xffff029a: "BLACKHOLE", 0xffffff01: "NO_EXPORT", 0xffffff02: "NO_ADVERTISE", 0xffffff03: "NO_EXPORT_SUBCONFED", 0xffffff04: "NOPEER" };
const ORIGINS: Record<number, string> = { 0: "IGP", 1: "EGP", 2: "INCOMPLETE" };
const ATTRIBUTE_TYPES: Record<number, string> = { 1: "ORIGIN", 2: "AS_PATH", 3: "NEXT_HOP", 4: "MULTI_EXIT_DISC", 5: "LOCAL_PREF", 6: "ATOMIC_AGGREGATE", 7: "AGGREGATOR", 8: "COMMUNITIES", 9: "ORIGINATOR_ID", 10: "CLUSTER_LIST", 11: "DPA", 12: "ADVERTISER", 13: "RCID_PATH / CLUSTER_ID", 14: "MP_REACH_NLRI", 15: "MP_UNREACH_NLRI", 16: "EXTENDED_COMMUNITIES", 17: "AS4_PATH", 18: "AS4_AGGREGATOR", 19: "SAFI_SPECIFIC_ATTRIBUTE", 20: "Connector Attribute", 21: "AS_PATHLIMIT ", 23: "TUNNEL_ENCAPSULATION_ATTRIBUTE", 22: "PMSI_TUNNEL_ATTRIBUTE", 24: "Traffic Engineering", 25: "IPv6 Address Specific Extended Community", 26: "AIGP", 27: "PE Distinguisher Labels", 28: "BGP Entropy Label Capability Attribute", 29: "BGP-LS Attribute", 30: "Deprecated", 31: "Deprecated", 32: "LARGE_COMMUNITY", 33: "BGPsec_PATH", 36: "D_PATH", 40: "BGP Prefix-SID", 99: "LINK_STATE (unofficial code point)", 128: "ATTR_SET", 129: "Deprecated", 241: "Deprecated", 242: "Deprecated", 243: "Deprecated" };
/** RFC 6793: the 2-octet stand-in for a 4-octet AS. */
const MY_AS_NAMES: Record<number, string> = { 23456: 'AS_TRANS' };
const GR_FLAGS: readonly [string, string] = ['Yes', 'No'];
const SET: readonly [string, string] = ['Set', 'Not set'];

export const bgpFields = defineFields([
  { name: 'bgp.marker', label: 'Marker', type: 'bytes' },
  { name: 'bgp.length', label: 'Length', type: 'uint16', base: 'dec' },
  { name: 'bgp.type', label: 'Type', type: 'uint8', base: 'dec', values: MESSAGE_TYPES },
  { name: 'bgp.prefix_length', label: 'Prefix Length', type: 'uint8', base: 'dec' },
  { name: 'bgp.open.version', label: 'Version', type: 'uint8', base: 'dec' },
  { name: 'bgp.open.myas', label: 'My AS', type: 'uint16', base: 'dec' },
  { name: 'bgp.open.holdtime', label: 'Hold Time', type: 'uint16', base: 'dec' },
  { name: 'bgp.open.identifier', label: 'BGP Identifier', type: 'ipv4' },
  { name: 'bgp.open.opt.len', label: 'Optional Parameters Length', type: 'uint8', base: 'dec' },
  { name: 'bgp.open.opt', label: 'Optional Parameters', type: 'none' },
  { name: 'bgp.open.opt.param', label: 'Optional Parameter', type: 'none' },
  { name: 'bgp.open.opt.param.type', label: 'Parameter Type', type: 'uint8', base: 'dec', values: PARAM_TYPES },
  { name: 'bgp.open.opt.param.len', label: 'Parameter Length', type: 'uint8', base: 'dec' },
  { name: 'bgp.open.opt.param.auth', label: 'Authentication Data', type: 'bytes' },
  { name: 'bgp.open.opt.param.unknown', label: 'Unknown', type: 'bytes' },
  { name: 'bgp.cap', label: 'Capability', type: 'none' },
  { name: 'bgp.cap.type', label: 'Type', type: 'uint8', base: 'dec', values: CAPABILITIES },
  { name: 'bgp.cap.length', label: 'Length', type: 'uint8', base: 'dec' },
  { name: 'bgp.cap.unknown', label: 'Unknown', type: 'bytes' },
  { name: 'bgp.cap.reserved', label: 'Reserved', type: 'bytes' },
  { name: 'bgp.cap.mp.afi', label: 'AFI', type: 'uint16', base: 'dec', values: AFIS },
  { name: 'bgp.cap.mp.safi', label: 'SAFI', type: 'uint8', base: 'dec', values: SAFIS },
  { name: 'bgp.cap.gr.timers', label: 'Restart Timers', type: 'uint16', base: 'hex' },
  { name: 'bgp.cap.gr.timers.restart_flag', label: 'Restart state', type: 'boolean', mask: 0x8000, tf: GR_FLAGS },
  { name: 'bgp.cap.gr.timers.notification_flag', label: 'Graceful notification', type: 'boolean', mask: 0x4000, tf: GR_FLAGS },
  { name: 'bgp.cap.gr.timers.restart_time', label: 'Time', type: 'uint16', base: 'dec', mask: 0xfff },
  { name: 'bgp.cap.gr.afi', label: 'AFI', type: 'uint16', base: 'dec', values: AFIS },
  { name: 'bgp.cap.gr.safi', label: 'SAFI', type: 'uint8', base: 'dec', values: SAFIS },
  { name: 'bgp.cap.gr.flag', label: 'Flag', type: 'uint8', base: 'hex' },
  { name: 'bgp.cap.gr.flag.pfs', label: 'Preserve forwarding state', type: 'boolean', mask: 0x80, tf: GR_FLAGS },
  { name: 'bgp.cap.4as', label: 'AS Number', type: 'uint32', base: 'dec' },
  { name: 'bgp.cap.ap.afi', label: 'AFI', type: 'uint16', base: 'dec', values: AFIS },
  { name: 'bgp.cap.ap.safi', label: 'SAFI', type: 'uint8', base: 'dec', values: SAFIS },
  { name: 'bgp.cap.ap.sendreceive', label: 'Send/Receive', type: 'uint8', base: 'dec', values: ADD_PATH_SEND_RECEIVE },
  { name: 'bgp.cap.orf.fqdn.hostname.len', label: 'Hostname Length', type: 'uint8', base: 'dec' },
  { name: 'bgp.cap.orf.fqdn.hostname', label: 'Hostname', type: 'string' },
  { name: 'bgp.cap.orf.fqdn.domain_name.len', label: 'Domain Name Length', type: 'uint8', base: 'dec' },
  { name: 'bgp.cap.orf.fqdn.domain_name', label: 'Domain Name', type: 'string' },
  { name: 'bgp.update.withdrawn_routes.length', label: 'Withdrawn Routes Length', type: 'uint16', base: 'dec' },
  { name: 'bgp.update.withdrawn_routes', label: 'Withdrawn Routes', type: 'none' },
  { name: 'bgp.withdrawn_prefix', label: 'Withdrawn prefix', type: 'ipv4' },
  { name: 'bgp.update.path_attributes.length', label: 'Total Path Attribute Length', type: 'uint16', base: 'dec' },
  { name: 'bgp.update.path_attributes', label: 'Path attributes', type: 'none' },
  { name: 'bgp.update.path_attribute', label: 'Path Attribute', type: 'none' },
  { name: 'bgp.update.path_attribute.flags', label: 'Flags', type: 'uint8', base: 'hex' },
  { name: 'bgp.update.path_attribute.flags.optional', label: 'Optional', type: 'boolean', mask: 0x80, tf: SET },
  { name: 'bgp.update.path_attribute.flags.transitive', label: 'Transitive', type: 'boolean', mask: 0x40, tf: SET },
  { name: 'bgp.update.path_attribute.flags.partial', label: 'Partial', type: 'boolean', mask: 0x20, tf: SET },
  { name: 'bgp.update.path_attribute.flags.extended_length', label: 'Extended-Length', type: 'boolean', mask: 0x10, tf: SET },
  { name: 'bgp.update.path_attribute.flags.unused', label: 'Unused', type: 'uint8', base: 'hex', mask: 0x0f },
  { name: 'bgp.update.path_attribute.type_code', label: 'Type Code', type: 'uint8', base: 'dec', values: ATTRIBUTE_TYPES },
  { name: 'bgp.update.path_attribute.length', label: 'Length', type: 'uint16', base: 'dec' },
  { name: 'bgp.update.path_attribute.origin', label: 'Origin', type: 'uint8', base: 'dec', values: ORIGINS },
  { name: 'bgp.update.path_attribute.as_path_segment', label: 'AS Path segment', type: 'none' },
  { name: 'bgp.update.path_attribute.as_path_segment.type', label: 'Segment type', type: 'uint8', base: 'dec', values: AS_PATH_SEGMENT_TYPES },
  { name: 'bgp.update.path_attribute.as_path_segment.length', label: 'Segment length (number of ASN)', type: 'uint8', base: 'dec' },
  { name: 'bgp.update.path_attribute.as_path_segment.as2', label: 'AS2', type: 'uint16', base: 'dec' },
  { name: 'bgp.update.path_attribute.as_path_segment.as4', label: 'AS4', type: 'uint32', base: 'dec' },
  { name: 'bgp.update.path_attribute.next_hop', label: 'Next hop', type: 'ipv4' },
  { name: 'bgp.update.path_attribute.multi_exit_disc', label: 'Multiple exit discriminator', type: 'uint32', base: 'dec' },
  { name: 'bgp.update.path_attribute.local_pref', label: 'Local preference', type: 'uint32', base: 'dec' },
  { name: 'bgp.update.path_attribute.aggregator_as', label: 'Aggregator AS', type: 'uint32', base: 'dec' },
  { name: 'bgp.update.path_attribute.aggregator_origin', label: 'Aggregator origin', type: 'ipv4' },
  { name: 'bgp.update.path_attribute.communities', label: 'Communities', type: 'none' },
  { name: 'bgp.update.path_attribute.community', label: 'Community', type: 'none' },
  { name: 'bgp.update.path_attribute.community_wellknown', label: 'Community Well-known', type: 'uint32', base: 'hex', values: WELL_KNOWN_COMMUNITIES },
  { name: 'bgp.update.path_attribute.community_as', label: 'Community AS', type: 'uint16', base: 'dec' },
  { name: 'bgp.update.path_attribute.community_value', label: 'Community value', type: 'uint16', base: 'dec' },
  { name: 'bgp.update.path_attribute.mp_reach_nlri.afi', label: 'Address family identifier (AFI)', type: 'uint16', base: 'dec', values: AFIS },
  { name: 'bgp.update.path_attribute.mp_reach_nlri.safi', label: 'Subsequent address family identifier (SAFI)', type: 'uint8', base: 'dec', values: SAFIS },
  { name: 'bgp.update.path_attribute.mp_reach_nlri.next_hop', label: 'Next hop', type: 'bytes' },
  { name: 'bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv4', label: 'IPv4 Address', type: 'ipv4' },
  { name: 'bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv6', label: 'IPv6 Address', type: 'ipv6' },
  { name: 'bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv6.link_local', label: 'Link-local Address', type: 'ipv6' },
  { name: 'bgp.update.path_attribute.mp_reach_nlri.nbr_snpa', label: 'Number of Subnetwork points of attachment (SNPA)', type: 'uint8', base: 'dec' },
  { name: 'bgp.update.path_attribute.mp_reach_nlri', label: 'Network Layer Reachability Information (NLRI)', type: 'none' },
  { name: 'bgp.update.path_attribute.mp_unreach_nlri.afi', label: 'Address family identifier (AFI)', type: 'uint16', base: 'dec', values: AFIS },
  { name: 'bgp.update.path_attribute.mp_unreach_nlri.safi', label: 'Subsequent address family identifier (SAFI)', type: 'uint8', base: 'dec', values: SAFIS },
  { name: 'bgp.update.path_attribute.mp_unreach_nlri', label: 'Withdrawn Routes', type: 'none' },
  { name: 'bgp.mp_reach_nlri_ipv4_prefix', label: 'MP Reach NLRI IPv4 prefix', type: 'ipv4' },
  { name: 'bgp.mp_unreach_nlri_ipv4_prefix', label: 'MP Unreach NLRI IPv4 prefix', type: 'ipv4' },
  { name: 'bgp.mp_reach_nlri_ipv6_prefix', label: 'MP Reach NLRI IPv6 prefix', type: 'ipv6' },
  { name: 'bgp.mp_unreach_nlri_ipv6_prefix', label: 'MP Unreach NLRI IPv6 prefix', type: 'ipv6' },
  { name: 'bgp.large_communities', label: 'Large Communities', type: 'string' },
  { name: 'bgp.large_communities.ga', label: 'Global Administrator', type: 'uint32', base: 'dec' },
  { name: 'bgp.large_communities.ldp1', label: 'Local Data Part 1', type: 'uint32', base: 'dec' },
  { name: 'bgp.large_communities.ldp2', label: 'Local Data Part 2', type: 'uint32', base: 'dec' },
  { name: 'bgp.update.path_attributes.unknown', label: 'Unknown Path attributes', type: 'none' },
  { name: 'bgp.update.nlri', label: 'Network Layer Reachability Information (NLRI)', type: 'none' },
  { name: 'bgp.nlri_prefix', label: 'NLRI prefix', type: 'ipv4' },
  { name: 'bgp.nlri_path_id', label: 'NLRI path id', type: 'uint32', base: 'dec' },
  { name: 'bgp.notify.major_error', label: 'Major error Code', type: 'uint8', base: 'dec', values: ERRORS },
  { name: 'bgp.notify.minor_error', label: 'Minor error Code (Message Header)', type: 'uint8', base: 'dec', values: HEADER_ERRORS },
  { name: 'bgp.notify.minor_error_open', label: 'Minor error Code (Open Message)', type: 'uint8', base: 'dec', values: OPEN_ERRORS },
  { name: 'bgp.notify.minor_error_update', label: 'Minor error Code (Update Message)', type: 'uint8', base: 'dec', values: UPDATE_ERRORS },
  { name: 'bgp.notify.minor_error_expired', label: 'Minor error Code (Hold Timer Expired)', type: 'uint8', base: 'dec' },
  { name: 'bgp.notify.minor_error_state', label: 'Minor error Code (State Machine)', type: 'uint8', base: 'dec', values: FSM_ERRORS },
  { name: 'bgp.notify.minor_error_cease', label: 'Minor error Code (Cease)', type: 'uint8', base: 'dec', values: CEASE_ERRORS },
  { name: 'bgp.notify.minor_error_capability', label: 'Minor error Code (Capability Message)', type: 'uint8', base: 'dec', values: CAPABILITY_ERRORS },
  { name: 'bgp.notify.minor_error_unknown', label: 'Minor error Code (Unknown)', type: 'uint8', base: 'dec' },
  { name: 'bgp.notify.minor_data', label: 'Data', type: 'bytes' },
  { name: 'bgp.notify.error_open.bad_peer_as', label: 'Bad Peer AS', type: 'uint32', base: 'dec' },
  { name: 'bgp.notify.communication_length', label: 'BGP Shutdown Communication Length', type: 'uint8', base: 'dec' },
  { name: 'bgp.notify.communication', label: 'Shutdown Communication', type: 'string' },
  { name: 'bgp.route_refresh.afi', label: 'Address family identifier (AFI)', type: 'uint16', base: 'dec', values: AFIS },
  { name: 'bgp.route_refresh.subtype', label: 'Subtype', type: 'uint8', base: 'dec', values: ROUTE_REFRESH_SUBTYPES },
  { name: 'bgp.route_refresh.safi', label: 'Subsequent address family identifier (SAFI)', type: 'uint8', base: 'dec', values: SAFIS },
] as const);

const F = bgpFields;

/** The minor error code's field, by major error code (RFC 4271 4.5). */
const MINOR_ERRORS: Record<number, FieldDef> = {
  1: F['bgp.notify.minor_error'], 2: F['bgp.notify.minor_error_open'], 3: F['bgp.notify.minor_error_update'],
  4: F['bgp.notify.minor_error_expired'], 5: F['bgp.notify.minor_error_state'], 6: F['bgp.notify.minor_error_cease'],
  7: F['bgp.notify.minor_error_capability'],
};

const bgp = defineProtocol('bgp', 'Border Gateway Protocol', dissectBgp);
register('tcp.port', BGP_PORT, bgp);

const isMarker = (tvb: Tvb, o: number): boolean => {
  for (let i = 0; i < 16; i++) if (tvb.u8(o + i) !== 0xff) return false;
  return true;
};

function dissectBgp(tvb: Tvb, ctx: PacketContext, node: FieldNode): boolean {
  const infos: string[] = [];
  let asked = false;
  let o = 0;
  while (o < tvb.length) {
    // The header's length says how much of the stream the message takes. A message that runs
    // past the segment asks for one more segment, not for the bytes it lacks (packet-bgp.c: TCP
    // then collects whole segments, and the message is dissected once they cover it).
    if (o + HEADER > tvb.reportedLength) {
      if (canDesegment(ctx)) {
        requestDesegment(ctx, o, DESEGMENT_ONE_MORE_SEGMENT);
        asked = true;
      }
      break;
    }
    if (!tvb.has(o, HEADER) || !isMarker(tvb, o)) break;
    const len = tvb.u16(o + 16);
    if (len < HEADER || len > MAX_MESSAGE) break;
    if (o + len > tvb.reportedLength) {
      if (canDesegment(ctx)) {
        requestDesegment(ctx, o, DESEGMENT_ONE_MORE_SEGMENT);
        asked = true;
      }
      break;
    }
    const type = tvb.u8(o + 18);
    const name = MESSAGE_TYPES[type] ?? 'Unknown Message';
    infos.push(name);
    // One protocol item per message, as packet-bgp.c adds one for each PDU of a segment.
    const msg = infos.length === 1 ? node : ctx.add(ctx.upperParent, bgp.field, tvb, o, len, null);
    if (msg === node) ctx.setLength(node, len);
    ctx.setText(msg, `Border Gateway Protocol - ${name}`);
    ctx.add(msg, F['bgp.marker'], tvb, o, 16, tvb.slice(o, 16));
    ctx.add(msg, F['bgp.length'], tvb, o + 16, 2, len);
    ctx.add(msg, F['bgp.type'], tvb, o + 18, 1, type);
    const body = o + HEADER, end = o + len;
    if (type === 1) dissectOpen(tvb, ctx, msg, body, end);
    else if (type === 2) dissectUpdate(tvb, ctx, msg, body, end);
    else if (type === 3) dissectNotification(tvb, ctx, msg, body, end);
    else if (type === 5 && end - body >= 4) {
      ctx.add(msg, F['bgp.route_refresh.afi'], tvb, body, 2, tvb.u16(body));
      ctx.add(msg, F['bgp.route_refresh.subtype'], tvb, body + 2, 1, tvb.u8(body + 2));
      ctx.add(msg, F['bgp.route_refresh.safi'], tvb, body + 3, 1, tvb.u8(body + 3));
    }
    o = end;
  }
  if (!infos.length) {
    // The first segment of a message: packet-bgp.c clears Info before it asks for more, so
    // tshark shows "[TCP segment of a reassembled PDU]" alone. Nothing like a BGP message: data.
    if (asked) ctx.info = '';
    return asked;
  }
  ctx.protocol = 'BGP';
  ctx.info = infos.join(', ');
  return true;
}

// ---- OPEN (RFC 4271 4.2, RFC 5492) ----

function dissectOpen(tvb: Tvb, ctx: PacketContext, msg: FieldNode, o: number, end: number): void {
  ctx.add(msg, F['bgp.open.version'], tvb, o, 1, tvb.u8(o));
  const myAs = tvb.u16(o + 1);
  // tshark names AS_TRANS after the number ("23456 (AS_TRANS)") and shows other ASes bare.
  ctx.add(msg, F['bgp.open.myas'], tvb, o + 1, 2, myAs, `My AS: ${myAs}${MY_AS_NAMES[myAs] ? ` (${MY_AS_NAMES[myAs]})` : ''}`);
  ctx.add(msg, F['bgp.open.holdtime'], tvb, o + 3, 2, tvb.u16(o + 3));
  ctx.add(msg, F['bgp.open.identifier'], tvb, o + 5, 4, tvb.u32(o + 5));
  const optLen = tvb.u8(o + 9);
  ctx.add(msg, F['bgp.open.opt.len'], tvb, o + 9, 1, optLen);
  if (optLen === 0) return;
  const opts = ctx.add(msg, F['bgp.open.opt'], tvb, o + 10, optLen, null);
  let p = o + 10;
  const optEnd = Math.min(p + optLen, end);
  while (p + 2 <= optEnd) {
    const ptype = tvb.u8(p), plen = tvb.u8(p + 1);
    const param = ctx.add(opts, F['bgp.open.opt.param'], tvb, p, 2 + plen, null, `Optional Parameter: ${PARAM_TYPES[ptype] ?? 'Unknown'}`);
    ctx.add(param, F['bgp.open.opt.param.type'], tvb, p, 1, ptype);
    ctx.add(param, F['bgp.open.opt.param.len'], tvb, p + 1, 1, plen);
    const v = p + 2, vEnd = v + plen;
    if (ptype === 2) {
      // A Capabilities parameter may hold several capabilities (RFC 5492 4).
      for (let c = v; c + 2 <= vEnd; c += 2 + tvb.u8(c + 1)) dissectCapability(tvb, ctx, param, c);
    } else if (plen > 0) {
      ctx.add(param, ptype === 1 ? F['bgp.open.opt.param.auth'] : F['bgp.open.opt.param.unknown'], tvb, v, plen, tvb.slice(v, plen));
    }
    p = vEnd;
  }
}

function dissectCapability(tvb: Tvb, ctx: PacketContext, parent: FieldNode, c: number): void {
  const ctype = tvb.u8(c), clen = tvb.u8(c + 1);
  const cap = ctx.add(parent, F['bgp.cap'], tvb, c, 2 + clen, null, `Capability: ${CAPABILITIES[ctype] ?? 'Unknown capability'}`);
  ctx.add(cap, F['bgp.cap.type'], tvb, c, 1, ctype);
  ctx.add(cap, F['bgp.cap.length'], tvb, c + 1, 1, clen);
  const v = c + 2, end = v + clen;
  switch (ctype) {
    case 1: // Multiprotocol (RFC 4760 8)
      if (clen !== 4) break;
      ctx.add(cap, F['bgp.cap.mp.afi'], tvb, v, 2, tvb.u16(v));
      ctx.add(cap, F['bgp.cap.reserved'], tvb, v + 2, 1, tvb.slice(v + 2, 1));
      ctx.add(cap, F['bgp.cap.mp.safi'], tvb, v + 3, 1, tvb.u8(v + 3));
      return;
    case 2: case 70: case 128: // route refresh (RFC 2918, RFC 7313, Cisco's pre-standard one): no value
      if (clen === 0) return;
      break;
    case 65: // 4-octet AS (RFC 6793)
      if (clen !== 4) break;
      ctx.add(cap, F['bgp.cap.4as'], tvb, v, 4, tvb.u32(v));
      return;
    case 64: { // Graceful restart (RFC 4724 3)
      if (clen < 2) break;
      const timers = tvb.u16(v);
      const states = [timers & 0x8000 ? 'Restart state' : '', timers & 0x4000 ? 'Graceful notification' : ''].filter(Boolean);
      const t = ctx.add(cap, F['bgp.cap.gr.timers'], tvb, v, 2, timers, `Restart Timers: 0x${timers.toString(16).padStart(4, '0')}${states.map((s) => `, ${s}`).join('')}`);
      ctx.add(t, F['bgp.cap.gr.timers.restart_flag'], tvb, v, 2, (timers & 0x8000) !== 0);
      ctx.add(t, F['bgp.cap.gr.timers.notification_flag'], tvb, v, 2, (timers & 0x4000) !== 0);
      ctx.add(t, F['bgp.cap.gr.timers.restart_time'], tvb, v, 2, timers & 0xfff);
      for (let p = v + 2; p + 4 <= end; p += 4) {
        ctx.add(cap, F['bgp.cap.gr.afi'], tvb, p, 2, tvb.u16(p));
        ctx.add(cap, F['bgp.cap.gr.safi'], tvb, p + 2, 1, tvb.u8(p + 2));
        const flag = tvb.u8(p + 3);
        const fl = ctx.add(cap, F['bgp.cap.gr.flag'], tvb, p + 3, 1, flag, `Flag: 0x${flag.toString(16).padStart(2, '0')}${flag & 0x80 ? ', Preserve forwarding state' : ''}`);
        ctx.add(fl, F['bgp.cap.gr.flag.pfs'], tvb, p + 3, 1, (flag & 0x80) !== 0);
      }
      return;
    }
    case 69: // ADD-PATH (RFC 7911 4)
      if (clen % 4 !== 0) break;
      for (let p = v; p < end; p += 4) {
        ctx.add(cap, F['bgp.cap.ap.afi'], tvb, p, 2, tvb.u16(p));
        ctx.add(cap, F['bgp.cap.ap.safi'], tvb, p + 2, 1, tvb.u8(p + 2));
        ctx.add(cap, F['bgp.cap.ap.sendreceive'], tvb, p + 3, 1, tvb.u8(p + 3));
      }
      return;
    case 73: { // FQDN (draft-walton-bgp-hostname-capability)
      if (clen < 2) break;
      const hl = tvb.u8(v);
      ctx.add(cap, F['bgp.cap.orf.fqdn.hostname.len'], tvb, v, 1, hl);
      const host = tvb.ascii(v + 1, hl);
      ctx.add(cap, F['bgp.cap.orf.fqdn.hostname'], tvb, v + 1, hl, host, `Hostname: ${host}`);
      const d = v + 1 + hl, dl = tvb.u8(d);
      ctx.add(cap, F['bgp.cap.orf.fqdn.domain_name.len'], tvb, d, 1, dl);
      const domain = tvb.ascii(d + 1, dl);
      ctx.add(cap, F['bgp.cap.orf.fqdn.domain_name'], tvb, d + 1, dl, domain, `Domain Name: ${domain}`);
      return;
    }
  }
  if (clen > 0) ctx.add(cap, F['bgp.cap.unknown'], tvb, v, clen, tvb.slice(v, clen));
}

// ---- UPDATE (RFC 4271 4.3) ----

/** A prefix's bytes padded to the address size. */
function prefixBytes(tvb: Tvb, o: number, n: number, size: number): Uint8Array {
  const b = new Uint8Array(size);
  b.set(tvb.slice(o, n));
  return b;
}

interface PrefixKind { prefix: FieldDef; lengthLabel: string; v6: boolean }
const WITHDRAWN: PrefixKind = { prefix: F['bgp.withdrawn_prefix'], lengthLabel: 'Withdrawn route prefix length', v6: false };
const NLRI: PrefixKind = { prefix: F['bgp.nlri_prefix'], lengthLabel: 'NLRI prefix length', v6: false };

/** Whether IPv4 prefixes from `o` to `end` read as a whole, each after a `skip`-octet path id, with no bit set past a prefix. */
function prefixesFit(tvb: Tvb, o: number, end: number, skip: number, zeroLengthFails: boolean): boolean {
  while (o < end) {
    o += skip;
    if (o >= end) return false;
    const bits = tvb.u8(o);
    if (bits > 32 || (zeroLengthFails && bits === 0)) return false;
    o += 1 + Math.ceil(bits / 8);
    if (o > end) return false;
    if (bits % 8 && tvb.u8(o - 1) & (0xff >> (bits % 8))) return false;
  }
  return true;
}

/**
 * Whether IPv4 prefixes carry RFC 7911 path identifiers: tshark does not follow the OPENs'
 * ADD-PATH capability but guesses from the bytes: they must read with path ids and must not
 * read without them (a /0 among more than one octet counting as not reading).
 */
function hasPathIds(tvb: Tvb, o: number, end: number): boolean {
  return prefixesFit(tvb, o, end, 4, false) && !prefixesFit(tvb, o, end, 0, end - o > 1);
}

/** Prefixes (RFC 4271 4.3: a length in bits, then as few octets as hold it), each its own subtree. */
function dissectPrefixes(tvb: Tvb, ctx: PacketContext, parent: FieldNode, o: number, end: number, kind: PrefixKind): void {
  const size = kind.v6 ? 16 : 4;
  const pathIds = !kind.v6 && hasPathIds(tvb, o, end);
  while (o < end) {
    if (pathIds) {
      o = addPathPrefix(tvb, ctx, parent, o, kind);
      continue;
    }
    const bits = tvb.u8(o);
    const n = Math.ceil(bits / 8);
    if (bits > size * 8 || o + 1 + n > end) {
      ctx.addText(parent, tvb, o, end - o, `Invalid prefix length: ${bits}`);
      return;
    }
    const b = prefixBytes(tvb, o + 1, n, size);
    const text = kind.v6 ? formatIPv6(b) : formatIPv4(new DataView(b.buffer).getUint32(0));
    const item = ctx.addText(parent, tvb, o, 1 + n, `${text}/${bits}`);
    ctx.add(item, F['bgp.prefix_length'], tvb, o, 1, bits, `${kind.lengthLabel}: ${bits}`);
    ctx.add(item, kind.prefix, tvb, o + 1, n, kind.v6 ? b : new DataView(b.buffer).getUint32(0));
    o += 1 + n;
  }
}

/** An IPv4 prefix after its path id: "0.0.0.0/0 PathId 7 ", as decode_path_prefix4 labels it. */
function addPathPrefix(tvb: Tvb, ctx: PacketContext, parent: FieldNode, o: number, kind: PrefixKind): number {
  const id = tvb.u32(o), bits = tvb.u8(o + 4), n = Math.ceil(bits / 8);
  const addr = new DataView(prefixBytes(tvb, o + 5, n, 4).buffer).getUint32(0);
  const item = ctx.addText(parent, tvb, o, 5 + n, `${formatIPv4(addr)}/${bits} PathId ${id} `);
  ctx.add(item, F['bgp.nlri_path_id'], tvb, o, 4, id);
  ctx.add(item, F['bgp.prefix_length'], tvb, o + 4, 1, bits);
  ctx.add(item, kind.prefix, tvb, o + 5, n, addr);
  return o + 5 + n;
}

function dissectUpdate(tvb: Tvb, ctx: PacketContext, msg: FieldNode, o: number, end: number): void {
  const wLen = tvb.u16(o);
  ctx.add(msg, F['bgp.update.withdrawn_routes.length'], tvb, o, 2, wLen);
  o += 2;
  if (wLen > 0) {
    const w = ctx.add(msg, F['bgp.update.withdrawn_routes'], tvb, o, wLen, null);
    dissectPrefixes(tvb, ctx, w, o, o + wLen, WITHDRAWN);
    o += wLen;
  }
  const aLen = tvb.u16(o);
  ctx.add(msg, F['bgp.update.path_attributes.length'], tvb, o, 2, aLen);
  o += 2;
  if (aLen > 0) {
    const attrs = ctx.add(msg, F['bgp.update.path_attributes'], tvb, o, aLen, null);
    const aEnd = o + aLen;
    while (o + 3 <= aEnd) o = dissectAttribute(tvb, ctx, attrs, o);
    o = aEnd;
  }
  if (o < end) {
    const nlri = ctx.add(msg, F['bgp.update.nlri'], tvb, o, end - o, null);
    dissectPrefixes(tvb, ctx, nlri, o, end, NLRI);
  }
}

/** "Transitive, Well-known, Complete": the flags set, then the names of the ones clear. */
function flagsText(flags: number): string {
  const names = [flags & 0x80 ? 'Optional' : '', flags & 0x40 ? 'Transitive' : '', flags & 0x20 ? 'Partial' : '', flags & 0x10 ? 'Extended-Length' : '',
    flags & 0x80 ? '' : 'Well-known', flags & 0x40 ? '' : 'Non-transitive', flags & 0x20 ? '' : 'Complete'];
  return `Flags: 0x${flags.toString(16).padStart(2, '0')}, ${names.filter(Boolean).join(', ')}`;
}

const FLAG_FIELDS = [
  F['bgp.update.path_attribute.flags.optional'], F['bgp.update.path_attribute.flags.transitive'],
  F['bgp.update.path_attribute.flags.partial'], F['bgp.update.path_attribute.flags.extended_length'],
];

/**
 * Whether an AS_PATH's ASNs take 2 octets or 4 (RFC 6793 4): tshark does not follow the OPEN's
 * capability but tries 2-octet segments and keeps them only when they fill the attribute exactly
 * with known segment types.
 */
function asnLength(tvb: Tvb, o: number, end: number): 2 | 4 {
  let p = o;
  while (p + 2 <= end) {
    const t = tvb.u8(p);
    if (t < 1 || t > 4) return 4;
    p += 2 + 2 * tvb.u8(p + 1);
  }
  return p === end ? 2 : 4;
}

/** AS_SET {a, b}, AS_SEQUENCE a b, AS_CONFED_SET [a b], AS_CONFED_SEQUENCE (a b), as tshark writes a segment. */
function segmentText(type: number, asns: number[]): string {
  switch (type) {
    case 1: return `{${asns.join(', ')}}`;
    case 3: return `(${asns.join(' ')})`;
    case 4: return `[${asns.join(', ')}]`;
    default: return asns.join(' ');
  }
}

function dissectAsPath(tvb: Tvb, ctx: PacketContext, attr: FieldNode, o: number, end: number, size: 2 | 4): string {
  const parts: string[] = [];
  let p = o;
  while (p + 2 <= end) {
    const type = tvb.u8(p), count = tvb.u8(p + 1);
    const segLen = 2 + count * size;
    const asns: number[] = [];
    for (let i = 0; i < count && p + 2 + (i + 1) * size <= end; i++) asns.push(size === 2 ? tvb.u16(p + 2 + i * 2) : tvb.u32(p + 2 + i * 4));
    const text = segmentText(type, asns);
    parts.push(text);
    const seg = ctx.add(attr, F['bgp.update.path_attribute.as_path_segment'], tvb, p, Math.min(segLen, end - p), null, `AS Path segment: ${text}`);
    ctx.add(seg, F['bgp.update.path_attribute.as_path_segment.type'], tvb, p, 1, type);
    ctx.add(seg, F['bgp.update.path_attribute.as_path_segment.length'], tvb, p + 1, 1, count);
    const asField = size === 2 ? F['bgp.update.path_attribute.as_path_segment.as2'] : F['bgp.update.path_attribute.as_path_segment.as4'];
    asns.forEach((as, i) => ctx.add(seg, asField, tvb, p + 2 + i * size, size, as));
    p += segLen;
  }
  // The attribute's summary ends every segment with a space ("AS_PATH: 10 20 40 "); an iBGP
  // route's path has no segment at all, which tshark calls "empty".
  return parts.length ? parts.map((s) => `${s} `).join('') : 'empty';
}

/** One path attribute (RFC 4271 4.3); returns the offset after it. */
function dissectAttribute(tvb: Tvb, ctx: PacketContext, parent: FieldNode, o: number): number {
  const flags = tvb.u8(o), code = tvb.u8(o + 1);
  const ext = (flags & 0x10) !== 0;
  const len = ext ? tvb.u16(o + 2) : tvb.u8(o + 2);
  const v = o + (ext ? 4 : 3), end = v + len;
  const name = ATTRIBUTE_TYPES[code] ?? 'Unknown';
  const attr = ctx.add(parent, F['bgp.update.path_attribute'], tvb, o, end - o, null);
  const fl = ctx.add(attr, F['bgp.update.path_attribute.flags'], tvb, o, 1, flags, flagsText(flags));
  for (const f of FLAG_FIELDS) ctx.add(fl, f, tvb, o, 1, (flags & f.mask!) !== 0);
  ctx.add(fl, F['bgp.update.path_attribute.flags.unused'], tvb, o, 1, flags & 0x0f);
  ctx.add(attr, F['bgp.update.path_attribute.type_code'], tvb, o + 1, 1, code);
  ctx.add(attr, F['bgp.update.path_attribute.length'], tvb, o + 2, ext ? 2 : 1, len);
  let summary: string | null = null;
  switch (code) {
    case 1: // ORIGIN
      if (len !== 1) break;
      ctx.add(attr, F['bgp.update.path_attribute.origin'], tvb, v, 1, tvb.u8(v));
      summary = `: ${ORIGINS[tvb.u8(v)] ?? 'Unknown'}`;
      break;
    case 2: // AS_PATH
    case 17: // AS4_PATH (RFC 6793 3): always 4-octet
      summary = `: ${dissectAsPath(tvb, ctx, attr, v, end, code === 17 ? 4 : asnLength(tvb, v, end))}`;
      break;
    case 3: // NEXT_HOP
      if (len !== 4) break;
      ctx.add(attr, F['bgp.update.path_attribute.next_hop'], tvb, v, 4, tvb.u32(v));
      summary = `: ${formatIPv4(tvb.u32(v))} `;
      break;
    case 4: // MULTI_EXIT_DISC
      if (len !== 4) break;
      ctx.add(attr, F['bgp.update.path_attribute.multi_exit_disc'], tvb, v, 4, tvb.u32(v));
      summary = `: ${tvb.u32(v)}`;
      break;
    case 5: // LOCAL_PREF
      if (len !== 4) break;
      ctx.add(attr, F['bgp.update.path_attribute.local_pref'], tvb, v, 4, tvb.u32(v));
      summary = `: ${tvb.u32(v)}`;
      break;
    case 6: // ATOMIC_AGGREGATE
      summary = '';
      break;
    case 7: // AGGREGATOR, with a 2- or 4-octet AS by its length (RFC 6793 4.2.3)
    case 18: { // AS4_AGGREGATOR
      if (len !== 6 && len !== 8) break;
      const asLen = len - 4;
      const as = asLen === 2 ? tvb.u16(v) : tvb.u32(v);
      ctx.add(attr, F['bgp.update.path_attribute.aggregator_as'], tvb, v, asLen, as);
      ctx.add(attr, F['bgp.update.path_attribute.aggregator_origin'], tvb, v + asLen, 4, tvb.u32(v + asLen));
      summary = `: AS: ${as} origin: ${formatIPv4(tvb.u32(v + asLen))}`;
      break;
    }
    case 8: { // COMMUNITIES (RFC 1997)
      if (len % 4 !== 0) break;
      const names: string[] = [];
      for (let p = v; p < end; p += 4) {
        const c = tvb.u32(p);
        names.push(WELL_KNOWN_COMMUNITIES[c] ?? `${c >>> 16}:${c & 0xffff}`);
      }
      const text = names.map((s) => `${s} `).join('');
      summary = `: ${text}`;
      const list = ctx.add(attr, F['bgp.update.path_attribute.communities'], tvb, v, len, null, `Communities: ${text}`);
      for (let p = v; p < end; p += 4) {
        const c = tvb.u32(p);
        if (WELL_KNOWN_COMMUNITIES[c] !== undefined) {
          ctx.add(list, F['bgp.update.path_attribute.community_wellknown'], tvb, p, 4, c);
          continue;
        }
        const item = ctx.add(list, F['bgp.update.path_attribute.community'], tvb, p, 4, null, `Community: ${c >>> 16}:${c & 0xffff} `);
        ctx.add(item, F['bgp.update.path_attribute.community_as'], tvb, p, 2, c >>> 16);
        ctx.add(item, F['bgp.update.path_attribute.community_value'], tvb, p + 2, 2, c & 0xffff);
      }
      break;
    }
    case 14: // MP_REACH_NLRI (RFC 4760 3)
      if (dissectMpReach(tvb, ctx, attr, v, end)) summary = '';
      break;
    case 15: // MP_UNREACH_NLRI (RFC 4760 4)
      if (dissectMpUnreach(tvb, ctx, attr, v, end)) summary = '';
      break;
    case 32: { // LARGE_COMMUNITY (RFC 8092)
      if (len % 12 !== 0) break;
      const texts: string[] = [];
      for (let p = v; p < end; p += 12) {
        const text = `${tvb.u32(p)}:${tvb.u32(p + 4)}:${tvb.u32(p + 8)}`;
        texts.push(text);
        const lc = ctx.add(attr, F['bgp.large_communities'], tvb, p, 12, text, `Large communities: ${text}`);
        ctx.add(lc, F['bgp.large_communities.ga'], tvb, p, 4, tvb.u32(p));
        ctx.add(lc, F['bgp.large_communities.ldp1'], tvb, p + 4, 4, tvb.u32(p + 4));
        ctx.add(lc, F['bgp.large_communities.ldp2'], tvb, p + 8, 4, tvb.u32(p + 8));
      }
      summary = `: ${texts.join(' ')}`;
      break;
    }
  }
  if (summary === null && len > 0) ctx.add(attr, F['bgp.update.path_attributes.unknown'], tvb, v, len, null, `Unknown Path attributes (${len} bytes)`);
  ctx.setText(attr, `Path Attribute - ${name}${summary ?? ''}`);
  return end;
}

const MP_REACH_V6: PrefixKind = { prefix: F['bgp.mp_reach_nlri_ipv6_prefix'], lengthLabel: 'MP Reach NLRI prefix length', v6: true };
const MP_REACH_V4: PrefixKind = { prefix: F['bgp.mp_reach_nlri_ipv4_prefix'], lengthLabel: 'MP Reach NLRI prefix length', v6: false };
const MP_UNREACH_V6: PrefixKind = { prefix: F['bgp.mp_unreach_nlri_ipv6_prefix'], lengthLabel: 'MP Unreach NLRI prefix length', v6: true };
const MP_UNREACH_V4: PrefixKind = { prefix: F['bgp.mp_unreach_nlri_ipv4_prefix'], lengthLabel: 'MP Unreach NLRI prefix length', v6: false };

/** Unicast and multicast IPv4/IPv6 (SAFI 1, 2): the families decoded here. */
const plainFamily = (afi: number, safi: number): boolean => (afi === 1 || afi === 2) && (safi === 1 || safi === 2);

function dissectMpReach(tvb: Tvb, ctx: PacketContext, attr: FieldNode, v: number, end: number): boolean {
  if (end - v < 5) return false;
  const afi = tvb.u16(v), safi = tvb.u8(v + 2), nhLen = tvb.u8(v + 3);
  if (!plainFamily(afi, safi)) return false;
  ctx.add(attr, F['bgp.update.path_attribute.mp_reach_nlri.afi'], tvb, v, 2, afi);
  ctx.add(attr, F['bgp.update.path_attribute.mp_reach_nlri.safi'], tvb, v + 2, 1, safi);
  const nh = v + 4;
  if (afi === 2 && (nhLen === 16 || nhLen === 32)) {
    // RFC 2545 3: a global address, and a link-local one when the length is 32.
    const global = tvb.slice(nh, 16);
    const local = nhLen === 32 ? tvb.slice(nh + 16, 16) : null;
    const text = `Next hop: IPv6=${formatIPv6(global)}${local ? ` Link-local=${formatIPv6(local)}` : ''}`;
    const n = ctx.add(attr, F['bgp.update.path_attribute.mp_reach_nlri.next_hop'], tvb, nh, nhLen, tvb.slice(nh, nhLen), text);
    ctx.add(n, F['bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv6'], tvb, nh, 16, global);
    if (local) ctx.add(n, F['bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv6.link_local'], tvb, nh + 16, 16, local);
  } else if (afi === 1 && nhLen === 4) {
    const n = ctx.add(attr, F['bgp.update.path_attribute.mp_reach_nlri.next_hop'], tvb, nh, 4, tvb.slice(nh, 4), `Next hop: ${formatIPv4(tvb.u32(nh))}`);
    ctx.add(n, F['bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv4'], tvb, nh, 4, tvb.u32(nh));
  } else {
    ctx.add(attr, F['bgp.update.path_attribute.mp_reach_nlri.next_hop'], tvb, nh, nhLen, tvb.slice(nh, nhLen));
  }
  const snpa = nh + nhLen;
  ctx.add(attr, F['bgp.update.path_attribute.mp_reach_nlri.nbr_snpa'], tvb, snpa, 1, tvb.u8(snpa));
  let p = snpa + 1;
  for (let i = tvb.u8(snpa); i > 0 && p < end; i--) p += 1 + Math.ceil(tvb.u8(p) / 2);
  if (p < end) {
    const nlri = ctx.add(attr, F['bgp.update.path_attribute.mp_reach_nlri'], tvb, p, end - p, null);
    dissectPrefixes(tvb, ctx, nlri, p, end, afi === 2 ? MP_REACH_V6 : MP_REACH_V4);
  }
  return true;
}

function dissectMpUnreach(tvb: Tvb, ctx: PacketContext, attr: FieldNode, v: number, end: number): boolean {
  if (end - v < 3) return false;
  const afi = tvb.u16(v), safi = tvb.u8(v + 2);
  if (!plainFamily(afi, safi)) return false;
  ctx.add(attr, F['bgp.update.path_attribute.mp_unreach_nlri.afi'], tvb, v, 2, afi);
  ctx.add(attr, F['bgp.update.path_attribute.mp_unreach_nlri.safi'], tvb, v + 2, 1, safi);
  if (v + 3 < end) {
    const w = ctx.add(attr, F['bgp.update.path_attribute.mp_unreach_nlri'], tvb, v + 3, end - v - 3, null);
    dissectPrefixes(tvb, ctx, w, v + 3, end, afi === 2 ? MP_UNREACH_V6 : MP_UNREACH_V4);
  }
  return true;
}

// ---- NOTIFICATION (RFC 4271 4.5) ----

function dissectNotification(tvb: Tvb, ctx: PacketContext, msg: FieldNode, o: number, end: number): void {
  if (end - o < 2) return;
  const major = tvb.u8(o), minor = tvb.u8(o + 1);
  ctx.add(msg, F['bgp.notify.major_error'], tvb, o, 1, major);
  ctx.add(msg, MINOR_ERRORS[major] ?? F['bgp.notify.minor_error_unknown'], tvb, o + 1, 1, minor);
  const d = o + 2;
  if (d >= end) return;
  if (major === 2 && minor === 2 && (end - d === 2 || end - d === 4)) {
    // Bad Peer AS: the AS the OPEN carried (RFC 4271 6.2).
    ctx.add(msg, F['bgp.notify.error_open.bad_peer_as'], tvb, d, end - d, end - d === 2 ? tvb.u16(d) : tvb.u32(d));
    return;
  }
  // RFC 8203 / 9003: the shutdown communication, a length and UTF-8 text; only when the length
  // is exactly what follows it (packet-bgp.c shows anything else as data).
  if (major === 6 && (minor === 2 || minor === 4) && tvb.u8(d) === end - d - 1) {
    const clen = tvb.u8(d);
    ctx.add(msg, F['bgp.notify.communication_length'], tvb, d, 1, clen);
    ctx.add(msg, F['bgp.notify.communication'], tvb, d + 1, clen, Buffer.from(tvb.slice(d + 1, clen)).toString('utf8'));
    return;
  }
  ctx.add(msg, F['bgp.notify.minor_data'], tvb, d, end - d, tvb.slice(d, end - d));
}

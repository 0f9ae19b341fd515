// Wireshark's expert-info names (its `ei` registrations): tshark puts an item of that name under
// each Expert Info item, and filters and -T fields read it (`tcp.connection.rst`: who reset whom;
// `tcp.connection.syn`, `http.chat`, `dns.retransmit_request`). SynScope's notes carry a
// severity, a group and a message (PacketContext.addExpert); the name follows from them by this
// table, one row per name, checked against tshark's on every corpus capture
// (test/expert-names.diff.test.ts). The names that are also fields a dissector adds here (the
// tcp.analysis.* flags, tcp.options.sack.dsack...) have no row; a field defined elsewhere but
// added by no dissector is a row marked `defined`. The name is found only when the expert fields
// are read (expert-fields.ts): nothing on the dissection path.
import { defineFields, fieldByName, type FieldDef } from './field.js';
import type { ExpertNote } from './tree.js';

interface ExpertName {
  /** The name, a field here (FT_NONE, as tshark's expert items are). */
  name: string;
  label: string;
  /** The note's message (the protocols' short names too where a message is shared). */
  message: RegExp;
  protocols?: readonly string[];
  /** Only notes of this severity (HTTP's request and response lines: any chat note of HTTP). */
  severity?: ExpertNote['severity'];
  /** The field is defined by its protocol's file (found by name when first needed). */
  defined?: true;
}

const NAMES: readonly ExpertName[] = [
  { name: 'tcp.connection.syn', label: 'Connection establish request (SYN)', message: /^Connection establish request \(SYN\)/ },
  { name: 'tcp.connection.synack', label: 'Connection establish acknowledge (SYN+ACK)', message: /^Connection establish acknowledge \(SYN\+ACK\)/ },
  { name: 'tcp.connection.fin', label: 'Connection finish (FIN)', message: /^Connection finish \(FIN\)$/ },
  { name: 'tcp.connection.rst', label: 'Connection reset (RST)', message: /^Connection reset \(RST\)$/ },
  { name: 'tcp.connection.fin_active', label: 'This frame initiates the connection closing', message: /^This frame initiates the connection closing$/ },
  { name: 'tcp.connection.fin_passive', label: 'This frame undergoes the connection closing', message: /^This frame undergoes the connection closing$/ },
  { name: 'tcp.ack.nonzero', label: 'The acknowledgment number field is nonzero while the ACK flag is not set', message: /^The acknowledgment number field is nonzero while the ACK flag is not set$/ },
  { name: 'tcp.urgent_pointer.non_zero', label: 'The urgent pointer field is nonzero while the URG flag is not set', message: /^The urgent pointer field is nonzero while the URG flag is not set$/ },
  { name: 'tcp.options.mss.absent', label: 'The SYN packet does not contain a MSS option', message: /^The SYN packet does not contain a MSS option$/ },
  { name: 'tcp.option.len.invalid', label: 'Invalid length for option', message: /^option length should be /, protocols: ['TCP'], defined: true },
  { name: 'tcp.options.wscale.shift.invalid', label: 'Window scale shift exceeds 14', message: /^Window scale shift exceeds \d+$/ },
  { name: 'tcp.analysis.tfo_syn', label: 'TCP SYN with TFO Cookie', message: /^TCP SYN with TFO Cookie$/ },
  { name: 'tcp.analysis.tfo_ack', label: 'TCP SYN-ACK accepting TFO data', message: /^TCP SYN-ACK accepting TFO data$/ },
  // SSDP is HTTP's code over UDP, with HTTP's expert items.
  { name: 'http.chat', label: 'Chat', message: /./, protocols: ['HTTP', 'SSDP'], severity: 'chat' },
  { name: 'http.bad_header_name', label: 'Illegal characters found in header name', message: /^Illegal characters found in header name$/ },
  { name: 'http.subdissector_failed', label: 'HTTP body subdissector failed, trying heuristic subdissector', message: /^HTTP body subdissector failed/ },
  { name: 'dns.retransmit_request', label: 'DNS query retransmission', message: /^DNS query retransmission\./ },
  { name: 'dns.retransmit_response', label: 'DNS response retransmission', message: /^DNS response retransmission\./ },
  { name: 'eth.padding_bad', label: 'Padding was not zeros', message: /^Didn't find padding of zeros/ },
  { name: 'eth.src_not_group', label: 'Source MAC must not be a group address', message: /^Source MAC must not be a group address/ },
  { name: 'frame.comment.expert', label: 'Formatted comment', message: /./, severity: 'comment' },
  { name: 'frame.len_lt_caplen', label: 'Frame length is less than captured length', message: /^Frame length is less than captured length$/ },
  { name: 'frame.time_invalid', label: 'Arrival Time: Fractional second out of range', message: /^Arrival Time: Fractional second/ },
  { name: 'ip.bogus_header_length', label: 'Bogus IP header length', message: /^Bogus IP header length/ },
  { name: 'ip.bogus_ip_length', label: 'Bogus IP length', message: /^Bogus IP length/ },
  { name: 'ip.bogus_ip_version', label: 'Bogus IP version', message: /^Bogus IPv4 version/ },
  { name: 'ip.ttl.too_small', label: 'Time To Live is too small', message: /^"Time To Live" only \d+$/ },
  { name: 'ip.ttl.lncb', label: 'Time To Live != 1 for a packet sent to the Local Network Control Block', message: /^"Time To Live" != 1 for a packet sent to the Local Network Control Block/ },
  { name: 'ipv6.bogus_ipv6_version', label: 'Bogus IPv6 version', message: /^Bogus IPv6 version/ },
  { name: 'ipv6.opt.unknown_data.expert', label: 'Unknown Data (not interpreted)', message: /^Unknown Data \(not interpreted\)$/ },
  { name: 'ipv6.plen_exceeds_framing', label: 'IPv6 payload length exceeds framing length', message: /^IPv6 payload length exceeds framing length/ },
  { name: 'ipv6.plen_zero', label: 'IPv6 payload length equals 0', message: /^IPv6 payload length equals 0/ },
  { name: 'ipv6.routing.deprecated', label: 'Routing header type is deprecated', message: /^Routing header type is deprecated$/ },
  { name: 'pim.bad_checksum', label: 'Bad checksum', message: /^Bad checksum/, protocols: ['PIM'] },
  { name: 'vrrp.checksum_bad.expert', label: 'Bad checksum', message: /^Bad checksum/, protocols: ['VRRP'] },
  { name: 'ssh.packet_decode.error', label: 'Packet decoded length not equal to packet length', message: /^Decoded \d+ bytes, but packet legnth is/ },
  { name: 'tls.resumed', label: 'This session reuses previously negotiated keys (Session resumption)', message: /^This session reuses previously negotiated keys/ },
  { name: 'udp.possible_traceroute', label: 'Possible traceroute', message: /^Possible traceroute: hop #/ },
  { name: 'wlan.fc.retry.expert', label: 'Retransmission (retry)', message: /^Retransmission \(retry\)$/ },
  { name: 'wlan.tag.length.bad', label: 'Bad tag length', message: /^Tag length \d+ (wrong, must be = \d+|too short, must be greater than \d+)$/ },
  {
    name: 'wlan.tag.data.undecoded', label: 'Dissector for 802.11 IE Tag code not implemented, Contact Wireshark developers if you want this supported',
    message: /^Dissector for 802\.11 IE Tag \(.*\) code not implemented/,
  },
  { name: '_ws.malformed.expert', label: 'Malformed Packet (Exception occurred)', message: /^Malformed Packet \(Exception occurred\)$/ },
  { name: '_ws.malformed.reassembly', label: 'Reassembly error', message: /^New fragment overlaps old data/ },
];

export const expertNameFields = defineFields(NAMES.filter((n) => n.defined === undefined).map((n) => ({ name: n.name, label: n.label, type: 'none' as const, description: `Expert Info: ${n.label}` })));

/** Each row with its field, and the fields' ids (those defined elsewhere looked up once every protocol has registered its own). */
let named: { rows: ReadonlyArray<[ExpertName, FieldDef]>; ids: readonly number[] } | null = null;
function namedFields(): NonNullable<typeof named> {
  if (!named) {
    const rows = NAMES.flatMap((n): Array<[ExpertName, FieldDef]> => {
      const f = n.defined ? fieldByName(n.name) : (expertNameFields as Record<string, FieldDef>)[n.name];
      return f ? [[n, f]] : [];
    });
    named = { rows, ids: rows.map(([, f]) => f.id) };
  }
  return named;
}

/** The ids of the names' fields (a filter or field list that reads one needs the expert notes). */
export function expertNameIds(): readonly number[] {
  return namedFields().ids;
}

/** The field of the note's Wireshark name, or null where it has none here. */
export function expertNameField(note: ExpertNote): FieldDef | null {
  for (const [n, f] of namedFields().rows) {
    if (n.severity !== undefined && n.severity !== note.severity) continue;
    if (n.protocols !== undefined && !n.protocols.includes(note.protocol ?? '')) continue;
    if (n.message.test(note.message)) return f;
  }
  return null;
}

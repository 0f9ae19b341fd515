// The fields the corpus-wide differential tests read from tshark, asked in one `-T fields` run
// per corpus file. Each of those tests walks every capture of ../shared/corpus with its own
// field list; starting tshark costs ~0.45 s and the files are small, so eight lists meant eight
// starts per file (~540 s of a CI run). Now the first test to reach a file runs tshark with all
// of them (cached on disk like every tshark run, see tshark.ts) and each test reads its columns.
//
// A field's value does not depend on which other fields are asked for: every list below was
// checked once, on every corpus file, against its own tshark run (equal).
import { expertNameIds } from '../../app/dissect/expert-names.js';
import { allFields, fieldById } from '../../app/dissect/field.js';
import '../../app/dissect/protocols/index.js';
import { parseFieldsOutput, tsharkRaw, type TsharkResult } from './tshark.js';

/** test/corpus.diff.test.ts: the brief's list over every protocol, and the connection tracker through the real pipeline. */
export const CORPUS_DIFF_FIELDS = [
  'frame.len', 'frame.cap_len', 'frame.protocols', 'frame.time', 'frame.encap_type', 'eth.src', 'eth.dst', 'eth.type', 'vlan.id',
  'arp.opcode', 'arp.src.proto_ipv4', 'arp.dst.proto_ipv4', 'ip.src', 'ip.dst', 'ip.ttl', 'ip.id',
  'ip.flags', 'ip.frag_offset', 'ip.proto', 'ip.len', 'ipv6.src', 'ipv6.dst', 'ipv6.nxt',
  'ipv6.hlim', 'ipv6.plen', 'icmp.type', 'icmp.code', 'icmpv6.type', 'icmpv6.code',
  'tcp.srcport', 'tcp.dstport', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.hdr_len', 'tcp.flags',
  'tcp.window_size_value', 'tcp.len', 'tcp.options.mss_val', 'tcp.options.wscale.shift',
  'tcp.options.sack_perm', 'tcp.options.timestamp.tsval',
  'tcp.stream', 'tcp.seq', 'tcp.ack', 'tcp.nxtseq', 'tcp.window_size', 'tcp.analysis.flags',
  'tcp.analysis.retransmission', 'tcp.analysis.duplicate_ack', 'tcp.analysis.lost_segment',
  'udp.srcport', 'udp.dstport',
  'udp.length', 'dns.id', 'dns.qry.name', 'dns.qry.type', 'dns.a', 'dns.aaaa', 'dns.flags.rcode',
  'http.request.method', 'http.request.uri', 'http.host', 'http.response.code',
  'tls.handshake.type', 'tls.handshake.extensions_server_name', 'dhcp.option.dhcp', 'ntp.stratum',
  '_ws.col.Protocol', '_ws.col.Info',
] as const;

/**
 * test/protocol-fields.diff.test.ts: every protocol's own field (`-e ip`, `-e dns`, `-e data`,
 * `-e tcp.options.mss`), in the registry's order.
 */
export const PROTOCOL_FIELDS: readonly string[] = allFields().filter((f) => f.type === 'protocol' && !f.name.startsWith('_ws.')).map((f) => f.name);

/** test/expert-info.diff.test.ts: a packet's expert notes, as -T fields gives them. */
export const EXPERT_FIELDS = ['_ws.expert', '_ws.expert.message', '_ws.expert.severity', '_ws.expert.group'] as const;

/**
 * test/expert-names.diff.test.ts: each expert note's own field (`tcp.connection.syn`, `http.chat`,
 * ...), "1" per occurrence.
 */
export const EXPERT_NAME_FIELDS: readonly string[] = expertNameIds().map((id) => fieldById(id).name);

/** The union, in a fixed order (the cache key): one group per test, a field once. */
export const CORPUS_FIELDS: readonly string[] = [...new Set([
  ...CORPUS_DIFF_FIELDS,
  // app/dissect/protocols/network.diff.test.ts: link and network layers.
  'ip.hdr_len', 'ip.dsfield', 'ip.checksum', 'ipv6.flow', 'icmp.seq', 'icmp.ident',
  'arp.src.hw_mac', 'arp.dst.hw_mac', 'vlan.priority', 'vlan.dei', 'vlan.etype', 'eth.padding', 'eth.trailer', 'eth.fcs',
  'ip.flags.df', 'ip.flags.mf', 'ip.checksum.status', 'ipv6.tclass', 'ipv6.fraghdr.offset', 'ipv6.fraghdr.ident',
  'ipv6.routing.type', 'icmp.checksum.status', 'icmp.resp_to', 'icmpv6.checksum.status',
  'icmpv6.nd.ns.target_address', 'icmpv6.opt.type', 'sll.pkttype', 'sll.ltype', 'sll.etype', 'null.family',
  // app/dissect/protocols/application.diff.test.ts: DNS, HTTP, TLS, DHCP, NTP.
  'dns.count.answers', 'tls.record.content_type', 'ntp.flags.mode',
  // app/file/reader.test.ts: what the reader delivers.
  'frame.time_epoch', 'frame.interface_id', 'frame.comment',
  // app/dissect/protocols/http.diff.test.ts: request/response pairing.
  'http.request_number', 'http.response_number', 'http.request_in', 'http.response_in', 'http.prev_request_in', 'http.prev_response_in', 'http.time',
  // app/tcp/tracker.diff.test.ts: the tracker's numbers and analysis flags (app/session/follow.diff.test.ts reads tcp.stream).
  'frame.number', 'tcp.window_size_scalefactor', 'tcp.completeness', 'tcp.time_relative', 'tcp.time_delta',
  'tcp.analysis.acks_frame', 'tcp.analysis.ack_rtt', 'tcp.analysis.initial_rtt',
  'tcp.analysis.bytes_in_flight', 'tcp.analysis.push_bytes_sent',
  'tcp.analysis.duplicate_ack_num', 'tcp.analysis.duplicate_ack_frame',
  ...['fast_retransmission', 'spurious_retransmission', 'out_of_order', 'reused_ports', 'ack_lost_segment', 'window_update', 'window_full',
    'keep_alive', 'keep_alive_ack', 'zero_window_probe', 'zero_window', 'zero_window_probe_ack'].map((f) => `tcp.analysis.${f}`),
  // test/expert-info.diff.test.ts: every expert note, in tree order (see AGGREGATOR).
  ...EXPERT_FIELDS,
  ...EXPERT_NAME_FIELDS,
  ...PROTOCOL_FIELDS,
])];

/**
 * What joins several occurrences of a field in the one run. No value holds it, so the expert
 * messages, which hold commas, keep their bounds; every other field is read with it turned
 * into the `,` of FIELDS_ARGS (the same text as a run with aggregator=,: checked on every
 * corpus file).
 */
const AGGREGATOR = '\x01';

/** The run's -T fields options: FIELDS_ARGS's, with AGGREGATOR. */
const CORPUS_ARGS = ['-T', 'fields', '-E', 'header=n', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', `aggregator=${AGGREGATOR}`];

function corpusRun(file: string): TsharkResult {
  const { stdout, status } = tsharkRaw(file, [...CORPUS_ARGS, ...CORPUS_FIELDS.flatMap((f) => ['-e', f])]);
  return { rows: parseFieldsOutput(stdout, CORPUS_FIELDS.length), status };
}

function columnOf(field: string): number {
  const i = CORPUS_FIELDS.indexOf(field);
  if (i < 0) throw new Error(`${field} is not among the fields asked of tshark together: add it to CORPUS_FIELDS (test/helpers/corpus-fields.ts)`);
  return i;
}

/**
 * `tsharkFields(file, fields)` read from the one run with every CORPUS_FIELDS field: the same
 * rows and exit status.
 */
export function tsharkCorpusFields(file: string, fields: readonly string[]): TsharkResult {
  const columns = fields.map(columnOf);
  const all = corpusRun(file);
  return { rows: all.rows.map((row) => columns.map((i) => row[i]!.replaceAll(AGGREGATOR, ','))), status: all.status };
}

/**
 * Per packet, its expert notes as tshark's -T fields gives them: [label, message, severity,
 * group], one entry per note, in tree order.
 */
export function tsharkCorpusExpert(file: string): string[][][] {
  const columns = EXPERT_FIELDS.map(columnOf);
  return corpusRun(file).rows.map((row) => expertNotes(columns.map((i) => row[i]!)));
}

/** The four expert fields of one packet, each several notes joined by AGGREGATOR, as one entry per note. */
export function expertNotes(cells: readonly string[]): string[][] {
  const [labels, ...rest] = cells.map((c) => (c ? c.split(AGGREGATOR) : []));
  return labels!.map((label, i) => [label, ...rest.map((r) => r[i] ?? '')]);
}

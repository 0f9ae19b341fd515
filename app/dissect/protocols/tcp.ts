// TCP (RFC 9293) as tshark 4.0 shows it: field names/types from `tshark -G fields`, tree order
// and Info column from packet-tcp.c as observed on the corpus, e.g.
//   "46656 → 80 [SYN] Seq=0 Win=27200 Len=0 MSS=1360 SACK_PERM TSval=1131021154 TSecr=0 WS=128"
//   "[TCP Retransmission] 20 → 80 [SYN] Seq=0 Win=8192 Len=0 SLE=1 SRE=16"
//   "HTTP/1.1 200 OK  [TCP segment of a reassembled PDU]"
//
// What needs the whole connection (stream index, relative numbers, window scaling, analysis
// flags) comes from the connection tracker through the TcpAnalyzer seam (../tcp-hook.ts). The
// tracker is called on every dissection of a segment and answers the same for the same frame.
// Without a tracker (tcpAnalyzerOf(capture) === null) numbers are raw, as with
// `tshark -o tcp.relative_sequence_numbers:FALSE`, and stream/analysis fields are left out.
//
// Payload hand-off follows decode_tcp_ports: the server port seen in the SYN / SYN+ACK, then
// the lower port, then the higher port in the `tcp.port` table, then the `tcp` heuristics
// (try_heuristic_first is FALSE by default), then `data`.
//
// PDUs that span segments: the payload protocol may ask for more bytes (pinfo->desegment_len);
// the contract it uses is documented in ../desegment.ts. This file keeps the per-direction
// reassembly state in the CaptureState (first pass, in sequence order) and records per frame
// what was done, so re-dissecting a frame shows the same thing:
//   - the frame whose payload protocol asked for more (at offset 0): Protocol "TCP", Info as the
//     payload protocol left it + " [TCP segment of a reassembled PDU]", its tree dropped;
//   - segments inside a pending PDU: not handed on; "<TCP info> [TCP segment of a reassembled PDU]";
//   - the segment that completes it: "[N Reassembled TCP Segments (L bytes): #a(x), ...]" and the
//     payload protocol called on the reassembled bytes.
// Segments the capture cut short are never reassembled (tshark: can_desegment = 0).
import { CHECKSUM_STATUS_NAMES } from '../checksum.js';
import { defineFields, type FieldDef } from '../field.js';
import { callProtocol, defineProtocol, lookup, MATCH_PORT_SCRATCH, register, TCP_STREAM_SCRATCH, tryHeuristics, type Protocol } from '../dispatch.js';
import { announcedBefore, findExpectedConversation, isExpectedConversation } from '../conversation.js';
import { assembleFragments, fragmentText, listFragments } from '../reassembly.js';
import { beginPayloadCall, DESEGMENT_ONE_MORE_SEGMENT, DESEGMENT_UNTIL_FIN, endPayloadCall, setEndOfStream, setPduSizeParent, type DesegmentRequest } from '../desegment.js';
import { bitPicture, formatRelTime, hexBytes, ITEM_LABEL_MAX } from '../format.js';
import { addrIdOf, endpoint, EndpointIds } from '../endpoint-ids.js';
import type { CaptureState, PacketContext } from '../packet.js';
import { addMalformedItem } from '../exception.js';
import { FrameTable } from '../frame-table.js';
import { framePiece, piecesFrom, readPieces, type PduPiece } from '../pdu-pieces.js';
import { FIXED_OPTION_LENGTH, readTcpOptionFacts, tcpAnalyzerOf, type TcpAnalysisFlags, type TcpSegmentFacts, type TcpSegmentVerdict } from '../tcp-hook.js';
import type { ExpertSeverity, FieldNode } from '../tree.js';
import { Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';

/** Wireshark's tcp_option_kind_vs, as tshark 4.0 names the kinds. */
const OPTION_KINDS: Record<number, string> = {
  0: 'End of Option List', 1: 'No-Operation', 2: 'Maximum Segment Size', 3: 'Window Scale', 4: 'SACK Permitted',
  5: 'SACK', 6: 'Echo', 7: 'Echo Reply', 8: 'Time Stamp Option', 9: 'Partial Order Connection Permitted',
  10: 'Partial Order Service Profile', 11: 'CC', 12: 'CC.NEW', 13: 'CC.ECHO', 14: 'TCP Alternate Checksum Request',
  15: 'TCP Alternate Checksum Data', 16: 'Skeeter', 17: 'Bubba', 18: 'Trailer Checksum Option',
  19: 'MD5 Signature Option', 20: 'SCPS Capabilities', 21: 'Selective Negative Acknowledgements',
  22: 'Record Boundaries', 23: 'Corruption experienced', 24: 'SNAP', 25: 'Unassigned', 26: 'TCP Compression Filter',
  27: 'Quick-Start Response', 28: 'User Timeout Option', 29: 'The TCP Authentication Option', 30: 'Multipath TCP',
  34: 'TCP Fast Open Cookie', 76: 'Riverbed Probe', 78: 'Riverbed Transparency', 172: 'Accurate ECN Order 0',
  174: 'Accurate ECN Order 1', 253: 'RFC3692-style Experiment 1', 254: 'RFC3692-style Experiment 2',
};


export const tcpFields = defineFields([
  { name: 'tcp.srcport', label: 'Source Port', type: 'uint16', base: 'dec' },
  { name: 'tcp.dstport', label: 'Destination Port', type: 'uint16', base: 'dec' },
  { name: 'tcp.port', label: 'Source or Destination Port', type: 'uint16', base: 'dec' },
  { name: 'tcp.stream', label: 'Stream index', type: 'uint32', base: 'dec' },
  { name: 'tcp.completeness', label: 'Conversation completeness', type: 'uint8', base: 'dec', description: 'Bit mask: 1 SYN, 2 SYN-ACK, 4 ACK, 8 DATA, 16 FIN, 32 RST' },
  { name: 'tcp.len', label: 'TCP Segment Len', type: 'uint32', base: 'dec' },
  { name: 'tcp.seq', label: 'Sequence Number', type: 'uint32', base: 'dec' },
  { name: 'tcp.seq_raw', label: 'Sequence Number (raw)', type: 'uint32', base: 'dec' },
  { name: 'tcp.nxtseq', label: 'Next Sequence Number', type: 'uint32', base: 'dec' },
  { name: 'tcp.ack', label: 'Acknowledgment Number', type: 'uint32', base: 'dec' },
  { name: 'tcp.ack_raw', label: 'Acknowledgment number (raw)', type: 'uint32', base: 'dec' },
  { name: 'tcp.hdr_len', label: 'Header Length', type: 'uint8', base: 'dec' },
  { name: 'tcp.flags', label: 'Flags', type: 'uint16', base: 'hex', mask: 0xfff },
  { name: 'tcp.flags.res', label: 'Reserved', type: 'boolean', mask: 0xe00, tf: ['Set', 'Not set'] },
  { name: 'tcp.flags.ae', label: 'Accurate ECN', type: 'boolean', mask: 0x100, tf: ['Set', 'Not set'] },
  { name: 'tcp.flags.cwr', label: 'Congestion Window Reduced', type: 'boolean', mask: 0x80, tf: ['Set', 'Not set'] },
  { name: 'tcp.flags.ece', label: 'ECN-Echo', type: 'boolean', mask: 0x40, tf: ['Set', 'Not set'] },
  { name: 'tcp.flags.ace', label: 'ACE', type: 'uint8', base: 'dec', mask: 0x1c0 },
  { name: 'tcp.flags.urg', label: 'Urgent', type: 'boolean', mask: 0x20, tf: ['Set', 'Not set'] },
  { name: 'tcp.flags.ack', label: 'Acknowledgment', type: 'boolean', mask: 0x10, tf: ['Set', 'Not set'] },
  { name: 'tcp.flags.push', label: 'Push', type: 'boolean', mask: 0x08, tf: ['Set', 'Not set'] },
  { name: 'tcp.flags.reset', label: 'Reset', type: 'boolean', mask: 0x04, tf: ['Set', 'Not set'] },
  { name: 'tcp.flags.syn', label: 'Syn', type: 'boolean', mask: 0x02, tf: ['Set', 'Not set'] },
  { name: 'tcp.flags.fin', label: 'Fin', type: 'boolean', mask: 0x01, tf: ['Set', 'Not set'] },
  { name: 'tcp.flags.str', label: 'TCP Flags', type: 'string' },
  { name: 'tcp.window_size_value', label: 'Window', type: 'uint16', base: 'dec' },
  { name: 'tcp.window_size', label: 'Calculated window size', type: 'uint32', base: 'dec' },
  { name: 'tcp.window_size_scalefactor', label: 'Window size scaling factor', type: 'int32', base: 'dec' },
  { name: 'tcp.checksum', label: 'Checksum', type: 'uint16', base: 'hex' },
  { name: 'tcp.checksum.status', label: 'Checksum Status', type: 'uint8', base: 'none', values: CHECKSUM_STATUS_NAMES },
  { name: 'tcp.urgent_pointer', label: 'Urgent Pointer', type: 'uint16', base: 'dec' },
  { name: 'tcp.options', label: 'TCP Options', type: 'bytes' },
  { name: 'tcp.option_kind', label: 'Kind', type: 'uint8', base: 'dec', values: OPTION_KINDS },
  { name: 'tcp.option_len', label: 'Length', type: 'uint8', base: 'dec' },
  { name: 'tcp.options.eol', label: 'TCP Option - End of Option List (EOL)', type: 'protocol', protocolBytes: true },
  { name: 'tcp.options.nop', label: 'TCP Option - No-Operation (NOP)', type: 'protocol', protocolBytes: true },
  { name: 'tcp.options.mss', label: 'TCP Option - Maximum segment size', type: 'protocol', protocolBytes: true },
  { name: 'tcp.options.mss_val', label: 'MSS Value', type: 'uint16', base: 'dec' },
  { name: 'tcp.options.wscale', label: 'TCP Option - Window scale', type: 'protocol', protocolBytes: true },
  { name: 'tcp.options.wscale.shift', label: 'Shift count', type: 'uint8', base: 'dec' },
  { name: 'tcp.options.wscale.multiplier', label: 'Multiplier', type: 'uint16', base: 'dec' },
  { name: 'tcp.options.sack_perm', label: 'TCP Option - SACK permitted', type: 'protocol', protocolBytes: true },
  { name: 'tcp.options.sack', label: 'TCP Option - SACK', type: 'protocol', protocolBytes: true },
  { name: 'tcp.options.sack_le', label: 'TCP SACK Left Edge', type: 'uint32', base: 'dec' },
  { name: 'tcp.options.sack_re', label: 'TCP SACK Right Edge', type: 'uint32', base: 'dec' },
  { name: 'tcp.options.sack.count', label: 'TCP SACK Count', type: 'uint8', base: 'dec' },
  { name: 'tcp.options.sack.dsack_le', label: 'D-SACK Left Edge', type: 'uint32', base: 'dec' },
  { name: 'tcp.options.sack.dsack_re', label: 'D-SACK Right Edge', type: 'uint32', base: 'dec' },
  { name: 'tcp.options.sack.dsack', label: 'D-SACK Sequence', type: 'none' },
  { name: 'tcp.options.timestamp', label: 'TCP Option - Timestamps', type: 'protocol', protocolBytes: true },
  { name: 'tcp.options.timestamp.tsval', label: 'Timestamp value', type: 'uint32', base: 'dec' },
  { name: 'tcp.options.timestamp.tsecr', label: 'Timestamp echo reply', type: 'uint32', base: 'dec' },
  { name: 'tcp.options.tfo', label: 'TCP Option - TCP Fast Open', type: 'protocol', protocolBytes: true },
  { name: 'tcp.options.tfo.request', label: 'Fast Open Cookie Request', type: 'none' },
  { name: 'tcp.options.tfo.cookie', label: 'Fast Open Cookie', type: 'bytes' },
  { name: 'tcp.options.experimental', label: 'TCP Option - Experimental', type: 'protocol', protocolBytes: true },
  { name: 'tcp.options.experimental.exid', label: 'Experiment Identifier', type: 'uint16', base: 'hex' },
  { name: 'tcp.options.experimental.data', label: 'Data', type: 'bytes' },
  { name: 'tcp.options.ao', label: 'TCP Option - TCP AO', type: 'protocol', protocolBytes: true },
  { name: 'tcp.options.ao.keyid', label: 'AO KeyID', type: 'uint8', base: 'dec' },
  { name: 'tcp.options.ao.rnextkeyid', label: 'AO RNextKeyID', type: 'uint8', base: 'dec' },
  { name: 'tcp.options.ao.mac', label: 'AO MAC', type: 'bytes' },
  { name: 'tcp.options.acc_ecn', label: 'TCP Option - Accurate ECN', type: 'protocol', protocolBytes: true },
  { name: 'tcp.options.acc_ecn.ee0b', label: 'Accurate ECN Echo ECT(0) Byte Counter', type: 'uint32', base: 'dec' },
  { name: 'tcp.options.acc_ecn.eceb', label: 'Accurate ECN Echo CE Byte Counter', type: 'uint32', base: 'dec' },
  { name: 'tcp.options.acc_ecn.ee1b', label: 'Accurate ECN Echo ECT(1) Byte Counter', type: 'uint32', base: 'dec' },
  { name: 'tcp.options.unknown', label: 'TCP Option - Unknown', type: 'protocol', protocolBytes: true },
  { name: 'tcp.options.unknown.payload', label: 'Payload', type: 'bytes' },
  { name: 'tcp.option.len.invalid', label: 'Invalid length for option', type: 'none' },
  { name: 'tcp.short_segment', label: 'Short segment', type: 'none' },
  { name: 'tcp.bogus_header_length', label: 'Bogus TCP Header length', type: 'none' },
  { name: 'tcp.time_relative', label: 'Time since first frame in this TCP stream', type: 'reltime' },
  { name: 'tcp.time_delta', label: 'Time since previous frame in this TCP stream', type: 'reltime' },
  { name: 'tcp.analysis', label: 'SEQ/ACK analysis', type: 'none' },
  { name: 'tcp.analysis.flags', label: 'TCP Analysis Flags', type: 'none' },
  { name: 'tcp.analysis.retransmission', label: 'This frame is a (suspected) retransmission', type: 'none' },
  { name: 'tcp.analysis.fast_retransmission', label: 'This frame is a (suspected) fast retransmission', type: 'none' },
  { name: 'tcp.analysis.spurious_retransmission', label: 'This frame is a (suspected) spurious retransmission', type: 'none' },
  { name: 'tcp.analysis.out_of_order', label: 'This frame is a (suspected) out-of-order segment', type: 'none' },
  { name: 'tcp.analysis.reused_ports', label: 'A new tcp session is started with the same ports as an earlier session in this trace', type: 'none' },
  { name: 'tcp.analysis.lost_segment', label: "Previous segment(s) not captured (common at capture start)", type: 'none' },
  { name: 'tcp.analysis.ack_lost_segment', label: "ACKed segment that wasn't captured (common at capture start)", type: 'none' },
  { name: 'tcp.analysis.window_update', label: 'TCP window update', type: 'none' },
  { name: 'tcp.analysis.window_full', label: 'TCP window specified by the receiver is now completely full', type: 'none' },
  { name: 'tcp.analysis.keep_alive', label: 'TCP keep-alive segment', type: 'none' },
  { name: 'tcp.analysis.keep_alive_ack', label: 'ACK to a TCP keep-alive segment', type: 'none' },
  { name: 'tcp.analysis.zero_window_probe', label: 'TCP Zero Window Probe', type: 'none' },
  { name: 'tcp.analysis.zero_window', label: 'TCP Zero Window segment', type: 'none' },
  { name: 'tcp.analysis.zero_window_probe_ack', label: 'ACK to a TCP Zero Window Probe', type: 'none' },
  { name: 'tcp.analysis.duplicate_ack', label: 'Duplicate ACK', type: 'none' },
  { name: 'tcp.analysis.duplicate_ack_num', label: 'Duplicate ACK #', type: 'uint32', base: 'dec' },
  { name: 'tcp.analysis.duplicate_ack_frame', label: 'Duplicate to the ACK in frame', type: 'framenum' },
  { name: 'tcp.analysis.acks_frame', label: 'This is an ACK to the segment in frame', type: 'framenum' },
  { name: 'tcp.analysis.bytes_in_flight', label: 'Bytes in flight', type: 'uint32', base: 'dec' },
  { name: 'tcp.analysis.push_bytes_sent', label: 'Bytes sent since last PSH flag', type: 'uint32', base: 'dec' },
  { name: 'tcp.analysis.ack_rtt', label: 'The RTT to ACK the segment was', type: 'reltime' },
  { name: 'tcp.analysis.rto', label: 'The RTO for this segment was', type: 'reltime' },
  { name: 'tcp.analysis.rto_frame', label: 'RTO based on delta from frame', type: 'uint32' },
  { name: 'tcp.analysis.initial_rtt', label: 'iRTT', type: 'reltime' },
  { name: 'tcp.payload', label: 'TCP payload', type: 'bytes' },
  { name: 'tcp.fin_retransmission', label: 'Retransmission of FIN from frame', type: 'framenum' },
  { name: 'tcp.reset_cause', label: 'Reset cause', type: 'string', description: 'Text some stacks put in the payload of a RST (RFC 1122 4.2.2.12)' },
  { name: 'tcp.segment_data', label: 'TCP segment data', type: 'bytes' },
  { name: 'tcp.pdu.size', label: 'PDU Size', type: 'uint32' },
  { name: 'tcp.segments', label: 'Reassembled TCP Segments', type: 'none' },
  { name: 'tcp.segment', label: 'TCP Segment', type: 'framenum' },
  { name: 'tcp.segment.overlap', label: 'Segment overlap', type: 'boolean', description: 'The segment overlaps bytes segments before it in the PDU gave' },
  { name: 'tcp.segment.overlap.conflict', label: 'Conflicting data in segment overlap', type: 'boolean', description: 'The overlapping bytes differ from those the segments before it gave' },
  { name: 'tcp.segment.error', label: 'Reassembling error', type: 'framenum', description: 'A segment whose overlapping bytes conflict (listed under this field instead of tcp.segment)' },
  { name: 'tcp.segment.count', label: 'Segment count', type: 'uint32', base: 'dec' },
  { name: 'tcp.reassembled.length', label: 'Reassembled TCP length', type: 'uint32', base: 'dec' },
  { name: 'tcp.reassembled.data', label: 'Reassembled TCP Data', type: 'bytes' },
] as const);

const F = tcpFields;

/** The flag bits in tree order. */
const FLAG_FIELDS = [F['tcp.flags.res'], F['tcp.flags.ae'], F['tcp.flags.cwr'], F['tcp.flags.ece'], F['tcp.flags.urg'], F['tcp.flags.ack'],
  F['tcp.flags.push'], F['tcp.flags.reset'], F['tcp.flags.syn'], F['tcp.flags.fin']];
/** The same where the AE, CWR and ECE bits are Accurate ECN's ACE counter (TcpSegmentVerdict.ace). */
const ACE_FLAG_FIELDS = [F['tcp.flags.res'], F['tcp.flags.ace'], ...FLAG_FIELDS.slice(4)];
const ACE_BITS = 0x1c0;

export const TH_FIN = 0x01, TH_SYN = 0x02, TH_RST = 0x04, TH_PUSH = 0x08, TH_ACK = 0x10, TH_URG = 0x20;
const TH_RES = 0xe00;
const MIN_HEADER = 20;

/** Info column flag names, lowest bit first (packet-tcp.c tcp_flags_to_str), then "Reserved". */
const FLAG_NAMES = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'AE'];

const flagsTexts: (string | undefined)[] = new Array<string | undefined>(4096).fill(undefined);

/**
 * "SYN, ACK" as in "[SYN, ACK]" and "Flags: 0x012 (SYN, ACK)"; with `ace`, the AE, CWR and ECE
 * bits as the counter at the end ("ACK, ACE=4").
 */
export function tcpFlagsText(flags: number, ace = false): string {
  if (ace) {
    const rest = tcpFlagsText(flags & ~ACE_BITS);
    return `${rest === '<None>' ? '' : `${rest}, `}ACE=${(flags & ACE_BITS) >> 6}`;
  }
  // Built once per distinct flags word (12 bits): every segment's Info needs it.
  const key = flags & 0xfff;
  return key === flags ? (flagsTexts[key] ??= buildFlagsText(key)) : buildFlagsText(flags);
}

function buildFlagsText(flags: number): string {
  const parts: string[] = [];
  for (let i = 0; i < FLAG_NAMES.length; i++) if (flags & (1 << i)) parts.push(FLAG_NAMES[i]!);
  if (flags & TH_RES) parts.push('Reserved');
  return parts.length ? parts.join(', ') : '<None>';
}

/**
 * tcp.flags.str: 12 positions "RRRACEUAPRSF", a middle dot (U+00B7) for each clear bit; with
 * `ace`, the counter between dashes in the AE, CWR, ECE positions ("···-4-·A····").
 */
export function tcpFlagsStr(flags: number, ace = false): string {
  const letters = 'RRRACEUAPRSF';
  let s = '';
  for (let i = 0; i < 12; i++) {
    if (ace && i >= 3 && i <= 5) {
      if (i === 4) s += `-${(flags & ACE_BITS) >> 6}-`;
      continue;
    }
    s += (flags >> (11 - i)) & 1 ? letters[i] : '\u00b7';
  }
  return s;
}

/** Wireshark's conversation_completeness_fill text for tcp.completeness. */
export function completenessText(v: number): string {
  switch (v) {
    case 1: return `Incomplete, SYN_SENT (${v})`;
    case 3: return `Incomplete, CLIENT_ESTABLISHED (${v})`;
    case 7: return `Incomplete, ESTABLISHED (${v})`;
    case 15: return `Incomplete, DATA (${v})`;
    default:
      if ((v & 7) === 7 && v & (16 | 32)) return `Complete, ${v & 8 ? 'WITH_DATA' : 'NO_DATA'} (${v})`;
      return `Incomplete (${v})`;
  }
}

// ---------------------------------------------------------------------------------------------
// Options (RFC 9293 3.2, RFC 7323, RFC 2018, RFC 7413)

/** The decoded options, their Info summary (" MSS=1460 SACK_PERM ...") and tree summary names. */
export interface ParsedOptions {
  facts: TcpSegmentFacts['options'];
  info: string;
  names: string[];
  /** Given by the caller: the segment is a SYN without ACK (a Fast Open cookie there is noted). */
  synOnly?: boolean;
  /** The options ended at one too short to hold its length (tshark then has no note on a SYN's missing MSS). */
  tooShort?: boolean;
}


function addKindLen(ctx: PacketContext, node: FieldNode, tvb: Tvb, o: number, kind: number, len: number): void {
  ctx.add(node, F['tcp.option_kind'], tvb, o, 1, kind);
  ctx.add(node, F['tcp.option_len'], tvb, o + 1, 1, len);
}

/**
 * Dissects the option bytes [offset, offset+optlen) of `tvb` under `parent` (the tcp.options
 * node), appending to `out` as it goes so a truncated option list keeps what came before it
 * (tshark shows "MSS=1460 SACK_PERM[Packet size limited during capture]"). `ackBase` turns raw
 * SACK edges into relative ones (null: print raw).
 */
/** packet-tcp.c's D-SACK items: the block's edges again, and "D-SACK Sequence" with its note. */
function addDsack(ctx: PacketContext, node: FieldNode, tvb: Tvb, at: number, [le, re]: [number, number], ackBase: number | null): void {
  const rel = (v: number) => (ackBase === null ? v : (v - ackBase) >>> 0);
  const suffix = ackBase === null ? '' : ' (relative)';
  ctx.addGenerated(node, F['tcp.options.sack.dsack_le'], rel(le), `D-SACK Left Edge = ${rel(le)}${suffix}`);
  ctx.addGenerated(node, F['tcp.options.sack.dsack_re'], rel(re), `D-SACK Right Edge = ${rel(re)}${suffix}`);
  ctx.addExpert(ctx.add(node, F['tcp.options.sack.dsack'], tvb, at, 0, null), 'warn', 'sequence', 'D-SACK Sequence');
}

/** The options FIXED_OPTION_LENGTH knows: their item and their name in the Options line. */
const FIXED_LENGTH_ITEMS: Record<number, [FieldDef, string]> = {
  2: [F['tcp.options.mss'], 'Maximum segment size'], 3: [F['tcp.options.wscale'], 'Window scale'],
  4: [F['tcp.options.sack_perm'], 'SACK permitted'], 8: [F['tcp.options.timestamp'], 'Timestamps'],
};

/** An option's name in the Options line and in the note on a too-short option. */
function optionName(kind: number): string {
  const fixed = FIXED_LENGTH_ITEMS[kind];
  if (fixed) return fixed[1];
  switch (kind) {
    case 5: return 'SACK';
    case 29: return 'TCP AO';
    case 34: return 'TCP Fast Open';
    case 172:
    case 174: return 'Accurate ECN';
    case 253:
    case 254: return 'Experimental';
    default: return `Unknown (0x${kind.toString(16).padStart(2, '0')})`;
  }
}

/** Accurate ECN's byte counters in the order each kind carries them, with Info's abbreviations. */
const ACC_ECN_ORDER_0: ReadonlyArray<[FieldDef, string]> = [
  [F['tcp.options.acc_ecn.ee0b'], 'EE0B'], [F['tcp.options.acc_ecn.eceb'], 'ECEB'], [F['tcp.options.acc_ecn.ee1b'], 'EE1B'],
];
const ACC_ECN_ORDER_1: ReadonlyArray<[FieldDef, string]> = [
  [F['tcp.options.acc_ecn.ee1b'], 'EE1B'], [F['tcp.options.acc_ecn.eceb'], 'ECEB'], [F['tcp.options.acc_ecn.ee0b'], 'EE0B'],
];

/** An option's item: its bytes as the value (hex, as `-T fields` prints it), made only when the node is kept. */
function addOption(ctx: PacketContext, parent: FieldNode | null, fd: FieldDef, tvb: Tvb, o: number, len: number, text: string | undefined): FieldNode {
  return ctx.add(parent, fd, tvb, o, len, ctx.wants(fd) ? hexBytes(tvb.slice(o, len)) : '', text);
}

export function dissectTcpOptions(tvb: Tvb, offset: number, optlen: number, ctx: PacketContext, parent: FieldNode | null, out: ParsedOptions, ackBase: number | null, ackRaw: number | null = null): void {
  const end = offset + optlen;
  let o = offset;
  while (o < end) {
    const kind = tvb.u8(o);
    if (kind === 0 || kind === 1) {
      const isEol = kind === 0;
      const fd = isEol ? F['tcp.options.eol'] : F['tcp.options.nop'];
      const node = ctx.add(parent, fd, tvb, o, 1, ctx.wants(fd) ? hexBytes(tvb.slice(o, 1)) : null, fd.label);
      ctx.add(node, F['tcp.option_kind'], tvb, o, 1, kind);
      out.names.push(isEol ? 'End of Option List (EOL)' : 'No-Operation (NOP)');
      o++;
      continue;
    }
    if (o + 1 >= end) {
      // The length byte would be past the options (dissect_ip_tcp_options: "option goes past end").
      const node = ctx.addText(parent, tvb, o, 1, `${OPTION_KINDS[kind] ?? 'Unknown'} (option length byte past end of options)`);
      ctx.addExpert(node, 'error', 'malformed', 'Option length byte past end of options');
      out.names.push('Unknown');
      return;
    }
    const len = tvb.u8(o + 1);
    const fixed = FIXED_OPTION_LENGTH[kind];
    if (len >= 2 && o + len <= end && fixed !== undefined && len !== fixed) {
      // A known option of the wrong length: its usual item, kind and length, the note on the
      // length (tcp_option_len_check), nothing decoded.
      const [fd, name] = FIXED_LENGTH_ITEMS[kind]!;
      // (Its bytes may run past what the frame holds, with the header's claimed length: the item
      // and its note come first, the packet is malformed further on, as in tshark.)
      const node = ctx.add(parent, fd, tvb, o, len, ctx.tree || ctx.wanting ? hexBytes(tvb.slice(o, Math.min(len, tvb.length - o))) : '', fd.label);
      ctx.add(node, F['tcp.option_kind'], tvb, o, 1, kind);
      ctx.addExpert(ctx.add(node, F['tcp.option_len'], tvb, o + 1, 1, len), 'note', 'sequence', `option length should be ${fixed}`);
      out.names.push(name);
      o += len;
      continue;
    }
    if (len < 2) {
      // dissect_ip_tcp_options: a text item and its note, and the options end there.
      const text = `${optionName(kind)} (with too-short option length = ${len} byte${len === 1 ? '' : 's'})`;
      ctx.addExpert(ctx.addText(parent, tvb, o, 2, text), 'note', 'sequence', text);
      out.tooShort = true;
      return;
    }
    if (o + len > end) {
      const why = `option goes past end of options`;
      const node = ctx.addText(parent, tvb, o, Math.min(2, end - o), `${OPTION_KINDS[kind] ?? 'Unknown'}: ${why}`);
      ctx.add(node, F['tcp.option_kind'], tvb, o, 1, kind);
      ctx.add(node, F['tcp.option_len'], tvb, o + 1, 1, len);
      ctx.addExpert(node, 'warn', 'protocol', why);
      return;
    }
    tvb.check(o, len);
    switch (kind) {
      case 2: {
        const mss = tvb.u16(o + 2);
        const node = addOption(ctx, parent, F['tcp.options.mss'], tvb, o, len, ctx.wants(F['tcp.options.mss']) ? `TCP Option - Maximum segment size: ${mss} bytes` : undefined);
        addKindLen(ctx, node, tvb, o, kind, len);
        ctx.add(node, F['tcp.options.mss_val'], tvb, o + 2, 2, mss);
        out.facts.mss = mss;
        out.info += ` MSS=${mss}`;
        out.names.push('Maximum segment size');
        break;
      }
      case 3: {
        const shift = tvb.u8(o + 2);
        // RFC 7323 2.3: a shift above 14 is used as 14.
        const multiplier = 1 << Math.min(shift, 14);
        const node = addOption(ctx, parent, F['tcp.options.wscale'], tvb, o, len, ctx.wants(F['tcp.options.wscale']) ? `TCP Option - Window scale: ${shift} (multiply by ${multiplier})` : undefined);
        addKindLen(ctx, node, tvb, o, kind, len);
        const sn = ctx.add(node, F['tcp.options.wscale.shift'], tvb, o + 2, 1, shift);
        if (shift > 14) ctx.addExpert(sn, 'warn', 'protocol', 'Window scale shift exceeds 14');
        ctx.addGenerated(node, F['tcp.options.wscale.multiplier'], multiplier);
        out.facts.wscale = shift;
        out.info += ` WS=${multiplier}`;
        out.names.push('Window scale');
        break;
      }
      case 4: {
        const node = addOption(ctx, parent, F['tcp.options.sack_perm'], tvb, o, len, 'TCP Option - SACK permitted');
        addKindLen(ctx, node, tvb, o, kind, len);
        out.facts.sackPerm = true;
        out.info += ' SACK_PERM';
        out.names.push('SACK permitted');
        break;
      }
      case 5: {
        const node = addOption(ctx, parent, F['tcp.options.sack'], tvb, o, len, 'TCP Option - SACK');
        addKindLen(ctx, node, tvb, o, kind, len);
        const blocks: Array<[number, number]> = [];
        let text = 'TCP Option - SACK';
        let p = o + 2;
        while (p + 8 <= o + len) {
          const le = tvb.u32(p), re = tvb.u32(p + 4);
          blocks.push([le, re]);
          const rl = ackBase === null ? le : (le - ackBase) >>> 0;
          const rr = ackBase === null ? re : (re - ackBase) >>> 0;
          ctx.add(node, F['tcp.options.sack_le'], tvb, p, 4, rl, ctx.wants(F['tcp.options.sack_le']) ? `left edge = ${rl}${ackBase === null ? '' : ' (relative)'}` : undefined);
          ctx.add(node, F['tcp.options.sack_re'], tvb, p + 4, 4, rr, ctx.wants(F['tcp.options.sack_re']) ? `right edge = ${rr}${ackBase === null ? '' : ' (relative)'}` : undefined);
          text += ` ${rl}-${rr}`;
          out.info += ` SLE=${rl} SRE=${rr}`;
          p += 8;
        }
        ctx.addGenerated(node, F['tcp.options.sack.count'], blocks.length);
        // A first block at or below the ACK, or inside the second block, reports bytes received
        // twice (RFC 2883 D-SACK, section 4).
        const first = blocks[0], second = blocks[1];
        const belowAck = first !== undefined && ackRaw !== null && ((first[0] - ackRaw) | 0) <= 0;
        const insideSecond = first !== undefined && second !== undefined && ((second[0] - first[1]) | 0) < 0 && ((second[1] - first[1]) | 0) >= 0;
        if (belowAck || insideSecond) addDsack(ctx, node, tvb, o + 2, first!, ackBase);
        ctx.setText(node, text);
        out.facts.sack = blocks;
        out.names.push('SACK');
        break;
      }
      case 8: {
        const tsval = tvb.u32(o + 2), tsecr = tvb.u32(o + 6);
        const node = addOption(ctx, parent, F['tcp.options.timestamp'], tvb, o, len, ctx.wants(F['tcp.options.timestamp']) ? `TCP Option - Timestamps: TSval ${tsval}, TSecr ${tsecr}` : undefined);
        addKindLen(ctx, node, tvb, o, kind, len);
        ctx.add(node, F['tcp.options.timestamp.tsval'], tvb, o + 2, 4, tsval);
        ctx.add(node, F['tcp.options.timestamp.tsecr'], tvb, o + 6, 4, tsecr);
        out.facts.tsval = tsval;
        out.facts.tsecr = tsecr;
        out.info += timestampsInfo(tsval, tsecr);
        out.names.push('Timestamps');
        break;
      }
      case 34:
      case 253:
      case 254: {
        // RFC 7413 TCP Fast Open, as kind 34 or as an RFC 6994 experiment with ExID 0xF989.
        const exid = kind === 34 ? -1 : len >= 4 ? tvb.u16(o + 2) : -2;
        const tfo = kind === 34 || exid === 0xf989;
        if (tfo) {
          const cookieAt = o + (kind === 34 ? 2 : 4);
          const cookieLen = o + len - cookieAt;
          const fd = kind === 34 ? F['tcp.options.tfo'] : F['tcp.options.experimental'];
          const node = addOption(ctx, parent, fd, tvb, o, len, kind === 34 ? 'TCP Option - TCP Fast Open' : 'TCP Option - Experimental: Fast Open');
          addKindLen(ctx, node, tvb, o, kind, len);
          if (kind !== 34) ctx.add(node, F['tcp.options.experimental.exid'], tvb, o + 2, 2, exid, 'Experiment Identifier: Fast Open (0xf989)');
          if (cookieLen === 0) {
            ctx.add(node, F['tcp.options.tfo.request'], tvb, o, len, null, 'Fast Open Cookie Request');
            out.info += ' TFO=R';
          } else {
            const cookie = ctx.add(node, F['tcp.options.tfo.cookie'], tvb, cookieAt, cookieLen, tvb.slice(cookieAt, cookieLen));
            if (out.synOnly) ctx.addExpert(cookie, 'note', 'sequence', 'TCP SYN with TFO Cookie');
            out.info += ' TFO=C';
          }
          out.names.push(kind === 34 ? 'TCP Fast Open' : 'Experimental');
        } else {
          const node = addOption(ctx, parent, F['tcp.options.experimental'], tvb, o, len, 'TCP Option - Experimental');
          addKindLen(ctx, node, tvb, o, kind, len);
          if (len >= 4) {
            ctx.add(node, F['tcp.options.experimental.exid'], tvb, o + 2, 2, exid);
            if (len > 4) ctx.add(node, F['tcp.options.experimental.data'], tvb, o + 4, len - 4, tvb.slice(o + 4, len - 4));
          }
          out.names.push('Experimental');
        }
        break;
      }
      case 29: {
        // RFC 5925 TCP Authentication Option: the key IDs, then the MAC.
        const node = addOption(ctx, parent, F['tcp.options.ao'], tvb, o, len, 'TCP Option - TCP AO');
        ctx.add(node, F['tcp.option_kind'], tvb, o, 1, kind);
        const lengthNode = ctx.add(node, F['tcp.option_len'], tvb, o + 1, 1, len);
        if (len < 4) {
          ctx.addExpert(lengthNode, 'note', 'sequence', 'option length should be >= than 4');
        } else {
          ctx.add(node, F['tcp.options.ao.keyid'], tvb, o + 2, 1, tvb.u8(o + 2));
          ctx.add(node, F['tcp.options.ao.rnextkeyid'], tvb, o + 3, 1, tvb.u8(o + 3));
          if (len > 4) ctx.add(node, F['tcp.options.ao.mac'], tvb, o + 4, len - 4, tvb.slice(o + 4, len - 4));
        }
        // packet-tcp.c appends it to Info without a separator ("Len=0TCP AO").
        out.info += 'TCP AO';
        out.names.push('TCP AO');
        break;
      }
      case 172:
      case 174: {
        // Accurate ECN (draft-ietf-tcpm-accurate-ecn): up to three 24-bit byte counters, ECT(0)
        // first for kind 172 (order 0), ECT(1) first for kind 174 (order 1).
        const node = addOption(ctx, parent, F['tcp.options.acc_ecn'], tvb, o, len, 'TCP Option - Accurate ECN');
        ctx.add(node, F['tcp.option_kind'], tvb, o, 1, kind);
        const lengthNode = ctx.add(node, F['tcp.option_len'], tvb, o + 1, 1, len);
        if (len !== 2 && len !== 5 && len !== 8 && len !== 11) {
          ctx.addExpert(lengthNode, 'note', 'sequence', `option length should be 2, 5, 8, or 11 instead of ${len}`);
        } else if (len === 2) {
          out.info += ' AccECN';
        } else {
          const counters = kind === 172 ? ACC_ECN_ORDER_0 : ACC_ECN_ORDER_1;
          const shown: string[] = [];
          for (let i = 0, p = o + 2; p + 3 <= o + len; i++, p += 3) {
            const [field, abbrev] = counters[i]!;
            const v = tvb.u24(p);
            ctx.add(node, field, tvb, p, 3, v);
            shown.push(`${abbrev} ${v}`);
            out.info += ` ${abbrev}=${v}`;
          }
          ctx.setText(node, `TCP Option - Accurate ECN (Order ${kind === 172 ? 0 : 1}): ${shown.join(', ')}`);
        }
        out.names.push('Accurate ECN');
        break;
      }
      default: {
        // A kind no dissector here takes (tshark's "unknown" option, whether or not its table
        // names the kind in the Kind line).
        const node = addOption(ctx, parent, F['tcp.options.unknown'], tvb, o, len, 'TCP Option - Unknown');
        addKindLen(ctx, node, tvb, o, kind, len);
        if (len > 2) ctx.add(node, F['tcp.options.unknown.payload'], tvb, o + 2, len - 2, tvb.slice(o + 2, len - 2));
        out.names.push(optionName(kind));
        break;
      }
    }
    o += len;
  }
}

// ---------------------------------------------------------------------------------------------
// Per-capture state: server ports (decode_tcp_ports tries the port the SYN went to first) and
// the reassembly of PDUs that span segments.

/** One PDU being collected (Wireshark's tcp_multisegment_pdu), per direction. */
export interface PendingPdu {
  /** Raw sequence number of the PDU's first byte. */
  startSeq: number;
  /** Raw sequence number the next collected segment must start at. */
  nextSeq: number;
  /** Raw sequence number just past the PDU, -1 for "one more segment", -2 for "until FIN". */
  endSeq: number;
  /** The bytes collected so far: buf[0, len) (buf is sized for the whole PDU when its length is known). */
  buf: Uint8Array;
  len: number;
  segments: PduSegment[];
  /**
   * Where buf[0, len) lies in the frames (pdu-pieces.ts), so the completing frame's record need
   * not keep the bytes; null when a frame cannot be read again or some bytes were not a frame's own.
   */
  pieces: PduPiece[] | null;
  /** What the payload protocol wrote to Info when it asked for the PDU ("HTTP/1.1 200 OK "). */
  info: string;
  /**
   * Segments inside the PDU that came after a hole (a lost or reordered segment), by sequence
   * number, kept until the hole is filled; null when there are none. tshark's reassembly keeps
   * fragments at their offsets, so a segment that fills the hole later completes the PDU.
   */
  parked: ParkedSegment[] | null;
  /**
   * Segments that joined over bytes the PDU held already (an out-of-order segment or a fast
   * retransmission starting inside them, see joinOverlapping), with their own bytes; null when
   * there are none. Once there are, every segment's place is set (PduSegment.at), and the PDU's
   * bytes are put together at the end as tshark's reassembly does (overlapsJoined).
   */
  overlaps: Map<PduSegment, Uint8Array> | null;
  /**
   * For a PDU that waits for the FIN: where a FIN came that could not complete it (bytes before it
   * missing), and the frame of that FIN when it carried no data. tshark's FIN branch adds it as
   * the last fragment, so a segment that fills the last hole later completes the PDU.
   */
  finAt?: number;
  finFrame?: number;
  /**
   * Its bytes so far were put together and handed to the protocol, which asked for more
   * (reassemble.c's defragmented head with FD_PARTIAL_REASSEMBLY): a resend that ends inside
   * those bytes is refused, "New fragment overlaps old data" (refusesResend). Any segment added
   * to the PDU clears it, as reassemble.c resets such a head for a fragment that reaches its end.
   */
  partial: boolean;
}

/**
 * A segment of a PDU: its frame and how many bytes it gave. `at`, where they start in the PDU,
 * is set only in a PDU whose segments overlap; otherwise a segment starts where the ones before
 * it end (see segmentOffsets). `overlap`/`conflict`: tshark's FD_OVERLAP/FD_OVERLAPCONFLICT, set
 * when the PDU is complete.
 */
interface PduSegment {
  frame: number;
  length: number;
  at?: number;
  overlap?: boolean;
  conflict?: boolean;
}

/** A segment of a pending PDU that came after a hole in it (see PendingPdu.parked). */
interface ParkedSegment {
  seq: number;
  bytes: Uint8Array;
  frame: number;
  piece: PduPiece | null;
}

type FrameDeseg =
  /** The payload protocol is called on this segment's payload (the usual case). */
  | { kind: 'plain' }
  /**
   * Part of a PDU completed later: not handed on. `info` is what the payload protocol wrote, if
   * it was called; `kept`, it asked at the start of the segment to keep its tree (TLS's and
   * IMAP's item come before they look for more), so it is called again to show that tree.
   * `restAt`: the segment came after a hole and ran past the PDU's end; its bytes from there on
   * are the next PDU's (tshark's another_pdu_follows, with TCP's Protocol column kept).
   */
  | { kind: 'middle'; info: string | null; kept?: boolean; restAt?: number }
  /** A keep-alive whose byte contradicts the PDU reassembled where it lands (see keepAliveBytes). */
  | { kind: 'overlap' }
  /**
   * Completes a PDU: the payload protocol is called on its bytes, then on this segment's payload
   * from `restAt` on when the PDU (of a known length) ended before it (another_pdu_follows).
   * `data`: the bytes, or where they lie in the frames when those can be read again.
   * `undissected`: an out-of-order segment filled the PDU's last hole; tshark shows the segments
   * but does not hand the PDU on (its decode_tcp_ports refuses out-of-order data).
   * `untilFin`: the FIN ended a PDU that waited for it (dissect_tcp's own FIN branch).
   * `illegal`: overlapping segments gave some bytes two values; tshark's reassembly then writes
   * "[Illegal Segments]" to Info (not in the FIN branch).
   */
  | { kind: 'reassembled'; data: Uint8Array | readonly PduPiece[]; startSeq: number; segments: PduSegment[]; restAt: number; undissected?: boolean; untilFin?: boolean; illegal?: boolean };

/** Where a PDU that spanned segments started and ended (see TcpCaptureState.pduEnds), and whether it was reassembled. */
interface PduEnd {
  start: number;
  end: number;
  reassembled: boolean;
}

/** A PDU this reassembly gave up (see TcpCaptureState.givenUp): where it starts, where it ends (-1: none, it waited for the FIN), its Info. */
interface GivenUpPdu {
  startSeq: number;
  endSeq: number;
  info: string;
}

interface TcpCaptureState {
  /** Numeric ids of the address pairs the maps below are keyed by (see conversationKey). */
  ids: EndpointIds;
  serverPort: Map<number, number>;
  /** Protocol a heuristic recognised in a conversation, tried first from then on. */
  conversationProtocol: Map<number, Protocol>;
  pending: Map<number, PendingPdu>;
  frames: FrameTable<FrameDeseg>;
  /** No frame above this one is in `frames` (the first pass goes in frame order: it skips the lookup). */
  newestFrame: number;
  /** CaptureState.revisits: false keeps no `frames`. */
  revisits: boolean;
  /** Per direction, the last PDU reassembled: its sequence range and last bytes (see keepAliveBytes). */
  lastPdu: Map<number, { startSeq: number; endSeq: number; tail: Uint8Array }>;
  /**
   * Per direction, the PDU last given up at a gap: where it starts and, if known, ends (-1
   * unknown). tshark's reassembly keeps it, with the hole, and a fast retransmission that fills
   * the hole joins it (see payloadStaysAtTcp).
   */
  givenUp: Map<number, GivenUpPdu>;
  /**
   * Per direction, the PDUs of known length given up with all their bytes there (a segment past
   * a hole ran past their end, or the next PDU started after them), oldest first, at most
   * LEFT_BEHIND_MAX of them and LEFT_BEHIND_BYTES of buffers. tshark's reassembly keeps every such PDU: an out-of-order segment or fast
   * retransmission that falls in one later joins it and may complete it (see leftBehindHolding).
   */
  leftBehind: Map<number, PendingPdu[]>;
  /**
   * Per direction, the PDU waiting for one more segment that a segment after a gap passed by
   * (not its next bytes: new data). tshark's reassembly keeps it, and an out-of-order segment
   * with its next bytes completes it later, undissected (see handPayload).
   */
  passedBy: Map<number, PendingPdu>;
  /**
   * Per direction whose data a protocol asked to collect until the FIN (tshark's
   * TCP_FLOW_REASSEMBLE_UNTIL_FIN): the frame of its first FIN, 0 before one came. A later FIN
   * is a retransmission of it (see finOfUntilFinFlow).
   */
  untilFinFlows: Map<number, number>;
  /**
   * Per direction, every PDU that spanned segments and is no longer pending: its first byte's
   * raw sequence number, the sequence number just past it (tshark's msp->nxtpdu) and whether it
   * was reassembled, in the order of the raw numbers (tshark's tree of them, looked up by
   * binary search). tshark keeps these for the whole capture; they decide what a resend into
   * them shows (see placeOfResend). Made only for directions that have one.
   */
  pduEnds: Map<number, PduEnd[]>;
  /** For revisits: where each resend resendPlace was asked about landed on the first pass. */
  resendPlaces: FrameTable<ResendPlace>;
  /** For revisits: whether the pending PDU took each segment fitsPendingPdu was asked about, on the first pass. */
  resendFits: FrameTable<boolean>;
  /** For revisits: whether each fast retransmission no pending PDU took stayed at TCP on the first pass (see fastStaysAtTcp). */
  fastStays: FrameTable<boolean>;
  /** Conversations forgotten since ids last dropped their pairs. */
  dead: number;
}

/** The usual record, shared (records are replaced, never changed). */
const PLAIN: FrameDeseg = { kind: 'plain' };
/** A segment collected into a PDU without calling its protocol (most of a big body's): shared too. */
const COLLECTED: FrameDeseg = { kind: 'middle', info: null };

function stateOf(ctx: PacketContext): TcpCaptureState {
  return ctx.capture.get('tcp.dissector', newTcpState);
}

function newTcpState(capture: CaptureState): TcpCaptureState {
  const st: TcpCaptureState = {
    ids: new EndpointIds(), serverPort: new Map(), conversationProtocol: new Map(), pending: new Map(), frames: new FrameTable(), newestFrame: 0,
    revisits: capture.revisits, dead: 0, lastPdu: new Map(), givenUp: new Map(), leftBehind: new Map(), passedBy: new Map(), untilFinFlows: new Map(), pduEnds: new Map(), resendPlaces: new FrameTable(), resendFits: new FrameTable(), fastStays: new FrameTable(),
  };
  // Frames are recorded in capture order on the first pass: the oldest come first.
  capture.onForget((first) => {
    st.frames.forgetBefore(first);
    st.resendPlaces.forgetBefore(first);
    st.resendFits.forgetBefore(first);
    st.fastStays.forgetBefore(first);
  });
  return st;
}

/** Two endpoints of a TCP connection (the tracker's Connection has these). */
export interface TcpConversationEnds {
  addrA: Uint8Array;
  portA: number;
  addrB: Uint8Array;
  portB: number;
}

/**
 * The TCP tracker forgot these connections (a live ring evicted all of them, see its
 * forgetBefore): their server port, heuristic protocol and pending PDUs go too, so the
 * dissector's state follows the tracker's.
 */
export function forgetTcpConversations(capture: CaptureState, ends: readonly TcpConversationEnds[]): void {
  const st = capture.peek<TcpCaptureState>('tcp.dissector');
  if (!st || ends.length === 0) return;
  for (const e of ends) {
    const a = st.ids.findAddr(e.addrA), b = st.ids.findAddr(e.addrB);
    const key = a === undefined || b === undefined ? undefined : st.ids.findPair(endpoint(a, e.portA), endpoint(b, e.portB));
    if (key === undefined) continue;
    st.serverPort.delete(key);
    st.conversationProtocol.delete(key);
    st.pending.delete(key * 2);
    st.pending.delete(key * 2 + 1);
    st.lastPdu.delete(key * 2);
    st.lastPdu.delete(key * 2 + 1);
    st.givenUp.delete(key * 2);
    st.givenUp.delete(key * 2 + 1);
    st.leftBehind.delete(key * 2);
    st.leftBehind.delete(key * 2 + 1);
    st.passedBy.delete(key * 2);
    st.passedBy.delete(key * 2 + 1);
    st.untilFinFlows.delete(key * 2);
    st.untilFinFlows.delete(key * 2 + 1);
    st.pduEnds.delete(key * 2);
    st.pduEnds.delete(key * 2 + 1);
    st.dead++;
  }
  if (st.dead > 1024 && st.dead > st.serverPort.size) {
    // Pairs with nothing stored under them go too: seen again, they get a new id, as good as the old.
    st.ids.retain((id) => st.serverPort.has(id) || st.conversationProtocol.has(id) || st.pending.has(id * 2) || st.pending.has(id * 2 + 1) ||
      st.lastPdu.has(id * 2) || st.lastPdu.has(id * 2 + 1) || st.passedBy.has(id * 2) || st.passedBy.has(id * 2 + 1));
    st.dead = 0;
  }
}

/**
 * The key of this segment's direction: the conversation key (the unordered address/port pair)
 * times 2, plus 1 for the direction whose source endpoint is the higher of the two.
 */
function directionKey(ctx: PacketContext, st: TcpCaptureState, srcPort: number, dstPort: number): number {
  const a = endpoint(addrIdOf(st.ids, ctx.endpoints.netSrc, ctx.src), srcPort);
  const b = endpoint(addrIdOf(st.ids, ctx.endpoints.netDst, ctx.dst), dstPort);
  return st.ids.pair(a, b) * 2 + (a > b ? 1 : 0);
}

/** directionKey for endpoints given as network addresses, without interning them: undefined when the pair was never seen. */
function findDirectionKey(st: TcpCaptureState, netSrc: Uint8Array, srcPort: number, netDst: Uint8Array, dstPort: number): number | undefined {
  const srcId = st.ids.findAddr(netSrc), dstId = st.ids.findAddr(netDst);
  if (srcId === undefined || dstId === undefined) return undefined;
  const a = endpoint(srcId, srcPort), b = endpoint(dstId, dstPort);
  const pair = st.ids.findPair(a, b);
  return pair === undefined ? undefined : pair * 2 + (a > b ? 1 : 0);
}

/** The conversation key of a direction key (both directions share it). */
function conversationKey(dirKey: number): number {
  return Math.floor(dirKey / 2);
}

/** Serial-number "a < b" (RFC 1982) for 32-bit sequence numbers. */
function seqLT(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

const SEGMENT_OF_PDU = '[TCP segment of a reassembled PDU]';

// ---------------------------------------------------------------------------------------------

/** In tshark's order: a fast or spurious retransmission's own item comes before the retransmission's. */
const ANALYSIS_FLAGS: Array<[keyof TcpAnalysisFlags, FieldDef, ExpertSeverity]> = [
  ['fast_retransmission', F['tcp.analysis.fast_retransmission'], 'note'],
  ['spurious_retransmission', F['tcp.analysis.spurious_retransmission'], 'note'],
  ['retransmission', F['tcp.analysis.retransmission'], 'note'],
  ['out_of_order', F['tcp.analysis.out_of_order'], 'warn'],
  ['reused_ports', F['tcp.analysis.reused_ports'], 'note'],
  ['lost_segment', F['tcp.analysis.lost_segment'], 'warn'],
  ['ack_lost_segment', F['tcp.analysis.ack_lost_segment'], 'warn'],
  ['window_update', F['tcp.analysis.window_update'], 'chat'],
  ['window_full', F['tcp.analysis.window_full'], 'warn'],
  ['keep_alive', F['tcp.analysis.keep_alive'], 'note'],
  ['keep_alive_ack', F['tcp.analysis.keep_alive_ack'], 'note'],
  ['zero_window_probe', F['tcp.analysis.zero_window_probe'], 'note'],
  ['zero_window_probe_ack', F['tcp.analysis.zero_window_probe_ack'], 'note'],
  ['zero_window', F['tcp.analysis.zero_window'], 'warn'],
  ['duplicate_ack', F['tcp.analysis.duplicate_ack'], 'note'],
];

function addAnalysis(ctx: PacketContext, tcpNode: FieldNode, v: TcpSegmentVerdict, pureSyn: boolean): void {
  // A plain loop: most segments have no flag, and this runs for every dissected one.
  let hasFlag = false;
  for (let i = 0; i < ANALYSIS_FLAGS.length && !hasFlag; i++) hasFlag = v.flags[ANALYSIS_FLAGS[i]![0]] === true;
  // packet-tcp.c prints the analysis only for a frame it has something on (tcp_analyze_get_acked_struct):
  // the iRTT alone (a bare FIN, say) does not make one. A SYN that is not its stream's first
  // frame (seen after the SYN-ACK) gets the struct for bytes in flight that its virtual byte
  // brings back to zero: the item, empty.
  const lateSyn = pureSyn && (v.timeRelative !== 0 || v.timeDelta !== 0);
  if (!hasFlag && v.acksFrame === undefined && v.bytesInFlight === undefined && !v.emptyAnalysis &&
    v.pushBytesSent === undefined && v.duplicateAckNum === undefined && !lateSyn) return;
  const an = ctx.addGenerated(tcpNode, F['tcp.analysis'], null, 'SEQ/ACK analysis');
  if (v.acksFrame !== undefined) ctx.addGenerated(an, F['tcp.analysis.acks_frame'], v.acksFrame);
  if (v.ackRtt !== undefined) ctx.addGenerated(an, F['tcp.analysis.ack_rtt'], v.ackRtt);
  if (v.initialRtt !== undefined) ctx.addGenerated(an, F['tcp.analysis.initial_rtt'], v.initialRtt);
  if (v.bytesInFlight !== undefined) ctx.addGenerated(an, F['tcp.analysis.bytes_in_flight'], v.bytesInFlight);
  if (v.pushBytesSent !== undefined) ctx.addGenerated(an, F['tcp.analysis.push_bytes_sent'], v.pushBytesSent);
  if (hasFlag) {
    const fl = ctx.addGenerated(an, F['tcp.analysis.flags'], null, 'TCP Analysis Flags');
    // A fast or spurious retransmission is also a retransmission in tshark's tree.
    const isRetransmission = v.flags.retransmission || v.flags.fast_retransmission || v.flags.spurious_retransmission;
    for (const [key, fd, severity] of ANALYSIS_FLAGS) {
      if (!(key === 'retransmission' ? isRetransmission : v.flags[key])) continue;
      if (key === 'duplicate_ack' && v.duplicateAckNum !== undefined) {
        // The expert note goes under "Duplicate to the ACK in frame" below.
        ctx.addGenerated(fl, fd, null, `This is a TCP duplicate ack`);
      } else {
        // The flag item is the expert item's own field (the tree shows Expert Info around it).
        const n = ctx.addGenerated(fl, fd, null, fd.label);
        ctx.addExpert(n, severity, 'sequence', fd.label, true);
        if (key === 'retransmission' && v.rto !== undefined) {
          ctx.addGenerated(fl, F['tcp.analysis.rto'], v.rto);
          ctx.addGenerated(fl, F['tcp.analysis.rto_frame'], v.rtoFrame ?? 0);
        }
      }
    }
  }
  if (v.duplicateAckNum !== undefined) {
    ctx.addGenerated(an, F['tcp.analysis.duplicate_ack_num'], v.duplicateAckNum);
    if (v.duplicateAckFrame !== undefined) {
      const fr = ctx.addGenerated(an, F['tcp.analysis.duplicate_ack_frame'], v.duplicateAckFrame);
      // packet-tcp.c 4.0 adds the duplicate_ack item a second time, as the expert note's own
      // field, so `-T fields -e tcp.analysis.duplicate_ack` prints "1,1".
      if (v.flags.duplicate_ack) {
        const message = `Duplicate ACK (#${v.duplicateAckNum})`;
        ctx.addExpert(ctx.addGenerated(fr, F['tcp.analysis.duplicate_ack'], null, message), 'note', 'sequence', message, true);
      }
    }
  }
}

/** The header fields dissectTcp adds with no note on them (options, analysis and payload add their own). */
const HEADER_FIELDS = [
  F['tcp.srcport'], F['tcp.dstport'], F['tcp.port'], F['tcp.stream'], F['tcp.completeness'], F['tcp.len'], F['tcp.seq'], F['tcp.seq_raw'], F['tcp.nxtseq'],
  F['tcp.ack'], F['tcp.ack_raw'], F['tcp.hdr_len'], F['tcp.window_size_value'], F['tcp.window_size'], F['tcp.window_size_scalefactor'], F['tcp.checksum'],
  F['tcp.checksum.status'], F['tcp.urgent_pointer'],
];

function dissectTcp(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  // packet-tcp.c reads the ports before it sets the columns or adds its item: fewer than
  // four bytes (an empty IPv6 payload) show only the exception, under the layer before.
  if (!tvb.has(0, 4)) {
    ctx.removeNodeAnywhere(node);
    tvb.check(0, 4);
  }
  const srcPort = tvb.u16(0);
  const dstPort = tvb.u16(2);
  ctx.protocol = 'TCP';
  ctx.scratch['transport'] = 'tcp';
  ctx.info = `${srcPort} \u2192 ${dstPort}`;
  // Whether a header field may be kept. When none is (read's summary lines) the header's plain
  // adds below are skipped (each would give back the placeholder); notes, Info and state stay.
  const keep = !ctx.recordsNone(HEADER_FIELDS);
  if (keep) {
    ctx.add(node, F['tcp.srcport'], tvb, 0, 2, srcPort);
    ctx.add(node, F['tcp.dstport'], tvb, 2, 2, dstPort);
    ctx.addHidden(node, F['tcp.port'], tvb, 0, 2, srcPort);
    ctx.addHidden(node, F['tcp.port'], tvb, 2, 2, dstPort);
  }
  // Set as soon as known, so that they are there even if the rest of the header is cut off.
  ctx.endpoints.srcPort = srcPort;
  ctx.endpoints.dstPort = dstPort;
  // The protocol line grows as the header is read, as packet-tcp.c appends to it (a header cut
  // short keeps what was read): "Transmission Control Protocol, Src Port: 80, Dst Port: 59856,
  // Seq: 1, Ack: 1, Len: 0".
  // Made only for a tree (the numbers' text for every packet was a good part of dissectTcp's garbage).
  let summary = ctx.tree ? `Transmission Control Protocol, Src Port: ${srcPort}, Dst Port: ${dstPort}` : '';
  if (ctx.tree) ctx.setText(node, summary);

  const seqRaw = tvb.u32(4);
  // A header quoted in an ICMP error: no segment length, raw or next sequence number (and the
  // sequence number is not called relative), as packet-tcp.c shows it in an error packet.
  const quoted = ctx.scratch['inErrorPacket'] === true;
  // It may end with the sequence number (8 bytes are enough for RFC 792): that is shown, raw,
  // and nothing after it.
  if (quoted && !tvb.has(8, 4)) {
    ctx.add(node, F['tcp.seq'], tvb, 4, 4, seqRaw);
    return;
  }
  const ackRaw = tvb.u32(8);
  const offX2 = tvb.u8(12);
  const flags = tvb.u16(12) & 0x0fff;
  const winRaw = tvb.u16(14);
  const hlen = (offX2 >> 4) * 4;
  const reported = tvb.reportedLength;
  // A segment shorter than its header has no length (packet-tcp.c: th_have_seglen = FALSE).
  const haveSegLen = reported >= hlen;
  const segLen = haveSegLen ? reported - hlen : 0;
  const syn = (flags & TH_SYN) !== 0;
  const hasAck = (flags & TH_ACK) !== 0;

  // The tracker sees every segment (it caches per frame). Options are only known after they
  // are parsed, but the tracker's answer is needed before (Info order), so they are pre-read
  // here without adding nodes; a truncated or bad option list simply yields fewer facts.
  const analyzer = tcpAnalyzerOf(ctx.capture);
  let verdict: TcpSegmentVerdict | null = null;
  if (analyzer) {
    const facts: TcpSegmentFacts = {
      frame: ctx.frame.number,
      time: ctx.frame.ts.sec + ctx.frame.ts.nsec / 1e9,
      netSrc: ctx.endpoints.netSrc ?? new Uint8Array(0),
      netDst: ctx.endpoints.netDst ?? new Uint8Array(0),
      srcPort, dstPort,
      seq: seqRaw, ack: ackRaw, flags, window: winRaw,
      len: segLen,
      hdrLen: hlen,
      urgentPointer: tvb.has(18, 2) ? tvb.u16(18) : 0,
      options: hlen > MIN_HEADER ? peekOptions(tvb, hlen) : {},
      haveSegLen,
      // Set by ICMP/ICMPv6 before they dissect the packet quoted in an error message.
      inErrorPacket: ctx.scratch['inErrorPacket'] === true,
      announced: announcedBefore(ctx.capture, ctx.frame.number, ctx.endpoints.netSrc, srcPort, ctx.endpoints.netDst, dstPort),
    };
    verdict = analyzer.analyze(facts, ctx);
  }
  // Short segments are not sequence-analysed by tshark: numbers stay raw.
  const rel = verdict !== null && haveSegLen;
  const seq = rel ? verdict!.seq : seqRaw;
  const ack = hasAck ? (rel ? verdict!.ack : ackRaw) : ackRaw;
  const window = rel && !syn ? verdict!.windowSize : winRaw;
  const nxtseq = rel ? verdict!.nxtseq : (seqRaw + segLen + (syn ? 1 : 0) + (flags & TH_FIN ? 1 : 0)) >>> 0;

  const seqText = ctx.wants(F['tcp.seq']) ? `Sequence Number: ${seq}${verdict && !quoted ? '    (relative sequence number)' : ''}` : undefined;
  // packet-tcp.c adds a quoted header's sequence number first, before the stream index (an ICMP
  // error may quote no more than it).
  if (quoted) ctx.add(node, F['tcp.seq'], tvb, 4, 4, seq, seqText);
  if (verdict && keep) {
    ctx.addGenerated(node, F['tcp.stream'], verdict.stream);
    ctx.addGenerated(node, F['tcp.completeness'], verdict.completeness,
      ctx.wants(F['tcp.completeness']) ? `Conversation completeness: ${completenessText(verdict.completeness)}` : undefined);
  }
  if (!haveSegLen) {
    const n = ctx.addGenerated(node, F['tcp.short_segment'], null,
      'Short segment. Segment/fragment does not contain a full TCP header (might be NMAP or someone else deliberately sending unusual packets)');
    n.generated = false;
    ctx.addExpert(n, 'warn', 'malformed', 'Short segment. Segment/fragment does not contain a full TCP header (might be NMAP or someone else deliberately sending unusual packets)');
  } else if (!quoted && keep) {
    ctx.addGenerated(node, F['tcp.len'], segLen);
  }

  const ace = verdict !== null && verdict.ace;
  const flagsText = tcpFlagsText(flags, ace);
  ctx.info += tcpSeqInfo(flags, seq, ack, window, ace);
  const relNote = rel ? '    (relative sequence number)' : '';
  if (!quoted && keep) ctx.add(node, F['tcp.seq'], tvb, 4, 4, seq, seqText);
  if (ctx.tree) ctx.setText(node, (summary += `, Seq: ${seq}`));

  if (hlen < MIN_HEADER) {
    // packet-tcp.c gives up here: ports, sequence number and the bogus length only.
    const why = `bogus TCP header length (${hlen}, must be at least ${MIN_HEADER})`;
    ctx.info += `, ${why}`;
    const n = ctx.add(node, F['tcp.hdr_len'], tvb, 12, 1, hlen, () => `${bitPicture(offX2, 0xf0, 8)} = Header Length: ${hlen} bytes (${hlen >> 2})`);
    ctx.addExpert(n, 'error', 'protocol', `Bogus TCP header length (${hlen}, must be at least ${MIN_HEADER})`);
    return;
  }
  ctx.setLength(node, Math.min(hlen, tvb.length));
  if (ctx.tree) {
    if (hasAck) summary += `, Ack: ${ack}`;
    if (haveSegLen && !quoted) summary += `, Len: ${segLen}`;
    ctx.setText(node, summary);
  }

  if (!quoted && keep) ctx.add(node, F['tcp.seq_raw'], tvb, 4, 4, seqRaw);
  // tshark 4.0.17 shows tcp.nxtseq whenever the segment length is known, even when it
  // equals tcp.seq (a pure ACK).
  if (haveSegLen && !quoted && keep) {
    ctx.addGenerated(node, F['tcp.nxtseq'], nxtseq, ctx.wants(F['tcp.nxtseq']) ? `Next Sequence Number: ${nxtseq}${relNote}` : undefined);
  }
  const ackNode = !keep ? null : ctx.add(node, F['tcp.ack'], tvb, 8, 4, ack,
    ctx.wants(F['tcp.ack']) ? `Acknowledgment Number: ${ack}${hasAck && verdict ? '    (relative ack number)' : ''}` : undefined);
  if (!hasAck && ackRaw !== 0) ctx.addExpert(ackNode, 'note', 'protocol', 'The acknowledgment number field is nonzero while the ACK flag is not set');
  // A SYN-ACK acknowledging more than the SYN: the server took the data of a Fast Open SYN (RFC 7413).
  if (hasAck && syn && verdict && ack > 1 && !quoted) ctx.addExpert(ackNode, 'note', 'sequence', 'TCP SYN-ACK accepting TFO data');
  if (keep) {
    ctx.add(node, F['tcp.ack_raw'], tvb, 8, 4, ackRaw);
    ctx.add(node, F['tcp.hdr_len'], tvb, 12, 1, hlen, ctx.wants(F['tcp.hdr_len']) ? `${bitPicture(offX2, 0xf0, 8)} = Header Length: ${hlen} bytes (${hlen >> 2})` : undefined);
  }

  const flagsNode = ctx.add(node, F['tcp.flags'], tvb, 12, 2, flags, ctx.wants(F['tcp.flags']) ? `Flags: 0x${flags.toString(16).padStart(3, '0')} (${flagsText})` : undefined);
  for (const fd of ace ? ACE_FLAG_FIELDS : FLAG_FIELDS) {
    const set = (flags & fd.mask!) !== 0;
    if (fd === F['tcp.flags.ace']) {
      const counter = (flags & ACE_BITS) >> 6;
      ctx.add(flagsNode, fd, tvb, 12, 2, counter, `${bitPicture(flags, ACE_BITS, 12)} = ACE: ${counter}`);
      continue;
    }
    // Without a tree nobody wants most flag bits: skip the node (its expert note stays).
    const n = ctx.wants(fd)
      ? ctx.add(flagsNode, fd, tvb, fd.mask! > 0xff ? 12 : 13, fd.mask! > 0xff ? 2 : 1, set, `${bitPicture(flags, fd.mask!, 12)} = ${fd.label}: ${set ? 'Set' : 'Not set'}`)
      : null;
    if (!set) continue;
    const name = fd.name;
    if (name === 'tcp.flags.syn') {
      ctx.addExpert(n, 'chat', 'sequence', hasAck ? `Connection establish acknowledge (SYN+ACK): server port ${srcPort}` : `Connection establish request (SYN): server port ${dstPort}`);
    } else if (name === 'tcp.flags.fin') {
      ctx.addExpert(n, 'chat', 'sequence', 'Connection finish (FIN)');
    } else if (name === 'tcp.flags.reset') {
      ctx.addExpert(n, 'warn', 'sequence', 'Connection reset (RST)');
    }
  }
  if (ctx.wants(F['tcp.flags.str'])) {
    const str = ctx.addGenerated(flagsNode, F['tcp.flags.str'], tcpFlagsStr(flags, ace));
    // packet-tcp.c: which side of the close a FIN is on (the first FIN of the two starts it).
    if (verdict && verdict.closing !== 0) ctx.addExpert(str, 'note', 'sequence', verdict.closing === 1 ? 'This frame initiates the connection closing' : 'This frame undergoes the connection closing');
  }

  if (keep) {
    ctx.add(node, F['tcp.window_size_value'], tvb, 14, 2, winRaw);
    ctx.addGenerated(node, F['tcp.window_size'], window);
    if (verdict && !syn) {
      const f = verdict.windowScaleFactor;
      ctx.addGenerated(node, F['tcp.window_size_scalefactor'], f,
        ctx.wants(F['tcp.window_size_scalefactor']) ? `Window size scaling factor: ${f === -1 ? '-1 (unknown)' : f === -2 ? '-2 (no window scaling used)' : f}` : undefined);
    }
  }
  const checksum = tvb.u16(16);
  if (keep) {
    ctx.add(node, F['tcp.checksum'], tvb, 16, 2, checksum, ctx.wants(F['tcp.checksum']) ? `Checksum: 0x${checksum.toString(16).padStart(4, '0')} [unverified]` : undefined);
    ctx.addGenerated(node, F['tcp.checksum.status'], 2, 'Checksum Status: Unverified');
  }
  const urp = tvb.u16(18);
  const urpNode = !keep ? null : ctx.add(node, F['tcp.urgent_pointer'], tvb, 18, 2, urp);
  if (flags & TH_URG) ctx.info += ' Urg=' + urp;
  else if (urp !== 0) ctx.addExpert(urpNode, 'note', 'protocol', 'The urgent pointer field is nonzero while the URG flag is not set');
  if (haveSegLen) ctx.info += ' Len=' + segLen;

  // Options: the node first (clipped to what was captured), then the analysis and timestamps,
  // then the option contents, which may throw on a truncated or short header (tshark's order).
  const optlen = hlen - MIN_HEADER;
  let optNode: FieldNode | null = null;
  if (optlen > 0) {
    const shown = Math.max(0, Math.min(optlen, tvb.length - MIN_HEADER));
    optNode = ctx.wants(F['tcp.options'])
      ? ctx.add(node, F['tcp.options'], tvb, MIN_HEADER, shown, tvb.bytes.subarray(tvb.abs(MIN_HEADER), tvb.abs(MIN_HEADER + shown)), `Options: (${optlen} bytes)`)
      : ctx.add(node, F['tcp.options'], tvb, MIN_HEADER, shown, null);
  }
  if (verdict) {
    const ts = ctx.addText(node, tvb, 0, 0, '[Timestamps]');
    ctx.addGenerated(ts, F['tcp.time_relative'], verdict.timeRelative);
    ctx.addGenerated(ts, F['tcp.time_delta'], verdict.timeDelta);
    addAnalysis(ctx, node, verdict, (flags & (TH_SYN | TH_ACK)) === TH_SYN);
    if (verdict.infoPrefix) ctx.info = verdict.infoPrefix + ctx.info;
  }
  const prefix = verdict?.infoPrefix ?? '';
  if (optNode) {
    const parsed: ParsedOptions = { facts: {}, info: '', names: [], synOnly: (flags & (TH_SYN | TH_ACK)) === TH_SYN };
    // SACK edges are relative to the peer's ISN (tcpd->rev->base_seq), derivable from the ACK.
    // Without an ACK (a SYN) the peer's ISN is not known yet: tshark's base is then 0 and the
    // edges are shown as they are, still labelled relative.
    const ackBase = rel ? (hasAck ? (ackRaw - verdict!.ack) >>> 0 : 0) : null;
    try {
      dissectTcpOptions(tvb, MIN_HEADER, optlen, ctx, optNode, parsed, ackBase, hasAck ? ackRaw : null);
    } finally {
      ctx.info += parsed.info;
      if (parsed.names.length && !ctx.isPlaceholder(optNode)) ctx.setText(optNode, `Options: (${optlen} bytes), ${parsed.names.join(', ')}`);
    }
    if (syn && parsed.facts.mss === undefined && parsed.tooShort !== true) ctx.addExpert(optNode, 'note', 'protocol', 'The SYN packet does not contain a MSS option');
  }

  if (!haveSegLen) return;
  if (flags & TH_FIN) finOfUntilFinFlow(tvb, ctx, node, srcPort, dstPort);
  if (segLen === 0 && !((flags & TH_FIN) && finEndsPdu(ctx, srcPort, dstPort, seqRaw))) {
    if (flags & TH_FIN) noteFinBehindHole(ctx, srcPort, dstPort, seqRaw);
    return;
  }
  if (verdict?.flags.fast_retransmission === true && segLen > 0 && fillsGivenUpPdu(tvb, ctx, node, hlen, segLen, seqRaw, srcPort, dstPort, prefix)) return;
  const resend: Resend = verdict?.flags.out_of_order === true ? 'out-of-order' : verdict?.flags.fast_retransmission === true ? 'fast' : null;
  const fits = resend !== null && fitsPendingPdu(ctx, srcPort, dstPort, seqRaw, segLen, resend);
  const fastIntoPdu = resend === 'fast' && !fits && fastStaysAtTcp(ctx, srcPort, dstPort, seqRaw, segLen);
  // A retransmission with the FIN that brings the last bytes a PDU waiting for the FIN lacks:
  // dissect_tcp's FIN branch adds it whatever the analysis says, and the PDU is whole (shown,
  // not handed on: decode_tcp_ports refuses a retransmission).
  if (verdict?.flags.retransmission === true && (flags & TH_FIN) && segLen > 0 && finCompletesPdu(ctx, srcPort, dstPort, seqRaw)) {
    handPayload(tvb, ctx, node, hlen, segLen, seqRaw, syn, srcPort, dstPort, prefix, 'out-of-order');
    return;
  }
  if (verdict && payloadStaysAtTcp(verdict.flags, fastIntoPdu, resend === 'out-of-order' && fits)) {
    const payload = tvb.sub(hlen, segLen, segLen);
    if (payload.length > 0 && ctx.wants(F['tcp.payload'])) ctx.add(node, F['tcp.payload'], payload, 0, payload.length, payload.slice(0, payload.length), payloadText(segLen));
    // desegment_tcp: a retransmission of a whole segment is labelled and not handed on; so is a
    // spurious or fast retransmission or an out-of-order segment that resends the start of a PDU; an
    // out-of-order one or fast retransmission into a PDU reassembled already is refused (see placeOfResend).
    const whole = payload.length === segLen && segLen > 0;
    const place = whole && !verdict.flags.retransmission && verdict.flags.keep_alive !== true && (verdict.flags.spurious_retransmission === true || verdict.flags.out_of_order === true || verdict.flags.fast_retransmission === true)
      ? resendPlace(ctx, srcPort, dstPort, seqRaw, segLen) : 'elsewhere';
    if (place === 'inside-reassembled' && resentIntoReassembly(verdict.flags)) {
      reassemblyOverlapError(ctx);
      return;
    }
    if (whole && (verdict.flags.retransmission || place === 'pdu-start') && ctx.wants(F['tcp.segment_data'])) {
      ctx.add(node, F['tcp.segment_data'], payload, 0, segLen, payload.slice(0, segLen), `Retransmitted ${segmentDataText(segLen)}`);
    }
    if (verdict.flags.keep_alive === true && !verdict.flags.retransmission && payload.length > 0) keepAliveBytes(payload, ctx, seqRaw, srcPort, dstPort);
    return;
  }
  // The protocols on top find their per-connection state by tcp.stream; an outer TCP's (this
  // segment travels inside its payload) is back afterwards.
  const outerStream = ctx.scratch[TCP_STREAM_SCRATCH];
  ctx.scratch[TCP_STREAM_SCRATCH] = verdict ? verdict.stream : undefined;
  try {
    handPayload(tvb, ctx, node, hlen, segLen, seqRaw, syn, srcPort, dstPort, prefix, resend);
  } finally {
    ctx.scratch[TCP_STREAM_SCRATCH] = outerStream;
  }
}

/**
 * A keep-alive's byte and a retransmitted segment's data were (or will be) seen already, and an
 * out-of-order segment's would reach the application protocol out of order: tshark keeps them
 * at TCP instead of feeding them to the application protocol (or a PDU) again
 * (tcp.no_subdissector_on_error). A fast retransmission is not a retransmission to desegment_tcp
 * (another flag bit): its payload goes to the application protocol again (an SSH message
 * resent whole shows again), except while a PDU is pending in its direction and the segment
 * does not fit in it (it overlaps bytes collected already): it stays at TCP then
 * (`fastIntoPdu`). An out-of-order segment that fits in a pending PDU (`continuesPdu`: its very
 * next bytes, or a hole's, see fitsPendingPdu) is added to it, as tshark's reassembly adds any
 * segment inside a PDU.
 */
export function payloadStaysAtTcp(f: TcpAnalysisFlags, fastIntoPdu: boolean, continuesPdu: boolean): boolean {
  return f.keep_alive === true || f.retransmission === true || f.spurious_retransmission === true || (f.out_of_order === true && !continuesPdu) ||
    (f.fast_retransmission === true && fastIntoPdu);
}

/** How the sequence analysis flagged a segment that fills a hole, for handPayload (a retransmission's never gets there). */
type Resend = 'out-of-order' | 'fast' | null;

/**
 * Whether the PDU pending in the segment's direction can take the segment's bytes: they are the
 * next ones it waits for, or they lie inside it after a hole (a PDU of known length), or they
 * start inside the bytes it holds (overlapsHeld: tshark's reassembly adds such a fragment at its
 * offset). A fast retransmission at the PDU's next bytes is taken only by a PDU with a hole
 * (segments parked after it, or a FIN).
 */
function fitsPendingPdu(ctx: PacketContext, srcPort: number, dstPort: number, seqRaw: number, segLen: number, resend: Resend): boolean {
  const dir = knownDirection(ctx, srcPort, dstPort);
  if (dir === null) return false;
  const { st, dirKey } = dir;
  // On a revisit the first pass's answer stands (the pending PDU has moved on since).
  return firstPassAnswer(st, st.resendFits, ctx.frame.number, () => {
    if (passedByTaking(st, dirKey, seqRaw)) return true;
    if (leftBehindHolding(st, dirKey, seqRaw)) return true;
    const pdu = st.pending.get(dirKey);
    if (pdu === undefined) return false;
    if (overlapsHeld(pdu, seqRaw)) return !refusesResend(pdu, seqRaw, segLen);
    if (seqRaw === pdu.nextSeq) return resend !== 'fast' || pdu.parked !== null || pdu.finAt !== undefined || pdu.endSeq === -1;
    return afterHole(pdu, seqRaw) && segLen <= bytesInside(pdu, seqRaw);
  });
}

/** `answer()` on the first pass; on a revisit what it answered then (kept in `table`). */
function firstPassAnswer<T>(st: TcpCaptureState, table: FrameTable<T>, frameNo: number, answer: () => T): T {
  if (!st.revisits) return answer();
  let known = table.get(frameNo);
  if (known === undefined) table.set(frameNo, (known = answer()));
  return known;
}

/**
 * An out-of-order segment or a fast retransmission, and nothing else the analysis says would
 * keep it from reassembly: reassembly refuses it inside a PDU it reassembled already (see
 * placeOfResend).
 */
export function resentIntoReassembly(f: TcpAnalysisFlags): boolean {
  return (f.out_of_order === true || f.fast_retransmission === true) && !f.retransmission && f.keep_alive !== true && f.spurious_retransmission !== true;
}

/**
 * Whether a fast retransmission that no pending PDU takes stays at TCP: while a PDU is pending
 * in its direction (or one given up at a gap takes it), when it falls inside one reassembled
 * already (refused there, as an out-of-order one), and when it resends the start of one
 * ("Retransmitted TCP segment data"). The last is seen where the capture is taken at the
 * sender: the first sending was captured, then lost on the way, and the PDU was whole here
 * long before the receiver's duplicate ACKs asked for it again. On a revisit the first pass's
 * answer stands.
 */
function fastStaysAtTcp(ctx: PacketContext, srcPort: number, dstPort: number, seqRaw: number, segLen: number): boolean {
  const dir = knownDirection(ctx, srcPort, dstPort);
  if (dir === null) return false;
  return firstPassAnswer(dir.st, dir.st.fastStays, ctx.frame.number, () =>
    pduPending(ctx, srcPort, dstPort, seqRaw) || resendPlace(ctx, srcPort, dstPort, seqRaw, segLen) !== 'elsewhere');
}

/**
 * Whether `seqRaw` falls inside the PDU being reassembled in the packet's direction (as
 * desegment_tcp's tree lookup: a segment before it, say one lost before the PDU began and sent
 * again, or one from its end on, goes to the application protocol), or inside one given up at a
 * gap.
 */
function pduPending(ctx: PacketContext, srcPort: number, dstPort: number, seqRaw: number): boolean {
  const dir = knownDirection(ctx, srcPort, dstPort);
  if (dir === null) return false;
  const pending = dir.st.pending.get(dir.dirKey);
  // (pduEnd: tshark's nxtpdu, just past the bytes of one waiting for one more segment.)
  const inside = pending !== undefined && !seqLT(seqRaw, pending.startSeq) && seqLT(seqRaw, pduEnd(pending));
  return inside || givenUpTaking(dir.st, dir.dirKey, seqRaw) !== undefined;
}

/** The dissector's state and the packet's direction in it, when TCP has seen that direction before (nothing is made). */
function knownDirection(ctx: PacketContext, srcPort: number, dstPort: number): { st: TcpCaptureState; dirKey: number } | null {
  const st = ctx.capture.peek<TcpCaptureState>('tcp.dissector');
  const dirKey = st ? directionOf(ctx, st, srcPort, dstPort) : undefined;
  return dirKey === undefined ? null : { st: st!, dirKey };
}

function directionOf(ctx: PacketContext, st: TcpCaptureState, srcPort: number, dstPort: number): number | undefined {
  const e = ctx.endpoints;
  return e.netSrc && e.netDst ? findDirectionKey(st, e.netSrc, srcPort, e.netDst, dstPort) : undefined;
}

/** The PDU given up at a gap in direction `dirKey` whose bytes `seqRaw` falls among, if any. */
function givenUpTaking(st: TcpCaptureState, dirKey: number, seqRaw: number): GivenUpPdu | undefined {
  const broken = st.givenUp.get(dirKey);
  return broken !== undefined && !seqLT(seqRaw, broken.startSeq) && (broken.endSeq === -1 || seqLT(seqRaw, broken.endSeq)) ? broken : undefined;
}

/**
 * A fast retransmission into the hole of a PDU given up at a gap: tshark's reassembly kept that
 * PDU, hole and all, and shows the segment as one of it, with the Info its protocol gave the
 * PDU's start ("[TCP Fast Retransmission] HTTP/1.1 200 OK  [TCP segment of a reassembled PDU]").
 * Decided on the first dissection and kept with the frame. False when the segment is no such one.
 */
function fillsGivenUpPdu(tvb: Tvb, ctx: PacketContext, node: FieldNode, hlen: number, segLen: number, seqRaw: number, srcPort: number, dstPort: number, prefix: string): boolean {
  const st = stateOf(ctx);
  let rec = frameRecord(st, ctx.frame.number);
  if (rec === undefined) {
    const dirKey = directionOf(ctx, st, srcPort, dstPort);
    const pdu = dirKey === undefined ? undefined : givenUpTaking(st, dirKey, seqRaw);
    // A PDU kept whole takes the segment in where it lies (see joinLeftBehind), and one a gap
    // passed by its next bytes.
    if (!pdu || pdu.info === '' || leftBehindHolding(st, dirKey!, seqRaw) || passedByTaking(st, dirKey!, seqRaw)) return false;
    rec = { kind: 'middle', info: pdu.info };
    recordFrame(st, ctx.frame.number, rec);
  }
  if (rec.kind !== 'middle' || rec.kept || rec.info === null) return false;
  const payload = tvb.sub(hlen, segLen, segLen);
  if (payload.length > 0 && ctx.wants(F['tcp.payload'])) ctx.add(node, F['tcp.payload'], payload, 0, payload.length, payload.slice(0, payload.length), payloadText(segLen));
  ctx.info = prefix + rec.info;
  markSegmentOfPdu(ctx, node, payload, 0);
  return true;
}

const OVERLAP_ERROR = 'New fragment overlaps old data (retransmission?)';
/** What show_fragment_errs_in_col writes to Info when a PDU's segments gave some bytes two values. */
const ILLEGAL_SEGMENTS = '[Illegal Segments]';
/** "TCP segment data (1 byte)", "TCP segment data (2 bytes)". */
function segmentDataText(n: number): string {
  return `TCP segment data (${n} byte${n === 1 ? '' : 's'})`;
}

/** "TCP payload (1 byte)", "TCP payload (2 bytes)" (packet-tcp.c's plurality()). */
function payloadText(n: number): string {
  return `TCP payload (${n} byte${n === 1 ? '' : 's'})`;
}

/** What a segment TCP's reassembly refuses appends to Info (reassemblyOverlapError). */
export const OVERLAP_ERROR_INFO = `[Reassembly error, protocol TCP: ${OVERLAP_ERROR}]`;
/** Bytes kept of each direction's last reassembled PDU: a keep-alive repeats at most its last one. */
const PDU_TAIL = 16;

/** Whether `bytes` at raw sequence `seqRaw` land inside `last` and differ from what it held there. */
function contradictsPdu(last: { startSeq: number; endSeq: number; tail: Uint8Array } | undefined, seqRaw: number, bytes: Uint8Array): boolean {
  if (!last || seqLT(seqRaw, last.startSeq) || !seqLT(seqRaw, last.endSeq)) return false;
  const tailStart = (last.endSeq - last.tail.length) >>> 0;
  for (let i = 0; i < bytes.length && seqLT((seqRaw + i) >>> 0, last.endSeq); i++) {
    const at = (((seqRaw + i) >>> 0) - tailStart) | 0;
    // Before the kept tail: a keep-alive never reaches back there; count it as different.
    if (at < 0 || bytes[i] !== last.tail[at]) return true;
  }
  return false;
}

/**
 * keepAliveBytes's verdict for a segment decoded without a dissection (app/cli/summary-fast.ts,
 * a single pass): whether reassembly refuses this keep-alive's bytes. Interns nothing.
 */
export function keepAliveRefused(capture: CaptureState, netSrc: Uint8Array, srcPort: number, netDst: Uint8Array, dstPort: number, seqRaw: number, bytes: Uint8Array): boolean {
  const st = capture.peek<TcpCaptureState>('tcp.dissector');
  const dirKey = st && findDirectionKey(st, netSrc, srcPort, netDst, dstPort);
  return dirKey !== undefined && contradictsPdu(st!.lastPdu.get(dirKey), seqRaw, bytes);
}

/**
 * A keep-alive's byte goes to data, not to the application protocol (the analysis already
 * said what it is). When it lands inside the last PDU TCP reassembled in its direction and
 * differs from the byte there, tshark's reassembly refuses it instead: "[Reassembly error,
 * protocol TCP: New fragment overlaps old data (retransmission?)]", a malformed note and no data.
 */
function keepAliveBytes(payload: Tvb, ctx: PacketContext, seqRaw: number, srcPort: number, dstPort: number): void {
  const st = stateOf(ctx);
  const frameNo = ctx.frame.number;
  let rec = frameRecord(st, frameNo);
  if (rec === undefined) {
    const overlap = contradictsPdu(st.lastPdu.get(directionKey(ctx, st, srcPort, dstPort)), seqRaw, payload.slice(0, payload.length));
    rec = overlap ? { kind: 'overlap' } : PLAIN;
    recordFrame(st, frameNo, rec);
  }
  if (rec.kind === 'overlap') {
    reassemblyOverlapError(ctx);
    return;
  }
  callProtocol(dataProtocol, payload, ctx, null);
}

/** tshark's reassembly refused the segment: "[Reassembly error, protocol TCP: New fragment overlaps old data (retransmission?)]". */
function reassemblyOverlapError(ctx: PacketContext): void {
  ctx.info += OVERLAP_ERROR_INFO;
  ctx.malformed = true;
  // A generated item: the tree adds the brackets Info's text has.
  ctx.addExpert(addMalformedItem(ctx, OVERLAP_ERROR_INFO.slice(1, -1)), 'error', 'malformed', OVERLAP_ERROR);
}

/** Whether this payload-less FIN (at `finSeq`) completes (or, on re-dissection, completed) an until-FIN PDU. */
function finEndsPdu(ctx: PacketContext, srcPort: number, dstPort: number, finSeq: number): boolean {
  const st = stateOf(ctx);
  const rec = frameRecord(st, ctx.frame.number);
  if (rec) return rec.kind === 'reassembled';
  return waitsForFin(st.pending.get(directionKey(ctx, st, srcPort, dstPort)), finSeq);
}

/**
 * A FIN in a direction whose data a protocol collected until the FIN: the first one is noted
 * (it ends that data); a later one is "Retransmission of FIN from frame: N" (dissect_tcp).
 */
function finOfUntilFinFlow(tvb: Tvb, ctx: PacketContext, node: FieldNode, srcPort: number, dstPort: number): void {
  const dir = knownDirection(ctx, srcPort, dstPort);
  const first = dir?.st.untilFinFlows.get(dir.dirKey);
  if (first === undefined) return;
  if (first === 0) dir!.st.untilFinFlows.set(dir!.dirKey, ctx.frame.number);
  // (On a revisit the first FIN is this frame, or an earlier one.) Not a generated item in tshark.
  else if (first < ctx.frame.number) ctx.add(node, F['tcp.fin_retransmission'], tvb, 0, 0, first);
}

/**
 * Whether a segment with the direction's first FIN, whose data starts at `dataSeq`, completes the
 * PDU pending in its direction that waits for the FIN (it brings the next bytes, no hole behind
 * them); on a revisit, whether it did.
 */
function finCompletesPdu(ctx: PacketContext, srcPort: number, dstPort: number, dataSeq: number): boolean {
  const dir = knownDirection(ctx, srcPort, dstPort);
  if (dir === null) return false;
  const rec = frameRecord(dir.st, ctx.frame.number);
  if (rec !== undefined) return rec.kind === 'reassembled' && rec.untilFin === true;
  // (Only the first FIN: a later one is a retransmission of it, which the FIN branch passes by.)
  if (dir.st.untilFinFlows.get(dir.dirKey) !== ctx.frame.number) return false;
  return waitsForFin(dir.st.pending.get(dir.dirKey), dataSeq);
}

/**
 * A payload-less FIN that cannot complete the until-FIN PDU pending in its direction (bytes
 * before it are missing): noted on the PDU (finAt) on the first pass, for the segment that fills
 * the last hole.
 */
function noteFinBehindHole(ctx: PacketContext, srcPort: number, dstPort: number, finSeq: number): void {
  const dir = knownDirection(ctx, srcPort, dstPort);
  if (dir === null || frameRecord(dir.st, ctx.frame.number) !== undefined) return;
  const pdu = dir.st.pending.get(dir.dirKey);
  if (pdu === undefined || pdu.endSeq !== -2 || pdu.finAt !== undefined || seqLT(finSeq, pdu.nextSeq)) return;
  pdu.finAt = finSeq;
  pdu.finFrame = ctx.frame.number;
  recordFrame(dir.st, ctx.frame.number, PLAIN);
}

/**
 * For a payload-less FIN that is not being dissected (app/cli/summary-fast.ts): whether dissectTcp
 * must see it — it completed a PDU that waited for the FIN (on a re-dissection), or one waits
 * now (the FIN completes it, see finEndsPdu, or is noted on it, see noteFinBehindHole). Interns
 * no address or pair.
 */
export function finEndsPduAt(capture: CaptureState, frameNo: number, netSrc: Uint8Array, srcPort: number, netDst: Uint8Array, dstPort: number): boolean {
  const st = capture.peek<TcpCaptureState>('tcp.dissector');
  if (!st) return false;
  const rec = frameRecord(st, frameNo);
  if (rec) return rec.kind === 'reassembled';
  const dirKey = findDirectionKey(st, netSrc, srcPort, netDst, dstPort);
  // (Any FIN meeting a PDU that waits for it is dissected: one that cannot complete it is noted.)
  return dirKey !== undefined && st.pending.get(dirKey)?.endSeq === -2;
}

/** The PDU a gap passed by in this direction (see passedBy) when `seqRaw` is its next byte. */
function passedByTaking(st: TcpCaptureState, dirKey: number, seqRaw: number): PendingPdu | undefined {
  const pdu = st.passedBy.get(dirKey);
  return pdu?.nextSeq === seqRaw ? pdu : undefined;
}

/**
 * Whether a FIN at `finSeq` completes `pdu`: it waits for the FIN and has no hole, neither
 * between its segments nor before the FIN (with one, tshark's reassembly never completes).
 */
function waitsForFin(pdu: PendingPdu | undefined, finSeq: number): boolean {
  return pdu !== undefined && pdu.endSeq === -2 && pdu.parked === null && pdu.nextSeq === finSeq;
}

/**
 * For a segment with a payload that is not being dissected (app/cli/summary-fast.ts): whether
 * dissectTcp would hand the payload to `data` alone on a first pass — no reassembly pending in
 * its direction, no protocol for either port or found by a heuristic earlier in the
 * conversation, and no heuristic taking it now — so the columns stay TCP's. Interns nothing.
 * A SYN or RST is left to dissectTcp (a SYN records the server port, a RST's data is its cause).
 */
export function payloadGoesToData(capture: CaptureState, netSrc: Uint8Array, srcPort: number, netDst: Uint8Array, dstPort: number, payload: Tvb, ctx: PacketContext): boolean {
  const low = Math.min(srcPort, dstPort), high = Math.max(srcPort, dstPort);
  // portCandidates offers the server port too, but it is one of these two.
  if ((low !== 0 && lookup('tcp.port', low)) || (high !== 0 && lookup('tcp.port', high))) return false;
  if (isExpectedConversation(capture, netSrc, srcPort, netDst, dstPort)) return false;
  const st = capture.peek<TcpCaptureState>('tcp.dissector');
  const dirKey = st && findDirectionKey(st, netSrc, srcPort, netDst, dstPort);
  if (dirKey !== undefined && (st!.pending.has(dirKey) || st!.conversationProtocol.has(conversationKey(dirKey)))) return false;
  return tryHeuristics('tcp', payload, ctx) === undefined;
}

/** The Info text after the ports: " [ACK] Seq=1 Ack=1 Win=502" (tshark's order); `ace` as tcpFlagsText's. */
export function tcpSeqInfo(flags: number, seq: number, ack: number, window: number, ace = false): string {
  let s = ' [' + tcpFlagsText(flags, ace) + '] Seq=' + seq;
  if (flags & TH_ACK) s += ' Ack=' + ack;
  return s + ' Win=' + window;
}

/**
 * The Info text of a TCP header's options (" MSS=1460 SACK_PERM ..."), for a summary made
 * without a dissection (app/cli/summary-fast.ts, for the lists its plainOptionsInfo does not
 * write itself): `tcpHeader` holds the whole header, `ctx` records nothing (no tree, nothing
 * wanted) and its expert notes are dropped.
 */
export function tcpOptionsInfo(tcpHeader: Tvb, ackBase: number | null, ctx: PacketContext): string {
  const parsed: ParsedOptions = { facts: {}, info: '', names: [] };
  dissectTcpOptions(tcpHeader, MIN_HEADER, tcpHeader.length - MIN_HEADER, ctx, null, parsed, ackBase);
  ctx.expert.length = 0;
  return parsed.info;
}

function timestampsInfo(tsval: number, tsecr: number): string {
  return ` TSval=${tsval} TSecr=${tsecr}`;
}

/** Option facts for the tracker, read without adding nodes and without throwing. */
function peekOptions(tvb: Tvb, hlen: number): TcpSegmentFacts['options'] {
  return readTcpOptionFacts(tvb.bytes, tvb.abs(MIN_HEADER), tvb.abs(Math.min(hlen, tvb.length)));
}

/** The protocol of the announced connection (expectConversation) this segment belongs to, if any. */
function expectedProtocol(ctx: PacketContext, srcPort: number, dstPort: number): Protocol | undefined {
  const e = ctx.endpoints;
  return findExpectedConversation(ctx.capture, ctx.frame.number, ctx.frame.ts.sec, e.netSrc, srcPort, e.netDst, dstPort)?.proto;
}

/**
 * decode_tcp_ports: the protocols to offer the payload to, in order — the conversation's, the
 * server port's, the lower port's, the higher port's; each with the port it was found by (0:
 * not by a port), Wireshark's pinfo->match_uint. A protocol may reject the payload (return
 * false), and the next is tried; then the heuristics' pick (callPayload), then `data`.
 */
function portCandidates(ctx: PacketContext, srcPort: number, dstPort: number, key: number): Array<[Protocol, number]> {
  const st = stateOf(ctx);
  const out: Array<[Protocol, number]> = [];
  const add = (p: Protocol | undefined, port = 0) => { if (p && !isCandidate(out, p)) out.push([p, port]); };
  // A connection another protocol announced (FTP's data connections) goes to the protocol it
  // named, before any port (decode_tcp_ports tries the conversation's dissector first).
  add(expectedProtocol(ctx, srcPort, dstPort));
  // A protocol a heuristic recognised earlier in this conversation keeps it (Wireshark's
  // conversation_set_dissector), e.g. HTTP on a port no table lists.
  add(st.conversationProtocol.get(key));
  const server = st.serverPort.get(key);
  if (server !== undefined && server !== 0) add(lookup('tcp.port', server), server);
  const low = Math.min(srcPort, dstPort), high = Math.max(srcPort, dstPort);
  if (low !== 0) add(lookup('tcp.port', low), low);
  if (high !== 0) add(lookup('tcp.port', high), high);
  return out;
}

function isCandidate(list: ReadonlyArray<[Protocol, number]>, p: Protocol): boolean {
  for (const [q] of list) if (q === p) return true;
  return false;
}

/** Calls the payload protocol on `payload`; drops its nodes and layers when it only asked for more (unless it keeps them). */
function callPayload(payload: Tvb, ctx: PacketContext, can: boolean, reassembled: Uint8Array | null, srcPort: number, dstPort: number, prefix: string,
  convKey: number, fence = ''): { request: DesegmentRequest | null; info: string } {
  const candidates = portCandidates(ctx, srcPort, dstPort, convKey);
  const marks = ctx.mark();
  beginPayloadCall(ctx, can, reassembled, fence, prefix);
  let request: DesegmentRequest | null = null;
  try {
    let taken = false;
    for (const [proto, port] of candidates) {
      ctx.scratch[MATCH_PORT_SCRATCH] = port;
      if (callProtocol(proto, payload, ctx, ctx.upperParent) === null) continue;
      taken = true;
      break;
    }
    // The heuristics only when no port's protocol took the payload (Wireshark's default, "try
    // heuristic sub-dissectors first" off): most payloads never need them. Then `data`.
    if (!taken) {
      ctx.scratch[MATCH_PORT_SCRATCH] = 0;
      const heuristic = tryHeuristics('tcp', payload, ctx);
      // Wireshark's conversation_set_dissector: only a heuristic that took the payload (a TLS
      // record SMTP hands to TLS after STARTTLS must not claim the conversation's earlier frames).
      if (heuristic && !isCandidate(candidates, heuristic) && callProtocol(heuristic, payload, ctx, ctx.upperParent) !== null) {
        stateOf(ctx).conversationProtocol.set(convKey, heuristic);
      } else if (!isCandidate(candidates, dataProtocol)) {
        callProtocol(dataProtocol, payload, ctx, ctx.upperParent);
      }
    }
  } finally {
    request = endPayloadCall(ctx);
    // The analysis prefix is fenced (col_prepend_fence_fstr): a payload protocol that replaces
    // the Info column keeps it (one that placed it itself, see analysisPrefix, has it already).
    if (prefix && !ctx.info.includes(prefix)) ctx.info = prefix + ctx.info;
  }
  const info = ctx.info.startsWith(prefix) ? ctx.info.slice(prefix.length) : ctx.info;
  if (request && request.offset <= 0 && !request.keepTree) ctx.takeBack(marks);
  return { request, info };
}

function markSegmentOfPdu(ctx: PacketContext, node: FieldNode, payload: Tvb, offset: number): void {
  ctx.protocol = 'TCP';
  ctx.info += (ctx.info ? ' ' : '') + SEGMENT_OF_PDU;
  const n = payload.length - offset;
  if (n > 0 && ctx.wants(F['tcp.segment_data'])) ctx.add(node, F['tcp.segment_data'], payload, offset, n, payload.slice(offset, n), segmentDataText(n));
}

function handPayload(tvb: Tvb, ctx: PacketContext, node: FieldNode, hlen: number, segLen: number, seqRaw: number, syn: boolean,
  srcPort: number, dstPort: number, prefix: string, resend: Resend): void {
  const payload = tvb.sub(hlen, segLen, segLen);
  // Nothing of the payload captured (snaplen at the header): tshark hands nothing on and does
  // not call it truncated.
  if (segLen > 0 && payload.length === 0) return;
  // Data on a RST is the reset cause (RFC 1122 4.2.2.12), shown as that and not as a payload,
  // never handed to a protocol (tshark).
  const rst = (tvb.u16(12) & TH_RST) !== 0;
  if (rst) {
    if (payload.length > 0 && ctx.wants(F['tcp.reset_cause'])) ctx.add(node, F['tcp.reset_cause'], payload, 0, payload.length, payload.ascii(0, payload.length));
    return;
  }

  const st = stateOf(ctx);
  const flags = tvb.u16(12) & 0x0fff;
  const dirKey = directionKey(ctx, st, srcPort, dstPort);
  const convKey = conversationKey(dirKey);
  const frameNo = ctx.frame.number;
  let rec = frameRecord(st, frameNo);
  const firstPass = rec === undefined;
  // Reassembly needs the whole segment (tvb_bytes_exist(tvb, 0, reported_len)).
  const can = payload.length === segLen;
  const fin = (flags & TH_FIN) !== 0;
  setEndOfStream(ctx, fin);
  setPduSizeParent(ctx, node);
  const dataSeq = (seqRaw + (syn ? 1 : 0)) >>> 0;
  // The bytes of a PDU this first pass completes (its record may keep only their pieces).
  let fresh: Uint8Array | null = null;

  if (firstPass) {
    if (syn && !(flags & TH_ACK)) st.serverPort.set(convKey, dstPort);
    else if (syn) st.serverPort.set(convKey, srcPort);
    rec = PLAIN;
    const msp = st.pending.get(dirKey);
    const held = resend !== null && can ? passedByTaking(st, dirKey, dataSeq) : undefined;
    const behind = resend !== null && can && held === undefined ? leftBehindHolding(st, dirKey, dataSeq) : undefined;
    if (behind !== undefined) {
      // Out of order or sent again fast into a PDU given up earlier: tshark's reassembly kept it
      // and takes it in.
      ({ rec, data: fresh } = joinLeftBehind(st, dirKey, behind, dataSeq, payload, frameNo, ctx, resend === 'out-of-order'));
    } else if (held !== undefined) {
      // The next bytes of a PDU a gap passed by, out of order or sent again fast: they complete
      // it. Out of order, it is not handed on (decode_tcp_ports refuses out-of-order data); sent
      // fast, its protocol may ask for more again.
      st.passedBy.delete(dirKey);
      collectSegment(held, payload.bytes.subarray(payload.abs(0), payload.abs(segLen)), frameNo, framePiece(ctx, payload, 0, segLen));
      fresh = pduBytes(held);
      rec = completedRecord(held, fresh, segLen, resend === 'out-of-order');
    } else if (msp && can) {
      const endSeq = (dataSeq + segLen) >>> 0;
      if (segLen === 0 && fin && waitsForFin(msp, dataSeq)) {
        retirePdu(st, dirKey, msp, true);
        // The FIN ends the PDU: tshark lists it among the segments, with no bytes ("#18(0)").
        msp.segments.push({ frame: frameNo, length: 0 });
        fresh = pduBytes(msp);
        rec = completedRecord(msp, fresh, 0, false, true);
      } else if (resend !== null && segLen > 0 && overlapsHeld(msp, dataSeq)) {
        // Out of order or sent again fast, starting inside the bytes the PDU holds: tshark's
        // reassembly adds it at its offset, overlapping them ("[Segment overlap: True]").
        const take = joinOverlapping(msp, dataSeq, payload.bytes.subarray(payload.abs(0), payload.abs(segLen)), frameNo);
        if (msp.parked) collectParked(msp);
        rec = COLLECTED;
        if (completesPdu(msp, fin)) ({ rec, data: fresh } = completePdu(st, dirKey, msp, take, resend === 'out-of-order'));
      } else if (resend !== null && seqLT(dataSeq, msp.startSeq)) {
        // Sent again fast from before the PDU (bytes lost before it began): desegment_tcp's tree
        // lookup does not find the PDU, so the segment goes to its protocol as new data, and the
        // PDU waits on.
      } else if (!seqLT(msp.nextSeq, endSeq)) {
        // Bytes already collected (a retransmission): shown as a segment of the PDU.
        rec = COLLECTED;
      } else if (dataSeq === msp.nextSeq) {
        // A PDU of a known length takes only its own bytes of the segment.
        const take = msp.endSeq >= 0 && seqLT(msp.endSeq, endSeq) ? (msp.endSeq - dataSeq) >>> 0 : segLen;
        collectSegment(msp, payload.bytes.subarray(payload.abs(0), payload.abs(take)), frameNo, framePiece(ctx, payload, 0, take));
        // A segment that fills a hole joins what came after it.
        if (msp.parked) collectParked(msp);
        if (completesPdu(msp, fin)) {
          ({ rec, data: fresh } = completePdu(st, dirKey, msp, take, resend === 'out-of-order'));
        } else {
          rec = COLLECTED;
        }
      } else if (afterHole(msp, dataSeq)) {
        // Inside the PDU after a hole: kept at its place until the hole is filled; what runs
        // past the PDU's end is the next PDU.
        const inside = bytesInside(msp, dataSeq);
        park(msp, dataSeq, payload.sub(0, Math.min(segLen, inside)), frameNo, ctx);
        // Its FIN ends a PDU that waits for one, once the hole before it is filled.
        if (fin && msp.endSeq === -2 && msp.finAt === undefined) msp.finAt = endSeq;
        rec = inside < segLen ? { kind: 'middle', info: null, restAt: inside } : COLLECTED;
      } else {
        // Past the PDU's end, or before it: the PDU is given up here, and kept whole for the
        // resends that may fall in it later (leftBehind; one waiting for one more segment is
        // kept aside, see passedBy).
        retirePdu(st, dirKey, msp, false);
        giveUp(st, dirKey, msp, true);
        if (msp.endSeq === -1 && seqLT(msp.nextSeq, dataSeq)) st.passedBy.set(dirKey, msp);
        if (insideGivenUp(st, dirKey, dataSeq, segLen)) rec = COLLECTED;
      }
    } else if (msp) {
      // A segment the snaplen cut goes to its protocol as it is (it cannot be collected); the
      // PDU it belongs to will never be whole.
      retirePdu(st, dirKey, msp, false);
      if (msp.endSeq >= 0 && !seqLT(dataSeq, msp.nextSeq) && seqLT(dataSeq, msp.endSeq)) giveUp(st, dirKey, msp, false);
    } else if (can && insideGivenUp(st, dirKey, dataSeq, segLen)) {
      rec = COLLECTED;
    }
    recordFrame(st, frameNo, rec);
  }

  const r = rec!;
  // A FIN with data that ends an until-FIN PDU: tshark reassembles it in dissect_tcp's own FIN
  // branch, which adds neither the payload nor this segment's part.
  const finReassembles = r.kind === 'reassembled' && r.untilFin === true;
  if (segLen > 0 && !finReassembles && ctx.wants(F['tcp.payload'])) {
    ctx.add(node, F['tcp.payload'], payload, 0, payload.length, payload.slice(0, payload.length), payloadText(segLen));
  }
  if (r.kind === 'middle' && !r.kept && r.restAt === undefined) {
    if (r.info !== null) ctx.info = prefix + r.info;
    markSegmentOfPdu(ctx, node, payload, 0);
    return;
  }
  // The payload from `at` on to the protocol; `frameRec` as startPending takes it.
  const handOn = (part: Tvb, at: number, frameRec: FrameDeseg | null): void => {
    // After a PDU in this segment its Info stays, fenced, in front of the next one's, and so
    // does its Protocol column (desegment_tcp makes it unwritable before another_pdu_follows).
    const fence = at > 0 ? ctx.info : '';
    const protocol = ctx.protocol;
    const { request, info } = callPayload(part, ctx, can, null, srcPort, dstPort, prefix, convKey, fence);
    if (at > 0) ctx.protocol = protocol;
    if (fence && !ctx.info.startsWith(fence)) ctx.info = fence + (ctx.info.startsWith(prefix) ? ctx.info.slice(prefix.length) : ctx.info);
    if (request && can) {
      if (firstPass) {
        const piece = framePiece(ctx, part, 0, segLen - at);
        // (A PDU that starts after another in its segment keeps no Info for the resends that
        // fillsGivenUpPdu shows: tshark shows TCP's own for them.)
        startPending(st, dirKey, part.slice(0, segLen - at), piece && [piece], (dataSeq + at) >>> 0, request, frameNo, at > 0 ? '' : info, frameRec);
      }
      // Nothing of the segment dissected: a segment of a PDU. After a PDU that completed here,
      // the frame stays that PDU's (tshark's desegment_offset counts from the segment's start).
      if (request.offset <= 0 && at === 0) markSegmentOfPdu(ctx, node, part, 0);
      else {
        const from = Math.max(0, request.offset);
        if (from < part.length && ctx.wants(F['tcp.segment_data'])) ctx.add(node, F['tcp.segment_data'], part, from, part.length - from, part.slice(from), segmentDataText(part.length - from));
      }
    }
  };
  if (r.kind === 'middle' && r.restAt !== undefined) {
    // The PDU's part, then the next PDU; the Protocol column stays TCP's (desegment_tcp makes
    // it unwritable before another_pdu_follows), Info goes on after a fence.
    ctx.info += (ctx.info ? ' ' : '') + SEGMENT_OF_PDU;
    if (ctx.wants(F['tcp.segment_data'])) ctx.add(node, F['tcp.segment_data'], payload, 0, r.restAt, payload.slice(0, r.restAt), segmentDataText(r.restAt));
    // (Out of order, the rest is refused: decode_tcp_ports hands out-of-order data on to nothing.)
    if (r.restAt < payload.length && resend !== 'out-of-order') handOn(payload.sub(r.restAt), r.restAt, null);
    ctx.protocol = 'TCP';
    return;
  }
  // ('overlap' is a keep-alive's record, which never comes here.)
  if (r.kind === 'plain' || r.kind === 'overlap' || r.kind === 'middle') {
    handOn(payload, 0, PLAIN);
    return;
  }
  // Completes a PDU: show the segments, then hand the whole PDU on.
  const own = Math.min(r.restAt, payload.length);
  const data = fresh ?? (r.data instanceof Uint8Array ? r.data : readPieces(ctx.capture, r.data));
  const whole = new Tvb(data, 0, data.length, data.length);
  ctx.nameSource(whole, 'Reassembled TCP');
  // Wireshark's item labels hold at most ITEM_LABEL_LENGTH - 1 characters: a long segment list is cut there.
  const flatFrom = ctx.flat.length;
  const segs = ctx.addGenerated(null, F['tcp.segments'], null, ctx.wants(F['tcp.segments']) ? segmentsText(r.segments, data.length) : undefined);
  const segNodes: FieldNode[] = [];
  const offsets = segmentOffsets(r.segments);
  r.segments.forEach((s, i) => {
    // A segment whose bytes conflict is listed as reassemble.c lists it: as an error.
    const item = s.conflict === true ? F['tcp.segment.error'] : F['tcp.segment'];
    const segNode = ctx.addGenerated(segs, item, s.frame, ctx.wants(item) ? fragmentText(s.frame, offsets[i]!, s.length) : undefined);
    segNodes.push(segNode);
    if (s.overlap === true) ctx.addGenerated(segNode, F['tcp.segment.overlap'], true);
    if (s.conflict === true) ctx.addGenerated(segNode, F['tcp.segment.overlap.conflict'], true);
  });
  ctx.addGenerated(segs, F['tcp.segment.count'], r.segments.length);
  ctx.addGenerated(segs, F['tcp.reassembled.length'], data.length);
  ctx.addGenerated(segs, F['tcp.reassembled.data'], data);
  const flatTo = ctx.flat.length;
  if (r.undissected) {
    // show_fragment_errs_in_col replaces TCP's Info (after its analysis prefix).
    if (r.illegal === true) ctx.info = prefix + ILLEGAL_SEGMENTS;
    if (own > 0 && !finReassembles && ctx.wants(F['tcp.segment_data'])) ctx.add(node, F['tcp.segment_data'], payload, 0, own, payload.slice(0, own), segmentDataText(own));
    return;
  }
  const { request, info } = callPayload(whole, ctx, true, data, srcPort, dstPort, prefix, convKey);
  // After the PDU's protocol, which fenced its Info (HTTP does after each message).
  if (r.illegal === true) ctx.info += ILLEGAL_SEGMENTS;
  // This segment's part of the PDU, after what the PDU's protocol put in TCP's tree (its "[PDU Size: n]").
  if (own > 0 && !finReassembles && ctx.wants(F['tcp.segment_data'])) ctx.add(node, F['tcp.segment_data'], payload, 0, own, payload.slice(0, own), segmentDataText(own));
  if (request) {
    if (firstPass) startPending(st, dirKey, data, r.data instanceof Uint8Array ? null : r.data, r.startSeq, request, frameNo, info, r);
    if (request.offset > 0) cutSegmentsTree(ctx, segs, segNodes, r.segments, request.offset, data.length);
    if (request.offset <= 0) {
      // Still not complete: the next segments keep collecting (the reassembled tree is dropped,
      // and without a tree the fields it recorded: tcp.segments must not match such a frame).
      ctx.roots.splice(ctx.roots.indexOf(segs), 1);
      ctx.flat.splice(flatFrom, flatTo - flatFrom);
      ctx.dropSource(whole, request.keepTree);
      ctx.protocol = 'TCP';
      ctx.info += (ctx.info ? ' ' : '') + SEGMENT_OF_PDU;
    }
  }
  // The rest of the segment after a PDU of known length: the next PDU, in a call of its own.
  if (r.restAt < segLen && r.restAt < payload.length) handOn(payload.sub(r.restAt), r.restAt, null);
}

/** "3 Reassembled TCP Segments (89 bytes): #5(27), #6(40), #7(22)", cut to a label's length. */
function segmentsText(segments: readonly { frame: number; length: number }[], total: number): string {
  return `${segments.length} Reassembled TCP Segments (${total} bytes): ${segments.map((s) => `#${s.frame}(${s.length})`).join(', ')}`.slice(0, ITEM_LABEL_MAX);
}

/**
 * A reassembled PDU whose protocol dissected its first `upTo` bytes and asked for more from
 * there (the next PDU starts inside it): tshark cuts the fragment list at `upTo`
 * (fragment_truncate) before showing it, so the last segments show only their bytes of the
 * finished part; the reassembled length stays the whole. (A segment left with no bytes keeps
 * its line: a protocol that asks for more from before the last segment is not seen here.)
 */
function cutSegmentsTree(ctx: PacketContext, segs: FieldNode, segNodes: readonly FieldNode[], segments: readonly PduSegment[], upTo: number, total: number): void {
  const offsets = segmentOffsets(segments);
  const cut = segments.map((s, i) => ({ frame: s.frame, length: Math.max(0, Math.min(s.length, upTo - offsets[i]!)) }));
  ctx.setText(segs, segmentsText(cut, total));
  cut.forEach((s, i) => ctx.setText(segNodes[i]!, fragmentText(s.frame, offsets[i]!, s.length)));
}

/** Ends the PDU pending in direction `dirKey`, reassembled or not, remembering where it started and ended (see pduEnds). */
function retirePdu(st: TcpCaptureState, dirKey: number, msp: PendingPdu, reassembled: boolean): void {
  st.pending.delete(dirKey);
  recordPduEnd(st, dirKey, msp, reassembled);
}

/** Remembers where a PDU that is no longer pending started and ended (see pduEnds). */
function recordPduEnd(st: TcpCaptureState, dirKey: number, msp: PendingPdu, reassembled: boolean): void {
  let ends = st.pduEnds.get(dirKey);
  if (!ends) st.pduEnds.set(dirKey, (ends = []));
  const e: PduEnd = { start: msp.startSeq, end: reassembled ? msp.nextSeq : pduEnd(msp), reassembled };
  // Usually after the last one (only a wrap of the raw numbers puts it earlier).
  let at = ends.length;
  while (at > 0 && ends[at - 1]!.start > e.start) at--;
  if (at > 0 && ends[at - 1]!.start === e.start) ends[at - 1] = e;
  else ends.splice(at, 0, e);
}

/** The kept PDU with the largest raw start at or below `seq` (wmem_tree_lookup32_le's answer). */
function pduAtOrBefore(ends: readonly PduEnd[], seq: number): PduEnd | undefined {
  let lo = 0, hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ends[mid]!.start <= seq) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? ends[lo - 1] : undefined;
}

/**
 * Just past a pending PDU as tshark's msp->nxtpdu has it: its end when its length is known; a
 * byte into the next segment for "one more segment"; far ahead (2^30) for "until FIN".
 */
function pduEnd(msp: PendingPdu): number {
  return msp.endSeq >= 0 ? msp.endSeq : (msp.nextSeq + (msp.endSeq === -1 ? 1 : 0x40000000)) >>> 0;
}

/**
 * Where a resent segment (a spurious retransmission, an out-of-order segment) lands among the
 * PDUs that spanned segments, as desegment_tcp's two lookups find it:
 * - 'pdu-start': it starts exactly where one started and ends inside it; it is labelled
 *   "Retransmitted TCP segment data" (a resend cut at other places than the first sending is not);
 * - 'inside-reassembled': it starts inside one already reassembled (the one starting last
 *   before it); an out-of-order segment is refused there by tshark's reassembly, "New fragment
 *   overlaps old data (retransmission?)", whatever its bytes;
 * - 'elsewhere': neither.
 */
export type ResendPlace = 'pdu-start' | 'inside-reassembled' | 'elsewhere';

function placeOfResend(st: TcpCaptureState, dirKey: number, seqRaw: number, segLen: number): ResendPlace {
  const pending = st.pending.get(dirKey);
  const ends = st.pduEnds.get(dirKey);
  const kept = ends && pduAtOrBefore(ends, seqRaw);
  const exact = pending?.startSeq === seqRaw ? pduEnd(pending) : kept?.start === seqRaw ? kept.end : undefined;
  if (exact !== undefined) return seqLT(exact, (seqRaw + segLen) >>> 0) ? 'elsewhere' : 'pdu-start';
  if (pending && refusesResend(pending, seqRaw, segLen)) return 'inside-reassembled';
  // The PDU that starts last before the segment (by raw number, as tshark's tree): the pending
  // one, which takes such a segment in, or a kept one.
  if (pending && pending.startSeq < seqRaw && (!kept || pending.startSeq > kept.start)) return 'elsewhere';
  return kept?.reassembled === true && seqLT(seqRaw, kept.end) ? 'inside-reassembled' : 'elsewhere';
}

/** placeOfResend for this frame's segment; on a revisit the first pass's answer stands (the PDUs known by then may differ). */
function resendPlace(ctx: PacketContext, srcPort: number, dstPort: number, seqRaw: number, segLen: number): ResendPlace {
  const dir = knownDirection(ctx, srcPort, dstPort);
  if (dir === null) return 'elsewhere';
  const { st, dirKey } = dir;
  return firstPassAnswer(st, st.resendPlaces, ctx.frame.number, () => placeOfResend(st, dirKey, seqRaw, segLen));
}

/**
 * resendPlace for a segment decoded without a dissection (app/cli/summary-fast.ts, a single
 * pass), for the Info of an out-of-order one. Interns nothing.
 */
export function resendPlaceAt(capture: CaptureState, netSrc: Uint8Array, srcPort: number, netDst: Uint8Array, dstPort: number, seqRaw: number, segLen: number): ResendPlace {
  const st = capture.peek<TcpCaptureState>('tcp.dissector');
  const dirKey = st && findDirectionKey(st, netSrc, srcPort, netDst, dstPort);
  return dirKey === undefined ? 'elsewhere' : placeOfResend(st!, dirKey, seqRaw, segLen);
}

/**
 * Remembers a PDU this reassembly could not complete (a gap, a segment the snaplen cut): see
 * givenUp. `whole`: its bytes are all there (not cut by the snaplen), so it is kept to be
 * completed by out-of-order segments.
 */
function giveUp(st: TcpCaptureState, dirKey: number, msp: PendingPdu, whole: boolean): void {
  // One waiting for one more segment ends just past its bytes (tshark's nxtpdu for it): a
  // segment from there on is new data. One waiting for the FIN has no end.
  const endSeq = msp.endSeq === -2 ? -1 : pduEnd(msp);
  st.givenUp.set(dirKey, { startSeq: msp.startSeq, endSeq, info: msp.info });
  if (!whole || msp.endSeq < 0) return;
  let list = st.leftBehind.get(dirKey);
  if (!list) st.leftBehind.set(dirKey, (list = []));
  list.push(msp);
  // The latest ones, within bounds: a capture that loses much does not hold every PDU it broke.
  let bytes = 0;
  for (const pdu of list) bytes += pdu.buf.length;
  while (list.length > 1 && (list.length > LEFT_BEHIND_MAX || bytes > LEFT_BEHIND_BYTES)) bytes -= list.shift()!.buf.length;
}

/** How many PDUs left behind with holes a direction keeps, and how many bytes of them (the latest one whatever its size). */
const LEFT_BEHIND_MAX = 16;
const LEFT_BEHIND_BYTES = 4 << 20;

/**
 * The PDU left behind in the segment's direction (see leftBehind) that a segment starting at
 * `dataSeq` starts inside, past its first byte, as desegment_tcp's lookup finds it: the PDU that
 * starts last before the segment, so none when that is the pending one or one completed or
 * given up since (by raw number, as placeOfResend). What runs past its end is the next PDU's.
 */
function leftBehindHolding(st: TcpCaptureState, dirKey: number, dataSeq: number): PendingPdu | undefined {
  const list = st.leftBehind.get(dirKey);
  const ends = list && st.pduEnds.get(dirKey);
  const last = ends && pduAtOrBefore(ends, (dataSeq - 1) >>> 0);
  if (!last) return undefined;
  const pending = st.pending.get(dirKey);
  if (pending !== undefined && pending.startSeq > last.start && pending.startSeq < dataSeq) return undefined;
  const pdu = list!.find((p) => p.startSeq === last.start);
  return pdu !== undefined && seqLT(dataSeq, pdu.endSeq) ? pdu : undefined;
}

/**
 * An out-of-order segment or fast retransmission into a PDU given up earlier (leftBehindHolding):
 * it joins it where it lies, as into a pending one, and completes it when it fills its last
 * hole (`undissected` when it came out of order, see completedRecord). Returns the frame's
 * record and, for a completed PDU, its bytes.
 */
function joinLeftBehind(st: TcpCaptureState, dirKey: number, pdu: PendingPdu, dataSeq: number, segment: Tvb, frameNo: number, ctx: PacketContext,
  undissected: boolean): { rec: FrameDeseg; data: Uint8Array | null } {
  // Its bytes up to the PDU's end; what runs past it is the next PDU's (restAt).
  const n = Math.min(segment.length, (pdu.endSeq - dataSeq) >>> 0);
  const payload = segment.sub(0, n);
  if (dataSeq === pdu.nextSeq) collectSegment(pdu, payload.bytes.subarray(payload.abs(0), payload.abs(n)), frameNo, framePiece(ctx, payload, 0, n));
  else if (overlapsHeld(pdu, dataSeq)) joinOverlapping(pdu, dataSeq, payload.bytes.subarray(payload.abs(0), payload.abs(n)), frameNo);
  else park(pdu, dataSeq, payload, frameNo, ctx);
  if (pdu.parked) collectParked(pdu);
  if (!completesPdu(pdu, false)) return { rec: n < segment.length ? { kind: 'middle', info: null, restAt: n } : COLLECTED, data: null };
  const list = st.leftBehind.get(dirKey)!;
  list.splice(list.indexOf(pdu), 1);
  if (list.length === 0) st.leftBehind.delete(dirKey);
  // Reassembled after all: no longer a PDU given up (a resend into it now falls in a reassembled one).
  if (st.givenUp.get(dirKey)?.startSeq === pdu.startSeq) st.givenUp.delete(dirKey);
  recordPduEnd(st, dirKey, pdu, true);
  const data = pduBytes(pdu);
  return { rec: completedRecord(pdu, data, n, undissected), data };
}

/**
 * Whether a segment's bytes all lie inside the PDU of known length given up in its direction:
 * tshark's reassembly, which keeps that PDU with its hole, takes them into it and shows a
 * segment of a reassembled PDU; what comes after the PDU's end is a PDU of its own.
 */
function insideGivenUp(st: TcpCaptureState, dirKey: number, dataSeq: number, segLen: number): boolean {
  const broken = segLen > 0 ? givenUpTaking(st, dirKey, dataSeq) : undefined;
  return broken !== undefined && broken.endSeq !== -1 && !seqLT(broken.endSeq, (dataSeq + segLen) >>> 0);
}

/** Adds the next segment's bytes (in order: its data starts at nextSeq) to a pending PDU; `piece`, where they lie. */
function collectSegment(pdu: PendingPdu, bytes: Uint8Array, frameNo: number, piece: PduPiece | null): void {
  pdu.partial = false;
  appendToPdu(pdu, bytes);
  pdu.segments.push({ frame: frameNo, length: bytes.length });
  pdu.nextSeq = (pdu.nextSeq + bytes.length) >>> 0;
  if (piece === null) pdu.pieces = null;
  else pdu.pieces?.push(piece);
}

/**
 * Ends `pdu`, which a data segment completed (its first `take` bytes were the PDU's), and keeps
 * its last bytes for keepAliveBytes. A PDU that waited for the FIN ends in dissect_tcp's own FIN
 * branch (`untilFin`).
 */
function completePdu(st: TcpCaptureState, dirKey: number, pdu: PendingPdu, take: number, undissected: boolean): { rec: FrameDeseg; data: Uint8Array } {
  // A payload-less FIN that came before the last hole was filled is the last fragment ("#74(0)").
  if (pdu.finFrame !== undefined) pdu.segments.push({ frame: pdu.finFrame, length: 0 });
  retirePdu(st, dirKey, pdu, true);
  const data = pduBytes(pdu);
  st.lastPdu.set(dirKey, { startSeq: pdu.startSeq, endSeq: pdu.nextSeq, tail: data.slice(Math.max(0, data.length - PDU_TAIL)) });
  // (One the FIN completes is reassembled in dissect_tcp's FIN branch; one a segment completes
  // after the FIN came, in desegment_tcp's, as any other.)
  return { rec: completedRecord(pdu, data, take, undissected, pdu.endSeq === -2 && pdu.finAt === undefined), data };
}

/** The record of the frame that completes `pdu` (`data`, its bytes, from pduBytes): only their pieces when those are known. */
function completedRecord(pdu: PendingPdu, data: Uint8Array, restAt: number, undissected = false, untilFin = false): FrameDeseg {
  const rec: FrameDeseg = { kind: 'reassembled', data: pdu.pieces ?? data, startSeq: pdu.startSeq, segments: pdu.segments, restAt };
  if (undissected) rec.undissected = true;
  if (untilFin) rec.untilFin = true;
  else if (pdu.overlaps !== null && pdu.segments.some((s) => s.conflict === true)) rec.illegal = true;
  return rec;
}

/**
 * Whether a segment starting at `dataSeq` starts inside the bytes `pdu` holds, past its first
 * byte (a resend from the PDU's first byte is desegment_tcp's "Retransmitted TCP segment data",
 * see placeOfResend).
 */
function overlapsHeld(pdu: PendingPdu, dataSeq: number): boolean {
  return seqLT(pdu.startSeq, dataSeq) && seqLT(dataSeq, pdu.nextSeq);
}

/**
 * Whether the reassembly refuses a resend into `pdu`: the PDU was handed on and asked for more
 * (`partial`), and the segment starts inside its bytes and ends before their end. Seen where the
 * capture is taken at the sender: a chunked HTTP body (one more segment at a time) with a
 * segment sent again fast after the capture saw it go.
 */
function refusesResend(pdu: PendingPdu, dataSeq: number, segLen: number): boolean {
  return pdu.partial && overlapsHeld(pdu, dataSeq) && seqLT((dataSeq + segLen) >>> 0, pdu.nextSeq);
}

/**
 * Adds a segment that starts inside the bytes `pdu` holds (overlapsHeld) at its offset, as
 * tshark's reassembly adds any fragment inside a PDU not yet complete: its bytes up to the PDU's
 * end (all of them for a PDU waiting for one more segment: MSP_FLAGS_REASSEMBLE_ENTIRE_SEGMENT);
 * those past what the PDU holds extend it. Returns how many bytes it took.
 */
function joinOverlapping(pdu: PendingPdu, dataSeq: number, bytes: Uint8Array, frameNo: number): number {
  pdu.partial = false;
  const take = pdu.endSeq >= 0 ? Math.min(bytes.length, (pdu.endSeq - dataSeq) >>> 0) : bytes.length;
  const own = bytes.slice(0, take);
  const kept = (pdu.overlaps ??= new Map());
  // From now on every segment's place is written down; bytes may be replaced (overlapsJoined),
  // so the frames' pieces no longer say where they lie.
  const offsets = segmentOffsets(pdu.segments);
  pdu.segments.forEach((s, i) => { s.at = offsets[i]; });
  pdu.pieces = null;
  const at = (dataSeq - pdu.startSeq) >>> 0;
  const seg: PduSegment = { frame: frameNo, length: take, at };
  // In offset order, after the segments at the same offset (reassemble.c's LINK_FRAG).
  let i = pdu.segments.length;
  while (i > 0 && pdu.segments[i - 1]!.at! > at) i--;
  pdu.segments.splice(i, 0, seg);
  kept.set(seg, own);
  const held = (pdu.nextSeq - dataSeq) >>> 0;
  if (take > held) {
    appendToPdu(pdu, own.subarray(held));
    pdu.nextSeq = (pdu.nextSeq + take - held) >>> 0;
  }
  return take;
}

/** Where each segment's bytes start in its PDU: its `at`, else where the bytes before it end. */
function segmentOffsets(segments: readonly PduSegment[]): number[] {
  let end = 0;
  return segments.map((s) => {
    const at = s.at ?? end;
    end = Math.max(end, at + s.length);
    return at;
  });
}

/**
 * The bytes of a complete PDU whose segments overlap, put together as tshark's reassembly puts
 * them (reassembly.ts): in offset order each segment gives only the bytes the ones before it did
 * not, so where two disagree the one that starts first wins, not the one that came first. Each
 * segment gets its overlap and conflict flags.
 */
function overlapsJoined(pdu: PendingPdu): Uint8Array {
  const kept = pdu.overlaps!;
  const offsets = segmentOffsets(pdu.segments);
  const parts = pdu.segments.map((s, i) => ({ offset: offsets[i]!, frame: s.frame, data: kept.get(s) ?? pdu.buf.subarray(offsets[i]!, offsets[i]! + s.length) }));
  const flags = listFragments(parts, pdu.len);
  pdu.segments = pdu.segments.map((s, i) => {
    const seg: PduSegment = { frame: s.frame, length: s.length, at: offsets[i] };
    if (flags[i]!.overlap === true) seg.overlap = true;
    // A segment of an earlier reassembly of the same PDU keeps what that one found.
    if (flags[i]!.conflict === true || s.conflict === true) seg.conflict = true;
    return seg;
  });
  return assembleFragments(parts, pdu.len) ?? pdu.buf.slice(0, pdu.len);
}

/**
 * Keeps a segment that lies inside `pdu` after a hole until the hole is filled, in sequence
 * order (after those that start where it starts). It may overlap segments kept already (a
 * resend of one of them): it joins the PDU over their bytes then (collectParked).
 */
function park(pdu: PendingPdu, seq: number, payload: Tvb, frameNo: number, ctx: PacketContext): void {
  pdu.partial = false;
  const parked = (pdu.parked ??= []);
  let at = parked.length;
  while (at > 0 && seqLT(seq, parked[at - 1]!.seq)) at--;
  parked.splice(at, 0, { seq, bytes: payload.slice(0, payload.length), frame: frameNo, piece: framePiece(ctx, payload, 0, payload.length) });
}

/**
 * Collects the parked segments that now follow on from what `pdu` holds, or start inside it (a
 * segment that joined over held bytes ran into them: they overlap it).
 */
function collectParked(pdu: PendingPdu): void {
  const parked = pdu.parked!;
  while (parked.length > 0 && !seqLT(pdu.nextSeq, parked[0]!.seq)) {
    const p = parked.shift()!;
    if (p.seq === pdu.nextSeq) collectSegment(pdu, p.bytes, p.frame, p.piece);
    else joinOverlapping(pdu, p.seq, p.bytes, p.frame);
  }
  if (parked.length === 0) pdu.parked = null;
}

/**
 * Whether a segment starting at `dataSeq` lies inside `pdu` past the bytes it holds, after a
 * hole: up to the end of a PDU of known length, or below tshark's nxtpdu for one that waits for
 * the FIN (see pduEnd). A PDU waiting for one more segment has no room after a hole.
 */
function afterHole(pdu: PendingPdu, dataSeq: number): boolean {
  return pdu.endSeq !== -1 && seqLT(pdu.nextSeq, dataSeq) && seqLT(dataSeq, pduEnd(pdu));
}

/** How many bytes from `dataSeq` on (inside the PDU, see afterHole) belong to it. */
function bytesInside(pdu: PendingPdu, dataSeq: number): number {
  return (pduEnd(pdu) - dataSeq) >>> 0;
}

/**
 * Whether the PDU is whole once its last collected segment (with `fin`) is in. One that waits for
 * the FIN is whole with a FIN in this segment (collected to its end: the FIN is at nextSeq), or
 * when this segment filled the last hole before a FIN that came earlier (finAt).
 */
function completesPdu(pdu: PendingPdu, fin: boolean): boolean {
  if (pdu.endSeq === -2) return pdu.parked === null && (fin || pdu.nextSeq === pdu.finAt);
  return pdu.endSeq === -1 || !seqLT(pdu.nextSeq, pdu.endSeq);
}

/**
 * For a segment with a payload that is not being dissected (app/cli/summary-fast.ts), on a
 * single first pass, not a SYN or RST, all captured: the PDU pending in its direction when the
 * segment falls in it without completing it or breaking it off — its bytes were collected
 * already, or they are the next ones and more must follow. handPayload then only marks the
 * segment "[TCP segment of a reassembled PDU]" (after collecting it). Null when dissectTcp must
 * decide. Changes nothing and interns nothing: see collectPendingSegment.
 */
export function pendingPduOf(capture: CaptureState, netSrc: Uint8Array, srcPort: number, netDst: Uint8Array, dstPort: number,
  seqRaw: number, segLen: number, fin: boolean): PendingPdu | null {
  const st = capture.peek<TcpCaptureState>('tcp.dissector');
  const dirKey = st && findDirectionKey(st, netSrc, srcPort, netDst, dstPort);
  const msp = dirKey === undefined ? undefined : st!.pending.get(dirKey);
  // A PDU with a hole: what a segment does there depends on how the analysis flags it.
  if (!msp || msp.parked !== null || msp.finAt !== undefined) return null;
  // Inside the bytes it holds: an out-of-order segment or fast retransmission joins it there.
  // Before it (a resend): a fast retransmission goes to its protocol, an out-of-order segment
  // may join a PDU given up there.
  if (overlapsHeld(msp, seqRaw) || seqLT(seqRaw, msp.startSeq)) return null;
  const endSeq = (seqRaw + segLen) >>> 0;
  if (!seqLT(msp.nextSeq, endSeq)) return msp;
  if (seqRaw !== msp.nextSeq || msp.endSeq === -1 || (msp.endSeq === -2 ? fin : !seqLT(endSeq, msp.endSeq))) return null;
  return msp;
}

/**
 * What handPayload's first pass does with a segment pendingPduOf gave `pdu` for (the tracker
 * flagged no retransmission or keep-alive): the next bytes are collected, bytes collected
 * already add nothing.
 */
export function collectPendingSegment(pdu: PendingPdu, bytes: Uint8Array, seqRaw: number, frameNo: number): void {
  if (seqRaw === pdu.nextSeq) collectSegment(pdu, bytes, frameNo, null);
}

/** The suffix handPayload gives the Info of a segment it collects into a PDU. */
export const SEGMENT_OF_PDU_INFO = ' ' + SEGMENT_OF_PDU;

/**
 * Opens a pending PDU after the payload protocol asked for more; `data` starts at `startSeq`,
 * `pieces` say where it lies (null: unknown). `rec`: this frame's record; null for a PDU that
 * starts after another one completed in this frame (the frame stays recorded as completing that one).
 */
function startPending(st: TcpCaptureState, dirKey: number, data: Uint8Array, pieces: readonly PduPiece[] | null, startSeq: number,
  request: { offset: number; length: number; keepTree?: boolean }, frameNo: number, info: string, rec: FrameDeseg | null): void {
  const off = Math.max(0, Math.min(request.offset, data.length));
  const endOfData = (startSeq + data.length) >>> 0;
  const first = data.subarray(off);
  const endSeq = request.length === DESEGMENT_ONE_MORE_SEGMENT ? -1 : request.length === DESEGMENT_UNTIL_FIN ? -2 : (endOfData + request.length) >>> 0;
  // A known length: room for the whole PDU, so completing it copies nothing (a length no
  // real PDU has grows like the others, as its bytes come).
  const known = endSeq >= 0 && request.length <= MAX_PREALLOCATED_PDU;
  const buf = new Uint8Array(known ? first.length + request.length : Math.max(2 * first.length, 4096));
  buf.set(first);
  const pdu: PendingPdu = {
    startSeq: (startSeq + off) >>> 0, nextSeq: endOfData, endSeq, buf, len: first.length, segments: [], pieces: pieces && piecesFrom(pieces, off), info, parked: null, overlaps: null, partial: false,
  };
  if (rec?.kind === 'reassembled' && off === 0) {
    // The same PDU goes on: keep the segment list, and remember only the Info for this frame.
    pdu.segments = rec.segments.slice();
    pdu.partial = true;
    recordFrame(st, frameNo, { kind: 'middle', info });
  } else {
    pdu.segments = [{ frame: frameNo, length: data.length - off }];
    if (rec?.kind === 'plain' && off === 0) recordFrame(st, frameNo, request.keepTree ? { kind: 'middle', info, kept: true } : { kind: 'middle', info });
  }
  const current = st.pending.get(dirKey);
  if (current !== undefined && seqLT(pdu.startSeq, current.startSeq)) {
    // Started by the rest of a resend that completed a PDU left behind: it lies behind the
    // pending one too, which goes on (tshark keeps both).
    recordPduEnd(st, dirKey, pdu, false);
    giveUp(st, dirKey, pdu, true);
    return;
  }
  // A PDU still pending that the segment's bytes went past (after a hole in it): tshark's
  // reassembly keeps it, and out-of-order segments may complete it yet.
  if (current !== undefined) {
    recordPduEnd(st, dirKey, current, false);
    giveUp(st, dirKey, current, true);
  }
  st.pending.set(dirKey, pdu);
  if (endSeq === -2 && !st.untilFinFlows.has(dirKey)) st.untilFinFlows.set(dirKey, 0);
}

/** The largest remaining length a pending PDU gets its buffer for up front. */
const MAX_PREALLOCATED_PDU = 16 << 20;

function appendToPdu(pdu: PendingPdu, bytes: Uint8Array): void {
  if (pdu.len + bytes.length > pdu.buf.length) {
    const bigger = new Uint8Array(Math.max(pdu.len + bytes.length, 2 * pdu.buf.length));
    bigger.set(pdu.buf.subarray(0, pdu.len));
    pdu.buf = bigger;
  }
  pdu.buf.set(bytes, pdu.len);
  pdu.len += bytes.length;
}

/** The whole PDU's bytes (kept with the frame: trimmed to its length). */
function pduBytes(pdu: PendingPdu): Uint8Array {
  if (pdu.overlaps !== null) return overlapsJoined(pdu);
  return pdu.len === pdu.buf.length ? pdu.buf : pdu.buf.slice(0, pdu.len);
}

/** What the first pass decided for this frame, if it was dissected before. */
function frameRecord(st: TcpCaptureState, frameNo: number): FrameDeseg | undefined {
  return frameNo <= st.newestFrame ? st.frames.get(frameNo) : undefined;
}

function recordFrame(st: TcpCaptureState, frameNo: number, rec: FrameDeseg): void {
  if (!st.revisits) return;
  st.frames.set(frameNo, rec);
  if (frameNo > st.newestFrame) st.newestFrame = frameNo;
}

export const tcpProtocol = defineProtocol('tcp', 'Transmission Control Protocol', dissectTcp);
register('ip.proto', 6, tcpProtocol);

// Re-exported for tests: formatting of generated times as tshark prints them.
export { formatRelTime };

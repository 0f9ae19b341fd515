// The seam between the TCP dissector (app/dissect/protocols/tcp.ts, one packet at a time) and
// the connection tracker (app/tcp/, the whole capture). The dissector decodes the header and
// hands these facts over; the tracker answers with what only the history of the connection
// can tell (stream number, relative numbers, analysis flags). Layering: app/tcp implements
// this interface; app/dissect never imports app/tcp.
import type { CaptureState, PacketContext } from './packet.js';

/** What one segment says, decoded by the TCP dissector. */
export interface TcpSegmentFacts {
  /** 1-based packet number. */
  frame: number;
  /** Seconds since the epoch (float; ns precision is not needed for RTTs). */
  time: number;
  /** Network-layer addresses (4 or 16 bytes). */
  netSrc: Uint8Array;
  netDst: Uint8Array;
  srcPort: number;
  dstPort: number;
  /** Raw 32-bit sequence and acknowledgement numbers. */
  seq: number;
  ack: number;
  /** The 12 flag bits (tcp.flags): FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10, URG 0x20, ECE 0x40, CWR 0x80, AE 0x100. */
  flags: number;
  /** Raw window field (before scaling). */
  window: number;
  /** Payload length (tcp.len): IP payload length minus the TCP header length. */
  len: number;
  hdrLen: number;
  urgentPointer: number;
  /**
   * False when the segment length is unknown (reported length < header length): tshark then
   * skips the sequence analysis and shows raw numbers. Absent = true.
   */
  haveSegLen?: boolean;
  /** True for a TCP header quoted inside an ICMP error (no sequence analysis, like tshark). */
  inErrorPacket?: boolean;
  /**
   * Another protocol announced this connection before (FTP's data connection, conversation.ts):
   * in tshark the conversation then exists before its SYN, which does not count as opening it.
   */
  announced?: boolean;
  options: {
    mss?: number;
    /** Window scale shift count as sent in the SYN. */
    wscale?: number;
    sackPerm?: boolean;
    tsval?: number;
    tsecr?: number;
    /** SACK blocks as raw [left, right) edges. */
    sack?: Array<[number, number]>;
    /** An Accurate ECN option of a valid length (kind 172 or 174; 2, 5, 8 or 11 bytes). */
    accEcn?: boolean;
  };
}

/** Analysis flags, named after Wireshark's tcp.analysis.* fields. */
export interface TcpAnalysisFlags {
  retransmission?: boolean;
  fast_retransmission?: boolean;
  spurious_retransmission?: boolean;
  out_of_order?: boolean;
  lost_segment?: boolean;
  ack_lost_segment?: boolean;
  duplicate_ack?: boolean;
  zero_window?: boolean;
  zero_window_probe?: boolean;
  zero_window_probe_ack?: boolean;
  keep_alive?: boolean;
  keep_alive_ack?: boolean;
  window_update?: boolean;
  window_full?: boolean;
  reused_ports?: boolean;
}

/** The tracker's verdict on one segment. Numbers are relative to the ISN, as tshark shows. */
export interface TcpSegmentVerdict {
  stream: number;
  /** Relative sequence / next sequence / acknowledgement numbers (tcp.seq, tcp.nxtseq, tcp.ack). */
  seq: number;
  nxtseq: number;
  ack: number;
  /** Whether the ACK flag is set (tcp.ack is absent otherwise). */
  hasAck: boolean;
  /** The window after scaling (tcp.window_size), and the factor (-1 unknown, -2 no scaling). */
  windowSize: number;
  windowScaleFactor: number;
  flags: TcpAnalysisFlags;
  /** Which earlier frames this one relates to. */
  duplicateAckNum?: number;
  duplicateAckFrame?: number;
  /** tcp.analysis.acks_frame and ack_rtt (seconds). */
  acksFrame?: number;
  ackRtt?: number;
  /** A retransmission's tcp.analysis.rto (seconds since its segment was last sent) and rto_frame. */
  rto?: number;
  rtoFrame?: number;
  initialRtt?: number;
  bytesInFlight?: number;
  pushBytesSent?: number;
  /**
   * packet-tcp.c made its analysis record for the segment's bytes in flight but found them out
   * of range (negative: the peer SACKed more than is outstanding), so "[SEQ/ACK analysis]" is
   * shown with nothing but the iRTT in it.
   */
  emptyAnalysis: boolean;
  /** Seconds since the first frame of this stream and since the previous frame in it. */
  timeRelative: number;
  timeDelta: number;
  /** tcp.completeness bit mask as Wireshark defines it (1 SYN, 2 SYN-ACK, 4 ACK, 8 DATA, 16 FIN, 32 RST). */
  completeness: number;
  /** A FIN's part in the close (packet-tcp.c closing_initiator): 0 no FIN, 1 initiates, 2 undergoes. */
  closing: number;
  /**
   * The connection uses Accurate ECN (an AccECN SYN answered by a SYN-ACK with any of AE, CWR,
   * ECE, or an AccECN option before this segment): tshark shows this segment's AE, CWR and ECE
   * bits as the ACE counter (never a SYN's).
   */
  ace: boolean;
  /** The bracketed Info prefix tshark writes, e.g. "[TCP Retransmission] ", or "". */
  infoPrefix: string;
}

/** Implemented by app/tcp. Deterministic: the same frame gets the same verdict on re-dissection. */
export interface TcpAnalyzer {
  analyze(facts: TcpSegmentFacts, ctx: PacketContext): TcpSegmentVerdict;
}

const KEY = 'tcp.analyzer';

/** Attaches the connection tracker to an open capture (done by the session or the CLI). */
const noAnalyzer = (): { analyzer: TcpAnalyzer | null } => ({ analyzer: null });

export function attachTcpAnalyzer(capture: CaptureState, analyzer: TcpAnalyzer): void {
  capture.get(KEY, noAnalyzer).analyzer = analyzer;
}

export function tcpAnalyzerOf(capture: CaptureState): TcpAnalyzer | null {
  return capture.get(KEY, noAnalyzer).analyzer;
}

/** Option kinds whose length is fixed (RFC 9293 3.2, RFC 7323); a different length is ignored. */
export const FIXED_OPTION_LENGTH: Record<number, number> = { 2: 4, 3: 3, 4: 2, 8: 10 };

/**
 * The option facts the tracker needs, read from the option bytes [start, end) of `bytes`
 * without throwing: a truncated or malformed option list simply yields fewer facts. Shared by
 * the TCP dissector and the tracker's fast path (app/tcp/fast-observe.ts), so both feed the
 * tracker the same facts.
 */
export function readTcpOptionFacts(bytes: Uint8Array, start: number, end: number, into?: TcpSegmentFacts['options']): TcpSegmentFacts['options'] {
  // `into`: an object a per-packet pass refills (every field reset) instead of a new one.
  const out: TcpSegmentFacts['options'] = into ?? {};
  if (into) into.mss = into.wscale = into.sackPerm = into.tsval = into.tsecr = into.sack = into.accEcn = undefined;
  // NOP, NOP, timestamps: the options of nearly every segment of a connection that negotiated
  // timestamps, read without the walk (what the walk below makes of them).
  if (end - start === 12 && bytes[start] === 1 && bytes[start + 1] === 1 && bytes[start + 2] === 8 && bytes[start + 3] === 10) {
    out.tsval = u32(bytes, start + 4);
    out.tsecr = u32(bytes, start + 8);
    return out;
  }
  let o = start;
  while (o < end) {
    const kind = bytes[o]!;
    if (kind === 0 || kind === 1) { o++; continue; }
    if (o + 1 >= end) break;
    const len = bytes[o + 1]!;
    if (len < 2 || o + len > end) break;
    const fixed = FIXED_OPTION_LENGTH[kind];
    if (fixed === undefined || len === fixed) {
      if (kind === 2) out.mss = u16(bytes, o + 2);
      else if (kind === 3) out.wscale = bytes[o + 2]!;
      else if (kind === 4) out.sackPerm = true;
      else if (kind === 8) { out.tsval = u32(bytes, o + 2); out.tsecr = u32(bytes, o + 6); }
      else if (kind === 5) {
        const blocks: Array<[number, number]> = [];
        for (let p = o + 2; p + 8 <= o + len; p += 8) blocks.push([u32(bytes, p), u32(bytes, p + 4)]);
        out.sack = blocks;
      } else if ((kind === 172 || kind === 174) && (len === 2 || len === 5 || len === 8 || len === 11)) {
        out.accEcn = true;
      }
    }
    o += len;
  }
  return out;
}

function u16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}

function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

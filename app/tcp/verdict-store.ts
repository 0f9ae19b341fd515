// Per-frame verdicts, kept so that re-dissecting a frame (random access, the UI's detail pane, a
// second filter pass) answers exactly what the first, in-order pass computed — Wireshark keeps
// the same through p_add_proto_data and the acked_table keyed by frame number.
//
// Columns of typed arrays indexed by frame number: ~70 bytes per TCP frame, no object per frame.
// A frame carrying more than one TCP header (tunnels, ICMP errors quoting TCP) keeps the extra
// ones in a small map.
import type { TcpAnalysisFlags, TcpSegmentVerdict } from '../dissect/tcp-hook.js';

/** Wireshark's TCP_A_* bits (packet-tcp.c), used as the compact flag set. */
export const TCP_A = {
  RETRANSMISSION: 0x0001,
  LOST_PACKET: 0x0002,
  ACK_LOST_PACKET: 0x0004,
  KEEP_ALIVE: 0x0008,
  DUPLICATE_ACK: 0x0010,
  ZERO_WINDOW: 0x0020,
  ZERO_WINDOW_PROBE: 0x0040,
  ZERO_WINDOW_PROBE_ACK: 0x0080,
  KEEP_ALIVE_ACK: 0x0100,
  OUT_OF_ORDER: 0x0200,
  FAST_RETRANSMISSION: 0x0400,
  WINDOW_UPDATE: 0x0800,
  WINDOW_FULL: 0x1000,
  REUSED_PORTS: 0x2000,
  SPURIOUS_RETRANSMISSION: 0x4000,
} as const;

const FLAG_NAMES: Array<[number, keyof TcpAnalysisFlags]> = [
  [TCP_A.RETRANSMISSION, 'retransmission'],
  [TCP_A.FAST_RETRANSMISSION, 'fast_retransmission'],
  [TCP_A.SPURIOUS_RETRANSMISSION, 'spurious_retransmission'],
  [TCP_A.OUT_OF_ORDER, 'out_of_order'],
  [TCP_A.LOST_PACKET, 'lost_segment'],
  [TCP_A.ACK_LOST_PACKET, 'ack_lost_segment'],
  [TCP_A.DUPLICATE_ACK, 'duplicate_ack'],
  [TCP_A.ZERO_WINDOW, 'zero_window'],
  [TCP_A.ZERO_WINDOW_PROBE, 'zero_window_probe'],
  [TCP_A.ZERO_WINDOW_PROBE_ACK, 'zero_window_probe_ack'],
  [TCP_A.KEEP_ALIVE, 'keep_alive'],
  [TCP_A.KEEP_ALIVE_ACK, 'keep_alive_ack'],
  [TCP_A.WINDOW_UPDATE, 'window_update'],
  [TCP_A.WINDOW_FULL, 'window_full'],
  [TCP_A.REUSED_PORTS, 'reused_ports'],
];

/** The flags of a segment without any (most segments): one shared, frozen object (lifecycle.ts skips its note counting on it). */
export const NO_FLAGS: TcpAnalysisFlags = Object.freeze({});

export function flagsObject(bits: number): TcpAnalysisFlags {
  if (bits === 0) return NO_FLAGS;
  const out: TcpAnalysisFlags = {};
  for (const [bit, name] of FLAG_NAMES) if (bits & bit) out[name] = true;
  return out;
}

/**
 * The Info prefix tshark writes. packet-tcp.c's tcp_print_sequence_number_analysis prints the
 * groups in the order reused, retransmission kinds, lost, window, keep-alive, dup ack, zero
 * window, each with col_prepend_fence_fstr — so the last one printed comes first in the column.
 */
export function infoPrefix(bits: number, dupAckFrame: number, dupAckNum: number): string {
  if (bits === 0) return '';
  const printed: string[] = [];
  if (bits & TCP_A.REUSED_PORTS) printed.push('[TCP Port numbers reused] ');
  if (bits & TCP_A.RETRANSMISSION) printed.push('[TCP Retransmission] ');
  if (bits & TCP_A.FAST_RETRANSMISSION) printed.push('[TCP Fast Retransmission] ');
  if (bits & TCP_A.SPURIOUS_RETRANSMISSION) printed.push('[TCP Spurious Retransmission] ');
  if (bits & TCP_A.OUT_OF_ORDER) printed.push('[TCP Out-Of-Order] ');
  if (bits & TCP_A.LOST_PACKET) printed.push('[TCP Previous segment not captured] ');
  if (bits & TCP_A.ACK_LOST_PACKET) printed.push('[TCP ACKed unseen segment] ');
  if (bits & TCP_A.WINDOW_UPDATE) printed.push('[TCP Window Update] ');
  if (bits & TCP_A.WINDOW_FULL) printed.push('[TCP Window Full] ');
  if (bits & TCP_A.KEEP_ALIVE) printed.push('[TCP Keep-Alive] ');
  if (bits & TCP_A.KEEP_ALIVE_ACK) printed.push('[TCP Keep-Alive ACK] ');
  if ((bits & TCP_A.DUPLICATE_ACK) && dupAckNum) printed.push(`[TCP Dup ACK ${dupAckFrame}#${dupAckNum}] `);
  if (bits & TCP_A.ZERO_WINDOW_PROBE) printed.push('[TCP ZeroWindowProbe] ');
  if (bits & TCP_A.ZERO_WINDOW) printed.push('[TCP ZeroWindow] ');
  if (bits & TCP_A.ZERO_WINDOW_PROBE_ACK) printed.push('[TCP ZeroWindowProbeAck] ');
  return printed.reverse().join('');
}

// Presence bits for the optional verdict members.
const HAS_ACK = 1, HAS_ACKS_FRAME = 2, HAS_ACK_RTT = 4, HAS_IRTT = 8, HAS_BIF = 16, HAS_DUP = 32, ACE = 64, STORED = 128, EMPTY_ANALYSIS = 256;

/** The compact form the tracker computes; turned into a TcpSegmentVerdict on demand. */
export interface RawVerdict {
  stream: number;
  seq: number;
  nxtseq: number;
  ack: number;
  hasAck: boolean;
  windowSize: number;
  windowScaleFactor: number;
  flags: number;
  dupAckNum: number;
  dupAckFrame: number;
  acksFrame: number;
  /** Nanoseconds; only shown when non-zero (packet-tcp.c shows ack_rtt only if ta->ts is set). */
  ackRttNs: number;
  hasAcksFrame: boolean;
  initialRttNs: number;
  hasInitialRtt: boolean;
  bytesInFlight: number;
  pushBytesSent: number;
  hasBytesInFlight: boolean;
  timeRelativeNs: number;
  timeDeltaNs: number;
  completeness: number;
  /** A FIN's part in the close: 0 none (no FIN), 1 it starts the close, 2 it answers one. */
  closing: number;
  /** A retransmission's RTO (ns) and the frame it counts from (0: none). */
  rtoNs: number;
  rtoFrame: number;
  /** The flags show the ACE counter (TcpSegmentVerdict.ace). */
  ace: boolean;
  /** TcpSegmentVerdict.emptyAnalysis. */
  emptyAnalysis: boolean;
}

/** A RawVerdict with every field zero, for a caller that refills one object. */
export function emptyRawVerdict(): RawVerdict {
  return {
    stream: 0, seq: 0, nxtseq: 0, ack: 0, hasAck: false, windowSize: 0, windowScaleFactor: 0, flags: 0, dupAckNum: 0,
    dupAckFrame: 0, acksFrame: 0, ackRttNs: 0, hasAcksFrame: false, initialRttNs: 0, hasInitialRtt: false,
    bytesInFlight: 0, pushBytesSent: 0, hasBytesInFlight: false, timeRelativeNs: 0, timeDeltaNs: 0, completeness: 0, closing: 0, rtoNs: 0, rtoFrame: 0, ace: false,
    emptyAnalysis: false,
  };
}

/** A verdict with every optional field present and undefined: emptyVerdict() objects share one shape. */
export function emptyVerdict(): TcpSegmentVerdict {
  return {
    stream: 0, seq: 0, nxtseq: 0, ack: 0, hasAck: false, windowSize: 0, windowScaleFactor: 0, flags: NO_FLAGS,
    duplicateAckNum: undefined, duplicateAckFrame: undefined, acksFrame: undefined, ackRtt: undefined, rto: undefined, rtoFrame: undefined, initialRtt: undefined,
    bytesInFlight: undefined, pushBytesSent: undefined, emptyAnalysis: false, timeRelative: 0, timeDelta: 0, completeness: 0, closing: 0, ace: false, infoPrefix: '',
  };
}

/**
 * The verdict of `r`, in `into` (a new emptyVerdict() by default; a pass that reads each verdict
 * at once refills one): the optional fields `r` does not have are undefined.
 */
export function toVerdict(r: RawVerdict, into: TcpSegmentVerdict = emptyVerdict()): TcpSegmentVerdict {
  into.stream = r.stream;
  into.seq = r.seq;
  into.nxtseq = r.nxtseq;
  into.ack = r.ack;
  into.hasAck = r.hasAck;
  into.windowSize = r.windowSize;
  into.windowScaleFactor = r.windowScaleFactor;
  into.flags = flagsObject(r.flags);
  into.timeRelative = r.timeRelativeNs / 1e9;
  into.timeDelta = r.timeDeltaNs / 1e9;
  into.completeness = r.completeness;
  into.closing = r.closing;
  into.ace = r.ace;
  into.rto = r.rtoFrame ? r.rtoNs / 1e9 : undefined;
  into.rtoFrame = r.rtoFrame ? r.rtoFrame : undefined;
  into.infoPrefix = infoPrefix(r.flags, r.dupAckFrame, r.dupAckNum);
  into.duplicateAckNum = r.dupAckNum ? r.dupAckNum : undefined;
  into.duplicateAckFrame = r.dupAckNum ? r.dupAckFrame : undefined;
  into.acksFrame = r.hasAcksFrame ? r.acksFrame : undefined;
  into.ackRtt = r.hasAcksFrame && r.ackRttNs !== 0 ? r.ackRttNs / 1e9 : undefined;
  into.initialRtt = r.hasInitialRtt ? r.initialRttNs / 1e9 : undefined;
  into.bytesInFlight = r.hasBytesInFlight ? r.bytesInFlight : undefined;
  into.pushBytesSent = r.hasBytesInFlight ? r.pushBytesSent : undefined;
  into.emptyAnalysis = r.emptyAnalysis;
  return into;
}

/**
 * Frames per page of columns. A page is allocated when its first frame is stored and dropped
 * when a live capture forgets its last one: the columns never move. (Doubling one set of
 * columns copied and zeroed ~170 MB over a 1M-packet file, ~0.5 s of the session's first pass.)
 */
const PAGE_BITS = 12;
const PAGE = 1 << PAGE_BITS;

/** The columns of PAGE consecutive frames. */
class VerdictPage {
  readonly present = new Uint16Array(PAGE);
  readonly stream = new Uint32Array(PAGE);
  readonly seq = new Uint32Array(PAGE);
  readonly nxtseq = new Uint32Array(PAGE);
  readonly ack = new Uint32Array(PAGE);
  readonly win = new Uint32Array(PAGE);
  readonly scale = new Int32Array(PAGE);
  readonly flags = new Uint16Array(PAGE);
  readonly completeness = new Uint8Array(PAGE);
  readonly closing = new Uint8Array(PAGE);
  readonly dupNum = new Uint32Array(PAGE);
  readonly dupFrame = new Uint32Array(PAGE);
  readonly acksFrame = new Uint32Array(PAGE);
  readonly bif = new Uint32Array(PAGE);
  readonly push = new Uint32Array(PAGE);
  readonly ackRtt = new Float64Array(PAGE);
  readonly irtt = new Float64Array(PAGE);
  readonly trel = new Float64Array(PAGE);
  readonly tdelta = new Float64Array(PAGE);
}

/** Bytes of one page's columns (for the memory report). */
const PAGE_BYTES = PAGE * (2 + 4 * 11 + 2 + 1 + 1 + 8 * 4);

export class VerdictStore {
  /** By frame number >> PAGE_BITS; pages before `firstPage` were forgotten. */
  private readonly pages: Array<VerdictPage | undefined> = [];
  private pageCount = 0;
  private firstPage = 0;
  /** Retransmissions' [RTO ns, RTO frame], by frame: few frames have one. */
  private readonly rto = new Map<number, [number, number]>();
  /** Second and later TCP headers of one frame, keyed "frame:layer". */
  private readonly extra = new Map<string, RawVerdict>();
  /** Frames before this one were forgotten (a live capture's ring evicted them). */
  private base = 0;

  /**
   * Forgets the verdicts of frames before `first` (a live capture's ring evicted them, so nobody
   * can ask again): get() answers null for them at once; a page's memory goes with its last frame.
   */
  forgetBefore(first: number): void {
    if (first <= this.base) return;
    this.base = first;
    const upTo = first >>> PAGE_BITS;
    for (let k = this.firstPage; k < upTo && k < this.pages.length; k++) {
      if (this.pages[k]) this.pageCount--;
      this.pages[k] = undefined;
    }
    if (upTo > this.firstPage) this.firstPage = upTo;
    for (const key of this.extra.keys()) if (Number(key.slice(0, key.indexOf(':'))) < first) this.extra.delete(key);
    for (const frame of this.rto.keys()) if (frame < first) this.rto.delete(frame);
  }

  get(frame: number, layer: number): RawVerdict | null {
    if (layer > 0) return this.extra.get(`${frame}:${layer}`) ?? null;
    if (frame < this.base) return null;
    const g = this.pages[frame >>> PAGE_BITS];
    const i = frame & (PAGE - 1);
    if (!g || !(g.present[i]! & STORED)) return null;
    const p = g.present[i]!;
    const rto = this.rto.get(frame);
    return {
      stream: g.stream[i]!,
      seq: g.seq[i]!,
      nxtseq: g.nxtseq[i]!,
      ack: g.ack[i]!,
      hasAck: (p & HAS_ACK) !== 0,
      windowSize: g.win[i]!,
      windowScaleFactor: g.scale[i]!,
      flags: g.flags[i]!,
      dupAckNum: (p & HAS_DUP) ? g.dupNum[i]! : 0,
      dupAckFrame: (p & HAS_DUP) ? g.dupFrame[i]! : 0,
      acksFrame: g.acksFrame[i]!,
      ackRttNs: (p & HAS_ACK_RTT) ? g.ackRtt[i]! : 0,
      hasAcksFrame: (p & HAS_ACKS_FRAME) !== 0,
      initialRttNs: g.irtt[i]!,
      hasInitialRtt: (p & HAS_IRTT) !== 0,
      bytesInFlight: g.bif[i]!,
      pushBytesSent: g.push[i]!,
      hasBytesInFlight: (p & HAS_BIF) !== 0,
      timeRelativeNs: g.trel[i]!,
      timeDeltaNs: g.tdelta[i]!,
      completeness: g.completeness[i]!,
      closing: g.closing[i]!,
      rtoNs: rto ? rto[0] : 0,
      rtoFrame: rto ? rto[1] : 0,
      ace: (p & ACE) !== 0,
      emptyAnalysis: (p & EMPTY_ANALYSIS) !== 0,
    };
  }

  put(frame: number, layer: number, r: RawVerdict): void {
    if (layer > 0) {
      this.extra.set(`${frame}:${layer}`, { ...r });
      return;
    }
    if (frame < this.base) return; // a frame already forgotten (evicted from a live capture's ring)
    const k = frame >>> PAGE_BITS;
    let g = this.pages[k];
    if (!g) {
      while (this.pages.length < k) this.pages.push(undefined);
      g = this.pages[k] = new VerdictPage();
      this.pageCount++;
    }
    const i = frame & (PAGE - 1);
    let p = STORED;
    if (r.hasAck) p |= HAS_ACK;
    if (r.hasAcksFrame) p |= HAS_ACKS_FRAME;
    if (r.ackRttNs !== 0) p |= HAS_ACK_RTT;
    if (r.hasInitialRtt) p |= HAS_IRTT;
    if (r.hasBytesInFlight) p |= HAS_BIF;
    if (r.dupAckNum) p |= HAS_DUP;
    if (r.ace) p |= ACE;
    if (r.emptyAnalysis) p |= EMPTY_ANALYSIS;
    g.present[i] = p;
    g.stream[i] = r.stream;
    g.seq[i] = r.seq;
    g.nxtseq[i] = r.nxtseq;
    g.ack[i] = r.ack;
    g.win[i] = r.windowSize;
    g.scale[i] = r.windowScaleFactor;
    g.flags[i] = r.flags;
    g.completeness[i] = r.completeness;
    g.closing[i] = r.closing;
    if (r.rtoFrame) this.rto.set(frame, [r.rtoNs, r.rtoFrame]);
    else if (this.rto.size > 0) this.rto.delete(frame);
    g.dupNum[i] = r.dupAckNum;
    g.dupFrame[i] = r.dupAckFrame;
    g.acksFrame[i] = r.acksFrame;
    g.bif[i] = r.bytesInFlight;
    g.push[i] = r.pushBytesSent;
    g.ackRtt[i] = r.ackRttNs;
    g.irtt[i] = r.initialRttNs;
    g.trel[i] = r.timeRelativeNs;
    g.tdelta[i] = r.timeDeltaNs;
  }

  /** Bytes held by the columns (for the memory report). */
  byteSize(): number {
    // The RTO map is left out: an entry per retransmission still in the ring (a small share).
    return this.pageCount * PAGE_BYTES + this.extra.size * 200;
  }
}

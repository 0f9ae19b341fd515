// Per-connection lifecycle: what each endpoint's RFC 9293 (née 793) §3.3.2 state machine did,
// inferred from the segments seen on the wire, plus the handshake, the negotiated options, the
// teardown and plain-words notes. It consumes the (facts, verdict) pairs the TCP dissector and
// the tracker produce (app/dissect/tcp-hook.ts), one segment at a time, so a live capture can
// feed it batch by batch: every result depends only on the order of the segments, never on
// where the batches were cut.
//
// Inference rules (the observer sits between the endpoints, so "received" means "seen going
// towards it"):
//   - client = the sender of the first SYN without ACK; a connection first seen at its SYN-ACK
//     has the SYN-ACK's receiver as client; one first seen mid-connection starts with both
//     endpoints ESTABLISHED and no handshake is invented (client = first sender, roleKnown false).
//   - SYN sent → SYN_SENT; the listener stays LISTEN until it answers; SYN-ACK sent → SYN_RCVD;
//     SYN-ACK received in SYN_SENT → ESTABLISHED; ACK of its SYN received in SYN_RCVD →
//     ESTABLISHED. Two SYNs without ACK crossing = simultaneous open (both SYN_RCVD).
//   - FIN sent from ESTABLISHED → FIN_WAIT_1, from CLOSE_WAIT → LAST_ACK; FIN received in
//     ESTABLISHED → CLOSE_WAIT, in FIN_WAIT_2 → TIME_WAIT, in FIN_WAIT_1 → TIME_WAIT when it also
//     acknowledges our FIN, else CLOSING (simultaneous close); ACK of our FIN received:
//     FIN_WAIT_1 → FIN_WAIT_2, CLOSING → TIME_WAIT, LAST_ACK → CLOSED.
//   - RST: both endpoints CLOSED. A RST answering a SYN before any SYN-ACK = refused.
import type { TcpSegmentFacts, TcpSegmentVerdict } from '../dissect/tcp-hook.js';
import { AddressTable } from './address-table.js';
import { NO_FLAGS } from './verdict-store.js';
import { geSeq } from './seq.js';

const TH_FIN = 0x01, TH_SYN = 0x02, TH_RST = 0x04, TH_ACK = 0x10;

export const TCP_STATES = [
  'CLOSED', 'LISTEN', 'SYN_SENT', 'SYN_RCVD', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2',
  'CLOSING', 'TIME_WAIT', 'CLOSE_WAIT', 'LAST_ACK',
] as const;
export type TcpState = (typeof TCP_STATES)[number];

/** 'client' sent the first SYN (or, without a handshake, the first segment seen). */
export type Side = 'client' | 'server';

/** How a connection ended, in words a user can grep. */
export type EndState = 'closed' | 'refused' | 'reset' | 'half-open' | 'half-closed' | 'still open';

/** How it was torn down. */
export type TeardownKind = 'four-way' | 'three-way' | 'simultaneous' | 'reset' | 'refused' | 'half-close';

export interface EndpointOptions {
  mss?: number;
  wscale?: number;
  sackPerm?: boolean;
  timestamps?: boolean;
}

export interface Endpoint {
  addr: string;
  port: number;
  state: TcpState;
  /** Options announced in this side's SYN / SYN-ACK. */
  options: EndpointOptions;
  frames: number;
  /** Payload bytes (tcp.len summed, retransmissions included). */
  bytes: number;
  dataFrames: number;
  /** First FIN / RST sent by this side. */
  finFrame?: number;
  rstFrame?: number;
  /** Relative sequence number just after this side's FIN (what acknowledges it). */
  finAckSeq?: number;
  finAckedFrame?: number;
  /** Payload bytes sent after the peer's FIN arrived (half-close with data still flowing). */
  bytesAfterPeerFin: number;
  framesAfterPeerFin: number;
}

export interface Handshake {
  synFrame?: number;
  synAckFrame?: number;
  ackFrame?: number;
  /** ACK time - SYN time (seconds), Wireshark's tcp.analysis.initial_rtt (latest SYN). */
  rtt?: number;
  /** SYN-ACK time - SYN time (seconds). */
  synAckRtt?: number;
  /** When the first SYN-ACK was captured (seconds since the epoch, like startTime). */
  synAckTime?: number;
  /** SYNs / SYN-ACKs sent more than once. */
  synRetransmissions: number;
  synAckRetransmissions: number;
  simultaneousOpen: boolean;
  complete: boolean;
  /**
   * The client acknowledged a SYN-ACK the capture does not have (only one direction captured,
   * or lost before the capture point): the handshake completed, unseen.
   */
  synAckNotCaptured: boolean;
  /**
   * The server, after its SYN-ACK, acknowledged client data or sent its own: the client's ACK
   * reached it, and the capture missed it. The handshake completed, unseen.
   */
  ackNotCaptured: boolean;
}

export interface Negotiated {
  mss: { client?: number; server?: number };
  /** Shift counts in effect (both sides must offer window scaling, RFC 7323 §2.2). */
  windowScale: { client: number; server: number } | null;
  sack: boolean;
  timestamps: boolean;
}

export interface Teardown {
  kind: TeardownKind | null;
  /** Who sent the first FIN. */
  closedFirstBy?: Side;
  /** Who sent the first RST. */
  resetBy?: Side;
  /** A side kept sending data after the other's FIN. */
  halfCloseData?: { side: Side; bytes: number; frames: number };
}

export interface LifecycleNotes {
  retransmissions: number;
  fastRetransmissions: number;
  spuriousRetransmissions: number;
  outOfOrder: number;
  lostSegments: number;
  duplicateAcks: number;
  zeroWindow: number;
  zeroWindowProbes: number;
  keepAlive: number;
  windowFull: number;
  reusedPorts: number;
}

/** One state change of one endpoint. */
export interface Transition {
  frame: number;
  side: Side;
  from: TcpState;
  to: TcpState;
}

/** One segment as the ladder shows it (kept when LifecycleOptions.keepSegments). */
export interface SegmentRecord {
  frame: number;
  time: number;
  from: Side;
  flags: number;
  /** The AE, CWR and ECE bits are Accurate ECN's ACE counter (TcpSegmentVerdict.ace). */
  ace: boolean;
  seq: number;
  ack: number;
  hasAck: boolean;
  len: number;
  window: number;
  analysis: string[];
  /** States after this segment. */
  client: TcpState;
  server: TcpState;
}

export interface ConnectionLifecycle {
  stream: number;
  client: Endpoint;
  server: Endpoint;
  /** False when the capture starts mid-connection: who is client is a guess (first sender). */
  roleKnown: boolean;
  firstFrame: number;
  lastFrame: number;
  startTime: number;
  endTime: number;
  handshake: Handshake;
  negotiated: Negotiated;
  teardown: Teardown;
  end: EndState;
  notes: LifecycleNotes;
  /** Wireshark's tcp.completeness (last verdict). */
  completeness: number;
  transitions: Transition[];
  segments?: SegmentRecord[];
}

export type LifecycleEventType = 'opened' | 'established' | 'closing' | 'closed' | 'reset' | 'refused';

export interface LifecycleEvent {
  type: LifecycleEventType;
  stream: number;
  frame: number;
  time: number;
  /** For closing/reset: who did it. */
  by?: Side;
}

/**
 * Connections a live capture forgot (every frame evicted from the ring, then quiet; see the
 * tracker's FORGET_CLOSED_AFTER_S) keep their record, without the transitions, for tcp.connections
 * and tcp.lifecycle: at most this many (about 1 KB each), the oldest dropped first and counted.
 */
export const MAX_FORGOTTEN_SUMMARIES = 5000;

export interface LifecycleOptions {
  /** Keep every segment for the ladder (memory grows with packets). Default false. */
  keepSegments?: boolean;
  /** TcpHealth only: run the detectors (SYN flood, port scan, unanswered SYN). Default true. */
  alerts?: boolean;
  /** Keep each connection's state transitions (the ladder, the timeline). Default true. */
  transitions?: boolean;
  /**
   * push() returns the events each segment caused (opened, established, ...). Default true;
   * false for a pass that only reads the records at the end (the conversation table): 60k
   * connections made ~250k event objects nobody read.
   */
  events?: boolean;
}

// The records below are made with every property they will ever get, the optional ones
// undefined: a property added later moves an object's properties out of line (one more object
// per record) and changes its shape. A capture of 60k connections kept ~240k such out-of-line
// property arrays for the young-generation collector to copy.

function newEndpoint(addr: string, port: number, state: TcpState): Endpoint {
  return {
    addr, port, state, options: NO_OPTIONS, frames: 0, bytes: 0, dataFrames: 0,
    finFrame: undefined, rstFrame: undefined, finAckSeq: undefined, finAckedFrame: undefined, bytesAfterPeerFin: 0, framesAfterPeerFin: 0,
  };
}

/** The MSS values before a SYN is seen (replaced, never modified). */
const NO_MSS: Negotiated['mss'] = Object.freeze({});
/** An endpoint's options before its SYN or SYN-ACK is seen (replaced, never modified). */
const NO_OPTIONS: EndpointOptions = Object.freeze({});
/** The transitions of every connection when they are not kept (LifecycleOptions.transitions false). */
const NO_TRANSITIONS: Transition[] = Object.freeze([]) as unknown as Transition[];
/** What push() returns for a segment that caused no event (most of them). */
const NO_EVENTS: LifecycleEvent[] = Object.freeze([]) as unknown as LifecycleEvent[];

function newNotes(): LifecycleNotes {
  return {
    retransmissions: 0, fastRetransmissions: 0, spuriousRetransmissions: 0, outOfOrder: 0, lostSegments: 0,
    duplicateAcks: 0, zeroWindow: 0, zeroWindowProbes: 0, keepAlive: 0, windowFull: 0, reusedPorts: 0,
  };
}

/** The notes of a connection until its first analysis flag (most never get one): replaced, never modified. */
const NO_NOTES: LifecycleNotes = Object.freeze(newNotes());

// The small records below have a handful of distinct values in a capture (every Linux SYN offers
// the same options): one frozen copy of each value is shared by every connection that has it
// (replaced, never modified), instead of two or three objects per connection.
const SHARED_LIMIT = 4096;
const sharedOptions = new Map<number, EndpointOptions>();
const sharedMss = new Map<number, Negotiated['mss']>();
const sharedWindowScale = new Map<number, { client: number; server: number }>();

/** The shared copy of `v` under `key` (v itself the first time: callers look the key up first, so no value is made for a known key). */
function share<T extends object>(m: Map<number, T>, key: number, v: T): T {
  if (m.size >= SHARED_LIMIT) m.clear();
  m.set(key, Object.freeze(v));
  return v;
}

function optionsOf(f: TcpSegmentFacts): EndpointOptions {
  const { mss, wscale, sackPerm, tsval } = f.options;
  // mss < 65536, wscale < 256: one integer per combination.
  const key = ((mss ?? -1) + 1) * 1024 + ((wscale ?? -1) + 1) * 4 + (sackPerm ? 2 : 0) + (tsval !== undefined ? 1 : 0);
  const known = sharedOptions.get(key);
  if (known) return known;
  const o: EndpointOptions = {};
  if (mss !== undefined) o.mss = mss;
  if (wscale !== undefined) o.wscale = wscale;
  if (sackPerm) o.sackPerm = true;
  if (tsval !== undefined) o.timestamps = true;
  return share(sharedOptions, key, o);
}

/** Working state of one connection (the public record plus what inference needs). */
class Tracked {
  readonly life: ConnectionLifecycle;
  clientAddrBytes: Uint8Array;
  clientPort: number;
  lastSynTime = -1;
  sawSynAck = false;
  /** Did the server's FIN reach the client / the client's FIN reach the server? */
  clientSawPeerFin = false;
  serverSawPeerFin = false;
  ackedSeparately = false;
  closedEmitted = false;

  constructor(stream: number, f: TcpSegmentFacts, keep: boolean, keepTransitions: boolean, addresses: AddressTable) {
    const synOnly = (f.flags & (TH_SYN | TH_ACK)) === TH_SYN;
    const synAck = (f.flags & (TH_SYN | TH_ACK)) === (TH_SYN | TH_ACK);
    // The SYN-ACK's receiver is the client; otherwise the first sender is.
    const fromClient = !synAck;
    this.clientAddrBytes = addresses.bytes(fromClient ? f.netSrc : f.netDst);
    this.clientPort = fromClient ? f.srcPort : f.dstPort;
    const cAddr = addresses.text(fromClient ? f.netSrc : f.netDst), sAddr = addresses.text(fromClient ? f.netDst : f.netSrc);
    const cPort = fromClient ? f.srcPort : f.dstPort, sPort = fromClient ? f.dstPort : f.srcPort;
    const handshakeSeen = synOnly || synAck;
    // Before a SYN: client CLOSED, server LISTEN (it may turn out to be closed: refused).
    // Before a SYN-ACK: the client has sent its (unseen) SYN.
    // Mid-connection: both ESTABLISHED, nothing invented.
    const cState: TcpState = synOnly ? 'CLOSED' : synAck ? 'SYN_SENT' : 'ESTABLISHED';
    const sState: TcpState = handshakeSeen ? 'LISTEN' : 'ESTABLISHED';
    this.life = {
      stream,
      client: newEndpoint(cAddr, cPort, cState),
      server: newEndpoint(sAddr, sPort, sState),
      roleKnown: handshakeSeen,
      firstFrame: f.frame,
      lastFrame: f.frame,
      startTime: f.time,
      endTime: f.time,
      handshake: {
        synFrame: undefined, synAckFrame: undefined, ackFrame: undefined, rtt: undefined, synAckRtt: undefined, synAckTime: undefined,
        synRetransmissions: 0, synAckRetransmissions: 0, simultaneousOpen: false, complete: false, synAckNotCaptured: false, ackNotCaptured: false,
      },
      negotiated: { mss: NO_MSS, windowScale: null, sack: false, timestamps: false },
      teardown: { kind: null, closedFirstBy: undefined, resetBy: undefined, halfCloseData: undefined },
      end: handshakeSeen ? 'half-open' : 'still open',
      notes: NO_NOTES,
      completeness: 0,
      transitions: keepTransitions ? [] : NO_TRANSITIONS,
      segments: keep ? [] : undefined,
    };
  }

  isFromClient(f: TcpSegmentFacts): boolean {
    if (f.srcPort !== this.clientPort) return false;
    const a = this.clientAddrBytes, b = f.netSrc;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
}

/**
 * Builds connection lifecycles from (facts, verdict) pairs in capture order. `push` returns the
 * events the segment caused; `connections()` gives the records so far (live objects: they keep
 * changing while more segments arrive).
 */
export class LifecycleTracker {
  /** By tcp.stream: the numbers are dense from 0, so an array (a Map lookup cost more per segment). */
  private readonly byStream: Array<Tracked | undefined> = [];
  private tracked = 0;
  /** Forgotten connections' records, oldest first (bounded by MAX_FORGOTTEN_SUMMARIES). */
  private readonly summaries = new Map<number, ConnectionLifecycle>();
  /** Forgotten connections whose record was dropped too. */
  droppedSummaries = 0;
  private readonly keep: boolean;
  private readonly keepTransitions: boolean;
  private readonly emit: boolean;
  private readonly listeners: Array<(e: LifecycleEvent, c: ConnectionLifecycle) => void> = [];
  /** The connections' addresses, as bytes and as text. */
  private readonly addresses = new AddressTable();
  /** The events of the segment being pushed (emptied before push returns). */
  private readonly events: LifecycleEvent[] = [];

  constructor(options: LifecycleOptions = {}) {
    this.keep = options.keepSegments === true;
    this.keepTransitions = options.transitions !== false;
    this.emit = options.events !== false;
  }

  /** Called for every event, in order (alerts.ts listens here). */
  onEvent(fn: (e: LifecycleEvent, c: ConnectionLifecycle) => void): void {
    this.listeners.push(fn);
  }

  connection(stream: number): ConnectionLifecycle | undefined {
    return this.byStream[stream]?.life ?? this.summaries.get(stream);
  }

  /** All connections in stream order (the forgotten ones whose summary is kept included). */
  connections(): ConnectionLifecycle[] {
    const out = [...this.summaries.values()];
    for (const t of this.byStream) if (t) out.push(t.life);
    return out.sort((a, b) => a.stream - b.stream);
  }

  /** Connections tracked now (without the summaries). */
  get size(): number {
    return this.tracked;
  }

  /** The tracker forgot this stream (a live ring evicted all of it): keep only its summary. */
  forget(stream: number): void {
    const t = this.byStream[stream];
    if (!t) return;
    this.byStream[stream] = undefined;
    this.tracked--;
    const life = t.life;
    life.transitions = NO_TRANSITIONS;
    life.segments = undefined;
    this.summaries.set(stream, life);
    if (this.summaries.size > MAX_FORGOTTEN_SUMMARIES) {
      this.summaries.delete(this.summaries.keys().next().value!);
      this.droppedSummaries++;
    }
  }

  /** Consumes one segment. ICMP-quoted headers (inErrorPacket) are not part of a connection. */
  push(f: TcpSegmentFacts, v: TcpSegmentVerdict): LifecycleEvent[] {
    if (f.inErrorPacket || f.hdrLen < 20) return [];
    // Filled only when something happens: an array for every segment was most of the garbage
    // the conversation table's pass made.
    const events = this.events;
    let t = this.byStream[v.stream];
    if (!t) {
      t = new Tracked(v.stream, f, this.keep, this.keepTransitions, this.addresses);
      this.byStream[v.stream] = t;
      this.tracked++;
      if (this.emit) events.push({ type: 'opened', stream: v.stream, frame: f.frame, time: f.time });
    }
    this.step(t, f, v, events);
    if (events.length === 0) return NO_EVENTS;
    const out = events.slice();
    events.length = 0;
    for (const e of out) for (const fn of this.listeners) fn(e, t.life);
    return out;
  }

  /** Consumes a batch; the same events as pushing its segments one by one. */
  pushBatch(batch: Iterable<readonly [TcpSegmentFacts, TcpSegmentVerdict]>): LifecycleEvent[] {
    const out: LifecycleEvent[] = [];
    for (const [f, v] of batch) out.push(...this.push(f, v));
    return out;
  }

  private step(t: Tracked, f: TcpSegmentFacts, v: TcpSegmentVerdict, events: LifecycleEvent[]): void {
    const L = t.life;
    const fromClient = t.isFromClient(f);
    const side: Side = fromClient ? 'client' : 'server';
    const me = fromClient ? L.client : L.server;
    const peer = fromClient ? L.server : L.client;
    const peerSide: Side = fromClient ? 'server' : 'client';
    const flags = f.flags;
    const syn = (flags & TH_SYN) !== 0, ack = (flags & TH_ACK) !== 0, fin = (flags & TH_FIN) !== 0, rst = (flags & TH_RST) !== 0;
    const len = f.haveSegLen === false ? 0 : f.len;
    const H = L.handshake;

    L.lastFrame = f.frame;
    L.endTime = f.time;
    L.completeness = v.completeness;
    me.frames++;
    if (len > 0) {
      me.bytes += len;
      me.dataFrames++;
      if (fromClient ? t.clientSawPeerFin : t.serverSawPeerFin) {
        me.bytesAfterPeerFin += len;
        me.framesAfterPeerFin++;
      }
    }
    this.countNotes(L, v);
    const wasEstablished = L.client.state === 'ESTABLISHED' && L.server.state === 'ESTABLISHED';

    if (ack && !syn && me.state === 'SYN_RCVD' && !fromClient && !H.simultaneousOpen && (v.ack > 1 || (f.haveSegLen !== false && f.len > 0))) {
      // A server after its SYN-ACK that acknowledges client data (or a FIN), or sends its own,
      // has had the client's handshake ACK (TCP Fast Open aside), which the capture missed (only
      // one direction captured, or lost before the capture point): the handshake completed.
      H.ackNotCaptured = true;
      H.complete = true;
      this.setState(L, f.frame, me, side, 'ESTABLISHED');
      if (peer.state !== 'ESTABLISHED') this.setState(L, f.frame, peer, peerSide, 'ESTABLISHED');
    }

    if (rst) {
      // Refused: the SYN's answer is a RST, no SYN-ACK ever (RFC 9293 §3.5.2 reset generation
      // for a segment to a CLOSED port).
      const refused = !fromClient && !t.sawSynAck && H.synFrame !== undefined && L.end === 'half-open';
      if (me.rstFrame === undefined) me.rstFrame = f.frame;
      const first = L.end !== 'reset' && L.end !== 'refused';
      this.setState(L, f.frame, me, side, 'CLOSED');
      this.setState(L, f.frame, peer, peerSide, 'CLOSED');
      if (first) {
        if (refused) {
          L.end = 'refused';
          L.teardown.kind = 'refused';
          L.teardown.resetBy = 'server';
          if (this.emit) events.push({ type: 'refused', stream: L.stream, frame: f.frame, time: f.time, by: 'server' });
        } else if (L.end !== 'closed') {
          L.end = 'reset';
          L.teardown.kind = 'reset';
          L.teardown.resetBy = side;
          if (this.emit) events.push({ type: 'reset', stream: L.stream, frame: f.frame, time: f.time, by: side });
        }
      }
      this.record(t, f, v, side);
      return;
    }

    if (syn && !ack) {
      if (fromClient) {
        if (H.synFrame !== undefined) H.synRetransmissions++;
        else H.synFrame = f.frame;
        // Stream-relative times (exact nanosecond differences from the tracker), not the float
        // epoch time, so RTTs keep their precision.
        t.lastSynTime = v.timeRelative;
        me.options = optionsOf(f);
        if (me.state === 'CLOSED') this.setState(L, f.frame, me, side, 'SYN_SENT');
      } else {
        // A SYN from the listener side: simultaneous open (RFC 9293 §3.5 figure 8).
        H.simultaneousOpen = true;
        me.options = optionsOf(f);
        this.setState(L, f.frame, me, side, 'SYN_RCVD');
        this.setState(L, f.frame, peer, peerSide, 'SYN_RCVD');
        L.roleKnown = true;
      }
    } else if (syn && ack) {
      if (t.sawSynAck) H.synAckRetransmissions++;
      else {
        H.synAckFrame = f.frame;
        H.synAckTime = f.time;
        if (t.lastSynTime >= 0) H.synAckRtt = v.timeRelative - t.lastSynTime;
      }
      t.sawSynAck = true;
      if (!H.simultaneousOpen) {
        me.options = optionsOf(f);
        if (me.state === 'LISTEN' || me.state === 'CLOSED') this.setState(L, f.frame, me, side, 'SYN_RCVD');
        if (peer.state === 'SYN_SENT') this.setState(L, f.frame, peer, peerSide, 'ESTABLISHED');
      } else if (peer.state === 'SYN_RCVD' && ack) {
        this.setState(L, f.frame, peer, peerSide, 'ESTABLISHED');
      }
    }

    // The ACK field acknowledges the peer's SYN / FIN.
    if (ack && !syn) {
      if (peer.state === 'SYN_RCVD' && v.ack >= 1) {
        this.setState(L, f.frame, peer, peerSide, 'ESTABLISHED');
        if (H.ackFrame === undefined && fromClient) {
          H.ackFrame = f.frame;
          // tcp.analysis.initial_rtt when the tracker has it (same rule: ACK - latest SYN).
          if (v.initialRtt !== undefined) H.rtt = v.initialRtt;
          else if (t.lastSynTime >= 0) H.rtt = v.timeRelative - t.lastSynTime;
        }
      }
      if (me.state === 'SYN_SENT' && t.sawSynAck) this.setState(L, f.frame, me, side, 'ESTABLISHED');
      else if (me.state === 'SYN_SENT' && fromClient && !H.simultaneousOpen) {
        // A client in SYN_SENT sends nothing but SYNs until a SYN-ACK reaches it (RFC 9293
        // §3.10.7.3): this ACK answers one the capture missed, and completes the handshake.
        H.synAckNotCaptured = true;
        H.complete = true;
        H.ackFrame = f.frame;
        this.setState(L, f.frame, peer, peerSide, 'SYN_RCVD');
        this.setState(L, f.frame, me, side, 'ESTABLISHED');
        this.setState(L, f.frame, peer, peerSide, 'ESTABLISHED');
      }
    }
    if (ack && peer.finAckSeq !== undefined && peer.finAckedFrame === undefined && geSeq(v.ack, peer.finAckSeq)) {
      peer.finAckedFrame = f.frame;
      if (!fin) t.ackedSeparately = true;
      if (peer.state === 'FIN_WAIT_1') this.setState(L, f.frame, peer, peerSide, fin ? 'FIN_WAIT_1' : 'FIN_WAIT_2');
      else if (peer.state === 'CLOSING') this.setState(L, f.frame, peer, peerSide, 'TIME_WAIT');
      else if (peer.state === 'LAST_ACK') this.setState(L, f.frame, peer, peerSide, 'CLOSED');
    }

    if (fin) {
      const firstFin = me.finFrame === undefined;
      if (firstFin) {
        me.finFrame = f.frame;
        me.finAckSeq = v.nxtseq;
        const peerFinAcked = peer.finAckSeq !== undefined && ack && geSeq(v.ack, peer.finAckSeq);
        if (peer.finFrame === undefined) {
          // The first FIN of the connection.
          L.teardown.closedFirstBy = side;
          this.setState(L, f.frame, me, side, 'FIN_WAIT_1');
          this.setState(L, f.frame, peer, peerSide, 'CLOSE_WAIT');
          if (this.emit) events.push({ type: 'closing', stream: L.stream, frame: f.frame, time: f.time, by: side });
        } else if (peerFinAcked) {
          // The answering FIN: LAST_ACK here; the first closer gets its FIN acked and this FIN.
          this.setState(L, f.frame, me, side, 'LAST_ACK');
          this.setState(L, f.frame, peer, peerSide, 'TIME_WAIT');
          L.teardown.kind = t.ackedSeparately && peer.finAckedFrame !== f.frame ? 'four-way' : 'three-way';
        } else {
          // Both FINs crossed: simultaneous close, both CLOSING until their FIN is acked.
          this.setState(L, f.frame, me, side, 'CLOSING');
          this.setState(L, f.frame, peer, peerSide, 'CLOSING');
          L.teardown.kind = 'simultaneous';
        }
        if (fromClient) t.serverSawPeerFin = true;
        else t.clientSawPeerFin = true;
      }
    }

    // End state after this segment.
    if (L.end !== 'reset' && L.end !== 'refused') {
      const established = L.client.state === 'ESTABLISHED' && L.server.state === 'ESTABLISHED';
      if (!wasEstablished && established && (H.synFrame !== undefined || t.sawSynAck)) {
        H.complete = true;
        if (this.emit) events.push({ type: 'established', stream: L.stream, frame: f.frame, time: f.time });
      }
      const bothFin = L.client.finFrame !== undefined && L.server.finFrame !== undefined;
      const oneFin = L.client.finFrame !== undefined || L.server.finFrame !== undefined;
      if (bothFin) {
        L.end = 'closed';
        const lastCloser = L.client.finFrame! > L.server.finFrame! ? L.client : L.server;
        if (!t.closedEmitted && lastCloser.finAckedFrame !== undefined) {
          t.closedEmitted = true;
          if (this.emit) events.push({ type: 'closed', stream: L.stream, frame: f.frame, time: f.time });
        }
      } else if (oneFin) L.end = 'half-closed';
      else if (H.complete || (!L.roleKnown)) L.end = 'still open';
      else if (L.client.state === 'ESTABLISHED' && L.server.state === 'ESTABLISHED') L.end = 'still open';
      else L.end = 'half-open';
    }
    // Data after the peer's FIN: a half-close with data still flowing.
    const hc = L.client.bytesAfterPeerFin > 0 ? L.client : L.server.bytesAfterPeerFin > 0 ? L.server : null;
    if (hc) {
      const hcSide: Side = hc === L.client ? 'client' : 'server';
      const d = L.teardown.halfCloseData;
      // Updated in place: this runs for every segment of a half-closed connection.
      if (d && d.side === hcSide) {
        d.bytes = hc.bytesAfterPeerFin;
        d.frames = hc.framesAfterPeerFin;
      } else L.teardown.halfCloseData = { side: hcSide, bytes: hc.bytesAfterPeerFin, frames: hc.framesAfterPeerFin };
    }
    if (L.end === 'half-closed' && !L.teardown.kind) L.teardown.kind = 'half-close';
    // Options and the handshake frames it reads change only with a SYN.
    if (syn) this.negotiate(L);
    this.record(t, f, v, side);
  }

  /** One endpoint's state change at `frame` (a transition is recorded when they are kept). */
  private setState(L: ConnectionLifecycle, frame: number, ep: Endpoint, epSide: Side, to: TcpState): void {
    if (ep.state === to) return;
    if (this.keepTransitions) L.transitions.push({ frame, side: epSide, from: ep.state, to });
    ep.state = to;
  }

  private negotiate(L: ConnectionLifecycle): void {
    const c = L.client.options, s = L.server.options;
    const mssKey = (c.mss ?? -1) + 1 + ((s.mss ?? -1) + 1) * 65537;
    let mss = sharedMss.get(mssKey);
    if (!mss) {
      mss = {};
      if (c.mss !== undefined) mss.client = c.mss;
      if (s.mss !== undefined) mss.server = s.mss;
      share(sharedMss, mssKey, mss);
    }
    L.negotiated.mss = mss;
    const sawBoth = L.handshake.synFrame !== undefined && (L.handshake.synAckFrame !== undefined || L.handshake.simultaneousOpen);
    if (sawBoth && c.wscale !== undefined && s.wscale !== undefined) {
      const client = Math.min(c.wscale, 14), server = Math.min(s.wscale, 14);
      L.negotiated.windowScale = sharedWindowScale.get(client * 16 + server) ?? share(sharedWindowScale, client * 16 + server, { client, server });
    } else L.negotiated.windowScale = null;
    L.negotiated.sack = sawBoth && !!c.sackPerm && !!s.sackPerm;
    L.negotiated.timestamps = sawBoth && !!c.timestamps && !!s.timestamps;
  }

  private countNotes(L: ConnectionLifecycle, v: TcpSegmentVerdict): void {
    const a = v.flags;
    if (a === NO_FLAGS) return;
    const n = L.notes === NO_NOTES ? (L.notes = newNotes()) : L.notes;
    if (a.retransmission || a.fast_retransmission || a.spurious_retransmission) n.retransmissions++;
    if (a.fast_retransmission) n.fastRetransmissions++;
    if (a.spurious_retransmission) n.spuriousRetransmissions++;
    if (a.out_of_order) n.outOfOrder++;
    if (a.lost_segment) n.lostSegments++;
    if (a.duplicate_ack) n.duplicateAcks++;
    if (a.zero_window) n.zeroWindow++;
    if (a.zero_window_probe) n.zeroWindowProbes++;
    if (a.keep_alive) n.keepAlive++;
    if (a.window_full) n.windowFull++;
    if (a.reused_ports) n.reusedPorts++;
  }

  private record(t: Tracked, f: TcpSegmentFacts, v: TcpSegmentVerdict, side: Side): void {
    const segs = t.life.segments;
    if (!segs) return;
    const analysis: string[] = [];
    for (const [k, on] of Object.entries(v.flags)) if (on) analysis.push(k);
    segs.push({
      frame: f.frame, time: f.time, from: side, flags: f.flags, ace: v.ace,
      seq: f.haveSegLen === false ? f.seq : v.seq, ack: v.hasAck ? v.ack : 0, hasAck: v.hasAck,
      len: f.haveSegLen === false ? 0 : f.len, window: v.windowSize, analysis,
      client: t.life.client.state, server: t.life.server.state,
    });
  }
}

/** Wireshark's tcp.completeness spelled out, with the teardown in words. */
export function completenessSentence(c: ConnectionLifecycle): string {
  const parts: string[] = [];
  const H = c.handshake;
  if (c.end === 'refused') return `SYN from client refused by server (RST)${H.synRetransmissions ? `, ${H.synRetransmissions} SYN retransmission(s)` : ''}`;
  if (!c.roleKnown) parts.push('no handshake seen (capture started mid-connection)');
  else if (H.complete) parts.push(H.simultaneousOpen ? 'handshake complete (simultaneous open)' : H.synAckNotCaptured ? 'handshake complete (SYN-ACK not captured)'
    : H.ackNotCaptured ? 'handshake complete (ACK not captured)' : 'handshake complete');
  else if (H.synAckFrame !== undefined) parts.push('handshake incomplete (SYN-ACK never acknowledged)');
  else parts.push('SYN never answered');
  const cd = c.client.bytes > 0, sd = c.server.bytes > 0;
  parts.push(cd && sd ? 'data both ways' : cd ? 'data from client only' : sd ? 'data from server only' : 'no data');
  const td = c.teardown;
  if (c.end === 'reset') parts.push(`reset by ${td.resetBy}`);
  else if (c.end === 'closed') {
    const how = td.kind === 'three-way' ? 'a three-packet FIN/ACK' : td.kind === 'simultaneous' ? 'a simultaneous close' : 'a four-way FIN/ACK';
    parts.push(`closed by ${td.closedFirstBy} with ${how}`);
  } else if (c.end === 'half-closed') parts.push(`half-closed by ${td.closedFirstBy}`);
  else if (c.end === 'still open') parts.push('still open');
  if (td.halfCloseData) parts.push(`${td.halfCloseData.side} sent ${td.halfCloseData.bytes} bytes after the ${td.halfCloseData.side === 'client' ? 'server' : 'client'}'s FIN`);
  return parts.join(', ');
}

/** Plain-word notes (keep-alive, zero window, retransmissions ...) for a connection. */
export function noteWords(c: ConnectionLifecycle): string[] {
  const n = c.notes, out: string[] = [];
  if (n.keepAlive) out.push(`keep-alive (${n.keepAlive})`);
  if (n.zeroWindow) out.push(`zero window (${n.zeroWindow})`);
  if (n.zeroWindowProbes) out.push(`zero window probes (${n.zeroWindowProbes})`);
  if (n.retransmissions) out.push(`retransmissions (${n.retransmissions})`);
  if (n.fastRetransmissions) out.push(`fast retransmissions (${n.fastRetransmissions})`);
  if (n.duplicateAcks) out.push(`duplicate ACKs (${n.duplicateAcks})`);
  if (n.outOfOrder) out.push(`out of order (${n.outOfOrder})`);
  if (n.lostSegments) out.push(`previous segment not captured (${n.lostSegments})`);
  if (n.windowFull) out.push(`window full (${n.windowFull})`);
  if (n.reusedPorts) out.push('port numbers reused');
  if (c.handshake.synRetransmissions) out.push(`SYN retransmitted (${c.handshake.synRetransmissions})`);
  if (c.handshake.simultaneousOpen) out.push('simultaneous open');
  return out;
}

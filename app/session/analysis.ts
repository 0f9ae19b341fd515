// The session's in-order pass over a capture (Wireshark's first pass): every frame is
// dissected once, in order, with the TCP tracker attached, so that later random access (rows,
// the detail tree, a second filter pass) sees the verdicts the in-order pass decided. The same
// pass feeds the conversation table, the TCP lifecycle and health alerts (app/tcp/report.ts's
// PacketObserver and ConvAccumulator), a tcp.stream column per frame, the endpoint counts, and
// the values seen for the filter editor's completion. On a file a pre-pass over the headers
// (observeAhead) runs first and does the counting (conversations, lifecycles, alerts,
// endpoints), so those tables come seconds before the full pass ends.
import { CaptureState, dissect, type Dissection, type DissectOptions, type FrameInput } from '../dissect/driver.js';
import { fieldByName } from '../dissect/field.js';
import { secondsBetween } from '../dissect/tree.js';
import type { TcpAlert } from '../tcp/alerts.js';
import type { LifecycleEvent } from '../tcp/lifecycle.js';
import { FastObserver } from '../tcp/fast-observe.js';
import type { TcpSegmentFacts, TcpSegmentVerdict } from '../dissect/tcp-hook.js';
import { ConvAccumulator } from '../tcp/conv-table.js';
import { PacketObserver, type DirectSink, type PacketObservation } from '../tcp/report.js';
import { createTcpTracker } from '../tcp/tracker.js';
import { forgetTcpConversations } from '../dissect/protocols/tcp.js';
import { takeForgottenUdpStreams } from '../dissect/protocols/udp.js';
import type { FrameStore } from '../store/frame-store.js';
import { EndpointTable } from '../stats/endpoint-table.js';
import { ExpertTable, expertTapFieldIds } from '../stats/expert-table.js';
import { ColumnTexts } from './column-texts.js';
import { dropDue, dropFront, grownColumn } from './frame-columns.js';
import { LayerSets, PRESENCE_FIELDS, type LayerSet } from './layer-source.js';
import { CompletionValues, COLLECTED_FIELD_IDS } from './value-sets.js';

/**
 * A live capture keeps endpoint rows for at most this many addresses (about 150 bytes each);
 * later new addresses are counted in endpoints.dropped. A file keeps all of them, as tshark's
 * -z endpoints does: the file is finite, a capture on a public-facing host is not.
 */
export const MAX_LIVE_ENDPOINTS = 100_000;

function fieldId(name: string): number {
  const f = fieldByName(name);
  if (!f) throw new Error(`field ${name} is not registered`);
  return f.id;
}

/** tcp.stream: the pass keeps it per frame. */
const TCP_STREAM = fieldId('tcp.stream');

/**
 * The capture state the pre-pass dissects its refused frames with: the TCP tracker (through
 * the observer's recorder) and UDP's stream numbering are the pass's own, so numbers and
 * verdicts are decided once, in frame order, whichever pass gets to a frame first; every other
 * protocol's state (IP reassembly, TCP desegmentation, request/response tables) is the
 * pre-pass's own, so the full pass still builds its state in order from frame 1. The pre-pass
 * sees every IP fragment in order (the fast path refuses them all), so its own reassembly
 * completes the same datagrams in the same frames as the pass's.
 */
class PrePassState extends CaptureState {
  private static readonly SHARED = new Set(['tcp.analyzer', 'udp.conversations']);

  constructor(private readonly pass: CaptureState) {
    super();
  }

  // A shared slot's state is the pass's: made by init(pass), so it forgets with the pass.
  override get<T>(key: string, init: (capture: CaptureState) => T): T {
    return PrePassState.SHARED.has(key) ? this.pass.get(key, init) : super.get(key, init);
  }

  override peek<T>(key: string): T | undefined {
    return PrePassState.SHARED.has(key) ? this.pass.peek(key) : super.peek(key);
  }
}

export class Analysis {
  readonly capture = new CaptureState();
  readonly tracker = createTcpTracker();
  readonly observer = new PacketObserver(this.tracker);
  /**
   * Without each connection's state transitions: a ladder replays its connection with a tracker
   * of its own (Session.lifecycle), and the 1M-packet capture's 60k connections kept 526k of them
   * (~34 MB) that nothing read.
   */
  readonly conv = new ConvAccumulator({ transitions: false });
  /** Frames passed, in order: frames 1..frontier have been dissected once. */
  frontier = 0;
  /**
   * Frames 1..observed went through the observer (conversations, lifecycles, alerts): the
   * pre-pass (observeAhead) runs ahead of the full pass on the headers alone, so the
   * connection list of a big file is there long before every frame was dissected in full.
   */
  observed = 0;
  private readonly prePassState = new PrePassState(this.capture);
  /**
   * The pre-pass's header path, on the pre-pass's state: a connection an FTP control channel
   * announced is one the pre-pass's own dissection of that channel announced (the tracker's
   * verdicts depend on it: tcp.completeness).
   */
  private readonly fastObserver = new FastObserver(this.prePassState, this.tracker);
  private readonly prePassWanted = new Set([...this.observer.wanted, TCP_STREAM]);
  /** Frames the pass could not see (evicted from the ring before it got to them, or skipped). */
  skipped = 0;
  /** Frame ranges [first, last] the pass skipped; they were never analysed. */
  private readonly skippedRanges: Array<[number, number]> = [];
  /** tcp.stream per frame, for frames colBase.. (-1: none); trimmed as a ring evicts frames. */
  private tcpStreamCol = new Int32Array(1024).fill(-1);
  /** What the pass remembers of each frame's dissection, as an id into layerSets, per frame from colBase. */
  private layerCol = new Uint16Array(1024);
  /** Distinct layer lists seen; [0] = not analysed. */
  private readonly layerSets = new LayerSets();
  private colBase = 1;
  /** Each analysed frame's Source, Destination and Protocol, for sorting by them. */
  readonly columnTexts = new ColumnTexts();
  private readonly values = new CompletionValues();
  /** The endpoint table (a live capture bounds its rows: maxRows). */
  readonly endpoints = new EndpointTable();
  /** The expert notes of the frames the full pass dissected (Analyze → Expert Information). */
  readonly experts = new ExpertTable();
  private readonly wantedBase: Set<number>;
  private alertsSeen = 0;
  /** Lifecycle events and alerts since the last drain (the session batches them). */
  private pendingEvents: LifecycleEvent[] = [];
  private pendingAlerts: TcpAlert[] = [];

  constructor() {
    this.observer.attach(this.capture);
    // Recording only around the dissections that are observed (observedDissection).
    this.observer.recording = false;
    // With the fields some dissectors make notes on only when they are wanted (expert-table.ts).
    this.wantedBase = new Set([...this.observer.wanted, ...COLLECTED_FIELD_IDS, ...PRESENCE_FIELDS, ...expertTapFieldIds()]);
    this.conv.health.lifecycle.onEvent((e) => {
      if (this.pendingEvents.length < 10_000) this.pendingEvents.push(e);
    });
  }

  /**
   * Field ids the pass needs, plus `extra` (the current filter's). The same set while the filter
   * stays: the dissector makes a mask of each new set (packet.ts wantedMask), and the session
   * asks every 64 frames.
   */
  wanted(extra?: ReadonlySet<number>): Set<number> {
    if (!extra || extra.size === 0) return this.wantedBase;
    if (this.wantedWith?.extra !== extra) {
      const out = new Set(this.wantedBase);
      for (const id of extra) out.add(id);
      this.wantedWith = { extra, set: out };
    }
    return this.wantedWith.set;
  }

  private wantedWith: { extra: ReadonlySet<number>; set: Set<number> } | null = null;

  /** Dissects frame frontier+1 and records what the pass keeps. Returns the dissection. */
  step(store: FrameStore, wanted: ReadonlySet<number>): Dissection | null {
    const n = this.frontier + 1;
    if (n < store.firstAvailable()) {
      // Evicted before the pass reached it: nothing to analyse.
      this.skipTo(store.firstAvailable() - 1);
      return null;
    }
    const frame = store.frame(n);
    // What the pre-pass counted is not counted again: nor are the tracker's answers recorded.
    const counting = n > this.observed;
    const options = { tree: false, wanted, owners: true };
    const { d, obs } = counting ? this.observedDissection(frame, this.capture, options) : { d: dissect(frame, this.capture, options), obs: null };
    this.frontier = n;
    if (obs) {
      this.record(obs);
      this.endpoints.countTaps(d.ctx.ipTaps, d.frame.origLen);
    }
    this.collect(n, d);
    for (const note of d.expert) this.experts.count(note, n);
    return d;
  }

  /**
   * The pre-pass: observes frame observed+1 for the conversation table and the lifecycles,
   * from its headers when the fast path takes it, else from a dissection with PrePassState.
   * Returns false when there is no such frame yet.
   */
  observeAhead(store: FrameStore): boolean {
    const n = Math.max(this.observed, this.frontier) + 1;
    if (n > store.count()) return false;
    if (n < store.firstAvailable()) {
      this.observed = store.firstAvailable() - 1;
      return true;
    }
    const frame = store.frame(n);
    const p = this.aheadPacket;
    p.frame = n;
    p.relTime = secondsBetween(frame.ts, frame.firstTs ?? frame.ts);
    p.frameLen = frame.origLen;
    // Headers the fast path decodes go straight into the counts and lifecycles (aheadSink).
    if (frame.customBlock || !this.fastObserver.feed(frame, this.aheadSink)) {
      const { d, obs } = this.observedDissection(frame, this.prePassState, { tree: false, wanted: this.prePassWanted });
      const stream = d.flat.find((node) => node.field.id === TCP_STREAM);
      if (stream) this.setStream(n, Number(stream.value));
      this.conv.add(obs);
      this.endpoints.countTaps(d.ctx.ipTaps, frame.origLen);
    } else if (this.fastObserver.ipAddresses(this.aheadIp)) {
      // One plain IPv4 or IPv6 header (no tunnel, fragment or extension header).
      this.endpoints.countAddresses(this.aheadIp.src, this.aheadIp.dst, frame.origLen);
    }
    this.observed = n;
    this.takeAlerts();
    return true;
  }

  /**
   * A dissection and its observation (the TCP facts the tracker was given during it). The
   * observer records only here: the rows, details and filters dissect frames again with the
   * same capture, and the facts of those must not end up in the next observation (a ladder
   * got a segment twice) nor pile up unread.
   */
  private observedDissection(frame: FrameInput, state: CaptureState, options: DissectOptions): { d: Dissection; obs: PacketObservation } {
    this.observer.recording = true;
    try {
      const d = dissect(frame, state, options);
      return { d, obs: this.observer.observe(d) };
    } finally {
      this.observer.recording = false;
    }
  }

  /** Frame n dissected again (the pass went over it) with its observation: a ladder or a followed stream replays it. */
  observeAgain(store: FrameStore, n: number, wanted: ReadonlySet<number>): { d: Dissection; obs: PacketObservation } {
    return this.observedDissection(store.frame(n), this.capture, { tree: false, wanted });
  }

  /** The addresses of the frame the pre-pass's fast path took. */
  private readonly aheadIp = { src: new Uint8Array(0), dst: new Uint8Array(0) };

  /** The packet observeAhead feeds to aheadSink. */
  private readonly aheadPacket = { frame: 0, relTime: 0, frameLen: 0 };
  private readonly aheadSink: DirectSink = {
    packet: this.aheadPacket,
    tcp: (facts, verdict) => {
      this.setStream(this.aheadPacket.frame, verdict.stream);
      this.conv.tcpSegment(facts, verdict, false, this.aheadPacket);
    },
    udp: (src, srcPort, dst, dstPort, stream) => this.conv.udpDatagram(stream, src, srcPort, dst, dstPort, this.aheadPacket),
  };

  /**
   * Frame n's TCP segment from its headers and the verdict the tracker stored when the pre-pass
   * or the pass took it (FastObserver.replay): no dissection, so it may be asked for a frame
   * the full pass has not reached. False when the frame needs a dissection for that.
   */
  replayTcp(store: FrameStore, n: number, sink: (facts: TcpSegmentFacts, verdict: TcpSegmentVerdict, payload: Uint8Array) => void): boolean {
    if (n > Math.max(this.observed, this.frontier)) return false;
    const frame = store.frame(n);
    return !frame.customBlock && this.fastObserver.replay(frame, sink);
  }

  /** Whether the pre-pass has observed every stored frame. */
  observedAll(store: FrameStore): boolean {
    return Math.max(this.observed, this.frontier) >= store.count();
  }

  private record(obs: PacketObservation): void {
    this.conv.add(obs);
    this.takeAlerts();
  }

  /** Queues the alerts raised since the last call. */
  private takeAlerts(): void {
    const alerts = this.conv.health.alerts();
    if (alerts.length > this.alertsSeen) {
      for (let i = this.alertsSeen; i < alerts.length; i++) this.pendingAlerts.push(alerts[i]!);
      this.alertsSeen = alerts.length;
    }
  }

  /** Gives up on frames frontier+1..n: they will never be analysed (a live pass too far behind). */
  skipTo(n: number): void {
    if (n <= this.frontier) return;
    this.skippedRanges.push([this.frontier + 1, n]);
    this.skipped += n - this.frontier;
    this.frontier = n;
  }

  /** Whether frame n was skipped by the pass (its dissection must not touch the tracker). */
  wasSkipped(n: number): boolean {
    for (let i = this.skippedRanges.length - 1; i >= 0; i--) {
      const [a, b] = this.skippedRanges[i]!;
      if (n >= a && n <= b) return true;
      if (n > b) return false;
    }
    return false;
  }

  private collect(n: number, d: Dissection): void {
    let stream = -1;
    for (const node of d.flat) {
      const id = node.field.id;
      if (stream < 0 && id === TCP_STREAM) stream = Number(node.value);
      this.values.add(node);
    }
    const i = this.columnIndex(n);
    if (i >= 0) {
      if (stream >= 0) this.tcpStreamCol[i] = stream;
      this.layerCol[i] = this.layerSets.idOf(d);
    }
    this.columnTexts.record(n, d.src, d.dst, d.protocol);
  }

  /** Frame n's index into the per-frame columns (grown to hold it), or -1 before colBase. */
  private columnIndex(n: number): number {
    const i = n - this.colBase;
    if (i >= this.tcpStreamCol.length) {
      this.tcpStreamCol = grownColumn(this.tcpStreamCol, i, -1);
      this.layerCol = grownColumn(this.layerCol, i, 0);
    }
    return i;
  }

  private setStream(n: number, stream: number): void {
    const i = this.columnIndex(n);
    if (i >= 0) this.tcpStreamCol[i] = stream;
  }

  /**
   * The protocol layers of frame n as the pass saw them, and the protocols whose fields it has,
   * or null when the pass did not analyse it.
   */
  layersOf(n: number): LayerSet | null {
    const i = n - this.colBase;
    if (i < 0 || i >= this.layerCol.length || n > this.frontier) return null;
    const id = this.layerCol[i]!;
    return id === 0 ? null : this.layerSets.get(id);
  }

  /** tcp.stream of frame n as the pass saw it (first TCP header), or -1. */
  tcpStreamOf(n: number): number {
    const i = n - this.colBase;
    return i >= 0 && i < this.tcpStreamCol.length ? this.tcpStreamCol[i]! : -1;
  }

  /** Frames whose first TCP header belongs to `stream`, in order. */
  framesOfStream(stream: number): number[] {
    const out: number[] = [];
    const col = this.tcpStreamCol;
    const end = Math.min(col.length, Math.max(this.frontier, this.observed) + 1 - this.colBase);
    for (let i = 0; i < end; i++) if (col[i] === stream) out.push(i + this.colBase);
    return out;
  }

  /**
   * Forgets the per-frame column for frames before `first` (a live ring evicted them), so a
   * capture that runs for hours keeps this column as bounded as the ring.
   */
  trimBefore(first: number): void {
    // The engine's state for evicted frames, so a long capture stays within the ring: per-frame
    // answers, and the connections and conversations none of whose frames is left once they are
    // quiet (the tracker's FORGET_CLOSED_AFTER_S); their rows stay, bounded, as summaries.
    const dropped = this.tracker.forgetBefore(first);
    forgetTcpConversations(this.capture, dropped);
    this.capture.forgetBefore(first);
    this.conv.forget(dropped.map((c) => c.stream), takeForgottenUdpStreams(this.capture));
    this.columnTexts.trimBefore(first);
    const drop = first - this.colBase;
    if (!dropDue(drop, this.tcpStreamCol.length)) return;
    dropFront(this.tcpStreamCol, drop, -1);
    dropFront(this.layerCol, drop, 0);
    this.colBase = first;
  }

  valuesOf(set: string): string[] {
    return this.values.texts(set);
  }

  drainEvents(): { events: LifecycleEvent[]; alerts: TcpAlert[] } {
    const out = { events: this.pendingEvents, alerts: this.pendingAlerts };
    this.pendingEvents = [];
    this.pendingAlerts = [];
    return out;
  }

  /** Bytes of per-frame columns the pass keeps (the tracker's own are not counted). */
  byteSize(): number {
    return this.tcpStreamCol.byteLength + this.layerCol.byteLength;
  }
}

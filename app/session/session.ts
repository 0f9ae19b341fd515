// One open capture, driven by the UI through the channels of ./contract.ts (STYLE.md §9).
// Opening a file indexes its first screens on the spot (rows at once) and the whole file in a
// worker thread (app/store/file-index.ts); a background pass then dissects every frame once,
// in order (./analysis.ts), in slices that leave the event loop free between them. A
// live capture goes into the byte-budgeted ring (app/store/ring.ts) through an injectable
// CaptureBackend. Events are collected and delivered in batches a few times per second.
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { setImmediate as yieldToLoop, setTimeout as delay } from 'node:timers/promises';
import { CaptureState, dissect, type Dissection, type FrameInput } from '../dissect/driver.js';
import { forkOpenDatagrams } from '../dissect/reassembly.js';
import { allFields, fieldByName, type FieldType } from '../dissect/field.js';
import { CaptureWriter } from '../file/writer.js';
import { CaptureFileError } from '../file/types.js';
import { compileFilter, equivalent, fieldSourceFromDissection, type AnyFilter, type DisplayFilter } from '../filter/index.js';
import { FastFieldSource, fastPathCovers } from '../filter/fast-fields.js';
import { FilterAhead } from '../filter/filter-ahead.js';
import { AlertLedger, type TcpAlert } from '../tcp/alerts.js';
import { completenessSentence, LifecycleTracker, type ConnectionLifecycle } from '../tcp/lifecycle.js';
import type { TcpSegmentFacts, TcpSegmentVerdict } from '../dissect/tcp-hook.js';
import type { PacketObservation } from '../tcp/report.js';
import { indexFile } from '../store/file-index.js';
import { buildIndex, HEAD_PACKETS } from '../store/index-build.js';
import { FileFrameStore, RingFrameStore, type FrameStore } from '../store/frame-store.js';
import { PacketRing } from '../store/ring.js';
import { RotatingWriter } from '../store/rotate.js';
import type { CaptureBatch, CaptureSink, LiveCapture } from '../capture/types.js';
import type { AbsTime } from '../dissect/tree.js';
import { Analysis, MAX_LIVE_ENDPOINTS } from './analysis.js';
import { VALUE_SETS } from './value-sets.js';
import { libpcapBackend, type CaptureBackend } from './backend.js';
import type {
  ArgsOf, CaptureOptions, CaptureStats, Channel, ConnectionRow, ConversationRow, FieldCompletion, FilterApplied,
  FollowedStream, PacketRow, ResultOf, SaveRequest, SessionEvent, SessionSummary, TimeFormat, TlsKeyLogState,
} from './contract.js';
import { KeyLog, readKeyLogFile } from '../dissect/tls-keylog.js';
import { TLS_FOLLOW_SCRATCH, type TlsFollowChunk } from '../dissect/tls-app-data.js';
import { TcpFollower } from './follow.js';
import { udpFollowFieldIds, UdpFollower, udpStreamsOf } from '../stats/udp-follower.js';
import { ProtocolHierarchy, type Hierarchy } from '../stats/protocol-hierarchy.js';
import { FilteredView } from './view.js';
import { SortedRows, sortByTextIds, sortFrames, type SortKey } from './sort.js';
import { LayerFieldSource, NEEDS_DISSECTION } from './layer-source.js';
import { formatTime, packetDetail, packetRow, ROW_WANTED } from './present.js';

export type { CaptureBackend };

/** How long one slice of background work may hold the event loop (ms). */
const SLICE_MS = 25;
/**
 * Frames the pass must have left for a filter to get a worker: a few seconds of the pass. (The
 * worker starts from the first frame and runs about twice as fast as the pass; with less than
 * half the file left the pass and the catch-up get there first.)
 */
const WORKER_MIN_FRAMES = 50_000;
/**
 * A row request for frames more than this beyond the pass's frontier (a tenth of a second of
 * the pass or more) waits PENDING_ROWS_WAIT_MS at most, then gets pending rows for the frames
 * the pass has not reached; a nearer one waits for the pass.
 */
const PENDING_ROWS_BEYOND = 4096;
const PENDING_ROWS_WAIT_MS = 100;
const NO_FIELDS: ReadonlySet<number> = new Set();
/** Default interval between event batches (ms): "a few times per second". */
const EVENT_INTERVAL_MS = 250;
/**
 * How far the in-order pass may fall behind a live capture (frames). Beyond it the pass skips
 * ahead: the skipped frames are listed and dissected without history (no TCP analysis), so a
 * capture faster than the dissectors still shows its newest rows at once.
 */
export const MAX_LIVE_LAG = 200_000;
/** Connection events kept per batch; beyond it the UI re-reads the table. */
const MAX_CONNECTION_EVENTS = 500;

export interface SessionOptions {
  /** Where live packets come from; default libpcap through app/capture. */
  backend?: CaptureBackend;
  eventIntervalMs?: number;
  /** Index files on this thread instead of a worker (tests of the fallback). */
  indexInProcess?: boolean;
  /** How far the analysis may fall behind a live capture (frames); default MAX_LIVE_LAG. */
  maxLiveLag?: number;
  /** Frames the pass must have left for a filter to get a worker; default WORKER_MIN_FRAMES (0: always). */
  filterWorkerMinFrames?: number;
}

type Source =
  | { kind: 'none' }
  | { kind: 'file'; path: string; store: FileFrameStore; indexed: Promise<void>; indexDone: boolean; warning?: string }
  | {
    kind: 'live'; interface: string; store: RingFrameStore; ring: PacketRing; capture: LiveCapture | null; stats: CaptureStats; rotate: RotatingWriter | null;
    /** Date.now() at the last batch of packets, and when the capture ended (null: running). */
    lastPacketAt: number; endedAt: number | null;
    /** The settled alerts 'alert' events announced (and with how many connections). */
    alertsSaid: AlertLedger;
  };

interface Waiter {
  ready: () => boolean;
  resolve: () => void;
  reject: (e: Error) => void;
}

class ClosedError extends Error {
  constructor() {
    super('the capture was closed');
  }
}

const FT_NAMES: Record<FieldType, string> = {
  none: 'FT_NONE', protocol: 'FT_PROTOCOL', boolean: 'FT_BOOLEAN', uint8: 'FT_UINT8', uint16: 'FT_UINT16', uint24: 'FT_UINT24',
  uint32: 'FT_UINT32', uint48: 'FT_UINT48', uint64: 'FT_UINT64', int8: 'FT_INT8', int16: 'FT_INT16', int32: 'FT_INT32',
  int64: 'FT_INT64', char: 'FT_CHAR', framenum: 'FT_FRAMENUM', ipv4: 'FT_IPv4', ipv6: 'FT_IPv6', ether: 'FT_ETHER',
  bytes: 'FT_BYTES', string: 'FT_STRING', abstime: 'FT_ABSOLUTE_TIME', reltime: 'FT_RELATIVE_TIME', float: 'FT_FLOAT',
  double: 'FT_DOUBLE', guid: 'FT_GUID',
};

const TCP_SRCPORT = fieldByName('tcp.srcport')!.id;
/** The ACK flag: without it tshark's th_ack stays the raw field. */
const TH_ACK = 0x10;
/** Fields that say a packet is an IP fragment (its reassembly depends on other packets). */
const IP_MF = fieldByName('ip.flags.mf')!.id;
const IP_FRAG_OFFSET = fieldByName('ip.frag_offset')!.id;
const IPV6_FRAGMENT_HEADER = fieldByName('ipv6.fraghdr.ident')!.id;
const FRAGMENT_FIELDS: ReadonlySet<number> = new Set([IP_MF, IP_FRAG_OFFSET, IPV6_FRAGMENT_HEADER]);

export class Session {
  private source: Source = { kind: 'none' };
  /** tls.keylog's file and its text ('' for none). */
  private keyLogPath: string | null = null;
  private keyLogText = '';
  private analysis = new Analysis();
  private view = new FilteredView(false);
  /** The column the list is sorted by (kept across filters), or null for capture order. */
  private sortKey: SortKey | null = null;
  /** The current view in sorted order; ignored once the view is replaced, until re-sorted. */
  private sorted: SortedRows | null = null;
  private filter: AnyFilter | null = null;
  /** Set when the display filter reads only fields the fast path decodes. */
  private fast: FastFieldSource | null = null;
  /** Set when it reads protocol presence (and fast-path fields): answered from the pass's layers. */
  private layerSource: LayerFieldSource | null = null;
  private readonly layerFast = new FastFieldSource();
  /**
   * testAhead's current run: frames from..next-1 of `view` were tested by it contiguously;
   * `fragments` is its IP reassembly state once it met a fragment (see fragmentMatch).
   */
  private aheadRun: { view: FilteredView; from: number; next: number; fragments: CaptureState | null } | null = null;
  /** The filter worker testing `view`'s filter over the whole file (see startFilterWorker). */
  private worker: { view: FilteredView; run: FilterAhead } | null = null;
  /** Frames whose verdict the view took from a filter worker (tests and probes read it). */
  workerVerdicts = 0;
  private filterText = '';
  private unsaved = false;
  /**
   * SessionSummary.revision of the last summary made. It starts at the clock, not 0: a web page
   * that reconnects to a restarted server must take the new session's summaries as newer (a
   * session makes far fewer than one summary a millisecond).
   */
  private summaryRevision = Date.now();
  /** Bumped whenever the source changes: work of an older source stops. */
  private generation = 0;
  private waiters: Waiter[] = [];
  private working = false;
  private indexAbort: AbortController | null = null;
  /** Why the background work stopped for good (the source cannot be read), or null. */
  private workError: string | null = null;
  private listeners = new Set<(events: SessionEvent[]) => void>();
  private queue: SessionEvent[] = [];
  private rowsDirty = false;
  private statsDirty = false;
  /** A progress event (or a pending row) went out since the last event that said the work is done (fraction 1). */
  private progressShown = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly eventInterval: number;

  constructor(private readonly options: SessionOptions = {}) {
    this.eventInterval = options.eventIntervalMs ?? EVENT_INTERVAL_MS;
  }

  // -------------------------------------------------------------------------------------------
  // The contract

  async handle<C extends Channel>(channel: C, args: ArgsOf<C>): Promise<ResultOf<C>> {
    const a = args as never;
    const r = await this.dispatch(channel, a);
    return r as ResultOf<C>;
  }

  private async dispatch(channel: Channel, a: never): Promise<unknown> {
    switch (channel) {
      case 'session.summary': return this.summary();
      case 'file.open': return this.openFile((a as ArgsOf<'file.open'>).path);
      case 'file.close': return this.close();
      case 'tls.keylog': return this.setKeyLog((a as ArgsOf<'tls.keylog'>).path);
      case 'file.save': return this.save(a as SaveRequest);
      case 'capture.interfaces': return this.backend().listInterfaces();
      case 'capture.start': return this.startCapture(a as CaptureOptions);
      case 'capture.stop': return this.stopCapture();
      case 'capture.stats': return this.captureStats();
      case 'capture.traffic': return (await import('../capture/traffic.js')).sampleTraffic(this.backend());
      case 'filter.apply': return this.applyFilter((a as ArgsOf<'filter.apply'>).text);
      case 'filter.check': return this.checkFilter((a as ArgsOf<'filter.check'>).text);
      case 'filter.fields': return this.fields(a as ArgsOf<'filter.fields'>);
      case 'filter.values': return this.values(a as ArgsOf<'filter.values'>);
      case 'packets.rows': return this.rows(a as ArgsOf<'packets.rows'>);
      case 'packets.find': return this.find((a as ArgsOf<'packets.find'>).number);
      case 'packets.sort': return this.sortRows(a as ArgsOf<'packets.sort'>);
      case 'packet.detail': return this.detail((a as ArgsOf<'packet.detail'>).number);
      case 'tcp.connections': return this.connections((a as ArgsOf<'tcp.connections'>).soFar === true);
      case 'tcp.lifecycle': return this.lifecycle((a as ArgsOf<'tcp.lifecycle'>).stream);
      case 'tcp.follow': return this.follow((a as ArgsOf<'tcp.follow'>).stream);
      case 'tls.follow': return this.followTls((a as ArgsOf<'tls.follow'>).stream);
      case 'udp.follow': return this.followUdp((a as ArgsOf<'udp.follow'>).frame);
      case 'tcp.alerts': return this.alerts();
      case 'stats.conversations': return this.conversations((a as ArgsOf<'stats.conversations'>).proto);
      case 'stats.endpoints': return this.endpoints();
      case 'stats.expert': return this.experts((a as ArgsOf<'stats.expert'>).soFar === true);
      case 'stats.hierarchy': return this.hierarchy();
    }
    throw new Error(`unknown channel ${String(channel)}`);
  }

  /** Receives event batches; returns the unsubscribe function. */
  subscribe(listener: (events: SessionEvent[]) => void): () => void {
    this.listeners.add(listener);
    if (!this.timer) {
      this.timer = setInterval(() => this.flushEvents(), this.eventInterval);
      this.timer.unref();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
    };
  }

  /** Resolves once the open file is fully indexed (immediately for other sources). */
  async whenIndexed(): Promise<void> {
    if (this.source.kind === 'file') await this.source.indexed;
  }

  /** Resolves once every stored frame went through the in-order pass. */
  async whenAnalyzed(): Promise<void> {
    await this.whenIndexed();
    await this.waitFor(() => {
      const s = this.store();
      return s === null || this.analysis.frontier >= s.count();
    });
  }

  /** Stops a capture, ends background work and the event timer. */
  async dispose(): Promise<void> {
    await this.close();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.listeners.clear();
  }

  // -------------------------------------------------------------------------------------------
  // Summary and events

  private store(): FrameStore | null {
    return this.source.kind === 'none' ? null : this.source.store;
  }

  private displayed(): number {
    const s = this.store();
    return s ? this.view.size(s.count(), s.firstAvailable()) : 0;
  }

  /** The share of a file's frames the display filter has tested while it is being applied; null once done (or none, or live). */
  private filterProgress(): number | null {
    const s = this.store();
    if (!s || !this.view.filtered || this.source.kind !== 'file' || (this.view.testedUpTo >= s.count() && !this.indexing())) return null;
    // Until the index is done the file's size in frames is not known: just started.
    if (this.indexing()) return 0;
    return Math.min(this.view.testedUpTo / s.count(), 0.99);
  }

  summary(): SessionSummary {
    const s = this.store();
    const src = this.source;
    const out: SessionSummary = {
      source: src.kind === 'file' ? { kind: 'file', path: src.path, format: src.store.info.format }
        : src.kind === 'live' ? { kind: 'live', interface: src.interface } : { kind: 'none' },
      packets: s ? Math.max(0, s.count() - s.firstAvailable() + 1) : 0,
      firstAvailable: s ? s.firstAvailable() : 1,
      displayed: this.displayed(),
      filter: this.filterText,
      unsaved: this.unsaved,
      revision: ++this.summaryRevision,
    };
    if (this.keyLogPath !== null) out.tlsKeyLog = this.keyLogPath;
    if (src.kind === 'live') {
      out.capture = this.captureStats();
      const conv = this.analysis.conv;
      const connections = conv.health.lifecycle.droppedSummaries;
      const endpoints = this.analysis.endpoints.dropped;
      if (connections + conv.droppedRows.tcp + conv.droppedRows.udp + endpoints > 0) out.droppedRows = { connections, ...conv.droppedRows, endpoints };
      if (this.analysis.skipped > 0) {
        out.warning = `${this.analysis.skipped} packets were not analysed (evicted or the capture outran the dissectors): no TCP analysis for them, and display filters skip them`;
      }
    }
    if (src.kind === 'file' && src.warning !== undefined) out.warning = src.warning;
    return out;
  }

  private emit(e: SessionEvent): void {
    if (this.listeners.size === 0) return;
    this.queue.push(e);
  }

  private flushEvents(): void {
    if (this.listeners.size === 0) return;
    const batch = this.queue;
    this.queue = [];
    const { events, alerts } = this.analysis.drainEvents();
    for (const e of events.slice(0, MAX_CONNECTION_EVENTS)) batch.push({ type: 'connection', event: e.type, stream: e.stream, frame: e.frame });
    for (const a of alerts) batch.push({ type: 'alert', alert: a });
    for (const a of this.newlySettledAlerts()) batch.push({ type: 'alert', alert: a });
    if (this.statsDirty && this.source.kind === 'live') batch.push({ type: 'stats', stats: this.captureStats() });
    const st = this.store();
    if (st && this.source.kind === 'file' && this.analysis.frontier < st.count()) {
      const a = this.analysis;
      if (!a.observedAll(st)) batch.push({ type: 'progress', task: 'connections', done: a.observed, fraction: a.observed / st.count(), analysed: a.frontier });
      else batch.push({ type: 'progress', task: 'analyze', done: a.frontier, fraction: a.frontier / st.count(), analysed: a.frontier });
      this.progressShown = true;
    } else if (this.progressShown && !this.indexing()) {
      // Said once, so that the status bar takes its progress item away when the pass is over
      // (or the file closed), not when events stop coming for a while. A pass that caught up
      // with a file still being indexed is not over: the index's progress comes meanwhile.
      batch.push({ type: 'progress', task: 'analyze', done: this.analysis.frontier, fraction: 1, analysed: this.analysis.frontier });
      this.progressShown = false;
    }
    if (this.rowsDirty) {
      const s = this.store();
      const rows: SessionEvent = { type: 'rows', packets: s ? s.count() - s.firstAvailable() + 1 : 0, displayed: this.displayed(), firstAvailable: s ? s.firstAvailable() : 1 };
      const filtering = this.filterProgress();
      if (filtering !== null) rows.filtering = filtering;
      batch.push(rows);
    }
    this.statsDirty = false;
    this.rowsDirty = false;
    if (batch.length === 0) return;
    for (const l of this.listeners) {
      try {
        l(batch);
      } catch {
        // A listener's failure must not stop the others or the session.
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Background work: the in-order pass and the filter's catch-up, in slices

  private waitFor(ready: () => boolean): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ ready, resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.working) return;
    this.working = true;
    const gen = this.generation;
    void this.work(gen).catch((e: unknown) => {
      // A frame that cannot be read any more (the file changed under us): stop the background
      // work, say why, and let everyone waiting go (they get what is there).
      if (gen !== this.generation) return;
      this.workError = e instanceof Error ? e.message : String(e);
      this.emit({ type: 'error', message: `analysis stopped: ${this.workError}` });
      this.settleWaiters();
    }).finally(() => {
      this.working = false;
      // Work may have arrived after the loop decided it was done.
      if (this.hasWork()) this.kick();
    });
  }

  private hasWork(): boolean {
    const s = this.store();
    if (!s || this.workError !== null) return false;
    return this.analysis.frontier < s.count() || this.view.testedUpTo < this.analysis.frontier || this.workerAhead(s) > this.view.testedUpTo;
  }

  private async work(gen: number): Promise<void> {
    for (;;) {
      if (gen !== this.generation) return;
      const deadline = Date.now() + SLICE_MS;
      let progressed = false;
      while (Date.now() < deadline && this.hasWork()) {
        this.stepOnce();
        progressed = true;
      }
      if (progressed) this.rowsDirty = true;
      this.settleWaiters();
      if (!this.hasWork()) {
        this.stopFilterWorker(false);
        return;
      }
      await yieldToLoop();
    }
  }

  /** A few frames of work: the filter's catch-up first, else the in-order pass. */
  private stepOnce(): void {
    const s = this.store()!;
    const f = this.filter;
    if (this.takeWorkerVerdicts(s)) return;
    if (this.view.testedUpTo < this.analysis.frontier) {
      // A new filter: test frames the pass already went over (their verdicts are stored).
      const end = Math.min(this.analysis.frontier, this.view.testedUpTo + 64);
      for (let n = Math.max(this.view.testedUpTo + 1, s.firstAvailable()); n <= end; n++) {
        if (f && this.matches(f, s, n, null)) this.view.push(n);
      }
      this.view.testedUpTo = end;
      return;
    }
    if (f && this.testAhead(f, s)) return;
    const lag = this.options.maxLiveLag ?? MAX_LIVE_LAG;
    if (this.source.kind === 'live' && s.count() - this.analysis.frontier > lag) {
      this.analysis.skipTo(s.count() - lag);
      // Skipped frames are not filtered (a display filter may read what only the pass decides).
      if (this.view.filtered && this.view.testedUpTo < this.analysis.frontier) this.view.testedUpTo = this.analysis.frontier;
    }
    if (this.source.kind === 'live') this.analysis.trimBefore(s.firstAvailable());
    // A file's conversations and connections first (the headers alone, a few µs a frame), then
    // the full pass. A live pass keeps up with the capture: it observes as it goes.
    if (this.source.kind === 'file' && !this.analysis.observedAll(s)) {
      for (let i = 0; i < 256 && this.analysis.observeAhead(s); i++);
      return;
    }
    const wanted = this.analysis.wanted(f && f.language === 'display' ? f.fields : undefined);
    for (let i = 0; i < 64 && this.analysis.frontier < s.count(); i++) {
      const d = this.analysis.step(s, wanted);
      const n = this.analysis.frontier;
      if (this.view.filtered && this.view.testedUpTo === n - 1) {
        if (d && f && this.matches(f, s, n, d)) this.view.push(n);
        this.view.testedUpTo = n;
      } else if (!this.view.filtered) this.view.testedUpTo = n;
    }
  }

  /**
   * A display filter that only a dissection answers, applied to a large file while the pass is
   * far from its end: a worker tests every packet of the file in order (filter-ahead.ts) and the
   * view takes its verdicts as they come, so the list does not wait for the pass to get there.
   * Filters that run ahead on the headers (testAhead) and small files need none.
   */
  private startFilterWorker(): void {
    this.stopFilterWorker(true);
    const src = this.source, f = this.filter;
    if (src.kind !== 'file' || !f || f.language !== 'display' || this.fast) return;
    const left = src.store.count() - this.analysis.frontier;
    if (left <= 0 || (src.indexDone && (left < (this.options.filterWorkerMinFrames ?? WORKER_MIN_FRAMES) || left < src.store.count() / 2))) return;
    const gen = this.generation;
    this.worker = { view: this.view, run: new FilterAhead(src.path, this.filterText, () => {
      if (gen === this.generation) this.kick();
    }) };
  }

  /** Stops the filter worker: always, or (`always` false) once its view is complete or the work stopped for good. */
  private stopFilterWorker(always: boolean): void {
    const w = this.worker;
    if (!w) return;
    const s = this.store();
    if (!always && w.view === this.view && s !== null && this.workError === null && (this.indexing() || this.view.testedUpTo < s.count())) return;
    w.run.stop();
    this.worker = null;
  }

  /** The last frame the filter worker decided for the current view (0: none). */
  private workerAhead(s: FrameStore): number {
    const w = this.worker;
    return w && w.view === this.view ? Math.min(w.run.upTo, s.count()) : 0;
  }

  /** Takes the filter worker's verdicts beyond what the view has tested; false when none. */
  private takeWorkerVerdicts(s: FrameStore): boolean {
    const to = this.workerAhead(s);
    const from = this.view.testedUpTo;
    if (to <= from) return false;
    this.worker!.run.take(from, to, (n) => this.view.push(n));
    this.view.testedUpTo = to;
    this.workerVerdicts += to - from;
    return true;
  }

  /**
   * Filters that need no dissection (a tcpdump expression; a display filter the fast path
   * answers) run ahead of the in-order pass, so applying one to a large file does not wait for
   * the pass. A packet the fast path refuses stops it: the pass tests that one when it gets
   * there. Returns whether any frame was tested.
   */
  private testAhead(f: AnyFilter, s: FrameStore): boolean {
    if (f.language === 'display' && !this.fast) return false;
    const start = Math.max(this.view.testedUpTo + 1, s.firstAvailable());
    const end = Math.min(s.count(), start + 255);
    let run = this.aheadRun;
    if (!run || run.view !== this.view || run.next !== start) run = this.aheadRun = { view: this.view, from: start, next: start, fragments: null };
    let n = start;
    for (; n <= end; n++) {
      run.next = n;
      let verdict = f.language === 'tcpdump' ? this.matches(f, s, n, null) : this.fastMatch(f, s, n);
      if (verdict === null && n > this.analysis.frontier) verdict = this.statelessMatch(f, s, n);
      if (verdict === null) break;
      if (verdict) this.view.push(n);
    }
    run.next = n;
    this.view.testedUpTo = n - 1;
    return n > start;
  }

  /**
   * A packet the fast path refused, ahead of the pass: the fields the fast path covers depend
   * on no other packet except through IP reassembly, so the packet is dissected without history
   * and decided unless it is (or carries) a fragment; a fragment waits for the in-order pass.
   */
  private statelessMatch(f: AnyFilter, s: FrameStore, n: number): boolean | null {
    if (f.language !== 'display') return null;
    const d = dissect(s.frame(n), new CaptureState(), { tree: false, wanted: new Set([...f.fields, ...FRAGMENT_FIELDS]) });
    for (const node of d.flat) {
      const id = node.field.id;
      if (id === IPV6_FRAGMENT_HEADER || (id === IP_MF && node.value === true) || (id === IP_FRAG_OFFSET && node.value !== 0)) {
        return this.fragmentMatch(f, s, n);
      }
    }
    return f.test(fieldSourceFromDissection(d));
  }

  /**
   * A fragment ahead of the pass: dissected with the run's own reassembly state, a copy of the
   * pass's open datagrams taken at the run's first fragment. Every frame between the pass's
   * frontier and that fragment was tested by this run and was no fragment (the fast path
   * refuses fragments; statelessMatch sends them here), and the run then dissects each later
   * fragment in order: its state has seen exactly the fragments the pass will have seen when it
   * reaches n, so the same datagrams complete in the same frames. Null (wait for the pass) when
   * the run did not start right after the pass's frontier.
   */
  private fragmentMatch(f: DisplayFilter, s: FrameStore, n: number): boolean | null {
    const run = this.aheadRun;
    if (!run || run.view !== this.view || run.next !== n) return null;
    if (!run.fragments) {
      if (run.from > this.analysis.frontier + 1) return null;
      run.fragments = new CaptureState();
      forkOpenDatagrams(this.analysis.capture, run.fragments);
    }
    return f.test(fieldSourceFromDissection(dissect(s.frame(n), run.fragments, { tree: false, wanted: f.fields })));
  }

  /** The display filter on the fast path's decoding of frame n; null when it refuses the packet. */
  private fastMatch(f: AnyFilter, s: FrameStore, n: number): boolean | null {
    if (f.language !== 'display' || !this.fast) return null;
    if (!this.fastDecode(s, n, this.fast)) return null;
    return f.test(this.fast);
  }

  /** Decodes frame n with the fast path (into `fast`); false when it refuses the packet. */
  private fastDecode(s: FrameStore, n: number, fast: FastFieldSource = this.layerFast): boolean {
    const frame = s.frame(n);
    if (frame.customBlock) return false;
    fast.number = n;
    fast.tsSec = frame.ts.sec;
    fast.tsNsec = frame.ts.nsec;
    const first = frame.firstTs ?? frame.ts;
    fast.firstSec = first.sec;
    fast.firstNsec = first.nsec;
    fast.hasPrev = frame.prevTs !== undefined;
    fast.prevSec = frame.prevTs?.sec ?? 0;
    fast.prevNsec = frame.prevTs?.nsec ?? 0;
    return fast.decode(frame.data, 0, frame.capLen, frame.origLen, frame.linkType);
  }

  private matches(f: AnyFilter, s: FrameStore, n: number, d: Dissection | null): boolean {
    if (f.language === 'tcpdump') {
      const frame = s.frame(n);
      if (frame.customBlock) return false; // not a packet for libpcap
      return f.test(frame.data, frame.linkType, frame.origLen);
    }
    if (d) return f.test(fieldSourceFromDissection(d));
    if (this.layerSource && f.language === 'display') {
      const layers = this.analysis.layersOf(n);
      if (layers) {
        const src = this.layerSource;
        src.layers = layers;
        src.fast = this.fastDecode(s, n) ? this.layerFast : null;
        try {
          return f.test(src);
        } catch (e) {
          if (e !== NEEDS_DISSECTION) throw e;
        }
      }
    }
    if (this.fast) {
      const v = this.fastMatch(f, s, n);
      if (v !== null) return v;
    }
    const frame = s.frame(n);
    return f.test(fieldSourceFromDissection(dissect(frame, this.captureFor(n), { tree: false, wanted: f.fields })));
  }

  private settleWaiters(): void {
    if (this.waiters.length === 0) return;
    const keep: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.ready()) w.resolve();
      else keep.push(w);
    }
    this.waiters = keep;
    // Nothing left to do yet the condition is unmet (e.g. a frame beyond the end): answer now.
    if (!this.hasWork() && !this.indexing()) {
      for (const w of this.waiters) w.resolve();
      this.waiters = [];
    }
  }

  private indexing(): boolean {
    return this.source.kind === 'file' && !this.source.indexDone;
  }

  /** Ends the current source: stops a capture, stops work, rejects waiters. */
  private async close(): Promise<SessionSummary> {
    const src = this.source;
    this.generation++;
    // A file closed before its worker finished: stop the worker, do not let it run on.
    this.indexAbort?.abort();
    this.indexAbort = null;
    this.stopFilterWorker(true);
    if (src.kind === 'live') {
      if (src.capture) {
        const c = src.capture;
        src.capture = null;
        try {
          await c.stop();
        } catch {
          // Stopping a capture that already failed: nothing more to do.
        }
      }
      src.rotate?.close();
    }
    if (src.kind !== 'none') src.store.close();
    for (const w of this.waiters) w.reject(new ClosedError());
    this.waiters = [];
    this.source = { kind: 'none' };
    // A new source starts in capture order (the list's header shows no sort for it).
    this.sortKey = null;
    this.sorted = null;
    this.resetAnalysis();
    this.unsaved = false;
    this.rowsDirty = true;
    this.emit({ type: 'summary', summary: this.summary() });
    return this.summary();
  }

  private resetAnalysis(): void {
    this.workError = null;
    this.analysis = new Analysis();
    // TLS secrets: the key log file set (tls.keylog), and the Decryption Secrets Blocks of the
    // file open then, read as far as the reader got.
    const keyLog = this.analysis.capture.keyLog;
    if (this.keyLogText) keyLog.addText(this.keyLogText);
    keyLog.followSecretsBlocks(() => (this.source.kind === 'file' ? this.source.store.info.decryptionSecrets : undefined));
    this.view = new FilteredView(this.filter !== null);
  }

  /**
   * Sets the TLS key log file (null: none). The secrets count from now on: a live capture's later
   * sessions are decrypted; an open file is read again, as its records were decrypted (or not)
   * when it was first read.
   */
  private async setKeyLog(path: string | null): Promise<TlsKeyLogState> {
    const text = path === null ? '' : readKeyLogFile(path);
    const secrets = new KeyLog();
    if (secrets.addText(text) === 0 && path !== null) throw new Error(`${path} holds no TLS secrets (expected lines such as "CLIENT_RANDOM <client random> <master secret>", as SSLKEYLOGFILE writes them)`);
    this.keyLogPath = path;
    this.keyLogText = text;
    const src = this.source;
    if (src.kind === 'file') await this.openFile(src.path);
    else this.analysis.capture.keyLog.addText(text);
    return { path, secrets: secrets.size };
  }

  // -------------------------------------------------------------------------------------------
  // Files

  private async openFile(path: string): Promise<SessionSummary> {
    let st;
    try {
      st = statSync(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new Error(`cannot open ${path}: No such file or directory`);
      if (code === 'EACCES') throw new Error(`cannot open ${path}: Permission denied`);
      throw new Error(`cannot open ${path}: ${(e as Error).message}`);
    }
    if (st.isDirectory()) throw new Error(`cannot open ${path}: Is a directory`);
    await this.close();
    const gen = this.generation;
    // The first screens on the spot (a few ms), so rows show at once; the whole file is then
    // indexed in the worker while the list is already usable.
    let head;
    try {
      head = buildIndex(path, st.size, {}, HEAD_PACKETS);
    } catch (e) {
      if (e instanceof CaptureFileError) throw new Error(`${path} isn't a capture file in a format SynScope understands: ${e.message}`);
      throw e;
    }
    const src: Extract<Source, { kind: 'file' }> = {
      kind: 'file', path, store: new FileFrameStore(path, head.index, head.info), indexed: Promise.resolve(), indexDone: false,
    };
    this.source = src;
    // Reassembled PDUs are read again from the file when their frame is shown, not kept.
    this.analysis.capture.frameBytes = src.store.bytesReader();
    this.rowsDirty = true;
    const complete = head.index.count < HEAD_PACKETS;
    if (complete) {
      src.indexDone = true;
      if (head.warning !== undefined) src.warning = head.warning;
    } else {
      const abort = new AbortController();
      this.indexAbort = abort;
      src.indexed = indexFile(path, {
        signal: abort.signal,
        progress: (packets, fraction) => {
          if (gen === this.generation) this.emit({ type: 'progress', task: 'index', done: packets, fraction, analysed: this.analysis.frontier });
        },
      }, this.options.indexInProcess === true).then((built) => {
        if (gen !== this.generation) return;
        src.store.setIndex(built.index, built.info);
        src.indexDone = true;
        if (built.warning !== undefined) src.warning = built.warning;
        this.rowsDirty = true;
        this.emit({ type: 'summary', summary: this.summary() });
        this.kick();
        this.settleWaiters();
      }, (e: unknown) => {
        if (gen !== this.generation) return;
        // The head is still there; say why the rest is not.
        src.indexDone = true;
        src.warning = `indexing stopped: ${e instanceof Error ? e.message : String(e)}`;
        this.emit({ type: 'error', message: `indexing ${path} failed: ${e instanceof Error ? e.message : String(e)}` });
        this.settleWaiters();
      });
    }
    // A filter kept from the previous file: its worker reads this one.
    this.startFilterWorker();
    this.kick();
    this.emit({ type: 'summary', summary: this.summary() });
    return this.summary();
  }

  private async save(req: SaveRequest): Promise<{ path: string; packets: number }> {
    await this.whenIndexed();
    const s = this.store();
    if (!s) throw new Error('nothing to save: no capture is open');
    let frames: number[];
    const first = s.firstAvailable();
    const last = s.count();
    switch (req.which) {
      case 'all':
        frames = [];
        for (let n = first; n <= last; n++) frames.push(n);
        break;
      case 'displayed':
        await this.waitFor(() => this.view.testedUpTo >= s.count());
        frames = this.view.all(s.count(), s.firstAvailable());
        break;
      case 'selected':
        frames = [...new Set(req.frames ?? [])].sort((a, b) => a - b);
        for (const n of frames) if (n < first || n > last) throw new Error(`frame ${n} is not available (${first}..${last})`);
        break;
      case 'range': {
        const r = req.range;
        if (!r) throw new Error('a range save needs range.first and range.last');
        if (r.first < first || r.last > last || r.first > r.last) throw new Error(`range ${r.first}-${r.last} is not within the available frames ${first}..${last}`);
        frames = [];
        for (let n = r.first; n <= r.last; n++) frames.push(n);
        break;
      }
    }
    let writer: CaptureWriter;
    try {
      writer = CaptureWriter.create(req.path, s.writerOptions(req.format));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'No such file or directory' : code === 'EACCES' ? 'Permission denied' : (e as Error).message;
      throw new Error(`cannot save to ${req.path}: ${why}`);
    }
    let written = 0;
    try {
      for (const n of frames) {
        const rec = s.record(n);
        // pcap has no place for a pcapng Custom Block.
        if (rec.pen !== undefined && req.format === 'pcap') continue;
        writer.write(rec);
        written++;
      }
      writer.close();
    } catch (e) {
      writer.abort();
      throw e;
    }
    if (this.source.kind === 'live' && req.which === 'all') this.unsaved = false;
    return { path: req.path, packets: written };
  }

  // -------------------------------------------------------------------------------------------
  // Live capture

  private backend(): CaptureBackend {
    this.options.backend ??= libpcapBackend();
    return this.options.backend;
  }

  private async startCapture(opts: CaptureOptions): Promise<SessionSummary> {
    const backend = this.backend();
    if (opts.rotate) {
      // Say so before capturing, not at the first packet.
      const dir = dirname(opts.rotate.path);
      if (!existsSync(dir)) throw new Error(`cannot write ring files to ${opts.rotate.path}: No such file or directory`);
    }
    await this.close();
    const gen = this.generation;
    const ring = new PacketRing(opts.ringBytes !== undefined ? { budgetBytes: opts.ringBytes } : {});
    const stats: CaptureStats = { state: 'starting', interface: opts.interface, captured: 0, received: 0, dropped: 0, ifDropped: 0, ringEvicted: 0, ringBytes: 0 };
    const src: Extract<Source, { kind: 'live' }> = {
      kind: 'live', interface: opts.interface, ring, capture: null, stats, rotate: null, lastPacketAt: Date.now(), endedAt: null, alertsSaid: new AlertLedger(),
      store: new RingFrameStore(ring, 1, opts.snaplen ?? 262144, opts.interface),
    };
    this.source = src;
    this.analysis.endpoints.maxRows = MAX_LIVE_ENDPOINTS;
    this.unsaved = true;
    let rotateStarted = false;
    const sink: CaptureSink = {
      onBatch: (batch) => {
        if (gen !== this.generation) return;
        // Ring files start with the first packet (its link type is the file's).
        if (opts.rotate && !rotateStarted) {
          rotateStarted = true;
          src.rotate = new RotatingWriter({ ...opts.rotate, linkType: batch.linkType, snapLen: opts.snaplen ?? 262144, interfaceName: opts.interface });
        }
        this.onBatch(src, batch);
      },
      onStats: (st) => {
        if (gen !== this.generation) return;
        src.stats = { ...st, state: src.stats.state === 'starting' ? 'capturing' : st.state, ringEvicted: ring.evicted, ringBytes: ring.bytes };
        this.statsDirty = true;
      },
      onEnd: (reason) => {
        if (gen !== this.generation) return;
        src.stats = { ...src.stats, state: reason.kind === 'error' ? 'error' : 'stopped' };
        src.endedAt ??= Date.now();
        if (reason.kind === 'error') {
          src.stats.error = reason.message;
          this.emit({ type: 'error', message: reason.message });
        }
        src.capture = null;
        src.rotate?.close();
        src.rotate = null;
        this.statsDirty = true;
        this.emit({ type: 'summary', summary: this.summary() });
      },
    };
    try {
      const live = await backend.startLiveCapture(opts, sink);
      if (gen !== this.generation) {
        await live.stop();
        return this.summary();
      }
      src.capture = src.stats.state === 'stopped' || src.stats.state === 'error' ? null : live;
      src.store = new RingFrameStore(ring, live.linkType, live.snaplen, live.interface);
      if (src.stats.state === 'starting') src.stats.state = 'capturing';
    } catch (e) {
      // CaptureStartError's message names the interface and the fix: it goes to the UI as is.
      src.stats = { ...src.stats, state: 'error', error: e instanceof Error ? e.message : String(e) };
      this.emit({ type: 'summary', summary: this.summary() });
      throw e instanceof Error ? e : new Error(String(e));
    }
    this.emit({ type: 'summary', summary: this.summary() });
    return this.summary();
  }

  private onBatch(src: Extract<Source, { kind: 'live' }>, batch: CaptureBatch): void {
    if (batch.packets.length > 0) src.lastPacketAt = Date.now();
    for (const p of batch.packets) {
      const rec = { ts: p.ts, capLen: p.capLen, origLen: p.origLen, linkType: batch.linkType, data: p.data };
      src.ring.append(rec);
      if (src.rotate) {
        try {
          src.rotate.write(rec);
        } catch (e) {
          // A full disk must not stop the capture itself: stop the ring files and say why.
          this.emit({ type: 'error', message: `ring files stopped: ${e instanceof Error ? e.message : String(e)}` });
          try {
            src.rotate.close();
          } catch {
            // The file that failed cannot be finished either.
          }
          src.rotate = null;
        }
      }
    }
    src.stats.captured = Math.max(src.stats.captured, src.ring.count);
    src.stats.ringEvicted = src.ring.evicted;
    src.stats.ringBytes = src.ring.bytes;
    this.statsDirty = true;
    this.rowsDirty = true;
    this.kick();
  }

  private async stopCapture(): Promise<SessionSummary> {
    const src = this.source;
    if (src.kind !== 'live') throw new Error('no capture is running');
    if (src.capture) {
      src.stats.state = 'stopping';
      const c = src.capture;
      src.capture = null;
      src.endedAt ??= Date.now();
      const final = await c.stop();
      src.stats = { ...final, state: 'stopped', ringEvicted: src.ring.evicted, ringBytes: src.ring.bytes };
      src.rotate?.close();
      src.rotate = null;
    }
    this.statsDirty = true;
    await this.waitFor(() => !this.hasWork());
    return this.summary();
  }

  private captureStats(): CaptureStats {
    const src = this.source;
    if (src.kind !== 'live') return { state: 'idle', captured: 0, received: 0, dropped: 0, ifDropped: 0, ringEvicted: 0, ringBytes: 0 };
    return { ...src.stats, ringEvicted: src.ring.evicted, ringBytes: src.ring.bytes };
  }

  // -------------------------------------------------------------------------------------------
  // Filters

  private compile(text: string): { ok: true; filter: AnyFilter | null; result: FilterApplied & { ok: true } } | { ok: false; result: FilterApplied } {
    const t = text.trim();
    if (t === '') return { ok: true, filter: null, result: { ok: true, language: 'none', displayed: 0 } };
    const r = compileFilter(text);
    if (!r.ok) return { ok: false, result: { ok: false, error: r.error } };
    if (r.language === 'tcpdump') {
      // libpcap refuses some expressions for some link types ("not a broadcast link").
      const s = this.store();
      const lt = s && s.count() >= s.firstAvailable() ? s.frame(s.firstAvailable()).linkType : null;
      const err = lt !== null ? r.filter.errorFor(lt) : null;
      if (err) return { ok: false, result: { ok: false, language: 'tcpdump', error: { message: err, start: 0, end: text.length } } };
    }
    const result: FilterApplied & { ok: true } = { ok: true, language: r.language, displayed: 0 };
    const eq = equivalent(text);
    if (eq) result.equivalent = eq;
    return { ok: true, filter: r.filter, result };
  }

  /** Compiles without applying; `displayed` is -1 (not counted). */
  private checkFilter(text: string): FilterApplied {
    const c = this.compile(text);
    if (!c.ok) return c.result;
    return { ...c.result, displayed: -1 };
  }

  private async applyFilter(text: string): Promise<FilterApplied> {
    const c = this.compile(text);
    if (!c.ok) return c.result;
    this.filter = c.filter;
    this.fast = c.filter && c.filter.language === 'display' && fastPathCovers(c.filter.fields) ? new FastFieldSource() : null;
    // Frames the pass went over are first asked from what it remembers (layers, the protocols
    // whose fields each frame has, the fast path's fields); only the rest are dissected again.
    this.layerSource = c.filter && c.filter.language === 'display' && !this.fast ? new LayerFieldSource() : null;
    this.filterText = c.filter ? text : '';
    this.view = new FilteredView(c.filter !== null);
    const s = this.store();
    if (s) this.view.testedUpTo = c.filter ? s.firstAvailable() - 1 : this.analysis.frontier;
    this.startFilterWorker();
    this.rowsDirty = true;
    if (s && c.filter) {
      const view = this.view;
      await this.whenIndexed();
      await this.waitFor(() => view !== this.view || view.testedUpTo >= s.count());
    }
    // The sort outlives the filter: the new view is sorted the same way before rows are read.
    if (this.sortKey) await this.resort();
    return { ...c.result, displayed: this.displayed() };
  }

  private fields(a: ArgsOf<'filter.fields'>): FieldCompletion[] {
    const limit = a.limit ?? 50;
    const out: FieldCompletion[] = [];
    const list = allFields().filter((f) => f.name.startsWith(a.prefix) && !f.name.startsWith('_ws.'));
    list.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
    for (const f of list) {
      if (out.length >= limit) break;
      out.push({ name: f.name, type: FT_NAMES[f.type], description: f.description ?? f.label });
    }
    return out;
  }

  private async values(a: ArgsOf<'filter.values'>): Promise<string[]> {
    const set = VALUE_SETS[a.field];
    if (set === undefined) return [];
    const limit = a.limit ?? 100;
    const vals = this.analysis.valuesOf(set).filter((v) => v.startsWith(a.prefix));
    const numeric = vals.every((v) => /^\d+$/.test(v));
    vals.sort(numeric ? (x, y) => Number(x) - Number(y) : undefined);
    return vals.slice(0, limit);
  }

  // -------------------------------------------------------------------------------------------
  // Rows and details

  private async rows(a: ArgsOf<'packets.rows'>): Promise<PacketRow[]> {
    const s = this.store();
    if (!s) return [];
    const fmt: TimeFormat = a.timeFormat ?? 'relative';
    let frames = this.rowFrames(a.start, a.end, s);
    if (frames.length < a.end - a.start && this.indexing()) {
      // Rows beyond what the early index holds: wait for the whole index.
      await this.whenIndexed();
      frames = this.rowFrames(a.start, a.end, s);
    }
    if (frames.length === 0) return [];
    const last = Math.max(...frames);
    // Rows far beyond a file's pass (End pressed right after opening a big file) are waited for
    // briefly, then answered pending; nearer ones are waited for. A live pass keeps up or skips ahead.
    const reached = this.waitFor(() => this.analysis.frontier >= last);
    if (this.source.kind === 'file' && last > this.analysis.frontier + PENDING_ROWS_BEYOND) {
      // Left waiting once the delay won: a close that rejects it later is nobody's error.
      reached.catch(() => undefined);
      await Promise.race([reached, delay(PENDING_ROWS_WAIT_MS)]);
    } else {
      await reached;
    }
    const frontier = this.analysis.frontier;
    // The page asks again for pending rows as progress events' `analysed` passes them: the
    // pass's end is then said even if no progress event went out before it.
    if (frontier < last) this.progressShown = true;
    const out: PacketRow[] = [];
    const firstTs = s.time(s.firstAvailable());
    for (const n of frames) {
      if (n < s.firstAvailable()) continue; // evicted meanwhile
      out.push(n > frontier ? this.pendingRow(s, n, fmt, firstTs) : this.row(s, n, fmt, firstTs));
    }
    return out;
  }

  /**
   * Frame n's row before the pass got to it: what the frame alone shows (a dissection without
   * history: no TCP analysis, no reassembly). Its Info and colour would be wrong (absolute
   * sequence numbers, no retransmission marks), so there are none yet. Its tcp.stream is the
   * pre-pass's when that has seen the frame (the same numbers: the connection list is built on them).
   */
  private pendingRow(s: FrameStore, n: number, fmt: TimeFormat, firstTs: AbsTime): PacketRow {
    const frame = s.frame(n);
    const d = dissect(frame, new CaptureState(), { tree: false, wanted: NO_FIELDS });
    const row: PacketRow = { number: n, time: this.timeColumn(s, n, frame, fmt, firstTs), source: d.src, destination: d.dst, protocol: d.protocol, length: frame.origLen, info: '', pending: true };
    const stream = this.analysis.tcpStreamOf(n);
    if (stream >= 0) row.tcpStream = stream;
    return row;
  }

  private row(s: FrameStore, n: number, fmt: TimeFormat, firstTs: AbsTime): PacketRow {
    const frame = s.frame(n);
    const d = dissect(frame, this.captureFor(n), { tree: false, wanted: ROW_WANTED });
    return packetRow(d, this.timeColumn(s, n, frame, fmt, firstTs));
  }

  /** Frame n's Time column in the asked format (from the index: needs no pass). */
  private timeColumn(s: FrameStore, n: number, frame: FrameInput, fmt: TimeFormat, firstTs: AbsTime): string {
    return formatTime(fmt, frame.ts, frame.firstTs ?? firstTs, frame.prevTs, s.timeDigits(n));
  }

  /** Frame numbers of rows [start, end) of the view, in sorted order when sorted. */
  private rowFrames(start: number, end: number, s: FrameStore): number[] {
    const sorted = this.sorted && this.sorted.view === this.view ? this.sorted : null;
    return (sorted ?? this.view).slice(start, end, s.count(), s.firstAvailable());
  }

  private async sortRows(a: ArgsOf<'packets.sort'>): Promise<{ displayed: number }> {
    this.sortKey = a.column === null ? null : { column: a.column, descending: a.descending ?? false };
    this.sorted = null;
    if (this.sortKey) await this.resort();
    this.rowsDirty = true;
    return { displayed: this.displayed() };
  }

  /** Sorts the current view by the current key, once its filter has tested every frame. */
  private async resort(): Promise<void> {
    const s = this.store();
    const key = this.sortKey;
    if (!s || !key) return;
    const view = this.view;
    const gen = this.generation;
    const current = () => gen === this.generation && view === this.view && key === this.sortKey;
    await this.whenIndexed();
    const upTo = s.count();
    // A filtered view once its filter has tested every frame; without a filter every frame is in it.
    await this.waitFor(() => !current() || !view.filtered || view.testedUpTo >= upTo);
    if (!current()) return;
    const frames = Uint32Array.from(view.all(s.count(), s.firstAvailable()));
    const text = key.column !== 'number' && key.column !== 'time' && key.column !== 'length';
    // Text columns are the rows' strings, which depend on the pass's state (TCP analysis).
    if (text && frames.length > 0) await this.waitFor(() => !current() || this.analysis.frontier >= frames[frames.length - 1]!);
    if (!current()) return;
    const order = this.sortByRecordedColumn(frames, key) ?? await this.sortBySummaries(frames, key, s, current);
    if (order && current()) {
      this.sorted = new SortedRows(view, key, order, s.firstAvailable());
      this.rowsDirty = true;
    }
  }

  /**
   * `frames` sorted by the texts the pass recorded of them (column-texts.ts), or null for a
   * column it does not record or when it has not all of them.
   */
  private sortByRecordedColumn(frames: Uint32Array, key: SortKey): Uint32Array | null {
    const column = key.column;
    if (column !== 'source' && column !== 'destination' && column !== 'protocol') return null;
    const texts = this.analysis.columnTexts;
    const ids = texts.idsOf(column, frames);
    return ids && sortByTextIds(frames, ids, (id) => texts.text(id), column !== 'protocol', key.descending);
  }

  /** `frames` sorted by `key`, each frame's columns made as packets.rows makes them. */
  private sortBySummaries(frames: Uint32Array, key: SortKey, s: FrameStore, current: () => boolean): Promise<Uint32Array | null> {
    // A frame evicted while the strings are made sorts as empty; SortedRows drops it anyway.
    const evicted = { source: '', destination: '', protocol: '', info: '' };
    const summaryOf = (n: number) => {
      if (n < s.firstAvailable()) return evicted;
      // The row's strings without the rest of a row (its time, colour and stream).
      const d = dissect(s.frame(n), this.captureFor(n), { tree: false, wanted: NO_FIELDS });
      return { source: d.src, destination: d.dst, protocol: d.protocol, info: d.info };
    };
    return sortFrames(frames, key, s, summaryOf, yieldToLoop, current);
  }

  /** The pass's state for frame n, or a blank one for a frame the pass skipped. */
  private captureFor(n: number): CaptureState {
    return this.analysis.wasSkipped(n) ? new CaptureState() : this.analysis.capture;
  }

  private find(n: number): number {
    const s = this.store();
    if (!s) return -1;
    if (this.view.filtered && n > this.view.testedUpTo) return -1;
    const sorted = this.sorted && this.sorted.view === this.view ? this.sorted : null;
    return (sorted ?? this.view).rowOf(n, s.count(), s.firstAvailable());
  }

  private async detail(n: number): Promise<ReturnType<typeof packetDetail>> {
    const s = this.store();
    if (!s) throw new Error('no capture is open');
    if (n > s.count() && this.indexing()) await this.whenIndexed();
    if (n < s.firstAvailable() || n > s.count()) throw new Error(`frame ${n} is not available (${s.firstAvailable()}..${s.count()})`);
    await this.waitFor(() => this.analysis.frontier >= n);
    const d = dissect(s.frame(n), this.captureFor(n), { tree: true });
    return packetDetail(d);
  }

  // -------------------------------------------------------------------------------------------
  // TCP and statistics (over the whole capture, as Wireshark's Statistics menu)

  /** The store once every frame was observed (conversations, connections and alerts are whole). */
  private async observed(): Promise<FrameStore | null> {
    const s = this.store();
    if (!s) return null;
    await this.whenIndexed();
    await this.waitFor(() => this.store() !== s || this.analysis.observedAll(s));
    return this.store() === s ? s : null;
  }

  private firstTime(s: FrameStore): number {
    const t = s.time(s.firstAvailable());
    return t.sec + t.nsec / 1e9;
  }

  private async connections(soFar: boolean): Promise<ConnectionRow[]> {
    const s = soFar ? this.store() : await this.observed();
    if (!s) return [];
    const health = this.analysis.conv.health;
    // Alerts per stream, counted once (a scan or flood alert may list thousands of streams).
    const alertsOf = new Map<number, number>();
    for (const a of this.currentAlerts()) for (const st of new Set(a.streams)) alertsOf.set(st, (alertsOf.get(st) ?? 0) + 1);
    const conv = this.analysis.conv;
    const t0 = this.source.kind === 'file' ? this.firstTime(s) : this.liveT0(s);
    return health.lifecycle.connections().map((c) => {
      const bytes = conv.tcpBytes(c.stream);
      const row: ConnectionRow = {
        stream: c.stream,
        client: c.client.addr,
        server: c.server.addr,
        clientPort: c.client.port,
        serverPort: c.server.port,
        start: c.startTime - t0,
        end: c.endTime - t0,
        packets: c.client.frames + c.server.frames,
        bytes: bytes ?? c.client.bytes + c.server.bytes,
        endState: c.end,
        summary: completenessSentence(c),
        alerts: alertsOf.get(c.stream) ?? 0,
      };
      if (c.handshake.rtt !== undefined) row.handshakeRtt = c.handshake.rtt;
      if (c.teardown.closedFirstBy) row.closedFirstBy = c.teardown.closedFirstBy;
      return row;
    });
  }

  private liveT0(s: FrameStore): number {
    const t = this.source.kind === 'live' ? this.source.ring.firstTime : null;
    if (t) return t.sec + t.nsec / 1e9;
    return this.firstTime(s);
  }

  /** Alerts so far; a file that is fully analysed gets the end-of-capture groupings too. */
  private currentAlerts() {
    const health = this.analysis.conv.health;
    const s = this.store();
    const src = this.source;
    const complete = src.kind === 'file' && src.indexDone && s !== null && this.analysis.observedAll(s);
    if (complete) return health.finish();
    // Before a file's end (or while capturing): the alerts raised so far, and the groupings that
    // hold already (TcpHealth.settled: refused, reset, handshakes unanswered for a few seconds).
    return [...health.alerts(), ...health.settled(this.idleSeconds())];
  }

  /** A live capture's clock runs on while no packet comes, until the capture ends: for how long it has. */
  private idleSeconds(): number {
    const src = this.source;
    return src.kind === 'live' ? Math.max(0, (src.endedAt ?? Date.now()) - src.lastPacketAt) / 1000 : 0;
  }

  /**
   * While capturing, the groupings that came to hold or grew since the last call (one event per
   * kind and service or host): a SYN nobody answers produces no packet, only time, so without
   * an event the panels would not ask again until the next packet.
   */
  private newlySettledAlerts(): TcpAlert[] {
    const src = this.source;
    if (src.kind !== 'live') return [];
    return src.alertsSaid.news(this.analysis.conv.health.settled(this.idleSeconds()));
  }

  private async lifecycle(stream: number) {
    // The ladder's segments are not kept for every connection (memory): replay this one's.
    const tracker = new LifecycleTracker({ keepSegments: true });
    const c = await this.replayStream(stream, (_n, facts, verdict) => tracker.push(facts, verdict), (_d, obs) => {
      for (const t of obs.tcp) if (t.verdict.stream === stream) tracker.push(t.facts, t.verdict);
    });
    return tracker.connection(stream) ?? c;
  }

  /**
   * Replays the frames of a TCP stream in order (the pre-pass saw them all: the full pass need
   * not have got there): from their headers and the verdicts the tracker stored for them when
   * the header path reads them (`fromHeaders`, with the segment's payload as captured), else
   * dissected again once the pass went over them (`fromDissection`, with the observer's fields).
   * Returns the connection's record as the pre-pass made it (without segments).
   */
  private async replayStream(stream: number,
    fromHeaders: ((n: number, facts: TcpSegmentFacts, verdict: TcpSegmentVerdict, payload: Uint8Array) => void) | null,
    fromDissection: (d: Dissection, obs: PacketObservation) => void, wanted: ReadonlySet<number> = this.analysis.observer.wanted): Promise<ConnectionLifecycle> {
    const s = await this.observed();
    const c = s ? this.analysis.conv.health.lifecycle.connection(stream) : undefined;
    if (!s || !c) throw new Error(`no TCP stream ${stream} in this capture`);
    for (const n of this.analysis.framesOfStream(stream)) {
      if (n < s.firstAvailable()) continue;
      // Without fromHeaders every frame is dissected (what its payload's protocols made is wanted).
      const replayed = fromHeaders !== null && this.analysis.replayTcp(s, n, (facts, verdict, payload) => {
        if (verdict.stream === stream) fromHeaders(n, facts, verdict, payload);
      });
      if (replayed) continue;
      await this.waitFor(() => this.store() !== s || this.analysis.frontier >= n);
      if (this.store() !== s) throw new Error(`no TCP stream ${stream} in this capture`);
      if (n < s.firstAvailable()) continue;
      const { d, obs } = this.analysis.observeAgain(s, n, wanted);
      fromDissection(d, obs);
    }
    return c;
  }

  private async follow(stream: number): Promise<FollowedStream> {
    const follower = new TcpFollower();
    const push = (n: number, facts: TcpSegmentFacts, verdict: TcpSegmentVerdict, payload: Uint8Array) => follower.push({
      frame: n, netSrc: facts.netSrc, srcPort: facts.srcPort, netDst: facts.netDst, dstPort: facts.dstPort,
      seq: verdict.seq, ack: facts.flags & TH_ACK ? verdict.ack : facts.ack, flags: facts.flags, len: facts.len, payload: payload.slice(),
    });
    const c = await this.replayStream(stream, push, (d, obs) => {
      // The observer keeps no payload: find each header by its ports in the bytes it came from
      // (the frame, or a reassembled IP datagram).
      const headers = d.flat
        .filter((x) => x.field.id === TCP_SRCPORT)
        .map((x) => ({ data: d.sources[x.source ?? 0] ?? d.frame.data, at: x.start }));
      for (const { facts, verdict } of obs.tcp) {
        const i = headers.findIndex((h) => h.at + 4 <= h.data.length && readU16(h.data, h.at) === facts.srcPort && readU16(h.data, h.at + 2) === facts.dstPort);
        const h = i < 0 ? undefined : headers.splice(i, 1)[0]!;
        // tshark taps only headers whose segment length is known (th_have_seglen) and that were
        // captured whole: reading cut-off options throws before the follow tap is queued.
        if (verdict.stream !== stream || facts.haveSegLen === false || facts.inErrorPacket) continue;
        if (!h || h.at + facts.hdrLen > h.data.length) continue;
        const start = h.at + facts.hdrLen;
        push(d.frame.number, facts, verdict, h.data.subarray(start, Math.min(start + facts.len, h.data.length)));
      }
    }, new Set([...this.analysis.observer.wanted, TCP_SRCPORT]));
    const node = (e: { addr: string; port: number } | null, fallback: string) => (e ? `${e.addr}:${e.port}` : fallback);
    return {
      stream,
      client: node(follower.client, `${c.client.addr}:${c.client.port}`),
      server: node(follower.server, `${c.server.addr}:${c.server.port}`),
      chunks: follower.records.map((r) => ({ from: r.from, frame: r.frame, bytes: Buffer.from(r.bytes).toString('base64') })),
    };
  }

  /**
   * Follow TLS Stream: each frame of the connection dissected again (its records decrypted as on
   * the first pass) and the application data of each record in order, client's and server's.
   */
  private async followTls(stream: number): Promise<FollowedStream> {
    const chunks: FollowedStream['chunks'] = [];
    let firstDecrypted: FollowedStream['firstDecrypted'];
    const c = await this.replayStream(stream, null, (d) => {
      for (const r of (d.ctx.scratch[TLS_FOLLOW_SCRATCH] as TlsFollowChunk[] | undefined) ?? []) {
        const from = r.fromServer ? 'server' : 'client';
        firstDecrypted ??= from;
        if (r.appData && r.bytes.length > 0) chunks.push({ from, frame: d.frame.number, bytes: Buffer.from(r.bytes).toString('base64') });
      }
    });
    return { stream, client: `${c.client.addr}:${c.client.port}`, server: `${c.server.addr}:${c.server.port}`, chunks, ...(firstDecrypted ? { firstDecrypted } : {}) };
  }

  /**
   * Follow UDP Stream: the udp.stream of packet `frame` (its first UDP header's), then every
   * packet the pass saw with UDP dissected again for its datagrams (udp-follower.ts).
   */
  private async followUdp(frame: number): Promise<FollowedStream> {
    const s = await this.observed();
    if (!s || frame < s.firstAvailable() || frame > s.count()) throw new Error(`no packet ${frame} in this capture`);
    const wanted = udpFollowFieldIds();
    const stream = udpStreamsOf(this.analysis.observeAgain(s, frame, wanted).d)[0];
    if (stream === undefined) throw new Error(`packet ${frame} has no UDP header to follow`);
    const follower = new UdpFollower(new Set([stream]));
    const udp = fieldByName('udp')!.id;
    for (let n = s.firstAvailable(); n <= s.count(); n++) {
      // Frames the pass saw without UDP are passed over (the rest, not yet seen, are dissected).
      const layers = this.analysis.layersOf(n);
      if (layers && !layers.counts.has(udp)) continue;
      follower.push(this.analysis.observeAgain(s, n, wanted).d, n);
      // A long capture: let the session answer other requests now and then.
      if (n % 20_000 === 0) {
        await new Promise((r) => setImmediate(r));
        if (this.store() !== s) throw new Error('the capture was closed');
      }
    }
    return follower.streams.get(stream) ?? { stream, client: '', server: '', chunks: [] };
  }

  private async alerts() {
    const s = await this.observed();
    if (!s) return [];
    return this.currentAlerts();
  }

  private async conversations(proto: 'TCP' | 'UDP'): Promise<ConversationRow[]> {
    const s = await this.observed();
    if (!s) return [];
    const t = this.analysis.conv.table();
    return (proto === 'TCP' ? t.tcp : t.udp).map((r) => ({
      proto, addressA: r.addrA, portA: r.portA, addressB: r.addrB, portB: r.portB,
      framesAtoB: r.framesAB, bytesAtoB: r.bytesAB, framesBtoA: r.framesBA, bytesBtoA: r.bytesBA,
      relStart: r.relStart, duration: r.duration, stream: r.stream,
      handshakeRtt: r.handshakeRtt, closedFirstBy: r.closedFirstBy, end: r.end,
    }));
  }

  private async endpoints() {
    // Counted by the pre-pass, as the conversations are: no need to wait for the full pass.
    const s = await this.observed();
    if (!s) return [];
    return this.analysis.endpoints.list();
  }

  /**
   * The notes come from the full dissection: a file's table once the pass is at its end (with
   * `soFar`, as it stands), a live capture's as it stands.
   */
  private async experts(soFar: boolean) {
    const s = this.store();
    if (!s) return [];
    if (this.source.kind === 'file' && !soFar) await this.whenAnalyzed();
    return this.store() === s ? this.analysis.experts.all() : [];
  }

  /**
   * The packets on display counted by the top-level items of their detail trees, as
   * packet.detail builds them (Wireshark's Protocol Hierarchy dialog takes the same trees).
   */
  private async hierarchy(): Promise<Hierarchy & { filter: string }> {
    const s = this.store();
    const filter = this.filterText;
    if (!s) return { rows: [], packets: 0, bytes: 0, filter };
    if (this.source.kind === 'file') await this.whenAnalyzed();
    const view = this.view;
    // The frames the pass has dissected (all of a file's by now).
    const analysed = () => Math.min(s.count(), this.analysis.frontier);
    await this.waitFor(() => view !== this.view || !view.filtered || view.testedUpTo >= analysed());
    const current = () => view === this.view && this.store() === s;
    if (!current()) throw new Error('the display filter or the capture changed');
    const table = new ProtocolHierarchy();
    const frames = view.all(analysed(), s.firstAvailable());
    for (let i = 0; i < frames.length; i++) {
      const n = frames[i]!;
      // A live capture's ring may have let it go meanwhile.
      if (n < s.firstAvailable()) continue;
      const d = dissect(s.frame(n), this.captureFor(n), { tree: true });
      table.count(d.roots, d.frame.origLen);
      // A big capture: let the session answer other requests now and then.
      if (i % 5000 === 4999) {
        await yieldToLoop();
        if (!current()) throw new Error('the display filter or the capture changed');
      }
    }
    return { ...table.table(), filter };
  }
}

function readU16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}

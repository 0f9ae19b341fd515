// Health alerts over the connections of a capture: SYN floods and half-open connections, port
// scans, unanswered SYNs, refused connections, connections reset by each side. TcpHealth wraps
// a LifecycleTracker and watches its segments; the flood and scan detectors fire at the segment
// that crosses their threshold (so a live capture hears of them at once, and one batch or many
// give the same alerts); the groupings (unanswered SYNs, half-open, refused, resets) come from
// finish() at the end of a capture, and from settled() before it (live captures) once they
// hold. Thresholds are the named constants below.
import type { TcpSegmentFacts, TcpSegmentVerdict } from '../dissect/tcp-hook.js';
import { LifecycleTracker, type ConnectionLifecycle, type LifecycleEvent, type LifecycleOptions } from './lifecycle.js';

/** A SYN flood: at least this many half-open connections towards one service ... */
export const SYN_FLOOD_MIN_HALF_OPEN = 50;
/** ... from at least this many distinct source addresses ... */
export const SYN_FLOOD_MIN_SOURCES = 20;
/** ... whose SYNs arrived within this many seconds. */
export const SYN_FLOOD_WINDOW_S = 10;
/** A port scan: one source whose SYNs failed (refused, never answered, or reset by it after the SYN-ACK) on this many distinct ports ... */
export const PORT_SCAN_MIN_PORTS = 20;
/** ... within this many seconds. */
export const PORT_SCAN_WINDOW_S = 60;
/**
 * Before the end of a capture, a SYN not answered for this many seconds of capture time is an
 * unanswered-SYN alert (a client's connect has retried twice by then: Linux waits 1 s, then 2 s),
 * and a SYN-ACK not acknowledged as long a half-open one (the server has retried twice too).
 */
export const UNANSWERED_AFTER_S = 3;
/** At most this many frame numbers are listed per alert (the streams are always all listed). */
export const ALERT_MAX_FRAMES = 1000;

export type AlertKind = 'syn-flood' | 'port-scan' | 'unanswered-syn' | 'half-open' | 'refused' | 'reset';

export interface TcpAlert {
  kind: AlertKind;
  severity: 'error' | 'warning' | 'note';
  /** One line a user can grep. */
  message: string;
  /** The service attacked / not answering ("addr:port"), when the alert is about one. */
  service?: string;
  /** The scanner / the side that reset. */
  source?: string;
  /** Every host involved (addresses). */
  hosts: string[];
  /** tcp.stream numbers of the connections concerned. */
  streams: number[];
  /** The packets that show it (first SYN / RST of each connection), capped at ALERT_MAX_FRAMES. */
  frames: number[];
  /** Frame at which the alert was raised. */
  raisedAt: number;
}

export type TcpEvent = LifecycleEvent | { type: 'alert'; frame: number; time: number; alert: TcpAlert };

/** "addr:port", an IPv6 address in brackets (a service, or one end of a connection). */
export function service(addr: string, port: number): string {
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}

interface PendingSyn {
  stream: number;
  time: number;
  src: string;
  live: boolean;
}

/** Per service: the half-open connections whose SYN is within the flood window. */
class FloodWatch {
  readonly window: PendingSyn[] = [];
  start = 0;
  pending = 0;
  readonly sources = new Map<string, number>();
  readonly byStream = new Map<number, PendingSyn>();
  alert: TcpAlert | null = null;

  add(p: PendingSyn): void {
    this.window.push(p);
    this.byStream.set(p.stream, p);
    this.pending++;
    this.sources.set(p.src, (this.sources.get(p.src) ?? 0) + 1);
  }

  resolve(stream: number): void {
    const p = this.byStream.get(stream);
    if (!p || !p.live) return;
    p.live = false;
    this.drop(p);
  }

  slide(now: number): void {
    while (this.start < this.window.length && this.window[this.start]!.time < now - SYN_FLOOD_WINDOW_S) {
      const p = this.window[this.start++]!;
      this.byStream.delete(p.stream);
      if (p.live) this.drop(p);
    }
    if (this.start > 1024 && this.start * 2 > this.window.length) {
      this.window.splice(0, this.start);
      this.start = 0;
    }
  }

  private drop(p: PendingSyn): void {
    this.pending--;
    const n = (this.sources.get(p.src) ?? 1) - 1;
    if (n) this.sources.set(p.src, n);
    else this.sources.delete(p.src);
  }
}

interface ScanWatch {
  /** "target|port" → time of the failure, for the distinct ports that failed. */
  failed: Array<{ key: string; time: number; stream: number; frame: number; target: string }>;
  alert: TcpAlert | null;
}

/**
 * The lifecycle tracker plus the health detectors. push() returns the lifecycle events and any
 * alert raised by this segment; finish() adds the end-of-capture alerts and returns them all.
 */
export class TcpHealth {
  readonly lifecycle: LifecycleTracker;
  private readonly floods = new Map<string, FloodWatch>();
  private readonly scans = new Map<string, ScanWatch>();
  private readonly raised: TcpAlert[] = [];
  private finished: TcpAlert[] | null = null;
  /** The latest segment's time (the capture's "now" for settled()). */
  private latest = 0;

  /** Whether the detectors run (the conversation table alone needs only the lifecycle). */
  private readonly detect: boolean;

  constructor(options: LifecycleOptions = {}) {
    this.detect = options.alerts !== false;
    // The detectors read the lifecycle's events.
    this.lifecycle = new LifecycleTracker({ ...options, events: this.detect || options.events !== false });
  }

  push(f: TcpSegmentFacts, v: TcpSegmentVerdict): TcpEvent[] {
    if (f.time > this.latest) this.latest = f.time;
    let events: TcpEvent[] = this.lifecycle.push(f, v);
    if (!this.detect) return events;
    const c = this.lifecycle.connection(v.stream);
    if (!c || f.inErrorPacket) return events;
    const svc = service(c.server.addr, c.server.port);
    // A connection's first SYN: a candidate half-open connection towards its service.
    if (c.handshake.synFrame === f.frame && c.roleKnown) {
      let w = this.floods.get(svc);
      if (!w) this.floods.set(svc, (w = new FloodWatch()));
      w.slide(f.time);
      w.add({ stream: c.stream, time: f.time, src: c.client.addr, live: true });
      if (w.alert) this.extendFlood(w.alert, c);
      else if (w.pending >= SYN_FLOOD_MIN_HALF_OPEN && w.sources.size >= SYN_FLOOD_MIN_SOURCES) {
        const streams = w.window.slice(w.start).filter((p) => p.live).map((p) => p.stream);
        w.alert = {
          kind: 'syn-flood', severity: 'error', message: '', service: svc, hosts: [], streams: [], frames: [], raisedAt: f.frame,
        };
        for (const s of streams) {
          // A live capture may have forgotten one already (more evicted connections waiting than
          // it keeps, see LifecycleTracker.forget): the alert lists the ones it still knows.
          const known = this.lifecycle.connection(s);
          if (known) this.extendFlood(w.alert, known);
        }
        this.raised.push(w.alert);
        // lifecycle.push answers a segment without events with one shared (frozen) empty array.
        if (events.length === 0) events = [];
        events.push({ type: 'alert', frame: f.frame, time: f.time, alert: w.alert });
      }
    }
    for (const e of events) {
      if (e.type === 'established' || e.type === 'reset' || e.type === 'refused') this.floods.get(svc)?.resolve(e.stream);
      // A SYN scan: refused ports, and open ones the scanner resets instead of completing.
      if (e.type === 'refused' || (e.type === 'reset' && e.by === 'client' && !c.handshake.complete && c.handshake.synAckFrame !== undefined)) {
        const a = this.noteScanFailure(c, f.frame, f.time);
        if (a) events.push({ type: 'alert', frame: f.frame, time: f.time, alert: a });
      }
    }
    return events;
  }

  private extendFlood(a: TcpAlert, c: ConnectionLifecycle): void {
    a.streams.push(c.stream);
    if (a.frames.length < ALERT_MAX_FRAMES && c.handshake.synFrame !== undefined) a.frames.push(c.handshake.synFrame);
    if (!a.hosts.includes(c.server.addr)) a.hosts.unshift(c.server.addr);
    if (a.hosts.length <= 1000 && !a.hosts.includes(c.client.addr)) a.hosts.push(c.client.addr);
    a.message = `SYN flood towards ${a.service}: ${a.streams.length} half-open connections from ${a.hosts.length - 1} sources`;
  }

  /** A SYN from c's client failed (refused, or never answered at the end of the capture). */
  private noteScanFailure(c: ConnectionLifecycle, frame: number, time: number): TcpAlert | null {
    const src = c.client.addr;
    let w = this.scans.get(src);
    if (!w) this.scans.set(src, (w = { failed: [], alert: null }));
    const key = `${c.server.addr}|${c.server.port}`;
    if (w.failed.some((x) => x.key === key)) return null;
    w.failed.push({ key, time, stream: c.stream, frame: c.handshake.synFrame ?? frame, target: c.server.addr });
    if (w.alert) {
      this.fillScan(w.alert, w, src);
      return null;
    }
    const recent = w.failed.filter((x) => x.time >= time - PORT_SCAN_WINDOW_S);
    if (recent.length < PORT_SCAN_MIN_PORTS) return null;
    w.alert = { kind: 'port-scan', severity: 'warning', message: '', source: src, hosts: [], streams: [], frames: [], raisedAt: frame };
    this.fillScan(w.alert, w, src);
    this.raised.push(w.alert);
    return w.alert;
  }

  private fillScan(a: TcpAlert, w: ScanWatch, src: string): void {
    const targets = [...new Set(w.failed.map((x) => x.target))];
    a.hosts = [src, ...targets];
    a.streams = w.failed.map((x) => x.stream);
    a.frames = w.failed.slice(0, ALERT_MAX_FRAMES).map((x) => x.frame);
    const on = targets.length === 1 ? targets[0] : `${targets.length} hosts`;
    a.message = `port scan from ${src}: ${w.failed.length} ports probed on ${on} (SYNs refused, unanswered, or reset by the scanner after the SYN-ACK)`;
  }

  /**
   * The tracker forgot this stream (a live ring evicted all of it, see LifecycleTracker.forget).
   * Its service's flood watch goes too when nothing in it is pending: a watch is made again by
   * the next SYN. Port-scan watches and raised alerts are kept (they grow with attacks, not with
   * ordinary traffic).
   */
  forget(stream: number): void {
    const c = this.lifecycle.connection(stream);
    this.lifecycle.forget(stream);
    if (!c) return;
    const svc = service(c.server.addr, c.server.port);
    const w = this.floods.get(svc);
    if (w && w.pending === 0 && !w.alert) this.floods.delete(svc);
  }

  /** The alerts raised so far (live objects). */
  alerts(): TcpAlert[] {
    return this.finished ?? this.raised;
  }

  /**
   * End of the capture: unanswered SYNs count towards port scans, SYN floods drop connections
   * that completed after all, and the per-service / per-side groupings are added.
   */
  finish(): TcpAlert[] {
    if (this.finished) return this.finished;
    const conns = this.lifecycle.connections();
    const byId = new Map(conns.map((c) => [c.stream, c] as const));
    for (const c of conns) if (unansweredSyn(c)) this.noteScanFailure(c, c.handshake.synFrame!, c.startTime);
    const out: TcpAlert[] = [];
    for (const a of this.raised) {
      if (a.kind === 'syn-flood') {
        a.streams = a.streams.filter((s) => byId.get(s)?.end === 'half-open');
        a.frames = a.streams.slice(0, ALERT_MAX_FRAMES).map((s) => byId.get(s)!.handshake.synFrame!);
        const sources = new Set(a.streams.map((s) => byId.get(s)!.client.addr));
        a.hosts = [a.hosts[0]!, ...sources];
        a.message = `SYN flood towards ${a.service}: ${a.streams.length} half-open connections from ${sources.size} sources`;
      }
      out.push(a);
    }
    // Groupings per service: unanswered SYNs, handshakes left at SYN_RCVD.
    groupPerService(out, conns, 'unanswered-syn', unansweredSyn,
      (c) => c.handshake.synFrame!, (n, svc, s) => `unanswered SYN: ${n} connection${n === 1 ? '' : 's'} to ${svc} from ${s} source${s === 1 ? '' : 's'} never answered`);
    groupPerService(out, conns, 'half-open', leftInSynRcvd,
      (c) => c.handshake.synAckFrame!, (n, svc, s) => `half-open: ${n} connection${n === 1 ? '' : 's'} to ${svc} from ${s} source${s === 1 ? '' : 's'} left in SYN_RCVD (SYN-ACK never acknowledged)`);
    out.push(...this.settledAlerts(conns, scannedStreams(out)));
    this.finished = out;
    return out;
  }

  /**
   * Before the end of the capture (a live one has none), the groupings that hold already: SYNs
   * unanswered UNANSWERED_AFTER_S after the connection's first SYN, SYN-ACKs unacknowledged as
   * long, and the connections that ended in a way later packets cannot change (refused, reset).
   * The clock is the latest segment's time plus `idleS`, the seconds a live capture has gone
   * without packets (a quiet network stops the capture's own clock).
   */
  settled(idleS = 0): TcpAlert[] {
    if (this.finished) return [];
    const now = this.latest + idleS;
    const conns = this.lifecycle.connections();
    const scanned = scannedStreams(this.raised);
    const out: TcpAlert[] = [];
    // Measured from the first SYN / SYN-ACK, not the last packet: retransmissions keep coming
    // (Linux retries after 1, 2, 4 ... s), and an alert must not vanish with each of them.
    groupPerService(out, conns, 'unanswered-syn', (c) => unansweredSyn(c) && !scanned.has(c.stream) && now - c.startTime >= UNANSWERED_AFTER_S,
      (c) => c.handshake.synFrame!, (n, svc, s) => `unanswered SYN: ${n} connection${n === 1 ? '' : 's'} to ${svc} from ${s} source${s === 1 ? '' : 's'} not answered for ${UNANSWERED_AFTER_S} s`);
    groupPerService(out, conns, 'half-open', (c) => leftInSynRcvd(c) && now - c.handshake.synAckTime! >= UNANSWERED_AFTER_S,
      (c) => c.handshake.synAckFrame!, (n, svc, s) => `half-open: ${n} connection${n === 1 ? '' : 's'} to ${svc} from ${s} source${s === 1 ? '' : 's'} in SYN_RCVD (SYN-ACK not acknowledged for ${UNANSWERED_AFTER_S} s)`);
    out.push(...this.settledAlerts(conns, scanned));
    return out;
  }

  /** The refused and reset groupings of `conns`, but for the connections a port scan probed (`scanned`). */
  private settledAlerts(conns: readonly ConnectionLifecycle[], scanned: ReadonlySet<number>): TcpAlert[] {
    const out: TcpAlert[] = [];
    // Refused (the SYN answered by a RST: nothing listens there), per service. The ports a scan
    // probed are its alert's: a scan of a thousand closed ports is one alert, not a thousand.
    groupPerService(out, conns, 'refused', (c) => c.end === 'refused' && !scanned.has(c.stream), (c) => c.server.rstFrame ?? c.lastFrame,
      (n, svc, s) => `refused: ${n} connection${n === 1 ? '' : 's'} to ${svc} from ${s} source${s === 1 ? '' : 's'} (SYN answered by RST)`);
    // Resets, per side and host that sent them.
    const resets = new Map<string, { side: string; host: string; list: ConnectionLifecycle[] }>();
    for (const c of conns) if (c.end === 'reset' && c.teardown.resetBy) {
      const ep = c.teardown.resetBy === 'client' ? c.client : c.server;
      const k = `${c.teardown.resetBy}|${ep.addr}`;
      let r = resets.get(k);
      if (!r) resets.set(k, (r = { side: c.teardown.resetBy, host: ep.addr, list: [] }));
      r.list.push(c);
    }
    for (const r of resets.values()) {
      const n = r.list.length;
      const peers = [...new Set(r.list.map((c) => (r.side === 'client' ? c.server.addr : c.client.addr)))];
      out.push({
        kind: 'reset', severity: 'note', source: r.host,
        message: `reset by ${r.side} ${r.host}: ${n} connection${n === 1 ? '' : 's'}`,
        hosts: [r.host, ...peers], streams: r.list.map((c) => c.stream),
        frames: r.list.slice(0, ALERT_MAX_FRAMES).map((c) => (r.side === 'client' ? c.client.rstFrame! : c.server.rstFrame!)),
        raisedAt: r.list[n - 1]!.lastFrame,
      });
    }
    return out;
  }
}

/**
 * What has been said of the alerts so far (a live capture's events, `tcp --events` lines): per
 * kind and service or host, how many connections. An alert is news when new or grown.
 */
export class AlertLedger {
  private readonly said = new Map<string, number>();

  /** The alerts of `list` that are new or name more connections than when last said. */
  news(list: readonly TcpAlert[]): TcpAlert[] {
    const out: TcpAlert[] = [];
    for (const a of list) {
      const key = `${a.kind} ${a.service ?? a.source ?? ''}`;
      if ((this.said.get(key) ?? 0) >= a.streams.length) continue;
      this.said.set(key, a.streams.length);
      out.push(a);
    }
    return out;
  }
}

/** The streams of the port-scan alerts among `alerts`. */
function scannedStreams(alerts: readonly TcpAlert[]): Set<number> {
  return new Set(alerts.flatMap((a) => (a.kind === 'port-scan' ? a.streams : [])));
}

/** A connection whose SYN no SYN-ACK answered (half-open on the client's side). */
function unansweredSyn(c: ConnectionLifecycle): boolean {
  return c.end === 'half-open' && c.handshake.synFrame !== undefined && c.handshake.synAckFrame === undefined;
}

/** A connection whose SYN-ACK no ACK acknowledged (half-open on the server's side). */
function leftInSynRcvd(c: ConnectionLifecycle): boolean {
  return c.end === 'half-open' && c.handshake.synAckFrame !== undefined;
}

/** One warning per service (the server's address and port) for the connections `pick` takes. */
function groupPerService(out: TcpAlert[], conns: readonly ConnectionLifecycle[], kind: AlertKind, pick: (c: ConnectionLifecycle) => boolean,
  frameOf: (c: ConnectionLifecycle) => number, words: (n: number, svc: string, srcs: number) => string): void {
  const m = new Map<string, ConnectionLifecycle[]>();
  for (const c of conns) if (pick(c)) {
    const k = service(c.server.addr, c.server.port);
    let l = m.get(k);
    if (!l) m.set(k, (l = []));
    l.push(c);
  }
  for (const [svc, list] of m) {
    const sources = [...new Set(list.map((c) => c.client.addr))];
    out.push({
      kind, severity: 'warning', message: words(list.length, svc, sources.length), service: svc,
      hosts: [list[0]!.server.addr, ...sources], streams: list.map((c) => c.stream),
      frames: list.slice(0, ALERT_MAX_FRAMES).map(frameOf), raisedAt: list[list.length - 1]!.lastFrame,
    });
  }
}

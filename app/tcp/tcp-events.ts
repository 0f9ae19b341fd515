// `synscope tcp FILE --events`: the connection events and health alerts in capture order, one
// line each (a log to grep: when was each connection opened, established, closed, reset,
// refused): an alert line when a detector fires or a grouping comes to hold (TcpHealth.settled,
// looked at every SETTLED_EVERY packets), and at the end of the input the end-of-capture alerts
// not printed yet.
import { AlertLedger, service, TcpHealth, type TcpAlert, type TcpEvent } from './alerts.js';
import { STDIN_PATH } from '../file/bytes.js';
import type { ConnectionLifecycle } from './lifecycle.js';
import { observeCaptureBatches, type ObserveOptions } from './report.js';

export interface TcpEventsOptions extends ObserveOptions {
  /** JSON lines instead of text lines. */
  json?: boolean;
  /** Only this connection's events (tcp.stream). */
  stream?: number;
}

/**
 * One line of text for a connection event or an alert: the frame and the seconds since the
 * capture's first packet (`t0`, frame.time_relative) at which it happened, or for an alert at
 * which it was found (a grouping is looked at every SETTLED_EVERY packets).
 */
export function eventLine(e: TcpEvent, c: ConnectionLifecycle | undefined, t0: number): string {
  const when = `${String(e.frame).padStart(7)} ${(e.time - t0).toFixed(6).padStart(12)}`;
  if (e.type === 'alert') return `${when}  alert ${e.alert.severity}: ${e.alert.message}\n`;
  const who = c ? `  ${service(c.client.addr, c.client.port)} → ${service(c.server.addr, c.server.port)}` : '';
  return `${when}  ${e.type.padEnd(11)} stream ${e.stream}${who}${e.by ? ` (by ${e.by})` : ''}\n`;
}

/** One JSON line for a connection event or an alert (alerts as `synscope tcp --json` prints them). */
export function eventJson(e: TcpEvent, c: ConnectionLifecycle | undefined): string {
  if (e.type === 'alert') return `${JSON.stringify({ type: 'alert', ...e.alert })}\n`;
  const line: Record<string, unknown> = { type: 'event', event: e.type, stream: e.stream, frame: e.frame, time: e.time };
  if (e.by) line['by'] = e.by;
  if (c) {
    line['client'] = service(c.client.addr, c.client.port);
    line['server'] = service(c.server.addr, c.server.port);
  }
  return `${JSON.stringify(line)}\n`;
}

/** Packets between two looks at the alert groupings (a file's batch). */
const SETTLED_EVERY = 256;
/** Between two looks at them while standard input is quiet. */
const QUIET_LOOK_MS = 250;

/** Runs `--events` over `file` ('-': standard input). Returns the exit status. */
export async function tcpEventsCommand(file: string, o: TcpEventsOptions, write: (s: string) => void, flush: () => void): Promise<number> {
  const health = new TcpHealth({ keepSegments: false, events: true, transitions: false });
  const ledger = new AlertLedger();
  let t0: number | null = null;
  let lastFrame = 0, lastTime = 0;
  // With -Y, a connection's events from its first matching packet on (as the ladder lists the
  // connections with a matching packet); --stream N, that connection's only. Alerts are the
  // whole capture's.
  const shown = new Set<number>();
  const print = (e: TcpEvent) => {
    if (e.type !== 'alert' && ((o.match && !shown.has(e.stream)) || (o.stream !== undefined && e.stream !== o.stream))) return;
    const c = e.type === 'alert' ? undefined : health.lifecycle.connection(e.stream);
    write(o.json ? eventJson(e, c) : eventLine(e, c, t0 ?? e.time));
  };
  /** The alerts of `alerts` not said yet, at the last packet's frame (and `time`: its own, or later in a silence). */
  const printAlerts = (alerts: readonly TcpAlert[], time = lastTime) => {
    for (const a of ledger.news(alerts)) print({ type: 'alert', frame: lastFrame, time, alert: a });
  };
  // The groupings walk every connection: looked at once per SETTLED_EVERY packets, not after
  // each packet of a live feed.
  let unsettled = 0;
  // A live feed that goes quiet: a SYN nobody answers brings no packet, only time. While the
  // pipe is empty the capture's clock runs on from the last packet's time (as the app's live
  // capture does), and the groupings that came to hold are printed then.
  let lastPacketAt = Date.now(), lookedAt = 0;
  const onWait = () => {
    const now = Date.now();
    if (t0 === null || now - lookedAt < QUIET_LOOK_MS) return;
    lookedAt = now;
    const idle = (now - lastPacketAt) / 1000;
    printAlerts(health.settled(idle), lastTime + idle);
    flush();
  };
  // Standard input may be a capture still running (capture -w - | tcp - --events): each packet's
  // events go out before the next packet is waited for.
  const stdin = file === STDIN_PATH ? { batch: 1, onWait } : {};
  for await (const batch of observeCaptureBatches(file, { ...o, sequenceAnalysis: true, ...stdin })) {
    unsettled += batch.length;
    lastPacketAt = Date.now();
    for (const p of batch) {
      // The first packet's time (frame.time_relative counts from it), whatever its protocol.
      t0 ??= p.time - p.relTime;
      lastFrame = p.frame;
      lastTime = p.time;
      for (const t of p.tcp) {
        if (p.matched !== false && !t.facts.inErrorPacket) shown.add(t.verdict.stream);
        for (const e of health.push(t.facts, t.verdict)) {
          if (e.type === 'alert') ledger.news([e.alert]);
          print(e);
        }
      }
    }
    if (unsettled >= SETTLED_EVERY) {
      unsettled = 0;
      printAlerts(health.settled());
    }
    flush();
  }
  printAlerts(health.finish());
  flush();
  return 0;
}

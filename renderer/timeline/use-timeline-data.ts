// The timeline's data from the session: the connection list (tcp.connections), the alerts
// (tcp.alerts), and each connection's lifecycle (tcp.lifecycle) fetched only for the rows on
// screen, a few at a time, cached until the connection changes. A live capture's 'connection'
// and 'rows' events make it re-read the list (at most a few times a second) and drop the cached
// lifecycles of the connections that moved. A file's whole list comes once the session's first
// pass has seen every packet; while it is on its way, the connections found so far are shown
// (tcp.connections with soFar), read again now and then (PARTIAL_FIRST_MS).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConnectionLifecycle, ConnectionRow, SessionApi, SessionEvent, TcpAlert } from '../../app/session/contract.js';
import { coalescedRun, readWhilePending } from './coalesced-run.js';
import { coarseBar, connectionBar, type ConnectionBar } from './phases.js';

/** How often a live capture re-reads the connection list (ms). */
const REFRESH_MS = 500;
/** Lifecycle requests in flight at once. */
const PARALLEL = 4;
/**
 * Connections with more packets than this keep their coarse bar in the overview: their
 * lifecycle carries every segment, megabytes to fetch for one row (the ladder still asks).
 */
export const OVERVIEW_LIFECYCLE_MAX_PACKETS = 20_000;

export interface TimelineData {
  connections: ConnectionRow[];
  /**
   * The whole list of this capture has not come yet: the session answers tcp.connections once
   * its first pass saw every packet (seconds for a big file), so an empty list does not yet
   * mean "no connections", and a list shown meanwhile is the connections found so far.
   */
  loading: boolean;
  alerts: TcpAlert[];
  /** The bar of a connection: exact once its lifecycle came, coarse (from the row) before. */
  barOf(row: ConnectionRow): ConnectionBar;
  /** Asks for the lifecycles of these streams (the rows on screen). */
  want(streams: readonly number[]): void;
  /** Bumped whenever a bar or the list changed (the canvas redraws). */
  version: number;
  lifecycle(stream: number): Promise<ConnectionLifecycle>;
}

/**
 * `source` names the session's current file or capture (App's sourceKey): when it changes, the
 * list is read again from scratch.
 */
export function useTimelineData(api: SessionApi, source: string): TimelineData {
  const [connections, setConnections] = useState<ConnectionRow[]>([]);
  const [loading, setLoading] = useState(true);
  const [alerts, setAlerts] = useState<TcpAlert[]>([]);
  const [version, setVersion] = useState(0);
  const bars = useRef(new Map<number, ConnectionBar>());
  const rows = useRef(new Map<number, ConnectionRow>());
  const queue = useRef<number[]>([]);
  const inFlight = useRef(new Set<number>());
  const generation = useRef(0);
  /** The streams on screen, asked for again after the list is re-read. */
  const lastWanted = useRef<readonly number[]>([]);
  /** The whole list of the current source came (a partial one answered later is older). */
  const whole = useRef(false);

  /** Reads the list (and the alerts), or with `soFar` the connections found so far. */
  const refresh = useCallback(async (soFar = false) => {
    const gen = generation.current;
    let list: ConnectionRow[], al: TcpAlert[] | null = null;
    if (soFar) {
      list = await api.call('tcp.connections', { soFar: true });
      if (gen !== generation.current || whole.current) return;
    } else {
      try {
        [list, al] = await Promise.all([api.call('tcp.connections', {}), api.call('tcp.alerts', {})]);
      } finally {
        // A failed read is not "still looking" either (the session reports its errors itself).
        if (gen === generation.current) setLoading(false);
      }
      if (gen !== generation.current) return;
      whole.current = true;
    }
    for (const r of list) {
      const old = rows.current.get(r.stream);
      // A connection that grew or changed state has a stale bar.
      if (old && (old.end !== r.end || old.packets !== r.packets || old.endState !== r.endState)) bars.current.delete(r.stream);
      rows.current.set(r.stream, r);
    }
    setConnections(list);
    if (al) setAlerts(al);
    setVersion((v) => v + 1);
    wantRef.current(lastWanted.current);
  }, [api]);

  const pump = useCallback(() => {
    while (inFlight.current.size < PARALLEL && queue.current.length > 0) {
      const stream = queue.current.shift()!;
      if (bars.current.has(stream) || inFlight.current.has(stream)) continue;
      const gen = generation.current;
      inFlight.current.add(stream);
      api.call('tcp.lifecycle', { stream }).then((c) => {
        const row = rows.current.get(stream);
        if (gen === generation.current && row) {
          bars.current.set(stream, connectionBar(c, row.start - c.startTime));
          setVersion((v) => v + 1);
        }
      }, () => undefined).finally(() => {
        inFlight.current.delete(stream);
        pump();
      });
    }
  }, [api]);

  const want = useCallback((streams: readonly number[]) => {
    lastWanted.current = streams;
    const missing = streams.filter((s) => !bars.current.has(s) && !inFlight.current.has(s) && (rows.current.get(s)?.packets ?? 0) <= OVERVIEW_LIFECYCLE_MAX_PACKETS);
    // The newest request first: the rows on screen now, not those scrolled past.
    queue.current = [...missing, ...queue.current.filter((s) => !missing.includes(s))].slice(0, 200);
    pump();
  }, [pump]);
  const wantRef = useRef(want);
  wantRef.current = want;

  // A new source (App's key of the session's file or capture) starts over. The key comes from
  // App, which saw every summary as it came: this hook's own subscription, made when the pane
  // mounted after a file was opened, first hears the summaries queued before it (the one
  // without a source among them), and taking those for a change of source threw away the
  // answer already on its way (on the 1M-packet capture: a second 20 MB list, ~3 s later).
  useEffect(() => {
    generation.current++;
    whole.current = false;
    bars.current.clear();
    rows.current.clear();
    // Another file, capture or none: nothing of the previous list is shown meanwhile.
    setConnections([]);
    setAlerts([]);
    setLoading(true);
    const changed = new Set<number>();
    let answered = false;
    // One re-read at a time: on a big capture tcp.connections takes seconds and megabytes.
    const reread = coalescedRun(() => {
      for (const st of changed) bars.current.delete(st);
      changed.clear();
      return refresh().then(() => {
        answered = true;
      });
    }, REFRESH_MS);
    reread.runNow();
    // New rows and connections change the list only while capturing. A file's list is final: the
    // session answers once its first pass has seen every packet, so the connection events of
    // that pass are in the answer already (re-reading for them fetched a big file's list twice);
    // an alert after the answer (the end-of-capture groupings) changes the rows' badges.
    const live = source.startsWith('live:');
    // A file's list that takes long: the connections found so far meanwhile.
    const stopPartial = live ? null : readWhilePending(() => refresh(true), () => answered);
    const unsubscribe = api.subscribe((events: SessionEvent[]) => {
      let again = false;
      for (const e of events) {
        if (e.type === 'connection' && live) {
          changed.add(e.stream);
          again = true;
        } else if ((e.type === 'alert' && (live || answered)) || (e.type === 'rows' && live)) again = true;
      }
      if (again) reread.schedule();
    });
    return () => {
      stopPartial?.();
      unsubscribe();
      reread.cancel();
    };
  }, [api, refresh, source]);

  const barOf = useCallback((row: ConnectionRow) => bars.current.get(row.stream) ?? coarseBar(row), []);
  const lifecycle = useCallback((stream: number) => api.call('tcp.lifecycle', { stream }), [api]);

  return { connections, loading, alerts, barOf, want, version, lifecycle };
}

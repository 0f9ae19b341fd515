// The "Handshake timeline" region: the overview of every TCP connection on top, the ladder of
// the chosen one below. The chosen connection follows the selected packet (a packet of another
// stream switches the ladder to it), and clicking an arrow selects its packet in the list, the
// tree and the hex view (onSelectPacket) — both ways, as the issue asks.
import { useEffect, useMemo, useState } from 'react';
import type { ConnectionLifecycle, SessionApi } from '../../app/session/contract.js';
import { MARK_WORDS, paletteFor, PHASE_WORDS } from './colors.js';
import { LadderDiagram } from './LadderDiagram.js';
import type { MarkKind, PhaseKind } from './phases.js';
import { TimelineOverview } from './TimelineOverview.js';
import { useTimelineData } from './use-timeline-data.js';
import './timeline.css';

/**
 * A ladder of more packets than this is fetched only when asked: its lifecycle carries every
 * segment (hundreds of megabytes for a bulk transfer of a million packets).
 */
export const LADDER_AUTO_MAX_PACKETS = 20_000;

export interface HandshakeTimelineProps {
  api: SessionApi;
  /** The session's file or capture (App's sourceKey): another one starts the timeline over. */
  source: string;
  theme: 'light' | 'dark';
  /** The packet selected anywhere in the app, and its tcp.stream when it has one. */
  selectedFrame: number | null;
  selectedStream?: number | null;
  onSelectPacket(frame: number): void;
  onFrameTime?(ms: number): void;
}

export function HandshakeTimeline({ api, source, theme, selectedFrame, selectedStream, onSelectPacket, onFrameTime }: HandshakeTimelineProps) {
  const data = useTimelineData(api, source);
  const [stream, setStream] = useState<number | null>(null);
  const [lifecycle, setLifecycle] = useState<ConnectionLifecycle | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** Large connections whose ladder the user asked for anyway. */
  const [forced, setForced] = useState<ReadonlySet<number>>(new Set());

  // A packet of another connection selected elsewhere: show that connection.
  useEffect(() => {
    if (selectedStream !== undefined && selectedStream !== null) setStream(selectedStream);
  }, [selectedStream]);
  // Nothing chosen yet: the first connection (an update of the state as it is by then: on
  // mounting, the selected packet's connection was set just before, in the same commit).
  useEffect(() => {
    const first = data.connections[0];
    if (stream === null && first) setStream((s) => s ?? first.stream);
  }, [stream, data.connections]);

  const row = data.connections.find((c) => c.stream === stream);
  const tooLarge = row !== undefined && row.packets > LADDER_AUTO_MAX_PACKETS && !forced.has(row.stream);
  useEffect(() => {
    if (stream === null || tooLarge) return;
    let live = true;
    setError(null);
    data.lifecycle(stream).then((c) => live && setLifecycle(c), (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
    // Re-read when the connection changed (a live capture adds segments).
  }, [stream, row?.packets, row?.endState, data.lifecycle, tooLarge]);

  const alertsByStream = useMemo(() => {
    const m = new Map<number, number>();
    for (const a of data.alerts) for (const s of a.streams) m.set(s, (m.get(s) ?? 0) + 1);
    return m;
  }, [data.alerts]);

  const p = paletteFor(theme);
  return (
    <section className="handshake-timeline" aria-label="Handshake timeline" data-theme={theme}>
      <div className="timeline-legend" aria-hidden="true">
        {(Object.keys(PHASE_WORDS) as PhaseKind[]).map((k) => (
          <span key={k} className="legend-item"><i className="legend-swatch" style={{ background: p.phase[k] }} />{PHASE_WORDS[k]}</span>
        ))}
        {(Object.keys(MARK_WORDS) as MarkKind[]).map((k) => (
          <span key={k} className="legend-item"><i className="legend-dot" style={{ background: p.mark[k] }} />{MARK_WORDS[k]}</span>
        ))}
        <span className="legend-hint">wheel: zoom · drag: pan · double-click: fit</span>
      </div>
      <TimelineOverview
        connections={data.connections}
        loading={data.loading}
        barOf={data.barOf}
        onVisible={data.want}
        version={data.version}
        alertsByStream={alertsByStream}
        selectedStream={stream}
        onSelectStream={setStream}
        theme={theme}
        onFrameTime={onFrameTime}
      />
      <div className="timeline-ladder">
        {data.connections.length === 0 && <p className="muted timeline-empty">{data.loading ? 'Finding TCP connections…' : 'No TCP connections in this capture.'}</p>}
        {error && <p className="timeline-error">{error}</p>}
        {tooLarge && row && (
          <p className="timeline-large">
            tcp.stream {row.stream} has {row.packets.toLocaleString('en')} packets ({row.summary}).{' '}
            <button type="button" onClick={() => setForced(new Set([...forced, row.stream]))}>Draw its ladder</button>
          </p>
        )}
        {!tooLarge && row && !error && (!lifecycle || lifecycle.stream !== stream) && (
          // The session answers from its pre-pass (the one the list comes from), or for a
          // connection with frames only a dissection reads (tunnels, fragments), once its full
          // pass has read those: on a big capture, seconds after the list came.
          <p className="muted timeline-empty">The ladder of tcp.stream {row.stream} ({row.packets.toLocaleString('en')} packets) comes once the analysis has read its last packet…</p>
        )}
        {!tooLarge && lifecycle && lifecycle.stream === stream && !error && (
          <LadderDiagram lifecycle={lifecycle} row={row} selectedFrame={selectedFrame} onSelectPacket={onSelectPacket} />
        )}
      </div>
    </section>
  );
}

// The analysis pane under the packet details: the Handshake timeline and the statistics tables
// (conversations, endpoints, alerts) as tabs. It follows the selected packet — the timeline
// shows that packet's connection and highlights its arrow — and hands back what the user picks:
// a packet (an arrow of the ladder) or a filter (a row of a table).
import { useEffect, useState } from 'react';
import type { SessionApi, TcpAlert } from '../../app/session/contract.js';
import { HandshakeTimeline } from '../timeline/HandshakeTimeline.js';
import { StatisticsPanels, type StatisticsTab } from './StatisticsPanels.js';

export interface AnalysisPaneProps {
  api: SessionApi;
  /** The session's file or capture (App's sourceKey). */
  source: string;
  theme: 'light' | 'dark';
  /** The selected packet: its row in the current view and its frame number. */
  selected: { index: number | null; number: number } | null;
  /** The display filter applied. */
  filter: string;
  /** The health alerts (useAlerts). */
  alerts: TcpAlert[] | null;
  /** Shows this statistics tab each time `seq` changes (the status bar's alerts button). */
  show?: { tab: StatisticsTab; seq: number } | null;
  onSelectPacket(frame: number): void;
  onApplyFilter(text: string): void;
}

export function AnalysisPane({ api, source, theme, selected, filter, alerts, show, onSelectPacket, onApplyFilter }: AnalysisPaneProps) {
  const [tab, setTab] = useState<'timeline' | 'statistics'>('timeline');
  useEffect(() => {
    if (show) setTab('statistics');
  }, [show]);
  const [stream, setStream] = useState<number | null>(null);

  // The selected packet's tcp.stream (from its list row), so the timeline can show its connection.
  useEffect(() => {
    const index = selected?.index, number = selected?.number;
    if (index === null || index === undefined) return;
    let live = true;
    api.call('packets.rows', { start: index, end: index + 1 }).then((rows) => {
      const row = rows[0];
      if (live && row && row.number === number && row.tcpStream !== undefined) setStream(row.tcpStream);
    }, () => undefined);
    return () => {
      live = false;
    };
  }, [api, selected?.index, selected?.number]);

  return (
    <div className="analysis-pane">
      <div className="stats-tabs" role="tablist" aria-label="Analysis">
        <button type="button" role="tab" aria-selected={tab === 'timeline'} className={tab === 'timeline' ? 'active' : ''} onClick={() => setTab('timeline')}>Handshake timeline</button>
        <button type="button" role="tab" aria-selected={tab === 'statistics'} className={tab === 'statistics' ? 'active' : ''} onClick={() => setTab('statistics')}>Conversations · Endpoints · Alerts · Expert · Protocols</button>
      </div>
      <div className="analysis-body">
        {tab === 'timeline'
          ? <HandshakeTimeline api={api} source={source} theme={theme} selectedFrame={selected?.number ?? null} selectedStream={stream} onSelectPacket={onSelectPacket} />
          : <StatisticsPanels api={api} source={source} filter={filter} alerts={alerts} request={show} onApplyFilter={onApplyFilter} />}
      </div>
    </div>
  );
}

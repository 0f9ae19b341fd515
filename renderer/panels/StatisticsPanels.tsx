// Conversations (TCP / UDP, the `synscope conv` columns), Endpoints (top talkers, sent and
// received), Alerts (the TCP health alerts), Expert info (Wireshark's Expert Information:
// every note counted by severity, protocol and message) and Protocols (the protocol hierarchy
// of the packets on display, ProtocolHierarchyTable.tsx), as tabs. Clicking a row applies the
// filter that shows exactly it: `tcp.stream == N`, `ip.addr == X`, the streams of an alert, the
// packets with a note. The tables are re-read when the capture changes (a file opened, a live
// capture's batches).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConversationRow, EndpointRow, ExpertRow, SessionApi, StatisticsTabName, TcpAlert } from '../../app/session/contract.js';
import { coalescedRun, readWhilePending } from '../timeline/coalesced-run.js';
import { millis } from '../timeline/ladder-model.js';
import { DataTable, type Column } from './DataTable.js';
import { ProtocolHierarchyTable } from './ProtocolHierarchyTable.js';
import { alertFilter, conversationFilter, endpointFilter, endpointText, EXPERT_SEVERITY_NAMES, EXPERT_SEVERITY_RANK, expertFilter, sizeText } from './panel-logic.js';
import './panels.css';

type Tab = StatisticsTabName;

// Each endpoint is one "address:port" column (Wireshark's dialog splits them in four): in a pane
// beside the packet list, four address and port columns pushed the handshake RTT, who closed and
// how it ended out of view.
const A_COLUMN: Column<ConversationRow> = { key: 'a', title: 'Endpoint A', value: (r) => endpointText(r.addressA, r.portA) };
const B_COLUMN: Column<ConversationRow> = { key: 'b', title: 'Endpoint B', value: (r) => endpointText(r.addressB, r.portB) };
const PACKETS_COLUMN: Column<ConversationRow> = { key: 'frames', title: 'Packets', value: (r) => r.framesAtoB + r.framesBtoA, numeric: true };
const BYTES_COLUMN: Column<ConversationRow> = { key: 'bytes', title: 'Bytes', value: (r) => r.bytesAtoB + r.bytesBtoA, text: (r) => sizeText(r.bytesAtoB + r.bytesBtoA), numeric: true };
/** The `tshark -z conv` columns after the endpoints and totals. */
const DETAIL_COLUMNS: readonly Column<ConversationRow>[] = [
  { key: 'dur', title: 'Duration', value: (r) => r.duration, text: (r) => r.duration.toFixed(4), numeric: true },
  { key: 'start', title: 'Rel Start', value: (r) => r.relStart, text: (r) => r.relStart.toFixed(6), numeric: true },
  { key: 'fab', title: 'Packets A → B', value: (r) => r.framesAtoB, numeric: true },
  { key: 'bab', title: 'Bytes A → B', value: (r) => r.bytesAtoB, text: (r) => sizeText(r.bytesAtoB), numeric: true },
  { key: 'fba', title: 'Packets B → A', value: (r) => r.framesBtoA, numeric: true },
  { key: 'bba', title: 'Bytes B → A', value: (r) => r.bytesBtoA, text: (r) => sizeText(r.bytesBtoA), numeric: true },
  { key: 'stream', title: 'Stream', value: (r) => r.stream, numeric: true },
];

const CONVERSATION_COLUMNS: readonly Column<ConversationRow>[] = [A_COLUMN, B_COLUMN, PACKETS_COLUMN, BYTES_COLUMN, ...DETAIL_COLUMNS];

/**
 * A TCP conversation also says what SynScope adds to tshark's table (`synscope conv`): the
 * handshake RTT, who closed first, how it ended; right after the packet count, in view in a
 * narrow pane (short titles, the long ones as their tooltips).
 */
const TCP_CONVERSATION_COLUMNS: readonly Column<ConversationRow>[] = [
  A_COLUMN, B_COLUMN, PACKETS_COLUMN,
  {
    key: 'rtt', title: 'RTT', description: 'Handshake RTT: from the SYN to the ACK that completes the handshake (tcp.analysis.initial_rtt)',
    value: (r) => r.handshakeRtt ?? -1, text: (r) => (r.handshakeRtt !== undefined ? millis(r.handshakeRtt) : '–'), numeric: true,
  },
  { key: 'closer', title: 'Closed by', description: 'The endpoint that closed (FIN) or reset (RST) the connection first', value: (r) => r.closedFirstBy ?? '', text: (r) => r.closedFirstBy ?? '–' },
  { key: 'end', title: 'End', description: 'How the connection ended: closed, refused, reset, half-open, half-closed or still open', value: (r) => r.end ?? '' },
  BYTES_COLUMN, ...DETAIL_COLUMNS,
];

const ENDPOINT_COLUMNS: readonly Column<EndpointRow>[] = [
  { key: 'addr', title: 'Address', value: (r) => r.address },
  { key: 'packets', title: 'Packets', value: (r) => r.packets, numeric: true },
  { key: 'bytes', title: 'Bytes', value: (r) => r.bytes, text: (r) => sizeText(r.bytes), numeric: true },
  { key: 'txp', title: 'Tx Packets', value: (r) => r.txPackets, numeric: true },
  { key: 'txb', title: 'Tx Bytes', value: (r) => r.txBytes, text: (r) => sizeText(r.txBytes), numeric: true },
  { key: 'rxp', title: 'Rx Packets', value: (r) => r.rxPackets, numeric: true },
  { key: 'rxb', title: 'Rx Bytes', value: (r) => r.rxBytes, text: (r) => sizeText(r.rxBytes), numeric: true },
];

const SEVERITY_ORDER = { error: 0, warning: 1, note: 2 } as const;
// The counts before the message, as in Expert info: a long message pushed them out of the pane.
const ALERT_COLUMNS: readonly Column<TcpAlert>[] = [
  { key: 'sev', title: 'Severity', value: (r) => SEVERITY_ORDER[r.severity], text: (r) => r.severity },
  { key: 'kind', title: 'Kind', value: (r) => r.kind },
  { key: 'conns', title: 'Connections', value: (r) => r.streams.length, numeric: true },
  { key: 'frame', title: 'Raised at', value: (r) => r.raisedAt, text: (r) => `#${r.raisedAt}`, numeric: true },
  { key: 'msg', title: 'Message', value: (r) => r.message },
];

// The count and protocol before the message: a long message would push them out of a narrow pane.
const EXPERT_COLUMNS: readonly Column<ExpertRow>[] = [
  { key: 'sev', title: 'Severity', value: (r) => EXPERT_SEVERITY_RANK[r.severity], text: (r) => EXPERT_SEVERITY_NAMES[r.severity] },
  { key: 'count', title: 'Count', value: (r) => r.count, numeric: true },
  { key: 'proto', title: 'Protocol', value: (r) => r.protocol },
  { key: 'summary', title: 'Summary', value: (r) => r.summary },
  { key: 'group', title: 'Group', value: (r) => r.group },
  { key: 'first', title: 'First', value: (r) => r.firstFrame, text: (r) => `#${r.firstFrame}`, numeric: true },
];

export type StatisticsTab = Tab;

export interface StatisticsPanelsProps {
  api: SessionApi;
  /** The session's file or capture (App's sourceKey): another one starts the tables over. */
  source?: string;
  /** The display filter applied (the Protocols tab counts the packets it shows). */
  filter?: string;
  /** The health alerts (useAlerts, shared with the status bar); null until the session answers. */
  alerts: TcpAlert[] | null;
  onApplyFilter(text: string): void;
  /** Switches to `tab` each time `seq` changes (the status bar's alerts button). */
  request?: { tab: Tab; seq: number } | null;
}

/** Which tables have had their first answer for the current source. */
type Loaded = Readonly<Record<Exclude<Tab, 'alerts' | 'protocols'>, boolean>>;
const NOTHING_LOADED: Loaded = { tcp: false, udp: false, endpoints: false, expert: false };

export function StatisticsPanels({ api, source, filter = '', alerts, onApplyFilter, request }: StatisticsPanelsProps) {
  const [tab, setTab] = useState<Tab>(request?.tab ?? 'tcp');
  useEffect(() => {
    if (request) setTab(request.tab);
  }, [request]);
  const [tcp, setTcp] = useState<ConversationRow[]>([]);
  const [udp, setUdp] = useState<ConversationRow[]>([]);
  const [endpoints, setEndpoints] = useState<EndpointRow[]>([]);
  const [experts, setExperts] = useState<ExpertRow[]>([]);
  /** The expert rows shown are the notes found so far (the whole table has not come yet). */
  const [expertPartial, setExpertPartial] = useState(false);
  const expertWhole = useRef(false);
  const [loaded, setLoaded] = useState<Loaded>(NOTHING_LOADED);
  const generation = useRef(0);

  // Each table as soon as the session has it (the conversations and endpoints once its first
  // pass saw every packet; the alerts come from useAlerts): one slow answer must not hold back the others' rows.
  const reload = useCallback(() => {
    const gen = generation.current;
    const take = <T,>(t: keyof Loaded, p: Promise<T>, set: (v: T) => void) => p.then((v) => {
      if (gen !== generation.current) return;
      set(v);
      setLoaded((l) => (l[t] ? l : { ...l, [t]: true }));
    });
    return Promise.all([
      take('tcp', api.call('stats.conversations', { proto: 'TCP' }), setTcp),
      take('udp', api.call('stats.conversations', { proto: 'UDP' }), setUdp),
      take('endpoints', api.call('stats.endpoints', {}), setEndpoints),
      take('expert', api.call('stats.expert', {}).then((rows) => {
        if (gen === generation.current) expertWhole.current = true;
        return rows;
      }), (rows: ExpertRow[]) => {
        setExperts(rows);
        setExpertPartial(false);
      }),
    ]);
  }, [api]);

  useEffect(() => {
    generation.current++;
    expertWhole.current = false;
    setExpertPartial(false);
    setLoaded(NOTHING_LOADED);
    // One reload at a time (the tables of a big capture take seconds).
    const again = coalescedRun(reload, 1000);
    again.runNow();
    // New rows change the tables only while capturing. A file's answers come once the session's
    // passes are over, so its rows events (every fraction of a second while the full pass runs)
    // would only fetch the same tables again: on the 1M-packet capture the full pass took 22.8 s
    // with this tab open against 20.4 s without.
    const live = source?.startsWith('live:') === true;
    const off = api.subscribe((events) => {
      if (events.some((e) => (e.type === 'rows' && live) || e.type === 'summary')) again.schedule();
    });
    return () => {
      off();
      again.cancel();
    };
  }, [api, reload, source]);

  // A file's expert notes come once the full pass has read every packet (15.7 s on the
  // 1M-packet capture): the notes found so far meanwhile, as the timeline's connection list.
  useEffect(() => {
    if (source?.startsWith('live:')) return undefined;
    const gen = generation.current;
    return readWhilePending(() => api.call('stats.expert', { soFar: true }).then((rows) => {
      if (gen !== generation.current || expertWhole.current) return;
      setExperts(rows);
      setExpertPartial(true);
    }), () => expertWhole.current);
  }, [api, source]);

  // A count the session has not answered yet is not 0.
  const count = (t: keyof Loaded, n: number) => (loaded[t] ? String(n) : '…');
  const tabs: Array<[Tab, string]> = [['tcp', `TCP conversations (${count('tcp', tcp.length)})`], ['udp', `UDP conversations (${count('udp', udp.length)})`],
    ['endpoints', `Endpoints (${count('endpoints', endpoints.length)})`], ['alerts', `Alerts (${alerts ? alerts.length : '…'})`],
    ['expert', `Expert info (${expertPartial ? `${experts.reduce((n, r) => n + r.count, 0)} so far` : count('expert', experts.reduce((n, r) => n + r.count, 0))})`],
    ['protocols', 'Protocols']];
  return (
    <section className="stats-panels" aria-label="Statistics">
      <div className="stats-tabs" role="tablist">
        {tabs.map(([t, title]) => (
          <button key={t} type="button" role="tab" aria-selected={tab === t} className={tab === t ? 'active' : ''} onClick={() => setTab(t)}>{title}</button>
        ))}
      </div>
      <div className="stats-body" role="tabpanel">
        {(tab === 'tcp' || tab === 'udp') && (
          <DataTable label={`${tab.toUpperCase()} conversations`} columns={tab === 'tcp' ? TCP_CONVERSATION_COLUMNS : CONVERSATION_COLUMNS} rows={tab === 'tcp' ? tcp : udp}
            rowKey={(r) => `${r.proto}${r.stream}`} rowTitle={conversationFilter} onActivate={(r) => onApplyFilter(conversationFilter(r))}
            initialSort={{ key: 'frames', dir: 'desc' }} empty={loaded[tab] ? `No ${tab.toUpperCase()} conversations.` : `Finding ${tab.toUpperCase()} conversations…`} />
        )}
        {tab === 'endpoints' && (
          <DataTable label="Endpoints" columns={ENDPOINT_COLUMNS} rows={endpoints} rowKey={(r) => r.address} rowTitle={endpointFilter}
            onActivate={(r) => onApplyFilter(endpointFilter(r))} initialSort={{ key: 'packets', dir: 'desc' }}
            empty={loaded.endpoints ? 'No endpoints.' : 'Counting endpoints… (once the analysis has read every packet)'} />
        )}
        {tab === 'alerts' && (
          <DataTable label="Alerts" columns={ALERT_COLUMNS} rows={alerts ?? []} rowKey={(r) => `${r.kind}${r.raisedAt}${r.message}`} rowTitle={alertFilter}
            onActivate={(r) => { const f = alertFilter(r); if (f) onApplyFilter(f); }} initialSort={{ key: 'sev', dir: 'asc' }}
            empty={alerts ? 'No alerts: no SYN flood, port scan, half-open handshake, unanswered or refused SYN, or reset.' : 'Looking for alerts…'} />
        )}
        {tab === 'expert' && (
          <DataTable label="Expert information" columns={EXPERT_COLUMNS} rows={experts} rowKey={(r) => `${r.severity}|${r.protocol}|${r.summary}`} rowTitle={expertFilter}
            onActivate={(r) => onApplyFilter(expertFilter(r))} initialSort={{ key: 'sev', dir: 'asc' }}
            rowClass={(r) => `expert-${r.severity}`}
            empty={loaded.expert ? 'No expert notes.' : 'Collecting expert notes… (once the analysis has read every packet)'} />
        )}
        {tab === 'protocols' && <ProtocolHierarchyTable api={api} source={source} filter={filter} onApplyFilter={onApplyFilter} />}
      </div>
    </section>
  );
}

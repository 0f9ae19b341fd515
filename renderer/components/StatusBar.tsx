// The status bar, as Wireshark's: what is open, how many packets and how many are displayed,
// drops while capturing (kernel, interface, our ring), the capture state. Counts are plain
// digits ("Packets 1234") so they read the same to people, screen readers and tests.
import type { CaptureStats, ProgressTask, SessionSummary, TcpAlert } from '../../app/session/contract.js';
import type { ConnectionState } from '../api/ws-client.js';
import { baseName, formatBytes, percent } from '../lib/format.js';

export interface StatusBarProps {
  summary: SessionSummary | null;
  stats: CaptureStats | null;
  connection?: ConnectionState;
  /** The background work on a large file and how far it is (0..1), while it runs. */
  progress?: Progress | null;
  selected?: number | null;
  /** The TCP health alerts so far (useAlerts): a button when there are any. */
  alerts?: TcpAlert[] | null;
  onShowAlerts?(): void;
}

export interface Progress {
  task: ProgressTask;
  fraction: number;
}

const PROGRESS_LABELS: Record<ProgressTask, string> = { index: 'Indexing', connections: 'Finding connections', analyze: 'Analysing' };
const PROGRESS_TITLES: Record<ProgressTask, string> = {
  index: 'Reading where each packet is in the file (rows appear as it goes)',
  connections: 'Reading the TCP and UDP headers for the conversations and the Handshake timeline',
  analyze: 'Dissecting every packet once, in order (what filters on protocols and TCP analysis need)',
};

const STATE_TEXT: Record<CaptureStats['state'], string> = {
  idle: 'Ready',
  starting: 'Starting capture…',
  capturing: 'Capturing',
  stopping: 'Stopping…',
  stopped: 'Capture stopped',
  error: 'Capture failed',
};

export function StatusBar({ summary, stats, connection, progress, selected, alerts, onShowAlerts }: StatusBarProps) {
  const src = summary?.source;
  const live = src?.kind === 'live';
  const capture = stats ?? summary?.capture ?? null;
  return (
    <div className="status-bar" role="status">
      <span className="status-item status-source" title={src?.kind === 'file' ? src.path : undefined}>
        {src?.kind === 'file' && (
          <>
            <span className="status-dot file" aria-hidden="true" />
            {baseName(src.path)} <span className="muted">({src.format})</span>
          </>
        )}
        {src?.kind === 'live' && (
          <>
            <span className={capture?.state === 'capturing' ? 'status-dot live' : 'status-dot'} aria-hidden="true" />
            {capture?.state === 'capturing' ? `Capturing on ${src.interface}` : `${STATE_TEXT[capture?.state ?? 'stopped']} (${src.interface})`}
          </>
        )}
        {(!src || src.kind === 'none') && <span className="muted">No capture open</span>}
      </span>
      {summary && src?.kind !== 'none' && (
        <>
          <span className="status-item">Packets {summary.packets}</span>
          <span className="status-item">
            Displayed {summary.displayed} <span className="muted">({percent(summary.displayed, summary.packets)})</span>
          </span>
          {selected != null && <span className="status-item">Selected {selected}</span>}
        </>
      )}
      {live && capture && (
        <span className={capture.dropped + capture.ifDropped + capture.ringEvicted > 0 ? 'status-item status-warn' : 'status-item'} title="Dropped by the kernel (pcap_stats ps_drop), by the interface (ps_ifdrop), and evicted from SynScope's ring buffer to stay within its memory budget">
          Dropped {capture.dropped} · if {capture.ifDropped} · ring {capture.ringEvicted}
          <span className="muted"> · ring {formatBytes(capture.ringBytes)}</span>
        </span>
      )}
      {progress != null && progress.fraction < 1 && (
        <span className="status-item" title={PROGRESS_TITLES[progress.task]}>{PROGRESS_LABELS[progress.task]} {Math.round(progress.fraction * 100)}%</span>
      )}
      {alerts && alerts.length > 0 && <AlertsButton alerts={alerts} onClick={onShowAlerts} />}
      {summary?.droppedRows && <DroppedRows dropped={summary.droppedRows} />}
      {summary?.warning && (
        <span className="status-item status-warn" title={summary.warning}>
          ⚠ damaged file
        </span>
      )}
      <span className="status-spacer" />
      {capture?.state === 'error' && capture.error && <span className="status-item status-error">{capture.error}</span>}
      {connection && connection !== 'open' && <span className="status-item status-error">{connection === 'connecting' ? 'Connecting to server…' : 'Disconnected from server'}</span>}
    </div>
  );
}

/** How many alerts, coloured by the worst; its title lists the first few. Opens the Alerts tab. */
function AlertsButton({ alerts, onClick }: { alerts: readonly TcpAlert[]; onClick: (() => void) | undefined }) {
  const worst = alerts.some((a) => a.severity === 'error') ? 'status-error' : alerts.some((a) => a.severity === 'warning') ? 'status-warn' : '';
  const shown = alerts.slice(0, ALERTS_IN_TITLE).map((a) => a.message);
  if (alerts.length > ALERTS_IN_TITLE) shown.push(`… and ${alerts.length - ALERTS_IN_TITLE} more`);
  return (
    <button type="button" className={`status-item status-button ${worst}`} onClick={onClick} title={`${shown.join('\n')}\n\nClick to list them in the Alerts tab.`}>
      ⚠ Alerts {alerts.length}
    </button>
  );
}

const ALERTS_IN_TITLE = 5;

/**
 * A long live capture forgets what the ring evicted: the newest 5000 forgotten connections and
 * conversations keep a summary row, older ones are gone from the lists (and the endpoints table
 * stops adding addresses at its limit). Say so, and how many, rather than let lists look whole.
 */
function DroppedRows({ dropped }: { dropped: NonNullable<SessionSummary['droppedRows']> }) {
  const parts = [
    dropped.connections > 0 && `${dropped.connections} TCP connections`,
    dropped.tcp + dropped.udp > 0 && `${dropped.tcp} TCP and ${dropped.udp} UDP conversations`,
    dropped.endpoints > 0 && `${dropped.endpoints} packets' addresses in Endpoints`,
  ].filter((p): p is string => typeof p === 'string');
  const title = `Left out to keep memory within the ring: ${parts.join('; ')}. Their packets were evicted from the ring earlier; the newest forgotten connections and conversations keep a summary row.`;
  const rows = dropped.connections + dropped.tcp + dropped.udp;
  return (
    <span className="status-item status-warn" title={title}>
      {rows > 0 ? `Older rows dropped: ${rows}` : 'Endpoints list full'}
    </span>
  );
}

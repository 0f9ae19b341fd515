// The workstation: toolbar, filter bar, messages, then either the start page or the three
// panes (packet list over details and bytes), and the status bar. All state about the capture
// lives in the session; this component keeps only what the user is looking at (selection,
// open subtrees, dialogs) and turns session events into "refetch these rows".
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type {
  CaptureOptions, CaptureStats, FollowedStream, InterfaceInfo, PacketDetail, PacketRow, SaveRequest, SessionApi, SessionEvent,
  SessionSummary, TimeFormat, TreeNode, UiCommand,
} from '../../app/session/contract.js';
import type { ConnectionState, WebSocketApi } from '../api/ws-client.js';
import { baseName } from '../lib/format.js';
import {
  forgetRecentFile, initialTheme, loadPreference, recentFiles, rememberRecentFile, savePreference, type Theme,
} from '../lib/preferences.js';
import { columnFilter, conversationFilter, type ColumnId } from '../lib/row-filters.js';
import { ancestorKeys, deepestNodeAt, keyAt, labelValue, nodeAt, visibleLines, type NodePath } from '../lib/tree.js';
import { CaptureOptionsDialog } from './CaptureOptionsDialog.js';
import { ContextMenu, type ContextMenuState } from './ContextMenu.js';
import { DetailTree } from './DetailTree.js';
import { FilterBar } from './FilterBar.js';
import { FollowStreamDialog } from './FollowStreamDialog.js';
import { GoToDialog } from './GoToDialog.js';
import { HexView } from './HexView.js';
import { MessageBar, type Message } from './MessageBar.js';
import { OpenFileDialog } from './OpenFileDialog.js';
import { TlsKeyLogDialog } from './TlsKeyLogDialog.js';
import { PacketList, type ViewChange } from './PacketList.js';
import { SaveDialog } from './SaveDialog.js';
import { SplitPane } from './SplitPane.js';
import { StartPage } from './StartPage.js';
import { StatusBar, type Progress } from './StatusBar.js';
import { AnalysisPane } from '../panels/AnalysisPane.js';
import type { StatisticsTab } from '../panels/StatisticsPanels.js';
import { useAlerts } from '../panels/use-alerts.js';
import { Toolbar } from './Toolbar.js';

type DialogState =
  | null
  | { kind: 'open' }
  | { kind: 'save'; path?: string; format?: 'pcap' | 'pcapng' }
  | { kind: 'capture' }
  | { kind: 'goto' }
  | { kind: 'tlskeys' }
  | { kind: 'follow'; stream: FollowedStream; proto: 'tcp' | 'tls' | 'udp' };

const TIME_FORMATS: readonly TimeFormat[] = ['relative', 'absolute', 'utc', 'delta', 'epoch'];
const INFO_MESSAGE_MS = 6000;
/**
 * A pass's progress item stays until the session says the pass is over; without any event for
 * this long the server is taken to be gone. (After 1.5 s of silence it used to go while the pass
 * ran on: bench:ui once saw it gone at 15.5 s of a ~27 s pass on the 1M-packet capture.)
 */
const PROGRESS_SILENCE_MS = 10_000;

function sourceKey(s: SessionSummary | null): string {
  if (!s) return '';
  const src = s.source;
  return src.kind === 'file' ? `file:${src.path}` : src.kind === 'live' ? `live:${src.interface}` : 'none';
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Plain http on a non-loopback host is not a secure context: no async clipboard there.
    const area = document.createElement('textarea');
    area.value = text;
    document.body.appendChild(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
}

/**
 * Details and bytes sit side by side on a wide window; when it is narrow (a small screen, or
 * 150% zoom) they stack as in Wireshark's default layout, so the bytes pane keeps its ASCII.
 */
function useNarrowWindow(): boolean {
  const query = '(max-width: 1100px)';
  const [narrow, setNarrow] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const mq = window.matchMedia(query);
    const on = () => setNarrow(mq.matches);
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, []);
  return narrow;
}

export function App({ api, socket }: { api: SessionApi; socket?: WebSocketApi }) {
  const [summary, setSummaryState] = useState<SessionSummary | null>(null);
  const summaryRef = useRef<SessionSummary | null>(null);
  const [stats, setStats] = useState<CaptureStats | null>(null);
  const [viewChange, setViewChange] = useState<ViewChange>({ seq: 0, kind: 'all', from: 0 });
  const [progress, setProgress] = useState<Progress | null>(null);
  /** How far the open file's analysis got (progress events): later frames' rows come pending. */
  const [analysed, setAnalysed] = useState(0);
  const [connection, setConnection] = useState<ConnectionState>(socket?.state ?? 'open');
  const [messages, setMessages] = useState<Message[]>([]);
  const [filterText, setFilterText] = useState('');
  const [filterFocus, setFilterFocus] = useState(0);
  const [filtering, setFiltering] = useState(false);
  /** While a filter is being applied, the share of the frames it has tested (the session's rows events). */
  const [filterProgress, setFilterProgress] = useState<number | null>(null);
  const [timeFormat, setTimeFormat] = useState<TimeFormat>(() => loadPreference('timeFormat', TIME_FORMATS, 'relative'));
  const [theme, setTheme] = useState<Theme>(initialTheme);
  const [autoScroll, setAutoScroll] = useState(true);
  const [selected, setSelected] = useState<{ index: number | null; number: number } | null>(null);
  const [detail, setDetail] = useState<PacketDetail | null>(null);
  const [treePath, setTreePath] = useState<NodePath | null>(null);
  const treeKeyRef = useRef<string | null>(null);
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set());
  const [reveal, setReveal] = useState<{ index: number; seq: number } | null>(null);
  const [dialog, setDialog] = useState<DialogState>(null);
  const [menu, setMenu] = useState<ContextMenuState | null>(null);
  const [interfaces, setInterfaces] = useState<InterfaceInfo[] | null>(null);
  const [interfacesError, setInterfacesError] = useState<string | null>(null);
  const [lastCapture, setLastCapture] = useState<CaptureOptions | null>(null);
  const [recent, setRecent] = useState<string[]>(recentFiles);
  const messageId = useRef(0);
  const warnedFor = useRef<string | null>(null);
  const alerts = useAlerts(api, sourceKey(summary));
  /** The statistics tab the status bar asked the analysis pane to show (seq: each click). */
  const [showStats, setShowStats] = useState<{ tab: StatisticsTab; seq: number } | null>(null);

  // ---- messages
  const dismiss = useCallback((id: number) => setMessages((m) => m.filter((x) => x.id !== id)), []);
  const say = useCallback(
    (kind: Message['kind'], text: string, scope?: string) => {
      const id = ++messageId.current;
      const msg: Message = scope === undefined ? { id, kind, text } : { id, kind, text, scope };
      setMessages((m) => [...m.filter((x) => x.text !== text), msg].slice(-4));
      if (kind === 'info') setTimeout(() => dismiss(id), INFO_MESSAGE_MS);
    },
    [dismiss],
  );

  // ---- the view and its invalidation
  const bumpView = useCallback((kind: ViewChange['kind'], from = 0) => setViewChange((v) => ({ seq: v.seq + 1, kind, from })), []);

  const refindSelection = useCallback(
    (number: number) => {
      api.call('packets.find', { number }).then(
        (index) => {
          if (index >= 0) {
            setSelected({ index, number });
            setReveal((r) => ({ index, seq: (r?.seq ?? 0) + 1 }));
          } else setSelected((s) => (s && s.number === number ? { index: null, number } : s));
        },
        () => undefined,
      );
    },
    [api],
  );

  /** Takes a new summary and decides what the list must refetch. */
  const takeSummary = useCallback(
    (next: SessionSummary) => {
      const prev = summaryRef.current;
      // An older summary delivered late (an event batch after a reply): the newer one stands.
      if (prev && next.revision < prev.revision) return;
      summaryRef.current = next;
      setSummaryState(next);
      if (next.capture) setStats(next.capture);
      if (!prev || sourceKey(prev) !== sourceKey(next) || next.packets < prev.packets || next.firstAvailable !== prev.firstAvailable) {
        const sameSource = prev !== null && sourceKey(prev) === sourceKey(next) && next.firstAvailable !== prev.firstAvailable && next.packets >= prev.packets;
        bumpView('all');
        if (!sameSource) {
          // A warning about the previous file does not apply to the next one.
          setMessages((m) => m.filter((x) => x.scope === undefined || x.scope === sourceKey(next)));
          if (warnedFor.current !== sourceKey(next)) warnedFor.current = null;
          setSelected(null);
          setDetail(null);
          setTreePath(null);
          setFilterText(next.filter);
          // The new file's analysis starts from its first frame (its progress events say how far).
          setAnalysed(0);
        }
      } else if (next.filter !== prev.filter) {
        bumpView('all');
        setFilterText(next.filter);
      } else if (next.displayed > prev.displayed) {
        bumpView('append', prev.displayed);
      } else if (next.displayed < prev.displayed) {
        bumpView('all');
      }
      if (next.warning && warnedFor.current !== sourceKey(next)) {
        warnedFor.current = sourceKey(next);
        const name = next.source.kind === 'file' ? baseName(next.source.path) : 'The file';
        say('warning', `${name}: ${next.warning}`, sourceKey(next));
      }
    },
    [bumpView, say],
  );

  const takeRows = useCallback(
    (e: Extract<SessionEvent, { type: 'rows' }>) => {
      const prev = summaryRef.current;
      if (!prev) return;
      takeSummary({ ...prev, packets: e.packets, displayed: e.displayed, firstAvailable: e.firstAvailable });
      setFilterProgress(e.filtering ?? null);
    },
    [takeSummary],
  );

  const takeStats = useCallback((s: CaptureStats) => setStats(s), []);

  // ---- actions
  const loadInterfaces = useCallback(() => {
    api.call('capture.interfaces', {}).then(
      (list) => {
        setInterfaces(list);
        setInterfacesError(null);
      },
      (e) => setInterfacesError(errorText(e)),
    );
  }, [api]);

  const confirmDiscard = useCallback(() => {
    const s = summaryRef.current;
    if (!s?.unsaved || s.packets === 0) return true;
    return window.confirm(`The live capture on ${s.source.kind === 'live' ? s.source.interface : 'this interface'} has ${s.packets} unsaved packets. Discard them?`);
  }, []);

  const openFile = useCallback(
    async (path: string) => {
      if (!confirmDiscard()) return;
      setDialog(null);
      try {
        const s = await api.call('file.open', { path });
        setRecent(rememberRecentFile(path));
        takeSummary(s);
      } catch (e) {
        say('error', errorText(e));
        // The session may have closed what was open before it found the file unusable.
        api.call('session.summary', {}).then(takeSummary, () => undefined);
      }
    },
    [api, confirmDiscard, say, takeSummary],
  );

  /** Decrypt TLS: the session reads an open file again with the key log (or without one). */
  const decryptWith = useCallback(
    async (path: string | null) => {
      setDialog(null);
      try {
        const r = await api.call('tls.keylog', { path });
        // The same file, dissected anew: the rows, the selection's tree and the analysis start over.
        setSelected(null);
        setDetail(null);
        setTreePath(null);
        setAnalysed(0);
        takeSummary(await api.call('session.summary', {}));
        bumpView('all');
        say('info', r.path === null ? 'TLS is no longer decrypted with a key log file' : `TLS decrypted with the ${r.secrets} secrets of ${r.path}`);
      } catch (e) {
        say('error', errorText(e));
      }
    },
    [api, say, takeSummary, bumpView],
  );

  const closeCapture = useCallback(async () => {
    if (!confirmDiscard()) return;
    try {
      takeSummary(await api.call('file.close', {}));
    } catch (e) {
      say('error', errorText(e));
    }
  }, [api, confirmDiscard, say, takeSummary]);

  const applyFilter = useCallback(
    async (text: string) => {
      setFilterText(text);
      setFiltering(true);
      try {
        const r = await api.call('filter.apply', { text });
        if (!r.ok) return; // the filter bar shows the error in place
        const prev = summaryRef.current;
        if (prev) {
          const next = { ...prev, displayed: r.displayed, filter: r.language === 'none' ? '' : text };
          summaryRef.current = next;
          setSummaryState(next);
        }
        bumpView('all');
        if (selected) refindSelection(selected.number);
      } catch (e) {
        say('error', errorText(e));
      } finally {
        setFiltering(false);
      }
    },
    [api, bumpView, refindSelection, say, selected],
  );

  const startCapture = useCallback(
    async (opts: CaptureOptions) => {
      if (!confirmDiscard()) return;
      setDialog(null);
      setLastCapture(opts);
      try {
        takeSummary(await api.call('capture.start', opts));
      } catch (e) {
        say('error', errorText(e));
      }
    },
    [api, confirmDiscard, say, takeSummary],
  );

  const stopCapture = useCallback(async () => {
    try {
      takeSummary(await api.call('capture.stop', {}));
    } catch (e) {
      say('error', errorText(e));
    }
  }, [api, say, takeSummary]);

  const save = useCallback(
    async (req: SaveRequest) => {
      setDialog(null);
      let r: { path: string; packets: number };
      try {
        r = await api.call('file.save', req);
      } catch (e) {
        say('error', `Could not save: ${errorText(e)}`);
        return;
      }
      // What the save changed first (a saved live capture's packets are no longer unsaved), then
      // the message: an action taken on seeing it must not ask to discard what was just saved.
      await api.call('session.summary', {}).then(takeSummary, () => undefined);
      say('info', `Saved ${r.packets} packet${r.packets === 1 ? '' : 's'} to ${r.path}`);
    },
    [api, say, takeSummary],
  );

  const followStream = useCallback(
    async (stream: number, tls = false) => {
      try {
        const s = await api.call(tls ? 'tls.follow' : 'tcp.follow', { stream });
        if (tls && s.chunks.length === 0) {
          say('warning', `No decrypted TLS data in tcp.stream ${stream}: its secrets are not known (Keys: a key log file).`);
          return;
        }
        setDialog({ kind: 'follow', stream: s, proto: tls ? 'tls' : 'tcp' });
        void applyFilter(`tcp.stream eq ${stream}`);
      } catch (e) {
        say('error', errorText(e));
      }
    },
    [api, applyFilter, say],
  );

  /** Follow UDP Stream from one of its packets (rows carry no udp.stream: the session finds it). */
  const followUdp = useCallback(
    async (frame: number) => {
      try {
        const s = await api.call('udp.follow', { frame });
        setDialog({ kind: 'follow', stream: s, proto: 'udp' });
        void applyFilter(`udp.stream eq ${s.stream}`);
      } catch (e) {
        say('warning', errorText(e));
      }
    },
    [api, applyFilter, say],
  );

  const goToPacket = useCallback(
    async (number: number) => {
      setDialog(null);
      const index = await api.call('packets.find', { number }).catch(() => -1);
      if (index < 0) {
        say('warning', `Packet ${number} is not in the current view.`);
        return;
      }
      setSelected({ index, number });
      setReveal((r) => ({ index, seq: (r?.seq ?? 0) + 1 }));
    },
    [api, say],
  );

  const startOrOptions = useCallback(() => {
    if (lastCapture) void startCapture(lastCapture);
    else {
      loadInterfaces();
      setDialog({ kind: 'capture' });
    }
  }, [lastCapture, loadInterfaces, startCapture]);

  const restartCapture = useCallback(async () => {
    if (!lastCapture) return;
    if (summaryRef.current?.capture?.state === 'capturing') await api.call('capture.stop', {}).catch(() => undefined);
    void startCapture(lastCapture);
  }, [api, lastCapture, startCapture]);

  const capturing = stats?.state === 'capturing' || stats?.state === 'starting';
  const hasCapture = summary !== null && summary.source.kind !== 'none';

  const defaultSavePath = () => {
    const src = summaryRef.current?.source;
    if (src?.kind === 'file') return src.path.replace(/(\.(pcapng|pcap|cap))?(\.gz|\.zst)?$/i, '') + '-saved.pcapng';
    const d = new Date();
    const stamp = `${d.getFullYear()}${String(d.getMonth() + 1).padStart(2, '0')}${String(d.getDate()).padStart(2, '0')}-${String(d.getHours()).padStart(2, '0')}${String(d.getMinutes()).padStart(2, '0')}${String(d.getSeconds()).padStart(2, '0')}`;
    return `/tmp/synscope-${src?.kind === 'live' ? src.interface : 'capture'}-${stamp}.pcapng`;
  };

  // ---- session events (subscribed once; the handler always sees current state)
  const onEvents = useRef<(events: SessionEvent[]) => void>(() => undefined);
  const progressTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  onEvents.current = (events) => {
    // A batch can hold several summaries (the close before an open, then the open): only the
    // last one is the session's state now; the earlier ones would flash the start page and
    // drop the new file's messages.
    const lastSummary = events.reduce((at, e, i) => (e.type === 'summary' ? i : at), -1);
    events.forEach((e, i) => {
      if (e.type === 'summary' && i !== lastSummary) return;
      switch (e.type) {
        case 'summary':
          takeSummary(e.summary);
          break;
        case 'rows':
          takeRows(e);
          break;
        case 'stats':
          takeStats(e.stats);
          break;
        case 'error':
          say('error', e.message);
          break;
        case 'progress':
          // The session says when the file's pass is over (fraction 1); the timer only covers
          // a server that went away mid-pass (and the index's progress, which has no end event).
          if (progressTimer.current) clearTimeout(progressTimer.current);
          setAnalysed(e.analysed);
          if (e.fraction >= 1) {
            setProgress(null);
            break;
          }
          setProgress({ task: e.task, fraction: e.fraction });
          progressTimer.current = setTimeout(() => setProgress(null), e.task === 'index' ? 1500 : PROGRESS_SILENCE_MS);
          break;
        case 'command':
          runCommand(e.command);
          break;
        default:
          break;
      }
    });
  };

  const runCommand = (c: UiCommand) => {
    switch (c.name) {
      case 'file.open':
        void openFile(c.path);
        break;
      case 'file.save':
        void save({ path: c.path, format: c.format, which: 'all' });
        break;
      case 'file.export':
        setDialog({ kind: 'save', path: c.path, format: c.format });
        break;
      case 'file.close':
        void closeCapture();
        break;
      case 'capture.options':
        loadInterfaces();
        setDialog({ kind: 'capture' });
        break;
      case 'capture.start':
        startOrOptions();
        break;
      case 'capture.stop':
        void stopCapture();
        break;
      case 'capture.restart':
        void restartCapture();
        break;
      case 'view.theme':
        setTheme(c.theme === 'system' ? (window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light') : c.theme);
        break;
      case 'go.packet':
        setDialog({ kind: 'goto' });
        break;
      case 'tls.keys':
        setDialog({ kind: 'tlskeys' });
        break;
      case 'view.statistics':
        setShowStats((s) => ({ tab: c.tab, seq: (s?.seq ?? 0) + 1 }));
        break;
      case 'go.first':
      case 'go.last':
      case 'go.next':
      case 'go.previous':
        document.querySelector<HTMLElement>('[role="grid"]')?.dispatchEvent(
          new KeyboardEvent('keydown', { key: c.name === 'go.first' ? 'Home' : c.name === 'go.last' ? 'End' : c.name === 'go.next' ? 'ArrowDown' : 'ArrowUp', bubbles: true }),
        );
        break;
      default:
        break;
    }
  };

  useEffect(() => {
    const unsubscribe = api.subscribe((events) => onEvents.current(events));
    api.call('session.summary', {}).then(takeSummary, (e) => say('error', errorText(e)));
    loadInterfaces();
    return unsubscribe;
  }, [api, loadInterfaces, say, takeSummary]);

  useEffect(() => {
    if (!socket) return;
    setConnection(socket.state);
    return socket.onConnection((s) => {
      setConnection(s);
      // After a reconnect the session may have moved on: read it again.
      if (s === 'open') api.call('session.summary', {}).then(takeSummary, () => undefined);
    });
  }, [api, socket, takeSummary]);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    savePreference('theme', theme);
  }, [theme]);

  useEffect(() => savePreference('timeFormat', timeFormat), [timeFormat]);

  // ---- selection → details
  const waitingForAnalysis = selected !== null && progress !== null && progress.task !== 'index' && selected.number > analysed;
  useEffect(() => {
    if (!selected) {
      setDetail(null);
      return;
    }
    let live = true;
    // A frame the file's analysis has not reached: its details come only when it does, so the
    // previous packet's must not stand in for them meanwhile.
    if (waitingForAnalysis) setDetail(null);
    api.call('packet.detail', { number: selected.number }).then(
      (d) => {
        if (!live) return;
        setDetail(d);
        // Keep the same field selected on the next packet when it has one (Wireshark does).
        const key = treeKeyRef.current;
        const line = key ? visibleLines(d.tree, expanded).find((l) => l.key === key) : undefined;
        setTreePath(line ? line.path : null);
      },
      (e) => live && say('error', errorText(e)),
    );
    return () => {
      live = false;
    };
    // The expanded set is read, not watched: opening a subtree must not refetch the packet.
  }, [api, selected?.number, say]);

  const selectTreePath = useCallback(
    (path: NodePath | null) => {
      setTreePath(path);
      treeKeyRef.current = path && detail ? keyAt(detail.tree, path) : null;
    },
    [detail],
  );

  const selectedNode: TreeNode | null = useMemo(() => (detail && treePath ? (nodeAt(detail.tree, treePath) ?? null) : null), [detail, treePath]);

  const pickByte = useCallback(
    (source: number, offset: number) => {
      if (!detail) return;
      const path = deepestNodeAt(detail.tree, source, offset);
      if (!path) return;
      const keys = ancestorKeys(detail.tree, path);
      if (keys.some((k) => !expanded.has(k))) setExpanded((ex) => new Set([...ex, ...keys]));
      selectTreePath(path);
    },
    [detail, expanded, selectTreePath],
  );

  // ---- context menus
  const rowMenu = useCallback(
    (e: React.MouseEvent, row: PacketRow, column: ColumnId) => {
      const f = columnFilter(row, column);
      const conv = conversationFilter(row);
      setMenu({
        x: e.clientX,
        y: e.clientY,
        items: [
          { label: `Apply as filter: ${f}`, action: () => void applyFilter(f) },
          { label: 'Prepare as filter', action: () => (setFilterText(f), setFilterFocus((n) => n + 1)) },
          { label: conv ? `Conversation filter: ${conv}` : 'Conversation filter', action: () => conv && void applyFilter(conv), disabled: !conv, separated: true },
          { label: 'Follow TCP stream', action: () => row.tcpStream !== undefined && void followStream(row.tcpStream), disabled: row.tcpStream === undefined },
          { label: 'Follow TLS stream', action: () => row.tcpStream !== undefined && void followStream(row.tcpStream, true), disabled: row.tcpStream === undefined },
          { label: 'Follow UDP stream', action: () => void followUdp(row.number), disabled: row.tcpStream !== undefined },
        ],
      });
    },
    [applyFilter, followStream, followUdp],
  );

  const treeMenu = useCallback(
    (e: React.MouseEvent, node: TreeNode, path: NodePath) => {
      selectTreePath(path);
      const f = node.filter;
      setMenu({
        x: e.clientX,
        y: e.clientY,
        items: [
          { label: f ? `Apply as filter: ${f}` : 'Apply as filter', action: () => f && void applyFilter(f), disabled: !f },
          { label: 'Prepare as filter', action: () => f && (setFilterText(f), setFilterFocus((n) => n + 1)), disabled: !f },
          { label: 'Copy value', action: () => void copyText(labelValue(node.label)), separated: true },
          { label: 'Copy field name', action: () => void copyText(node.field), disabled: node.field === '' },
          { label: 'Copy line', action: () => void copyText(node.label) },
        ],
      });
    },
    [applyFilter, selectTreePath],
  );

  // ---- keyboard shortcuts (the desktop shell has menus with accelerators instead)
  useEffect(() => {
    if (window.synscope) return;
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || dialog) return;
      const k = e.key.toLowerCase();
      if (k === 'o') setDialog({ kind: 'open' });
      else if (k === 's' && hasCapture) setDialog({ kind: 'save' });
      else if (k === 'k') {
        loadInterfaces();
        setDialog({ kind: 'capture' });
      } else if (k === 'e') {
        if (capturing) void stopCapture();
        else startOrOptions();
      } else if (k === 'g' && hasCapture) setDialog({ kind: 'goto' });
      else if (k === '/') setFilterFocus((n) => n + 1);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [capturing, dialog, hasCapture, loadInterfaces, startOrOptions, stopCapture]);

  const showStart = !hasCapture;
  const narrow = useNarrowWindow();

  return (
    <div className="app">
      <Toolbar
        hasCapture={hasCapture}
        capturing={capturing}
        canRestart={lastCapture !== null}
        timeFormat={timeFormat}
        autoScroll={autoScroll}
        theme={theme}
        onOpen={() => setDialog({ kind: 'open' })}
        onSave={() => setDialog({ kind: 'save' })}
        onClose={() => void closeCapture()}
        onStart={startOrOptions}
        onStop={() => void stopCapture()}
        onRestart={() => void restartCapture()}
        onOptions={() => {
          loadInterfaces();
          setDialog({ kind: 'capture' });
        }}
        onGoTo={() => setDialog({ kind: 'goto' })}
        onTlsKeys={() => setDialog({ kind: 'tlskeys' })}
        tlsKeyLog={summary?.tlsKeyLog ?? null}
        onTimeFormat={setTimeFormat}
        onAutoScroll={setAutoScroll}
        onTheme={setTheme}
      />
      <FilterBar api={api} text={filterText} onTextChange={setFilterText} applied={summary?.filter ?? ''} onApply={(t) => void applyFilter(t)} focusRequest={filterFocus} busy={filtering} progress={filterProgress} />
      <MessageBar messages={messages} onDismiss={dismiss} />
      <main className="workspace">
        {showStart ? (
          <StartPage
            api={api}
            recent={recent}
            interfaces={interfaces}
            interfacesError={interfacesError}
            onOpen={(p) => void openFile(p)}
            onOpenDialog={() => setDialog({ kind: 'open' })}
            onForget={(p) => setRecent(forgetRecentFile(p))}
            onCapture={(iface, filter) => {
              const opts: CaptureOptions = { ...(lastCapture ?? {}), interface: iface };
              if (filter.trim()) opts.filter = filter.trim();
              else delete opts.filter;
              void startCapture(opts);
            }}
          />
        ) : (
          // Wide windows: the analysis pane (timeline, statistics) is a column on the right and
          // the details and bytes stack under the list, as in Wireshark's default layout; narrow
          // ones keep everything stacked, the analysis pane last.
          <SplitPane
            key={narrow ? 'analysis-below' : 'analysis-beside'}
            direction={narrow ? 'vertical' : 'horizontal'}
            storageKey={narrow ? 'split.analysis.below' : 'split.analysis.beside'}
            // Stacked, the analysis pane starts with 30% of the height: with 20%, a
            // 1024 × 640 window showed the timeline's legend and no connection.
            initial={narrow ? 0.7 : 0.6}
            label="Resize the analysis pane"
          >
            <SplitPane direction="vertical" storageKey="split.list" initial={0.5} label="Resize the packet list">
              <PacketList
                api={api}
                total={summary?.displayed ?? 0}
                viewChange={viewChange}
                timeFormat={timeFormat}
                selectedIndex={selected?.index ?? null}
                onSelect={(index, row) => setSelected({ index, number: row.number })}
                follow={autoScroll && capturing}
                reveal={reveal}
                onRowMenu={rowMenu}
                source={sourceKey(summary)}
                analysed={analysed}
              />
              <SplitPane direction="vertical" storageKey="split.details.stacked" initial={0.55} label="Resize the details and bytes panes">
                <DetailTree detail={detail} expanded={expanded} onExpandedChange={setExpanded} selected={treePath} onSelect={selectTreePath} onMenu={treeMenu} loading={selected === null || detail ? undefined : waitingForAnalysis ? `The analysis has not reached frame ${selected.number} yet: its fields come when it does.` : 'Loading…'} />
                <HexView detail={detail} selected={selectedNode} onPickByte={pickByte} />
              </SplitPane>
            </SplitPane>
            <AnalysisPane api={api} source={sourceKey(summary)} theme={theme} selected={selected} filter={summary?.filter ?? ''} alerts={alerts} show={showStats} onSelectPacket={(n) => void goToPacket(n)} onApplyFilter={(t) => {
              setFilterText(t);
              void applyFilter(t);
            }} />
          </SplitPane>
        )}
      </main>
      <StatusBar summary={summary} stats={stats} connection={socket ? connection : undefined} progress={progress} selected={selected?.number ?? null}
        alerts={alerts} onShowAlerts={() => setShowStats((s) => ({ tab: 'alerts', seq: (s?.seq ?? 0) + 1 }))} />
      {dialog?.kind === 'open' && <OpenFileDialog recent={recent} onOpen={(p) => void openFile(p)} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'save' && summary && (
        <SaveDialog
          initialPath={dialog.path ?? defaultSavePath()}
          packets={summary.packets}
          displayed={summary.displayed}
          selected={selected?.number ?? null}
          onSave={(req) => void save(req)}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'capture' && (
        <CaptureOptionsDialog api={api} interfaces={interfaces} interfacesError={interfacesError} initial={lastCapture} onStart={(o) => void startCapture(o)} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === 'goto' && <GoToDialog onGo={(n) => void goToPacket(n)} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'tlskeys' && <TlsKeyLogDialog current={summary?.tlsKeyLog ?? null} onUse={(p) => void decryptWith(p)} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'follow' && <FollowStreamDialog stream={dialog.stream} proto={dialog.proto} onClose={() => setDialog(null)} />}
      {menu && <ContextMenu menu={menu} onClose={() => setMenu(null)} />}
    </div>
  );
}

// The one typed contract between the UI and the engine (STYLE.md §9). The Electron main process
// binds every channel to IPC (ipcMain.handle, sender checked, arguments validated by
// ./validate.ts); the web-mode server binds the same channels to WebSocket messages with the
// same validation; the renderer only ever sees `SessionApi` (from the preload or from the
// WebSocket client). Everything that crosses the boundary is plain JSON: no bigint, no typed
// arrays (bytes travel as base64), no class instances.
//
// Channels are named `domain.verb`. Packet numbers are 1-based frame numbers (tshark's
// frame.number) everywhere; row indices (`packets.rows`) are 0-based positions in the current
// filtered view.
import type { ConnectionLifecycle } from '../tcp/lifecycle.js';
import type { TcpAlert } from '../tcp/alerts.js';
import type { Hierarchy } from '../stats/protocol-hierarchy.js';

export type { Hierarchy, HierarchyRow } from '../stats/protocol-hierarchy.js';

export type { ConnectionLifecycle, TcpAlert };

/** Bumped whenever a channel's arguments or result change shape. */
export const CONTRACT_VERSION = 1;

// ---------------------------------------------------------------------------------------------
// Values

export type CaptureFormat = 'pcap' | 'pcapng';

export interface InterfaceAddress {
  family: 'ipv4' | 'ipv6' | 'link';
  address: string;
  netmask?: string;
}

/** One capture interface, like a line of `tcpdump -D` / `dumpcap -D`. */
export interface InterfaceInfo {
  name: string;
  description?: string;
  addresses: InterfaceAddress[];
  up: boolean;
  running: boolean;
  loopback: boolean;
  /** DLT / LINKTYPE number and its name ("EN10MB"), when known without opening the device. */
  linkType?: number;
  linkTypeName?: string;
}

/**
 * One interface's traffic counter as the kernel keeps it, read without capturing (the start
 * page's sparklines, like Wireshark's welcome page): `packets` counts every packet a capture
 * on the interface would see, since the interface came up; `time` is when it was read, in
 * milliseconds of the engine's monotonic clock (only differences between samples mean
 * anything). `available: false` when the platform keeps no such counter for the interface
 * (libpcap's pseudo-devices "any", nflog, dbus, bluetooth-monitor; other OSes): the UI then
 * shows nothing rather than a zero that was never measured.
 */
export type InterfaceTraffic =
  | { available: true; packets: number; time: number }
  | { available: false; reason: string };

export interface CaptureOptions {
  interface: string;
  /** tcpdump (pcap-filter) expression applied in the kernel; '' = everything. */
  filter?: string;
  snaplen?: number;
  promiscuous?: boolean;
  /** libpcap kernel buffer, bytes. */
  bufferSize?: number;
  /** Byte budget of the in-memory ring; oldest packets are evicted beyond it. */
  ringBytes?: number;
  /** dumpcap -a: stop after this many packets / seconds / bytes, whichever first. */
  stopAfter?: { packets?: number; seconds?: number; bytes?: number };
  /**
   * Also write the capture to rotating pcapng files, like dumpcap -w PATH -b filesize:KB
   * -b files:N -b duration:S (names PATH's stem + _NNNNN_YYYYmmddHHMMSS + extension).
   */
  rotate?: { path: string; filesizeKB?: number; files?: number; durationS?: number };
}

export type CaptureState = 'idle' | 'starting' | 'capturing' | 'stopping' | 'stopped' | 'error';

export interface CaptureStats {
  state: CaptureState;
  interface?: string;
  /** Packets handed to us by libpcap. */
  captured: number;
  /** pcap_stats: ps_recv, ps_drop, ps_ifdrop. */
  received: number;
  dropped: number;
  ifDropped: number;
  /** Packets evicted from the ring to stay within its byte budget. */
  ringEvicted: number;
  /** Bytes held in the ring now. */
  ringBytes: number;
  /** Set when state is 'error': a sentence a user can act on. */
  error?: string;
}

/** What the session holds now (the status bar reads this). */
export interface SessionSummary {
  source: { kind: 'none' } | { kind: 'file'; path: string; format: CaptureFormat } | { kind: 'live'; interface: string };
  /** Packets available (for a live capture: after eviction). */
  packets: number;
  /** Frame number of the oldest packet still available (1 unless the ring evicted some). */
  firstAvailable: number;
  /** Rows in the current filtered view. */
  displayed: number;
  filter: string;
  /** A live capture not yet saved: the UI asks before discarding it. */
  unsaved: boolean;
  /** The TLS key log file set with tls.keylog, when one is. */
  tlsKeyLog?: string;
  /**
   * Goes up with every summary the session makes. Summaries reach a client both as replies and
   * in event batches, which are flushed on a timer: one made earlier can arrive later (a capture's
   * end, then a save's reply). A client keeps the one with the highest revision.
   */
  revision: number;
  capture?: CaptureStats;
  /**
   * A live capture forgets the connections and conversations whose every packet the ring
   * evicted once they are quiet; tcp.connections, tcp.lifecycle and stats.conversations keep a
   * summary row for the newest 5000 of them (app/tcp/lifecycle.ts MAX_FORGOTTEN_SUMMARIES).
   * Set once older ones were dropped as well: how many rows each list lacks (TCP connections,
   * TCP and UDP conversations), and how many packets' addresses stats.endpoints did not count
   * (it keeps at most MAX_LIVE_ENDPOINTS addresses live). tcp.stream / udp.stream numbers are
   * never reused.
   */
  droppedRows?: { connections: number; tcp: number; udp: number; endpoints: number };
  /** The file could be read only up to a damaged record: the reader's message. */
  warning?: string;
}

export interface FilterError {
  message: string;
  /** Character span [start, end) in the filter text. */
  start: number;
  end: number;
}

export type FilterApplied =
  | {
      ok: true;
      /** Which language the text was read as ('none' for the empty filter). */
      language: 'display' | 'tcpdump' | 'none';
      displayed: number;
      /** The same filter in the other language, when one exists. */
      equivalent?: { language: 'display' | 'tcpdump'; text: string };
    }
  | { ok: false; error: FilterError; language?: 'display' | 'tcpdump' };

/** The packet list's Time column: tshark -t r, ad (local), d, e, and ud (UTC). */
export type TimeFormat = 'relative' | 'absolute' | 'utc' | 'delta' | 'epoch';

/** A packet-list column to sort by (`packets.sort`). */
export type SortColumn = 'number' | 'time' | 'source' | 'destination' | 'protocol' | 'length' | 'info';

/** One row of the packet list. Strings are made only for rows someone asked for. */
export interface PacketRow {
  /** Frame number. */
  number: number;
  /** The time column, formatted as asked. */
  time: string;
  source: string;
  destination: string;
  protocol: string;
  length: number;
  info: string;
  /** Name of the first matching Wireshark colouring rule ('Bad TCP', 'TCP RST', ...), if any. */
  colorRule?: string;
  /** tcp.stream, for "Conversation filter" and "Follow TCP stream". */
  tcpStream?: number;
  malformed?: boolean;
  /**
   * The in-order analysis of an open file has not reached this frame yet (End pressed right
   * after opening a large file): number, time, addresses and length are final, protocol is what
   * the frame alone shows, info is empty and there is no colouring rule. A later request, once
   * a progress event's `analysed` is at least `number`, gives the final row.
   */
  pending?: true;
}

/** A node of the packet-details tree. */
export interface TreeNode {
  /** Field name (`tcp.srcport`); '' for text-only lines. */
  field: string;
  /** The line as shown ("Source Port: 443"). */
  label: string;
  /** Byte range in the data source `source` (0 = the frame); length 0 for generated nodes. */
  start: number;
  length: number;
  source: number;
  generated?: boolean;
  expert?: { severity: 'comment' | 'chat' | 'note' | 'warn' | 'error'; message: string };
  /** A filter that selects packets with this value ("tcp.srcport == 443"), when one exists. */
  filter?: string;
  children?: TreeNode[];
}

export interface PacketDetail {
  number: number;
  tree: TreeNode[];
  /**
   * Data sources, by tshark's names: [0] "Frame", then reassembled, de-chunked or uncompressed
   * bytes ("Reassembled TCP", "Uncompressed entity body"). Bytes as base64.
   */
  sources: { name: string; bytes: string }[];
}

export interface ConnectionRow {
  stream: number;
  client: string;
  server: string;
  clientPort: number;
  serverPort: number;
  /** Seconds since the capture's first packet. */
  start: number;
  end: number;
  packets: number;
  bytes: number;
  handshakeRtt?: number;
  closedFirstBy?: 'client' | 'server';
  /** 'closed', 'reset', 'refused', 'half-open', 'half-closed', 'still open'. */
  endState: string;
  /** Completeness in words ("handshake complete, data both ways, closed by client ..."). */
  summary: string;
  alerts: number;
}

export interface ConversationRow {
  proto: 'TCP' | 'UDP';
  addressA: string;
  portA: number;
  addressB: string;
  portB: number;
  framesAtoB: number;
  bytesAtoB: number;
  framesBtoA: number;
  bytesBtoA: number;
  relStart: number;
  duration: number;
  stream: number;
  /** TCP only (`synscope conv`'s columns): SYN to the ACK that completes the handshake, in seconds. */
  handshakeRtt?: number;
  /** TCP only: the side whose FIN (or RST) came first. */
  closedFirstBy?: 'A' | 'B';
  /** TCP only: how the connection ended ('closed', 'refused', 'reset', 'half-open', 'half-closed', 'still open'). */
  end?: string;
}

export interface EndpointRow {
  address: string;
  packets: number;
  bytes: number;
  txPackets: number;
  txBytes: number;
  rxPackets: number;
  rxBytes: number;
}

/**
 * A row of the expert information summary (Wireshark's Analyze → Expert Information, tshark's
 * `-z expert`): the notes of one severity, protocol and message, how many, and the first packet.
 */
export interface ExpertRow {
  severity: 'error' | 'warn' | 'note' | 'chat' | 'comment';
  /** Wireshark's group name: "Sequence", "Malformed", "Protocol", ... */
  group: string;
  protocol: string;
  summary: string;
  count: number;
  firstFrame: number;
}

/** Follow TCP stream: the payload of each direction in sequence order, as tshark's records. */
export interface FollowedStream {
  stream: number;
  /** tshark's Node 0 / Node 1: the sender of the stream's first segment, and its peer. */
  client: string;
  server: string;
  /**
   * One chunk per line of `tshark -z follow,tcp,raw`: a segment's bytes not shown before
   * (neighbours from one side are not merged), or a "[N bytes missing in capture file]" marker;
   * `frame` is the segment's frame. Bytes as base64.
   */
  chunks: { from: 'client' | 'server'; frame: number; bytes: string }[];
  /**
   * Follow TLS Stream: the side whose record was the first decrypted one, of any content type
   * (tshark's Node 0 for TLS: a TLS 1.3 server's encrypted handshake comes before any request).
   */
  firstDecrypted?: 'client' | 'server';
}

export interface SaveRequest {
  path: string;
  format: CaptureFormat;
  /** all packets, the displayed (filtered) ones, the given frame numbers, or a range of them. */
  which: 'all' | 'displayed' | 'selected' | 'range';
  frames?: number[];
  range?: { first: number; last: number };
}

export interface FieldCompletion {
  name: string;
  /** Wireshark's ftype name (FT_UINT16, FT_IPv4, ...). */
  type: string;
  description: string;
}

/** What tls.keylog set: the file and how many secrets it holds. */
export interface TlsKeyLogState {
  path: string | null;
  secrets: number;
}

// ---------------------------------------------------------------------------------------------
// Channels: name → arguments and result

export interface Channels {
  'session.summary': { args: Record<string, never>; result: SessionSummary };
  'file.open': { args: { path: string }; result: SessionSummary };
  'file.close': { args: Record<string, never>; result: SessionSummary };
  'file.save': { args: SaveRequest; result: { path: string; packets: number } };
  /**
   * The TLS key log file (SSLKEYLOGFILE's NSS format) TLS sessions are decrypted with, or null
   * for none; an open file is read again with it. Secrets a pcapng carries (Decryption Secrets
   * Blocks) are used in any case.
   */
  'tls.keylog': { args: { path: string | null }; result: TlsKeyLogState };
  'capture.interfaces': { args: Record<string, never>; result: InterfaceInfo[] };
  'capture.start': { args: CaptureOptions; result: SessionSummary };
  'capture.stop': { args: Record<string, never>; result: SessionSummary };
  'capture.stats': { args: Record<string, never>; result: CaptureStats };
  /** Packet counters of the interfaces capture.interfaces lists, by name; needs no capture privileges. */
  'capture.traffic': { args: Record<string, never>; result: Record<string, InterfaceTraffic> };
  'filter.apply': { args: { text: string }; result: FilterApplied };
  /** Checks a filter without applying it (the editor's squiggles); `displayed` is -1 (not counted). */
  'filter.check': { args: { text: string }; result: FilterApplied };
  'filter.fields': { args: { prefix: string; limit?: number }; result: FieldCompletion[] };
  /** Values seen in the open capture for a field (addresses, ports, streams, names). */
  'filter.values': { args: { field: string; prefix: string; limit?: number }; result: string[] };
  'packets.rows': { args: { start: number; end: number; timeFormat?: TimeFormat }; result: PacketRow[] };
  /** Row index of a frame number in the current view, or -1 when filtered out / evicted. */
  'packets.find': { args: { number: number }; result: number };
  /**
   * Orders the rows of the view (and of later filters) by a column, ties in frame order;
   * `column: null` goes back to capture order. Rows a live capture appends stay at the end.
   */
  'packets.sort': { args: { column: SortColumn; descending?: boolean } | { column: null }; result: { displayed: number } };
  'packet.detail': { args: { number: number }; result: PacketDetail };
  /**
   * Every TCP connection. A file's list is answered once the session's first pass has seen
   * every packet (seconds for a million packets); `soFar` answers at once with the connections
   * found so far (their rows as they stand), for a list that fills in while the pass goes on.
   */
  'tcp.connections': { args: { soFar?: boolean }; result: ConnectionRow[] };
  'tcp.lifecycle': { args: { stream: number }; result: ConnectionLifecycle };
  'tcp.follow': { args: { stream: number }; result: FollowedStream };
  /** Follow TLS Stream: the application data the connection's TLS records decrypted to, record by record (none without the secrets). */
  'tls.follow': { args: { stream: number }; result: FollowedStream };
  /** Follow UDP Stream: the datagrams of the udp.stream packet `frame` belongs to, one record each (`stream` is that udp.stream). */
  'udp.follow': { args: { frame: number }; result: FollowedStream };
  'tcp.alerts': { args: Record<string, never>; result: TcpAlert[] };
  'stats.conversations': { args: { proto: 'TCP' | 'UDP' }; result: ConversationRow[] };
  'stats.endpoints': { args: Record<string, never>; result: EndpointRow[] };
  /**
   * Answered once the full pass has dissected every packet (a live capture: those so far), most
   * severe first; `soFar` answers at once with the notes of the packets the pass has read.
   */
  'stats.expert': { args: { soFar?: boolean }; result: ExpertRow[] };
  /**
   * Protocol Hierarchy of the packets on display (Wireshark's Statistics > Protocol Hierarchy,
   * `-z io,phs` with the display filter): answered once the full pass and the filter have gone
   * over every packet (a live capture: those so far); `filter` is the display filter it used.
   */
  'stats.hierarchy': { args: Record<string, never>; result: Hierarchy & { filter: string } };
}

export type Channel = keyof Channels;
export type ArgsOf<C extends Channel> = Channels[C]['args'];
export type ResultOf<C extends Channel> = Channels[C]['result'];

export const CHANNELS = [
  'session.summary', 'file.open', 'file.close', 'file.save', 'tls.keylog',
  'capture.interfaces', 'capture.start', 'capture.stop', 'capture.stats', 'capture.traffic',
  'filter.apply', 'filter.check', 'filter.fields', 'filter.values',
  'packets.rows', 'packets.find', 'packets.sort', 'packet.detail',
  'tcp.connections', 'tcp.lifecycle', 'tcp.follow', 'tls.follow', 'udp.follow', 'tcp.alerts',
  'stats.conversations', 'stats.endpoints', 'stats.expert', 'stats.hierarchy',
] as const satisfies readonly Channel[];

// ---------------------------------------------------------------------------------------------
// Events: pushed in batches a few times per second, never one per packet

export type ProgressTask = 'index' | 'connections' | 'analyze';

export type SessionEvent =
  /**
   * New packets were stored / the view changed: the list re-reads its visible rows. `filtering`:
   * while a display filter is still being applied, the share of the frames it has tested (0..1).
   */
  | { type: 'rows'; packets: number; displayed: number; firstAvailable: number; filtering?: number }
  | { type: 'stats'; stats: CaptureStats }
  | { type: 'connection'; event: 'opened' | 'established' | 'closing' | 'closed' | 'reset' | 'refused'; stream: number; frame: number }
  | { type: 'alert'; alert: TcpAlert }
  | { type: 'summary'; summary: SessionSummary }
  | { type: 'error'; message: string }
  /** A menu command of the desktop shell (Electron only; web mode never sends one). */
  | { type: 'command'; command: UiCommand }
  /**
   * Background work on an open file: indexing it, then the pre-pass that finds its
   * conversations and connections, then the full dissection every filter and row relies on.
   * `analysed` is how far that dissection got: frames 1..analysed have their final rows, rows
   * of later frames come `pending` (PacketRow).
   */
  | { type: 'progress'; task: ProgressTask; done: number; fraction: number; analysed: number };

export const EVENT_CHANNEL = 'session.events';

// ---------------------------------------------------------------------------------------------
// The desktop shell (main/): menu commands for the UI, and the few desktop-only functions the
// preload adds next to SessionApi. Paths in commands were chosen in a native dialog, given on
// the command line or by a file association; the UI acts on them through the session channels.

export type UiPane = 'list' | 'details' | 'bytes';
/** The statistics tabs of the analysis pane: conversations, endpoints, TCP alerts, expert information, protocol hierarchy. */
export type StatisticsTabName = 'tcp' | 'udp' | 'endpoints' | 'alerts' | 'expert' | 'protocols';
export type UiTheme = 'light' | 'dark' | 'system';

export type UiCommand =
  /** File › Open…, Open Recent, command line, file association: call file.open with it. */
  | { name: 'file.open'; path: string }
  /** File › Save / Save As… (path chosen): call file.save with which 'all'. */
  | { name: 'file.save'; path: string; format: CaptureFormat }
  /** File › Export Specified Packets… (path chosen): ask which packets, then file.save. */
  | { name: 'file.export'; path: string; format: CaptureFormat }
  | { name: 'file.close' }
  | { name: 'capture.options' } | { name: 'capture.start' } | { name: 'capture.stop' } | { name: 'capture.restart' }
  | { name: 'view.theme'; theme: UiTheme }
  | { name: 'view.pane'; pane: UiPane; visible: boolean }
  | { name: 'go.packet' } | { name: 'go.next' } | { name: 'go.previous' } | { name: 'go.first' } | { name: 'go.last' }
  /** Edit › TLS Key Log File…: the UI's Decrypt TLS dialog (tls.keylog). */
  | { name: 'tls.keys' }
  /** Statistics › Conversations, Endpoints, …: that tab of the analysis pane. */
  | { name: 'view.statistics'; tab: StatisticsTabName };

/** What the desktop shell remembers of the UI between runs. */
export interface UiLayout {
  theme: UiTheme;
  panes: Record<UiPane, boolean>;
  /** Pane sizes in the renderer's own units (e.g. fractions); stored as given. */
  sizes: number[];
}

/** `window.synscope.desktop`, present only in the Electron window. */
export interface DesktopBridge {
  /** Absolute path of a File dropped on the window (Electron's webUtils.getPathForFile). */
  pathForFile(file: File): string;
  layout(): Promise<UiLayout>;
  saveLayout(layout: UiLayout): Promise<void>;
}

/** What the preload puts on `window.synscope` in the desktop app. */
export interface DesktopApi extends SessionApi {
  desktop: DesktopBridge;
}

// ---------------------------------------------------------------------------------------------
// What the renderer holds: one call function and one subscription, over IPC or WebSocket.

export interface SessionApi {
  call<C extends Channel>(channel: C, args: ArgsOf<C>): Promise<ResultOf<C>>;
  /** Receives event batches; returns the unsubscribe function. */
  subscribe(listener: (events: SessionEvent[]) => void): () => void;
}

/** Every handler answers with this envelope, so a thrown error crosses the boundary as data. */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * A long list of flat records as the web transport carries a reply's value (app/server/
 * pack-records.ts packs it, renderer/api/unpack-records.ts restores the same records): one
 * array per key instead of the key names in every record, and each distinct string once.
 * tcp.connections on the 1M-packet bench capture (60k connections) is 20 MB of JSON as
 * records, of which the key names and eleven distinct summary sentences were 13 MB. Electron's
 * IPC passes values as they are.
 */
export interface PackedRecords {
  count: number;
  /** The distinct strings of the string columns. */
  strings: string[];
  columns: PackedColumn[];
}

/** One key of every record: `values[i]` is record i's value, null when record i has no such key. */
export type PackedColumn =
  | { key: string; kind: 'number'; values: Array<number | null> }
  | { key: string; kind: 'boolean'; values: Array<boolean | null> }
  /** Indexes into PackedRecords.strings. */
  | { key: string; kind: 'string'; values: Array<number | null> };

/** A reply as the web transport sends it: Reply, or a successful one whose value is packed. */
export type WireReply = Reply<unknown> | { ok: true; packed: PackedRecords };

// The per-packet dissection context (Wireshark's packet_info + proto_tree in one object).
// Dissectors add nodes through it, set the summary columns, and hand the rest of the packet
// on through the dispatch tables in ./dispatch.ts.
import { codeNames, GROUP_CODES, GROUP_NAMES, SEVERITY_CODES, SEVERITY_NAMES } from './expert-codes.js';
import { defineFields, type FieldDef } from './field.js';
import { relTimeText, type AbsTime, type ExpertNote, type ExpertSeverity, type FieldNode, type FieldValue } from './tree.js';
import type { Tvb } from './tvb.js';
import { KeyLog } from './tls-keylog.js';

/** Fields every packet may carry that belong to no protocol (tshark's `_ws.*`). */
export const wsFields = defineFields([
  { name: '_ws.malformed', label: 'Malformed Packet', type: 'protocol', description: 'A length or value in the packet is impossible' },
  { name: '_ws.short', label: 'Packet size limited during capture', type: 'none', description: 'The capture kept fewer bytes than the packet had (snaplen)' },
  { name: '_ws.expert', label: 'Expert Info', type: 'protocol', description: 'Expert information' },
  { name: '_ws.expert.message', label: 'Message', type: 'string', description: 'Expert message' },
  { name: '_ws.expert.severity', label: 'Severity level', type: 'uint32', base: 'none', values: codeNames(SEVERITY_CODES, SEVERITY_NAMES), description: 'Expert severity' },
  { name: '_ws.expert.group', label: 'Group', type: 'uint32', base: 'none', values: codeNames(GROUP_CODES, GROUP_NAMES), description: 'Expert group' },
  { name: '_ws.text', label: 'Text', type: 'none', description: 'A text line in the tree' },
  { name: '_ws.col.Protocol', label: 'Protocol', type: 'string', description: 'The Protocol column' },
  { name: '_ws.col.Info', label: 'Info', type: 'string', description: 'The Info column' },
]);

/** What the driver knows about a frame before dissecting it (from the capture file/index). */
export interface FrameInput {
  /** 1-based packet number. */
  number: number;
  ts: AbsTime;
  capLen: number;
  origLen: number;
  /** LINKTYPE_* value (1 Ethernet, 113 SLL, 276 SLL2, 101 raw IP, 0 null, ...). */
  linkType: number;
  interfaceId?: number;
  interfaceName?: string;
  /** pcapng: the interface's if_description, when its IDB gives one. */
  interfaceDescription?: string;
  /** pcapng: the 1-based section of the record's interface (frame.section_number). */
  section?: number;
  comments?: readonly string[];
  /** The record carries no time (a pcapng Simple Packet Block, a Custom Block): tshark shows no time fields. ts is 0. */
  tsAbsent?: boolean;
  /** pcapng epb_flags, epb_dropcount, epb_packetid, epb_queue, when the block has them. */
  packetFlags?: number;
  dropCount?: bigint;
  packetId?: bigint;
  queue?: number;
  data: Uint8Array;
  /**
   * Set when the record is a pcapng Custom Block rather than a packet (tshark 4.0 lists those
   * as frames): its Private Enterprise Number and whether it may be copied (type 0xBAD).
   */
  customBlock?: { pen: number; copy: boolean };
  /** Time of packet 1 and of the previous packet, for frame.time_relative / time_delta. */
  firstTs?: AbsTime;
  prevTs?: AbsTime;
  /** The previous packet a display filter let through (frame.time_delta_displayed); absent: prevTs. */
  prevDisplayedTs?: AbsTime;
}

/**
 * A live capture's ring evicts old frames. Per-frame answers of evicted frames are forgotten at
 * once; a conversation a dissector keeps (UDP streams, HTTP/TLS/DNS conversations, ICMP echo
 * requests) once the ring evicted its every frame and it has been quiet this long, in capture
 * time against the newest packet the protocol saw: the TCP tracker's FORGET_IDLE_AFTER_S
 * (nf_conntrack_tcp_timeout_unacknowledged). A packet arriving later starts afresh (a new
 * udp.stream, a request without its answer) where tshark, which never forgets, would continue.
 */
export const FORGET_QUIET_AFTER_S = 300;
/**
 * At most this many conversations per table wait out their quiet time once the ring evicted
 * all of them; beyond it the quietest go first. So a table holds the conversations the ring
 * still has packets of plus at most this many: a bound set by the ring, whatever the rate.
 */
export const FORGET_KEEP_EVICTED = 5000;
/** The forgetting runs once the ring's first frame moved on by this many frames (conversation sweeps walk all). */
export const FORGET_SWEEP_FRAMES = 4096;

/**
 * Which of `items` to forget: those whose every frame is before `first` (lastFrame) and that
 * have been quiet (now - lastTime, seconds) for quietS(item), and beyond FORGET_KEEP_EVICTED
 * other such evicted ones the quietest.
 */
export function pickForgotten<T>(items: Iterable<T>, first: number, now: number, lastFrame: (t: T) => number, lastTime: (t: T) => number, quietS: (t: T) => number): T[] {
  const out: T[] = [];
  const waiting: T[] = [];
  for (const t of items) {
    if (lastFrame(t) >= first) continue;
    if (now - lastTime(t) >= quietS(t)) out.push(t);
    else waiting.push(t);
  }
  let excess = waiting.length - FORGET_KEEP_EVICTED;
  if (excess > 0) {
    // The quietest `excess`: those last seen before the excess-th oldest time (a typed-array
    // sort of the times, not of the items: this runs on every sweep of a busy capture).
    const times = Float64Array.from(waiting, lastTime).sort();
    const cut = times[excess - 1]!;
    for (const t of waiting) {
      const at = lastTime(t);
      if (at < cut || (at === cut && excess > 0)) {
        out.push(t);
        excess--;
      }
    }
  }
  return out;
}

/** Deletes the keys below `first` from a map filled in frame order (oldest first), by `frameOf(key)`. */
export function forgetFramesBefore<K>(m: Map<K, unknown>, first: number, frameOf: (k: K) => number): void {
  for (const k of m.keys()) {
    if (frameOf(k) >= first) break;
    m.delete(k);
  }
}

/** PacketContext.mark()'s answer. */
export interface ContextMark {
  roots: number;
  flat: number;
  layers: number;
  expert: number;
}

/** State that lives as long as the open capture (conversations, request/response pairs). */
export class CaptureState {
  /**
   * Whether a frame may be dissected again later (the desktop's packet details, a second
   * filter): protocols then remember what they decided for it on the first pass (reassembled
   * PDUs, request/response pairs) to answer the same. False for a single pass in frame order
   * (`synscope read`), where that memory would only grow.
   */
  readonly revisits: boolean;
  /**
   * Frame n's captured bytes read again (valid until the next call), or null when they cannot
   * be. A session over a file sets it: protocols then rebuild on a revisit what they would
   * otherwise keep in memory (TCP's reassembled PDUs, see pdu-pieces.ts). Null: keep it.
   */
  frameBytes: ((n: number) => Uint8Array | null) | null = null;
  private readonly slots = new Map<string, unknown>();
  private readonly forgetters: Array<(first: number) => void> = [];
  private forgotAt = 0;

  private secrets: KeyLog | undefined;

  constructor(options: { revisits?: boolean; keyLog?: KeyLog } = {}) {
    this.revisits = options.revisits ?? true;
    this.secrets = options.keyLog;
  }

  /**
   * TLS secrets (a key log file, the capture's Decryption Secrets Blocks): TLS and QUIC decrypt
   * the sessions they name. Made when first asked for: most states (a frame dissected on its own)
   * never are.
   */
  get keyLog(): KeyLog {
    return (this.secrets ??= new KeyLog());
  }

  /**
   * Registers how a protocol's state forgets what only frames before `first` needed (call it
   * from the `init` of get(), once per capture).
   */
  onForget(fn: (first: number) => void): void {
    this.forgetters.push(fn);
  }

  /** A live ring evicted the frames before `first`: every protocol forgets what only they needed. */
  forgetBefore(first: number): void {
    if (first - this.forgotAt < FORGET_SWEEP_FRAMES) return;
    this.forgotAt = first;
    for (const fn of this.forgetters) fn(first);
  }

  /**
   * The state object a protocol keeps under `key`, created by `init(this)` on first use. A
   * protocol asking on every packet passes a module-level `init`: a closure would be made for
   * every call.
   */
  get<T>(key: string, init: (capture: CaptureState) => T): T {
    let v = this.slots.get(key) as T | undefined;
    if (v === undefined) {
      v = init(this);
      this.slots.set(key, v);
    }
    return v;
  }

  /** The state under `key` if a protocol created it, without creating it. */
  peek<T>(key: string): T | undefined {
    return this.slots.get(key) as T | undefined;
  }
}

/** The network/transport addresses of the packet so far (Wireshark's pinfo->src/dst, ports). */
export interface Endpoints {
  /** Display strings for the Source/Destination columns. */
  src: string;
  dst: string;
  /** Network-layer addresses as bytes (4 or 16), for conversation keys. */
  netSrc?: Uint8Array;
  netDst?: Uint8Array;
  srcPort?: number;
  dstPort?: number;
}

const NULL_NODE_FIELD = wsFields['_ws.text'];

/**
 * A node's tree line: a string, or a function that makes it. Pass a function on hot paths:
 * it runs only when the node is really kept, so the summary-only pass builds no labels.
 */
export type NodeText = string | (() => string);

export interface DissectOptions {
  /** Build the full tree (children, labels). When false, nodes are kept only for `wanted`. */
  tree: boolean;
  /** Field ids to keep when `tree` is false (a filter's or `-T fields`' needs). */
  wanted?: ReadonlySet<number> | null;
  /** List in PacketContext.owners the protocols whose fields the packet may have. */
  owners?: boolean;
}

/**
 * Wanted sets as a byte per field id, made once per set: every add() of every packet asks
 * whether its field is wanted, and a Set's has() was ~7% of a pass that wants some fields.
 * A set that grows afterwards gets a new mask (its size is checked).
 */
const wantedMasks = new WeakMap<ReadonlySet<number>, { size: number; mask: Uint8Array }>();

function wantedMask(set: ReadonlySet<number>): Uint8Array {
  const known = wantedMasks.get(set);
  if (known && known.size === set.size) return known.mask;
  let max = 0;
  for (const id of set) if (id > max) max = id;
  const mask = new Uint8Array(max + 1);
  for (const id of set) mask[id] = 1;
  wantedMasks.set(set, { size: set.size, mask });
  return mask;
}

/**
 * Per protoId, the ownerStamp of the last packet that listed it in its owners: a packet lists a
 * protocol once without a set of its own. Stamps go up by one per packet that lists owners.
 */
let ownerStamps: Int32Array = new Int32Array(1024);
let lastOwnerStamp = 0;

function nextOwnerStamp(): number {
  // After 2^31 packets the stamps start again from 1 (0 is "never"): clear them first.
  if (lastOwnerStamp === 0x7fffffff) {
    ownerStamps.fill(0);
    lastOwnerStamp = 0;
  }
  return ++lastOwnerStamp;
}

function growStamps(stamps: Int32Array, id: number): Int32Array {
  const bigger = new Int32Array(Math.max(id + 1, stamps.length * 2));
  bigger.set(stamps);
  return bigger;
}

export class PacketContext {
  /** Top-level nodes (frame, eth, ip, ...). */
  readonly roots: FieldNode[] = [];
  /** When not building a tree: the wanted nodes, in dissection order. */
  readonly flat: FieldNode[] = [];
  /** Protocol ids in order, for frame.protocols (`eth:ethertype:ip:tcp`). */
  readonly layers: string[] = [];
  readonly expert: ExpertNote[] = [];

  protocol = '';
  info = '';
  src = '';
  dst = '';
  endpoints: Endpoints = { src: '', dst: '' };
  /**
   * The IP headers tshark's ip and ipv6 taps see (what `-z endpoints,ip,ipv6` counts), as
   * source, destination pairs: every IPv4 header and every IPv6 header whose extension headers
   * lead to a payload (not a fragment still waiting for the rest), a tunnel's inner ones too;
   * none inside an ICMP error. Null when there is none.
   */
  ipTaps: string[] | null = null;

  /** Set when the capture cut the packet short / when a length field is impossible. */
  truncated = false;
  malformed = false;
  /** The protocol being dissected (its id: `tcp`); left as it was when a dissector throws. */
  currentProto = '';
  /** Its Wireshark short name, which "[Malformed Packet: IPv6 Fragment]" shows. */
  currentProtoName = '';

  /**
   * Byte sources nodes can point into: [0] is the frame's captured bytes, later entries are
   * buffers built by reassembly (Wireshark's "Reassembled TCP" tabs). See FieldNode.source.
   */
  readonly sources: Uint8Array[];
  /** Wireshark's names of the sources after the frame ("Reassembled TCP"), by their bytes (made on first use: most packets have none). */
  private sourceNames: Map<Uint8Array, string> | null = null;

  /** Scratch values lower layers leave for higher ones (e.g. `ip.proto`, the IP header). */
  readonly scratch: Record<string, unknown> = {};

  /**
   * With DissectOptions.owners: the protoId of every field this packet added or asked wants()
   * about, wanted or not, each once. A superset of the protocols whose fields any dissection of
   * the packet shows (every node is made by push(), and a field made only when wanted is asked
   * about first), so a protocol missing here has no field in the packet: the session answers
   * `dns.qry.name == "x"` for a frame without DNS from this list, without dissecting it again.
   */
  readonly owners: number[] | null;
  /** This packet's mark in ownerStamps. */
  private readonly ownerStamp: number;

  private readonly buildTree: boolean;
  /** The wanted field ids as a byte per id (wantedMask); null: nothing wanted. */
  private readonly wanted: Uint8Array | null;
  /** A node that swallows children when nothing is being recorded. */
  private readonly nullNode: FieldNode;

  constructor(
    readonly frame: FrameInput,
    readonly capture: CaptureState,
    options: DissectOptions,
  ) {
    this.buildTree = options.tree;
    this.owners = options.owners ? [] : null;
    this.ownerStamp = options.owners ? nextOwnerStamp() : 0;
    // Nothing wanted is no filter at all (`wanting` false: no value is built for a node).
    this.wanted = options.wanted && options.wanted.size > 0 ? wantedMask(options.wanted) : null;
    this.nullNode = { field: NULL_NODE_FIELD, start: 0, length: 0, value: null };
    this.sources = [frame.data];
  }

  /** An IP header the endpoint statistics count (see ipTaps). */
  tapIp(src: string, dst: string): void {
    (this.ipTaps ??= []).push(src, dst);
  }

  /**
   * A new data source, `tvb`'s bytes, with its name (tshark -x and the desktop's byte tabs show
   * it): one of the sources from now on, tree or not, as add_new_data_source makes it.
   */
  nameSource(tvb: Tvb, name: string): void {
    (this.sourceNames ??= new Map()).set(tvb.bytes, name);
    if (!this.sources.includes(tvb.bytes)) this.sources.push(tvb.bytes);
  }

  /**
   * Takes back the source nameSource made of `tvb` when nothing after it was added (TCP's
   * reassembly whose PDU turned out incomplete: tshark adds its tab only for a whole PDU).
   * `keptNodes`: a payload protocol kept the nodes it made on those bytes (keepTree); like
   * tshark's items on a data source it removed again, they point at no bytes from now on.
   */
  dropSource(tvb: Tvb, keptNodes = false): void {
    if (this.sources[this.sources.length - 1] !== tvb.bytes || this.sources.length === 1) return;
    const dropped = this.sources.length - 1;
    this.sources.pop();
    this.sourceNames?.delete(tvb.bytes);
    if (keptNodes) unlinkSource(this.buildTree ? this.roots : this.flat, dropped);
  }

  /** The name of sources[i]: "Frame", or what nameSource said ("Reassembled" when nothing did). */
  sourceName(i: number): string {
    return i === 0 ? 'Frame' : this.sourceNames?.get(this.sources[i]!) ?? 'Reassembled';
  }

  /** True when nodes are built for a tree (labels and children matter). */
  get tree(): boolean {
    return this.buildTree;
  }

  /**
   * Where the layers a protocol hands its payload to go in the tree: the top level, except
   * inside a packet quoted by an ICMP error, where tshark nests them under the ICMP item (ICMP
   * leaves that node in scratch while it dissects the quote).
   */
  get upperParent(): FieldNode | null {
    return this.scratch['inErrorPacket'] === true ? (this.scratch['quoteParent'] as FieldNode | undefined) ?? null : null;
  }

  /** True when some fields are wanted without a tree (a filter's or `-T fields`' needs). */
  get wanting(): boolean {
    return this.wanted !== null;
  }

  /**
   * Adds a field read from the packet. `offset`/`length` are relative to `tvb`.
   * Returns the node (or a shared placeholder when neither the tree nor a filter wants it).
   */
  add(parent: FieldNode | null, field: FieldDef, tvb: Tvb, offset: number, length: number, value: FieldValue, text?: NodeText): FieldNode {
    return this.located(this.push(parent, field, tvb.abs(offset), length, value, text, false), tvb);
  }

  /** Adds a generated (analysis) field: no bytes, shown in brackets. */
  addGenerated(parent: FieldNode | null, field: FieldDef, value: FieldValue, text?: NodeText): FieldNode {
    return this.push(parent, field, 0, 0, value, text, true);
  }

  /**
   * A generated relative-time field whose text is the time difference `d` as nstime_delta makes it
   * (exact to the nanosecond, in the tree and for -T fields: a float of ~10^9 seconds is not), and
   * whose value is `value`, the float filters compare (nstime_to_sec's by default).
   */
  addRelTime(parent: FieldNode | null, field: FieldDef, d: AbsTime, value = d.sec + d.nsec / 1e9): FieldNode {
    // The text only for a node that is kept (UDP and TCP add their times to every packet).
    let text: string | undefined;
    const n = this.addGenerated(parent, field, value, this.tree ? () => `${field.label}: ${(text = relTimeText(d))} seconds` : undefined);
    if (!this.isPlaceholder(n)) n.fieldText = text ?? relTimeText(d);
    return n;
  }

  /** Adds a hidden field (filterable, not shown), like Wireshark's tcp.port / ip.addr. */
  addHidden(parent: FieldNode | null, field: FieldDef, tvb: Tvb, offset: number, length: number, value: FieldValue): FieldNode {
    const node = this.located(this.push(parent, field, tvb.abs(offset), length, value, undefined, false), tvb);
    if (node !== this.nullNode) node.hidden = true;
    return node;
  }

  /** A text line in the tree with a byte range but no filterable value. */
  addText(parent: FieldNode | null, tvb: Tvb, offset: number, length: number, text: string): FieldNode {
    if (!this.buildTree) return this.nullNode;
    return this.located(this.push(parent, NULL_NODE_FIELD, tvb.abs(offset), length, null, text, false), tvb);
  }

  /**
   * Ties a node to the bytes its tvb reads (the frame or a reassembled buffer) and keeps its
   * range inside them: a length field that claims more than was captured must not make the
   * hex view highlight bytes that do not exist.
   */
  private located(node: FieldNode, tvb: Tvb): FieldNode {
    if (node === this.nullNode) return node;
    let source = 0;
    if (tvb.bytes !== this.frame.data) {
      source = this.sources.indexOf(tvb.bytes);
      if (source < 0) source = this.sources.push(tvb.bytes) - 1;
      node.source = source;
    }
    const size = this.sources[source]!.length;
    if (node.start > size) node.start = size;
    if (node.length < 0) node.length = 0;
    if (node.start + node.length > size) node.length = size - node.start;
    return node;
  }

  /**
   * Attaches an expert note (Wireshark's expert_add_info) to a node and to the packet. `own`:
   * the node is the note's own field (a TCP analysis flag), which the tree shows inside the
   * Expert Info item rather than above it. `detail`: more than tshark's message says (shown by
   * the desktop, not in tshark's tree).
   */
  addExpert(node: FieldNode | null, severity: ExpertSeverity, group: string, message: string, own = false, detail?: string): void {
    const note: ExpertNote = { severity, group, message, protocol: this.currentProtoName };
    if (own) note.own = true;
    if (this.scratch['inErrorPacket'] === true) note.untapped = true;
    if (detail !== undefined) note.detail = detail;
    // Children added later come after the Expert Info item in the tree.
    if (node && node !== this.nullNode) note.at = node.children?.length ?? 0;
    this.expert.push(note);
    if (node && node !== this.nullNode) node.expert = note;
    // expert.c: a note of the Malformed group adds a hidden `_ws.malformed` item under the note's
    // item, so the filter `_ws.malformed` finds every packet with one (-T fields prints the
    // field's name for it); a note on no item adds none.
    if (group === 'malformed' && node !== null) {
      // (Without a tree the item may be a placeholder; the hidden one is kept if it is wanted.)
      const hidden = this.push(node === this.nullNode ? null : node, wsFields['_ws.malformed'], 0, 0, '_ws.malformed', undefined, false);
      if (hidden !== this.nullNode) hidden.hidden = true;
    }
  }

  /**
   * Whether none of `fields` would be kept: no tree, no owners list, none of them wanted. A
   * dissector may then skip finding their values (and ask no wants() of each).
   */
  recordsNone(fields: readonly FieldDef[]): boolean {
    if (this.buildTree || this.owners !== null) return false;
    const wanted = this.wanted;
    if (wanted === null) return true;
    for (const f of fields) if (wanted[f.id] === 1) return false;
    return true;
  }

  /** Whether a field is being recorded (lets a dissector skip costly work nobody asked for). */
  wants(field: FieldDef): boolean {
    if (this.owners !== null) this.own(field);
    return this.buildTree || (this.wanted !== null && this.wanted[field.id] === 1);
  }

  /** Lists field's protocol in owners (once per packet). */
  private own(field: FieldDef): void {
    const id = field.protoId;
    if (id >= ownerStamps.length) ownerStamps = growStamps(ownerStamps, id);
    if (ownerStamps[id] === this.ownerStamp) return;
    ownerStamps[id] = this.ownerStamp;
    this.owners!.push(id);
  }

  private push(parent: FieldNode | null, field: FieldDef, start: number, length: number, value: FieldValue, text: NodeText | undefined, generated: boolean): FieldNode {
    if (this.owners !== null) this.own(field);
    if (!this.buildTree && (this.wanted === null || this.wanted[field.id] !== 1)) return this.nullNode;
    if (typeof value === 'string' && field.type === 'string') value = cString(value);
    const node: FieldNode = { field, start, length, value };
    if (text !== undefined) node.text = typeof text === 'function' ? text() : text;
    if (generated) node.generated = true;
    if (!this.buildTree) {
      this.flat.push(node);
      return node;
    }
    if (parent === null || parent === this.nullNode) {
      if (parent === null) this.roots.push(node);
    } else {
      (parent.children ??= []).push(node);
    }
    return node;
  }

  /** Takes a node back out of the tree (a dissector that rejected its payload). */
  /** Where the tree, the layers and the expert notes stand now, for takeBack(). */
  mark(): ContextMark {
    return { roots: this.roots.length, flat: this.flat.length, layers: this.layers.length, expert: this.expert.length };
  }

  /**
   * Takes back the top-level items, layers and notes a payload protocol added since `m`: one that
   * waits for more bytes from its PDU's start shows nothing of it (Wireshark drops its tree).
   */
  takeBack(m: ContextMark): void {
    this.roots.length = m.roots;
    this.flat.length = m.flat;
    this.layers.length = m.layers;
    this.expert.length = m.expert;
  }

  removeNode(parent: FieldNode | null, node: FieldNode): void {
    if (node === this.nullNode) return;
    const list = parent === null ? this.roots : parent.children;
    const i = list ? list.lastIndexOf(node) : -1;
    if (i >= 0) list!.splice(i, 1);
    if (!this.buildTree) {
      // Flat mode: drop the layer node and anything recorded after it.
      const j = this.flat.lastIndexOf(node);
      if (j >= 0) this.flat.length = j;
    }
  }

  /**
   * A read of [at, at+n) past the end before the dissector would have added its item (the C
   * dissector reads first): the protocol's item goes, the exception a read there throws follows.
   */
  failBeforeItem(node: FieldNode, tvb: Tvb, at: number, n: number): never {
    this.removeNodeAnywhere(node);
    tvb.check(at, n);
    throw new Error('unreachable: tvb.check throws');
  }

  /** removeNode for a node whose parent the caller does not hold (found by a walk of the tree: rare paths only). */
  removeNodeAnywhere(node: FieldNode): void {
    if (node === this.nullNode) return;
    this.removeNode(parentOf(this.roots, node), node);
  }

  /**
   * Wireshark's col_set_writable(FALSE): Protocol and Info keep what they say now for the rest of
   * this packet, and what a later layer (or an exception's note) writes to them is dropped (a PIM
   * Register's carried packet). The columns become accessors on this context only: the plain
   * fields stay plain for every other packet.
   */
  lockColumns(): void {
    for (const column of ['protocol', 'info'] as const) {
      const value = this[column];
      Object.defineProperty(this, column, { get: () => value, set: () => undefined, configurable: true, enumerable: true });
    }
  }

  /** Stretches a node (typically a protocol node) to cover `length` bytes once known. */
  setLength(node: FieldNode, length: number): void {
    if (node === this.nullNode) return;
    const size = this.sources[node.source ?? 0]!.length;
    node.length = Math.max(0, Math.min(length, size - node.start));
  }

  setText(node: FieldNode, text: string): void {
    if (node !== this.nullNode) node.text = text;
  }

  isPlaceholder(node: FieldNode): boolean {
    return node === this.nullNode;
  }
}

/** The node among `nodes` (and below) whose children hold `node`; null when it is one of `nodes` or not there. */
function parentOf(nodes: readonly FieldNode[], node: FieldNode): FieldNode | null {
  for (const n of nodes) {
    if (!n.children) continue;
    if (n.children.includes(node)) return n;
    const p = parentOf(n.children, node);
    if (p) return p;
  }
  return null;
}

/**
 * A string field's value up to its first NUL: tshark 4.0 keeps FT_STRING values as C strings, so
 * `-T fields`, filters and the item's own text see nothing after a NUL byte (a line of text
 * shown beside it, which is no field value, keeps it as \000).
 */
export function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

/** Nodes on data source `source` (and their children) get an empty range on the frame. */
function unlinkSource(nodes: readonly FieldNode[], source: number): void {
  for (const n of nodes) {
    if (n.source === source) {
      n.source = undefined;
      n.start = 0;
      n.length = 0;
    }
    if (n.children) unlinkSource(n.children, source);
  }
}

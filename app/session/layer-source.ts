// Answering a display filter from what the in-order pass remembered, without dissecting again:
// which protocol layers and TCP analysis items each frame has, and which protocols' fields it
// has at all (a small id per frame in ./analysis.ts), plus the header fields the filter's fast
// path decodes in place (app/filter/fast-fields.ts). `http`, `dns || icmp`,
// `http && ip.addr == 10.0.0.1`, `count(ip) > 1`, `tcp.analysis.retransmission && tcp.port == 80`
// are answered this way, and `dns.qry.name contains "x"` on every frame without DNS fields.
// Anything more (a protocol's bytes, `tcp contains "x"`, a field the fast path does not cover,
// a packet it refuses) throws NEEDS_DISSECTION and the caller dissects that packet.
import type { Dissection } from '../dissect/driver.js';
import { expertNameIds } from '../dissect/expert-names.js';
import { allFields, fieldById, fieldByName, protoIdCount, type FieldDef } from '../dissect/field.js';
// The field definitions live with their dissectors: load them all before reading the registry.
import '../dissect/protocols/index.js';
import type { FieldValue } from '../dissect/tree.js';
import type { FieldSource } from '../filter/compile.js';
import { fastPathCoversField, type FastFieldSource } from '../filter/fast-fields.js';

export const NEEDS_DISSECTION = Symbol('needs dissection');

/**
 * Protocol fields whose presence equals "the layer is in frame.protocols". `frame` (every
 * frame has it, no layer names it) and `_ws.*` (expert items, malformed markers: not layers)
 * are left out.
 */
const LAYER_PROTOCOLS: ReadonlySet<number> = new Set(
  allFields().filter((f) => f.type === 'protocol' && f.name !== 'frame' && !f.name.startsWith('_ws.')).map((f) => f.id),
);

/**
 * Value-less items the pass counts per frame from its own dissection (the TCP tracker's
 * verdicts: tcp.analysis.flags, .retransmission, .duplicate_ack, ...), so `tcp.analysis.flags`
 * and the "Bad TCP" rule need no second dissection.
 */
export const PRESENCE_FIELDS: ReadonlySet<number> = new Set(
  // Not the expert notes' names (tcp.analysis.tfo_syn): those come with the expert items, which
  // only a tree has (expert-fields.ts); a filter on one dissects the frame.
  allFields().filter((f) => f.type === 'none' && f.name.startsWith('tcp.analysis.') && !expertNameIds().includes(f.id)).map((f) => f.id),
);

/** What the pass remembers of a frame's dissection (frames with the same share one). */
export interface LayerSet {
  /** Protocol field id -> occurrences (its layers, frame.protocols), and TCP analysis item -> occurrences. */
  counts: ReadonlyMap<number, number>;
  /** A byte per protoId: 1 when the frame may have fields of that protocol (PacketContext.owners). */
  owners: Uint8Array;
}

/** PacketContext.owners as a byte per protoId (an empty mask when the pass listed none: nothing is known absent). */
function ownerMask(owners: readonly number[] | null): Uint8Array {
  if (!owners) return new Uint8Array(0);
  const mask = new Uint8Array(protoIdCount());
  for (const id of owners) mask[id] = 1;
  return mask;
}

/** PRESENCE_FIELDS as a byte per field id (the pass asks it of every node). */
const PRESENCE_MASK = new Uint8Array(allFields().length);
for (const id of PRESENCE_FIELDS) PRESENCE_MASK[id] = 1;

/**
 * A node of LayerSets' trie: the tokens that follow and where each leads (a node has a few:
 * scanned, not hashed), and the set whose tokens end here (-1: none).
 */
interface TrieNode {
  tokens: number[];
  next: TrieNode[];
  id: number;
}

/** Tokens that end the layers and the analysis items in a frame's token sequence. */
const END_LAYERS = -1, END_ITEMS = -2;

/**
 * The distinct LayerSets of a capture's frames, numbered from 1 (0: not analysed; at most
 * 65535, then 0: such frames are dissected). A frame's set is found by walking a trie with its
 * layers (interned), its TCP analysis items and its owners, in dissection order, as numbers: a
 * string key per frame was ~0.8 s of a 1M-packet pass.
 */
export class LayerSets {
  private readonly sets: LayerSet[] = [{ counts: new Map(), owners: new Uint8Array(0) }];
  private readonly root: TrieNode = { tokens: [], next: [], id: -1 };
  private readonly layerTokens = new Map<string, number>();

  get(id: number): LayerSet {
    return this.sets[id]!;
  }

  idOf(d: Dissection): number {
    let node = this.root;
    for (const name of d.layers) node = this.step(node, this.layerToken(name));
    node = this.step(node, END_LAYERS);
    for (const n of d.flat) if (PRESENCE_MASK[n.field.id] === 1) node = this.step(node, n.field.id);
    node = this.step(node, END_ITEMS);
    const owners = d.ctx.owners;
    if (owners) for (const id of owners) node = this.step(node, id);
    if (node.id < 0) node.id = this.add(d);
    return node.id;
  }

  private add(d: Dissection): number {
    if (this.sets.length > 0xffff) return 0;
    const counts = new Map<number, number>();
    for (const n of d.flat) if (PRESENCE_MASK[n.field.id] === 1) counts.set(n.field.id, (counts.get(n.field.id) ?? 0) + 1);
    for (const name of d.layers) {
      const f = fieldByName(name);
      if (f && f.type === 'protocol') counts.set(f.id, (counts.get(f.id) ?? 0) + 1);
    }
    this.sets.push({ counts, owners: ownerMask(d.ctx.owners) });
    return this.sets.length - 1;
  }

  private step(node: TrieNode, token: number): TrieNode {
    const tokens = node.tokens;
    for (let i = 0; i < tokens.length; i++) if (tokens[i] === token) return node.next[i]!;
    const to: TrieNode = { tokens: [], next: [], id: -1 };
    tokens.push(token);
    node.next.push(to);
    return to;
  }

  private layerToken(name: string): number {
    let t = this.layerTokens.get(name);
    if (t === undefined) this.layerTokens.set(name, (t = this.layerTokens.size));
    return t;
  }
}

/**
 * Protocols whose fields are not answered as absent from the owner list: `frame` (every frame)
 * and `_ws` (expert items and malformed markers, which the filter reads from the notes).
 */
const ALWAYS_ASK = new Set(['frame', '_ws']);

/** Whether a field missing from a frame's owners is answered as absent (its protocol is not always asked). */
export function answersAbsent(f: FieldDef): boolean {
  return !ALWAYS_ASK.has(f.proto);
}

// "Present k times", with values nobody may read: length works (exists, count()), anything
// else (comparing a protocol's value) needs the real dissection.
const presence: Array<readonly FieldValue[]> = [];
function present(k: number): readonly FieldValue[] {
  let p = presence[k];
  if (!p) {
    p = new Proxy(new Array<FieldValue>(k).fill(null), {
      get(target, prop) {
        if (prop === 'length') return target.length;
        throw NEEDS_DISSECTION;
      },
    });
    presence[k] = p;
  }
  return p;
}

const NONE: readonly never[] = [];

export class LayerFieldSource implements FieldSource {
  layers: LayerSet = { counts: new Map(), owners: new Uint8Array(0) };
  /** The fast path's decoding of the same packet, or null when it refused it. */
  fast: FastFieldSource | null = null;

  values(id: number): readonly FieldValue[] {
    if (LAYER_PROTOCOLS.has(id) || PRESENCE_FIELDS.has(id)) return present(this.layers.counts.get(id) ?? 0);
    if (this.absent(id)) return NONE;
    if (this.fast && fastPathCoversField(id)) return this.fast.values(id);
    throw NEEDS_DISSECTION;
  }

  ranges(id: number): readonly Uint8Array[] {
    if (this.absent(id)) return NONE;
    if (!LAYER_PROTOCOLS.has(id) && !PRESENCE_FIELDS.has(id) && this.fast && fastPathCoversField(id)) return this.fast.ranges(id);
    throw NEEDS_DISSECTION;
  }

  /** Whether no dissection of the frame has this field: its protocol is not among the frame's owners. */
  private absent(id: number): boolean {
    const f = fieldById(id);
    const owners = this.layers.owners;
    return f.protoId < owners.length && owners[f.protoId] === 0 && answersAbsent(f);
  }
}

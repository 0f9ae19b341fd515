// Answering a display filter from what the in-order pass remembered, without dissecting again:
// which protocol layers and TCP analysis items each frame has (a small id per frame in
// ./analysis.ts) plus the header fields the filter's fast path decodes in place
// (app/filter/fast-fields.ts). `http`, `dns || icmp`, `http && ip.addr == 10.0.0.1`,
// `count(ip) > 1`, `tcp.analysis.retransmission && tcp.port == 80` are answered this way.
// Anything more (a protocol's bytes, `tcp contains "x"`, a field the fast path does not cover,
// a packet it refuses) throws NEEDS_DISSECTION and the caller dissects that packet.
import { allFields } from '../dissect/field.js';
// The field definitions live with their dissectors: load them all before reading the registry.
import '../dissect/protocols/index.js';
import type { FieldValue } from '../dissect/tree.js';
import type { FieldSource } from '../filter/compile.js';
import { fastPathCovers, type FastFieldSource } from '../filter/fast-fields.js';

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
  allFields().filter((f) => f.type === 'none' && f.name.startsWith('tcp.analysis.')).map((f) => f.id),
);

/** Whether a filter reading these fields can be answered from layers + the fast path. */
export function layersCanAnswer(fields: ReadonlySet<number>): boolean {
  let anyLayer = false;
  for (const id of fields) {
    if (LAYER_PROTOCOLS.has(id) || PRESENCE_FIELDS.has(id)) anyLayer = true;
    else if (!fastPathCovers([id])) return false;
  }
  return anyLayer;
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

export class LayerFieldSource implements FieldSource {
  layers: ReadonlyMap<number, number> = new Map();
  /** The fast path's decoding of the same packet, or null when it refused it. */
  fast: FastFieldSource | null = null;

  values(id: number): readonly FieldValue[] {
    if (LAYER_PROTOCOLS.has(id) || PRESENCE_FIELDS.has(id)) return present(this.layers.get(id) ?? 0);
    if (this.fast) return this.fast.values(id);
    throw NEEDS_DISSECTION;
  }

  ranges(id: number): readonly Uint8Array[] {
    if (!LAYER_PROTOCOLS.has(id) && !PRESENCE_FIELDS.has(id) && this.fast) return this.fast.ranges(id);
    throw NEEDS_DISSECTION;
  }
}

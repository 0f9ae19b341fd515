// Display-filter code generation: typed IR -> a tree of closures over a FieldSource (the
// packet's field values, however they were obtained). Comparison semantics are tshark 4.0's
// (epan/dfilter/dfvm.c): a test on a field that is absent is false; `==` is "any equal",
// `!=` is "all not equal" (= !(a == b) when the field is present), `===` all equal, `!==` /
// `~=` any not equal; `>`, `contains`, `matches`, `in` are "any". Slices out of a value's
// bounds yield no value.
import { fieldById, fieldByName, type FieldDef } from '../dissect/field.js';
import { concatBytes } from '../file/concat.js';
import type { AbsTime, FieldNode, FieldValue } from '../dissect/tree.js';
import { expertFieldNodes } from '../dissect/expert-fields.js';
import type { Dissection } from '../dissect/driver.js';
import { latin1 } from '../dissect/tvb.js';
import { formatEther, formatIPv4, formatIPv6 } from '../dissect/format.js';
import { check, type Const, type Layers, type SliceRange, type TestIR, type ValueClass, type ValueIR } from './check.js';
import { FilterSyntaxError } from './lexer.js';
import { parse } from './parser.js';

/** How a compiled filter reads a packet: every occurrence of a field, in tree order. */
export interface FieldSource {
  values(fieldId: number): readonly FieldValue[];
  /** The bytes each occurrence covers (protocol layers: `tcp contains "x"`, `frame[0:4]`). */
  ranges(fieldId: number): readonly Uint8Array[];
  /**
   * For each occurrence, which occurrence of its protocol in the frame it belongs to (1 = the
   * first): what `ip.src#2` selects by. Only a dissection answers it; a filter that asks makes
   * its packets dissected (see LAYERS_NEED_DISSECTION).
   */
  layerNumbers?(fieldId: number): readonly number[];
}

export interface DisplayFilter {
  readonly language: 'display';
  readonly text: string;
  /** Field ids the filter reads: dissect with {tree: false, wanted: fields}. */
  readonly fields: ReadonlySet<number>;
  /** Whether the filter reads tcp.* fields only the connection tracker can set. */
  readonly needsTcpAnalysis: boolean;
  test(src: FieldSource): boolean;
}

export interface FilterError {
  message: string;
  /** Character span [start, end) in the filter text. */
  start: number;
  end: number;
}

export type CompileResult<T> = { ok: true; filter: T } | { ok: false; error: FilterError };

type Item = number | bigint | boolean | string | Uint8Array | AbsTime;
type Eval = (src: FieldSource) => Item[];
type Pred = (src: FieldSource) => boolean;

const EMPTY: Item[] = [];
const utf8 = new TextEncoder();

// ---- value helpers --------------------------------------------------------------------------

function bytesCompare(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Node's native substring search (Boyer-Moore-Horspool), for any Uint8Array. */
const nativeIndexOf = Buffer.prototype.indexOf as (this: Uint8Array, value: Uint8Array) => number;

function bytesIndexOf(hay: Uint8Array, needle: Uint8Array): boolean {
  if (needle.length === 0) return true;
  // A payload search over a million packets: the native search is ~4x the loop below on
  // full-size segments; the loop wins on a few bytes (no call into C++).
  if (hay.length >= 64) return nativeIndexOf.call(hay, needle) >= 0;
  const first = needle[0]!;
  outer: for (let i = hay.indexOf(first); i >= 0 && i + needle.length <= hay.length; i = hay.indexOf(first, i + 1)) {
    for (let j = 1; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

function numCompare(a: number | bigint, b: number | bigint): number {
  if (typeof a === typeof b) return a < b ? -1 : a > b ? 1 : 0;
  const x = typeof a === 'bigint' ? a : BigInt(Math.trunc(a as number));
  const y = typeof b === 'bigint' ? b : BigInt(Math.trunc(b as number));
  return x < y ? -1 : x > y ? 1 : 0;
}

function timeCompare(a: AbsTime, b: AbsTime): number {
  return a.sec !== b.sec ? a.sec - b.sec : a.nsec - b.nsec;
}

function asBytes(v: Item): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'string') return utf8.encode(v);
  if (typeof v === 'number') return Uint8Array.of(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
  return new Uint8Array(0);
}

function compareItems(cls: ValueClass, a: Item, b: Item): number {
  switch (cls) {
    case 'int':
    case 'float':
    case 'ipv4':
      if (typeof a === 'boolean' || typeof b === 'boolean') return Number(a) - Number(b);
      return numCompare(a as number | bigint, b as number | bigint);
    case 'bool':
      return Number(Boolean(a)) - Number(Boolean(b));
    case 'string':
      if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
      return bytesCompare(asBytes(a), asBytes(b));
    case 'time':
      return timeCompare(a as AbsTime, b as AbsTime);
    default:
      return bytesCompare(asBytes(a), asBytes(b));
  }
}

/** Equality against a constant, honouring CIDR masks and IPv6 prefixes. */
function constEq(c: Const): ((a: Item) => boolean) | null {
  if (c.cls === 'ipv4' && c.mask !== 0xffffffff) {
    const net = (c.v & c.mask) >>> 0;
    return (a) => ((a as number) & c.mask) >>> 0 === net;
  }
  if (c.cls === 'ipv6' && c.prefix < 128) {
    const full = c.prefix >> 3;
    const rem = c.prefix & 7;
    return (a) => {
      const b = a as Uint8Array;
      for (let i = 0; i < full; i++) if (b[i] !== c.v[i]) return false;
      if (rem) {
        const m = (0xff << (8 - rem)) & 0xff;
        if ((b[full]! & m) !== (c.v[full]! & m)) return false;
      }
      return true;
    };
  }
  return null;
}

function constItem(c: Const): Item {
  return c.v as Item;
}

function normalize(def: FieldDef, cls: ValueClass, v: FieldValue): Item | null {
  if (v === null) return null;
  if (cls === 'bool') return Boolean(v);
  return v as Item;
}

function intWidthBytes(def: FieldDef): number {
  switch (def.type) {
    case 'uint8': case 'int8': case 'char': case 'boolean': return 1;
    case 'uint16': case 'int16': return 2;
    case 'uint24': return 3;
    case 'uint32': case 'int32': case 'framenum': case 'ipv4': case 'float': return 4;
    case 'uint48': return 6;
    default: return 8;
  }
}

function sliceOne(b: Uint8Array, ranges: readonly SliceRange[]): Uint8Array | null {
  if (ranges.length === 1) return sliceRange(b, ranges[0]!);
  const parts: Uint8Array[] = [];
  for (const r of ranges) {
    const p = sliceRange(b, r);
    if (!p) return null;
    parts.push(p);
  }
  return concatBytes(parts);
}

// tshark 4.0 (epan/ftypes slice): a range that does not lie wholly inside the value yields an
// empty byte string, not "no value": on a 136-byte payload `tcp.payload[1000:2] == ""` and
// `tcp.payload[1000:2] != 00:00` are true, and `tcp.payload[0:1,1000:1] == 47` matches.
const NO_BYTES = new Uint8Array(0);

function sliceRange(b: Uint8Array, r: SliceRange): Uint8Array {
  let start = r.start;
  if (start < 0) start += b.length;
  if (start < 0) return NO_BYTES;
  const length = r.length === null ? b.length - start : r.length;
  if (length <= 0 || start + length > b.length) return NO_BYTES;
  return b.subarray(start, start + length);
}

function arith(op: string, a: Item, b: Item): Item | null {
  if (a instanceof Uint8Array) {
    if (op !== '&') return null;
    const bb = asBytes(b);
    const out = new Uint8Array(a.length);
    for (let i = 0; i < a.length; i++) out[i] = a[i]! & (bb[i] ?? 0);
    return out;
  }
  let x = typeof a === 'boolean' ? Number(a) : (a as number | bigint);
  let y = typeof b === 'boolean' ? Number(b) : (b as number | bigint);
  if (typeof x === 'bigint' || typeof y === 'bigint') {
    if (typeof x !== 'bigint') x = BigInt(Math.trunc(x));
    if (typeof y !== 'bigint') y = BigInt(Math.trunc(y));
    switch (op) {
      case '+': return x + y;
      case '-': return x - y;
      case '*': return x * y;
      case '/': return y === 0n ? null : x / y;
      case '%': return y === 0n ? null : x % y;
      default: return x & y;
    }
  }
  switch (op) {
    case '+': return x + y;
    case '-': return x - y;
    case '*': return x * y;
    case '/': return y === 0 ? null : Number.isInteger(x) && Number.isInteger(y) ? Math.trunc(x / y) : x / y;
    case '%': return y === 0 ? null : x % y;
    default: return Number(BigInt(Math.trunc(x)) & BigInt(Math.trunc(y)));
  }
}

function truthy(v: Item): boolean {
  if (v instanceof Uint8Array) return v.some((b) => b !== 0);
  if (typeof v === 'object') return true;
  return Boolean(v);
}

// ---- code generation ------------------------------------------------------------------------

/**
 * A field no fast path and no remembered layer set answers (app/filter/fast-fields.ts,
 * app/session/layer-source.ts): a filter with a layer operator reads it, so that its packets are
 * dissected, the only source that knows layers.
 */
const LAYERS_NEED_DISSECTION = 'frame.protocols';

class Gen {
  readonly fields = new Set<number>();

  /** The values (or bytes) of `ev` that come from the given layers of `def`'s protocol. */
  private inLayers(ev: Eval, def: FieldDef, layers: Layers): Eval {
    this.fields.add(fieldByName(LAYERS_NEED_DISSECTION)!.id);
    // In a dissection without a tree only the wanted fields are kept: the protocol's own items
    // are what the layers are counted by.
    const proto = fieldByName(def.proto);
    if (proto) this.fields.add(proto.id);
    const id = def.id;
    return (src) => {
      const vals = ev(src);
      if (vals.length === 0) return EMPTY;
      const numbers = src.layerNumbers?.(id);
      if (!numbers) return EMPTY;
      const out: Item[] = [];
      vals.forEach((x, i) => {
        const n = numbers[i] ?? 0;
        if (layers.some(([lo, hi]) => n >= lo && n <= hi)) out.push(x);
      });
      return out;
    };
  }

  value(v: ValueIR): Eval {
    if ((v.k === 'field' || v.k === 'range') && v.layers) return this.inLayers(this.value({ ...v, layers: undefined } as ValueIR), v.def, v.layers);
    switch (v.k) {
      case 'field': {
        const { def, cls } = v;
        this.fields.add(def.id);
        if (def.type === 'protocol') return (src) => src.ranges(def.id) as Item[];
        const id = def.id;
        if (cls === 'bool') {
          return (src) => {
            const vals = src.values(id);
            return vals.length === 0 ? EMPTY : vals.map((x) => Boolean(x));
          };
        }
        return (src) => {
          const vals = src.values(id);
          if (vals.length === 0) return EMPTY;
          // The common case needs no copy (the hot path of a filter over a million packets):
          // every value is present, and only booleans are normalized.
          let plain = true;
          for (let i = 0; i < vals.length; i++) if (vals[i] === null) plain = false;
          if (plain) return vals as Item[];
          const out: Item[] = [];
          for (const x of vals) {
            const n = normalize(def, cls, x);
            if (n !== null) out.push(n);
          }
          return out;
        };
      }
      case 'range': {
        const id = v.def.id;
        this.fields.add(id);
        return (src) => src.ranges(id) as Item[];
      }
      case 'const': {
        const one = [constItem(v.c)];
        return () => one;
      }
      case 'slice': {
        const of = this.value(v.of);
        const ranges = v.ranges;
        return (src) => {
          const vals = of(src);
          if (vals.length === 0) return EMPTY;
          const out: Item[] = [];
          for (const x of vals) {
            const s = sliceOne(asBytes(x), ranges);
            if (s) out.push(s);
          }
          return out;
        };
      }
      case 'len': {
        const of = this.value(v.of);
        const def = v.of.k === 'field' || v.of.k === 'range' ? v.of.def : null;
        return (src) =>
          of(src).map((x) => {
            if (x instanceof Uint8Array) return x.length;
            if (typeof x === 'string') return utf8.encode(x).length;
            return def ? intWidthBytes(def) : 0;
          });
      }
      case 'count': {
        const id = v.def.id;
        this.fields.add(id);
        if (v.layers) {
          const values = this.inLayers((src) => src.values(id) as Item[], v.def, v.layers);
          return (src) => {
            const n = values(src).length;
            return n === 0 ? EMPTY : [n];
          };
        }
        // No value at all when the field is absent (tshark 4.0: `count(tcp.port) == 0` is false
        // on a UDP packet).
        return (src) => {
          const n = src.values(id).length;
          return n === 0 ? EMPTY : [n];
        };
      }
      case 'case': {
        const of = this.value(v.of);
        const upper = v.upper;
        return (src) => of(src).map((x) => (upper ? String(x).toUpperCase() : String(x).toLowerCase()));
      }
      case 'neg': {
        const of = this.value(v.of);
        return (src) => of(src).map((x) => (typeof x === 'bigint' ? -x : -(x as number)));
      }
      case 'string': {
        const of = this.value(v.of);
        const type = v.def.type;
        // Numbers in decimal whatever the field's base, addresses as written in filters.
        const text = (x: Item): string =>
          type === 'ipv4' ? formatIPv4(x as number) : type === 'ipv6' ? formatIPv6(x as Uint8Array) : type === 'ether' ? formatEther(x as Uint8Array) : String(x);
        return (src) => of(src).map(text);
      }
      case 'minmax': {
        const args = v.args.map((a) => this.value(a));
        const cls = v.cls;
        const sign = v.max ? 1 : -1;
        return (src) => {
          let best: Item | undefined;
          for (const a of args) for (const x of a(src)) if (best === undefined || sign * compareItems(cls, x, best) > 0) best = x;
          return best === undefined ? EMPTY : [best];
        };
      }
      case 'abs': {
        const of = this.value(v.of);
        return (src) => of(src).map((x) => (typeof x === 'bigint' ? (x < 0n ? -x : x) : Math.abs(x as number)));
      }
      case 'arith': {
        const l = this.value(v.l);
        const r = this.value(v.r);
        const op = v.op;
        return (src) => {
          const a = l(src);
          if (a.length === 0) return EMPTY;
          const b = r(src);
          if (b.length === 0) return EMPTY;
          const out: Item[] = [];
          for (const x of a) {
            for (const y of b) {
              const z = arith(op, x, y);
              if (z !== null) out.push(z);
            }
          }
          return out;
        };
      }
    }
  }

  test(t: TestIR): Pred {
    switch (t.k) {
      case 'and': {
        const l = this.test(t.l);
        const r = this.test(t.r);
        return (src) => l(src) && r(src);
      }
      case 'or': {
        const l = this.test(t.l);
        const r = this.test(t.r);
        return (src) => l(src) || r(src);
      }
      case 'not': {
        const x = this.test(t.t);
        return (src) => !x(src);
      }
      case 'exists': {
        const id = t.def.id;
        this.fields.add(id);
        if (t.layers) {
          const inLayers = this.inLayers((src) => src.values(id) as Item[], t.def, t.layers);
          return (src) => inLayers(src).length > 0;
        }
        return (src) => src.values(id).length > 0;
      }
      case 'truthy': {
        const v = this.value(t.v);
        return (src) => v(src).some(truthy);
      }
      case 'matches': {
        const l = this.value(t.l);
        const re = t.re;
        const one = (x: Item): boolean => {
          re.lastIndex = 0;
          return re.test(typeof x === 'string' ? x : latin1(asBytes(x)));
        };
        if (t.all) return (src) => { const a = l(src); return a.length > 0 && a.every(one); };
        return (src) => l(src).some(one);
      }
      case 'in': {
        const l = this.value(t.l);
        const cls = t.cls;
        const items = t.items.map((it) => ({ lo: this.value(it.lo), hi: it.hi ? this.value(it.hi) : null, eq: it.lo.k === 'const' ? constEq(it.lo.c) : null }));
        if (t.all) {
          // `all x in {...}`: each value in the set.
          const one = (src: FieldSource, x: Item): boolean => {
            for (const it of items) {
              const lo = it.lo(src);
              if (it.hi) {
                const hi = it.hi(src);
                for (const p of lo) for (const q of hi) if (compareItems(cls, x, p) >= 0 && compareItems(cls, x, q) <= 0) return true;
              } else {
                for (const p of lo) if (it.eq ? it.eq(x) : compareItems(cls, x, p) === 0) return true;
              }
            }
            return false;
          };
          return (src) => { const a = l(src); return a.length > 0 && a.every((x) => one(src, x)); };
        }
        return (src) => {
          const a = l(src);
          if (a.length === 0) return false;
          for (const it of items) {
            const lo = it.lo(src);
            if (it.hi) {
              const hi = it.hi(src);
              for (const x of a) for (const p of lo) for (const q of hi) if (compareItems(cls, x, p) >= 0 && compareItems(cls, x, q) <= 0) return true;
            } else {
              for (const x of a) for (const p of lo) if (it.eq ? it.eq(x) : compareItems(cls, x, p) === 0) return true;
            }
          }
          return false;
        };
      }
      case 'cmp':
        return this.cmp(t);
    }
  }

  private cmp(t: Extract<TestIR, { k: 'cmp' }>): Pred {
    const l = this.value(t.l);
    const r = this.value(t.r);
    const cls = t.cls;
    const ceq = t.r.k === 'const' ? constEq(t.r.c) : null;
    const eq = ceq ? (a: Item) => ceq(a) : null;
    const same = (a: Item, b: Item): boolean => (eq ? eq(a) : compareItems(cls, a, b) === 0);
    let pair: (a: Item, b: Item) => boolean;
    let mode: 'any' | 'all' = t.all ? 'all' : 'any';
    switch (t.op) {
      case 'any_eq': pair = same; break;
      case 'all_ne': pair = (a, b) => !same(a, b); mode = 'all'; break;
      case 'all_eq': pair = same; mode = 'all'; break;
      case 'any_ne': pair = (a, b) => !same(a, b); break;
      case 'gt': pair = (a, b) => compareItems(cls, a, b) > 0; break;
      case 'ge': pair = (a, b) => compareItems(cls, a, b) >= 0; break;
      case 'lt': pair = (a, b) => compareItems(cls, a, b) < 0; break;
      case 'le': pair = (a, b) => compareItems(cls, a, b) <= 0; break;
      case 'contains':
        pair = (a, b) => (typeof a === 'string' && typeof b === 'string' ? a.includes(b) : bytesIndexOf(asBytes(a), asBytes(b)));
        break;
    }
    if (mode === 'any') {
      return (src) => {
        const a = l(src);
        if (a.length === 0) return false;
        const b = r(src);
        for (const x of a) for (const y of b) if (pair(x, y)) return true;
        return false;
      };
    }
    return (src) => {
      const a = l(src);
      if (a.length === 0) return false;
      const b = r(src);
      if (b.length === 0) return false;
      for (const x of a) for (const y of b) if (!pair(x, y)) return false;
      return true;
    };
  }
}

// Layers whose fields never depend on the TCP connection tracker. Anything else (tcp.* and
// whatever rides on TCP: a retransmission verdict decides whether HTTP sees a payload) does.
const TRACKER_FREE = new Set(['frame', 'eth', 'vlan', 'ieee8021ad', 'arp', 'ip', 'ipv6', 'icmp', 'icmpv6', 'udp', 'sll', 'null', 'raw',
  'llc', 'mpls', 'gre', 'ppp', 'pppoe', 'nflog', 'wlan', 'radiotap', 'ntp', 'dhcp']);

function readsTcpAnalysis(fields: ReadonlySet<number>): boolean {
  for (const id of fields) {
    const f = fieldById(id);
    // frame.protocols lists the layers, which the tracker's verdicts decide above TCP.
    if (!TRACKER_FREE.has(f.proto) || f.name === 'frame.protocols') return true;
  }
  return false;
}

/** Code generation alone (IR in, predicate out), for tests of this stage. */
export function generate(ir: TestIR, text = ''): DisplayFilter {
  const g = new Gen();
  const pred = g.test(ir);
  const fields = g.fields;
  return {
    language: 'display',
    text,
    fields,
    needsTcpAnalysis: readsTcpAnalysis(fields),
    test: pred,
  };
}

/** Lexer -> parser -> check -> code generation. Errors carry tshark's message and a span. */
export function compileDisplayFilter(text: string): CompileResult<DisplayFilter> {
  try {
    const ast = parse(text);
    const ir = check(ast, text);
    return { ok: true, filter: generate(ir, text) };
  } catch (e) {
    if (e instanceof FilterSyntaxError) return { ok: false, error: { message: e.message, start: e.start, end: e.end } };
    throw e;
  }
}

// ---- FieldSource over a dissection ----------------------------------------------------------

/**
 * Indexes a dissection's nodes by field id: d.flat when it was dissected with {tree: false,
 * wanted}, else every node of d.roots (hidden ones included, like tshark's filter tree).
 */
export function fieldSourceFromDissection(d: Dissection): FieldSource {
  const byId = new Map<number, FieldNode[]>();
  const add = (n: FieldNode): void => {
    const list = byId.get(n.field.id);
    if (list) list.push(n);
    else byId.set(n.field.id, [n]);
  };
  // The nodes in order: the tree's depth first, then the expert notes' fields, or the flat list.
  const walk = (each: (n: FieldNode) => void): void => {
    if (d.roots.length > 0) {
      const visit = (nodes: readonly FieldNode[]): void => {
        for (const n of nodes) {
          each(n);
          if (n.children) visit(n.children);
        }
      };
      visit(d.roots);
      // The tree draws the expert notes beside its nodes (FieldNode.expert): their fields come from the notes.
      for (const n of expertFieldNodes(d.roots)) each(n);
    } else {
      for (const n of d.flat) each(n);
    }
  };
  walk(add);
  // Each node's layer (how many items of its protocol came before it, itself included if it is
  // one), worked out the first time a layered filter asks: the other filters pay nothing for it.
  let layerOf: Map<FieldNode, number> | null = null;
  const layers = (): Map<FieldNode, number> => {
    if (layerOf) return layerOf;
    const map = new Map<FieldNode, number>();
    const seen = new Map<string, number>();
    walk((n) => {
      const proto = n.field.proto;
      if (n.field.type === 'protocol') seen.set(proto, (seen.get(proto) ?? 0) + 1);
      map.set(n, seen.get(proto) ?? 1);
    });
    return (layerOf = map);
  };
  const none: never[] = [];
  return {
    values(id) {
      const list = byId.get(id);
      return list ? list.map((n) => n.value) : none;
    },
    layerNumbers(id) {
      const list = byId.get(id);
      if (!list) return none;
      const of = layers();
      return list.map((n) => of.get(n) ?? 1);
    },
    ranges(id) {
      const list = byId.get(id);
      if (!list) return none;
      return list.map((n) => {
        const src = d.sources[n.source ?? 0] ?? d.frame.data;
        // A protocol's value is its whole tvb (epan fvalue_set_protocol), not the item's
        // length: TCP's item covers the header, yet `tcp contains "GET"` finds the payload.
        // Nodes do not keep their tvb's end, so the end of the data source stands in for it
        // (it differs only by a link-layer trailer).
        return src.subarray(n.start, n.field.type === 'protocol' ? src.length : n.start + n.length);
      });
    },
  };
}

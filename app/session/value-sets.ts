// The values the filter editor completes (`ip.addr == 10.|`, `tcp.port == 4|`), collected by the
// session's pass from every frame's fields. A set keeps at most MAX_VALUES_PER_SET values, as
// numbers where the field's value is one or fits one (IPv4 and MAC addresses, ports, stream
// numbers) and as text otherwise; numbers become text only when the editor asks. The pass sees
// about eight such fields a frame: making and hashing their text was ~1 s of a 1M-packet pass.
import { allFields, fieldByName, type FieldDef } from '../dissect/field.js';
import { formatEther, formatIPv4, formatIPv6 } from '../dissect/format.js';
import type { FieldNode } from '../dissect/tree.js';

/** At most this many distinct values are kept per completion set (ports, names, ...). */
export const MAX_VALUES_PER_SET = 20_000;

/** Completion set per field name (several fields share one: ip.src/ip.dst/ip.addr). */
export const VALUE_SETS: Readonly<Record<string, string>> = {
  'ip.addr': 'ip', 'ip.src': 'ip', 'ip.dst': 'ip', 'ip.host': 'ip',
  'ipv6.addr': 'ipv6', 'ipv6.src': 'ipv6', 'ipv6.dst': 'ipv6', 'ipv6.host': 'ipv6',
  'eth.addr': 'eth', 'eth.src': 'eth', 'eth.dst': 'eth',
  'tcp.port': 'tcp.port', 'tcp.srcport': 'tcp.port', 'tcp.dstport': 'tcp.port',
  'udp.port': 'udp.port', 'udp.srcport': 'udp.port', 'udp.dstport': 'udp.port',
  'tcp.stream': 'tcp.stream', 'udp.stream': 'udp.stream',
  'dns.qry.name': 'dns.qry.name', 'http.host': 'http.host',
};

/** The fields whose values the pass collects (each set's fields as the pass's dissection shows them). */
const COLLECTED = ['ip.src', 'ip.dst', 'ipv6.src', 'ipv6.dst', 'eth.src', 'eth.dst', 'tcp.srcport', 'tcp.dstport',
  'udp.srcport', 'udp.dstport', 'tcp.stream', 'udp.stream', 'dns.qry.name', 'http.host'].map((name) => {
  const f = fieldByName(name);
  if (!f) throw new Error(`field ${name} is not registered`);
  return f;
});

/** The collected fields' ids (the pass wants them). */
export const COLLECTED_FIELD_IDS: readonly number[] = COLLECTED.map((f) => f.id);

/** A value as a set keeps it: a number when it is one or fits one exactly, else its text; null for none. */
function keyOf(field: FieldDef, v: unknown): number | string | null {
  if (v === null || v === undefined) return null;
  if (field.type === 'ether') {
    const b = v as Uint8Array;
    // 48 bits are exact in a double.
    return b.length === 6 ? b[0]! * 2 ** 40 + b[1]! * 2 ** 32 + ((b[2]! << 24) >>> 0) + (b[3]! << 16) + (b[4]! << 8) + b[5]! : formatEther(b);
  }
  if (field.type === 'ipv6') return formatIPv6(v as Uint8Array);
  if (typeof v === 'number') return v;
  return typeof v === 'string' && v !== '' ? v : null;
}

function textOf(field: FieldDef, key: number | string): string {
  if (typeof key === 'string') return key;
  if (field.type === 'ipv4') return formatIPv4(key);
  if (field.type === 'ether') {
    const b = new Uint8Array(6);
    let k = key;
    for (let i = 5; i >= 0; i--) {
      b[i] = k % 256;
      k = Math.floor(k / 256);
    }
    return formatEther(b);
  }
  return String(key);
}

class ValueSet {
  readonly keys = new Set<number | string>();
  /** The key added last: the same address or port comes frame after frame. */
  last: number | string | null = null;
  /** The set's first field: every field of a set has the same type. */
  constructor(readonly field: FieldDef) {}
}

export class CompletionValues {
  /** Per field id, its set (undefined: not collected): read for every node of the pass. */
  private readonly setOfField: Array<ValueSet | undefined> = new Array(allFields().length).fill(undefined);
  private readonly byName = new Map<string, ValueSet>();

  constructor() {
    for (const f of COLLECTED) {
      const name = VALUE_SETS[f.name]!;
      let set = this.byName.get(name);
      if (!set) this.byName.set(name, (set = new ValueSet(f)));
      this.setOfField[f.id] = set;
    }
  }

  /** Counts a node of the pass's dissection (any node: those of other fields are passed over). */
  add(node: FieldNode): void {
    const field = node.field;
    const set = this.setOfField[field.id];
    if (set === undefined) return;
    if (set.keys.size >= MAX_VALUES_PER_SET) return;
    const key = keyOf(field, node.value);
    if (key === null || key === set.last) return;
    set.last = key;
    set.keys.add(key);
  }

  /** The set's values as text, in the order they were first seen. */
  texts(name: string): string[] {
    const set = this.byName.get(name);
    if (!set) return [];
    const out: string[] = [];
    for (const k of set.keys) out.push(textOf(set.field, k));
    return out;
  }
}

// The field registry: every value SynScope shows or filters on is one of these definitions.
// The tree, the filter compiler, autocomplete, `-T fields` and the columns all read this one
// registry (like Wireshark's hf_register_info in epan/proto.h). Names are Wireshark's.

/** Wireshark's FT_* types that SynScope uses. The integer width matters: `-T fields` prints a
 *  hex-based uint8 as 0x02 and a uint16 as 0x0002 (tshark pads to the type's width). */
export type FieldType =
  | 'none' // a label or subtree header without a value (FT_NONE)
  | 'protocol' // a protocol layer (FT_PROTOCOL): `tcp`, `dns`
  | 'boolean' // FT_BOOLEAN, usually a bit in a flags word
  | 'uint8' | 'uint16' | 'uint24' | 'uint32' | 'uint48' | 'uint64'
  | 'int8' | 'int16' | 'int32' | 'int64'
  | 'char' // FT_CHAR: one byte shown as a character
  | 'framenum' // FT_FRAMENUM: a reference to another packet
  | 'ipv4' | 'ipv6' | 'ether'
  | 'bytes' // FT_BYTES
  | 'string' // FT_STRING
  | 'abstime' // FT_ABSOLUTE_TIME
  | 'reltime' // FT_RELATIVE_TIME (seconds)
  | 'float' | 'double'
  | 'guid';

/** How integers are displayed (BASE_*). */
export type DisplayBase = 'dec' | 'hex' | 'oct' | 'dec_hex' | 'hex_dec' | 'none';

export interface FieldSpec {
  /** Dotted, unique, Wireshark's where one exists: `tcp.flags.syn`. */
  name: string;
  /** Label in the tree: `Source Port`. */
  label: string;
  type: FieldType;
  base?: DisplayBase;
  /** Bit mask inside the containing integer (for flag bits and bit fields). */
  mask?: number;
  /** Value names (`value_string`): shown in the tree, completed in the filter editor. */
  values?: Readonly<Record<number, string>>;
  /**
   * The value names name only some special values (BASE_SPECIAL_VALS: "Infinity" for
   * 0xffffffff): any other value shows as the bare number, not "Unknown (n)".
   */
  specialValues?: boolean;
  /** Names for true/false of a boolean (`true_false_string`). */
  tf?: readonly [string, string];
  /** Unit appended to a number in the tree (` bytes`, ` seconds`). */
  unit?: string;
  /**
   * An abstime's clock, as tshark prints it: 'local' or 'utc' ("Mar  7, 2013 21:42:06.869344000
   * UTC"), 'ntp-utc' (utc, and "NULL" for NTP's zero). Absent: seconds since the epoch.
   */
  clock?: 'local' | 'utc' | 'ntp-utc';
  /**
   * A protocol Wireshark registers "in name only" with FT_BYTES (TCP's options): -T fields prints
   * its bytes in hex, where another protocol's item prints its label or its name.
   */
  protocolBytes?: boolean;
  /** BASE_ALLOW_ZERO: an empty byte string is "<none>" (-T fields too), not "<MISSING>". */
  allowZero?: boolean;
  description?: string;
}

export interface FieldDef extends FieldSpec {
  /** Dense integer id, used as an array index on hot paths (filters ask for a set of ids). */
  readonly id: number;
  /** The protocol the field belongs to (the part before the first dot). */
  readonly proto: string;
  /** A dense number per distinct `proto` (fields of one protocol share it): an index on hot paths. */
  readonly protoId: number;
}

const byName = new Map<string, FieldDef>();
const byId: FieldDef[] = [];
const protoIds = new Map<string, number>();

/** Registers fields once at module load. Throws on a duplicate name: names must be unique. */
export function defineFields<const T extends readonly FieldSpec[]>(
  specs: T,
): { [K in T[number]['name']]: FieldDef } {
  const out: Record<string, FieldDef> = {};
  for (const spec of specs) {
    if (byName.has(spec.name)) throw new Error(`field ${spec.name} is defined twice`);
    const proto = spec.name.split('.')[0]!;
    let protoId = protoIds.get(proto);
    if (protoId === undefined) protoIds.set(proto, (protoId = protoIds.size));
    const def: FieldDef = { ...spec, id: byId.length, proto, protoId };
    byName.set(def.name, def);
    byId.push(def);
    out[def.name] = def;
  }
  return out as { [K in T[number]['name']]: FieldDef };
}

export function fieldByName(name: string): FieldDef | undefined {
  return byName.get(name);
}

export function fieldById(id: number): FieldDef {
  const def = byId[id];
  if (!def) throw new Error(`no field with id ${id}`);
  return def;
}

export function allFields(): readonly FieldDef[] {
  return byId;
}

/** How many distinct protoIds there are so far (one past the largest). */
export function protoIdCount(): number {
  return protoIds.size;
}

export function isIntegerType(t: FieldType): boolean {
  return /^(u?int\d+|char|framenum)$/.test(t);
}

/** Bits in an integer type, used for hex padding like tshark's. */
export function integerWidthBits(t: FieldType): number {
  switch (t) {
    case 'uint8': case 'int8': case 'char': return 8;
    case 'uint16': case 'int16': return 16;
    case 'uint24': return 24;
    case 'uint32': case 'int32': case 'framenum': return 32;
    case 'uint48': return 48;
    case 'uint64': case 'int64': return 64;
    default: return 0;
  }
}

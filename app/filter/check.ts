// Display-filter semantic check: AST -> typed IR. Resolves words against the field registry,
// parses each literal as the type of the field it is compared with (an `80` is a port, an
// `aa:bb:cc:dd:ee:ff` a MAC address, `10.0.0.0/8` a CIDR block), and rejects what tshark 4.0
// rejects with tshark's wording (epan/dfilter/semcheck.c and the ftype parsers). Pure function
// of (AST, registry).
import { fieldByName, type FieldDef, type FieldType } from '../dissect/field.js';
import type { AbsTime } from '../dissect/tree.js';
import { FilterSyntaxError } from './lexer.js';
// The registry is filled as protocol modules load: make sure they have.
import '../dissect/protocols/index.js';
import type { ArithOp, Ast, CmpOp, Span } from './parser.js';
import { parseIPv4, parseIPv6 } from './addresses.js';

export { parseIPv4, parseIPv6 };

/** The value classes comparisons work on. */
export type ValueClass = 'int' | 'bool' | 'ipv4' | 'ipv6' | 'ether' | 'bytes' | 'string' | 'time' | 'float' | 'none';

/** A literal parsed for a class. */
export type Const =
  | { cls: 'int'; v: number | bigint }
  | { cls: 'bool'; v: boolean }
  | { cls: 'ipv4'; v: number; mask: number }
  | { cls: 'ipv6'; v: Uint8Array; prefix: number }
  | { cls: 'ether' | 'bytes'; v: Uint8Array }
  | { cls: 'string'; v: string }
  | { cls: 'time'; v: AbsTime }
  | { cls: 'float'; v: number };

export interface SliceRange {
  /** Start index (negative counts from the end). */
  start: number;
  /** Length, or null for "to the end". */
  length: number | null;
}

/** Layer numbers (1 = the first occurrence of a protocol in the frame), as inclusive ranges. */
export type Layers = ReadonlyArray<readonly [number, number]>;

export type ValueIR =
  /** `layers`: only the values from these occurrences of the field's protocol (`ip.src#2`). */
  | { k: 'field'; def: FieldDef; cls: ValueClass; layers?: Layers }
  /** A protocol (or any field) as the bytes it covers: `tcp contains`, `frame[0:4]`. */
  | { k: 'range'; def: FieldDef; cls: 'bytes'; layers?: Layers }
  | { k: 'const'; c: Const; cls: ValueClass }
  | { k: 'slice'; of: ValueIR; ranges: SliceRange[]; cls: 'bytes' }
  | { k: 'len'; of: ValueIR; cls: 'int' }
  | { k: 'count'; def: FieldDef; cls: 'int'; layers?: Layers }
  | { k: 'case'; upper: boolean; of: ValueIR; cls: 'string' }
  /** string(field): each value as its text (tshark's FTREPR_DFILTER). */
  | { k: 'string'; def: FieldDef; of: ValueIR; cls: 'string' }
  /** max(...) / min(...): the one largest / smallest of all the arguments' values. */
  | { k: 'minmax'; max: boolean; args: ValueIR[]; cls: ValueClass }
  | { k: 'abs'; of: ValueIR; cls: ValueClass }
  | { k: 'arith'; op: ArithOp; l: ValueIR; r: ValueIR; cls: ValueClass }
  | { k: 'neg'; of: ValueIR; cls: ValueClass };

export type TestIR =
  | { k: 'exists'; def: FieldDef; layers?: Layers }
  | { k: 'truthy'; v: ValueIR }
  | { k: 'cmp'; op: Exclude<CmpOp, 'matches'>; l: ValueIR; r: ValueIR; cls: ValueClass; all?: boolean }
  | { k: 'matches'; l: ValueIR; re: RegExp; all?: boolean }
  | { k: 'in'; l: ValueIR; items: Array<{ lo: ValueIR; hi?: ValueIR }>; cls: ValueClass; all?: boolean }
  | { k: 'and' | 'or'; l: TestIR; r: TestIR }
  | { k: 'not'; t: TestIR };

// ---- error texts (tshark 4.0) -------------------------------------------------------------
export const msgNotField = (name: string): string => `${name} is neither a field nor a protocol name.`;
/** For an explicit field reference `.name` (tshark 4.0 scanner). */
export const msgNotProtocolField = (name: string): string => `"${name}" is not a valid protocol or protocol field.`;
export const msgBadNumber = (s: string): string => `"${s}" is not a valid number.`;
export const msgTooBig = (s: string, max: number | bigint): string => `"${s}" too big for this field, maximum ${max}.`;
export const msgTooSmall = (s: string, min: number | bigint): string => `"${s}" too small for this field, minimum ${min}.`;
export const msgBadIPv4 = (s: string): string => `"${s}" is not a valid hostname or IPv4 address.`;
export const msgBadIPv6 = (s: string): string => `"${s}" is not a valid hostname or IPv6 address.`;
export const msgBadEther = (s: string): string => `"${s}" is not a valid Ethernet address.`;
export const msgShortEther = (s: string): string => `"${s}" contains too few bytes to be a valid Ethernet address.`;
export const msgBadBytes = (s: string): string => `"${s}" is not a valid byte string.`;
export const msgBadTime = (s: string): string => `"${s}" is not a valid absolute time. Example: "Nov 12, 1999 08:55:44.123" or "2011-07-04 12:34:56"`;
export const msgBadRelTime = (s: string): string => `"${s}" is not a valid time.`;
export const msgNoValueName = (s: string, field: string): string => `"${s}" cannot be found among the possible values for ${field}.`;
export const msgFromString = (type: string, s: string): string => `${type} cannot be converted from a string ("${s}").`;
export const msgCidr4 = (bits: number): string => `Netmask bits in a CIDR IPv4 address should be <= 32, not ${bits}`;
export const msgCidr6 = (bits: number): string => `Prefix in a IPv6 address should be <= 128, not ${bits}`;
export const msgCannotCompare = (field: string, type: string, op: string): string => `${field} (type=${type}) cannot participate in ${op} comparison.`;
export const msgIncompatible = (a: string, b: string): string => `${a} and ${b} are not of compatible types.`;
export const msgLeftSide = (op: string, text: string): string => `Left side of "${op}" expression must be a field or function, not ${text}.`;
export const msgNoSlice = (field: string, type: string): string => `"${field}" is a ${type} and cannot be sliced into a sequence of bytes.`;
export const msgBadRange = (s: string): string => `"${s}" is not a valid range.`;
export const msgNoFunction = (name: string): string => `Function '${name}' does not exist`;
export const MSG_FUNCTION_TEST = 'You cannot test whether a function is present.';
export const MSG_IN_FIELD_ONLY = 'Only a field may be tested for membership in a set.';
export const msgFieldsOnly = (fn: string): string => `Only fields can be used as parameter for ${fn}()`;
export const msgStringFieldsOnly = (fn: string): string => `Only string type fields can be used as parameter for ${fn}()`;
export const msgTooManyArgs = (fn: string): string => `Function ${fn} can only accept 1 arguments.`;
export const msgTooFewArgs = (fn: string): string => `Function ${fn} needs at least 1 arguments.`;
export const MSG_MATCHES_STRING = 'Matches requires a double quoted string on the right side.';
export const msgLongEther = (s: string): string => `"${s}" contains too many bytes to be a valid Ethernet address.`;
export const msgRangeOrder = (a: number, b: number): string => `Range ${a}-${b} isn't valid because ${a} is greater or equal than ${b}`;
export const msgRegex = (why: string): string => `Regex compilation error: ${why}.`;
export const msgConstantTest = (text: string): string => `"${text}" is neither a field nor a protocol name.`;

/** Wireshark's ftype names (epan/ftypes), as tshark prints them in errors. */
/** A field type by Wireshark's enum name (FT_UINT16, FT_IPv4), as its messages give it. */
function ftName(t: FieldType): string {
  switch (t) {
    case 'ipv4': return 'FT_IPv4';
    case 'ipv6': return 'FT_IPv6';
    case 'abstime': return 'FT_ABSOLUTE_TIME';
    case 'reltime': return 'FT_RELATIVE_TIME';
    default: return `FT_${t.toUpperCase()}`;
  }
}

export function typeName(t: FieldType): string {
  switch (t) {
    case 'uint8': return 'Unsigned integer (1 byte)';
    case 'uint16': return 'Unsigned integer (2 bytes)';
    case 'uint24': return 'Unsigned integer (3 bytes)';
    case 'uint32': return 'Unsigned integer (4 bytes)';
    case 'uint48': return 'Unsigned integer (6 bytes)';
    case 'uint64': return 'Unsigned integer (8 bytes)';
    case 'int8': return 'Signed integer (1 byte)';
    case 'int16': return 'Signed integer (2 bytes)';
    case 'int32': return 'Signed integer (4 bytes)';
    case 'int64': return 'Signed integer (8 bytes)';
    case 'char': return 'Character (1 byte)';
    case 'framenum': return 'Frame number';
    case 'boolean': return 'Boolean';
    case 'ipv4': return 'IPv4 address';
    case 'ipv6': return 'IPv6 address';
    case 'ether': return 'Ethernet or other MAC address';
    case 'bytes': return 'Byte sequence';
    case 'string': return 'Character string';
    case 'abstime': return 'Date and time';
    case 'reltime': return 'Time offset';
    case 'float': return 'Floating point (single-precision)';
    case 'double': return 'Floating point (double-precision)';
    case 'protocol': return 'Protocol';
    case 'guid': return 'Globally Unique Identifier';
    case 'none': return 'Label';
  }
}

export function classOf(t: FieldType): ValueClass {
  switch (t) {
    case 'boolean': return 'bool';
    case 'ipv4': return 'ipv4';
    case 'ipv6': return 'ipv6';
    case 'ether': return 'ether';
    case 'bytes': case 'protocol': case 'guid': return 'bytes';
    case 'string': return 'string';
    case 'abstime': return 'time';
    case 'reltime': case 'float': case 'double': return 'float';
    case 'none': return 'none';
    default: return 'int';
  }
}

const fail = (message: string, span: Span): never => {
  throw new FilterSyntaxError(message, span.start, span.end);
};
/** `#2`, `#[1-2,4]`, `#[3:2]` (from 3, two layers) as layer ranges. */
function layerRanges(parts: ReadonlyArray<{ text: string; start: number; end: number }>): Layers {
  return parts.map((p) => {
    let m = /^(\d+)$/.exec(p.text);
    if (m) return [Number(m[1]), Number(m[1])] as const;
    m = /^(\d+)-(\d+)$/.exec(p.text);
    if (m) return [Number(m[1]), Number(m[2])] as const;
    m = /^(\d+):(\d+)$/.exec(p.text);
    if (m) return [Number(m[1]), Number(m[1]) + Number(m[2]) - 1] as const;
    return fail(msgBadRange(p.text), p);
  });
}

/** A field as a value, from the given layers only when it has some (`ip.src#2`). */
function fieldIR(def: FieldDef, layer: ReadonlyArray<{ text: string; start: number; end: number }> | undefined): ValueIR {
  return layer ? { k: 'field', def, cls: classOf(def.type), layers: layerRanges(layer) } : { k: 'field', def, cls: classOf(def.type) };
}

/** Whether a comparison's other side gives a function's literal argument its type (a field or a function does, a literal not). */
function typesLiterals(ctx: ValueIR | null): ctx is ValueIR {
  return ctx !== null && ctx.k !== 'const';
}

/** A function argument's layer ranges (`count(ip.src#2)`), if it has some. */
function argLayers(arg: Ast): Layers | undefined {
  return (arg.kind === 'word' || arg.kind === 'field') && arg.layer ? layerRanges(arg.layer) : undefined;
}

/** Where an error about a function's argument points: a nested function's name, or the argument. */
const argSpan = (arg: Ast): Span => (arg.kind === 'call' ? arg.nameSpan : arg);

// ---- literal parsers ------------------------------------------------------------------------

function parseInteger(s: string): bigint | null {
  const m = /^(-?)(0[xX][0-9A-Fa-f]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return null;
  const body = m[2]!;
  let v: bigint;
  if (/^0[xXbB]/.test(body)) v = BigInt(body);
  else if (body.length > 1 && body[0] === '0') v = BigInt('0o' + body.slice(1));
  else v = BigInt(body);
  return m[1] ? -v : v;
}

function intBounds(t: FieldType): [bigint, bigint] {
  switch (t) {
    case 'uint8': case 'char': return [0n, 0xffn];
    case 'uint16': return [0n, 0xffffn];
    case 'uint24': return [0n, 0xffffffn];
    case 'uint32': case 'framenum': return [0n, 0xffffffffn];
    case 'uint48': return [0n, 0xffffffffffffn];
    case 'uint64': return [0n, 0xffffffffffffffffn];
    case 'int8': return [-0x80n, 0x7fn];
    case 'int16': return [-0x8000n, 0x7fffn];
    case 'int32': return [-0x80000000n, 0x7fffffffn];
    case 'int64': return [-(1n << 63n), (1n << 63n) - 1n];
    default: return [-(1n << 63n), 0xffffffffffffffffn];
  }
}

const is64 = (t: FieldType | undefined): boolean => t === 'uint64' || t === 'int64';
const intConst = (v: bigint, wide: boolean): Const => ({ cls: 'int', v: wide ? v : Number(v) });

/** A byte string: `47:45:54`, `47-45-54`, `47.45.54`, `474554`, `0x47`, `47`. */
export function parseByteString(s: string): Uint8Array | null {
  let hex: string;
  if (/^[0-9A-Fa-f]{1,2}([:.\-][0-9A-Fa-f]{1,2})+$/.test(s) && /^[0-9A-Fa-f]{1,2}(([:][0-9A-Fa-f]{1,2})+|([.][0-9A-Fa-f]{1,2})+|([-][0-9A-Fa-f]{1,2})+)$/.test(s)) {
    return Uint8Array.from(s.split(/[:.\-]/), (h) => parseInt(h, 16));
  }
  if (/^0[xX][0-9A-Fa-f]+$/.test(s)) hex = s.slice(2);
  else if (/^[0-9A-Fa-f]+$/.test(s)) hex = s;
  else return null;
  if (hex.length % 2) {
    if (hex.length > 2) return null;
    hex = '0' + hex;
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function parseEther(s: string): Uint8Array | null | 'short' | 'long' {
  const b = /^[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}$/.test(s) ? parseByteString(s.replace(/\./g, '')) : parseByteString(s);
  if (!b) return null;
  if (b.length < 6) return 'short';
  if (b.length > 6) return 'long';
  return b;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Absolute times as tshark 4.0 takes them (local time): "Nov 12, 1999 08:55:44.123", "2011-07-04 12:34:56", "2011-07-04". */
export function parseAbsTime(s: string): AbsTime | null {
  let m = /^\s*([A-Za-z]{3})\s+(\d{1,2}),\s*(\d{4})\s+(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?\s*$/.exec(s);
  let y: number, mo: number, d: number, h: number, mi: number, se: number, frac: string | undefined;
  if (m) {
    mo = MONTHS.indexOf(m[1]!.toLowerCase());
    if (mo < 0) return null;
    d = Number(m[2]); y = Number(m[3]); h = Number(m[4]); mi = Number(m[5]); se = Number(m[6]); frac = m[7];
  } else {
    m = /^\s*(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?)?\s*(Z)?\s*$/.exec(s);
    if (!m) return null;
    y = Number(m[1]); mo = Number(m[2]) - 1; d = Number(m[3]);
    h = Number(m[4] ?? 0); mi = Number(m[5] ?? 0); se = Number(m[6] ?? 0); frac = m[7];
    if (m[8]) {
      const ms = Date.UTC(y, mo, d, h, mi, se);
      return { sec: Math.floor(ms / 1000), nsec: frac ? Number(frac.padEnd(9, '0')) : 0 };
    }
  }
  const ms = new Date(y, mo, d, h, mi, se).getTime();
  if (Number.isNaN(ms)) return null;
  return { sec: Math.floor(ms / 1000), nsec: frac ? Number(frac.padEnd(9, '0')) : 0 };
}

// ---- the checker ----------------------------------------------------------------------------

const FUNCTIONS = new Set(['len', 'count', 'lower', 'upper', 'string', 'max', 'min', 'abs']);
/** Functions that take any number of arguments (one at least). */
const VARIADIC = new Set(['max', 'min']);
/** The field types string() converts (tshark 4.0: numbers and addresses). */
const STRING_CONVERTIBLE: ReadonlySet<FieldType> = new Set<FieldType>([
  'uint8', 'uint16', 'uint24', 'uint32', 'uint48', 'uint64', 'int8', 'int16', 'int32', 'int64', 'framenum', 'ipv4', 'ipv6', 'ether', 'float', 'double',
]);

function wordField(node: Ast): FieldDef | undefined {
  return node.kind === 'word' || node.kind === 'field' ? fieldByName(node.text) : undefined;
}

/** Is a node a literal (not a field, function, slice or arithmetic)? */
function isLiteral(node: Ast): boolean {
  return (node.kind === 'word' && !fieldByName(node.text)) || node.kind === 'string' || node.kind === 'char';
}

function literalText(node: Ast): string {
  return node.kind === 'word' || node.kind === 'string' || node.kind === 'char' ? node.text : '';
}

class Checker {
  constructor(private readonly text: string) {}

  test(node: Ast): TestIR {
    switch (node.kind) {
      case 'and':
      case 'or':
        return { k: node.kind, l: this.test(node.left), r: this.test(node.right) };
      case 'not':
        return { k: 'not', t: this.test(node.operand) };
      case 'group':
        return this.test(node.expr);
      case 'word':
      case 'field': {
        const def = fieldByName(node.text);
        if (!def) return fail(node.kind === 'word' ? msgNotField(node.text) : msgNotProtocolField(node.text), node);
        return node.layer ? { k: 'exists', def, layers: layerRanges(node.layer) } : { k: 'exists', def };
      }
      case 'string':
      case 'char':
        return fail(msgConstantTest(node.kind === 'string' ? new TextDecoder().decode(node.bytes) : node.text), node);
      case 'call':
        if (!FUNCTIONS.has(node.name)) return fail(msgNoFunction(node.name), node.nameSpan);
        return fail(MSG_FUNCTION_TEST, node.nameSpan);
      case 'slice':
      case 'arith':
      case 'neg':
        return { k: 'truthy', v: this.value(node, null) };
      case 'cmp': {
        const t = this.compare(node);
        return node.all && (t.k === 'cmp' || t.k === 'matches') ? { ...t, all: true } : t;
      }
      case 'in': {
        // tshark 4.0 tests a field's values for membership, not a function's or a slice's (a slice: no marker).
        if (node.left.kind === 'call') fail(MSG_IN_FIELD_ONLY, node.left.nameSpan);
        if (node.left.kind === 'slice') fail(MSG_IN_FIELD_ONLY, { start: 0, end: 0 });
        this.lhs(node.left, 'in');
        const l = this.value(node.left, null);
        this.comparable(l, node.left, 'any_eq', 'in');
        const items = node.items.map((it) => ({ lo: this.value(it.lo, l), hi: it.hi ? this.value(it.hi, l) : undefined }));
        for (const it of items) {
          this.sameClass(l, it.lo, node.left, node.items[items.indexOf(it)]!.lo);
          if (it.hi) this.sameClass(l, it.hi, node.left, node.items[items.indexOf(it)]!.hi!);
        }
        // `x in S` is any value in S, `all x in S` every one; `x not in S` is no value in S,
        // whatever the quantifier (tshark 4.0).
        const every = !node.negated && node.quant === 'all';
        const t: TestIR = { k: 'in', l, items: items.map((i) => (i.hi ? { lo: i.lo, hi: i.hi } : { lo: i.lo })), cls: l.cls, ...(every ? { all: true } : {}) };
        return node.negated ? { k: 'not', t } : t;
      }
    }
  }

  private lhs(left: Ast, opText: string): void {
    if (isLiteral(left)) fail(msgLeftSide(opText, literalText(left)), left);
  }

  private compare(node: Extract<Ast, { kind: 'cmp' }>): TestIR {
    this.lhs(node.left, node.opText);
    const l = this.value(node.left, null);
    // tshark names the operator as typed, `~` included; `contains` and `matches` by their words.
    const opWord = node.op === 'contains' || (node.op === 'matches' && node.opText !== '~') ? node.op : node.opText;
    this.comparable(l, node.left, node.op, opWord);
    if (node.op === 'matches') {
      let pattern: string;
      if (node.right.kind === 'string') pattern = new TextDecoder().decode(node.right.bytes);
      else return fail(MSG_MATCHES_STRING, node.right);
      // tshark 4.0 compiles with PCRE2_CASELESS: `matches` ignores case unless the pattern
      // starts with `(?-i)`. JavaScript's RegExp takes no inline flags, so a leading
      // `(?i)` / `(?-i)` / `(?m)` group becomes RegExp flags.
      let caseless = true;
      let multiline = false;
      const m = /^\(\?([a-z]*)(?:-([a-z]+))?\)/.exec(pattern);
      if (m) {
        if (m[1]!.includes('i')) caseless = true;
        if (m[1]!.includes('m')) multiline = true;
        if (m[2]?.includes('i')) caseless = false;
        if (m[2]?.includes('m')) multiline = false;
        pattern = pattern.slice(m[0].length);
      }
      const flags = 's' + (caseless ? 'i' : '') + (multiline ? 'm' : '');
      let re: RegExp;
      try {
        re = new RegExp(pattern, flags);
      } catch (e) {
        return fail(msgRegex(pcreWording(e instanceof Error ? e.message : String(e))), node.right);
      }
      return { k: 'matches', l, re };
    }
    // `contains` on a MAC address takes a byte string (any length), not a MAC address.
    const asBytes: ValueIR = { k: 'const', c: { cls: 'bytes', v: new Uint8Array(0) }, cls: 'bytes' };
    const r = this.value(node.right, node.op === 'contains' && l.cls === 'ether' ? asBytes : l);
    if (node.op === 'contains') {
      if (r.cls !== l.cls && !(l.cls === 'bytes' && (r.cls === 'string' || r.cls === 'ether'))) {
        if (l.cls === 'ether' && r.cls === 'bytes') return { k: 'cmp', op: 'contains', l, r, cls: 'bytes' };
        fail(msgIncompatible(this.text.slice(node.left.start, node.left.end), this.text.slice(node.right.start, node.right.end)), node.right);
      }
      return { k: 'cmp', op: 'contains', l, r, cls: l.cls };
    }
    this.sameClass(l, r, node.left, node.right);
    return { k: 'cmp', op: node.op, l, r, cls: l.cls };
  }

  /** Whether a value can take part in an operator (none-type fields cannot; contains/matches need text or bytes). */
  private comparable(v: ValueIR, node: Ast, op: CmpOp, opWord: string): void {
    const def = v.k === 'field' ? v.def : null;
    const name = this.text.slice(node.start, node.end);
    if (v.cls === 'none') fail(msgCannotCompare(name, typeName(def ? def.type : 'none'), opWord), node);
    // FT_ETHER is a byte string underneath: `eth.src contains 10:db` works in tshark 4.0.
    if ((op === 'contains' || op === 'matches') && v.cls !== 'string' && v.cls !== 'bytes' && !(op === 'contains' && v.cls === 'ether')) {
      fail(msgCannotCompare(name, def ? typeName(def.type) : v.cls, opWord), node);
    }
  }

  private sameClass(l: ValueIR, r: ValueIR, lnode: Ast, rnode: Ast): void {
    if (l.cls === r.cls) return;
    const ok = (l.cls === 'bytes' && (r.cls === 'ether' || r.cls === 'string')) || (r.cls === 'bytes' && l.cls === 'ether')
      || (l.cls === 'int' && r.cls === 'bool') || (l.cls === 'bool' && r.cls === 'int');
    if (!ok) fail(msgIncompatible(this.text.slice(lnode.start, lnode.end), this.text.slice(rnode.start, rnode.end)), rnode);
  }

  /** A value expression. `ctx` is the value it is compared with, which types literals. */
  value(node: Ast, ctx: ValueIR | null): ValueIR {
    switch (node.kind) {
      case 'field': {
        const def = fieldByName(node.text);
        if (!def) return fail(msgNotProtocolField(node.text), node);
        return fieldIR(def, node.layer);
      }
      case 'word': {
        const def = fieldByName(node.text);
        if (def) return fieldIR(def, node.layer);
        if (!ctx || node.layer) return fail(msgNotField(node.text), node);
        return this.literal(node, ctx);
      }
      case 'string':
      case 'char':
        if (!ctx) return fail(msgNotField(node.text), node);
        return this.literal(node, ctx);
      case 'slice': {
        const of = this.value(node.of, null);
        if (of.k === 'field') {
          const t = of.def.type;
          if (of.cls === 'int' || of.cls === 'bool' || of.cls === 'float' || of.cls === 'time') {
            return fail(msgNoSlice(of.def.name, typeName(t)), node.of);
          }
        }
        const ranges = node.ranges.map((r) => parseRange(r.text, r));
        const base: ValueIR = of.k === 'field' && (of.def.type === 'protocol' || of.def.type === 'none') ? { k: 'range', def: of.def, cls: 'bytes', ...(of.layers ? { layers: of.layers } : {}) } : of;
        return { k: 'slice', of: base, ranges, cls: 'bytes' };
      }
      case 'call':
        return this.call(node, ctx);
      case 'arith': {
        const l = this.value(node.left, ctx);
        const r = this.value(node.right, l.k === 'const' ? ctx : l);
        if (l.k === 'const' && r.k !== 'const') {
          // Re-type the left literal by the right operand.
          return { k: 'arith', op: node.op, l: this.value(node.left, r), r, cls: r.cls };
        }
        const numeric = (c: ValueClass) => c === 'int' || c === 'float' || c === 'bool';
        if (node.op === '&' && l.cls === 'bytes') return { k: 'arith', op: '&', l, r, cls: 'bytes' };
        if (!numeric(l.cls)) fail(msgCannotCompare(this.text.slice(node.left.start, node.left.end), l.k === 'field' ? typeName(l.def.type) : l.cls, node.op), node.left);
        return { k: 'arith', op: node.op, l, r, cls: l.cls === 'bool' ? 'int' : l.cls };
      }
      case 'neg': {
        const of = this.value(node.operand, ctx);
        return { k: 'neg', of, cls: of.cls };
      }
      default:
        return fail(`"${this.text.slice(node.start, node.end)}" was unexpected in this context.`, node);
    }
  }

  /** `ctx`: the other side of a comparison this call is the right side of (it types literals). */
  private call(node: Extract<Ast, { kind: 'call' }>, ctx: ValueIR | null): ValueIR {
    if (!FUNCTIONS.has(node.name)) return fail(msgNoFunction(node.name), node.nameSpan);
    if (node.args.length > 1 && !VARIADIC.has(node.name)) return fail(msgTooManyArgs(node.name), node.nameSpan);
    if (node.args.length === 0) return fail(msgTooFewArgs(node.name), node.nameSpan);
    const arg = node.args[0]!;
    const def = wordField(arg);
    switch (node.name) {
      case 'string':
        if (!def) return fail(msgFieldsOnly('string'), argSpan(arg));
        if (!STRING_CONVERTIBLE.has(def.type)) return fail(`String conversion for field "${def.name}" is not supported`, arg);
        return { k: 'string', def, of: this.value(arg, null), cls: 'string' };
      case 'max':
      case 'min':
        return this.minMax(node, ctx);
      case 'abs': {
        const text = this.text.slice(arg.start, arg.end);
        // A literal takes its type from the other side of the comparison, if it has one.
        const typed = typesLiterals(ctx);
        if (!def && arg.kind !== 'arith' && arg.kind !== 'neg' && arg.kind !== 'call' && !typed) return fail('Need a field or field-like value on the LHS.', arg);
        // (as a plain number: -100 stays -100, not an unsigned field's two's complement)
        const of = this.value(arg, { k: 'const', c: { cls: 'int', v: 0 }, cls: typed ? ctx.cls : 'int' });
        if (of.cls !== 'int' && of.cls !== 'float') return fail(`'${text}' is not a valid argument to 'abs'()`, arg);
        return { k: 'abs', of, cls: of.cls };
      }
      case 'count':
        if (!def) return fail(msgFieldsOnly('count'), argSpan(arg));
        const layers = argLayers(arg);
        return { k: 'count', def, cls: 'int', ...(layers ? { layers } : {}) };
      case 'len': {
        if (!def) return fail(msgFieldsOnly('len'), argSpan(arg));
        const layers = argLayers(arg);
        const inLayers = layers ? { layers } : {};
        const of: ValueIR = def.type === 'protocol' ? { k: 'range', def, cls: 'bytes', ...inLayers } : { k: 'field', def, cls: classOf(def.type), ...inLayers };
        return { k: 'len', of, cls: 'int' };
      }
      default: {
        // A function's value is not a string field either, for tshark.
        if (arg.kind === 'call') return fail(msgStringFieldsOnly(node.name), arg.nameSpan);
        if (!def) return fail(msgFieldsOnly(node.name), arg);
        if (def.type !== 'string') return fail(msgStringFieldsOnly(node.name), arg);
        return { k: 'case', upper: node.name === 'upper', of: { k: 'field', def, cls: 'string' }, cls: 'string' };
      }
    }
  }

  /**
   * max() / min(): the first argument is a field or a function (its type is the result's), the
   * others fields of that same type or literals read as it.
   */
  private minMax(node: Extract<Ast, { kind: 'call' }>, ctx: ValueIR | null): ValueIR {
    const [first, ...rest] = node.args;
    const firstDef = wordField(first!);
    // A literal first argument needs a type from the other side of the comparison.
    const typed = typesLiterals(ctx);
    if (!firstDef && first!.kind !== 'call' && !typed) return fail(`Argument '${this.text.slice(first!.start, first!.end)}' is not valid for ${node.name}()`, first!);
    const v0 = this.value(first!, typed ? ctx : { k: 'const', c: { cls: 'int', v: 0 }, cls: 'int' });
    const type0 = firstDef?.type ?? (typed ? fieldOf(ctx) : undefined)?.type ?? 'uint32';
    const args: ValueIR[] = [v0];
    for (const a of rest) {
      const def = wordField(a);
      if (def && def.type !== type0) return fail(`Arguments to '${node.name}' must have the same type (expected ${ftName(type0)}, got ${ftName(def.type)})`, a);
      args.push(this.value(a, v0));
    }
    return { k: 'minmax', max: node.name === 'max', args, cls: v0.cls };
  }

  /** Parses a literal as the type of `ctx`. */
  private literal(node: Extract<Ast, { kind: 'word' | 'string' | 'char' }>, ctx: ValueIR): ValueIR {
    const def = fieldOf(ctx);
    const ftype: FieldType | undefined = def?.type;
    const cls = ctx.cls;
    const konst = (c: Const): ValueIR => ({ k: 'const', c, cls: c.cls });
    const tname = ftype ? typeName(ftype) : 'Byte sequence';
    const str = node.kind === 'string' ? new TextDecoder().decode(node.bytes) : null;

    switch (cls) {
      case 'int': {
        const wide = is64(ftype);
        if (node.kind === 'char') return konst(intConst(BigInt(node.value), wide));
        const s = node.kind === 'string' ? str! : node.text;
        if (node.kind === 'word') {
          const v = parseInteger(s);
          if (v !== null) {
            if (ftype) {
              const [min, max] = intBounds(ftype);
              if (v > max) fail(msgTooBig(s, max), node);
              if (v < min && min < 0n) fail(msgTooSmall(s, min), node);
              // An unsigned field takes a negative literal as its 64-bit two's complement
              // (tshark 4.0: `tcp.port == -1` is accepted and `tcp.port > -1` matches nothing).
              // Only straight against the field: `-tcp.len < -100` compares signed values.
              if (v < 0n && min === 0n && ctx.k === 'field') return konst({ cls: 'int', v: (1n << 64n) + v });
            }
            return konst(intConst(v, wide));
          }
        }
        if (def?.values) {
          const lower = s.toLowerCase();
          for (const [k, name] of Object.entries(def.values)) {
            if (name.toLowerCase() === lower) return konst(intConst(BigInt(k), wide));
          }
          return fail(msgNoValueName(s, def.name), node);
        }
        if (node.kind === 'string') return fail(msgFromString(tname, s), node);
        return fail(msgBadNumber(s), node);
      }
      case 'bool': {
        if (node.kind === 'word') {
          const v = parseInteger(node.text);
          if (v !== null) return konst({ cls: 'bool', v: v !== 0n });
          if (node.text === 'True' || node.text === 'TRUE') return konst({ cls: 'bool', v: true });
          if (node.text === 'False' || node.text === 'FALSE') return konst({ cls: 'bool', v: false });
          if (def?.tf) {
            if (node.text === def.tf[0]) return konst({ cls: 'bool', v: true });
            if (node.text === def.tf[1]) return konst({ cls: 'bool', v: false });
          }
          return fail(msgNoValueName(node.text, def?.name ?? ''), node);
        }
        if (node.kind === 'char') return konst({ cls: 'bool', v: node.value !== 0 });
        // A quoted string: the field's true/false names, without regard to case ("set", "Not set").
        const [yes, no] = def?.tf ?? ['True', 'False'];
        if (def && str!.toLowerCase() === yes.toLowerCase()) return konst({ cls: 'bool', v: true });
        if (def && str!.toLowerCase() === no.toLowerCase()) return konst({ cls: 'bool', v: false });
        return fail(def ? msgNoValueName(str!, def.name) : msgFromString(tname, str!), node);
      }
      case 'ipv4': {
        if (node.kind !== 'word') return fail(node.kind === 'string' ? msgFromString(tname, str!) : msgBadIPv4(node.text), node);
        divisionOfAddress(node, 'FT_IPv4');
        const [addr, bits] = node.text.split('/', 2) as [string, string | undefined];
        const v = parseIPv4(addr);
        if (v === null || (bits !== undefined && !/^\d{1,2}$/.test(bits))) return fail(msgBadIPv4(node.text), node);
        const b = bits === undefined ? 32 : Number(bits);
        if (b > 32) return fail(msgCidr4(b), node);
        const mask = b === 0 ? 0 : (0xffffffff << (32 - b)) >>> 0;
        return konst({ cls: 'ipv4', v, mask });
      }
      case 'ipv6': {
        if (node.kind !== 'word') return fail(node.kind === 'string' ? msgFromString(tname, str!) : msgBadIPv6(node.text), node);
        divisionOfAddress(node, 'FT_IPv6');
        const [addr, bits] = node.text.split('/', 2) as [string, string | undefined];
        const v = parseIPv6(addr);
        if (v === null || (bits !== undefined && !/^\d{1,3}$/.test(bits))) return fail(msgBadIPv6(node.text), node);
        const b = bits === undefined ? 128 : Number(bits);
        if (b > 128) return fail(msgCidr6(b), node);
        return konst({ cls: 'ipv6', v, prefix: b });
      }
      case 'ether': {
        if (node.kind !== 'word') return fail(node.kind === 'string' ? msgFromString(tname, str!) : msgBadEther(node.text), node);
        const v = parseEther(node.text);
        if (v === 'short') return fail(msgShortEther(node.text), node);
        if (v === 'long') return fail(msgLongEther(node.text), node);
        if (!v) return fail(msgBadEther(node.text), node);
        return konst({ cls: 'ether', v });
      }
      case 'bytes': {
        if (node.kind === 'string') return konst({ cls: 'bytes', v: node.bytes });
        if (node.kind === 'char') return konst({ cls: 'bytes', v: Uint8Array.of(node.value) });
        const v = parseByteString(node.text);
        if (!v) return fail(msgBadBytes(node.text), node);
        return konst({ cls: 'bytes', v });
      }
      case 'string':
        if (node.kind === 'char') return konst({ cls: 'string', v: String.fromCharCode(node.value) });
        return konst({ cls: 'string', v: str ?? node.text });
      case 'time': {
        const s = str ?? node.text;
        // Fields shown as UNIX time (ABSOLUTE_TIME_UNIX, e.g. frame.time_epoch) also take seconds
        // since the epoch: `frame.time_epoch > 1362692527.5` (tshark 4.0); frame.time does not.
        const epoch = node.kind === 'word' && def?.name.endsWith('time_epoch') ? /^(\d+)(?:\.(\d{1,9}))?$/.exec(s) : null;
        if (epoch) return konst({ cls: 'time', v: { sec: Number(epoch[1]), nsec: epoch[2] ? Number(epoch[2].padEnd(9, '0')) : 0 } });
        const v = parseAbsTime(s);
        if (!v) return fail(msgBadTime(s), node);
        return konst({ cls: 'time', v });
      }
      case 'float': {
        const s = str ?? node.text;
        // A quoted string is never converted to a number (tshark: `frame.time_delta > "1"`).
        if (node.kind === 'string') return fail(msgFromString(tname, s), node);
        if (node.kind !== 'word' || !/^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(s)) {
          return fail(ftype === 'reltime' ? msgBadRelTime(s) : msgBadNumber(s), node);
        }
        return konst({ cls: 'float', v: Number(s) });
      }
      default:
        return fail(msgBadNumber(node.text), node);
    }
  }
}

/**
 * tshark 4.0's scanner takes `a/b` as a CIDR block only when b is a number and there is one
 * slash; otherwise the `/` is division, which addresses refuse (`10.0.0.0/8/8`,
 * `1.2.3.4/x`: "FT_IPv4 cannot /." under the left operand).
 */
function divisionOfAddress(node: Span & { text: string }, ftype: string): void {
  const slash = node.text.lastIndexOf('/');
  if (slash < 0) return;
  if (node.text.indexOf('/') === slash && /^\d+$/.test(node.text.slice(slash + 1))) return;
  fail(`${ftype} cannot /.`, { start: node.start, end: node.start + slash });
}

function fieldOf(v: ValueIR): FieldDef | undefined {
  switch (v.k) {
    case 'field': return v.def;
    case 'arith': return fieldOf(v.l) ?? fieldOf(v.r);
    case 'neg': return fieldOf(v.of);
    default: return undefined;
  }
}

/** `[i]`, `[i:j]` (start, length), `[i-j]` (first, last), `[i:]`, `[:j]`; negative from the end. */
function parseRange(text: string, span: Span): SliceRange {
  const t = text.replace(/\s+/g, '');
  let m: RegExpExecArray | null;
  if ((m = /^(-?\d+)$/.exec(t))) return { start: Number(m[1]), length: 1 };
  if ((m = /^(-?\d+)?:(\d+)?$/.exec(t))) {
    if (m[1] === undefined && m[2] === undefined) return fail(msgBadRange(text), span);
    return { start: m[1] === undefined ? 0 : Number(m[1]), length: m[2] === undefined ? null : Number(m[2]) };
  }
  if ((m = /^(-?\d+)-(-?\d+)$/.exec(t))) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    if ((a >= 0 && b >= 0 && b < a) || (a < 0 && b < 0 && b < a)) return fail(msgRangeOrder(a, b), span);
    if (a >= 0 && b >= 0) return { start: a, length: b - a + 1 };
    return fail(msgBadRange(text), span);
  }
  return fail(msgBadRange(text), span);
}

/** Semantic check of a parsed filter. Throws FilterSyntaxError with a span. */
export function check(ast: Ast, text: string): TestIR {
  return new Checker(text).test(ast);
}

/** JavaScript's RegExp error text in PCRE2's wording, which tshark prints. */
function pcreWording(js: string): string {
  const why = js.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '');
  if (/Unterminated group|Unmatched '\('/.test(why)) return 'missing closing parenthesis';
  if (/Unmatched '\)'/.test(why)) return 'unmatched closing parenthesis';
  if (/Unterminated character class/.test(why)) return 'missing terminating ] for character class';
  if (/numbers out of order/.test(why)) return 'numbers out of order in {} quantifier';
  if (/Nothing to repeat/.test(why)) return 'quantifier does not follow a repeatable item';
  if (/\\ at end of pattern/.test(why)) return '\\ at end of pattern';
  return why;
}

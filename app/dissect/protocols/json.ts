// JavaScript Object Notation (RFC 8259), as Wireshark 4.0's packet-json.c shows a message body:
// a tree of Object / Array / Member items, each member with its Key and generated [Path], and
// each scalar with [Path with value] and [Member with value] before it — paths like
// /headers/Host or /items/[]/id that filters can match. The body may hold several top-level
// objects or arrays; parsing stops at the first thing that is not one (a bare scalar, a syntax
// error), and the rest of the body goes to Line-based text data, as tshark does.
//
// Parsing and tree building are separate stages: a top-level value is parsed whole first, so
// one that turns out malformed leaves no half-built tree behind.
import { defineFields } from '../field.js';
import { callProtocol, defineProtocol, findDissector, MEDIA_TYPE_SCRATCH, registerGrpcMessageType, registerMediaType } from '../dispatch.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';

export const jsonFields = defineFields([
  { name: 'json.object', label: 'Object', type: 'none' },
  { name: 'json.array', label: 'Array', type: 'none' },
  { name: 'json.member', label: 'Member', type: 'string' },
  { name: 'json.key', label: 'Key', type: 'string' },
  { name: 'json.path', label: 'Path', type: 'string' },
  { name: 'json.path_with_value', label: 'Path with value', type: 'string' },
  { name: 'json.member_with_value', label: 'Member with value', type: 'string' },
  { name: 'json.value.string', label: 'String value', type: 'string' },
  { name: 'json.value.number', label: 'Number value', type: 'string' },
  { name: 'json.value.false', label: 'False value', type: 'none' },
  { name: 'json.value.null', label: 'Null value', type: 'none' },
  { name: 'json.value.true', label: 'True value', type: 'none' },
  { name: 'json.value.nan', label: 'NaN value', type: 'none' },
] as const);
const F = jsonFields;

/** A parsed value: its kind and byte range; containers hold their parts. */
type Value =
  | { kind: 'object'; start: number; end: number; members: Member[] }
  | { kind: 'array'; start: number; end: number; items: Value[] }
  | { kind: 'string' | 'number' | 'true' | 'false' | 'null' | 'nan'; start: number; end: number };

interface Member {
  start: number;
  end: number;
  key: Value;
  value: Value;
}

/** A recursive-descent reader of JSON text; null from a parse* method means "not valid here". */
class Parser {
  /** Containers open now: past MAX_DEPTH the text counts as not JSON (no stack overflow on "[[[[…"). */
  private depth = 0;

  constructor(private readonly b: Uint8Array, public pos: number) {}

  skipSpace(): void {
    const b = this.b;
    while (this.pos < b.length && (b[this.pos] === 0x20 || b[this.pos] === 0x09 || b[this.pos] === 0x0a || b[this.pos] === 0x0d)) this.pos++;
  }

  /** An object or an array: what tshark takes at the top level. */
  parseContainer(): Value | null {
    this.skipSpace();
    const c = this.b[this.pos];
    return c === 0x7b ? this.parseObject() : c === 0x5b ? this.parseArray() : null;
  }

  private parseValue(): Value | null {
    this.skipSpace();
    const c = this.b[this.pos];
    if (c === 0x7b || c === 0x5b) {
      if (this.depth >= MAX_DEPTH) return null;
      this.depth++;
      const v = c === 0x7b ? this.parseObject() : this.parseArray();
      this.depth--;
      return v;
    }
    if (c === 0x22) return this.parseString();
    for (const [word, kind] of LITERALS) if (this.literal(word)) return { kind, start: this.pos - word.length, end: this.pos };
    return this.parseNumber();
  }

  private parseObject(): Value | null {
    const start = this.pos++;
    const members: Member[] = [];
    this.skipSpace();
    if (this.b[this.pos] === 0x7d) return { kind: 'object', start, end: ++this.pos, members };
    for (;;) {
      this.skipSpace();
      const mStart = this.pos;
      if (this.b[this.pos] !== 0x22) return null;
      const key = this.parseString();
      if (!key) return null;
      this.skipSpace();
      if (this.b[this.pos++] !== 0x3a) return null;
      const value = this.parseValue();
      if (!value) return null;
      members.push({ start: mStart, end: value.end, key, value });
      this.skipSpace();
      const sep = this.b[this.pos++];
      if (sep === 0x7d) return { kind: 'object', start, end: this.pos, members };
      if (sep !== 0x2c) return null;
    }
  }

  private parseArray(): Value | null {
    const start = this.pos++;
    const items: Value[] = [];
    this.skipSpace();
    if (this.b[this.pos] === 0x5d) return { kind: 'array', start, end: ++this.pos, items };
    for (;;) {
      const v = this.parseValue();
      if (!v) return null;
      items.push(v);
      this.skipSpace();
      const sep = this.b[this.pos++];
      if (sep === 0x5d) return { kind: 'array', start, end: this.pos, items };
      if (sep !== 0x2c) return null;
    }
  }

  /** A string token, quotes included: escapes must be JSON's (\uXXXX with four hex digits). */
  private parseString(): Value | null {
    const b = this.b;
    const start = this.pos++;
    while (this.pos < b.length) {
      const c = b[this.pos++]!;
      if (c === 0x22) return { kind: 'string', start, end: this.pos };
      if (c !== 0x5c) continue;
      const e = b[this.pos++];
      if (e === 0x75) {
        for (let i = 0; i < 4; i++) if (!isHex(b[this.pos++])) return null;
      } else if (e === undefined || !SIMPLE_ESCAPES.has(e)) return null;
    }
    return null;
  }

  /** -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
  private parseNumber(): Value | null {
    const b = this.b;
    const start = this.pos;
    if (b[this.pos] === 0x2d) this.pos++;
    if (b[this.pos] === 0x30) this.pos++;
    else if (!this.digits()) return null;
    if (b[this.pos] === 0x2e) {
      this.pos++;
      if (!this.digits()) return null;
    }
    if (b[this.pos] === 0x65 || b[this.pos] === 0x45) {
      this.pos++;
      if (b[this.pos] === 0x2b || b[this.pos] === 0x2d) this.pos++;
      if (!this.digits()) return null;
    }
    return { kind: 'number', start, end: this.pos };
  }

  private digits(): boolean {
    const from = this.pos;
    while (this.b[this.pos]! >= 0x30 && this.b[this.pos]! <= 0x39) this.pos++;
    return this.pos > from;
  }

  private literal(word: string): boolean {
    for (let i = 0; i < word.length; i++) if (this.b[this.pos + i] !== word.charCodeAt(i)) return false;
    this.pos += word.length;
    return true;
  }
}

const MAX_DEPTH = 512;
const LITERALS: ReadonlyArray<[string, 'true' | 'false' | 'null' | 'nan']> = [['true', 'true'], ['false', 'false'], ['null', 'null'], ['NaN', 'nan']];
/** The characters after a backslash besides `u`: " \ / b f n r t. */
const SIMPLE_ESCAPES = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]);
const ESCAPED: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

function isHex(c: number | undefined): boolean {
  return c !== undefined && ((c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66));
}

/** Code points glib's g_unichar_isprint refuses: controls, format characters, unassigned, surrogates. */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Cn}\p{Cs}]/u;
const utf8 = new TextDecoder('utf-8');

/**
 * A string token's text as tshark 4.0 shows it: quotes off, escapes undone, a \u escape of a
 * character it cannot print dropped, a broken surrogate pair as U+FFFD. (tshark 4.0 also drops
 * a \u escape that ends the string, "1\u0041" showing as "1"; here it is the character it
 * encodes: docs/tshark-differences.md.)
 */
export function jsonString(raw: string): string {
  const s = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; ) {
    const c = s[i]!;
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const e = s[i + 1]!;
    if (e !== 'u') {
      out += ESCAPED[e] ?? '';
      i += 2;
      continue;
    }
    let cp = parseInt(s.slice(i + 2, i + 6), 16);
    i += 6;
    if (cp >= 0xd800 && cp <= 0xdbff) {
      // A lead surrogate: its trail must follow as another \u escape.
      if (s[i] === '\\' && s[i + 1] === 'u') {
        const trail = parseInt(s.slice(i + 2, i + 6), 16);
        i += 6;
        if (trail < 0xdc00 || trail > 0xdfff) {
          out += '\ufffd';
          continue;
        }
        cp = 0x10000 + ((cp - 0xd800) << 10) + (trail - 0xdc00);
      } else {
        i++;
        out += '\ufffd';
        continue;
      }
    } else if (cp >= 0xdc00 && cp <= 0xdfff) {
      out += '\ufffd';
      continue;
    }
    const ch = String.fromCodePoint(cp);
    if (!UNPRINTABLE.test(ch)) out += ch;
  }
  return out;
}

function dissectJson(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  const mediaType = ctx.scratch[MEDIA_TYPE_SCRATCH] as string | undefined;
  if (mediaType) ctx.setText(node, `JavaScript Object Notation: ${mediaType}`);
  const bytes = tvb.slice(0, tvb.length);
  const p = new Parser(bytes, 0);
  const text = (v: { start: number; end: number }) => utf8.decode(bytes.subarray(v.start, v.end));
  // tshark's paths: a stack of (path, key) pairs, the top one the innermost container's.
  const addValue = (parent: FieldNode, v: Value, path: string, key: string): void => {
    if (v.kind === 'object') {
      const o = ctx.add(parent, F['json.object'], tvb, v.start, v.end - v.start, null, 'Object');
      for (const m of v.members) {
        const name = jsonString(text(m.key));
        const mNode = ctx.add(o, F['json.member'], tvb, m.start, m.end - m.start, name);
        const mPath = `${path}/${name}`;
        addValue(mNode, m.value, mPath, name);
        ctx.add(mNode, F['json.key'], tvb, m.key.start, m.key.end - m.key.start, name);
        ctx.addGenerated(mNode, F['json.path'], mPath);
      }
      return;
    }
    if (v.kind === 'array') {
      const a = ctx.add(parent, F['json.array'], tvb, v.start, v.end - v.start, null, 'Array');
      for (const item of v.items) addValue(a, item, `${path}/[]`, '[]');
      return;
    }
    const raw = text(v);
    const value = v.kind === 'string' ? jsonString(raw) : raw;
    const len = v.end - v.start;
    ctx.addGenerated(parent, F['json.path_with_value'], `${path}:${value}`);
    ctx.addGenerated(parent, F['json.member_with_value'], `${key}:${value}`);
    if (v.kind === 'string') ctx.add(parent, F['json.value.string'], tvb, v.start, len, value);
    else if (v.kind === 'number') ctx.add(parent, F['json.value.number'], tvb, v.start, len, value);
    else ctx.add(parent, F[`json.value.${v.kind}`], tvb, v.start, len, null, VALUE_LABELS[v.kind]);
  };
  // Without a tree, items are built only for a filter or -e that asks for a json field.
  const build = ctx.tree || Object.values(F).some((f) => ctx.wants(f));
  let parsed = 0;
  for (;;) {
    const v = p.parseContainer();
    if (!v) break;
    if (build) addValue(node, v, '', '');
    parsed = p.pos;
    p.skipSpace();
    if (p.pos >= bytes.length) {
      parsed = p.pos;
      break;
    }
  }
  // The parse stops at what is not an object or array; whitespace before it is not shown.
  p.pos = parsed;
  p.skipSpace();
  ctx.setLength(node, p.pos);
  if (p.pos < tvb.length) {
    const text = findDissector('data-text-lines');
    if (text) callProtocol(text, tvb.sub(p.pos), ctx, null);
  }
}

/**
 * Whether `bytes` are JSON text as a heuristic hand-off wants it (packet-json.c's
 * dissect_json_heur validates the whole buffer first): one or more objects or arrays and
 * nothing after them but white space.
 */
export function isJsonText(bytes: Uint8Array): boolean {
  const p = new Parser(bytes, 0);
  if (!p.parseContainer()) return false;
  for (;;) {
    p.skipSpace();
    if (p.pos >= bytes.length) return true;
    if (!p.parseContainer()) return false;
  }
}

const VALUE_LABELS = { true: 'True value', false: 'False value', null: 'Null value', nan: 'NaN value' } as const;

export const jsonProtocol = defineProtocol('json', 'JavaScript Object Notation', dissectJson);

// The media types tshark 4.0's JSON dissector takes (checked one by one: not application/ld+json,
// geo+json, x-json or text/json, which go to Media Type).
for (const t of ['application/json', 'application/json-rpc', 'application/jsonrequest', 'application/dds-web+json', 'application/vnd.oma.lwm2m+json', 'application/problem+json']) {
  registerMediaType(t, jsonProtocol);
}
registerGrpcMessageType('application/grpc+json', jsonProtocol);

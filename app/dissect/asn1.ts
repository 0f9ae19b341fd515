// ASN.1 DER (X.690) read through a Tvb, and a walker that shows a value as Wireshark's BER
// dissectors (epan/dissectors/packet-ber.c and the asn2wrs-generated ones) show it: a SEQUENCE
// as an item named after its field, a SEQUENCE OF as "name: N items", a CHOICE as "name:
// alternative (index)" with the alternative below it, a BIT STRING as "Padding: n" and its bytes
// with the named bits under them. The types are data (Asn1Type); a protocol describes its syntax
// with them and hands the walker the fields. Reading never trusts a length: one that runs past
// its enclosing value is a DerError, which the protocol turns into a malformed-data note.
import { defineFields, type FieldDef } from './field.js';
import { formatDisplayValue } from './format.js';
import type { PacketContext } from './packet.js';
import type { FieldNode } from './tree.js';
import { latin1, type Tvb } from './tvb.js';

export const berFields = defineFields([
  { name: 'ber.bitstring.padding', label: 'Padding', type: 'uint8', base: 'dec', description: 'Number of unused bits in the last octet of the bitstring' },
  { name: 'ber.error.oid_not_implemented', label: 'BER: Dissector for OID not implemented. Contact Wireshark developers if you want this supported', type: 'none' },
  { name: 'ber.error.length', label: 'BER Error: length is not valid', type: 'none' },
  { name: 'ber.error.sequence.field_wrong', label: 'BER Error: Wrong field in SEQUENCE', type: 'none' },
] as const);

/** Impossible DER: a length past its enclosing value (`length`), a missing or unexpected tag. */
export class DerError extends Error {
  /** The item being filled when it was found: the BER Error item goes below it, as in tshark. */
  node?: FieldNode;
  constructor(message: string, readonly offset: number, readonly length = false) {
    super(message);
  }
}

/** Runs `f`, and ties a DerError it throws to `node` unless a deeper item claimed it. */
export function within<T>(node: FieldNode, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof DerError) e.node ??= node;
    throw e;
  }
}

export const enum TagClass { Universal = 0, Application = 1, Context = 2, Private = 3 }

/** Universal tags (X.680 8.4). */
export const U = {
  BOOLEAN: 1, INTEGER: 2, BIT_STRING: 3, OCTET_STRING: 4, NULL: 5, OID: 6, UTF8String: 12, SEQUENCE: 16, SET: 17,
  NumericString: 18, PrintableString: 19, TeletexString: 20, IA5String: 22, UTCTime: 23, GeneralizedTime: 24,
  VisibleString: 26, UniversalString: 28, BMPString: 30,
} as const;

/** One TLV; offsets are the Tvb's. */
export interface Tlv {
  cls: TagClass;
  constructed: boolean;
  tag: number;
  /** The identifier octet. */
  start: number;
  /** The contents. */
  value: number;
  length: number;
  /** value + length. */
  end: number;
}

/** The TLV at `o`, which must end by `end` (its enclosing value's end). */
export function readTlv(tvb: Tvb, o: number, end: number): Tlv {
  if (o >= end) throw new DerError('BER Error: expected a value, found the end of its container', tvb.abs(o));
  const id = tvb.u8(o);
  let p = o + 1;
  let tag = id & 0x1f;
  if (tag === 0x1f) {
    // High tag number form (X.690 8.1.2.4): base 128, the last octet's top bit clear.
    tag = 0;
    let b: number;
    do {
      if (p >= end) throw new DerError('BER Error: tag runs past its container', tvb.abs(o));
      b = tvb.u8(p++);
      tag = tag * 128 + (b & 0x7f);
    } while (b & 0x80 && tag < 2 ** 28);
  }
  if (p >= end) throw new DerError('BER Error: length is missing', tvb.abs(o));
  let length = tvb.u8(p++);
  if (length & 0x80) {
    const n = length & 0x7f;
    // DER has definite lengths only (X.690 10.1); 0x80 is BER's indefinite form.
    if (n === 0 || n > 4) throw new DerError(n === 0 ? 'BER Error: indefinite length in DER' : `BER Error: length of ${n} octets is not valid`, tvb.abs(o), true);
    if (p + n > end) throw new DerError('BER Error: length runs past its container', tvb.abs(o), true);
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + tvb.u8(p++);
  }
  // tshark's words for a length past the value that holds it (packet-ber.c).
  if (p + length > end) throw new DerError(`BER Error: length of item (${length}) is not valid`, tvb.abs(o), true);
  return { cls: (id >> 6) as TagClass, constructed: (id & 0x20) !== 0, tag, start: o, value: p, length, end: p + length };
}

/** An OBJECT IDENTIFIER's contents in dotted form (X.690 8.19). */
export function oidText(b: Uint8Array): string {
  const arcs: string[] = [];
  let v = 0;
  let big: bigint | null = null;
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (big !== null) big = big * 128n + BigInt(c & 0x7f);
    else if (v >= 2 ** 45) big = BigInt(v) * 128n + BigInt(c & 0x7f);
    else v = v * 128 + (c & 0x7f);
    if (c & 0x80) continue;
    if (arcs.length === 0) {
      // The first subidentifier holds two arcs: 40 * X + Y, X at most 2.
      const first = big ?? BigInt(v);
      const x = first < 40n ? 0n : first < 80n ? 1n : 2n;
      arcs.push(String(x), String(first - 40n * x));
    } else arcs.push(String(big ?? v));
    v = 0;
    big = null;
  }
  return arcs.join('.');
}

/** A signed INTEGER's value (up to 6 octets; longer ones are shown as bytes by their fields). */
export function intValue(b: Uint8Array): number {
  let v = b.length && b[0]! & 0x80 ? -1 : 0;
  for (let i = 0; i < b.length && i < 6; i++) v = v * 256 + b[i]!;
  return v;
}

/** An INTEGER's octets read as unsigned (up to 6 octets), as packet-ber.c reads one into an unsigned field. */
export function uintValue(b: Uint8Array): number {
  let v = 0;
  for (let i = 0; i < b.length && i < 6; i++) v = v * 256 + b[i]!;
  return v;
}

/** A character string's text by its universal tag: UTF-8, UCS-2 and UCS-4 big-endian, else one byte a character. */
export function stringText(tag: number, b: Uint8Array): string {
  if (tag === U.UTF8String) return new TextDecoder('utf-8').decode(b);
  if (tag === U.BMPString || tag === U.UniversalString) {
    const w = tag === U.BMPString ? 2 : 4;
    let s = '';
    for (let i = 0; i + w <= b.length; i += w) {
      let c = 0;
      for (let j = 0; j < w; j++) c = c * 256 + b[i + j]!;
      s += c <= 0x10ffff ? String.fromCodePoint(c) : '\ufffd';
    }
    return s;
  }
  return latin1(b);
}

/**
 * A UTCTime or GeneralizedTime ("YYMMDDHHMMSSZ", "YYYYMMDDHHMMSS[.fff]Z") as its calendar
 * fields, or null when it is not in the form RFC 5280 4.1.2.5 requires.
 */
export function timeFields(text: string, utc: boolean): { year: number; month: number; day: number; hour: number; minute: number; second: number; nsec: number } | null {
  const m = (utc ? /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/ : /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(?:\.(\d{1,9}))?Z$/).exec(text);
  if (!m) return null;
  let year = Number(m[1]);
  // UTCTime's two-digit year: 50-99 are 19xx, 00-49 are 20xx (RFC 5280 4.1.2.5.1).
  if (utc) year += year >= 50 ? 1900 : 2000;
  return { year, month: Number(m[2]), day: Number(m[3]), hour: Number(m[4]), minute: Number(m[5]), second: Number(m[6]), nsec: Number((m[7] ?? '').padEnd(9, '0')) };
}

/**
 * An ASN.1 type as data. `seq`: a SEQUENCE (or SET) of members in order, OPTIONAL or DEFAULT
 * ones skipped when the next tag is not theirs. `of`: SEQUENCE OF / SET OF. `choice`: the
 * alternative whose tag comes next. `fn`: a type the protocol shows in a way of its own.
 */
export type Asn1Type =
  | { t: 'seq'; members: readonly Member[] }
  | { t: 'of'; item: Member }
  | { t: 'choice'; alts: readonly Member[] }
  | { t: 'int' }
  /** An INTEGER shown as "0x" and its octets (serial numbers, an RSA modulus). */
  | { t: 'hexint' }
  | { t: 'bool' }
  | { t: 'oid' }
  | { t: 'str'; tag: number }
  | { t: 'octets' }
  | { t: 'bits'; named?: readonly FieldDef[]; noPadding?: boolean }
  | { t: 'null' }
  | { t: 'utctime' }
  | { t: 'gentime' }
  | { t: 'fn'; tag: number; fn: (w: BerWalker, tlv: Tlv, parent: FieldNode, m: Member) => void };

/** A field of a SEQUENCE, an alternative of a CHOICE, or the element of a SEQUENCE OF. */
export interface Member {
  /** The item's field (Wireshark's hf); null shows nothing of its own (the type's items go to the parent). */
  field: FieldDef | null;
  type: Asn1Type;
  /** A context-specific tag [n]: IMPLICIT unless `explicit` (a CHOICE's tag is always explicit). */
  ctx?: number;
  explicit?: boolean;
  optional?: boolean;
}

/** The universal tag of a type that has one (CHOICE and fn types answer for themselves). */
function universalTag(t: Asn1Type): number {
  switch (t.t) {
    case 'seq': case 'of': return U.SEQUENCE;
    case 'int': case 'hexint': return U.INTEGER;
    case 'bool': return U.BOOLEAN;
    case 'oid': return U.OID;
    case 'str': return t.tag;
    case 'octets': return U.OCTET_STRING;
    case 'bits': return U.BIT_STRING;
    case 'null': return U.NULL;
    case 'utctime': return U.UTCTime;
    case 'gentime': return U.GeneralizedTime;
    case 'fn': return t.tag;
    default: return -1;
  }
}

/** Whether a TLV can start member `m` (a CHOICE: any of its alternatives; SET OF and SET match SEQUENCE's type by SET's tag too). */
export function matches(m: Member, tlv: Tlv): boolean {
  if (m.ctx !== undefined) return tlv.cls === TagClass.Context && tlv.tag === m.ctx;
  if (m.type.t === 'choice') return m.type.alts.some((a) => matches(a, tlv));
  if (tlv.cls !== TagClass.Universal) return false;
  const u = universalTag(m.type);
  return tlv.tag === u || (u === U.SEQUENCE && tlv.tag === U.SET);
}

/** How many TLVs a constructed value holds (a SEQUENCE OF's items, an RDN's attributes). */
export function count(tvb: Tvb, tlv: Tlv): number {
  let n = 0;
  for (let p = tlv.value; p < tlv.end; n++) p = readTlv(tvb, p, tlv.end).end;
  return n;
}

/** `n item`/`n items`, as Wireshark's BER labels a SEQUENCE OF. */
export const items = (n: number): string => `${n} item${n === 1 ? '' : 's'}`;

/** Shows DER values as Wireshark does, through one packet context. */
export class BerWalker {
  /** The text of the last string, time or OID shown (a DN attribute's value for its summary). */
  lastText = '';

  constructor(
    readonly tvb: Tvb,
    readonly ctx: PacketContext,
    /** An OID's name as Wireshark resolves it ("id-at-commonName", "iso.3.6.1.4.1.6449.1"): the protocol knows the names. */
    readonly oidName: (oid: string) => string,
  ) {}

  /** Shows member `m` from the TLV at `o` (ending by `end`); returns the TLV. */
  member(parent: FieldNode, m: Member, o: number, end: number): Tlv {
    let tlv = readTlv(this.tvb, o, end);
    if (!matches(m, tlv)) throw new DerError(`BER Error: wrong tag [${tlv.cls}:${tlv.tag}] for ${m.field?.label ?? 'a value'}`, this.tvb.abs(o));
    const outer = tlv;
    if (m.ctx !== undefined && (m.explicit || m.type.t === 'choice')) tlv = readTlv(this.tvb, tlv.value, tlv.end);
    this.value(parent, m, tlv, outer);
    return outer;
  }

  /** Shows a value whose TLV is read (the members of a SEQUENCE, the items of a SEQUENCE OF, ...). */
  value(parent: FieldNode, m: Member, tlv: Tlv, outer = tlv): void {
    const { tvb } = this;
    const f = m.field;
    const t = m.type;
    switch (t.t) {
      case 'seq': {
        const node = f ? this.add(parent, f, outer.start, outer.end - outer.start, null, tlv.length === 0 ? `${f.label} [0 length]` : undefined) : parent;
        within(node, () => this.members(node, t.members, tlv.value, tlv.end));
        return;
      }
      case 'of': {
        const n = count(tvb, tlv);
        const node = f ? this.add(parent, f, outer.start, outer.end - outer.start, n, () => `${f.label}: ${items(n)}`) : parent;
        within(node, () => {
          for (let p = tlv.value; p < tlv.end; ) p = this.member(node, t.item, p, tlv.end).end;
        });
        return;
      }
      case 'choice': {
        const i = t.alts.findIndex((a) => matches(a, tlv));
        if (i < 0) throw new DerError(`BER Error: no alternative of ${f?.label ?? 'a CHOICE'} has tag [${tlv.cls}:${tlv.tag}]`, tvb.abs(tlv.start));
        const alt = t.alts[i]!;
        // The CHOICE's value is the alternative's index into its list (asn2wrs numbers them so).
        const node = f ? this.add(parent, f, tlv.start, tlv.end - tlv.start, alt.ctx ?? i) : parent;
        within(node, () => this.value(node, alt, alt.ctx !== undefined && (alt.explicit || alt.type.t === 'choice') ? readTlv(tvb, tlv.value, tlv.end) : tlv, tlv));
        return;
      }
      case 'fn':
        t.fn(this, tlv, parent, m);
        return;
      case 'bits':
        this.bits(parent, m, t, tlv);
        return;
      case 'null':
        if (f) this.add(parent, f, tlv.value, 0, null);
        return;
      default:
        if (f) this.primitive(parent, f, t, tlv);
    }
  }

  /** A SEQUENCE's members from `o` to `end`. */
  members(node: FieldNode, members: readonly Member[], o: number, end: number): void {
    let p = o;
    for (const mm of members) {
      if (p >= end) {
        if (mm.optional) continue;
        throw new DerError(`BER Error: ${mm.field?.label ?? 'a field'} is missing`, this.tvb.abs(p));
      }
      if (mm.optional && !matches(mm, readTlv(this.tvb, p, end))) continue;
      p = this.member(node, mm, p, end).end;
    }
  }

  private primitive(parent: FieldNode, f: FieldDef, t: Asn1Type, tlv: Tlv): void {
    const { tvb } = this;
    const bytes = tvb.slice(tlv.value, tlv.length);
    switch (t.t) {
      case 'int':
        // packet-ber.c extends the sign only into a signed field: an unsigned one reads 0xdd as 221.
        this.add(parent, f, tlv.value, tlv.length, f.type.startsWith('uint') ? uintValue(bytes) : intValue(bytes));
        return;
      case 'hexint':
        this.add(parent, f, tlv.value, tlv.length, bytes, () => `${f.label}: 0x${formatDisplayValue(f, bytes)}`);
        return;
      case 'bool':
        this.add(parent, f, tlv.value, tlv.length, tlv.length > 0 && bytes[0] !== 0);
        return;
      case 'oid': {
        const oid = oidText(bytes);
        this.lastText = oid;
        this.add(parent, f, tlv.value, tlv.length, oid, () => `${f.label}: ${oid} (${this.oidName(oid)})`);
        return;
      }
      case 'str': {
        const s = stringText(tlv.tag, bytes);
        this.lastText = s;
        this.add(parent, f, tlv.value, tlv.length, s);
        return;
      }
      case 'utctime': case 'gentime': {
        const text = latin1(bytes);
        const c = timeFields(text, t.t === 'utctime');
        const p2 = (n: number) => String(n).padStart(2, '0');
        if (t.t === 'utctime') {
          // Wireshark's x509af.utcTime is a string: "2011-05-04 00:00:00 (UTC)".
          const s = c ? `${c.year}-${p2(c.month)}-${p2(c.day)} ${p2(c.hour)}:${p2(c.minute)}:${p2(c.second)} (UTC)` : text;
          this.lastText = s;
          this.add(parent, f, tlv.value, tlv.length, s);
        } else {
          const sec = c ? Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second) / 1000 : 0;
          this.add(parent, f, tlv.value, tlv.length, { sec, nsec: c?.nsec ?? 0 });
        }
        return;
      }
      default:
        this.add(parent, f, tlv.value, tlv.length, bytes);
    }
  }

  /** A BIT STRING: "Padding: n" (unless the field's syntax hides it), its bytes, the named bits under them (each a byte's mask). */
  private bits(parent: FieldNode, m: Member, t: Extract<Asn1Type, { t: 'bits' }>, tlv: Tlv): void {
    const { tvb, ctx } = this;
    if (tlv.length < 1) throw new DerError('BER Error: malformed Bitstring encoding', tvb.abs(tlv.start));
    if (!t.noPadding) ctx.add(parent, berFields['ber.bitstring.padding'], tvb, tlv.value, 1, tvb.u8(tlv.value));
    if (!m.field) return;
    const node = this.add(parent, m.field, tlv.value + 1, tlv.length - 1, tvb.slice(tlv.value + 1, tlv.length - 1));
    (t.named ?? []).forEach((bit, i) => {
      // Bit i of the string is bit 7 - i % 8 of octet i / 8; one past the end reads as clear.
      const at = tlv.value + 1 + (i >> 3);
      const inside = at < tlv.end;
      ctx.add(node, bit, tvb, inside ? at : tlv.end - 1, 1, inside && (tvb.u8(at) & bit.mask!) !== 0);
    });
  }

  /** Adds a node at a Tvb offset. */
  add(parent: FieldNode, f: FieldDef, o: number, n: number, value: FieldNode['value'], text?: string | (() => string)): FieldNode {
    return this.ctx.add(parent, f, this.tvb, o, n, value, text);
  }
}


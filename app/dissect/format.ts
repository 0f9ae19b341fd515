// Turning field values into text, the way tshark does: `-T fields` values (formatFieldValue)
// and tree lines (formatNodeText). One place, so the CLI, the tree view and the filter
// editor's value completion all print the same thing.
import { GROUP_NAMES, SEVERITY_NAMES } from './expert-codes.js';
import { integerWidthBits, type FieldDef } from './field.js';
import type { AbsTime, ExpertNote, FieldNode, FieldValue } from './tree.js';

const HEX = '0123456789abcdef';

/** "1 packet", "3 packets": a count and its word, plural unless it is one. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function hexBytes(b: Uint8Array, sep = ''): string {
  let s = '';
  for (let i = 0; i < b.length; i++) {
    if (sep && i) s += sep;
    s += HEX[b[i]! >> 4]! + HEX[b[i]! & 15]!;
  }
  return s;
}

/**
 * A small direct-mapped cache of address texts keyed by the address bytes: every packet
 * formats its addresses for the columns, and a capture has few distinct ones. No allocation
 * on a hit; a miss formats and replaces the slot.
 */
class AddressTextCache {
  private readonly keys: Uint8Array;
  private readonly texts: (string | undefined)[];
  constructor(private readonly width: number, private readonly slots: number) {
    this.keys = new Uint8Array(width * slots);
    this.texts = new Array<string | undefined>(slots).fill(undefined);
  }

  get(b: Uint8Array, format: (b: Uint8Array) => string): string {
    return this.getAt(b, 0, format);
  }

  /** The text of the address at b[off .. off + width): a view of it is made only to format a new one. */
  getAt(b: Uint8Array, off: number, format: (b: Uint8Array) => string): string {
    const w = this.width;
    let h = 0x811c9dc5;
    for (let i = 0; i < w; i++) h = Math.imul(h ^ b[off + i]!, 0x01000193);
    const slot = (h >>> 0) % this.slots;
    const text = this.texts[slot];
    const at = slot * w;
    if (text !== undefined) {
      let i = 0;
      while (i < w && this.keys[at + i] === b[off + i]) i++;
      if (i === w) return text;
    }
    const key = b.subarray(off, off + w);
    const t = format(key);
    this.keys.set(key, at);
    this.texts[slot] = t;
    return t;
  }
}

const C_ESCAPES: Readonly<Record<number, string>> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r' };

/** Characters beyond ASCII that glib does not print (C1 controls, format characters such as a BOM, separators, lone surrogates). */
const UNPRINTABLE = /[\u0080-\u009f\u2028\u2029\p{Cf}\p{Cs}]/u;

/**
 * Text as Wireshark's format_text shows it in a column or the tree: control characters as C
 * escapes (\\t, \\r, ...) or three octal digits (a NUL is \\000), characters beyond ASCII that
 * are not printable as \\uXXXX (a UTF-8 BOM is \\uFEFF), the rest as it is.
 */
/**
 * Bytes read as UTF-8 the way format_text (epan/strutil.c) reads them for a label: a byte that
 * starts a sequence says how many continuation bytes follow (c0-df one, e0-ef two, f0-f7 three,
 * f8-fb four, fc-fd five: the original UTF-8's lengths); a sequence cut short by a byte that
 * does not continue it, a stray continuation byte, fe and ff, and a whole sequence that is no
 * character each become one U+FFFD. A decoder (TextDecoder) makes one U+FFFD of every byte in
 * f5-ff and of the continuation bytes after it.
 */
export function formatTextUtf8(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (b < 0x80) {
      out += String.fromCharCode(b);
      i++;
      continue;
    }
    const need = b >= 0xc0 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf8 ? 3 : b >= 0xf8 && b < 0xfc ? 4 : b >= 0xfc && b < 0xfe ? 5 : 0;
    let end = i + 1;
    while (end < bytes.length && end - i - 1 < need && (bytes[end]! & 0xc0) === 0x80) end++;
    const whole = need > 0 && end - i - 1 === need;
    const decoded = whole && need <= 3 ? decodeWhole(bytes.subarray(i, end)) : null;
    out += decoded ?? '\ufffd';
    i = end;
  }
  return out;
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });
/** A whole sequence as its character, or null when it is none (overlong, a surrogate, past U+10FFFF). */
function decodeWhole(seq: Uint8Array): string | null {
  try {
    return STRICT_UTF8.decode(seq);
  } catch {
    return null;
  }
}

export function printableText(s: string): string {
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || (c >= 0x80 && UNPRINTABLE.test(s[i]!))) break;
    i++;
  }
  if (i === s.length) return s;
  let out = s.slice(0, i);
  for (const ch of s.slice(i)) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out += c >= 0x20 && c !== 0x7f ? ch : C_ESCAPES[c] ?? '\\' + c.toString(8).padStart(3, '0');
    else if (!UNPRINTABLE.test(ch)) out += ch;
    else out += c <= 0xffff ? `\\u${c.toString(16).toUpperCase().padStart(4, '0')}` : `\\U${c.toString(16).toUpperCase().padStart(8, '0')}`;
  }
  return out;
}

/** Slots of the IPv4 text cache: an address's slot is a hash of it; a new one takes the slot over. */
const IPV4_SLOTS = 4096;
const ipv4Keys = new Float64Array(IPV4_SLOTS).fill(-1);
const ipv4Texts: string[] = new Array<string>(IPV4_SLOTS).fill('');

export function formatIPv4(v: number): string {
  v >>>= 0;
  // Two lookups per packet: a typed array and a string array, cheaper than a Map of numbers.
  const slot = (Math.imul(v, 0x9e3779b1) >>> 20) & (IPV4_SLOTS - 1);
  if (ipv4Keys[slot] === v) return ipv4Texts[slot]!;
  const t = `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
  ipv4Keys[slot] = v;
  ipv4Texts[slot] = t;
  return t;
}

const etherTexts = new AddressTextCache(6, 1024);
const formatEtherBytes = (b: Uint8Array): string => hexBytes(b, ':');

export function formatEther(b: Uint8Array): string {
  return b.length === 6 ? etherTexts.get(b, formatEtherBytes) : hexBytes(b, ':');
}

/** formatEther of the 6 bytes at b[off]: no view of them unless the address is new. */
export function formatEtherAt(b: Uint8Array, off: number): string {
  return etherTexts.getAt(b, off, formatEtherBytes);
}

const ipv6Texts = new AddressTextCache(16, 1024);

/** RFC 5952 text form: lowercase, longest run of ≥2 zero groups compressed, IPv4-mapped kept. */
export function formatIPv6(b: Uint8Array): string {
  return b.length === 16 ? ipv6Texts.get(b, formatIPv6Bytes) : formatIPv6Bytes(b);
}

/** formatIPv6 of the 16 bytes at b[off]: no copy or view of them unless the address is new. */
export function formatIPv6At(b: Uint8Array, off: number): string {
  return ipv6Texts.getAt(b, off, formatIPv6Bytes);
}

function formatIPv6Bytes(b: Uint8Array): string {
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push((b[i]! << 8) | b[i + 1]!);
  // ::ffff:a.b.c.d and ::a.b.c.d (deprecated IPv4-compatible) are printed with a dotted tail by
  // Wireshark (it uses inet_ntop): when the leading zeros are exactly five words before ffff, or
  // exactly six — so ::2, ::1 and :: keep the hex form (their zero run is longer).
  const zeros5 = g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0;
  if (zeros5 && (g[5] === 0xffff || (g[5] === 0 && g[6] !== 0))) {
    const tail = `${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
    return g[5] === 0xffff ? `::ffff:${tail}` : `::${tail}`;
  }
  let bestStart = -1, bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const part = (a: number[]) => a.map((x) => x.toString(16)).join(':');
  if (bestStart < 0) return part(g);
  return `${part(g.slice(0, bestStart))}::${part(g.slice(bestStart + bestLen))}`;
}

/**
 * Seconds.nanoseconds with 9 digits, as frame.time_epoch prints. A negative fraction (a pcap
 * whose nanosecond field overflowed wiretap's C int, tcpdump/timestamp_invalid_nano.pcap)
 * prints as tshark does: the sign first, then both parts unsigned.
 */
export function formatEpoch(t: AbsTime): string {
  if (t.nsec < 0) return `-${t.sec}.${String(-t.nsec).padStart(9, '0')}`;
  return `${t.sec}.${String(t.nsec).padStart(9, '0')}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The NTP epoch (1900-01-01) in Unix seconds: an all-zero NTP timestamp. */
export const NTP_EPOCH_SEC = -2208988800;

/**
 * An absolute time as tshark prints an FT_ABSOLUTE_TIME field shown in local time or UTC
 * (epan/to_str.c abs_time_to_str): "Mar  7, 2013 21:42:06.869344000 UTC" — the day padded with
 * a space, nanoseconds as printf's %09ld, then the zone's abbreviation (calendarOf).
 */
export function formatAbsTime(t: AbsTime, clock: 'local' | 'utc' | 'ntp-utc'): string {
  if (clock === 'ntp-utc' && t.sec === NTP_EPOCH_SEC && t.nsec === 0) return 'NULL';
  const c = calendarOf(t.sec, clock === 'local');
  const p2 = (n: number) => String(n).padStart(2, '0');
  const ns = t.nsec < 0 ? '-' + String(-t.nsec).padStart(8, '0') : String(t.nsec).padStart(9, '0');
  return `${MONTHS[c.month - 1]} ${String(c.day).padStart(2, ' ')}, ${c.year} ${p2(c.hour)}:${p2(c.minute)}:${p2(c.second)}.${ns} ${c.zone}`;
}

/** A moment's calendar date and time of day, and the zone it is read in. */
export interface Calendar {
  year: number;
  /** 1-12. */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** "UTC", or the local zone's abbreviation. */
  zone: string;
}

/**
 * The calendar of `sec` seconds since the epoch, in UTC or local time, for any 64-bit second
 * count: computed here, not by Date, whose range ends in the year 275760 (a pcapng stamp can
 * be in the year 586524). Local time takes the zone's offset at the nearest instant Date can
 * represent.
 */
export function calendarOf(sec: number, local: boolean): Calendar {
  let zone = 'UTC';
  if (local) {
    const at = new Date(Math.max(-MAX_DATE_MS, Math.min(MAX_DATE_MS, sec * 1000)));
    sec -= at.getTimezoneOffset() * 60;
    zone = localZoneName(at);
  }
  const days = Math.floor(sec / 86400);
  const inDay = sec - days * 86400;
  const [year, month, day] = civilFromDays(days);
  return { year, month, day, hour: Math.floor(inDay / 3600), minute: Math.floor(inDay / 60) % 60, second: inDay % 60, zone };
}

/** The largest |milliseconds| a Date holds (±100,000,000 days around 1970). */
const MAX_DATE_MS = 8.64e15;

/** Year, month (1-12) and day of the proleptic Gregorian calendar for days since 1970-01-01 (H. Hinnant's civil_from_days). */
function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

/** The local zone's abbreviation at `d` ("UTC", "EST"; "GMT+1" where en-US has no name), per UTC offset. */
const zoneNames = new Map<number, string>();
function localZoneName(d: Date): string {
  const offset = d.getTimezoneOffset();
  let name = zoneNames.get(offset);
  if (name === undefined) {
    name = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? 'UTC';
    zoneNames.set(offset, name);
  }
  return name;
}

/** Relative seconds with 9 decimals (frame.time_relative, tcp.analysis.ack_rtt). */
export function formatRelTime(seconds: number): string {
  const neg = seconds < 0;
  const ns = Math.round(Math.abs(seconds) * 1e9);
  const s = Math.floor(ns / 1e9);
  return `${neg ? '-' : ''}${s}.${String(ns % 1e9).padStart(9, '0')}`;
}

/**
 * `0x` and the value in hex, as many digits as the field's type has (-T fields), or in the tree
 * as many as its mask spans (Wireshark's hfinfo_hex_digits: "Ack Policy: Normal Ack (0x0)").
 */
function hexPadded(v: number | bigint, def: FieldDef, tree = false): string {
  const digits = tree && def.mask ? Math.ceil(maskSpanBits(def.mask) / 4) : Math.max(1, integerWidthBits(def.type) / 4);
  return '0x' + v.toString(16).padStart(digits, '0');
}

/** Bits from a mask's lowest set bit to its highest (0x0060 spans 2). */
function maskSpanBits(mask: number): number {
  let lo = 0;
  while (lo < 53 && Math.floor(mask / 2 ** lo) % 2 === 0) lo++;
  let hi = lo;
  while (2 ** (hi + 1) <= mask) hi++;
  return hi - lo + 1;
}

/** The value as `tshark -T fields -e NAME` prints it. */
export function formatFieldValue(def: FieldDef, value: FieldValue): string {
  // tshark prints "1" for a present FT_NONE field so -T fields can show presence
  // (epan/print.c get_node_field_value), e.g. tcp.analysis.duplicate_ack.
  if (def.type === 'none') return '1';
  if (value === null) return '';
  switch (def.type) {
    case 'boolean':
      return value ? '1' : '0';
    case 'ipv4':
      return formatIPv4(value as number);
    case 'ipv6':
      return formatIPv6(value as Uint8Array);
    case 'ether':
      return formatEther(value as Uint8Array);
    case 'bytes':
      // An empty byte string prints as its tree label does (tshark 4.0: an empty BER OCTET STRING).
      return (value as Uint8Array).length === 0 ? (def.allowZero === true ? '<none>' : '<MISSING>') : hexBytes(value as Uint8Array);
    case 'abstime':
      return def.clock ? formatAbsTime(value as AbsTime, def.clock) : formatEpoch(value as AbsTime);
    case 'reltime':
      return formatRelTime(value as number);
    case 'string':
      return value as string;
    case 'protocol':
      return typeof value === 'string' ? value : '';
    case 'float':
    case 'double':
      return String(value);
    default: {
      if (typeof value !== 'number' && typeof value !== 'bigint') return String(value);
      const base = def.base ?? 'dec';
      if (base === 'hex' || base === 'hex_dec') return hexPadded(value, def);
      if (base === 'oct') return '0' + value.toString(8);
      return String(value);
    }
  }
}

/** Bytes of a byte string the tree shows before "…" (Wireshark's MAX_BYTE_STR_LEN, 72 hex digits). */
const TREE_BYTES_MAX = 36;

/** The value as the tree shows it after the label (value names, units, hex + decimal). */
export function formatDisplayValue(def: FieldDef, value: FieldValue): string {
  if (value === null) return '';
  // The tree shows the first 36 bytes of a long byte string, then "…" (the whole value stays
  // in the field, for -T fields, filters and the bytes pane).
  if (def.type === 'bytes' && value instanceof Uint8Array && value.length > TREE_BYTES_MAX) return `${hexBytes(value.subarray(0, TREE_BYTES_MAX))}\u2026`;
  if (def.type === 'boolean') {
    const [t, f] = def.tf ?? ['True', 'False'];
    return value ? t : f;
  }
  // An epoch time reads "1362692526.869344000 seconds" in the tree (frame.time_epoch).
  if (def.type === 'abstime' && !def.clock) return `${formatEpoch(value as AbsTime)} seconds`;
  // A string shows its control characters escaped (format_text): a JSON value with a newline.
  if (def.type === 'string' && typeof value === 'string') return printableText(value);
  if (typeof value === 'number' && def.values) {
    const name = def.values[value];
    // BASE_NONE with value names (checksum status): tshark shows the name alone.
    if (def.base === 'none' && name !== undefined) return name;
    const raw = formatIntegerForTree(def, value);
    if (name === undefined) return def.specialValues ? raw + (def.unit ?? '') : `Unknown (${raw})`;
    return `${name} (${raw})`;
  }
  if (typeof value === 'number' || typeof value === 'bigint') {
    if (def.type === 'ipv4') return formatIPv4(value as number);
    if (def.type === 'reltime') return `${formatRelTime(value as number)} seconds`;
    if (def.type === 'float' || def.type === 'double') return String(value) + (def.unit ?? '');
    return formatIntegerForTree(def, value) + (def.unit ?? '');
  }
  return formatFieldValue(def, value);
}

function formatIntegerForTree(def: FieldDef, value: number | bigint): string {
  switch (def.base ?? 'dec') {
    case 'hex': return hexPadded(value, def, true);
    case 'dec_hex': return `${value} (${hexPadded(value, def, true)})`;
    case 'hex_dec': return `${hexPadded(value, def, true)} (${value})`;
    case 'oct': return '0' + value.toString(8);
    default: return String(value);
  }
}

/** The line the tree shows for a node: its own text, or `Label: value`. */
export function formatNodeText(node: FieldNode): string {
  const full = fullLine(node);
  // The limit is in bytes of UTF-8 (a line of Hebrew text reaches it at ~120 characters).
  const line = full.line.length * 3 > ITEM_LABEL_MAX ? truncatedLabel(full.line, full.namePos) : full.line;
  return node.generated ? `[${line}]` : line;
}

/** A node's line before Wireshark's buffer limit, and where the field's name ends in it. */
function fullLine(node: FieldNode): { line: string; namePos: number } {
  const def = node.field;
  // A line of the dissector's own making, like Wireshark's *_format items: no name to keep.
  if (node.text !== undefined) return { line: node.text, namePos: 0 };
  if (def.type === 'protocol' || def.type === 'none') return { line: def.label, namePos: 0 };
  const name = `${maskPrefix(node)}${def.label}`;
  return { line: `${name}: ${formatDisplayValue(def, node.value)}`, namePos: name.length };
}

/**
 * The node's line after proto_item_append_text(item, suffix): the suffix goes in while
 * Wireshark's label buffer has room and is cut silently where it ends (after a label marked
 * " [truncated]", one byte is left: a suffix's first character).
 */
export function appendedLabel(node: FieldNode, suffix: string): string {
  const { line, namePos } = fullLine(node);
  return cutUtf8(truncatedLabel(line, namePos) + suffix, ITEM_LABEL_MAX);
}

/** Wireshark's item labels hold 239 bytes (ITEM_LABEL_LENGTH 240 with the NUL). */
export const ITEM_LABEL_MAX = 239;

/**
 * A label too long for Wireshark's buffer as its tree shows it (proto.c label_mark_truncated):
 * " [truncated]" goes in after the field's name ("Request URI [truncated]: /b?P=…"), or in
 * front of a text item's line (" [truncated]GET /b?…", leading space and all), and the label is
 * cut to 238 bytes of UTF-8, on a character boundary. A label that fits (in bytes) is returned
 * as it is.
 */
export function truncatedLabel(label: string, namePos: number): string {
  if (cutUtf8(label, ITEM_LABEL_MAX).length === label.length) return label;
  return cutUtf8(`${label.slice(0, namePos)} [truncated]${label.slice(namePos)}`, ITEM_LABEL_MAX - 1);
}

// Expert info as tshark -V prints it under the item it was added to (expert_add_info):
//     [Expert Info (Note/Sequence): Duplicate ACK (#1)]
//         [Duplicate ACK (#1)]
//         [Severity level: Note]
//         [Group: Sequence]
// When the item is the expert's own field (a TCP analysis flag: "[This frame is a (suspected)
// retransmission]"), the Expert Info line stands where the item was and the item is its first
// child. The CLI's -V text and the desktop's detail tree both draw it so.

/** The Expert Info item's label, without the brackets of a generated item. */
export function expertLabel(e: ExpertNote): string {
  const label = `Expert Info (${SEVERITY_NAMES[e.severity]}/${GROUP_NAMES[e.group] ?? e.group}): ${e.message}`;
  // A long label (a long HTTP request line's chat note) is cut and marked like any item's:
  // "[ [truncated]Expert Info (…".
  return label.length * 3 > ITEM_LABEL_MAX ? truncatedLabel(label, 0) : label;
}

/** The Expert Info item's children: its message (the node itself for an own note), severity, group. */
export function expertDetails(e: ExpertNote): [message: string, severity: string, group: string] {
  return [`[${e.message}]`, `[Severity level: ${SEVERITY_NAMES[e.severity]}]`, `[Group: ${GROUP_NAMES[e.group] ?? e.group}]`];
}

/** The longest prefix of `s` whose UTF-8 form has at most `max` bytes. */
export function cutUtf8(s: string, max: number): string {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const size = c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xdc00 ? 4 : 3;
    if (n + size > max) return s.slice(0, i);
    n += size;
    if (size === 4) i++;
  }
  return s;
}

/**
 * tshark's bit picture before a field that has a bitmask ("000. .... .... .... = Priority: ..."),
 * drawn over the node's bytes (1-4). The value is stored shifted down (a boolean: set or not),
 * so the raw bits are rebuilt from the mask.
 */
function maskPrefix(node: FieldNode): string {
  const mask = node.field.mask;
  if (!mask || node.generated || node.length < 1 || node.length > 4) return '';
  let raw: number;
  if (typeof node.value === 'boolean') raw = node.value ? mask : 0;
  else if (typeof node.value === 'number') {
    let unit = 1;
    while (unit <= mask && Math.floor(mask / unit) % 2 === 0) unit *= 2;
    raw = node.value * unit;
  } else return '';
  return `${bitPicture(raw, mask, node.length * 8)} = `;
}

/**
 * Pictures already drawn, by word width and mask, then by the masked value: a tree draws the
 * same few (TCP's flags, IP's) for every packet. Only masks of at most PICTURE_CACHE_BITS bits
 * are kept (a 20-bit flow label would make a million).
 */
const pictures = new Map<number, Map<number, Map<number, string> | null>>();
const PICTURE_CACHE_BITS = 8;

/** Wireshark's bit picture for a field inside a flags word: "0100 .... = Version: 4". */
export function bitPicture(value: number, mask: number, bits: number): string {
  if (bits > 32 || !Number.isInteger(value) || !Number.isInteger(mask) || value < 0 || mask < 0 || value > 0xffffffff || mask > 0xffffffff) return widePicture(value, mask, bits);
  const masked = (value & mask) >>> 0;
  let byMask = pictures.get(bits);
  if (!byMask) pictures.set(bits, (byMask = new Map()));
  let cache = byMask.get(mask);
  if (cache === undefined) byMask.set(mask, (cache = bitCount(mask) <= PICTURE_CACHE_BITS ? new Map() : null));
  const known = cache?.get(masked);
  if (known !== undefined) return known;
  let s = '';
  for (let i = bits - 1; i >= 0; i--) {
    s += ((mask >>> i) & 1) === 0 ? '.' : ((masked >>> i) & 1) === 1 ? '1' : '0';
    if (i % 4 === 0 && i !== 0) s += ' ';
  }
  cache?.set(masked, s);
  return s;
}

function bitCount(v: number): number {
  let n = 0;
  for (let x = v >>> 0; x !== 0; x >>>= 1) n += x & 1;
  return n;
}

/** bitPicture for words wider than 32 bits (or values outside one), bit by bit in floating point. */
function widePicture(value: number, mask: number, bits: number): string {
  let s = '';
  for (let i = bits - 1; i >= 0; i--) {
    const bit = 2 ** i;
    const on = Math.floor(value / bit) % 2 === 1;
    s += Math.floor(mask / bit) % 2 === 1 ? (on ? '1' : '0') : '.';
    if (i % 4 === 0 && i !== 0) s += ' ';
  }
  return s;
}

/** A 16-bit value as Wireshark's BASE_HEX shows it: "0x002f". */
export function hex4(v: number): string {
  return `0x${v.toString(16).padStart(4, '0')}`;
}

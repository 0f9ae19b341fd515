// Text renderings of one dissected packet, each matching a tshark output mode:
// the summary line (`tshark -n -r`), `-T tabs`, `-x` hex/ASCII, `-V` tree text, `-T json`.
import { calendarOf, expertDetails, expertLabel, formatDisplayValue, formatFieldValue, formatNodeText } from '../dissect/format.js';
import { nstimeDeltaNsec, nstimeDeltaSec, type AbsTime, type FieldNode } from '../dissect/tree.js';
import type { TimeColumnFormat } from './args.js';
import { ByteText } from './byte-text.js';

const SPACES = '                                                                ';

function padLeft(s: string, width: number): string {
  const n = width - s.length;
  return n <= 0 ? s : (n <= SPACES.length ? SPACES.slice(0, n) : ' '.repeat(n)) + s;
}

function padRight(s: string, width: number): string {
  const n = width - s.length;
  return n <= 0 ? s : s + (n <= SPACES.length ? SPACES.slice(0, n) : ' '.repeat(n));
}

const NS_DIV = [1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 1e2, 1e1, 1];

/**
 * `t - base` in seconds with `digits` decimals, truncated (not rounded) like Wireshark's
 * time column, which drops the digits beyond the capture's timestamp precision.
 */
export function formatRelative(t: AbsTime, base: AbsTime, digits: number): string {
  RELATIVE.reset();
  writeRelative(RELATIVE, t, base, digits);
  return RELATIVE.text();
}
const RELATIVE = new ByteText();

/** formatRelative's text written into `out` as bytes (the summary line's Time, no string made). */
export function writeRelative(out: ByteText, t: AbsTime, base: AbsTime, digits: number): void {
  // nstime_delta, then display_signed_time: the fraction cut to the precision (C division,
  // toward zero), '-' in front when it is negative and the seconds are not. An invalid fraction
  // (>= 10^9) wraps and prints as tshark prints it ("1.1147483649").
  // No delta object: this runs for every summary line.
  const sec = nstimeDeltaSec(t, base), nsec = nstimeDeltaNsec(t, base);
  if (digits <= 0) {
    out.num(sec);
    return;
  }
  const frac = Math.trunc(nsec / NS_DIV[digits]!);
  if (frac < 0 && sec >= 0) out.str('-');
  out.num(sec);
  out.str('.');
  out.zeroPadded(Math.abs(frac), digits);
}

/** The time a relative Time column (-t r, d, dd) counts from; null for the other formats. */
export function relativeBase(fmt: TimeColumnFormat, ts: AbsTime, first: AbsTime, prev: AbsTime | undefined, prevShown: AbsTime | undefined): AbsTime | null {
  switch (fmt) {
    case 'r': return first;
    case 'd': return prev ?? ts;
    case 'dd': return prevShown ?? ts;
    default: return null;
  }
}

/**
 * The Time column as `tshark -t FMT` prints it, with `digits` decimals (the capture's
 * precision): `first` is the capture's first packet, `prev` the previous packet read and
 * `prevShown` the previous one printed (undefined for the first: a delta of 0). a/ad/adoy are
 * local time, u/ud/udoy UTC.
 */
export function timeColumn(fmt: TimeColumnFormat, ts: AbsTime, first: AbsTime, prev: AbsTime | undefined, prevShown: AbsTime | undefined, digits: number): string {
  const base = relativeBase(fmt, ts, first, prev, prevShown);
  if (base) return formatRelative(ts, base, digits);
  // The record's own seconds and fraction, not normalised (an invalid fraction prints as is).
  if (fmt === 'e') return `${fractionSign(ts, digits)}${ts.sec}${fractionText(ts.nsec, digits)}`;
  return absoluteTime(ts, digits, fmt[0] === 'a', fmt.endsWith('doy') ? 'doy' : fmt.length === 2 ? 'date' : 'none');
}

/**
 * A time of day as Wireshark shows absolute times: `date` adds YYYY-MM-DD, `doy` YYYY/DOY
 * (day of the year, 3 digits) in front; local time or UTC.
 */
export function absoluteTime(ts: AbsTime, digits: number, local: boolean, date: 'none' | 'date' | 'doy'): string {
  const c = calendarOf(ts.sec, local);
  const day = date === 'date' ? `${c.year}-${pad2(c.month)}-${pad2(c.day)} `
    : date === 'doy' ? `${c.year}/${String(dayOfYear(c.year, c.month, c.day)).padStart(3, '0')} ` : '';
  return `${day}${pad2(c.hour)}:${pad2(c.minute)}:${pad2(c.second)}${fractionText(ts.nsec, digits)}`;
}

/** "-" before seconds that are not negative when the fraction is (display_signed_time). */
function fractionSign(ts: AbsTime, digits: number): string {
  return digits > 0 && Math.trunc(ts.nsec / NS_DIV[digits]!) < 0 && ts.sec >= 0 ? '-' : '';
}

/** ".fraction" cut to `digits` as C's %0*d prints it (a negative one keeps its sign); none for 0 digits. */
function fractionText(nsec: number, digits: number): string {
  if (digits <= 0) return '';
  const frac = Math.trunc(nsec / NS_DIV[digits]!);
  return frac < 0 ? `.-${String(-frac).padStart(digits - 1, '0')}` : `.${String(frac).padStart(digits, '0')}`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

const DAYS_BEFORE_MONTH = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

/** 1 for January 1st. */
function dayOfYear(year: number, month: number, day: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return DAYS_BEFORE_MONTH[month - 1]! + day + (leap && month > 2 ? 1 : 0);
}

/** Decimal digits of a timestamp resolution (1e6 -> 6, 1e9 -> 9, 2^10 -> 4). */
export function precisionDigits(unitsPerSecond: number): number {
  if (!(unitsPerSecond > 1)) return 0;
  return Math.min(9, Math.ceil(Math.log10(unitsPerSecond) - 1e-9));
}

export interface SummaryColumns {
  no: number;
  time: string;
  src: string;
  dst: string;
  protocol: string;
  length: number;
  info: string;
}

/**
 * One line as `tshark -n -r FILE` prints it (tshark.c print_columns): No. right-aligned in 5,
 * Time right-aligned in 10, Source right-aligned in 12, " → ", Destination left-aligned in 12,
 * then Protocol, Length and Info separated by single spaces.
 */
export function summaryLine(c: SummaryColumns): string {
  return `${padLeft(String(c.no), 5)} ${padLeft(c.time, 10)} ${padLeft(c.src, 12)} \u2192 ${padRight(c.dst, 12)} ${c.protocol} ${c.length} ${c.info}\n`;
}

/** The same columns separated by tabs (`tshark -T tabs`). */
export function summaryLineTabs(c: SummaryColumns): string {
  return `${padLeft(String(c.no), 5)}\t${padLeft(c.time, 10)}\t${padLeft(c.src, 12)}\t\u2192\t${padRight(c.dst, 12)}\t${c.protocol}\t${c.length}\t${c.info}\n`;
}

const HEX2: string[] = [];
for (let i = 0; i < 256; i++) HEX2.push((i < 16 ? '0' : '') + i.toString(16));
/** Each byte as tshark's dumps show it: printable ASCII as itself, anything else as '.'. */
export const ASCII: string[] = [];
for (let i = 0; i < 256; i++) ASCII.push(i >= 0x20 && i < 0x7f ? String.fromCharCode(i) : '.');

/**
 * `tshark -x`: 16 bytes a line, "OFFS  xx xx ...   ascii", offset in 4 hex digits (more for
 * buffers over 64 KiB, as Wireshark's print_hex_data_buffer does), followed by an empty line.
 */
export function hexDump(data: Uint8Array): string {
  const n = data.length;
  const digits = n > 0xffffff ? 8 : n > 0xfffff ? 6 : n > 0xffff ? 5 : 4;
  let out = '';
  for (let off = 0; off < n; off += 16) {
    const end = Math.min(n, off + 16);
    let hex = '';
    let asc = '';
    for (let i = off; i < end; i++) {
      const b = data[i]!;
      hex += i === off ? HEX2[b] : ' ' + HEX2[b];
      asc += ASCII[b];
    }
    out += off.toString(16).padStart(digits, '0') + '  ' + padRight(hex, 47) + '   ' + asc + '\n';
  }
  return out + '\n';
}

/**
 * `tshark -x` for a packet with more than one data source (reassembled, de-chunked or
 * uncompressed bytes): each source under its name and size ("Reassembled TCP (7150 bytes):"),
 * the frame first, then one empty line.
 */
export function hexDumpSources(sources: ReadonlyArray<{ name: string; bytes: Uint8Array }>): string {
  return sources.map((s) => `${s.name} (${s.bytes.length} bytes):\n${hexDump(s.bytes).slice(0, -1)}`).join('') + '\n';
}

/** `tshark -V`: the tree, 4 spaces per level, hidden nodes left out, an empty line after. */
export function treeText(roots: readonly FieldNode[], sources: readonly Uint8Array[] = []): string {
  const lines: string[] = [];
  const indent = (depth: number) => ' '.repeat(depth * 4);
  /** nodes[from, to) at `depth`. */
  const visit = (nodes: readonly FieldNode[], depth: number, from = 0, to = nodes.length) => {
    for (let i = from; i < to; i++) {
      const node = nodes[i]!;
      if (node.hidden) continue;
      const e = node.expert;
      const kids = node.children ?? [];
      if (e?.own) {
        // The node is the expert item's own field: the Expert Info line takes its place.
        lines.push(indent(depth) + `[${expertLabel(e)}]`, indent(depth + 1) + formatNodeText(node));
        visit(kids, depth + 2);
        for (const l of expertDetails(e).slice(1)) lines.push(indent(depth + 1) + l);
        continue;
      }
      lines.push(indent(depth) + formatNodeText(node));
      // tshark -V (without -x) shows the bytes of a Data layer as a hex dump under its line
      // (print.c's print_hex_for_data): an empty line, then the dump at the left margin.
      const bytes = node.field.name === 'data' && node.length > 0 ? sources[node.source ?? 0]?.subarray(node.start, node.start + node.length) : undefined;
      if (bytes) lines.push('', hexDump(bytes).slice(0, -2));
      // The children added before the note, the note, then the rest.
      const at = e?.at ?? kids.length;
      visit(kids, depth + 1, 0, at);
      if (e) {
        lines.push(indent(depth + 1) + `[${expertLabel(e)}]`);
        for (const l of expertDetails(e)) lines.push(indent(depth + 2) + l);
      }
      visit(kids, depth + 1, at);
    }
  };
  visit(roots, 0);
  return lines.join('\n') + '\n\n';
}

/**
 * The JSON shape of `synscope read -T json` (documented in `read --help`):
 *   [ { "_source": { "layers": { "<proto>": NODE, ... } } }, ... ]
 * NODE = { "value": string (as -T fields prints it), "show": string (the tree line),
 *          "offset": number, "length": number, ["generated": true], ["hidden": true],
 *          ["fields": { "<field name>": NODE | NODE[] }] }
 * A name that occurs more than once among siblings maps to an array of NODEs.
 */
export interface JsonNode {
  value: string;
  show: string;
  offset: number;
  length: number;
  generated?: true;
  hidden?: true;
  fields?: Record<string, JsonNode | JsonNode[]>;
}

export function jsonNodes(nodes: readonly FieldNode[]): Record<string, JsonNode | JsonNode[]> {
  const out: Record<string, JsonNode | JsonNode[]> = {};
  for (const node of nodes) {
    const j: JsonNode = {
      value: node.fieldText ?? formatFieldValue(node.field, node.value),
      show: formatNodeText(node),
      offset: node.start,
      length: node.length,
    };
    if (node.generated) j.generated = true;
    if (node.hidden) j.hidden = true;
    if (node.children && node.children.length) j.fields = jsonNodes(node.children);
    const key = node.field.name;
    const prev = out[key];
    if (prev === undefined) out[key] = j;
    else if (Array.isArray(prev)) prev.push(j);
    else out[key] = [prev, j];
  }
  return out;
}

/** One packet's JSON object, indented like tshark's -T json (2 spaces, inside the array). */
export function jsonPacket(roots: readonly FieldNode[], first: boolean): string {
  const obj = { _source: { layers: jsonNodes(roots) } };
  const body = JSON.stringify(obj, null, 2).replace(/\n/g, '\n  ');
  return (first ? '[\n  ' : ',\n  ') + body;
}

/**
 * String values as tshark -T fields prints them (print.c's print_escaped_csv): only backspace,
 * form feed, newline, carriage return and tab are escaped (an HTTP header line shows as
 * `Host: x\r\n`); every other byte, control characters and backslash included, is written as
 * it is.
 */
export function escapeFieldText(s: string): string {
  if (!/[\x08\x0c\n\r\t]/.test(s)) return s;
  return s.replace(/[\x08\x0c\n\r\t]/g, (c) => FIELD_ESCAPES[c]!);
}
const FIELD_ESCAPES: Record<string, string> = { '\x08': '\\b', '\x0c': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export { formatDisplayValue };

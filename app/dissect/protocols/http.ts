// HTTP/1.x (RFC 9112) on the TCP ports tshark 4.0 registers by default (80 631 1900 2710 2869
// 3128 3132 3689 5985 8080 8088 11371), plus a TCP heuristic for a request or status line
// on any port, as Wireshark's http heuristic does, and SSDP (the same messages over UDP port
// 1900, Protocol "SSDP"). Field names and Info as tshark prints them:
//   request  "GET /index.html HTTP/1.1 "           (first line and a space)
//   response "HTTP/1.1 200 OK  (text/html)"        (the media dissector appends " (type)")
//   a segment that continues a message            "Continuation"
// A body, its Content-Encoding undone, goes by media type to the dissector registered for it
// (text-lines.ts, json.ts, urlencoded-form.ts, png.ts, image-gif.ts, image-jfif.ts, else
// media.ts, xml.ts), images also by their signature (the "http" heuristics). The Info/Protocol
// suffix is made here for the other types, including those whose dissectors SynScope does not
// have yet (SDP: see tshark-differences.md); an image dissector and XML add their own.
import { allFields, defineFields, type FieldDef } from '../field.js';
import { callProtocol, defineProtocol, findDissector, HTTP_MESSAGE_SCRATCH, lookup, lookupMediaType, MEDIA_PARAMETERS_SCRATCH, MEDIA_TYPE_DEFAULT, MEDIA_TYPE_SCRATCH, register, registerDissector, registerHeuristic, SWALLOWED, TCP_STREAM_SCRATCH, tryHeuristics, WEBSOCKET_EXTENSIONS_SCRATCH, type HttpMessage, type Protocol } from '../dispatch.js';
import { dataProtocol } from './data.js';
import { addrIdOf, endpoint, EndpointIds } from '../endpoint-ids.js';
import { canDesegment, DESEGMENT_ONE_MORE_SEGMENT, DESEGMENT_UNTIL_FIN, endOfStream, fencedInfo, pendingRequest, requestDesegment } from '../desegment.js';
import { cString, FORGET_QUIET_AFTER_S, forgetFramesBefore, pickForgotten, type CaptureState, type PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import { latin1, MalformedError, TruncatedError, Tvb } from '../tvb.js';
import { cutUtf8, formatTextUtf8, ITEM_LABEL_MAX, printableText } from '../format.js';
import { HTTP_STATUS } from '../http-status.js';
import { decodeContent } from '../content-coding.js';
import { decodeBase64Url } from '../base64.js';

/** packet-http.c's note on a CRLF before a message. */
const LEADING_CRLF = 'Leading CRLF previous message in the stream may have extra CRLF';

export const httpFields = defineFields([
  { name: 'http.request', label: 'Request', type: 'boolean' },
  { name: 'http.notification', label: 'Notification', type: 'boolean' },
  { name: 'http.proxy_connect_host', label: 'Proxy-Connect-Hostname', type: 'string' },
  { name: 'http.proxy_connect_port', label: 'Proxy-Connect-Port', type: 'uint16', base: 'dec' },
  { name: 'http.response', label: 'Response', type: 'boolean' },
  { name: 'http.request.method', label: 'Request Method', type: 'string' },
  { name: 'http.request.uri', label: 'Request URI', type: 'string' },
  { name: 'http.request.uri.path', label: 'Request URI Path', type: 'string' },
  { name: 'http.request.uri.query', label: 'Request URI Query', type: 'string' },
  { name: 'http.request.uri.query.parameter', label: 'Request URI Query Parameter', type: 'string' },
  { name: 'http.request.version', label: 'Request Version', type: 'string' },
  { name: 'http.request.full_uri', label: 'Full request URI', type: 'string' },
  { name: 'http.request.line', label: 'Request line', type: 'string' },
  { name: 'http.response.version', label: 'Response Version', type: 'string' },
  { name: 'http.response.code', label: 'Status Code', type: 'uint16', base: 'dec' },
  { name: 'http.response.code.desc', label: 'Status Code Description', type: 'string' },
  { name: 'http.response.phrase', label: 'Response Phrase', type: 'string' },
  { name: 'http.response.line', label: 'Response line', type: 'string' },
  { name: 'http.host', label: 'Host', type: 'string' },
  { name: 'http.user_agent', label: 'User-Agent', type: 'string' },
  { name: 'http.accept', label: 'Accept', type: 'string' },
  { name: 'http.accept_language', label: 'Accept-Language', type: 'string' },
  { name: 'http.accept_encoding', label: 'Accept Encoding', type: 'string' },
  { name: 'http.connection', label: 'Connection', type: 'string' },
  { name: 'http.cookie', label: 'Cookie', type: 'string' },
  { name: 'http.cookie_pair', label: 'Cookie pair', type: 'string' },
  { name: 'http.content_type', label: 'Content-Type', type: 'string' },
  { name: 'http.content_length_header', label: 'Content-Length', type: 'string' },
  { name: 'http.content_length', label: 'Content length', type: 'uint64', base: 'dec' },
  { name: 'http.content_encoding', label: 'Content-Encoding', type: 'string' },
  { name: 'http.transfer_encoding', label: 'Transfer-Encoding', type: 'string' },
  { name: 'http.server', label: 'Server', type: 'string' },
  { name: 'http.location', label: 'Location', type: 'string' },
  { name: 'http.referer', label: 'Referer', type: 'string' },
  { name: 'http.date', label: 'Date', type: 'string' },
  { name: 'http.last_modified', label: 'Last-Modified', type: 'string' },
  { name: 'http.set_cookie', label: 'Set-Cookie', type: 'string' },
  { name: 'http.cache_control', label: 'Cache-Control', type: 'string' },
  { name: 'http.upgrade', label: 'Upgrade', type: 'string' },
  { name: 'http.chunk_size', label: 'Chunk size', type: 'uint32', base: 'dec' },
  { name: 'http.chunk_data', label: 'Chunk data', type: 'bytes' },
  { name: 'http.chunk_boundary', label: 'Chunk boundary', type: 'bytes' },
  { name: 'http.request_number', label: 'Request number', type: 'uint32', base: 'dec' },
  { name: 'http.response_number', label: 'Response number', type: 'uint32', base: 'dec' },
  { name: 'http.request_in', label: 'Request in frame', type: 'framenum' },
  { name: 'http.response_in', label: 'Response in frame', type: 'framenum' },
  { name: 'http.prev_request_in', label: 'Prev request in frame', type: 'framenum' },
  { name: 'http.prev_response_in', label: 'Prev response in frame', type: 'framenum' },
  { name: 'http.response_for.uri', label: 'Request URI', type: 'string' },
  { name: 'http.time', label: 'Time since request', type: 'reltime' },
  { name: 'http.file_data', label: 'File Data', type: 'string' },
  { name: 'http.leading_crlf', label: LEADING_CRLF, type: 'none' },
] as const);

const F = httpFields;
/** How many messages of the frame have had their verdict so far (see dissectMessage). */
const MESSAGES_IN_FRAME_SCRATCH = 'http.messages_in_frame';

/**
 * Header name (lowercase) -> the field tshark files it under. A Map, not an object literal: a
 * header called "constructor" or "__proto__" must find nothing.
 */
const HEADER_FIELDS = new Map<string, (typeof F)[keyof typeof F]>([
  ['host', F['http.host']], ['user-agent', F['http.user_agent']], ['accept', F['http.accept']],
  ['accept-language', F['http.accept_language']], ['accept-encoding', F['http.accept_encoding']],
  ['connection', F['http.connection']], ['cookie', F['http.cookie']], ['content-type', F['http.content_type']],
  ['content-length', F['http.content_length_header']], ['content-encoding', F['http.content_encoding']],
  ['transfer-encoding', F['http.transfer_encoding']], ['server', F['http.server']], ['location', F['http.location']],
  ['referer', F['http.referer']], ['date', F['http.date']], ['last-modified', F['http.last_modified']],
  ['set-cookie', F['http.set_cookie']], ['cache-control', F['http.cache_control']], ['upgrade', F['http.upgrade']],
]);

/** Every field the header lines' loop makes nodes of (plainHeaderBlock is for when none is recorded). */
const HEADER_LINE_FIELDS = [
  F['http.request.line'], F['http.response.line'], ...HEADER_FIELDS.values(), F['http.content_length'], F['http.cookie_pair'],
];

/** The headers the message's dissection reads after its header lines (its body, its full URI, a 101's new protocol and extensions, h2c's settings). */
const HEADERS_READ = new Set(['host', 'content-type', 'content-length', 'content-encoding', 'transfer-encoding', 'upgrade', 'http2-settings', 'sec-websocket-extensions']);
/** 1 at the length of each HEADERS_READ name: other names are passed over without a string. */
const READ_NAME_LENGTH = new Uint8Array(32);
for (const name of HEADERS_READ) READ_NAME_LENGTH[name.length] = 1;

/**
 * The header block at `o` read on its bytes, for a dissection that records none of its lines:
 * where it ends (after the empty line) and the HEADERS_READ headers, with the values the line
 * loop gives them. Null, for the line loop to read the block, when a line is not plain — a byte
 * above 0x7f (shown as UTF-8), a NUL or a header name tshark refuses (expert notes) — or the
 * block's end was not captured. No string per line: about a quarter of the loop's time.
 */
function plainHeaderBlock(tvb: Tvb, o: number): { end: number; headers: Map<string, string> } | null {
  const b = tvb.bytes, base = tvb.start, length = tvb.length;
  const headers = new Map<string, string>();
  for (let p = o; ; ) {
    let lf = p, colon = -1, nameOk = true;
    for (; lf < length; lf++) {
      const c = b[base + lf]!;
      if (c === 0x0a) break;
      if (c === 0 || c >= 0x80) return null;
      if (colon >= 0) continue;
      if (c === 0x3a) colon = lf;
      else if (c < 0x21 || c === 0x7f || NOT_IN_HEADER_NAME[c] === 1) nameOk = false;
    }
    if (lf === length) return null;
    const eol = lf > p && b[base + lf - 1] === 0x0d ? lf - 1 : lf;
    if (eol === p) return { end: lf + 1, headers };
    // A line without a colon ends the block before itself (as headerLines); one with an empty
    // name has the loop's note.
    if (colon < 0) return { end: p, headers };
    if (colon === p) return null;
    // As the loop: a name is what precedes a colon that is not the line's first character.
    if (colon > p && colon < eol) {
      if (!nameOk) return null;
      const n = colon - p;
      if (READ_NAME_LENGTH[n] === 1) {
        const text = tvb.ascii(p, eol - p);
        const name = text.slice(0, n).toLowerCase();
        if (HEADERS_READ.has(name)) headers.set(name, text.slice(n + 1).trim());
      }
    }
    p = lf + 1;
  }
}

/**
 * The methods packet-http.c's is_http_request_or_reply knows (checked one by one against tshark
 * 4.0: not ACL, BIND, MKCALENDAR, PRI...), each also with RFC 2774's "M-" in front (M-SEARCH).
 */
const METHODS = new Set([
  'GET', 'PUT', 'COPY', 'HEAD', 'LOCK', 'MOVE', 'POLL', 'POST', 'BCOPY', 'BMOVE', 'MKCOL', 'TRACE', 'PATCH', 'LABEL',
  'MERGE', 'DELETE', 'SEARCH', 'UNLOCK', 'REPORT', 'UPDATE', 'NOTIFY', 'BDELETE', 'CONNECT', 'OPTIONS', 'CHECKIN',
  'PROPFIND', 'CHECKOUT', 'CCM_POST', 'SUBSCRIBE', 'PROPPATCH', 'BPROPFIND', 'BPROPPATCH', 'UNCHECKOUT', 'MKACTIVITY',
  'MKWORKSPACE', 'UNSUBSCRIBE', 'RPC_CONNECT', 'RPC_IN_DATA', 'RPC_OUT_DATA', 'VERSION-CONTROL', 'BASELINE-CONTROL',
]);

/**
 * GENA's methods (UPnP eventing), which packet-http.c calls notifications: http.notification
 * instead of http.request, and no place among the connection's requests ("HTTP request 1/2").
 */
const NOTIFICATIONS = new Set(['NOTIFY', 'SUBSCRIBE', 'UNSUBSCRIBE']);

/**
 * A request or status line, with where each part starts in the line. A request's parts are
 * split at single spaces ("GET  / HTTP/1.1" has an empty URI and the version "/ HTTP/1.1", as
 * tshark shows it); a status line's at runs of spaces. `code` is null when the status line has
 * no code of 3 characters or more; else the number its first three start with ("2x0" is 2).
 */
type FirstLine =
  | { kind: 'request'; method: string; uri: string; uriAt: number; version: string; versionAt: number; notification: boolean }
  | { kind: 'response'; version: string; code: number | null; codeAt: number; phrase: string; phraseAt: number };

/**
 * Parses a request or status line (without its line ending) as tshark 4.0 does: a line that
 * starts with "HTTP/" or "ICY" is a status line, one whose first word (up to a space) is a
 * method a request line; anything else is neither.
 */
export function parseFirstLine(line: string): FirstLine | null {
  if (line.startsWith('HTTP/') || line.startsWith('ICY')) {
    const versionEnd = spaceOrEnd(line, 0);
    const codeAt = skipSpaces(line, versionEnd);
    const codeEnd = spaceOrEnd(line, codeAt);
    if (codeEnd - codeAt < 3) return { kind: 'response', version: line.slice(0, versionEnd), code: null, codeAt, phrase: '', phraseAt: line.length };
    const digits = /^\d*/.exec(line.slice(codeAt, codeAt + 3))![0];
    const phraseAt = skipSpaces(line, codeEnd);
    return { kind: 'response', version: line.slice(0, versionEnd), code: Number(digits || '0'), codeAt, phrase: line.slice(phraseAt), phraseAt };
  }
  const methodEnd = spaceOrEnd(line, 0);
  const method = line.slice(0, methodEnd);
  const bare = method.startsWith('M-') ? method.slice(2) : method;
  if (!METHODS.has(bare)) return null;
  const uriAt = Math.min(methodEnd + 1, line.length);
  const uriEnd = spaceOrEnd(line, uriAt);
  const versionAt = Math.min(uriEnd + 1, line.length);
  return { kind: 'request', method, uri: line.slice(uriAt, uriEnd), uriAt, version: line.slice(versionAt), versionAt, notification: NOTIFICATIONS.has(bare) };
}

/** Where the word at `from` ends: the next space, or the end of the line. */
function spaceOrEnd(line: string, from: number): number {
  const sp = line.indexOf(' ', from);
  return sp < 0 ? line.length : sp;
}

function skipSpaces(line: string, from: number): number {
  while (from < line.length && line.charCodeAt(from) === 0x20) from++;
  return from;
}

/** No body follows the headers of a response with this code, whatever they say (RFC 9110 6.4.1): 1xx, 204, 304. */
function bodiless(code: number | null): boolean {
  return code !== null && ((code >= 100 && code < 200) || code === 204 || code === 304);
}

/**
 * Whether text[0, end) is a header name packet-http.c accepts: visible ASCII without its
 * separators. Measured against tshark 4.0: its set is RFC 9110's token characters but for the
 * apostrophe, plus the backslash.
 */
function isHeaderName(text: string, end: number): boolean {
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x21 || c >= 0x7f || NOT_IN_HEADER_NAME[c] === 1) return false;
  }
  return true;
}

/** 1 for the characters below 0x7f that are no header name's: `'"(),/;<=>?@[]{}`. */
const NOT_IN_HEADER_NAME = new Uint8Array(0x80);
for (const ch of `'"(),/;<=>?@[]{}`) NOT_IN_HEADER_NAME[ch.charCodeAt(0)] = 1;

/** g_ascii_isprint: a printable ASCII character (space to tilde). */
function isPrintable(c: number): boolean {
  return c >= 0x20 && c < 0x7f;
}

/** A line of text: its ASCII text without the line end, where the next line starts, where its end is. */
interface Line {
  text: string;
  next: number;
  eol: number;
}

/** Reads one line ending in LF (CRLF or bare LF) at `o`; returns null when no line end is captured. */
function lineAt(tvb: Tvb, o: number): Line | null {
  const lf = tvb.indexOf(0x0a, o);
  if (lf < 0) return null;
  const eol = lf > o && tvb.u8(lf - 1) === 0x0d ? lf - 1 : lf;
  return { text: tvb.ascii(o, eol - o), next: lf + 1, eol };
}

/** How a line's end is shown at the end of its label: "\\r\\n", or "\\n" for a bare LF. */
function lineEnding(l: Line): string {
  return l.next - l.eol === 2 ? '\\r\\n' : l.next > l.eol ? '\\n' : '';
}

/**
 * The line lineAt read at `o` as tshark shows it (UTF-8). Its ASCII text has a U+FFFD for each
 * byte above 0x7f: without one, the line is ASCII and reads the same either way.
 */
function shownText(tvb: Tvb, o: number, l: Line): string {
  return l.text.indexOf('\ufffd') < 0 ? l.text : tvb.utf8(o, l.eol - o);
}

/**
 * A line as its label (and Info) shows it: packet-http.c puts the raw bytes through format_text,
 * whose UTF-8 reading differs from a decoder's on invalid bytes (formatTextUtf8).
 */
function labelText(tvb: Tvb, o: number, l: Line): string {
  return l.text.indexOf('\ufffd') < 0 ? l.text : formatTextUtf8(tvb.slice(o, l.eol - o));
}

/** Whether the blank line ending the header block is in the tvb at or after `o` (lineAt's lines, read as bytes). */
function headerEnd(tvb: Tvb, o: number): boolean {
  for (let p = o; ; ) {
    const lf = tvb.indexOf(0x0a, p);
    if (lf < 0) return false;
    if (lf === p || (lf === p + 1 && tvb.u8(p) === 0x0d)) return true;
    p = lf + 1;
  }
}

/** Whether a chunked body starting at `o` ends (0-size chunk and its blank line) in the tvb. */
function chunkedComplete(tvb: Tvb, o: number): boolean {
  let p = o;
  for (;;) {
    const l = lineAt(tvb, p);
    if (!l) return false;
    const size = parseInt(l.text.split(';')[0]!.trim(), 16);
    if (!Number.isFinite(size)) return true; // not chunked after all: do not wait for it
    p = l.next;
    if (size === 0) return headerEnd(tvb, p);
    if (!tvb.has(p, size)) return false;
    p += size;
    const crlf = lineAt(tvb, p);
    if (!crlf) return false;
    p = crlf.next;
  }
}

/**
 * Bytes with no line end yet that start with a printable character: possibly the start of a
 * message still to come. packet-http.c looks at the first byte only (a binary one is never a
 * message), then req_resp_hdrs_do_reassembly asks for more until a line ends. A line ends at
 * an LF, or at a CR with something after it (tvb_find_line_end: a CR last may yet be a CRLF).
 */
function partialText(tvb: Tvb): boolean {
  if (tvb.length === 0 || !isPrintable(tvb.u8(0)) || tvb.indexOf(0x0a, 0) >= 0) return false;
  const cr = tvb.indexOf(0x0d, 0);
  return cr < 0 || cr === tvb.length - 1;
}

/**
 * A cheap necessary condition for parseFirstLine on the line at `o`: a request line starts with
 * a method word ([A-Z_-]+, at most 18 letters for the longest method with "M-") and a space or
 * the line's end, a status line with "HTTP/" or "ICY". Checked on the bytes so most payloads
 * (binary data, the body segments of a long response) are rejected without building a string.
 */
function mayStartFirstLine(tvb: Tvb, o = 0): boolean {
  const b = tvb.bytes, p = tvb.start + o, n = tvb.length - o;
  if (n >= 3 && b[p] === 0x49 && b[p + 1] === 0x43 && b[p + 2] === 0x59) return true;
  const end = Math.min(n, 19);
  let i = 0;
  for (; i < end; i++) {
    const c = b[p + i]!;
    if (!((c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x2d)) break;
  }
  if (i === 0) return false;
  // A word running to the end of the bytes may be a method whose line is still to come.
  if (i === n) return true;
  if (i === end) return false;
  const c = b[p + i]!;
  return c === 0x20 || c === 0x0d || c === 0x0a || (c === 0x2f && i === 4 && b[p] === 0x48 && b[p + 1] === 0x54 && b[p + 2] === 0x54 && b[p + 3] === 0x50);
}

/** The request or status line at `o` and what it says, or null when none is there. */
function firstLineAt(tvb: Tvb, o: number): { line: Line; fl: FirstLine } | null {
  if (!mayStartFirstLine(tvb, o)) return null;
  const line = lineAt(tvb, o);
  const fl = line ? parseFirstLine(line.text) : null;
  return fl ? { line: line!, fl } : null;
}

/** Whether the payload may start a request or response whose first line is not all there yet, or is. */
function looksLikeHttp(tvb: Tvb): boolean {
  const n = Math.min(tvb.length, 512);
  if (n < 8) return false;
  if (!mayStartFirstLine(tvb)) return false;
  let end = tvb.indexOf(0x0a, 0);
  if (end < 0 || end > n) end = n;
  let line = tvb.ascii(0, end);
  if (line.endsWith('\r')) line = line.slice(0, -1);
  return parseFirstLine(line) !== null;
}

/**
 * packet-http.c's heuristic over TCP (on a port no protocol claims) and over TLS: a whole first
 * line (up to a CR or LF) that is not 8 bytes long and ends with "HTTP/1.x" or starts with
 * "HTTP/1.", in any case. So "GET / HTTP/1.1" is HTTP on any port, but "GET /", "GET / HTTP/1.1 "
 * and HTTP/2's preface "PRI * HTTP/2.0" are not. What HTTP then makes of the payload is up to
 * dissectMessages: "get / HTTP/1.1" is no request, so it is taken and shown as nothing (TCP's).
 */
function heuristicTakes(tvb: Tvb): boolean {
  // The first CR or LF, searched natively (a payload on such a port is mostly binary, without either).
  const bytes = tvb.bytes.subarray(tvb.start, tvb.start + tvb.length);
  const lf = bytes.indexOf(0x0a), cr = bytes.indexOf(0x0d);
  const lineLen = cr < 0 ? lf : lf < 0 ? cr : Math.min(cr, lf);
  if (lineLen < 0 || lineLen === 8) return false;
  return startsHttp1(tvb, 0) || (lineLen > 8 && startsHttp1(tvb, lineLen - 8));
}

/** Whether tvb[o, o + 7) is "HTTP/1." in any case (on the bytes: most payloads are not). */
function startsHttp1(tvb: Tvb, o: number): boolean {
  if (o + 7 > tvb.length) return false;
  const b = tvb.bytes, p = tvb.start + o;
  return (b[p]! | 0x20) === 0x68 && (b[p + 1]! | 0x20) === 0x74 && (b[p + 2]! | 0x20) === 0x74 && (b[p + 3]! | 0x20) === 0x70 &&
    b[p + 4] === 0x2f && b[p + 5] === 0x31 && b[p + 6] === 0x2e;
}

/** A request, as the exchange it opened remembers it. */
interface Request {
  frame: number;
  sec: number;
  nsec: number;
  method: string;
  uri: string;
  fullUri: string;
}

/**
 * One of a connection's exchanges, numbered as packet-http.c numbers them (its http_req_res_t):
 * a request opens a new one; a response joins the newest one if that has no response yet, else
 * opens one of its own. Pipelined requests are therefore not paired in order: the first response
 * goes to the last request, as tshark pairs them.
 */
interface Exchange {
  number: number;
  request?: Request;
  /** The frame of its response. */
  response?: number;
}

/** What the first pass decided of a message: the exchange it opened or joined, or its full URI if it is a notification. */
interface Verdict {
  request?: Exchange;
  notification?: string;
  response?: Exchange;
  /** For a response: the connection's latest request before it (what HEAD and CONNECT are decided on). */
  lastRequest?: Request;
}

interface HttpConv {
  exchanges: Exchange[];
  /** The newest request (packet-http.c's conv_data->request_method and request_uri). */
  lastRequest?: Request;
  sawResponse: boolean;
  /**
   * Where the connection stopped carrying HTTP/1.x (packet-http.c's startframe, startoffset and
   * next_handle): after a 101 Switching Protocols response, at HTTP/2's connection preface, or
   * after a 2xx to CONNECT (a proxy's tunnel). From there on its bytes go to `to` (HTTP/2 for
   * h2c, WebSocket, the tunnel's protocol), or are data.
   */
  switchTo?: {
    frame: number;
    offset: number;
    to: Protocol | null;
    /** The Sec-WebSocket-Extensions a 101 to WebSocket agreed. */
    extensions?: string;
    /** A CONNECT tunnel's target; its protocol, when no port claims it, is found on its first bytes. */
    tunnel?: { host: string; port: number };
  };
  /** Per message, what the first pass decided (made on the first, in a capture that revisits frames). */
  verdicts: Map<string, Verdict> | null;
  /** Last frame and its whole second that touched the conversation (for forgetting it). */
  lastFrame: number;
  lastSec: number;
}

interface HttpState {
  /**
   * Off TCP (SSDP over UDP), or with no tracker to number TCP's connections: by the unordered
   * pair of endpoints (ids.pair), a number, not a string built per packet.
   */
  conversations: Map<number, HttpConv>;
  /**
   * Over TCP: by connection (tcp.stream, TCP_STREAM_SCRATCH), as tshark keeps HTTP's state per
   * conversation: a connection reusing a pair's ports numbers its requests from 1 again, and is
   * not the data of an earlier one's Upgrade.
   */
  overTcp: Map<number, HttpConv>;
  /**
   * Over TLS, by connection: the HTTP inside a connection's TLS is a conversation of its own,
   * apart from any HTTP in the clear before it (a proxy's CONNECT whose tunnel carries it).
   */
  overTls: Map<number, HttpConv>;
  ids: EndpointIds;
  /** Conversations forgotten since the ids were last pruned. */
  dead: number;
  /** Newest second seen: "now" for the forgetting. */
  latest: number;
}

function httpState(capture: CaptureState): HttpState {
  return capture.get('http.conversations', newHttpState);
}

function newHttpState(capture: CaptureState): HttpState {
  const st: HttpState = { conversations: new Map(), overTcp: new Map(), overTls: new Map(), ids: new EndpointIds(), dead: 0, latest: -Infinity };
  // A live ring evicted the frames before `first`: conversations none of whose frames is left
  // and quiet FORGET_QUIET_AFTER_S go (their request lists with them; see pickForgotten).
  capture.onForget((first) => {
    for (const map of [st.overTcp, st.overTls]) {
      for (const [k] of pickForgotten(map, first, st.latest, ([, c]) => c.lastFrame, ([, c]) => c.lastSec, () => FORGET_QUIET_AFTER_S)) map.delete(k);
    }
    for (const [k] of pickForgotten(st.conversations, first, st.latest, ([, c]) => c.lastFrame, ([, c]) => c.lastSec, () => FORGET_QUIET_AFTER_S)) {
      st.conversations.delete(k);
      st.dead++;
    }
    // Their pairs go too once they are many (a pair seen again gets a new id, as good as the old).
    if (st.dead > 1024 && st.dead > st.conversations.size) {
      st.ids.retain((id) => st.conversations.has(id));
      st.dead = 0;
    }
  });
  return st;
}

function rejectedState(capture: CaptureState): Map<number, boolean> {
  return capture.get('http.rejected', newRejectedState);
}

function newRejectedState(capture: CaptureState): Map<number, boolean> {
  const m = new Map<number, boolean>();
  capture.onForget((first) => forgetFramesBefore(m, first, (f) => f));
  return m;
}

function conversation(ctx: PacketContext): HttpConv {
  const e = ctx.endpoints;
  const st = httpState(ctx.capture);
  const stream = ctx.scratch[TCP_STREAM_SCRATCH];
  const map = typeof stream === 'number' ? (ctx.layers.includes('tls') ? st.overTls : st.overTcp) : st.conversations;
  const key = typeof stream === 'number' ? stream : e.netSrc && e.netDst
    ? st.ids.pairOf(e.netSrc, e.srcPort ?? 0, e.netDst, e.dstPort ?? 0)
    : st.ids.pair(endpoint(addrIdOf(st.ids, e.netSrc, e.src), e.srcPort ?? 0), endpoint(addrIdOf(st.ids, e.netDst, e.dst), e.dstPort ?? 0));
  const f = ctx.frame;
  let c = map.get(key);
  if (!c) map.set(key, (c = { exchanges: [], lastRequest: undefined, sawResponse: false, switchTo: undefined, verdicts: null, lastFrame: 0, lastSec: 0 }));
  if (f.number > c.lastFrame) {
    c.lastFrame = f.number;
    c.lastSec = f.ts.sec;
  }
  if (f.ts.sec > st.latest) st.latest = f.ts.sec;
  return c;
}

/** The types tshark 4.0's JSON dissector takes (checked one by one: not ld+json, geo+json, text/json, x-json). */
const JSON_MEDIA = new Set(['application/json', 'application/json-rpc', 'application/jsonrequest', 'application/dds-web+json', 'application/vnd.oma.lwm2m+json', 'application/problem+json']);

/** The media dissectors that may turn a body down (its signature is not theirs): the image ones. */
const IMAGE_DISSECTORS = new Set(['png', 'image-gif', 'image-jfif']);

/** The suffix a media dissector adds to Info and the protocol it adds to the column, by type. */
function mediaSuffix(mt: string, xmlText: boolean): { info: string; protocol?: string } {
  if (JSON_MEDIA.has(mt)) return { info: `, JavaScript Object Notation (${mt})`, protocol: 'HTTP/JSON' };
  // XML (xml.ts), and text that is really XML, add "/XML" to the column themselves and nothing to
  // Info; gRPC-Web sets the column and Info itself.
  const id = lookupMediaType(mt)?.id;
  if (id === 'xml' || id === 'grpc' || xmlText) return { info: '' };
  // The data, multipart and SDP dissectors add nothing to Info.
  if (mt === 'application/octet-stream' || mt.startsWith('multipart/')) return { info: '' };
  if (mt === 'application/sdp') return { info: '', protocol: 'HTTP/SDP' };
  return { info: ` (${mt})` };
}

/** Text that the line-based dissector hands to XML (packet-text-media.c): it starts with "<?xml". */
function isXmlText(mt: string, body: Uint8Array): boolean {
  return body.length > 38 && latin1(body.subarray(0, 5)).toLowerCase() === '<?xml' && lookupMediaType(mt)?.id === 'data-text-lines';
}

/**
 * A message body (de-chunked already: its own data source then) as tshark's HTTP shows it: a
 * Content-Encoding it can undo is undone into a data source of its own ("Content-encoded entity
 * body (gzip): 165 bytes -> 197 bytes"); then File Data, the Info suffix of the media type, and
 * the body handed to the dissector of its media type. A coding that cannot be undone leaves
 * the bytes as data under the content-encoded item, with tshark's warning, and nothing else.
 */
function dissectBody(ctx: PacketContext, node: FieldNode, headers: Map<string, string>, body: Tvb, bodyBytes: Uint8Array): void {
  let entity = body;
  let bytes = bodyBytes;
  const coding = (headers.get('content-encoding') ?? '').trim();
  if (coding !== '' && coding.toLowerCase() !== 'identity') {
    const decoded = decodeContent(coding.toLowerCase(), bodyBytes);
    const label = `Content-encoded entity body (${coding}): ${body.length} bytes`;
    if (!decoded) {
      const item = ctx.addText(node, body, 0, body.length, label);
      ctx.addExpert(item, 'warn', 'undecoded', 'Decompression failed');
      callProtocol(dataProtocol, body, ctx, item);
      return;
    }
    ctx.addText(node, body, 0, body.length, `${label} -> ${decoded.length} bytes`);
    entity = Tvb.of(decoded);
    bytes = decoded;
    ctx.nameSource(entity, 'Uncompressed entity body');
  }
  // ASCII as tshark reads it (ENC_ASCII): each byte above 0x7f is U+FFFD, in -T fields and for filters alike.
  if (ctx.wants(F['http.file_data'])) ctx.add(node, F['http.file_data'], entity, 0, bytes.length, entity.ascii(0, bytes.length), `File Data: ${bytes.length} bytes`);
  if (bytes.length === 0) return;
  const ct = headers.get('content-type');
  if (ct === undefined) {
    // No media type: an image by its signature, else data inside HTTP's tree.
    if (!byHeuristics(entity, ctx)) callProtocol(dataProtocol, entity, ctx, node);
    return;
  }
  const mediaType = ct.split(';')[0]!.trim().toLowerCase();
  const xmlText = isXmlText(mediaType, bytes);
  const m = mediaSuffix(mediaType, xmlText);
  // The media-type table: a dissector registered for the type (text lines, JSON, forms,
  // multipart, images, XML), else Media Type. The types tshark gives to dissectors SynScope
  // does not have yet (SDP) get no layer: mediaSuffix already set them apart by a protocol or
  // an Info of their own.
  let proto = lookupMediaType(mediaType);
  const unshown = proto?.id === 'media' && (m.protocol !== undefined || m.info !== ` (${mediaType})` || mediaType === 'message/http');
  // packet-http.c's order for the rest: an image dissector registered for the type; when it
  // turns the body down (a JPEG that is neither JFIF nor Exif served as image/jpg), a note and
  // the "http" heuristics, which a type nobody registered for gets straight away (a PNG served
  // as image/x-icon is dissected as PNG), as does a body without a type; then Media Type.
  if (proto && (IMAGE_DISSECTORS.has(proto.id) || (proto.id === 'media' && !unshown))) {
    if (IMAGE_DISSECTORS.has(proto.id)) {
      if (callProtocol(proto, entity, ctx, null)) return;
      ctx.addExpert(node, 'note', 'malformed', 'HTTP body subdissector failed, trying heuristic subdissector');
    }
    if (byHeuristics(entity, ctx)) return;
    proto = lookupMediaType(MEDIA_TYPE_DEFAULT);
  }
  ctx.info += m.info;
  if (m.protocol) ctx.protocol = m.protocol;
  if (mediaType === 'application/octet-stream') {
    callProtocol(dataProtocol, entity, ctx, null);
    return;
  }
  if (!proto) return;
  if (unshown) return;
  if (xmlText) {
    // The line-based dissector's layer stays in frame.protocols; its tree item is XML's.
    ctx.layers.push(proto.id);
    proto = findDissector('xml') ?? proto;
  }
  ctx.scratch[MEDIA_TYPE_SCRATCH] = mediaType;
  // What follows the type (a multipart's boundary), as packet-http.c's media_str.
  const semi = ct.indexOf(';');
  ctx.scratch[MEDIA_PARAMETERS_SCRATCH] = semi < 0 ? null : ct.slice(semi + 1);
  callProtocol(proto, entity, ctx, null);
}

/** Wireshark's "http" heuristics on a body: PNG, GIF and JFIF by their signatures. True when one took it. */
function byHeuristics(entity: Tvb, ctx: PacketContext): boolean {
  const heuristic = tryHeuristics('http', entity, ctx);
  return heuristic !== undefined && callProtocol(heuristic, entity, ctx, null) !== null;
}

function dissectHttp(tvb: Tvb, ctx: PacketContext, node: FieldNode): true | typeof SWALLOWED {
  // A payload HTTP does not take is, over TCP, taken and shown as nothing (TCP alone, as in tshark).
  return dissectMessages(tvb, ctx, node, 'HTTP') || SWALLOWED;
}

/** SSDP (UPnP discovery, UDP port 1900): HTTP messages in datagrams, as tshark's HTTP dissector shows them under this name. */
function dissectSsdp(tvb: Tvb, ctx: PacketContext, node: FieldNode): boolean {
  return dissectMessages(tvb, ctx, node, 'SSDP');
}

/** The messages of one payload; `protocol` is the Protocol column. False for a payload HTTP does not take (see rejects). */
function dissectMessages(tvb: Tvb, ctx: PacketContext, node: FieldNode, protocol: string): boolean {
  const conv = conversation(ctx);
  // HTTP/2 with prior knowledge (RFC 9113 3.3): the connection starts with its preface, and
  // is HTTP/2's from there (tshark: on HTTP's ports; its heuristic does not take the preface).
  if (conv.switchTo === undefined && startsWithPreface(tvb)) conv.switchTo = { frame: ctx.frame.number, offset: 0, to: findDissector('http2') ?? null };
  if (switchedAt(conv, ctx, 0)) {
    const sw = conv.switchTo!;
    // A tunnel's bytes keep an HTTP item naming the proxy's target; after an Upgrade, HTTP stays
    // in frame.protocols but adds no item of its own to the tree.
    if (sw.tunnel) {
      ctx.addGenerated(node, F['http.proxy_connect_host'], sw.tunnel.host);
      ctx.addGenerated(node, F['http.proxy_connect_port'], sw.tunnel.port);
    } else ctx.removeNode(null, node);
    handOn(tvb, 0, ctx, sw);
    return true;
  }
  if (rejects(tvb, ctx, conv)) return false;
  // Several messages may share a segment (pipelining): dissect each in turn, each under an item
  // of its own (packet-http.c adds one per message).
  let o = 0;
  while (o < tvb.length) {
    const item = o === 0 ? node : ctx.add(ctx.upperParent, node.field, tvb, o, tvb.length - o, null);
    const end = dissectMessage(tvb, ctx, item, o, conv, protocol);
    // A later message that waits for more bytes is shown when they are in (with the next segment).
    if (item !== node && (!item.children?.length || (end <= o && pendingRequest(ctx)?.offset === o))) ctx.removeNode(ctx.upperParent, item);
    if (end <= o) break;
    o = end;
    // What follows a 101 response in its segment is the new protocol's already.
    if (o < tvb.length && switchedAt(conv, ctx, o)) {
      handOn(tvb, o, ctx, conv.switchTo!);
      break;
    }
  }
  return true;
}

/** Whether the bytes at `o` of this frame come after the connection's switch to another protocol. */
function switchedAt(conv: HttpConv, ctx: PacketContext, o: number): boolean {
  const sw = conv.switchTo;
  return sw !== undefined && (ctx.frame.number > sw.frame || (ctx.frame.number === sw.frame && o >= sw.offset));
}

/** The client's first bytes in HTTP/2 (RFC 9113 3.4), whole: nothing shorter makes tshark switch. */
const HTTP2_PREFACE = 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n';

function startsWithPreface(tvb: Tvb): boolean {
  // "PR" first, on the bytes: most payloads that start with "P" are POSTs.
  return tvb.length >= HTTP2_PREFACE.length && tvb.u8(0) === 0x50 && tvb.u8(1) === 0x52 && tvb.ascii(0, HTTP2_PREFACE.length) === HTTP2_PREFACE;
}

/**
 * Hands tvb[o, end) to the protocol the connection switched to (data when there is none), with
 * the WebSocket extensions the upgrade agreed. Its requests for more bytes are the segment's:
 * their offset counts from the start of `tvb`.
 */
function handOn(tvb: Tvb, o: number, ctx: PacketContext, sw: NonNullable<HttpConv['switchTo']>): void {
  const rest = o === 0 ? tvb : tvb.sub(o);
  if (sw.tunnel && !sw.to) sw.to = tryHeuristics('tcp', rest, ctx) ?? null;
  if (!sw.to) {
    callProtocol(dataProtocol, rest, ctx, null);
    return;
  }
  ctx.scratch[WEBSOCKET_EXTENSIONS_SCRATCH] = sw.extensions;
  callProtocol(sw.to, rest, ctx, null);
  const asked = o === 0 ? null : pendingRequest(ctx);
  if (asked) requestDesegment(ctx, asked.offset + o, asked.length, asked.keepTree);
}

/**
 * A payload tshark's HTTP will not show: one that does not start a request or response in a
 * conversation that has carried no HTTP message yet (websocket frames, a bare RST with data on
 * port 80), and binary bytes (a first byte that is not printable) in one that has carried no
 * request yet (packet-http.c's have_seen_http); header lines without their first line are taken.
 * Decided on the first dissection of the frame and remembered, so random access agrees with the
 * first pass.
 */
function rejects(tvb: Tvb, ctx: PacketContext, c: HttpConv): boolean {
  const decided = rejectedState(ctx.capture);
  const known = decided.get(ctx.frame.number);
  if (known !== undefined) return known;
  // A conversation that carried a request takes anything; the first line is read only when it matters.
  const startsMessage = () => firstLineAt(tvb, 0) !== null || (tvb.indexOf(0x0a, 0) < 0 && (looksLikeHttp(tvb) || partialText(tvb)));
  // Header lines without their first line are shown, in any conversation (dissectMessage).
  // The first byte after a leading CRLF (packet-http.c passes over one) says text or binary.
  const binary = () => {
    const first = leadingCrlf(tvb, 0) ? 2 : 0;
    return tvb.length > first && !isPrintable(tvb.u8(first));
  };
  const reject = c.lastRequest === undefined && ((!c.sawResponse && !startsMessage() && !startsWithHeaderLine(tvb)) || binary());
  if (ctx.capture.revisits) decided.set(ctx.frame.number, reject);
  return reject;
}

/**
 * Dissects the message starting at `start`; returns where it ends, or -1 (continuation / more
 * needed). `protocol` is the Protocol column a message or a continuation sets.
 */
function dissectMessage(tvb: Tvb, ctx: PacketContext, node: FieldNode, from: number, conv: HttpConv, protocol: string): number {
  // A CRLF before the message (an extra line end after the previous one) is passed over, and
  // noted where the message is shown (packet-http.c: only with more than 3 bytes left).
  const crlf = leadingCrlf(tvb, from);
  const start = crlf ? from + 2 : from;
  const noteCrlf = () => {
    if (crlf) ctx.addExpert(ctx.add(node, F['http.leading_crlf'], tvb, from, 2, null), 'error', 'malformed', LEADING_CRLF);
  };
  const message = firstLineAt(tvb, start);
  if (!message) {
    // Headers of a message still to come: the first line itself is not complete yet.
    const rest = start === 0 ? tvb : tvb.sub(start);
    if (rest.indexOf(0x0a, 0) < 0 && canDesegment(ctx) && (looksLikeHttp(rest) || partialText(rest))) {
      requestDesegment(ctx, start, DESEGMENT_ONE_MORE_SEGMENT);
      return -1;
    }
    // packet-http.c's have_seen_http: the connection carried a request (for a payload's first
    // message a response will do, see rejects). Then the bytes are a continuation.
    const seenHttp = conv.lastRequest !== undefined || (from === 0 && conv.sawResponse);
    if (seenHttp || (from === 0 && !startsWithHeaderLine(rest))) {
      ctx.protocol = protocol;
      ctx.info = (from === 0 ? fencedInfo(ctx) : ctx.info) + 'Continuation';
      // Binary bytes after the CRLF go to data whole, CRLF and all, without the note.
      if (crlf && rest.length > 0 && !isPrintable(rest.u8(0))) {
        continuation(tvb.sub(from), ctx, node);
        return -1;
      }
      noteCrlf();
      continuation(rest, ctx, node);
      return -1;
    }
    // No HTTP yet: header lines (a message whose first line the capture lacks) are shown all
    // the same, the columns left as they are; a text line is data no tree shows (tshark calls
    // its data dissector without one); binary bytes are nothing.
    if (rest.length === 0 || !isPrintable(rest.u8(0))) return -1;
    if (!startsWithHeaderLine(rest)) {
      if (from > 0) ctx.layers.push(dataProtocol.id);
      return -1;
    }
    noteCrlf();
    continuation(rest, ctx, node);
    return -1;
  }
  const { line: first, fl } = message;
  // The first line goes into Info (replacing TCP's text) before anything waits for more: a
  // segment whose header block continues in the next one reads "GET / HTTP/1.1  [TCP segment
  // of a reassembled PDU]"; one without a whole first line keeps TCP's text in front.
  // (After a PDU that ended earlier in the segment, its Info stays in front: the fence.)
  ctx.protocol = protocol;
  if (from === 0) ctx.info = fencedInfo(ctx);
  // Shown as UTF-8, like the header lines (the fields read from it are ASCII: first.text).
  const firstShown = labelText(tvb, start, first);
  ctx.info += `${printableText(firstShown)} `;
  // Wait for the whole header block (Wireshark's http.desegment_headers).
  if (canDesegment(ctx) && !headerEnd(tvb, first.next)) {
    requestDesegment(ctx, start, DESEGMENT_ONE_MORE_SEGMENT);
    return -1;
  }
  const lineText = printableText(firstShown) + lineEnding(first);
  noteCrlf();
  const flNode = ctx.addText(node, tvb, start, first.next - start, lineText);
  // The note's message is the raw line cut to a label's 239 bytes, then escaped.
  ctx.addExpert(flNode, 'chat', 'sequence', first.next - start > ITEM_LABEL_MAX ? printableText(cutUtf8(`${firstShown}${first.next - first.eol === 2 ? '\r\n' : '\n'}`, ITEM_LABEL_MAX)) : lineText);
  if (fl.kind === 'request') {
    ctx.addHidden(node, fl.notification ? F['http.notification'] : F['http.request'], tvb, start, 0, true);
    ctx.add(flNode, F['http.request.method'], tvb, start, fl.method.length, fl.method);
    const o = start + fl.uriAt;
    const uriNode = ctx.add(flNode, F['http.request.uri'], tvb, o, fl.uri.length, fl.uri);
    const q = fl.uri.indexOf('?');
    // An empty query ("/z?") has no path and query items in tshark; an empty parameter ("a=1&&b=2") no item.
    if (q >= 0 && q + 1 < fl.uri.length && (ctx.tree || ctx.wants(F['http.request.uri.query']) || ctx.wants(F['http.request.uri.query.parameter']) || ctx.wants(F['http.request.uri.path']))) {
      // Under the URI as in tshark: its path, and its query (after the "?") with each parameter.
      ctx.add(uriNode, F['http.request.uri.path'], tvb, o, q, fl.uri.slice(0, q));
      const query = fl.uri.slice(q + 1);
      const queryNode = ctx.add(uriNode, F['http.request.uri.query'], tvb, o + q + 1, query.length, query);
      let p = o + q + 1;
      for (const param of query.split('&')) {
        if (param !== '') ctx.add(queryNode, F['http.request.uri.query.parameter'], tvb, p, param.length, param);
        p += param.length + 1;
      }
    }
    // A request line without a version (HTTP/0.9's "GET /") has an empty one in tshark's tree.
    ctx.add(flNode, F['http.request.version'], tvb, start + fl.versionAt, fl.version.length, fl.version);
  } else {
    ctx.addHidden(node, F['http.response'], tvb, start, 0, true);
    ctx.add(flNode, F['http.response.version'], tvb, start, fl.version.length, fl.version);
    if (fl.code !== null) {
      ctx.add(flNode, F['http.response.code'], tvb, start + fl.codeAt, 3, fl.code);
      ctx.addGenerated(flNode, F['http.response.code.desc'], HTTP_STATUS[fl.code] ?? `Unknown (${fl.code})`);
      if (fl.phrase) ctx.add(flNode, F['http.response.phrase'], tvb, start + fl.phraseAt, fl.phrase.length, fl.phrase);
    }
  }

  // Header lines up to the empty line: read on their bytes when nothing records them (plain
  // lines only), else line by line.
  // A notification's lines are no field's: a header tshark knows is its field, any other plain text.
  const lineField = fl.kind === 'response' ? F['http.response.line'] : fl.notification ? null : F['http.request.line'];
  const plain = ctx.recordsNone(HEADER_LINE_FIELDS) && ctx.recordsNone(http2SettingsFields()) ? plainHeaderBlock(tvb, first.next) : null;
  const block = plain ? null : headerLines(tvb, ctx, node, first.next, lineField, true);
  const headers = plain ? plain.headers : block!.headers;
  const cut = block?.cut ?? false;
  const o = plain ? plain.end : block!.end;

  // Read on the bytes, an HTTP2-Settings header still makes its decoded source (for -x).
  const h2Settings = plain?.headers.get('http2-settings');
  if (h2Settings !== undefined) http2SettingsHeader(ctx, node, h2Settings);

  // A body that continues in later segments: ask TCP for them before this message counts as a
  // request or response (it is dissected again, whole, when they are in).
  // A response to HEAD has no body, whatever its Content-Length says (RFC 9110 9.3.2).
  // A message's verdict is found again by its frame and its place among the frame's messages
  // (those whole enough to get one), in the order the frame's dissection meets them: a
  // reassembled PDU's messages, the segment's rest after it, several TLS records' all count on.
  const placeInFrame = ctx.capture.revisits ? (ctx.scratch[MESSAGES_IN_FRAME_SCRATCH] as number | undefined) ?? 0 : 0;
  const vkey = ctx.capture.revisits ? `${ctx.frame.number}/${placeInFrame}` : '';
  let v = ctx.capture.revisits ? conv.verdicts?.get(vkey) : undefined;
  // A response to HEAD has no body, nor does a 2xx to CONNECT (a tunnel follows it: RFC 9110 9.3.6).
  const answered = fl.kind === 'response' ? (v ? v.lastRequest : conv.lastRequest) : undefined;
  const tunnel = answered?.method === 'CONNECT' && fl.kind === 'response' && fl.code !== null && fl.code >= 200 && fl.code < 300;
  const toHead = answered?.method === 'HEAD' || tunnel;
  const more = toHead ? null : bodyStillComing(tvb, ctx, o, fl, headers);
  if (more !== null) {
    requestDesegment(ctx, start, more);
    return -1;
  }

  // The message's exchange (see Exchange), decided once, when the message is whole.
  // A pass that never revisits a frame keeps no verdicts (and builds no key for them).
  let switching = false;
  if (!v) {
    if (fl.kind === 'request') {
      const host = headers.get('host');
      // An absolute URI (a proxy's request) is its own full URI; any other ("/x", SSDP's "*") follows the host.
      // Over TLS (decrypted) the scheme is https, as tshark's.
      const scheme = ctx.layers.includes('tls') ? 'https' : 'http';
      // CONNECT's URI (the proxy's target, "host:port") is its full URI as it is.
      const fullUri = fl.method === 'CONNECT' ? fl.uri : host === undefined ? '' : /^[a-z][a-z0-9+.-]*:\/\//i.test(fl.uri) ? fl.uri : `${scheme}://${host}${fl.uri}`;
      if (fl.notification) {
        v = { notification: fullUri };
      } else {
        const request: Request = { frame: ctx.frame.number, sec: ctx.frame.ts.sec, nsec: ctx.frame.ts.nsec, method: fl.method, uri: fl.uri, fullUri };
        const ex: Exchange = { number: conv.exchanges.length + 1, request };
        conv.exchanges.push(ex);
        conv.lastRequest = request;
        v = { request: ex };
      }
    } else {
      let ex = conv.exchanges[conv.exchanges.length - 1];
      if (!ex || ex.response !== undefined) conv.exchanges.push((ex = { number: conv.exchanges.length + 1 }));
      ex.response = ctx.frame.number;
      conv.sawResponse = true;
      // 101 Switching Protocols: what follows belongs to the new protocol (RFC 9110 15.2.2).
      switching = (fl.code === 101 || tunnel) && conv.switchTo === undefined;
      v = { response: ex, lastRequest: conv.lastRequest };
    }
    if (ctx.capture.revisits) (conv.verdicts ??= new Map()).set(vkey, v);
  }
  if (ctx.capture.revisits) ctx.scratch[MESSAGES_IN_FRAME_SCRATCH] = placeInFrame + 1;
  // "HTTP request 2/5": out of the exchanges of the connection known now (all of them when a
  // frame is shown again after the first pass, as with tshark -2; those so far in one pass).
  const known = conv.exchanges.length;
  const ex = v.request ?? v.response;
  const prev = ex ? conv.exchanges[ex.number - 2] : undefined;
  if (v.notification) {
    ctx.addGenerated(node, F['http.request.full_uri'], v.notification);
  } else if (v.request) {
    const request = v.request.request!;
    if (request.fullUri) ctx.addGenerated(node, F['http.request.full_uri'], request.fullUri);
    ctx.addGenerated(node, F['http.request_number'], v.request.number, ctx.tree ? `HTTP request ${v.request.number}/${known}` : undefined);
    if (prev?.request) ctx.addGenerated(node, F['http.prev_request_in'], prev.request.frame);
    if (v.request.response !== undefined) ctx.addGenerated(node, F['http.response_in'], v.request.response);
  } else if (v.response) {
    // tshark's order: number, time since the request, the previous request and response, the request.
    const request = v.response.request;
    ctx.addGenerated(node, F['http.response_number'], v.response.number, ctx.tree ? `HTTP response ${v.response.number}/${known}` : undefined);
    if (request) ctx.addGenerated(node, F['http.time'], ctx.frame.ts.sec - request.sec + (ctx.frame.ts.nsec - request.nsec) / 1e9);
    if (prev?.request) ctx.addGenerated(node, F['http.prev_request_in'], prev.request.frame);
    if (prev?.response !== undefined) ctx.addGenerated(node, F['http.prev_response_in'], prev.response);
    if (request) ctx.addGenerated(node, F['http.request_in'], request.frame);
    // The URI is the connection's latest request's (packet-http.c's conv_data->full_uri), even
    // for a response that answered none. Without a Host header (HTTP/1.0) the request has no
    // full URI; its response names the request's URI.
    const uri = v.lastRequest ? v.lastRequest.fullUri || v.lastRequest.uri : '';
    if (uri) ctx.addGenerated(node, F['http.response_for.uri'], uri);
  }

  if (cut) throw new TruncatedError(tvb.abs(tvb.length));
  // The body: Content-Length bytes, or chunks, or (responses without either) the rest.
  let body: Uint8Array | null = null;
  const avail = tvb.length - o;
  let bodyEnd = o;
  const cl = headers.get('content-length');
  const te = (headers.get('transfer-encoding') ?? '').toLowerCase();
  if (toHead) {
    // No body: what follows the headers is the next message.
  } else if (te.includes('chunked')) {
    // tshark's tree: "HTTP chunked response" holding a "Data chunk (N octets)" per chunk (its
    // size line, data and CRLF), "End of chunked encoding" (the 0-size line) and the final CRLF.
    const parts: Uint8Array[] = [];
    const chunked = ctx.addText(node, tvb, o, 0, 'HTTP chunked response');
    let p = o;
    for (;;) {
      const l = lineAt(tvb, p);
      if (!l) break;
      const size = parseInt(l.text.split(';')[0]!.trim(), 16);
      if (!Number.isFinite(size)) break;
      const sizeText = `Chunk size: ${size} octet${size === 1 ? '' : 's'}`;
      if (size === 0) {
        const end = ctx.addText(chunked, tvb, p, l.next - p, 'End of chunked encoding');
        ctx.add(end, F['http.chunk_size'], tvb, p, l.next - p, size, sizeText);
        p = l.next;
        break;
      }
      if (!tvb.has(l.next, size)) break;
      const crlf = lineAt(tvb, l.next + size);
      const chunkEnd = crlf ? crlf.next : l.next + size;
      const chunk = ctx.addText(chunked, tvb, p, chunkEnd - p, `Data chunk (${size} octets)`);
      ctx.add(chunk, F['http.chunk_size'], tvb, p, l.next - p, size, sizeText);
      p = l.next;
      ctx.add(chunk, F['http.chunk_data'], tvb, p, size, tvb.slice(p, size));
      parts.push(tvb.slice(p, size));
      p += size;
      if (!crlf) break;
      ctx.add(chunk, F['http.chunk_boundary'], tvb, p, chunkEnd - p, tvb.slice(p, chunkEnd - p));
      p = chunkEnd;
    }
    bodyEnd = p;
    const crlfEnd = lineAt(tvb, p);
    if (crlfEnd && crlfEnd.text === '') {
      ctx.addText(chunked, tvb, p, crlfEnd.next - p, '\\r\\n');
      bodyEnd = crlfEnd.next;
    }
    ctx.setLength(chunked, bodyEnd - o);
    const total = parts.reduce((s, x) => s + x.length, 0);
    body = new Uint8Array(total);
    let q = 0;
    for (const x of parts) { body.set(x, q); q += x.length; }
  } else if (cl !== undefined && /^\d+$/.test(cl)) {
    const n = Math.min(Number(cl), avail);
    body = n > 0 ? tvb.slice(o, n) : null;
    bodyEnd = o + n;
  } else if (fl.kind === 'response' && !bodiless(fl.code)) {
    body = avail > 0 ? tvb.slice(o, avail) : null;
    bodyEnd = o + avail;
  }
  // A chunked body is handed on even when its chunks hold nothing: tshark shows "File Data: 0
  // bytes" (and an empty De-chunked entity body) for a response that is only the last chunk.
  if (body && (body.length > 0 || te.includes('chunked'))) {
    const chunkedBody = te.includes('chunked') ? Tvb.of(body) : null;
    if (chunkedBody) ctx.nameSource(chunkedBody, 'De-chunked entity body');
    ctx.scratch[HTTP_MESSAGE_SCRATCH] = { request: fl.kind === 'request', uri: fl.kind === 'request' ? fl.uri : answered?.uri ?? '', grpcEncoding: headers.get('grpc-encoding') ?? '' } satisfies HttpMessage;
    dissectBody(ctx, node, headers, chunkedBody ?? tvb.sub(o, body.length), body);
    ctx.scratch[HTTP_MESSAGE_SCRATCH] = undefined;
  }
  // A body the snaplen cut (TCP could not collect the rest of a truncated segment): shown as far
  // as it was captured, then the packet is marked, as tshark marks it.
  if (tvb.reportedLength > tvb.length && bodyEnd === tvb.length && bodyReportedEnd(tvb, o, cl, te, fl, toHead) > tvb.length) {
    throw new TruncatedError(tvb.abs(tvb.length));
  }
  if (switching && tunnel) {
    // A proxy's tunnel to the CONNECT request's "host:port": what that port's protocol makes of
    // the bytes, else the first TCP heuristic that takes them (TLS, mostly), else data.
    const target = /^(.*):(\d+)$/.exec(answered.uri);
    const port = target ? Number(target[2]) : 0;
    conv.switchTo = { frame: ctx.frame.number, offset: bodyEnd, to: lookup('tcp.port', port) ?? null, tunnel: { host: target ? target[1]! : answered.uri, port } };
  } else if (switching) {
    // To HTTP/2 for h2c (RFC 7540 3.2), to WebSocket (with the extensions agreed); any other is data.
    const upgrade = (headers.get('upgrade') ?? '').toLowerCase();
    const to = upgrade === 'h2c' ? findDissector('http2') : upgrade === 'websocket' ? findDissector('websocket') : undefined;
    conv.switchTo = { frame: ctx.frame.number, offset: bodyEnd, to: to ?? null, extensions: headers.get('sec-websocket-extensions') };
  }
  return bodyEnd;
}

/**
 * The header lines from `o` on (packet-http.c's line loop): a line with a colon is a header
 * (its field if tshark knows it, else the line; with `lineField`, the request's or response's
 * hidden line field too), the empty line ends the block and is shown, a line without a colon
 * ends it before itself. `sawLine`: a first line came before (a cut line is then malformed).
 * Returns where the block ended, the headers read (lower-case names) and whether the snaplen
 * cut it.
 */
function headerLines(tvb: Tvb, ctx: PacketContext, node: FieldNode, o: number, lineField: FieldDef | null, sawLine: boolean): { end: number; headers: Map<string, string>; cut: boolean } {
  const headers = new Map<string, string>();
  let cut = false;
  for (;;) {
    let l = lineAt(tvb, o);
    if (!l) {
      // Before any line of a message, the rest is a header only with a colon.
      if (o >= tvb.length || (!sawLine && tvb.indexOf(0x3a, o) < 0)) break;
      // The snaplen cut the header block: what is left is the start of a header line, shown
      // as it is; the message ends "HTTP truncated" once it is numbered (as in tshark).
      if (tvb.length < tvb.reportedLength) {
        ctx.addText(node, tvb, o, tvb.length - o, printableText(tvb.ascii(o, tvb.length - o)));
        cut = true;
        break;
      }
      // The rest without a line end is a line too: a header if it has a colon; else, after a
      // line of the message, packet-http.c reads past the end for its line end (malformed).
      if (tvb.indexOf(0x3a, o) < 0) throw new MalformedError('header line without its line end', tvb.abs(tvb.length));
      l = { text: tvb.ascii(o, tvb.length - o), eol: tvb.length, next: tvb.length };
    }
    if (l.text === '') {
      ctx.addText(node, tvb, o, l.next - o, lineEnding(l));
      o = l.next;
      break;
    }
    const text = l.text;
    const colon = text.indexOf(':');
    // A line without a colon is no header: the block ends before it (what follows is the body,
    // or another message).
    if (colon < 0) break;
    sawLine = true;
    // The name is everything before the colon, untrimmed: "Host : x" is no Host header for tshark.
    const name = colon > 0 ? text.slice(0, colon).toLowerCase() : '';
    // The field keeps the value's trailing blanks, as packet-http.c's does (only those after the
    // colon go); what is read from the value (lengths, codings, the host) is trimmed.
    const fieldValue = colon > 0 ? text.slice(colon + 1).replace(/^[ \t]+/, '') : '';
    const value = fieldValue.trim();
    // packet-http.c takes the fields' values as ASCII (l.text: a byte above 0x7f is U+FFFD, one
    // character per byte, so its offsets are the bytes') but shows the line, and builds the full
    // URI from the Host header, as UTF-8.
    const shownLine = shownText(tvb, o, l);
    const labelLine = shownLine === text ? text : labelText(tvb, o, l);
    // A header tshark knows is shown as its field, the line (kept for filters) hidden behind
    // it; any other header is shown as the line.
    const def = colon > 0 ? HEADER_FIELDS.get(name) : undefined;
    // What tshark derives from a header (Content length, cookie pairs) goes under its item.
    const hnode = def ? ctx.add(node, def, tvb, o, l.eol - o, fieldValue, ctx.wants(def) ? printableText(labelLine) + lineEnding(l) : undefined) : node;
    const lnode = lineField ? ctx.add(node, lineField, tvb, o, l.next - o, null) : def ? hnode : ctx.addText(node, tvb, o, l.next - o, printableText(labelLine) + lineEnding(l));
    if (lineField && !ctx.isPlaceholder(lnode)) {
      const raw = tvb.ascii(o, l.next - o);
      // Set after add(): what add() does to a string value (cString) is done here.
      lnode.value = cString(raw);
      ctx.setText(lnode, printableText(labelLine) + lineEnding(l));
      if (def) lnode.hidden = true;
    }
    if (name === 'http2-settings') http2SettingsHeader(ctx, lnode, value);
    // proto.c's detect_trailing_stray_characters: the line's value stops at a NUL (cString)
    // and the line goes on after it (at least its LF).
    if (text.includes('\0')) ctx.addExpert(lnode, 'warn', 'undecoded', 'Trailing stray characters');
    if (colon === 0 || !isHeaderName(text, colon)) ctx.addExpert(lnode, 'warn', 'protocol', 'Illegal characters found in header name');
    if (colon > 0) {
      headers.set(name, shownLine === text ? value : shownLine.slice(shownLine.indexOf(':') + 1).trim());
      if (name === 'content-length' && /^\d+$/.test(value)) {
        ctx.addGenerated(hnode, F['http.content_length'], Number(value));
      } else if (name === 'cookie' && (ctx.tree || ctx.wants(F['http.cookie_pair']))) {
        const valueStart = o + l.text.length - l.text.slice(colon + 1).trimStart().length;
        for (const pair of value.split(';')) ctx.add(hnode, F['http.cookie_pair'], tvb, valueStart, value.length, pair.trim());
      }
    }
    o = l.next;
  }
  return { end: o, headers, cut };
}

/**
 * Bytes that start no message: the header lines they begin with, if any (packet-http.c's line
 * loop reads them as it reads a message's), then the rest as the body: file data when it starts
 * as text, and Data. A binary first byte is Data alone.
 */
function continuation(rest: Tvb, ctx: PacketContext, node: FieldNode): void {
  // Text is read line by line first (and its body is file data); binary bytes are data only.
  const text = rest.length > 0 && isPrintable(rest.u8(0));
  const o = text ? headerLines(rest, ctx, node, 0, null, false).end : 0;
  if (o < rest.length) {
    const body = o === 0 ? rest : rest.sub(o);
    if (text && ctx.wants(F['http.file_data'])) ctx.add(node, F['http.file_data'], body, 0, body.length, body.ascii(0, body.length), `File Data: ${body.length} bytes`);
    callProtocol(dataProtocol, body, ctx, node);
  }
  // Data the snaplen cut: shown as far as it was captured, then the packet is marked (as
  // packet-http.c's data tvb, which runs to the reported end, makes it).
  if (rest.reportedLength > rest.length) throw new TruncatedError(rest.abs(rest.length));
}

/**
 * Whether the bytes begin with a whole line holding a colon (packet-http.c takes such a line for
 * a header), after a leading CRLF as dissectMessage passes it over.
 */
function startsWithHeaderLine(tvb: Tvb): boolean {
  const l = lineAt(tvb, leadingCrlf(tvb, 0) ? 2 : 0);
  return l !== null && l.text.includes(':');
}

/** Whether a CRLF (an extra line end after the previous message) comes first at `o`: packet-http.c passes it over when more than 3 bytes are left. */
function leadingCrlf(tvb: Tvb, o: number): boolean {
  return tvb.reportedLength - o > 3 && tvb.has(o, 2) && tvb.u8(o) === 0x0d && tvb.u8(o + 1) === 0x0a;
}

/**
 * An h2c upgrade request's HTTP2-Settings header (RFC 7540 3.2.1): the client's SETTINGS in
 * base64url, decoded into a source of its own ("Base64uri decoded") and shown under the line by
 * HTTP/2's dissector, as tshark shows them.
 */
function http2SettingsHeader(ctx: PacketContext, line: FieldNode, value: string): void {
  const settings = findDissector('http2.settings_header');
  const bytes = decodeBase64Url(value);
  if (!settings || bytes.length === 0) return;
  const decoded = Tvb.of(bytes);
  ctx.nameSource(decoded, 'Base64uri decoded');
  settings.dissect(decoded, ctx, line);
}

let settingsFields: FieldDef[] | null = null;
/** HTTP/2's SETTINGS fields, which an HTTP2-Settings header line holds (found once HTTP/2 has defined them). */
function http2SettingsFields(): readonly FieldDef[] {
  return (settingsFields ??= allFields().filter((f) => f.name.startsWith('http2.settings')));
}

/** Where a Content-Length or close-delimited body starting at `o` ends in the segment as sent (chunked and bodiless messages: `o`). */
function bodyReportedEnd(tvb: Tvb, o: number, cl: string | undefined, te: string, fl: FirstLine, toHead: boolean): number {
  if (toHead || te.includes('chunked')) return o;
  if (cl !== undefined && /^\d+$/.test(cl)) return Math.min(o + Number(cl), tvb.reportedLength);
  return fl.kind === 'response' && !bodiless(fl.code) ? tvb.reportedLength : o;
}

/**
 * How much more TCP must collect for the body after the headers ending at `o`, or null when the
 * message is whole here (or TCP cannot collect): chunks until the last one, Content-Length
 * bytes (Wireshark's http.desegment_body), or, for a response with neither, everything until
 * the server closes (RFC 9112 6.3 item 8; TCP calls again at the FIN with a reassembled tvb; a
 * response whose headers were reassembled asks again, for the rest until the FIN).
 */
function bodyStillComing(tvb: Tvb, ctx: PacketContext, o: number, fl: FirstLine, headers: Map<string, string>): number | null {
  if (!canDesegment(ctx)) return null;
  const cl = headers.get('content-length');
  if ((headers.get('transfer-encoding') ?? '').toLowerCase().includes('chunked')) return chunkedComplete(tvb, o) ? null : DESEGMENT_ONE_MORE_SEGMENT;
  if (cl !== undefined && /^\d+$/.test(cl)) return Number(cl) > tvb.reportedLength - o ? Number(cl) - (tvb.reportedLength - o) : null;
  // A body that runs until the server closes is whole when this segment carries the FIN.
  if (fl.kind === 'response' && !bodiless(fl.code)) return endOfStream(ctx) ? null : DESEGMENT_UNTIL_FIN;
  return null;
}

export const httpProtocol = defineProtocol('http', 'Hypertext Transfer Protocol', dissectHttp);
export const ssdpProtocol = defineProtocol('ssdp', 'Simple Service Discovery Protocol', dissectSsdp);
register('udp.port', 1900, ssdpProtocol);

for (const port of [80, 631, 1900, 2710, 2869, 3128, 3132, 3689, 5985, 8080, 8088, 11371]) register('tcp.port', port, httpProtocol);
registerHeuristic('tcp', httpProtocol, heuristicTakes);
// Decrypted TLS application data: by ALPN or port (by name), else by its look.
registerDissector(httpProtocol);
registerHeuristic('tls', httpProtocol, heuristicTakes);

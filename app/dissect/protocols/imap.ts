// IMAP (RFC 3501) on TCP port 143, as tshark 4.0's packet-imap.c shows it. A segment towards the
// server port is a request, one from it a response; each line is a "Line" item. A tagged line
// ("a001 LOGIN bob \"pw\"", "a001 OK done") gets the line without its end as Request/Response, the
// tag, the command (after "UID" for UID commands) or the response status and command, a folder
// for the commands that name one, LOGIN's user name and password, and the request/response
// matching by tag. An untagged line ("* 3 EXISTS") is a bare Line, except that a "* n FETCH (...)"
// with a literal "{N}" waits for all of it and hands the literal's N bytes to the Internet Message
// Format dissector (found by name, "imf"). Info is "Request: <first tagged line>" (or the first
// untagged one). After an "OK" to STARTTLS, and when one of a connection's first two payloads is
// not text (a capture that starts after STARTTLS), the connection is TLS.
//
// Each frame's effects on the connection (tag matching, STARTTLS, the TLS guess) are applied on
// its first dissection only, so a frame dissected again shows what the first pass knew then, and
// what later frames taught it (the response to a request), as Wireshark shows a visited frame.
import { defineFields } from '../field.js';
import { callProtocol, defineProtocol, findDissector, handOver, MATCH_PORT_SCRATCH, register, registerDissector } from '../dispatch.js';
import { DESEGMENT_ONE_MORE_SEGMENT, requestDesegment } from '../desegment.js';
import { conversationState } from '../conversation.js';
import { printableText } from '../format.js';
import { findLineEnd } from '../text-line.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import { MalformedError, type Tvb } from '../tvb.js';

const IMAP_PORT = 143;

export const imapFields = defineFields([
  { name: 'imap.isrequest', label: 'Request', type: 'boolean', description: 'TRUE if IMAP request, FALSE otherwise' },
  { name: 'imap.line', label: 'Line', type: 'string', description: 'A line of an IMAP message' },
  { name: 'imap.request', label: 'Request', type: 'string', description: 'Remainder of request line' },
  { name: 'imap.request_tag', label: 'Request Tag', type: 'string', description: 'First token of request line' },
  { name: 'imap.response', label: 'Response', type: 'string', description: 'Remainder of response line' },
  { name: 'imap.response_tag', label: 'Response Tag', type: 'string', description: 'First token of response line' },
  { name: 'imap.request.command', label: 'Request Command', type: 'string', description: 'Request command name' },
  { name: 'imap.response.command', label: 'Response Command', type: 'string', description: 'Response command name' },
  { name: 'imap.response.status', label: 'Response Status', type: 'string', description: 'Response status code' },
  { name: 'imap.tag', label: 'Tag', type: 'string', description: 'First token of line' },
  { name: 'imap.command', label: 'Command', type: 'string', description: 'Request or Response command name' },
  { name: 'imap.request.folder', label: 'Request Folder', type: 'string', description: 'Request command folder' },
  { name: 'imap.request.command.uid', label: 'Request isUID', type: 'boolean', description: 'Request command uid' },
  { name: 'imap.request.username', label: 'Request Username', type: 'string', description: 'Request command username' },
  { name: 'imap.request.password', label: 'Request Password', type: 'string', description: 'Request command password' },
  { name: 'imap.response_in', label: 'Response In', type: 'framenum', description: 'The response to this IMAP request is in this frame' },
  { name: 'imap.response_to', label: 'Request In', type: 'framenum', description: 'This is a response to the IMAP request in this frame' },
  { name: 'imap.time', label: 'Response Time', type: 'reltime', description: 'The time between the request and response' },
] as const);
const F = imapFields;

/** packet-imap.c's IMAP_HEUR_LEN: the bytes that must be printable for a payload to be taken for IMAP rather than TLS. */
const HEUR_LEN = 5;
/** How many of a connection's first payloads the TLS guess looks at (imap_state_t.ssl_heur_tries_left). */
const HEUR_TRIES = 2;
/** Untagged-line tokens looked at for FETCH (NUM_LOOKAHEAD_TOKENS). */
const LOOKAHEAD_TOKENS = 3;

/** A request and the last response with its tag (imap_request_info_t). */
interface RequestInfo {
  request: number;
  response: number;
  sec: number;
  nsec: number;
}

/** A connection's state (imap_state_t, and its part of imap_requests). */
interface ImapSession {
  sslRequested: boolean;
  heurTriesLeft: number;
  /** Frames from this one on are TLS (0: none). */
  tlsFrom: number;
  /** The frame the TLS guess was made on (0: none). */
  guessedTls: number;
  /** The newest frame dissected: an older or equal one is being dissected again and changes nothing. */
  newest: number;
  /** Requests by lower-case tag, in frame order. */
  requests: Map<string, RequestInfo[]>;
}

/** ENC_ASCII: bytes above 0x7f are not ASCII and show as U+FFFD. */
function ascii(tvb: Tvb, o: number, n: number): string {
  return tvb.ascii(o, n).replace(/[\x80-\xff]/g, '\ufffd');
}

/**
 * tvb_get_token_len: the token at `o` within `len` bytes ends at a space, CR or LF (or at the
 * end); the next one starts one byte after that end, whatever follows.
 */
function tokenAt(tvb: Tvb, o: number, len: number): { length: number; next: number } {
  const end = o + len;
  for (let p = o; p < end; p++) {
    const c = tvb.u8(p);
    if (c === 0x20 || c === 0x0d || c === 0x0a) return { length: p - o, next: p + 1 };
  }
  return { length: end - o, next: end };
}

/** strncmp(word, known, word.length) == 0 as packet-imap.c compares: a prefix of the known word matches. */
function prefixOf(word: string, known: string): boolean {
  return word.length <= known.length && known.startsWith(word);
}

const FOLDER_COMMANDS = ['select', 'examine', 'create', 'delete', 'rename', 'subscribe', 'unsubscribe', 'status', 'append', 'search'];

/** Whether the first HEUR_LEN bytes are printable ASCII (check_imap_heur); fewer bytes count as text. */
function looksLikeText(tvb: Tvb): boolean {
  if (tvb.length < HEUR_LEN) return true;
  for (let i = 0; i < HEUR_LEN; i++) {
    const c = tvb.u8(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/**
 * The payload is TLS. After STARTTLS the conversation's dissector is TLS and IMAP is no layer
 * of the frame; the frame the guess was made on keeps IMAP as the layer that called TLS.
 */
function handToTls(tvb: Tvb, ctx: PacketContext, node: FieldNode, fromImap = false): boolean {
  handOver('tls', tvb, ctx, node, fromImap);
  return true;
}

function dissectImap(tvb: Tvb, ctx: PacketContext, node: FieldNode): boolean {
  const s = conversationState<ImapSession>(ctx, 'imap.sessions', () => ({ sslRequested: false, heurTriesLeft: HEUR_TRIES, tlsFrom: 0, guessedTls: 0, newest: 0, requests: new Map() }));
  const frame = ctx.frame.number;
  const firstPass = frame > s.newest;
  if (firstPass) s.newest = frame;
  if (s.tlsFrom !== 0 && frame >= s.tlsFrom) return handToTls(tvb, ctx, node);
  if (frame === s.guessedTls) return handToTls(tvb, ctx, node, true);
  // The capture may start after STARTTLS: one of the first two payloads that is not text makes
  // the connection TLS from there on (ssl_starttls_post_ack).
  if (firstPass && s.heurTriesLeft > 0) {
    s.heurTriesLeft--;
    if (!looksLikeText(tvb)) {
      s.heurTriesLeft = 0;
      s.tlsFrom = frame + 1;
      s.guessedTls = frame;
      return handToTls(tvb, ctx, node, true);
    }
  }
  ctx.protocol = 'IMAP';
  const request = ctx.endpoints.dstPort === ctx.scratch[MATCH_PORT_SCRATCH];
  if (!findLineEnd(tvb, 0, true)) {
    // Not a whole line yet: TCP brings more, or (when it cannot) tshark shows nothing of IMAP.
    requestDesegment(ctx, 0, DESEGMENT_ONE_MORE_SEGMENT);
    ctx.removeNode(null, node);
    return true;
  }
  ctx.addHidden(node, F['imap.isrequest'], tvb, 0, 0, request);
  const st: LineState = { firstLine: true, tag: null, secondToken: null };
  let lastLength = 0;
  // From here on, waiting for more keeps the IMAP item (empty when nothing came before), as tshark adds it first.
  for (let o = 0; o < tvb.length;) {
    const line = findLineEnd(tvb, o, true);
    if (!line) {
      requestDesegment(ctx, o, DESEGMENT_ONE_MORE_SEGMENT, true);
      return true;
    }
    lastLength = line.length;
    let next = line.next;
    if (tvb.u8(o) === 0x2a) {
      const fetched = untaggedLine(tvb, ctx, node, o, next, st);
      if (fetched === null) {
        requestDesegment(ctx, o, DESEGMENT_ONE_MORE_SEGMENT, true);
        return true;
      }
      next = fetched;
    } else {
      taggedLine(tvb, ctx, node, o, line.length, next, request, s, st, firstPass);
    }
    o = next;
  }
  // Only untagged lines: Info shows the first bytes, as many as the last line is long.
  if (st.firstLine) ctx.info = `${request ? 'Request' : 'Response'}: ${printableText(ascii(tvb, 0, lastLength))}`;
  return true;
}

/** What packet-imap.c keeps from one line to the next of a segment. */
interface LineState {
  firstLine: boolean;
  /** The last tag seen, lower case (request_key.tag): a later line without one matches by it. */
  tag: string | null;
  /** The last second token, lower case (tokenbuf): an "OK" accepts STARTTLS. */
  secondToken: string | null;
}

/**
 * An untagged line: a bare Line item, unless it is a FETCH response with a parenthesised list,
 * which is shown once whole (its literal handed to IMF). Returns where the next line starts, or
 * null when more bytes are needed.
 */
function untaggedLine(tvb: Tvb, ctx: PacketContext, node: FieldNode, o: number, next: number, st: LineState): number | null {
  const tokens: Array<{ start: number; end: number }> = [];
  let pattern = o;
  do {
    const start = pattern + 1;
    pattern = -1;
    for (let p = start; p < next; p++) {
      const c = tvb.u8(p);
      if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a) {
        pattern = p;
        break;
      }
    }
    if (pattern > start) tokens.push({ start, end: pattern });
  } while (pattern !== -1 && tokens.length < LOOKAHEAD_TOKENS);
  if (tokens.length >= 2) {
    const fetch = tokens.find((t) => prefixOf(tvb.ascii(t.start, t.end - t.start).toUpperCase(), 'FETCH'));
    if (fetch) return fetchLine(tvb, ctx, node, fetch.end, o, next, st);
  }
  ctx.add(node, F['imap.line'], tvb, o, next - o, ascii(tvb, o, next - o));
  return next;
}

/**
 * dissect_imap_fetch: a FETCH response is complete when its "(" has a ")" after it, past the
 * literal "{N}" when there is one (that literal then goes to IMF and Info is left to it), or a
 * line end. Returns where the next line starts, or null when more is needed.
 */
function fetchLine(tvb: Tvb, ctx: PacketContext, node: FieldNode, from: number, o: number, next: number, st: LineState): number | null {
  const open = tvb.indexOf(0x28, from);
  if (open < 0) return null;
  const remaining = tvb.reportedLength - (open + 1);
  if (remaining <= 0) return null;
  const sizeStart = indexWithin(tvb, 0x7b, open, open + remaining);
  if (sizeStart < 0) {
    // No literal: whole once the list's line ends.
    const end = findLineEnd(tvb, open, true);
    if (!end) return null;
    ctx.add(node, F['imap.line'], tvb, o, end.next - o, ascii(tvb, o, end.next - o));
    return end.next;
  }
  const sizeEnd = indexWithin(tvb, 0x7d, sizeStart + 1, tvb.length);
  if (sizeEnd <= 0) return null;
  const digits = tvb.ascii(sizeStart + 1, sizeEnd - sizeStart - 1);
  if (!/^\d+$/.test(digits) || Number(digits) > 0xffffffff) return null;
  const size = Number(digits);
  // The ")" is looked for from "}" plus the size, not from the literal's end (two bytes before it).
  if (tvb.reportedLength - (sizeEnd + size) <= 0) return null;
  if (indexWithin(tvb, 0x29, sizeEnd + size, tvb.length) < 0) return null;
  ctx.add(node, F['imap.line'], tvb, o, next - o, ascii(tvb, o, next - o));
  st.firstLine = false;
  const imf = findDissector('imf');
  if (imf) callProtocol(imf, tvb.sub(next, size), ctx, null);
  return next + size;
}

/** tvb_find_guint8 in [from, end): the offset of `v`, or -1. */
function indexWithin(tvb: Tvb, v: number, from: number, end: number): number {
  const at = tvb.indexOf(v, from);
  return at >= 0 && at < end ? at : -1;
}

/** A tagged line (or one without the "*" of an untagged one): its items, and its effect on the session on the first pass. */
function taggedLine(tvb: Tvb, ctx: PacketContext, node: FieldNode, lineStart: number, lineLength: number, next: number, request: boolean, s: ImapSession, st: LineState, firstPass: boolean): void {
  if (st.firstLine) {
    ctx.info = `${request ? 'Request' : 'Response'}: ${printableText(ascii(tvb, lineStart, lineLength))}`;
    st.firstLine = false;
  }
  const item = ctx.add(node, F['imap.line'], tvb, lineStart, next - lineStart, ascii(tvb, lineStart, next - lineStart));
  if (lineLength !== 0) ctx.add(item, request ? F['imap.request'] : F['imap.response'], tvb, lineStart, lineLength, ascii(tvb, lineStart, lineLength));
  let o = lineStart, len = lineLength;
  const tag = tokenAt(tvb, o, len);
  if (tag.length !== 0) {
    const text = ascii(tvb, o, tag.length);
    st.tag = text.toLowerCase();
    ctx.add(item, request ? F['imap.request_tag'] : F['imap.response_tag'], tvb, o, tag.length, text);
    ctx.addHidden(item, F['imap.tag'], tvb, o, tag.length, text);
    len -= tag.next - o;
    o = tag.next;
  }
  const second = tokenAt(tvb, o, len);
  if (second.length !== 0) {
    const word = ascii(tvb, o, second.length).toLowerCase();
    st.secondToken = word;
    let command = '';
    let folder = { at: 0, length: 0, next: 0 };
    if (request && prefixOf(word, 'uid')) {
      // UID comes before the command it modifies.
      ctx.add(item, F['imap.request.command.uid'], tvb, o, second.length, true);
      const cmd = tokenAt(tvb, second.next, len - (second.next - o));
      if (cmd.length !== 0) {
        ctx.add(item, F['imap.request.command'], tvb, second.next, cmd.length, ascii(tvb, second.next, cmd.length));
        // tshark's hidden Command here is the "UID" token itself.
        ctx.addHidden(item, F['imap.command'], tvb, o, second.length, ascii(tvb, o, second.length));
        command = ascii(tvb, second.next, cmd.length).toLowerCase();
        const f = tokenAt(tvb, cmd.next, len - (cmd.next - o));
        folder = { at: cmd.next, length: f.length, next: f.next };
      }
    } else {
      ctx.add(item, request ? F['imap.request.command'] : F['imap.response.status'], tvb, o, second.length, ascii(tvb, o, second.length));
      if (request) {
        ctx.addHidden(item, F['imap.command'], tvb, o, second.length, ascii(tvb, o, second.length));
        command = word;
        const f = tokenAt(tvb, second.next, len - (second.next - o));
        folder = { at: second.next, length: f.length, next: f.next };
      }
    }
    if (command !== '') requestArguments(tvb, ctx, item, command, o, len, second.next, folder, s, firstPass);
    if (!request) {
      const cmd = tokenAt(tvb, second.next, len - (second.next - o));
      if (cmd.length > 0) {
        const text = ascii(tvb, second.next, cmd.length);
        ctx.add(item, F['imap.response.command'], tvb, second.next, cmd.length, text);
        ctx.addHidden(item, F['imap.command'], tvb, second.next, cmd.length, text);
      }
    }
    // The response to STARTTLS: an OK makes the connection TLS from the next frame on
    // (ssl_starttls_ack); any other ends the request.
    if (firstPass && s.sslRequested && !request) {
      if (st.secondToken !== null && prefixOf(st.secondToken, 'ok')) {
        s.tlsFrom = ctx.frame.number + 1;
        if (s.heurTriesLeft > 0) s.heurTriesLeft = 0;
      }
      s.sslRequested = false;
    }
  }
  if (st.tag !== null) matchRequest(ctx, item, s, st.tag, request, firstPass);
}

/** What a request's command says about its arguments: a folder, LOGIN's credentials, STARTTLS. */
function requestArguments(
  tvb: Tvb, ctx: PacketContext, item: FieldNode, command: string, o: number, len: number, commandNext: number,
  folder: { at: number; length: number; next: number }, s: ImapSession, firstPass: boolean,
): void {
  if (FOLDER_COMMANDS.some((c) => prefixOf(command, c))) {
    if (folder.length !== 0) ctx.add(item, F['imap.request.folder'], tvb, folder.at, folder.length, ascii(tvb, folder.at, folder.length));
  } else if (len > 0 && prefixOf(command, 'copy')) {
    // COPY's folder is its second argument.
    const f = tokenAt(tvb, folder.next, len - (folder.next - o));
    if (f.length !== 0) ctx.add(item, F['imap.request.folder'], tvb, folder.next, f.length, ascii(tvb, folder.next, f.length));
  } else if (prefixOf(command, 'starttls')) {
    if (firstPass) s.sslRequested = true;
  } else if (prefixOf(command, 'login')) {
    // The user name is the token after the second one (after "UID", that is the command itself).
    const user = tokenAt(tvb, commandNext, len - (commandNext - o));
    ctx.add(item, F['imap.request.username'], tvb, commandNext, user.length, ascii(tvb, commandNext, user.length));
    const pass = tokenAt(tvb, user.next, len - (user.next - o));
    // The password without its first and last characters (the quotes tshark expects); one
    // character long, tvb_get_string_enc's length is -1: the rest of the segment.
    const valueLength = pass.length - 2;
    if (valueLength < -1) throw new MalformedError('IMAP password token too short', tvb.abs(user.next));
    const value = ascii(tvb, user.next + 1, valueLength === -1 ? tvb.length - user.next - 1 : valueLength);
    ctx.add(item, F['imap.request.password'], tvb, user.next, pass.length, value);
  }
}

/** imap_match_request: requests and responses paired by tag; a request shows its response once one was seen, a response its request and the time since. */
function matchRequest(ctx: PacketContext, item: FieldNode, s: ImapSession, tag: string, request: boolean, firstPass: boolean): void {
  const frame = ctx.frame.number;
  let list = s.requests.get(tag);
  let info: RequestInfo | undefined;
  if (firstPass && request) {
    if (!list) s.requests.set(tag, (list = []));
    info = { request: frame, response: 0, sec: ctx.frame.ts.sec, nsec: ctx.frame.ts.nsec };
    if (list.length > 0 && list[list.length - 1]!.request === frame) list[list.length - 1] = info;
    else list.push(info);
  } else if (list) {
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i]!.request <= frame) {
        info = list[i];
        break;
      }
    }
    if (firstPass && info) info.response = frame;
  }
  if (!info) return;
  if (request) {
    if (info.response) ctx.addGenerated(item, F['imap.response_in'], info.response);
  } else if (info.request) {
    ctx.addGenerated(item, F['imap.response_to'], info.request);
    ctx.addGenerated(item, F['imap.time'], ctx.frame.ts.sec - info.sec + (ctx.frame.ts.nsec - info.nsec) / 1e9);
  }
}

export const imapProtocol = defineProtocol('imap', 'Internet Message Access Protocol', dissectImap);
registerDissector(imapProtocol);
register('tcp.port', IMAP_PORT, imapProtocol);

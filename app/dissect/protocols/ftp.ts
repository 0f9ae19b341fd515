// FTP (RFC 959) control connections on TCP port 21, and the data connections they announce
// (FTP-DATA), as tshark 4.0's packet-ftp.c shows them.
//   request   "Request: USER anonymous"     the line, its command (first token) and argument
//   response  "Response: 220 ready."        the code with RFC 959's reply names, its argument
// Every segment is dissected on its own (FTP does not desegment): the first line is parsed, any
// further lines (a multi-line reply) are shown as they are. PORT / EPRT requests and PASV / EPSV
// replies are parsed for their address and port, and the data connection they announce is
// registered (conversation.ts) so that TCP hands it to FTP-DATA: "FTP Data: 342 bytes (PASV)
// (LIST)", with the announcing frame, the method, the command it answers and the working
// directory, and its bytes as line-based text when they look like text. Like tshark, the
// conversation is PASV: pasv-address:port <-> client, PORT: server:20 <-> port-address,
// EPSV: server:port <-> client, EPRT: client:port <-> eprt-address (which a server's
// connection from port 20 never matches: tshark 4.0 shows it as FTP-DATA by port 20 alone),
// each with the other side's port left open until the first packet fixes it.
// The working directory follows PWD replies and successful CWD/CDUP as in tshark.
import { isIPv4, isIPv6 } from 'node:net';
import { defineFields, type FieldDef } from '../field.js';
import { callProtocol, defineProtocol, findDissector, MEDIA_TYPE_SCRATCH, register, type Protocol } from '../dispatch.js';
import { conversationState, expectConversation, findExpectedConversation } from '../conversation.js';
import { lineEnd } from '../text-line.js';
import { printableText } from '../format.js';
import { forgetFramesBefore, type PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';

const FTP_PORT = 21;
const FTP_DATA_PORT = 20;

/** RFC 959 4.2 reply codes with the names tshark gives them (packet-ftp.c response_table). */
const RESPONSE_CODES: Record<number, string> = {
  110: 'Restart marker reply', 120: 'Service ready in nnn minutes', 125: 'Data connection already open; transfer starting',
  150: 'File status okay; about to open data connection', 200: 'Command okay', 202: 'Command not implemented, superfluous at this site',
  211: 'System status, or system help reply', 212: 'Directory status', 213: 'File status', 214: 'Help message', 215: 'NAME system type',
  220: 'Service ready for new user', 221: 'Service closing control connection', 225: 'Data connection open; no transfer in progress',
  226: 'Closing data connection', 227: 'Entering Passive Mode', 229: 'Entering Extended Passive Mode', 230: 'User logged in, proceed',
  232: 'User logged in, authorized by security data exchange', 234: 'Security data exchange complete',
  235: 'Security data exchange completed successfully', 250: 'Requested file action okay, completed', 257: 'PATHNAME created',
  331: 'User name okay, need password', 332: 'Need account for login', 334: 'Requested security mechanism is ok',
  335: 'Security data is acceptable, more is required', 336: 'Username okay, need password. Challenge is ...',
  350: 'Requested file action pending further information', 421: 'Service not available, closing control connection',
  425: "Can't open data connection", 426: 'Connection closed; transfer aborted', 431: 'Need some unavailable resource to process security',
  450: 'Requested file action not taken', 451: 'Requested action aborted: local error in processing',
  452: 'Requested action not taken. Insufficient storage space in system', 500: 'Syntax error, command unrecognized',
  501: 'Syntax error in parameters or arguments', 502: 'Command not implemented', 503: 'Bad sequence of commands',
  504: 'Command not implemented for that parameter', 522: 'Network protocol not supported', 530: 'Not logged in',
  532: 'Need account for storing files', 533: 'Command protection level denied for policy reasons', 534: 'Request denied for policy reasons',
  535: 'Failed security check (hash, sequence, etc)', 536: 'Requested PROT level not supported by mechanism',
  537: 'Command protection level not supported by security mechanism', 550: 'Requested action not taken: File unavailable',
  551: 'Requested action aborted: page type unknown', 552: 'Requested file action aborted: Exceeded storage allocation',
  553: 'Requested action not taken: File name not allowed', 631: 'Integrity protected reply',
  632: 'Confidentiality and integrity protected reply', 633: 'Confidentiality protected reply',
};

const EPRT_INVALID = 'EPRT arguments must have the form: |<family>|<addr>|<port>|';
const EPSV_INVALID = 'EPSV arguments must have the form (|||<port>|)';
const PWD_INVALID = 'Invalid PWD response';

export const ftpFields = defineFields([
  { name: 'ftp.current-working-directory', label: 'Current working directory', type: 'string' },
  { name: 'ftp.response', label: 'Response', type: 'boolean', description: 'TRUE if FTP response' },
  { name: 'ftp.request', label: 'Request', type: 'boolean', description: 'TRUE if FTP request' },
  { name: 'ftp.request.command', label: 'Request command', type: 'string' },
  { name: 'ftp.request.arg', label: 'Request arg', type: 'string' },
  { name: 'ftp.response.code', label: 'Response code', type: 'uint32', base: 'dec', values: RESPONSE_CODES },
  { name: 'ftp.response.arg', label: 'Response arg', type: 'string' },
  { name: 'ftp.passive.ip', label: 'Passive IP address', type: 'ipv4', description: 'Passive IP address (check NAT)' },
  { name: 'ftp.passive.port', label: 'Passive port', type: 'uint16', base: 'dec', description: 'Passive FTP server port' },
  { name: 'ftp.passive.nat', label: 'Passive IP NAT', type: 'boolean', description: 'NAT is active SIP and passive IP different' },
  { name: 'ftp.active.cip', label: 'Active IP address', type: 'ipv4', description: 'Active FTP client IP address' },
  { name: 'ftp.active.port', label: 'Active port', type: 'uint16', base: 'dec', description: 'Active FTP client port' },
  { name: 'ftp.active.nat', label: 'Active IP NAT', type: 'boolean', description: 'NAT is active' },
  { name: 'ftp.eprt.af', label: 'Extended active address family', type: 'uint8', base: 'dec', values: { 1: 'IPv4', 2: 'IPv6' } },
  { name: 'ftp.eprt.ip', label: 'Extended active IP address', type: 'ipv4', description: 'Extended active FTP client IPv4 address' },
  { name: 'ftp.eprt.ipv6', label: 'Extended active IPv6 address', type: 'ipv6', description: 'Extended active FTP client IPv6 address' },
  { name: 'ftp.eprt.port', label: 'Extended active port', type: 'uint16', base: 'dec', description: 'Extended active FTP client listener port' },
  { name: 'ftp.epsv.ip', label: 'Extended passive IPv4 address', type: 'ipv4', description: 'Extended passive FTP server IPv4 address' },
  { name: 'ftp.epsv.ipv6', label: 'Extended passive IPv6 address', type: 'ipv6', description: 'Extended passive FTP server IPv6 address' },
  { name: 'ftp.epsv.port', label: 'Extended passive port', type: 'uint16', base: 'dec', description: 'Extended passive FTP server port' },
  { name: 'ftp.eprt.args_invalid', label: EPRT_INVALID, type: 'none' },
  { name: 'ftp.epsv.args_invalid', label: EPSV_INVALID, type: 'none' },
  { name: 'ftp-data.setup-frame', label: 'Setup frame', type: 'framenum', description: 'Where ftp-data conversation was signalled' },
  { name: 'ftp-data.setup-method', label: 'Setup method', type: 'string', description: 'Method used to set up data conversation' },
  { name: 'ftp-data.command', label: 'Command', type: 'string', description: 'Command that this data stream answers' },
  { name: 'ftp-data.command-frame', label: 'Command frame', type: 'framenum', description: 'Where command for this data was seen' },
  { name: 'ftp-data.current-working-directory', label: 'Current working directory', type: 'string', description: 'Current working directory at time of command' },
] as const);

const F = ftpFields;

/** A working directory, shared by reference as Wireshark's strbuf is (see addDirectory). */
interface Cwd {
  path: string;
}

/** What FTP tells FTP-DATA about a data connection (ftp_data_conversation_t). */
interface DataConnection {
  method: string;
  command?: string;
  commandFrame?: number;
  cwd: Cwd;
}

/** The state of a control connection, as the first pass leaves it (ftp_conversation_t). */
interface FtpConnection {
  lastCommand?: string;
  cwd: Cwd;
  /** The data connection announced last. */
  current?: DataConnection;
  /** Per frame (when frames are revisited): the working directory it showed on the first pass. */
  shown: Map<number, string>;
}

/** What an FTP-DATA frame showed on the first pass (frames revisited show the same). */
interface DataVerdict {
  setupFrame: number;
  method: string;
  command?: string;
  commandFrame?: number;
  cwd: string;
}

const utf8 = new TextDecoder('utf-8');

/** The bytes [o, o+n) as text (FTP's strings are UTF-8, RFC 2640). */
function text(tvb: Tvb, o: number, n: number): string {
  return utf8.decode(tvb.slice(o, n));
}

/** The commands whose answer comes on the data connection (cmd_resp_is_data). */
function answersOnData(command: string): boolean {
  return /^(RETR|STOR|STOU|APPE|LIST|NLST|MLSD)/.test(command);
}

/** tvb_strneql(tvb, 0, word, tokenlen) == 0: the token is the start of `word` (so "P" is a PORT). */
function tokenIs(token: string, word: string): boolean {
  return token.length > 0 && word.startsWith(token);
}

/** The width tshark counts for a number written in a PORT/PASV argument (1 to 3 characters). */
function digits(n: number): number {
  return n < 10 ? 1 : n < 100 ? 2 : 3;
}

/**
 * The six numbers of a PORT argument or a 227 reply (Bernstein's advice that tshark follows:
 * from each digit, try to read "h1,h2,h3,h4,p1,p2", as sscanf("%d,%d,...") does).
 */
function parseHostPort(args: string): { ip: number; port: number; at: number; ipLen: number; portLen: number } | null {
  const end = args.indexOf('\0');
  const s = end >= 0 ? args.slice(0, end) : args;
  const six = /^(\d+),[ \t\n\v\f\r]*([+-]?\d+),[ \t\n\v\f\r]*([+-]?\d+),[ \t\n\v\f\r]*([+-]?\d+),[ \t\n\v\f\r]*([+-]?\d+),[ \t\n\v\f\r]*([+-]?\d+)/;
  for (let p = 0; p < s.length;) {
    while (p < s.length && !(s[p]! >= '0' && s[p]! <= '9')) p++;
    if (p >= s.length) break;
    const m = six.exec(s.slice(p));
    if (m) {
      const [a, b, c, d, p1, p2] = m.slice(1).map(Number) as [number, number, number, number, number, number];
      return {
        ip: ((a << 24) | (b << 16) | (c << 8) | d) >>> 0,
        port: ((p1 & 0xff) << 8) | (p2 & 0xff),
        at: p,
        ipLen: digits(a) + digits(b) + digits(c) + digits(d) + 3,
        portLen: digits(p1) + 1 + digits(p2),
      };
    }
    while (p < s.length && s[p]! >= '0' && s[p]! <= '9') p++;
  }
  return null;
}

/** RFC 2428 2: a delimiter is printable and not a character of an address. */
function isDelimiter(c: string | undefined): boolean {
  return c !== undefined && c > ' ' && c < '\x7f' && !'0123456789abcdef.:'.includes(c.toLowerCase());
}

/** A whole decimal number (ws_strtou32/16 without an end pointer), or null. */
function wholeNumber(s: string, max: number): number | null {
  if (!/^[ \t\n\v\f\r]*\+?\d+$/.test(s)) return null;
  const n = Number(s.trim());
  return n <= max ? n : null;
}

/** IPv6 text (already checked by isIPv6) as its 16 bytes. */
function ipv6Bytes(s: string): Uint8Array {
  const out = new Uint8Array(16);
  let t = s;
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(t);
  const words: number[] = [];
  if (v4) t = t.slice(0, v4.index) + '0:0';
  const [head, tail] = t.split('::') as [string, string | undefined];
  const hw = head ? head.split(':').map((w) => parseInt(w, 16)) : [];
  const tw = tail ? tail.split(':').map((w) => parseInt(w, 16)) : [];
  words.push(...hw, ...new Array<number>(8 - hw.length - tw.length).fill(0), ...tw);
  words.forEach((w, i) => { out[2 * i] = w >> 8; out[2 * i + 1] = w & 255; });
  if (v4) out.set(v4.slice(1).map(Number), 12);
  return out;
}

/** An EPRT argument "|1|132.235.1.2|6275|" (RFC 2428 2), as parse_eprt_request reads it. */
function parseEprt(args: string): { af: number; ip: Uint8Array; ipLen: number; port: number; portLen: number } | null {
  const end = args.indexOf('\0');
  const s = end >= 0 ? args.slice(0, end) : args;
  if (args.length < 4 || !isDelimiter(s[0])) return null;
  const parts = s.split(s[0]!);
  // Exactly four delimiters, each field between them not empty (what follows the last is ignored).
  if (parts.length !== 5 || parts.slice(1, 4).some((p) => p === '')) return null;
  const af = wholeNumber(parts[1]!, 0xffffffff);
  const port = wholeNumber(parts[3]!, 0xffff);
  if (af === null || port === null) return null;
  const addr = parts[2]!;
  let ip: Uint8Array;
  if (af === 1 && isIPv4(addr)) ip = Uint8Array.from(addr.split('.').map(Number));
  else if (af === 2 && isIPv6(addr)) ip = ipv6Bytes(addr);
  else return null;
  return { af, ip, ipLen: addr.length, port, portLen: parts[3]!.length };
}

/** A 229 reply's "(|||6446|)" (RFC 2428 3), as parse_extended_pasv_response reads it. */
function parseEpsv(args: string): { port: number; at: number; portLen: number } | null {
  let p = args.indexOf('(');
  if (p < 0) return null;
  p++;
  // Up to three delimiters, the same one each time.
  let delimiter = '';
  for (let n = 0; n < 3 && p < args.length; n++, p++) {
    const c = args[p]!;
    if (delimiter === '' && isDelimiter(c)) delimiter = c;
    if (c !== delimiter) break;
  }
  if (p >= args.length) return null;
  const m = /^[ \t\n\v\f\r]*\+?(\d+)/.exec(args.slice(p));
  if (!m || Number(m[1]) > 0xffff) return null;
  const close = args.indexOf(')', p);
  if (close < 0) return null;
  return { port: Number(m[1]), at: p, portLen: close - 1 - p };
}

/** A CWD that succeeded, relative to `cwd` (add_directory_to_conv): "..", "." and names, joined with "/". */
function addDirectory(conn: FtpConnection, path: string): void {
  const cwd = conn.cwd;
  if (cwd.path === '') {
    // Wireshark appends to the (shared) empty buffer in place: a data connection announced
    // before sees the change too.
    cwd.path = path;
    return;
  }
  const joined = cwd.path.endsWith('/') ? cwd.path + path : `${cwd.path}/${path}`;
  let out = cwd.path.startsWith('/') ? '/' : '';
  const from = out === '/' ? 1 : 0;
  for (const name of joined.slice(from).split('/')) {
    if (name === '' || name === '.') continue;
    if (name === '..') {
      while (out.length > 0 && !out.endsWith('/')) out = out.slice(0, -1);
      if (out.length > 1 && out.endsWith('/')) out = out.slice(0, -1);
    } else {
      if (out.length > 0 && !out.endsWith('/')) out += '/';
      out += name;
    }
  }
  conn.cwd = { path: out };
}

/** The directory of a 257 reply: between the first pair of quotes, "" standing for one (RFC 959 appendix II). */
function pwdPath(line: string): string | null {
  if (line.length < 2 || line[0] !== '"') return null;
  let out = '';
  let i = 1;
  for (; i < line.length && line[i] !== '\r' && line[i] !== '\n'; i++) {
    if (line[i] !== '"') out += line[i];
    else if (line[i + 1] === '"') { out += '"'; i++; } else break;
  }
  return i < line.length && line[i] === '"' ? out : null;
}

/** An item that is itself an expert note (proto_tree_add_expert) at tshark's offset, negative counting from the end. */
function addExpertItem(ctx: PacketContext, parent: FieldNode, tvb: Tvb, offset: number, length: number, field: FieldDef, message: string): void {
  const o = offset < 0 ? Math.max(0, tvb.length + offset) : offset;
  const item = ctx.add(parent, field, tvb, o, Math.min(length, tvb.length - o), null);
  ctx.addExpert(item, 'warn', 'malformed', message);
}

function dissectFtp(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  // packet-ftp.c: a request when the port FTP was found by is the destination.
  const isRequest = ctx.endpoints.dstPort === FTP_PORT;
  ctx.protocol = 'FTP';
  const conn = conversationState<FtpConnection>(ctx, 'ftp.connections', () => ({ cwd: { path: '' }, shown: new Map() }));
  const frame = ctx.frame.number;
  const firstPass = !conn.shown.has(frame);
  let cwdShown = conn.cwd.path;

  const first = lineEnd(tvb, 0);
  const lineLen = first.length;
  const line = text(tvb, 0, lineLen);
  ctx.info = `${isRequest ? 'Request' : 'Response'}: ${printableText(line)}`;
  ctx.addHidden(node, F['ftp.request'], tvb, 0, 0, isRequest);
  ctx.addHidden(node, F['ftp.response'], tvb, 0, 0, !isRequest);
  const lineNode = ctx.addText(node, tvb, 0, first.next, printableText(text(tvb, 0, first.next)));

  let argAt: number;
  let token = '';
  let tokenLen = 0;
  let code = -1;
  if (isRequest) {
    // The command is the first token; the argument starts after the spaces that follow it.
    while (tokenLen < lineLen && tvb.u8(tokenLen) !== 0x20) tokenLen++;
    token = text(tvb, 0, tokenLen);
    argAt = tokenLen;
    while (argAt < lineLen && tvb.u8(argAt) === 0x20) argAt++;
    if (tokenLen > 0) ctx.add(lineNode, F['ftp.request.command'], tvb, 0, tokenLen, token);
    if (firstPass) {
      conn.lastCommand = line;
      const data = conn.current;
      if (data && (data.command === undefined || (!answersOnData(data.command) && answersOnData(line)))) {
        data.command = line;
        data.commandFrame = frame;
      }
    }
  } else if (lineLen >= 3 && /^\d{3}/.test(line)) {
    code = Number(line.slice(0, 3));
    const codeNode = ctx.add(lineNode, F['ftp.response.code'], tvb, 0, 3, code);
    if (firstPass && code === 250 && conn.lastCommand !== undefined) {
      // A CWD or CDUP that succeeded changes the directory.
      if (conn.lastCommand.startsWith('CWD ')) changeDirectory(conn, conn.lastCommand.slice(4));
      else if (conn.lastCommand.startsWith('CDUP')) changeDirectory(conn, '..');
      cwdShown = conn.cwd.path;
    }
    if (firstPass && code === 257 && lineLen >= 4) {
      const path = pwdPath(line.slice(4));
      if (path === null) ctx.addExpert(codeNode, 'error', 'malformed', PWD_INVALID);
      else conn.cwd = { path };
      cwdShown = conn.cwd.path;
    }
    argAt = Math.min(4, lineLen);
  } else {
    // Not a code: a line in the middle of a multi-line reply.
    argAt = 0;
  }
  const argLen = lineLen - argAt;
  const args = argLen > 0 ? text(tvb, argAt, argLen) : '';
  if (argLen > 0) ctx.add(lineNode, isRequest ? F['ftp.request.arg'] : F['ftp.response.arg'], tvb, argAt, argLen, args);

  const src = ctx.endpoints.netSrc, dst = ctx.endpoints.netDst;
  if (isRequest && tokenIs(token, 'PORT')) {
    const hp = parseHostPort(args);
    if (hp) {
      ctx.add(lineNode, F['ftp.active.cip'], tvb, hp.at + tokenLen + 1, hp.ipLen, hp.ip);
      ctx.add(lineNode, F['ftp.active.port'], tvb, hp.at + 1 + tokenLen + 1 + hp.ipLen, hp.portLen, hp.port);
      const ip = ipv4Bytes(hp.ip);
      if (!sameAddress(src, ip)) ctx.add(lineNode, F['ftp.active.nat'], tvb, 0, 0, true);
      if (firstPass && dst) announce(ctx, conn, dst, FTP_DATA_PORT, ip, 'PORT');
    }
  } else if (isRequest && tokenIs(token, 'EPRT')) {
    const e = parseEprt(args);
    if (e) {
      let o = tokenLen + 2;
      ctx.add(lineNode, F['ftp.eprt.af'], tvb, o, 1, e.af);
      o += 2;
      if (e.af === 1) ctx.add(lineNode, F['ftp.eprt.ip'], tvb, o, e.ipLen, ((e.ip[0]! << 24) | (e.ip[1]! << 16) | (e.ip[2]! << 8) | e.ip[3]!) >>> 0);
      else ctx.add(lineNode, F['ftp.eprt.ipv6'], tvb, o, e.ipLen, e.ip);
      o += e.ipLen + 1;
      ctx.add(lineNode, F['ftp.eprt.port'], tvb, o, e.portLen, e.port);
      if (firstPass && src) announce(ctx, conn, src, e.port, e.ip, 'EPRT');
    } else {
      addExpertItem(ctx, lineNode, tvb, argAt - argLen - 1, argLen, F['ftp.eprt.args_invalid'], EPRT_INVALID);
    }
  } else if (code === 227 && argLen > 0) {
    const hp = parseHostPort(args);
    if (hp) {
      ctx.add(lineNode, F['ftp.passive.ip'], tvb, hp.at + 4, hp.ipLen, hp.ip);
      ctx.add(lineNode, F['ftp.passive.port'], tvb, hp.at + 4 + 1 + hp.ipLen, hp.portLen, hp.port);
      const ip = ipv4Bytes(hp.ip);
      if (!sameAddress(src, ip)) ctx.add(lineNode, F['ftp.passive.nat'], tvb, 0, 0, true);
      if (firstPass && dst) announce(ctx, conn, ip, hp.port, dst, 'PASV');
    }
  } else if (code === 229 && argLen > 0) {
    const e = parseEpsv(args);
    if (e) {
      // The server's address is the one the reply came from (RFC 2428 3).
      if (src?.length === 4) ctx.addGenerated(lineNode, F['ftp.epsv.ip'], ((src[0]! << 24) | (src[1]! << 16) | (src[2]! << 8) | src[3]!) >>> 0);
      else if (src?.length === 16) ctx.addGenerated(lineNode, F['ftp.epsv.ipv6'], src);
      ctx.add(lineNode, F['ftp.epsv.port'], tvb, e.at + 4, e.portLen, e.port);
      if (firstPass && src && dst) announce(ctx, conn, src, e.port, dst, 'EPASV');
    } else {
      addExpertItem(ctx, lineNode, tvb, argAt - argLen - 1, argLen, F['ftp.epsv.args_invalid'], EPSV_INVALID);
    }
  }

  // The rest of the segment, a line at a time (a multi-line reply's other lines).
  for (let o = first.next; o < tvb.length;) {
    const l = lineEnd(tvb, o);
    ctx.addText(node, tvb, o, l.next - o, printableText(text(tvb, o, l.next - o)));
    o = l.next;
  }

  if (firstPass) {
    if (ctx.capture.revisits) conn.shown.set(frame, cwdShown);
  } else {
    cwdShown = conn.shown.get(frame)!;
  }
  // Beside FTP's item, not in it, as tshark adds it.
  ctx.addGenerated(null, F['ftp.current-working-directory'], cwdShown);
}

function changeDirectory(conn: FtpConnection, path: string): void {
  if (path.startsWith('/')) conn.cwd = { path };
  else addDirectory(conn, path);
}

function ipv4Bytes(ip: number): Uint8Array {
  return Uint8Array.of(ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255);
}

function sameAddress(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Registers the data connection a PORT/EPRT request or a PASV/EPSV reply announces (create_and_link_data_conversation). */
function announce(ctx: PacketContext, conn: FtpConnection, addrA: Uint8Array, portA: number, addrB: Uint8Array, method: string): void {
  const data: DataConnection = { method, cwd: conn.cwd };
  expectConversation(ctx, addrA, portA, addrB, ftpDataProtocol, data);
  conn.current = data;
}

/** FTP-DATA: one data connection's bytes, with what the control connection said about it. */
function dissectFtpData(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = 'FTP-DATA';
  ctx.info = `FTP Data: ${tvb.reportedLength} bytes`;
  const e = ctx.endpoints;
  const conv = findExpectedConversation(ctx.capture, ctx.frame.number, ctx.frame.ts.sec, e.netSrc, e.srcPort ?? 0, e.netDst, e.dstPort ?? 0);
  const data = conv?.data as DataConnection | undefined;
  if (conv && data) {
    const v = dataVerdict(ctx, conv.setupFrame, data);
    // Beside FTP-DATA's item, as tshark adds them. (A connection nobody announced, taken by
    // port 20 alone, has in tshark the frame that began the TCP connection as its setup frame:
    // not shown here, see docs/tshark-differences.md.)
    ctx.addGenerated(null, F['ftp-data.setup-frame'], v.setupFrame);
    ctx.addGenerated(null, F['ftp-data.setup-method'], v.method);
    ctx.info += ` (${v.method})`;
    if (v.command !== undefined) {
      ctx.addGenerated(null, F['ftp-data.command'], v.command);
      ctx.info += ` (${v.command})`;
      ctx.add(null, F['ftp-data.command-frame'], tvb, 0, 0, v.commandFrame!);
    }
    ctx.addGenerated(null, F['ftp-data.current-working-directory'], v.cwd);
  }
  ctx.setText(node, `FTP Data (${tvb.length} bytes data)`);
  // Text (the first 20 bytes printable or line ends) is shown a line at a time.
  const n = Math.min(20, tvb.length);
  for (let i = 0; i < n; i++) {
    const c = tvb.u8(i);
    if (c !== 0x0d && c !== 0x0a && (c < 0x20 || c > 0x7e)) return;
  }
  const lines = findDissector('data-text-lines');
  if (!lines) return;
  ctx.scratch[MEDIA_TYPE_SCRATCH] = undefined;
  callProtocol(lines, tvb, ctx, null);
}

/** What this FTP-DATA frame shows, fixed on the first pass. */
function dataVerdict(ctx: PacketContext, setupFrame: number, data: DataConnection): DataVerdict {
  const capture = ctx.capture;
  const verdicts = capture.get<Map<number, DataVerdict>>('ftp-data.verdicts', () => {
    const m = new Map<number, DataVerdict>();
    capture.onForget((first) => forgetFramesBefore(m, first, (f) => f));
    return m;
  });
  const known = verdicts.get(ctx.frame.number);
  if (known) return known;
  const v: DataVerdict = { setupFrame, method: data.method, command: data.command, commandFrame: data.commandFrame, cwd: data.cwd.path };
  if (capture.revisits) verdicts.set(ctx.frame.number, v);
  return v;
}

// It announces its data connections (expectConversation): passes that skip dissection dissect it.
export const ftpProtocol: Protocol = { ...defineProtocol('ftp', 'File Transfer Protocol (FTP)', dissectFtp), opensConversations: true };
export const ftpDataProtocol = defineProtocol('ftp-data', 'FTP Data', dissectFtpData, 'FTP-DATA');
register('tcp.port', FTP_PORT, ftpProtocol);
register('tcp.port', FTP_DATA_PORT, ftpDataProtocol);

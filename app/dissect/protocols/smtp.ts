// SMTP (RFC 5321) on TCP ports 25 and 587, as tshark 4.0's packet-smtp.c shows it. A segment
// towards the server port is a request ("C: EHLO GP"), one from it a response ("S: 250-... |
// SIZE 52428800 | ..."), line by line. After DATA, what the client sends is the message: each
// segment a "DATA fragment" shown as its text lines, until the line "." (the end of message,
// "C: ."), where the fragments are put together and the message goes to the Internet Message
// Format dissector (imf.ts). BDAT chunks are counted the same way. AUTH LOGIN's and AUTH PLAIN's
// base64 lines are shown as tshark shows them with its default preferences (not decoded). After
// a STARTTLS that the server accepts (220), the conversation is TLS.
//
// What a request frame turned out to be (command, message part or end of message) is decided
// on its first dissection and remembered, so a frame dissected again shows the same.
import { defineFields } from '../field.js';
import { callProtocol, defineProtocol, findDissector, handOver, MATCH_PORT_SCRATCH, MEDIA_TYPE_SCRATCH, register, registerDissector } from '../dispatch.js';
import { canDesegment, DESEGMENT_ONE_MORE_SEGMENT, requestDesegment } from '../desegment.js';
import { printableText } from '../format.js';
import { findLineEnd } from '../text-line.js';
import { concatBytes } from '../../file/concat.js';
import { conversationState } from '../conversation.js';
import { forgetFramesBefore, type CaptureState, type PacketContext } from '../packet.js';
import { addFragmentTree, type FragmentFields } from '../reassembly.js';
import type { FieldNode } from '../tree.js';
import { latin1, Tvb } from '../tvb.js';

/** packet-smtp.c's response_codes_vs (RFC 2821's texts, typos included). */
const RESPONSE_CODES: Record<number, string> = {
  211: 'System status, or system help reply', 214: 'Help message', 220: '<domain> Service ready',
  221: '<domain> Service closing transmission channel', 235: 'Authentication successful',
  250: 'Requested mail action okay, completed', 251: 'User not local; will forward to <forward-path>',
  252: 'Cannot VRFY user, but will accept message and attempt delivery', 334: 'AUTH input',
  354: 'Start mail input; end with <CRLF>.<CRLF>', 421: '<domain> Service not available, closing transmission channel',
  432: 'A password transition is needed', 450: 'Requested mail action not taken: mailbox unavailable',
  451: 'Requested action aborted: local error in processing', 452: 'Requested action not taken: insufficient system storage',
  454: 'Temporary authentication failed', 500: 'Syntax error, command unrecognized', 501: 'Syntax error in parameters or arguments',
  502: 'Command not implemented', 503: 'Bad sequence of commands', 504: 'Command parameter not implemented',
  530: 'Authentication required', 534: 'Authentication mechanism is too weak', 535: 'Authentication credentials invalid',
  538: 'Encryption required for requested authentication mechanism', 550: 'Requested action not taken: mailbox unavailable',
  551: 'User not local; please try <forward-path>', 552: 'Requested mail action aborted: exceeded storage allocation',
  553: 'Requested action not taken: mailbox name not allowed', 554: 'Transaction failed',
};

export const smtpFields = defineFields([
  { name: 'smtp.req', label: 'Request', type: 'boolean' },
  { name: 'smtp.rsp', label: 'Response', type: 'boolean' },
  { name: 'smtp.message', label: 'Message', type: 'string' },
  { name: 'smtp.command_line', label: 'Command Line', type: 'string' },
  { name: 'smtp.req.command', label: 'Command', type: 'string' },
  { name: 'smtp.req.parameter', label: 'Request parameter', type: 'string' },
  { name: 'smtp.response', label: 'Response', type: 'string' },
  { name: 'smtp.response.code', label: 'Response code', type: 'uint32', base: 'dec', values: RESPONSE_CODES },
  { name: 'smtp.rsp.parameter', label: 'Response parameter', type: 'string' },
  { name: 'smtp.auth.username', label: 'Username', type: 'string' },
  { name: 'smtp.auth.password', label: 'Password', type: 'string' },
  { name: 'smtp.auth.username_password', label: 'Username/Password', type: 'string' },
  { name: 'smtp.eom', label: 'EOM', type: 'none' },
  { name: 'smtp.data.fragments', label: 'DATA fragments', type: 'none', description: 'Message fragments' },
  { name: 'smtp.data.fragment', label: 'DATA fragment', type: 'framenum', description: 'Message fragment' },
  { name: 'smtp.data.fragment.count', label: 'DATA fragment count', type: 'uint32', base: 'dec' },
  { name: 'smtp.data.reassembled.in', label: 'Reassembled DATA in frame', type: 'framenum', description: 'This DATA fragment is reassembled in this frame' },
  { name: 'smtp.data.reassembled.length', label: 'Reassembled DATA length', type: 'uint32', base: 'dec', description: 'The total length of the reassembled payload' },
] as const);
const F = smtpFields;
const FRAGMENT_FIELDS: FragmentFields = { list: F['smtp.data.fragments'], item: F['smtp.data.fragment'], count: F['smtp.data.fragment.count'], length: F['smtp.data.reassembled.length'] };

const PORTS = [25, 587];

/** Commands that are not four letters (line_is_smtp_command). */
const LONG_COMMANDS = ['STARTTLS', 'X-EXPS', 'X-LINK2STATE', 'XEXCH50'];

type Pdu = 'command' | 'message' | 'eom';

/** Where AUTH stands (packet-smtp.c's smtp_auth_state_t). */
type AuthState =
  | 'none' | 'start' | 'username-req' | 'username-rsp' | 'password-req' | 'password-rsp'
  | 'plain-start-req' | 'plain-cred-req' | 'plain-req' | 'plain-rsp' | 'ntlm-req' | 'ntlm-challenge' | 'ntlm-rsp'
  | 'success' | 'failed';

interface Fragment {
  frame: number;
  data: Uint8Array;
}

/** A conversation's state (smtp_session_state). Frame numbers are 0 until set. */
interface Session {
  state: 'start' | 'commands' | 'data' | 'starttls';
  auth: AuthState;
  firstAuthFrame: number;
  lastAuthFrame: number;
  usernameFrame: number;
  passwordFrame: number;
  usernameCmdFrame: number;
  userPassCmdFrame: number;
  userPassFrame: number;
  ntlmReqFrame: number;
  ntlmRspFrame: number;
  /** Whether the last segment of the message so far ended with CR LF (".\r\n" next ends it). */
  crlfSeen: boolean;
  dataSeen: boolean;
  /** BDAT: bytes of the chunks announced and read so far, and whether the last chunk is LAST. */
  msgReadLen: number;
  msgTotLen: number;
  msgLast: boolean;
  /** DATA fragments of the message being sent. */
  fragments: Fragment[];
  /** Frames up to this one are SMTP; after it, TLS (0: no STARTTLS accepted). */
  lastPlainFrame: number;
  /** Responses whose state changes were applied (a response is dissected again on revisits). */
  lastResponseFrame: number;
}

/** What a request frame is (smtp_proto_data), decided on its first dissection. */
interface RequestVerdict {
  pdu: Pdu;
  moreFrags: boolean;
  /** The end of message: where its line starts (the message's bytes in this frame end there). */
  eomOffset: number;
  /** The line the end of message was found on (its length, for the "C: ." item). */
  eomLength: number;
  /** The message this frame completes, with its fragments. */
  message?: { parts: Fragment[]; data: Uint8Array };
  /** What this frame is to AUTH, as the session said when it was classified (a later AUTH moves the session on). */
  auth?: AuthRole;
}

/** A request frame's part in AUTH: the session's *_frame fields that named it. */
type AuthRole = 'username' | 'password' | 'ntlm-response' | 'credentials' | 'username-command' | 'ntlm-command' | 'credentials-command';

function authRole(s: Session, frame: number): AuthRole | undefined {
  if (s.usernameFrame === frame) return 'username';
  if (s.passwordFrame === frame) return 'password';
  if (s.ntlmRspFrame === frame) return 'ntlm-response';
  if (s.userPassFrame === frame) return 'credentials';
  if (s.usernameCmdFrame === frame) return 'username-command';
  if (s.ntlmReqFrame === frame) return 'ntlm-command';
  if (s.userPassCmdFrame === frame) return 'credentials-command';
  return undefined;
}

/** The request frames' verdicts, kept for frames dissected again (and forgotten with them on a live capture). */
function requestVerdicts(capture: CaptureState): Map<number, RequestVerdict> {
  return capture.get<Map<number, RequestVerdict>>('smtp.requests', () => {
    const m = new Map<number, RequestVerdict>();
    capture.onForget((first) => forgetFramesBefore(m, first, (f) => f));
    return m;
  });
}

function newSession(): Session {
  return {
    state: 'start', auth: 'none', firstAuthFrame: 0, lastAuthFrame: 0, usernameFrame: 0, passwordFrame: 0, usernameCmdFrame: 0,
    userPassCmdFrame: 0, userPassFrame: 0, ntlmReqFrame: 0, ntlmRspFrame: 0, crlfSeen: false, dataSeen: false,
    msgReadLen: 0, msgTotLen: 0, msgLast: true, fragments: [], lastPlainFrame: 0, lastResponseFrame: 0,
  };
}

function startsWith(bytes: Uint8Array, at: number, text: string): boolean {
  if (at + text.length > bytes.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

function startsWithNoCase(line: string, word: string): boolean {
  return line.slice(0, word.length).toUpperCase() === word;
}

/** line_is_smtp_command: four letters, or one of the longer extension commands. */
function isCommand(word: string): boolean {
  if (word.length === 4) return /^[A-Za-z]{4}$/.test(word);
  return LONG_COMMANDS.some((c) => c.length === word.length && c === word.toUpperCase());
}

function dissectSmtp(tvb: Tvb, ctx: PacketContext, node: FieldNode): boolean {
  const s = conversationState(ctx, 'smtp.sessions', newSession);
  const requests = requestVerdicts(ctx.capture);
  const frame = ctx.frame.number;
  if (s.lastPlainFrame !== 0 && frame > s.lastPlainFrame) {
    // After an accepted STARTTLS the conversation is TLS (ssl_starttls_ack).
    handOver('tls', tvb, ctx, node);
    return true;
  }
  const request = ctx.endpoints.dstPort === ctx.scratch[MATCH_PORT_SCRATCH];
  let verdict = request ? requests.get(frame) : undefined;
  if (!verdict) {
    const v: RequestVerdict = { pdu: 'command', moreFrags: true, eomOffset: 0, eomLength: 0 };
    if (!classifyLines(tvb, ctx, s, request, v)) return true; // waiting for the rest of a line
    if (request) {
      verdict = v;
      const role = authRole(s, frame);
      if (role) v.auth = role;
      collectMessage(tvb, s, v, frame);
      if (ctx.capture.revisits) requests.set(frame, v);
    }
  }

  ctx.protocol = 'SMTP';
  ctx.info = '';
  if (request && verdict) showRequest(tvb, ctx, node, verdict);
  else showResponse(tvb, ctx, node, s);
  return true;
}

/**
 * The first pass over a segment's lines (packet-smtp.c before "From here, we simply add items"):
 * finds the end of message in DATA, and, for a request, what it is and how it moves the state.
 * False when the first line is not complete and TCP can bring more.
 */
function classifyLines(tvb: Tvb, ctx: PacketContext, s: Session, request: boolean, v: RequestVerdict): boolean {
  const desegment = canDesegment(ctx);
  const bytes = tvb.bytes, base = tvb.start;
  for (let o = 0; o < tvb.length; ) {
    let line = findLineEnd(tvb, o, desegment);
    if (!line) {
      if (o === 0) {
        requestDesegment(ctx, 0, DESEGMENT_ONE_MORE_SEGMENT);
        return false;
      }
      line = findLineEnd(tvb, o, false)!;
    }
    let eom = false;
    if (s.state === 'data') {
      // Checked in this order: a segment ending in CR LF followed by one starting ".\r\n".
      if ((s.crlfSeen && startsWith(bytes, base + o, '.\r\n')) || startsWith(bytes, base + o, '\r\n.\r\n')) eom = true;
      const left = tvb.length - o;
      s.crlfSeen = left === tvb.reportedLength - o && left >= 2 && bytes[base + tvb.length - 2] === 0x0d && bytes[base + tvb.length - 1] === 0x0a;
    }
    let next = line.next;
    if (request) {
      if (s.state === 'data') {
        if (eom) {
          v.pdu = 'eom';
          v.eomOffset = o;
          v.eomLength = line.length;
          s.state = 'commands';
          break;
        }
        v.pdu = 'message';
        if (s.msgTotLen > 0) {
          // A BDAT chunk: the rest of the segment is message.
          s.msgReadLen += tvb.reportedRemaining(o);
          next = tvb.reportedLength;
          if (s.msgReadLen === s.msgTotLen) {
            s.state = 'commands';
            if (s.msgLast) v.moreFrags = false;
            break;
          }
        }
      } else {
        classifyCommand(latin1(bytes, base + o, base + o + line.length), ctx.frame.number, s, v);
      }
    }
    o = next;
  }
  return true;
}

/** A request line outside DATA: a command (and how it moves the state), an AUTH answer, or message text. */
function classifyCommand(line: string, frame: number, s: Session, v: RequestVerdict): void {
  const sp = line.indexOf(' ');
  const word = sp < 0 ? line : line.slice(0, sp);
  if (isCommand(word)) {
    v.pdu = 'command';
    if (startsWithNoCase(line, 'DATA')) {
      s.state = 'data';
      s.dataSeen = true;
    } else if (startsWithNoCase(line, 'BDAT')) {
      const len = parseInt(line.slice(5), 10) || 0;
      s.dataSeen = true;
      s.msgTotLen += len;
      s.state = len === 0 ? 'commands' : 'data';
      if (line.length >= 4 && line.slice(-4).toUpperCase() === 'LAST') {
        s.msgLast = true;
        if (len === 0) v.moreFrags = false;
      } else s.msgLast = false;
    } else if (startsWithNoCase(line, 'AUTH LOGIN')) {
      s.state = 'commands';
      s.firstAuthFrame = frame;
      if (line.length <= 11) s.auth = 'start';
      else {
        s.auth = 'username-rsp';
        s.usernameCmdFrame = frame;
      }
    } else if (startsWithNoCase(line, 'AUTH PLAIN')) {
      s.state = 'commands';
      s.firstAuthFrame = frame;
      if (line.length <= 11) s.auth = 'plain-start-req';
      else {
        s.auth = 'plain-cred-req';
        s.userPassCmdFrame = frame;
      }
    } else if (startsWithNoCase(line, 'AUTH NTLM') && line.length > 10) {
      s.state = 'commands';
      s.auth = 'ntlm-req';
      s.ntlmReqFrame = frame;
    } else if (startsWithNoCase(line, 'STARTTLS')) {
      s.state = 'starttls';
    }
  } else if (s.auth === 'username-req') {
    s.auth = 'username-rsp';
    s.usernameFrame = frame;
  } else if (s.auth === 'password-req') {
    s.auth = 'password-rsp';
    s.passwordFrame = frame;
  } else if (s.auth === 'plain-req') {
    s.auth = 'plain-rsp';
    s.userPassFrame = frame;
  } else if (s.auth === 'ntlm-challenge') {
    s.auth = 'ntlm-rsp';
    s.ntlmRspFrame = frame;
  } else {
    // Text where a command was expected: message data once a message was started, or when the
    // capture began in the middle of one.
    v.pdu = s.dataSeen || s.state === 'start' ? 'message' : 'command';
  }
}

/**
 * Adds the frame's part of the message to the session's fragments (fragment_add_seq_next) and,
 * when it ends the message (the end-of-message line, a last BDAT chunk, or a command after a
 * BDAT LAST with no data), puts them together.
 */
function collectMessage(tvb: Tvb, s: Session, v: RequestVerdict, frame: number): void {
  let ends = false;
  if (v.pdu === 'message') {
    s.fragments.push({ frame, data: tvb.slice(0, tvb.length).slice() });
    ends = !v.moreFrags;
  } else if (v.pdu === 'eom') {
    if (v.eomOffset > 0) s.fragments.push({ frame, data: tvb.slice(0, v.eomOffset).slice() });
    ends = true;
  } else ends = !v.moreFrags;
  if (!ends || s.fragments.length === 0) return;
  const parts = s.fragments;
  s.fragments = [];
  v.message = { parts, data: concatBytes(parts.map((p) => p.data)) };
}

function showRequest(tvb: Tvb, ctx: PacketContext, node: FieldNode, v: RequestVerdict): void {
  const frame = ctx.frame.number;
  switch (v.pdu) {
    case 'message': {
      const n = tvb.reportedLength;
      ctx.info = `C: DATA fragment, ${n} byte${n === 1 ? '' : 's'}`;
      // The fragment's own text lines, under SMTP (no media type: "Line-based text data (47 lines)").
      const lines = findDissector('data-text-lines');
      ctx.scratch[MEDIA_TYPE_SCRATCH] = undefined;
      if (lines) callProtocol(lines, tvb, ctx, node);
      break;
    }
    case 'eom':
      ctx.info = 'C: .';
      ctx.add(node, F['smtp.eom'], tvb, 0, v.eomLength, null, 'C: .');
      break;
    case 'command':
      showCommands(tvb, ctx, node, v.auth);
      break;
  }
  const m = v.message;
  if (!m) return;
  if (v.pdu === 'message') {
    // A last BDAT chunk completes the message in this very frame, but tshark's reassembly,
    // asked after the chunk's text lines were dissected (a layer later), takes it for another
    // frame's: it shows "Reassembled DATA in frame" and no IMF.
    ctx.addGenerated(node, F['smtp.data.reassembled.in'], frame);
    return;
  }
  const message = Tvb.of(m.data);
  ctx.nameSource(message, 'Reassembled SMTP');
  let offset = 0;
  const parts = m.parts.map((p) => {
    const part = { frame: p.frame, offset, length: p.data.length };
    offset += p.data.length;
    return part;
  });
  addFragmentTree(ctx, node, FRAGMENT_FIELDS, parts, m.data);
  const imf = findDissector('imf');
  if (imf) callProtocol(imf, message, ctx, null);
}

/** A segment of commands: each line a "Command Line" (or an AUTH answer), Info "C: A | B". */
function showCommands(tvb: Tvb, ctx: PacketContext, node: FieldNode, auth: AuthRole | undefined): void {
  const parts: string[] = [];
  for (let o = 0; o < tvb.length; ) {
    const line = findLineEnd(tvb, o, false)!;
    const text = tvb.ascii(o, line.length);
    ctx.addHidden(node, F['smtp.req'], tvb, 0, 0, true);
    if (auth === 'username') {
      ctx.add(node, F['smtp.auth.username'], tvb, o, line.length, text);
      parts.push(`User: ${printableText(text)}`);
    } else if (auth === 'password') {
      ctx.add(node, F['smtp.auth.password'], tvb, o, line.length, text);
      parts.push(`Pass: ${printableText(text)}`);
    } else if (auth === 'ntlm-response') {
      ctx.add(node, F['smtp.command_line'], tvb, o, line.length, text);
      parts.push(printableText(text));
    } else if (auth === 'credentials') {
      parts.push(plainAuth(tvb, ctx, node, o, line.length));
    } else {
      const cmdLen = Math.min(4, line.length);
      const item = ctx.add(node, F['smtp.command_line'], tvb, o, line.next - o, tvb.ascii(o, line.next - o));
      ctx.add(item, F['smtp.req.command'], tvb, o, cmdLen, tvb.ascii(o, cmdLen));
      if (line.length > 5) ctx.add(item, F['smtp.req.parameter'], tvb, o + 5, line.length - 5, tvb.ascii(o + 5, line.length - 5));
      if (line.length > 5 && auth === 'username-command') {
        // AUTH LOGIN with the user name on the same line.
        if (line.length >= 11) {
          const user = tvb.ascii(o + 11, line.length - 11);
          ctx.add(item, F['smtp.auth.username'], tvb, o + 11, line.length - 11, user);
          parts.push(`${printableText(tvb.ascii(o, 11))}User: ${printableText(user)}`);
        } else parts.push('');
      } else if (line.length > 5 && auth === 'ntlm-command') {
        parts.push(line.length >= 10 ? printableText(tvb.ascii(o, 10)) + printableText(tvb.ascii(o + 10, line.length - 10)) : '');
      } else if (line.length > 5 && auth === 'credentials-command') {
        parts.push(printableText(tvb.ascii(o, 11)) + plainAuth(tvb, ctx, item, o + 11, line.length - 11));
      } else {
        parts.push(printableText(text));
      }
    }
    o = line.next;
  }
  ctx.info = `C: ${parts.join(' | ')}`;
}

/**
 * AUTH PLAIN's credentials, base64 as sent (tshark decodes them only when its "Decode Base64
 * encoded AUTH parameters" preference is on, off by default): one item with a warning.
 */
function plainAuth(tvb: Tvb, ctx: PacketContext, node: FieldNode, o: number, length: number): string {
  const text = tvb.ascii(o, length);
  const item = ctx.add(node, F['smtp.auth.username_password'], tvb, o, length, text);
  ctx.addExpert(item, 'warn', 'protocol', 'base64 decode failed or is not enabled (check SMTP preferences)');
  return printableText(text);
}

/**
 * A response, line by line: a "Response" item per reply (a multi-line reply's continuation
 * lines add their parameter to the first line's item), Info "S: 250-first | second | last".
 * It also moves the AUTH and STARTTLS states, once per frame.
 */
function showResponse(tvb: Tvb, ctx: PacketContext, node: FieldNode, s: Session): void {
  ctx.addHidden(node, F['smtp.rsp'], tvb, 0, 0, true);
  const frame = ctx.frame.number;
  const firstVisit = frame > s.lastResponseFrame;
  if (firstVisit) s.lastResponseFrame = frame;
  const parts: string[] = [];
  let multiline: 'none' | 'start' | 'continue' | 'end' = 'none';
  let multilineCode = 0;
  let item: FieldNode | null = null;
  let codeItem: FieldNode | null = null;
  for (let o = 0; o < tvb.length; ) {
    const line = findLineEnd(tvb, o, false)!;
    const text = tvb.ascii(o, line.length);
    if (line.length < 3 || !/^\d{3}/.test(text)) {
      // Not a reply line: tshark adds "S: " / " | " and nothing else.
      parts.push('');
      o = line.next;
      continue;
    }
    const code = parseInt(text.slice(0, 3), 10);
    if (line.length > 3 && text[3] === '-') {
      if (multiline === 'none') {
        multiline = 'start';
        multilineCode = code;
      } else multiline = 'continue';
    } else if (multiline === 'start' || multiline === 'continue') multiline = 'end';
    if (firstVisit) moveStates(s, code, frame);
    const continuation = multiline === 'continue' || multiline === 'end';
    if (!continuation) {
      item = ctx.add(node, F['smtp.response'], tvb, o, line.next - o, tvb.ascii(o, line.next - o));
      codeItem = ctx.add(item, F['smtp.response.code'], tvb, o, 3, code);
    } else if (code !== multilineCode && codeItem) {
      ctx.addExpert(codeItem, 'warn', 'protocol', `Unexpected response code ${code} in multiline response. Expected ${multilineCode}`);
    }
    if (line.length >= 4) {
      ctx.add(item, F['smtp.rsp.parameter'], tvb, o + 4, line.length - 4, tvb.ascii(o + 4, line.length - 4));
      parts.push(printableText(continuation ? text.slice(4) : text));
    } else {
      parts.push(printableText(text));
    }
    if (multiline === 'end') multiline = 'none';
    o = line.next;
  }
  ctx.info = `S: ${parts.join(' | ')}`;
}

/** A reply's effect on the session: STARTTLS accepted (220), AUTH's challenges (334) and result (235 or not). */
function moveStates(s: Session, code: number, frame: number): void {
  if (s.state === 'starttls') {
    if (code === 220) s.lastPlainFrame = frame;
    s.state = 'commands';
  }
  if (code === 334) {
    const next: Partial<Record<AuthState, AuthState>> = {
      start: 'username-req', 'username-rsp': 'password-req', 'plain-req': 'plain-rsp', 'plain-start-req': 'plain-req', 'ntlm-req': 'ntlm-challenge',
    };
    s.auth = next[s.auth] ?? s.auth;
  } else if (s.auth === 'password-rsp' || s.auth === 'plain-rsp' || s.auth === 'ntlm-rsp' || s.auth === 'plain-cred-req') {
    s.auth = code === 235 ? 'success' : 'failed';
    s.lastAuthFrame = frame;
  }
}

export const smtpProtocol = defineProtocol('smtp', 'Simple Mail Transfer Protocol', dissectSmtp);
registerDissector(smtpProtocol);
for (const port of PORTS) register('tcp.port', port, smtpProtocol);

// POP3 (RFC 1939) on TCP port 110, as tshark 4.0's packet-pop.c shows it.
//   request   "C: USER bob"            the line, its command (first token) and parameter
//   response  "S: +OK 2 messages"      the indicator (+OK / -ERR) and its description, then any
//                                      further lines of a multi-line response as data lines
//   other server text                  "S: DATA fragment, 1448 bytes": message data (a RETR or
//                                      TOP answer, a SASL challenge "+ ") handed to the Internet
//                                      Message Format dissector when one is registered ("imf",
//                                      found by name); the POP item stays empty, as in tshark
// Each segment is dissected on its own (no desegmentation of lines). A RETR/TOP answered by
// "+OK <octets>" makes the data that follows one message, collected over its segments and handed
// on whole from the segment that completes it (tshark's pop.desegment_data); a "+OK" without a
// size (most servers) makes every segment a message of its own, as in tshark.
import { defineFields } from '../field.js';
import { callProtocol, defineProtocol, findDissector, register, registerDissector } from '../dispatch.js';
import { concatBytes } from '../../file/concat.js';
import { conversationState } from '../conversation.js';
import { lineEnd } from '../text-line.js';
import { printableText } from '../format.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import { Tvb } from '../tvb.js';

const POP_PORT = 110;

export const popFields = defineFields([
  { name: 'pop.response', label: 'Response', type: 'string' },
  { name: 'pop.response.indicator', label: 'Response indicator', type: 'string' },
  { name: 'pop.response.description', label: 'Response description', type: 'string' },
  { name: 'pop.response.data', label: 'Data', type: 'string', description: 'Response Data' },
  { name: 'pop.request', label: 'Request', type: 'string' },
  { name: 'pop.request.command', label: 'Request command', type: 'string' },
  { name: 'pop.request.parameter', label: 'Request parameter', type: 'string' },
  { name: 'pop.request.data', label: 'Data', type: 'string', description: 'Request data' },
] as const);

const F = popFields;

/** A POP session as the first pass leaves it (packet-pop.c pop_data_val). */
interface PopSession {
  /** A RETR or TOP was sent: the next response may say how long the message is. */
  messageRequested: boolean;
  /** Octets of the message announced by "+OK <n>", and the bytes of it collected so far. */
  total: number;
  parts: Uint8Array[];
  read: number;
  /** Per frame (when frames are revisited): the message a data segment completed, or null. */
  completed: Map<number, Uint8Array | null>;
  /** The newest frame dissected: an older one is being revisited and changes nothing. */
  newest: number;
}

/** ENC_ASCII: bytes above 0x7f are not ASCII and show as U+FFFD. */
function ascii(tvb: Tvb, o: number, n: number): string {
  return tvb.ascii(o, n).replace(/[\x80-\xff]/g, '\ufffd');
}

function dissectPop(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = 'POP';
  // packet-pop.c: a request when the port POP was found by is the destination.
  const isRequest = ctx.endpoints.dstPort === POP_PORT;
  const session = conversationState<PopSession>(ctx, 'pop.sessions', () => ({ messageRequested: false, total: 0, parts: [], read: 0, completed: new Map(), newest: 0 }));
  const firstPass = ctx.frame.number > session.newest;
  if (firstPass) session.newest = ctx.frame.number;
  const first = lineEnd(tvb, 0);
  const line = ascii(tvb, 0, first.length);
  if (!isRequest && !line.startsWith('+OK') && !line.startsWith('-ERR')) {
    messageData(tvb, ctx, session, firstPass);
    return;
  }
  ctx.info = `${isRequest ? 'C' : 'S'}: ${printableText(line)}`;
  const lineNode = ctx.add(node, isRequest ? F['pop.request'] : F['pop.response'], tvb, 0, first.next, '', printableText(ascii(tvb, 0, first.next)));
  // The first token is the command or the indicator; the rest of the line after its spaces the parameter or description.
  let tokenLen = 0;
  while (tokenLen < first.length && tvb.u8(tokenLen) !== 0x20) tokenLen++;
  let rest = tokenLen;
  while (rest < first.length && tvb.u8(rest) === 0x20) rest++;
  if (tokenLen > 0) {
    ctx.add(lineNode, isRequest ? F['pop.request.command'] : F['pop.response.indicator'], tvb, 0, tokenLen, line.slice(0, tokenLen));
    if (firstPass && isRequest && /^(RETR|TOP)/i.test(line)) session.messageRequested = true;
    else if (firstPass && !isRequest && session.messageRequested) {
      if (/^\+OK /i.test(line)) {
        session.read = 0;
        session.parts = [];
        session.total = atoi(line.slice(4));
      }
      session.messageRequested = false;
    }
  } else {
    rest = 0;
  }
  if (rest < first.length) {
    ctx.add(lineNode, isRequest ? F['pop.request.parameter'] : F['pop.response.description'], tvb, rest, first.length - rest, line.slice(rest));
  }
  // Further lines (a multi-line response: CAPA, LIST, UIDL) one item each.
  const dataField = isRequest ? F['pop.request.data'] : F['pop.response.data'];
  for (let o = first.next; o < tvb.length;) {
    const l = lineEnd(tvb, o);
    ctx.add(node, dataField, tvb, o, l.next - o, '', printableText(ascii(tvb, o, l.next - o)));
    o = l.next;
  }
}

/** C's atoi: the leading decimal number (after white space and a sign), 0 when there is none. */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m ? Number(m[1]) : 0;
}

/**
 * Server text that is not a response line: part of a message. Collected until the announced
 * size is reached (or at once when none was), then handed to IMF.
 */
function messageData(tvb: Tvb, ctx: PacketContext, session: PopSession, firstPass: boolean): void {
  const n = tvb.reportedLength;
  ctx.info = `S: DATA fragment, ${n} byte${n === 1 ? '' : 's'}`;
  const frame = ctx.frame.number;
  let message: Uint8Array | null;
  if (!firstPass) {
    message = session.completed.get(frame) ?? null;
  } else {
    session.read += n;
    // Copies: the packet's bytes are a view into the reader's buffer, which the next read
    // reuses, and these outlive the packet (until the message is complete, or for revisits).
    const bytes = tvb.slice(0, tvb.length).slice();
    if (session.read < session.total) {
      session.parts.push(bytes);
      message = null;
    } else {
      session.parts.push(bytes);
      message = concatBytes(session.parts);
    }
    if (message !== null) {
      // Read it all: what follows starts afresh.
      session.read = 0;
      session.total = 0;
      session.parts = [];
    }
    if (ctx.capture.revisits) session.completed.set(frame, message);
  }
  const imf = message && findDissector('imf');
  if (!message || !imf) return;
  let body = tvb;
  if (message.buffer !== tvb.bytes.buffer || message.byteOffset !== tvb.abs(0)) {
    body = Tvb.of(message);
    ctx.nameSource(body, 'Reassembled DATA');
  }
  callProtocol(imf, body, ctx, null);
}

export const popProtocol = defineProtocol('pop', 'Post Office Protocol', dissectPop);
register('tcp.port', POP_PORT, popProtocol);
// By name: TLS hands its decrypted application data here by port.
registerDissector(popProtocol);

// WebSocket (RFC 6455) as tshark 4.0 shows it: the frames of a connection that HTTP upgraded
// (a 101 Switching Protocols with "Upgrade: websocket"; http.ts hands the bytes here). Each
// frame is a "WebSocket" item with its header as bit fields, the masking key, then its payload
// unmasked into a source of its own ("Unmasked data"): a Text frame's text, shown again by
// Line-based text data; a Binary frame's bytes to Data; Ping/Pong bytes; Close's status code
// and reason. Info is the last frame's: "WebSocket Text [FIN] [MASKED]".
//
// A message in several frames (FIN clear, then Continuation frames) is put together on its last
// frame ("[2 Reassembled websocket Fragments (18 bytes): #28(10), #29(8)]", a "Reassembled
// Message" source). With permessage-deflate agreed in the upgrade (RFC 7692, the response's
// Sec-WebSocket-Extensions), a frame with RSV1 set is inflated into a "Decompressed payload"
// source, each direction's window kept from message to message unless the extension said
// no_context_takeover. As in tshark, only a frame with both RSV1 and FIN set is inflated: a
// compressed message in several frames is shown reassembled but not inflated.
//
// Inflating changes each direction's window in order: it runs on the first pass only, and what a
// frame showed is remembered for the frames dissected again (the desktop).
import { constants, inflateRawSync } from 'node:zlib';
import { defineFields } from '../field.js';
import { callProtocol, defineProtocol, findDissector, MEDIA_TYPE_SCRATCH, registerDissector, WEBSOCKET_EXTENSIONS_SCRATCH } from '../dispatch.js';
import { conversationState } from '../conversation.js';
import { addPduSize, canDesegment, DESEGMENT_ONE_MORE_SEGMENT, requestDesegment } from '../desegment.js';
import { bitPicture } from '../format.js';
import { cString, forgetFramesBefore, type CaptureState, type PacketContext } from '../packet.js';
import { addFragmentTree, type FragmentFields, type FragmentPart } from '../reassembly.js';
import type { FieldNode } from '../tree.js';
import { Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';

const OPCODES: Record<number, string> = { 0: 'Continuation', 1: 'Text', 2: 'Binary', 8: 'Connection Close', 9: 'Ping', 10: 'Pong' };
const CONTINUATION = 0, TEXT = 1, BINARY = 2, CLOSE = 8, PING = 9, PONG = 10;

const CLOSE_CODES: Record<number, string> = {
  1000: 'Normal Closure', 1001: 'Going Away', 1002: 'Protocol error', 1003: 'Unsupported Data', 1004: '---Reserved----',
  1005: 'No Status Rcvd', 1006: 'Abnormal Closure', 1007: 'Invalid frame payload data', 1008: 'Policy Violation',
  1009: 'Message Too Big', 1010: 'Mandatory Ext.', 1011: 'Internal Server', 1015: 'TLS handshake',
};

export const websocketFields = defineFields([
  { name: 'websocket.fin', label: 'Fin', type: 'boolean', mask: 0x80 },
  { name: 'websocket.rsv', label: 'Reserved', type: 'uint8', base: 'hex', mask: 0x70 },
  { name: 'websocket.pmc', label: 'Per-Message Compressed', type: 'boolean', mask: 0x40 },
  { name: 'websocket.opcode', label: 'Opcode', type: 'uint8', base: 'dec', mask: 0x0f, values: OPCODES },
  { name: 'websocket.mask', label: 'Mask', type: 'boolean', mask: 0x80 },
  { name: 'websocket.payload_length', label: 'Payload length', type: 'uint8', base: 'dec', mask: 0x7f },
  { name: 'websocket.payload_length_ext_16', label: 'Extended Payload length (16 bits)', type: 'uint16', base: 'dec' },
  { name: 'websocket.payload_length_ext_64', label: 'Extended Payload length (64 bits)', type: 'uint64', base: 'dec' },
  { name: 'websocket.masking_key', label: 'Masking-Key', type: 'bytes' },
  { name: 'websocket.payload', label: 'Payload', type: 'none' },
  { name: 'websocket.masked_payload', label: 'Masked payload', type: 'none' },
  { name: 'websocket.payload.continue', label: 'Continue', type: 'bytes' },
  { name: 'websocket.payload.text', label: 'Text', type: 'string' },
  { name: 'websocket.payload.close', label: 'Close', type: 'none' },
  { name: 'websocket.payload.close.status_code', label: 'Status code', type: 'uint16', base: 'dec', values: CLOSE_CODES },
  { name: 'websocket.payload.close.reason', label: 'Reason', type: 'string' },
  { name: 'websocket.payload.ping', label: 'Ping', type: 'bytes' },
  { name: 'websocket.payload.pong', label: 'Pong', type: 'bytes' },
  { name: 'websocket.payload.unknown', label: 'Unknown', type: 'bytes' },
  { name: 'websocket.fragments', label: 'Reassembled websocket Fragments', type: 'none' },
  { name: 'websocket.fragment', label: 'Websocket Fragment', type: 'framenum' },
  { name: 'websocket.fragment.count', label: 'Fragment count', type: 'uint32', base: 'dec' },
  { name: 'websocket.reassembled.length', label: 'Reassembled websocket Payload length', type: 'uint32', base: 'dec' },
] as const);

const F = websocketFields;

const FRAGMENTS: FragmentFields = {
  list: F['websocket.fragments'], item: F['websocket.fragment'], count: F['websocket.fragment.count'], length: F['websocket.reassembled.length'],
};

/** The bytes an inflater needs after a message's compressed data (RFC 7692 7.2.2). */
const TAIL = Uint8Array.of(0x00, 0x00, 0xff, 0xff);
/** The deflate window: what a direction keeps of its earlier messages for the next. */
const WINDOW = 32768;

interface Direction {
  /** The frames of a message still coming (FIN clear so far), in order, and its first frame's opcode. */
  parts: Array<{ frame: number; data: Uint8Array }>;
  opcode: number;
  /** The end of this direction's inflated output, for the next message (context takeover). */
  window: Uint8Array | null;
}

interface Connection {
  /** Each sender's state, by "address/port". */
  directions: Map<string, Direction>;
  /** permessage-deflate was agreed; which sides start each message afresh (no_context_takeover). */
  deflate: { client: boolean; server: boolean } | null;
}

/** What a WebSocket frame's first dissection decided that a later one cannot work out again. */
interface FrameMemo {
  /** The whole message, when this frame completed one of several frames; its first frame's opcode (Text, Binary). */
  message: { data: Uint8Array; parts: FragmentPart[]; opcode: number } | null;
  /** The payload inflated (null: not compressed, or it did not inflate). */
  inflated: Uint8Array | null;
}

/**
 * The connection's state; on its first frame, what the upgrade agreed: permessage-deflate and
 * its parameters, from the 101 response's Sec-WebSocket-Extensions (HTTP leaves it in scratch).
 */
function connectionOf(ctx: PacketContext): Connection {
  return conversationState(ctx, 'websocket.connections', () => ({ directions: new Map(), deflate: deflateOf(ctx.scratch[WEBSOCKET_EXTENSIONS_SCRATCH]) }));
}

/** Frame memos by frame number * 256 + the WebSocket frame's index in it. */
function memosOf(capture: CaptureState): Map<number, FrameMemo> {
  return capture.get<Map<number, FrameMemo>>('websocket.memos', () => {
    const memos = new Map<number, FrameMemo>();
    capture.onForget((first) => forgetFramesBefore(memos, first, (k) => Math.floor(k / 256)));
    return memos;
  });
}

/** permessage-deflate among the agreed extensions ("permessage-deflate; client_max_window_bits"), or null. */
function deflateOf(extensions: unknown): Connection['deflate'] {
  if (typeof extensions !== 'string') return null;
  for (const ext of extensions.split(',')) {
    const [name, ...params] = ext.split(';').map((p) => p.trim().toLowerCase());
    if (name !== 'permessage-deflate') continue;
    return { client: params.includes('client_no_context_takeover'), server: params.includes('server_no_context_takeover') };
  }
  return null;
}

function dissectWebSocket(tvb: Tvb, ctx: PacketContext, node: FieldNode): boolean {
  const memos = memosOf(ctx.capture);
  const conn = connectionOf(ctx);
  const can = canDesegment(ctx);
  let item: FieldNode | null = node;
  let o = 0;
  let index = 0;
  while (o < tvb.reportedLength) {
    const length = frameLength(tvb, o);
    // A frame whose header or payload continues in the next segments: ask TCP for them.
    if (length === null || o + length > tvb.length) {
      if (!can) {
        if (length === null) break;
      } else {
        requestDesegment(ctx, o, length === null ? DESEGMENT_ONE_MORE_SEGMENT : o + length - tvb.reportedLength);
        break;
      }
    }
    const whole = length ?? tvb.length - o;
    addPduSize(ctx, whole);
    const frame = new Tvb(tvb.bytes, tvb.abs(o), Math.min(whole, tvb.length - o), whole);
    const top = item ?? ctx.add(null, websocketProtocol.field, frame, 0, whole, null);
    if (item) ctx.setLength(item, frame.length);
    item = null;
    dissectFrame(frame, ctx, top, conn, memos, ctx.frame.number * 256 + Math.min(index, 255));
    index++;
    o += whole;
  }
  ctx.protocol = 'WebSocket';
  return true;
}

/** The length of the WebSocket frame at `o` (header and payload), or null when its header is not all there. */
function frameLength(tvb: Tvb, o: number): number | null {
  if (!tvb.has(o, 2)) return null;
  const b1 = tvb.u8(o + 1);
  const short = b1 & 0x7f;
  const lengthBytes = short === 126 ? 2 : short === 127 ? 8 : 0;
  const header = 2 + lengthBytes + ((b1 & 0x80) !== 0 ? 4 : 0);
  if (!tvb.has(o, 2 + lengthBytes)) return null;
  const payload = short === 126 ? tvb.u16(o + 2) : short === 127 ? tvb.u32(o + 2) * 2 ** 32 + tvb.u32(o + 6) : short;
  return header + payload;
}

function dissectFrame(frame: Tvb, ctx: PacketContext, top: FieldNode, conn: Connection, memos: Map<number, FrameMemo>, key: number): void {
  const b0 = frame.u8(0), b1 = frame.u8(1);
  const fin = (b0 & 0x80) !== 0, opcode = b0 & 0x0f, masked = (b1 & 0x80) !== 0, short = b1 & 0x7f;
  ctx.add(top, F['websocket.fin'], frame, 0, 1, fin);
  ctx.add(top, F['websocket.rsv'], frame, 0, 1, (b0 & 0x70) >> 4);
  if (conn.deflate) ctx.add(top, F['websocket.pmc'], frame, 0, 1, (b0 & 0x40) !== 0);
  ctx.add(top, F['websocket.opcode'], frame, 0, 1, opcode);
  ctx.add(top, F['websocket.mask'], frame, 1, 1, masked);
  // 126 and 127 say where the length really is: "Payload length: 127 Extended Payload Length (64 bits)".
  const extended = short === 126 ? ' Extended Payload Length (16 bits)' : short === 127 ? ' Extended Payload Length (64 bits)' : '';
  ctx.add(top, F['websocket.payload_length'], frame, 1, 1, short, extended ? `${bitPicture(short, 0x7f, 8)} = Payload length: ${short}${extended}` : undefined);
  let o = 2;
  let length = short;
  if (short === 126) {
    length = frame.u16(2);
    ctx.add(top, F['websocket.payload_length_ext_16'], frame, 2, 2, length);
    o = 4;
  } else if (short === 127) {
    length = frame.u32(2) * 2 ** 32 + frame.u32(6);
    ctx.add(top, F['websocket.payload_length_ext_64'], frame, 2, 8, length);
    o = 10;
  }
  let key4: Uint8Array | null = null;
  if (masked) {
    key4 = frame.slice(o, 4);
    ctx.add(top, F['websocket.masking_key'], frame, o, 4, key4);
    o += 4;
  }
  const captured = Math.max(0, Math.min(length, frame.length - o));
  const opName = OPCODES[opcode] ?? 'Unknown Opcode';
  ctx.info = `WebSocket ${opName}${fin ? ' [FIN]' : '[FRAGMENT] '}${masked ? ' [MASKED]' : ' '}`;
  if (length === 0) return;
  let payload = frame.sub(o, captured, length);
  if (key4) {
    ctx.add(top, F['websocket.masked_payload'], frame, o, captured, null);
    const clear = frame.slice(o, captured).slice();
    for (let i = 0; i < clear.length; i++) clear[i]! ^= key4[i & 3]!;
    payload = new Tvb(clear, 0, clear.length, length);
    ctx.nameSource(payload, 'Unmasked data');
  }
  const payloadNode = ctx.add(top, F['websocket.payload'], payload, 0, payload.length, null);

  const memo = frameMemo(ctx, memos, key, conn, { fin, opcode, masked, rsv1: (b0 & 0x40) !== 0 }, payload);
  if (memo.inflated) {
    payload = Tvb.of(memo.inflated);
    ctx.nameSource(payload, 'Decompressed payload');
  }
  // A message in several frames: shown on its last frame, whole.
  const fragmented = !fin || opcode === CONTINUATION;
  if (fragmented) {
    if (!memo.message) return;
    const message = Tvb.of(memo.message.data);
    addFragmentTree(ctx, null, FRAGMENTS, memo.message.parts, memo.message.data);
    ctx.nameSource(message, 'Reassembled Message');
    payload = message;
  }
  showPayload(payload, ctx, payloadNode, fragmented ? memo.message!.opcode : opcode);
}

/**
 * This frame's memo: made on the first pass (the message so far, the inflater's window), kept
 * when frames are dissected again.
 */
function frameMemo(ctx: PacketContext, memos: Map<number, FrameMemo>, key: number, conn: Connection, header: { fin: boolean; opcode: number; masked: boolean; rsv1: boolean }, payload: Tvb): FrameMemo {
  const { fin, opcode, masked, rsv1 } = header;
  const known = memos.get(key);
  if (known) return known;
  const e = ctx.endpoints;
  const sender = `${e.src}/${e.srcPort ?? 0}`;
  let dir = conn.directions.get(sender);
  if (!dir) conn.directions.set(sender, (dir = { parts: [], opcode: TEXT, window: null }));
  const memo: FrameMemo = { message: null, inflated: null };
  const bytes = payload.slice(0, payload.length);
  // As tshark: only a message's last frame is inflated, so a compressed message in several frames is not.
  if (conn.deflate && rsv1 && fin && opcode < 8) {
    // The client masks its frames (RFC 6455 5.1): which side's no_context_takeover applies.
    const fresh = masked ? conn.deflate.client : conn.deflate.server;
    memo.inflated = inflate(bytes, fresh ? null : dir.window);
    if (memo.inflated) dir.window = lastBytes(dir.window, memo.inflated);
  }
  if (!fin || opcode === CONTINUATION) {
    if (opcode !== CONTINUATION) {
      dir.parts = [];
      dir.opcode = opcode;
    }
    // (Copied: an unmasked payload is a view of the frame's bytes, which the reader reuses.)
    dir.parts.push({ frame: ctx.frame.number, data: bytes.slice() });
    if (fin) {
      let at = 0;
      const parts: FragmentPart[] = dir.parts.map((p) => ({ frame: p.frame, offset: (at += p.data.length) - p.data.length, length: p.data.length }));
      const data = new Uint8Array(at);
      for (let i = 0; i < parts.length; i++) data.set(dir.parts[i]!.data, parts[i]!.offset);
      memo.message = { data, parts, opcode: dir.opcode };
      dir.parts = [];
    }
  }
  if (ctx.capture.revisits) memos.set(key, memo);
  return memo;
}

/** A message's compressed bytes inflated with the direction's window, or null when they do not inflate. */
function inflate(data: Uint8Array, window: Uint8Array | null): Uint8Array | null {
  const input = new Uint8Array(data.length + TAIL.length);
  input.set(data);
  input.set(TAIL, data.length);
  try {
    // A message is a deflate stream flushed, not finished: no final block to wait for.
    const out = inflateRawSync(input, { finishFlush: constants.Z_SYNC_FLUSH, ...(window ? { dictionary: window } : {}) });
    return new Uint8Array(out.buffer, out.byteOffset, out.length);
  } catch {
    return null;
  }
}

/** The last WINDOW bytes of `before` followed by `added`. */
function lastBytes(before: Uint8Array | null, added: Uint8Array): Uint8Array {
  if (added.length >= WINDOW || !before) return added.slice(Math.max(0, added.length - WINDOW));
  const keep = Math.min(before.length, WINDOW - added.length);
  const out = new Uint8Array(keep + added.length);
  out.set(before.subarray(before.length - keep));
  out.set(added, keep);
  return out;
}

const utf8 = new TextDecoder('utf-8');

/** The payload's items by opcode, and Text to Line-based text data, Binary to Data, as tshark hands them on. */
function showPayload(payload: Tvb, ctx: PacketContext, node: FieldNode, opcode: number): void {
  const n = payload.length;
  switch (opcode) {
    case TEXT: {
      const text = utf8.decode(payload.slice(0, n));
      const item = ctx.add(node, F['websocket.payload.text'], payload, 0, n, cString(text));
      // proto.c's detect_trailing_stray_characters: the value stops at a NUL, the item goes on.
      if (text.includes('\0')) ctx.addExpert(item, 'warn', 'undecoded', 'Trailing stray characters');
      const lines = findDissector('data-text-lines');
      if (lines && n > 0) {
        ctx.scratch[MEDIA_TYPE_SCRATCH] = undefined;
        callProtocol(lines, payload, ctx, null);
      }
      break;
    }
    case BINARY:
      if (n > 0) callProtocol(dataProtocol, payload, ctx, null);
      break;
    case CLOSE: {
      const close = ctx.add(node, F['websocket.payload.close'], payload, 0, n, null);
      if (n >= 2) ctx.add(close, F['websocket.payload.close.status_code'], payload, 0, 2, payload.u16(0));
      if (n > 2) ctx.add(close, F['websocket.payload.close.reason'], payload, 2, n - 2, cString(utf8.decode(payload.slice(2, n - 2))));
      break;
    }
    case PING:
      ctx.add(node, F['websocket.payload.ping'], payload, 0, n, payload.slice(0, n));
      break;
    case PONG:
      ctx.add(node, F['websocket.payload.pong'], payload, 0, n, payload.slice(0, n));
      break;
    default:
      ctx.add(node, F['websocket.payload.unknown'], payload, 0, n, payload.slice(0, n));
  }
}

export const websocketProtocol = defineProtocol('websocket', 'WebSocket', dissectWebSocket, 'WebSocket');
// HTTP hands an upgraded connection's bytes here by name.
registerDissector(websocketProtocol);

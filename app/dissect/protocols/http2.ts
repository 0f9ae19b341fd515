// HTTP/2 (RFC 9113) as tshark 4.0 shows it: over TLS when ALPN chose "h2" (decrypted with the
// session's secrets, tls.ts). Each frame is an "HyperText Transfer Protocol 2" item of its own
// ("Stream: HEADERS, Stream ID: 1, Length 30, GET /"), its 9-byte header as bit fields, then
// its payload: SETTINGS, WINDOW_UPDATE, PING, GOAWAY, RST_STREAM, PRIORITY, the header blocks of
// HEADERS / PUSH_PROMISE / CONTINUATION decompressed with each direction's HPACK state (hpack.ts)
// into a "Decompressed Header" source, and DATA, whose body is put together across the stream's
// frames and handed to the media type's dissector when the stream ends. Info lists the frames:
// "Magic, SETTINGS[0], WINDOW_UPDATE[0]", "HEADERS[1]: GET /", "DATA[1] (text/html)".
//
// HPACK state changes with every header block, in order: decoding runs on the first pass only;
// what each frame showed is remembered for the frames dissected again (the desktop).
import { defineFields, type FieldDef } from '../field.js';
import { callProtocol, defineProtocol, GRPC_CALL_SCRATCH, lookupMediaType, lookupStreamingMediaType, MEDIA_PARAMETERS_SCRATCH, MEDIA_TYPE_SCRATCH, PROTOCOL_FENCE_SCRATCH, registerDissector, type GrpcCall, type Protocol, type StreamingMediaType } from '../dispatch.js';
import { conversationState } from '../conversation.js';
import { addPduSize, canDesegment, DESEGMENT_ONE_MORE_SEGMENT, fencedInfo, requestDesegment, separatedInfo } from '../desegment.js';
import { printableText } from '../format.js';
import { HpackDecoder, type HpackField, type HpackSizeUpdate } from '../hpack.js';
import { HTTP_STATUS } from '../http-status.js';
import { decodeContent } from '../content-coding.js';
import { addPathComponents } from '../http-path.js';
import { forgetFramesBefore, type CaptureState, type PacketContext } from '../packet.js';
import { addFragmentTree, type FragmentFields, type FragmentPart } from '../reassembly.js';
import type { FieldNode } from '../tree.js';
import { Tvb } from '../tvb.js';

const TYPES: Record<number, string> = {
  0: 'DATA', 1: 'HEADERS', 2: 'PRIORITY', 3: 'RST_STREAM', 4: 'SETTINGS', 5: 'PUSH_PROMISE', 6: 'PING', 7: 'GOAWAY',
  8: 'WINDOW_UPDATE', 9: 'CONTINUATION', 10: 'ALTSVC', 11: 'BLOCKED', 12: 'ORIGIN', 16: 'PRIORITY_UPDATE',
};
const DATA = 0, HEADERS = 1, PRIORITY = 2, RST_STREAM = 3, SETTINGS = 4, PUSH_PROMISE = 5, PING = 6, GOAWAY = 7, WINDOW_UPDATE = 8, CONTINUATION = 9;

const ERRORS: Record<number, string> = {
  0: 'NO_ERROR', 1: 'PROTOCOL_ERROR', 2: 'INTERNAL_ERROR', 3: 'FLOW_CONTROL_ERROR', 4: 'SETTINGS_TIMEOUT', 5: 'STREAM_CLOSED',
  6: 'FRAME_SIZE_ERROR', 7: 'REFUSED_STREAM', 8: 'CANCEL', 9: 'COMPRESSION_ERROR', 10: 'CONNECT_ERROR', 11: 'ENHANCE_YOUR_CALM',
  12: 'INADEQUATE_SECURITY', 13: 'HTTP_1_1_REQUIRED',
};

const SETTINGS_NAMES: Record<number, string> = {
  1: 'Header table size', 2: 'Enable PUSH', 3: 'Max concurrent streams', 4: 'Initial Windows size', 5: 'Max frame size',
  6: 'Max header list size', 8: 'Extended CONNECT',
};

const FLAG = (name: string, label: string, mask: number): { name: string; label: string; type: 'boolean'; mask: number } => ({ name, label, type: 'boolean', mask });
const UNUSED = (name: string, mask: number) => ({ name, label: 'Unused', type: 'uint8' as const, base: 'hex' as const, mask });

export const http2Fields = defineFields([
  { name: 'http2.stream', label: 'Stream', type: 'none' },
  { name: 'http2.magic', label: 'Magic', type: 'string' },
  { name: 'http2.length', label: 'Length', type: 'uint24', base: 'dec' },
  { name: 'http2.type', label: 'Type', type: 'uint8', base: 'dec', values: TYPES },
  { name: 'http2.flags', label: 'Flags', type: 'uint8', base: 'hex' },
  FLAG('http2.flags.end_stream', 'End Stream', 0x01),
  FLAG('http2.flags.eh', 'End Headers', 0x04),
  FLAG('http2.flags.padded', 'Padded', 0x08),
  FLAG('http2.flags.priority', 'Priority', 0x20),
  FLAG('http2.flags.ack.settings', 'ACK', 0x01),
  FLAG('http2.flags.ack.ping', 'ACK', 0x01),
  UNUSED('http2.flags.unused', 0xff),
  UNUSED('http2.flags.unused_settings', 0xfe),
  UNUSED('http2.flags.unused_ping', 0xfe),
  UNUSED('http2.flags.unused_continuation', 0xfb),
  UNUSED('http2.flags.unused_push_promise', 0xf3),
  UNUSED('http2.flags.unused_data', 0xf6),
  UNUSED('http2.flags.unused_headers', 0xd2),
  { name: 'http2.r', label: 'Reserved', type: 'uint32', base: 'hex', mask: 0x80000000 },
  { name: 'http2.streamid', label: 'Stream Identifier', type: 'uint32', base: 'dec', mask: 0x7fffffff },
  { name: 'http2.padding', label: 'Pad Length', type: 'uint8', base: 'hex' },
  { name: 'http2.pad_length', label: 'Pad Length', type: 'uint16', base: 'dec' },
  { name: 'http2.exclusive', label: 'Exclusive', type: 'boolean', mask: 0x80000000 },
  { name: 'http2.stream_dependency', label: 'Stream Dependency', type: 'uint32', base: 'dec', mask: 0x7fffffff },
  { name: 'http2.headers.weight', label: 'Weight', type: 'uint8', base: 'dec' },
  { name: 'http2.headers.weight_real', label: 'Weight real', type: 'uint8', base: 'dec' },
  { name: 'http2.data.data', label: 'Data', type: 'bytes' },
  { name: 'http2.data.segment', label: 'DATA segment', type: 'bytes' },
  { name: 'http2.body.reassembled.in', label: 'Reassembled body in frame', type: 'framenum' },
  { name: 'http2.data.padding', label: 'Padding', type: 'bytes' },
  { name: 'http2.body.fragments', label: 'Body fragments', type: 'none' },
  { name: 'http2.body.fragment', label: 'Body fragment', type: 'framenum' },
  { name: 'http2.body.fragment.count', label: 'Body fragment count', type: 'uint32', base: 'dec' },
  { name: 'http2.body.reassembled.length', label: 'Reassembled body length', type: 'uint32', base: 'dec' },
  { name: 'http2.body.reassembled.data', label: 'Reassembled body data', type: 'bytes' },
  { name: 'http2.headers', label: 'Header Block Fragment', type: 'bytes' },
  { name: 'http2.headers.padding', label: 'Padding', type: 'bytes' },
  { name: 'http2.header', label: 'Header', type: 'none' },
  { name: 'http2.header.length', label: 'Header Length', type: 'uint32', base: 'dec' },
  { name: 'http2.header.count', label: 'Header Count', type: 'uint32', base: 'dec' },
  { name: 'http2.header.name.length', label: 'Name Length', type: 'uint32', base: 'dec' },
  { name: 'http2.header.name', label: 'Name', type: 'string' },
  { name: 'http2.header.value.length', label: 'Value Length', type: 'uint32', base: 'dec' },
  { name: 'http2.header.value', label: 'Value', type: 'string' },
  { name: 'http2.header.unescaped', label: 'Unescaped', type: 'string' },
  { name: 'http2.header.repr', label: 'Representation', type: 'string' },
  { name: 'http2.header.index', label: 'Index', type: 'uint32', base: 'dec' },
  { name: 'http2.header_table_size_update', label: 'Header table size update', type: 'none' },
  { name: 'http2.header_table_size_update.header_table_size', label: 'Header table size', type: 'uint32', base: 'dec' },
  { name: 'http2.request.full_uri', label: 'Full request URI', type: 'string' },
  { name: 'http2.rst_stream.error', label: 'Error', type: 'uint32', base: 'dec', values: ERRORS },
  { name: 'http2.settings', label: 'Settings', type: 'none' },
  { name: 'http2.settings.id', label: 'Settings Identifier', type: 'uint16', base: 'dec', values: SETTINGS_NAMES },
  { name: 'http2.settings.header_table_size', label: 'Header table size', type: 'uint32', base: 'dec' },
  { name: 'http2.settings.enable_push', label: 'Enable PUSH', type: 'uint32', base: 'dec' },
  { name: 'http2.settings.max_concurrent_streams', label: 'Max concurrent streams', type: 'uint32', base: 'dec' },
  { name: 'http2.settings.initial_window_size', label: 'Initial Windows Size', type: 'uint32', base: 'dec' },
  { name: 'http2.settings.max_frame_size', label: 'Max frame size', type: 'uint32', base: 'dec' },
  { name: 'http2.settings.max_header_list_size', label: 'Max header list size', type: 'uint32', base: 'dec' },
  { name: 'http2.settings.extended_connect', label: 'Extended CONNECT', type: 'uint32', base: 'dec' },
  { name: 'http2.settings.unknown', label: 'Unknown Settings', type: 'uint32', base: 'dec' },
  { name: 'http2.push_promise.r', label: 'Reserved', type: 'uint32', base: 'hex', mask: 0x80000000 },
  { name: 'http2.push_promise.promised_stream_id', label: 'Promised-Stream-ID', type: 'uint32', base: 'dec', mask: 0x7fffffff },
  { name: 'http2.push_promise.header', label: 'Header Block Fragment', type: 'bytes' },
  { name: 'http2.push_promise.padding', label: 'Padding', type: 'bytes' },
  { name: 'http2.ping', label: 'Ping', type: 'bytes' },
  { name: 'http2.pong', label: 'Pong', type: 'bytes' },
  { name: 'http2.goway.r', label: 'Reserved', type: 'uint32', base: 'hex', mask: 0x80000000 },
  { name: 'http2.goaway.last_stream_id', label: 'Last-Stream-ID', type: 'uint32', base: 'dec', mask: 0x7fffffff },
  { name: 'http2.goaway.error', label: 'Error', type: 'uint32', base: 'dec', values: ERRORS },
  { name: 'http2.goaway.addata', label: 'Additional Debug Data', type: 'bytes' },
  { name: 'http2.window_update.r', label: 'Reserved', type: 'uint32', base: 'hex', mask: 0x80000000 },
  { name: 'http2.window_update.window_size_increment', label: 'Window Size Increment', type: 'uint32', base: 'dec', mask: 0x7fffffff },
  { name: 'http2.continuation.header', label: 'Continuation Header', type: 'bytes' },
  { name: 'http2.continuation.padding', label: 'Padding', type: 'bytes' },
  { name: 'http2.unknown', label: 'Unknown', type: 'bytes' },
] as const);

/**
 * The headers tshark gives a field of their own (http2.headers.method ...), shown as
 * "name: value" below the header; :status, content-length, age and max-forwards are numbers.
 */
const HEADER_FIELD_NAMES = [
  ':authority', ':status', ':path', ':method', ':scheme', 'accept', 'accept-charset', 'accept-encoding', 'accept-language',
  'accept-ranges', 'access-control-allow-origin', 'age', 'allow', 'authorization', 'cache-control', 'content-disposition',
  'content-encoding', 'content-language', 'content-length', 'content-location', 'content-range', 'content-type', 'cookie',
  'date', 'etag', 'expect', 'expires', 'from', 'if-match', 'if-modified-since', 'if-none-match', 'if-range',
  'if-unmodified-since', 'last-modified', 'link', 'location', 'max-forwards', 'proxy-authenticate', 'proxy-authorization',
  'range', 'referer', 'refresh', 'retry-after', 'server', 'set-cookie', 'strict-transport-security', 'user-agent', 'vary',
  'via', 'www-authenticate',
];
const NUMERIC_HEADERS: Readonly<Record<string, 'uint16' | 'uint64'>> = { ':status': 'uint16', age: 'uint64', 'content-length': 'uint64', 'max-forwards': 'uint64' };
const headerFieldDefs = defineFields(HEADER_FIELD_NAMES.map((h) => {
  const name = `http2.headers.${h.replace(/^:/, '').replace(/-/g, '_')}`;
  const numeric = NUMERIC_HEADERS[h];
  return numeric ? { name, label: h, type: numeric, base: 'dec' as const } : { name, label: h, type: 'string' as const };
}));
const HEADER_FIELDS = new Map<string, FieldDef>(HEADER_FIELD_NAMES.map((h, i) => [h, Object.values(headerFieldDefs)[i]!]));

const F = http2Fields;

const BODY_FRAGMENTS: FragmentFields = {
  list: F['http2.body.fragments'], item: F['http2.body.fragment'], count: F['http2.body.fragment.count'],
  length: F['http2.body.reassembled.length'], data: F['http2.body.reassembled.data'], showData: true,
};

/** The connection preface a client sends first (RFC 9113 3.4). */
const MAGIC = 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n';
const FRAME_HEADER = 9;

/** What one stream's frames have told so far (its request and the body being collected). */
interface StreamState {
  method: string;
  path: string;
  scheme: string;
  authority: string;
  /** The media type of the body from each side's content-type ("" when none), by side. */
  contentType: [string, string];
  /** Each side's content-encoding ("" when none). */
  encoding: [string, string];
  /** Each side's grpc-encoding, how its gRPC messages are compressed ("" when none). */
  grpcEncoding: [string, string];
  /** DATA frames' bytes waiting for the end of the stream, by side. */
  body: [Array<{ frame: number; data: Uint8Array }>, Array<{ frame: number; data: Uint8Array }>];
  /** A header block waiting for its CONTINUATION frames, by side. */
  pending: [Uint8Array[] | null, Uint8Array[] | null];
  /** A streamed body's message (a gRPC message) still coming in later DATA frames, by side. */
  streaming: [StreamingPdu | null, StreamingPdu | null];
}

/**
 * A message of a streamed body whose bytes span DATA frames: the length it needs so far (the
 * protocol's pduLength, which may grow once those bytes are there: a header first), and the pieces.
 */
interface StreamingPdu {
  need: number;
  parts: Array<{ frame: number; data: Uint8Array }>;
}

/** Bytes put together from DATA frames, with the pieces they came from. */
interface Reassembled {
  data: Uint8Array;
  parts: FragmentPart[];
}

/**
 * How a streamed DATA frame's bytes divide (tshark's streaming reassembly, with the streaming
 * protocol saying how much it needs as tshark's desegment_len does): first the bytes that go to
 * the message earlier frames began, a piece per length it needed (`continued`: a header cut
 * between frames is put together first, then the message), each that ended here with what was put
 * together (`reassembled`; the last is the whole message when `message`); then whole messages
 * (`wholeFrom` to `wholeTo`); then the start of one later frames end.
 */
interface StreamedPieces {
  continued: Array<{ length: number; ended: boolean }>;
  reassembled: Reassembled[];
  message: boolean;
  wholeFrom: number;
  wholeTo: number;
}

interface Connection {
  /** The HPACK decoder of each side's header blocks (0: the side that sent the preface, or first spoke). */
  decoders: [HpackDecoder, HpackDecoder];
  /** The endpoint ("addr/port") of side 0. */
  client: string;
  streams: Map<number, StreamState>;
}

/** What a frame's first dissection decided that a later one cannot work out again. */
interface FrameMemo {
  headers: Array<HpackField | HpackSizeUpdate> | null | undefined;
  /** A streamed DATA frame's pieces. */
  streamed?: StreamedPieces;
  /** The bytes a streamed message still needed when its stream ended (END_STREAM on this frame). */
  missing?: number;
  body: { data: Uint8Array; parts: FragmentPart[]; mediaType: string; encoding: string } | null;
  info: string;
}

/** Frame memos by frame number * 4096 + the frame's HTTP/2 frame index (the same on every dissection). */
function memosOf(capture: CaptureState): Map<number, FrameMemo> {
  return capture.get<Map<number, FrameMemo>>('http2.memos', () => {
    const memos = new Map<number, FrameMemo>();
    capture.onForget((first) => forgetFramesBefore(memos, first, (k) => Math.floor(k / 4096)));
    return memos;
  });
}

/** The packet's connection; `me` (the sender) is side 0 until a preface says otherwise. */
function connectionOf(ctx: PacketContext, me: string): Connection {
  return conversationState(ctx, 'http2.connections', () => ({ decoders: [new HpackDecoder(), new HpackDecoder()], client: me, streams: new Map() }));
}

function streamOf(c: Connection, id: number): StreamState {
  let s = c.streams.get(id);
  if (!s) c.streams.set(id, (s = { method: '', path: '', scheme: '', authority: '', contentType: ['', ''], encoding: ['', ''], grpcEncoding: ['', ''], body: [[], []], pending: [null, null], streaming: [null, null] }));
  return s;
}

const utf8 = new TextDecoder('utf-8');
const text = (b: Uint8Array) => utf8.decode(b);

function dissectHttp2(tvb: Tvb, ctx: PacketContext, node: FieldNode): boolean {
  const memos = memosOf(ctx.capture);
  const e = ctx.endpoints;
  const me = `${e.src}/${e.srcPort ?? 0}`;
  const conn = connectionOf(ctx, me);
  // Which call of HTTP/2 in this frame (a frame may carry several TLS records): memo keys.
  const call = (ctx.scratch['http2.calls'] as number | undefined) ?? 0;
  ctx.scratch['http2.calls'] = call + 1;
  const can = canDesegment(ctx);
  const infos: string[] = [];
  let item: FieldNode | null = node;
  let o = 0;
  let index = 0;
  while (o < tvb.reportedLength) {
    const captured = tvb.length - o;
    // The preface, at the start of the client's stream.
    if (o === 0 && captured >= 1 && tvb.u8(0) === 0x50) {
      if (captured < MAGIC.length && can && MAGIC.startsWith(tvb.ascii(0, captured))) {
        requestDesegment(ctx, 0, MAGIC.length - captured);
        break;
      }
      if (captured >= MAGIC.length && tvb.ascii(0, MAGIC.length) === MAGIC) {
        conn.client = me;
        addPduSize(ctx, MAGIC.length);
        const pdu = item ?? ctx.add(ctx.upperParent, http2Protocol.field, tvb, o, MAGIC.length, null);
        if (item) ctx.setLength(item, MAGIC.length);
        item = null;
        const s = ctx.addText(pdu, tvb, 0, MAGIC.length, 'Stream: Magic');
        ctx.add(s, F['http2.magic'], tvb, 0, MAGIC.length, MAGIC);
        infos.push('Magic');
        o += MAGIC.length;
        continue;
      }
    }
    if (captured < FRAME_HEADER) {
      if (can) requestDesegment(ctx, o, DESEGMENT_ONE_MORE_SEGMENT);
      break;
    }
    const length = tvb.u24(o);
    const plen = FRAME_HEADER + length;
    if (can && plen > captured) {
      requestDesegment(ctx, o, plen - captured);
      break;
    }
    addPduSize(ctx, plen);
    const pdu = new Tvb(tvb.bytes, tvb.abs(o), Math.min(plen, captured), plen);
    const pduItem: FieldNode = item ?? ctx.add(ctx.upperParent, http2Protocol.field, pdu, 0, plen, null);
    if (item) ctx.setLength(item, Math.min(plen, captured));
    item = null;
    const key = ctx.frame.number * 4096 + Math.min(call * 256 + index, 4095);
    try {
      infos.push(dissectFrame(pdu, ctx, pduItem, conn, me, memos, key));
    } catch (e) {
      // tshark writes Info as it goes: a body that turned out malformed leaves the frames before
      // it, this frame's name and what the body's dissectors had added (they start on an empty Info).
      infos.push(`${TYPES[pdu.u8(3)] ?? `Unknown type (${pdu.u8(3)})`}[${pdu.u32(5) & 0x7fffffff}]${ctx.info}`);
      ctx.info = separatedInfo(ctx, infos.join(', '));
      throw e;
    }
    index++;
    o += plen;
  }
  // After a PDU TCP put together in this segment, this call's frames go on the same list; and
  // the column stays HTTP2's, as in tshark. Else gRPC's column stays (it names the frame's
  // messages); any other body's is HTTP/2's.
  const fenced = fencedInfo(ctx);
  if (ctx.scratch[PROTOCOL_FENCE_SCRATCH] !== true || fenced) ctx.protocol = 'HTTP2';
  ctx.info = separatedInfo(ctx, infos.join(', '));
  return true;
}

/** The segment's Info: the earlier PDU's (fenced), then each frame's, joined with ", ". */

/** One frame; returns its Info text. */
function dissectFrame(pdu: Tvb, ctx: PacketContext, top: FieldNode, conn: Connection, me: string, memos: Map<number, FrameMemo>, key: number): string {
  const length = pdu.u24(0);
  const type = pdu.u8(3);
  const flags = pdu.u8(4);
  const id = pdu.u32(5) & 0x7fffffff;
  const name = TYPES[type] ?? `Unknown type (${type})`;
  let label = `Stream: ${name}, Stream ID: ${id}, Length ${length}`;
  // Labelled now: a body that turns out malformed stops the frame before its end.
  const stream = ctx.addText(top, pdu, 0, pdu.reportedLength, label);
  ctx.add(stream, F['http2.length'], pdu, 0, 3, length);
  ctx.add(stream, F['http2.type'], pdu, 3, 1, type);
  addFlags(pdu, ctx, stream, type, flags);
  ctx.add(stream, F['http2.r'], pdu, 5, 4, pdu.u32(5) >>> 31);
  ctx.add(stream, F['http2.streamid'], pdu, 5, 4, id);
  const memo = ctx.capture.revisits ? memos.get(key) : undefined;
  const live = memo === undefined;
  const m: FrameMemo = memo ?? { headers: undefined, body: null, info: '' };
  if (live && ctx.capture.revisits) memos.set(key, m);
  const side = me === conn.client ? 0 : 1;
  let info = `${name}[${id}]`;
  const p = FRAME_HEADER;
  const end = Math.min(pdu.length, FRAME_HEADER + length);
  switch (type) {
    case DATA: {
      const pad = padding(pdu, ctx, stream, flags, p, end);
      const dataEnd = end - pad.length;
      const data = pdu.slice(pad.at, Math.max(0, dataEnd - pad.at));
      const s = streamOf(conn, id);
      const endStream = (flags & 0x01) !== 0;
      // Streaming media types (gRPC's) are handed on frame by frame, as tshark's streaming mode does.
      const streamed = lookupStreamingMediaType(s.contentType[side]);
      if (streamed) {
        ctx.add(stream, F['http2.data.data'], pdu, pad.at, data.length, data, `DATA payload (${bytesCount(data.length)})`);
        if (data.length > 0) {
          if (live) m.streamed = streamedPieces(s, side, data, ctx.frame.number, streamed.pduLength);
          info += showStreamed(pdu.sub(pad.at, data.length), ctx, top, stream, m.streamed!, streamed.proto, { path: s.path, request: side === 0, contentType: s.contentType[side], encoding: s.grpcEncoding[side] });
        }
        const pending = s.streaming[side];
        if (live && endStream && pending) {
          m.missing = pending.need - pending.parts.reduce((n, part) => n + part.data.length, 0);
          s.streaming[side] = null;
        }
        if (m.missing !== undefined) {
          const text = `Reassembling HTTP2 body for subdissector failed, ${m.missing} bytes are missing before END_STREAM.`;
          ctx.addExpert(ctx.addText(stream, pdu, pad.at, data.length, text), 'warn', 'undecoded', text);
        }
      } else if (live) {
        if (data.length > 0) s.body[side].push({ frame: ctx.frame.number, data });
        if (endStream) m.body = assembleBody(s, side);
      }
      if (streamed) {
        // Shown above.
      } else if (!endStream) {
        label += ' (partial entity body)';
        // (An empty one too: tshark's item then reads "Data: <MISSING>".)
        ctx.add(stream, F['http2.data.data'], pdu, pad.at, data.length, data);
      } else {
        const body = m.body;
        // The body: this frame's data, or the stream's DATA frames put together.
        let whole: Tvb | null = null;
        // (Put together unless this frame alone carried it: an empty last frame after one with
        // the body still lists that one, as tshark's "[1 Body fragment (6154 bytes): #19(6154)]".)
        if (body && !(body.parts.length === 1 && data.length > 0)) {
          addFragmentTree(ctx, stream, BODY_FRAGMENTS, body.parts, body.data);
          whole = Tvb.of(body.data);
          ctx.nameSource(whole, 'Reassembled body');
        } else if (data.length > 0) whole = pdu.sub(pad.at, data.length);
        if (whole) info += showBody(whole, ctx, top, stream, body?.mediaType ?? s.contentType[side], body?.encoding ?? s.encoding[side]);
      }
      if (pad.length > 0) ctx.add(stream, F['http2.data.padding'], pdu, dataEnd, pad.length, pdu.slice(dataEnd, pad.length));
      break;
    }
    case HEADERS:
    case PUSH_PROMISE:
    case CONTINUATION: {
      let q = p;
      let pad = { at: q, length: 0 };
      if (type !== CONTINUATION) {
        pad = padding(pdu, ctx, stream, flags, q, end);
        q = pad.at;
      }
      if (type === HEADERS && (flags & 0x20) !== 0 && q + 5 <= end) {
        priority(pdu, ctx, stream, q);
        q += 5;
      }
      let promised = id;
      if (type === PUSH_PROMISE && q + 4 <= end) {
        promised = pdu.u32(q) & 0x7fffffff;
        ctx.add(stream, F['http2.push_promise.r'], pdu, q, 4, pdu.u32(q) >>> 31);
        ctx.add(stream, F['http2.push_promise.promised_stream_id'], pdu, q, 4, promised);
        q += 4;
      }
      const blockEnd = Math.max(q, end - pad.length);
      const fragment = pdu.slice(q, blockEnd - q);
      const blockField = type === HEADERS ? F['http2.headers'] : type === PUSH_PROMISE ? F['http2.push_promise.header'] : F['http2.continuation.header'];
      ctx.add(stream, blockField, pdu, q, fragment.length, fragment);
      const s = streamOf(conn, id);
      const endHeaders = (flags & 0x04) !== 0;
      if (live) {
        const parts = type === CONTINUATION ? s.pending[side] ?? [] : [];
        parts.push(fragment);
        if (endHeaders) {
          s.pending[side] = null;
          m.headers = conn.decoders[side].decode(concat(parts));
          if (m.headers) noteHeaders(m.headers, type === PUSH_PROMISE ? streamOf(conn, promised) : s, type === PUSH_PROMISE ? 1 - side : side);
        } else {
          s.pending[side] = parts;
          m.headers = undefined;
        }
      }
      if (m.headers) {
        const shown = showHeaders(ctx, stream, m.headers);
        if (shown.request) {
          const uri = `${s.scheme}://${s.authority}${s.path}`;
          if (s.scheme && s.authority) ctx.addGenerated(stream, F['http2.request.full_uri'], uri);
        }
        if (shown.summary) {
          label += `, ${shown.summary}`;
          info += `: ${shown.summary}`;
        }
      }
      if (pad.length > 0) ctx.add(stream, type === PUSH_PROMISE ? F['http2.push_promise.padding'] : F['http2.headers.padding'], pdu, blockEnd, pad.length, pdu.slice(blockEnd, pad.length));
      break;
    }
    case PRIORITY:
      if (p + 5 <= end) priority(pdu, ctx, stream, p);
      break;
    case RST_STREAM:
      if (p + 4 <= end) ctx.add(stream, F['http2.rst_stream.error'], pdu, p, 4, pdu.u32(p));
      break;
    case SETTINGS:
      addSettings(pdu, ctx, stream, p, end);
      // The peer's table size bounds what this side's encoder may use (RFC 7541 4.2).
      for (let q = p; live && q + 6 <= end; q += 6) if (pdu.u16(q) === 1) conn.decoders[(1 - side) as 0 | 1].setMaxTableSize(pdu.u32(q + 2));
      break;
    case PING:
      if (end > p) ctx.add(stream, (flags & 0x01) !== 0 ? F['http2.pong'] : F['http2.ping'], pdu, p, end - p, pdu.slice(p, end - p));
      break;
    case GOAWAY:
      if (p + 8 <= end) {
        ctx.add(stream, F['http2.goway.r'], pdu, p, 4, pdu.u32(p) >>> 31);
        ctx.add(stream, F['http2.goaway.last_stream_id'], pdu, p, 4, pdu.u32(p) & 0x7fffffff);
        ctx.add(stream, F['http2.goaway.error'], pdu, p + 4, 4, pdu.u32(p + 4));
        if (end > p + 8) ctx.add(stream, F['http2.goaway.addata'], pdu, p + 8, end - p - 8, pdu.slice(p + 8, end - p - 8));
      }
      break;
    case WINDOW_UPDATE:
      if (p + 4 <= end) {
        ctx.add(stream, F['http2.window_update.r'], pdu, p, 4, pdu.u32(p) >>> 31);
        ctx.add(stream, F['http2.window_update.window_size_increment'], pdu, p, 4, pdu.u32(p) & 0x7fffffff);
      }
      break;
    default:
      if (end > p) ctx.add(stream, F['http2.unknown'], pdu, p, end - p, pdu.slice(p, end - p));
  }
  ctx.setText(stream, label);
  return info;
}

const SETTING_VALUE: Record<number, FieldDef> = {
  1: F['http2.settings.header_table_size'], 2: F['http2.settings.enable_push'], 3: F['http2.settings.max_concurrent_streams'],
  4: F['http2.settings.initial_window_size'], 5: F['http2.settings.max_frame_size'], 6: F['http2.settings.max_header_list_size'],
  8: F['http2.settings.extended_connect'],
};

/** The flag bits of each frame type, as tshark lists them (the set ones also after "Flags: 0x25, "). */
const FLAG_BITS: Record<number, readonly FieldDef[]> = {
  [DATA]: [F['http2.flags.unused_data'], F['http2.flags.padded'], F['http2.flags.end_stream']],
  [HEADERS]: [F['http2.flags.unused_headers'], F['http2.flags.priority'], F['http2.flags.padded'], F['http2.flags.eh'], F['http2.flags.end_stream']],
  [SETTINGS]: [F['http2.flags.unused_settings'], F['http2.flags.ack.settings']],
  [PUSH_PROMISE]: [F['http2.flags.unused_push_promise'], F['http2.flags.padded'], F['http2.flags.eh']],
  [PING]: [F['http2.flags.unused_ping'], F['http2.flags.ack.ping']],
  [CONTINUATION]: [F['http2.flags.unused_continuation'], F['http2.flags.eh']],
};

/** SETTINGS parameters (6 bytes each) at tvb[p, end), an item each under `parent`. */
function addSettings(tvb: Tvb, ctx: PacketContext, parent: FieldNode, p: number, end: number): void {
  for (let q = p; q + 6 <= end; q += 6) {
    const sid = tvb.u16(q);
    const value = tvb.u32(q + 2);
    const item = ctx.add(parent, F['http2.settings'], tvb, q, 6, null, `Settings - ${SETTINGS_NAMES[sid] ?? 'Unknown'} : ${value}`);
    ctx.add(item, F['http2.settings.id'], tvb, q, 2, sid);
    ctx.add(item, SETTING_VALUE[sid] ?? F['http2.settings.unknown'], tvb, q + 2, 4, value);
  }
}

function addFlags(pdu: Tvb, ctx: PacketContext, stream: FieldNode, type: number, flags: number): void {
  const bits = FLAG_BITS[type] ?? [F['http2.flags.unused']];
  const set = bits.filter((b) => b.type === 'boolean' && (flags & b.mask!) !== 0).map((b) => b.label);
  const node = ctx.add(stream, F['http2.flags'], pdu, 4, 1, flags, `Flags: 0x${flags.toString(16).padStart(2, '0')}${set.length ? `, ${set.join(', ')}` : ''}`);
  for (const b of bits) {
    if (b.type === 'boolean') ctx.add(node, b, pdu, 4, 1, (flags & b.mask!) !== 0);
    else ctx.add(node, b, pdu, 4, 1, flags & b.mask!);
  }
}

/** A padded frame's Pad Length (tshark shows "[Pad Length: 0]" for an unpadded one); where the payload starts and the padding's length. */
function padding(pdu: Tvb, ctx: PacketContext, stream: FieldNode, flags: number, p: number, end: number): { at: number; length: number } {
  if ((flags & 0x08) === 0 || p + 1 > end) {
    ctx.addGenerated(stream, F['http2.pad_length'], 0);
    return { at: p, length: 0 };
  }
  const n = pdu.u8(p);
  ctx.add(stream, F['http2.padding'], pdu, p, 1, n);
  return { at: p + 1, length: Math.min(n, end - p - 1) };
}

/** The priority fields (RFC 9113 6.3): exclusive bit, dependency, weight. */
function priority(pdu: Tvb, ctx: PacketContext, stream: FieldNode, q: number): void {
  const v = pdu.u32(q);
  ctx.add(stream, F['http2.exclusive'], pdu, q, 4, v >>> 31 === 1);
  ctx.add(stream, F['http2.stream_dependency'], pdu, q, 4, v & 0x7fffffff);
  const weight = pdu.u8(q + 4);
  ctx.add(stream, F['http2.headers.weight'], pdu, q + 4, 1, weight);
  ctx.addGenerated(stream, F['http2.headers.weight_real'], weight + 1);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** The request's pseudo-headers and each side's content type, for the URI, the Info text and the body's dissector. */
function noteHeaders(entries: ReadonlyArray<HpackField | HpackSizeUpdate>, s: StreamState, side: number): void {
  for (const h of entries) {
    if (!('name' in h)) continue;
    const name = text(h.name);
    const value = text(h.value);
    if (name === ':method') s.method = value;
    else if (name === ':path') s.path = value;
    else if (name === ':scheme') s.scheme = value;
    else if (name === ':authority') s.authority = value;
    else if (name === 'content-type') s.contentType[side as 0 | 1] = value.split(';')[0]!.trim().toLowerCase();
    else if (name === 'content-encoding') s.encoding[side as 0 | 1] = value.trim().toLowerCase();
    else if (name === 'grpc-encoding') s.grpcEncoding[side as 0 | 1] = value;
  }
}

/** The body of a stream's side once it ended: its DATA frames' bytes in order, with the frames they came in. */
function assembleBody(s: StreamState, side: 0 | 1): FrameMemo['body'] {
  const frames = s.body[side];
  s.body[side] = [];
  if (frames.length === 0) return null;
  const parts: FragmentPart[] = [];
  let at = 0;
  for (const f of frames) {
    parts.push({ frame: f.frame, offset: at, length: f.data.length });
    at += f.data.length;
  }
  return { data: concat(frames.map((f) => f.data)), parts, mediaType: s.contentType[side], encoding: s.encoding[side] };
}

const DECODED_CODINGS: ReadonlySet<string> = new Set(['gzip', 'x-gzip', 'deflate', 'x-deflate', 'br']);

/**
 * A stream's whole body: its Data item, then its media type's dissector (below the frame's
 * HTTP/2 item); a content-encoded one (gzip, deflate, br) first undone, as tshark shows it:
 * "Content-encoded entity body (gzip): 8131 bytes -> 8106 bytes" with the Data inside and the
 * media type's dissector below the stream. Returns what Info adds (" (text/html)").
 */
/**
 * How this DATA frame's bytes divide between the message the side's earlier frames began, whole
 * messages, and one that continues in later frames, by the streaming protocol's own framing
 * (`pduLength`); the side's state moves on (first pass).
 */
function streamedPieces(s: StreamState, side: 0 | 1, data: Uint8Array, frame: number, pduLength: StreamingMediaType['pduLength']): StreamedPieces {
  const out: StreamedPieces = { continued: [], reassembled: [], message: false, wholeFrom: 0, wholeTo: data.length };
  const pending = s.streaming[side];
  let o = 0;
  while (pending && o < data.length) {
    const have = pending.parts.reduce((n, p) => n + p.data.length, 0);
    const take = Math.min(data.length - o, pending.need - have);
    pending.parts.push({ frame, data: data.slice(o, o + take) });
    o += take;
    const ended = have + take === pending.need;
    out.continued.push({ length: take, ended });
    if (!ended) break;
    let at = 0;
    const parts: FragmentPart[] = pending.parts.map((p) => ({ frame: p.frame, offset: (at += p.data.length) - p.data.length, length: p.data.length }));
    const whole = concat(pending.parts.map((p) => p.data));
    out.reassembled.push({ data: whole, parts });
    // What was put together may say the message is longer (a header that was cut): wait for that.
    const need = pduLength(whole, 0);
    if (need > whole.length) {
      pending.need = need;
      continue;
    }
    out.message = true;
    s.streaming[side] = null;
    break;
  }
  out.wholeFrom = o;
  while (o < data.length) {
    const need = pduLength(data, o);
    if (o + need > data.length) {
      s.streaming[side] = { need, parts: [{ frame, data: data.slice(o) }] };
      break;
    }
    o += need;
  }
  out.wholeTo = o;
  return out;
}

/**
 * A streamed DATA frame as tshark shows it: the bytes ending a message earlier frames began
 * ("[Reassembled body in frame]", "DATA segment data", the body fragments, the message from a
 * "Reassembled HTTP2 streaming body" source), whole messages, and the start of one later frames
 * end ("[HTTP2 segment of a reassembled PDU]"). Returns what they add to Info.
 */
function showStreamed(bytes: Tvb, ctx: PacketContext, top: FieldNode, stream: FieldNode, pieces: StreamedPieces, proto: Protocol, call: GrpcCall): string {
  let info = '';
  let at = 0;
  for (const piece of pieces.continued) {
    if (piece.ended) ctx.addGenerated(stream, F['http2.body.reassembled.in'], ctx.frame.number);
    addSegment(ctx, stream, bytes, at, piece.length);
    at += piece.length;
  }
  let message: Tvb | null = null;
  for (const r of pieces.reassembled) {
    addFragmentTree(ctx, top, BODY_FRAGMENTS, r.parts, r.data);
    message = Tvb.of(r.data);
    ctx.nameSource(message, 'Reassembled HTTP2 streaming body');
  }
  if (message && pieces.message) info += streamedBody(message, ctx, proto, call);
  if (pieces.wholeTo > pieces.wholeFrom) info += streamedBody(bytes.sub(pieces.wholeFrom, pieces.wholeTo - pieces.wholeFrom), ctx, proto, call);
  if (pieces.wholeTo < bytes.length) {
    addSegment(ctx, stream, bytes, pieces.wholeTo, bytes.length - pieces.wholeTo);
    info += ' [HTTP2 segment of a reassembled PDU]';
  }
  return info;
}

function addSegment(ctx: PacketContext, stream: FieldNode, bytes: Tvb, at: number, length: number): void {
  ctx.add(stream, F['http2.data.segment'], bytes, at, length, bytes.slice(at, length), `DATA segment data (${bytesCount(length)})`);
}

/** "1 byte", "7 bytes", as tshark's units say it. */
function bytesCount(n: number): string {
  return `${n} byte${n === 1 ? '' : 's'}`;
}

/**
 * A streamed body's bytes (one DATA frame's) handed to its protocol (gRPC) with the stream it
 * belongs to; returns what that protocol adds to Info (" (GRPC) (PROTOBUF)").
 */
function streamedBody(bytes: Tvb, ctx: PacketContext, proto: Protocol, call: GrpcCall): string {
  const info = ctx.info;
  ctx.info = '';
  ctx.scratch[GRPC_CALL_SCRATCH] = call;
  callProtocol(proto, bytes, ctx, null);
  const added = ctx.info;
  ctx.info = info;
  return added;
}

function showBody(body: Tvb, ctx: PacketContext, top: FieldNode, stream: FieldNode, mediaType: string, encoding: string): string {
  let shown = body;
  let parent = top;
  // The codings tshark 4.0 undoes (others, zstd among them, are shown as they came).
  if (DECODED_CODINGS.has(encoding)) {
    const bytes = body.slice(0, body.length);
    const decoded = decodeContent(encoding, bytes);
    const label = `Content-encoded entity body (${encoding}): ${bytes.length} bytes`;
    if (!decoded) {
      const item = ctx.addText(stream, body, 0, body.length, `${label} [Error: Decompression failed]`);
      ctx.addExpert(item, 'warn', 'undecoded', 'Body decompression failed');
      return mediaType ? ` (${mediaType})` : '';
    }
    const item = ctx.addText(stream, body, 0, body.length, `${label} -> ${decoded.length} bytes`);
    shown = Tvb.of(decoded);
    ctx.nameSource(shown, 'Uncompressed entity body');
    ctx.add(item, F['http2.data.data'], shown, 0, decoded.length, decoded);
    parent = stream;
  } else {
    ctx.add(stream, F['http2.data.data'], body, 0, body.length, body.slice(0, body.length));
  }
  if (!mediaType) return '';
  const proto = lookupMediaType(mediaType);
  if (proto) {
    ctx.scratch[MEDIA_TYPE_SCRATCH] = mediaType;
    ctx.scratch[MEDIA_PARAMETERS_SCRATCH] = null;
    // On an empty Info, as streamedBody's: HTTP/2 writes the frames' own at the end.
    const info = ctx.info;
    ctx.info = '';
    callProtocol(proto, shown, ctx, parent);
    ctx.info = info;
  }
  return ` (${mediaType})`;
}

/**
 * The decompressed header block as tshark shows it: a "Decompressed Header" source holding
 * each header as name length, name, value length, value (4-byte lengths), "Header: name: value"
 * items over it, and the summary Info gets ("GET /", "200 OK").
 */
function showHeaders(ctx: PacketContext, stream: FieldNode, entries: ReadonlyArray<HpackField | HpackSizeUpdate>): { summary: string; request: boolean } {
  const fields = entries.filter((h): h is HpackField => 'name' in h);
  let size = 0;
  for (const h of fields) size += 8 + h.name.length + h.value.length;
  const buf = new Uint8Array(size);
  const view = new DataView(buf.buffer);
  let o = 0;
  for (const h of fields) {
    view.setUint32(o, h.name.length);
    buf.set(h.name, o + 4);
    view.setUint32(o + 4 + h.name.length, h.value.length);
    buf.set(h.value, o + 8 + h.name.length);
    o += 8 + h.name.length + h.value.length;
  }
  const tvb = Tvb.of(buf);
  if (size > 0) ctx.nameSource(tvb, 'Decompressed Header');
  ctx.addGenerated(stream, F['http2.header.length'], size);
  // A dynamic table size update counts as a header, as in tshark.
  ctx.addGenerated(stream, F['http2.header.count'], entries.length);
  let method = '', path = '', status = '';
  o = 0;
  for (const h of entries) {
    if (!('name' in h)) {
      const u = ctx.add(stream, F['http2.header_table_size_update'], tvb, o, 0, null);
      ctx.add(u, F['http2.header_table_size_update.header_table_size'], tvb, o, 0, h.sizeUpdate);
      continue;
    }
    const name = text(h.name);
    const value = text(h.value);
    const n = h.name.length, v = h.value.length;
    const shownValue = printableText(value);
    const reason = name === ':status' ? HTTP_STATUS[Number(value)] : undefined;
    const header = ctx.add(stream, F['http2.header'], tvb, o, 8 + n + v, null, `Header: ${printableText(name)}: ${shownValue}${reason ? ` ${reason}` : ''}`);
    ctx.add(header, F['http2.header.name.length'], tvb, o, 4, n);
    ctx.add(header, F['http2.header.name'], tvb, o + 4, n, name);
    ctx.add(header, F['http2.header.value.length'], tvb, o + 4 + n, 4, v);
    ctx.add(header, F['http2.header.value'], tvb, o + 8 + n, v, value);
    const known = HEADER_FIELDS.get(name);
    if (known) {
      const numeric = known.type !== 'string';
      const num = Number(value);
      if (!numeric) {
        const named = ctx.add(header, known, tvb, o + 8 + n, v, value);
        if (name === ':path') addPathComponents(ctx, tvb, named, o + 8 + n, v);
      } else if (/^\d+$/.test(value) && Number.isSafeInteger(num)) ctx.add(header, known, tvb, o + 8 + n, v, num);
    }
    ctx.addGenerated(header, F['http2.header.unescaped'], unescaped(value));
    // How the header was coded: tshark's items have no bytes of their own.
    ctx.add(header, F['http2.header.repr'], tvb, o, 0, h.representation);
    if (h.index !== undefined) ctx.add(header, F['http2.header.index'], tvb, o, 0, h.index);
    if (name === ':method') method = value;
    else if (name === ':path') path = value;
    else if (name === ':status') status = reason ? `${value} ${reason}` : value;
    o += 8 + n + v;
  }
  const summary = method ? `${method} ${path}` : status;
  return { summary, request: method !== '' };
}

/** A header value with its %XX escapes decoded (tshark's "Unescaped"), as is when they are not valid. */
function unescaped(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export const http2Protocol = defineProtocol('http2', 'HyperText Transfer Protocol 2', dissectHttp2, 'HTTP2');
// TLS hands decrypted application data here when ALPN chose "h2" (by name).
registerDissector(http2Protocol);
// The SETTINGS of an h2c upgrade request's HTTP2-Settings header (RFC 7540 3.2.1), which HTTP
// decodes and hands here by name: items under the header's line, no layer of their own.
registerDissector({ ...http2Protocol, dissect: (tvb, ctx, node) => addSettings(tvb, ctx, node, 0, tvb.length) }, 'http2.settings_header');

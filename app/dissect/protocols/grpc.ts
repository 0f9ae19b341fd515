// gRPC (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md) and gRPC-Web
// (PROTOCOL-WEB.md) as tshark 4.0 shows them: the length-prefixed messages in the body of a call
// whose content type is application/grpc[+proto|+json], application/grpc-web[+proto] or
// application/grpc-web-text[+proto] (base64 text, decoded into a "Decoded base64 body").
//
// HTTP/2 hands each DATA frame's whole messages here as they come (tshark's streaming mode for
// these types: no waiting for the end of the stream), with the stream's :path, the side that sent
// them, its content type and grpc-encoding (GRPC_CALL_SCRATCH); it puts a message cut between
// frames together by the length messageLength reads from the header (registerStreamingMediaType,
// as tshark asks gRPC through desegment_len). HTTP/1.1 hands a gRPC-Web body whole, by its media
// type (HTTP_MESSAGE_SCRATCH names the request's URI and the side).
//
// Each message is a "GRPC Message: /helloworld.Greeter/SayHello, Request" item (frame type,
// compressed flag, length, data; "GRPC-Web Message" and "GRPC-Web-Text Message" for those types,
// " (Trailer)" for a gRPC-Web trailer frame, whose text goes to Line-based text data). A compressed
// message is inflated when the call's grpc-encoding is gzip or deflate ("Message-encoded entity
// body (gzip): 30 bytes -> 10 bytes", an "Uncompressed entity body"); other codings are shown as
// they came. The data goes to the dissector the call's content type names (grpc_message_type:
// Protocol Buffers, or JSON for +json and for data that starts with "{" and ends with "}", as
// tshark's detect_json_automatically). The Protocol column is the type's name, fenced, so that
// JSON's makes it "GRPC/JSON"; Info gets " (GRPC)".
import { decodeBase64 } from '../base64.js';
import { decodeContent } from '../content-coding.js';
import { defineFields } from '../field.js';
import { callProtocol, defineProtocol, findDissector, GRPC_CALL_SCRATCH, HTTP_MESSAGE_SCRATCH, lookupGrpcMessageType, MEDIA_TYPE_SCRATCH, PROTOBUF_MESSAGE_SCRATCH, PROTOCOL_FENCE_SCRATCH, registerMediaType, registerStreamingMediaType, type GrpcCall, type HttpMessage, type Protocol } from '../dispatch.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import { Tvb } from '../tvb.js';

export const grpcFields = defineFields([
  { name: 'grpc.frame_type', label: 'Frame Type', type: 'uint8', base: 'dec', mask: 0x80, values: { 0: 'Data', 1: 'Trailer' } },
  { name: 'grpc.compressed_flag', label: 'Compressed Flag', type: 'uint8', base: 'dec', mask: 0x01, values: { 0: 'Not Compressed', 1: 'Compressed' } },
  { name: 'grpc.message_length', label: 'Message Length', type: 'uint32', base: 'dec' },
  { name: 'grpc.message_data', label: 'Message Data', type: 'bytes' },
] as const);

const F = grpcFields;
const HEADER = 5;
const TRAILER = 0x80, COMPRESSED = 0x01;

/** The protocol's name by content type (get_grpc_protocol_type): the column, the items, Info. */
function kindOf(contentType: string): string {
  if (contentType.startsWith('application/grpc-web-text')) return 'GRPC-Web-Text';
  if (contentType.startsWith('application/grpc-web')) return 'GRPC-Web';
  return 'GRPC';
}

/** The call the bytes belong to: HTTP/2's stream, or the HTTP/1.1 message carrying a gRPC-Web body. */
function callOf(ctx: PacketContext): GrpcCall {
  const call = ctx.scratch[GRPC_CALL_SCRATCH] as GrpcCall | undefined;
  if (call) return call;
  const http = ctx.scratch[HTTP_MESSAGE_SCRATCH] as HttpMessage | undefined;
  const contentType = (ctx.scratch[MEDIA_TYPE_SCRATCH] as string | undefined) ?? 'application/grpc';
  return { path: http?.uri ?? '', request: http?.request ?? true, contentType, encoding: http?.grpcEncoding ?? '' };
}

function dissectGrpc(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  const call = callOf(ctx);
  const kind = kindOf(call.contentType);
  let data = tvb;
  let item: FieldNode | null = node;
  if (kind === 'GRPC-Web-Text') {
    data = Tvb.of(decodeBase64(tvb.slice(0, tvb.length)));
    ctx.nameSource(data, 'Decoded base64 body');
    // The messages' items are on the decoded bytes, not on the text the layer's item covers.
    ctx.removeNode(null, node);
    item = null;
  }
  let o = 0;
  while (o < data.length) {
    if (!data.has(o, HEADER) || !data.has(o + HEADER, data.u32(o + 1))) {
      // HTTP/2 hands on whole messages, but gRPC-Web-Text's are counted in base64 characters as
      // tshark counts them, and those can end inside a message: tshark asks for more there
      // (desegment_len) and shows nothing.
      if (ctx.scratch[GRPC_CALL_SCRATCH] !== undefined) break;
      // A body that ends inside a message (HTTP/1.1's, or a capture cut short).
      const need = data.has(o, HEADER) ? HEADER + data.u32(o + 1) : HEADER;
      const text = `${kind} Malformed message data: only ${data.length - o} bytes left, need at least ${need} bytes.`;
      ctx.addExpert(ctx.addText(null, data, o, data.length - o, text), 'warn', 'undecoded', text);
      break;
    }
    if (o === 0) {
      // Set once a packet: a later call in it leaves what JSON made of the column ("GRPC/JSON").
      if (ctx.scratch[PROTOCOL_FENCE_SCRATCH] !== true) ctx.protocol = kind;
      ctx.scratch[PROTOCOL_FENCE_SCRATCH] = true;
      ctx.info += ` (${kind})`;
    }
    const length = data.u32(o + 1);
    const top = item ?? ctx.add(null, grpcProtocol.field, data, o, HEADER + length, null);
    // The layer's own item (the first message's) spans that message, not all the bytes given.
    if (top === item) ctx.setLength(top, HEADER + length);
    item = null;
    const flags = data.u8(o);
    ctx.setText(top, `${kind} Message${call.path ? `: ${call.path}, ${call.request ? 'Request' : 'Response'}` : ''}${flags & TRAILER ? ' (Trailer)' : ''}`);
    ctx.add(top, F['grpc.frame_type'], data, o, 1, (flags & TRAILER) >> 7);
    ctx.add(top, F['grpc.compressed_flag'], data, o, 1, flags & COMPRESSED);
    ctx.add(top, F['grpc.message_length'], data, o + 1, 4, length);
    if (length > 0) messageData(data.sub(o + HEADER, length), ctx, top, flags, call);
    o += HEADER + length;
  }
}

/** A message's data: inflated first when compressed with a coding tshark undoes, then to its dissector. */
function messageData(bytes: Tvb, ctx: PacketContext, top: FieldNode, flags: number, call: GrpcCall): void {
  let body = bytes;
  let dissect = true;
  if (flags & COMPRESSED) {
    dissect = false;
    if (call.encoding === 'gzip' || call.encoding === 'deflate') {
      // tshark inflates either as zlib finds it (gzip or zlib header, or raw deflate).
      const raw = bytes.slice(0, bytes.length);
      const inflated = decodeContent('gzip', raw) ?? decodeContent('deflate', raw);
      const label = `Message-encoded entity body (${call.encoding}): ${bytes.length} bytes`;
      if (inflated) {
        ctx.addText(top, bytes, 0, bytes.length, `${label} -> ${inflated.length} bytes`);
        body = Tvb.of(inflated);
        ctx.nameSource(body, 'Uncompressed entity body');
        dissect = true;
      } else {
        const item = ctx.addText(top, bytes, 0, bytes.length, label);
        ctx.addExpert(ctx.addText(item, bytes, 0, bytes.length, 'Body decompression failed'), 'warn', 'undecoded', 'Body decompression failed');
      }
    }
  }
  ctx.add(top, F['grpc.message_data'], body, 0, body.length, body.slice(0, body.length), `Message Data: ${body.length} bytes`);
  if (flags & TRAILER) {
    const text = findDissector('data-text-lines');
    if (text) showWith(text, body, ctx, top, call.contentType, ` (${call.contentType})`);
    return;
  }
  if (!dissect || !call.path) return;
  // JSON sent as application/grpc (grpc-java does): found by its braces (detect_json_automatically).
  let type = call.contentType;
  if (body.length > 3 && body.u8(0) === 0x7b && [1, 2, 3].some((back) => body.u8(body.length - back) === 0x7d)) type = 'application/grpc+json';
  const proto = lookupGrpcMessageType(type);
  if (!proto) return;
  ctx.scratch[PROTOBUF_MESSAGE_SCRATCH] = `${call.path},${call.request ? 'request' : 'response'}`;
  if (proto.id === 'json') {
    if (!ctx.protocol.endsWith('/JSON')) ctx.protocol += '/JSON';
    showWith(proto, body, ctx, null, type, `, JavaScript Object Notation (${type})`);
  } else showWith(proto, body, ctx, null, type, '');
}

/** Calls `proto` on the bytes with `mediaType` as its media type; `info` is what that dissector adds to Info. */
function showWith(proto: Protocol, bytes: Tvb, ctx: PacketContext, parent: FieldNode | null, mediaType: string, info: string): void {
  const saved = ctx.scratch[MEDIA_TYPE_SCRATCH];
  ctx.scratch[MEDIA_TYPE_SCRATCH] = mediaType;
  callProtocol(proto, bytes, ctx, parent);
  ctx.scratch[MEDIA_TYPE_SCRATCH] = saved;
  ctx.info += info;
}

export const grpcProtocol = defineProtocol('grpc', 'GRPC Message', dissectGrpc, 'GRPC');

/** A message's length with its 5-byte header (flags, length); the header's while it is not all there. */
function messageLength(data: Uint8Array, offset: number): number {
  if (data.length - offset < HEADER) return HEADER;
  return HEADER + ((data[offset + 1]! << 24 | data[offset + 2]! << 16 | data[offset + 3]! << 8 | data[offset + 4]!) >>> 0);
}

for (const t of ['application/grpc', 'application/grpc+proto', 'application/grpc+json', 'application/grpc-web', 'application/grpc-web+proto', 'application/grpc-web-text', 'application/grpc-web-text+proto']) {
  registerMediaType(t, grpcProtocol);
  registerStreamingMediaType(t, grpcProtocol, t.startsWith('application/grpc-web-text') ? base64MessageLength : messageLength);
}

/** tshark's BASE64_ENCODE_SIZE: how many base64 characters `n` bytes take. */
const base64Size = (n: number) => Math.floor(n / 3) * 4 + (n % 3 === 0 ? 0 : 4);

/**
 * gRPC-Web-Text's messageLength, in base64 characters as tshark converts its desegment lengths:
 * the text from `offset` decoded, then what it still needs (or the message's) counted back in text.
 */
function base64MessageLength(text: Uint8Array, offset: number): number {
  const avail = text.length - offset;
  const bytes = decodeBase64(text.subarray(offset));
  const need = messageLength(bytes, 0);
  return bytes.length >= need ? base64Size(need) : avail + base64Size(need - bytes.length);
}

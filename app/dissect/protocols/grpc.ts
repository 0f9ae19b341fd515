// gRPC (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md) as tshark 4.0 shows it:
// the messages in the DATA frames of an HTTP/2 stream whose content type is application/grpc.
// HTTP/2 hands each DATA frame's whole messages here as they come (tshark's streaming mode for
// these types: no waiting for the end of the stream), with the stream's :path and the side that
// sent them; it puts a message cut between frames together by the length messageLength reads
// from the header (registerStreamingMediaType, as tshark asks gRPC through desegment_len). Each message is a "GRPC Message: /helloworld.Greeter/SayHello, Request" item (frame type,
// compressed flag, length, data), its data handed to Protocol Buffers; Info gets " (GRPC)" and
// the Protocol column "GRPC".
import { defineFields } from '../field.js';
import { callProtocol, defineProtocol, findDissector, GRPC_CALL_SCRATCH, PROTOBUF_MESSAGE_SCRATCH, registerMediaType, registerStreamingMediaType } from '../dispatch.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';

export const grpcFields = defineFields([
  { name: 'grpc.frame_type', label: 'Frame Type', type: 'uint8', base: 'dec', mask: 0x80, values: { 0: 'Data', 1: 'Trailer' } },
  { name: 'grpc.compressed_flag', label: 'Compressed Flag', type: 'uint8', base: 'dec', mask: 0x01, values: { 0: 'Not Compressed', 1: 'Compressed' } },
  { name: 'grpc.message_length', label: 'Message Length', type: 'uint32', base: 'dec' },
  { name: 'grpc.message_data', label: 'Message Data', type: 'bytes' },
] as const);

const F = grpcFields;
const HEADER = 5;

/** What HTTP/2 tells gRPC of the stream whose bytes it hands on (GRPC_CALL_SCRATCH). */
export interface GrpcCall {
  path: string;
  request: boolean;
}

function dissectGrpc(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  const call = ctx.scratch[GRPC_CALL_SCRATCH] as GrpcCall | undefined;
  const path = call?.path ?? '';
  const direction = call?.request === false ? 'Response' : 'Request';
  ctx.protocol = 'GRPC';
  ctx.info += ' (GRPC)';
  const protobuf = findDissector('protobuf');
  let item: FieldNode | null = node;
  let o = 0;
  while (tvb.has(o, HEADER)) {
    const length = tvb.u32(o + 1);
    const span = Math.min(HEADER + length, tvb.length - o);
    const top = item ?? ctx.add(null, grpcProtocol.field, tvb, o, span, null);
    // The layer's own item (the first message's) spans that message, not all the bytes given.
    if (top === item) ctx.setLength(top, span);
    item = null;
    ctx.setText(top, `GRPC Message: ${path}, ${direction}`);
    ctx.add(top, F['grpc.frame_type'], tvb, o, 1, (tvb.u8(o) & 0x80) >> 7);
    ctx.add(top, F['grpc.compressed_flag'], tvb, o, 1, tvb.u8(o) & 0x01);
    ctx.add(top, F['grpc.message_length'], tvb, o + 1, 4, length);
    const captured = Math.min(length, tvb.length - o - HEADER);
    if (length > 0) ctx.add(top, F['grpc.message_data'], tvb, o + HEADER, captured, tvb.slice(o + HEADER, captured), `Message Data: ${length} bytes`);
    // An uncompressed message of the method's type, which tshark cannot name without its .proto.
    if (length > 0 && captured === length && (tvb.u8(o) & 0x01) === 0 && protobuf) {
      ctx.scratch[PROTOBUF_MESSAGE_SCRATCH] = `${path},${direction.toLowerCase()}`;
      callProtocol(protobuf, tvb.sub(o + HEADER, length), ctx, null);
    }
    o += HEADER + length;
  }
}

export const grpcProtocol = defineProtocol('grpc', 'GRPC Message', dissectGrpc, 'GRPC');
/** A message's length with its 5-byte header (flags, length); the header's while it is not all there. */
function messageLength(data: Uint8Array, offset: number): number {
  if (data.length - offset < HEADER) return HEADER;
  return HEADER + ((data[offset + 1]! << 24 | data[offset + 2]! << 16 | data[offset + 3]! << 8 | data[offset + 4]!) >>> 0);
}

for (const t of ['application/grpc', 'application/grpc+proto']) {
  registerMediaType(t, grpcProtocol);
  registerStreamingMediaType(t, grpcProtocol, messageLength);
}

// Protocol Buffers (the wire format, https://protobuf.dev/programming-guides/encoding/) as
// tshark 4.0 shows a message it has no .proto for: gRPC's messages (grpc.ts hands them here by
// name, with the method's path and direction: "Protocol Buffers: /t.S/Call,request"). Each
// field is "Field(n)" with its number and wire type as bit pictures over its tag, then its
// value's bytes and, for numbers, the value read as tshark reads it without a schema: a varint
// as Uint32 when it fits 32 bits (else Uint64), a 64-bit value as Uint64, a 32-bit value as
// Uint32; a length-delimited value is shown as its bytes ("Field(7):").
//
// The field number's picture is tshark's: the tag's varint bytes read as one number and drawn
// byte by byte with each byte's top bit as "." (so a tag's own bit 7 is never shown) and the
// wire type's three bits as "...".
import { defineFields } from '../field.js';
import { defineProtocol, PROTOBUF_MESSAGE_SCRATCH, registerDissector, registerGrpcMessageType } from '../dispatch.js';
import { bitPicture } from '../format.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';

const WIRE_TYPES: Record<number, string> = {
  0: 'varint', 1: '64-bit', 2: 'Length-delimited', 3: 'Start group (deprecated)', 4: 'End group (deprecated)', 5: '32-bit',
};
const VARINT = 0, I64 = 1, LEN = 2, I32 = 5;

export const protobufFields = defineFields([
  { name: 'protobuf.message.name', label: 'Message Name', type: 'string' },
  { name: 'protobuf.field.name', label: 'Field Name', type: 'string' },
  { name: 'protobuf.field.number', label: 'Field Number', type: 'uint64', base: 'dec' },
  { name: 'protobuf.field.wiretype', label: 'Wire Type', type: 'uint8', base: 'dec', mask: 0x07, values: WIRE_TYPES },
  { name: 'protobuf.field.value.length', label: 'Value Length', type: 'uint64', base: 'dec' },
  { name: 'protobuf.field.value', label: 'Value', type: 'bytes' },
  { name: 'protobuf.field.value.uint64', label: 'Uint64', type: 'uint64', base: 'dec' },
  { name: 'protobuf.field.value.uint32', label: 'Uint32', type: 'uint32', base: 'dec' },
] as const);

const F = protobufFields;

/** The name tshark gives a message and its fields when it has no .proto for them. */
const UNKNOWN_MESSAGE = '<UNKNOWN> Message Type';
const UNKNOWN_FIELD = '<UNKNOWN>';

/** A varint at `o` (at most 10 bytes): its value and length, or null when it runs past the end. */
function varint(tvb: Tvb, o: number): { value: bigint; length: number } | null {
  let value = 0n;
  for (let i = 0; i < 10; i++) {
    if (!tvb.has(o + i, 1)) return null;
    const b = tvb.u8(o + i);
    value |= BigInt(b & 0x7f) << BigInt(7 * i);
    if ((b & 0x80) === 0) return { value: BigInt.asUintN(64, value), length: i + 1 };
  }
  return null;
}

/** The bytes of a tag of `bytes` bytes, value `tag`, as tshark pictures the field number over them. */
function fieldNumberPicture(tag: bigint, bytes: number): string {
  const out: string[] = [];
  for (let i = bytes - 1; i >= 0; i--) {
    const byte = Number((tag >> BigInt(8 * i)) & 0xffn);
    const bits = byte.toString(2).padStart(8, '0').split('');
    bits[0] = '.';
    if (i === 0) bits[5] = bits[6] = bits[7] = '.';
    out.push(`${bits.slice(0, 4).join('')} ${bits.slice(4).join('')}`);
  }
  return out.join(' ');
}

function dissectProtobuf(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  // What the caller says the message is: gRPC's "application/grpc,/path,request" names it.
  const about = ctx.scratch[PROTOBUF_MESSAGE_SCRATCH];
  if (typeof about === 'string') ctx.setText(node, `Protocol Buffers: ${about}`);
  ctx.info += ' (PROTOBUF)';
  const message = ctx.addText(node, tvb, 0, tvb.length, `Message: ${UNKNOWN_MESSAGE}`);
  ctx.addHidden(message, F['protobuf.message.name'], tvb, 0, 0, UNKNOWN_MESSAGE);
  let o = 0;
  while (o < tvb.length) {
    const end = field(tvb, ctx, message, o);
    if (end < 0) break;
    o = end;
  }
}

/**
 * One field at `o` as dissect_one_protobuf_field shows it; its end, or -1 when it cannot go on (a tag or
 * varint that does not end, a group or unknown wire type: its note, and the message stops there).
 * A length past the message's end throws (tshark's Malformed Packet, after the Value Length).
 */
function field(tvb: Tvb, ctx: PacketContext, message: FieldNode, o: number): number {
  const tag = varint(tvb, o);
  if (!tag) {
    ctx.addExpert(ctx.addText(message, tvb, o, 0, 'Field'), 'error', 'malformed', 'Failed to parse tag field');
    return -1;
  }
  const number = tag.value >> 3n, wire = Number(tag.value & 7n);
  const item = ctx.addText(message, tvb, o, 0, `Field(${number.toString()}):`);
  ctx.addGenerated(item, F['protobuf.field.name'], UNKNOWN_FIELD);
  ctx.add(item, F['protobuf.field.number'], tvb, o, tag.length, Number(number), `${fieldNumberPicture(tag.value, tag.length)} = Field Number: ${number.toString()}`);
  const wireItem = ctx.add(item, F['protobuf.field.wiretype'], tvb, o, 1, wire, `${bitPicture(wire, 0x07, 8)} = Wire Type: ${WIRE_TYPES[wire] ?? 'Unknown'} (${wire})`);
  const at = o + tag.length;
  let n: bigint;
  let length: number;
  if (wire === VARINT) {
    const v = varint(tvb, at);
    if (!v) {
      ctx.addExpert(wireItem, 'error', 'malformed', 'Failed to parse value field');
      return -1;
    }
    n = v.value;
    length = v.length;
  } else if (wire === I64) {
    n = BigInt(tvb.u32le(at)) | (BigInt(tvb.u32le(at + 4)) << 32n);
    length = 8;
  } else if (wire === I32) {
    n = BigInt(tvb.u32le(at));
    length = 4;
  } else if (wire === LEN) {
    const len = varint(tvb, at);
    if (!len) {
      ctx.addExpert(item, 'error', 'malformed', 'Failed to parse length delimited field');
      return -1;
    }
    const size = Number(len.value);
    ctx.add(item, F['protobuf.field.value.length'], tvb, at, len.length, size);
    const value = tvb.slice(at + len.length, size);
    ctx.add(item, F['protobuf.field.value'], tvb, at + len.length, size, value);
    ctx.setLength(item, at + len.length + size - o);
    return at + len.length + size;
  } else {
    ctx.addExpert(wireItem, 'warn', 'protocol', 'Unknown or unsupported wiretype');
    return -1;
  }
  const as = n <= 0xffffffffn ? 'uint32' : 'uint64';
  ctx.setText(item, `Field(${number.toString()}): ${n.toString()} (${as})`);
  const valueItem = ctx.add(item, F['protobuf.field.value'], tvb, at, length, tvb.slice(at, length));
  if (as === 'uint32') ctx.add(valueItem, F['protobuf.field.value.uint32'], tvb, at, length, Number(n));
  else ctx.add(valueItem, F['protobuf.field.value.uint64'], tvb, at, length, n);
  ctx.setLength(item, at + length - o);
  return at + length;
}

// Its short name is the one a malformed message names: "[Malformed Packet: ProtoBuf]".
export const protobufProtocol = defineProtocol('protobuf', 'Protocol Buffers', dissectProtobuf, 'ProtoBuf');
registerDissector(protobufProtocol);
// The gRPC calls whose messages are Protocol Buffers (tshark 4.0's list).
for (const t of ['application/grpc', 'application/grpc+proto', 'application/grpc-web', 'application/grpc-web+proto', 'application/grpc-web-text', 'application/grpc-web-text+proto']) {
  registerGrpcMessageType(t, protobufProtocol);
}

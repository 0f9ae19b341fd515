// HTTP/3 (RFC 9114) as tshark 4.0 shows it: the data of a QUIC STREAM frame (quic.ts hands it
// here when ALPN chose "h3" and the TLS secrets decrypted the 1-RTT packets). A unidirectional
// stream starts with its type ("Stream Type: Control Stream"); then frames: their type, length
// and payload, SETTINGS and PRIORITY_UPDATE read further. Header blocks stay QPACK-encoded, as in
// tshark 4.0 (no QPACK decoding). Info gets each frame's name ("STREAM(0), HEADERS, DATA").
import { defineFields } from '../field.js';
import { defineProtocol, registerDissector } from '../dispatch.js';
import { canDesegment, DESEGMENT_ONE_MORE_SEGMENT, requestDesegment } from '../desegment.js';
import type { PacketContext } from '../packet.js';
import { QUIC_STREAM_SCRATCH, quicVarint, type QuicStreamInfo } from '../quic-wire.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';

const STREAM_TYPES: Record<number, string> = { 0: 'Control Stream', 1: 'Push Stream', 2: 'QPACK Encoder Stream', 3: 'QPACK Decoder Stream' };

const FRAME_TYPES: Record<number, string> = {
  0: 'DATA', 1: 'HEADERS', 2: 'Reserved', 3: 'CANCEL_PUSH', 4: 'SETTINGS', 5: 'PUSH_PROMISE', 6: 'Reserved', 7: 'GOAWAY',
  8: 'Reserved', 9: 'Reserved', 13: 'MAX_PUSH_ID', 14: 'Reserved', 0xf0700: 'PRIORITY_UPDATE', 0xf0701: 'PRIORITY_UPDATE',
};
const PRIORITY_UPDATE = [0xf0700, 0xf0701];
const SETTINGS = 4;

const SETTINGS_NAMES: Record<number, string> = { 1: 'Max Table Capacity', 6: 'Max Field Section Size', 7: 'Blocked Streams', 8: 'Extended CONNECT' };

// The types and setting identifiers are BASE_HEX value strings in tshark, printed in decimal by
// -T fields; the tree's hex text is written here (hex16).
export const http3Fields = defineFields([
  { name: 'http3.stream_type', label: 'Stream Type', type: 'uint64', base: 'dec', values: STREAM_TYPES },
  { name: 'http3.frame_type', label: 'Type', type: 'uint64', base: 'dec', values: FRAME_TYPES },
  { name: 'http3.frame_length', label: 'Length', type: 'uint64', base: 'dec' },
  { name: 'http3.frame_payload', label: 'Frame Payload', type: 'bytes' },
  { name: 'http3.settings', label: 'Settings', type: 'none' },
  { name: 'http3.settings.id', label: 'Settings Identifier', type: 'uint64', base: 'dec', values: SETTINGS_NAMES },
  { name: 'http3.settings.value', label: 'Settings Value', type: 'uint64', base: 'dec' },
  { name: 'http3.settings.qpack.max_table_capacity', label: 'Max Table Capacity', type: 'uint64', base: 'dec' },
  { name: 'http3.settings.max_field_section_size', label: 'Max header list size', type: 'uint64', base: 'dec' },
  { name: 'http3.settings.qpack.blocked_streams', label: 'Blocked Streams', type: 'uint64', base: 'dec' },
  { name: 'http3.settings.extended_connect', label: 'Extended CONNECT', type: 'uint64', base: 'dec' },
  { name: 'http3.priority_update_element_id', label: 'Priority Update Element ID', type: 'uint64', base: 'dec' },
  { name: 'http3.priority_update_field_value', label: 'Priority Update Field Value', type: 'string' },
] as const);

const F = http3Fields;

const SETTING_FIELDS = {
  1: F['http3.settings.qpack.max_table_capacity'], 6: F['http3.settings.max_field_section_size'],
  7: F['http3.settings.qpack.blocked_streams'], 8: F['http3.settings.extended_connect'],
} as const;

/** RFC 9114 7.2.8 / 11.2.2: the reserved ("GREASE") code points 0x1f * N + 0x21. */
function isGrease(v: number): boolean {
  return v >= 0x21 && (v - 0x21) % 0x1f === 0;
}

/** A 62-bit value as tshark prints a BASE_HEX uint64: 16 digits. */
const hex16 = (v: number) => `0x${v.toString(16).padStart(16, '0')}`;

function dissectHttp3(tvb: Tvb, ctx: PacketContext, node: FieldNode): boolean {
  const stream = ctx.scratch[QUIC_STREAM_SCRATCH] as QuicStreamInfo | undefined;
  let o = 0;
  // A unidirectional stream's type, at its start.
  if (stream && Math.floor(stream.id / 2) % 2 === 1 && stream.offset === 0) {
    const t = quicVarint(tvb, 0);
    ctx.add(node, F['http3.stream_type'], tvb, 0, t.length, t.value, () => `Stream Type: ${STREAM_TYPES[t.value] ?? 'Unknown'} (${hex16(t.value)})`);
    o = t.length;
    // QPACK's streams and pushes hold no frames to read here.
    if (t.value !== 0) {
      ctx.protocol = 'HTTP3';
      return true;
    }
  }
  while (o < tvb.length) {
    if (!tvb.has(o, 1) || !tvb.has(o, quicVarintLength(tvb.u8(o)))) {
      if (canDesegment(ctx)) requestDesegment(ctx, o, DESEGMENT_ONE_MORE_SEGMENT);
      break;
    }
    const type = quicVarint(tvb, o);
    const lenAt = o + type.length;
    if (!tvb.has(lenAt, 1) || !tvb.has(lenAt, quicVarintLength(tvb.u8(lenAt)))) {
      if (canDesegment(ctx)) requestDesegment(ctx, o, DESEGMENT_ONE_MORE_SEGMENT);
      break;
    }
    const length = quicVarint(tvb, lenAt);
    const payloadAt = lenAt + length.length;
    // A frame that goes on in the stream's next STREAM frames: nothing of it is shown here.
    if (payloadAt + length.value > tvb.length) {
      if (canDesegment(ctx)) requestDesegment(ctx, o, payloadAt + length.value - tvb.length);
      break;
    }
    const reserved = isGrease(type.value);
    const name = reserved ? 'Reserved' : FRAME_TYPES[type.value] ?? 'Unknown';
    // A reserved type is shown as it is, not padded (as tshark's own text for it).
    ctx.add(node, F['http3.frame_type'], tvb, o, type.length, type.value, () => `Type: ${name} (${reserved ? `0x${type.value.toString(16)}` : hex16(type.value)})`);
    ctx.add(node, F['http3.frame_length'], tvb, lenAt, length.length, length.value);
    if (length.value > 0) ctx.add(node, F['http3.frame_payload'], tvb, payloadAt, length.value, tvb.slice(payloadAt, length.value));
    if (type.value === SETTINGS) settings(tvb, ctx, node, payloadAt, payloadAt + length.value);
    else if (PRIORITY_UPDATE.includes(type.value) && length.value > 0) {
      const id = quicVarint(tvb, payloadAt);
      ctx.add(node, F['http3.priority_update_element_id'], tvb, payloadAt, id.length, id.value);
      const at = payloadAt + id.length;
      const end = payloadAt + length.value;
      ctx.add(node, F['http3.priority_update_field_value'], tvb, at, end - at, tvb.ascii(at, end - at));
    }
    if (!reserved && FRAME_TYPES[type.value] !== undefined && name !== 'Reserved') ctx.info += `, ${name}`;
    o = payloadAt + length.value;
  }
  ctx.protocol = 'HTTP3';
  return true;
}

/** The length of the variable-length integer whose first byte is `b` (RFC 9000 16). */
function quicVarintLength(b: number): number {
  return 1 << (b >> 6);
}

/** A SETTINGS frame's identifier/value pairs: "Settings - Max Table Capacity: 65536" and the like. */
function settings(tvb: Tvb, ctx: PacketContext, node: FieldNode, o: number, end: number): void {
  while (o < end) {
    const id = quicVarint(tvb, o);
    const value = quicVarint(tvb, o + id.length);
    const len = id.length + value.length;
    const known = SETTINGS_NAMES[id.value];
    const grease = !known && isGrease(id.value);
    const label = known ? `Settings - ${known}: ${value.value}` : grease ? 'Settings - GREASE' : 'Settings - Unknown';
    const item = ctx.add(node, F['http3.settings'], tvb, o, len, null, label);
    ctx.add(item, F['http3.settings.id'], tvb, o, id.length, id.value,
      () => (grease ? `Type: GREASE (0x${id.value.toString(16)})` : `Settings Identifier: ${known ?? 'Unknown'} (${hex16(id.value)})`));
    ctx.add(item, F['http3.settings.value'], tvb, o + id.length, value.length, value.value);
    const specific = SETTING_FIELDS[id.value as keyof typeof SETTING_FIELDS];
    if (specific) ctx.add(item, specific, tvb, o + id.length, value.length, value.value);
    o += len;
  }
}

export const http3Protocol = defineProtocol('http3', 'Hypertext Transfer Protocol Version 3', dissectHttp3, 'HTTP3');
// QUIC hands a STREAM frame's data here when ALPN chose h3 (by name).
registerDissector(http3Protocol);

// The quic_transport_parameters extension (57) of a QUIC handshake's Client Hello or Encrypted
// Extensions (RFC 9000 18, RFC 9368 version_information, Google's own), as tshark 4.0 shows it:
// "Parameter: initial_max_data (len=4) 15728640" with its type, length, raw value and decoded
// value. Called by tls-extensions.ts; kept apart because it is mostly a table.
import { defineFields } from '../field.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { quicVarintExact, quicVersionText } from '../quic-wire.js';

/** Parameters whose value is a variable-length integer, by id: name, the unit tshark appends to the item, the value item's label when not the name. */
const INTEGER_PARAMETERS: Record<number, { name: string; unit?: string; label?: string }> = {
  0x01: { name: 'max_idle_timeout', unit: ' ms' }, 0x03: { name: 'max_udp_payload_size' }, 0x04: { name: 'initial_max_data' },
  0x05: { name: 'initial_max_stream_data_bidi_local' }, 0x06: { name: 'initial_max_stream_data_bidi_remote' },
  0x07: { name: 'initial_max_stream_data_uni' }, 0x08: { name: 'initial_max_streams_bidi' }, 0x09: { name: 'initial_max_streams_uni' },
  0x0a: { name: 'ack_delay_exponent' }, 0x0b: { name: 'max_ack_delay' }, 0x0e: { name: 'active_connection_id_limit', label: 'Active Connection ID Limit' },
  0x20: { name: 'max_datagram_frame_size' },
};

/** Every parameter tshark names (RFC 9000 and the extensions it knows), by id. */
const PARAMETER_NAMES: Record<number, string> = {
  0x00: 'original_destination_connection_id', 0x02: 'stateless_reset_token', 0x0c: 'disable_active_migration', 0x0d: 'preferred_address',
  0x0f: 'initial_source_connection_id', 0x10: 'retry_source_connection_id', 0x11: 'version_information', 0x1057: 'loss_bits',
  0x173e: 'grease_quic_bit', 0x2ab2: 'grease_quic_bit', 0x3127: 'google_initial_rtt', 0x3128: 'google_connection_options',
  0x3129: 'user_agent', 0x4752: 'google_version', 0xde1a: 'min_ack_delay',
  ...Object.fromEntries(Object.entries(INTEGER_PARAMETERS).map(([id, p]) => [id, p.name])),
};

export const tlsQuicParameterFields = defineFields([
  { name: 'tls.quic.parameter', label: 'Parameter', type: 'none' },
  { name: 'tls.quic.parameter.type', label: 'Type', type: 'uint64', base: 'hex' },
  { name: 'tls.quic.parameter.length', label: 'Length', type: 'uint64', base: 'dec' },
  { name: 'tls.quic.parameter.value', label: 'Value', type: 'bytes' },
  ...Object.values(INTEGER_PARAMETERS).map((p) => ({ name: `tls.quic.parameter.${p.name}`, label: p.label ?? p.name, type: 'uint64' as const, base: 'dec' as const })),
  { name: 'tls.quic.parameter.original_destination_connection_id', label: 'original_destination_connection_id', type: 'bytes' },
  { name: 'tls.quic.parameter.stateless_reset_token', label: 'stateless_reset_token', type: 'bytes' },
  { name: 'tls.quic.parameter.initial_source_connection_id', label: 'Initial Source Connection ID', type: 'bytes' },
  { name: 'tls.quic.parameter.retry_source_connection_id', label: 'Retry Source Connection ID', type: 'bytes' },
  { name: 'tls.quic.parameter.google.connection_options', label: 'Google Connection options', type: 'bytes' },
  { name: 'tls.quic.parameter.google.user_agent', label: 'Google UserAgent', type: 'string' },
  { name: 'tls.quic.parameter.google.quic_version', label: 'Google QUIC version', type: 'uint32', base: 'hex' },
  { name: 'tls.quic.parameter.vi.chosen_version', label: 'Chosen Version', type: 'uint32', base: 'hex' },
  { name: 'tls.quic.parameter.vi.other_version', label: 'Other Version', type: 'uint32', base: 'hex' },
] as const);

const F = tlsQuicParameterFields;
type FieldName = keyof typeof F;

/** Reserved ids that exercise the rule that unknown parameters are ignored (RFC 9000 18.1: 31 * N + 27). */
function isGreaseParameter(id: number | bigint): boolean {
  const v = BigInt(id);
  return v >= 27n && (v - 27n) % 31n === 0n;
}

/** The parameters of the extension body at `d` (`el` bytes) under the extension's item. */
export function dissectQuicTransportParameters(tvb: Tvb, ctx: PacketContext, ext: FieldNode, d: number, el: number): void {
  const end = d + el;
  for (let o = d; o < end; ) {
    const start = o;
    const id = quicVarintExact(tvb, o);
    const lenField = quicVarintExact(tvb, o + id.length);
    const len = { value: Number(lenField.value), length: lenField.length };
    const at = o + id.length + len.length;
    const known = typeof id.value === 'number' ? id.value : -1;
    const name = isGreaseParameter(id.value) ? 'GREASE' : PARAMETER_NAMES[known] ?? 'Unknown';
    const integer = INTEGER_PARAMETERS[known];
    const value = integer && len.value > 0 ? quicVarintExact(tvb, at).value : undefined;
    const head = `Parameter: ${name} (len=${len.value})`;
    const item = ctx.add(ext, F['tls.quic.parameter'], tvb, start, at - start + len.value, null, value === undefined ? head : `${head} ${value}${integer?.unit ?? ''}`);
    ctx.add(item, F['tls.quic.parameter.type'], tvb, o, id.length, id.value, () => `Type: ${name} (0x${id.value.toString(16).padStart(2, '0')})`);
    ctx.add(item, F['tls.quic.parameter.length'], tvb, o + id.length, len.length, len.value);
    ctx.add(item, F['tls.quic.parameter.value'], tvb, at, len.value, tvb.slice(at, len.value));
    if (integer && value !== undefined) ctx.add(item, F[`tls.quic.parameter.${integer.name}` as FieldName], tvb, at, len.value, value);
    const bytesField: FieldName | undefined = ({
      0x00: 'tls.quic.parameter.original_destination_connection_id', 0x02: 'tls.quic.parameter.stateless_reset_token',
      0x0f: 'tls.quic.parameter.initial_source_connection_id', 0x10: 'tls.quic.parameter.retry_source_connection_id',
      0x3128: 'tls.quic.parameter.google.connection_options',
    } as Record<number, FieldName>)[known];
    if (bytesField) ctx.add(item, F[bytesField], tvb, at, len.value, tvb.slice(at, len.value));
    if (known === 0x3129) ctx.add(item, F['tls.quic.parameter.google.user_agent'], tvb, at, len.value, tvb.ascii(at, len.value));
    if (known === 0x4752 && len.value >= 4) {
      const v = tvb.u32(at);
      ctx.add(item, F['tls.quic.parameter.google.quic_version'], tvb, at, 4, v);
    }
    if (known === 0x11) {
      // version_information (RFC 9368 3): the chosen version, then the versions the sender would use.
      for (let p = at; p + 4 <= at + len.value; p += 4) {
        const v = tvb.u32(p);
        const field = p === at ? F['tls.quic.parameter.vi.chosen_version'] : F['tls.quic.parameter.vi.other_version'];
        ctx.add(item, field, tvb, p, 4, v, () => quicVersionText(field.label, v));
      }
    }
    o = at + len.value;
  }
}

// What QUIC's packets and the TLS extension that carries its transport parameters share: its
// variable-length integers (RFC 9000 16) and its version numbers, with the names tshark gives
// them (packet-quic.c's quic_version_vals).
import type { Tvb } from './tvb.js';

/** QUIC version 2 (RFC 9369): its long packet types are numbered differently. */
export const QUIC_V2 = 0x6b3343cf;

/** Version 2 and its drafts (v2-draft-00, v2-draft-01). */
export function isVersion2(version: number): boolean {
  return version === QUIC_V2 || version === 0xff020000 || version === 0x709a50c4;
}

/** The variable-length integer at `o`: its value (exact to 2^53, enough for lengths and offsets) and length. */
export function quicVarint(tvb: Tvb, o: number): { value: number; length: number } {
  const first = tvb.u8(o);
  const length = 1 << (first >> 6);
  let value = first & 0x3f;
  for (let i = 1; i < length; i++) value = value * 256 + tvb.u8(o + i);
  return { value, length };
}

/** The same, exact to 2^62: a number when that is exact, else a bigint (a GREASE parameter id). */
export function quicVarintExact(tvb: Tvb, o: number): { value: number | bigint; length: number } {
  const first = tvb.u8(o);
  const length = 1 << (first >> 6);
  let value = BigInt(first & 0x3f);
  for (let i = 1; i < length; i++) value = (value << 8n) | BigInt(tvb.u8(o + i));
  return { value: value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value, length };
}

/** Version ranges tshark names, beyond 1 and IETF's drafts. */
const VERSION_RANGES: ReadonlyArray<readonly [number, number, string]> = [
  [0x45474700, 0x454747ff, 'Quant'], [0x50435130, 0x50435131, 'Picoquic internal'], [0x50524f58, 0x50524f58, 'Proxied QUIC (PROX)'],
  [0x51303433, 0x51303433, 'Google Q043'], [0x51303434, 0x51303434, 'Google Q044'], [0x51303436, 0x51303436, 'Google Q046'],
  [0x51303530, 0x51303530, 'Google Q050'], [0x51474f00, 0x51474fff, 'QGO (QUIC GO)'], [0x54303530, 0x54303530, 'Google T050'],
  [0x54303531, 0x54303531, 'Google T051'], [0x91c17000, 0x91c170ff, 'Quicly'], [0xabcd0000, 0xabcd000f, 'MsQuic'],
  [0xf0f0f0f0, 0xf0f0f0ff, 'ETH Zürich (Measurability experiments)'], [0xf0f0f1f0, 0xf0f0f1ff, 'Telecom Italia (Measurability experiments)'],
  [0xf123f0c0, 0xf123f0cf, 'MozQuic'], [0xfaceb001, 0xfaceb001, 'Facebook mvfst (draft-22)'], [0xfaceb002, 0xfaceb002, 'Facebook mvfst (draft-27)'],
  [0xfaceb003, 0xfaceb00d, 'Facebook mvfst'], [0xfaceb00e, 0xfaceb00e, 'Facebook mvfst (Experimental)'], [0xfaceb00f, 0xfaceb00f, 'Facebook mvfst'],
  [0xff020000, 0xff020000, 'v2-draft-00'], [0x709a50c4, 0x709a50c4, 'v2-draft-01'], [QUIC_V2, QUIC_V2, '2'],
];

/**
 * A version item's text: "Version: 1 (0x00000001)", "Supported Version: draft-29 (0xff00001d)";
 * a version reserved for negotiation (RFC 9000 15) is "(Forcing Version Negotiation)" in a long
 * header's Version, "(GREASE)" in a list of versions.
 */
export function quicVersionText(label: string, v: number): string {
  const hex = `0x${v.toString(16).padStart(8, '0')}`;
  const draft = v >>> 8 === 0xff0000 && (v & 0xff) >= 4 && (v & 0xff) <= 0x22 ? `draft-${String(v & 0xff).padStart(2, '0')}` : undefined;
  const name = v === 0 ? 'Version Negotiation' : v === 1 ? '1' : draft ?? VERSION_RANGES.find(([lo, hi]) => v >= lo && v <= hi)?.[2] ?? 'Unknown';
  return `${label}: ${name} (${hex})${(v & 0x0f0f0f0f) === 0x0a0a0a0a ? (label === 'Version' ? ' (Forcing Version Negotiation)' : ' (GREASE)') : ''}`;
}

/** Where QUIC leaves the application protocol the stream a STREAM frame's data belongs to (tshark's quic_stream_info). */
export const QUIC_STREAM_SCRATCH = 'quic.stream';
export interface QuicStreamInfo {
  id: number;
  /** Where the data starts in the stream. */
  offset: number;
}

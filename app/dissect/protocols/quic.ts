// QUIC (RFC 9000; version 2, RFC 9369; drafts 29-34) as tshark 4.0 shows it, with or without
// the TLS secrets. A datagram holds one or more packets (coalesced long headers, then maybe a short
// one); each is a "QUIC IETF" item of its own and each replaces the Info column, so the column
// tells the last: "Initial, DCID=1831a89dbf5442cb, PKN: 1, CRYPTO, PADDING, PING",
// "Handshake, SCID=95418e5f", "Protected Payload (KP0), DCID=95418e5f".
//
// Initial packets are protected with keys anyone can derive from the client's first
// Destination Connection ID (quic-protection.ts): they are decrypted and their frames shown,
// and the TLS handshake their CRYPTO frames carry (the Client Hello with its server name, the
// Server Hello) goes to TLS once QUIC has put its pieces back in order. Handshake and 1-RTT
// packets need the TLS secrets: with a key log (a file, the capture's Decryption Secrets
// Blocks) the Client Hello's random and the Server Hello's cipher suite find them, and those
// packets are decrypted too (key updates followed), their STREAM frames going to HTTP/3 when
// ALPN chose h3; without, their payload stays protected ("Remaining Payload"). 0-RTT packets
// stay protected (no early secrets).
//
// Connections are tracked as packet-quic.c tracks them: created by a client's Initial, known
// afterwards by the client's and the server's connection IDs, and by the UDP endpoints for
// packets whose Destination Connection ID is empty (a short header's DCID length is the
// connection's). Limitation: a connection that migrates to other addresses with a zero-length
// connection ID is not followed.
//
// Taken on UDP by a heuristic, on any port, as tshark 4.0 takes it: a long header of a QUIC
// version starts it on a pair of endpoints, and every later datagram of the pair is QUIC's. A
// capture that starts in the middle of a connection (short headers only) shows UDP, even on port
// 443, as tshark's does. Google QUIC (Q0xx versions, or public flags) is gquic.ts's heuristic's;
// Q050 and T05x (IETF-style headers with Google versions) are left to UDP.
import { defineFields } from '../field.js';
import { callProtocol, defineProtocol, findDissector, registerHeuristic, type Protocol } from '../dispatch.js';
import { connectionKey } from '../conversation.js';
import { hexBytes } from '../format.js';
import { FORGET_QUIET_AFTER_S, forgetFramesBefore, pickForgotten, type CaptureState, type PacketContext } from '../packet.js';
import { CryptoStream, TLS_HANDSHAKE_FRAGMENTS_SCRATCH, type CryptoDelivery, type HandshakeReassembly } from '../quic-crypto-stream.js';
import { addFragmentTree, type FragmentFields } from '../reassembly.js';
import { decodePacketNumber, decryptPayload, initialKeys, packetKeys, retryTagValid, unprotectLongHeader, unprotectShortHeader, updatedKeys, type InitialKeys, type PacketKeys, type Unprotected } from '../quic-protection.js';
import { isVersion2, QUIC_STREAM_SCRATCH, quicVarint, quicVersionText, type QuicStreamInfo } from '../quic-wire.js';
import type { FieldNode } from '../tree.js';
import { latin1, Tvb } from '../tvb.js';
import type { KeyLogLabel } from '../tls-keylog.js';
import { nestedPayloadCall, DESEGMENT_ONE_MORE_SEGMENT } from '../desegment.js';

const LONG_PACKET_TYPES: Record<number, string> = { 0: 'Initial', 1: '0-RTT', 2: 'Handshake', 3: 'Retry' };
/** RFC 9369 3.2: version 2's type bits, as version 1's types (Retry 0, Initial 1, 0-RTT 2, Handshake 3). */
const V2_TYPES = [3, 0, 1, 2] as const;
const V2_PACKET_TYPES: Record<number, string> = { 0: 'Retry', 1: 'Initial', 2: '0-RTT', 3: 'Handshake' };
const INITIAL = 0, ZERO_RTT = 1, HANDSHAKE = 2, RETRY = 3;

const FRAME_TYPES: Record<number, string> = {
  0x00: 'PADDING', 0x01: 'PING', 0x02: 'ACK', 0x03: 'ACK', 0x04: 'RESET_STREAM', 0x05: 'STOP_SENDING', 0x06: 'CRYPTO',
  0x07: 'NEW_TOKEN', 0x08: 'STREAM', 0x09: 'STREAM', 0x0a: 'STREAM', 0x0b: 'STREAM', 0x0c: 'STREAM', 0x0d: 'STREAM', 0x0e: 'STREAM',
  0x0f: 'STREAM', 0x10: 'MAX_DATA', 0x11: 'MAX_STREAM_DATA', 0x12: 'MAX_STREAMS (BIDI)', 0x13: 'MAX_STREAMS (UNI)',
  0x14: 'DATA_BLOCKED', 0x15: 'STREAM_DATA_BLOCKED', 0x16: 'STREAMS_BLOCKED (BIDI)', 0x17: 'STREAMS_BLOCKED (UNI)',
  0x18: 'NEW_CONNECTION_ID', 0x19: 'RETIRE_CONNECTION_ID', 0x1a: 'PATH_CHALLENGE', 0x1b: 'PATH_RESPONSE',
  0x1c: 'CONNECTION_CLOSE (Transport)', 0x1d: 'CONNECTION_CLOSE (Application)', 0x1e: 'HANDSHAKE_DONE', 0x30: 'DATAGRAM', 0x31: 'DATAGRAM',
};

const TRANSPORT_ERRORS: Record<number, string> = {
  0: 'NO_ERROR', 1: 'INTERNAL_ERROR', 2: 'CONNECTION_REFUSED', 3: 'FLOW_CONTROL_ERROR', 4: 'STREAM_ID_ERROR', 5: 'STREAM_STATE_ERROR',
  6: 'FINAL_SIZE_ERROR', 7: 'FRAME_ENCODING_ERROR', 8: 'TRANSPORT_PARAMETER_ERROR', 9: 'CONNECTION_ID_LIMIT_ERROR',
  10: 'PROTOCOL_VIOLATION', 11: 'INVALID_TOKEN', 12: 'APPLICATION_ERROR', 13: 'CRYPTO_BUFFER_EXCEEDED', 14: 'KEY_UPDATE_ERROR',
  15: 'AEAD_LIMIT_REACHED', 16: 'NO_VIABLE_PATH', 17: 'VERSION_NEGOTIATION_ERROR',
};

export const quicFields = defineFields([
  { name: 'quic.connection.number', label: 'Connection Number', type: 'uint32', base: 'dec' },
  { name: 'quic.packet_length', label: 'Packet Length', type: 'uint32', base: 'dec' },
  { name: 'quic.header_form', label: 'Header Form', type: 'uint8', base: 'dec', mask: 0x80, values: { 0: 'Short Header', 1: 'Long Header' } },
  { name: 'quic.fixed_bit', label: 'Fixed Bit', type: 'boolean', mask: 0x40 },
  { name: 'quic.spin_bit', label: 'Spin Bit', type: 'boolean', mask: 0x20 },
  { name: 'quic.long.packet_type', label: 'Packet Type', type: 'uint8', base: 'dec', mask: 0x30, values: LONG_PACKET_TYPES },
  { name: 'quic.long.packet_type_v2', label: 'Packet Type', type: 'uint8', base: 'dec', mask: 0x30, values: V2_PACKET_TYPES },
  { name: 'quic.long.reserved', label: 'Reserved', type: 'uint8', base: 'dec', mask: 0x0c },
  { name: 'quic.packet_number_length', label: 'Packet Number Length', type: 'uint8', base: 'dec', mask: 0x03, values: { 0: '1 bytes', 1: '2 bytes', 2: '3 bytes', 3: '4 bytes' } },
  { name: 'quic.version', label: 'Version', type: 'uint32', base: 'hex' },
  { name: 'quic.supported_version', label: 'Supported Version', type: 'uint32', base: 'hex' },
  { name: 'quic.vn.unused', label: 'Unused', type: 'uint8', base: 'hex', mask: 0x7f },
  { name: 'quic.dcil', label: 'Destination Connection ID Length', type: 'uint8', base: 'dec' },
  { name: 'quic.dcid', label: 'Destination Connection ID', type: 'bytes' },
  { name: 'quic.scil', label: 'Source Connection ID Length', type: 'uint8', base: 'dec' },
  { name: 'quic.scid', label: 'Source Connection ID', type: 'bytes' },
  { name: 'quic.token_length', label: 'Token Length', type: 'uint64', base: 'dec' },
  { name: 'quic.token', label: 'Token', type: 'bytes' },
  { name: 'quic.length', label: 'Length', type: 'uint64', base: 'dec' },
  { name: 'quic.packet_number', label: 'Packet Number', type: 'uint64', base: 'dec' },
  { name: 'quic.payload', label: 'Payload', type: 'bytes' },
  { name: 'quic.remaining_payload', label: 'Remaining Payload', type: 'bytes' },
  { name: 'quic.short', label: 'QUIC Short Header', type: 'none' },
  { name: 'quic.short.reserved', label: 'Reserved', type: 'uint8', base: 'dec', mask: 0x18 },
  { name: 'quic.key_phase', label: 'Key Phase Bit', type: 'boolean', mask: 0x04 },
  { name: 'quic.protected_payload', label: 'Protected Payload', type: 'bytes' },
  { name: 'quic.retry_token', label: 'Retry Token', type: 'bytes' },
  { name: 'quic.retry_integrity_tag', label: 'Retry Integrity Tag', type: 'bytes' },
  { name: 'quic.frame', label: 'Frame', type: 'none' },
  // tshark's -T fields prints this range-string field in decimal; the tree shows it in hex (frameTypeText).
  { name: 'quic.frame_type', label: 'Frame Type', type: 'uint64', base: 'dec', values: FRAME_TYPES },
  { name: 'quic.padding_length', label: 'Padding Length', type: 'uint32', base: 'dec' },
  { name: 'quic.ack.largest_acknowledged', label: 'Largest Acknowledged', type: 'uint64', base: 'dec' },
  { name: 'quic.ack.ack_delay', label: 'ACK Delay', type: 'uint64', base: 'dec' },
  { name: 'quic.ack.ack_range_count', label: 'ACK Range Count', type: 'uint64', base: 'dec' },
  { name: 'quic.ack.first_ack_range', label: 'First ACK Range', type: 'uint64', base: 'dec' },
  { name: 'quic.ack.gap', label: 'Gap', type: 'uint64', base: 'dec' },
  { name: 'quic.ack.ack_range', label: 'ACK Range', type: 'uint64', base: 'dec' },
  { name: 'quic.ack.ect0_count', label: 'ECT(0) Count', type: 'uint64', base: 'dec' },
  { name: 'quic.ack.ect1_count', label: 'ECT(1) Count', type: 'uint64', base: 'dec' },
  { name: 'quic.ack.ecn_ce_count', label: 'ECN-CE Count', type: 'uint64', base: 'dec' },
  { name: 'quic.crypto.offset', label: 'Offset', type: 'uint64', base: 'dec' },
  { name: 'quic.crypto.length', label: 'Length', type: 'uint64', base: 'dec' },
  { name: 'quic.crypto.crypto_data', label: 'Crypto Data', type: 'none' },
  { name: 'quic.crypto.fragments', label: 'Reassembled QUIC CRYPTO Data Fragments', type: 'none' },
  { name: 'quic.crypto.fragment', label: 'QUIC CRYPTO Data Fragment', type: 'framenum' },
  { name: 'quic.crypto.fragment.count', label: 'Fragment count', type: 'uint32', base: 'dec' },
  { name: 'quic.cc.error_code', label: 'Error code', type: 'uint64', base: 'dec', values: TRANSPORT_ERRORS },
  { name: 'quic.cc.error_code.app', label: 'Application Error code', type: 'uint64', base: 'dec' },
  { name: 'quic.cc.frame_type', label: 'Frame Type', type: 'uint64', base: 'dec' },
  { name: 'quic.cc.reason_phrase.length', label: 'Reason phrase Length', type: 'uint64', base: 'dec' },
  { name: 'quic.cc.reason_phrase', label: 'Reason phrase', type: 'string' },
  { name: 'quic.rsts.stream_id', label: 'Stream ID', type: 'uint64', base: 'dec' },
  { name: 'quic.rsts.application_error_code', label: 'Application Error code', type: 'uint64', base: 'dec' },
  { name: 'quic.rsts.final_size', label: 'Final Size', type: 'uint64', base: 'dec' },
  { name: 'quic.ss.stream_id', label: 'Stream ID', type: 'uint64', base: 'dec' },
  { name: 'quic.ss.application_error_code', label: 'Application Error code', type: 'uint64', base: 'dec' },
  { name: 'quic.nt.length', label: '(Token) Length', type: 'uint64', base: 'dec' },
  { name: 'quic.nt.token', label: 'Token', type: 'bytes' },
  { name: 'quic.stream.fin', label: 'Fin', type: 'boolean', mask: 0x01 },
  { name: 'quic.stream.len', label: 'Len(gth)', type: 'boolean', mask: 0x02 },
  { name: 'quic.stream.off', label: 'Off(set)', type: 'boolean', mask: 0x04 },
  { name: 'quic.stream.stream_id', label: 'Stream ID', type: 'uint64', base: 'dec' },
  { name: 'quic.stream.initiator', label: 'Stream initiator', type: 'uint64', base: 'dec', values: { 0: 'Client-initiated', 1: 'Server-initiated' } },
  { name: 'quic.stream.direction', label: 'Stream direction', type: 'uint64', base: 'dec', values: { 0: 'Bidirectional', 1: 'Unidirectional' } },
  { name: 'quic.stream.offset', label: 'Offset', type: 'uint64', base: 'dec' },
  { name: 'quic.stream.length', label: 'Length', type: 'uint64', base: 'dec' },
  { name: 'quic.stream_data', label: 'Stream Data', type: 'bytes' },
  { name: 'quic.md.maximum_data', label: 'Maximum Data', type: 'uint64', base: 'dec' },
  { name: 'quic.msd.stream_id', label: 'Stream ID', type: 'uint64', base: 'dec' },
  { name: 'quic.msd.maximum_stream_data', label: 'Maximum Stream Data', type: 'uint64', base: 'dec' },
  { name: 'quic.ms.max_streams', label: 'Max Streams', type: 'uint64', base: 'dec' },
  { name: 'quic.sb.stream_data_limit', label: 'Stream Data Limit', type: 'uint64', base: 'dec' },
  { name: 'quic.sdb.stream_id', label: 'Stream ID', type: 'uint64', base: 'dec' },
  { name: 'quic.sib.stream_limit', label: 'Stream Limit', type: 'uint64', base: 'dec' },
  { name: 'quic.nci.retire_prior_to', label: 'Retire Prior To', type: 'uint64', base: 'dec' },
  { name: 'quic.nci.sequence', label: 'Sequence', type: 'uint64', base: 'dec' },
  { name: 'quic.nci.connection_id.length', label: 'Connection ID Length', type: 'uint8', base: 'dec' },
  { name: 'quic.nci.connection_id', label: 'Connection ID', type: 'bytes' },
  { name: 'quic.nci.stateless_reset_token', label: 'Stateless Reset Token', type: 'bytes' },
  { name: 'quic.rci.sequence', label: 'Sequence', type: 'uint64', base: 'dec' },
  { name: 'quic.path_challenge.data', label: 'Data', type: 'bytes' },
  { name: 'quic.path_response.data', label: 'Data', type: 'bytes' },
  { name: 'quic.dg.length', label: 'Datagram Length', type: 'uint64', base: 'dec' },
  { name: 'quic.dg', label: 'Datagram', type: 'bytes' },
] as const);

const F = quicFields;

interface Connection {
  /** quic.connection.number: in the order of the clients' first Initial packets, from 0. */
  number: number;
  version: number;
  /** The server's endpoint ("address/port" of the first Initial's destination). */
  server: string;
  /** The Destination Connection ID the keys come from (a Retry's tag is checked against it). */
  initialDcid: Uint8Array;
  /** The Initial keys (from the client's first Destination Connection ID). */
  keys: { client: InitialKeys; server: InitialKeys };
  clientCid: Uint8Array;
  serverCid: Uint8Array | null;
  /** A Retry came: the client's next Initial starts the handshake again, with new keys. */
  retried: boolean;
  /** A 1-RTT packet was seen: the first one noted that the secrets are missing (tshark notes it once per connection). */
  oneRttSeen: boolean;
  /** Last frame and its whole second that touched the connection (for forgetting it in a live ring). */
  lastFrame: number;
  lastSec: number;
  /** The largest Initial packet number that decrypted, per direction (client, server): the next ones are decoded near it. */
  largest: [number, number];
  /** The Initial CRYPTO streams: client's, server's. */
  crypto: [CryptoStream, CryptoStream];
  /** The Client Hello's random and the Server Hello's cipher suite (from the Initial CRYPTO streams): they find the TLS secrets. */
  clientRandom: Uint8Array | null;
  cipher: number;
  /** The protocol the server's ALPN chose (its Encrypted Extensions), '' while unknown. */
  alpn: string;
  /** Handshake keys per side (client, server) from the key log: undefined until looked up. */
  handshakeKeys?: [PacketKeys | null, PacketKeys | null];
  /** 1-RTT keys per side and their key phase (a key update flips it). */
  appKeys?: [AppKeys | null, AppKeys | null];
  /** The Handshake and 1-RTT CRYPTO streams (client's, server's). */
  handshakeCrypto: [CryptoStream, CryptoStream];
  appCrypto: [CryptoStream, CryptoStream];
  /** The largest packet number that decrypted per space and side: Handshake, 1-RTT. */
  largestHandshake: [number, number];
  largestApp: [number, number];
  /** Per stream and side ("id/side"): where the next frame of the application protocol starts (HTTP/3 frames are read from there on). */
  streams: Map<string, number>;
}

/** A side's 1-RTT keys: those of the current key phase, and the phase bit they go with. */
interface AppKeys {
  phase: number;
  keys: PacketKeys;
}

/** What the first dissection of a datagram found, for a later one to show the same (a capture that revisits frames). */
interface DatagramRecord {
  conn: Connection | null;
  fromServer: boolean;
  packets: PacketRecord[];
}

interface PacketRecord {
  unprotected: Unprotected | null;
  pn: number;
  plain: Uint8Array | null;
  /** Per frame of the packet (by its index), what its CRYPTO data handed to TLS. */
  tls: Map<number, CryptoDelivery>;
  /** Indexes of CRYPTO frames whose bytes were all seen before. */
  reused: Set<number>;
  /** The connection's first 1-RTT packet: it carries the note that the secrets are missing. */
  firstOneRtt: boolean;
  /** A Retry's integrity tag checked against its connection's first DCID; null when that is unknown. */
  retryValid: boolean | null;
  /** A Handshake or 1-RTT packet whose keys the key log did not have. */
  noSecrets: boolean;
  /** Indexes of STREAM frames whose data went to the application protocol. */
  streams: Set<number>;
}

interface QuicState {
  /** By UDP endpoint pair (connectionKey). */
  byEndpoints: Map<string, Connection>;
  /** By connection ID (hex): the connection and whether a packet sent to that ID comes from the server. */
  byCid: Map<string, { conn: Connection; toClient: boolean }>;
  /** The Destination Connection IDs of clients' first Initials. */
  initialDcids: Map<string, Connection>;
  /** The lengths of the connection IDs in byCid (a short header's DCID is one of them). */
  cidLengths: Set<number>;
  /** UDP endpoint pairs a QUIC packet was seen on: the rest of their datagrams are QUIC's (tshark's conversation dissector). */
  pairs: Set<string>;
  count: number;
  datagrams: Map<number, DatagramRecord>;
  /** Newest second seen: "now" for the forgetting. */
  latest: number;
}

function quicState(capture: CaptureState): QuicState {
  return capture.get<QuicState>('quic.state', () => {
    const st: QuicState = {
      byEndpoints: new Map(), byCid: new Map(), initialDcids: new Map(), cidLengths: new Set(), pairs: new Set(), count: 0, datagrams: new Map(), latest: -Infinity,
    };
    // A live ring evicted the frames before `first`: their records go, and the connections none
    // of whose frames is left that were quiet FORGET_QUIET_AFTER_S (see pickForgotten).
    capture.onForget((first) => {
      forgetFramesBefore(st.datagrams, first, (f) => f);
      const gone = new Set(pickForgotten(new Set(st.byEndpoints.values()), first, st.latest, (c) => c.lastFrame, (c) => c.lastSec, () => FORGET_QUIET_AFTER_S));
      if (gone.size === 0) return;
      for (const [k, c] of st.byEndpoints) {
        if (!gone.has(c)) continue;
        st.byEndpoints.delete(k);
        st.pairs.delete(k);
      }
      for (const [k, v] of st.byCid) if (gone.has(v.conn)) st.byCid.delete(k);
      for (const [k, c] of st.initialDcids) if (gone.has(c)) st.initialDcids.delete(k);
    });
    return st;
  });
}

/**
 * Versions a long header is taken for on any port: 1, 2 and its drafts, the IETF drafts, the
 * implementations' own, and the versions reserved to exercise negotiation (RFC 9000 15).
 */
function isQuicVersion(v: number): boolean {
  return v === 1 || isVersion2(v) || (v >>> 8 === 0xff0000) || (v >>> 8 === 0xfaceb0) || (v >>> 8 === 0x51474f) ||
    (v >>> 4 === 0xabcd000) || (v >>> 8 === 0x91c170) || (v & 0x0f0f0f0f) === 0x0a0a0a0a;
}

function endpointOf(ctx: PacketContext, src: boolean): string {
  const e = ctx.endpoints;
  return src ? `${e.netSrc ? hexBytes(e.netSrc) : e.src}/${e.srcPort ?? 0}` : `${e.netDst ? hexBytes(e.netDst) : e.dst}/${e.dstPort ?? 0}`;
}

function looksLikeQuic(tvb: Tvb, ctx: PacketContext): boolean {
  if (tvb.length === 0) return false;
  const st = quicState(ctx.capture);
  // (Most UDP is not QUIC: the endpoint key is built only once a capture has shown QUIC.)
  if (st.pairs.size > 0 && st.pairs.has(connectionKey(ctx))) return true;
  // Only a long header starts QUIC on a pair; Google QUIC's carry a Q0xx or T0xx version.
  const quic = tvb.length >= 13 && (tvb.u8(0) & 0x80) !== 0 && isQuicVersion(tvb.u32(1));
  if (quic) st.pairs.add(connectionKey(ctx));
  return quic;
}

interface LongHeaderIds {
  version: number;
  /** The type bits, and the type as version 1 numbers them (-1: Version Negotiation, which has none). */
  bits: number;
  type: number;
  dcil: number;
  scil: number;
}

/** A long header's version, type and connection ID lengths: what finds its connection. */
function longHeaderIds(tvb: Tvb): LongHeaderIds {
  const version = tvb.u32(1), bits = (tvb.u8(0) >> 4) & 3, dcil = tvb.u8(5);
  return { version, bits, type: version === 0 ? -1 : isVersion2(version) ? V2_TYPES[bits]! : bits, dcil, scil: tvb.u8(6 + dcil) };
}

interface LongHeader extends LongHeaderIds {
  /** Where the connection IDs end: an Initial's token (or a Retry's) starts there. */
  idsEnd: number;
  token: { value: number; length: number } | null;
  /** The Length field (none in a Retry) and where the packet number starts after it. */
  lengthAt: number;
  length: { value: number; length: number } | null;
  pnAt: number;
}

/** Where the parts of a long header lie (RFC 9000 17.2). */
function longHeader(tvb: Tvb): LongHeader {
  const ids = longHeaderIds(tvb);
  const idsEnd = 7 + ids.dcil + ids.scil;
  let o = idsEnd;
  const token = ids.type === INITIAL ? quicVarint(tvb, o) : null;
  if (token) o += token.length + token.value;
  const lengthAt = o;
  const length = ids.type === RETRY || ids.type === -1 ? null : quicVarint(tvb, o);
  return { ...ids, idsEnd, token, lengthAt, length, pnAt: length ? o + length.length : o };
}

/** The connection a datagram belongs to, made or updated from its first packet's header (packet-quic.c's connection tracking). */
function trackConnection(tvb: Tvb, ctx: PacketContext, st: QuicState): { conn: Connection | null; fromServer: boolean } {
  const first = tvb.u8(0);
  const pair = connectionKey(ctx);
  const src = endpointOf(ctx, true);
  // Without a Destination Connection ID to go by: the UDP endpoints' connection.
  const byPair = (): { conn: Connection | null; fromServer: boolean } => {
    const conn = st.byEndpoints.get(pair) ?? null;
    return { conn, fromServer: conn !== null && conn.server === src };
  };
  const byCid = (cid: Uint8Array): { conn: Connection | null; fromServer: boolean } | null => {
    const known = st.byCid.get(hexBytes(cid));
    return known ? { conn: known.conn, fromServer: known.toClient } : null;
  };
  if (!(first & 0x80)) {
    // A short header's DCID is as long as one of the IDs seen: try those lengths first.
    for (const n of st.cidLengths) {
      const found = tvb.has(1, n) ? byCid(tvb.slice(1, n)) : null;
      if (found) return found;
    }
    return byPair();
  }
  // (A Version Negotiation packet has no type: it only finds its connection.)
  const { version, type, dcil, scil } = longHeaderIds(tvb);
  const dcid = tvb.slice(6, dcil);
  const scid = tvb.slice(7 + dcil, scil);
  // A client's Initial or 0-RTT packet may go to the Destination Connection ID it chose itself.
  const fromClientInitial = type === INITIAL || type === ZERO_RTT ? st.initialDcids.get(hexBytes(dcid)) : undefined;
  const found = dcil === 0 ? byPair() : byCid(dcid) ?? (fromClientInitial ? { conn: fromClientInitial, fromServer: false } : { conn: null, fromServer: false });
  const fromServer = found.fromServer;
  let conn = found.conn;
  const remember = (cid: Uint8Array, conn: Connection, toClient: boolean) => {
    st.byCid.set(hexBytes(cid), { conn, toClient });
    st.cidLengths.add(cid.length);
  };
  if (type === INITIAL && !fromServer) {
    if (!conn) {
      conn = {
        number: st.count++, version, server: endpointOf(ctx, false), initialDcid: dcid, keys: initialKeys(version, dcid), clientCid: scid, serverCid: null,
        retried: false, oneRttSeen: false, lastFrame: 0, lastSec: 0, largest: [-1, -1], crypto: [new CryptoStream(), new CryptoStream()],
        clientRandom: null, cipher: 0, alpn: '', handshakeCrypto: [new CryptoStream(), new CryptoStream()], appCrypto: [new CryptoStream(), new CryptoStream()],
        largestHandshake: [-1, -1], largestApp: [-1, -1], streams: new Map(),
      };
      st.byEndpoints.set(pair, conn);
      if (dcil > 0) st.initialDcids.set(hexBytes(dcid), conn);
      if (scil > 0) remember(scid, conn, true);
    } else if (conn.retried && dcil > 0) {
      // The Initial after a Retry: its new Destination Connection ID gives the keys from now on.
      conn.retried = false;
      conn.keys = initialKeys(version, dcid);
      conn.initialDcid = dcid;
      conn.serverCid = null;
      conn.crypto = [new CryptoStream(), new CryptoStream()];
      st.initialDcids.set(hexBytes(dcid), conn);
    }
  } else if (conn && fromServer && type !== ZERO_RTT) {
    if (type === RETRY) conn.retried = true;
    if (conn.serverCid === null && scil > 0) {
      conn.serverCid = scid;
      remember(scid, conn, false);
    }
  }
  return { conn, fromServer };
}

/** The long header's version, connection IDs and their lengths; Info gets the IDs. Returns the offset after them. */
function longHeaderCommon(tvb: Tvb, ctx: PacketContext, node: FieldNode): number {
  const version = tvb.u32(1);
  ctx.add(node, F['quic.version'], tvb, 1, 4, version, () => quicVersionText('Version', version));
  const dcil = tvb.u8(5);
  ctx.add(node, F['quic.dcil'], tvb, 5, 1, dcil);
  if (dcil) ctx.add(node, F['quic.dcid'], tvb, 6, dcil, tvb.slice(6, dcil));
  const scil = tvb.u8(6 + dcil);
  ctx.add(node, F['quic.scil'], tvb, 6 + dcil, 1, scil);
  if (scil) ctx.add(node, F['quic.scid'], tvb, 7 + dcil, scil, tvb.slice(7 + dcil, scil));
  if (dcil) ctx.info += `, DCID=${hexBytes(tvb.slice(6, dcil))}`;
  if (scil) ctx.info += `, SCID=${hexBytes(tvb.slice(7 + dcil, scil))}`;
  return 7 + dcil + scil;
}

/** How long the packet at the start of `tvb` is: a long header's own Length, else the rest of the datagram. */
function packetLength(tvb: Tvb): number {
  const first = tvb.u8(0);
  if (!(first & 0x80) || !tvb.has(0, 7) || tvb.u32(1) === 0) return tvb.reportedLength;
  const h = longHeader(tvb);
  // A Retry has no Length: it ends the datagram.
  if (!h.length) return tvb.reportedLength;
  const total = h.pnAt + h.length.value;
  return total < tvb.reportedLength ? total : tvb.reportedLength;
}

function dissectQuic(tvb: Tvb, ctx: PacketContext, node: FieldNode): boolean {
  const st = quicState(ctx.capture);
  const frameNo = ctx.frame.number;
  let dg = st.datagrams.get(frameNo);
  const firstPass = dg === undefined;
  if (!dg) {
    dg = { ...trackConnection(tvb, ctx, st), packets: [] };
    // Kept for a later dissection of the frame: what a long header changed or decrypted (kept
    // before it is dissected, so a packet cut short is not tracked twice). A datagram of 1-RTT
    // packets, most of a connection, is found again as it was found: no record per packet.
    if (ctx.capture.revisits && (tvb.u8(0) & 0x80) !== 0) st.datagrams.set(frameNo, dg);
    const sec = ctx.frame.ts.sec;
    if (dg.conn && frameNo > dg.conn.lastFrame) {
      dg.conn.lastFrame = frameNo;
      dg.conn.lastSec = sec;
    }
    if (sec > st.latest) st.latest = sec;
  }
  ctx.protocol = 'QUIC';
  let offset = 0;
  let index = 0;
  let top = node;
  do {
    const packet = tvb.sub(offset, packetLength(tvb.sub(offset)));
    // Coalesced packets: each after the first is a QUIC IETF item of its own.
    if (offset > 0) top = ctx.add(null, quicProtocol.field, tvb, offset, packet.reportedLength, null);
    ctx.setLength(top, packet.reportedLength);
    // Once per datagram, in the first packet's item (as tshark).
    if (offset === 0) connectionInfo(ctx, top, tvb, dg.conn);
    ctx.addGenerated(top, F['quic.packet_length'], packet.reportedLength);
    let rec = dg.packets[index];
    if (!rec) {
      rec = { unprotected: null, pn: -1, plain: null, tls: new Map(), reused: new Set(), firstOneRtt: false, retryValid: null, noSecrets: false, streams: new Set() };
      if (firstPass) dg.packets.push(rec);
    }
    const end = dissectPacket(packet, ctx, top, dg, rec, firstPass);
    // A version negotiation packet is never coalesced.
    if (end < 0) break;
    if (end < packet.reportedLength && packet.has(end, 1)) ctx.add(top, F['quic.remaining_payload'], packet, end, packet.length - end, packet.slice(end));
    offset += packet.reportedLength;
    index++;
  } while (offset < tvb.reportedLength && tvb.has(offset, 1));
  // (The connection's first 1-RTT packet is remembered as such, and a decrypted one: its keys and
  // packet number came from the packets before it.)
  if (firstPass && ctx.capture.revisits && dg.packets.some((p) => p.firstOneRtt || p.plain !== null)) st.datagrams.set(frameNo, dg);
  return true;
}

/** "QUIC Connection information" with the connection's number, or tshark's note that the packet's connection is unknown. */
function connectionInfo(ctx: PacketContext, top: FieldNode, tvb: Tvb, conn: Connection | null): void {
  const item = ctx.addText(top, tvb, 0, 0, 'QUIC Connection information');
  if (conn) ctx.addGenerated(item, F['quic.connection.number'], conn.number);
  else ctx.addExpert(item, 'note', 'protocol', 'Unknown QUIC connection. Missing Initial Packet or migrated connection?');
}

/** One packet of the datagram; returns where its dissected part ends (the rest is Remaining Payload), -1 to stop. */
function dissectPacket(tvb: Tvb, ctx: PacketContext, node: FieldNode, dg: DatagramRecord, rec: PacketRecord, firstPass: boolean): number {
  const first = tvb.u8(0);
  // Zeros after a packet (Firefox pads datagrams so): no packet, the rest is Remaining Payload.
  if (first === 0) return 0;
  if (!(first & 0x80)) {
    if (firstPass && dg.conn) decryptShortHeader(tvb, ctx, dg.conn, dg.fromServer, rec);
    if (rec.unprotected && dg.conn) return dissectDecryptedShortHeader(tvb, ctx, node, dg.conn, dg.fromServer, rec, firstPass);
    if (firstPass && dg.conn && !dg.conn.oneRttSeen) rec.firstOneRtt = dg.conn.oneRttSeen = true;
    const end = dissectShortHeader(tvb, ctx, node, dg.conn, dg.fromServer);
    if (rec.firstOneRtt) ctx.addExpert(node, 'warn', 'decryption', 'Failed to create decryption context: Secrets are not available');
    return end;
  }
  ctx.add(node, F['quic.header_form'], tvb, 0, 1, 1);
  const version = tvb.u32(1);
  if (version === 0) {
    ctx.info = 'Version Negotiation';
    ctx.add(node, F['quic.vn.unused'], tvb, 0, 1, first & 0x7f);
    let o = longHeaderCommon(tvb, ctx, node);
    // Versions to the end of the datagram (one cut short is malformed, as in tshark).
    for (; o < tvb.reportedLength; o += 4) {
      const v = tvb.u32(o);
      ctx.add(node, F['quic.supported_version'], tvb, o, 4, v, () => quicVersionText('Supported Version', v));
    }
    return -1;
  }
  const { bits, type, idsEnd, token, lengthAt, length, pnAt } = longHeader(tvb);
  const v2 = isVersion2(version);
  const conn = dg.conn, fromServer = dg.fromServer;

  // Header protection first: the reserved bits and the packet number length it hid are shown in
  // the first byte's items. Initial keys come from the connection ID, Handshake keys from the
  // TLS secrets of a key log.
  const slot = fromServer ? 1 : 0;
  const keys = !conn || !firstPass ? null : type === INITIAL ? (fromServer ? conn.keys.server : conn.keys.client) : type === HANDSHAKE ? handshakeKeysOf(ctx, conn, slot) : null;
  if (firstPass && conn && type !== INITIAL && !keys) rec.noSecrets = true;

  if (firstPass && keys && conn && tvb.length === tvb.reportedLength) {
    const bytes = tvb.slice(0, tvb.length);
    const largest = type === HANDSHAKE ? conn.largestHandshake : conn.largest;
    const u = unprotectPacket(rec, keys, bytes, pnAt, largest[slot]!, false);
    if (u) {
      rec.plain = decryptPayload(keys, bytes, pnAt + u.pnLength, u, rec.pn);
      if (rec.plain && rec.pn > largest[slot]!) largest[slot] = rec.pn;
    }
  }

  // (A Retry's first byte shows its type alone, as in tshark.)
  if (type !== RETRY) ctx.add(node, F['quic.fixed_bit'], tvb, 0, 1, (first & 0x40) !== 0);
  ctx.add(node, v2 ? F['quic.long.packet_type_v2'] : F['quic.long.packet_type'], tvb, 0, 1, bits);
  const u = rec.unprotected;
  if (u) {
    ctx.add(node, F['quic.long.reserved'], tvb, 0, 1, (u.firstByte & 0x0c) >> 2);
    ctx.add(node, F['quic.packet_number_length'], tvb, 0, 1, u.firstByte & 0x03);
  }
  ctx.info = type === RETRY ? 'Retry' : LONG_PACKET_TYPES[type]!;
  longHeaderCommon(tvb, ctx, node);
  if (type === RETRY) {
    const o = idsEnd;
    const tokenLength = Math.max(0, tvb.reportedLength - o - 16);
    ctx.add(node, F['quic.retry_token'], tvb, o, tokenLength, tvb.slice(o, Math.min(tokenLength, tvb.remaining(o))));
    if (firstPass && conn && tvb.length === tvb.reportedLength) rec.retryValid = retryTagValid(version, conn.initialDcid, tvb.slice(0, tvb.length));
    const tag = ctx.add(node, F['quic.retry_integrity_tag'], tvb, o + tokenLength, 16, tvb.slice(o + tokenLength, Math.min(16, tvb.remaining(o + tokenLength))),
      rec.retryValid === true ? () => `Retry Integrity Tag: ${hexBytes(tvb.slice(o + tokenLength, 16))} [verified]` : undefined);
    if (rec.retryValid === false) ctx.addExpert(tag, 'warn', 'protocol', 'Retry Integrity Tag verification failure');
    if (rec.retryValid === null) ctx.addExpert(tag, 'warn', 'protocol', 'Cannot verify Retry Packet due to unknown ODCID');
    return o + tokenLength + 16;
  }
  if (token) {
    ctx.add(node, F['quic.token_length'], tvb, idsEnd, token.length, token.value);
    if (token.value > 0) ctx.add(node, F['quic.token'], tvb, idsEnd + token.length, token.value, tvb.slice(idsEnd + token.length, token.value));
  }
  ctx.add(node, F['quic.length'], tvb, lengthAt, length!.length, length!.value);
  if (!conn || rec.noSecrets) {
    ctx.addExpert(node, 'warn', 'decryption', conn ? 'Failed to create decryption context: Secrets are not available' : 'Failed to decrypt packet number');
    return pnAt;
  }
  if (!u) {
    ctx.addExpert(node, 'warn', 'decryption', 'Failed to decrypt packet number');
    return pnAt;
  }
  ctx.add(node, F['quic.packet_number'], tvb, pnAt, u.pnLength, rec.pn);
  ctx.info += `, PKN: ${rec.pn}`;
  const payloadAt = pnAt + u.pnLength;
  const payload = ctx.add(node, F['quic.payload'], tvb, payloadAt, tvb.reportedLength - payloadAt, tvb.slice(payloadAt, tvb.remaining(payloadAt)));
  if (!rec.plain) {
    ctx.addExpert(payload, 'warn', 'decryption', 'Decryption failed: Decryption (checktag) failed: Checksum error');
    return tvb.reportedLength;
  }
  const plain = Tvb.of(rec.plain);
  ctx.nameSource(plain, 'Decrypted QUIC');
  dissectFrames(plain, ctx, node, conn, fromServer, (type === HANDSHAKE ? conn.handshakeCrypto : conn.crypto)[slot], rec, firstPass);
  return tvb.reportedLength;
}

/**
 * A side's Handshake keys, from the key log once the hellos gave the client random and the
 * cipher suite (null while they or the secrets are not known: asked again at the next packet).
 */
function handshakeKeysOf(ctx: PacketContext, conn: Connection, side: 0 | 1): PacketKeys | null {
  if (!conn.handshakeKeys) {
    const secrets = secretsOf(ctx, conn, 'CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET');
    if (!secrets) return null;
    conn.handshakeKeys = secrets;
  }
  return conn.handshakeKeys[side];
}

/** A side's 1-RTT keys (key phase 0 at first), as handshakeKeysOf. */
function appKeysOf(ctx: PacketContext, conn: Connection, side: 0 | 1): AppKeys | null {
  if (!conn.appKeys) {
    const secrets = secretsOf(ctx, conn, 'CLIENT_TRAFFIC_SECRET_0', 'SERVER_TRAFFIC_SECRET_0');
    if (!secrets) return null;
    conn.appKeys = [secrets[0] && { phase: 0, keys: secrets[0] }, secrets[1] && { phase: 0, keys: secrets[1] }];
  }
  return conn.appKeys[side];
}

function secretsOf(ctx: PacketContext, conn: Connection, client: KeyLogLabel, server: KeyLogLabel): [PacketKeys | null, PacketKeys | null] | null {
  const log = ctx.capture.keyLog;
  if (!conn.clientRandom || !conn.cipher || log.size === 0) return null;
  const c = log.find(client, conn.clientRandom);
  const s = log.find(server, conn.clientRandom);
  if (!c && !s) return null;
  return [c ? packetKeys(conn.version, conn.cipher, c) : null, s ? packetKeys(conn.version, conn.cipher, s) : null];
}

/**
 * What the TLS secrets are found by, and what the streams carry, read from the handshake
 * messages a CRYPTO stream delivers: the Client Hello's random, the Server Hello's cipher suite,
 * ALPN's choice in the Encrypted Extensions.
 */
function noteHandshake(conn: Connection, d: CryptoDelivery): void {
  const b = d.message ?? (d.fragment ? null : d.bytes);
  if (!b || b.length < 4) return;
  const type = b[0]!;
  if (type === 1 && b.length >= 38) conn.clientRandom = b.slice(6, 38);
  else if (type === 2 && b.length >= 41) {
    const sid = b[38]!;
    if (b.length >= 41 + sid) conn.cipher = (b[39 + sid]! << 8) | b[40 + sid]!;
  } else if (type === 8 && b.length >= 6) {
    const end = Math.min(b.length, 6 + ((b[4]! << 8) | b[5]!));
    for (let o = 6; o + 4 <= end; ) {
      const et = (b[o]! << 8) | b[o + 1]!, el = (b[o + 2]! << 8) | b[o + 3]!;
      // application_layer_protocol_negotiation: a list of one name.
      if (et === 16 && el >= 3 && o + 7 <= end) conn.alpn = latin1(b, o + 7, Math.min(end, o + 7 + b[o + 6]!));
      o += 4 + el;
    }
  }
}

/** The DCID of a short header packet: the ID the receiving side chose. */
function shortHeaderDcid(conn: Connection | null, fromServer: boolean): Uint8Array {
  return conn ? (fromServer ? conn.clientCid : conn.serverCid ?? new Uint8Array(0)) : new Uint8Array(0);
}

/**
 * Header protection off (a short header hides five bits of its first byte, a long one four) and
 * the full packet number, near the space's largest so far, noted in `rec`. Header protection has
 * no check of its own: the packet number shows even when the payload then fails its
 * authentication (tshark's "PKN" of a packet it cannot read).
 */
function unprotectPacket(rec: PacketRecord, keys: InitialKeys, bytes: Uint8Array, pnAt: number, largest: number, short: boolean): Unprotected | null {
  const u = (short ? unprotectShortHeader : unprotectLongHeader)(keys, bytes, pnAt);
  if (!u) return null;
  rec.unprotected = u;
  rec.pn = decodePacketNumber(largest, u.truncatedPn, u.pnLength);
  return u;
}

/** First pass of a 1-RTT packet with the key log's secrets: header protection off, the payload decrypted (a key update followed). */
function decryptShortHeader(tvb: Tvb, ctx: PacketContext, conn: Connection, fromServer: boolean, rec: PacketRecord): void {
  if (tvb.length !== tvb.reportedLength) return;
  const side = fromServer ? 1 : 0;
  const app = appKeysOf(ctx, conn, side);
  if (!app) return;

  const pnAt = 1 + shortHeaderDcid(conn, fromServer).length;
  const bytes = tvb.slice(0, tvb.length);
  const u = unprotectPacket(rec, app.keys, bytes, pnAt, conn.largestApp[side]!, true);
  if (!u) return;
  const phase = (u.firstByte & 0x04) >> 2;
  if (phase === app.phase) rec.plain = decryptPayload(app.keys, bytes, pnAt + u.pnLength, u, rec.pn);
  else {
    // The other key phase: the sender updated its keys (RFC 9001 6).
    const next = updatedKeys(app.keys);
    rec.plain = decryptPayload(next, bytes, pnAt + u.pnLength, u, rec.pn);
    if (rec.plain) {
      app.keys = next;
      app.phase = phase;
    }
  }
  if (rec.plain && rec.pn > conn.largestApp[side]!) conn.largestApp[side] = rec.pn;
}

/** A 1-RTT packet decrypted: its header as tshark shows it then, and its frames. */
function dissectDecryptedShortHeader(tvb: Tvb, ctx: PacketContext, node: FieldNode, conn: Connection, fromServer: boolean, rec: PacketRecord, firstPass: boolean): number {
  const u = rec.unprotected!;
  const dcid = shortHeaderDcid(conn, fromServer);
  const n = Math.min(dcid.length, tvb.length - 1);
  const pnAt = 1 + n;
  const label = `QUIC Short Header${n > 0 ? ` DCID=${hexBytes(tvb.slice(1, n))}` : ''} PKN=${rec.pn}`;
  const hdr = ctx.add(node, F['quic.short'], tvb, 0, tvb.reportedLength, null, label);
  const first = u.firstByte;
  ctx.add(hdr, F['quic.header_form'], tvb, 0, 1, 0);
  ctx.add(hdr, F['quic.fixed_bit'], tvb, 0, 1, (first & 0x40) !== 0);
  ctx.add(hdr, F['quic.spin_bit'], tvb, 0, 1, (first & 0x20) !== 0);
  ctx.add(hdr, F['quic.short.reserved'], tvb, 0, 1, (first & 0x18) >> 3);
  ctx.add(hdr, F['quic.key_phase'], tvb, 0, 1, (first & 0x04) !== 0);
  ctx.add(hdr, F['quic.packet_number_length'], tvb, 0, 1, first & 0x03);
  ctx.info = `Protected Payload (KP${(first & 0x04) >> 2})`;
  if (n > 0) {
    ctx.add(hdr, F['quic.dcid'], tvb, 1, n, tvb.slice(1, n));
    ctx.info += `, DCID=${hexBytes(tvb.slice(1, n))}`;
  }
  ctx.add(hdr, F['quic.packet_number'], tvb, pnAt, u.pnLength, rec.pn);
  ctx.info += `, PKN: ${rec.pn}`;
  const payloadAt = pnAt + u.pnLength;
  const payload = ctx.add(hdr, F['quic.protected_payload'], tvb, payloadAt, tvb.reportedLength - payloadAt, tvb.slice(payloadAt, tvb.remaining(payloadAt)));
  if (!rec.plain) {
    ctx.addExpert(payload, 'warn', 'decryption', 'Decryption failed: Decryption (checktag) failed: Checksum error');
    return tvb.reportedLength;
  }
  const plain = Tvb.of(rec.plain);
  ctx.nameSource(plain, 'Decrypted QUIC');
  dissectFrames(plain, ctx, node, conn, fromServer, conn.appCrypto[fromServer ? 1 : 0], rec, firstPass);
  return tvb.reportedLength;
}

/** A 1-RTT packet: protected without the TLS secrets; its DCID is as long as the connection's. */
function dissectShortHeader(tvb: Tvb, ctx: PacketContext, node: FieldNode, conn: Connection | null, fromServer: boolean): number {
  const dcid = shortHeaderDcid(conn, fromServer);
  const n = Math.min(dcid.length, tvb.length - 1);
  const hdr = ctx.add(node, F['quic.short'], tvb, 0, tvb.reportedLength, null, n > 0 ? `QUIC Short Header DCID=${hexBytes(tvb.slice(1, n))}` : undefined);
  const first = tvb.u8(0);
  ctx.add(hdr, F['quic.header_form'], tvb, 0, 1, 0);
  ctx.add(hdr, F['quic.fixed_bit'], tvb, 0, 1, (first & 0x40) !== 0);
  ctx.add(hdr, F['quic.spin_bit'], tvb, 0, 1, (first & 0x20) !== 0);
  // The key phase bit is under header protection: unknown without the secrets, shown as 0 (as tshark).
  ctx.info = 'Protected Payload (KP0)';
  if (n > 0) {
    ctx.add(hdr, F['quic.dcid'], tvb, 1, n, tvb.slice(1, n));
    ctx.info += `, DCID=${hexBytes(tvb.slice(1, n))}`;
  }
  return 1 + n;
}

const CRYPTO_FRAGMENTS: FragmentFields = {
  list: F['quic.crypto.fragments'], item: F['quic.crypto.fragment'], count: F['quic.crypto.fragment.count'],
};

/**
 * Hands TLS what a CRYPTO frame (its data at `at`, stream offset `offset`) delivered: in place
 * when it is that frame's own bytes, else from a source of its own under the list of its pieces.
 * TLS writes no column here (tshark makes them read-only around the call).
 */
function handToTls(tls: Protocol, d: CryptoDelivery, tvb: Tvb, at: number, offset: number, length: number, ctx: PacketContext, item: FieldNode): void {
  const own = d.pieces.length === 1 && d.pieces[0]!.frame === ctx.frame.number && d.offset === offset && d.bytes.length === length;
  const bytes = own ? tvb.sub(at, length) : Tvb.of(d.bytes);
  if (!own) ctx.nameSource(bytes, 'Reassembled QUIC CRYPTO Data');
  if (d.pieces.length > 1) addFragmentTree(ctx, item, CRYPTO_FRAGMENTS, d.pieces.map((p) => ({ frame: p.frame, offset: p.offset - d.offset, length: p.length })), d.bytes);
  const protocol = ctx.protocol, info = ctx.info;
  const reassembly: HandshakeReassembly | null = d.fragments ? { fragments: d.fragments, message: d.message } : null;
  ctx.scratch[TLS_HANDSHAKE_FRAGMENTS_SCRATCH] = reassembly;
  try {
    callProtocol(tls, bytes, ctx, item);
  } finally {
    ctx.scratch[TLS_HANDSHAKE_FRAGMENTS_SCRATCH] = undefined;
    ctx.protocol = protocol;
    ctx.info = info;
  }
}

/** The frames of a decrypted payload; Info gets their names. */
function dissectFrames(tvb: Tvb, ctx: PacketContext, node: FieldNode, conn: Connection, fromServer: boolean, crypto: CryptoStream, rec: PacketRecord, firstPass: boolean): void {
  let o = 0;
  for (let index = 0; o < tvb.length; index++) {
    const start = o;
    const item = ctx.add(node, F['quic.frame'], tvb, o, 1, null);
    const ft = quicVarint(tvb, o);
    const typeNode = ctx.add(item, F['quic.frame_type'], tvb, o, ft.length, ft.value, () => `Frame Type: ${FRAME_TYPES[ft.value] ?? 'Unknown'} (0x${ft.value.toString(16).padStart(16, '0')})`);
    o += ft.length;
    let text = FRAME_TYPES[ft.value] ?? 'Unknown';
    /** The next variable-length integer of the frame, as the item of `f`. */
    const field = (f: keyof typeof F): number => {
      const v = quicVarint(tvb, o);
      ctx.add(item, F[f], tvb, o, v.length, v.value);
      o += v.length;
      return v.value;
    };
    switch (ft.value) {
      case 0x00: {
        // A run of PADDING frames (single zero bytes) is one item, as tshark shows it.
        let end = o;
        while (end < tvb.length && tvb.u8(end) === 0) end++;
        const n = end - start;
        ctx.addGenerated(item, F['quic.padding_length'], n);
        text = `PADDING Length: ${n}`;
        ctx.info += ', PADDING';
        o = end;
        break;
      }
      case 0x01:
        ctx.info += ', PING';
        break;
      case 0x02:
      case 0x03: {
        ctx.info += ft.value === 0x02 ? ', ACK' : ', ACK_ECN';
        field('quic.ack.largest_acknowledged');
        field('quic.ack.ack_delay');
        const ranges = field('quic.ack.ack_range_count');
        field('quic.ack.first_ack_range');
        for (let i = 0; i < ranges && o < tvb.length; i++) {
          field('quic.ack.gap');
          field('quic.ack.ack_range');
        }
        if (ft.value === 0x03) {
          field('quic.ack.ect0_count');
          field('quic.ack.ect1_count');
          field('quic.ack.ecn_ce_count');
        }
        break;
      }
      case 0x06: {
        ctx.info += ', CRYPTO';
        const offset = field('quic.crypto.offset');
        const length = field('quic.crypto.length');
        ctx.add(item, F['quic.crypto.crypto_data'], tvb, o, length, null);
        const data = tvb.slice(o, Math.min(length, tvb.remaining(o)));
        if (firstPass) {
          const r = crypto.add(ctx.frame.number, offset, data);
          if (r.reused) rec.reused.add(index);
          if (r.delivery) {
            rec.tls.set(index, r.delivery);
            noteHandshake(conn, r.delivery);
          }
        }
        if (rec.reused.has(index)) ctx.addExpert(ctx.addText(item, tvb, o, 0, 'This QUIC frame has a reused stream offset (retransmission?)'), 'note', 'sequence', 'This QUIC frame has a reused stream offset (retransmission?)');
        const d = rec.tls.get(index);
        const tls = d ? findDissector('tls13-handshake') : undefined;
        if (d && tls) handToTls(tls, d, tvb, o, offset, data.length, ctx, item);
        o += length;
        break;
      }
      case 0x1c:
      case 0x1d: {
        ctx.info += ', CC';
        const code = field(ft.value === 0x1c ? 'quic.cc.error_code' : 'quic.cc.error_code.app');
        if (ft.value === 0x1c) field('quic.cc.frame_type');
        const reasonLength = field('quic.cc.reason_phrase.length');
        ctx.add(item, F['quic.cc.reason_phrase'], tvb, o, reasonLength, tvb.ascii(o, reasonLength));
        o += reasonLength;
        const named = ft.value === 0x1c && code <= 0x3fff ? TRANSPORT_ERRORS[code] ?? (code >= 0x100 && code <= 0x1ff ? 'CRYPTO_ERROR' : `Unknown (${code})`) : `0x${code.toString(16)}`;
        text += ` Error code: ${named}`;
        break;
      }
      case 0x1e:
        ctx.info += ', DONE';
        break;
      case 0x04:
        ctx.info += ', RS';
        field('quic.rsts.stream_id');
        field('quic.rsts.application_error_code');
        field('quic.rsts.final_size');
        break;
      case 0x05:
        ctx.info += ', SS';
        field('quic.ss.stream_id');
        field('quic.ss.application_error_code');
        break;
      case 0x07: {
        ctx.info += ', NT';
        const n = field('quic.nt.length');
        ctx.add(item, F['quic.nt.token'], tvb, o, n, tvb.slice(o, Math.min(n, tvb.remaining(o))));
        o += n;
        break;
      }
      case 0x08: case 0x09: case 0x0a: case 0x0b: case 0x0c: case 0x0d: case 0x0e: case 0x0f: {
        for (const b of ['quic.stream.fin', 'quic.stream.len', 'quic.stream.off'] as const) ctx.add(typeNode, F[b], tvb, start, 1, (ft.value & F[b].mask!) !== 0);
        const sid = quicVarint(tvb, o);
        const idNode = ctx.add(item, F['quic.stream.stream_id'], tvb, o, sid.length, sid.value);
        ctx.add(idNode, F['quic.stream.initiator'], tvb, o, sid.length, sid.value % 2, () => bits64(sid.value, 1, 'Stream initiator', sid.value % 2 ? 'Server-initiated (1)' : 'Client-initiated (0)'));
        const uni = Math.floor(sid.value / 2) % 2;
        ctx.add(idNode, F['quic.stream.direction'], tvb, o, sid.length, uni, () => bits64(sid.value, 2, 'Stream direction', uni ? 'Unidirectional (1)' : 'Bidirectional (0)'));
        o += sid.length;
        const offset = ft.value & 0x04 ? field('quic.stream.offset') : 0;
        const length = ft.value & 0x02 ? field('quic.stream.length') : tvb.length - o;
        const data = tvb.sub(o, Math.min(length, tvb.remaining(o)));
        ctx.add(item, F['quic.stream_data'], tvb, o, data.length, data.slice(0, data.length));
        const fin = ft.value & 0x01;
        text = `STREAM id=${sid.value} fin=${fin} off=${offset} len=${length} dir=${uni ? 'Unidirectional' : 'Bidirectional'} origin=${sid.value % 2 ? 'Server-initiated' : 'Client-initiated'}`;
        ctx.info += `, STREAM(${sid.value})`;
        ctx.setText(item, text);
        ctx.setLength(item, o + data.length - start);
        streamData(ctx, conn, fromServer, sid.value, offset, data, rec, index, firstPass);
        o += length;
        continue;
      }
      case 0x10:
        ctx.info += ', MD';
        field('quic.md.maximum_data');
        break;
      case 0x11:
        ctx.info += ', MSD';
        field('quic.msd.stream_id');
        field('quic.msd.maximum_stream_data');
        break;
      case 0x12:
      case 0x13:
        ctx.info += ', MS';
        field('quic.ms.max_streams');
        break;
      case 0x14:
        ctx.info += ', DB';
        field('quic.sb.stream_data_limit');
        break;
      case 0x15:
        ctx.info += ', SDB';
        field('quic.sdb.stream_id');
        field('quic.sb.stream_data_limit');
        break;
      case 0x16:
      case 0x17:
        ctx.info += ', SB';
        field('quic.sib.stream_limit');
        break;
      case 0x18: {
        ctx.info += ', NCI';
        field('quic.nci.sequence');
        field('quic.nci.retire_prior_to');
        const n = tvb.u8(o);
        ctx.add(item, F['quic.nci.connection_id.length'], tvb, o, 1, n);
        ctx.add(item, F['quic.nci.connection_id'], tvb, o + 1, n, tvb.slice(o + 1, n));
        ctx.add(item, F['quic.nci.stateless_reset_token'], tvb, o + 1 + n, 16, tvb.slice(o + 1 + n, 16));
        o += 1 + n + 16;
        break;
      }
      case 0x19:
        ctx.info += ', RC';
        field('quic.rci.sequence');
        break;
      case 0x1a:
      case 0x1b:
        ctx.info += ft.value === 0x1a ? ', PC' : ', PR';
        ctx.add(item, ft.value === 0x1a ? F['quic.path_challenge.data'] : F['quic.path_response.data'], tvb, o, 8, tvb.slice(o, 8));
        o += 8;
        break;
      case 0x30:
      case 0x31: {
        ctx.info += ', DG';
        const n = ft.value === 0x31 ? field('quic.dg.length') : tvb.length - o;
        ctx.add(item, F['quic.dg'], tvb, o, n, tvb.slice(o, Math.min(n, tvb.remaining(o))));
        o += n;
        break;
      }
      default:
        // A frame type RFC 9000 does not define (an extension's): its length is unknown, the list ends.
        ctx.addExpert(item, 'warn', 'undecoded', `Unknown Frame Type 0x${ft.value.toString(16)}`);
        ctx.setText(item, text);
        return;
    }
    ctx.setText(item, text);
    ctx.setLength(item, o - start);
  }
}

/** A 64-bit bit field's tshark line for a varint ("... ...1 = Stream initiator: Server-initiated (1)"). */
function bits64(value: number, mask: number, label: string, shown: string): string {
  let picture = '';
  for (let bit = 63; bit >= 0; bit--) {
    const m = 2 ** bit;
    picture += m === mask ? (Math.floor(value / m) % 2 ? '1' : '0') : '.';
    if (bit % 4 === 0 && bit > 0) picture += ' ';
  }
  return `${picture} = ${label}: ${shown}`;
}

/**
 * A STREAM frame's data to the application protocol ALPN chose (HTTP/3), as tshark 4.0 hands
 * it on: each STREAM frame that starts where the stream's next frame starts is read from there;
 * one that ends in the middle of a frame leaves the rest of that frame unread (its next STREAM
 * frames are not the protocol's); a unidirectional stream other than HTTP/3's control stream
 * (QPACK's, pushes) is read no further than its type.
 */
function streamData(ctx: PacketContext, conn: Connection, fromServer: boolean, id: number, offset: number, data: Tvb, rec: PacketRecord, index: number, firstPass: boolean): void {
  const http3 = conn.alpn.startsWith('h3') ? findDissector('http3') : undefined;
  if (!http3 || data.length === 0) return;
  const key = `${id}/${fromServer ? 1 : 0}`;
  if (firstPass) {
    if ((conn.streams.get(key) ?? 0) !== offset) return;
    rec.streams.add(index);
  } else if (!rec.streams.has(index)) return;
  ctx.scratch[QUIC_STREAM_SCRATCH] = { id, offset } satisfies QuicStreamInfo;
  const request = nestedPayloadCall(ctx, true, null, () => {
    callProtocol(http3, data, ctx, null);
  });
  ctx.scratch[QUIC_STREAM_SCRATCH] = undefined;
  if (!firstPass) return;
  const uniType = Math.floor(id / 2) % 2 === 1 && offset === 0 ? quicVarint(data, 0).value : 0;
  const next = uniType !== 0 || (request && request.length === DESEGMENT_ONE_MORE_SEGMENT) ? Infinity
    : request ? offset + data.length + request.length : offset + data.length;
  conn.streams.set(key, next);
}

export const quicProtocol = defineProtocol('quic', 'QUIC IETF', dissectQuic);
registerHeuristic('udp', quicProtocol, looksLikeQuic);

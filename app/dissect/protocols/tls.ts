// TLS record layer and cleartext handshake (RFC 5246, RFC 8446) on the TCP ports tshark 4.0
// registers for tls (443, 465, 636, 853, 993, 995, 5061, 8883 ... see PORTS) and by heuristic
// on any TCP port, as Wireshark's ssl heuristic does. With the session's secrets in the
// capture's key log (a key log file, the capture's Decryption Secrets Blocks: tls-keylog.ts)
// its records are decrypted (tls-decrypt.ts) and shown as tshark shows them: the handshake
// messages TLS 1.3 encrypts, alerts, and the application data handed to the protocol inside
// (ALPN's, the port's, or HTTP found by its look), PDUs across records put back together
// (tls-app-data.ts). Without keys nothing is decrypted. Info lists each message: "Server Hello, Certificate, Server Hello
// Done", "Change Cipher Spec, Encrypted Handshake Message", "Application Data". The Protocol
// column is the session's negotiated version once the Server Hello is seen (supported_versions
// 0x0304 means TLSv1.3), before that the record version ("TLSv1" for a 0x0301 Client Hello).
import { createHash } from 'node:crypto';
import { CIPHER_SUITES } from './tls-cipher-suites.js';
import { dissectCertificateRequest, dissectCertificateStatus, dissectCertificateVerify, dissectClientKeyExchange, dissectNewSessionTicket, dissectServerKeyExchange } from './tls-handshake.js';
import { dissectExtensionBody, dissectSctList, isGrease, TLS_VERSIONS, type HelloFacts } from './tls-extensions.js';
import { defineFields } from '../field.js';
import { defineProtocol, findDissector, register, registerBerOid, registerDissector, registerHeuristic } from '../dispatch.js';
import { connectionKey } from '../conversation.js';
import { canDesegment, DESEGMENT_ONE_MORE_SEGMENT, fencedInfo, requestDesegment, separatedInfo } from '../desegment.js';
import { hexBytes } from '../format.js';
import { FORGET_QUIET_AFTER_S, forgetFramesBefore, pickForgotten, type CaptureState, type PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import { Tvb } from '../tvb.js';
import { TLS_HANDSHAKE_FRAGMENTS_SCRATCH, type HandshakeReassembly } from '../quic-crypto-stream.js';
import { addFragmentTree, type FragmentFields } from '../reassembly.js';
import { nestedPayloadCall, pendingRequest as requested } from '../desegment.js';
import { callProtocol, tryHeuristics, type Protocol } from '../dispatch.js';
import { RecordDecoder, type Plaintext } from '../tls-decrypt.js';
import { feedAppData, newAppDataFlow, replayAppData, TLS_FOLLOW_SCRATCH, type AppDataCall, type AppDataFlow, type AppDataStep, type TlsFollowChunk } from '../tls-app-data.js';

// (25, RFC 9146's record with a connection ID, counts as a content type for tshark 4.0's record loop.)
const CONTENT_TYPES: Record<number, string> = { 20: 'Change Cipher Spec', 21: 'Alert', 22: 'Handshake', 23: 'Application Data', 24: 'Heartbeat', 25: 'Connection ID' };

const HANDSHAKE_TYPES: Record<number, string> = {
  0: 'Hello Request', 1: 'Client Hello', 2: 'Server Hello', 3: 'Hello Verify Request', 4: 'New Session Ticket',
  5: 'End of Early Data', 6: 'Hello Retry Request', 8: 'Encrypted Extensions', 11: 'Certificate',
  12: 'Server Key Exchange', 13: 'Certificate Request', 14: 'Server Hello Done', 15: 'Certificate Verify',
  16: 'Client Key Exchange', 20: 'Finished', 21: 'Client Certificate URL', 22: 'Certificate Status',
  23: 'Supplemental Data', 24: 'Key Update', 25: 'Compressed Certificate', 67: 'Encrypted Extensions',
};


/** The Protocol column for a version (Wireshark's ssl_version_short_names). */
const COLUMN: Record<number, string> = { 0x0002: 'SSLv2', 0x0300: 'SSLv3', 0x0301: 'TLSv1', 0x0302: 'TLSv1.1', 0x0303: 'TLSv1.2', 0x0304: 'TLSv1.3' };

const ALERT_LEVELS: Record<number, string> = { 1: 'Warning', 2: 'Fatal' };
const ALERT_DESCS: Record<number, string> = {
  0: 'Close Notify', 1: 'End of Early Data', 10: 'Unexpected Message', 20: 'Bad Record MAC', 21: 'Decryption Failed',
  22: 'Record Overflow', 30: 'Decompression Failure', 40: 'Handshake Failure', 41: 'No Certificate',
  42: 'Bad Certificate', 43: 'Unsupported Certificate', 44: 'Certificate Revoked', 45: 'Certificate Expired',
  46: 'Certificate Unknown', 47: 'Illegal Parameter', 48: 'Unknown CA', 49: 'Access Denied', 50: 'Decode Error',
  51: 'Decrypt Error', 60: 'Export Restriction', 70: 'Protocol Version', 71: 'Insufficient Security',
  80: 'Internal Error', 86: 'Inappropriate Fallback', 90: 'User Canceled', 100: 'No Renegotiation',
  109: 'Missing Extension', 110: 'Unsupported Extension', 111: 'Certificate Unobtainable', 112: 'Unrecognized Name',
  113: 'Bad Certificate Status Response', 114: 'Bad Certificate Hash Value', 115: 'Unknown PSK Identity',
  116: 'Certificate Required', 120: 'No application Protocol', 121: 'ECH Required',
};

const EXTENSIONS: Record<number, string> = {
  0: 'server_name', 1: 'max_fragment_length', 2: 'client_certificate_url', 3: 'trusted_ca_keys', 4: 'truncated_hmac',
  5: 'status_request', 6: 'user_mapping', 7: 'client_authz', 8: 'server_authz', 9: 'cert_type',
  10: 'supported_groups', 11: 'ec_point_formats', 12: 'srp', 13: 'signature_algorithms', 14: 'use_srtp',
  15: 'heartbeat', 16: 'application_layer_protocol_negotiation', 17: 'status_request_v2',
  18: 'signed_certificate_timestamp', 19: 'client_certificate_type', 20: 'server_certificate_type', 21: 'padding',
  22: 'encrypt_then_mac', 23: 'extended_master_secret', 24: 'token_binding', 25: 'cached_info',
  27: 'compress_certificate', 28: 'record_size_limit', 34: 'delegated_credentials', 35: 'session_ticket',
  40: 'Reserved (key_share)', 41: 'pre_shared_key', 42: 'early_data', 43: 'supported_versions', 44: 'cookie',
  45: 'psk_key_exchange_modes', 46: 'Reserved (ticket_early_data_info)', 47: 'certificate_authorities',
  48: 'oid_filters', 49: 'post_handshake_auth', 50: 'signature_algorithms_cert', 51: 'key_share',
  52: 'transparency_info', 53: 'connection_id (deprecated)', 54: 'connection_id', 55: 'external_id_hash',
  56: 'external_session_id', 57: 'quic_transport_parameters', 58: 'ticket_request', 59: 'dnssec_chain',
  2570: 'Reserved (GREASE)', 6682: 'Reserved (GREASE)', 10794: 'Reserved (GREASE)',
  13172: 'next_protocol_negotiation', 14906: 'Reserved (GREASE)', 17513: 'application_settings',
  19018: 'Reserved (GREASE)', 23130: 'Reserved (GREASE)', 27242: 'Reserved (GREASE)', 30031: 'channel_id_old',
  30032: 'channel_id', 31354: 'Reserved (GREASE)', 35466: 'Reserved (GREASE)', 39578: 'Reserved (GREASE)',
  43690: 'Reserved (GREASE)', 47802: 'Reserved (GREASE)', 51914: 'Reserved (GREASE)', 56026: 'Reserved (GREASE)',
  60138: 'Reserved (GREASE)', 64250: 'Reserved (GREASE)', 65281: 'renegotiation_info',
  65445: 'quic_transport_parameters (drafts version)', 65486: 'encrypted_server_name',
};

export const tlsFields = defineFields([
  { name: 'tls.record', label: 'Record Layer', type: 'none' },
  { name: 'tls.ignored_unknown_record', label: 'Ignored Unknown Record', type: 'none' },
  { name: 'tls.record.content_type', label: 'Content Type', type: 'uint8', base: 'dec', values: CONTENT_TYPES },
  { name: 'tls.record.opaque_type', label: 'Opaque Type', type: 'uint8', base: 'dec', values: CONTENT_TYPES },
  { name: 'tls.record.version', label: 'Version', type: 'uint16', base: 'hex', values: TLS_VERSIONS },
  { name: 'tls.record.length', label: 'Length', type: 'uint16', base: 'dec' },
  { name: 'tls.app_data', label: 'Encrypted Application Data', type: 'bytes' },
  { name: 'tls.change_cipher_spec', label: 'Change Cipher Spec Message', type: 'none' },
  { name: 'tls.alert_message', label: 'Alert Message', type: 'none' },
  { name: 'tls.alert_message.level', label: 'Level', type: 'uint8', base: 'dec', values: ALERT_LEVELS },
  { name: 'tls.alert_message.desc', label: 'Description', type: 'uint8', base: 'dec', values: ALERT_DESCS },
  { name: 'tls.handshake', label: 'Handshake Protocol', type: 'none' },
  { name: 'tls.handshake.fragments', label: 'Reassembled Handshake Fragments', type: 'none' },
  { name: 'tls.handshake.fragment', label: 'Handshake Fragment', type: 'framenum' },
  { name: 'tls.handshake.fragment.count', label: 'Handshake Fragment count', type: 'uint32', base: 'dec' },
  { name: 'tls.handshake.type', label: 'Handshake Type', type: 'uint8', base: 'dec', values: HANDSHAKE_TYPES },
  { name: 'tls.handshake.length', label: 'Length', type: 'uint24', base: 'dec' },
  { name: 'tls.handshake.version', label: 'Version', type: 'uint16', base: 'hex', values: TLS_VERSIONS },
  { name: 'tls.handshake.random', label: 'Random', type: 'bytes' },
  { name: 'tls.handshake.random_time', label: 'GMT Unix Time', type: 'abstime', clock: 'utc' },
  { name: 'tls.handshake.random_bytes', label: 'Random Bytes', type: 'bytes' },
  { name: 'tls.handshake.session_id_length', label: 'Session ID Length', type: 'uint16', base: 'dec' },
  { name: 'tls.handshake.session_id', label: 'Session ID', type: 'bytes' },
  { name: 'tls.handshake.cipher_suites_length', label: 'Cipher Suites Length', type: 'uint16', base: 'dec' },
  { name: 'tls.handshake.ciphersuites', label: 'Cipher Suites', type: 'none' },
  { name: 'tls.handshake.ciphersuite', label: 'Cipher Suite', type: 'uint16', base: 'hex', values: CIPHER_SUITES },
  { name: 'tls.handshake.comp_methods_length', label: 'Compression Methods Length', type: 'uint8', base: 'dec' },
  { name: 'tls.handshake.comp_methods', label: 'Compression Methods', type: 'none' },
  { name: 'tls.handshake.comp_method', label: 'Compression Method', type: 'uint8', base: 'dec', values: { 0: 'null', 1: 'DEFLATE', 64: 'LZS' } },
  { name: 'tls.handshake.extensions_length', label: 'Extensions Length', type: 'uint16', base: 'dec' },
  { name: 'tls.handshake.extension.type', label: 'Type', type: 'uint16', base: 'dec', values: EXTENSIONS },
  { name: 'tls.handshake.extension.len', label: 'Length', type: 'uint16', base: 'dec' },
  { name: 'tls.handshake.certificates_length', label: 'Certificates Length', type: 'uint24', base: 'dec' },
  { name: 'tls.handshake.certificates', label: 'Certificates', type: 'none' },
  { name: 'tls.handshake.certificate_length', label: 'Certificate Length', type: 'uint24', base: 'dec' },
  { name: 'tls.handshake.certificate', label: 'Certificate', type: 'bytes' },
  { name: 'tls.handshake.ja3_full', label: 'JA3 Fullstring', type: 'string' },
  { name: 'tls.handshake.ja3', label: 'JA3', type: 'string' },
  { name: 'tls.handshake.ja3s_full', label: 'JA3S Fullstring', type: 'string' },
  { name: 'tls.handshake.ja3s', label: 'JA3S', type: 'string' },
  { name: 'tls.app_data_proto', label: 'Application Data Protocol', type: 'string' },
  { name: 'tls.handshake.verify_data', label: 'Verify Data', type: 'none' },
  { name: 'tls.handshake.certificate_request_context_length', label: 'Certificate Request Context Length', type: 'uint8', base: 'dec' },
  { name: 'tls.handshake.certificate_request_context', label: 'Certificate Request Context', type: 'bytes' },
  { name: 'tls.handshake.key_update.request_update', label: 'Key Update Request', type: 'uint8', base: 'dec', values: { 0: 'update_not_requested', 1: 'update_requested' } },
  { name: 'tls.segment.data', label: 'TLS segment data', type: 'bytes' },
  { name: 'tls.segments', label: 'Reassembled TLS segments', type: 'none' },
  { name: 'tls.segment', label: 'TLS segment', type: 'framenum' },
  { name: 'tls.segment.count', label: 'Segment count', type: 'uint32', base: 'dec' },
  { name: 'tls.reassembled.length', label: 'Reassembled PDU length', type: 'uint32', base: 'dec' },
  { name: 'tls.reassembled.data', label: 'Reassembled PDU data', type: 'bytes' },
] as const);

const F = tlsFields;

const PORTS = [324, 443, 465, 636, 802, 853, 993, 995, 1300, 2221, 2443, 3249, 3250, 3251, 3252, 3496, 5061, 5671, 5684, 5868, 8883, 11207, 19999, 27017];

interface Session {
  /** Negotiated version (from the Server Hello), 0 while unknown. */
  version: number;
  /** The protocol the Server Hello's ALPN chose ('' when none). */
  alpn: string;
  /** The cipher suite the Server Hello chose (0 while unknown): the key exchange messages' layout. */
  cipher: number;
  /** Endpoints ("addr/port") that have sent Change Cipher Spec: their handshake records are encrypted. */
  ccs: Set<string>;
  /** The endpoint that sent the Server Hello ('' before one). */
  server: string;
  /**
   * Something a resumed session is looked up by: a session ID in the Server Hello, or a ticket
   * (a non-empty SessionTicket extension in the Client Hello, a NewSessionTicket).
   */
  resumable: boolean;
  /** The server sent Server Hello Done (a full handshake). */
  helloDone: boolean;
  /** The server's Change Cipher Spec came before any Server Hello Done: an abbreviated handshake. */
  resumed: boolean;
  /** The Client Hello's random: the key log finds the session's secrets by it. */
  clientRandom: Uint8Array | null;
  /** The Server Hello's random (TLS 1.2's key block). */
  serverRandom: Uint8Array | null;
  /** The Server Hello agreed to encrypt_then_mac (RFC 7366): CBC records carry their MAC after the ciphertext. */
  encryptThenMac: boolean;
}

/** Client (0) or server (1): the side of a session a record comes from. */
type Side = 0 | 1;

/** A session's decryption, on the first pass (records are decrypted once, in order). */
interface SessionCrypto {
  /** The record protection each side uses now, null while it sends in the clear or its keys are unknown. */
  active: [RecordDecoder | null, RecordDecoder | null];
  /** TLS 1.2: what each side switches to with its Change Cipher Spec. */
  next: [RecordDecoder | null, RecordDecoder | null];
  /** TLS 1.3: each side's application traffic secret, used after its Finished. */
  appSecrets: [Buffer | null, Buffer | null];
  /** Each side's decrypted application data, as a stream. */
  flows: [AppDataFlow, AppDataFlow];
}

/** What a record's first dissection decrypted and did with its application data (for re-dissections). */
interface RecordMemo {
  plain: Plaintext | null;
  steps: AppDataStep[] | null;
}

/** A conversation's session, with the last frame and its whole second that touched it (for forgetting it). */
interface TrackedSession extends Session {
  lastFrame: number;
  lastSec: number;
  /** Decryption state: undefined until a record needs it, null when the key log lacks the session. */
  crypto?: SessionCrypto | null;
  /** The protocol TLS's heuristics found in the application data (tshark's session->app_handle). */
  appProtocol?: Protocol;
}

type FrameSnapshot = Omit<Session, 'ccs'> & { ccs: string[]; appProtocol: Protocol | undefined };

interface TlsState {
  /** By connection (conversation.ts's connectionKey). */
  sessions: Map<string, TrackedSession>;
  /**
   * Session state as it was when a frame was first dissected, so re-dissection agrees: per TLS
   * call in the frame (snapshotKey), as a frame may carry a reassembled PDU and records of its own.
   */
  snapshots: Map<number, FrameSnapshot>;
  /** What each TLS call's records decrypted (by snapshotKey), for re-dissections; only when the capture revisits. */
  records: Map<number, RecordMemo[]>;
  /** Newest second seen: "now" for the forgetting. */
  latest: number;
}

/** TLS calls told apart within one frame (more are rare; they share the last key). */
const CALLS_PER_FRAME = 64;

/** The frame's number and which of its TLS calls this is: the same on every dissection of it. */
function snapshotKey(ctx: PacketContext): number {
  const call = (ctx.scratch['tls.calls'] as number | undefined) ?? 0;
  ctx.scratch['tls.calls'] = call + 1;
  return ctx.frame.number * CALLS_PER_FRAME + Math.min(call, CALLS_PER_FRAME - 1);
}

function tlsState(capture: CaptureState): TlsState {
  return capture.get<TlsState>('tls.state', () => {
    const st: TlsState = { sessions: new Map(), snapshots: new Map(), records: new Map(), latest: -Infinity };
    // A live ring evicted the frames before `first`: their snapshots go, and the sessions none
    // of whose frames is left that were quiet FORGET_QUIET_AFTER_S (see pickForgotten).
    capture.onForget((first) => {
      forgetFramesBefore(st.snapshots, first, (k) => Math.floor(k / CALLS_PER_FRAME));
      forgetFramesBefore(st.records, first, (k) => Math.floor(k / CALLS_PER_FRAME));
      for (const [k] of pickForgotten(st.sessions, first, st.latest, ([, s]) => s.lastFrame, ([, s]) => s.lastSec, () => FORGET_QUIET_AFTER_S)) st.sessions.delete(k);
    });
    return st;
  });
}

function isValidVersion(v: number): boolean {
  return v >= 0x0300 && v <= 0x0304;
}

function looksLikeTls(tvb: Tvb): boolean {
  if (tvb.length < 5) return false;
  const ct = tvb.u8(0);
  return ct >= 20 && ct <= 24 && isValidVersion(tvb.u16(1)) && tvb.u16(3) > 0 && tvb.u16(3) <= 16384 + 2048;
}

/** Whether a handshake record's body parses as cleartext messages that exactly fill it. */
function parsesAsCleartextHandshake(tvb: Tvb, o: number, len: number): boolean {
  let p = o;
  const end = o + len;
  while (p < end) {
    if (!tvb.has(p, 4)) return true; // cannot tell from a cut capture: assume cleartext
    const t = tvb.u8(p);
    const l = tvb.u24(p + 1);
    if (HANDSHAKE_TYPES[t] === undefined) return false;
    if (p + 4 + l > end) return false;
    p += 4 + l;
  }
  return p === end;
}

/**
 * The packet's TLS session, as `session` (what this call changes) and `view` (what it reads:
 * on a re-dissection, the state the call first saw), and `me`, this side of it.
 */
function sessionOf(ctx: PacketContext): { session: TrackedSession; view: Session; live: boolean; me: string; memos: RecordMemo[] | null; appProtocol: Protocol | undefined } {
  // A session per connection, as tshark keeps one per conversation: one reusing an earlier
  // connection's ports starts with a handshake in the clear again.
  const key = connectionKey(ctx);
  // This side of the session (whose Change Cipher Spec was seen).
  const e = ctx.endpoints;
  const me = `${e.src}/${e.srcPort ?? 0}`;
  const st = tlsState(ctx.capture);
  const f = ctx.frame;
  let session = st.sessions.get(key);
  if (!session) {
    st.sessions.set(key, (session = {
      version: 0, alpn: '', cipher: 0, ccs: new Set(), server: '', resumable: false, helloDone: false, resumed: false,
      clientRandom: null, serverRandom: null, encryptThenMac: false, lastFrame: 0, lastSec: 0,
    }));
  }
  if (f.number > session.lastFrame) {
    session.lastFrame = f.number;
    session.lastSec = f.ts.sec;
  }
  if (f.ts.sec > st.latest) st.latest = f.ts.sec;
  // Re-dissection: start from the state this call first saw (later frames may have moved it on).
  // A second call in the same frame (its own records after a reassembled PDU) is no revisit.
  const snapKey = snapshotKey(ctx);
  const snap = st.snapshots.get(snapKey);
  const live = !snap;
  const view: Session = snap ? { ...snap, ccs: new Set(snap.ccs) } : session;
  let memos: RecordMemo[] | null = null;
  if (live && ctx.capture.revisits) {
    st.snapshots.set(snapKey, sessionSnapshot(session));
    st.records.set(snapKey, (memos = []));
  } else if (!live) memos = st.records.get(snapKey) ?? [];
  return { session, view, live, me, memos, appProtocol: snap ? snap.appProtocol : session.appProtocol };
}

/**
 * dissect_ssl's first test: a payload that starts with four printable ASCII characters is taken
 * for clear text, not TLS (no record starts so), and refused.
 */
function startsPrintable(tvb: Tvb): boolean {
  if (tvb.length <= 4) return false;
  for (let i = 0; i < 4; i++) {
    const b = tvb.u8(i);
    if (b < 0x20 || b > 0x7e) return false;
  }
  return true;
}

/**
 * What dissect_ssl makes of the bytes at `o` (5 of them there), by the session's version: a
 * record ('sslv3'), an SSLv2 record, a TLS 1.0-1.2 record of an unknown type ('ignored'), or no
 * record ('continuation'). With SSL 3.0 to TLS 1.2 known, any valid content type starts a record
 * (an SSLv2 Client Hello aside). Otherwise (TLS 1.3, whose version tshark 4.0 does not list
 * there, or none known yet) the heuristics decide: an SSLv2 look (high bit, a v2 message type)
 * first, then a content type with an SSL 3.0-TLS 1.2 version.
 */
function recordHead(tvb: Tvb, o: number, version: number): 'sslv3' | 'sslv2' | 'ignored' | 'continuation' {
  const ct = tvb.u8(o);
  const valid = CONTENT_TYPES[ct] !== undefined;
  if (version === 0x0002) return 'sslv2';
  if (version >= 0x0300 && version <= 0x0303) {
    if (ct === 0x80 && tvb.u8(o + 2) === 0x01) return 'sslv2';
    if (valid) return 'sslv3';
    return version === 0x0300 ? 'continuation' : 'ignored';
  }
  if (ct >= 0x80 && SSLV2_LOOK_TYPES.has(tvb.u8(o + 2))) return 'sslv2';
  const ver = tvb.u16(o + 1);
  return valid && ver >= 0x0300 && ver <= 0x0303 ? 'sslv3' : 'continuation';
}

/** ssl_is_authoritative_version_message: whether a record of type `ct` whose body starts with `first` tells the session's version. */
function speaksForVersion(ct: number, first: number): boolean {
  return ct === 22 ? HANDSHAKE_TYPES[first] !== undefined && first !== 1 : CONTENT_TYPES[ct] !== undefined;
}

/** The message types (third byte) of ssl_looks_like_sslv2: SSLv2's Error, Client Hello, Client Master Key and Server Hello. */
const SSLV2_LOOK_TYPES = new Set([0, 1, 2, 4]);

/**
 * An SSLv2 record (dissect_ssl2_record): a 2-byte length (high bit set) or a 3-byte one with
 * padding. Its message is taken as encrypted (a v2 handshake in the clear is not read): "SSLv2
 * Record Layer: Encrypted Data". Returns where the next record starts; when the record runs past
 * the segment, 'asked' (reassembly asked for) or 'stop' (none possible: nothing is shown).
 */
function sslv2Record(tvb: Tvb, ctx: PacketContext, node: FieldNode, o: number): number | 'asked' | 'stop' {
  const lengthBytes = tvb.u8(o) & 0x80 ? 2 : 3;
  const length = lengthBytes === 2 ? ((tvb.u8(o) & 0x7f) << 8) | tvb.u8(o + 1) : ((tvb.u8(o) & 0x3f) << 8) | tvb.u8(o + 1);
  if (o + lengthBytes + length > tvb.reportedLength) {
    if (!canDesegment(ctx)) return 'stop';
    requestDesegment(ctx, o, o + lengthBytes + length - tvb.reportedLength, true);
    return 'asked';
  }
  const rec = ctx.add(node, F['tls.record'], tvb, o, lengthBytes + length, null, 'SSLv2 Record Layer: Encrypted Data');
  // SSLv2 records carry no version: tshark adds one, generated, to filter on.
  ctx.addGenerated(rec, F['tls.record.version'], 0x0002);
  return o + lengthBytes + length;
}

function dissectTls(tvb: Tvb, ctx: PacketContext, node: FieldNode): void | false {
  const { session, view, live, me, memos, appProtocol } = sessionOf(ctx);
  const e = ctx.endpoints;
  let infos: string[] = [];
  /** The Info an application protocol wrote (it clears the column, as in tshark), with the records after it in `infos`. */
  let appInfo: string | null = null;
  let appProto: string | null = null;
  let firstRecordVersion = 0;
  let asked = false;
  /** Whether a record read as SSLv2 (dissect_ssl2_record): the Protocol column says so. */
  let sslv2 = false;
  let o = 0;
  let record = 0;
  if (startsPrintable(tvb)) return false;
  while (o < tvb.length) {
    // A record (or its header) continuing in later segments is left for TCP reassembly.
    if (o + 5 > tvb.reportedLength) {
      if (canDesegment(ctx)) {
        requestDesegment(ctx, o, DESEGMENT_ONE_MORE_SEGMENT, true);
        asked = true;
      }
      break;
    }
    if (!tvb.has(o, 5)) break;
    const ct = tvb.u8(o);
    const ver = tvb.u16(o + 1);
    const len = tvb.u16(o + 3);
    const head = recordHead(tvb, o, view.version);
    if (head === 'sslv2') {
      const end = sslv2Record(tvb, ctx, node, o);
      if (end === 'asked') asked = true;
      if (typeof end !== 'number') break;
      infos.push('Encrypted Data');
      sslv2 = true;
      o = end;
      continue;
    }
    if (head === 'ignored') {
      // TLS 1.0-1.2 ignore a record of an unknown type (RFC 5246 6.2.1): the rest of the segment.
      const item = ctx.add(node, F['tls.ignored_unknown_record'], tvb, o, tvb.length - o, null);
      ctx.addExpert(item, 'warn', 'protocol', 'Ignored Unknown Record');
      infos.push('Ignored Unknown Record');
      break;
    }
    if (head === 'continuation') {
      // Not a record's start (a segment after a lost one begins inside a record): dissect_ssl3_record
      // skips what its length says and tries again there; the heuristics stop.
      infos.push('Continuation Data');
      if (view.version !== 0x0300) break;
      o += 5 + len;
      continue;
    }
    if (o + 5 + len > tvb.reportedLength) {
      if (canDesegment(ctx)) {
        requestDesegment(ctx, o, o + 5 + len - tvb.reportedLength, true);
        asked = true;
      }
      break;
    }
    if (!firstRecordVersion) firstRecordVersion = ver;
    // ssl_try_set_version: a session whose version is not known yet takes it from the first
    // record that says it with authority: any but a Handshake, or a Handshake message other than
    // a Client Hello (a Server Hello may still name TLS 1.3 in its extension).
    if (view.version === 0 && ver >= 0x0300 && ver <= 0x0303 && tvb.has(o + 5, 1) && speaksForVersion(ct, tvb.u8(o + 5))) {
      if (live) session.version = ver;
      view.version = ver;
    }
    const tls13 = view.version === 0x0304;
    // TLS 1.3 encrypts into records of type 23 only; its Change Cipher Spec is for middleboxes
    // (RFC 8446 D.4): a Client Hello after a Hello Retry Request still comes in clear.
    let encrypted = tls13 ? ct !== 20 && ct !== 21 && ct !== 22 : view.ccs.has(me);
    const rec = ctx.add(node, F['tls.record'], tvb, o, 5 + len, null);
    const vname = COLUMN[view.version || ver] ?? 'TLS';
    // TLS 1.3 hides the real type: the outer type 23 is shown as "Opaque Type" (RFC 8446 5.2).
    if (tls13 && ct === 23) ctx.add(rec, F['tls.record.opaque_type'], tvb, o, 1, ct);
    else ctx.add(rec, F['tls.record.content_type'], tvb, o, 1, ct);
    ctx.add(rec, F['tls.record.version'], tvb, o + 1, 2, ver);
    ctx.add(rec, F['tls.record.length'], tvb, o + 3, 2, len);
    const body = o + 5;
    const avail = Math.min(len, tvb.length - body);
    // The record decrypted: on the first pass with the session's keys, later as it was then.
    let plain: Plaintext | null = null;
    if (live) {
      if (encrypted && ct !== 20 && avail === len) plain = decryptRecord(ctx, session, me, ct, ver, tvb.bytes.subarray(tvb.abs(body), tvb.abs(body) + len));
      memos?.push({ plain, steps: null });
    } else plain = memos?.[record]?.plain ?? null;
    const memo = memos?.[record] ?? null;
    record++;
    // What the record holds: its own bytes, or the plaintext (a data source of its own).
    let src = tvb, at = body, size = len, have = avail, inner = ct;
    if (plain) {
      src = Tvb.of(plain.data);
      ctx.nameSource(src, 'Decrypted TLS');
      at = 0;
      size = have = plain.data.length;
      inner = plain.type;
      encrypted = false;
      if (tls13) ctx.addGenerated(rec, F['tls.record.content_type'], inner);
      // Follow TLS Stream's tap: every record decrypted, the application data's bytes shown.
      ((ctx.scratch[TLS_FOLLOW_SCRATCH] ??= []) as TlsFollowChunk[]).push({ fromServer: me === view.server, appData: inner === 23, bytes: plain.data });
    }
    // Records after an application protocol's PDU give the column back to TLS.
    appProto = null;
    let label = '';
    let recordLabel: string | undefined;
    switch (inner) {
      case 20: {
        const ccs = ctx.add(rec, F['tls.change_cipher_spec'], tvb, body, len, null);
        label = 'Change Cipher Spec';
        recordLabel = 'Change Cipher Spec Protocol: Change Cipher Spec';
        if (live) {
          session.ccs.add(me);
          changeCipherSpec(ctx, session, me);
        }
        view.ccs.add(me);
        noteResumption(ctx, ccs, me, live ? session : view, view);
        break;
      }
      case 21:
        if (!encrypted && size === 2 && have >= 2) {
          const lv = src.u8(at), ds = src.u8(at + 1);
          const am = ctx.add(rec, F['tls.alert_message'], src, at, 2, null);
          ctx.add(am, F['tls.alert_message.level'], src, at, 1, lv);
          ctx.add(am, F['tls.alert_message.desc'], src, at + 1, 1, ds);
          label = `Alert (Level: ${ALERT_LEVELS[lv] ?? `Unknown (${lv})`}, Description: ${ALERT_DESCS[ds] ?? `Unknown (${ds})`})`;
        } else {
          // tshark's item is the tls.alert_message field, with this text (tls.alert_message matches it).
          ctx.add(rec, F['tls.alert_message'], src, at, have, null, 'Alert Message: Encrypted Alert');
          label = 'Encrypted Alert';
        }
        break;
      case 22:
        if (encrypted || !parsesAsCleartextHandshake(src, at, size)) {
          // A tls.handshake item without type or length, as tshark's (tls.handshake matches it).
          ctx.add(rec, F['tls.handshake'], src, at, have, null, 'Handshake Protocol: Encrypted Handshake Message');
          label = 'Encrypted Handshake Message';
        } else {
          const names: string[] = [];
          let p = at;
          while (p + 4 <= at + size && src.has(p, 4)) {
            const t = src.u8(p);
            const l = src.u24(p + 1);
            const name = handshakeName(src, p, t, l);
            names.push(name);
            dissectHandshake(src, ctx, rec, p, t, l, name, live ? session : view, view, me);
            if (live && plain) afterHandshakeMessage(session, me, t);
            p += 4 + l;
          }
          label = names.join(', ');
          recordLabel = `Handshake Protocol: ${names.length === 1 ? names[0] : 'Multiple Handshake Messages'}`;
        }
        break;
      case 23: {
        ctx.add(rec, F['tls.app_data'], tvb, body, avail, tvb.slice(body, avail));
        label = 'Application Data';
        // The protocol inside, as tshark guesses it: ALPN's choice, else the server's port.
        const app = appProtocolName(view.alpn, e.srcPort, e.dstPort);
        recordLabel = `Application Data Protocol: ${app ?? 'Application Data'}`;
        if (app) ctx.addGenerated(rec, F['tls.app_data_proto'], app);
        if (plain) {
          ctx.setText(rec, `${vname} Record Layer: ${recordLabel}`);
          infos.push(label);
          ctx.protocol = COLUMN[view.version || ver] ?? 'TLS';
          const outcome = handAppData(ctx, node, src, live, session, me, view.alpn, appProtocol, memo);
          if (outcome.info !== null) {
            appInfo = outcome.info;
            appProto = ctx.protocol;
            infos = [];
          } else if (outcome.segment) {
            appInfo = null;
            infos = [SEGMENT_OF_PDU];
          }
          o += 5 + len;
          continue;
        }
        break;
      }
      default:
        label = CONTENT_TYPES[inner] ?? 'Unknown';
    }
    ctx.setText(rec, `${vname} Record Layer: ${recordLabel ?? (label === 'Encrypted Handshake Message' ? 'Handshake Protocol: Encrypted Handshake Message' : label)}`);
    infos.push(label);
    o += 5 + len;
  }
  const ver = view.version || firstRecordVersion;
  ctx.protocol = appProto ?? (sslv2 ? 'SSLv2' : COLUMN[ver] ?? 'TLS');
  // After a PDU TCP reassembled in this segment, this call's records go on the same list.
  const fenced = fencedInfo(ctx);
  let mine = appInfo !== null ? [appInfo, ...infos].join(', ') : infos.join(', ');
  // A segment holding only the start of a record TCP is reassembling: no text of TLS's own (the
  // tree keeps an empty "Transport Layer Security", as tshark's does).
  if (!infos.length && appInfo === null && !asked && !fenced) mine = 'Continuation Data';
  // ("[TLS segment of a reassembled PDU]" is appended with no separator, as packet-tls.c does.)
  ctx.info = separatedInfo(ctx, mine, !mine.startsWith(SEGMENT_OF_PDU));
  ctx.setText(node, `Transport Layer Security`);
}

/** tshark's Info for a record that only carries part of a PDU the protocol inside is waiting for. */
const SEGMENT_OF_PDU = '[TLS segment of a reassembled PDU]';

/** Which side of the session `me` is; null before the Server Hello said which is the server. */
function sideOf(session: Session, me: string): Side | null {
  if (!session.server) return null;
  return me === session.server ? 1 : 0;
}

/**
 * The session's keys, from the key log, the first time a record needs them: TLS 1.3's
 * handshake traffic secrets (the application ones follow each side's Finished), TLS 1.2's
 * master secret (each side's keys apply from its Change Cipher Spec). Null when the key log
 * does not know the session or its cipher suite is not decrypted.
 */
function cryptoOf(ctx: PacketContext, session: TrackedSession): SessionCrypto | null {
  if (session.crypto !== undefined) return session.crypto;
  const keys = ctx.capture.keyLog;
  const random = session.clientRandom;
  let crypto: SessionCrypto | null = null;
  if (random && session.server && keys.size > 0) {
    const flows: [AppDataFlow, AppDataFlow] = [newAppDataFlow(), newAppDataFlow()];
    if (session.version === 0x0304) {
      const client = keys.find('CLIENT_HANDSHAKE_TRAFFIC_SECRET', random);
      const server = keys.find('SERVER_HANDSHAKE_TRAFFIC_SECRET', random);
      const c = client && RecordDecoder.tls13(session.cipher, client);
      const s = server && RecordDecoder.tls13(session.cipher, server);
      if (c || s) {
        crypto = {
          active: [c ?? null, s ?? null], next: [null, null], flows,
          appSecrets: [keys.find('CLIENT_TRAFFIC_SECRET_0', random) ?? null, keys.find('SERVER_TRAFFIC_SECRET_0', random) ?? null],
        };
      }
    } else if (session.serverRandom) {
      const master = keys.find('CLIENT_RANDOM', random);
      const both = master && RecordDecoder.tls12(session.version, session.cipher, master, random, session.serverRandom, session.encryptThenMac);
      if (both) crypto = { active: [null, null], next: [both.client, both.server], appSecrets: [null, null], flows };
    }
  }
  // Not known yet: asked again at the next record (a key log block may come later in the file).
  if (crypto) session.crypto = crypto;
  return crypto;
}

/** A side's Change Cipher Spec: from now on its records use the keys TLS 1.2 derived. */
function changeCipherSpec(ctx: PacketContext, session: TrackedSession, me: string): void {
  const side = sideOf(session, me);
  if (side === null || session.version === 0x0304) return;
  const crypto = cryptoOf(ctx, session);
  if (!crypto) return;
  crypto.active[side] = crypto.next[side];
  crypto.next[side] = null;
}

/** A record's plaintext, or null when it cannot be decrypted (no keys, not authentic). */
function decryptRecord(ctx: PacketContext, session: TrackedSession, me: string, type: number, version: number, body: Uint8Array): Plaintext | null {
  const side = sideOf(session, me);
  if (side === null) return null;
  const decoder = cryptoOf(ctx, session)?.active[side];
  return decoder ? decoder.decrypt(type, version, body) : null;
}

/** TLS 1.3 key changes a decrypted handshake message makes for the side that sent it. */
function afterHandshakeMessage(session: TrackedSession, me: string, type: number): void {
  const side = sideOf(session, me);
  const crypto = session.crypto;
  if (side === null || !crypto || session.version !== 0x0304) return;
  if (type === 20) {
    // Finished: that side's application traffic keys follow (RFC 8446 7.1).
    const secret = crypto.appSecrets[side];
    crypto.active[side] = secret ? RecordDecoder.tls13(session.cipher, secret) : null;
  } else if (type === 24) {
    crypto.active[side]?.update();
  }
}


/**
 * A decrypted application data record to the protocol inside (tshark's process_ssl_payload):
 * ALPN's protocol; else one TLS's heuristics recognise (HTTP), kept for the session; else the
 * port's. Returns the Info it wrote (null when none), and whether the record only carried part
 * of a PDU.
 */
function handAppData(ctx: PacketContext, tls: FieldNode, plain: Tvb, live: boolean, session: TrackedSession, me: string, alpn: string,
  found: Protocol | undefined, memo: RecordMemo | null): { info: string | null; segment: boolean } {
  let segment = false;
  let called = false;
  const e = ctx.endpoints;
  const c: AppDataCall = {
    ctx, tls, fields: APP_DATA_FIELDS,
    call: (tvb, reassembled) => nestedPayloadCall(ctx, true, reassembled, () => {
      let proto = alpn ? dissectorOf(ALPN_APPS[alpn]) : found;
      if (!proto) {
        proto = tryHeuristics('tls', tvb, ctx);
        if (proto && live) session.appProtocol = found = proto;
      }
      proto ??= dissectorOf(portApp(e.srcPort, e.dstPort));
      if (!proto) return;
      const marks = ctx.mark();
      callProtocol(proto, tvb, ctx, ctx.upperParent);
      called = true;
      // A PDU the protocol waits for from its start: its tree and layer go, as over TCP (callPayload).
      const request = requested(ctx);
      if (request && request.offset <= 0 && !request.keepTree) ctx.takeBack(marks);
    }),
    markSegment: () => {
      segment = true;
    },
  };
  if (live) {
    const side = sideOf(session, me);
    const flow = side === null ? null : session.crypto?.flows[side];
    const steps = flow ? feedAppData(flow, plain, c) : [];
    if (memo) memo.steps = steps;
  } else if (memo?.steps) replayAppData(memo.steps, plain, c);
  if (segment) return { info: null, segment: true };
  return { info: called ? ctx.info : null, segment: false };
}

const APP_DATA_FIELDS = {
  segmentData: F['tls.segment.data'],
  fragments: {
    list: F['tls.segments'], item: F['tls.segment'], count: F['tls.segment.count'], length: F['tls.reassembled.length'],
    data: F['tls.reassembled.data'], showData: true,
  } satisfies FragmentFields,
};

/**
 * A protocol TLS's application data is for: its name, as tshark's app data item shows it, and
 * SynScope's dissector of it (none for LDAP, SPDY: named, not dissected).
 */
interface AppProtocol {
  name: string;
  dissector?: string;
}
const HTTP: AppProtocol = { name: 'Hypertext Transfer Protocol', dissector: 'http' };
const IMAP: AppProtocol = { name: 'Internet Message Access Protocol', dissector: 'imap' };
const POP: AppProtocol = { name: 'Post Office Protocol', dissector: 'pop' };
const SMTP: AppProtocol = { name: 'Simple Mail Transfer Protocol', dissector: 'smtp' };

/** The protocols ALPN names. */
const ALPN_APPS: Record<string, AppProtocol> = { h2: { name: 'HyperText Transfer Protocol 2', dissector: 'http2' }, 'http/1.1': HTTP, 'http/1.0': HTTP };
/**
 * The protocols tshark hands TLS's payload to by port (the tls.port table), and the ports of
 * protocols that switch to TLS in mid-conversation (STARTTLS, MySQL's SSL request), whose TLS
 * carries the protocol that started it.
 */
const PORT_APPS: Record<number, AppProtocol> = {
  443: HTTP, 993: IMAP, 143: IMAP, 995: POP, 110: POP, 465: SMTP, 25: SMTP, 587: SMTP,
  636: { name: 'Lightweight Directory Access Protocol' }, 3306: { name: 'MySQL Protocol', dissector: 'mysql' },
};

/** The port's protocol: the lower of the two ports decides (the server's, as a rule). */
function portApp(srcPort: number | undefined, dstPort: number | undefined): AppProtocol | undefined {
  return PORT_APPS[Math.min(srcPort ?? 65536, dstPort ?? 65536)];
}

function dissectorOf(app: AppProtocol | undefined): Protocol | undefined {
  return app?.dissector ? findDissector(app.dissector) : undefined;
}

/** The protocol inside, as tshark's record item names it: ALPN's choice, else the port's. */
function appProtocolName(alpn: string, srcPort: number | undefined, dstPort: number | undefined): string | undefined {
  if (alpn) return ALPN_APPS[alpn]?.name ?? (alpn.startsWith('spdy/') ? 'SPDY' : undefined);
  return portApp(srcPort, dstPort)?.name;
}

/** What a frame's first dissection saw of its session, for later ones to start from. */
function sessionSnapshot(s: TrackedSession): FrameSnapshot {
  return {
    version: s.version, alpn: s.alpn, cipher: s.cipher, ccs: [...s.ccs], server: s.server, resumable: s.resumable, helloDone: s.helloDone, resumed: s.resumed,
    clientRandom: s.clientRandom, serverRandom: s.serverRandom, encryptThenMac: s.encryptThenMac, appProtocol: s.appProtocol,
  };
}

/**
 * tshark's note on the server's Change Cipher Spec of a resumed session
 * (ssl_dissect_change_cipher_spec): one that comes before any Server Hello Done, in a session
 * with a session ID or a ticket to resume by. TLS 1.3's is only there for middleboxes
 * (RFC 8446 D.4): no note.
 */
function noteResumption(ctx: PacketContext, ccs: FieldNode, me: string, session: Session, view: Session): void {
  if (me !== view.server || view.version === 0x0304) return;
  if (!view.helloDone && view.resumable) session.resumed = view.resumed = true;
  if (view.resumed) ctx.addExpert(ccs, 'note', 'sequence', 'This session reuses previously negotiated keys (Session resumption)');
}

/** The Random of a Server Hello that is a Hello Retry Request (RFC 8446 4.1.3: SHA-256 of "HelloRetryRequest"). */
const HRR_RANDOM = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';

function isHelloRetryRequest(tvb: Tvb, p: number, type: number, len: number): boolean {
  return type === 2 && len >= 34 && tvb.has(p + 6, 32) && hexBytes(tvb.slice(p + 6, 32)) === HRR_RANDOM;
}

/** A handshake message's name as tshark gives it: its type's, or "Hello Retry Request" for a Server Hello that is one. */
function handshakeName(tvb: Tvb, p: number, type: number, len: number): string {
  return isHelloRetryRequest(tvb, p, type, len) ? HRR_NAME : HANDSHAKE_TYPES[type]!;
}
const HRR_NAME = 'Hello Retry Request';

/** One handshake message; `name` is handshakeName's. */
function dissectHandshake(tvb: Tvb, ctx: PacketContext, rec: FieldNode, p: number, type: number, len: number, name: string, session: Session, view: Session, me: string): void {
  const hs = ctx.add(rec, F['tls.handshake'], tvb, p, 4 + len, null, `Handshake Protocol: ${name}`);
  ctx.add(hs, F['tls.handshake.type'], tvb, p, 1, type);
  ctx.add(hs, F['tls.handshake.length'], tvb, p + 1, 3, len);
  const b = p + 4;
  if (type !== 1 && type !== 2) {
    if (type === 14) session.helloDone = view.helloDone = true;
    if (type === 4) session.resumable = view.resumable = true;
    // The messages' bodies may run past a cut capture: they are shown as far as captured.
    const have = Math.max(0, Math.min(len, tvb.length - b));
    switch (type) {
      case 4: dissectNewSessionTicket(tvb, ctx, hs, b, have, view.version === 0x0304, (item, o, n) => dissectExtensions(tvb, ctx, item, o, b + have, false, n)); break;
      case 8: {
        // TLS 1.3 (seen decrypted): ALPN's choice is here, not in the Server Hello.
        const facts: HelloFacts = { version: 0, alpn: [], groups: [], pointFormats: [] };
        dissectExtensions(tvb, ctx, hs, b, b + have, false, undefined, facts);
        if (facts.alpn.length) session.alpn = view.alpn = facts.alpn[0]!;
        break;
      }
      case 20: ctx.add(hs, F['tls.handshake.verify_data'], tvb, b, have, null); break;
      case 24: if (have >= 1) ctx.add(hs, F['tls.handshake.key_update.request_update'], tvb, b, 1, tvb.u8(b)); break;
      case 12: dissectServerKeyExchange(tvb, ctx, hs, b, have, view.cipher, view.version); break;
      case 13: if (view.version !== 0x0304) dissectCertificateRequest(tvb, ctx, hs, b, have, view.version); break;
      case 15: dissectCertificateVerify(tvb, ctx, hs, b, have, view.version); break;
      case 16: dissectClientKeyExchange(tvb, ctx, hs, b, have, view.cipher, view.version); break;
      case 22: dissectCertificateStatus(tvb, ctx, hs, b, have); break;
      default:
    }
    let cb = b;
    if (type === 11 && view.version === 0x0304 && len >= 1) {
      // TLS 1.3 (RFC 8446 4.4.2): a request context first, and extensions after each certificate.
      const n = tvb.u8(b);
      ctx.add(hs, F['tls.handshake.certificate_request_context_length'], tvb, b, 1, n);
      if (n > 0) ctx.add(hs, F['tls.handshake.certificate_request_context'], tvb, b + 1, n, tvb.slice(b + 1, n));
      cb = b + 1 + n;
    }
    if (type === 11 && b + len >= cb + 3 && tvb.has(cb, 3)) {
      const b = cb;
      const total = tvb.u24(b);
      ctx.add(hs, F['tls.handshake.certificates_length'], tvb, b, 3, total);
      // An empty list (a client without a certificate) has no item of its own, as in tshark.
      const list = total > 0 ? ctx.add(hs, F['tls.handshake.certificates'], tvb, b + 3, total, null, `Certificates (${total} bytes)`) : hs;
      // Each certificate's DER goes to the X.509 dissector, which shows it below its item.
      const x509 = findDissector('x509af');
      let q = b + 3;
      while (q + 3 <= b + 3 + total && tvb.has(q, 3)) {
        const cl = tvb.u24(q);
        ctx.add(list, F['tls.handshake.certificate_length'], tvb, q, 3, cl);
        if (!tvb.has(q + 3, cl)) break;
        const cert = ctx.add(list, F['tls.handshake.certificate'], tvb, q + 3, cl, tvb.slice(q + 3, cl));
        x509?.dissect(tvb.sub(q + 3, cl), ctx, cert);
        q += 3 + cl;
        if (view.version === 0x0304 && tvb.has(q, 2)) {
          const el = tvb.u16(q);
          dissectExtensions(tvb, ctx, list, q, q + 2 + el, false, el);
          q += 2 + el;
        }
      }
    }
    return;
  }
  // Client Hello / Server Hello (RFC 8446 4.1.2, 4.1.3).
  const client = type === 1;
  const end = b + len;
  let q = b;
  const legacy = tvb.u16(q);
  ctx.add(hs, F['tls.handshake.version'], tvb, q, 2, legacy);
  q += 2;
  const random = ctx.add(hs, F['tls.handshake.random'], tvb, q, 32, tvb.slice(q, 32),
    name === HRR_NAME ? `Random: ${HRR_RANDOM} (HelloRetryRequest magic)` : undefined);
  const randomAt = q;
  if (client) session.clientRandom = tvb.slice(q, 32);
  else if (name !== HRR_NAME) session.serverRandom = tvb.slice(q, 32);
  q += 32;
  const sidLen = tvb.u8(q);
  ctx.add(hs, F['tls.handshake.session_id_length'], tvb, q, 1, sidLen);
  q += 1;
  if (sidLen > 0) ctx.add(hs, F['tls.handshake.session_id'], tvb, q, sidLen, tvb.slice(q, sidLen));
  // The Server Hello's session ID is the one a resumption is looked up by (longer than TLS allows: ignored).
  if (!client && sidLen > 0 && sidLen <= 32) session.resumable = view.resumable = true;
  q += sidLen;
  const suites: number[] = [];
  if (client) {
    const csLen = tvb.u16(q);
    ctx.add(hs, F['tls.handshake.cipher_suites_length'], tvb, q, 2, csLen);
    q += 2;
    const n = csLen >> 1;
    const cs = ctx.add(hs, F['tls.handshake.ciphersuites'], tvb, q, csLen, null, `Cipher Suites (${n} suite${n === 1 ? '' : 's'})`);
    for (let i = 0; i + 2 <= csLen; i += 2) {
      suites.push(tvb.u16(q + i));
      ctx.add(cs, F['tls.handshake.ciphersuite'], tvb, q + i, 2, tvb.u16(q + i));
    }
    q += csLen;
    const cmLen = tvb.u8(q);
    ctx.add(hs, F['tls.handshake.comp_methods_length'], tvb, q, 1, cmLen);
    q += 1;
    const cm = ctx.add(hs, F['tls.handshake.comp_methods'], tvb, q, cmLen, null, `Compression Methods (${cmLen} method${cmLen === 1 ? '' : 's'})`);
    for (let i = 0; i < cmLen; i++) ctx.add(cm, F['tls.handshake.comp_method'], tvb, q + i, 1, tvb.u8(q + i));
    q += cmLen;
  } else {
    suites.push(tvb.u16(q));
    ctx.add(hs, F['tls.handshake.ciphersuite'], tvb, q, 2, tvb.u16(q));
    q += 2;
    ctx.add(hs, F['tls.handshake.comp_method'], tvb, q, 1, tvb.u8(q));
    q += 1;
  }
  const facts: HelloFacts = { version: 0, alpn: [], groups: [], pointFormats: [] };
  const extTypes: number[] = [];
  if (q + 2 <= end) dissectExtensions(tvb, ctx, hs, q, end, client, tvb.u16(q), facts, extTypes);
  if (!client && extTypes.includes(22)) session.encryptThenMac = true;
  // The random's first four bytes were a time before TLS 1.3: not in a TLS 1.3 Server Hello, nor
  // in a Client Hello of a session known to be TLS 1.3 (the one after a Hello Retry Request).
  if (client ? view.version !== 0x0304 : facts.version !== 0x0304) {
    ctx.add(random, F['tls.handshake.random_time'], tvb, randomAt, 4, { sec: tvb.u32(randomAt), nsec: 0 });
    ctx.add(random, F['tls.handshake.random_bytes'], tvb, randomAt + 4, 28, tvb.slice(randomAt + 4, 28));
  }
  addJa3(ctx, hs, client, legacy, suites, extTypes, facts);
  if (client && facts.ticket) session.resumable = view.resumable = true;
  if (!client) {
    session.server = view.server = me;
    const negotiated = facts.version || legacy;
    session.version = negotiated;
    view.version = negotiated;
    session.cipher = suites[0]!;
    view.cipher = suites[0]!;
    if (facts.alpn.length) {
      session.alpn = facts.alpn[0]!;
      view.alpn = facts.alpn[0]!;
    }
  }
}

/**
 * A handshake message's extensions: their length (the two bytes at `q`, `extLen`) and each
 * extension up to `end`, with its body as tls-extensions.ts reads it; their types go on `types`.
 */
function dissectExtensions(tvb: Tvb, ctx: PacketContext, parent: FieldNode, q: number, end: number, client: boolean, extLen = tvb.has(q, 2) ? tvb.u16(q) : -1,
  facts: HelloFacts = { version: 0, alpn: [], groups: [], pointFormats: [] }, types: number[] = []): void {
  if (extLen < 0 || q + 2 > end) return;
  ctx.add(parent, F['tls.handshake.extensions_length'], tvb, q, 2, extLen);
  q += 2;
  const extEnd = Math.min(end, q + extLen);
  while (q + 4 <= extEnd) {
    const et = tvb.u16(q), el = tvb.u16(q + 2);
    types.push(et);
    const ext = ctx.addText(parent, tvb, q, 4 + el, `Extension: ${EXTENSIONS[et] ?? `Unknown type ${et}`} (len=${el})`);
    ctx.add(ext, F['tls.handshake.extension.type'], tvb, q, 2, et);
    ctx.add(ext, F['tls.handshake.extension.len'], tvb, q + 2, 2, el);
    dissectExtensionBody(tvb, ctx, ext, et, q + 4, el, client, facts);
    q += 4 + el;
  }
}

/**
 * JA3 (Client Hello) and JA3S (Server Hello) fingerprints as tshark adds them: the version, the
 * cipher suites, the extension types, then (JA3) the groups and point formats, GREASE values
 * left out, as a string and its MD5.
 */
function addJa3(ctx: PacketContext, hs: FieldNode, client: boolean, version: number, suites: number[], exts: number[], facts: HelloFacts): void {
  if (!ctx.tree && !ctx.wants(F['tls.handshake.ja3']) && !ctx.wants(F['tls.handshake.ja3s']) && !ctx.wants(F['tls.handshake.ja3_full']) && !ctx.wants(F['tls.handshake.ja3s_full'])) return;
  const list = (v: number[]) => v.filter((x) => !isGrease(x)).join('-');
  const full = client
    ? `${version},${list(suites)},${list(exts)},${list(facts.groups)},${facts.pointFormats.join('-')}`
    : `${version},${list(suites)},${list(exts)}`;
  const md5 = createHash('md5').update(full).digest('hex');
  ctx.addGenerated(hs, client ? F['tls.handshake.ja3_full'] : F['tls.handshake.ja3s_full'], full);
  ctx.addGenerated(hs, client ? F['tls.handshake.ja3'] : F['tls.handshake.ja3s'], md5);
}

const HANDSHAKE_FRAGMENTS: FragmentFields = {
  list: F['tls.handshake.fragments'], item: F['tls.handshake.fragment'], count: F['tls.handshake.fragment.count'],
};

/**
 * TLS 1.3 handshake messages outside records, as QUIC's CRYPTO frames carry them (tshark's
 * tls13-handshake dissector): the messages QUIC's reassembly made whole, or the start of one
 * still incomplete, shown as tshark shows a handshake fragment. The columns stay QUIC's.
 */
function dissectBareHandshake(bytes: Tvb, ctx: PacketContext, node: FieldNode): void {
  const { session, view, live, me } = sessionOf(ctx);
  // QUIC's handshake is TLS 1.3's (RFC 9001 4.2): a Client Hello's random has no time in it.
  session.version = view.version = 0x0304;
  // The end of a message whose start came earlier (QUIC's CRYPTO data, quic-crypto-stream.ts):
  // shown as its last fragment, the list of its fragments, then the message put together.
  const names: string[] = [];
  const messages = (tvb: Tvb, p: number): void => {
    while (p < tvb.length) {
      const t = tvb.u8(p);
      const name = HANDSHAKE_TYPES[t] ?? 'Encrypted Handshake Message';
      const l = tvb.has(p, 4) ? tvb.u24(p + 1) : -1;
      if (l < 0 || !tvb.has(p + 4, l)) {
        ctx.add(node, F['tls.handshake'], tvb, p, tvb.length - p, null, `Handshake Protocol: ${name} (fragment)`);
        names.push(`${name} (fragment)`);
        break;
      }
      const full = handshakeName(tvb, p, t, l);
      dissectHandshake(tvb, ctx, node, p, t, l, full, live ? session : view, view, me);
      names.push(full);
      p += 4 + l;
    }
  };
  const reassembly = ctx.scratch[TLS_HANDSHAKE_FRAGMENTS_SCRATCH] as HandshakeReassembly | null | undefined;
  if (reassembly?.fragments && reassembly.message) {
    const name = HANDSHAKE_TYPES[reassembly.message[0]!] ?? 'Encrypted Handshake Message';
    // The end of the message is this delivery's first bytes; whole messages may follow it.
    const own = reassembly.fragments[reassembly.fragments.length - 1]!.length;
    ctx.add(node, F['tls.handshake'], bytes, 0, Math.min(own, bytes.length), null, `Handshake Protocol: ${name} (last fragment)`);
    const tvb = Tvb.of(reassembly.message);
    ctx.nameSource(tvb, 'Reassembled Handshake Message');
    addFragmentTree(ctx, node, HANDSHAKE_FRAGMENTS, reassembly.fragments, reassembly.message);
    messages(tvb, 0);
    messages(bytes, own);
  } else messages(bytes, 0);
  ctx.setText(node, `TLSv1.3 Record Layer: Handshake Protocol: ${names.length === 1 ? names[0] : 'Multiple Handshake Messages'}`);
}

export const tlsProtocol = defineProtocol('tls', 'Transport Layer Security', dissectTls);
/** The same protocol (frame.protocols says tls), called by name on bare handshake messages (QUIC's CRYPTO). */
registerDissector({ ...tlsProtocol, dissect: dissectBareHandshake }, 'tls13-handshake');

for (const port of PORTS) register('tcp.port', port, tlsProtocol);
// SMTP, IMAP and the like hand a conversation over to TLS after STARTTLS (by name: ssl_starttls_ack).
registerDissector(tlsProtocol);
registerHeuristic('tcp', tlsProtocol, (tvb) => looksLikeTls(tvb));
// Certificate Transparency's SCT list in an X.509 extension is a TLS structure (RFC 6962 3.3):
// the certificate's dissector hands it here, and frame.protocols lists tls for it.
registerBerOid('1.3.6.1.4.1.11129.2.4.2', { ...tlsProtocol, dissect: (tvb, ctx, node) => dissectSctList(tvb, ctx, node) });

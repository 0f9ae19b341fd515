// Google QUIC (gQUIC, versions Q0xx) as tshark 4.0's packet-gquic.c shows it: "GQUIC (Google
// Quick UDP Internet Connections)", Protocol column "GQUIC".
//
// Found on UDP by tshark's heuristic only (no port is registered): a datagram whose public flags
// have neither of the two high bits set, with the version and 8-byte CID flags, at least 13
// bytes long and a version starting "Q02", "Q03" or "Q04"; or a Q046 long header (both high bits
// set, version exactly "Q046", at least 14 bytes). Once one is found, every later datagram
// between the same two UDP endpoints is GQUIC's (tshark's conversation_set_dissector): that is
// how the encrypted packets without a version, the server's ones, are taken.
//
// Per conversation tshark keeps the last version a packet named (its three digits after the
// "Q"; "Invalid Version" when they are not a number), whether integers are big endian (from
// Q039 on, and kept once set) and the server's port (443, or the destination port of a Client
// Hello sent from any other port): a packet from that port is the server's, whose version flag
// means Version Negotiation (a list of versions) and whose diversification nonce (Q033 on) is
// shown. The state is the one the capture had reached when the frame was first dissected, so
// dissecting it again (random access) shows the same.
//
// The public header (flags, CID, version, packet number; from Q046 the first byte's header form,
// packet type and lengths, a long header's DCIL/SCIL) is always shown. Then, as tshark decides it
// by a walk of the frames (is_gquic_unencrypt), the payload is either shown in the clear — the
// message authentication hash, the private flags before Q034, then the frames — or as "Payload
// (Encrypted)". In the clear are packets holding a STREAM frame that starts with a CHLO, SHLO or
// REJ message, or a CONNECTION_CLOSE whose reason fills the packet. Frames: PADDING, RST_STREAM,
// CONNECTION_CLOSE, GOAWAY, WINDOW_UPDATE, BLOCKED, STOP_WAITING, PING, STREAM (stream 1's
// handshake message with its tag/value list, other streams' data), ACK (before and after Q034's
// layout change) and CONGESTION_FEEDBACK, with the frame texts and Info tshark gives them. Public
// Reset packets show their PRST tag list. Every tag tshark 4.0 decodes is decoded as it does it
// (fixed lengths read as such, "Unknown Data" where a tag's value is longer, "Truncated Tag
// Length..." where it runs past the packet), an unknown one as "Unknown tag" with its note.
//
// Left out (they show otherwise than in tshark):
//   - Stream 3 (HTTP/2 HEADERS over gQUIC): Info "H2" and the stream's label are tshark's, but
//     its frames are shown as gquic.stream_data, not dissected as HTTP/2.
//   - A QLVE tag (Legacy Version Encapsulation) is shown as bytes; tshark also hands it to its
//     IETF QUIC dissector.
//   - A CRYPTO frame (0x08, Q050's) in a packet of a version below 50 is tshark's failed assertion,
//     shown as its "[Dissector bug, protocol GQUIC: ...]" (with tshark 4.0.17's source line); from
//     version 50 its data is decoded as a handshake message, but a T05x's TLS handshake in it
//     (version 51 on) is not.
//   - Q050 and T05x packets (IETF-style headers with Google versions): tshark's QUIC dissector
//     takes those; SynScope leaves them to UDP.
//   - A UDP port some other protocol registers wins over a GQUIC conversation here; in tshark the
//     conversation wins.
import { defineFields, type FieldDef } from '../field.js';
import { defineProtocol, registerHeuristic } from '../dispatch.js';
import { conversationState, connectionKey } from '../conversation.js';
import { cutUtf8, ITEM_LABEL_MAX, printableText } from '../format.js';
import { addMalformedItem } from '../exception.js';
import { wsFields, type CaptureState, type PacketContext } from '../packet.js';
import { quicVarintExact } from '../quic-wire.js';
import type { FieldNode } from '../tree.js';
import { MalformedError, type Tvb } from '../tvb.js';

const YES_NO = ['Yes', 'No'] as const;
const BYTE_LENGTHS_1246: Record<number, string> = { 0: '1 Byte', 1: '2 Bytes', 2: '4 Bytes', 3: '6 Bytes' };

/** frame_type_vals, a range_string over the type byte. */
const FRAME_TYPES: Record<number, string> = (() => {
  const names: Record<number, string> = {
    0: 'PADDING', 1: 'RST_STREAM', 2: 'CONNECTION_CLOSE', 3: 'GOAWAY', 4: 'WINDOW_UPDATE', 5: 'BLOCKED', 6: 'STOP_WAITING', 7: 'PING', 8: 'CRYPTO',
  };
  for (let t = 9; t < 256; t++) {
    names[t] = t < 32 ? 'Unknown' : t < 64 ? 'CONGESTION_FEEDBACK (Special Frame Type)' : t < 128 ? 'ACK (Special Frame Type)' : 'STREAM (Special Frame Type)';
  }
  return names;
})();

const MESSAGE_TAGS: Record<number, string> = { 0x43484c4f: 'Client Hello', 0x53484c4f: 'Server Hello', 0x52454a00: 'Rejection', 0x50525354: 'Public Reset' };
const MTAG_CHLO = 0x43484c4f, MTAG_SHLO = 0x53484c4f, MTAG_REJ = 0x52454a00;

/** tag_vals: the names of the tags of a handshake message (and of a Public Reset), by their four bytes. */
const TAG_NAMES: Record<number, string> = {
  0x50414400: 'Padding', 0x534e4900: 'Server Name Indication', 0x56455200: 'Version', 0x43435300: 'Common Certificate Sets',
  0x55414944: "Client's User Agent ID", 0x50444d44: 'Proof Demand', 0x53544b00: 'Source Address Token', 0x534e4f00: 'Server nonce',
  0x50524f46: 'Proof (Signature)', 0x53434647: 'Server Config', 0x5252454a: 'Reasons for server sending', 0x435254ff: 'Certificate chain',
  0x41454144: 'Authenticated encryption algorithms', 0x53434944: 'Server config ID', 0x50554253: 'Public value', 0x4b455853: 'Key exchange algorithms',
  0x4f424954: 'Server Orbit', 0x45585059: 'Expiry', 0x4e4f4e43: 'Client Nonce', 0x4d535043: 'Max streams per connection',
  0x54434944: 'Connection ID truncation', 0x53524246: 'Socket receive buffer', 0x4943534c: 'Idle connection state', 0x53434c53: 'Silently close on timeout',
  0x434f5054: 'Connection options', 0x43435254: 'Cached certificates', 0x49525454: 'Estimated initial RTT', 0x43464357: 'Initial session/connection',
  0x53464357: 'Initial stream flow control', 0x43455456: 'Client encrypted tag-value', 0x584c4354: 'Expected leaf certificate', 0x4e4f4e50: 'Client Proof Nonce',
  0x43534354: 'Signed cert timestamp (RFC6962) of leaf cert', 0x4354494d: 'Client Timestamp', 0x4d494453: 'Max incoming dynamic streams',
  0x46484f4c: 'Force Head Of Line blocking', 0x5354544c: 'Server Config TTL', 0x534d484c: 'Support Max Header List (size)', 0x54424b50: 'Token Binding Key Params',
  0x4d414400: 'Max Ack Delay (IETF QUIC)', 0x514c5645: 'Legacy Version Encapsulation', 0x43475354: 'Congestion Control Feedback Type',
  0x45504944: 'Endpoint Identifier', 0x53525354: 'Stateless Reset Token',
  0x524e4f4e: 'Public Reset Nonce Proof', 0x52534551: 'Rejected Packet Number', 0x43414452: 'Client Address',
};
/** tshark 4.0 names the ChaCha12 tag as Salsa20's. */
const AEAD_NAMES: Record<number, string> = { 0x41455347: 'AES-GCM with a 12-byte tag and IV', 0x53323050: 'Salsa20 with Poly1305', 0x43433132: 'Salsa20 with Poly1305' };
const KEXS_NAMES: Record<number, string> = { 0x43323535: 'Curve25519', 0x50323536: 'P-256' };

/** QuicErrorCode's names (CONNECTION_CLOSE and GOAWAY), as tshark 4.0 lists them. */
const ERROR_CODES: Record<number, string> = {
  0: 'There was no error', 1: 'Connection has reached an invalid state', 2: 'There were data frames after the a fin or reset',
  3: 'Control frame is malformed', 4: 'Frame data is malformed', 5: 'FEC data is malformed', 6: 'RST_STREAM frame data is malformed',
  7: 'CONNECTION_CLOSE frame data is malformed', 8: 'GOAWAY frame data is malformed', 9: 'ACK frame data is malformed',
  10: 'Version negotiation packet is malformed', 11: 'Public RST packet is malformed', 12: 'There was an error decrypting',
  13: 'There was an error encrypting', 14: 'The packet exceeded kMaxPacketSize', 15: 'Data was sent for a stream which did not exist',
  16: 'The peer is going away. May be a client or server', 17: 'A stream ID was invalid', 18: 'Too many streams already open',
  19: 'Received public reset for this connection', 20: 'Invalid protocol version', 21: 'Stream RST before Headers decompressed (Deprecated)',
  22: 'The Header ID for a stream was too far from the previous', 23: 'Negotiable parameter received during handshake had invalid value',
  24: 'There was an error decompressing data', 25: 'We hit our prenegotiated (or default) timeout',
  26: 'There was an error encountered migrating addresses', 27: 'There was an error while writing to the socket', 28: 'Handshake failed',
  29: 'Handshake message contained out of order tags', 30: 'Handshake message contained too many entries',
  31: 'Handshake message contained an invalid value length', 32: 'A crypto message was received after the handshake was complete',
  33: 'A crypto message was received with an illegal message tag', 34: 'A crypto message was received with an illegal parameter',
  35: 'A crypto message was received with a mandatory parameter missing',
  36: 'A crypto message was received with a parameter that has no overlap with the local parameter',
  37: 'A crypto message was received that contained a parameter with too few values', 38: 'An internal error occurred in crypto processing',
  39: 'A crypto handshake message specified an unsupported version',
  40: 'There was no intersection between the crypto primitives supported by the peer and ourselves',
  41: 'The server rejected our client hello messages too many times', 42: "The client rejected the server's certificate chain or signature",
  43: 'A crypto message was received with a duplicate tag',
  44: 'A crypto message was received with the wrong encryption level (i.e. it should have been encrypted but was not',
  45: 'The server config for a server has expired', 46: 'STREAM frame data is malformed', 47: 'Invalid congestion Feedback data (Deprecated)',
  48: 'The packet contained no payload', 49: 'A priority was invalid', 50: 'We received a STREAM_FRAME with no data and no fin flag set',
  51: 'There was an error while reading from the socket', 52: 'An invalid channel id signature was supplied',
  53: 'We failed to setup the symmetric keys for a connection',
  54: 'A handshake message arrived, but we are still validating the previous handshake message',
  55: 'This connection involved a version negotiation which appears to have been tampered with',
  56: 'We received invalid data on the headers stream', 57: 'WINDOW_UPDATE frame data is malformed', 58: 'BLOCKED frame data is malformed',
  59: 'The peer received too much data, violating flow control', 60: 'STOP_WAITING frame data is malformed',
  61: 'STREAM frame data is not encrypted', 62: 'The connection has been IP pooled into an existing connection',
  63: 'The peer sent too much data, violating flow control', 64: 'The peer received an invalid flow control window',
  65: 'A server config update arrived before the handshake is complete',
  66: 'The peer must send a FIN/RST for each stream, and has not been doing so', 67: 'We hit our overall connection timeout',
  68: 'The connection has too many outstanding sent packets', 69: 'The connection has too many outstanding received packets',
  70: 'The quic connection job to load server config is cancelled', 71: 'Disabled QUIC because of high packet loss rate',
  72: 'A crypto handshake message resulted in a stateless reject', 73: 'Disabled QUIC because of too many PUBLIC_RESETs post handshake',
  74: 'Disabled QUIC because of too many timeouts with streams open', 75: 'Closed because we failed to serialize a packet',
  76: 'The peer created too many available streams', 77: 'FEC frame data is not encrypted', 78: 'PATH_CLOSE frame data is malformed',
  79: 'Multipath is not enabled, but a packet with multipath flag on is received', 80: 'IP address changed causing connection close',
  81: 'Network changed, but connection had no migratable stream', 82: 'Connection changed networks too many times',
  83: 'Connection migration was attempted, but there was no new network to migrate to',
  84: 'Network changed, but connection had one or more non-migratable streams', 85: 'QUIC timed out after too many RTOs',
  86: 'There was an error encountered migrating port only', 87: 'STREAM frame data overlaps with buffered data',
  88: 'Attempt to send unencrypted STREAM frame', 89: 'Received a frame which is likely the result of memory corruption',
  90: 'CHLO cannot fit in one packet', 91: 'A path is supposed to exist but does not', 92: 'A path is supposed to be active but is not',
  93: 'Stream frames arrived too discontiguously so that stream sequencer buffer maintains too many gaps',
  94: 'A demand for an unsupport proof type was received',
  95: 'Sequencer buffer get into weird state where continuing read/write will lead to crash',
  96: 'Connection closed because of server hits max number of sessions allowed',
  97: 'Invalid data on the headers stream received because of decompression failure',
  98: 'Receive a RST_STREAM with offset larger than kMaxStreamLength', 99: 'Network changed, but connection migration was disabled by config',
  100: 'Network changed, but error was encountered on the alternative network', 101: 'No error. Used as bound while iterating',
};
/** QuicRstStreamErrorCode's names (RST_STREAM). */
const RST_ERROR_CODES: Record<number, string> = {
  0: 'Complete response has been sent, sending a RST to ask the other endpoint to stop sending request data without discarding the response.',
  1: 'There was some error which halted stream processing', 2: 'We got two fin or reset offsets which did not match',
  3: 'We got bad payload and can not respond to it at the protocol level',
  4: 'Stream closed due to connection error. No reset frame is sent when this happens', 5: 'GoAway frame sent. No more stream can be created',
  6: 'The stream has been cancelled',
  7: 'Closing stream locally, sending a RST to allow for proper flow control accounting. Sent in response to a RST from the peer',
  8: 'Receiver refused to create the stream (because its limit on open streams has been reached). The sender should retry the request later (using another stream)',
  9: 'Invalid URL in PUSH_PROMISE request header', 10: 'Server is not authoritative for this URL',
  11: "Can't have more than one active PUSH_PROMISE per URL", 12: 'Vary check failed', 13: 'Only GET and HEAD methods allowed',
  14: 'The push stream is unclaimed and timed out', 15: 'Received headers were too large', 16: 'The data is not likely arrive in time',
  17: 'No error. Used as bound while iterating',
};
/** HandshakeFailureReason's names (an RREJ tag's codes). */
const HANDSHAKE_FAILURES: Record<number, string> = {
  0: 'Handshake OK',
  1: 'The default error value for nonce verification failures from strike register (covers old strike registers and unknown failures)',
  2: 'Client nonce had incorrect length', 3: 'Client nonce is not unique', 4: 'Client orbit is invalid or incorrect',
  5: "Client nonce's timestamp is not in the strike register's valid time range",
  6: "Strike register's RPC call timed out, client nonce couldn't be verified", 7: "Strike register is down, client nonce couldn't be verified",
  8: 'Unbox of server nonce failed', 9: 'Decrypted server nonce had incorrect length', 10: 'Server nonce is not unique',
  11: "Server nonce's timestamp is not in the strike register's valid time range", 12: 'Missing Server config id (kSCID) tag',
  13: "Couldn't find the Server config id (kSCID)", 14: 'Missing Source-address token (kSourceAddressTokenTag) tag',
  15: 'Unbox of Source-address token failed', 16: "Couldn't parse the unbox'ed Source-address token",
  17: 'Source-address token is for a different IP address', 18: 'The source-address token has a timestamp in the future',
  19: 'The source-address token has expired', 20: 'The server requires handshake confirmation',
  21: 'The expected leaf certificate hash could not be validated',
};

export const gquicFields = defineFields([
  { name: 'gquic.header_form', label: 'Header Form', type: 'uint8', base: 'dec', mask: 0x80, values: { 0: 'Short Header', 1: 'Long Header' }, description: 'The most significant bit (0x80) of the first octet is set to 1 for long headers and 0 for short headers.' },
  { name: 'gquic.fixed_bit', label: 'Fixed Bit', type: 'boolean', mask: 0x40, description: 'Must be 1' },
  { name: 'gquic.long.packet_type', label: 'Packet Type', type: 'uint8', base: 'dec', mask: 0x30, values: { 0: 'Initial', 1: '0-RTT', 2: 'Handshake' }, description: 'Long Header Packet Type' },
  { name: 'gquic.long.reserved', label: 'Reserved', type: 'uint8', base: 'dec', mask: 0x0c, description: 'Reserved bits' },
  { name: 'gquic.packet_number_length', label: 'Packet Number Length', type: 'uint8', base: 'dec', mask: 0x03, values: { 0: '1 bytes', 1: '2 bytes', 2: '3 bytes', 3: '4 bytes' }, description: 'Packet Number field length' },
  { name: 'gquic.dcil', label: 'Destination Connection ID Length', type: 'uint8', base: 'dec', mask: 0xf0, values: { 0: '0 bytes', 5: '8 bytes' } },
  { name: 'gquic.scil', label: 'Source Connection ID Length', type: 'uint8', base: 'dec', mask: 0x0f, values: { 0: '0 bytes', 5: '8 bytes' } },
  { name: 'gquic.puflags', label: 'Public Flags', type: 'uint8', base: 'hex', description: 'Specifying per-packet public flags' },
  { name: 'gquic.puflags.version', label: 'Version', type: 'boolean', mask: 0x01, tf: YES_NO, description: 'Signifies that this packet also contains the version of the (Google)QUIC protocol' },
  { name: 'gquic.puflags.reset', label: 'Reset', type: 'boolean', mask: 0x02, tf: YES_NO, description: 'Signifies that this packet is a public reset packet' },
  { name: 'gquic.puflags.nonce', label: 'Diversification nonce', type: 'boolean', mask: 0x04, tf: YES_NO, description: 'Indicates the presence of a 32 byte diversification nonce' },
  { name: 'gquic.puflags.cid', label: 'CID Length', type: 'boolean', mask: 0x08, tf: ['8 Bytes', '0 Byte'], description: 'Indicates the full 8 byte Connection ID is present' },
  { name: 'gquic.puflags.cid.old', label: 'CID Length', type: 'uint8', base: 'hex', mask: 0x0c, values: { 0: '0 Byte', 1: '1 Bytes', 2: '4 Bytes', 3: '8 Bytes' }, description: 'Signifies the Length of CID' },
  { name: 'gquic.puflags.pkn', label: 'Packet Number Length', type: 'uint8', base: 'hex', mask: 0x30, values: BYTE_LENGTHS_1246, description: 'Signifies the Length of packet number' },
  { name: 'gquic.puflags.mpth', label: 'Multipath', type: 'boolean', mask: 0x40, tf: YES_NO, description: 'Reserved for multipath use' },
  { name: 'gquic.puflags.rsv', label: 'Reserved', type: 'uint8', base: 'hex', mask: 0x80, description: 'Must be Zero' },
  { name: 'gquic.cid', label: 'CID', type: 'uint64', base: 'dec', description: 'Connection ID 64 bit pseudo random number' },
  { name: 'gquic.version', label: 'Version', type: 'string', description: '32 bit opaque tag that represents the version of the (Google)QUIC' },
  { name: 'gquic.diversification_nonce', label: 'Diversification nonce', type: 'bytes' },
  { name: 'gquic.packet_number', label: 'Packet Number', type: 'uint64', base: 'dec', description: 'The lower 8, 16, 32, or 48 bits of the packet number' },
  { name: 'gquic.prflags', label: 'Private Flags', type: 'uint8', base: 'hex', description: 'Specifying per-packet Private flags' },
  { name: 'gquic.prflags.entropy', label: 'Entropy', type: 'boolean', mask: 0x01, tf: YES_NO, description: 'For data packets, signifies that this packet contains the 1 bit of entropy, for fec packets, contains the xor of the entropy of protected packets' },
  { name: 'gquic.prflags.fecg', label: 'FEC Group', type: 'boolean', mask: 0x02, tf: YES_NO, description: 'Indicates whether the fec byte is present.' },
  { name: 'gquic.prflags.fec', label: 'FEC', type: 'boolean', mask: 0x04, tf: YES_NO, description: 'Signifies that this packet represents an FEC packet' },
  { name: 'gquic.prflags.rsv', label: 'Reserved', type: 'uint8', base: 'hex', mask: 0xf8, description: 'Must be Zero' },
  { name: 'gquic.message_authentication_hash', label: 'Message Authentication Hash', type: 'bytes', description: 'The hash is an FNV1a-128 hash, serialized in little endian order' },
  { name: 'gquic.frame', label: 'Frame', type: 'none' },
  { name: 'gquic.frame_type', label: 'Frame Type', type: 'uint8', base: 'hex', values: FRAME_TYPES },
  { name: 'gquic.frame_type.padding.length', label: 'Padding Length', type: 'uint32', base: 'dec' },
  { name: 'gquic.frame_type.padding', label: 'Padding', type: 'bytes', description: 'Must be zero' },
  { name: 'gquic.frame_type.rsts.stream_id', label: 'Stream ID', type: 'uint32', base: 'dec', description: 'Stream ID of the stream being terminated' },
  { name: 'gquic.frame_type.rsts.byte_offset', label: 'Byte offset', type: 'uint64', base: 'dec', description: 'Indicating the absolute byte offset of the end of data for this stream' },
  { name: 'gquic.frame_type.rsts.error_code', label: 'Error code', type: 'uint32', base: 'dec', values: RST_ERROR_CODES, description: 'Indicates why the stream is being closed' },
  { name: 'gquic.frame_type.cc.error_code', label: 'Error code', type: 'uint32', base: 'dec', values: ERROR_CODES, description: 'Indicates the reason for closing this connection' },
  { name: 'gquic.frame_type.cc.reason_phrase.length', label: 'Reason phrase Length', type: 'uint16', base: 'dec', description: 'Specifying the length of the reason phrase' },
  { name: 'gquic.frame_type.cc.reason_phrase', label: 'Reason phrase', type: 'string', description: 'An optional human-readable explanation for why the connection was closed' },
  { name: 'gquic.frame_type.goaway.error_code', label: 'Error code', type: 'uint32', base: 'dec', values: ERROR_CODES, description: 'Indicates the reason for closing this connection' },
  { name: 'gquic.frame_type.goaway.last_good_stream_id', label: 'Last Good Stream ID', type: 'uint32', base: 'dec', description: 'last Stream ID which was accepted by the sender of the GOAWAY message' },
  { name: 'gquic.frame_type.goaway.reason_phrase.length', label: 'Reason phrase Length', type: 'uint16', base: 'dec', description: 'Specifying the length of the reason phrase' },
  { name: 'gquic.frame_type.goaway.reason_phrase', label: 'Reason phrase', type: 'string', description: 'An optional human-readable explanation for why the connection was closed' },
  { name: 'gquic.frame_type.wu.stream_id', label: 'Stream ID', type: 'uint32', base: 'dec', description: 'ID of the stream whose flow control windows is begin updated, or 0 to specify the connection-level flow control window' },
  { name: 'gquic.frame_type.wu.byte_offset', label: 'Byte offset', type: 'uint64', base: 'dec', description: 'Indicating the absolute byte offset of data which can be sent on the given stream' },
  { name: 'gquic.frame_type.blocked.stream_id', label: 'Stream ID', type: 'uint32', base: 'dec', description: 'Indicating the stream which is flow control blocked' },
  { name: 'gquic.frame_type.sw.send_entropy', label: 'Send Entropy', type: 'uint8', base: 'dec', description: 'Specifying the cumulative hash of entropy in all sent packets up to the packet with packet number one less than the least unacked packet' },
  { name: 'gquic.frame_type.sw.least_unacked_delta', label: 'Least unacked delta', type: 'uint64', base: 'dec', description: "A variable length packet number delta with the same length as the packet header's packet number" },
  { name: 'gquic.frame_type.stream', label: 'Stream', type: 'boolean', mask: 0x80 },
  { name: 'gquic.frame_type.stream.f', label: 'FIN', type: 'boolean', mask: 0x40 },
  { name: 'gquic.frame_type.stream.d', label: 'Data Length', type: 'boolean', mask: 0x20, tf: ['2 Bytes', '0 Byte'] },
  { name: 'gquic.frame_type.stream.ooo', label: 'Offset Length', type: 'uint8', base: 'dec', mask: 0x1c, values: { 0: '0 Byte', 1: '2 Bytes', 2: '3 Bytes', 3: '4 Bytes', 4: '5 Bytes', 5: '6 Bytes', 6: '7 Bytes', 7: '8 Bytes' } },
  { name: 'gquic.frame_type.stream.ss', label: 'Stream Length', type: 'uint8', base: 'dec', mask: 0x03, values: { 0: '1 Byte', 1: '2 Bytes', 2: '3 Bytes', 3: '4 Bytes' } },
  { name: 'gquic.frame_type.ack', label: 'ACK', type: 'boolean', mask: 0x40 },
  { name: 'gquic.frame_type.ack.n', label: 'NACK', type: 'boolean', mask: 0x20 },
  { name: 'gquic.frame_type.ack.u', label: 'Unused', type: 'boolean', mask: 0x10 },
  { name: 'gquic.frame_type.ack.t', label: 'Truncated', type: 'boolean', mask: 0x10 },
  { name: 'gquic.frame_type.ack.ll', label: 'Largest Observed Length', type: 'uint8', base: 'dec', mask: 0x0c, values: BYTE_LENGTHS_1246, description: 'Length of the Largest Observed field as 1, 2, 4, or 6 bytes long' },
  { name: 'gquic.frame_type.ack.mm', label: 'Missing Packet Length', type: 'uint8', base: 'dec', mask: 0x03, values: BYTE_LENGTHS_1246, description: 'Length of the Missing Packet Number Delta field as 1, 2, 4, or 6 bytes long' },
  { name: 'gquic.frame_type.ack.received_entropy', label: 'Received Entropy', type: 'uint8', base: 'dec', description: 'Specifying the cumulative hash of entropy in all received packets up to the largest observed packet' },
  { name: 'gquic.frame_type.ack.largest_observed', label: 'Largest Observed', type: 'uint64', base: 'dec', description: 'Representing the largest packet number the peer has observed' },
  { name: 'gquic.frame_type.ack.ack_delay_time', label: 'Ack Delay time', type: 'uint16', base: 'dec', description: 'Specifying the time elapsed in microseconds from when largest observed was received until this Ack frame was sent' },
  { name: 'gquic.frame_type.ack.num_timestamp', label: 'Num Timestamp', type: 'uint8', base: 'dec', description: 'Specifying the number of TCP timestamps that are included in this frame' },
  { name: 'gquic.frame_type.ack.delta_largest_observed', label: 'Delta Largest Observed', type: 'uint8', base: 'dec', description: 'Specifying the packet number delta from the first timestamp to the largest observed' },
  { name: 'gquic.frame_type.ack.first_timestamp', label: 'First Timestamp', type: 'uint32', base: 'dec', description: 'Specifying the time delta in microseconds, from the beginning of the connection of the arrival of the packet specified by Largest Observed minus Delta Largest Observed' },
  { name: 'gquic.frame_type.ack.time_since_previous_timestamp', label: 'Time since Previous timestamp', type: 'uint16', base: 'dec', description: 'This is the time delta from the previous timestamp' },
  { name: 'gquic.frame_type.ack.num_ranges', label: 'Num Ranges', type: 'uint8', base: 'dec', description: 'Specifying the number of missing packet ranges between largest observed and least unacked' },
  { name: 'gquic.frame_type.ack.missing_packet', label: 'Missing Packet Number Delta', type: 'uint64', base: 'dec' },
  { name: 'gquic.frame_type.ack.range_length', label: 'Range Length', type: 'uint8', base: 'dec', description: 'Specifying one less than the number of sequential nacks in the range' },
  { name: 'gquic.frame_type.ack.num_revived', label: 'Num Revived', type: 'uint8', base: 'dec', description: 'Specifying the number of revived packets, recovered via FEC' },
  { name: 'gquic.frame_type.ack.revived_packet', label: 'Revived Packet Number', type: 'uint64', base: 'dec', description: 'Representing a packet the peer has revived via FEC' },
  { name: 'gquic.frame_type.ack.largest_acked', label: 'Largest Acked', type: 'uint64', base: 'dec', description: 'Representing the largest packet number the peer has observed' },
  { name: 'gquic.frame_type.ack.largest_acked_delta_time', label: 'Largest Acked Delta Time', type: 'uint16', base: 'dec', description: 'Specifying the time elapsed in microseconds from when largest acked was received until this Ack frame was sent' },
  { name: 'gquic.frame_type.ack.num_blocks', label: 'Num blocks', type: 'uint8', base: 'dec', description: 'Specifying one less than the number of ack blocks' },
  { name: 'gquic.frame_type.ack.first_ack_block_length', label: 'First Ack block length', type: 'uint64', base: 'dec' },
  { name: 'gquic.frame_type.ack.gap_to_next_block', label: 'Gap to next block', type: 'uint8', base: 'dec', description: 'Specifying the number of packets between ack blocks' },
  { name: 'gquic.frame_type.ack.ack_block_length', label: 'Ack block length', type: 'uint64', base: 'dec' },
  { name: 'gquic.frame_type.ack.delta_largest_acked', label: 'Delta Largest Observed', type: 'uint8', base: 'dec', description: 'Specifying the packet number delta from the first timestamp to the largest observed' },
  { name: 'gquic.frame_type.ack.time_since_largest_acked', label: 'Time Since Largest Acked', type: 'uint32', base: 'dec', description: 'Specifying the time delta in microseconds, from the beginning of the connection of the arrival of the packet specified by Largest Observed minus Delta Largest Observed' },
  { name: 'gquic.crypto.offset', label: 'Offset', type: 'uint64', base: 'dec', description: 'Byte offset into the stream' },
  { name: 'gquic.crypto.length', label: 'Length', type: 'uint64', base: 'dec', description: 'Length of the Crypto Data field' },
  { name: 'gquic.crypto.crypto_data', label: 'Crypto Data', type: 'none', description: 'The cryptographic message data' },
  { name: 'gquic.stream_id', label: 'Stream ID', type: 'uint32', base: 'dec' },
  { name: 'gquic.offset', label: 'Offset', type: 'uint64', base: 'dec' },
  { name: 'gquic.data_len', label: 'Data Length', type: 'uint32', base: 'dec' },
  { name: 'gquic.tag', label: 'Tag', type: 'string' },
  { name: 'gquic.tag_number', label: 'Tag Number', type: 'uint16', base: 'dec' },
  { name: 'gquic.tags', label: 'Tag/value', type: 'none' },
  { name: 'gquic.tag_type', label: 'Tag Type', type: 'string' },
  { name: 'gquic.tag_offset_end', label: 'Tag offset end', type: 'uint32', base: 'dec' },
  { name: 'gquic.tag_offset_length', label: 'Tag length', type: 'uint32', base: 'dec' },
  { name: 'gquic.tag_value', label: 'Tag/value', type: 'bytes' },
  { name: 'gquic.tag.sni', label: 'Server Name Indication', type: 'string', description: 'The fully qualified DNS name of the server, canonicalised to lowercase with no trailing period' },
  { name: 'gquic.tag.pad', label: 'Padding', type: 'bytes', description: 'Pad.....' },
  { name: 'gquic.tag.version', label: 'Version', type: 'string', description: 'Version of gquic supported' },
  { name: 'gquic.tag.pdmd', label: 'Proof demand', type: 'string', description: 'a list of tags describing the types of proof acceptable to the client, in preference order' },
  { name: 'gquic.tag.ccs', label: 'Common certificate sets', type: 'uint64', base: 'hex', description: 'A series of 64-bit, FNV-1a hashes of sets of common certificates that the client possesses' },
  { name: 'gquic.tag.uaid', label: "Client's User Agent ID", type: 'string' },
  { name: 'gquic.tag.stk', label: 'Source-address token', type: 'bytes' },
  { name: 'gquic.tag.sno', label: 'Server nonce', type: 'bytes' },
  { name: 'gquic.tag.prof', label: 'Proof (Signature)', type: 'bytes' },
  { name: 'gquic.tag.scfg', label: 'Server Config Tag', type: 'string' },
  { name: 'gquic.tag.scfg.number', label: 'Number Server Config Tag', type: 'uint32', base: 'dec' },
  { name: 'gquic.tag.rrej', label: 'Reasons for server sending', type: 'uint32', base: 'dec', values: HANDSHAKE_FAILURES },
  { name: 'gquic.tag.crt', label: 'Certificate chain', type: 'bytes' },
  { name: 'gquic.tag.aead', label: 'Authenticated encryption algorithms', type: 'string', description: 'A list of tags, in preference order, specifying the AEAD primitives supported by the server' },
  { name: 'gquic.tag.scid', label: 'Server Config ID', type: 'bytes', description: 'An opaque, 16-byte identifier for this server config' },
  { name: 'gquic.tag.pubs', label: 'Public value', type: 'uint24', base: 'dec_hex', description: 'A list of public values, 24-bit, little-endian length prefixed' },
  { name: 'gquic.tag.kexs', label: 'Key exchange algorithms', type: 'string', description: 'A list of tags, in preference order, specifying the key exchange algorithms that the server supports' },
  { name: 'gquic.tag.obit', label: 'Server orbit', type: 'bytes' },
  { name: 'gquic.tag.expy', label: 'Expiry', type: 'uint64', base: 'dec', description: 'a 64-bit expiry time for the server config in UNIX epoch seconds' },
  { name: 'gquic.tag.nonc', label: 'Client nonce', type: 'bytes', description: '32 bytes consisting of 4 bytes of timestamp (big-endian, UNIX epoch seconds), 8 bytes of server orbit and 20 bytes of random data' },
  { name: 'gquic.tag.mspc', label: 'Max streams per connection', type: 'uint32', base: 'dec' },
  { name: 'gquic.tag.tcid', label: 'Connection ID truncation', type: 'uint32', base: 'dec_hex' },
  { name: 'gquic.tag.srbf', label: 'Socket receive buffer', type: 'uint32', base: 'dec_hex' },
  { name: 'gquic.tag.icsl', label: 'Idle connection state', type: 'uint32', base: 'dec_hex' },
  { name: 'gquic.tag.scls', label: 'Silently close on timeout', type: 'uint32', base: 'dec_hex' },
  { name: 'gquic.tag.copt', label: 'Connection options', type: 'string' },
  { name: 'gquic.tag.ccrt', label: 'Cached certificates', type: 'bytes' },
  { name: 'gquic.tag.irtt', label: 'Estimated initial RTT', type: 'uint32', base: 'dec', description: 'in us' },
  { name: 'gquic.tag.cfcw', label: 'Initial session/connection', type: 'uint32', base: 'dec' },
  { name: 'gquic.tag.sfcw', label: 'Initial stream flow control', type: 'uint32', base: 'dec' },
  { name: 'gquic.tag.cetv', label: 'Client encrypted tag-value', type: 'bytes' },
  { name: 'gquic.tag.xlct', label: 'Expected leaf certificate', type: 'bytes' },
  { name: 'gquic.tag.nonp', label: 'Client Proof nonce', type: 'bytes' },
  { name: 'gquic.tag.csct', label: 'Signed cert timestamp', type: 'bytes' },
  { name: 'gquic.tag.ctim', label: 'Client Timestamp', type: 'abstime', clock: 'utc' },
  { name: 'gquic.tag.rnon', label: 'Public reset nonce proof', type: 'uint64', base: 'dec' },
  { name: 'gquic.tag.rseq', label: 'Rejected Packet Number', type: 'uint64', base: 'dec', description: 'a 64-bit packet number' },
  { name: 'gquic.tag.caddr.addr.type', label: 'Client IP Address Type', type: 'uint16', base: 'dec', values: { 2: 'IPv4', 10: 'IPv6' } },
  { name: 'gquic.tag.caddr.addr.ipv4', label: 'Client IP Address', type: 'ipv4' },
  { name: 'gquic.tag.caddr.addr.ipv6', label: 'Client IP Address', type: 'ipv6' },
  { name: 'gquic.tag.caddr.addr', label: 'Client IP Address', type: 'bytes' },
  { name: 'gquic.tag.caddr.port', label: 'Client Port (Source)', type: 'uint16', base: 'dec' },
  { name: 'gquic.tag.mids', label: 'Max incoming dynamic streams', type: 'uint32', base: 'dec' },
  { name: 'gquic.tag.fhol', label: 'Force Head Of Line blocking', type: 'uint32', base: 'dec' },
  { name: 'gquic.tag.sttl', label: 'Server Config TTL', type: 'uint64', base: 'dec' },
  { name: 'gquic.tag.smhl', label: 'Support Max Header List (size)', type: 'uint64', base: 'dec' },
  { name: 'gquic.tag.tbkp', label: 'Token Binding Key Params.', type: 'string' },
  { name: 'gquic.tag.mad0', label: 'Max Ack Delay', type: 'uint32', base: 'dec' },
  { name: 'gquic.tag.qlve', label: 'Legacy Version Encapsulation', type: 'bytes' },
  { name: 'gquic.tag.cgst', label: 'Congestion Control Feedback Type', type: 'bytes' },
  { name: 'gquic.tag.epid', label: 'Endpoint identifier', type: 'string' },
  { name: 'gquic.tag.srst', label: 'Stateless Reset Token', type: 'bytes' },
  { name: 'gquic.tag.unknown', label: 'Unknown tag', type: 'bytes' },
  { name: 'gquic.padding', label: 'Padding', type: 'bytes' },
  { name: 'gquic.stream_data', label: 'Stream Data', type: 'bytes' },
  { name: 'gquic.payload', label: 'Payload', type: 'bytes', description: '(Google) QUIC Payload..' },
  // Expert notes: the item of the one tshark adds with an item of its own (proto_tree_add_expert),
  // and those that can come two to an item (the GQUIC item's), shown as their own items.
  { name: 'gquic.tag.unknown.data', label: 'Unknown Data', type: 'none' },
  { name: 'gquic.version.invalid', label: 'Invalid Version', type: 'none' },
  { name: 'gquic.invalid.parameter', label: 'Invalid Parameter', type: 'none' },
  { name: 'gquic.length.invalid', label: 'Invalid Length', type: 'none' },
  // The names of the notes added to an item: hidden items beside the note, for filters and -T fields.
  { name: 'gquic.tag.undecoded', label: 'Dissector for (Google)QUIC Tag code not implemented, Contact Wireshark developers if you want this supported', type: 'none' },
  { name: 'gquic.tag.length.truncated', label: 'Truncated Tag Length...', type: 'none' },
] as const);
const F = gquicFields;

const PUFLAGS_VRSN = 0x01, PUFLAGS_RST = 0x02, PUFLAGS_DNONCE = 0x04, PUFLAGS_CID = 0x08, PUFLAGS_MPTH = 0x40, PUFLAGS_RSV = 0x80;
const FTFLAGS_SPECIAL = 0xe0, FTFLAGS_STREAM = 0x80, FTFLAGS_STREAM_D = 0x20, FTFLAGS_ACK = 0x40, FTFLAGS_ACK_N = 0x20;
const FT_CRYPTO = 0x08;
/** "Q02", "Q03", "Q04": the versions the heuristic takes with the old public header. */
const GQUIC_MAGIC2 = 0x513032, GQUIC_MAGIC3 = 0x513033, GQUIC_MAGIC4 = 0x513034;
const GQUIC_VERSION_Q046 = 0x51303436;
/** GQUIC_MIN_LENGTH: a shorter datagram is no GQUIC packet for dissect_gquic_common. */
const GQUIC_MIN_LENGTH = 3;
/** The message authentication hash in front of an unencrypted payload. */
const HASH_LENGTH = 12;
const DEFAULT_SERVER_PORT = 443;

/** What tshark keeps per conversation (gquic_info_data_t). */
interface GquicInfo {
  version: number;
  versionValid: boolean;
  bigEndian: boolean;
  serverPort: number;
}

interface GquicConversation {
  info: GquicInfo;
  /** The newest frame dissected: an older one is being dissected again. */
  newest: number;
  /** The state each frame started with, for dissecting it again. */
  atFrame: Map<number, GquicInfo>;
}

/** The endpoint pairs a GQUIC packet was found on (tshark's conversation dissector). */
function gquicPairs(capture: CaptureState): Set<string> {
  return capture.get<Set<string>>('gquic.pairs', () => new Set());
}

/** dissect_gquic_heur: the old public header with a version and a full CID, or a Q046 long header; or any datagram of a pair one was found on. */
function looksLikeGquic(tvb: Tvb, ctx: PacketContext): boolean {
  if (tvb.length < 1) return false;
  const flags = tvb.u8(0);
  const pairs = gquicPairs(ctx.capture);
  // (Most UDP is not GQUIC: the endpoint key is built only once a capture has shown GQUIC.)
  if (pairs.size > 0 && pairs.has(connectionKey(ctx))) {
    // dissect_gquic_common gives back a datagram under 3 bytes: UDP tries the rest.
    return (flags & (PUFLAGS_RSV | PUFLAGS_MPTH)) !== 0 || tvb.length >= GQUIC_MIN_LENGTH;
  }
  let found = false;
  if ((flags & (PUFLAGS_RSV | PUFLAGS_MPTH)) === 0) {
    if (tvb.length < 13 || (flags & PUFLAGS_VRSN) === 0 || (flags & PUFLAGS_CID) === 0) return false;
    const magic = tvb.u24(9);
    found = magic === GQUIC_MAGIC2 || magic === GQUIC_MAGIC3 || magic === GQUIC_MAGIC4;
  } else if ((flags & PUFLAGS_RSV) !== 0 && (flags & PUFLAGS_MPTH) !== 0) {
    found = tvb.length >= 14 && tvb.u32(1) === GQUIC_VERSION_Q046;
  }
  if (found) pairs.add(connectionKey(ctx));
  return found;
}

/**
 * The conversation's state for this frame: on the first dissection the state itself (what the
 * frame changes, the next frames see, even when the frame ends in an exception, as in tshark);
 * when dissected again, a copy of what it was as the frame started.
 */
function frameInfo(ctx: PacketContext, q046: boolean): GquicInfo {
  const conv = conversationState<GquicConversation>(ctx, 'gquic.conversations', () => ({
    // The first packet's path sets the conversation's byte order: Q046's headers are big endian.
    info: { version: 0, versionValid: true, bigEndian: q046, serverPort: DEFAULT_SERVER_PORT }, newest: 0, atFrame: new Map(),
  }));
  const frame = ctx.frame.number;
  const first = frame > conv.newest;
  if (first) {
    conv.newest = frame;
    conv.atFrame.set(frame, { ...conv.info });
    return conv.info;
  }
  return { ...(conv.atFrame.get(frame) ?? conv.info) };
}

function dissectGquic(tvb: Tvb, ctx: PacketContext, node: FieldNode): boolean | void {
  const flags = tvb.u8(0);
  if ((flags & (PUFLAGS_RSV | PUFLAGS_MPTH)) === 0 && tvb.length < GQUIC_MIN_LENGTH) return false;
  try {
    if ((flags & (PUFLAGS_RSV | PUFLAGS_MPTH)) === 0) dissectCommon(tvb, ctx, node, flags);
    else dissectQ046(tvb, ctx, node, flags);
  } catch (e) {
    if (!(e instanceof DissectorBug)) throw e;
    showDissectorBug(ctx, e.message);
  }
}

/**
 * A number of `n` bytes in the conversation's byte order (tshark's encoding argument): a number
 * up to six bytes, a bigint beyond.
 */
function uintAt(tvb: Tvb, o: number, n: number, le: boolean): number {
  tvb.check(o, n);
  let v = 0;
  for (let i = 0; i < n; i++) v = v * 256 + tvb.u8(le ? o + n - 1 - i : o + i);
  return v;
}

function uint64At(tvb: Tvb, o: number, n: number, le: boolean): number | bigint {
  if (n <= 6) return uintAt(tvb, o, n, le);
  tvb.check(o, n);
  let v = 0n;
  for (let i = 0; i < n; i++) v = (v << 8n) | BigInt(tvb.u8(le ? o + n - 1 - i : o + i));
  return v;
}

/**
 * An FT_BYTES item's length -1: the rest of the captured bytes, of which there must be one at
 * least (tvb_ensure_captured_length_remaining: cut short by the snaplen, or past the end).
 */
function restLength(tvb: Tvb, o: number): number {
  const n = tvb.remaining(o);
  if (n === 0) tvb.check(o, 1);
  return n;
}

/** tvb_reported_length_remaining: 0 from an offset past the captured bytes too (compute_offset fails there). */
function reportedRemaining(tvb: Tvb, o: number): number {
  return o <= tvb.length ? tvb.reportedLength - o : 0;
}

/**
 * An FT_STRING item read as ASCII: its value up to a NUL, "Trailing stray characters" when text
 * follows one (proto.c), and `meaning` after the value in its line ("Tag: CHLO (Client Hello)").
 * Returns the value, which tshark appends to other labels as it is.
 */
function addAscii(ctx: PacketContext, parent: FieldNode, field: FieldDef, tvb: Tvb, o: number, n: number, meaning?: string): string {
  const s = tvb.ascii(o, n);
  const c = cText(s);
  const item = ctx.add(parent, field, tvb, o, n, s, meaning === undefined ? undefined : () => `${field.label}: ${printableText(c)} (${meaning})`);
  if (c.length < s.length && hasStrayCharacters(s, n)) ctx.addExpert(item, 'warn', 'undecoded', 'Trailing stray characters');
  return c;
}

/**
 * detect_trailing_stray_characters: a byte other than NUL after the string's end, looked for in
 * the UTF-8 text (a byte above 0x7f is three bytes there) up to the item's length in the packet.
 */
function hasStrayCharacters(s: string, n: number): boolean {
  const utf8 = UTF8.encode(s);
  for (let i = utf8.indexOf(0); i >= 0 && i < n; i++) if (utf8[i] !== 0) return true;
  return false;
}

const UTF8 = new TextEncoder();

/** A string field's text as the C string tshark appends to a label (up to a NUL). */
function cText(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

/**
 * ws_strtou8 on the version's three digits (after the "Q"), as tshark reads them: leading
 * blanks and a sign after them are taken, anything else but digits makes it invalid (0), a
 * number over 255 invalid too (255). The text stops at a NUL.
 */
function parseVersion(tvb: Tvb, o: number): { version: number; valid: boolean } {
  const s = cText(tvb.ascii(o, 3));
  if (s === '' || s[0] === '-' || s[0] === '+') return { version: 0, valid: false };
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)$/.exec(s);
  if (!m) return { version: 0, valid: false };
  const v = Number(m[2]);
  if (m[1] === '-' && v !== 0) return { version: 255, valid: false };
  return v > 255 ? { version: 255, valid: false } : { version: v, valid: true };
}

/** Packets before Q046: public flags, CID, version, nonce, packet number, then the payload (dissect_gquic_common). */
function dissectCommon(tvb: Tvb, ctx: PacketContext, node: FieldNode, puflags: number): void {
  const info = frameInfo(ctx, false);
  ctx.protocol = 'GQUIC';
  const lenCid = puflags & PUFLAGS_CID ? 8 : 0;
  if (puflags & PUFLAGS_VRSN) {
    const v = parseVersion(tvb, 1 + lenCid + 1);
    info.version = v.version;
    info.versionValid = v.valid;
    if (!v.valid) treeNote(ctx, node, F['gquic.version.invalid'], 'error', 'malformed');
  }
  // From Q039 integers are big endian; the conversation keeps it.
  if (info.version >= 39) info.bigEndian = true;
  const le = !info.bigEndian;
  const pf = ctx.add(node, F['gquic.puflags'], tvb, 0, 1, puflags);
  ctx.add(pf, F['gquic.puflags.version'], tvb, 0, 1, (puflags & PUFLAGS_VRSN) !== 0);
  ctx.add(pf, F['gquic.puflags.reset'], tvb, 0, 1, (puflags & PUFLAGS_RST) !== 0);
  if (info.versionValid) {
    if (info.version < 33) ctx.add(pf, F['gquic.puflags.cid.old'], tvb, 0, 1, (puflags & 0x0c) >> 2);
    else {
      ctx.add(pf, F['gquic.puflags.nonce'], tvb, 0, 1, (puflags & PUFLAGS_DNONCE) !== 0);
      ctx.add(pf, F['gquic.puflags.cid'], tvb, 0, 1, (puflags & PUFLAGS_CID) !== 0);
    }
  }
  ctx.add(pf, F['gquic.puflags.pkn'], tvb, 0, 1, (puflags & 0x30) >> 4);
  ctx.add(pf, F['gquic.puflags.mpth'], tvb, 0, 1, (puflags & PUFLAGS_MPTH) !== 0);
  ctx.add(pf, F['gquic.puflags.rsv'], tvb, 0, 1, (puflags & PUFLAGS_RSV) >> 7);
  let o = 1;
  let cid: number | bigint = 0;
  if (lenCid) {
    cid = uint64At(tvb, o, 8, le);
    ctx.add(node, F['gquic.cid'], tvb, o, lenCid, cid);
    o += lenCid;
  }
  const fromServer = ctx.endpoints.srcPort === info.serverPort;
  if (puflags & PUFLAGS_VRSN) {
    if (fromServer) {
      // A server's packet with a version is Version Negotiation: the versions it supports.
      while (reportedRemaining(tvb, o) > 0) {
        addAscii(ctx, node, F['gquic.version'], tvb, o, 4);
        o += 4;
      }
      ctx.info = `Version Negotiation, CID: ${cid}`;
      return;
    }
    addAscii(ctx, node, F['gquic.version'], tvb, o, 4);
    o += 4;
  }
  if (puflags & PUFLAGS_RST) {
    addAscii(ctx, node, F['gquic.tag'], tvb, o, 4, MESSAGE_TAGS[tvb.u32(o)] ?? 'Unknown Tag');
    o += 4;
    tagsAfterCount(tvb, ctx, node, o);
    ctx.info = `Public Reset, CID: ${cid}`;
    return;
  }
  // The diversification nonce (Q033 on) comes from the server only.
  if (info.versionValid && (puflags & PUFLAGS_DNONCE) && info.version >= 33 && fromServer) {
    ctx.add(node, F['gquic.diversification_nonce'], tvb, o, 32, tvb.slice(o, 32));
    o += 32;
  }
  const lenPkn = [1, 2, 4, 6][(puflags & 0x30) >> 4]!;
  afterHeader(tvb, ctx, node, o, lenPkn, info, cid);
}

/** Q046's header (dissect_gquic_q046): a long header with the version and connection ID lengths, or a short one. */
function dissectQ046(tvb: Tvb, ctx: PacketContext, node: FieldNode, firstByte: number): void {
  const info = frameInfo(ctx, true);
  ctx.protocol = 'GQUIC';
  const le = !info.bigEndian;
  const lenPkn = (firstByte & 0x03) + 1;
  const fromServer = ctx.endpoints.srcPort === info.serverPort;
  const fb = ctx.add(node, F['gquic.puflags'], tvb, 0, 1, firstByte);
  ctx.add(fb, F['gquic.header_form'], tvb, 0, 1, firstByte >> 7);
  ctx.add(fb, F['gquic.fixed_bit'], tvb, 0, 1, (firstByte & 0x40) !== 0);
  let o: number;
  let cid: number | bigint = 0;
  if ((firstByte & PUFLAGS_MPTH) && (firstByte & PUFLAGS_RSV)) {
    const v = parseVersion(tvb, 2);
    info.version = v.version;
    info.versionValid = v.valid;
    if (!v.valid) treeNote(ctx, node, F['gquic.version.invalid'], 'error', 'malformed');
    const cil = tvb.u8(5);
    const lenCid = (fromServer ? cil & 0x0f : cil >> 4) + 3;
    if (lenCid !== 8) treeNote(ctx, node, F['gquic.invalid.parameter'], 'error', 'malformed');
    ctx.add(fb, F['gquic.long.packet_type'], tvb, 0, 1, (firstByte & 0x30) >> 4);
    ctx.add(fb, F['gquic.long.reserved'], tvb, 0, 1, (firstByte & 0x0c) >> 2);
    ctx.add(fb, F['gquic.packet_number_length'], tvb, 0, 1, firstByte & 0x03);
    addAscii(ctx, node, F['gquic.version'], tvb, 1, 4);
    ctx.add(node, F['gquic.dcil'], tvb, 5, 1, cil >> 4);
    ctx.add(node, F['gquic.scil'], tvb, 5, 1, cil & 0x0f);
    o = 6;
    cid = uint64At(tvb, o, 8, le);
    // An integer item longer than 8 bytes: report_type_length_mismatch's warning, and 8 bytes read.
    if (lenCid > 8) treeNote(ctx, node, null, 'warn', 'malformed', `Trying to fetch an unsigned integer with length ${lenCid}`);
    tvb.check(o, lenCid);
    ctx.add(node, F['gquic.cid'], tvb, o, lenCid, lenCid >= 8 ? cid : uint64At(tvb, o, lenCid, le));
    o += lenCid;
  } else {
    ctx.add(fb, F['gquic.packet_number_length'], tvb, 0, 1, firstByte & 0x03);
    o = 1;
    // A short header carries the CID from the client only.
    if (!fromServer) {
      cid = uint64At(tvb, o, 8, le);
      ctx.add(node, F['gquic.cid'], tvb, o, 8, cid);
      o += 8;
    }
  }
  afterHeader(tvb, ctx, node, o, lenPkn, info, cid);
}

/** The packet number, the payload (in the clear or not) and Info's packet number and CID. */
function afterHeader(tvb: Tvb, ctx: PacketContext, node: FieldNode, at: number, lenPkn: number, info: GquicInfo, cid: number | bigint): void {
  let o = at;
  const le = !info.bigEndian;
  const pkn = uintAt(tvb, o, lenPkn, le);
  ctx.add(node, F['gquic.packet_number'], tvb, o, lenPkn, pkn);
  o += lenPkn;
  if (isUnencrypted(tvb, ctx, o, lenPkn, info)) {
    dissectUnencrypted(tvb, ctx, node, o, lenPkn, info);
  } else {
    ctx.info = 'Payload (Encrypted)';
    const n = restLength(tvb, o);
    ctx.add(node, F['gquic.payload'], tvb, o, n, tvb.slice(o, n));
  }
  ctx.info += `, PKN: ${pkn}`;
  if (cid !== 0 && cid !== 0n) ctx.info += `, CID: ${cid}`;
}

/** Before Q034 a packet has private flags (and frames their entropy fields). */
function oldLayout(info: GquicInfo): boolean {
  return info.versionValid && info.version < 34;
}

const LEN_1246 = [1, 2, 4, 6] as const;
const OFFSET_LENGTHS = [0, 2, 3, 4, 5, 6, 7, 8] as const;

/**
 * is_gquic_unencrypt: a walk over the frames by their lengths, true at a STREAM frame whose data
 * starts with a CHLO, SHLO or REJ message (a Client Hello from a port other than 443 makes its
 * destination port the server's), or at a CONNECTION_CLOSE whose reason fills the rest. Every
 * read is guarded as tshark guards it; it never throws.
 */
function isUnencrypted(tvb: Tvb, ctx: PacketContext, at: number, lenPkn: number, info: GquicInfo): boolean {
  const cap = (o: number) => Math.max(0, tvb.length - o);
  let o = at;
  if (cap(o) <= 13) return false;
  o += HASH_LENGTH;
  if (oldLayout(info)) o += 1;
  const le = !info.bigEndian;
  while (reportedRemaining(tvb, o) > 0) {
    if (cap(o) <= 1) return false;
    const type = tvb.u8(o);
    if ((type & FTFLAGS_SPECIAL) === 0) {
      o += 1;
      switch (type) {
        case 0x00: return false;
        case 0x01: o += 16; break;
        case 0x02: {
          o += 4;
          if (cap(o) <= 2) return false;
          const reason = uintAt(tvb, o, 2, le);
          o += 2;
          if (cap(o) === reason) return true;
          break;
        }
        case 0x03: {
          o += 8;
          if (cap(o) <= 2) return false;
          const reason = uintAt(tvb, o, 2, le);
          o += 2 + reason;
          break;
        }
        case 0x04: o += 12; break;
        case 0x05: o += 4; break;
        case 0x06: o += (oldLayout(info) ? 1 : 0) + lenPkn; break;
        default: break;
      }
    } else if (type & FTFLAGS_STREAM) {
      o += 1 + [1, 2, 3, 4][type & 0x03]! + OFFSET_LENGTHS[(type & 0x1c) >> 2]! + (type & FTFLAGS_STREAM_D ? 2 : 0);
      if (cap(o) <= 4) return false;
      const tag = tvb.u32(o);
      if (tag === MTAG_CHLO || tag === MTAG_SHLO || tag === MTAG_REJ) {
        if (tag === MTAG_CHLO && ctx.endpoints.srcPort !== DEFAULT_SERVER_PORT) info.serverPort = ctx.endpoints.dstPort ?? 0;
        return true;
      }
      // Not a handshake message: the walk goes on from the data's start.
    } else if (type & FTFLAGS_ACK) {
      const lenLargest = LEN_1246[(type & 0x0c) >> 2]!, lenMissing = LEN_1246[type & 0x03]!;
      o += 1;
      if (oldLayout(info)) {
        o += 1 + lenLargest + 2;
        if (cap(o) <= 1) return false;
        const stamps = tvb.u8(o);
        o += 1;
        if (stamps > 0) o += 5 + (stamps - 1) * 3;
        if (type & FTFLAGS_ACK_N) {
          if (cap(o) <= 1) return false;
          const ranges = tvb.u8(o);
          o += 1 + ranges * (lenMissing + 1);
          if (cap(o) <= 1) return false;
          const revived = tvb.u8(o);
          o += 1 + revived * lenLargest;
        }
      } else {
        o += lenLargest + 2;
        let blocks = 0;
        if (type & FTFLAGS_ACK_N) {
          if (cap(o) <= 1) return false;
          blocks = tvb.u8(o);
          o += 1;
        }
        o += lenMissing + blocks * (1 + lenMissing);
        if (cap(o) <= 1) return false;
        const stamps = tvb.u8(o);
        o += 1;
        if (stamps > 0) o += 5 + (stamps - 1) * 3;
      }
    } else {
      o += 1;
    }
  }
  return false;
}

/** dissect_gquic_unencrypt: the hash, the private flags (before Q034), then the frames to the end. */
function dissectUnencrypted(tvb: Tvb, ctx: PacketContext, node: FieldNode, at: number, lenPkn: number, info: GquicInfo): void {
  let o = at;
  ctx.add(node, F['gquic.message_authentication_hash'], tvb, o, HASH_LENGTH, tvb.slice(o, HASH_LENGTH));
  o += HASH_LENGTH;
  if (oldLayout(info)) {
    const prflags = tvb.u8(o);
    const pr = ctx.add(node, F['gquic.prflags'], tvb, o, 1, prflags);
    ctx.add(pr, F['gquic.prflags.entropy'], tvb, o, 1, (prflags & 0x01) !== 0);
    ctx.add(pr, F['gquic.prflags.fecg'], tvb, o, 1, (prflags & 0x02) !== 0);
    ctx.add(pr, F['gquic.prflags.fec'], tvb, o, 1, (prflags & 0x04) !== 0);
    ctx.add(pr, F['gquic.prflags.rsv'], tvb, o, 1, (prflags & 0xf8) >> 3);
    o += 1;
  }
  while (reportedRemaining(tvb, o) > 0) o = dissectFrame(tvb, ctx, node, o, lenPkn, info);
}

/** val_to_str_ext(code, names, "Unknown (%d)"): the code signed in the fallback. */
function codeName(names: Record<number, string>, code: number): string {
  return names[code] ?? `Unknown (${code | 0})`;
}

/** One frame (dissect_gquic_frame_type): its item covers its type byte only, as tshark's does. */
function dissectFrame(tvb: Tvb, ctx: PacketContext, parent: FieldNode, at: number, lenPkn: number, info: GquicInfo): number {
  let o = at;
  const le = !info.bigEndian;
  const item = ctx.add(parent, F['gquic.frame'], tvb, o, 1, null);
  const type = tvb.u8(o);
  const typeItem = ctx.add(item, F['gquic.frame_type'], tvb, o, 1, type);
  // The item's text grows as tshark appends to it (a frame cut short shows what was appended).
  let text = FRAME_TYPES[type]!;
  const append = (more: string): void => {
    text += more;
    if (ctx.tree) ctx.setText(item, cutUtf8(text, ITEM_LABEL_MAX));
  };
  if (ctx.tree) ctx.setText(item, text);
  const num = (field: FieldDef, n: number): number => {
    const v = uintAt(tvb, o, n, le);
    ctx.add(item, field, tvb, o, n, v);
    o += n;
    return v;
  };
  const num64 = (field: FieldDef, n: number): void => {
    ctx.add(item, field, tvb, o, n, uint64At(tvb, o, n, le));
    o += n;
  };
  const byte = (field: FieldDef): number => num(field, 1);
  if ((type & FTFLAGS_SPECIAL) === 0 && type !== FT_CRYPTO) {
    o += 1;
    switch (type) {
      case 0x00: {
        const padLen = reportedRemaining(tvb, o);
        ctx.addGenerated(item, F['gquic.frame_type.padding.length'], padLen);
        append(` Length: ${padLen}`);
        if (padLen > 0) {
          const n = restLength(tvb, o);
          ctx.add(item, F['gquic.frame_type.padding'], tvb, o, n, tvb.slice(o, n));
        }
        o += padLen;
        break;
      }
      case 0x01: {
        const stream = num(F['gquic.frame_type.rsts.stream_id'], 4);
        num64(F['gquic.frame_type.rsts.byte_offset'], 8);
        const code = num(F['gquic.frame_type.rsts.error_code'], 4);
        append(` Stream ID: ${stream}, Error code: ${codeName(RST_ERROR_CODES, code)}`);
        ctx.info = 'RST STREAM';
        break;
      }
      case 0x02: {
        const code = num(F['gquic.frame_type.cc.error_code'], 4);
        const len = num(F['gquic.frame_type.cc.reason_phrase.length'], 2);
        addAscii(ctx, item, F['gquic.frame_type.cc.reason_phrase'], tvb, o, len);
        o += len;
        append(` Error code: ${codeName(ERROR_CODES, code)}`);
        ctx.info = 'Connection Close';
        break;
      }
      case 0x03: {
        const code = num(F['gquic.frame_type.goaway.error_code'], 4);
        const last = num(F['gquic.frame_type.goaway.last_good_stream_id'], 4);
        const len = num(F['gquic.frame_type.goaway.reason_phrase.length'], 2);
        addAscii(ctx, item, F['gquic.frame_type.goaway.reason_phrase'], tvb, o, len);
        o += len;
        append(` Stream ID: ${last}, Error code: ${codeName(ERROR_CODES, code)}`);
        ctx.info = 'GOAWAY';
        break;
      }
      case 0x04: {
        const stream = num(F['gquic.frame_type.wu.stream_id'], 4);
        num64(F['gquic.frame_type.wu.byte_offset'], 8);
        append(` Stream ID: ${stream}`);
        break;
      }
      case 0x05:
        append(` Stream ID: ${num(F['gquic.frame_type.blocked.stream_id'], 4)}`);
        break;
      case 0x06:
        if (oldLayout(info)) append(` Send Entropy: ${byte(F['gquic.frame_type.sw.send_entropy'])}`);
        num64(F['gquic.frame_type.sw.least_unacked_delta'], lenPkn);
        break;
      default:
        break;
    }
  } else {
    ctx.add(typeItem, F['gquic.frame_type.stream'], tvb, o, 1, (type & 0x80) !== 0);
    if (type === FT_CRYPTO) {
      o = cryptoFrame(tvb, ctx, item, o, info);
    } else if (type & FTFLAGS_STREAM) {
      o = streamFrame(tvb, ctx, item, typeItem, o, type, le, append);
    } else if (type & FTFLAGS_ACK) {
      o = ackFrame(tvb, ctx, item, typeItem, o, type, info);
    } else {
      o += 1;
    }
  }
  return o;
}

/**
 * A CRYPTO frame (an IETF QUIC frame that Q050 carries): packet-gquic.c asserts a version of 50
 * or more, and a failed assertion is its "Dissector bug". From 50: offset, length, the data; for
 * 50 the data is a handshake message (T05x's TLS handshake is not decoded here).
 */
function cryptoFrame(tvb: Tvb, ctx: PacketContext, item: FieldNode, at: number, info: GquicInfo): number {
  if (!(info.versionValid && info.version >= 50)) throw new DissectorBug(CRYPTO_ASSERTION);
  let o = at;
  ctx.info += ', CRYPTO';
  o += 1;
  const offset = quicVarintExact(tvb, o);
  ctx.add(item, F['gquic.crypto.offset'], tvb, o, offset.length, offset.value);
  o += offset.length;
  const length = quicVarintExact(tvb, o);
  ctx.add(item, F['gquic.crypto.length'], tvb, o, length.length, length.value);
  o += length.length;
  // (Cast to 32 bits, as tshark's item length is.)
  const dataLen = Number(BigInt.asIntN(32, BigInt(length.value)));
  ctx.add(item, F['gquic.crypto.crypto_data'], tvb, o, dataLen, null);
  if (info.version !== 50) return o + dataLen;
  const tag = tvb.u32(o);
  addAscii(ctx, item, F['gquic.tag'], tvb, o, 4, MESSAGE_TAGS[tag] ?? 'Unknown Tag');
  ctx.info = MESSAGE_TAGS[tag] ?? 'Unknown';
  o += 4;
  return tagsAfterCount(tvb, ctx, item, o);
}

/** A message's tag count, its padding, then its tags (dissect_gquic_tags). */
function tagsAfterCount(tvb: Tvb, ctx: PacketContext, parent: FieldNode, at: number): number {
  let o = at;
  const count = tvb.u16le(o);
  ctx.add(parent, F['gquic.tag_number'], tvb, o, 2, count);
  o += 2;
  ctx.add(parent, F['gquic.padding'], tvb, o, 2, tvb.slice(o, 2));
  o += 2;
  return dissectTags(tvb, ctx, parent, o, count);
}

/** tshark 4.0.17's DISSECTOR_ASSERT in the CRYPTO frame's branch, as its message reads. */
const CRYPTO_ASSERTION = './epan/dissectors/packet-gquic.c:1877: failed assertion "gquic_info->version_valid && gquic_info->version >= 50"';

/** A failed DISSECTOR_ASSERT: tshark's DissectorError, which ends the packet's dissection. */
class DissectorBug extends Error {}

/** show_exception's DissectorError: a "[Dissector bug, ...]" item with its note, and the text in Info. */
function showDissectorBug(ctx: PacketContext, message: string): void {
  const text = `Dissector bug, protocol GQUIC: ${message}`;
  ctx.malformed = true;
  ctx.info += `[${text}]`;
  ctx.layers.push('_ws.malformed');
  ctx.addExpert(addMalformedItem(ctx, text), 'error', 'malformed', message);
}

/**
 * An expert note of its own under `parent` (expert_add_info on a tree): the item that carries
 * it, its field's label or `message` (an item holds one note, the GQUIC item may get two).
 */
function treeNote(ctx: PacketContext, parent: FieldNode, field: FieldDef | null, severity: 'error' | 'warn', group: string, message = field?.label ?? ''): void {
  const item = ctx.addGenerated(parent, field ?? wsFields['_ws.text'], null, message);
  ctx.addExpert(item, severity, group, message, true);
}

/** A STREAM frame: flags, stream ID, offset, data length, then stream 1's handshake message or other streams' data. */
function streamFrame(tvb: Tvb, ctx: PacketContext, item: FieldNode, typeItem: FieldNode, at: number, type: number, le: boolean, append: (s: string) => void): number {
  let o = at;
  ctx.add(typeItem, F['gquic.frame_type.stream.f'], tvb, o, 1, (type & 0x40) !== 0);
  ctx.add(typeItem, F['gquic.frame_type.stream.d'], tvb, o, 1, (type & FTFLAGS_STREAM_D) !== 0);
  ctx.add(typeItem, F['gquic.frame_type.stream.ooo'], tvb, o, 1, (type & 0x1c) >> 2);
  ctx.add(typeItem, F['gquic.frame_type.stream.ss'], tvb, o, 1, type & 0x03);
  const lenOffset = OFFSET_LENGTHS[(type & 0x1c) >> 2]!, lenStream = (type & 0x03) + 1;
  o += 1;
  const stream = uintAt(tvb, o, lenStream, le);
  const streamItem = ctx.add(item, F['gquic.stream_id'], tvb, o, lenStream, stream);
  o += lenStream;
  append(` Stream ID: ${stream}`);
  if (lenOffset) {
    ctx.add(item, F['gquic.offset'], tvb, o, lenOffset, uint64At(tvb, o, lenOffset, le));
    o += lenOffset;
  }
  if (type & FTFLAGS_STREAM_D) {
    ctx.add(item, F['gquic.data_len'], tvb, o, 2, uintAt(tvb, o, 2, le));
    o += 2;
  }
  if (stream === 1) {
    // Stream 1 carries the handshake: a message tag, then its tag/value list.
    const tag = tvb.u32(o);
    const name = MESSAGE_TAGS[tag];
    const tagText = addAscii(ctx, item, F['gquic.tag'], tvb, o, 4, name ?? 'Unknown Tag');
    if (ctx.tree) ctx.setText(streamItem, `Stream ID: ${stream} (Reserved for (G)QUIC handshake, crypto, config updates...)`);
    append(`, Type: ${tagText} (${name ?? 'Unknown Tag'})`);
    ctx.info = name ?? 'Unknown';
    o += 4;
    return tagsAfterCount(tvb, ctx, item, o);
  }
  if (stream === 3) {
    // HTTP/2 HEADERS: tshark hands the rest to HTTP/2 (not done here, see the top).
    if (ctx.tree) ctx.setText(streamItem, `Stream ID: ${stream} (Reserved for H2 HEADERS)`);
    ctx.info = 'H2';
  } else {
    ctx.info = 'DATA';
  }
  const n = reportedRemaining(tvb, o);
  ctx.add(item, F['gquic.stream_data'], tvb, o, n, tvb.slice(o, n));
  return o + n;
}

/** An ACK frame, in the layout before Q034 (entropy, timestamps, NACK ranges, revived packets) or after (ack blocks). */
function ackFrame(tvb: Tvb, ctx: PacketContext, item: FieldNode, typeItem: FieldNode, at: number, type: number, info: GquicInfo): number {
  let o = at;
  const le = !info.bigEndian;
  const old = oldLayout(info);
  ctx.add(typeItem, F['gquic.frame_type.ack'], tvb, o, 1, (type & FTFLAGS_ACK) !== 0);
  ctx.add(typeItem, F['gquic.frame_type.ack.n'], tvb, o, 1, (type & FTFLAGS_ACK_N) !== 0);
  ctx.add(typeItem, old ? F['gquic.frame_type.ack.t'] : F['gquic.frame_type.ack.u'], tvb, o, 1, (type & 0x10) !== 0);
  ctx.add(typeItem, F['gquic.frame_type.ack.ll'], tvb, o, 1, (type & 0x0c) >> 2);
  ctx.add(typeItem, F['gquic.frame_type.ack.mm'], tvb, o, 1, type & 0x03);
  const lenLargest = LEN_1246[(type & 0x0c) >> 2]!, lenMissing = LEN_1246[type & 0x03]!;
  o += 1;
  const add = (field: FieldDef, n: number): number => {
    const v = uintAt(tvb, o, n, le);
    ctx.add(item, field, tvb, o, n, v);
    o += n;
    return v;
  };
  const timestamps = (delta: FieldDef, firstTime: FieldDef): void => {
    let stamps = add(F['gquic.frame_type.ack.num_timestamp'], 1);
    if (!stamps) return;
    add(delta, 1);
    add(firstTime, 4);
    for (stamps -= 1; stamps > 0; stamps--) {
      add(delta, 1);
      add(F['gquic.frame_type.ack.time_since_previous_timestamp'], 2);
    }
  };
  if (old) {
    add(F['gquic.frame_type.ack.received_entropy'], 1);
    add(F['gquic.frame_type.ack.largest_observed'], lenLargest);
    add(F['gquic.frame_type.ack.ack_delay_time'], 2);
    timestamps(F['gquic.frame_type.ack.delta_largest_observed'], F['gquic.frame_type.ack.first_timestamp']);
    if (type & FTFLAGS_ACK_N) {
      for (let ranges = add(F['gquic.frame_type.ack.num_ranges'], 1); ranges > 0; ranges--) {
        add(F['gquic.frame_type.ack.missing_packet'], lenMissing);
        add(F['gquic.frame_type.ack.range_length'], 1);
      }
      for (let revived = add(F['gquic.frame_type.ack.num_revived'], 1); revived > 0; revived--) add(F['gquic.frame_type.ack.revived_packet'], lenLargest);
    }
  } else {
    add(F['gquic.frame_type.ack.largest_acked'], lenLargest);
    add(F['gquic.frame_type.ack.largest_acked_delta_time'], 2);
    let blocks = type & FTFLAGS_ACK_N ? add(F['gquic.frame_type.ack.num_blocks'], 1) : 0;
    add(F['gquic.frame_type.ack.first_ack_block_length'], lenMissing);
    for (; blocks > 0; blocks--) {
      add(F['gquic.frame_type.ack.gap_to_next_block'], 1);
      add(F['gquic.frame_type.ack.ack_block_length'], lenMissing);
    }
    timestamps(F['gquic.frame_type.ack.delta_largest_acked'], F['gquic.frame_type.ack.time_since_largest_acked']);
  }
  return o;
}

/** A tag's value: its bytes, or (a length of -1) the rest of the captured bytes, as proto_tree_add_item reads -1. */
function valueLength(tvb: Tvb, start: number, len: number): number {
  if (len === -1) return restLength(tvb, start);
  if (len < 0) throw new MalformedError('negative length', tvb.abs(start));
  return len;
}

/**
 * dissect_gquic_tag: `count` tag headers (four-byte tag, little-endian end offset), then the
 * values; each tag an item "Tag/value: SNI (Server Name Indication) (l=19): ..." with its value
 * decoded by type. Returns where the values end.
 */
function dissectTags(tvb: Tvb, ctx: PacketContext, parent: FieldNode, at: number, count: number, depth = 0): number {
  let o = at;
  const valuesStart = (at + count * 8) >>> 0;
  let tagOffset = 0, total = 0;
  for (let left = count; left > 0; left--) {
    // An FT_NONE item is added whatever bytes there are (the reads after it throw).
    const tagItem = ctx.add(parent, F['gquic.tags'], tvb, o, 8, null);
    const tag = tvb.u32(o);
    const tagName = TAG_NAMES[tag] ?? 'Unknown';
    const tagText = addAscii(ctx, tagItem, F['gquic.tag_type'], tvb, o, 4, tagName);
    // The label grows as tshark appends to it (proto_item_append_text: cut silently at its
    // buffer's end): a packet cut short shows what was appended so far.
    let label = `Tag/value: ${tagText} (${tagName})`;
    const appendLabel = (more: string): void => {
      label += more;
      if (ctx.tree) ctx.setText(tagItem, cutUtf8(label, ITEM_LABEL_MAX));
    };
    if (ctx.tree) ctx.setText(tagItem, label);
    o += 4;
    let offsetEnd = tvb.u32le(o);
    ctx.add(tagItem, F['gquic.tag_offset_end'], tvb, o, 4, offsetEnd);
    let tagLen = (offsetEnd - tagOffset) | 0;
    const lenItem = ctx.addGenerated(tagItem, F['gquic.tag_offset_length'], tagLen >>> 0);
    appendLabel(` (l=${tagLen >>> 0})`);
    o += 4;
    const start = (valuesStart + tagOffset) >>> 0;
    // A value running past the packet is cut to it ("Fix issue with CRT..").
    const room = reportedRemaining(tvb, start);
    if (tagLen > room) {
      tagLen = room;
      offsetEnd = (tagOffset + tagLen) >>> 0;
      ctx.addExpert(lenItem, 'note', 'malformed', 'Truncated Tag Length...');
      ctx.addHidden(lenItem, F['gquic.tag.length.truncated'], tvb, o - 4, 0, null);
    }
    total = (total + tagLen) >>> 0;
    const vLen = valueLength(tvb, start, tagLen);
    ctx.add(tagItem, F['gquic.tag_value'], tvb, start, vLen, tvb.slice(start, vLen));
    const at0 = (v: number) => (valuesStart + v) >>> 0;
    const whole = (field: FieldDef): void => {
      ctx.add(tagItem, field, tvb, start, vLen, tvb.slice(start, vLen));
      tagOffset += tagLen;
    };
    const text = (field: FieldDef, n: number): string => {
      const p = at0(tagOffset);
      const s = addAscii(ctx, tagItem, field, tvb, p, valueLength(tvb, p, n));
      tagOffset += n;
      return s;
    };
    const le32 = (field: FieldDef): number => {
      const p = at0(tagOffset);
      const v = tvb.u32le(p);
      ctx.add(tagItem, field, tvb, p, 4, v);
      tagOffset += 4;
      return v;
    };
    const le64 = (field: FieldDef): void => {
      const p = at0(tagOffset);
      ctx.add(tagItem, field, tvb, p, 8, uint64At(tvb, p, 8, true));
      tagOffset += 8;
    };
    const fixedBytes = (field: FieldDef, n: number): void => {
      const p = at0(tagOffset);
      ctx.add(tagItem, field, tvb, p, n, tvb.slice(p, n));
      tagOffset += n;
    };
    /** What is left of the value (unsigned, as tshark compares it: a tag read past its end never stops a loop). */
    const left4 = (n: number) => ((offsetEnd - tagOffset) >>> 0) >= n;
    /** A list of four-character names with their meanings ("AESG (AES-GCM ...)"), each also appended to the tag's label. */
    const names = (field: FieldDef, meanings: Record<number, string>): void => {
      while (left4(4)) {
        const p = at0(tagOffset);
        const meaning = meanings[tvb.u32(p)] ?? 'Unknown';
        addAscii(ctx, tagItem, field, tvb, p, 4, meaning);
        appendLabel(`, ${meaning}`);
        tagOffset += 4;
      }
    };
    switch (tag) {
      case 0x50414400: whole(F['gquic.tag.pad']); break;
      case 0x534e4900: appendLabel(`: ${text(F['gquic.tag.sni'], tagLen)}`); break;
      case 0x56455200:
        for (let i = 1; left4(4); i++) appendLabel(`${i === 1 ? ':' : ','} ${text(F['gquic.tag.version'], 4)}`);
        break;
      case 0x43435300:
        while (left4(8)) {
          const p = at0(tagOffset);
          ctx.add(tagItem, F['gquic.tag.ccs'], tvb, p, 8, tvb.u64(p));
          tagOffset += 8;
        }
        break;
      case 0x50444d44: appendLabel(`: ${text(F['gquic.tag.pdmd'], tagLen)}`); break;
      case 0x55414944: appendLabel(`: ${text(F['gquic.tag.uaid'], tagLen)}`); break;
      case 0x53544b00: whole(F['gquic.tag.stk']); break;
      case 0x534e4f00: whole(F['gquic.tag.sno']); break;
      case 0x50524f46: whole(F['gquic.tag.prof']); break;
      case 0x53434647: {
        // A server config: its own tag and a nested tag/value list.
        text(F['gquic.tag.scfg'], 4);
        const n = le32(F['gquic.tag.scfg.number']);
        if (depth < MAX_TAG_DEPTH) dissectTags(tvb, ctx, tagItem, at0(tagOffset), n, depth + 1);
        else throw new MalformedError('tag lists nested too deep', tvb.abs(at0(tagOffset)));
        tagOffset += tagLen - 8;
        break;
      }
      case 0x5252454a:
        while (left4(4)) appendLabel(`, Code ${HANDSHAKE_FAILURES[le32(F['gquic.tag.rrej'])] ?? 'Unknown'}`);
        break;
      case 0x435254ff: whole(F['gquic.tag.crt']); break;
      case 0x41454144: names(F['gquic.tag.aead'], AEAD_NAMES); break;
      case 0x53434944: whole(F['gquic.tag.scid']); break;
      case 0x50554253: {
        // A two-byte length (shown as a 24-bit value), then 24-bit values.
        let p = at0(tagOffset);
        ctx.add(tagItem, F['gquic.tag.pubs'], tvb, p, 2, tvb.u16le(p));
        tagOffset += 2;
        while (left4(3)) {
          p = at0(tagOffset);
          ctx.add(tagItem, F['gquic.tag.pubs'], tvb, p, 3, uintAt(tvb, p, 3, true));
          tagOffset += 3;
        }
        break;
      }
      case 0x4b455853: names(F['gquic.tag.kexs'], KEXS_NAMES); break;
      case 0x4f424954: whole(F['gquic.tag.obit']); break;
      case 0x45585059: le64(F['gquic.tag.expy']); break;
      case 0x4e4f4e43: fixedBytes(F['gquic.tag.nonc'], 32); break;
      case 0x4d535043: appendLabel(`: ${le32(F['gquic.tag.mspc'])}`); break;
      case 0x54434944: le32(F['gquic.tag.tcid']); break;
      case 0x53524246: le32(F['gquic.tag.srbf']); break;
      case 0x4943534c: le32(F['gquic.tag.icsl']); break;
      case 0x53434c53: le32(F['gquic.tag.scls']); break;
      case 0x434f5054: while (left4(4)) text(F['gquic.tag.copt'], 4); break;
      case 0x43435254: whole(F['gquic.tag.ccrt']); break;
      case 0x49525454: appendLabel(`: ${le32(F['gquic.tag.irtt'])}`); break;
      case 0x43464357: appendLabel(`: ${le32(F['gquic.tag.cfcw'])}`); break;
      case 0x53464357: appendLabel(`: ${le32(F['gquic.tag.sfcw'])}`); break;
      case 0x43455456: whole(F['gquic.tag.cetv']); break;
      case 0x584c4354: fixedBytes(F['gquic.tag.xlct'], 8); break;
      case 0x4e4f4e50: fixedBytes(F['gquic.tag.nonp'], 32); break;
      case 0x43534354: whole(F['gquic.tag.csct']); break;
      case 0x4354494d: {
        const p = at0(tagOffset);
        const sec = tvb.u32le(p), nsec = tvb.u32le(p + 4);
        ctx.add(tagItem, F['gquic.tag.ctim'], tvb, p, 8, { sec, nsec });
        tagOffset += 8;
        break;
      }
      case 0x524e4f4e: le64(F['gquic.tag.rnon']); break;
      case 0x52534551: le64(F['gquic.tag.rseq']); break;
      case 0x43414452: {
        let p = at0(tagOffset);
        const type = tvb.u16le(p);
        ctx.add(tagItem, F['gquic.tag.caddr.addr.type'], tvb, p, 2, type);
        tagOffset += 2;
        p = at0(tagOffset);
        if (type === 2) {
          ctx.add(tagItem, F['gquic.tag.caddr.addr.ipv4'], tvb, p, 4, tvb.u32(p));
          tagOffset += 4;
        } else if (type === 10) {
          ctx.add(tagItem, F['gquic.tag.caddr.addr.ipv6'], tvb, p, 16, tvb.slice(p, 16));
          tagOffset += 16;
        } else {
          const n = valueLength(tvb, p, (tagLen - 4) | 0);
          ctx.add(tagItem, F['gquic.tag.caddr.addr'], tvb, p, n, tvb.slice(p, n));
          tagOffset += tagLen + 4;
        }
        p = at0(tagOffset);
        ctx.add(tagItem, F['gquic.tag.caddr.port'], tvb, p, 2, tvb.u16le(p));
        tagOffset += 2;
        break;
      }
      case 0x4d494453: appendLabel(`: ${le32(F['gquic.tag.mids'])}`); break;
      case 0x46484f4c: appendLabel(`: ${le32(F['gquic.tag.fhol'])}`); break;
      case 0x5354544c: le64(F['gquic.tag.sttl']); break;
      case 0x534d484c: appendLabel(`: ${le32(F['gquic.tag.smhl'])}`); break;
      case 0x54424b50: appendLabel(`: ${text(F['gquic.tag.tbkp'], 4)}`); break;
      case 0x4d414400: appendLabel(`: ${le32(F['gquic.tag.mad0'])}`); break;
      case 0x514c5645: whole(F['gquic.tag.qlve']); break;
      case 0x43475354: whole(F['gquic.tag.cgst']); break;
      case 0x45504944: appendLabel(`: ${text(F['gquic.tag.epid'], tagLen)}`); break;
      case 0x53525354: whole(F['gquic.tag.srst']); break;
      default:
        whole(F['gquic.tag.unknown']);
        ctx.addExpert(tagItem, 'note', 'undecoded',
          `Dissector for (Google) QUIC Tag ${tagText} (${tagName}) code not implemented, Contact Wireshark developers if you want this supported`);
        ctx.addHidden(tagItem, F['gquic.tag.undecoded'], tvb, start, 0, null);
        break;
    }
    tagOffset >>>= 0;
    if (tagOffset !== offsetEnd) {
      // The value is longer (or shorter) than what its type reads: the rest is "Unknown Data".
      const p = at0(tagOffset);
      const unknown = ctx.add(tagItem, F['gquic.tag.unknown.data'], tvb, p, Math.max(0, tagLen), null);
      ctx.addExpert(unknown, 'note', 'undecoded', 'Unknown Data');
      tvb.check(p, Math.max(0, tagLen));
      tagOffset = offsetEnd;
    }
  }
  // From the end of the headers: where the values end (no values at all is an error for tshark).
  if (((o + total) >>> 0) <= o) {
    treeNote(ctx, parent, F['gquic.length.invalid'], 'warn', 'protocol', `Invalid total tag length: ${total}`);
    return o + reportedRemaining(tvb, o);
  }
  return o + total;
}

/** A server config nests a tag list in a tag's value; tshark bounds the nesting by its dissection depth. */
const MAX_TAG_DEPTH = 100;

export const gquicProtocol = defineProtocol('gquic', 'GQUIC (Google Quick UDP Internet Connections)', dissectGquic);
registerHeuristic('udp', gquicProtocol, looksLikeGquic);


// SSH (RFC 4253) on TCP port 22, as tshark 4.0's packet-ssh.c shows it without keys:
//   the version exchange      "Client: Protocol (SSH-2.0-OpenSSH_9.2p1 Debian-2)"
//   binary packets            "SSH Version 2": Packet Length, Padding Length, "Key Exchange"
//                             (KEXINIT's cookie and name-lists with their lengths and hassh,
//                             the DH or ECDH messages of the method agreed on, NEWKEYS),
//                             Padding String and the sequence number
//   after a side's NEWKEYS    its packets are encrypted: with a cipher tshark can decrypt
//                             (chacha20-poly1305, AES-GCM) but has no keys for, an empty
//                             "SSH Version 2 (encryption:...)" item and no Info; otherwise
//                             "Encrypted packet (len=48)"
//   no version exchange seen  (a capture that started later) "Encrypted packet (len=48)"
// Info lists a segment's messages ("Server: Key Exchange Init, New Keys") after "Client: " or
// "Server: ". What a frame taught the connection (versions, the algorithms agreed, where each
// side's key exchange ends) is set on its first dissection.
import { createHash } from 'node:crypto';
import { defineFields, type FieldDef } from '../field.js';
import { defineProtocol, MATCH_PORT_SCRATCH, register } from '../dispatch.js';
import { analysisPrefix, canDesegment, DESEGMENT_ONE_MORE_SEGMENT, requestDesegment } from '../desegment.js';
import { conversationState } from '../conversation.js';
import { printableText } from '../format.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';

const SSH_PORT = 22;

/** packet-ssh.c's ssh2_msg_vals. */
const MESSAGES: Record<number, string> = {
  1: 'Disconnect', 2: 'Ignore', 3: 'Unimplemented', 4: 'Debug', 5: 'Service Request', 6: 'Service Accept', 7: 'Extension Information',
  20: 'Key Exchange Init', 21: 'New Keys', 50: 'User Authentication Request', 51: 'User Authentication Failure',
  52: 'User Authentication Success', 53: 'User Authentication Banner', 60: 'Public Key algorithm accepted',
  80: 'Global Request', 81: 'Request Success', 82: 'Request Failure', 90: 'Channel Open', 91: 'Channel Open Confirmation',
  92: 'Channel Open Failure', 93: 'Window Adjust', 94: 'Channel Data', 95: 'Channel Extended Data', 96: 'Channel EOF',
  97: 'Channel Close', 98: 'Channel Request', 99: 'Channel Success', 100: 'Channel Failure',
};
/** The key exchange messages 30 and 31, by the method's family (ssh2_kex_dh_msg_vals, ssh2_kex_ecdh_msg_vals). */
const DH_MESSAGES: Record<number, string> = { 30: 'Diffie-Hellman Key Exchange Init', 31: 'Diffie-Hellman Key Exchange Reply' };
const ECDH_MESSAGES: Record<number, string> = { 30: 'Elliptic Curve Diffie-Hellman Key Exchange Init', 31: 'Elliptic Curve Diffie-Hellman Key Exchange Reply' };

export const sshFields = defineFields([
  { name: 'ssh.protocol', label: 'Protocol', type: 'string' },
  { name: 'ssh.packet_length', label: 'Packet Length', type: 'uint32', base: 'dec' },
  { name: 'ssh.packet_length_encrypted', label: 'Packet Length (encrypted)', type: 'bytes' },
  { name: 'ssh.padding_length', label: 'Padding Length', type: 'uint8', base: 'dec' },
  { name: 'ssh.payload', label: 'Payload', type: 'bytes' },
  { name: 'ssh.encrypted_packet', label: 'Encrypted Packet', type: 'bytes' },
  { name: 'ssh.padding_string', label: 'Padding String', type: 'bytes' },
  { name: 'ssh.seq_num', label: 'Sequence number', type: 'uint32', base: 'dec' },
  { name: 'ssh.mac', label: 'MAC', type: 'bytes', description: 'Message authentication code' },
  { name: 'ssh.direction', label: 'Direction', type: 'boolean', description: 'Message direction' },
  { name: 'ssh.message_code', label: 'Message Code', type: 'uint8', base: 'dec', values: MESSAGES },
  { name: 'ssh.cookie', label: 'Cookie', type: 'bytes' },
  { name: 'ssh.kex_algorithms', label: 'kex_algorithms string', type: 'string' },
  { name: 'ssh.server_host_key_algorithms', label: 'server_host_key_algorithms string', type: 'string' },
  { name: 'ssh.encryption_algorithms_client_to_server', label: 'encryption_algorithms_client_to_server string', type: 'string' },
  { name: 'ssh.encryption_algorithms_server_to_client', label: 'encryption_algorithms_server_to_client string', type: 'string' },
  { name: 'ssh.mac_algorithms_client_to_server', label: 'mac_algorithms_client_to_server string', type: 'string' },
  { name: 'ssh.mac_algorithms_server_to_client', label: 'mac_algorithms_server_to_client string', type: 'string' },
  { name: 'ssh.compression_algorithms_client_to_server', label: 'compression_algorithms_client_to_server string', type: 'string' },
  { name: 'ssh.compression_algorithms_server_to_client', label: 'compression_algorithms_server_to_client string', type: 'string' },
  { name: 'ssh.languages_client_to_server', label: 'languages_client_to_server string', type: 'string' },
  { name: 'ssh.languages_server_to_client', label: 'languages_server_to_client string', type: 'string' },
  { name: 'ssh.kex_algorithms_length', label: 'kex_algorithms length', type: 'uint32', base: 'dec' },
  { name: 'ssh.server_host_key_algorithms_length', label: 'server_host_key_algorithms length', type: 'uint32', base: 'dec' },
  { name: 'ssh.encryption_algorithms_client_to_server_length', label: 'encryption_algorithms_client_to_server length', type: 'uint32', base: 'dec' },
  { name: 'ssh.encryption_algorithms_server_to_client_length', label: 'encryption_algorithms_server_to_client length', type: 'uint32', base: 'dec' },
  { name: 'ssh.mac_algorithms_client_to_server_length', label: 'mac_algorithms_client_to_server length', type: 'uint32', base: 'dec' },
  { name: 'ssh.mac_algorithms_server_to_client_length', label: 'mac_algorithms_server_to_client length', type: 'uint32', base: 'dec' },
  { name: 'ssh.compression_algorithms_client_to_server_length', label: 'compression_algorithms_client_to_server length', type: 'uint32', base: 'dec' },
  { name: 'ssh.compression_algorithms_server_to_client_length', label: 'compression_algorithms_server_to_client length', type: 'uint32', base: 'dec' },
  { name: 'ssh.languages_client_to_server_length', label: 'languages_client_to_server length', type: 'uint32', base: 'dec' },
  { name: 'ssh.languages_server_to_client_length', label: 'languages_server_to_client length', type: 'uint32', base: 'dec' },
  { name: 'ssh.first_kex_packet_follows', label: 'First KEX Packet Follows', type: 'uint8', base: 'dec' },
  { name: 'ssh.kex.reserved', label: 'Reserved', type: 'bytes' },
  { name: 'ssh.kex.hassh_algorithms', label: 'hasshAlgorithms', type: 'string' },
  { name: 'ssh.kex.hassh', label: 'hassh', type: 'string' },
  { name: 'ssh.kex.hasshserver_algorithms', label: 'hasshServerAlgorithms', type: 'string' },
  { name: 'ssh.kex.hasshserver', label: 'hasshServer', type: 'string' },
  { name: 'ssh.host_key.length', label: 'Host key length', type: 'uint32', base: 'dec' },
  { name: 'ssh.host_key.type_length', label: 'Host key type length', type: 'uint32', base: 'dec' },
  { name: 'ssh.host_key.type', label: 'Host key type', type: 'string' },
  { name: 'ssh.host_key.data', label: 'Host key data', type: 'bytes' },
  { name: 'ssh.host_key.rsa.n', label: 'RSA modulus (N)', type: 'bytes' },
  { name: 'ssh.host_key.rsa.e', label: 'RSA public exponent (e)', type: 'bytes' },
  { name: 'ssh.host_key.dsa.p', label: 'DSA prime modulus (p)', type: 'bytes' },
  { name: 'ssh.host_key.dsa.q', label: 'DSA prime divisor (q)', type: 'bytes' },
  { name: 'ssh.host_key.dsa.g', label: 'DSA subgroup generator (g)', type: 'bytes' },
  { name: 'ssh.host_key.dsa.y', label: 'DSA public key (y)', type: 'bytes' },
  { name: 'ssh.host_key.ecdsa.id', label: 'ECDSA elliptic curve identifier', type: 'string' },
  { name: 'ssh.host_key.ecdsa.id_length', label: 'ECDSA elliptic curve identifier length', type: 'uint32', base: 'dec' },
  { name: 'ssh.host_key.ecdsa.q', label: 'ECDSA public key (Q)', type: 'bytes' },
  { name: 'ssh.host_key.ecdsa.q_length', label: 'ECDSA public key length', type: 'uint32', base: 'dec' },
  { name: 'ssh.host_key.eddsa.key', label: 'EdDSA public key', type: 'bytes' },
  { name: 'ssh.host_key.eddsa.key_length', label: 'EdDSA public key length', type: 'uint32', base: 'dec' },
  { name: 'ssh.host_sig.length', label: 'Host signature length', type: 'uint32', base: 'dec' },
  { name: 'ssh.host_sig.type_length', label: 'Host signature type length', type: 'uint32', base: 'dec' },
  { name: 'ssh.host_sig.type', label: 'Host signature type', type: 'string' },
  { name: 'ssh.host_sig.data', label: 'Host signature data', type: 'bytes' },
  { name: 'ssh.host_sig.rsa', label: 'RSA signature', type: 'bytes' },
  { name: 'ssh.host_sig.dsa', label: 'DSA signature', type: 'bytes' },
  { name: 'ssh.dh.e', label: 'DH client e', type: 'bytes' },
  { name: 'ssh.dh.f', label: 'DH server f', type: 'bytes' },
  { name: 'ssh.ecdh.q_c', label: "ECDH client's ephemeral public key (Q_C)", type: 'bytes' },
  { name: 'ssh.ecdh.q_c_length', label: "ECDH client's ephemeral public key length", type: 'uint32', base: 'dec' },
  { name: 'ssh.ecdh.q_s', label: "ECDH server's ephemeral public key (Q_S)", type: 'bytes' },
  { name: 'ssh.ecdh.q_s_length', label: "ECDH server's ephemeral public key length", type: 'uint32', base: 'dec' },
  { name: 'ssh.mpint_length', label: 'Multi Precision Integer Length', type: 'uint32', base: 'dec' },
  { name: 'ssh.packet_length.error', label: 'Overly large number', type: 'none' },
] as const);
const F = sshFields;
/** The fields by a name built at run time (the name-lists, the DSA parts). */
const byName = sshFields as Record<string, FieldDef>;

/** The name-lists of KEXINIT, in order (RFC 4253 7.1). */
const PROPOSALS = [
  'kex_algorithms', 'server_host_key_algorithms', 'encryption_algorithms_client_to_server', 'encryption_algorithms_server_to_client',
  'mac_algorithms_client_to_server', 'mac_algorithms_server_to_client', 'compression_algorithms_client_to_server',
  'compression_algorithms_server_to_client', 'languages_client_to_server', 'languages_server_to_client',
] as const;

/** Ciphers packet-ssh.c sets a decryption up for: without keys their packets show nothing. */
const DECRYPTABLE = new Set([
  'chacha20-poly1305@openssh.com', 'aes128-gcm@openssh.com', 'aes256-gcm@openssh.com', 'aes128-ctr', 'aes192-ctr', 'aes256-ctr',
]);
/** Of those, the ones that carry their own MAC: the one negotiated is not shown. */
const AEAD = new Set(['chacha20-poly1305@openssh.com', 'aes128-gcm@openssh.com', 'aes256-gcm@openssh.com']);

/** One side's state (ssh_peer_data). Frame numbers are 0 until known. */
interface Peer {
  frameVersionStart: number;
  frameVersionEnd: number;
  frameKeyStart: number;
  frameKeyEnd: number;
  frameKeyEndOffset: number;
  /** KEXINIT's name-lists as this side sent them. */
  proposals: string[] | null;
  enc: string | null;
  mac: string | null;
  comp: string | null;
  /** Sequence numbers given to the key exchange messages, by message, and the next one. */
  seqs: Map<string, number>;
  nextSeq: number;
  /** Where enc, mac and comp became known. */
  algorithmsAt: Place | null;
}

/** A place in the capture: a frame and an offset in what SSH was given of it. */
interface Place {
  frame: number;
  offset: number;
}

/** Whether what became known at `at` is known at `frame`/`offset` (a frame dissected again sees only what came before it). */
function knownAt(at: Place | null, frame: number, offset: number): boolean {
  return at !== null && (frame > at.frame || (frame === at.frame && offset >= at.offset));
}

interface SshSession {
  version: 0 | 1 | 2;
  versionAt: Place | null;
  kex: string | null;
  kexAt: Place | null;
  peers: [Peer, Peer];
  newest: number;
}

function newPeer(): Peer {
  return { frameVersionStart: 0, frameVersionEnd: 0, frameKeyStart: 0, frameKeyEnd: 0, frameKeyEndOffset: 0, proposals: null, enc: null, mac: null, comp: null, seqs: new Map(), nextSeq: 0, algorithmsAt: null };
}

/** What a dissection of one segment carries along: its Info items and whether it may change the session. */
interface Pass {
  info: string[];
  first: boolean;
}

function dissectSsh(tvb: Tvb, ctx: PacketContext, node: FieldNode): boolean {
  const s = conversationState<SshSession>(ctx, 'ssh.sessions', () => ({ version: 0, versionAt: null, kex: null, kexAt: null, peers: [newPeer(), newPeer()], newest: 0 }));
  const frame = ctx.frame.number;
  const pass: Pass = { info: [], first: frame > s.newest };
  if (pass.first) s.newest = frame;
  const isResponse = ctx.endpoints.dstPort !== ctx.scratch[MATCH_PORT_SCRATCH];
  const peer = s.peers[isResponse ? 1 : 0];
  const version = (offset: number) => (knownAt(s.versionAt, frame, offset) ? s.version : 0);
  // The version as the frame begins (a client's version line names it for what follows).
  const started = frame > (s.versionAt?.frame ?? Infinity) ? s.version : 0;
  ctx.protocol = started === 2 ? 'SSHv2' : started === 1 ? 'SSHv1' : 'SSH';
  let offset = 0;
  while (offset < tvb.reportedLength) {
    const last = offset;
    const inVersion = (peer.frameVersionStart === 0 || frame >= peer.frameVersionStart) && (peer.frameVersionEnd === 0 || frame <= peer.frameVersionEnd);
    let wait = false;
    if (inVersion && startsWithNoCase(tvb, offset, 'SSH-')) {
      if (pass.first && peer.frameVersionStart === 0) peer.frameVersionStart = frame;
      const r = versionLine(tvb, ctx, node, offset, isResponse, s, pass);
      if (r === null) wait = true;
      else offset = r;
    } else if (version(offset) === 2) {
      const r = ssh2(tvb, ctx, node, offset, isResponse, s, pass);
      if (r === null) wait = true;
      else offset = r;
    } else {
      offset = encryptedPacket(tvb, ctx, node, offset, pass);
    }
    if (wait) {
      // packet-ssh.c clears the column before its loop and returns at once when it waits for
      // more: the messages before this one, without the direction (TCP adds its segment note).
      ctx.info = pass.info.join(', ');
      return true;
    }
    if (offset <= last) break;
  }
  // packet-ssh.c appends each message with a ", " separator to what the column holds (after
  // TCP's fenced analysis prefix, if any), then prepends the direction to the whole column.
  ctx.info = `${isResponse ? 'Server' : 'Client'}: ${messagesColumn(ctx, pass)}`;
  ctx.addGenerated(node, F['ssh.direction'], isResponse, `Direction: ${isResponse ? 'server-to-client' : 'client-to-server'}`);
  return true;
}

/** The messages so far, each appended with ", " to what the column holds (after TCP's fenced analysis prefix, if any). */
function messagesColumn(ctx: PacketContext, pass: Pass): string {
  const fenced = analysisPrefix(ctx);
  return `${fenced}${fenced && pass.info.length > 0 ? ', ' : ''}${pass.info.join(', ')}`;
}

function startsWithNoCase(tvb: Tvb, o: number, text: string): boolean {
  return o + text.length <= tvb.length && tvb.ascii(o, text.length).toUpperCase() === text;
}

/** ssh_dissect_protocol: the identification string up to LF; the client's says which version the connection speaks. Null: wait for more. */
function versionLine(tvb: Tvb, ctx: PacketContext, node: FieldNode, offset: number, isResponse: boolean, s: SshSession, pass: Pass): number | null {
  let version = knownAt(s.versionAt, ctx.frame.number, offset) ? s.version : 0;
  if (!isResponse) {
    if (startsWithNoCase(tvb, offset, 'SSH-2.') || startsWithNoCase(tvb, offset, 'SSH-1.99-')) version = 2;
    else if (startsWithNoCase(tvb, offset, 'SSH-1.')) version = 1;
  }
  const lf = tvb.indexOf(0x0a, offset);
  if (lf < 0 && canDesegment(ctx)) {
    requestDesegment(ctx, offset, DESEGMENT_ONE_MORE_SEGMENT, true);
    return null;
  }
  let lineLen: number, protoLen: number;
  if (lf < 0) {
    lineLen = protoLen = tvb.length - offset;
  } else {
    lineLen = lf - offset + 1;
    protoLen = lineLen > 1 && tvb.u8(offset + lineLen - 2) === 0x0d ? lineLen - 2 : lineLen - 1;
  }
  const text = tvb.ascii(offset, protoLen);
  pass.info.push(`Protocol (${printableText(text)})`);
  ctx.add(node, F['ssh.protocol'], tvb, offset, protoLen, text);
  if (pass.first) {
    const peer = s.peers[isResponse ? 1 : 0];
    peer.frameVersionEnd = ctx.frame.number;
    if (version !== s.version) {
      s.version = version;
      s.versionAt = { frame: ctx.frame.number, offset: offset + lineLen };
    }
  }
  return offset + lineLen;
}

/** ssh_dissect_ssh2: binary packets, key exchange ones until the side's NEWKEYS, encrypted ones after it. Null: wait for more. */
function ssh2(tvb: Tvb, ctx: PacketContext, node: FieldNode, offset: number, isResponse: boolean, s: SshSession, pass: Pass): number | null {
  const peer = s.peers[isResponse ? 1 : 0];
  const frame = ctx.frame.number;
  while (offset < tvb.length) {
    const last = offset;
    const parts: string[] = [];
    if (knownAt(peer.algorithmsAt, frame, offset)) {
      if (peer.enc) parts.push(`encryption:${peer.enc}`);
      if (peer.mac) parts.push(`mac:${peer.mac}`);
      if (peer.comp) parts.push(`compression:${peer.comp}`);
    }
    const title = parts.length > 0 ? `SSH Version 2 (${parts.join(' ')})` : 'SSH Version 2';
    const tree = ctx.addText(node, tvb, offset, tvb.length - offset, title);
    const inKex = peer.frameKeyStart === 0 || (peer.frameKeyStart <= frame && (peer.frameKeyEnd === 0 || frame < peer.frameKeyEnd || (frame === peer.frameKeyEnd && offset < peer.frameKeyEndOffset)));
    if (inKex) {
      const r = keyExchangePacket(tvb, ctx, tree, offset, isResponse, s, pass);
      // Waiting for the rest of the packet: tshark keeps its empty "SSH Version 2" item.
      if (r === null) return null;
      offset = r;
    } else if (peer.enc !== null && DECRYPTABLE.has(peer.enc)) {
      // tshark sets up a decryption for this cipher, has no keys and shows nothing of the packet.
      offset = tvb.length;
    } else {
      offset = encryptedPacket(tvb, ctx, tree, offset, pass);
    }
    tree.length = offset - last;
  }
  return offset;
}

/** ssh_dissect_encrypted_packet: what is left, as one encrypted packet. */
function encryptedPacket(tvb: Tvb, ctx: PacketContext, tree: FieldNode, offset: number, pass: Pass): number {
  const len = tvb.reportedLength - offset;
  pass.info.push(`Encrypted packet (len=${len})`);
  // packet-ssh.c adds the items only to a tree (`if (tree)`): a packet of 4 bytes or less, whose
  // item starts past its end, is malformed in a tree, and not for a summary line.
  if (!ctx.tree && !ctx.wanting) return offset + len;
  // What the column holds should the item fail: the messages so far after TCP's analysis
  // prefix, without the direction (prepended only once the loop is over).
  ctx.info = messagesColumn(ctx, pass);
  let encrypted = len;
  if (len > 4) {
    ctx.add(tree, F['ssh.packet_length_encrypted'], tvb, offset, 4, tvb.slice(offset, 4));
    encrypted -= 4;
  }
  ctx.add(tree, F['ssh.encrypted_packet'], tvb, offset + 4, encrypted, tvb.slice(offset + 4, Math.min(encrypted, tvb.length - offset - 4)));
  return offset + len;
}

/** ssh_dissect_key_exchange: one binary packet of the key exchange. Null: wait for more. */
function keyExchangePacket(tvb: Tvb, ctx: PacketContext, tree: FieldNode, offset: number, isResponse: boolean, s: SshSession, pass: Pass): number | null {
  const start = offset;
  const remain = tvb.length - offset;
  const can = canDesegment(ctx);
  if (can && remain < 4) {
    requestDesegment(ctx, offset, DESEGMENT_ONE_MORE_SEGMENT, true);
    return null;
  }
  let plen = tvb.u32(offset);
  if (can && plen + 4 > remain) {
    requestDesegment(ctx, offset, plen + 4 - remain, true);
    return null;
  }
  const lengthItem = ctx.add(tree, F['ssh.packet_length'], tvb, offset, 4, plen);
  if (plen >= 0xffff) {
    ctx.addExpert(lengthItem, 'warn', 'protocol', `Overly large number ${plen}`);
    plen = remain - 4;
  }
  offset += 4;
  const padding = tvb.u8(offset);
  ctx.add(tree, F['ssh.padding_length'], tvb, offset, 1, padding);
  offset += 1;
  const kex = knownAt(s.kexAt, ctx.frame.number, offset) ? s.kex : null;
  const kexTree = ctx.addText(tree, tvb, offset, plen - 1, kex ? `Key Exchange (method:${kex})` : 'Key Exchange');
  const code = tvb.u8(offset);
  const peer = s.peers[isResponse ? 1 : 0];
  let seq = 0;
  if (code >= 30 && code < 40) {
    const ecdh = kex !== null && isEcdh(kex);
    const names = ecdh ? ECDH_MESSAGES : DH_MESSAGES;
    const name = names[code] ?? `Unknown (${code})`;
    ctx.add(kexTree, F['ssh.message_code'], tvb, offset, 1, code, `Message Code: ${name} (${code})`);
    offset += 1;
    pass.info.push(name);
    if (code === 30 || code === 31) {
      offset = ecdh ? ecdhMessage(tvb, ctx, kexTree, offset, code) : dhMessage(tvb, ctx, kexTree, offset, code);
      // The init is the client's, the reply the server's, whoever sent it.
      seq = sequenceNumber(s.peers[code === 30 ? 0 : 1], `kex${code}`, pass, !ecdh);
      // tshark 4.0 knows both directions' algorithms from the reply on: a NEWKEYS already has them in its title.
      if (code === 31 && pass.first) {
        chooseAlgorithms(s, 0, ctx.frame.number, offset);
        chooseAlgorithms(s, 1, ctx.frame.number, offset);
      }
    }
  } else {
    ctx.add(kexTree, F['ssh.message_code'], tvb, offset, 1, code);
    offset += 1;
    pass.info.push(MESSAGES[code] ?? `Unknown (${code})`);
    if (code === 20) {
      offset = keyInit(tvb, ctx, kexTree, offset, isResponse, s, pass);
      if (pass.first && (peer.frameKeyStart === 0 || peer.frameKeyStart === ctx.frame.number)) peer.frameKeyStart = ctx.frame.number;
      seq = sequenceNumber(peer, 'kexinit', pass);
    } else if (code === 21) {
      if (pass.first && peer.frameKeyEnd === 0) newKeys(s, isResponse, ctx.frame.number, offset);
      seq = sequenceNumber(peer, 'newkeys', pass);
    }
  }
  const len = plen + 4 - padding - (offset - start);
  if (len > 0) ctx.add(kexTree, F['ssh.payload'], tvb, offset, len, tvb.slice(offset, len));
  offset += len;
  ctx.add(tree, F['ssh.padding_string'], tvb, offset, padding, tvb.slice(offset, padding));
  offset += padding;
  ctx.add(tree, F['ssh.seq_num'], tvb, offset, 0, seq);
  return offset;
}

function isEcdh(kex: string): boolean {
  return kex.startsWith('ecdh-sha2-') || kex === 'curve25519-sha256@libssh.org' || kex === 'curve25519-sha256' || kex === 'curve448-sha512';
}

/**
 * The sequence number a key exchange message gets the first time it is seen (a retransmission
 * keeps it): its side's count of messages so far, or, for the DH init and reply, that count after
 * counting the message itself (packet-ssh.c increments before it reads there).
 */
function sequenceNumber(peer: Peer, message: string, pass: Pass, countFirst = false): number {
  let n = peer.seqs.get(message);
  if (n === undefined) {
    n = countFirst ? peer.nextSeq + 1 : peer.nextSeq;
    if (pass.first) {
      peer.seqs.set(message, n);
      peer.nextSeq++;
    }
  }
  return n;
}

/** NEWKEYS: the side's key exchange ends here; the algorithms agreed for its direction name its packets from now on (ssh_choose_algo). */
function newKeys(s: SshSession, isResponse: boolean, frame: number, offset: number): void {
  const peer = s.peers[isResponse ? 1 : 0];
  peer.frameKeyEnd = frame;
  peer.frameKeyEndOffset = offset;
  chooseAlgorithms(s, isResponse ? 1 : 0, frame, offset);
}

/** The cipher, MAC and compression agreed for a side's direction, where not known yet (ssh_choose_algo leaves a choice made). */
function chooseAlgorithms(s: SshSession, dir: 0 | 1, frame: number, offset: number): void {
  const peer = s.peers[dir];
  const [client, server] = [s.peers[0].proposals, s.peers[1].proposals];
  if (peer.algorithmsAt !== null || !client || !server) return;
  peer.algorithmsAt = { frame, offset };
  peer.enc = choose(client[2 + dir], server[2 + dir]);
  if (!(peer.enc !== null && AEAD.has(peer.enc))) peer.mac = choose(client[4 + dir], server[4 + dir]);
  peer.comp = choose(client[6 + dir], server[6 + dir]);
}

/** The first of the client's algorithms the server lists too. */
function choose(client: string | undefined, server: string | undefined): string | null {
  if (client === undefined || server === undefined) return null;
  const offered = new Set(server.split(','));
  return client.split(',').find((a) => offered.has(a)) ?? null;
}

/** ssh_dissect_key_init: the cookie, the ten name-lists, first_kex_packet_follows, reserved, and hassh. */
function keyInit(tvb: Tvb, ctx: PacketContext, tree: FieldNode, offset: number, isResponse: boolean, s: SshSession, pass: Pass): number {
  const start = offset;
  const algorithms = ctx.addText(tree, tvb, offset, 0, 'Algorithms');
  ctx.add(algorithms, F['ssh.cookie'], tvb, offset, 16, tvb.slice(offset, 16));
  offset += 16;
  const lists: string[] = [];
  for (const name of PROPOSALS) {
    const len = tvb.u32(offset);
    ctx.add(algorithms, byName[`ssh.${name}_length`]!, tvb, offset, 4, len);
    offset += 4;
    const text = tvb.ascii(offset, len);
    ctx.add(algorithms, byName[`ssh.${name}`]!, tvb, offset, len, text);
    lists.push(text);
    offset += len;
  }
  ctx.add(algorithms, F['ssh.first_kex_packet_follows'], tvb, offset, 1, tvb.u8(offset));
  offset += 1;
  ctx.add(algorithms, F['ssh.kex.reserved'], tvb, offset, 4, tvb.slice(offset, 4));
  offset += 4;
  // hassh: MD5 of the kex, cipher, MAC and compression lists for the sender's direction.
  const dir = isResponse ? 1 : 0;
  const hasshAlgorithms = [lists[0], lists[2 + dir], lists[4 + dir], lists[6 + dir]].join(';');
  ctx.addGenerated(algorithms, isResponse ? F['ssh.kex.hasshserver_algorithms'] : F['ssh.kex.hassh_algorithms'], hasshAlgorithms);
  ctx.addGenerated(algorithms, isResponse ? F['ssh.kex.hasshserver'] : F['ssh.kex.hassh'], createHash('md5').update(hasshAlgorithms, 'latin1').digest('hex'));
  algorithms.length = offset - start;
  if (pass.first) {
    const peer = s.peers[dir];
    if (peer.proposals === null) peer.proposals = lists;
    if (s.peers[0].proposals && s.peers[1].proposals && s.kex === null) {
      s.kex = choose(s.peers[0].proposals[0], s.peers[1].proposals[0]);
      s.kexAt = { frame: ctx.frame.number, offset };
    }
  }
  return offset;
}

/** A uint32 length and that many bytes (ssh_tree_add_string); returns the bytes read. */
function lengthAndValue(tvb: Tvb, ctx: PacketContext, tree: FieldNode, offset: number, lengthField: FieldDef, valueField: FieldDef): number {
  const len = tvb.u32(offset);
  ctx.add(tree, lengthField, tvb, offset, 4, len);
  ctx.add(tree, valueField, tvb, offset + 4, len, valueField.type === 'string' ? tvb.ascii(offset + 4, len) : tvb.slice(offset + 4, len));
  return 4 + len;
}

/** An mpint (ssh_tree_add_mpint): "Multi Precision Integer Length" and its bytes. */
function mpint(tvb: Tvb, ctx: PacketContext, tree: FieldNode, offset: number, field: FieldDef): number {
  return lengthAndValue(tvb, ctx, tree, offset, F['ssh.mpint_length'], field);
}

function ecdhMessage(tvb: Tvb, ctx: PacketContext, tree: FieldNode, offset: number, code: number): number {
  if (code === 30) return offset + lengthAndValue(tvb, ctx, tree, offset, F['ssh.ecdh.q_c_length'], F['ssh.ecdh.q_c']);
  offset += hostKey(tvb, ctx, tree, offset);
  offset += lengthAndValue(tvb, ctx, tree, offset, F['ssh.ecdh.q_s_length'], F['ssh.ecdh.q_s']);
  return offset + hostSignature(tvb, ctx, tree, offset);
}

function dhMessage(tvb: Tvb, ctx: PacketContext, tree: FieldNode, offset: number, code: number): number {
  if (code === 30) {
    keyLengthCheck(tvb, ctx, tree, offset);
    return offset + mpint(tvb, ctx, tree, offset, F['ssh.dh.e']);
  }
  offset += hostKey(tvb, ctx, tree, offset);
  keyLengthCheck(tvb, ctx, tree, offset);
  offset += mpint(tvb, ctx, tree, offset, F['ssh.dh.f']);
  return offset + hostSignature(tvb, ctx, tree, offset);
}

/** The largest DH public value tshark reads (ssh_kex_make_bignum: 8192-bit group 18, plus a sign byte). */
const MAX_KEX_BIGNUM = 1025;

/** ssh_read_e / ssh_read_f: a public value of no bytes or more than tshark reads is noted (a post-quantum method's, among others). */
function keyLengthCheck(tvb: Tvb, ctx: PacketContext, tree: FieldNode, offset: number): void {
  const length = tvb.u32(offset);
  if (length !== 0 && length <= MAX_KEX_BIGNUM) return;
  const item = ctx.addText(tree, tvb, offset, 2, `Invalid key length: ${length}`);
  ctx.addExpert(item, 'error', 'protocol', `Invalid key length: ${length}`);
}

/** ssh_tree_add_hostkey: "KEX host key (type: ...)" with the key's parts by its type. */
function hostKey(tvb: Tvb, ctx: PacketContext, parent: FieldNode, offset: number): number {
  const keyLen = tvb.u32(offset);
  const typeLen = tvb.u32(offset + 4);
  const type = tvb.ascii(offset + 8, typeLen);
  const tree = ctx.addText(parent, tvb, offset, keyLen + 4, `KEX host key (type: ${type})`);
  ctx.add(tree, F['ssh.host_key.length'], tvb, offset, 4, keyLen);
  ctx.add(tree, F['ssh.host_key.type_length'], tvb, offset + 4, 4, typeLen);
  ctx.add(tree, F['ssh.host_key.type'], tvb, offset + 8, typeLen, type);
  let o = offset + 8 + typeLen;
  if (type === 'ssh-rsa') {
    o += mpint(tvb, ctx, tree, o, F['ssh.host_key.rsa.e']);
    mpint(tvb, ctx, tree, o, F['ssh.host_key.rsa.n']);
  } else if (type === 'ssh-dss') {
    for (const f of ['p', 'q', 'g', 'y'] as const) o += mpint(tvb, ctx, tree, o, byName[`ssh.host_key.dsa.${f}`]!);
  } else if (type.startsWith('ecdsa-sha2-')) {
    o += lengthAndValue(tvb, ctx, tree, o, F['ssh.host_key.ecdsa.id_length'], F['ssh.host_key.ecdsa.id']);
    lengthAndValue(tvb, ctx, tree, o, F['ssh.host_key.ecdsa.q_length'], F['ssh.host_key.ecdsa.q']);
  } else if (type.startsWith('ssh-ed')) {
    lengthAndValue(tvb, ctx, tree, o, F['ssh.host_key.eddsa.key_length'], F['ssh.host_key.eddsa.key']);
  } else {
    const rest = keyLen - (typeLen + 4);
    ctx.add(tree, F['ssh.host_key.data'], tvb, o, rest, tvb.slice(o, rest));
  }
  return 4 + keyLen;
}

/**
 * ssh_tree_add_hostsignature: "KEX host signature (type: ...)". tshark 4.0 reads only RSA and
 * DSA signatures; for the others it notes that it decoded fewer bytes than the length says.
 */
function hostSignature(tvb: Tvb, ctx: PacketContext, parent: FieldNode, offset: number): number {
  const sigLen = tvb.u32(offset);
  const typeLen = tvb.u32(offset + 4);
  const type = tvb.ascii(offset + 8, typeLen);
  const tree = ctx.addText(parent, tvb, offset, sigLen + 4, `KEX host signature (type: ${type})`);
  const lengthItem = ctx.add(tree, F['ssh.host_sig.length'], tvb, offset, 4, sigLen);
  ctx.add(tree, F['ssh.host_sig.type_length'], tvb, offset + 4, 4, typeLen);
  ctx.add(tree, F['ssh.host_sig.type'], tvb, offset + 8, typeLen, type);
  let o = offset + 8 + typeLen;
  if (type === 'ssh-rsa') o += mpint(tvb, ctx, tree, o, F['ssh.host_sig.rsa']);
  else if (type === 'ssh-dss') o += mpint(tvb, ctx, tree, o, F['ssh.host_sig.dsa']);
  else if (!type.startsWith('ecdsa-sha2-') && !type.startsWith('ssh-ed')) {
    const rest = sigLen - (typeLen + 4);
    ctx.add(tree, F['ssh.host_sig.data'], tvb, o, rest, tvb.slice(o, rest));
  }
  if (o - offset !== 4 + sigLen) ctx.addExpert(lengthItem, 'warn', 'protocol', `Decoded ${o - offset} bytes, but packet legnth is ${sigLen} bytes`);
  return 4 + sigLen;
}

export const sshProtocol = defineProtocol('ssh', 'SSH Protocol', dissectSsh);
register('tcp.port', SSH_PORT, sshProtocol);

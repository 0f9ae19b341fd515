// QUIC packet protection (RFC 9001 section 5, RFC 9369 section 3.3.1): the Initial keys any
// observer can derive from the client's first Destination Connection ID, and the Handshake and
// 1-RTT keys derived from the TLS secrets of a key log (tls-keylog.ts); header protection
// removal (AES or ChaCha20) and AEAD decryption (AES-GCM, ChaCha20-Poly1305). Without a key log,
// as in tshark, Initial packets (the Client Hello, the Server Hello, ACKs) are read in the clear
// and Handshake, 0-RTT and 1-RTT packets stay protected.
import { createCipheriv, createDecipheriv, createHmac, type CipherGCMTypes } from 'node:crypto';
import { isVersion2 } from './quic-wire.js';
import { cipherSuiteSpec, expandLabel as expandLabelWith } from './tls-decrypt.js';

const expandLabel = (secret: Buffer, label: string, length: number): Buffer => expandLabelWith('sha256', secret, label, length);

/** The keys of one direction of one packet number space (Initial keys are AES-128-GCM's). */
export interface InitialKeys {
  key: Buffer;
  iv: Buffer;
  hp: Buffer;
  /** The AEAD (AES-128-GCM when unset). */
  aead?: 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305';
}

/** A TLS 1.3 traffic secret turned into a direction's packet keys (RFC 9001 5.1), with what a key update needs. */
export interface PacketKeys extends InitialKeys {
  secret: Buffer;
  hash: 'sha256' | 'sha384';
  labels: string;
}

/** The QUIC keys of the TLS 1.3 cipher suite `suite` from `secret`; null for a suite QUIC does not use or SynScope cannot. */
export function packetKeys(version: number, suite: number, secret: Buffer): PacketKeys | null {
  const spec = cipherSuiteSpec(suite);
  if (!spec || spec.kind !== 'aead' || (spec.hash !== 'sha256' && spec.hash !== 'sha384') || spec.cipher.endsWith('-ccm')) return null;
  const labels = isVersion2(version) ? 'quicv2 ' : 'quic ';
  const hash = spec.hash;
  return {
    key: expandLabelWith(hash, secret, `${labels}key`, spec.keyLength),
    iv: expandLabelWith(hash, secret, `${labels}iv`, 12),
    hp: expandLabelWith(hash, secret, `${labels}hp`, spec.keyLength),
    aead: spec.cipher as PacketKeys['aead'],
    secret, hash, labels,
  };
}

/** The next generation of 1-RTT keys after a key update (RFC 9001 6.1): new key and IV, the same header protection key. */
export function updatedKeys(k: PacketKeys): PacketKeys {
  const secret = expandLabelWith(k.hash, k.secret, `${k.labels}ku`, k.hash === 'sha384' ? 48 : 32);
  return { ...k, secret, key: expandLabelWith(k.hash, secret, `${k.labels}key`, k.key.length), iv: expandLabelWith(k.hash, secret, `${k.labels}iv`, 12) };
}

interface VersionSalt {
  salt: string;
  /** The HKDF label prefix of the packet protection keys: "quic " (v1, drafts) or "quicv2 " (v2). */
  labels: string;
}

const V1: VersionSalt = { salt: '38762cf7f55934b34d179ae6a4c80cadccbb7f0a', labels: 'quic ' };
const DRAFT_22: VersionSalt = { salt: '7fbcdb0e7c66bbe9193a96cd21519ebd7a02644a', labels: 'quic ' };
const DRAFT_23: VersionSalt = { salt: 'c3eef712c72ebb5a11a7d2432bb46365bef9f502', labels: 'quic ' };
const DRAFT_29: VersionSalt = { salt: 'afbfec289993d24c9e9786f19c6111e04390a899', labels: 'quic ' };
const V2: VersionSalt = { salt: '0dede3def700a6db819381be6e269dcbf9bd2ed9', labels: 'quicv2 ' };

/**
 * The Initial salt and key labels of a version: version 1's (also drafts 33 and 34), version
 * 2's, the older drafts' own, and draft-29's for any other version (as tshark 4.0 tries an
 * unknown one: an Initial of a version reserved for negotiation shows its packet number so).
 */
function saltOf(version: number): VersionSalt {
  if (version === 1 || version === 0xff000021 || version === 0xff000022) return V1;
  if (isVersion2(version)) return V2;
  if (version >>> 8 === 0xff0000) {
    const draft = version & 0xff;
    if (draft <= 22) return DRAFT_22;
    if (draft <= 28) return DRAFT_23;
  }
  return DRAFT_29;
}

/** Client and server Initial keys for a connection whose client first sent to `dcid`. */
export function initialKeys(version: number, dcid: Uint8Array): { client: InitialKeys; server: InitialKeys } {
  const v = saltOf(version);
  const initial = createHmac('sha256', Buffer.from(v.salt, 'hex')).update(dcid).digest();
  const keysOf = (secret: Buffer): InitialKeys => ({
    key: expandLabel(secret, `${v.labels}key`, 16),
    iv: expandLabel(secret, `${v.labels}iv`, 12),
    hp: expandLabel(secret, `${v.labels}hp`, 16),
  });
  return { client: keysOf(expandLabel(initial, 'client in', 32)), server: keysOf(expandLabel(initial, 'server in', 32)) };
}

/** The header protection mask for the 16-byte sample (RFC 9001 5.4.3, 5.4.4: AES-ECB of the sample, or ChaCha20 keyed by it). */
function headerMask(keys: InitialKeys, sample: Uint8Array): Buffer {
  if (keys.aead === 'chacha20-poly1305') {
    // The sample's first 4 bytes are the block counter (little-endian), the rest the nonce: Node's chacha20 IV is the same 16 bytes.
    return createCipheriv('chacha20', keys.hp, Buffer.from(sample)).update(Buffer.alloc(5));
  }
  const c = createCipheriv(keys.hp.length === 32 ? 'aes-256-ecb' : 'aes-128-ecb', keys.hp, null);
  c.setAutoPadding(false);
  return c.update(sample);
}

/** What header protection hid: the first byte's low bits and the truncated packet number. */
export interface Unprotected {
  firstByte: number;
  pnLength: number;
  truncatedPn: number;
}

/**
 * Removes header protection from the long-header packet `packet` whose packet number starts at
 * `pnOffset`; null when the packet is too short to hold the sample (RFC 9001 5.4.2).
 */
export function unprotectLongHeader(keys: InitialKeys, packet: Uint8Array, pnOffset: number): Unprotected | null {
  return unprotect(keys, packet, pnOffset, 0x0f);
}

/** The same for a short header (1-RTT) packet, whose first byte hides five bits (RFC 9001 5.4.1). */
export function unprotectShortHeader(keys: InitialKeys, packet: Uint8Array, pnOffset: number): Unprotected | null {
  return unprotect(keys, packet, pnOffset, 0x1f);
}

function unprotect(keys: InitialKeys, packet: Uint8Array, pnOffset: number, bits: number): Unprotected | null {
  if (packet.length < pnOffset + 4 + 16) return null;
  const mask = headerMask(keys, packet.subarray(pnOffset + 4, pnOffset + 20));
  const firstByte = packet[0]! ^ (mask[0]! & bits);
  const pnLength = (firstByte & 0x03) + 1;
  let pn = 0;
  for (let i = 0; i < pnLength; i++) pn = pn * 256 + (packet[pnOffset + i]! ^ mask[1 + i]!);
  return { firstByte, pnLength, truncatedPn: pn };
}

/**
 * The payload of the packet `packet` (header of `headerLength` bytes, the packet number in its
 * last pnLength bytes) decrypted with `keys` and the full packet number `pn`; null when the
 * authentication tag does not match (not this connection's keys, or a damaged packet).
 */
export function decryptPayload(keys: InitialKeys, packet: Uint8Array, headerLength: number, u: Unprotected, pn: number): Uint8Array | null {
  if (packet.length < headerLength + 16) return null;
  const header = Buffer.from(packet.subarray(0, headerLength));
  header[0] = u.firstByte;
  for (let i = 0; i < u.pnLength; i++) header[headerLength - 1 - i] = Math.floor(pn / 2 ** (8 * i)) & 0xff;
  const d = createDecipheriv((keys.aead ?? 'aes-128-gcm') as CipherGCMTypes, keys.key, packetNonce(keys.iv, pn), { authTagLength: 16 });
  d.setAAD(header);
  d.setAuthTag(packet.subarray(packet.length - 16));
  try {
    const out = Buffer.concat([d.update(packet.subarray(headerLength, packet.length - 16)), d.final()]);
    return new Uint8Array(out.buffer, out.byteOffset, out.length);
  } catch {
    return null;
  }
}

/** The AEAD nonce of packet `pn` (RFC 9001 5.3): the packet number, left-padded to the IV's 12 bytes, XORed into it (53 bits are plenty). */
export function packetNonce(iv: Buffer, pn: number): Buffer {
  const nonce = Buffer.from(iv);
  for (let i = 0; i < 7; i++) nonce[11 - i] = nonce[11 - i]! ^ (Math.floor(pn / 2 ** (8 * i)) & 0xff);
  return nonce;
}

/** RFC 9000 A.3: the full packet number closest to the one after `largest` that ends in `truncated`. */
export function decodePacketNumber(largest: number, truncated: number, pnLength: number): number {
  const expected = largest + 1;
  const win = 2 ** (pnLength * 8);
  const hwin = win / 2;
  const candidate = Math.floor(expected / win) * win + truncated;
  if (candidate <= expected - hwin && candidate < 2 ** 62 - win) return candidate + win;
  if (candidate > expected + hwin && candidate >= win) return candidate - win;
  return candidate;
}

/** The fixed key and nonce of the Retry Integrity Tag (RFC 9001 5.8, RFC 9369 3.3.3, draft-29). */
function retryKeys(version: number): { key: string; nonce: string } {
  if (isVersion2(version)) return { key: '8fb4b01b56ac48e260fbcbcead7ccc92', nonce: 'd86969bc2d7c6d9990efb04a' };
  if (version >>> 8 === 0xff0000 && (version & 0xff) <= 32) return { key: 'ccce187ed09a09d05728155a6cb96be1', nonce: 'e54930f97f2136f0530a8c1c' };
  return { key: 'be0c690b9f66575a1d766b54e368c84e', nonce: '461599d35d632bf2239825bb' };
}

/**
 * Whether the Retry packet `packet` (its tag in the last 16 bytes) answers the client Initial
 * sent to `odcid`: the tag is AES-128-GCM's over the Retry Pseudo-Packet, with nothing to encrypt.
 */
export function retryTagValid(version: number, odcid: Uint8Array, packet: Uint8Array): boolean {
  if (packet.length < 16) return false;
  const { key, nonce } = retryKeys(version);
  const c = createCipheriv('aes-128-gcm', Buffer.from(key, 'hex'), Buffer.from(nonce, 'hex'));
  c.setAAD(Buffer.concat([Buffer.of(odcid.length), odcid, packet.subarray(0, packet.length - 16)]));
  c.final();
  return c.getAuthTag().equals(packet.subarray(packet.length - 16));
}

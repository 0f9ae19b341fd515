// TLS record decryption with logged secrets (tls-keylog.ts), as tshark does it with
// tls.keylog_file: the keys of each direction derived from the session's secrets and cipher
// suite, then each record decrypted in turn with its sequence number.
//
// - TLS 1.3 (RFC 8446 5.2, 7.3): traffic secrets -> key and IV (HKDF-Expand-Label), AEAD over
//   the record with its header as additional data; the real content type is the plaintext's
//   last non-zero byte.
// - TLS 1.0-1.2 (RFC 5246 6.3, RFC 2246 6.3): the master secret -> key block (the version's
//   PRF); AEAD suites (AES-GCM, AES-CCM with its explicit nonce, ChaCha20-Poly1305 RFC 7905) and
//   CBC suites with HMAC (MAC-then-encrypt, or encrypt_then_mac RFC 7366).
// A record whose authentication fails is not this session's or is damaged: null, shown encrypted.
import { createDecipheriv, createHmac, type CipherGCMTypes, type CipherCCMTypes, type CipherChaCha20Poly1305Types } from 'node:crypto';

type Hash = 'sha256' | 'sha384' | 'sha1' | 'md5';

interface AeadSuite {
  kind: 'aead';
  cipher: CipherGCMTypes | CipherCCMTypes | CipherChaCha20Poly1305Types;
  keyLength: number;
  /** The implicit part of the nonce from the key block (TLS 1.2): 4, or 12 for ChaCha20. */
  fixedIvLength: number;
  /** The explicit nonce in front of each TLS 1.2 record: 8, 0 for ChaCha20. */
  explicitNonce: number;
  tagLength: number;
  /** The PRF's (1.2) or the key schedule's (1.3) hash. */
  hash: Hash;
}

interface CbcSuite {
  kind: 'cbc';
  cipher: 'aes-128-cbc' | 'aes-256-cbc' | 'des-ede3-cbc';
  keyLength: number;
  blockLength: number;
  mac: Hash;
  macLength: number;
  hash: Hash;
}

export type CipherSuiteSpec = AeadSuite | CbcSuite;

const gcm = (bits: 128 | 256, hash: Hash): AeadSuite => ({ kind: 'aead', cipher: `aes-${bits}-gcm`, keyLength: bits / 8, fixedIvLength: 4, explicitNonce: 8, tagLength: 16, hash });
const ccm = (bits: 128 | 256, tag: 8 | 16): AeadSuite => ({ kind: 'aead', cipher: `aes-${bits}-ccm`, keyLength: bits / 8, fixedIvLength: 4, explicitNonce: 8, tagLength: tag, hash: 'sha256' });
const CHACHA: AeadSuite = { kind: 'aead', cipher: 'chacha20-poly1305', keyLength: 32, fixedIvLength: 12, explicitNonce: 0, tagLength: 16, hash: 'sha256' };
const cbc = (bits: 128 | 256, mac: 'sha1' | 'sha256' | 'sha384'): CbcSuite => ({
  kind: 'cbc', cipher: `aes-${bits}-cbc`, keyLength: bits / 8, blockLength: 16, mac, macLength: MAC_LENGTH[mac], hash: mac === 'sha384' ? 'sha384' : 'sha256',
});
const MAC_LENGTH = { sha1: 20, sha256: 32, sha384: 48 } as const;
const DES3_SHA: CbcSuite = { kind: 'cbc', cipher: 'des-ede3-cbc', keyLength: 24, blockLength: 8, mac: 'sha1', macLength: 20, hash: 'sha256' };

/** The suites decrypted, by their number (IANA TLS Cipher Suites). */
const SUITES: ReadonlyMap<number, CipherSuiteSpec> = new Map<number, CipherSuiteSpec>([
  // TLS 1.3
  [0x1301, gcm(128, 'sha256')], [0x1302, gcm(256, 'sha384')], [0x1303, CHACHA], [0x1304, ccm(128, 16)], [0x1305, ccm(128, 8)],
  // AES-GCM: RSA, DHE_RSA, DHE_DSS, ECDHE_ECDSA, ECDHE_RSA, PSK
  [0x009c, gcm(128, 'sha256')], [0x009d, gcm(256, 'sha384')], [0x009e, gcm(128, 'sha256')], [0x009f, gcm(256, 'sha384')],
  [0x00a2, gcm(128, 'sha256')], [0x00a3, gcm(256, 'sha384')], [0x00a8, gcm(128, 'sha256')], [0x00a9, gcm(256, 'sha384')],
  [0xc02b, gcm(128, 'sha256')], [0xc02c, gcm(256, 'sha384')], [0xc02f, gcm(128, 'sha256')], [0xc030, gcm(256, 'sha384')],
  // AES-CCM (RFC 6655, 7251)
  [0xc09c, ccm(128, 16)], [0xc09d, ccm(256, 16)], [0xc09e, ccm(128, 16)], [0xc09f, ccm(256, 16)],
  [0xc0a0, ccm(128, 8)], [0xc0a1, ccm(256, 8)], [0xc0a2, ccm(128, 8)], [0xc0a3, ccm(256, 8)],
  [0xc0ac, ccm(128, 16)], [0xc0ad, ccm(256, 16)], [0xc0ae, ccm(128, 8)], [0xc0af, ccm(256, 8)],
  // ChaCha20-Poly1305 (RFC 7905)
  [0xcca8, CHACHA], [0xcca9, CHACHA], [0xccaa, CHACHA], [0xccab, CHACHA], [0xccac, CHACHA], [0xccad, CHACHA],
  // AES-CBC with HMAC-SHA1 / SHA256 / SHA384
  [0x002f, cbc(128, 'sha1')], [0x0033, cbc(128, 'sha1')], [0x0035, cbc(256, 'sha1')], [0x0039, cbc(256, 'sha1')],
  [0x003c, cbc(128, 'sha256')], [0x003d, cbc(256, 'sha256')], [0x0067, cbc(128, 'sha256')], [0x006b, cbc(256, 'sha256')],
  [0xc009, cbc(128, 'sha1')], [0xc00a, cbc(256, 'sha1')], [0xc013, cbc(128, 'sha1')], [0xc014, cbc(256, 'sha1')],
  [0xc023, cbc(128, 'sha256')], [0xc024, cbc(256, 'sha384')], [0xc027, cbc(128, 'sha256')], [0xc028, cbc(256, 'sha384')],
  [0x008c, cbc(128, 'sha1')], [0x008d, cbc(256, 'sha1')], [0x00ae, cbc(128, 'sha256')], [0x00af, cbc(256, 'sha384')],
  // 3DES
  [0x000a, DES3_SHA], [0x0016, DES3_SHA], [0xc012, DES3_SHA], [0xc008, DES3_SHA],
]);

/** How a suite is decrypted, or undefined for one that is not (export, NULL, RC4, CAMELLIA ... stay encrypted). */
export function cipherSuiteSpec(suite: number): CipherSuiteSpec | undefined {
  return SUITES.get(suite);
}

/** Records in a row a capture may have lost that decryption still finds its way past. */
const LOST_RECORDS = 3;

const HASH_LENGTH: Record<Hash, number> = { sha256: 32, sha384: 48, sha1: 20, md5: 16 };

/** HKDF-Expand-Label (RFC 8446 7.1) with an empty context, for outputs up to the hash's length. */
export function expandLabel(hash: 'sha256' | 'sha384', secret: Uint8Array, label: string, length: number): Buffer {
  const full = Buffer.from(`tls13 ${label}`, 'latin1');
  const info = Buffer.alloc(2 + 1 + full.length + 1);
  info.writeUInt16BE(length, 0);
  info[2] = full.length;
  full.copy(info, 3);
  // One block of HKDF-Expand: T(1) = HMAC(PRK, info | 0x01).
  return createHmac(hash, secret).update(info).update(Buffer.of(1)).digest().subarray(0, length);
}

/** P_hash (RFC 5246 5): HMAC chained until `length` bytes. */
function pHash(hash: Hash, secret: Uint8Array, seed: Buffer, length: number): Buffer {
  const out: Buffer[] = [];
  let a: Buffer = seed;
  let have = 0;
  while (have < length) {
    a = createHmac(hash, secret).update(a).digest();
    const block = createHmac(hash, secret).update(a).update(seed).digest();
    out.push(block);
    have += block.length;
  }
  return Buffer.concat(out).subarray(0, length);
}

/** The PRF of `version` (RFC 5246 5; TLS 1.0/1.1: MD5 xor SHA-1 over the secret's halves, RFC 2246 5). */
function prf(version: number, hash: Hash, secret: Uint8Array, label: string, seed: Buffer, length: number): Buffer {
  const full = Buffer.concat([Buffer.from(label, 'latin1'), seed]);
  if (version >= 0x0303) return pHash(hash, secret, full, length);
  const half = Math.ceil(secret.length / 2);
  const md5 = pHash('md5', secret.subarray(0, half), full, length);
  const sha = pHash('sha1', secret.subarray(secret.length - half), full, length);
  for (let i = 0; i < length; i++) md5[i] = md5[i]! ^ sha[i]!;
  return md5;
}

/** A decrypted record: its real content type and its plaintext. */
export interface Plaintext {
  type: number;
  data: Uint8Array;
}

/** One direction's record protection: decrypts that side's records in order. */
export class RecordDecoder {
  /** The record sequence number of the next record (RFC 5246 6.1, RFC 8446 5.3). */
  private seq = 0n;

  private constructor(
    private readonly spec: CipherSuiteSpec,
    private readonly version: number,
    private key: Buffer,
    private iv: Buffer,
    private readonly macKey: Buffer,
    private readonly encryptThenMac: boolean,
    /** TLS 1.3: the traffic secret, for KeyUpdate. */
    private secret: Buffer | null,
  ) {}

  /** A TLS 1.3 direction from its traffic secret; null for a suite not decrypted. */
  static tls13(suite: number, secret: Buffer): RecordDecoder | null {
    const spec = SUITES.get(suite);
    if (!spec || spec.kind !== 'aead' || (spec.hash !== 'sha256' && spec.hash !== 'sha384')) return null;
    const hash = spec.hash;
    return new RecordDecoder(spec, 0x0304, expandLabel(hash, secret, 'key', spec.keyLength), expandLabel(hash, secret, 'iv', 12), Buffer.alloc(0), false, secret);
  }

  /**
   * Both directions of a TLS 1.0-1.2 session from its master secret and the hellos' randoms;
   * null for a suite not decrypted.
   */
  static tls12(version: number, suite: number, master: Buffer, clientRandom: Uint8Array, serverRandom: Uint8Array, encryptThenMac: boolean): { client: RecordDecoder; server: RecordDecoder } | null {
    const spec = SUITES.get(suite);
    if (!spec || (spec.kind === 'aead' && version < 0x0303)) return null;
    const macLength = spec.kind === 'cbc' ? spec.macLength : 0;
    const ivLength = spec.kind === 'cbc' ? spec.blockLength : spec.fixedIvLength;
    const block = prf(version, spec.hash, master, 'key expansion', Buffer.concat([serverRandom, clientRandom]), 2 * (macLength + spec.keyLength + ivLength));
    let o = 0;
    const take = (n: number) => block.subarray(o, (o += n));
    const clientMac = take(macLength), serverMac = take(macLength);
    const clientKey = take(spec.keyLength), serverKey = take(spec.keyLength);
    const clientIv = take(ivLength), serverIv = take(ivLength);
    const etm = spec.kind === 'cbc' && encryptThenMac;
    return {
      client: new RecordDecoder(spec, version, clientKey, Buffer.from(clientIv), clientMac, etm, null),
      server: new RecordDecoder(spec, version, serverKey, Buffer.from(serverIv), serverMac, etm, null),
    };
  }

  /** TLS 1.3 KeyUpdate (RFC 8446 7.2): the next traffic secret's keys, the sequence number from 0. */
  update(): void {
    if (!this.secret || this.spec.kind !== 'aead') return;
    const hash = this.spec.hash as 'sha256' | 'sha384';
    this.secret = expandLabel(hash, this.secret, 'traffic upd', HASH_LENGTH[hash]);
    this.key = expandLabel(hash, this.secret, 'key', this.spec.keyLength);
    this.iv = expandLabel(hash, this.secret, 'iv', 12);
    this.seq = 0n;
  }

  /**
   * Decrypts the record of content type `type` and version `version` whose body is `body`;
   * null when it does not authenticate. Records the capture lost or damaged are passed over:
   * a record is tried with the next few sequence numbers (one the capture missed, TCP gave up
   * on), and one that authenticates with none leaves the count where it was (damaged bytes),
   * so the records after it still decrypt. (tshark stops decrypting that direction there.)
   * TLS 1.0's CBC chains its IV from record to record: no second try there.
   */
  decrypt(type: number, version: number, body: Uint8Array): Plaintext | null {
    const tries = this.spec.kind === 'cbc' && this.version < 0x0302 ? 1 : 1 + LOST_RECORDS;
    for (let k = 0; k < tries; k++) {
      const seq = this.seq + BigInt(k);
      let plain: Plaintext | null = null;
      try {
        if (this.version === 0x0304) plain = this.open13(seq, type, version, body);
        else plain = this.spec.kind === 'aead' ? this.openAead12(seq, type, version, body) : this.openCbc(seq, type, version, body);
      } catch {
        plain = null;
      }
      if (plain || tries === 1) {
        this.seq = seq + 1n;
        return plain;
      }
    }
    return null;
  }

  private nonceXor(seq: bigint): Buffer {
    const nonce = Buffer.from(this.iv);
    for (let i = 0; i < 8; i++) nonce[nonce.length - 1 - i] = nonce[nonce.length - 1 - i]! ^ Number((seq >> BigInt(8 * i)) & 0xffn);
    return nonce;
  }

  private aeadOpen(nonce: Buffer, aad: Buffer, ciphertext: Uint8Array, tag: Uint8Array): Buffer {
    const spec = this.spec as AeadSuite;
    const d = createDecipheriv(spec.cipher as CipherGCMTypes, this.key, nonce, { authTagLength: spec.tagLength });
    if (spec.cipher.endsWith('-ccm')) (d as unknown as { setAAD(b: Buffer, o: { plaintextLength: number }): void }).setAAD(aad, { plaintextLength: ciphertext.length });
    else d.setAAD(aad);
    d.setAuthTag(tag);
    return Buffer.concat([d.update(ciphertext), d.final()]);
  }

  private open13(seq: bigint, type: number, version: number, body: Uint8Array): Plaintext | null {
    const spec = this.spec as AeadSuite;
    if (body.length < spec.tagLength + 1) return null;
    const aad = Buffer.of(type, version >> 8, version & 0xff, body.length >> 8, body.length & 0xff);
    const plain = this.aeadOpen(this.nonceXor(seq), aad, body.subarray(0, body.length - spec.tagLength), body.subarray(body.length - spec.tagLength));
    // TLSInnerPlaintext: content, the real type, zero padding (RFC 8446 5.2).
    let end = plain.length;
    while (end > 0 && plain[end - 1] === 0) end--;
    if (end === 0) return null;
    return { type: plain[end - 1]!, data: new Uint8Array(plain.buffer, plain.byteOffset, end - 1) };
  }

  /** The additional data of a TLS 1.2 record (RFC 5246 6.2.3.3) and the MAC's header. */
  private static header12(seq: bigint, type: number, version: number, length: number): Buffer {
    const h = Buffer.alloc(13);
    h.writeBigUInt64BE(seq, 0);
    h[8] = type;
    h.writeUInt16BE(version, 9);
    h.writeUInt16BE(length, 11);
    return h;
  }

  private openAead12(seq: bigint, type: number, version: number, body: Uint8Array): Plaintext | null {
    const spec = this.spec as AeadSuite;
    const plainLength = body.length - spec.explicitNonce - spec.tagLength;
    if (plainLength < 0) return null;
    const nonce = spec.explicitNonce ? Buffer.concat([this.iv, body.subarray(0, spec.explicitNonce)]) : this.nonceXor(seq);
    const plain = this.aeadOpen(nonce, RecordDecoder.header12(seq, type, version, plainLength), body.subarray(spec.explicitNonce, spec.explicitNonce + plainLength), body.subarray(body.length - spec.tagLength));
    return { type, data: new Uint8Array(plain.buffer, plain.byteOffset, plain.length) };
  }

  private openCbc(seq: bigint, type: number, version: number, body: Uint8Array): Plaintext | null {
    const spec = this.spec as CbcSuite;
    const mac = (header: Buffer, content: Uint8Array) => createHmac(spec.mac, this.macKey).update(header).update(content).digest();
    let ciphertext = body;
    if (this.encryptThenMac) {
      // RFC 7366: the MAC covers the IV and the ciphertext, and follows them.
      if (body.length < spec.macLength + spec.blockLength) return null;
      ciphertext = body.subarray(0, body.length - spec.macLength);
      const expected = mac(RecordDecoder.header12(seq, type, version, ciphertext.length), ciphertext);
      if (!expected.equals(body.subarray(ciphertext.length))) return null;
    }
    // TLS 1.1 and later: each record starts with its IV; TLS 1.0 chains the last record's last block.
    const explicitIv = version >= 0x0302;
    const iv = explicitIv ? ciphertext.subarray(0, spec.blockLength) : this.iv;
    const data = explicitIv ? ciphertext.subarray(spec.blockLength) : ciphertext;
    if (data.length === 0 || data.length % spec.blockLength !== 0) return null;
    const d = createDecipheriv(spec.cipher, this.key, iv);
    d.setAutoPadding(false);
    const plain = Buffer.concat([d.update(data), d.final()]);
    if (!explicitIv) this.iv = Buffer.from(data.subarray(data.length - spec.blockLength));
    const padding = plain[plain.length - 1]! + 1;
    const withMac = plain.length - padding;
    if (withMac < (this.encryptThenMac ? 0 : spec.macLength)) return null;
    if (this.encryptThenMac) return { type, data: new Uint8Array(plain.buffer, plain.byteOffset, withMac) };
    const contentLength = withMac - spec.macLength;
    const content = plain.subarray(0, contentLength);
    if (!mac(RecordDecoder.header12(seq, type, version, contentLength), content).equals(plain.subarray(contentLength, withMac))) return null;
    return { type, data: new Uint8Array(plain.buffer, plain.byteOffset, contentLength) };
  }
}

// The bodies of TLS hello extensions (RFC 8446 4.2, RFC 6066, RFC 7301 ...) as tshark 4.0's
// packet-tls-utils.c shows them: SNI, supported groups, EC point formats, signature
// algorithms, ALPN, supported versions, key share, status request, renegotiation info,
// heartbeat, padding, record size limit. Part of tls.ts (which defines the extension item and
// calls dissectExtensionBody), kept apart because it is mostly tables and one case per type.
import { defineFields } from '../field.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';

/** TLS versions by their wire value (also the record and hello versions). */
export const TLS_VERSIONS: Record<number, string> = {
  0x0002: 'SSL 2.0', 0x0300: 'SSL 3.0', 0x0301: 'TLS 1.0', 0x0302: 'TLS 1.1', 0x0303: 'TLS 1.2', 0x0304: 'TLS 1.3',
  0xfeff: 'DTLS 1.0', 0xfefd: 'DTLS 1.2',
};

/** Named groups (RFC 8422, RFC 7919, RFC 8446) as tshark names them. */
export const GROUPS: Record<number, string> = {
  1: 'sect163k1', 2: 'sect163r1', 3: 'sect163r2', 4: 'sect193r1', 5: 'sect193r2', 6: 'sect233k1', 7: 'sect233r1', 8: 'sect239k1',
  9: 'sect283k1', 10: 'sect283r1', 11: 'sect409k1', 12: 'sect409r1', 13: 'sect571k1', 14: 'sect571r1', 15: 'secp160k1',
  16: 'secp160r1', 17: 'secp160r2', 18: 'secp192k1', 19: 'secp192r1', 20: 'secp224k1', 21: 'secp224r1', 22: 'secp256k1',
  23: 'secp256r1', 24: 'secp384r1', 25: 'secp521r1', 26: 'brainpoolP256r1', 27: 'brainpoolP384r1', 28: 'brainpoolP512r1',
  29: 'x25519', 30: 'x448', 256: 'ffdhe2048', 257: 'ffdhe3072', 258: 'ffdhe4096', 259: 'ffdhe6144', 260: 'ffdhe8192',
  0xff01: 'arbitrary_explicit_prime_curves', 0xff02: 'arbitrary_explicit_char2_curves',
};
for (let i = 0; i < 16; i++) GROUPS[(i << 12) | 0x0a0a | (i << 4)] = 'Reserved (GREASE)';

const POINT_FORMATS: Record<number, string> = { 0: 'uncompressed', 1: 'ansiX962_compressed_prime', 2: 'ansiX962_compressed_char2' };

/** Signature schemes (RFC 8446 4.2.3), and TLS 1.2's hash/signature pairs tshark names by their parts. */
const SIGNATURE_SCHEMES: Record<number, string> = {
  0x0101: 'MD5 RSA', 0x0102: 'MD5 DSA', 0x0103: 'MD5 ECDSA', 0x0201: 'rsa_pkcs1_sha1', 0x0202: 'SHA1 DSA', 0x0203: 'ecdsa_sha1',
  0x0301: 'SHA224 RSA', 0x0302: 'SHA224 DSA', 0x0303: 'SHA224 ECDSA', 0x0401: 'rsa_pkcs1_sha256', 0x0402: 'SHA256 DSA',
  0x0403: 'ecdsa_secp256r1_sha256', 0x0501: 'rsa_pkcs1_sha384', 0x0502: 'SHA384 DSA', 0x0503: 'ecdsa_secp384r1_sha384',
  0x0601: 'rsa_pkcs1_sha512', 0x0602: 'SHA512 DSA', 0x0603: 'ecdsa_secp521r1_sha512', 0x0804: 'rsa_pss_rsae_sha256',
  0x0805: 'rsa_pss_rsae_sha384', 0x0806: 'rsa_pss_rsae_sha512', 0x0807: 'ed25519', 0x0808: 'ed448', 0x0809: 'rsa_pss_pss_sha256',
  0x080a: 'rsa_pss_pss_sha384', 0x080b: 'rsa_pss_pss_sha512',
};
const SIG_HASHES: Record<number, string> = { 0: 'None', 1: 'MD5', 2: 'SHA1', 3: 'SHA224', 4: 'SHA256', 5: 'SHA384', 6: 'SHA512' };
const SIG_ALGORITHMS: Record<number, string> = { 0: 'Anonymous', 1: 'RSA', 2: 'DSA', 3: 'ECDSA', 4: 'SM2' };

export const tlsExtensionFields = defineFields([
  { name: 'tls.handshake.extensions_server_name_list_len', label: 'Server Name list length', type: 'uint16', base: 'dec' },
  { name: 'tls.handshake.extensions_server_name_type', label: 'Server Name Type', type: 'uint8', base: 'dec', values: { 0: 'host_name' } },
  { name: 'tls.handshake.extensions_server_name_len', label: 'Server Name length', type: 'uint16', base: 'dec' },
  { name: 'tls.handshake.extensions_server_name', label: 'Server Name', type: 'string' },
  { name: 'tls.handshake.extensions_supported_groups_length', label: 'Supported Groups List Length', type: 'uint16', base: 'dec' },
  { name: 'tls.handshake.extensions_supported_groups', label: 'Supported Groups List', type: 'none' },
  { name: 'tls.handshake.extensions_supported_group', label: 'Supported Group', type: 'uint16', base: 'hex', values: GROUPS },
  { name: 'tls.handshake.extensions_ec_point_formats_length', label: 'EC point formats Length', type: 'uint8', base: 'dec' },
  { name: 'tls.handshake.extensions_ec_point_formats', label: 'EC point formats', type: 'none' },
  { name: 'tls.handshake.extensions_ec_point_format', label: 'EC point format', type: 'uint8', base: 'dec', values: POINT_FORMATS },
  { name: 'tls.handshake.sig_hash_alg_len', label: 'Signature Hash Algorithms Length', type: 'uint16', base: 'dec' },
  { name: 'tls.handshake.sig_hash_algs', label: 'Signature Algorithms', type: 'none' },
  { name: 'tls.handshake.sig_hash_alg', label: 'Signature Algorithm', type: 'uint16', base: 'hex', values: SIGNATURE_SCHEMES },
  { name: 'tls.handshake.sig_hash_hash', label: 'Signature Hash Algorithm Hash', type: 'uint8', base: 'dec', values: SIG_HASHES },
  { name: 'tls.handshake.sig_hash_sig', label: 'Signature Hash Algorithm Signature', type: 'uint8', base: 'dec', values: SIG_ALGORITHMS },
  { name: 'tls.handshake.extensions_alpn_len', label: 'ALPN Extension Length', type: 'uint16', base: 'dec' },
  { name: 'tls.handshake.extensions_alpn_list', label: 'ALPN Protocol', type: 'none' },
  { name: 'tls.handshake.extensions_alpn_str_len', label: 'ALPN string length', type: 'uint8', base: 'dec' },
  { name: 'tls.handshake.extensions_alpn_str', label: 'ALPN Next Protocol', type: 'string' },
  { name: 'tls.handshake.extensions_npn_str_len', label: 'Protocol string length', type: 'uint8', base: 'dec' },
  { name: 'tls.handshake.extensions_npn', label: 'Next Protocol', type: 'string' },
  { name: 'tls.handshake.extensions.supported_versions_len', label: 'Supported Versions length', type: 'uint8', base: 'dec' },
  { name: 'tls.handshake.extensions.supported_version', label: 'Supported Version', type: 'uint16', base: 'hex', values: TLS_VERSIONS },
  { name: 'tls.handshake.extensions_key_share_client_length', label: 'Client Key Share Length', type: 'uint16', base: 'dec' },
  { name: 'tls.handshake.extensions_key_share_group', label: 'Group', type: 'uint16', base: 'dec', values: GROUPS },
  { name: 'tls.handshake.extensions_key_share_key_exchange_length', label: 'Key Exchange Length', type: 'uint16', base: 'dec' },
  { name: 'tls.handshake.extensions_key_share_key_exchange', label: 'Key Exchange', type: 'bytes' },
  { name: 'tls.handshake.extensions_key_share_selected_group', label: 'Selected Group', type: 'uint16', base: 'dec', values: GROUPS },
  { name: 'tls.handshake.extensions_status_request_type', label: 'Certificate Status Type', type: 'uint8', base: 'dec', values: { 1: 'OCSP', 2: 'OCSP Multi' } },
  { name: 'tls.handshake.extensions_status_request_responder_ids_len', label: 'Responder ID list Length', type: 'uint16', base: 'dec' },
  { name: 'tls.handshake.extensions_status_request_exts_len', label: 'Request Extensions Length', type: 'uint16', base: 'dec' },
  { name: 'tls.handshake.extensions_reneg_info_len', label: 'Renegotiation info extension length', type: 'uint8', base: 'dec' },
  { name: 'tls.handshake.extensions_reneg_info', label: 'Renegotiation info', type: 'bytes' },
  { name: 'tls.handshake.extension.heartbeat.mode', label: 'Mode', type: 'uint8', base: 'dec', values: { 1: 'Peer allowed to send requests', 2: 'Peer not allowed to send requests' } },
  { name: 'tls.handshake.extensions_padding_data', label: 'Padding Data', type: 'bytes' },
  { name: 'tls.record_size_limit', label: 'Record Size Limit', type: 'uint16', base: 'dec' },
  { name: 'tls.handshake.extension.data', label: 'Data', type: 'bytes' },
  // Certificate Transparency (RFC 6962 3.3), in an X.509 extension or the TLS extension.
  { name: 'tls.sct.scts_length', label: 'Serialized SCT List Length', type: 'uint16', base: 'dec' },
  { name: 'tls.sct.sct_length', label: 'Serialized SCT Length', type: 'uint16', base: 'dec' },
  { name: 'tls.sct.sct_version', label: 'SCT Version', type: 'uint8', base: 'dec' },
  { name: 'tls.sct.sct_logid', label: 'Log ID', type: 'bytes' },
  { name: 'tls.sct.sct_timestamp', label: 'Timestamp', type: 'abstime', clock: 'utc' },
  { name: 'tls.sct.sct_extensions_length', label: 'Extensions length', type: 'uint16', base: 'dec' },
  { name: 'tls.sct.sct_extensions', label: 'Extensions', type: 'none' },
  { name: 'tls.sct.sct_signature_length', label: 'Signature Length', type: 'uint16', base: 'dec' },
  { name: 'tls.sct.sct_signature', label: 'Signature', type: 'bytes' },
] as const);
const F = tlsExtensionFields;

/** What a hello's extensions tell the rest of TLS. */
export interface HelloFacts {
  /** The version a Server Hello's supported_versions chose (0: none). */
  version: number;
  /** Protocols ALPN offered (Client Hello) or chose (Server Hello). */
  alpn: string[];
  /** Supported groups and EC point formats, for JA3. */
  groups: number[];
  pointFormats: number[];
  /** A Client Hello's SessionTicket extension held a ticket (one to resume by). */
  ticket?: boolean;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * The body of one extension (type `et`, `el` bytes at `d`) under its item `ext`, in a Client
 * Hello (`client`) or a Server Hello.
 */
export function dissectExtensionBody(tvb: Tvb, ctx: PacketContext, ext: FieldNode, et: number, d: number, el: number, client: boolean, facts: HelloFacts): void {
  const end = d + el;
  switch (et) {
    case 0: { // server_name
      if (el < 2) return;
      const sni = ctx.addText(ext, tvb, d, el, 'Server Name Indication extension');
      const listLen = tvb.u16(d);
      ctx.add(sni, F['tls.handshake.extensions_server_name_list_len'], tvb, d, 2, listLen);
      for (let r = d + 2; r + 3 <= Math.min(end, d + 2 + listLen); ) {
        const nl = tvb.u16(r + 1);
        ctx.add(sni, F['tls.handshake.extensions_server_name_type'], tvb, r, 1, tvb.u8(r));
        ctx.add(sni, F['tls.handshake.extensions_server_name_len'], tvb, r + 1, 2, nl);
        ctx.add(sni, F['tls.handshake.extensions_server_name'], tvb, r + 3, nl, tvb.ascii(r + 3, nl));
        r += 3 + nl;
      }
      return;
    }
    case 10: // supported_groups
      facts.groups.push(...lengthAndList(tvb, ctx, ext, d, 2, 'tls.handshake.extensions_supported_groups', (n) => `Supported Groups (${plural(n, 'group', 'groups')})`));
      return;
    case 11: // ec_point_formats
      facts.pointFormats.push(...lengthAndList(tvb, ctx, ext, d, 1, 'tls.handshake.extensions_ec_point_formats', (n) => `Elliptic curves point formats (${n})`));
      return;
    case 13: { // signature_algorithms
      addSignatureAlgorithmList(tvb, ctx, ext, d);
      return;
    }
    case 16: { // application_layer_protocol_negotiation
      const n = tvb.u16(d);
      ctx.add(ext, F['tls.handshake.extensions_alpn_len'], tvb, d, 2, n);
      const list = ctx.add(ext, F['tls.handshake.extensions_alpn_list'], tvb, d + 2, n, null, 'ALPN Protocol');
      for (let r = d + 2; r < Math.min(end, d + 2 + n); ) {
        const sl = tvb.u8(r);
        const name = tvb.ascii(r + 1, sl);
        facts.alpn.push(name);
        ctx.add(list, F['tls.handshake.extensions_alpn_str_len'], tvb, r, 1, sl);
        ctx.add(list, F['tls.handshake.extensions_alpn_str'], tvb, r + 1, sl, name);
        r += 1 + sl;
      }
      return;
    }
    case 13172: { // next_protocol_negotiation: the server's list (the client's is empty)
      if (el === 0) return;
      const npn = ctx.addText(ext, tvb, d, el, 'Next Protocol Negotiation');
      for (let r = d; r < end; ) {
        const sl = tvb.u8(r);
        ctx.add(npn, F['tls.handshake.extensions_npn_str_len'], tvb, r, 1, sl);
        ctx.add(npn, F['tls.handshake.extensions_npn'], tvb, r + 1, sl, tvb.ascii(r + 1, sl));
        r += 1 + sl;
      }
      return;
    }
    case 43: // supported_versions
      if (client) {
        const vl = tvb.u8(d);
        ctx.add(ext, F['tls.handshake.extensions.supported_versions_len'], tvb, d, 1, vl);
        for (let i = 0; i + 2 <= vl; i += 2) ctx.add(ext, F['tls.handshake.extensions.supported_version'], tvb, d + 1 + i, 2, tvb.u16(d + 1 + i));
      } else if (el >= 2) {
        facts.version = tvb.u16(d);
        ctx.add(ext, F['tls.handshake.extensions.supported_version'], tvb, d, 2, facts.version);
      }
      return;
    case 51: { // key_share
      const ks = ctx.addText(ext, tvb, d, el, 'Key Share extension');
      let r = d;
      if (client) {
        ctx.add(ks, F['tls.handshake.extensions_key_share_client_length'], tvb, d, 2, tvb.u16(d));
        r += 2;
      } else if (el === 2) {
        ctx.add(ks, F['tls.handshake.extensions_key_share_selected_group'], tvb, d, 2, tvb.u16(d));
        return;
      }
      while (r + 4 <= end) {
        const g = tvb.u16(r), kl = tvb.u16(r + 2);
        const entry = ctx.addText(ks, tvb, r, 4 + kl, `Key Share Entry: Group: ${GROUPS[g] ?? `Unknown (${g})`}, Key Exchange length: ${kl}`);
        ctx.add(entry, F['tls.handshake.extensions_key_share_group'], tvb, r, 2, g);
        ctx.add(entry, F['tls.handshake.extensions_key_share_key_exchange_length'], tvb, r + 2, 2, kl);
        ctx.add(entry, F['tls.handshake.extensions_key_share_key_exchange'], tvb, r + 4, kl, tvb.slice(r + 4, kl));
        r += 4 + kl;
      }
      return;
    }
    case 5: // status_request
      if (el < 5) break;
      ctx.add(ext, F['tls.handshake.extensions_status_request_type'], tvb, d, 1, tvb.u8(d));
      ctx.add(ext, F['tls.handshake.extensions_status_request_responder_ids_len'], tvb, d + 1, 2, tvb.u16(d + 1));
      ctx.add(ext, F['tls.handshake.extensions_status_request_exts_len'], tvb, d + 3 + tvb.u16(d + 1), 2, tvb.u16(d + 3 + tvb.u16(d + 1)));
      return;
    case 65281: { // renegotiation_info
      const ri = ctx.addText(ext, tvb, d, el, 'Renegotiation Info extension');
      const n = tvb.u8(d);
      ctx.add(ri, F['tls.handshake.extensions_reneg_info_len'], tvb, d, 1, n);
      if (n > 0) ctx.add(ri, F['tls.handshake.extensions_reneg_info'], tvb, d + 1, n, tvb.slice(d + 1, n));
      return;
    }
    case 15: // heartbeat
      if (el >= 1) ctx.add(ext, F['tls.handshake.extension.heartbeat.mode'], tvb, d, 1, tvb.u8(d));
      return;
    case 21: // padding
      if (el > 0) ctx.add(ext, F['tls.handshake.extensions_padding_data'], tvb, d, el, tvb.slice(d, el));
      return;
    case 28: // record_size_limit
      if (el >= 2) ctx.add(ext, F['tls.record_size_limit'], tvb, d, 2, tvb.u16(d));
      return;
    case 35: // session_ticket: the opaque ticket, by its size alone
      if (client && el > 0) facts.ticket = true;
      ctx.addText(ext, tvb, d, el, `Data (${el} bytes)`);
      return;
    case 30032: // channel_id: tshark expects data even when there is none
      if (el === 0) {
        ctx.addText(ext, tvb, d, 0, 'Data: <MISSING>');
        return;
      }
      break;
    case 23: case 18: case 22: case 49: // no body to show
      if (el === 0) return;
      break;
  }
  if (el > 0) ctx.add(ext, F['tls.handshake.extension.data'], tvb, d, el, tvb.slice(d, el));
}

/** The list extensions whose items are plain numbers: the field of the list, of its length, of an item. */
const LISTS = {
  'tls.handshake.extensions_supported_groups': ['tls.handshake.extensions_supported_groups_length', 'tls.handshake.extensions_supported_group'],
  'tls.handshake.extensions_ec_point_formats': ['tls.handshake.extensions_ec_point_formats_length', 'tls.handshake.extensions_ec_point_format'],
} as const;

/**
 * A list's length (as wide as each item: 2 bytes for groups, 1 for point formats), then the
 * list as a subtree of its items; returns the items.
 */
function lengthAndList(tvb: Tvb, ctx: PacketContext, ext: FieldNode, d: number, width: 1 | 2, list: keyof typeof LISTS, label: (count: number) => string): number[] {
  const [lengthField, itemField] = LISTS[list];
  const n = width === 2 ? tvb.u16(d) : tvb.u8(d);
  ctx.add(ext, F[lengthField], tvb, d, width, n);
  const node = ctx.add(ext, F[list], tvb, d + width, n, null, label(n / width));
  const items: number[] = [];
  for (let i = 0; i + width <= n; i += width) {
    const o = d + width + i, v = width === 2 ? tvb.u16(o) : tvb.u8(o);
    items.push(v);
    ctx.add(node, F[itemField], tvb, o, width, v);
  }
  return items;
}

/**
 * A length-prefixed list of signature algorithms at `d` (the signature_algorithms extension, a
 * Certificate Request's supported_signature_algorithms: tshark's ssl_dissect_hash_alg_list for
 * both). Returns the bytes it took.
 */
export function addSignatureAlgorithmList(tvb: Tvb, ctx: PacketContext, parent: FieldNode, d: number): number {
  const n = tvb.u16(d);
  ctx.add(parent, F['tls.handshake.sig_hash_alg_len'], tvb, d, 2, n);
  const list = ctx.add(parent, F['tls.handshake.sig_hash_algs'], tvb, d + 2, n, null, `Signature Hash Algorithms (${plural(n >> 1, 'algorithm', 'algorithms')})`);
  for (let i = 0; i + 2 <= n; i += 2) addSignatureAlgorithm(tvb, ctx, list, d + 2 + i);
  return 2 + n;
}

/** A SignatureAndHashAlgorithm (RFC 5246 7.4.1.4.1) at `o`, with its hash and signature parts below it. */
export function addSignatureAlgorithm(tvb: Tvb, ctx: PacketContext, parent: FieldNode, o: number): void {
  const alg = tvb.u16(o);
  const a = ctx.add(parent, F['tls.handshake.sig_hash_alg'], tvb, o, 2, alg);
  ctx.add(a, F['tls.handshake.sig_hash_hash'], tvb, o, 1, alg >> 8);
  ctx.add(a, F['tls.handshake.sig_hash_sig'], tvb, o + 1, 1, alg & 0xff);
}

/**
 * A SignedCertificateTimestampList (RFC 6962 3.3) filling `tvb` — an X.509 extension's value
 * hands it here — as tshark's tls_dissect_sct_list shows it: the list's length, then a
 * "Signed Certificate Timestamp (Unknown Log)" item per SCT (tshark names the logs it knows;
 * SynScope knows none).
 */
export function dissectSctList(tvb: Tvb, ctx: PacketContext, parent: FieldNode): void {
  const listLen = tvb.u16(0);
  ctx.add(parent, F['tls.sct.scts_length'], tvb, 0, 2, listLen);
  const end = Math.min(2 + listLen, tvb.length);
  for (let o = 2; o + 2 <= end; ) {
    const n = tvb.u16(o);
    const sct = ctx.addText(parent, tvb, o, 2 + n, 'Signed Certificate Timestamp (Unknown Log)');
    ctx.add(sct, F['tls.sct.sct_length'], tvb, o, 2, n);
    let p = o + 2;
    ctx.add(sct, F['tls.sct.sct_version'], tvb, p, 1, tvb.u8(p));
    ctx.add(sct, F['tls.sct.sct_logid'], tvb, p + 1, 32, tvb.slice(p + 1, 32));
    // Milliseconds since the epoch (RFC 6962 3.2).
    const ms = tvb.u64(p + 33);
    ctx.add(sct, F['tls.sct.sct_timestamp'], tvb, p + 33, 8, { sec: Number(ms / 1000n), nsec: Number(ms % 1000n) * 1_000_000 });
    p += 41;
    const extLen = tvb.u16(p);
    ctx.add(sct, F['tls.sct.sct_extensions_length'], tvb, p, 2, extLen);
    if (extLen > 0) ctx.add(sct, F['tls.sct.sct_extensions'], tvb, p + 2, extLen, null);
    p += 2 + extLen;
    addSignatureAlgorithm(tvb, ctx, sct, p);
    const sigLen = tvb.u16(p + 2);
    ctx.add(sct, F['tls.sct.sct_signature_length'], tvb, p + 2, 2, sigLen);
    ctx.add(sct, F['tls.sct.sct_signature'], tvb, p + 4, sigLen, tvb.slice(p + 4, sigLen));
    o += 2 + n;
  }
}

/** A GREASE value (RFC 8701: 0x0a0a, 0x1a1a, ...), which JA3 leaves out. */
export function isGrease(v: number): boolean {
  return (v & 0x0f0f) === 0x0a0a && (v >> 8) === (v & 0xff);
}

// The bodies of TLS hello extensions (RFC 8446 4.2, RFC 6066, RFC 7301 ...) as tshark 4.0's
// packet-tls-utils.c shows them: SNI, supported groups, EC point formats, signature
// algorithms, ALPN, supported versions, key share, status request, renegotiation info,
// heartbeat, padding, record size limit. Part of tls.ts (which defines the extension item and
// calls dissectExtensionBody), kept apart because it is mostly tables and one case per type.
import { defineFields } from '../field.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dissectQuicTransportParameters } from './tls-quic-parameters.js';

/** TLS versions by their wire value (also the record and hello versions), as tshark 4.0 names them. */
export const TLS_VERSIONS: Record<number, string> = {
  0x0002: 'SSL 2.0', 0x0100: 'DTLS 1.0 (OpenSSL pre 0.9.8f)', 0x0101: 'GMTLS', 0x0300: 'SSL 3.0', 0x0301: 'TLS 1.0',
  0x0302: 'TLS 1.1', 0x0303: 'TLS 1.2', 0x0304: 'TLS 1.3', 0x0a0a: 'Reserved (GREASE)', 0x1a1a: 'Reserved (GREASE)',
  0x2a2a: 'Reserved (GREASE)', 0x3a3a: 'Reserved (GREASE)', 0x4a4a: 'Reserved (GREASE)', 0x5a5a: 'Reserved (GREASE)',
  0x6a6a: 'Reserved (GREASE)', 0x7a7a: 'Reserved (GREASE)', 0x7f0e: 'TLS 1.3 (draft 14)',
  0x7f0f: 'TLS 1.3 (draft 15)', 0x7f10: 'TLS 1.3 (draft 16)', 0x7f11: 'TLS 1.3 (draft 17)',
  0x7f12: 'TLS 1.3 (draft 18)', 0x7f13: 'TLS 1.3 (draft 19)', 0x7f14: 'TLS 1.3 (draft 20)',
  0x7f15: 'TLS 1.3 (draft 21)', 0x7f16: 'TLS 1.3 (draft 22)', 0x7f17: 'TLS 1.3 (draft 23)',
  0x7f18: 'TLS 1.3 (draft 24)', 0x7f19: 'TLS 1.3 (draft 25)', 0x7f1a: 'TLS 1.3 (draft 26)',
  0x7f1b: 'TLS 1.3 (draft 27)', 0x7f1c: 'TLS 1.3 (draft 28)', 0x8a8a: 'Reserved (GREASE)',
  0x9a9a: 'Reserved (GREASE)', 0xaaaa: 'Reserved (GREASE)', 0xbaba: 'Reserved (GREASE)', 0xcaca: 'Reserved (GREASE)',
  0xdada: 'Reserved (GREASE)', 0xeaea: 'Reserved (GREASE)', 0xfafa: 'Reserved (GREASE)',
  0xfb17: 'TLS 1.3 (Facebook draft 23)', 0xfb1a: 'TLS 1.3 (Facebook draft 26)', 0xfefd: 'DTLS 1.2',
  0xfeff: 'DTLS 1.0',
};

/** Named groups (RFC 8422, RFC 7919, RFC 8446, drafts and GREASE) as tshark 4.0 names them. */
export const GROUPS: Record<number, string> = {
  0x0001: 'sect163k1', 0x0002: 'sect163r1', 0x0003: 'sect163r2', 0x0004: 'sect193r1', 0x0005: 'sect193r2',
  0x0006: 'sect233k1', 0x0007: 'sect233r1', 0x0008: 'sect239k1', 0x0009: 'sect283k1', 0x000a: 'sect283r1',
  0x000b: 'sect409k1', 0x000c: 'sect409r1', 0x000d: 'sect571k1', 0x000e: 'sect571r1', 0x000f: 'secp160k1',
  0x0010: 'secp160r1', 0x0011: 'secp160r2', 0x0012: 'secp192k1', 0x0013: 'secp192r1', 0x0014: 'secp224k1',
  0x0015: 'secp224r1', 0x0016: 'secp256k1', 0x0017: 'secp256r1', 0x0018: 'secp384r1', 0x0019: 'secp521r1',
  0x001a: 'brainpoolP256r1', 0x001b: 'brainpoolP384r1', 0x001c: 'brainpoolP512r1', 0x001d: 'x25519', 0x001e: 'x448',
  0x0029: 'curveSM2', 0x0100: 'ffdhe2048', 0x0101: 'ffdhe3072', 0x0102: 'ffdhe4096', 0x0103: 'ffdhe6144',
  0x0104: 'ffdhe8192', 0x0200: 'frodo640aes', 0x0201: 'frodo640shake', 0x0202: 'frodo976aes',
  0x0203: 'frodo976shake', 0x0204: 'frodo1344aes', 0x0205: 'frodo1344shake', 0x0214: 'ntru_hps2048509',
  0x0215: 'ntru_hps2048677', 0x0216: 'ntru_hps4096821', 0x0217: 'ntru_hrss701', 0x0218: 'lightsaber',
  0x0219: 'saber', 0x021a: 'firesaber', 0x021b: 'sidhp434', 0x021c: 'sidhp503', 0x021d: 'sidhp610',
  0x021e: 'sidhp751', 0x021f: 'sikep434', 0x0220: 'sikep503', 0x0221: 'sikep610', 0x0222: 'sikep751',
  0x022c: 'hqc128', 0x022d: 'hqc192', 0x022e: 'hqc256', 0x022f: 'ntrulpr653', 0x0230: 'ntrulpr761',
  0x0231: 'ntrulpr857', 0x0232: 'sntrup653', 0x0233: 'sntrup761', 0x0234: 'sntrup857', 0x0238: 'bikel1',
  0x023a: 'kyber512', 0x023b: 'bikel3', 0x023c: 'kyber768', 0x023d: 'kyber1024', 0x023e: 'kyber90s512',
  0x023f: 'kyber90s768', 0x0240: 'kyber90s1024', 0x0241: 'ntrulpr1277', 0x0242: 'sntrup1277',
  0x0245: 'ntru_hps40961229', 0x0246: 'ntru_hrss1373', 0x0a0a: 'Reserved (GREASE)', 0x1a1a: 'Reserved (GREASE)',
  0x2a2a: 'Reserved (GREASE)', 0x2f00: 'p256_frodo640aes', 0x2f01: 'p256_frodo640shake', 0x2f02: 'p384_frodo976aes',
  0x2f03: 'p384_frodo976shake', 0x2f04: 'p521_frodo1344aes', 0x2f05: 'p521_frodo1344shake',
  0x2f14: 'p256_ntru_hps2048509', 0x2f15: 'p384_ntru_hps2048677', 0x2f16: 'p521_ntru_hps4096821',
  0x2f17: 'p384_ntru_hrss701', 0x2f18: 'p256_lightsaber', 0x2f19: 'p384_saber', 0x2f1a: 'p521_firesaber',
  0x2f1b: 'p256_sidhp434', 0x2f1c: 'p256_sidhp503', 0x2f1d: 'p384_sidhp610', 0x2f1e: 'p521_sidhp751',
  0x2f1f: 'p256_sikep434', 0x2f20: 'p256_sikep503', 0x2f21: 'p384_sikep610', 0x2f22: 'p521_sikep751',
  0x2f2c: 'p256_hqc128', 0x2f2d: 'p384_hqc192', 0x2f2e: 'p521_hqc256', 0x2f2f: 'p256_ntrulpr653',
  0x2f31: 'p384_ntrulpr857', 0x2f32: 'p256_sntrup653', 0x2f34: 'p384_sntrup857', 0x2f38: 'p256_bikel1',
  0x2f3a: 'p256_kyber512', 0x2f3b: 'p384_bikel3', 0x2f3c: 'p384_kyber768', 0x2f3d: 'p521_kyber1024',
  0x2f3e: 'p256_kyber90s512', 0x2f3f: 'p384_kyber90s768', 0x2f40: 'p521_kyber90s1024', 0x2f41: 'p521_ntrulpr1277',
  0x2f42: 'p521_sntrup1277', 0x2f43: 'p256_ntrulpr761', 0x2f44: 'p256_sntrup761', 0x2f45: 'p521_ntru_hps40961229',
  0x2f46: 'p521_ntru_hrss1373', 0x3a3a: 'Reserved (GREASE)', 0x4a4a: 'Reserved (GREASE)',
  0x5a5a: 'Reserved (GREASE)', 0x6a6a: 'Reserved (GREASE)', 0x7a7a: 'Reserved (GREASE)', 0x8a8a: 'Reserved (GREASE)',
  0x9a9a: 'Reserved (GREASE)', 0xaaaa: 'Reserved (GREASE)', 0xbaba: 'Reserved (GREASE)', 0xcaca: 'Reserved (GREASE)',
  0xdada: 'Reserved (GREASE)', 0xeaea: 'Reserved (GREASE)', 0xfafa: 'Reserved (GREASE)',
  0xff01: 'arbitrary_explicit_prime_curves', 0xff02: 'arbitrary_explicit_char2_curves',
};

const POINT_FORMATS: Record<number, string> = { 0: 'uncompressed', 1: 'ansiX962_compressed_prime', 2: 'ansiX962_compressed_char2' };

/** Signature schemes (RFC 8446 4.2.3), and TLS 1.2's hash/signature pairs tshark 4.0 names by their parts. */
const SIGNATURE_SCHEMES: Record<number, string> = {
  0x0201: 'rsa_pkcs1_sha1', 0x0203: 'ecdsa_sha1', 0x0401: 'rsa_pkcs1_sha256', 0x0403: 'ecdsa_secp256r1_sha256',
  0x0501: 'rsa_pkcs1_sha384', 0x0503: 'ecdsa_secp384r1_sha384', 0x0601: 'rsa_pkcs1_sha512',
  0x0603: 'ecdsa_secp521r1_sha512', 0x0708: 'sm2sig_sm3', 0x0804: 'rsa_pss_rsae_sha256',
  0x0805: 'rsa_pss_rsae_sha384', 0x0806: 'rsa_pss_rsae_sha512', 0x0807: 'ed25519', 0x0808: 'ed448',
  0x0809: 'rsa_pss_pss_sha256', 0x080a: 'rsa_pss_pss_sha384', 0x080b: 'rsa_pss_pss_sha512', 0xfe0b: 'falcon512',
  0xfe0c: 'p256_falcon512', 0xfe0d: 'rsa3072_falcon512', 0xfe0e: 'falcon1024', 0xfe0f: 'p521_falcon1024',
  0xfe1b: 'picnic3l1', 0xfe1c: 'p256_picnic3l1', 0xfe1d: 'rsa3072_picnic3l1', 0xfe27: 'rainbowIclassic',
  0xfe28: 'p256_rainbowIclassic', 0xfe29: 'rsa3072_rainbowIclassic', 0xfe3c: 'rainbowVclassic',
  0xfe3d: 'p521_rainbowVclassic', 0xfe42: 'sphincsharaka128frobust', 0xfe43: 'p256_sphincsharaka128frobust',
  0xfe44: 'rsa3072_sphincsharaka128frobust', 0xfe5e: 'sphincssha256128frobust',
  0xfe5f: 'p256_sphincssha256128frobust', 0xfe60: 'rsa3072_sphincssha256128frobust',
  0xfe7a: 'sphincsshake256128frobust', 0xfe7b: 'p256_sphincsshake256128frobust',
  0xfe7c: 'rsa3072_sphincsshake256128frobust', 0xfe96: 'picnicl1full', 0xfe97: 'p256_picnicl1full',
  0xfe98: 'rsa3072_picnicl1full', 0xfea0: 'dilithium2', 0xfea1: 'p256_dilithium2', 0xfea2: 'rsa3072_dilithium2',
  0xfea3: 'dilithium3', 0xfea4: 'p384_dilithium3', 0xfea5: 'dilithium5', 0xfea6: 'p521_dilithium5',
  0xfea7: 'dilithium2_aes', 0xfea8: 'p256_dilithium2_aes', 0xfea9: 'rsa3072_dilithium2_aes',
  0xfeaa: 'dilithium3_aes', 0xfeab: 'p384_dilithium3_aes', 0xfeac: 'dilithium5_aes', 0xfead: 'p521_dilithium5_aes',
  // Not in tshark's table: TLS 1.2 hash/signature pairs it names by their parts.
  0x0101: 'MD5 RSA', 0x0102: 'MD5 DSA', 0x0103: 'MD5 ECDSA', 0x0202: 'SHA1 DSA', 0x0301: 'SHA224 RSA', 0x0302: 'SHA224 DSA',
  0x0303: 'SHA224 ECDSA', 0x0402: 'SHA256 DSA', 0x0502: 'SHA384 DSA', 0x0602: 'SHA512 DSA',
};
const SIG_HASHES: Record<number, string> = { 0: 'None', 1: 'MD5', 2: 'SHA1', 3: 'SHA224', 4: 'SHA256', 5: 'SHA384', 6: 'SHA512', 7: 'SM3' };
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
  { name: 'tls.extension.psk_ke_modes_length', label: 'PSK Key Exchange Modes Length', type: 'uint8', base: 'dec' },
  {
    name: 'tls.extension.psk_ke_mode', label: 'PSK Key Exchange Mode', type: 'uint8', base: 'dec',
    values: { 0: 'PSK-only key establishment (psk_ke)', 1: 'PSK with (EC)DHE key establishment (psk_dhe_ke)' },
  },
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
  { name: 'tls.compress_certificate.algorithms_length', label: 'Algorithms Length', type: 'uint8', base: 'dec' },
  { name: 'tls.compress_certificate.algorithm', label: 'Algorithm', type: 'uint16', base: 'dec', values: { 1: 'zlib', 2: 'brotli', 3: 'zstd' } },
  { name: 'tls.handshake.extension.data', label: 'Data', type: 'bytes' },
  { name: 'tls.early_data.max_early_data_size', label: 'Maximum Early Data Size', type: 'uint32', base: 'dec' },
  { name: 'tls.handshake.extensions.psk.identities.length', label: 'Identities Length', type: 'uint16', base: 'dec' },
  { name: 'tls.handshake.extensions.psk.identity.identity_length', label: 'Identity Length', type: 'uint16', base: 'dec' },
  { name: 'tls.handshake.extensions.psk.identity.identity', label: 'Identity', type: 'bytes' },
  { name: 'tls.handshake.extensions.psk.identity.obfuscated_ticket_age', label: 'Obfuscated Ticket Age', type: 'uint32', base: 'dec' },
  { name: 'tls.handshake.extensions.psk.binders_len', label: 'PSK Binders length', type: 'uint16', base: 'dec' },
  { name: 'tls.handshake.extensions.psk.binders', label: 'PSK Binders', type: 'none' },
  { name: 'tls.handshake.extensions.psk.identity.selected', label: 'Selected Identity', type: 'uint16', base: 'dec' },
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
    case 45: { // psk_key_exchange_modes: the modes the client can use with a pre-shared key
      const n = tvb.u8(d);
      ctx.add(ext, F['tls.extension.psk_ke_modes_length'], tvb, d, 1, n);
      for (let r = d + 1; r < d + 1 + n && r < end; r++) ctx.add(ext, F['tls.extension.psk_ke_mode'], tvb, r, 1, tvb.u8(r));
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
    case 27: { // compress_certificate (RFC 8879): the algorithms the sender can decompress
      const n = tvb.u8(d);
      ctx.add(ext, F['tls.compress_certificate.algorithms_length'], tvb, d, 1, n);
      for (let r = d + 1; r + 2 <= Math.min(end, d + 1 + n); r += 2) ctx.add(ext, F['tls.compress_certificate.algorithm'], tvb, r, 2, tvb.u16(r));
      return;
    }
    case 57: // quic_transport_parameters
      dissectQuicTransportParameters(tvb, ctx, ext, d, el);
      return;
    case 35: // session_ticket: the opaque ticket, by its size alone
      if (client && el > 0) facts.ticket = true;
      // tshark's item is tls.handshake.extension.data with that text (-T fields: <MISSING> when empty).
      ctx.add(ext, F['tls.handshake.extension.data'], tvb, d, el, tvb.slice(d, el), `Data (${el} bytes)`);
      return;
    case 30032: // channel_id: tshark expects data even when there is none
      if (el === 0) {
        ctx.add(ext, F['tls.handshake.extension.data'], tvb, d, 0, new Uint8Array(0), 'Data: <MISSING>');
        return;
      }
      break;
    case 41: { // pre_shared_key (RFC 8446 4.2.11): the client's identities and binders, the server's choice
      const psk = ctx.addText(ext, tvb, d, el, 'Pre-Shared Key extension');
      if (!client) {
        if (el >= 2) ctx.add(psk, F['tls.handshake.extensions.psk.identity.selected'], tvb, d, 2, tvb.u16(d));
        return;
      }
      if (el < 2) return;
      const idsLen = tvb.u16(d);
      ctx.add(psk, F['tls.handshake.extensions.psk.identities.length'], tvb, d, 2, idsLen);
      const idsEnd = Math.min(end, d + 2 + idsLen);
      let q = d + 2;
      while (q + 2 <= idsEnd) {
        const n = tvb.u16(q);
        const id = ctx.addText(psk, tvb, q, 2 + n + 4, `PSK Identity (length: ${n})`);
        ctx.add(id, F['tls.handshake.extensions.psk.identity.identity_length'], tvb, q, 2, n);
        ctx.add(id, F['tls.handshake.extensions.psk.identity.identity'], tvb, q + 2, n, tvb.slice(q + 2, n));
        ctx.add(id, F['tls.handshake.extensions.psk.identity.obfuscated_ticket_age'], tvb, q + 2 + n, 4, tvb.u32(q + 2 + n));
        q += 2 + n + 4;
      }
      if (idsEnd + 2 <= end) {
        const bindersLen = tvb.u16(idsEnd);
        ctx.add(psk, F['tls.handshake.extensions.psk.binders_len'], tvb, idsEnd, 2, bindersLen);
        ctx.add(psk, F['tls.handshake.extensions.psk.binders'], tvb, idsEnd + 2, Math.min(bindersLen, end - idsEnd - 2), null);
      }
      return;
    }
    case 42: // early_data: empty, but a New Session Ticket's gives the most early data the ticket allows
      if (el === 4) {
        ctx.add(ext, F['tls.early_data.max_early_data_size'], tvb, d, 4, tvb.u32(d));
        return;
      }
      if (el === 0) return;
      break;
    case 23: case 18: case 22: case 49: // no body to show
      if (el === 0) return;
      break;
  }
  // A GREASE extension (RFC 8701) is one tshark does not know: its data item even when empty.
  if (el > 0 || isGrease(et)) ctx.add(ext, F['tls.handshake.extension.data'], tvb, d, el, tvb.slice(d, el));
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
  // A scheme tshark does not name is shown by its two halves ("Unknown SM2 (0x0904)").
  const a = ctx.add(parent, F['tls.handshake.sig_hash_alg'], tvb, o, 2, alg, SIGNATURE_SCHEMES[alg] !== undefined ? undefined
    : () => `Signature Algorithm: ${SIG_HASHES[alg >> 8] ?? 'Unknown'} ${SIG_ALGORITHMS[alg & 0xff] ?? 'Unknown'} (0x${alg.toString(16).padStart(4, '0')})`);
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

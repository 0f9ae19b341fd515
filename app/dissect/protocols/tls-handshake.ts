// The bodies of TLS handshake messages other than the hellos and Certificate, as tshark 4.0
// shows them without keys (packet-tls-utils.c): Server and Client Key Exchange (RFC 5246
// 7.4.3, 7.4.7; RFC 8422 5.4, 5.7), Certificate Request (RFC 5246 7.4.4), Certificate Verify
// (7.4.8), New Session Ticket (RFC 5077 3.3) and Certificate Status (RFC 6066 8). Part of the
// TLS protocol (tls.ts calls it): the key exchange messages carry no type of their own, so
// what they hold follows from the cipher suite the Server Hello chose, as tshark's
// ssl_get_keyex_alg decides it.
import { CIPHER_SUITES } from './tls-cipher-suites.js';
import { addSignatureAlgorithm, addSignatureAlgorithmList, GROUPS, tlsExtensionFields } from './tls-extensions.js';
import { defineFields } from '../field.js';
import { findDissector } from '../dispatch.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';

/** RFC 5246 7.4.4 ClientCertificateType, RFC 8422 5.5, as tshark names them. */
const CERT_TYPES: Record<number, string> = {
  1: 'RSA Sign', 2: 'DSS Sign', 3: 'RSA Fixed DH', 4: 'DSS Fixed DH', 5: 'RSA Ephemeral DH', 6: 'DSS Ephemeral DH',
  20: 'Fortezza', 64: 'ECDSA Sign', 65: 'RSA Fixed ECDH', 66: 'ECDSA Fixed ECDH',
};

export const tlsHandshakeFields = defineFields([
  { name: 'tls.handshake.server_curve_type', label: 'Curve Type', type: 'uint8', base: 'hex', values: { 1: 'explicit_prime', 2: 'explicit_char2', 3: 'named_curve' } },
  { name: 'tls.handshake.server_named_curve', label: 'Named Curve', type: 'uint16', base: 'hex', values: GROUPS },
  { name: 'tls.handshake.server_point_len', label: 'Pubkey Length', type: 'uint8', base: 'dec' },
  { name: 'tls.handshake.server_point', label: 'Pubkey', type: 'bytes' },
  { name: 'tls.handshake.client_point_len', label: 'Pubkey Length', type: 'uint8', base: 'dec' },
  { name: 'tls.handshake.client_point', label: 'Pubkey', type: 'bytes' },
  { name: 'tls.handshake.p_len', label: 'p Length', type: 'uint16', base: 'dec' },
  { name: 'tls.handshake.p', label: 'p', type: 'bytes' },
  { name: 'tls.handshake.g_len', label: 'g Length', type: 'uint16', base: 'dec' },
  { name: 'tls.handshake.g', label: 'g', type: 'bytes' },
  { name: 'tls.handshake.ys_len', label: 'Pubkey Length', type: 'uint16', base: 'dec' },
  { name: 'tls.handshake.ys', label: 'Pubkey', type: 'bytes' },
  { name: 'tls.handshake.yc_len', label: 'Pubkey Length', type: 'uint16', base: 'dec' },
  { name: 'tls.handshake.yc', label: 'Pubkey', type: 'bytes' },
  { name: 'tls.handshake.modulus_len', label: 'Modulus Length', type: 'uint16', base: 'dec' },
  { name: 'tls.handshake.modulus', label: 'Modulus', type: 'bytes' },
  { name: 'tls.handshake.exponent_len', label: 'Exponent Length', type: 'uint16', base: 'dec' },
  { name: 'tls.handshake.exponent', label: 'Exponent', type: 'bytes' },
  { name: 'tls.handshake.sig_len', label: 'Signature Length', type: 'uint16', base: 'dec' },
  { name: 'tls.handshake.sig', label: 'Signature', type: 'bytes' },
  { name: 'tls.handshake.epms_len', label: 'Encrypted PreMaster length', type: 'uint16', base: 'dec' },
  { name: 'tls.handshake.epms', label: 'Encrypted PreMaster', type: 'bytes' },
  { name: 'tls.handshake.cert_types_count', label: 'Certificate types count', type: 'uint8', base: 'dec' },
  { name: 'tls.handshake.cert_types', label: 'Certificate types', type: 'none' },
  { name: 'tls.handshake.cert_type', label: 'Certificate type', type: 'uint8', base: 'dec', values: CERT_TYPES },
  { name: 'tls.handshake.dnames_len', label: 'Distinguished Names Length', type: 'uint16', base: 'dec' },
  { name: 'tls.handshake.dnames', label: 'Distinguished Names', type: 'none' },
  { name: 'tls.handshake.dname_len', label: 'Distinguished Name Length', type: 'uint16', base: 'dec' },
  { name: 'tls.handshake.dname', label: 'Distinguished Name', type: 'none' },
  { name: 'tls.handshake.client_cert_vrfy.sig_len', label: 'Signature length', type: 'uint16', base: 'dec' },
  { name: 'tls.handshake.client_cert_vrfy.sig', label: 'Signature', type: 'bytes' },
  { name: 'tls.handshake.session_ticket_lifetime_hint', label: 'Session Ticket Lifetime Hint', type: 'uint32', base: 'dec' },
  { name: 'tls.handshake.session_ticket_age_add', label: 'Session Ticket Age Add', type: 'uint32', base: 'dec' },
  { name: 'tls.handshake.session_ticket_nonce_length', label: 'Session Ticket Nonce Length', type: 'uint8', base: 'dec' },
  { name: 'tls.handshake.session_ticket_nonce', label: 'Session Ticket Nonce', type: 'bytes' },
  { name: 'tls.handshake.session_ticket_length', label: 'Session Ticket Length', type: 'uint16', base: 'dec' },
  { name: 'tls.handshake.session_ticket', label: 'Session Ticket', type: 'bytes' },
  { name: 'tls.handshake.ocsp_response_len', label: 'OCSP Response Length', type: 'uint24', base: 'dec' },
] as const);

const F = { ...tlsHandshakeFields, ...tlsExtensionFields };

/** How a cipher suite exchanges keys, as far as the key exchange messages' layout goes. */
type KeyExchange = 'rsa' | 'dh' | 'dh_anon' | 'dh_fixed' | 'ecdh' | 'ecdh_anon' | 'none';

/**
 * The key exchange of `suite`, read from its IANA name ("TLS_ECDHE_RSA_WITH_...": the part
 * before WITH), which is what tshark's table of suites encodes. PSK, SRP, Kerberos and TLS 1.3
 * suites are 'none' (SynScope does not show their parameters), as are suites the name table
 * lacks.
 */
export function keyExchangeOf(suite: number): KeyExchange {
  const kx = /^TLS_(\w+?)_WITH_/.exec(CIPHER_SUITES[suite] ?? '')?.[1];
  if (!kx || /PSK|SRP|KRB5/.test(kx)) return 'none';
  if (kx.startsWith('RSA')) return 'rsa'; // RSA, RSA_EXPORT, RSA_EXPORT1024
  if (kx.startsWith('ECDH_anon')) return 'ecdh_anon';
  if (kx.startsWith('ECDH')) return 'ecdh'; // ECDHE_* and fixed ECDH_*: both send the server's point signed
  if (kx.startsWith('DH_anon')) return 'dh_anon';
  if (kx.startsWith('DHE')) return 'dh';
  if (kx.startsWith('DH_')) return 'dh_fixed'; // the certificate holds the server's DH key
  return 'none';
}

/** The version whose signatures start with a SignatureAndHashAlgorithm (RFC 5246 4.7). */
const hasSignatureAlgorithm = (version: number) => version === 0x0303 || version === 0x0304 || version === 0xfefd;

/**
 * A 1- or 2-byte length and the bytes it counts at `o`, as two fields. Returns the offset after
 * them, or -1 when the bytes run past `end` (tshark's ssl_add_vector stops the message there).
 */
function vector(tvb: Tvb, ctx: PacketContext, parent: FieldNode, o: number, end: number, width: 1 | 2, lenField: keyof typeof F, field: keyof typeof F): number {
  if (o + width > end) return -1;
  const n = width === 1 ? tvb.u8(o) : tvb.u16(o);
  ctx.add(parent, F[lenField], tvb, o, width, n);
  if (o + width + n > end) return -1;
  ctx.add(parent, F[field], tvb, o + width, n, tvb.slice(o + width, n));
  return o + width + n;
}

/** A digitally-signed element (RFC 5246 4.7): the algorithm from TLS 1.2 on, then the signature. */
function signed(tvb: Tvb, ctx: PacketContext, parent: FieldNode, o: number, end: number, version: number, lenField: keyof typeof F, field: keyof typeof F): void {
  if (hasSignatureAlgorithm(version)) {
    if (o + 2 > end) return;
    addSignatureAlgorithm(tvb, ctx, parent, o);
    o += 2;
  }
  vector(tvb, ctx, parent, o, end, 2, lenField, field);
}

/** ServerKeyExchange (RFC 5246 7.4.3, RFC 8422 5.4): the params item by key exchange, as tshark. */
export function dissectServerKeyExchange(tvb: Tvb, ctx: PacketContext, hs: FieldNode, b: number, len: number, suite: number, version: number): void {
  const end = b + len;
  const kx = keyExchangeOf(suite);
  switch (kx) {
    case 'ecdh':
    case 'ecdh_anon': {
      const params = ctx.addText(hs, tvb, b, len, 'EC Diffie-Hellman Server Params');
      if (b + 1 > end) return;
      const curveType = tvb.u8(b);
      ctx.add(params, F['tls.handshake.server_curve_type'], tvb, b, 1, curveType);
      // Only named curves are shown further (explicit curves are deprecated by RFC 8422 5.4).
      if (curveType !== 3 || b + 3 > end) return;
      ctx.add(params, F['tls.handshake.server_named_curve'], tvb, b + 1, 2, tvb.u16(b + 1));
      const o = vector(tvb, ctx, params, b + 3, end, 1, 'tls.handshake.server_point_len', 'tls.handshake.server_point');
      if (o >= 0 && kx === 'ecdh') signed(tvb, ctx, params, o, end, version, 'tls.handshake.sig_len', 'tls.handshake.sig');
      return;
    }
    case 'dh':
    case 'dh_anon': {
      const params = ctx.addText(hs, tvb, b, len, 'Diffie-Hellman Server Params');
      let o = vector(tvb, ctx, params, b, end, 2, 'tls.handshake.p_len', 'tls.handshake.p');
      if (o >= 0) o = vector(tvb, ctx, params, o, end, 2, 'tls.handshake.g_len', 'tls.handshake.g');
      if (o >= 0) o = vector(tvb, ctx, params, o, end, 2, 'tls.handshake.ys_len', 'tls.handshake.ys');
      if (o >= 0 && kx === 'dh') signed(tvb, ctx, params, o, end, version, 'tls.handshake.sig_len', 'tls.handshake.sig');
      return;
    }
    case 'rsa': {
      // A temporary RSA key: only export suites send one (RFC 2246 7.4.3).
      const params = ctx.addText(hs, tvb, b, len, 'RSA-EXPORT Server Params');
      let o = vector(tvb, ctx, params, b, end, 2, 'tls.handshake.modulus_len', 'tls.handshake.modulus');
      if (o >= 0) o = vector(tvb, ctx, params, o, end, 2, 'tls.handshake.exponent_len', 'tls.handshake.exponent');
      if (o >= 0) signed(tvb, ctx, params, o, end, version, 'tls.handshake.sig_len', 'tls.handshake.sig');
      return;
    }
    default:
  }
}

/** ClientKeyExchange (RFC 5246 7.4.7, RFC 8422 5.7) by the key exchange, as tshark. */
export function dissectClientKeyExchange(tvb: Tvb, ctx: PacketContext, hs: FieldNode, b: number, len: number, suite: number, version: number): void {
  const end = b + len;
  switch (keyExchangeOf(suite)) {
    case 'ecdh':
    case 'ecdh_anon': {
      const params = ctx.addText(hs, tvb, b, len, 'EC Diffie-Hellman Client Params');
      vector(tvb, ctx, params, b, end, 1, 'tls.handshake.client_point_len', 'tls.handshake.client_point');
      return;
    }
    case 'dh':
    case 'dh_anon':
    case 'dh_fixed': {
      const params = ctx.addText(hs, tvb, b, len, 'Diffie-Hellman Client Params');
      vector(tvb, ctx, params, b, end, 2, 'tls.handshake.yc_len', 'tls.handshake.yc');
      return;
    }
    case 'rsa': {
      const params = ctx.addText(hs, tvb, b, len, 'RSA Encrypted PreMaster Secret');
      // SSL 3.0 sends the encrypted secret without its length (RFC 6101 5.6.7.1).
      if (version === 0x0300) ctx.add(params, F['tls.handshake.epms'], tvb, b, len, tvb.slice(b, len));
      else vector(tvb, ctx, params, b, end, 2, 'tls.handshake.epms_len', 'tls.handshake.epms');
      return;
    }
    default:
  }
}

/** CertificateRequest before TLS 1.3 (RFC 5246 7.4.4): types, algorithms (TLS 1.2), CA names. */
export function dissectCertificateRequest(tvb: Tvb, ctx: PacketContext, hs: FieldNode, b: number, len: number, version: number): void {
  const end = b + len;
  if (b + 1 > end) return;
  const n = tvb.u8(b);
  ctx.add(hs, F['tls.handshake.cert_types_count'], tvb, b, 1, n);
  if (n > 0) {
    const types = ctx.add(hs, F['tls.handshake.cert_types'], tvb, b + 1, n, null, `Certificate types (${n} type${n === 1 ? '' : 's'})`);
    for (let i = 0; i < n && b + 1 + i < end; i++) ctx.add(types, F['tls.handshake.cert_type'], tvb, b + 1 + i, 1, tvb.u8(b + 1 + i));
  }
  let o = b + 1 + n;
  if (hasSignatureAlgorithm(version)) {
    if (o + 2 > end) return;
    o += addSignatureAlgorithmList(tvb, ctx, hs, o);
  }
  if (o + 2 > end) return;
  const dnLen = tvb.u16(o);
  ctx.add(hs, F['tls.handshake.dnames_len'], tvb, o, 2, dnLen);
  o += 2;
  if (dnLen === 0) return;
  const dnames = ctx.add(hs, F['tls.handshake.dnames'], tvb, o, dnLen, null, `Distinguished Names (${dnLen} byte${dnLen === 1 ? '' : 's'})`);
  // Each name is an X.509 Name, which the X.509 dissector shows below its item.
  const dn = findDissector('x509if.DistinguishedName');
  const dnEnd = Math.min(end, o + dnLen);
  while (o + 2 <= dnEnd) {
    const l = tvb.u16(o);
    ctx.add(dnames, F['tls.handshake.dname_len'], tvb, o, 2, l);
    if (o + 2 + l > dnEnd) return;
    const item = ctx.add(dnames, F['tls.handshake.dname'], tvb, o + 2, l, null, 'Distinguished Name: ');
    dn?.dissect(tvb.sub(o + 2, l), ctx, item);
    o += 2 + l;
  }
}

/** CertificateVerify (RFC 5246 7.4.8): a digitally-signed hash of the handshake. */
export function dissectCertificateVerify(tvb: Tvb, ctx: PacketContext, hs: FieldNode, b: number, len: number, version: number): void {
  signed(tvb, ctx, hs, b, b + len, version, 'tls.handshake.client_cert_vrfy.sig_len', 'tls.handshake.client_cert_vrfy.sig');
}

/** "N seconds (1 day, 4 hours)" as tshark's unsigned_time_secs_to_str writes a duration. */
function durationText(secs: number): string {
  if (secs === 0) return '0 seconds';
  const parts: string[] = [];
  const unit = (n: number, one: string) => {
    if (n) parts.push(`${n} ${one}${n === 1 ? '' : 's'}`);
  };
  unit(Math.floor(secs / 86400), 'day');
  unit(Math.floor((secs % 86400) / 3600), 'hour');
  unit(Math.floor((secs % 3600) / 60), 'minute');
  unit(secs % 60, 'second');
  return parts.join(', ');
}

/**
 * NewSessionTicket: before TLS 1.3 (RFC 5077 3.3) the lifetime hint and the opaque ticket; in
 * TLS 1.3 (RFC 8446 4.6.1, seen once decrypted) also the age add and nonce, and extensions,
 * whose length `extensionsLength` adds (tls.ts's field).
 */
export function dissectNewSessionTicket(tvb: Tvb, ctx: PacketContext, hs: FieldNode, b: number, len: number, tls13 = false, extensionsLength?: (item: FieldNode, o: number, n: number) => void): void {
  const end = b + len;
  const item = ctx.addText(hs, tvb, b, len, 'TLS Session Ticket');
  if (b + 4 > end) return;
  const hint = tvb.u32(b);
  ctx.add(item, F['tls.handshake.session_ticket_lifetime_hint'], tvb, b, 4, hint, `Session Ticket Lifetime Hint: ${hint} seconds (${durationText(hint)})`);
  let o = b + 4;
  if (tls13) {
    if (o + 4 > end) return;
    ctx.add(item, F['tls.handshake.session_ticket_age_add'], tvb, o, 4, tvb.u32(o));
    o = vector(tvb, ctx, item, o + 4, end, 1, 'tls.handshake.session_ticket_nonce_length', 'tls.handshake.session_ticket_nonce');
    if (o < 0) return;
  }
  o = vector(tvb, ctx, item, o, end, 2, 'tls.handshake.session_ticket_length', 'tls.handshake.session_ticket');
  if (tls13 && o >= 0 && o + 2 <= end) extensionsLength?.(item, o, tvb.u16(o));
}

/**
 * CertificateStatus (RFC 6066 8): the type and, for OCSP, the response's length and an "OCSP
 * Response" item with the response below it, both by ocsp.ts's OCSPResponse dissector (tshark's
 * tls_dissect_ocsp_response adds the ocsp protocol item so named and calls
 * dissect_ocsp_OCSPResponse below it: no OCSP layer in frame.protocols).
 */
export function dissectCertificateStatus(tvb: Tvb, ctx: PacketContext, hs: FieldNode, b: number, len: number): void {
  const end = b + len;
  if (b + 1 > end) return;
  const type = tvb.u8(b);
  ctx.add(hs, F['tls.handshake.extensions_status_request_type'], tvb, b, 1, type);
  if (type !== 1 || b + 4 > end) return;
  const n = tvb.u24(b + 1);
  ctx.add(hs, F['tls.handshake.ocsp_response_len'], tvb, b + 1, 3, n);
  if (b + 4 + n > end) return;
  const ocsp = findDissector('ocsp.OCSPResponse');
  if (ocsp) ocsp.dissect(tvb.sub(b + 4, n), ctx, hs);
  else ctx.addText(hs, tvb, b + 4, n, 'OCSP Response');
}

// Online Certificate Status Protocol (RFC 6960) as tshark 4.0 shows it: Wireshark's packet-ocsp.c
// (asn2wrs from OCSP-2013-08), whose field names this file keeps. OCSP comes over HTTP as the
// media types application/ocsp-request and application/ocsp-response (a layer of its own, "OCSP"
// and "Request"/"Response" in the columns) and inside TLS's CertificateStatus message (tls
// hands the response here by name: no layer of its own there, as tls_dissect_ocsp_response
// calls dissect_ocsp_OCSPResponse). A response's bytes are shown by their ResponseType through
// the BER OID table (id-pkix-ocsp-basic is ours, so "ocsp" enters frame.protocols a second
// time, as call_ber_oid_callback adds it), the responder's certificates by x509.ts's
// dissector, a responder or requestor name by x509.ts's DistinguishedName dissector. The OCSP
// extensions (nonce, CRL id, acceptable responses, archive cutoff, no-check) are OIDs this file
// registers, the last one inside certificates too.
import { berFields, BerWalker, count, DerError, items, readTlv, U, within, type Asn1Type, type Member, type Tlv } from '../asn1.js';
import { defineFields, fieldByName, type FieldDef } from '../field.js';
import { defineProtocol, findDissector, isDecodeError, lookupBerOid, MEDIA_TYPE_SCRATCH, registerBerOid, registerDissector, registerMediaType } from '../dispatch.js';
import { oidName, registerOidNames } from '../oid-names.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';

/** CRLReason (x509ce's names, RFC 5280 5.3.1). */
const CRL_REASONS: Record<number, string> = {
  0: 'unspecified', 1: 'keyCompromise', 2: 'cACompromise', 3: 'affiliationChanged', 4: 'superseded', 5: 'cessationOfOperation',
  6: 'certificateHold', 8: 'removeFromCRL', 9: 'privilegeWithdrawn', 10: 'aaCompromise',
};
const GENERAL_NAMES: Record<number, string> = {
  0: 'otherName', 1: 'rfc822Name', 2: 'dNSName', 3: 'x400Address', 4: 'directoryName', 5: 'ediPartyName',
  6: 'uniformResourceIdentifier', 7: 'iPAddress', 8: 'registeredID',
};

export const ocspFields = defineFields([
  { name: 'ocsp.tbsRequest_element', label: 'tbsRequest', type: 'none' },
  { name: 'ocsp.optionalSignature_element', label: 'optionalSignature', type: 'none' },
  { name: 'ocsp.version', label: 'version', type: 'int32', base: 'dec', values: { 0: 'v1', 1: 'v2', 2: 'v3' } },
  { name: 'ocsp.requestorName', label: 'requestorName', type: 'uint32', base: 'dec', values: GENERAL_NAMES },
  { name: 'ocsp.requestList', label: 'requestList', type: 'uint32', base: 'dec' },
  { name: 'ocsp.Request_element', label: 'Request', type: 'none' },
  { name: 'ocsp.requestExtensions', label: 'requestExtensions', type: 'uint32', base: 'dec' },
  { name: 'ocsp.signatureAlgorithm_element', label: 'signatureAlgorithm', type: 'none' },
  { name: 'ocsp.signature', label: 'signature', type: 'bytes' },
  { name: 'ocsp.certs', label: 'certs', type: 'uint32', base: 'dec' },
  { name: 'ocsp.Certificate_element', label: 'Certificate', type: 'none' },
  { name: 'ocsp.reqCert_element', label: 'reqCert', type: 'none' },
  { name: 'ocsp.singleRequestExtensions', label: 'singleRequestExtensions', type: 'uint32', base: 'dec' },
  { name: 'ocsp.hashAlgorithm_element', label: 'hashAlgorithm', type: 'none' },
  { name: 'ocsp.issuerNameHash', label: 'issuerNameHash', type: 'bytes' },
  { name: 'ocsp.issuerKeyHash', label: 'issuerKeyHash', type: 'bytes' },
  { name: 'ocsp.serialNumber', label: 'serialNumber', type: 'bytes' },
  {
    name: 'ocsp.responseStatus', label: 'responseStatus', type: 'uint32', base: 'dec',
    values: { 0: 'successful', 1: 'malformedRequest', 2: 'internalError', 3: 'tryLater', 5: 'sigRequired', 6: 'unauthorized' },
  },
  { name: 'ocsp.responseBytes_element', label: 'responseBytes', type: 'none' },
  { name: 'ocsp.responseType.id', label: 'ResponseType Id', type: 'string' },
  { name: 'ocsp.BasicOCSPResponse_element', label: 'BasicOCSPResponse', type: 'none' },
  { name: 'ocsp.tbsResponseData_element', label: 'tbsResponseData', type: 'none' },
  { name: 'ocsp.responderID', label: 'responderID', type: 'uint32', base: 'dec', values: { 1: 'byName', 2: 'byKey' } },
  { name: 'ocsp.byName', label: 'byName', type: 'uint32', base: 'dec' },
  { name: 'ocsp.byKey', label: 'byKey', type: 'bytes' },
  { name: 'ocsp.producedAt', label: 'producedAt', type: 'abstime', clock: 'utc' },
  { name: 'ocsp.responses', label: 'responses', type: 'uint32', base: 'dec' },
  { name: 'ocsp.SingleResponse_element', label: 'SingleResponse', type: 'none' },
  { name: 'ocsp.responseExtensions', label: 'responseExtensions', type: 'uint32', base: 'dec' },
  { name: 'ocsp.certID_element', label: 'certID', type: 'none' },
  { name: 'ocsp.certStatus', label: 'certStatus', type: 'uint32', base: 'dec', values: { 0: 'good', 1: 'revoked', 2: 'unknown' } },
  { name: 'ocsp.good_element', label: 'good', type: 'none' },
  { name: 'ocsp.revoked_element', label: 'revoked', type: 'none' },
  { name: 'ocsp.unknown_element', label: 'unknown', type: 'none' },
  { name: 'ocsp.revocationTime', label: 'revocationTime', type: 'abstime', clock: 'utc' },
  { name: 'ocsp.revocationReason', label: 'revocationReason', type: 'uint32', base: 'dec', values: CRL_REASONS },
  { name: 'ocsp.thisUpdate', label: 'thisUpdate', type: 'abstime', clock: 'utc' },
  { name: 'ocsp.nextUpdate', label: 'nextUpdate', type: 'abstime', clock: 'utc' },
  { name: 'ocsp.singleExtensions', label: 'singleExtensions', type: 'uint32', base: 'dec' },
  { name: 'ocsp.ReOcspNonce', label: 'ReOcspNonce', type: 'bytes' },
  { name: 'ocsp.CrlID_element', label: 'CrlID', type: 'none' },
  { name: 'ocsp.crlUrl', label: 'crlUrl', type: 'string' },
  { name: 'ocsp.crlNum', label: 'crlNum', type: 'int32', base: 'dec' },
  { name: 'ocsp.crlTime', label: 'crlTime', type: 'abstime', clock: 'utc' },
  { name: 'ocsp.AcceptableResponses', label: 'AcceptableResponses', type: 'uint32', base: 'dec' },
  { name: 'ocsp.AcceptableResponses_item', label: 'AcceptableResponses item', type: 'string', description: 'An OID, as a string of its arcs' },
  { name: 'ocsp.ArchiveCutoff', label: 'ArchiveCutoff', type: 'abstime', clock: 'utc' },
  { name: 'ocsp.NULL_element', label: 'NULL', type: 'none' },
  // The Extensions of OCSP messages are pkix1explicit's (OCSP imports them from PKIX1Explicit88).
  { name: 'pkix1explicit.Extension_element', label: 'Extension', type: 'none' },
  { name: 'pkix1explicit.id', label: 'Id', type: 'string', description: 'An OID, as a string of its arcs' },
  { name: 'pkix1explicit.critical', label: 'critical', type: 'boolean' },
] as const);
const F = ocspFields;

/** A field x509.ts defines (the AlgorithmIdentifier's, a GeneralName's), found when first used. */
const x509Field = (name: string): FieldDef => {
  const f = fieldByName(name);
  if (!f) throw new Error(`OCSP needs field ${name} (x509.ts)`);
  return f;
};

/**
 * The names of the OIDs an OCSP message names that x509.ts does not register: its own, and the
 * hash algorithms of a CertID (packet-ocsp.c, pkcs1's and x509af's registrations). The signature
 * algorithms, the arcs and id-ad-ocsp (1.3.6.1.5.5.7.48.1, which tshark's table names so) are x509's.
 */
registerOidNames({
  '1.3.6.1.5.5.7.48.1.1': 'id-pkix-ocsp-basic', '1.3.6.1.5.5.7.48.1.2': 'id-pkix-ocsp-nonce',
  '1.3.6.1.5.5.7.48.1.3': 'id-pkix-ocsp-crl', '1.3.6.1.5.5.7.48.1.4': 'id-pkix-ocsp-response', '1.3.6.1.5.5.7.48.1.5': 'id-pkix-ocsp-nocheck',
  '1.3.6.1.5.5.7.48.1.6': 'id-pkix-ocsp-archive-cutoff', '1.3.6.1.5.5.7.48.1.7': 'id-pkix-ocsp-service-locator',
  '1.3.6.1.5.5.7.48.1.8': 'id-pkix-ocsp-pref-sig-algs', '1.3.6.1.5.5.7.48.1.9': 'id-pkix-ocsp-extended-revoke',
  '1.3.14.3.2.26': 'SHA-1', '1.2.840.113549.2.5': 'md5', '2.16.840.1.101.3.4.2.1': 'sha256', '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512', '2.16.840.1.101.3.4.2.4': 'sha224',
});

// ---- Syntax (RFC 6960 4.1, 4.2, 4.4; OCSP-2013-08) ----

const fn = (field: FieldDef | null, tag: number, f: Extract<Asn1Type, { t: 'fn' }>['fn'], ctx?: number, optional?: boolean): Member => ({ field, type: { t: 'fn', tag, fn: f }, ctx, optional });
const seq = (field: FieldDef | null, members: readonly Member[], ctx?: number, optional?: boolean): Member => ({ field, type: { t: 'seq', members }, ctx, optional });
const seqOf = (field: FieldDef, item: Member): Member => ({ field, type: { t: 'of', item } });
const time = (field: FieldDef, ctx?: number, optional?: boolean): Member => ({ field, type: { t: 'gentime' }, ctx, explicit: ctx !== undefined, optional });
const algorithm = (field: FieldDef): Member => fn(field, U.SEQUENCE, showAlgorithm);
/** Extensions ([n] EXPLICIT, OPTIONAL): "name: N items", an Extension each. */
const extensions = (field: FieldDef, ctx: number): Member => ({ ...seqOf(field, fn(F['pkix1explicit.Extension_element'], U.SEQUENCE, showExtension)), ctx, explicit: true, optional: true });
/** Name ::= CHOICE { rdnSequence }: the choice's field (its value 0) and x509's RDNs below it. */
const name = (field: FieldDef, ctx?: number): Member => ({ ...fn(field, U.SEQUENCE, showName, ctx), explicit: ctx !== undefined });

const CERT_ID: readonly Member[] = [
  algorithm(F['ocsp.hashAlgorithm_element']),
  { field: F['ocsp.issuerNameHash'], type: { t: 'octets' } },
  { field: F['ocsp.issuerKeyHash'], type: { t: 'octets' } },
  { field: F['ocsp.serialNumber'], type: { t: 'hexint' } },
];

/** GeneralName (the requestor's): the alternatives that hold a name; tshark's x509ce fields. */
const GENERAL_NAME = (field: FieldDef): Member => ({
  field, ctx: 1, explicit: true, optional: true,
  type: {
    t: 'choice',
    alts: [
      fn(null, U.SEQUENCE, showNothing, 0),
      fn(null, U.IA5String, (w, tlv, parent) => showString(w, tlv, parent, 'x509ce.rfc822Name'), 1),
      fn(null, U.IA5String, (w, tlv, parent) => showString(w, tlv, parent, 'x509ce.dNSName'), 2),
      fn(null, U.SEQUENCE, showNothing, 3),
      { ...fn(null, U.SEQUENCE, (w, tlv, parent) => showName(w, tlv, parent, { field: x509Field('x509ce.directoryName'), type: { t: 'null' } }), 4), explicit: true },
      fn(null, U.SEQUENCE, showNothing, 5),
      fn(null, U.IA5String, (w, tlv, parent) => showString(w, tlv, parent, 'x509ce.uniformResourceIdentifier'), 6),
      fn(null, U.OCTET_STRING, showNothing, 7),
      fn(null, U.OID, showNothing, 8),
    ],
  },
});

const SIGNATURE: readonly Member[] = [
  algorithm(F['ocsp.signatureAlgorithm_element']),
  { field: F['ocsp.signature'], type: { t: 'bits' } },
  { ...seqOf(F['ocsp.certs'], fn(F['ocsp.Certificate_element'], U.SEQUENCE, showCertificate)), ctx: 0, explicit: true, optional: true },
];

const OCSP_REQUEST: readonly Member[] = [
  seq(F['ocsp.tbsRequest_element'], [
    { field: F['ocsp.version'], type: { t: 'int' }, ctx: 0, explicit: true, optional: true },
    GENERAL_NAME(F['ocsp.requestorName']),
    seqOf(F['ocsp.requestList'], seq(F['ocsp.Request_element'], [
      seq(F['ocsp.reqCert_element'], CERT_ID),
      extensions(F['ocsp.singleRequestExtensions'], 0),
    ])),
    extensions(F['ocsp.requestExtensions'], 2),
  ]),
  { ...seq(F['ocsp.optionalSignature_element'], SIGNATURE, 0, true), explicit: true },
];

const CERT_STATUS: Member = {
  field: F['ocsp.certStatus'],
  type: {
    t: 'choice',
    alts: [
      { field: F['ocsp.good_element'], type: { t: 'null' }, ctx: 0 },
      seq(F['ocsp.revoked_element'], [
        time(F['ocsp.revocationTime']),
        { field: F['ocsp.revocationReason'], type: { t: 'fn', tag: 10, fn: showEnumerated }, ctx: 0, explicit: true, optional: true },
      ], 1),
      { field: F['ocsp.unknown_element'], type: { t: 'null' }, ctx: 2 },
    ],
  },
};

const BASIC_OCSP_RESPONSE: Member = seq(F['ocsp.BasicOCSPResponse_element'], [
  seq(F['ocsp.tbsResponseData_element'], [
    { field: F['ocsp.version'], type: { t: 'int' }, ctx: 0, explicit: true, optional: true },
    {
      field: F['ocsp.responderID'],
      type: { t: 'choice', alts: [name(F['ocsp.byName'], 1), { field: F['ocsp.byKey'], type: { t: 'octets' }, ctx: 2, explicit: true }] },
    },
    time(F['ocsp.producedAt']),
    seqOf(F['ocsp.responses'], seq(F['ocsp.SingleResponse_element'], [
      seq(F['ocsp.certID_element'], CERT_ID),
      CERT_STATUS,
      time(F['ocsp.thisUpdate']),
      time(F['ocsp.nextUpdate'], 0, true),
      extensions(F['ocsp.singleExtensions'], 1),
    ])),
    extensions(F['ocsp.responseExtensions'], 1),
  ]),
  ...SIGNATURE,
]);

const OCSP_RESPONSE: readonly Member[] = [
  { field: F['ocsp.responseStatus'], type: { t: 'fn', tag: 10, fn: showEnumerated } },
  { ...seq(F['ocsp.responseBytes_element'], [fn(null, U.OID, showResponseType), fn(null, U.OCTET_STRING, showResponse)], 0, true), explicit: true },
];

/** The OCSP extensions and what an OCSP extension's value is (RFC 6960 4.4), by OID. */
const EXTENSIONS: Readonly<Record<string, Member>> = {
  '1.3.6.1.5.5.7.48.1.2': { field: F['ocsp.ReOcspNonce'], type: { t: 'octets' } },
  '1.3.6.1.5.5.7.48.1.3': seq(F['ocsp.CrlID_element'], [
    { field: F['ocsp.crlUrl'], type: { t: 'str', tag: U.IA5String }, ctx: 0, explicit: true, optional: true },
    { field: F['ocsp.crlNum'], type: { t: 'int' }, ctx: 1, explicit: true, optional: true },
    time(F['ocsp.crlTime'], 2, true),
  ]),
  '1.3.6.1.5.5.7.48.1.4': seqOf(F['ocsp.AcceptableResponses'], { field: F['ocsp.AcceptableResponses_item'], type: { t: 'oid' } }),
  '1.3.6.1.5.5.7.48.1.5': { field: F['ocsp.NULL_element'], type: { t: 'null' } },
  '1.3.6.1.5.5.7.48.1.6': time(F['ocsp.ArchiveCutoff']),
};

// ---- The parts shown in a way of their own ----

/** An ENUMERATED (tag 10), shown as an integer field with its value names. */
function showEnumerated(w: BerWalker, tlv: Tlv, parent: FieldNode, m: Member): void {
  w.value(parent, { field: m.field, type: { t: 'int' } }, tlv);
}

/** An item tshark shows nothing of (GeneralName alternatives no OCSP capture has shown). */
function showNothing(): void {}

function showString(w: BerWalker, tlv: Tlv, parent: FieldNode, field: string): void {
  w.value(parent, { field: x509Field(field), type: { t: 'str', tag: U.IA5String } }, tlv);
}

/** AlgorithmIdentifier: "hashAlgorithm (SHA-1)" and x509af's Algorithm Id (parameters are not shown, as for RSA's NULL). */
function showAlgorithm(w: BerWalker, tlv: Tlv, parent: FieldNode, m: Member): void {
  const node = w.add(parent, m.field!, tlv.start, tlv.end - tlv.start, null);
  within(node, () => {
    w.member(node, { field: x509Field('x509af.algorithm.id'), type: { t: 'oid' } }, tlv.value, tlv.end);
    if (w.ctx.tree) w.ctx.setText(node, `${m.field!.label} (${oidName(w.lastText)})`);
  });
}

/**
 * Name: "byName: 0" (the CHOICE's index of rdnSequence, with no value names in packet-ocsp.c),
 * then "rdnSequence: N items (CN=…,O=…)" with x509if's RDNs, which x509.ts's
 * DistinguishedName dissector adds and sums up.
 */
function showName(w: BerWalker, tlv: Tlv, parent: FieldNode, m: Member): void {
  const { ctx, tvb } = w;
  const node = w.add(parent, m.field!, tlv.start, tlv.end - tlv.start, 0);
  if (tlv.tag !== U.SEQUENCE) throw new DerError('BER Error: Sequence expected', tvb.abs(tlv.start));
  const n = count(tvb, tlv);
  const rdns = w.add(node, x509Field('x509if.rdnSequence'), tlv.start, tlv.end - tlv.start, n, `rdnSequence: ${items(n)} `);
  findDissector('x509if.DistinguishedName')?.dissect(tvb.sub(tlv.start, tlv.end - tlv.start), ctx, rdns);
}

/** A certificate: the "Certificate" item, x509.ts's dissector below it (which appends the subject). */
function showCertificate(w: BerWalker, tlv: Tlv, parent: FieldNode, m: Member): void {
  const node = w.add(parent, m.field!, tlv.start, tlv.end - tlv.start, null);
  findDissector('x509af')?.dissect(w.tvb.sub(tlv.start, tlv.end - tlv.start), w.ctx, node);
}

/** Extension (pkix1explicit): "Extension", its Id, critical when present, the value by its Id. */
function showExtension(w: BerWalker, tlv: Tlv, parent: FieldNode, m: Member): void {
  const node = w.add(parent, m.field!, tlv.start, tlv.end - tlv.start, null);
  within(node, () => {
    const id = w.member(node, { field: F['pkix1explicit.id'], type: { t: 'oid' } }, tlv.value, tlv.end);
    const oid = w.lastText;
    let next = readTlv(w.tvb, id.end, tlv.end);
    if (next.tag === U.BOOLEAN) {
      w.value(node, { field: F['pkix1explicit.critical'], type: { t: 'bool' } }, next);
      next = readTlv(w.tvb, next.end, tlv.end);
    }
    if (next.tag !== U.OCTET_STRING) throw new DerError('BER Error: OctetString expected', w.tvb.abs(next.start));
    showByOid(w, node, oid, next.value, next.end);
  });
}

/** A value an OID names: an OCSP extension, another protocol's (the BER OID table), or tshark's "not implemented" note. */
function showByOid(w: BerWalker, parent: FieldNode, oid: string, o: number, end: number): void {
  const { ctx, tvb } = w;
  const syntax = EXTENSIONS[oid];
  if (syntax) {
    ctx.layers.push('ocsp');
    w.member(parent, syntax, o, end);
    return;
  }
  const other = lookupBerOid(oid);
  if (other) {
    ctx.layers.push(other.id);
    other.dissect(tvb.sub(o, end - o), ctx, parent);
    return;
  }
  const node = ctx.add(parent, berFields['ber.error.oid_not_implemented'], tvb, o, end - o, null);
  ctx.addExpert(node, 'warn', 'undecoded', berFields['ber.error.oid_not_implemented'].label);
}

/** ResponseBytes' responseType: "ResponseType Id: 1.3.6.1.5.5.7.48.1.1 (id-pkix-ocsp-basic)", kept for the response. */
function showResponseType(w: BerWalker, tlv: Tlv, parent: FieldNode): void {
  w.value(parent, { field: F['ocsp.responseType.id'], type: { t: 'oid' } }, tlv);
  (w as OcspWalker).responseType = w.lastText;
}

/** ResponseBytes' response: the OCTET STRING's contents by the responseType (no item of its own). */
function showResponse(w: BerWalker, tlv: Tlv, parent: FieldNode): void {
  showByOid(w, parent, (w as OcspWalker).responseType, tlv.value, tlv.end);
}

class OcspWalker extends BerWalker {
  responseType = '';
}

// ---- Entry ----

/** One DER message of `members` in `tvb` under `node`; DER that cannot be decoded ends it with tshark's BER Error item. */
function walk(tvb: Tvb, ctx: PacketContext, node: FieldNode, members: readonly Member[] | Member): void {
  const w = new OcspWalker(tvb, ctx, oidName);
  try {
    if (!Array.isArray(members)) {
      w.member(node, members as Member, 0, tvb.length);
      return;
    }
    const top = readTlv(tvb, 0, tvb.length);
    if (top.tag !== U.SEQUENCE) throw new DerError('BER Error: Sequence expected', tvb.abs(0));
    w.members(node, members, top.value, top.end);
  } catch (e) {
    if (!(e instanceof DerError) && !isDecodeError(e)) throw e;
    const der = e instanceof DerError ? e : null;
    const field = der?.length ? berFields['ber.error.length'] : berFields['ber.error.sequence.field_wrong'];
    const err = ctx.add(der?.node ?? node, field, tvb, der ? der.offset - tvb.abs(0) : 0, 0, null, e.message);
    ctx.addExpert(err, 'warn', 'malformed', e.message);
  }
}

/** A body of type application/ocsp-request or -response (packet-ocsp.c's dissect_ocsp_request/_response): columns "OCSP", "Request"/"Response". */
function dissectOcsp(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  const request = ctx.scratch[MEDIA_TYPE_SCRATCH] === 'application/ocsp-request';
  ctx.protocol = 'OCSP';
  ctx.info = request ? 'Request' : 'Response';
  walk(tvb, ctx, node, request ? OCSP_REQUEST : OCSP_RESPONSE);
}

export const ocspProtocol = defineProtocol('ocsp', 'Online Certificate Status Protocol', dissectOcsp, 'OCSP');
registerMediaType('application/ocsp-request', ocspProtocol);
registerMediaType('application/ocsp-response', ocspProtocol);
// TLS's CertificateStatus hands its OCSPResponse here: the ocsp protocol item, named "OCSP
// Response", and the response below it, with no layer in frame.protocols (packet-tls-utils.c).
registerDissector({
  ...ocspProtocol, id: 'ocsp.OCSPResponse',
  dissect: (tvb, ctx, parent) => walk(tvb, ctx, ctx.add(parent, ocspProtocol.field, tvb, 0, tvb.length, null, 'OCSP Response'), OCSP_RESPONSE),
});
// The values OCSP's OIDs name elsewhere: a response's BasicOCSPResponse, a certificate's
// id-pkix-ocsp-nocheck extension (packet-ocsp.c's register_ber_oid_dissector calls).
registerBerOid('1.3.6.1.5.5.7.48.1.1', { ...ocspProtocol, dissect: (tvb, ctx, node) => walk(tvb, ctx, node, BASIC_OCSP_RESPONSE) });
registerBerOid('1.3.6.1.5.5.7.48.1.5', { ...ocspProtocol, dissect: (tvb, ctx, node) => walk(tvb, ctx, node, EXTENSIONS['1.3.6.1.5.5.7.48.1.5']!) });

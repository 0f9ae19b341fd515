// X.509 certificates (RFC 5280) as tshark 4.0 shows them under a TLS Certificate message: the
// Wireshark dissectors x509af (the certificate), x509if (names), x509sat (attribute syntaxes),
// x509ce (certificate extensions), pkix1implicit/pkix1explicit (the PKIX extensions and policy
// qualifiers) and pkcs-1 (RSA and EC keys), whose field names this file keeps. The syntax is
// data (asn1.ts's Asn1Type); a value named by an OID (a DN attribute's, an extension's, a policy
// qualifier's) is shown by the OID's entry in OIDS, or by a protocol that registered the OID in
// dispatch.ts (TLS for Certificate Transparency), or is "BER: Dissector for OID not
// implemented" as in tshark. Each value dissected by OID adds its protocol to frame.protocols
// ("...:tls:x509sat:x509sat:x509ce:pkix1implicit:..."), as Wireshark's call_ber_oid_callback does.
import { berFields, BerWalker, count, DerError, items, readTlv, U, within, type Asn1Type, type Member, type Tlv } from '../asn1.js';
import { allFields, defineFields, type FieldDef } from '../field.js';
import { cutUtf8, formatNodeText, ITEM_LABEL_MAX } from '../format.js';
import { defineProtocol, isDecodeError, lookupBerOid, registerDissector } from '../dispatch.js';
import { oidName, registerOidNames } from '../oid-names.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';

const GENERAL_NAMES: Record<number, string> = {
  0: 'otherName', 1: 'rfc822Name', 2: 'dNSName', 3: 'x400Address', 4: 'directoryName', 5: 'ediPartyName',
  6: 'uniformResourceIdentifier', 7: 'iPAddress', 8: 'registeredID',
};
const DIRECTORY_STRINGS: Record<number, string> = { 0: 'teletexString', 1: 'printableString', 2: 'universalString', 3: 'bmpString', 4: 'uTF8String' };
const DISPLAY_TEXTS: Record<number, string> = { 0: 'ia5String', 1: 'visibleString', 2: 'bmpString', 3: 'utf8String' };
const NAMES: Record<number, string> = { 0: 'rdnSequence' };
const TIMES: Record<number, string> = { 0: 'utcTime', 1: 'generalizedTime' };

export const x509Fields = defineFields([
  { name: 'x509af.signedCertificate_element', label: 'signedCertificate', type: 'none' },
  { name: 'x509af.version', label: 'version', type: 'int32', base: 'dec', values: { 0: 'v1', 1: 'v2', 2: 'v3' } },
  { name: 'x509af.serialNumber', label: 'serialNumber', type: 'bytes' },
  { name: 'x509af.signature_element', label: 'signature', type: 'none' },
  { name: 'x509af.algorithm.id', label: 'Algorithm Id', type: 'string', description: 'An OID, as a string of its arcs' },
  { name: 'x509af.issuer', label: 'issuer', type: 'uint32', base: 'dec', values: NAMES },
  { name: 'x509af.validity_element', label: 'validity', type: 'none' },
  { name: 'x509af.notBefore', label: 'notBefore', type: 'uint32', base: 'dec', values: TIMES },
  { name: 'x509af.notAfter', label: 'notAfter', type: 'uint32', base: 'dec', values: TIMES },
  { name: 'x509af.utcTime', label: 'utcTime', type: 'string' },
  { name: 'x509af.generalizedTime', label: 'generalizedTime', type: 'abstime', clock: 'utc' },
  { name: 'x509af.subject', label: 'subject', type: 'uint32', base: 'dec', values: NAMES },
  { name: 'x509af.rdnSequence', label: 'rdnSequence', type: 'uint32', base: 'dec' },
  { name: 'x509af.subjectPublicKeyInfo_element', label: 'subjectPublicKeyInfo', type: 'none' },
  { name: 'x509af.algorithm_element', label: 'algorithm', type: 'none' },
  { name: 'x509af.subjectPublicKey', label: 'subjectPublicKey', type: 'bytes' },
  { name: 'x509af.issuerUniqueIdentifier', label: 'issuerUniqueIdentifier', type: 'bytes' },
  { name: 'x509af.subjectUniqueIdentifier', label: 'subjectUniqueIdentifier', type: 'bytes' },
  { name: 'x509af.extensions', label: 'extensions', type: 'uint32', base: 'dec' },
  { name: 'x509af.Extension_element', label: 'Extension', type: 'none' },
  { name: 'x509af.extension.id', label: 'Extension Id', type: 'string', description: 'An OID, as a string of its arcs' },
  { name: 'x509af.critical', label: 'critical', type: 'boolean' },
  { name: 'x509af.algorithmIdentifier_element', label: 'algorithmIdentifier', type: 'none' },
  { name: 'x509af.encrypted', label: 'encrypted', type: 'bytes' },
  { name: 'x509af.Userid', label: 'Userid', type: 'string' },
  { name: 'x509if.rdnSequence', label: 'rdnSequence', type: 'uint32', base: 'dec' },
  { name: 'x509if.RDNSequence_item', label: 'RDNSequence item', type: 'uint32', base: 'dec' },
  { name: 'x509if.RelativeDistinguishedName_item_element', label: 'RelativeDistinguishedName item', type: 'none' },
  { name: 'x509if.oid', label: 'Object Id', type: 'string', description: 'An OID, as a string of its arcs' },
  { name: 'x509sat.DirectoryString', label: 'DirectoryString', type: 'uint32', base: 'dec', values: DIRECTORY_STRINGS },
  { name: 'x509sat.teletexString', label: 'teletexString', type: 'string' },
  { name: 'x509sat.printableString', label: 'printableString', type: 'string' },
  { name: 'x509sat.universalString', label: 'universalString', type: 'string' },
  { name: 'x509sat.bmpString', label: 'bmpString', type: 'string' },
  { name: 'x509sat.uTF8String', label: 'uTF8String', type: 'string' },
  { name: 'x509sat.CountryName', label: 'CountryName', type: 'string' },
  { name: 'x509sat.PrintableString', label: 'PrintableString', type: 'string' },
  { name: 'x509sat.IA5String', label: 'IA5String', type: 'string' },
  { name: 'x509sat.UTF8String', label: 'UTF8String', type: 'string' },
  { name: 'x509ce.AuthorityKeyIdentifier_element', label: 'AuthorityKeyIdentifier', type: 'none' },
  { name: 'x509ce.keyIdentifier', label: 'keyIdentifier', type: 'bytes' },
  { name: 'x509ce.authorityCertIssuer', label: 'authorityCertIssuer', type: 'uint32', base: 'dec' },
  { name: 'x509ce.authorityCertSerialNumber', label: 'authorityCertSerialNumber', type: 'bytes' },
  { name: 'x509ce.SubjectKeyIdentifier', label: 'SubjectKeyIdentifier', type: 'bytes' },
  { name: 'x509ce.KeyUsage', label: 'KeyUsage', type: 'bytes' },
  { name: 'x509ce.KeyUsage.digitalSignature', label: 'digitalSignature', type: 'boolean', mask: 0x80 },
  { name: 'x509ce.KeyUsage.contentCommitment', label: 'contentCommitment', type: 'boolean', mask: 0x40 },
  { name: 'x509ce.KeyUsage.keyEncipherment', label: 'keyEncipherment', type: 'boolean', mask: 0x20 },
  { name: 'x509ce.KeyUsage.dataEncipherment', label: 'dataEncipherment', type: 'boolean', mask: 0x10 },
  { name: 'x509ce.KeyUsage.keyAgreement', label: 'keyAgreement', type: 'boolean', mask: 0x08 },
  { name: 'x509ce.KeyUsage.keyCertSign', label: 'keyCertSign', type: 'boolean', mask: 0x04 },
  { name: 'x509ce.KeyUsage.cRLSign', label: 'cRLSign', type: 'boolean', mask: 0x02 },
  { name: 'x509ce.KeyUsage.encipherOnly', label: 'encipherOnly', type: 'boolean', mask: 0x01 },
  { name: 'x509ce.KeyUsage.decipherOnly', label: 'decipherOnly', type: 'boolean', mask: 0x80 },
  { name: 'x509ce.BasicConstraintsSyntax_element', label: 'BasicConstraintsSyntax', type: 'none' },
  { name: 'x509ce.cA', label: 'cA', type: 'boolean' },
  { name: 'x509ce.pathLenConstraint', label: 'pathLenConstraint', type: 'uint64', base: 'dec' },
  { name: 'x509ce.KeyPurposeIDs', label: 'KeyPurposeIDs', type: 'uint32', base: 'dec' },
  { name: 'x509ce.KeyPurposeId', label: 'KeyPurposeId', type: 'string', description: 'An OID, as a string of its arcs' },
  { name: 'x509ce.CertificatePoliciesSyntax', label: 'CertificatePoliciesSyntax', type: 'uint32', base: 'dec' },
  { name: 'x509ce.PolicyInformation_element', label: 'PolicyInformation', type: 'none' },
  { name: 'x509ce.policyIdentifier', label: 'policyIdentifier', type: 'string', description: 'An OID, as a string of its arcs' },
  { name: 'x509ce.policyQualifiers', label: 'policyQualifiers', type: 'uint32', base: 'dec' },
  { name: 'x509ce.PolicyQualifierInfo_element', label: 'PolicyQualifierInfo', type: 'none' },
  { name: 'x509ce.id', label: 'Id', type: 'string', description: 'An OID, as a string of its arcs' },
  { name: 'x509ce.CRLDistPointsSyntax', label: 'CRLDistPointsSyntax', type: 'uint32', base: 'dec' },
  { name: 'x509ce.DistributionPoint_element', label: 'DistributionPoint', type: 'none' },
  { name: 'x509ce.distributionPoint', label: 'distributionPoint', type: 'uint32', base: 'dec', values: { 0: 'fullName', 1: 'nameRelativeToCRLIssuer' } },
  { name: 'x509ce.fullName', label: 'fullName', type: 'uint32', base: 'dec' },
  { name: 'x509ce.nameRelativeToCRLIssuer', label: 'nameRelativeToCRLIssuer', type: 'uint32', base: 'dec' },
  { name: 'x509ce.reasons', label: 'reasons', type: 'bytes' },
  { name: 'x509ce.cRLIssuer', label: 'cRLIssuer', type: 'uint32', base: 'dec' },
  { name: 'x509ce.GeneralNames', label: 'GeneralNames', type: 'uint32', base: 'dec' },
  { name: 'x509ce.GeneralName', label: 'GeneralName', type: 'uint32', base: 'dec', values: GENERAL_NAMES },
  { name: 'x509ce.otherName_element', label: 'otherName', type: 'none' },
  { name: 'x509ce.type_id', label: 'type-id', type: 'string', description: 'An OID, as a string of its arcs' },
  { name: 'x509ce.rfc822Name', label: 'rfc822Name', type: 'string' },
  { name: 'x509ce.dNSName', label: 'dNSName', type: 'string' },
  { name: 'x509ce.x400Address_element', label: 'x400Address', type: 'none' },
  { name: 'x509ce.directoryName', label: 'directoryName', type: 'uint32', base: 'dec', values: NAMES },
  { name: 'x509ce.ediPartyName_element', label: 'ediPartyName', type: 'none' },
  { name: 'x509ce.uniformResourceIdentifier', label: 'uniformResourceIdentifier', type: 'string' },
  { name: 'x509ce.IPAddress.ipv4', label: 'iPAddress', type: 'ipv4' },
  { name: 'x509ce.IPAddress.ipv6', label: 'iPAddress', type: 'ipv6' },
  { name: 'x509ce.registeredID', label: 'registeredID', type: 'string', description: 'An OID, as a string of its arcs' },
  { name: 'x509ce.NameConstraintsSyntax_element', label: 'NameConstraintsSyntax', type: 'none' },
  { name: 'x509ce.permittedSubtrees', label: 'permittedSubtrees', type: 'uint32', base: 'dec' },
  { name: 'x509ce.excludedSubtrees', label: 'excludedSubtrees', type: 'uint32', base: 'dec' },
  { name: 'x509ce.GeneralSubtree_element', label: 'GeneralSubtree', type: 'none' },
  { name: 'x509ce.base', label: 'base', type: 'uint32', base: 'dec', values: GENERAL_NAMES },
  { name: 'x509ce.minimum', label: 'minimum', type: 'uint64', base: 'dec' },
  { name: 'x509ce.maximum', label: 'maximum', type: 'uint64', base: 'dec' },
  { name: 'x509ce.PolicyConstraintsSyntax_element', label: 'PolicyConstraintsSyntax', type: 'none' },
  { name: 'x509ce.requireExplicitPolicy', label: 'requireExplicitPolicy', type: 'uint64', base: 'dec' },
  { name: 'x509ce.inhibitPolicyMapping', label: 'inhibitPolicyMapping', type: 'uint64', base: 'dec' },
  { name: 'x509ce.SkipCerts', label: 'SkipCerts', type: 'uint64', base: 'dec' },
  { name: 'pkix1implicit.AuthorityInfoAccessSyntax', label: 'AuthorityInfoAccessSyntax', type: 'uint32', base: 'dec' },
  { name: 'pkix1implicit.AccessDescription_element', label: 'AccessDescription', type: 'none' },
  { name: 'pkix1implicit.accessMethod', label: 'accessMethod', type: 'string', description: 'An OID, as a string of its arcs' },
  // tshark 4.0 shows accessLocation's alternative as a bare number ("accessLocation: 6").
  { name: 'pkix1implicit.accessLocation', label: 'accessLocation', type: 'uint32', base: 'dec' },
  { name: 'pkix1implicit.UserNotice_element', label: 'UserNotice', type: 'none' },
  { name: 'pkix1implicit.noticeRef_element', label: 'noticeRef', type: 'none' },
  { name: 'pkix1implicit.organization', label: 'organization', type: 'uint32', base: 'dec', values: DISPLAY_TEXTS },
  { name: 'pkix1implicit.noticeNumbers', label: 'noticeNumbers', type: 'uint32', base: 'dec' },
  { name: 'pkix1implicit.noticeNumbers_item', label: 'noticeNumbers item', type: 'int32', base: 'dec' },
  { name: 'pkix1implicit.explicitText', label: 'explicitText', type: 'uint32', base: 'dec', values: DISPLAY_TEXTS },
  { name: 'pkix1implicit.ia5String', label: 'ia5String', type: 'string' },
  { name: 'pkix1implicit.visibleString', label: 'visibleString', type: 'string' },
  { name: 'pkix1implicit.bmpString', label: 'bmpString', type: 'string' },
  { name: 'pkix1implicit.utf8String', label: 'utf8String', type: 'string' },
  { name: 'pkix1explicit.DirectoryString', label: 'DirectoryString', type: 'string' },
  { name: 'pkcs1.modulus', label: 'modulus', type: 'bytes' },
  { name: 'pkcs1.publicExponent', label: 'publicExponent', type: 'int32', base: 'dec' },
  { name: 'pkcs1.ECParameters', label: 'ECParameters', type: 'uint32', base: 'dec', values: { 0: 'specifiedCurve', 1: 'namedCurve', 2: 'implicitlyCA' } },
  { name: 'pkcs1.namedCurve', label: 'namedCurve', type: 'string', description: 'An OID, as a string of its arcs' },
  { name: 'ns_cert_exts.Comment', label: 'Comment', type: 'string' },
] as const);

const F = x509Fields;

// ---- Syntax (RFC 5280 4.1 and 4.2, X.520, RFC 3279, as Wireshark's .asn files name them) ----

const str = (field: FieldDef, tag: number, ctx?: number): Member => ({ field, type: { t: 'str', tag }, ctx });
const seqOf = (field: FieldDef, item: Member, ctx?: number, optional?: boolean): Member => ({ field, type: { t: 'of', item }, ctx, optional });
const seq = (field: FieldDef | null, members: readonly Member[], ctx?: number, optional?: boolean): Member => ({ field, type: { t: 'seq', members }, ctx, optional });
const fn = (field: FieldDef | null, tag: number, f: Extract<Asn1Type, { t: 'fn' }>['fn'], ctx?: number, optional?: boolean): Member => ({ field, type: { t: 'fn', tag, fn: f }, ctx, optional });

/** Name ::= CHOICE { rdnSequence }: the choice's field, and the sequence's (x509af's for a subject, x509if's elsewhere). */
const name = (field: FieldDef, rdnField: FieldDef, ctx?: number): Member => ({
  field, ctx, type: { t: 'choice', alts: [fn(rdnField, U.SEQUENCE, showRdnSequence)] },
});

const generalName = (field: FieldDef): Member => ({
  field,
  type: {
    t: 'choice',
    alts: [
      fn(F['x509ce.otherName_element'], U.SEQUENCE, showOtherName, 0),
      str(F['x509ce.rfc822Name'], U.IA5String, 1),
      str(F['x509ce.dNSName'], U.IA5String, 2),
      fn(F['x509ce.x400Address_element'], U.SEQUENCE, showBare, 3),
      name(F['x509ce.directoryName'], F['x509if.rdnSequence'], 4),
      fn(F['x509ce.ediPartyName_element'], U.SEQUENCE, showBare, 5),
      str(F['x509ce.uniformResourceIdentifier'], U.IA5String, 6),
      fn(null, U.OCTET_STRING, showIpAddress, 7),
      { field: F['x509ce.registeredID'], type: { t: 'oid' }, ctx: 8 },
    ],
  },
});
const generalNames = (field: FieldDef, ctx?: number, optional?: boolean): Member => seqOf(field, generalName(F['x509ce.GeneralName']), ctx, optional);

const displayText = (field: FieldDef, optional?: boolean): Member => ({
  field, optional,
  type: {
    t: 'choice',
    alts: [
      str(F['pkix1implicit.ia5String'], U.IA5String), str(F['pkix1implicit.visibleString'], U.VisibleString),
      str(F['pkix1implicit.bmpString'], U.BMPString), str(F['pkix1implicit.utf8String'], U.UTF8String),
    ],
  },
});

const directoryString: Member = {
  field: F['x509sat.DirectoryString'],
  type: {
    t: 'choice',
    alts: [
      str(F['x509sat.teletexString'], U.TeletexString), str(F['x509sat.printableString'], U.PrintableString),
      str(F['x509sat.universalString'], U.UniversalString), str(F['x509sat.bmpString'], U.BMPString),
      str(F['x509sat.uTF8String'], U.UTF8String),
    ],
  },
};

const time = (field: FieldDef): Member => ({
  field, type: { t: 'choice', alts: [{ field: F['x509af.utcTime'], type: { t: 'utctime' } }, { field: F['x509af.generalizedTime'], type: { t: 'gentime' } }] },
});

const algorithm = (field: FieldDef): Member => fn(field, U.SEQUENCE, showAlgorithm);

const subtrees = (field: FieldDef, ctx: number): Member => seqOf(field, seq(F['x509ce.GeneralSubtree_element'], [
  generalName(F['x509ce.base']),
  { field: F['x509ce.minimum'], type: { t: 'int' }, ctx: 0, optional: true },
  { field: F['x509ce.maximum'], type: { t: 'int' }, ctx: 1, optional: true },
]), ctx, true);

const TBS_CERTIFICATE: Member = seq(F['x509af.signedCertificate_element'], [
  { field: F['x509af.version'], type: { t: 'int' }, ctx: 0, explicit: true, optional: true },
  { field: F['x509af.serialNumber'], type: { t: 'hexint' } },
  algorithm(F['x509af.signature_element']),
  name(F['x509af.issuer'], F['x509if.rdnSequence']),
  seq(F['x509af.validity_element'], [time(F['x509af.notBefore']), time(F['x509af.notAfter'])]),
  name(F['x509af.subject'], F['x509af.rdnSequence']),
  fn(F['x509af.subjectPublicKeyInfo_element'], U.SEQUENCE, showSubjectPublicKeyInfo),
  { field: F['x509af.issuerUniqueIdentifier'], type: { t: 'bits' }, ctx: 1, optional: true },
  { field: F['x509af.subjectUniqueIdentifier'], type: { t: 'bits' }, ctx: 2, optional: true },
  { ...seqOf(F['x509af.extensions'], fn(F['x509af.Extension_element'], U.SEQUENCE, showExtension), 3, true), explicit: true },
]);

const CERTIFICATE: readonly Member[] = [
  TBS_CERTIFICATE,
  algorithm(F['x509af.algorithmIdentifier_element']),
  { field: F['x509af.encrypted'], type: { t: 'bits' } },
];

const RSA_PUBLIC_KEY: Member = seq(null, [{ field: F['pkcs1.modulus'], type: { t: 'hexint' } }, { field: F['pkcs1.publicExponent'], type: { t: 'int' } }]);

const EC_PARAMETERS: Member = {
  field: F['pkcs1.ECParameters'],
  type: { t: 'choice', alts: [fn(null, U.SEQUENCE, showBare), { field: F['pkcs1.namedCurve'], type: { t: 'oid' } }, { field: null, type: { t: 'null' } }] },
};

const USER_NOTICE: Member = seq(F['pkix1implicit.UserNotice_element'], [
  seq(F['pkix1implicit.noticeRef_element'], [
    displayText(F['pkix1implicit.organization']),
    seqOf(F['pkix1implicit.noticeNumbers'], { field: F['pkix1implicit.noticeNumbers_item'], type: { t: 'int' } }),
  ], undefined, true),
  displayText(F['pkix1implicit.explicitText'], true),
]);

/** What an OID names, as Wireshark's OID table does: its name, and for a value it dissects, the syntax and the protocol that owns it. */
interface OidEntry {
  name: string;
  syntax?: Member;
  /** frame.protocols' entry for the value's dissector. */
  proto?: string;
  /** The value is an OCTET STRING whose contents another protocol (dispatch.ts's BER OID table) shows. */
  wrapped?: boolean;
}

const ce = (name: string, syntax: Member): OidEntry => ({ name, syntax, proto: 'x509ce' });
const at = (name: string, syntax: Member = directoryString): OidEntry => ({ name, syntax, proto: 'x509sat' });

/** OIDs by dotted form. Names are tshark 4.0's (its oids table and the .cnf files of the x509 dissectors). */
const OIDS: Readonly<Record<string, OidEntry>> = {
  // Arcs tshark names (its oid_add_from_string calls): unknown OIDs below them read "US company arc.113733.1.7.54".
  '0': { name: 'itu-t' }, '1': { name: 'iso' }, '2': { name: 'joint-iso-itu-t' }, '1.2.840': { name: 'ISO assigned OIDs, USA' },
  '2.16.840.1': { name: 'US company arc' },
  // X.520 attribute types in names (x509sat).
  '2.5.4.3': at('id-at-commonName'), '2.5.4.4': at('id-at-surname'), '2.5.4.5': at('id-at-serialNumber', str(F['x509sat.PrintableString'], U.PrintableString)),
  '2.5.4.6': at('id-at-countryName', str(F['x509sat.CountryName'], U.PrintableString)), '2.5.4.7': at('id-at-localityName'),
  '2.5.4.8': at('id-at-stateOrProvinceName'), '2.5.4.9': at('id-at-streetAddress'), '2.5.4.10': at('id-at-organizationName'),
  '2.5.4.11': at('id-at-organizationalUnitName'), '2.5.4.12': at('id-at-title'), '2.5.4.13': at('id-at-description'),
  '2.5.4.15': at('id-at-businessCategory'), '2.5.4.17': at('id-at-postalCode'), '2.5.4.42': at('id-at-givenName'),
  '2.5.4.43': at('id-at-initials'), '2.5.4.44': at('id-at-generationQualifier'),
  '2.5.4.46': at('id-at-dnQualifier', str(F['x509sat.PrintableString'], U.PrintableString)), '2.5.4.65': at('id-at-pseudonym'),
  '1.2.840.113549.1.9.1': at('pkcs-9-at-emailAddress', str(F['x509sat.IA5String'], U.IA5String)),
  '0.9.2342.19200300.100.1.25': at('dc', str(F['x509sat.IA5String'], U.IA5String)),
  '0.9.2342.19200300.100.1.1': { name: 'id-userid', syntax: str(F['x509af.Userid'], U.UTF8String), proto: 'x509af' },
  // Algorithms (RFC 3279, RFC 4055, RFC 5758) and named curves (RFC 5480).
  '1.2.840.113549.1.1.1': { name: 'rsaEncryption' }, '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption' },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption' }, '1.2.840.113549.1.1.10': { name: 'id-RSASSA-PSS' },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption' }, '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption' },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption' }, '1.2.840.113549.1.1.14': { name: 'sha224WithRSAEncryption' },
  '1.3.14.3.2.29': { name: 'sha-1WithRSAEncryption' }, '1.2.840.10040.4.1': { name: 'id-dsa' }, '1.2.840.10040.4.3': { name: 'id-dsa-with-sha1' },
  '1.2.840.10045.2.1': { name: 'id-ecPublicKey', syntax: EC_PARAMETERS, proto: 'pkcs-1' },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1' }, '1.2.840.10045.4.3.1': { name: 'ecdsa-with-SHA224' },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256' }, '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384' },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512' },
  '1.2.840.10045.3.1.7': { name: 'secp256r1' }, '1.3.132.0.34': { name: 'secp384r1' }, '1.3.132.0.35': { name: 'secp521r1' },
  // Certificate extensions (x509ce, pkix1implicit; RFC 5280 4.2).
  '2.5.29.14': ce('id-ce-subjectKeyIdentifier', { field: F['x509ce.SubjectKeyIdentifier'], type: { t: 'octets' } }),
  '2.5.29.15': ce('id-ce-keyUsage', {
    field: F['x509ce.KeyUsage'],
    type: {
      t: 'bits',
      named: [
        F['x509ce.KeyUsage.digitalSignature'], F['x509ce.KeyUsage.contentCommitment'], F['x509ce.KeyUsage.keyEncipherment'],
        F['x509ce.KeyUsage.dataEncipherment'], F['x509ce.KeyUsage.keyAgreement'], F['x509ce.KeyUsage.keyCertSign'],
        F['x509ce.KeyUsage.cRLSign'], F['x509ce.KeyUsage.encipherOnly'], F['x509ce.KeyUsage.decipherOnly'],
      ],
    },
  }),
  '2.5.29.17': ce('id-ce-subjectAltName', generalNames(F['x509ce.GeneralNames'])),
  '2.5.29.18': ce('id-ce-issuerAltName', generalNames(F['x509ce.GeneralNames'])),
  '2.5.29.19': ce('id-ce-basicConstraints', seq(F['x509ce.BasicConstraintsSyntax_element'], [
    { field: F['x509ce.cA'], type: { t: 'bool' }, optional: true },
    { field: F['x509ce.pathLenConstraint'], type: { t: 'int' }, optional: true },
  ])),
  '2.5.29.30': ce('id-ce-nameConstraints', seq(F['x509ce.NameConstraintsSyntax_element'], [
    subtrees(F['x509ce.permittedSubtrees'], 0), subtrees(F['x509ce.excludedSubtrees'], 1),
  ])),
  '2.5.29.31': ce('id-ce-cRLDistributionPoints', seqOf(F['x509ce.CRLDistPointsSyntax'], seq(F['x509ce.DistributionPoint_element'], [
    {
      field: F['x509ce.distributionPoint'], ctx: 0, optional: true,
      type: { t: 'choice', alts: [generalNames(F['x509ce.fullName'], 0), seqOf(F['x509ce.nameRelativeToCRLIssuer'], fn(F['x509if.RelativeDistinguishedName_item_element'], U.SEQUENCE, showAttribute), 1)] },
    },
    { field: F['x509ce.reasons'], type: { t: 'bits' }, ctx: 1, optional: true },
    generalNames(F['x509ce.cRLIssuer'], 2, true),
  ]))),
  '2.5.29.32': ce('id-ce-certificatePolicies', seqOf(F['x509ce.CertificatePoliciesSyntax'], seq(F['x509ce.PolicyInformation_element'], [
    { field: F['x509ce.policyIdentifier'], type: { t: 'oid' } },
    seqOf(F['x509ce.policyQualifiers'], fn(F['x509ce.PolicyQualifierInfo_element'], U.SEQUENCE, showPolicyQualifier), undefined, true),
  ]))),
  '2.5.29.32.0': { name: 'anyPolicy' },
  '2.5.29.35': ce('id-ce-authorityKeyIdentifier', seq(F['x509ce.AuthorityKeyIdentifier_element'], [
    { field: F['x509ce.keyIdentifier'], type: { t: 'octets' }, ctx: 0, optional: true },
    generalNames(F['x509ce.authorityCertIssuer'], 1, true),
    { field: F['x509ce.authorityCertSerialNumber'], type: { t: 'hexint' }, ctx: 2, optional: true },
  ])),
  '2.5.29.36': ce('id-ce-policyConstraints', seq(F['x509ce.PolicyConstraintsSyntax_element'], [
    { field: F['x509ce.requireExplicitPolicy'], type: { t: 'int' }, ctx: 0, optional: true },
    { field: F['x509ce.inhibitPolicyMapping'], type: { t: 'int' }, ctx: 1, optional: true },
  ])),
  '2.5.29.37': ce('id-ce-extKeyUsage', seqOf(F['x509ce.KeyPurposeIDs'], { field: F['x509ce.KeyPurposeId'], type: { t: 'oid' } })),
  '2.5.29.54': ce('id-ce-inhibitAnyPolicy', { field: F['x509ce.SkipCerts'], type: { t: 'int' } }),
  '1.3.6.1.5.5.7.1.1': {
    name: 'id-pe-authorityInfoAccess', proto: 'pkix1implicit',
    syntax: seqOf(F['pkix1implicit.AuthorityInfoAccessSyntax'], seq(F['pkix1implicit.AccessDescription_element'], [
      { field: F['pkix1implicit.accessMethod'], type: { t: 'oid' } }, generalName(F['pkix1implicit.accessLocation']),
    ])),
  },
  '2.16.840.1.113730.1.13': { name: 'ns_cert_exts.comment', syntax: str(F['ns_cert_exts.Comment'], U.IA5String), proto: 'ns_cert_exts' },
  // An OCTET STRING whose contents are TLS's (registered by tls.ts in dispatch.ts).
  '1.3.6.1.4.1.11129.2.4.2': { name: 'SignedCertificateTimestampList', wrapped: true },
  // Policy qualifiers (RFC 5280 4.2.1.4), access methods, key purposes, other names.
  '1.3.6.1.5.5.7.2.1': { name: 'id-qt-cps', syntax: str(F['pkix1explicit.DirectoryString'], U.IA5String), proto: 'pkix1explicit' },
  '1.3.6.1.5.5.7.2.2': { name: 'id-qt-unotice', syntax: USER_NOTICE, proto: 'pkix1implicit' },
  '1.3.6.1.5.5.7.48.1': { name: 'id-ad-ocsp' }, '1.3.6.1.5.5.7.48.2': { name: 'id-ad-caIssuers' },
  '1.3.6.1.5.5.7.48.1.5': { name: 'id-pkix-ocsp-nocheck' },
  '1.3.6.1.5.5.7.3.1': { name: 'id-kp-serverAuth' }, '1.3.6.1.5.5.7.3.2': { name: 'id-kp-clientAuth' },
  '1.3.6.1.5.5.7.3.3': { name: 'id-kp-codeSigning' }, '1.3.6.1.5.5.7.3.4': { name: 'id-kp-emailProtection' },
  '1.3.6.1.5.5.7.3.8': { name: 'id-kp-timeStamping' }, '1.3.6.1.5.5.7.3.9': { name: 'OCSPSigning' },
  '1.3.6.1.4.1.311.20.2.3': { name: 'id-ms-user-principal-name', syntax: str(F['x509sat.UTF8String'], U.UTF8String), proto: 'x509sat' },
};

registerOidNames(Object.fromEntries(Object.entries(OIDS).map(([oid, e]) => [oid, e.name])));

// ---- The parts shown in a way of their own ----

/** A value named by `oid` in [o, end): its syntax, a registered protocol, or tshark's "not implemented" note. */
function showByOid(w: BerWalker, parent: FieldNode, oid: string, o: number, end: number): void {
  const { ctx, tvb } = w;
  const entry = OIDS[oid];
  if (entry?.syntax) {
    ctx.layers.push(entry.proto!);
    w.member(parent, entry.syntax, o, end);
    return;
  }
  const other = lookupBerOid(oid);
  if (other) {
    const inner = entry?.wrapped ? readTlv(tvb, o, end) : null;
    if (inner && inner.tag !== U.OCTET_STRING) throw new DerError('BER Error: OctetString expected', tvb.abs(o));
    ctx.layers.push(other.id);
    other.dissect(inner ? tvb.sub(inner.value, inner.length) : tvb.sub(o, end - o), ctx, parent);
    return;
  }
  const node = ctx.add(parent, berFields['ber.error.oid_not_implemented'], tvb, o, end - o, null);
  ctx.addExpert(node, 'warn', 'undecoded', berFields['ber.error.oid_not_implemented'].label);
}

/** AlgorithmIdentifier: "signature (sha256WithRSAEncryption)", its Algorithm Id, and parameters where tshark shows them (EC keys' curve). */
function showAlgorithm(w: BerWalker, tlv: Tlv, parent: FieldNode, m: Member): FieldNode {
  const node = w.add(parent, m.field!, tlv.start, tlv.end - tlv.start, null);
  within(node, () => {
    const id = w.member(node, { field: F['x509af.algorithm.id'], type: { t: 'oid' } }, tlv.value, tlv.end);
    const oid = w.lastText;
    if (w.ctx.tree) w.ctx.setText(node, `${m.field!.label} (${oidName(oid)})`);
    // Only the parameters of a key algorithm with a syntax of its own are shown (an RSA NULL is not).
    if (id.end < tlv.end && OIDS[oid]?.syntax) showByOid(w, node, oid, id.end, tlv.end);
  });
  return node;
}

/** SubjectPublicKeyInfo: an RSA key's modulus and exponent under the key's bytes (no Padding line, as tshark); any other key as a BIT STRING. */
function showSubjectPublicKeyInfo(w: BerWalker, tlv: Tlv, parent: FieldNode, m: Member): void {
  const node = w.add(parent, m.field!, tlv.start, tlv.end - tlv.start, null);
  within(node, () => showKey(w, tlv, node));
}

function showKey(w: BerWalker, tlv: Tlv, node: FieldNode): void {
  const alg = readTlv(w.tvb, tlv.value, tlv.end);
  showAlgorithm(w, alg, node, { field: F['x509af.algorithm_element'], type: { t: 'seq', members: [] } });
  const rsa = w.lastText === '1.2.840.113549.1.1.1';
  const key = readTlv(w.tvb, alg.end, tlv.end);
  if (key.tag !== U.BIT_STRING || key.length < 1) throw new DerError('BER Error: BitString expected', w.tvb.abs(key.start));
  if (!rsa) {
    w.value(node, { field: F['x509af.subjectPublicKey'], type: { t: 'bits' } }, key);
    return;
  }
  const keyNode = w.add(node, F['x509af.subjectPublicKey'], key.value + 1, key.length - 1, w.tvb.slice(key.value + 1, key.length - 1));
  w.member(keyNode, RSA_PUBLIC_KEY, key.value + 1, key.end);
}

/** Extension: "Extension (id-ce-keyUsage)", its id, critical when present, and the value by its OID. */
function showExtension(w: BerWalker, tlv: Tlv, parent: FieldNode, m: Member): void {
  const node = w.add(parent, m.field!, tlv.start, tlv.end - tlv.start, null);
  within(node, () => {
    const id = w.member(node, { field: F['x509af.extension.id'], type: { t: 'oid' } }, tlv.value, tlv.end);
    const oid = w.lastText;
    if (w.ctx.tree) w.ctx.setText(node, `Extension (${oidName(oid)})`);
    let next = readTlv(w.tvb, id.end, tlv.end);
    if (next.tag === U.BOOLEAN) {
      w.value(node, { field: F['x509af.critical'], type: { t: 'bool' } }, next);
      next = readTlv(w.tvb, next.end, tlv.end);
    }
    if (next.tag !== U.OCTET_STRING) throw new DerError('BER Error: OctetString expected', w.tvb.abs(next.start));
    showByOid(w, node, oid, next.value, next.end);
  });
}

/** PolicyQualifierInfo: its Id and the qualifier by that Id. */
function showPolicyQualifier(w: BerWalker, tlv: Tlv, parent: FieldNode, m: Member): void {
  const node = w.add(parent, m.field!, tlv.start, tlv.end - tlv.start, null);
  within(node, () => {
    const id = w.member(node, { field: F['x509ce.id'], type: { t: 'oid' } }, tlv.value, tlv.end);
    if (id.end < tlv.end) showByOid(w, node, w.lastText, id.end, tlv.end);
  });
}

/** otherName: its type-id and the value ([0] EXPLICIT) by that id. */
function showOtherName(w: BerWalker, tlv: Tlv, parent: FieldNode, m: Member): void {
  const node = w.add(parent, m.field!, tlv.value, tlv.length, null);
  within(node, () => {
    const id = w.member(node, { field: F['x509ce.type_id'], type: { t: 'oid' } }, tlv.value, tlv.end);
    const oid = w.lastText;
    if (id.end >= tlv.end) return;
    const value = readTlv(w.tvb, id.end, tlv.end);
    showByOid(w, node, oid, value.value, value.end);
  });
}

/** iPAddress: an IPv4 or IPv6 address; tshark shows nothing below other lengths (a name constraint's address and mask). */
function showIpAddress(w: BerWalker, tlv: Tlv, parent: FieldNode): void {
  if (tlv.length === 4) w.add(parent, F['x509ce.IPAddress.ipv4'], tlv.value, 4, w.tvb.u32(tlv.value));
  else if (tlv.length === 16) w.add(parent, F['x509ce.IPAddress.ipv6'], tlv.value, 16, w.tvb.slice(tlv.value, 16));
}

/** An item tshark shows by its name only (x400Address, ediPartyName, explicit EC parameters). */
function showBare(w: BerWalker, tlv: Tlv, parent: FieldNode, m: Member): void {
  if (m.field) w.add(parent, m.field, tlv.start, tlv.end - tlv.start, null);
}

/**
 * RDNSequence: "rdnSequence: N items (CN=…,O=…,C=…)" — the summary lists the RDNs last first,
 * an RDN's attributes joined by "+", each "name=value" — then an "RDNSequence item" per RDN and
 * a "RelativeDistinguishedName item" per attribute (x509if). Labels are cut at 239 bytes
 * unmarked, as proto_item_append_text leaves them. A subject's summary (x509af's rdnSequence)
 * is kept for the Certificate item.
 */
function showRdnSequence(w: BerWalker, tlv: Tlv, parent: FieldNode, m: Member): void {
  const { tvb, ctx } = w;
  const n = count(tvb, tlv);
  const node = w.add(parent, m.field!, tlv.start, tlv.end - tlv.start, n);
  const dn = showRdns(w, tlv, node);
  // An empty sequence (a certificate whose name is all in subjectAltName) has no summary of its own.
  if (ctx.tree) ctx.setText(node, label(n === 0 ? `${m.field!.label}: ${items(n)}` : `${m.field!.label}: ${items(n)} (${dn})`));
  if (m.field === F['x509af.rdnSequence'] && w instanceof CertificateWalker) w.subject = dn;
}

/** The RDNs of the RDNSequence `tlv` below `node`; returns their summary ("CN=…,O=…,C=…"). */
function showRdns(w: BerWalker, tlv: Tlv, node: FieldNode): string {
  const { tvb, ctx } = w;
  const rdns: string[] = [];
  within(node, () => {
    for (let p = tlv.value; p < tlv.end; ) {
      const set = readTlv(tvb, p, tlv.end);
      if (set.tag !== U.SET) throw new DerError('BER Error: SET expected', tvb.abs(set.start));
      const k = count(tvb, set);
      const rdnNode = w.add(node, F['x509if.RDNSequence_item'], set.start, set.end - set.start, k);
      const avas: string[] = [];
      within(rdnNode, () => {
        for (let q = set.value; q < set.end; ) {
          const ava = readTlv(tvb, q, set.end);
          avas.push(showAttribute(w, ava, rdnNode, { field: F['x509if.RelativeDistinguishedName_item_element'], type: { t: 'seq', members: [] } }));
          q = ava.end;
        }
      });
      const rdn = avas.join('+');
      rdns.unshift(rdn);
      if (ctx.tree) ctx.setText(rdnNode, label(`RDNSequence item: ${items(k)} (${rdn})`));
      p = set.end;
    }
  });
  return rdns.join(',');
}

/** AttributeTypeAndValue: "RelativeDistinguishedName item (id-at-countryName=GB)", its Object Id and value; returns "name=value". */
function showAttribute(w: BerWalker, tlv: Tlv, parent: FieldNode, m: Member): string {
  const node = w.add(parent, m.field!, tlv.start, tlv.end - tlv.start, null);
  const oid = within(node, () => {
    const id = w.member(node, { field: F['x509if.oid'], type: { t: 'oid' } }, tlv.value, tlv.end);
    const type = w.lastText;
    w.lastText = '';
    if (id.end < tlv.end) showByOid(w, node, type, id.end, tlv.end);
    return type;
  });
  const ava = `${oidName(oid)}=${w.lastText}`;
  if (w.ctx.tree) w.ctx.setText(node, label(`${m.field!.label} (${ava})`));
  return ava;
}

const label = (s: string): string => cutUtf8(s, ITEM_LABEL_MAX);

// ---- Entry ----

/** The fields whose values only this dissection makes (x509*, pkix1*, pkcs1, ber, and what an OID hands to another protocol). */
let ownFields: FieldDef[] | null = null;
// ocsp: a certificate's OCSP extensions (id-pkix-ocsp-nocheck's ocsp.NULL_element) are OCSP's fields.
const OWN_PROTOS = new Set(['x509af', 'x509if', 'x509sat', 'x509ce', 'pkix1implicit', 'pkix1explicit', 'pkcs1', 'ber', 'ns_cert_exts', 'ocsp']);

/** Whether anything of a certificate is wanted: the tree, one of its fields, or frame.protocols (which lists the OID dissectors). */
function wanted(ctx: PacketContext): boolean {
  if (ctx.tree) return true;
  if (!ctx.wanting) return false;
  ownFields ??= allFields().filter((f) => OWN_PROTOS.has(f.proto) || f.name.startsWith('tls.sct.') || f.name === 'frame.protocols');
  return ownFields.some((f) => ctx.wants(f));
}

/** The walker of one certificate, which keeps the subject's summary for the Certificate item. */
class CertificateWalker extends BerWalker {
  /** The subject's summary; null until the subject is read ('' for an empty one: the Certificate item still gets "()"). */
  subject: string | null = null;
}

/**
 * A DER Certificate in `tvb`, under `node` (TLS's "Certificate: 3082…" item, which gets the
 * subject appended as tshark does). DER that cannot be decoded ends the certificate with a
 * "BER Error" item and a note; what was decoded before it stays.
 */
function dissectCertificate(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  if (!wanted(ctx)) return;
  const w = new CertificateWalker(tvb, ctx, oidName);
  try {
    const cert = readTlv(tvb, 0, tvb.length);
    if (cert.tag !== U.SEQUENCE) throw new DerError('BER Error: Sequence expected', tvb.abs(0));
    w.members(node, CERTIFICATE, cert.value, cert.end);
  } catch (e) {
    showBerError(e, tvb, ctx, node);
  }
  if (ctx.tree && w.subject !== null) ctx.setText(node, label(`${formatNodeText(node)} (${w.subject})`));
}

/**
 * A DER Name (an RDNSequence) in `tvb` under `node` — a TLS Certificate Request's CA name, whose
 * "Distinguished Name: " item gets the summary appended as tshark's x509if does — with its
 * RDNs straight below the item (tshark shows no rdnSequence line there).
 */
function dissectDistinguishedName(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  if (!wanted(ctx)) return;
  const w = new BerWalker(tvb, ctx, oidName);
  try {
    const seq = readTlv(tvb, 0, tvb.length);
    if (seq.tag !== U.SEQUENCE) throw new DerError('BER Error: Sequence expected', tvb.abs(0));
    const dn = showRdns(w, seq, node);
    if (ctx.tree) ctx.setText(node, label(`${formatNodeText(node)}(${dn})`));
  } catch (e) {
    showBerError(e, tvb, ctx, node);
  }
}

/**
 * DER that cannot be decoded: tshark's BER Error item, with its note, in the item being filled;
 * the rest is not shown (tshark ends the packet there as malformed: see
 * docs/tshark-differences.md). Anything else is rethrown.
 */
function showBerError(e: unknown, tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  if (!(e instanceof DerError) && !isDecodeError(e)) throw e;
  const der = e instanceof DerError ? e : null;
  const field = der?.length ? berFields['ber.error.length'] : berFields['ber.error.sequence.field_wrong'];
  const err = ctx.add(der?.node ?? node, field, tvb, der ? der.offset - tvb.abs(0) : 0, 0, null, e.message);
  ctx.addExpert(err, 'warn', 'malformed', e.message);
}

export const x509Protocol = defineProtocol('x509af', 'X.509 Authentication Framework', dissectCertificate, 'X509AF');
registerDissector(x509Protocol);
// TLS hands a Certificate Request's CA names here by this name (tshark's dissect_x509if_DistinguishedName).
registerDissector({ ...x509Protocol, id: 'x509if.DistinguishedName', dissect: dissectDistinguishedName });

// X.509 certificates inside TLS Certificate messages, as tshark 4.0 shows them: every
// "Handshake Protocol: Certificate" item of `read -V` line by line against `tshark -n -V` (the
// signedCertificate with its names, validity, key and extensions, the algorithm and signature,
// the subject after the Certificate line), x509 fields with -T fields, and display filters on
// them, on every corpus capture with certificates and on certificates made with openssl
// (test/fixtures/x509: RSA and EC keys, Ed25519, a version 1 certificate, SAN with DNS, IP,
// e-mail, URI, directory and other names, generalizedTime, critical extensions, policies with
// qualifiers, name constraints, Certificate Transparency SCTs, unknown extensions).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusPath, repoRoot } from './helpers/corpus.js';
import { tlsCertificates } from './helpers/pcap-build.js';
import { expectSameFilterSets, ours } from './helpers/text-protocol-diff.js';
import { FIELDS_ARGS, tsharkRaw } from './helpers/tshark.js';
import { tsharkVerbose } from './helpers/tshark-verbose.js';
import { sectionLines } from './helpers/verbose.js';

/** The corpus captures with TLS Certificate messages (tshark -Y tls.handshake.certificate over the corpus). */
const WITH_CERTIFICATES = [
  'zeek/tls/tls1.2.pcap', 'zeek/tls/imap-starttls.pcap', 'zeek/smtp.pcap', 'pcapplusplus/tls.pcap', 'pcapplusplus/pcapng-example.pcapng',
  'pcapplusplus/many-protocols.pcap', 'pcapplusplus/IgmpPackets.pcap', 'pcapplusplus/file_heuristics/pcapng-example.pcapng.zst',
];

const FIELDS = [
  'x509af.version', 'x509af.serialNumber', 'x509af.algorithm.id', 'x509af.utcTime', 'x509af.generalizedTime', 'x509af.extension.id',
  'x509af.critical', 'x509af.subjectPublicKey', 'x509af.encrypted', 'x509af.rdnSequence', 'x509if.rdnSequence', 'x509if.RDNSequence_item',
  'x509if.oid', 'x509sat.DirectoryString', 'x509sat.printableString', 'x509sat.uTF8String', 'x509sat.CountryName', 'x509sat.IA5String',
  'x509ce.dNSName', 'x509ce.GeneralName', 'x509ce.IPAddress.ipv4', 'x509ce.IPAddress.ipv6', 'x509ce.uniformResourceIdentifier',
  'x509ce.KeyUsage', 'x509ce.KeyUsage.digitalSignature', 'x509ce.KeyUsage.decipherOnly', 'x509ce.cA', 'x509ce.pathLenConstraint',
  'x509ce.KeyPurposeId', 'x509ce.policyIdentifier', 'x509ce.keyIdentifier', 'pkix1implicit.accessMethod', 'pkix1implicit.accessLocation',
  'pkcs1.modulus', 'pkcs1.publicExponent', 'pkcs1.namedCurve', 'ber.bitstring.padding', 'tls.sct.sct_timestamp', 'tls.sct.sct_logid',
  'tls.handshake.certificates', 'frame.protocols',
];

const FILTERS = [
  'x509ce.dNSName contains "taleo"', 'x509sat.printableString == "GB"', 'x509sat.CountryName == "US"', 'x509af.serialNumber',
  'x509af.serialNumber == 01', 'x509af.algorithm.id == 1.2.840.113549.1.1.11', 'x509ce.KeyUsage.keyCertSign == 1', 'x509ce.cA == 1',
  'x509ce.IPAddress.ipv4 == 192.0.2.7', 'x509af.generalizedTime', 'tls.sct.sct_timestamp', 'x509ce.dNSName matches "google\\\\.co"',
];

/**
 * TLS frames only, without OCSP: a Certificate Status message's OCSP response (and OCSP over
 * HTTP) carries certificates SynScope does not dissect yet.
 */
const ONLY_CERTIFICATES = 'tls.handshake.certificate && !(tls.handshake.type == 22)';

const certificateLines = (v: string) => sectionLines(v, 'Handshake Protocol: Certificate', true);

async function expectTreeAsTshark(file: string): Promise<void> {
  const theirs = certificateLines(tsharkVerbose(file).stdout);
  expect(theirs.length).toBeGreaterThan(0);
  expect(certificateLines(await ours(file, ['-V']))).toEqual(theirs);
}

async function expectFieldsAsTshark(file: string): Promise<void> {
  const args = ['-Y', ONLY_CERTIFICATES, ...FIELDS_ARGS, ...FIELDS.flatMap((f) => ['-e', f])];
  expect(await ours(file, args)).toEqual(tsharkRaw(file, args).stdout);
}

async function expectFiltersAsTshark(file: string): Promise<void> {
  await expectSameFilterSets(file, FILTERS.map((filter) => `(${filter}) && tls && !(tls.handshake.type == 22)`));
}

describe('read: X.509 certificates on the corpus, as tshark shows them', () => {
  for (const rel of WITH_CERTIFICATES) {
    it(`${rel}: tree and fields`, async () => {
      await expectTreeAsTshark(corpusPath(rel));
      await expectFieldsAsTshark(corpusPath(rel));
    });
  }
  for (const rel of ['zeek/tls/tls1.2.pcap', 'pcapplusplus/many-protocols.pcap']) it(`${rel}: display filters`, () => expectFiltersAsTshark(corpusPath(rel)));
});

describe('read: certificates made with openssl, against tshark', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synscope-x509-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const der = (name: string) => readFileSync(join(repoRoot, 'test', 'fixtures', 'x509', `${name}.der`));
  const file = join(dir, 'certificates.pcap');
  writeFileSync(file, tlsCertificates([[der('rsa'), der('ca')], [der('ec')], [der('p384'), der('ed')], [der('v1')]]));

  it('the tree of every certificate', () => expectTreeAsTshark(file));
  it('x509 fields', () => expectFieldsAsTshark(file));
  it('display filters', () => expectFiltersAsTshark(file));

  it('malformed DER: a BER Error item where tshark puts it, what came before kept, nothing thrown', async () => {
    const ca = der('ca');
    // basicConstraints' critical BOOLEAN claims 127 bytes.
    const badLength = Buffer.from(ca);
    badLength[badLength.indexOf(Buffer.from('0603551d13', 'hex')) + 6] = 0x7f;
    const bad = join(dir, 'bad.pcap');
    writeFileSync(bad, tlsCertificates([[ca.subarray(0, 600)], [badLength], [Buffer.from([0x30, 0x80, 1, 2])]]));
    const text = await ours(bad, ['-V']);
    const theirs = tsharkVerbose(bad).stdout;
    // tshark stops the packet at the error ("[Malformed Packet: TLS]"); up to the BER Error
    // item (its message names the field: "critical: length of item ...") the trees agree.
    const upTo = (lines: string[]) => lines.slice(0, lines.findIndex((l) => l.includes('BER Error')));
    const frame2 = (v: string) => certificateLines(v.slice(v.indexOf('Frame 2:'), v.indexOf('Frame 3:')));
    expect(upTo(frame2(text))).toEqual(upTo(frame2(theirs)));
    expect(text).toContain('BER Error: length of item (127) is not valid');
    expect(text).toContain('[Expert Info (Warning/Malformed): BER Error: length of item (987) is not valid]');
    expect(text).toContain('BER Error: indefinite length in DER');
    expect(text).not.toContain('[Malformed Packet');
  });
});

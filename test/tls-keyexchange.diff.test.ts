// The TLS handshake messages after the hellos, as tshark 4.0 shows them without keys: every
// Server Key Exchange (EC Diffie-Hellman, Diffie-Hellman, with and without a signature
// algorithm), Client Key Exchange (EC and finite-field Diffie-Hellman, RSA Encrypted PreMaster
// Secret), Certificate Request (types, signature algorithms, CA names by x509if), Certificate
// Verify, New Session Ticket, Certificate Status (up to its OCSP Response item: SynScope has no
// OCSP dissector, see docs/tshark-differences.md), Server Hello Done and Encrypted Handshake
// Message item of `read -V`, line by line against `tshark -n -V`; the new fields with -T fields;
// display filters on them; and the same text when frames are dissected again in reverse (the
// negotiated cipher suite each frame saw is remembered). On the corpus captures with such
// messages and on real OpenSSL handshakes (test/fixtures/tls, README says how they were made).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusPath, repoRoot } from './helpers/corpus.js';
import { bothWays } from './helpers/revisit.js';
import { expectSameFilterSets, ours } from './helpers/text-protocol-diff.js';
import { FIELDS_ARGS, tsharkRaw } from './helpers/tshark.js';
import { tsharkVerbose } from './helpers/tshark-verbose.js';
import { sectionLines } from './helpers/verbose.js';

/** The corpus captures with these messages (the filter in the brief over the whole corpus). */
const CORPUS = [
  'pcapplusplus/many-protocols.pcap', 'pcapplusplus/tls.pcap', 'pcapplusplus/pcapng-example.pcapng', 'pcapplusplus/IgmpPackets.pcap',
  'pcapplusplus/file_heuristics/pcapng-example.pcapng.zst', 'zeek/smtp.pcap', 'zeek/tls/tls1.2.pcap', 'zeek/tls/imap-starttls.pcap',
].map(corpusPath);

const FIXTURE_DIR = join(repoRoot, 'test', 'fixtures', 'tls');
const FIXTURES = readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.pcap')).map((f) => join(FIXTURE_DIR, f));

const MESSAGES = [
  'Server Key Exchange', 'Client Key Exchange', 'Certificate Request', 'Certificate Verify', 'New Session Ticket',
  'Certificate Status', 'Server Hello Done', 'Hello Request', 'Encrypted Handshake Message',
];

const FIELDS = [
  'tls.handshake.type', 'tls.handshake.server_curve_type', 'tls.handshake.server_named_curve', 'tls.handshake.server_point_len',
  'tls.handshake.server_point', 'tls.handshake.client_point_len', 'tls.handshake.client_point', 'tls.handshake.p_len', 'tls.handshake.p',
  'tls.handshake.g_len', 'tls.handshake.g', 'tls.handshake.ys_len', 'tls.handshake.ys', 'tls.handshake.yc_len', 'tls.handshake.yc',
  'tls.handshake.sig_hash_alg', 'tls.handshake.sig_hash_hash', 'tls.handshake.sig_hash_sig', 'tls.handshake.sig_len', 'tls.handshake.sig',
  'tls.handshake.epms_len', 'tls.handshake.epms', 'tls.handshake.cert_types_count', 'tls.handshake.cert_type', 'tls.handshake.dnames_len',
  'tls.handshake.dname_len', 'tls.handshake.client_cert_vrfy.sig_len', 'tls.handshake.client_cert_vrfy.sig',
  'tls.handshake.session_ticket_lifetime_hint', 'tls.handshake.session_ticket_length', 'tls.handshake.session_ticket',
  'tls.handshake.extensions_status_request_type', 'tls.handshake.ocsp_response_len',
];

const FILTERS = [
  'tls.handshake.server_named_curve == 0x0017', 'tls.handshake.server_named_curve == 29', 'tls.handshake.epms_len > 0', 'tls.handshake.epms',
  'tls.handshake.sig_hash_alg == 0x0401 && tls.handshake.sig_len == 256', 'tls.handshake.p_len >= 128', 'tls.handshake.g == 02',
  'tls.handshake.yc_len', 'tls.handshake.client_point_len == 65', 'tls.handshake.cert_type == 64', 'tls.handshake.dname_len',
  'tls.handshake.client_cert_vrfy.sig_len > 0', 'tls.handshake.session_ticket_lifetime_hint > 3600', 'tls.handshake.ocsp_response_len',
  'tls.handshake.server_curve_type == 3 && !tls.handshake.sig_hash_alg',
];

/** The lines below an "OCSP Response" item: tshark's OCSP dissector, which SynScope lacks. */
function withoutOcspBody(lines: string[]): string[] {
  const out: string[] = [];
  let depth = -1;
  for (const line of lines) {
    const indent = line.length - line.trimStart().length;
    if (depth >= 0 && indent > depth) continue;
    depth = line.trim() === 'OCSP Response' ? indent : -1;
    out.push(line);
  }
  return out;
}

const messageLines = (v: string) => withoutOcspBody(MESSAGES.flatMap((m) => sectionLines(v, `Handshake Protocol: ${m}`, true)));

async function expectAsTshark(file: string): Promise<void> {
  const theirs = messageLines(tsharkVerbose(file).stdout);
  expect(theirs.length).toBeGreaterThan(0);
  expect(messageLines(await ours(file, ['-V']))).toEqual(theirs);
  const args = ['-Y', 'tls.handshake', ...FIELDS_ARGS, ...FIELDS.flatMap((f) => ['-e', f])];
  expect(await ours(file, args)).toEqual(tsharkRaw(file, args).stdout);
  await expectSameFilterSets(file, FILTERS);
}

describe('read: TLS key exchange and other handshake messages, as tshark shows them', () => {
  for (const file of [...CORPUS, ...FIXTURES]) {
    it(file.replace(/^.*\/(corpus|fixtures)\//, ''), async () => {
      await expectAsTshark(file);
    });
  }

  it('every fixture has a key exchange the test compares', () => {
    const kinds = FIXTURES.map((f) => tsharkRaw(f, ['-Y', 'tls.handshake.type == 12 || tls.handshake.type == 16', '-T', 'fields', '-e', 'frame.number']).stdout.trim());
    expect(kinds.every((k) => k.length > 0)).toBe(true);
  });

  it('frames dissected again in reverse show the same messages', () => {
    for (const file of FIXTURES) {
      const [first, again] = bothWays(file);
      expect(again.map(messageLines)).toEqual(first.map(messageLines));
      expect(first.some((t) => t.includes('Diffie-Hellman') || t.includes('PreMaster'))).toBe(true);
    }
  });
});

// TLS in the packet-details tree, as tshark -n -V prints it, on every corpus capture with TLS:
// each record's line ("TLSv1.2 Record Layer: Handshake Protocol: Client Hello", "Application
// Data Protocol: Hypertext Transfer Protocol" by ALPN or port, "Change Cipher Spec Protocol:
// Change Cipher Spec"), and every Client Hello and Server Hello whole — the random's time and
// bytes, cipher suites named from the registry (tls-cipher-suites.ts), compression methods,
// each extension's body (tls-extensions.ts: SNI, groups, point formats, signature algorithms,
// ALPN, versions, key share, ...) and the JA3/JA3S fingerprints. (Certificates: see
// x509.diff.test.ts.)
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseReadArgs } from '../app/cli/args.js';
import { runRead } from '../app/cli/read.js';
import { StringSink } from '../app/cli/sink.js';
import { corpusPath, repoRoot } from './helpers/corpus.js';
import { bothWays } from './helpers/revisit.js';
import { tsharkRaw } from './helpers/tshark.js';
import { tsharkVerbose } from './helpers/tshark-verbose.js';
import { sectionLines } from './helpers/verbose.js';

const WITH_TLS = [
  'pcapplusplus/many-protocols.pcap', 'pcapplusplus/tls.pcap', 'zeek/tls/tls1.2.pcap', 'zeek/tls/imap-starttls.pcap', 'zeek/smtp.pcap',
  'pcapplusplus/pcapng-example.pcapng', 'pcapplusplus/many_interfaces-1.pcapng', 'pcapplusplus/IgmpPackets.pcap',
  'zeek/tls/tls13_wolfssl.pcap', 'pcapplusplus/raw_ip.pcap',
];

const recordLines = (text: string) => text.split('\n').filter((l) => /^ {4}(SSL|TLS)v[\d.]* Record Layer: /.test(l));
const helloLines = (text: string) => [...sectionLines(text, 'Handshake Protocol: Client Hello'), ...sectionLines(text, 'Handshake Protocol: Server Hello')];

describe('read -V: TLS records and hellos as tshark -V shows them', () => {
  for (const rel of WITH_TLS) {
    it(rel, async () => {
      const out = new StringSink(), err = new StringSink();
      await runRead(parseReadArgs([corpusPath(rel), '-V']), out, err);
      const theirs = tsharkVerbose(corpusPath(rel)).stdout;
      expect(recordLines(theirs).length).toBeGreaterThan(0);
      expect(recordLines(out.text())).toEqual(recordLines(theirs));
      expect(helloLines(out.text())).toEqual(helloLines(theirs));
    });
  }
});

describe('read: a TLS 1.3 Hello Retry Request, as tshark reads it', () => {
  // A real OpenSSL handshake (test/fixtures/tls13/README.md): the Server Hello with the magic
  // Random is a "Hello Retry Request", and after the middlebox Change Cipher Specs the second
  // Client Hello and Server Hello are still in clear (they were "Encrypted Handshake Message").
  const file = join(repoRoot, 'test', 'fixtures', 'tls13', 'hello-retry-request.pcap');

  it('the TLS tree and the summary lines', async () => {
    const verbose = new StringSink(), lines = new StringSink(), err = new StringSink();
    await runRead(parseReadArgs([file, '-V']), verbose, err);
    await runRead(parseReadArgs([file]), lines, err);
    const theirs = tsharkVerbose(file).stdout;
    expect(theirs).toContain('Handshake Protocol: Hello Retry Request');
    expect(sectionLines(verbose.text(), 'Transport Layer Security')).toEqual(sectionLines(theirs, 'Transport Layer Security'));
    expect(lines.text()).toBe(tsharkRaw(file, []).stdout);
  });

  it('frames dissected again in reverse show the same', () => {
    const [first, again] = bothWays(file);
    expect(first.some((t) => t.includes('Hello Retry Request'))).toBe(true);
    expect(again).toEqual(first);
  });
});

// TLS in the packet-details tree, where it already reads as tshark -n -V: every "Cipher Suite:"
// line of a ClientHello's list and a ServerHello, named from the registry
// (app/dissect/protocols/tls-cipher-suites.ts), "TLS_AES_128_GCM_SHA256 (0x1301)", on every
// corpus capture with TLS. (The rest of TLS's tree — extensions in detail, certificates — is
// not yet tshark's.)
import { describe, expect, it } from 'vitest';
import { parseReadArgs } from '../app/cli/args.js';
import { runRead } from '../app/cli/read.js';
import { StringSink } from '../app/cli/sink.js';
import { corpusPath } from './helpers/corpus.js';
import { tsharkRaw } from './helpers/tshark.js';

const WITH_TLS = [
  'pcapplusplus/many-protocols.pcap', 'pcapplusplus/tls.pcap', 'zeek/tls/tls1.2.pcap', 'zeek/tls/imap-starttls.pcap', 'zeek/smtp.pcap',
  'pcapplusplus/pcapng-example.pcapng', 'pcapplusplus/many_interfaces-1.pcapng', 'pcapplusplus/IgmpPackets.pcap',
  'zeek/tls/tls13_wolfssl.pcap',
];

const cipherLines = (text: string) => text.split('\n').filter((l) => /^ +Cipher Suite: /.test(l));

describe('read -V: TLS cipher suites as tshark -V names them', () => {
  for (const rel of WITH_TLS) {
    it(rel, async () => {
      const out = new StringSink(), err = new StringSink();
      await runRead(parseReadArgs([corpusPath(rel), '-V']), out, err);
      const theirs = cipherLines(tsharkRaw(corpusPath(rel), ['-V']).stdout);
      expect(theirs.length).toBeGreaterThan(0);
      expect(cipherLines(out.text())).toEqual(theirs);
    });
  }
});

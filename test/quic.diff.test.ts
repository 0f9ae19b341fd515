// QUIC as tshark 4.0 shows it without TLS secrets, on real traffic (test/fixtures/quic/README.md):
// Chromium fetching a page over HTTP/3 from Caddy over IPv4 and IPv6 (Initial packets decrypted,
// their CRYPTO frames put back in order and the Client Hello's server name read; Handshake and
// 1-RTT packets protected; coalesced packets), Chromium's Initials to a port where nothing
// listens (and the ICMP errors quoting them), and a Version Negotiation.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCaptureFile } from '../app/file/reader.js';
import { keyLogFor } from '../app/dissect/tls-keylog.js';
import { repoRoot } from './helpers/corpus.js';
import { bothWays } from './helpers/revisit.js';
import { expectLikeTshark, type TextProtocolCheck } from './helpers/text-protocol-diff.js';

const QUIC: TextProtocolCheck = {
  titles: ['QUIC IETF'],
  fields: [
    'quic.connection.number', 'quic.packet_length', 'quic.header_form', 'quic.fixed_bit', 'quic.spin_bit', 'quic.long.packet_type',
    'quic.long.reserved', 'quic.packet_number_length', 'quic.version', 'quic.dcil', 'quic.dcid', 'quic.scil', 'quic.scid',
    'quic.token_length', 'quic.length', 'quic.packet_number', 'quic.frame_type', 'quic.padding_length', 'quic.crypto.offset',
    'quic.crypto.length', 'quic.ack.largest_acknowledged', 'quic.ack.ack_delay', 'quic.ack.ack_range_count', 'quic.ack.first_ack_range',
    'quic.ack.gap', 'quic.ack.ack_range', 'quic.supported_version', 'quic.remaining_payload', 'tls.handshake.type',
    'tls.handshake.extensions_server_name', 'tls.handshake.ciphersuite', 'tls.handshake.extensions_alpn_str',
  ],
  filters: [
    'quic', 'quic.header_form == 0', 'quic.long.packet_type == 0', 'quic.long.packet_type == 2', 'quic.frame_type == 6',
    'quic.frame_type == 2', 'quic.connection.number == 0', 'quic.version == 1', 'quic.packet_number >= 2', 'quic.crypto.offset == 0',
    'quic.padding_length > 100', 'tls.handshake.type == 1', 'tls.handshake.extensions_server_name == "quic.test"', 'quic.scil == 0',
    'quic.supported_version', 'quic && !tls',
  ],
};

/** QUIC decrypted with the TLS secrets a capture carries, and HTTP/3 inside. */
const QUIC_DECRYPTED: TextProtocolCheck = {
  titles: ['QUIC IETF'],
  fields: [
    ...QUIC.fields, 'quic.short.reserved', 'quic.key_phase', 'quic.stream.stream_id', 'quic.stream.offset', 'quic.stream.fin', 'quic.stream.initiator',
    'quic.stream.direction', 'quic.nt.length', 'quic.ms.max_streams', 'quic.cc.error_code', 'quic.cc.reason_phrase',
    'tls.quic.parameter.max_ack_delay', 'tls.quic.parameter.active_connection_id_limit', 'tls.early_data.max_early_data_size',
    'http3.stream_type', 'http3.frame_type', 'http3.frame_length', 'http3.settings.id', 'http3.settings.value',
    'http3.settings.qpack.max_table_capacity', 'http3.priority_update_element_id', 'http3.priority_update_field_value',
  ],
  filters: [
    ...QUIC.filters, 'http3', 'http3.frame_type == 1', 'http3.frame_type == 0', 'http3.frame_type == 4', 'http3.stream_type == 0',
    'quic.frame_type == 8', 'quic.frame_type == 0x1e', 'quic.stream.stream_id == 0', 'quic.stream.fin == 1', 'quic.long.packet_type == 2 && tls',
    'tls.handshake.type == 8', 'tls.handshake.type == 4', 'quic.cc.error_code == 0',
  ],
};

const capture = (name: string) => join(repoRoot, 'test', 'fixtures', 'quic', name);

describe('QUIC like tshark', () => {
  it('an HTTP/3 page load over IPv4: Initials decrypted, the Client Hello across two packets, coalesced Initial and Handshake', async () => {
    await expectLikeTshark(capture('h3-ipv4.pcap'), QUIC, 60);
  });
  it('a Client Hello whose first CRYPTO frame came first: TLS shows its start, then its end as the last fragment', async () => {
    await expectLikeTshark(capture('h3-hello-fragments.pcap'), QUIC, 15);
  });
  it('the same over IPv6', async () => {
    await expectLikeTshark(capture('h3-ipv6.pcap'), QUIC, 60);
  });
  it('a capture that starts in the middle of a connection, on port 443: short headers alone are UDP, as tshark shows them', async () => {
    await expectLikeTshark(capture('h3-443-midway.pcap'), QUIC, 0);
  });
  it("a client's Initials to a closed port, each answered by ICMP port unreachable", async () => {
    await expectLikeTshark(capture('no-server.pcap'), QUIC, 3);
  });
  it('with the TLS secrets inside the capture: Handshake and 1-RTT packets decrypted, STREAM frames, HTTP/3 (SETTINGS, HEADERS, DATA, PRIORITY_UPDATE)', async () => {
    await expectLikeTshark(capture('h3-keylog.pcapng'), QUIC_DECRYPTED, 60);
  });
  it('an Initial of a version reserved for negotiation, and the Version Negotiation it gets', async () => {
    await expectLikeTshark(capture('version-negotiation.pcap'), QUIC, 2);
  });
});

describe('QUIC frames dissected again (the desktop, in reverse) show what the first pass showed', () => {
  it.each([
    ['h3-ipv4.pcap', 'Server Name: quic.test'],
    ['h3-hello-fragments.pcap', 'Client Hello (last fragment)'],
    ['no-server.pcap', 'Client Hello (fragment)'],
  ])('%s', (name, shown) => {
    const [first, again] = bothWays(capture(name));
    expect(first.some((t) => t.includes(shown))).toBe(true);
    expect(again).toEqual(first);
  });

  it('h3-keylog.pcapng: the decrypted 1-RTT packets, their STREAM frames and HTTP/3', () => {
    const file = capture('h3-keylog.pcapng');
    const reader = openCaptureFile(file);
    while (reader.next() !== null);
    const keys = keyLogFor(null, () => reader.info.decryptionSecrets);
    reader.close();
    const [first, again] = bothWays(file, keys);
    for (const shown of ['Hypertext Transfer Protocol Version 3', 'Stream Type: Control Stream', 'Handshake Protocol: Finished', 'HANDSHAKE_DONE']) {
      expect(first.some((t) => t.includes(shown)), shown).toBe(true);
    }
    expect(again).toEqual(first);
  });
});

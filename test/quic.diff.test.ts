// QUIC as tshark 4.0 shows it without TLS secrets, on real traffic (test/fixtures/quic/README.md):
// Chromium fetching a page over HTTP/3 from Caddy over IPv4 and IPv6 (Initial packets decrypted,
// their CRYPTO frames put back in order and the Client Hello's server name read; Handshake and
// 1-RTT packets protected; coalesced packets), Chromium's Initials to a port where nothing
// listens (and the ICMP errors quoting them), and a Version Negotiation.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
});

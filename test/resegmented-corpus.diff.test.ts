// The corpus captures whose TCP data full-tree.diff.test.ts finds identical to `tshark -V`, with
// every data segment cut again into 2-3 segments at random places (helpers/resegment.ts): the
// same bytes in other segments, so every reassembly path runs where the capture had none (a
// length prefix cut in two, a header block in three segments, a message ending inside a
// segment that starts the next). The whole -V text must still equal tshark's on the new file.
//
// zeek/smtp.pcap's retransmissions, cut at other places than the segments they resend, show
// what desegment_tcp does with a resend into a PDU of several segments (test/tcp-resends.diff.test.ts).
//
// Three captures are left out, for differences that only such cuts show (docs/tshark-differences.md,
// "TCP segments cut again"):
// - zeek/http/docker-http-upgrade.pcap: after an Upgrade to a protocol tshark does not know
//   (Docker's raw stream), tshark goes on reading the bytes as HTTP, and a piece of text without
//   a line end waits for more; SynScope hands them to data;
// - zeek/tcp/ssh-dups.pcap: an SSH version line cut across segments: packet-ssh.c asks TCP
//   for a negative length, so tshark reads the pieces after as encrypted packets; SynScope puts
//   the line together;
// - zeek/pop3/pop3.pcap: a response line cut in two: tshark reads "+OK POP se" as the total
//   length of a message.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusPath } from './helpers/corpus.js';
import { resegment } from './helpers/resegment.js';
import { ours } from './helpers/text-protocol-diff.js';
import { tsharkRaw } from './helpers/tshark.js';

const CAPTURES = [
  'pcapplusplus/BgpPackets.pcap',
  'pcapplusplus/IgmpPackets.pcap',
  'pcapplusplus/nanosecs_big_endian.pcap',
  'pcapplusplus/one_http_stream_fin.pcap',
  'pcapplusplus/one_tcp_stream_fin_rst_close_packet.pcap',
  'pcapplusplus/one_tcp_stream_max_seq.pcap',
  'pcapplusplus/three_http_streams.pcap',
  'pcapplusplus/tls.pcap',
  'tcpdump/dns_tcp.pcap',
  'tcpdump/pptp.pcap',
  'tcpdump/print-flags.pcap',
  'zeek/ftp/ipv4.pcap',
  'zeek/http/get-gzip.pcap',
  'zeek/http/get.pcap',
  'zeek/http/pipelined-requests.pcap',
  'zeek/ipv6-http-atomic-frag.pcap',
  'zeek/mixed-vlan-mpls.pcap',
  'zeek/smtp/mime-header-size-limit.pcap.gz',
  'zeek/tcp/ctu-64702-888.pcap',
  'zeek/tcp/handshake-reorder.pcap',
  'zeek/tcp/tcp-fast-open.pcap',
  'zeek/tcp/window-scale-range.pcap',
  'zeek/tls/imap-starttls.pcap',
  'zeek/tls/tls1.2.pcap',
  'zeek/tls/tls13_wolfssl.pcap',
  'zeek/smtp.pcap',
];

const dir = mkdtempSync(join(tmpdir(), 'synscope-resegmented-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('read -V on corpus captures with their TCP segments cut again, as tshark', () => {
  CAPTURES.forEach((rel, i) => {
    it(rel, async () => {
      const file = join(dir, `${i}-${basename(rel).replace(/\.gz$/, '')}`);
      expect(resegment(corpusPath(rel), file, 1000 + i)).toBe(true);
      const theirs = tsharkRaw(file, ['-V']).stdout;
      expect(theirs).toContain('Frame 1:');
      expect((await ours(file, ['-V'])).split('\n')).toEqual(theirs.split('\n'));
    });
  });
});

// The HTTP part of the packet-details tree, line by line as tshark -n -V prints it, on every
// corpus capture with HTTP: the request line with its chat note, the URI's path and query (and
// each query parameter) under the URI, "[Content length: N]" and cookie pairs under their
// header, a chunked body as "HTTP chunked response" / "Data chunk (N octets)" / "End of
// chunked encoding", "File Data: N bytes" over the body (a de-chunked body is its own data
// source), and a label longer than Wireshark's 239 bytes cut and marked " [truncated]".
import { describe, expect, it } from 'vitest';
import { parseReadArgs } from '../app/cli/args.js';
import { runRead } from '../app/cli/read.js';
import { StringSink } from '../app/cli/sink.js';
import { corpusPath } from './helpers/corpus.js';
import { tsharkRaw } from './helpers/tshark.js';
import { sectionLines } from './helpers/verbose.js';

const TITLE = 'Hypertext Transfer Protocol';

const WITH_HTTP = [
  'gopacket/test_loopback.pcap', 'pcapplusplus/file_heuristics/pcapng-example.pcapng.zst', 'pcapplusplus/nanosecs_big_endian.pcap',
  'pcapplusplus/one_http_stream_fin.pcap', 'pcapplusplus/one_http_stream_rst.pcap', 'pcapplusplus/one_tcp_stream_max_seq.pcap',
  'pcapplusplus/pcapng-example.pcapng', 'pcapplusplus/raw_ip.pcap', 'tcpdump/print-flags.pcap', 'zeek/http-vlan-0.pcap',
  'zeek/http/docker-http-upgrade.pcap', 'zeek/http/get.pcap', 'zeek/nflog-http.pcap', 'zeek/tcp/handshake-reorder.pcap',
  'zeek/tunnels/gre-aruba.pcap', 'zeek/vlan-qinqinq.pcap', 'zeek/http/get-gzip.pcap',
  'pcapplusplus/three_http_streams.pcap', 'zeek/http/pipelined-requests.pcap', 'zeek/tcp/tcp-fast-open.pcap',
];

/**
 * Captures with HTTP that differ, and how (docs/tshark-differences.md): SynScope shows a
 * continuation's bytes as Data inside HTTP where tshark's media dissector takes them.
 */
const HTTP_TREE_DIFFERS: Record<string, string> = {
  'zeek/mixed-vlan-mpls.pcap': 'continuations shown as Data',
};

describe('read -V: the HTTP tree tshark -V prints', () => {
  for (const rel of WITH_HTTP) {
    it(rel, async () => {
      const out = new StringSink(), err = new StringSink();
      await runRead(parseReadArgs([corpusPath(rel), '-V']), out, err);
      const theirs = sectionLines(tsharkRaw(corpusPath(rel), ['-V']).stdout, TITLE);
      expect(theirs.length).toBeGreaterThan(0);
      expect(sectionLines(out.text(), TITLE)).toEqual(theirs);
    });
  }
  // Kept honest: when one of these stops differing, it belongs in WITH_HTTP.
  for (const [rel, why] of Object.entries(HTTP_TREE_DIFFERS)) {
    it(`${rel} still differs (${why})`, async () => {
      const out = new StringSink(), err = new StringSink();
      await runRead(parseReadArgs([corpusPath(rel), '-V']), out, err);
      expect(sectionLines(out.text(), TITLE)).not.toEqual(sectionLines(tsharkRaw(corpusPath(rel), ['-V']).stdout, TITLE));
    });
  }
});

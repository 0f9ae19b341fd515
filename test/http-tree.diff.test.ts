// The HTTP part of the packet-details tree, line by line as tshark -n -V prints it, on every
// corpus capture with HTTP: the request line with its chat note, the URI's path and query (and
// each query parameter) under the URI, "[Content length: N]" and cookie pairs under their
// header, a chunked body as "HTTP chunked response" / "Data chunk (N octets)" / "End of
// chunked encoding", "File Data: N bytes" over the body (a de-chunked body is its own data
// source), and a label longer than Wireshark's 239 bytes cut and marked " [truncated]".
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseReadArgs } from '../app/cli/args.js';
import { runRead } from '../app/cli/read.js';
import { StringSink } from '../app/cli/sink.js';
import { corpusPath } from './helpers/corpus.js';
import { pcapFile, tcpFrame } from './helpers/pcap-build.js';
import { tsharkRaw } from './helpers/tshark.js';
import { tsharkVerbose } from './helpers/tshark-verbose.js';
import { sectionLines } from './helpers/verbose.js';

const TITLE = 'Hypertext Transfer Protocol';

const WITH_HTTP = [
  'gopacket/test_loopback.pcap', 'pcapplusplus/file_heuristics/pcapng-example.pcapng.zst', 'pcapplusplus/nanosecs_big_endian.pcap',
  'pcapplusplus/one_http_stream_fin.pcap', 'pcapplusplus/one_http_stream_rst.pcap', 'pcapplusplus/one_tcp_stream_max_seq.pcap',
  'pcapplusplus/pcapng-example.pcapng', 'pcapplusplus/raw_ip.pcap', 'tcpdump/print-flags.pcap', 'zeek/http-vlan-0.pcap',
  'zeek/http/docker-http-upgrade.pcap', 'zeek/http/get.pcap', 'zeek/nflog-http.pcap', 'zeek/tcp/handshake-reorder.pcap',
  'zeek/tunnels/gre-aruba.pcap', 'zeek/vlan-qinqinq.pcap', 'zeek/http/get-gzip.pcap',
  'pcapplusplus/three_http_streams.pcap', 'zeek/http/pipelined-requests.pcap', 'zeek/tcp/tcp-fast-open.pcap',
  'zeek/mixed-vlan-mpls.pcap',
];

describe('read -V: the HTTP tree tshark -V prints', () => {
  for (const rel of WITH_HTTP) {
    it(rel, async () => {
      const out = new StringSink(), err = new StringSink();
      await runRead(parseReadArgs([corpusPath(rel), '-V']), out, err);
      const theirs = sectionLines(tsharkVerbose(corpusPath(rel)).stdout, TITLE);
      expect(theirs.length).toBeGreaterThan(0);
      expect(sectionLines(out.text(), TITLE)).toEqual(theirs);
    });
  }
});

describe('read: a response to HEAD has no body, whatever its Content-Length says', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synscope-http-head-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('HEAD then GET on one connection, as tshark reads them', async () => {
    // Was: the HEAD response waited for 5000 bytes of body and took the next response as them.
    const PSH_ACK = 0x18;
    const messages: Array<[boolean, string]> = [
      [true, 'HEAD /big HTTP/1.1\r\nHost: h\r\n\r\n'],
      [false, 'HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 5000\r\n\r\n'],
      [true, 'GET /small HTTP/1.1\r\nHost: h\r\n\r\n'],
      [false, 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nabc'],
    ];
    let client = 1000, server = 5000;
    const records = messages.map(([toServer, text], i) => {
      const data = tcpFrame(toServer, toServer ? client : server, toServer ? server : client, PSH_ACK, text);
      if (toServer) client += text.length;
      else server += text.length;
      return { sec: 1_700_000_000, frac: (i + 1) * 1000, data };
    });
    const file = join(dir, 'head-then-get.pcap');
    writeFileSync(file, pcapFile(records));
    const verbose = new StringSink(), lines = new StringSink(), err = new StringSink();
    await runRead(parseReadArgs([file, '-V']), verbose, err);
    await runRead(parseReadArgs([file]), lines, err);
    const theirs = sectionLines(tsharkVerbose(file).stdout, TITLE);
    expect(theirs.filter((l) => l.startsWith('    [Request URI:'))).toHaveLength(2);
    expect(sectionLines(verbose.text(), TITLE)).toEqual(theirs);
    expect(lines.text()).toBe(tsharkRaw(file, []).stdout);
  });
});

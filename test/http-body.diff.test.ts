// HTTP message bodies in the packet-details tree, as tshark -n -V prints them: a Content-Encoding
// undone into "Content-encoded entity body (gzip): 165 bytes -> 197 bytes" (or left as data with
// "Decompression failed"), "File Data", then the body's own layer by its media type — "Line-based
// text data: text/html (47 lines)" with a line per item, "HTML Form URL Encoded" with an item
// per field, "Media Type" for a type no dissector takes, Data for application/octet-stream or
// no Content-Type — and the Info suffix and
// frame.protocols that go with them. On every corpus capture with such bodies over HTTP, and on
// a capture built here with one exchange per case.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { parseReadArgs } from '../app/cli/args.js';
import { runRead } from '../app/cli/read.js';
import { StringSink } from '../app/cli/sink.js';
import { corpusPath } from './helpers/corpus.js';
import { decodeContent } from '../app/dissect/content-coding.js';
import { httpExchanges } from './helpers/pcap-build.js';
import { tsharkRaw } from './helpers/tshark.js';
import { tsharkVerbose } from './helpers/tshark-verbose.js';
import { sectionLines } from './helpers/verbose.js';

/** Every corpus capture whose tshark -V has a Line-based text data, HTML Form or Content-encoded item from HTTP. */
const WITH_BODIES = [
  'gopacket/test_loopback.pcap', 'pcapplusplus/nanosecs_big_endian.pcap', 'pcapplusplus/one_http_stream_fin.pcap',
  'pcapplusplus/one_http_stream_rst.pcap', 'pcapplusplus/one_tcp_stream_max_seq.pcap', 'pcapplusplus/raw_ip.pcap', 'pcapplusplus/three_http_streams.pcap',
  'tcpdump/print-flags.pcap', 'zeek/http-vlan-0.pcap', 'zeek/http/get-gzip.pcap', 'zeek/http/get.pcap',
  'zeek/http/pipelined-requests.pcap', 'zeek/mixed-vlan-mpls.pcap', 'zeek/nflog-http.pcap',
  'zeek/tcp/handshake-reorder.pcap', 'zeek/tcp/tcp-fast-open.pcap', 'zeek/vlan-qinqinq.pcap',
];

/** Layers of tshark's in HTTP frames that SynScope does not dissect yet (docs/tshark-differences.md): bodies, and F5's Ethernet trailer. */
const NOT_DISSECTED = /:(xml|image-gif|image-jfif|png|sdp|f5ethtrailer)\b/;

/** What the comparison takes from a -V text: the body items of HTTP and the body layers. */
function bodyLines(verbose: string): string[] {
  const http = sectionLines(verbose, 'Hypertext Transfer Protocol').filter((l) => /^ {4}(Content-encoded|File Data)|^ {8}(\[Expert Info|Data \()/.test(l));
  return [...http, ...['Line-based text data', 'Media Type', 'HTML Form URL Encoded'].flatMap((t) => sectionLines(verbose, t))];
}

/** The "[Protocols in frame: ...]" of the frames tshark shows HTTP in, except where it has a body layer SynScope has not. */
function protocolLines(theirs: string, ours: string): [string[], string[]] {
  const lines = (v: string) => v.split('\n').filter((l) => l.startsWith('    [Protocols in frame:'));
  const t = lines(theirs), o = lines(ours);
  const keep = t.map((l) => l.includes(':http') && !NOT_DISSECTED.test(l));
  return [t.filter((_, i) => keep[i]), o.filter((_, i) => keep[i])];
}

async function ours(file: string, args: string[] = []): Promise<string> {
  const out = new StringSink(), err = new StringSink();
  await runRead(parseReadArgs([file, ...args]), out, err);
  return out.text();
}

describe('read -V: HTTP bodies as tshark shows them, on the corpus', () => {
  for (const rel of WITH_BODIES) {
    it(rel, async () => {
      const tv = tsharkVerbose(corpusPath(rel)).stdout, ov = await ours(corpusPath(rel), ['-V']);
      const theirs = bodyLines(tv);
      expect(theirs.some((l) => /^(Line-based text data|HTML Form)|Content-encoded/.test(l))).toBe(true);
      expect(bodyLines(ov)).toEqual(theirs);
      const [tp, op] = protocolLines(tv, ov);
      expect(op).toEqual(tp);
    });
  }
});

describe('read: HTTP bodies of each media type and content coding, against tshark', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synscope-http-body-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const html = Buffer.from('<html>\n<body>hello \u20ac world</body>\n</html>\n');
  const text = Buffer.from('{"a": 1,\r\n "b": [true, null, "x\\ty"]}\nline two\tTab\r\nlast');
  const cases: Array<{ type?: string; coding?: string; body: Uint8Array }> = [
    // tshark 4.0's line-based types, a type nobody takes, and its exceptions
    ...['text/plain', 'text/html; charset=utf-8', 'TEXT/CSS', 'text/javascript', 'application/x-javascript', 'text/enriched',
      'application/x-ns-proxy-autoconfig', 'application/javascript', 'text/csv', 'application/octet-stream', undefined].map((type) => ({ type, body: text })),
    { type: 'text/plain', body: Buffer.from('a\rb\r\n\r\nc\n\nd') },
    { type: 'text/plain', body: Buffer.from([0x62, 0x69, 0x6e, 0, 1, 0xff, 0xfe, 0x80, 0x20, 0x63, 0x61, 0x66, 0xc3, 0xa9, 0x7f, 0x0a]) },
    { type: 'text/plain', body: Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<a>b</a>\n') },
    // forms, read as tshark 4.0 reads them: a key runs to the next '=', a bad %-escape ends it
    ...['a=1&b=2', 'a=%20x+y&c&d=&=e', 'k=v&&x=%zz&%41%42=%e2%82%ac', 'a=b=c&long=\n', 'q=%41%42%e2%82%ac&last']
      .map((f) => ({ type: 'application/x-www-form-urlencoded', body: Buffer.from(f) })),
    // content codings: undone (gzip, x-gzip, deflate with and without zlib's wrapper, a cut-off
    // stream), or not (garbage, a header alone, an unknown coding)
    { type: 'text/html', coding: 'gzip', body: gzipSync(html) },
    { type: 'text/html', coding: 'GZIP', body: gzipSync(html) },
    { type: 'text/css', coding: 'x-gzip', body: gzipSync(html) },
    { type: 'text/html', coding: 'deflate', body: deflateSync(html) },
    { type: 'text/html', coding: 'deflate', body: deflateRawSync(html) },
    { type: 'text/plain', coding: 'gzip', body: gzipSync(html).subarray(0, 20) },
    { type: 'text/html', coding: 'gzip', body: gzipSync(Buffer.alloc(0)) },
    { type: 'text/html', coding: 'gzip', body: Buffer.from('garbage-not-gzip') },
    { type: 'text/html', coding: 'gzip', body: gzipSync(html).subarray(0, 10) },
    { type: 'text/html', coding: 'compress', body: Buffer.from('xxxx') },
    { type: 'text/html', coding: 'identity', body: Buffer.from('abc\n') },
    { type: 'application/octet-stream', coding: 'gzip', body: gzipSync(html) },
  ];
  const file = join(dir, 'bodies.pcap');
  writeFileSync(file, httpExchanges(cases.map((k) => ({
    headers: (k.type ? `Content-Type: ${k.type}\r\n` : '') + (k.coding ? `Content-Encoding: ${k.coding}\r\n` : ''),
    body: k.body,
  }))));

  it('the body items and layers of every response', async () => {
    const tv = tsharkVerbose(file).stdout, ov = await ours(file, ['-V']);
    const theirs = bodyLines(tv);
    expect(theirs.filter((l) => l.startsWith('Line-based text data')).length).toBeGreaterThan(10);
    expect(bodyLines(ov)).toEqual(theirs);
    const [tp, op] = protocolLines(tv, ov);
    expect(op).toEqual(tp);
  });

  it('the Protocol and Info columns', async () => {
    const summary = tsharkRaw(file, []).stdout;
    expect(summary).toContain('(text/csv)');
    expect(await ours(file)).toEqual(summary);
  });

  it('a body that would expand past 64 MiB is not decoded (a decompression bomb costs nothing)', () => {
    expect(decodeContent('gzip', gzipSync(Buffer.alloc(65 << 20)))).toBeNull();
    expect(decodeContent('deflate', deflateSync(Buffer.alloc(1 << 20)))?.length).toBe(1 << 20);
  });

  it('a Data layer shows its bytes as a hex dump, as tshark -V does without -x', async () => {
    const dump = (v: string) => v.split('\n').filter((l) => /^[0-9a-f]{4} {2}/.test(l));
    const theirs = dump(tsharkVerbose(file).stdout);
    expect(theirs.length).toBeGreaterThan(5);
    expect(dump(await ours(file, ['-V']))).toEqual(theirs);
  });
});

// A forward proxy's tunnels as tshark 4.0 reads them, on real traffic (test/fixtures/http/README.md):
// curl through a proxy on port 3128, HTTPS by CONNECT (HTTP/1.1 and HTTP/2 inside, decrypted
// with curl's secrets in the capture), a plain request by absolute URI, a refused CONNECT. After
// a 2xx to CONNECT (which has no body) the connection's bytes are the tunnel's: an HTTP item
// naming the target ("[Proxy-Connect-Hostname: 127.0.0.1]", "[Proxy-Connect-Port: 8443]"), then
// TLS, found by its heuristic as no protocol claims port 8443, and HTTP inside it as a
// conversation of its own.
//
// Two tshark quirks are not followed (docs/tshark-differences.md): HTTP/2 inside a tunnel makes
// tshark count one TCP stream more (the next connection is tcp.stream 3, not 2), and an HTTP/2
// frame put together from several TLS records there has no "[PDU Size]" items. So tcp.stream is
// not compared, and the HTTP and HTTP/2 items are compared each on its own.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/corpus.js';
import { expectSameFilterSets, ours } from './helpers/text-protocol-diff.js';
import { FIELDS_ARGS, tsharkRaw } from './helpers/tshark.js';
import { tsharkVerbose } from './helpers/tshark-verbose.js';
import { sectionLines } from './helpers/verbose.js';

const FILE = join(repoRoot, 'test', 'fixtures', 'http', 'connect-tunnel.pcapng');
/** Item titles, and whether the line is the title alone. */
const TITLES: Array<[string, boolean]> = [['Hypertext Transfer Protocol', true], ['HyperText Transfer Protocol 2', true], ['Line-based text data', false]];
const FIELDS = [
  'http.request.method', 'http.request.uri', 'http.response.code', 'http.request.full_uri', 'http.proxy_connect_host',
  'http.proxy_connect_port', 'http.request_number', 'http.response_number', 'http.request_in', 'tls.handshake.type',
  'tls.record.content_type', 'http2.type', 'http2.streamid', 'http2.header.name', 'http2.header.value',
];
const FILTERS = [
  'http', 'http.proxy_connect_port == 8443', 'http.request.method == "CONNECT"', 'http.response.code == 403', 'tls',
  'tls.handshake.type == 1', 'http2', 'http2.type == 0', 'http && tls', 'http.request.full_uri contains "8443"', 'data',
];

describe('a forward proxy like tshark', () => {
  it('HTTPS tunnels after CONNECT, a proxied GET, a refused CONNECT', async () => {
    const theirs = tsharkVerbose(FILE).stdout, mine = await ours(FILE, ['-V']);
    for (const [title, exact] of TITLES) {
      const lines = sectionLines(theirs, title, exact);
      expect(lines.length).toBeGreaterThan(0);
      expect(sectionLines(mine, title, exact), title).toEqual(lines);
    }
    const columns = [...FIELDS_ARGS, '-e', 'frame.number', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info', '-e', 'frame.protocols'];
    expect(await ours(FILE, columns)).toEqual(tsharkRaw(FILE, columns).stdout);
    const fields = [...FIELDS_ARGS, '-e', 'frame.number', ...FIELDS.flatMap((f) => ['-e', f])];
    expect(await ours(FILE, fields)).toEqual(tsharkRaw(FILE, fields).stdout);
    await expectSameFilterSets(FILE, FILTERS);
  });
});

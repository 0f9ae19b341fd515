// HTTP's first lines and HTTP/2 over cleartext TCP as tshark 4.0 reads them, on real traffic
// (test/fixtures/http/README.md): which lines start a request or a response (tshark's method
// list, "M-" in front, "HTTP/" and "ICY" status lines), how a request line splits at single
// spaces and a status line at runs of them, bare LF line ends, GENA's notifications, CONNECT's
// full URI; the heuristic that finds HTTP on a port no protocol claims (a first line ending in
// "HTTP/1.x"); and h2c: HTTP/2's connection preface on an HTTP port, and HTTP/1.1's Upgrade to
// h2c (101 Switching Protocols, the request's HTTP2-Settings decoded), each HTTP/2 from then on.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/corpus.js';
import { bothWays, responsesFoundLater, tsharkResponsesFoundLater } from './helpers/revisit.js';
import { expectLikeTshark, type TextProtocolCheck } from './helpers/text-protocol-diff.js';

const HTTP: TextProtocolCheck = {
  titles: ['Hypertext Transfer Protocol', 'HyperText Transfer Protocol 2'],
  fields: [
    'http.request.method', 'http.request.uri', 'http.request.version', 'http.response.version', 'http.response.code',
    'http.response.code.desc', 'http.response.phrase', 'http.request', 'http.notification', 'http.response', 'http.request_number',
    'http.response_number', 'http.request.full_uri', 'http.request.line', 'http.upgrade', 'http2.type', 'http2.streamid',
    'http2.settings.id', 'http2.settings.max_concurrent_streams', 'http2.settings.initial_window_size', 'http2.header.name',
    'http2.header.value', 'http2.data.data', 'http2.body.reassembled.length',
  ],
  filters: [
    'http', 'http.request', 'http.response', 'http.notification', 'http.request.method == "M-SEARCH"', 'http.request.uri == ""',
    'http.request.version == "HTTP/1.1"', 'http.response.code == 200', 'http.response.code < 100', 'http.response.phrase',
    'http2', 'http2.magic', 'http2.type == 4', 'http2.type == 1', 'http2.settings.enable_push == 0', 'http && !http2',
    'http.request.full_uri contains "a.test"', 'data',
  ],
};

const capture = (name: string) => join(repoRoot, 'test', 'fixtures', 'http', name);

describe('HTTP first lines and h2c like tshark', () => {
  it('one connection per first line on HTTP port 8080', async () => {
    await expectLikeTshark(capture('first-lines-8080.pcap'), HTTP, 60);
  });
  it('the same on port 5555, where HTTP is found by its heuristic', async () => {
    await expectLikeTshark(capture('first-lines-5555.pcap'), HTTP, 50);
  });
  it('curl and Caddy over h2c: prior knowledge and Upgrade, on an HTTP port and another', async () => {
    await expectLikeTshark(capture('h2c.pcap'), HTTP, 30);
  });
  it('h2c dissected again out of order (the desktop) shows the same', () => {
    const [first, again] = bothWays(capture('h2c.pcap'));
    expect(first.filter((t) => t.startsWith('HTTP2 ') && t.includes('HEADERS[1]: 200 OK')).length).toBeGreaterThanOrEqual(4);
    // Each Upgrade request learns its 101 response on the second look, as in tshark -2.
    const later = responsesFoundLater(again);
    expect(later.texts).toEqual(first);
    expect(later.found).toEqual(tsharkResponsesFoundLater(capture('h2c.pcap')));
  });
});

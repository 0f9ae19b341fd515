// WebSocket as tshark 4.0 shows it, on real traffic (test/fixtures/http/README.md): the `ws`
// package's client and server after HTTP/1.1's Upgrade, on an HTTP port, with permessage-deflate
// agreed on a port HTTP's heuristic finds, and over TLS (wss://, decrypted). Masked and unmasked frames, 7-,
// 16- and 64-bit lengths (the 70000-byte text over several TCP segments), text to Line-based
// text data and binary to Data, ping and pong, a message in two frames put back together, three
// frames in one segment, the close handshake, and compressed messages inflated with each
// direction's window.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/corpus.js';
import { bothWays, responsesFoundLater, tsharkResponsesFoundLater } from './helpers/revisit.js';
import { expectLikeTshark, type TextProtocolCheck } from './helpers/text-protocol-diff.js';

const WEBSOCKET: TextProtocolCheck = {
  titles: ['WebSocket'],
  fields: [
    'websocket.fin', 'websocket.rsv', 'websocket.pmc', 'websocket.opcode', 'websocket.mask', 'websocket.payload_length',
    'websocket.payload_length_ext_16', 'websocket.payload_length_ext_64', 'websocket.masking_key', 'websocket.payload.text',
    'websocket.payload.close.status_code', 'websocket.payload.close.reason', 'websocket.payload.ping', 'websocket.payload.pong',
    'websocket.fragment', 'websocket.fragment.count', 'websocket.reassembled.length', 'data.data', 'tcp.pdu.size',
  ],
  filters: [
    'websocket', 'websocket.opcode == 1', 'websocket.opcode == 2', 'websocket.mask == 1', 'websocket.fin == 0',
    'websocket.payload.text contains "echo"', 'websocket.payload_length_ext_64', 'websocket.payload_length_ext_16 > 200',
    'websocket.pmc == 1', 'websocket.payload.close.status_code == 1000', 'websocket.fragment', 'data-text-lines',
    'websocket.payload.ping', 'websocket.payload.text == "part one, part two"', 'http && !websocket', 'tcp.pdu.size > 1000',
  ],
};

const capture = (name: string) => join(repoRoot, 'test', 'fixtures', 'http', name);

describe('WebSocket like tshark', () => {
  it('a session on HTTP port 8080', async () => {
    await expectLikeTshark(capture('websocket.pcap'), WEBSOCKET, 20);
  });
  it('a session with permessage-deflate on port 5555', async () => {
    await expectLikeTshark(capture('websocket-deflate.pcap'), WEBSOCKET, 20);
  });
  it('the same session over wss:// through Caddy, decrypted with the secrets in the capture', async () => {
    await expectLikeTshark(capture('websocket-tls.pcapng'), WEBSOCKET, 20);
  });
  it('frames dissected again out of order (the desktop) show the same, inflated and reassembled', () => {
    const shown: Array<[string, string]> = [['websocket.pcap', 'Text: part one, part two'], ['websocket-deflate.pcap', 'Text: echo: é ünïcödé']];
    for (const [name, text] of shown) {
      const [first, again] = bothWays(capture(name));
      expect(first.some((t) => t.includes(text))).toBe(true);
      // The Upgrade request learns its 101 response on the second look, as in tshark -2.
      const later = responsesFoundLater(again);
      expect(later.texts).toEqual(first);
      expect(later.found).toEqual(tsharkResponsesFoundLater(capture(name)));
    }
  });
});

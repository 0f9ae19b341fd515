// HTTP header lines in the tree, against tshark -V on the same frame: each line shows once — a
// header tshark knows as its field (http.host ...), the http.request.line behind it hidden, any
// other header as the line — and header names that are also names of Object's properties
// ("constructor", "__proto__") are headers like any other.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseReadArgs } from '../../cli/args.js';
import { runRead } from '../../cli/read.js';
import { StringSink } from '../../cli/sink.js';
import { corpusCaptures, corpusPath } from '../../../test/helpers/corpus.js';
import { pcapFile, tcpFrame } from '../../../test/helpers/pcap-build.js';
import { tsharkCorpusFields } from '../../../test/helpers/corpus-fields.js';
import { FIELDS_ARGS, parseFieldsOutput } from '../../../test/helpers/tshark.js';
import { tsharkVerbose } from '../../../test/helpers/tshark-verbose.js';
import { CaptureState, dissect } from '../driver.js';
import { formatNodeText } from '../format.js';
import { findAll } from '../tree.js';

/** The lines tshark -V prints directly under "Hypertext Transfer Protocol" that end in \r\n. */
function tsharkHeaderLines(verbose: string): string[] {
  const section = verbose.split('\n');
  const start = section.indexOf('Hypertext Transfer Protocol');
  const out: string[] = [];
  for (const line of section.slice(start + 1)) {
    if (!line.startsWith(' ')) break;
    if (/^ {4}\S/.test(line) && line.endsWith('\\r\\n')) out.push(line.trim());
  }
  return out;
}

describe('http: header lines as tshark shows them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synscope-http-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a request with known headers and headers named like Object properties', () => {
    const data = tcpFrame(true, 1001, 5001, 0x18, 'GET / HTTP/1.1\r\nHost: a\r\nconstructor: x\r\n__proto__: y\r\ntoString: z\r\nUser-Agent: u\r\n\r\n');
    const file = join(dir, 'headers.pcap');
    writeFileSync(file, pcapFile([{ sec: 1_700_000_000, frac: 0, data }]));
    const d = dissect({ number: 1, ts: { sec: 1_700_000_000, nsec: 0 }, capLen: data.length, origLen: data.length, linkType: 1, data }, new CaptureState());
    const http = d.roots.find((n) => n.field.name === 'http')!;
    const shown = (http.children ?? []).filter((n) => !n.hidden).map(formatNodeText).filter((t) => t.endsWith('\\r\\n'));
    expect(shown).toEqual(tsharkHeaderLines(tsharkVerbose(file).stdout));
    expect(findAll(d.roots, 'http.request.line')).toHaveLength(5);
    expect(findAll(d.roots, 'http.host').map((n) => n.value)).toEqual(['a']);
  });

  it('numbers requests and responses out of those known so far in one pass, as tshark -V does (the session: app/session/session.test.ts)', async () => {
    const rel = 'zeek/http/pipelined-requests.pcap';
    const numbering = /^ {4}\[HTTP (request|response) \d+\/\d+\]$/;
    const out = new StringSink(), err = new StringSink();
    await runRead(parseReadArgs([corpusPath(rel), '-V']), out, err);
    const ours = out.text().split('\n').filter((l) => numbering.test(l));
    expect(ours.length).toBeGreaterThan(4);
    expect(ours).toEqual(tsharkVerbose(corpusPath(rel)).stdout.split('\n').filter((l) => numbering.test(l)));
  });

  it('starts over on a connection that reuses a pair\'s ports: requests from 1 again, no earlier Upgrade', async () => {
    const SYN = 0x02, ACK = 0x10, PSH = 0x08, FIN = 0x01;
    const upgrade = 'GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n';
    const switching = 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n';
    const get = 'GET /a HTTP/1.1\r\nHost: x\r\n\r\n', ok = 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n';
    /** A connection from 10.0.0.1:40000 to port 80 with one exchange, closed (or left open). */
    const connection = (isn: number, serverIsn: number, request: string, response: string, close: boolean): Uint8Array[] => {
      const c = isn + 1 + request.length, s = serverIsn + 1 + response.length;
      return [
        tcpFrame(true, isn, 0, SYN, ''), tcpFrame(false, serverIsn, isn + 1, SYN | ACK, ''), tcpFrame(true, isn + 1, serverIsn + 1, ACK, ''),
        tcpFrame(true, isn + 1, serverIsn + 1, PSH | ACK, request), tcpFrame(false, serverIsn + 1, c, PSH | ACK, response),
        ...(close ? [tcpFrame(true, c, s, FIN | ACK, ''), tcpFrame(false, s, c + 1, FIN | ACK, ''), tcpFrame(true, c + 1, s + 1, ACK, '')] : []),
      ];
    };
    const fields = ['frame.number', 'tcp.stream', '_ws.col.Protocol', 'http.request_number', 'http.response_number', 'http.prev_request_in', 'http.request_in'];
    const cases: Array<[string, Uint8Array[]]> = [
      ['after-upgrade', [...connection(100, 900, upgrade, switching, true), ...connection(5000, 7000, get, ok, true)]],
      ['after-open', [...connection(100, 900, get, ok, false), ...connection(5000, 7000, get, ok, true)]],
    ];
    for (const [name, frames] of cases) {
      const file = join(dir, `${name}.pcap`);
      writeFileSync(file, pcapFile(frames.map((data, i) => ({ sec: 1_700_000_000 + i, frac: 0, data }))));
      const out = new StringSink(), err = new StringSink();
      await runRead(parseReadArgs([file, ...FIELDS_ARGS, ...fields.flatMap((f) => ['-e', f])]), out, err);
      const ours = parseFieldsOutput(out.text(), fields.length);
      expect(ours, name).toEqual(tsharkCorpusFields(file, fields).rows);
      // The second connection's request is HTTP, numbered 1 (tcp.stream 1).
      expect(ours.filter((r) => r[1] === '1' && r[2] === 'HTTP').map((r) => r[3]), name).toContain('1');
    }
  });

  describe('request/response pairing fields on every corpus packet both see as HTTP over TCP', () => {
    const PAIRING = ['http.request_number', 'http.response_number', 'http.request_in', 'http.response_in', 'http.prev_request_in', 'http.prev_response_in', 'http.time'];
    let packets = 0;
    for (const rel of corpusCaptures().filter((f) => f !== 'tcpdump/dsa.pcap')) {
      it(rel, async () => {
        const fields = ['frame.protocols', ...PAIRING];
        const theirs = tsharkCorpusFields(corpusPath(rel), fields).rows;
        const out = new StringSink(), err = new StringSink();
        await runRead(parseReadArgs([corpusPath(rel), ...FIELDS_ARGS, ...fields.flatMap((f) => ['-e', f])]), out, err);
        const ours = parseFieldsOutput(out.text(), fields.length);
        for (let i = 0; i < theirs.length; i++) {
          // Packets both dissect as HTTP over TCP (whether HTTP is found at all is the whole-corpus test's).
          if (!theirs[i]![0]!.includes(':tcp:http') || !ours[i]![0]!.includes(':tcp:http')) continue;
          packets++;
          expect(ours[i]!.slice(1), `${rel} frame ${i + 1}`).toEqual(theirs[i]!.slice(1));
        }
      });
    }
    it('compared hundreds of HTTP packets', () => {
      expect(packets).toBeGreaterThan(100);
    });
  });
});

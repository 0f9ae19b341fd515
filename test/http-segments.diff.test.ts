// HTTP/1.x messages cut across TCP segments in the ways real captures cut them, and the ways
// they pair up, against `tshark -V` line for line, all in one built capture (one connection per
// case, so one tshark run covers them):
// - a segment the snaplen cut inside a body (first, middle, last segment) and a segment lost
//   inside one: the cut segment goes to HTTP as it is, marked "[Packet size limited during
//   capture]"; the PDU it belonged to never completes, the segments after it inside the PDU are
//   "[TCP segment of a reassembled PDU]", and what follows the PDU is new;
// - a reassembled PDU that asks for more again (its headers in, the body not yet) and one that
//   ends inside a segment whose rest starts the next message (its list of segments cut there);
// - several messages in one segment, each its own HTTP item, what follows them (text, binary,
//   the start of a first line) as tshark takes it; text that is no message yet, its line not
//   ended, waits for more;
// - a body whose last segments come after the FIN (out of order) completes with them; one that
//   waits for the FIN ends with the segment that carries it;
// - header lines whose first line the capture lacks, a line without a colon in a header block,
//   a CRLF before a message (packet-http.c's line loop and leading-CRLF note);
// - pairing as packet-http.c pairs: a response joins the newest request without a response
//   (pipelined requests are not paired in order), a 1xx counts as the response, a response
//   with no request opens an exchange of its own; the "Request URI" is the latest request's;
// - random cuts of random response streams (Content-Length, chunked, bodiless, 100 Continue).
//
// One split is left out of the random cuts: a chunked body's last CRLF cut between its CR and
// LF. tshark takes "0\r\n\r" as complete there and marks the packet malformed; SynScope waits
// for the LF (docs/tshark-differences.md).
import { describe, expect, it } from 'vitest';
import { ours } from './helpers/text-protocol-diff.js';
import { prng } from './helpers/prng.js';
import { tsharkRaw } from './helpers/tshark.js';
import { tsharkVerbose } from './helpers/tshark-verbose.js';
import { CaptureBuilder, writtenCaptures, type TcpConnection } from './helpers/tcp-session.js';
import { desktopItems } from './helpers/revisit.js';

const GET = (path: string) => `GET /${path} HTTP/1.1\r\nHost: x\r\n\r\n`;
const OK = (body: string) => `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
const BIG = OK('x'.repeat(3000));

/** The cases, each on a connection of its own: `run` writes its segments. */
const CASES: Array<(c: TcpConnection) => void> = [
  // The snaplen cut a segment of a 3-segment response: the first, the middle, the last.
  (c) => c.fromClient(GET('a')).fromServerCut(BIG.slice(0, 1000), 100).fromServer(BIG.slice(1000, 2000)).fromServer(BIG.slice(2000)).fromClient(GET('b')).fromServer(OK('ok')),
  (c) => c.fromClient(GET('a')).fromServer(BIG.slice(0, 1000)).fromServerCut(BIG.slice(1000, 2000), 100).fromServer(BIG.slice(2000)).fromClient(GET('b')).fromServer(OK('ok')),
  (c) => c.fromClient(GET('a')).fromServer(BIG.slice(0, 1000)).fromServer(BIG.slice(1000, 2000)).fromServerCut(BIG.slice(2000), 100).fromClient(GET('b')).fromServer(OK('ok')),
  // The middle segment lost.
  (c) => c.fromClient(GET('a')).fromServer(BIG.slice(0, 1000)).lostFromServer(BIG.slice(1000, 2000)).fromServer(BIG.slice(2000)).fromClient(GET('b')).fromServer(OK('ok')),
  // Asks again once the headers are in; then the body ends inside a segment holding the next message.
  (c) => c.fromClient(GET('a')).fromServer('HTTP/1.1 200 OK\r\nContent-Le').fromServer('ngth: 10\r\n\r\n01234').fromServer('56789' + OK('ok')),
  (c) => c.fromClient(GET('a')).fromServer('HTTP/1.1 200 OK\r\nContent-Le').fromServer('ngth: 10\r\n\r\n0123456789HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nok').fromServer('ok'),
  // Messages sharing a segment, and what may follow them there.
  (c) => c.fromClient(GET('a')).fromServer(OK('ok') + OK('ok')),
  (c) => c.fromClient(GET('a')).fromServer(OK('ok') + 'GARBAGE\r\n'),
  (c) => c.fromClient(GET('a')).fromServer(OK('ok') + '\x01\x02binary'),
  (c) => c.fromClient(GET('a')).fromServer(OK('ok') + 'HTTP/1.1 2').fromServer('00 OK\r\nContent-Length: 2\r\n\r\nok'),
  // Text with no line end yet is asked more for on its first byte (binary bytes after it too);
  // a lone CR ends a line: binary pongs of a WebSocket whose upgrade is not in the capture.
  (c) => c.fromClient('\x8a\x80\x0d').fromClient('4').fromClient('\xee1').fromServer('\x89\x00').fromServer('^M\r\x87x').fromServer('no line end'),
  // The FIN seen before the body's last bytes: those come out of order and complete the body.
  (c) => c.fromClient(GET('a')).fromServer(BIG.slice(0, 1000)).finFromServerAhead(BIG.length - 1000).fromServer(BIG.slice(1000, 2000)).fromServer(BIG.slice(2000)),
  // A response without a length ends with the FIN that carries its last bytes: tshark's FIN
  // branch reassembles it and shows neither that segment's payload nor its part.
  (c) => c.fromClient(GET('a')).fromServer('HTTP/1.0 400 Bad request\r\nContent-Ty').fromServer('pe: text/html\r\n\r\n<html>bad').fromServerWithFin(' request</html>\n').closeAfterServerFin(),
  // Header lines whose first line the capture lacks: shown without a word in the columns on a
  // connection with no request yet, as a continuation after one; a line without a colon ends a
  // header block; a cut line after a header is malformed.
  (c) => c.fromClient('Host: a\r\nAccept: b\r\n\r\nbody text').fromClient('X-A: b\r\nnot a header line\r\n\r\n').fromClient('Foo: x\r\nBar').fromClient('Foo : x\r\n\r\n'),
  (c) => c.fromClient(GET('a')).fromServer(OK('')).fromClient('Host: a\r\nAccept: b\r\n\r\nbody text').fromClient('X-A: b\r\nnot a header line\r\n\r\n').fromClient(':x\r\na b: c\r\n\r\n'),
  (c) => c.fromClient('GET / HTTP/1.1\r\nHost: a\r\nbogus line\r\nX: y\r\n\r\n').fromServer('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nbogus line\r\n\r\nok'),
  (c) => c.fromServer(OK('ok') + 'gus line\r\n').fromServer(OK('ok') + '\x01bin'),
  // A CRLF before a message, a continuation, a header block; alone, binary.
  (c) => c.fromClient(`GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nok`).fromClient(`\r\n${GET('b')}`).fromClient('\r\nX: y\r\n\r\n').fromClient('\r\n\r\n')
    .fromClient(`GET /c HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nok\r\n${GET('d')}`),
  // Pairing: pipelined requests, an interim response, a response before any request.
  (c) => c.fromClient(GET('a')).fromClient(GET('b')).fromServer(OK('one')).fromServer(OK('two')).fromClient(GET('c')).fromServer(OK('three')),
  (c) => c.fromClient(GET('a')).fromServer('HTTP/1.1 100 Continue\r\n\r\n').fromServer(OK('ok')).fromClient(GET('b')).fromServer(OK('ok')),
  (c) => c.fromServer(OK('early')).fromClient(GET('a')).fromServer(OK('ok')),
];

/** A random stream of 1-3 responses cut at 0-4 random places (see the note above on one cut left out). */
function randomSegments(seed: number): string[] {
  const rnd = prng(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  let stream = '';
  const forbidden = new Set<number>();
  for (let n = 1 + Math.floor(rnd() * 3); n > 0; n--) {
    const body = 'b'.repeat(Math.floor(rnd() * 40));
    const kind = pick(['length', 'length', 'chunked', 'bodiless', 'interim'] as const);
    if (kind === 'length') stream += `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\nX-A: y\r\n\r\n${body}`;
    else if (kind === 'bodiless') stream += 'HTTP/1.1 204 No Content\r\n\r\n';
    else if (kind === 'interim') stream += 'HTTP/1.1 100 Continue\r\n\r\n';
    else {
      stream += `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
      forbidden.add(stream.length - 1);
    }
  }
  const cuts = new Set<number>();
  for (let k = Math.floor(rnd() * 5); k > 0; k--) {
    const at = 1 + Math.floor(rnd() * (stream.length - 1));
    if (!forbidden.has(at)) cuts.add(at);
  }
  const points = [0, ...[...cuts].sort((a, b) => a - b), stream.length];
  return points.slice(1).map((end, i) => stream.slice(points[i], end));
}

const RANDOM_SEEDS = Array.from({ length: 40 }, (_, i) => i + 1);

function session(): CaptureBuilder {
  const capture = new CaptureBuilder();
  const server = { addr: [10, 0, 0, 2], port: 80 };
  let port = 40000;
  const connection = () => capture.connection({ addr: [10, 0, 0, 1], port: port++ }, server).open();
  for (const run of CASES) run(connection());
  for (const seed of RANDOM_SEEDS) {
    const c = connection().fromClient(GET(`r${seed}`));
    for (const segment of randomSegments(seed)) c.fromServer(segment);
  }
  return capture;
}

const { capture } = writtenCaptures('synscope-http-segments-', { 'http-segments.pcap': session });

/** The fields that say how HTTP paired a frame's messages. */
const PAIRING = ['http.request_number', 'http.response_number', 'http.prev_request_in', 'http.prev_response_in', 'http.request_in', 'http.response_in'];

/** Per frame, "field=value" of every PAIRING item of its tree as the desktop shows it (packet.detail: labels end in the value, "HTTP request 2/3" in 2/3). */
async function desktopPairing(file: string): Promise<string[]> {
  return (await desktopItems(file)).map((items) => items.filter((node) => PAIRING.includes(node.field))
    .map((node) => `${node.field}=${/(\d+)(\/\d+)?\]?$/.exec(node.label)![1]}`).join(' '));
}

/** The same of `tshark -2` (its second pass shows what the first learnt of later frames). */
function tsharkPairing(file: string): string[] {
  const rows = tsharkRaw(file, ['-2', '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,', ...PAIRING.flatMap((f) => ['-e', f])]).stdout.split('\n');
  rows.pop();
  return rows.map((row) => row.split('\t').flatMap((values, i) => (values === '' ? [] : values.split(',').map((v) => `${PAIRING[i]}=${v}`)))
    .sort((x, y) => PAIRING.indexOf(x.split('=')[0]!) - PAIRING.indexOf(y.split('=')[0]!)).join(' '));
}

describe('read: HTTP messages across TCP segments, as tshark shows them', () => {
  it('prints every packet of every case as tshark -V does', async () => {
    const file = capture('http-segments.pcap');
    expect((await ours(file, ['-V'])).split('\n')).toEqual(tsharkVerbose(file).stdout.split('\n'));
  });

  // On a second look tshark finds a frame's exchange by the frame alone: every message of a
  // frame holding several shows the last one's (the "XXX" packet-http.c notes at push_req).
  // SynScope shows each its own; those frames are left out here.
  it('pairs requests and responses on the desktop (a second look) as tshark -2 does', async () => {
    const file = capture('http-segments.pcap');
    const ours = await desktopPairing(file);
    const theirs = tsharkPairing(file);
    expect(ours.length).toBe(theirs.length);
    const oneMessage = (items: string) => (items.match(/http\.(request|response)_number=/g) ?? []).length === 1;
    const compared = ours.map((items, i) => (oneMessage(items) ? i : -1)).filter((i) => i >= 0);
    expect(compared.length).toBeGreaterThan(100);
    expect(compared.map((i) => `${i + 1}: ${ours[i]}`)).toEqual(compared.map((i) => `${i + 1}: ${theirs[i]}`));
  });
});

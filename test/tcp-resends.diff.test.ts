// Segments sent again into a PDU TCP reassembled from two segments (an HTTP response of 190
// bytes sent as 100 + 90), against tshark 4.0 line for line. What tshark shows depends on where
// the resend starts, not only on how the sequence analysis flags it:
// - a spurious retransmission or an out-of-order segment that starts exactly where the PDU
//   started and ends inside it is "Retransmitted TCP segment data" (desegment_tcp finds the PDU
//   by its first sequence number); one that runs past the PDU's end, or starts elsewhere, is not;
// - an out-of-order segment that starts inside the reassembled PDU is refused by the
//   reassembly: "[Reassembly error, protocol TCP: New fragment overlaps old data
//   (retransmission?)]" in Info and as a malformed note, whatever its bytes;
// - a PDU still pending when the resend comes counts the same way.
// And a PDU with a hole (a segment lost or late): the segments after the hole are kept at their
// places; the one that fills it completes the PDU. Filled by an out-of-order segment, the PDU's
// segments are listed but the PDU is not dissected (tshark's decode_tcp_ports refuses
// out-of-order data); filled by a retransmission, it never completes; a segment after the hole
// that runs past the PDU's end carries the next message (Protocol stays TCP).
// The same holds for a PDU that waits for the FIN (an HTTP/1.0 body without a length): the FIN
// completes it only once its holes are filled. A PDU that waits for one more segment (header
// lines cut) has no room after a hole: the segment after the gap is new data, and the filler,
// out of order, completes the PDU undissected.
// And a FIN sent again after data collected until the FIN is "Retransmission of FIN from frame".
// Found by cutting corpus captures' segments again (zeek/smtp.pcap's retransmissions): the first
// sending was one segment there, so nothing of this showed.
//
// And a segment out of order or sent again fast that starts inside the bytes a pending PDU holds
// joins it at its offset: the segment list shows it with "[Segment overlap: True]", and with
// "[Conflicting data in segment overlap: True]" (listed as a reassembling error, "[Illegal
// Segments]" in Info) when its bytes differ; where they overlap, the segment that starts first
// gives the bytes. A segment after a hole may overlap segments kept there already: it is kept
// too. A fast retransmission that fills a hole without completing the PDU is a segment of it
// (TCP's Info), like any other.
import { describe, expect, it } from 'vitest';
import { ours } from './helpers/text-protocol-diff.js';
import { tsharkRaw } from './helpers/tshark.js';
import { tsharkVerbose } from './helpers/tshark-verbose.js';
import { CaptureBuilder, writtenCaptures, type TcpConnection } from './helpers/tcp-session.js';
import { desktopItems } from './helpers/revisit.js';

const GET = 'GET /a HTTP/1.1\r\nHost: x\r\n\r\n';
const RESPONSE = `HTTP/1.1 200 OK\r\nContent-Length: 150\r\n\r\n${'x'.repeat(150)}`;
const FIRST = RESPONSE.slice(0, 100), SECOND = RESPONSE.slice(100);
const SHORT = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';

/** The second request and its response, after a case: the connection goes on. */
const next = (c: TcpConnection) => c.fromClient(GET).fromServer('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');

/** The request, then the response in two segments (one PDU of two). */
const sent = (c: TcpConnection) => c.fromClient(GET).fromServer(FIRST).fromServer(SECOND);

/** A response's header lines in three segments (each cut waits for one more segment). */
const HEAD = ['HTTP/1.1 200 OK\r\nX-A: 1', '\r\nX-B: 2\r\n', 'Content-Length: 5\r\n\r\nhello'] as const;
/** An HTTP/1.0 exchange whose response body ends with the connection (it waits for the FIN), the body in three segments. */
const GET10 = 'GET /a HTTP/1.0\r\nHost: x\r\n\r\n';
const BODY = ['HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nfirst part ', 'second part ', 'third part\n'] as const;

/** Each case on a connection of its own. An ACK from the client first makes a resend spurious; without one it is out of order (sent 1 ms later). */
const CASES: Array<(c: TcpConnection) => void> = [
  // Spurious: at the PDU's start (as long as the first segment, shorter, the whole PDU, past its end).
  (c) => sent(c).ack(true).resendFromServer(RESPONSE.length, FIRST),
  (c) => sent(c).ack(true).resendFromServer(RESPONSE.length, FIRST.slice(0, 50)),
  (c) => sent(c).ack(true).resendFromServer(RESPONSE.length, RESPONSE),
  (c) => sent(c).fromServer('zz').ack(true).resendFromServer(RESPONSE.length + 2, RESPONSE + 'zz'),
  // Spurious, elsewhere: at the second segment, inside the first.
  (c) => sent(c).ack(true).resendFromServer(SECOND.length, SECOND),
  (c) => sent(c).ack(true).resendFromServer(RESPONSE.length - 10, FIRST.slice(10)),
  // Out of order: at the PDU's start (two lengths), at the second segment.
  (c) => sent(c).resendFromServer(RESPONSE.length, FIRST),
  (c) => sent(c).resendFromServer(RESPONSE.length, FIRST.slice(0, 50)),
  (c) => sent(c).resendFromServer(SECOND.length, SECOND),
  // Out of order, inside the reassembled PDU: the same bytes, other bytes.
  (c) => sent(c).resendFromServer(RESPONSE.length - 10, FIRST.slice(10, 60)),
  (c) => sent(c).resendFromServer(RESPONSE.length - 10, 'Y'.repeat(20)),
  // The PDU still pending: a resend of its start, spurious and out of order, before the rest.
  (c) => c.fromClient(GET).fromServer(FIRST).ack(true).resendFromServer(FIRST.length, FIRST.slice(0, 40)).fromServer(SECOND),
  (c) => c.fromClient(GET).fromServer(FIRST).resendFromServer(FIRST.length, FIRST.slice(0, 40)).fromServer(SECOND),
  // A hole: filled out of order (the last one), filled by a retransmission (8 ms later), never filled.
  (c) => next(c.fromClient(GET).fromServer(RESPONSE.slice(0, 60)).lostFromServer(RESPONSE.slice(60, 120)).fromServer(RESPONSE.slice(120))
    .resendFromServer(130, RESPONSE.slice(60, 120))),
  (c) => next(c.fromClient(GET).fromServer(RESPONSE.slice(0, 60)).lostFromServer(RESPONSE.slice(60, 120)).fromServer(RESPONSE.slice(120))
    .ack(false).ack(false).ack(false).ack(false).ack(false).ack(false).ack(false).ack(false).resendFromServer(130, RESPONSE.slice(60, 120))),
  (c) => next(c.fromClient(GET).fromServer(RESPONSE.slice(0, 60)).lostFromServer(RESPONSE.slice(60, 120)).fromServer(RESPONSE.slice(120))),
  // Two holes filled out of order; a hole filled before the last segment comes in order.
  (c) => next(c.fromClient(GET).fromServer(RESPONSE.slice(0, 40)).lostFromServer(RESPONSE.slice(40, 80)).fromServer(RESPONSE.slice(80, 120))
    .lostFromServer(RESPONSE.slice(120, 160)).fromServer(RESPONSE.slice(160)).resendFromServer(150, RESPONSE.slice(40, 80)).resendFromServer(70, RESPONSE.slice(120, 160))),
  (c) => next(c.fromClient(GET).fromServer(RESPONSE.slice(0, 40)).lostFromServer(RESPONSE.slice(40, 80)).fromServer(RESPONSE.slice(80, 120))
    .resendFromServer(80, RESPONSE.slice(40, 80)).fromServer(RESPONSE.slice(120))),
  // After the hole, a segment with the PDU's end and the next response.
  (c) => next(c.fromClient(GET).fromServer(RESPONSE.slice(0, 60)).lostFromServer(RESPONSE.slice(60, 120))
    .fromServer(RESPONSE.slice(120) + 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok').resendFromServer(130 + 40, RESPONSE.slice(60, 120))),
  // Waiting for the FIN: a hole filled out of order; never filled; two holes (the first one's
  // filler a retransmission: never complete); filled by the segment with the FIN.
  (c) => c.fromClient(GET10).fromServer(BODY[0]).lostFromServer(BODY[1]).fromServer(BODY[2]).resendFromServer(BODY[1].length + BODY[2].length, BODY[1]).close(),
  (c) => c.fromClient(GET10).fromServer(BODY[0]).lostFromServer(BODY[1]).fromServer(BODY[2]).close(),
  (c) => c.fromClient(GET10).fromServer(BODY[0]).lostFromServer(BODY[1]).fromServer(BODY[2]).lostFromServer('fourth part\n').fromServer('fifth\n')
    .resendFromServer(18, 'fourth part\n').resendFromServer(BODY[1].length + BODY[2].length + 18, BODY[1]).close(),
  (c) => c.fromClient(GET10).fromServer(BODY[0]).lostFromServer(BODY[1]).fromServer(BODY[2]).resendFromServer(BODY[1].length + BODY[2].length, BODY[1])
    .fromServerWithFin('end\n').closeAfterServerFin(),
  // Waiting for one more segment: the hole's filler out of order (twice), late (spurious), after
  // a new response began; a request's header lines.
  (c) => c.fromClient(GET).fromServer(HEAD[0]).lostFromServer(HEAD[1]).fromServer(HEAD[2]).resendFromServer(HEAD[1].length + HEAD[2].length, HEAD[1])
    .resendFromServer(HEAD[1].length + HEAD[2].length, HEAD[1]).close(),
  (c) => c.fromClient(GET).fromServer(HEAD[0]).lostFromServer(HEAD[1]).fromServer(HEAD[2]).ack(true).ack(true).ack(true).ack(true)
    .resendFromServer(HEAD[1].length + HEAD[2].length, HEAD[1]).close(),
  (c) => c.fromClient(GET).fromServer(HEAD[0]).lostFromServer(HEAD[1]).fromServer('HTTP/1.1 200 OK\r\nX-C: 3').resendFromServer(HEAD[1].length + 23, HEAD[1])
    .fromServer('\r\nContent-Length: 2\r\n\r\nok').close(),
  // A FIN sent again: after data collected until the FIN, "Retransmission of FIN from frame"
  // (dissect_tcp notes it only in such a direction); after a response with a length, nothing.
  (c) => c.fromClient(GET10).fromServer(BODY[0]).fromServer(BODY[2]).close().close(),
  (c) => c.fromClient(GET).fromServer('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok').close().close(),
  (c) => c.fromClient('GET /b HTTP/1.1\r\nHo').lostFromClient('st: x\r\nX-Y').fromClient(': z\r\n\r\n').resendFromClient(14, 'st: x\r\nX-Y')
    .fromServer('HTTP/1.1 204 No Content\r\n\r\n').close(),
  // Out of order into the bytes a pending PDU holds: inside them; past them, other bytes; past
  // the PDU's end, the next response's start; over both sides of a hole; into a PDU that waits
  // for the FIN, other bytes; into one that waits for one more segment; other bytes, then the
  // rest with the next response.
  (c) => next(c.fromClient(GET).fromServer(FIRST).resendFromServer(90, RESPONSE.slice(10, 60)).fromServer(SECOND)),
  (c) => next(c.fromClient(GET).fromServer(FIRST).resendFromServer(50, 'Y'.repeat(70)).fromServer(SECOND)),
  (c) => c.fromClient(GET).fromServer(FIRST).resendFromServer(50, RESPONSE.slice(50) + 'HTTP/1.1 2').fromServer(SECOND).fromClient(GET)
    .fromServer('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'),
  (c) => next(c.fromClient(GET).fromServer(RESPONSE.slice(0, 60)).lostFromServer(RESPONSE.slice(60, 120)).fromServer(RESPONSE.slice(120))
    .resendFromServer(150, RESPONSE.slice(40, 130))),
  (c) => c.fromClient(GET10).fromServer(BODY.join('').slice(0, 60)).resendFromServer(40, 'Y'.repeat(50)).fromServer(BODY.join('').slice(60)),
  (c) => next(c.fromClient(GET).fromServer(HEAD[0]).resendFromServer(20, HEAD.join('').slice(3, 29)).fromServer(HEAD[1] + HEAD[2])),
  (c) => next(c.fromClient(GET).fromServer(FIRST).resendFromServer(90, 'Y'.repeat(50)).fromServer(SECOND + 'HTTP/1.1 200 OK\r\nCont')
    .fromServer('ent-Length: 2\r\n\r\nok')),
  // Fast retransmissions (after three duplicate ACKs): into a pending PDU's bytes, the same and
  // others; at its first byte; into a PDU reassembled already; completing one.
  (c) => next(fastResend(c, 100, RESPONSE.slice(50, 100)).fromServer(RESPONSE.slice(150))),
  (c) => next(fastResend(c, 100, 'Y'.repeat(50)).fromServer(RESPONSE.slice(150))),
  (c) => next(fastResend(c, 150, RESPONSE.slice(0, 50)).fromServer(RESPONSE.slice(150))),
  (c) => next(fastResend(c.fromClient(GET).fromServer(RESPONSE.slice(0, 50)).fromServer(RESPONSE.slice(50, 100)).fromServer(RESPONSE.slice(100, 150))
    .fromServer(RESPONSE.slice(150)), 140, RESPONSE.slice(50, 100), false)),
  (c) => next(fastResend(c, 100, RESPONSE.slice(50))),
  // A hole that a fast retransmission fills, the PDU still not complete: of a known length, until
  // the FIN. A segment out of order over one kept after a hole, then the hole filled fast: the
  // same bytes, others.
  (c) => next(holeFilledFast(c, RESPONSE).fromServer(RESPONSE.slice(150))),
  (c) => holeFilledFast(c, BODY.join('') + 'y'.repeat(100), GET10).fromServer('end\n'),
  (c) => next(c.fromClient(GET).fromServer(RESPONSE.slice(0, 50)).lostFromServer(RESPONSE.slice(50, 100)).fromServer(RESPONSE.slice(100, 150))
    .resendFromServer(30, RESPONSE.slice(120, 170)).fromServer(RESPONSE.slice(150)).ackBehind(140).ackBehind(140).ackBehind(140).ackBehind(140)
    .resendFromServer(140, RESPONSE.slice(50, 100))),
  (c) => next(c.fromClient(GET).fromServer(RESPONSE.slice(0, 50)).lostFromServer(RESPONSE.slice(50, 100)).fromServer(RESPONSE.slice(100, 150))
    .resendFromServer(30, 'Q'.repeat(50)).fromServer(RESPONSE.slice(150)).ackBehind(140).ackBehind(140).ackBehind(140).ackBehind(140)
    .resendFromServer(140, RESPONSE.slice(50, 100))),
  // A fast retransmission of a whole response lost before a pending PDU (two requests at once):
  // no PDU holds its bytes, so it goes to HTTP again; the same, the response in two segments.
  (c) => c.fromClient(GET + GET).lostFromServer(SHORT).fromServer(RESPONSE.slice(0, 50)).fromServer(RESPONSE.slice(50, 100))
    .ackBehind(SHORT.length + 100).ackBehind(SHORT.length + 100).ackBehind(SHORT.length + 100).ackBehind(SHORT.length + 100)
    .resendFromServer(SHORT.length + 100, SHORT).fromServer(RESPONSE.slice(100)),
  (c) => c.fromClient(GET + GET).lostFromServer(SHORT).fromServer(RESPONSE.slice(0, 50)).fromServer(RESPONSE.slice(50, 100))
    .ackBehind(SHORT.length + 100).ackBehind(SHORT.length + 100).ackBehind(SHORT.length + 100).ackBehind(SHORT.length + 100)
    .resendFromServer(SHORT.length + 100, SHORT.slice(0, 20)).resendFromServer(SHORT.length + 80, SHORT.slice(20)).fromServer(RESPONSE.slice(100)),
  // Two segments lost, the first sent again late (a retransmission, not collected), the second
  // fast after the ACKs that ask for it: it lands after the PDU's hole, with nothing kept there.
  (c) => next(c.fromClient(GET).fromServer(RESPONSE.slice(0, 50)).lostFromServer(RESPONSE.slice(50, 100)).lostFromServer(RESPONSE.slice(100, 150))
    .ack(false).ack(false).ack(false).ack(false).ack(false).ack(false).ack(false).ack(false).resendFromServer(100, RESPONSE.slice(50, 100))
    .ackBehind(50).ackBehind(50).ackBehind(50).ackBehind(50).resendFromServer(50, RESPONSE.slice(100, 150)).fromServer(RESPONSE.slice(150))),
  // A PDU left behind with two holes; a segment out of order fills the second and runs on into
  // the next response: that rest is refused (out of order), not a new PDU.
  (c) => c.fromClient(GET + GET).fromServer(RESPONSE.slice(0, 50)).lostFromServer(RESPONSE.slice(50, 100))
    .lostFromServer(RESPONSE.slice(100) + SHORT.slice(0, 20)).fromServer(SHORT.slice(20))
    .resendFromServer(SHORT.length + 90, RESPONSE.slice(100) + SHORT.slice(0, 20)),
  // A PDU left behind with a hole that a fast retransmission fills and completes; the same
  // segment sent fast again falls in a PDU reassembled now: tshark's reassembly error.
  (c) => c.fromClient(GET + GET).fromServer(RESPONSE.slice(0, 50)).lostFromServer(RESPONSE.slice(50, 100)).fromServer(RESPONSE.slice(100))
    .fromServer(SHORT).ackBehind(180).ackBehind(180).ackBehind(180).ackBehind(180).resendFromServer(180, RESPONSE.slice(50, 100))
    .ackBehind(180).ackBehind(180).ackBehind(180).resendFromServer(180, RESPONSE.slice(50, 100)),
  // A body that waits for the FIN, the FIN seen before its last bytes: those complete it (out of
  // order: not handed on, the FIN listed last with no bytes). The last segment and its FIN lost,
  // then sent again late (a retransmission): dissect_tcp's FIN branch completes the body all the
  // same. Two segments lost before the FIN: one sent again fast after the ACKs asking for it
  // joins the body, the other completes it.
  (c) => c.fromClient(GET10).fromServer(BODY[0]).fromServer(BODY[1]).finFromServerAhead(BODY[2].length).fromServer(BODY[2]),
  (c) => c.fromClient(GET10).fromServer(BODY[0]).fromServer(BODY[1]).finFromServerAhead(BODY[2].length)
    .ack(false).ack(false).ack(false).ack(false).ack(false).ack(false).ack(false).ack(false).fromServerWithFin(BODY[2]).closeAfterServerFin(),
  (c) => c.fromClient(GET10).fromServer(BODY[0]).lostFromServer(BODY[1] + BODY[2]).finFromServerAhead(0)
    .ackBehind(BODY[1].length + BODY[2].length).ackBehind(BODY[1].length + BODY[2].length).ackBehind(BODY[1].length + BODY[2].length)
    .ackBehind(BODY[1].length + BODY[2].length).resendFromServer(BODY[1].length + BODY[2].length, BODY[1]).resendFromServer(BODY[2].length, BODY[2]),
];

/** `message` sent in 50-byte segments up to 150 bytes, the second lost, then sent again fast after three duplicate ACKs. */
function holeFilledFast(c: TcpConnection, message: string, request = GET): TcpConnection {
  return c.fromClient(request).fromServer(message.slice(0, 50)).lostFromServer(message.slice(50, 100)).fromServer(message.slice(100, 150))
    .ackBehind(100).ackBehind(100).ackBehind(100).ackBehind(100).resendFromServer(100, message.slice(50, 100));
}

/**
 * The response in 50-byte segments up to 150 bytes (unless `sent` is false: the caller sent
 * it), three duplicate ACKs for the server's bytes up to `back` before its next, and `payload`
 * resent from there: a fast retransmission.
 */
function fastResend(c: TcpConnection, back: number, payload: string, sent = true): TcpConnection {
  if (sent) c.fromClient(GET).fromServer(RESPONSE.slice(0, 50)).fromServer(RESPONSE.slice(50, 100)).fromServer(RESPONSE.slice(100, 150));
  return c.ackBehind(back).ackBehind(back).ackBehind(back).ackBehind(back).resendFromServer(back, payload);
}

function resends(): CaptureBuilder {
  const capture = new CaptureBuilder();
  let port = 40000;
  for (const run of CASES) {
    const c = capture.connection({ addr: [10, 0, 0, 1], port: port++ }, { addr: [10, 0, 0, 2], port: 80 }).open();
    run(c);
    if (!c.closed) c.close();
  }
  return capture;
}

const { capture } = writtenCaptures('synscope-tcp-resends-', { 'resends.pcap': resends });

describe('read: segments sent again into a reassembled PDU, as tshark shows them', () => {
  it('prints every packet as tshark -V does', async () => {
    const file = capture('resends.pcap');
    const theirs = tsharkVerbose(file).stdout;
    // The cases show what they are about.
    expect(theirs.match(/Retransmitted TCP segment data/g)?.length).toBeGreaterThanOrEqual(6);
    expect(theirs).toContain('[Reassembly error, protocol TCP: New fragment overlaps old data (retransmission?)]');
    expect(theirs).toContain('[3 Reassembled TCP Segments (190 bytes): #');
    expect(theirs).toContain('[Segment overlap: True]');
    expect(theirs).toContain('[Conflicting data in segment overlap: True]');
    expect(theirs).toContain('This frame is a (suspected) fast retransmission');
    expect((await ours(file, ['-V'])).split('\n')).toEqual(theirs.split('\n'));
  });

  it('prints the summary lines as tshark does (the header-only path decides the Info alike)', async () => {
    const file = capture('resends.pcap');
    const theirs = tsharkRaw(file, []).stdout;
    expect(theirs).toContain('[Illegal Segments]');
    expect((await ours(file, [])).split('\n')).toEqual(theirs.split('\n'));
  });

  it('shows the same in the desktop, frames looked at last to first (the first pass decides where a resend landed)', async () => {
    const file = capture('resends.pcap');
    const resendLines = (lines: readonly string[]) => lines.map((l) => l.trim()).filter((l) => /TCP segment data|Reassembly error|Segment overlap|Conflicting data/.test(l) && !l.startsWith('[Expert'));
    const theirs: string[] = [];
    for (const frame of tsharkVerbose(file).stdout.split(/\n(?=Frame \d+:)/)) theirs.push(resendLines(frame.split('\n')).join(' | '));
    const mine = (await desktopItems(file)).map((items) => resendLines(items.map((node) => node.label)).join(' | '));
    expect(mine.filter((l) => l.includes('Retransmitted')).length).toBeGreaterThanOrEqual(6);
    expect(mine).toEqual(theirs);
  });
});

// IMAP as tshark 4.0 shows it: "Line" items, tagged requests and responses (tag, command, UID
// commands, folder, LOGIN's user name and password, response status and command, request and
// response matched by tag), untagged lines, a FETCH response with a literal waited for over its
// segments and handed to IMF, a command split over two segments, STARTTLS handing the connection
// to TLS, and a connection taken for TLS because its first payload is not text. On the corpus
// capture with IMAP and on sessions written here.
import { describe, expect, it } from 'vitest';
import { corpusPath } from './helpers/corpus.js';
import { tlsClientHello } from './helpers/pcap-build.js';
import { bothWays } from './helpers/revisit.js';
import { CaptureBuilder, writtenCaptures, type Endpoint } from './helpers/tcp-session.js';
import { expectLikeTshark, type TextProtocolCheck } from './helpers/text-protocol-diff.js';

const IMAP: TextProtocolCheck = {
  titles: ['Internet Message Access Protocol', 'Internet Message Format', 'Transport Layer Security'],
  fields: [
    'imap.isrequest', 'imap.line', 'imap.request', 'imap.request_tag', 'imap.response', 'imap.response_tag', 'imap.request.command',
    'imap.response.command', 'imap.response.status', 'imap.tag', 'imap.command', 'imap.request.folder', 'imap.request.command.uid',
    'imap.request.username', 'imap.request.password', 'imap.response_in', 'imap.response_to', 'imap.time', 'imf.from', 'imf.subject',
  ],
  filters: ['imap', 'imap.isrequest', 'imap.request.command == "LOGIN"', 'imap.tag == "a003"', 'imap.response.status == "OK"', 'imap.response_to', 'imf', 'tls'],
};

const BUILDERS: Record<string, () => CaptureBuilder> = {
  'session.pcap': buildSession,
  'starttls.pcap': buildStarttls,
  'tls-guess.pcap': buildTlsGuess,
};

const { capture } = writtenCaptures('synscope-imap-', BUILDERS);

const C = [10, 0, 0, 1], S = [10, 0, 0, 2];
const at = (addr: number[], port: number): Endpoint => ({ addr, port });

describe('read: IMAP as tshark shows it', () => {
  it('zeek/tls/imap-starttls.pcap: CAPABILITY, STARTTLS accepted, TLS after it (its columns; the TLS trees are tls-tree.diff\'s)', () =>
    expectLikeTshark(corpusPath('zeek/tls/imap-starttls.pcap'), { ...IMAP, titles: IMAP.titles.slice(0, 2) }, 5));

  it('LOGIN, SELECT with untagged lines, FETCH with a literal over two segments (IMF), UID FETCH, COPY, NOOP, a command split over segments, LOGOUT', () =>
    expectLikeTshark(capture('session.pcap'), IMAP, 20));

  it('STARTTLS refused, then accepted: a ClientHello after the OK is TLS', () => expectLikeTshark(capture('starttls.pcap'), IMAP, 6));

  it('a connection whose first payload is not text is TLS (the capture began after STARTTLS)', () => expectLikeTshark(capture('tls-guess.pcap'), IMAP, 1));
});

describe('IMAP frames dissected again show what the first pass showed, and the responses found since', () => {
  for (const name of Object.keys(BUILDERS)) {
    it(name, () => {
      const [first, again] = bothWays(capture(name));
      expect(first.some((t) => t.includes(name === 'tls-guess.pcap' ? 'Transport Layer Security' : 'Internet Message Access Protocol'))).toBe(true);
      // A request shows its response once one was seen (Wireshark's visited frames): the only
      // difference a second dissection may make.
      const responseIn = /\n *\[Response In: \d+\]/g;
      expect(again.some((t) => responseIn.test(t))).toBe(name !== 'tls-guess.pcap');
      expect(again.map((t) => t.replace(responseIn, ''))).toEqual(first);
    });
  }
});

const MESSAGE = 'From: Bob <bob@example.org>\r\nSubject: hello\r\nTo: alice@example.com\r\n\r\nHi Alice,\r\nsee you.\r\n';

function buildSession(): CaptureBuilder {
  const cap = new CaptureBuilder();
  const s = cap.connection(at(C, 40143), at(S, 143)).open();
  s.fromServer('* OK [CAPABILITY IMAP4rev1 LITERAL+ STARTTLS] Dovecot ready.\r\n');
  s.fromClient('a001 CAPABILITY\r\n').fromServer('* CAPABILITY IMAP4rev1 IDLE\r\na001 OK Capability completed.\r\n');
  s.fromClient('a002 LOGIN bob "s3cret"\r\n').fromServer('a002 OK Logged in\r\n');
  s.fromClient('a003 SELECT INBOX\r\n');
  s.fromServer('* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n* 2 EXISTS\r\n* 0 RECENT\r\n* OK [UIDVALIDITY 1700000000] UIDs valid\r\na003 OK [READ-WRITE] Select completed.\r\n');
  s.fromClient('a004 FETCH 1 (BODY[])\r\n');
  const fetch = `* 1 FETCH (BODY[] {${MESSAGE.length}}\r\n${MESSAGE})\r\na004 OK Fetch completed.\r\n`;
  s.fromServer(fetch.slice(0, 60)).fromServer(fetch.slice(60));
  s.fromClient('a005 UID FETCH 1:* (FLAGS)\r\n').fromServer('* 1 FETCH (UID 1 FLAGS (\\Seen))\r\n* 2 FETCH (UID 2 FLAGS ())\r\na005 OK done\r\n');
  s.fromClient('a006 COPY 1:2 Archive\r\n').fromServer('a006 NO [TRYCREATE] no such mailbox\r\n');
  s.fromClient('a007 STAT').fromClient('US INBOX (MESSAGES UNSEEN)\r\n').fromServer('* STATUS INBOX (MESSAGES 2 UNSEEN 1)\r\na007 OK\r\n');
  s.fromClient('a008 NOOP\r\n').fromServer('* 3 EXISTS\r\n').fromServer('a008 OK NOOP completed\r\n');
  s.fromClient('A009 LOGOUT\r\n').fromServer('* BYE Logging out\r\na009 OK Logout completed.\r\n').close();
  return cap;
}

function buildStarttls(): CaptureBuilder {
  const cap = new CaptureBuilder();
  const s = cap.connection(at(C, 40144), at(S, 143)).open();
  s.fromServer('* OK IMAP4rev1 ready\r\n');
  s.fromClient('t1 STARTTLS\r\n').fromServer('t1 BAD not now\r\n');
  s.fromClient('t2 NOOP\r\n').fromServer('t2 OK\r\n');
  s.fromClient('t3 STARTTLS\r\n').fromServer('t3 OK Begin TLS negotiation now\r\n');
  s.fromClient(tlsClientHello('imap.example.com')).fromServer(Buffer.from('1503030002022800', 'hex')).close();
  return cap;
}

function buildTlsGuess(): CaptureBuilder {
  const cap = new CaptureBuilder();
  const s = cap.connection(at(C, 40145), at(S, 143)).open();
  s.fromClient(tlsClientHello('mail.example.com')).fromServer(Buffer.from('1503030002022800', 'hex')).close();
  return cap;
}

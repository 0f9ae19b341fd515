// SMTP, the Internet Message Format and MIME multipart as tshark 4.0 shows them: commands and
// replies (multi-line ones, AUTH LOGIN/PLAIN lines, STARTTLS handing over to TLS), DATA and BDAT
// messages put together from their fragments ("[14 DATA fragments (15156 bytes): ...]", with the
// ICMP-quoted copies tshark adds to them) and dissected as IMF: header fields, address lists,
// Content-Type parts, Message-Text, and multipart bodies with nested parts. On the corpus captures
// with SMTP and on sessions written here; HTTP's multipart/form-data goes the same way.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusPath } from './helpers/corpus.js';
import { bothWays } from './helpers/revisit.js';
import { CaptureBuilder, writtenCaptures, type Endpoint } from './helpers/tcp-session.js';
import { expectLikeTshark, type TextProtocolCheck } from './helpers/text-protocol-diff.js';

const SMTP: TextProtocolCheck = {
  titles: ['Simple Mail Transfer Protocol', 'Internet Message Format'],
  fields: [
    'smtp.req', 'smtp.rsp', 'smtp.req.command', 'smtp.req.parameter', 'smtp.response.code', 'smtp.rsp.parameter', 'smtp.auth.username',
    'smtp.auth.password', 'smtp.auth.username_password', 'smtp.data.fragment', 'smtp.data.fragment.count', 'smtp.data.reassembled.length',
    'imf.from', 'imf.to', 'imf.cc', 'imf.subject', 'imf.address', 'imf.display_name', 'imf.content.type.type', 'imf.extension.type',
    'mime_multipart.type', 'mime_multipart.header.content-type', 'mime_multipart.header.content-disposition', 'mime_multipart.boundary',
  ],
  filters: ['smtp', 'imf', 'mime_multipart', 'smtp.response.code == 250', 'smtp.req.command == "RCPT"', 'imf.address contains "example"', 'data-text-lines', 'smtp.eom'],
};

const BUILDERS: Record<string, () => CaptureBuilder> = {
  'esmtp.pcap': buildEsmtp,
  'multipart.pcap': buildMultipart,
  'bdat-starttls.pcap': buildBdatStarttls,
  'form.pcap': buildForm,
};

const { dir, capture } = writtenCaptures('synscope-smtp-', BUILDERS);

const C = [10, 0, 0, 1], S = [10, 0, 0, 2];
const at = (addr: number[], port: number): Endpoint => ({ addr, port });

describe('read: SMTP and IMF as tshark shows them', () => {
  it('zeek/smtp/mime-header-size-limit.pcap.gz: a 10 kB header field (Info cut at 4095 bytes, labels at 239)', () =>
    expectLikeTshark(corpusPath('zeek/smtp/mime-header-size-limit.pcap.gz'), SMTP, 10));

  it('zeek/smtp.pcap: AUTH LOGIN, a multipart message whose fragments include ICMP-quoted copies, a Cc list', () => {
    // Frames 60 (NetBIOS browser) and 61 (Yahoo Messenger) are protocols SynScope does not have:
    // editcap leaves them out of the copy both tools read.
    const file = join(dir, 'smtp-only.pcap');
    execFileSync('editcap', [corpusPath('zeek/smtp.pcap'), file, '60-61']);
    return expectLikeTshark(file, SMTP, 40);
  });

  it('zeek/pop3/pop3.pcap: IMF on the messages POP hands it, one a piece that starts in the middle of a line (no header: all Message-Text)', () =>
    expectLikeTshark(corpusPath('zeek/pop3/pop3.pcap'), { ...SMTP, titles: ['Post Office Protocol', 'Internet Message Format'], filters: ['imf', 'pop', 'mime_multipart'] }, 15));

  it('ESMTP: multi-line replies (one with a wrong code), AUTH PLAIN, pipelined commands, a line split over segments, a one-segment message without Content-Type parameters (Message-Text)', () => expectLikeTshark(capture('esmtp.pcap'), SMTP, 14));

  it('a message over several segments: group and list addresses, unknown fields, nested multipart with a base64 attachment and a part without headers', () => expectLikeTshark(capture('multipart.pcap'), SMTP, 20));

  it('BDAT chunks (the last one completes the message, and tshark then shows no IMF), STARTTLS accepted and TLS after it', () => expectLikeTshark(capture('bdat-starttls.pcap'), { ...SMTP, titles: [...SMTP.titles, 'Transport Layer Security'], filters: [...SMTP.filters, 'tls'] }, 10));

  it('HTTP: a multipart/form-data upload goes to the multipart dissector too', () => expectLikeTshark(capture('form.pcap'), { titles: ['Hypertext Transfer Protocol', 'MIME Multipart'], fields: SMTP.fields.filter((f) => f.startsWith('mime')), filters: ['mime_multipart', 'http'] }, 2));
});

describe('SMTP frames dissected again show what the first pass showed', () => {
  for (const name of ['esmtp.pcap', 'multipart.pcap', 'bdat-starttls.pcap']) {
    it(name, () => {
      const [first, again] = bothWays(capture(name));
      expect(first.some((t) => t.includes('Simple Mail Transfer Protocol'))).toBe(true);
      expect(again).toEqual(first);
    });
  }
});

/** ESMTP: multi-line replies (one with a wrong code), AUTH PLAIN, pipelined commands, a line split over segments, a one-segment message without Content-Type parameters (Message-Text) */
function buildEsmtp(): CaptureBuilder {
    const cap = new CaptureBuilder();
    const s = cap.connection(at(C, 40001), at(S, 25)).open();
    s.fromServer('220 mx.example.com ESMTP\r\n').fromClient('EHLO client.example.org\r\n');
    s.fromServer('250-mx.example.com\r\n250-PIPELINING\r\n251-SIZE 1000\r\n250 AUTH PLAIN LOGIN\r\n');
    s.fromClient('AUTH PLAIN AGJvYgBzZWNyZXQ=\r\n').fromServer('235 2.7.0 ok\r\n');
    s.fromClient('MAIL FROM:<bob@example.org>\r\nRCPT TO:<alice@example.com>\r\n').fromServer('250 ok\r\n250 ok\r\n');
    s.fromClient('RCPT TO:<carol@exa').fromClient('mple.com>\r\n').fromServer('550 no such user\r\n');
    s.fromClient('DATA\r\n').fromServer('354 go\r\n');
    s.fromClient('From: Bob <bob@example.org>\r\nTo: undisclosed-recipients:;\r\nSubject: hi\r\nContent-Type: text/plain\r\n\r\nshort\r\n.\r\n');
    s.fromServer('250 queued\r\n').fromClient('QUIT\r\n').fromServer('221 bye\r\n').close();
    return cap;
}

/** a message over several segments: group and list addresses, unknown fields, nested multipart with a base64 attachment and a part without headers */
function buildMultipart(): CaptureBuilder {
    const cap = new CaptureBuilder();
    const s = cap.connection(at(C, 40002), at(S, 587)).open();
    s.fromServer('220 submit\r\n').fromClient('AUTH LOGIN\r\n').fromServer('334 VXNlcm5hbWU6\r\n');
    s.fromClient('Ym9i\r\n').fromServer('334 UGFzc3dvcmQ6\r\n').fromClient('c2VjcmV0\r\n').fromServer('535 bad credentials\r\n');
    s.fromClient('AUTH LOGIN Ym9i\r\n').fromServer('334 UGFzc3dvcmQ6\r\n').fromClient('c2VjcmV0\r\n').fromServer('235 ok\r\n');
    s.fromClient('MAIL FROM:<bob@example.org>\r\n').fromServer('250 ok\r\n').fromClient('DATA\r\n').fromServer('354 go\r\n');
    const message = [
      'Return-Path: <bob@example.org>', 'From: "Bob B." <bob@example.org>, carol@example.com',
      'To: friends: alice@example.com, Dan <dan@example.net>;, eve@example.com', 'Cc: <x@example.com>,', '  y@example.com',
      'Subject: =?utf-8?q?caf=C3=A9?= report', 'X-Custom-Header: 1', 'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="outer"', '', 'preamble text', '--outer',
      'Content-Type: multipart/alternative;', '\tboundary=inner', '', '--inner', 'Content-Type: text/plain; charset=us-ascii', '',
      'plain body', '--inner', 'Content-Type: text/html', 'Content-Transfer-Encoding: quoted-printable', '', '<p>=3D html</p>', '--inner--',
      '', '--outer', 'Content-Type: application/pdf; name="r.pdf"', 'Content-Transfer-Encoding: base64',
      'Content-Disposition: attachment; filename="r.pdf"', '', 'JVBERi0xLjQKJcfsj6IK', '--outer', '', 'no headers here', '--outer--', 'epilogue', '',
    ].join('\r\n');
    for (let i = 0; i < message.length; i += 180) s.fromClient(message.slice(i, i + 180));
    s.fromClient('.\r\n').fromServer('250 ok\r\n').close();
    return cap;
}

/** BDAT chunks (the last one completes the message, and tshark then shows no IMF), STARTTLS accepted and TLS after it */
function buildBdatStarttls(): CaptureBuilder {
    const cap = new CaptureBuilder();
    const s = cap.connection(at(C, 40003), at(S, 25)).open();
    s.fromServer('220 ready\r\n').fromClient('EHLO c\r\n').fromServer('250-ok\r\n250 CHUNKING\r\n');
    s.fromClient('MAIL FROM:<a@example.org>\r\n').fromServer('250 ok\r\n');
    const m = 'Subject: chunks\r\nContent-Type: text/plain\r\n\r\nline one\r\nline two\r\n';
    s.fromClient(`BDAT 20\r\n`).fromClient(m.slice(0, 20)).fromServer('250 20 octets\r\n');
    s.fromClient(`BDAT ${m.length - 20} LAST\r\n`).fromClient(m.slice(20)).fromServer('250 done\r\n');
    s.fromClient('STARTTLS\r\n').fromServer('220 go ahead\r\n');
    // A TLS ClientHello record (SNI mail.example.com), then what tshark takes for TLS.
    s.fromClient(Buffer.from('16030100390100003503031111111111111111111111111111111111111111111111111111111111111111000002130101000' +
      '00a0000000600040000016d', 'hex'));
    s.fromServer(Buffer.from('1503030002022800', 'hex')).close();
    return cap;
}

/** HTTP: a multipart/form-data upload goes to the multipart dissector too */
function buildForm(): CaptureBuilder {
    const cap = new CaptureBuilder();
    const h = cap.connection(at(C, 40004), at(S, 80)).open();
    const body = ['--XyZ', 'Content-Disposition: form-data; name="note"', '', 'hello', '--XyZ',
      'Content-Disposition: form-data; name="f"; filename="a.txt"', 'Content-Type: text/plain', '', 'file text', '--XyZ--', ''].join('\r\n');
    h.fromClient(`POST /up HTTP/1.1\r\nHost: s\r\nContent-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    h.fromServer('HTTP/1.1 204 No Content\r\n\r\n').close();
    return cap;
}

// String values with bytes that are not printable ASCII, as tshark 4.0 shows them: `-T fields`
// escapes only \b \f \n \r \t (print.c's print_escaped_csv) and writes other control characters
// as they are; the tree shows them as C escapes or octal (format_text); a byte above 0x7f of
// ASCII text is U+FFFD; a value stops at its first NUL (FT_STRING values are C strings), and a
// header line that goes on after one gets "Trailing stray characters", a header name with a
// character no token allows "Illegal characters found in header name". HTTP requests written
// here, each against tshark run on them.
import { describe, it } from 'vitest';
import { CaptureBuilder, writtenCaptures } from './helpers/tcp-session.js';
import { expectLikeTshark, type TextProtocolCheck } from './helpers/text-protocol-diff.js';

const HTTP: TextProtocolCheck = {
  titles: ['Hypertext Transfer Protocol'],
  fields: ['http.user_agent', 'http.host', 'http.request.line', 'http.request.uri', 'http.cookie_pair', 'http.response.phrase', 'http.server', '_ws.expert.message', '_ws.expert.severity'],
  filters: [
    'http.request.line contains "q"', 'http.request.line contains "p"', 'http.user_agent contains "\\x1f"', 'http.user_agent contains "\\a"',
    'http.user_agent == "ok"', '_ws.expert.message == "Trailing stray characters"', '_ws.expert.message == "Illegal characters found in header name"', 'http.host contains "\\xef\\xbf\\xbd"',
  ],
};

const { capture } = writtenCaptures('synscope-strings-', {
  'control.pcap': () => {
    const cap = new CaptureBuilder();
    let port = 40000;
    const request = (headers: string, uri = '/'): void => {
      const c = cap.connection({ addr: [10, 0, 0, 1], port: port++ }, { addr: [10, 0, 0, 2], port: 80 }).open();
      c.fromClient(`GET ${uri} HTTP/1.1\r\n${headers}\r\n`);
      c.fromServer('HTTP/1.1 200 O\x01K\r\nServer: s\x00t\r\nContent-Length: 0\r\n\r\n');
    };
    // Every control character, DEL, a backslash and a quote; a NUL in a known and an unknown header.
    request(`User-Agent: ${Array.from({ length: 32 }, (_, i) => (i === 0 || i === 10 || i === 13 ? '' : String.fromCharCode(i))).join('')}\x7f\\"\r\nHost: x\r\n`);
    request('User-Agent: a\x00b\r\nX-Y: p\x00q\r\nHost: x\r\n');
    // Bytes above 0x7f (UTF-8 and not): the fields read them as ASCII, the tree and Info as UTF-8.
    request('User-Agent: ok\r\nHost: caf\xc3\xa9.\xe9\xff\r\n');
    request('Host: x\r\nCookie: a=\xc3\xa9; b=\xff\r\nUser-Agent: \xc3\xa9\r\n', '/caf\xc3\xa9/\xe9');
    // Header names with characters RFC 9110 does not allow in a token: a space, a control character, a slash.
    request('Host : x\r\nX Y: z\r\nBad\x01: v\r\nA/B: c\r\nUser-Agent\t: t\r\nOK-Name_1.2~!#$%&*+^`|\\: fine\r\nIt\'s: no\r\nCaf\xe9: no\r\n Lead: no\r\nHost: x\r\n');
    return cap;
  },
});

describe('read: string values with control characters, high bytes and NULs as tshark shows them', () => {
  it('HTTP headers', () => expectLikeTshark(capture('control.pcap'), HTTP, 5));
});

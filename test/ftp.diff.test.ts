// FTP and FTP-DATA as tshark 4.0 shows them: requests and responses (code names, arguments,
// multi-line replies shown line by line), PORT/PASV/EPRT/EPSV parsed (with tshark's NAT item and
// malformed-argument notes), the working directory after PWD/CWD/CDUP, and the data connections
// they announce dissected as FTP-DATA ("FTP Data: 342 bytes (PASV) (LIST)") with the setup
// frame, method, command and command frame. On the corpus capture with FTP and on sessions
// written here (IPv4 and IPv6).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { corpusPath } from './helpers/corpus.js';
import { CaptureBuilder, type Endpoint } from './helpers/tcp-session.js';
import { expectLikeTshark, type TextProtocolCheck } from './helpers/text-protocol-diff.js';

const FTP: TextProtocolCheck = {
  titles: ['File Transfer Protocol (FTP)', 'FTP Data'],
  fields: [
    'ftp.request.command', 'ftp.request.arg', 'ftp.response.code', 'ftp.response.arg', 'ftp.passive.ip', 'ftp.passive.port', 'ftp.passive.nat',
    'ftp.active.cip', 'ftp.active.port', 'ftp.eprt.af', 'ftp.eprt.ip', 'ftp.eprt.ipv6', 'ftp.eprt.port', 'ftp.epsv.ip', 'ftp.epsv.ipv6',
    'ftp.epsv.port', 'ftp.current-working-directory', 'ftp-data.setup-frame', 'ftp-data.setup-method', 'ftp-data.command',
    'ftp-data.command-frame', 'ftp-data.current-working-directory', 'ftp.request', 'ftp.response',
  ],
  filters: ['ftp', 'ftp-data', 'ftp.response.code == 227', 'ftp.request.command == "RETR"', 'ftp-data.setup-method == "PASV"', 'data-text-lines'],
};

describe('read: FTP as tshark shows it', () => {
  it('zeek/ftp/ipv4.pcap', () => expectLikeTshark(corpusPath('zeek/ftp/ipv4.pcap'), FTP, 40));

  const dir = mkdtempSync(join(tmpdir(), 'synscope-ftp-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function write(name: string, cap: CaptureBuilder): string {
    const file = join(dir, name);
    writeFileSync(file, cap.pcap());
    return file;
  }

  it('IPv4: PWD/CWD/CDUP, EPSV, PORT to port 20, EPRT, bad EPRT/EPSV arguments, a PASV behind NAT, multi-line and odd lines', () => {
    const cap = new CaptureBuilder();
    const C = [10, 0, 0, 1], S = [10, 0, 0, 2];
    const at = (addr: number[], port: number): Endpoint => ({ addr, port });
    const ctl = cap.connection(at(C, 40001), at(S, 21)).open();
    ctl.fromServer('220 hello\r\n').fromClient('USER bob\r\n').fromServer('331 pw\r\n').fromClient('PASS x\r\n').fromServer('230 ok\r\n');
    ctl.fromClient('PWD\r\n').fromServer('257 "/home/bob" is cwd\r\n');
    ctl.fromClient('CWD pub\r\n').fromServer('250 ok\r\n').fromClient('CDUP\r\n').fromServer('250 ok\r\n');
    ctl.fromClient('CWD  two spaces\r\n').fromServer('550 no\r\n');
    ctl.fromClient('EPSV\r\n').fromServer('229 Entering Extended Passive Mode (|||50123|)\r\n');
    const listing = cap.connection(at(C, 40010), at(S, 50123)).open();
    ctl.fromClient('NLST\r\n').fromServer('150 here\r\n');
    listing.fromServer('a.txt\r\nb.txt\r\n').close();
    ctl.fromServer('226 done\r\n');
    // PORT: the server connects from port 20 (binary data: no line-based text).
    ctl.fromClient('PORT 10,0,0,1,200,10\r\n').fromServer('200 ok\r\n');
    const upload = cap.connection(at(C, 51210), at(S, 20));
    ctl.fromClient('STOR up.bin\r\n');
    upload.open().fromClient(new Uint8Array([0, 1, 2, 3, 255])).close();
    ctl.fromServer('226 done\r\n');
    ctl.fromClient('EPRT |1|10.0.0.1|6000|\r\n').fromServer('200 ok\r\n');
    ctl.fromClient('EPRT |x|bad|\r\n').fromServer('500 bad\r\n');
    ctl.fromClient('EPSV\r\n').fromServer('229 Extended Passive Mode no parens\r\n');
    ctl.fromClient('PASV\r\n').fromServer('227 Entering Passive Mode (10,0,0,9,1,2)\r\n');
    ctl.fromServer('999 weird\r\n211-multi\r\n line two\r\n211 end\r\n');
    ctl.fromClient(' spaced\r\n').fromClient('NOOP');
    ctl.close();
    return expectLikeTshark(write('v4.pcap', cap), FTP, 30);
  });

  it('IPv6: EPSV data connection, EPRT with IPv6 addresses, quoted PWD replies, relative CWD, PASV text without parentheses', () => {
    const cap = new CaptureBuilder();
    const C = [0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], S = [0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];
    const ctl = cap.connection({ addr: C, port: 40001 }, { addr: S, port: 21 }).open();
    ctl.fromServer('220 v6\r\n').fromClient('CWD rel/dir\r\n').fromServer('250 ok\r\n');
    ctl.fromClient('EPSV\r\n').fromServer('229 Entering Extended Passive Mode (|||50124|)\r\n');
    ctl.fromClient('LIST\r\n');
    cap.connection({ addr: C, port: 40011 }, { addr: S, port: 50124 }).open().fromServer('drwx a\r\n').close();
    ctl.fromClient('EPRT |2|2001:db8::1|6001|\r\n').fromServer('200 ok\r\n');
    ctl.fromClient('EPRT |2|::ffff:1.2.3.4|6002|\r\n').fromServer('200 ok\r\n');
    ctl.fromClient('PWD\r\n').fromServer('257 "/a""b" here\r\n').fromClient('PWD\r\n').fromServer('257 nope\r\n');
    ctl.fromClient('CWD ../x/./y\r\n').fromServer('250 ok\r\n');
    ctl.fromClient('P 1,2,3,4,5,6\r\n').fromClient('TYPE I\r\nNOOP\r\n').fromServer('227 Data transfer will passively listen to 127,0,0,1,4,51\r\n');
    ctl.close();
    return expectLikeTshark(write('v6.pcap', cap), FTP, 15);
  });

  // Kept honest (docs/tshark-differences.md): a data connection nobody announced is FTP-DATA by
  // port 20 alone, and tshark shows the frame that began its TCP connection as "[Setup frame]",
  // which SynScope leaves out. When this starts passing, fold it into the cases above.
  it.fails('a data connection from port 20 that no PORT announced (the EPRT conversation tshark never matches)', () => {
    const cap = new CaptureBuilder();
    const C = { addr: [10, 0, 0, 1], port: 40001 }, S = { addr: [10, 0, 0, 2], port: 21 };
    const ctl = cap.connection(C, S).open();
    ctl.fromClient('EPRT |1|10.0.0.1|6000|\r\n').fromServer('200 ok\r\n').fromClient('RETR f\r\n');
    cap.connection({ addr: C.addr, port: 6000 }, { addr: S.addr, port: 20 }).open().fromServer('text\tdata\r\n').close();
    ctl.close();
    return expectLikeTshark(write('port20.pcap', cap), FTP, 4);
  });
});

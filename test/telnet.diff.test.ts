// Telnet as tshark 4.0 shows it: text lines (CR LF, LF and CR NUL endings, a lone CR inside a
// line, escaped 0xff bytes), every command, WILL/WONT/DO/DONT for every option code (names up to
// FORWARD_X, then "<unknown option>"), suboptions (terminal type and X display location IS and
// SEND, window size, tab stops, remote flow control, Start TLS, options shown as option data,
// parameter lengths tshark warns about, a parameter run cut by a 0xff byte), a suboption without
// its IAC SE, and commands cut short. On the corpus capture and on segments built here; the
// whole Telnet item of every packet, then Protocol, Info and the telnet fields.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { corpusPath } from './helpers/corpus.js';
import { pcapFile, tcpFrame, type BuiltRecord } from './helpers/pcap-build.js';
import { expectSectionsAsTshark } from './helpers/section-diff.js';
import { FIELDS_ARGS } from './helpers/tshark.js';

const COLUMNS = [...FIELDS_ARGS, '-Y', 'telnet', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info', '-e', 'frame.protocols', '-e', 'telnet.cmd', '-e', 'telnet.subcmd', '-e', 'telnet.data',
  '-e', 'telnet.naws_subopt.width', '-e', 'telnet.string_subopt.value', '-e', 'telnet.option_data'];
const IAC = 255, SB = 250, SE = 240;

const expectSameAsTshark = (file: string): Promise<void> => expectSectionsAsTshark(file, ['Telnet'], COLUMNS);

/** An option negotiation or suboption: IAC SB option ...params IAC SE. */
const sub = (option: number, ...params: number[]): number[] => [IAC, SB, option, ...params, IAC, SE];
const text = (s: string): number[] => [...Buffer.from(s, 'latin1')];

describe('read: Telnet as tshark shows it', () => {
  it('zeek/mixed-vlan-mpls.pcap', () => expectSameAsTshark(corpusPath('zeek/mixed-vlan-mpls.pcap')));

  const dir = mkdtempSync(join(tmpdir(), 'synscope-telnet-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('text, commands, every option, suboptions and segments cut short', async () => {
    const options = Array.from({ length: 60 }, (_, o) => o).concat([137, 200, 254, 255]);
    const segments: number[][] = [
      options.flatMap((o, i) => [IAC, 251 + (i % 4), o]),
      [241, 242, 243, 244, 245, 246, 247, 248, 249, 239, 238, 237, 236, 235, 100, 0].flatMap((c) => [IAC, c]),
      [...sub(24, 0, ...text('xterm')), ...sub(24, 1), ...sub(24, 1, ...text('x')), ...sub(24, 7, ...text('z')), ...sub(24, 0), ...sub(24)],
      [...sub(35, 0, ...text('host:0')), ...sub(32, 0, ...text('38400,38400')), ...sub(39, 0, 0, ...text('USER'), 1, ...text('bob'))],
      [...sub(31, 0, 80, 0, 24), ...sub(31, 1, 0, 0, 255, 255), ...sub(31, 0, 1, 0, 2, 3), ...sub(31, 5)],
      [...sub(11, 0, 0, 1, 250, 251), ...sub(11, 1), ...sub(11, 9, 1), ...sub(11, 0, 255)],
      [...sub(33, 0), ...sub(33, 1), ...sub(33, 2), ...sub(33, 3), ...sub(33, 9), ...sub(33, 1, 2)],
      [...sub(46, 1), ...sub(46, 1, 2), ...sub(200, 1, 2, 3), ...sub(1, 5), ...sub(34, 1, 3)],
      text('hello\r\nworld\r\nline1\rline2\n\r\nend'),
      [...text('abc'), IAC, IAC, ...text('def\r\nxy'), IAC, 253, 1, ...text('tail\n\r\0x\n')],
      text('\x01\x02 text\twith\x7fodd \xe9\r\n'),
      [IAC, SB, 24, 0, ...text('vt100')],
      [IAC],
      [IAC, 251],
      [IAC, SB],
    ];
    let seq = 1000;
    const records: BuiltRecord[] = segments.map((s, i) => {
      const data = tcpFrame(i % 3 !== 2, seq, 1, 0x18, new Uint8Array(s), 23);
      seq += s.length;
      return { sec: 1_700_000_000 + i, frac: 0, data };
    });
    const file = join(dir, 'telnet.pcap');
    writeFileSync(file, pcapFile(records));
    await expectSameAsTshark(file);
  });
});

// PPP's Link Control Protocol as tshark 4.0 shows it: Code, Identifier and Length, the options
// of a Configure-Request/Ack/Nak/Reject (every option type packet-ppp.c decodes, an unknown
// one, and each wrong length it reports), Terminate, Code-Reject, Protocol-Reject, Echo,
// Discard, Identification and Time-Remaining, an unknown code, a Length past the PPPoE
// payload and a message cut short by the capture; Info and the Protocol column ("PPP LCP").
// On the corpus capture (LCP inside PPTP's enhanced GRE, whose PPP shows Address and Control)
// and on PPPoE session frames built here.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { corpusPath } from './helpers/corpus.js';
import { pcapFile, type BuiltRecord } from './helpers/pcap-build.js';
import { expectSectionsAsTshark } from './helpers/section-diff.js';
import { FIELDS_ARGS } from './helpers/tshark.js';

const COLUMNS = [...FIELDS_ARGS, '-Y', 'lcp', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info', '-e', 'frame.protocols', '-e', 'ppp.code', '-e', 'lcp.opt.type', '-e', '_ws.expert.message'];

const expectSameAsTshark = (file: string): Promise<void> => expectSectionsAsTshark(file, ['Point-to-Point Protocol', 'PPP Link Control Protocol'], COLUMNS, true);

const u16 = (v: number): number[] => [v >> 8, v & 0xff];
const u32 = (v: number): number[] => [v >>> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
const text = (s: string): number[] => [...Buffer.from(s, 'latin1')];
const opt = (type: number, body: number[]): number[] => [type, 2 + body.length, ...body];

/** An LCP packet (PPP protocol 0xc021): `code`, `id`, its Length (plus `lengthError`), `body`. */
function lcp(code: number, id: number, body: number[], lengthError = 0): number[] {
  return [0xc0, 0x21, code, id, ...u16(4 + body.length + lengthError), ...body];
}

/** An Ethernet frame with a PPPoE session packet carrying `ppp`. */
function pppoes(ppp: number[]): Uint8Array {
  return new Uint8Array([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x88, 0x64, 0x11, 0, ...u16(0x1234), ...u16(ppp.length), ...ppp]);
}

describe('read: PPP LCP as tshark shows it', () => {
  it('tcpdump/pptp.pcap', () => expectSameAsTshark(corpusPath('tcpdump/pptp.pcap')));

  const dir = mkdtempSync(join(tmpdir(), 'synscope-lcp-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('every code, every option type, wrong option lengths, a bad Length, a message cut short', async () => {
    const messages = [
      // MRU; ACCM none, all, some; authentication PAP, CHAP with its algorithm, EAP with data
      lcp(1, 1, [...opt(1, u16(1492)), ...opt(2, u32(0)), ...opt(2, u32(0xffffffff)), ...opt(2, u32(0x000a0000)), ...opt(3, u16(0xc023)), ...opt(3, [...u16(0xc223), 5]), ...opt(3, [...u16(0xc227), 1, 2])]),
      // quality protocol; magic number; link quality monitoring (illegal 0, and 1000); PFC; ACFC; FCS alternatives; self-describing pad
      lcp(2, 2, [...opt(4, u16(0xc025)), ...opt(5, u32(0x12345678)), ...opt(6, u32(0)), ...opt(6, u32(1000)), ...opt(7, []), ...opt(8, []), ...opt(9, [7]), ...opt(10, [0]), ...opt(10, [4])]),
      // numbered mode (invalid, with an address); callback; compound frames; nominal data encapsulation; MRRU; short sequence numbers
      lcp(3, 3, [...opt(11, [0]), ...opt(11, [4, 0xaa, 0xbb]), ...opt(13, [0]), ...opt(13, [1, 0x35, 0x35]), ...opt(15, []), ...opt(16, []), ...opt(17, u16(1600)), ...opt(18, [])]),
      // endpoint discriminator of every class, with short and odd addresses
      lcp(4, 4, [...opt(19, [0]), ...opt(19, [1, 1, 2, 3]), ...opt(19, [2, 10, 0, 0, 1]), ...opt(19, [2, 10, 0]), ...opt(19, [3, 2, 0, 0, 0, 0, 9]), ...opt(19, [4, ...u32(1), ...u32(2)]), ...opt(19, [4, 1, 2, 3]), ...opt(19, [5, 0x31, 0x32]), ...opt(19, [9, 1])]),
      // DCE identifier; multilink plus; BACP link discriminator; authentication option; COBS; multilink header format; SONET/SDH; vendor specific; unknown types
      lcp(1, 5, [...opt(21, [1]), ...opt(21, [7]), ...opt(22, [0, 0]), ...opt(23, u16(0x1234)), ...opt(24, [2, 0x61, 0x62, 0xcc]), ...opt(25, [0x07]), ...opt(27, [2, 4]), ...opt(29, []), ...opt(0, [2, 0, 0, 1, 0xde, 0xad]), ...opt(12, [1, 2]), ...opt(99, [])]),
      lcp(1, 6, [5, 5, 0, 0, 1]), // a fixed option of the wrong length
      lcp(1, 7, opt(11, [])), // a variable option shorter than its minimum
      lcp(1, 8, [5, 1]), // an option length below 2
      lcp(1, 9, [5, 9, 1, 2]), // an option past the end of the options
      lcp(1, 10, [5]), // no length octet
      lcp(1, 23, opt(4, [...u16(0xc025), 1])), // quality protocol data: an exception in tshark
      lcp(1, 24, opt(26, [1, 2, 1, 0xaa])), // prefix elision
      lcp(5, 11, text('AB')),
      lcp(6, 12, []),
      lcp(7, 13, [1, 2, 0, 4, 9, 9]),
      lcp(8, 14, [...u16(0x0123), 1, 2, 3]),
      lcp(8, 15, u16(0x0021)),
      lcp(9, 16, u32(0xabcdef01)),
      lcp(10, 17, [...u32(0xabcdef01), 1, 2, 3]),
      lcp(11, 18, [...u32(0), 7]),
      lcp(12, 19, [...u32(5), ...text('hello')]),
      lcp(13, 20, [...u32(5), ...u32(0xffffffff), ...text('bye')]),
      lcp(13, 21, [...u32(5), ...u32(60)]),
      lcp(99, 22, [1, 2]),
      lcp(1, 25, opt(1, u16(1500)), 10), // Length past the PPPoE payload: malformed
    ].map(pppoes);
    const records: BuiltRecord[] = messages.map((data, i) => ({ sec: 1_700_000_000 + i, frac: 0, data }));
    // cut short by the capture: truncated
    const cut = pppoes(lcp(1, 26, [...opt(1, u16(1500)), ...opt(5, u32(7))]));
    records.push({ sec: 1_700_000_100, frac: 0, data: cut.subarray(0, 30), origLen: cut.length });
    const file = join(dir, 'lcp.pcap');
    writeFileSync(file, pcapFile(records));
    await expectSameAsTshark(file);
  });
});

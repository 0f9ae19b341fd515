// PPTP control messages (RFC 2637) as tshark 4.0 shows them: the header with its magic cookie
// checked, and each of the fifteen control messages field by field, with Info naming the
// message. On the corpus capture of a PPTP call and on one message of every type built here,
// plus an unknown type, a wrong cookie and a message cut short by the segment.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusPath } from './helpers/corpus.js';
import { pcapFile, tcpFrame } from './helpers/pcap-build.js';
import { ours } from './helpers/text-protocol-diff.js';
import { FIELDS_ARGS, tsharkRaw } from './helpers/tshark.js';
import { tsharkVerbose } from './helpers/tshark-verbose.js';
import { sectionLines } from './helpers/verbose.js';

const COLUMNS = [...FIELDS_ARGS, '-Y', 'pptp', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info', '-e', 'pptp.control_message_type', '-e', 'pptp.call_id', '-e', 'pptp.host_name', '-e', '_ws.expert.message'];

async function expectSameAsTshark(file: string): Promise<void> {
  const title = 'Point-to-Point Tunnelling Protocol';
  const theirs = sectionLines(tsharkVerbose(file).stdout, title);
  expect(theirs.length).toBeGreaterThan(0);
  expect(sectionLines(await ours(file, ['-V']), title)).toEqual(theirs);
  expect(await ours(file, COLUMNS)).toEqual(tsharkRaw(file, COLUMNS).stdout);
}

/** A control message: the 12-octet header (its length, message type 1, `cookie`, `type`), then `body`. */
function message(type: number, body: number[], cookie = 0x1a2b3c4d): Uint8Array {
  const m = new Uint8Array(12 + body.length);
  const dv = new DataView(m.buffer);
  dv.setUint16(0, m.length);
  dv.setUint16(2, 1);
  dv.setUint32(4, cookie);
  dv.setUint16(8, type);
  m.set(body, 12);
  return m;
}

/** `s` in a fixed field of `n` octets, NUL-padded. */
const text = (s: string, n = 64): number[] => [...Buffer.from(s.padEnd(n, '\0'), 'latin1')];
const u16 = (v: number): number[] => [v >> 8, v & 0xff];
const u32 = (v: number): number[] => [v >>> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];

describe('read: PPTP as tshark shows it', () => {
  it('tcpdump/pptp.pcap', () => expectSameAsTshark(corpusPath('tcpdump/pptp.pcap')));

  const dir = mkdtempSync(join(tmpdir(), 'synscope-pptp-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('every control message type, an unknown one, a wrong magic cookie, a message cut short', async () => {
    const caps = [...u32(3), ...u32(2), ...u16(4), ...u16(0x0870), ...text('pns.example'), ...text('SynScope')];
    const messages = [
      message(1, [1, 0, 0, 0, ...caps]),
      message(2, [1, 0, 2, 1, ...caps]),
      message(3, [2, 0, 0, 0]),
      message(4, [1, 0, 0, 0]),
      message(5, u32(77)),
      message(6, [...u32(77), 2, 3, 0, 0]),
      message(7, [...u16(5), ...u16(9), ...u32(300), ...u32(64000), ...u32(1), ...u32(2), ...u16(16), ...u16(0), ...u16(7), 0, 0, ...text('5551234'), ...text('')]),
      message(8, [...u16(6), ...u16(5), 4, 0, ...u16(0), ...u32(56000), ...u16(32), ...u16(1), ...u32(3)]),
      message(9, [...u16(7), ...u16(10), ...u32(2), ...u32(4), ...u16(3), ...u16(4), ...text('123'), ...text('4567'), ...text('sub')]),
      message(10, [...u16(8), ...u16(7), 3, 5, ...u16(8), ...u16(2), 0, 0]),
      message(11, [...u16(8), 0, 0, ...u32(28800), ...u16(8), ...u16(2), ...u32(1)]),
      message(12, [...u16(9), 0, 0]),
      message(13, [...u16(9), 3, 0, ...u16(16), 0, 0, ...text('bytes=1234 frames=5')]),
      message(14, [...u16(10), 0, 0, ...u32(1), ...u32(2), ...u32(3), ...u32(4), ...u32(5), ...u32(6)]),
      message(15, [...u16(11), 0, 0, ...u32(0xffffffff), ...u32(0x000a0000)]),
      message(99, [1, 2, 3, 4]),
      message(5, u32(78), 0x1a2b3c4e),
      message(7, [...u16(5), ...u16(9), ...u32(300)]),
    ];
    let seq = 1;
    const frames = messages.map((m) => {
      const f = tcpFrame(true, seq, 1, 0x18, m, 1723);
      seq += m.length;
      return f;
    });
    const file = join(dir, 'pptp.pcap');
    writeFileSync(file, pcapFile(frames.map((data, i) => ({ sec: 1_700_000_000 + i, frac: 0, data }))));
    await expectSameAsTshark(file);
  });
});

// Canon BJNP as tshark 4.0 shows it: the header of a printer or scanner command or response
// on each of its four UDP ports ("BJNP", "BJNB", "MFNP" ids), every command code and unknown
// ones, a payload, a payload length past the datagram and a datagram cut short by the capture;
// the title and Info ("Scanner Command: Discover"). On the corpus capture (BSD loopback, whose
// "Type: IPv4 (0x0800)" line is checked too) and on datagrams built here.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { corpusPath } from './helpers/corpus.js';
import { pcapFile, udpFrame, type BuiltRecord } from './helpers/pcap-build.js';
import { expectSectionsAsTshark } from './helpers/section-diff.js';
import { FIELDS_ARGS } from './helpers/tshark.js';

const COLUMNS = [...FIELDS_ARGS, '-Y', 'bjnp', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info', '-e', 'frame.protocols', '-e', 'bjnp.code', '-e', 'bjnp.payload'];

const expectSameAsTshark = (file: string, titles: readonly string[]): Promise<void> => expectSectionsAsTshark(file, titles, COLUMNS);

const u16 = (v: number): number[] => [v >> 8, v & 0xff];
const u32 = (v: number): number[] => [v >>> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];

/** A BJNP message: `id`, device `type`, command `code`, sequence, session, `payload` (its length off by `lengthError`). */
function bjnp(id: string, type: number, code: number, payload: number[] = [], lengthError = 0): Uint8Array {
  return new Uint8Array([...Buffer.from(id, 'latin1'), type, code, ...u32(3), ...u16(7), ...u32(payload.length + lengthError), ...payload]);
}

const to = (port: number, msg: Uint8Array): Uint8Array => udpFrame([10, 0, 0, 1], 40000, [10, 0, 0, 2], port, msg);

describe('read: Canon BJNP as tshark shows it', () => {
  it('pcapplusplus/null_loopback.pcap', () => expectSameAsTshark(corpusPath('pcapplusplus/null_loopback.pcap'), ['Canon BJNP', 'Null/Loopback']));

  const dir = mkdtempSync(join(tmpdir(), 'synscope-bjnp-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('every type and command on each port, unknown ones, a payload, bad lengths, a datagram cut short', async () => {
    const cut = to(8611, bjnp('BJNP', 0x01, 0x21, [1, 2, 3, 4, 5, 6]));
    const frames = [
      to(8611, bjnp('BJNP', 0x01, 0x01)),
      udpFrame([10, 0, 0, 2], 8612, [10, 0, 0, 1], 40000, bjnp('BJNB', 0x82, 0x30, [1, 2, 3])),
      to(8613, bjnp('MFNP', 0x81, 0x10, [9])),
      to(8614, bjnp('BJNP', 0x02, 0x11)),
      to(8611, bjnp('BJNP', 0x01, 0x20)),
      to(8611, bjnp('BJNP', 0x01, 0x21)),
      to(8611, bjnp('BJNP', 0x02, 0x32)),
      to(8611, bjnp('BJNP', 0x07, 0x99)),
      to(8611, bjnp('BJNP', 0x01, 0x01, [1, 2], 5)), // payload length past the datagram
      to(8611, new Uint8Array([...Buffer.from('BJNP'), 1, 1, 0, 0])), // a header cut short
    ];
    const records: BuiltRecord[] = frames.map((data, i) => ({ sec: 1_700_000_000 + i, frac: 0, data }));
    records.push({ sec: 1_700_000_100, frac: 0, data: cut.subarray(0, cut.length - 4), origLen: cut.length });
    const file = join(dir, 'bjnp.pcap');
    writeFileSync(file, pcapFile(records));
    await expectSameAsTshark(file, ['Canon BJNP']);
  });
});

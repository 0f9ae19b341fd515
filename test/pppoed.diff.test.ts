// PPPoE Discovery as tshark 4.0 shows it: the PPPoE header, then the tags of every discovery
// code (PADI, PADO, PADR, PADS, PADT, RFC 4938's PADG, an unknown one): Service-Name (an empty
// one shown as nothing), AC-Name (which Info repeats), Host-Uniq, AC-Cookie, Relay-Session-Id,
// Vendor-Specific (another vendor's bytes, and the DSL Forum's sub-tags with their length
// checks), Credits, Metrics, Sequence Number and Credit Scale Factor (with their wrong-length
// warnings), HURL, MOTM, PPP-Max-Payload, IP Route Add, the error tags, unknown tags and
// End-Of-List; a Payload Length past the frame and a frame cut short by the capture. On the
// corpus capture with a PADI and on frames built here.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { corpusPath } from './helpers/corpus.js';
import { pcapFile, type BuiltRecord } from './helpers/pcap-build.js';
import { expectSectionsAsTshark } from './helpers/section-diff.js';
import { FIELDS_ARGS } from './helpers/tshark.js';

const COLUMNS = [...FIELDS_ARGS, '-Y', 'pppoed', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info', '-e', 'frame.protocols', '-e', 'pppoe.code', '-e', 'pppoed.tags.ac_name', '-e', '_ws.expert.message'];

const expectSameAsTshark = (file: string): Promise<void> => expectSectionsAsTshark(file, ['PPP-over-Ethernet Discovery'], COLUMNS);

const u16 = (v: number): number[] => [v >> 8, v & 0xff];
const u32 = (v: number): number[] => [v >>> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
const text = (s: string): number[] => [...Buffer.from(s, 'latin1')];
const tag = (type: number, body: number[]): number[] => [...u16(type), ...u16(body.length), ...body];
const subTag = (type: number, body: number[]): number[] => [type, body.length, ...body];

/** A broadcast Ethernet frame with a discovery packet: `code`, session `sid`, `tags` (Payload Length off by `lengthError`). */
function discovery(code: number, sid: number, tags: number[], lengthError = 0): Uint8Array {
  return new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 2, 0x88, 0x63, 0x11, code, ...u16(sid), ...u16(tags.length + lengthError), ...tags]);
}

describe('read: PPPoE Discovery as tshark shows it', () => {
  it('pcapplusplus/packet_trailer.pcap', () => expectSameAsTshark(corpusPath('pcapplusplus/packet_trailer.pcap')));

  const dir = mkdtempSync(join(tmpdir(), 'synscope-pppoed-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('every discovery code and tag, wrong tag lengths, a bad Payload Length, a frame cut short', async () => {
    const dslf = [
      ...subTag(1, text('circuit')), ...subTag(2, text('remote')),
      ...[0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e].flatMap((t, i) => subTag(t, u32(1000 * (i + 1)))),
      ...subTag(0x90, [1, 2, 5]), ...subTag(0x81, [1]), ...subTag(0x77, [1, 2]),
    ];
    const long = discovery(0x09, 0, tag(0x0103, [1, 2, 3, 4, 5, 6, 7, 8]));
    const frames = [
      discovery(0x09, 0, [...tag(0x0101, []), ...tag(0x0103, [1, 2, 3, 4])]),
      discovery(0x07, 0, [...tag(0x0102, text('my-ac')), ...tag(0x0101, text('isp')), ...tag(0x0104, [9, 8, 7, 6, 5, 4]), ...tag(0x0110, [1, 2]), ...tag(0x0105, [...u32(9), 1, 2, 3])]),
      discovery(0x19, 0, [...tag(0x0101, text('isp')), ...tag(0x0105, [...u32(3561), ...dslf])]),
      discovery(0x65, 0x1234, [
        ...tag(0x0106, [...u16(5), ...u16(6)]), ...tag(0x0106, [1]), ...tag(0x0107, [0x00, 0x0b, 50, 60, ...u16(70), ...u16(80), ...u16(90)]), ...tag(0x0107, [1, 2]),
        ...tag(0x0108, u16(7)), ...tag(0x0108, [1]), ...tag(0x0109, u16(3)), ...tag(0x0109, [1, 2, 3]),
      ]),
      discovery(0xa7, 0x1234, [
        ...tag(0x0111, text('http://x')), ...tag(0x0112, text('hi')), ...tag(0x0120, u16(1500)), ...tag(0x0121, [1, 2, 3, 4]), ...tag(0x0201, text('no svc')),
        ...tag(0x0202, text('busy')), ...tag(0x0203, text('oops')), ...tag(0x0999, [1, 2]), ...tag(0x0998, []), ...tag(0x0000, []), ...tag(0x0103, [1]),
      ]),
      discovery(0x0a, 0, tag(0x0106, [0, 1, 0, 2])),
      discovery(0x55, 0, []),
      discovery(0x09, 0, tag(0x0103, [1, 2, 3, 4]), 8), // Payload Length past the frame
      long,
      discovery(0x09, 0, [...tag(0x0102, text('ac')), ...tag(0x0102, text('second'))]),
      discovery(0x09, 0, tag(0x0103, [1, 2, 3, 4, 5, 6, 7, 8, 9]), -3), // a tag past the Payload Length
    ];
    const records: BuiltRecord[] = frames.map((data, i) => ({ sec: 1_700_000_000 + i, frac: 0, data }));
    records.push({ sec: 1_700_000_100, frac: 0, data: long.subarray(0, 26), origLen: long.length });
    const file = join(dir, 'pppoed.pcap');
    writeFileSync(file, pcapFile(records));
    await expectSameAsTshark(file);
  });
});

// The 802.11 and GRE parts of the packet-details tree, line by line as tshark -n -V prints them:
// the frame control field bit by bit (version, type, subtype, each flag in words, DS status
// named), the duration and sequence control as bit fields, the QoS control's TID, priority,
// ack policy and TXOP or AP buffer state, the FCS a radiotap header announces, the retry note;
// and GRE's flags word with its recursion control and version, PPTP's enhanced GRE included.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseReadArgs } from '../app/cli/args.js';
import { runRead } from '../app/cli/read.js';
import { StringSink } from '../app/cli/sink.js';
import { corpusPath } from './helpers/corpus.js';
import { pcapFile } from './helpers/pcap-build.js';
import { tsharkVerbose } from './helpers/tshark-verbose.js';
import { sectionLines } from './helpers/verbose.js';

const CASES: Array<[file: string, title: string]> = [
  ['zeek/tunnels/gre-aruba.pcap', 'IEEE 802.11'],
  ['zeek/tunnels/gre-aruba.pcap', 'Generic Routing Encapsulation'],
  ['zeek/radiotap.pcap', 'IEEE 802.11'],
  ['zeek/wlanmon.pcap', 'IEEE 802.11'],
  ['tcpdump/pptp.pcap', 'Generic Routing Encapsulation'],
];

describe('read -V: 802.11 and GRE headers as tshark -V prints them', () => {
  for (const [rel, title] of CASES) {
    it(`${rel}: ${title}`, async () => {
      const out = new StringSink(), err = new StringSink();
      await runRead(parseReadArgs([corpusPath(rel), '-V']), out, err);
      const theirs = sectionLines(tsharkVerbose(corpusPath(rel)).stdout, title);
      expect(theirs.length).toBeGreaterThan(10);
      expect(sectionLines(out.text(), title)).toEqual(theirs);
    });
  }
});

describe('read -V: every 802.11 frame control flag, against tshark', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synscope-wlan-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('the flags string and each flag in words, for each flag alone and all together', async () => {
    // A QoS Data frame (DLT 105) per flags byte, then 8 bytes of LLC/SNAP and an IPv4 type.
    const frame = (flags: number) => new Uint8Array([
      0x88, flags, 0, 0, ...[2, 0, 0, 0, 0, 1], ...[2, 0, 0, 0, 0, 2], ...[2, 0, 0, 0, 0, 3], 0x10, 0x00, 0x00, 0x00,
      ...(flags & 0x80 ? [0, 0, 0, 0] : []), ...[2, 0, 0, 0, 0, 4].slice(0, (flags & 3) === 3 ? 6 : 0),
      0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00,
    ]);
    const flagsBytes = [0x00, 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x3c];
    const file = join(dir, 'flags.pcap');
    writeFileSync(file, pcapFile(flagsBytes.map((f, i) => ({ sec: 1_700_000_000 + i, frac: 0, data: frame(f) })), 105));
    const out = new StringSink(), err = new StringSink();
    await runRead(parseReadArgs([file, '-V']), out, err);
    const frameControl = (v: string) => sectionLines(v, 'Frame Control Field').concat(v.split('\n').filter((l) => l.startsWith('IEEE 802.11')));
    const theirs = frameControl(tsharkVerbose(file).stdout);
    expect(theirs.filter((l) => l.startsWith('IEEE 802.11'))).toHaveLength(flagsBytes.length);
    expect(frameControl(out.text())).toEqual(theirs);
  });
});

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
import { synscopeFields } from './helpers/synscope-fields.js';
import { tsharkFields } from './helpers/tshark.js';
import { tsharkVerbose } from './helpers/tshark-verbose.js';
import { sectionLines } from './helpers/verbose.js';
import { corpusEthernetPackets, wlanCaptures } from './helpers/wlan-captures.js';

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

/**
 * Every kind of 802.11 frame (test/helpers/wlan-captures.ts: management, control, data with each
 * To DS / From DS combination, QoS, null data, frames cut short; bare and behind radiotap with
 * the driver's padding), against tshark: the 802.11 part of -V, and the columns and addresses.
 * An Action frame's body is not decoded (docs/tshark-differences.md): its header alone is compared.
 */
describe('802.11 frames of every type, built from corpus packets, against tshark', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synscope-wlan-frames-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const captures = wlanCaptures(corpusEthernetPackets()).filter((c) => c.linkType === 105 || c.linkType === 127);

  /** Each frame's top-level sections of a -V text that `take` picks by their first line. */
  function sections(text: string, take: (title: string) => boolean): Map<string, string[]> {
    const out = new Map<string, string[]>();
    let lines: string[] = [];
    let taking = false;
    for (const line of text.split('\n')) {
      const frame = /^Frame (\d+):/.exec(line);
      if (frame) out.set(frame[1]!, (lines = []));
      if (!line.startsWith(' ')) taking = take(line);
      if (taking && line) lines.push(line);
    }
    return out;
  }
  const MANAGEMENT_BODY = 'IEEE 802.11 Wireless Management';
  const isHeader = (l: string): boolean => l.startsWith('IEEE 802.11 ') && !l.startsWith(MANAGEMENT_BODY);

  for (const c of captures) {
    it(`${c.name}: the 802.11 header in -V`, async () => {
      const file = join(dir, `${c.linkType}.pcap`);
      writeFileSync(file, c.file);
      const out = new StringSink(), err = new StringSink();
      await runRead(parseReadArgs([file, '-V']), out, err);
      const tsharkText = tsharkVerbose(file).stdout;
      const theirs = sections(tsharkText, isHeader);
      const ours = sections(out.text(), isHeader);
      expect([...ours.keys()]).toEqual([...theirs.keys()]);
      expect([...theirs.values()].filter((l) => l.length > 10).length).toBeGreaterThan(60);
      for (const [frame, lines] of theirs) {
        expect(ours.get(frame), `frame ${frame}`).toEqual(lines);
      }
      // Management bodies: fixed parameters and elements (not an Action frame's, not decoded).
      const theirBodies = sections(tsharkText, (l) => l.startsWith(MANAGEMENT_BODY));
      const ourBodies = sections(out.text(), (l) => l.startsWith(MANAGEMENT_BODY));
      let bodies = 0;
      for (const [frame, lines] of theirBodies) {
        if (!lines.length || /^IEEE 802\.11 Action/.test(theirs.get(frame)![0]!)) continue;
        expect(ourBodies.get(frame), `frame ${frame}`).toEqual(lines);
        bodies++;
      }
      expect(bodies).toBeGreaterThanOrEqual(12);
    });
    it(`${c.name}: columns and addresses`, async () => {
      const file = join(dir, `${c.linkType}-fields.pcap`);
      writeFileSync(file, c.file);
      const fields = ['wlan.fc.type_subtype', '_ws.col.Source', '_ws.col.Destination', '_ws.col.Protocol', '_ws.col.Info', 'wlan.ra', 'wlan.ta', 'wlan.sa', 'wlan.da', 'wlan.bssid', 'wlan.addr', 'wlan.aid', 'wlan.seq', 'llc.type', 'ip.src', 'ipv6.dst', '_ws.malformed'];
      const theirs = tsharkFields(file, fields).rows;
      const ours = (await synscopeFields(file, fields)).rows;
      expect(ours).toHaveLength(theirs.length);
      theirs.forEach((row, i) => {
        // An Action frame's Info has what tshark reads from its body (", Dialog Token=1").
        if (row[0] === '0x000d') expect(ours[i]!.slice(5), `frame ${i + 1}`).toEqual(row.slice(5));
        else expect(ours[i], `frame ${i + 1}`).toEqual(row);
      });
    });
  }
});

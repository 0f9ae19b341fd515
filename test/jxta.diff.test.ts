// What tshark 4.0's JXTA heuristic does to TCP segments the snaplen cut short: it reads the
// payload as JXTA framing headers (name length, name, value length, value), and a read that
// starts inside the captured bytes but runs past them ends the packet as "[Packet size limited
// during capture: JXTA truncated]"; a read that would start past them is a rejection (the
// payload stays data). Built here: a name length that reaches the capture's end exactly, one
// byte short of it, one past it, a value read inside the capture and a value length past it;
// and zeek/tcp/timestamp.pcap, whose 96-byte snaplen left three such segments.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusPath } from './helpers/corpus.js';
import { pcapFile, tcpFrame, type BuiltRecord } from './helpers/pcap-build.js';
import { ours } from './helpers/text-protocol-diff.js';
import { FIELDS_ARGS, tsharkRaw } from './helpers/tshark.js';
import { tsharkVerbose } from './helpers/tshark-verbose.js';

const COLUMNS = [...FIELDS_ARGS, '-e', 'frame.number', '-e', 'frame.protocols', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info'];
const CAPTURED = 30;
const ACK = 0x10;

async function expectAsTshark(file: string, truncatedByJxta: number): Promise<void> {
  const theirs = tsharkVerbose(file).stdout;
  expect(theirs.split('\n').filter((l) => l === '[Packet size limited during capture: JXTA truncated]').length).toBe(truncatedByJxta);
  expect((await ours(file, ['-V'])).split('\n')).toEqual(theirs.split('\n'));
  expect(await ours(file, COLUMNS)).toEqual(tsharkRaw(file, COLUMNS).stdout);
}

describe('read: the JXTA heuristic on TCP segments cut short, as tshark shows it', () => {
  it('zeek/tcp/timestamp.pcap', () => expectAsTshark(corpusPath('zeek/tcp/timestamp.pcap'), 3));

  const dir = mkdtempSync(join(tmpdir(), 'synscope-jxta-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads that reach past the captured bytes from inside them, and from beyond', async () => {
    const filler = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
    const payloads = [
      [29, ...filler(29)], // the value length is read at the capture's end: truncated
      [28, ...filler(29)], // the value length's second byte is past it: truncated
      [27, ...filler(29)], // a value length inside the capture, longer than the segment: rejected
      [30, ...filler(29)], // the value length would start past the capture: rejected
      [5, ...Buffer.from('abcde'), 0, 10, ...new Array(10).fill(0), 200, ...new Array(11).fill(0)], // the next name is read past it: rejected
      [5, ...Buffer.from('abcde'), 0, 22, ...new Array(22).fill(0)], // the next name length is read at the capture's end: truncated
    ];
    const records: BuiltRecord[] = payloads.map((p, i) => {
      const whole = tcpFrame(true, 1000 + i * 1448, 1, ACK, new Uint8Array([...p, ...new Array(1448 - p.length).fill(0)]), 12345);
      return { sec: 1_700_000_000 + i, frac: 0, data: whole.subarray(0, 54 + CAPTURED), origLen: whole.length };
    });
    const file = join(dir, 'jxta.pcap');
    writeFileSync(file, pcapFile(records));
    await expectAsTshark(file, 3);
  });
});

// The Data layer in the packet-details tree, as tshark -n -V prints it: "Data (N bytes)" over
// the bytes captured ("1 byte" for one; a packet cut by the snap length shows what is there),
// its hex dump, then Data and [Length]; and IPv4's fragment list bracketed, as generated. On the
// corpus captures where both show the same layers, and on a packet cut short built here.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseReadArgs } from '../app/cli/args.js';
import { runRead } from '../app/cli/read.js';
import { StringSink } from '../app/cli/sink.js';
import { corpusPath } from './helpers/corpus.js';
import { pcapFile, tcpFrame } from './helpers/pcap-build.js';
import { tsharkVerbose } from './helpers/tshark-verbose.js';

const WITH_DATA = [
  'gopacket/le/test018.pcapng', 'pcapplusplus/frag_with_padding.pcap', 'pcapplusplus/ip6_fragments.pcap', 'tcpdump/ipv6-bad-version.pcap',
  'zeek/chksums/ip4-bad-chksum.pcap', 'zeek/http/docker-http-upgrade.pcap', 'zeek/ipv4/fragmented-1.pcap', 'zeek/ipv4/fragmented-4.pcap',
  'zeek/ipv6-fragmented-dns.pcap',
];

/** Each Data layer's lines up to the next layer (its hex dump included), and the fragment lists. */
function dataLines(verbose: string): string[] {
  const out: string[] = [];
  let inData = false;
  for (const line of verbose.split('\n')) {
    if (/^ *Data \(\d+ bytes?\)$/.test(line)) inData = true;
    else if (/^\S/.test(line) && !/^[0-9a-f]{4} /.test(line)) inData = false;
    if (inData || /IPv4 Fragments \(/.test(line)) out.push(line);
  }
  return out;
}

async function ours(file: string): Promise<string> {
  const out = new StringSink(), err = new StringSink();
  await runRead(parseReadArgs([file, '-V']), out, err);
  return out.text();
}

describe('read -V: Data layers as tshark shows them', () => {
  for (const rel of WITH_DATA) {
    it(rel, async () => {
      const theirs = dataLines(tsharkVerbose(corpusPath(rel)).stdout);
      expect(theirs.length).toBeGreaterThan(0);
      expect(dataLines(await ours(corpusPath(rel)))).toEqual(theirs);
    });
  }

  const dir = mkdtempSync(join(tmpdir(), 'synscope-data-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('a segment on a port nobody claims, cut by the snap length: the bytes captured', async () => {
    const whole = tcpFrame(false, 5000, 1000, 0x18, 'x'.repeat(200));
    const data = new Uint8Array(whole);
    new DataView(data.buffer).setUint16(34, 40001);
    const file = join(dir, 'cut.pcap');
    writeFileSync(file, pcapFile([{ sec: 1_700_000_000, frac: 0, data: data.subarray(0, 84), origLen: data.length }], 1, 84));
    const theirs = dataLines(tsharkVerbose(file).stdout);
    expect(theirs[0]).toBe('Data (30 bytes)');
    expect(dataLines(await ours(file))).toEqual(theirs);
  });
});

// IGMP as tshark 4.0 shows it: the version it infers ("IGMPv3" in the Protocol column), the
// tree of each message (queries with their S flag, QRV, QQIC and sources; v3 reports with a
// group record each), the checksum verified, and Info ("Membership Report / Join group
// 224.0.0.251 for any sources"). On the corpus captures with IGMP and on messages built here.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseReadArgs } from '../app/cli/args.js';
import { runRead } from '../app/cli/read.js';
import { StringSink } from '../app/cli/sink.js';
import { internetChecksum } from '../app/dissect/checksum.js';
import { corpusPath } from './helpers/corpus.js';
import { pcapFile } from './helpers/pcap-build.js';
import { FIELDS_ARGS, tsharkRaw } from './helpers/tshark.js';
import { tsharkVerbose } from './helpers/tshark-verbose.js';
import { sectionLines } from './helpers/verbose.js';

const WITH_IGMP = ['pcapplusplus/IgmpPackets.pcap', 'pcapplusplus/ipv4-options.pcap', 'zeek/dns/mdns.pcap'];
const COLUMNS = [...FIELDS_ARGS, '-Y', 'igmp', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info', '-e', 'frame.protocols'];

async function ours(file: string, args: string[]): Promise<string> {
  const out = new StringSink(), err = new StringSink();
  await runRead(parseReadArgs([file, ...args]), out, err);
  return out.text();
}

async function expectSameAsTshark(file: string): Promise<void> {
  const title = 'Internet Group Management Protocol';
  const theirs = sectionLines(tsharkVerbose(file).stdout, title);
  expect(theirs.length).toBeGreaterThan(0);
  expect(sectionLines(await ours(file, ['-V']), title)).toEqual(theirs);
  expect(await ours(file, COLUMNS)).toEqual(tsharkRaw(file, COLUMNS).stdout);
}

describe('read: IGMP as tshark shows it', () => {
  for (const rel of WITH_IGMP) it(rel, () => expectSameAsTshark(corpusPath(rel)));

  const dir = mkdtempSync(join(tmpdir(), 'synscope-igmp-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** An Ethernet/IPv4 frame to 224.0.0.1 carrying `igmp` (its checksum filled in unless `badChecksum`). */
  function frame(igmp: number[], badChecksum = false): Uint8Array {
    const msg = new Uint8Array(igmp);
    const ck = badChecksum ? 0x1234 : internetChecksum(msg);
    msg[2] = ck >> 8;
    msg[3] = ck & 0xff;
    const ip = new Uint8Array([0x45, 0, 0, 20 + msg.length, 0, 1, 0, 0, 1, 2, 0, 0, 10, 0, 0, 1, 224, 0, 0, 1]);
    const ipCk = internetChecksum(ip);
    ip[10] = ipCk >> 8;
    ip[11] = ipCk & 0xff;
    return new Uint8Array([...[1, 0, 0x5e, 0, 0, 1], ...[2, 0, 0, 0, 0, 1], 0x08, 0x00, ...ip, ...msg]);
  }

  it('v1 and v2 reports, queries general and for a group, a leave, v3 queries and reports with sources, a bad checksum', async () => {
    const g = [239, 1, 2, 3], s1 = [10, 0, 0, 7], s2 = [10, 0, 0, 8];
    const messages = [
      frame([0x12, 0, 0, 0, ...g]), // v1 report
      frame([0x11, 0, 0, 0, 0, 0, 0, 0]), // v1 query (max resp 0)
      frame([0x11, 100, 0, 0, 0, 0, 0, 0]), // v2 general query
      frame([0x11, 10, 0, 0, ...g]), // v2 group-specific query
      frame([0x16, 0, 0, 0, ...g]),
      frame([0x17, 0, 0, 0, ...g]),
      frame([0x11, 200, 0, 0, ...g, 0x0a, 125, 0, 2, ...s1, ...s2]), // v3 query, exponential max resp, S flag, sources
      frame([0x22, 0, 0, 0, 0, 0, 0, 3, 1, 0, 0, 2, ...g, ...s1, ...s2, 5, 1, 0, 1, ...g, ...s1, 1, 2, 3, 4, 6, 0, 0, 0, ...g]),
      frame([0x16, 0, 0, 0, ...g], true),
      // one v3 report per (record type, number of sources): Info words each its own way
      ...[[1, 0], [1, 1], [2, 0], [2, 1], [2, 2], [3, 2], [4, 1], [5, 0], [5, 2], [6, 1], [6, 2], [7, 0], [7, 2]].map(([rt, ns]) =>
        frame([0x22, 0, 0, 0, 0, 0, 0, 1, rt!, 0, 0, ns!, ...g, ...[s1, s2].slice(0, ns).flat()])),
      frame([0x11, 10, 0, 0, 0, 0, 0, 0, 0, 125, 0, 1, ...s1]),
    ];
    const file = join(dir, 'igmp.pcap');
    writeFileSync(file, pcapFile(messages.map((data, i) => ({ sec: 1_700_000_000 + i, frac: 0, data }))));
    await expectSameAsTshark(file);
  });
});

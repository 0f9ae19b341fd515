// A dissection that keeps no node (read's summary lines: no tree, no field asked for) prints the
// lines a full tree's dissection prints. Protocols skip adding what nobody keeps
// (PacketContext.keepsNothing), never what the columns, the expert notes or later packets read:
// on every corpus capture and on mutated headers, `read FILE` prints the same lines, the same
// error and the same status as `read FILE` with every packet dissected into a tree.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusCaptures, corpusPath } from '../../test/helpers/corpus.js';
import { mutatedEthernetPcap } from '../../test/helpers/mutated-corpus.js';
import { parseReadArgs } from './args.js';
import { runRead } from './read.js';
import { StringSink } from './sink.js';

async function read(args: string[], tree: boolean): Promise<{ status: number; out: string; err: string }> {
  const o = { ...parseReadArgs(args), forceTree: tree, threads: 1 };
  const out = new StringSink(), err = new StringSink();
  const status = await runRead(o, out, err);
  return { status, out: out.text(), err: err.text() };
}

async function expectSameLines(args: string[]): Promise<number> {
  const tree = await read(args, true);
  const silent = await read(args, false);
  expect(silent.status, args.join(' ')).toBe(tree.status);
  expect(silent.err).toBe(tree.err);
  expect(silent.out).toBe(tree.out);
  return silent.out.split('\n').length - 1;
}

describe('read: dissections that keep no node print the lines of tree dissections', () => {
  let lines = 0;
  for (const rel of corpusCaptures()) {
    it(rel, async () => {
      lines += await expectSameLines([corpusPath(rel)]);
      lines += await expectSameLines([corpusPath(rel), '-Y', 'tcp.len > 0 || udp || icmp || arp']);
    });
  }

  const dir = mkdtempSync(join(tmpdir(), 'synscope-silent-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  for (const seed of [11, 12]) {
    it(`the corpus's Ethernet packets with mutated headers (seed ${seed})`, async () => {
      const file = join(dir, `mutated-${seed}.pcap`);
      writeFileSync(file, await mutatedEthernetPcap(seed));
      lines += await expectSameLines([file]);
    });
  }

  it('compared thousands of lines', () => {
    expect(lines).toBeGreaterThan(10_000);
  });
});

// The comparison the protocol tree tests (LCP, PPPoED, BJNP, PIM) make with tshark on one
// capture: each titled item of every packet's -V tree with its children, then a -T fields run
// (`columns`: the protocol's columns and fields) line for line.
import { expect } from 'vitest';
import { ours } from './text-protocol-diff.js';
import { tsharkRaw } from './tshark.js';
import { tsharkVerbose } from './tshark-verbose.js';
import { sectionLines } from './verbose.js';

export async function expectSectionsAsTshark(file: string, titles: readonly string[], columns: readonly string[], exact = false): Promise<void> {
  const verbose = tsharkVerbose(file).stdout, mine = await ours(file, ['-V']);
  for (const title of titles) {
    const theirs = sectionLines(verbose, title, exact);
    expect(theirs.length).toBeGreaterThan(0);
    expect(sectionLines(mine, title, exact)).toEqual(theirs);
  }
  expect(await ours(file, columns)).toEqual(tsharkRaw(file, columns).stdout);
}

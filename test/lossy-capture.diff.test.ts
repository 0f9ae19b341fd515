// A real capture of TCP under loss (test/fixtures/tcp/README.md): two HTTP/1.1 connections
// between Linux stacks through a router that drops segments at random, captured at the client.
// The capture misses the dropped segments, so response bodies have holes that fast
// retransmissions and out-of-order segments fill later, among retransmissions, window updates
// and ACKs of unseen segments. Everything SynScope prints must be what tshark prints, line for
// line, and the desktop, which dissects a frame again when it is looked at, must show the same
// reassembly.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/corpus.js';
import { desktopItems } from './helpers/revisit.js';
import { ours } from './helpers/text-protocol-diff.js';
import { tsharkRaw } from './helpers/tshark.js';
import { tsharkVerbose } from './helpers/tshark-verbose.js';

const FILE = join(repoRoot, 'test', 'fixtures', 'tcp', 'lossy-http.pcap');

describe('a capture of TCP under loss, as tshark shows it', () => {
  it('prints the summary lines tshark prints', async () => {
    const theirs = tsharkRaw(FILE, []).stdout;
    // The capture shows what it is about.
    for (const flag of ['[TCP Previous segment not captured]', '[TCP Fast Retransmission]', '[TCP Out-Of-Order]', '[TCP Retransmission]']) {
      expect(theirs).toContain(flag);
    }
    expect((await ours(FILE, [])).split('\n')).toEqual(theirs.split('\n'));
  });

  it('prints every packet as tshark -V does', async () => {
    const theirs = tsharkVerbose(FILE).stdout;
    expect(theirs).toMatch(/\[\d+ Reassembled TCP Segments/);
    expect((await ours(FILE, ['-V'])).split('\n')).toEqual(theirs.split('\n'));
  });

  it('shows the same reassembly in the desktop, frames looked at last to first (the first pass decides)', async () => {
    const reassembly = (lines: readonly string[]) => lines.map((l) => l.trim())
      .filter((l) => /TCP segment data|Reassembled TCP|^\[Frame: \d+, payload|Segment overlap|Conflicting data|Reassembly error/.test(l) && !l.startsWith('[Expert'));
    const theirs = tsharkVerbose(FILE).stdout.split(/\n(?=Frame \d+:)/).map((frame) => reassembly(frame.split('\n')).join(' | '));
    const mine = (await desktopItems(FILE)).map((items) => reassembly(items.map((node) => node.label)).join(' | '));
    expect(mine.filter((l) => l.includes('Reassembled TCP Segments')).length).toBeGreaterThanOrEqual(8);
    expect(mine).toEqual(theirs);
  });
});

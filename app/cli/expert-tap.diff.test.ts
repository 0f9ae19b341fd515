// `synscope read -z expert` against `tshark -z expert`, byte for byte: every corpus capture,
// the severity levels and tap filters (tshark then builds trees: the notes must not change),
// and how the summary sits with -c, -Y, other tables and standard input.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusPath, repoRoot } from '../../test/helpers/corpus.js';
import { tsharkRaw } from '../../test/helpers/tshark.js';
import { tsharkExpertSummary } from '../../test/helpers/tshark-verbose.js';
import { expectedExpertText, expertCaptures } from '../../test/helpers/tshark-expert.js';
import { parseStatTap } from './args.js';
import { StringSink } from './sink.js';
import { runStatTaps } from './stats-taps.js';

/** Our `-q -z ARG ...` text (in-process). */
async function ours(path: string, ...args: string[]): Promise<string> {
  const out = new StringSink();
  await runStatTaps(path, args.map(parseStatTap), out, new StringSink());
  return out.text();
}

function theirs(path: string, ...args: string[]): string {
  return tsharkRaw(path, ['-q', ...args.flatMap((a) => ['-z', a])]).stdout;
}

describe('read -z expert vs tshark -z expert', () => {
  const files = expertCaptures();
  it('covers the corpus', () => {
    expect(files.length).toBeGreaterThan(100);
  });
  for (const rel of files) {
    it(rel, async () => {
      expect(await ours(corpusPath(rel), 'expert')).toBe(expectedExpertText(rel));
    });
  }

  it('sorts the notes by severity, counted by protocol and message', async () => {
    const text = await ours(corpusPath('pcapplusplus/many-protocols.pcap'), 'expert');
    const titles = [...text.matchAll(/^(\w+) \(\d+\)$/gm)].map((m) => m[1]);
    expect(titles).toEqual(['Errors', 'Warns', 'Notes', 'Chats']);
    expect(text).toMatch(/^ +\d+  Malformed +TCP  New fragment overlaps old data \(retransmission\?\)$/m);
    expect(text).toMatch(/^ +12 +Sequence +TCP  Connection reset \(RST\)$/m);
    expect(text).toMatch(/^ +\d+ +Sequence +TCP  This frame is a \(suspected\) retransmission$/m);
  });

  // Levels in tshark's spelling (any case), filters after them or alone; a tap with a filter
  // makes tshark build every packet's tree, which must not change the notes.
  const TAPS = ['expert,warn', 'expert,note,tcp', 'expert,ERROR', 'expert,tcp.analysis.flags', 'expert,chat,http || dns', 'expert,Comment', 'expert,ip', 'expert,note,host 192.168.1.1'];
  const TAP_FILES = ['pcapplusplus/IcmpPackets.pcap', 'zeek/tcp/ssh-dups.pcap', 'zeek/radiotap.pcap', 'pcapplusplus/DnsPackets.pcap', 'tcpdump/timestamp_invalid_nano.pcap'];
  for (const rel of TAP_FILES) {
    it(`levels and filters: ${rel}`, async () => {
      const path = corpusPath(rel);
      for (const tap of TAPS) {
        // tshark takes no tcpdump expression: its filter is the display filter we turn it into.
        const tsharkTap = tap.replace('host 192.168.1.1', 'ip.addr == 192.168.1.1');
        expect(await ours(path, tap), tap).toBe(theirs(path, tsharkTap));
      }
    });
  }

  it('leaves out notes inside a packet an ICMP error quotes, as tshark\'s tap does', async () => {
    // Frames 5, 6 and 11 quote packets with a TTL of 1 or 2: their notes are in the tree, not in the tap.
    const text = await ours(corpusPath('pcapplusplus/IcmpPackets.pcap'), 'expert');
    expect(text).toContain('           2   Sequence               IPv4  "Time To Live" only 1\n');
    expect(text).not.toContain('Possible traceroute');
  });
});

describe('synscope read -z expert', () => {
  function synscope(args: string[], input?: Buffer): { stdout: string; stderr: string; status: number } {
    const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'synscope.cjs'), 'read', ...args], { encoding: 'utf8', maxBuffer: 1 << 28, ...(input ? { input } : {}) });
    return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
  }
  const file = corpusPath('zeek/dns/mdns.pcap');

  it('prints the summary after the packets, and the tables last to first, as tshark', () => {
    const r = synscope([file, '-Y', 'tcp', '-z', 'expert,warn,dns', '-z', 'conv,udp']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(tsharkRaw(file, ['-Y', 'tcp', '-z', 'expert,warn,dns', '-z', 'conv,udp']).stdout);
  });

  it('counts the first -c packets only', () => {
    const many = corpusPath('pcapplusplus/many-protocols.pcap');
    const r = synscope([many, '-c', '700', '-q', '-z', 'expert']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(tsharkRaw(many, ['-c', '700', '-q', '-z', 'expert']).stdout);
    expect(r.stdout).toMatch(/^Warns \(\d+\)$/m);
  });

  it('reads standard input with -q', () => {
    const r = synscope(['-', '-q', '-z', 'expert'], readFileSync(file));
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(tsharkExpertSummary(file));
  });

  it('rejects a bad filter before reading, with status 2', () => {
    const r = synscope([file, '-q', '-z', 'expert,note,tcp.flgs']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('tcp.flgs is neither a field nor a protocol name');
    expect(r.stdout).toBe('');
  });
});

// Capture on interfaces in a network namespace this test makes. Promiscuous mode as the kernel
// counts it. An interface that disappears while captured (a veth deleted inside a network namespace this
// ns): the capture ends with libpcap's reason, as tcpdump does, keeps the file with the
// packets so far, and nothing crashes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SYNSCOPE, sleep, startCapturer, tsharkFrames } from './live-traffic.js';

const tmp = mkdtempSync(join(tmpdir(), 'synscope-capture-gone-'));
const ns = `sscap${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

function ip(...args: string[]): void {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr}`);
}

afterAll(() => {
  spawnSync('ip', ['netns', 'del', ns]);
  rmSync(tmp, { recursive: true, force: true });
});

function promiscuity(dev: string): number {
  const r = spawnSync('ip', ['-n', ns, '-d', '-j', 'link', 'show', dev], { encoding: 'utf8' });
  return (JSON.parse(r.stdout) as { promiscuity: number }[])[0]!.promiscuity;
}

describe('promiscuous mode', () => {
  it('is on by default and off with -p, as the kernel reports', async () => {
    spawnSync('ip', ['netns', 'add', ns]);
    ip('-n', ns, 'link', 'add', 'pr0', 'type', 'veth', 'peer', 'name', 'pr1');
    ip('-n', ns, 'link', 'set', 'pr0', 'up');
    const seen: number[] = [];
    const log: string[] = [];
    for (const extra of [[], ['-p']]) {
      const run = await startCapturer('ip', ['netns', 'exec', ns, process.execPath, SYNSCOPE, 'capture', '-i', 'pr0', ...extra, '-w', join(tmp, 'promisc.pcapng')], /Capturing on 'pr0'/);
      seen.push(promiscuity('pr0'));
      run.child.kill('SIGINT');
      log.push(`exit ${await run.exited}: ${run.stderr()}`);
    }
    expect(seen, log.join('\n')).toEqual([1, 0]);
    expect(log.every((l) => l.startsWith('exit 0:')), log.join('\n')).toBe(true);
    expect(promiscuity('pr0')).toBe(0);
  });
});

describe('capture on an interface that goes away', () => {
  it("ends with libpcap's 'The interface disappeared', exit status 1, the file kept", async () => {
    spawnSync('ip', ['netns', 'add', ns]);
    ip('-n', ns, 'link', 'add', 'cap0', 'type', 'veth', 'peer', 'name', 'cap1');
    ip('-n', ns, 'link', 'set', 'cap0', 'up');
    ip('-n', ns, 'link', 'set', 'cap1', 'up');
    const file = join(tmp, 'gone.pcapng');
    const ours = await startCapturer('ip', ['netns', 'exec', ns, process.execPath, SYNSCOPE, 'capture', '-i', 'cap0', '-w', file], /Capturing on 'cap0'/);
    const theirs = await startCapturer('ip', ['netns', 'exec', ns, 'tcpdump', '-i', 'cap0', '-w', join(tmp, 'gone-tcpdump.pcap')], /listening on cap0/);
    await sleep(300);
    ip('-n', ns, 'link', 'del', 'cap0');
    expect(await ours.exited).toBe(1);
    await theirs.exited;
    expect(theirs.stderr()).toContain('The interface disappeared');
    expect(ours.stderr()).toMatch(/packets? captured\n[\s\S]*synscope capture: Capture on cap0 failed: The interface disappeared\n$/);
    expect(ours.stderr()).not.toMatch(/^\s+at /m);
    // The file is complete (tshark reads it to the end) whatever it holds.
    expect(() => tsharkFrames(file)).not.toThrow();
  });
});

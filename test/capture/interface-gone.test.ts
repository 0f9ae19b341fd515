// An interface that disappears while captured (a veth deleted inside a network namespace this
// test makes): the capture ends with libpcap's reason, as tcpdump does, keeps the file with the
// packets so far, and nothing crashes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SYNSCOPE, sleep, startCapturer, tsharkFrames } from './live-traffic.js';

const tmp = mkdtempSync(join(tmpdir(), 'synscope-capture-gone-'));
const ns = `sscap${process.pid}`;

function ip(...args: string[]): void {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr}`);
}

afterAll(() => {
  spawnSync('ip', ['netns', 'del', ns]);
  rmSync(tmp, { recursive: true, force: true });
});

describe('capture on an interface that goes away', () => {
  it("ends with libpcap's 'The interface disappeared', exit status 1, the file kept", async () => {
    ip('netns', 'add', ns);
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

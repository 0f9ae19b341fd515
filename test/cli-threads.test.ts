// `synscope read --threads N` as a user runs it: real worker threads (dist/read-worker.mjs,
// built by the global setup) print the same bytes as one thread, report damage once after the
// lines, and stop quietly when the reader of the output goes away. That the shares split every
// corpus capture without changing a line is read-parallel.test.ts's, in process.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWithClosedOutput } from './helpers/closed-output.js';
import { corpusPath, repoRoot } from './helpers/corpus.js';

const bin = join(repoRoot, 'bin', 'synscope.cjs');

function synscope(...args: string[]): { stdout: string; stderr: string; status: number } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
}

const tmp = mkdtempSync(join(tmpdir(), 'synscope-threads-'));

describe('synscope read --threads', () => {
  for (const rel of ['pcapplusplus/many-protocols.pcap', 'zeek/tcp/timestamp.pcap', 'zeek/smtp.pcap', 'zeek/ftp/ipv4.pcap']) {
    it(`prints ${rel} as one thread does, on 2 and 3 threads`, () => {
      const once = synscope('read', '--threads', '1', corpusPath(rel));
      expect(once.status).toBe(0);
      expect(once.stdout.split('\n').length).toBeGreaterThan(20);
      for (const n of ['2', '3']) {
        const r = synscope('read', `--threads=${n}`, corpusPath(rel), '-T', 'tabs');
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        expect(r.stdout).toBe(synscope('read', '--threads', '1', corpusPath(rel), '-T', 'tabs').stdout);
      }
    });
  }

  it('prints what -Y selects as one thread does (each thread plans its own dissections)', () => {
    for (const filter of ['tcp.flags.syn == 1 || dns || http.request', 'tcp port 80 or udp']) {
      const file = corpusPath('pcapplusplus/many-protocols.pcap');
      const once = synscope('read', '--threads', '1', file, '-Y', filter);
      expect(once.stdout.split('\n').length).toBeGreaterThan(20);
      const two = synscope('read', '--threads', '2', file, '-Y', filter);
      expect(two.stderr).toBe('');
      expect(two.stdout).toBe(once.stdout);
    }
  });

  it('prints every packet before damage, then the error once, with status 2', () => {
    const whole = readFileSync(corpusPath('pcapplusplus/many-protocols.pcap'));
    const cut = join(tmp, 'cut.pcap');
    writeFileSync(cut, whole.subarray(0, whole.length - 7));
    const once = synscope('read', '--threads', '1', cut);
    const two = synscope('read', '--threads', '2', cut);
    expect(once.status).toBe(2);
    expect(once.stderr).toMatch(/^synscope: .*cut\.pcap: .*truncated.*\n$/);
    expect(two.status).toBe(2);
    expect(two.stderr).toBe(once.stderr);
    expect(two.stdout).toBe(once.stdout);
  });

  it('stops quietly with status 0 when the reader of its output goes away', async () => {
    const { stderr, status } = await runWithClosedOutput(['read', '--threads', '2', corpusPath('pcapplusplus/many-protocols.pcap')]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });

  it('says what a bad thread count is', () => {
    for (const v of ['0', 'two', '65']) {
      const r = synscope('read', '--threads', v, corpusPath('zeek/smtp.pcap'));
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`invalid --threads value "${v}" (1 to 64)`);
    }
    expect(synscope('read', corpusPath('zeek/smtp.pcap'), '--threads').stderr).toContain('option --threads needs a value');
  });
});

// The privileged capture launcher of the Linux package (resources/linux/synscope-capture.c),
// compiled and run for real in an install-like layout, with a stand-in app binary that
// reports what it was given: the program, script and environment are the launcher's own, not
// the caller's, and the two capture capabilities arrive as ambient capabilities.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SOURCE = fileURLToPath(new URL('../resources/linux/synscope-capture.c', import.meta.url));

describe('synscope-capture', () => {
  let install: string;
  let launcher: string;

  beforeAll(() => {
    install = mkdtempSync(join(tmpdir(), 'synscope-install-'));
    launcher = join(install, 'synscope-capture');
    execFileSync('cc', ['-O2', '-Wall', '-Wextra', '-Werror', '-o', launcher, SOURCE]);
    mkdirSync(join(install, 'resources', 'app.asar.unpacked', 'dist'), { recursive: true });
    writeFileSync(join(install, 'resources', 'app.asar.unpacked', 'dist', 'capture-helper.mjs'), '');
    // The app binary's stand-in prints its arguments, its whole environment and its ambient set.
    writeFileSync(join(install, 'synscope'), [
      '#!/bin/sh',
      'for a in "$@"; do echo "arg=$a"; done',
      'env | sort | sed "s/^/env=/"',
      'grep CapAmb /proc/self/status | sed "s/^CapAmb:[[:space:]]*/amb=/"',
    ].join('\n') + '\n');
    chmodSync(join(install, 'synscope'), 0o755);
  });
  afterAll(() => rmSync(install, { recursive: true, force: true }));

  const run = (args: string[], env: NodeJS.ProcessEnv) => execFileSync(launcher, args, { env, encoding: 'utf8' }).trim().split('\n');

  it('runs the app binary as Node on the helper beside it, passing only the helper arguments', () => {
    const lines = run(['{"device":"lo"}'], { PATH: '/usr/bin:/bin' });
    expect(lines.filter((l) => l.startsWith('arg='))).toEqual([
      `arg=${join(install, 'resources', 'app.asar.unpacked', 'dist', 'capture-helper.mjs')}`,
      'arg={"device":"lo"}',
    ]);
  });

  it('replaces the caller’s environment (no NODE_OPTIONS, no LD_LIBRARY_PATH)', () => {
    const lines = run(['--interfaces'], { PATH: '/tmp/evil:/usr/bin:/bin', NODE_OPTIONS: '--require /tmp/evil.js', LD_LIBRARY_PATH: '/tmp/evil', ELECTRON_RUN_AS_NODE: '0' });
    expect(lines.filter((l) => l.startsWith('env=') && !/^env=(PWD|SHLVL|_)=/.test(l))).toEqual([
      'env=ELECTRON_RUN_AS_NODE=1', 'env=LANG=C.UTF-8', 'env=PATH=/usr/bin:/bin',
    ]);
  });

  it('hands cap_net_raw and cap_net_admin on as ambient capabilities when it holds them', () => {
    // The test runs as root (CI), whose permitted set holds them, as the file capabilities
    // the deb sets would. Bits 12 (NET_ADMIN) and 13 (NET_RAW).
    const permitted = BigInt('0x' + /CapPrm:\s*([0-9a-f]+)/.exec(execFileSync('cat', ['/proc/self/status'], { encoding: 'utf8' }))![1]);
    expect(permitted & 0x3000n, 'this test needs the capture capabilities (run as root)').toBe(0x3000n);
    const lines = run([], { PATH: '/usr/bin:/bin' });
    expect(lines.find((l) => l.startsWith('amb='))).toBe('amb=0000000000003000');
  });
});

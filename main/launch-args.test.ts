// Which capture a launch names, for the command line, file associations and second launches.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureFileFromArgv } from './launch-args.js';

describe('captureFileFromArgv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synscope-argv-'));
  const capture = join(dir, 'trace.pcapng');
  writeFileSync(capture, '');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the file of a packaged launch (synscope trace.pcapng), relative to its directory', () => {
    expect(captureFileFromArgv(['/opt/SynScope/synscope', 'trace.pcapng'], dir)).toBe(capture);
    expect(captureFileFromArgv(['/opt/SynScope/synscope', capture], '/')).toBe(capture);
  });

  it('skips the app directory of a development run and Chromium switches', () => {
    expect(captureFileFromArgv(['/usr/lib/electron', '.', '--no-sandbox', '--enable-logging', 'trace.pcapng'], dir)).toBe(capture);
  });

  it('takes a file that looks like a switch after --', () => {
    const odd = join(dir, '-odd.pcap');
    writeFileSync(odd, '');
    expect(captureFileFromArgv(['synscope', '-odd.pcap'], dir)).toBeUndefined();
    expect(captureFileFromArgv(['synscope', '--', '-odd.pcap'], dir)).toBe(odd);
  });

  it('gives nothing when no argument names an existing file', () => {
    expect(captureFileFromArgv(['synscope'], dir)).toBeUndefined();
    expect(captureFileFromArgv(['synscope', 'missing.pcap', dir], dir)).toBeUndefined();
  });
});

// `synscope read -t FORMAT` against `tshark -t FORMAT`: the Time column in each of tshark's
// ten formats, on captures with microsecond and nanosecond times, times decades apart,
// invalid nanosecond fractions and several interfaces, in a time zone away from UTC (the local
// formats a, ad and adoy), with and without a display filter (dd: since the previous packet
// shown).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TIME_COLUMN_FORMATS } from '../app/cli/args.js';
import { corpusPath, repoRoot } from './helpers/corpus.js';

/** A zone with a half-hour offset and no daylight saving: local and UTC times differ in minutes too. */
const TZ = 'Asia/Kolkata';
const env = { ...process.env, TZ };

const FILES = [
  'pcapplusplus/three_http_streams.pcap',
  'pcapplusplus/pcapng-example.pcapng',
  'pcapplusplus/many_interfaces-1.pcapng',
  'tcpdump/timestamp_invalid_nano.pcap',
  'tcpdump/time_2106_overflow.pcapng',
];

function run(cmd: string, args: string[]): { stdout: string; stderr: string; status: number | null } {
  return spawnSync(cmd, args, { encoding: 'utf8', env, maxBuffer: 1 << 26 });
}

function synscope(...args: string[]) {
  return run(process.execPath, [join(repoRoot, 'bin', 'synscope.cjs'), 'read', ...args]);
}

function tshark(...args: string[]): string {
  const r = run('tshark', ['-n', ...args]);
  if (r.status !== 0) throw new Error(`tshark ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

describe('synscope read -t', () => {
  for (const rel of FILES) {
    it(`prints every Time column format as tshark does: ${rel}`, () => {
      const file = corpusPath(rel);
      for (const [fmt] of TIME_COLUMN_FORMATS) {
        const fields = ['-T', 'fields', '-e', 'frame.number', '-e', '_ws.col.Time'];
        const ours = synscope(file, '-t', fmt, ...fields);
        expect(ours.status, ours.stderr).toBe(0);
        expect(ours.stdout, `-t ${fmt}`).toBe(tshark('-r', file, '-t', fmt, ...fields));
      }
    });
  }

  it('counts dd from the previous packet shown and d from the previous one read', () => {
    const file = corpusPath('pcapplusplus/three_http_streams.pcap');
    for (const fmt of ['d', 'dd']) {
      const ours = synscope(file, '-t', fmt, '-Y', 'tcp.len > 0');
      expect(ours.stdout, `-t ${fmt}`).toBe(tshark('-r', file, '-t', fmt, '-Y', 'tcp.len > 0'));
    }
    // The two differ once packets are left out.
    expect(synscope(file, '-t', 'd', '-Y', 'tcp.len > 0').stdout).not.toBe(synscope(file, '-t', 'dd', '-Y', 'tcp.len > 0').stdout);
  });

  it('lays out the summary line with a wide Time column as tshark does', () => {
    const file = corpusPath('pcapplusplus/three_http_streams.pcap');
    expect(synscope(file, '-t', 'ad').stdout).toBe(tshark('-r', file, '-t', 'ad'));
  });

  it('refuses an unknown format with tshark\'s list of the known ones', () => {
    const r = synscope(corpusPath('pcapplusplus/three_http_streams.pcap'), '-t', 'x');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('invalid time stamp type "x"; it must be one of:\n\t"a"    for absolute\n');
    expect(r.stderr).toContain('\t"udoy" for absolute UTC with YYYY/DOY date\n');
  });
});

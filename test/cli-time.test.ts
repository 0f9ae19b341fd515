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

/**
 * tshark's column type for each -t format: `-t F -e _ws.col.Time` prints what a column of that
 * type prints, so one tshark run with a column of each type gives all ten (epoch has no type of
 * its own: it is the -t column, with -t e). Checked once on every file here against ten runs of
 * `-t F`: equal.
 */
const COLUMN_TYPES: Record<string, string> = {
  a: '%At', ad: '%Yt', adoy: '%YDOYt', d: '%Tt', dd: '%Gt', e: '%t', r: '%Rt', u: '%Aut', ud: '%Yut', udoy: '%YDOYut',
};

/** Per -t format, `tshark -t F -T fields -e frame.number -e _ws.col.Time` of `file`, from one run. */
function tsharkTimeColumns(file: string): Map<string, string> {
  const formats = TIME_COLUMN_FORMATS.map(([fmt]) => fmt);
  const columns = ['"No.","%m"', ...formats.map((f) => `"T${f}","${COLUMN_TYPES[f]}"`)].join(',');
  const text = tshark('-r', file, '-t', 'e', '-o', `gui.column.format:${columns}`, '-T', 'fields', '-e', 'frame.number', ...formats.flatMap((f) => ['-e', `_ws.col.T${f}`]));
  const rows = text.split('\n').filter(Boolean).map((l) => l.split('\t'));
  return new Map(formats.map((f, i) => [f, rows.map((r) => `${r[0]}\t${r[i + 1]}\n`).join('')]));
}

describe('synscope read -t', () => {
  for (const rel of FILES) {
    it(`prints every Time column format as tshark does: ${rel}`, () => {
      const file = corpusPath(rel);
      const theirs = tsharkTimeColumns(file);
      for (const [fmt] of TIME_COLUMN_FORMATS) {
        const ours = synscope(file, '-t', fmt, '-T', 'fields', '-e', 'frame.number', '-e', '_ws.col.Time');
        expect(ours.status, ours.stderr).toBe(0);
        expect(ours.stdout, `-t ${fmt}`).toBe(theirs.get(fmt));
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

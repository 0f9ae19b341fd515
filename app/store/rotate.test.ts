// dumpcap-style ring files: the capture split by size or duration, at most N kept, each one a
// valid pcapng that tshark reads with exactly the packets written to it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCaptureFile } from '../file/reader.js';
import { corpusPath } from '../../test/helpers/corpus.js';
import { RotatingWriter } from './rotate.js';

const tmp = mkdtempSync(join(tmpdir(), 'synscope-rotate-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function tsharkEpochs(file: string): string[] {
  const r = spawnSync('tshark', ['-n', '-r', file, '-T', 'fields', '-e', 'frame.time_epoch', '-e', 'frame.len'], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim().split('\n');
}

function writeAll(rel: string, w: RotatingWriter): void {
  const r = openCaptureFile(corpusPath(rel));
  for (let rec = r.next(); rec; rec = r.next()) w.write({ ts: rec.ts, capLen: rec.capLen, origLen: rec.origLen, data: rec.data });
  r.close();
  w.close();
}

describe('RotatingWriter', () => {
  const rel = 'zeek/tunnels/gre-aruba.pcap'; // 384 kB over 32 s
  const all = tsharkEpochs(corpusPath(rel));

  it('splits by size into files tshark reads, which together hold every packet in order', () => {
    const dir = mkdtempSync(join(tmp, 'size-'));
    const w = new RotatingWriter({ path: join(dir, 'cap.pcapng'), filesizeKB: 100, linkType: 1, snapLen: 65535, interfaceName: 'eth0' });
    writeAll(rel, w);
    const files = w.files();
    expect(files.length).toBeGreaterThan(3);
    expect(readdirSync(dir).sort()).toEqual(files.map((f) => f.slice(dir.length + 1)).sort());
    expect(files[0]).toMatch(/cap_00001_\d{14}\.pcapng$/);
    const got = files.flatMap((f) => tsharkEpochs(f));
    expect(got).toEqual(all);
    // Every file but the last reached (nearly) the size; none is much beyond it.
    for (const f of files) {
      const size = Number(spawnSync('stat', ['-c', '%s', f], { encoding: 'utf8' }).stdout);
      expect(size).toBeLessThanOrEqual(100_000 + 2000);
    }
  });

  it('keeps only the newest N files', () => {
    const dir = mkdtempSync(join(tmp, 'files-'));
    const w = new RotatingWriter({ path: join(dir, 'cap.pcapng'), filesizeKB: 100, files: 2, linkType: 1, snapLen: 65535 });
    writeAll(rel, w);
    expect(readdirSync(dir).length).toBe(2);
    const got = w.files().flatMap((f) => tsharkEpochs(f));
    expect(got).toEqual(all.slice(all.length - got.length));
  });

  it('splits by duration on the packets\' timestamps', () => {
    const dir = mkdtempSync(join(tmp, 'dur-'));
    const w = new RotatingWriter({ path: join(dir, 'cap.pcapng'), durationS: 10, linkType: 1, snapLen: 65535 });
    writeAll(rel, w);
    for (const f of w.files()) {
      const t = tsharkEpochs(f).map((l) => Number(l.split('\t')[0]));
      expect(t[t.length - 1]! - t[0]!).toBeLessThan(10);
    }
    expect(w.files().flatMap((f) => tsharkEpochs(f))).toEqual(all);
  });
});

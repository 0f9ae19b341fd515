// Runs tshark live (the oracle) and parses its `-T fields` output. Results are cached under
// os.tmpdir() keyed by file (path, size, mtime) + arguments, so many tests in one run (and
// re-runs) share one tshark invocation per (file, field list); a run another test process has
// started is waited for, not repeated.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TsharkResult {
  /** One row per packet, one string per requested field ('' when absent). */
  rows: string[][];
  /** tshark's exit status (2 for a damaged or unsupported file). */
  status: number;
}

export const CACHE_DIR = join(tmpdir(), 'synscope-tshark-cache');

/** The fixed `-T fields` options our differential tests compare with. */
export const FIELDS_ARGS = ['-T', 'fields', '-E', 'header=n', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=,'];

function cacheKey(file: string, args: readonly string[]): string {
  const st = statSync(file);
  return createHash('sha256').update(JSON.stringify([file, st.size, st.mtimeMs, args])).digest('hex').slice(0, 32);
}

type RawResult = { stdout: string; status: number };

function readEntry(path: string): RawResult | null {
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as RawResult;
  } catch {
    return null; // a half-written entry from a concurrent run: recompute
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pid in a lock file (0 while it is being written or once it is gone). */
function lockHolder(lock: string): number {
  try {
    return Number(readFileSync(lock, 'utf8').trim()) || 0;
  } catch {
    return 0;
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Waits while another test process runs tshark for the same entry (its lock file holds its
 * pid): two test files walking the corpus side by side would otherwise both run tshark on
 * each file. Returns the entry it wrote, or null when the lock is ours to take.
 */
function awaitOtherRun(path: string, lock: string): RawResult | null {
  for (let waited = 0; ; waited += 20) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return null;
    } catch (e) {
      // held: wait for the entry, or for the holder to die
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const done = readEntry(path);
    if (done) return done;
    const holder = lockHolder(lock);
    if (holder && waited % 1000 === 0 && !alive(holder)) rmSync(lock, { force: true });
    else Atomics.wait(pause, 0, 0, 20);
  }
}

/** Runs `tshark -n -r FILE ...args` and returns stdout (stderr is ignored: "Running as user root"). */
export function tsharkRaw(file: string, args: readonly string[]): RawResult {
  const path = join(CACHE_DIR, cacheKey(file, args) + '.json');
  const cached = readEntry(path);
  if (cached) return cached;
  mkdirSync(CACHE_DIR, { recursive: true });
  const lock = `${path}.lock`;
  const other = awaitOtherRun(path, lock);
  if (other) return other;
  try {
    const again = readEntry(path); // written between our first look and the lock
    if (again) return again;
    const r = spawnSync('tshark', ['-n', '-r', file, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
    if (r.error) throw new Error(`cannot run tshark: ${r.error.message}`);
    // A field tshark does not know empties the whole run: an oracle of no rows, which a test
    // comparing with it could take for a file tshark cannot read. Never cached.
    const unknown = /Some fields aren't valid:[^]*/.exec(r.stderr);
    if (unknown) throw new Error(`tshark on ${file}: ${unknown[0].trim()}`);
    const res = { stdout: r.stdout, status: r.status ?? -1 };
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(res));
    renameSync(tmp, path);
    return res;
  } finally {
    rmSync(lock, { force: true });
  }
}

/** Splits `-T fields` output into rows of `width` columns. */
export function parseFieldsOutput(stdout: string, width: number): string[][] {
  const lines = stdout.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => {
    const cols = line.split('\t');
    while (cols.length < width) cols.push('');
    return cols;
  });
}

/**
 * `tshark -n -r FILE -T fields -E header=n -E separator=/t -E occurrence=a -E aggregator=,
 * -e F1 -e F2 ...`, parsed. Note: a value containing a tab would shift columns; none of the
 * fields we compare can contain one (tshark escapes it as \t).
 */
export function tsharkFields(file: string, fields: readonly string[], extraArgs: readonly string[] = []): TsharkResult {
  const args = [...extraArgs, ...FIELDS_ARGS, ...fields.flatMap((f) => ['-e', f])];
  const { stdout, status } = tsharkRaw(file, args);
  return { rows: parseFieldsOutput(stdout, fields.length), status };
}

// Runs tshark live (the oracle) and parses its `-T fields` output. Results are cached under
// os.tmpdir() keyed by file (path, size, mtime) + arguments, so many tests in one run (and
// re-runs) share one tshark invocation per (file, field list).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
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

/** Runs `tshark -n -r FILE ...args` and returns stdout (stderr is ignored: "Running as user root"). */
export function tsharkRaw(file: string, args: readonly string[]): { stdout: string; status: number } {
  const key = cacheKey(file, args);
  const path = join(CACHE_DIR, key + '.json');
  if (existsSync(path)) {
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as { stdout: string; status: number };
    } catch {
      // a half-written entry from a concurrent run: recompute
    }
  }
  const r = spawnSync('tshark', ['-n', '-r', file, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.error) throw new Error(`cannot run tshark: ${r.error.message}`);
  const res = { stdout: r.stdout, status: r.status ?? -1 };
  mkdirSync(CACHE_DIR, { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(res));
  renameSync(tmp, path);
  return res;
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

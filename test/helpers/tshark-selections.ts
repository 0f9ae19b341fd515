// Which frames `tshark -n -r FILE -Y FILTER` shows, for a whole table of (file, filter) cases
// with one tshark run per file instead of one per case. Starting tshark costs ~0.4 s (it
// registers every dissector) and reading a small corpus file almost nothing, so a table of 500
// filters spent minutes starting tshark. One run per file applies each filter as a tap
// listener's filter (tshark-selections.lua): the same display-filter engine, on the same
// single pass, with the fields the filter names primed as -Y primes them.
//
// Three kinds of case still run tshark -Y on their own: a filter that names a `*_displayed`
// field (what counts as displayed differs when nothing is filtered out); a filter on the
// expert items (`_ws.expert...`), which a tap's filter does not always see as -Y does (HTTP's
// "Trailing stray characters" of test/string-values.diff.test.ts: -Y selects frames 5, 9, 10,
// 15, 20, 25, a tap listener none, or frame 9 alone beside other filters); and a filter tshark
// does not compile (its message and exit status are tshark's own). Every other (file, filter)
// pair of the suite was checked once against its own -Y run: 1,766 pairs, all equal.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CACHE_DIR, tsharkRaw } from './tshark.js';

const LUA = join(dirname(fileURLToPath(import.meta.url)), 'tshark-selections.lua');

export interface TsharkSelection {
  /** Frame numbers, ascending, as `-T fields -e frame.number` prints them. */
  frames: number[];
  /** tshark's exit status reading the file (2 for a damaged file). */
  status: number;
}

/** `-T fields -e frame.number` output for a selection (one number per line). */
export function framesText(frames: readonly number[]): string {
  return frames.map((n) => `${n}\n`).join('');
}

function alone(file: string, filter: string): TsharkSelection {
  const { stdout, status } = tsharkRaw(file, ['-Y', filter, '-T', 'fields', '-e', 'frame.number']);
  return { frames: stdout.split('\n').filter(Boolean).map(Number), status };
}

/** The filters file the Lua script reads, named by its content (and the script's) so tshark's cache key follows both. */
function filtersFile(filters: readonly string[]): string {
  const text = filters.join('\n') + '\n';
  const name = createHash('sha256').update(readFileSync(LUA)).update(text).digest('hex').slice(0, 32);
  const path = join(CACHE_DIR, `filters-${name}.txt`);
  if (!existsSync(path)) {
    mkdirSync(CACHE_DIR, { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  }
  return path;
}

/** All `filters` on `file`: one tshark run, plus one per filter that must run alone. */
export function tsharkSelections(file: string, filters: readonly string[]): Map<string, TsharkSelection> {
  const out = new Map<string, TsharkSelection>();
  const batch = [...new Set(filters)].filter((f) => !/_displayed\b|_ws\.expert/.test(f) && !f.includes('\n'));
  if (batch.length > 0) {
    const { stdout, status } = tsharkRaw(file, ['-q', '-X', `lua_script:${LUA}`, '-X', `lua_script1:${filtersFile(batch)}`]);
    for (const line of stdout.split('\n')) {
      const tab = line.indexOf('\t');
      const filter = batch[Number(line.slice(0, tab)) - 1];
      if (tab < 0 || filter === undefined || line[tab + 1] === '!') continue;
      const list = line.slice(tab + 1);
      out.set(filter, { frames: list === '' ? [] : list.split(',').map(Number), status });
    }
  }
  for (const f of filters) if (!out.has(f)) out.set(f, alone(file, f));
  return out;
}

/**
 * An oracle for a table of (file, filter) cases: the first question about a file runs every
 * filter the table has for it.
 */
export class TsharkFilterOracle {
  private readonly byFile = new Map<string, string[]>();
  private readonly answered = new Map<string, Map<string, TsharkSelection>>();

  constructor(cases: Iterable<readonly [file: string, filter: string]>) {
    for (const [file, filter] of cases) {
      const list = this.byFile.get(file) ?? [];
      list.push(filter);
      this.byFile.set(file, list);
    }
  }

  /** What `tshark -n -r file -Y filter` selects (a case outside the table runs on its own). */
  select(file: string, filter: string): TsharkSelection {
    let answers = this.answered.get(file);
    if (!answers) {
      answers = tsharkSelections(file, this.byFile.get(file) ?? []);
      this.answered.set(file, answers);
    }
    return answers.get(filter) ?? alone(file, filter);
  }
}

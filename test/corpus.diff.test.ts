// The whole-corpus differential test: `synscope read F -T fields -e ...` (run in-process)
// against tshark 4.0 run live, for every capture in the shared corpus. The bar: at
// least 99.5% of all (packet, field) values equal tshark's, per file. A (file, field) pair may
// differ only if docs/tshark-differences.md lists it with a reason; those are excused and
// printed. The full mismatch list goes to test-results/corpus-diff.txt.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COLUMN_FIELDS } from '../app/cli/fields.js';
import { fieldByName } from '../app/dissect/field.js';
import { parseReadArgs } from '../app/cli/args.js';
import { runRead } from '../app/cli/read.js';
import { StringSink } from '../app/cli/sink.js';
import { synscopeFields } from './helpers/synscope-fields.js';
import { corpusCaptures, corpusPath, repoRoot } from './helpers/corpus.js';
import { CORPUS_DIFF_FIELDS as DIFF_FIELDS, tsharkCorpusFields } from './helpers/corpus-fields.js';
import { excuse, loadExceptions } from './helpers/tshark-differences.js';

const PROTOCOLS_COLUMN = DIFF_FIELDS.indexOf('frame.protocols');

/** Per file, at most this share of (packet, field) values may differ (issue requirement). */
const MAX_MISMATCH_RATE = 0.005;
/** tshark cannot read these at all (see the corpus README). */
const TSHARK_UNREADABLE = new Set(['tcpdump/dsa.pcap']);
const SHOW_PER_FILE = 3;

interface FileResult {
  file: string;
  cells: number;
  mismatches: number;
  excused: number;
  lines: string[];
}

const results: FileResult[] = [];
const files = corpusCaptures();

describe('whole-corpus differential test against tshark -T fields', () => {
  const exceptions = loadExceptions();

  it.each(files.filter((f) => TSHARK_UNREADABLE.has(f)))('%s (tshark cannot read it): read without crashing', async (rel) => {
    const out = new StringSink();
    const err = new StringSink();
    const status = await runRead(parseReadArgs([corpusPath(rel)]), out, err);
    // Either the packets are shown (as data) or a clear file error with status 2.
    if (status === 0) expect(out.text().length).toBeGreaterThan(0);
    else expect(err.text()).toMatch(/^synscope: /);
  });

  it.each(files.filter((f) => !TSHARK_UNREADABLE.has(f)))('%s', async (rel) => {
    const path = corpusPath(rel);
    const ts = tsharkCorpusFields(path, DIFF_FIELDS);
    // Fields SynScope does not define yet are compared as "<unknown field>" (all differ), so the
    // numbers show progress while dissectors land instead of one invalid-field error.
    const known = DIFF_FIELDS.filter((f) => fieldByName(f) || (COLUMN_FIELDS as readonly string[]).includes(f));
    const ours0 = await synscopeFields(path, known);
    const tree0 = await synscopeFields(path, known, true);
    const widen = (rows: string[][]) => rows.map((row) => DIFF_FIELDS.map((f) => { const k = known.indexOf(f); return k < 0 ? '<unknown field>' : row[k]!; }));
    const ours = { ...ours0, rows: widen(ours0.rows) };
    const tree = { ...tree0, rows: widen(tree0.rows) };

    // The fast mode ({tree:false, wanted}) must print exactly what the tree mode prints.
    expect(tree.rows).toEqual(ours.rows);

    const n = Math.max(ts.rows.length, ours.rows.length);
    const r: FileResult = { file: rel, cells: n * DIFF_FIELDS.length, mismatches: 0, excused: 0, lines: [] };
    for (let i = 0; i < n; i++) {
      const a = ours.rows[i];
      const b = ts.rows[i];
      DIFF_FIELDS.forEach((field, j) => {
        const va = a ? a[j]! : '<no packet>';
        const vb = b ? b[j]! : '<no packet>';
        if (va === vb) return;
        const ex = excuse(exceptions, rel, field, b ? b[PROTOCOLS_COLUMN]! : '');
        if (ex) r.excused++;
        else r.mismatches++;
        r.lines.push(`${rel}\tframe ${i + 1}\t${field}\t${ex ? 'excused' : 'MISMATCH'}\tours=${JSON.stringify(va)}\ttshark=${JSON.stringify(vb)}`);
      });
    }
    results.push(r);
    // tshark exits 2 on a damaged file after printing what it could read; so must we.
    expect({ status: ours.status === 0 ? 0 : 2 }).toEqual({ status: ts.status === 0 ? 0 : 2 });
    const rate = r.cells ? r.mismatches / r.cells : 0;
    if (rate > MAX_MISMATCH_RATE) {
      const firsts = r.lines.filter((l) => l.includes('\tMISMATCH\t')).slice(0, 10).join('\n');
      expect.fail(`${rel}: ${r.mismatches}/${r.cells} values differ from tshark (${(rate * 100).toFixed(2)}% > 0.5%):\n${firsts}`);
    }
  });

  afterAll(() => {
    results.sort((a, b) => a.file.localeCompare(b.file));
    const dir = join(repoRoot, 'test-results');
    mkdirSync(dir, { recursive: true });
    const summary = results.map((r) => {
      const pct = r.cells ? (100 * (r.cells - r.mismatches)) / r.cells : 100;
      return `${pct.toFixed(2).padStart(6)}%  ${String(r.mismatches).padStart(5)} differ  ${String(r.excused).padStart(5)} excused  ${String(r.cells).padStart(7)} values  ${r.file}`;
    });
    const full = ['# per file: % equal, differing, excused, values compared, file', ...summary, '', '# every difference: file, frame, field, verdict, ours, tshark', ...results.flatMap((r) => r.lines)];
    writeFileSync(join(dir, 'corpus-diff.txt'), full.join('\n') + '\n');
    const total = results.reduce((s, r) => s + r.cells, 0);
    const bad = results.reduce((s, r) => s + r.mismatches, 0);
    const exc = results.reduce((s, r) => s + r.excused, 0);
    const printed: string[] = [];
    printed.push(`corpus diff: ${results.length} files, ${total} values, ${bad} differ, ${exc} excused (${((100 * (total - bad)) / Math.max(1, total)).toFixed(3)}% equal); full list in test-results/corpus-diff.txt`);
    for (const r of results) {
      if (r.lines.length === 0) continue;
      printed.push(summary[results.indexOf(r)]!);
      for (const l of r.lines.slice(0, SHOW_PER_FILE)) printed.push('    ' + l);
    }
    console.log(printed.join('\n'));
  });
});

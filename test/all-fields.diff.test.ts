// Every field SynScope shows, printed by `-T fields` as tshark prints it, on every corpus capture.
// The other corpus-wide tests compare chosen field lists; this one asks, per capture, for every
// field name that appears in SynScope's own tree of it (and that tshark knows), so a value that
// only the flat mode of -T fields and -Y gets wrong, a field that tshark fills under another name,
// or a formatting rule of one type shows up wherever the corpus exercises it. (A field tshark shows
// and SynScope does not is the tree tests' business: full-tree.diff.test.ts and the protocols'.)
// A differing cell must be excused by docs/tshark-differences.md.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseReadArgs } from '../app/cli/args.js';
import { isProtocolLabel } from '../app/cli/fields.js';
import { runRead } from '../app/cli/read.js';
import { StringSink } from '../app/cli/sink.js';
import { fieldByName } from '../app/dissect/field.js';
import { corpusCaptures, corpusPath } from './helpers/corpus.js';
import { synscopeFields } from './helpers/synscope-fields.js';
import { FIELDS_ARGS, parseFieldsOutput, tsharkRaw } from './helpers/tshark.js';
import { loadExceptions, unexcusedCells } from './helpers/tshark-differences.js';

/** tshark cannot read it (see the corpus README). */
const TSHARK_UNREADABLE = new Set(['tcpdump/dsa.pcap']);

/** Every field name tshark 4.0 registers (`tshark -G fields`). */
function tsharkFieldNames(): Set<string> {
  const r = spawnSync('tshark', ['-G', 'fields'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return new Set(r.stdout.split('\n').map((line) => line.split('\t')).filter((c) => c[0] === 'F' || c[0] === 'P').map((c) => c[2]!));
}

/** The field names in SynScope's -T json of the capture, in order of first appearance. */
async function fieldsShown(file: string): Promise<string[]> {
  const out = new StringSink();
  await runRead(parseReadArgs([file, '-T', 'json']), out, new StringSink());
  const names = new Set<string>();
  for (const m of out.text().matchAll(/"([a-z0-9_-]+(?:\.[a-z0-9_-]+)+)":/gi)) names.add(m[1]!);
  return [...names];
}

/** A field SynScope defines whose -T fields value is its protocol item's label. */
function isLabel(name: string): boolean {
  const def = fieldByName(name);
  return def !== undefined && isProtocolLabel(def);
}

describe('-T fields prints every field of the tree as tshark does', () => {
  const exceptions = loadExceptions();
  const known = tsharkFieldNames();

  it.each(corpusCaptures().filter((f) => !TSHARK_UNREADABLE.has(f)))('%s', async (rel) => {
    const path = corpusPath(rel);
    // The expert fields are compared in expert-info.diff.test.ts (their order is the tree's), the
    // protocols' labels in protocol-fields.diff.test.ts: without them -T fields runs without a
    // tree, as -Y does.
    const fields = ['frame.protocols', ...(await fieldsShown(path)).filter((n) => known.has(n) && !n.startsWith('_ws.') && n !== 'frame.protocols' && !isLabel(n))];
    const ts = tsharkRaw(path, [...FIELDS_ARGS, ...fields.flatMap((f) => ['-e', f])]);
    const theirs = parseFieldsOutput(ts.stdout, fields.length);
    const ours = await synscopeFields(path, fields);
    const differ = unexcusedCells(exceptions, rel, fields, ours.rows, theirs, (i) => theirs[i]?.[0] ?? '');
    // A capture with packets has fields to compare (an empty one only the column asked for).
    if (ours.rows.length > 0) expect(fields.length).toBeGreaterThan(1);
    expect(differ.slice(0, 12).join('\n')).toBe('');
  });
});

// bundle-loader.ts in separate Node processes, as the launcher uses it: the first run saves the
// code cache at exit, the next one takes it, and a rebuilt bundle of the same length (which V8
// alone would accept the old bytecode for) gets a cache of its own.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, test } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'synscope-bundle-loader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const loader = pathToFileURL(join(import.meta.dirname, 'bundle-loader.ts')).href;
const bundle = join(dir, 'answer.cjs');

/** Loads the bundle in a fresh Node and returns what its exports say. */
function run(): string {
  const script = `const { loadBundle } = await import(${JSON.stringify(loader)});
const m = loadBundle(new URL(${JSON.stringify(pathToFileURL(bundle).href)}));
process.stdout.write(m.answer() + ' ' + m.file);`;
  return execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
}

const caches = () => readdirSync(join(dir, '.code-cache')).filter((f) => f.endsWith('.bin')).sort();

test('the first run saves the cache, the next takes it, a rebuilt bundle gets its own', () => {
  writeFileSync(bundle, 'exports.answer = function () { return 6 * 7; };\nexports.file = __filename;\n');
  utimesSync(bundle, 1_700_000_000, 1_700_000_000);
  expect(run()).toBe(`42 ${bundle}`);
  const first = caches();
  expect(first).toHaveLength(1);
  expect(first[0]).toMatch(/^answer\.cjs-\d+-1700000000000-v8-.+\.bin$/);
  const saved = statSync(join(dir, '.code-cache', first[0]!)).mtimeMs;

  // Accepted: the same answer, and the cache is not written again.
  expect(run()).toBe(`42 ${bundle}`);
  expect(caches()).toEqual(first);
  expect(statSync(join(dir, '.code-cache', first[0]!)).mtimeMs).toBe(saved);

  // The same length, other code, a new mtime: the new code runs.
  writeFileSync(bundle, 'exports.answer = function () { return 6 * 8; };\nexports.file = __filename;\n');
  utimesSync(bundle, 1_700_000_100, 1_700_000_100);
  expect(run()).toBe(`48 ${bundle}`);
  expect(caches()).toHaveLength(2);
});

test('a directory it cannot write in costs only the cache', () => {
  const ro = mkdtempSync(join(dir, 'ro-'));
  const file = join(ro, 'x.cjs');
  writeFileSync(file, 'exports.answer = function () { return 7; };\n');
  // A file where the cache directory should be: mkdir fails, the run does not.
  writeFileSync(join(ro, '.code-cache'), '');
  const script = `const { loadBundle } = await import(${JSON.stringify(loader)});
process.stdout.write(String(loadBundle(new URL(${JSON.stringify(pathToFileURL(file).href)})).answer()));`;
  expect(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' })).toBe('7');
  expect(statSync(join(ro, '.code-cache')).isFile()).toBe(true);
});

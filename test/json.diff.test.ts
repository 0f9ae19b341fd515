// JSON bodies in the packet-details tree and in -T fields, as tshark 4.0 shows them: Object /
// Array / Member items with Key and [Path], scalars with [Path with value] and [Member with
// value], several top-level values in one body, and the rest of a body that is not JSON (a bare
// scalar, a syntax error) as Line-based text data. On the corpus captures with JSON and on a
// capture built here with one response per case.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseReadArgs } from '../app/cli/args.js';
import { runRead } from '../app/cli/read.js';
import { StringSink } from '../app/cli/sink.js';
import { jsonString } from '../app/dissect/protocols/json.js';
import { corpusPath } from './helpers/corpus.js';
import { httpExchanges } from './helpers/pcap-build.js';
import { FIELDS_ARGS, tsharkRaw } from './helpers/tshark.js';
import { tsharkVerbose } from './helpers/tshark-verbose.js';
import { sectionLines } from './helpers/verbose.js';

const WITH_JSON = ['zeek/http/docker-http-upgrade.pcap', 'zeek/http/get-gzip.pcap'];
const JSON_FIELDS = ['json.member', 'json.key', 'json.path', 'json.path_with_value', 'json.member_with_value', 'json.value.string', 'json.value.number', 'json.value.true', 'json.value.null'];

async function ours(file: string, args: string[]): Promise<string> {
  const out = new StringSink(), err = new StringSink();
  await runRead(parseReadArgs([file, ...args]), out, err);
  return out.text();
}

/** The JSON layers and the text lines after them, as -V prints them. */
const jsonLines = (v: string) => [...sectionLines(v, 'JavaScript Object Notation'), ...sectionLines(v, 'Line-based text data')];

async function expectSameAsTshark(file: string): Promise<void> {
  const theirs = tsharkVerbose(file).stdout;
  expect(sectionLines(theirs, 'JavaScript Object Notation').length).toBeGreaterThan(0);
  expect(jsonLines(await ours(file, ['-V']))).toEqual(jsonLines(theirs));
  const fields = [...FIELDS_ARGS, ...JSON_FIELDS.flatMap((f) => ['-e', f])];
  expect(await ours(file, fields)).toEqual(tsharkRaw(file, fields).stdout);
}

describe('read: JSON as tshark shows it, on the corpus', () => {
  for (const rel of WITH_JSON) it(rel, () => expectSameAsTshark(corpusPath(rel)));
});

describe('read: JSON bodies built here, against tshark', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synscope-json-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const bodies = [
    '{"a": 1, "b": [true, false, null, "s", 2.5, -1e3, {"c": {}}, []], "e\\"sc": "q\\"\\\\\\/\\n\\t\\u00e9x", "": 0}',
    '[1, [2, [3]], {"k": [ ]}]',
    '{"a": [{"b": [{"c": "d"}]}], "n": [1E+2, 0, -0, 0.0e0], "x": NaN}',
    '  {  "sp" :  "x"  ,"n":-0.5e-2 }  ',
    '{"a": 1}{"b": 2}',
    '{"a": 1} trailing',
    '[ ]  x',
    '"just a string"',
    '42',
    '{"a": [1, 2',
    "{'bad': 1}",
    '{"k": 01}',
    '{"a":1,}',
    '[1.]',
    '[true false]',
    '{"bad": "\\x"}',
    '{"raw": "tab\there", "emoji": "\u{1f600}", "k\\u00e9y": 1}',
    // tshark 4.0's unescaping: unprintable code points dropped, broken surrogates as U+FFFD
    '{"a": "x\\u0001y\\u200bz\\ud83dw\\u00e9v", "b": "1\\ude00x", "c": "2\\ud83d\\u0041y", "d": "5\\ud800\\udc00q", "g": "3\\u0041x"}',
  ];
  const file = join(dir, 'json.pcap');
  writeFileSync(file, httpExchanges(bodies.map((b) => ({ headers: 'Content-Type: application/json\r\n', body: Buffer.from(b, 'utf8') }))));

  it('the tree, the leftover text and the json.* fields of every response', () => expectSameAsTshark(file));

  it('a body nested deeper than 512 levels is not JSON: its text goes to text lines, nothing overflows', async () => {
    const deep = join(dir, 'deep.pcap');
    writeFileSync(deep, httpExchanges([{ headers: 'Content-Type: application/json\r\n', body: Buffer.from('['.repeat(20000) + ']'.repeat(20000)) }]));
    const fields = await ours(deep, ['-T', 'fields', '-e', 'frame.protocols']);
    expect(fields.split('\n')[4]).toBe('eth:ethertype:ip:tcp:http:json:data-text-lines');
  });

  it('unescapes as tshark 4.0 does, but keeps an escape that ends the string (tshark drops it)', () => {
    expect(jsonString('"a\\"b\\\\c\\/d\\te"')).toBe('a"b\\c/d\te');
    expect(jsonString('"\\u00e9x"')).toBe('\u00e9x');
    expect(jsonString('"x\\u0001y"')).toBe('xy');
    expect(jsonString('"1\\u0041"')).toBe('1A');
    expect(jsonString('"\\ud83d\\ude00"')).toBe('\u{1f600}');
  });
});

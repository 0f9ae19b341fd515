// The comparison the text-protocol tests (FTP, POP, IMAP, SSH) make with tshark on one capture:
// the protocol's part of every packet's -V tree, the Protocol/Info columns and frame.protocols
// of every packet, some of the protocol's fields with -T fields, and the packets display
// filters select.
import { execFileSync } from 'node:child_process';
import { expect } from 'vitest';
import { parseReadArgs } from '../../app/cli/args.js';
import { runRead } from '../../app/cli/read.js';
import { StringSink } from '../../app/cli/sink.js';
import { FIELDS_ARGS, tsharkRaw } from './tshark.js';
import { tsharkVerbose } from './tshark-verbose.js';
import { framesText, tsharkSelections } from './tshark-selections.js';
import { sectionLines } from './verbose.js';

/** `synscope read FILE ...args`, in process. */
export async function ours(file: string, args: readonly string[]): Promise<string> {
  const out = new StringSink(), err = new StringSink();
  await runRead(parseReadArgs([file, ...args]), out, err);
  return out.text();
}

/**
 * Per packet of a -V text, its top-level items from the first whose line starts with one of
 * `titles` to the end of the packet (the protocol's item and what it adds after it: FTP's
 * working directory, FTP-DATA's setup frame, line-based text), each packet's lines after a
 * "Frame N" marker.
 */
export function protocolTail(text: string, titles: readonly string[]): string[] {
  const out: string[] = [];
  let frame = '';
  let taking = false;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (/^Frame \d+:/.test(line)) {
      frame = line.slice(0, line.indexOf(':'));
      taking = false;
      continue;
    }
    if (!taking && titles.some((t) => line.startsWith(t))) {
      taking = true;
      out.push(frame);
    }
    if (taking) out.push(line);
  }
  return out;
}

export interface TextProtocolCheck {
  /** The top-level item titles that start the protocol's part of a packet's tree. */
  titles: readonly string[];
  /** Fields compared with -T fields on every packet. */
  fields: readonly string[];
  /** Display filters whose packet sets are compared. */
  filters: readonly string[];
  /**
   * A protocol this one hands data to that is compared elsewhere (POP's messages go to IMF):
   * only the items titled `titles` are compared, not what follows them, and the columns of
   * the packets tshark shows with it are left out.
   */
  handsTo?: string;
}

/** Expects `file` to read as tshark reads it, as far as `check` says; `minPackets` of them show the protocol. */
export async function expectLikeTshark(file: string, check: TextProtocolCheck, minPackets = 1): Promise<void> {
  const tree = (text: string) => (check.handsTo ? check.titles.flatMap((t) => sectionLines(text, t, true)) : protocolTail(text, check.titles));
  const theirs = tree(tsharkVerbose(file).stdout);
  expect(check.handsTo ? theirs.length : theirs.filter((l) => l.startsWith('Frame ')).length).toBeGreaterThanOrEqual(minPackets);
  expect(tree(await ours(file, ['-V']))).toEqual(theirs);
  const columns = [...FIELDS_ARGS, '-e', 'frame.number', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info', '-e', 'frame.protocols'];
  const handedOn = (text: string) => text.split('\n').filter((row) => !check.handsTo || !row.split('\t')[3]?.split(':').includes(check.handsTo));
  const theirColumns = tsharkRaw(file, columns).stdout;
  const kept = new Set(handedOn(theirColumns).map((row) => row.split('\t')[0]));
  expect((await ours(file, columns)).split('\n').filter((row) => kept.has(row.split('\t')[0]))).toEqual(handedOn(theirColumns));
  const fields = [...FIELDS_ARGS, '-e', 'frame.number', ...check.fields.flatMap((f) => ['-e', f])];
  expect(await ours(file, fields)).toEqual(tsharkRaw(file, fields).stdout);
  await expectSameFilterSets(file, check.filters);
}

/** A copy of `file` at `out` with only the packets tshark's display filter `filter` selects (editcap keeps the frames named). */
export function onlyPackets(file: string, filter: string, out: string): string {
  const frames = tsharkRaw(file, ['-Y', filter, '-T', 'fields', '-e', 'frame.number']).stdout.trim().split('\n');
  execFileSync('editcap', ['-r', file, out, ...frames]);
  return out;
}

/** Each display filter selects the same packets of `file` as in tshark. */
export async function expectSameFilterSets(file: string, filters: readonly string[]): Promise<void> {
  const theirs = tsharkSelections(file, filters);
  for (const filter of filters) {
    const args = ['-Y', filter, '-T', 'fields', '-e', 'frame.number'];
    expect(await ours(file, args), filter).toEqual(framesText(theirs.get(filter)!.frames));
  }
}

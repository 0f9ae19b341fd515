// The comparison the text-protocol tests (FTP, POP, IMAP, SSH) make with tshark on one capture:
// the protocol's part of every packet's -V tree, the Protocol/Info columns and frame.protocols
// of every packet, some of the protocol's fields with -T fields, and the packets display
// filters select.
import { expect } from 'vitest';
import { parseReadArgs } from '../../app/cli/args.js';
import { runRead } from '../../app/cli/read.js';
import { StringSink } from '../../app/cli/sink.js';
import { FIELDS_ARGS, tsharkRaw } from './tshark.js';

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
}

/** Expects `file` to read as tshark reads it, as far as `check` says; `minPackets` of them show the protocol. */
export async function expectLikeTshark(file: string, check: TextProtocolCheck, minPackets = 1): Promise<void> {
  const theirs = protocolTail(tsharkRaw(file, ['-V']).stdout, check.titles);
  expect(theirs.filter((l) => l.startsWith('Frame ')).length).toBeGreaterThanOrEqual(minPackets);
  expect(protocolTail(await ours(file, ['-V']), check.titles)).toEqual(theirs);
  const columns = [...FIELDS_ARGS, '-e', 'frame.number', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info', '-e', 'frame.protocols'];
  expect(await ours(file, columns)).toEqual(tsharkRaw(file, columns).stdout);
  const fields = [...FIELDS_ARGS, '-e', 'frame.number', ...check.fields.flatMap((f) => ['-e', f])];
  expect(await ours(file, fields)).toEqual(tsharkRaw(file, fields).stdout);
  for (const filter of check.filters) {
    const args = ['-Y', filter, '-T', 'fields', '-e', 'frame.number'];
    expect(await ours(file, args), filter).toEqual(tsharkRaw(file, args).stdout);
  }
}

// Syslog over UDP 514 against tshark: messages as util-linux `logger` sends them (RFC 3164 and
// RFC 5424 with structured data and a BOM), and the edges packet-syslog.c has — no priority, a
// priority of more than three digits or without its ">", an empty text, text that is neither
// format, an RFC 3164 tag ended by "[" or a space, RFC 5424 timestamps it cannot read, parts
// missing at the end, control characters and UTF-8 in the text. The Syslog tree, the summary
// lines, every syslog field and a few filters must be tshark's.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pcapFile, udpFrame } from './helpers/pcap-build.js';
import { expectSameFilterSets, ours } from './helpers/text-protocol-diff.js';
import { FIELDS_ARGS, tsharkRaw } from './helpers/tshark.js';
import { tsharkVerbose } from './helpers/tshark-verbose.js';
import { sectionLines } from './helpers/verbose.js';

const MESSAGES = [
  '<13>Dec  3 17:18:00 vm root: hello rfc3164',
  '<156>1 2026-12-03T17:18:00.700826+00:00 vm root - - [timeQuality tzKnown="1" isSynced="0"] hello 5424 [x]',
  '<13>1 2026-12-03T17:18:00.702394+00:00 vm root - - [zoo@123 tiger="hungry"] with sd',
  '<13>1 2026-12-03T17:18:00Z h app 42 ID47 - \ufeffBOM msg',
  '<13>Dec  3 17:18:00 host sshd[123]: Accepted key',
  '<13>Dec  3 17:18:00 h tag msg without colon',
  '<13>Dec  3 17:18:00 h [x]: y',
  '<13>Dec  3 17:18:00 onlyhost',
  '<13>Jan  1 00:00:00 h t:',
  '<191>Dec 13 01:02:03 h t: a\tb\nc\u0001',
  '<13>1 - - - - - -',
  '<13>1 2026-13-45T99:00:00Z h a p m -',
  '<13>1 2026-12-03T17:18:00.123456789Z h a p m -',
  '<13>1 2026-12-03T17:18:00.123+02:00 h',
  '<13>1  h a p m -',
  '<13>hello', '<127>x', 'no pri at all', '<1000>big', '<abc>x', '<13>this is not a date at all, but long', '<13>été utf8',
  '<0>', '<13',
];

describe('read: Syslog as tshark shows it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synscope-syslog-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'syslog.pcap');
  writeFileSync(file, pcapFile(MESSAGES.map((m, i) => ({
    sec: 1_700_000_000 + i, frac: 0, data: udpFrame([10, 0, 0, 1], 40000 + i, [10, 0, 0, 2], 514, new TextEncoder().encode(m)),
  }))));

  it('the Syslog tree and the summary lines', async () => {
    const theirs = tsharkVerbose(file).stdout;
    expect(theirs.match(/^Syslog message: /gm)).toHaveLength(MESSAGES.length - 2);
    expect(sectionLines(await ours(file, ['-V']), 'Syslog message')).toEqual(sectionLines(theirs, 'Syslog message'));
    expect(await ours(file, [])).toBe(tsharkRaw(file, []).stdout);
  });

  it('every field, and filters on them', async () => {
    const fields = ['syslog.facility', 'syslog.level', 'syslog.msg', 'syslog.version', 'syslog.timestamp', 'syslog.timestamp_rfc3164', 'syslog.hostname',
      'syslog.appname', 'syslog.procid', 'syslog.msgid'];
    const args = [...FIELDS_ARGS, '-e', 'frame.number', ...fields.flatMap((f) => ['-e', f])];
    expect(await ours(file, args)).toBe(tsharkRaw(file, args).stdout);
    await expectSameFilterSets(file, ['syslog', 'syslog.facility == 1', 'syslog.level == 7', 'syslog.hostname == "h"', 'syslog.msgid contains "msg"', 'syslog.timestamp > "2026-01-01"']);
  });
});

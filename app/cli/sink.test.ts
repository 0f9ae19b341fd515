// FdSink.summary() encodes a summary line straight into its buffer: the bytes must be
// summaryLine()'s (and summaryLineTabs()') text in UTF-8, whatever the columns hold.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../../test/helpers/corpus.js';
import { parseReadArgs } from './args.js';
import { formatRelative, summaryLine, summaryLineTabs, writeRelative, type SummaryColumns } from './output.js';
import { runRead } from './read.js';
import { ByteText } from './byte-text.js';
import { FdSink, StringSink } from './sink.js';

const dir = mkdtempSync(join(tmpdir(), 'synscope-sink-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What an FdSink on a file wrote after `use` and a flush. */
function written(use: (sink: FdSink) => void): Buffer {
  const path = join(dir, `out-${Math.random().toString(36).slice(2)}`);
  const fd = openSync(path, 'w');
  const sink = new FdSink(fd);
  use(sink);
  sink.flush();
  closeSync(fd);
  return readFileSync(path);
}

const base: SummaryColumns = { no: 1, time: '0.000000', src: '10.0.0.1', dst: '10.0.0.2', protocol: 'TCP', length: 66, info: '80 → 41000 [SYN, ACK] Seq=0 Ack=1 Win=65535 Len=0' };

const cases: Array<[string, SummaryColumns]> = [
  ['a plain TCP line', base],
  ['columns wider than their padding', { ...base, no: 1234567, time: '123456789.123456789', src: 'fe80::1:2:3:4%eth0', dst: '2001:db8::aaaa:bbbb:cccc' }],
  ['empty columns (a record without a time)', { ...base, time: '', src: '', dst: '', protocol: '', info: '' }],
  ['UTF-8 text in Info (an HTTP URI shown as UTF-8)', { ...base, protocol: 'HTTP', info: 'GET /caf\u00e9/\u65e5\u672c?q=\u00fc HTTP/1.1 ' }],
  ['non-ASCII from the first character of a long Info', { ...base, info: '\ufffd'.repeat(40) }],
  ['non-ASCII in a short column', { ...base, src: 'h\u00f6st', dst: '\u00e9', info: '\u00e9' }],
  ['a surrogate pair', { ...base, info: 'name \ud83d\ude00 end' }],
  ['Info longer than the in-place limit', { ...base, info: 'x'.repeat(10_000) }],
  ['a long non-ASCII Info', { ...base, info: '\u2192'.repeat(2_000) }],
];

describe('FdSink.summary', () => {
  for (const [name, c] of cases) {
    it(`writes summaryLine's bytes: ${name}`, () => {
      expect(written((s) => s.summary(c, false)).toString('utf8')).toBe(summaryLine(c));
      expect(written((s) => s.summary(c, true)).toString('utf8')).toBe(summaryLineTabs(c));
    });
    it(`writes the same bytes with Info given as ByteText (the header-only path): ${name}`, () => {
      const info = new ByteText();
      info.str(c.info);
      const noText = { ...c, info: 'not read' };
      expect(written((s) => s.summary(noText, false, info)).toString('utf8')).toBe(summaryLine(c));
      expect(written((s) => s.summary(noText, true, info)).toString('utf8')).toBe(summaryLineTabs(c));
      expect(info.text()).toBe(c.info);
    });
    it(`writes the same bytes with Time given as ByteText (read's relative times): ${name}`, () => {
      const info = new ByteText(), time = new ByteText();
      info.str(c.info);
      time.str(c.time);
      const noText = { ...c, info: 'not read', time: 'not read either' };
      expect(written((s) => s.summary(noText, false, info, time)).toString('utf8')).toBe(summaryLine(c));
      expect(written((s) => s.summary(noText, true, undefined, time)).toString('utf8')).toBe(summaryLineTabs({ ...c, info: 'not read' }));
    });
  }

  /** display_signed_time as text: the seconds, '.', the fraction's digits padded ('-' for a negative fraction of non-negative seconds). */
  function signedTime(t: { sec: number; nsec: number }, base: { sec: number; nsec: number }, digits: number): string {
    let sec = t.sec - base.sec, nsec = (t.nsec - base.nsec) | 0;
    if (sec < 0 && nsec > 0) [sec, nsec] = [sec + 1, nsec - 1e9];
    if (sec > 0 && nsec < 0) [sec, nsec] = [sec - 1, nsec + 1e9];
    if (digits === 0) return String(sec);
    const frac = Math.trunc(nsec / 10 ** (9 - digits));
    return `${frac < 0 && sec >= 0 ? '-' : ''}${sec}.${String(Math.abs(frac)).padStart(digits, '0')}`;
  }

  it('writeRelative and formatRelative write the relative time as display_signed_time does', () => {
    const first = { sec: 1_700_000_000, nsec: 500_000_000 };
    const times = [first, { sec: 1_700_000_000, nsec: 500_000_123 }, { sec: 1_700_000_001, nsec: 0 }, { sec: 1_700_003_600, nsec: 999_999_999 },
      // Before the first packet (a capture out of order), and an invalid fraction (>= 10^9).
      { sec: 1_699_999_999, nsec: 900_000_000 }, { sec: 1_700_000_000, nsec: 400_000_000 }, { sec: 1_700_000_002, nsec: 1_147_483_649 }];
    for (const t of times) {
      for (const digits of [0, 1, 3, 6, 9]) {
        const b = new ByteText();
        writeRelative(b, t, first, digits);
        expect(b.text(), `${t.sec}.${t.nsec}, ${digits} digits`).toBe(signedTime(t, first, digits));
        expect(formatRelative(t, first, digits)).toBe(signedTime(t, first, digits));
      }
    }
  });

  it('ByteText writes numbers as String() does', () => {
    const values = [0, 7, 9, 10, 99, 100, 65535, 999_999_999, 1_000_000_000, 4_294_967_295, 4_294_967_296, 2 ** 53, -1, 1.5, NaN];
    const t = new ByteText();
    for (const v of values) {
      t.num(v);
      t.arrow();
    }
    expect(t.text()).toBe(values.map((v) => `${String(v)} \u2192 `).join(''));
  });

  it('keeps lines in order across buffer flushes (more lines than one chunk holds)', () => {
    const lines: SummaryColumns[] = [];
    for (let i = 0; i < 20_000; i++) lines.push({ ...base, no: i + 1, info: i % 7 === 0 ? `caf\u00e9 ${i}` : `${base.info} ${'y'.repeat(i % 300)}` });
    const bytes = written((s) => {
      for (const [i, c] of lines.entries()) {
        if (i % 1000 === 0) s.write(`-- ${i} --\n`);
        s.summary(c, false);
      }
    });
    const expected = lines.map((c, i) => (i % 1000 === 0 ? `-- ${i} --\n` : '') + summaryLine(c)).join('');
    expect(bytes.toString('utf8')).toBe(expected);
  });

  it('gives read the same output as a StringSink, on real captures', async () => {
    for (const name of ['tcpdump/dns_tcp.pcap', 'tcpdump/print-flags.pcap']) {
      for (const args of [[corpusPath(name)], [corpusPath(name), '-T', 'tabs']]) {
        const text = new StringSink();
        expect(await runRead(parseReadArgs(args), text, new StringSink())).toBe(0);
        const path = join(dir, 'read.txt');
        const fd = openSync(path, 'w');
        const status = await runRead(parseReadArgs(args), new FdSink(fd), new StringSink());
        closeSync(fd);
        expect(status).toBe(0);
        expect(text.text().split('\n').length).toBeGreaterThan(10);
        expect(readFileSync(path, 'utf8')).toBe(text.text());
      }
    }
  });
});

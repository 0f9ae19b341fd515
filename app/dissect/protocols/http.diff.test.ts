// HTTP header lines in the tree, against tshark -V on the same frame: each line shows once — a
// header tshark knows as its field (http.host ...), the http.request.line behind it hidden, any
// other header as the line — and header names that are also names of Object's properties
// ("constructor", "__proto__") are headers like any other.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pcapFile, tcpFrame } from '../../../test/helpers/pcap-build.js';
import { tsharkRaw } from '../../../test/helpers/tshark.js';
import { CaptureState, dissect } from '../driver.js';
import { formatNodeText } from '../format.js';
import { findAll } from '../tree.js';

/** The lines tshark -V prints directly under "Hypertext Transfer Protocol" that end in \r\n. */
function tsharkHeaderLines(verbose: string): string[] {
  const section = verbose.split('\n');
  const start = section.indexOf('Hypertext Transfer Protocol');
  const out: string[] = [];
  for (const line of section.slice(start + 1)) {
    if (!line.startsWith(' ')) break;
    if (/^ {4}\S/.test(line) && line.endsWith('\\r\\n')) out.push(line.trim());
  }
  return out;
}

describe('http: header lines as tshark shows them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synscope-http-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a request with known headers and headers named like Object properties', () => {
    const data = tcpFrame(true, 1001, 5001, 0x18, 'GET / HTTP/1.1\r\nHost: a\r\nconstructor: x\r\n__proto__: y\r\ntoString: z\r\nUser-Agent: u\r\n\r\n');
    const file = join(dir, 'headers.pcap');
    writeFileSync(file, pcapFile([{ sec: 1_700_000_000, frac: 0, data }]));
    const d = dissect({ number: 1, ts: { sec: 1_700_000_000, nsec: 0 }, capLen: data.length, origLen: data.length, linkType: 1, data }, new CaptureState());
    const http = d.roots.find((n) => n.field.name === 'http')!;
    const shown = (http.children ?? []).filter((n) => !n.hidden).map(formatNodeText).filter((t) => t.endsWith('\\r\\n'));
    expect(shown).toEqual(tsharkHeaderLines(tsharkRaw(file, ['-V']).stdout));
    expect(findAll(d.roots, 'http.request.line')).toHaveLength(5);
    expect(findAll(d.roots, 'http.host').map((n) => n.value)).toEqual(['a']);
  });
});

// The filter editor's pure logic: where completion applies, history walking, saved filters,
// where a squiggle goes and what the bar says.
import { describe, expect, it } from 'vitest';
import { completionContext, fieldAt, valueLiteral } from './completion-context.js';
import { errorRange, filterFeedback } from './filter-feedback.js';
import { HistoryWalk, remember, saveFilter } from './filter-history.js';

describe('completion context', () => {
  it('completes a field name being typed', () => {
    expect(completionContext('tcp.fl', 6)).toEqual({ kind: 'field', prefix: 'tcp.fl', start: 0, end: 6 });
    expect(completionContext('ip.src == 1.2.3.4 && tcp.po', 27)).toEqual({ kind: 'field', prefix: 'tcp.po', start: 21, end: 27 });
    expect(completionContext('', 0)).toEqual({ kind: 'field', prefix: '', start: 0, end: 0 });
  });

  it('completes values after a comparison and inside a set', () => {
    expect(completionContext('ip.addr == 10.0', 15)).toEqual({ kind: 'value', field: 'ip.addr', prefix: '10.0', start: 11, end: 15, quoted: false });
    expect(completionContext('tcp.stream eq ', 14)).toEqual({ kind: 'value', field: 'tcp.stream', prefix: '', start: 14, end: 14, quoted: false });
    expect(completionContext('tcp.port in {80, 4', 18)).toEqual({ kind: 'value', field: 'tcp.port', prefix: '4', start: 17, end: 18, quoted: false });
    expect(completionContext('dns.qry.name == "www.', 21)).toEqual({ kind: 'value', field: 'dns.qry.name', prefix: 'www.', start: 16, end: 21, quoted: true });
  });

  it('offers nothing right after a complete field name (an operator comes next)', () => {
    expect(completionContext('tcp.port ', 9)).toEqual({ kind: 'none' });
    expect(completionContext('tcp and ', 8).kind).toBe('field');
  });

  it('finds the field under the mouse and writes values as the field type wants', () => {
    expect(fieldAt('ip.src == 1.2.3.4', 4)).toEqual({ name: 'ip.src', start: 0, end: 6 });
    expect(fieldAt('ip.src == 1.2.3.4', 12)).toBeNull();
    expect(valueLiteral('www.example.com', 'FT_STRING')).toBe('"www.example.com"');
    expect(valueLiteral('10.0.0.1', 'FT_IPv4')).toBe('10.0.0.1');
  });
});

describe('filter history', () => {
  it('keeps the most recent first, without blanks or duplicates', () => {
    let h: string[] = [];
    for (const f of ['tcp', 'udp', '  ', 'tcp']) h = remember(h, f);
    expect(h).toEqual(['tcp', 'udp']);
  });

  it('walks older and newer like a shell, keeping the draft', () => {
    const list = ['dns', 'tcp', 'arp'];
    const walk = new HistoryWalk(() => list);
    expect(walk.older('ip.ad')).toBe('dns');
    expect(walk.older('dns')).toBe('tcp');
    expect(walk.older('tcp')).toBe('arp');
    expect(walk.older('arp')).toBe('arp');
    expect(walk.newer('arp')).toBe('tcp');
    expect(walk.newer('tcp')).toBe('dns');
    expect(walk.newer('dns')).toBe('ip.ad');
    expect(walk.newer('ip.ad')).toBe('ip.ad');
  });

  it('saves one entry per filter text', () => {
    const l = saveFilter(saveFilter([], 'SYNs', 'tcp.flags.syn == 1'), 'Handshakes', 'tcp.flags.syn == 1');
    expect(l).toEqual([{ name: 'Handshakes', text: 'tcp.flags.syn == 1' }]);
  });
});

describe('error squiggles and the bar', () => {
  it('underlines the characters of the error span', () => {
    // tshark: `tcp.flgs` is neither a field nor a protocol: the whole word.
    expect(errorRange('tcp.flgs', { message: '', start: 0, end: 8 })).toEqual({ startColumn: 1, endColumn: 9 });
    expect(errorRange('ip.src == x', { message: '', start: 10, end: 11 })).toEqual({ startColumn: 11, endColumn: 12 });
  });

  it('moves an error past the end onto the last character', () => {
    expect(errorRange('tcp.port ==', { message: '', start: 11, end: 12 })).toEqual({ startColumn: 11, endColumn: 12 });
    expect(errorRange('', { message: '', start: 0, end: 1 })).toBeNull();
  });

  it('says which language, valid or not, and the other language', () => {
    expect(filterFeedback('port 80', { ok: true, language: 'tcpdump', displayed: 3, equivalent: { language: 'display', text: 'tcp.port == 80 || udp.port == 80' } }))
      .toEqual({ state: 'valid', language: 'tcpdump expression', equivalent: { language: 'display filter', text: 'tcp.port == 80 || udp.port == 80' } });
    expect(filterFeedback('tcp.flgs', { ok: false, error: { message: '"tcp.flgs" is neither a field nor a protocol name.', start: 0, end: 8 } }))
      .toEqual({ state: 'invalid', language: '', message: '"tcp.flgs" is neither a field nor a protocol name. (at “tcp.flgs”, column 1)' });
    expect(filterFeedback(' ', null).state).toBe('empty');
    expect(filterFeedback('tcp', null).state).toBe('checking');
  });
});

describe('Monaco HTML under a style-src self policy', () => {
  it('moves style attributes of tags to data-csp-style and leaves text alone', async () => {
    const { moveStyleAttributes } = await import('./monaco-environment.js');
    expect(moveStyleAttributes('<div style="top:0px;height:24px;" class="view-line"><span class="mtk1">a style="x"</span></div>'))
      .toBe('<div data-csp-style="top:0px;height:24px;" class="view-line"><span class="mtk1">a style="x"</span></div>');
    expect(moveStyleAttributes("<span class='x' style='width:3px'></span>")).toBe("<span class='x' data-csp-style='width:3px'></span>");
  });
});

// AsciiBlock lays columns out as padStart/padEnd and String() would: checked against them.
import { describe, expect, it } from 'vitest';
import { AsciiBlock } from './ascii-block.js';

describe('AsciiBlock', () => {
  it('pads and aligns like padEnd / padStart, never cutting longer text', () => {
    const b = new AsciiBlock();
    b.left('ab', 5).text('|').right('cd', 5).text('|').left('toolong', 3).text('|').right('xyz', 2).newline();
    expect(b.take()).toBe(`${'ab'.padEnd(5)}|${'cd'.padStart(5)}|toolong|xyz\n`);
  });

  it('writes integers as String() does, right-aligned', () => {
    const b = new AsciiBlock();
    const values = [0, 7, 10, 99, 100, 65535, 4294967296, Number.MAX_SAFE_INTEGER, 2 ** 60, 1.5, -3];
    for (const v of values) b.int(v, 8).text(';');
    expect(b.take()).toBe(values.map((v) => String(v).padStart(8) + ';').join(''));
  });

  it('pads a column written in pieces from its mark', () => {
    const b = new AsciiBlock();
    const m = b.mark;
    b.text('10.0.0.1').text(':').int(443).padTo(m, 20).text('|');
    expect(b.take()).toBe('10.0.0.1:443'.padEnd(20) + '|');
  });

  it('counts lines, grows past its first buffer and starts empty after take()', () => {
    const b = new AsciiBlock();
    const line = 'x'.repeat(999);
    for (let i = 0; i < 200; i++) b.text(line).newline();
    expect(b.lines).toBe(200);
    expect(b.take()).toBe(`${line}\n`.repeat(200));
    expect(b.lines).toBe(0);
    expect(b.take()).toBe('');
  });

  it('writes a character outside ASCII as "?"', () => {
    expect(new AsciiBlock().text('a→b é').take()).toBe('a?b ?');
  });
});

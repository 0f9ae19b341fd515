// The Monaco filter editor in a real browser against `synscope web FILE` and the real session:
// completion from the field registry and from the capture's values builds a filter tshark
// accepts with the same count; an invalid filter is underlined exactly where tshark's caret
// points; a tcpdump expression is recognised, coloured as one and applied with tcpdump's count;
// history, Escape and the saved-filter menu behave; the page logs no CSP violation.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poll } from './poll.js';
import { corpusPath, repoRoot } from '../helpers/corpus.js';
import { openWorkstation, shot, statusNumber, tcpdumpCount, tsharkCount, type Workstation } from './web-app.js';

// One HTTP download: a handshake, a request, a response, a three-way close.
const FILE = corpusPath('zeek/http/get.pcap');

let ws: Workstation;
let page: Page;

beforeAll(async () => {
  ws = await openWorkstation([FILE]);
  page = ws.page;
  await page.getByRole('grid', { name: 'Packets' }).waitFor();
});

afterAll(async () => {
  await ws?.close();
});

const editor = () => page.locator('.filter-editor');
const textarea = () => page.getByRole('textbox', { name: 'Display filter', exact: true });
const suggestions = () => page.locator('.suggest-widget .monaco-list-row');
const suggestionLabels = async () => (await page.locator('.suggest-widget .monaco-list-row .label-name').allTextContents()).map((t) => t.trim());
/** The editor's text as rendered (Monaco draws spaces as no-break spaces). */
const editorText = async () => ((await page.locator('.filter-editor .view-lines').textContent()) ?? '').replace(/\u00a0/g, ' ');

/** Closes the suggestion list if it is open (Escape on a closed list would revert the filter). */
async function closeSuggestions(): Promise<void> {
  await page.waitForTimeout(400); // quick suggestions open a moment after typing
  if (await page.locator('.suggest-widget.visible').count()) await page.keyboard.press('Escape');
  await poll(() => page.locator('.suggest-widget.visible').count()).toBe(0);
}

async function clear(): Promise<void> {
  await textarea().focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
}

/** tshark's error for an invalid display filter: its message and the caret's span. */
function tsharkError(filter: string): { message: string; start: number; end: number } {
  const r = spawnSync('tshark', ['-n', '-r', FILE, '-Y', filter], { encoding: 'utf8' });
  const lines = r.stderr.split('\n').filter((l) => !l.startsWith('Running as user'));
  const i = lines.findIndex((l) => l.startsWith('tshark: '));
  const caret = lines[i + 2]!;
  const start = caret.indexOf('^') - 4;
  return { message: lines[i]!.slice('tshark: '.length), start, end: start + caret.trim().length };
}

/** The character columns [start, end) the squiggle covers, measured on the rendered line. */
async function squiggleColumns(): Promise<[number, number]> {
  return editor().evaluate((root) => {
    const line = root.querySelector('.view-line')!;
    const spans = [...line.querySelectorAll('span > span')];
    const text = spans.map((s) => s.textContent ?? '').join('');
    const first = spans[0]!.getBoundingClientRect();
    const last = spans[spans.length - 1]!.getBoundingClientRect();
    const charWidth = (last.right - first.left) / text.length;
    const sq = root.querySelector('.squiggly-error')!.getBoundingClientRect();
    return [Math.round((sq.left - first.left) / charWidth), Math.round((sq.right - first.left) / charWidth)] as [number, number];
  });
}

describe('the filter editor', () => {
  it('is Monaco with the accessible name "Display filter" on its textarea', async () => {
    await poll(() => statusNumber(page, 'Packets')).toBe(tsharkCount(FILE));
    expect(await textarea().evaluate((e) => [e.tagName, e.getAttribute('aria-label')])).toEqual(['TEXTAREA', 'Display filter']);
    expect(await page.locator('.filter-editor .monaco-editor').count()).toBe(1);
  });

  it('completes field names with their type, then values seen in the capture, into a filter tshark counts the same', async () => {
    await clear();
    await textarea().pressSequentially('tcp.flags.sy', { delay: 20 });
    await poll(() => suggestionLabels()).toContain('tcp.flags.syn');
    const row = suggestions().filter({ hasText: /^tcp\.flags\.syn/ }).first();
    expect(await row.textContent()).toContain('FT_BOOLEAN');
    await shot(page, 'filter-editor-01-field-completion');
    await row.click();
    // Monaco renders the accepted suggestion on its next animation frame: poll, do not read once.
    await poll(() => editorText()).toBe('tcp.flags.syn');
    await textarea().pressSequentially(' == 1 && ip.src == ', { delay: 20 });
    // Values after `==`: the addresses the capture has (tshark's ip.src values).
    const r = spawnSync('tshark', ['-n', '-r', FILE, '-T', 'fields', '-e', 'ip.src'], { encoding: 'utf8' });
    const seen = [...new Set(r.stdout.split('\n').filter(Boolean))].sort();
    await poll(async () => (await suggestionLabels()).sort()).toEqual(seen);
    await shot(page, 'filter-editor-02-value-completion');
    await suggestions().filter({ hasText: '141.142.228.5' }).first().click();
    const text = 'tcp.flags.syn == 1 && ip.src == 141.142.228.5';
    await poll(() => editorText()).toBe(text);
    await poll(() => page.locator('#filter-status').textContent()).toContain('display filter');
    await textarea().press('Enter');
    await poll(() => statusNumber(page, 'Displayed')).toBe(tsharkCount(FILE, text));
    expect(tsharkCount(FILE, text)).toBe(1);
  });

  it('underlines an invalid filter exactly where tshark points, with tshark\'s message', async () => {
    const text = 'ip.src == 141.142.228.5 && tcp.portt == 80';
    const want = tsharkError(text);
    await clear();
    await textarea().pressSequentially(text, { delay: 5 });
    await closeSuggestions();
    await poll(() => page.locator('.filter-editor .squiggly-error').count()).toBe(1);
    expect(await squiggleColumns()).toEqual([want.start, want.end]);
    expect(await textarea().getAttribute('aria-invalid')).toBe('true');
    await poll(() => page.locator('.filter-error').textContent()).toContain(want.message);
    // The marker's hover says the same.
    const sq = (await page.locator('.filter-editor .squiggly-error').boundingBox())!;
    await page.mouse.move(sq.x + sq.width / 2, sq.y + sq.height / 2 - 4);
    await poll(() => page.locator('.monaco-hover').first().textContent()).toContain(want.message);
    await shot(page, 'filter-editor-03-invalid');
  });

  it('shows a field\'s type and description on hover, as `synscope fields` lists them', async () => {
    const line = execFileSync(process.execPath, [join(repoRoot, 'dist', 'synscope.cjs'), 'fields', 'tcp.window_size'], { encoding: 'utf8' })
      .split('\n').map((l) => l.split('\t')).find((c) => c[2] === 'tcp.window_size')!;
    const [label, type, description] = [line[1]!, line[3]!, line[7] || line[1]!];
    await clear();
    await textarea().pressSequentially('tcp.window_size > 1000', { delay: 5 });
    await closeSuggestions();
    const word = page.locator('.filter-editor .view-line span span', { hasText: /^tcp\.window_size$/ }).first();
    const box = (await word.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await poll(() => page.locator('.monaco-hover').first().textContent()).toContain(type);
    expect(await page.locator('.monaco-hover').first().textContent()).toContain(description || label);
    await shot(page, 'filter-editor-07-hover');
  });

  it('recognises a tcpdump expression, colours it as one and applies it with tcpdump\'s count', async () => {
    const text = 'tcp port 80 and tcp[tcpflags] & tcp-syn != 0';
    await clear();
    await textarea().pressSequentially(text, { delay: 5 });
    await poll(() => page.locator('#filter-status').textContent()).toContain('tcpdump expression');
    await poll(() => page.locator('.filter-editor-host').getAttribute('data-language')).toBe('tcpdump');
    // Qualifier, named constant and number in three different colours.
    const colour = (word: string) => page.locator('.filter-editor .view-line span span', { hasText: new RegExp(`^${word}$`) }).first().evaluate((e) => (globalThis as unknown as { getComputedStyle(x: unknown): { color: string } }).getComputedStyle(e).color);
    const [port, constant, number] = [await colour('port'), await colour('tcp-syn'), await colour('80')];
    expect(new Set([port, constant, number]).size).toBe(3);
    await textarea().press('Enter');
    await poll(() => statusNumber(page, 'Displayed')).toBe(tcpdumpCount(FILE, text));
    // The same filter as a display filter, when the session offers one, is shown beside it.
    if (await page.locator('.filter-equivalent').count()) expect(await page.locator('.filter-equivalent').textContent()).toMatch(/display/);
    await shot(page, 'filter-editor-04-tcpdump');
  });

  it('walks the history with up/down and goes back to the applied filter with Escape', async () => {
    await clear();
    await textarea().pressSequentially('tcp.len > 0', { delay: 5 });
    await textarea().press('Enter');
    await poll(() => statusNumber(page, 'Displayed')).toBe(tsharkCount(FILE, 'tcp.len > 0'));
    await textarea().press('ArrowUp');
    await poll(() => editorText()).toBe('tcp.len > 0');
    await textarea().press('ArrowUp');
    await poll(() => editorText()).toBe('tcp port 80 and tcp[tcpflags] & tcp-syn != 0');
    await textarea().press('ArrowDown');
    await poll(() => editorText()).toBe('tcp.len > 0');
    await textarea().pressSequentially(' && udp', { delay: 5 });
    await closeSuggestions();
    await page.keyboard.press('Escape');
    await poll(() => editorText()).toBe('tcp.len > 0');
  });

  it('applies a saved filter from the dropdown', async () => {
    await page.getByRole('button', { name: 'Saved filters' }).click();
    await shot(page, 'filter-editor-05-saved');
    await page.getByRole('menuitem', { name: /^Resets/ }).click();
    await poll(() => editorText()).toBe('tcp.flags.reset == 1');
    await poll(() => statusNumber(page, 'Displayed')).toBe(tsharkCount(FILE, 'tcp.flags.reset == 1'));
  });

  it('looks right in the dark theme too', async () => {
    await clear();
    await textarea().pressSequentially('tcp.stream == 0 && frame contains "GET" && ip.addr == 141.142.228.5/24', { delay: 2 });
    await closeSuggestions();
    await page.getByRole('button', { name: 'Switch to the dark theme' }).click();
    await poll(() => page.locator('html').getAttribute('data-theme')).toBe('dark');
    await shot(page, 'filter-editor-06-dark');
    await page.getByRole('button', { name: 'Switch to the light theme' }).click();
  });

  it('logs no console error: no CSP violation from Monaco (style-src self, no eval)', () => {
    expect(ws.pageErrors).toEqual([]);
  });
});

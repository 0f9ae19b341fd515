// Packet-list row colours in both themes, read back from the browser's computed styles. For
// each file, tshark --color names the colouring rule of every frame; the list is filtered to
// the first frame of each rule, and for every row that shows:
// - light theme: exactly Wireshark's colours for the rule the row names, as
//   /usr/share/wireshark/colorfilters gives them;
// - dark theme: its own dark variant, text on background at least 4.5:1 (WCAG AA), a
//   background no other rule shares, and the selected row still stands out from all of them.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../helpers/corpus.js';
import { capinfosCount, openByPath, openWorkstation, shot, statusNumber, typeFilter, type Workstation } from './web-app.js';
import { poll } from './poll.js';

// Between them, most of the default rules Wireshark applies to real traffic: many-protocols
// (HTTP, TCP, UDP, SYN/FIN, RST, Bad TCP, ICMP, ARP), smtp (ICMP errors), BgpPackets (TTL low
// or unexpected), packet_trailer (Broadcast). (tshark also names Routing and SMB for frames of
// these files, through protocols SynScope does not dissect; those rows show another rule.)
const FILES = ['pcapplusplus/many-protocols.pcap', 'zeek/smtp.pcap', 'pcapplusplus/BgpPackets.pcap', 'pcapplusplus/packet_trailer.pcap'];

type Rgb = [number, number, number];
interface RowColours { file: string; frame: number; rule: string; bg: Rgb; fg: Rgb }

/**
 * Wireshark's colorfilters file: rule name → colours, 16-bit values as 8-bit. Each line is
 * @name@filter@[background][foreground] (color_filters.c writes bg first: ICMP's pink row).
 */
function wiresharkColours(): Map<string, { fg: Rgb; bg: Rgb }> {
  const out = new Map<string, { fg: Rgb; bg: Rgb }>();
  const eight = (s: string) => s.split(',').map((v) => Number(v) >> 8) as Rgb;
  for (const line of readFileSync('/usr/share/wireshark/colorfilters', 'utf8').split('\n')) {
    const m = /^@(.*?)@.*@\[(\d+,\d+,\d+)\]\[(\d+,\d+,\d+)\]\s*$/.exec(line);
    if (m) out.set(m[1]!, { bg: eight(m[2]!), fg: eight(m[3]!) });
  }
  return out;
}

/** The first frame tshark colours with each rule. */
function firstFramePerRule(file: string): Map<string, number> {
  const text = execFileSync('tshark', ['-n', '-r', file, '--color', '-T', 'fields', '-e', 'frame.number', '-e', 'frame.coloring_rule.name'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [n, rule] = line.split('\t');
    if (rule && !out.has(rule)) out.set(rule, Number(n));
  }
  return out;
}

/** WCAG 2.x relative luminance and contrast ratio. */
function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}
function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}
const distance = (a: Rgb, b: Rgb) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
const hex = (c: Rgb) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;

let ws: Workstation;
let page: Page;
const light: RowColours[] = [];
const dark: RowColours[] = [];

beforeAll(async () => {
  ws = await openWorkstation([corpusPath(FILES[0]!)]);
  page = ws.page;
});

afterAll(async () => {
  await ws?.close();
});

const grid = () => page.getByRole('grid', { name: 'Packets' });

async function setTheme(theme: 'light' | 'dark'): Promise<void> {
  if ((await page.locator('html').getAttribute('data-theme')) !== theme) {
    await page.getByRole('button', { name: `Switch to the ${theme} theme` }).click();
  }
  await poll(() => page.locator('html').getAttribute('data-theme')).toBe(theme);
}

/** Every shown row's frame, rule and computed colours. */
async function rowColours(file: string): Promise<RowColours[]> {
  const rows = await grid().locator('.packet-row[data-coloring-rule]').evaluateAll((els) =>
    els.map((el) => {
      // The specs compile without the DOM library; this runs in the page.
      const s = (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string; color: string } }).getComputedStyle(el);
      return { frame: Number(el.querySelector('[data-col="number"]')?.textContent), rule: el.getAttribute('data-coloring-rule') ?? '', bg: s.backgroundColor, fg: s.color };
    }),
  );
  const rgb = (css: string) => {
    const m = /^rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)$/.exec(css);
    if (!m || (m[4] !== undefined && Number(m[4]) !== 1)) throw new Error(`not an opaque colour: ${css}`);
    return [Number(m[1]), Number(m[2]), Number(m[3])] as Rgb;
  };
  return rows.map((r) => ({ file, frame: r.frame, rule: r.rule, bg: rgb(r.bg), fg: rgb(r.fg) }));
}

describe('packet-list row colours', () => {
  it('shows the first frame of every rule of each file in both themes', async () => {
    for (const [i, rel] of FILES.entries()) {
      const file = corpusPath(rel);
      if (i > 0) await openByPath(page, file);
      await poll(() => statusNumber(page, 'Packets'), { timeout: 30_000 }).toBe(capinfosCount(file));
      const frames = [...firstFramePerRule(file).values()].sort((a, b) => a - b);
      await typeFilter(page, `frame.number in {${frames.join(', ')}}`);
      await poll(() => statusNumber(page, 'Displayed'), { timeout: 30_000 }).toBe(frames.length);
      await poll(() => grid().locator('.packet-row.loading').count()).toBe(0);
      await poll(() => grid().getByRole('row').count()).toBe(frames.length + 1);
      await setTheme('light');
      light.push(...(await rowColours(rel)));
      if (i === 0) await shot(page, '40-packet-colors-light');
      await setTheme('dark');
      dark.push(...(await rowColours(rel)));
      if (i === 0) await shot(page, '41-packet-colors-dark');
      await setTheme('light');
    }
    const rules = new Set(dark.map((r) => r.rule));
    // The files cover what they are said to: the eleven rules listed above.
    expect(rules.size, [...rules].join(', ')).toBeGreaterThanOrEqual(11);
  });

  it('the light theme paints each rule in exactly Wireshark\'s colours', () => {
    const wireshark = wiresharkColours();
    expect(light.length).toBeGreaterThan(0);
    for (const r of light) {
      const want = wireshark.get(r.rule);
      expect(want, `${r.file} frame ${r.frame}: rule ${r.rule}`).toBeDefined();
      expect({ bg: hex(r.bg), fg: hex(r.fg) }, `${r.file} frame ${r.frame} (${r.rule})`).toEqual({ bg: hex(want!.bg), fg: hex(want!.fg) });
    }
  });

  it('the dark theme gives every rule a dark background of its own with text at 4.5:1 or better', () => {
    expect(dark.length).toBeGreaterThan(0);
    const bgOf = new Map<string, string>();
    for (const r of dark) {
      const where = `${r.file} frame ${r.frame} (${r.rule}): ${hex(r.fg)} on ${hex(r.bg)}`;
      expect(contrast(r.fg, r.bg), where).toBeGreaterThanOrEqual(4.5);
      // Dark rows under light text, never a pastel row left over from the light theme.
      expect(luminance(r.bg), where).toBeLessThan(luminance(r.fg));
      expect(luminance(r.bg), where).toBeLessThan(0.1);
      const seen = bgOf.get(r.rule);
      if (seen) expect(hex(r.bg), where).toBe(seen);
      else bgOf.set(r.rule, hex(r.bg));
    }
    const backgrounds = [...bgOf.values()];
    expect(new Set(backgrounds).size, JSON.stringify(Object.fromEntries(bgOf))).toBe(backgrounds.length);
  });

  it('keeps a selected row clearly selected in the dark theme, with the list focused or not', async () => {
    expect(dark.length).toBeGreaterThan(0);
    await setTheme('dark');
    const first = grid().locator('.packet-row[data-coloring-rule]').first();
    await first.click();
    await poll(() => first.getAttribute('aria-selected')).toBe('true');
    const [selected] = await rowColours('selected');
    const where = `${hex(selected!.fg)} on ${hex(selected!.bg)}`;
    expect(contrast(selected!.fg, selected!.bg), where).toBeGreaterThanOrEqual(4.5);
    for (const r of dark) expect(distance(selected!.bg, r.bg), `selection ${hex(selected!.bg)} vs ${r.rule} ${hex(r.bg)}`).toBeGreaterThan(80);
    await shot(page, '42-packet-colors-dark-selected');
    // The list loses the focus (the details pane has it): the selection dims but stays apart.
    await page.getByRole('tree', { name: 'Packet details' }).focus();
    await poll(async () => hex((await rowColours('blurred'))[0]!.bg)).not.toBe(hex(selected!.bg));
    const [blurred] = await rowColours('blurred');
    expect(contrast(blurred!.fg, blurred!.bg), `${hex(blurred!.fg)} on ${hex(blurred!.bg)}`).toBeGreaterThanOrEqual(4.5);
    for (const r of dark) expect(distance(blurred!.bg, r.bg), `unfocused selection ${hex(blurred!.bg)} vs ${r.rule} ${hex(r.bg)}`).toBeGreaterThan(60);
    await shot(page, '43-packet-colors-dark-unfocused');
  });
});

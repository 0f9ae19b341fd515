// Follow UDP Stream from a row's menu, as a user does it: on a DNS capture, the dialog shows the
// query the client sent and the answer it got back (each side's bytes, as tshark's
// `-z follow,udp` has them), and the packet list keeps that udp.stream's packets, the ones
// tshark's filter selects.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../helpers/corpus.js';
import { tsharkRaw } from '../helpers/tshark.js';
import { collectPageErrors, openWorkstation, shot, statusNumber, tsharkCount, type Workstation } from './web-app.js';
import { poll } from './poll.js';

const FILE = corpusPath('tcpdump/dns_udp.pcap');

let ws: Workstation;
let page: Page;
let errors: string[];

beforeAll(async () => {
  ws = await openWorkstation([FILE]);
  page = ws.page;
  errors = collectPageErrors(page);
});

afterAll(async () => {
  await ws?.close();
});

const grid = () => page.getByRole('grid', { name: 'Packets' });

describe('Follow UDP stream', () => {
  it('shows the query and the answer of the row\'s udp.stream, and keeps its packets in the list', async () => {
    await grid().locator('[data-col="number"]', { hasText: /^1$/ }).click({ button: 'right' });
    await page.getByRole('menu').getByRole('menuitem', { name: 'Follow UDP stream' }).click();
    const dialog = page.getByRole('dialog', { name: 'Follow UDP Stream (udp.stream eq 0)' });
    await poll(() => dialog.textContent()).toContain('www.tcpdump.org');
    // Both sides, with the byte counts tshark's ascii output gives each record.
    const theirs = tsharkRaw(FILE, ['-q', '-z', 'follow,udp,ascii,0']).stdout;
    const counts = [...theirs.matchAll(/^\t?(\d+)$/gm)].map((m) => Number(m[1]));
    expect(counts).toEqual([56, 224]);
    const text = (await dialog.textContent())!;
    expect(text).toContain('192.168.1.11:43966 → 209.87.249.18:53: 56 bytes');
    expect(text).toContain('209.87.249.18:53 → 192.168.1.11:43966: 224 bytes');
    await shot(page, '61-follow-udp');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await poll(() => statusNumber(page, 'Displayed')).toBe(tsharkCount(FILE, 'udp.stream eq 0'));
    expect(errors).toEqual([]);
  });
});

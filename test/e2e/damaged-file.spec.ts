// Damaged and wrong files in the browser: a capture cut off in its last record opens with the
// packets before the damage and a warning naming it; a file that is not a capture and a path
// that does not exist get a clear message; the app goes on working afterwards.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../helpers/corpus.js';
import { capinfosCount, openWorkstation, shot, statusNumber as statusOf, tsharkCount, type Workstation } from './web-app.js';
import { poll } from './poll.js';

const tmp = mkdtempSync(join(tmpdir(), 'synscope-e2e-damaged-'));
const GOOD = corpusPath('zeek/http/get.pcap');
const CUT = join(tmp, 'get-cut.pcap');
const NOT_A_CAPTURE = corpusPath('pcapplusplus/file_heuristics/bogus-content.txt');

let ws: Workstation;
let page: Page;

beforeAll(async () => {
  // Like `head -c -5 FILE`: the last record loses its last five bytes.
  const data = readFileSync(GOOD);
  writeFileSync(CUT, data.subarray(0, data.length - 5));
  ws = await openWorkstation([]);
  page = ws.page;
});

afterAll(async () => {
  await ws?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const statusNumber = (label: 'Packets' | 'Displayed') => statusOf(page, label);

async function openByPath(path: string): Promise<void> {
  await page.getByRole('button', { name: 'Open a capture file (Ctrl+O)' }).click();
  const dialog = page.getByRole('dialog', { name: 'Open capture file' });
  await dialog.getByLabel('File path').fill(path);
  await dialog.getByRole('button', { name: 'Open', exact: true }).click();
}

// The app's own messages (the filter editor keeps screen-reader alert regions of its own).
const alerts = () => page.locator('.message-bar').getByRole('alert');

describe('damaged and wrong files', () => {
  it('starts on the welcome page when no file was given', async () => {
    await poll(() => page.getByRole('heading', { name: 'Welcome to SynScope' }).count()).toBe(1);
    expect(await page.getByRole('status').textContent()).toContain('No capture open');
    await shot(page, '20-start-page');
  });

  it('a capture cut off in its last record: the readable packets and a warning', async () => {
    await openByPath(CUT);
    const readable = tsharkCount(CUT);
    expect(readable).toBe(capinfosCount(GOOD) - 1);
    await poll(() => statusNumber('Packets')).toBe(readable);
    const warning = alerts().filter({ hasText: 'get-cut.pcap' });
    await poll(() => warning.count()).toBe(1);
    expect(await warning.textContent()).toMatch(/damaged.*offset \d+/);
    expect(await page.getByRole('status').textContent()).toContain('damaged file');
    expect(await page.getByRole('grid', { name: 'Packets' }).getByRole('row').count()).toBe(readable + 1);
    await shot(page, '21-damaged-file');
  });

  it('a file that is not a capture: a clear error, nothing else breaks', async () => {
    await openByPath(NOT_A_CAPTURE);
    await poll(() => alerts().filter({ hasText: "isn't a capture file" }).count()).toBe(1);
    // The warning about the damaged file went with it.
    await poll(() => alerts().filter({ hasText: 'get-cut.pcap' }).count()).toBe(0);
    await shot(page, '22-not-a-capture');
  });

  it('a path that does not exist: the system error in words', async () => {
    await openByPath(join(tmp, 'nowhere.pcap'));
    await poll(() => alerts().filter({ hasText: 'No such file or directory' }).count()).toBe(1);
  });

  it('keeps working: the next good file opens and its rows appear', async () => {
    const dismiss = page.getByRole('button', { name: 'Dismiss message' });
    while ((await dismiss.count()) > 0) await dismiss.first().click();
    await openByPath(GOOD);
    await poll(() => statusNumber('Packets')).toBe(capinfosCount(GOOD));
    expect(await statusNumber('Displayed')).toBe(capinfosCount(GOOD));
    expect(await page.getByRole('grid', { name: 'Packets' }).getByRole('row').count()).toBe(capinfosCount(GOOD) + 1);
    expect(await alerts().count()).toBe(0);
    await shot(page, '23-recovered');
  });

  it('has no console errors or uncaught exceptions', () => {
    expect(ws.pageErrors).toEqual([]);
  });
});

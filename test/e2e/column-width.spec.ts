// The packet list's columns fit their text when a capture opens and widen when later rows need
// more room. many-protocols.pcap joins captures made years apart: its first frames are ICMP at
// "8.573300" seconds, its TCP frames 142449802 seconds later. Filtering for them showed
// "142449802.44…" in the Time column fitted to the first rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../helpers/corpus.js';
import { tsharkFields } from '../helpers/tshark.js';
import { openWorkstation, shot, statusNumber, tsharkCount, typeFilter, type Workstation } from './web-app.js';
import { poll } from './poll.js';

const FILE = corpusPath('pcapplusplus/many-protocols.pcap');
const FILTER = 'tcp';

let ws: Workstation;
beforeAll(async () => void (ws = await openWorkstation([FILE])));
afterAll(() => ws?.close());

/** Cells of a column whose text is cut (wider than the cell). */
const cutCells = (col: string) => ws.page.locator(`.packet-row [data-col="${col}"]`).evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth).length);
const timeTexts = () => ws.page.locator('.packet-row [data-col="time"]').allTextContents();

describe('packet list column widths', () => {
  it('widen for the rows a filter brings on screen, with the times tshark shows', async () => {
    await poll(() => statusNumber(ws.page, 'Displayed')).toBe(tsharkFields(FILE, ['frame.number']).rows.length);
    await poll(() => cutCells('time')).toBe(0);
    const before = await ws.page.locator('.packet-row [data-col="time"]').first().evaluate((e) => e.clientWidth);

    await typeFilter(ws.page, FILTER);
    await poll(() => statusNumber(ws.page, 'Displayed')).toBe(tsharkCount(FILE, FILTER));
    const theirs = tsharkFields(FILE, ['frame.time_relative'], ['-Y', FILTER]).rows.map(([t]) => t!.replace(/(\.\d{6})\d*$/, '$1'));
    // (The capture's times are in microseconds: the list shows six digits, tshark's field nine.)
    await poll(async () => {
      const shown = await timeTexts();
      return shown.length > 0 && shown.every((t, i) => t === theirs[i]);
    }).toBe(true);
    await poll(() => cutCells('time')).toBe(0);
    const after = await ws.page.locator('.packet-row [data-col="time"]').first().evaluate((e) => e.clientWidth);
    expect(after).toBeGreaterThan(before);
    await shot(ws.page, '61-time-column-widened');

    // Clearing the filter keeps the width: the earlier rows fit in it.
    await typeFilter(ws.page, '');
    await poll(() => statusNumber(ws.page, 'Displayed')).toBe(tsharkFields(FILE, ['frame.number']).rows.length);
    expect(await ws.page.locator('.packet-row [data-col="time"]').first().evaluate((e) => e.clientWidth)).toBe(after);
  });
});

// Sort by column in the browser: clicking the Length header puts the shortest frame first (the
// smallest frame.len tshark reads, the lowest frame number among equals), clicking again the
// longest, a third time capture order again; the header says so with aria-sort and an arrow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../helpers/corpus.js';
import { tsharkFields } from '../helpers/tshark.js';
import { openWorkstation, shot, statusNumber, type Workstation } from './web-app.js';
import { poll } from './poll.js';

const FILE = corpusPath('pcapplusplus/three_http_streams.pcap');
/** tshark's frames as [number, frame.len]. */
const frames = tsharkFields(FILE, ['frame.number', 'frame.len']).rows.map(([n, len]) => [Number(n), Number(len)] as const);
const lengths = frames.map(([, len]) => len);

let ws: Workstation;
beforeAll(async () => void (ws = await openWorkstation([FILE])));
afterAll(() => ws?.close());

const lengthHeader = () => ws.page.getByRole('grid', { name: 'Packets' }).getByRole('columnheader', { name: /^Length/ });
const firstRow = async () => {
  const cells = ws.page.locator('#packet-row-0 [role=gridcell]');
  return { number: Number(await cells.nth(0).textContent()), length: Number(await cells.nth(5).textContent()) };
};

describe('sort by column', () => {
  it('opens in capture order with no sorted header', async () => {
    await poll(() => statusNumber(ws.page, 'Displayed')).toBe(frames.length);
    await poll(firstRow).toEqual({ number: 1, length: frames[0]![1] });
    expect(await lengthHeader().getAttribute('aria-sort')).toBe('none');
  });

  it.each([
    ['once', 'ascending', '▲', Math.min(...lengths)],
    ['again', 'descending', '▼', Math.max(...lengths)],
  ])('Length %s: %s, the frame with that frame.len and the lowest number first', async (_, direction, arrow, len) => {
    await lengthHeader().click();
    await poll(firstRow).toEqual({ number: frames.find(([, l]) => l === len)![0], length: len });
    expect(await lengthHeader().getAttribute('aria-sort')).toBe(direction);
    expect(await lengthHeader().textContent()).toContain(arrow);
    await shot(ws.page, `60-sorted-by-length-${direction}`);
  });

  it('a third time: capture order again, no arrow', async () => {
    await lengthHeader().click();
    await poll(firstRow).toEqual({ number: 1, length: frames[0]![1] });
    expect(await lengthHeader().getAttribute('aria-sort')).toBe('none');
    expect(await lengthHeader().textContent()).not.toMatch(/[▲▼]/);
    expect(ws.pageErrors).toEqual([]);
  });
});

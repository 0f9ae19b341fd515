// End pressed right after opening a large file: the last rows show at once, with what the
// frames alone say (number, time, addresses, protocol, length) and "analysing…" for Info, not a
// blank list until the in-order analysis gets there; once it has, the same rows show tshark's
// Info and the details of the selected last frame come. The file is 30 copies of a capture rich
// in HTTP, DNS and TLS (~140,000 frames): the analysis takes seconds to reach its end.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../helpers/corpus.js';
import { tsharkFields, tsharkRaw } from '../helpers/tshark.js';
import { poll } from './poll.js';
import { openByPath, openWorkstation, shot, statusNumber, type Workstation } from './web-app.js';

const tmp = mkdtempSync(join(tmpdir(), 'synscope-pending-'));
const FILE = join(tmp, 'protocols-many.pcap');
execFileSync('mergecap', ['-a', '-F', 'pcap', '-w', FILE, ...Array.from({ length: 30 }, () => corpusPath('pcapplusplus/many-protocols.pcap'))]);
/** tshark's last summary line, split as the list shows it: number, time, source, destination, protocol, length, info. */
const lastLine = /^\s*(\d+)\s+(\S+)\s+(\S+) → (\S+)\s+(\S+) (\d+) (.*)$/.exec(tsharkRaw(FILE, []).stdout.trimEnd().split('\n').pop()!)!.slice(1);

let ws: Workstation;
beforeAll(async () => void (ws = await openWorkstation([])));
afterAll(async () => {
  await ws?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const lastRowCells = async () => {
  const row = ws.page.locator('.packet-row', { has: ws.page.locator('[data-col="number"]', { hasText: new RegExp(`^${lastLine[0]}$`) }) });
  if ((await row.count()) === 0) return null;
  return { cells: (await row.locator('[role=gridcell]').allTextContents()).map((t) => t.trim()), pending: (await row.getAttribute('class'))!.includes('pending') };
};

describe('rows beyond the analysis', () => {
  it('End right after opening shows the last rows at once, pending, with the columns the frame alone gives', async () => {
    await openByPath(ws.page, FILE);
    const grid = ws.page.getByRole('grid', { name: 'Packets' });
    // Indexed (the status bar counts every packet): End goes to the file's last packet.
    await poll(() => statusNumber(ws.page, 'Packets')).toBe(Number(lastLine[0]));
    await grid.focus();
    await ws.page.keyboard.press('End');
    await poll(async () => (await lastRowCells())?.pending).toBe(true);
    const { cells } = (await lastRowCells())!;
    // No., Time, Source, Destination and Length are final; Info waits for the analysis.
    expect([cells[0], cells[1], cells[2], cells[3], cells[5]]).toEqual([lastLine[0], lastLine[1], lastLine[2], lastLine[3], lastLine[5]]);
    expect(cells[6]).toBe('analysing…');
    // End selected the last row: the details pane says why its fields are not there yet.
    await ws.page.getByText(`The analysis has not reached frame ${lastLine[0]} yet`).waitFor();
    await shot(ws.page, '65-pending-rows');
  });

  it('once the analysis got there, the same rows show tshark\'s protocol and Info, and the details come', async () => {
    await poll(async () => (await lastRowCells())?.cells, { timeout: 60_000 }).toEqual(lastLine);
    expect((await lastRowCells())!.pending).toBe(false);
    await ws.page.getByText(`Frame ${lastLine[0]}:`).first().waitFor();
    await shot(ws.page, '66-pending-rows-final');
  });

  it('sorting the whole file by Info says so until the sorted rows come, the smallest of tshark\'s Info first', async () => {
    // tshark's Info of every frame; the smallest (code-unit order), the lowest frame among equals.
    const infos = tsharkFields(FILE, ['frame.number', '_ws.col.Info']).rows.map(([n, info]) => ({ n: Number(n), info: info! }));
    const first = infos.reduce((a, b) => (b.info < a.info ? b : a));
    const header = ws.page.getByRole('grid', { name: 'Packets' }).getByRole('columnheader', { name: /^Info/ });
    await header.click();
    // Every frame's Info is made again for the sort: seconds for ~140,000 frames.
    const busy = ws.page.locator('.sort-busy', { hasText: 'Sorting by Info…' });
    await busy.waitFor();
    expect(await header.getAttribute('aria-busy')).toBe('true');
    await shot(ws.page, '67-sorting-by-info');
    await busy.waitFor({ state: 'detached', timeout: 60_000 });
    // The selected last frame stays selected at its sorted row: Home goes to the first row.
    await ws.page.getByRole('grid', { name: 'Packets' }).focus();
    await ws.page.keyboard.press('Home');
    const cells = ws.page.locator('#packet-row-0 [role=gridcell]');
    await poll(async () => [Number(await cells.nth(0).textContent()), await cells.nth(6).textContent()]).toEqual([first.n, first.info]);
    expect(await header.getAttribute('aria-busy')).toBeNull();
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
  });
});

// The Handshake timeline in a real browser against `synscope web FILE` and the real session,
// checked against tshark and the engine's own CLI: one overview row per tshark tcp.stream with
// the end state and alerts `synscope tcp --json` gives; the ladder of a connection shows the
// frames and the states `synscope tcp --stream N` prints; an arrow selects its packet and a
// selected packet lights its arrow; zoom and pan redraw in a few milliseconds.
import { spawnSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poll } from './poll.js';
import { corpusPath } from '../helpers/corpus.js';
import { openWorkstation, shot, statusNumber, synscopeOutput, tsharkCount, tsharkTcpStreams, type Workstation } from './web-app.js';

// A GRE-tunnelled browsing session: 23 TCP connections that end closed, half-closed, half-open,
// reset and still open, and unanswered-SYN alerts.
const FILE = corpusPath('zeek/tunnels/gre-aruba.pcap');
const ROW_HEIGHT = 18;
const AXIS_HEIGHT = 22;

let ws: Workstation;
let page: Page;

/** `synscope tcp --json`: end state and endpoints of each connection, and the alerts' streams. */
function engineReport(): { ends: Map<number, string>; endpoints: Map<number, string>; alerted: Set<number> } {
  const ends = new Map<number, string>();
  const endpoints = new Map<number, string>();
  const alerted = new Set<number>();
  type Ends = { addr: string; port: number };
  for (const line of synscopeOutput(['tcp', FILE, '--json']).split('\n').filter(Boolean)) {
    const o = JSON.parse(line) as { type: string; stream?: number; end?: string; client?: Ends; server?: Ends; streams?: number[] };
    if (o.type === 'connection') {
      ends.set(o.stream!, o.end!);
      endpoints.set(o.stream!, `${o.client!.addr}:${o.client!.port} → ${o.server!.addr}:${o.server!.port}`);
    } else for (const s of o.streams ?? []) alerted.add(s);
  }
  return { ends, endpoints, alerted };
}

/** `synscope tcp --stream N`'s ladder: each frame and, where it prints them, both states after it. */
function engineLadder(stream: number): Array<{ frame: number; states?: [string, string] }> {
  const out: Array<{ frame: number; states?: [string, string] }> = [];
  for (const line of synscopeOutput(['tcp', FILE, '--stream', String(stream)]).split('\n')) {
    const m = /^\s+#(\d+)\s.*?(?:\s{2,}([A-Z_0-9]+) \/ ([A-Z_0-9]+))?\s*$/.exec(line);
    if (m) out.push(m[2] ? { frame: Number(m[1]), states: [m[2], m[3]!] } : { frame: Number(m[1]) });
  }
  return out;
}

const region = () => page.getByRole('region', { name: 'Handshake timeline' });
const overview = () => region().locator('.timeline-overview');

async function selectConnection(index: number): Promise<void> {
  const box = (await region().locator('.timeline-canvas').boundingBox())!;
  const scrollTop = await overview().evaluate((e) => e.scrollTop);
  await page.mouse.click(box.x + 100, box.y + AXIS_HEIGHT + index * ROW_HEIGHT - scrollTop + ROW_HEIGHT / 2);
}

beforeAll(async () => {
  ws = await openWorkstation([FILE]);
  page = ws.page;
  await page.getByRole('grid', { name: 'Packets' }).waitFor();
});

afterAll(async () => {
  await ws?.close();
});

describe('the handshake timeline', () => {
  it('has one row per tshark tcp.stream, with the engine\'s end states and alert badges', async () => {
    await poll(() => statusNumber(page, 'Packets')).toBe(tsharkCount(FILE));
    const streams = tsharkTcpStreams(FILE);
    await poll(() => overview().getAttribute('data-connections')).toBe(String(streams.length));
    const { ends, alerted } = engineReport();
    expect(alerted.size).toBeGreaterThan(0);
    const rows = await overview().locator('li[data-stream]').evaluateAll((els) => els.map((e) => ({ stream: Number(e.getAttribute('data-stream')), end: e.getAttribute('data-end'), text: e.textContent ?? '' })));
    expect(rows.map((x) => x.stream)).toEqual(streams.slice(0, rows.length));
    for (const row of rows) {
      expect(row.end, `stream ${row.stream}`).toBe(ends.get(row.stream));
      expect(row.text.includes('alert'), `stream ${row.stream} badge`).toBe(alerted.has(row.stream));
    }
    // Still open, half-closed and reset (captured one way: no SYN-ACK, so no handshake is seen
    // left half-open).
    expect(new Set(rows.map((x) => x.end)).size).toBeGreaterThanOrEqual(3);
    await shot(page, 'timeline-01-overview');
  });

  it('names the connection under the pointer in full in a tooltip (its row\'s label is cut to the column)', async () => {
    const { ends, endpoints } = engineReport();
    const canvas = region().locator('.timeline-canvas');
    const box = (await canvas.boundingBox())!;
    for (const stream of [1, 2]) {
      await page.mouse.move(box.x + 60, box.y + AXIS_HEIGHT + stream * ROW_HEIGHT + ROW_HEIGHT / 2);
      const lines = ((await canvas.getAttribute('title')) ?? '').split('\n');
      expect(lines.slice(0, 2), `stream ${stream}`).toEqual([`tcp.stream ${stream}: ${endpoints.get(stream)}`, ends.get(stream)]);
    }
    await page.mouse.move(box.x + 60, box.y - 40);
    expect(await canvas.getAttribute('title')).toBeNull();
  });

  it('shows the ladder of a connection with the frames and states `synscope tcp --stream N` prints', async () => {
    const stream = 10;
    await selectConnection(stream);
    const ladder = region().getByRole('group', { name: `Ladder of tcp.stream ${stream}` });
    await ladder.waitFor();
    await shot(page, 'timeline-02-ladder-folded');
    // Open every folded run of data segments.
    for (let run = ladder.locator('.ladder-run').first(); await run.count(); run = ladder.locator('.ladder-run').first()) await run.click();
    const arrows = await ladder.locator('[data-frame]').evaluateAll((els) => els.map((e) => ({
      frame: Number(e.getAttribute('data-frame')), client: e.getAttribute('data-client-state'), server: e.getAttribute('data-server-state'),
    })));
    const want = engineLadder(stream);
    expect(want.length).toBeGreaterThan(20);
    expect(arrows.map((a) => a.frame)).toEqual(want.map((w) => w.frame));
    for (const w of want) {
      if (!w.states) continue;
      const a = arrows.find((x) => x.frame === w.frame)!;
      expect([a.client, a.server], `frame ${w.frame}`).toEqual(w.states);
    }
    // The verdict in words, as the connections table has it.
    expect(await region().getByTestId('ladder-verdict').textContent()).toMatch(/handshake|SYN|no handshake/);
  });

  it('selects the packet of a clicked arrow, and lights the arrow of a packet selected in the list', async () => {
    const ladder = region().locator('.ladder-svg');
    const target = ladder.locator('[data-frame]').nth(2);
    const frame = Number(await target.getAttribute('data-frame'));
    await target.click();
    await poll(async () => (await page.getByRole('status').textContent()) ?? '').toContain(`Selected ${frame}`);
    await poll(() => target.getAttribute('aria-pressed')).toBe('true');
    // The other way: a packet of the same connection picked in the list (a neighbour of the
    // selected one, so the virtual list has its row on screen).
    const other = Number(await ladder.locator('[data-frame]').nth(1).getAttribute('data-frame'));
    await page.getByRole('grid', { name: 'Packets' }).getByRole('row').filter({ has: page.locator('[data-col="number"]', { hasText: new RegExp(`^${other}$`) }) }).click();
    await poll(() => ladder.locator(`[data-frame="${other}"]`).getAttribute('aria-pressed')).toBe('true');
    expect(await target.getAttribute('aria-pressed')).toBe('false');
    await shot(page, 'timeline-03-selected-arrow');
  });

  it('zooms around the pointer with the wheel, pans by dragging, and fits the capture on a double-click', async () => {
    const canvas = region().locator('.timeline-canvas');
    const box = (await canvas.boundingBox())!;
    // The window the canvas shows, in seconds, and the width of its plot (right of the labels).
    const shown = async () => {
      const [start, end, width] = await canvas.evaluate((c) => [c.dataset.viewStart, c.dataset.viewEnd, c.dataset.plotWidth].map(Number));
      return { start: start!, end: end!, width: width! };
    };
    const fitted = await shown();
    const labelWidth = box.width - fitted.width;
    const pointerX = box.width * 0.6;
    const timeUnderPointer = (w: { start: number; end: number; width: number }) => w.start + ((pointerX - labelWidth) / w.width) * (w.end - w.start);
    const times: number[] = [];
    await page.mouse.move(box.x + pointerX, box.y + 60);
    for (let i = 0; i < 10; i++) {
      await page.mouse.wheel(0, -200);
      await page.waitForTimeout(30);
      times.push(Number(await canvas.getAttribute('data-frame-ms')));
    }
    // Ten notches of the wheel (each zooms by e^(-200·0.0015)) keep the time under the pointer
    // (to within the pixel the browser rounds the pointer to).
    const zoomed = await shown();
    const span = (w: { start: number; end: number }) => w.end - w.start;
    expect(span(zoomed) / span(fitted)).toBeCloseTo(Math.exp(-200 * 0.0015 * 10), 3);
    expect(Math.abs(timeUnderPointer(zoomed) - timeUnderPointer(fitted))).toBeLessThan(span(fitted) / fitted.width);

    // Dragging 200 px to the left shows later times, by 200 px worth of the zoomed span.
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) {
      await page.mouse.move(box.x + pointerX - i * 20, box.y + 60);
      times.push(Number(await canvas.getAttribute('data-frame-ms')));
    }
    await page.mouse.up();
    const panned = await shown();
    expect(span(panned)).toBeCloseTo(span(zoomed), 9);
    expect((panned.start - zoomed.start) / span(zoomed)).toBeCloseTo(200 / zoomed.width, 3);
    await shot(page, 'timeline-04-zoomed');
    // How fast a redraw is gets measured by `npm run bench` (bench/ui.ts) on the 1M-packet
    // capture; here it is only reported.
    times.sort((a, b) => a - b);
    console.log(`overview redraw (23 connections): median ${times[times.length >> 1]} ms, max ${times[times.length - 1]} ms`);

    await canvas.dblclick({ position: { x: pointerX, y: 60 } });
    await poll(shown).toEqual(fitted);
  });

  it('filters to a conversation clicked in the statistics tables, and follows its stream as tshark\'s hex dump', async () => {
    await page.getByRole('tab', { name: /Conversations/ }).click();
    const table = page.getByRole('table', { name: 'TCP conversations' });
    const first = table.getByRole('row').nth(1);
    // The rows come with the analysis of the whole file: a row's filter once they are there.
    await poll(() => first.getAttribute('title')).toMatch(/^tcp\.stream == \d+$/);
    const filter = (await first.getAttribute('title'))!;
    await shot(page, 'timeline-06-conversations');
    await first.click();
    await poll(() => statusNumber(page, 'Displayed')).toBe(tsharkCount(FILE, filter));
    // The busiest connection's payload, followed: the dialog's hex dump starts as tshark's does.
    const stream = Number(filter.split('== ')[1]);
    await page.getByRole('grid', { name: 'Packets' }).getByRole('row').nth(1).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Follow TCP stream' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('radio', { name: 'Hex dump' }).check();
    const r = spawnSync('tshark', ['-n', '-r', FILE, '-q', '-z', `follow,tcp,hex,${stream}`], { encoding: 'utf8' });
    const theirs = r.stdout.split('\n').filter((l) => /^\t?[0-9A-F]{8}  /.test(l));
    expect(theirs.length).toBeGreaterThan(0);
    // The stream comes from the session after the dialog opens: its first line once it is there.
    const ours = async () => ((await dialog.getByLabel('Stream content').textContent()) ?? '').split('\n').filter(Boolean);
    await poll(async () => (await ours())[0]).toBe(theirs[0]);
    await shot(page, 'timeline-07-follow-hex');
    await page.keyboard.press('Escape');
    await page.getByRole('tab', { name: 'Handshake timeline' }).click();
  });

  it('reads well in the dark theme', async () => {
    await page.getByRole('button', { name: 'Switch to the dark theme' }).click();
    await poll(() => page.locator('html').getAttribute('data-theme')).toBe('dark');
    await region().locator('.timeline-canvas').dblclick();
    await selectConnection(2);
    await shot(page, 'timeline-05-dark');
    await page.getByRole('button', { name: 'Switch to the light theme' }).click();
  });

  it('a click right after the rows scrolled picks the row under the pointer', async () => {
    // The overview redraws on the scroll event, a frame after the scroll: a click in between
    // (a quick wheel then a click, or a loaded machine) picked the row that had been there.
    const target = 20;
    const picked = await overview().evaluate((el, { target, rowHeight, axis }) => {
      el.scrollTop = target * rowHeight;
      const canvas = el.querySelector('canvas')!;
      const r = canvas.getBoundingClientRect();
      const at = { clientX: r.left + 100, clientY: r.top + axis + target * rowHeight - el.scrollTop + rowHeight / 2, bubbles: true, button: 0, buttons: 1 };
      // The page's MouseEvent (this file is type-checked without the DOM library).
      const Mouse = (globalThis as unknown as { MouseEvent: new (type: string, init: object) => Event }).MouseEvent;
      canvas.dispatchEvent(new Mouse('mousedown', at));
      canvas.dispatchEvent(new Mouse('mouseup', at));
      return el.scrollTop;
    }, { target, rowHeight: ROW_HEIGHT, axis: AXIS_HEIGHT });
    // The overview really scrolled (it is shorter than its rows), so the stale offset was 0.
    expect(picked).toBeGreaterThan(0);
    await region().getByRole('group', { name: `Ladder of tcp.stream ${target}` }).waitFor();
    await poll(() => overview().locator(`li[data-stream="${target}"]`).getAttribute('aria-selected')).toBe('true');
    await overview().evaluate((el) => { el.scrollTop = 0; });
  });

  it('fits small windows: a folded run keeps its text in its box, and stacked under the list the timeline still shows connections', async () => {
    // Side by side at 1200 px the analysis pane is 480 px wide: a run's text is wider than the gap between the lanes.
    await page.setViewportSize({ width: 1200, height: 700 });
    await selectConnection(10);
    const run = region().locator('.ladder-run').first();
    await run.waitFor();
    const { box, texts } = await run.evaluate((g) => {
      type Boxed = { getBBox(): { x: number; width: number } };
      const bbox = (e: unknown) => {
        const b = (e as Boxed).getBBox();
        return { x: b.x, w: b.width };
      };
      return { box: bbox(g.querySelector('rect')), texts: [...g.querySelectorAll('.ladder-run-text')].map(bbox) };
    });
    expect(texts).toHaveLength(2);
    for (const t of texts) {
      expect(t.x).toBeGreaterThanOrEqual(box.x);
      expect(t.x + t.w).toBeLessThanOrEqual(box.x + box.w);
    }
    // 1024 × 640 stacks the analysis pane under the list, details and bytes: it had a fifth of
    // the height, the legend took it and no connection showed.
    await page.setViewportSize({ width: 1024, height: 640 });
    await poll(async () => (await region().boundingBox())?.x).toBe(0);
    await poll(() => overview().locator('li[data-stream]').count()).toBeGreaterThanOrEqual(3);
    expect((await region().locator('.timeline-legend').boundingBox())!.height).toBeLessThan(30);
    // The selected connection's row among them.
    await poll(() => overview().locator('li[aria-selected="true"]').count()).toBe(1);
    // Those rows are inside the pane, not under the status bar.
    const pane = (await region().boundingBox())!, rows = (await overview().boundingBox())!;
    expect(rows.y + rows.height).toBeLessThanOrEqual(pane.y + pane.height);
    await shot(page, 'timeline-06-small-window');
    await page.setViewportSize({ width: 1400, height: 860 });
    await region().locator('.timeline-canvas').waitFor();
  });

  it('logs no console error', () => {
    expect(ws.pageErrors).toEqual([]);
  });
});

// The Conversations · Endpoints · Alerts · Expert · Protocols tab in a real browser against `synscope web FILE`: the
// TCP conversations are tshark's `-z conv,tcp` rows (as many, the busiest first, the quietest
// last), only the rows in view are in the document however many there are, every row is as tall
// as the table's arithmetic says, and a click on a row applies the filter that shows exactly it.
// Expert info lists tshark's `-z expert` rows, most severe first, and a click on one shows the
// packets that carry that note. Protocols lists the packets on display as tshark's `-z io,phs`
// counts them with the same filter. The status bar counts the alerts and opens their tab.
import { spawnSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointText } from '../../renderer/panels/panel-logic.js';
import { corpusPath } from '../helpers/corpus.js';
import { tsharkFields } from '../helpers/tshark.js';
import { poll } from './poll.js';
import { openWorkstation, shot, statusNumber, synscopeOutput, tsharkCount, typeFilter, type Workstation } from './web-app.js';

// 126 TCP conversations: more than the pane shows at once.
const FILE = corpusPath('pcapplusplus/many-protocols.pcap');

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

/** tshark -z conv,tcp: per row, the two endpoints ("addr:port") and the total frames, in tshark's order. */
function tsharkConversations(): Array<{ endpoints: string[]; frames: number }> {
  const r = spawnSync('tshark', ['-n', '-r', FILE, '-q', '-z', 'conv,tcp'], { encoding: 'utf8' });
  return r.stdout.split('\n').filter((l) => l.includes('<->')).map((l) => {
    const f = l.trim().split(/\s+/);
    // A <-> B  framesBA bytesBA unit framesAB bytesAB unit framesTotal ...
    return { endpoints: [f[0]!, f[2]!].sort(), frames: Number(f[9]) };
  });
}

const table = () => page.getByRole('table', { name: 'TCP conversations' });
const bodyRows = () => table().locator('tbody tr:not(.panel-spacer)');

/** The endpoints ("addr:port" as tshark writes them, sorted) and total packets of a rendered row. */
async function rowOf(i: number): Promise<{ endpoints: string[]; frames: number }> {
  const cells = await bodyRows().nth(i).locator('td').allTextContents();
  // The table brackets an IPv6 address ("[2001:db8::1]:443"); tshark's conv does not.
  const plain = (endpoint: string) => endpoint.replace(/^\[(.*)\]:(\d+)$/, '$1:$2');
  return { endpoints: [plain(cells[0]!), plain(cells[1]!)].sort(), frames: Number(cells[2]) };
}

describe('the statistics panels', () => {
  it('list tshark\'s TCP conversations, drawing only the rows in view', async () => {
    const want = tsharkConversations();
    expect(want.length).toBeGreaterThan(100);
    await page.getByRole('tab', { name: 'Conversations · Endpoints · Alerts · Expert · Protocols' }).click();
    await poll(() => page.getByRole('tab', { name: /^TCP conversations/ }).textContent()).toBe(`TCP conversations (${want.length})`);
    await poll(() => bodyRows().count()).toBeGreaterThan(10);
    // Far fewer rows in the document than conversations: the rest are two spacer rows.
    expect(await bodyRows().count()).toBeLessThan(want.length / 2);
    // Every row is exactly as tall as the spacers count it, or the scroll position would drift.
    const heights = await bodyRows().evaluateAll((rows) => rows.map((r) => r.getBoundingClientRect().height));
    expect(new Set(heights)).toEqual(new Set([22]));
    // The busiest first (tshark's first row).
    expect(await rowOf(0)).toEqual(want[0]);
    await shot(page, 'statistics-01-tcp-conversations');

    // Scrolled to the end: the quietest conversations, as few packets as tshark's last rows.
    await table().locator('xpath=..').evaluate((e) => (e.scrollTop = e.scrollHeight));
    const fewest = Math.min(...want.map((w) => w.frames));
    await poll(async () => (await rowOf((await bodyRows().count()) - 1)).frames).toBe(fewest);
    expect(await bodyRows().count()).toBeLessThan(want.length / 2);
    await shot(page, 'statistics-02-scrolled-to-the-end');
    expect(ws.pageErrors).toEqual([]);
  });

  it('shows a TCP connection\'s handshake RTT (tshark\'s initial_rtt), who closed first and how it ended', async () => {
    // tshark's tcp.analysis.initial_rtt of each stream; the slowest handshake comes first once sorted.
    const rtts = new Map<number, string>();
    for (const [stream, rtt] of tsharkFields(FILE, ['tcp.stream', 'tcp.analysis.initial_rtt'], ['-Y', 'tcp.analysis.initial_rtt']).rows) {
      if (!rtts.has(Number(stream))) rtts.set(Number(stream), rtt!);
    }
    const [slowStream, slowRtt] = [...rtts].reduce((a, b) => (Number(b[1]) > Number(a[1]) ? b : a));
    await table().locator('xpath=..').evaluate((e) => (e.scrollTop = 0));
    const rttHeader = table().getByRole('columnheader', { name: /^RTT/ });
    expect(await rttHeader.getAttribute('title')).toMatch(/^Handshake RTT/);
    await rttHeader.getByRole('button').click();
    await poll(() => bodyRows().nth(0).getAttribute('title')).toBe(`tcp.stream == ${slowStream}`);
    const cells = await bodyRows().nth(0).locator('td').allTextContents();
    expect(cells[3]).toBe(`${(Number(slowRtt) * 1000).toFixed(3)} ms`);
    // Who closed first and the end state: the lifecycle `synscope tcp --json` prints for it.
    const c = JSON.parse(synscopeOutput(['tcp', FILE, '--stream', String(slowStream), '--json']).split('\n')[0]!) as {
      end: string; client: { addr: string; port: number }; server: { addr: string; port: number };
      teardown: { closedFirstBy?: 'client' | 'server'; resetBy?: 'client' | 'server' };
    };
    const closer = c.teardown.closedFirstBy ?? c.teardown.resetBy;
    const ep = closer ? c[closer] : null;
    expect(cells[4]).toBe(ep ? (endpointText(ep.addr, ep.port) === cells[0] ? 'A' : 'B') : '–');
    expect(cells[5]).toBe(c.end);
    // The columns SynScope adds are in view in the pane's default width, without scrolling.
    const pane = await table().locator('xpath=..').boundingBox();
    const end = await table().getByRole('columnheader', { name: /^End( [▲▼])?$/ }).boundingBox();
    expect(end!.x + end!.width).toBeLessThanOrEqual(pane!.x + pane!.width);
    await shot(page, 'statistics-03-sorted-by-handshake-rtt');
    // Back to the busiest first for the next steps.
    await table().getByRole('columnheader', { name: /^Packets/ }).first().getByRole('button').click();
    await poll(async () => (await rowOf(0)).frames).toBe(tsharkConversations()[0]!.frames);
  });

  it('applies the filter of a clicked conversation, which displays as many packets as tshark', async () => {
    await table().locator('xpath=..').evaluate((e) => (e.scrollTop = 0));
    await poll(async () => (await rowOf(0)).frames).toBe(tsharkConversations()[0]!.frames);
    const filter = await bodyRows().nth(0).getAttribute('title');
    expect(filter).toMatch(/^tcp\.stream == \d+$/);
    await bodyRows().nth(0).click();
    await poll(() => statusNumber(page, 'Displayed')).toBe(tsharkCount(FILE, filter!));
    expect(await statusNumber(page, 'Displayed')).toBe(tsharkConversations()[0]!.frames);
    expect(ws.pageErrors).toEqual([]);
  });

  it('counts the health alerts in the status bar (those `synscope tcp` reports) and lists them on a click', async () => {
    const want = synscopeOutput(['tcp', FILE, '--json']).split('\n').filter((l) => l.startsWith('{"type":"alert"'))
      .map((l) => (JSON.parse(l) as { message: string }).message);
    expect(want.length).toBeGreaterThan(0);
    await page.getByRole('tab', { name: 'Handshake timeline' }).click();
    const button = page.getByRole('status').getByRole('button', { name: /Alerts \d+/ });
    await poll(() => button.textContent()).toBe(`⚠ Alerts ${want.length}`);
    const title = (await button.getAttribute('title')) ?? '';
    for (const m of want.slice(0, 5)) expect(title).toContain(m);
    await button.click();
    await poll(() => page.getByRole('tab', { name: /^Alerts/ }).getAttribute('aria-selected')).toBe('true');
    const rows = page.getByRole('table', { name: 'Alerts' }).locator('tbody tr:not(.panel-spacer)');
    await poll(() => rows.count()).toBe(want.length);
    const messages = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelectorAll('td')[4]?.textContent ?? ''));
    expect(messages.sort()).toEqual([...want].sort());
    await shot(page, 'statistics-05-alerts-from-status-bar');
    expect(ws.pageErrors).toEqual([]);
  });

  it('lists tshark\'s expert notes, most severe first, and filters to the packets of a clicked one', async () => {
    // tshark -z expert: per row its severity section, count, protocol and message.
    const sections = spawnSync('tshark', ['-n', '-r', FILE, '-q', '-z', 'expert'], { encoding: 'utf8' }).stdout.split(/\n(?=\w+ \(\d+\)\n)/);
    const want = sections.flatMap((s) => {
      const title = /^(\w+) \((\d+)\)/.exec(s);
      return title ? s.split('\n').slice(3).filter(Boolean).map((l) => ({ section: title[1]!, count: Number(/^\s*(\d+)/.exec(l)![1]), message: l.slice(44) })) : [];
    });
    const total = want.reduce((n, r) => n + r.count, 0);
    await page.getByRole('tab', { name: /^Expert info/ }).click();
    await poll(() => page.getByRole('tab', { name: /^Expert info/ }).textContent()).toBe(`Expert info (${total})`);
    const expert = page.getByRole('table', { name: 'Expert information' });
    const rows = expert.locator('tbody tr:not(.panel-spacer)');
    await poll(() => rows.count()).toBeGreaterThan(10);
    // Most severe first: tshark's first section (Errors) and its first row.
    const first = await rows.nth(0).locator('td').allTextContents();
    expect(first[0]).toBe('Error');
    expect(Number(first[1])).toBe(want[0]!.count);
    expect(first[3]).toBe(want[0]!.message);
    await shot(page, 'statistics-03-expert-info');
    // A warning about a reset: its filter shows the packets that carry it, as tshark selects them.
    const reset = rows.filter({ hasText: 'Connection reset (RST)' });
    const filter = await reset.getAttribute('title');
    expect(filter).toBe('_ws.expert.message == "Connection reset (RST)"');
    await reset.click();
    await poll(() => statusNumber(page, 'Displayed')).toBe(tsharkCount(FILE, filter!));
    expect(await statusNumber(page, 'Displayed')).toBe(want.find((r) => r.message === 'Connection reset (RST)')!.count);
    await shot(page, 'statistics-04-expert-filter');
    expect(ws.pageErrors).toEqual([]);
  });

  it('lists the protocol hierarchy of the packets on display as tshark -z io,phs counts them, and applies a clicked protocol', async () => {
    /** tshark's table, "    tcp                                 frames:12 bytes:900" (two spaces a level), as rows. */
    const phs = (display?: string) => spawnSync('tshark', ['-n', '-r', FILE, '-q', '-z', display ? `io,phs,${display}` : 'io,phs'], { encoding: 'utf8' }).stdout
      .split('\n').flatMap((l) => {
        const m = /^( *)(\S+)\s+frames:(\d+) bytes:\d+$/.exec(l);
        return m ? [{ depth: m[1]!.length / 2, filter: m[2]!, packets: Number(m[3]) }] : [];
      });
    const hierarchy = page.getByRole('table', { name: 'Protocol hierarchy' });
    const rows = hierarchy.locator('tbody tr:not(.panel-spacer)');
    // The rows drawn (those in view): depth from the name's indent, the filter from the title.
    const shown = () => rows.evaluateAll((trs) => trs.map((tr) => {
      const cells = [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '');
      return { depth: /^\u00a0*/.exec(cells[0]!)![0].length / 3, filter: tr.getAttribute('title') ?? '', packets: Number(cells[2]) };
    }));
    // Every packet on display (the previous test left a filter).
    await typeFilter(page, '');
    await poll(() => statusNumber(page, 'Displayed')).toBe(await statusNumber(page, 'Packets'));
    const want = phs();
    expect(want.length).toBeGreaterThan(20);
    await page.getByRole('tab', { name: 'Protocols', exact: true }).click();
    await poll(() => rows.first().getAttribute('title')).toBe(want[0]!.filter);
    const first = await shown();
    expect(first.length).toBeGreaterThan(5);
    expect(first).toEqual(want.slice(0, first.length));
    await shot(page, 'statistics-05-protocol-hierarchy');
    // A click applies the protocol: as many packets as tshark shows with it, and the table counts them.
    await rows.filter({ has: page.locator('td', { hasText: /^\u00a0+Transmission Control Protocol$/ }) }).first().click();
    const tcp = tsharkCount(FILE, 'tcp');
    await poll(() => statusNumber(page, 'Displayed')).toBe(tcp);
    const wantTcp = phs('tcp');
    await poll(async () => (await shown())[0]?.packets).toBe(wantTcp[0]!.packets);
    const again = await shown();
    expect(again).toEqual(wantTcp.slice(0, again.length));
    expect(await rows.first().locator('td').nth(1).textContent()).toBe(`${((100 * wantTcp[0]!.packets) / tcp).toFixed(1)}%`);
    expect(ws.pageErrors).toEqual([]);
  });
});

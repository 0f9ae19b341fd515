// The Handshake timeline on a capture this test makes itself: two kernel TCP stacks in network
// namespaces (test/netns/scenarios.ts) open normal HTTP connections, are refused, reset with
// SO_LINGER 0, half-close, and take a bounded 200-SYN burst from hping3. The captures are merged
// into one file, and `synscope web` on it must show tshark's number of connections, every end
// state `synscope tcp --json` gives, the SYN-flood alert naming the attacked service, and an
// arrow of a ladder that selects its packet in the packet list — in light and dark themes.
//
// Needs root and ip/tcpdump/python3/iptables/hping3 (CI has them); skipped elsewhere with the
// reason printed, and required in CI.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poll } from './poll.js';
import { makeScenarioCapture, netnsAvailable, SERVER4, type ScenarioName } from '../netns/scenarios.js';
import { openWorkstation, shot, synscopeOutput, type Workstation } from './web-app.js';

const avail = netnsAvailable();
if (!avail.ok) console.log(`generated timeline e2e skipped: ${avail.why}`);

const SCENARIOS: readonly ScenarioName[] = ['http', 'refused', 'reset', 'half-close', 'syn-flood'];
const ROW_HEIGHT = 18;
const AXIS_HEIGHT = 22;

let dir: string;
let file: string;
/** How many connections the scenarios made: their clients' connections and the SYNs hping3 sent. */
let made = 0;
const scenarioDirs: string[] = [];
let ws: Workstation | undefined;
let page: Page;

function tshark(args: string[]): string {
  const r = spawnSync('tshark', ['-n', ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.error) throw r.error;
  return r.stdout;
}

/**
 * The half-close capture as if tcpdump had stopped while its last connection was still
 * half-closed: every frame before the server's FIN of that connection (the client's FIN came
 * first, then the server kept sending data).
 */
function stopBeforeLastServerFin(pcap: string, out: string): void {
  const fins = tshark(['-r', pcap, '-Y', 'tcp.flags.fin == 1', '-T', 'fields', '-e', 'frame.number', '-e', 'tcp.stream'])
    .split('\n').filter(Boolean).map((l) => l.split('\t').map(Number) as [number, number]);
  const last = Math.max(...fins.map(([, s]) => s));
  const lastFins = fins.filter(([, s]) => s === last).map(([f]) => f);
  if (lastFins.length !== 2) throw new Error(`expected two FINs in tcp.stream ${last} of ${pcap}, found ${lastFins.length}`);
  execFileSync('editcap', ['-r', pcap, out, `1-${lastFins[1]! - 1}`]);
}

/** Every scenario's capture, merged into one file in time order. */
async function makeCapture(): Promise<string> {
  dir = mkdtempSync(join(tmpdir(), 'synscope-timeline-e2e-'));
  const parts: string[] = [];
  for (const name of SCENARIOS) {
    const { pcap, expect: did } = await makeScenarioCapture(name);
    made += did.connections.length + Number(did.info['syns'] ?? 0);
    scenarioDirs.push(dirname(pcap));
    if (name === 'half-close') {
      const cut = join(dir, 'half-close-cut.pcap');
      stopBeforeLastServerFin(pcap, cut);
      parts.push(cut);
    } else parts.push(pcap);
  }
  const merged = join(dir, 'generated.pcap');
  execFileSync('mergecap', ['-w', merged, ...parts]);
  return merged;
}

/** tshark's connections: the distinct tcp.stream values. */
function tsharkStreams(): number[] {
  const values = tshark(['-r', file, '-T', 'fields', '-e', 'tcp.stream']).split('\n').filter(Boolean).map(Number);
  return [...new Set(values)].sort((a, b) => a - b);
}

interface EngineAlert { kind: string; service?: string; message: string; streams: number[] }

/** `synscope tcp --json`: the end state of each connection and the alerts. */
function engineReport(): { ends: Map<number, string>; alerts: EngineAlert[] } {
  const out = synscopeOutput(['tcp', file, '--json']);
  const ends = new Map<number, string>();
  const alerts: EngineAlert[] = [];
  for (const line of out.split('\n').filter(Boolean)) {
    const o = JSON.parse(line) as { type: string; stream?: number; end?: string } & EngineAlert;
    if (o.type === 'connection') ends.set(o.stream!, o.end!);
    else if (o.type === 'alert') alerts.push(o);
  }
  return { ends, alerts };
}

const region = () => page.getByRole('region', { name: 'Handshake timeline' });
const overview = () => region().locator('.timeline-overview');

interface OverviewRow { stream: number; end: string | null; text: string }

const drawnRows = (): Promise<OverviewRow[]> => overview().locator('li[data-stream]').evaluateAll((els) => els.map((e) => ({
  stream: Number(e.getAttribute('data-stream')), end: e.getAttribute('data-end'), text: e.textContent ?? '',
})));

/** Every row of the virtualized overview: scrolls it top to bottom, reading the rows drawn. */
async function allOverviewRows(): Promise<Map<number, OverviewRow>> {
  const seen = new Map<number, OverviewRow>();
  const count = Number(await overview().getAttribute('data-connections'));
  await overview().evaluate((e) => { e.scrollTop = 0; });
  await poll(async () => (await drawnRows())[0]?.stream).toBe(0);
  let rows = await drawnRows();
  for (;;) {
    for (const r of rows) seen.set(r.stream, r);
    const lastDrawn = Math.max(...rows.map((r) => r.stream));
    if (lastDrawn >= count - 1) break;
    // The last row drawn becomes the top one; the next render draws rows past it.
    await overview().evaluate((e, t) => { e.scrollTop = t; }, lastDrawn * ROW_HEIGHT);
    await poll(async () => Math.max(...(await drawnRows()).map((r) => r.stream)) > lastDrawn).toBe(true);
    rows = await drawnRows();
  }
  await overview().evaluate((e) => { e.scrollTop = 0; });
  return seen;
}

/** Clicks the overview row at INDEX (rows are in tcp.stream order), scrolled to the top of the view. */
async function selectConnection(index: number): Promise<void> {
  const top = await overview().evaluate((e, t) => { e.scrollTop = t; return e.scrollTop; }, index * ROW_HEIGHT);
  await poll(() => overview().locator(`li[data-stream="${index}"]`).count()).toBe(1);
  // The canvas stays in view while the list scrolls under it.
  const box = (await region().locator('.timeline-canvas').boundingBox())!;
  await page.mouse.click(box.x + 100, box.y + AXIS_HEIGHT + index * ROW_HEIGHT - top + ROW_HEIGHT / 2);
}

describe.skipIf(!avail.ok && process.env.CI !== 'true')('the handshake timeline of a capture made in network namespaces', () => {
  beforeAll(async () => {
    const t = Date.now();
    file = await makeCapture();
    console.log(`generated capture: ${SCENARIOS.join(', ')} in ${Date.now() - t} ms`);
    ws = await openWorkstation([file]);
    page = ws.page;
    await page.getByRole('grid', { name: 'Packets' }).waitFor();
  }, 120_000);

  afterAll(async () => {
    await ws?.close();
    for (const d of [dir, ...scenarioDirs]) if (d) rmSync(d, { recursive: true, force: true });
  });

  it('shows tshark\'s connections, each with the end state `synscope tcp --json` gives', async () => {
    const streams = tsharkStreams();
    const { ends } = engineReport();
    // 3 HTTP × 2 families, 3 refused × 2, 4 reset, 2 half-close × 2, 200 spoofed SYNs.
    expect(streams.length).toBe(made);
    expect([...ends.keys()].sort((a, b) => a - b)).toEqual(streams);
    expect([...new Set(ends.values())]).toEqual(expect.arrayContaining(['closed', 'refused', 'reset', 'half-closed', 'half-open']));

    await poll(() => overview().getAttribute('data-connections')).toBe(String(streams.length));
    const rows = await allOverviewRows();
    expect([...rows.keys()].sort((a, b) => a - b)).toEqual(streams);
    for (const s of streams) expect(rows.get(s)!.end, `tcp.stream ${s}`).toBe(ends.get(s));
    await shot(page, 'timeline-generated-01-overview');
  });

  it('badges the flooded connections and lists the SYN flood naming the attacked service', async () => {
    const { alerts } = engineReport();
    const flood = alerts.find((a) => a.kind === 'syn-flood');
    expect(flood?.service).toBe(`${SERVER4}:8080`);
    const alerted = new Set(alerts.flatMap((a) => a.streams));
    const rows = await allOverviewRows();
    for (const [s, row] of rows) expect(row.text.includes('alert'), `tcp.stream ${s} badge`).toBe(alerted.has(s));
    for (const s of flood!.streams) expect(rows.get(s)!.text).toMatch(/\d+ alert\(s\)$/);

    await page.getByRole('tab', { name: /Conversations · Endpoints · Alerts · Expert/ }).click();
    await page.getByRole('tab', { name: /^Alerts \(\d+\)$/ }).click();
    const table = page.getByRole('table', { name: 'Alerts' });
    const floodRow = table.getByRole('row').filter({ hasText: 'syn-flood' });
    await poll(() => floodRow.count()).toBe(1);
    const text = (await floodRow.textContent()) ?? '';
    expect(text).toContain(`${SERVER4}:8080`);
    expect(text).toContain(flood!.message);
    expect(text).toContain(String(flood!.streams.length));
    await shot(page, 'timeline-generated-02-alerts');
    await page.getByRole('tab', { name: 'Handshake timeline' }).click();
  });

  it('selects the packet of a clicked arrow in the packet list', async () => {
    // The first connection reset by the server (SO_LINGER 0): short enough that no run folds.
    const { ends } = engineReport();
    const streams = tsharkStreams();
    const reset = streams.filter((s) => ends.get(s) === 'reset');
    const stream = reset[reset.length - 1]!;
    await selectConnection(streams.indexOf(stream));
    const ladder = region().getByRole('group', { name: `Ladder of tcp.stream ${stream}` });
    await ladder.waitFor();
    const frames = tshark(['-r', file, '-Y', `tcp.stream == ${stream}`, '-T', 'fields', '-e', 'frame.number']).split('\n').filter(Boolean).map(Number);
    const arrows = ladder.locator('[data-frame]');
    expect(await arrows.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-frame'))))).toEqual(frames);

    const target = arrows.nth(3);
    const frame = Number(await target.getAttribute('data-frame'));
    await target.click();
    const selectedRow = page.getByRole('grid', { name: 'Packets' }).locator('[role="row"][aria-selected="true"]');
    await poll(async () => (await selectedRow.count()) === 1 ? await selectedRow.locator('[data-col="number"]').textContent() : null).toBe(String(frame));
    await poll(() => target.getAttribute('aria-pressed')).toBe('true');
    await shot(page, 'timeline-generated-03-arrow-selected');
  });

  it('reads well in the dark theme', async () => {
    await page.getByRole('button', { name: 'Switch to the dark theme' }).click();
    await poll(() => page.locator('html').getAttribute('data-theme')).toBe('dark');
    await shot(page, 'timeline-generated-04-dark');
    await page.getByRole('button', { name: 'Switch to the light theme' }).click();
    await poll(() => page.locator('html').getAttribute('data-theme')).toBe('light');
  });

  it('logs no console error', () => {
    expect(ws!.pageErrors).toEqual([]);
  });
});

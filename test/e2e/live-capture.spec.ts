// A live capture on the loopback interface from the browser: Capture options → lo with a
// capture filter, the test sends UDP datagrams to two ports, only the filtered port's arrive,
// every one of them (counted by the sender), rows appear while capturing, Stop stops, and the
// saved capture reads back in tshark with the same packets.
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkstation, shot, statusNumber as statusOf, tsharkCount, type Workstation } from './web-app.js';
import { fillCaptureOptions, saveAllPackets } from './user-steps.js';
import { poll } from './poll.js';

const tmp = mkdtempSync(join(tmpdir(), 'synscope-e2e-live-'));
// Ports unlikely to carry anything else on lo during the test: below Linux's ephemeral range
// (32768-60999), where another test's connection may have been given one, and apart from
// live-timeline.spec.ts's (20000-30001).
const PORT = 10000 + (process.pid % 10000);
const OTHER_PORT = PORT + 1;

let ws: Workstation;
let page: Page;
const sockets: Socket[] = [];

beforeAll(async () => {
  ws = await openWorkstation([]);
  page = ws.page;
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await ws?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const statusNumber = (label: 'Packets' | 'Displayed') => statusOf(page, label);
const statusText = async () => (await page.getByRole('status').textContent()) ?? '';

/** Binds a UDP receiver on 127.0.0.1:port so the datagrams are delivered (no ICMP unreachable). */
async function receiver(port: number): Promise<void> {
  const s = createSocket('udp4');
  sockets.push(s);
  await new Promise<void>((resolve) => s.bind(port, '127.0.0.1', () => resolve()));
}

/** Sends `count` datagrams to each port, a few milliseconds apart; resolves when all are out. */
async function sendDatagrams(count: number): Promise<void> {
  const s = createSocket('udp4');
  sockets.push(s);
  for (let i = 0; i < count; i++) {
    for (const port of [PORT, OTHER_PORT]) {
      await new Promise<void>((resolve, reject) => s.send(Buffer.from(`synscope e2e ${i}`), port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('live capture on lo', () => {
  it('captures only what the capture filter lets through, every packet of it, and stops', async () => {
    await receiver(PORT);
    await receiver(OTHER_PORT);
    const dialog = await fillCaptureOptions(page, 'lo', `udp dst port ${PORT}`);
    await shot(page, '30-capture-options');
    await dialog.getByRole('button', { name: 'Start', exact: true }).click();
    await poll(statusText).toContain('Capturing on lo');

    const SENT = 150;
    await sendDatagrams(SENT);
    await poll(() => statusNumber('Packets')).toBe(SENT);
    await poll(() => page.getByRole('grid', { name: 'Packets' }).getByRole('row').count()).toBeGreaterThan(5);
    await shot(page, '31-capturing');

    await page.getByRole('button', { name: 'Stop capturing (Ctrl+E)' }).click();
    await poll(statusText).toContain('Capture stopped');
    expect(await statusNumber('Packets')).toBe(SENT);
    const infos = await page.getByRole('grid', { name: 'Packets' }).locator('[data-col="info"]').allTextContents();
    expect(infos.length).toBeGreaterThan(5);
    for (const info of infos) expect(info).toContain(`→ ${PORT}`);
    const protocols = new Set(await page.getByRole('grid', { name: 'Packets' }).locator('[data-col="protocol"]').allTextContents());
    expect(protocols).toEqual(new Set(['UDP']));
    await shot(page, '32-stopped');

    // Nothing arrives after Stop.
    await sendDatagrams(10);
    await new Promise((r) => setTimeout(r, 600));
    expect(await statusNumber('Packets')).toBe(SENT);

    // Save all: tshark reads the same packets back, all to the filtered port.
    const out = join(tmp, 'lo.pcapng');
    await saveAllPackets(page, out);
    expect(await page.getByText(`Saved ${SENT} packets to ${out}`).count()).toBe(1);
    expect(tsharkCount(out)).toBe(SENT);
    expect(tsharkCount(out, `udp.dstport == ${PORT}`)).toBe(SENT);
    expect(ws.pageErrors).toEqual([]);
  });
});

// Before the session answers tcp.connections (it does once its first pass has seen every packet:
// seconds for a capture of a million packets) the Handshake timeline says it is still looking,
// not that the capture has no TCP connection. The spec holds the session's answer back in the
// browser's WebSocket (Playwright's routeWebSocket), checks what the user sees meanwhile, then
// lets it through; a capture without TCP then does say so. A file's whole list is asked for
// once; while it is held, the connections found so far (tcp.connections with soFar) are shown.
import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { corpusPath } from '../helpers/corpus.js';
import { poll } from './poll.js';
import { collectPageErrors, launchChromium, shot, startWeb, tsharkCount, tsharkTcpStreams, type WebApp } from './web-app.js';

let app: WebApp | null = null;
let browser: Browser | null = null;

afterEach(async () => {
  await browser?.close();
  await app?.stop();
  browser = null;
  app = null;
});

/** The session's answers to tcp.connections, held until release() sends them on. */
interface HeldConnections {
  release(): void;
  /** Answers held so far. */
  held(): number;
  /** Requests the page made for the whole list, and for the connections found so far. */
  asked(): number;
  askedSoFar(): number;
}

/**
 * Opens `file` in the workstation with the session's answers to tcp.connections held back:
 * all of them, or with `passSoFar` only those for the whole list.
 */
async function openHoldingConnections(file: string, passSoFar = false): Promise<{ page: Page; errors: string[]; hold: HeldConnections }> {
  app = await startWeb([file]);
  browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  const errors = collectPageErrors(page);
  const asked = new Set<number>();
  const askedSoFar = new Set<number>();
  let held: string[] = [];
  let released = false;
  let client: WebSocketRoute | null = null;
  await page.routeWebSocket(/\/ws\b/, (ws) => {
    client = ws;
    const server = ws.connectToServer();
    ws.onMessage((m) => {
      const text = m.toString();
      const msg = JSON.parse(text) as { id?: number; channel?: string; args?: { soFar?: boolean } };
      if (msg.channel === 'tcp.connections' && typeof msg.id === 'number') (msg.args?.soFar ? askedSoFar : asked).add(msg.id);
      server.send(text);
    });
    server.onMessage((m) => {
      const text = m.toString();
      const msg = JSON.parse(text) as { id?: number };
      if (!released && typeof msg.id === 'number' && (asked.has(msg.id) || (!passSoFar && askedSoFar.has(msg.id)))) held.push(text);
      else ws.send(text);
    });
  });
  await page.goto(app.url);
  return {
    page,
    errors,
    hold: {
      release() {
        released = true;
        for (const text of held) client!.send(text);
        held = [];
      },
      held: () => held.length,
      asked: () => asked.size,
      askedSoFar: () => askedSoFar.size,
    },
  };
}

const timeline = (page: Page) => page.getByRole('region', { name: 'Handshake timeline' });
const overview = (page: Page) => timeline(page).locator('.timeline-overview');

describe('the handshake timeline while the connections are not known yet', () => {
  it('says it is finding them, then lists as many as tshark has TCP streams', async () => {
    const file = corpusPath('zeek/http/get.pcap');
    const { page, errors, hold } = await openHoldingConnections(file);
    await page.getByRole('grid', { name: 'Packets' }).waitFor();
    // The answer came and is held: what the user sees now is what a slow first pass shows.
    await poll(() => hold.held()).toBeGreaterThan(0);
    await poll(() => timeline(page).textContent()).toContain('Finding TCP connections…');
    expect(await timeline(page).textContent()).not.toContain('No TCP connections');
    expect(await overview(page).getAttribute('data-connections')).toBe('0');
    await shot(page, 'timeline-loading-01-finding');
    hold.release();
    const streams = tsharkTcpStreams(file).length;
    expect(streams).toBeGreaterThan(0);
    await poll(() => overview(page).getAttribute('data-connections')).toBe(String(streams));
    expect(await timeline(page).textContent()).not.toContain('Finding TCP connections');
    // A file's list is read once: the answer comes after the session's pass saw every packet,
    // so neither the summaries queued before the pane mounted nor the pass's connection events
    // call for another read (which, on a big capture, is another list of tens of megabytes).
    await page.waitForTimeout(1500);
    expect(hold.asked()).toBe(1);
    expect(errors).toEqual([]);
  });

  it('shows the connections found so far while the whole list is on its way', async () => {
    const file = corpusPath('pcapplusplus/many-protocols.pcap');
    const streams = tsharkTcpStreams(file).length;
    const { page, errors, hold } = await openHoldingConnections(file, true);
    // The whole list is held; the page asks for what was found so far and draws it. (This
    // capture's pass is long done: so far is everything.)
    await poll(() => overview(page).getAttribute('data-connections')).toBe(String(streams));
    expect(await overview(page).getAttribute('data-loading')).toBe('true');
    expect(hold.held()).toBe(1);
    expect(hold.askedSoFar()).toBeGreaterThan(0);
    await shot(page, 'timeline-loading-03-so-far');
    hold.release();
    await poll(() => overview(page).getAttribute('data-loading')).toBe('false');
    expect(await overview(page).getAttribute('data-connections')).toBe(String(streams));
    // Once the whole list came, no more reads of a partial one.
    const partialReads = hold.askedSoFar();
    await page.waitForTimeout(2500);
    expect(hold.askedSoFar()).toBe(partialReads);
    expect(hold.asked()).toBe(1);
    expect(errors).toEqual([]);
  });

  it('says there is none once the session answered for a capture without TCP', async () => {
    // IPv6 fragments of DNS answers: UDP only.
    const file = corpusPath('zeek/ipv6-fragmented-dns.pcap');
    expect(tsharkCount(file, 'tcp')).toBe(0);
    const { page, errors, hold } = await openHoldingConnections(file);
    await poll(() => hold.held()).toBeGreaterThan(0);
    await poll(() => timeline(page).textContent()).toContain('Finding TCP connections…');
    hold.release();
    await poll(() => timeline(page).textContent()).toContain('No TCP connections in this capture.');
    expect(await timeline(page).textContent()).not.toContain('Finding');
    await shot(page, 'timeline-loading-02-none');
    expect(errors).toEqual([]);
  });
});

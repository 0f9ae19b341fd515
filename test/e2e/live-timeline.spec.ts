// The Handshake timeline of a live capture fills as connections happen: the test opens TCP
// connections on the loopback interface while SynScope captures them, and the overview lists
// each one before the capture stops (a file's list is read once; a capture's follows its
// connection events). After Stop, the saved capture has as many tcp.streams in tshark. A
// connection refused while capturing is an alert at once; a SYN nobody answers, 3 s after it.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkstation, shot, tsharkCount, tsharkTcpStreams, type Workstation } from './web-app.js';
import { fillCaptureOptions, saveAllPackets } from './user-steps.js';
import { poll } from './poll.js';

const tmp = mkdtempSync(join(tmpdir(), 'synscope-e2e-live-tcp-'));
// A port unlikely to carry anything else on lo during the test (it, +1 and +2), below Linux's
// ephemeral range (32768-60999): at 30000 + pid it once met a port another test's connection
// had been given (EADDRINUSE).
const PORT = 20000 + (process.pid % 10000);

let ws: Workstation;
let page: Page;
let server: Server;

beforeAll(async () => {
  // Answers every line with "ok" and closes when the client does.
  server = createServer((s) => {
    s.on('data', () => s.write('ok\n'));
    s.on('end', () => s.end());
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(PORT, '127.0.0.1', () => resolve()));
  ws = await openWorkstation([]);
  page = ws.page;
});

afterAll(async () => {
  server?.close();
  await ws?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** One short exchange on a new connection: connect, a line each way, close. */
function exchange(): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = createConnection(PORT, '127.0.0.1', () => c.write('hello\n'));
    c.once('data', () => c.end());
    c.once('close', () => resolve());
    c.once('error', reject);
  });
}

const statusText = async () => (await page.getByRole('status').textContent()) ?? '';
const overview = () => page.getByRole('region', { name: 'Handshake timeline' }).locator('.timeline-overview');

describe('the handshake timeline of a live capture', () => {
  it('lists each TCP connection while capturing, as many as tshark finds in the saved capture', async () => {
    const dialog = await fillCaptureOptions(page, 'lo', `tcp port ${PORT}`);
    await dialog.getByRole('button', { name: 'Start', exact: true }).click();
    await poll(statusText).toContain('Capturing on lo');

    // Three connections, then two more once the first are listed: the list follows the capture.
    for (let i = 0; i < 3; i++) await exchange();
    await poll(() => overview().getAttribute('data-connections')).toBe('3');
    for (let i = 0; i < 2; i++) await exchange();
    await poll(() => overview().getAttribute('data-connections')).toBe('5');
    await shot(page, 'live-timeline-01-capturing');
    expect(await statusText()).toContain('Capturing on lo');

    await page.getByRole('button', { name: 'Stop capturing (Ctrl+E)' }).click();
    await poll(statusText).toContain('Capture stopped');
    const out = join(tmp, 'lo-tcp.pcapng');
    await saveAllPackets(page, out);
    expect(tsharkTcpStreams(out)).toHaveLength(5);
    expect(ws.pageErrors).toEqual([]);
  });

  it('says a refused connection is one while capturing: an alert naming the closed port', async () => {
    const closed = PORT + 1;
    const dialog = await fillCaptureOptions(page, 'lo', `tcp port ${closed}`);
    await dialog.getByRole('button', { name: 'Start', exact: true }).click();
    await poll(statusText).toContain('Capturing on lo');
    for (let i = 0; i < 3; i++) await refused(closed);

    await page.getByRole('tab', { name: /Conversations · Endpoints · Alerts · Expert/ }).click();
    await page.getByRole('tab', { name: /^Alerts/ }).click();
    // (Not "refused" alone: the empty table's line says "no ... refused SYNs".)
    const row = page.getByRole('table', { name: 'Alerts' }).getByRole('row').filter({ hasText: `refused: 3 connections to 127.0.0.1:${closed}` });
    await poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain(`refused: 3 connections to 127.0.0.1:${closed} from 1 source (SYN answered by RST)`);
    expect(await statusText()).toContain('Capturing on lo');
    // The packets are listed as well: a SYN and a RST per connection.
    await poll(statusText).toContain('Packets 6');
    await poll(() => page.getByRole('grid', { name: 'Packets' }).locator('.packet-row').count()).toBe(6);
    await shot(page, 'live-timeline-02-refused-alert');

    await page.getByRole('button', { name: 'Stop capturing (Ctrl+E)' }).click();
    await poll(statusText).toContain('Capture stopped');
    const out = join(tmp, 'lo-refused.pcapng');
    await saveAllPackets(page, out);
    // tshark: three connections, each a SYN answered by a RST.
    expect(tsharkTcpStreams(out)).toHaveLength(3);
    expect(tsharkCount(out, `tcp.flags.reset == 1 && tcp.srcport == ${closed}`)).toBe(3);
    await page.getByRole('tab', { name: 'Handshake timeline' }).click();
  });

  it('says a SYN nobody answers is one 3 s after it, though no packet comes then', async () => {
    const dropped = PORT + 2;
    const dialog = await fillCaptureOptions(page, 'lo', `tcp port ${dropped}`);
    await dialog.getByRole('button', { name: 'Start', exact: true }).click();
    await poll(statusText).toContain('Capturing on lo');
    await page.getByRole('tab', { name: /Conversations · Endpoints · Alerts · Expert/ }).click();
    await page.getByRole('tab', { name: /^Alerts/ }).click();
    // The firewall drops the SYNs (the capture sees them first); the client retries once or
    // twice within about 2 s, then gives up: after that, only time passes.
    await unansweredConnect(dropped);
    await poll(statusText).toMatch(/Packets [1-9]/);
    const packets = /Packets (\d+)/.exec(await statusText())![1];
    const row = page.getByRole('table', { name: 'Alerts' }).getByRole('row').filter({ hasText: `unanswered SYN: 1 connection to 127.0.0.1:${dropped}` });
    await poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain(`unanswered SYN: 1 connection to 127.0.0.1:${dropped} from 1 source not answered for 3 s`);
    expect(await statusText()).toContain(`Packets ${packets}`);
    await shot(page, 'live-timeline-03-unanswered-alert');
    await page.getByRole('button', { name: 'Stop capturing (Ctrl+E)' }).click();
    await poll(statusText).toContain('Capture stopped');
    // tshark: the SYNs of one connection, the last less than 3 s after the first. The capture's
    // own time never reached 3 s: the session's clock ran on without packets.
    const out = join(tmp, 'lo-unanswered.pcapng');
    await saveAllPackets(page, out);
    expect(tsharkTcpStreams(out)).toEqual([0]);
    expect(tsharkCount(out, 'tcp.flags.syn == 1 && tcp.flags.ack == 0')).toBe(Number(packets));
    expect(Number(execFileSync('tshark', ['-r', out, '-T', 'fields', '-e', 'frame.time_relative'], { encoding: 'utf8' }).trim().split('\n').pop())).toBeLessThan(3);
    await page.getByRole('tab', { name: 'Handshake timeline' }).click();
  });
});

/**
 * A connection whose SYNs the firewall drops (iptables on lo, removed after), by a client that
 * gives up early (TCP_SYNCNT 1: on lo, SYNs about a second apart for about 3 s). Resolves when it gave up.
 */
async function unansweredConnect(port: number): Promise<void> {
  const rule = ['INPUT', '-i', 'lo', '-p', 'tcp', '--dport', String(port), '--syn', '-j', 'DROP'];
  execFileSync('iptables', ['-I', ...rule]);
  try {
    const script = [
      'import socket, sys',
      's = socket.socket()',
      's.setsockopt(socket.IPPROTO_TCP, socket.TCP_SYNCNT, 1)',
      's.settimeout(10)',
      'try:',
      `    s.connect(("127.0.0.1", ${port}))`,
      '    sys.exit("connected: the SYN was answered")',
      'except (socket.timeout, OSError):',
      '    pass',
    ].join('\n');
    await new Promise<void>((resolve, reject) => execFile('python3', ['-c', script], (e) => (e ? reject(e) : resolve())));
  } finally {
    execFileSync('iptables', ['-D', ...rule]);
  }
}

/** A connection to a port nothing listens on: resolves once it was refused. */
function refused(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = createConnection(port, '127.0.0.1', () => reject(new Error(`something listens on ${port}`)));
    c.once('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNREFUSED' ? resolve() : reject(e)));
  });
}

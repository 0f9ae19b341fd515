// The start page's live traffic per interface, before any capture: every interface with kernel
// counters (those /sys/class/net lists) shows a packets/s sparkline, the others nothing. While
// the test sends a steady burst of UDP datagrams on lo, tcpdump -i lo counts the packets on
// lo in the same time, and the rate the page shows for lo must come to what tcpdump counted per
// second. Opening a file ends the start page, and with it the polling.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../helpers/corpus.js';
import { openByPath, openWorkstation, shot, type Workstation } from './web-app.js';
import { poll } from './poll.js';

const tmp = mkdtempSync(join(tmpdir(), 'synscope-e2e-traffic-'));
/** The burst: datagrams per 10 ms tick, and its length; ~1500 packets/s stands well above idle lo. */
const PER_TICK = 15;
const BURST_MS = 7000;
/** How far the page's rate may stray from tcpdump's (timer jitter of 1 s windows, other traffic on lo). */
const TOLERANCE = 0.2;

let ws: Workstation;
let page: Page;
const sockets: Socket[] = [];
let tcpdump: ChildProcess | undefined;

beforeAll(async () => {
  ws = await openWorkstation([]);
  page = ws.page;
});

afterAll(async () => {
  tcpdump?.kill('SIGKILL');
  for (const s of sockets) s.close();
  await ws?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const ifaceRow = (name: string) => page.locator('.start-iface').filter({ has: page.locator('.iface-name', { hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });

/** The packets/s the page shows for an interface, or null when it shows none. */
async function shownRate(name: string): Promise<number | null> {
  const m = /^(\d+)\/s$/.exec(((await ifaceRow(name).locator('.iface-rate-value').textContent({ timeout: 1000 }).catch(() => null)) ?? '').trim());
  return m ? Number(m[1]) : null;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** tcpdump -i lo into a file, resolved once it says it is listening. */
function startTcpdump(file: string): Promise<ChildProcess> {
  const p = spawn('tcpdump', ['-i', 'lo', '-n', '-s', '64', '-U', '-w', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  return new Promise((resolve, reject) => {
    p.once('exit', (code) => reject(new Error(`tcpdump exited with ${code}: ${err}`)));
    p.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('listening on')) {
        p.removeAllListeners('exit');
        resolve(p);
      }
    });
  });
}

/**
 * Ends tcpdump: SIGTERM, and SIGKILL if that did not end it (a child of the test runner may
 * inherit a blocked SIGTERM). -U wrote every packet to the file as it came, so none is lost.
 */
async function stopTcpdump(p: ChildProcess): Promise<void> {
  const ended = () => p.exitCode !== null || p.signalCode !== null;
  p.kill('SIGTERM');
  for (let waited = 0; !ended(); waited += 50) {
    if (waited === 1500) p.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Epoch milliseconds of every packet in a capture file, as tcpdump -tt prints them. */
function packetTimes(file: string): number[] {
  const r = spawnSync('tcpdump', ['-n', '-tt', '-r', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.error) throw r.error;
  return r.stdout.split('\n').filter((l) => l.trim() !== '').map((l) => Number(l.split(' ', 1)[0]) * 1000);
}

describe('the start page shows live traffic per interface', () => {
  it('draws a sparkline for every interface with kernel counters, and nothing for the others', async () => {
    await poll(() => page.locator('.start-iface').count()).toBeGreaterThan(0);
    await poll(() => shownRate('lo')).not.toBeNull();
    await expect(ifaceRow('lo').getByRole('img', { name: /^Traffic on lo: \d+ packets\/s$/ }).count()).resolves.toBe(1);
    const names = await page.locator('.start-iface .iface-name').allTextContents();
    expect(names).toContain('lo');
    // A second reading for every interface has arrived by now (lo has a rate).
    for (const name of names) {
      const counted = existsSync(`/sys/class/net/${name}/statistics/rx_packets`);
      expect(await ifaceRow(name).locator('svg.sparkline').count(), name).toBe(counted ? 1 : 0);
      if (counted) await poll(() => shownRate(name)).not.toBeNull();
      else expect(await shownRate(name), name).toBeNull();
    }
  });

  it('the rate shown for lo rises to what tcpdump -i lo counts per second while we send a burst', async () => {
    await poll(() => shownRate('lo')).not.toBeNull();
    const before: number[] = [];
    for (let i = 0; i < 4; i++) {
      before.push((await shownRate('lo'))!);
      await page.waitForTimeout(500);
    }
    const pcap = join(tmp, 'lo.pcap');
    tcpdump = await startTcpdump(pcap);

    const rx = createSocket('udp4');
    const tx = createSocket('udp4');
    sockets.push(rx, tx);
    await new Promise<void>((done) => rx.bind(0, '127.0.0.1', () => done()));
    const port = rx.address().port;
    const start = Date.now();
    let sent = 0;
    const sending = (async () => {
      while (Date.now() - start < BURST_MS) {
        for (let i = 0; i < PER_TICK; i++) {
          await new Promise<void>((done, fail) => tx.send(`burst ${sent}`, port, '127.0.0.1', (e) => (e ? fail(e) : done())));
          sent++;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      return Date.now();
    })();
    const readings: Array<{ t: number; rate: number }> = [];
    let end = 0;
    void sending.then((t) => (end = t));
    while (end === 0) {
      const rate = await shownRate('lo');
      if (rate !== null) readings.push({ t: Date.now(), rate });
      if (Date.now() - start > BURST_MS / 2 && Date.now() - start < BURST_MS / 2 + 300) await shot(page, '30-start-page-traffic');
      await page.waitForTimeout(200);
    }
    await page.waitForTimeout(500);
    await stopTcpdump(tcpdump);

    // The page's rate at time t is the counter's rise over the last ~1 s reading before it
    // (read, answered, drawn): readings from 2.5 s into the burst cover only burst time.
    const inBurst = readings.filter((r) => r.t >= start + 2500 && r.t <= end).map((r) => r.rate);
    expect(inBurst.length).toBeGreaterThanOrEqual(10);
    // tcpdump's packets per second: the median over 1 s windows of the burst (a quarter second
    // apart), so a burst of someone else's traffic on lo sways it no more than the page's median.
    const from = start + 1000;
    const times = packetTimes(pcap).filter((t) => t >= from && t <= end);
    const perSecond: number[] = [];
    for (let w = from; w + 1000 <= end; w += 250) perSecond.push(times.filter((t) => t >= w && t < w + 1000).length);
    const tcpdumpRate = median(perSecond);
    const sentRate = (sent * 1000) / (end - start);
    const pageRate = median(inBurst);
    const report = `page ${pageRate}/s (readings ${inBurst.join(' ')}), tcpdump ${tcpdumpRate}/s, sent ${sentRate.toFixed(0)}/s, before ${before.join(' ')}`;
    // tcpdump saw at least what we sent (and whatever else ran on lo meanwhile).
    expect(tcpdumpRate, report).toBeGreaterThanOrEqual(sentRate * 0.95);
    expect(Math.abs(pageRate - tcpdumpRate) / tcpdumpRate, report).toBeLessThanOrEqual(TOLERANCE);
    // It rose: by about what we sent, above the idle rate before the burst. Idle is the quietest
    // reading before it: other tests' traffic on lo only adds to some (a CI run saw 1006 1006 3 3).
    expect(pageRate - Math.min(...before), report).toBeGreaterThanOrEqual(sentRate * (1 - TOLERANCE));
    const lo = ifaceRow('lo').getByRole('img', { name: /^Traffic on lo/ });
    expect(Number(/(\d+) packets\/s/.exec((await lo.getAttribute('aria-label')) ?? '')?.[1])).toBeGreaterThan(0);
  });

  it('stops asking for counters once the start page is gone', async () => {
    const asked: number[] = [];
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    cdp.on('Network.webSocketFrameSent', (e: { response: { payloadData: string } }) => {
      if (e.response.payloadData.includes('capture.traffic')) asked.push(Date.now());
    });
    await poll(() => asked.length).toBeGreaterThan(0);
    await openByPath(page, corpusPath('zeek/tcp/ssh-dups.pcap'));
    await poll(() => page.getByRole('grid', { name: 'Packets' }).getByRole('row').count()).toBeGreaterThan(5);
    const gone = Date.now();
    await page.waitForTimeout(3000);
    expect(asked.filter((t) => t > gone + 200)).toEqual([]);
  });
});

// The desktop window without Electron: Debian's Chromium (playwright-core) loads the real
// renderer build through the real synscope:// handler (its CSP and headers included), the real
// preload bundle runs in the page with a stand-in `electron` whose IPC leads to the real gate of
// ipc.ts and a real Session. Menu commands travel the way index.ts sends them. What Electron
// itself adds (the isolated world, the OS sandbox) is not simulated; everything SynScope adds
// is the shipped code.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHANNELS, EVENT_CHANNEL, type SessionEvent } from '../app/session/contract.js';
import { Session } from '../app/session/session.js';
import { validateArgs } from '../app/session/validate.js';
import { corpusPath, repoRoot } from '../test/helpers/corpus.js';
import { capinfosCount, collectPageErrors, launchChromium, tsharkCount, typeFilter } from '../test/e2e/web-app.js';
import { poll } from '../test/e2e/poll.js';
import { bindSessionIpc, CommandOutbox, type IpcMainLike } from './ipc.js';
import { DESKTOP_CHANNELS } from './ipc-channels.js';
import { APP_ORIGIN, CONTENT_SECURITY_POLICY, createAppProtocolHandler } from './security.js';

// Chromium cannot be taught a new scheme from outside, so the page lives at an https origin
// (secure, as synscope:// is registered) that the route below maps one to one onto synscope://app.
const PAGE_ORIGIN = 'https://synscope.app';
const toAppUrl = (url: string) => (url.startsWith(PAGE_ORIGIN) ? APP_ORIGIN + url.slice(PAGE_ORIGIN.length) : url);
const ARTIFACTS = join(repoRoot, 'artifacts', 'desktop');
const FILE = corpusPath('zeek/smtp.pcap');

type Listener = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

let browser: Browser;
let context: BrowserContext;
let page: Page;
let session: Session;
let errors: string[];
let pageHeaders: Record<string, string>;
const handlers = new Map<string, Listener>();
const ourWindow = { id: 'window 1' } as unknown as WebContents;
let outbox: CommandOutbox;

async function statusNumber(label: 'Packets' | 'Displayed'): Promise<number | null> {
  const text = (await page.getByRole('status').textContent()) ?? '';
  const m = new RegExp(`${label} (\\d+)`).exec(text);
  return m ? Number(m[1]) : null;
}

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build-main.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  const preloadBundle = readFileSync(join(repoRoot, 'dist', 'desktop-preload.cjs'), 'utf8');

  session = new Session({ eventIntervalMs: 50 });
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => { handlers.set(channel, listener); },
    removeHandler: (channel) => { handlers.delete(channel); },
  };
  bindSessionIpc({ ipcMain, session, validateArgs, isOurWebContents: (c) => c === ourWindow });

  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const serve = createAppProtocolHandler(join(repoRoot, 'renderer', 'dist'));
  await context.route(`${PAGE_ORIGIN}/**`, async (route) => {
    const request = route.request();
    const res = await serve(new Request(toAppUrl(request.url()), { method: request.method() }));
    await route.fulfill({ status: res.status, headers: Object.fromEntries(res.headers), body: Buffer.from(await res.arrayBuffer()) });
  });
  // ipcRenderer.invoke/send, as Electron delivers them: the sender frame's URL is the real one.
  await context.exposeBinding('__ipcInvoke', async (source, channel: string, args: unknown) => {
    const handler = handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler({ sender: ourWindow, senderFrame: { url: toAppUrl(source.frame.url()) } } as unknown as IpcMainInvokeEvent, args);
  });
  await context.exposeBinding('__ipcSend', (_source, channel: string) => {
    if (channel === DESKTOP_CHANNELS.subscribed) outbox.ready();
  });
  await context.addInitScript({
    content: `(() => {
      const listeners = new Map();
      const electron = {
        contextBridge: { exposeInMainWorld: (key, api) => { window[key] = api; } },
        ipcRenderer: {
          invoke: (channel, args) => window.__ipcInvoke(channel, args),
          send: (channel) => { void window.__ipcSend(channel); },
          on: (channel, l) => { if (!listeners.has(channel)) listeners.set(channel, new Set()); listeners.get(channel).add(l); },
          removeListener: (channel, l) => { listeners.get(channel)?.delete(l); },
        },
        // Electron knows a dropped File's path; here the test names it (window.__dropPaths).
        webUtils: { getPathForFile: (file) => (window.__dropPaths ?? {})[file.name] ?? '' },
      };
      window.__ipcDeliver = (channel, payload) => { for (const l of listeners.get(channel) ?? []) l({}, payload); };
      const require = (name) => { if (name !== 'electron') throw new Error('the preload required ' + name); return electron; };
      const module = { exports: {} };
      ((require, module, exports) => { ${preloadBundle} })(require, module, module.exports);
    })();`,
  });

  page = await context.newPage();
  errors = collectPageErrors(page);
  const deliver = (batch: SessionEvent[]) => void page.evaluate(([channel, b]) => (window as unknown as { __ipcDeliver(c: string, p: unknown): void }).__ipcDeliver(channel, b), [EVENT_CHANNEL, batch] as const);
  outbox = new CommandOutbox(deliver);
  session.subscribe(deliver);
  pageHeaders = (await page.goto(`${PAGE_ORIGIN}/index.html`))!.headers();
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await session?.dispose();
});

describe('the desktop window (renderer + preload + IPC gate + session, without Electron)', () => {
  it('serves the page with the desktop CSP and the page gets window.synscope from the preload', async () => {
    expect(pageHeaders['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    const keys = await page.evaluate(() => Object.keys((window as unknown as { synscope: object }).synscope).sort());
    expect(keys).toEqual(['call', 'desktop', 'subscribe']);
    await poll(() => page.getByRole('status').isVisible()).toBe(true);
  });

  it('opens a file handed over as a menu command: rows appear, as many as capinfos counts', async () => {
    outbox.post({ name: 'file.open', path: FILE });
    const expected = capinfosCount(FILE);
    await poll(() => statusNumber('Packets')).toBe(expected);
    await poll(() => page.getByRole('grid', { name: 'Packets' }).getByRole('row').count()).toBeGreaterThan(5);
    await page.screenshot({ path: join(ARTIFACTS, 'file-opened.png') });
  });

  it('applies a display filter typed in the filter bar: as many packets as tshark displays', async () => {
    const filter = 'tcp.flags.syn == 1';
    await typeFilter(page, filter);
    await poll(() => statusNumber('Displayed')).toBe(tsharkCount(FILE, filter));
    await page.screenshot({ path: join(ARTIFACTS, 'filtered.png') });
    await typeFilter(page, '');
    await poll(() => statusNumber('Displayed')).toBe(capinfosCount(FILE));
  });

  it('opens a capture dropped on the window', async () => {
    const dropped = corpusPath('zeek/dhcp/dhcp.pcap');
    await page.evaluate((path) => {
      (window as unknown as { __dropPaths: Record<string, string> }).__dropPaths = { 'dhcp.pcap': path };
      const data = new DataTransfer();
      data.items.add(new File([new Uint8Array(4)], 'dhcp.pcap'));
      const target = document.querySelector('[role="grid"]') ?? document.body;
      target.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    }, dropped);
    await poll(() => page.getByRole('status').textContent()).toContain('dhcp.pcap');
    await poll(() => statusNumber('Packets')).toBe(capinfosCount(dropped));
    await page.screenshot({ path: join(ARTIFACTS, 'dropped.png') });
    outbox.post({ name: 'file.open', path: FILE });
    await poll(() => statusNumber('Packets')).toBe(capinfosCount(FILE));
  });

  it('runs Go › Last Packet from the menu', async () => {
    outbox.post({ name: 'go.last' });
    const last = String(capinfosCount(FILE));
    await poll(() => page.getByRole('status').textContent()).toContain(`Selected ${last}`);
    await page.screenshot({ path: join(ARTIFACTS, 'go-last.png') });
  });

  it('opens Statistics › Protocol Hierarchy from the menu: the Protocols tab, its first row Ethernet', async () => {
    outbox.post({ name: 'view.statistics', tab: 'protocols' });
    await poll(() => page.getByRole('tab', { name: 'Protocols', exact: true }).getAttribute('aria-selected')).toBe('true');
    const first = page.getByRole('table', { name: 'Protocol hierarchy' }).locator('tbody tr:not(.panel-spacer)').first();
    await poll(() => first.getAttribute('title')).toBe('eth');
    await page.screenshot({ path: join(ARTIFACTS, 'statistics-protocols.png') });
  });

  it('switches to the dark theme from the menu', async () => {
    outbox.post({ name: 'view.theme', theme: 'dark' });
    await poll(() => page.evaluate(() => document.documentElement.dataset.theme ?? document.body.className)).toMatch(/dark/);
    await page.screenshot({ path: join(ARTIFACTS, 'dark-theme.png') });
  });

  it('refuses a call from a frame of another origin in the same window', async () => {
    const reply = await handlers.get('session.summary')!({ sender: ourWindow, senderFrame: { url: 'https://example.com/' } } as unknown as IpcMainInvokeEvent, {});
    expect(reply).toEqual({ ok: false, error: 'session.summary: refused: frame origin https://example.com is not synscope://app' });
  });

  it('ran without a CSP violation or a page error', () => {
    expect(errors).toEqual([]);
  });
});

describe('the built main bundle (dist/desktop-main.mjs) under Node with a stand-in electron', () => {
  interface BundleReport {
    schemes: string[];
    handled: string[];
    windows: { options: { webPreferences: Record<string, unknown> }; url: string }[];
    menus: number;
    protocol: { status: number; type: string; csp: string };
    interfaces: { ok: boolean; value: { name: string }[] };
    traffic: { ok: boolean; value: Record<string, { available: boolean; packets?: number }> };
    capture: { started: boolean; packets: number; stopped: boolean; unsaved: boolean };
  }
  let report: BundleReport;

  beforeAll(() => {
    const userData = mkdtempSync(join(tmpdir(), 'synscope-bundle-'));
    try {
      const out = execFileSync(process.execPath, ['--import', './main/fixtures/register-fake-electron.mjs', 'dist/desktop-main.mjs'], {
        cwd: repoRoot, encoding: 'utf8', timeout: 30_000,
        env: {
          ...process.env, FAKE_ELECTRON_USER_DATA: userData, FAKE_ELECTRON_APP_PATH: repoRoot,
          FAKE_ELECTRON_CAPTURE_PORT: String(40000 + (process.pid % 20000)),
        },
      });
      report = JSON.parse(out.trim().split('\n').at(-1)!) as BundleReport;
    } finally {
      rmSync(userData, { recursive: true, force: true });
    }
  });

  it('starts: scheme, every channel, one secure window on synscope://app with the built preload, a menu', () => {
    expect(report.schemes).toEqual(['synscope']);
    expect(report.handled).toEqual([...CHANNELS, 'desktop.layout', 'desktop.saveLayout'].sort());
    expect(report.windows).toHaveLength(1);
    expect(report.windows[0]!.url).toBe('synscope://app/index.html');
    expect(report.windows[0]!.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, preload: join(repoRoot, 'dist', 'desktop-preload.cjs') });
    expect(report.menus).toBeGreaterThan(0);
  });

  it('serves the renderer build through its protocol handler with the CSP', () => {
    expect(report.protocol).toEqual({ status: 200, type: 'text/html; charset=utf-8', csp: CONTENT_SECURITY_POLICY });
  });

  it('lists the capture interfaces through the capture helper process, the ones tcpdump -D lists', () => {
    const tcpdump = execFileSync('tcpdump', ['-D'], { encoding: 'utf8' }).trim().split('\n').map((l) => /^\d+\.(\S+)/.exec(l)![1]);
    expect(report.interfaces.ok).toBe(true);
    expect(report.interfaces.value.map((i) => i.name).sort()).toEqual(tcpdump.sort());
  });

  it('reads the traffic counters of the same interfaces through the gate, without capturing: lo from sysfs, "any" unavailable', () => {
    expect(report.traffic.ok).toBe(true);
    expect(Object.keys(report.traffic.value).sort()).toEqual(report.interfaces.value.map((i) => i.name).sort());
    // Read after the bundle printed its report, so at least what it saw.
    const lo = Number(readFileSync('/sys/class/net/lo/statistics/rx_packets', 'utf8'));
    expect(report.traffic.value.lo!.available).toBe(true);
    expect(report.traffic.value.lo!.packets).toBeLessThanOrEqual(lo);
    expect(report.traffic.value.lo!.packets).toBeGreaterThan(0);
    if ('any' in report.traffic.value) expect(report.traffic.value.any!.available).toBe(false);
  });

  it('captures live on lo through the helper process: the five datagrams sent past the capture filter, then stops, unsaved', () => {
    expect(report.capture).toEqual({ started: true, packets: 5, stopped: true, unsaved: true });
  });
});

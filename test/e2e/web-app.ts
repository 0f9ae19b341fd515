// What the end-to-end specs share: `synscope web` started from the built bundle exactly as a
// user starts it (dist/synscope.cjs, --port 0, the URL read from its output), Debian's Chromium
// driven by playwright-core (never a downloaded browser), screenshots into artifacts/e2e/, and
// the reference tools (capinfos, tshark) the UI's numbers are compared with.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from '../helpers/corpus.js';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export interface WebApp {
  url: string;
  /** Everything the server wrote to stderr so far (for failure messages). */
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts `synscope web ARGS --port 0` and resolves once it printed its URL. */
export function startWeb(args: string[]): Promise<WebApp> {
  const proc: ChildProcess = spawn(process.execPath, [join(repoRoot, 'dist', 'synscope.cjs'), 'web', ...args, '--port', '0'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`synscope web printed no URL in 20 s; stderr: ${err}`)), 20_000);
    proc.once('exit', (code) => reject(new Error(`synscope web exited with ${code}: ${err}`)));
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      proc.removeAllListeners('exit');
      resolve({
        url: m[0],
        stderr: () => err,
        stop: () =>
          new Promise<void>((done) => {
            if (proc.exitCode !== null) return done();
            proc.once('exit', () => done());
            proc.kill('SIGTERM');
          }),
      });
    });
  });
}

/** What `synscope ARGS` prints, run from the built bundle as the web server is (the engine's own CLI, to compare the UI with). */
export function synscopeOutput(args: readonly string[]): string {
  return execFileSync(process.execPath, [join(repoRoot, 'dist', 'synscope.cjs'), ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

const ARTIFACTS = join(repoRoot, 'artifacts', 'e2e');

/** Saves a full-window screenshot as artifacts/e2e/NAME.png. */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

/** Reports the page's console errors and uncaught exceptions, which should be none. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return errors;
}

// ---- reference tools

/** capinfos -c: the number of packets in a file. */
export function capinfosCount(file: string): number {
  const text = execFileSync('capinfos', ['-c', '-M', file], { encoding: 'utf8' });
  const m = /Number of packets:\s+(\d+)/.exec(text);
  if (!m) throw new Error(`capinfos printed no count: ${text}`);
  return Number(m[1]);
}

/**
 * How many packets tshark displays with a display filter (or all without one). A damaged file
 * makes tshark exit with status 2 after printing the packets it could read: those count.
 */
export function tsharkCount(file: string, displayFilter?: string): number {
  const args = ['-n', '-r', file, '-T', 'fields', '-e', 'frame.number'];
  if (displayFilter) args.push('-Y', displayFilter);
  const r = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.error) throw r.error;
  return r.stdout.split('\n').filter((l) => l.trim() !== '').length;
}

/** How many packets `tcpdump -r FILE EXPR` prints. */
export function tcpdumpCount(file: string, expr: string): number {
  const r = spawnSync('tcpdump', ['-n', '-r', file, expr], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.error) throw r.error;
  return r.stdout.split('\n').filter((l) => l.trim() !== '').length;
}

export interface PdmlField {
  name: string;
  pos: number;
  size: number;
  show: string;
}

/** The fields tshark -T pdml lists for one frame (name, byte position and size). */
export function pdmlFields(file: string, frame: number): PdmlField[] {
  const xml = execFileSync('tshark', ['-n', '-r', file, '-T', 'pdml', '-Y', `frame.number == ${frame}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const out: PdmlField[] = [];
  for (const tag of xml.matchAll(/<field\s([^>]*?)\/?>/g)) {
    const attrs = new Map([...tag[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!] as const));
    if (!attrs.has('name') || !attrs.has('pos') || !attrs.has('size')) continue;
    out.push({ name: attrs.get('name')!, show: attrs.get('show') ?? '', size: Number(attrs.get('size')), pos: Number(attrs.get('pos')) });
  }
  return out;
}

/** The unindented lines of tshark -V for one frame: one per protocol layer of its tree. */
export function tsharkLayers(file: string, frame: number): string[] {
  const text = execFileSync('tshark', ['-n', '-r', file, '-V', '-Y', `frame.number == ${frame}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return text.split('\n').filter((l) => l !== '' && !l.startsWith(' '));
}

export interface Workstation {
  app: WebApp;
  browser: Browser;
  page: Page;
  /** Console errors and uncaught exceptions of the page so far. */
  pageErrors: string[];
  close(): Promise<void>;
}

/** `synscope web ARGS` and one browser page on its URL (1400×860, like a laptop window). */
export async function openWorkstation(args: string[]): Promise<Workstation> {
  const app = await startWeb(args);
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  const pageErrors = collectPageErrors(page);
  await page.goto(app.url);
  return {
    app,
    browser,
    page,
    pageErrors,
    async close() {
      await browser.close();
      await app.stop();
    },
  };
}

/** Opens a capture file the way a user does: Open, type the path, Open. */
export async function openByPath(page: Page, path: string): Promise<void> {
  await page.getByRole('button', { name: 'Open a capture file (Ctrl+O)' }).click();
  const dialog = page.getByRole('dialog', { name: 'Open capture file' });
  await dialog.getByLabel('File path').fill(path);
  await dialog.getByRole('button', { name: 'Open', exact: true }).click();
}

/** Ctrl+G on the packet list, the number, Go: as a user goes to a packet. */
export async function goToPacket(page: Page, frame: number): Promise<void> {
  await page.getByRole('grid', { name: 'Packets' }).focus();
  await page.keyboard.press('Control+g');
  const dialog = page.getByRole('dialog', { name: 'Go to packet' });
  await dialog.getByLabel('Packet number').fill(String(frame));
  await dialog.getByRole('button', { name: 'Go', exact: true }).click();
}

/** tshark's tcp.stream numbers of a file, distinct and ascending. */
export function tsharkTcpStreams(file: string): number[] {
  const r = spawnSync('tshark', ['-n', '-r', file, '-Y', 'tcp', '-T', 'fields', '-e', 'tcp.stream'], { encoding: 'utf8' });
  if (r.error) throw r.error;
  return [...new Set(r.stdout.split('\n').filter(Boolean).map((l) => Number(l.split(',')[0])))].sort((a, b) => a - b);
}

/** The number after "Packets" or "Displayed" in the status bar, or null when not shown. */
export async function statusNumber(page: Page, label: 'Packets' | 'Displayed'): Promise<number | null> {
  const m = new RegExp(`${label} (\\d+)`).exec((await page.getByRole('status').textContent()) ?? '');
  return m ? Number(m[1]) : null;
}

/**
 * Types a display filter the way a user does and presses Enter: select all, then type or delete.
 * (Playwright's fill('') does not reach Monaco's model reliably, so the filter would stay.)
 */
export async function typeFilter(page: Page, text: string): Promise<void> {
  await page.getByLabel('Display filter', { exact: true }).focus();
  await page.keyboard.press('ControlOrMeta+A');
  if (text === '') await page.keyboard.press('Backspace');
  else await page.keyboard.insertText(text);
  await page.keyboard.press('Enter');
}

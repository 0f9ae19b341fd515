// UI benchmark (not run in CI): the 1M-packet capture in web mode, in the same headless Debian
// Chromium the end-to-end specs use. Measures, from the user's side:
//   - open → first rows: the Open dialog's submit until the first row is on screen
//   - open → all indexed: until the status bar shows the file's full packet count
//   - filter apply latency: Enter until the status bar shows tshark's... our final count and
//     the list shows rows of the new view (twice: right after opening, and once warm)
//   - frame times while scrolling (wheel, then big jumps): rAF intervals with the frame-rate
//     limit off, so each interval is the time one frame really took (p50/p95/max)
// Usage: npm run build && node --import tsx bench/ui.ts [FILE] (default /tmp/bench/mixed-1m.pcap)
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, capinfosCount, startWeb, statusNumber } from '../test/e2e/web-app.js';

const FILE = process.argv[2] ?? '/tmp/bench/mixed-1m.pcap';
const FILTER = 'tcp.flags.syn == 1 && tcp.flags.ack == 0';
const FILTER2 = 'udp';

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

const expected = capinfosCount(FILE);
const app = await startWeb([]);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  // Unthrottled frames: a rAF interval is then the cost of a frame, not the 60 Hz tick.
  args: [...CHROMIUM_ARGS, '--disable-frame-rate-limit', '--disable-gpu-vsync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  await page.goto(app.url);
  await page.getByRole('heading', { name: 'Welcome to SynScope' }).waitFor();

  // ---- open → first rows
  await page.getByRole('button', { name: 'Open a capture file (Ctrl+O)' }).click();
  const dialog = page.getByRole('dialog', { name: 'Open capture file' });
  await dialog.getByLabel('File path').fill(FILE);
  const firstRow = page.getByRole('grid', { name: 'Packets' }).locator('[data-col="number"]', { hasText: /^1$/ });
  const t0 = performance.now();
  await dialog.getByRole('button', { name: 'Open', exact: true }).click();
  await firstRow.waitFor({ timeout: 120_000 });
  const firstRowsMs = performance.now() - t0;
  for (;;) {
    if ((await statusNumber(page, 'Packets')) === expected) break;
    await page.waitForTimeout(20);
  }
  const indexedMs = performance.now() - t0;

  // ---- filter apply latency
  const applyFilter = async (text: string): Promise<{ ms: number; displayed: number }> => {
    const input = page.getByLabel('Display filter', { exact: true });
    await input.focus();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText(text);
    const before = await page.locator('.filter-busy').count();
    const t = performance.now();
    await page.keyboard.press('Enter');
    // Filtering… appears while the session filters; done when it is gone and rows are shown.
    if (before === 0) await page.locator('.filter-busy').waitFor({ timeout: 2000 }).catch(() => undefined);
    await page.locator('.filter-busy').waitFor({ state: 'detached', timeout: 300_000 });
    await page.getByRole('grid', { name: 'Packets' }).locator('.packet-row:not(.loading)').first().waitFor();
    return { ms: performance.now() - t, displayed: (await statusNumber(page, 'Displayed')) ?? -1 };
  };
  const cold = await applyFilter(FILTER);
  const warm = await applyFilter(FILTER2);
  const clear = await applyFilter('');

  // ---- frame times while scrolling
  const viewport = page.locator('.packet-viewport');
  const box = (await viewport.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  // A string, not a function: tsx would wrap a function's inner names in a helper the page lacks.
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__stop = false;
    let last = performance.now();
    const tick = (now) => {
      window.__frames.push(now - last);
      last = now;
      if (!window.__stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  for (let i = 0; i < 300; i++) {
    await page.mouse.wheel(0, 220);
    await page.waitForTimeout(8);
  }
  // Big jumps: the scrollbar dragged to far places of the million rows.
  for (let i = 0; i < 40; i++) {
    await viewport.evaluate((el, f) => {
      el.scrollTop = f * (el.scrollHeight - el.clientHeight);
    }, ((i * 37) % 100) / 100);
    await page.waitForTimeout(30);
  }
  const frames = (await page.evaluate('(window.__stop = true, window.__frames.slice(2))')) as number[];
  const blank = await page.locator('.packet-row.loading').count();

  const report = {
    file: FILE,
    packets: expected,
    openToFirstRowsMs: Math.round(firstRowsMs),
    openToFullyIndexedMs: Math.round(indexedMs),
    filter: { cold: { text: FILTER, ...cold, ms: Math.round(cold.ms) }, warm: { text: FILTER2, ...warm, ms: Math.round(warm.ms) }, clear: Math.round(clear.ms) },
    scrolling: { frames: frames.length, p50Ms: +pct(frames, 50).toFixed(1), p95Ms: +pct(frames, 95).toFixed(1), maxMs: +Math.max(...frames).toFixed(1), rowsStillLoadingAtEnd: blank },
  };
  console.log(JSON.stringify(report, null, 2));
} finally {
  await browser.close();
  await app.stop();
}

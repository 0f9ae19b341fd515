// UI benchmark (not run in CI): the 1M-packet capture in web mode, in the same headless Debian
// Chromium the end-to-end specs use. Measures, from the user's side:
//   - open → first rows: the Open dialog's submit until the first row is on screen
//   - open → all indexed: until the status bar shows the file's full packet count
//   - open → connection list: until the Handshake timeline lists the first connections found,
//     and until it lists all of the file's TCP connections
//   - filter apply latency: Enter until the status bar shows the new count and the list shows
//     rows of the new view (right after opening, while the first pass still runs; then warm)
//   - a filter on a protocol's fields while the first pass still runs (a worker tests the file
//     from its start, ahead of the pass), against tshark -Y with the same filter in this run
//   - open → fully analysed (the first pass over), then the same filter, which dissects again
//     only the frames with that protocol's fields
//   - frame times while scrolling (wheel, then big jumps): the renderer main thread's work per
//     frame from a Chromium trace (p50/p95/max, share over 16.7 ms), and requestAnimationFrame
//     intervals at the display's 60 Hz (p50/p95/max, share of frames later than 20 ms)
//   - the Handshake timeline with every connection: main-thread frame time while its rows
//     scroll, its time axis zooms and pans, and it jumps far
//   - open → statistics: the file opened again with the statistics tab in front (after a small
//     capture), until it counts the TCP conversations and the endpoints
// Usage: npm run build && node --import tsx bench/ui.ts [FILE] (default /tmp/bench/mixed-1m.pcap)
import { spawnSync } from 'node:child_process';
import { chromium, type Locator } from 'playwright-core';
import { CHROMIUM_ARGS, capinfosCount, startWeb, statusNumber } from '../test/e2e/web-app.js';
import { corpusPath } from '../test/helpers/corpus.js';

const FILE = process.argv[2] ?? '/tmp/bench/mixed-1m.pcap';
const FILTER = 'tcp.flags.syn == 1 && tcp.flags.ack == 0';
const FILTER2 = 'udp';
/** A filter on a protocol's fields: applied while the first pass runs, and again once it is over. */
const FILTER3 = 'http.request.method == "GET"';
/** The status bar's item while the first pass runs ("Finding connections 40%", "Analysing 7%"). */
const PASS_RUNNING = /(?:Analysing|Finding connections)[^%]*%/;

interface TraceEvent { name: string; ph: string; ts: number; dur?: number; pid: number; tid: number; args?: { name?: string } }

/** The trace categories mainThreadFrameCosts reads (Chromium's own "Performance" panel uses these). */
const TRACE_CATEGORIES = ['__metadata', 'toplevel', 'disabled-by-default-devtools.timeline.frame'];

/**
 * The renderer main thread's work per frame, in ms, from a Chromium trace: for each interval
 * between two BeginMainThreadFrame events, the time its tasks (ThreadControllerImpl::RunTask)
 * ran inside it. Under 16.7 ms the page had its frame ready for the next vsync; the rAF
 * intervals alone cannot say that (a frame on time is 16.7 ms whatever it cost).
 */
function mainThreadFrameCosts(trace: Buffer): number[] {
  const parsed = JSON.parse(trace.toString()) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
  const main = events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  // The page's renderer: the one whose main thread began frames.
  const frames = (pid: number, tid: number) => events.filter((e) => e.pid === pid && e.tid === tid && e.name === 'BeginMainThreadFrame').map((e) => e.ts).sort((a, b) => a - b);
  const thread = main.map((t) => ({ pid: t.pid, tid: t.tid, starts: frames(t.pid, t.tid) })).sort((a, b) => b.starts.length - a.starts.length)[0];
  if (!thread || thread.starts.length < 2) return [];
  const tasks = events.filter((e) => e.pid === thread.pid && e.tid === thread.tid && e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask' && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts);
  const costs: number[] = [];
  let k = 0;
  for (let i = 0; i + 1 < thread.starts.length; i++) {
    const a = thread.starts[i]!, b = thread.starts[i + 1]!;
    while (k < tasks.length && tasks[k]!.ts + tasks[k]!.dur! <= a) k++;
    let busy = 0;
    for (let j = k; j < tasks.length && tasks[j]!.ts < b; j++) busy += Math.min(b, tasks[j]!.ts + tasks[j]!.dur!) - Math.max(a, tasks[j]!.ts);
    costs.push(busy / 1000);
  }
  return costs;
}

/** p50/p95/max of per-frame main-thread costs, and the share of frames over a 60 Hz frame. */
function frameTimeSummary(costs: number[]) {
  return {
    frames: costs.length,
    p50Ms: +pct(costs, 50).toFixed(1),
    p95Ms: +pct(costs, 95).toFixed(1),
    maxMs: +Math.max(...costs).toFixed(1),
    over16ms: `${((100 * costs.filter((c) => c > 1000 / 60).length) / costs.length).toFixed(1)}%`,
  };
}

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

const expected = capinfosCount(FILE);
const app = await startWeb([]);
// Chromium's normal 60 Hz frames (with --disable-frame-rate-limit the browser went away while
// the list re-read a million rows): a frame interval of ~16.7 ms is a frame on time, ~33 ms one
// dropped frame.
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
let closing = false;
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  /** `count` wheel steps of (dx, dy) where the mouse is, a few ms apart (a hand on a wheel). */
  const wheel = async (count: number, dx: number, dy: number) => {
    for (let i = 0; i < count; i++) {
      await page.mouse.wheel(dx, dy);
      await page.waitForTimeout(8);
    }
  };
  /** `count` jumps of a scroll container to far places (its scrollbar dragged). */
  const jumps = async (scroller: Locator, count: number) => {
    for (let i = 0; i < count; i++) {
      await scroller.evaluate((el, f) => {
        el.scrollTop = f * (el.scrollHeight - el.clientHeight);
      }, ((i * 37) % 100) / 100);
      await page.waitForTimeout(30);
    }
  };
  page.on('crash', () => console.error('the page crashed'));
  browser.on('disconnected', () => closing || console.error('the browser went away'));
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
  // The Handshake timeline's overview says how many connections it lists once the list came.
  const overview = page.getByRole('region', { name: 'Handshake timeline' }).locator('.timeline-overview');
  // First the connections found so far (data-loading true), then the whole list.
  let firstConnectionsMs = NaN, firstConnections = 0;
  let connectionsMs = NaN;
  let connections = 0;
  for (;;) {
    connections = Number((await overview.getAttribute('data-connections').catch(() => null)) ?? 0);
    if (connections > 0 && Number.isNaN(firstConnectionsMs)) {
      firstConnectionsMs = performance.now() - t0;
      firstConnections = connections;
    }
    if (connections > 0 && (await overview.getAttribute('data-loading').catch(() => null)) === 'false') {
      connectionsMs = performance.now() - t0;
      // The whole list may have replaced the partial one between the two reads.
      connections = Number(await overview.getAttribute('data-connections'));
      break;
    }
    if (performance.now() - t0 > 180_000) break;
    await page.waitForTimeout(50);
  }
  console.error(`first rows ${Math.round(firstRowsMs)} ms, indexed ${Math.round(indexedMs)} ms, first ${firstConnections} connections in the timeline at ${Math.round(firstConnectionsMs)} ms, all ${connections} at ${Math.round(connectionsMs)} ms`);

  // ---- filter apply latency
  const applyFilter = async (text: string): Promise<{ ms: number; displayed: number }> => {
    const input = page.getByLabel('Display filter', { exact: true });
    const before = await statusNumber(page, 'Displayed');
    let t: number;
    if (text === '') {
      // The clear button: an empty editor with its completion list open would take Enter.
      t = performance.now();
      await page.getByRole('button', { name: 'Clear display filter' }).click();
    } else {
      await input.focus();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.insertText(text);
      t = performance.now();
      await page.keyboard.press('Enter');
    }
    // Applied when the status bar shows the new count (each filter here displays a different
    // number of packets) and "Filtering…" is gone; then the first rows of the new view.
    for (;;) {
      const now = await statusNumber(page, 'Displayed');
      if (now !== before && (await page.locator('.filter-busy').count()) === 0) break;
      if (performance.now() - t > 180_000) throw new Error(`filter "${text}" not applied after 180 s (displayed ${now})`);
      await page.waitForTimeout(5);
    }
    await page.getByRole('grid', { name: 'Packets' }).locator('.packet-row:not(.loading)').first().waitFor();
    return { ms: performance.now() - t, displayed: (await statusNumber(page, 'Displayed')) ?? -1 };
  };
  const cold = await applyFilter(FILTER);
  console.error(`filter ${FILTER}: ${Math.round(cold.ms)} ms`);
  const warm = await applyFilter(FILTER2);
  console.error(`filter ${FILTER2}: ${Math.round(warm.ms)} ms`);
  const clear = await applyFilter('');
  console.error(`filter cleared: ${Math.round(clear.ms)} ms`);
  const passAt = ((await page.getByRole('status').textContent()) ?? '').match(PASS_RUNNING)?.[0] ?? 'pass over';
  const duringPass = await applyFilter(FILTER3);
  console.error(`filter ${FILTER3} while the pass runs (${passAt}): ${Math.round(duringPass.ms)} ms (${duringPass.displayed} packets)`);
  await applyFilter('');

  // ---- open → fully analysed (the status bar's "Analysing" gone), then FILTER3, against
  // tshark -Y with the same filter on the same file in this run.
  // The progress item goes when the session says the pass is over: taken as over once gone for
  // 3 s, and a gap that comes back is counted (the status bar must not say "done" too early).
  let goneSince = NaN;
  let progressGaps = 0;
  for (;;) {
    const now = performance.now();
    if (PASS_RUNNING.test((await page.getByRole('status').textContent()) ?? '')) {
      if (!Number.isNaN(goneSince)) progressGaps++;
      goneSince = NaN;
    } else if (Number.isNaN(goneSince)) goneSince = now;
    else if (now - goneSince > 3000) break;
    if (now - t0 > 600_000) throw new Error('the first pass did not end within 600 s');
    await page.waitForTimeout(100);
  }
  const analysedMs = goneSince - t0;
  const fields = await applyFilter(FILTER3);
  const tshark0 = performance.now();
  const tsharkRun = spawnSync('tshark', ['-n', '-r', FILE, '-Y', FILTER3], { stdio: ['ignore', 'ignore', 'ignore'] });
  const tsharkFieldsMs = tsharkRun.status === 0 ? performance.now() - tshark0 : NaN;
  console.error(`fully analysed at ${Math.round(analysedMs)} ms (progress item gone and back ${progressGaps} times before); then filter ${FILTER3}: ${Math.round(fields.ms)} ms (${fields.displayed} packets; tshark -Y ${Math.round(tsharkFieldsMs)} ms, and during the pass ${Math.round(duringPass.ms)} ms)`);
  await applyFilter('');
  console.error('scrolling…');

  // ---- frame times while scrolling
  const viewport = page.locator('.packet-viewport');
  const box = (await viewport.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  // A string, not a function: tsx would wrap a function's inner names in a helper the page lacks.
  await browser.startTracing(page, { categories: TRACE_CATEGORIES });
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
  await wheel(300, 0, 220);
  // Big jumps: the scrollbar dragged to far places of the million rows.
  await jumps(viewport, 40);
  const frames = (await page.evaluate('(window.__stop = true, window.__frames.slice(2))')) as number[];
  const costs = mainThreadFrameCosts(await browser.stopTracing());
  const blank = await page.locator('.packet-row.loading').count();

  // ---- the Handshake timeline's overview with every connection of the file: scroll its rows
  // (wheel over the labels), zoom and pan its time axis (wheel over the plot), jump far.
  const plot = (await overview.boundingBox())!;
  await browser.startTracing(page, { categories: TRACE_CATEGORIES });
  await page.mouse.move(plot.x + 40, plot.y + plot.height / 2);
  await wheel(100, 0, 200);
  await page.mouse.move(plot.x + plot.width * 0.7, plot.y + plot.height / 2);
  for (let i = 0; i < 3; i++) {
    await wheel(10, 0, -120); // zoom in
    await wheel(10, 120, 0); // pan
  }
  await jumps(overview, 20);
  const timelineCosts = mainThreadFrameCosts(await browser.stopTracing());

  // ---- open → statistics: with the Conversations · Endpoints · Alerts · Expert tab in front, a small
  // capture, then the file again (another source: the tables start over, "(…)" until answered),
  // until its tabs count the TCP conversations and the endpoints.
  await page.getByRole('tab', { name: 'Conversations · Endpoints · Alerts · Expert' }).click();
  const openFile = async (path: string): Promise<number> => {
    await page.getByRole('button', { name: 'Open a capture file (Ctrl+O)' }).click();
    await dialog.getByLabel('File path').fill(path);
    const t = performance.now();
    await dialog.getByRole('button', { name: 'Open', exact: true }).click();
    return t;
  };
  const counted = async (name: RegExp, since: number): Promise<number> => {
    for (;;) {
      const m = ((await page.getByRole('tab', { name }).textContent().catch(() => '')) ?? '').match(/\((\d+)\)/);
      if (m && Number(m[1]) > 0) return performance.now() - since;
      if (performance.now() - since > 180_000) return NaN;
      await page.waitForTimeout(50);
    }
  };
  await counted(/^Endpoints/, await openFile(corpusPath('pcapplusplus/three_http_streams.pcap')));
  const t1 = await openFile(FILE);
  // The small capture's counts stay until the file is open and the tables start over.
  await page.getByRole('tab', { name: /^Endpoints \(…\)/ }).waitFor({ timeout: 60_000 });
  const conversationsMs = await counted(/^TCP conversations/, t1);
  const endpointsMs = await counted(/^Endpoints/, t1);
  console.error(`statistics: TCP conversations at ${Math.round(conversationsMs)} ms, endpoints at ${Math.round(endpointsMs)} ms`);

  const report = {
    file: FILE,
    packets: expected,
    openToFirstRowsMs: Math.round(firstRowsMs),
    openToFullyIndexedMs: Math.round(indexedMs),
    openToFirstConnections: { ms: Math.round(firstConnectionsMs), connections: firstConnections },
    openToConnectionList: { ms: Math.round(connectionsMs), connections },
    filter: { cold: { text: FILTER, ...cold, ms: Math.round(cold.ms) }, warm: { text: FILTER2, ...warm, ms: Math.round(warm.ms) }, clear: Math.round(clear.ms) },
    openToFullyAnalysed: { ms: Math.round(analysedMs), progressGaps },
    fieldFilterDuringPass: { text: FILTER3, passAt, ...duringPass, ms: Math.round(duringPass.ms) },
    fieldFilterAfterPass: { text: FILTER3, ...fields, ms: Math.round(fields.ms), tsharkMs: Math.round(tsharkFieldsMs) },
    scrolling: {
      // Frame time: the main thread's work per frame (trace); then the rAF intervals.
      frameTime: frameTimeSummary(costs),
      frames: frames.length,
      p50Ms: +pct(frames, 50).toFixed(1),
      p95Ms: +pct(frames, 95).toFixed(1),
      maxMs: +Math.max(...frames).toFixed(1),
      lateFrames: `${((100 * frames.filter((f) => f > 20).length) / frames.length).toFixed(1)}%`,
      rowsStillLoadingAtEnd: blank,
    },
    timeline: {
      connections,
      frameTime: frameTimeSummary(timelineCosts),
    },
    openToStatistics: { tcpConversationsMs: Math.round(conversationsMs), endpointsMs: Math.round(endpointsMs) },
  };
  console.log(JSON.stringify(report, null, 2));
} finally {
  closing = true;
  await browser.close();
  await app.stop();
}

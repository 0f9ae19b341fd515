// Where a worker thread's code is found: beside the bundle, or unpacked next to the desktop
// app's app.asar (electron-builder.yml's asarUnpack), where plain Node can read it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { startWorker, unpackedFromAsar } from './worker-entry.js';

const install = mkdtempSync(join(tmpdir(), 'synscope-asar-'));
afterAll(() => rmSync(install, { recursive: true, force: true }));

/** A worker that answers with where it runs from and what it was given. */
const ECHO = "import { parentPort, workerData } from 'node:worker_threads';\nparentPort.postMessage({ url: import.meta.url, data: workerData });\n";

async function firstMessage(w: Worker): Promise<{ url: string; data: unknown }> {
  try {
    return await new Promise((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    });
  } finally {
    void w.terminate();
  }
}

describe('unpackedFromAsar', () => {
  it('moves a path inside app.asar to app.asar.unpacked', () => {
    expect(unpackedFromAsar('/opt/SynScope/resources/app.asar/dist/index-worker.mjs')).toBe('/opt/SynScope/resources/app.asar.unpacked/dist/index-worker.mjs');
  });

  it('leaves a path outside an archive alone', () => {
    expect(unpackedFromAsar('/work/synscope/dist/index-worker.mjs')).toBeNull();
    expect(unpackedFromAsar('/home/me/captures.asarx/dist/a.mjs')).toBeNull();
  });
});

describe('startWorker', () => {
  it('starts a packaged app’s worker from app.asar.unpacked (app.asar itself is one archive file)', async () => {
    const resources = join(install, 'resources');
    mkdirSync(join(resources, 'app.asar.unpacked', 'dist'), { recursive: true });
    writeFileSync(join(resources, 'app.asar'), 'not a directory: an archive only Electron reads');
    writeFileSync(join(resources, 'app.asar.unpacked', 'dist', 'echo-worker.mjs'), ECHO);
    const inArchive = pathToFileURL(join(resources, 'app.asar', 'dist', 'echo-worker.mjs'));
    const m = await firstMessage(startWorker(inArchive, new URL('./missing.ts', import.meta.url), { workerData: { path: '/tmp/x.pcap' } }));
    expect(m.url).toBe(pathToFileURL(join(resources, 'app.asar.unpacked', 'dist', 'echo-worker.mjs')).href);
    expect(m.data).toEqual({ path: '/tmp/x.pcap' });
  });

  it('starts a bundle’s worker from beside the bundle', async () => {
    const dist = join(install, 'dist');
    mkdirSync(dist, { recursive: true });
    writeFileSync(join(dist, 'echo-worker.mjs'), ECHO);
    const beside = pathToFileURL(join(dist, 'echo-worker.mjs'));
    const m = await firstMessage(startWorker(beside, new URL('./missing.ts', import.meta.url), { workerData: 7 }));
    expect(m).toEqual({ url: beside.href, data: 7 });
  });
});

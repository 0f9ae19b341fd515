// Starts a worker thread from where its code is: a bundle (dist/) ships each worker as its own
// .mjs beside itself; under the TypeScript sources (tests, tsx) the worker registers tsx's loader
// first and then imports its .ts file (Node 20 does not apply an `--import` loader given in a
// worker's execArgv to the worker's own entry file).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker running `bundled` when that file exists, else `source` under tsx. Both URLs are made
 * by the caller relative to its own import.meta.url. Throws when no worker can start.
 */
export function startWorker(bundled: URL, source: URL, options: WorkerOptions): Worker {
  if (existsSync(fileURLToPath(bundled))) return new Worker(bundled, options);
  const tsx = pathToFileURL(tsxEsmApi()).href;
  const code = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(source.href)}); });`;
  return new Worker(code, { ...options, eval: true });
}

/** The file of tsx's ES module API (`tsx/esm/api`, its `import` condition: the `require` one cannot register the loader). */
function tsxEsmApi(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const exports = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports;
  return join(dirname(manifest), exports['./esm/api']!.import.default);
}

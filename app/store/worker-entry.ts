// Starts a worker thread from where its code is: a bundle (dist/) ships each worker as its own
// .mjs beside itself; under the TypeScript sources (tests, tsx) the worker registers tsx's loader
// first and then imports its .ts file (Node 20 does not apply an `--import` loader given in a
// worker's execArgv to the worker's own entry file).
//
// In the packaged desktop app the bundles sit inside app.asar, a single archive file that only
// Electron's patched fs can see into. A worker's ES module entry is loaded by Node's own loader,
// so electron-builder.yml unpacks the worker files (asarUnpack) and they are started from
// app.asar.unpacked, where they are real files; they import nothing but Node's built-ins.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker running `bundled` when that file exists, else `source` under tsx. Both URLs are made
 * by the caller relative to its own import.meta.url. Throws when no worker can start.
 */
export function startWorker(bundled: URL, source: URL, options: WorkerOptions): Worker {
  const unpacked = unpackedFromAsar(fileURLToPath(bundled));
  if (unpacked !== null && existsSync(unpacked)) return new Worker(pathToFileURL(unpacked), options);
  if (existsSync(fileURLToPath(bundled))) return new Worker(bundled, options);
  const tsx = pathToFileURL(tsxEsmApi()).href;
  const code = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(source.href)}); });`;
  return new Worker(code, { ...options, eval: true });
}

/** `path` with its `app.asar` directory replaced by `app.asar.unpacked`; null outside an archive. */
export function unpackedFromAsar(path: string): string | null {
  const marker = `.asar${sep}`;
  const at = path.lastIndexOf(marker);
  if (at < 0) return null;
  return `${path.slice(0, at)}.asar.unpacked${path.slice(at + '.asar'.length)}`;
}

/** The file of tsx's ES module API (`tsx/esm/api`, its `import` condition: the `require` one cannot register the loader). */
function tsxEsmApi(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const exports = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports;
  return join(dirname(manifest), exports['./esm/api']!.import.default);
}

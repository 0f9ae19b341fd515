// Bundles the Electron shell into dist/ (never committed), beside the engine's bundles so the
// index-worker and capture-helper files (scripts/build.mjs) that the engine looks for next to
// itself are found there too:
//   dist/desktop-main.mjs     the main process (package.json "main"); ESM like the engine,
//                             'electron' and the native addon (cap) left to the runtime
//   dist/desktop-preload.cjs  the preload: one CommonJS file with only 'electron' external,
//                             because a sandboxed preload can require nothing else. Built for
//                             the browser platform so an accidental Node import fails the build.
import { resolve, sep } from 'node:path';
import { build } from 'esbuild';
import { NODE_BUNDLE } from './node-bundle.mjs';

/**
 * The engine's `spawn(process.execPath, ...)` means "run Node"; under Electron that needs
 * ELECTRON_RUN_AS_NODE for the child (and the privileged capture launcher where installed):
 * main/node-child-process.ts. Only imports from app/ are redirected.
 */
const engineChildProcess = {
  name: 'engine-child-process',
  setup(b) {
    const shim = resolve('main/node-child-process.ts');
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.importer.includes(`${sep}app${sep}`) ? { path: shim } : undefined);
  },
};

await Promise.all([
  build({
    entryPoints: { 'desktop-main': 'main/index.ts' },
    ...NODE_BUNDLE,
    external: ['electron', 'cap'],
    plugins: [engineChildProcess],
  }),
  build({
    entryPoints: { 'desktop-preload': 'main/preload.ts' },
    outdir: 'dist',
    bundle: true,
    platform: 'browser',
    target: 'chrome120',
    format: 'cjs',
    sourcemap: 'inline',
    outExtension: { '.js': '.cjs' },
    external: ['electron'],
    logLevel: 'warning',
  }),
]);

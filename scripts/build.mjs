// Bundles the engine's entry points into dist/ (never committed). Fast (esbuild), so `npm ci`
// runs it through `prepare` and `npx synscope` works right after install.
import { readdirSync, rmSync } from 'node:fs';
import { build } from 'esbuild';
import { buildRenderer } from './build-renderer.mjs';
import { NODE_BUNDLE } from './node-bundle.mjs';

// The CLI is split at its dynamic imports (app/cli/run.ts loads each command's modules when it
// runs): `synscope read F -f EXPR -w OUT` then loads the reader, the tcpdump compiler and the
// writer, not the protocol modules, whose top level alone costs a third of tcpdump's whole run
// on a 400 MB file. The chunks sit beside synscope.mjs in dist/ (modules locate
// capture-helper.mjs and index-worker.mjs next to import.meta.url); stale ones are removed first.
const CLI_CHUNK = 'synscope-chunk-';
for (const f of readdirSync('dist', { withFileTypes: true }).filter((e) => e.name.startsWith(CLI_CHUNK))) rmSync(`dist/${f.name}`);

await Promise.all([
  build({ entryPoints: { synscope: 'app/cli/main.ts' }, external: ['cap'], ...NODE_BUNDLE, splitting: true, chunkNames: `${CLI_CHUNK}[hash]` }),
  build({
    // capture-helper: the process that owns the libpcap handle (app/capture/helper.ts); the CLI
    // finds it next to itself. `cap` is a native addon, loaded from node_modules at run time.
    // index-worker: the worker thread that indexes an opened file (app/store/file-index.ts).
    entryPoints: { 'capture-helper': 'app/capture/helper.ts', 'index-worker': 'app/store/index-worker.ts' },
    external: ['cap'],
    ...NODE_BUNDLE,
  }),
]);

// The UI bundle (renderer/dist): served by `synscope web`, loaded by the desktop window.
await buildRenderer();

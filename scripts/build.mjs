// Bundles the engine's entry points into dist/ (never committed). Fast (esbuild), so `npm ci`
// runs it through `prepare` and `npx synscope` works right after install.
import { build } from 'esbuild';
import { buildRenderer } from './build-renderer.mjs';
import { NODE_BUNDLE } from './node-bundle.mjs';

await build({
  // capture-helper: the process that owns the libpcap handle (app/capture/helper.ts); the CLI
  // finds it next to itself. `cap` is a native addon, loaded from node_modules at run time.
  // index-worker: the worker thread that indexes an opened file (app/store/file-index.ts).
  entryPoints: { synscope: 'app/cli/main.ts', 'capture-helper': 'app/capture/helper.ts', 'index-worker': 'app/store/index-worker.ts' },
  external: ['cap'],
  ...NODE_BUNDLE,
});

// The UI bundle (renderer/dist): served by `synscope web`, loaded by the desktop window.
await buildRenderer();

// Bundles the engine's entry points into dist/ (never committed). Fast (esbuild), so `npm ci`
// runs it through `prepare` and `npx synscope` works right after install.
import { build } from 'esbuild';
import { buildRenderer } from './build-renderer.mjs';
import { rmSync } from 'node:fs';
import { NODE_BUNDLE, NODE_COMMAND_BUNDLE } from './node-bundle.mjs';

// The `synscope` command is a small launcher (app/cli/main.ts) and self-contained bundles it
// chooses between at run time: the whole CLI; `read`, without the web server and capture code;
// and the filter-and-write pass of `read -f EXPR -w OUT` (tcpdump's job), which would otherwise
// pay for parsing and running every protocol module (~0.05 s of CPU, a third of tcpdump's run on
// a 400 MB file). The launcher compiles them with V8's code cache (bundle-loader.ts), kept in
// dist/.code-cache: a rebuild clears it.
rmSync('dist/.code-cache', { recursive: true, force: true });
await Promise.all([
  build({
    // CommonJS like the bundles it loads: Node then never starts its ES module loader.
    entryPoints: { synscope: 'app/cli/main.ts' },
    ...NODE_COMMAND_BUNDLE,
  }),
  build({
    entryPoints: {
      'synscope-cli': 'app/cli/run.ts',
      'synscope-read': 'app/cli/read.ts',
      'synscope-filter-write': 'app/cli/filter-write.ts',
    },
    external: ['cap'],
    ...NODE_COMMAND_BUNDLE,
  }),
  build({
    entryPoints: {
      // capture-helper: the process that owns the libpcap handle (app/capture/helper.ts); the CLI
      // finds it next to itself. `cap` is a native addon, loaded from node_modules at run time.
      // index-worker: the worker thread that indexes an opened file (app/store/file-index.ts).
      // ahead-worker: the worker thread that runs a display filter over an opened file ahead of
      // the session's pass (app/filter/filter-ahead.ts).
      'capture-helper': 'app/capture/helper.ts',
      'index-worker': 'app/store/index-worker.ts',
      'ahead-worker': 'app/filter/ahead-worker.ts',
      // read-worker: a thread of `synscope read` on a large file (app/cli/read-parallel.ts).
      'read-worker': 'app/cli/read-worker.ts',
    },
    external: ['cap'],
    ...NODE_BUNDLE,
  }),
]);

// The UI bundle (renderer/dist): served by `synscope web`, loaded by the desktop window.
await buildRenderer();

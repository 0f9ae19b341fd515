// Bundles the React UI into renderer/dist/ (never committed): app.js + app.css from
// renderer/main.tsx, and the static index.html/favicon beside them. Both web mode
// (app/server serves the folder) and the desktop window load exactly these files.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monacoCspPlugin } from '../renderer/filter-editor/monaco-csp-plugin.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'renderer', 'dist');

export async function buildRenderer() {
  mkdirSync(out, { recursive: true });
  await build({
    // The filter editor's Monaco worker is its own file, started from our origin (no blob:/eval).
    entryPoints: { app: join(root, 'renderer', 'main.tsx'), 'filter-editor-worker': join(root, 'renderer', 'filter-editor', 'editor-worker.ts') },
    // Monaco's icon font; its run-time stylesheets made CSP-safe (see the plugin).
    loader: { '.ttf': 'file' },
    plugins: [monacoCspPlugin],
    outdir: out,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: ['chrome110', 'firefox115', 'safari16'],
    jsx: 'automatic',
    minify: true,
    sourcemap: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  for (const f of ['index.html', 'favicon.svg']) copyFileSync(join(root, 'renderer', f), join(out, f));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildRenderer();

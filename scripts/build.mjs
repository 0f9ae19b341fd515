// Bundles the engine's entry points into dist/ (never committed). Fast (esbuild), so `npm ci`
// runs it through `prepare` and `npx synscope` works right after install.
import { build } from 'esbuild';

await build({
  entryPoints: { synscope: 'app/cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  outExtension: { '.js': '.mjs' },
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});

// esbuild options shared by every Node-side bundle in dist/ (the CLI, the capture helper, the
// desktop main process and the index worker): ESM for Node 20, with a `require` for the native
// addon (cap) that stays in node_modules.
export const NODE_BUNDLE = {
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  outExtension: { '.js': '.mjs' },
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
};

/**
 * The `synscope` launcher (app/cli/main.ts, run by bin/synscope.cjs) and the command bundles it
 * loads through app/cli/bundle-loader.ts:
 * CommonJS, because only a script compiled with node:vm can take V8's code cache in Node 20 (an
 * ES module cannot), and that cache saves ~0.02 s of every run's start-up. `import.meta.url`
 * becomes the bundle file's own URL, which the loader gives it.
 */
export const NODE_COMMAND_BUNDLE = {
  ...NODE_BUNDLE,
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
};

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

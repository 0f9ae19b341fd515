#!/usr/bin/env node
// The `synscope` command. Runs the bundle that `npm install` / `npm run build` made.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const bundle = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'synscope.mjs');
if (!existsSync(bundle)) {
  process.stderr.write('synscope: not built yet; run `npm install` or `npm run build` first\n');
  process.exit(2);
}
await import(pathToFileURL(bundle).href);

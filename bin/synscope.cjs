#!/usr/bin/env node
// The `synscope` command. Runs the bundle that `npm install` / `npm run build` made. CommonJS, as
// the bundle is: an ES module entry would start Node's ESM loader first (~0.004 s of every run).
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const bundle = join(__dirname, '..', 'dist', 'synscope.cjs');
if (!existsSync(bundle)) {
  process.stderr.write('synscope: not built yet; run `npm install` or `npm run build` first\n');
  process.exit(2);
}
require(bundle);

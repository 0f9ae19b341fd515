// The `synscope` command (bundled to dist/synscope.mjs, run by bin/synscope.js).
import { run } from './run.js';
import { FdSink } from './sink.js';

const out = new FdSink(1);
const err = new FdSink(2);
const code = await run(process.argv.slice(2), out, err);
out.flush();
err.flush();
process.exitCode = code;

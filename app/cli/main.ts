// The `synscope` command (bundled to dist/synscope.mjs, run by bin/synscope.js): a launcher that
// loads one of two bundles beside it. `read` that only filters with -f and writes with -w runs
// the filter-and-write pass from dist/synscope-filter-write.mjs (reader, tcpdump compiler,
// writer: ~0.01 s of CPU to load); everything else runs dist/synscope-cli.mjs (run.ts, the whole
// CLI, ~0.04 s). Each bundle is one self-contained file with a fixed name: a rebuild overwrites
// it and never removes code that a running `synscope web` may still import.
import { filterWriteOnly, parseReadArgs, type ReadOptions } from './args.js';
import { FdSink } from './sink.js';

/** The options of a `read` for the filter-and-write pass, or null (run.ts reports usage errors). */
function filterWriteRead(argv: readonly string[]): ReadOptions | null {
  if (argv[0] !== 'read') return null;
  try {
    const o = parseReadArgs(argv.slice(1));
    return !o.help && filterWriteOnly(o) ? o : null;
  } catch {
    return null;
  }
}

const bundle = (name: string): string => new URL(`./${name}.mjs`, import.meta.url).href;
const argv = process.argv.slice(2);
const out = new FdSink(1);
const err = new FdSink(2);
const lean = filterWriteRead(argv);
const code = lean
  ? ((await import(bundle('synscope-filter-write'))) as typeof import('./filter-write.js')).runFilterWrite(lean, err)
  : await ((await import(bundle('synscope-cli'))) as typeof import('./run.js')).run(argv, out, err);
out.flush();
err.flush();
process.exitCode = code;

// The `synscope` command (bundled to dist/synscope.cjs, run by bin/synscope.cjs): a launcher that
// loads one of the bundles beside it, so a run parses only the code it can use. `read` that only
// filters with -f and writes with -w: dist/synscope-filter-write.cjs (reader, tcpdump compiler,
// writer; ~0.01 s of CPU to load). Any other `read` without -z: dist/synscope-read.cjs (read.ts:
// dissectors, display filters, no web server or capture). Everything else: dist/synscope-cli.cjs
// (run.ts).
// Each bundle is one self-contained file, loaded whole at start (bundle-loader.ts, with V8's
// code cache): a rebuild while `synscope web` runs changes nothing under it.
import { filterWriteOnly, parseReadArgs, type ReadOptions } from './args.js';
import { loadBundle } from './bundle-loader.js';
import { BrokenPipeError, FdSink } from './sink.js';

/** The options of a `read` this launcher runs itself, or null (run.ts reports usage errors, help). */
function readOptions(argv: readonly string[]): ReadOptions | null {
  if (argv[0] !== 'read') return null;
  try {
    const o = parseReadArgs(argv.slice(1));
    return o.help ? null : o;
  } catch {
    return null;
  }
}

const bundle = <T>(name: string): T => loadBundle<T>(new URL(`./${name}.cjs`, import.meta.url));

/** Runs the command line; resolves to the exit status. */
async function main(argv: readonly string[], out: FdSink, err: FdSink): Promise<number> {
  const read = readOptions(argv);
  try {
    let code: number;
    if (read && filterWriteOnly(read)) code = bundle<typeof import('./filter-write.js')>('synscope-filter-write').runFilterWrite(read, err);
    // -z: the statistics tables come from the whole CLI's code (run.ts).
    else if (read && read.stats.length === 0) code = await bundle<typeof import('./read.js')>('synscope-read').runRead(read, out, err);
    else code = await bundle<typeof import('./run.js')>('synscope-cli').run(argv, out, err);
    out.flush();
    return code;
  } catch (e) {
    // The reader of our output went away (`synscope conv F | head`): stop quietly, as read does.
    if (e instanceof BrokenPipeError) return 0;
    if (e instanceof Error && (e.name === 'OutputFileError' || e.name === 'CaptureWriteError')) {
      // open-capture.ts: the -w file cannot be created; writer.ts: a packet it cannot hold.
      err.write(`synscope: ${e.message}\n`);
      return 2;
    }
    throw e;
  } finally {
    err.flush();
  }
}

// No top-level await: the launcher is CommonJS (see bin/synscope.cjs). An unexpected error
// rejects and Node reports it with its stack and exit status 1, as it would have thrown.
void main(process.argv.slice(2), new FdSink(1), new FdSink(2)).then((code) => {
  process.exitCode = code;
});

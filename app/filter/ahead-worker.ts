// The filter worker (node:worker_threads): tests every packet of the file named in workerData
// against a display filter, in order from the first packet (the filter reads what earlier
// packets decide: reassembly, TCP analysis), and posts the verdicts in batches as it goes. It is
// `synscope read FILE -Y FILTER -q`'s pass (read-pass.ts: header-only packets are decided on
// their headers, the others dissected), so it decides as the command does. filter-ahead.ts
// starts it when a filter the session cannot answer from the headers is applied while the
// session's own pass is far from the end of a large file.
import { parentPort, workerData } from 'node:worker_threads';
import { parseReadArgs } from '../cli/args.js';
import { compileReadFilters } from '../cli/filters.js';
import { READ_PASS } from '../cli/open-capture.js';
import { ReadPass } from '../cli/read-pass.js';
import { StringSink } from '../cli/sink.js';
import { openCaptureFile } from '../file/reader.js';
import { AHEAD_BATCH_MS, type AheadMessage, type AheadWorkerData } from './filter-ahead.js';

const port = parentPort;
if (port) {
  const { path, text } = workerData as AheadWorkerData;
  let matches: number[] = [];
  /** Frames decided so far (the pass's count once it runs). */
  let upTo = 0;
  let sentAt = Date.now();
  const post = (m: AheadMessage) => port.postMessage(m, m.type === 'verdicts' ? [m.matches.buffer as ArrayBuffer] : []);
  const flush = () => {
    post({ type: 'verdicts', upTo, matches: Uint32Array.from(matches) });
    matches = [];
    sentAt = Date.now();
  };
  try {
    const c = compileReadFilters(text, null);
    if (!c.ok || !c.filters.display) throw new Error(`not a display filter: ${text}`);
    const reader = openCaptureFile(path, READ_PASS);
    try {
      // `--`: a path that starts with '-' is still the file.
      const pass = new ReadPass(parseReadArgs(['-Y', text, '-q', '--', path]), reader.info, null, c.filters, null, new StringSink());
      pass.onMatch = (n) => matches.push(n);
      for (let rec = reader.next(); rec !== null; rec = reader.next()) {
        pass.packet(rec);
        upTo = pass.packets;
        if ((upTo & 1023) === 0 && Date.now() - sentAt >= AHEAD_BATCH_MS) flush();
      }
    } finally {
      reader.close();
    }
    flush();
    post({ type: 'done', upTo });
  } catch (e) {
    // A damaged file: the verdicts of the packets before the damage stand.
    flush();
    post({ type: 'failed', upTo, message: e instanceof Error ? e.message : String(e) });
  }
}

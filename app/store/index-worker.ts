// The index worker (node:worker_threads): opens the capture file named in workerData, indexes
// it with buildIndex and posts IndexMessages back; the final columns are transferred, not
// copied. Running here keeps the session's thread free while a large file is read.
import { statSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { buildIndex, transferList, type IndexMessage } from './index-build.js';

const port = parentPort;
if (port) {
  const { path } = workerData as { path: string };
  const post = (m: IndexMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
  try {
    const built = buildIndex(path, statSync(path).size, {
      progress: (packets, fraction) => post({ type: 'progress', packets, fraction }),
    });
    const columns = built.index.columns();
    const done: IndexMessage = { type: 'done', columns, info: built.info };
    if (built.warning !== undefined) done.warning = built.warning;
    post(done, transferList(columns));
  } catch (e) {
    post({ type: 'failed', message: e instanceof Error ? e.message : String(e), notCapture: e instanceof Error && e.name === 'CaptureFileError' });
  }
}

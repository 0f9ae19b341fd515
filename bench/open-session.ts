// `npm run bench`'s "synscope open" row: a capture opened as the desktop opens it, in a Session
// (indexed in its worker, then the pass that analyses every frame: connections, expert notes,
// the columns to sort by, what a later look at a frame needs), until the whole file is
// analysed. Its peak RSS, over the packets, is the memory per packet of an opened file; the
// reference is `tshark -2`, whose first pass keeps what Wireshark keeps for an opened file.
// bench/run.ts bundles it into dist/ (next to the workers a Session starts).
import { Session } from '../app/session/session.js';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: open-session FILE\n');
  process.exit(2);
}
const s = new Session();
await s.handle('file.open', { path: file });
await s.whenAnalyzed();
const { packets } = s.summary();
const m = process.memoryUsage();
const mb = (n: number) => `${(n / 1048576).toFixed(0)} MB`;
process.stdout.write(`${packets} packets analysed; rss ${mb(m.rss)}, heap used ${mb(m.heapUsed)}, array buffers ${mb(m.arrayBuffers)}\n`);
await s.dispose();
process.exit(0);

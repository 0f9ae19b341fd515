// Floor of `synscope read FILE -f EXPR -w OUT` in Node: start Node and read the whole file into
// one reused buffer, nothing else. Any filter over a capture file must do at least this, so its
// time against tcpdump's whole run (`npm run bench`'s -f rows) shows how much room Node leaves.
import { openSync, readSync } from 'node:fs';

const CHUNK = 1 << 20;
const fd = openSync(process.argv[2], 'r');
const buf = Buffer.allocUnsafe(CHUNK);
let total = 0;
for (let n; (n = readSync(fd, buf, 0, CHUNK, null)) > 0; ) total += n;
process.stdout.write(`${total} bytes\n`);

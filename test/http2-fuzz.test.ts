// Seeded mutation fuzzing of HTTP/2 and HPACK on real traffic: the decrypted application data of
// test/fixtures/tls-keylog's HTTP/2 captures (curl's and Chromium's, both directions, as TLS hands
// it on), damaged at a rate of 0.02 in one chunk out of three, given to the HTTP/2 dissector in
// order with one capture state per round (so HPACK's dynamic table carries damage forward, as a
// real decoder's would). Nothing may escape the dissector but a decoding error, and every node
// lies inside its bytes. SYNSCOPE_FUZZ_ITER / SYNSCOPE_FUZZ_SEED as in fuzz.test.ts.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureState, dissect } from '../app/dissect/driver.js';
import { openCaptureFile } from '../app/file/reader.js';
import { keyLogFor } from '../app/dissect/tls-keylog.js';
import { http2Protocol } from '../app/dissect/protocols/http2.js';
import { repoRoot } from './helpers/corpus.js';
import { checkNodes } from './helpers/node-ranges.js';
import { runPayload } from './helpers/payload.js';
import { prng } from './helpers/prng.js';
import { framesOf } from './helpers/revisit.js';

const ROUNDS = Math.max(20, Math.floor(Number(process.env.SYNSCOPE_FUZZ_ITER ?? 3000) / 30));
const SEED = Number(process.env.SYNSCOPE_FUZZ_SEED ?? Date.now() % 0x7fffffff);

/** Each decrypted application data record of a capture, in order, with the side that sent it. */
function plaintexts(name: string): Array<{ bytes: Uint8Array; fromClient: boolean }> {
  const file = join(repoRoot, 'test', 'fixtures', 'tls-keylog', name);
  const reader = openCaptureFile(file);
  while (reader.next() !== null);
  const capture = new CaptureState({ revisits: false, keyLog: keyLogFor(null, () => reader.info.decryptionSecrets) });
  reader.close();
  const out: Array<{ bytes: Uint8Array; fromClient: boolean }> = [];
  for (const f of framesOf(file)) {
    const d = dissect(f, capture, { tree: true });
    if (!d.layers.includes('http2')) continue;
    const fromClient = (f.data[36]! << 8 | f.data[37]!) === 8443; // IPv4 without options: the TCP destination port
    d.sources.forEach((bytes, i) => {
      if (i > 0 && d.ctx.sourceName(i) === 'Decrypted TLS') out.push({ bytes: bytes.slice(), fromClient });
    });
  }
  return out;
}

describe(`HTTP/2 fuzz (seed ${SEED}, ${ROUNDS} rounds; replay with SYNSCOPE_FUZZ_SEED=${SEED})`, () => {
  for (const name of ['h2-curl.pcapng', 'h2-chromium.pcapng']) {
    it(name, () => {
      const chunks = plaintexts(name);
      expect(chunks.length).toBeGreaterThan(10);
      const rand = prng(SEED);
      let damaged = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const capture = new CaptureState({ revisits: round % 2 === 0 });
        chunks.forEach((c, i) => {
          const bytes = c.bytes.slice();
          if (rand() < 1 / 3) {
            damaged++;
            for (let j = 0; j < bytes.length; j++) if (rand() < 0.02) bytes[j] = Math.floor(rand() * 256);
          }
          const endpoints = c.fromClient
            ? { src: '127.0.0.1', dst: '127.0.0.1', srcPort: 40000, dstPort: 8443 }
            : { src: '127.0.0.1', dst: '127.0.0.1', srcPort: 8443, dstPort: 40000 };
          const run = runPayload(http2Protocol, bytes, { transport: 'tcp', capture, endpoints, number: i + 1 });
          // Damaged or not, the bytes are HTTP/2's: its item is there, and every node inside its bytes.
          expect(run.ctx.layers).toContain('http2');
          checkNodes(run.ctx.roots, run.ctx.sources, `seed ${SEED} round ${round} chunk ${i}`);
        });
      }
      expect(damaged).toBeGreaterThan(ROUNDS);
    });
  }
});

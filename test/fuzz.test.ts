// Seeded mutation fuzzing over the real corpus. Packets: flip bytes at rate 0.02 and dissect;
// nothing may escape dissect(), no dissector may throw anything but the Tvb errors (the
// driver reports other exceptions as "dissector bug"), every node's byte range lies inside the
// captured bytes, and generated nodes have length 0. Files: damage headers and blocks; the
// reader must end (no hang) and throw nothing but CaptureFileError.
// SYNSCOPE_FUZZ_ITER=N runs N packet mutations (and N/10 file mutations); SYNSCOPE_FUZZ_SEED
// replays a failure (the seed is printed in every failure message).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CaptureState, type FrameInput } from '../app/dissect/driver.js';
import { allFields } from '../app/dissect/field.js';
import { CaptureFileError } from '../app/file/types.js';
import { openSource, prepareCapture } from '../app/cli/source.js';
import { corpusCaptures, corpusPath } from './helpers/corpus.js';
import { corpusRecords } from './helpers/corpus-records.js';
import { fuzzDissect } from './helpers/node-ranges.js';
import { prng } from './helpers/prng.js';

const ITER = Number(process.env.SYNSCOPE_FUZZ_ITER ?? 3000);
const SEED = Number(process.env.SYNSCOPE_FUZZ_SEED ?? Date.now() % 0x7fffffff);
const RATE = 0.02;
const MAX_PACKETS_PER_FILE = 300;


function mutate(src: Uint8Array, rand: () => number, rate: number, from = 0, to = src.length): Uint8Array {
  const b = Uint8Array.from(src);
  for (let i = from; i < Math.min(to, b.length); i++) {
    if (rand() < rate) b[i] = b[i]! ^ (1 + Math.floor(rand() * 255));
  }
  return b;
}

interface Sample {
  file: string;
  frame: Omit<FrameInput, 'data'>;
  data: Uint8Array;
}

const files = corpusCaptures();

async function loadSamples(): Promise<Sample[]> {
  const out: Sample[] = [];
  let last = '', number = 0;
  for await (const { file, rec } of corpusRecords(MAX_PACKETS_PER_FILE)) {
    number = file === last ? number + 1 : 1;
    last = file;
    out.push({
      file,
      frame: { number, ts: { ...rec.ts }, capLen: rec.capLen, origLen: rec.origLen, linkType: rec.linkType },
      data: Uint8Array.from(rec.data),
    });
  }
  return out;
}

describe(`mutation fuzz (seed ${SEED}, ${ITER} iterations; replay with SYNSCOPE_FUZZ_SEED=${SEED})`, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'synscope-fuzz-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('dissects mutated packets without escaping errors, with node ranges inside the bytes', async () => {
    const samples = await loadSamples();
    expect(samples.length).toBeGreaterThan(100);
    const rand = prng(SEED);
    const allIds = new Set(allFields().map((f) => f.id));
    let capture = new CaptureState();
    prepareCapture(capture);
    const failures: string[] = [];
    for (let it = 0; it < ITER && failures.length < 10; it++) {
      // A fresh capture now and then, so conversation state is exercised but stays small.
      if (it % 500 === 0) {
        capture = new CaptureState();
        prepareCapture(capture);
      }
      const s = samples[Math.floor(rand() * samples.length)]!;
      const data = mutate(s.data, rand, RATE);
      // Sometimes cut the capture short too (snaplen), keeping the reported length.
      const cut = rand() < 0.1 ? data.subarray(0, Math.floor(rand() * data.length)) : data;
      const frame: FrameInput = { ...s.frame, number: it + 1, data: cut, capLen: cut.length };
      const where = `seed ${SEED} iteration ${it} (${s.file} frame ${s.frame.number})`;
      const failure = fuzzDissect(frame, capture, rand() < 0.5 ? { tree: true } : { tree: false, wanted: allIds }, where);
      if (failure) failures.push(failure);
    }
    expect(failures, failures.join('\n')).toEqual([]);
  });

  it('reads damaged files to the end or a CaptureFileError, never hanging', async () => {
    const rand = prng(SEED ^ 0x5eed);
    const inputs = files.map((f) => ({ rel: f, bytes: readFileSync(corpusPath(f)) })).filter((f) => f.bytes.length < 2_000_000);
    const failures: string[] = [];
    const n = Math.max(50, Math.floor(ITER / 10));
    for (let it = 0; it < n && failures.length < 10; it++) {
      const f = inputs[Math.floor(rand() * inputs.length)]!;
      const mode = rand();
      let bytes: Uint8Array;
      if (mode < 0.4) bytes = mutate(f.bytes, rand, 0.05, 0, 96); // file header / SHB / IDB
      else if (mode < 0.8) bytes = mutate(f.bytes, rand, 0.002); // anywhere, blocks included
      else bytes = f.bytes.subarray(0, Math.floor(rand() * f.bytes.length)); // cut short
      const path = join(tmp, `m${it}`);
      writeFileSync(path, bytes);
      const where = `seed ${SEED} file iteration ${it} (${f.rel}, mode ${mode.toFixed(2)})`;
      // More records than 16-byte record headers fit in the file would mean a loop.
      const limit = Math.ceil(bytes.length / 12) + 8;
      try {
        const src = await openSource(path);
        try {
          let count = 0;
          for (;;) {
            let rec = src.next();
            if (rec instanceof Promise) rec = await rec;
            if (!rec) break;
            if (++count > limit) throw new Error(`${where}: more than ${limit} records from ${bytes.length} bytes (a loop?)`);
          }
        } finally {
          src.close();
        }
      } catch (e) {
        if (!(e instanceof CaptureFileError)) failures.push(e instanceof Error && e.message.startsWith('seed') ? e.message : `${where}: threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
      } finally {
        rmSync(path, { force: true });
      }
    }
    expect(failures, failures.join('\n')).toEqual([]);
  });
});

// HTTP's header block read on its bytes (plainHeaderBlock, for dissections that record none of
// its lines: `synscope read`'s summary lines) against the line-by-line loop it stands in for (the
// one corpus.diff.test.ts and the HTTP suites compare with tshark): on every corpus capture, and
// on the same packets with mutated bytes, each packet dissected both ways in captures of its own
// has the same columns, layers, malformed/truncated marks and expert notes.
import { describe, expect, it } from 'vitest';
import { CaptureState, dissect, type Dissection, type FrameInput } from '../app/dissect/driver.js';
import { fieldByName } from '../app/dissect/field.js';
import { prepareCapture } from '../app/cli/source.js';
import { corpusRecords } from './helpers/corpus-records.js';
import { prng } from './helpers/prng.js';

/** Wanting one header-line field sends the block through the line loop, as a tree would. */
const LOOP = { tree: false, wanted: new Set([fieldByName('http.request.line')!.id]) } as const;
const PLAIN = { tree: false } as const;

function summary(d: Dissection): string {
  const notes = d.expert.map((e) => `${e.severity}/${e.group}/${e.message}`).join('; ');
  return [d.layers.join(':'), d.protocol, d.src, d.dst, d.info, d.truncated, d.malformed, notes].join(' | ');
}

interface Pair {
  loop: CaptureState;
  plain: CaptureState;
}

function newPair(): Pair {
  const loop = new CaptureState(), plain = new CaptureState();
  prepareCapture(loop);
  prepareCapture(plain);
  return { loop, plain };
}

async function* corpusFrames(): AsyncGenerator<{ file: string; frame: FrameInput }> {
  let last = '', number = 0;
  for await (const { file, rec } of corpusRecords()) {
    number = file === last ? number + 1 : 1;
    last = file;
    yield { file, frame: { number, ts: { ...rec.ts }, capLen: rec.capLen, origLen: rec.origLen, linkType: rec.linkType, data: Uint8Array.from(rec.data) } };
  }
}

describe('HTTP header blocks: read on their bytes or line by line, the same packet', () => {
  it('on every corpus capture', async () => {
    let pair = newPair(), last = '', http = 0;
    const differ: string[] = [];
    for await (const { file, frame } of corpusFrames()) {
      if (file !== last) {
        pair = newPair();
        last = file;
      }
      const a = summary(dissect(frame, pair.loop, LOOP)), b = summary(dissect(frame, pair.plain, PLAIN));
      if (a.split(' | ')[0]!.includes('http')) http++;
      if (a !== b && differ.length < 5) differ.push(`${file} frame ${frame.number}:\n  loop  ${a}\n  plain ${b}`);
    }
    expect(differ, differ.join('\n')).toEqual([]);
    // The corpus has HTTP to compare (hundreds of messages).
    expect(http).toBeGreaterThan(300);
  });

  const seed = Number(process.env.SYNSCOPE_FUZZ_SEED ?? Date.now() % 0x7fffffff);
  it(`on the corpus's HTTP packets with mutated bytes (seed ${seed}; replay with SYNSCOPE_FUZZ_SEED=${seed})`, async () => {
    const rand = prng(seed);
    // The packets with an HTTP layer, from plain captures of their own files.
    const samples: FrameInput[] = [];
    let pair = newPair(), last = '';
    for await (const { file, frame } of corpusFrames()) {
      if (file !== last) {
        pair = newPair();
        last = file;
      }
      if (dissect(frame, pair.plain, PLAIN).layers.includes('http')) samples.push(frame);
    }
    expect(samples.length).toBeGreaterThan(300);
    pair = newPair();
    const differ: string[] = [];
    for (let i = 0; i < 4000 && differ.length < 5; i++) {
      const s = samples[Math.floor(rand() * samples.length)]!;
      const data = Uint8Array.from(s.data);
      // Bytes in the TCP payload's usual range flipped to NUL, high bytes, colons, line ends.
      for (let k = 0; k < data.length; k++) {
        if (rand() < 0.01) data[k] = [0x00, 0x0a, 0x0d, 0x3a, 0x20, 0x80, 0xff, 0x28, Math.floor(rand() * 256)][Math.floor(rand() * 9)]!;
      }
      const frame = { ...s, number: i + 1, data };
      const a = summary(dissect(frame, pair.loop, LOOP)), b = summary(dissect(frame, pair.plain, PLAIN));
      if (a !== b) differ.push(`iteration ${i} (frame ${s.number}):\n  loop  ${a}\n  plain ${b}`);
    }
    expect(differ, differ.join('\n')).toEqual([]);
  });
});

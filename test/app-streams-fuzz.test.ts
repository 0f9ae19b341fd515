// Seeded mutation fuzzing of what HTTP hands a connection to, on the real sessions of
// test/fixtures/http: WebSocket after its Upgrade, and HTTP/2 with gRPC and Protocol Buffers
// after h2c's preface. Every round dissects a whole capture with the TCP payload of one frame in
// three from there on damaged at a rate of 0.02 (the Ethernet, IP and TCP headers kept, so the
// bytes still reach those protocols: lengths that lie, masks, compressed data that does not
// inflate, fragments out of turn, HPACK and protobuf varints running off the end).
// Nothing may escape dissect(), no dissector bug may be reported, every node lies inside its
// bytes. SYNSCOPE_FUZZ_ITER / SYNSCOPE_FUZZ_SEED as in fuzz.test.ts.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureState } from '../app/dissect/driver.js';
import { repoRoot } from './helpers/corpus.js';
import { fuzzDissect } from './helpers/node-ranges.js';
import { prng } from './helpers/prng.js';
import { framesOf } from './helpers/revisit.js';

const ROUNDS = Math.max(20, Math.floor(Number(process.env.SYNSCOPE_FUZZ_ITER ?? 3000) / 30));
const SEED = Number(process.env.SYNSCOPE_FUZZ_SEED ?? Date.now() % 0x7fffffff);
/** Ethernet, IPv4 and a TCP header with timestamps: where the payload of these loopback frames starts. */
const PAYLOAD_AT = 14 + 20 + 32;

/** Each capture, and what the payload of the frame the switch happens in holds. */
const CAPTURES: Array<[string, string]> = [['websocket.pcap', '101 Switching'], ['websocket-deflate.pcap', '101 Switching'], ['grpc.pcap', 'PRI * HTTP/2.0'], ['grpc-split.pcap', 'PRI * HTTP/2.0'], ['grpc-kinds.pcap', 'PRI * HTTP/2.0']];

describe(`WebSocket, HTTP/2, gRPC fuzz (seed ${SEED}, ${ROUNDS} rounds; replay with SYNSCOPE_FUZZ_SEED=${SEED})`, () => {
  for (const [name, marker] of CAPTURES) {
    it(name, () => {
      const frames = framesOf(join(repoRoot, 'test', 'fixtures', 'http', name));
      // The frames after the one where HTTP hands the connection on.
      const upgraded = frames.findIndex((f) => Buffer.from(f.data).includes(marker));
      expect(upgraded).toBeGreaterThan(0);
      const rand = prng(SEED);
      let damaged = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const capture = new CaptureState({ revisits: round % 2 === 0 });
        for (const f of frames) {
          const data = f.data.slice();
          if (f.number > upgraded + 1 && data.length > PAYLOAD_AT && rand() < 1 / 3) {
            damaged++;
            for (let j = PAYLOAD_AT; j < data.length; j++) if (rand() < 0.02) data[j] = Math.floor(rand() * 256);
          }
          const problem = fuzzDissect({ ...f, data }, capture, { tree: round % 2 === 0 }, `seed ${SEED} round ${round} frame ${f.number}`);
          expect(problem).toBeNull();
        }
      }
      expect(damaged).toBeGreaterThan(ROUNDS);
    });
  }
});

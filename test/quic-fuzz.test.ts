// Seeded mutation fuzzing of QUIC on the real captures of test/fixtures/quic. Flipping bytes of
// a protected packet mostly makes its decryption fail, so the frames inside Initial packets are
// fuzzed too: a packet is decrypted, its frames mutated, and it is protected again with the same
// keys, so the dissector parses the damaged frames (lengths, offsets, varints running off the
// end). Each round dissects a whole capture, one packet in five damaged one way or the other:
// nothing may escape dissect(), no dissector bug may be reported, every node lies inside its
// bytes. SYNSCOPE_FUZZ_ITER / SYNSCOPE_FUZZ_SEED as in fuzz.test.ts.
import { createCipheriv } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureState } from '../app/dissect/driver.js';
import { decodePacketNumber, decryptPayload, initialKeys, packetNonce, unprotectLongHeader, type InitialKeys } from '../app/dissect/quic-protection.js';
import { prepareCapture } from '../app/cli/source.js';
import { quicVarint } from '../app/dissect/quic-wire.js';
import { Tvb } from '../app/dissect/tvb.js';
import { repoRoot } from './helpers/corpus.js';
import { readCapture, type MiniPacket } from './helpers/mini-reader.js';
import { fuzzDissect } from './helpers/node-ranges.js';
import { prng } from './helpers/prng.js';

const ROUNDS = Math.max(20, Math.floor(Number(process.env.SYNSCOPE_FUZZ_ITER ?? 3000) / 30));
const SEED = Number(process.env.SYNSCOPE_FUZZ_SEED ?? Date.now() % 0x7fffffff);
const FILES = ['h3-ipv4.pcap', 'h3-ipv6.pcap', 'h3-hello-fragments.pcap', 'h3-443-midway.pcap', 'no-server.pcap', 'version-negotiation.pcap'];

/** Where the UDP payload of an Ethernet frame starts (IPv4 or IPv6, no options in these captures). */
function udpPayloadAt(frame: Uint8Array): number {
  return frame[12] === 0x86 && frame[13] === 0xdd ? 14 + 40 + 8 : 14 + (frame[14]! & 0x0f) * 4 + 8;
}

/** Where an Initial packet's packet number starts, or -1 when `p` is not a version 1 Initial. */
function initialPnOffset(p: Uint8Array): number {
  if (p.length < 24 || (p[0]! & 0xf0) !== 0xc0 || p[1] !== 0 || p[2] !== 0 || p[3] !== 0 || p[4] !== 1) return -1;
  const tvb = Tvb.of(p);
  let o = 6 + p[5]!;
  o += 1 + p[o]!;
  const token = quicVarint(tvb, o);
  o += token.length + token.value;
  return o + quicVarint(tvb, o).length;
}

/** `packet` with its payload replaced by `plain`, protected again with `keys` (RFC 9001 5.3, 5.4). */
function protect(keys: InitialKeys, packet: Uint8Array, pnAt: number, firstByte: number, pnLength: number, pn: number, plain: Uint8Array): Uint8Array {
  const header = Buffer.from(packet.subarray(0, pnAt + pnLength));
  header[0] = firstByte;
  for (let i = 0; i < pnLength; i++) header[pnAt + pnLength - 1 - i] = Math.floor(pn / 2 ** (8 * i)) & 0xff;
  const c = createCipheriv('aes-128-gcm', keys.key, packetNonce(keys.iv, pn));
  c.setAAD(header);
  const out = Buffer.concat([header, c.update(plain), c.final(), c.getAuthTag()]);
  const hp = createCipheriv('aes-128-ecb', keys.hp, null);
  hp.setAutoPadding(false);
  const mask = hp.update(out.subarray(pnAt + 4, pnAt + 20));
  out[0] = out[0]! ^ (mask[0]! & 0x0f);
  for (let i = 0; i < pnLength; i++) out[pnAt + i] = out[pnAt + i]! ^ mask[1 + i]!;
  return out;
}

/** The frame with its UDP payload's Initial frames mutated (and protected again), or null when it carries no readable Initial. */
function mutateFrames(frame: Uint8Array, keys: { client: InitialKeys; server: InitialKeys }, rand: () => number): Uint8Array | null {
  const at = udpPayloadAt(frame);
  const p = frame.subarray(at);
  const pnAt = initialPnOffset(p);
  if (pnAt < 0) return null;
  for (const k of [keys.client, keys.server]) {
    const u = unprotectLongHeader(k, p, pnAt);
    if (!u) continue;
    // (A datagram with more after its Initial does not decrypt as a whole: left to the byte flips.)
    const pn = decodePacketNumber(-1, u.truncatedPn, u.pnLength);
    const plain = decryptPayload(k, p, pnAt + u.pnLength, u, pn);
    if (!plain) continue;
    const damaged = Uint8Array.from(plain);
    for (let i = 0; i < damaged.length; i++) if (rand() < 0.03) damaged[i] = Math.floor(rand() * 256);
    const again = protect(k, p, pnAt, u.firstByte, u.pnLength, pn, damaged);
    const out = new Uint8Array(frame.length);
    out.set(frame.subarray(0, at));
    out.set(again, at);
    return out;
  }
  return null;
}

describe(`QUIC mutation fuzz (seed ${SEED}, ${ROUNDS} rounds; replay with SYNSCOPE_FUZZ_SEED=${SEED})`, () => {
  it('protects a decrypted Initial back into the bytes it came from (so the damaged frames are read)', () => {
    const frame = readCapture(join(repoRoot, 'test', 'fixtures', 'quic', 'h3-ipv4.pcap'))![0]!.data;
    const p = frame.subarray(udpPayloadAt(frame));
    const keys = initialKeys(1, p.subarray(6, 6 + p[5]!)).client;
    const pnAt = initialPnOffset(p);
    const u = unprotectLongHeader(keys, p, pnAt)!;
    const plain = decryptPayload(keys, p, pnAt + u.pnLength, u, u.truncatedPn)!;
    expect(Buffer.from(protect(keys, p, pnAt, u.firstByte, u.pnLength, u.truncatedPn, plain))).toEqual(Buffer.from(p));
  });

  it('dissects captures with damaged QUIC packets and damaged Initial frames, with node ranges inside the bytes', () => {
    const rand = prng(SEED);
    const captures = FILES.map((f) => ({ file: f, packets: readCapture(join(repoRoot, 'test', 'fixtures', 'quic', f))! }));
    const failures: string[] = [];
    let framesFuzzed = 0;
    for (let round = 0; round < ROUNDS && failures.length < 10; round++) {
      const { file, packets } = captures[Math.floor(rand() * captures.length)]!;
      const first = packets[0]!.data.subarray(udpPayloadAt(packets[0]!.data));
      const keys = initialKeys(1, first.subarray(6, 6 + first[5]!));
      const capture = new CaptureState();
      prepareCapture(capture);
      for (const p of packets) {
        let data: Uint8Array = p.data;
        if (rand() < 0.2) {
          const framesDamaged = rand() < 0.5 ? mutateFrames(p.data, keys, rand) : null;
          if (framesDamaged) framesFuzzed++;
          data = framesDamaged ?? Uint8Array.from(p.data, (b, i) => (i >= 42 && rand() < 0.02 ? b ^ (1 + Math.floor(rand() * 255)) : b));
          if (rand() < 0.1) data = data.subarray(0, Math.floor(rand() * data.length));
        }
        const where = `seed ${SEED} round ${round} (${file} frame ${p.number})`;
        const failure = fuzzDissect(frameOf(p, data), capture, { tree: rand() < 0.5 }, where);
        if (failure) failures.push(failure);
      }
    }
    expect(failures, failures.join('\n')).toEqual([]);
    expect(framesFuzzed).toBeGreaterThan(0);
  });
});

function frameOf(p: MiniPacket, data: Uint8Array) {
  return { number: p.number, ts: { sec: p.sec, nsec: p.nsec }, capLen: data.length, origLen: p.origLen, linkType: p.linkType, data };
}

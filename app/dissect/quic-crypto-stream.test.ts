// The CRYPTO stream's hand-over to TLS, on a Client Hello-sized message cut into pieces the way
// Chromium sends it (out of order, over two packets). What tshark shows for the same orders is
// checked on real captures in test/quic.diff.test.ts; these are the rules spelled out.
import { describe, expect, it } from 'vitest';
import { CryptoStream } from './quic-crypto-stream.js';

/** A handshake message of type 1 with a `body`-byte body: its 4-byte header says so. */
function message(body: number): Uint8Array {
  const m = new Uint8Array(4 + body);
  m[0] = 1;
  m[1] = body >> 16;
  m[2] = (body >> 8) & 0xff;
  m[3] = body & 0xff;
  for (let i = 4; i < m.length; i++) m[i] = i & 0xff;
  return m;
}

describe('CryptoStream', () => {
  const hello = message(296); // 300 bytes

  it('hands a message that arrives whole in one frame to TLS there', () => {
    const s = new CryptoStream();
    const r = s.add(1, 0, hello);
    expect(r.delivery).toMatchObject({ offset: 0, fragment: false, pieces: [{ frame: 1, offset: 0, length: 300 }], fragments: null });
    expect(r.delivery!.bytes).toEqual(hello);
  });

  it('waits while a piece is ahead of a hole, then hands over the whole message with its pieces in stream order', () => {
    const s = new CryptoStream();
    expect(s.add(1, 200, hello.subarray(200)).delivery).toBeNull();
    expect(s.add(1, 10, hello.subarray(10, 200)).delivery).toBeNull();
    // The start arrives, but nothing is missing any more only with it: the message is whole.
    const r = s.add(2, 0, hello.subarray(0, 10));
    expect(r.delivery!.fragment).toBe(false);
    expect(r.delivery!.pieces).toEqual([{ frame: 2, offset: 0, length: 10 }, { frame: 1, offset: 10, length: 190 }, { frame: 1, offset: 200, length: 100 }]);
  });

  it('gives TLS the start of a message once, then its end as the last fragment', () => {
    const s = new CryptoStream();
    const first = s.add(1, 0, hello.subarray(0, 9));
    expect(first.delivery).toMatchObject({ offset: 0, fragment: true, fragments: null });
    expect(first.delivery!.bytes).toEqual(hello.subarray(0, 9));
    // More of it in order: collected, not handed over (TLS waits for the whole message).
    expect(s.add(1, 9, hello.subarray(9, 100)).delivery).toBeNull();
    const last = s.add(2, 100, hello.subarray(100));
    expect(last.delivery).toMatchObject({ offset: 9, fragment: false });
    expect(last.delivery!.bytes).toEqual(hello.subarray(9));
    expect(last.delivery!.fragments).toEqual([{ frame: 1, offset: 0, length: 9 }, { frame: 2, offset: 9, length: 291 }]);
    expect(last.delivery!.message).toEqual(hello);
  });

  it('gives no fragment while a later piece waits, and notes bytes seen before', () => {
    const s = new CryptoStream();
    expect(s.add(1, 150, hello.subarray(150, 200)).delivery).toBeNull();
    expect(s.add(1, 0, hello.subarray(0, 50)).delivery).toBeNull();
    expect(s.add(2, 0, hello.subarray(0, 50))).toEqual({ reused: true, delivery: null });
  });
});

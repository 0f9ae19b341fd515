// HTTP bodies undone from their Content-Encoding (gzip, deflate, brotli), for HTTP/1.x's and
// HTTP/2's "Content-encoded entity body (gzip): 8131 bytes -> 8106 bytes".
import { brotliDecompressSync, constants as zlibConstants, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';

/** The most a content coding may expand to (a 64 MiB body). */
const MAX_DECODED_BODY = 64 << 20;

/**
 * A body undone from its Content-Encoding, or null when it cannot be (an unknown coding, or
 * nothing decodes). As tshark: a cut-off stream gives what decodes, and `deflate` is taken with
 * or without its zlib wrapper. Brotli is decoded too (tshark does when built with it).
 */
export function decodeContent(coding: string, data: Uint8Array): Uint8Array | null {
  // A capture may hold a decompression bomb: past the limit the body counts as undecodable.
  const partial = { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: MAX_DECODED_BODY };
  const attempts: Array<() => Uint8Array> =
    coding === 'gzip' || coding === 'x-gzip' ? [() => gunzipSync(data, partial)]
      : coding === 'deflate' || coding === 'x-deflate' ? [() => inflateSync(data, partial), () => inflateRawSync(data, partial)]
        : coding === 'br' ? [() => brotliDecompressSync(data, { maxOutputLength: MAX_DECODED_BODY })]
          : [];
  for (const attempt of attempts) {
    try {
      const out = attempt();
      // A gzip member with nothing after its header decodes to nothing: tshark calls that failed,
      // but a complete stream of an empty body is a body of 0 bytes.
      if (out.length > 0 || data.length > 18) return new Uint8Array(out.buffer, out.byteOffset, out.length);
    } catch {
      // not this coding's data: try the next reading, if any
    }
  }
  return null;
}

// Follow TCP stream as text: each side's payload in order, shown as ASCII (non-printable bytes as
// dots, line breaks kept) or as a hex dump in tshark's `-z follow,tcp,hex` layout — offset per
// direction (8 upper-case hex digits), 16 bytes in two groups of 8, the ASCII beside them, the
// server's lines indented by a tab.
import type { FollowedStream } from '../../app/session/contract.js';

export interface FollowChunk {
  from: 'client' | 'server';
  frame: number;
  data: Uint8Array;
}

export function decodeChunks(s: FollowedStream, decode: (b64: string) => Uint8Array): FollowChunk[] {
  return s.chunks.map((c) => ({ from: c.from, frame: c.frame, data: decode(c.bytes) }));
}

/** ASCII view: printable bytes and line breaks as they are, everything else a dot. */
export function asciiText(data: Uint8Array): string {
  let s = '';
  for (const b of data) s += b === 0x0a || b === 0x09 || (b >= 0x20 && b < 0x7f) ? String.fromCharCode(b) : b === 0x0d ? '' : '.';
  return s;
}

const hex2 = (b: number) => b.toString(16).padStart(2, '0');

/** The hex-dump lines of one chunk, its first byte at `offset` of its direction. */
export function hexLines(data: Uint8Array, offset: number, indent: boolean): string[] {
  const out: string[] = [];
  for (let i = 0; i < data.length; i += 16) {
    const row = data.subarray(i, i + 16);
    let hex = '', ascii = '';
    for (let j = 0; j < 16; j++) {
      if (j === 8) {
        hex += ' ';
        if (j < row.length) ascii += ' ';
      }
      if (j < row.length) {
        hex += `${hex2(row[j]!)} `;
        ascii += row[j]! >= 0x20 && row[j]! < 0x7f ? String.fromCharCode(row[j]!) : '.';
      } else hex += '   ';
    }
    out.push(`${indent ? '\t' : ''}${(offset + i).toString(16).toUpperCase().padStart(8, '0')}  ${hex} ${ascii}`);
  }
  return out;
}

/** Hex-dump lines of a whole stream (client lines flush left, server lines indented). */
export function hexDump(chunks: readonly FollowChunk[]): Array<{ from: 'client' | 'server'; frame: number; lines: string[] }> {
  const offsets = { client: 0, server: 0 };
  return chunks.map((c) => {
    const lines = hexLines(c.data, offsets[c.from], c.from === 'server');
    offsets[c.from] += c.data.length;
    return { from: c.from, frame: c.frame, lines };
  });
}

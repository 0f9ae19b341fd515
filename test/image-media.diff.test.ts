// Image bodies in HTTP as tshark 4.0 shows them: Portable Network Graphics (png), Compuserve GIF
// (image-gif) and JPEG File Interchange Format (image-jfif) — every item of their trees, the
// Info suffix and frame.protocols, some of their fields with -T fields — taken by media type or,
// as Wireshark's "http" heuristics take them, by signature (a PNG served as image/x-icon or
// without a Content-Type), and Media Type with tshark's note when the registered dissector turns
// a body down. On every corpus capture with an image and on a capture built here with one
// response per case; cut-off bodies keep what was decoded and get tshark's malformed note.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { Protocol } from '../app/dissect/dispatch.js';
import { formatNodeText } from '../app/dissect/format.js';
import { gifProtocol } from '../app/dissect/protocols/image-gif.js';
import { jfifProtocol } from '../app/dissect/protocols/image-jfif.js';
import { pngProtocol } from '../app/dissect/protocols/png.js';
import type { FieldNode } from '../app/dissect/tree.js';
import { corpusPath } from './helpers/corpus.js';
import { runPayload } from './helpers/payload.js';
import { httpExchanges } from './helpers/pcap-build.js';
import { ours } from './helpers/text-protocol-diff.js';
import { FIELDS_ARGS, tsharkRaw } from './helpers/tshark.js';
import { tsharkVerbose } from './helpers/tshark-verbose.js';

/** Every corpus capture in which tshark shows an image layer (`-Y 'image-jfif || png || image-gif'`). */
const WITH_IMAGES = ['pcapplusplus/many-protocols.pcap', 'pcapplusplus/raw_ip.pcap', 'pcapplusplus/three_http_streams.pcap', 'zeek/http/pipelined-requests.pcap'];

const IMAGE_TITLES = ['JPEG File Interchange Format', 'Portable Network Graphics', 'Compuserve GIF'];
/** Top-level items compared in a frame with an image: the image layers, Media Type after a refused body, the malformed note. */
const COMPARED_TITLES = [...IMAGE_TITLES, 'Media Type', '[Malformed Packet'];

const IMAGE_FIELDS = [
  'png.signature', 'png.chunk.type', 'png.chunk.len', 'png.chunk.crc', 'png.chunk.flag.ancillary', 'png.chunk.flag.private', 'png.chunk.flag.stc',
  'png.chunk.data', 'png.ihdr.width', 'png.ihdr.colour_type', 'png.text.keyword', 'png.text.string', 'png.chrm.white.x', 'png.gama.gamma',
  'png.bkgd.red', 'png.time.year', 'png.phys.unit',
  'image-gif.version', 'image-gif.screen.width', 'image-gif.global.color_map.present', 'image-gif.global.bpp', 'image-gif.global.color_map',
  'image-gif.extension.label', 'image-gif.image.code_size', 'image-gif.local.color_map', 'image-gif.end', 'image-gif.global.pixel_aspect_ratio',
  'image-jfif.marker', 'image-jfif.length', 'image-jfif.identifier', 'image-jfif.units', 'image-jfif.sof.h_i', 'image-jfif.sos.ah',
  'image-jfif.remain_seg_data', 'image-jfif.entropy_coded_segment', 'image-jfif.ifd.tag', 'image-jfif.ifd.tag_exif', 'image-jfif.ifd.value_short',
  'image-jfif.ifd.value_ascii', 'image-jfif.ifd.value_undefined', 'image-jfif.ifd.value_rational.numerator', 'image-jfif.ifd.value_srational',
  'image-jfif.next_ifd_offset', 'image-jfif.comment', 'image-jfif.fill_bytes',
];

/**
 * Per frame of a -V text, the lines compared: the items titled COMPARED_TITLES with their
 * children, HTTP's "subdissector failed" note and the frame's protocol list.
 */
function imageParts(verbose: string): Map<string, string[]> {
  const frames = new Map<string, string[]>();
  let lines: string[] = [];
  let taking = false;
  for (const line of verbose.split('\n')) {
    const frame = /^Frame (\d+):/.exec(line);
    if (frame) {
      frames.set(frame[1]!, (lines = []));
      continue;
    }
    if (line !== '' && !line.startsWith(' ')) taking = COMPARED_TITLES.some((t) => line.startsWith(t));
    if (line !== '' && (taking || /^ {4}\[Protocols in frame|subdissector failed/.test(line))) lines.push(line);
  }
  return frames;
}

/** The frames of tshark's text with an image layer or a refused image, and their compared lines in both texts. */
function comparedFrames(theirs: string, ourText: string): { theirs: string[][]; ours: string[][] } {
  const t = imageParts(theirs), o = imageParts(ourText);
  const keep = [...t.keys()].filter((f) => t.get(f)!.some((l) => IMAGE_TITLES.some((title) => l.startsWith(title)) || l.includes('subdissector failed')));
  return { theirs: keep.map((f) => [f, ...t.get(f)!]), ours: keep.map((f) => [f, ...(o.get(f) ?? [])]) };
}

async function expectImagesLikeTshark(file: string, minFrames: number): Promise<void> {
  const { theirs, ours: mine } = comparedFrames(tsharkVerbose(file).stdout, await ours(file, ['-V']));
  expect(theirs.length).toBeGreaterThanOrEqual(minFrames);
  expect(mine).toEqual(theirs);
  // The columns and protocol list of those frames.
  const columns = [...FIELDS_ARGS, '-e', 'frame.number', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info', '-e', 'frame.protocols'];
  const frames = new Set(theirs.map((f) => f[0]));
  const rows = (text: string) => text.split('\n').filter((row) => frames.has(row.split('\t')[0]!));
  expect(rows(await ours(file, columns))).toEqual(rows(tsharkRaw(file, columns).stdout));
  const fields = [...FIELDS_ARGS, '-e', 'frame.number', ...IMAGE_FIELDS.flatMap((f) => ['-e', f])];
  expect(await ours(file, fields)).toEqual(tsharkRaw(file, fields).stdout);
}

describe('read: image bodies as tshark shows them, on the corpus', () => {
  for (const rel of WITH_IMAGES) it(rel, () => expectImagesLikeTshark(corpusPath(rel), 1));
});

// Images built here, small and each exercising a part of its format.

function crc32(b: Uint8Array): number {
  let c = ~0;
  for (const x of b) {
    c ^= x;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

const u16be = (v: number) => Buffer.from([v >> 8, v & 0xff]);
const u32be = (...v: number[]) => Buffer.concat(v.map((x) => Buffer.from([x >>> 24, (x >>> 16) & 0xff, (x >>> 8) & 0xff, x & 0xff])));
const latin = (s: string) => Buffer.from(s, 'latin1');

function pngChunk(type: string, data: Uint8Array): Buffer {
  const typed = Buffer.concat([latin(type), data]);
  return Buffer.concat([u32be(data.length), typed, u32be(crc32(typed))]);
}

/** A PNG with every chunk kind tshark decodes, values of each kind, a private and an unknown chunk. */
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  pngChunk('IHDR', Buffer.from([0, 0, 0, 2, 0, 0, 0, 3, 8, 6, 0, 0, 1])),
  pngChunk('tEXt', latin('Title\0caf\xe9 \x01 line\nx')),
  pngChunk('tEXt', latin('\0no keyword')),
  pngChunk('bKGD', Buffer.from([7])), pngChunk('bKGD', Buffer.from([0, 1, 0, 2, 0, 3])), pngChunk('bKGD', Buffer.from([0, 9])), pngChunk('bKGD', Buffer.from([1, 2, 3])),
  pngChunk('cHRM', u32be(31270, 32900, 64000, 33000, 30000, 60000, 15000, 6000)),
  pngChunk('gAMA', u32be(45455)), pngChunk('gAMA', u32be(100000000)), pngChunk('gAMA', u32be(123456789)),
  pngChunk('sRGB', Buffer.from([3])), pngChunk('sRGB', Buffer.from([9])),
  pngChunk('pHYs', Buffer.from([0, 0, 0x0b, 0x13, 0, 0, 0x0b, 0x13, 1])), pngChunk('tIME', Buffer.from([7, 0xe8, 1, 2, 3, 4, 5])),
  pngChunk('prIv', Buffer.from([1, 2, 3])), pngChunk('iTXt', Buffer.alloc(0)), pngChunk('PLTE', Buffer.alloc(6, 0x80)),
  pngChunk('IDAT', deflateSync(Buffer.alloc(20))), pngChunk('IEND', Buffer.alloc(0)),
]);

/** A 1x1 GIF89a: global color map, graphic control extension, one image, trailer. */
const GIF = Buffer.concat([
  latin('GIF89a'), Buffer.from([1, 0, 1, 0, 0x80, 0, 0]), Buffer.from([0xff, 0xff, 0xff, 0, 0, 0]),
  Buffer.from([0x21, 0xf9, 4, 1, 0, 0, 0, 0]), Buffer.from([0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0]), Buffer.from([2, 2, 0x44, 0x01, 0]), Buffer.from([0x3b]),
]);
/** A GIF87a: an unknown extension, a byte that starts no block, a local color map, no trailer (data after the image). */
const GIF87 = Buffer.concat([
  latin('GIF87a'), Buffer.from([2, 0, 2, 0, 0x00, 0, 0]), Buffer.from([0x21, 0x42, 3, 1, 2, 3, 0]), Buffer.from([0x99]),
  Buffer.from([0x2c, 0, 0, 0, 0, 2, 0, 2, 0, 0x81]), Buffer.alloc(12, 7), Buffer.from([2, 2, 0x44, 0x01, 0]), Buffer.from([0x3b, 1, 2]),
]);
/** The GIF89a with a pixel aspect ratio, 49 and 25 ((15 + 25) / 64 = 0.625: printf rounds the tie to even). */
const gifAspect = (ratio: number) => Buffer.concat([GIF.subarray(0, 12), Buffer.from([ratio]), GIF.subarray(13)]);

const jpegSegment = (marker: number, body: Uint8Array) => Buffer.concat([u16be(marker), u16be(body.length + 2), body]);

/** A little-endian TIFF header and IFD0 whose entries take every value type, inline and out of line, a pointer to an Exif IFD and bogus offsets. */
function exifTiff(): Buffer {
  const t = Buffer.alloc(260);
  t.write('II', 0, 'latin1');
  t.writeUInt16LE(42, 2);
  t.writeUInt32LE(8, 4);
  const entries: Array<[number, number, number, number]> = [
    [0x010f, 2, 4, 0x41424300], [0x010e, 2, 9, 170], [0x011a, 5, 1, 180], [0x0128, 3, 2, 0x00030002], [0x8769, 4, 1, 200], [0x8825, 4, 1, 5000],
    [0x9999, 8, 1, 7], [0x0100, 7, 3, 0x00616263], [0x0101, 10, 1, 188], [0x0102, 1, 3, 0x00030201], [0x0103, 9, 1, 0xfffffffe], [0x0104, 7, 10, 4000],
  ];
  let o = 8;
  t.writeUInt16LE(entries.length, o);
  o += 2;
  for (const [tag, type, n, v] of entries) {
    t.writeUInt16LE(tag, o);
    t.writeUInt16LE(type, o + 2);
    t.writeUInt32LE(n, o + 4);
    t.writeUInt32LE(v, o + 8);
    o += 12;
  }
  t.write('abcdefgh\0', 170, 'latin1');
  t.writeUInt32LE(72, 180);
  t.writeUInt32LE(1, 184);
  t.writeInt32LE(-3, 188);
  t.writeInt32LE(7, 192);
  // The Exif IFD: its version, a pointer that is not followed there, a next IFD behind it.
  t.writeUInt16LE(2, 200);
  t.writeUInt16LE(0x9000, 202);
  t.writeUInt16LE(7, 204);
  t.writeUInt32LE(4, 206);
  t.write('0230', 210, 'latin1');
  t.writeUInt16LE(0x8769, 214);
  t.writeUInt16LE(4, 216);
  t.writeUInt32LE(1, 218);
  t.writeUInt32LE(200, 222);
  t.writeUInt32LE(4, 226);
  return t;
}

/** An Exif JPEG with JFXX, unknown and FlashPix APPn segments, a comment, frame and scan headers, stuffed and fill bytes, restarts, a reserved marker. */
const EXIF_JPEG = Buffer.concat([
  u16be(0xffd8), jpegSegment(0xffe1, Buffer.concat([latin('Exif\0\0'), exifTiff()])),
  jpegSegment(0xffe0, latin('JFXX\0\x10')), jpegSegment(0xffe0, latin('Other\0abc')),
  jpegSegment(0xffe1, Buffer.concat([latin('Exif\0\0MM\0\x2a'), u32be(4)])), jpegSegment(0xffe1, Buffer.concat([latin('Exif\0\0XX\0\x2a'), u32be(8)])),
  jpegSegment(0xffe1, latin('http://ns.adobe.com/xap/1.0/\0<x/>')),
  jpegSegment(0xffe2, latin('FPXR\0\0\0\0')), jpegSegment(0xffe2, latin('ICC_PROFILE\0xyz')),
  jpegSegment(0xfffe, latin('hello\0world')), jpegSegment(0xffdd, Buffer.from([0, 4])), jpegSegment(0xffdb, Buffer.alloc(65, 1)),
  jpegSegment(0xffc2, Buffer.from([8, 0, 1, 0, 1, 1, 1, 0x11, 0])), jpegSegment(0xffc4, Buffer.alloc(20, 2)), jpegSegment(0xffda, Buffer.from([1, 1, 0x00, 0, 63, 0x12])),
  Buffer.from([1, 2, 0xff, 0, 3]), Buffer.from([0xff, 0xff, 0xff, 0xd0]), Buffer.from([4, 5]), u16be(0xffd1), u16be(0xff01), Buffer.from([0xff, 0x02, 9, 9, 9]),
]);
/** A JFIF APP0 with a 1x2 thumbnail, a baseline frame header, the end of the image. */
const JFIF = Buffer.concat([
  u16be(0xffd8), jpegSegment(0xffe0, Buffer.concat([latin('JFIF\0\x01\x02\x00\x00\x01\x00\x01\x01\x02'), Buffer.alloc(6, 0xaa)])),
  jpegSegment(0xffc0, Buffer.from([8, 0, 16, 0, 16, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1])), u16be(0xffd9),
]);
/** A JPEG that is neither JFIF nor Exif (an Adobe APP14 first): the image dissector turns it down. */
const ADOBE_JPEG = Buffer.concat([u16be(0xffd8), jpegSegment(0xffee, latin('Adobe\0\x64\0\0\0\0\x01')), u16be(0xffd9)]);

describe('read: image bodies built here, against tshark', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synscope-image-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cases: Array<[string | undefined, Uint8Array]> = [
    ['image/png', PNG], ['image/gif', GIF], ['image/gif', GIF87], ['image/gif', gifAspect(49)], ['image/gif', gifAspect(25)],
    ['image/jpeg', EXIF_JPEG], ['image/jpeg', JFIF],
    // By signature: another image type, one nobody registered, no Content-Type.
    ['image/png', GIF], ['image/x-icon', PNG], ['application/x-unknown', JFIF], [undefined, PNG],
    // Turned down: a note, then the heuristics (none takes these), then Media Type.
    ['image/png', latin('this is not an image, just some text here')], ['image/jpg', ADOBE_JPEG], ['image/jfif', ADOBE_JPEG], ['image/gif', latin('GIF89a tiny')],
    // A type with a dissector of its own: no heuristics.
    ['application/json', GIF], ['application/octet-stream', PNG],
  ];
  const file = join(dir, 'images.pcap');
  writeFileSync(file, httpExchanges(cases.map(([type, body]) => ({ headers: type ? `Content-Type: ${type}\r\n` : '', body }))));

  it('the image trees, the notes, frame.protocols, the columns and the image fields of every response', async () => {
    const theirs = tsharkVerbose(file).stdout;
    for (const shown of ['HTTP body subdissector failed', 'Media type: image/jpg', 'Unknown GIF data block type', 'Local color map:', 'Trailing stray characters',
      'Exif IFD #0', 'Value: -3/7', 'bogus, should be', 'Fill bytes', 'Exif FlashPix', 'RGB values of thumbnail pixels', 'Keyword: Title', 'Blue: 0x0003']) {
      expect(theirs).toContain(shown);
    }
    await expectImagesLikeTshark(file, 13);
  });

  it('cut-off bodies keep what was decoded, then tshark\'s "[Malformed Packet: ...]"', async () => {
    const cut = join(dir, 'cut.pcap');
    // Each cut ends the body where a read of the image's own runs off it (tshark's
    // ReportedBoundsError); not inside a JPEG segment's fields, which tshark reports as a
    // ContainedBoundsError (docs/tshark-differences.md).
    const dqt = EXIF_JPEG.indexOf(Buffer.from([0xff, 0xdb]));
    const cuts: Array<[string, Uint8Array, number]> = [
      ['image/png', PNG, 60], ['image/png', PNG, 33], ['image/png', PNG, PNG.length - 2], ['image/gif', GIF, 24], ['image/gif', GIF, 30],
      ['image/gif', GIF, GIF.length - 1], ['image/jpeg', JFIF, 27], ['image/jpeg', JFIF, JFIF.length - 1], ['image/jpeg', EXIF_JPEG, dqt + 10],
      ['image/jpeg', EXIF_JPEG, EXIF_JPEG.length - 3],
    ];
    writeFileSync(cut, httpExchanges(cuts.map(([type, body, n]) => ({ headers: `Content-Type: ${type}\r\n`, body: body.subarray(0, n) }))));
    const theirs = tsharkVerbose(cut).stdout;
    expect(theirs.split('\n').filter((l) => l.startsWith('[Malformed Packet')).length).toBeGreaterThanOrEqual(7);
    await expectImagesLikeTshark(cut, cuts.length);
  });
});

describe('image dissectors on every cut of their bodies', () => {
  const bodies: Array<[Protocol, Buffer]> = [[pngProtocol, PNG], [gifProtocol, GIF], [gifProtocol, GIF87], [jfifProtocol, EXIF_JPEG], [jfifProtocol, JFIF]];

  it('stop on a Tvb error only, malformed past the body, truncated past the captured bytes, and keep the items decoded', () => {
    for (const [proto, body] of bodies) {
      const whole = runPayload(proto, body, { transport: 'tcp' });
      expect(whole.error).toBeNull();
      const full = lines(whole.ctx.roots);
      for (let n = 20; n < body.length; n++) {
        // The body ends there (a short image) or the capture does (the rest was on the wire).
        for (const reportedLength of [n, body.length]) {
          const run = runPayload(proto, body.subarray(0, n), { transport: 'tcp', reportedLength });
          if (run.ctx.layers.includes(proto.id)) {
            // What was decoded before the end is what the whole body shows, but for the item
            // the end cut short (an entropy-coded segment).
            expect(notIn(lines(run.ctx.roots), full), `${proto.id} cut at ${n}`).toBeLessThanOrEqual(1);
          }
          if (run.error) expect(run.error, `${proto.id} cut at ${n} of ${reportedLength}`).toBe(reportedLength === n ? 'malformed' : 'truncated');
        }
      }
    }
  });
});

/** How many of `lines` (counted with repeats) `all` does not have. */
function notIn(lines: readonly string[], all: readonly string[]): number {
  const left = new Map<string, number>();
  for (const l of all) left.set(l, (left.get(l) ?? 0) + 1);
  let missing = 0;
  for (const l of lines) {
    const k = left.get(l) ?? 0;
    if (k === 0) missing++;
    else left.set(l, k - 1);
  }
  return missing;
}

/** The tree's lines, depth-first, each with its depth. */
function lines(roots: readonly FieldNode[]): string[] {
  const out: string[] = [];
  const visit = (nodes: readonly FieldNode[], depth: number) => {
    for (const n of nodes) {
      out.push(`${depth}:${formatNodeText(n)}`);
      if (n.children) visit(n.children, depth + 1);
    }
  };
  visit(roots, 0);
  return out;
}

// Portable Network Graphics (W3C PNG, 2nd edition), as tshark 4.0's file-png.c shows an image
// body: the signature, then one item per chunk ("Image Header (IHDR)") with its Len, its type,
// the three property bits of the type (the case bit of its 1st, 2nd and 4th letter, ISO 15948
// 5.4), the fields of IHDR, sRGB, tEXt, tIME, pHYs, bKGD, cHRM and gAMA, a bare "Data" item for
// any other chunk with data, and the CRC (shown, not verified: tshark does not check it).
// HTTP calls it for image/png and, by its signature, for a body of any type no dissector took
// (Wireshark's "png_http" heuristic).
import { defineFields } from '../field.js';
import { defineProtocol, registerHeuristic, registerMediaType } from '../dispatch.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import { latin1, type Tvb } from '../tvb.js';

const CHUNK_NAMES: Readonly<Record<string, string>> = {
  IHDR: 'Image Header', bKGD: 'Background colour', gAMA: 'Image gamma', iCCP: 'Embedded ICC profile',
  cHRM: 'Primary chromaticities and white point', pHYs: 'Physical pixel dimensions', iTXt: 'International textual data',
  tEXt: 'Textual data', sBIT: 'Significant bits', sRGB: 'Standard RGB colour space', tIME: 'Image last-modification time',
  IDAT: 'Image data chunk', IEND: 'Image Trailer', tRNS: 'Transparency', PLTE: 'Palette',
};

export const pngFields = defineFields([
  { name: 'png.signature', label: 'PNG Signature', type: 'bytes' },
  { name: 'png.chunk.data', label: 'Data', type: 'none' },
  { name: 'png.chunk.type', label: 'Chunk', type: 'string' },
  { name: 'png.chunk.len', label: 'Len', type: 'uint32' },
  { name: 'png.chunk.crc', label: 'CRC', type: 'uint32', base: 'hex' },
  { name: 'png.chunk.flag.ancillary', label: 'Ancillary', type: 'boolean', mask: 0x20000000, tf: ['This is an ANCILLARY chunk', 'This is a CRITICAL chunk'] },
  { name: 'png.chunk.flag.private', label: 'Private', type: 'boolean', mask: 0x00200000, tf: ['This is a PRIVATE chunk', 'This is a PUBLIC chunk'] },
  { name: 'png.chunk.flag.stc', label: 'Safe To Copy', type: 'boolean', mask: 0x00000020, tf: ['This chunk is SAFE TO COPY', 'This chunk is NOT safe to copy'] },
  { name: 'png.ihdr.width', label: 'Width', type: 'uint32' },
  { name: 'png.ihdr.height', label: 'Height', type: 'uint32' },
  { name: 'png.ihdr.bitdepth', label: 'Bit Depth', type: 'uint8' },
  { name: 'png.ihdr.colour_type', label: 'Colour Type', type: 'uint8', values: { 0: 'Greyscale', 2: 'Truecolour', 3: 'Indexed-colour', 4: 'Greyscale with alpha', 6: 'Truecolour with alpha' } },
  { name: 'png.ihdr.compression_method', label: 'Compression Method', type: 'uint8', values: { 0: 'Deflate' } },
  { name: 'png.ihdr.filter_method', label: 'Filter Method', type: 'uint8', values: { 0: 'Adaptive' } },
  { name: 'png.ihdr.interlace_method', label: 'Interlace Method', type: 'uint8', values: { 0: 'No interlace', 1: 'Adam7' } },
  { name: 'png.srgb.intent', label: 'Intent', type: 'uint8', values: { 0: 'Perceptual', 1: 'Relative colorimetric', 2: 'Saturation', 3: 'Absolute colorimetric' } },
  { name: 'png.text.keyword', label: 'Keyword', type: 'string' },
  { name: 'png.text.string', label: 'String', type: 'string' },
  { name: 'png.time.year', label: 'Year', type: 'uint16' },
  { name: 'png.time.month', label: 'Month', type: 'uint8' },
  { name: 'png.time.day', label: 'Day', type: 'uint8' },
  { name: 'png.time.hour', label: 'Hour', type: 'uint8' },
  { name: 'png.time.minute', label: 'Minute', type: 'uint8' },
  { name: 'png.time.second', label: 'Second', type: 'uint8' },
  { name: 'png.phys.horiz', label: 'Horizontal pixels per unit', type: 'uint32' },
  { name: 'png.phys.vert', label: 'Vertical pixels per unit', type: 'uint32' },
  { name: 'png.phys.unit', label: 'Unit', type: 'uint8', values: { 0: 'Unit is unknown', 1: 'Unit is METRE' } },
  { name: 'png.bkgd.palette_index', label: 'Palette Index', type: 'uint8' },
  { name: 'png.bkgd.greyscale', label: 'Greyscale', type: 'uint16', base: 'hex' },
  { name: 'png.bkgd.red', label: 'Red', type: 'uint16', base: 'hex' },
  { name: 'png.bkgd.green', label: 'Green', type: 'uint16', base: 'hex' },
  { name: 'png.bkgd.blue', label: 'Blue', type: 'uint16', base: 'hex' },
  { name: 'png.chrm.white.x', label: 'White X', type: 'float' },
  { name: 'png.chrm.white.y', label: 'White Y', type: 'float' },
  { name: 'png.chrm.red.x', label: 'Red X', type: 'float' },
  { name: 'png.chrm.red.y', label: 'Red Y', type: 'float' },
  { name: 'png.chrm.green.x', label: 'Green X', type: 'float' },
  { name: 'png.chrm.green.y', label: 'Green Y', type: 'float' },
  { name: 'png.chrm.blue.x', label: 'Blue X', type: 'float' },
  { name: 'png.chrm.blue.y', label: 'Blue Y', type: 'float' },
  { name: 'png.gama.gamma', label: 'Gamma', type: 'float' },
] as const);
const F = pngFields;
type PngField = keyof typeof F;

/** The eight bytes every PNG starts with (PNG 5.2). */
const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** tshark's test: at least 20 bytes captured, the first eight the signature. */
function looksLikePng(tvb: Tvb): boolean {
  return tvb.length >= 20 && SIGNATURE.every((b, i) => tvb.bytes[tvb.start + i] === b);
}

/**
 * A C float as printf's %g shows it with FLT_DIG (6) significant digits — how tshark prints an
 * FT_FLOAT: "0.45455", "0.3127", "1e-05".
 */
function floatText(v: number): string {
  const f = Math.fround(v);
  if (f === 0) return '0';
  const e = f.toExponential(5);
  const exp = Number(e.slice(e.indexOf('e') + 1));
  const trim = (s: string) => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);
  if (exp < -4 || exp >= 6) return `${trim(e.slice(0, e.indexOf('e')))}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return trim(f.toFixed(5 - exp));
}

/** Unsigned fields at fixed offsets of a chunk's data: [field, offset, size]. */
type Layout = ReadonlyArray<readonly [PngField, number, 1 | 2 | 4]>;
const IHDR: Layout = [
  ['png.ihdr.width', 0, 4], ['png.ihdr.height', 4, 4], ['png.ihdr.bitdepth', 8, 1], ['png.ihdr.colour_type', 9, 1],
  ['png.ihdr.compression_method', 10, 1], ['png.ihdr.filter_method', 11, 1], ['png.ihdr.interlace_method', 12, 1],
];
const TIME: Layout = [
  ['png.time.year', 0, 2], ['png.time.month', 2, 1], ['png.time.day', 3, 1], ['png.time.hour', 4, 1], ['png.time.minute', 5, 1], ['png.time.second', 6, 1],
];
const PHYS: Layout = [['png.phys.horiz', 0, 4], ['png.phys.vert', 4, 4], ['png.phys.unit', 8, 1]];
const SRGB: Layout = [['png.srgb.intent', 0, 1]];
/** bKGD by its length, which the colour type decides (PNG 11.3.5.1): palette index, grey, or RGB. */
const BKGD: Readonly<Record<number, Layout>> = {
  1: [['png.bkgd.palette_index', 0, 1]],
  2: [['png.bkgd.greyscale', 0, 2]],
  6: [['png.bkgd.red', 0, 2], ['png.bkgd.green', 2, 2], ['png.bkgd.blue', 4, 2]],
};
/** cHRM and gAMA hold values times 100000 (PNG 11.3.3.2, 11.3.3.3). */
const CHRM: readonly PngField[] = ['png.chrm.white.x', 'png.chrm.white.y', 'png.chrm.red.x', 'png.chrm.red.y', 'png.chrm.green.x', 'png.chrm.green.y', 'png.chrm.blue.x', 'png.chrm.blue.y'];

function addLayout(ctx: PacketContext, tree: FieldNode, data: Tvb, layout: Layout): void {
  for (const [name, o, size] of layout) ctx.add(tree, F[name], data, o, size, size === 1 ? data.u8(o) : size === 2 ? data.u16(o) : data.u32(o));
}

function addFloats(ctx: PacketContext, tree: FieldNode, data: Tvb, fields: readonly PngField[]): void {
  fields.forEach((name, i) => {
    const text = floatText(data.u32(i * 4) / 100000);
    ctx.add(tree, F[name], data, i * 4, 4, Number(text), `${F[name].label}: ${text}`);
  });
}

/** tEXt (PNG 11.3.4.3): a Latin-1 keyword, a NUL, the text; nothing is shown without a keyword. */
function addText(ctx: PacketContext, tree: FieldNode, data: Tvb): void {
  const nul = data.indexOf(0);
  if (nul <= 0) return;
  ctx.add(tree, F['png.text.keyword'], data, 0, nul, latin1(data.slice(0, nul)));
  ctx.add(tree, F['png.text.string'], data, nul + 1, data.length - nul - 1, latin1(data.slice(nul + 1)));
}

function dissectChunkData(ctx: PacketContext, tree: FieldNode, data: Tvb, type: string): void {
  switch (type) {
    case 'IHDR': return addLayout(ctx, tree, data, IHDR);
    case 'bKGD': return addLayout(ctx, tree, data, BKGD[data.reportedLength] ?? []);
    case 'cHRM': return addFloats(ctx, tree, data, CHRM);
    case 'gAMA': return addFloats(ctx, tree, data, ['png.gama.gamma']);
    case 'pHYs': return addLayout(ctx, tree, data, PHYS);
    case 'sRGB': return addLayout(ctx, tree, data, SRGB);
    case 'tEXt': return addText(ctx, tree, data);
    case 'tIME': return addLayout(ctx, tree, data, TIME);
    default:
      if (data.reportedLength > 0) ctx.add(tree, F['png.chunk.data'], data, 0, data.reportedLength, null);
  }
}

function dissectPng(tvb: Tvb, ctx: PacketContext, node: FieldNode): boolean {
  if (!looksLikePng(tvb)) return false;
  ctx.info += ' (PNG)';
  ctx.add(node, F['png.signature'], tvb, 0, 8, tvb.slice(0, 8));
  let o = 8;
  while (tvb.reportedRemaining(o) > 0) {
    const len = tvb.u32(o);
    const typeWord = tvb.u32(o + 4);
    const type = tvb.ascii(o + 4, 4);
    // The chunk's item spans length, type, data and CRC; tshark checks they are there before
    // it adds the item, so a chunk cut short shows nothing of itself (a malformed packet).
    tvb.check(o, 12 + len);
    const chunk = ctx.addText(node, tvb, o, 12 + len, `${CHUNK_NAMES[type] ?? 'unknown'} (${type})`);
    ctx.add(chunk, F['png.chunk.len'], tvb, o, 4, len);
    ctx.add(chunk, F['png.chunk.type'], tvb, o + 4, 4, type);
    for (const flag of ['png.chunk.flag.ancillary', 'png.chunk.flag.private', 'png.chunk.flag.stc'] as const) {
      ctx.add(chunk, F[flag], tvb, o + 4, 4, (typeWord & F[flag].mask!) !== 0);
    }
    dissectChunkData(ctx, chunk, tvb.sub(o + 8, len), type);
    ctx.add(chunk, F['png.chunk.crc'], tvb, o + 8 + len, 4, tvb.u32(o + 8 + len));
    o += 12 + len;
  }
  return true;
}

export const pngProtocol = defineProtocol('png', 'Portable Network Graphics', dissectPng, 'PNG');
registerMediaType('image/png', pngProtocol);
registerHeuristic('http', pngProtocol, looksLikePng);

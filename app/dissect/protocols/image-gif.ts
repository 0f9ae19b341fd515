// Compuserve GIF (GIF87a and GIF89a, W3C's spec-gif89a.txt), as tshark 4.0's file-gif.c shows an
// image body: the version, the logical screen descriptor with its "Global settings" bits, the
// global color map, then extensions ('!'), images (',') each with its descriptor, "Local
// settings" bits, local color map, LZW code size and data sub-blocks, and the trailer (';'),
// where it stops. A byte that starts none of these gets an "Unknown GIF data block type" item.
// HTTP calls it for image/gif and, by its signature, for a body of any type no dissector took.
import { defineFields, type FieldDef } from '../field.js';
import { defineProtocol, registerHeuristic, registerMediaType } from '../dispatch.js';
import { formatDisplayValue } from '../format.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';

const TRUE_FALSE = { 0: 'False', 1: 'True' };
const EXTENSIONS: Readonly<Record<number, string>> = { 0xf9: 'Graphics Control', 0xfe: 'Comment', 0xff: 'Application', 0x01: 'Plain Text' };

export const gifFields = defineFields([
  { name: 'image-gif.version', label: 'Version', type: 'string', description: 'GIF Version' },
  { name: 'image-gif.screen.width', label: 'Screen width', type: 'uint16' },
  { name: 'image-gif.screen.height', label: 'Screen height', type: 'uint16' },
  { name: 'image-gif.global.color_map.present', label: 'Global color map is present', type: 'uint8', mask: 0x80, values: TRUE_FALSE },
  { name: 'image-gif.global.color_bpp', label: 'Bits per color minus 1', type: 'uint8', mask: 0x70 },
  { name: 'image-gif.global.color_map.ordered', label: 'Global color map is ordered', type: 'uint8', mask: 0x08, values: TRUE_FALSE },
  { name: 'image-gif.global.bpp', label: 'Image bits per pixel minus 1', type: 'uint8', mask: 0x07 },
  { name: 'image-gif.image_background_index', label: 'Background color index', type: 'uint8' },
  { name: 'image-gif.global.pixel_aspect_ratio', label: 'Global pixel aspect ratio', type: 'uint8' },
  { name: 'image-gif.global.color_map', label: 'Global color map', type: 'bytes' },
  { name: 'image-gif.image.left', label: 'Image left position', type: 'uint16' },
  { name: 'image-gif.image.top', label: 'Image top position', type: 'uint16' },
  { name: 'image-gif.image.width', label: 'Image width', type: 'uint16' },
  { name: 'image-gif.image.height', label: 'Image height', type: 'uint16' },
  { name: 'image-gif.local.color_map.present', label: 'Local color map is present', type: 'uint8', mask: 0x80, values: TRUE_FALSE },
  { name: 'image-gif.local.color_bpp', label: 'Bits per color minus 1', type: 'uint8', mask: 0x70 },
  { name: 'image-gif.local.color_map.ordered', label: 'Local color map is ordered', type: 'uint8', mask: 0x08, values: TRUE_FALSE },
  // Registered by tshark but not used: an image's bits per pixel are shown as image-gif.global.bpp.
  { name: 'image-gif.local.bpp', label: 'Image bits per pixel minus 1', type: 'uint8', mask: 0x07 },
  { name: 'image-gif.local.color_map', label: 'Local color map', type: 'bytes' },
  { name: 'image-gif.extension', label: 'Extension', type: 'none' },
  { name: 'image-gif.extension.label', label: 'Extension label', type: 'uint8', base: 'hex', values: EXTENSIONS },
  { name: 'image-gif.image', label: 'Image', type: 'none' },
  { name: 'image-gif.image.code_size', label: 'LZW minimum code size', type: 'uint8' },
  { name: 'image-gif.end', label: 'Trailer (End of the GIF stream)', type: 'none' },
  { name: 'image-gif.data_block', label: 'Data block', type: 'bytes', allowZero: true },
  // The expert item's field: tshark names it so, outside the image-gif prefix.
  { name: 'gif.data_block_type.unknown', label: 'Unknown GIF data block type', type: 'none' },
] as const);
const F = gifFields;

/** Bytes that start a block after the screen descriptor (spec-gif89a.txt, Appendix B). */
const EXTENSION_INTRODUCER = 0x21, IMAGE_SEPARATOR = 0x2c, TRAILER = 0x3b;

function gifVersion(tvb: Tvb): string | null {
  if (!tvb.has(0, 6)) return null;
  const v = tvb.ascii(0, 6);
  return v === 'GIF87a' || v === 'GIF89a' ? v : null;
}

/** printf's %.2f: the exact value rounded, a tie to the even digit (toFixed takes the larger). */
function twoDecimals(v: number): string {
  const hundredths = v * 100;
  let r = Math.round(hundredths);
  if (hundredths - Math.floor(hundredths) === 0.5 && r % 2 === 1) r--;
  return (r / 100).toFixed(2);
}

const bits = (n: number) => `${n} bit${n === 1 ? '' : 's'}`;

/**
 * A "Global settings" / "Local settings" item and its bits: a color table's presence, the color
 * resolution, whether the table is sorted (GIF89a only) and the table's size. The label counts
 * the color resolution from bits 5-6 only, as file-gif.c does (0x60, not 0x70).
 */
function addSettings(ctx: PacketContext, parent: FieldNode, tvb: Tvb, o: number, local: boolean, gif89a: boolean): { mapPresent: boolean; bpp: number } {
  const flags = tvb.u8(o);
  const mapPresent = (flags & 0x80) !== 0;
  const resolution = 1 + ((flags & 0x60) >> 4), bpp = 1 + (flags & 0x07);
  const which = local ? 'Local' : 'Global';
  const table = mapPresent ? ` (${which} color table present)` : '';
  const tree = ctx.addText(parent, tvb, o, 1, `${which} settings:${table} (${bits(resolution)} per color) (${bits(bpp)} per pixel)`);
  const scope = local ? 'local' as const : 'global' as const;
  ctx.add(tree, F[`image-gif.${scope}.color_map.present`], tvb, o, 1, flags >> 7);
  ctx.add(tree, F[`image-gif.${scope}.color_bpp`], tvb, o, 1, (flags & 0x70) >> 4);
  if (gif89a) ctx.add(tree, F[`image-gif.${scope}.color_map.ordered`], tvb, o, 1, (flags & 0x08) >> 3);
  ctx.add(tree, F['image-gif.global.bpp'], tvb, o, 1, flags & 0x07);
  return { mapPresent, bpp };
}

/** A color map of 2^bpp RGB triples; tshark checks it is all there before adding it. */
function addColorMap(ctx: PacketContext, parent: FieldNode, tvb: Tvb, o: number, field: FieldDef, bpp: number): number {
  const len = 3 * (1 << bpp);
  ctx.add(parent, field, tvb, o, len, tvb.slice(o, len));
  return o + len;
}

/** Data sub-blocks (a length byte, then that many bytes) up to the empty one that ends them. */
function addDataBlocks(ctx: PacketContext, parent: FieldNode, tvb: Tvb, o: number): number {
  for (;;) {
    const len = tvb.u8(o);
    const data = tvb.slice(o + 1, len);
    const shown = len === 0 ? '<none>' : formatDisplayValue(F['image-gif.data_block'], data);
    ctx.add(parent, F['image-gif.data_block'], tvb, o, 1 + len, data, `Data block: ${shown} (length = ${len})`);
    o += 1 + len;
    if (len === 0) return o;
  }
}

function dissectGif(tvb: Tvb, ctx: PacketContext, node: FieldNode): boolean {
  const version = tvb.reportedLength < 20 ? null : gifVersion(tvb);
  if (!version) return false;
  const gif89a = version === 'GIF89a';
  ctx.setText(node, `Compuserve GIF, Version: ${version}`);
  ctx.info += ` (${version})`;
  ctx.add(node, F['image-gif.version'], tvb, 0, 6, version);
  ctx.add(node, F['image-gif.screen.width'], tvb, 6, 2, tvb.u16le(6));
  ctx.add(node, F['image-gif.screen.height'], tvb, 8, 2, tvb.u16le(8));
  const global = addSettings(ctx, node, tvb, 10, false, gif89a);
  ctx.add(node, F['image-gif.image_background_index'], tvb, 11, 1, tvb.u8(11));
  // GIF89a's pixel aspect ratio, shown only when set (GIF87a reserves the byte).
  const aspect = tvb.u8(12);
  if (gif89a && aspect) {
    const ratio = twoDecimals((15 + aspect) / 64);
    // proto_tree_add_uint_format: the line is the text alone, without the field's label.
    ctx.add(node, F['image-gif.global.pixel_aspect_ratio'], tvb, 12, 1, aspect, `${aspect}, yields an aspect ratio of (15 + ${aspect}) / 64 = ${ratio}`);
  }
  let o = 13;
  if (global.mapPresent) o = addColorMap(ctx, node, tvb, o, F['image-gif.global.color_map'], global.bpp);
  while (tvb.reportedRemaining(o) > 0) {
    const start = o;
    const kind = tvb.u8(o);
    let block: FieldNode;
    if (kind === EXTENSION_INTRODUCER) {
      // The item covers the introducer only until its sub-blocks are read (tshark's set_len).
      block = ctx.add(node, F['image-gif.extension'], tvb, o, 1, null);
      const label = tvb.u8(o + 1);
      ctx.add(block, F['image-gif.extension.label'], tvb, o + 1, 1, label);
      ctx.setText(block, `Extension: ${EXTENSIONS[label] ?? `<Warning: Unknown extension 0x${label.toString(16).toUpperCase().padStart(2, '0')}>`}`);
      o = addDataBlocks(ctx, block, tvb, o + 2);
    } else if (kind === IMAGE_SEPARATOR) {
      block = ctx.add(node, F['image-gif.image'], tvb, o, 1, null);
      const fields = ['image-gif.image.left', 'image-gif.image.top', 'image-gif.image.width', 'image-gif.image.height'] as const;
      fields.forEach((name, i) => ctx.add(block, F[name], tvb, o + 1 + 2 * i, 2, tvb.u16le(o + 1 + 2 * i)));
      const local = addSettings(ctx, block, tvb, o + 9, true, gif89a);
      o += 10;
      if (local.mapPresent) o = addColorMap(ctx, block, tvb, o, F['image-gif.local.color_map'], local.bpp);
      ctx.add(block, F['image-gif.image.code_size'], tvb, o, 1, tvb.u8(o));
      o = addDataBlocks(ctx, block, tvb, o + 1);
    } else if (kind === TRAILER) {
      ctx.add(node, F['image-gif.end'], tvb, o, 1, null);
      break;
    } else {
      // proto_tree_add_expert: an item of its own, the note under it; reading goes on.
      const item = ctx.add(node, F['gif.data_block_type.unknown'], tvb, o, 1, null);
      ctx.addExpert(item, 'warn', 'protocol', F['gif.data_block_type.unknown'].label);
      o++;
      continue;
    }
    ctx.setLength(block, o - start);
  }
  return true;
}

export const gifProtocol = defineProtocol('image-gif', 'Compuserve GIF', dissectGif, 'GIF image');
registerMediaType('image/gif', gifProtocol);
registerHeuristic('http', gifProtocol, (tvb) => tvb.reportedLength >= 20 && gifVersion(tvb) !== null);

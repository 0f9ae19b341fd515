// Helpers SMB (smb.ts), its mailslot protocol (smb-mailslot.ts) and the Browser protocol
// (browser.ts) share, as Wireshark's packet-smb-common.c and wsutil do for its SMB dissectors:
// what SMB hands a mailslot, the bitmask items tshark's proto_tree_add_bitmask makes, its
// millisecond times, and NUL-terminated strings read as tvb_strsize reads them.
import type { FieldDef } from './field.js';
import { cutUtf8, ITEM_LABEL_MAX } from './format.js';
import type { PacketContext } from './packet.js';
import type { FieldNode } from './tree.js';
import type { Tvb } from './tvb.js';

/**
 * What SMB leaves in ctx.scratch for the mailslot protocol it hands a \MAILSLOT\ transaction to
 * (dissect_mailslot_smb's arguments): the SMB message, where the setup words start and how many
 * bytes they have, the mailslot's name after "\MAILSLOT\", and the transaction's data.
 */
export interface SmbMailslotCall {
  smb: Tvb;
  setupOffset: number;
  setupLength: number;
  mailslot: string;
  data: Tvb;
}
export const SMB_MAILSLOT_SCRATCH = 'smb.mailslot';

/**
 * proto_tree_add_bitmask: the word as "Label: 0x.., Name, Name" (the labels of the bits set; a
 * word with value names "Label: Name (0x..), ..."),
 * and a line per bit under it.
 */
export function addBitmask(ctx: PacketContext, parent: FieldNode, head: FieldDef, bits: readonly FieldDef[],
  tvb: Tvb, o: number, size: number, value: number): FieldNode {
  const hex = `0x${value.toString(16).padStart(size * 2, '0')}`;
  // A word with value names shows its name first: "Unknown (0x07)".
  const shown = head.values ? `${head.values[value] ?? 'Unknown'} (${hex})` : hex;
  // The names go in while the label buffer has room, cut silently where it ends.
  const node = ctx.add(parent, head, tvb, o, size, value, () => cutUtf8(`${head.label}: ${shown}${bits.filter((b) => (value & b.mask!) !== 0).map((b) => `, ${b.label}`).join('')}`, ITEM_LABEL_MAX));
  for (const b of bits) ctx.add(node, b, tvb, o, size, (value & b.mask!) !== 0);
  return node;
}

/**
 * wsutil's signed_time_msecs_to_str, C arithmetic and all: "1 day, 1 hour, 1 minute, 1.001
 * seconds", "0 seconds"; a negative time gets a "-" unless its whole seconds are 0, and
 * INT32_MIN's milliseconds print as an unsigned 32-bit number (tshark's own overflow).
 */
export function signedMsecsText(value: number): string {
  let t = value | 0;
  if (t === 0) return '0 seconds';
  let ms: number;
  if (t < 0) {
    t = -t | 0;
    ms = t % 1000;
    t = (t / 1000) | 0;
    t = -t | 0;
  } else {
    ms = t % 1000;
    t = (t / 1000) | 0;
  }
  let sign = '';
  if (t < 0) {
    sign = '-';
    t = -t;
  }
  const frac = ms >>> 0;
  const parts: string[] = [];
  const secs = t % 60, mins = Math.floor(t / 60) % 60, hours = Math.floor(t / 3600) % 24, days = Math.floor(t / 86400);
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (days) parts.push(unit(days, 'day'));
  if (hours) parts.push(unit(hours, 'hour'));
  if (mins) parts.push(unit(mins, 'minute'));
  if (secs || frac) parts.push(frac ? `${secs}.${String(frac).padStart(3, '0')} seconds` : unit(secs, 'second'));
  return sign + parts.join(', ');
}

/** A NUL-terminated ASCII string at `o`: its text and its size with the NUL (tvb_strsize; throws past the end like it). */
export function stringz(tvb: Tvb, o: number): { text: string; size: number } {
  const nul = tvb.indexOf(0, o);
  if (nul < 0) tvb.check(o, tvb.length - o + 1);
  return { text: tvb.ascii(o, nul - o), size: nul - o + 1 };
}

/** A NUL-terminated UTF-16LE string at `o` (its size with the two-byte NUL). */
export function stringzUnicode(tvb: Tvb, o: number): { text: string; size: number } {
  let end = o;
  while (tvb.u16le(end) !== 0) end += 2;
  let text = '';
  for (let p = o; p < end; p += 2) text += String.fromCharCode(tvb.u16le(p));
  return { text, size: end - o + 2 };
}

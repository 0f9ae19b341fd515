// X11 against tshark 4.0: pcapplusplus/pcapng-example.pcapng (requests cut short by a 128-byte
// snaplen, "Bogus request length (0)", replies to requests never seen, events), and
// connections built here: a little-endian setup and its reply (screens, depths, visual types),
// most core requests, replies to the requests packet-x11.c decodes replies of, every core
// event, errors, text items and 16-bit strings, SendEvent's event, a request shorter than its
// fields (malformed, the next one still shown), a big-endian setup, requests and a reply split
// over segments, a connection whose byte order is guessed, BIG-REQUESTS' extended length and
// bogus lengths, keyboard and modifier maps and the keysyms of key presses, the BIG-REQUESTS
// and XC-MISC extensions. The X11 part of every packet's -V tree, Protocol/Info/frame.protocols,
// x11.* fields and filters must be tshark's, and a frame dissected again must show what it
// showed first.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusPath } from './helpers/corpus.js';
import { pcapFile, tcpFrame } from './helpers/pcap-build.js';
import { bothWays } from './helpers/revisit.js';
import { expectLikeTshark } from './helpers/text-protocol-diff.js';

const TITLES = ['X11', '[Malformed Packet: X11]', '[Packet size limited during capture: X11'];
const FIELDS = ['x11', 'x11.opcode', 'x11.request-length', 'x11.drawable', 'x11.window', 'x11.atom', 'x11.property', 'x11.eventcode', 'x11.errorcode',
  'x11.reply-sequencenumber', 'x11.event-sequencenumber', 'x11.keycode', 'x11.modifiers-mask', 'x11.modifiers-mask.Mod2', 'x11.same-screen', 'x11.time',
  'x11.x', 'x11.rectangle-width', 'x11.name', 'x11.string', 'x11.data', 'x11.undecoded', 'x11.unused', 'x11.request-length.invalid',
  'x11.window-value-mask', 'x11.gc-value-mask.foreground', 'x11.event-mask.KeyPress', 'x11.screen.root', 'x11.visualtype.visualid', 'x11.byte-order', 'x11.image-byte-order',
  'x11.keysyms.item.keysym', 'x11.keycode_value_out_of_range', 'x11.extension-minor', 'x11.bigreq.Enable.reply.maximum_request_length', 'x11.xc_misc.GetXIDList.reply.ids'];

// Messages, little-endian unless `be`.
const u16 = (v: number, be = false): number[] => (be ? [(v >> 8) & 0xff, v & 0xff] : [v & 0xff, (v >> 8) & 0xff]);
const u32 = (v: number, be = false): number[] => (be ? [v >>> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff] : [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >>> 24]);
const W = (v: number): number[] => u32(v);
const str = (s: string): number[] => [...Buffer.from(s, 'latin1')];
/** CHAR2Bs of 8-bit text. */
const c16 = (s: string): number[] => [...s].flatMap((ch) => [0, ch.charCodeAt(0)]);
const pad4 = (b: number[]): number[] => [...b, ...new Array<number>((4 - (b.length % 4)) % 4).fill(0)];
const zeros = (n: number): number[] => new Array<number>(n).fill(0);
/** A request: opcode, its second byte, what follows the length (padded to 4 bytes). */
function req(op: number, b1: number, body: number[], be = false): number[] {
  const p = pad4(body);
  return [op, b1, ...u16((p.length + 4) / 4, be), ...p];
}
/** A reply: its second byte, sequence number, 24 bytes of body, then `extra` (its length in words). */
const reply = (b1: number, seq: number, body: number[], extra: number[] = []): number[] => [1, b1, ...u16(seq), ...W(extra.length / 4), ...body, ...zeros(24 - body.length), ...extra];
const event = (code: number, b1: number, seq: number, body: number[]): number[] => [code, b1, ...u16(seq), ...body, ...zeros(28 - body.length)];
const error = (code: number, value: number): number[] => [0, code, ...u16(19), ...W(value), ...u16(0), 12, ...zeros(21)];
const pointer = (mask: number): number[] => [...W(1000), ...W(0x188), ...W(0x200001), ...W(0), ...u16(1), ...u16(2), ...u16(3), ...u16(4), ...u16(mask)];

/** A connection setup (little-endian) and its reply: one screen, two depths, one visual type. */
const SETUP = [0x6c, 0, ...u16(11), ...u16(0), ...u16(18), ...u16(16), 0, 0, ...pad4(str('MIT-MAGIC-COOKIE-1')), ...new Array<number>(16).fill(0xab)];
const VISUAL = [...W(0x21), 4, 8, ...u16(256), ...W(0xff0000), ...W(0xff00), ...W(0xff), 0, 0, 0, 0];
const SCREEN = [...W(0x188), ...W(0x20), ...W(0xffffff), ...W(0), ...W(0xfa8031), ...u16(1920), ...u16(1080), ...u16(508), ...u16(285), ...u16(1), ...u16(1),
  ...W(0x21), 0, 0, 24, 2, 24, 0, ...u16(1), 0, 0, 0, 0, ...VISUAL, 1, 0, ...u16(0), 0, 0, 0, 0];
const SETUP_BODY = [...W(12004000), ...W(0x200000), ...W(0x1fffff), ...W(256), ...u16(21), ...u16(65535), 1, 2, 0, 0, 32, 32, 8, 255, 0, 0, 0, 0,
  ...pad4(str('The X.Org Foundation!')), 1, 1, 32, 0, 0, 0, 0, 0, 24, 32, 32, 0, 0, 0, 0, 0, ...SCREEN];
const SETUP_REPLY = [1, 0, ...u16(11), ...u16(0), ...u16(SETUP_BODY.length / 4), ...SETUP_BODY];

/** Requests that expect replies (sequence numbers 1 to 19) and the replies to them. */
const ASKING = [
  req(16, 0, [...u16(8), 0, 0, ...str('WM_STATE')]), req(20, 1, [...W(0x200001), ...W(39), ...W(0), ...W(0), ...W(100)]),
  req(98, 0, [...u16(12), 0, 0, ...str('BIG-REQUESTS')]), req(14, 0, W(0x200001)), req(38, 0, W(0x200001)), req(43, 0, []),
  req(40, 0, [...W(1), ...W(2), ...u16(3), ...u16(4)]), req(119, 0, []), req(21, 0, W(1)), req(26, 1, [...W(1), ...u16(4), 1, 1, ...W(0), ...W(0), ...W(0)]),
  req(84, 0, [...W(5), ...u16(1), ...u16(2), ...u16(3), 0, 0]), req(92, 0, [...W(5), ...u16(3), 0, 0, ...str('red')]), req(97, 0, [...W(1), ...u16(1), ...u16(2)]),
  req(106, 0, []), req(108, 0, []), req(44, 0, []), req(23, 0, W(1)), req(15, 0, W(1)), req(3, 0, W(1)),
].flat();
const REPLIES = [
  reply(0, 1, W(300)), reply(8, 2, [...W(31), ...W(0), ...W(5)], [...str('hello'), 0, 0, 0]), reply(0, 3, [1, 133, 0, 0]),
  reply(24, 4, [...W(0x188), ...u16(1), ...u16(2), ...u16(3), ...u16(4), ...u16(5)]),
  reply(1, 5, [...W(0x188), ...W(0), ...u16(1), ...u16(2), ...u16(3), ...u16(4), ...u16(0x0110)]), reply(1, 6, W(0x200001)),
  reply(1, 7, [...W(0), ...u16(-3 & 0xffff), ...u16(4)]), reply(2, 8, [], [50, 62, 66, 0, 37, 105, 64, 108, 0, 0, 77, 0, 0, 0, 133, 0]),
  reply(0, 9, u16(2), [...W(39), ...W(400)]), reply(1, 10, []), reply(0, 11, [...u16(1), ...u16(2), ...u16(3), 0, 0, ...W(0xff)]),
  reply(0, 12, [...u16(1), ...u16(2), ...u16(3), ...u16(4), ...u16(5), ...u16(6)]), reply(0, 13, [...u16(16), ...u16(16)]),
  reply(0, 14, [...u16(2), ...u16(1), ...u16(4)]), reply(0, 15, [...u16(600), ...u16(600), 1, 2]), reply(0, 16, [], new Array<number>(8).fill(0x11)),
  reply(0, 17, W(0x200001)), reply(0, 18, [...W(1), ...W(2)], W(9)), reply(0, 19, [], zeros(12)),
].flat();
/** Every core event (a sent one among them), an unknown one, errors. */
const EVENTS = [
  event(2, 38, 19, [...pointer(0x2005), 1]), event(4 | 0x80, 1, 19, [...pointer(0x100), 0]), event(6, 0, 19, [...pointer(0), 1]),
  event(7, 3, 19, [...pointer(0), 1, 3]), event(9, 3, 19, [...W(0x200001), 1]), event(11, 0, 0, []),
  event(12, 0, 19, [...W(1), ...u16(1), ...u16(2), ...u16(3), ...u16(4), ...u16(2)]),
  event(13, 0, 19, [...W(1), ...u16(1), ...u16(2), ...u16(3), ...u16(4), ...u16(0), ...u16(1), 62]), event(14, 0, 19, [...W(1), ...u16(0), 62]),
  event(15, 0, 19, [...W(1), 2]), event(16, 0, 19, [...W(1), ...W(2), ...u16(1), ...u16(2), ...u16(3), ...u16(4), ...u16(5), 1]),
  event(17, 0, 19, [...W(1), ...W(2)]), event(18, 0, 19, [...W(1), ...W(2), 1]), event(19, 0, 19, [...W(1), ...W(2), 0]), event(20, 0, 19, [...W(1), ...W(2)]),
  event(21, 0, 19, [...W(1), ...W(2), ...W(3), ...u16(1), ...u16(2), 1]),
  event(22, 0, 19, [...W(1), ...W(2), ...W(3), ...u16(1), ...u16(2), ...u16(3), ...u16(4), ...u16(5), 0]), event(23, 0, 19, []),
  event(24, 0, 19, [...W(1), ...W(2), ...u16(1), ...u16(2)]), event(25, 0, 19, [...W(1), ...u16(1), ...u16(2)]),
  event(26, 0, 19, [...W(1), ...W(2), 0, 0, 0, 0, 1]), event(27, 0, 19, [...W(1), ...W(2), 0, 0, 0, 0, 0]), event(28, 0, 19, [...W(1), ...W(0), ...W(0), 1]),
  event(29, 0, 19, [...W(5), ...W(1), ...W(1)]), event(30, 0, 19, [...W(0), ...W(1), ...W(2), ...W(1), ...W(31), ...W(300)]),
  event(31, 0, 19, [...W(0), ...W(2), ...W(1), ...W(31), ...W(0)]), event(32, 0, 19, [...W(1), ...W(2), 1, 1]),
  event(33, 32, 19, [...W(1), ...W(300), 1, 2, 3, 4, 5]), event(34, 0, 19, [1, 8, 248]), event(35, 133, 19, [...W(0), ...u16(1)]), event(99, 0, 19, [1, 2]),
  error(3, 0x200001), error(2, 7), error(16, 7), error(200, 7),
].flat();
/** Core requests that expect no reply: window, property, grab, font, GC, drawing, color, cursor and keyboard ones. */
const DOING = [
  req(1, 24, [...W(0x200001), ...W(0x188), ...u16(10), ...u16(-5 & 0xffff), ...u16(100), ...u16(50), ...u16(1), ...u16(1), ...W(0), ...W(0x0000280a), ...W(0x123), ...W(0x2), 1, 0, 0, 0, ...W(0x20003)]),
  req(12, 0, [...W(0x200001), ...u16(0x4f), 0, 0, ...u16(3), 0, 0, ...u16(4), 0, 0, ...u16(640), 0, 0, ...u16(480), 0, 0, 1, 0, 0, 0]),
  req(17, 0, W(39)), req(18, 2, [...W(0x200001), ...W(39), ...W(31), 8, 0, 0, 0, ...W(5), ...str('hello')]),
  req(18, 0, [...W(0x200001), ...W(300), ...W(4), 16, 0, 0, 0, ...W(2), ...u16(7), ...u16(9)]), req(19, 0, [...W(0x200001), ...W(0)]),
  req(22, 0, [...W(0x200001), ...W(1), ...W(0)]), req(24, 0, [...W(0x200001), ...W(1), ...W(31), ...W(500), ...W(12345)]),
  req(28, 0, [...W(0x200001), ...u16(0x0004), 1, 1, ...W(0), ...W(0), 1, 0, ...u16(0x8000)]), req(29, 0, [...W(0x200001), ...u16(0x0005), 0, 0]),
  req(33, 1, [...W(0x200001), ...u16(0x0011), 38, 1, 1, 0, 0, 0]), req(42, 2, [...W(0x200001), ...W(0)]), req(45, 0, [...W(0x300001), ...u16(5), 0, 0, ...str('fixed')]),
  req(49, 0, [...u16(100), ...u16(1), ...str('*')]), req(51, 0, [...u16(2), 0, 0, 3, ...str('abc'), 2, ...str('de')]),
  req(55, 0, [...W(0x400001), ...W(0x200001), ...W(0x0001000d), 3, 0, 0, 0, ...W(0xff), ...W(0xffffffff), 0, 0, 0, 0]), req(57, 0, [...W(1), ...W(2), ...W(0x5)]),
  req(58, 0, [...W(0x400001), ...u16(0), ...u16(2), 4, 4]), req(59, 1, [...W(0x400001), ...u16(1), ...u16(2), ...u16(0), ...u16(0), ...u16(10), ...u16(20)]),
  req(61, 1, [...W(0x200001), ...u16(0), ...u16(0), ...u16(5), ...u16(6)]), req(62, 0, [...W(1), ...W(2), ...W(3), ...u16(1), ...u16(2), ...u16(3), ...u16(4), ...u16(5), ...u16(6)]),
  req(65, 0, [...W(1), ...W(2), ...u16(1), ...u16(2), ...u16(-3 & 0xffff), ...u16(4)]), req(66, 0, [...W(1), ...W(2), ...u16(1), ...u16(2), ...u16(3), ...u16(4)]),
  req(68, 0, [...W(1), ...W(2), ...u16(1), ...u16(2), ...u16(30), ...u16(40), ...u16(0), ...u16(5760)]), req(69, 0, [...W(1), ...W(2), 2, 0, 0, 0, ...u16(1), ...u16(2), ...u16(3), ...u16(4)]),
  req(70, 0, [...W(1), ...W(2), ...u16(1), ...u16(2), ...u16(30), ...u16(40)]), req(72, 2, [...W(1), ...W(2), ...u16(2), ...u16(1), ...u16(0), ...u16(0), 0, 24, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8]),
  req(73, 2, [...W(1), ...u16(0), ...u16(0), ...u16(17), ...u16(17), ...W(0xffffffff)]), req(76, 3, [...W(1), ...W(2), ...u16(5), ...u16(6), ...str('abc')]),
  req(78, 0, [...W(5), ...W(0x188), ...W(0x21)]), req(88, 0, [...W(5), ...W(0), ...W(7), ...W(8)]),
  req(89, 0, [...W(5), ...W(7), ...u16(1), ...u16(2), ...u16(3), 7, 0, ...W(8), ...u16(1), ...u16(2), ...u16(3), 0, 0]), req(90, 5, [...W(5), ...W(7), ...u16(3), 0, 0, ...str('red')]),
  req(93, 0, [...W(6), ...W(7), ...W(0), ...u16(1), ...u16(2), ...u16(3), ...u16(4), ...u16(5), ...u16(6), ...u16(7), ...u16(8)]), req(101, 0, [8, 248, 0, 0]),
  req(102, 0, [...W(0x83), 50, 0, 0, 0, ...u16(400), 0, 0, 1, 0, 0, 0]), req(104, 50, []), req(105, 0, [...u16(2), ...u16(1), ...u16(4), 1, 1]),
  req(107, 0, [...u16(600), ...u16(600), 2, 2, 0, 0]), req(113, 0, W(0)), req(114, 0, [...W(1), ...u16(2), ...u16(-1 & 0xffff), ...W(39), ...W(400)]),
  req(116, 3, [1, 2, 3]), req(127, 0, []),
  // Text: QueryTextExtents (odd and even, 16-bit chars that are not 8-bit), ImageText16, PolyText8/16 with a font change.
  req(48, 1, [...W(0x300001), ...c16('abc'), 0, 0]), req(48, 0, [...W(0x300001), ...c16('ab')]), req(48, 0, [...W(0x300001), 1, 2, 3, 4]),
  req(77, 3, [...W(1), ...W(2), ...u16(5), ...u16(6), ...c16('xyz')]), req(77, 2, [...W(1), ...W(2), ...u16(5), ...u16(6), 0x30, 0x41, 0x30, 0x42]),
  req(74, 0, [...W(1), ...W(2), ...u16(5), ...u16(6), 3, 2, ...str('abc'), 255, 0, 0x30, 0, 1, 2, 0xfe, ...str('hi')]),
  req(75, 0, [...W(1), ...W(2), ...u16(5), ...u16(6), 2, 1, ...c16('ok'), 2, 0, 0x30, 0x41, 0x30, 0x42, 255, 0, 0, 0, 7]),
  // SendEvent (a KeyPress, a sent ButtonPress), ChangeHosts (an IPv4 address, DECnet, none), SetModifierMapping.
  req(25, 1, [...W(1), ...W(0x5), 2, 38, ...u16(7), ...pointer(0x11), 1, 0]), req(25, 0, [...W(0x200001), ...W(0), 0x84, 1, ...u16(7), ...zeros(28)]),
  req(109, 0, [0, 0, ...u16(4), 10, 0, 0, 1]), req(109, 1, [1, 0, ...u16(2), 1, 2]), req(109, 1, [0, 0, ...u16(0)]),
  req(118, 2, [50, 62, 66, 0, 37, 105, 64, 108, 0, 0, 77, 0, 0, 0, 133, 0]),
  // BIG-REQUESTS: a length of 0, the real one in the next 4 bytes.
  [53, 24, 0, 0, ...W(6), ...W(0x400002), ...W(0x188), ...u16(17), ...u16(17), 0, 0, 0, 0],
].flat();
/** A request whose length is shorter than its fields (malformed), then one that is whole. */
const SHORT = [...req(53, 24, W(1)), ...req(60, 0, W(2))];

/** A big-endian connection: setup, requests (one split over two segments), a reply split over two with an event after it. */
const B = (v: number): number[] => u32(v, true);
const SETUP_BE = [0x42, 0, ...u16(11, true), ...u16(0, true), 0, 0, 0, 0, 0, 0];
const BE_REQUESTS = [...req(53, 24, [...B(0x400001), ...B(0x188), ...u16(16, true), ...u16(16, true)], true), ...req(20, 0, [...B(1), ...B(39), ...B(31), ...B(0), ...B(1)], true)];
const BE_SPLIT = req(18, 0, [...B(1), ...B(39), ...B(31), 8, 0, 0, 0, ...B(10), ...str('0123456789')], true);
const BE_REPLY = [1, 8, ...u16(2, true), ...B(1), ...B(31), ...B(0), ...B(4), ...zeros(12), ...str('abcd')];
const BE_EVENT = [6, 0, ...u16(2, true), ...B(7), ...B(0x188), ...B(1), ...B(0), ...u16(1, true), ...u16(2, true), ...u16(3, true), ...u16(4, true), ...u16(4, true), 1, 0];

/**
 * A keyboard map (GetKeyboardMapping's reply: two keysyms for each keycode from 8) and the
 * modifiers' keycodes (GetModifierMapping's), then key presses under modifier states that pick
 * each branch of the keysym choice (Shift, Lock as Caps Lock, Num Lock on the keypad, case
 * conversion of Latin, Cyrillic and Greek), a keycode without keysyms.
 */
const KEYSYMS: Record<number, number[]> = { 38: [0x61, 0x41], 10: [0x31, 0x21], 50: [0xffe1, 0], 66: [0xffe5, 0], 77: [0xff7f, 0], 92: [0xff7e, 0],
  79: [0xff95, 0xffb7], 39: [0x73, 0], 40: [0x6e6, 0x6c6], 41: [0x7e1, 0], 42: [0xe9, 0xc9] };
const KEYBOARD = Array.from({ length: 248 }, (_, i) => KEYSYMS[i + 8] ?? [0, 0]).flat().flatMap((v) => W(v));
const MODIFIERS = [50, 62, 66, 0, 37, 105, 64, 108, 77, 0, 0, 0, 133, 0, 92, 0];
const key = (keycode: number, mask: number): number[] => event(2, keycode, 3, [...pointer(mask), 1]);
const PRESSES = [[38, 0], [38, 1], [38, 2], [38, 3], [10, 1], [79, 0], [79, 0x10], [79, 0x11], [39, 0], [39, 1], [39, 2], [40, 0], [40, 1], [41, 1],
  [42, 2], [42, 0], [200, 0], [38, 0x80], [92, 0]].flatMap(([k, m]) => key(k!, m!));

/** The segments: [to the server?, bytes, client port]. */
const SEGMENTS: Array<[boolean, number[], number]> = [
  [true, SETUP, 40000], [false, SETUP_REPLY, 40000], [true, ASKING, 40000], [false, REPLIES, 40000], [false, EVENTS, 40000], [true, DOING, 40000], [true, SHORT, 40000],
  [true, SETUP_BE, 40001], [true, [...BE_REQUESTS, ...BE_SPLIT.slice(0, 10)], 40001], [true, BE_SPLIT.slice(10), 40001],
  [false, BE_REPLY.slice(0, 20), 40001], [false, [...BE_REPLY.slice(20), ...BE_EVENT], 40001],
  // No setup: big-endian requests (the order is guessed), then a request length of 0 and nothing after it.
  [true, [...req(60, 0, B(0x500001), true), ...req(43, 0, [], true)], 40002], [true, [...req(8, 0, B(0x500002), true), ...zeros(8)], 40002],
  [false, [1, 0, ...u16(1, true), ...B(0), ...B(0x500003), ...zeros(20)], 40002],
  // Lengths: a BIG-REQUESTS length that is negative as a C int, one whose bytes overflow an int,
  // one that ends before its own 4 bytes (malformed, twice).
  [true, [...req(60, 0, W(1)), 53, 24, 0, 0, 0xff, 0xff, 0xff, 0xff, ...zeros(4)], 40003], [true, [53, 24, 0, 0, 0x64, 0, 0, 0x70, ...zeros(4)], 40004],
  [true, [0, 0, 0, 0, 1, 0, 0, 0], 40005],
  // A name with text after a NUL ("Trailing stray characters"), and one whose NUL comes after bytes above 0x7f (none).
  [true, [...req(45, 0, [...W(0x300001), ...u16(7), 0, 0, ...str('ab\0cd\0\0')]), ...req(45, 0, [...W(0x300001), ...u16(7), 0, 0, ...str('\xab\xab\0cd\0\0')])], 40006],
  // Keysyms: a key press before any map, the maps asked for and given, presses, a ChangeKeyboardMapping
  // running past keycode 255, a SetModifierMapping.
  [false, key(38, 0), 40007], [true, [...req(101, 0, [8, 248, 0, 0]), ...req(119, 0, [])], 40007],
  [false, [...reply(2, 1, [], KEYBOARD), ...reply(2, 2, [], MODIFIERS)], 40007], [false, PRESSES, 40007],
  [true, req(100, 2, [255, 1, 0, 0, ...W(0x62), ...W(0x63)]), 40007], [true, req(118, 2, MODIFIERS), 40007], [false, key(79, 0x10), 40007],
  // BIG-REQUESTS and XC-MISC, named by QueryExtension replies (the first reply resynchronises the
  // sequence numbers), their requests and replies, a minor opcode neither has, a list running past its reply.
  [true, [...req(98, 0, [...u16(12), 0, 0, ...str('BIG-REQUESTS')]), ...req(98, 0, [...u16(7), 0, 0, ...str('XC-MISC')])], 40008],
  [false, [...reply(0, 1, [1, 133, 0, 0]), ...reply(0, 2, [1, 134, 0, 0])], 40008],
  [true, [...req(133, 0, []), ...req(134, 0, [...u16(1), ...u16(2)]), ...req(134, 1, []), ...req(134, 2, W(3)), ...req(134, 9, [])], 40008],
  [false, [...reply(0, 2, W(4194303)), ...reply(0, 3, [...u16(1), ...u16(1)]), ...reply(0, 4, [...W(0x400000), ...W(100)]), ...reply(0, 5, W(3), [...W(7), ...W(8), ...W(9)]),
    ...reply(0, 6, [], W(1))], 40008],
  // A GenericEvent longer than 32 bytes (its length counts), then a key press; a sent one (32 bytes whatever its length says).
  [false, [...event(35, 133, 3, [...W(1), ...u16(1)]), 1, 2, 3, 4, ...event(2, 38, 3, [...pointer(0), 1])], 40009],
  [false, [...event(35 | 0x80, 133, 3, [...W(1), ...u16(1)]), 1, 2, 3, 4, ...event(2, 38, 3, [...pointer(0), 1])], 40009],
];

/** The segments as one capture (Ethernet/IPv4/TCP, each connection's sequence numbers running on). */
function capture(): Buffer {
  const seqs = new Map<number, [number, number]>();
  return pcapFile(SEGMENTS.map(([toServer, bytes, port], i) => {
    const sq = seqs.get(port) ?? [1000, 5000];
    seqs.set(port, sq);
    const data = tcpFrame(toServer, toServer ? sq[0] : sq[1], toServer ? sq[1] : sq[0], 0x18, Uint8Array.from(bytes), 6000);
    new DataView(data.buffer).setUint16(toServer ? 34 : 36, port);
    sq[toServer ? 0 : 1] += bytes.length;
    return { sec: 1_700_000_000 + i, frac: 0, data };
  }));
}

describe('read: X11 as tshark shows it', () => {
  it('pcapplusplus/pcapng-example.pcapng', async () => {
    await expectLikeTshark(corpusPath('pcapplusplus/pcapng-example.pcapng'), {
      titles: TITLES,
      fields: FIELDS,
      filters: ['x11', 'x11.opcode == 53', 'x11.drawable == 0x024b51a7', 'x11.eventcode == 2', 'x11.undecoded', 'x11.request-length.invalid',
        'x11.modifiers-mask.Mod2', 'x11.atom == 265', '_ws.expert.message contains "Bogus"', 'x11.reply-sequencenumber > 10000'],
    }, 40);
  });

  const dir = mkdtempSync(join(tmpdir(), 'synscope-x11-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('setups, core requests, replies, events and errors, both byte orders, split messages', async () => {
    const file = join(dir, 'x11.pcap');
    writeFileSync(file, capture());
    await expectLikeTshark(file, {
      titles: TITLES,
      fields: FIELDS,
      filters: ['x11', 'x11.opcode == 18', 'x11.window == 0x00200001', 'x11.eventcode == 132', 'x11.errorcode == 3', 'x11.screen.root == 0x188',
        '_ws.malformed', 'x11.request-length == 6', 'x11.string == "abc"', 'x11.event-mask.KeyPress', 'x11.byte-order == 0x42', 'x11.extension-minor == 2',
        'x11.keysyms.item.keysym == 0x61'],
    }, SEGMENTS.length - 1);
  });

  it('frames dissected again (the desktop) show what they showed the first time', () => {
    const file = join(dir, 'x11-again.pcap');
    writeFileSync(file, capture());
    for (const f of [file, corpusPath('pcapplusplus/pcapng-example.pcapng')]) {
      const [first, again] = bothWays(f);
      expect(again).toEqual(first);
    }
  });
});

// X11 over TCP 6000-6063 as tshark 4.0's packet-x11.c shows it. A segment to the server port
// holds requests, one X11 item each ("X11, Request, opcode: 53 (CreatePixmap)"; Info
// "Requests: CreatePixmap, FreeGC"); a segment from it holds replies, events and errors ("Reply:
// GetInputFocus", "Event: KeyPress", "Error: BadWindow"). Per connection (tcp.stream) it keeps
// what the C dissector keeps: the byte order (from the connection setup's 'B'/'l', or guessed
// from the requests' lengths when the setup was not captured, and remembered only once one
// order fits and the other does not), the request sequence number and which requests expect
// a reply (so a reply is decoded as the reply to its request: "Reply to unknown request" and
// REPLYCONTENTS_COMMON otherwise; the first reply of a connection whose setup was not seen
// resynchronises the count), and the extension names QueryExtension replies register. A
// request length of 0 (and no BIG-REQUESTS length after it) is "Bogus request length (0)" (a
// Warning) and ends the segment; a message running past what the snaplen kept ends it with
// "X11 truncated"; a request, reply or event shorter than its fields is "[Malformed Packet:
// X11]" and the next one is still dissected. Messages across segments are reassembled
// through TCP.
//
// Decoded as tshark does: the connection setup request and reply (screens, depths, visual
// types), every core request (x11-requests.ts, as data) and BIG-REQUESTS' extended length,
// every core event, the core replies packet-x11.c decodes (the others, as there,
// REPLYCONTENTS_COMMON: the header and the rest undecoded), errors, and a key press's keysym
// once the connection told its keyboard and modifier maps (x11-keymap.ts), and two extensions
// once a QueryExtension reply named them: BIG-REQUESTS and XC-MISC. Left out: the other
// extensions (packet-x11.c's generated x11-extension-implementation.h: RENDER, XKB, GLX,
// RandR, MIT-SHM, XInputExtension, ...). Their names are learnt from QueryExtension replies, as
// tshark does, but a request to one shows its opcode and the rest as "undecoded" where tshark
// decodes it, and their replies, events and errors are shown as unknown ones (tshark names and
// decodes those of an extension a QueryExtension reply named). Keysyms are named from tshark's
// own table (x11-keysyms.ts) for those X.Org's headers define.
// A frame dissected again (the desktop) does not count its requests again, as tshark's visited
// frames, and shows what it showed the first time: the decisions the connection's state made
// then are remembered per frame (the newest frame of a connection, dissected again, counts its
// requests again, which changes nothing it shows).
import { canDesegment, DESEGMENT_ONE_MORE_SEGMENT, fencedInfo, requestDesegment } from '../desegment.js';
import { defineProtocol, MATCH_PORT_SCRATCH, register, TCP_STREAM_SCRATCH } from '../dispatch.js';
import { showException } from '../exception.js';
import type { FieldDef } from '../field.js';
import { appendedLabel, hexBytes } from '../format.js';
import { cString, FORGET_QUIET_AFTER_S, forgetFramesBefore, pickForgotten, type CaptureState, type PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import { MalformedError, type Tvb } from '../tvb.js';
import { ERROR_NAMES, EVENT_NAMES, OPCODE_NAMES, x11Fields } from './x11-fields.js';
import { keycodeText, keysymName, newKeyMap, storeKeysyms, type KeyMap } from './x11-keymap.js';
import { EVENTS, EXPECTS_REPLY, EXTENSIONS, REPLIES, REQUESTS, type ExtensionLayout, type Step } from './x11-requests.js';

const FIELDS = x11Fields as Record<string, FieldDef>;
const F = x11Fields;

/** seqtable values that are no opcode (packet-x11.c's NOTHING_SEEN, INITIAL_CONN). */
const NOTHING_SEEN = -3;
const INITIAL_CONN = -1;
const X_QUERY_EXTENSION = 98;
const X_GET_KEYBOARD_MAPPING = 101;
const GENERIC_EVENT = 35;
const FIRST_EXTENSION = 128;
const PORT_FIRST = 6000, PORT_LAST = 6063;

/** atom_predefined_interpretation: the atoms the core protocol predefines (1..68). */
const PREDEFINED_ATOMS = ['<error>', 'PRIMARY', 'SECONDARY', 'ARC', 'ATOM', 'BITMAP', 'CARDINAL', 'COLORMAP', 'CURSOR', 'CUT_BUFFER0',
  'CUT_BUFFER1', 'CUT_BUFFER2', 'CUT_BUFFER3', 'CUT_BUFFER4', 'CUT_BUFFER5', 'CUT_BUFFER6', 'CUT_BUFFER7', 'DRAWABLE', 'FONT', 'INTEGER',
  'PIXMAP', 'POINT', 'RECTANGLE', 'RESOURCE_MANAGER', 'RGB_COLOR_MAP', 'RGB_BEST_MAP', 'RGB_BLUE_MAP', 'RGB_DEFAULT_MAP', 'RGB_GRAY_MAP',
  'RGB_GREEN_MAP', 'RGB_RED_MAP', 'STRING', 'VISUALID', 'WINDOW', 'WM_COMMAND', 'WM_HINTS', 'WM_CLIENT_MACHINE', 'WM_ICON_NAME',
  'WM_ICON_SIZE', 'WM_NAME', 'WM_NORMAL_HINTS', 'WM_SIZE_HINTS', 'WM_ZOOM_HINTS', 'MIN_SPACE', 'NORM_SPACE', 'MAX_SPACE', 'END_SPACE',
  'SUPERSCRIPT_X', 'SUPERSCRIPT_Y', 'SUBSCRIPT_X', 'SUBSCRIPT_Y', 'UNDERLINE_POSITION', 'UNDERLINE_THICKNESS', 'STRIKEOUT_ASCENT',
  'STRIKEOUT_DESCENT', 'ITALIC_ANGLE', 'X_HEIGHT', 'QUAD_WIDTH', 'WEIGHT', 'POINT_SIZE', 'RESOLUTION', 'COPYRIGHT', 'NOTICE', 'FONT_NAME',
  'FAMILY_NAME', 'FULL_NAME', 'CAP_HEIGHT', 'WM_CLASS', 'WM_TRANSIENT_FOR'];
const MODIFIERS = ['Shift', 'Lock', 'Control', 'Mod1', 'Mod2', 'Mod3', 'Mod4', 'Mod5'];

const bits = (prefix: string, names: readonly string[]): FieldDef[] => names.map((n) => FIELDS[`${prefix}.${n}`]!);
const MODIFIER_BITS = bits('x11.modifiers-mask', MODIFIERS);
const BUTTON_BITS = bits('x11.modifiers-mask', ['Button1', 'Button2', 'Button3', 'Button4', 'Button5']);
const POINTER_EVENT_BITS = bits('x11.pointer-event-mask', ['ButtonRelease', 'EnterWindow', 'LeaveWindow', 'PointerMotion', 'PointerMotionHint',
  'Button1Motion', 'Button2Motion', 'Button3Motion', 'Button4Motion', 'Button5Motion', 'ButtonMotion', 'KeymapState']);
const EVENT_BITS = bits('x11.event-mask', ['KeyPress', 'KeyRelease', 'ButtonPress', 'ButtonRelease', 'EnterWindow', 'LeaveWindow', 'PointerMotion',
  'PointerMotionHint', 'Button1Motion', 'Button2Motion', 'Button3Motion', 'Button4Motion', 'Button5Motion', 'ButtonMotion', 'KeymapState',
  'Exposure', 'VisibilityChange', 'StructureNotify', 'ResizeRedirect', 'SubstructureNotify', 'SubstructureRedirect', 'FocusChange',
  'PropertyChange', 'ColormapChange', 'OwnerGrabButton']);
const DO_NOT_PROPAGATE_BITS = bits('x11.do-not-propagate-mask', ['KeyPress', 'KeyRelease', 'ButtonPress', 'ButtonRelease', 'PointerMotion',
  'Button1Motion', 'Button2Motion', 'Button3Motion', 'Button4Motion', 'Button5Motion', 'ButtonMotion']);
const WINDOW_VALUE_NAMES = ['background-pixmap', 'background-pixel', 'border-pixmap', 'border-pixel', 'bit-gravity', 'win-gravity', 'backing-store',
  'backing-planes', 'backing-pixel', 'override-redirect', 'save-under', 'event-mask', 'do-not-propagate-mask', 'colormap', 'cursor'];
const WINDOW_VALUE_BITS = bits('x11.window-value-mask', WINDOW_VALUE_NAMES);
const GC_VALUE_NAMES = ['function', 'plane-mask', 'foreground', 'background', 'line-width', 'line-style', 'cap-style', 'join-style', 'fill-style',
  'fill-rule', 'tile', 'stipple', 'tile-stipple-x-origin', 'tile-stipple-y-origin', 'font', 'subwindow-mode', 'graphics-exposures',
  'clip-x-origin', 'clip-y-origin', 'clip-mask', 'dash-offset', 'gc-dashes', 'arc-mode'];
const GC_VALUE_BITS = bits('x11.gc-value-mask', GC_VALUE_NAMES);
const KEYBOARD_VALUE_NAMES = ['key-click-percent', 'bell-percent', 'bell-pitch', 'bell-duration', 'led', 'led-mode', 'keyboard-key', 'auto-repeat-mode'];
const KEYBOARD_VALUE_BITS = bits('x11.keyboard-value-mask', KEYBOARD_VALUE_NAMES);
const CONFIGURE_BITS = bits('x11.configure-window-mask', ['x', 'y', 'width', 'height', 'border-width', 'sibling', 'stack-mode']);

/**
 * Each value a value mask announces, in bit order: its field and size (a small value is padded
 * to 4 bytes with unused ones). windowAttributes' event and do-not-propagate masks are
 * bitmasks of their own.
 */
const WINDOW_VALUES: ReadonlyArray<readonly [string, number]> = [['background-pixmap', 4], ['background-pixel', 4], ['border-pixmap', 4],
  ['border-pixel', 4], ['bit-gravity', 1], ['win-gravity', 1], ['backing-store', 1], ['backing-planes', 4], ['backing-pixel', 4],
  ['override-redirect', 1], ['save-under', 1], ['event-mask', 0], ['do-not-propagate-mask', 0], ['colormap', 4], ['cursor', 4]];
const GC_VALUES: ReadonlyArray<readonly [string, number]> = [['function', 1], ['plane-mask', 4], ['foreground', 4], ['background', 4],
  ['line-width', 2], ['line-style', 1], ['cap-style', 1], ['join-style', 1], ['fill-style', 1], ['fill-rule', 1], ['tile', 4], ['stipple', 4],
  ['tile-stipple-x-origin', 2], ['tile-stipple-y-origin', 2], ['font', 4], ['subwindow-mode', 1], ['graphics-exposures', 1], ['clip-x-origin', 2],
  ['clip-y-origin', 2], ['clip-mask', 4], ['dash-offset', 2], ['gc-dashes', 1], ['arc-mode', 1]];
const KEYBOARD_VALUES: ReadonlyArray<readonly [string, number]> = [['key-click-percent', 1], ['bell-percent', 1], ['bell-pitch', 2],
  ['bell-duration', 2], ['led', 2], ['led-mode', 1], ['keyboard-key', 1], ['auto-repeat-mode', 1]];
const CONFIGURE_VALUES: ReadonlyArray<readonly [string, number]> = [['x', 2], ['y', 2], ['width', 2], ['height', 2], ['border-width', 2],
  ['sibling', 4], ['stack-mode', 1]];

// Every field a layout names must exist (a typo fails at load, not on some packet).
for (const table of [REQUESTS, EVENTS, REPLIES, ...[...EXTENSIONS.values()].flatMap((e) => [e.requests, e.replies])]) {
  for (const steps of table.values()) {
    for (const s of steps) if (typeof s[1] === 'string' && !FIELDS[s[1]]) throw new Error(`x11: no field ${s[1]}`);
  }
}

/** What packet-x11.c keeps per connection (x11_conv_data_t). */
interface X11State {
  /** Request sequence number -> opcode of a request that expects a reply (| minor << 8 for an extension), or NOTHING_SEEN/INITIAL_CONN. */
  seqtable: Map<number, number>;
  /** Sequence number of a QueryExtension -> the extension it asked for. */
  valtable: Map<number, Extension>;
  /** Extensions asked for, in order (state->opcode_vals after the core opcodes). */
  extensions: Extension[];
  sequencenumber: number;
  iconnFrame: number;
  iconnReply: number;
  /** 'BE', 'LE' or null: unknown yet. */
  byteOrder: 'BE' | 'LE' | null;
  resync: boolean;
  /** The newest frame this connection saw: one before it is a revisit. */
  lastFrame: number;
  /** Its newest packet's time (seconds), for forgetting it in a live capture. */
  lastTime: number;
  /** The frame being dissected (extensions named in a later frame are not known to it). */
  frame: number;
  /**
   * What the first dissection of a frame decided from the connection's state then (byte order,
   * setup or not, the request a reply answers, a keycode's keysym), for a capture that revisits
   * frames: dissected again, a frame shows the same.
   */
  memo: Map<string, unknown>;
  /** The keyboard and modifier maps the connection told (for the keysym of a KeyPress). */
  keymap: KeyMap;
}

interface Extension {
  name: string;
  /** Its major opcode once a QueryExtension reply gave it; -1 before. */
  opcode: number;
  /** The frame of that reply. */
  frame: number;
}

/**
 * `decide()`, or in a capture that revisits frames what it gave the first time this frame was
 * dissected (`key` tells the decision and where in the frame's bytes it is made).
 */
function remember<T>(ctx: PacketContext, st: X11State, tvb: Tvb, at: number, key: string, decide: () => T): T {
  if (!ctx.capture.revisits) return decide();
  const k = `${ctx.frame.number}/${tvb.bytes.length}/${tvb.abs(at)}/${key}`;
  if (st.memo.has(k)) return st.memo.get(k) as T;
  const v = decide();
  st.memo.set(k, v);
  return v;
}

/** The connections' states, and the newest capture time seen (a live ring forgets quiet connections). */
interface X11Conversations {
  states: Map<unknown, X11State>;
  now: number;
}

function newConversations(capture: CaptureState): X11Conversations {
  const conv: X11Conversations = { states: new Map(), now: 0 };
  capture.onForget((first) => {
    const gone = pickForgotten(conv.states.entries(), first, conv.now, ([, st]) => st.lastFrame, ([, st]) => st.lastTime, () => FORGET_QUIET_AFTER_S);
    for (const [key] of gone) conv.states.delete(key);
    for (const st of conv.states.values()) forgetFramesBefore(st.memo, first, (k) => Number.parseInt(k, 10));
  });
  return conv;
}

/** The state of the packet's connection (tcp.stream; its endpoint pair without a TCP tracker). */
function stateOf(ctx: PacketContext): X11State {
  const conv = ctx.capture.get('x11.conversations', newConversations);
  const ends = [`${ctx.src} ${ctx.endpoints.srcPort}`, `${ctx.dst} ${ctx.endpoints.dstPort}`].sort();
  const key = ctx.scratch[TCP_STREAM_SCRATCH] ?? ends.join(' ');
  let st = conv.states.get(key);
  if (!st) {
    st = {
      seqtable: new Map([[0, NOTHING_SEEN]]), valtable: new Map(), extensions: [], sequencenumber: 0, iconnFrame: 0, iconnReply: 0,
      byteOrder: null, resync: false, lastFrame: 0, lastTime: 0, keymap: newKeyMap(), frame: 0, memo: new Map(),
    };
    conv.states.set(key, st);
  }
  const sec = ctx.frame.ts.sec;
  st.lastTime = Math.max(st.lastTime, sec);
  conv.now = Math.max(conv.now, sec);
  return st;
}

/** val_to_str(opcode, state->opcode_vals, ...): the core names, then the extensions'. */
function opcodeName(st: X11State, opcode: number): string {
  const core = opcode === INITIAL_CONN ? OPCODE_NAMES[0xffffffff] : opcode >= 0 ? OPCODE_NAMES[opcode] : undefined;
  if (core !== undefined) return core;
  const ext = st.extensions.find((e) => e.opcode === opcode && e.frame <= st.frame);
  return ext ? ext.name : `<Unknown opcode ${opcode}>`;
}

/** The decoded extension a QueryExtension reply gave this major opcode, if any (tryExtension's dispatch). */
function extensionAt(st: X11State, opcode: number): { name: string; layout: ExtensionLayout } | undefined {
  if (opcode < 0 || OPCODE_NAMES[opcode] !== undefined) return undefined;
  const ext = st.extensions.find((e) => e.opcode === opcode && e.frame <= st.frame);
  const layout = ext && EXTENSIONS.get(ext.name);
  return layout && { name: ext.name, layout };
}

// ---- Reading with the connection's byte order ----

const v16 = (tvb: Tvb, o: number, le: boolean): number => (le ? tvb.u16le(o) : tvb.u16(o));
const v32 = (tvb: Tvb, o: number, le: boolean): number => (le ? tvb.u32le(o) : tvb.u32(o));

/** A message being decoded: its bytes, the cursor, its tree, and where it ends (next_offset). */
interface Cursor {
  ctx: PacketContext;
  tvb: Tvb;
  o: number;
  t: FieldNode;
  le: boolean;
  /** The message's length (its tvb's reported length in tshark: what "undecoded" runs to). */
  end: number;
  /** Lengths kept by steps, by name. */
  vars: Record<string, number>;
  st: X11State;
}

const hex = (v: number, digits: number): string => `0x${v.toString(16).padStart(digits, '0')}`;

/**
 * A flag's value from its word: a boolean, or for a flag of several bits (the erroneous bits)
 * the bits themselves, so that its line's bit picture shows which are set.
 */
function flagValue(word: number, b: FieldDef): boolean | number {
  const mask = b.mask!;
  const low = mask & -mask;
  return mask === low ? (word & mask) !== 0 : ((word & mask) >>> 0) / low;
}

/** The value of an integer field as proto_tree_add_item reads it (signed types sign-extended). */
function typed(f: FieldDef, v: number, size: number): number {
  if (f.type === 'int8' || (f.type === 'int16' && size === 1)) return (v << 24) >> 24;
  if (f.type === 'int16') return (v << 16) >> 16;
  if (f.type === 'int32') return v | 0;
  return v;
}

/** proto_tree_add_item of `size` bytes at the cursor (bytes checked first, as test_length does). */
function item(c: Cursor, f: FieldDef, size: number, value: number | boolean | string | Uint8Array | null, text?: string): FieldNode {
  // An FT_NONE item is cut at the end of the bytes (get_hfi_length); only its start must be in them.
  if (f.type === 'none') noneStart(c.tvb, c.o);
  else c.tvb.check(c.o, size);
  const n = c.ctx.add(c.t, f, c.tvb, c.o, f.type === 'none' ? Math.min(size, c.tvb.length - c.o) : size, value, text);
  if (f.type === 'char' && typeof value === 'number' && !c.ctx.isPlaceholder(n)) n.fieldText = charText(value);
  c.o += size;
  return n;
}

/** The C escapes FT_CHAR's text uses (hfinfo_char_value_format_display). */
const CHAR_ESCAPES: Record<number, string> = { 0: '\\0', 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 0x27: "\\'", 0x5c: '\\\\' };

/** An FT_CHAR's value as -T fields prints it: 'l', or an escape for a byte that is not printable ('\0', '\x80'). */
function charText(v: number): string {
  const esc = CHAR_ESCAPES[v];
  if (esc !== undefined) return `'${esc}'`;
  return v >= 0x20 && v < 0x7f ? `'${String.fromCharCode(v)}'` : `'\\x${v.toString(16).padStart(2, '0')}'`;
}

function readInt(c: Cursor, size: number): number {
  return size === 1 ? c.tvb.u8(c.o) : size === 2 ? v16(c.tvb, c.o, c.le) : v32(c.tvb, c.o, c.le);
}

/** field8/field16/field32: "name: v (Name)" when the field names the value, else the item as it is. */
function field(c: Cursor, f: FieldDef, size: 1 | 2 | 4): number {
  const v = readInt(c, size);
  const name = f.values?.[v];
  if (name !== undefined) {
    const shown = f.base === 'hex' ? hex(v, size === 4 ? 8 : 2) : String(v);
    item(c, f, size, v, `${f.label}: ${shown} (${name})`);
  } else if (f.type === 'char') {
    item(c, f, size, v, `${f.label}: Unknown (${charText(v)})`);
  } else if (size === 4 && f.base !== 'hex_dec') {
    // field32's own text (the generated extension code's hex-and-decimal fields are added as items).
    item(c, f, 4, v, `${f.label}: ${f.base === 'hex' ? hex(v, 8) : String(v)}`);
  } else {
    item(c, f, size, typed(f, v, size));
  }
  return v;
}

/** atom(): the number and what it is ("Not a predefined atom"). */
function atom(c: Cursor, f: FieldDef): void {
  const v = v32(c.tvb, c.o, c.le);
  let what: string | undefined;
  if (v >= 1 && v < PREDEFINED_ATOMS.length) what = PREDEFINED_ATOMS[v];
  else if (v) what = 'Not a predefined atom';
  else what = f.values?.[v];
  item(c, f, 4, v, `${f.label}: ${v} (${what ?? 'error in Xlib client program ?'})`);
}

/** timestamp(): 0 is CurrentTime. */
function timestamp(c: Cursor, f: FieldDef): void {
  const v = v32(c.tvb, c.o, c.le);
  item(c, f, 4, v, v ? undefined : `${f.label}: 0 (CurrentTime)`);
}

/** proto_tree_add_bitmask: the word, ", name" for each flag set, a line per flag. */
function bitmask(c: Cursor, f: FieldDef, size: 2 | 4, flags: readonly FieldDef[]): number {
  const v = readInt(c, size);
  const set = flags.filter((b) => (v & b.mask!) !== 0).map((b) => `, ${b.label}`).join('');
  const at = c.o;
  const n = item(c, f, size, v, `${f.label}: ${hex(v, size * 2)}${set}`);
  for (const b of flags) c.ctx.add(n, b, c.tvb, at, size, flagValue(v, b));
  return v;
}

/** setOfKeyButMask: the modifiers (and buttons) word, or AnyModifier. */
function keyButMask(c: Cursor, butmask: boolean): void {
  const v = v16(c.tvb, c.o, c.le);
  if (!butmask && v === 0x8000) {
    item(c, F['x11.modifiers-mask.AnyModifier'], 2, 0x8000, 'modifiers-masks: 0x8000 (AnyModifier)');
    return;
  }
  const at = c.o;
  const n = item(c, F['x11.modifiers-mask'], 2, v);
  const flag = (b: FieldDef) => c.ctx.add(n, b, c.tvb, at, 2, flagValue(v, b));
  MODIFIER_BITS.forEach(flag);
  if (butmask) BUTTON_BITS.forEach(flag);
  const wrong = butmask ? F['x11.keybut-mask-erroneous-bits'] : F['x11.modifiers-mask.erroneous-bits'];
  if (v & wrong.mask!) flag(wrong);
}

/** The values a window/GC/keyboard/configure mask announces, each padded to 4 bytes. */
function maskedValues(c: Cursor, mask: number, values: ReadonlyArray<readonly [string, number]>): void {
  values.forEach(([name, size], i) => {
    if (!(mask & (1 << i))) return;
    if (name === 'event-mask') bitmask(c, F['x11.event-mask'], 4, EVENT_BITS);
    else if (name === 'do-not-propagate-mask') bitmask(c, F['x11.do-not-propagate-mask'], 4, DO_NOT_PROPAGATE_BITS);
    else {
      const f = FIELDS[`x11.${name}`]!;
      const v = readInt(c, size);
      item(c, f, size, f.type === 'boolean' ? v !== 0 : typed(f, v, size));
      if (size < 4) item(c, F['x11.unused'], 4 - size, null);
    }
  });
}

/** listOfByte: at least one byte (a length of 0, or one past 2^31 that a C int makes negative, shows one). */
function listOfByte(c: Cursor, f: FieldDef, length: number): void {
  const n = (length | 0) <= 0 ? 1 : length;
  c.tvb.check(c.o, n);
  item(c, f, n, c.tvb.slice(c.o, n));
}

/** STRING8: ASCII text; text after a NUL in it gets proto.c's "Trailing stray characters" note. */
function string8(c: Cursor, f: FieldDef, length: number): void {
  const text = c.tvb.ascii(c.o, length);
  const n = item(c, f, length, text);
  if (strayAfterNul(text, length)) c.ctx.addExpert(n, 'warn', 'undecoded', 'Trailing stray characters');
}

/**
 * detect_trailing_stray_characters: a byte other than NUL after the first NUL of the text as
 * UTF-8 (where a byte above 0x7f is 3 bytes of U+FFFD), among its first `length` bytes.
 */
function strayAfterNul(text: string, length: number): boolean {
  if (!text.includes('\0')) return false;
  const utf8 = Buffer.from(text, 'utf8');
  for (let i = utf8.indexOf(0); i < length && i < utf8.length; i++) if (utf8[i] !== 0) return true;
  return false;
}

/** tvb_ensure_bytes_exist(start, -1) for an FT_NONE item starting past the bytes. */
function noneStart(tvb: Tvb, o: number): void {
  if (o > tvb.length) throw new MalformedError('X11 item starts past the message', tvb.abs(o));
}

/** A list item (FT_NONE) over `size` bytes (cut at the end of the bytes) whose subtree the caller fills. */
function listHead(c: Cursor, f: FieldDef, size: number): FieldNode {
  noneStart(c.tvb, c.o);
  return c.ctx.add(c.t, f, c.tvb, c.o, Math.max(0, Math.min(size, c.tvb.length - c.o)), null);
}

function signed16(c: Cursor, o: number): number {
  return (v16(c.tvb, o, c.le) << 16) >> 16;
}

/** LISTofRECTANGLE, LISTofSEGMENT, LISTofARC, LISTofPOINT: `count` entries of `size` bytes. */
function shapes(c: Cursor, f: FieldDef, count: number, size: 4 | 8 | 12): void {
  // listOfArc's list item is 8 bytes an arc long in packet-x11.c.
  const head = listHead(c, f, count * (size === 12 ? 8 : size));
  for (let i = 0; i < count; i++) {
    const o = c.o;
    const a = signed16(c, o), b = signed16(c, o + 2);
    if (size === 4) {
      const p = c.ctx.add(head, F['x11.point'], c.tvb, o, 4, null, `point: (${a},${b})`);
      c.ctx.add(p, F['x11.point-x'], c.tvb, o, 2, a);
      c.ctx.add(p, F['x11.point-y'], c.tvb, o + 2, 2, b);
    } else if (size === 8 && f === F['x11.segments']) {
      const x2 = signed16(c, o + 4), y2 = signed16(c, o + 6);
      const s = c.ctx.add(head, F['x11.segment'], c.tvb, o, 8, null, `segment: (${a},${b})-(${x2},${y2})`);
      [F['x11.segment_x1'], F['x11.segment_y1'], F['x11.segment_x2'], F['x11.segment_y2']].forEach((sf, k) => c.ctx.add(s, sf, c.tvb, o + 2 * k, 2, signed16(c, o + 2 * k)));
    } else if (size === 8) {
      const w = v16(c.tvb, o + 4, c.le), h = v16(c.tvb, o + 6, c.le);
      const r = c.ctx.add(head, F['x11.rectangle'], c.tvb, o, 8, null, `rectangle: ${w}x${h}+${a}+${b}`);
      c.ctx.add(r, F['x11.rectangle-x'], c.tvb, o, 2, a);
      c.ctx.add(r, F['x11.rectangle-y'], c.tvb, o + 2, 2, b);
      c.ctx.add(r, F['x11.rectangle-width'], c.tvb, o + 4, 2, w);
      c.ctx.add(r, F['x11.rectangle-height'], c.tvb, o + 6, 2, h);
    } else {
      const w = v16(c.tvb, o + 4, c.le), h = v16(c.tvb, o + 6, c.le), a1 = signed16(c, o + 8), a2 = signed16(c, o + 10);
      const r = c.ctx.add(head, F['x11.arc'], c.tvb, o, 12, null,
        `arc: ${w}x${h}+${a}+${b}, angle ${a1} -> ${a2} (${(a1 / 64).toFixed(6)} degrees -> ${(a2 / 64).toFixed(6)} degrees)`);
      // listOfArc shows y for every part after x (packet-x11.c passes `y` to each).
      c.ctx.add(r, F['x11.arc.x'], c.tvb, o, 2, a);
      [F['x11.arc.y'], F['x11.arc.width'], F['x11.arc.height'], F['x11.arc.angle1'], F['x11.arc.angle2']].forEach((af, k) =>
        c.ctx.add(r, af, c.tvb, o + 2 + 2 * k, 2, af.type === 'uint16' ? b >>> 0 : b));
    }
    c.o += size;
  }
}

/** listOfCard32 / listOfAtom: `count` 4-byte items under a list item. */
function card32s(c: Cursor, f: FieldDef, itemField: FieldDef, count: number, atoms: boolean): void {
  const head = listHead(c, f, count * 4);
  const inner: Cursor = { ...c, t: head };
  for (let i = 0; i < count; i++) {
    if (atoms) atom(inner, itemField);
    else item(inner, itemField, 4, v32(c.tvb, inner.o, c.le));
  }
  c.o = inner.o;
}

/** colorFlags: "flags: DoRed | DoGreen" and a line per flag set. */
function colorFlags(c: Cursor): void {
  const v = c.tvb.u8(c.o);
  const at = c.o;
  if (!v) {
    item(c, F['x11.coloritem.flags'], 1, v, 'flags: none');
    return;
  }
  const names = [v & 1 ? 'DoRed' : '', v & 2 ? 'DoGreen' : '', v & 4 ? 'DoBlue' : ''].filter(Boolean);
  const text = `flags: ${names.join(' | ')}${v & 0xf8 && names.length ? ' + trash' : ''}`;
  const n = item(c, F['x11.coloritem.flags'], 1, v, text);
  for (const b of [F['x11.coloritem.flags.do-red'], F['x11.coloritem.flags.do-green'], F['x11.coloritem.flags.do-blue'], F['x11.coloritem.flags.unused']]) {
    if (v & b.mask!) c.ctx.add(n, b, c.tvb, at, 1, flagValue(v, b));
  }
}

/** listOfColorItem (its list item is 8 bytes a color in tshark, which this keeps). */
function colorItems(c: Cursor, count: number): void {
  const head = listHead(c, F['x11.color-items'], count * 8);
  for (let i = 0; i < count; i++) {
    const o = c.o;
    const red = v16(c.tvb, o + 4, c.le), green = v16(c.tvb, o + 6, c.le), blue = v16(c.tvb, o + 8, c.le), flags = c.tvb.u8(o + 10);
    const parts = [flags & 1 ? `red = ${red}` : '', flags & 2 ? `green = ${green}` : '', flags & 4 ? `blue = ${blue}` : ''].filter(Boolean);
    const ci = c.ctx.add(head, F['x11.coloritem'], c.tvb, o, 12, null, `colorItem ${parts.join(', ')}`);
    const inner: Cursor = { ...c, t: ci };
    item(inner, F['x11.coloritem.pixel'], 4, v32(c.tvb, o, c.le));
    item(inner, F['x11.coloritem.red'], 2, red);
    item(inner, F['x11.coloritem.green'], 2, green);
    item(inner, F['x11.coloritem.blue'], 2, blue);
    colorFlags(inner);
    item(inner, F['x11.coloritem.unused'], 1, null);
    c.o = inner.o;
  }
}

/** listOfKeycode: per modifier, its keycodes ("item:  Shift=50 Shift=62"). */
function keycodes(c: Cursor, perModifier: number): void {
  const head = c.ctx.add(c.t, F['x11.keycodes'], c.tvb, c.o, MODIFIERS.length * perModifier, null);
  for (const m of MODIFIERS) {
    c.tvb.check(c.o, perModifier);
    let text = 'item: ';
    for (let i = 0; i < perModifier; i++) {
      const k = c.tvb.u8(c.o + i);
      if (k) text += ` ${m}=${k}`;
    }
    const row = c.ctx.add(head, F['x11.keycodes.item'], c.tvb, c.o, perModifier, c.tvb.slice(c.o, perModifier), 'item: ');
    appendText(c.ctx, row, text.slice('item: '.length));
    c.st.keymap.modifiers[MODIFIERS.indexOf(m)] = [...c.tvb.slice(c.o, perModifier)];
    c.o += perModifier;
  }
}

/** proto_item_append_text: the node's line with `suffix`, cut where Wireshark's label buffer ends. */
function appendText(ctx: PacketContext, node: FieldNode, suffix: string): void {
  if (ctx.tree && suffix) ctx.setText(node, appendedLabel(node, suffix));
}

/**
 * listOfKeysyms: per keycode, its keysyms by name ("keysyms (keycode 38): a A"), stored in the
 * connection's keyboard map. A GetKeyboardMapping reply's run from the keycode its request asked
 * for, as many as its length holds, and set the map's first keycode and keysyms per keycode.
 */
function keysyms(c: Cursor, reply: boolean): void {
  const map = c.st.keymap;
  const perKeycode = c.vars['perKeycode'] ?? 0;
  let keycode = reply ? map.askedFirstKeycode : c.vars['first'] ?? 0;
  let count = c.vars['count'] ?? 0;
  if (reply) {
    map.firstKeycode = keycode;
    map.keysymsPerKeycode = perKeycode;
    count = perKeycode ? Math.trunc((c.vars['words']! | 0) / perKeycode) : 0;
  }
  const head = listHead(c, F['x11.keysyms'], count * perKeycode * 4);
  for (; count > 0; keycode++, count--) {
    noneStart(c.tvb, c.o);
    const row = c.ctx.add(head, F['x11.keysyms.item'], c.tvb, c.o, Math.min(4 * perKeycode, c.tvb.length - c.o), null);
    const text = `keysyms (keycode ${keycode}):`;
    if (keycode >= 256) {
      const message = `keycode value ${keycode} is out of range`;
      c.ctx.setText(row, text);
      c.ctx.addExpert(c.ctx.addGenerated(row, F['x11.keycode_value_out_of_range'], null, message), 'warn', 'protocol', message, true);
      c.o += 4 * perKeycode;
      continue;
    }
    c.tvb.check(c.o, 4 * perKeycode);
    const syms: number[] = [];
    let names = '';
    for (let i = 0; i < perKeycode; i++) {
      const v = v32(c.tvb, c.o, c.le);
      names += ` ${keysymName(v)}`;
      c.ctx.add(row, F['x11.keysyms.item.keysym'], c.tvb, c.o, 4, v, `keysym (keycode ${keycode}): ${hex(v, 8)} (${keysymName(v)})`);
      syms.push(v);
      c.o += 4;
    }
    c.ctx.setText(row, text);
    appendText(c.ctx, row, names);
    storeKeysyms(map, keycode, syms);
  }
}

/** SEQUENCENUMBER_REPLY: the number and the name of the request it answers. */
function replySequence(c: Cursor, opcode: number): void {
  const v = v16(c.tvb, c.o, c.le);
  item(c, F['x11.reply-sequencenumber'], 2, v, `sequencenumber: ${v} (${opcodeName(c.st, opcode & 0xff)})`);
}

/** REPLYCONTENTS_COMMON: the header, the rest undecoded. */
function replyCommon(c: Cursor, opcode: number): void {
  field(c, F['x11.reply'], 1);
  item(c, F['x11.undecoded'], 1, null);
  replySequence(c, opcode);
  field(c, F['x11.replylength'], 4);
  item(c, F['x11.undecoded'], Math.max(0, c.end - c.o), null);
}

/** The header of EVENTCONTENTS_COMMON (KeyPress to MotionNotify, Enter/LeaveNotify). */
function eventCommon(c: Cursor): void {
  timestamp(c, F['x11.time']);
  for (const f of [F['x11.rootwindow'], F['x11.eventwindow'], F['x11.childwindow']]) field(c, f, 4);
  for (const f of [F['x11.root-x'], F['x11.root-y'], F['x11.event-x'], F['x11.event-y']]) field(c, f, 2);
  keyButMask(c, true);
}

/** ChangeProperty's format, length and data (8, 16 or 32 bits an item; another format is invalid). */
function property(c: Cursor, requestItem: FieldNode): void {
  const format = field(c, F['x11.format'], 1);
  item(c, F['x11.unused'], 3, null);
  const n = field(c, F['x11.data-length'], 4);
  if (format === 8) {
    if (n) listOfByte(c, F['x11.data'], n);
  } else if (format === 16 || format === 32) {
    if (n) {
      const size = format / 8;
      const head = listHead(c, format === 16 ? F['x11.data16'] : F['x11.data32'], n * size);
      const inner: Cursor = { ...c, t: head };
      const itemField = format === 16 ? F['x11.data16.item'] : F['x11.data32.item'];
      for (let i = 0; i < n; i++) item(inner, itemField, size, readInt(inner, size));
      c.o = inner.o;
    }
  } else {
    c.ctx.addExpert(requestItem, 'warn', 'protocol', 'Invalid Format');
  }
  pad(c);
}

function pad(c: Cursor): void {
  if (c.end - c.o > 0) item(c, F['x11.unused'], c.end - c.o, null);
  c.o = c.end;
}

/** Runs a layout's steps at the cursor. */
function run(c: Cursor, steps: readonly Step[], opcode: number, requestItem: FieldNode): void {
  for (const s of steps) {
    switch (s[0]) {
      case 'u8': case 'u16': case 'u32': {
        const v = field(c, FIELDS[s[1]]!, s[0] === 'u8' ? 1 : s[0] === 'u16' ? 2 : 4);
        if (s[2]) c.vars[s[2]] = v;
        break;
      }
      case 'bool': {
        const v = c.tvb.u8(c.o);
        item(c, FIELDS[s[1]]!, 1, v !== 0);
        if (s[2]) c.vars[s[2]] = v;
        break;
      }
      case 'unused': item(c, F['x11.unused'], s[1], null); break;
      case 'len': requestLength(c); break;
      case 'atom': atom(c, FIELDS[s[1]]!); break;
      case 'time': timestamp(c, FIELDS[s[1]]!); break;
      case 'visual': {
        const v = v32(c.tvb, c.o, c.le);
        item(c, FIELDS[s[1]]!, 4, v, `Visualid: ${hex(v, 8)}${v ? '' : ' (CopyFromParent)'}`);
        break;
      }
      case 'keymask': keyButMask(c, false); break;
      case 'keybutmask': keyButMask(c, true); break;
      case 'ptrmask': bitmask(c, F['x11.pointer-event-mask'], 2, POINTER_EVENT_BITS); break;
      case 'evmask': bitmask(c, F['x11.event-mask'], 4, EVENT_BITS); break;
      case 'winattrs': maskedValues(c, bitmask(c, F['x11.window-value-mask'], 4, WINDOW_VALUE_BITS), WINDOW_VALUES); break;
      case 'gcattrs': maskedValues(c, bitmask(c, F['x11.gc-value-mask'], 4, GC_VALUE_BITS), GC_VALUES); break;
      case 'gcmask': bitmask(c, F['x11.gc-value-mask'], 4, GC_VALUE_BITS); break;
      case 'pad': pad(c); break;
      case 'colorflags': colorFlags(c); break;
      case 'string8': string8(c, FIELDS[s[1]]!, c.vars[s[2]] ?? 0); break;
      case 'bytes': listOfByte(c, FIELDS[s[1]]!, c.vars[s[2]] ?? 0); break;
      case 'bytesRest': listOfByte(c, FIELDS[s[1]]!, (c.vars['len'] ?? 0) - s[2]); break;
      case 'fixedBytes': listOfByte(c, FIELDS[s[1]]!, s[2]); break;
      case 'points': shapes(c, FIELDS[s[1]]!, Math.trunc(((c.vars['len'] ?? 0) - s[2]) / 4), 4); break;
      case 'card32s': card32s(c, FIELDS[s[1]]!, F['x11.pixels_item'], Math.trunc(((c.vars['len'] ?? 0) - s[2]) / 4), false); break;
      case 'atoms': card32s(c, FIELDS[s[1]]!, F['x11.properties.item'], Math.trunc(((c.vars['len'] ?? 0) - s[2]) / 4), true); break;
      case 'atomCount': card32s(c, FIELDS[s[1]]!, F['x11.properties.item'], c.vars[s[2]] ?? 0, true); break;
      case 'coloritems': colorItems(c, Math.trunc(((c.vars['len'] ?? 0) - s[2]) / 12)); break;
      case 'rects': shapes(c, FIELDS[s[1]]!, Math.trunc((c.end - c.o) / 8), 8); break;
      case 'segments': shapes(c, FIELDS[s[1]]!, Math.trunc((c.end - c.o) / 8), 8); break;
      case 'arcs': shapes(c, FIELDS[s[1]]!, Math.trunc((c.end - c.o) / 12), 12); break;
      case 'keycodes': {
        const perModifier = c.vars[s[2]] ?? 0;
        // A GetModifierMapping reply's count is the connection's (a SetModifierMapping's is not).
        if (opcode === 119) c.st.keymap.keycodesPerModifier = perModifier;
        keycodes(c, perModifier);
        break;
      }
      case 'property': property(c, requestItem); break;
      case 'configure': configureWindow(c); break;
      case 'keyboard': {
        item(c, F['x11.unused'], 1, null);
        requestLength(c);
        maskedValues(c, bitmask(c, F['x11.keyboard-value-mask'], 4, KEYBOARD_VALUE_BITS), KEYBOARD_VALUES);
        break;
      }
      case 'fontpath': fontPath(c); break;
      case 'keycode': {
        // The modifier state at byte 28 is read first (KEYCODE_DECODED's prefetch).
        const mask = v16(c.tvb, 28, c.le);
        const k = c.tvb.u8(c.o);
        const text = remember(c.ctx, c.st, c.tvb, c.o, 'keysym', () => keycodeText(c.st.keymap, k, mask));
        item(c, F['x11.keycode'], 1, k, `keycode: ${k} (${text})`);
        break;
      }
      case 'keysyms': keysyms(c, opcode === 101); break;
      case 'common': eventCommon(c); break;
      case 'ssfocus': {
        const v = c.tvb.u8(c.o);
        const at = c.o;
        const n = item(c, F['x11.same-screen-focus-mask'], 1, v);
        for (const b of [F['x11.same-screen-focus-mask.focus'], F['x11.same-screen-focus-mask.same-screen']]) c.ctx.add(n, b, c.tvb, at, 1, (v & b.mask!) !== 0);
        break;
      }
      case 'generic': genericEvent(c); break;
      case 'seq': replySequence(c, opcode); break;
      case 'extseq': {
        const ext = extensionAt(c.st, opcode & 0xff)!;
        const v = v16(c.tvb, c.o, c.le);
        item(c, F['x11.reply-sequencenumber'], 2, v, `reply-sequencenumber: ${v} (${ext.layout.prefix}-${ext.layout.minors[opcode >> 8]})`);
        break;
      }
      case 'card32List': card32s(c, FIELDS[s[1]]!, FIELDS[s[2]]!, c.vars[s[3]] ?? 0, false); break;
      case 'string16': string16(c, FIELDS[s[1]]!, c.vars[s[2]] ?? 0); break;
      case 'extents16': string16(c, FIELDS[s[1]]!, Math.trunc((c.end - c.o - (c.vars['odd'] ? 2 : 0)) / 2)); break;
      case 'textitems': textItems(c, FIELDS[s[1]]!, s[2] === 16); break;
      case 'event': sentEvent(c); break;
      case 'hosts': hostAddress(c); break;
      case 'replyCommon': replyCommon(c, opcode); break;
    }
  }
}

/**
 * requestLength: the length in words; 0 is BIG-REQUESTS' flag, the real length follows in 4 bytes.
 * Kept (in bytes) as `len` for the lists that run to it.
 */
function requestLength(c: Cursor): void {
  let v = v16(c.tvb, c.o, c.le);
  if (v === 0) {
    item(c, F['x11.request-length'], 2, 0, 'request-length: 0 (extended length flag)');
    v = v32(c.tvb, c.o, c.le);
    item(c, F['x11.request-length'], 4, v);
  } else {
    item(c, F['x11.request-length'], 2, v);
  }
  c.vars['len'] = v * 4;
}

/** ConfigureWindow: the window, its value mask and the values it announces. */
function configureWindow(c: Cursor): void {
  item(c, F['x11.unused'], 1, null);
  requestLength(c);
  item(c, F['x11.window'], 4, v32(c.tvb, c.o, c.le));
  const mask = bitmask(c, F['x11.configure-window-mask'], 2, CONFIGURE_BITS);
  item(c, F['x11.unused'], 2, null);
  maskedValues(c, mask, CONFIGURE_VALUES);
  pad(c);
}

/** SetFontPath: its strings (LISTofSTRING8). */
function fontPath(c: Cursor): void {
  item(c, F['x11.unused'], 1, null);
  requestLength(c);
  const count = field(c, F['x11.str-number-in-path'], 2);
  item(c, F['x11.unused'], 2, null);
  let scan = c.o;
  for (let i = 0; i < count; i++) scan += 1 + c.tvb.u8(scan);
  c.tvb.check(c.o, scan - c.o);
  const head = c.ctx.add(c.t, F['x11.path'], c.tvb, c.o, scan - c.o, null);
  for (let i = 0; i < count; i++) {
    const l = c.tvb.u8(c.o);
    const s = c.tvb.ascii(c.o + 1, l);
    c.ctx.add(head, F['x11.path.string'], c.tvb, c.o, l + 1, s, `"${cString(s)}"`);
    c.o += l + 1;
  }
  pad(c);
}

/** tryGenericExtensionEvent without extensions: the extension byte (shown one byte late, as there), the length, the minor opcode. */
function genericEvent(c: Cursor): void {
  const ext = c.tvb.u8(c.o);
  c.o++;
  const name = opcodeName(c.st, ext);
  const known = !name.startsWith('<Unknown opcode');
  c.tvb.check(c.o, 1);
  c.ctx.add(c.t, F['x11.extension'], c.tvb, c.o, 1, ext, known ? `extension: ${ext} (${name})` : undefined);
  field(c, F['x11.event-sequencenumber'], 2);
  field(c, F['x11.eventlength'], 4);
  c.o += 4;
  field(c, F['x11.minor-opcode'], 2);
}

// ---- Byte order ----

function bitsSet(tvb: Tvb, o: number, n: number): number {
  let count = 0;
  for (let i = 0; i < n; i++) for (let b = tvb.u8(o + i); b; b >>= 1) count += b & 1;
  return count;
}

const rounded4 = (n: number): number => Math.ceil(n / 4);

function stringsFit(tvb: Tvb, o: number, length: number, count: number): boolean {
  if (count > length) return false;
  while (count--) {
    if (!tvb.has(o, 1)) return true;
    let l = tvb.u8(o);
    if (!l) break;
    l++;
    if (l > length) return false;
    if (!tvb.has(o, l)) return true;
    o += l;
    length -= l;
  }
  return length <= 3;
}

const LENGTH_IS: Record<number, number> = {};
for (const [len, ops] of [
  [1, [36, 37, 43, 44, 52, 99, 103, 104, 106, 108, 110, 111, 112, 115, 117, 119]],
  [2, [3, 4, 5, 6, 8, 9, 10, 11, 13, 14, 15, 17, 21, 23, 27, 32, 35, 38, 46, 47, 54, 60, 79, 81, 82, 83, 95, 101, 113]],
  [3, [19, 29, 34, 42, 80, 86, 97, 105, 107]],
  [4, [7, 22, 30, 31, 33, 39, 40, 53, 57, 61, 78, 84, 87]],
  [5, [73, 96]], [6, [20, 24, 26, 28, 41]], [7, [62]], [8, [63, 93, 94]], [11, [25]],
] as const) for (const op of ops) LENGTH_IS[op] = len;

/** consistentWithOrder: whether a request of `length` words at `o` is plausible in this byte order. */
function consistent(tvb: Tvb, o: number, length: number, le: boolean): boolean {
  const op = tvb.u8(o);
  const fixed = LENGTH_IS[op];
  if (fixed !== undefined) return length === fixed;
  const u16at = (at: number) => v16(tvb, at, le);
  switch (op) {
    case 1: return !tvb.has(o, 32) || length === 8 + bitsSet(tvb, o + 28, 4);
    case 2: case 56: return !tvb.has(o, 12) || length === 3 + bitsSet(tvb, o + 8, 4);
    case 12: return !tvb.has(o, 10) || length === 3 + bitsSet(tvb, o + 8, 2);
    case 16: case 98: return !tvb.has(o, 6) || length === 2 + rounded4(u16at(o + 4));
    case 18: {
      if (!tvb.has(o, 17)) return true;
      // packet-x11.c reads the format at byte 16 of the segment, whatever the request's offset.
      const type = tvb.u8(16);
      if (type !== 8 && type !== 16 && type !== 32) return false;
      if (!tvb.has(o, 24)) return true;
      return length === 6 + rounded4(((v32(tvb, o + 20, le) * (type / 8)) >>> 0));
    }
    case 45: case 85: case 92: return !tvb.has(o, 10) || length === 3 + rounded4(u16at(o + 8));
    case 48: case 91: return length >= 2;
    case 49: case 50: case 109: return !tvb.has(o, 8) || length === 2 + rounded4(u16at(o + 6));
    case 51: return length >= 2 && (!tvb.has(o, 8) || stringsFit(tvb, o + 8, (length - 2) * 4, u16at(o + 4)));
    case 55: return !tvb.has(o, 16) || length === 4 + bitsSet(tvb, o + 12, 4);
    case 58: return !tvb.has(o, 12) || length === 3 + rounded4(u16at(o + 10));
    case 59: case 66: case 67: case 70: return length >= 3 && (length - 3) % 2 === 0;
    case 64: case 65: case 88: return length >= 3;
    case 68: case 71: return length >= 3 && (length - 3) % 3 === 0;
    case 69: case 76: case 74: case 75: case 77: return length >= 4;
    case 72: return length >= 6;
    case 89: return length > 2 && (length - 2) % 3 === 0;
    case 90: return !tvb.has(o, 14) || length === 4 + rounded4(u16at(o + 12));
    case 100: return !tvb.has(o, 6) || length === 2 + tvb.u8(1) * tvb.u8(5);
    case 102: return !tvb.has(o, 6) || length === 2 + bitsSet(tvb, o + 4, 2);
    case 114: return !tvb.has(o, 10) || length === 3 + u16at(o + 8);
    case 116: return length === 1 + rounded4(tvb.u8(1));
    case 118: return length === 1 + tvb.u8(1) * 2;
    case 127: return length >= 1;
    default: return true;
  }
}

/** x_endian_match: -1 a request does not fit, 1 all fit, 0 nothing to judge. */
function endianMatch(tvb: Tvb, le: boolean): number {
  let seen = 0;
  for (let o = 0; tvb.has(o, 4);) {
    const length = v16(tvb, o + 2, le);
    if (!length) return -1;
    if (!consistent(tvb, o, length, le)) return -1;
    o += length * 4;
    seen = 1;
  }
  return seen;
}

/** guess_byte_ordering: the connection's order, else a guess from this segment's requests (kept when one order is ruled out). */
function byteOrder(tvb: Tvb, st: X11State, fromServer: boolean): boolean {
  if (st.byteOrder !== null) return st.byteOrder === 'LE';
  if (fromServer) return true;
  const le = endianMatch(tvb, true), be = endianMatch(tvb, false);
  let decision: boolean;
  if (le === be) decision = !tvb.has(0, 4) || tvb.u16le(2) <= tvb.u16(2);
  else decision = le >= be;
  if ((le < 0 && be > 0) || (le > 0 && be < 0)) st.byteOrder = decision ? 'LE' : 'BE';
  return decision;
}

// ---- Messages ----

/** The message at `o` of `plen` bytes as its own tvb (tvb_new_subset_length_caplen: the bytes must have been captured). */
function messageTvb(tvb: Tvb, o: number, plen: number): Tvb {
  const length = Math.min(tvb.reportedRemaining(o), plen);
  tvb.check(o, length);
  return tvb.sub(o, length, length);
}

function newCursor(ctx: PacketContext, tvb: Tvb, t: FieldNode, le: boolean, end: number, st: X11State): Cursor {
  return { ctx, tvb, o: 0, t, le, end, vars: {}, st };
}

function undecodedRest(c: Cursor): void {
  const left = c.end - c.o;
  if (left > 0) item(c, F['x11.undecoded'], left, null);
}

/** dissect_x11_initial_conn. */
function initialConnection(ctx: PacketContext, tvb: Tvb, plen: number, st: X11State, le: boolean): void {
  const t = ctx.add(ctx.upperParent, x11Protocol.field, tvb, 0, tvb.length, null, 'X11, Request, Initial connection request');
  const c = newCursor(ctx, tvb, t, le, plen, st);
  field(c, F['x11.byte-order'], 1);
  item(c, F['x11.unused'], 1, null);
  field(c, F['x11.protocol-major-version'], 2);
  field(c, F['x11.protocol-minor-version'], 2);
  const nameLength = field(c, F['x11.authorization-protocol-name-length'], 2);
  const dataLength = field(c, F['x11.authorization-protocol-data-length'], 2);
  item(c, F['x11.unused'], 2, null);
  if (nameLength) {
    string8(c, F['x11.authorization-protocol-name'], nameLength);
    c.o = rounded4(c.o) * 4;
  }
  if (dataLength) {
    string8(c, F['x11.authorization-protocol-data'], dataLength);
    c.o = rounded4(c.o) * 4;
  }
  undecodedRest(c);
  st.iconnFrame = ctx.frame.number;
  st.sequencenumber = 0;
  st.seqtable.set(0, INITIAL_CONN);
}

/** dissect_x11_request: one request, its opcode appended to Info. */
function request(ctx: PacketContext, tvb: Tvb, plen: number, st: X11State, le: boolean, visited: boolean, sep: string): void {
  // Its length is read before anything is shown: a BIG-REQUESTS length past the request is malformed.
  if (v16(tvb, 2, le) === 0) v32(tvb, 4, le);
  const t = ctx.add(ctx.upperParent, x11Protocol.field, tvb, 0, tvb.length, null);
  if (!visited) st.sequencenumber++;
  const c = newCursor(ctx, tvb, t, le, plen, st);
  const opcode = tvb.u8(0);
  item(c, F['x11.opcode'], 1, opcode);
  const name = opcodeName(st, opcode);
  ctx.info += `${sep} ${name}`;
  ctx.setText(t, `X11, Request, opcode: ${opcode} (${name})`);
  if (opcode === X_QUERY_EXTENSION) {
    // The name as a C string (the reply's opcode goes to the name up to a NUL).
    const ext = cString(tvb.ascii(8, v16(tvb, 4, le)));
    let known = st.extensions.find((e) => e.name === ext);
    if (!known) st.extensions.push((known = { name: ext, opcode: -1, frame: 0 }));
    st.valtable.set(st.sequencenumber, known);
  }
  if (EXPECTS_REPLY.has(opcode)) st.seqtable.set(st.sequencenumber, opcode);
  else if (opcode >= FIRST_EXTENSION) st.seqtable.set(st.sequencenumber, opcode | (tvb.u8(1) << 8));
  const steps = REQUESTS.get(opcode);
  if (steps) run(c, steps, opcode, t);
  else extensionRequest(c, opcode, t);
  // GetKeyboardMapping: its reply's keysyms start at the keycode it asks for.
  if (opcode === X_GET_KEYBOARD_MAPPING) st.keymap.askedFirstKeycode = c.vars['first'] ?? 0;
  undecodedRest(c);
}

/**
 * The bytes left at `o`; 0 when none are, or when fewer than a message's first `header` bytes
 * are and TCP can bring the rest (it is asked for another segment).
 */
function remainingAt(ctx: PacketContext, tvb: Tvb, o: number, header: number): number {
  const remaining = tvb.reportedRemaining(o);
  if (remaining > 0 && remaining < header && canDesegment(ctx)) {
    requestDesegment(ctx, o, DESEGMENT_ONE_MORE_SEGMENT);
    return 0;
  }
  return remaining;
}

/** Asks TCP for the rest of a message of `plen` bytes at `o` when the segment has less and TCP can; true when it did. */
function wantMore(ctx: PacketContext, o: number, remaining: number, plen: number): boolean {
  if (remaining >= plen || !canDesegment(ctx)) return false;
  requestDesegment(ctx, o, plen - remaining);
  return true;
}

/** A message dissected as in TRY/CATCH_NONFATAL_ERRORS: a malformed one is shown, and the next follows. */
function guarded(ctx: PacketContext, dissectMessage: () => void): void {
  try {
    dissectMessage();
  } catch (e) {
    if (!(e instanceof MalformedError)) throw e;
    showException(ctx, e);
  }
}

/** "Bogus request length (n)": an X11 item from `o` on, and the note (its own item, x11.request-length.invalid, under it). */
function bogusLength(ctx: PacketContext, tvb: Tvb, o: number, plen: number): void {
  const n = ctx.add(ctx.upperParent, x11Protocol.field, tvb, o, tvb.length - o, null);
  const message = `Bogus request length (${plen})`;
  ctx.addExpert(ctx.addGenerated(n, F['x11.request-length.invalid'], null, message), 'warn', 'protocol', message, true);
}

/** An extension's request (its generated dispatch): the minor opcode, the length, Info "-Name", its fields. */
function extensionRequest(c: Cursor, opcode: number, t: FieldNode): void {
  const ext = extensionAt(c.st, opcode);
  if (!ext) return;
  const minor = c.tvb.u8(c.o);
  const name = ext.layout.minors[minor];
  item(c, F['x11.extension-minor'], 1, minor, `extension-minor: ${name === undefined ? `Unknown (${minor})` : `${minor} (${name})`}`);
  requestLength(c);
  c.ctx.info += `-${name ?? `<Unknown opcode ${minor}>`}`;
  const steps = ext.layout.requests.get(minor);
  if (steps) run(c, steps, opcode, t);
}

/** dissect_x11_requests: the requests of a segment from the client. */
function requests(tvb: Tvb, ctx: PacketContext, st: X11State, visited: boolean): void {
  let sep: string | null = null;
  for (let o = 0, remaining = 0; (remaining = remainingAt(ctx, tvb, o, 4)) > 0;) {
    let le = remember(ctx, st, tvb, o, 'order', () => byteOrder(tvb, st, false));
    // packet-x11.c reads the "opcode" at the segment's first byte, whatever the offset.
    const opcode = tvb.u8(0);
    let plen = v16(tvb, o + 2, le);
    // A length of 0 is BIG-REQUESTS': the length follows in 4 bytes (a C int: past 2^31 it is negative).
    if (plen === 0) plen = v32(tvb, o + 4, le) | 0;
    if (plen <= 0) {
      bogusLength(ctx, tvb, o, plen);
      return;
    }
    const initial = remember(ctx, st, tvb, o, 'setup', () => st.iconnFrame === ctx.frame.number
      || (st.seqtable.get(st.sequencenumber) === NOTHING_SEEN && (opcode === 0x42 || opcode === 0x6c) && (plen === 11 || plen === 2816)));
    if (initial) {
      if (st.byteOrder === null) st.byteOrder = opcode === 0x42 ? 'BE' : 'LE';
      le = st.byteOrder === 'LE';
      if (remaining < 10 && canDesegment(ctx)) {
        requestDesegment(ctx, o, DESEGMENT_ONE_MORE_SEGMENT);
        return;
      }
      plen = 12 + rounded4(v16(tvb, o + 6, le)) * 4 + rounded4(v16(tvb, o + 8, le)) * 4;
    } else {
      // In bytes; more than a 32-bit int holds is bogus too (tshark prints the product).
      if (plen * 4 > 0x7fffffff) {
        bogusLength(ctx, tvb, o, plen * 4);
        return;
      }
      plen *= 4;
    }
    if (wantMore(ctx, o, remaining, plen)) return;
    const msg = messageTvb(tvb, o, plen);
    if (initial) ctx.info = `${fencedInfo(ctx)}Initial connection request`;
    else if (sep === null) {
      ctx.info = `${fencedInfo(ctx)}Requests`;
      sep = ':';
    }
    const s = sep ?? ',';
    guarded(ctx, () => (initial ? initialConnection(ctx, msg, plen, st, le) : request(ctx, msg, plen, st, le, visited, s)));
    o += plen;
    sep = ',';
  }
}

/** dissect_x11_reply. */
function reply(ctx: PacketContext, tvb: Tvb, plen: number, st: X11State, le: boolean, sep: string): void {
  const t = ctx.add(ctx.upperParent, x11Protocol.field, tvb, 0, tvb.length, null);
  const seq = v16(tvb, 2, le);
  const opcode = remember(ctx, st, tvb, 0, 'request', () => st.seqtable.get(seq) ?? 0);
  if (st.iconnFrame === 0 && !st.resync) {
    st.sequencenumber = seq;
    st.resync = true;
  }
  if (opcode === 0) {
    ctx.info += `${sep} to unknown request`;
    ctx.setText(t, 'X11, Reply to unknown request');
  } else {
    ctx.info += `${sep} ${opcodeName(st, opcode & 0xff)}`;
    ctx.setText(t, opcode > 0xff
      ? `X11, Reply, opcode: ${opcode & 0xff}.${opcode >> 8} (${opcodeName(st, opcode & 0xff)})`
      : `X11, Reply, opcode: ${opcode} (${opcodeName(st, opcode)})`);
  }
  if (opcode === X_QUERY_EXTENSION && tvb.u8(8)) {
    const ext = st.valtable.get(seq);
    if (ext) {
      ext.opcode = tvb.u8(9);
      ext.frame = ctx.frame.number;
      st.valtable.delete(seq);
    }
  }
  const c = newCursor(ctx, tvb, t, le, plen, st);
  const ext = REPLIES.has(opcode) ? undefined : extensionAt(st, opcode & 0xff);
  const extSteps = ext?.layout.replies.get(opcode >> 8);
  if (ext && extSteps) ctx.info += `-${ext.layout.minors[opcode >> 8]}`;
  const steps = extSteps ?? REPLIES.get(opcode);
  if (steps) run(c, steps, opcode, t);
  else replyCommon(c, opcode);
  undecodedRest(c);
}

function eventName(code: number): string {
  return EVENT_NAMES[code & 0x7f] ?? `<Unknown eventcode ${code & 0x7f}>`;
}

/** dissect_x11_event. */
function event(ctx: PacketContext, tvb: Tvb, plen: number, st: X11State, le: boolean, sep: string): void {
  const t = ctx.add(ctx.upperParent, x11Protocol.field, tvb, 0, tvb.length, null);
  const code = tvb.u8(0);
  const sent = code & 0x80 ? 'Sent-' : '';
  ctx.info += `${sep} ${sent}${eventName(code)}`;
  ctx.setText(t, `X11, Event, eventcode: ${code} (${sent}${eventName(code)})`);
  decodeEvent(newCursor(ctx, tvb, t, le, plen, st));
}

/** decode_x11_event: the event code, the event's fields, the rest undecoded. */
function decodeEvent(c: Cursor): void {
  const code = c.tvb.u8(c.o);
  const sent = code & 0x80 ? 'Sent-' : '';
  item(c, F['x11.eventcode'], 1, code, `eventcode: ${code} (${sent}${eventName(code)})`);
  const steps = EVENTS.get(code & 0x7f);
  if (steps) run(c, steps, 0, c.t);
  undecodedRest(c);
}

/** SendEvent's EVENT(): the rest of the request as an event under an "event: N (Name)" line. */
function sentEvent(c: Cursor): void {
  const length = c.end - c.o;
  const sub = messageTvb(c.tvb, c.o, length);
  const code = sub.u8(0);
  const node = c.ctx.addText(c.t, sub, 0, sub.length, `event: ${code} (${eventName(code)})`);
  decodeEvent({ ...c, tvb: sub, o: 0, t: node, end: length });
  c.o = c.end;
}

/** string16: CHAR2Bs whose high bytes are all 0 as text ("string16: \"abc\""), else as bytes. */
function string16(c: Cursor, f: FieldDef, chars: number): void {
  const text = eightBit(c.tvb, c.o, chars);
  if (text !== null) item(c, f, chars * 2, text, `${f.label}: "${cString(text)}"`);
  else item(c, FIELDS[`${f.name}.bytes`]!, chars * 2, c.tvb.slice(c.o, chars * 2));
}

/** stringIsActuallyAn8BitString + tvb_get_ascii_string16: the low bytes as text, or null when a high byte is set. */
function eightBit(tvb: Tvb, o: number, chars: number): string | null {
  let s = '';
  for (let i = 0; i < chars; i++) {
    if (tvb.u8(o + 2 * i)) return null;
    const ch = tvb.u8(o + 2 * i + 1);
    s += ch < 0x80 ? String.fromCharCode(ch) : '\ufffd';
  }
  return s;
}

/** tvb_bytes_to_str: hex digits, the first 36 bytes then "…". */
function bytesText(b: Uint8Array): string {
  return b.length > 36 ? `${hexBytes(b.subarray(0, 36))}\u2026` : hexBytes(b);
}

/** listOfTextItem: strings with their deltas, and font changes (a length of 255; the font is big-endian there). */
function textItems(c: Cursor, f: FieldDef, wide: boolean): void {
  let scan = c.o, n = 0;
  while (scan < c.end) {
    const l = c.tvb.u8(scan);
    scan++;
    if (!l) break;
    n++;
    scan += l === 255 ? 4 : l + (wide ? l : 0) + 1;
  }
  const head = c.ctx.add(c.t, f, c.tvb, c.o, Math.max(0, Math.min(scan - c.o, c.tvb.length - c.o)), null);
  for (; n > 0; n--) {
    const o = c.o;
    const l = c.tvb.u8(o);
    if (l === 255) {
      c.tvb.check(o, 5);
      c.ctx.add(head, F['x11.textitem.font'], c.tvb, o, 5, c.tvb.u32(o + 1));
      c.o += 5;
      continue;
    }
    const delta = (c.tvb.u8(o + 1) << 24) >> 24;
    const size = wide ? l * 2 : l;
    const text = wide ? eightBit(c.tvb, o + 2, l) : c.tvb.ascii(o + 2, l);
    c.tvb.check(o, size + 2);
    const shown = text === null ? bytesText(c.tvb.slice(o + 2, size)) : `"${cString(text)}"`;
    const ti = c.ctx.add(head, F['x11.textitem.string'], c.tvb, o, size + 2, null, `textitem (string): delta = ${delta}, ${shown}`);
    c.ctx.add(ti, F['x11.textitem.string.delta'], c.tvb, o + 1, 1, delta);
    if (!wide) c.ctx.add(ti, F['x11.textitem.string.string8'], c.tvb, o + 2, l, text, `"${cString(text!)}"`);
    else if (text !== null) c.ctx.add(ti, F['x11.textitem.string.string16'], c.tvb, o + 2, l, text, `string16: "${cString(text)}"`);
    else c.ctx.add(ti, F['x11.textitem.string.string16.bytes'], c.tvb, o + 2, size, c.tvb.slice(o + 2, size));
    c.o += size + 2;
  }
}

/** ChangeHosts' address: an IPv4 address for the Internet family and 4 bytes, else bytes. */
function hostAddress(c: Cursor): void {
  const n = c.vars['n'] ?? 0;
  if (c.vars['family'] === 0 && n === 4) item(c, F['x11.ip-address'], 4, c.tvb.u32(c.o));
  else listOfByte(c, F['x11.address'], n);
}

/** dissect_x11_error. */
function error(ctx: PacketContext, tvb: Tvb, plen: number, st: X11State, le: boolean, sep: string): void {
  const t = ctx.add(ctx.upperParent, x11Protocol.field, tvb, 0, tvb.length, null);
  const c = newCursor(ctx, tvb, t, le, plen, st);
  field(c, F['x11.error'], 1);
  const code = tvb.u8(1);
  const name = ERROR_NAMES[code] ?? `<Unknown errorcode ${code}>`;
  ctx.info += `${sep} ${name}`;
  item(c, F['x11.errorcode'], 1, code, `errorcode: ${code} (${name})`);
  ctx.setText(t, `X11, Error, errorcode: ${code} (${name})`);
  field(c, F['x11.error_sequencenumber'], 2);
  if (code === 2) field(c, F['x11.error-badvalue'], 4);
  else if ([3, 4, 6, 7, 9, 12, 13, 14].includes(code)) field(c, F['x11.error-badresourceid'], 4);
  else item(c, F['x11.undecoded'], 4, null);
  field(c, F['x11.minor-opcode'], 2);
  field(c, F['x11.major-opcode'], 1);
  undecodedRest(c);
}

/** dissect_x11_initial_reply: the server's answer to the connection setup. */
function initialReply(ctx: PacketContext, tvb: Tvb, plen: number, st: X11State, le: boolean): void {
  const t = ctx.add(ctx.upperParent, x11Protocol.field, tvb, 0, tvb.length, null, 'X11, Reply, Initial connection reply');
  st.iconnReply = ctx.frame.number;
  const c = newCursor(ctx, tvb, t, le, plen, st);
  const success = field(c, F['x11.success'], 1);
  let reasonLength = 0;
  if (success) item(c, F['x11.unused'], 1, null);
  else reasonLength = field(c, F['x11.length-of-reason'], 1);
  for (const f of [F['x11.protocol-major-version'], F['x11.protocol-minor-version'], F['x11.replylength']]) field(c, f, 2);
  if (!success) {
    string8(c, F['x11.reason'], reasonLength);
    undecodedRest(c);
    return;
  }
  for (const f of [F['x11.release-number'], F['x11.resource-id-base'], F['x11.resource-id-mask'], F['x11.motion-buffer-size']]) field(c, f, 4);
  const vendorLength = field(c, F['x11.length-of-vendor'], 2);
  field(c, F['x11.maximum-request-length'], 2);
  const screens = field(c, F['x11.number-of-screens-in-roots'], 1);
  const formats = field(c, F['x11.number-of-formats-in-pixmap-formats'], 1);
  for (const f of [F['x11.image-byte-order'], F['x11.bitmap-format-bit-order'], F['x11.bitmap-format-scanline-unit'], F['x11.bitmap-format-scanline-pad'],
    F['x11.min-keycode'], F['x11.max-keycode']]) field(c, f, 1);
  item(c, F['x11.unused'], 4, null);
  string8(c, F['x11.vendor'], vendorLength);
  if (vendorLength % 4) item(c, F['x11.unused'], 4 - (vendorLength % 4), null);
  const formatList = nested(c, listHead(c, F['x11.pixmap-format'], formats * 8));
  for (let i = 0; i < formats; i++) {
    const one = nested(formatList, formatList.ctx.add(formatList.t, F['x11.pixmap-format'], tvb, formatList.o, 8, null, 'pixmap-format'));
    for (const f of [F['x11.pixmap-format.depth'], F['x11.pixmap-format.bits-per-pixel'], F['x11.pixmap-format.scanline-pad']]) item(one, f, 1, tvb.u8(one.o));
    item(one, F['x11.unused'], 5, null);
    formatList.o = one.o;
  }
  c.o = formatList.o;
  const screenList = nested(c, listHead(c, F['x11.screen'], tvb.length - c.o));
  for (let i = 0; i < screens; i++) screen(screenList);
  c.o = screenList.o;
  undecodedRest(c);
}

/** A cursor on the same bytes, adding under `t`. */
function nested(c: Cursor, t: FieldNode): Cursor {
  return { ...c, t };
}

/** One SCREEN of the setup reply (listOfScreen: its item is 0 bytes long), its depths and visual types. */
function screen(list: Cursor): void {
  const { tvb, le } = list;
  const o = list.o;
  const root = v32(tvb, o, le), width = v16(tvb, o + 20, le), height = v16(tvb, o + 22, le), depth = tvb.u8(o + 38);
  const c = nested(list, list.ctx.add(list.t, F['x11.screen'], tvb, o, 0, null, `screen (${root.toString(16).padStart(8, '0')}: ${width} x ${height} x ${depth})`));
  const plain = (f: FieldDef, size: 1 | 2 | 4) => item(c, f, size, f.type === 'boolean' ? tvb.u8(c.o) !== 0 : readInt(c, size));
  for (const f of [F['x11.screen.root'], F['x11.screen.default_colormap'], F['x11.screen.white_pixel'], F['x11.screen.black_pixel'], F['x11.screen.current_input_masks']]) plain(f, 4);
  for (const f of [F['x11.screen.width_in_pixels'], F['x11.screen.height_in_pixels'], F['x11.screen.width_in_millimeters'], F['x11.screen.height_in_millimeters'],
    F['x11.screen.min_installed_maps'], F['x11.screen.max_installed_maps']]) plain(f, 2);
  plain(F['x11.screen.root_visual'], 4);
  for (const f of [F['x11.screen.backing_stores'], F['x11.screen.save_unders'], F['x11.screen.root_depth']]) plain(f, 1);
  const depths = tvb.u8(c.o);
  plain(F['x11.screen.allowed_depths_len'], 1);
  const depthList = nested(c, listHead(c, F['x11.depth-detail'], tvb.length - c.o));
  for (let i = 0; i < depths; i++) {
    const visuals = v16(tvb, depthList.o + 2, le);
    const d = nested(depthList, depthList.ctx.add(depthList.t, F['x11.depth-detail'], tvb, depthList.o, 8 + 24 * visuals, null, 'depth-detail'));
    const dplain = (f: FieldDef, size: 1 | 2 | 4) => item(d, f, size, f.type === 'none' ? null : readInt(d, size));
    dplain(F['x11.depth-detail.depth'], 1);
    dplain(F['x11.unused'], 1);
    dplain(F['x11.depth-detail.visualtypes-numbers'], 2);
    dplain(F['x11.unused'], 4);
    if (visuals > 0) {
      const vl = nested(d, listHead(d, F['x11.visualtype'], visuals * 24));
      for (let k = 0; k < visuals; k++) {
        const v = nested(vl, vl.ctx.add(vl.t, F['x11.visualtype'], tvb, vl.o, 24, null, 'visualtype'));
        const vplain = (f: FieldDef, size: 1 | 2 | 4) => item(v, f, size, f.type === 'none' ? null : readInt(v, size));
        vplain(F['x11.visualtype.visualid'], 4);
        vplain(F['x11.visualtype.class'], 1);
        vplain(F['x11.visualtype.bits-per-rgb-value'], 1);
        vplain(F['x11.visualtype.colormap-entries'], 2);
        for (const f of [F['x11.visualtype.red-mask'], F['x11.visualtype.green-mask'], F['x11.visualtype.blue-mask'], F['x11.unused']]) vplain(f, 4);
        vl.o = v.o;
      }
      d.o = vl.o;
    }
    depthList.o = d.o;
  }
  list.o = depthList.o;
}

type MessageFn = (ctx: PacketContext, tvb: Tvb, plen: number, st: X11State, le: boolean, sep: string) => void;

/** dissect_x11_replies: the replies, events and errors of a segment from the server. */
function replies(tvb: Tvb, ctx: PacketContext, st: X11State): void {
  const le = remember(ctx, st, tvb, 0, 'order', () => byteOrder(tvb, st, true));
  let sep: string | null = null;
  for (let o = 0, remaining = 0; (remaining = remainingAt(ctx, tvb, o, 8)) > 0;) {
    let plen: number, title: string, fn: MessageFn;
    if (remember(ctx, st, tvb, o, 'setup', () => st.seqtable.get(st.sequencenumber) === INITIAL_CONN || st.iconnReply === ctx.frame.number)) {
      plen = 8 + v16(tvb, o + 6, le) * 4;
      title = 'Initial connection reply';
      fn = initialReply;
    } else {
      const kind = tvb.u8(o);
      if (kind === 0) [plen, title, fn] = [32, 'Error', error];
      else if (kind === 1) {
        plen = (32 + v32(tvb, o + 4, le) * 4) | 0;
        if (plen < 32) throw new MalformedError('X11 reply length overflows', tvb.abs(o + 4));
        [title, fn] = ['Reply', reply];
      } else {
        // A GenericEvent (not a sent one) is as long as its length says, like a reply.
        plen = kind === GENERIC_EVENT ? (32 + v32(tvb, o + 4, le) * 4) | 0 : 32;
        if (plen < 32) throw new MalformedError('X11 event length overflows', tvb.abs(o + 4));
        [title, fn] = ['Event', event];
      }
    }
    if (wantMore(ctx, o, remaining, plen)) return;
    const msg = messageTvb(tvb, o, plen);
    if (sep === null) {
      ctx.info = `${fencedInfo(ctx)}${title}`;
      sep = ':';
    }
    const s = sep;
    guarded(ctx, () => fn(ctx, msg, plen, st, le, s));
    o += plen;
    sep = ',';
  }
}

function dissectX11(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = 'X11';
  // Each message gets an item of its own (none when the first is not dissected).
  ctx.removeNode(ctx.upperParent, node);
  const st = stateOf(ctx);
  const frame = ctx.frame.number;
  st.frame = frame;
  const visited = ctx.capture.revisits && frame < st.lastFrame;
  if (frame > st.lastFrame) st.lastFrame = frame;
  if (ctx.scratch[MATCH_PORT_SCRATCH] === ctx.endpoints.srcPort) replies(tvb, ctx, st);
  else requests(tvb, ctx, st, visited);
}

export const x11Protocol = defineProtocol('x11', 'X11', dissectX11);
for (let port = PORT_FIRST; port <= PORT_LAST; port++) register('tcp.port', port, x11Protocol);

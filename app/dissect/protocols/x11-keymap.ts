// What an X11 connection told about its keyboard, and the keysym a KeyPress's keycode stands for,
// as packet-x11.c works it out (keycode2keysymString, after Xlib's _XTranslateKey, and
// XConvertCase): the keysyms per keycode from GetKeyboardMapping replies and ChangeKeyboardMapping
// requests, the modifiers' keycodes from GetModifierMapping replies and SetModifierMapping
// requests. Without a map of every keycode from the first one up, or without the modifiers,
// the answer is "<Unknown>" as there. Quirks of the C code are kept where they change the
// answer (the keysyms-per-keycode trimming that tests a keycode's row for NoSymbol, a keysym
// left from a loop).
import { KEYSYM_NAMES } from './x11-keysyms.js';

const NO_SYMBOL = 0;
const VOID_SYMBOL = 0xffffff;
const SHIFT = 1 << 0, LOCK = 1 << 1;
const MODIFIER_COUNT = 8;

export interface KeyMap {
  /** Keysyms per keycode (null: not told). */
  keycodes: Array<number[] | null>;
  keysymsPerKeycode: number;
  firstKeycode: number;
  /** Per modifier, its keycodes (null: not told). */
  modifiers: Array<number[] | null>;
  keycodesPerModifier: number;
  /** The first keycode the last GetKeyboardMapping asked for (its reply starts there). */
  askedFirstKeycode: number;
}

export function newKeyMap(): KeyMap {
  return {
    keycodes: new Array<number[] | null>(256).fill(null), keysymsPerKeycode: 0, firstKeycode: 0,
    modifiers: new Array<number[] | null>(MODIFIER_COUNT).fill(null), keycodesPerModifier: 0, askedFirstKeycode: 0,
  };
}

/** keysymString: the name of a keysym, "<Unknown>" for one tshark has no name for. */
export function keysymName(v: number): string {
  return KEYSYM_NAMES[v] ?? '<Unknown>';
}

/**
 * Stores a keycode's keysyms as listOfKeysyms does: a row whose keysyms after the first (or the
 * first two) are all NoSymbol is filled in the way a 4-keysym row is read.
 */
export function storeKeysyms(map: KeyMap, keycode: number, syms: number[]): void {
  map.keycodes[keycode] = syms;
  const n = syms.length;
  if (syms.slice(1).every((s) => s === NO_SYMBOL)) {
    if (n === 4) [syms[1], syms[2], syms[3]] = [NO_SYMBOL, syms[0]!, NO_SYMBOL];
    return;
  }
  if (syms.slice(2).every((s) => s === NO_SYMBOL) && n === 4) [syms[2], syms[3]] = [syms[0]!, syms[1]!];
}

/**
 * XConvertCase's ranges by keysym block (sym >> 8): [from, to, what to add for the lower case,
 * what to add for the upper case]. Latin 1 to 4, Cyrillic, Greek; the ranges do not overlap.
 */
const CASE_RANGES: Readonly<Record<number, ReadonlyArray<readonly [number, number, number, number]>>> = {
  0: [[0x41, 0x5a, 0x20, 0], [0x61, 0x7a, 0, -0x20], [0xc0, 0xd6, 0x20, 0], [0xe0, 0xf6, 0, -0x20], [0xd8, 0xde, 0x20, 0], [0xf8, 0xfe, 0, -0x20]],
  1: [[0x1a1, 0x1a1, 0x10, 0], [0x1a3, 0x1a6, 0x10, 0], [0x1a9, 0x1ac, 0x10, 0], [0x1ae, 0x1af, 0x10, 0], [0x1b1, 0x1b1, 0, -0x10],
    [0x1b3, 0x1b6, 0, -0x10], [0x1b9, 0x1bc, 0, -0x10], [0x1be, 0x1bf, 0, -0x10], [0x1c0, 0x1de, 0x20, 0], [0x1e0, 0x1fe, 0, -0x20]],
  2: [[0x2a1, 0x2a6, 0x10, 0], [0x2ab, 0x2ac, 0x10, 0], [0x2b1, 0x2b6, 0, -0x10], [0x2bb, 0x2bc, 0, -0x10], [0x2c5, 0x2de, 0x20, 0], [0x2e5, 0x2fe, 0, -0x20]],
  3: [[0x3a3, 0x3ac, 0x10, 0], [0x3b3, 0x3bc, 0, -0x10], [0x3bd, 0x3bd, 2, 0], [0x3bf, 0x3bf, 0, -2], [0x3c0, 0x3de, 0x20, 0], [0x3e0, 0x3fe, 0, -0x20]],
  6: [[0x6b1, 0x6bf, -0x10, 0], [0x6a1, 0x6af, 0, 0x10], [0x6e0, 0x6ff, -0x20, 0], [0x6c0, 0x6df, 0, 0x20]],
  7: [[0x7a1, 0x7ab, 0x10, 0], [0x7b1, 0x7bb, 0, -0x10], [0x7c1, 0x7d9, 0x20, 0], [0x7e1, 0x7f9, 0, -0x20]],
};
/** Greek small letters in those ranges that have no capital (iota and upsilon with accent and dieresis, final sigma). */
const NO_CAPITAL = new Set([0x7b6, 0x7ba, 0x7f3]);

/** [lower, upper] of a keysym (XConvertCase). */
function convertCase(sym: number): [number, number] {
  if (NO_CAPITAL.has(sym)) return [sym, sym];
  const range = CASE_RANGES[sym >> 8]?.find(([from, to]) => sym >= from && sym <= to);
  return range ? [sym + range[2], sym + range[3]] : [sym, sym];
}

/** keycode2keysymString: what a KeyPress/KeyRelease's keycode reads, with the event's modifier state `mask`. */
export function keycodeText(map: KeyMap, keycode: number, mask: number): string {
  const rows = map.keycodes;
  let syms = rows[keycode];
  if (!syms) return '<Unknown>';
  let groupKeycode = -1, numLockKeycode = -1, capsLock = 0, shiftLock = 0, noSymbol = 1;
  // The C loop's variable, left at the number of keysyms per keycode when it ends.
  let keysym = 0;
  for (let kc = map.firstKeycode; kc < 256; kc++) {
    for (keysym = 0; keysym < map.keysymsPerKeycode; keysym++) {
      const row = rows[kc];
      if (!row) return '<Unknown>';
      switch (row[keysym]) {
        case 0xff7e: groupKeycode = kc; break;
        case 0xff7f: numLockKeycode = kc; break;
        case 0xffe5: capsLock = kc; break;
        case 0xffe6: shiftLock = kc; break;
      }
    }
  }
  const mods = map.modifiers;
  if (!mods[MODIFIER_COUNT - 1]) return '<Unknown>';
  const perModifier = map.keycodesPerModifier;
  let numLockMod = -1, groupMod = -1;
  for (let m = 0; m < MODIFIER_COUNT && numLockMod === -1; m++) {
    for (let kc = 0; kc < perModifier; kc++) {
      const k = mods[m]?.[kc];
      if (k === numLockKeycode) numLockMod = m;
      else if (k === groupKeycode) groupMod = m;
    }
  }
  for (let kc = 0; kc < perModifier; kc++) {
    if (mods[1]?.[kc] === capsLock) {
      shiftLock = noSymbol = 0;
      break;
    } else if (mods[0]?.[kc] === shiftLock) {
      capsLock = noSymbol = 0;
      break;
    }
  }
  let perKeycode = map.keysymsPerKeycode;
  // packet-x11.c tests the row of keycode perKeycode - 1 here (Xlib tests a keysym).
  while (perKeycode > 2 && !rows[perKeycode - 1]) perKeycode--;
  if (perKeycode > 2 && groupMod >= 0 && ((1 << groupMod) & mask)) {
    syms = syms.slice(2);
    perKeycode -= 2;
  }
  const sym = (i: number) => syms![i] ?? NO_SYMBOL;
  const s1 = sym(1);
  if (numLockMod >= 0 && mask & (1 << numLockMod) && perKeycode > 1 && ((s1 >= 0xff80 && s1 <= 0xffbd) || (s1 >= 0x11000000 && s1 <= 0x1100ffff))) {
    keysym = mask & SHIFT || (mask & LOCK && shiftLock) ? sym(0) : s1;
  } else if (!(mask & SHIFT) && (!(mask & LOCK) || noSymbol)) {
    keysym = perKeycode === 1 || (perKeycode > 1 && s1 === NO_SYMBOL) ? convertCase(sym(0))[0] : sym(0);
  } else if (!(mask & LOCK) || !capsLock) {
    keysym = perKeycode === 1 || (perKeycode > 1 && s1 === NO_SYMBOL) ? convertCase(sym(0))[1] : perKeycode > 1 ? s1 : 0;
  } else {
    if (perKeycode === 1 || (perKeycode > 1 && s1 === NO_SYMBOL)) keysym = sym(0);
    let [lower, upper] = convertCase(keysym);
    if (!(mask & SHIFT) && keysym !== sym(0) && (keysym !== upper || lower === upper)) [lower, upper] = convertCase(sym(0));
    void lower;
    keysym = upper;
  }
  if (keysym === VOID_SYMBOL) keysym = NO_SYMBOL;
  return `${keysym}, "${keysymName(keysym)}"`;
}

// The layouts of X11's core messages as packet-x11.c decodes them, as data: per request opcode
// (dissect_x11_request), per event code (decode_x11_event) and per opcode of the request a reply
// answers (dissect_x11_reply), the steps after the first byte (x11.ts runs them). Each step
// names what the C macro does: FIELD8/16/32 (a value with its name when the field has one),
// BOOL, UNUSED(n), the request length, ATOM, TIMESTAMP, VISUALID, the masks and attribute
// lists, STRING8 and the LISTof*.
// A length a step reads can be kept under a name for a later step (`['u16', 'x11.name-length',
// 'n']` then `['string8', 'x11.name', 'n']`); `len` is the request's length in bytes.
//
// Every core request and event has an entry; a reply to a request without one is shown as
// REPLYCONTENTS_COMMON (its header, the rest undecoded), as there.

/** One step of a layout. */
export type Step =
  | readonly ['u8' | 'u16' | 'u32', string, string?]
  | readonly ['bool', string, string?]
  | readonly ['unused', number]
  | readonly ['len']
  | readonly ['atom' | 'time' | 'visual', string]
  | readonly ['keymask' | 'keybutmask' | 'ptrmask' | 'evmask' | 'winattrs' | 'gcattrs' | 'gcmask' | 'pad' | 'colorflags']
  | readonly ['string8' | 'bytes', string, string]
  /** A list whose size is the request's length less `minus` bytes (LISTofPOINT(points, v16 - 12)). */
  | readonly ['points' | 'card32s' | 'coloritems' | 'atoms' | 'bytesRest', string, number]
  /** A list that runs to the request's end (LISTofRECTANGLE, LISTofSEGMENT, LISTofARC). */
  | readonly ['rects' | 'segments' | 'arcs', string]
  /** ChangeProperty's data by its format; ConfigureWindow's and ChangeKeyboardControl's values; SetFontPath's strings. */
  | readonly ['property' | 'configure' | 'keyboard' | 'fontpath']
  /** Events: KEYCODE_DECODED, EVENTCONTENTS_COMMON, same_screen_focus, GenericEvent's header. */
  | readonly ['keycode' | 'common' | 'ssfocus' | 'generic']
  /** LISTofBYTE of a fixed size (ClientMessage's data, QueryKeymap's keys). */
  | readonly ['fixedBytes', string, number]
  /** Replies: SEQUENCENUMBER_REPLY, REPLYCONTENTS_COMMON. */
  | readonly ['seq' | 'replyCommon']
  /** LISTofATOM of a count read before (ListProperties); LISTofKEYCODE of so many per modifier (GetModifierMapping). */
  | readonly ['atomCount' | 'keycodes', string, string]
  /** STRING16 of a length read before (ImageText16), or of what is left but for a final odd char (QueryTextExtents). */
  | readonly ['string16', string, string] | readonly ['extents16', string]
  /** LISTofTEXTITEM8/16 (PolyText8/16). */
  | readonly ['textitems', string, 8 | 16]
  /** SendEvent's event; ChangeHosts' address (an IPv4 address for the Internet family). */
  | readonly ['event' | 'hosts']
  /** LISTofKEYSYM: `count` keycodes from `first`, `perKeycode` keysyms each (ChangeKeyboardMapping's, a GetKeyboardMapping reply's). */
  | readonly ['keysyms', string]
  /** An extension reply's sequence number ("2 (bigreq-Enable)"); a list of a count read before (its list item, its items). */
  | readonly ['extseq'] | readonly ['card32List', string, string, string];

const U = ['unused', 1] as const;
const L = ['len'] as const;
const W = (f: string): Step => ['u32', f];
/** UNUSED(1), the request length, then `steps`: most requests start so. */
const plain = (...steps: Step[]): readonly Step[] => [U, L, ...steps];
const nameAfter = (...steps: Step[]): readonly Step[] => plain(...steps, ['u16', 'x11.name-length', 'n'], ['unused', 2], ['string8', 'x11.name', 'n'], ['pad']);
const colors = ['x11.fore-red', 'x11.fore-green', 'x11.fore-blue', 'x11.back-red', 'x11.back-green', 'x11.back-blue'].map((f): Step => ['u16', f]);
const drawGc = (...steps: Step[]): readonly Step[] => plain(W('x11.drawable'), W('x11.gc'), ...steps);
const copy = [W('x11.src-drawable'), W('x11.dst-drawable'), W('x11.gc'), ['u16', 'x11.src-x'], ['u16', 'x11.src-y'], ['u16', 'x11.dst-x'], ['u16', 'x11.dst-y'], ['u16', 'x11.width'], ['u16', 'x11.height']] as const satisfies readonly Step[];

/** Opcode -> steps after the opcode byte. */
export const REQUESTS: ReadonlyMap<number, readonly Step[]> = new Map<number, readonly Step[]>([
  [1, [['u8', 'x11.depth'], L, W('x11.wid'), W('x11.parent'), ['u16', 'x11.x'], ['u16', 'x11.y'], ['u16', 'x11.width'], ['u16', 'x11.height'], ['u16', 'x11.border-width'], ['u16', 'x11.window-class'], ['visual', 'x11.visual'], ['winattrs']]],
  [2, plain(W('x11.window'), ['winattrs'])],
  [3, plain(W('x11.window'))],
  [4, plain(W('x11.window'))],
  [5, plain(W('x11.window'))],
  [6, [['u8', 'x11.save-set-mode'], L, W('x11.window')]],
  [7, plain(W('x11.window'), W('x11.parent'), ['u16', 'x11.x'], ['u16', 'x11.y'])],
  [8, plain(W('x11.window'))],
  [9, plain(W('x11.window'))],
  [10, plain(W('x11.window'))],
  [11, plain(W('x11.window'))],
  [12, [['configure']]],
  [13, [['u8', 'x11.direction'], L, W('x11.window')]],
  [14, plain(W('x11.drawable'))],
  [15, plain(W('x11.drawable'))],
  [16, [['bool', 'x11.only-if-exists'], L, ['u16', 'x11.name-length', 'n'], ['unused', 2], ['string8', 'x11.name', 'n'], ['pad']]],
  [17, plain(['atom', 'x11.atom'])],
  [18, [['u8', 'x11.mode'], L, W('x11.window'), ['atom', 'x11.property'], ['atom', 'x11.type'], ['property']]],
  [19, plain(W('x11.window'), ['atom', 'x11.property'])],
  [20, [['bool', 'x11.delete'], L, W('x11.window'), ['atom', 'x11.property'], ['atom', 'x11.get-property-type'], W('x11.long-offset'), W('x11.long-length')]],
  [21, plain(W('x11.window'))],
  [22, plain(W('x11.owner'), ['atom', 'x11.selection'], ['time', 'x11.time'])],
  [23, plain(['atom', 'x11.selection'])],
  [24, plain(W('x11.requestor'), ['atom', 'x11.selection'], ['atom', 'x11.target'], ['atom', 'x11.property'], ['time', 'x11.time'])],
  [25, [['bool', 'x11.propagate'], L, W('x11.destination'), ['evmask'], ['event']]],
  [26, [['bool', 'x11.owner-events'], L, W('x11.grab-window'), ['ptrmask'], ['u8', 'x11.pointer-mode'], ['u8', 'x11.keyboard-mode'], W('x11.confine-to'), W('x11.cursor'), ['time', 'x11.time']]],
  [27, plain(['time', 'x11.time'])],
  [28, [['bool', 'x11.owner-events'], L, W('x11.grab-window'), ['ptrmask'], ['u8', 'x11.pointer-mode'], ['u8', 'x11.keyboard-mode'], W('x11.confine-to'), W('x11.cursor'), ['u8', 'x11.button'], U, ['keymask']]],
  [29, [['u8', 'x11.button'], L, W('x11.grab-window'), ['keymask'], ['unused', 2]]],
  [30, plain(W('x11.cursor'), ['time', 'x11.time'], ['ptrmask'], ['unused', 2])],
  [31, [['bool', 'x11.owner-events'], L, W('x11.grab-window'), ['time', 'x11.time'], ['u8', 'x11.pointer-mode'], ['u8', 'x11.keyboard-mode'], ['unused', 2]]],
  [32, plain(['time', 'x11.time'])],
  [33, [['bool', 'x11.owner-events'], L, W('x11.grab-window'), ['keymask'], ['u8', 'x11.key'], ['u8', 'x11.pointer-mode'], ['u8', 'x11.keyboard-mode'], ['unused', 3]]],
  [34, [['u8', 'x11.key'], L, W('x11.grab-window'), ['keymask'], ['unused', 2]]],
  [35, [['u8', 'x11.allow-events-mode'], L, ['time', 'x11.time']]],
  [36, plain()],
  [37, plain()],
  [38, plain(W('x11.window'))],
  [39, plain(W('x11.window'), ['time', 'x11.start'], ['time', 'x11.stop'])],
  [40, plain(W('x11.src-window'), W('x11.dst-window'), ['u16', 'x11.src-x'], ['u16', 'x11.src-y'])],
  [41, plain(W('x11.warp-pointer-src-window'), W('x11.warp-pointer-dst-window'), ['u16', 'x11.src-x'], ['u16', 'x11.src-y'], ['u16', 'x11.src-width'], ['u16', 'x11.src-height'], ['u16', 'x11.dst-x'], ['u16', 'x11.dst-y'])],
  [42, [['u8', 'x11.revert-to'], L, W('x11.focus'), ['time', 'x11.time']]],
  [43, plain()],
  [44, plain()],
  [45, nameAfter(W('x11.fid'))],
  [46, plain(W('x11.font'))],
  [47, plain(W('x11.font'))],
  [48, [['bool', 'x11.odd-length', 'odd'], L, W('x11.font'), ['extents16', 'x11.string16'], ['pad']]],
  [49, plain(['u16', 'x11.max-names'], ['u16', 'x11.pattern-length', 'n'], ['string8', 'x11.pattern', 'n'], ['pad'])],
  [50, plain(['u16', 'x11.max-names'], ['u16', 'x11.pattern-length', 'n'], ['string8', 'x11.pattern', 'n'], ['pad'])],
  [51, [['fontpath']]],
  [52, plain()],
  [53, [['u8', 'x11.depth'], L, W('x11.pid'), W('x11.drawable'), ['u16', 'x11.width'], ['u16', 'x11.height']]],
  [54, plain(W('x11.pixmap'))],
  [55, plain(W('x11.cid'), W('x11.drawable'), ['gcattrs'])],
  [56, plain(W('x11.gc'), ['gcattrs'])],
  [57, plain(W('x11.src-gc'), W('x11.dst-gc'), ['gcmask'])],
  [58, plain(W('x11.gc'), ['u16', 'x11.dash-offset'], ['u16', 'x11.dashes-length', 'n'], ['bytes', 'x11.dashes', 'n'], ['pad'])],
  [59, [['u8', 'x11.ordering'], L, W('x11.gc'), ['u16', 'x11.clip-x-origin'], ['u16', 'x11.clip-y-origin'], ['rects', 'x11.rectangles']]],
  [60, plain(W('x11.gc'))],
  [61, [['bool', 'x11.exposures'], L, W('x11.window'), ['u16', 'x11.x'], ['u16', 'x11.y'], ['u16', 'x11.width'], ['u16', 'x11.height']]],
  [62, plain(...copy)],
  [63, plain(...copy, W('x11.bit-plane'))],
  [64, [['u8', 'x11.coordinate-mode'], L, W('x11.drawable'), W('x11.gc'), ['points', 'x11.points', 12]]],
  [65, [['u8', 'x11.coordinate-mode'], L, W('x11.drawable'), W('x11.gc'), ['points', 'x11.points', 12]]],
  [66, drawGc(['segments', 'x11.segments'])],
  [67, drawGc(['rects', 'x11.rectangles'])],
  [68, drawGc(['arcs', 'x11.arcs'])],
  [69, drawGc(['u8', 'x11.shape'], ['u8', 'x11.coordinate-mode'], ['unused', 2], ['points', 'x11.points', 16])],
  [70, drawGc(['rects', 'x11.rectangles'])],
  [71, drawGc(['arcs', 'x11.arcs'])],
  [72, [['u8', 'x11.image-format'], L, W('x11.drawable'), W('x11.gc'), ['u16', 'x11.width'], ['u16', 'x11.height'], ['u16', 'x11.dst-x'], ['u16', 'x11.dst-y'], ['u8', 'x11.left-pad'], ['u8', 'x11.depth'], ['unused', 2], ['bytesRest', 'x11.data', 24], ['pad']]],
  [73, [['u8', 'x11.image-pixmap-format'], L, W('x11.drawable'), ['u16', 'x11.x'], ['u16', 'x11.y'], ['u16', 'x11.width'], ['u16', 'x11.height'], W('x11.plane-mask')]],
  [74, drawGc(['u16', 'x11.x'], ['u16', 'x11.y'], ['textitems', 'x11.items', 8], ['pad'])],
  [75, drawGc(['u16', 'x11.x'], ['u16', 'x11.y'], ['textitems', 'x11.items', 16], ['pad'])],
  [76, [['u8', 'x11.string-length', 'n'], L, W('x11.drawable'), W('x11.gc'), ['u16', 'x11.x'], ['u16', 'x11.y'], ['string8', 'x11.string', 'n'], ['pad']]],
  [77, [['u8', 'x11.string-length', 'n'], L, W('x11.drawable'), W('x11.gc'), ['u16', 'x11.x'], ['u16', 'x11.y'], ['string16', 'x11.string16', 'n'], ['pad']]],
  [78, [['u8', 'x11.alloc'], L, W('x11.mid'), W('x11.window'), ['visual', 'x11.visual']]],
  [79, plain(W('x11.cmap'))],
  [80, plain(W('x11.mid'), W('x11.src-cmap'))],
  [81, plain(W('x11.cmap'))],
  [82, plain(W('x11.cmap'))],
  [83, plain(W('x11.window'))],
  [84, plain(W('x11.cmap'), ['u16', 'x11.red'], ['u16', 'x11.green'], ['u16', 'x11.blue'], ['unused', 2])],
  [85, nameAfter(W('x11.cmap'))],
  [86, [['bool', 'x11.contiguous'], L, W('x11.cmap'), ['u16', 'x11.colors'], ['u16', 'x11.planes']]],
  [87, [['bool', 'x11.contiguous'], L, W('x11.cmap'), ['u16', 'x11.colors'], ['u16', 'x11.reds'], ['u16', 'x11.greens'], ['u16', 'x11.blues']]],
  [88, plain(W('x11.cmap'), W('x11.plane-mask'), ['card32s', 'x11.pixels', 12])],
  [89, plain(W('x11.cmap'), ['coloritems', 'x11.color-items', 8])],
  [90, [['colorflags'], L, W('x11.cmap'), W('x11.pixel'), ['u16', 'x11.name-length', 'n'], ['unused', 2], ['string8', 'x11.name', 'n'], ['pad']]],
  [91, plain(W('x11.cmap'), ['card32s', 'x11.pixels', 8])],
  [92, nameAfter(W('x11.cmap'))],
  [93, plain(W('x11.cid'), W('x11.source-pixmap'), W('x11.mask'), ...colors, ['u16', 'x11.x'], ['u16', 'x11.y'])],
  [94, plain(W('x11.cid'), W('x11.source-font'), W('x11.mask-font'), ['u16', 'x11.source-char'], ['u16', 'x11.mask-char'], ...colors)],
  [95, plain(W('x11.cursor'))],
  [96, plain(W('x11.cursor'), ...colors)],
  [97, [['u8', 'x11.class'], L, W('x11.drawable'), ['u16', 'x11.width'], ['u16', 'x11.height']]],
  [98, nameAfter()],
  [99, plain()],
  [100, [['u8', 'x11.keycode-count', 'count'], L, ['u8', 'x11.first-keycode', 'first'], ['u8', 'x11.keysyms-per-keycode', 'perKeycode'], ['unused', 2], ['keysyms', 'x11.keysyms']]],
  [101, plain(['u8', 'x11.first-keycode', 'first'], ['u8', 'x11.count'], ['unused', 2])],
  [102, [['keyboard']]],
  [103, plain()],
  [104, [['u8', 'x11.percent'], L]],
  [105, plain(['u16', 'x11.acceleration-numerator'], ['u16', 'x11.acceleration-denominator'], ['u16', 'x11.threshold'], ['bool', 'x11.do-acceleration'], ['bool', 'x11.do-threshold'])],
  [106, plain()],
  [107, plain(['u16', 'x11.timeout'], ['u16', 'x11.interval'], ['u8', 'x11.prefer-blanking'], ['u8', 'x11.allow-exposures'], ['unused', 2])],
  [108, plain()],
  [109, [['u8', 'x11.change-host-mode'], L, ['u8', 'x11.family', 'family'], U, ['u16', 'x11.address-length', 'n'], ['hosts']]],
  [110, plain()],
  [111, [['u8', 'x11.access-mode'], L]],
  [112, [['u8', 'x11.close-down-mode'], L]],
  [113, plain(W('x11.resource'))],
  [114, plain(W('x11.window'), ['u16', 'x11.property-number'], ['u16', 'x11.delta'], ['atoms', 'x11.properties', 12])],
  [115, [['u8', 'x11.screen-saver-mode'], L]],
  [116, [['u8', 'x11.map-length', 'n'], L, ['bytes', 'x11.map', 'n'], ['pad']]],
  [117, plain()],
  [118, [['u8', 'x11.keycodes-per-modifier', 'k'], L, ['keycodes', 'x11.keycodes', 'k']]],
  [119, plain()],
  [127, plain()],
]);

/**
 * The requests a reply is expected to (dissect_x11_request's first switch): the sequence
 * number of one of these is remembered with its opcode, and the reply carrying it is decoded.
 */
export const EXPECTS_REPLY: ReadonlySet<number> = new Set([
  98, 84, 86, 87, 85, 17, 52, 14, 73, 43, 103, 101, 119, 39, 106, 117, 20, 108, 23, 3, 31, 26, 16, 99, 49, 50, 110, 83, 21, 92,
  97, 91, 47, 44, 38, 48, 15, 118, 116, 40,
]);

const E = ['u16', 'x11.event-sequencenumber'] as const;
const S = (...steps: Step[]): readonly Step[] => [U, E, ...steps];
const inputEvent = (first: Step): readonly Step[] => [first, E, ['common'], ['bool', 'x11.same-screen'], U];

/** Event code (without the "sent" bit) -> steps after the code byte (decode_x11_event). */
export const EVENTS: ReadonlyMap<number, readonly Step[]> = new Map<number, readonly Step[]>([
  [2, inputEvent(['keycode'])],
  [3, inputEvent(['keycode'])],
  [4, inputEvent(['u8', 'x11.eventbutton'])],
  [5, inputEvent(['u8', 'x11.eventbutton'])],
  [6, inputEvent(['u8', 'x11.detail'])],
  [7, [['u8', 'x11.event-detail'], E, ['common'], ['u8', 'x11.grab-mode'], ['ssfocus']]],
  [8, [['u8', 'x11.event-detail'], E, ['common'], ['u8', 'x11.grab-mode'], ['ssfocus']]],
  [9, [['u8', 'x11.focus-detail'], E, W('x11.eventwindow'), ['u8', 'x11.focus-mode'], ['unused', 23]]],
  [10, [['u8', 'x11.focus-detail'], E, W('x11.eventwindow'), ['u8', 'x11.focus-mode'], ['unused', 23]]],
  [11, []],
  [12, S(W('x11.eventwindow'), ['u16', 'x11.x'], ['u16', 'x11.y'], ['u16', 'x11.width'], ['u16', 'x11.height'], ['u16', 'x11.count'], ['unused', 14])],
  [13, S(W('x11.drawable'), ['u16', 'x11.x'], ['u16', 'x11.y'], ['u16', 'x11.width'], ['u16', 'x11.height'], ['u16', 'x11.minor-opcode'], ['u16', 'x11.count'], ['u8', 'x11.major-opcode'], ['unused', 11])],
  [14, S(W('x11.drawable'), ['u16', 'x11.minor-opcode'], ['u8', 'x11.major-opcode'], ['unused', 21])],
  [15, S(W('x11.eventwindow'), ['u8', 'x11.visibility-state'], ['unused', 23])],
  [16, S(W('x11.parent'), W('x11.eventwindow'), ['u16', 'x11.x'], ['u16', 'x11.y'], ['u16', 'x11.width'], ['u16', 'x11.height'], ['u16', 'x11.border-width'], ['bool', 'x11.override-redirect'], ['unused', 9])],
  [17, S(W('x11.eventwindow'), W('x11.window'), ['unused', 20])],
  [18, S(W('x11.eventwindow'), W('x11.window'), ['bool', 'x11.from-configure'], ['unused', 19])],
  [19, S(W('x11.eventwindow'), W('x11.window'), ['bool', 'x11.override-redirect'], ['unused', 19])],
  [20, S(W('x11.parent'), W('x11.eventwindow'), ['unused', 20])],
  [21, S(W('x11.eventwindow'), W('x11.window'), W('x11.parent'), ['u16', 'x11.x'], ['u16', 'x11.y'], ['bool', 'x11.override-redirect'], ['unused', 11])],
  [22, S(W('x11.eventwindow'), W('x11.window'), W('x11.above-sibling'), ['u16', 'x11.x'], ['u16', 'x11.y'], ['u16', 'x11.width'], ['u16', 'x11.height'], ['u16', 'x11.border-width'], ['bool', 'x11.override-redirect'], ['unused', 5])],
  [23, []],
  [24, S(W('x11.eventwindow'), W('x11.window'), ['u16', 'x11.x'], ['u16', 'x11.y'], ['unused', 16])],
  [25, S(W('x11.eventwindow'), ['u16', 'x11.width'], ['u16', 'x11.height'], ['unused', 20])],
  [26, S(W('x11.eventwindow'), W('x11.window'), ['unused', 4], ['u8', 'x11.place'], ['unused', 15])],
  [27, S(W('x11.parent'), W('x11.eventwindow'), ['unused', 4], ['u8', 'x11.place'], ['unused', 15])],
  [28, S(W('x11.eventwindow'), ['atom', 'x11.atom'], ['time', 'x11.time'], ['u8', 'x11.property-state'], ['unused', 15])],
  [29, S(['time', 'x11.time'], W('x11.owner'), ['atom', 'x11.selection'], ['unused', 16])],
  [30, S(['time', 'x11.time'], W('x11.owner'), W('x11.requestor'), ['atom', 'x11.selection'], ['atom', 'x11.target'], ['atom', 'x11.property'], ['unused', 4])],
  [31, S(['time', 'x11.time'], W('x11.requestor'), ['atom', 'x11.selection'], ['atom', 'x11.target'], ['atom', 'x11.property'], ['unused', 8])],
  [32, S(W('x11.eventwindow'), W('x11.cmap'), ['bool', 'x11.new'], ['u8', 'x11.colormap-state'], ['unused', 18])],
  [33, [['u8', 'x11.format'], E, W('x11.eventwindow'), ['atom', 'x11.type'], ['fixedBytes', 'x11.data', 20]]],
  [34, S(['u8', 'x11.mapping-request'], ['u8', 'x11.first-keycode'], ['u8', 'x11.count'], ['unused', 25])],
  [35, [['generic']]],
]);

const R = ['u8', 'x11.reply'] as const;
const RL = ['u32', 'x11.replylength'] as const;
/** REPLY, a byte (`second`), the sequence number and the reply length, then `steps`. */
const reply = (second: Step, ...steps: Step[]): readonly Step[] => [R, second, ['seq'], RL, ...steps];

/**
 * Opcode of the request replied to -> steps of the reply (dissect_x11_reply). Any other opcode
 * (an unknown request, an extension's) gets REPLYCONTENTS_COMMON.
 */
export const REPLIES: ReadonlyMap<number, readonly Step[]> = new Map<number, readonly Step[]>([
  [14, reply(['u8', 'x11.depth'], W('x11.rootwindow'), ['u16', 'x11.x'], ['u16', 'x11.y'], ['u16', 'x11.width'], ['u16', 'x11.height'], ['u16', 'x11.border-width'], ['unused', 10])],
  [16, reply(U, ['atom', 'x11.atom'], ['unused', 20])],
  [20, reply(['u8', 'x11.format'], ['atom', 'x11.get-property-type'], W('x11.bytes-after'), W('x11.valuelength'), ['unused', 12])],
  [21, reply(U, ['u16', 'x11.property-number', 'n'], ['unused', 22], ['atomCount', 'x11.properties', 'n'])],
  [23, reply(U, W('x11.owner'), ['unused', 20])],
  [26, reply(['u8', 'x11.grab-status'], ['unused', 24])],
  [31, reply(['u8', 'x11.grab-status'], ['unused', 24])],
  [38, reply(['bool', 'x11.same-screen'], W('x11.rootwindow'), W('x11.childwindow'), ['u16', 'x11.root-x'], ['u16', 'x11.root-y'], ['u16', 'x11.win-x'], ['u16', 'x11.win-y'], ['keybutmask'], ['unused', 6])],
  [40, reply(['bool', 'x11.same-screen'], W('x11.childwindow'), ['u16', 'x11.dst-x'], ['u16', 'x11.dst-y'], ['unused', 16])],
  [43, reply(['u8', 'x11.revert-to'], W('x11.focus'), ['unused', 20])],
  [44, reply(U, ['fixedBytes', 'x11.keys', 32])],
  [84, reply(U, ['u16', 'x11.red'], ['u16', 'x11.green'], ['u16', 'x11.blue'], ['unused', 2], W('x11.pixel'), ['unused', 12])],
  [92, reply(U, ['u16', 'x11.exact-red'], ['u16', 'x11.exact-green'], ['u16', 'x11.exact-blue'], ['u16', 'x11.visual-red'], ['u16', 'x11.visual-green'], ['u16', 'x11.visual-blue'], ['unused', 12])],
  [97, reply(U, ['u16', 'x11.width'], ['u16', 'x11.height'], ['unused', 20])],
  [98, reply(U, ['bool', 'x11.present'], ['u8', 'x11.major-opcode'], ['u8', 'x11.first-event'], ['u8', 'x11.first-error'], ['unused', 20])],
  [106, reply(U, ['u16', 'x11.acceleration-numerator'], ['u16', 'x11.acceleration-denominator'], ['u16', 'x11.threshold'], ['unused', 18])],
  [108, reply(U, ['u16', 'x11.timeout'], ['u16', 'x11.interval'], ['u8', 'x11.prefer-blanking'], ['u8', 'x11.allow-exposures'], ['unused', 18])],
  [101, [R, ['u8', 'x11.keysyms-per-keycode', 'perKeycode'], ['seq'], ['u32', 'x11.replylength', 'words'], ['unused', 24], ['keysyms', 'x11.keysyms']]],
  [119, reply(['u8', 'x11.keycodes-per-modifier', 'k'], ['unused', 24], ['keycodes', 'x11.keycodes', 'k'])],
]);

/** An extension x11.ts decodes, as the code packet-x11.c generates from XCB's description does. */
export interface ExtensionLayout {
  /** XCB's name for it, in its replies' sequence number lines ("bigreq-Enable"). */
  prefix: string;
  /** Its requests' names by minor opcode. */
  minors: Readonly<Record<number, string>>;
  /** Per minor opcode, the steps after the minor opcode and the request length. */
  requests: ReadonlyMap<number, readonly Step[]>;
  /** Per minor opcode, its reply's steps. */
  replies: ReadonlyMap<number, readonly Step[]>;
}

const extReply = (...steps: Step[]): readonly Step[] => [R, U, ['extseq'], RL, ...steps];

/** The extensions decoded, by the name QueryExtension asks for. */
export const EXTENSIONS: ReadonlyMap<string, ExtensionLayout> = new Map<string, ExtensionLayout>([
  ['BIG-REQUESTS', {
    prefix: 'bigreq', minors: { 0: 'Enable' }, requests: new Map([[0, []]]),
    replies: new Map([[0, extReply(['u32', 'x11.bigreq.Enable.reply.maximum_request_length'])]]),
  }],
  ['XC-MISC', {
    prefix: 'xc_misc', minors: { 0: 'GetVersion', 1: 'GetXIDRange', 2: 'GetXIDList' },
    requests: new Map<number, readonly Step[]>([
      [0, [['u16', 'x11.xc_misc.GetVersion.client_major_version'], ['u16', 'x11.xc_misc.GetVersion.client_minor_version']]],
      [1, []],
      [2, [['u32', 'x11.xc_misc.GetXIDList.count']]],
    ]),
    replies: new Map([
      [0, extReply(['u16', 'x11.xc_misc.GetVersion.reply.server_major_version'], ['u16', 'x11.xc_misc.GetVersion.reply.server_minor_version'])],
      [1, extReply(['u32', 'x11.xc_misc.GetXIDRange.reply.start_id'], ['u32', 'x11.xc_misc.GetXIDRange.reply.count'])],
      [2, extReply(['u32', 'x11.xc_misc.GetXIDList.reply.ids_len', 'n'], ['unused', 20], ['card32List', 'x11.xc_misc.GetXIDList.reply.ids.list', 'x11.xc_misc.GetXIDList.reply.ids', 'n'])],
    ]),
  }],
]);

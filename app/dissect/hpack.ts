// HPACK, the header compression of HTTP/2 (RFC 7541), decoded the way tshark decodes it:
// Wireshark's HTTP/2 dissector inflates every header block with nghttp2 and shows, per field,
// the representation it came in ("Representation: Literal Header Field with Incremental
// Indexing - Indexed Name") and the raw index from the wire ("Index: 58"). Where RFC 7541 leaves
// a decoder room (integer and string limits, when a size update is due), this file does what
// nghttp2's lib/nghttp2_hd.c does, so a block tshark calls malformed is malformed here too.
//
// One decoder per direction of a connection: the dynamic table is the state both ends share.
// Names and values stay bytes; making text of them is the display's business.

export type HpackRepresentation =
  | 'Indexed Header Field'
  | 'Literal Header Field with Incremental Indexing - Indexed Name'
  | 'Literal Header Field with Incremental Indexing - New Name'
  | 'Literal Header Field without Indexing - Indexed Name'
  | 'Literal Header Field without Indexing - New Name'
  | 'Literal Header Field never Indexed - Indexed Name'
  | 'Literal Header Field never Indexed - New Name';

export interface HpackField {
  /**
   * The decoded name bytes (Huffman decoded when it was Huffman coded). A literal's bytes may be
   * a view of the block, a table entry's are shared with the table: read them, never write them.
   */
  name: Uint8Array;
  /** The decoded value bytes (same sharing as `name`). */
  value: Uint8Array;
  representation: HpackRepresentation;
  /** The table index the field (Indexed) or its name (Indexed Name) came from; undefined for New Name. */
  index?: number;
  /** Byte offset of this representation in the block and its length in bytes (for highlighting). */
  offset: number;
  length: number;
}

export interface HpackSizeUpdate { sizeUpdate: number; offset: number; length: number }

/** SETTINGS_HEADER_TABLE_SIZE's initial value (RFC 9113 6.5.2). */
const DEFAULT_TABLE_SIZE = 4096;

/** What an entry costs beyond its name and value (RFC 7541 4.1). */
const ENTRY_OVERHEAD = 32;

/**
 * The longest string literal accepted, counted in wire octets: nghttp2's NGHTTP2_HD_MAX_NV. RFC
 * 7541 5.2 lets a decoder set such a limit; tshark's, through nghttp2, is this one.
 */
const MAX_STRING_LENGTH = 65536;

/**
 * Integers must fit in 32 bits: nghttp2's decode_length fails on anything larger, and so on a
 * sixth continuation octet whatever its value (RFC 7541 5.1 leaves the limit to the decoder).
 */
const MAX_INTEGER = 0xffffffff;
const MAX_CONTINUATION_SHIFT = 28;

// ---------------------------------------------------------------------------------------------
// Static table (RFC 7541 Appendix A). Index 1 is the first row.

const STATIC_TABLE: readonly (readonly [name: string, value: string])[] = [
  [':authority', ''],
  [':method', 'GET'],
  [':method', 'POST'],
  [':path', '/'],
  [':path', '/index.html'],
  [':scheme', 'http'],
  [':scheme', 'https'],
  [':status', '200'],
  [':status', '204'],
  [':status', '206'],
  [':status', '304'],
  [':status', '400'],
  [':status', '404'],
  [':status', '500'],
  ['accept-charset', ''],
  ['accept-encoding', 'gzip, deflate'],
  ['accept-language', ''],
  ['accept-ranges', ''],
  ['accept', ''],
  ['access-control-allow-origin', ''],
  ['age', ''],
  ['allow', ''],
  ['authorization', ''],
  ['cache-control', ''],
  ['content-disposition', ''],
  ['content-encoding', ''],
  ['content-language', ''],
  ['content-length', ''],
  ['content-location', ''],
  ['content-range', ''],
  ['content-type', ''],
  ['cookie', ''],
  ['date', ''],
  ['etag', ''],
  ['expect', ''],
  ['expires', ''],
  ['from', ''],
  ['host', ''],
  ['if-match', ''],
  ['if-modified-since', ''],
  ['if-none-match', ''],
  ['if-range', ''],
  ['if-unmodified-since', ''],
  ['last-modified', ''],
  ['link', ''],
  ['location', ''],
  ['max-forwards', ''],
  ['proxy-authenticate', ''],
  ['proxy-authorization', ''],
  ['range', ''],
  ['referer', ''],
  ['refresh', ''],
  ['retry-after', ''],
  ['server', ''],
  ['set-cookie', ''],
  ['strict-transport-security', ''],
  ['transfer-encoding', ''],
  ['user-agent', ''],
  ['vary', ''],
  ['via', ''],
  ['www-authenticate', ''],
];

interface TableEntry { name: Uint8Array; value: Uint8Array }

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

const STATIC_ENTRIES: readonly TableEntry[] = STATIC_TABLE.map(([name, value]) => ({ name: ascii(name), value: ascii(value) }));

// ---------------------------------------------------------------------------------------------
// Huffman code (RFC 7541 Appendix B): [code, length in bits] per symbol, in symbol order, the
// code right-aligned as the RFC prints it in hex. Rows are labelled with their first symbol and,
// where printable, the characters they code.

const HUFFMAN_CODE: readonly (readonly [code: number, bits: number])[] = [
  /*   0      */ [0x1ff8, 13], [0x7fffd8, 23], [0xfffffe2, 28], [0xfffffe3, 28],
  /*   4      */ [0xfffffe4, 28], [0xfffffe5, 28], [0xfffffe6, 28], [0xfffffe7, 28],
  /*   8      */ [0xfffffe8, 28], [0xffffea, 24], [0x3ffffffc, 30], [0xfffffe9, 28],
  /*  12      */ [0xfffffea, 28], [0x3ffffffd, 30], [0xfffffeb, 28], [0xfffffec, 28],
  /*  16      */ [0xfffffed, 28], [0xfffffee, 28], [0xfffffef, 28], [0xffffff0, 28],
  /*  20      */ [0xffffff1, 28], [0xffffff2, 28], [0x3ffffffe, 30], [0xffffff3, 28],
  /*  24      */ [0xffffff4, 28], [0xffffff5, 28], [0xffffff6, 28], [0xffffff7, 28],
  /*  28      */ [0xffffff8, 28], [0xffffff9, 28], [0xffffffa, 28], [0xffffffb, 28],
  /*  32  !"# */ [0x14, 6], [0x3f8, 10], [0x3f9, 10], [0xffa, 12],
  /*  36 $%&' */ [0x1ff9, 13], [0x15, 6], [0xf8, 8], [0x7fa, 11],
  /*  40 ()*+ */ [0x3fa, 10], [0x3fb, 10], [0xf9, 8], [0x7fb, 11],
  /*  44 ,-./ */ [0xfa, 8], [0x16, 6], [0x17, 6], [0x18, 6],
  /*  48 0123 */ [0x0, 5], [0x1, 5], [0x2, 5], [0x19, 6],
  /*  52 4567 */ [0x1a, 6], [0x1b, 6], [0x1c, 6], [0x1d, 6],
  /*  56 89:; */ [0x1e, 6], [0x1f, 6], [0x5c, 7], [0xfb, 8],
  /*  60 <=>? */ [0x7ffc, 15], [0x20, 6], [0xffb, 12], [0x3fc, 10],
  /*  64 @ABC */ [0x1ffa, 13], [0x21, 6], [0x5d, 7], [0x5e, 7],
  /*  68 DEFG */ [0x5f, 7], [0x60, 7], [0x61, 7], [0x62, 7],
  /*  72 HIJK */ [0x63, 7], [0x64, 7], [0x65, 7], [0x66, 7],
  /*  76 LMNO */ [0x67, 7], [0x68, 7], [0x69, 7], [0x6a, 7],
  /*  80 PQRS */ [0x6b, 7], [0x6c, 7], [0x6d, 7], [0x6e, 7],
  /*  84 TUVW */ [0x6f, 7], [0x70, 7], [0x71, 7], [0x72, 7],
  /*  88 XYZ[ */ [0xfc, 8], [0x73, 7], [0xfd, 8], [0x1ffb, 13],
  /*  92 \]^_ */ [0x7fff0, 19], [0x1ffc, 13], [0x3ffc, 14], [0x22, 6],
  /*  96 `abc */ [0x7ffd, 15], [0x3, 5], [0x23, 6], [0x4, 5],
  /* 100 defg */ [0x24, 6], [0x5, 5], [0x25, 6], [0x26, 6],
  /* 104 hijk */ [0x27, 6], [0x6, 5], [0x74, 7], [0x75, 7],
  /* 108 lmno */ [0x28, 6], [0x29, 6], [0x2a, 6], [0x7, 5],
  /* 112 pqrs */ [0x2b, 6], [0x76, 7], [0x2c, 6], [0x8, 5],
  /* 116 tuvw */ [0x9, 5], [0x2d, 6], [0x77, 7], [0x78, 7],
  /* 120 xyz{ */ [0x79, 7], [0x7a, 7], [0x7b, 7], [0x7ffe, 15],
  /* 124 |}~  */ [0x7fc, 11], [0x3ffd, 14], [0x1ffd, 13], [0xffffffc, 28],
  /* 128      */ [0xfffe6, 20], [0x3fffd2, 22], [0xfffe7, 20], [0xfffe8, 20],
  /* 132      */ [0x3fffd3, 22], [0x3fffd4, 22], [0x3fffd5, 22], [0x7fffd9, 23],
  /* 136      */ [0x3fffd6, 22], [0x7fffda, 23], [0x7fffdb, 23], [0x7fffdc, 23],
  /* 140      */ [0x7fffdd, 23], [0x7fffde, 23], [0xffffeb, 24], [0x7fffdf, 23],
  /* 144      */ [0xffffec, 24], [0xffffed, 24], [0x3fffd7, 22], [0x7fffe0, 23],
  /* 148      */ [0xffffee, 24], [0x7fffe1, 23], [0x7fffe2, 23], [0x7fffe3, 23],
  /* 152      */ [0x7fffe4, 23], [0x1fffdc, 21], [0x3fffd8, 22], [0x7fffe5, 23],
  /* 156      */ [0x3fffd9, 22], [0x7fffe6, 23], [0x7fffe7, 23], [0xffffef, 24],
  /* 160      */ [0x3fffda, 22], [0x1fffdd, 21], [0xfffe9, 20], [0x3fffdb, 22],
  /* 164      */ [0x3fffdc, 22], [0x7fffe8, 23], [0x7fffe9, 23], [0x1fffde, 21],
  /* 168      */ [0x7fffea, 23], [0x3fffdd, 22], [0x3fffde, 22], [0xfffff0, 24],
  /* 172      */ [0x1fffdf, 21], [0x3fffdf, 22], [0x7fffeb, 23], [0x7fffec, 23],
  /* 176      */ [0x1fffe0, 21], [0x1fffe1, 21], [0x3fffe0, 22], [0x1fffe2, 21],
  /* 180      */ [0x7fffed, 23], [0x3fffe1, 22], [0x7fffee, 23], [0x7fffef, 23],
  /* 184      */ [0xfffea, 20], [0x3fffe2, 22], [0x3fffe3, 22], [0x3fffe4, 22],
  /* 188      */ [0x7ffff0, 23], [0x3fffe5, 22], [0x3fffe6, 22], [0x7ffff1, 23],
  /* 192      */ [0x3ffffe0, 26], [0x3ffffe1, 26], [0xfffeb, 20], [0x7fff1, 19],
  /* 196      */ [0x3fffe7, 22], [0x7ffff2, 23], [0x3fffe8, 22], [0x1ffffec, 25],
  /* 200      */ [0x3ffffe2, 26], [0x3ffffe3, 26], [0x3ffffe4, 26], [0x7ffffde, 27],
  /* 204      */ [0x7ffffdf, 27], [0x3ffffe5, 26], [0xfffff1, 24], [0x1ffffed, 25],
  /* 208      */ [0x7fff2, 19], [0x1fffe3, 21], [0x3ffffe6, 26], [0x7ffffe0, 27],
  /* 212      */ [0x7ffffe1, 27], [0x3ffffe7, 26], [0x7ffffe2, 27], [0xfffff2, 24],
  /* 216      */ [0x1fffe4, 21], [0x1fffe5, 21], [0x3ffffe8, 26], [0x3ffffe9, 26],
  /* 220      */ [0xffffffd, 28], [0x7ffffe3, 27], [0x7ffffe4, 27], [0x7ffffe5, 27],
  /* 224      */ [0xfffec, 20], [0xfffff3, 24], [0xfffed, 20], [0x1fffe6, 21],
  /* 228      */ [0x3fffe9, 22], [0x1fffe7, 21], [0x1fffe8, 21], [0x7ffff3, 23],
  /* 232      */ [0x3fffea, 22], [0x3fffeb, 22], [0x1ffffee, 25], [0x1ffffef, 25],
  /* 236      */ [0xfffff4, 24], [0xfffff5, 24], [0x3ffffea, 26], [0x7ffff4, 23],
  /* 240      */ [0x3ffffeb, 26], [0x7ffffe6, 27], [0x3ffffec, 26], [0x3ffffed, 26],
  /* 244      */ [0x7ffffe7, 27], [0x7ffffe8, 27], [0x7ffffe9, 27], [0x7ffffea, 27],
  /* 248      */ [0x7ffffeb, 27], [0xffffffe, 28], [0x7ffffec, 27], [0x7ffffed, 27],
  /* 252      */ [0x7ffffee, 27], [0x7ffffef, 27], [0x7fffff0, 27], [0x3ffffee, 26],
  /* 256 EOS  */ [0x3fffffff, 30],
];

/** The end-of-string symbol: never valid inside a string (RFC 7541 5.2). */
const EOS = 256;

// The decoder walks the code 4 bits at a time through a table built once from HUFFMAN_CODE, as
// nghttp2 does: its states are the internal nodes of the code tree (256 for 257 leaves), and a
// nibble moves from one to the next, emitting at most one symbol on the way since no code is
// shorter than 5 bits. Each transition is packed in one number:
const NEXT_STATE = 0xff; //   bits 0-7   the state after the nibble
const SYMBOL_SHIFT = 8; //    bits 8-15  the symbol emitted, when EMITS is set
const EMITS = 1 << 16;
const FAILS = 1 << 17; //     the nibble runs into EOS

interface HuffmanMachine {
  /** The transition for state s and nibble n at s * 16 + n. */
  transitions: Uint32Array;
  /**
   * 1 where a string may end in that state: at a symbol boundary, or inside padding, which RFC
   * 7541 5.2 requires to be the first bits of EOS (all ones) and shorter than 8 bits.
   */
  accepting: Uint8Array;
}

function buildHuffmanMachine(code: readonly (readonly [number, number])[]): HuffmanMachine {
  // Appendix B's code is canonical: ordered by length then symbol, each code is the previous one
  // plus one, shifted left by the difference in length. Checking that (and that the tree comes
  // out complete, below) means a mistyped row fails at load rather than misdecoding one byte.
  const order = code.map((_, symbol) => symbol).sort((a, b) => code[a][1] - code[b][1] || a - b);
  let expected = 0;
  order.forEach((symbol, i) => {
    if (i > 0) expected = (expected + 1) * 2 ** (code[symbol][1] - code[order[i - 1]][1]);
    if (code[symbol][0] !== expected) throw new Error(`HPACK Huffman code for symbol ${symbol} is not canonical`);
  });

  // The tree: children[node * 2 + bit] is an internal node (> 0; the root, 0, is nobody's child)
  // or a leaf, ~symbol (< 0). 0 marks a branch not yet made.
  const internal = code.length - 1;
  const children = new Int32Array(internal * 2);
  const depth = new Uint8Array(internal);
  const allOnes = new Uint8Array(internal);
  allOnes[0] = 1;
  let nodes = 1;
  code.forEach(([bits, length], symbol) => {
    let node = 0;
    for (let i = length - 1; i >= 0; i--) {
      const bit = (bits >>> i) & 1;
      const slot = node * 2 + bit;
      if (i === 0) {
        if (children[slot] !== 0) throw new Error(`HPACK Huffman code for symbol ${symbol} is a prefix of another`);
        children[slot] = ~symbol;
      } else {
        if (children[slot] < 0) throw new Error(`HPACK Huffman code for symbol ${symbol} extends another`);
        if (children[slot] === 0) {
          if (nodes === internal) throw new Error('HPACK Huffman code has too many branches');
          const made = nodes++;
          depth[made] = depth[node] + 1;
          allOnes[made] = allOnes[node] & bit;
          children[slot] = made;
        }
        node = children[slot];
      }
    }
  });
  if (nodes !== internal || children.includes(0)) throw new Error('HPACK Huffman code is not complete');

  const transitions = new Uint32Array(internal * 16);
  const accepting = new Uint8Array(internal);
  for (let state = 0; state < internal; state++) {
    accepting[state] = allOnes[state] && depth[state] < 8 ? 1 : 0;
    for (let nibble = 0; nibble < 16; nibble++) {
      let node = state;
      let transition = 0;
      for (let i = 3; i >= 0; i--) {
        const next = children[node * 2 + ((nibble >> i) & 1)];
        if (next >= 0) {
          node = next;
        } else if (~next === EOS) {
          transition = FAILS;
          break;
        } else {
          if (transition & EMITS) throw new Error('HPACK Huffman code has a code shorter than 5 bits');
          transition = EMITS | (~next << SYMBOL_SHIFT);
          node = 0;
        }
      }
      transitions[state * 16 + nibble] = transition | node;
    }
  }
  return { transitions, accepting };
}

const HUFFMAN = buildHuffmanMachine(HUFFMAN_CODE);

/**
 * Decodes a Huffman-coded string literal (RFC 7541 5.2). Null when it contains EOS or ends in
 * padding that is 8 bits or longer or not all ones, which the RFC makes decoding errors.
 */
export function huffmanDecode(bytes: Uint8Array): Uint8Array | null {
  const { transitions, accepting } = HUFFMAN;
  // Every code is at least 5 bits long, so this bounds the output.
  const out = new Uint8Array(Math.floor((bytes.length * 8) / 5));
  let length = 0;
  let state = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    let t = transitions[state * 16 + (byte >> 4)];
    if (t & FAILS) return null;
    if (t & EMITS) out[length++] = (t >> SYMBOL_SHIFT) & 0xff;
    t = transitions[(t & NEXT_STATE) * 16 + (byte & 0x0f)];
    if (t & FAILS) return null;
    if (t & EMITS) out[length++] = (t >> SYMBOL_SHIFT) & 0xff;
    state = t & NEXT_STATE;
  }
  return accepting[state] ? out.subarray(0, length) : null;
}

// ---------------------------------------------------------------------------------------------
// Primitive types (RFC 7541 5).

/**
 * Reads an integer with an N-bit prefix (RFC 7541 5.1) whose first octet is block[at]; the bits
 * above the prefix are the caller's. Returns the value and the offset just past it, or null when
 * the block ends first or the value does not fit in 32 bits.
 */
export function decodeInteger(block: Uint8Array, at: number, prefixBits: number): { value: number; end: number } | null {
  if (at >= block.length) return null;
  const prefixMax = (1 << prefixBits) - 1;
  let value = block[at] & prefixMax;
  let pos = at + 1;
  if (value < prefixMax) return { value, end: pos };
  for (let shift = 0; shift <= MAX_CONTINUATION_SHIFT; shift += 7) {
    if (pos >= block.length) return null;
    const octet = block[pos++];
    value += (octet & 0x7f) * 2 ** shift; // exact: stays far below 2^53
    if (value > MAX_INTEGER) return null;
    if ((octet & 0x80) === 0) return { value, end: pos };
  }
  return null;
}

/** Reads a string literal (RFC 7541 5.2) at block[at]: its bytes, Huffman decoded if so marked. */
function decodeString(block: Uint8Array, at: number): { bytes: Uint8Array; end: number } | null {
  const length = decodeInteger(block, at, 7);
  if (length === null || length.value > MAX_STRING_LENGTH) return null;
  const end = length.end + length.value;
  if (end > block.length) return null;
  const raw = block.subarray(length.end, end);
  const bytes = block[at] & 0x80 ? huffmanDecode(raw) : raw;
  return bytes && { bytes, end };
}

// ---------------------------------------------------------------------------------------------
// Field representations (RFC 7541 6), by the bit pattern that starts them.

interface LiteralKind {
  prefixBits: number;
  indexes: boolean;
  indexedName: HpackRepresentation;
  newName: HpackRepresentation;
}

const WITH_INDEXING: LiteralKind = {
  prefixBits: 6,
  indexes: true,
  indexedName: 'Literal Header Field with Incremental Indexing - Indexed Name',
  newName: 'Literal Header Field with Incremental Indexing - New Name',
};
const WITHOUT_INDEXING: LiteralKind = {
  prefixBits: 4,
  indexes: false,
  indexedName: 'Literal Header Field without Indexing - Indexed Name',
  newName: 'Literal Header Field without Indexing - New Name',
};
const NEVER_INDEXED: LiteralKind = {
  prefixBits: 4,
  indexes: false,
  indexedName: 'Literal Header Field never Indexed - Indexed Name',
  newName: 'Literal Header Field never Indexed - New Name',
};

export class HpackDecoder {
  /** Newest last (RFC 7541 numbers it newest first: index 62 is the last element). */
  private readonly dynamic: TableEntry[] = [];
  private size = 0;
  /** The table's maximum size: the last size update's, or the SETTINGS value (see setMaxTableSize). */
  private maxSize: number;
  /** What SETTINGS_HEADER_TABLE_SIZE allows a size update to ask for. */
  private limit: number;
  /** After the limit went down, the next block must open with a size update no larger than this. */
  private pendingLimit: number | null = null;
  private failed = false;

  constructor(maxTableSize = DEFAULT_TABLE_SIZE) {
    this.maxSize = maxTableSize;
    this.limit = maxTableSize;
  }

  /**
   * The limit the peer's SETTINGS_HEADER_TABLE_SIZE allows (updates beyond it are errors).
   * As nghttp2_hd_inflate_change_table_size, which tshark calls when the SETTINGS frame is
   * acknowledged: the table takes the new size at once, evicting as needed, and when that is
   * smaller than before the encoder owes a size update at the start of its next block (RFC 7541
   * 4.2), no larger than the value set here.
   */
  setMaxTableSize(n: number): void {
    if (n < this.maxSize) this.pendingLimit = n;
    this.limit = n;
    this.maxSize = n;
    this.evictDownTo(n);
  }

  /**
   * Decodes one complete header block (HEADERS/PUSH_PROMISE + CONTINUATION fragments joined),
   * updating the dynamic table. Returns the entries in order (fields and dynamic table size
   * updates), or null when the block is malformed (bad index, truncated integer/string, bad
   * Huffman code, EOS symbol, padding longer than 7 bits or not all ones, size update over the limit).
   * After an error the decoder is unusable for that connection (as in nghttp2): every later call returns null.
   */
  decode(block: Uint8Array): Array<HpackField | HpackSizeUpdate> | null {
    if (this.failed) return null;
    const entries = this.decodeBlock(block);
    // The table may be half updated, and the encoder's has moved on: nothing later can be trusted
    // (RFC 9113 4.3 makes this a connection error; nghttp2 marks the inflater bad).
    if (entries === null) this.failed = true;
    return entries;
  }

  /** Current dynamic table size in octets (RFC 7541 4.1: name + value + 32 per entry). */
  get tableSize(): number {
    return this.size;
  }

  private decodeBlock(block: Uint8Array): Array<HpackField | HpackSizeUpdate> | null {
    // A size update owed since the limit went down must come first, even in an empty block.
    if (this.pendingLimit !== null && (block.length === 0 || (block[0] & 0xe0) !== 0x20)) return null;
    const entries: Array<HpackField | HpackSizeUpdate> = [];
    let fieldSeen = false;
    let pos = 0;
    while (pos < block.length) {
      const first = block[pos];
      let entry: HpackField | HpackSizeUpdate | null;
      if ((first & 0xe0) === 0x20) {
        // Size updates only open a block (RFC 7541 4.2); nghttp2 rejects one after a field.
        if (fieldSeen) return null;
        entry = this.sizeUpdate(block, pos);
      } else {
        fieldSeen = true;
        if (first & 0x80) entry = this.indexed(block, pos);
        else if (first & 0x40) entry = this.literal(block, pos, WITH_INDEXING);
        else entry = this.literal(block, pos, first & 0x10 ? NEVER_INDEXED : WITHOUT_INDEXING);
      }
      if (entry === null) return null;
      entries.push(entry);
      pos = entry.offset + entry.length;
    }
    return entries;
  }

  /** Indexed Header Field (RFC 7541 6.1): 1xxxxxxx, a 7-bit index. */
  private indexed(block: Uint8Array, offset: number): HpackField | null {
    const index = decodeInteger(block, offset, 7);
    const entry = index && this.entryAt(index.value);
    if (!index || !entry) return null;
    return {
      name: entry.name, value: entry.value, representation: 'Indexed Header Field',
      index: index.value, offset, length: index.end - offset,
    };
  }

  /** Literal Header Field (RFC 7541 6.2): an index for the name, or 0 and the name; then the value. */
  private literal(block: Uint8Array, offset: number, kind: LiteralKind): HpackField | null {
    const index = decodeInteger(block, offset, kind.prefixBits);
    if (!index) return null;
    let name: Uint8Array;
    let pos: number;
    if (index.value === 0) {
      const literalName = decodeString(block, index.end);
      if (!literalName) return null;
      name = literalName.bytes;
      pos = literalName.end;
    } else {
      const entry = this.entryAt(index.value);
      if (!entry) return null;
      name = entry.name;
      pos = index.end;
    }
    const value = decodeString(block, pos);
    if (!value) return null;
    // The name is taken before the insertion evicts anything, as RFC 7541 4.4 requires.
    if (kind.indexes) this.insert(name, value.bytes);
    return {
      name, value: value.bytes,
      representation: index.value === 0 ? kind.newName : kind.indexedName,
      index: index.value === 0 ? undefined : index.value,
      offset, length: value.end - offset,
    };
  }

  /** Dynamic Table Size Update (RFC 7541 6.3): 001xxxxx, a 5-bit size. */
  private sizeUpdate(block: Uint8Array, offset: number): HpackSizeUpdate | null {
    const size = decodeInteger(block, offset, 5);
    if (!size || size.value > Math.min(this.limit, this.pendingLimit ?? Infinity)) return null;
    this.pendingLimit = null;
    this.maxSize = size.value;
    this.evictDownTo(size.value);
    return { sizeUpdate: size.value, offset, length: size.end - offset };
  }

  /** The entry at an index (RFC 7541 2.3.3): 1..61 static, then dynamic newest first; 0 is invalid. */
  private entryAt(index: number): TableEntry | undefined {
    if (index === 0) return undefined;
    if (index <= STATIC_ENTRIES.length) return STATIC_ENTRIES[index - 1];
    return this.dynamic[this.dynamic.length - 1 - (index - STATIC_ENTRIES.length - 1)];
  }

  /** Adds an entry at the front (RFC 7541 4.4): one larger than the table just empties it. */
  private insert(name: Uint8Array, value: Uint8Array): void {
    const cost = name.length + value.length + ENTRY_OVERHEAD;
    this.evictDownTo(this.maxSize - cost);
    if (cost > this.maxSize) return;
    // Copies: a literal is a view of the caller's packet bytes, which may be reused.
    this.dynamic.push({ name: name.slice(), value: value.slice() });
    this.size += cost;
  }

  /** Evicts the oldest entries until the table takes at most `size` octets (RFC 7541 4.3). */
  private evictDownTo(size: number): void {
    while (this.size > size && this.dynamic.length > 0) {
      const oldest = this.dynamic.shift()!;
      this.size -= oldest.name.length + oldest.value.length + ENTRY_OVERHEAD;
    }
  }
}

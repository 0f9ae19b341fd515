// HPACK decoding checked against RFC 7541 Appendix C, whose hex blocks are copied here as the RFC
// prints them, and against the errors nghttp2 (tshark's HPACK decoder) reports.
import { describe, expect, it } from 'vitest';
import { decodeInteger, HpackDecoder, huffmanDecode, type HpackField, type HpackSizeUpdate } from './hpack.js';

const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));
const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');

type Entry = HpackField | HpackSizeUpdate;

/** A decoded block as the header list it carries: [name, value] pairs, size updates left out. */
const headerList = (entries: readonly Entry[]) =>
  entries.filter((e): e is HpackField => 'name' in e).map((f) => [text(f.name), text(f.value)]);

/** How each field was represented, as tshark shows it: the representation, the index, the bytes it took. */
const representations = (entries: readonly Entry[]) =>
  entries.map((e) => ('name' in e ? { representation: e.representation, index: e.index, offset: e.offset, length: e.length } : e));

/**
 * The dynamic table, newest first, read back through Indexed Header Fields 62, 63, ... (an
 * Indexed Header Field leaves the table as it is). Together with `tableSize` this pins the table
 * down: any further entry would add at least 32 octets.
 */
function dynamicTable(decoder: HpackDecoder, entries: number): string[][] {
  return headerList(decoder.decode(Uint8Array.from({ length: entries }, (_, i) => 0x80 | (62 + i)))!);
}

/** An integer with an N-bit prefix (RFC 7541 5.1), the first octet's other bits set from `pattern`. */
function integer(value: number, prefixBits: number, pattern = 0): number[] {
  const prefixMax = (1 << prefixBits) - 1;
  if (value < prefixMax) return [pattern | value];
  const out = [pattern | prefixMax];
  for (value -= prefixMax; value >= 128; value = Math.floor(value / 128)) out.push(0x80 | (value % 128));
  out.push(value);
  return out;
}

/** A Literal Header Field with Incremental Indexing - New Name, both strings sent as they are. */
function newNameLiteral(name: string, value: string): Uint8Array {
  return Uint8Array.from([0x40, ...integer(name.length, 7), ...Buffer.from(name), ...integer(value.length, 7), ...Buffer.from(value)]);
}

describe('integer representation (RFC 7541 5.1, C.1)', () => {
  it('C.1.1: 10 fits in a 5-bit prefix; the three bits above it belong to the representation', () => {
    expect(decodeInteger(bytes('ea'), 0, 5)).toEqual({ value: 10, end: 1 });
  });

  it('C.1.2: 1337 fills the 5-bit prefix and continues in two octets', () => {
    expect(decodeInteger(bytes('1f 9a 0a'), 0, 5)).toEqual({ value: 1337, end: 3 });
  });

  it('C.1.3: 42 starting at an octet boundary (8-bit prefix)', () => {
    expect(decodeInteger(bytes('2a'), 0, 8)).toEqual({ value: 42, end: 1 });
  });

  it('reads from an offset, as a decoder walking a block does', () => {
    expect(decodeInteger(bytes('82 1f 9a 0a 82'), 1, 5)).toEqual({ value: 1337, end: 4 });
  });

  it('takes 2^32 - 1 but nothing larger, and no sixth continuation octet (nghttp2 decode_length)', () => {
    expect(decodeInteger(bytes('ff 80 ff ff ff 0f'), 0, 7)).toEqual({ value: 0xffffffff, end: 6 });
    expect(decodeInteger(bytes('ff 81 ff ff ff 0f'), 0, 7)).toBeNull();
    expect(decodeInteger(bytes('ff 80 80 80 80 80 00'), 0, 7)).toBeNull();
  });

  it('is null when the block ends inside it', () => {
    expect(decodeInteger(bytes('1f 9a'), 0, 5)).toBeNull();
    expect(decodeInteger(bytes(''), 0, 5)).toBeNull();
  });
});

describe('header field representations (RFC 7541 C.2)', () => {
  it('C.2.1: Literal Header Field with Indexing, new name, enters the dynamic table', () => {
    const decoder = new HpackDecoder();
    const entries = decoder.decode(bytes('400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572'))!;
    expect(headerList(entries)).toEqual([['custom-key', 'custom-header']]);
    expect(representations(entries)).toEqual([
      { representation: 'Literal Header Field with Incremental Indexing - New Name', index: undefined, offset: 0, length: 26 },
    ]);
    expect(decoder.tableSize).toBe(55);
    expect(dynamicTable(decoder, 1)).toEqual([['custom-key', 'custom-header']]);
  });

  it('C.2.2: Literal Header Field without Indexing, name from static index 4, leaves the table empty', () => {
    const decoder = new HpackDecoder();
    const entries = decoder.decode(bytes('040c 2f73 616d 706c 652f 7061 7468'))!;
    expect(headerList(entries)).toEqual([[':path', '/sample/path']]);
    expect(representations(entries)).toEqual([
      { representation: 'Literal Header Field without Indexing - Indexed Name', index: 4, offset: 0, length: 14 },
    ]);
    expect(decoder.tableSize).toBe(0);
  });

  it('C.2.3: Literal Header Field Never Indexed, new name, leaves the table empty', () => {
    const decoder = new HpackDecoder();
    const entries = decoder.decode(bytes('1008 7061 7373 776f 7264 0673 6563 7265 74'))!;
    expect(headerList(entries)).toEqual([['password', 'secret']]);
    expect(representations(entries)).toEqual([
      { representation: 'Literal Header Field never Indexed - New Name', index: undefined, offset: 0, length: 17 },
    ]);
    expect(decoder.tableSize).toBe(0);
  });

  it('C.2.4: Indexed Header Field, static index 2', () => {
    const decoder = new HpackDecoder();
    const entries = decoder.decode(bytes('82'))!;
    expect(headerList(entries)).toEqual([[':method', 'GET']]);
    expect(representations(entries)).toEqual([{ representation: 'Indexed Header Field', index: 2, offset: 0, length: 1 }]);
    expect(decoder.tableSize).toBe(0);
  });
});

// Each step: the header list the block carries, then the dynamic table (newest first) and its size.
interface Step { headers: string[][]; table: string[][]; size: number }

// C.3 and C.4: three requests on one connection, table size 4096.
const REQUESTS: Step[] = [
  {
    headers: [[':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com']],
    table: [[':authority', 'www.example.com']],
    size: 57,
  },
  {
    headers: [[':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com'], ['cache-control', 'no-cache']],
    table: [['cache-control', 'no-cache'], [':authority', 'www.example.com']],
    size: 110,
  },
  {
    headers: [[':method', 'GET'], [':scheme', 'https'], [':path', '/index.html'], [':authority', 'www.example.com'], ['custom-key', 'custom-value']],
    table: [['custom-key', 'custom-value'], ['cache-control', 'no-cache'], [':authority', 'www.example.com']],
    size: 164,
  },
];

const C3_BLOCKS = [
  '8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d',
  '8286 84be 5808 6e6f 2d63 6163 6865',
  '8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65',
];

const C4_BLOCKS = [
  '8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff',
  '8286 84be 5886 a8eb 1064 9cbf',
  '8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf',
];

// C.5 and C.6: three responses on one connection, table size 256, so entries get evicted.
const DATE_21 = 'Mon, 21 Oct 2013 20:13:21 GMT';
const DATE_22 = 'Mon, 21 Oct 2013 20:13:22 GMT';
const COOKIE = 'foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1';
const LOCATION = 'https://www.example.com';

const RESPONSES: Step[] = [
  {
    headers: [[':status', '302'], ['cache-control', 'private'], ['date', DATE_21], ['location', LOCATION]],
    table: [['location', LOCATION], ['date', DATE_21], ['cache-control', 'private'], [':status', '302']],
    size: 222,
  },
  {
    // ":status: 302" is evicted to make room for ":status: 307".
    headers: [[':status', '307'], ['cache-control', 'private'], ['date', DATE_21], ['location', LOCATION]],
    table: [[':status', '307'], ['location', LOCATION], ['date', DATE_21], ['cache-control', 'private']],
    size: 222,
  },
  {
    headers: [[':status', '200'], ['cache-control', 'private'], ['date', DATE_22], ['location', LOCATION], ['content-encoding', 'gzip'], ['set-cookie', COOKIE]],
    table: [['set-cookie', COOKIE], ['content-encoding', 'gzip'], ['date', DATE_22]],
    size: 215,
  },
];

const C5_BLOCKS = [
  `4803 3330 3258 0770 7269 7661 7465 611d
   4d6f 6e2c 2032 3120 4f63 7420 3230 3133
   2032 303a 3133 3a32 3120 474d 546e 1768
   7474 7073 3a2f 2f77 7777 2e65 7861 6d70
   6c65 2e63 6f6d`,
  '4803 3330 37c1 c0bf',
  `88c1 611d 4d6f 6e2c 2032 3120 4f63 7420
   3230 3133 2032 303a 3133 3a32 3220 474d
   54c0 5a04 677a 6970 7738 666f 6f3d 4153
   444a 4b48 514b 425a 584f 5157 454f 5049
   5541 5851 5745 4f49 553b 206d 6178 2d61
   6765 3d33 3630 303b 2076 6572 7369 6f6e
   3d31`,
];

const C6_BLOCKS = [
  `4882 6402 5885 aec3 771a 4b61 96d0 7abe
   9410 54d4 44a8 2005 9504 0b81 66e0 82a6
   2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8
   e9ae 82ae 43d3`,
  '4883 640e ffc1 c0bf',
  `88c1 6196 d07a be94 1054 d444 a820 0595
   040b 8166 e084 a62d 1bff c05a 839b d9ab
   77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b
   3960 d5af 2708 7f36 72c1 ab27 0fb5 291f
   9587 3160 65c0 03ed 4ee5 b106 3d50 07`,
];

describe.each([
  { section: 'C.3 requests without Huffman coding', blocks: C3_BLOCKS, steps: REQUESTS, tableSize: 4096 },
  { section: 'C.4 requests with Huffman coding', blocks: C4_BLOCKS, steps: REQUESTS, tableSize: 4096 },
  { section: 'C.5 responses without Huffman coding', blocks: C5_BLOCKS, steps: RESPONSES, tableSize: 256 },
  { section: 'C.6 responses with Huffman coding', blocks: C6_BLOCKS, steps: RESPONSES, tableSize: 256 },
])('RFC 7541 $section', ({ blocks, steps, tableSize }) => {
  it('decodes each header list and leaves the dynamic table as the RFC shows it', () => {
    const decoder = new HpackDecoder(tableSize);
    steps.forEach((step, i) => {
      expect(headerList(decoder.decode(bytes(blocks[i]))!), `block ${i + 1}`).toEqual(step.headers);
      expect(decoder.tableSize, `table size after block ${i + 1}`).toBe(step.size);
      expect(dynamicTable(decoder, step.table.length), `table after block ${i + 1}`).toEqual(step.table);
    });
  });
});

describe('what tshark shows of each representation', () => {
  it('C.3.1: three static Indexed Header Fields, then :authority by static name index 1', () => {
    expect(representations(new HpackDecoder().decode(bytes(C3_BLOCKS[0]))!)).toEqual([
      { representation: 'Indexed Header Field', index: 2, offset: 0, length: 1 },
      { representation: 'Indexed Header Field', index: 6, offset: 1, length: 1 },
      { representation: 'Indexed Header Field', index: 4, offset: 2, length: 1 },
      { representation: 'Literal Header Field with Incremental Indexing - Indexed Name', index: 1, offset: 3, length: 17 },
    ]);
  });

  it('C.4.1: the same with Huffman coding; offsets and lengths count wire bytes, not decoded ones', () => {
    const entries = new HpackDecoder().decode(bytes(C4_BLOCKS[0]))!;
    expect(representations(entries)[3]).toEqual(
      { representation: 'Literal Header Field with Incremental Indexing - Indexed Name', index: 1, offset: 3, length: 14 },
    );
    expect(text((entries[3] as HpackField).value)).toBe('www.example.com');
  });

  it('C.5.2: dynamic indexes are reported as they are on the wire (65, 64, 63)', () => {
    const decoder = new HpackDecoder(256);
    decoder.decode(bytes(C5_BLOCKS[0]));
    expect(representations(decoder.decode(bytes(C5_BLOCKS[1]))!)).toEqual([
      { representation: 'Literal Header Field with Incremental Indexing - Indexed Name', index: 8, offset: 0, length: 5 },
      { representation: 'Indexed Header Field', index: 65, offset: 5, length: 1 },
      { representation: 'Indexed Header Field', index: 64, offset: 6, length: 1 },
      { representation: 'Indexed Header Field', index: 63, offset: 7, length: 1 },
    ]);
  });
});

describe('dynamic table size', () => {
  it('a size update evicts down to the new size and is reported with its bytes', () => {
    const decoder = new HpackDecoder();
    decoder.decode(bytes(C3_BLOCKS[0]));
    expect(decoder.decode(bytes('20'))).toEqual([{ sizeUpdate: 0, offset: 0, length: 1 }]);
    expect(decoder.tableSize).toBe(0);
  });

  it('two updates may open a block, the smallest first (RFC 7541 4.2)', () => {
    const decoder = new HpackDecoder();
    expect(decoder.decode(bytes('20 3f e1 1f 82'))).toEqual([
      { sizeUpdate: 0, offset: 0, length: 1 },
      { sizeUpdate: 4096, offset: 1, length: 3 },
      { name: bytes('3a6d6574686f64'), value: bytes('474554'), representation: 'Indexed Header Field', index: 2, offset: 4, length: 1 },
    ]);
  });

  it('an entry larger than the table empties it and is not added (RFC 7541 4.4)', () => {
    const decoder = new HpackDecoder(256);
    decoder.decode(bytes(C3_BLOCKS[0]));
    expect(decoder.tableSize).toBe(57);
    expect(headerList(decoder.decode(newNameLiteral('big', 'x'.repeat(300)))!)).toEqual([['big', 'x'.repeat(300)]]);
    expect(decoder.tableSize).toBe(0);
  });

  it('an entry that fits evicts the oldest entries until it does (RFC 7541 4.4)', () => {
    const decoder = new HpackDecoder(100);
    decoder.decode(newNameLiteral('a', '1')); // 34 octets
    decoder.decode(newNameLiteral('b', '2')); // 68
    decoder.decode(newNameLiteral('c', '3')); // 102 > 100: "a" goes
    expect(decoder.tableSize).toBe(68);
    expect(dynamicTable(decoder, 2)).toEqual([['c', '3'], ['b', '2']]);
  });

  it('after SETTINGS lowers the limit the table shrinks at once, and the next block must open with an update', () => {
    const decoder = new HpackDecoder();
    decoder.decode(bytes(C3_BLOCKS[0]));
    decoder.setMaxTableSize(0);
    expect(decoder.tableSize).toBe(0);
    expect(decoder.decode(bytes('82'))).toBeNull();
  });

  it('the update owed after SETTINGS lowered the limit may not exceed it', () => {
    const lowered = () => {
      const decoder = new HpackDecoder();
      decoder.setMaxTableSize(100);
      return decoder;
    };
    expect(lowered().decode(Uint8Array.from([...integer(100, 5, 0x20), 0x82]))).toHaveLength(2);
    expect(lowered().decode(Uint8Array.from([...integer(101, 5, 0x20), 0x82]))).toBeNull();
  });

  it('after SETTINGS raises the limit no update is owed, and one up to the new limit is accepted', () => {
    const decoder = new HpackDecoder();
    decoder.setMaxTableSize(8192);
    expect(headerList(decoder.decode(bytes('82'))!)).toEqual([[':method', 'GET']]);
    expect(decoder.decode(Uint8Array.from(integer(8192, 5, 0x20)))).toEqual([{ sizeUpdate: 8192, offset: 0, length: 3 }]);
  });
});

describe('malformed blocks', () => {
  it.each([
    { what: 'index 0', block: bytes('80') },
    { what: 'an index past the static table, the dynamic one being empty', block: bytes('be') },
    { what: 'an Indexed Name past the table', block: bytes('7f 00 01 61') },
    { what: 'an integer the block ends inside', block: bytes('ff') },
    { what: 'an index over 2^32 - 1', block: bytes('ff 81 ff ff ff 0f') },
    { what: 'a string the block ends inside', block: bytes('40 0a 6375 7374') },
    { what: 'a string longer than nghttp2 accepts (65536 octets)', block: Uint8Array.from([0x00, ...integer(65537, 7), ...new Uint8Array(65537), 0x00]) },
    { what: 'a Huffman string holding EOS', block: bytes('00 01 61 85 ffff ffff fc') },
    { what: 'Huffman padding of 8 bits', block: bytes('00 01 61 81 ff') },
    { what: 'Huffman padding that is not all ones', block: bytes('00 01 61 81 00') },
    { what: 'a size update above the SETTINGS limit', block: Uint8Array.from(integer(4097, 5, 0x20)) },
    { what: 'a size update after a field (RFC 7541 4.2)', block: bytes('82 20') },
  ])('$what is malformed, and so is every block after it', ({ block }) => {
    const decoder = new HpackDecoder();
    expect(decoder.decode(block)).toBeNull();
    expect(decoder.decode(bytes('82'))).toBeNull();
  });

  it('a string of exactly 65536 octets is accepted', () => {
    const block = Uint8Array.from([0x00, ...integer(65536, 7), ...new Uint8Array(65536).fill(0x61), 0x00]);
    const [field] = new HpackDecoder().decode(block)! as HpackField[];
    expect(field.name.length).toBe(65536);
  });
});

describe('huffmanDecode (RFC 7541 Appendix B)', () => {
  it.each([
    ['f1e3 c2e5 f23a 6ba0 ab90 f4ff', 'www.example.com'],
    ['a8eb 1064 9cbf', 'no-cache'],
    ['25a8 49e9 5ba9 7d7f', 'custom-key'],
    ['25a8 49e9 5bb8 e8b4 bf', 'custom-value'],
    ['6402', '302'],
    ['640e ff', '307'],
    ['aec3 771a 4b', 'private'],
    ['d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff', DATE_21],
    ['9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3', LOCATION],
    ['9bd9 ab', 'gzip'],
    ['94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07', COOKIE],
  ])('%s is "%s" (RFC 7541 C.4, C.6)', (hex, expected) => {
    expect(text(huffmanDecode(bytes(hex))!)).toBe(expected);
  });

  it('decodes the longest codes: LF is 30 bits, 0xff is 26', () => {
    expect(huffmanDecode(bytes('ffff fff3'))).toEqual(bytes('0a'));
    expect(huffmanDecode(bytes('ffff fbbf'))).toEqual(bytes('ff'));
  });

  it('decodes the empty string', () => {
    expect(huffmanDecode(new Uint8Array(0))).toEqual(new Uint8Array(0));
  });

  it('accepts padding of up to 7 bits, all ones', () => {
    expect(text(huffmanDecode(bytes('1f'))!)).toBe('a'); // 00011 + 111
    expect(text(huffmanDecode(bytes('1ff9'))!)).toBe('a?'); // 00011 + 1111111100 (?) + 1
  });

  it('rejects padding of 8 bits or more', () => {
    expect(huffmanDecode(bytes('ff'))).toBeNull();
    expect(huffmanDecode(bytes('1fff'))).toBeNull();
  });

  it('rejects padding that is not all ones', () => {
    expect(huffmanDecode(bytes('00'))).toBeNull(); // "0" + 000
    expect(huffmanDecode(bytes('1e'))).toBeNull(); // "a" + 110
  });

  it('rejects EOS, even followed by valid codes', () => {
    expect(huffmanDecode(bytes('ffff ffff fc'))).toBeNull(); // EOS + "?"
  });
});

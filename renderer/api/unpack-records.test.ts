// The web transport packs long lists of records (app/server/pack-records.ts) and the page
// unpacks them: what the page gets must equal what JSON of the records would have given it,
// on the session's real answers for a real capture, and lists JSON would not carry exactly are
// left alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packRecords, PACK_MIN_RECORDS } from '../../app/server/pack-records.js';
import { Session } from '../../app/session/session.js';
import { corpusPath } from '../../test/helpers/corpus.js';
import { tsharkCorpusFields } from '../../test/helpers/corpus-fields.js';
import { unpackRecords } from './unpack-records.js';

/** What the page would get from the records sent as JSON. */
const viaJson = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;
/** What the page gets from the records sent packed (also through JSON). */
const viaPacking = (v: unknown) => unpackRecords(viaJson(packRecords(v)) as NonNullable<ReturnType<typeof packRecords>>);

describe('packed lists of a real capture', () => {
  // 126 TCP connections (as many as tshark's tcp.stream numbers: checked below).
  const FILE = 'pcapplusplus/many-protocols.pcap';
  let session: Session;

  beforeAll(async () => {
    session = new Session({ indexInProcess: true });
    await session.handle('file.open', { path: corpusPath(FILE) });
    await session.whenAnalyzed();
  });
  afterAll(() => session.dispose());

  it('tcp.connections: the same rows, in less than half the text', async () => {
    const rows = await session.handle('tcp.connections', {});
    const tsharkStreams = new Set(tsharkCorpusFields(corpusPath(FILE), ['tcp.stream']).rows.flatMap((r) => r[0]!.split(',')).filter((s) => s !== ''));
    expect(rows.length).toBe(tsharkStreams.size);
    expect(rows.length).toBeGreaterThanOrEqual(PACK_MIN_RECORDS);
    expect(viaPacking(rows)).toEqual(viaJson(rows));
    // Rows without a handshake RTT or a closer have no such key after unpacking either.
    const unpacked = viaPacking(rows);
    rows.forEach((r, i) => expect(Object.keys(unpacked[i]!).sort()).toEqual(Object.keys(viaJson(r) as object).sort()));
    const packedText = JSON.stringify(packRecords(rows)).length, jsonText = JSON.stringify(rows).length;
    console.log(`tcp.connections of ${FILE}: ${rows.length} rows, ${jsonText} bytes as JSON records, ${packedText} packed`);
    expect(packedText).toBeLessThan(jsonText / 2);
  });

  it('the conversation tables and the first rows of the packet list', async () => {
    for (const proto of ['TCP', 'UDP'] as const) {
      const rows = await session.handle('stats.conversations', { proto });
      expect(viaPacking(rows)).toEqual(viaJson(rows));
    }
    const packets = await session.handle('packets.rows', { start: 0, end: 200 });
    expect(packets.length).toBe(200);
    // TCP rows have a tcp.stream, the others no such key.
    expect(packets.some((r) => r.tcpStream === undefined) && packets.some((r) => r.tcpStream !== undefined)).toBe(true);
    expect(viaPacking(packets)).toEqual(viaJson(packets));
  });
});

describe('what is not packed', () => {
  const many = (make: (i: number) => unknown) => Array.from({ length: PACK_MIN_RECORDS }, (_, i) => make(i));

  it('short lists, and values that are no list of records', () => {
    expect(packRecords(many((i) => ({ a: i })).slice(1))).toBeNull();
    expect(packRecords({ a: 1 })).toBeNull();
    expect(packRecords(many((i) => i))).toBeNull();
    expect(packRecords(many((i) => [i]))).toBeNull();
    expect(packRecords(many((i) => new Date(i)))).toBeNull();
  });

  it('records JSON would not carry as they are, or whose keys change kind', () => {
    expect(packRecords(many((i) => ({ a: i, nested: { b: i } })))).toBeNull();
    expect(packRecords(many((i) => ({ a: i === 7 ? null : i })))).toBeNull();
    expect(packRecords(many((i) => ({ a: i === 7 ? NaN : i })))).toBeNull();
    expect(packRecords(many((i) => ({ a: i === 7 ? Infinity : i })))).toBeNull();
    expect(packRecords(many((i) => ({ a: i === 7 ? '7' : i })))).toBeNull();
  });

  it('keys missing or undefined in some records stay missing', () => {
    const list = many((i) => ({ n: i, s: i % 3 === 0 ? 'three' : 'other', ...(i % 2 ? { odd: true } : {}), maybe: i % 5 ? undefined : i / 5 }));
    const packed = packRecords(list)!;
    expect(packed.strings).toEqual(['three', 'other']);
    expect(unpackRecords(viaJson(packed) as typeof packed)).toEqual(viaJson(list));
  });

  it('a packed list the page cannot read is an error, not wrong rows', () => {
    const packed = packRecords(many((i) => ({ a: i })))!;
    expect(() => unpackRecords({ ...packed, count: packed.count + 1 })).toThrow(/wrong length/);
    expect(() => unpackRecords({ ...packed, columns: 'x' as never })).toThrow(/cannot read/);
    const words = packRecords(many((i) => ({ w: i % 2 ? 'odd' : 'even' })))!;
    expect(() => unpackRecords({ ...words, strings: ['even'] })).toThrow(/strings it did not send/);
  });
});

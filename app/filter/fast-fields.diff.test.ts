// The filter's fast path against full dissection, on every packet of the corpus: wherever
// FastFieldSource.decode() accepts a packet, every covered field must have the same values, in
// the same order, as dissecting the packet in a full pass (TCP tracker attached, as the CLI
// does). And `synscope read -Y` must pick the same packets on the fast path as a full pass does
// (filterFile, which dissects every packet) for filters that use it.
import { describe, expect, it } from 'vitest';
import { CaptureState, dissect } from '../dissect/driver.js';
import { fieldById, fieldByName } from '../dissect/field.js';
import { fractionsValid } from '../dissect/protocols/frame.js';
import type { AbsTime, FieldValue } from '../dissect/tree.js';
import { openCaptureFile } from '../file/reader.js';
import { RecordSlot } from '../file/slot.js';
import { parseReadArgs } from '../cli/args.js';
import { runRead } from '../cli/read.js';
import { prepareCapture } from '../cli/source.js';
import { StringSink } from '../cli/sink.js';
import { corpusCaptures, corpusPath } from '../../test/helpers/corpus.js';
import { filterFile } from './apply.js';
import { compileDisplayFilter, fieldSourceFromDissection } from './compile.js';
import { FAST_FIELD_NAMES, FastFieldSource, fastPathCovers } from './fast-fields.js';
import { frameFromRecord } from './record-frame.js';

const COVERED_IDS = FAST_FIELD_NAMES.map((n) => fieldByName(n)!.id);

function show(v: FieldValue): string {
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  if (typeof v === 'object' && v !== null) return `${(v as AbsTime).sec}.${(v as AbsTime).nsec}`;
  return `${typeof v}:${String(v)}`;
}

interface FileResult {
  packets: number;
  fast: number;
  mismatches: string[];
}

/** Both sources for every packet of a file; differences as "frame N field: fast vs full". */
function compareFile(path: string): FileResult {
  const res: FileResult = { packets: 0, fast: 0, mismatches: [] };
  let reader;
  try {
    reader = openCaptureFile(path, { customBlocks: true, reuseRecord: true });
  } catch {
    return res; // not a capture file: nothing to compare
  }
  const capture = new CaptureState();
  prepareCapture(capture);
  const wanted = new Set(COVERED_IDS);
  const fast = new FastFieldSource();
  let first: AbsTime | undefined;
  let prev: AbsTime | undefined;
  try {
    for (let rec = reader.next(); rec !== null; rec = reader.next()) {
      res.packets++;
      const ts = { sec: rec.ts.sec, nsec: rec.ts.nsec };
      first ??= ts;
      const frame = frameFromRecord(rec, res.packets, first, prev, reader.info);
      const full = fieldSourceFromDissection(dissect(frame, capture, { tree: false, wanted }));
      Object.assign(fast, { number: res.packets, tsSec: ts.sec, tsNsec: ts.nsec, firstSec: first.sec, firstNsec: first.nsec, prevSec: prev?.sec ?? 0, prevNsec: prev?.nsec ?? 0, hasPrev: prev !== undefined });
      const slot = rec as RecordSlot;
      // The CLI takes the fast path only for a record with a time, all fractions valid (read-pass.ts).
      const timesOk = rec.tsAbsent !== true && fractionsValid(ts, first, prev);
      prev = ts;
      if (rec.pen !== undefined || !timesOk || !fast.decode(slot.buf, slot.start, rec.capLen, rec.origLen, rec.linkType)) continue;
      res.fast++;
      for (const id of COVERED_IDS) {
        const a = fast.values(id).map(show).join(' ');
        const b = full.values(id).map(show).join(' ');
        // Filters read bytes (ranges) of protocols only: `tcp contains`, `frame[0:4]`.
        const proto = fieldById(id).type === 'protocol';
        const ra = proto ? fast.ranges(id).map(show).join(' ') : '';
        const rb = proto ? full.ranges(id).map(show).join(' ') : '';
        if (a !== b || ra !== rb) res.mismatches.push(`frame ${res.packets} ${FAST_FIELD_NAMES[COVERED_IDS.indexOf(id)]}: fast [${a}|${ra}] full [${b}|${rb}]`);
      }
    }
  } catch {
    // a damaged file: the packets before the damage were compared
  } finally {
    reader.close();
  }
  return res;
}

describe('fast field extraction equals full dissection', () => {
  const files = corpusCaptures();
  const totals = { packets: 0, fast: 0 };
  it.each(files)('%s', (file) => {
    const r = compareFile(corpusPath(file));
    totals.packets += r.packets;
    totals.fast += r.fast;
    expect(r.mismatches.slice(0, 10)).toEqual([]);
  });
  it('takes the fast path for most of the corpus packets', () => {
    // Refusing everything would pass the comparison above: make sure it is really used.
    expect(totals.fast).toBeGreaterThan(totals.packets * 0.5);
  });
});

/** Frame numbers `synscope read FILE -Y FILTER -T fields -e frame.number` prints, in-process. */
async function readNumbers(file: string, filter: string): Promise<number[]> {
  const out = new StringSink();
  await runRead(parseReadArgs([file, '-Y', filter, '-T', 'fields', '-e', 'frame.number']), out, new StringSink());
  return out.text().split('\n').filter(Boolean).map(Number);
}

const FAST_FILTERS = [
  'ip.addr == 10.0.0.0/8', 'tcp.port == 80', 'tcp.flags.syn == 1 && tcp.flags.ack == 0', 'udp.port == 53 || icmp',
  'tcp.payload contains "HTTP"', 'frame.len > 100 && !tcp', 'ipv6.addr == fe80::/10 || arp.opcode == 2', 'vlan.id > 0',
  'ip.ttl < 64 and ip.proto == 17', 'eth.dst[0] & 1', 'udp contains 00:00', 'tcp.len > 0 && tcp.window_size_value < 1000',
  'ip.version == 6', 'ip.flags.df == 0', 'frame.time_delta > 0.5',
];

describe('read -Y on the fast path picks what a full pass picks', () => {
  it('every filter here uses the fast path', () => {
    for (const f of FAST_FILTERS) {
      const c = compileDisplayFilter(f);
      expect(c.ok && fastPathCovers(c.filter.fields)).toBe(true);
    }
  });
  // Every capture the reader reads to the end (damaged files are in the comparison above).
  const files = corpusCaptures().filter((f) => {
    try {
      const r = openCaptureFile(corpusPath(f), { customBlocks: true, reuseRecord: true });
      while (r.next() !== null);
      r.close();
      return true;
    } catch {
      return false;
    }
  });
  it.each(files)('%s', async (file) => {
    for (const f of FAST_FILTERS) {
      const c = compileDisplayFilter(f);
      if (!c.ok) throw new Error(c.error.message);
      expect([f, await readNumbers(corpusPath(file), f)]).toEqual([f, filterFile(corpusPath(file), c.filter)]);
    }
  });
});

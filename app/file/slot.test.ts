// RecordSlot: `buf`/`start` (what the read loop's filters read, with no subarray per packet) say
// where `data` is for every record, including those the reader copies into the slot (SPBs and
// Custom Blocks): an SPB after an EPB was filtered on the EPB's bytes while they lagged behind.
import { describe, expect, it } from 'vitest';
import { corpusCaptures, corpusPath } from '../../test/helpers/corpus.js';
import { openCaptureFile } from './reader.js';
import { RecordSlot } from './slot.js';
import { CaptureFileError } from './types.js';

describe('buf/start and data agree on every record of the corpus', () => {
  for (const rel of corpusCaptures()) {
    it(rel, () => {
      let src;
      try {
        src = openCaptureFile(corpusPath(rel), { customBlocks: true, reuseRecord: true });
      } catch {
        return; // not a capture we read
      }
      try {
        for (let rec = src.next(); rec; rec = src.next()) {
          const slot = rec as RecordSlot;
          const fromBuf = Buffer.from(slot.buf.subarray(slot.start, slot.start + slot.capLen));
          expect(fromBuf.equals(Buffer.from(slot.data)), `record ${slot.index + 1} (block type ${slot.blockType})`).toBe(true);
          expect(Buffer.from(slot.bytes()).equals(fromBuf)).toBe(true);
        }
      } catch (e) {
        if (!(e instanceof CaptureFileError)) throw e;
      } finally {
        src.close();
      }
    });
  }
});

it('an SPB after an EPB: the slot points at the SPB', () => {
  const slot = new RecordSlot();
  const chunk = Uint8Array.of(1, 2, 3, 4, 5, 6);
  slot.at(chunk, 2); // an EPB's data in the reader's chunk
  slot.capLen = 3;
  expect([...slot.data]).toEqual([3, 4, 5]);
  slot.data = Uint8Array.of(9, 8); // the reader copies an SPB in (PcapngReader.toSlot)
  slot.capLen = 2;
  expect([...slot.buf.subarray(slot.start, slot.start + slot.capLen)]).toEqual([9, 8]);
  expect([...slot.bytes()]).toEqual([9, 8]);
});

// Every record of every corpus capture, in order, for tests that build their own inputs from
// real packets. A damaged file gives the records before the damage.
import { openSource } from '../../app/cli/source.js';
import type { PacketRecord } from '../../app/file/types.js';
import { CaptureFileError } from '../../app/file/types.js';
import { corpusCaptures, corpusPath } from './corpus.js';

/**
 * (file, record) pairs, at most `perFile` per capture. The record and its bytes are valid only
 * until the next one is asked for: copy what you keep.
 */
export async function* corpusRecords(perFile = Infinity): AsyncGenerator<{ file: string; rec: PacketRecord }> {
  for (const file of corpusCaptures()) {
    let src;
    try {
      src = await openSource(corpusPath(file));
    } catch {
      continue;
    }
    try {
      for (let i = 0; i < perFile; i++) {
        let rec = src.next();
        if (rec instanceof Promise) rec = await rec;
        if (!rec) break;
        yield { file, rec };
      }
    } catch (e) {
      if (!(e instanceof CaptureFileError)) throw e;
    } finally {
      src.close();
    }
  }
}

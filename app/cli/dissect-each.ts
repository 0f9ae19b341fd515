// One pass over a capture file that dissects every packet in frame order, as tshark's taps see
// them: the -z statistics that read dissections (expert notes, protocol hierarchy, Follow UDP
// Stream) each run one. A damaged file gives the packets before the damage (onError hears of it).
import { CaptureState, dissect, type Dissection, type DissectOptions } from '../dissect/driver.js';
import { keyLogFor } from '../dissect/tls-keylog.js';
import type { AbsTime } from '../dissect/tree.js';
import type { PacketRecord } from '../file/types.js';
import { nextOrDamage, openCaptureFile } from '../file/reader.js';
import { frameFromRecord } from '../filter/record-frame.js';
import { keepsRecord } from '../filter/tcpdump/keeps-record.js';
import type { TcpdumpFilter } from '../filter/tcpdump/compile.js';
import { READ_PASS } from './open-capture.js';
import { prepareCapture } from './source.js';

export interface DissectEachOptions {
  /** Where a damaged file's error goes (nextOrDamage: thrown without it). */
  onError?: (e: unknown) => void;
  /** read's -c: the first `count` packets only. */
  count?: number;
  /** read's -f: only the records it keeps (numbered as if the capture had been taken with it). */
  capture?: TcpdumpFilter;
  /** read's -o tls.keylog_file (the capture's own secrets are used too). */
  tlsKeylogFile?: string;
}

/** Calls `each` with every packet's dissection and its record, in frame order. */
export function dissectEach(file: string, opts: DissectOptions, o: DissectEachOptions, each: (d: Dissection, rec: PacketRecord) => void): void {
  const reader = openCaptureFile(file, READ_PASS);
  const capture = new CaptureState({ revisits: false, keyLog: keyLogFor(o.tlsKeylogFile, () => reader.info.decryptionSecrets) });
  prepareCapture(capture);
  let n = 0;
  let firstTs: AbsTime | undefined;
  let prevTs: AbsTime | undefined;
  try {
    for (;;) {
      if (o.count !== undefined && n >= o.count) break;
      const rec = nextOrDamage(reader, o.onError);
      if (rec === null) break;
      if (o.capture && !keepsRecord(o.capture, rec)) continue;
      n++;
      firstTs ??= { sec: rec.ts.sec, nsec: rec.ts.nsec };
      const d = dissect(frameFromRecord(rec, n, firstTs, prevTs, reader.info), capture, opts);
      prevTs = { sec: rec.ts.sec, nsec: rec.ts.nsec };
      each(d, rec);
    }
  } finally {
    reader.close();
  }
}

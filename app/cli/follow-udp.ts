// `read -z follow,udp,MODE,N`: one pass over the file feeding the UDP follower
// (app/stats/udp-follower.ts); the records are printed by the same printer as Follow TCP Stream
// (stats-taps.ts's writeFollow).
import { CaptureState, dissect, type DissectOptions } from '../dissect/driver.js';
import type { AbsTime } from '../dissect/tree.js';
import { nextOrDamage, openCaptureFile } from '../file/reader.js';
import { frameFromRecord } from '../filter/record-frame.js';
import type { FollowedStream } from '../session/contract.js';
import { udpFollowFieldIds, UdpFollower } from '../stats/udp-follower.js';
import { READ_PASS } from './open-capture.js';
import { prepareCapture } from './source.js';

/** The followed UDP streams by number (absent: no datagram of that stream). */
export function followUdpStreams(file: string, streams: ReadonlySet<number>, onError: (e: unknown) => void): Map<number, FollowedStream> {
  const opts: DissectOptions = { tree: false, wanted: udpFollowFieldIds() };
  const follower = new UdpFollower(streams);
  const reader = openCaptureFile(file, READ_PASS);
  const capture = new CaptureState({ revisits: false });
  prepareCapture(capture);
  let n = 0;
  let firstTs: AbsTime | undefined;
  let prevTs: AbsTime | undefined;
  try {
    for (;;) {
      const rec = nextOrDamage(reader, onError);
      if (rec === null) break;
      n++;
      firstTs ??= { sec: rec.ts.sec, nsec: rec.ts.nsec };
      follower.push(dissect(frameFromRecord(rec, n, firstTs, prevTs, reader.info), capture, opts), n);
      prevTs = { sec: rec.ts.sec, nsec: rec.ts.nsec };
    }
  } finally {
    reader.close();
  }
  return follower.streams;
}

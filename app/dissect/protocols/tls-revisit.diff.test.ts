// TLS in a pass that keeps per-frame answers for later dissections (the desktop's session):
// a frame that carries the end of a reassembled handshake and records of its own calls TLS
// twice, and its second call is no revisit. tls1.2.pcap's frame 8 ends the Certificate and
// holds the Server Hello Done: once that was lost, frame 11's Change Cipher Spec got a
// "Session resumption" note tshark does not give.
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../../test/helpers/corpus.js';
import { tsharkFields } from '../../../test/helpers/tshark.js';
import { prepareCapture } from '../../cli/source.js';
import { openCaptureFile } from '../../file/reader.js';
import { frameFromRecord } from '../../filter/record-frame.js';
import { CaptureState, dissect, type FrameInput } from '../driver.js';

function framesOf(path: string): FrameInput[] {
  const reader = openCaptureFile(path);
  const frames: FrameInput[] = [];
  try {
    let prev;
    for (let rec = reader.next(), n = 1; rec; rec = reader.next(), n++) {
      // A record's bytes are valid until the next one is read: each frame keeps a copy.
      frames.push({ ...frameFromRecord(rec, n, frames[0]?.ts ?? rec.ts, prev, reader.info), data: rec.data.slice() });
      prev = { ...rec.ts };
    }
  } finally {
    reader.close();
  }
  return frames;
}

describe('TLS notes with revisits', () => {
  for (const rel of ['zeek/tls/tls1.2.pcap', 'zeek/tls/imap-starttls.pcap', 'pcapplusplus/many-protocols.pcap']) {
    it(`are tshark's, on the first pass and on a second dissection: ${rel}`, () => {
      const path = corpusPath(rel);
      const frames = framesOf(path);
      const theirs = tsharkFields(path, ['_ws.expert.message']).rows.map((row) => (row[0] ?? '').split(',').filter((m) => m.includes('Session resumption')).length);
      const capture = new CaptureState({ revisits: true });
      prepareCapture(capture);
      const resumption = (f: FrameInput) => dissect(f, capture, { tree: true }).expert.filter((e) => e.message.includes('Session resumption')).length;
      const first = frames.map(resumption);
      expect(first).toEqual(theirs);
      // Again, frame by frame, after the pass (the detail pane of any packet).
      expect(frames.map(resumption)).toEqual(theirs);
    });
  }
});

// A session over a file keeps where a reassembled PDU's bytes lie, not the bytes: when the frame
// that completed it is shown again, TCP reads them again from the frames (CaptureState.frameBytes).
// The PDU it rebuilds must be the one tshark reassembled, and its tree the one shown when the
// bytes were kept.
import { describe, expect, it } from 'vitest';
import { CaptureState, dissect, type FrameInput } from './driver.js';
import { piecesFrom } from './pdu-pieces.js';
import { PacketObserver } from '../tcp/report.js';
import type { FieldNode } from './tree.js';
import { corpusPath } from '../../test/helpers/corpus.js';
import { readCapture } from '../../test/helpers/mini-reader.js';
import { dissectionText } from '../../test/helpers/revisit.js';
import { tsharkFields } from '../../test/helpers/tshark.js';

describe('piecesFrom', () => {
  it('drops the bytes before the offset, cutting the piece it falls in', () => {
    const pieces = [{ frame: 4, at: 54, length: 100 }, { frame: 6, at: 66, length: 200 }, { frame: 9, at: 66, length: 10 }];
    expect(piecesFrom(pieces, 0)).toEqual(pieces);
    expect(piecesFrom(pieces, 100)).toEqual(pieces.slice(1));
    expect(piecesFrom(pieces, 150)).toEqual([{ frame: 6, at: 116, length: 150 }, { frame: 9, at: 66, length: 10 }]);
    expect(piecesFrom(pieces, 310)).toEqual([]);
  });
});

/** A capture state with the TCP tracker, as a session's (retransmissions decide what is reassembled). */
function tracked(): CaptureState {
  const capture = new CaptureState();
  new PacketObserver().attach(capture);
  return capture;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** The file's frames, and a capture state that reads them again as a session reads its file, counting the reads. */
function openAsSession(rel: string): { frames: FrameInput[]; capture: CaptureState; reads: number[] } {
  const frames = readCapture(corpusPath(rel))!.map((p): FrameInput => ({
    number: p.number, ts: { sec: p.sec, nsec: p.nsec }, capLen: p.capLen, origLen: p.origLen, linkType: p.linkType, data: p.data,
  }));
  const capture = tracked();
  const reads: number[] = [];
  capture.frameBytes = (n) => {
    reads.push(n);
    return frames[n - 1]?.data.slice() ?? null;
  };
  return { frames, capture, reads };
}

function find(nodes: readonly FieldNode[], name: string): FieldNode | undefined {
  for (const n of nodes) {
    const hit = n.field.name === name ? n : find(n.children ?? [], name);
    if (hit) return hit;
  }
  return undefined;
}

const text = (f: FrameInput, capture: CaptureState) => {
  const d = dissect(f, capture, { tree: true });
  const data = find(d.roots, 'tcp.reassembled.data')?.value;
  return { text: dissectionText(d), data: data instanceof Uint8Array ? hex(data) : '' };
};

// Files whose TCP PDUs span three segments or more (tshark: tcp.segment.count > 2); tls.pcap and
// tls1.2.pcap have records that start in the segment completing the one before.
describe.each([
  'pcapplusplus/many-protocols.pcap', 'pcapplusplus/one_tcp_stream_max_seq.pcap', 'zeek/http/pipelined-requests.pcap', 'pcapplusplus/tls.pcap',
  'zeek/tls/tls1.2.pcap', 'zeek/tls/imap-starttls.pcap', 'pcapplusplus/raw_ip.pcap', 'zeek/vlan-qinqinq.pcap', 'gopacket/test_loopback.pcap',
])('%s, shown again after the first pass', (rel) => {
  it('rebuilds each reassembled PDU from its frames: tshark\'s tcp.reassembled.data, and the tree of a pass that kept the bytes', () => {
    const { frames, capture, reads } = openAsSession(rel);
    const kept = tracked();
    for (const f of frames) {
      dissect(f, capture, { tree: true });
      dissect(f, kept, { tree: true });
    }
    expect(reads).toEqual([]);
    const theirs = tsharkFields(corpusPath(rel), ['frame.number', 'tcp.reassembled.data'], ['-Y', 'tcp.reassembled.data']).rows;
    expect(theirs.length).toBeGreaterThan(0);
    for (const [no, data] of theirs) {
      const n = Number(no);
      reads.length = 0;
      const again = text(frames[n - 1]!, capture);
      expect(again.data, `frame ${n}`).toBe(data!.split(',').at(-1));
      expect(again.text, `frame ${n}`).toBe(text(frames[n - 1]!, kept).text);
      // Read from the frames, none after this one.
      expect(reads.length, `frame ${n}`).toBeGreaterThan(0);
      expect(Math.max(...reads), `frame ${n}`).toBeLessThanOrEqual(n);
    }
  });
});

it('says on the packet when a frame of its PDU can no longer be read', () => {
  const rel = 'pcapplusplus/one_tcp_stream_max_seq.pcap';
  const { frames, capture } = openAsSession(rel);
  for (const f of frames) dissect(f, capture, { tree: true });
  const n = Number(tsharkFields(corpusPath(rel), ['frame.number'], ['-Y', 'tcp.reassembled.data']).rows[0]![0]);
  capture.frameBytes = (k) => (k === n ? frames[k - 1]!.data : null);
  const d = dissect(frames[n - 1]!, capture, { tree: true });
  expect(d.malformed).toBe(true);
  expect(d.expert.map((e) => e.detail)).toContainEqual(expect.stringMatching(/^frame \d+ can no longer be read from the file for the PDU it carries$/));
});

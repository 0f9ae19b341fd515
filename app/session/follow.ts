// Follow TCP Stream, record for record as tshark 4.0 builds it (packet-tcp.c's
// follow_tcp_tap_listener and check_follow_fragments). Each direction is put in sequence
// order: a segment ahead of the next expected byte waits until the gap is filled, the part of a
// segment already shown is cut off, and a fully seen retransmission adds nothing. Every
// accepted (part of a) segment is one record — tshark's `-z follow,tcp,raw` prints one hex line
// per record and does not merge neighbours from the same side. When the peer acknowledges bytes
// that never appeared in the capture, tshark inserts a text record "[N bytes missing in capture
// file]" (with its terminating NUL) and carries on; so does this.
import { formatAddr } from '../tcp/address-table.js';
import { gtSeq, ltSeq, u32 } from '../tcp/seq.js';

/** What one TCP header of the followed stream tells the follower. */
export interface FollowSegment {
  frame: number;
  netSrc: Uint8Array;
  srcPort: number;
  netDst: Uint8Array;
  dstPort: number;
  /** Relative sequence and acknowledgement numbers, as tshark's tap gets them. */
  seq: number;
  ack: number;
  flags: number;
  /** tcp.len: the reported payload length, which moves the sequence number. */
  len: number;
  /** The payload bytes captured (fewer than len when the snaplen cut them). */
  payload: Uint8Array;
}

export interface FollowRecord {
  from: 'client' | 'server';
  frame: number;
  bytes: Uint8Array;
}

const TH_SYN = 0x02;
const CLIENT = 0, SERVER = 1;

interface Pending { side: number; frame: number; seq: number; data: Uint8Array }

export class TcpFollower {
  /** Node 0 of tshark's output: the sender of the first segment, whatever its flags. */
  client: { addr: string; port: number } | null = null;
  server: { addr: string; port: number } | null = null;
  readonly records: FollowRecord[] = [];
  /** Next expected relative sequence number per side (0 = not yet known, as in tshark). */
  private readonly nextSeq = [0, 0];
  private readonly bytesWritten = [0, 0];
  /** Segments that arrived ahead of a gap, in arrival order. */
  private readonly fragments: Pending[][] = [[], []];

  push(s: FollowSegment): void {
    let sequence = s.flags & TH_SYN ? u32(s.seq + 1) : s.seq;
    const src = formatAddr(s.netSrc);
    if (!this.client) {
      this.client = { addr: src, port: s.srcPort };
      this.server = { addr: formatAddr(s.netDst), port: s.dstPort };
    }
    const side = src === this.client.addr && s.srcPort === this.client.port ? CLIENT : SERVER;
    // This segment's ACK may cover bytes of the other side that the capture missed (bug 592).
    while (this.fragments[1 - side]!.length > 0 && this.applyFragment(1 - side, s.ack, s.frame, true));

    if (this.bytesWritten[side] === 0 && this.nextSeq[side] === 0) this.nextSeq[side] = sequence;
    const expected = this.nextSeq[side]!;
    let length = s.len;
    let offset = 0;
    let dataLength = s.payload.length;
    if (ltSeq(sequence, expected)) {
      // Starts before the next expected byte: keep only what extends the stream.
      const nextseq = u32(sequence + length);
      if (gtSeq(nextseq, expected)) {
        offset = u32(expected - sequence);
        dataLength = dataLength <= offset ? 0 : dataLength - offset;
        sequence = expected;
        length = u32(nextseq - expected);
      }
    }
    if (dataLength === 0 || ltSeq(sequence, expected)) return;
    const rec: Pending = { side, frame: s.frame, seq: sequence, data: s.payload.subarray(offset, offset + dataLength) };
    if (sequence === expected) {
      this.nextSeq[side] = u32(expected + length);
      this.bytesWritten[side] += dataLength;
      this.emit(rec);
      while (this.applyFragment(side, 0, s.frame, false));
    } else {
      this.fragments[side]!.push(rec);
    }
  }

  private emit(r: Pending): void {
    this.records.push({ from: r.side === CLIENT ? 'client' : 'server', frame: r.frame, bytes: r.data });
  }

  /** check_follow_fragments: applies one waiting segment (or a missing-bytes marker); false when none fits. */
  private applyFragment(side: number, acknowledged: number, frame: number, useAck: boolean): boolean {
    const frags = this.fragments[side]!;
    if (frags.length === 0) return false;
    let lowest = frags[0]!.seq;
    for (let i = 0; i < frags.length; i++) {
      const f = frags[i]!;
      const expected = this.nextSeq[side]!;
      if (gtSeq(lowest, f.seq)) lowest = f.seq;
      if (ltSeq(f.seq, expected)) {
        // Partly seen meanwhile: the unseen tail (if any) becomes a record; the rest is dropped.
        const newseq = u32(f.seq + f.data.length);
        if (gtSeq(newseq, expected)) {
          const newPos = u32(expected - f.seq);
          if (f.data.length > newPos) this.emit({ ...f, data: f.data.subarray(newPos) });
          this.nextSeq[side] = u32(expected + f.data.length - newPos);
        }
        frags.splice(i, 1);
        return true;
      }
      if (f.seq === expected) {
        this.emit(f);
        this.nextSeq[side] = u32(expected + f.data.length);
        frags.splice(i, 1);
        return true;
      }
    }
    if (useAck && gtSeq(acknowledged, lowest)) {
      // tshark prints the count with %d of the 32-bit difference, and keeps the C string's NUL.
      const text = `[${(lowest - this.nextSeq[side]!) | 0} bytes missing in capture file]\0`;
      this.emit({ side, frame, seq: lowest, data: new Uint8Array(Buffer.from(text, 'latin1')) });
      this.nextSeq[side] = lowest;
      return true;
    }
    return false;
  }
}

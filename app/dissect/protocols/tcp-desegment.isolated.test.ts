// TCP's desegmentation contract, seen by a toy protocol on port 7777. Registering it changes the
// engine's global tables (the port table, the field registry), so this file runs in the
// `isolated` vitest project, on modules of its own: in a worker shared with other test files, the
// toy's `toytcp` field reached the field lists asked of tshark, which then printed nothing.
import { describe, expect, it } from 'vitest';
import { defineProtocol, register } from '../dispatch.js';
import { canDesegment, DESEGMENT_ONE_MORE_SEGMENT, fencedInfo, requestDesegment } from '../desegment.js';
import { CaptureState } from '../packet.js';
import { hex } from '../../../test/helpers/payload.js';
import { runTcp } from '../../../test/helpers/tcp-segment.js';

describe('tcp desegmentation contract', () => {
  // A toy length-prefixed protocol on port 7777: 1-byte length, then that many bytes.
  const seenPdus: string[] = [];
  const toy = defineProtocol('toytcp', 'Toy', (tvb, ctx, node) => {
    ctx.protocol = 'TOY';
    let o = 0;
    const infos: string[] = [];
    while (o < tvb.reportedLength) {
      const len = tvb.u8(o);
      if (o + 1 + len > tvb.reportedLength && canDesegment(ctx)) {
        requestDesegment(ctx, o, o + 1 + len - tvb.reportedLength);
        break;
      }
      seenPdus.push(tvb.ascii(o + 1, len));
      infos.push(`PDU ${len}`);
      ctx.add(node, toyField, tvb, o, 1, len);
      o += 1 + len;
    }
    // After a PDU TCP reassembled in the same segment, this call's PDUs join its list.
    const fenced = fencedInfo(ctx);
    const mine = infos.join(', ');
    ctx.info = fenced && mine ? `${fenced}, ${mine}` : fenced || mine || 'partial';
  });
  const toyField = toy.field;
  register('tcp.port', 7777, toy);

  const seg = (seq: number, payload: string) => {
    const h = hex(`c3501e61${seq.toString(16).padStart(8, '0')}0000000150180100abcd0000`);
    const p = new TextEncoder().encode(payload);
    const out = new Uint8Array(h.length + p.length);
    out.set(h);
    out.set(p, h.length);
    return out;
  };

  it('collects segments and dissects the PDU on the completing one', () => {
    seenPdus.length = 0;
    const capture = new CaptureState();
    const a = runTcp(seg(100, '\x0aabc'), { capture, number: 1 });
    expect(a.ctx.protocol).toBe('TCP');
    expect(a.ctx.info).toBe('partial [TCP segment of a reassembled PDU]');
    expect(a.ctx.layers).not.toContain('toytcp');
    const b = runTcp(seg(104, 'defg'), { capture, number: 2 });
    expect(b.ctx.info).toBe('50000 → 7777 [PSH, ACK] Seq=104 Ack=1 Win=256 Len=4 [TCP segment of a reassembled PDU]');
    expect(b.field('tcp.segment_data')).toBe('64656667');
    const c = runTcp(seg(108, 'hij\x02kl'), { capture, number: 3 });
    expect(c.ctx.protocol).toBe('TOY');
    expect(c.ctx.info).toBe('PDU 10, PDU 2');
    expect(seenPdus).toEqual(['abcdefghij', 'kl']);
    expect(c.field('tcp.segment')).toBe('1,2,3');
    // The PDU alone (its length was known); the PDU after it in the segment is a call (a layer)
    // of its own, as tshark's another_pdu_follows.
    expect(c.field('tcp.reassembled.length')).toBe('11');
    expect(c.ctx.layers.filter((l) => l === 'toytcp')).toHaveLength(2);
    // Re-dissection (random access) shows the same without changing the state.
    const b2 = runTcp(seg(104, 'defg'), { capture, number: 2 });
    expect(b2.ctx.info).toBe(b.ctx.info);
    const a2 = runTcp(seg(100, '\x0aabc'), { capture, number: 1 });
    expect(a2.ctx.info).toBe('partial [TCP segment of a reassembled PDU]');
    const c2 = runTcp(seg(108, 'hij\x02kl'), { capture, number: 3 });
    expect(c2.ctx.info).toBe('PDU 10, PDU 2');
  });

  it('keeps complete PDUs and starts a new one at a later offset; one-more-segment works', () => {
    seenPdus.length = 0;
    const capture = new CaptureState();
    const a = runTcp(seg(1, '\x01x\x05ab'), { capture, number: 1 });
    expect(a.ctx.protocol).toBe('TOY');
    expect(a.ctx.info).toBe('PDU 1');
    const b = runTcp(seg(6, 'cde'), { capture, number: 2 });
    expect(b.ctx.info).toBe('PDU 5');
    expect(seenPdus).toEqual(['x', 'abcde']);
    expect(DESEGMENT_ONE_MORE_SEGMENT).toBe(0x0fffffff);
  });
});

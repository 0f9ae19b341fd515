import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import type { PacketRecord } from '../file/types.js';
import { corpusPath } from '../../test/helpers/corpus.js';
import { readCapture, type MiniPacket } from '../../test/helpers/mini-reader.js';
import { indexRecords, PacketIndex } from './packet-index.js';

function record(i: number, fileOffset: number): PacketRecord {
  return { index: i, fileOffset, interfaceId: i % 3, linkType: 1, ts: { sec: 1_700_000_000 + i, nsec: i * 7 }, capLen: 60 + i, origLen: 1500, data: new Uint8Array(0), blockType: 0 };
}

describe('PacketIndex', () => {
  it('keeps every row exactly, including offsets beyond 4 GiB and seconds beyond 2106', () => {
    const idx = new PacketIndex();
    const big = 6 * 2 ** 30 + 12345; // 6 GiB: must not wrap at 32 bits
    for (let i = 0; i < 5000; i++) idx.push(record(i, big + i * 100));
    idx.push({ ...record(5000, 2 ** 40), ts: { sec: 4_398_046_511, nsec: 999_999_999 } });
    expect(idx.count).toBe(5001);
    expect(idx.entry(0)).toEqual({ number: 1, fileOffset: big, ts: { sec: 1_700_000_000, nsec: 0 }, capLen: 60, origLen: 1500, interfaceId: 0 });
    expect(idx.entry(4999).fileOffset).toBe(big + 4999 * 100);
    expect(idx.entry(5000).fileOffset).toBe(2 ** 40);
    expect(idx.entry(5000).ts).toEqual({ sec: 4_398_046_511, nsec: 999_999_999 });
    expect(() => idx.entry(5001)).toThrow(RangeError);
  });

  it('costs about 30 bytes per packet once trimmed', () => {
    const idx = new PacketIndex();
    for (let i = 0; i < 100_000; i++) idx.push(record(i, i * 64));
    idx.trim();
    expect(idx.byteSize() / idx.count).toBe(30);
  });

  it('indexes a real capture with the packet count capinfos reports', () => {
    const file = corpusPath('zeek/tcp/timestamp.pcap');
    const capinfos = execFileSync('capinfos', ['-c', '-M', '-T', file], { encoding: 'utf8' });
    const expected = Number(capinfos.trim().split('\n').pop()!.split('\t')[1]);
    const packets = [...readCapture(file)!];
    let k = 0;
    const { index, error } = indexRecords({ next: () => (k < packets.length ? toRecord(packets[k]!, k++) : null) });
    expect(error).toBeNull();
    expect(index.count).toBe(expected);
  });

  it('reports a damaged tail instead of throwing, keeping the rows before it', () => {
    let k = 0;
    const { index, error } = indexRecords({ next: () => { if (k === 3) throw new Error('file truncated in the middle of packet 4 (offset 999)'); return record(k++, k * 10); } });
    expect(index.count).toBe(3);
    expect(error?.message).toContain('packet 4');
  });
});

// The test-only reader yields its own shape; map it to a PacketRecord for the index.
function toRecord(p: MiniPacket, i: number): PacketRecord {
  return { index: i, fileOffset: i, interfaceId: 0, linkType: p.linkType, ts: { sec: p.sec, nsec: p.nsec }, capLen: p.capLen, origLen: p.origLen, data: p.data, blockType: 0 };
}

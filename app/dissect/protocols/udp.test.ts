// Unit tests for the UDP dissector fed raw UDP datagrams. Expected strings are tshark 4.0.17's
// output for crafted packets (text2pcap, IPv4 total length 32 -> 12-byte IP payload) and for
// zeek/chksums/ip4-bad-chksum.pcap ("30000 → 13000 Len=4").
import { describe, expect, it } from 'vitest';
import { CaptureState } from '../packet.js';
import { hex, runPayload } from '../../../test/helpers/payload.js';
import { udpProtocol } from './udp.js';

const A = { src: '10.0.0.1', dst: '10.0.0.2', netSrc: Uint8Array.of(10, 0, 0, 1), netDst: Uint8Array.of(10, 0, 0, 2) };
const B = { src: '10.0.0.2', dst: '10.0.0.1', netSrc: Uint8Array.of(10, 0, 0, 2), netDst: Uint8Array.of(10, 0, 0, 1) };

const run = (h: string, o: { endpoints?: typeof A; capture?: CaptureState; number?: number; time?: number } = {}) =>
  runPayload(udpProtocol, hex(h), { transport: 'udp', endpoints: { ...(o.endpoints ?? A) }, capture: o.capture, number: o.number, time: o.time });

describe('udp', () => {
  it('decodes a datagram and hands the payload to data', () => {
    const r = run('753032c8000c1234 41424344');
    expect(r.ctx.info).toBe('30000 → 13000 Len=4');
    expect(r.field('udp.length')).toBe('12');
    expect(r.field('udp.checksum')).toBe('0x1234');
    expect(r.field('udp.checksum.status')).toBe('2');
    expect(r.field('udp.stream')).toBe('0');
    expect(r.field('udp.payload')).toBe('41424344');
    expect(r.field('udp.port')).toBe('30000,13000');
    expect(r.ctx.layers).toEqual(['udp', 'udp', 'data']);
  });
  it('stops on a length below 8', () => {
    const r = run('753032c800041234 41424344');
    expect(r.ctx.info).toBe('30000 → 13000 [BAD UDP LENGTH 4 < 8]');
    expect(r.field('udp.stream')).toBe('');
    expect(r.ctx.layers).toEqual(['udp', 'udp']);
  });
  it('uses the IP payload when the length is too big', () => {
    const r = run('753032c800201234 41424344');
    expect(r.ctx.info).toBe('30000 → 13000 [BAD UDP LENGTH 32 > IP PAYLOAD LENGTH] Len=24');
    expect(r.field('data.len')).toBe('4');
  });
  it('lets a short UDP length bound the payload', () => {
    const r = run('753032c8000a1234 41424344');
    expect(r.ctx.info).toBe('30000 → 13000 Len=2');
    expect(r.field('udp.payload')).toBe('41424344');
    expect(r.field('data.len')).toBe('2');
  });
  it('marks a zero checksum as not present', () => {
    const r = run('753032c8000c0000 41424344');
    expect(r.field('udp.checksum.status')).toBe('3');
  });
  it('is truncated when the length field is not captured', () => {
    // tcpdump/udp-length-heapoverflow.pcap: tshark "12336 → 12336[Packet size limited during capture]"
    const r = runPayload(udpProtocol, hex('30303030'), { transport: 'udp', endpoints: { ...A }, reportedLength: 0x3030 - 20 });
    expect(r.error).toBe('truncated');
    expect(r.ctx.info).toBe('12336 → 12336');
  });
  it('numbers conversations in first-seen order, both directions alike', () => {
    const capture = new CaptureState();
    const q = run('c0010035000c1234 41424344', { capture, number: 1, time: 10 });
    const other = run('c0020035000c1234 41424344', { capture, number: 2, time: 11 });
    const answer = run('0035c001000c1234 41424344', { capture, number: 3, time: 10.5, endpoints: B });
    expect([q.field('udp.stream'), other.field('udp.stream'), answer.field('udp.stream')]).toEqual(['0', '1', '0']);
    expect(answer.field('udp.time_relative')).toBe('0.500000000');
    // Re-dissection gives the same answer.
    expect(run('c0010035000c1234 41424344', { capture, number: 1, time: 10 }).field('udp.time_delta')).toBe('0.000000000');
  });
});

// TCP options beyond the everyday ones, as tshark 4.0 shows them: the TCP Authentication Option
// (RFC 5925: key IDs and MAC), Accurate ECN's byte counters in both orders and every length, an
// option too short to hold its own length ("Maximum segment size (with too-short option length =
// 1 byte)", after which tshark has no note on a SYN's missing MSS), and kinds no dissector takes
// ("TCP Option - Unknown", "Unknown (0x63)" in the Options line, whether or not the kind has a
// name), and which SACK blocks report duplicates (D-SACK). One segment per case, compared with
// tshark's TCP tree and columns. And what Accurate
// ECN does to the flags of a connection that negotiates it or carries its option: AE, CWR and
// ECE become the ACE counter ("[ACK, ACE=4]", tcp.flags.ace), in the tree, Info and filters.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../app/cli/run.js';
import { StringSink } from '../app/cli/sink.js';
import { pcapFile } from './helpers/pcap-build.js';
import { expectSectionsAsTshark } from './helpers/section-diff.js';
import { expectSameFilterSets } from './helpers/text-protocol-diff.js';
import { FIELDS_ARGS, tsharkRaw } from './helpers/tshark.js';

const SYN = 0x02, PSH = 0x08, ACK = 0x10, ECE = 0x40, CWR = 0x80, AE = 0x100;

/** An Ethernet/IPv4/TCP segment between 10.0.0.1:`port` (client) and 10.0.0.2:80 with these option bytes (padded with EOL). */
function segment(port: number, flags: number, options: readonly number[], toServer = true, seq = 1, ack = flags & ACK ? 1 : 0): Uint8Array {
  const opts = [...options];
  while (opts.length % 4 !== 0) opts.push(0);
  const b = new Uint8Array(14 + 20 + 20 + opts.length);
  const dv = new DataView(b.buffer);
  b.set(toServer ? [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1] : [2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2], 0);
  dv.setUint16(12, 0x0800);
  b[14] = 0x45;
  dv.setUint16(16, 40 + opts.length);
  b[22] = 64;
  b[23] = 6;
  b.set(toServer ? [10, 0, 0, 1, 10, 0, 0, 2] : [10, 0, 0, 2, 10, 0, 0, 1], 26);
  dv.setUint16(34, toServer ? port : 80);
  dv.setUint16(36, toServer ? 80 : port);
  dv.setUint32(38, seq);
  dv.setUint32(42, ack);
  // Data offset and the 12 flag bits (AE is the low bit of the first byte).
  dv.setUint16(46, (((20 + opts.length) / 4) << 12) | flags);
  dv.setUint16(48, 65535);
  b.set(opts, 54);
  return b;
}

/** A SACK option with these blocks (raw sequence numbers). */
const sack = (...blocks: Array<[number, number]>): number[] =>
  [5, 2 + 8 * blocks.length, ...blocks.flat().flatMap((n) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255])];

const CASES: Array<[number, number[]]> = [
  [SYN, [29, 6, 1, 2, 0xaa, 0xbb]], // TCP-AO with a MAC
  [SYN, [29, 4, 7, 9]], // key IDs only
  [SYN, [29, 3, 1]], // shorter than its key IDs
  [ACK, [172, 2]], // AccECN without counters
  [ACK, [172, 5, 1, 2, 3]], // order 0: EE0B
  [ACK, [174, 8, 1, 2, 3, 4, 5, 6]], // order 1: EE1B, ECEB
  [ACK, [172, 11, 1, 2, 3, 4, 5, 6, 7, 8, 9]], // order 0: all three
  [ACK, [174, 4, 0, 0]], // a length AccECN does not have
  [ACK, [25, 3, 0]], // a named kind no dissector takes
  [ACK, [99, 3, 0]], // a kind without a name
  [SYN, [2, 1]], // too short: MSS
  [ACK, [99, 1]], // too short: unknown
  [SYN, [172, 1]], // too short: AccECN
  [ACK, [1, 8, 0]], // NOP, then a length of 0
  // RFC 2883 D-SACK: a first block inside the second (above the ACK), up to its right edge; not one past it or after it.
  [ACK, sack([1000, 1100], [900, 1200])],
  [ACK, sack([1000, 1200], [900, 1200])],
  [ACK, sack([1000, 1300], [900, 1200])],
  [ACK, sack([1000, 1100], [1200, 1300])],
];

const COLUMNS = [...FIELDS_ARGS, '-e', 'frame.number', '-e', '_ws.col.Info', '-e', 'tcp.option_kind', '-e', 'tcp.option_len', '-e', 'tcp.options.ao.keyid',
  '-e', 'tcp.options.ao.rnextkeyid', '-e', 'tcp.options.ao.mac', '-e', 'tcp.options.acc_ecn.ee0b', '-e', 'tcp.options.acc_ecn.eceb', '-e', 'tcp.options.acc_ecn.ee1b',
  '-e', 'tcp.options.unknown.payload'];

describe('TCP options as tshark shows them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synscope-tcp-options-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('TCP-AO, Accurate ECN, options too short for their length, unknown kinds, and D-SACK blocks', () => {
    const file = join(dir, 'options.pcap');
    // Each case its own connection: tshark shows the flags of a connection that had an AccECN
    // option with the ACE counter, which SynScope does not do yet.
    writeFileSync(file, pcapFile(CASES.map(([flags, options], i) => ({ sec: 1_700_000_000 + i, frac: 0, data: segment(40000 + i, flags, options) }))));
    return expectSectionsAsTshark(file, ['Transmission Control Protocol'], COLUMNS);
  });

  it('a header that claims more options than the packet holds: a wrong-length option still shown with its note, then Malformed', async () => {
    // Two NOPs and a Timestamps option of length 13 (it should be 10) of which the packet holds
    // 10 bytes, then the data offset raised to 60 bytes while the IP length keeps the 12 option
    // bytes there are (a fuzzed frame).
    const data = segment(40100, ACK | PSH, [1, 1, 8, 13, 1, 2, 3, 4, 5]);
    new DataView(data.buffer).setUint16(46, (15 << 12) | ACK | PSH);
    const file = join(dir, 'claimed-options.pcap');
    writeFileSync(file, pcapFile([{ sec: 1_700_000_000, frac: 0, data }]));
    const out = new StringSink(), err = new StringSink();
    await run(['read', file, '-V'], out, err);
    expect(out.text()).toContain('option length should be 10');
    expect(out.text()).toBe(tsharkRaw(file, ['-V']).stdout);
  });

  it('Accurate ECN connections: the flags of a connection that uses it show the ACE counter', async () => {
    // [port, flags, options, to the server]: each connection a handshake, then ACKs both ways.
    const connection = (port: number, syn: number, synAck: number, first: readonly number[] = []): Uint8Array[] => [
      segment(port, SYN | syn, [], true, 100, 0),
      segment(port, SYN | ACK | synAck, [], false, 500, 101),
      segment(port, ACK | AE, first, true, 101, 501),
      segment(port, ACK | ECE, [], false, 501, 101),
      segment(port, PSH | ACK | CWR, [], true, 101, 501),
    ];
    const frames = [
      ...connection(41000, AE | CWR | ECE, CWR), // AccECN SYN answered: ACE from the third segment on
      ...connection(42000, AE | CWR | ECE, 0), // answered without AccECN: flags stay flags
      ...connection(43000, CWR | ECE, ECE), // classic ECN
      ...connection(44000, 0, 0, [172, 2]), // an AccECN option: ACE after it, not in its own segment
      ...connection(45000, 0, 0, [174, 4, 0, 0]), // an AccECN option of a wrong length counts for nothing
    ];
    const file = join(dir, 'accecn.pcap');
    writeFileSync(file, pcapFile(frames.map((data, i) => ({ sec: 1_700_000_000 + i, frac: 0, data }))));
    await expectSectionsAsTshark(file, ['Transmission Control Protocol'],
      [...FIELDS_ARGS, '-e', 'frame.number', '-e', '_ws.col.Info', '-e', 'tcp.flags.ace', '-e', 'tcp.flags.ae', '-e', 'tcp.flags.cwr', '-e', 'tcp.flags.ece', '-e', 'tcp.flags.str']);
    // Filters on the bits read the same fields (a header-only filter cannot tell).
    await expectSameFilterSets(file, ['tcp.flags.ace == 4', 'tcp.flags.cwr == 1', 'tcp.flags.ece', 'tcp.flags.ae == 0']);
    // The ladder of `synscope tcp` names each segment's flags as the Info column does.
    const ladder = new StringSink();
    await run(['tcp', file, '--stream', '0'], ladder, new StringSink());
    const info = tsharkRaw(file, ['-Y', 'tcp.stream == 0', ...FIELDS_ARGS, '-e', '_ws.col.Info']).stdout;
    const theirFlags = info.match(/\[[A-Z, =0-9]+\](?= Seq=)/g);
    expect(theirFlags).toHaveLength(5);
    expect(theirFlags).toContain('[ACK, ACE=4]');
    expect(ladder.text().match(/\[[A-Z, =0-9]+\](?= seq=)/g)).toEqual(theirFlags);
  });
});

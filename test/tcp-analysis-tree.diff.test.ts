// TCP's "[SEQ/ACK analysis]" in the packet-details tree, line by line as tshark -n -V prints it,
// on every corpus capture: the acked frame and its RTT, the iRTT, bytes in flight, the analysis
// flags in tshark's order (a fast or spurious retransmission before the retransmission) with
// their Expert Info, a retransmission's RTO and the frame it counts from (the eldest segment
// still unacknowledged), no analysis at all on a frame tshark has nothing on (a bare FIN), and an
// empty one where tshark made its record but has nothing to print in it.
import { describe, expect, it } from 'vitest';
import { parseReadArgs } from '../app/cli/args.js';
import { runRead } from '../app/cli/read.js';
import { StringSink } from '../app/cli/sink.js';
import { join } from 'node:path';
import { corpusCaptures, corpusPath, repoRoot } from './helpers/corpus.js';
import { tsharkVerbose } from './helpers/tshark-verbose.js';
import { sectionLines } from './helpers/verbose.js';

const TITLE = '[SEQ/ACK analysis]';

/** Captures whose analysis differs, and why. */
const DIFFERS: Record<string, string> = {
  'tcpdump/dsa.pcap': 'tshark cannot read it',
  // Packets years apart: RTTs past 2^53 ns lose their last digits as floats.
  'pcapplusplus/pcapng-example.pcapng': 'an ACK RTT of 1472003999 s printed from a float',
  'pcapplusplus/file_heuristics/pcapng-example.pcapng.zst': 'an ACK RTT of 1472003999 s printed from a float',
  // Fractional seconds past a second: tshark computes with them as they are.
  'tcpdump/timestamp_invalid_nano.pcap': 'invalid fractional seconds',
};

describe('read -V: the SEQ/ACK analysis tshark -V prints', () => {
  // A segment after the peer's D-SACK of a spurious retransmission (test/fixtures/http/README.md):
  // its bytes in flight come out negative, so tshark's analysis holds the iRTT alone.
  it('a gRPC session on loopback with a D-SACK (fixtures/http/grpc-dsack.pcap)', async () => {
    const file = join(repoRoot, 'test', 'fixtures', 'http', 'grpc-dsack.pcap');
    const out = new StringSink(), err = new StringSink();
    await runRead(parseReadArgs([file, '-V']), out, err);
    const theirs = sectionLines(tsharkVerbose(file).stdout, TITLE);
    expect(theirs.join('\n')).toContain('    [SEQ/ACK analysis]\n        [iRTT: 0.000028000 seconds]\n    [SEQ/ACK analysis]');
    expect(sectionLines(out.text(), TITLE)).toEqual(theirs);
  });

  for (const rel of corpusCaptures().filter((f) => !(f in DIFFERS))) {
    it(rel, async () => {
      const out = new StringSink(), err = new StringSink();
      await runRead(parseReadArgs([corpusPath(rel), '-V']), out, err);
      expect(sectionLines(out.text(), TITLE)).toEqual(sectionLines(tsharkVerbose(corpusPath(rel)).stdout, TITLE));
    });
  }
});

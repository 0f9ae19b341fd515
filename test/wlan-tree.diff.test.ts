// The 802.11 and GRE parts of the packet-details tree, line by line as tshark -n -V prints them:
// the frame control field bit by bit (version, type, subtype, each flag in words, DS status
// named), the duration and sequence control as bit fields, the QoS control's TID, priority,
// ack policy and TXOP or AP buffer state, the FCS a radiotap header announces, the retry note;
// and GRE's flags word with its recursion control and version, PPTP's enhanced GRE included.
import { describe, expect, it } from 'vitest';
import { parseReadArgs } from '../app/cli/args.js';
import { runRead } from '../app/cli/read.js';
import { StringSink } from '../app/cli/sink.js';
import { corpusPath } from './helpers/corpus.js';
import { tsharkRaw } from './helpers/tshark.js';
import { sectionLines } from './helpers/verbose.js';

const CASES: Array<[file: string, title: string]> = [
  ['zeek/tunnels/gre-aruba.pcap', 'IEEE 802.11'],
  ['zeek/tunnels/gre-aruba.pcap', 'Generic Routing Encapsulation'],
  ['zeek/radiotap.pcap', 'IEEE 802.11'],
  ['zeek/wlanmon.pcap', 'IEEE 802.11'],
  ['tcpdump/pptp.pcap', 'Generic Routing Encapsulation'],
];

describe('read -V: 802.11 and GRE headers as tshark -V prints them', () => {
  for (const [rel, title] of CASES) {
    it(`${rel}: ${title}`, async () => {
      const out = new StringSink(), err = new StringSink();
      await runRead(parseReadArgs([corpusPath(rel), '-V']), out, err);
      const theirs = sectionLines(tsharkRaw(corpusPath(rel), ['-V']).stdout, title);
      expect(theirs.length).toBeGreaterThan(10);
      expect(sectionLines(out.text(), title)).toEqual(theirs);
    });
  }
});

// The DHCP part of the packet-details tree, line by line as tshark -n -V prints it, on every
// corpus capture with DHCP: option values shown only through their decoded fields ("Value: …"
// is hidden), "Parameter Request List Item: (1) Subnet Mask", "Hardware type: Ethernet (0x01)",
// "NetBIOS over TCP/IP Node Type: P-node (2)", a little-endian "Seconds elapsed" swapped with
// its expert note, and an Aruba access point's option 43 ("Aruba Controller IP: 172.18.6.37").
import { describe, expect, it } from 'vitest';
import { parseReadArgs } from '../app/cli/args.js';
import { runRead } from '../app/cli/read.js';
import { StringSink } from '../app/cli/sink.js';
import { corpusPath } from './helpers/corpus.js';
import { tsharkRaw } from './helpers/tshark.js';
import { sectionLines } from './helpers/verbose.js';

const TITLE = 'Dynamic Host Configuration Protocol';

const WITH_DHCP = [
  'zeek/dhcp/dhcp.pcap', 'pcapplusplus/raw_ip.pcap',
  'gopacket/be/test001.pcapng', 'gopacket/be/test006.pcapng', 'gopacket/be/test010.pcapng', 'gopacket/be/test101.pcapng',
  'gopacket/be/test202.pcapng', 'gopacket/be/test902.pcapng', 'gopacket/le/test001.pcapng', 'gopacket/le/test008.pcapng',
  'gopacket/le/test009.pcapng', 'gopacket/le/test016.pcapng', 'gopacket/le/test018.pcapng', 'gopacket/le/test100.pcapng',
  'gopacket/le/test901.pcapng',
];

describe('read -V: the DHCP tree tshark -V prints', () => {
  for (const rel of WITH_DHCP) {
    it(rel, async () => {
      const out = new StringSink(), err = new StringSink();
      await runRead(parseReadArgs([corpusPath(rel), '-V', '-Y', 'dhcp']), out, err);
      const theirs = sectionLines(tsharkRaw(corpusPath(rel), ['-V', '-Y', 'dhcp']).stdout, TITLE);
      expect(theirs.length).toBeGreaterThan(0);
      expect(sectionLines(out.text(), TITLE)).toEqual(theirs);
    });
  }
});

// 802.11 captures for comparing tcpdump expressions with libpcap, built from real packets. The
// corpus has two 802.11 captures of three data frames each; libpcap's 802.11 code depends on
// much more: the frame's type and subtype, its To DS / From DS bits, a QoS field, a 4-address
// header, radiotap's flags (driver padding, TSFT before them, an extended present word), and the
// radio header before the frame (none, radiotap, Prism, AVS, PPI). These captures put the
// Ethernet packets of a corpus capture into 802.11 frames covering those cases, with management
// and control frames between them; which of them an expression matches is tcpdump's to say.
import { openCaptureFile } from '../../app/file/reader.js';
import { corpusPath } from './corpus.js';
import { pcapFile, type BuiltRecord } from './pcap-build.js';

/** The BSSID of every frame built here. */
export const BSSID = '02:00:5e:10:00:01';
const BSSID_BYTES = [0x02, 0x00, 0x5e, 0x10, 0x00, 0x01];
const BROADCAST = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

/** An Ethernet frame of the source capture: its addresses, then the EtherType and what follows. */
interface EthernetPacket {
  dst: number[];
  src: number[];
  payload: Uint8Array;
}

/** The first `limit` Ethernet II frames of a capture (802.3 length fields skipped), of `etherType` if given. */
export function ethernetPackets(path: string, limit: number, etherType?: number): EthernetPacket[] {
  const out: EthernetPacket[] = [];
  const reader = openCaptureFile(path);
  try {
    for (let rec = reader.next(); rec && out.length < limit; rec = reader.next()) {
      const d = rec.data;
      const type = d.length >= 14 ? (d[12]! << 8) | d[13]! : 0;
      if (rec.linkType !== 1 || type <= 1500 || (etherType !== undefined && type !== etherType)) continue;
      out.push({ dst: [...d.subarray(0, 6)], src: [...d.subarray(6, 12)], payload: d.slice(12) });
    }
  } finally {
    reader.close();
  }
  return out;
}

/**
 * The packets the 802.11 tests put into frames: an HTTP connection (get.pcap: its client's first
 * packet comes first), DNS over IPv4 and IPv6, pings, ICMPv6, ARP, and VLAN-tagged packets.
 */
export function corpusEthernetPackets(): EthernetPacket[] {
  return [
    ...ethernetPackets(corpusPath('zeek/http/get.pcap'), 14),
    ...ethernetPackets(corpusPath('pcapplusplus/DnsPackets.pcap'), 16),
    ...ethernetPackets(corpusPath('zeek/icmp/5-pings.pcap'), 6),
    ...ethernetPackets(corpusPath('tcpdump/icmpv6.pcap'), 5),
    ...ethernetPackets(corpusPath('pcapplusplus/many-protocols.pcap'), 4, 0x0806),
    ...ethernetPackets(corpusPath('pcapplusplus/VlanPackets.pcap'), 4),
  ];
}

/** Frame control bytes, duration, the addresses, and (where there is one) sequence control. */
function header(fc0: number, fc1: number, addrs: number[][]): number[] {
  const seq = addrs.length >= 3 ? [0x10, 0x00] : [];
  return [fc0, fc1, 0x2c, 0x00, ...addrs.slice(0, 3).flat(), ...seq, ...addrs.slice(3).flat()];
}

/**
 * The 802.11 frames: each Ethernet packet as a data frame (cycling through the four To DS /
 * From DS combinations, with and without QoS), and after every few a management or control frame.
 * `pad` is whether radiotap says the driver padded the header to a multiple of 4 (DATAPAD).
 */
function frames(packets: EthernetPacket[]): Array<{ bytes: number[]; qosOrFourAddr: boolean }> {
  const out: Array<{ bytes: number[]; qosOrFourAddr: boolean }> = [];
  const sa0 = packets[0]?.src ?? BSSID_BYTES;
  // Element bodies: SSID, supported rates, DS parameter set, TIM (stations 33 and 36 have frames
  // buffered), country (two channel ranges, a padding byte), power constraint, ERP information,
  // RSN (CCMP group; CCMP and TKIP pairwise; PSK and SAE; protected management frames; one
  // PMKID; BIP), extended supported rates.
  const ssid = (name: string): number[] => [0, name.length, ...Array.from(name, (c) => c.charCodeAt(0))];
  const suite = (type: number): number[] => [0x00, 0x0f, 0xac, type];
  const rsn = [1, 0, ...suite(4), 2, 0, ...suite(4), ...suite(2), 2, 0, ...suite(2), ...suite(8), 0xcc, 0x20, 1, 0, ...Array.from({ length: 16 }, (_, i) => i), ...suite(6)];
  const elements = [
    ...ssid('lab-net'), 1, 8, 0x82, 0x84, 0x8b, 0x96, 0x0c, 0x12, 0x18, 0x24, 3, 1, 6, 5, 5, 0, 3, 0x04, 0x12, 0x00,
    7, 10, 0x44, 0x45, 0x49, 1, 13, 20, 36, 4, 23, 0, 32, 1, 3, 42, 1, 0x04,
    48, rsn.length, ...rsn, 50, 4, 0x30, 0x48, 0x60, 0x6c,
  ];
  const management: number[][] = [
    // Beacon: timestamp, interval 100 TU, capabilities (ESS, privacy, short slot time)
    [...header(0x80, 0x00, [BROADCAST, BSSID_BYTES, BSSID_BYTES]), 1, 2, 3, 4, 5, 6, 7, 8, 0x64, 0, 0x11, 0x04, ...elements],
    // Probe request for any network
    [...header(0x40, 0x00, [BROADCAST, sa0, BROADCAST]), 0, 0, 1, 4, 0x02, 0x04, 0x0b, 0x16],
    // Authentication (open system, sequence 1, success), then the challenge of a shared-key one
    [...header(0xb0, 0x00, [BSSID_BYTES, sa0, BSSID_BYTES]), 0, 0, 1, 0, 0, 0],
    [...header(0xb0, 0x00, [sa0, BSSID_BYTES, BSSID_BYTES]), 1, 0, 2, 0, 0x11, 0, 16, 4, 1, 2, 3, 4],
    // Deauthentication (reason 3), disassociation (reason 8)
    [...header(0xc0, 0x00, [sa0, BSSID_BYTES, BSSID_BYTES]), 3, 0],
    [...header(0xa0, 0x00, [sa0, BSSID_BYTES, BSSID_BYTES]), 8, 0],
    // Association request and response (AID 1), reassociation request, probe response, ATIM
    [...header(0x00, 0x00, [BSSID_BYTES, sa0, BSSID_BYTES]), 0x31, 0x04, 10, 0, ...ssid('lab-net'), 1, 1, 0x82],
    [...header(0x10, 0x00, [sa0, BSSID_BYTES, BSSID_BYTES]), 0x31, 0x04, 0, 0, 0x01, 0xc0, 1, 1, 0x82],
    [...header(0x20, 0x00, [BSSID_BYTES, sa0, BSSID_BYTES]), 0x11, 0, 3, 0, ...BSSID_BYTES, 0, 0],
    [...header(0x50, 0x00, [sa0, BSSID_BYTES, BSSID_BYTES]), 5, 0, 0, 0, 0, 0, 0, 0, 0x64, 0, 0x01, 0, ...ssid('test')],
    [...header(0x90, 0x00, [sa0, BSSID_BYTES, BSSID_BYTES])],
    // Action: Block Ack (3), ADDBA Request (0): dialog token, parameters, timeout, starting sequence.
    [...header(0xd0, 0x00, [sa0, BSSID_BYTES, BSSID_BYTES]), 3, 0, 1, 0x02, 0x10, 0, 0, 0x10, 0],
  ];
  // ACK, RTS, CTS, PS-Poll; Block Ack Requests (compressed, basic) and Block Acks: compressed from
  // sequence number 4090 with frames missing (across the wrap to 0), basic with its 128-byte bitmap.
  const control: number[][] = [
    [0xd4, 0x00, 0, 0, ...sa0],
    [0xb4, 0x00, 0x2c, 0, ...BSSID_BYTES, ...sa0],
    [0xc4, 0x00, 0, 0, ...sa0],
    [0xa4, 0x10, 0x01, 0xc0, ...BSSID_BYTES, ...sa0],
    [0x84, 0x00, 0x2c, 0, ...BSSID_BYTES, ...sa0, 0x04, 0x50, 0x10, 0],
    [0x94, 0x00, 0, 0, ...sa0, ...BSSID_BYTES, 0x05, 0x50, 0xa0, 0xff, 0xff, 0x3f, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f],
    [0x84, 0x00, 0x2c, 0, ...BSSID_BYTES, ...sa0, 0x00, 0x30, 0x20, 0],
    [0x94, 0x00, 0, 0, ...sa0, ...BSSID_BYTES, 0x00, 0x30, 0x20, 0, ...new Array<number>(128).fill(0xff)],
  ];
  packets.forEach((p, i) => {
    const ds = i % 4;
    const qos = Math.floor(i / 4) % 2 === 1;
    const addrs = [
      [p.dst, p.src, BSSID_BYTES],
      [BSSID_BYTES, p.src, p.dst],
      [p.dst, BSSID_BYTES, p.src],
      [BSSID_BYTES, BSSID_BYTES, p.dst, p.src],
    ][ds]!;
    // Data frames without a payload now and then: null data (0x48) and QoS null (0xc8).
    const nullFrame = i % 11 === 10;
    const fc0 = nullFrame ? (qos ? 0xc8 : 0x48) : qos ? 0x88 : 0x08;
    const h = header(fc0, ds, addrs);
    if (qos) h.push(i & 7, 0);
    const llc = [0xaa, 0xaa, 0x03, 0, 0, 0];
    out.push({ bytes: nullFrame ? h : [...h, ...llc, ...p.payload], qosOrFourAddr: qos || ds === 3 });
    if (i % 3 === 2) out.push({ bytes: management[((i - 2) / 3) % management.length]!, qosOrFourAddr: false });
    if (i % 5 === 4) out.push({ bytes: control[(i / 5) % control.length | 0]!, qosOrFourAddr: false });
  });
  return out;
}

/** 802.11 header length of a built frame (to insert driver padding after it). */
function headerLength(bytes: number[]): number {
  const fc0 = bytes[0]!;
  if ((fc0 & 0x0c) !== 0x08) return bytes.length;
  let len = (bytes[1]! & 3) === 3 ? 30 : 24;
  if (fc0 & 0x80) len += 2;
  return len;
}

/** Radiotap headers: none of the flags, flags after TSFT, flags alone, and an extended present word. */
function radiotap(variant: number, padded: boolean): number[] {
  const flags = padded ? 0x20 : 0x00;
  switch (variant % 4) {
    case 0: return [0, 0, 8, 0, 0, 0, 0, 0];
    // TSFT (8 bytes, aligned at 8), flags, rate, then 2 bytes to keep the length even.
    case 1: return [0, 0, 20, 0, 0x07, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, flags, 0x0c, 0, 0];
    // Flags and channel (aligned to 2).
    case 2: return [0, 0, 14, 0, 0x0a, 0, 0, 0, flags, 0, 0x6c, 0x09, 0xa0, 0x00];
    // A second present word (extension bit 31): libpcap ignores the flags then.
    default: return [0, 0, 16, 0, 0x02, 0, 0, 0x80, 0, 0, 0, 0, flags, 0, 0, 0];
  }
}

export interface WlanCapture {
  name: string;
  linkType: number;
  file: Buffer;
}

/**
 * One capture per 802.11 link type (105 bare, 127 radiotap, 119 Prism, 163 AVS, 192 PPI) of the
 * same frames; a few are cut short (snapshot length) to exercise loads past the captured bytes.
 */
export function wlanCaptures(packets: EthernetPacket[]): WlanCapture[] {
  const built = frames(packets);
  const records = (linkType: number): BuiltRecord[] =>
    built.map((f, i) => {
      let frame = f.bytes;
      let radio: number[] = [];
      if (linkType === 127) {
        // Padding only where the header is not a multiple of 4 already (QoS or 4-address data),
        // and where the radiotap header has a flags field to say so.
        const padded = f.qosOrFourAddr && i % 4 !== 0 && i % 5 !== 0;
        radio = radiotap(i, padded);
        const hl = headerLength(frame);
        if (padded && hl % 4) frame = [...frame.slice(0, hl), ...new Array<number>(4 - (hl % 4)).fill(0), ...frame.slice(hl)];
      } else if (linkType === 119) {
        // A Prism header, or now and then an AVS header in a Prism capture (libpcap tells them apart).
        radio = i % 5 === 3 ? avs() : [0x44, 0, 0, 0, 144, 0, 0, 0, ...new Array<number>(136).fill(0)];
      } else if (linkType === 163) {
        radio = avs();
      } else if (linkType === 192) {
        // PPI: version, flags, length, and the DLT of what follows (now and then not 802.11).
        radio = [0, 0, 8, 0, i % 13 === 12 ? 1 : 105, 0, 0, 0];
      }
      const data = Uint8Array.from([...radio, ...frame]);
      const cut = i % 17 === 16 ? Math.min(data.length, radio.length + 20) : data.length;
      return { sec: 1_700_000_000 + i, frac: 0, data: data.subarray(0, cut), origLen: data.length };
    });
  return [
    { name: '802.11', linkType: 105, file: pcapFile(records(105), 105) },
    { name: 'radiotap', linkType: 127, file: pcapFile(records(127), 127) },
    { name: 'Prism', linkType: 119, file: pcapFile(records(119), 119) },
    { name: 'AVS', linkType: 163, file: pcapFile(records(163), 163) },
    { name: 'PPI', linkType: 192, file: pcapFile(records(192), 192) },
  ];
}

/** An AVS capture header (version 1, 64 bytes; its length is a big-endian word at 4). */
function avs(): number[] {
  return [0x80, 0x21, 0x10, 0x01, 0, 0, 0, 64, ...new Array<number>(56).fill(0)];
}

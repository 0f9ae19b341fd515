// pcap_datalink gives DLT_* values; capture files hold LINKTYPE_* values. They are equal except
// for a few DLTs whose numbers differ between platforms (libpcap's dlt_to_linktype).
const DLT_TO_LINKTYPE = new Map<number, number>([
  [11, 100], // DLT_ATM_RFC1483
  [12, 101], // DLT_RAW (Linux and most BSDs)
  [15, 102], // DLT_SLIP_BSDOS
  [16, 103], // DLT_PPP_BSDOS
  [19, 106], // DLT_ATM_CLIP (Linux)
]);

export function linkTypeFromDlt(dlt: number): number {
  return DLT_TO_LINKTYPE.get(dlt) ?? dlt;
}

/** pcap_datalink_val_to_name / _description for the link types one meets live. */
const NAMES = new Map<number, [string, string]>([
  [0, ['NULL', 'BSD loopback']],
  [1, ['EN10MB', 'Ethernet']],
  [101, ['RAW', 'Raw IP']],
  [105, ['IEEE802_11', '802.11']],
  [113, ['LINUX_SLL', 'Linux cooked v1']],
  [127, ['IEEE802_11_RADIO', '802.11 plus radiotap header']],
  [228, ['IPV4', 'Raw IPv4']],
  [229, ['IPV6', 'Raw IPv6']],
  [276, ['LINUX_SLL2', 'Linux cooked v2']],
]);

/** "EN10MB (Ethernet)", as tcpdump prints a link type. */
export function linkTypeLabel(linkType: number): string {
  const n = NAMES.get(linkType);
  return n ? `${n[0]} (${n[1]})` : `${linkType}`;
}

export function linkTypeName(linkType: number): string | undefined {
  return NAMES.get(linkType)?.[0];
}

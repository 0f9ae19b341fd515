// IP protocol numbers (IANA), shared by IPv4's ip.proto, IPv6's next-header fields and the
// "Fragmented IP protocol (proto=UDP 17, ...)" Info text. Names as Wireshark spells them.
export const IP_PROTOCOL_NAMES: Readonly<Record<number, string>> = {
  0: 'IPv6 Hop-by-Hop Option', 1: 'ICMP', 2: 'IGMP', 4: 'IPIP', 6: 'TCP', 8: 'EGP', 9: 'IGP', 17: 'UDP',
  41: 'IPv6', 43: 'Routing Header for IPv6', 44: 'Fragment Header for IPv6', 46: 'RSVP', 47: 'GRE', 50: 'ESP', 51: 'AH',
  58: 'ICMPv6', 59: 'IPv6 No Next Header', 60: 'Destination Options for IPv6', 88: 'EIGRP', 89: 'OSPF IGP', 103: 'PIM',
  112: 'VRRP', 115: 'L2TP', 132: 'SCTP', 135: 'Mobility Header for IPv6', 136: 'UDPLite', 137: 'MPLS in IP',
};

// Wireshark's default colouring rules (/usr/share/wireshark/colorfilters, 4.0): the session
// names the first rule a packet matches (PacketRow.colorRule) and the list paints the row with
// that rule's colours. The colours live in styles/app.css as .cr-<slug> classes so no inline
// style is needed, in two sets: Wireshark's own for the light theme and dark variants of the
// same hues for the dark theme. This maps a rule name to its class.
const RULE_CLASSES: Record<string, string> = {
  'Bad TCP': 'cr-bad-tcp',
  'HSRP State Change': 'cr-state-change',
  'Spanning Tree Topology  Change': 'cr-state-change',
  'Spanning Tree Topology Change': 'cr-state-change',
  'OSPF State Change': 'cr-state-change',
  'ICMP errors': 'cr-icmp-errors',
  ARP: 'cr-arp',
  ICMP: 'cr-icmp',
  'TCP RST': 'cr-tcp-rst',
  'SCTP ABORT': 'cr-tcp-rst',
  'TTL low or unexpected': 'cr-ttl',
  'Checksum Errors': 'cr-checksum',
  SMB: 'cr-smb',
  HTTP: 'cr-http',
  DCERPC: 'cr-dcerpc',
  Routing: 'cr-routing',
  'TCP SYN/FIN': 'cr-syn-fin',
  TCP: 'cr-tcp',
  UDP: 'cr-udp',
  Broadcast: 'cr-broadcast',
  'System Event': 'cr-system-event',
};

export function colorRuleClass(rule: string | undefined): string {
  return rule === undefined ? '' : (RULE_CLASSES[rule] ?? '');
}

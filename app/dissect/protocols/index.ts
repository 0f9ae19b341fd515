// Imports every protocol file once so each registers its fields and dispatch entries.
// Adding a protocol = adding its file here; protocols never import each other.
import './frame.js';
import './data.js';
import './tcp.js';
import './udp.js';
import './dns.js';
import './http.js';
import './tls.js';
import './dhcp.js';
import './ntp.js';
import './eth.js';
import './llc.js';
import './vlan.js';
import './sll.js';
import './raw.js';
import './null.js';
import './ipv4.js';
import './ipv6.js';
import './arp.js';
import './icmp.js';
import './icmpv6.js';
import './gre.js';
import './wlan.js';
import './ppp.js';
import './mpls.js';
import './nflog.js';

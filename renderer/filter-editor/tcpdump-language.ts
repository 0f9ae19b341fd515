// Monarch grammar for tcpdump (pcap-filter(7)) expressions, following the token boundaries of
// the engine's scanner (app/filter/tcpdump/lexer.ts, after libpcap's scanner.l); checked against
// it in tcpdump-language.test.ts on every expression of the engine's tcpdump table. Keywords are
// split the way pcap-filter(7) describes them: qualifiers (type and direction), protocol
// qualifiers, the other primitives, and the logical words; names are split into libpcap's named
// constants (tcpflags, tcp-syn, icmp-echo ...) and other names (hosts, services).
import type { languages } from 'monaco-editor';

export const TCPDUMP_LANGUAGE_ID = 'synscope-tcpdump';

export const TCPDUMP_TOKEN_CLASSES = [
  'white', 'invalid',
  'keyword.qualifier', 'keyword.protocol', 'keyword.primitive', 'keyword.logical',
  'constant', 'identifier', 'identifier.escaped',
  'number', 'number.hex', 'address.ipv4', 'address.ipv6', 'address.mac',
  'operator', 'operator.logical', 'delimiter.parenthesis', 'delimiter.bracket',
] as const;
export type TcpdumpTokenClass = (typeof TCPDUMP_TOKEN_CLASSES)[number];

/** pcap-filter(7): type and direction qualifiers (802.11's among them: `wlan ra`, `wlan addr2`). */
export const TCPDUMP_QUALIFIERS = [
  'host', 'net', 'mask', 'port', 'portrange', 'gateway', 'src', 'dst', 'proto', 'protochain',
  'addr1', 'addr2', 'addr3', 'addr4', 'address1', 'address2', 'address3', 'address4', 'ra', 'ta',
];
/** pcap-filter(7): protocol qualifiers. */
export const TCPDUMP_PROTOCOLS = [
  'link', 'ether', 'fddi', 'tr', 'wlan', 'ppp', 'slip', 'arp', 'rarp', 'ip', 'ip6', 'sctp', 'tcp', 'udp', 'icmp', 'icmp6',
  'igmp', 'igrp', 'pim', 'vrrp', 'carp', 'ah', 'esp', 'radio',
  'iso', 'netbeui', 'ipx', 'stp', 'clnp', 'esis', 'isis', 'llc', 'decnet', 'lat', 'sca', 'moprc', 'mopdl', 'atalk', 'aarp', 'pppoed',
];
/** Primitives that are keywords of their own. */
export const TCPDUMP_PRIMITIVES = [
  'less', 'greater', 'len', 'broadcast', 'multicast', 'vlan', 'mpls', 'inbound', 'outbound', 'ifindex', 'pppoes', 'type', 'subtype', 'dir', 'direction',
];
export const TCPDUMP_LOGICAL = ['and', 'or', 'not'];

/** libpcap's named constants: header offsets and flag / type values. */
const NAMED_CONSTANT = '~(tcpflags|icmptype|icmpcode|icmp6type|icmp6code|tcp-[a-z]+|icmp6?-[a-z]+)';

// IPv6 text as scanner.l's V6 patterns accept it (eight groups, or fewer around one `::`, an
// optional trailing dotted quad, an optional /len).
const H = '[0-9A-Fa-f]{1,4}';
const Q = String.raw`\d+\.\d+\.\d+\.\d+`;
const IPV6 = [
  `(?:${H}:){7}${H}`,
  `(?:${H}:){6}${Q}`,
  `(?:${H}(?::${H}){0,6})?::(?:(?:${H}:){0,5}${Q}|${H}(?::${H}){0,6})?`,
].map((p) => `(?:${p})`).join('|');
// The scanner takes the longest run of name characters first: an address only stands alone when
// no name character follows it (a trailing `-` or `/` run is given back to the operators).
const ALONE = String.raw`(?![A-Za-z0-9_.:]|[\-/]+[A-Za-z0-9_.:])`;

export function tcpdumpMonarch(): languages.IMonarchLanguage {
  return {
    defaultToken: 'invalid',
    tokenPostfix: '',
    qualifiers: TCPDUMP_QUALIFIERS,
    protocols: TCPDUMP_PROTOCOLS,
    primitives: TCPDUMP_PRIMITIVES,
    logical: TCPDUMP_LOGICAL,
    tokenizer: {
      root: [
        [/\s+/, 'white'],
        // `\tcp`: the name, not the keyword ("ip proto \tcp").
        [/\\[A-Za-z0-9_.-]*/, 'identifier.escaped'],
        [new RegExp(`(?:[0-9A-Fa-f]{1,2}:){5}[0-9A-Fa-f]{1,2}${ALONE}`), 'address.mac'],
        [new RegExp(`(?:${IPV6})(?:/\\d+)?${ALONE}`), 'address.ipv6'],
        // Everything else is a run without `:` (a `:` then is the slice operator, `ip[6:2]`).
        // A name cannot end in `.`, `-` or `/`: those are left to the next token.
        [/[A-Za-z0-9_](?:[A-Za-z0-9_./-]*[A-Za-z0-9_])?/, {
          cases: {
            '~(0x[0-9A-Fa-f]+)': 'number.hex',
            '~[0-9]+': 'number',
            '~[0-9]+(\\.[0-9]+){1,3}(/[0-9]+)?': 'address.ipv4',
            '~([0-9A-Fa-f]{1,2}[-.]){5}[0-9A-Fa-f]{1,2}': 'address.mac',
            '~[0-9A-Fa-f]{4}\\.[0-9A-Fa-f]{4}\\.[0-9A-Fa-f]{4}': 'address.mac',
            '@qualifiers': 'keyword.qualifier',
            '@protocols': 'keyword.protocol',
            '@primitives': 'keyword.primitive',
            '@logical': 'keyword.logical',
            [NAMED_CONSTANT]: 'constant',
            '@default': 'identifier',
          },
        }],
        [/&&|\|\||!(?!=)/, 'operator.logical'],
        [/<<|>>|<=|>=|==|!=|[+\-*/%&|^<>=:]/, 'operator'],
        [/[()]/, 'delimiter.parenthesis'],
        [/[[\]]/, 'delimiter.bracket'],
        [/./, 'invalid'],
      ],
    },
  };
}

export const TCPDUMP_LANGUAGE_CONFIGURATION: languages.LanguageConfiguration = {
  brackets: [['(', ')'], ['[', ']']],
  autoClosingPairs: [{ open: '(', close: ')' }, { open: '[', close: ']' }],
  wordPattern: /[A-Za-z0-9_.\-:\\]+/,
};

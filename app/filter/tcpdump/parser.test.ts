// tcpdump grammar: equal-precedence and/or grouping left to right, qualifier inheritance,
// relations vs boolean parentheses, special primitives.
import { describe, expect, it } from 'vitest';
import { parseTcpdump, type TdAst } from './parser.js';

/** A compact rendering of the AST. */
function show(a: TdAst): string {
  switch (a.k) {
    case 'and': case 'or': return `(${show(a.l)} ${a.k} ${show(a.r)})`;
    case 'not': return `not ${show(a.e)}`;
    case 'prim': return `${[a.q.proto, a.q.dir, a.q.type].filter(Boolean).join(' ')} ${a.id.value}${a.mask ? ` mask ${a.mask.value}` : ''}`;
    case 'proto': return a.name;
    case 'vlan': case 'mpls': return a.id === undefined ? a.k : `${a.k} ${a.id}`;
    case 'less': case 'greater': return `${a.k} ${a.n}`;
    case 'broadcast': case 'multicast': return `${a.proto ?? ''} ${a.k}`.trim();
    case 'rel': return `rel ${a.op}`;
    case 'wlanType': return `fc0 & 0x${a.mask.toString(16)} = 0x${a.value.toString(16)}`;
    case 'wlanDir': return `fc1 & 3 = ${a.value}`;
    case 'inbound': case 'outbound': return a.k;
    case 'ifindex': return `ifindex ${a.n}`;
    case 'pppoes': return a.id === undefined ? 'pppoes' : `pppoes ${a.id}`;
    case 'llcControl': return `llc & 0x${a.mask.toString(16)} = 0x${a.value.toString(16)}`;
  }
}

describe('parseTcpdump', () => {
  it('groups and/or left to right at equal precedence (pcap-filter(7))', () => {
    expect(show(parseTcpdump('udp or tcp and port 80'))).toBe('((udp or tcp) and port 80)');
    expect(show(parseTcpdump('arp or ip and not tcp'))).toBe('((arp or ip) and not tcp)');
  });
  it('lets a bare id inherit the previous qualifiers', () => {
    expect(show(parseTcpdump('tcp dst port 80 or 443'))).toBe('(tcp dst port 80 or tcp dst port 443)');
    expect(show(parseTcpdump('host 1.2.3.4 and 5.6.7.8'))).toBe('(host 1.2.3.4 and host 5.6.7.8)');
    expect(show(parseTcpdump('10.0.0.1'))).toBe('host 10.0.0.1');
  });
  it('reads combined directions', () => {
    expect(show(parseTcpdump('src or dst port 53'))).toBe('src or dst port 53');
    expect(show(parseTcpdump('src and dst net 10.0.0.0/8'))).toBe('src and dst net 10.0.0.0/8');
    expect(show(parseTcpdump('src 1.2.3.4 or dst 5.6.7.8'))).toBe('(src host 1.2.3.4 or dst host 5.6.7.8)');
  });
  it('tells a parenthesised relation from a parenthesised boolean', () => {
    expect(show(parseTcpdump('(tcp[13] & 3) != 0'))).toBe('rel !=');
    expect(show(parseTcpdump('(tcp or udp) and not port 53'))).toBe('((tcp or udp) and not port 53)');
  });
  it('reads special primitives', () => {
    expect(show(parseTcpdump('vlan 10 and vlan and less 100 or greater 5'))).toBe('(((vlan 10 and vlan) and less 100) or greater 5)');
    expect(show(parseTcpdump('ether broadcast or ip multicast'))).toBe('(ether broadcast or ip multicast)');
    expect(show(parseTcpdump('net 10.0.0.0 mask 255.0.0.0'))).toBe('net 10.0.0.0 mask 255.0.0.0');
    expect(show(parseTcpdump('ip proto \\udp'))).toBe('ip proto udp');
  });
  it('reads 802.11 frame control and address qualifiers (pcap-filter(7))', () => {
    expect(show(parseTcpdump('type mgt subtype beacon'))).toBe('fc0 & 0xfc = 0x80');
    expect(show(parseTcpdump('type data'))).toBe('fc0 & 0xc = 0x8');
    expect(show(parseTcpdump('subtype qos-data or type ctl subtype ACK'))).toBe('(fc0 & 0xfc = 0x88 or fc0 & 0xfc = 0xd4)');
    expect(show(parseTcpdump('wlan dir fromds and direction 3'))).toBe('(fc1 & 3 = 2 and fc1 & 3 = 3)');
    expect(show(parseTcpdump('wlan ra 00:11:22:33:44:55 or address2 00:11:22:33:44:55'))).toBe('(wlan ra host 00:11:22:33:44:55 or addr2 host 00:11:22:33:44:55)');
    expect(show(parseTcpdump('wlan addr3 host 00:11:22:33:44:55 and radio[0] = 0'))).toBe('(wlan addr3 host 00:11:22:33:44:55 and rel =)');
  });
  it('rejects 802.11 names and values as libpcap does, pointing at them', () => {
    const error = (text: string): [string, number, number] => {
      try {
        parseTcpdump(text);
      } catch (e) {
        const x = e as { message: string; start: number; end: number };
        return [x.message, x.start, x.end];
      }
      throw new Error(`${text} parsed`);
    };
    expect(error('type foo')).toEqual(['unknown 802.11 type name "foo"', 5, 8]);
    expect(error('type 2')).toEqual(['invalid 802.11 type value 0x02', 5, 6]);
    expect(error('type data subtype 8')).toEqual(['invalid 802.11 subtype value 0x08', 18, 19]);
    expect(error('type mgt subtype qos-data')).toEqual(['unknown 802.11 subtype name "qos-data"', 17, 25]);
    expect(error('subtype foo')).toEqual(['unknown 802.11 type name', 8, 11]);
    expect(error('dir sideways')).toEqual(['unknown 802.11 direction', 4, 12]);
    expect(error('subtype 8')[0]).toBe('syntax error');
    expect(error('ra proto 6')[0]).toBe('syntax error');
  });
  it('gives a load its protocol, index and size', () => {
    const a = parseTcpdump('ip[6:2] & 0x1fff = 0');
    if (a.k !== 'rel' || a.l.k !== 'bin' || a.l.l.k !== 'load') throw new Error('shape');
    expect([a.l.l.proto, a.l.l.size, a.l.l.index.k]).toEqual(['ip', 2, 'num']);
  });
  it('reports errors with libpcap wording and a span', () => {
    expect(() => parseTcpdump('host')).toThrow('syntax error');
    expect(() => parseTcpdump('ip[0:3] = 1')).toThrow('data size must be 1, 2, or 4');
    expect(() => parseTcpdump('vlan 5000')).toThrow('VLAN tag 5000 greater than maximum 4095');
    try {
      parseTcpdump('tcp and and udp');
    } catch (e) {
      expect([(e as { start: number }).start, (e as { end: number }).end]).toEqual([8, 11]);
    }
  });
});

// The one filter bar: display filter first, tcpdump second, both errors when neither parses;
// equivalent() round trips, checked on a real capture (both forms select the same packets).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../test/helpers/corpus.js';
import { BSSID, ethernetPackets, wlanCaptures } from '../../test/helpers/wlan-captures.js';
import { compileFilter, equivalent, filterFile } from './index.js';

describe('compileFilter', () => {
  it('takes a display filter as one', () => {
    const r = compileFilter('tcp.port == 80 && ip.src == 10.0.0.0/8');
    expect(r.ok && r.language).toBe('display');
  });
  it('prefers the display filter where both parse (`tcp`, `ip`, `arp`)', () => {
    for (const t of ['tcp', 'ip', 'arp', 'udp', 'not tcp', 'tcp[13] & 2 != 0']) {
      const r = compileFilter(t);
      expect(r.ok && r.language, t).toBe('display');
    }
  });
  it('falls back to tcpdump', () => {
    for (const t of ['host 1.2.3.4', 'tcp port 80', 'tcp[tcpflags] & tcp-syn != 0', 'net 10.0.0.0/8 and not port 22', 'vlan 100 and ip', 'ip6 and tcp']) {
      const r = compileFilter(t);
      expect(r.ok && r.language, t).toBe('tcpdump');
    }
  });
  it('gives the display filter error (and the tcpdump one) when neither parses', () => {
    const r = compileFilter('tcp.flgs == 1');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    // tshark 4.0 -Y 'tcp.flgs == 1': the same message, caret under tcp.flgs.
    expect(r.error).toEqual({ message: 'Left side of "==" expression must be a field or function, not tcp.flgs.', start: 0, end: 8 });
    expect(r.tcpdumpError.message).toBe('syntax error');
  });
});

describe('equivalent', () => {
  const pairs: Array<[string, string]> = [
    ['host 141.142.228.5', 'ip.addr == 141.142.228.5'],
    ['src host 141.142.228.5', 'ip.src == 141.142.228.5'],
    ['dst net 192.150.187.0/24', 'ip.dst == 192.150.187.0/24'],
    ['port 80', '(tcp.port == 80 || udp.port == 80)'],
    ['tcp dst port 80', 'tcp.dstport == 80'],
    ['ether host 00:10:db:88:d2:ef', 'eth.addr == 00:10:db:88:d2:ef'],
    ['tcp and not port 80', '(tcp && !(tcp.port == 80 || udp.port == 80))'],
    ['less 100', 'frame.len <= 100'],
    ['greater 1000', 'frame.len >= 1000'],
  ];
  it('maps tcpdump primitives to display filters', () => {
    for (const [td, df] of pairs) expect(equivalent(td), td).toEqual({ language: 'display', text: df });
  });
  it('maps display filters back to tcpdump', () => {
    expect(equivalent('ip.addr == 1.2.3.4')).toEqual({ language: 'tcpdump', text: 'ip host 1.2.3.4' });
    expect(equivalent('tcp.port == 80 && !udp')).toEqual({ language: 'tcpdump', text: '(tcp port 80 and not udp)' });
    expect(equivalent('tcp.flags.syn == 1')).toEqual({ language: 'tcpdump', text: 'tcp[tcpflags] & tcp-syn != 0' });
    expect(equivalent('ipv6')).toEqual({ language: 'tcpdump', text: 'ip6' });
  });
  it('returns null where no simple mapping exists', () => {
    expect(equivalent('http.request.method == "GET"')).toBeNull();
    expect(equivalent('tcp[13] & 2 != 0')).toBeNull();
    expect(equivalent('not a filter at all ((')).toBeNull();
  });
  // 802.11 frame control and addresses, on an 802.11 capture built from get.pcap's packets.
  const wlanPairs: Array<[string, string]> = [
    ['type mgt', 'wlan.fc.type == 0'],
    ['type data subtype qos-data', 'wlan.fc.type_subtype == 0x0028'],
    ['subtype beacon or subtype ack', '(wlan.fc.type_subtype == 0x0008 || wlan.fc.type_subtype == 0x001d)'],
    ['dir fromds', 'wlan.fc.ds == 2'],
    ['wlan src 00:10:db:88:d2:ef', 'wlan.sa == 00:10:db:88:d2:ef'],
    ['wlan host 00:10:db:88:d2:ef', '(wlan.sa == 00:10:db:88:d2:ef || wlan.da == 00:10:db:88:d2:ef)'],
  ];
  it('maps 802.11 primitives to display filters, selecting the same frames', () => {
    const dir = mkdtempSync(join(tmpdir(), 'synscope-equivalent-'));
    try {
      const file = join(dir, 'wlan.pcap');
      writeFileSync(file, wlanCaptures(ethernetPackets(corpusPath('zeek/http/get.pcap'), 14)).find((c) => c.linkType === 105)!.file);
      for (const [td, df] of wlanPairs) {
        expect(equivalent(td), td).toEqual({ language: 'display', text: df });
        const a = compileFilter(td);
        const b = compileFilter(df);
        if (!a.ok || !b.ok) throw new Error(td);
        const selected = filterFile(file, a.filter);
        expect(selected.length, td).toBeGreaterThan(0);
        expect(filterFile(file, b.filter), `${td} ⇄ ${df}`).toEqual(selected);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // Where Wireshark has the field but tcpdump's test differs (its `ra` is only a data frame's), the mapping is approximate.
    expect(equivalent(`wlan ra ${BSSID}`)).toEqual({ language: 'display', text: `wlan.ra == ${BSSID}` });
    expect(equivalent(`wlan addr3 ${BSSID}`)).toBeNull();
  });
  it('selects the same packets in both languages on a real capture', () => {
    const file = corpusPath('zeek/http/get.pcap');
    for (const [td] of pairs) {
      const a = compileFilter(td);
      const e = equivalent(td)!;
      const b = compileFilter(e.text);
      if (!a.ok || !b.ok) throw new Error(td);
      expect(b.language).toBe('display');
      expect(filterFile(file, b.filter), `${td} ⇄ ${e.text}`).toEqual(filterFile(file, a.filter));
    }
  });
});

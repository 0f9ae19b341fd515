// validateArgs is what stands between an untrusted renderer and the session: it must reject
// every malformed argument with a message that names the channel and the argument.
import { describe, expect, it } from 'vitest';
import { CHANNELS } from './contract.js';
import { validateArgs, ValidationError } from './validate.js';

describe('validateArgs', () => {
  it('accepts well-formed arguments and copies only the declared keys', () => {
    expect(validateArgs('packets.rows', { start: 0, end: 100, timeFormat: 'delta' })).toEqual({ start: 0, end: 100, timeFormat: 'delta' });
    expect(validateArgs('file.open', { path: '/tmp/x.pcap' })).toEqual({ path: '/tmp/x.pcap' });
    expect(validateArgs('session.summary', {})).toEqual({});
    expect(validateArgs('session.summary', undefined)).toEqual({});
    expect(validateArgs('file.save', { path: '/tmp/a.pcapng', format: 'pcapng', which: 'range', range: { first: 3, last: 9 } }))
      .toEqual({ path: '/tmp/a.pcapng', format: 'pcapng', which: 'range', range: { first: 3, last: 9 } });
    expect(validateArgs('capture.start', { interface: 'lo', filter: 'tcp port 80', snaplen: 262144, promiscuous: false, stopAfter: { packets: 10 } }))
      .toEqual({ interface: 'lo', filter: 'tcp port 80', snaplen: 262144, promiscuous: false, stopAfter: { packets: 10 } });
  });

  it('knows every channel of the contract', () => {
    const minimal: Record<string, unknown> = {
      'file.open': { path: 'a' }, 'file.save': { path: 'a', format: 'pcap', which: 'all' }, 'capture.start': { interface: 'lo' },
      'filter.apply': { text: '' }, 'filter.check': { text: '' }, 'filter.fields': { prefix: '' }, 'filter.values': { field: 'ip.addr', prefix: '' },
      'packets.rows': { start: 0, end: 1 }, 'packets.find': { number: 1 }, 'packets.sort': { column: null }, 'packet.detail': { number: 1 },
      'tcp.lifecycle': { stream: 0 }, 'tcp.follow': { stream: 0 }, 'tls.follow': { stream: 0 }, 'udp.follow': { frame: 1 }, 'stats.conversations': { proto: 'TCP' }, 'tls.keylog': { path: null },
    };
    for (const c of CHANNELS) expect(() => validateArgs(c, minimal[c] ?? {}), c).not.toThrow();
  });

  const bad: Array<[string, unknown, RegExp]> = [
    ['no.such', {}, /unknown channel "no\.such"/],
    ['__proto__', {}, /unknown channel/],
    ['packets.rows', { start: -1, end: 10 }, /packets\.rows\.start must be an integer from 0/],
    ['packets.rows', { start: 1.5, end: 10 }, /start must be an integer \(got 1\.5\)/],
    ['packets.rows', { start: '0', end: 10 }, /start must be an integer \(got "0"\)/],
    ['packets.rows', { start: 10, end: 5 }, /end \(5\) is before start \(10\)/],
    ['packets.rows', { start: 0, end: 10_001 }, /at most 10000 rows per call/],
    ['packets.rows', { start: 0, end: 10, timeFormat: 'local' }, /timeFormat must be one of/],
    ['packets.rows', { start: 0 }, /packets\.rows\.end is required/],
    ['packets.rows', [0, 10], /packets\.rows must be an object \(got an array\)/],
    ['packets.rows', null, /must be an object \(got null\)/],
    ['packet.detail', { number: 0 }, /number must be an integer from 1/],
    ['packet.detail', { number: Number.NaN }, /number must be an integer/],
    ['packet.detail', { number: 1, extra: true }, /unknown argument "extra"/],
    ['file.open', { path: 42 }, /file\.open\.path must be a string \(got 42\)/],
    ['file.open', { path: '' }, /non-empty string/],
    ['file.open', { path: '/tmp/a\0b' }, /without NUL/],
    ['file.open', { path: 'x'.repeat(5000) }, /at most 4096 characters/],
    ['tls.keylog', {}, /tls\.keylog\.path is required/],
    ['tls.keylog', { path: 7 }, /tls\.keylog\.path must be a string \(got 7\)/],
    ['tls.keylog', { path: '' }, /non-empty string/],
    ['file.save', { path: 'a', format: 'pcapx', which: 'all' }, /format must be one of "pcap", "pcapng"/],
    ['file.save', { path: 'a', format: 'pcap', which: 'selected' }, /frames is required/],
    ['file.save', { path: 'a', format: 'pcap', which: 'selected', frames: [1, -2] }, /frames\[1\] must be an integer from 1/],
    ['file.save', { path: 'a', format: 'pcap', which: 'range', range: { first: 9, last: 3 } }, /first \(9\) is after last \(3\)/],
    ['filter.apply', { text: 'x'.repeat(20_000) }, /at most 10000 characters/],
    ['filter.apply', {}, /filter\.apply\.text is required/],
    ['capture.start', { interface: 'lo', snaplen: 0 }, /snaplen must be an integer from 1 to 262144/],
    ['capture.start', { interface: 'lo', promiscuous: 'yes' }, /promiscuous must be true or false/],
    ['capture.start', { interface: 'lo', stopAfter: { minutes: 1 } }, /unknown argument "minutes"/],
    ['stats.conversations', { proto: 'tcp' }, /proto must be one of "TCP", "UDP"/],
    ['tcp.lifecycle', { stream: -1 }, /stream must be an integer from 0/],
    ['stats.expert', { soFar: 'yes' }, /soFar must be true or false/],
    ['stats.expert', { severity: 'error' }, /unknown argument "severity"/],
  ];
  it.each(bad)('%s %j is rejected', (channel, args, message) => {
    expect(() => validateArgs(channel, args)).toThrow(ValidationError);
    expect(() => validateArgs(channel, args)).toThrow(message);
  });

  it('rejects class instances posing as arguments', () => {
    expect(() => validateArgs('packet.detail', new (class { number = 1; })())).toThrow(/plain object/);
  });
});

// The runner: packet numbers as tshark numbers frames, the tracker attached only when needed
// and never replacing one the caller attached, tcpdump filters on raw bytes.
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../test/helpers/corpus.js';
import { tsharkRaw } from '../../test/helpers/tshark.js';
import { CaptureState } from '../dissect/driver.js';
import { attachTcpAnalyzer, tcpAnalyzerOf } from '../dissect/tcp-hook.js';
import { createTcpTracker } from '../tcp/index.js';
import { createMatcher, filterFile } from './apply.js';
import { compileDisplayFilter } from './compile.js';
import { compileTcpdump } from './tcpdump/compile.js';

function display(text: string) {
  const c = compileDisplayFilter(text);
  if (!c.ok) throw new Error(c.error.message);
  return c.filter;
}

describe('filterFile', () => {
  it('numbers packets as tshark does on a pcapng with custom blocks', () => {
    const file = corpusPath('gopacket/le/test018.pcapng');
    const { stdout } = tsharkRaw(file, ['-Y', 'frame', '-T', 'fields', '-e', 'frame.number']);
    expect(filterFile(file, display('frame'))).toEqual(stdout.split('\n').filter(Boolean).map(Number));
  });
  it('needs the tracker only for what it decides', () => {
    expect(display('ip.addr == 10.0.0.1 && udp.port == 53').needsTcpAnalysis).toBe(false);
    expect(display('tcp.analysis.retransmission').needsTcpAnalysis).toBe(true);
    expect(display('http.request').needsTcpAnalysis).toBe(true);
    expect(display('frame.protocols contains "http"').needsTcpAnalysis).toBe(true);
  });
  it('runs tcpdump expressions on the raw bytes', () => {
    const c = compileTcpdump('tcp[tcpflags] & tcp-syn != 0');
    if (!c.ok) throw new Error(c.error.message);
    expect(filterFile(corpusPath('zeek/http/get.pcap'), c.filter)).toEqual([1, 2]);
  });
});

describe('createMatcher', () => {
  it('keeps a tracker the caller attached', () => {
    const capture = new CaptureState();
    const tracker = createTcpTracker();
    attachTcpAnalyzer(capture, tracker);
    createMatcher(display('tcp.analysis.flags'), capture);
    expect(tcpAnalyzerOf(capture)).toBe(tracker);
  });
  it('attaches one when the filter needs it and none is there', () => {
    const capture = new CaptureState();
    createMatcher(display('tcp.stream == 0'), capture);
    expect(tcpAnalyzerOf(capture)).not.toBeNull();
    const plain = new CaptureState();
    createMatcher(display('ip'), plain);
    expect(tcpAnalyzerOf(plain)).toBeNull();
  });
});

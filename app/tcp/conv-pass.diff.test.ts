// `synscope conv` takes a pass of its own: packets the fast path decodes go straight into the
// counts (no observation per packet), the tracker runs without tcp_analyze_sequence_number once
// a connection has its iRTT, and the lifecycle without the health detectors (nothing in the table
// shows them). That must change nothing but the speed: on every corpus capture with TCP or UDP,
// every row — endpoints, counts, times, handshake RTT, who closed first, end state — is the same
// as the observation pipeline's with the full analysis (the one conv.diff.test.ts checks against
// tshark).
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../test/helpers/corpus.js';
import { captures } from '../../test/helpers/conv-corpus.js';
import { convTable } from './conv-table.js';
import { convCommand, observeCapture } from './report.js';

async function commandRows(path: string): Promise<unknown[]> {
  let text = '';
  await convCommand(path, { json: true, onError: () => {} }, (s) => (text += s));
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown);
}

async function pipelineRows(path: string): Promise<unknown[]> {
  const t = await convTable(observeCapture(path, { onError: () => {} }));
  // As JSON, like the command prints them.
  return [...t.tcp, ...t.udp].map((r) => JSON.parse(JSON.stringify(r)) as unknown);
}

describe("conv's own pass gives the observation pipeline's table", () => {
  const files = captures();
  let tcpRows = 0, withRtt = 0, closed = 0, udpRows = 0;
  for (const rel of files) {
    it(rel, async () => {
      const path = corpusPath(rel);
      const want = await pipelineRows(path);
      expect(await commandRows(path)).toEqual(want);
      for (const r of want as Array<{ proto: string; handshakeRtt?: number; closedFirstBy?: string }>) {
        if (r.proto === 'udp') udpRows++;
        if (r.proto !== 'tcp') continue;
        tcpRows++;
        if (r.handshakeRtt !== undefined) withRtt++;
        if (r.closedFirstBy !== undefined) closed++;
      }
    });
  }
  it('is exercised: connections with a handshake RTT and a closer, UDP conversations', () => {
    console.log(`${tcpRows} TCP rows, ${withRtt} with a handshake RTT, ${closed} with a closer; ${udpRows} UDP rows`);
    expect(withRtt).toBeGreaterThan(100);
    expect(closed).toBeGreaterThan(100);
    expect(udpRows).toBeGreaterThan(100);
  });
});

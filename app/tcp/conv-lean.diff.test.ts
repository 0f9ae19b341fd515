// `synscope conv` runs the tracker without tcp_analyze_sequence_number and the lifecycle without
// the health detectors (nothing in the table shows them). That must change nothing but the
// speed: on every corpus capture with TCP, every row — endpoints, counts, times, handshake RTT,
// who closed first, end state — is the same as with the full analysis. The rows themselves are
// checked against tshark in conv.diff.test.ts.
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../test/helpers/corpus.js';
import { captures } from '../../test/helpers/conv-corpus.js';
import { convCommand } from './report.js';

async function rows(path: string, sequenceAnalysis: boolean): Promise<unknown[]> {
  let text = '';
  await convCommand(path, { json: true, sequenceAnalysis, onError: () => {} }, (s) => (text += s));
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown);
}

describe('conv without the sequence analysis gives the same table', () => {
  const files = captures();
  let tcpRows = 0, withRtt = 0, closed = 0;
  for (const rel of files) {
    it(rel, async () => {
      const path = corpusPath(rel);
      const full = await rows(path, true);
      const lean = await rows(path, false);
      expect(lean).toEqual(full);
      for (const r of full as Array<{ proto: string; handshakeRtt?: number; closedFirstBy?: string }>) {
        if (r.proto !== 'tcp') continue;
        tcpRows++;
        if (r.handshakeRtt !== undefined) withRtt++;
        if (r.closedFirstBy !== undefined) closed++;
      }
    });
  }
  it('is exercised: connections with a handshake RTT and a closer', () => {
    console.log(`${tcpRows} TCP rows, ${withRtt} with a handshake RTT, ${closed} with a closer`);
    expect(withRtt).toBeGreaterThan(100);
    expect(closed).toBeGreaterThan(100);
  });
});

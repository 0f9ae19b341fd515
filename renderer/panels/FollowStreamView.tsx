// Follow TCP stream: both directions' payload in order, client in red and server in blue (as
// Wireshark colours them), as ASCII or as a hex dump in tshark's layout; each run of one side's
// data says which frame it starts in.
import { useMemo, useState } from 'react';
import type { FollowedStream } from '../../app/session/contract.js';
import { base64ToBytes } from '../lib/bytes.js';
import { asciiText, decodeChunks, hexDump } from './follow-format.js';
import './panels.css';

export function FollowStreamView({ stream }: { stream: FollowedStream }) {
  const [mode, setMode] = useState<'ascii' | 'hex'>('ascii');
  const chunks = useMemo(() => decodeChunks(stream, base64ToBytes), [stream]);
  const bytes = { client: 0, server: 0 };
  for (const c of chunks) bytes[c.from] += c.data.length;
  return (
    <div className="follow-view">
      <div className="follow-header">
        <span className="follow-client">{stream.client} → {stream.server}: {bytes.client} bytes</span>
        <span className="follow-server">{stream.server} → {stream.client}: {bytes.server} bytes</span>
        <span className="follow-mode" role="radiogroup" aria-label="Show as">
          <label><input type="radio" name={`follow-mode-${stream.stream}`} checked={mode === 'ascii'} onChange={() => setMode('ascii')} /> ASCII</label>
          <label><input type="radio" name={`follow-mode-${stream.stream}`} checked={mode === 'hex'} onChange={() => setMode('hex')} /> Hex dump</label>
        </span>
      </div>
      <pre className="follow-content" aria-label="Stream content" data-mode={mode}>
        {chunks.length === 0 && <span className="muted">No payload in this stream.</span>}
        {mode === 'ascii'
          ? chunks.map((c, i) => <span key={i} className={`follow-${c.from}`} title={`${c.from}, from frame ${c.frame}`}>{asciiText(c.data)}</span>)
          : hexDump(chunks).map((c, i) => <span key={i} className={`follow-${c.from}`} title={`${c.from}, from frame ${c.frame}`}>{c.lines.join('\n') + '\n'}</span>)}
      </pre>
    </div>
  );
}

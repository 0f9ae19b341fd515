// Analyze › Follow › TCP Stream: each side's payload in order, client in red and server in
// blue as Wireshark shows it, non-printable bytes as dots (line breaks kept).
import type { FollowedStream } from '../../app/session/contract.js';
import { base64ToBytes } from '../lib/bytes.js';
import { Dialog } from './Dialog.js';

function printable(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b === 0x0a || b === 0x09 || (b >= 0x20 && b < 0x7f) ? String.fromCharCode(b) : b === 0x0d ? '' : '.';
  return s;
}

export function FollowStreamDialog({ stream, onClose }: { stream: FollowedStream; onClose(): void }) {
  const chunks = stream.chunks.map((c) => ({ ...c, data: base64ToBytes(c.bytes) }));
  const clientBytes = chunks.filter((c) => c.from === 'client').reduce((n, c) => n + c.data.length, 0);
  const serverBytes = chunks.filter((c) => c.from === 'server').reduce((n, c) => n + c.data.length, 0);
  return (
    <Dialog title={`Follow TCP Stream (tcp.stream eq ${stream.stream})`} onClose={onClose} wide>
      <div className="follow-summary">
        <span className="follow-client">
          {stream.client} → {stream.server}: {clientBytes} bytes
        </span>
        <span className="follow-server">
          {stream.server} → {stream.client}: {serverBytes} bytes
        </span>
      </div>
      <pre className="follow-text" aria-label="Stream content">
        {chunks.length === 0 && <span className="muted">No payload in this stream.</span>}
        {chunks.map((c, i) => (
          <span key={i} className={c.from === 'client' ? 'follow-client' : 'follow-server'} title={`frame ${c.frame}`}>
            {printable(c.data)}
          </span>
        ))}
      </pre>
    </Dialog>
  );
}

// Decrypt TLS (toolbar "Keys", Edit › TLS Key Log File…): the key log file TLS sessions are
// decrypted with, in the NSS format browsers and curl write when SSLKEYLOGFILE is set (tshark's
// tls.keylog_file). As with File › Open, the path is on the machine running SynScope. A pcapng
// that carries its secrets (Decryption Secrets Blocks) needs none.
import { useState } from 'react';
import { Dialog } from './Dialog.js';

export function TlsKeyLogDialog({ current, onUse, onClose }: { current: string | null; onUse(path: string | null): void; onClose(): void }) {
  const [path, setPath] = useState(current ?? '');
  return (
    <Dialog title="Decrypt TLS" onClose={onClose} onSubmit={() => onUse(path.trim())} submitLabel="Decrypt" submitDisabled={path.trim() === ''}>
      <label className="field">
        <span className="field-label">Key log file on the SynScope host</span>
        <input className="text-input mono" aria-label="Key log file" autoFocus spellCheck={false} value={path} onChange={(e) => setPath(e.target.value)} placeholder="/path/to/sslkeylog.txt" />
      </label>
      <p className="hint">
        The secrets a browser or curl writes when <span className="mono">SSLKEYLOGFILE</span> is set (TLS 1.2 and 1.3). The open
        capture is read again with them. Captures that carry their own secrets are decrypted without one.
      </p>
      {current !== null && (
        <p className="hint">
          In use: <span className="mono">{current}</span>{' '}
          <button type="button" className="link-button" onClick={() => onUse(null)}>
            Stop using it
          </button>
        </p>
      )}
    </Dialog>
  );
}

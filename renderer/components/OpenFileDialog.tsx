// File › Open. In web mode the path is on the machine running `synscope web` (the browser
// cannot hand a local file's path to the server), so the user types it; recent files are one
// click away.
import { useState } from 'react';
import { Dialog } from './Dialog.js';

export function OpenFileDialog({ recent, onOpen, onClose }: { recent: string[]; onOpen(path: string): void; onClose(): void }) {
  const [path, setPath] = useState(recent[0] ?? '');
  return (
    <Dialog title="Open capture file" onClose={onClose} onSubmit={() => onOpen(path.trim())} submitLabel="Open" submitDisabled={path.trim() === ''}>
      <label className="field">
        <span className="field-label">File path on the SynScope host</span>
        <input className="text-input mono" aria-label="File path" autoFocus spellCheck={false} value={path} onChange={(e) => setPath(e.target.value)} placeholder="/path/to/capture.pcapng" />
      </label>
      <p className="hint">pcap and pcapng, also gzip- or zstd-compressed.</p>
      {recent.length > 0 && (
        <div className="recent-in-dialog">
          <div className="field-label">Recent</div>
          <ul className="plain-list">
            {recent.map((r) => (
              <li key={r}>
                <button type="button" className="link-button mono" onClick={() => setPath(r)} onDoubleClick={() => onOpen(r)}>
                  {r}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </Dialog>
  );
}

// File › Save / Export Specified Packets: which packets (all, displayed, the selected one) and
// the format. The file is written on the SynScope host, atomically, by the session.
import { useState } from 'react';
import type { CaptureFormat, SaveRequest } from '../../app/session/contract.js';
import { Dialog } from './Dialog.js';

export interface SaveDialogProps {
  initialPath: string;
  packets: number;
  displayed: number;
  selected: number | null;
  onSave(req: SaveRequest): void;
  onClose(): void;
}

export function SaveDialog({ initialPath, packets, displayed, selected, onSave, onClose }: SaveDialogProps) {
  const [path, setPath] = useState(initialPath);
  const [format, setFormat] = useState<CaptureFormat>(initialPath.endsWith('.pcap') ? 'pcap' : 'pcapng');
  const [which, setWhich] = useState<'all' | 'displayed' | 'selected'>(displayed < packets ? 'displayed' : 'all');

  const changeFormat = (f: CaptureFormat) => {
    setFormat(f);
    // Keep the extension in step with the format, as Wireshark's save dialog does.
    setPath((p) => p.replace(/\.(pcapng|pcap)$/i, '') + (f === 'pcap' ? '.pcap' : '.pcapng'));
  };

  const submit = () => {
    const req: SaveRequest = { path: path.trim(), format, which };
    if (which === 'selected' && selected !== null) req.frames = [selected];
    onSave(req);
  };

  return (
    <Dialog title="Save packets" onClose={onClose} onSubmit={submit} submitLabel="Save" submitDisabled={path.trim() === '' || (which === 'selected' && selected === null)}>
      <label className="field">
        <span className="field-label">File path on the SynScope host</span>
        <input className="text-input mono" aria-label="Save as" autoFocus spellCheck={false} value={path} onChange={(e) => setPath(e.target.value)} />
      </label>
      <fieldset className="field-group">
        <legend className="field-label">Packets</legend>
        <label className="radio">
          <input type="radio" name="which" checked={which === 'all'} onChange={() => setWhich('all')} /> All packets <span className="muted">({packets})</span>
        </label>
        <label className="radio">
          <input type="radio" name="which" checked={which === 'displayed'} onChange={() => setWhich('displayed')} /> Displayed <span className="muted">({displayed})</span>
        </label>
        <label className="radio">
          <input type="radio" name="which" checked={which === 'selected'} disabled={selected === null} onChange={() => setWhich('selected')} /> Selected packet{' '}
          <span className="muted">{selected !== null ? `(No. ${selected})` : '(none)'}</span>
        </label>
      </fieldset>
      <label className="field">
        <span className="field-label">Format</span>
        <select className="select" aria-label="Format" value={format} onChange={(e) => changeFormat(e.target.value as CaptureFormat)}>
          <option value="pcapng">pcapng</option>
          <option value="pcap">pcap (libpcap)</option>
        </select>
      </label>
    </Dialog>
  );
}

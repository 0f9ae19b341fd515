// Go › Go to Packet (Ctrl+G): a frame number; the session says where it is in the view.
import { useState } from 'react';
import { Dialog } from './Dialog.js';

export function GoToDialog({ onGo, onClose }: { onGo(n: number): void; onClose(): void }) {
  const [text, setText] = useState('');
  const n = Number(text);
  const valid = /^\d+$/.test(text) && n >= 1;
  return (
    <Dialog title="Go to packet" onClose={onClose} onSubmit={() => onGo(n)} submitLabel="Go" submitDisabled={!valid}>
      <label className="field">
        <span className="field-label">Packet number</span>
        <input className="text-input" aria-label="Packet number" inputMode="numeric" autoFocus value={text} onChange={(e) => setText(e.target.value.trim())} />
      </label>
    </Dialog>
  );
}

// Messages under the filter bar: errors (a file that is not a capture, a capture that could not
// start) stay until dismissed and are announced as alerts; information fades by itself (and is
// not a second role=status: that role belongs to the status bar).
export interface Message {
  id: number;
  kind: 'error' | 'warning' | 'info';
  text: string;
  /** The capture it is about ('file:/path'); it goes away when another capture is opened. */
  scope?: string;
}

export function MessageBar({ messages, onDismiss }: { messages: Message[]; onDismiss(id: number): void }) {
  if (messages.length === 0) return null;
  return (
    <div className="message-bar">
      {messages.map((m) => (
        <div key={m.id} className={`message message-${m.kind}`} role={m.kind === 'info' ? undefined : 'alert'} aria-live={m.kind === 'info' ? 'polite' : undefined}>
          <span className="message-icon" aria-hidden="true">
            {m.kind === 'error' ? '✖' : m.kind === 'warning' ? '⚠' : 'ℹ'}
          </span>
          <span className="message-text">{m.text}</span>
          <button type="button" className="message-close" aria-label="Dismiss message" onClick={() => onDismiss(m.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

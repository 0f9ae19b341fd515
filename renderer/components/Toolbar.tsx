// The main toolbar, in Wireshark's order: file actions, capture actions, go to packet, TLS
// keys, the time format and auto-scroll, and the theme switch at the far end.
import type { TimeFormat } from '../../app/session/contract.js';
import type { Theme } from '../lib/preferences.js';
import { AutoScrollIcon, CloseIcon, GoToIcon, KeyIcon, OpenIcon, OptionsIcon, RestartIcon, SaveIcon, StartIcon, StopIcon, ThemeIcon } from './Icons.js';

export interface ToolbarProps {
  hasCapture: boolean;
  capturing: boolean;
  canRestart: boolean;
  timeFormat: TimeFormat;
  autoScroll: boolean;
  theme: Theme;
  onOpen(): void;
  onSave(): void;
  onClose(): void;
  onStart(): void;
  onStop(): void;
  onRestart(): void;
  onOptions(): void;
  onGoTo(): void;
  /** Decrypt TLS with a key log file; `tlsKeyLog` is the one in use. */
  onTlsKeys(): void;
  tlsKeyLog: string | null;
  onTimeFormat(f: TimeFormat): void;
  onAutoScroll(on: boolean): void;
  onTheme(t: Theme): void;
}

const TIME_FORMATS: Array<{ value: TimeFormat; label: string }> = [
  { value: 'relative', label: 'Seconds since start' },
  { value: 'delta', label: 'Seconds since previous packet' },
  { value: 'absolute', label: 'Date and time of day' },
  { value: 'utc', label: 'UTC date and time' },
  { value: 'epoch', label: 'Seconds since 1970-01-01' },
];

export function Toolbar(p: ToolbarProps) {
  return (
    <div className="toolbar" role="toolbar" aria-label="Main toolbar">
      <span className="brand" aria-hidden="true">
        Syn<span className="brand-accent">Scope</span>
      </span>
      <ToolButton label="Open a capture file (Ctrl+O)" onClick={p.onOpen} icon={<OpenIcon />} text="Open" />
      <ToolButton label="Save packets (Ctrl+S)" onClick={p.onSave} icon={<SaveIcon />} text="Save" disabled={!p.hasCapture} />
      <ToolButton label="Close this capture" onClick={p.onClose} icon={<CloseIcon />} disabled={!p.hasCapture || p.capturing} />
      <span className="toolbar-sep" />
      <ToolButton label="Start capturing (Ctrl+E)" onClick={p.onStart} icon={<StartIcon />} text="Start" disabled={p.capturing} />
      <ToolButton label="Stop capturing (Ctrl+E)" onClick={p.onStop} icon={<StopIcon />} text="Stop" disabled={!p.capturing} />
      <ToolButton label="Restart the capture" onClick={p.onRestart} icon={<RestartIcon />} disabled={!p.canRestart} />
      <ToolButton label="Capture options (Ctrl+K)" onClick={p.onOptions} icon={<OptionsIcon />} />
      <span className="toolbar-sep" />
      <ToolButton label="Go to packet (Ctrl+G)" onClick={p.onGoTo} icon={<GoToIcon />} disabled={!p.hasCapture} />
      <ToolButton
        label={p.tlsKeyLog === null ? 'Decrypt TLS with a key log file' : `TLS decrypted with ${p.tlsKeyLog}`}
        onClick={p.onTlsKeys}
        icon={<KeyIcon />}
        text="Keys"
        pressed={p.tlsKeyLog !== null}
      />
      <ToolButton
        label="Scroll to the newest packet while capturing"
        onClick={() => p.onAutoScroll(!p.autoScroll)}
        icon={<AutoScrollIcon />}
        pressed={p.autoScroll}
      />
      <label className="toolbar-select">
        <span className="visually-hidden">Time display format</span>
        <select aria-label="Time display format" value={p.timeFormat} onChange={(e) => p.onTimeFormat(e.target.value as TimeFormat)}>
          {TIME_FORMATS.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </select>
      </label>
      <span className="toolbar-spacer" />
      <ToolButton
        label={p.theme === 'dark' ? 'Switch to the light theme' : 'Switch to the dark theme'}
        onClick={() => p.onTheme(p.theme === 'dark' ? 'light' : 'dark')}
        icon={<ThemeIcon dark={p.theme === 'dark'} />}
      />
    </div>
  );
}

function ToolButton({ label, onClick, icon, text, disabled, pressed }: { label: string; onClick(): void; icon: JSX.Element; text?: string; disabled?: boolean; pressed?: boolean }) {
  return (
    <button type="button" className={text ? 'tool-button with-text' : 'tool-button'} title={label} aria-label={label} aria-pressed={pressed} disabled={disabled} onClick={onClick}>
      {icon}
      {text && <span className="tool-text">{text}</span>}
    </button>
  );
}

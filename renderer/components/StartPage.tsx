// The welcome page (nothing open): recent files on one side; on the other the interfaces to
// capture on, each with its packets/s sparkline, and a capture filter for a quick start.
// Double-click (or Enter on) an interface starts capturing on it, as in Wireshark.
import { useState } from 'react';
import type { InterfaceInfo } from '../../app/session/contract.js';
import { baseName } from '../lib/format.js';
import { OpenIcon, StartIcon } from './Icons.js';
import { Sparkline } from './Sparkline.js';

export interface StartPageProps {
  recent: string[];
  interfaces: InterfaceInfo[] | null;
  interfacesError: string | null;
  /** Packets per second seen per interface (from capture statistics), oldest first. */
  traffic: ReadonlyMap<string, readonly number[]>;
  onOpen(path: string): void;
  onOpenDialog(): void;
  onForget(path: string): void;
  onCapture(iface: string, filter: string): void;
}

export function StartPage({ recent, interfaces, interfacesError, traffic, onOpen, onOpenDialog, onForget, onCapture }: StartPageProps) {
  const [filter, setFilter] = useState('');
  const [chosen, setChosen] = useState<string | null>(null);
  return (
    <div className="start-page">
      <div className="start-inner">
        <h1 className="start-title">
          Welcome to Syn<span className="brand-accent">Scope</span>
        </h1>
        <div className="start-columns">
          <section className="start-section" aria-labelledby="start-open">
            <h2 id="start-open">Open</h2>
            <button type="button" className="button button-primary" onClick={onOpenDialog}>
              <OpenIcon /> Open a capture file…
            </button>
            {recent.length === 0 ? (
              <p className="muted">Recently opened files appear here.</p>
            ) : (
              <ul className="recent-list" aria-label="Recent files">
                {recent.map((p) => (
                  <li key={p} className="recent-item">
                    <button type="button" className="link-button" title={p} onClick={() => onOpen(p)}>
                      <span className="recent-name">{baseName(p)}</span>
                      <span className="recent-path muted">{p}</span>
                    </button>
                    <button type="button" className="forget" aria-label={`Remove ${p} from the recent list`} title="Remove from the list" onClick={() => onForget(p)}>
                      ×
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section className="start-section" aria-labelledby="start-capture">
            <h2 id="start-capture">Capture</h2>
            <label className="field">
              <span className="field-label">…using this capture filter</span>
              <input className="text-input mono" aria-label="Start page capture filter" placeholder="Enter a capture filter … (tcpdump syntax)" spellCheck={false} value={filter} onChange={(e) => setFilter(e.target.value)} />
            </label>
            {interfacesError && <p className="message message-error">{interfacesError}</p>}
            {!interfaces && !interfacesError && <p className="muted">Looking for interfaces…</p>}
            {interfaces && (
              <div className="start-ifaces" role="listbox" aria-label="Interfaces">
                {interfaces.map((i) => (
                  <div
                    key={i.name}
                    role="option"
                    tabIndex={0}
                    aria-selected={chosen === i.name}
                    className={chosen === i.name ? 'start-iface selected' : 'start-iface'}
                    onClick={() => setChosen(i.name)}
                    onDoubleClick={() => onCapture(i.name, filter)}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter') onCapture(i.name, filter);
                    }}
                  >
                    <span className="iface-name">{i.name}</span>
                    <span className="iface-desc muted">{i.description ?? (i.loopback ? 'Loopback' : '')}</span>
                    <InterfaceTraffic samples={traffic.get(i.name)} name={i.name} />
                  </div>
                ))}
              </div>
            )}
            <button type="button" className="button" disabled={!chosen} onClick={() => chosen && onCapture(chosen, filter)}>
              <StartIcon /> Start capturing{chosen ? ` on ${chosen}` : ''}
            </button>
          </section>
        </div>
      </div>
    </div>
  );
}

/** The sparkline once this session has captured on the interface; until then nothing to draw. */
function InterfaceTraffic({ samples, name }: { samples: readonly number[] | undefined; name: string }) {
  if (!samples || samples.length === 0) return <span className="iface-rate muted" />;
  return (
    <span className="iface-rate">
      <Sparkline values={samples} label={`Traffic on ${name}`} />
      <span className="muted">{Math.round(samples[samples.length - 1]!)}/s</span>
    </span>
  );
}

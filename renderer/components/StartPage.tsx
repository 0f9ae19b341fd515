// The welcome page (nothing open): recent files on one side; on the other the interfaces to
// capture on, each with its live packets/s sparkline, and a capture filter for a quick start.
// Double-click (or Enter on) an interface starts capturing on it, as in Wireshark.
import { useEffect, useState } from 'react';
import type { InterfaceInfo, SessionApi } from '../../app/session/contract.js';
import { baseName } from '../lib/format.js';
import { addTrafficSample, EMPTY_TRAFFIC, TRAFFIC_POINTS } from '../lib/traffic-rates.js';
import { OpenIcon, StartIcon } from './Icons.js';
import { Sparkline } from './Sparkline.js';

/** How often the page reads the interfaces' packet counters (ms). */
const TRAFFIC_POLL_MS = 1000;

export interface StartPageProps {
  api: SessionApi;
  recent: string[];
  interfaces: InterfaceInfo[] | null;
  interfacesError: string | null;
  onOpen(path: string): void;
  onOpenDialog(): void;
  onForget(path: string): void;
  onCapture(iface: string, filter: string): void;
}

/**
 * Packets/s per interface while the page is shown: the kernel's counters (capture.traffic, no
 * capture privileges needed) read about once a second; polling ends when the page unmounts.
 */
function useInterfaceTraffic(api: SessionApi): ReadonlyMap<string, readonly number[]> {
  const [history, setHistory] = useState(EMPTY_TRAFFIC);
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The next read is scheduled when the last one answered, so slow answers never pile up.
    const poll = () => {
      const started = performance.now();
      api.call('capture.traffic', {}).then(
        (sample) => live && setHistory((h) => addTrafficSample(h, sample)),
        () => {},
      ).finally(() => {
        if (live) timer = setTimeout(poll, Math.max(0, TRAFFIC_POLL_MS - (performance.now() - started)));
      });
    };
    poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api]);
  return history.rates;
}

export function StartPage({ api, recent, interfaces, interfacesError, onOpen, onOpenDialog, onForget, onCapture }: StartPageProps) {
  const [filter, setFilter] = useState('');
  const [chosen, setChosen] = useState<string | null>(null);
  const traffic = useInterfaceTraffic(api);
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

/**
 * The sparkline and the latest rate of an interface with counters; nothing for one without
 * (a pseudo-device such as "any"), and an empty line until the second reading gives a rate.
 */
function InterfaceTraffic({ samples, name }: { samples: readonly number[] | undefined; name: string }) {
  if (!samples) return <span className="iface-rate muted" />;
  const last = samples[samples.length - 1];
  return (
    <span className="iface-rate">
      <Sparkline values={samples} points={TRAFFIC_POINTS} height={18} label={`Traffic on ${name}`} />
      <span className="iface-rate-value muted">{last === undefined ? '' : `${Math.round(last)}/s`}</span>
    </span>
  );
}

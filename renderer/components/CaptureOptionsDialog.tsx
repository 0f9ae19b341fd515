// Capture › Options (Ctrl+K): the interface, a capture filter (tcpdump syntax, applied in the
// kernel), snapshot length, promiscuous mode, the in-memory ring's size and dumpcap-style stop
// conditions. The capture filter is checked as the user types: a display filter is not a
// capture filter, and the message says so.
import { useEffect, useState } from 'react';
import type { CaptureOptions, InterfaceInfo, SessionApi } from '../../app/session/contract.js';
import { Dialog } from './Dialog.js';

export interface CaptureOptionsDialogProps {
  api: SessionApi;
  interfaces: InterfaceInfo[] | null;
  interfacesError: string | null;
  initial: CaptureOptions | null;
  onStart(opts: CaptureOptions): void;
  onClose(): void;
}

const MB = 1 << 20;

export function CaptureOptionsDialog({ api, interfaces, interfacesError, initial, onStart, onClose }: CaptureOptionsDialogProps) {
  const [iface, setIface] = useState(initial?.interface ?? '');
  const [filter, setFilter] = useState(initial?.filter ?? '');
  const [snaplen, setSnaplen] = useState(String(initial?.snaplen ?? 262144));
  const [promisc, setPromisc] = useState(initial?.promiscuous ?? true);
  const [ringMB, setRingMB] = useState(String(Math.round((initial?.ringBytes ?? 256 * MB) / MB)));
  const [stopPackets, setStopPackets] = useState(initial?.stopAfter?.packets ? String(initial.stopAfter.packets) : '');
  const [stopSeconds, setStopSeconds] = useState(initial?.stopAfter?.seconds ? String(initial.stopAfter.seconds) : '');
  const [stopMB, setStopMB] = useState(initial?.stopAfter?.bytes ? String(Math.round(initial.stopAfter.bytes / MB)) : '');
  const [filterProblem, setFilterProblem] = useState<string | null>(null);

  useEffect(() => {
    if (iface === '' && interfaces && interfaces.length > 0) setIface((interfaces.find((i) => i.up && !i.loopback) ?? interfaces[0]!).name);
  }, [interfaces, iface]);

  useEffect(() => {
    if (filter.trim() === '') {
      setFilterProblem(null);
      return;
    }
    let live = true;
    const t = setTimeout(() => {
      api.call('filter.check', { text: filter }).then(
        (r) => {
          if (!live) return;
          if (!r.ok) setFilterProblem(r.error.message);
          else if (r.language === 'display') setFilterProblem(r.equivalent?.language === 'tcpdump' ? `That is a display filter; as a capture filter write: ${r.equivalent.text}` : 'That is a display filter, not a capture filter (tcpdump syntax)');
          else setFilterProblem(null);
        },
        () => live && setFilterProblem(null),
      );
    }, 150);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [api, filter]);

  const num = (s: string) => (/^\d+$/.test(s.trim()) ? Number(s.trim()) : undefined);
  const snap = num(snaplen);
  const ring = num(ringMB);
  const valid = iface !== '' && snap !== undefined && snap >= 1 && snap <= 262144 && ring !== undefined && ring >= 1 && filterProblem === null;

  const submit = () => {
    const opts: CaptureOptions = { interface: iface, snaplen: snap!, promiscuous: promisc, ringBytes: ring! * MB };
    if (filter.trim() !== '') opts.filter = filter.trim();
    const stopAfter: NonNullable<CaptureOptions['stopAfter']> = {};
    if (num(stopPackets)) stopAfter.packets = num(stopPackets);
    if (num(stopSeconds)) stopAfter.seconds = num(stopSeconds);
    if (num(stopMB)) stopAfter.bytes = num(stopMB)! * MB;
    if (Object.keys(stopAfter).length > 0) opts.stopAfter = stopAfter;
    onStart(opts);
  };

  return (
    <Dialog title="Capture options" onClose={onClose} onSubmit={submit} submitLabel="Start" submitDisabled={!valid} wide>
      <div className="field-label">Interface</div>
      <div className="iface-table" role="radiogroup" aria-label="Interface">
        {interfacesError && <div className="message message-error">{interfacesError}</div>}
        {!interfaces && !interfacesError && <div className="muted">Looking for interfaces…</div>}
        {interfaces?.map((i) => (
          <label key={i.name} className={i.name === iface ? 'iface-row selected' : 'iface-row'}>
            <input type="radio" name="iface" checked={i.name === iface} onChange={() => setIface(i.name)} />
            <span className="iface-name">{i.name}</span>
            <span className="iface-desc">{i.description ?? ''}</span>
            <span className="iface-addr mono">{i.addresses.filter((a) => a.family !== 'link').map((a) => a.address).join(', ')}</span>
            <span className="iface-flags">{[i.up ? 'up' : 'down', i.loopback ? 'loopback' : '', i.linkTypeName ?? ''].filter(Boolean).join(' · ')}</span>
          </label>
        ))}
      </div>
      <label className="field">
        <span className="field-label">Capture filter (tcpdump syntax, applied in the kernel)</span>
        <input
          className={filter.trim() === '' ? 'text-input mono' : filterProblem ? 'text-input mono invalid' : 'text-input mono valid'}
          aria-label="Capture filter"
          aria-invalid={filterProblem !== null}
          spellCheck={false}
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          placeholder="e.g. tcp port 443 or host 10.0.0.1"
        />
        {filterProblem && <span className="field-error">{filterProblem}</span>}
      </label>
      <div className="field-row">
        <label className="field">
          <span className="field-label">Snapshot length (bytes)</span>
          <input className="text-input" aria-label="Snapshot length" inputMode="numeric" value={snaplen} onChange={(e) => setSnaplen(e.target.value)} />
        </label>
        <label className="field">
          <span className="field-label">Ring buffer (MiB in memory)</span>
          <input className="text-input" aria-label="Ring buffer size" inputMode="numeric" value={ringMB} onChange={(e) => setRingMB(e.target.value)} />
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={promisc} onChange={(e) => setPromisc(e.target.checked)} /> Promiscuous mode
        </label>
      </div>
      <fieldset className="field-group">
        <legend className="field-label">Stop automatically after (any that is reached first)</legend>
        <div className="field-row">
          <label className="field">
            <span className="field-label">packets</span>
            <input className="text-input" aria-label="Stop after packets" inputMode="numeric" value={stopPackets} onChange={(e) => setStopPackets(e.target.value)} />
          </label>
          <label className="field">
            <span className="field-label">seconds</span>
            <input className="text-input" aria-label="Stop after seconds" inputMode="numeric" value={stopSeconds} onChange={(e) => setStopSeconds(e.target.value)} />
          </label>
          <label className="field">
            <span className="field-label">MiB</span>
            <input className="text-input" aria-label="Stop after MiB" inputMode="numeric" value={stopMB} onChange={(e) => setStopMB(e.target.value)} />
          </label>
        </div>
      </fieldset>
    </Dialog>
  );
}

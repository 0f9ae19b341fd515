// The TCP health alerts of the current file or capture, read once for the whole window: the
// status bar counts them and the Alerts table lists them. Read when the source changes, and
// again when the session says so: an 'alert' event (a flood or scan raised, or, while capturing,
// a grouping that came to hold with time), a new summary (a file's pass over), or while
// capturing new packets; at most once a second, one read at a time.
import { useEffect, useState } from 'react';
import type { SessionApi, TcpAlert } from '../../app/session/contract.js';
import { coalescedRun } from '../timeline/coalesced-run.js';

/** The alerts so far; null until the session first answers for this source. */
export function useAlerts(api: SessionApi, source: string): TcpAlert[] | null {
  const [alerts, setAlerts] = useState<TcpAlert[] | null>(null);
  useEffect(() => {
    let current = true;
    setAlerts(null);
    const again = coalescedRun(() => api.call('tcp.alerts', {}).then((a) => {
      if (current) setAlerts(a);
    }), 1000);
    again.runNow();
    const live = source.startsWith('live:');
    const off = api.subscribe((events) => {
      if (events.some((e) => e.type === 'alert' || e.type === 'summary' || (e.type === 'rows' && live))) again.schedule();
    });
    return () => {
      current = false;
      off();
      again.cancel();
    };
  }, [api, source]);
  return alerts;
}

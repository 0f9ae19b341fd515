// `synscope read -z TABLE[,FILTER]`: tshark's statistics tables, in tshark's text, after the
// packets (alone with -q). Each distinct filter takes one pass over the file: the pass
// `synscope conv` makes (countTables), which counts every packet whatever -Y shows, as tshark's
// taps do. tshark prints the tables last to first; so does this.
import type { EndpointRow } from '../session/contract.js';
import { writeEndpointTable } from '../stats/endpoint-table.js';
import { writeConvTable } from '../tcp/conv-table.js';
import { countTables, type CountedTables, type ObserveOptions } from '../tcp/report.js';
import type { StatTap } from './args.js';
import { EXIT_FILTER } from './filters.js';
import { EXIT_OK } from './open-capture.js';
import type { Sink } from './sink.js';
import { guarded, observeFilter } from './tcp-commands.js';

/** Writes the tables of `taps` for `file`. Returns the exit status (2: a bad filter, an unreadable or damaged file). */
export async function runStatTaps(file: string, taps: readonly StatTap[], out: Sink, err: Sink): Promise<number> {
  // Every filter compiled before any pass: a bad one is an error before any table.
  const passes = new Map<string | null, ObserveOptions>();
  for (const t of taps) {
    if (passes.has(t.filter)) continue;
    const f = observeFilter(t.filter ?? undefined);
    if (!f.ok) {
      err.write(f.error);
      return EXIT_FILTER;
    }
    passes.set(t.filter, f.opts);
  }
  return guarded(file, err, async (onError) => {
    const counted = new Map<string | null, CountedTables>();
    for (const [filter, opts] of passes) {
      const endpoints = taps.some((t) => t.filter === filter && t.table.startsWith('endpoints'));
      counted.set(filter, await countTables(file, { ...opts, onError }, endpoints));
    }
    const write = (s: string) => out.write(s);
    for (const t of [...taps].reverse()) {
      const c = counted.get(t.filter)!;
      switch (t.table) {
        case 'conv,tcp': writeConvTable(c.conv.tcp, 'TCP', write, t.filter, false); break;
        case 'conv,udp': writeConvTable(c.conv.udp, 'UDP', write, t.filter, false); break;
        case 'endpoints,ip': writeEndpointTable(c.endpoints.filter((r) => !isIPv6(r)), 'IPv4', write, t.filter); break;
        case 'endpoints,ipv6': writeEndpointTable(c.endpoints.filter(isIPv6), 'IPv6', write, t.filter); break;
      }
    }
    return EXIT_OK;
  });
}

function isIPv6(r: EndpointRow): boolean {
  return r.address.includes(':');
}

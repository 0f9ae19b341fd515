// The command line's filters: -Y (a display filter, or a tcpdump expression when it is not a
// valid display filter: compileFilter) and -f (a tcpdump expression, applied to the raw bytes
// like a capture filter: capture-filter.ts, which also prints errors as tshark does).
import { compileFilter, type DisplayFilter, type TcpdumpFilter } from '../filter/index.js';
import type { CaptureFileInfo } from '../file/types.js';
import { compileCaptureFilter, EXIT_FILTER, formatFilterError, tcpdumpLinkProblem } from './capture-filter.js';

export { EXIT_FILTER, formatFilterError };

export interface ReadFilters {
  /** -Y as a display filter. */
  display: DisplayFilter | null;
  /** -Y as a tcpdump expression (it did not compile as a display filter). */
  tcpdump: TcpdumpFilter | null;
  /** -f: packets it rejects are skipped as if never captured. */
  capture: TcpdumpFilter | null;
}

/** Compiles -Y / -f; the error text to print when one of them is invalid. */
export function compileReadFilters(displayText: string | null, captureText: string | null): { ok: true; filters: ReadFilters } | { ok: false; error: string } {
  const filters: ReadFilters = { display: null, tcpdump: null, capture: null };
  const c = compileCaptureFilter(captureText);
  if (!c.ok) return c;
  filters.capture = c.filter;
  // An empty -Y is no filter (tshark accepts `-Y ''`).
  if (displayText !== null && displayText.trim() !== '') {
    const r = compileFilter(displayText);
    if (!r.ok) return { ok: false, error: formatFilterError(r.error.message, displayText, r.error.start, r.error.end) };
    if (r.language === 'display') filters.display = r.filter;
    else filters.tcpdump = r.filter;
  }
  return { ok: true, filters };
}

/** libpcap's error for a tcpdump expression (-f, or -Y as one) on one of the file's link types, or null. */
export function linkTypeProblem(filters: ReadFilters, info: CaptureFileInfo): string | null {
  return tcpdumpLinkProblem([filters.capture, filters.tcpdump], info);
}

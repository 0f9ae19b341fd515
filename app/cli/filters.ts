// The command line's filters: -Y (a display filter, or a tcpdump expression when it is not a
// valid display filter: compileFilter) and -f (a tcpdump expression, applied to the raw bytes
// like a capture filter). Errors are printed the way tshark 4.0 prints a bad -Y: the message,
// then the filter indented by four spaces and a `^~~~` marker under the span (no marker when
// the span is empty, e.g. "Unexpected end of filter expression."), exit status 2.
import { compileFilter, compileTcpdump, type DisplayFilter, type TcpdumpFilter } from '../filter/index.js';
import type { CaptureFileInfo } from '../file/types.js';

export interface ReadFilters {
  /** -Y as a display filter. */
  display: DisplayFilter | null;
  /** -Y as a tcpdump expression (it did not compile as a display filter). */
  tcpdump: TcpdumpFilter | null;
  /** -f: packets it rejects are skipped as if never captured. */
  capture: TcpdumpFilter | null;
}

export const EXIT_FILTER = 2;

/** tshark's error block: message, the filter text, and a caret line under [start, end). */
export function formatFilterError(message: string, text: string, start: number, end: number): string {
  let s = `synscope: ${message}\n`;
  if (end > start) s += `    ${text}\n    ${' '.repeat(start)}^${'~'.repeat(end - start - 1)}\n`;
  return s;
}

/** Compiles -Y / -f; the error text to print when one of them is invalid. */
export function compileReadFilters(displayText: string | null, captureText: string | null): { ok: true; filters: ReadFilters } | { ok: false; error: string } {
  const filters: ReadFilters = { display: null, tcpdump: null, capture: null };
  if (captureText !== null && captureText.trim() !== '') {
    const c = compileTcpdump(captureText);
    if (!c.ok) return { ok: false, error: formatFilterError(c.error.message, captureText, c.error.start, c.error.end) };
    filters.capture = c.filter;
  }
  // An empty -Y is no filter (tshark accepts `-Y ''`).
  if (displayText !== null && displayText.trim() !== '') {
    const r = compileFilter(displayText);
    if (!r.ok) return { ok: false, error: formatFilterError(r.error.message, displayText, r.error.start, r.error.end) };
    if (r.language === 'display') filters.display = r.filter;
    else filters.tcpdump = r.filter;
  }
  return { ok: true, filters };
}

/**
 * What libpcap says when a tcpdump expression cannot be compiled for one of the file's link
 * types (`ether host` on Linux cooked capture, `vlan` on raw IP, ...), or null.
 */
export function linkTypeProblem(filters: ReadFilters, info: CaptureFileInfo): string | null {
  for (const f of [filters.capture, filters.tcpdump]) {
    if (!f) continue;
    for (const i of info.interfaces) {
      const e = f.errorFor(i.linkType);
      if (e !== null) return `synscope: ${e} (filter "${f.text}", link type ${i.linkType})\n`;
    }
  }
  return null;
}

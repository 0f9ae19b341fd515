// `read -f EXPR`: the tcpdump expression and how its errors are printed. Kept apart from the
// display filters (filters.ts) so the filter-and-write pass loads no field registry. Errors are
// printed the way tshark 4.0 prints a bad -Y: the message, then the filter indented by four
// spaces and a `^~~~` marker under the span (no marker when the span is empty, e.g.
// "Unexpected end of filter expression."), exit status 2.
import { compileTcpdump, type TcpdumpFilter } from '../filter/tcpdump/compile.js';
import type { CaptureFileInfo } from '../file/types.js';

export const EXIT_FILTER = 2;

/** tshark's error block: message, the filter text, and a caret line under [start, end). */
export function formatFilterError(message: string, text: string, start: number, end: number): string {
  let s = `synscope: ${message}\n`;
  if (end > start) s += `    ${text}\n    ${' '.repeat(start)}^${'~'.repeat(end - start - 1)}\n`;
  return s;
}

/** Compiles -f; null for none (an empty or blank EXPR), or the error text to print. */
export function compileCaptureFilter(text: string | null): { ok: true; filter: TcpdumpFilter | null } | { ok: false; error: string } {
  if (text === null || text.trim() === '') return { ok: true, filter: null };
  const c = compileTcpdump(text);
  if (!c.ok) return { ok: false, error: formatFilterError(c.error.message, text, c.error.start, c.error.end) };
  return { ok: true, filter: c.filter };
}

/**
 * What libpcap says when a tcpdump expression cannot be compiled for one of the file's link
 * types (`ether host` on Linux cooked capture, `vlan` on raw IP, ...), or null.
 */
export function tcpdumpLinkProblem(filters: ReadonlyArray<TcpdumpFilter | null>, info: CaptureFileInfo): string | null {
  for (const f of filters) {
    if (!f) continue;
    for (const i of info.interfaces) {
      const e = f.errorFor(i.linkType);
      if (e !== null) return `synscope: ${e} (filter "${f.text}", link type ${i.linkType})\n`;
    }
  }
  return null;
}

// The documented differences from tshark (docs/tshark-differences.md) as the corpus-wide
// differential tests read them: a (file, field) pair may differ only where the document's tables
// list it with a reason.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './corpus.js';

interface Exception {
  file: RegExp;
  field: string;
  reason: string;
  /** Set for `protocol:NAME` rows: only packets whose tshark frame.protocols lists NAME. */
  protocol?: string;
}

/**
 * Rows of the markdown tables in docs/tshark-differences.md whose first two cells are a file
 * (glob, `*` allowed) and a field in backticks: | `zeek/smtp.pcap` | `_ws.col.Info` | reason |.
 * The first cell may instead be `protocol:NAME`: the row then excuses only the packets in
 * which tshark's frame.protocols lists NAME (a protocol SynScope does not dissect), in any file.
 * The field cell may list several fields separated by commas.
 */
export function loadExceptions(): Exception[] {
  const text = readFileSync(join(repoRoot, 'docs', 'tshark-differences.md'), 'utf8');
  const out: Exception[] = [];
  for (const line of text.split('\n')) {
    const m = /^\|\s*`([^`]+)`\s*\|\s*`([^`]+)`\s*\|\s*([^|]*\S[^|]*)\|/.exec(line);
    if (!m) continue;
    const glob = m[1]!.trim();
    const proto = /^protocol:(\S+)$/.exec(glob)?.[1];
    const re = new RegExp('^' + (proto ? '.*' : glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')) + '$');
    for (const field of m[2]!.split(',')) out.push({ file: re, field: field.trim(), reason: m[3]!.trim(), protocol: proto });
  }
  return out;
}

/** The row that excuses `field` of a packet of `file` whose tshark frame.protocols is `tsharkProtocols`, if one does. */
export function excuse(exceptions: Exception[], file: string, field: string, tsharkProtocols: string): Exception | undefined {
  const layers = tsharkProtocols.split(':');
  return exceptions.find((e) => e.field === field && e.file.test(file) && (!e.protocol || layers.includes(e.protocol)));
}

/**
 * The cells of one capture's -T fields output that differ from tshark's and that no row of the
 * document excuses, as "frame N field: ours=... tshark=...". `protocols(i)`: tshark's
 * frame.protocols of packet i (rows excuse by the protocols a packet has).
 */
export function unexcusedCells(exceptions: Exception[], file: string, fields: readonly string[], ours: readonly string[][], theirs: readonly string[][], protocols: (i: number) => string): string[] {
  const out: string[] = [];
  for (let i = 0; i < Math.max(theirs.length, ours.length); i++) {
    fields.forEach((field, j) => {
      const t = theirs[i]?.[j] ?? '<no packet>';
      const s = ours[i]?.[j] ?? '<no packet>';
      if (s !== t && !excuse(exceptions, file, field, protocols(i))) out.push(`frame ${i + 1} ${field}: ours=${JSON.stringify(s.slice(0, 80))} tshark=${JSON.stringify(t.slice(0, 80))}`);
    });
  }
  return out;
}

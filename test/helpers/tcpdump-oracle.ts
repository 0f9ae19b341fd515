// tcpdump expressions run by the oracle and by us on one capture file, as comparable results:
// the packets each accepts, keyed by timestamp and lengths (`tcpdump -r FILE -w - EXPR` writes
// the packets libpcap's filter accepts; we read them back), or the error each gives. Where
// tcpdump refuses an expression (syntax, or not for this link type), ours must say the same.
import { spawnSync } from 'node:child_process';
import { openCaptureFile, readCaptureBuffer } from '../../app/file/reader.js';
import type { PacketRecord } from '../../app/file/types.js';
import { compileTcpdump } from '../../app/filter/tcpdump/compile.js';

export type TcpdumpOutcome = { packets: string[] } | { error: string };

function key(rec: PacketRecord): string {
  return `${rec.ts.sec}.${String(Math.floor(rec.ts.nsec / 1000)).padStart(6, '0')}/${rec.origLen}/${rec.capLen}`;
}

/** What `tcpdump -r file expr` accepts, or its error without the "tcpdump: " prefix. */
export function tcpdumpOutcome(file: string, expr: string): TcpdumpOutcome {
  const r = spawnSync('tcpdump', ['-r', file, '-w', '-', expr], { maxBuffer: 1 << 28 });
  if (r.error) throw new Error(`cannot run tcpdump: ${r.error.message}`);
  if (r.status !== 0) {
    const lines = r.stderr.toString('utf8').split('\n').filter((l) => l.startsWith('tcpdump: '));
    return { error: (lines[lines.length - 1] ?? '').replace(/^tcpdump: (can't parse filter expression: )?/, '') };
  }
  const reader = readCaptureBuffer(new Uint8Array(r.stdout));
  const out: string[] = [];
  for (let rec = reader.next(); rec; rec = reader.next()) out.push(key(rec));
  return { packets: out };
}

/** What our compiled expression accepts on the same file, or its error for the file's link type. */
export function ourTcpdumpOutcome(file: string, expr: string): TcpdumpOutcome {
  const c = compileTcpdump(expr);
  if (!c.ok) return { error: c.error.message };
  const reader = openCaptureFile(file);
  try {
    const lt = reader.info.interfaces[0]?.linkType ?? 1;
    const e = c.filter.errorFor(lt);
    if (e) return { error: e };
    const out: string[] = [];
    for (let rec = reader.next(); rec; rec = reader.next()) {
      if (c.filter.test(rec.data, rec.linkType, rec.origLen)) out.push(key(rec));
    }
    return { packets: out };
  } finally {
    reader.close();
  }
}

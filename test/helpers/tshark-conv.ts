// tshark's conversation table text (`-q -z conv,tcp` / `conv,udp`), parsed, and our ConvRow in
// the same cells, for the differential tests of app/tcp/report.ts. The text itself comes from
// tshark-verbose.ts's tsharkTables (one tshark run per file for the details and the -z tables).
import { formatSize, type ConvRow } from '../../app/tcp/conv-table.js';
import type { EndpointRow } from '../../app/session/contract.js';

/** One row of tshark's conv table, split into cells (bytes keep their unit text). */
export interface TsharkConvRow {
  a: string;
  b: string;
  framesBA: number;
  bytesBA: string;
  framesAB: number;
  bytesAB: string;
  frames: number;
  bytes: string;
  relStart: string;
  duration: string;
}

/** Parses the text of `tshark -q -z conv,tcp -z conv,udp`: { TCP: rows, UDP: rows }. */
export function parseTsharkConv(text: string): Record<string, TsharkConvRow[]> {
  const out: Record<string, TsharkConvRow[]> = {};
  let cur: TsharkConvRow[] | null = null;
  const row = /^(\S+)\s+<->\s+(\S+)\s+(\d+) (\d+ \S+)\s+(\d+) (\d+ \S+)\s+(\d+) (\d+ \S+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s*$/;
  for (const line of text.split('\n')) {
    const title = line.match(/^(\w+) Conversations$/);
    if (title) {
      cur = out[title[1]!] = [];
      continue;
    }
    const m = cur && line.match(row);
    if (m) {
      cur!.push({
        a: m[1]!, b: m[2]!, framesBA: +m[3]!, bytesBA: m[4]!, framesAB: +m[5]!, bytesAB: m[6]!,
        frames: +m[7]!, bytes: m[8]!, relStart: m[9]!, duration: m[10]!,
      });
    }
  }
  return out;
}

function ep(addr: string, port: number): string {
  return `${addr}:${port}`;
}

/** Our row in tshark's words. */
export function asTshark(r: ConvRow): TsharkConvRow {
  return {
    a: ep(r.addrA, r.portA), b: ep(r.addrB, r.portB),
    framesBA: r.framesBA, bytesBA: formatSize(r.bytesBA), framesAB: r.framesAB, bytesAB: formatSize(r.bytesAB),
    frames: r.framesAB + r.framesBA, bytes: formatSize(r.bytesAB + r.bytesBA),
    relStart: r.relStart.toFixed(9), duration: r.duration.toFixed(4),
  };
}


/** Parses the rows of every endpoints table in tshark's text (IPv4 and IPv6 tables alike). */
export function parseTsharkEndpoints(text: string): EndpointRow[] {
  const out: EndpointRow[] = [];
  let inTable = false;
  for (const line of text.split('\n')) {
    if (/^IPv[46] Endpoints$/.test(line)) inTable = true;
    else if (line.startsWith('====')) inTable = false;
    const m = inTable ? line.match(/^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$/) : null;
    if (m) out.push({ address: m[1]!, packets: +m[2]!, bytes: +m[3]!, txPackets: +m[4]!, txBytes: +m[5]!, rxPackets: +m[6]!, rxBytes: +m[7]! });
  }
  return out;
}

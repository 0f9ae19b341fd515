// Ring-buffer files like dumpcap's `-w PATH -b filesize:KB -b files:N -b duration:S`: the
// capture is written to pcapng files named PATH's stem + _NNNNN_YYYYmmddHHMMSS + extension
// (dumpcap's names), a new file is started when the current one reaches the size (kB = 1000
// bytes, as dumpcap counts) or spans the duration (by packet timestamps, which are libpcap's),
// and beyond N files the oldest is deleted. Each file is written atomically (CaptureWriter:
// temp file + rename), so a file that appears under its name is complete and readable.
import { unlinkSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { AbsTime } from '../dissect/tree.js';
import { CaptureWriter } from '../file/writer.js';

export interface RotateOptions {
  path: string;
  filesizeKB?: number;
  files?: number;
  durationS?: number;
  linkType: number;
  snapLen: number;
  interfaceName?: string;
}

export interface RotatePacket {
  ts: AbsTime;
  capLen: number;
  origLen: number;
  data: Uint8Array;
}

// pcapng block overheads, for the size test: SHB + IDB with if_tsresol and a name ~ 100 bytes;
// an EPB is 32 bytes around the padded data.
const FILE_OVERHEAD = 100;
const EPB_OVERHEAD = 32;

function stamp(t: AbsTime): string {
  const d = new Date(t.sec * 1000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

export class RotatingWriter {
  private writer: CaptureWriter | null = null;
  private fileNo = 0;
  private bytes = 0;
  private started: AbsTime | null = null;
  private packets = 0;
  /** Completed files still on disk, oldest first. */
  readonly kept: string[] = [];
  private current = '';

  constructor(private readonly o: RotateOptions) {}

  /** Path of file number `n` whose first packet is at `t`. */
  private nameFor(n: number, t: AbsTime): string {
    const ext = extname(this.o.path) || '.pcapng';
    const stem = basename(this.o.path, extname(this.o.path));
    return join(dirname(this.o.path), `${stem}_${String(n).padStart(5, '0')}_${stamp(t)}${ext}`);
  }

  write(p: RotatePacket): void {
    const size = EPB_OVERHEAD + ((p.capLen + 3) & ~3);
    if (this.writer && this.shouldSwitch(p.ts, size)) this.finishFile();
    if (!this.writer) this.startFile(p.ts);
    this.writer!.write({ index: this.packets, fileOffset: 0, interfaceId: 0, linkType: this.o.linkType, ts: p.ts, capLen: p.capLen, origLen: p.origLen, data: p.data, blockType: 6 });
    this.packets++;
    this.bytes += size;
  }

  private shouldSwitch(ts: AbsTime, next: number): boolean {
    if (this.packets === 0) return false;
    if (this.o.filesizeKB !== undefined && this.bytes + next > this.o.filesizeKB * 1000) return true;
    if (this.o.durationS !== undefined && this.started && ts.sec - this.started.sec + (ts.nsec - this.started.nsec) / 1e9 >= this.o.durationS) return true;
    return false;
  }

  private startFile(ts: AbsTime): void {
    this.fileNo++;
    this.current = this.nameFor(this.fileNo, ts);
    this.writer = CaptureWriter.create(this.current, {
      format: 'pcapng',
      nanosecond: true,
      interfaces: [{ id: 0, linkType: this.o.linkType, snapLen: this.o.snapLen, tsUnitsPerSecond: 1e9, ...(this.o.interfaceName ? { name: this.o.interfaceName } : {}) }],
    });
    this.bytes = FILE_OVERHEAD;
    this.packets = 0;
    this.started = ts;
  }

  private finishFile(): void {
    if (!this.writer) return;
    this.writer.close();
    this.writer = null;
    this.kept.push(this.current);
    const max = this.o.files;
    while (max !== undefined && max > 0 && this.kept.length > max) {
      const old = this.kept.shift()!;
      try {
        unlinkSync(old);
      } catch {
        // Already gone (the user moved it): nothing to rotate away.
      }
    }
  }

  /** Closes the current file (it joins the kept ones). */
  close(): void {
    this.finishFile();
  }

  /** Files on disk now, oldest first. */
  files(): string[] {
    return [...this.kept];
  }
}

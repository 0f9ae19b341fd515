// Where `synscope` gets packets from and writes them to: the capture-file readers and writers of
// app/file, plus what every capture needs before its first packet (the TCP tracker).
import { openCaptureFile } from '../file/reader.js';
import { createWriter, READ_PASS } from './open-capture.js';
import type { CaptureFileInfo, CaptureFormat, PacketRecord } from '../file/types.js';
import type { CaptureState } from '../dissect/packet.js';
import { attachTcpAnalyzer } from '../dissect/tcp-hook.js';
import { createTcpTracker, type TcpTracker } from '../tcp/index.js';

export interface PacketSource {
  info: CaptureFileInfo;
  next(): PacketRecord | null | Promise<PacketRecord | null>;
  close(): void;
}
export interface PacketWriter {
  write(rec: PacketRecord): void;
  /** Writes out what is buffered. */
  flush(): void;
  close(): Promise<void> | void;
}

/** Everything a capture needs before its first packet: the TCP connection tracker (returned). */
export function prepareCapture(capture: CaptureState): TcpTracker {
  const tracker = createTcpTracker({ revisits: capture.revisits });
  attachTcpAnalyzer(capture, tracker);
  return tracker;
}

/** A writer that saves atomically (temp file + rename) when closed; `-` is standard output. */
export async function openWriter(path: string, format: CaptureFormat, info: CaptureFileInfo): Promise<PacketWriter> {
  return createWriter(path, format, info);
}

/** Opens a capture for one streaming pass, as `read` does (READ_PASS). */
export async function openSource(path: string): Promise<PacketSource> {
  return openCaptureFile(path, READ_PASS);
}

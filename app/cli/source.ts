// Where `synscope` gets packets from and writes them to: the capture-file readers and writers of
// app/file, plus what every capture needs before its first packet (the TCP tracker).
import { openCaptureFile } from '../file/reader.js';
import { CaptureWriter, writerOptionsFromInfo } from '../file/writer.js';
import type { CaptureFileInfo, CaptureFormat, PacketRecord } from '../file/types.js';
import type { CaptureState } from '../dissect/packet.js';
import { attachTcpAnalyzer } from '../dissect/tcp-hook.js';
import { createTcpTracker } from '../tcp/index.js';

export interface PacketSource {
  info: CaptureFileInfo;
  next(): PacketRecord | null | Promise<PacketRecord | null>;
  close(): void;
}
export interface PacketWriter {
  write(rec: PacketRecord): void;
  close(): Promise<void> | void;
}

/** Everything a capture needs before its first packet: the TCP connection tracker. */
export function prepareCapture(capture: CaptureState): void {
  attachTcpAnalyzer(capture, createTcpTracker());
}

/** A writer that saves atomically (temp file + rename) when closed; `-` is standard output. */
export async function openWriter(path: string, format: CaptureFormat, info: CaptureFileInfo): Promise<PacketWriter> {
  return CaptureWriter.create(path === '-' ? '/dev/stdout' : path, writerOptionsFromInfo(info, format));
}

/**
 * Opens a capture for one streaming pass. pcapng Custom Blocks come out as records too, so
 * packet numbers are the frame numbers tshark 4.0 shows (it lists them as "PCAPNG" frames).
 * One record object is reused for every packet (no allocation per record): a record and its
 * bytes are valid until the next one is read.
 */
export async function openSource(path: string): Promise<PacketSource> {
  return openCaptureFile(path, { customBlocks: true, reuseRecord: true });
}

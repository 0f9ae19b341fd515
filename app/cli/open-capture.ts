// Opening the capture `synscope read`/`info` work on and the -w file, and the words for what went wrong (those
// of strerror and tshark, which users know). No dissection here: the filter-and-write pass
// (filter-write.ts) loads this without the protocol modules.
import { statSync } from 'node:fs';
import { STDIN_PATH } from '../file/bytes.js';
import { openCaptureFile, type CaptureReader, type ReaderOptions } from '../file/reader.js';
import { CaptureFileError, type CaptureFileInfo, type CaptureFormat } from '../file/types.js';
import { CaptureWriter, writerOptionsFromInfo } from '../file/writer.js';
import type { Sink } from './sink.js';

export const EXIT_OK = 0;
export const EXIT_USAGE = 1;
export const EXIT_FILE = 2;

/** strerror's words for the errors users meet opening files (what `cat` and tshark users know). */
const STRERROR: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  EROFS: 'Read-only file system',
  ENOSPC: 'No space left on device',
};

function errnoText(e: unknown): string {
  return STRERROR[(e as NodeJS.ErrnoException).code ?? ''] ?? (e as Error).message;
}

/** Why a file cannot be opened, in the words of strerror. */
export function openProblem(path: string): string | null {
  if (path === STDIN_PATH) return null;
  try {
    const st = statSync(path);
    if (st.isDirectory()) return `cannot open ${path}: Is a directory`;
    return null;
  } catch (e) {
    return `cannot open ${path}: ${errnoText(e)}`;
  }
}

/**
 * The -w file cannot be created (no such directory, no permission ...). Bundles each carry their
 * own copy of this class, so the launcher (main.ts) recognises it by its name.
 */
export class OutputFileError extends Error {
  override readonly name = 'OutputFileError';
}

export function fileErrorText(path: string, e: CaptureFileError): string {
  // The readers' messages say where (the offset, mostly the packet too): the packet number is
  // added only when the message does not name it.
  const where = e.packetNumber !== undefined && !e.message.includes(`packet ${e.packetNumber}`) ? ` (packet ${e.packetNumber})` : '';
  const at = /\boffset \d/.test(e.message) ? '' : ` (offset ${e.offset})`;
  return `${path}: ${e.message}${where}${at}`;
}

/**
 * How `read` reads: pcapng Custom Blocks come out as records too, so packet numbers are the frame
 * numbers tshark 4.0 shows (it lists them as "PCAPNG" frames). One record object is reused for
 * every packet (no allocation per record): a record and its bytes are valid until the next one.
 */
export const READ_PASS: ReaderOptions = { customBlocks: true, reuseRecord: true };

/** Opens `path` for one READ_PASS, or prints why it cannot (to `err`, flushed) and returns the exit status. */
export function openForRead(path: string, err: Sink): CaptureReader | number {
  const problem = openProblem(path);
  if (problem) {
    err.write(`synscope: ${problem}\n`);
    err.flush();
    return EXIT_FILE;
  }
  try {
    return openCaptureFile(path, READ_PASS);
  } catch (e) {
    if (e instanceof CaptureFileError) {
      err.write(`synscope: ${path} isn't a capture file in a format SynScope understands: ${e.message}\n`);
      err.flush();
      return EXIT_FILE;
    }
    const code = (e as NodeJS.ErrnoException).code;
    if (code) {
      err.write(`synscope: cannot open ${path}: ${(e as Error).message}\n`);
      err.flush();
      return EXIT_FILE;
    }
    throw e;
  }
}

/** The -w writer: saves atomically (temp file + rename) when closed; `-` is standard output. */
export function createWriter(path: string, format: CaptureFormat, info: CaptureFileInfo): CaptureWriter {
  try {
    return CaptureWriter.create(path === '-' ? '/dev/stdout' : path, writerOptionsFromInfo(info, format));
  } catch (e) {
    // The error names the temp file beside `path` (saves are atomic): say `path`.
    if ((e as NodeJS.ErrnoException).code) throw new OutputFileError(`cannot write ${path}: ${errnoText(e)}`);
    throw e;
  }
}

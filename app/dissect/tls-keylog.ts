// TLS secrets in the NSS key log format (SSLKEYLOGFILE, as browsers, curl/OpenSSL and Go write
// it; tshark's tls.keylog_file): one secret per line, "LABEL <client random hex> <secret hex>".
// The client random of the Client Hello finds a session's secrets: CLIENT_RANDOM is a TLS 1.2
// master secret, the *_TRAFFIC_SECRET lines are TLS 1.3's (RFC 8446 7.1). Comments (#) and lines
// of other kinds (RSA premaster secrets by encrypted key) are passed over. Secrets come from a
// key log file or from the pcapng Decryption Secrets Blocks of the capture (type 'TLSK').
import { readFileSync } from 'node:fs';

/** pcapng DSB secrets type of a TLS key log (the bytes "TLSK"). */
export const DSB_TLS_KEY_LOG = 0x544c534b;

/** The labels a TLS session's decryption reads. */
export type KeyLogLabel =
  | 'CLIENT_RANDOM'
  | 'CLIENT_EARLY_TRAFFIC_SECRET'
  | 'CLIENT_HANDSHAKE_TRAFFIC_SECRET'
  | 'SERVER_HANDSHAKE_TRAFFIC_SECRET'
  | 'CLIENT_TRAFFIC_SECRET_0'
  | 'SERVER_TRAFFIC_SECRET_0';

const LABELS: ReadonlySet<string> = new Set<KeyLogLabel>([
  'CLIENT_RANDOM', 'CLIENT_EARLY_TRAFFIC_SECRET', 'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
  'SERVER_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_TRAFFIC_SECRET_0', 'SERVER_TRAFFIC_SECRET_0',
]);

const HEX = /^[0-9a-fA-F]+$/;

const ERRNO_TEXT: Record<string, string> = { ENOENT: 'No such file or directory', EACCES: 'Permission denied', EISDIR: 'Is a directory' };

/** A key log file's text; an Error saying which file and why when it cannot be read. */
export function readKeyLogFile(path: string): string {
  try {
    return readFileSync(path, 'latin1');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw new Error(`cannot read the TLS key log file ${path}: ${ERRNO_TEXT[code] ?? (e as Error).message}`);
  }
}

/**
 * The key log a capture is dissected with: the secrets of the key log file at `path` (when
 * given; it must be readable) and the capture's Decryption Secrets Blocks as `blocks()` lists
 * them.
 */
export function keyLogFor(path: string | null | undefined, blocks: () => readonly SecretsBlock[] | undefined): KeyLog {
  const log = new KeyLog();
  if (path) log.addText(readKeyLogFile(path));
  log.followSecretsBlocks(blocks);
  return log;
}

/** A pcapng Decryption Secrets Block as the reader keeps it (app/file/types.ts). */
export interface SecretsBlock {
  type: number;
  data: Uint8Array;
}

export class KeyLog {
  /** "LABEL clientRandomHex" -> secret. */
  private readonly secrets = new Map<string, Buffer>();
  /** The capture's Decryption Secrets Blocks as far as read (the reader appends to it), and how many were taken. */
  private blocks: (() => readonly SecretsBlock[] | undefined) | null = null;
  private blocksTaken = 0;

  /** How many secrets are known (the secrets blocks read so far included). */
  get size(): number {
    this.takeBlocks();
    return this.secrets.size;
  }

  private takeBlocks(): void {
    const blocks = this.blocks?.();
    if (blocks) for (; this.blocksTaken < blocks.length; this.blocksTaken++) this.addSecretsBlock(blocks[this.blocksTaken]!.type, blocks[this.blocksTaken]!.data);
  }

  /**
   * Adds the secrets of a key log's text; returns how many lines were taken. Lines that are not
   * a known label with a 32-byte client random and a secret are left out, as tshark leaves them.
   */
  addText(text: string): number {
    let taken = 0;
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      const [label, random, secret, extra] = line.split(/\s+/);
      if (!label || !LABELS.has(label) || extra !== undefined) continue;
      if (!random || random.length !== 64 || !HEX.test(random)) continue;
      if (!secret || secret.length % 2 !== 0 || secret.length < 32 || secret.length > 128 || !HEX.test(secret)) continue;
      this.secrets.set(`${label} ${random.toLowerCase()}`, Buffer.from(secret, 'hex'));
      taken++;
    }
    return taken;
  }

  /** Adds a pcapng Decryption Secrets Block's secrets when they are a TLS key log. */
  addSecretsBlock(type: number, data: Uint8Array): void {
    if (type === DSB_TLS_KEY_LOG) this.addText(Buffer.from(data.buffer, data.byteOffset, data.length).toString('latin1'));
  }

  /**
   * Takes the Decryption Secrets Blocks `blocks()` lists, including those a streaming reader
   * meets later (a DSB may come anywhere before the packets it decrypts): they are read when a
   * session looks for its secrets.
   */
  followSecretsBlocks(blocks: () => readonly SecretsBlock[] | undefined): void {
    this.blocks = blocks;
    this.blocksTaken = 0;
  }

  /** The secret logged under `label` for the session whose Client Hello had `clientRandom`. */
  find(label: KeyLogLabel, clientRandom: Uint8Array): Buffer | undefined {
    this.takeBlocks();
    return this.secrets.get(`${label} ${Buffer.from(clientRandom.buffer, clientRandom.byteOffset, clientRandom.length).toString('hex')}`);
  }
}

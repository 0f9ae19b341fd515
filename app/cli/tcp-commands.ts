// `synscope conv` and `synscope tcp`: the conversation table and the per-connection lifecycle
// report (app/tcp/report.ts), with a small argument parser of their own.
import { existsSync } from 'node:fs';
import { CaptureFileError } from '../file/types.js';
import { convCommand, tcpCommand } from '../tcp/report.js';
import { UsageError } from './args.js';
import type { Sink } from './sink.js';

export const CONV_HELP = `Usage: synscope conv FILE [--json] [--no-udp] [--tshark-columns]

The TCP and UDP conversations of a capture with the columns of \`tshark -q -z conv,tcp\`
(addresses, ports, frames and bytes each way, relative start, duration) plus, for TCP, the
handshake RTT, which side closed first and how the connection ended.

  --json             one JSON object per conversation
  --no-udp           TCP only
  --tshark-columns   exactly tshark's columns (no SynScope additions)
`;

export const TCP_HELP = `Usage: synscope tcp FILE [--stream N] [--json]

Every TCP connection's lifecycle: each side's state (RFC 793) after every packet, the
handshake with its RTT and negotiated options, how it ended (closed, refused, reset,
half-open, half-closed, still open) and how it closed (four-way, three-way FIN/ACK,
simultaneous close), notes (keep-alive, zero window, retransmissions) and the health alerts
(SYN flood, port scan, unanswered SYN). Without --json, a ladder per connection.

  --stream N   only the connection with tcp.stream == N
  --json       JSON lines: one per connection, then one per alert
`;

interface Parsed {
  file: string;
  flags: Set<string>;
  stream?: number;
}

function parse(argv: readonly string[], known: readonly string[]): Parsed {
  let file: string | undefined;
  const flags = new Set<string>();
  let stream: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--stream' && known.includes('--stream')) {
      const v = argv[++i];
      if (v === undefined || !/^\d+$/.test(v)) throw new UsageError(`--stream needs a stream number, got ${v ?? 'nothing'}`);
      stream = Number(v);
    } else if (known.includes(a)) {
      flags.add(a);
    } else if (a.startsWith('-')) {
      throw new UsageError(`unknown option ${a}`);
    } else if (file === undefined) {
      file = a;
    } else {
      throw new UsageError(`one capture file only (got ${file} and ${a})`);
    }
  }
  if (file === undefined) throw new UsageError('a capture file is needed');
  const out: Parsed = { file, flags };
  if (stream !== undefined) out.stream = stream;
  return out;
}

async function guarded(file: string, err: Sink, body: () => Promise<number>): Promise<number> {
  if (!existsSync(file)) {
    err.write(`synscope: cannot open ${file}: No such file or directory\n`);
    return 2;
  }
  try {
    return await body();
  } catch (e) {
    if (!(e instanceof CaptureFileError)) throw e;
    err.write(`synscope: ${file}: ${e.message}\n`);
    return 2;
  }
}

export async function runConv(argv: readonly string[], out: Sink, err: Sink): Promise<number> {
  const p = parse(argv, ['--json', '--no-udp', '--tshark-columns']);
  return guarded(p.file, err, () => convCommand(p.file, {
    json: p.flags.has('--json'),
    noUdp: p.flags.has('--no-udp'),
    tsharkColumns: p.flags.has('--tshark-columns'),
  }, (s) => out.write(s)));
}

export async function runTcp(argv: readonly string[], out: Sink, err: Sink): Promise<number> {
  const p = parse(argv, ['--json', '--stream']);
  const o: { json: boolean; stream?: number } = { json: p.flags.has('--json') };
  if (p.stream !== undefined) o.stream = p.stream;
  return guarded(p.file, err, () => tcpCommand(p.file, o, (s) => out.write(s)));
}

// `synscope conv` and `synscope tcp`: the conversation table and the per-connection lifecycle
// report (app/tcp/report.ts), with a small argument parser of their own.
import { CaptureFileError } from '../file/types.js';
import { fieldSourceFromDissection } from '../filter/index.js';
import { convCommand, tcpCommand, type ObserveOptions, type TcpCommandOptions } from '../tcp/report.js';
import { tcpEventsCommand, type TcpEventsOptions } from '../tcp/tcp-events.js';
import { UsageError } from './args.js';
import { compileReadFilters, EXIT_FILTER } from './filters.js';
import { EXIT_FILE, fileErrorText, openProblem } from './open-capture.js';
import type { Sink } from './sink.js';

export const CONV_HELP = `Usage: synscope conv FILE [-Y FILTER] [--json] [--no-udp] [--tshark-columns]

The TCP and UDP conversations of a capture with the columns of \`tshark -q -z conv,tcp\`
(addresses, ports, frames and bytes each way, relative start, duration) plus, for TCP, the
handshake RTT, which side closed first and how the connection ended.

  FILE -             read the capture from standard input
  -Y FILTER          count only the packets that match (a display filter, or a tcpdump
                     expression when it is not one; as in synscope read)
  --json             one JSON object per conversation
  --no-udp           TCP only
  --tshark-columns   exactly tshark's columns (no SynScope additions)
`;

export const TCP_HELP = `Usage: synscope tcp FILE [-Y FILTER] [--stream N] [--json] [--events]

Every TCP connection's lifecycle: each side's state (RFC 793) after every packet, the
handshake with its RTT and negotiated options, how it ended (closed, refused, reset,
half-open, half-closed, still open) and how it closed (four-way, three-way FIN/ACK,
simultaneous close), notes (keep-alive, zero window, retransmissions) and the health alerts
(SYN flood, port scan, unanswered SYN, refused, reset). Without --json, a ladder per connection.

  FILE -       read the capture from standard input
  -Y FILTER    only connections with a packet that matches (as in synscope read)
  --stream N   only the connection with tcp.stream == N
  --json       JSON lines: one per connection, then one per alert
  --events     the connection events (opened, established, closing, closed, reset,
               refused) and the alerts in capture order, one line each: frame, seconds
               since the first packet, what happened (with --json, JSON lines); with
               FILE -, each packet's as it comes, and an alert that silence brings
               (a SYN unanswered for 3 s) while no packet comes:
               synscope capture -i eth0 -w - | synscope tcp - --events
`;

interface Parsed {
  file: string;
  flags: Set<string>;
  stream?: number;
  filter?: string;
}

function parse(argv: readonly string[], known: readonly string[]): Parsed {
  let file: string | undefined;
  const flags = new Set<string>();
  let stream: number | undefined;
  let filter: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-Y') {
      const v = argv[++i];
      if (v === undefined) throw new UsageError('option -Y needs a value');
      filter = v;
    } else if (a === '--stream' && known.includes('--stream')) {
      const v = argv[++i];
      if (v === undefined || !/^\d+$/.test(v)) throw new UsageError(`--stream needs a stream number, got ${v ?? 'nothing'}`);
      stream = Number(v);
    } else if (known.includes(a)) {
      flags.add(a);
    } else if (a.startsWith('-') && a !== '-') {
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
  if (filter !== undefined) out.filter = filter;
  return out;
}

/**
 * A display filter or tcpdump expression (-Y, a -z table's filter) compiled by the same path as
 * `synscope read` (same errors, status 2), as observer options (`match`); none: every packet.
 */
export function observeFilter(text: string | undefined): { ok: true; opts: ObserveOptions } | { ok: false; error: string } {
  if (text === undefined) return { ok: true, opts: {} };
  const c = compileReadFilters(text, null);
  if (!c.ok) return c;
  const { display, tcpdump } = c.filters;
  if (display) return { ok: true, opts: { match: (d) => display.test(fieldSourceFromDissection(d)), wanted: display.fields } };
  if (tcpdump) return { ok: true, opts: { match: (d) => tcpdump.test(d.frame.data, d.frame.linkType, d.frame.origLen) } };
  return { ok: true, opts: {} };
}

/**
 * Runs a command over `file`. A path that cannot be opened or is not a capture is an error
 * (status 2); a damaged capture gives the result for the packets before the damage, then the
 * error (status 2), as tshark does.
 */
export async function guarded(file: string, err: Sink, body: (onError: (e: unknown) => void) => Promise<number>): Promise<number> {
  const problem = openProblem(file);
  if (problem) {
    err.write(`synscope: ${problem}\n`);
    return EXIT_FILE;
  }
  let damage: CaptureFileError | null = null;
  const onError = (e: unknown) => {
    if (!(e instanceof CaptureFileError)) throw e;
    damage = e;
  };
  try {
    const status = await body(onError);
    if (!damage) return status;
    err.write(`synscope: ${fileErrorText(file, damage)}\n`);
    return EXIT_FILE;
  } catch (e) {
    if (!(e instanceof CaptureFileError)) throw e;
    err.write(`synscope: ${file}: ${e.message}\n`);
    return EXIT_FILE;
  }
}

export async function runConv(argv: readonly string[], out: Sink, err: Sink): Promise<number> {
  const p = parse(argv, ['--json', '--no-udp', '--tshark-columns']);
  const f = observeFilter(p.filter);
  if (!f.ok) {
    err.write(f.error);
    return EXIT_FILTER;
  }
  return guarded(p.file, err, (onError) => convCommand(p.file, {
    ...f.opts,
    onError,
    ...(p.filter !== undefined ? { filterText: p.filter } : {}),
    json: p.flags.has('--json'),
    noUdp: p.flags.has('--no-udp'),
    tsharkColumns: p.flags.has('--tshark-columns'),
  }, (s) => out.write(s)));
}

export async function runTcp(argv: readonly string[], out: Sink, err: Sink): Promise<number> {
  const p = parse(argv, ['--json', '--stream', '--events']);
  const f = observeFilter(p.filter);
  if (!f.ok) {
    err.write(f.error);
    return EXIT_FILTER;
  }
  if (p.flags.has('--events')) {
    const o: TcpEventsOptions = { ...f.opts, json: p.flags.has('--json') };
    if (p.stream !== undefined) o.stream = p.stream;
    return guarded(p.file, err, (onError) => tcpEventsCommand(p.file, { ...o, onError }, (s) => out.write(s), () => out.flush()));
  }
  const o: TcpCommandOptions = { ...f.opts, json: p.flags.has('--json'), warn: (s) => err.write(`synscope tcp: ${s}\n`) };
  if (p.stream !== undefined) o.stream = p.stream;
  return guarded(p.file, err, (onError) => tcpCommand(p.file, { ...o, onError }, (s) => out.write(s)));
}

// `synscope capture` (live capture to a file, like `dumpcap -w` / `tcpdump -w`) and
// `synscope interfaces` (like `tcpdump -D`). Packets come from the capture helper
// (app/capture/live.ts) with libpcap's timestamps and are written as they arrive.
import { CaptureWriter } from '../file/writer.js';
import { plural } from '../dissect/format.js';
import type { CaptureFormat } from '../file/types.js';
import { linkTypeLabel } from '../capture/link-types.js';
import { DEFAULT_SNAPLEN, listDevices, startLiveCapture, toInterfaceInfo } from '../capture/live.js';
import type { NativeDevice } from '../capture/native.js';
import { CaptureStartError, type CaptureOptions, type CaptureStats, type CapturedPacket, type LiveCapture } from '../capture/types.js';
import { RotatingWriter } from '../store/rotate.js';
import { UsageError } from './args.js';
import type { Sink } from './sink.js';

export const CAPTURE_HELP = `Usage: synscope capture -i IFACE [options] -w FILE [FILTER...]

Captures live packets with libpcap (like dumpcap/tcpdump -w) and writes them to FILE
(pcapng; pcap with -F pcap), keeping libpcap's nanosecond timestamps. Stops on Ctrl-C or at
a stop condition, then prints how many packets were captured, received by the filter and
dropped by the kernel, as tcpdump does.

  -i IFACE            interface to capture on (\`synscope interfaces\` lists them)
  -f EXPR             capture filter in tcpdump (pcap-filter) syntax; words after the
                      options are taken as the filter too
  -s SNAPLEN          bytes to keep of each packet (default ${DEFAULT_SNAPLEN}; 0 = default)
  -p                  don't put the interface into promiscuous mode
  -B KiB              kernel capture buffer in KiB (default 16384)
  -c N                stop after N packets
  -a duration:S       stop after S seconds
  -a filesize:KB      stop once the file(s) hold KB kB (1 kB = 1000 bytes)
  -a packets:N        same as -c N
  -w FILE             file to write (required); - for standard output, each batch of
                      packets as it comes (tcpdump -U -w -): capture ... -w - | synscope read - -l
  -F pcap|pcapng      file format (default pcapng)
  -b filesize:KB      ring of files: start a new file after KB kB (pcapng; dumpcap's names
  -b duration:S       FILE_NNNNN_YYYYmmddHHMMSS.pcapng), or after S seconds,
  -b files:N          and keep only the newest N files
  --immediate         deliver each packet at once (immediate mode: libpcap then gives each
                      packet a slot of SNAPLEN bytes in the buffer; use a small -s or big -B)
  -q                  no running packet count
`;

export const INTERFACES_HELP = `Usage: synscope interfaces [--addresses] [--json]

Lists the capture interfaces exactly like \`tcpdump -D\`: number, name, description and
state (Up, Running, Loopback, Wireless, connection status).

  --addresses   each interface's addresses under it
  --json        one JSON array of the interfaces (name, description, addresses, up,
                running, loopback)
`;

const EXIT_OK = 0;
const EXIT_USAGE = 1;
const EXIT_CAPTURE = 1;

interface CaptureArgs {
  iface: string;
  filter: string;
  snaplen?: number;
  promiscuous: boolean;
  bufferBytes?: number;
  packets?: number;
  seconds?: number;
  fileKB?: number;
  path: string;
  format: CaptureFormat;
  ring: { filesizeKB?: number; files?: number; durationS?: number } | null;
  immediate: boolean;
  quiet: boolean;
}

function positiveInt(v: string | undefined, what: string, allowZero = false): number {
  if (v === undefined || !/^\d+$/.test(v) || (!allowZero && Number(v) === 0)) {
    throw new UsageError(`${what} needs a ${allowZero ? 'non-negative' : 'positive'} whole number, got ${v ?? 'nothing'}`);
  }
  return Number(v);
}

function keyValue(v: string | undefined, opt: string): [string, string] {
  const m = v === undefined ? null : /^([a-z]+):(.*)$/.exec(v);
  if (!m) throw new UsageError(`${opt} needs KEY:VALUE, got ${v ?? 'nothing'}`);
  return [m[1]!, m[2]!];
}

export function parseCaptureArgs(argv: readonly string[]): CaptureArgs {
  let iface: string | undefined;
  let filter: string | undefined;
  const words: string[] = [];
  let path: string | undefined;
  const a: Omit<CaptureArgs, 'iface' | 'filter' | 'path'> = { promiscuous: true, format: 'pcapng', ring: null, immediate: false, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = (): string | undefined => argv[++i];
    switch (arg) {
      case '-i':
        iface = next();
        if (iface === undefined) throw new UsageError('-i needs an interface name');
        break;
      case '-f':
        filter = next();
        if (filter === undefined) throw new UsageError('-f needs a capture filter');
        break;
      case '-s': {
        const n = positiveInt(next(), '-s', true);
        if (n > DEFAULT_SNAPLEN) throw new UsageError(`-s: the snapshot length is at most ${DEFAULT_SNAPLEN}`);
        if (n !== 0) a.snaplen = n;
        break;
      }
      case '-p':
        a.promiscuous = false;
        break;
      case '-B':
        a.bufferBytes = positiveInt(next(), '-B') * 1024;
        break;
      case '-c':
        a.packets = positiveInt(next(), '-c');
        break;
      case '-a': {
        const [k, v] = keyValue(next(), '-a');
        if (k === 'duration') a.seconds = positiveInt(v, '-a duration');
        else if (k === 'filesize') a.fileKB = positiveInt(v, '-a filesize');
        else if (k === 'packets') a.packets = positiveInt(v, '-a packets');
        else throw new UsageError(`-a: unknown stop condition ${k} (duration, filesize, packets)`);
        break;
      }
      case '-b': {
        const [k, v] = keyValue(next(), '-b');
        a.ring ??= {};
        if (k === 'filesize') a.ring.filesizeKB = positiveInt(v, '-b filesize');
        else if (k === 'files') a.ring.files = positiveInt(v, '-b files');
        else if (k === 'duration') a.ring.durationS = positiveInt(v, '-b duration');
        else throw new UsageError(`-b: unknown ring buffer option ${k} (filesize, files, duration)`);
        break;
      }
      case '-w':
        path = next();
        if (path === undefined) throw new UsageError('-w needs a file name');
        break;
      case '-F': {
        const f = next();
        if (f !== 'pcap' && f !== 'pcapng') throw new UsageError(`-F: the file format is pcap or pcapng, got ${f ?? 'nothing'}`);
        a.format = f;
        break;
      }
      case '--immediate':
        a.immediate = true;
        break;
      case '-q':
        a.quiet = true;
        break;
      default:
        if (arg.startsWith('-') && words.length === 0) throw new UsageError(`unknown option ${arg}`);
        words.push(arg);
    }
  }
  if (iface === undefined) throw new UsageError('an interface is needed (-i IFACE; `synscope interfaces` lists them)');
  if (path === undefined) throw new UsageError('an output file is needed (-w FILE)');
  if (path === '-' && a.ring) throw new UsageError('-w - with -b: ring files need a file name');
  if (filter !== undefined && words.length > 0) throw new UsageError(`the filter is given twice (-f and "${words.join(' ')}")`);
  if (a.ring) {
    if (a.ring.filesizeKB === undefined && a.ring.durationS === undefined) throw new UsageError('-b needs filesize:KB or duration:S to know when to switch files');
    if (a.format !== 'pcapng') throw new UsageError('ring files (-b) are written as pcapng');
  }
  return { ...a, iface, filter: filter ?? words.join(' '), path };
}

/** One output file, or dumpcap-style ring files. */
interface PacketFile {
  write(p: CapturedPacket): void;
  /** After each batch: standard output (-w -) passes the packets on at once, as tcpdump -U. */
  flush(): void;
  /** Record bytes written so far (the -a filesize test). */
  readonly bytes: number;
  close(): void;
  abort(): void;
  describe(): string;
}

function openOutput(a: CaptureArgs, live: LiveCapture): PacketFile {
  if (a.ring) {
    const rw = new RotatingWriter({ path: a.path, ...a.ring, linkType: live.linkType, snapLen: live.snaplen, interfaceName: live.interface });
    let bytes = 0;
    return {
      write(p) {
        rw.write(p);
        bytes += 32 + ((p.capLen + 3) & ~3);
      },
      get bytes() {
        return bytes;
      },
      flush: () => {},
      close: () => rw.close(),
      abort: () => rw.close(),
      describe: () => `${rw.files().length} file(s): ${rw.files().join(', ')}`,
    };
  }
  const stdout = a.path === '-';
  const w = CaptureWriter.create(stdout ? '/dev/stdout' : a.path, {
    format: a.format,
    // libpcap's timestamps are nanoseconds: keep them (pcap: the a1b23c4d magic; pcapng: if_tsresol 9).
    nanosecond: true,
    interfaces: [{ id: 0, linkType: live.linkType, snapLen: live.snaplen, name: live.interface }],
    application: 'SynScope',
  });
  let index = 0;
  let bytes = 0;
  const pcap = a.format === 'pcap';
  return {
    write(p) {
      w.write({ index: index++, fileOffset: 0, interfaceId: 0, linkType: live.linkType, ts: p.ts, capLen: p.capLen, origLen: p.origLen, data: p.data, blockType: pcap ? 0 : 6 });
      bytes += pcap ? 16 + p.capLen : 32 + ((p.capLen + 3) & ~3);
    },
    get bytes() {
      return bytes;
    },
    flush: () => {
      if (stdout) w.flush();
    },
    close: () => w.close(),
    abort: () => w.abort(),
    describe: () => (stdout ? 'standard output' : a.path),
  };
}

/** "ENOENT: no such file or directory, open '/x/.y.tmp'" -> "No such file or directory" (strerror's words, not our temp name). */
function systemReason(e: Error): string {
  const m = /^[A-Z0-9_]+: ([^,]+)/.exec(e.message);
  return m ? m[1]!.charAt(0).toUpperCase() + m[1]!.slice(1) : e.message;
}

/** The reader of -w - went away (EPIPE): the capture stops, which is no error (tcpdump | head). */
function readerGone(e: unknown): boolean {
  return (e as NodeJS.ErrnoException).code === 'EPIPE';
}

export async function runCapture(argv: readonly string[], out: Sink, err: Sink): Promise<number> {
  const a = parseCaptureArgs(argv);
  const opts: CaptureOptions = { interface: a.iface, filter: a.filter, promiscuous: a.promiscuous };
  if (a.snaplen !== undefined) opts.snaplen = a.snaplen;
  if (a.bufferBytes !== undefined) opts.bufferSize = a.bufferBytes;
  const stopAfter: NonNullable<CaptureOptions['stopAfter']> = {};
  if (a.packets !== undefined) stopAfter.packets = a.packets;
  if (a.seconds !== undefined) stopAfter.seconds = a.seconds;
  opts.stopAfter = stopAfter;

  const tty = process.stderr.isTTY === true && !a.quiet;
  let file: PacketFile | null = null;
  let written = 0;
  let failure: string | null = null;
  let live: LiveCapture | null = null;
  /** No more packets are written: the -a filesize limit was reached, or the reader of -w - went away. */
  let outputDone = false;
  let lastShown = 0;
  const pendingBatches: CapturedPacket[][] = [];
  let ended!: (s: CaptureStats | null) => void;
  const finished = new Promise<CaptureStats | null>((r) => (ended = r));
  let finalStats: CaptureStats | null = null;

  /** The output cannot take more: stop. A reader of -w - that went away (`| head -c`) is no error. */
  const writeFailed = (e: unknown): void => {
    if (!readerGone(e)) failure = `cannot write ${a.path}: ${systemReason(e as Error)}`;
    else outputDone = true;
    void live?.stop();
  };
  const writePackets = (packets: CapturedPacket[]): void => {
    if (!file || failure || outputDone) return;
    for (const p of packets) {
      try {
        file.write(p);
      } catch (e) {
        writeFailed(e);
        return;
      }
      written++;
      if (a.fileKB !== undefined && file.bytes >= a.fileKB * 1000) {
        outputDone = true;
        void live?.stop();
        return;
      }
    }
    try {
      file.flush();
    } catch (e) {
      writeFailed(e);
      return;
    }
    if (tty && Date.now() - lastShown > 200) {
      lastShown = Date.now();
      err.write(`\rPackets: ${written} `);
      err.flush();
    }
  };

  try {
    live = await startLiveCapture(
      opts,
      {
        onBatch(batch) {
          // Batches may arrive before startLiveCapture resolves in the same turn: queue them.
          if (!file) pendingBatches.push(batch.packets);
          else writePackets(batch.packets);
        },
        onStats(s) {
          finalStats = s;
        },
        onEnd(reason) {
          if (reason.kind === 'error') failure ??= reason.message;
          ended(finalStats);
        },
      },
      { immediate: a.immediate },
    );
  } catch (e) {
    if (!(e instanceof CaptureStartError)) throw e;
    err.write(`synscope capture: ${e.message}\n`);
    if (e.span) err.write(`  ${a.filter}\n  ${' '.repeat(e.span.start)}${'^'.repeat(Math.max(1, e.span.end - e.span.start))}\n`);
    return EXIT_CAPTURE;
  }

  try {
    file = openOutput(a, live);
  } catch (e) {
    await live.stop();
    err.write(`synscope capture: cannot create ${a.path}: ${systemReason(e as Error)}\n`);
    return EXIT_CAPTURE;
  }
  err.write(`Capturing on '${live.interface}', link-type ${linkTypeLabel(live.linkType)}, snapshot length ${live.snaplen} bytes\n`);
  err.flush();
  for (const b of pendingBatches.splice(0)) writePackets(b);

  const onSignal = (): void => {
    void live?.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  let stats: CaptureStats | null;
  try {
    stats = await finished;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
  }
  try {
    file.close();
  } catch (e) {
    if (!readerGone(e)) failure ??= `cannot write ${a.path}: ${systemReason(e as Error)}`;
    file.abort();
  }
  if (tty) err.write('\r');
  // tcpdump's closing lines (received/dropped are pcap_stats' ps_recv/ps_drop/ps_ifdrop).
  err.write(`${plural(written, 'packet')} captured\n`);
  if (stats) {
    err.write(`${plural(stats.received, 'packet')} received by filter\n`);
    err.write(`${plural(stats.dropped, 'packet')} dropped by kernel\n`);
    if (stats.ifDropped !== 0) err.write(`${plural(stats.ifDropped, 'packet')} dropped by interface\n`);
  }
  if (a.ring) out.write(`${file.describe()}\n`);
  if (failure) {
    err.write(`synscope capture: ${failure}\n`);
    return EXIT_CAPTURE;
  }
  return EXIT_OK;
}

// pcap_if_t flag bits and tcpdump's words for them (tcpdump.c show_devices_and_exit).
const IF_FLAG_WORDS: Array<[number, string]> = [[2, 'Up'], [4, 'Running'], [1, 'Loopback'], [8, 'Wireless']];
const IF_WIRELESS = 8;
const IF_CONNECTION_STATUS = 0x30;
const CONNECTION_WORDS = new Map<number, [string, string]>([
  // status -> [wired, wireless]; 0x30 "not applicable" prints nothing
  [0x00, ['Connection status unknown', 'Association status unknown']],
  [0x10, ['Connected', 'Associated']],
  [0x20, ['Disconnected', 'Not associated']],
]);

/** One line of `tcpdump -D`: "3.lo [Up, Running, Loopback]". */
export function tcpdumpDeviceLine(n: number, d: NativeDevice): string {
  let line = `${n}.${d.name}`;
  if (d.description !== undefined) line += ` (${d.description})`;
  if (d.flagBits !== 0) {
    const words = IF_FLAG_WORDS.filter(([bit]) => d.flagBits & bit).map(([, w]) => w);
    let text = words.length ? words.join(', ') : 'none';
    const conn = CONNECTION_WORDS.get(d.flagBits & IF_CONNECTION_STATUS);
    if (conn) text += `, ${d.flagBits & IF_WIRELESS ? conn[1] : conn[0]}`;
    line += ` [${text}]`;
  }
  return line;
}

export async function runInterfaces(argv: readonly string[], out: Sink, err: Sink): Promise<number> {
  const json = argv.includes('--json');
  const addresses = argv.includes('--addresses');
  const unknown = argv.find((x) => x !== '--json' && x !== '--addresses');
  if (unknown !== undefined) throw new UsageError(`unknown option ${unknown}`);
  let devices;
  try {
    devices = await listDevices();
  } catch (e) {
    err.write(`synscope interfaces: ${(e as Error).message}\n`);
    return EXIT_CAPTURE;
  }
  if (json) {
    out.write(JSON.stringify(devices.map(toInterfaceInfo), null, 2) + '\n');
    return EXIT_OK;
  }
  devices.forEach((d, k) => {
    out.write(tcpdumpDeviceLine(k + 1, d) + '\n');
    if (!addresses) return;
    for (const x of toInterfaceInfo(d).addresses) out.write(`    ${x.family} ${x.address}${x.netmask ? ` netmask ${x.netmask}` : ''}\n`);
  });
  return EXIT_OK;
}

export { EXIT_USAGE as CAPTURE_EXIT_USAGE };

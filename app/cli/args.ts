// A small hand-written argument parser for `synscope read` (tshark's option letters).
// Errors are UsageError: printed with the subcommand's usage, exit status 1.

import type { ExpertSeverity } from '../dissect/tree.js';

export class UsageError extends Error {}

export type OutputMode = 'text' | 'tabs' | 'fields' | 'json';
export type Occurrence = 'f' | 'l' | 'a';

/** tshark -t: how the Time column shows a packet's time (r, the default: since the first packet). */
export type TimeColumnFormat = 'r' | 'a' | 'ad' | 'adoy' | 'd' | 'dd' | 'e' | 'u' | 'ud' | 'udoy';

/** The -t formats with tshark's descriptions (its usage message lists them so). */
export const TIME_COLUMN_FORMATS: ReadonlyArray<[TimeColumnFormat, string]> = [
  ['a', 'absolute'], ['ad', 'absolute with YYYY-MM-DD date'], ['adoy', 'absolute with YYYY/DOY date'],
  ['d', 'delta'], ['dd', 'delta displayed'], ['e', 'epoch'], ['r', 'relative'],
  ['u', 'absolute UTC'], ['ud', 'absolute UTC with YYYY-MM-DD date'], ['udoy', 'absolute UTC with YYYY/DOY date'],
];

/**
 * -z: one of tshark's statistics: a table (`conv,tcp`, `conv,udp`, `endpoints,ip`,
 * `endpoints,ipv6`) with the filter tshark takes after a third comma (only matching packets are
 * counted), or Follow TCP, UDP or TLS Stream (`follow,tcp|udp|tls,ascii|hex|raw,STREAM[,CHUNK[-CHUNK]]`).
 */
export type StatTap =
  | { table: 'conv,tcp' | 'conv,udp' | 'endpoints,ip' | 'endpoints,ipv6'; filter: string | null }
  | ExpertTap
  | PhsTap
  | FollowTap;

/** `io,phs[,FILTER]`: Protocol Hierarchy Statistics of the packets FILTER matches (all without). */
export interface PhsTap {
  table: 'io,phs';
  filter: string | null;
}

/** `expert[,error|warn|note|chat|comment][,FILTER]`: the expert notes of severity `lowest` and above. */
export interface ExpertTap {
  table: 'expert';
  lowest: ExpertSeverity;
  filter: string | null;
}

export interface FollowTap {
  /** Follow TCP Stream, UDP Stream (tcp.stream's or udp.stream's number), or TLS Stream (the application data decrypted). */
  table: 'follow,tcp' | 'follow,udp' | 'follow,tls';
  mode: 'ascii' | 'hex' | 'raw';
  stream: number;
  /** The records shown, counted from 1 (tshark's chunk range); all by default. */
  firstChunk: number;
  lastChunk: number;
}

const STAT_TABLES = ['conv,tcp', 'conv,udp', 'endpoints,ip', 'endpoints,ipv6'] as const;
const STAT_USAGE = 'conv,tcp conv,udp endpoints,ip endpoints,ipv6 io,phs, each with an optional ,FILTER; expert[,error|warn|note|chat|comment][,FILTER]; follow,tcp|udp|tls,ascii|hex|raw,STREAM[,CHUNKS]';
const EXPERT_LEVELS: ReadonlyArray<ExpertSeverity> = ['error', 'warn', 'note', 'chat', 'comment'];

export function parseStatTap(arg: string): StatTap {
  if (/^follow,(tcp|udp|tls),/.test(arg)) return parseFollow(arg);
  if (arg === 'expert' || arg.startsWith('expert,')) return parseExpert(arg);
  if (arg === 'io,phs' || arg.startsWith('io,phs,')) return { table: 'io,phs', filter: arg.slice('io,phs,'.length) || null };
  const table = STAT_TABLES.find((t) => arg === t || arg.startsWith(`${t},`));
  if (!table) throw new UsageError(`invalid -z argument "${arg}" (${STAT_USAGE})`);
  const filter = arg.slice(table.length + 1);
  return { table, filter: filter === '' ? null : filter };
}

/** expert[,LEVEL][,FILTER]: as tshark, the level is taken in any case; what follows it (or `expert,`) is the filter. */
function parseExpert(arg: string): ExpertTap {
  let rest = arg.slice('expert'.length);
  let lowest: ExpertSeverity = 'comment';
  const m = /^,([a-z]+)(?=,|$)/i.exec(rest);
  const level = m ? EXPERT_LEVELS.find((l) => l === m[1]!.toLowerCase()) : undefined;
  if (level) {
    lowest = level;
    rest = rest.slice(m![0].length);
  }
  const filter = rest.startsWith(',') ? rest.slice(1) : '';
  return { table: 'expert', lowest, filter: filter === '' ? null : filter };
}

/** follow,tcp|udp|tls,MODE,STREAM[,N or N-M]: the stream by its number (tshark's address form is not taken). */
function parseFollow(arg: string): FollowTap {
  const m = /^follow,(tcp|udp|tls),(ascii|hex|raw),(\d+)(?:,(\d+)(?:-(\d+))?)?$/.exec(arg);
  if (!m) throw new UsageError(`invalid -z argument "${arg}" (follow,tcp|udp|tls,ascii|hex|raw,STREAM with tcp.stream's or udp.stream's number, then optionally the records N or N-M)`);
  const first = m[4] === undefined ? 1 : Number(m[4]);
  const last = m[4] === undefined ? Infinity : m[5] === undefined ? first : Number(m[5]);
  if (first < 1 || first > last) throw new UsageError(`invalid -z argument "${arg}" (the records are counted from 1, N-M with N <= M)`);
  return { table: `follow,${m[1] as 'tcp' | 'udp' | 'tls'}`, mode: m[2] as FollowTap['mode'], stream: Number(m[3]), firstChunk: first, lastChunk: last };
}

export interface FieldsOptions {
  header: boolean;
  separator: string;
  occurrence: Occurrence;
  aggregator: string;
  quote: '' | '"' | "'";
}

export interface ReadOptions {
  file: string;
  mode: OutputMode;
  fields: string[];
  fieldsOptions: FieldsOptions;
  hex: boolean;
  verbose: boolean;
  /** -P: print the summary line even when -V/-x/-w would suppress it. */
  summary: boolean;
  count: number | null;
  writeFile: string | null;
  writeFormat: 'pcap' | 'pcapng';
  /** -Y: a display filter, or a tcpdump expression when it is not a valid display filter. */
  displayFilter: string | null;
  /** -f: a tcpdump expression applied to the raw bytes, as a capture filter would be. */
  captureFilter: string | null;
  /** -q: no per-packet output (with -w: only write). */
  quiet: boolean;
  /** -l: flush standard output (and the -w file) after each packet (tshark -l), for a live feed through a pipe. */
  lineBuffered: boolean;
  /** -t: the Time column's format (tshark's letters; r, relative to the first packet, by default). */
  timeFormat: TimeColumnFormat;
  /** -z: statistics tables printed after the packets (or alone with -q), in tshark's text. */
  stats: StatTap[];
  help: boolean;
  /**
   * Not a command-line option: build the full tree even for -T fields (tests use it to check
   * that the fast {tree:false, wanted} mode prints the same values as the tree).
   */
  forceTree?: boolean;
  /**
   * Not a command-line option: false dissects every packet for its summary line (the test that
   * compares the header-only fast path, summary-fast.ts, with the dissections).
   */
  fastSummary?: boolean;
  /**
   * Not a command-line option: false makes `-Y` dissect every packet instead of only the
   * matching ones and those of their connections (stream-needs.ts; its test compares the two).
   */
  firstPass?: boolean;
  /** -o tls.keylog_file:FILE: TLS secrets in the NSS key log format (SSLKEYLOGFILE); TLS sessions they name are decrypted. */
  tlsKeylogFile?: string;
  /** --threads N: how many threads print the summary lines (read-parallel.ts); unset: one per two CPUs, up to 4, for large files without -Y. */
  threads?: number;
}

/** `-E separator=/t` and friends: tshark's escapes for tab and space. */
function decodeSeparator(v: string): string {
  if (v === '/t') return '\t';
  if (v === '/s') return ' ';
  return v;
}

function parseE(arg: string, fo: FieldsOptions): void {
  const eq = arg.indexOf('=');
  if (eq < 0) throw new UsageError(`invalid -E option "${arg}" (expected key=value)`);
  const key = arg.slice(0, eq);
  const v = arg.slice(eq + 1);
  switch (key) {
    case 'header':
      if (v !== 'y' && v !== 'n') throw new UsageError(`invalid -E header value "${v}" (y or n)`);
      fo.header = v === 'y';
      break;
    case 'separator':
      if (v.length === 0) throw new UsageError('empty -E separator');
      fo.separator = decodeSeparator(v);
      break;
    case 'aggregator':
      if (v.length === 0) throw new UsageError('empty -E aggregator');
      fo.aggregator = decodeSeparator(v);
      break;
    case 'occurrence':
      if (v !== 'f' && v !== 'l' && v !== 'a') throw new UsageError(`invalid -E occurrence value "${v}" (f, l or a)`);
      fo.occurrence = v;
      break;
    case 'quote':
      if (v === 'd') fo.quote = '"';
      else if (v === 's') fo.quote = "'";
      else if (v === 'n') fo.quote = '';
      else throw new UsageError(`invalid -E quote value "${v}" (d, s or n)`);
      break;
    default:
      throw new UsageError(`invalid -E option "${key}" (header, separator, occurrence, aggregator, quote)`);
  }
}

export function parseReadArgs(argv: readonly string[]): ReadOptions {
  const o: ReadOptions = {
    file: '',
    mode: 'text',
    fields: [],
    fieldsOptions: { header: false, separator: '\t', occurrence: 'a', aggregator: ',', quote: '' },
    hex: false,
    verbose: false,
    summary: false,
    count: null,
    writeFile: null,
    writeFormat: 'pcapng',
    displayFilter: null,
    captureFilter: null,
    quiet: false,
    lineBuffered: false,
    timeFormat: 'r',
    stats: [],
    help: false,
  };
  let modeSet = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      // -cN and -c N are both accepted, like getopt.
      if (a.length > 2 && !a.startsWith('--')) return a.slice(2);
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`option ${a} needs a value`);
      return v;
    };
    if (a === '-h' || a === '--help') {
      o.help = true;
      continue;
    }
    if (a === '--threads' || a.startsWith('--threads=')) {
      const v = a.startsWith('--threads=') ? a.slice('--threads='.length) : argv[++i];
      if (v === undefined) throw new UsageError(`option ${a} needs a value`);
      const n = Number(v);
      if (!/^\d+$/.test(v) || n < 1 || n > 64) throw new UsageError(`invalid --threads value "${v}" (1 to 64)`);
      o.threads = n;
      continue;
    }
    if (a === '--') {
      for (const rest of argv.slice(i + 1)) setFile(o, rest);
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      setFile(o, a);
      continue;
    }
    switch (a.slice(0, 2)) {
      case '-r': setFile(o, value()); break;
      case '-T': {
        const m = value();
        if (m !== 'fields' && m !== 'json' && m !== 'text' && m !== 'tabs') throw new UsageError(`invalid -T value "${m}" (text, tabs, fields, json)`);
        o.mode = m;
        modeSet = true;
        break;
      }
      case '-e': o.fields.push(value()); break;
      case '-E': parseE(value(), o.fieldsOptions); break;
      case '-x': if (a !== '-x') throw new UsageError(`unknown option ${a}`); o.hex = true; break;
      case '-V': if (a !== '-V') throw new UsageError(`unknown option ${a}`); o.verbose = true; break;
      case '-P': if (a !== '-P') throw new UsageError(`unknown option ${a}`); o.summary = true; break;
      case '-n': if (a !== '-n') throw new UsageError(`unknown option ${a}`); break; // names are never resolved
      case '-c': {
        const v = value();
        const n = Number(v);
        if (!/^\d+$/.test(v) || n < 1) throw new UsageError(`invalid -c value "${v}" (a positive packet count)`);
        o.count = n;
        break;
      }
      case '-w': o.writeFile = value(); break;
      case '-Y': o.displayFilter = value(); break;
      case '-f': o.captureFilter = value(); break;
      case '-q': if (a !== '-q') throw new UsageError(`unknown option ${a}`); o.quiet = true; break;
      case '-l': if (a !== '-l') throw new UsageError(`unknown option ${a}`); o.lineBuffered = true; break;
      case '-z': o.stats.push(parseStatTap(value())); break;
      case '-t': {
        const t = value();
        const known = TIME_COLUMN_FORMATS.find(([f]) => f === t);
        if (!known) throw new UsageError(`invalid time stamp type "${t}"; it must be one of:\n${TIME_COLUMN_FORMATS.map(([f, what]) => `\t${`"${f}"`.padEnd(6)} for ${what}`).join('\n')}`);
        o.timeFormat = known[0];
        break;
      }
      case '-o': {
        const pref = value();
        const colon = pref.indexOf(':');
        const name = colon < 0 ? pref : pref.slice(0, colon);
        // tshark's preference names for the key log (ssl. is the old protocol name).
        if (name !== 'tls.keylog_file' && name !== 'ssl.keylog_file') throw new UsageError(`unknown preference "${name}" (synscope takes -o tls.keylog_file:FILE)`);
        if (colon < 0 || colon === pref.length - 1) throw new UsageError(`-o ${name} needs a file: -o ${name}:FILE`);
        o.tlsKeylogFile = pref.slice(colon + 1);
        break;
      }
      case '-F': {
        const f = value();
        if (f !== 'pcap' && f !== 'pcapng') throw new UsageError(`invalid -F value "${f}" (pcap or pcapng)`);
        o.writeFormat = f;
        break;
      }
      default:
        throw new UsageError(`unknown option ${a}`);
    }
  }
  if (o.help) return o;
  if (!o.file) throw new UsageError('no capture file given');
  if (o.fields.length > 0 && !modeSet) throw new UsageError('-e requires -T fields');
  if (o.mode === 'fields' && o.fields.length === 0) throw new UsageError('-T fields requires at least one -e FIELD');
  if (o.mode !== 'fields' && o.fields.length > 0) throw new UsageError('-e requires -T fields');
  // The tables take a pass of their own after the packets': a pipe is read once.
  if (o.stats.length > 0 && o.file === '-' && (!o.quiet || o.writeFile !== null)) throw new UsageError('-z on standard input needs -q and no -w (the capture cannot be read twice)');
  // Following a stream reads its packets again by their place in the file, all of them.
  const follow = o.stats.find((t) => t.table.startsWith('follow,'));
  if (follow) {
    if (o.file === '-') throw new UsageError(`-z ${follow.table} needs a capture file, not standard input`);
    if (o.count !== null || o.captureFilter !== null) throw new UsageError(`-z ${follow.table} follows the stream in the whole file: it does not go with -c or -f`);
  }
  return o;
}

/**
 * Whether `read` with these options only selects with -f (or not at all) and writes with -w:
 * nothing printed, no display filter, so no packet is dissected (filter-write.ts).
 */
export function filterWriteOnly(o: ReadOptions): boolean {
  if (o.writeFile === null || (o.displayFilter !== null && o.displayFilter.trim() !== '')) return false;
  // With -w the summary lines are printed only with -P (as in tshark); -q prints nothing at all.
  return o.quiet || ((o.mode === 'text' || o.mode === 'tabs') && !o.verbose && !o.hex && !o.summary && o.forceTree !== true);
}

function setFile(o: ReadOptions, f: string): void {
  if (o.file) throw new UsageError(`more than one capture file given ("${o.file}", "${f}")`);
  o.file = f;
}

export const READ_HELP = `Usage: synscope read FILE [options]

Reads a pcap or pcapng capture (also .gz/.zst compressed) and prints every packet, like
\`tshark -n -r FILE\`. FILE - is standard input (\`ssh host tcpdump -w - | synscope read -\`).

Output:
  (default)            one summary line per packet, laid out like tshark:
                       No.  Time  Source → Destination  Protocol  Length  Info
                       (Time: seconds since the first packet, in the capture's precision)
  -T tabs              the same columns separated by tabs (tshark -T tabs)
  -T fields -e FIELD   one line per packet with the values of the given fields, as
                       \`tshark -T fields\` prints them; repeat -e for more fields. Columns
                       are fields too: _ws.col.No. _ws.col.Time _ws.col.Source
                       _ws.col.Destination _ws.col.Protocol _ws.col.Length _ws.col.Info
  -E header=y|n        print the field names first (default n)
  -E separator=/t|/s|C field separator: tab (default), space or the character C
  -E occurrence=f|l|a  first, last or all (default) occurrences of a field
  -E aggregator=C      joins several occurrences (default ,)
  -E quote=d|s|n       put values in double/single quotes, or not (default n)
  -T json              a JSON array, one object per packet:
                         { "_source": { "layers": { "<proto>": NODE, ... } } }
                       NODE = { "value": "<as -T fields>", "show": "<tree line>",
                                "offset": <first byte in the packet>, "length": <bytes>,
                                "generated": true?, "hidden": true?,
                                "fields": { "<field name>": NODE or [NODE, ...] }? }
  -V                   the packet tree as text (4 spaces per level), like tshark -V
  -x                   hex and ASCII dump of each packet, like tshark -x
  -P                   print summary lines as well when -V, -x or -w is given
  -t a|ad|adoy|d|dd|e|r|u|ud|udoy
                       the Time column, as tshark -t: r seconds since the first packet
                       (default), d since the previous packet, dd since the previous one
                       printed, e since 1970 (epoch), a/ad/adoy local time of day (ad with
                       YYYY-MM-DD, adoy with YYYY/DOY), u/ud/udoy the same in UTC

Selection and writing:
  -Y FILTER            print (and write) only the packets that match FILTER: a Wireshark
                       display filter (tcp.flags.syn == 1 && ip.addr == 10.0.0.0/8) or, when it
                       is not one, a tcpdump expression (host 10.0.0.1 and tcp port 80).
                       Packet numbers stay those of the file; every packet still goes through
                       the TCP analysis, as with tshark -Y
  -f EXPR              a tcpdump (pcap-filter) expression applied to each record's bytes before
                       anything else, as a capture filter: packets it rejects are skipped as if
                       never captured (numbering, -c and the TCP analysis see only the rest)
  -q                   print nothing per packet (with -w: only write the file)
  -z conv,tcp|conv,udp|endpoints,ip|endpoints,ipv6[,FILTER]
                       after the packets (alone with -q), tshark's statistics table: the
                       TCP or UDP conversations, or the IPv4 or IPv6 endpoints, counting every
                       packet read (-Y does not change them; -c and -f do) or the ones that
                       match FILTER; repeat -z for more tables (printed last to first, as
                       tshark does)
  -z expert[,error|warn|note|chat|comment][,FILTER]
                       the expert information summary as tshark prints it: every note
                       (retransmissions, resets, malformed packets, ...) counted by severity,
                       protocol and message; only notes at or above the level given, and
                       only of packets that match FILTER
  -z io,phs[,FILTER]   Protocol Hierarchy Statistics as tshark prints them: every layer of the
                       packets (those FILTER matches), with its frames and bytes
  -z follow,tcp,ascii|hex|raw,STREAM[,N[-M]]
                       Follow TCP Stream as tshark prints it: the payload of tcp.stream STREAM
                       in sequence order, record by record (the server's indented by a tab),
                       all of them or records N to M
  -z follow,tls,ascii|hex|raw,STREAM[,N[-M]]
                       Follow TLS Stream: the application data of tcp.stream STREAM as it was
                       decrypted (with the capture's secrets or -o tls.keylog_file), record by
                       record; the side of the first decrypted record is Node 0, as in tshark
  -z follow,udp,ascii|hex|raw,STREAM[,N[-M]]
                       Follow UDP Stream: the payload of each datagram of udp.stream STREAM
  -l                   flush the output (lines, or the -w file) after each packet: a live feed
                       through pipes (tcpdump -U -w - | synscope read - -l -Y http -w - | ...)
  -c N                 stop after N packets
  --threads N          print the summary lines of a regular file on N threads, each dissecting
                       whole connections and pairs of hosts (same output); default for files
                       of 16 MB or more without -Y: one per two CPUs, up to 4; 1: one thread
  -w OUT               write the packets read (with -Y: the matching ones) to OUT, - for
                       standard output (with -w, lines are printed only with -P)
  -F pcap|pcapng       format of OUT (default pcapng)
  -o tls.keylog_file:KEYS
                       decrypt the TLS sessions whose secrets the file KEYS holds (the NSS key
                       log format browsers and curl write with SSLKEYLOGFILE), as tshark -o
                       does; a pcapng's own Decryption Secrets Blocks are used in any case
  -n                   accepted for tshark compatibility (names are never resolved)
  -r FILE              the capture file (same as giving FILE)

Exit status: 0 ok; 1 usage error or invalid field; 2 an invalid filter (the message, the
filter and a ^~~~ marker under the problem, as tshark prints them), or the file cannot be
opened, is not a capture file, or is damaged (every packet before the damage is still printed).
`;

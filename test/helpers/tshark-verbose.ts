// tshark's packet details (`-V`), its expert summary (`-q -z expert`) and the conversation and
// endpoint tables (`-q -z conv,tcp ...`) of a capture, from one tshark run. Starting tshark costs
// ~0.45 s and different tests asked these three of every corpus file (~280 s of tshark time in
// a full test run, logged); tshark prints the -z summaries after the packets when -q is not given, so one run
// `-V -z expert -z conv,tcp -z conv,udp -z endpoints,ip -z endpoints,ipv6` holds all three:
// the details, then the tables (last registered first), then the expert summary.
//
// Each part is byte for byte what its own run prints: checked once on every corpus file (the
// details, the expert summary, the tables and the exit status of each, all equal).
import { tsharkRaw } from './tshark.js';

/**
 * The -z tables the statistics tests compare with: tshark's conversations and endpoints.
 * `tshark -q` with these prints them last to first: IPv6 endpoints first, TCP conversations last.
 */
export const TABLE_TAPS = ['conv,tcp', 'conv,udp', 'endpoints,ip', 'endpoints,ipv6'] as const;

/** The rule that opens every -z table (above its title) and closes it. */
const RULE = '='.repeat(80) + '\n';

interface VerboseAndTaps {
  /** `tshark -V` stdout. */
  verbose: string;
  /** `tshark -q -z expert` stdout. */
  expert: string;
  /** `tshark -q` with every TABLE_TAPS table, stdout. */
  tables: string;
  /** tshark's exit status (2 for a damaged file; each of the three runs gave the same). */
  status: number;
}

function verboseAndTaps(file: string): VerboseAndTaps {
  const { stdout, status } = tsharkRaw(file, ['-V', '-z', 'expert', ...TABLE_TAPS.flatMap((t) => ['-z', t])]);
  // A file tshark cannot open at all: nothing printed, by any of the three.
  if (stdout === '') return { verbose: '', tables: '', expert: '', status };
  // A line of the details at the margin is a frame's or a layer's title, never a rule: the
  // first rule at the margin starts the tables (IPv6 endpoints first).
  const tablesAt = stdout.startsWith(RULE) ? 0 : stdout.indexOf('\n' + RULE) + 1;
  // The TCP conversations table is printed last; the expert summary follows its closing rule.
  const tcp = stdout.indexOf(`${RULE}TCP Conversations\n`, tablesAt);
  if ((tablesAt === 0 && !stdout.startsWith(RULE)) || tcp < 0) throw new Error(`tshark printed no tables after the details of ${file}`);
  const tcpEnd = stdout.indexOf(RULE, tcp + RULE.length) + RULE.length;
  return { verbose: stdout.slice(0, tablesAt), tables: stdout.slice(tablesAt, tcpEnd), expert: stdout.slice(tcpEnd), status };
}

/** `tshark -n -r FILE -V`: stdout and exit status. */
export function tsharkVerbose(file: string): { stdout: string; status: number } {
  const r = verboseAndTaps(file);
  return { stdout: r.verbose, status: r.status };
}

/** `tshark -n -r FILE -q -z expert`: stdout. */
export function tsharkExpertSummary(file: string): string {
  return verboseAndTaps(file).expert;
}

/** `tshark -n -r FILE -q` with every TABLE_TAPS table: stdout, tables last to first. */
export function tsharkTables(file: string): string {
  return verboseAndTaps(file).tables;
}

// Subcommand dispatch for `synscope`, writing to sinks so tests can run it in-process. Each
// command's modules are imported when it runs (in the bundle: their top level runs then), so
// `synscope fields` or `read` need not start the web server's, and `read -f EXPR -w OUT`
// (filter-write.ts) does not run the protocol modules or fill the field registry.
import { filterWriteOnly, parseReadArgs, READ_HELP, UsageError } from './args.js';
import { EXIT_FILE, EXIT_OK, EXIT_USAGE } from './open-capture.js';
import { StringSink, type Sink } from './sink.js';

const VERSION = '0.1.0';

export const MAIN_HELP = `Usage: synscope COMMAND [options]

Commands:
  read FILE [options]   print the packets of a pcap/pcapng file (tshark-like; see read --help),
                        and tshark's -z conversation/endpoint tables, expert information
                        summary and Follow TCP Stream
  info FILE             file format, interfaces, packet count and time span (like capinfos)
  conv FILE             TCP/UDP conversations (tshark -z conv columns + handshake RTT, end state)
  tcp FILE              each TCP connection's lifecycle as a ladder or JSON lines, and alerts
  capture -i IFACE -w FILE  capture live packets to a file (like dumpcap/tcpdump -w)
  interfaces            list the capture interfaces (like tcpdump -D)
  fields [PREFIX]       list the field names SynScope knows (like tshark -G fields)
  web [FILE]            the workstation UI in a browser (prints a URL with an access token)
  version               print the version
  help [COMMAND]        show help

Run \`synscope COMMAND --help\` for a command's options.
`;

const INFO_HELP = `Usage: synscope info FILE

Reads the whole file without dissecting and prints its format, interfaces (link type, snaplen,
timestamp resolution), the number of packets, bytes and the first and last packet times.
Exit status 2 when the file cannot be read or is damaged (the counts so far are printed).
`;

const FIELDS_HELP = `Usage: synscope fields [PREFIX]

Lists every registered field, one a line, tab-separated like \`tshark -G fields\`:
F, label, name, type, protocol, base, mask, description. With PREFIX, only fields whose
name starts with it.
`;

async function listFields(argv: readonly string[], out: Sink): Promise<number> {
  const { allFields } = await import('../dissect/field.js');
  // The registry is filled as the protocol modules load.
  await import('../dissect/driver.js');
  const prefix = argv[0] ?? '';
  for (const f of allFields()) {
    if (!f.name.startsWith(prefix)) continue;
    const type = 'FT_' + f.type.toUpperCase();
    const base = f.base ? 'BASE_' + f.base.toUpperCase() : '';
    const mask = f.mask !== undefined ? '0x' + f.mask.toString(16) : '';
    out.write(`F\t${f.label}\t${f.name}\t${type}\t${f.proto}\t${base}\t${mask}\t${f.description ?? ''}\n`);
  }
  return EXIT_OK;
}

export async function run(argv: readonly string[], out: Sink, err: Sink): Promise<number> {
  const [cmd, ...rest] = argv;
  const wantsHelp = rest.includes('--help') || rest.includes('-h');
  switch (cmd) {
    case undefined:
    case 'help':
    case '--help':
    case '-h': {
      const topic = rest[0];
      if (topic === 'conv' || topic === 'tcp') {
        const { CONV_HELP, TCP_HELP } = await import('./tcp-commands.js');
        out.write(topic === 'conv' ? CONV_HELP : TCP_HELP);
      } else out.write(topic === 'read' ? READ_HELP : topic === 'fields' ? FIELDS_HELP : MAIN_HELP);
      return EXIT_OK;
    }
    case 'version':
    case '--version':
      out.write(`synscope ${VERSION}\n`);
      return EXIT_OK;
    case 'info':
      if (wantsHelp || rest.length !== 1) {
        (wantsHelp ? out : err).write(INFO_HELP);
        return wantsHelp ? EXIT_OK : EXIT_USAGE;
      }
      return (await import('./read.js')).runInfo(rest[0]!, out, err);
    case 'conv':
    case 'tcp': {
      const { CONV_HELP, runConv, runTcp, TCP_HELP } = await import('./tcp-commands.js');
      if (wantsHelp) {
        out.write(cmd === 'conv' ? CONV_HELP : TCP_HELP);
        return EXIT_OK;
      }
      try {
        return await (cmd === 'conv' ? runConv(rest, out, err) : runTcp(rest, out, err));
      } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        err.write(`synscope ${cmd}: ${e.message}\nRun \`synscope ${cmd} --help\` for the options.\n`);
        return EXIT_USAGE;
      }
    }
    case 'web': {
      // Loaded on demand: `read` and friends never need the HTTP server or the session.
      const { runWeb, WEB_HELP } = await import('./web-command.js');
      if (wantsHelp) {
        out.write(WEB_HELP);
        return EXIT_OK;
      }
      return runWeb(rest, out, err);
    }
    case 'capture':
    case 'interfaces': {
      const { CAPTURE_HELP, INTERFACES_HELP, runCapture, runInterfaces } = await import('./capture-commands.js');
      if (wantsHelp) {
        out.write(cmd === 'capture' ? CAPTURE_HELP : INTERFACES_HELP);
        return EXIT_OK;
      }
      try {
        return await (cmd === 'capture' ? runCapture(rest, out, err) : runInterfaces(rest, out, err));
      } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        err.write(`synscope ${cmd}: ${e.message}\nRun \`synscope ${cmd} --help\` for the options.\n`);
        return EXIT_USAGE;
      }
    }
    case 'fields':
      if (wantsHelp) {
        out.write(FIELDS_HELP);
        return EXIT_OK;
      }
      return listFields(rest, out);
    case 'read': {
      let opts;
      try {
        opts = parseReadArgs(rest);
      } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        err.write(`synscope read: ${e.message}\nRun \`synscope read --help\` for the options.\n`);
        return EXIT_USAGE;
      }
      if (opts.help) {
        out.write(READ_HELP);
        return EXIT_OK;
      }
      // -z with -q and no -w: the tables are all there is to print.
      const packets = opts.stats.length === 0 || !opts.quiet || opts.writeFile !== null;
      let code = EXIT_OK;
      // Nothing to print and no display filter: the filter-and-write pass, no dissection.
      if (packets && filterWriteOnly(opts)) code = (await import('./filter-write.js')).runFilterWrite(opts, err);
      else if (packets) code = await (await import('./read.js')).runRead(opts, out, err);
      if (opts.stats.length === 0 || (code !== EXIT_OK && code !== EXIT_FILE)) return code;
      // Status 2 is also a filter read reported: then no tables.
      const compiled = (await import('./filters.js')).compileReadFilters(opts.displayFilter, opts.captureFilter);
      if (!compiled.ok) return code;
      // The tables see what the packets' pass saw: -c's first packets, -f's captured ones.
      const scope = {
        ...(opts.count !== null ? { count: opts.count } : {}), ...(compiled.filters.capture ? { capture: compiled.filters.capture } : {}),
        ...(opts.tlsKeylogFile ? { tlsKeylogFile: opts.tlsKeylogFile } : {}),
      };
      // After a damaged file's packets, its tables (the error was said once already).
      const status = await (await import('./stats-taps.js')).runStatTaps(opts.file, opts.stats, out, code === EXIT_OK ? err : new StringSink(), scope);
      return code === EXIT_OK ? status : code;
    }
    default:
      err.write(`synscope: unknown command "${cmd}"\n\n${MAIN_HELP}`);
      return EXIT_USAGE;
  }
}

// `synscope web [FILE] [--port P] [--host H] [--allow-remote]`: the workstation UI in a browser,
// served with the session API over WebSocket (app/server/). Prints the URL with its access token
// and serves until interrupted (Ctrl+C / SIGTERM).
import { Session } from '../session/session.js';
import { validateArgs } from '../session/validate.js';
import { RemoteBindRefused, startWebServer } from '../server/web-server.js';
import { UsageError } from './args.js';
import type { Sink } from './sink.js';

export const WEB_HELP = `Usage: synscope web [FILE] [--port P] [--host ADDRESS] [--allow-remote]

Serves the SynScope workstation to a web browser and prints the address to open, which carries
a random access token: http://127.0.0.1:PORT/?token=…  The page and its WebSocket need that
token; anyone who has it can read files and start captures as this user.

  FILE            open this capture file first
  --port P        TCP port (default 0: any free port)
  --host ADDRESS  address to listen on (default 127.0.0.1)
  --allow-remote  allow a non-loopback --host (e.g. 0.0.0.0); traffic is not encrypted, so
                  prefer an SSH tunnel: ssh -L 8080:127.0.0.1:8080 box, then --port 8080

Stop with Ctrl+C.
`;

export interface WebOptions {
  file: string | null;
  port: number;
  host: string;
  allowRemote: boolean;
}

export function parseWebArgs(argv: readonly string[]): WebOptions {
  const o: WebOptions = { file: null, port: 0, host: '127.0.0.1', allowRemote: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--port' || a.startsWith('--port=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : value();
      const port = Number(v);
      if (!/^\d+$/.test(v) || port > 65535) throw new UsageError(`invalid --port "${v}" (0-65535)`);
      o.port = port;
    } else if (a === '--host' || a.startsWith('--host=')) {
      o.host = a.includes('=') ? a.slice(a.indexOf('=') + 1) : value();
      if (o.host === '') throw new UsageError('empty --host');
    } else if (a === '--allow-remote') {
      o.allowRemote = true;
    } else if (a.startsWith('-')) {
      throw new UsageError(`unknown option "${a}"`);
    } else if (o.file === null) {
      o.file = a;
    } else {
      throw new UsageError(`only one FILE may be given (got "${o.file}" and "${a}")`);
    }
  }
  return o;
}

/** Runs the server until SIGINT/SIGTERM (or `stop` resolves, for tests); returns the exit status. */
export async function runWeb(argv: readonly string[], out: Sink, err: Sink, stop?: Promise<void>): Promise<number> {
  let o: WebOptions;
  try {
    o = parseWebArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err.write(`synscope web: ${e.message}\nRun \`synscope web --help\` for the options.\n`);
    err.flush();
    return 1;
  }
  // The session captures through libpcap's helper process (app/capture) when asked to.
  const session = new Session();
  let server;
  try {
    server = await startWebServer({
      session,
      checkArgs: (channel, args) => validateArgs(channel, args),
      host: o.host,
      port: o.port,
      allowRemote: o.allowRemote,
    });
  } catch (e) {
    await session.dispose();
    if (e instanceof RemoteBindRefused) {
      err.write(`synscope web: ${e.message}\n`);
      err.flush();
      return 1;
    }
    err.write(`synscope web: cannot listen on ${o.host}:${o.port}: ${e instanceof Error ? e.message : String(e)}\n`);
    err.flush();
    return 2;
  }
  if (o.file !== null) {
    try {
      await session.handle('file.open', { path: o.file });
    } catch (e) {
      // Not fatal: the page shows the start page and the user can open another file.
      err.write(`synscope web: ${e instanceof Error ? e.message : String(e)}\n`);
    }
  }
  if (o.allowRemote && o.host !== '127.0.0.1') {
    err.write(`synscope web: listening on ${o.host} — anyone with the token can read files and capture as this user, unencrypted.\n`);
  }
  out.write(`SynScope is serving on ${server.url}\n`);
  out.flush();
  err.flush();

  await new Promise<void>((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
    void stop?.then(done);
  });
  await server.close();
  await session.dispose();
  return 0;
}

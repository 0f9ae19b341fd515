// `synscope web`: the built renderer and the session API over one HTTP port. The page and the
// WebSocket both need the access token printed on the console; the server binds to loopback
// unless the caller allowed remote access; static paths cannot leave the renderer directory.
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import { newAccessToken, tokenMatches } from './access-token.js';
import { isLoopbackHost, urlHost } from './listen-address.js';
import { setSecurityHeaders } from './security-headers.js';
import { bindSessionSocket, type ArgsCheck, type SessionBackend } from './session-socket.js';
import { defaultRendererDir, resolveStaticPath, sendStaticFile } from './static-files.js';

export const SOCKET_PATH = '/ws';
/** Requests are small (a filter, a path, a row range); anything bigger is not ours. */
const MAX_MESSAGE_BYTES = 1 << 20;

export interface WebServerOptions {
  session: SessionBackend;
  checkArgs: ArgsCheck;
  host?: string;
  port?: number;
  allowRemote?: boolean;
  rendererDir?: string;
  /** Fixed token (tests); a fresh random one otherwise. */
  token?: string;
}

export interface WebServer {
  /** The URL to open, token included. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

export class RemoteBindRefused extends Error {}

export async function startWebServer(o: WebServerOptions): Promise<WebServer> {
  const host = o.host ?? '127.0.0.1';
  const loopbackOnly = isLoopbackHost(host);
  if (!loopbackOnly && !o.allowRemote) {
    throw new RemoteBindRefused(
      `refusing to listen on ${host}: it is not a loopback address, and anyone who reaches it with the token can read files and capture on this machine. Pass --allow-remote to do it anyway.`,
    );
  }
  const token = o.token ?? newAccessToken();
  const rendererDir = o.rendererDir ?? defaultRendererDir();

  // With a loopback bind, a Host header naming anything else is a DNS-rebinding attempt.
  const hostAllowed = (req: IncomingMessage) => !loopbackOnly || isLoopbackHost(hostnameOf(req.headers.host ?? ''));

  const server = createServer((req, res) => {
    setSecurityHeaders(res);
    handleHttp(req, res);
  });

  function handleHttp(req: IncomingMessage, res: ServerResponse): void {
    if (!hostAllowed(req)) return plain(res, 421, 'Misdirected request: this server answers only to a loopback host name.\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return plain(res, 405, 'Method not allowed.\n');
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === SOCKET_PATH) return plain(res, 426, 'This path takes a WebSocket.\n');
    if (url.pathname === '/' || url.pathname === '/index.html') {
      // The page itself needs the token; the scripts and styles it loads are the public UI
      // bundle, which holds no capture data (all data goes over the token-checked socket).
      if (!tokenMatches(url.searchParams.get('token'), token)) {
        return plain(res, 403, 'Forbidden: open the URL printed by `synscope web`, including its ?token=… part.\n');
      }
      const index = join(rendererDir, 'index.html');
      if (!existsSync(index)) return plain(res, 500, `The UI is not built (no ${index}): run \`npm run build\`.\n`);
      return sendStaticFile(req, res, index, 'none');
    }
    const file = resolveStaticPath(rendererDir, url.pathname);
    if (!file) return plain(res, 404, 'Not found.\n');
    sendStaticFile(req, res, file);
  }

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const refuse = (status: string) => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== SOCKET_PATH) return refuse('404 Not Found');
    if (!hostAllowed(req)) return refuse('421 Misdirected Request');
    if (!tokenMatches(url.searchParams.get('token'), token)) return refuse('403 Forbidden');
    // Browsers always send Origin on a WebSocket: it must be this server's own page.
    const origin = req.headers.origin;
    if (origin !== undefined && !sameOrigin(origin, req.headers.host)) return refuse('403 Forbidden');
    sockets.handleUpgrade(req, socket, head, (ws) => bindSessionSocket(ws, o.session, o.checkArgs));
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, host, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${urlHost(host)}:${port}/?token=${token}`;

  return {
    url,
    host,
    port,
    token,
    async close() {
      for (const ws of sockets.clients) ws.terminate();
      await new Promise<void>((r) => sockets.close(() => r()));
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(text);
}

/** "127.0.0.1:8080" → "127.0.0.1", "[::1]:80" → "::1". */
function hostnameOf(hostHeader: string): string {
  if (hostHeader.startsWith('[')) return hostHeader.slice(1, hostHeader.indexOf(']'));
  const colon = hostHeader.lastIndexOf(':');
  return colon >= 0 ? hostHeader.slice(0, colon) : hostHeader;
}

function sameOrigin(origin: string, hostHeader: string | undefined): boolean {
  try {
    const o = new URL(origin);
    return (o.protocol === 'http:' || o.protocol === 'https:') && o.host === hostHeader;
  } catch {
    return false;
  }
}

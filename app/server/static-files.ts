// Serving the built renderer (renderer/dist) as static files. A request path is decoded,
// normalised and must stay inside the root after symlinks are resolved: `..`, encoded slashes,
// NUL bytes and absolute paths never reach a file outside it.
import { createReadStream, existsSync, realpathSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Where the built renderer lives. The CLI bundle is dist/synscope.cjs and the sources are
 * app/server/*.ts; both sit below the repository root that holds renderer/dist.
 */
export function defaultRendererDir(): string {
  if (process.env.SYNSCOPE_RENDERER_DIR) return resolve(process.env.SYNSCOPE_RENDERER_DIR);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, 'renderer', 'dist');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    dir = dirname(dir);
  }
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', 'renderer', 'dist');
}

/**
 * The file under `root` that `urlPath` (the path part of a request URL, still percent-encoded)
 * names, or null when it names nothing servable: outside the root, a directory, a dotfile, a
 * malformed encoding.
 */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  if (decoded === '/' || decoded === '') decoded = '/index.html';
  const parts = decoded.split('/').filter((p) => p !== '');
  // Any `..` or hidden segment is refused outright rather than normalised away.
  if (parts.some((p) => p === '..' || p === '.' || p.startsWith('.'))) return null;
  const rootReal = realRoot(root);
  if (!rootReal) return null;
  const candidate = join(rootReal, ...parts);
  let real: string;
  try {
    real = realpathSync(candidate);
  } catch {
    return null;
  }
  if (!real.startsWith(rootReal + sep)) return null;
  try {
    if (!statSync(real).isFile()) return null;
  } catch {
    return null;
  }
  return real;
}

function realRoot(root: string): string | null {
  try {
    return realpathSync(root);
  } catch {
    return null;
  }
}

/**
 * The file's validator: its size and modification time (a rebuilt UI gets a new one). With it
 * the browser revalidates instead of fetching again, and keeps what it compiled of the 3.5 MB
 * bundle (Chromium's code cache lives with the cached response): every load after the first
 * starts faster.
 */
export function etagOf(size: number, mtimeMs: number): string {
  return `W/"${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}"`;
}

/**
 * Streams a file resolved by resolveStaticPath; HEAD gets the headers only. `revalidate`: the
 * browser may keep it and ask again each time (an unchanged file is answered 304); `none`: it
 * keeps nothing (the page, whose address carries the token).
 */
export function sendStaticFile(req: IncomingMessage, res: ServerResponse, file: string, cache: 'revalidate' | 'none' = 'revalidate'): void {
  const st = statSync(file);
  res.setHeader('Content-Type', contentTypeOf(file));
  if (cache === 'none') res.setHeader('Cache-Control', 'no-store');
  else {
    // Always revalidate (index.html names the bundle), so a rebuilt UI is picked up.
    const etag = etagOf(st.size, st.mtimeMs);
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('ETag', etag);
    if (req.headers['if-none-match'] === etag) {
      res.statusCode = 304;
      res.end();
      return;
    }
  }
  res.statusCode = 200;
  res.setHeader('Content-Length', st.size);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

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

/** Streams a file resolved by resolveStaticPath; HEAD gets the headers only. */
export function sendStaticFile(req: IncomingMessage, res: ServerResponse, file: string): void {
  const size = statSync(file).size;
  res.statusCode = 200;
  res.setHeader('Content-Type', contentTypeOf(file));
  res.setHeader('Content-Length', size);
  // index.html is tiny and names the bundle: always revalidate, so a rebuilt UI is picked up.
  res.setHeader('Cache-Control', 'no-cache');
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

// The web-mode server with the real Session and the real argument validation: the token is
// required on the page and the socket, static paths cannot leave the renderer folder, every bad
// message is answered with an error (and the socket stays usable), non-loopback binds need the
// explicit flag.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { corpusPath } from '../../test/helpers/corpus.js';
import { Session } from '../session/session.js';
import { validateArgs } from '../session/validate.js';
import { packRecords } from './pack-records.js';
import { CONTENT_SECURITY_POLICY } from './security-headers.js';
import { RemoteBindRefused, startWebServer, type WebServer } from './web-server.js';

const dir = mkdtempSync(join(tmpdir(), 'synscope-web-'));
const root = join(dir, 'renderer');
let server: WebServer;
let session: Session;

beforeAll(async () => {
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>SynScope</title>');
  writeFileSync(join(root, 'app.js'), 'console.log(1)');
  writeFileSync(join(root, 'app.css'), 'body{}');
  writeFileSync(join(root, 'assets', 'icon.svg'), '<svg/>');
  writeFileSync(join(dir, 'secret.txt'), 'outside the root');
  symlinkSync(join(dir, 'secret.txt'), join(root, 'link-out.txt'));
  writeFileSync(join(root, '.env'), 'hidden');
  session = new Session({ eventIntervalMs: 50 });
  server = await startWebServer({ session, checkArgs: (c, a) => validateArgs(c, a), rendererDir: root, port: 0 });
});

afterAll(async () => {
  await server.close();
  await session.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** A raw HTTP request: the path goes out exactly as written (no URL normalisation). */
function get(path: string, opts: { method?: string; host?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = { ...opts.headers, ...(opts.host ? { host: opts.host } : {}) };
    const req = request({ host: '127.0.0.1', port: server.port, path, method: opts.method ?? 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function connect(query: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws${query}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** Sends raw text and resolves with the next reply (event batches are skipped). */
function exchange(ws: WebSocket, data: string | Buffer): Promise<{ id: number | null; reply: { ok: boolean; value?: unknown; packed?: unknown; error?: string } }> {
  return new Promise((resolve) => {
    const onMessage = (m: WebSocket.RawData) => {
      const msg = JSON.parse(m.toString());
      if ('events' in msg) return;
      ws.off('message', onMessage);
      resolve(msg);
    };
    ws.on('message', onMessage);
    ws.send(data);
  });
}

describe('the page needs the token', () => {
  it('refuses / without a token or with a wrong one', async () => {
    expect((await get('/')).status).toBe(403);
    expect((await get('/?token=')).status).toBe(403);
    expect((await get(`/?token=${server.token.slice(0, -1)}x`)).status).toBe(403);
    expect((await get(`/index.html?token=${server.token}A`)).status).toBe(403);
  });

  it('serves the page with the token, with the strict CSP and no referrer', async () => {
    const r = await get(`/?token=${server.token}`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.body).toContain('<title>SynScope</title>');
    expect(r.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self';");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'self' ws:");
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['x-frame-options']).toBe('DENY');
  });

  it('prints a URL that carries the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('static files', () => {
  it('serves the bundle with the right content types', async () => {
    const js = await get('/app.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await get('/app.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await get('/assets/icon.svg')).headers['content-type']).toBe('image/svg+xml');
    const head = await get('/app.js', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('lets the browser revalidate the bundle: unchanged is 304 without a body, rebuilt is 200 again', async () => {
    const first = await get('/app.css');
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/"[0-9a-f]+-[0-9a-f]+"$/);
    expect(first.headers['cache-control']).toBe('no-cache');
    const again = await get('/app.css', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
    // A rebuild: another size (and time), another validator, the new content.
    writeFileSync(join(root, 'app.css'), 'body{color:red}');
    const rebuilt = await get('/app.css', { headers: { 'if-none-match': etag } });
    expect(rebuilt.status).toBe(200);
    expect(rebuilt.body).toBe('body{color:red}');
    expect(rebuilt.headers.etag).not.toBe(etag);
  });

  it('lets the browser keep nothing of the page, whose address carries the token', async () => {
    const page = await get(`/?token=${server.token}`);
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers.etag).toBeUndefined();
  });

  it.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '/....//secret.txt',
    '/..%5csecret.txt',
    '/app.js%00.png',
    '/%',
    '/link-out.txt',
    '/.env',
    '/assets',
    '/nope.js',
    '//etc/passwd',
  ])('never serves %s', async (path) => {
    const r = await get(path);
    expect(r.status).toBe(404);
    expect(r.body).not.toContain('outside the root');
    expect(r.body).not.toContain('root:');
  });

  it('answers only GET and HEAD', async () => {
    const r = await get('/app.js', { method: 'POST' });
    expect(r.status).toBe(405);
    expect(r.headers.allow).toBe('GET, HEAD');
  });

  it('refuses a Host header that is not loopback (DNS rebinding)', async () => {
    expect((await get(`/?token=${server.token}`, { host: `evil.example:${server.port}` })).status).toBe(421);
    expect((await get(`/?token=${server.token}`, { host: `localhost:${server.port}` })).status).toBe(200);
  });
});

describe('the WebSocket', () => {
  it('needs the token and a same-origin page', async () => {
    await expect(connect('')).rejects.toThrow('HTTP 403');
    await expect(connect('?token=wrong')).rejects.toThrow('HTTP 403');
    await expect(connect(`?token=${server.token}`, { origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    const ws = await connect(`?token=${server.token}`, { origin: `http://127.0.0.1:${server.port}` });
    ws.close();
  });

  it('answers bad messages with an error and stays usable', async () => {
    const ws = await connect(`?token=${server.token}`);
    try {
      expect(await exchange(ws, 'not json')).toEqual({ id: null, reply: { ok: false, error: 'message is not valid JSON' } });
      expect((await exchange(ws, '[1,2]')).reply.error).toBe('message must be an object {id, channel, args}');
      expect((await exchange(ws, JSON.stringify({ channel: 'session.summary', args: {} }))).reply.error).toBe('message id must be a non-negative integer');
      expect((await exchange(ws, JSON.stringify({ id: 1.5, channel: 'session.summary', args: {} }))).id).toBeNull();
      expect(await exchange(ws, JSON.stringify({ id: 2, channel: 'fs.readFile', args: {} }))).toEqual({ id: 2, reply: { ok: false, error: 'unknown channel "fs.readFile"' } });
      expect(await exchange(ws, JSON.stringify({ id: 3, channel: 'toString', args: {} }))).toEqual({ id: 3, reply: { ok: false, error: 'unknown channel "toString"' } });
      const rows = await exchange(ws, JSON.stringify({ id: 4, channel: 'packets.rows', args: { start: 10, end: 5 } }));
      expect(rows).toEqual({ id: 4, reply: { ok: false, error: 'packets.rows: end (5) is before start (10)' } });
      const extra = await exchange(ws, JSON.stringify({ id: 5, channel: 'file.open', args: { path: '/x', mode: 'w' } }));
      expect(extra.reply).toEqual({ ok: false, error: 'file.open: unknown argument "mode"' });
      const nul = await exchange(ws, JSON.stringify({ id: 6, channel: 'file.open', args: { path: '/etc/passwd\u0000.pcap' } }));
      expect(nul.reply.ok).toBe(false);
      expect((await exchange(ws, Buffer.from([1, 2, 3]))).reply.error).toBe('binary messages are not accepted: send JSON text');
      // A handler's own failure crosses as data too.
      const missing = await exchange(ws, JSON.stringify({ id: 7, channel: 'file.open', args: { path: join(dir, 'missing.pcap') } }));
      expect(missing).toEqual({ id: 7, reply: { ok: false, error: `cannot open ${join(dir, 'missing.pcap')}: No such file or directory` } });
      const ok = await exchange(ws, JSON.stringify({ id: 8, channel: 'session.summary', args: {} }));
      expect(ok.id).toBe(8);
      expect(ok.reply.ok).toBe(true);
    } finally {
      ws.close();
    }
  });

  it('closes a socket that sends an oversized message', async () => {
    const ws = await connect(`?token=${server.token}`);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('x'.repeat((1 << 20) + 1));
    expect(await closed).toBe(1009);
  });

  it('carries replies and pushes event batches', async () => {
    const ws = await connect(`?token=${server.token}`);
    try {
      const events: Array<{ type: string }> = [];
      ws.on('message', (m) => {
        const msg = JSON.parse(m.toString());
        if ('events' in msg) events.push(...msg.events);
      });
      const path = corpusPath('zeek/http/get.pcap');
      const opened = await exchange(ws, JSON.stringify({ id: 10, channel: 'file.open', args: { path } }));
      expect(opened.reply.ok).toBe(true);
      await session.whenAnalyzed();
      const rows = await exchange(ws, JSON.stringify({ id: 11, channel: 'packets.rows', args: { start: 0, end: 3 } }));
      expect((rows.reply.value as Array<{ number: number }>).map((r) => r.number)).toEqual([1, 2, 3]);
      await expect.poll(() => events.some((e) => e.type === 'summary'), { timeout: 5000 }).toBe(true);
    } finally {
      ws.close();
    }
  });

  it('sends a long list of records packed, a short one as it is', async () => {
    const ws = await connect(`?token=${server.token}`);
    try {
      const path = corpusPath('pcapplusplus/many-protocols.pcap');
      expect((await exchange(ws, JSON.stringify({ id: 20, channel: 'file.open', args: { path } }))).reply.ok).toBe(true);
      const rows = await session.handle('tcp.connections', {});
      const wire = await exchange(ws, JSON.stringify({ id: 21, channel: 'tcp.connections', args: {} }));
      // 126 connections: one column per key, the addresses and sentences once each.
      expect(wire.reply).toEqual({ ok: true, packed: packRecords(rows) });
      const few = await exchange(ws, JSON.stringify({ id: 22, channel: 'packets.rows', args: { start: 0, end: 3 } }));
      expect((few.reply.value as Array<{ number: number }>).map((r) => r.number)).toEqual([1, 2, 3]);
    } finally {
      ws.close();
    }
  });
});

describe('listening address', () => {
  it('refuses a non-loopback address without allowRemote', async () => {
    const s = new Session();
    await expect(startWebServer({ session: s, checkArgs: validateArgs, host: '0.0.0.0', rendererDir: root })).rejects.toThrow(RemoteBindRefused);
    await expect(startWebServer({ session: s, checkArgs: validateArgs, host: '0.0.0.0', rendererDir: root })).rejects.toThrow(/--allow-remote/);
    await s.dispose();
  });

  it('binds a non-loopback address with allowRemote, and any port with port 0', async () => {
    const s = new Session();
    const remote = await startWebServer({ session: s, checkArgs: validateArgs, host: '0.0.0.0', allowRemote: true, rendererDir: root });
    try {
      expect(remote.port).toBeGreaterThan(0);
      expect(remote.url).toBe(`http://0.0.0.0:${remote.port}/?token=${remote.token}`);
      expect(remote.token).not.toBe(server.token);
    } finally {
      await remote.close();
      await s.dispose();
    }
  });
});

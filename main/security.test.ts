// The security module is plain functions over Electron's objects, so it is checked here in Node
// with small stand-ins for WebContents and Session; nothing launches Electron.
import { EventEmitter } from 'node:events';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session, WebContents } from 'electron';
import {
  APP_ORIGIN, CONTENT_SECURITY_POLICY, createAppProtocolHandler, hardenWebContents, installSessionPolicies,
  isAllowedRequestUrl, isAppUrl, registerAppScheme, secureWebPreferences,
} from './security.js';

describe('window options', () => {
  it('are the secure ones: isolated, sandboxed, no Node, web security on, no webview', () => {
    const prefs = secureWebPreferences('/opt/SynScope/preload.cjs') as Record<string, unknown>;
    expect(prefs.preload).toBe('/opt/SynScope/preload.cjs');
    for (const on of ['contextIsolation', 'sandbox', 'webSecurity']) expect(prefs[on], on).toBe(true);
    for (const off of ['nodeIntegration', 'nodeIntegrationInWorker', 'nodeIntegrationInSubFrames', 'allowRunningInsecureContent', 'webviewTag', 'navigateOnDragDrop']) {
      expect(prefs[off], off).toBe(false);
    }
  });
});

describe('Content-Security-Policy', () => {
  const directives = new Map(CONTENT_SECURITY_POLICY.split('; ').map((d) => {
    const [name, ...values] = d.split(' ');
    return [name, values] as const;
  }));

  it('denies by default and allows scripts only from our origin (no inline, no eval)', () => {
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
  });
});

describe('the synscope:// protocol handler', () => {
  let base: string;
  let root: string;
  let handler: (request: Request) => Promise<Response>;

  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'synscope-protocol-'));
    root = join(base, 'renderer');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>SynScope</title>');
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(root, 'assets', 'app.css'), 'body{}');
    writeFileSync(join(root, 'assets', 'icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(base, 'secret.txt'), 'private key');
    symlinkSync(join(base, 'secret.txt'), join(root, 'escape.txt'));
    handler = createAppProtocolHandler(root);
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  const get = (url: string, method = 'GET') => handler(new Request(url, { method }));

  it('serves index.html for the root with the HTML content type and the CSP', async () => {
    const res = await get(`${APP_ORIGIN}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<title>SynScope</title>');
  });

  it('serves scripts, styles and images with their content types', async () => {
    expect((await get(`${APP_ORIGIN}/assets/app.js`)).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await get(`${APP_ORIGIN}/assets/app.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await get(`${APP_ORIGIN}/assets/icon.svg`)).headers.get('content-type')).toBe('image/svg+xml');
    expect(await (await get(`${APP_ORIGIN}/assets/app.js?v=1#x`)).text()).toBe('console.log(1)');
  });

  it('answers HEAD without a body', async () => {
    const res = await get(`${APP_ORIGIN}/index.html`, 'HEAD');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('refuses path traversal in every spelling', async () => {
    // Plain ../ is folded by the URL parser and lands inside the root (404, never the secret);
    // the encoded forms survive parsing and are refused outright.
    for (const path of [
      '/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/%2E%2E%2Fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt', '/..%5csecret.txt', '/%5c..%5csecret.txt', '/index.html%00.js',
      '/%2fetc%2fpasswd', '/%E0%A4%A',
    ]) {
      const res = await get(`${APP_ORIGIN}${path}`);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(await res.text(), path).not.toContain('private key');
    }
  });

  it('refuses a symlink that leads out of the renderer build', async () => {
    const res = await get(`${APP_ORIGIN}/escape.txt`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('private key');
  });

  it('answers 404 for missing files and directories, 404 for other hosts, 405 for POST', async () => {
    expect((await get(`${APP_ORIGIN}/missing.js`)).status).toBe(404);
    expect((await get(`${APP_ORIGIN}/assets`)).status).toBe(404);
    expect((await get('synscope://evil/index.html')).status).toBe(404);
    expect((await get(`${APP_ORIGIN}/index.html`, 'POST')).status).toBe(405);
  });
});

describe('the scheme registration', () => {
  it('makes synscope:// a standard secure scheme before ready', () => {
    const calls: unknown[] = [];
    registerAppScheme({ registerSchemesAsPrivileged: (schemes) => calls.push(schemes) });
    expect(calls).toEqual([[{ scheme: 'synscope', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]]);
  });
});

class FakeWebContents extends EventEmitter {
  openHandler?: (details: { url: string }) => { action: string };
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.openHandler = handler;
  }
}

/** Emits an Electron-style cancellable event and says whether a listener prevented it. */
function emitPrevented(target: EventEmitter, name: string, ...args: unknown[]): boolean {
  let prevented = false;
  target.emit(name, { preventDefault: () => { prevented = true; } }, ...args);
  return prevented;
}

describe('navigation and new windows', () => {
  const contents = new FakeWebContents();
  hardenWebContents(contents as unknown as WebContents);

  it('blocks navigation to any other origin and allows our own pages', () => {
    expect(emitPrevented(contents, 'will-navigate', 'https://example.com/')).toBe(true);
    expect(emitPrevented(contents, 'will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(emitPrevented(contents, 'will-navigate', 'synscope://evil/index.html')).toBe(true);
    expect(emitPrevented(contents, 'will-navigate', `${APP_ORIGIN}/index.html`)).toBe(false);
    expect(emitPrevented(contents, 'will-redirect', 'http://127.0.0.1:8080/')).toBe(true);
  });

  it('denies window.open and <webview>', () => {
    expect(contents.openHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: `${APP_ORIGIN}/index.html` })).toEqual({ action: 'deny' });
    expect(emitPrevented(contents, 'will-attach-webview')).toBe(true);
  });

  it('recognises only our origin as the app', () => {
    expect(isAppUrl(`${APP_ORIGIN}/a/b.js`)).toBe(true);
    expect(isAppUrl('synscope://app.evil/')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
    expect(isAllowedRequestUrl('https://example.com/x.js')).toBe(false);
    expect(isAllowedRequestUrl('ws://127.0.0.1:1234/')).toBe(false);
    expect(isAllowedRequestUrl('file:///etc/passwd')).toBe(false);
    expect(isAllowedRequestUrl('devtools://devtools/bundled/inspector.html')).toBe(true);
  });
});

describe('session policies', () => {
  type PermissionHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
  const hooks: {
    request?: PermissionHandler; check?: () => boolean; device?: () => boolean;
    beforeRequest?: (details: { url: string }, cb: (r: { cancel: boolean }) => void) => void;
    headers?: (details: { url: string; responseHeaders?: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void;
  } = {};
  const session = Object.assign(new EventEmitter(), {
    setPermissionRequestHandler: (h: PermissionHandler) => { hooks.request = h; },
    setPermissionCheckHandler: (h: () => boolean) => { hooks.check = h; },
    setDevicePermissionHandler: (h: () => boolean) => { hooks.device = h; },
    webRequest: {
      onBeforeRequest: (h: typeof hooks.beforeRequest) => { hooks.beforeRequest = h; },
      onHeadersReceived: (h: typeof hooks.headers) => { hooks.headers = h; },
    },
  });
  installSessionPolicies(session as unknown as Session);

  it('denies every permission request and check', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
      let granted: boolean | undefined;
      hooks.request!({}, permission, (g) => { granted = g; });
      expect(granted, permission).toBe(false);
    }
    expect(hooks.check!()).toBe(false);
    expect(hooks.device!()).toBe(false);
  });

  it('cancels downloads and requests that leave our origin', () => {
    expect(emitPrevented(session, 'will-download')).toBe(true);
    const verdict = (url: string) => {
      let cancel: boolean | undefined;
      hooks.beforeRequest!({ url }, (r) => { cancel = r.cancel; });
      return cancel;
    };
    expect(verdict('https://example.com/track.gif')).toBe(true);
    expect(verdict(`${APP_ORIGIN}/assets/app.js`)).toBe(false);
  });

  it('adds the CSP to every response but DevTools’', () => {
    const headersFor = (url: string) => {
      let headers: Record<string, string[]> | undefined;
      hooks.headers!({ url, responseHeaders: { 'Content-Type': ['text/html'] } }, (r) => { headers = r.responseHeaders; });
      return headers;
    };
    expect(headersFor(`${APP_ORIGIN}/index.html`)).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
    expect(headersFor('devtools://devtools/bundled/devtools_app.html')).toEqual({ 'Content-Type': ['text/html'] });
  });
});

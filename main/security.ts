// Every security decision of the desktop shell, in one module a reviewer reads at a glance
// (STYLE.md §11, DESIGN.md "Security"): the window's webPreferences, the Content-Security-Policy,
// the synscope:// protocol that serves the renderer build (instead of file://, which would give
// the page the whole file system as its origin), navigation and window.open blocking, and the
// permission handlers. The renderer is untrusted: it gets a sandboxed page and the preload's
// named functions, nothing else.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { App, Protocol, Session, WebContents, WebPreferences } from 'electron';
import { contentTypeOf, resolveStaticPath } from '../app/server/static-files.js';

export const APP_SCHEME = 'synscope';
export const APP_HOST = 'app';
/** The renderer's origin. IPC senders and navigations are checked against it. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

/**
 * The only webPreferences any SynScope window gets. contextIsolation keeps the preload's world
 * apart from the page's; sandbox gives the renderer Chromium's OS sandbox and a preload without
 * Node; the rest closes the doors Electron leaves configurable.
 */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    // A capture dropped on the window is opened by the renderer (preload's pathForFile), never
    // navigated to.
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

/**
 * Scripts, styles, fonts and images only from our own origin; no eval, no inline script, no
 * plugins, no frames, no network: the session API arrives over IPC, not fetch. `data:` images
 * cover small inline icons. Web mode's policy (app/server/security-headers.ts) differs only in
 * connect-src, which there must reach its WebSocket.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** Headers on every response of the app protocol. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * Registers synscope:// as a standard, secure scheme: relative URLs resolve, the page is a secure
 * context with a real origin (so 'self' in the CSP means exactly our files). Must run before
 * the app's ready event.
 */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}

/**
 * The synscope:// handler: serves files of `rootDir` (the renderer build) and nothing else.
 * The path check is web mode's (app/server/static-files.ts), so both front doors refuse the
 * same things: `..` in any encoding, backslashes, NUL, dotfiles, and symlinks leading out of
 * the root. GET/HEAD only.
 */
export function createAppProtocolHandler(rootDir: string): (request: Request) => Promise<Response> {
  const root = resolve(rootDir);
  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return plain(400, 'Bad request');
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return plain(404, 'Not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed');
    const file = resolveStaticPath(root, url.pathname);
    if (file === null) return plain(404, 'Not found');
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return plain(404, 'Not found');
    }
    const headers = { ...SECURITY_HEADERS, 'Content-Type': contentTypeOf(file), 'Content-Length': String(body.length) };
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  };
}

/** True for a URL of our own renderer (same scheme and host, any path). */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * Requests the renderer may make at all: its own files, DevTools' internals, and inline data.
 * Everything else (http, https, ws, file, ftp ...) is cancelled before it leaves the process.
 */
export function isAllowedRequestUrl(url: string): boolean {
  if (isAppUrl(url)) return true;
  const scheme = url.slice(0, url.indexOf(':') + 1).toLowerCase();
  return scheme === 'devtools:' || scheme === 'data:' || scheme === 'blob:';
}

/**
 * Per-webContents guards: no navigation away from our origin, no redirects, no new windows,
 * no <webview>. Called for every webContents the app creates (app 'web-contents-created').
 */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/**
 * Session-wide policies: every permission request and check is denied (a packet viewer needs
 * no camera, geolocation, notifications, clipboard-read, HID, serial or USB), downloads are
 * cancelled, requests outside our origin are cancelled, and every response but DevTools' carries
 * the CSP.
 */
export function installSessionPolicies(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.on('will-download', (event) => event.preventDefault());
  session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequestUrl(details.url) }));
  session.webRequest.onHeadersReceived((details, callback) => {
    // DevTools (development builds only) brings its own policy; ours would break it.
    if (details.url.startsWith('devtools:')) return callback({ responseHeaders: details.responseHeaders });
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
}

/** Wires the protocol and the guards; call once, after the app is ready. */
export function installSecurity(electronApp: App, session: Session, rendererDir: string): void {
  session.protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir));
  installSessionPolicies(session);
  electronApp.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
}

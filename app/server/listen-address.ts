// Which addresses web mode may bind to. Loopback is the default and the only choice without
// --allow-remote: the session can read any file the user can and start captures, so exposing it
// on a network is a decision the user makes explicitly.
import { isIP } from 'node:net';

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1';
  return false;
}

/** The host part of a URL for `host` (IPv6 literals in brackets). */
export function urlHost(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

// base64 as Wireshark's base64_to_tvb decodes mail bodies and AUTH parameters (RFC 2045 6.8):
// characters outside the alphabet (line breaks, stray spaces) are skipped, decoding stops at '='.
import { Buffer } from 'node:buffer';

export function decodeBase64(bytes: Uint8Array): Uint8Array {
  let clean = '';
  let padded = false;
  for (const c of bytes) {
    if (c === 0x3d) {
      padded = true;
      break;
    }
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2f) clean += String.fromCharCode(c);
  }
  // GLib's decoder (g_base64_decode_step) gives a last group of fewer than 4 characters only
  // when padding ends it: without, those characters wait for more and come out as nothing.
  if (!padded) clean = clean.slice(0, clean.length - (clean.length % 4));
  return new Uint8Array(Buffer.from(clean, 'base64'));
}

/** base64url (RFC 4648 5) as Wireshark's base64uri_tvb_to_new_tvb decodes it: "-" and "_" for "+" and "/", no padding needed. */
export function decodeBase64Url(text: string): Uint8Array {
  return decodeBase64(new TextEncoder().encode(text.replace(/-/g, '+').replace(/_/g, '/')));
}

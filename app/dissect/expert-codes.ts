// Wireshark's expert severities and groups: the names the tree shows ("Expert Info
// (Warning/Undecoded): ...") and the PI_* codes (epan/proto.h) that `_ws.expert.severity` and
// `_ws.expert.group` hold, by the short names the dissectors use (PacketContext.addExpert).
import type { ExpertSeverity } from './tree.js';

export const SEVERITY_NAMES: Readonly<Record<ExpertSeverity, string>> = { comment: 'Comment', chat: 'Chat', note: 'Note', warn: 'Warning', error: 'Error' };

export const SEVERITY_CODES: Readonly<Record<ExpertSeverity, number>> = {
  comment: 0x00100000, chat: 0x00200000, note: 0x00400000, warn: 0x00600000, error: 0x00800000,
};

/** epan/expert.c's group names. */
export const GROUP_NAMES: Readonly<Record<string, string>> = {
  checksum: 'Checksum', sequence: 'Sequence', response: 'Response', request: 'Request', undecoded: 'Undecoded',
  reassemble: 'Reassemble', malformed: 'Malformed', debug: 'Debug', protocol: 'Protocol', security: 'Security',
  comment: 'Comment', decryption: 'Decryption', assumption: 'Assumption', deprecated: 'Deprecated',
};

export const GROUP_CODES: Readonly<Record<string, number>> = {
  checksum: 0x01000000, sequence: 0x02000000, response: 0x03000000, request: 0x04000000, undecoded: 0x05000000,
  reassemble: 0x06000000, malformed: 0x07000000, debug: 0x08000000, protocol: 0x09000000, security: 0x0a000000,
  comment: 0x0b000000, decryption: 0x0c000000, assumption: 0x0d000000, deprecated: 0x0e000000,
};

/** code -> name, the value names of `_ws.expert.severity` / `_ws.expert.group` (filters take `warning`). */
export function codeNames(codes: Readonly<Record<string, number>>, names: Readonly<Record<string, string>>): Record<number, string> {
  const out: Record<number, string> = {};
  for (const [k, code] of Object.entries(codes)) out[code] = names[k]!;
  return out;
}

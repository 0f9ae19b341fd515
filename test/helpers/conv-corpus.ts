// The corpus captures the conversation-table (and endpoint) tests compare with tshark, and the files where a
// known difference is left out (each with its reason). Shared by app/tcp/conv.diff.test.ts (the
// CLI's pipeline) and app/session/conversations.diff.test.ts (the session's pre-pass).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusCaptures, corpusDir } from './corpus.js';

export function captures(): string[] {
  return capturesWith(['tcp', 'udp']);
}

/** The corpus captures in which tshark saw one of these protocols (MANIFEST.tsv's list). */
export function capturesWith(protocols: readonly string[]): string[] {
  const manifest = readFileSync(join(corpusDir(), 'MANIFEST.tsv'), 'utf8');
  const seen = new RegExp(`tshark protocols:.*\\b(${protocols.join('|')})\\b`);
  const want = new Set<string>();
  for (const line of manifest.split('\n')) {
    const cols = line.split('\t');
    if (seen.test(cols[7] ?? '')) want.add(cols[0]!);
  }
  return corpusCaptures().filter((f) => want.has(f) && !f.endsWith('.zst'));
}

/**
 * Files whose relative start/duration we cannot print as tshark does: frame.time_relative is a
 * float of seconds here, which cannot carry nanoseconds across decades (pcapng-example has a
 * frame from 1970 and the rest from 2015); timestamp_invalid_nano has nanosecond fields >= 1e9.
 * Frames and bytes must still match.
 */
/**
 * tshark's IPv6 dissector makes the routing header's final address the packet's destination
 * (pinfo->dst); ours (app/dissect/protocols/ipv6.ts) keeps the header's, so UDP conversations
 * through a type 0 routing header are keyed differently. Not a conversation-table difference.
 */
export const UDP_EXCEPTIONS = new Map([
  // A routing header's final destination keys udp.stream in both tools, but tshark's table shows
  // the IPv6 header's destination (pinfo->net_dst) where the rows here show the final one.
  ['pcapplusplus/ipv6_options.pcap', 'IPv6 routing header final destination'],
  ['tcpdump/ipv6-routing-header.pcap', 'IPv6 routing header final destination'],
]);

export const TIME_EXCEPTIONS = new Set(['pcapplusplus/pcapng-example.pcapng', 'tcpdump/timestamp_invalid_nano.pcap', 'pcapplusplus/many-protocols.pcap']);

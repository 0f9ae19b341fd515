// Real captures of TCP under loss (test/fixtures/tcp/README.md): Linux stacks on both ends, a
// router between them that drops segments at random (or holds some back, so that later ones
// overtake them), the capture at the client (one at the server). The capture
// misses the dropped segments, so PDUs have holes that fast retransmissions and out-of-order
// segments fill later, sometimes after the stream has moved on to the next PDU; among them
// retransmissions, window updates and ACKs of unseen segments. Over HTTP/1.1 (with lengths,
// chunked), HTTP/1.0 until the FIN, over TLS 1.2 and 1.3 and over HTTP/2 (cleartext), whose
// records and frames of up to 16 KB span segments. Everything SynScope prints must be what tshark prints, line for
// line, and the desktop, which dissects a frame again when it is looked at, must show the same
// reassembly.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/corpus.js';
import { desktopItems } from './helpers/revisit.js';
import { ours } from './helpers/text-protocol-diff.js';
import { tsharkRaw } from './helpers/tshark.js';
import { tsharkVerbose } from './helpers/tshark-verbose.js';

const fixture = (name: string) => join(repoRoot, 'test', 'fixtures', 'tcp', name);

/**
 * Each capture with the analysis flags it must show, so that it tests what it is about, and how
 * many PDUs tshark reassembles in it at least (3 unless said).
 */
const CAPTURES: Array<[string, string[], number?]> = [
  ['lossy-http.pcap', ['[TCP Previous segment not captured]', '[TCP Fast Retransmission]', '[TCP Out-Of-Order]', '[TCP Retransmission]']],
  ['lossy-https.pcap', ['[TCP Previous segment not captured] , Application Data', '[TCP Fast Retransmission] , Application Data', '[TCP Out-Of-Order]']],
  ['lossy-h2c.pcap', ['[TCP Previous segment not captured]', '[TCP Fast Retransmission] , DATA[1]']],
  ['reorder-h2c.pcap', ['[TCP Out-Of-Order]', '[TCP Fast Retransmission] , SETTINGS[0]', '[TCP Spurious Retransmission]']],
  ['reorder-https.pcap', ['[TCP Out-Of-Order]', '[TCP Fast Retransmission]', '[TCP Spurious Retransmission]']],
  // (So much lost that tshark completes one DATA frame only: the others stay with holes.)
  ['reorder-lossy-h2c.pcap', ['[TCP Out-Of-Order]', '[TCP Fast Retransmission] , DATA[1]', '[TCP Previous segment not captured]'], 1],
  // A TLS record's header lost: what tshark makes of the segments after it.
  ['lossy-https-sslv2.pcap', ['SSLv2', 'Encrypted Data, Continuation Data', '[TCP Previous segment not captured] , Continuation Data']],
  ['lossy-https-text.pcap', ['[TCP Previous segment not captured] 8443 → 37524 [ACK] Seq=1945', 'Continuation Data']],
  ['lossy-tls12.pcap', ['TLSv1.2', '[TCP Previous segment not captured] , Ignored Unknown Record']],
  ['reorder-tls12.pcap', ['[TCP Fast Retransmission] , Encrypted Alert', '[TCP Spurious Retransmission]', 'Ignored Unknown Record']],
  ['lossy-h2c-heavy.pcap', ['[TCP Previous segment not captured]', 'DATA[']],
  // HTTP/1.1 bodies chunked (each segment asks for one more), HTTP/1.0 bodies that end with the FIN.
  ['lossy-chunked.pcap', ['[TCP Fast Retransmission] HTTP/1.1 200 OK  [TCP segment of a reassembled PDU]', '[TCP Previous segment not captured] Continuation']],
  ['reorder-chunked.pcap', ['[TCP Out-Of-Order]', '[TCP Fast Retransmission] Continuation', '[TCP Spurious Retransmission]']],
  ['reorder-lossy-chunked.pcap', ['[TCP Fast Retransmission] Continuation', '[TCP Previous segment not captured] Continuation'], 1],
  ['reorder-lossy-fin.pcap', ['HTTP/1.0 200 OK', '[TCP Retransmission] 8080 → 54254 [FIN, PSH, ACK]', '[TCP Out-Of-Order]']],
  // Captured at the server: a record's first segment sent, seen here, held on the way, and sent
  // twice more; the second time fast, long after the record was whole here.
  ['server-reorder-tls12.pcap', ['[TCP Fast Retransmission] 8443 → 34472 [ACK] Seq=142', 'New fragment overlaps old data', '[TCP Spurious Retransmission]']],
  // Captured at the server: a chunked body's segment sent again fast into the body HTTP is
  // still collecting, one more segment at a time; the reassembly refuses it.
  ['server-reorder-lossy-chunked.pcap', ['[TCP Fast Retransmission] 8080 → 44740 [ACK] Seq=32809 Ack=341 Win=65536 Len=1448 TSval=3637880966 TSecr=3558144836[Reassembly error', 'HTTP/1.1 200 OK  (text/plain)']],
];

describe.each(CAPTURES)('a capture of TCP under loss, as tshark shows it: %s', (name, flags, reassembled = 3) => {
  const file = fixture(name);

  it('prints the summary lines tshark prints', async () => {
    const theirs = tsharkRaw(file, []).stdout;
    for (const flag of flags) expect(theirs).toContain(flag);
    expect((await ours(file, [])).split('\n')).toEqual(theirs.split('\n'));
  });

  it('prints every packet as tshark -V does', async () => {
    const theirs = tsharkVerbose(file).stdout;
    expect(theirs).toMatch(/\[\d+ Reassembled TCP Segments/);
    expect((await ours(file, ['-V'])).split('\n')).toEqual(theirs.split('\n'));
  });

  it('shows the same reassembly in the desktop, frames looked at last to first (the first pass decides)', async () => {
    const reassembly = (lines: readonly string[]) => lines.map((l) => l.trim())
      .filter((l) => /TCP segment data|Reassembled TCP|^\[Frame: \d+, payload|Segment overlap|Conflicting data|Reassembly error/.test(l) && !l.startsWith('[Expert'));
    const theirs = tsharkVerbose(file).stdout.split(/\n(?=Frame \d+:)/).map((frame) => reassembly(frame.split('\n')).join(' | '));
    const mine = (await desktopItems(file)).map((items) => reassembly(items.map((node) => node.label)).join(' | '));
    expect(mine.filter((l) => l.includes('Reassembled TCP Segments')).length).toBeGreaterThanOrEqual(reassembled);
    expect(mine).toEqual(theirs);
  });
});

// TLS decrypted with the session secrets, as tshark decrypts it, on real traffic
// (test/fixtures/tls-keylog/README.md): curl fetching pages from Caddy and from openssl s_server,
// each capture with its key log inside (a pcapng Decryption Secrets Block), over TLS 1.3
// (AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305, AES-128-CCM) and TLS 1.2 (ECDHE with AES-GCM and
// ChaCha20-Poly1305, RSA key exchange with AES-CBC and encrypt_then_mac, ECDHE with AES-256-CBC
// and HMAC-SHA384): the encrypted handshake messages, alerts, and HTTP inside, its responses put
// together from several records.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCaptureFile } from '../app/file/reader.js';
import { parseReadArgs, parseStatTap } from '../app/cli/args.js';
import { runStatTaps } from '../app/cli/stats-taps.js';
import { runRead } from '../app/cli/read.js';
import { StringSink } from '../app/cli/sink.js';
import { KeyLog, keyLogFor } from '../app/dissect/tls-keylog.js';
import { repoRoot } from './helpers/corpus.js';
import { bothWays } from './helpers/revisit.js';
import { expectLikeTshark, ours, type TextProtocolCheck } from './helpers/text-protocol-diff.js';
import { tsharkRaw } from './helpers/tshark.js';

const TLS: TextProtocolCheck = {
  titles: ['Transport Layer Security'],
  fields: [
    'tls.record.content_type', 'tls.record.opaque_type', 'tls.record.length', 'tls.handshake.type', 'tls.handshake.extensions_alpn_str',
    'tls.handshake.certificate_length', 'tls.handshake.session_ticket_lifetime_hint', 'tls.handshake.session_ticket_nonce',
    'tls.alert_message.desc', 'tls.app_data_proto', 'tls.handshake.extensions.psk.identity.selected', 'tls.handshake.extensions.psk.identity.obfuscated_ticket_age', 'tls.segment', 'tls.segment.count', 'tls.reassembled.length', 'tls.segment.data',
    'http.request.method', 'http.request.full_uri', 'http.response.code', 'http.content_length', 'http.response_in', 'http.request_in',
  ],
  filters: [
    'http', 'http.request', 'http.response.code == 200', 'tls.handshake.type == 8', 'tls.handshake.type == 20', 'tls.handshake.type == 4',
    'tls.record.content_type == 21', 'tls.segment', 'tls.reassembled.length > 4000', 'http.request.full_uri contains "https://"',
    'tls.alert_message.desc == 0', 'tls.handshake.extensions_alpn_str == "http/1.1"', 'tls && !http',
  ],
};

const HTTP2: TextProtocolCheck = {
  titles: ['Transport Layer Security'],
  fields: [
    'http2.type', 'http2.streamid', 'http2.length', 'http2.flags', 'http2.flags.end_stream', 'http2.header.name', 'http2.header.value',
    'http2.header.repr', 'http2.header.index', 'http2.header.count', 'http2.header.length', 'http2.headers.method', 'http2.headers.path',
    'http2.headers.status', 'http2.headers.content_type', 'http2.headers.content_length', 'http2.request.full_uri',
    'http2.settings.id', 'http2.settings.initial_window_size', 'http2.window_update.window_size_increment', 'http2.headers.weight',
    'http2.body.fragment', 'http2.body.reassembled.length', 'http2.data.data', 'tcp.pdu.size', 'http2.headers.content_encoding',
    'http.path_segment', 'http.path_sub_segment',
  ],
  filters: [
    'http2', 'http2.type == 1', 'http2.type == 0', 'http2.headers.method == "GET"', 'http2.headers.status == 200', 'http2.headers.status == 404',
    'http2.header.name == "user-agent"', 'http2.header.repr contains "Incremental"', 'http2.flags.end_stream == 1', 'http2.body.fragment',
    'http2.headers.path contains ".txt"', 'http2.magic', 'http2.settings.max_concurrent_streams > 0', 'http2.exclusive', 'data-text-lines',
  ],
};

const capture = (name: string) => join(repoRoot, 'test', 'fixtures', 'tls-keylog', name);

describe('TLS decrypted with the capture\'s key log, like tshark', () => {
  it.each([
    ['tls13-aes128-http1.pcapng', 'TLS 1.3, AES-128-GCM, HTTP/1.1 by ALPN'],
    ['tls13-aes256-http1.pcapng', 'TLS 1.3, AES-256-GCM (SHA-384 key schedule)'],
    ['tls13-chacha-http1.pcapng', 'TLS 1.3, ChaCha20-Poly1305'],
    ['tls13-ccm.pcapng', 'TLS 1.3, AES-128-CCM, HTTP found by its look (no ALPN)'],
    ['tls13-hrr-resumption.pcapng', 'TLS 1.3 after a Hello Retry Request, and a session resumed with its ticket (pre_shared_key)'],
    ['tls12-ecdhe-gcm-http1.pcapng', 'TLS 1.2, ECDHE-ECDSA with AES-256-GCM'],
    ['tls12-ecdhe-chacha-http1.pcapng', 'TLS 1.2, ECDHE-ECDSA with ChaCha20-Poly1305'],
    ['tls12-rsa-cbc-etm.pcapng', 'TLS 1.2, RSA key exchange, AES-128-CBC with encrypt_then_mac'],
    ['tls12-ecdhe-cbc-sha384.pcapng', 'TLS 1.2, ECDHE-RSA, AES-256-CBC with HMAC-SHA384 (MAC then encrypt)'],
    ['tls12-resumption.pcapng', 'TLS 1.2 resumed with a session ticket: the abbreviated handshake (the server\'s Change Cipher Spec first)'],
  ])('%s: %s', async (name) => {
    await expectLikeTshark(capture(name), TLS, 8);
  });

  it.each([
    ['h2-curl.pcapng', 'curl: two requests on one connection, a 20 KB body over DATA frames and TLS records put back together'],
    ['h2-chromium.pcapng', 'Chromium: a page and its resources, HPACK\'s dynamic table and Huffman strings, priorities, a 404'],
    ['h2-gzip.pcapng', 'a gzip-encoded body over three DATA frames, undone'],
    ['h2-queries.pcapng', 'request paths with queries, split into segments and sub segments as tshark splits them'],
  ])('HTTP/2 by ALPN h2, %s: %s', async (name) => {
    await expectLikeTshark(capture(name), HTTP2, 10);
  });

  it('a capture and a key log file apart (-o tls.keylog_file:FILE), as tshark -o reads them', async () => {
    const keys = `tls.keylog_file:${capture('tls13-aes128-http1.keys')}`;
    const pcap = capture('tls13-aes128-http1.pcap');
    const theirs = tsharkRaw(pcap, ['-o', keys, '-V']).stdout;
    expect(theirs).toContain('GET /big.txt HTTP/1.1');
    expect(await ours(pcap, ['-o', keys, '-V'])).toEqual(theirs);
    expect(await ours(pcap, ['-o', keys])).toEqual(tsharkRaw(pcap, ['-o', keys]).stdout);
  });

  it('says which key log file cannot be read, before reading the capture', async () => {
    const out = new StringSink(), err = new StringSink();
    const status = await runRead(parseReadArgs([capture('tls13-aes128-http1.pcap'), '-o', 'tls.keylog_file:/no/such.keys']), out, err);
    expect(status).toBe(2);
    expect(err.text()).toBe('synscope: cannot read the TLS key log file /no/such.keys: No such file or directory\n');
    expect(out.text()).toBe('');
    expect(() => parseReadArgs(['x.pcap', '-o', 'tls.desegment_ssl_records:FALSE'])).toThrow('unknown preference "tls.desegment_ssl_records" (synscope takes -o tls.keylog_file:FILE)');
  });

  it('a record the capture damaged or lost is passed over: the records after it still decrypt (tshark stops there)', async () => {
    const keys = `tls.keylog_file:${capture('tls13-aes128-http1.keys')}`;
    const pcap = capture('tls13-aes128-http1.pcap');
    const dir = mkdtempSync(join(tmpdir(), 'synscope-tls-'));
    try {
      // The client's "GET /big.txt" record (frame 12): one byte of its ciphertext changed, or the frame gone.
      const data = readFileSync(pcap);
      let o = 24;
      for (let n = 1; n < 12; n++) o += 16 + data.readUInt32LE(o + 8);
      data[o + 16 + data.readUInt32LE(o + 8) - 20]! ^= 0x55;
      const damaged = join(dir, 'damaged.pcap');
      writeFileSync(damaged, data);
      const lost = join(dir, 'lost.pcap');
      execFileSync('editcap', [pcap, lost, '12']);
      for (const [file, at] of [[damaged, 12], [lost, 0]] as const) {
        const mine = (await ours(file, ['-o', keys])).split('\n');
        const theirs = tsharkRaw(file, ['-o', keys]).stdout.split('\n');
        const alert = mine.findIndex((l) => l.includes('Close Notify'));
        // Up to the client's next record all is tshark's (the damaged one "Application Data").
        expect(mine.slice(0, alert)).toEqual(theirs.slice(0, alert));
        if (at) expect(mine[at - 1]).toMatch(/TLSv1\.3 172 Application Data$/);
        // The client's close_notify after it: decrypted here, "Application Data" in tshark.
        expect(mine[alert]).toMatch(/TLSv1\.3 90 Alert \(Level: Warning, Description: Close Notify\)$/);
        expect(theirs[alert]).toMatch(/TLSv1\.3 90 Application Data$/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('read -q -z expert counts the notes of the decrypted protocols, as tshark -z expert does with the secrets', async () => {
    const keys = capture('tls13-aes128-http1.keys');
    for (const [file, scope, tsharkArgs] of [
      [capture('h2-curl.pcapng'), {}, []],
      [capture('tls13-aes128-http1.pcap'), { tlsKeylogFile: keys }, ['-o', `tls.keylog_file:${keys}`]],
    ] as const) {
      const out = new StringSink();
      await runStatTaps(file, [parseStatTap('expert')], out, new StringSink(), scope);
      const theirs = tsharkRaw(file, [...tsharkArgs, '-q', '-z', 'expert']).stdout;
      expect(theirs).toContain('Chat');
      expect(out.text()).toEqual(theirs);
    }
  });

  it('without the key log the same capture stays encrypted, as in tshark', async () => {
    const pcap = capture('tls13-aes128-http1.pcap');
    const lines = await ours(pcap, []);
    expect(lines).toEqual(tsharkRaw(pcap, []).stdout);
    expect(lines).not.toContain('HTTP');
  });
});

describe('decrypted frames dissected again (the desktop, in reverse) show what the first pass showed', () => {
  it.each([
    ['tls13-aes128-http1.pcapng', 'HTTP/1.1 200 OK  (text/plain)', 'Reassembled TLS segments'],
    ['tls12-rsa-cbc-etm.pcapng', '[TLS segment of a reassembled PDU]', 'TLS segment data'],
    ['h2-curl.pcapng', 'Header: :path: /big.txt', 'Body fragments'],
    ['h2-chromium.pcapng', 'Header: :path: /part3.txt', 'Representation: Literal Header Field with Incremental Indexing - New Name'],
  ])('%s', (name, shown, alsoShown) => {
    const file = capture(name);
    const reader = openCaptureFile(file);
    while (reader.next() !== null);
    const keys = keyLogFor(null, () => reader.info.decryptionSecrets);
    reader.close();
    // HTTP dissected again knows the exchanges that came later (the response frame, "request 1/2"
    // where the first pass said 1/1), as Wireshark's window does: those lines aside, every frame
    // is as the first pass showed it.
    const known = (t: string) => t.replace(/\n *\[(Response in frame: \d+|HTTP (request|response) \d+\/\d+|Next (request|response) in frame: \d+)\]/g, '');
    const [first, again] = bothWays(file, keys);
    expect(first.some((t) => t.includes(shown))).toBe(true);
    expect(first.some((t) => t.includes(alsoShown))).toBe(true);
    expect(again.map(known)).toEqual(first.map(known));
  });
});

describe('the key log', () => {
  it('takes the NSS format lines it knows and passes over comments, other labels and bad lines', () => {
    const random = 'ab'.repeat(32);
    const log = new KeyLog();
    const taken = log.addText([
      '# a comment', '', `CLIENT_RANDOM ${random} ${'01'.repeat(48)}`, `SERVER_TRAFFIC_SECRET_0 ${random.toUpperCase()} ${'02'.repeat(32)}`,
      `RSA ${'aa'.repeat(8)} ${'03'.repeat(48)}`, `CLIENT_RANDOM ${'ab'.repeat(31)} ${'04'.repeat(48)}`, `CLIENT_RANDOM ${random} zz`,
      `EXPORTER_SECRET ${random} ${'05'.repeat(32)}`,
    ].join('\r\n'));
    expect(taken).toBe(2);
    const r = Buffer.from(random, 'hex');
    expect(log.find('CLIENT_RANDOM', r)?.toString('hex')).toBe('01'.repeat(48));
    expect(log.find('SERVER_TRAFFIC_SECRET_0', r)?.toString('hex')).toBe('02'.repeat(32));
    expect(log.find('CLIENT_HANDSHAKE_TRAFFIC_SECRET', r)).toBeUndefined();
  });

  it('reads the secrets of a key log file that a capture\'s Decryption Secrets Block holds the same', () => {
    const fromFile = keyLogFor(capture('tls13-aes128-http1.keys'), () => undefined);
    const reader = openCaptureFile(capture('tls13-aes128-http1.pcapng'));
    while (reader.next() !== null);
    const fromBlock = keyLogFor(null, () => reader.info.decryptionSecrets);
    reader.close();
    const lines = readFileSync(capture('tls13-aes128-http1.keys'), 'latin1').trim().split('\n');
    // EXPORTER_SECRET is not a decryption secret.
    expect(fromFile.size).toBe(lines.filter((l) => !l.startsWith('EXPORTER_SECRET')).length);
    expect(fromBlock.size).toBe(fromFile.size);
  });
});

// OCSP (RFC 6960) as tshark 4.0 shows it: the "Online Certificate Status Protocol" layer of HTTP
// bodies of type application/ocsp-request and -response, and the "OCSP Response" item of TLS's
// Certificate Status message, line for line against `tshark -n -V` (tbsRequest with its
// requestList and extensions, the optional signature; responseStatus, the BasicOCSPResponse
// with responderID byName/byKey, good/revoked/unknown statuses, the signature and the
// responder's certificates), the columns, frame.protocols and the ocsp fields with -T fields.
// On the corpus capture with OCSP (tshark -Y ocsp over the corpus: many-protocols.pcap only)
// and on requests and responses made with `openssl ocsp` and carried in HTTP POSTs built here.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ocspFields } from '../app/dissect/protocols/ocsp.js';
import { corpusPath } from './helpers/corpus.js';
import { pcapFile, tcpFrame } from './helpers/pcap-build.js';
import { ours } from './helpers/text-protocol-diff.js';
import { FIELDS_ARGS, tsharkRaw } from './helpers/tshark.js';
import { tsharkVerbose } from './helpers/tshark-verbose.js';
import { sectionLines } from './helpers/verbose.js';

const FIELDS = ['frame.protocols', '_ws.col.Protocol', '_ws.col.Info', ...Object.keys(ocspFields)];

/** Every OCSP section of a -V text: HTTP's OCSP layers and TLS's "OCSP Response" items. */
const ocspLines = (v: string): string[] => [...sectionLines(v, 'Online Certificate Status Protocol', true), ...sectionLines(v, 'OCSP Response', true)];

async function expectAsTshark(file: string): Promise<void> {
  const theirs = ocspLines(tsharkVerbose(file).stdout);
  expect(theirs.length).toBeGreaterThan(0);
  expect(ocspLines(await ours(file, ['-V']))).toEqual(theirs);
  const args = ['-Y', 'ocsp', ...FIELDS_ARGS, ...FIELDS.flatMap((f) => ['-e', f])];
  const fields = tsharkRaw(file, args).stdout;
  expect(fields.split('\n').length).toBeGreaterThan(1);
  expect(await ours(file, args)).toEqual(fields);
  expect(await ours(file, ['-Y', 'ocsp'])).toEqual(tsharkRaw(file, ['-Y', 'ocsp']).stdout);
}

describe('read: OCSP on the corpus, as tshark shows it', () => {
  it('pcapplusplus/many-protocols.pcap: OCSP over HTTP and in a TLS Certificate Status message', () => expectAsTshark(corpusPath('pcapplusplus/many-protocols.pcap')));
});

/** One HTTP/1.1 connection with a POST of each request and a response with each response body. */
function ocspExchanges(pairs: ReadonlyArray<readonly [Uint8Array, Uint8Array]>): Buffer {
  const message = (head: string, type: string, body: Uint8Array) => Buffer.concat([Buffer.from(`${head}\r\nContent-Type: application/ocsp-${type}\r\nContent-Length: ${body.length}\r\n\r\n`), body]);
  // [from the client, payload, TCP flags]: the handshake, then a POST, its response and an ACK each.
  const segments: Array<[boolean, Uint8Array, number]> = [[true, Buffer.alloc(0), 0x02], [false, Buffer.alloc(0), 0x12], [true, Buffer.alloc(0), 0x10]];
  for (const [q, r] of pairs) segments.push([true, message('POST / HTTP/1.1\r\nHost: ocsp', 'request', q), 0x18], [false, message('HTTP/1.1 200 OK', 'response', r), 0x18], [true, Buffer.alloc(0), 0x10]);
  const next = { client: 1000, server: 5000 };
  return pcapFile(segments.map(([up, data, flags], i) => {
    const frame = tcpFrame(up, up ? next.client : next.server, flags === 0x02 ? 0 : up ? next.server : next.client, flags, data);
    // A SYN counts one sequence number.
    const used = data.length + (flags & 0x02 ? 1 : 0);
    if (up) next.client += used;
    else next.server += used;
    return { sec: 1_700_000_000, frac: (i + 1) * 1000, data: frame };
  }));
}

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasOpenssl)('read: OCSP made with openssl, against tshark', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synscope-ocsp-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
  const der = (name: string) => readFileSync(join(dir, `${name}.der`));
  const serial = (cert: string) => ssl('x509', '-in', cert, '-noout', '-serial').toString().trim().split('=')[1]!;

  // A CA, a good and a revoked certificate; requests with and without a nonce, for two
  // certificates, by serial with SHA-256, signed with the signer's and the CA's certificates;
  // responses by name (with the CA's certificate) and by key hash (without), good, revoked
  // (keyCompromise) and unknown, and a malformedRequest status.
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '3650', '-subj', '/C=US/O=Test CA/CN=Test Root');
  for (const leaf of ['good', 'revoked']) {
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${leaf}.key`, '-out', `${leaf}.csr`, '-subj', `/CN=${leaf}.example`);
    ssl('x509', '-req', '-in', `${leaf}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${leaf}.pem`, '-days', '365');
  }
  writeFileSync(join(dir, 'index.txt'), `V\t351231000000Z\t\t${serial('good.pem')}\tunknown\t/CN=good.example\nR\t351231000000Z\t230101000000Z,keyCompromise\t${serial('revoked.pem')}\tunknown\t/CN=revoked.example\n`);
  ssl('ocsp', '-issuer', 'ca.pem', '-cert', 'good.pem', '-reqout', 'req-nonce.der');
  ssl('ocsp', '-issuer', 'ca.pem', '-cert', 'good.pem', '-cert', 'revoked.pem', '-no_nonce', '-reqout', 'req-two.der');
  ssl('ocsp', '-sha256', '-issuer', 'ca.pem', '-serial', '0x1234', '-no_nonce', '-reqout', 'req-serial.der');
  ssl('ocsp', '-sha256', '-issuer', 'ca.pem', '-cert', 'good.pem', '-signer', 'good.pem', '-signkey', 'good.key', '-sign_other', 'ca.pem', '-reqout', 'req-signed.der');
  const respond = (req: string, out: string, ...extra: string[]) =>
    ssl('ocsp', '-index', 'index.txt', '-rsigner', 'ca.pem', '-rkey', 'ca.key', '-CA', 'ca.pem', '-reqin', `${req}.der`, '-respout', `${out}.der`, ...extra);
  respond('req-nonce', 'resp-nonce', '-ndays', '7');
  respond('req-two', 'resp-two', '-resp_key_id', '-resp_no_certs');
  respond('req-serial', 'resp-serial');
  const file = join(dir, 'ocsp.pcap');
  writeFileSync(file, ocspExchanges([
    [der('req-nonce'), der('resp-nonce')], [der('req-two'), der('resp-two')], [der('req-serial'), der('resp-serial')],
    [der('req-signed'), Buffer.from('30030a0101', 'hex')],
  ]));

  it('requests, responses, columns and ocsp fields', () => expectAsTshark(file));

  it('malformed DER: a BER Error item and its note where the DER breaks, nothing thrown', async () => {
    const bad = join(dir, 'bad.pcap');
    // A cut request and response (lengths past the body), an indefinite length, a status that is no ENUMERATED.
    writeFileSync(bad, ocspExchanges([[der('req-two').subarray(0, 60), der('resp-nonce').subarray(0, 200)], [Buffer.from([0x30, 0x80, 1, 2]), Buffer.from('3003020100', 'hex')]]));
    const text = await ours(bad, ['-V']);
    expect(text).toContain('Online Certificate Status Protocol\n    BER Error: length of item (');
    expect(text).toMatch(/\[Expert Info \(Warning\/Malformed\): BER Error: [^\]]+\]/);
    expect(text).toContain('BER Error: indefinite length in DER');
    expect(text).toContain('BER Error: wrong tag [0:2] for responseStatus');
  });
});

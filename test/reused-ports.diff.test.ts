// A connection that reuses an earlier one's ports (a SYN with another initial sequence number:
// "[TCP Port numbers reused]") is a new conversation for tshark, and the protocols over it start
// again: TLS's handshake is in the clear again, IMAP and MySQL start from their greeting, HTTP
// numbers its requests from 1 (see also app/dissect/protocols/http.diff.test.ts). Checked here on real connections from the corpus,
// each played twice on the same ports, against tshark's columns, in one pass and as a session
// dissects them (in order, then again backwards).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseReadArgs } from '../app/cli/args.js';
import { runRead } from '../app/cli/read.js';
import { StringSink } from '../app/cli/sink.js';
import { prepareCapture } from '../app/cli/source.js';
import { CaptureState, dissect, type FrameInput } from '../app/dissect/driver.js';
import { openCaptureFile } from '../app/file/reader.js';
import { corpusPath } from './helpers/corpus.js';
import { pcapFile, type BuiltRecord } from './helpers/pcap-build.js';
import { framesOf } from './helpers/revisit.js';
import { FIELDS_ARGS, parseFieldsOutput, tsharkFields } from './helpers/tshark.js';

/**
 * The Ethernet/IPv4 TCP capture `rel` (one connection), then the same packets again 10 s later
 * on the same ports, the client's sequence numbers moved by 100000 and the server's by 200000.
 */
function playedTwice(rel: string): Buffer {
  const src = openCaptureFile(corpusPath(rel), {});
  const first: BuiltRecord[] = [];
  try {
    for (let rec = src.next(); rec; rec = src.next()) {
      if (rec instanceof Promise) throw new Error('a file, not a pipe');
      first.push({ sec: rec.ts.sec, frac: Math.floor(rec.ts.nsec / 1000), data: Uint8Array.from(rec.data), origLen: rec.origLen });
    }
  } finally {
    src.close();
  }
  let client = -1;
  const again = first.map((r) => {
    const data = Uint8Array.from(r.data);
    const dv = new DataView(data.buffer);
    const t = 14 + (data[14]! & 15) * 4;
    const port = dv.getUint16(t);
    if (client < 0) client = port;
    const fromClient = port === client;
    dv.setUint32(t + 4, (dv.getUint32(t + 4) + (fromClient ? 100000 : 200000)) >>> 0);
    if (data[t + 13]! & 0x10) dv.setUint32(t + 8, (dv.getUint32(t + 8) + (fromClient ? 200000 : 100000)) >>> 0);
    return { ...r, sec: r.sec + 10, data };
  });
  return pcapFile([...first, ...again]);
}

/** Every frame's Protocol and Info, dissected in order and then again in reverse, with the tracker a session has. */
function sessionColumns(file: string): [string[], string[]] {
  const frames = framesOf(file);
  const capture = new CaptureState({ revisits: true });
  prepareCapture(capture);
  const columns = (f: FrameInput) => {
    const d = dissect(f, capture, { tree: false, wanted: null });
    return `${d.protocol} ${d.info}`;
  };
  const first = frames.map(columns);
  return [first, [...frames].reverse().map(columns).reverse()];
}

describe('read: a connection on reused ports starts its protocols over, as tshark does', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synscope-reused-ports-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const fields = ['tcp.stream', '_ws.col.Protocol', '_ws.col.Info'];

  // Each capture, and what the second connection shows again from its start.
  const CONNECTIONS: Array<[string, string]> = [
    ['zeek/tls/tls1.2.pcap', 'Client Hello'],
    ['zeek/tls/tls13_wolfssl.pcap', 'Client Hello'],
    // IMAP's STARTTLS, then TLS: both protocols' state (conversation.ts's connectionKey).
    ['zeek/tls/imap-starttls.pcap', 'STARTTLS'],
    ['pcapplusplus/one_tcp_stream_fin_rst_close_packet.pcap', 'Server Greeting'],
  ];
  for (const [rel, restart] of CONNECTIONS) {
    it(`${rel} twice: the second connection from its start (${restart})`, async () => {
      const file = join(dir, rel.replaceAll('/', '_'));
      writeFileSync(file, playedTwice(rel));
      const theirs = tsharkFields(file, fields).rows;
      const out = new StringSink(), err = new StringSink();
      await runRead(parseReadArgs([file, ...FIELDS_ARGS, ...fields.flatMap((f) => ['-e', f])]), out, err);
      expect(parseFieldsOutput(out.text(), fields.length)).toEqual(theirs);
      expect(theirs.filter((r) => r[0] === '1' && r[2]!.includes(restart)).length).toBeGreaterThan(0);
      // As a session dissects them: in order, then again backwards (the answers kept per frame).
      const columns = theirs.map((r) => `${r[1]} ${r[2]}`);
      const [first, again] = sessionColumns(file);
      expect(first).toEqual(columns);
      expect(again).toEqual(columns);
    });
  }
});

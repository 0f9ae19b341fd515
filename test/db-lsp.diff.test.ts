// Dropbox LAN sync discovery broadcasts (UDP 17500) as tshark 4.0 shows them: the JSON announce
// under "Dropbox LAN sync Discovery Protocol" with DB-LSP-DISC/JSON and ", JavaScript Object
// Notation" in the columns, and anything that is not JSON text as a Text line. On the corpus
// capture with one and on datagrams built here.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusPath } from './helpers/corpus.js';
import { pcapFile, udpFrame } from './helpers/pcap-build.js';
import { ours } from './helpers/text-protocol-diff.js';
import { FIELDS_ARGS, tsharkRaw } from './helpers/tshark.js';
import { tsharkVerbose } from './helpers/tshark-verbose.js';

const COLUMNS = [...FIELDS_ARGS, '-e', '_ws.col.Protocol', '-e', '_ws.col.Info', '-e', 'frame.protocols', '-e', 'db-lsp.text', '-e', 'json.member_with_value'];

async function expectSameAsTshark(file: string): Promise<void> {
  expect(await ours(file, ['-V'])).toEqual(tsharkVerbose(file).stdout);
  expect(await ours(file, COLUMNS)).toEqual(tsharkRaw(file, COLUMNS).stdout);
}

describe('read: Dropbox LAN sync discovery as tshark shows it', () => {
  it('gopacket/be/test006.pcapng', () => expectSameAsTshark(corpusPath('gopacket/be/test006.pcapng')));

  const dir = mkdtempSync(join(tmpdir(), 'synscope-dblsp-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('an announce, two objects, text that is not JSON, JSON with something after it, an empty datagram', async () => {
    const announce = '{"host_int": 123456789, "version": [2, 0], "displayname": "", "port": 17500, "namespaces": [1, 22, 333]}';
    const payloads = [announce, `${announce} \n{"a": [true, null]}`, 'hello dropbox', `${announce} trailing`, '', '  [1, "two"]  '];
    const frames = payloads.map((p) => udpFrame([192, 168, 1, 7], 17500, [255, 255, 255, 255], 17500, Buffer.from(p, 'latin1')));
    const file = join(dir, 'db-lsp.pcap');
    writeFileSync(file, pcapFile(frames.map((data, i) => ({ sec: 1_700_000_000 + i, frac: 0, data }))));
    await expectSameAsTshark(file);
  });
});

// Yahoo Messenger (YMSG) as tshark 4.0 shows it: the corpus has one Keep Alive, in zeek/smtp.pcap
// (compared on its TCP connection alone: the capture's NetBIOS browser frame is a documented gap).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { corpusPath } from './helpers/corpus.js';
import { expectLikeTshark, onlyPackets, type TextProtocolCheck } from './helpers/text-protocol-diff.js';

const YMSG: TextProtocolCheck = {
  titles: ['Yahoo YMSG Messenger Protocol'],
  fields: ['ymsg.version', 'ymsg.vendor', 'ymsg.len', 'ymsg.service', 'ymsg.status', 'ymsg.session_id', 'ymsg.content', 'ymsg.content-line.key', 'ymsg.content-line.value', 'tcp.pdu.size'],
  filters: ['ymsg', 'ymsg.service == 138', 'ymsg.content-line.value == "albertzaharovits"', 'ymsg.session_id == 0xb7374000'],
};

describe('YMSG like tshark', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synscope-ymsg-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('zeek/smtp.pcap: a Keep Alive with its content line', async () => {
    await expectLikeTshark(onlyPackets(corpusPath('zeek/smtp.pcap'), 'tcp.port == 5050', join(dir, 'ymsg.pcap')), YMSG, 1);
  });
});

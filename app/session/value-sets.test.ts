// The filter editor's completion values (filter.values) are the values tshark shows for the
// fields of each set on the same capture: addresses of each family, ports, stream numbers and
// names, whatever form the pass keeps them in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../../test/helpers/corpus.js';
import { tsharkRaw } from '../../test/helpers/tshark.js';
import { Session } from './session.js';

const FILE = corpusPath('pcapplusplus/many-protocols.pcap');

let session: Session;
beforeAll(async () => {
  session = new Session({ indexInProcess: true });
  await session.handle('file.open', { path: FILE });
  await session.whenAnalyzed();
});
afterAll(() => session.dispose());

/** Every value tshark prints for these fields (occurrences split). */
function tsharkValues(fields: string[]): Set<string> {
  const lines = tsharkRaw(FILE, ['-T', 'fields', ...fields.flatMap((f) => ['-e', f])]).stdout.split('\n');
  return new Set(lines.flatMap((l) => l.split(/[\t,]/)).filter((v) => v !== ''));
}

describe('filter.values vs tshark -T fields', () => {
  it.each([
    ['ip.addr', ['ip.src', 'ip.dst']],
    ['ipv6.addr', ['ipv6.src', 'ipv6.dst']],
    ['eth.addr', ['eth.src', 'eth.dst']],
    ['tcp.port', ['tcp.srcport', 'tcp.dstport']],
    ['udp.port', ['udp.srcport', 'udp.dstport']],
    ['tcp.stream', ['tcp.stream']],
    ['udp.stream', ['udp.stream']],
    ['dns.qry.name', ['dns.qry.name']],
    ['http.host', ['http.host']],
  ])('%s', async (field, theirs) => {
    const ours = await session.handle('filter.values', { field, prefix: '', limit: 100_000 });
    const want = tsharkValues(theirs);
    expect(want.size).toBeGreaterThan(1);
    expect(ours.length).toBe(new Set(ours).size);
    expect(new Set(ours)).toEqual(want);
  });

  it('keeps a prefix\'s values, numbers in numeric order', async () => {
    const ports = await session.handle('filter.values', { field: 'tcp.port', prefix: '5', limit: 100_000 });
    expect(ports.length).toBe([...tsharkValues(['tcp.srcport', 'tcp.dstport'])].filter((p) => p.startsWith('5')).length);
    expect(ports.map(Number)).toEqual([...ports.map(Number)].sort((a, b) => a - b));
  });
});

// gRPC, gRPC-Web and Protocol Buffers as tshark 4.0 shows them without a .proto, on real traffic
// (test/fixtures/http/README.md): @grpc/grpc-js over h2c on HTTP port 8080, unary calls carrying
// every protobuf wire type (varints that fit 32 bits and those that do not, 32- and 64-bit
// values, length-delimited strings, bytes, packed and nested fields; tags of 1 to 4 bytes), an
// empty message, messages that span DATA frames (put together as tshark's streaming reassembly
// does: "DATA segment data", the body fragments, a "Reassembled HTTP2 streaming body"), and a
// server stream whose DATA frames are dissected as they come (HTTP/2's streaming mode for gRPC's
// content types).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/corpus.js';
import { bothWays } from './helpers/revisit.js';
import { expectLikeTshark, ours, type TextProtocolCheck } from './helpers/text-protocol-diff.js';
import { tsharkRaw } from './helpers/tshark.js';

const GRPC: TextProtocolCheck = {
  titles: ['GRPC Message', 'Protocol Buffers'],
  fields: [
    'grpc.frame_type', 'grpc.compressed_flag', 'grpc.message_length', 'grpc.message_data', 'protobuf.message.name',
    'protobuf.field.name', 'protobuf.field.number', 'protobuf.field.wiretype', 'protobuf.field.value.length',
    'protobuf.field.value', 'protobuf.field.value.uint32', 'protobuf.field.value.uint64', 'http2.data.data', 'http2.header.value',
    'http2.data.segment', 'http2.body.reassembled.in', 'http2.body.fragment', 'http2.body.reassembled.length',
  ],
  filters: [
    'grpc', 'protobuf', 'grpc.message_length == 0', 'grpc.message_length > 20', 'protobuf.field.number == 2000',
    'protobuf.field.number == 300000', 'protobuf.field.wiretype == 5', 'protobuf.field.value.uint64 > 4294967295',
    'protobuf.field.value.uint32 == 7', 'http2 && !grpc', 'http2.type == 0 && !protobuf', 'http2.body.fragment',
    'http2.data.segment', 'grpc.message_length > 20000',
  ],
};

const KIND_FILTERS = [
  'grpc.compressed_flag == 1', 'grpc.frame_type == 1', 'json', 'grpc && json', 'data-text-lines', 'json.value.string == "abcde"',
  '_ws.expert.message contains "decompression"', '_ws.expert.message contains "END_STREAM"', '_ws.malformed', 'http && grpc',
  'protobuf && !grpc.compressed_flag', '_ws.expert.message == "Unknown or unsupported wiretype"',
];

const FILE = join(repoRoot, 'test', 'fixtures', 'http', 'grpc.pcap');
// Messages whose 5-byte header is cut between DATA frames (tshark puts the header together
// first, then the message: two reassemblies, both shown), a header in three frames, a body in three.
const SPLIT = join(repoRoot, 'test', 'fixtures', 'http', 'grpc-split.pcap');
// The other content types and codings: gzip/deflate messages, one that does not inflate, an
// unknown coding, +json and JSON sent as application/grpc, +proto, gRPC-Web (with trailers, and over
// HTTP/1.1), gRPC-Web-Text (also cut between DATA frames, stream 23), Protocol Buffers that go
// wrong, a stream that ends inside a message.
const KINDS = join(repoRoot, 'test', 'fixtures', 'http', 'grpc-kinds.pcap');

describe('gRPC like tshark', () => {
  it('unary calls and a server stream over h2c', async () => {
    await expectLikeTshark(FILE, GRPC, 6);
  });
  it('messages cut inside their header and body between DATA frames: the whole -V, columns, fields, filters', async () => {
    expect(await ours(SPLIT, ['-V', '-x'])).toEqual(tsharkRaw(SPLIT, ['-V', '-x']).stdout);
    await expectLikeTshark(SPLIT, GRPC, 10);
  });
  it('every content type and coding: the whole -V, the bytes of each source, columns, fields, filters', async () => {
    expect(await ours(KINDS, ['-V'])).toEqual(tsharkRaw(KINDS, ['-V']).stdout);
    // tshark decodes a gRPC-Web-Text message cut between DATA frames again at each step of its
    // reassembly, each time a "Decoded base64 body" of its own: SynScope decodes it once, whole.
    const notCut = ['-x', '-Y', '!(http2.streamid == 23)'];
    expect(await ours(KINDS, notCut)).toEqual(tsharkRaw(KINDS, notCut).stdout);
    await expectLikeTshark(KINDS, { ...GRPC, fields: [...GRPC.fields, 'json.value.string', 'json.member_with_value', '_ws.expert.message', 'data-text-lines'], filters: [...GRPC.filters, ...KIND_FILTERS] }, 20);
  });
  it('dissected again out of order (the desktop), the same', () => {
    const [first, again] = bothWays(FILE);
    expect(first.some((t) => t.startsWith('GRPC ') && t.includes('Field(2000): 12345678901234 (uint64)'))).toBe(true);
    expect(again).toEqual(first);
  });
});

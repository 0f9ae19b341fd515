// MySQL as tshark 4.0 shows it: the server greeting and login request (capabilities, MariaDB's
// variants, CLIENT_SSL handing the connection to TLS), requests, and responses read by the
// connection's state (OK, ERR, EOF, result sets with their field and row packets, text and
// binary rows, prepared statements, the authentication switch, CLIENT_DEPRECATE_EOF, query
// attributes, session tracking), several packets in a segment and packets over several segments,
// with the malformed packets tshark 4.0 reports. On the corpus captures with MySQL and on
// connections written here (test/helpers/tcp-session.ts), each against tshark run on them.
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusPath } from './helpers/corpus.js';
import { bothWays } from './helpers/revisit.js';
import { CaptureBuilder, writtenCaptures, type TcpConnection } from './helpers/tcp-session.js';
import { expectLikeTshark, onlyPackets, type TextProtocolCheck } from './helpers/text-protocol-diff.js';

const MYSQL: TextProtocolCheck = {
  titles: ['MySQL Protocol'],
  fields: [
    'mysql.packet_length', 'mysql.packet_number', 'mysql.command', 'mysql.query', 'mysql.protocol', 'mysql.version', 'mysql.thread_id',
    'mysql.caps.server', 'mysql.caps.client', 'mysql.caps.sl', 'mysql.caps.pm', 'mysql.extcaps.client', 'mysql.server_language', 'mysql.charset',
    'mariadb.charset', 'mysql.user', 'mysql.passwd', 'mysql.schema', 'mysql.client_auth_plugin', 'mysql.connattrs.name', 'mysql.connattrs.value',
    'mysql.response_code', 'mysql.error_code', 'mysql.sqlstate', 'mysql.error.message', 'mysql.affected_rows', 'mysql.insert_id', 'mysql.warnings',
    'mysql.server_status', 'mysql.stat.ac', 'mysql.eof', 'mysql.num_fields', 'mysql.field.name', 'mysql.field.type', 'mysql.field.charsetnr',
    'mysql.field.flags', 'mysql.row.text', 'mysql.row.nullbuffer', 'mysql.stmt_id', 'mysql.num_params', 'mysql.exec.field.string',
    'mysql.exec.field.longlong', 'mysql.exec.field.double', 'mysql.message', 'mysql.session_track.sysvar.name',
    'mysql.query_attr_value', 'mariadb.prefix', 'mariadb.length', 'mariadb.extcaps.server',
  ],
  filters: [
    'mysql', 'mysql.command == 3', 'mysql.query contains "select"', 'mysql.caps.sl', 'mysql.caps.pm == 1', 'mysql.response_code == 0xfe',
    'mysql.error_code == 1064', 'mysql.row.text == "NULL"', 'mariadb.prefix == 251', 'mysql.field.name == "b"', 'mysql.user == "root"',
    'mysql.exec.field.double > 1', '_ws.malformed',
  ],
};

// ---- MySQL packets as a client and a server write them ----

type Part = Uint8Array | string | number[];

/** A MySQL packet: 3-byte length, sequence number, payload. */
function pkt(seq: number, ...parts: Part[]): Buffer {
  const body = Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
  return Buffer.concat([Buffer.from([body.length & 255, (body.length >> 8) & 255, body.length >> 16, seq]), body]);
}
const z = (s: string): Buffer => Buffer.from(s + '\0', 'latin1');
const le16 = (n: number): number[] => [n & 255, n >> 8];
const le32 = (n: number): number[] => [n & 255, (n >> 8) & 255, (n >> 16) & 255, (n >>> 24) & 255];
/** A length-encoded string (one length byte). */
const lenc = (s: string): Buffer => Buffer.concat([Buffer.from([s.length]), Buffer.from(s, 'latin1')]);
const OK = [0, 0, 0, 2, 0, 0, 0];
const eof = (status = 2): number[] => [0xfe, 0, 0, ...le16(status)];
/** A column definition (Protocol::ColumnDefinition41). */
function field(name: string, type: number, charset = 33, flags = 0): Buffer {
  return Buffer.concat([lenc('def'), lenc('test'), lenc('t'), lenc('t'), lenc(name), lenc(name), Buffer.from([0x0c, ...le16(charset), ...le32(80), type, ...le16(flags), 0, 0, 0])]);
}
function greeting(version: string, caps: number, extCaps: number, language: number): Buffer {
  return pkt(0, [10], z(version), le32(42), z('abcdefgh'), le16(caps), [language], le16(2), le16(extCaps), [21], Buffer.alloc(10), z('ijklmnopqrst'), z('caching_sha2_password'));
}

let nextPort = 50000;
function connection(cap: CaptureBuilder): TcpConnection {
  return cap.connection({ addr: [10, 0, 0, 1], port: nextPort++ }, { addr: [10, 0, 0, 2], port: 3306 }).open();
}

/**
 * A session of a client with the plugin authentication, connection attributes and a schema:
 * queries with result sets (one whose row spans three segments), OK with an insert id, errors,
 * COM_INIT_DB, COM_PING, statistics, COM_FIELD_LIST, a prepared statement executed with bound
 * parameters and a binary result set, LOAD DATA LOCAL, COM_CHANGE_USER, COM_QUIT. `modern`: a
 * client with CLIENT_DEPRECATE_EOF, session tracking and query attributes.
 */
function session(cap: CaptureBuilder, modern: boolean): void {
  const c = connection(cap);
  const qa = modern ? [0, 1] : [];
  c.fromServer(greeting('8.0.32', 0xf7ff, 0xdfff, 255));
  const attrs = Buffer.concat([lenc('_os'), lenc('Linux'), lenc('_client_name'), lenc('libmysql')]);
  c.fromClient(pkt(1, le16(0xa68d), le16(modern ? 0x09bf : 0x003f), le32(16777216), [255], Buffer.alloc(23), z('root'), [20], Buffer.alloc(20, 7), z('test'),
    z('caching_sha2_password'), [attrs.length], attrs));
  c.fromServer(pkt(2, [0x01, 0x03]));
  c.fromServer(pkt(3, OK));
  c.fromClient(pkt(0, [3], qa, 'select @@version_comment limit 1'));
  c.fromServer(Buffer.concat(modern
    ? [pkt(1, [1]), pkt(2, field('@@version_comment', 253)), pkt(3, lenc('MySQL Community Server - GPL')), pkt(4, OK.map((b, i) => (i === 0 ? 0xfe : b)))]
    : [pkt(1, [1]), pkt(2, field('@@version_comment', 253)), pkt(3, eof()), pkt(4, lenc('MySQL Community Server - GPL')), pkt(5, eof())]));
  c.fromClient(pkt(0, [2], 'test'));
  c.fromServer(pkt(1, OK));
  c.fromClient(pkt(0, [3], qa, 'insert into t values (1)'));
  c.fromServer(pkt(1, [0, 1, 5, 2, 0, 0, 0]));
  c.fromClient(pkt(0, [3], qa, 'selec 1'));
  c.fromServer(pkt(1, [0xff], le16(1064), '#42000', 'You have an error in your SQL syntax'));
  c.fromClient(pkt(0, [14]));
  c.fromServer(pkt(1, OK));
  c.fromClient(pkt(0, [3], qa, 'SELECT a, b FROM t'));
  const rows = Buffer.concat([pkt(1, [2]), pkt(2, field('a', 3, 63, 0x4203)), pkt(3, field('b', 253, 255)), ...(modern ? [] : [pkt(4, eof())]),
    pkt(5, lenc('1'), [0xfc, ...le16(3000)], 'x'.repeat(3000)), pkt(6, [0xfb], lenc('z')), pkt(7, modern ? [0xfe, 0, 0, 0x22, 0, 0, 0] : eof(0x22))]);
  c.fromServer(rows.subarray(0, 1400));
  c.fromServer(rows.subarray(1400, 2800));
  c.fromServer(rows.subarray(2800));
  c.fromClient(pkt(0, [9]));
  c.fromServer(pkt(1, 'Uptime: 100  Threads: 2  Questions: 10'));
  c.fromClient(pkt(0, [4], z('t'), 'a'));
  c.fromServer(Buffer.concat([pkt(1, field('a', 3, 63, 0x4203), [0x01, 0x30]), pkt(2, eof())]));
  c.fromClient(pkt(0, [22], 'SELECT a, b FROM t WHERE x = ? AND y = ?'));
  c.fromServer(Buffer.concat([pkt(1, [0], le32(7), le16(2), le16(2), [0], le16(0)), pkt(2, field('?', 253, 63)), pkt(3, field('?', 253, 63)),
    ...(modern ? [] : [pkt(4, eof())]), pkt(5, field('a', 3, 63, 0x20)), pkt(6, field('b', 5, 63)), ...(modern ? [] : [pkt(7, eof())])]));
  c.fromClient(pkt(0, [23], le32(7), [0], le32(1), [0], [1], [8, 0x80, 5, 0], [42, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0xf8, 0x3f]));
  c.fromServer(Buffer.concat([pkt(1, [2]), pkt(2, field('a', 3, 63, 0x20)), pkt(3, field('b', 5, 63)), ...(modern ? [] : [pkt(4, eof())]),
    pkt(5, [0, 0], le32(7), [0, 0, 0, 0, 0, 0, 0, 0x40]), pkt(6, [0, 8]), pkt(7, modern ? [0xfe, 0, 0, 2, 0, 0, 0] : eof())]));
  c.fromClient(pkt(0, [25], le32(7)));
  c.fromClient(pkt(0, [3], qa, "load data local infile '/tmp/t.csv' into table t"));
  c.fromServer(pkt(1, [0xfb], '/tmp/t.csv'));
  c.fromClient(pkt(2, 'a,b\n'));
  c.fromClient(pkt(3));
  c.fromServer(pkt(4, [0, 1, 0, 2, 0, 0, 0]));
  c.fromClient(pkt(0, [17], z('alice'), [3, 1, 2, 3], z('db2'), le16(33), z('mysql_native_password')));
  c.fromServer(pkt(1, [0xfe], z('mysql_native_password'), 'abcdefghijklmnopqrst\0'));
  c.fromClient(pkt(2, Buffer.alloc(20, 9)));
  c.fromServer(pkt(3, OK));
  c.fromClient(pkt(0, [12], le32(7)));
  c.fromServer(pkt(1, [0xff], le16(1094), '#HY000', 'Unknown thread id: 7'));
  c.fromClient(pkt(0, [1]));
  c.close();
}

/** Packets tshark 4.0 reads in its own way (most of them malformed), and the less common commands. */
function edges(cap: CaptureBuilder): void {
  let c = connection(cap);
  c.fromServer(greeting('5.7.30', 0xf7ff, 0xc1ff, 8));
  c.fromClient(pkt(1, le16(0xa685), le16(0x000f), le32(16777216), [33], Buffer.alloc(23), z('bob'), [0]));
  c.fromServer(pkt(2, OK));
  // An empty first value (0x00) makes tshark read a text row as a binary one; EOF packets too short.
  c.fromClient(pkt(0, [3], 'select 1\0 and more'));
  c.fromServer(Buffer.concat([pkt(1, [1]), pkt(2, field('x', 253)), pkt(3, eof()), pkt(4, [0]), pkt(5, [0xfd, 3, 0, 0], 'abc'),
    pkt(6, [0xfe, 2, 0, 0, 0, 0, 0, 0, 0], 'hi'), pkt(7, [0xfe, 0, 0, 0x0a, 0, 0])]));
  for (const response of [[0xfe], [0xfe, 1, 0, 2], [0xfe, 1, 2, 3, 4, 5], [0xfe, 1, 2, 3, 4, 5, 6], [0xff, ...le16(1045)], [0, 1, 2, 0x0a, 0, 1, 0, ...Buffer.from('info')]]) {
    c.fromClient(pkt(0, [3], 'x'));
    c.fromServer(pkt(1, response));
  }
  for (const request of [[7, 5], [8, 0], [27, 1], [13], [5, ...Buffer.from('db1')], [6, ...Buffer.from('db1')], [26, ...le32(3)], [31], [99, 1, 2], [99]]) {
    c.fromClient(pkt(0, request));
    c.fromServer(pkt(1, OK));
  }
  c.fromClient(pkt(0, [28], le32(3), le32(10)));
  c.fromClient(pkt(0, [10]));
  c.fromServer(Buffer.concat([pkt(1, [1]), pkt(2, field('Id', 8)), pkt(3, eof()), pkt(4, lenc('1')), pkt(5, eof())]));
  c.fromClient(pkt(0, [18], le32(4), le16(0), le32(2), 'binlog.000001'));
  c.fromClient(pkt(0, [21], le32(2), [4], 'host', [1], 'u', [0], le16(3306), le32(0), le32(1)));
  c.fromClient(pkt(0, [19], 'x'));
  // The header of a packet split over three segments.
  const three = Buffer.concat([pkt(0, [3], 'select 1'), pkt(0, [3], 'select 22'), pkt(0, [14])]);
  c.fromClient(three.subarray(0, 14));
  c.fromClient(three.subarray(14, 20));
  c.fromClient(three.subarray(20));
  // A greeting that is an error; a MariaDB server and client; a server and client before 4.1.
  c = connection(cap);
  c.fromServer(pkt(0, [0xff], le16(1130), "Host '10.0.0.1' is not allowed"));
  c = connection(cap);
  c.fromServer(pkt(0, [10], z('5.5.5-10.6.12-MariaDB'), le32(42), z('abcdefgh'), le16(0xf7fe), [45], le16(2), le16(0x81ff), [21], Buffer.alloc(6), le32(0x1d), z('ijklmnopqrst'), z('mysql_native_password')));
  c.fromClient(pkt(1, le16(0xa284), le16(0x81ff), le32(16777216), [45], Buffer.alloc(19), le32(0x1d), z('bob'), [20], Buffer.alloc(20, 1), z('mysql_native_password')));
  c.fromServer(pkt(2, OK));
  c = connection(cap);
  c.fromServer(greeting('4.1.22', 0x822c, 0, 255));
  c.fromClient(pkt(1, le16(0x2285), le16(0), le32(1 << 24), [8], Buffer.alloc(23), z('old'), z('pwd')));
  c.fromServer(pkt(2, OK));
  c.fromClient(pkt(0, [3], 'show tables'));
  c.fromServer(Buffer.concat([pkt(1, [1]), pkt(2, field('Tables', 253)), pkt(3, eof()), pkt(4, lenc('t1')), pkt(5, lenc('')), pkt(6, eof())]));
  // Session tracking, query attributes with values, a streamed parameter, an unknown response.
  c = connection(cap);
  c.fromServer(greeting('8.0.32', 0xf7ff, 0xcfff, 255));
  c.fromClient(pkt(1, le16(0xa685), le16(0x0887), le32(16777216), [33], Buffer.alloc(23), z('bob'), [0]));
  const track = Buffer.concat([Buffer.from([0]), lenc(Buffer.concat([lenc('autocommit'), lenc('OFF')]).toString('latin1')),
    Buffer.from([1]), lenc(lenc('db9').toString('latin1')), Buffer.from([2]), lenc('1')]);
  c.fromServer(pkt(2, [0, 0, 0], le16(0x4002), le16(0), lenc('hello'), lenc(track.toString('latin1'))));
  c.fromClient(pkt(0, [3], [1, 1], [0], [1], [253, 0], lenc('p1'), lenc('v1'), 'select 1'));
  c.fromServer(pkt(1, OK));
  c.fromClient(pkt(0, [22], 'select ?'));
  c.fromServer(Buffer.concat([pkt(1, [0], le32(1), le16(0), le16(1), [0], le16(0)), pkt(2, field('?', 253))]));
  c.fromClient(pkt(0, [24], le32(1), le16(0), 'blob'));
  c.fromClient(pkt(0, [23], le32(1), [0], le32(1), [0], [1], [253, 0], lenc('abc')));
  c.fromServer(pkt(1, OK));
  // Every column type's binary value, signed and unsigned (tshark 4.0 reads some of them).
  c = connection(cap);
  c.fromServer(greeting('8.0.32', 0xf7ff, 0xc7ff, 255));
  c.fromClient(pkt(1, le16(0xa685), le16(0), le32(16777216), [33], Buffer.alloc(23), z('bob'), [0]));
  c.fromServer(pkt(2, OK));
  for (const type of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 246, 252, 253, 254, 255]) {
    for (const flags of [0, 0x20]) {
      c.fromClient(pkt(0, [23], le32(1), [0], le32(1)));
      c.fromServer(Buffer.concat([pkt(1, [1]), pkt(2, field('f', type, 63, flags)), pkt(3, eof()), pkt(4, [0, 0], [7], 'EFGHIJKLMNOPQ'), pkt(5, eof())]));
    }
  }
}

/** Every collation id tshark 4.0 names: in column definitions (MySQL's list) and a MariaDB client's charset. */
function collations(cap: CaptureBuilder): void {
  let c = connection(cap);
  c.fromServer(greeting('8.0.32', 0xf7ff, 0xc7ff, 255));
  c.fromClient(pkt(1, le16(0xa685), le16(0), le32(16777216), [33], Buffer.alloc(23), z('bob'), [0]));
  c.fromServer(pkt(2, OK));
  c.fromClient(pkt(0, [3], 'q'));
  const columns = [pkt(1, [0xfc, ...le16(320)])];
  for (let id = 0; id < 320; id++) columns.push(pkt((id + 2) & 255, field('f', id & 0xff, id)));
  c.fromServer(Buffer.concat(columns));
  c = connection(cap);
  c.fromServer(pkt(0, [10], z('5.5.5-10.6.12-MariaDB'), le32(42), z('abcdefgh'), le16(0xf7fe), [45], le16(2), le16(0x81ff), [21], Buffer.alloc(6), le32(0x1d), z('ijklmnopqrst'), z('x')));
  c.fromClient(pkt(1, le16(0xa685), le16(0), le32(16777216), [45], Buffer.alloc(23), z('bob'), [0]));
  c.fromServer(pkt(2, OK));
  c.fromClient(Buffer.concat(Array.from({ length: 256 }, (_, id) => pkt(0, [17], z('a'), [0], z('d'), le16(id)))));
}

const { capture } = writtenCaptures('synscope-mysql-', {
  'session.pcap': () => {
    const cap = new CaptureBuilder();
    session(cap, false);
    session(cap, true);
    return cap;
  },
  'edges.pcap': () => {
    const cap = new CaptureBuilder();
    edges(cap);
    return cap;
  },
  'collations.pcap': () => {
    const cap = new CaptureBuilder();
    collations(cap);
    return cap;
  },
});

const dir = mkdtempSync(join(tmpdir(), 'synscope-mysql-corpus-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('read: MySQL as tshark shows it', () => {
  it('pcapplusplus/one_tcp_stream_fin_rst_close_packet.pcap: a greeting, and a PROXY header read as a packet of 5 MB that never completes', () =>
    expectLikeTshark(corpusPath('pcapplusplus/one_tcp_stream_fin_rst_close_packet.pcap'), MYSQL, 1));

  it('pcapplusplus/pcapng-example.pcapng: a MariaDB greeting, a login asking for SSL, then TLS', () =>
    // The file's X11 connections are a protocol SynScope does not have: editcap keeps MySQL's.
    expectLikeTshark(onlyPackets(corpusPath('pcapplusplus/pcapng-example.pcapng'), 'tcp.port == 3306', join(dir, 'mysql.pcapng')), MYSQL, 2));

  it('sessions of a MySQL 8 client: result sets, errors, prepared statements, a row over three segments, with and without CLIENT_DEPRECATE_EOF', () =>
    expectLikeTshark(capture('session.pcap'), MYSQL, 60));

  it('malformed and unusual packets, MariaDB and pre-4.1 peers, session tracking, query attributes, binary values', () =>
    expectLikeTshark(capture('edges.pcap'), MYSQL, 60));

  it('collation names', () => expectLikeTshark(capture('collations.pcap'), MYSQL, 4));
});

describe('MySQL frames dissected again show what the first pass showed', () => {
  for (const name of ['session.pcap', 'edges.pcap']) {
    it(name, () => {
      const [first, again] = bothWays(capture(name));
      expect(first.some((t) => t.includes('MySQL Protocol - row packet'))).toBe(true);
      expect(again).toEqual(first);
    });
  }
});

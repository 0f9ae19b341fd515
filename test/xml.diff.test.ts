// XML bodies as tshark 4.0 shows them (packet-xml.c on tvbparse): the <?xml ...?> declaration
// and its attributes, elements with their attributes, text and closing tags, comments, CDATA
// sections, DOCTYPEs with and without an internal subset, what is not well-formed (an unclosed
// tag, a closing tag with nothing open, text no rule takes, a comment or CDATA section that
// never ends) and labels past Wireshark's 240 bytes. XML comes by media type (text/xml,
// application/xml, the +xml types tshark registers) and from text that starts with "<?xml".
// On the corpus capture with XML and on responses built here, against tshark.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusPath } from './helpers/corpus.js';
import { httpExchanges, pcapFile, tcpFrame } from './helpers/pcap-build.js';
import { ours } from './helpers/text-protocol-diff.js';
import { FIELDS_ARGS, tsharkRaw } from './helpers/tshark.js';
import { tsharkVerbose } from './helpers/tshark-verbose.js';
import { sectionLines } from './helpers/verbose.js';

const XML = 'eXtensible Markup Language';
const XML_FIELDS = [
  'xml.tag', 'xml.attribute', 'xml.cdata', 'xml.unknown', 'xml.xmlpi', 'xml.xmlpi.xml', 'xml.xmlpi.xml.version',
  'xml.xmlpi.xml.encoding', 'xml.xmlpi.xml.standalone', 'xml.doctype', 'xml.comment', 'xml.cdatasection', 'xml.dtdtag',
];
const COLUMNS = ['-e', 'frame.number', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info', '-e', 'frame.protocols'];

/** The body sections of every packet's -V tree: XML, text lines, Media Type (with their children). */
function bodyLines(text: string, titles: readonly string[]): string[] {
  return titles.flatMap((t) => sectionLines(text, t));
}

async function expectSameAsTshark(file: string, opts: { titles?: string[]; columns?: string[]; fields?: boolean; filter?: string } = {}): Promise<void> {
  const titles = opts.titles ?? [XML];
  const theirs = tsharkVerbose(file).stdout;
  expect(sectionLines(theirs, titles[0]!).length).toBeGreaterThan(0);
  expect(bodyLines(await ours(file, ['-V']), titles)).toEqual(bodyLines(theirs, titles));
  const columns = [...FIELDS_ARGS, ...(opts.filter ? ['-Y', opts.filter] : []), ...(opts.columns ?? COLUMNS), ...(opts.fields === false ? [] : XML_FIELDS.flatMap((f) => ['-e', f])), '-e', '_ws.expert.message'];
  expect(await ours(file, columns)).toEqual(tsharkRaw(file, columns).stdout);
}

describe('read: XML as tshark shows it, on the corpus', () => {
  // Columns and fields of the XML packets only: others differ for reasons of their own (tshark-differences.md).
  it('pcapplusplus/many-protocols.pcap', () => expectSameAsTshark(corpusPath('pcapplusplus/many-protocols.pcap'), { filter: 'xml' }));
});

describe('read: XML bodies built here, against tshark', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synscope-xml-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const long = 'x'.repeat(300);
  const utf8 = (s: string) => Buffer.from(s, 'utf8');
  const bodies: Array<[type: string, body: Buffer]> = [
    ['text/xml', utf8('<?xml version="1.0" encoding=\'UTF-8\' standalone="yes"?>\n<root a="1" b=\'two\' c=3 d=name e="">\n  <child>text one</child>\n  <child x="y"/>\n  <!-- a comment -->\n  <![CDATA[ <raw> & stuff ]]>\n  <deep><deeper><deepest k="v">hi\nthere</deepest></deeper></deep>\n</root>\n')],
    ['application/xml', utf8('<!DOCTYPE note [\n<!ELEMENT note (to)>\n<!ATTLIST note id CDATA #IMPLIED>\n]>\n<note id="n1"><to>Tove</to></note>')],
    // an unclosed <p> and <br>: their closing lines go to the innermost open element
    ['application/xml', utf8('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n<html><body><p>unclosed<br></body></html>')],
    // closing tags with nothing open, a backslash-quote inside a value (the tag is not one then)
    ['text/xml', utf8('<a><b>text</a></b></c><d x="a\\"b">q</d>')],
    ['text/xml', utf8('not xml at all, just words < and > here')],
    ['text/xml', utf8('<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><m:Get xmlns:m="urn:x"/></soap:Body></soap:Envelope>')],
    // another processing instruction; labels past 240 bytes, with the ">" or "/>" appended to one
    ['text/xml', utf8(`<?foo bar="1" baz='2'?><?xml version="1.0"?><t attr="${long}">${long}</t><u v="${long}"/><w>${'y'.repeat(250)}</w>`)],
    // <?XML is no declaration tshark knows; UTF-8 text, control characters, bytes that are not UTF-8
    ['text/xml', Buffer.concat([utf8('<?XML version="1.0"?><a>\u00e9t\u00e9 \u4e2d\u6587 \x01\x7f tab\there\r\n</a><b>'), Buffer.from([0xff, 0xfe]), utf8('</b>')])],
    ['text/xml', utf8('<a x="1" y = "2" >< b >t</ b ><!-- unterminated comment <c/>')],
    ['text/xml', utf8('<a><![CDATA[ unterminated <b/> </a>')],
    ['text/xml', utf8('<!DOCTYPE x SYSTEM "x.dtd"><x/>]>stray</y>')],
    // text that is really XML goes from the line-based dissector to XML; other text stays text
    ['text/plain', utf8('<?xml version="1.0" encoding="UTF-8"?><a x="1">plain text that is xml</a>')],
    ['text/html', utf8('<?xml version="1.0"?><html><body>xhtml served as html</body></html>')],
    ['text/plain', utf8('<?xml short?>')],
    ['text/plain', utf8('plain text\nnot xml\n')],
    // +xml types tshark does not register go to Media Type
    ['application/foo+xml', utf8('<a/>')],
    ['application/xhtml+xml', utf8('<html/>')],
    ['application/soap+xml', utf8('<a>x</a>junk<b')],
    ['image/svg+xml', utf8('<svg width="10" height="10"><rect x="0"/></svg>')],
    ['application/atom+xml', utf8('<feed><entry><title>t</title></entry></feed>')],
    ['application/x-wms-logplaystats', utf8('<stats n="1"/>')],
  ];

  it('the trees, columns and xml.* fields of every response', async () => {
    const file = join(dir, 'xml.pcap');
    writeFileSync(file, httpExchanges(bodies.map(([t, body]) => ({ headers: `Content-Type: ${t}\r\n`, body }))));
    await expectSameAsTshark(file, { titles: [XML, 'Line-based text data', 'Media Type'] });
  });

  it('the types tshark gives a DTD protocol of its own: its name on the root item, its column', async () => {
    const file = join(dir, 'dtd.pcap');
    const types = ['application/smil', 'application/cpim-pidf+xml', 'application/mediaservercontrol+xml'];
    writeFileSync(file, httpExchanges(types.map((t) => ({ headers: `Content-Type: ${t}\r\n`, body: utf8('<doc v="1"><part/></doc>') }))));
    // Only the tree and the columns: tshark files these documents' items under the DTD's fields.
    await expectSameAsTshark(file, { titles: ['Synchronized Multimedia', 'presence XML doc', 'Media Server Control'], fields: false });
  });

  it('a body cut by the capture: XML shows what was captured', async () => {
    const body = '<?xml version="1.0"?><items><item id="1">first</item><item id="2">second</item><item id="3">third</item></items>';
    const res = `HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const records = [90, 70, 40].map((cut, i) => {
      const full = tcpFrame(false, 5000 + i * 1000, 1000, 0x18, res);
      return { sec: 1_700_000_000 + i, frac: 0, data: full.subarray(0, full.length - cut), origLen: full.length };
    });
    const file = join(dir, 'cut.pcap');
    writeFileSync(file, pcapFile(records));
    // Info is left out: tshark's HTTP adds "[Packet size limited during capture]" after the body (an HTTP gap).
    await expectSameAsTshark(file, { columns: ['-e', 'frame.number', '-e', '_ws.col.Protocol', '-e', 'frame.protocols'] });
  });
});

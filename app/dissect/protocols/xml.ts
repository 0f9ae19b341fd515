// eXtensible Markup Language as tshark 4.0's packet-xml.c shows a message body: not a
// validating parser but a tokenizer (epan/tvbparse.c) whose tokens drive a stack of open
// elements. Each element is an item "<name" with its attributes as child lines (name="value",
// the last one taking the ">" or "/>"), its text and child elements under it, and its closing
// tag as its last line; the <?xml ...?> declaration likewise, with "?>" as its last line.
// Comments, CDATA sections, DOCTYPEs and DTD declarations are lines of their own; text that
// fits no rule is "Unrecognized text", a closing tag with nothing open "Closing an unopened
// tag". The tokenizer's quirks are tshark's: white space between the parts of a construct is
// skipped, an attribute value is a quoted string, a number or a name, a quoted string is one
// run of other characters (a backslash-quote is taken only at its start), text runs up to the
// next "<" with its trailing white space. The tree follows the tokens, so it shows what tshark
// shows even for a body that is not well-formed or is cut short.
//
// Not here: the namespaces tshark builds from its DTD files (/usr/share/wireshark/dtds: the
// elements of rss, smil, presence, ... documents get fields of their own there, xml.tag and
// xml.cdata here; see docs/tshark-differences.md), the heuristics tshark leaves disabled, and
// character sets other than UTF-8.
import { defineFields, type FieldDef } from '../field.js';
import { defineProtocol, MEDIA_TYPE_SCRATCH, registerDissector, registerMediaType } from '../dispatch.js';
import { appendedLabel, printableText } from '../format.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';

export const xmlFields = defineFields([
  { name: 'xml.xmlpi', label: 'XMLPI', type: 'string' },
  { name: 'xml.cdatasection', label: 'CDATASection', type: 'string' },
  { name: 'xml.comment', label: 'Comment', type: 'string' },
  { name: 'xml.attribute', label: 'Attribute', type: 'string' },
  { name: 'xml.doctype', label: 'Doctype', type: 'string' },
  { name: 'xml.dtdtag', label: 'DTD Tag', type: 'string' },
  { name: 'xml.cdata', label: 'CDATA', type: 'string' },
  { name: 'xml.tag', label: 'Tag', type: 'string' },
  { name: 'xml.unknown', label: 'Unknown', type: 'string' },
  { name: 'xml.xmlpi.xml', label: 'xml.xmlpi.xml', type: 'string' },
  { name: 'xml.xmlpi.xml.encoding', label: 'encoding', type: 'string' },
  { name: 'xml.xmlpi.xml.version', label: 'version', type: 'string' },
  { name: 'xml.xmlpi.xml.standalone', label: 'standalone', type: 'string' },
] as const);
const F = xmlFields;

// ---- The tokenizer: tvbparse's combinators, with its rules for lengths and skipped space ----

/** What a token is, where the XML rules look at it (tvbparse's token ids). */
type TokenKind = 'comment' | 'cdatasection' | 'dtdtag' | 'text' | 'scoped' | 'other';

/** A matched token: its range, the rule that matched, and the tokens it is made of. */
interface Token {
  rule: Rule;
  kind: TokenKind;
  offset: number;
  len: number;
  sub: Token | null;
  next: Token | null;
  last: Token | null;
  /** An attribute value's inner token (get_attrib_value). */
  data: Token | null;
}

type Action = (s: XmlState, tok: Token) => void;
interface Match {
  consumed: number;
  tok: Token;
}
interface Rule {
  /** The least bytes the rule needs (tvbparse's wanted->len: checked before trying it). */
  len: number;
  kind: TokenKind;
  match: (t: Tokenizer, offset: number) => Match | null;
  before?: Action;
  after?: Action;
}
interface RuleOptions {
  kind?: TokenKind;
  before?: Action;
  after?: Action;
}

class Tokenizer {
  constructor(readonly b: Uint8Array, readonly end: number) {}

  /** The white space tvbparse skips before a token and after each part of a sequence. */
  skipSpace(offset: number): number {
    let o = offset;
    while (o < this.end && isSpace(this.b[o]!)) o++;
    return o - offset;
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

function token(rule: Rule, kind: TokenKind, offset: number, len: number): Token {
  const t: Token = { rule, kind, offset, len, sub: null, next: null, last: null, data: null };
  t.last = t;
  return t;
}

function rule(len: number, o: RuleOptions, match: (r: Rule) => Rule['match']): Rule {
  const r: Rule = { len, kind: o.kind ?? 'other', match: () => null, before: o.before, after: o.after };
  r.match = match(r);
  return r;
}

/** One byte from `set`. */
function oneChar(set: string, o: RuleOptions = {}): Rule {
  return rule(1, o, (r) => (t, at) => {
    if (at + 1 > t.end || !set.includes(String.fromCharCode(t.b[at]!))) return null;
    return { consumed: 1, tok: token(r, r.kind, at, 1) };
  });
}

/** A run of bytes accepted by `accept` (at least one). */
function run(accept: (c: number) => boolean, o: RuleOptions = {}): Rule {
  return rule(0, o, (r) => (t, at) => {
    if (at + 1 > t.end) return null;
    let e = at;
    while (e < t.end && accept(t.b[e]!)) e++;
    return e === at ? null : { consumed: e - at, tok: token(r, r.kind, at, e - at) };
  });
}

const inSet = (set: string) => (c: number) => set.includes(String.fromCharCode(c));
const notInSet = (set: string) => (c: number) => !set.includes(String.fromCharCode(c));

/** The bytes of `s`, compared exactly or (`caseless`) ASCII case-insensitively. */
function literal(s: string, o: RuleOptions = {}, caseless = false): Rule {
  const want = caseless ? s.toLowerCase() : s;
  return rule(s.length, o, (r) => (t, at) => {
    if (at + s.length > t.end) return null;
    for (let i = 0; i < s.length; i++) {
      let c = t.b[at + i]!;
      if (caseless && c >= 0x41 && c <= 0x5a) c |= 0x20;
      if (c !== want.charCodeAt(i)) return null;
    }
    return { consumed: s.length, tok: token(r, r.kind, at, s.length) };
  });
}

/** The first of `rules` that matches, wrapped in a token of its own. */
function oneOf(rules: readonly Rule[], o: RuleOptions = {}): Rule {
  return rule(0, o, (r) => (t, at) => {
    if (at > t.end) return null;
    for (const w of rules) {
      if (at + w.len > t.end) continue;
      const m = w.match(t, at);
      if (!m) continue;
      const tok = token(r, r.kind, m.tok.offset, m.tok.len);
      tok.sub = m.tok;
      return { consumed: m.consumed, tok };
    }
    return null;
  });
}

/**
 * A sequence's token with one more part `e`: the first part starts it, a later one stretches
 * it to its end (an empty part, none) and is chained after the others.
 */
function extend(tok: Token | null, r: Rule, e: Token): Token {
  if (!tok) {
    const first = token(r, r.kind, e.offset, e.len);
    first.sub = e;
    e.last = e;
    return first;
  }
  if (e.len) tok.len = e.offset - tok.offset + e.len;
  tok.sub!.last!.next = e;
  tok.sub!.last = e;
  return tok;
}

/** `rules` one after the other, white space skipped after each (not part of the token's length). */
function seq(rules: readonly Rule[], o: RuleOptions = {}): Rule {
  return rule(0, o, (r) => (t, start) => {
    if (start > t.end) return null;
    let at = start;
    let tok: Token | null = null;
    for (const w of rules) {
      if (at + w.len > t.end) return null;
      const m = w.match(t, at);
      if (!m) return null;
      tok = extend(tok, r, m.tok);
      at += m.consumed;
      at += t.skipSpace(at);
    }
    return tok ? { consumed: at - start, tok } : null;
  });
}

/** `item` once or more (tvbparse_one_or_more). */
function oneOrMore(item: Rule): Rule {
  return rule(0, {}, (r) => (t, start) => {
    if (start > t.end) return null;
    let at = start;
    let tok: Token | null = null;
    for (;;) {
      if (at > t.end) return null;
      const m = item.match(t, at);
      if (!m) break;
      tok = extend(tok, r, m.tok);
      at += m.consumed;
    }
    return tok ? { consumed: at - start, tok } : null;
  });
}

/**
 * Everything up to and including `stop` (TP_UNTIL_INCLUDE). As tvbparse, the search gives up
 * one byte early: it tries `stop` at each offset while the next offset leaves two bytes.
 */
function until(stop: Rule): Rule {
  return rule(0, {}, (r) => (t, at) => {
    if (at + stop.len > t.end) return null;
    let target = at;
    let m: Match | null;
    do m = stop.match(t, target++);
    while (!m && target + 1 < t.end);
    if (!m) return null;
    const tok = m.tok;
    tok.rule = r;
    tok.kind = r.kind;
    tok.next = null;
    tok.last = null;
    tok.offset = at;
    tok.len = target - at - 1 + m.consumed;
    return { consumed: tok.len, tok };
  });
}

/** The token without its quotes (tvbparse_shrink_token_cb). */
const shrink: Action = (_s, tok) => {
  tok.offset += 1;
  tok.len -= 2;
};

/** tvbparse_quoted: a quote, then one escaped quote or one run of other bytes, then the quote; or two quotes. */
function quoted(q: string): Rule {
  const quote = oneChar(q);
  const inner = oneOf([literal(`\\${q}`), run(notInSet(q))]);
  return oneOf([seq([quote, seq([inner]), quote]), seq([quote, quote])], { after: shrink });
}

/** Runs the rules' actions over a token tree in tvbparse's order: before, the parts, after. */
function runActions(s: XmlState, root: Token): void {
  const stack: Token[] = [];
  let curr: Token | null = root;
  while (curr) {
    curr.rule.before?.(s, curr);
    if (curr.sub) {
      stack.push(curr);
      curr = curr.sub;
      continue;
    }
    curr.rule.after?.(s, curr);
    curr = curr.next;
    while (!curr && stack.length > 0) {
      curr = stack.pop()!;
      curr.rule.after?.(s, curr);
      curr = curr.next;
    }
  }
}

// ---- The XML rules and what each token adds to the tree ----

/** The fields of a kind of element (Wireshark's xml_ns_t), as far as SynScope has them. */
interface Namespace {
  tag: FieldDef;
  cdata: FieldDef;
  /** Attribute name (lowercase) -> its field; others are xml.attribute. */
  attributes: ReadonlyMap<string, FieldDef>;
}

/** Text at the top level and in a DOCTYPE (xml_ns's cdata field). */
const ROOT_NS: Namespace = { tag: F['xml.tag'], cdata: F['xml.unknown'], attributes: new Map() };
/** Every element (unknown_ns: SynScope has no DTD namespaces). */
const ELEMENT_NS: Namespace = { tag: F['xml.tag'], cdata: F['xml.cdata'], attributes: new Map() };
/** The <?xml ...?> declaration's attributes. */
const XMLPI_NS: Namespace = {
  tag: F['xml.xmlpi.xml'], cdata: F['xml.unknown'],
  attributes: new Map([['version', F['xml.xmlpi.xml.version']], ['encoding', F['xml.xmlpi.xml.encoding']], ['standalone', F['xml.xmlpi.xml.standalone']]]),
};

/** An open element, declaration or DOCTYPE: its item, the item a ">" goes to, where it starts. */
interface Frame {
  node: FieldNode;
  lastItem: FieldNode;
  start: number;
  ns: Namespace | null;
}

interface XmlState {
  ctx: PacketContext;
  tvb: Tvb;
  bytes: Uint8Array;
  stack: Frame[];
}

const utf8 = new TextDecoder('utf-8');

function top(s: XmlState): Frame {
  return s.stack[s.stack.length - 1]!;
}

/** The bytes as tvb_format_text shows them. */
function shown(s: XmlState, offset: number, len: number): string {
  return printableText(utf8.decode(s.bytes.subarray(offset, offset + len)));
}

/** An FT_STRING item's value: the bytes as UTF-8. */
function value(s: XmlState, offset: number, len: number): string {
  return utf8.decode(s.bytes.subarray(offset, offset + len));
}

function addItem(s: XmlState, parent: FieldNode, field: FieldDef, offset: number, len: number, text: string): FieldNode {
  return s.ctx.add(parent, field, s.tvb, offset, len, value(s, offset, len), text);
}

/**
 * proto_item_append_text on an item whose text was set: a label past Wireshark's buffer was
 * cut and marked when it was set, and what is appended fills the buffer's last bytes only.
 */
function appendText(s: XmlState, node: FieldNode, suffix: string): void {
  if (!s.ctx.isPlaceholder(node)) s.ctx.setText(node, appendedLabel(node, suffix));
}

/** Drops the innermost frame; with only the document's own left, tshark's error item instead. */
function pop(s: XmlState, tok: Token, message = 'Closing an unopened tag'): void {
  if (s.stack.length > 1) {
    s.stack.pop();
    return;
  }
  const item = s.ctx.addText(top(s).node, s.tvb, tok.offset, tok.len, message);
  s.ctx.addExpert(item, 'error', 'malformed', message);
}

function push(s: XmlState, node: FieldNode, start: number, ns: Namespace | null): void {
  s.stack.push({ node, lastItem: node, start, ns });
}

/** A line of its own: text, a comment, a CDATA section, a DTD declaration (after_token). */
const afterToken: Action = (s, tok) => {
  const f = top(s);
  const field = tok.kind === 'text' ? (f.ns ?? ROOT_NS).cdata
    : tok.kind === 'comment' ? F['xml.comment'] : tok.kind === 'cdatasection' ? F['xml.cdatasection']
      : tok.kind === 'dtdtag' ? F['xml.dtdtag'] : ROOT_NS.cdata;
  addItem(s, f.node, field, tok.offset, tok.len, shown(s, tok.offset, tok.len));
};

/** "<?name": the declaration's item (the whole of it), labelled up to its name. */
const beforeXmlpi: Action = (s, tok) => {
  const name = tok.sub!.next!;
  const ns = value(s, name.offset, name.len) === 'xml' ? XMLPI_NS : null;
  const node = addItem(s, top(s).node, ns ? ns.tag : F['xml.xmlpi'], tok.offset, tok.len, shown(s, tok.offset, name.offset - tok.offset + name.len));
  push(s, node, tok.offset, ns);
};

const afterXmlpi: Action = (s, tok) => {
  s.ctx.addText(top(s).node, s.tvb, tok.offset, tok.len, shown(s, tok.offset, tok.len));
  pop(s, tok, 'Closing an unopened xmpli tag');
};

/** "<name": the element's item, over its opening tag until its closing tag is seen. */
const beforeTag: Action = (s, tok) => {
  const name = tok.sub!.next!;
  const node = addItem(s, top(s).node, ELEMENT_NS.tag, tok.offset, tok.len, shown(s, tok.offset, name.offset - tok.offset + name.len));
  push(s, node, tok.offset, ELEMENT_NS);
};

const afterOpenTag: Action = (s) => appendText(s, top(s).lastItem, '>');

const afterEmptyTag: Action = (s, tok) => {
  appendText(s, top(s).lastItem, '/>');
  pop(s, tok);
};

/** "</name>": the line under the innermost open element, which now ends here. */
const afterClosingTag: Action = (s, tok) => {
  const f = top(s);
  s.ctx.setLength(f.node, tok.offset - f.start + tok.len);
  s.ctx.addText(f.node, s.tvb, tok.offset, tok.len, shown(s, tok.offset, tok.len));
  pop(s, tok);
};

/** "<!DOCTYPE name ...": an item over the name, labelled with the whole declaration. */
const beforeDoctype: Action = (s, tok) => {
  const name = tok.sub!.next!.next!.next!.sub!.sub!;
  const node = addItem(s, top(s).node, F['xml.doctype'], name.offset, name.len, shown(s, tok.offset, tok.len));
  push(s, node, tok.offset, null);
};

const popFrame: Action = (s, tok) => pop(s, tok);

/** "]>": the end of a DOCTYPE's internal subset. */
const afterDtdClose: Action = (s, tok) => {
  s.ctx.addText(top(s).node, s.tvb, tok.offset, tok.len, shown(s, tok.offset, tok.len));
  pop(s, tok);
};

const attributeValue: Action = (_s, tok) => {
  tok.data = tok.sub;
};

/** name="value": a line under its element; a known attribute's item covers its value only. */
const afterAttribute: Action = (s, tok) => {
  const f = top(s);
  const nameTok = tok.sub!;
  const valueTok = nameTok.next!.next!.data!;
  const known = f.ns?.attributes.get(value(s, nameTok.offset, nameTok.len).toLowerCase());
  const item = known
    ? addItem(s, f.node, known, valueTok.offset, valueTok.len, shown(s, tok.offset, tok.len))
    : addItem(s, f.node, F['xml.attribute'], tok.offset, tok.len, shown(s, tok.offset, tok.len));
  f.lastItem = item;
};

const unrecognized: Action = (s, tok) => {
  const item = s.ctx.addText(top(s).node, s.tvb, tok.offset, tok.len, 'Unrecognized text');
  s.ctx.addExpert(item, 'warn', 'protocol', 'Unrecognized text');
};

const NAME_CHARS = 'abcdefghijklmnopqrstuvwxyz.-_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const SPACE = ' \t\r\n';

/** packet-xml.c's grammar (init_xml_parser), in its order of preference. */
const GRAMMAR = ((): Rule => {
  const name = run(inSet(NAME_CHARS));
  const attrName = run(inSet(NAME_CHARS + ':'));
  const scopedName = seq([name, oneChar(':'), name], { kind: 'scoped' });
  const tagName = oneOf([scopedName, name]);
  const attrValue = oneOf([quoted('"'), quoted("'"), run(inSet('0123456789')), name], { after: attributeValue });
  const attributes = oneOrMore(seq([attrName, oneChar('='), attrValue], { after: afterAttribute }));
  const stopTag = oneOf([oneChar('>', { after: afterOpenTag }), literal('/>', { after: afterEmptyTag })]);
  const stopXmlpi = literal('?>', { after: afterXmlpi });
  const comment = seq([literal('<!--'), until(literal('-->'))], { kind: 'comment', after: afterToken });
  const cdataSection = seq([literal('<![CDATA['), until(literal(']]>'))], { kind: 'cdatasection', after: afterToken });
  const xmlpi = seq([literal('<?'), name, oneOf([stopXmlpi, seq([attributes, stopXmlpi])])], { before: beforeXmlpi });
  const closingTag = seq([oneChar('<'), oneChar('/'), tagName, oneChar('>')], { after: afterClosingTag });
  const doctype = seq([
    oneChar('<'), oneChar('!'), literal('DOCTYPE', {}, true),
    oneOf([
      seq([name, oneChar('[')]),
      seq([name, oneOf([literal('PUBLIC', {}, true), literal('SYSTEM', {}, true)]), until(oneChar('>'))], { after: popFrame }),
    ]),
  ], { before: beforeDoctype });
  const dtdClose = seq([oneChar(']'), oneChar('>')], { after: afterDtdClose });
  const dtdTag = seq([oneChar('<'), oneChar('!'), until(oneChar('>'))], { kind: 'dtdtag', after: afterToken });
  const tag = seq([oneChar('<'), tagName, oneOf([seq([attributes, stopTag]), stopTag])], { before: beforeTag });
  return oneOf([
    comment, cdataSection, xmlpi, closingTag, doctype, dtdClose, dtdTag, tag,
    run(notInSet('<'), { kind: 'text', after: afterToken }),
    run(notInSet(SPACE), { after: unrecognized }),
  ]);
})();

/**
 * The media types whose documents tshark 4.0 dissects as a protocol of its own, from its DTD
 * files: the root item's label and the Protocol column's suffix.
 */
const DTD_PROTOCOLS: ReadonlyMap<string, { label: string; column: string }> = new Map([
  ['application/mediaservercontrol+xml', { label: 'Media Server Control Markup Language - draft 07', column: '/MEDIASERVERCONTROL' }],
  ['application/cpim-pidf+xml', { label: 'presence XML doc (RFC 3863)', column: '/PRESENCE' }],
  ['application/smil', { label: 'Synchronized Multimedia Integration Language', column: '/SMIL' }],
]);

function dissectXml(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  const mediaType = ctx.scratch[MEDIA_TYPE_SCRATCH] as string | undefined;
  const dtd = mediaType === undefined ? undefined : DTD_PROTOCOLS.get(mediaType);
  ctx.protocol += dtd ? dtd.column : '/XML';
  if (dtd) ctx.setText(node, dtd.label);
  const bytes = tvb.slice(0, tvb.length);
  const s: XmlState = { ctx, tvb, bytes, stack: [{ node, lastItem: node, start: 0, ns: ROOT_NS }] };
  const t = new Tokenizer(bytes, bytes.length);
  for (let at = 0; ;) {
    at += t.skipSpace(at);
    const m = GRAMMAR.match(t, at);
    if (!m) break;
    runActions(s, m.tok);
    at += m.consumed;
  }
}

export const xmlProtocol = defineProtocol('xml', 'eXtensible Markup Language', dissectXml);
registerDissector(xmlProtocol);

// The media types tshark 4.0 gives the XML dissector (each checked against tshark on an HTTP
// body); other +xml types (application/xhtml+xml, an unregistered application/foo+xml) go to
// Media Type.
for (const t of [
  'text/xml', 'text/vnd.wap.wml', 'text/vnd.wap.si', 'text/vnd.wap.sl', 'text/vnd.wap.co', 'text/vnd.wap.emn',
  'application/3gpp-ims+xml', 'application/atom+xml', 'application/auth-policy+xml', 'application/ccmp+xml',
  'application/conference-info+xml', 'application/cpim-pidf+xml', 'application/cpl+xml', 'application/dds-web+xml',
  'application/im-iscomposing+xml', 'application/load-control+xml', 'application/mathml+xml', 'application/media_control+xml',
  'application/note+xml', 'application/pidf+xml', 'application/pidf-diff+xml', 'application/poc-settings+xml',
  'application/rdf+xml', 'application/reginfo+xml', 'application/resource-lists+xml', 'application/rlmi+xml',
  'application/rls-services+xml', 'application/rss+xml', 'application/rs-metadata+xml', 'application/smil',
  'application/simple-filter+xml', 'application/simple-message-summary+xml', 'application/simservs+xml', 'application/soap+xml',
  'application/vnd.etsi.aoc+xml', 'application/vnd.etsi.cug+xml', 'application/vnd.etsi.iptvcommand+xml',
  'application/vnd.etsi.iptvdiscovery+xml', 'application/vnd.etsi.iptvprofile+xml', 'application/vnd.etsi.iptvsad-bc+xml',
  'application/vnd.etsi.iptvsad-cod+xml', 'application/vnd.etsi.iptvsad-npvr+xml', 'application/vnd.etsi.iptvservice+xml',
  'application/vnd.etsi.iptvsync+xml', 'application/vnd.etsi.iptvueprofile+xml', 'application/vnd.etsi.mcid+xml',
  'application/vnd.etsi.overload-control-policy-dataset+xml', 'application/vnd.etsi.pstn+xml', 'application/vnd.etsi.sci+xml',
  'application/vnd.etsi.simservs+xml', 'application/vnd.etsi.tsl+xml', 'application/vnd.oma.xdm-apd+xml', 'application/vnd.oma.fnl+xml',
  'application/vnd.oma.access-permissions-list+xml', 'application/vnd.oma.alias-principals-list+xml', 'application/upp-directory+xml',
  'application/vnd.oma.xdm-hi+xml', 'application/vnd.oma.xdm-rhi+xml', 'application/vnd.oma.xdm-prefs+xml', 'application/vnd.oma.xdcp+xml',
  'application/vnd.oma.bcast.associated-procedure-parameter+xml', 'application/vnd.oma.bcast.drm-trigger+xml',
  'application/vnd.oma.bcast.imd+xml', 'application/vnd.oma.bcast.notification+xml', 'application/vnd.oma.bcast.sgdd+xml',
  'application/vnd.oma.bcast.smartcard-trigger+xml', 'application/vnd.oma.bcast.sprov+xml', 'application/vnd.oma.cab-address-book+xml',
  'application/vnd.oma.cab-feature-handler+xml', 'application/vnd.oma.cab-pcc+xml', 'application/vnd.oma.cab-subs-invite+xml',
  'application/vnd.oma.cab-user-prefs+xml', 'application/vnd.oma.dd2+xml', 'application/vnd.oma.drm.risd+xml',
  'application/vnd.oma.group-usage-list+xml', 'application/vnd.oma.pal+xml', 'application/vnd.oma.poc.detailed-progress-report+xml',
  'application/vnd.oma.poc.final-report+xml', 'application/vnd.oma.poc.groups+xml', 'application/vnd.oma.poc.invocation-descriptor+xml',
  'application/vnd.oma.poc.optimized-progress-report+xml', 'application/vnd.oma.scidm.messages+xml', 'application/vnd.oma.suppnot+xml',
  'application/vnd.oma.xcap-directory+xml', 'application/vnd.omads-email+xml', 'application/vnd.omads-file+xml',
  'application/vnd.omads-folder+xml', 'application/vnd.3gpp.access-transfer-events+xml', 'application/vnd.3gpp.bsf+xml',
  'application/vnd.3gpp.comm-div-info+xml', 'application/vnd.3gpp.cw+xml', 'application/vnd.3gpp.iut+xml',
  'application/vnc.3gpp.iut-config+xml', 'application/vnd.3gpp.mcptt-info+xml', 'application/vnd.3gpp.mcptt-mbms-usage-info+xml',
  'application/vnd.3gpp.mcptt-location-info+xml', 'application/vnd.3gpp.mcptt-affiliation-command+xml',
  'application/vnd.3gpp.mcptt-floor-request+xml', 'application/vnd.3gpp.mcptt-signed+xml', 'application/vnd.3gpp.mcptt-regroup+xml',
  'application/vnd.3gpp.mcdata-info+xml', 'application/vnd.3gpp.mcdata-mbms-usage-info+xml', 'application/vnd.3gpp.mcdata-location-info+xml',
  'application/vnd.3gpp.mcdata-affiliation-command+xml', 'application/vnd.3gpp.mcdata-regroup+xml', 'application/vnd.3gpp.mcvideo-info+xml',
  'application/vnd.3gpp.mcvideo-mbms-usage-info+xml', 'application/vnd.3gpp.mcvideo-location-info+xml',
  'application/vnd.3gpp.mcvideo-affiliation-command+xml', 'application/vnd.3gpp.transmission-request+xml',
  'application/vnd.3gpp.mcptt-ue-init-config+xml', 'application/vnd.3gpp.mcptt-ue-config+xml', 'application/vnd.3gpp.mcptt-user-profile+xml',
  'application/vnd.3gpp.mcptt-service-config+xml', 'application/vnd.3gpp.mcdata-service-config+xml',
  'application/vnd.3gpp.mcvideo-service-config+xml', 'application/vnd.3gpp.mcvideo-ue-config+xml',
  'application/vnd.3gpp.mcvideo-user-profile+xml', 'application/vnd.3gpp.mcdata-ue-config+xml', 'application/vnd.3gpp.mcdata-user-profile+xml',
  'application/vnd.3gpp.mid-call+xml', 'application/vnd.3gpp-prose-pc3ch+xml', 'application/vnd.3gpp-prose+xml',
  'application/vnd.3gpp.replication+xml', 'application/vnd.3gpp.sms+xml', 'application/vnd.3gpp.srvcc-info+xml',
  'application/vnd.3gpp.srvcc-ext+xml', 'application/vnd.3gpp.state-and-event-info+xml', 'application/vnd.3gpp.ussd+xml',
  'application/vnd.3gpp2.bcmcsinfo+xml', 'application/vnd.wv.csp+xml', 'application/vnd.wv.csp.xml', 'application/watcherinfo+xml',
  'application/xcap-att+xml', 'application/xcap-caps+xml', 'application/xcap-diff+xml', 'application/xcap-el+xml',
  'application/xcap-error+xml', 'application/xcap-ns+xml', 'application/xml', 'application/xml-dtd', 'application/xpidf+xml',
  'application/xslt+xml', 'application/x-crd+xml', 'application/x-wms-logconnectstats', 'application/x-wms-logplaystats',
  'application/x-wms-sendevent', 'image/svg+xml', 'message/imdn+xml', 'application/mediaservercontrol+xml',
]) registerMediaType(t, xmlProtocol);

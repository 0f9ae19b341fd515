// Internet Message Format (RFC 5322), as tshark 4.0's packet-imf.c shows a mail message that
// SMTP (smtp.ts) put together: each header field an item of its own field (imf.from, imf.subject,
// ...; unknown ones as "Unknown-Extension"), address fields split into their items, display
// names and addresses, the Content-Type split into type and parameters. The body goes to the
// dissector of its media type (multipart.ts, text lines, ...) when the Content-Type has
// parameters, as tshark's does; otherwise its lines are shown as Message-Text. The Protocol column
// gets "/IMF" after the carrier's name, Info the From and Subject fields.
import { defineFields, type FieldDef } from '../field.js';
import { decodeBase64 } from '../base64.js';
import { callProtocol, defineProtocol, lookupMediaType, MEDIA_PARAMETERS_SCRATCH, MEDIA_TYPE_SCRATCH, registerDissector } from '../dispatch.js';
import { appendedLabel, printableText } from '../format.js';
import { findLineEnd } from '../text-line.js';
import { findFieldEnd } from '../mime-header.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import { Tvb } from '../tvb.js';

export const imfFields = defineFields([
  { name: 'imf.date', label: 'Date', type: 'string' },
  { name: 'imf.from', label: 'From', type: 'string' },
  { name: 'imf.sender', label: 'Sender', type: 'string' },
  { name: 'imf.reply_to', label: 'Reply-To', type: 'string' },
  { name: 'imf.to', label: 'To', type: 'string' },
  { name: 'imf.cc', label: 'Cc', type: 'string' },
  { name: 'imf.bcc', label: 'Bcc', type: 'string' },
  { name: 'imf.message_id', label: 'Message-ID', type: 'string' },
  { name: 'imf.in_reply_to', label: 'In-Reply-To', type: 'string' },
  { name: 'imf.references', label: 'References', type: 'string' },
  { name: 'imf.subject', label: 'Subject', type: 'string' },
  { name: 'imf.comments', label: 'Comments', type: 'string' },
  { name: 'imf.user_agent', label: 'User-Agent', type: 'string' },
  { name: 'imf.keywords', label: 'Keywords', type: 'string' },
  { name: 'imf.resent.date', label: 'Resent-Date', type: 'string' },
  { name: 'imf.resent.from', label: 'Resent-From', type: 'string' },
  { name: 'imf.resent.sender', label: 'Resent-Sender', type: 'string' },
  { name: 'imf.resent.to', label: 'Resent-To', type: 'string' },
  { name: 'imf.resent.cc', label: 'Resent-Cc', type: 'string' },
  { name: 'imf.resent.bcc', label: 'Resent-Bcc', type: 'string' },
  { name: 'imf.resent.message_id', label: 'Resent-Message-ID', type: 'string' },
  { name: 'imf.return_path', label: 'Return-Path', type: 'string' },
  { name: 'imf.received', label: 'Received', type: 'string' },
  { name: 'imf.content.type', label: 'Content-Type', type: 'string' },
  { name: 'imf.content.type.type', label: 'Type', type: 'string' },
  { name: 'imf.content.type.parameters', label: 'Parameters', type: 'string' },
  { name: 'imf.content.description', label: 'Content-Description', type: 'string' },
  { name: 'imf.content.id', label: 'Content-ID', type: 'string' },
  { name: 'imf.content.transfer_encoding', label: 'Content-Transfer-Encoding', type: 'string' },
  { name: 'imf.mime_version', label: 'MIME-Version', type: 'string' },
  { name: 'imf.autoforwarded', label: 'Autoforwarded', type: 'string' },
  { name: 'imf.autosubmitted', label: 'Autosubmitted', type: 'string' },
  { name: 'imf.x400_content_identifier', label: 'X400-Content-Identifier', type: 'string' },
  { name: 'imf.content_language', label: 'Content-Language', type: 'string' },
  { name: 'imf.conversion', label: 'Conversion', type: 'string' },
  { name: 'imf.conversion_with_loss', label: 'Conversion-With-Loss', type: 'string' },
  { name: 'imf.delivery_date', label: 'Delivery-Date', type: 'string' },
  { name: 'imf.discarded_x400_ipms_extensions', label: 'Discarded-X400-IPMS-Extensions', type: 'string' },
  { name: 'imf.discarded_x400_mts_extensions', label: 'Discarded-X400-MTS-Extensions', type: 'string' },
  { name: 'imf.dl_expansion_history', label: 'DL-Expansion-History', type: 'string' },
  { name: 'imf.deferred_delivery', label: 'Deferred-Delivery', type: 'string' },
  { name: 'imf.expires', label: 'Expires', type: 'string' },
  { name: 'imf.importance', label: 'Importance', type: 'string' },
  { name: 'imf.incomplete_copy', label: 'Incomplete-Copy', type: 'string' },
  { name: 'imf.latest_delivery_time', label: 'Latest-Delivery-Time', type: 'string' },
  { name: 'imf.message_type', label: 'Message-Type', type: 'string' },
  { name: 'imf.original_encoded_information_types', label: 'Original-Encoded-Information-Types', type: 'string' },
  { name: 'imf.originator_return_address', label: 'Originator-Return-Address', type: 'string' },
  { name: 'imf.priority', label: 'Priority', type: 'string' },
  { name: 'imf.reply_by', label: 'Reply-By', type: 'string' },
  { name: 'imf.sensitivity', label: 'Sensitivity', type: 'string' },
  { name: 'imf.supersedes', label: 'Supersedes', type: 'string' },
  { name: 'imf.x400_content_type', label: 'X400-Content-Type', type: 'string' },
  { name: 'imf.x400_mts_identifier', label: 'X400-MTS-Identifier', type: 'string' },
  { name: 'imf.x400_originator', label: 'X400-Originator', type: 'string' },
  { name: 'imf.x400_received', label: 'X400-Received', type: 'string' },
  { name: 'imf.x400_recipients', label: 'X400-Recipients', type: 'string' },
  { name: 'imf.delivered_to', label: 'Delivered-To', type: 'string' },
  { name: 'imf.ext.mailer', label: 'X-Mailer', type: 'string' },
  { name: 'imf.ext.mimeole', label: 'X-MimeOLE', type: 'string' },
  { name: 'imf.ext.expiry-date', label: 'Expiry-Date', type: 'string' },
  { name: 'imf.ext.tnef-correlator', label: 'X-MS-TNEF-Correlator', type: 'string' },
  { name: 'imf.ext.uidl', label: 'X-UIDL', type: 'string' },
  { name: 'imf.ext.authentication_warning', label: 'X-Authentication-Warning', type: 'string' },
  { name: 'imf.ext.virus_scanned', label: 'X-Virus-Scanned', type: 'string' },
  { name: 'imf.ext.original-to', label: 'X-Original-To', type: 'string' },
  { name: 'imf.thread-index', label: 'Thread-Index', type: 'string' },
  { name: 'imf.lines', label: 'Lines', type: 'string' },
  { name: 'imf.precedence', label: 'Precedence', type: 'string' },
  { name: 'imf.extension', label: 'Unknown-Extension', type: 'string' },
  { name: 'imf.extension.type', label: 'Type', type: 'string' },
  { name: 'imf.extension.value', label: 'Value', type: 'string' },
  { name: 'imf.display_name', label: 'Display-Name', type: 'string' },
  { name: 'imf.address', label: 'Address', type: 'string' },
  { name: 'imf.address_list.item', label: 'Item', type: 'string' },
  { name: 'imf.mailbox_list.item', label: 'Item', type: 'string' },
  { name: 'imf.message_text', label: 'Message-Text', type: 'none' },
] as const);
const F = imfFields;

/** How a header field's value is taken apart (packet-imf.c's subdissectors). */
type Shape = 'unstructured' | 'mailbox' | 'mailbox-list' | 'address-list';

/** A known header field: its item's field, its shape, and whether Info shows it ("from: ..., "). */
interface HeaderField {
  field: FieldDef;
  shape: Shape;
  info?: true;
}

/** packet-imf.c's imf_fields, by the header name in lower case. */
const HEADERS = new Map<string, HeaderField>();
const header = (name: string, field: FieldDef, shape: Shape = 'unstructured', info?: true) =>
  HEADERS.set(name, info ? { field, shape, info } : { field, shape });
header('date', F['imf.date']);
header('from', F['imf.from'], 'mailbox-list', true);
header('sender', F['imf.sender'], 'mailbox');
header('reply-to', F['imf.reply_to'], 'address-list');
header('to', F['imf.to'], 'address-list');
header('cc', F['imf.cc'], 'address-list');
header('bcc', F['imf.bcc'], 'address-list');
header('message-id', F['imf.message_id']);
header('in-reply-to', F['imf.in_reply_to']);
header('references', F['imf.references']);
header('subject', F['imf.subject'], 'unstructured', true);
header('comments', F['imf.comments']);
header('user-agent', F['imf.user_agent']);
header('keywords', F['imf.keywords']);
header('resent-date', F['imf.resent.date']);
header('resent-from', F['imf.resent.from'], 'mailbox-list');
header('resent-sender', F['imf.resent.sender'], 'mailbox');
header('resent-to', F['imf.resent.to'], 'address-list');
header('resent-cc', F['imf.resent.cc'], 'address-list');
header('resent-bcc', F['imf.resent.bcc'], 'address-list');
header('resent-message-id', F['imf.resent.message_id']);
header('return-path', F['imf.return_path']);
header('received', F['imf.received']);
header('content-type', F['imf.content.type']);
header('content-id', F['imf.content.id']);
header('content-description', F['imf.content.description']);
header('content-transfer-encoding', F['imf.content.transfer_encoding']);
header('mime-version', F['imf.mime_version']);
header('autoforwarded', F['imf.autoforwarded']);
header('autosubmitted', F['imf.autosubmitted']);
header('x400-content-identifier', F['imf.x400_content_identifier']);
header('content-language', F['imf.content_language']);
header('conversion', F['imf.conversion']);
header('conversion-with-loss', F['imf.conversion_with_loss']);
header('delivery-date', F['imf.delivery_date']);
header('discarded-x400-ipms-extensions', F['imf.discarded_x400_ipms_extensions']);
header('discarded-x400-mts-extensions', F['imf.discarded_x400_mts_extensions']);
header('dl-expansion-history', F['imf.dl_expansion_history']);
header('deferred-delivery', F['imf.deferred_delivery']);
header('expires', F['imf.expires']);
header('importance', F['imf.importance']);
header('incomplete-copy', F['imf.incomplete_copy']);
header('latest-delivery-time', F['imf.latest_delivery_time']);
header('message-type', F['imf.message_type']);
header('original-encoded-information-types', F['imf.original_encoded_information_types']);
header('originator-return-address', F['imf.originator_return_address']);
header('priority', F['imf.priority']);
header('reply-by', F['imf.reply_by']);
header('sensitivity', F['imf.sensitivity']);
header('supersedes', F['imf.supersedes']);
header('x400-content-type', F['imf.x400_content_type']);
header('x400-mts-identifier', F['imf.x400_mts_identifier']);
header('x400-originator', F['imf.x400_originator']);
header('x400-received', F['imf.x400_received']);
header('x400-recipients', F['imf.x400_recipients']);
header('delivered-to', F['imf.delivered_to'], 'mailbox');
header('x-mailer', F['imf.ext.mailer']);
header('thread-index', F['imf.thread-index']);
header('x-mimeole', F['imf.ext.mimeole']);
header('expiry-date', F['imf.ext.expiry-date']);
header('x-ms-tnef-correlator', F['imf.ext.tnef-correlator']);
header('x-uidl', F['imf.ext.uidl']);
header('x-authentication-warning', F['imf.ext.authentication_warning']);
header('x-virus-scanned', F['imf.ext.virus_scanned']);
header('x-original-to', F['imf.ext.original-to']);
header('lines', F['imf.lines']);
header('precedence', F['imf.precedence']);

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}


function dissectImf(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  // "SMTP/IMF": the carrier's name stays in front (col_set_fence).
  ctx.protocol = ctx.protocol ? `${ctx.protocol}/IMF` : 'IMF';
  ctx.info = '';
  const b = tvb.slice(0, tvb.length);
  const max = b.length;
  let start = 0, end = 0;
  const last = { set: false };
  let contentType: string | null = null, parameters: string | null = null, encoding: string | null = null;
  while (!last.set) {
    const colon = b.indexOf(0x3a, start);
    if (colon < 0) {
      // packet-imf.c searched with the variable that holds the field's end: running out of
      // colons before the blank line leaves it -1, so Message-Text starts at the beginning.
      end = -1;
      break;
    }
    const key = tvb.ascii(start, colon - start).toLowerCase();
    const known = HEADERS.get(key);
    const fieldStart = start;
    start = colon + 1;
    end = findFieldEnd(b, start, max, last);
    if (end < 0) break;
    let value = start;
    while (value < end && isSpace(b[value]!)) value++;
    if (value === end) value = start;
    // The value without its final CR LF (packet-imf.c: "a little prettier").
    const valueLength = Math.max(0, end - value - 2);
    let item: FieldNode;
    if (!known) {
      item = ctx.add(node, F['imf.extension'], tvb, fieldStart, Math.max(0, end - fieldStart - 2), tvb.ascii(fieldStart, Math.max(0, end - fieldStart - 2)));
      if (ctx.tree) ctx.setText(item, appendedLabel(item, ' (Contact Wireshark developers if you want this supported.)'));
      ctx.add(item, F['imf.extension.type'], tvb, fieldStart, colon - fieldStart, tvb.ascii(fieldStart, colon - fieldStart));
      ctx.add(item, F['imf.extension.value'], tvb, value, valueLength, tvb.ascii(value, valueLength));
    } else {
      item = ctx.add(node, known.field, tvb, value, valueLength, tvb.ascii(value, valueLength));
      if (known.info) ctx.info += `${key}: ${printableText(tvb.ascii(value, valueLength))}, `;
    }
    if (known?.field === F['imf.content.type']) {
      const ct = contentTypeParts(tvb, ctx, item, start, end - start);
      contentType = ct.type;
      parameters = ct.parameters;
    } else if (known?.field === F['imf.content.transfer_encoding']) {
      encoding = tvb.ascii(value, valueLength);
    } else if (known && known.shape !== 'unstructured') {
      const shapes = { mailbox, 'mailbox-list': mailboxList, 'address-list': addressList };
      shapes[known.shape](tvb, ctx, item, value, end - value);
    }
    start = end;
  }
  if (last.set) end += 2;
  if (end < 0) end = 0;
  body(tvb, ctx, node, end, contentType, parameters, encoding);
}

/**
 * The Content-Type's type and parameters (dissect_imf_content_type): only when a ';' follows the
 * type; the parameters run to the end of the field, without its final CR LF.
 */
function contentTypeParts(tvb: Tvb, ctx: PacketContext, item: FieldNode, offset: number, length: number): { type: string | null; parameters: string | null } {
  const b = tvb.bytes, base = tvb.start;
  let o = offset;
  for (let i = 0; i < length; i++) {
    if (!isSpace(b[base + offset + i]!)) {
      o = offset + i;
      break;
    }
  }
  const semi = tvb.slice(0, tvb.length).indexOf(0x3b, o);
  if (semi < 0 || semi >= o + length) return { type: null, parameters: null };
  const type = tvb.ascii(o, semi - o);
  ctx.add(item, F['imf.content.type.type'], tvb, o, semi - o, type);
  const fieldEnd = findFieldEnd(tvb.slice(0, tvb.length), semi + 1, o + length, { set: false });
  if (fieldEnd < 0) return { type, parameters: null };
  const n = Math.max(0, fieldEnd - (semi + 1) - 2);
  const parameters = tvb.ascii(semi + 1, n);
  ctx.add(item, F['imf.content.type.parameters'], tvb, semi + 1, n, parameters);
  return { type, parameters };
}

/** A mailbox: "Display Name <address>" or a bare address (dissect_imf_mailbox). */
function mailbox(tvb: Tvb, ctx: PacketContext, item: FieldNode, offset: number, length: number): void {
  const lt = indexIn(tvb, 0x3c, offset, length);
  if (lt < 0) {
    ctx.add(item, F['imf.address'], tvb, offset, length, tvb.ascii(offset, length));
    return;
  }
  let o = offset;
  while (o < lt && isSpace(tvb.u8(o))) o++;
  if (o !== lt) ctx.add(item, F['imf.display_name'], tvb, o, Math.max(0, lt - o - 1), tvb.ascii(o, Math.max(0, lt - o - 1)));
  const gt = indexIn(tvb, 0x3e, lt + 1, length - (lt + 1 - offset));
  if (gt >= 0) ctx.add(item, F['imf.address'], tvb, lt + 1, gt - lt - 1, tvb.ascii(lt + 1, gt - lt - 1));
}

/** An address: a group ("name: mailbox, ...;") or a mailbox (dissect_imf_address). */
function address(tvb: Tvb, ctx: PacketContext, item: FieldNode, offset: number, length: number): void {
  const colon = indexIn(tvb, 0x3a, offset, length);
  if (colon < 0) {
    mailbox(tvb, ctx, item, offset, length);
    return;
  }
  const group = ctx.add(item, F['imf.display_name'], tvb, offset, Math.max(0, colon - offset - 1), tvb.ascii(offset, Math.max(0, colon - offset - 1)));
  let o = colon + 1;
  while (o < offset + length && isSpace(tvb.u8(o))) o++;
  if (o < tvb.length && tvb.u8(o) !== 0x3b) mailboxList(tvb, ctx, group, o, length - (o - offset));
}

function mailboxList(tvb: Tvb, ctx: PacketContext, item: FieldNode, offset: number, length: number): void {
  list(tvb, ctx, item, offset, length, F['imf.mailbox_list.item'], mailbox);
}

function addressList(tvb: Tvb, ctx: PacketContext, item: FieldNode, offset: number, length: number): void {
  list(tvb, ctx, item, offset, length, F['imf.address_list.item'], address);
}

/** A comma-separated list: an item per entry, then ", N items" after the field's label. */
function list(tvb: Tvb, ctx: PacketContext, item: FieldNode, offset: number, length: number, field: FieldDef,
  each: (tvb: Tvb, ctx: PacketContext, item: FieldNode, offset: number, length: number) => void): void {
  let count = 0;
  let o = offset;
  for (;;) {
    const comma = indexIn(tvb, 0x2c, o, length - (o - offset));
    count++;
    const n = comma < 0 ? length - (o - offset) : comma - o;
    const entry = ctx.add(item, field, tvb, o, n, tvb.ascii(o, n));
    each(tvb, ctx, entry, o, n);
    if (comma < 0) break;
    o = comma + 1;
  }
  if (ctx.tree) ctx.setText(item, appendedLabel(item, `, ${count} item${count === 1 ? '' : 's'}`));
}

/** Where byte `v` is in tvb[offset, offset + length), or -1 (tvb_find_guint8). */
function indexIn(tvb: Tvb, v: number, offset: number, length: number): number {
  const at = tvb.indexOf(v, offset);
  return at >= 0 && at < offset + length ? at : -1;
}

/**
 * The body after the header fields: to the media-type table when the Content-Type had
 * parameters (base64 undone first when the Content-Transfer-Encoding says so), else its lines
 * as Message-Text, appended to Info.
 */
function body(tvb: Tvb, ctx: PacketContext, node: FieldNode, offset: number, type: string | null, parameters: string | null, encoding: string | null): void {
  if (type !== null) {
    let next = tvb.sub(offset);
    if (encoding && encoding.slice(0, 6).toLowerCase() === 'base64') {
      next = Tvb.of(decodeBase64(tvb.slice(offset)));
      ctx.nameSource(next, encoding);
    }
    const proto = lookupMediaType(type.toLowerCase());
    // Only a dissector registered for the type itself (dissector_try_string: no default).
    if (!proto || proto.id === 'media') return;
    ctx.scratch[MEDIA_TYPE_SCRATCH] = type.toLowerCase();
    ctx.scratch[MEDIA_PARAMETERS_SCRATCH] = parameters;
    callProtocol(proto, next, ctx, node);
    // packet-text-media.c names the type in Info (col_append_sep_fstr with a space).
    if (proto.id === 'data-text-lines') ctx.info += `${ctx.info ? ' ' : ''}(${type.toLowerCase()})`;
    return;
  }
  const rest = tvb.reportedRemaining(offset);
  const text = ctx.add(node, F['imf.message_text'], tvb, offset, Math.min(rest, tvb.remaining(offset)), null);
  for (let o = offset; o < tvb.length; ) {
    const line = findLineEnd(tvb, o, false)!;
    const wsp = whitespaceAsSpaces(tvb.ascii(o, line.next - o));
    ctx.addText(text, tvb, o, line.next - o, wsp);
    ctx.info += (ctx.info ? ', ' : '') + wsp;
    o = line.next;
  }
}

/** format_text_wsp: control characters that are white space become spaces, others are escaped. */
function whitespaceAsSpaces(s: string): string {
  return printableText(s.replace(/[\t\n\v\f\r]/g, ' '));
}

export const imfProtocol = defineProtocol('imf', 'Internet Message Format', dissectImf);
registerDissector(imfProtocol);

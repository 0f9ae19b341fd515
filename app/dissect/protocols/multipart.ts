// MIME Multipart Media Encapsulation (RFC 2046 5.1), as tshark 4.0's packet-multipart.c shows a
// multipart body that IMF or HTTP hands it with its Content-Type parameters: the preamble, the
// boundaries, and each encapsulated part with its MIME headers and its body, which goes to the
// dissector of the part's media type (nested multiparts included) or to Media Type. Bodies stay
// as sent: tshark's "remove base64 encoding" preference is off by default.
import { defineFields } from '../field.js';
import { callProtocol, defineProtocol, lookupMediaType, MEDIA_PARAMETERS_SCRATCH, MEDIA_TYPE_SCRATCH, registerMediaType } from '../dispatch.js';
import { appendedLabel, printableText } from '../format.js';
import { findLineEnd } from '../text-line.js';
import { findFieldEnd, mediaTypeParameter, unfoldHeader } from '../mime-header.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import { latin1, type Tvb } from '../tvb.js';
import { dataProtocol } from './data.js';

export const multipartFields = defineFields([
  { name: 'mime_multipart.type', label: 'Type', type: 'string', description: 'MIME multipart encapsulation type' },
  { name: 'mime_multipart.part', label: 'Encapsulated multipart part', type: 'string' },
  { name: 'mime_multipart.header.content-description', label: 'Content-Description', type: 'string' },
  { name: 'mime_multipart.header.content-disposition', label: 'Content-Disposition', type: 'string' },
  { name: 'mime_multipart.header.content-encoding', label: 'Content-Encoding', type: 'string' },
  { name: 'mime_multipart.header.content-id', label: 'Content-Id', type: 'string' },
  { name: 'mime_multipart.header.content-language', label: 'Content-Language', type: 'string' },
  { name: 'mime_multipart.header.content-length', label: 'Content-Length', type: 'string' },
  { name: 'mime_multipart.header.content-transfer-encoding', label: 'Content-Transfer-Encoding', type: 'string' },
  { name: 'mime_multipart.header.content-type', label: 'Content-Type', type: 'string' },
  { name: 'mime_multipart.header.originalcontent', label: 'OriginalContent', type: 'string' },
  { name: 'mime_multipart.first_boundary', label: 'First boundary', type: 'string' },
  { name: 'mime_multipart.preamble', label: 'Preamble', type: 'bytes' },
  { name: 'mime_multipart.last_boundary', label: 'Last boundary', type: 'string' },
  { name: 'mime_multipart.boundary', label: 'Boundary', type: 'string' },
  { name: 'mime_multipart.trailer', label: 'Trailer', type: 'bytes' },
] as const);
const F = multipartFields;

/** The part headers tshark knows, by name in lower case (and their compact forms). */
const PART_HEADERS = new Map([
  ['content-description', F['mime_multipart.header.content-description']],
  ['content-disposition', F['mime_multipart.header.content-disposition']],
  ['content-encoding', F['mime_multipart.header.content-encoding']], ['e', F['mime_multipart.header.content-encoding']],
  ['content-id', F['mime_multipart.header.content-id']],
  ['content-language', F['mime_multipart.header.content-language']],
  ['content-length', F['mime_multipart.header.content-length']], ['l', F['mime_multipart.header.content-length']],
  ['content-transfer-encoding', F['mime_multipart.header.content-transfer-encoding']],
  ['content-type', F['mime_multipart.header.content-type']], ['c', F['mime_multipart.header.content-type']],
  ['originalcontent', F['mime_multipart.header.originalcontent']],
]);




function startsWithAt(b: Uint8Array, at: number, s: string): boolean {
  if (at < 0 || at + s.length > b.length) return false;
  for (let i = 0; i < s.length; i++) if (b[at + i] !== s.charCodeAt(i)) return false;
  return true;
}

interface Boundary {
  start: number;
  /** The boundary line's length (-1 without a line end), from `start`. */
  lineLength: number;
  last: boolean;
}

/** The first "--boundary" line, at a line start (find_first_boundary). */
function firstBoundary(tvb: Tvb, b: Uint8Array, boundary: string): Boundary | null {
  for (let o = 0; o + 2 + boundary.length < tvb.length; ) {
    if (startsWithAt(b, o, `--${boundary}`)) {
      const last = startsWithAt(b, o + 2 + boundary.length, '--');
      const line = findLineEnd(tvb, o, true);
      return { start: o, lineLength: line ? line.next - o : -1, last };
    }
    const line = findLineEnd(tvb, o, true);
    if (!line) return null;
    o = line.next;
  }
  return null;
}

/**
 * The next boundary after `start`: the line end before a "--boundary" line starts it (the
 * delimiter includes it); a close delimiter glued to the end of a line counts too
 * (find_next_boundary).
 */
function nextBoundary(tvb: Tvb, b: Uint8Array, boundary: string, start: number): Boundary | null {
  for (let o = start; o + 2 + boundary.length < tvb.length; ) {
    const line = findLineEnd(tvb, o, true);
    if (!line) return null;
    const bStart = o + line.length;
    if (startsWithAt(b, line.next, `--${boundary}`)) {
      const last = startsWithAt(b, line.next + 2 + boundary.length, '--');
      const bl = findLineEnd(tvb, line.next, true);
      return { start: bStart, lineLength: bl ? bl.next - bStart : -1, last };
    }
    if (startsWithAt(b, bStart - 2, '--') && startsWithAt(b, bStart - 2 - boundary.length, boundary) && startsWithAt(b, bStart - 4 - boundary.length, '--')) {
      const s = bStart - (4 + boundary.length);
      return { start: s, lineLength: line.next - s, last: true };
    }
    o = line.next;
  }
  return null;
}

function dissectMultipart(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  const type = (ctx.scratch[MEDIA_TYPE_SCRATCH] as string | undefined) ?? '';
  const parameters = ctx.scratch[MEDIA_PARAMETERS_SCRATCH] as string | null | undefined;
  const boundary = parameters ? mediaTypeParameter(unfoldHeader(parameters).text, 'boundary') : null;
  if (!boundary) {
    ctx.addExpert(node, 'error', 'protocol', 'The multipart dissector could not find a required parameter.');
    callProtocol(dataProtocol, tvb, ctx, node);
    return;
  }
  if (ctx.tree) ctx.setText(node, `MIME Multipart Media Encapsulation, Type: ${type}, Boundary: "${boundary}"`);
  ctx.addGenerated(node, F['mime_multipart.type'], type);
  const b = tvb.slice(0, tvb.length);
  // Preamble: whatever comes before the first boundary line.
  const first = firstBoundary(tvb, b, boundary);
  if (!first || (first.start > 0 && first.lineLength <= 0)) {
    callProtocol(dataProtocol, tvb, ctx, node);
    return;
  }
  if (first.start > 0) ctx.add(node, F['mime_multipart.preamble'], tvb, 0, first.start, b.slice(0, first.start));
  ctx.add(node, F['mime_multipart.first_boundary'], tvb, first.start, first.lineLength, tvb.ascii(first.start, first.lineLength));
  let start = first.start + first.lineLength;
  let last = first.last;
  while (!last) {
    const next = bodyPart(tvb, ctx, node, b, boundary, start);
    if (!next) return;
    start = next.end;
    last = next.last;
  }
  if (tvb.reportedRemaining(start) > 0) ctx.add(node, F['mime_multipart.trailer'], tvb, start, tvb.remaining(start), b.slice(start));
}

/** One encapsulated part, its headers, its body and the boundary after it (process_body_part). */
function bodyPart(tvb: Tvb, ctx: PacketContext, node: FieldNode, b: Uint8Array, boundary: string, start: number): { end: number; last: boolean } | null {
  const part = ctx.add(node, F['mime_multipart.part'], tvb, start, 0, '');
  const bound = nextBoundary(tvb, b, boundary, start);
  if (!bound || bound.start <= 0) return null;
  let offset = start, next = start;
  let contentType: string | null = null, partParameters: string | null = null;
  const last = { set: false };
  while (!last.set) {
    next = findFieldEnd(b, offset, tvb.reportedLength, last);
    if (last.set && next + 2 <= bound.start) next += 2;
    else if (next - 2 === bound.start) {
      last.set = true;
      next -= 2;
    } else if (next > bound.start || next < 0) next = bound.start;
    const raw = tvb.ascii(offset, Math.max(0, next - offset));
    const { text, colon } = unfoldHeader(raw);
    if (colon <= 0) {
      next = offset;
      break;
    }
    const field = PART_HEADERS.get(text.slice(0, colon).toLowerCase());
    if (!field) {
      if (!/^[\x20-\x7e]*$/.test(text)) {
        next = offset;
        break;
      }
      ctx.addText(part, tvb, offset, next - offset, printableText(raw));
    } else {
      const value = text.slice(colon + 1);
      ctx.add(part, field, tvb, offset, next - offset, value, printableText(raw));
      if (field === F['mime_multipart.header.content-type']) {
        const semi = value.indexOf(';');
        partParameters = semi < 0 ? null : value.slice(semi + 1);
        contentType = (semi < 0 ? value : value.slice(0, semi)).toLowerCase();
        if (ctx.tree) ctx.setText(part, appendedLabel(part, ` (${contentType})`));
      }
    }
    offset = next;
  }
  const body = tvb.sub(next, bound.start - next, bound.start - next);
  if (contentType !== null && !contentType.startsWith('application/octet-stream')) {
    const proto = lookupMediaType(contentType);
    if (proto) {
      ctx.scratch[MEDIA_TYPE_SCRATCH] = contentType;
      ctx.scratch[MEDIA_PARAMETERS_SCRATCH] = partParameters;
      callProtocol(proto, body, ctx, part);
      // The line-based text and media dissectors name the type in Info (col_append_sep_fstr).
      if (proto.id === 'data-text-lines' || proto.id === 'media') ctx.info += `${ctx.info ? ' ' : ''}(${contentType})`;
    }
  } else {
    callProtocol(dataProtocol, body, ctx, part);
  }
  ctx.setLength(part, bound.start - start);
  const f = bound.last ? F['mime_multipart.last_boundary'] : F['mime_multipart.boundary'];
  const n = Math.max(0, bound.lineLength);
  ctx.add(node, f, tvb, bound.start, n, latin1(b, bound.start, bound.start + n));
  return { end: bound.start + n, last: bound.last };
}

export const multipartProtocol = defineProtocol('mime_multipart', 'MIME Multipart Media Encapsulation', dissectMultipart, 'MIME multipart');
for (const t of ['multipart/mixed', 'multipart/related', 'multipart/alternative', 'multipart/form-data', 'multipart/report', 'multipart/signed', 'multipart/encrypted']) {
  registerMediaType(t, multipartProtocol);
}

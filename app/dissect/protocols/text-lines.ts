// Line-based text data (Wireshark's packet-text-media.c, filter name `data-text-lines`): a
// message body of a textual media type, one tree item per line. HTTP hands a body here through
// the media-type table; the media type itself arrives in ctx.scratch[MEDIA_TYPE_SCRATCH].
import { defineProtocol, MEDIA_TYPE_SCRATCH, registerDissector, registerMediaType } from '../dispatch.js';
import { printableText } from '../format.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';

const utf8 = new TextDecoder('utf-8');

function dissectTextLines(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  const mediaType = ctx.scratch[MEDIA_TYPE_SCRATCH] as string | undefined;
  if (ctx.isPlaceholder(node)) return;
  // Lines end at \n, \r\n or a lone \r (tvb_find_line_end); each item shows its line with its
  // terminator, escaped as format_text does, and the last line may have none.
  const bytes = tvb.slice(0, tvb.length);
  let lines = 0;
  for (let o = 0; o < bytes.length; lines++) {
    let e = o;
    while (e < bytes.length && bytes[e] !== 0x0a && bytes[e] !== 0x0d) e++;
    let next = e;
    if (next < bytes.length) next += bytes[next] === 0x0d && bytes[next + 1] === 0x0a ? 2 : 1;
    ctx.addText(node, tvb, o, next - o, printableText(utf8.decode(bytes.subarray(o, next))));
    o = next;
  }
  ctx.setText(node, `Line-based text data${mediaType ? `: ${mediaType}` : ''} (${lines} lines)`);
}

export const textLinesProtocol = defineProtocol('data-text-lines', 'Line-based text data', dissectTextLines);
registerDissector(textLinesProtocol);

// The media types tshark 4.0 gives this dissector (checked one by one against tshark on HTTP
// bodies: application/javascript, text/csv or text/x-javascript are not among them).
for (const t of [
  'text/plain', 'text/richtext', 'text/enriched', 'text/parameters', 'text/html', 'text/xml-external-parsed-entity',
  'text/css', 'application/xml-external-parsed-entity', 'text/javascript', 'application/x-javascript',
  'application/x-tia-p25-issi', 'application/x-tia-p25-sndcp', 'application/x-ns-proxy-autoconfig',
  'text/vnd.sun.j2me.app-descriptor', 'application/vnd.poc.refer-to', 'application/vnd.drm.message',
  'application/x-wms-logplaystats', 'application/x-rtsp-udp-packetpair',
]) registerMediaType(t, textLinesProtocol);

// Media Type (Wireshark's packet-media.c): a message body of a media type no dissector is
// registered for, shown as its type and size. The media type arrives in
// ctx.scratch[MEDIA_TYPE_SCRATCH].
import { defineFields } from '../field.js';
import { defineProtocol, MEDIA_TYPE_DEFAULT, MEDIA_TYPE_SCRATCH, registerMediaType } from '../dispatch.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';

export const mediaFields = defineFields([
  { name: 'media.type', label: 'Media type', type: 'bytes' },
] as const);

function dissectMedia(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  const mediaType = (ctx.scratch[MEDIA_TYPE_SCRATCH] as string | undefined) ?? '';
  const n = tvb.reportedLength;
  ctx.add(node, mediaFields['media.type'], tvb, 0, tvb.length, tvb.slice(0, tvb.length), `Media type: ${mediaType} (${n} byte${n === 1 ? '' : 's'})`);
}

export const mediaProtocol = defineProtocol('media', 'Media Type', dissectMedia);
registerMediaType(MEDIA_TYPE_DEFAULT, mediaProtocol);

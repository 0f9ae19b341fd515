// Media Type (Wireshark's packet-media.c): a message body of a media type no dissector is
// registered for, shown as its type (with its parameters) and size. The media type arrives in
// ctx.scratch[MEDIA_TYPE_SCRATCH], the parameters in ctx.scratch[MEDIA_PARAMETERS_SCRATCH].
import { defineFields } from '../field.js';
import { defineProtocol, MEDIA_PARAMETERS_SCRATCH, MEDIA_TYPE_DEFAULT, MEDIA_TYPE_SCRATCH, registerMediaType } from '../dispatch.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';

export const mediaFields = defineFields([
  { name: 'media.type', label: 'Media type', type: 'bytes' },
] as const);

function dissectMedia(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  const mediaType = (ctx.scratch[MEDIA_TYPE_SCRATCH] as string | undefined) ?? '';
  // The Content-Type's parameters follow the type, as the caller gave them (media_str).
  const parameters = ((ctx.scratch[MEDIA_PARAMETERS_SCRATCH] as string | null | undefined) ?? '').trimStart();
  const shown = parameters ? `${mediaType}; ${parameters}` : mediaType;
  const n = tvb.reportedLength;
  ctx.add(node, mediaFields['media.type'], tvb, 0, tvb.length, tvb.slice(0, tvb.length), `Media type: ${shown} (${n} byte${n === 1 ? '' : 's'})`);
}

export const mediaProtocol = defineProtocol('media', 'Media Type', dissectMedia);
registerMediaType(MEDIA_TYPE_DEFAULT, mediaProtocol);

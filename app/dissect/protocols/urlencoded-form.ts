// HTML Form URL Encoded (application/x-www-form-urlencoded): a form's fields, as Wireshark 4.0's
// packet-http-urlencoded.c shows a POST body — one `Form item: "key" = "value"` per field with
// its decoded Key and Value ('+' is a space, %XX a byte). Its reading, kept as tshark has it: a
// key runs to the next '=' (so "c&d=" is the key "c&d"), a value to the next '&'; a field with
// no '=' after it is the last, a key with an empty value; a value with a bad %-escape ends the
// form.
import { defineFields } from '../field.js';
import { defineProtocol, MEDIA_TYPE_SCRATCH, registerMediaType } from '../dispatch.js';
import { cutUtf8, ITEM_LABEL_MAX } from '../format.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';

export const urlencodedFormFields = defineFields([
  { name: 'urlencoded-form.key', label: 'Key', type: 'string' },
  { name: 'urlencoded-form.value', label: 'Value', type: 'string' },
] as const);
const F = urlencodedFormFields;

const utf8 = new TextDecoder('utf-8');

/** '+' as a space and %XX as bytes, then UTF-8; null for a '%' without two hex digits. */
export function formDecode(b: Uint8Array): string | null {
  const out: number[] = [];
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c === 0x2b) out.push(0x20);
    else if (c !== 0x25) out.push(c);
    else {
      const hex = String.fromCharCode(b[i + 1] ?? 0, b[i + 2] ?? 0);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return null;
      out.push(parseInt(hex, 16));
      i += 2;
    }
  }
  return utf8.decode(new Uint8Array(out));
}

/** tshark formats an item's label into its 240-byte buffer: a long one is cut there, unmarked. */
function itemLabel(label: string): string {
  return cutUtf8(label, ITEM_LABEL_MAX);
}

function dissectForm(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  const mediaType = ctx.scratch[MEDIA_TYPE_SCRATCH] as string | undefined;
  if (mediaType) ctx.setText(node, `HTML Form URL Encoded: ${mediaType}`);
  const b = tvb.slice(0, tvb.length);
  for (let o = 0; o < b.length; ) {
    const eq = b.indexOf(0x3d, o);
    const keyEnd = eq < 0 ? b.length : eq;
    const key = formDecode(b.subarray(o, keyEnd)) ?? '';
    if (eq < 0) {
      // The rest is a key, with an empty value at its end.
      const item = ctx.addText(node, tvb, o, b.length - o, itemLabel(`Form item: "${key}" = ""`));
      ctx.add(item, F['urlencoded-form.key'], tvb, o, keyEnd - o, key);
      ctx.add(item, F['urlencoded-form.value'], tvb, b.length, 0, '');
      return;
    }
    const amp = b.indexOf(0x26, eq + 1);
    const valueEnd = amp < 0 ? b.length : amp;
    const next = amp < 0 ? b.length : amp + 1;
    const value = formDecode(b.subarray(eq + 1, valueEnd));
    const item = ctx.addText(node, tvb, o, next - o, itemLabel(value === null ? `Form item: "${key}"` : `Form item: "${key}" = "${value}"`));
    ctx.add(item, F['urlencoded-form.key'], tvb, o, keyEnd - o, key);
    if (value === null) return;
    ctx.add(item, F['urlencoded-form.value'], tvb, eq + 1, valueEnd - eq - 1, value);
    o = next;
  }
}

export const urlencodedFormProtocol = defineProtocol('urlencoded-form', 'HTML Form URL Encoded', dissectForm);
registerMediaType('application/x-www-form-urlencoded', urlencodedFormProtocol);

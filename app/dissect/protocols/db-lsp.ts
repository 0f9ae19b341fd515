// Dropbox LAN sync Discovery Protocol (packet-db-lsp.c): the broadcasts Dropbox clients send to
// UDP port 17500 every 30 seconds to find each other, a JSON object with the host's id, version,
// display name, port and shared namespace ids. tshark tries its "db-lsp" heuristics on the
// datagram (JSON's is the one there) and shows the bytes as Text when none takes it.
import { defineFields } from '../field.js';
import { callProtocol, defineProtocol, register } from '../dispatch.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { isJsonText, jsonProtocol } from './json.js';

const DB_LSP_PORT = 17500;

export const dbLspFields = defineFields([
  { name: 'db-lsp.text', label: 'Text', type: 'string' },
] as const);

function dissectDbLspDisc(tvb: Tvb, ctx: PacketContext, node: FieldNode): void {
  ctx.protocol = 'DB-LSP-DISC';
  ctx.info = 'Dropbox LAN sync Discovery Protocol';
  if (isJsonText(tvb.slice(0, tvb.length))) {
    // What packet-json.c adds to the columns when a heuristic hands it the data.
    ctx.protocol += '/JSON';
    ctx.info += ', JavaScript Object Notation';
    callProtocol(jsonProtocol, tvb, ctx, node);
    return;
  }
  ctx.add(node, dbLspFields['db-lsp.text'], tvb, 0, tvb.length, tvb.ascii(0, tvb.length));
}

export const dbLspDiscProtocol = defineProtocol('db-lsp-disc', 'Dropbox LAN sync Discovery Protocol', dissectDbLspDisc, 'DB-LSP-DISC');
register('udp.port', DB_LSP_PORT, dbLspDiscProtocol);

// The contract between the netlink layer (protocols/netlink.ts) and the family dissectors it
// calls through the `netlink.protocol` table (protocols/netlink-route.ts): the message the layer
// leaves in the packet's scratch, with its byte order and the header and attribute walkers, as
// packet-netlink.c hands packet_netlink_data and its helpers to a family. So protocols still
// never import each other.
import type { FieldDef } from './field.js';
import type { PacketContext } from './packet.js';
import type { FieldNode } from './tree.js';
import type { Tvb } from './tvb.js';

/**
 * An attribute's value decoder (netlink_attributes_cb_t): gets the attribute's subtree, its
 * raw type (flag bits and all, as packet-netlink.c passes it), the value's offset and length;
 * returns false to have the value shown as Data.
 */
export type AttributeDecoder = (tvb: Tvb, ctx: PacketContext, attr: FieldNode, rawType: number, o: number, len: number) => boolean;

/** What a family's dissector gets for its message (packet_netlink_data and the helpers). */
export interface NetlinkMessage {
  le: boolean;
  /** nlmsg_type. */
  type: number;
  /** nlmsg_len as the header says, which may run past the packet. */
  length: number;
  header(tvb: Tvb, ctx: PacketContext, parent: FieldNode, o: number, typeField: FieldDef | null): number;
  attributes(tvb: Tvb, ctx: PacketContext, parent: FieldNode, o: number, typeField: FieldDef, decode: AttributeDecoder): number;
  /** Host-order reads in the message's byte order. */
  u16(tvb: Tvb, o: number): number;
  u32(tvb: Tvb, o: number): number;
}

/** Where the netlink layer leaves the NetlinkMessage for the family dissector it calls. */
export const NETLINK_MESSAGE_SCRATCH = 'netlink.message';

// Bytes after a network-layer datagram inside an Ethernet-like frame, the way Wireshark's
// `ethertype` dissector hands them to packet-eth.c add_ethernet_trailer (4.0): zero bytes that
// pad the frame to 60 are eth.padding; when the FCS may be present ("maybe", plain Ethernet), a
// frame of 64 bytes or more whose trailer has at least 4 bytes ends in eth.fcs; the rest goes
// to the caller's trailer field (eth.trailer, vlan.trailer, sll.trailer). VLAN and SLL pass
// fcs = false (packet-vlan.c / packet-sll.c call ethertype with fcs_len 0).
//
// The first network layer above tells how much it used through ctx.scratch['eth.payloadUsed']
// (IPv4 total length, IPv6 40 + payload length, ARP's addresses); layers in between (VLAN,
// MPLS) add their own header length on the way back down.
import { callProtocol, tryHeuristics } from './dispatch.js';
import { fieldByName, type FieldDef } from './field.js';
import type { PacketContext } from './packet.js';
import type { FieldNode } from './tree.js';
import type { Tvb } from './tvb.js';

let fields: { padding: FieldDef; fcs: FieldDef; fcsStatus: FieldDef } | null = null;

function ethFields(): { padding: FieldDef; fcs: FieldDef; fcsStatus: FieldDef } | null {
  if (fields) return fields;
  const padding = fieldByName('eth.padding'), fcs = fieldByName('eth.fcs'), fcsStatus = fieldByName('eth.fcs.status');
  if (!padding || !fcs || !fcsStatus) return null;
  return (fields = { padding, fcs, fcsStatus });
}

/** Adds padding / trailer / FCS for the bytes of `tvb` from `end` on, under `node`. */
export function addEthernetTrailer(ctx: PacketContext, node: FieldNode, tvb: Tvb, end: number, trailerField: FieldDef, fcsMaybe: boolean): void {
  const f = ethFields();
  if (!f || end >= tvb.reportedLength) return;
  // A trailer some equipment appends (an F5 BIG-IP's): packet-eth.c's trailer heuristics come first.
  if (tvb.has(end, 1)) {
    const trailer = tvb.sub(end);
    const proto = tryHeuristics('eth.trailer', trailer, ctx);
    if (proto && callProtocol(proto, trailer, ctx, null) !== null) return;
  }
  const frameLen = ctx.frame.origLen;
  let trailerRep = tvb.reportedLength - end;
  let trailerCap = Math.max(0, tvb.length - end);
  let padding = 0;
  // The frame needed padding to 60 bytes but its bytes there are not zeros: all of it is
  // trailer, and tshark says so on the trailer.
  let paddingNotZeros = false;
  if (frameLen >= 60 && frameLen - trailerRep < 60) {
    padding = Math.min(60 - (frameLen - trailerRep), trailerCap);
    for (let i = 0; i < padding; i++) {
      if (tvb.u8(end + i) !== 0) {
        padding = 0;
        paddingNotZeros = true;
        break;
      }
    }
    if (padding > 0) {
      ctx.add(node, f.padding, tvb, end, padding, tvb.slice(end, padding));
      trailerRep -= padding;
      trailerCap -= padding;
    }
  }
  let fcs = false;
  if (fcsMaybe && tvb.reportedLength >= 64 && trailerRep >= 4) {
    trailerRep -= 4;
    trailerCap = Math.min(trailerCap, trailerRep);
    fcs = true;
  }
  const at = end + padding;
  if (trailerCap > 0) {
    const trailer = ctx.add(node, trailerField, tvb, at, trailerCap, tvb.slice(at, trailerCap));
    if (paddingNotZeros) ctx.addExpert(trailer, 'note', 'protocol', "Didn't find padding of zeros, and an undecoded trailer exists. There may be padding of non-zeros.");
  }
  if (fcs) {
    // packet-eth.c reads the FCS it assumed: past the captured bytes that throws (the frame
    // was cut by the snaplen after a short datagram).
    const v = tvb.u32(at + trailerRep);
    ctx.add(node, f.fcs, tvb, at + trailerRep, 4, v, ctx.tree ? `Frame check sequence: 0x${v.toString(16).padStart(8, '0')} [unverified]` : undefined);
    ctx.addGenerated(node, f.fcsStatus, 2);
  }
}

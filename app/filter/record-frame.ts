// What the dissector is told about a record read from a file: its number, times and lengths,
// and for pcapng the interface (numbered within its section, as tshark shows frame.interface_id),
// comments, the EPB options the Frame shows and custom blocks (which tshark 4.0 lists as frames).
import type { FrameInput } from '../dissect/packet.js';
import type { AbsTime } from '../dissect/tree.js';
import { decodeString, IF_HARDWARE, packetOptionExtras } from '../file/pcapng.js';
import type { CaptureFileInfo, InterfaceInfo, PacketRecord } from '../file/types.js';

export function frameFromRecord(rec: PacketRecord, number: number, firstTs: AbsTime, prevTs: AbsTime | undefined, info: CaptureFileInfo, prevDisplayedTs?: AbsTime): FrameInput {
  const frame: FrameInput = {
    number,
    ts: { sec: rec.ts.sec, nsec: rec.ts.nsec },
    capLen: rec.capLen,
    origLen: rec.origLen,
    linkType: rec.linkType,
    data: rec.data,
    firstTs,
  };
  if (prevTs) frame.prevTs = prevTs;
  if (prevDisplayedTs) frame.prevDisplayedTs = prevDisplayedTs;
  if (rec.tsAbsent) frame.tsAbsent = true;
  if (info.format === 'pcapng') frame.section = (rec.section ?? info.interfaces[rec.interfaceId]?.section ?? 0) + 1;
  if (rec.pen !== undefined) {
    frame.customBlock = { pen: rec.pen, copy: rec.blockType === 0xbad };
  } else if (info.format === 'pcapng') {
    const local = rec.sectionInterfaceId ?? rec.interfaceId;
    frame.interfaceId = local;
    // tshark 4.0 names the interface by the record's section-local number in the file's list of
    // every IDB so far (epan_get_interface_name): section 2's interface 0 is named as section 1's.
    // Its name is the IDB's if_name, else its if_description, else its if_hardware.
    const iface = info.interfaces[local];
    const name = iface?.name ?? iface?.description ?? hardwareOf(iface);
    if (name !== undefined) frame.interfaceName = name;
    if (iface?.description !== undefined) frame.interfaceDescription = iface.description;
    if (rec.flags !== undefined) frame.packetFlags = rec.flags;
    if (rec.rawOptions) Object.assign(frame, packetOptionExtras(rec.rawOptions));
  }
  if (rec.comments && rec.comments.length) frame.comments = rec.comments;
  return frame;
}

function hardwareOf(iface: InterfaceInfo | undefined): string | undefined {
  const o = iface?.options?.find((opt) => opt.code === IF_HARDWARE);
  return o ? decodeString(o.value) : undefined;
}

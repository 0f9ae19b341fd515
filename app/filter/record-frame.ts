// What the dissector is told about a record read from a file: its number, times and lengths,
// and for pcapng the interface (numbered within its section, as tshark shows frame.interface_id),
// comments and custom blocks (which tshark 4.0 lists as frames).
import type { FrameInput } from '../dissect/packet.js';
import type { AbsTime } from '../dissect/tree.js';
import type { CaptureFileInfo, PacketRecord } from '../file/types.js';

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
  const iface = info.interfaces[rec.interfaceId];
  if (info.format === 'pcapng') frame.section = (iface?.section ?? 0) + 1;
  if (rec.pen !== undefined) {
    frame.customBlock = { pen: rec.pen, copy: rec.blockType === 0xbad };
  } else if (info.format === 'pcapng') {
    frame.interfaceId = rec.sectionInterfaceId ?? rec.interfaceId;
    if (iface?.name !== undefined) frame.interfaceName = iface.name;
    if (iface?.description !== undefined) frame.interfaceDescription = iface.description;
  }
  if (rec.comments && rec.comments.length) frame.comments = rec.comments;
  return frame;
}

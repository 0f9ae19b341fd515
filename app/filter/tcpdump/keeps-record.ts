// Whether a tcpdump expression keeps a capture-file record, as libpcap would have when capturing
// it: the record's bytes tested where the reader holds them (no view cut for a slot), and never a
// pcapng Custom Block (libpcap knows none). Read's -f and tcpdump -Y, the filter-and-write pass
// and the statistics passes all ask it so.
import { RecordSlot } from '../../file/slot.js';
import type { PacketRecord } from '../../file/types.js';
import type { TcpdumpFilter } from './compile.js';

export function keepsRecord(filter: TcpdumpFilter, rec: PacketRecord): boolean {
  if (rec.pen !== undefined) return false;
  return rec instanceof RecordSlot ? filter.testAt(rec.buf, rec.start, rec.capLen, rec.linkType, rec.origLen) : filter.test(rec.data, rec.linkType, rec.origLen);
}

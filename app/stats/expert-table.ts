// The expert information summary (tshark's `-z expert`, ui/cli/tap-expert.c; Wireshark's
// Analyze → Expert Information): every expert note of the packets counted, per severity, by
// protocol and message. Notes of the same protocol and message are one row however their
// groups differ (the first one's group is shown); rows keep the order their first note came in.
import { GROUP_NAMES } from '../dissect/expert-codes.js';
import type { ExpertNote, ExpertSeverity } from '../dissect/tree.js';

export interface ExpertRow {
  group: string;
  protocol: string;
  summary: string;
  count: number;
}

/** Most severe first, as tshark prints them, with its titles. */
const SECTIONS: ReadonlyArray<[ExpertSeverity, string]> = [
  ['error', 'Errors'], ['warn', 'Warns'], ['note', 'Notes'], ['chat', 'Chats'], ['comment', 'Comments'],
];
const RANK: Readonly<Record<ExpertSeverity, number>> = { comment: 0, chat: 1, note: 2, warn: 3, error: 4 };

export class ExpertTable {
  private readonly rows = new Map<ExpertSeverity, Map<string, ExpertRow>>();

  /** `lowest`: notes less severe than this are not counted (tshark's `-z expert,warn`). */
  constructor(private readonly lowest: ExpertSeverity = 'comment') {}

  count(note: ExpertNote): void {
    if (note.untapped || RANK[note.severity] < RANK[this.lowest]) return;
    let bySeverity = this.rows.get(note.severity);
    if (!bySeverity) this.rows.set(note.severity, (bySeverity = new Map()));
    const protocol = note.protocol ?? '';
    const key = `${protocol}\0${note.message}`;
    const row = bySeverity.get(key);
    if (row) row.count++;
    else bySeverity.set(key, { group: note.group, protocol, summary: note.message, count: 1 });
  }

  /** The rows of one severity, in the order their first notes came. */
  list(severity: ExpertSeverity): ExpertRow[] {
    return [...(this.rows.get(severity)?.values() ?? [])];
  }
}

/** The table as `tshark -q -z expert` prints it: a section per severity that has notes. */
export function writeExpertTable(table: ExpertTable, write: (s: string) => void): void {
  for (const [severity, title] of SECTIONS) {
    const rows = table.list(severity);
    if (rows.length === 0) continue;
    const total = rows.reduce((sum, r) => sum + r.count, 0);
    let text = `\n${title} (${total})\n=============\n   Frequency      Group           Protocol  Summary\n`;
    for (const r of rows) text += `${String(r.count).padStart(12)} ${(GROUP_NAMES[r.group] ?? r.group).padStart(10)} ${r.protocol.padStart(18)}  ${r.summary}\n`;
    write(text);
  }
}

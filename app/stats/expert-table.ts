// The expert information summary (tshark's `-z expert`, ui/cli/tap-expert.c; Wireshark's
// Analyze → Expert Information): every expert note of the packets counted, per severity, by
// protocol and message. Notes of the same protocol and message are one row however their
// groups differ (the first one's group is shown); rows keep the order their first note came in.
import { GROUP_NAMES } from '../dissect/expert-codes.js';
import { fieldByName } from '../dissect/field.js';
import type { ExpertNote, ExpertSeverity } from '../dissect/tree.js';
import type { ExpertRow } from '../session/contract.js';

/**
 * Fields a dissector makes notes on only when they are wanted: the Frame (its Arrival Time's
 * note in tshark's tree words), TCP's flag string (the connection closing notes), a
 * certificate's undecoded extension (certificates are walked only for their fields). A pass
 * without trees that wants them gets the notes a tree pass gets.
 */
const EXPERT_TAP_FIELDS: readonly string[] = ['frame', 'tcp.flags.str', 'ber.error.oid_not_implemented'];

/** EXPERT_TAP_FIELDS' ids, for a pass's wanted set. */
export function expertTapFieldIds(): number[] {
  return EXPERT_TAP_FIELDS.map((name) => fieldByName(name)!.id);
}

/** Most severe first, as tshark prints them, with its titles. */
const SECTIONS: ReadonlyArray<[ExpertSeverity, string]> = [
  ['error', 'Errors'], ['warn', 'Warns'], ['note', 'Notes'], ['chat', 'Chats'], ['comment', 'Comments'],
];
const RANK: Readonly<Record<ExpertSeverity, number>> = { comment: 0, chat: 1, note: 2, warn: 3, error: 4 };

export class ExpertTable {
  /** Per severity, its rows in the order their first notes came. */
  private readonly rows = new Map<ExpertSeverity, ExpertRow[]>();
  /** Rows by message (a note's text is most often one and the same string: no key to build per note). */
  private readonly byMessage = new Map<string, ExpertRow[]>();

  /** `lowest`: notes less severe than this are not counted (tshark's `-z expert,warn`). */
  constructor(private readonly lowest: ExpertSeverity = 'comment') {}

  /** Counts a note of frame `frame`. */
  count(note: ExpertNote, frame: number): void {
    if (note.untapped || RANK[note.severity] < RANK[this.lowest]) return;
    const protocol = note.protocol ?? '';
    let same = this.byMessage.get(note.message);
    if (!same) this.byMessage.set(note.message, (same = []));
    for (const row of same) {
      if (row.severity === note.severity && row.protocol === protocol) {
        row.count++;
        return;
      }
    }
    const row: ExpertRow = { severity: note.severity, group: GROUP_NAMES[note.group] ?? note.group, protocol, summary: note.message, count: 1, firstFrame: frame };
    same.push(row);
    let ordered = this.rows.get(note.severity);
    if (!ordered) this.rows.set(note.severity, (ordered = []));
    ordered.push(row);
  }

  /** Every row, most severe first, each severity's in the order their first notes came (copies: the table goes on counting). */
  all(): ExpertRow[] {
    return SECTIONS.flatMap(([severity]) => (this.rows.get(severity) ?? []).map((r) => ({ ...r })));
  }
}

/** The table as `tshark -q -z expert` prints it: a section per severity that has notes. */
export function writeExpertTable(table: ExpertTable, write: (s: string) => void): void {
  write(expertText(table.all()));
}

/** Rows (most severe first, as ExpertTable.all() gives them) as `tshark -q -z expert` prints them. */
export function expertText(rows: readonly ExpertRow[]): string {
  let text = '';
  for (const [severity, title] of SECTIONS) {
    const section = rows.filter((r) => r.severity === severity);
    if (section.length === 0) continue;
    const total = section.reduce((sum, r) => sum + r.count, 0);
    text += `\n${title} (${total})\n=============\n   Frequency      Group           Protocol  Summary\n`;
    for (const r of section) text += `${String(r.count).padStart(12)} ${r.group.padStart(10)} ${r.protocol.padStart(18)}  ${r.summary}\n`;
  }
  return text;
}

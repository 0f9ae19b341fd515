// What `tshark -z expert` counts that SynScope does not (docs/tshark-differences.md says why),
// for the tests that hold SynScope's expert information summary to tshark's: the CLI's
// `read -z expert` and the session's stats.expert.
import { corpusCaptures, corpusPath } from './corpus.js';
import { tsharkExpertSummary } from './tshark-verbose.js';

/** A row tshark counts more of than SynScope (docs/tshark-differences.md says why). */
export interface Gap {
  protocol: string;
  summary: string;
  /** How many of tshark's notes in the row SynScope does not make. */
  missing: number;
}

export const EXPERT_GAPS: Record<string, Gap[]> = {};

export const EXPERT_LEFT_OUT: Record<string, string> = {
  'tcpdump/dsa.pcap': 'tshark cannot read it (link type 284)',
};

/**
 * tshark's text less the notes of `gaps`: each gap's row counts `missing` fewer (gone at 0),
 * its section's total with it (a section left empty goes too).
 */
export function withoutGaps(text: string, gaps: readonly Gap[]): string {
  const sections = text.split(/\n(?=\w+ \(\d+\)\n=+\n)/);
  return sections.map((section) => {
    const lines = section.split('\n');
    const title = /^(\w+) \((\d+)\)$/.exec(lines[0]!);
    if (!title) return section;
    let total = Number(title[2]);
    const rows = lines.slice(3).flatMap((line) => {
      const m = /^ *(\d+) +(\S+) +(.+?)  (.*)$/.exec(line);
      const gap = m && gaps.find((g) => g.protocol === m[3]!.trim() && g.summary === m[4]);
      if (!m || !gap) return [line];
      total -= gap.missing;
      const left = Number(m[1]) - gap.missing;
      return left > 0 ? [line.replace(/^ *\d+/, String(left).padStart(12))] : [];
    });
    if (total === 0) return null;
    return [`${title[1]} (${total})`, lines[1], lines[2], ...rows].join('\n');
  }).filter((s) => s !== null).join('\n');
}

/** The corpus captures the expert summaries are compared on: all that tshark reads. */
export function expertCaptures(): string[] {
  return corpusCaptures().filter((rel) => !(rel in EXPERT_LEFT_OUT));
}

/** `tshark -q -z expert` of a corpus capture, less the notes of its documented gaps. */
export function expectedExpertText(rel: string): string {
  const text = tsharkExpertSummary(corpusPath(rel));
  const gaps = EXPERT_GAPS[rel];
  return gaps ? withoutGaps(text, gaps) : text;
}

// Pieces of a `-V` text (tshark's or SynScope's) that the tree tests compare.

/**
 * The non-empty lines of every item whose line starts with `title` (after its indentation) —
 * or is `title`, when `exact` — each followed by its children: the lines after it that are
 * indented deeper.
 */
export function sectionLines(text: string, title: string, exact = false): string[] {
  const out: string[] = [];
  let depth = -1;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const indent = line.length - line.trimStart().length;
    if (depth >= 0 && indent > depth) {
      out.push(line);
      continue;
    }
    depth = line.startsWith(title, indent) && (!exact || line.length === indent + title.length) ? indent : -1;
    if (depth >= 0) out.push(line);
  }
  return out;
}

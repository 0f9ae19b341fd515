// Pieces of a `-V` text (tshark's or SynScope's) that the tree tests compare.

/** The non-empty lines of every top-level item whose line starts with `title`, children included. */
export function sectionLines(text: string, title: string): string[] {
  const out: string[] = [];
  let inside = false;
  for (const line of text.split('\n')) {
    if (line.startsWith(title)) inside = true;
    else if (line !== '' && !line.startsWith(' ')) inside = false;
    if (inside && line !== '') out.push(line);
  }
  return out;
}

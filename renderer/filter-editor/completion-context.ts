// What the filter editor should offer at the cursor: field names while a field is being typed,
// values seen in the capture after a comparison (`ip.addr == 10.`) or inside a set
// (`tcp.port in {80, `), nothing elsewhere. Pure text logic: the providers in monaco-setup.ts
// turn the answer into filter.fields / filter.values calls.

export type CompletionContext =
  | { kind: 'field'; prefix: string; start: number; end: number }
  | { kind: 'value'; field: string; prefix: string; start: number; end: number; quoted: boolean }
  | { kind: 'none' };

/** Characters of a field name or a bare value (addresses, numbers, byte strings). */
const WORD_CHAR = /[A-Za-z0-9_.:\-/]/;
const FIELD = String.raw`\.?[A-Za-z_][A-Za-z0-9_\-]*(?:\.[A-Za-z0-9_\-]+)*`;
const COMPARISON = String.raw`(?:===|!==|==|!=|~=|>=|<=|>|<|\beq\b|\bne\b|\bany_eq\b|\ball_ne\b|\ball_eq\b|\bany_ne\b|\bgt\b|\bge\b|\blt\b|\ble\b|\bcontains\b)`;
const AFTER_COMPARISON = new RegExp(`(${FIELD})\\s*${COMPARISON}\\s*$`);
const INSIDE_SET = new RegExp(`(${FIELD})\\s+(?:not\\s+)?in\\s*\\{[^{}]*$`);

/** The word (field name or bare value) around `offset`: [start, end). */
export function wordAt(text: string, offset: number): { start: number; end: number } {
  let start = offset;
  while (start > 0 && WORD_CHAR.test(text[start - 1]!)) start--;
  let end = offset;
  while (end < text.length && WORD_CHAR.test(text[end]!)) end++;
  return { start, end };
}

/** The field name under `offset` (for hover), when the word there looks like one. */
export function fieldAt(text: string, offset: number): { name: string; start: number; end: number } | null {
  const { start, end } = wordAt(text, offset);
  const word = text.slice(start, end);
  if (!new RegExp(`^${FIELD}$`).test(word)) return null;
  return { name: word.replace(/^\./, ''), start, end };
}

export function completionContext(text: string, offset: number): CompletionContext {
  const before = text.slice(0, offset);
  // Inside a quoted string after a comparison: complete the string value.
  const quote = /"([^"\\]*)$/.exec(before);
  if (quote && (before.slice(0, quote.index).match(/"/g)?.length ?? 0) % 2 === 0) {
    const head = before.slice(0, quote.index);
    const m = AFTER_COMPARISON.exec(head) ?? INSIDE_SET.exec(head);
    if (!m) return { kind: 'none' };
    const close = text.indexOf('"', offset);
    return { kind: 'value', field: m[1]!.replace(/^\./, ''), prefix: quote[1]!, start: quote.index, end: close < 0 ? text.length : close + 1, quoted: true };
  }
  const { start, end } = wordAt(text, offset);
  const prefix = text.slice(start, offset);
  const head = text.slice(0, start);
  const value = AFTER_COMPARISON.exec(head) ?? INSIDE_SET.exec(head);
  if (value) return { kind: 'value', field: value[1]!.replace(/^\./, ''), prefix, start, end, quoted: false };
  // A field (or protocol) name is being typed where an operand may start.
  if (prefix === '' || /^\.?[A-Za-z_][A-Za-z0-9_.\-]*$/.test(prefix)) {
    const previous = head.trimEnd();
    // Right after a field name (`tcp.port |`) an operator comes, not another field.
    if (new RegExp(`${FIELD}$`).test(previous) && !/(?:^|\s)(?:and|or|not|in)$/.test(previous) && previous.length > 0 && /\s$/.test(head)) {
      return { kind: 'none' };
    }
    return { kind: 'field', prefix: prefix.replace(/^\./, ''), start, end };
  }
  return { kind: 'none' };
}

/** How a value seen in the capture is written in a filter for a field of this type. */
export function valueLiteral(value: string, fieldType: string): string {
  if (fieldType === 'FT_STRING' || fieldType === 'FT_STRINGZ' || fieldType === 'FT_ABSOLUTE_TIME') return JSON.stringify(value);
  return value;
}

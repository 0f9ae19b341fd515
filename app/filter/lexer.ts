// Display-filter scanner: text -> tokens with character spans [start, end). Modelled on the
// token set of Wireshark 4.0's epan/dfilter/scanner.l (tshark 4.0 is the reference): operator
// words and symbols, quoted strings with C escapes, character constants, slices scanned as raw
// range text, and "unparsed" words (field names, numbers, addresses, byte strings) that only
// the semantic check can classify, because what `80` or `a:b` means depends on the field.
// Pure function: no registry access here.

export type TokenKind =
  | 'lparen' | 'rparen' | 'lbrace' | 'rbrace' | 'lbracket' | 'rbracket' | 'comma' | 'dotdot'
  | 'cmp' // value: any_eq all_ne all_eq any_ne gt ge lt le contains matches
  | 'and' | 'or' | 'not' | 'in'
  | 'arith' // value: + - * / % &
  | 'string' // quoted string; bytes in `bytes`
  | 'char' // character constant 'x'; numeric value in `num`
  | 'word' // unparsed literal or identifier
  | 'range' // raw text between [ ] or commas inside a slice
  | 'layer' // `#2`, `#[1-2,4]` after a field name: the protocol layers it is taken from (in `parts`)
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** Source text (for words, ranges, operators) or canonical operator name for 'cmp'. */
  value: string;
  start: number;
  end: number;
  /** Decoded bytes of a quoted string. */
  bytes?: Uint8Array;
  /** A layer token's ranges, each with its span. */
  parts?: Array<{ text: string; start: number; end: number }>;
  /** A character constant's value. */
  num?: number;
}

export class FilterSyntaxError extends Error {
  constructor(message: string, readonly start: number, readonly end: number) {
    super(message);
    this.name = 'FilterSyntaxError';
  }
}

// Error texts (tshark 4.0's wording).
export const MSG_UNTERMINATED_STRING = 'The final quote was missing from a quoted string.';
export const MSG_UNTERMINATED_CHAR = 'The final quote was missing from a character constant.';
export const MSG_MISSING_RBRACKET = 'The right bracket was missing from a slice.';
export const msgBadEscape = (seq: string): string => `${seq} is not a valid character escape sequence`;
export const msgUnexpected = (text: string): string => `"${text}" was unexpected in this context.`;

const WORD_OPS: Readonly<Record<string, [TokenKind, string]>> = {
  eq: ['cmp', 'any_eq'], any_eq: ['cmp', 'any_eq'],
  ne: ['cmp', 'all_ne'], all_ne: ['cmp', 'all_ne'],
  all_eq: ['cmp', 'all_eq'], any_ne: ['cmp', 'any_ne'],
  gt: ['cmp', 'gt'], ge: ['cmp', 'ge'], lt: ['cmp', 'lt'], le: ['cmp', 'le'],
  contains: ['cmp', 'contains'], matches: ['cmp', 'matches'],
  and: ['and', 'and'], or: ['or', 'or'], not: ['not', 'not'], in: ['in', 'in'],
  bitwise_and: ['arith', '&'],
};

// Longest first.
const SYMBOL_OPS: ReadonlyArray<[string, TokenKind, string]> = [
  ['===', 'cmp', 'all_eq'], ['!==', 'cmp', 'any_ne'],
  ['==', 'cmp', 'any_eq'], ['!=', 'cmp', 'all_ne'], ['~=', 'cmp', 'any_ne'],
  ['>=', 'cmp', 'ge'], ['<=', 'cmp', 'le'], ['&&', 'and', 'and'], ['||', 'or', 'or'], ['..', 'dotdot', '..'],
  ['>', 'cmp', 'gt'], ['<', 'cmp', 'lt'], ['~', 'cmp', 'matches'], ['!', 'not', 'not'],
  ['(', 'lparen', '('], [')', 'rparen', ')'], ['{', 'lbrace', '{'], ['}', 'rbrace', '}'],
  ['[', 'lbracket', '['], [']', 'rbracket', ']'], [',', 'comma', ','],
  ['+', 'arith', '+'], ['-', 'arith', '-'], ['*', 'arith', '*'], ['/', 'arith', '/'], ['%', 'arith', '%'], ['&', 'arith', '&'],
];

const isWordChar = (c: string): boolean => /[A-Za-z0-9_:.\-/]/.test(c);
const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34, "'": 39, '?': 63,
};

/** Whether the previous token ends a value (so a following `-` is subtraction, not a sign). */
function endsValue(t: Token | undefined): boolean {
  return !!t && (t.kind === 'word' || t.kind === 'string' || t.kind === 'char' || t.kind === 'rparen' || t.kind === 'rbracket');
}

export function lex(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    // Quoted string (and raw string r"...").
    if (c === '"' || ((c === 'r' || c === 'R') && text[i + 1] === '"' && !isWordChar(text[i - 1] ?? ' '))) {
      const start = i;
      const raw = c !== '"';
      i += raw ? 2 : 1;
      const bytes: number[] = [];
      const enc = new TextEncoder();
      for (;;) {
        if (i >= n) throw new FilterSyntaxError(MSG_UNTERMINATED_STRING, n, n + 1);
        const ch = text[i]!;
        if (ch === '"') {
          i++;
          break;
        }
        if (ch === '\\') {
          const e = text[i + 1];
          if (e === undefined) throw new FilterSyntaxError(MSG_UNTERMINATED_STRING, n, n + 1);
          if (raw) {
            if (e === '"' || e === '\\') bytes.push(92, e.charCodeAt(0));
            else bytes.push(92, ...enc.encode(e));
            i += 2;
            continue;
          }
          let m: RegExpExecArray | null;
          if ((m = /^[0-7]{1,3}/.exec(text.slice(i + 1, i + 4)))) {
            const v = parseInt(m[0], 8);
            if (v > 255) throw new FilterSyntaxError(`\\${m[0]} is larger than 255.`, i, i + 1 + m[0].length);
            bytes.push(v);
            i += 1 + m[0].length;
          } else if (e === 'x' && (m = /^[0-9A-Fa-f]{1,2}/.exec(text.slice(i + 2, i + 4)))) {
            bytes.push(parseInt(m[0], 16));
            i += 2 + m[0].length;
          } else if (SIMPLE_ESCAPES[e] !== undefined) {
            bytes.push(SIMPLE_ESCAPES[e]!);
            i += 2;
          } else {
            throw new FilterSyntaxError(msgBadEscape('\\' + e), i, i + 2);
          }
          continue;
        }
        const cp = text.codePointAt(i)!;
        const s = String.fromCodePoint(cp);
        bytes.push(...enc.encode(s));
        i += s.length;
      }
      out.push({ kind: 'string', value: text.slice(start, i), start, end: i, bytes: Uint8Array.from(bytes) });
      continue;
    }
    // Character constant: 'a', '\n', '\x41', '\101'.
    if (c === "'") {
      const start = i;
      const close = text.indexOf("'", text[i + 1] === '\\' ? i + 3 : i + 2);
      if (close < 0) throw new FilterSyntaxError(MSG_UNTERMINATED_CHAR, n, n + 1);
      const body = text.slice(i + 1, close);
      let num: number | undefined;
      if (body.length === 1) num = body.charCodeAt(0);
      else if (/^\\x[0-9A-Fa-f]{1,2}$/.test(body)) num = parseInt(body.slice(2), 16);
      else if (/^\\[0-7]{1,3}$/.test(body)) num = parseInt(body.slice(1), 8);
      else if (body.length === 2 && body[0] === '\\' && SIMPLE_ESCAPES[body[1]!] !== undefined) num = SIMPLE_ESCAPES[body[1]!];
      const whole = text.slice(start, close + 1);
      // tshark 4.0's wording: an escape over 255 is "too large", more than one character "too long".
      if (num !== undefined && num > 255) throw new FilterSyntaxError(`${whole} is too large to be a valid character constant.`, start, close + 1);
      if (num === undefined && body.length > 1 && body[0] !== '\\') throw new FilterSyntaxError(`${whole} is too long to be a valid character constant.`, start, close + 1);
      if (num === undefined) throw new FilterSyntaxError(`${whole} is not a valid character constant.`, start, close + 1);
      i = close + 1;
      out.push({ kind: 'char', value: text.slice(start, i), start, end: i, num });
      continue;
    }
    // A word: field names, numbers, addresses, byte strings. `..` ends it (ranges in sets).
    // A leading '-' belongs to the word only where a value starts (`tcp.port == -1`).
    if (isWordChar(c) && c !== '/' && (c !== '-' || (!endsValue(out[out.length - 1]) && /[0-9]/.test(text[i + 1] ?? '')))
      && !(c === '.' && text[i + 1] === '.')) {
      const start = i;
      i++;
      while (i < n && isWordChar(text[i]!) && !(text[i] === '.' && text[i + 1] === '.')) i++;
      // `1.2.3.4/` : the slash is an operator, as in tshark (which then wants an operand).
      while (i - 1 > start && text[i - 1] === '/') i--;
      const w = text.slice(start, i);
      const op = WORD_OPS[w];
      if (op) out.push({ kind: op[0], value: op[1], start, end: i });
      else out.push({ kind: 'word', value: w, start, end: i });
      if (!op && text[i] === '#') i = lexLayer(text, i, out);
      continue;
    }
    let matched = false;
    for (const [sym, kind, value] of SYMBOL_OPS) {
      if (text.startsWith(sym, i)) {
        out.push({ kind, value: kind === 'cmp' || kind === 'arith' ? value : sym, start: i, end: i + sym.length });
        i += sym.length;
        matched = true;
        if (kind === 'lbracket') i = lexRange(text, i, out);
        break;
      }
    }
    if (!matched) throw new FilterSyntaxError(msgUnexpected(c), i, i + 1);
  }
  out.push({ kind: 'eof', value: '', start: n, end: n });
  return out;
}

/**
 * `#N` or `#[ranges]` after a field name (tshark 4.0's layer operator): which occurrences of the
 * field's protocol in the frame its values are taken from.
 */
function lexLayer(text: string, i: number, out: Token[]): number {
  const start = i;
  i++;
  if (/[0-9]/.test(text[i] ?? '')) {
    const from = i;
    while (i < text.length && /[0-9]/.test(text[i]!)) i++;
    out.push({ kind: 'layer', value: text.slice(start, i), start, end: i, parts: [{ text: text.slice(from, i), start: from, end: i }] });
    return i;
  }
  if (text[i] !== '[') throw new FilterSyntaxError(`Expected digit or "[", not "${text[i] ?? ''}"`, i, i + 1);
  const ranges: Token[] = [];
  const end = lexRange(text, i + 1, ranges);
  const parts = ranges.filter((t) => t.kind === 'range').map((t) => ({ text: t.value, start: t.start, end: t.end }));
  out.push({ kind: 'layer', value: text.slice(start, end), start, end, parts });
  return end;
}

/** Inside [ ]: raw range texts separated by commas, up to the closing bracket (scanner.l RANGE). */
function lexRange(text: string, i: number, out: Token[]): number {
  const n = text.length;
  for (;;) {
    if (i >= n) throw new FilterSyntaxError(MSG_MISSING_RBRACKET, n, n + 1);
    const c = text[i]!;
    if (c === ']') {
      out.push({ kind: 'rbracket', value: ']', start: i, end: i + 1 });
      return i + 1;
    }
    if (c === ',') {
      out.push({ kind: 'comma', value: ',', start: i, end: i + 1 });
      i++;
      continue;
    }
    const start = i;
    while (i < n && text[i] !== ']' && text[i] !== ',') i++;
    // Spans exclude surrounding blanks, as tshark's caret does.
    let s = start;
    let e = i;
    while (s < e && /\s/.test(text[s]!)) s++;
    while (e > s && /\s/.test(text[e - 1]!)) e--;
    out.push({ kind: 'range', value: text.slice(s, e), start: s, end: e });
  }
}

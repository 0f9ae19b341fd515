// Display-filter grammar: tokens -> AST with character spans [start, end). Recursive descent
// with Wireshark 4.0's precedence (epan/dfilter/grammar.lemon): `or` < `and` < `not` <
// comparison / `in` < `&` < `+ -` < `* / %` < unary minus < slice. Parentheses group tests,
// braces group arithmetic (`{tcp.len + 1} * 2`) and hold sets (`in {80, 443, 8000..8100}`).
// Words stay unclassified here: only check.ts knows whether `tcp`, `80` or `aa:bb` is a field,
// a number or bytes. Pure function.
import { FilterSyntaxError, lex, msgUnexpected, type Token } from './lexer.js';

export const MSG_UNEXPECTED_END = 'Unexpected end of filter expression.';

export interface Span {
  start: number;
  end: number;
}

export type CmpOp = 'any_eq' | 'all_ne' | 'all_eq' | 'any_ne' | 'gt' | 'ge' | 'lt' | 'le' | 'contains' | 'matches';
export type ArithOp = '+' | '-' | '*' | '/' | '%' | '&';

export type Ast =
  /** `layer`: `#N` / `#[...]` after a field name, its range texts with their spans. */
  | (Span & { kind: 'word'; text: string; layer?: Array<{ text: string; start: number; end: number }> })
  /** `.name`: a word that can only be a field or protocol (tshark 4.0's explicit field syntax). */
  | (Span & { kind: 'field'; text: string; layer?: Array<{ text: string; start: number; end: number }> })
  | (Span & { kind: 'string'; text: string; bytes: Uint8Array })
  | (Span & { kind: 'char'; text: string; value: number })
  | (Span & { kind: 'slice'; of: Ast; ranges: Array<Span & { text: string }> })
  | (Span & { kind: 'call'; name: string; nameSpan: Span; args: Ast[] })
  | (Span & { kind: 'arith'; op: ArithOp; left: Ast; right: Ast })
  | (Span & { kind: 'neg'; operand: Ast })
  /** `all` (tshark 4.0's quantifier): every value of the left side must pass, not any one. */
  | (Span & { kind: 'cmp'; op: CmpOp; opText: string; left: Ast; right: Ast; all?: boolean })
  | (Span & { kind: 'in'; negated: boolean; left: Ast; items: Array<{ lo: Ast; hi?: Ast }>; quant?: 'any' | 'all' })
  | (Span & { kind: 'and' | 'or'; left: Ast; right: Ast })
  | (Span & { kind: 'not'; operand: Ast })
  | (Span & { kind: 'group'; expr: Ast });

class Parser {
  private pos = 0;
  constructor(private readonly toks: Token[], private readonly text: string) {}

  private peek(): Token {
    return this.toks[this.pos]!;
  }
  private next(): Token {
    return this.toks[this.pos++]!;
  }
  fail(t: Token): never {
    if (t.kind === 'eof') throw new FilterSyntaxError(MSG_UNEXPECTED_END, t.start, t.end);
    throw new FilterSyntaxError(msgUnexpected(this.text.slice(t.start, t.end)), t.start, t.end);
  }
  private expect(kind: Token['kind']): Token {
    const t = this.next();
    if (t.kind !== kind) this.fail(t);
    return t;
  }

  parseFilter(): Ast {
    if (this.peek().kind === 'eof') this.fail(this.peek());
    const e = this.orExpr();
    if (this.peek().kind !== 'eof') this.fail(this.peek());
    return e;
  }

  private orExpr(): Ast {
    let left = this.andExpr();
    while (this.peek().kind === 'or') {
      this.next();
      const right = this.andExpr();
      left = { kind: 'or', left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private andExpr(): Ast {
    let left = this.notExpr();
    while (this.peek().kind === 'and') {
      this.next();
      const right = this.notExpr();
      left = { kind: 'and', left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private notExpr(): Ast {
    const t = this.peek();
    if (t.kind === 'not') {
      this.next();
      const operand = this.notExpr();
      return { kind: 'not', operand, start: t.start, end: operand.end };
    }
    return this.relation();
  }

  private relation(): Ast {
    // Parentheses group tests only (grammar.lemon: `expr ::= LPAREN expr RPAREN`).
    const open = this.peek();
    if (open.kind === 'lparen') {
      this.next();
      const expr = this.orExpr();
      const close = this.expect('rparen');
      return { kind: 'group', expr, start: open.start, end: close.end };
    }
    // A quantifier before a comparison: `any` (the default) or `all`.
    const q = this.peek();
    const quant = q.kind === 'word' && (q.value === 'any' || q.value === 'all') && this.toks[this.pos + 1]?.kind !== 'cmp' ? q.value : null;
    if (quant) this.next();
    const left = this.bitand();
    const t = this.peek();
    if (t.kind === 'cmp') {
      this.next();
      const right = this.bitand();
      // `any a != b` is `a ~= b`, `all a == b` is `a === b`; other operators keep a flag.
      let op = t.value as CmpOp;
      if (quant === 'any' && op === 'all_ne') op = 'any_ne';
      if (quant === 'all' && op === 'any_eq') op = 'all_eq';
      const node: Ast = { kind: 'cmp', op, opText: this.text.slice(t.start, t.end), left, right, start: quant ? q.start : left.start, end: right.end };
      if (quant === 'all' && op !== 'all_eq' && op !== 'all_ne' && op !== 'any_ne') node.all = true;
      return node;
    }
    if (quant && this.peek().kind !== 'in' && !(this.peek().kind === 'not' && this.toks[this.pos + 1]?.kind === 'in')) this.fail(this.peek());
    let negated = false;
    if (t.kind === 'not' && this.toks[this.pos + 1]?.kind === 'in') {
      this.next();
      negated = true;
    }
    if (this.peek().kind === 'in') {
      // tshark 4.0's grammar takes no arithmetic before `in`.
      if (left.kind === 'arith' || left.kind === 'neg') this.fail(this.peek());
      this.next();
      this.expect('lbrace');
      const items: Array<{ lo: Ast; hi?: Ast }> = [];
      for (;;) {
        const lo = this.bitand();
        if (this.peek().kind === 'dotdot') {
          this.next();
          items.push({ lo, hi: this.bitand() });
        } else {
          items.push({ lo });
        }
        const sep = this.next();
        if (sep.kind === 'rbrace') return { kind: 'in', negated, left, items, start: quant ? q.start : left.start, end: sep.end, ...(quant ? { quant } : {}) };
        if (sep.kind !== 'comma') this.fail(sep);
      }
    }
    return left;
  }

  private bitand(): Ast {
    let left = this.additive();
    while (this.peek().kind === 'arith' && this.peek().value === '&') {
      this.next();
      const right = this.additive();
      left = { kind: 'arith', op: '&', left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private additive(): Ast {
    let left = this.multiplicative();
    while (this.peek().kind === 'arith' && (this.peek().value === '+' || this.peek().value === '-')) {
      const op = this.next().value as ArithOp;
      const right = this.multiplicative();
      left = { kind: 'arith', op, left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private multiplicative(): Ast {
    let left = this.unary();
    while (this.peek().kind === 'arith' && (this.peek().value === '*' || this.peek().value === '/' || this.peek().value === '%')) {
      const op = this.next().value as ArithOp;
      const right = this.unary();
      left = { kind: 'arith', op, left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private unary(): Ast {
    const t = this.peek();
    if (t.kind === 'arith' && t.value === '-') {
      this.next();
      const operand = this.unary();
      return { kind: 'neg', operand, start: t.start, end: operand.end };
    }
    return this.postfix();
  }

  private postfix(): Ast {
    let e = this.primary();
    while (this.peek().kind === 'lbracket') {
      this.next();
      const ranges: Array<Span & { text: string }> = [];
      for (;;) {
        const r = this.next();
        if (r.kind === 'range') ranges.push({ text: r.value, start: r.start, end: r.end });
        else this.fail(r);
        const sep = this.next();
        if (sep.kind === 'rbracket') {
          e = { kind: 'slice', of: e, ranges, start: e.start, end: sep.end };
          break;
        }
        if (sep.kind !== 'comma') this.fail(sep);
      }
    }
    return e;
  }

  private primary(): Ast {
    const t = this.next();
    switch (t.kind) {
      case 'word':
        if (this.peek().kind === 'lparen' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(t.value)) {
          this.next();
          const args: Ast[] = [];
          if (this.peek().kind !== 'rparen') {
            for (;;) {
              args.push(this.bitand());
              const sep = this.next();
              if (sep.kind === 'rparen') break;
              if (sep.kind !== 'comma') this.fail(sep);
            }
          } else {
            this.next();
          }
          const end = this.toks[this.pos - 1]!.end;
          return { kind: 'call', name: t.value, nameSpan: { start: t.start, end: t.end }, args, start: t.start, end };
        }
        {
          const kind = /^\.[A-Za-z0-9_]/.test(t.value) ? 'field' : 'word';
          const text = kind === 'field' ? t.value.slice(1) : t.value;
          if (this.peek().kind === 'layer') {
            const l = this.next();
            return { kind, text, layer: l.parts!, start: t.start, end: l.end };
          }
          return { kind, text, start: t.start, end: t.end };
        }
      case 'string':
        return { kind: 'string', text: t.value, bytes: t.bytes!, start: t.start, end: t.end };
      case 'char':
        return { kind: 'char', text: t.value, value: t.num!, start: t.start, end: t.end };
      case 'lbrace': {
        const expr = this.bitand();
        const close = this.expect('rbrace');
        return { ...expr, start: t.start, end: close.end };
      }
      default:
        return this.fail(t);
    }
  }
}

/** Parses a display filter. Throws FilterSyntaxError with the offending span. */
export function parse(text: string): Ast {
  return new Parser(lex(text), text).parseFilter();
}

// Runs a Monarch grammar through Monaco's own Monarch compiler and lexer, in Node, without an
// editor or a DOM: the grammar tests tokenize exactly as the editor will. Test support only.
import type { languages } from 'monaco-editor';
import { compile } from 'monaco-editor/editor/standalone/common/monarch/monarchCompile.js';
import { MonarchTokenizer } from 'monaco-editor/editor/standalone/common/monarch/monarchLexer.js';

export interface MonarchToken {
  /** Token class, without a language postfix. */
  type: string;
  start: number;
  end: number;
  text: string;
}

// The few services MonarchTokenizer asks for when it only tokenizes one language.
const configuration = { getValue: (): number => 20_000, onDidChangeConfiguration: () => ({ dispose(): void {} }) };
const languageService = {
  languageIdCodec: { encodeLanguageId: (): number => 1 },
  isRegisteredLanguageId: (): boolean => true,
  requestBasicLanguageFeatures(): void {},
};

export function monarchTokenizer(languageId: string, grammar: languages.IMonarchLanguage): (line: string) => MonarchToken[] {
  const tokenizer = new MonarchTokenizer(languageService, {}, languageId, compile(languageId, grammar), configuration);
  return (line) => {
    const { tokens } = tokenizer.tokenize(line, false, tokenizer.getInitialState());
    return tokens.map((t, i) => {
      const end = i + 1 < tokens.length ? tokens[i + 1]!.offset : line.length;
      return { type: t.type, start: t.offset, end, text: line.slice(t.offset, end) };
    }).filter((t) => t.end > t.start);
  };
}

/** A scanner token as both engine scanners give them. */
export interface ScannerToken {
  kind: string;
  start: number;
  end: number;
}

/**
 * Differences between a grammar's tokens and a scanner's on one text. Monaco merges neighbouring
 * tokens of one class (`((` is one token), so a grammar token may span several scanner tokens;
 * it may never cut inside one, and the class must be one `classesOf` allows for the kind.
 * `check` adds finer rules for a scanner token and the grammar token over it.
 */
export function differencesFromScanner<T extends ScannerToken>(
  text: string, ours: readonly MonarchToken[], theirs: readonly T[],
  classesOf: (kind: string) => readonly string[], check?: (scanned: T, grammar: MonarchToken) => string | undefined,
): string[] {
  const problems: string[] = [];
  const cuts = new Set(theirs.flatMap((s) => [s.start, s.end]));
  for (const m of ours) {
    if (!cuts.has(m.start) || !cuts.has(m.end)) problems.push(`${text}: grammar ${m.type} "${m.text}" [${m.start},${m.end}) cuts inside a scanner token`);
  }
  for (const s of theirs) {
    const m = ours.find((t) => t.start <= s.start && s.end <= t.end);
    if (!m) {
      problems.push(`${text}: scanner ${s.kind} "${text.slice(s.start, s.end)}" has no grammar token`);
      continue;
    }
    if (!classesOf(s.kind).includes(m.type)) problems.push(`${text}: ${s.kind} "${text.slice(s.start, s.end)}" coloured ${m.type}`);
    const more = check?.(s, m);
    if (more) problems.push(`${text}: ${more}`);
  }
  return problems;
}

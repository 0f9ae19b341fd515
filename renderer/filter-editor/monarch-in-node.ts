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

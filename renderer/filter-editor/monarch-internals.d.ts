// Types for the two Monaco modules monarch-in-node.ts uses (Monaco ships them untyped).
declare module 'monaco-editor/editor/standalone/common/monarch/monarchCompile.js' {
  import type { languages } from 'monaco-editor';
  export function compile(languageId: string, json: languages.IMonarchLanguage): unknown;
}
declare module 'monaco-editor/editor/standalone/common/monarch/monarchLexer.js' {
  export class MonarchTokenizer {
    constructor(languageService: unknown, themeService: unknown, languageId: string, lexer: unknown, configuration: unknown);
    getInitialState(): unknown;
    tokenize(line: string, hasEOL: boolean, state: unknown): { tokens: Array<{ offset: number; type: string; language: string }> };
  }
}

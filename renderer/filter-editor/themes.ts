// Token colours of the filter bar, light and dark, for the classes both grammars emit. Fields
// and protocols stand out from values; operators stay quiet; invalid text is red in both.
import type { editor } from 'monaco-editor';

const LIGHT: editor.ITokenThemeRule[] = [
  { token: 'field', foreground: '0b5cad' },
  { token: 'protocol', foreground: '7a1fa2', fontStyle: 'bold' },
  { token: 'function', foreground: '795e26' },
  { token: 'constant', foreground: '0f6e6e' },
  { token: 'number', foreground: '098658' },
  { token: 'address', foreground: 'a0522d' },
  { token: 'bytes', foreground: 'a0522d' },
  { token: 'string', foreground: 'a31515' },
  { token: 'string.invalid', foreground: 'd00000', fontStyle: 'underline' },
  { token: 'operator', foreground: '555555' },
  { token: 'keyword', foreground: '0000cc', fontStyle: 'bold' },
  { token: 'keyword.protocol', foreground: '7a1fa2', fontStyle: 'bold' },
  { token: 'identifier', foreground: '1f1f1f' },
  { token: 'delimiter', foreground: '555555' },
  { token: 'invalid', foreground: 'd00000' },
];

const DARK: editor.ITokenThemeRule[] = [
  { token: 'field', foreground: '6cb6ff' },
  { token: 'protocol', foreground: 'd2a8ff', fontStyle: 'bold' },
  { token: 'function', foreground: 'dcdcaa' },
  { token: 'constant', foreground: '4ec9b0' },
  { token: 'number', foreground: 'b5cea8' },
  { token: 'address', foreground: 'f0a868' },
  { token: 'bytes', foreground: 'f0a868' },
  { token: 'string', foreground: 'ce9178' },
  { token: 'string.invalid', foreground: 'ff6b6b', fontStyle: 'underline' },
  { token: 'operator', foreground: 'b0b0b0' },
  { token: 'keyword', foreground: '569cd6', fontStyle: 'bold' },
  { token: 'keyword.protocol', foreground: 'd2a8ff', fontStyle: 'bold' },
  { token: 'identifier', foreground: 'e0e0e0' },
  { token: 'delimiter', foreground: 'b0b0b0' },
  { token: 'invalid', foreground: 'ff6b6b' },
];

export const FILTER_THEMES: Record<'synscope-light' | 'synscope-dark', editor.IStandaloneThemeData> = {
  'synscope-light': { base: 'vs', inherit: true, rules: LIGHT, colors: { 'editor.background': '#ffffff00' } },
  'synscope-dark': { base: 'vs-dark', inherit: true, rules: DARK, colors: { 'editor.background': '#00000000' } },
};

export function filterThemeName(theme: 'light' | 'dark'): keyof typeof FILTER_THEMES {
  return theme === 'dark' ? 'synscope-dark' : 'synscope-light';
}

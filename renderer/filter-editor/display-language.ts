// Monarch grammar for Wireshark display filters. It follows the token boundaries of the engine's
// scanner (app/filter/lexer.ts, itself after tshark 4.0's scanner.l) so colours never straddle
// what the compiler sees as one token; display-language.test.ts runs this grammar through
// Monaco's own Monarch lexer in Node and compares it with that scanner on every filter of the
// engine's tshark tables. The renderer may not import the engine, hence a hand-written copy.
//
// Where the scanner says only "word" (it leaves classification to the semantic check, because
// what `80` or `a:b` means depends on the field), the grammar refines by shape: field names,
// protocols (the registry's FT_PROTOCOL names, passed in), functions, numbers, addresses, byte
// strings, and other bare words (value names such as `TCP`, `GET`, `True`).
import type { languages } from 'monaco-editor';

export const DISPLAY_LANGUAGE_ID = 'synscope-display';

/** Every token class this grammar emits (the theme colours these). */
export const DISPLAY_TOKEN_CLASSES = [
  'white', 'invalid',
  'delimiter.parenthesis', 'delimiter.curly', 'delimiter.bracket', 'delimiter', 'operator.range',
  'operator.comparison', 'keyword.comparison', 'operator.logical', 'keyword.logical', 'operator.arith', 'keyword.arith',
  'string', 'string.char', 'string.invalid',
  'number', 'number.hex', 'number.float', 'number.slice',
  'address.ipv4', 'address.ipv6', 'bytes',
  'field', 'protocol', 'function', 'constant',
] as const;
export type DisplayTokenClass = (typeof DISPLAY_TOKEN_CLASSES)[number];

// Word characters of the scanner: [A-Za-z0-9_:.\-/], where `..` ends a word (ranges in sets)
// and trailing slashes are left to the operator (`1.2.3.4/` then wants an operand).
const WORD_START = String.raw`(?:[A-Za-z0-9_:]|\.(?!\.))`;
const WORD_CONT = String.raw`(?:[A-Za-z0-9_:\-]|\.(?!\.)|\/+(?=[A-Za-z0-9_:\-]|\.(?!\.)))`;
const WORD = `${WORD_START}${WORD_CONT}*`;
// C escapes the scanner accepts inside "..." and '...'.
// (An octal escape above \377 is "too large", as in tshark.)
const ESCAPE = String.raw`\\(?:[0-3][0-7]{0,2}|[4-7][0-7]?|x[0-9A-Fa-f]{1,2}|[abfnrtv\\"'?])`;

const CMP_WORDS = ['eq', 'any_eq', 'ne', 'all_ne', 'all_eq', 'any_ne', 'gt', 'ge', 'lt', 'le', 'contains', 'matches'];
// `any` and `all` quantify a comparison (`all tcp.port > 1024`).
const LOGIC_WORDS = ['and', 'or', 'not', 'in', 'any', 'all'];

type Action = languages.IMonarchLanguageAction;

/** After a value (word, string, `)` or `]`) a `-` is subtraction; elsewhere it may sign a number. */
const toValue = (token: DisplayTokenClass): Action => ({ token, switchTo: '@afterValue' });
const toOperand = (token: DisplayTokenClass): Action => ({ token, switchTo: '@root' });

function wordCases(protocols: readonly string[]): Action {
  // `.tcp`: an explicit reference to the protocol (tshark 4.0).
  const dotted = protocols.length ? { [`~\\.(${protocols.map((p) => p.replace(/\./g, '\\.')).join('|')})`]: toValue('protocol') } : {};
  return {
    cases: {
      '@cmpWords': toOperand('keyword.comparison'),
      '@logicWords': toOperand('keyword.logical'),
      'bitwise_and': toOperand('keyword.arith'),
      '~-?0[xX][0-9a-fA-F]+': toValue('number.hex'),
      '~-?[0-9]+': toValue('number'),
      '~-?[0-9]*\\.[0-9]+': toValue('number.float'),
      '~[0-9]{1,3}(\\.[0-9]{1,3}){3}(/[0-9]+)?': toValue('address.ipv4'),
      '~[0-9A-Fa-f]{1,2}([:\\-.][0-9A-Fa-f]{1,2})+': toValue('bytes'),
      '~[0-9A-Fa-f]{4}\\.[0-9A-Fa-f]{4}\\.[0-9A-Fa-f]{4}': toValue('bytes'),
      '~[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(/[0-9]+)?': toValue('address.ipv6'),
      '@protocols': toValue('protocol'),
      ...dotted,
      '~\\.?[A-Za-z_][A-Za-z0-9_\\-]*(\\.[A-Za-z0-9_\\-]+)+': toValue('field'),
      '~\\.[A-Za-z_][A-Za-z0-9_\\-]*': toValue('field'),
      '@default': toValue('constant'),
    },
  };
}

/** Rules shared by both states (everything but the leading-sign rule). */
function commonRules(protocols: readonly string[]): languages.IMonarchLanguageRule[] {
  return [
    [/\s+/, 'white'],
    // Strings: valid escapes only; a bad escape or a missing quote is shown as invalid.
    [new RegExp(`[rR]"(?:[^"\\\\]|\\\\.)*"`), toValue('string')],
    [new RegExp(`"(?:[^"\\\\]|${ESCAPE})*"`), toValue('string')],
    [/"(?:[^"\\]|\\.)*"?/, toValue('string.invalid')],
    [new RegExp(`'(?:[^\\\\]|${ESCAPE})'`), toValue('string.char')],
    [/'(?:\\.|[^\\])[^']*'/, toValue('string.invalid')],
    [/'.*/, toValue('string.invalid')],
    // A function name is a word followed by `(` (len, count, lower, upper, string, ...).
    [new RegExp(`(?!(?:${[...CMP_WORDS, ...LOGIC_WORDS].join('|')})\\b)[A-Za-z_][A-Za-z0-9_]*(?=\\s*\\()`), toValue('function')],
    // A field with its layer (`ip.src#2`, `ip.addr#[1-2]`), the layer shown like a slice's range.
    [new RegExp(`(${WORD})(#(?:[0-9]+|\\[[^\\]]*\\]))`), [wordCases(protocols), toValue('number.slice')] as languages.IExpandedMonarchLanguageAction[]],
    [new RegExp(WORD), wordCases(protocols)],
    [/===|!==|==|!=|~=|>=|<=/, toOperand('operator.comparison')],
    [/&&|\|\|/, toOperand('operator.logical')],
    [/\.\./, toOperand('operator.range')],
    [/[<>~]/, toOperand('operator.comparison')],
    [/!/, toOperand('operator.logical')],
    [/\(/, toOperand('delimiter.parenthesis')],
    [/\)/, toValue('delimiter.parenthesis')],
    [/[{}]/, toOperand('delimiter.curly')],
    // A slice's ranges are raw text up to `,` or `]` (scanner.l's RANGE state).
    [/\[/, { token: 'delimiter.bracket', switchTo: '@slice' }],
    [/\]/, toValue('delimiter.bracket')],
    [/,/, toOperand('delimiter')],
    [/[+\-*/%&]/, toOperand('operator.arith')],
    [/./, toOperand('invalid')],
  ];
}

/** The Monarch definition; `protocols` are the registry's protocol names (`tcp`, `dns`, ...). */
export function displayFilterMonarch(protocols: readonly string[] = []): languages.IMonarchLanguage {
  return {
    defaultToken: 'invalid',
    tokenPostfix: '',
    cmpWords: CMP_WORDS,
    logicWords: LOGIC_WORDS,
    protocols: [...protocols],
    tokenizer: {
      root: [
        // A leading `-` belongs to a number where an operand starts (`tcp.port == -1`).
        [new RegExp(`-(?=[0-9])${WORD_CONT}+`), wordCases(protocols)],
        ...commonRules(protocols),
      ],
      afterValue: commonRules(protocols),
      slice: [
        [/\s+/, 'white'],
        [/,/, 'delimiter'],
        [/\]/, toValue('delimiter.bracket')],
        // A slice the line ends in is missing its `]`.
        [/[^\],\s](?:[^\],]*[^\],\s])?(?=\s*$)/, 'invalid'],
        [/[^\],\s](?:[^\],]*[^\],\s])?/, 'number.slice'],
      ],
    },
  };
}

/** Brackets and auto-closing pairs for the editor. */
export const DISPLAY_LANGUAGE_CONFIGURATION: languages.LanguageConfiguration = {
  brackets: [['(', ')'], ['{', '}'], ['[', ']']],
  autoClosingPairs: [
    { open: '(', close: ')' }, { open: '{', close: '}' }, { open: '[', close: ']' }, { open: '"', close: '"', notIn: ['string'] },
  ],
  wordPattern: /[A-Za-z0-9_.\-:]+/,
};

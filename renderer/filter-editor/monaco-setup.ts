// Monaco for the filter bar, loaded from our own bundle (no CDN): the editor core and only the
// contributions a one-line filter needs (suggest, hover, markers, placeholder, clipboard, word
// navigation), the two filter languages, light and dark themes, and the providers that ask the
// session for completions and hovers. Its one web worker is bundled beside the app
// (filter-editor-worker.js) and started from our own origin, so the page's CSP needs no
// 'unsafe-eval' and no inline script.
// First: Monaco reads its environment (worker, HTML policy) while its modules load.
import './monaco-environment.js';
import * as monaco from 'monaco-editor/editor/editor.api.js';
import 'monaco-editor/editor/contrib/suggest/browser/suggestController.js';
import 'monaco-editor/editor/contrib/hover/browser/hoverContribution.js';
import 'monaco-editor/editor/contrib/placeholderText/browser/placeholderText.contribution.js';
import 'monaco-editor/editor/contrib/clipboard/browser/clipboard.js';
import 'monaco-editor/editor/contrib/wordOperations/browser/wordOperations.js';
import 'monaco-editor/editor/contrib/bracketMatching/browser/bracketMatching.js';
import 'monaco-editor/editor/browser/coreCommands.js';
import type { FieldCompletion, SessionApi } from '../../app/session/contract.js';
import { completionContext, fieldAt, valueLiteral } from './completion-context.js';
import { DISPLAY_LANGUAGE_CONFIGURATION, DISPLAY_LANGUAGE_ID, displayFilterMonarch } from './display-language.js';
import { TCPDUMP_LANGUAGE_CONFIGURATION, TCPDUMP_LANGUAGE_ID, tcpdumpMonarch, TCPDUMP_PROTOCOLS, TCPDUMP_QUALIFIERS, TCPDUMP_PRIMITIVES } from './tcpdump-language.js';
import { FILTER_THEMES } from './themes.js';

export { monaco };

let installed: ((api: SessionApi) => void) | null = null;

/** The model version at which each editor last applied its filter: nothing typed since, nothing to suggest. */
const appliedVersion = new WeakMap<monaco.editor.ITextModel, number>();

/** Called when Enter applied the filter, so a suggestion list still on its way stays closed. */
export function markApplied(model: monaco.editor.ITextModel): void {
  appliedVersion.set(model, model.getAlternativeVersionId());
}
let currentApi: SessionApi | null = null;

/** Registers languages, themes and providers once; later calls only switch the session. */
export function installFilterLanguages(api: SessionApi): void {
  currentApi = api;
  if (installed) return;
  installed = () => undefined;
  monaco.languages.register({ id: DISPLAY_LANGUAGE_ID });
  monaco.languages.register({ id: TCPDUMP_LANGUAGE_ID });
  monaco.languages.setMonarchTokensProvider(DISPLAY_LANGUAGE_ID, displayFilterMonarch());
  monaco.languages.setMonarchTokensProvider(TCPDUMP_LANGUAGE_ID, tcpdumpMonarch());
  monaco.languages.setLanguageConfiguration(DISPLAY_LANGUAGE_ID, DISPLAY_LANGUAGE_CONFIGURATION);
  monaco.languages.setLanguageConfiguration(TCPDUMP_LANGUAGE_ID, TCPDUMP_LANGUAGE_CONFIGURATION);
  for (const [name, theme] of Object.entries(FILTER_THEMES)) monaco.editor.defineTheme(name, theme);

  // Protocol names come from the registry: colour them once the session has told us.
  void api.call('filter.fields', { prefix: '', limit: 100_000 }).then((fields) => {
    const protocols = fields.filter((f) => f.type === 'FT_PROTOCOL').map((f) => f.name);
    monaco.languages.setMonarchTokensProvider(DISPLAY_LANGUAGE_ID, displayFilterMonarch(protocols));
  }, () => undefined);

  monaco.languages.registerCompletionItemProvider(DISPLAY_LANGUAGE_ID, {
    triggerCharacters: ['.', ' ', '"', '{', ','],
    provideCompletionItems: async (model, position, context) => {
      const text = model.getValue();
      const offset = model.getOffsetAt(position);
      const ctx = completionContext(text, offset);
      const s = currentApi;
      if (!s || ctx.kind === 'none' || appliedVersion.get(model) === model.getAlternativeVersionId()) return { suggestions: [] };
      // A space or bracket typed where a field may follow lists all fields only when asked (Ctrl+Space).
      if (ctx.kind === 'field' && ctx.prefix === '' && context.triggerKind !== monaco.languages.CompletionTriggerKind.Invoke) return { suggestions: [] };
      const range = new monaco.Range(1, ctx.start + 1, 1, ctx.end + 1);
      if (ctx.kind === 'field') {
        const fields = await s.call('filter.fields', { prefix: ctx.prefix, limit: 200 });
        if (appliedVersion.get(model) === model.getAlternativeVersionId()) return { suggestions: [] };
        return { suggestions: fields.map((f) => fieldSuggestion(f, range)), incomplete: fields.length >= 200 };
      }
      const [values, type] = await Promise.all([
        s.call('filter.values', { field: ctx.field, prefix: ctx.quoted ? ctx.prefix : ctx.prefix.replace(/^"/, ''), limit: 200 }),
        fieldType(s, ctx.field),
      ]);
      // Enter applied the filter while the values were on their way: no list after all.
      if (appliedVersion.get(model) === model.getAlternativeVersionId()) return { suggestions: [] };
      return {
        suggestions: values.map((v, i) => ({
          label: v,
          kind: monaco.languages.CompletionItemKind.Value,
          detail: `seen in this capture (${ctx.field})`,
          insertText: ctx.quoted ? JSON.stringify(v) : valueLiteral(v, type),
          filterText: ctx.quoted ? `"${v}` : v,
          sortText: String(i).padStart(5, '0'),
          range,
        })),
      };
    },
  });

  monaco.languages.registerCompletionItemProvider(TCPDUMP_LANGUAGE_ID, {
    provideCompletionItems: (model, position) => {
      const word = model.getWordUntilPosition(position);
      const range = new monaco.Range(1, word.startColumn, 1, word.endColumn);
      const words: Array<[string[], string]> = [[TCPDUMP_QUALIFIERS, 'qualifier'], [TCPDUMP_PROTOCOLS, 'protocol'], [TCPDUMP_PRIMITIVES, 'primitive']];
      return {
        suggestions: words.flatMap(([list, detail]) => list.map((w) => ({
          label: w, kind: monaco.languages.CompletionItemKind.Keyword, detail: `tcpdump ${detail}`, insertText: w, range,
        }))),
      };
    },
  });

  monaco.languages.registerHoverProvider(DISPLAY_LANGUAGE_ID, {
    provideHover: async (model, position) => {
      const s = currentApi;
      const f = fieldAt(model.getValue(), model.getOffsetAt(position));
      if (!s || !f) return null;
      const def = (await s.call('filter.fields', { prefix: f.name, limit: 50 })).find((x) => x.name === f.name);
      if (!def) return null;
      return {
        range: new monaco.Range(1, f.start + 1, 1, f.end + 1),
        contents: [{ value: `**${def.name}** · \`${def.type}\`` }, { value: def.description || '(no description)' }],
      };
    },
  });
}

function fieldSuggestion(f: FieldCompletion, range: monaco.IRange): monaco.languages.CompletionItem {
  return {
    label: { label: f.name, description: f.type },
    kind: f.type === 'FT_PROTOCOL' ? monaco.languages.CompletionItemKind.Module : monaco.languages.CompletionItemKind.Field,
    detail: f.type,
    documentation: f.description,
    insertText: f.name,
    range,
  };
}

const typeCache = new Map<string, Promise<string>>();
function fieldType(api: SessionApi, name: string): Promise<string> {
  let p = typeCache.get(name);
  if (!p) {
    p = api.call('filter.fields', { prefix: name, limit: 50 }).then((l) => l.find((f) => f.name === name)?.type ?? '', () => '');
    typeCache.set(name, p);
  }
  return p;
}

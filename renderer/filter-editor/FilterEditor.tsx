// The filter bar's editor: a one-line Monaco editor (syntax colours for display filters and
// tcpdump expressions, completion of fields and of values seen in the capture, hover help,
// the compiler's errors as squiggles at their span) with Wireshark's keys — Enter applies,
// Escape goes back to the applied filter, up/down walk the history — and a dropdown of saved
// filters. It drops in where FilterBar had its <input>: FilterBar still checks the text and
// shows the verdict; this component shows the same verdict inside the text.
import { useEffect, useRef, useState } from 'react';
import type { FilterApplied, SessionApi } from '../../app/session/contract.js';
import { bridgeMonacoStyles } from './csp-style-bridge.js';
import { errorRange } from './filter-feedback.js';
import { DEFAULT_SAVED_FILTERS, HistoryWalk, remember, removeSavedFilter, saveFilter, type SavedFilter } from './filter-history.js';
import { DISPLAY_LANGUAGE_ID } from './display-language.js';
import { installFilterLanguages, markApplied, monaco } from './monaco-setup.js';
import { TCPDUMP_LANGUAGE_ID } from './tcpdump-language.js';
import { filterThemeName } from './themes.js';
import './filter-editor.css';

export interface FilterEditorProps {
  api: SessionApi;
  text: string;
  onTextChange(text: string): void;
  /** The filter in force (Escape goes back to it). */
  applied: string;
  onApply(text: string): void;
  /** filter.check's answer for `text` (null while checking or empty). */
  result: FilterApplied | null;
  /** Defaults to the page's <html data-theme>, followed as it changes. */
  theme?: 'light' | 'dark';
  /** Classes of the field's box (the bar's valid / invalid colouring). */
  className?: string;
  focusRequest?: number;
  disabled?: boolean;
  /** id of the element that says valid / invalid (aria-describedby). */
  describedBy?: string;
  placeholder?: string;
}

const MARKER_OWNER = 'synscope-filter';
const HISTORY_KEY = 'synscope.filterHistory';
const SAVED_KEY = 'synscope.savedFilters';

function load<T>(key: string, fallback: T, valid: (v: unknown) => boolean): T {
  try {
    const raw = localStorage.getItem(key);
    if (raw === null) return fallback;
    const v: unknown = JSON.parse(raw);
    return valid(v) ? (v as T) : fallback;
  } catch {
    return fallback;
  }
}

function store(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // A full or disabled storage only costs the history.
  }
}

const isStrings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isSaved = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x?.name === 'string' && typeof x?.text === 'string');

/** The page's theme as <html data-theme> says, followed as it changes. */
function useDocumentTheme(): 'light' | 'dark' {
  const read = () => (document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light');
  const [theme, setTheme] = useState<'light' | 'dark'>(read);
  useEffect(() => {
    const mo = new MutationObserver(() => setTheme(read()));
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => mo.disconnect();
  }, []);
  return theme;
}

export function FilterEditor(props: FilterEditorProps) {
  const documentTheme = useDocumentTheme();
  const theme = props.theme ?? documentTheme;
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  // The latest props, for Monaco's callbacks (registered once).
  const latest = useRef(props);
  latest.current = props;
  const [history, setHistory] = useState<string[]>(() => load(HISTORY_KEY, [], isStrings));
  const historyRef = useRef(history);
  historyRef.current = history;
  const walk = useRef(new HistoryWalk(() => historyRef.current));
  const [saved, setSaved] = useState<SavedFilter[]>(() => load(SAVED_KEY, [...DEFAULT_SAVED_FILTERS], isSaved));
  const [menuOpen, setMenuOpen] = useState(false);
  // The name being typed for "Save this filter" (null: not saving). No window.prompt: Electron has none.
  const [naming, setNaming] = useState<string | null>(null);

  const apply = (text: string) => {
    walk.current.reset();
    const next = remember(historyRef.current, text);
    historyRef.current = next; // up/down may come before the next render
    setHistory(next);
    store(HISTORY_KEY, next);
    latest.current.onApply(text);
  };

  useEffect(() => {
    installFilterLanguages(props.api);
    const model = monaco.editor.createModel(props.text, DISPLAY_LANGUAGE_ID);
    const editor = monaco.editor.create(host.current!, {
      model,
      ariaLabel: 'Display filter',
      placeholder: props.placeholder ?? 'Apply a display filter … (Wireshark syntax or a tcpdump expression)',
      theme: filterThemeName(theme),
      // One line, nothing but the text: no gutter, rulers, minimap or scrollbars.
      lineNumbers: 'off', glyphMargin: false, folding: false, lineDecorationsWidth: 4, lineNumbersMinChars: 0,
      minimap: { enabled: false }, overviewRulerLanes: 0, overviewRulerBorder: false, hideCursorInOverviewRuler: true,
      scrollbar: { horizontal: 'hidden', vertical: 'hidden', alwaysConsumeMouseWheel: false },
      scrollBeyondLastLine: false, wordWrap: 'off', renderLineHighlight: 'none', contextmenu: false, links: false,
      occurrencesHighlight: 'off', selectionHighlight: false, matchBrackets: 'near', renderWhitespace: 'none',
      fontSize: 12.5, lineHeight: 26, fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
      quickSuggestions: { other: true, strings: true, comments: false }, suggestOnTriggerCharacters: true,
      wordBasedSuggestions: 'off', acceptSuggestionOnEnter: 'on', tabCompletion: 'on',
      // Nothing is preselected: Enter applies the filter unless the user moved into the list.
      suggest: { showWords: false, showIcons: true, preview: false, selectionMode: 'never' },
      fixedOverflowWidgets: true, automaticLayout: true, readOnly: props.disabled === true,
      padding: { top: 0, bottom: 0 },
      // The classic hidden <textarea> carries the accessible name (and takes Playwright's fill()).
      editContext: false,
    });
    editorRef.current = editor;
    const unbridge = bridgeMonacoStyles(host.current!);
    // A pasted line break never makes a second line.
    const onChange = model.onDidChangeContent(() => {
      const v = model.getValue();
      if (/[\r\n]/.test(v)) {
        model.setValue(v.replace(/[\r\n]+/g, ' '));
        return;
      }
      if (v !== latest.current.text) latest.current.onTextChange(v);
    });
    const typed = editor.onKeyDown((e) => {
      if (e.keyCode !== monaco.KeyCode.UpArrow && e.keyCode !== monaco.KeyCode.DownArrow) walk.current.reset();
    });
    // The hidden textarea focused with all of its text selected (select() then focus: scripts,
    // test drivers, assistive tools): select the whole filter before Monaco's own focus handler
    // puts its caret back into the textarea.
    const textarea = host.current!.querySelector('textarea');
    const onFocus = () => {
      if (textarea && textarea.value.length > 0 && textarea.selectionStart === 0 && textarea.selectionEnd === textarea.value.length && textarea.value === model.getValue()) {
        editor.setSelection(model.getFullModelRange());
      }
    };
    textarea?.addEventListener('focus', onFocus, true);
    const show = (text: string) => {
      model.setValue(text);
      editor.setPosition({ lineNumber: 1, column: text.length + 1 });
      latest.current.onTextChange(text);
    };
    // Keys act only when the suggestion list is closed (otherwise they pick a suggestion).
    editor.addCommand(monaco.KeyCode.Enter, () => {
      markApplied(model);
      editor.trigger('filter-bar', 'hideSuggestWidget', {});
      apply(model.getValue());
    }, '!suggestWidgetHasFocusedSuggestion');
    editor.addCommand(monaco.KeyCode.Escape, () => {
      walk.current.reset();
      show(latest.current.applied);
    }, '!suggestWidgetVisible');
    editor.addCommand(monaco.KeyCode.UpArrow, () => show(walk.current.older(model.getValue())), '!suggestWidgetVisible');
    editor.addCommand(monaco.KeyCode.DownArrow, () => show(walk.current.newer(model.getValue())), '!suggestWidgetVisible');
    return () => {
      onChange.dispose();
      typed.dispose();
      unbridge();
      textarea?.removeEventListener('focus', onFocus, true);
      editor.dispose();
      model.dispose();
      editorRef.current = null;
    };
    // Created once; later prop changes are pushed by the effects below.
  }, []);

  // Outside changes of the text ("Apply as filter", a click in the conversations table).
  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (model && model.getValue() !== props.text) {
      model.setValue(props.text);
      editorRef.current!.setPosition({ lineNumber: 1, column: props.text.length + 1 });
    }
  }, [props.text]);

  useEffect(() => {
    monaco.editor.setTheme(filterThemeName(theme));
  }, [theme]);

  useEffect(() => {
    editorRef.current?.updateOptions({ readOnly: props.disabled === true });
  }, [props.disabled]);

  useEffect(() => {
    if (props.focusRequest) editorRef.current?.focus();
  }, [props.focusRequest]);

  // The compiler's verdict: language, and the error as a squiggle at its span.
  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!model) return;
    const r = props.result;
    if (r?.language === 'tcpdump') monaco.editor.setModelLanguage(model, TCPDUMP_LANGUAGE_ID);
    else if (r) monaco.editor.setModelLanguage(model, DISPLAY_LANGUAGE_ID);
    const range = r && !r.ok && model.getValue() === props.text ? errorRange(props.text, r.error) : null;
    monaco.editor.setModelMarkers(model, MARKER_OWNER, range ? [{
      severity: monaco.MarkerSeverity.Error, message: r && !r.ok ? r.error.message : '',
      startLineNumber: 1, endLineNumber: 1, startColumn: range.startColumn, endColumn: range.endColumn,
    }] : []);
    const textarea = host.current?.querySelector('textarea.inputarea, textarea[aria-label]');
    if (textarea) {
      textarea.setAttribute('aria-invalid', String(r !== null && !r.ok));
      if (props.describedBy) textarea.setAttribute('aria-describedby', props.describedBy);
    }
  }, [props.result, props.text, props.describedBy]);

  const persistSaved = (list: SavedFilter[]) => {
    setSaved(list);
    store(SAVED_KEY, list);
  };

  return (
    <div className={`filter-editor ${props.className ?? ''}`}>
      <div ref={host} className="filter-editor-host" data-language={props.result?.language ?? ''} />
      <div className="filter-saved">
        <button type="button" className="tool-button filter-saved-button" aria-label="Saved filters" aria-haspopup="menu" aria-expanded={menuOpen}
          title="Saved filters" onClick={() => setMenuOpen((o) => !o)}>▾</button>
        {menuOpen && (
          <div className="filter-saved-menu" role="menu" aria-label="Saved filters" onKeyDown={(e) => e.key === 'Escape' && setMenuOpen(false)}>
            {saved.map((s) => (
              <div key={s.text} className="filter-saved-item">
                <button type="button" role="menuitem" title={s.text} onClick={() => {
                  setMenuOpen(false);
                  props.onTextChange(s.text);
                  apply(s.text);
                }}>
                  <span className="filter-saved-name">{s.name}</span>
                  <code className="filter-saved-text">{s.text}</code>
                </button>
                <button type="button" className="filter-saved-remove" aria-label={`Remove saved filter ${s.name}`} onClick={() => persistSaved(removeSavedFilter(saved, s.text))}>×</button>
              </div>
            ))}
            {naming === null ? (
              <button type="button" role="menuitem" className="filter-saved-add" disabled={props.text.trim() === ''} onClick={() => setNaming(props.text.trim())}>
                Save this filter…
              </button>
            ) : (
              <form className="filter-saved-form" onSubmit={(e) => {
                e.preventDefault();
                persistSaved(saveFilter(saved, naming, props.text));
                setNaming(null);
                setMenuOpen(false);
              }}>
                <input aria-label="Name of the saved filter" value={naming} autoFocus onChange={(e) => setNaming(e.target.value)} />
                <button type="submit">Save</button>
              </form>
            )}
          </div>
        )}
      </div>
    </div>
  );
}

// The display-filter bar: the Monaco filter editor (renderer/filter-editor: colours, completion,
// squiggles, history, saved filters). While typing, the text is checked (filter.check) and the
// field turns green or red as in Wireshark; beside it the language it was read as (display
// filter or tcpdump) and the same filter in the other language. Enter applies; Escape goes back
// to the applied filter.
import { useEffect, useState } from 'react';
import type { FilterApplied, SessionApi } from '../../app/session/contract.js';
import { FilterEditor } from '../filter-editor/FilterEditor.js';
import { ApplyIcon, ClearIcon, FilterIcon } from './Icons.js';

export interface FilterBarProps {
  api: SessionApi;
  text: string;
  onTextChange(text: string): void;
  /** The filter in force now. */
  applied: string;
  onApply(text: string): void;
  /** Give the input focus when this number changes (Ctrl+/, "Prepare as filter"). */
  focusRequest?: number;
  disabled?: boolean;
  /** A filter is being applied (a million packets take a moment). */
  busy?: boolean;
  /** While busy: the share of the frames tested so far (0..1), when the session said it. */
  progress?: number | null;
}

const CHECK_DELAY_MS = 120;

export function FilterBar({ api, text, onTextChange, applied, onApply, focusRequest, disabled, busy, progress }: FilterBarProps) {
  const [check, setCheck] = useState<{ text: string; result: FilterApplied } | null>(null);
  useEffect(() => {
    if (text.trim() === '') {
      setCheck(null);
      return;
    }
    let live = true;
    const t = setTimeout(() => {
      api.call('filter.check', { text }).then(
        (result) => live && setCheck({ text, result }),
        () => live && setCheck(null),
      );
    }, CHECK_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [api, text]);

  const result = check && check.text === text ? check.result : null;
  const state = text.trim() === '' ? 'empty' : result === null ? 'checking' : result.ok ? 'valid' : 'invalid';
  const pendingChange = text !== applied;

  return (
    <div className="filter-bar">
      <span className="filter-icon" title="Display filter (Wireshark syntax, or a tcpdump expression)">
        <FilterIcon />
      </span>
      <div className="filter-field">
        <FilterEditor
          api={api}
          className={`filter-input filter-${state}`}
          text={text}
          onTextChange={onTextChange}
          applied={applied}
          onApply={onApply}
          result={result}
          focusRequest={focusRequest}
          disabled={disabled}
          describedBy="filter-status"
        />
        <div id="filter-status" className={`filter-status filter-status-${state}`}>
          <FilterStatus text={text} result={result} />
          {busy && <span className="filter-busy">Filtering…{typeof progress === 'number' ? ` ${Math.floor(progress * 100)}%` : ''}</span>}
        </div>
      </div>
      <button
        type="button"
        className={pendingChange ? 'tool-button filter-apply pending' : 'tool-button filter-apply'}
        title="Apply this filter (Enter)"
        aria-label="Apply display filter"
        disabled={disabled}
        onClick={() => onApply(text)}
      >
        <ApplyIcon />
      </button>
      <button
        type="button"
        className="tool-button"
        title="Clear the filter"
        aria-label="Clear display filter"
        disabled={disabled || (text === '' && applied === '')}
        onClick={() => {
          onTextChange('');
          onApply('');
        }}
      >
        <ClearIcon />
      </button>
    </div>
  );
}

function FilterStatus({ text, result }: { text: string; result: FilterApplied | null }) {
  if (!result) return null;
  if (!result.ok) {
    const { start, end, message } = result.error;
    const where = end > start ? ` (at “${text.slice(start, end)}”, column ${start + 1})` : '';
    return (
      <span className="filter-error">
        {message}
        {where}
      </span>
    );
  }
  const language = result.language === 'tcpdump' ? 'tcpdump expression' : result.language === 'display' ? 'display filter' : '';
  return (
    <span className="filter-ok">
      {language && <span className={`filter-language lang-${result.language}`}>{language}</span>}
      {result.equivalent && (
        <span className="filter-equivalent" title={`The same filter as a ${result.equivalent.language === 'tcpdump' ? 'tcpdump expression' : 'display filter'}`}>
          ≡ {result.equivalent.language === 'tcpdump' ? 'tcpdump' : 'display'}: <code>{result.equivalent.text}</code>
        </span>
      )}
    </span>
  );
}

// How a filter.check answer is shown: the squiggle's place in the editor (Monaco markers are
// 1-based line/column ranges) and the bar's words (valid / invalid / which language / the same
// filter in the other language). Pure functions over the contract's FilterApplied.
import type { FilterApplied, FilterError } from '../../app/session/contract.js';

export interface MarkerRange {
  startColumn: number;
  endColumn: number;
}

/**
 * The columns an error underlines. Errors point at [start, end) characters; the engine reports
 * "missing at the end" errors (an unterminated string, a missing operand) past the last
 * character, as tshark's caret does: those underline the last character instead, so the
 * squiggle stays visible.
 */
export function errorRange(text: string, error: FilterError): MarkerRange | null {
  if (text.length === 0) return null;
  let start = Math.max(0, Math.min(error.start, text.length));
  let end = Math.max(start, Math.min(error.end, text.length));
  if (start === end) {
    if (start >= text.length) start = text.length - 1;
    end = start + 1;
  }
  return { startColumn: start + 1, endColumn: end + 1 };
}

export type FilterState = 'empty' | 'checking' | 'valid' | 'invalid';

export interface FilterFeedback {
  state: FilterState;
  /** "display filter", "tcpdump expression", or '' while empty/checking. */
  language: string;
  /** The error in words, with where it is. */
  message?: string;
  /** The same filter in the other language. */
  equivalent?: { language: string; text: string };
}

const LANGUAGE_WORDS = { display: 'display filter', tcpdump: 'tcpdump expression', none: '' } as const;

export function filterFeedback(text: string, result: FilterApplied | null): FilterFeedback {
  if (text.trim() === '') return { state: 'empty', language: '' };
  if (!result) return { state: 'checking', language: '' };
  if (!result.ok) {
    const { start, end, message } = result.error;
    const where = end > start && start < text.length ? ` (at “${text.slice(start, end)}”, column ${start + 1})` : '';
    return { state: 'invalid', language: result.language ? LANGUAGE_WORDS[result.language] : '', message: message + where };
  }
  const out: FilterFeedback = { state: 'valid', language: LANGUAGE_WORDS[result.language] };
  if (result.equivalent) out.equivalent = { language: LANGUAGE_WORDS[result.equivalent.language], text: result.equivalent.text };
  return out;
}

// The filter bar's memory: the filters applied lately (walked with up/down, most recent first,
// as a shell history) and the saved filters of the dropdown (name + text, like Wireshark's
// filter buttons). Pure logic over plain arrays; FilterEditor.tsx persists them.

export const HISTORY_LIMIT = 50;

/** `text` moved to the front, blanks and duplicates dropped, at most `limit` entries. */
export function remember(history: readonly string[], text: string, limit = HISTORY_LIMIT): string[] {
  const t = text.trim();
  if (t === '') return [...history];
  return [t, ...history.filter((h) => h !== t)].slice(0, limit);
}

/**
 * Walks the history as up/down do in a shell: position -1 is the text being edited (kept as the
 * draft while browsing), 0 the most recent filter. Returns the new position and the text to show.
 */
export class HistoryWalk {
  private position = -1;
  private draft = '';

  constructor(private readonly history: () => readonly string[]) {}

  get index(): number {
    return this.position;
  }

  /** Up: an older filter; stays on the oldest. */
  older(current: string): string {
    const list = this.history();
    if (list.length === 0) return current;
    if (this.position === -1) this.draft = current;
    this.position = Math.min(this.position + 1, list.length - 1);
    return list[this.position]!;
  }

  /** Down: a newer filter, then back to the draft. */
  newer(current: string): string {
    if (this.position <= -1) return current;
    this.position--;
    return this.position === -1 ? this.draft : this.history()[this.position]!;
  }

  /** Typing or applying ends the walk. */
  reset(): void {
    this.position = -1;
    this.draft = '';
  }
}

export interface SavedFilter {
  name: string;
  text: string;
}

/** What the dropdown offers before the user saves any: the filters a TCP troubleshooter reaches for. */
export const DEFAULT_SAVED_FILTERS: readonly SavedFilter[] = [
  { name: 'Connection attempts (SYN)', text: 'tcp.flags.syn == 1 && tcp.flags.ack == 0' },
  { name: 'Resets', text: 'tcp.flags.reset == 1' },
  { name: 'TCP problems', text: 'tcp.analysis.flags && !tcp.analysis.window_update' },
  { name: 'Retransmissions', text: 'tcp.analysis.retransmission' },
  { name: 'Zero window', text: 'tcp.analysis.zero_window' },
  { name: 'DNS', text: 'dns' },
  { name: 'HTTP requests', text: 'http.request' },
  { name: 'TLS Client Hello', text: 'tls.handshake.type == 1' },
  { name: 'Not ARP, DNS or ICMP', text: '!(arp || dns || icmp || icmpv6)' },
  { name: 'SYN (tcpdump)', text: 'tcp[tcpflags] & tcp-syn != 0' },
];

/** Adds or renames a saved filter (one entry per text; the newest name wins). */
export function saveFilter(list: readonly SavedFilter[], name: string, text: string): SavedFilter[] {
  const t = text.trim();
  const n = name.trim() || t;
  if (t === '') return [...list];
  return [...list.filter((s) => s.text !== t), { name: n, text: t }];
}

export function removeSavedFilter(list: readonly SavedFilter[], text: string): SavedFilter[] {
  return list.filter((s) => s.text !== text);
}

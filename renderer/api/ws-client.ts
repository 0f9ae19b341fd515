// SessionApi over the web-mode WebSocket (app/server/session-socket.ts speaks the other end).
// Requests are {id, channel, args}; each reply {id, reply} settles one promise (a packed list of
// records is unpacked first: unpack-records.ts); {events} batches go to every subscriber. When
// the socket drops, pending calls fail and the client reconnects with a growing delay: the
// session lives on in the server, so nothing is lost but the wait.
import type { ArgsOf, Channel, ResultOf, SessionApi, SessionEvent, WireReply } from '../../app/session/contract.js';
import { unpackRecords } from './unpack-records.js';

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface WebSocketApi extends SessionApi {
  readonly state: ConnectionState;
  /** Called on every state change; returns the unsubscribe function. */
  onConnection(listener: (state: ConnectionState) => void): () => void;
  close(): void;
}

type ServerMessage = { id: number | null; reply: WireReply } | { events: SessionEvent[] };

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 5000;

export function createWebSocketApi(url: string, makeSocket: (url: string) => WebSocket = (u) => new WebSocket(u)): WebSocketApi {
  let socket: WebSocket;
  let state: ConnectionState = 'connecting';
  let nextId = 1;
  let delay = RECONNECT_MIN_MS;
  let closedByUs = false;
  const pending = new Map<number, Pending>();
  /** Requests made while connecting go out once the socket opens. */
  const queue: string[] = [];
  const eventListeners = new Set<(events: SessionEvent[]) => void>();
  const stateListeners = new Set<(state: ConnectionState) => void>();

  const setState = (s: ConnectionState) => {
    state = s;
    for (const l of stateListeners) l(s);
  };

  function connect(): void {
    setState('connecting');
    socket = makeSocket(url);
    socket.onopen = () => {
      delay = RECONNECT_MIN_MS;
      setState('open');
      for (const m of queue.splice(0)) socket.send(m);
    };
    socket.onmessage = (ev: MessageEvent) => {
      let msg: ServerMessage;
      try {
        msg = JSON.parse(String(ev.data)) as ServerMessage;
      } catch {
        return;
      }
      if ('events' in msg) {
        for (const l of eventListeners) l(msg.events);
        return;
      }
      if (msg.id === null) return;
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      const reply = msg.reply;
      if (!reply.ok) p.reject(new Error(reply.error));
      else if (!('packed' in reply)) p.resolve(reply.value);
      else {
        // A long list of records, packed by the server (app/server/pack-records.ts).
        try {
          p.resolve(unpackRecords(reply.packed));
        } catch (e) {
          p.reject(e instanceof Error ? e : new Error(String(e)));
        }
      }
    };
    socket.onclose = () => {
      for (const p of pending.values()) p.reject(new Error('the connection to the SynScope server was lost'));
      pending.clear();
      setState('closed');
      if (closedByUs) return;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, RECONNECT_MAX_MS);
    };
  }
  connect();

  return {
    get state() {
      return state;
    },
    call<C extends Channel>(channel: C, args: ArgsOf<C>): Promise<ResultOf<C>> {
      const id = nextId++;
      const text = JSON.stringify({ id, channel, args });
      return new Promise<ResultOf<C>>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        if (state === 'open') socket.send(text);
        else queue.push(text);
      });
    },
    subscribe(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    onConnection(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    close() {
      closedByUs = true;
      socket.close();
    },
  };
}

/** ws://host/ws?token=… for the page we were served from (the token is in the page URL). */
export function socketUrlForPage(location: Location): string {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws?token=${encodeURIComponent(token)}`;
}

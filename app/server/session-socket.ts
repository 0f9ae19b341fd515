// One WebSocket client bound to the session: the same contract as Electron's IPC
// (app/session/contract.ts). Requests are {id, channel, args}; each gets exactly one
// {id, reply} with a Reply envelope, so an error crosses the wire as data. Event batches are
// pushed as {events}. Every request is checked (shape, known channel, validated arguments)
// before the session sees it, as main/ does for IPC. A long list of flat records (the
// connection list, the conversation tables) goes packed: {ok: true, packed} (pack-records.ts).
import type { RawData, WebSocket } from 'ws';
import { CHANNELS, type Channel, type SessionEvent, type WireReply } from '../session/contract.js';
import { packRecords } from './pack-records.js';

/** What the server needs from the session (app/session/session.ts's Session has this shape). */
export interface SessionBackend {
  /** Resolves with the channel's result; rejects with an Error whose message the user sees. */
  handle(channel: Channel, args: never): Promise<unknown>;
  subscribe(listener: (events: SessionEvent[]) => void): () => void;
}

/** Checks arguments and returns the accepted copy; throws with a sentence when they are bad. */
export type ArgsCheck = (channel: Channel, args: unknown) => unknown;

export interface ClientRequest {
  id: number;
  channel: Channel;
  args: unknown;
}

export type ServerMessage = { id: number | null; reply: WireReply } | { events: SessionEvent[] };

const KNOWN = new Set<string>(CHANNELS);

/** Parses one client message; a string is the error to answer with (id when one was readable). */
export function parseClientMessage(data: RawData, isBinary: boolean): ClientRequest | { id: number | null; error: string } {
  if (isBinary) return { id: null, error: 'binary messages are not accepted: send JSON text' };
  let msg: unknown;
  try {
    msg = JSON.parse(rawText(data));
  } catch {
    return { id: null, error: 'message is not valid JSON' };
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return { id: null, error: 'message must be an object {id, channel, args}' };
  const { id, channel, args } = msg as Record<string, unknown>;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) return { id: null, error: 'message id must be a non-negative integer' };
  if (typeof channel !== 'string' || !KNOWN.has(channel)) return { id, error: `unknown channel ${JSON.stringify(channel)}` };
  return { id, channel: channel as Channel, args: args === undefined ? {} : args };
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

/** Wires `socket` to `session` until the socket closes. */
export function bindSessionSocket(socket: WebSocket, session: SessionBackend, checkArgs: ArgsCheck): void {
  const send = (m: ServerMessage) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(m));
  };
  const unsubscribe = session.subscribe((events) => send({ events }));
  socket.on('close', unsubscribe);
  socket.on('error', () => socket.terminate());
  socket.on('message', (data, isBinary) => {
    const req = parseClientMessage(data, isBinary);
    if ('error' in req) {
      send({ id: req.id, reply: { ok: false, error: req.error } });
      return;
    }
    let args: unknown;
    try {
      args = checkArgs(req.channel, req.args);
    } catch (e) {
      send({ id: req.id, reply: { ok: false, error: errorText(e) } });
      return;
    }
    session.handle(req.channel, args as never).then(
      (value) => {
        const packed = packRecords(value);
        send({ id: req.id, reply: packed ? { ok: true, packed } : { ok: true, value } });
      },
      (e: unknown) => send({ id: req.id, reply: { ok: false, error: errorText(e) } }),
    );
  });
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

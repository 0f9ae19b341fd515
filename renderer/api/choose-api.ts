// The desktop app's preload exposes the session contract as `window.synscope`; in a browser
// (web mode) the same contract comes over the WebSocket of the page's own server.
import type { SessionApi } from '../../app/session/contract.js';
import { createWebSocketApi, socketUrlForPage, type WebSocketApi } from './ws-client.js';

declare global {
  interface Window {
    synscope?: SessionApi;
  }
}

export interface ChosenApi {
  api: SessionApi;
  /** Present in web mode: the connection whose state the UI shows. */
  socket?: WebSocketApi;
}

export function chooseSessionApi(): ChosenApi {
  if (window.synscope) return { api: window.synscope };
  const socket = createWebSocketApi(socketUrlForPage(window.location));
  return { api: socket, socket };
}

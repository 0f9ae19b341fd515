// Entry point of the UI bundle (renderer/dist/app.js): pick the session API (the desktop
// preload's, or the WebSocket of web mode) and render the workstation.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { chooseSessionApi } from './api/choose-api.js';
import { App } from './components/App.js';
import './styles/app.css';

const { api, socket } = chooseSessionApi();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App api={api} socket={socket} />
  </StrictMode>,
);

/**
 * Entry of `index.html`: runs the page with the browser's own objects.
 * @packageDocumentation
 */
import './entry-mark.js';
import './page.css';
import type { WebSocketLike } from '@kaa/core';
import type { BroadcastChannelConstructor } from '@kaa/genesys-adapter';
import { openBrowserStorage } from './browser-storage.js';
import { runPage } from './run-page.js';

const session = openBrowserStorage(() => window.sessionStorage);
const local = openBrowserStorage(() => window.localStorage);

void runPage({
  window,
  document,
  location: window.location,
  fetch: (url, init) => window.fetch(url, init),
  sessionStorage: session.storage,
  localStorage: local.storage,
  storageBlocked: session.blocked || local.blocked,
  now: () => Date.now(),
  clock: () => performance.now(),
  WebSocket: (url) => new WebSocket(url) as unknown as WebSocketLike,
  console,
  BroadcastChannel:
    typeof BroadcastChannel === 'function' ? (BroadcastChannel as BroadcastChannelConstructor) : undefined,
  mark: (name) => void performance.mark(name),
  ancestorOrigins: window.location.ancestorOrigins ? [...window.location.ancestorOrigins] : undefined,
});

/**
 * Entry of `index.html`: runs the page with the browser's own objects.
 * @packageDocumentation
 */
import './entry-mark.js';
import './page.css';
import type { BroadcastChannelConstructor, WebSocketLike } from '@kaa/genesys-adapter';
import { runPage } from './run-page.js';

void runPage({
  window,
  document,
  location: window.location,
  fetch: (url, init) => window.fetch(url, init),
  sessionStorage: window.sessionStorage,
  localStorage: window.localStorage,
  now: () => Date.now(),
  clock: () => performance.now(),
  WebSocket: (url) => new WebSocket(url) as unknown as WebSocketLike,
  console,
  BroadcastChannel: typeof BroadcastChannel === 'function' ? (BroadcastChannel as BroadcastChannelConstructor) : undefined,
  mark: (name) => void performance.mark(name),
  ancestorOrigins: window.location.ancestorOrigins ? [...window.location.ancestorOrigins] : undefined,
});

/**
 * The subset of a WebSocket (browser `WebSocket` or Node `ws`) that notifications use.
 *
 * @example
 * ```ts
 * const socket: WebSocketLike = new WebSocket(channel.connectUri);
 * ```
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

/**
 * Opens a socket to a URL. Browsers: `(url) => new WebSocket(url)`; Node: `(url) => new WebSocket(url)` from `ws`.
 *
 * @example
 * ```ts
 * const factory: WebSocketFactory = (url) => new WebSocket(url);
 * ```
 */
export type WebSocketFactory = (url: string) => WebSocketLike;

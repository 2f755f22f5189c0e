import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { silentLogger } from '@kaa/core';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createSocketPair } from '../src/notifications/socket-pair.js';
import type { WebSocketLike } from '@kaa/core';

const timers = {
  setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
  clearTimeout: (h: unknown) => clearTimeout(h as never),
};
let server: Server | undefined;
afterEach(() => void server?.close());

describe("the socket pair with Node's ws (the CLI, the broker, an integrator's server)", () => {
  it('closing a socket that is still connecting raises nothing (ws reports it as an error event)', async () => {
    // a TCP server that never answers the upgrade: the socket stays CONNECTING
    server = createServer(() => undefined);
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => void uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      const pair = createSocketPair({
        WebSocket: (url) => new WebSocket(url) as unknown as WebSocketLike,
        timers,
        now: Date.now,
        heartbeatIntervalMs: 30_000,
        openTimeoutMs: 10_000,
        logger: silentLogger,
        frame: () => {},
        lost: () => {},
      });
      pair.open({ id: 'c1', connectUri: `ws://127.0.0.1:${port}/channels/c1` }, { opened: () => {}, failed: () => {} });
      pair.closeAll();
      await new Promise((r) => setTimeout(r, 200));
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});

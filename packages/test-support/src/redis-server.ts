import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Test-only: a real `redis-server` (Debian's) in a temp dir, no persistence, on a Unix socket and — with `tcp` — on
 * 127.0.0.1 at a free port (`url`, for clients that take a Redis URL such as `kaa broker serve`); and the smallest
 * RESP2 client a test needs (`command(args)`).
 *
 * @example
 * ```ts
 * const redis = await startRedis({ tcp: true });
 * const client = await redis.connect();
 * await client.command(['PING']); // 'PONG'
 * redis.url; // 'redis://127.0.0.1:41234'
 * await redis.close();
 * ```
 */
export interface TestRedis {
  socketPath: string;
  /** `redis://127.0.0.1:<port>` when started with `tcp`. */
  url?: string;
  connect(): Promise<{ command: (args: readonly string[]) => Promise<unknown>; quit: () => Promise<void> }>;
  close(): Promise<void>;
}

/** A port free on 127.0.0.1 right now (the OS's choice). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export async function startRedis(options: { tcp?: boolean } = {}): Promise<TestRedis> {
  // a free port can be taken between the probe and redis-server's bind: try a few
  for (let attempt = 1; ; attempt++) {
    try {
      return await startRedisOnce(options.tcp ? await freePort() : 0);
    } catch (e) {
      if (attempt >= 5 || !/address already in use/i.test(String(e))) throw e;
    }
  }
}

async function startRedisOnce(port: number): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'kaa-redis-'));
  const socketPath = join(dir, 'redis.sock');
  const child: ChildProcess = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--unixsocket',
      socketPath,
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const onData = (d: Buffer) => {
        output += d.toString('utf8');
        if (/ready to accept connections/i.test(output)) resolve();
      };
      child.stdout!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output.slice(-500)}`)));
      child.once('error', reject);
    });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const clients: Socket[] = [];
  return {
    socketPath,
    ...(port > 0 ? { url: `redis://127.0.0.1:${port}` } : {}),
    async connect() {
      const socket = createConnection(socketPath);
      clients.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('error', reject);
      });
      const pending: { resolve: (v: unknown) => void; reject: (e: Error) => void }[] = [];
      let buffer = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        buffer = Buffer.concat([buffer, chunk]);
        for (;;) {
          const parsed = parse(buffer, 0);
          if (!parsed) break;
          buffer = buffer.subarray(parsed.end);
          const waiter = pending.shift();
          if (parsed.value instanceof Error) waiter?.reject(parsed.value);
          else waiter?.resolve(parsed.value);
        }
      });
      const command = (args: readonly string[]) =>
        new Promise<unknown>((resolve, reject) => {
          pending.push({ resolve, reject });
          socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
        });
      return { command, quit: async () => void socket.end() };
    },
    async close() {
      for (const s of clients) s.destroy();
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One RESP2 value from `buf` at `at`, or undefined when incomplete. */
function parse(buf: Buffer, at: number): { value: unknown; end: number } | undefined {
  const eol = buf.indexOf('\r\n', at);
  if (eol < 0) return undefined;
  const type = String.fromCharCode(buf[at] ?? 0);
  const line = buf.subarray(at + 1, eol).toString('utf8');
  const next = eol + 2;
  switch (type) {
    case '+':
      return { value: line, end: next };
    case '-':
      return { value: new Error(line), end: next };
    case ':':
      return { value: Number(line), end: next };
    case '$': {
      const n = Number(line);
      if (n < 0) return { value: null, end: next };
      if (buf.length < next + n + 2) return undefined;
      return { value: buf.subarray(next, next + n).toString('utf8'), end: next + n + 2 };
    }
    case '*': {
      const n = Number(line);
      if (n < 0) return { value: null, end: next };
      const items: unknown[] = [];
      let pos = next;
      for (let i = 0; i < n; i++) {
        const item = parse(buf, pos);
        if (!item) return undefined;
        items.push(item.value);
        pos = item.end;
      }
      return { value: items, end: pos };
    }
    default:
      throw new Error(`unexpected RESP type ${type}`);
  }
}

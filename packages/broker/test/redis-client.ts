import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Test-only: a real `redis-server` on a Unix socket in a temp dir (no persistence), and the smallest RESP2 client
 * the broker's Redis store needs (`command(args)`). The broker itself depends on no Redis client.
 */
export interface TestRedis {
  socketPath: string;
  connect(): Promise<{ command: (args: readonly string[]) => Promise<unknown>; quit: () => Promise<void> }>;
  close(): Promise<void>;
}

export async function startRedis(): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'kaa-redis-'));
  const socketPath = join(dir, 'redis.sock');
  const child: ChildProcess = spawn('redis-server', ['--port', '0', '--unixsocket', socketPath, '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString('utf8');
      if (/ready to accept connections/i.test(output)) resolve();
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output.slice(-500)}`)));
    child.once('error', reject);
  });
  const clients: Socket[] = [];
  return {
    socketPath,
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

import type { Logger, Timers } from '@kaa/core';

export const ENV = {
  name: 'prod-euw1',
  region: 'eu-west-1',
  domain: 'mypurecloud.ie',
  apiBase: 'https://api.mypurecloud.ie',
  loginBase: 'https://login.mypurecloud.ie',
  streamingHost: 'streaming.mypurecloud.ie',
  appsOrigin: 'https://apps.mypurecloud.ie',
} as const;

export { readFixture as fixture } from '@kaa/test-support';

/** Timers that run every callback on the next macrotask and record the requested delays. */
export function recordingTimers(): Timers & { delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    setTimeout(fn, ms) {
      delays.push(ms);
      return setTimeout(fn, 0);
    },
    clearTimeout(h) {
      clearTimeout(h as ReturnType<typeof setTimeout>);
    },
  };
}

/** A logger that keeps every line (message + JSON data) for secret scans. */
export function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (message: string, data?: Record<string, unknown>) =>
    void lines.push(`${level} ${message} ${JSON.stringify(data ?? {})}`);
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** A Map-backed Storage. */
export function memoryStorage(): Storage & { dump(): string } {
  const m = new Map<string, string>();
  return {
    get length() {
      return m.size;
    },
    key: (i: number) => [...m.keys()][i] ?? null,
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, String(v)),
    removeItem: (k: string) => void m.delete(k),
    clear: () => m.clear(),
    dump: () => JSON.stringify([...m.entries()]),
  };
}

/** Awaits `promise` and returns the thrown value (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

import type { PageSecrets } from './secrets.js';

/** One step of the page's run, for the `?debug=1` timeline. */
export interface TimelineEntry {
  readonly step: string;
  readonly startedAt: number;
  durationMs?: number;
  outcome: 'running' | 'ok' | 'failed';
  /** Plain, redacted words. */
  note?: string;
}

/**
 * Records each step of the page with its duration (the nine steps of docs/architecture.md#one-interaction-top-to-bottom).
 * Notes are redacted when recorded, so the timeline can be shown as is; a failed step's note is its error code and
 * message (which name the URL called).
 *
 * @example
 * ```ts
 * const timeline = createTimeline(() => performance.now(), secrets);
 * const me = await timeline.run('users/me', () => api.getMe());
 * timeline.entries(); // [{ step: 'users/me', durationMs: 103.2, outcome: 'ok', … }]
 * ```
 */
export interface Timeline {
  run<T>(step: string, task: () => Promise<T> | T, note?: (value: T) => string): Promise<T>;
  note(step: string, note: string): void;
  entries(): readonly TimelineEntry[];
  onChange(listener: () => void): void;
}

/**
 * Creates a {@link Timeline} on an injected monotonic clock.
 *
 * @example
 * ```ts
 * const timeline = createTimeline(() => performance.now(), createPageSecrets());
 * ```
 */
export function createTimeline(clock: () => number, secrets: PageSecrets): Timeline {
  const list: TimelineEntry[] = [];
  const listeners: (() => void)[] = [];
  const changed = () => {
    for (const l of listeners) l();
  };
  return {
    async run(step, task, note) {
      const entry: TimelineEntry = { step, startedAt: clock(), outcome: 'running' };
      list.push(entry);
      changed();
      try {
        const value = await task();
        entry.outcome = 'ok';
        if (note) entry.note = secrets.redact(note(value));
        return value;
      } catch (e) {
        entry.outcome = 'failed';
        // what failed, in the error's own words: they name the URL called (origin and path), never a secret
        const failure = e as { code?: unknown; message?: unknown } | null;
        if (failure && typeof failure.message === 'string')
          entry.note = secrets.redact(
            `${typeof failure.code === 'string' ? `${failure.code}: ` : ''}${failure.message}`,
          );
        throw e;
      } finally {
        entry.durationMs = clock() - entry.startedAt;
        changed();
      }
    },
    note(step, note) {
      list.push({ step, startedAt: clock(), durationMs: 0, outcome: 'ok', note: secrets.redact(note) });
      changed();
    },
    entries: () => list,
    onChange: (l) => void listeners.push(l),
  };
}

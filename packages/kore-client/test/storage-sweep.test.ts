import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '@kaa/core';
import { sweepKoreStorage, type SweepableStorage } from '../src/index.js';
import { captureLogger } from './helpers.js';

const NOW = 1_800_000_000_000;
const HOUR = 3_600_000;

/** A Web-Storage-shaped store (length and key(i)) over a Map. */
function listedStorage(initial: Record<string, string> = {}): SweepableStorage & { map: Map<string, string> } {
  const map = new Map(Object.entries(initial));
  return {
    map,
    get length() {
      return map.size;
    },
    key: (i) => [...map.keys()][i] ?? null,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
}

describe('sweepKoreStorage', () => {
  it('removes old and ended hooks state, old END claims, unreadable entries and any bot rows of earlier versions; keeps the rest', () => {
    const store = listedStorage({
      'kaa:kore:datatable:https://bots.kore.ai|kaa_bots': JSON.stringify({
        v: 1,
        storedAt: NOW,
        rows: [{ ClientSecret: 'planted-secret-123' }],
      }),
      'kaa:kore:hooks-state:b:c-live:a': JSON.stringify({
        phase: 'connected',
        endSent: false,
        savedAt: NOW - 2 * HOUR,
      }),
      'kaa:kore:hooks-state:b:c-old:a': JSON.stringify({
        phase: 'connected',
        endSent: false,
        savedAt: NOW - 25 * HOUR,
      }),
      'kaa:kore:hooks-state:b:c-ended-recent:a': JSON.stringify({
        phase: 'ended',
        endSent: true,
        savedAt: NOW - 10 * 60_000,
      }),
      'kaa:kore:hooks-state:b:c-ended:a': JSON.stringify({ phase: 'ended', endSent: true, savedAt: NOW - 2 * HOUR }),
      'kaa:kore:hooks-state:b:c-legacy:a': JSON.stringify({ phase: 'connected', endSent: false }),
      'kaa:kore:eoc:b:c-live': JSON.stringify({ owner: 'i', at: NOW - HOUR, sent: true }),
      'kaa:kore:eoc:b:c-old': JSON.stringify({ owner: 'i', at: NOW - 30 * HOUR, sent: true }),
      'kaa:kore:eoc:b:c-broken': '{not json',
      'kaa.genesys.grant': 'keep',
      'other-app': 'keep',
    });
    const logger = captureLogger();
    const result = sweepKoreStorage(store, { now: () => NOW, logger });
    expect([...store.map.keys()].sort()).toEqual([
      'kaa.genesys.grant',
      'kaa:kore:eoc:b:c-live',
      'kaa:kore:hooks-state:b:c-ended-recent:a',
      'kaa:kore:hooks-state:b:c-live:a',
      'other-app',
    ]);
    expect(result).toEqual({ examined: 9, removed: 6 });
    expect(logger.lines.join('\n')).not.toContain('planted-secret-123');
  });

  it('is bounded: at most maxKeys entries are looked at per call, so repeated starts finish the job', () => {
    const store = listedStorage(
      Object.fromEntries(
        Array.from({ length: 25 }, (_, i) => [
          `kaa:kore:eoc:b:c${i}`,
          JSON.stringify({ owner: 'i', at: NOW - 48 * HOUR, sent: true }),
        ]),
      ),
    );
    expect(sweepKoreStorage(store, { now: () => NOW, maxKeys: 10 })).toEqual({ examined: 10, removed: 10 });
    expect(store.map.size).toBe(15);
    sweepKoreStorage(store, { now: () => NOW, maxKeys: 10 });
    sweepKoreStorage(store, { now: () => NOW, maxKeys: 10 });
    expect(store.map.size).toBe(0);
  });

  it('does nothing to a store that cannot list its keys, and logs (never throws) when the store fails', () => {
    expect(sweepKoreStorage(createMemoryStorage(), { now: () => NOW })).toEqual({ examined: 0, removed: 0 });
    const logger = captureLogger();
    const failing: SweepableStorage = {
      length: 1,
      key: () => 'kaa:kore:eoc:b:c',
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => undefined,
      removeItem: () => undefined,
    };
    expect(() => sweepKoreStorage(failing, { now: () => NOW, logger })).not.toThrow();
    expect(logger.lines.some((l) => l.includes('kore storage sweep'))).toBe(true);
  });

  it('property: never removes a key outside kaa:kore:, never throws, and leaves no kaa:kore:datatable: key', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.oneof(fc.string(), fc.constantFrom('kaa:kore:eoc:x', 'kaa:kore:hooks-state:x', 'kaa:kore:datatable:x')),
          fc.string(),
          { maxKeys: 20 },
        ),
        fc.integer({ min: 0, max: 4 * 10 ** 12 }),
        (entries, now) => {
          const store = listedStorage(entries);
          sweepKoreStorage(store, { now: () => now });
          for (const key of Object.keys(entries))
            if (!key.startsWith('kaa:kore:')) expect(store.map.get(key)).toBe(entries[key]);
          expect([...store.map.keys()].some((k) => k.startsWith('kaa:kore:datatable:'))).toBe(false);
        },
      ),
    );
  });
});

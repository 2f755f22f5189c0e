import { describe, expect, it } from 'vitest';
import { createEmitter, retryAfterMs } from '@kaa/core';

/** The emitter after clear() and the Retry-After parser's decimals: edges the other port tests leave open. */

describe('createEmitter after clear()', () => {
  it('an emit after clear() calls nothing and reports no listener error', () => {
    const errors: unknown[] = [];
    const e = createEmitter<{ a: number }>((_name, error) => errors.push(error));
    const seen: number[] = [];
    e.onAny((n) => seen.push(n));
    e.clear();
    e.emit('a', 1);
    expect(seen).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('a remover called after clear() leaves nothing behind', () => {
    const errors: unknown[] = [];
    const e = createEmitter<{ a: number }>((_name, error) => errors.push(error));
    const off = e.on('a', () => {});
    e.clear();
    off();
    e.emit('a', 1);
    expect(errors).toEqual([]);
  });
});

describe('retryAfterMs', () => {
  it('reads delta seconds with several decimals', () => {
    expect(retryAfterMs('1.25')).toBe(1250);
    expect(retryAfterMs('0.001')).toBe(1);
    expect(retryAfterMs('1.')).toBeUndefined();
  });
});

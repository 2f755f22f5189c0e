import { describe, expect, it } from 'vitest';
import { createEmitter } from '../src/index.js';

type Events = { a: number; b: string; c: void };

describe('createEmitter (the typed emitter of the package)', () => {
  it('calls the listeners of the event in the order they were added, then the onAny listeners', () => {
    const seen: string[] = [];
    const e = createEmitter<Events>();
    e.onAny((payload, name) => seen.push(`any ${String(name)}=${String(payload)}`));
    e.on('a', (n) => seen.push(`a1=${n}`));
    e.on('a', (n) => seen.push(`a2=${n}`));
    e.on('b', (s) => seen.push(`b=${s}`));
    e.emit('a', 1);
    e.emit('b', 'x');
    expect(seen).toEqual(['a1=1', 'a2=1', 'any a=1', 'b=x', 'any b=x']);
  });

  it('a remover removes only its listener; clear removes all', () => {
    const seen: number[] = [];
    const e = createEmitter<Events>();
    const off = e.on('a', (n) => seen.push(n));
    e.on('a', (n) => seen.push(n * 10));
    const offAny = e.onAny(() => seen.push(-1));
    off();
    offAny();
    e.emit('a', 2);
    expect(seen).toEqual([20]);
    e.clear();
    e.emit('a', 3);
    expect(seen).toEqual([20]);
  });

  it('a listener added twice is held once (like a Set)', () => {
    const seen: number[] = [];
    const e = createEmitter<Events>();
    const listener = (n: number) => void seen.push(n);
    e.on('a', listener);
    const off = e.on('a', listener);
    e.emit('a', 1);
    off();
    e.emit('a', 2);
    expect(seen).toEqual([1]);
  });

  it('a throwing listener is reported and the others still run', () => {
    const errors: [string, unknown][] = [];
    const seen: string[] = [];
    const e = createEmitter<Events>((name, error) => errors.push([String(name), error]));
    const boom = new Error('boom');
    e.on('c', () => {
      throw boom;
    });
    e.on('c', () => seen.push('second'));
    e.onAny(() => seen.push('any'));
    expect(() => e.emit('c', undefined)).not.toThrow();
    expect(seen).toEqual(['second', 'any']);
    expect(errors).toEqual([['c', boom]]);
  });

  it('the listeners of one emit are the ones registered when it starts; clear() during an emit skips the onAny listeners', () => {
    const seen: string[] = [];
    const e = createEmitter<Events>();
    e.on('a', () => {
      seen.push('first');
      e.on('a', () => seen.push('added during emit'));
    });
    e.emit('a', 1);
    expect(seen).toEqual(['first']);
    e.emit('a', 2);
    expect(seen).toEqual(['first', 'first', 'added during emit']);

    const f = createEmitter<Events>();
    f.on('b', () => f.clear());
    f.onAny(() => seen.push('any after clear'));
    f.emit('b', 'x');
    expect(seen).not.toContain('any after clear');
  });
});

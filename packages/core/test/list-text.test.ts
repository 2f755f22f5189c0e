import { describe, expect, it } from 'vitest';
// internal to core (not exported): reached by path
import { MAX_LISTED, formatCount, listCapped } from '../src/list-text.js';

describe('formatCount: en-US grouping whatever the runtime locale', () => {
  it('groups by thousands, with no leading separator, and keeps the sign', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(123)).toBe('123');
    expect(formatCount(1998)).toBe('1,998');
    expect(formatCount(123456)).toBe('123,456');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(-1234567)).toBe('-1,234,567');
    expect(formatCount(-5)).toBe('-5');
  });
});

describe('listCapped: at most MAX_LISTED items, then the count of the rest', () => {
  const items = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7'];

  it('lists everything when nothing is left over, with "; " by default', () => {
    expect(MAX_LISTED).toBe(5);
    expect(listCapped(['a', 'b'], 2)).toBe('a; b');
    expect(listCapped(['a', 'b'], 2, ', ')).toBe('a, b');
  });

  it('counts what it does not write out, from the total', () => {
    expect(listCapped(items, 7)).toBe('r1; r2; r3; r4; r5 and 2 more');
    expect(listCapped(items.slice(0, 2), 2000)).toBe('r1; r2 and 1,998 more');
  });
});

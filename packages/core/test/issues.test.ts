import { describe, expect, it } from 'vitest';
import { describeIssue, issuePath, listIssues, typeWithArticle, type IssueLike } from '@kaa/core';
// internal to core (not exported): reached by path
import { describeIssues, issuePaths } from '../src/issues.js';

/**
 * How core words zod issues for an admin: the paths, the phrases, the limits. Pinned on their own because the callers'
 * tests only ever met a few of the phrases (found by mutation testing, docs/testing.md#mutation-testing-pnpm-mutate).
 */
const issue = (over: Partial<IssueLike>): IssueLike => ({
  code: 'custom',
  path: [],
  message: 'Invalid input',
  ...over,
});

describe('issuePath', () => {
  it('dots by default, brackets for indexes when asked, a prefix in front, and a name for the empty path', () => {
    expect(issuePath(['a', 0, 'b'])).toBe('a.0.b');
    expect(issuePath(['a', 0, 'b'], { indexes: 'brackets' })).toBe('a[0].b');
    expect(issuePath(['x'], { prefix: ['eventBody'] })).toBe('eventBody.x');
    expect(issuePath([])).toBe('(root)');
    expect(issuePath([], { root: '(message)' })).toBe('(message)');
  });
});

describe('listIssues', () => {
  it('"path: message" for at most five issues unless a limit is given', () => {
    const many = Array.from({ length: 7 }, (_, i) => issue({ path: ['k', i], message: `m${i}` }));
    expect(listIssues(many)).toEqual(['k.0: m0', 'k.1: m1', 'k.2: m2', 'k.3: m3', 'k.4: m4']);
    expect(listIssues(many, { limit: 2, indexes: 'brackets' })).toEqual(['k[0]: m0', 'k[1]: m1']);
  });
});

describe('describeIssue', () => {
  it('words each kind of issue', () => {
    expect(describeIssue(issue({ code: 'invalid_type', expected: 'object' }))).toBe('must be an object');
    expect(describeIssue(issue({ code: 'invalid_type', expected: 'int' }))).toBe('must be a whole number');
    expect(describeIssue(issue({ code: 'invalid_value', values: ['a', 1] }))).toBe('must be one of "a", 1');
    expect(describeIssue(issue({ code: 'invalid_value' }))).toBe('must be one of the allowed values');
    expect(describeIssue(issue({ code: 'too_small', origin: 'number', minimum: 1 }))).toBe('must be at least 1');
    expect(describeIssue(issue({ code: 'too_small', origin: 'string', minimum: 2 }))).toBe(
      'must have at least 2 item(s) or character(s)',
    );
    expect(describeIssue(issue({ code: 'too_small', origin: 'string', minimum: 2, message: 'is empty' }))).toBe(
      'is empty',
    );
    expect(describeIssue(issue({ code: 'too_big', origin: 'number', maximum: 9 }))).toBe('must be at most 9');
    expect(describeIssue(issue({ code: 'too_big', origin: 'string', maximum: 9 }))).toBe('is too long (at most 9)');
    expect(describeIssue(issue({ code: 'unrecognized_keys', keys: ['a', 'b'] }))).toBe(
      'has unknown key(s) "a", "b" (check the spelling)',
    );
    expect(describeIssue(issue({ code: 'unrecognized_keys' }))).toBe('has unknown key(s)  (check the spelling)');
    expect(describeIssue(issue({ code: 'invalid_format' }))).toBe('has the wrong format');
    expect(describeIssue(issue({ code: 'invalid_format', message: 'must be a URL' }))).toBe('must be a URL');
    expect(describeIssue(issue({ code: 'custom' }))).toBe('is invalid');
    expect(describeIssue(issue({ code: 'custom', message: 'is not a queue' }))).toBe('is not a queue');
  });
});

describe('describeIssues', () => {
  it('one clause per issue, with the prefix and bracketed indexes, at most three, then how many more', () => {
    const issues = [
      { code: 'invalid_type', path: ['a', 0], expected: 'string' },
      { code: 'invalid_union', path: ['b'] },
      { code: 'invalid_value', path: ['c'] },
      { code: 'too_big', path: ['d'] },
      { code: 'custom', path: ['e'] },
    ];
    expect(describeIssues(issues.slice(0, 1))).toBe('a[0] is missing or is not a string');
    expect(describeIssues(issues, 'body')).toBe(
      'body.a[0] is missing or is not a string; body.b has a value kaa does not recognise; body.c has a value kaa does not recognise; and 2 more',
    );
    expect(describeIssues(issues.slice(3), '', 2)).toBe('d is invalid (too_big); e is invalid (custom)');
    expect(describeIssues(issues.slice(0, 3), '', 3)).toBe(
      'a[0] is missing or is not a string; b has a value kaa does not recognise; c has a value kaa does not recognise',
    );
    expect(describeIssues([{ code: 'invalid_type', path: [], expected: 'object' }])).toBe(
      '(root) is missing or is not an object',
    );
  });
});

describe('issuePaths and typeWithArticle', () => {
  it('at most ten bracketed paths, prefixed', () => {
    const issues = Array.from({ length: 12 }, (_, i) => ({ path: [i] }));
    expect(issuePaths(issues, 'rows')).toEqual(Array.from({ length: 10 }, (_, i) => `rows[${i}]`));
    expect(issuePaths([{ path: ['x'] }])).toEqual(['x']);
  });

  it('an article that fits the type', () => {
    expect(typeWithArticle('array')).toBe('an array');
    expect(typeWithArticle('string')).toBe('a string');
    expect(typeWithArticle('int')).toBe('a whole number');
  });
});

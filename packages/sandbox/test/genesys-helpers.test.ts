import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RateBudget, TimerSet, latencyFor, s256Challenge, verifyS256 } from '@kaa/sandbox';

describe('sandbox helpers', () => {
  it('PKCE S256 matches the RFC 7636 appendix B vector and rejects malformed verifiers', () => {
    expect(s256Challenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
    expect(
      verifyS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'),
    ).toBe(true);
    expect(verifyS256('short', s256Challenge('short'))).toBe(false);
    expect(verifyS256(undefined, 'x')).toBe(false);
  });

  it('property: verifyS256 never throws and accepts exactly the verifier that made the challenge', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 43, maxLength: 128, unit: fc.constantFrom(...'abcXYZ019-._~'.split('')) }),
        fc.string({ maxLength: 200 }),
        (verifier, other) => {
          expect(verifyS256(verifier, s256Challenge(verifier))).toBe(true);
          if (other !== verifier) expect(verifyS256(other, s256Challenge(verifier))).toBe(false);
        },
      ),
    );
  });

  it('latencyFor: a number for every path, or the longest matching prefix, else "*"', () => {
    expect(latencyFor(undefined, '/x')).toBe(0);
    expect(latencyFor(70, '/api/v2/users/me')).toBe(70);
    const per = { '*': 100, '/api/v2': 50, '/api/v2/notifications': 0 };
    expect(latencyFor(per, '/api/v2/notifications/channels')).toBe(0);
    expect(latencyFor(per, '/api/v2/users/me')).toBe(50);
    expect(latencyFor(per, '/oauth/token')).toBe(100);
    expect(latencyFor({ '/a': 5 }, '/b')).toBe(0);
  });

  it('RateBudget: a fixed window per key, with the seconds left until reset', () => {
    let t = 0;
    const b = new RateBudget(() => t, 60_000);
    expect(b.take('k', 2)).toMatchObject({ allowed: true, count: 1, resetSeconds: 60 });
    expect(b.take('k', 2).allowed).toBe(true);
    t = 15_000;
    expect(b.take('k', 2)).toMatchObject({ allowed: false, count: 3, resetSeconds: 45 });
    expect(b.take('other', 2).allowed).toBe(true);
    t = 60_000;
    expect(b.take('k', 2)).toMatchObject({ allowed: true, count: 1 });
  });

  it('TimerSet: clear() cancels timers and intervals and resolves pending sleeps', async () => {
    const timers = new TimerSet();
    let fired = 0;
    timers.after(10, () => fired++);
    timers.every(5, () => fired++);
    const slept = timers.sleep(10_000);
    expect(timers.size).toBe(3);
    timers.clear();
    expect(timers.size).toBe(0);
    await slept;
    await new Promise((r) => setTimeout(r, 30));
    expect(fired).toBe(0);
  });
});

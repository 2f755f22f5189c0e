import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isKaaError } from '@kaa/core';
import { rejectionOf } from '@kaa/test-support';
import { pageKoreApiHost, resolveKoreApiHost } from '../src/index.js';

describe('resolveKoreApiHost: the one rule for where Kore is (CLI and page)', () => {
  it('an explicit host wins over the Agent AI URL; a trailing slash is dropped', () => {
    expect(
      resolveKoreApiHost({ apiHost: 'https://kore.example.com/', agentAiUrl: 'https://agentassist.kore.ai' }),
    ).toBe('https://kore.example.com');
    expect(resolveKoreApiHost({ apiHost: 'http://127.0.0.1:4103' })).toBe('http://127.0.0.1:4103');
  });

  it('without one, derives it from the Agent AI URL (agentassist.kore.ai → bots.kore.ai)', () => {
    expect(
      resolveKoreApiHost({
        agentAiUrl: 'https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html',
      }),
    ).toBe('https://bots.kore.ai');
    expect(resolveKoreApiHost({ apiHost: '', agentAiUrl: 'https://platform.kore.ai' })).toBe(
      'https://platform.kore.ai',
    );
  });

  it('with neither it never guesses: E_CONFIG_INVALID naming kore.apiHost and "kaa page --dist"', async () => {
    const e = await rejectionOf(Promise.resolve().then(() => pageKoreApiHost({ kore: {} })));
    expect(e.code).toBe('E_CONFIG_INVALID');
    expect(e.step).toBe('configuration');
    expect(e.details).toMatchObject({ key: 'kore.apiHost' });
    expect(e.message).toContain('kaa page --dist');
    expect(pageKoreApiHost({ kore: { apiHost: 'https://platform.kore.ai' } })).toBe('https://platform.kore.ai');
  });

  it('refuses plain http off loopback and text that is not a URL', () => {
    expect(() => resolveKoreApiHost({ apiHost: 'http://kore.example.com' })).toThrow(/must use https/);
    expect(() => resolveKoreApiHost({ apiHost: 'kore' })).toThrow(/is not a URL/);
  });

  it('property: any input gives an http(s) origin-based URL without query or a coded KaaError', () => {
    fc.assert(
      fc.property(
        fc.option(fc.oneof(fc.webUrl(), fc.string())),
        fc.option(fc.oneof(fc.webUrl(), fc.string())),
        (apiHost, agentAiUrl) => {
          try {
            const host = resolveKoreApiHost({ apiHost: apiHost ?? undefined, agentAiUrl: agentAiUrl ?? undefined });
            const url = new URL(host);
            expect(url.search + url.hash).toBe('');
            expect(['https:', 'http:']).toContain(url.protocol);
            expect(host.endsWith('/')).toBe(false);
          } catch (e) {
            expect(isKaaError(e, 'E_CONFIG_INVALID')).toBe(true);
          }
        },
      ),
    );
  });
});

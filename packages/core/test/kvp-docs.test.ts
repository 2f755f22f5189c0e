import { describe, expect, it } from 'vitest';
import { KaaError, compilePath, inspectBotRow, parseKvpConfig } from '@kaa/core';

/** The examples printed in the package README (KvpConfig paths, Routing) stay true. */
describe('documented examples', () => {
  it('compilePath error text and offset', () => {
    try {
      compilePath('participants[0', { key: 'callStatus' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(KaaError);
      expect((e as KaaError).message).toMatch(
        /^KvpConfig path "participants\[0" for key "callStatus" is invalid at character 15: unclosed "\["\./,
      );
      expect((e as KaaError).details).toEqual({
        path: 'participants[0',
        offset: 14,
        column: 'KvpConfig',
        key: 'callStatus',
      });
    }
  });
  it('parseKvpConfig JSON error names the character', () => {
    expect(() => parseKvpConfig('{bad')).toThrow(/KvpConfig is not valid JSON \(error at character 2\)/);
  });
  it('inspectBotRow reports a wrong-case column', () => {
    const row = {
      QueueIdentifier: 'Kore',
      BotId: 'st-1',
      ClientId: 'cs-1',
      clientSecret: 'abcd-secret',
      AgentAssistWidgetURL: 'https://a.example/x.html',
      AudiohookEnabled: 'true',
      JWEPublicKey: '',
    };
    expect(inspectBotRow(row).problems.map((p) => p.code)).toEqual(['column-case', 'missing-column']);
  });
});

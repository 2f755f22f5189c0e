import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { errorOf } from '@kaa/test-support';
import { checkFramed, checkKoreHostAllowed, checkLinkAllowed, isKaaError, parseSettings } from '@kaa/core';

const table = (name: string) => ({
  botSource: { kind: 'kore-data-table' as const, datatable: { name, token: 'eyJ.x.y', qDelimiter: '_' } },
});
const account = (accountId: string) => ({ botSource: { kind: 'third-party' as const, accountId } });

describe('settings allow: what a link may choose', () => {
  it('empty lists allow anything (the default)', () => {
    const { allow } = parseSettings({});
    expect(() => checkLinkAllowed(table('any_table'), 'prod-euw1', allow)).not.toThrow();
    expect(() => checkLinkAllowed(account('acc-1'), 'prod', allow)).not.toThrow();
    expect(() => checkKoreHostAllowed('https://anything.example/x.html', allow)).not.toThrow();
  });

  it('a table, account or environment that is not listed: E_PARAM_NOT_ALLOWED naming the value and the setting', () => {
    const { allow } = parseSettings({
      allow: { tables: ['kaa_bots'], accountIds: ['acc-1'], genesysEnvironments: ['prod-euw1'] },
    });
    expect(() => checkLinkAllowed(table('kaa_bots'), 'PROD-EUW1', allow)).not.toThrow();
    const t = errorOf(() => checkLinkAllowed(table('attacker_bots'), 'prod-euw1', allow));
    expect(t).toMatchObject({
      code: 'E_PARAM_NOT_ALLOWED',
      step: 'parameters',
      details: { key: 'allow.tables', value: 'attacker_bots' },
    });
    expect(t.message).toContain('This page does not serve Kore Data Table "attacker_bots"');
    expect(t.message).not.toContain('eyJ.x.y');
    expect(errorOf(() => checkLinkAllowed(account('acc-2'), 'prod-euw1', allow)).details).toMatchObject({
      key: 'allow.accountIds',
    });
    expect(errorOf(() => checkLinkAllowed(table('kaa_bots'), 'prod', allow)).details).toMatchObject({
      key: 'allow.genesysEnvironments',
    });
    // the legacy Genesys table is chosen by the Genesys org, not by the link
    expect(() => checkLinkAllowed({ botSource: { kind: 'genesys-legacy-table' } }, 'prod-euw1', allow)).not.toThrow();
  });

  it('a bot row whose widget is on another origin: E_KORE_HOST_NOT_ALLOWED', () => {
    const { allow } = parseSettings({ allow: { koreHosts: ['https://agentassist.kore.ai'] } });
    expect(() =>
      checkKoreHostAllowed('https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html', allow),
    ).not.toThrow();
    for (const url of [
      'https://agentassist.kore.ai.evil.example/x',
      'http://agentassist.kore.ai/x',
      'javascript:alert(1)',
      'not a url',
    ]) {
      const e = errorOf(() => checkKoreHostAllowed(url, allow));
      expect(e).toMatchObject({ code: 'E_KORE_HOST_NOT_ALLOWED', step: 'bot table' });
      expect(e.message).not.toContain('"null"');
    }
  });

  it('unframed: refused unless allowed or the environment is loopback (the sandbox)', () => {
    const e = errorOf(() => checkFramed({ framed: false, loopback: false }, { unframed: false }));
    expect(e).toMatchObject({ code: 'E_PAGE_UNFRAMED', step: 'parameters' });
    expect(e.message).toContain('inside the Genesys Cloud agent desktop');
    expect(() => checkFramed({ framed: true, loopback: false }, { unframed: false })).not.toThrow();
    expect(() => checkFramed({ framed: false, loopback: true }, { unframed: false })).not.toThrow();
    expect(() => checkFramed({ framed: false, loopback: false }, { unframed: true })).not.toThrow();
  });

  it('property: any table name, account or environment is allowed or refused with E_PARAM_NOT_ALLOWED only', () => {
    const { allow } = parseSettings({
      allow: { tables: ['kaa_bots'], accountIds: ['acc-1'], genesysEnvironments: ['prod'] },
    });
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.boolean(), (value, environment, isTable) => {
        try {
          checkLinkAllowed(isTable ? table(value) : account(value), environment, allow);
        } catch (e) {
          expect(isKaaError(e) && e.code).toBe('E_PARAM_NOT_ALLOWED');
        }
      }),
    );
  });
});

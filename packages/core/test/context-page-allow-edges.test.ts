import { describe, expect, it } from 'vitest';
import { errorOf } from '@kaa/test-support';
import { checkFramed, checkKoreHostAllowed, checkLinkAllowed, parseSettings } from '@kaa/core';

/** The page's pins (settings `allow`) at their edges: the exact words, clipping of long values, what is compared how. */

const table = (name: string) => ({
  botSource: { kind: 'kore-data-table' as const, datatable: { name, token: 'eyJ.x.y', qDelimiter: '_' } },
});
const account = (accountId: string) => ({ botSource: { kind: 'third-party' as const, accountId } });
const allowOf = (allow: object) => parseSettings({ allow }).allow;

describe('checkLinkAllowed', () => {
  it('names the value, every allowed one and the setting, in words an admin can act on', () => {
    const allow = allowOf({ tables: ['kaa_bots', 'kaa_bots_2'] });
    expect(errorOf(() => checkLinkAllowed(table('other'), 'prod', allow))).toMatchObject({
      code: 'E_PARAM_NOT_ALLOWED',
      message:
        'This page does not serve Kore Data Table "other": setting allow.tables lists only "kaa_bots", "kaa_bots_2". If the Interaction Widget URL is right, add the value to allow.tables in kaa.config.json and deploy the page again (kaa page --dist); otherwise correct the URL (kaa url prints it).',
      details: { key: 'allow.tables', value: 'other', allowed: ['kaa_bots', 'kaa_bots_2'] },
    });
    expect(errorOf(() => checkLinkAllowed(account('acc-9'), 'prod', allowOf({ accountIds: ['acc-1'] })))).toMatchObject(
      {
        message: expect.stringMatching(
          /^This page does not serve Agent AI account "acc-9": setting allow\.accountIds lists only "acc-1"\./,
        ),
        details: { key: 'allow.accountIds', value: 'acc-9', allowed: ['acc-1'] },
      },
    );
    expect(
      errorOf(() => checkLinkAllowed(table('t'), 'prod-euw2', allowOf({ genesysEnvironments: ['prod-euw1'] }))),
    ).toMatchObject({
      message: expect.stringMatching(
        /^This page does not serve Genesys Cloud environment "prod-euw2": setting allow\.genesysEnvironments lists only "prod-euw1"\./,
      ),
      details: { key: 'allow.genesysEnvironments', value: 'prod-euw2', allowed: ['prod-euw1'] },
    });
  });

  it('environment names compare without case; table names and account ids exactly', () => {
    expect(() =>
      checkLinkAllowed(table('t'), 'Prod-EUW1', allowOf({ genesysEnvironments: ['prod', 'PROD-euw1'] })),
    ).not.toThrow();
    expect(errorOf(() => checkLinkAllowed(table('KAA_BOTS'), 'prod', allowOf({ tables: ['kaa_bots'] }))).code).toBe(
      'E_PARAM_NOT_ALLOWED',
    );
    expect(errorOf(() => checkLinkAllowed(account('ACC-1'), 'prod', allowOf({ accountIds: ['acc-1'] }))).code).toBe(
      'E_PARAM_NOT_ALLOWED',
    );
  });

  it('a pin of one kind leaves the other sources alone', () => {
    expect(() => checkLinkAllowed(account('acc-9'), 'prod', allowOf({ tables: ['kaa_bots'] }))).not.toThrow();
    expect(() => checkLinkAllowed(table('other'), 'prod', allowOf({ accountIds: ['acc-1'] }))).not.toThrow();
  });

  it('clips values over 120 characters to 117 and an ellipsis, in the message and the details', () => {
    const at120 = 'a'.repeat(120);
    const long = 'b'.repeat(121);
    const allow = allowOf({ tables: [long] });
    expect(errorOf(() => checkLinkAllowed(table(at120), 'prod', allow)).details['value']).toBe(at120);
    const e = errorOf(() => checkLinkAllowed(table(long), 'prod', allowOf({ tables: [at120] })));
    expect(e.details['value']).toBe(`${'b'.repeat(117)}…`);
    expect(e.message).toContain(`"${'b'.repeat(117)}…": setting allow.tables lists only "${at120}".`);
    expect(errorOf(() => checkLinkAllowed(table('x'), 'prod', allow)).message).toContain(
      `lists only "${'b'.repeat(117)}…".`,
    );
  });
});

describe('checkKoreHostAllowed', () => {
  it('compares origins: a path, a trailing slash or a default port in the setting do not matter', () => {
    const allow = { koreHosts: ['https://agentassist.kore.ai/some/path/', 'https://other.kore.ai:443'] };
    expect(() => checkKoreHostAllowed('https://agentassist.kore.ai/x.html', allow)).not.toThrow();
    expect(() => checkKoreHostAllowed('https://other.kore.ai/x.html', allow)).not.toThrow();
    expect(() => checkKoreHostAllowed('https://agentassist.kore.ai/x', { koreHosts: ['not a url'] })).toThrow();
  });

  it('names the origin and the allowed hosts, or says the address is no web origin', () => {
    const allow = { koreHosts: ['https://agentassist.kore.ai', 'https://b.kore.ai'] };
    expect(errorOf(() => checkKoreHostAllowed('https://evil.example/x?token=1', allow))).toMatchObject({
      code: 'E_KORE_HOST_NOT_ALLOWED',
      message:
        "The bot's AgentAssistWidgetURL loads from https://evil.example, which setting allow.koreHosts does not list (https://agentassist.kore.ai, https://b.kore.ai). The widget receives the conversation: fix the row's AgentAssistWidgetURL, or, if that Kore host is yours, add it to allow.koreHosts and deploy the page again (kaa page --dist).",
      details: {
        key: 'allow.koreHosts',
        origin: 'https://evil.example',
        allowed: ['https://agentassist.kore.ai', 'https://b.kore.ai'],
      },
    });
    for (const widgetUrl of ['not a url', 'javascript:alert(1)']) {
      const e = errorOf(() => checkKoreHostAllowed(widgetUrl, allow));
      expect(e.message).toMatch(
        /^The bot's AgentAssistWidgetURL loads from an address that is not a web origin, which/,
      );
      expect(e.details['origin']).toBeNull();
    }
  });
});

describe('checkFramed', () => {
  it('the exact refusal, pointing at allow.unframed', () => {
    expect(errorOf(() => checkFramed({ framed: false, loopback: false }, { unframed: false }))).toMatchObject({
      code: 'E_PAGE_UNFRAMED',
      message:
        'This page runs only inside the Genesys Cloud agent desktop (as the Interaction Widget of an interaction), not opened on its own in a browser tab: open the interaction in Genesys Cloud. For a test page outside the desktop, set allow.unframed to true in kaa.config.json and deploy the page again (kaa page --dist).',
      details: { key: 'allow.unframed' },
    });
  });
});

import { describe, expect, it } from 'vitest';
import { errorOf } from '@kaa/test-support';
import { normaliseLegacyUrl, parseLegacyBotConfig } from '@kaa/core';

// Edges of the legacy Genesys data table (five field defaults): the exact words for each bad field, the audiohook
// flag's spellings, what the record holds, and the URL rule.

const WIDGET = 'https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html';
const SECRET = 'zz-legacy-secret';
const FIELDS = {
  'AgentAssist URL': 'https://agentassist.kore.ai',
  'Bot Id': 'st-1',
  'Client Id': 'cs-1',
  'Client Secret': SECRET,
  'is Audiohook Enabled': 'false',
};
const NAMED = 'legacy Genesys data table "Kore Agent Assist"';
const UNNAMED = 'the legacy Genesys data table (Reference Key "agentAssist")';

describe('parseLegacyBotConfig record', () => {
  it('holds the trimmed fields, no queue identifiers, HS256, no SDK flag, and the table only when named', () => {
    const padded = { ...FIELDS, 'Bot Id': ' st-1 ', 'Client Id': ' cs-1 ', 'Client Secret': ` ${SECRET} ` };
    expect(parseLegacyBotConfig(padded)).toStrictEqual({
      queueIdentifiers: [],
      botId: 'st-1',
      clientId: 'cs-1',
      clientSecret: SECRET,
      agentAssistWidgetUrl: WIDGET,
      audiohookEnabled: false,
      algorithm: 'HS256',
      isAgentAISDK: false,
      origin: { kind: 'genesys-legacy-table' },
    });
  });

  it.each([
    [true, false, true],
    [false, true, false],
    ['true', false, true],
    [' TRUE ', false, true],
    ['False', true, false],
    ['', true, true],
    ['   ', true, true],
    [undefined, true, true],
    [null, false, false],
    [1, true, true],
  ])('is Audiohook Enabled = %j with default %s → %s', (flag, fallback, expected) => {
    expect(
      parseLegacyBotConfig({ ...FIELDS, 'is Audiohook Enabled': flag }, { defaultAudiohookEnabled: fallback })
        .audiohookEnabled,
    ).toBe(expected);
  });
});

describe('parseLegacyBotConfig errors, word for word', () => {
  it('a field without a default value names the table and what to set', () => {
    const cases: [string, unknown, string][] = [
      ['AgentAssist URL', undefined, 'the Agent AI URL, e.g. https://agentassist.kore.ai'],
      ['Bot Id', null, 'the bot id (st-…)'],
      ['Client Id', '  ', "the client id (cs-…) of the bot's JWT app"],
      ['Client Secret', undefined, "the client secret of the bot's JWT app"],
    ];
    for (const [field, value, hint] of cases) {
      const fields: Record<string, unknown> = { ...FIELDS, [field]: value };
      if (value === undefined) delete fields[field];
      const e = errorOf(() => parseLegacyBotConfig(fields));
      expect(e.code).toBe('E_BOT_ROW_INVALID');
      expect(e.message).toBe(`Field "${field}" of ${UNNAMED} has no default value. Set its default value to ${hint}.`);
      expect(e.details).toStrictEqual({ field, table: null });
    }
  });

  it('names a label that differs only in case', () => {
    const fields: Record<string, unknown> = { ...FIELDS, 'bot id': 'st-2' };
    delete fields['Bot Id'];
    const e = errorOf(() => parseLegacyBotConfig(fields, { tableName: 'Kore Agent Assist' }));
    expect(e.message).toBe(
      `Field "Bot Id" of ${NAMED} has no default value (a field "bot id" exists; labels are case-sensitive). Set its default value to the bot id (st-…).`,
    );
    expect(e.details).toStrictEqual({ field: 'Bot Id', table: 'Kore Agent Assist' });
  });

  it('a field that is not a string', () => {
    expect(errorOf(() => parseLegacyBotConfig({ ...FIELDS, 'Client Id': 42 })).message).toBe(
      `Field "Client Id" of ${UNNAMED} is not a string field. Make it a string field whose default value is the client id (cs-…) of the bot's JWT app.`,
    );
  });

  it('fields that are not an object: the first field is missing', () => {
    for (const fields of [null, undefined, 'text']) {
      const e = errorOf(() => parseLegacyBotConfig(fields as unknown as Record<string, unknown>));
      expect(e.code).toBe('E_BOT_ROW_INVALID');
      expect(e.details['field']).toBe('AgentAssist URL');
    }
  });

  it('an AgentAssist URL that is not https names the field and the table', () => {
    const e = errorOf(() =>
      parseLegacyBotConfig({ ...FIELDS, 'AgentAssist URL': 'http://kore.example' }, { tableName: 'Kore Agent Assist' }),
    );
    expect(e.message).toBe(
      `Field "AgentAssist URL" of ${NAMED} has a "AgentAssist URL" that does not start with https: (http://kore.example). The widget must load over https: use the https URL of your Agent AI host.`,
    );
    expect(e.details).toStrictEqual({ field: 'AgentAssist URL', table: 'Kore Agent Assist' });
  });

  it('a padded Client Secret is redacted from the URL error in its trimmed form too', () => {
    const e = errorOf(() =>
      parseLegacyBotConfig({
        ...FIELDS,
        'Client Secret': ` ${SECRET} `,
        'AgentAssist URL': `http://${SECRET}.example`,
      }),
    );
    expect(e.message).toContain('does not start with https:');
    expect(JSON.stringify(e.toJSON())).not.toContain(SECRET);
  });

  it('a bad audiohook flag is quoted trimmed and cut at 40 characters', () => {
    const word = `maybe${'x'.repeat(50)}`;
    const e = errorOf(() => parseLegacyBotConfig({ ...FIELDS, 'is Audiohook Enabled': `  ${word}  ` }));
    expect(e.message).toBe(
      `Field "is Audiohook Enabled" of ${UNNAMED} is "${word.slice(0, 40)}". Set its default value to "true" or "false".`,
    );
    expect(e.details).toStrictEqual({ field: 'is Audiohook Enabled', table: null });
  });
});

describe('normaliseLegacyUrl', () => {
  it.each([
    ['https://onprem.example/kore//', 'https://onprem.example/kore/koreagentassist-sdk-v3/UI/agentassist-iframe.html'],
    ['https://onprem.example/Kore/Page.HTML', 'https://onprem.example/Kore/Page.HTML'],
    ['  not a url  ', 'not a url'],
  ])('%j → %s', (input, output) => {
    expect(normaliseLegacyUrl(input)).toBe(output);
  });
});

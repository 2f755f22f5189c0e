import { exportJWK, exportPKCS8 } from 'jose';
import { describe, expect, it } from 'vitest';
import { expectNoSecrets, testRsaKeys } from '@kaa/test-support';
import {
  KaaError,
  buildAgentAssistUrl,
  buildAudiohookAdvancedConfig,
  buildAudiohookUri,
  buildCustomData,
  describeWidgetUrl,
  encryptSecureCustomData,
  signPlatformJwt,
  signWidgetJwt,
} from '@kaa/core';

const NOW = 1_767_225_600;
const CLIENT_SECRET = 'planted-client-secret-7f3a9c!';
const PASSTHRU = 'planted-passthru-sso-ticket-51d2';
const SECURE_VALUE = 'planted-account-number-0099';

/** Collects what a user or a log can see of an error: message, details, JSON form, stack. */
function visible(error: unknown): string {
  expect(error).toBeInstanceOf(KaaError);
  const e = error as KaaError;
  return [e.message, JSON.stringify(e.details), JSON.stringify(e.toJSON()), e.stack ?? '', String(e)].join('\n');
}

async function caught(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (e) {
    return e;
  }
  throw new Error('expected a KaaError');
}

describe('planted secrets never reach an error message or details', () => {
  it('ClientSecret: every signing failure path', async () => {
    const runs: (() => unknown)[] = [
      () => signWidgetJwt({ clientId: 'cs-1', clientSecret: CLIENT_SECRET, subject: 'u', now: NOW, algorithm: 'none' }),
      () =>
        signWidgetJwt({
          clientId: 'cs-1',
          clientSecret: CLIENT_SECRET,
          subject: 'u',
          now: NOW,
          secretEncoding: 'base64',
        }),
      () =>
        signWidgetJwt({
          clientId: 'cs-1',
          clientSecret: CLIENT_SECRET,
          subject: 'u',
          now: NOW,
          secretEncoding: 'hex' as 'utf8',
        }),
      () => signWidgetJwt({ clientId: '', clientSecret: CLIENT_SECRET, subject: 'u', now: NOW }),
      () => signWidgetJwt({ clientId: 'cs-1', clientSecret: CLIENT_SECRET, subject: 'u', now: NOW * 1000 }),
      () =>
        signWidgetJwt({
          clientId: 'cs-1',
          clientSecret: CLIENT_SECRET,
          subject: 'u',
          now: NOW,
          algorithm: 'RS256',
          privateKeyPem: CLIENT_SECRET,
        }),
      () => signPlatformJwt({ appId: 'cs-1', clientSecret: CLIENT_SECRET, now: NOW, ttlSeconds: 0 }),
      () => signPlatformJwt({ appId: 'cs-1', clientSecret: CLIENT_SECRET, now: NOW, secretEncoding: 'base64' }),
      () =>
        buildAudiohookAdvancedConfig({
          environment: '',
          oauthClientId: 'c',
          oauthClientSecret: CLIENT_SECRET,
          koreDomainURL: 'https://platform.kore.ai',
          sendEventsToVG: true,
          botId: 'b',
          token: CLIENT_SECRET,
        }),
      () =>
        buildAudiohookUri({
          kvgHost: '',
          sipuri: 's',
          token: CLIENT_SECRET,
          botId: 'b',
          accountId: 'a',
          multiBot: false,
        }),
    ];
    for (const run of runs) expect(visible(await caught(run))).not.toContain(CLIENT_SECRET);
  });

  it('private key: RSPrivatePem and a private JWK in JWEPublicKey', async () => {
    const pair = testRsaKeys();
    const pem = await exportPKCS8(pair.privateKey);
    const pemLine = pem.split('\n')[3]!;
    const wrongAlg = await caught(() =>
      signWidgetJwt({
        clientId: 'cs-1',
        subject: 'u',
        now: NOW,
        algorithm: 'RS256',
        privateKeyPem: pem.replace(pemLine, pemLine.slice(0, 10) + '!!' + pemLine.slice(12)),
      }),
    );
    expect(visible(wrongAlg)).not.toContain(pemLine.slice(12, 40));
    const asJwe = await caught(() =>
      encryptSecureCustomData({ a: SECURE_VALUE }, pem, { now: NOW, issuer: 'cs-1', subject: 'u' }),
    );
    expect(visible(asJwe)).not.toContain(pemLine);
    const jwk = await exportJWK(pair.privateKey);
    const asJwk = await caught(() =>
      encryptSecureCustomData({ a: SECURE_VALUE }, JSON.stringify(jwk), { now: NOW, issuer: 'cs-1', subject: 'u' }),
    );
    const text = visible(asJwk);
    expectNoSecrets(text, [jwk.d!, jwk.p!, jwk.q!, jwk.dp!, jwk.dq!, jwk.qi!, SECURE_VALUE]);
  });

  it('passthru and secure custom data values', async () => {
    const collision = await caught(() =>
      buildCustomData({ passthru: PASSTHRU, extra: { internalMetaData: SECURE_VALUE } }),
    );
    expectNoSecrets(visible(collision), [PASSTHRU, SECURE_VALUE]);
    const cyclic: Record<string, unknown> = { value: SECURE_VALUE };
    cyclic['self'] = cyclic;
    const pub = await exportJWK(testRsaKeys().publicKey);
    expect(
      visible(await caught(() => encryptSecureCustomData(cyclic, pub, { now: NOW, issuer: 'cs-1', subject: 'u' }))),
    ).not.toContain(SECURE_VALUE);
    const url = await caught(() =>
      buildAgentAssistUrl(
        { botId: '', agentAssistWidgetUrl: 'https://agentassist.kore.ai/x' },
        { conversationId: 'c' },
        { token: CLIENT_SECRET, isCall: false, customData: { internalMetaData: PASSTHRU } },
      ),
    );
    expectNoSecrets(visible(url), [CLIENT_SECRET, PASSTHRU]);
  });

  it('describeWidgetUrl hides the token and custom data of a built URL', async () => {
    const token = await signWidgetJwt({ clientId: 'cs-1', clientSecret: CLIENT_SECRET, subject: 'u', now: NOW });
    const url = buildAgentAssistUrl(
      {
        botId: 'st-1',
        agentAssistWidgetUrl: 'https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html',
      },
      { conversationId: 'c-1', lang: 'en-us' },
      { token, isCall: true, customData: buildCustomData({ passthru: PASSTHRU }) },
    );
    expect(url).toContain(token);
    const shown = describeWidgetUrl(url);
    expectNoSecrets(shown, [token, token.split('.')[1]!, PASSTHRU]);
    expect(shown).toContain('botid=st-1');
    expect(shown).toContain('conversationid=c-1');
  });
});

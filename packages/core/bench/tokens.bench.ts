import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import { bench, describe } from 'vitest';
import { classifyPassthru, encryptSecureCustomData, signWidgetJwt } from '@kaa/core';
import { benchWork } from '@kaa/test-support';

// Each call does the whole job the page does per load: parse/import the key from the row, then sign or encrypt.
const rs = await generateKeyPair('RS256', { extractable: true });
const pem = await exportPKCS8(rs.privateKey);
const jwe = await generateKeyPair('RSA-OAEP', { extractable: true });
const jwk = JSON.stringify({ ...(await exportJWK(jwe.publicKey)), kid: 'bench' });
const base = {
  clientId: 'cs-a1fa0000-0000-4000-8000-000000000001',
  subject: 'a9e00000-0000-4000-8000-000000000001',
  now: 1_767_225_600,
};
// every iteration must produce a compact JWS (3 segments) or JWE (5 segments), or classify the passthru as JSON
const segments = (compact: string) => compact.split('.').filter((s) => s !== '').length;
const hs = benchWork('JWS segments', 3);
const rsWork = benchWork('JWS segments', 3);
const jweWork = benchWork('JWE segments', 5);
const passthru = benchWork('passthru classified as JSON', 1);

describe('widget JWT signing', () => {
  bench(
    'HS256 signWidgetJwt',
    async () => {
      hs.add(segments(await signWidgetJwt({ ...base, clientSecret: 'alpha-bot-client-secret-0001' })));
    },
    hs.options,
  );
  bench(
    'RS256 signWidgetJwt (PKCS#8 PEM imported per call)',
    async () => {
      rsWork.add(segments(await signWidgetJwt({ ...base, algorithm: 'RS256', privateKeyPem: pem })));
    },
    rsWork.options,
  );
});

describe('secure custom data', () => {
  bench(
    'JWE encryptSecureCustomData RSA-OAEP/A128CBC-HS256 (JWK parsed per call)',
    async () => {
      jweWork.add(
        segments(
          await encryptSecureCustomData(
            { queueName: 'ALPHAINC_CUSTOMERSERVICE_16092024', callStatus: 'connected' },
            jwk,
            { now: base.now, issuer: base.clientId, subject: base.subject },
          ),
        ),
      );
    },
    jweWork.options,
  );
});

describe('passthru', () => {
  bench(
    'classifyPassthru URL-encoded JSON',
    () => {
      passthru.add(classifyPassthru('%7B%22crmId%22%3A%2242%22%2C%22tier%22%3A%22gold%22%7D').kind === 'json' ? 1 : 0);
    },
    passthru.options,
  );
});

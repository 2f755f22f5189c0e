import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorOf, readFixture } from '@kaa/test-support';
import { ENVIRONMENTS, KaaError, parseWidgetContext, resolveEnvironment } from '@kaa/core';

/** docs/genesys-protocol.md#environments, copied by hand so that a change to ENVIRONMENTS must be made twice. */
const TABLE: [string, string, string][] = [
  ['prod', 'us-east-1', 'mypurecloud.com'],
  ['prod-usw2', 'us-west-2', 'usw2.pure.cloud'],
  ['prod-cac1', 'ca-central-1', 'cac1.pure.cloud'],
  ['prod-sae1', 'sa-east-1', 'sae1.pure.cloud'],
  ['prod-mxc1', 'mx-central-1', 'mxc1.pure.cloud'],
  ['prod-euw1', 'eu-west-1', 'mypurecloud.ie'],
  ['prod-euw2', 'eu-west-2', 'euw2.pure.cloud'],
  ['prod-euc1', 'eu-central-1', 'mypurecloud.de'],
  ['prod-euc2', 'eu-central-2', 'euc2.pure.cloud'],
  ['prod-mec1', 'me-central-1', 'mec1.pure.cloud'],
  ['prod-aps1', 'ap-south-1', 'aps1.pure.cloud'],
  ['prod-apse1', 'ap-southeast-1', 'apse1.pure.cloud'],
  ['prod-apse2', 'ap-southeast-2', 'mypurecloud.com.au'],
  ['prod-apne1', 'ap-northeast-1', 'mypurecloud.jp'],
  ['prod-apne2', 'ap-northeast-2', 'apne2.pure.cloud'],
  ['prod-apne3', 'ap-northeast-3', 'apne3.pure.cloud'],
  ['fedramp-use2-core', 'us-east-2', 'use2.us-gov-pure.cloud'],
];

const SANDBOX = {
  name: 'sandbox',
  region: 'local',
  domain: '',
  apiBase: 'http://127.0.0.1:4102',
  loginBase: 'http://127.0.0.1:4103',
  streamingHost: '127.0.0.1:4104',
  appsOrigin: 'http://127.0.0.1:4101',
};

describe('ENVIRONMENTS', () => {
  it('lists the 17 stable regions of docs/genesys-protocol.md#environments plus the disabled EU sovereign cloud', () => {
    expect(ENVIRONMENTS).toHaveLength(18);
    const enabled = ENVIRONMENTS.filter((e) => e.enabled);
    expect(enabled.map((e) => [e.name, e.region, e.domain])).toEqual(TABLE);
    const eusc = ENVIRONMENTS.find((e) => e.domain === 'edee1.eusc-pure.cloud');
    expect(eusc?.enabled).toBe(false);
  });

  it('derives the hosts from the domain; the streaming host matches a real channel connectUri', () => {
    const channel = readFixture<{ connectUri: string }>('channels/notification_channel_created.json');
    const prod = resolveEnvironment({ hostOrigin: 'https://apps.mypurecloud.com' });
    expect(new URL(channel.connectUri).host).toBe(prod.streamingHost);
    expect(prod).toEqual({
      name: 'prod',
      region: 'us-east-1',
      domain: 'mypurecloud.com',
      apiBase: 'https://api.mypurecloud.com',
      loginBase: 'https://login.mypurecloud.com',
      streamingHost: 'streaming.mypurecloud.com',
      appsOrigin: 'https://apps.mypurecloud.com',
    });
  });
});

describe('resolveEnvironment', () => {
  it.each(TABLE)('resolves %s (%s) from its desktop origin, its bare domain and its name', (name, region, domain) => {
    const expected = {
      name,
      region,
      domain,
      apiBase: `https://api.${domain}`,
      loginBase: `https://login.${domain}`,
      streamingHost: `streaming.${domain}`,
      appsOrigin: `https://apps.${domain}`,
    };
    expect(resolveEnvironment({ hostOrigin: `https://apps.${domain}` })).toEqual(expected);
    expect(resolveEnvironment({ hostOrigin: `https://apps.${domain}/`, targetEnv: name })).toEqual(expected);
    expect(resolveEnvironment({ hostOrigin: domain })).toEqual(expected); // legacy pcEnvironment form
    expect(resolveEnvironment({ hostOrigin: `HTTPS://APPS.${domain.toUpperCase()}` })).toEqual(expected);
  });

  it("follows docs/genesys-protocol.md#finding-the-region: apps.mypurecloud.ie → prod-euw1; a URL parsed from the guide's template", () => {
    const ctx = parseWidgetContext(
      '?conversationid=c1&lang=en-us&environment=https%3A%2F%2Fapps.mypurecloud.ie&genesysid=g1&gcTargetEnv=prod-euw1',
    );
    expect(resolveEnvironment(ctx).name).toBe('prod-euw1');
    // the longest domain wins: mypurecloud.com.au is not mypurecloud.com
    expect(resolveEnvironment({ hostOrigin: 'https://apps.mypurecloud.com.au' }).name).toBe('prod-apse2');
    expect(resolveEnvironment({ hostOrigin: 'https://apps.use2.us-gov-pure.cloud', targetEnv: 'fedramp' }).name).toBe(
      'fedramp-use2-core',
    );
  });

  it('stops with E_ENVIRONMENT_MISMATCH when gcTargetEnv names another environment', () => {
    const e = errorOf(() => resolveEnvironment({ hostOrigin: 'https://apps.mypurecloud.ie', targetEnv: 'prod-euc1' }));
    expect(e.code).toBe('E_ENVIRONMENT_MISMATCH');
    expect(e.details).toEqual({
      hostOrigin: 'https://apps.mypurecloud.ie',
      environment: 'prod-euw1',
      targetEnv: 'prod-euc1',
    });
    expect(e.message).toContain('prod-euw1');
    expect(e.message).toContain('prod-euc1');
  });

  it('never defaults: unknown, look-alike, http or malformed hosts are E_ENVIRONMENT_UNKNOWN', () => {
    for (const hostOrigin of [
      'https://apps.example.com',
      'https://apps.notmypurecloud.com',
      'https://mypurecloud.com.evil.test',
      'http://apps.mypurecloud.com',
      'http://localhost:3000',
      '',
      'ftp://apps.mypurecloud.com',
      'https://pure.cloud',
    ]) {
      const e = errorOf(() => resolveEnvironment({ hostOrigin }));
      expect(e.code).toBe('E_ENVIRONMENT_UNKNOWN');
      expect(e.message).toMatch(/environment|origin/);
    }
  });

  it('keeps the EU sovereign cloud disabled until explicitly enabled (docs/assumptions.md#eu-sovereign-cloud)', () => {
    const e = errorOf(() => resolveEnvironment({ hostOrigin: 'https://apps.edee1.eusc-pure.cloud' }));
    expect(e.code).toBe('E_ENVIRONMENT_UNKNOWN');
    expect(e.message).toContain('docs/assumptions.md#eu-sovereign-cloud');
    expect(
      resolveEnvironment({ hostOrigin: 'https://apps.edee1.eusc-pure.cloud' }, [], { enable: ['prod-edee1'] }).apiBase,
    ).toBe('https://api.edee1.eusc-pure.cloud');
  });

  it('matches extra records by exact appsOrigin (the sandbox on 127.0.0.1) and by domain', () => {
    expect(resolveEnvironment({ hostOrigin: 'http://127.0.0.1:4101', targetEnv: 'sandbox' }, [SANDBOX])).toEqual({
      ...SANDBOX,
    });
    expect(errorOf(() => resolveEnvironment({ hostOrigin: 'http://127.0.0.1:4999' }, [SANDBOX])).code).toBe(
      'E_ENVIRONMENT_UNKNOWN',
    );
    expect(
      errorOf(() => resolveEnvironment({ hostOrigin: 'http://127.0.0.1:4101', targetEnv: 'prod' }, [SANDBOX])).code,
    ).toBe('E_ENVIRONMENT_MISMATCH');
    const privateRegion = {
      name: 'private-x',
      region: 'x-1',
      domain: 'x.example.net',
      apiBase: 'https://api.x.example.net',
      loginBase: 'https://login.x.example.net',
      streamingHost: 'streaming.x.example.net',
      appsOrigin: 'https://apps.x.example.net/',
    };
    expect(resolveEnvironment({ hostOrigin: 'https://desk.x.example.net' }, [privateRegion]).appsOrigin).toBe(
      'https://apps.x.example.net',
    );
    // an extra record replaces the built-in of the same name
    const override = {
      ...privateRegion,
      name: 'prod-euw1',
      domain: 'mypurecloud.ie',
      apiBase: 'https://proxy.example.net',
    };
    expect(resolveEnvironment({ hostOrigin: 'https://apps.mypurecloud.ie' }, [override]).apiBase).toBe(
      'https://proxy.example.net',
    );
  });

  it('rejects malformed extra records with E_CONFIG_INVALID naming the key', () => {
    const e = errorOf(() =>
      resolveEnvironment({ hostOrigin: 'https://apps.mypurecloud.ie' }, [{ ...SANDBOX, apiBase: 'not a url' }]),
    );
    expect(e.code).toBe('E_CONFIG_INVALID');
    expect(e.details).toEqual({ key: 'genesys.environments.0.apiBase' });
    expect(errorOf(() => resolveEnvironment({ hostOrigin: 'x' }, [{ name: 'x' }])).code).toBe('E_CONFIG_INVALID');
  });

  it('throws nothing but KaaError for any input', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.webUrl(), fc.domain()),
        fc.option(fc.string(), { nil: undefined }),
        fc.array(fc.oneof(fc.anything({ maxDepth: 2 }), fc.constant(SANDBOX)), { maxLength: 2 }),
        (hostOrigin, targetEnv, extra) => {
          try {
            resolveEnvironment({ hostOrigin, targetEnv }, extra);
          } catch (e) {
            if (!(e instanceof KaaError)) throw e;
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('desktopOrigins', () => {
  it('exactly the desktop origins Genesys uses: the apps origin, and the parent when it is a known apps origin', async () => {
    const { desktopOrigins } = await import('@kaa/core');
    expect(desktopOrigins('https://apps.mypurecloud.ie')).toEqual(['https://apps.mypurecloud.ie']);
    expect(desktopOrigins('https://apps.mypurecloud.ie', 'https://apps.mypurecloud.ie')).toEqual([
      'https://apps.mypurecloud.ie',
    ]);
    expect(desktopOrigins('https://apps.mypurecloud.ie', 'https://apps.mypurecloud.com')).toEqual([
      'https://apps.mypurecloud.ie',
      'https://apps.mypurecloud.com',
    ]);
    // another host under a Genesys domain is not the desktop; nor is any other origin
    for (const parent of [
      'https://evil.mypurecloud.ie',
      'https://login.mypurecloud.ie',
      'https://mypurecloud.ie',
      'https://apps.mypurecloud.ie.evil.example',
      'http://apps.mypurecloud.ie',
      'null',
    ]) {
      expect(desktopOrigins('https://apps.mypurecloud.ie', parent)).toEqual(['https://apps.mypurecloud.ie']);
    }
    // a disabled built-in environment's desktop is not trusted; an explicit record's is
    expect(desktopOrigins('http://127.0.0.1:4101', 'http://127.0.0.1:4999')).toEqual(['http://127.0.0.1:4101']);
    expect(
      desktopOrigins('http://127.0.0.1:4101', 'http://127.0.0.1:4999', [{ appsOrigin: 'http://127.0.0.1:4999' }]),
    ).toEqual(['http://127.0.0.1:4101', 'http://127.0.0.1:4999']);
  });

  it("isGenesysDesktopOrigin: an enabled environment's apps origin, nothing else", async () => {
    const { isGenesysDesktopOrigin, ENVIRONMENTS } = await import('@kaa/core');
    for (const e of ENVIRONMENTS) expect(isGenesysDesktopOrigin(e.appsOrigin)).toBe(e.enabled);
    expect(isGenesysDesktopOrigin('https://apps.mypurecloud.com/')).toBe(false); // an origin has no path
    expect(isGenesysDesktopOrigin('https://x.apps.mypurecloud.com')).toBe(false);
    expect(
      isGenesysDesktopOrigin('http://127.0.0.1:4101', [{ appsOrigin: 'http://127.0.0.1:4101', enabled: false }]),
    ).toBe(false);
  });
});

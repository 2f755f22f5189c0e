import { describe, expect, it } from 'vitest';
import { errorOf } from '@kaa/test-support';
import { resolveEnvironment } from '@kaa/core';

/** Finding the Genesys environment at its edges: the exact words of each refusal, which record wins, host forms. */

const SANDBOX = {
  name: 'sandbox',
  region: 'local',
  domain: '',
  apiBase: 'http://127.0.0.1:4102',
  loginBase: 'http://127.0.0.1:4103',
  streamingHost: '127.0.0.1:4104',
  appsOrigin: 'http://127.0.0.1:4101',
};

describe('resolveEnvironment: refusals in words', () => {
  it('an unreadable origin', () => {
    for (const [hostOrigin, shown] of [
      ['ftp://apps.mypurecloud.ie', 'ftp://apps.mypurecloud.ie'],
      ['  ', ''],
      ['https://', 'https://'],
      ['a b', 'a b'],
      ['https:apps.mypurecloud.ie/x://y', 'https:apps.mypurecloud.ie/x://y'],
      ['apps:1.mypurecloud.ie', 'apps:1.mypurecloud.ie'],
    ] as const) {
      expect(errorOf(() => resolveEnvironment({ hostOrigin }))).toMatchObject({
        code: 'E_ENVIRONMENT_UNKNOWN',
        message: `The desktop origin "${shown}" is not a URL or domain kaa can read. The "environment" parameter must be {{gcHostOrigin}} (e.g. https://apps.mypurecloud.ie).`,
        details: { hostOrigin: shown },
      });
    }
  });

  it('an unknown environment', () => {
    expect(errorOf(() => resolveEnvironment({ hostOrigin: ' https://apps.example.com ' }))).toMatchObject({
      code: 'E_ENVIRONMENT_UNKNOWN',
      message:
        'The desktop origin "https://apps.example.com" is not a known Genesys Cloud environment. Check that the "environment" parameter is {{gcHostOrigin}}; for a private or new region add its record to the genesys.environments setting.',
      details: { hostOrigin: 'https://apps.example.com' },
    });
  });

  it('a disabled environment, naming how to enable it', () => {
    const e = errorOf(() => resolveEnvironment({ hostOrigin: 'edee1.eusc-pure.cloud' }));
    expect(e).toMatchObject({
      code: 'E_ENVIRONMENT_UNKNOWN',
      message:
        'The desktop origin "edee1.eusc-pure.cloud" belongs to "edee1.eusc-pure.cloud" (prod-edee1), whose name and status Genesys has not published (docs/assumptions.md#eu-sovereign-cloud), so kaa keeps it disabled. Enable it with genesys.enableEnvironments: ["prod-edee1"] or describe it in genesys.environments.',
    });
    expect(e.details).toEqual({ hostOrigin: 'edee1.eusc-pure.cloud', environment: 'prod-edee1' });
    expect(resolveEnvironment({ hostOrigin: 'edee1.eusc-pure.cloud' }, [], { enable: ['PROD-EDEE1'] }).name).toBe(
      'prod-edee1',
    );
  });

  it('a gcTargetEnv of another environment', () => {
    expect(
      errorOf(() => resolveEnvironment({ hostOrigin: 'https://apps.mypurecloud.ie', targetEnv: ' prod-euc1 ' })),
    ).toMatchObject({
      code: 'E_ENVIRONMENT_MISMATCH',
      message:
        'The desktop origin "https://apps.mypurecloud.ie" belongs to environment "prod-euw1", but gcTargetEnv says "prod-euc1". Use gcTargetEnv={{gcTargetEnv}} and environment={{gcHostOrigin}} exactly as Genesys fills them, or correct the genesys.environments setting.',
      details: { hostOrigin: 'https://apps.mypurecloud.ie', environment: 'prod-euw1', targetEnv: 'prod-euc1' },
    });
  });

  it('a malformed extra record: the key path and the rule', () => {
    expect(
      errorOf(() =>
        resolveEnvironment({ hostOrigin: 'https://apps.mypurecloud.ie' }, [SANDBOX, { ...SANDBOX, name: '-x' }]),
      ),
    ).toMatchObject({
      code: 'E_CONFIG_INVALID',
      message:
        'Setting "genesys.environments.1.name" is invalid: must be an environment name such as prod-euw1. Each extra environment needs name, apiBase, loginBase, streamingHost and appsOrigin.',
      details: { key: 'genesys.environments.1.name' },
    });
    for (const [field, value, rule] of [
      ['domain', 'MyPureCloud.ie', 'must be a lower-case domain such as mypurecloud.ie, or empty'],
      ['streamingHost', 'wss://streaming.x', 'must be a host name, optionally with :port'],
      ['appsOrigin', 'https://apps.x.example/path', 'must be an http(s) origin such as https://apps.example.com'],
      ['apiBase', 'ftp://api.x.example', 'must be an http(s) origin such as https://apps.example.com'],
      ['loginBase', 'wss://login.x.example', 'must be an http(s) origin such as https://apps.example.com'],
    ] as const) {
      expect(
        errorOf(() => resolveEnvironment({ hostOrigin: 'x' }, [{ ...SANDBOX, [field]: value }])).message,
      ).toContain(`"genesys.environments.0.${field}" is invalid: ${rule}.`);
    }
  });
});

describe('resolveEnvironment: which record matches', () => {
  it('gcTargetEnv matches without case and by alias; blank means none', () => {
    expect(resolveEnvironment({ hostOrigin: 'https://apps.mypurecloud.ie', targetEnv: 'PROD-EUW1' }).name).toBe(
      'prod-euw1',
    );
    expect(resolveEnvironment({ hostOrigin: 'use2.us-gov-pure.cloud', targetEnv: 'FedRAMP' }).name).toBe(
      'fedramp-use2-core',
    );
    expect(resolveEnvironment({ hostOrigin: 'https://apps.mypurecloud.ie', targetEnv: '  ' }).name).toBe('prod-euw1');
  });

  it('bare domains: with a port or a trailing dot; any host under the domain', () => {
    expect(resolveEnvironment({ hostOrigin: 'mypurecloud.ie:443' }).name).toBe('prod-euw1');
    expect(resolveEnvironment({ hostOrigin: 'apps.mypurecloud.ie.' }).name).toBe('prod-euw1');
    expect(resolveEnvironment({ hostOrigin: 'https://apps.mypurecloud.ie.' }).name).toBe('prod-euw1');
    expect(resolveEnvironment({ hostOrigin: 'https://login.mypurecloud.jp/x' }).name).toBe('prod-apne1');
    expect(errorOf(() => resolveEnvironment({ hostOrigin: 'xmypurecloud.ie' })).code).toBe('E_ENVIRONMENT_UNKNOWN');
    expect(errorOf(() => resolveEnvironment({ hostOrigin: 'my_purecloud.ie' })).code).toBe('E_ENVIRONMENT_UNKNOWN');
  });

  it('an exact appsOrigin wins over a domain match, also for https, and needs no domain', () => {
    const proxy = { ...SANDBOX, name: 'proxy', appsOrigin: 'https://apps.mypurecloud.ie' };
    expect(resolveEnvironment({ hostOrigin: 'https://APPS.mypurecloud.ie' }, [proxy]).name).toBe('proxy');
    // an empty domain never matches by domain
    expect(
      errorOf(() =>
        resolveEnvironment({ hostOrigin: 'https://x.example' }, [{ ...SANDBOX, appsOrigin: 'https://y.example' }]),
      ).code,
    ).toBe('E_ENVIRONMENT_UNKNOWN');
    // a bare host is never compared with an appsOrigin
    expect(errorOf(() => resolveEnvironment({ hostOrigin: '127.0.0.1:4101' }, [SANDBOX])).code).toBe(
      'E_ENVIRONMENT_UNKNOWN',
    );
  });

  it('the longest matching domain wins, whatever the order of the records', () => {
    const outer = { ...SANDBOX, name: 'outer', domain: 'example.net', appsOrigin: 'https://apps.example.net' };
    const inner = { ...SANDBOX, name: 'inner', domain: 'eu.example.net', appsOrigin: 'https://apps.eu.example.net' };
    expect(resolveEnvironment({ hostOrigin: 'https://desk.eu.example.net' }, [outer, inner]).name).toBe('inner');
    expect(resolveEnvironment({ hostOrigin: 'https://desk.eu.example.net' }, [inner, outer]).name).toBe('inner');
    expect(resolveEnvironment({ hostOrigin: 'https://desk.example.net' }, [inner, outer]).name).toBe('outer');
  });

  it("on a tie the earlier record wins: an extra record with a built-in's domain under another name", () => {
    const ie = { ...SANDBOX, name: 'ie-proxy', domain: 'mypurecloud.ie', appsOrigin: 'https://desk.proxy.example' };
    expect(resolveEnvironment({ hostOrigin: 'https://desk.mypurecloud.ie' }, [ie]).name).toBe('ie-proxy');
    const second = { ...ie, name: 'ie-proxy-2' };
    expect(resolveEnvironment({ hostOrigin: 'mypurecloud.ie' }, [ie, second]).name).toBe('ie-proxy');
  });

  it("an extra record's hosts lose a trailing slash; the result is frozen and has no status fields", () => {
    const env = resolveEnvironment({ hostOrigin: 'http://127.0.0.1:4101' }, [
      {
        ...SANDBOX,
        apiBase: 'http://127.0.0.1:4102/',
        loginBase: 'http://127.0.0.1:4103/',
        appsOrigin: 'http://127.0.0.1:4101/',
      },
    ]);
    expect(env).toStrictEqual({ ...SANDBOX });
    expect(Object.isFrozen(env)).toBe(true);
  });

  it('a disabled extra record does not resolve; an extra record may take a built-in name', () => {
    const off = { ...SANDBOX, enabled: false };
    expect(errorOf(() => resolveEnvironment({ hostOrigin: SANDBOX.appsOrigin }, [off])).code).toBe(
      'E_ENVIRONMENT_UNKNOWN',
    );
    expect(resolveEnvironment({ hostOrigin: SANDBOX.appsOrigin }, [{ ...SANDBOX, name: 'prod' }]).name).toBe('prod');
  });
});

/**
 * The BUILT kaa binary on bad configs, usage errors and help: coded errors naming file, line and field.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwtUnverified } from '@kaa/core';
import { GOOD_CONFIG as GOOD, GOOD_ENV as ENV, buildKaa, kaa, removeBuild, run, tempDir } from './helpers.js';

let bin: string;
beforeAll(async () => {
  bin = await buildKaa();
}, 120_000);
afterAll(async () => {
  await removeBuild(bin);
});

async function withConfig(text: string, args: string[], env: Record<string, string> = ENV, name = 'kaa.yaml') {
  const dir = await tempDir({ [name]: text });
  return kaa(bin, [...args, '--config', name], { cwd: dir, env });
}

function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle)) + 1;
}

describe('bad configs give E_CONFIG_INVALID naming file, line and field (exit 2)', () => {
  it('a value of the wrong shape', async () => {
    const text = GOOD.replace('qDelimiter: "_"', 'qDelimiter: "__"');
    const r = await withConfig(text, ['url']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('E_CONFIG_INVALID');
    expect(r.stderr).toContain(`kaa.yaml:${lineOf(text, 'qDelimiter')}:`);
    expect(r.stderr).toContain('"dataTable.qDelimiter"');
  });

  it('a misspelt key', async () => {
    const text = GOOD.replace('    queues: [ALPHAINC]', '    queue: [ALPHAINC]');
    const r = await withConfig(text, ['lint', '--offline', '--json']);
    expect(r.code).toBe(2);
    const error = (
      JSON.parse(r.stdout) as {
        error: { code: string; details: { file: string; line: number; field: string; issues: { field: string }[] } };
      }
    ).error;
    expect(error.code).toBe('E_CONFIG_INVALID');
    expect(error.details.file).toBe('kaa.yaml');
    const fields = error.details.issues.map((i) => i.field);
    expect(fields).toContain('bots.alpha.queue');
    expect(fields).toContain('bots.alpha.queues');
    const typo = error.details.issues.find((i) => i.field === 'bots.alpha.queue') as unknown as { line: number };
    expect(typo.line).toBe(lineOf(text, 'queue: [ALPHAINC]'));
  });

  it('a missing section points at its parent', async () => {
    const text = GOOD.replace('  oauthClientId: c1a00000-0000-4000-8000-00000000000b\n', '');
    const r = await withConfig(text, ['url']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`kaa.yaml:${lineOf(text, 'genesys:')}:`);
    expect(r.stderr).toContain('"genesys.oauthClientId" is missing');
  });

  it('a YAML syntax error', async () => {
    const text = GOOD.replace('  name: kaa_bots', '  name: [kaa_bots');
    const r = await withConfig(text, ['url']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/E_CONFIG_INVALID: kaa\.yaml:\d+:\d+: the file is not valid YAML or JSON/);
  });

  it('a JSON config with a bad value names its line', async () => {
    const json = JSON.stringify(
      { version: 1, page: { url: 'ftp://x' }, agentAi: { url: 'https://platform.kore.ai' } },
      null,
      2,
    );
    const r = await withConfig(json, ['url'], ENV, 'kaa.json');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`kaa.json:${lineOf(json, '"url": "ftp://x"')}:`);
    expect(r.stderr).toContain('"page.url"');
  });

  it('a bad kaa setting (core KaaSettingsSchema) names settings.<key> and its line', async () => {
    const text = `${GOOD}settings:\n  routing:\n    cacheTtlSeconds: soon\n`;
    const r = await withConfig(text, ['url']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`kaa.yaml:${lineOf(text, 'cacheTtlSeconds')}:`);
    expect(r.stderr).toContain('"settings.routing.cacheTtlSeconds"');
  });

  it('a secret whose environment variable is not set names the field, the variable and the line', async () => {
    const r = await withConfig(GOOD, ['url'], { KAA_ALPHA_SECRET: 'x' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`kaa.yaml:${lineOf(GOOD, 'clientSecret: { env: KAA_TABLE_READ_SECRET }')}:`);
    expect(r.stderr).toContain('"dataTable.readApp.clientSecret"');
    expect(r.stderr).toContain('KAA_TABLE_READ_SECRET');
  });

  it('an unreadable config file', async () => {
    const r = await kaa(bin, ['url', '--config', '/nonexistent/kaa.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('kaa init');
  });

  it('an inline secret is a lint warning, and never echoed', async () => {
    const text = GOOD.replace('clientSecret: { env: KAA_ALPHA_SECRET }', 'clientSecret: inline-alpha-secret-value');
    const r = await withConfig(text, ['lint', '--offline']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('inline-secret');
    expect(r.stdout).toContain(`kaa.yaml:${lineOf(text, 'inline-alpha-secret-value')}:`);
    expect(r.stdout + r.stderr).not.toContain('inline-alpha-secret-value');
  });
});

describe('global options and pipes', () => {
  it('-c/--config works before the command too (kaa -c x.yaml url)', async () => {
    const dir = await tempDir({ 'other.yaml': GOOD });
    for (const args of [
      ['-c', 'other.yaml', 'url', '--json'],
      ['--config', 'other.yaml', 'url', '--json'],
      ['--config=other.yaml', 'url', '--json'],
      ['url', '-c', 'other.yaml', '--json'],
    ]) {
      const r = await kaa(bin, args, { cwd: dir, env: ENV });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect((JSON.parse(r.stdout) as { oauth: { redirectUris: string[] } }).oauth.redirectUris).toEqual([
        'https://kaa.example.com/koreaiaa-genesys/',
        'https://kaa.example.com/koreaiaa-genesys/auth-callback.html',
      ]);
    }
    const missing = await kaa(bin, ['-c', 'nowhere.yaml', 'url'], { cwd: dir, env: ENV });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nowhere.yaml');
  });

  it('output piped into a reader that stops early (head -1) ends quietly: no stack trace, exit 0', async () => {
    const dir = await tempDir({ 'kaa.yaml': GOOD });
    // the reading end is closed before kaa writes anything: every write meets a broken pipe (EPIPE), deterministically
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [bin, 'url'], {
        cwd: dir,
        env: { PATH: process.env['PATH'] ?? '', ...ENV },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const head = await run('/bin/bash', ['-c', `set -o pipefail; "${process.execPath}" "${bin}" url | head -1`], {
      cwd: dir,
      env: ENV,
    });
    expect(head.stderr).toBe('');
    expect(head.code).toBe(0);
    expect(head.stdout).toMatch(/^Interaction Widget/);
  });

  it('kaa url lists both redirect URIs the page uses, also for people', async () => {
    const dir = await tempDir({ 'kaa.yaml': GOOD });
    const r = await kaa(bin, ['url'], { cwd: dir, env: ENV });
    expect(r.stdout).toMatch(
      /Authorized redirect URIs[^\n]*\n {2}https:\/\/kaa\.example\.com\/koreaiaa-genesys\/\n {2}https:\/\/kaa\.example\.com\/koreaiaa-genesys\/auth-callback\.html\n/,
    );
  });
});

describe('lint: where Kore is', () => {
  it('warns when the page would call its own origin for the Kore API, naming the field', async () => {
    const text = GOOD.replace('url: https://platform.kore.ai', 'url: https://kaa.example.com');
    const r = await withConfig(text, ['lint', '--offline', '--json']);
    expect(r.code).toBe(0);
    const findings = (
      JSON.parse(r.stdout) as { findings: { code: string; severity: string; where: string; message: string }[] }
    ).findings;
    const f = findings.find((x) => x.code === 'kore-host-is-page');
    expect(f?.severity).toBe('warning');
    expect(f?.where).toMatch(new RegExp(`^kaa\\.yaml:${lineOf(text, 'agentAi:') + 1}:\\d+$`));
    expect(f?.message).toContain('kaa page --dist');
    const fine = await withConfig(GOOD, ['lint', '--offline', '--json']);
    expect((JSON.parse(fine.stdout) as { findings: { code: string }[] }).findings.map((x) => x.code)).not.toContain(
      'kore-host-is-page',
    );
  });
});

describe('usage, help and init', () => {
  it('kaa --help lists every command and the exit codes; each command has complete help', async () => {
    const main = await kaa(bin, ['--help']);
    expect(main.code).toBe(0);
    for (const name of ['init', 'url', 'token', 'audiohook', 'table', 'lint', 'doctor', 'page', 'broker']) {
      expect(main.stdout).toContain(`  ${name} `);
      const help = await kaa(bin, [name, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: kaa ${name}`);
      const viaHelp = await kaa(bin, ['help', name]);
      expect(viaHelp.stdout).toBe(help.stdout);
    }
    expect(main.stdout).toMatch(/Exit codes:[\s\S]*0 {2}success[\s\S]*2 {2}usage/);
  }, 60_000); // 27 runs of the binary

  it('unknown commands and flags are E_CLI_USAGE with exit 2; no command prints help with exit 2', async () => {
    const unknown = await kaa(bin, ['deploy']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('E_CLI_USAGE');
    const flag = await kaa(bin, ['url', '--frobnicate']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/E_CLI_USAGE: .*frobnicate.*kaa url --help/);
    const none = await kaa(bin, []);
    expect(none.code).toBe(2);
    expect(none.stdout).toContain('Usage: kaa <command>');
    const token = await withConfig(GOOD, ['token', 'secret']);
    expect(token.code).toBe(2);
  });

  it('kaa init writes a starter config that loads, and refuses to overwrite it', async () => {
    const dir = await tempDir();
    const r = await kaa(bin, ['init'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const text = await readFile(join(dir, 'kaa.yaml'), 'utf8');
    expect(text).toContain('{ env: KAA_ALPHA_CLIENT_SECRET }');
    const again = await kaa(bin, ['init'], { cwd: dir });
    expect(again.code).toBe(2);
    const lint = await kaa(bin, ['lint', '--offline', '--json'], {
      cwd: dir,
      env: { KAA_ALPHA_CLIENT_SECRET: 'x-secret' },
    });
    expect(lint.code, lint.stdout + lint.stderr).toBe(0);
    expect((JSON.parse(lint.stdout) as { errors: number }).errors).toBe(0);
  });
});

describe('kaa url: Communication Type Filtering', () => {
  it('prints call,chat,webmessaging with the reason it differs from the guide\'s "chat and call" (text and --json)', async () => {
    const r = await withConfig(GOOD, ['url']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('call,chat,webmessaging');
    expect(r.stdout).toContain('The Kore guide says "chat and call". kaa adds webmessaging');
    expect(r.stdout).toContain('docs/assumptions.md#communication-type-filter-values');
    const j = await withConfig(GOOD, ['url', '--json']);
    expect((JSON.parse(j.stdout) as { communicationTypesWhy: string }).communicationTypesWhy).toMatch(/web messaging/);
  });
});

describe('kaa audiohook', () => {
  const text =
    GOOD.replace(
      '  oauthClientId: c1a00000-0000-4000-8000-00000000000b\n',
      '  oauthClientId: c1a00000-0000-4000-8000-00000000000b\n  clientCredentials:\n    clientId: c1a00000-0000-4000-8000-00000000000c\n    clientSecret: { env: KAA_GENESYS_SECRET }\n',
    ) +
    'audiohook:\n  sipuri: sip:st-a1fa@kore.ai\n  token: { env: KAA_KVG_TOKEN }\n  accountId: 6a1c0000-0000-4000-8000-0000000000ac\n';
  const env = { ...ENV, KAA_GENESYS_SECRET: 'genesys-cc-secret-for-tests', KAA_KVG_TOKEN: 'kvg-token-for-tests-123' };

  it('prints every tab the guide fills in (Channel both, Connection URI, Advanced JSON, Credentials), secrets masked', async () => {
    const r = await withConfig(text, ['audiohook'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Channel: both');
    expect(r.stdout).toContain('AudioHook Monitor › Credentials');
    expect(r.stdout).toContain('Client ID: cs-a1fa0000-0000-4000-8000-000000000001');
    expect(r.stdout).toMatch(/Client Secret: \[REDACTED\]/);
    expect(r.stdout).toContain('"sendEventsToVG": true');
    expect(r.stdout).toContain(
      'wss://savg-webserver.kore.ai/audiosocket/genesys/?sipuri=sip%3Ast-a1fa%40kore.ai&token=',
    );
    expect(r.stdout).toContain('"environment": "mypurecloud.ie"');
    for (const secret of Object.values(env)) expect(r.stdout + r.stderr).not.toContain(secret);
    expect(r.stdout).not.toMatch(/eyJ[\w-]{10,}/);
  });

  it('--reveal --json gives the exact values to paste', async () => {
    const r = await withConfig(text, ['audiohook', '--reveal', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      channel: string;
      connectionUri: string;
      advanced: Record<string, unknown>;
      credentials: { clientId: string; clientSecret: string };
    };
    expect(out.channel).toBe('both');
    expect(out.credentials).toEqual({
      clientId: 'cs-a1fa0000-0000-4000-8000-000000000001',
      clientSecret: env.KAA_ALPHA_SECRET,
    });
    expect(out.connectionUri).toBe(
      'wss://savg-webserver.kore.ai/audiosocket/genesys/?sipuri=sip%3Ast-a1fa%40kore.ai&token=kvg-token-for-tests-123&botId=st-a1fa0000-0000-4000-8000-000000000001&accountId=6a1c0000-0000-4000-8000-0000000000ac&agentassist=true&multiBot=true',
    );
    expect(Object.keys(out.advanced)).toEqual([
      'environment',
      'oauthClientId',
      'koreDomainURL',
      'oauthClientSecret',
      'sendEventsToVG',
      'botId',
      'token',
    ]);
    expect(out.advanced).toMatchObject({
      environment: 'mypurecloud.ie',
      oauthClientId: 'c1a00000-0000-4000-8000-00000000000c',
      oauthClientSecret: 'genesys-cc-secret-for-tests',
      koreDomainURL: 'https://platform.kore.ai',
      sendEventsToVG: true,
      botId: 'cs-a1fa0000-0000-4000-8000-000000000001',
    });
    const decoded = decodeJwtUnverified(String(out.advanced['token']));
    expect(decoded.kind === 'jws' && decoded.claims['appId']).toBe('cs-a1fa0000-0000-4000-8000-000000000001');
  });

  it('widget.sendEventsToVG: false keeps the old AudioHook flow in the Advanced JSON', async () => {
    const r = await withConfig(text + 'widget:\n  sendEventsToVG: false\n', ['audiohook', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { advanced: { sendEventsToVG: boolean } }).advanced.sendEventsToVG).toBe(false);
  });
});

describe('README', () => {
  it("the walkthrough's sandbox config is valid (kaa lint --offline: no findings)", async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const yaml =
      [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)]
        .map((m) => m[1] ?? '')
        .find((block) => block.includes('version: 1')) ?? '';
    expect(yaml).toContain('version: 1');
    const text = yaml
      .split('\n')
      .map((l) => l.replace(/^ {3}/, ''))
      .join('\n');
    const r = await withConfig(text, ['lint', '--offline'], {
      KAA_ALPHA_CLIENT_SECRET: 'a-secret',
      KAA_KORE_CLIENT_SECRET: 'k-secret',
    });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain('No findings.');
  });
});

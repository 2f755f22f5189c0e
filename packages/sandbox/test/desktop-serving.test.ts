import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Script } from 'node:vm';
import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { embeddedPageConfig } from '@kaa/core';
import { copyBuiltPage, sandboxPageSettings, startSandbox, widgetUrlTemplateSchema } from '@kaa/sandbox';
import { BROWSER_SCRIPTS, buildBrowserScripts } from '../src/browser-build.js';
import { browserScript } from '../src/browser-scripts.js';
import { errorOf } from '@kaa/test-support';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

describe('the browser scripts: bundled browser modules, the same bytes however the sandbox runs', () => {
  it('the desktop and the Kore platform serve the esbuild bundles of src/browser/, valid scripts without name-keeping helpers', async () => {
    const sandbox = await startSandbox({});
    try {
      const desktopJs = await (await fetch(`${sandbox.origins.apps}/desktop/app.js`)).text();
      const widgetRes = await fetch(`${sandbox.origins.kore}/koreagentassist-sdk-v3/UI/agentassist-stand-in.js`);
      const widgetJs = await widgetRes.text();
      expect(widgetRes.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(desktopJs).toBe(await browserScript('desktop'));
      expect(widgetJs).toBe(await browserScript('stand-in-widget'));
      for (const js of [desktopJs, widgetJs]) {
        expect(() => new Script(js)).not.toThrow(); // a classic script, as <script defer> loads it
        expect(js).not.toMatch(/\b__name\b/); // what tsx's keep-names left in Function.toString() output
        expect(js).not.toMatch(/\bimport\s*[{(*]|\bexport\s/); // bundled: nothing left to resolve in the page
      }
      expect(desktopJs).toContain('__kaaDesktop');
      expect(desktopJs).toContain('function substituteWidgetUrl('); // the shared helper, bundled from its module
      expect(widgetJs).toContain('__kaaWidgetState');
    } finally {
      await sandbox.close();
    }
  });

  it("the package build's files (buildBrowserScripts, tsup's onSuccess) are byte-identical to what runs from source", async () => {
    const out = await mkdtemp(join(tmpdir(), 'kaa-browser-build-'));
    try {
      await buildBrowserScripts(PACKAGE_DIR, out);
      for (const name of Object.keys(BROWSER_SCRIPTS) as (keyof typeof BROWSER_SCRIPTS)[]) {
        expect(await readFile(join(out, `${name}.js`), 'utf8')).toBe(await browserScript(name));
      }
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});

describe('widgetUrlTemplateSchema: what the desktop can frame (--widget-url, KAA_SANDBOX_WIDGET_URL, startDesktop)', () => {
  const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,14}[a-z0-9]$/);
  const host = fc
    .tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom('com', 'example', 'io', 'de'))
    .map(([labels, tld]) => [...labels, tld].join('.'));
  const path = fc
    .array(fc.stringMatching(/^[A-Za-z0-9._~-]{1,12}$/), { maxLength: 4 })
    .map((segments) => `/${segments.join('/')}`);
  const secret = 'planted-x-metadata-secret';

  it('accepts any https URL and http on 127.0.0.1 / localhost, with placeholders', () => {
    fc.assert(
      fc.property(host, path, (h, p) => {
        expect(
          widgetUrlTemplateSchema.safeParse(
            `https://${h}${p}?conversationid={{gcConversationId}}&environment={{gcHostOrigin}}`,
          ).success,
        ).toBe(true);
      }),
    );
    expect(
      widgetUrlTemplateSchema.safeParse('http://127.0.0.1:5173/koreaiaa-genesys/?conversationid={{gcConversationId}}')
        .success,
    ).toBe(true);
    expect(widgetUrlTemplateSchema.safeParse('  http://localhost:8080/?x={{pcConversationId}}  ').data).toBe(
      'http://localhost:8080/?x={{pcConversationId}}',
    );
  });

  it('refuses http off 127.0.0.1, other schemes, relative or empty input, naming scheme and host but never the query', () => {
    fc.assert(
      fc.property(
        host.filter((h) => h !== 'localhost'),
        (h) => {
          const r = widgetUrlTemplateSchema.safeParse(
            `http://${h}/koreaiaa-genesys/?conversationid={{gcConversationId}}&x_metadata=${secret}`,
          );
          expect(r.success).toBe(false);
          expect(r.error?.issues[0]?.message).toContain(`http://${h}`);
          expect(JSON.stringify(r.error?.issues)).not.toContain(secret);
        },
      ),
    );
    for (const bad of [
      '',
      'kaa.example.com/koreaiaa-genesys/',
      'ftp://kaa.example.com/',
      `javascript:alert(1)//{{gcConversationId}}`,
      '/koreaiaa-genesys/?x_metadata=' + secret,
    ]) {
      const r = widgetUrlTemplateSchema.safeParse(bad);
      expect(r.success, bad).toBe(false);
      expect(JSON.stringify(r.error?.issues)).not.toContain(secret);
    }
  });

  it('never throws on arbitrary input', () => {
    fc.assert(fc.property(fc.string(), (s) => void widgetUrlTemplateSchema.safeParse(s)));
  });
});

describe('copyBuiltPage: the sandbox serves a copy with its settings; the build is only read', () => {
  const INDEX =
    '<!doctype html><html><head><title>kaa</title><link rel="preload" href="./kaa.config.json" as="fetch" crossorigin></head><body></body></html>';
  const settings = sandboxPageSettings({
    environment: {
      name: 'sandbox',
      region: 'local',
      apiBase: 'http://127.0.0.1:1',
      loginBase: 'http://127.0.0.1:2',
      streamingHost: '127.0.0.1:1',
      appsOrigin: 'http://127.0.0.1:3',
      aliases: ['prod'],
    },
    origins: { kore: 'http://127.0.0.1:4' },
  });

  function builtPage(index = INDEX): string {
    const dir = mkdtempSync(join(tmpdir(), 'kaa-built-page-'));
    writeFileSync(join(dir, 'index.html'), index);
    writeFileSync(join(dir, 'kaa.config.json'), '{}\n');
    return dir;
  }

  it('embeds the settings in the copy (and kaa.config.json), leaves the source byte-identical, and removes the copy', () => {
    const source = builtPage();
    const copy = copyBuiltPage(source);
    try {
      copy.configure(settings);
      expect(embeddedPageConfig(readFileSync(join(copy.dir, 'index.html'), 'utf8'))).toEqual(settings);
      expect(JSON.parse(readFileSync(join(copy.dir, 'kaa.config.json'), 'utf8'))).toEqual(settings);
      expect(readFileSync(join(source, 'index.html'), 'utf8')).toBe(INDEX);
      expect(readFileSync(join(source, 'kaa.config.json'), 'utf8')).toBe('{}\n');
      expect(settings).toMatchObject({
        kore: { apiHost: 'http://127.0.0.1:4' },
        thirdParty: {
          source: 'http',
          http: { url: 'http://127.0.0.1:4/agentassist/api/v1/thirdparty/{accountId}/config' },
        },
      });
    } finally {
      copy.remove();
      rmSync(source, { recursive: true, force: true });
    }
    expect(existsSync(copy.dir)).toBe(false);
  });

  it('a directory without index.html, or file delivery over an embedded build, is E_CONFIG_INVALID naming the file', () => {
    const empty = mkdtempSync(join(tmpdir(), 'kaa-no-page-'));
    const missing = errorOf(() => copyBuiltPage(empty));
    expect(missing.code).toBe('E_CONFIG_INVALID');
    expect(missing.message).toContain(join(empty, 'index.html'));
    rmSync(empty, { recursive: true, force: true });
    const embedded = builtPage(
      INDEX.replace('</head>', '<script type="application/json" id="kaa-config">{}</script></head>'),
    );
    const copy = copyBuiltPage(embedded);
    const twice = errorOf(() => copy.configure(settings, 'file'));
    expect(twice.code).toBe('E_CONFIG_INVALID');
    expect(twice.message).toContain(join(embedded, 'index.html'));
    expect(twice.message).toContain('already embeds settings');
    copy.remove();
    rmSync(embedded, { recursive: true, force: true });
  });
});

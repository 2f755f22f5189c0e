/**
 * Subresource Integrity of the Agent AI Web SDK (`kore.webSdk.integrity`, docs/assumptions.md#agent-ai-web-sdk-availability)
 * in Debian Chromium: the SDK script is served from another origin (with CORS); `loadAgentAiSdk` runs it when its
 * hash matches the integrity value, and fails with `E_WIDGET_SDK_UNAVAILABLE` (so the page falls back to iframe mode)
 * when the script differs from the one the admin pinned.
 */
import { createHash } from 'node:crypto';
import { bundlePage, launchChromium, servePage, type LaunchedChromium, type ServedPage } from '@kaa/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SDK = 'window.AAWindow = class AAWindow { show() {} };\n';
const TAMPERED = 'window.AAWindow = class AAWindow { show() { /* not the pinned build */ } };\n';
const sri = (text: string) => `sha384-${createHash('sha384').update(text).digest('base64')}`;

let host: ServedPage;
let cdn: ServedPage;
let chromium: LaunchedChromium;

beforeAll(async () => {
  const js = await bundlePage(new URL('./e2e-fixtures/sdk-entry.ts', import.meta.url));
  host = await servePage({
    '/host.html': {
      type: 'text/html; charset=utf-8',
      body: '<!doctype html><meta charset="utf-8"><script type="module" src="/host.js"></script>',
    },
    '/host.js': { type: 'text/javascript; charset=utf-8', body: js },
  });
  cdn = await servePage((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const body = path === '/sdk.js' ? SDK : path === '/tampered.js' ? TAMPERED : undefined;
    if (body === undefined) return void res.writeHead(404).end();
    res
      .writeHead(200, {
        'content-type': 'text/javascript; charset=utf-8',
        'access-control-allow-origin': '*',
        'cache-control': 'no-store',
      })
      .end(body);
  });
  chromium = await launchChromium({ profilePrefix: 'kaa-sdk-sri-e2e-' });
});

afterAll(async () => {
  await chromium?.close();
  await host?.close();
  await cdn?.close();
});

async function load(script: string, integrity?: string): Promise<{ state: string; code?: string; message?: string }> {
  const page = await chromium.context.newPage();
  const q = new URLSearchParams({ script: `${cdn.origin}${script}`, ...(integrity ? { integrity } : {}) });
  await page.goto(`${host.origin}/host.html?${q.toString()}`);
  await page.waitForFunction(
    () => (window as unknown as { sdkLoad?: { state: string } }).sdkLoad?.state !== 'loading',
    undefined,
    { timeout: 15_000, polling: 50 },
  );
  const result = await page.evaluate(
    () => (window as unknown as { sdkLoad: { state: string; code?: string; message?: string } }).sdkLoad,
  );
  await page.close();
  return result;
}

describe('loadAgentAiSdk with kore.webSdk.integrity (Chromium)', () => {
  it('runs the pinned script, and refuses one whose hash differs', async () => {
    expect(await load('/sdk.js', sri(SDK))).toEqual({ state: 'loaded' });
    const refused = await load('/tampered.js', sri(SDK));
    expect(refused.state).toBe('failed');
    expect(refused.code).toBe('E_WIDGET_SDK_UNAVAILABLE');
    expect(refused.message).toContain('kore.webSdk.integrity');
    expect(await load('/tampered.js')).toEqual({ state: 'loaded' }); // without integrity nothing is checked
  });
});

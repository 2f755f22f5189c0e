import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMMUTABLE_CACHE_CONTROL, isHashedAsset, listen, serveStatic } from '@kaa/sandbox';
import type { Listener } from '@kaa/sandbox';

const BASE = '/koreaiaa-genesys/';
let dir: string;
let server: Listener;
let noStore: Listener;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kaa-static-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><script type="module" src="./assets/index-DnQi0lQw.js"></script>',
  );
  writeFileSync(join(dir, 'auth-callback.html'), '<!doctype html><p>callback</p>');
  writeFileSync(join(dir, 'kaa.config.json'), '{}\n');
  writeFileSync(join(dir, 'assets', 'index-DnQi0lQw.js'), 'export const a = 1;');
  writeFileSync(join(dir, 'assets', 'page-TIH91QHi.css'), 'body{margin:0}');
  writeFileSync(join(dir, 'assets', 'logo.js'), 'export {};');
  const handler = serveStatic({
    dir,
    headers: { 'content-security-policy': "default-src 'none'", 'cache-control': 'no-store' },
  });
  server = await listen(async (req, res) => {
    if (!(await handler(req, res))) res.writeHead(404).end();
  });
  const plain = serveStatic({ dir, caching: 'none' });
  noStore = await listen(async (req, res) => {
    if (!(await plain(req, res))) res.writeHead(404).end();
  });
});

afterAll(async () => {
  await server.close();
  await noStore.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (path: string, headers: Record<string, string> = {}, on: Listener = server) =>
  fetch(`${on.origin}${path}`, { headers });

describe('serveStatic caching', () => {
  it('serves hashed js and css assets as immutable for a year, without a validator', async () => {
    for (const path of ['assets/index-DnQi0lQw.js', 'assets/page-TIH91QHi.css']) {
      const res = await get(BASE + path);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe(IMMUTABLE_CACHE_CONTROL);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'");
    }
  });

  it('revalidates index.html, auth-callback.html, kaa.config.json and unhashed assets with an ETag', async () => {
    for (const path of ['', 'index.html', 'auth-callback.html', 'kaa.config.json', 'assets/logo.js']) {
      const first = await get(BASE + path);
      expect(first.status).toBe(200);
      expect(first.headers.get('cache-control')).toBe('no-cache');
      const etag = first.headers.get('etag');
      expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
      const again = await get(BASE + path, { 'if-none-match': etag ?? '' });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
      expect(again.headers.get('etag')).toBe(etag);
      expect(again.headers.get('cache-control')).toBe('no-cache');
      expect(again.headers.get('content-security-policy')).toBe("default-src 'none'");
      expect((await get(BASE + path, { 'if-none-match': `"other", W/${etag ?? ''}` })).status).toBe(304);
      expect((await get(BASE + path, { 'if-none-match': '*' })).status).toBe(304);
      expect((await get(BASE + path, { 'if-none-match': '"stale"' })).status).toBe(200);
    }
  });

  it('changes the ETag when the file changes (a rewritten kaa.config.json is downloaded again)', async () => {
    const before = (await get(`${BASE}kaa.config.json`)).headers.get('etag') ?? '';
    writeFileSync(join(dir, 'kaa.config.json'), '{"routing":{"caseSensitive":true}}\n');
    try {
      const after = await get(`${BASE}kaa.config.json`, { 'if-none-match': before });
      expect(after.status).toBe(200);
      expect(await after.json()).toEqual({ routing: { caseSensitive: true } });
      expect(after.headers.get('etag')).not.toBe(before);
    } finally {
      writeFileSync(join(dir, 'kaa.config.json'), '{}\n');
    }
  });

  it("answers HEAD with the same validators and no body; caching 'none' stores nothing", async () => {
    const head = await fetch(`${server.origin}${BASE}index.html`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toMatch(/^"/);
    for (const path of ['index.html', 'assets/index-DnQi0lQw.js']) {
      const res = await get(BASE + path, {}, noStore);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('etag')).toBeNull();
    }
  });

  it('keeps 404, 405 and the base redirect unchanged', async () => {
    expect((await get(`${BASE}assets/missing-DnQi0lQw.js`)).status).toBe(404);
    expect((await fetch(`${server.origin}${BASE}index.html`, { method: 'POST' })).status).toBe(405);
    const redirect = await fetch(`${server.origin}/koreaiaa-genesys?x=1`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe(`${BASE}?x=1`);
  });
});

describe('isHashedAsset', () => {
  it('accepts vite asset names and rejects everything else', () => {
    expect(isHashedAsset('/koreaiaa-genesys/assets/after-reads-f8cX2Ff8.js')).toBe(true);
    expect(isHashedAsset('assets/secure-custom-data-B6wRXABz.js')).toBe(true);
    expect(isHashedAsset('/koreaiaa-genesys/assets/page-TIH91QHi.css')).toBe(true);
    expect(isHashedAsset('/koreaiaa-genesys/index.html')).toBe(false);
    expect(isHashedAsset('/koreaiaa-genesys/kaa.config.json')).toBe(false);
    expect(isHashedAsset('/koreaiaa-genesys/assets/logo.js')).toBe(false);
    expect(isHashedAsset('/koreaiaa-genesys/index-DnQi0lQw.js')).toBe(false);
    expect(isHashedAsset('/koreaiaa-genesys/assets/index-DnQi0lQw.js.map')).toBe(false);
  });

  it('never throws and only accepts paths under assets/ ending in a hashed js or css name', () => {
    fc.assert(
      fc.property(fc.string(), (path) => {
        const hashed = isHashedAsset(path);
        if (hashed) expect(path).toMatch(/assets\/[^/]+-[A-Za-z0-9_-]{8,}\.(js|mjs|css)$/);
      }),
    );
  });
});

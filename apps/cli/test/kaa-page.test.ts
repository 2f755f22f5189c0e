/**
 * The BUILT kaa binary: `kaa page --dist` embeds the config's settings into the built page.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedPageConfig } from '@kaa/core';
import { GOOD_CONFIG, buildKaa, kaa, removeBuild, tempDir } from './helpers.js';

let bin: string;
beforeAll(async () => {
  bin = await buildKaa();
}, 120_000);
afterAll(async () => {
  await removeBuild(bin);
});

const CONFIG = `${GOOD_CONFIG}settings:
  routing:
    cacheTtlSeconds: 60
  auth:
    grant: implicit
`;
const INDEX = `<!doctype html>
<html lang="en">
<head>
<link rel="preload" href="./kaa.config.json" as="fetch" crossorigin="anonymous">
<script type="module" crossorigin src="./assets/index-abc.js"></script>
</head>
<body></body>
</html>
`;

async function project(config = CONFIG): Promise<string> {
  const dir = await tempDir({ 'kaa.yaml': config });
  await mkdir(join(dir, 'dist'));
  await writeFile(join(dir, 'dist', 'index.html'), INDEX);
  return dir;
}

describe('kaa page --dist', () => {
  it('embeds the settings section into index.html and drops the kaa.config.json preload', async () => {
    const dir = await project();
    const r = await kaa(bin, ['page', '--dist', 'dist', '--json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ written: 'dist/index.html' });
    const html = await readFile(join(dir, 'dist', 'index.html'), 'utf8');
    expect(embeddedPageConfig(html)).toEqual({ routing: { cacheTtlSeconds: 60 }, auth: { grant: 'implicit' } });
    expect(html).not.toContain('kaa.config.json');
    expect(html).toContain('src="./assets/index-abc.js"');
    // a second run replaces the block
    expect((await kaa(bin, ['page', '--dist', 'dist/'], { cwd: dir })).code).toBe(0);
    expect((await readFile(join(dir, 'dist', 'index.html'), 'utf8')).match(/id="kaa-config"/g)).toHaveLength(1);
  });

  it('usage errors: no --dist, or a directory without index.html (exit 2, nothing written)', async () => {
    const dir = await project();
    const none = await kaa(bin, ['page', '--json'], { cwd: dir });
    expect(none.code).toBe(2);
    expect(JSON.parse(none.stdout).error.code).toBe('E_CLI_USAGE');
    const wrong = await kaa(bin, ['page', '--dist', 'nowhere', '--json'], { cwd: dir });
    expect(wrong.code).toBe(2);
    expect(JSON.parse(wrong.stdout).error.message).toContain('nowhere/index.html');
  });

  it('a bad setting is refused before anything is written', async () => {
    const dir = await project(CONFIG.replace('cacheTtlSeconds: 60', 'cacheTtlSeconds: soon'));
    const r = await kaa(bin, ['page', '--dist', 'dist', '--json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error.code).toBe('E_CONFIG_INVALID');
    expect(await readFile(join(dir, 'dist', 'index.html'), 'utf8')).toBe(INDEX);
  });
});

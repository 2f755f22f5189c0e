/**
 * Core's public surface is written out: every entry (`@kaa/core` and its subpaths) names what it exports, and the
 * root exports everything the subpaths do, so a new module's helpers stay internal until someone lists them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as root from '../src/index.js';

const SUBPATHS = ['context', 'routing', 'kvp', 'tokens', 'widget', 'events', 'admin', 'ports'] as const;
const source = (file: string) => readFileSync(new URL(`../src/${file}`, import.meta.url), 'utf8');

describe("core's public surface", () => {
  it('no entry re-exports a module wholesale (export *)', () => {
    for (const file of ['index.ts', ...SUBPATHS.map((s) => `${s}/index.ts`)])
      expect(source(file), file).not.toMatch(/^export \*/m);
  });

  it('the root exports every value each subpath exports', async () => {
    for (const subpath of SUBPATHS) {
      const entry = (await import(`../src/${subpath}/index.ts`)) as Record<string, unknown>;
      const missing = Object.keys(entry).filter((name) => !(name in root));
      expect(missing, subpath).toEqual([]);
    }
  });

  it('internal helpers stay internal', () => {
    for (const name of [
      'decodeBase64',
      'decodeUtf8',
      'describeIssues',
      'issuePaths',
      'isTokenText',
      'permissionLabel',
      'POPUP_CALLBACK_FILE',
      'THIRD_PARTY_DOCS',
    ]) {
      expect(name in root, name).toBe(false);
    }
  });
});

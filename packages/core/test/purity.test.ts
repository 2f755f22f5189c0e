import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * @kaa/core must stay pure (docs/architecture.md#layers-and-imports): no IO, no globals, no unseeded clock or randomness.
 * This walks the syntax tree of every source file (comments and strings do not count) and fails on any
 * reference to a forbidden global or on an import of anything but core's own files, jose and zod/mini — not even a type
 * import of the Genesys SDK: the published declarations must need nothing but core's dependencies.
 */
const FORBIDDEN_GLOBALS = new Set([
  'window',
  'document',
  'navigator',
  'location',
  'globalThis',
  'self',
  'fetch',
  'XMLHttpRequest',
  'WebSocket',
  'EventSource',
  'setTimeout',
  'setInterval',
  'clearTimeout',
  'clearInterval',
  'queueMicrotask',
  'requestAnimationFrame',
  'localStorage',
  'sessionStorage',
  'indexedDB',
  'process',
  'require',
  'console',
  'performance',
]);
const ALLOWED_IMPORTS = [/^\.\.?\//, /^jose$/, /^zod\/mini$/];

const srcDir = fileURLToPath(new URL('../src', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** WebCrypto is the one platform object core may touch (jose needs it; ids default to `crypto.randomUUID`, injectable). */
const isWebCrypto = (node: ts.Identifier): boolean =>
  node.text === 'globalThis' && ts.isPropertyAccessExpression(node.parent) && node.parent.name.text === 'crypto';

function violationsIn(name: string, text: string): string[] {
  const sf = ts.createSourceFile(name, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const where = (n: ts.Node) => `${name}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      const spec = node.moduleSpecifier.text;
      if (!ALLOWED_IMPORTS.some((re) => re.test(spec))) found.push(`${where(node)} imports "${spec}"`);
    }
    if (ts.isIdentifier(node) && FORBIDDEN_GLOBALS.has(node.text) && !isWebCrypto(node)) {
      const parent = node.parent;
      const isPropertyName =
        (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
        ts.isPropertyAssignment(parent) ||
        ts.isPropertySignature(parent) ||
        ts.isMethodSignature(parent);
      if (!isPropertyName) found.push(`${where(node)} uses the global "${node.text}"`);
    }
    if (ts.isPropertyAccessExpression(node) && node.getText(sf) === 'Date.now')
      found.push(`${where(node)} reads the clock (Date.now)`);
    if (ts.isPropertyAccessExpression(node) && node.getText(sf) === 'Math.random')
      found.push(`${where(node)} uses unseeded randomness (Math.random)`);
    if (ts.isNewExpression(node) && node.expression.getText(sf) === 'Date' && (node.arguments?.length ?? 0) === 0)
      found.push(`${where(node)} reads the clock (new Date())`);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

describe('@kaa/core purity', () => {
  it('has no IO, globals, clock or randomness in any source file', () => {
    const files = sourceFiles(srcDir);
    expect(files.length).toBeGreaterThan(20);
    expect(files.flatMap((f) => violationsIn(f.slice(srcDir.length + 1), readFileSync(f, 'utf8')))).toEqual([]);
  });

  it('the checker catches each kind of violation', () => {
    const cases = [
      'fetch("x")',
      'setTimeout(() => 0, 1)',
      'const t = Date.now()',
      'const r = Math.random()',
      'const d = new Date()',
      'window.alert(1)',
      'globalThis.fetch("x")',
      "import { x } from 'node:fs'",
      "import { ApiClient } from 'purecloud-platform-client-v2'",
      "import type { Models } from 'purecloud-platform-client-v2'",
    ];
    for (const code of cases) expect(violationsIn('probe.ts', code), code).not.toEqual([]);
    expect(
      violationsIn(
        'ok.ts',
        "import type { JWK } from 'jose'; const id = globalThis.crypto.randomUUID(); const o = { fetch: 1 }; o.fetch;",
      ),
    ).toEqual([]);
  });
});

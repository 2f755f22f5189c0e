import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The layering of docs/architecture.md#layers-and-imports, read from the import graph (syntax trees: comments and
 * `@example` code do not count; `import type`, `export … from`, `import()`, `require()` and `import('…')` types do).
 *
 * - The adapters (`@kaa/genesys-adapter`, `@kaa/kore-client`) use no workspace package but core: never each other, the
 *   sandbox, the broker, the test support or an app. Both run in the page, so neither touches Node: no built-in module,
 *   no Node-only package, no Node global (`process`, `Buffer`, …).
 * - Production code (the apps' `src`, the broker's `src`) never imports the sandbox or the test support. The CLI does not
 *   start the sandbox: the demo does (`scripts/demo.mjs` → `apps/iframe/dev/`), outside any `src`.
 * - The page's `src` is browser code: the Node-only dev server (`apps/iframe/dev/`) stays outside it, and everything the
 *   page's entries reach (its own files, core, the adapters, `@kaa/broker/client`) is free of Node.
 * - No `src` reaches into another tree with a relative path (`../../packages/…`): packages meet by their names.
 * (Core itself is held tighter by purity.test.ts.)
 */
const root = resolve(fileURLToPath(new URL('../../../', import.meta.url)));
const at = (path: string) => join(root, path);

const NODE_BUILTINS = new Set(builtinModules);
/** Packages that only work in Node (sockets, servers, the broker's node:http entry). */
const NODE_ONLY_PACKAGES = new Set(['ws', '@redis/client', 'redis', '@kaa/broker/node']);
/** Globals a browser does not have. */
const NODE_GLOBALS = new Set([
  'process',
  'Buffer',
  'require',
  '__dirname',
  '__filename',
  'global',
  'setImmediate',
  'clearImmediate',
]);

const isNodeBuiltin = (spec: string): boolean => spec.startsWith('node:') || NODE_BUILTINS.has(spec);
/** `@kaa/core/context` → `@kaa/core`; `zod/mini` → `zod`. */
const packageOf = (spec: string): string =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');

interface ImportRef {
  spec: string;
  line: number;
}
interface Scan {
  imports: ImportRef[];
  /** Node globals read (not as property names, not declared). */
  nodeGlobals: ImportRef[];
}

/** Every module specifier of a file, and the Node globals it reads. */
function scan(fileName: string, text: string): Scan {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const imports: ImportRef[] = [];
  const nodeGlobals: ImportRef[] = [];
  const lineOf = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const add = (lit: ts.Node | undefined, at: ts.Node) => {
    if (lit && ts.isStringLiteralLike(lit)) imports.push({ spec: lit.text, line: lineOf(at) });
    else if (lit) imports.push({ spec: `<computed: ${lit.getText(sf)}>`, line: lineOf(at) });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier, node);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference))
      add(node.moduleReference.expression, node);
    else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require'))
    ) {
      add(node.arguments[0], node);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal, node);
    if (ts.isIdentifier(node) && NODE_GLOBALS.has(node.text)) {
      const p = node.parent;
      const isName =
        (ts.isPropertyAccessExpression(p) && p.name === node) ||
        ((ts.isPropertyAssignment(p) ||
          ts.isPropertySignature(p) ||
          ts.isMethodSignature(p) ||
          ts.isMethodDeclaration(p) ||
          ts.isPropertyDeclaration(p)) &&
          p.name === node) ||
        ((ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isFunctionDeclaration(p) || ts.isBindingElement(p)) &&
          p.name === node) ||
        (ts.isCallExpression(p) && p.expression === node && node.text === 'require'); // counted as an import above
      if (!isName) nodeGlobals.push({ spec: node.text, line: lineOf(node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { imports, nodeGlobals };
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(join(dir, e.name))
      : /\.(ts|mts|tsx)$/.test(e.name) && !e.name.endsWith('.d.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

/** The workspace packages as the repository's typecheck resolves them (tsconfig.json `paths`, one source of truth). */
const PATHS: Record<string, string> = (() => {
  const parsed = ts.readConfigFile(at('tsconfig.json'), (p) => readFileSync(p, 'utf8'));
  const paths = (parsed.config as { compilerOptions: { paths: Record<string, string[]> } }).compilerOptions.paths;
  return Object.fromEntries(Object.entries(paths).map(([name, [target]]) => [name, at(target ?? '')]));
})();

/** A relative specifier to the TypeScript file it names (`./x.js` → `./x.ts`), or undefined for assets (`./page.css`). */
function resolveRelative(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  const candidates = [base.replace(/\.(m?)js$/, '.$1ts'), base, `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((c) => /\.m?ts$/.test(c) && existsSync(c));
}

interface Rules {
  /** Refuses a bare specifier with the reason, or accepts it. */
  bare?: (spec: string) => string | undefined;
  /** Browser code: no Node built-ins, Node-only packages or Node globals. */
  browser?: boolean;
}

/** The violations of one file under `rules`; `tree` is the folder its relative imports must stay in. */
function violationsIn(
  file: string,
  text: string,
  tree: string,
  rules: Rules,
  scanned: Scan = scan(file, text),
): string[] {
  const where = (line: number) => `${relative(root, file)}:${line}`;
  const { imports, nodeGlobals } = scanned;
  const found: string[] = [];
  for (const { spec, line } of imports) {
    if (spec.startsWith('<computed'))
      found.push(`${where(line)} imports a computed specifier ${spec}: the graph must be readable`);
    else if (spec.startsWith('.')) {
      const target = resolve(dirname(file), spec);
      if (target !== tree && !target.startsWith(tree + sep))
        found.push(`${where(line)} imports "${spec}", outside ${relative(root, tree)}: import the package by its name`);
    } else {
      if (rules.browser && isNodeBuiltin(spec))
        found.push(`${where(line)} imports the Node module "${spec}" in browser code`);
      if (rules.browser && (NODE_ONLY_PACKAGES.has(spec) || NODE_ONLY_PACKAGES.has(packageOf(spec))))
        found.push(`${where(line)} imports the Node-only package "${spec}" in browser code`);
      const refused = rules.bare?.(spec);
      if (refused) found.push(`${where(line)} imports "${spec}": ${refused}`);
    }
  }
  if (rules.browser)
    for (const g of nodeGlobals) found.push(`${where(g.line)} reads the Node global "${g.spec}" in browser code`);
  return found;
}

function violationsOfTree(dir: string, rules: Rules): { files: number; found: string[] } {
  const tree = at(dir);
  const files = sourceFiles(tree);
  return { files: files.length, found: files.flatMap((f) => violationsIn(f, readFileSync(f, 'utf8'), tree, rules)) };
}

/** An adapter may use core, and nothing else of the workspace. */
const adapterImports = (spec: string): string | undefined =>
  spec.startsWith('@kaa/') && packageOf(spec) !== '@kaa/core'
    ? 'an adapter uses no workspace package but @kaa/core (not the other adapter, the sandbox, the broker, the test support or an app)'
    : undefined;
/** Production code never loads the emulator or the test helpers. */
const productionImports =
  (...alsoRefused: string[]) =>
  (spec: string): string | undefined => {
    const pkg = packageOf(spec);
    if (pkg === '@kaa/sandbox')
      return 'production code never imports the sandbox (the demo starts it from scripts/demo.mjs and apps/iframe/dev/)';
    if (pkg === '@kaa/test-support') return 'production code never imports the test support';
    if (alsoRefused.includes(pkg)) return `${pkg} is not a dependency of this layer`;
    return undefined;
  };

const TREES: { dir: string; rules: Rules }[] = [
  { dir: 'packages/genesys-adapter/src', rules: { bare: adapterImports, browser: true } },
  { dir: 'packages/kore-client/src', rules: { bare: adapterImports, browser: true } },
  { dir: 'packages/broker/src', rules: { bare: productionImports('@kaa/iframe', '@kaa/cli') } },
  { dir: 'apps/iframe/src', rules: { bare: productionImports('@kaa/cli'), browser: true } },
  { dir: 'apps/cli/src', rules: { bare: productionImports('@kaa/iframe') } },
];

/** The page's entry scripts, from its HTML files (what vite builds). */
function pageEntries(): string[] {
  const dir = at('apps/iframe');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.html'))
    .flatMap((f) =>
      [...readFileSync(join(dir, f), 'utf8').matchAll(/<script\b[^>]*\btype="module"[^>]*\bsrc="([^"]+)"/g)].map((m) =>
        resolve(dir, m[1] ?? ''),
      ),
    );
}

/** Walks every module the page's entries reach (relative files and workspace packages) and checks each as browser code. */
function pageReach(entries: string[]): { reached: string[]; found: string[] } {
  const seen = new Set<string>();
  const found: string[] = [];
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    const scanned = scan(file, text);
    found.push(...violationsIn(file, text, root, { browser: true }, scanned));
    for (const { spec, line } of scanned.imports) {
      const next = spec.startsWith('.')
        ? resolveRelative(file, spec)
        : spec.startsWith('@kaa/')
          ? PATHS[spec]
          : undefined;
      if (spec.startsWith('@kaa/') && next === undefined)
        found.push(`${relative(root, file)}:${line} imports "${spec}", which tsconfig.json does not map`);
      if (next) queue.push(next);
    }
  }
  return { reached: [...seen].map((f) => relative(root, f)), found };
}

describe('layering: adapters, apps and what the page loads', () => {
  for (const { dir, rules } of TREES) {
    it(`${dir} keeps to its layer`, () => {
      const { files, found } = violationsOfTree(dir, rules);
      expect(files).toBeGreaterThan(3);
      expect(found).toEqual([]);
    });
  }

  it('everything the page entries reach is browser code', () => {
    const entries = pageEntries();
    expect(entries.map((e) => relative(root, e)).sort()).toEqual([
      'apps/iframe/src/auth-callback.ts',
      'apps/iframe/src/main.ts',
    ]);
    const { reached, found } = pageReach(entries);
    // the walk follows packages, not just the page's folder
    for (const pkg of [
      'packages/core/src/',
      'packages/genesys-adapter/src/',
      'packages/kore-client/src/',
      'packages/broker/src/client.ts',
    ]) {
      expect(
        reached.some((f) => f.startsWith(pkg)),
        pkg,
      ).toBe(true);
    }
    expect(reached.some((f) => f.startsWith('packages/sandbox/') || f === 'packages/broker/src/node.ts')).toBe(false);
    expect(found).toEqual([]);
  });

  it('no adapter lists another workspace package but core as a dependency', () => {
    for (const pkg of ['packages/genesys-adapter', 'packages/kore-client']) {
      const manifest = JSON.parse(readFileSync(at(`${pkg}/package.json`), 'utf8')) as Record<
        string,
        Record<string, string> | undefined
      >;
      const deps = Object.keys({
        ...manifest['dependencies'],
        ...manifest['peerDependencies'],
        ...manifest['optionalDependencies'],
      });
      expect(
        deps.filter((d) => d.startsWith('@kaa/') && d !== '@kaa/core'),
        pkg,
      ).toEqual([]);
    }
  });

  it('the checker catches each kind of violation', () => {
    const adapter = at('packages/genesys-adapter/src');
    const file = join(adapter, 'probe.ts');
    const asAdapter = (code: string) => violationsIn(file, code, adapter, { bare: adapterImports, browser: true });
    const refused = [
      "import { createDataTableClient } from '@kaa/kore-client';",
      "import type { AgentAssistView } from '@kaa/kore-client';",
      "export { BOTS } from '@kaa/sandbox';",
      "const s = await import('@kaa/sandbox');",
      "type B = typeof import('@kaa/broker');",
      "import { x } from '@kaa/iframe';",
      "import { readFile } from 'node:fs/promises';",
      "import { EventEmitter } from 'events';",
      "import WebSocket from 'ws';",
      "const fs = require('fs');",
      "import x = require('node:path');",
      "import { y } from '../../kore-client/src/index.js';",
      'const m = await import(name);',
      'const b = Buffer.from("x");',
      'if (process.env.X) {}',
    ];
    for (const code of refused) expect(asAdapter(code), code).not.toEqual([]);
    const accepted = [
      "import { KaaError } from '@kaa/core';",
      "import type { FetchLike } from '@kaa/core/context';",
      "import { z } from 'zod/mini';",
      "import { retry } from './retry.js';",
      "import { x } from '../src/browser-auth/login-answer.js';",
      '/** @example\n * import { createDataTableClient } from "@kaa/kore-client";\n */\nexport const a = 1;',
      "const s = 'process Buffer require';",
      'const o = { process: 1, Buffer: 2 }; o.process; function f(process: number) { return 1; }',
    ];
    for (const code of accepted) expect(asAdapter(code), code).toEqual([]);

    const cli = at('apps/cli/src');
    const asCli = (code: string) =>
      violationsIn(join(cli, 'probe.ts'), code, cli, { bare: productionImports('@kaa/iframe') });
    expect(asCli("const { startSandbox } = await import('@kaa/sandbox');")).not.toEqual([]);
    expect(asCli("import { mockHttp } from '@kaa/test-support';")).not.toEqual([]);
    expect(asCli("import { startPageSandbox } from '../../iframe/dev/page-sandbox.js';")).not.toEqual([]);
    expect(asCli("import { readFile } from 'node:fs/promises'; import { createBroker } from '@kaa/broker';")).toEqual(
      [],
    );

    const page = at('apps/iframe/src');
    const asPage = (code: string) =>
      violationsIn(join(page, 'probe.ts'), code, page, { bare: productionImports('@kaa/cli'), browser: true });
    expect(asPage("import { serveFetch } from '@kaa/broker/node';")).not.toEqual([]);
    expect(asPage("import { startPageSandbox } from '../dev/page-sandbox.js';")).not.toEqual([]);
    expect(asPage("import { createBrokerClient } from '@kaa/broker/client';")).toEqual([]);
  });
});

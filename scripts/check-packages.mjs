#!/usr/bin/env node
// Checks what ships, from the packed tarballs of every publishable workspace package (no "private": true):
//   1. the manifest: MIT LICENSE identical to the repository's, repository/directory, engines, ESM, no runtime
//      dependency on the Genesys SDK, no "workspace:" left after packing; dist/ newer than src/;
//   2. publint (strict) and @arethetypeswrong/cli (profile esm-only) on each tarball;
//   3. a scratch consumer outside the workspace that installs the tarballs (third-party dependencies from the pnpm
//      store, else the npm registry), type-checks an import of every `exports` subpath with skipLibCheck: false
//      under moduleResolution bundler (a browser app) and node16 (a Node server, with a CommonJS file under module
//      node20), then imports every subpath in plain Node ESM and require()s it (Node >= 20.19 loads ES modules
//      with require).
// Run after `pnpm run build` (pnpm test does). Usage: node scripts/check-packages.mjs [--keep]  (--keep leaves the
// scratch consumer in place and prints its path).
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const KEEP = process.argv.includes('--keep');
const requireFromRoot = createRequire(join(ROOT, 'package.json'));
/** Runtime dependencies no published package may have (the Genesys SDK: 25 MB, needed for types only). */
const FORBIDDEN_DEPENDENCIES = ['purecloud-platform-client-v2'];

const started = Date.now();
let work; // the scratch folder, once made
const failures = [];
const fail = (where, message) => failures.push(`${where}: ${message}`);
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) throw result.error;
  return {
    ok: result.status === 0,
    output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim(),
    stdout: result.stdout ?? '',
  };
}

/** Runs a command without blocking, so that the slow checks (attw, tsc) overlap; resolves with `run`'s shape. */
function runAsync(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ ok: status === 0, output: out.trim() }));
  });
}

async function timedAsync(label, fn) {
  const t0 = Date.now();
  const value = await fn();
  console.log(`check-packages: ${label} (${seconds(Date.now() - t0)})`);
  return value;
}

function timed(label, fn) {
  const t0 = Date.now();
  const value = fn();
  console.log(`check-packages: ${label} (${seconds(Date.now() - t0)})`);
  return value;
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

// ── 1. the publishable packages and their manifests ──────────────────────────────────────────────────────────────
const rootManifest = readJson(join(ROOT, 'package.json'));
const rootLicense = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
const packages = ['packages', 'apps']
  .flatMap((group) => readdirSync(join(ROOT, group)).map((name) => join(ROOT, group, name)))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => ({ dir, rel: relative(ROOT, dir), manifest: readJson(join(dir, 'package.json')) }))
  .filter((p) => p.manifest.private !== true);
if (packages.length === 0)
  throw new Error('check-packages: no publishable package found (every package.json says "private": true).');

for (const { dir, rel, manifest: m } of packages) {
  const where = m.name;
  const subpaths = Object.keys(m.exports ?? {}).filter((s) => s !== './package.json');
  if (m.license !== 'MIT') fail(where, `"license" is ${JSON.stringify(m.license)}, expected "MIT".`);
  if (!m.files?.includes('LICENSE')) fail(where, '"files" does not list LICENSE.');
  if (!existsSync(join(dir, 'LICENSE')) || readFileSync(join(dir, 'LICENSE'), 'utf8') !== rootLicense)
    fail(where, `${rel}/LICENSE is missing or differs from the repository's LICENSE; copy it.`);
  if (m.repository?.url !== rootManifest.repository?.url || m.repository?.directory !== rel) {
    fail(
      where,
      `"repository" must be { "type": "git", "url": ${JSON.stringify(rootManifest.repository?.url)}, "directory": "${rel}" }.`,
    );
  }
  if (m.engines?.node !== rootManifest.engines?.node)
    fail(where, `"engines.node" must be ${JSON.stringify(rootManifest.engines?.node)}, as the repository's.`);
  if (m.type !== 'module') fail(where, '"type" must be "module".');
  if (m.sideEffects !== false) fail(where, '"sideEffects" must be false (the packages do nothing on import).');
  if (m.publishConfig?.access !== 'public')
    fail(where, '"publishConfig.access" must be "public" (a scoped package is private on npm otherwise).');
  if (subpaths.length === 0) fail(where, 'the "exports" map has no entry point.');
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const name of FORBIDDEN_DEPENDENCIES)
      if (m[field]?.[name])
        fail(where, `"${field}" lists ${name}; it may only be a devDependency (types are written in the package).`);
  }
  if (!existsSync(join(dir, 'dist'))) fail(where, `${rel}/dist is missing; run pnpm run build first.`);
  else if (
    newestMtime(join(dir, 'src')) >
    Math.min(...readdirSync(join(dir, 'dist')).map((f) => statSync(join(dir, 'dist', f)).mtimeMs))
  ) {
    fail(where, `${rel}/dist is older than ${rel}/src; run pnpm run build first.`);
  }
}
if (failures.length > 0) finish();

// ── 2. pack, publint, attw ───────────────────────────────────────────────────────────────────────────────────────
work = mkdtempSync(join(tmpdir(), 'kaa-check-packages-'));
const tarballDir = join(work, 'tarballs');
mkdirSync(tarballDir);
const packed = timed(`packed ${packages.map((p) => p.manifest.name).join(', ')}`, () =>
  packages.map((p) => {
    const r = run('pnpm', ['pack', '--json', '--pack-destination', tarballDir], { cwd: p.dir });
    if (!r.ok) throw new Error(`check-packages: pnpm pack failed in ${p.rel}:\n${r.output}`);
    const info = JSON.parse(r.stdout);
    const listing = run('tar', ['-tzvf', info.filename]).stdout.trim().split('\n');
    const unpacked = listing.reduce((sum, line) => sum + Number(line.split(/\s+/)[2] ?? 0), 0);
    const manifest = JSON.parse(run('tar', ['-xzOf', info.filename, 'package/package.json']).stdout);
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
      for (const [name, range] of Object.entries(manifest[field] ?? {}))
        if (String(range).startsWith('workspace:'))
          fail(p.manifest.name, `the packed package.json keeps "${name}": "${range}".`);
    }
    return { ...p, tarball: info.filename, size: statSync(info.filename).size, unpacked, files: info.files.length };
  }),
);

const { publint } = await import('publint');
const { formatMessage } = await import('publint/utils');
const lint = async () => {
  for (const p of packed) {
    const buffer = readFileSync(p.tarball);
    const { messages, pkg } = await publint({
      pack: { tarball: buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) },
      level: 'suggestion',
      strict: true,
    });
    for (const message of messages)
      fail(`${p.manifest.name} (publint ${message.type})`, formatMessage(message, pkg) ?? message.code);
  }
};
{
  const t0 = Date.now();
  await lint();
  console.log(`check-packages: publint --strict (${seconds(Date.now() - t0)})`);
}

// attw runs while the scratch consumer installs and type-checks (both only read the tarballs).
// Profile esm-only: attw's CommonJS column says "ESM (dynamic import only)", which Node >= 20.19 no longer means
// (it require()s ES modules); the scratch consumer below proves require() instead.
const attw = join(dirname(requireFromRoot.resolve('@arethetypeswrong/cli/package.json')), 'dist', 'index.js');
const attwDone = Promise.all(
  packed.map((p) =>
    timedAsync(`attw --profile esm-only ${p.manifest.name}`, async () => {
      const r = await runAsync(
        process.execPath,
        [attw, p.tarball, '--profile', 'esm-only', '--format', 'ascii', '--no-color', '--no-emoji'],
        { cwd: work },
      );
      if (!r.ok) fail(`${p.manifest.name} (attw)`, `\n${r.output}`);
    }),
  ),
);

// ── 3. the scratch consumer ──────────────────────────────────────────────────────────────────────────────────────
const consumer = join(work, 'consumer');
mkdirSync(join(consumer, 'src'), { recursive: true });
const fileSpec = (p) => `file:${p.tarball}`;
writeFileSync(
  join(consumer, 'package.json'),
  JSON.stringify(
    {
      name: 'kaa-scratch-consumer',
      private: true,
      type: 'module',
      dependencies: Object.fromEntries(packed.map((p) => [p.manifest.name, fileSpec(p)])),
      // the Node server configuration below type-checks with the Node types the repository itself uses
      devDependencies: { '@types/node': rootManifest.devDependencies['@types/node'] },
      // every @kaa/* dependency between the tarballs resolves to its tarball, never to the registry
      pnpm: { overrides: Object.fromEntries(packed.map((p) => [p.manifest.name, fileSpec(p)])) },
    },
    null,
    2,
  ),
);
timed('installed the tarballs into a scratch project', () => {
  const r = run(
    'pnpm',
    ['install', '--prefer-offline', '--no-frozen-lockfile', '--ignore-scripts', '--reporter=append-only'],
    { cwd: consumer, env: { ...process.env, CI: 'true' } },
  );
  if (!r.ok) throw new Error(`check-packages: pnpm install in the scratch consumer failed:\n${r.output}`);
});

const entries = packed.flatMap((p) =>
  Object.keys(p.manifest.exports)
    .filter((s) => s !== './package.json')
    .map((s) => (s === '.' ? p.manifest.name : `${p.manifest.name}/${s.slice(2)}`)),
);
// Every subpath, imported by name. `noAny<i>` fails when some value export of the subpath is typed `any` as a whole
// (a union with `any` is `any`): a second guard, after skipLibCheck: false, against declarations that lost a type.
writeFileSync(
  join(consumer, 'src', 'entries.ts'),
  [
    ...entries.map((spec, i) => `import * as m${i} from '${spec}';`),
    'type IsAny<T> = 0 extends 1 & T ? true : false;',
    ...entries.map(
      (spec, i) => `export const noAny${i}: IsAny<(typeof m${i})[keyof typeof m${i}]> = false; // ${spec}`,
    ),
    `export const counts: number[] = [${entries.map((_, i) => `Object.keys(m${i}).length`).join(', ')}];`,
    '',
  ].join('\n'),
);
// A few uses through the public types, so that a type that turns to `any` or changes shape fails here too.
const usages = [];
const has = (name) => packed.some((p) => p.manifest.name === name);
if (has('@kaa/core')) {
  usages.push(
    "import { KaaError, parseConversation, findAgentParticipant } from '@kaa/core';",
    "import type { GenesysConversation, GenesysParticipant } from '@kaa/core';",
    'type IsAny<T> = 0 extends 1 & T ? true : false;',
    "const conversation: GenesysConversation = parseConversation({ id: 'c', participants: [{ purpose: 'agent', userId: 'u' }] });",
    "const agent: GenesysParticipant = findAgentParticipant(conversation, 'u');",
    'export const purpose: string | undefined = agent.purpose;',
    "export const error: KaaError = new KaaError('E_CONFIG_INVALID', 'probe');",
    'export const code: KaaError["code"] = error.code;',
    'export const notAny: [IsAny<GenesysConversation>, IsAny<GenesysParticipant["calls"]>] = [false, false];',
  );
}
if (has('@kaa/genesys-adapter')) {
  usages.push(
    "import type { GenesysApi } from '@kaa/genesys-adapter';",
    "type Conversation = Awaited<ReturnType<GenesysApi['getConversation']>>;",
    "type Me = Awaited<ReturnType<GenesysApi['getMe']>>;",
    "export const adapterNotAny: [IsAny<Conversation>, IsAny<Me>, IsAny<Conversation['participants']>] = [false, false, false];",
    'export const meId = (me: Me): string => me.id;',
  );
}
writeFileSync(join(consumer, 'src', 'usage.ts'), `${usages.join('\n')}\n`);
writeFileSync(
  join(consumer, 'src', 'require.cts'),
  [
    ...entries.map((spec, i) => `import m${i} = require('${spec}');`),
    `export const counts: number[] = [${entries.map((_, i) => `Object.keys(m${i}).length`).join(', ')}];`,
    '',
  ].join('\n'),
);
// Two environments: a browser app (bundler resolution, DOM library, no Node types) and a Node server (node16
// resolution, Node types, no DOM library: a package whose declarations need the DOM must reference it itself).
const strict = {
  strict: true,
  skipLibCheck: false,
  noEmit: true,
  target: 'ES2022',
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
};
const browser = { ...strict, lib: ['ES2022', 'DOM', 'DOM.Iterable'], types: [] };
const server = { ...strict, lib: ['ES2022'], types: ['node'] };
const configs = {
  'tsconfig.bundler.json': {
    compilerOptions: { ...browser, module: 'ESNext', moduleResolution: 'Bundler' },
    files: ['src/entries.ts', 'src/usage.ts'],
  },
  // node16 resolution for the ES module files and a CommonJS file (require.cts) in one program (one tsc run less):
  // `module: node20` (TypeScript >= 5.9) is node16 resolution plus Node >= 20.19's require() of ES modules, which
  // `module: node16` would reject in the .cts file; for the ES module files the two modes check the same.
  'tsconfig.node16.json': {
    compilerOptions: { ...server, module: 'Node20', moduleResolution: 'Node16' },
    files: ['src/entries.ts', 'src/usage.ts', 'src/require.cts'],
  },
};
const tsc = requireFromRoot.resolve('typescript/bin/tsc');
const tsVersion = readJson(requireFromRoot.resolve('typescript/package.json')).version;
await Promise.all(
  Object.entries(configs).map(([file, config]) => {
    writeFileSync(join(consumer, file), JSON.stringify(config, null, 2));
    return timedAsync(`tsc -p ${file} (TypeScript ${tsVersion}, skipLibCheck: false)`, async () => {
      const r = await runAsync(process.execPath, [tsc, '-p', file], { cwd: consumer });
      if (!r.ok) fail(`scratch consumer (${file})`, `\n${r.output}`);
    });
  }),
);

// Plain Node: import every subpath; require() every subpath and get the very same module (one KaaError class).
writeFileSync(
  join(consumer, 'runtime.mjs'),
  `import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const entries = ${JSON.stringify(entries)};
const problems = [];
const tryRequire = (spec) => {
  try { return require(spec); } catch (e) { problems.push(spec + ': require() throws ' + e.code + ' ' + String(e.message).split('\\n')[0]); return undefined; }
};
for (const spec of entries) {
  const esm = await import(spec);
  const names = Object.keys(esm);
  if (names.length === 0) problems.push(spec + ': import gives no exports');
  const cjs = tryRequire(spec);
  if (cjs) for (const name of names) if (cjs[name] !== esm[name]) problems.push(spec + ': require(...).' + name + ' is not the imported one');
}
const core = entries.includes('@kaa/core') ? await import('@kaa/core') : undefined;
if (core) {
  const e = new core.KaaError('E_CONFIG_INVALID', 'probe');
  const required = tryRequire('@kaa/core');
  if (required && !(e instanceof required.KaaError)) problems.push('@kaa/core: a KaaError made by import is not instanceof the required KaaError');
  const c = core.parseConversation({ id: 'c', participants: [{ purpose: 'agent', userId: 'u' }] });
  if (core.findAgentParticipant(c, 'u').userId !== 'u') problems.push('@kaa/core: findAgentParticipant does not find the agent');
}
if (problems.length) { console.error(problems.join('\\n')); process.exit(1); }
console.log('imported and required ' + entries.length + ' entry points on Node ' + process.version);
`,
);
timed('node runtime.mjs: import + require of every entry point', () => {
  const r = run(process.execPath, ['--no-warnings=ExperimentalWarning', 'runtime.mjs'], { cwd: consumer });
  if (!r.ok) fail('scratch consumer (node runtime.mjs)', `\n${r.output}`);
  else console.log(`check-packages: ${r.output}`);
});

await attwDone;
console.log('check-packages: tarballs');
for (const p of packed)
  console.log(
    `  ${p.manifest.name.padEnd(24)} ${kb(p.size).padStart(10)} packed  ${kb(p.unpacked).padStart(10)} unpacked  ${String(p.files).padStart(3)} files`,
  );
finish();

function finish() {
  if (work && existsSync(work)) {
    if (KEEP) console.log(`check-packages: kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
  if (failures.length > 0) {
    console.error(`check-packages: FAILED (${failures.length})\n${failures.map((f) => `- ${f}`).join('\n')}`);
    process.exit(1);
  }
  console.log(
    `check-packages: ok, ${packages.length} packages, ${entriesCount()} entry points, ${seconds(Date.now() - started)}`,
  );
}

function entriesCount() {
  return packages.reduce(
    (n, p) => n + Object.keys(p.manifest.exports ?? {}).filter((s) => s !== './package.json').length,
    0,
  );
}

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The repository documents itself: code comments and READMEs link to `docs/<file>.md#<anchor>`, never to documents a
 * clone does not contain, and never by internal tags. This walks packages/, apps/, examples/, docs/ and README.md and
 * fails on (1) a citation of an outside document anywhere in a .ts or .md file, (2) a bare tag such as the letter G
 * or K followed by a number in a .ts comment or in a .md file, (3) a `docs/*.md#anchor` link (or a relative link
 * inside docs/) whose file or heading does not exist. Anchors are GitHub heading slugs (see docs/README.md).
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const SCANNED = ['packages', 'apps', 'examples', 'docs', 'README.md'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'coverage']);

function walk(path: string): string[] {
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return [path];
  return readdirSync(path, { withFileTypes: true }).flatMap((e) =>
    e.name.startsWith('.') || (e.isDirectory() && SKIPPED_DIRS.has(e.name)) ? [] : walk(join(path, e.name)),
  );
}

const files = SCANNED.flatMap((p) => walk(join(root, p))).filter((f) => /\.(ts|md)$/.test(f) && !f.endsWith('.d.ts'));
const rel = (file: string) => relative(root, file).split('\\').join('/');
const lineOf = (text: string, index: number) => text.slice(0, index).split('\n').length;

// Built from pieces so that this file does not cite them itself.
const md = String.raw`\.md\b`;
const OUTSIDE_DOCUMENTS = new RegExp(
  [
    String.raw`(?<![\w-])(?:genesys|kore)` + md,
    String.raw`\breference/[\w.-]+` + md,
    String.raw`\bARCHITECTURE` + md,
    String.raw`\bopen-questions` + md,
    String.raw`\.\./shared\b`,
    String.raw`/work/` + 'shared',
  ].join('|'),
  'g',
);
const TAG = /(?<![\w./#+-])[GK]\d{1,2}(?![\w])/g;

/** The comments of a TypeScript file, from the syntax tree (strings and code do not count). */
function commentsOf(file: string, text: string): { text: string; pos: number }[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const seen = new Map<number, { text: string; pos: number }>();
  const collect = (ranges: readonly ts.CommentRange[] | undefined) => {
    for (const r of ranges ?? []) seen.set(r.pos, { text: text.slice(r.pos, r.end), pos: r.pos });
  };
  const visit = (node: ts.Node) => {
    collect(ts.getLeadingCommentRanges(text, node.getFullStart()));
    collect(ts.getTrailingCommentRanges(text, node.getEnd()));
    node.forEachChild(visit);
  };
  visit(source);
  collect(ts.getLeadingCommentRanges(text, source.endOfFileToken.getFullStart()));
  return [...seen.values()];
}

/** GitHub's heading slug: lower case, punctuation dropped, whitespace → `-`; repeats get `-1`, `-2`, … */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const counts = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading?.[1]) continue;
    const text = heading[1].replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const base = text
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = counts.get(base) ?? 0;
    counts.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

const docsDir = join(root, 'docs');
const docAnchors = new Map(
  readdirSync(docsDir)
    .filter((f) => f.endsWith('.md'))
    .map((f) => [f, anchorsOf(readFileSync(join(docsDir, f), 'utf8'))] as const),
);

describe('docs links', () => {
  it('scans the repository (sanity: the walk finds code, READMEs and the docs)', () => {
    const names = files.map(rel);
    expect(names).toContain('packages/core/src/context/settings.ts');
    expect(names).toContain('README.md');
    expect(names).toContain('docs/assumptions.md');
    expect(names.some((n) => n.includes('/dist/') || n.includes('node_modules'))).toBe(false);
    expect(docAnchors.get('assumptions.md')?.has('kore-data-table-api-host')).toBe(true);
  });

  it('cites no document outside the repository', () => {
    const found: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(OUTSIDE_DOCUMENTS)) found.push(`${rel(file)}:${lineOf(text, m.index)}: ${m[0]}`);
    }
    expect(found, 'link the section of docs/ instead (docs/README.md lists the documents)').toEqual([]);
  });

  it('uses no internal tag in a comment or a README', () => {
    const found: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const parts = file.endsWith('.ts') ? commentsOf(file, text) : [{ text, pos: 0 }];
      for (const part of parts) {
        for (const m of part.text.matchAll(TAG))
          found.push(`${rel(file)}:${lineOf(text, part.pos + m.index)}: ${m[0]}`);
      }
    }
    expect(found, 'replace the tag with a link such as docs/assumptions.md#kore-data-table-api-host').toEqual([]);
  });

  it('links only to docs files and headings that exist', () => {
    const broken: string[] = [];
    const check = (where: string, file: string, anchor: string | undefined) => {
      const anchors = docAnchors.get(file);
      if (!anchors) broken.push(`${where}: docs/${file} does not exist`);
      else if (anchor !== undefined && !anchors.has(anchor))
        broken.push(`${where}: docs/${file} has no heading #${anchor}`);
    };
    let links = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bdocs\/([\w.-]+\.md)(?:#([\w-]+))?/g)) {
        links += 1;
        check(`${rel(file)}:${lineOf(text, m.index)}`, m[1] as string, m[2]);
      }
      if (rel(file).startsWith('docs/')) {
        const self = rel(file).slice('docs/'.length);
        for (const m of text.matchAll(/\]\((?!https?:|\.\.\/)([\w.-]*\.md)?(?:#([\w-]+))?\)/g)) {
          links += 1;
          check(`${rel(file)}:${lineOf(text, m.index)}`, m[1] ?? self, m[2]);
        }
      }
    }
    expect(broken).toEqual([]);
    expect(links).toBeGreaterThan(300);
  });
});

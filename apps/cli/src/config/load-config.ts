import {
  describeIssue as describeSettingIssue,
  issuePath,
  KaaError,
  KaaSettingsSchema,
  parseSettings,
  typeWithArticle,
} from '@kaa/core';
import { LineCounter, parseDocument } from 'yaml';
import type { ZodError } from 'zod';
import type { CliIo } from '../io.js';
import type { LoadedConfig } from './loaded-config.js';
import { locateField } from './locate.js';
import { KaaConfigSchema } from './schema.js';
import type { SecretRef } from './secret-ref.js';

/**
 * Reads, parses (YAML or JSON — JSON is read as YAML) and validates kaa's config file. Every problem is an
 * `E_CONFIG_INVALID` whose message starts with `file:line:column` and names the field, and whose details
 * hold `{file, line, column, field, issues}`. Values are never echoed (a field may hold a secret).
 *
 * @example
 * ```ts
 * const loaded = await loadConfig('kaa.yaml', io);
 * loaded.config.dataTable.name; // 'kaa_bots'
 * ```
 */
export async function loadConfig(file: string, io: CliIo): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await io.readFile(file);
  } catch (cause) {
    throw new KaaError(
      'E_CONFIG_INVALID',
      `Cannot read the config file "${file}" (${(cause as NodeJS.ErrnoException)?.code ?? 'unreadable'}). Create one with "kaa init", or pass --config <path>.`,
      {
        details: { file },
      },
    );
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax) {
    const pos = lines.linePos(syntax.pos[0]);
    throw new KaaError(
      'E_CONFIG_INVALID',
      `${file}:${pos.line}:${pos.col}: the file is not valid YAML or JSON (${syntax.code.toLowerCase().replace(/_/g, ' ')}). Fix the syntax at that line.`,
      {
        details: { file, line: pos.line, column: pos.col, field: '(syntax)' },
      },
    );
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (cause) {
    // unresolved or exploding aliases (&anchor / *alias) surface only here
    throw new KaaError(
      'E_CONFIG_INVALID',
      `${file}: the file uses a YAML alias (*name) that is undefined or expands too much (${(cause as Error)?.name ?? 'error'}). Write the value out instead of using anchors and aliases.`,
      {
        details: { file, field: '(syntax)' },
        cause,
      },
    );
  }
  const locate = (path: readonly PropertyKey[]) => locateField(doc, lines, path);
  const where = (path: readonly PropertyKey[]) => {
    const pos = locate(path);
    return pos ? `${file}:${pos.line}:${pos.column}` : file;
  };

  const parsed = KaaConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) throw configError(file, parsed.error, [], locate);
  const settingsCheck = KaaSettingsSchema.safeParse(parsed.data.settings);
  if (!settingsCheck.success) throw configError(file, settingsCheck.error as unknown as ZodError, ['settings'], locate);
  const settings = parseSettings(parsed.data.settings);

  const dir = io.dirname(file);
  const secrets: string[] = [];
  const readText = async (relative: string, path: readonly PropertyKey[]) => {
    const full = io.resolve(dir, relative);
    try {
      return await io.readFile(full);
    } catch (cause) {
      throw new KaaError(
        'E_CONFIG_INVALID',
        `${where(path)}: "${fieldName(path)}" points at the file "${relative}", which cannot be read (${(cause as NodeJS.ErrnoException)?.code ?? 'unreadable'}). Fix the path (relative to ${file}).`,
        {
          details: { file, ...locate(path), field: fieldName(path), path: relative },
        },
      );
    }
  };
  const secret = async (ref: SecretRef, path: readonly PropertyKey[]): Promise<string> => {
    let value: string | undefined;
    if (typeof ref === 'string') value = ref;
    else if ('env' in ref) {
      value = io.env[ref.env];
      if (value === undefined || value.trim() === '') {
        throw new KaaError(
          'E_CONFIG_INVALID',
          `${where(path)}: "${fieldName(path)}" reads the environment variable ${ref.env}, which is not set. Export ${ref.env} before running kaa, or point the field at a file with { file: path }.`,
          {
            details: { file, ...locate(path), field: fieldName(path), env: ref.env },
          },
        );
      }
    } else value = await readText(ref.file, path);
    const trimmed = value.replace(/\r?\n$/, '').trim();
    if (trimmed === '') {
      throw new KaaError(
        'E_CONFIG_INVALID',
        `${where(path)}: "${fieldName(path)}" is empty. Put the secret in the referenced variable or file.`,
        { details: { file, ...locate(path), field: fieldName(path) } },
      );
    }
    if (!secrets.includes(trimmed)) secrets.push(trimmed);
    return trimmed;
  };
  return { file, config: parsed.data, settings, locate, where, secret, readText, secrets };
}

/**
 * The dotted name of a config field, as messages show it.
 *
 * @example
 * ```ts
 * fieldName(['bots', 'alpha', 'queues', 0]); // 'bots.alpha.queues.0'
 * ```
 */
export function fieldName(path: readonly PropertyKey[]): string {
  return issuePath(path, { root: '' });
}

function configError(
  file: string,
  error: ZodError,
  prefix: readonly PropertyKey[],
  locate: LoadedConfig['locate'],
): KaaError {
  const issues = error.issues.slice(0, 10).map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? ((issue as { keys?: string[] }).keys ?? []) : [];
    const path = [...prefix, ...issue.path, ...keys.slice(0, 1)];
    const pos = locate(path);
    return {
      field: fieldName(path) || '(root)',
      line: pos?.line,
      column: pos?.column,
      problem: describeIssue(issue, keys),
    };
  });
  const first = issues[0] as (typeof issues)[number];
  const at = (i: (typeof issues)[number]) => `${file}${i.line !== undefined ? `:${i.line}:${i.column}` : ''}`;
  const more =
    issues.length > 1
      ? ` Also: ${issues
          .slice(1)
          .map((i) => `${at(i)} "${i.field}" ${i.problem}`)
          .join('; ')}.`
      : '';
  return new KaaError(
    'E_CONFIG_INVALID',
    `${at(first)}: "${first.field}" ${first.problem}. Correct this field in ${file}.${more}`,
    {
      details: { file, line: first.line, column: first.column, field: first.field, issues },
    },
  );
}

function describeIssue(issue: ZodError['issues'][number], keys: readonly string[]): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `is not a known key${
        keys.length > 1
          ? ` (also ${keys
              .slice(1)
              .map((k) => `"${k}"`)
              .join(', ')})`
          : ''
      }; check the spelling against "kaa init"`;
    case 'invalid_type':
      return /received undefined/.test(issue.message)
        ? `is missing (expected ${article(issue.expected)})`
        : `must be ${article(issue.expected)}`;
    case 'invalid_union':
      if (issue.path.at(-1) === 'kind' && issue.path.at(-2) === 'botSource')
        return `must be one of ${BOT_SOURCE_KINDS.map((k) => JSON.stringify(k)).join(', ')}`;
      return SECRET_FIELDS.has(String(issue.path.at(-1)))
        ? 'must be a secret reference: { env: NAME }, { file: path } or a text'
        : 'has the wrong shape; compare it with the starter config of "kaa init"';
    default:
      return describeSettingIssue(issue);
  }
}

const BOT_SOURCE_KINDS = ['kore-data-table', 'third-party', 'genesys-legacy-table'] as const;

const SECRET_FIELDS = new Set(['clientSecret', 'token', 'passthruMetadata', 'rsPrivatePem']);

/** core's `typeWithArticle`, in YAML's words for objects and arrays. */
function article(expected: string): string {
  if (expected === 'object' || expected === 'record') return 'a mapping';
  if (expected === 'array') return 'a list';
  return typeWithArticle(expected);
}

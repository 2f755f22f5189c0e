import * as z from 'zod/mini';
import { KaaError } from '../errors.js';
import { issuePath } from '../issues.js';
import { ENVIRONMENTS, type EnvironmentRecord, type GenesysEnvironment } from './environments.js';

const origin = z
  .string()
  .check(z.refine((v) => isHttpOrigin(v), { message: 'must be an http(s) origin such as https://apps.example.com' }));
const host = z
  .string()
  .check(z.regex(/^[A-Za-z0-9.-]+(?::\d{1,5})?$/, { message: 'must be a host name, optionally with :port' }));

/**
 * zod/mini schema of an extra environment record (config key `genesys.environments`): every host explicit.
 * `domain` may be empty for a development record matched only by `appsOrigin`.
 *
 * @example
 * ```ts
 * EnvironmentRecordSchema.parse({ name: 'sandbox', apiBase: 'http://127.0.0.1:4102', loginBase: 'http://127.0.0.1:4103', streamingHost: '127.0.0.1:4104', appsOrigin: 'http://127.0.0.1:4101' });
 * ```
 */
export const EnvironmentRecordSchema = z.strictObject({
  name: z
    .string()
    .check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'must be an environment name such as prod-euw1' })),
  region: z._default(z.string(), ''),
  domain: z._default(
    z.string().check(
      z.regex(/^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*)?$/, {
        message: 'must be a lower-case domain such as mypurecloud.ie, or empty',
      }),
    ),
    '',
  ),
  apiBase: origin,
  loginBase: origin,
  streamingHost: host,
  appsOrigin: origin,
  aliases: z._default(z.array(z.string()), []),
  enabled: z._default(z.boolean(), true),
});

/**
 * What {@link resolveEnvironment} reads: a `WidgetContext` fits.
 *
 * @example
 * ```ts
 * const input: EnvironmentInput = { hostOrigin: 'https://apps.mypurecloud.de', targetEnv: 'prod-euc1' };
 * ```
 */
export interface EnvironmentInput {
  /** `{{gcHostOrigin}}` (`https://apps.mypurecloud.ie`) or a bare domain (`mypurecloud.ie`, the legacy `pcEnvironment` form). */
  readonly hostOrigin: string;
  /** `{{gcTargetEnv}}`, e.g. `prod-euw1`; when present it must name the environment the host belongs to. */
  readonly targetEnv?: string | undefined;
}

/**
 * Options of {@link resolveEnvironment}.
 *
 * @example
 * ```ts
 * resolveEnvironment({ hostOrigin: 'https://apps.edee1.eusc-pure.cloud' }, [], { enable: ['prod-edee1'] });
 * ```
 */
export interface ResolveEnvironmentOptions {
  /** Names of disabled built-in environments to allow, e.g. `['prod-edee1']` (docs/assumptions.md#eu-sovereign-cloud). */
  readonly enable?: readonly string[];
}

/**
 * Finds the Genesys environment of the desktop that framed the widget (docs/genesys-protocol.md#finding-the-region). Pure.
 *
 * - A host matches an environment when it equals its domain or ends with `.` + domain
 *   (`https://apps.mypurecloud.ie` and `mypurecloud.ie` → `prod-euw1`); the longest domain wins. Origins
 *   must be `https:` for domain matches.
 * - `extra` records (config `genesys.environments`, validated here) come first and replace a built-in of the
 *   same name. They also match when the origin equals their `appsOrigin` exactly, which is how the sandbox's
 *   `http://127.0.0.1:<port>` desktop resolves.
 * - `targetEnv`, when present, must be the environment's name or an alias, else `E_ENVIRONMENT_MISMATCH`.
 * - An unknown host, or a disabled one (the EU sovereign cloud until its name and status are known, docs/assumptions.md#eu-sovereign-cloud), is `E_ENVIRONMENT_UNKNOWN`.
 *   kaa never defaults to `mypurecloud.com`.
 *
 * @example
 * ```ts
 * import { resolveEnvironment } from '@kaa/core';
 *
 * resolveEnvironment({ hostOrigin: 'https://apps.mypurecloud.ie', targetEnv: 'prod-euw1' });
 * // → { name: 'prod-euw1', region: 'eu-west-1', domain: 'mypurecloud.ie', apiBase: 'https://api.mypurecloud.ie',
 * //     loginBase: 'https://login.mypurecloud.ie', streamingHost: 'streaming.mypurecloud.ie', appsOrigin: 'https://apps.mypurecloud.ie' }
 * ```
 */
export function resolveEnvironment(
  input: EnvironmentInput,
  extra: readonly unknown[] = [],
  options: ResolveEnvironmentOptions = {},
): GenesysEnvironment {
  const extras = extra.map((record, i) => parseExtra(record, i));
  const overridden = new Set(extras.map((e) => e.name.toLowerCase()));
  const enabled = new Set((options.enable ?? []).map((n) => n.toLowerCase()));
  const candidates: EnvironmentRecord[] = [
    ...extras,
    ...ENVIRONMENTS.filter((e) => !overridden.has(e.name.toLowerCase())).map((e) =>
      enabled.has(e.name.toLowerCase()) ? { ...e, enabled: true } : e,
    ),
  ];

  const raw = String(input.hostOrigin ?? '').trim();
  const target = parseHost(raw);
  if (target === undefined) {
    throw new KaaError(
      'E_ENVIRONMENT_UNKNOWN',
      `The desktop origin "${raw}" is not a URL or domain kaa can read. The "environment" parameter must be {{gcHostOrigin}} (e.g. https://apps.mypurecloud.ie).`,
      { details: { hostOrigin: raw } },
    );
  }

  let match: EnvironmentRecord | undefined;
  for (const e of candidates) {
    if (target.origin !== undefined && e.appsOrigin.toLowerCase() === target.origin) {
      match = e;
      break;
    }
  }
  if (match === undefined && target.secure) {
    for (const e of candidates) {
      const d = e.domain.toLowerCase();
      if (d === '' || !(target.hostname === d || target.hostname.endsWith(`.${d}`))) continue;
      if (match === undefined || d.length > match.domain.length) match = e;
    }
  }
  if (match === undefined || !match.enabled) {
    const disabled = match !== undefined;
    throw new KaaError(
      'E_ENVIRONMENT_UNKNOWN',
      disabled
        ? `The desktop origin "${raw}" belongs to "${match!.domain}" (${match!.name}), whose name and status Genesys has not published (docs/assumptions.md#eu-sovereign-cloud), so kaa keeps it disabled. Enable it with genesys.enableEnvironments: ["${match!.name}"] or describe it in genesys.environments.`
        : `The desktop origin "${raw}" is not a known Genesys Cloud environment. Check that the "environment" parameter is {{gcHostOrigin}}; for a private or new region add its record to the genesys.environments setting.`,
      { details: { hostOrigin: raw, ...(disabled ? { environment: match!.name } : {}) } },
    );
  }

  const targetEnv = input.targetEnv?.trim();
  if (targetEnv !== undefined && targetEnv !== '') {
    const names = [match.name, ...match.aliases].map((n) => n.toLowerCase());
    if (!names.includes(targetEnv.toLowerCase())) {
      throw new KaaError(
        'E_ENVIRONMENT_MISMATCH',
        `The desktop origin "${raw}" belongs to environment "${match.name}", but gcTargetEnv says "${targetEnv}". Use gcTargetEnv={{gcTargetEnv}} and environment={{gcHostOrigin}} exactly as Genesys fills them, or correct the genesys.environments setting.`,
        { details: { hostOrigin: raw, environment: match.name, targetEnv } },
      );
    }
  }
  return Object.freeze({
    name: match.name,
    region: match.region,
    domain: match.domain,
    apiBase: match.apiBase,
    loginBase: match.loginBase,
    streamingHost: match.streamingHost,
    appsOrigin: match.appsOrigin,
  });
}

function parseExtra(record: unknown, index: number): EnvironmentRecord {
  const parsed = EnvironmentRecordSchema.safeParse(record);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issuePath(issue?.path ?? [], { prefix: ['genesys', 'environments', index] });
    throw new KaaError(
      'E_CONFIG_INVALID',
      `Setting "${path}" is invalid: ${issue?.message ?? 'wrong shape'}. Each extra environment needs name, apiBase, loginBase, streamingHost and appsOrigin.`,
      {
        details: { key: path },
      },
    );
  }
  const d = parsed.data;
  const trim = (o: string): string => o.replace(/\/$/, '');
  return { ...d, apiBase: trim(d.apiBase), loginBase: trim(d.loginBase), appsOrigin: trim(d.appsOrigin) };
}

function isHttpOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value.replace(/\/$/, '').toLowerCase()
    );
  } catch {
    return false;
  }
}

function parseHost(value: string): { origin?: string; hostname: string; secure: boolean } | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    try {
      const url = new URL(value);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
      return {
        origin: url.origin.toLowerCase(),
        hostname: url.hostname.toLowerCase().replace(/\.$/, ''),
        secure: url.protocol === 'https:',
      };
    } catch {
      return undefined;
    }
  }
  const hostname = value.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  return /^[a-z0-9.-]+$/.test(hostname) && hostname !== '' ? { hostname, secure: true } : undefined;
}

/**
 * The hosts kaa talks to in one Genesys Cloud environment (docs/genesys-protocol.md#environments).
 *
 * @example
 * ```ts
 * const env: GenesysEnvironment = resolveEnvironment(ctx);
 * fetch(`${env.apiBase}/api/v2/users/me`);
 * ```
 */
export interface GenesysEnvironment {
  /** Environment name as `{{gcTargetEnv}}` gives it, e.g. `prod-euw1`. */
  readonly name: string;
  /** AWS region, e.g. `eu-west-1`. */
  readonly region: string;
  /** Public domain, e.g. `mypurecloud.ie`; empty for a development record matched by origin only. */
  readonly domain: string;
  /** REST base, e.g. `https://api.mypurecloud.ie`. */
  readonly apiBase: string;
  /** OAuth base, e.g. `https://login.mypurecloud.ie`. */
  readonly loginBase: string;
  /** Notification socket host, e.g. `streaming.mypurecloud.ie` (always connect to the channel's `connectUri`). */
  readonly streamingHost: string;
  /** Desktop origin, e.g. `https://apps.mypurecloud.ie`; the origin Genesys frames the widget from. */
  readonly appsOrigin: string;
}

/**
 * An entry of {@link ENVIRONMENTS}: an environment plus what kaa knows about its status.
 *
 * @example
 * ```ts
 * const disabled: EnvironmentRecord[] = ENVIRONMENTS.filter((e) => !e.enabled); // [prod-edee1]
 * ```
 */
export interface EnvironmentRecord extends GenesysEnvironment {
  /** Other names `gcTargetEnv` may use for it (e.g. `fedramp`). */
  readonly aliases: readonly string[];
  /** False for environments whose name or status is unconfirmed; they resolve only when explicitly enabled. */
  readonly enabled: boolean;
}

function env(
  name: string,
  region: string,
  domain: string,
  aliases: readonly string[] = [],
  enabled = true,
): EnvironmentRecord {
  return Object.freeze({
    name,
    region,
    domain,
    apiBase: `https://api.${domain}`,
    loginBase: `https://login.${domain}`,
    streamingHost: `streaming.${domain}`,
    appsOrigin: `https://apps.${domain}`,
    aliases: Object.freeze([...aliases]),
    enabled,
  });
}

/**
 * Every Genesys Cloud environment kaa knows: the 17 `stable` entries of genesys-cloud-service-discovery-web
 * 3.0.500 (docs/genesys-protocol.md#environments), plus the EU sovereign cloud `edee1.eusc-pure.cloud` from the platform SDK's host
 * table. Its environment name (`prod-edee1`) and AWS region (`eusc-de-east-1`) are kaa's guesses and its status
 * is unpublished (docs/assumptions.md#eu-sovereign-cloud), so it is `enabled: false`: it resolves only when enabled through
 * `resolveEnvironment(…, …, { enable: ['prod-edee1'] })` or overridden in `genesys.environments`.
 *
 * @example
 * ```ts
 * import { ENVIRONMENTS } from '@kaa/core';
 *
 * ENVIRONMENTS.find((e) => e.name === 'prod-euw1')?.apiBase; // 'https://api.mypurecloud.ie'
 * ```
 */
export const ENVIRONMENTS: readonly EnvironmentRecord[] = Object.freeze([
  env('prod', 'us-east-1', 'mypurecloud.com'),
  env('prod-usw2', 'us-west-2', 'usw2.pure.cloud'),
  env('prod-cac1', 'ca-central-1', 'cac1.pure.cloud'),
  env('prod-sae1', 'sa-east-1', 'sae1.pure.cloud'),
  env('prod-mxc1', 'mx-central-1', 'mxc1.pure.cloud'),
  env('prod-euw1', 'eu-west-1', 'mypurecloud.ie'),
  env('prod-euw2', 'eu-west-2', 'euw2.pure.cloud'),
  env('prod-euc1', 'eu-central-1', 'mypurecloud.de'),
  env('prod-euc2', 'eu-central-2', 'euc2.pure.cloud'),
  env('prod-mec1', 'me-central-1', 'mec1.pure.cloud'),
  env('prod-aps1', 'ap-south-1', 'aps1.pure.cloud'),
  env('prod-apse1', 'ap-southeast-1', 'apse1.pure.cloud'),
  env('prod-apse2', 'ap-southeast-2', 'mypurecloud.com.au'),
  env('prod-apne1', 'ap-northeast-1', 'mypurecloud.jp'),
  env('prod-apne2', 'ap-northeast-2', 'apne2.pure.cloud'),
  env('prod-apne3', 'ap-northeast-3', 'apne3.pure.cloud'),
  env('fedramp-use2-core', 'us-east-2', 'use2.us-gov-pure.cloud', ['fedramp']),
  env('prod-edee1', 'eusc-de-east-1', 'edee1.eusc-pure.cloud', [], false),
]);

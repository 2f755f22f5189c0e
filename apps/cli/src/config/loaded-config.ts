import type { KaaSettings } from '@kaa/core';
import type { SourcePosition } from './locate.js';
import type { KaaConfig } from './schema.js';
import type { SecretRef } from './secret-ref.js';

/**
 * A config file that parsed and validated, with what commands need to read it: positions for messages and
 * lazy secret resolution (a secret is read only when a command needs it).
 *
 * @example
 * ```ts
 * const loaded: LoadedConfig = await loadConfig('kaa.yaml', io);
 * const token = await loaded.secret(loaded.config.dataTable.token!, ['dataTable', 'token']);
 * ```
 */
export interface LoadedConfig {
  /** The path as given. */
  readonly file: string;
  readonly config: KaaConfig;
  /** `config.settings` through core's `parseSettings`: every default filled. */
  readonly settings: KaaSettings;
  /** Line and column of a field, for messages. */
  locate(path: readonly PropertyKey[]): SourcePosition | undefined;
  /** `file:line:column` of a field. */
  where(path: readonly PropertyKey[]): string;
  /** Reads a secret reference; a missing variable or file is `E_CONFIG_INVALID` naming file, line and field. */
  secret(ref: SecretRef, path: readonly PropertyKey[]): Promise<string>;
  /** Reads a text file relative to the config file (public material such as a JWK). */
  readText(relative: string, path: readonly PropertyKey[]): Promise<string>;
  /** Every secret value resolved so far: pass them to `redact`/`KaaError` before printing anything. */
  readonly secrets: readonly string[];
}

import { z } from 'zod';

/**
 * A secret in the config file: a reference to an environment variable (`{env: NAME}`) or a file
 * (`{file: path}`, relative to the config file), or — discouraged, `kaa lint` warns — the value inline.
 * Secrets are read only when a command needs them, so `kaa url` never asks for a bot's ClientSecret.
 *
 * @example
 * ```yaml
 * clientSecret: { env: KAA_ALPHA_CLIENT_SECRET }
 * rsPrivatePem: { file: ./keys/rs-bot.pem }
 * ```
 */
export type SecretRef = string | { readonly env: string } | { readonly file: string };

/**
 * zod schema of a {@link SecretRef}.
 *
 * @example
 * ```ts
 * SecretRefSchema.parse({ env: 'KAA_TABLE_TOKEN' });
 * ```
 */
export const SecretRefSchema = z.union([
  z.string().min(1, 'must not be empty; prefer { env: NAME } or { file: path }'),
  z.strictObject({
    env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name such as KAA_TABLE_TOKEN'),
  }),
  z.strictObject({ file: z.string().min(1, 'must be a file path') }),
]);

/**
 * True when the secret is written inline in the config file (a plain string), which `kaa lint` reports.
 *
 * @example
 * ```ts
 * isInlineSecret('s3cr3t'); // true
 * isInlineSecret({ env: 'X' }); // false
 * ```
 */
export function isInlineSecret(ref: SecretRef): ref is string {
  return typeof ref === 'string';
}

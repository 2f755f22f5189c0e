import type { KaaError } from '@kaa/core';

/**
 * `kaa`'s documented exit codes.
 *
 * | Code | Meaning |
 * |---|---|
 * | 0 | success; `table plan` ran (with or without changes); `lint` found no error |
 * | 1 | findings: `lint` found an error, `doctor` has a failed step, `table apply` refused an ambiguous table |
 * | 2 | usage or configuration error: unknown command or flag, bad or unreadable config file, missing secret |
 * | 3 | a remote service failed: network, HTTP error, login refused (outside `doctor`, which reports it as a step) |
 * | 4 | a bug in kaa |
 *
 * @example
 * ```ts
 * process.exitCode = EXIT.findings;
 * ```
 */
export const EXIT = { ok: 0, findings: 1, usage: 2, remote: 3, internal: 4 } as const;

/**
 * One of {@link EXIT}'s values.
 *
 * @example
 * ```ts
 * const code: ExitCode = EXIT.usage;
 * ```
 */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * The exit code for an error that ended a command.
 *
 * @example
 * ```ts
 * exitCodeFor(new KaaError('E_CONFIG_INVALID', '…')); // 2
 * ```
 */
export function exitCodeFor(error: KaaError): ExitCode {
  switch (error.step) {
    case 'configuration':
    case 'parameters':
      return EXIT.usage;
    case 'internal':
      return EXIT.internal;
    case 'network':
    case 'login':
    case 'environment':
      return EXIT.remote;
    default:
      return error.code === 'E_HTTP_UNAUTHORIZED' ? EXIT.remote : EXIT.usage;
  }
}

import { redact } from '@kaa/core';
import type { Logger } from '@kaa/core';

/** @internal Wraps a logger so every message and data value is scrubbed of the current secrets. */
export function redactingLogger(logger: Logger, secrets: () => readonly string[]): Logger {
  const scrub = (data?: Readonly<Record<string, unknown>>): Record<string, unknown> | undefined => {
    if (data === undefined) return undefined;
    try {
      return JSON.parse(redact(JSON.stringify(data), secrets())) as Record<string, unknown>;
    } catch {
      return { note: 'log data dropped: not serialisable' };
    }
  };
  return {
    debug: (m, d) => logger.debug(redact(m, secrets()), scrub(d)),
    info: (m, d) => logger.info(redact(m, secrets()), scrub(d)),
    warn: (m, d) => logger.warn(redact(m, secrets()), scrub(d)),
    error: (m, d) => logger.error(redact(m, secrets()), scrub(d)),
  };
}

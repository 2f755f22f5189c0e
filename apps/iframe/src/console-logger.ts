import type { Logger } from '@kaa/core';
import type { PageSecrets } from './secrets.js';

/** The console methods the page uses. */
export type ConsoleLike = Pick<Console, 'debug' | 'info' | 'warn' | 'error'>;

/**
 * A logger for both adapters that writes to the console through the page's redaction: the message and the
 * data (as JSON) are redacted with every secret the page has seen. `debug` lines only with `?debug=1`.
 *
 * @example
 * ```ts
 * const logger = createConsoleLogger(console, secrets, ctx.debug);
 * logger.info('widget mounted', { mode: 'iframe' });
 * ```
 */
export function createConsoleLogger(sink: ConsoleLike, secrets: PageSecrets, debug: () => boolean): Logger {
  const line = (message: string, data?: Record<string, unknown>) => {
    let json = '';
    if (data !== undefined) {
      try {
        json = ` ${JSON.stringify(data)}`;
      } catch {
        json = ' [unserialisable data]';
      }
    }
    return secrets.redact(`kaa: ${message}${json}`);
  };
  return {
    debug: (m, d) => {
      if (debug()) sink.debug(line(m, d));
    },
    info: (m, d) => sink.info(line(m, d)),
    warn: (m, d) => sink.warn(line(m, d)),
    error: (m, d) => sink.error(line(m, d)),
  };
}

import { KaaError } from '../errors.js';

/**
 * The QueueIdentifier a Genesys queue name maps to (docs/kore-protocol.md#queue-matching): the text before the first
 * `qDelimiter`, trimmed. Without a delimiter, or when the name does not contain it, the whole (trimmed) name.
 *
 * @throws {KaaError} `E_NO_QUEUE` when the queue name is empty or not a string.
 * @example
 * ```ts
 * import { queueIdentifierOf } from '@kaa/core';
 *
 * queueIdentifierOf('ALPHAINC_CUSTOMERSERVICE_16092024', '_'); // → 'ALPHAINC'
 * queueIdentifierOf('KoreSupport', '_');                       // → 'KoreSupport'
 * queueIdentifierOf('ALPHAINC_SALES');                         // → 'ALPHAINC_SALES'
 * ```
 */
export function queueIdentifierOf(queueName: string, qDelimiter?: string): string {
  if (typeof queueName !== 'string' || queueName.trim() === '') {
    throw new KaaError(
      'E_NO_QUEUE',
      'The interaction has no queue name, so no bot row can be chosen. Route the interaction through a queue, or configure a default bot row (routing.defaultRow).',
      { details: { queueName: typeof queueName === 'string' ? queueName : null } },
    );
  }
  const at = typeof qDelimiter === 'string' && qDelimiter !== '' ? queueName.indexOf(qDelimiter) : -1;
  return (at >= 0 ? queueName.slice(0, at) : queueName).trim();
}

import { KaaError } from '../errors.js';
import type { BotRecord, BotRow } from './bot-record.js';
import type { BotIndex } from './bot-index.js';
import { indexBotRows } from './bot-index.js';
import { matchStaticMap } from './match-static-map.js';
import { parseBotRow } from './parse-bot-row.js';
import type { QueueRef } from './queue-of.js';
import type { ResolveBotRecordOptions } from './resolve-bot-record.js';
import { resolveBotRecord } from './resolve-bot-record.js';

/**
 * Where bot records come from (docs/kore-protocol.md#bot-sources-and-modes).
 *
 * @example
 * ```ts
 * if (source.kind === 'genesys-legacy-table') showLegacyNotice();
 * ```
 */
export type BotSourceKind = 'kore-data-table' | 'third-party' | 'genesys-legacy-table';

/**
 * The bot-source port (docs/architecture.md#bot-sources). Adapters implement it (`@kaa/kore-client` for the
 * Kore Data Table and third-party modes, `@kaa/genesys-adapter` for the legacy Genesys table).
 * `load` starts every read that does not need the queue, so the page runs it in parallel with the
 * conversation read; `forQueue` finishes once the queue is known.
 *
 * @example
 * ```ts
 * import type { BotSource } from '@kaa/core';
 *
 * const [lookup, conversation] = await Promise.all([source.load({ signal }), readConversation()]);
 * const record = await lookup.forQueue(queueOf(conversation, findAgentParticipant(conversation, me.id)));
 * ```
 */
export interface BotSource {
  readonly kind: BotSourceKind;
  load(options?: { signal?: AbortSignal }): Promise<BotLookup>;
}

/**
 * The loaded state of a {@link BotSource}: answers which bot assists a queue.
 *
 * @example
 * ```ts
 * const record = await lookup.forQueue({ id: '9e0e…', name: 'ALPHAINC_CUSTOMERSERVICE_16092024' });
 * ```
 */
export interface BotLookup {
  /** Plain words for the debug trace and errors, e.g. `Kore data table "kaa_bots" (12 rows)`. Never secret. */
  readonly description: string;
  forQueue(queue: QueueRef): BotRecord | Promise<BotRecord>;
}

/**
 * Options for {@link botLookupFromRows}: routing options plus the table name for messages.
 *
 * @example
 * ```ts
 * botLookupFromRows(rows, { qDelimiter: '_', tableName: 'kaa_bots', description: 'cached kaa_bots' });
 * ```
 */
export interface BotLookupFromRowsOptions extends ResolveBotRecordOptions {
  /** Overrides the default description. */
  readonly description?: string;
  /**
   * `routing.noQueuePolicy` (docs/assumptions.md#queue-name-availability): an interaction without a queue name raises `E_NO_QUEUE` (`error`, the default)
   * or uses `defaultRow` (`defaultRow`).
   */
  readonly noQueuePolicy?: 'error' | 'defaultRow';
}

/**
 * A {@link BotLookup} over bot-table rows, indexed once ({@link indexBotRows}); each `forQueue` is a map read.
 * Kore Data Table adapters return it from `load()`.
 *
 * @throws {KaaError} from `forQueue`: `E_NO_QUEUE` when the queue has no name, and every error of {@link resolveBotRecord}.
 * @example
 * ```ts
 * import { botLookupFromRows } from '@kaa/core';
 *
 * const lookup = botLookupFromRows(rows, { qDelimiter: '_', tableName: 'kaa_bots' });
 * lookup.forQueue({ name: 'ALPHAINC_CUSTOMERSERVICE_16092024' }).botId;
 * ```
 */
export function botLookupFromRows(
  rows: readonly unknown[] | BotIndex,
  options: BotLookupFromRowsOptions = {},
): BotLookup {
  const index = Array.isArray(rows) ? indexBotRows(rows, options) : (rows as BotIndex);
  const table = options.tableName ?? index.options.tableName;
  const description = options.description ?? `Kore data table${table ? ` "${table}"` : ''} (${index.rows.length} rows)`;
  return {
    description,
    forQueue(queue) {
      const { defaultRow } = options;
      if (
        options.noQueuePolicy === 'defaultRow' &&
        defaultRow != null &&
        !(typeof queue?.name === 'string' && queue.name.trim() !== '')
      ) {
        return typeof defaultRow === 'string'
          ? resolveBotRecord(defaultRow, index, { ...options, qDelimiter: '', fullNameFallback: false })
          : parseBotRow(defaultRow, { ...index.options, kind: 'default-row' });
      }
      return resolveBotRecord(
        requireName(queue, description, 'set routing.noQueuePolicy to "defaultRow" with routing.defaultRow'),
        index,
        options,
      );
    },
  };
}

/**
 * A static third-party source (a stand-in until Kore publishes its Third-Party Configuration runtime API, docs/assumptions.md#third-party-configuration-runtime-api):
 * full queue name → bot row. Matching uses the full queue name, exactly ({@link matchStaticMap}, docs/kore-protocol.md#third-party-configuration).
 * A row without `QueueIdentifier` gets the queue name.
 *
 * @example
 * ```ts
 * import { staticBotSource } from '@kaa/core';
 *
 * const source = staticBotSource({ KoreSupport: { BotId: 'st-…', ClientId: 'cs-…', ClientSecret: '…',
 *   AgentAssistWidgetURL: 'https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html',
 *   AudiohookEnabled: 'false', JWEPublicKey: '' } });
 * (await (await source.load()).forQueue({ name: 'KoreSupport' })).botId;
 * ```
 */
export function staticBotSource(
  map: Readonly<Record<string, BotRow>>,
  options: { allowHttpLoopback?: boolean; description?: string } = {},
): BotSource {
  const description = options.description ?? `static bot mapping (${Object.keys(map).length} queues)`;
  const parsed = new Map<string, BotRecord>();
  const lookup: BotLookup = {
    description,
    forQueue(queue) {
      const name = requireName(queue, description).trim();
      const cached = parsed.get(name);
      if (cached) return cached;
      const [row] = matchStaticMap(map, name);
      if (row === undefined) {
        throw new KaaError(
          'E_QUEUE_NOT_MAPPED',
          `Queue "${name}" has no entry in the ${description}. Add an entry keyed by the full queue name "${name}".`,
          {
            details: { queueName: name, source: 'third-party' },
          },
        );
      }
      const withId =
        typeof row === 'object' && row !== null && row['QueueIdentifier'] === undefined
          ? { ...row, QueueIdentifier: name }
          : row;
      const record = parseBotRow(withId, {
        tableName: description,
        kind: 'third-party',
        ...(options.allowHttpLoopback !== undefined && { allowHttpLoopback: options.allowHttpLoopback }),
      });
      parsed.set(name, record);
      return record;
    },
  };
  return {
    kind: 'third-party',
    load: async (loadOptions) => {
      if (loadOptions?.signal?.aborted)
        throw new KaaError('E_BOT_SOURCE_UNAVAILABLE', `Loading the ${description} was cancelled.`, {
          details: { reason: 'aborted' },
        });
      return lookup;
    },
  };
}

function requireName(queue: QueueRef, description: string, remedy = 'configure routing.defaultRow'): string {
  const name = typeof queue?.name === 'string' ? queue.name : '';
  if (name.trim() !== '') return name;
  throw new KaaError(
    'E_NO_QUEUE',
    queue?.id
      ? `The interaction's queue "${queue.id}" has no name in the conversation, and the ${description} is keyed by queue name. Check that the agent participant carries queueName, or ${remedy}.`
      : `The interaction has no queue (a direct or outbound interaction), so the ${description} cannot choose a bot. Route it through a queue, or ${remedy}.`,
    { details: { queueId: queue?.id ?? null } },
  );
}

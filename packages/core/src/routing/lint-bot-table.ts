import { redact } from '../redact.js';
import type { BotRow } from './bot-record.js';
import { indexBotRows } from './bot-index.js';
import type { BotTableFindingCode, FindingSeverity } from './bot-row-findings.js';
import { describeRow, inspectBotRow, rowSecrets } from './parse-bot-row.js';
import { queueIdentifierOf } from './queue-identifier.js';

/**
 * One finding of {@link lintBotTable}. `message` never contains the ClientSecret or RSPrivatePem of a row it names, nor
 * credential-shaped text (core's `redact`).
 *
 * @example
 * ```ts
 * // { severity: 'error', code: 'widget-url-not-https', rowIndex: 2, column: 'AgentAssistWidgetURL', message: 'Row 2 (…) …' }
 * const errors = lintBotTable(rows).filter((f: BotTableFinding) => f.severity === 'error');
 * ```
 */
export interface BotTableFinding {
  readonly severity: FindingSeverity;
  readonly code: BotTableFindingCode;
  /** 0-based index of the row as read. */
  readonly rowIndex: number;
  readonly column?: string;
  readonly message: string;
}

/**
 * Options for {@link lintBotTable}: the same routing settings the page uses.
 *
 * @example
 * ```ts
 * lintBotTable(rows, { qDelimiter: '_', tableName: 'kaa_bots', fullNameFallback: false });
 * ```
 */
export interface LintBotTableOptions {
  readonly qDelimiter?: string;
  readonly fullNameFallback?: boolean;
  readonly caseSensitive?: boolean;
  readonly allowHttpLoopback?: boolean;
  readonly tableName?: string;
}

/**
 * Checks a whole bot table and lists every problem, for the admin CLI and the setup screen:
 * bad or missing columns, unparsable KvpConfig JSON or paths, a JWEPublicKey that is not an RSA public JWK,
 * unsupported Algorithm, RS algorithm without RSPrivatePem, non-https widget URL (per row), and across rows:
 * an identifier listed by two distinct rows (`duplicate-identifier`, error) or by identical rows
 * (`duplicate-row`, warning), identifiers differing only in case (`identifier-case-collision`), identifiers
 * containing `qDelimiter` that can never match (`identifier-unreachable`, unless `fullNameFallback`), and a
 * full-name identifier overlapping another row's identifier (`identifier-overlap`).
 *
 * @example
 * ```ts
 * import { lintBotTable } from '@kaa/core';
 *
 * lintBotTable(rows, { qDelimiter: '_' }).filter((f) => f.severity === 'error');
 * // → [{ severity: 'error', code: 'duplicate-identifier', rowIndex: 3, column: 'QueueIdentifier', message: 'Row 3 (…) lists "DUPE", which row 2 … also lists …' }]
 * ```
 */
export function lintBotTable(rows: readonly unknown[], options: LintBotTableOptions = {}): BotTableFinding[] {
  const list = Array.isArray(rows) ? rows : [];
  const table = options.tableName ?? 'the Kore data table';
  const findings: BotTableFinding[] = [];
  // Each message is redacted with the secrets of the rows it names (its own, and the one other row a cross-row
  // finding names): redacting every message with every row's secrets was quadratic (2,000 rows took 10 s).
  const secretsOf: (string[] | undefined)[] = [];
  const rowSecretsAt = (i: number): string[] => (secretsOf[i] ??= rowSecrets(list[i]));
  const push = (
    severity: FindingSeverity,
    code: BotTableFindingCode,
    rowIndex: number,
    column: string | undefined,
    message: string,
    other?: number,
  ) =>
    findings.push({
      severity,
      code,
      rowIndex,
      ...(column !== undefined && { column }),
      message: redact(
        message,
        other === undefined ? rowSecretsAt(rowIndex) : [...rowSecretsAt(rowIndex), ...rowSecretsAt(other)],
      ),
    });

  list.forEach((row, rowIndex) => {
    const { problems } = inspectBotRow(row, {
      rowIndex,
      tableName: table,
      ...(options.allowHttpLoopback !== undefined && { allowHttpLoopback: options.allowHttpLoopback }),
    });
    for (const p of problems) push(p.severity, p.code, rowIndex, p.column, p.message);
  });

  const index = indexBotRows(list, { tableName: table });
  // per identifier: the first row listing it in another letter case only (null: none). The rows listing any spelling
  // (ascending) start with rows listing this exact spelling, so the search stops after those: linear over the table.
  const otherCase = new Map<string, number | null>();
  const firstInOtherCase = (id: string): number | null => {
    let found = otherCase.get(id);
    if (found === undefined) {
      const exact = new Set(index.rowsFor(id, true));
      found = index.rowsFor(id, false).find((i) => !exact.has(i)) ?? null;
      otherCase.set(id, found);
    }
    return found;
  };
  list.forEach((row, rowIndex) => {
    const cell = typeof row === 'object' && row !== null ? (row as BotRow)['QueueIdentifier'] : undefined;
    if (typeof cell !== 'string') return;
    for (const id of new Set(
      cell
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    )) {
      const where = describeRow(row, rowIndex);
      const listing = index.rowsFor(id, true); // ascending; includes this row
      const first = listing[0] !== undefined && listing[0] < rowIndex ? listing[0] : undefined;
      if (first !== undefined) {
        const same = index.fingerprint(first) === index.fingerprint(rowIndex);
        push(
          same ? 'warning' : 'error',
          same ? 'duplicate-row' : 'duplicate-identifier',
          rowIndex,
          'QueueIdentifier',
          same
            ? `${cap(where)} lists "${id}", which ${describeRow(list[first], first)} also lists with the same bot settings. Remove the duplicate row.`
            : `${cap(where)} lists "${id}", which ${describeRow(list[first], first)} also lists with a different bot. A QueueIdentifier may be in one row only; queues "${id}…" fail with E_QUEUE_AMBIGUOUS until one row is removed.`,
          first,
        );
      }
      const collide = firstInOtherCase(id);
      if (collide !== null && collide < rowIndex) {
        push(
          options.caseSensitive === false ? 'error' : 'warning',
          'identifier-case-collision',
          rowIndex,
          'QueueIdentifier',
          `${cap(where)} lists "${id}", and ${describeRow(list[collide], collide)} lists the same identifier in another letter case. ${options.caseSensitive === false ? 'With case-insensitive matching both rows match the same queues.' : 'Matching is case-sensitive, so check which spelling the Genesys queue uses.'}`,
          collide,
        );
      }

      const delimiter = options.qDelimiter;
      if (typeof delimiter === 'string' && delimiter !== '' && id.includes(delimiter)) {
        if (options.fullNameFallback !== true) {
          push(
            'warning',
            'identifier-unreachable',
            rowIndex,
            'QueueIdentifier',
            `${cap(where)} lists "${id}", which contains the delimiter "${delimiter}" and so can never match: only the text before the first "${delimiter}" of a queue name is looked up. List "${queueIdentifierOf(id, delimiter) || id}" instead, or turn on routing.fullNameFallback.`,
          );
        } else {
          const prefix = queueIdentifierOf(id, delimiter);
          const prefixed = index.rowsFor(prefix, true);
          const shadowed = prefixed[0] === rowIndex ? prefixed[1] : prefixed[0];
          if (shadowed !== undefined) {
            push(
              'info',
              'identifier-overlap',
              rowIndex,
              'QueueIdentifier',
              `${cap(where)} lists the full queue name "${id}", and ${describeRow(list[shadowed], shadowed)} lists its identifier "${prefix}". Queue "${id}" uses this row (full names win); other "${prefix}${delimiter}…" queues use the other row.`,
              shadowed,
            );
          }
        }
      }
    }
  });
  return findings;
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

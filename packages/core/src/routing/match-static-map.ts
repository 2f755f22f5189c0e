/**
 * Options for {@link matchStaticMap}.
 *
 * @example
 * ```ts
 * const options: MatchStaticMapOptions<{ queueIdentifiers?: string[] }> = { identifiersOf: (r) => r.queueIdentifiers };
 * ```
 */
export interface MatchStaticMapOptions<T> {
  /** Extra full queue names an entry serves besides its key (Third-Party Configuration's Queue Identifiers). */
  readonly identifiersOf?: (entry: T) => readonly string[] | undefined;
}

/**
 * The third-party matching rule (docs/kore-protocol.md#third-party-configuration, docs/assumptions.md#queue-matching-details): a static map keyed by **full** queue name
 * serves `queueName` (trimmed) through the entry with exactly that key, or through entries whose
 * identifiers list it exactly; no delimiter, no case folding. Returns every distinct matching entry in map
 * order, so the caller can tell "not mapped" (none) from "ambiguous" (several). Never throws.
 *
 * @example
 * ```ts
 * import { matchStaticMap } from '@kaa/core';
 *
 * matchStaticMap({ KoreSupport: botA, Other: botB }, ' KoreSupport '); // [botA]
 * matchStaticMap({ a: { queueIdentifiers: ['Chat_Skill'] } }, 'Chat_Skill', { identifiersOf: (r) => r.queueIdentifiers }); // [{…}]
 * ```
 */
export function matchStaticMap<T>(
  map: Readonly<Record<string, T>>,
  queueName: string,
  options: MatchStaticMapOptions<T> = {},
): T[] {
  const name = queueName.trim();
  const found: T[] = [];
  for (const [key, entry] of Object.entries(map)) {
    if (found.includes(entry)) continue;
    if (key === name || (options.identifiersOf?.(entry) ?? []).includes(name)) found.push(entry);
  }
  return found;
}
